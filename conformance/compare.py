"""`glue-conformance compare`: a target against a record (or against another target), member by
member.

The same scenario is played against the target with fresh names (`glue_conformance.record.play`)
and symbolised the same way, so what differs on every run is already a symbol on both sides. The
two lists of exchanges are lined up by what was asked (operation and symbolised request): in the
"start" phase (every run started, read both ways, listed) the k-th such request of one side goes
with the k-th of the other; in the "wait" phase (polls until the runs end, then the last
listings) how many polls a run took is the target's pace, not its behaviour, so the last answer
to each request is compared (the settled one); a job's listing is a request of its own after
each start, stop, update or deletion the scenario sent for the job. Symbols are mapped, not
matched by number: the record's `{run:3}` is whatever run the target gave in the same place,
and only a mapping that contradicts itself is a difference. Maps are compared as maps; lists
in order (GetJobRuns lists newest first, in the model).

Every difference says where (operation, member), what the record shows, what the target
answered, in which exchange, how to send that request again (curl, as a deviation does), and the
rules of the suite that also saw it on the target, or that none did: "found only by comparison".
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from glue_conformance.options import TARGET_KINDS
from glue_conformance.record import Capture, Played, is_symbol

ABSENT = "(absent)"
ONLY_BY_COMPARISON = "found only by comparison"
TERMINAL = frozenset({"SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR", "EXPIRED"})


@dataclass
class Difference:
    operation: str
    member: str  # where, with list positions folded: JobRuns[].JobRunState, (status), (exchange)
    path: str  # where exactly: JobRuns[2].JobRunState
    recorded: Any
    answered: Any
    exchange: int | None  # the record's exchange number
    target_exchange: int | None
    request: Any  # the request, symbolised (the same on both sides)
    phase: str
    curl: str | None = None
    rules: tuple[str, ...] = ()
    known: bool = False  # every rule it names is in the target's baseline

    def as_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "member": self.member,
            "path": self.path,
            "recorded": _shown(self.recorded),
            "answered": _shown(self.answered),
            "exchange": self.exchange,
            "target_exchange": self.target_exchange,
            "phase": self.phase,
            "request": json.dumps(self.request, sort_keys=True, ensure_ascii=True),
            "curl": self.curl,
            "rules": list(self.rules),
            "only_by_comparison": not self.rules,
            "known": self.known,
        }


def _shown(value: Any) -> str:
    if value is _Absent:
        return ABSENT
    return json.dumps(value, sort_keys=True, ensure_ascii=True)


class _AbsentType:
    def __repr__(self) -> str:
        return ABSENT


_Absent = _AbsentType()


@dataclass
class SymbolMap:
    """The record's symbols to the target's, one to one, learnt in the order they meet."""

    forward: dict[str, str] = field(default_factory=dict)
    backward: dict[str, str] = field(default_factory=dict)

    def trial(self) -> SymbolMap:
        """A copy to try a mapping on without learning it."""
        return SymbolMap(dict(self.forward), dict(self.backward))

    def same(self, ours: str, theirs: str) -> bool:
        if ours.split(":")[0] != theirs.split(":")[0]:
            return False
        if ours in self.forward or theirs in self.backward:
            return self.forward.get(ours) == theirs
        self.forward[ours], self.backward[theirs] = theirs, ours
        return True


_MAPPED = ("{job:", "{run:", "{token:", "{text:")
# A symbol inside free text ("Job run {run:3} not found."): mapped as a whole symbol is.
_EMBEDDED = re.compile(r"\{(?:job|run|token|text):\d+\}")


def members(
    recorded: Any, answered: Any, path: str, symbols: SymbolMap, *, loose_tokens: bool = False
) -> Iterable[tuple[str, Any, Any]]:
    """Every member where the two differ: (path, recorded, answered)."""
    if isinstance(recorded, dict) and isinstance(answered, dict):
        for key in sorted(set(recorded) | set(answered)):
            where = f"{path}.{key}" if path else key
            yield from members(
                recorded.get(key, _Absent),
                answered.get(key, _Absent),
                where,
                symbols,
                loose_tokens=loose_tokens,
            )
        return
    if isinstance(recorded, list) and isinstance(answered, list):
        for index in range(max(len(recorded), len(answered))):
            yield from members(
                recorded[index] if index < len(recorded) else _Absent,
                answered[index] if index < len(answered) else _Absent,
                f"{path}[{index}]",
                symbols,
                loose_tokens=loose_tokens,
            )
        return
    if _equal(recorded, answered, symbols, loose_tokens=loose_tokens):
        return
    yield path, recorded, answered


def _equal(recorded: Any, answered: Any, symbols: SymbolMap, *, loose_tokens: bool) -> bool:
    tokens = is_symbol(recorded) and is_symbol(answered) and recorded.startswith("{token:")
    if loose_tokens and tokens and answered.startswith("{token:"):
        return True  # a poll's page token: which one is the target's pace
    if (
        is_symbol(recorded)
        and is_symbol(answered)
        and recorded.startswith(_MAPPED)
        and answered.startswith(_MAPPED)
    ):
        return symbols.same(recorded, answered)
    if type(recorded) is bool or type(answered) is bool:
        return type(recorded) is type(answered) and recorded == answered
    if isinstance(recorded, int | float) and isinstance(answered, int | float):
        return recorded == answered
    if isinstance(recorded, str) and isinstance(answered, str) and recorded != answered:
        ours, theirs = _EMBEDDED.findall(recorded), _EMBEDDED.findall(answered)
        return (
            bool(ours)
            and _EMBEDDED.split(recorded) == _EMBEDDED.split(answered)
            and len(ours) == len(theirs)
            and all(symbols.same(mine, other) for mine, other in zip(ours, theirs, strict=True))
        )
    return type(recorded) is type(answered) and recorded == answered


def _folded(path: str) -> str:
    out, depth = [], 0
    for char in path:
        if char == "[":
            depth += 1
            out.append("[]")
        elif char == "]":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out) or "(body)"


def _key(exchange: Mapping[str, Any]) -> str:
    return str(exchange["operation"]) + " " + json.dumps(exchange["request"], sort_keys=True)


def pages(exchanges: Iterable[Mapping[str, Any]]) -> dict[int, int]:
    """Exchange number -> the page of its walk that a GetJobRuns with a NextToken asked for (2
    for the token the first page gave, ...). Tokens are the target's own (an offset, an
    opaque text): what a token names is the page it leads to, so two walks line up page by
    page, and a token that reappears (an offset is the same text in every walk) is the page
    the latest answer to the same request gave it for."""
    given: dict[tuple[str, str], int] = {}  # (the request but its token, the token) -> page
    out: dict[int, int] = {}
    for exchange in exchanges:
        request, body = exchange.get("request"), exchange.get("body")
        if exchange.get("operation") != "GetJobRuns" or not isinstance(request, dict):
            continue
        rest = json.dumps({k: v for k, v in request.items() if k != "NextToken"}, sort_keys=True)
        token = request.get("NextToken")
        page = 1 if token is None else given.get((rest, json.dumps(token)), 0)
        if page:
            out[exchange["n"]] = page
        if page and isinstance(body, dict) and body.get("NextToken") is not None:
            given[(rest, json.dumps(body["NextToken"]))] = page + 1
    return out


def _paged(request: Any, page: int | None) -> Any:
    """The request with its NextToken as the page it asks for (`{page:3}`), when known."""
    if page is None or page < 2 or not isinstance(request, dict) or "NextToken" not in request:
        return request
    return {**request, "NextToken": f"{{page:{page}}}"}


def line_up(
    recorded: list[dict[str, Any]],
    answered: list[dict[str, Any]],
    *,
    phase: str,
    ours: Callable[[Mapping[str, Any]], str],
    theirs: Callable[[Mapping[str, Any]], str],
) -> list[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    """Pairs of one phase's exchanges, in the record's order (then what only the target sent),
    keyed by what was asked (`ours`/`theirs`: each side's key of an exchange)."""
    pairs: list[tuple[dict[str, Any] | None, dict[str, Any] | None]] = []
    by_key: dict[str, list[dict[str, Any]]] = {}
    for exchange in answered:
        if exchange["phase"] == phase:
            by_key.setdefault(theirs(exchange), []).append(exchange)
    mine_by_key: dict[str, list[dict[str, Any]]] = {}
    for exchange in recorded:
        if exchange["phase"] == phase:
            mine_by_key.setdefault(ours(exchange), []).append(exchange)
    for key, mine in mine_by_key.items():
        other = by_key.pop(key, [])
        if phase == "wait":  # the settled answer only: how many polls it took is pace
            pairs.append((mine[-1], other[-1] if other else None))
            # ... but once the target's answer has settled, every later one is the settled one
            settled = next((i for i, e in enumerate(other) if _settled(e["body"])), len(other))
            pairs += [(mine[-1], later) for later in other[settled:-1]]
            continue
        for index in range(max(len(mine), len(other))):
            pairs.append(
                (
                    mine[index] if index < len(mine) else None,
                    other[index] if index < len(other) else None,
                )
            )
    for other in by_key.values():
        for exchange in other if phase == "start" else other[-1:]:
            pairs.append((None, exchange))
    pairs.sort(key=lambda pair: ((pair[0] or {}).get("n", 10**9), (pair[1] or {}).get("n", 10**9)))
    return pairs


# What the scenario asks of a job that changes what its listing shows (a run more, stopped,
# gone): the listing after the k-th of them is another question than the one before it.
_CHANGES_A_LISTING = frozenset({"StartJobRun", "BatchStopJobRun", "DeleteJob", "UpdateJob"})


def listing_epochs(exchanges: Iterable[Mapping[str, Any]]) -> dict[int, int]:
    """Exchange number of a GetJobRuns -> how many requests that change the job's listing the
    scenario had sent for that job before it (answered or refused alike: what was asked is the
    scenario's; whether a start was accepted is the target's answer, compared where it is).
    Without this a listing polled while runs of the job are held, then again after one start
    more (the concurrency-limit scenario), is one request whose first answer, all ended, is
    taken as the settled one, and the later listing, one run longer, as a run gone missing."""
    sent: dict[str, int] = {}
    out: dict[int, int] = {}
    for exchange in exchanges:
        request = exchange.get("request")
        job = request.get("JobName") if isinstance(request, dict) else None
        if not isinstance(job, str):
            continue
        if exchange.get("operation") in _CHANGES_A_LISTING:
            sent[job] = sent.get(job, 0) + 1
        elif exchange.get("operation") == "GetJobRuns":
            out[exchange["n"]] = sent.get(job, 0)
    return out


def _epoch_key(epoch: int | None) -> str:
    return "" if epoch is None else f" after {epoch}"


def _translated(value: Any, symbols: SymbolMap) -> Any:
    """The target's request in the record's symbols (as learnt so far); tokens unnumbered."""
    if isinstance(value, dict):
        return {k: _translated(v, symbols) for k, v in value.items()}
    if isinstance(value, list):
        return [_translated(v, symbols) for v in value]
    if is_symbol(value) and value.startswith("{token:"):
        return "{token}"
    if is_symbol(value):
        return symbols.backward.get(value, value)
    return value


def _tokens_unnumbered(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _tokens_unnumbered(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tokens_unnumbered(v) for v in value]
    return "{token}" if is_symbol(value) and value.startswith("{token:") else value


def _states(value: Any) -> list[Any]:
    if isinstance(value, dict):
        own = [value["JobRunState"]] if "JobRunState" in value else []
        return own + [s for k, v in value.items() if k != "JobRunState" for s in _states(v)]
    if isinstance(value, list):
        return [s for item in value for s in _states(item)]
    return []


def _settled(body: Any) -> bool:
    """Every run the answer shows has ended (a run that ended never moves again)."""
    states = _states(body)
    return bool(states) and all(state in TERMINAL for state in states)


def _unnumbered(text: str) -> str:
    for prefix in _MAPPED:
        parts = text.split(prefix)
        text = parts[0] + "".join(prefix + p.split("}", 1)[-1] for p in parts[1:])
    return text


def compare(
    recorded: list[dict[str, Any]],
    answered: list[dict[str, Any]],
    *,
    timing_tolerant: bool = False,
) -> list[Difference]:
    """Every difference between two symbolised exchange lists. `timing_tolerant` (a record of
    AWS, whose runs move on the wall clock): in the start phase, a run still going on one side
    and still going in another state on the other is the pace of the target, not a difference."""
    symbols = SymbolMap()
    found: list[Difference] = []
    our_pages, their_pages = pages(recorded), pages(answered)
    paths = run_paths(recorded)
    together = (started_together(recorded), started_together(answered))

    def unnumbered(exchange: Mapping[str, Any]) -> str:
        return _unnumbered(_key(exchange))

    def ours(exchange: Mapping[str, Any]) -> str:
        request = _paged(exchange["request"], our_pages.get(exchange["n"]))
        return _key({**exchange, "request": _tokens_unnumbered(request)})

    def theirs(exchange: Mapping[str, Any]) -> str:
        request = _paged(exchange["request"], their_pages.get(exchange["n"]))
        return _key({**exchange, "request": _translated(request, symbols)})

    # The start phase first, in the record's order: each exchange goes with the target's first
    # unused one that asked the same (in the symbols learnt so far, or, for symbols not met
    # yet, the same request with none of them contradicting what is known), and its answer
    # then teaches which of the target's runs is which. An extra read of the target (a stop
    # it refused, read again) is one difference, not a shift of every later one.
    theirs_start = [e for e in answered if e["phase"] == "start"]
    used: set[int] = set()
    for mine in (e for e in recorded if e["phase"] == "start"):
        candidates = [e for e in theirs_start if e["n"] not in used]
        match = next((e for e in candidates if theirs(e) == ours(mine)), None)
        if match is None:
            match = next(
                (
                    e
                    for e in candidates
                    if unnumbered(e) == unnumbered(mine)
                    and not list(members(mine["request"], e["request"], "", symbols.trial()))
                ),
                None,
            )
        if match is not None:
            used.add(match["n"])
            # What the two requests name is the same thing on both sides (a job, a run, a
            # long Argument value): learnt from the requests, before any answer is read, so
            # an answer that bends a value cannot be taken as a new symbol meeting its match.
            list(members(mine["request"], match["request"], "", symbols))
        found += _differences(
            [(mine, match)],
            symbols,
            timing_tolerant=timing_tolerant,
            paths=paths,
            together=together,
        )
    extra: list[tuple[dict[str, Any] | None, dict[str, Any] | None]] = [
        (None, e) for e in theirs_start if e["n"] not in used
    ]
    found += _differences(
        extra, symbols, timing_tolerant=timing_tolerant, paths=paths, together=together
    )
    # The wait phase then lines each run's reads up by the run, in the record's symbols; a
    # job's listing by what the scenario had asked of the job before it, too.
    our_epochs, their_epochs = listing_epochs(recorded), listing_epochs(answered)

    def ours_wait(exchange: Mapping[str, Any]) -> str:
        return ours(exchange) + _epoch_key(our_epochs.get(exchange["n"]))

    def theirs_wait(exchange: Mapping[str, Any]) -> str:
        return theirs(exchange) + _epoch_key(their_epochs.get(exchange["n"]))

    wait = line_up(recorded, answered, phase="wait", ours=ours_wait, theirs=theirs_wait)
    found += _differences(
        wait,
        symbols,
        timing_tolerant=timing_tolerant,
        loose_tokens=True,
        paths=paths,
        together=together,
    )
    return found


def _differences(
    pairs: list[tuple[dict[str, Any] | None, dict[str, Any] | None]],
    symbols: SymbolMap,
    *,
    timing_tolerant: bool,
    loose_tokens: bool = False,
    paths: Mapping[str, tuple[str, ...]] | None = None,
    together: tuple[Mapping[str, int], Mapping[str, int]] = ({}, {}),
) -> list[Difference]:
    paths = paths or {}
    found: list[Difference] = []
    for mine, other in pairs:
        base = mine or other
        assert base is not None
        operation = base["operation"]
        common = {
            "operation": operation,
            "exchange": mine["n"] if mine else None,
            "target_exchange": other["n"] if other else None,
            "request": base["request"],
            "phase": base["phase"],
        }
        if mine is None or other is None:
            found.append(
                Difference(
                    member="(exchange)",
                    path="(exchange)",
                    recorded="sent and answered" if mine else _Absent,
                    answered="sent and answered" if other else _Absent,
                    **common,
                )
            )
            continue
        for name, ours, theirs in (
            ("(status)", mine["status"], other["status"]),
            ("headers", mine["headers"], other["headers"]),
            ("", mine["body"], as_sets(mine["body"], other["body"], symbols, together)),
        ):
            for path, a, b in members(ours, theirs, name, symbols, loose_tokens=loose_tokens):
                if timing_tolerant and mine["phase"] == "start" and _pace(path, a, b):
                    continue
                if path.endswith("JobRunState") and on_path(
                    b, paths.get(_run_of(ours, path) or "")
                ):
                    continue  # the same run, further on or not as far along its path
                if path.endswith(("LastModifiedOn", "CompletedOn")) and _later(a) == _later(b):
                    continue
                path = path or "(body)"
                found.append(
                    Difference(member=_folded(path), path=path, recorded=a, answered=b, **common)
                )
    return found


def started_together(exchanges: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Each run (its symbol) whose StartJobRun overlapped another's on the client's clock (by
    more than the millisecond the timing is rounded to) -> the number of its group: which of
    two runs started together the target numbered first, and so lists first, is timing."""
    spans: list[tuple[int, int, str]] = []
    for exchange in exchanges:
        body, timing = exchange.get("body"), exchange.get("timing") or {}
        run = body.get("JobRunId") if isinstance(body, dict) else None
        if exchange.get("operation") == "StartJobRun" and isinstance(run, str):
            sent = int(timing.get("sent_ms", 0))
            spans.append((sent, sent + int(timing.get("took_ms", 0)), run))
    out: dict[str, int] = {}
    group, end = 0, None
    for sent, ended, run in sorted(spans):
        if end is None or sent >= end - 1:
            group += 1
            end = ended
        else:
            end = max(end, ended)
        out[run] = group
    return {run: number for run, number in out.items() if list(out.values()).count(number) > 1}


def as_sets(
    recorded: Any,
    answered: Any,
    symbols: SymbolMap,
    together: tuple[Mapping[str, int], Mapping[str, int]],
) -> Any:
    """The target's listing with runs started together (on either side) in the record's order:
    such runs are compared as a set, every other run in its place."""
    if not (isinstance(recorded, dict) and isinstance(answered, dict)):
        return answered
    ours, theirs = recorded.get("JobRuns"), answered.get("JobRuns")
    if not (isinstance(ours, list) and isinstance(theirs, list)) or len(ours) != len(theirs):
        return answered
    our_ids = [run.get("Id") if isinstance(run, dict) else None for run in ours]
    their_ids = [run.get("Id") if isinstance(run, dict) else None for run in theirs]

    def tied(ids: list[Any], groups: Mapping[str, int], i: int) -> bool:
        a, b = ids[i - 1], ids[i]
        return a in groups and groups.get(a) == groups.get(b)

    blocks, start = [], 0
    for i in range(1, len(ours) + 1):
        if i == len(ours) or not (tied(our_ids, together[0], i) or tied(their_ids, together[1], i)):
            blocks.append((start, i))
            start = i
    order = {run: i for i, run in enumerate(our_ids) if isinstance(run, str)}
    listed = list(theirs)
    for begin, end in blocks:
        if end - begin > 1:
            listed[begin:end] = sorted(
                theirs[begin:end],
                key=lambda run: order.get(symbols.backward.get(_id(run), ""), len(ours)),
            )
    return {**answered, "JobRuns": listed}


def _id(run: Any) -> str:
    return str(run.get("Id")) if isinstance(run, dict) else ""


def run_paths(exchanges: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Each run of the record (its symbol) -> the states the record saw it in, in order, each
    once: the run's path as far as the record's reads show it."""
    out: dict[str, list[str]] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            run, state = value.get("Id"), value.get("JobRunState")
            if isinstance(run, str) and isinstance(state, str):
                path = out.setdefault(run, [])
                if not path or path[-1] != state:
                    path.append(state)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for exchange in exchanges:
        walk(exchange.get("body"))
    return {run: tuple(states) for run, states in out.items()}


def on_path(state: Any, path: tuple[str, ...] | None) -> bool:
    """A state still going that lies on the run's path: one the record saw it in, or one the
    life cycle's allowed moves (`glue_conformance.checks.lifecycle.allowed_move`) put before the
    first state the record saw, between two it saw one after the other, or after the last:
    where along its path a run is at a given read is the target's pace. A terminal state is
    never pace: it is compared exactly, as is a state the allowed moves do not know."""
    from glue_conformance.checks.lifecycle import allowed_move

    if not path or not isinstance(state, str) or state in TERMINAL:
        return False
    if state in path:
        return True
    steps = (None, *path, None)
    return any(
        (before is None or allowed_move(before, state))
        and (after is None or allowed_move(state, after))
        for before, after in itertools.pairwise(steps)
    )


def _later(symbol: Any) -> Any:
    """A time relation with "the same moment" and "later" as one (`>StartedOn` and
    `StartedOn`, `>LastModifiedOn` and `=LastModifiedOn`): how much later a run was modified or
    ended than it started is the target's pace (moto sets a run's three times in three calls,
    a millisecond or, on a loaded machine, more apart), as long as it is no longer than the
    client saw pass; before (`<`) stays a difference, as do `,late`, `,longer`, `,moved` and
    the form."""
    if not (isinstance(symbol, str) and symbol.startswith("{time:")):
        return symbol
    return symbol.replace("{time:>", "{time:").replace(",>LastModifiedOn", ",=LastModifiedOn")


def _run_of(body: Any, path: str) -> str | None:
    """The Id of the JobRun a member's path is in (`JobRuns[3].JobRunState`: the fourth's)."""
    run = _member(body, path.rpartition(".")[0] + ".Id")
    return run if isinstance(run, str) else None


def _member(body: Any, path: str) -> Any:
    """The value at a member's path (`JobRuns[3].Id`), or None."""
    value = body
    for name, index in _STEP.findall(path):
        if index:
            value = (
                value[int(index)] if isinstance(value, list) and int(index) < len(value) else None
            )
        else:
            value = value.get(name) if isinstance(value, dict) else None
    return value


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _pace(path: str, recorded: Any, answered: Any) -> bool:
    if not path.endswith("JobRunState"):
        return False
    return (
        isinstance(recorded, str)
        and isinstance(answered, str)
        and recorded not in TERMINAL
        and answered not in TERMINAL
    )


# --- naming the rules that also saw it -----------------------------------------------------------


def name_rules(
    differences: list[Difference],
    played: Played | None,
    target_exchanges: list[dict[str, Any]],
    *,
    baseline_rules: frozenset[str] = frozenset(),
) -> None:
    """Each difference gets the rules whose deviation on the target was about the same member
    (the member's name in what the rule observed) in the same exchange, or, for a member no
    exchange-bound deviation names, a deviation of the whole run that names it; and a curl
    command for the target's exchange."""
    if played is None:
        return
    from glue_conformance.repro import curl

    captures: dict[int, Capture] = {
        exchange["n"]: capture
        for exchange, capture in zip(target_exchanges, played.captures, strict=False)
    }
    by_request: dict[int, list[tuple[str, str]]] = {}
    loose: list[tuple[str, str]] = []
    for rule_id, record in played.judge.records.items():
        for deviation in record.deviations:
            observed = str(deviation.observed)
            request = getattr(deviation, "request", None)
            if request is None:
                loose.append((rule_id, observed))
            else:
                by_request.setdefault(id(request), []).append((rule_id, observed))
    for difference in differences:
        capture = captures.get(difference.target_exchange or -1)
        if capture is not None and capture.sent_request is not None:
            difference.curl = curl(capture.sent_request, region=played.region, aws=played.aws)
        leaf = _leaf(difference)
        candidates = []
        if capture is not None and capture.sent_request is not None:
            candidates = by_request.get(id(capture.sent_request), [])
        words = [leaf] if leaf else []
        words += [
            value
            for value in (difference.recorded, difference.answered)
            if isinstance(value, str) and len(value) >= 4 and not is_symbol(value)
        ]
        rules = {
            rule
            for rule, observed in candidates
            if any(word in observed or word in _statement(rule) for word in words)
            or (difference.member.endswith("[].Id") and "order" in observed)
        }
        if not rules and difference.operation not in READS:
            every = [pair for pairs in by_request.values() for pair in pairs] + loose
            rules = {rule for rule, observed in every if difference.operation in observed}
        if not rules and leaf:
            rules = {rule for rule, observed in loose if leaf in observed}
        difference.rules = tuple(sorted(rules))
        difference.known = bool(rules) and rules <= baseline_rules


READS = frozenset({"GetJobRun", "GetJobRuns"})


def _statement(rule_id: str) -> str:
    from glue_conformance.rules import RULES

    rule = RULES.get(rule_id)
    return rule.statement if rule is not None else ""


def _leaf(difference: Difference) -> str:
    if difference.member == "(status)":
        return "HTTP"
    if difference.member.startswith("headers."):
        return difference.member.removeprefix("headers.")
    name = difference.member.rsplit(".", 1)[-1].replace("[]", "")
    return "" if name.startswith("(") else name


# --- the commands --------------------------------------------------------------------------------

KINDS = tuple(kind for kind in TARGET_KINDS if kind != "url")  # the embedded targets
EXIT_SAME = 0
EXIT_DIFFERENT = 1
EXIT_USAGE = 4
EXIT_UNUSABLE = 69


def add_options(parser: Any) -> None:
    """The target options `record` and `compare` share (named as `run`'s --glue-* options)."""
    parser.add_argument("--glue-target", dest="kind", choices=(*KINDS, "url"), default=None)
    parser.add_argument("--glue-region", dest="region", default="us-east-1")
    parser.add_argument(
        "--glue-reference-fault", dest="reference_fault", action="append", default=[]
    )
    parser.add_argument("--glue-allow-billable", dest="allow_billable", action="store_true")
    parser.add_argument("--glue-max-runs", dest="max_runs", type=int, default=20)
    parser.add_argument("--glue-job-role", dest="job_role", default=None)
    parser.add_argument("--glue-aws-profile", dest="aws_profile", default=None)
    parser.add_argument(
        "--glue-lifecycle-timeout", dest="lifecycle_timeout", type=float, default=None
    )
    parser.add_argument("--glue-request-timeout", dest="request_timeout", type=float, default=10.0)
    parser.add_argument("--glue-clock-window", dest="window_s", type=float, default=900.0)


def add_commands(commands: Any) -> None:
    record = commands.add_parser(
        "record",
        help="[URL] --out FILE: play the campaign against a target (URL, or --glue-target "
        f"{'|'.join(KINDS)}) and write every exchange, symbolised and redacted",
    )
    record.add_argument("target", nargs="?", metavar="URL")
    record.add_argument("--out", required=True, metavar="FILE")
    add_options(record)
    compare_ = commands.add_parser(
        "compare",
        help="[FILE|URL|KIND] [URL|KIND]: play the campaign against the second (default: "
        "--glue-target, or moto) and list every member that differs from the first (default: "
        "the shipped record of the reference endpoint); exit 1 when one differs beyond the "
        "target's baseline",
    )
    compare_.add_argument("sides", nargs="*", metavar="SIDE")
    compare_.add_argument("--out", default="glue-compare", metavar="DIR")
    compare_.add_argument("--glue-baseline", dest="baseline", default="auto")
    compare_.add_argument("--limit", type=int, default=3, help="instances shown per member")
    add_options(compare_)


@dataclass
class Side:
    """One side of a comparison: a record file, or a target to play the campaign against."""

    label: str
    record: dict[str, Any] | None = None
    kind: str | None = None
    url: str | None = None
    played: Played | None = None


def _side(text: str | None, options: Any) -> Side:
    from glue_conformance.record import load, shipped_path

    if text is None:
        kind = options.kind or "moto"
        return Side(label=f"embedded {kind}", kind=kind)
    if text in KINDS:
        return Side(label=f"embedded {text}", kind=text)
    if text.startswith(("http://", "https://")):
        return Side(label=text, kind="url", url=text)
    if text == "shipped":
        return Side(label="the shipped record", record=load(shipped_path()))
    return Side(label=text, record=load(text))


def _lifecycle(options: Any, kind: str, url: str | None) -> float:
    from glue_conformance.engine import AWS_LIFECYCLE_S, EMULATOR_LIFECYCLE_S
    from glue_conformance.targets import is_aws_host

    if options.lifecycle_timeout is not None:
        return float(options.lifecycle_timeout)
    aws = kind == "url" and url is not None and is_aws_host(url)
    return AWS_LIFECYCLE_S if aws else EMULATOR_LIFECYCLE_S


def _play(side: Side, options: Any, *, owner: str) -> dict[str, Any]:
    """The side's record: as loaded, or played now (its Played kept for rules and curl)."""
    from glue_conformance.record import make_record, play, settings_for

    if side.record is not None:
        return side.record
    assert side.kind is not None
    settings = _replace(
        settings_for(side.kind, side.url, options),
        lifecycle_timeout=_lifecycle(options, side.kind, side.url),
    )
    if side.kind != "reference":
        settings = _replace(settings, reference_faults=frozenset())
    side.played = play(settings, owner=owner)
    side.record = make_record(side.played, window_s=options.window_s)
    return side.record


def _replace(settings: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(settings, **changes)


def _quiet() -> None:
    """The embedded servers' access logs are not this command's output."""
    import logging

    for name in ("werkzeug", "moto"):
        logging.getLogger(name).disabled = True


def run_record(options: Any) -> int:
    import secrets
    import sys

    from glue_conformance.engine import Unusable
    from glue_conformance.record import Refused, render, validate

    _quiet()
    kind = "url" if options.target else (options.kind or "reference")
    side = Side(label=options.target or kind, kind=kind, url=options.target)
    try:
        record = _play(side, options, owner=f"rec{secrets.token_hex(3)}")
    except Refused as refused:
        print(f"glue-conformance: {refused}", file=sys.stderr)
        return EXIT_USAGE
    except Unusable as error:
        print(f"glue-conformance: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    validate(record)
    text = render(record)
    with open(options.out, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    played = side.played
    assert played is not None
    print(
        f"recorded {len(record['exchanges'])} exchanges of {side.label} "
        f"({played.target_version or played.target_kind}) in {played.duration_s:.1f} s: "
        f"{options.out} ({len(text.encode()) / 1024:.0f} KiB)"
    )
    return EXIT_SAME


def run_compare(options: Any) -> int:
    import secrets
    import sys
    import time
    from pathlib import Path

    from glue_conformance.engine import Unusable
    from glue_conformance.record import RecordError, Refused

    _quiet()
    sides = list(options.sides)
    if len(sides) > 2:
        print("glue-conformance: compare takes at most two sides (see --help)", file=sys.stderr)
        return EXIT_USAGE
    if len(sides) == 1 and (sides[0] in KINDS or sides[0].startswith("http")):
        sides = ["shipped", sides[0]]
    if not sides:
        sides = ["shipped"]
    began = time.time()
    try:
        first = _side(sides[0], options)
        second = _side(sides[1] if len(sides) > 1 else None, options)
        recorded = _play(first, options, owner=f"cmpa{secrets.token_hex(3)}")
        answered = _play(second, options, owner=f"cmpb{secrets.token_hex(3)}")
        baseline_rules = _baseline_rules(options.baseline, second)
    except RecordError as error:
        print(f"glue-conformance: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Refused as refused:
        print(f"glue-conformance: {refused}", file=sys.stderr)
        return EXIT_USAGE
    except Unusable as error:
        print(f"glue-conformance: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    tolerant = bool(recorded["target"].get("aws") or answered["target"].get("aws"))
    differences = compare(recorded["exchanges"], answered["exchanges"], timing_tolerant=tolerant)
    name_rules(
        differences,
        second.played,
        answered["exchanges"],
        baseline_rules=baseline_rules,
    )
    if first.played is not None:  # two live targets: the first side's rules saw it too
        _more_rules(differences, first.played, recorded["exchanges"], baseline_rules)
    from glue_conformance.reports.comparison_view import terminal

    results = comparison_results(differences, first, second, began=began, baseline=options.baseline)
    from glue_conformance.reports.writer import write_run

    secrets_ = [*(second.played.secrets if second.played else [])]
    out = Path(options.out)
    earlier = out / "results.json"
    if earlier.exists():  # (the folder is the comparison's: its files are replaced, said so)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(earlier.stat().st_mtime))
        print(f"glue-conformance: replacing the comparison written in {out} at {stamp}")
    written = write_run(results, out, secrets=secrets_, overwrite_junit=True)
    print(terminal(results, limit=options.limit))
    note = configuration_note(first, second)
    if note:
        print(note)
    print(f"written: {', '.join(str(p) for p in written.values())}")
    return EXIT_DIFFERENT if any(not d.known for d in differences) else EXIT_SAME


def configuration_note(first: Side, second: Side) -> str | None:
    """Embedded moto is not a stock moto_server: the suite sets its state manager to advance a
    run one state per call, where a stock server's runs are SUCCEEDED at the first read. A
    comparison of the two differs in every run's path for that configuration alone."""
    kinds = {
        side.kind or (side.record or {}).get("target", {}).get("kind") for side in (first, second)
    }
    if "moto" in kinds and "url" in kinds:
        return (
            "note: the embedded moto advances a run one state per call (its state manager, set "
            "by the suite); a stock moto_server's runs are SUCCEEDED at the first read, so a "
            "comparison of the two differs in the runs' states for that configuration alone "
            "(docs/records.md)"
        )
    return None


def _more_rules(
    differences: list[Difference],
    played: Played,
    exchanges: list[dict[str, Any]],
    baseline_rules: frozenset[str],
) -> None:
    mirrored = [
        Difference(**{**d.__dict__, "target_exchange": d.exchange, "rules": (), "curl": None})
        for d in differences
    ]
    name_rules(mirrored, played, exchanges, baseline_rules=baseline_rules)
    for difference, mirror in zip(differences, mirrored, strict=True):
        rules = set(difference.rules) | set(mirror.rules)
        difference.rules = tuple(sorted(rules))
        difference.known = bool(rules) and rules <= baseline_rules


def _baseline_rules(choice: str, side: Side) -> frozenset[str]:
    from glue_conformance.baseline import BaselineError, load

    if side.kind is None:
        return frozenset()
    try:
        baseline = load(choice, side.kind)
    except BaselineError as error:
        from glue_conformance.record import RecordError

        raise RecordError(f"--glue-baseline {error}") from None
    if baseline is None:
        return frozenset()
    return frozenset(str(entry.get("rule")) for entry in baseline.deviations)


def comparison_results(
    differences: list[Difference], first: Side, second: Side, *, began: float, baseline: str
) -> dict[str, Any]:
    """A results.json document (results@2, no checks) with the comparison in it."""
    from glue_conformance.results import build_results

    assert first.record is not None
    assert second.record is not None
    played = second.played
    target = {
        "url": (played.target_url if played else second.label) or second.label,
        "kind": second.kind if second.kind in TARGET_KINDS else "url",
        "version": played.target_version if played else second.record["target"].get("version"),
    }
    results = build_results(
        [],
        target=target,
        started=began,
        baseline=None,
        profile=None,
        completeness={
            "complete": True,
            "planned": 0,
            "judged": 0,
            "reason": None,
        },
    )
    differing = [d.as_dict() for d in differences]
    results["comparison"] = {
        "record": {
            "source": first.label,
            "kind": first.record["target"]["kind"],
            "version": first.record["target"].get("version"),
            "exchanges": len(first.record["exchanges"]),
        },
        "target": {
            "source": second.label,
            "exchanges": len(second.record["exchanges"]),
        },
        "baseline": baseline,
        "differences": differing,
        "counts": {
            "differences": len(differing),
            "members": len({(d["operation"], d["member"]) for d in differing}),
            "only_by_comparison": sum(1 for d in differing if d["only_by_comparison"]),
            "known": sum(1 for d in differing if d["known"]),
        },
    }
    return results


def run_command(options: Any) -> int:
    """`record` or `compare`: a record that cannot be used is one line and exit 4."""
    import sys

    from glue_conformance.record import RecordError

    try:
        return run_record(options) if options.command == "record" else run_compare(options)
    except RecordError as error:
        print(f"glue-conformance: {error}", file=sys.stderr)
        return EXIT_USAGE
