"""`glue-conformance record`: the campaign's every exchange with a target, written as a record.

A record is what a target answered to the suite's deterministic scenario (the campaign of
`glue_conformance.scenarios`, whatever it sends), so that a later run against another target can
be compared with it member by member (`glue_conformance.compare`). Values that differ on every run
are symbols, not literals, the way LocalStack's snapshot transformers replace them by reference:

- job names, run ids and pagination tokens become `{job:1}`, `{run:3}`, `{token:2}`, numbered in
  the order they first appear, so the same value is the same symbol everywhere in the record;
- a timestamp becomes its relation to the events around it: a JobRun's StartedOn is `{time:start}`
  when it falls within the client's own timing of its StartJobRun (give or take the clock window),
  its LastModifiedOn and CompletedOn say whether they are after, at or before that StartedOn
  (`{time:>StartedOn}`), and `,late` when they lie beyond what the client's clock allows;
- ExecutionTime becomes a bound: `{seconds:bounded}` when it fits between 0 and the run's own span;
- the request id is `{request-id}`; account ids and role names in ARNs are `{account}`/`{role}`.

Lists keep their order (the model orders GetJobRuns newest first), maps are compared as maps.

The exchanges are captured where every request of the campaign passes: the suite's raw transport
(`RecordingTransport`, a `Transport` whose `send` also hands each answer to a `Tap`) and the SDK
clients the provisioner creates, starts and stops with (botocore's before-call/after-call
events). The campaign is driven as in docs/architecture.md ("Checks without pytest"), one request
at a time, so the order of exchanges is the scenario's own and two runs line up.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, TypeGuard

from glue_conformance.transport import (
    TARGET_PREFIX,
    Exchange,
    SentRequest,
    Transport,
    TransportError,
    encode_body,
    sdk_request,
)

FORMAT = "glue-conformance/record@1"
FORMATS = (FORMAT,)
SCHEMA_FILE = "record.schema.json"
SHIPPED = "reference.record.json"  # in glue_conformance.reports: the reference endpoint's record
EXIT_BAD_RECORD = 4
# Headers whose value is compared (every other header differs by server and says nothing of
# the API); x-amzn-requestid is kept as a symbol: whether it is there is what can be compared.
HEADERS = ("content-type", "x-amzn-errortype", "x-amzn-requestid")
ENDED_STATES = frozenset({"STOPPED", "SUCCEEDED", "FAILED", "TIMEOUT", "ERROR", "EXPIRED"})
LONG_TEXT = 256  # characters: a longer string value is recorded as a {text:N} symbol
SYMBOL = re.compile(r"^\{[a-z-]+(:[^{}]*)?\}$")
_ARN = re.compile(r"arn:(aws[a-z-]*):([a-z0-9-]*):([a-z0-9-]*):(\d{12})?:([^\s\"',]*)")
_ACCOUNT = re.compile(r"(?<!\d)\d{12}(?!\d)")
RUN_KEYS = frozenset({"Id", "RunId", "JobRunId", "PreviousRunId", "JobRunIds"})
TOKEN_KEYS = frozenset({"NextToken"})


class RecordError(ValueError):
    """A record that cannot be used: one line, exit 4 (see `glue_conformance.cli`)."""


# --- capturing ---------------------------------------------------------------------------------


@dataclass
class Capture:
    """One exchange as it happened (literal, not yet symbolised)."""

    operation: str
    request: Any  # the JSON body sent (or its text when it was not JSON)
    status: int | None
    headers: dict[str, str]
    body: Any  # the JSON answer (or its text)
    sent: float  # the client's wall clock when the request left
    received: float  # ... and when the answer had arrived
    phase: str  # "start": up to every run started, read both ways and listed; "wait": after
    sent_request: SentRequest | None = None  # for the curl reproduction


def _json_or_text(raw: bytes | None) -> Any:
    if raw is None:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return raw.decode("utf-8", "replace")


@dataclass
class Tap:
    """Where the captures go, in the order they were answered (one request at a time)."""

    captures: list[Capture] = field(default_factory=list)
    # An exchange's phase, from its operation: what `compare` lines up one for one ("start"),
    # or by the run it reads, its settled answer only ("wait").
    phase: Callable[[str, int | None], str] = lambda operation, status: "start"
    _lock: threading.Lock = field(default_factory=threading.Lock)

    active: bool = True  # off for the cleanup: what the campaign sent is the record

    def add(self, capture: Capture) -> None:
        with self._lock:
            if self.active:
                self.captures.append(capture)

    def exchange(self, operation: str, exchange: Exchange) -> None:
        self.add(
            Capture(
                operation=operation,
                request=_json_or_text(exchange.request.body),
                status=exchange.status,
                headers={k: v for k, v in exchange.headers.items() if k in HEADERS},
                body=_json_or_text(exchange.body),
                sent=exchange.received_at - exchange.elapsed_s,
                received=exchange.received_at,
                phase=self.phase(operation, exchange.status),
                sent_request=exchange.request,
            )
        )

    def attach_sdk(self, client: Any, url: str) -> None:
        """botocore's events on one SDK client: its request before the call, its answer after
        (once botocore's own retries are over), and the client's clock around both."""

        def before(params: Mapping[str, Any], context: dict[str, Any], **_: Any) -> None:
            context["glue_conformance_sent"] = time.time()
            body = params.get("body") if isinstance(params, Mapping) else None
            context["glue_conformance_body"] = encode_body(body if body is not None else b"")

        def after(http_response: Any, model: Any, context: dict[str, Any], **_: Any) -> None:
            raw = context.get("glue_conformance_body", b"")
            sent_request = sdk_request(url, model.name, raw)
            self.add(
                Capture(
                    operation=model.name,
                    request=_json_or_text(raw),
                    status=getattr(http_response, "status_code", None),
                    headers={
                        k.lower(): v
                        for k, v in (getattr(http_response, "headers", None) or {}).items()
                        if k.lower() in HEADERS
                    },
                    body=_json_or_text(getattr(http_response, "content", None)),
                    sent=context.get("glue_conformance_sent", time.time()),
                    received=time.time(),
                    phase=self.phase(model.name, getattr(http_response, "status_code", None)),
                    sent_request=sent_request,
                )
            )

        events = client.meta.events
        events.register("before-call.glue", before)
        events.register("after-call.glue", after)


class RecordingTransport(Transport):
    """The suite's raw transport, handing every answer it returns to a `Tap` as well."""

    tap: Tap | None = None

    def send(self, body: Any, **kwargs: Any) -> Exchange:
        target = kwargs.get("target_header") or (
            f"{TARGET_PREFIX}.{kwargs.get('operation', 'GetJobRun')}"
        )
        operation = target.removeprefix(f"{TARGET_PREFIX}.")
        sent = time.time()
        try:
            exchange = super().send(body, **kwargs)
        except TransportError as error:  # no answer is an answer too: what kind of none
            if self.tap is not None:
                self.tap.add(
                    Capture(
                        operation=operation,
                        request=_json_or_text(encode_body(body)),
                        status=None,
                        headers={},
                        body=f"(no answer: {error.kind})",
                        sent=sent,
                        received=time.time(),
                        phase=self.tap.phase(operation, None),
                        sent_request=error.request,
                    )
                )
            raise
        if self.tap is not None:
            self.tap.exchange(operation, exchange)
        return exchange


# --- symbols -------------------------------------------------------------------------------------


def is_symbol(value: Any) -> bool:
    return isinstance(value, str) and bool(SYMBOL.match(value))


@dataclass
class Symbols:
    """Literal -> symbol, numbered by first appearance, per kind (job, run, token, and text: a
    value longer than LONG_TEXT characters, so a kilobytes-long Argument that every read of its
    run echoes is written once as a symbol, not once per read: the tour's record stays small,
    and a value bent on one path still maps to a symbol of its own)."""

    owner: str | None = None  # the provisioner's token (in job names and one Argument)
    table: dict[str, dict[str, str]] = field(
        default_factory=lambda: {"job": {}, "run": {}, "token": {}, "text": {}}
    )
    _ordered: dict[str, tuple[int, list[str]]] = field(default_factory=dict, repr=False)

    def symbol(self, kind: str, literal: str) -> str:
        known = self.table[kind]
        if literal not in known:
            known[literal] = f"{{{kind}:{len(known) + 1}}}"
        return known[literal]

    def known(self, literal: str) -> str | None:
        for kind in ("job", "run", "token"):
            if literal in self.table[kind]:
                return self.table[kind][literal]
        return None

    def _longest_first(self, kind: str) -> list[str]:
        """The literals of a kind worth finding inside a text (6 characters or more), longest
        first; sorted again only when the kind has grown (every string of every answer is a
        text, and a tour's record numbers hundreds of runs)."""
        known = self.table[kind]
        size, ordered = self._ordered.get(kind, (-1, []))
        if size != len(known):
            ordered = sorted((k for k in known if len(k) >= 6), key=len, reverse=True)
            self._ordered[kind] = (len(known), ordered)
        return ordered

    def text(self, value: str) -> str:
        """Free text (an ErrorMessage naming a run): every known literal inside it replaced."""
        exact = self.known(value)
        if exact is not None:
            return exact
        for kind in ("job", "run"):
            for literal in self._longest_first(kind):
                if literal in value:
                    value = value.replace(literal, self.table[kind][literal])
        if self.owner and value == self.owner:
            return "{owner}"
        if self.owner and len(self.owner) >= 6 and self.owner in value:  # (a short one is a word)
            value = value.replace(self.owner, "{owner}")
        return value


@dataclass(frozen=True)
class Started:
    """A run's StartJobRun as the client timed it."""

    sent: float
    answered: float


def _number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class Symbolizer:
    """Turns captures into the record's exchanges: symbols for what differs on every run,
    relations for timestamps, bounds for ExecutionTime, redaction of what must not be shared."""

    def __init__(self, *, owner: str | None, window_s: float, secrets: Iterable[str] = ()) -> None:
        self.symbols = Symbols(owner=owner)
        self.window_s = window_s
        self.secrets = tuple(secrets)
        self.started: dict[str, Started] = {}  # run id literal -> its StartJobRun's timing
        # (run id, member) -> the value the run first showed once ended: an ended run's
        # timestamps and ExecutionTime never change (evidence section 5), which relations to
        # StartedOn alone cannot show, so a later value that differs is marked ",moved".
        self.ended: dict[tuple[str, str], float] = {}

    def exchanges(self, captures: list[Capture]) -> list[dict[str, Any]]:
        out = []
        for number, capture in enumerate(captures, start=1):
            out.append(self.exchange(number, capture, t0=captures[0].sent if captures else 0.0))
        return out

    def exchange(self, number: int, capture: Capture, *, t0: float) -> dict[str, Any]:
        request = self._walk(capture.request, "", capture, None, top=True)
        body = capture.body
        if capture.operation == "StartJobRun" and isinstance(body, dict):
            run_id = body.get("JobRunId")
            if isinstance(run_id, str):
                self.started.setdefault(run_id, Started(capture.sent, capture.received))
        answer = self._walk(body, "", capture, None, top=True)
        headers = {
            k: ("{request-id}" if k == "x-amzn-requestid" else v)
            for k, v in sorted(capture.headers.items())
        }
        return {
            "n": number,
            "phase": capture.phase,
            "operation": capture.operation,
            "request": _clean(request, self.secrets),
            "status": capture.status,
            "headers": _clean(headers, self.secrets),
            "body": _clean(answer, self.secrets),
            "timing": {
                "sent_ms": round((capture.sent - t0) * 1000),
                "took_ms": round((capture.received - capture.sent) * 1000),
            },
        }

    def _walk(
        self,
        value: Any,
        key: str,
        capture: Capture,
        run: dict[str, Any] | None,
        *,
        top: bool = False,
        parent_top: bool = False,
    ) -> Any:
        if isinstance(value, dict):
            own = value if _looks_like_job_run(value) else run
            return {
                k: self._walk(v, k, capture, own, parent_top=top) for k, v in sorted(value.items())
            }
        if isinstance(value, list):
            return [self._walk(item, key, capture, run) for item in value]
        if key.endswith("On") and _epoch(value) is not None:
            symbol = self._time(key, value, capture, run)
            return self._moved(symbol[:-1] + _form(value) + "}", key, value, run)
        if isinstance(value, str):
            if key in RUN_KEYS and value:
                if key == "Id" and run is None:
                    return self.symbols.text(value)
                return self.symbols.symbol("run", value)
            if value and (key == "JobName" or (key == "Name" and parent_top)):
                return self.symbols.symbol("job", value)
            if key in TOKEN_KEYS and value:
                return self.symbols.symbol("token", value)
            if len(value) > LONG_TEXT:
                return self.symbols.symbol("text", value)
            return _arn(self.symbols.text(value))
        if key == "ExecutionTime" and _number(value) and run is not None:
            return self._moved(self._seconds(value, capture, run), key, value, run)
        return value

    def _moved(self, symbol: str, key: str, value: Any, run: dict[str, Any] | None) -> str:
        """`,moved` on a value that differs from the first the run showed of it: once ended,
        for every time and ExecutionTime; from the start, for StartedOn, which never changes
        (its relations to StartedOn move with it, so they cannot show it, and `compare` takes
        a later LastModifiedOn for the target's pace)."""
        if run is None or (key != "StartedOn" and run.get("JobRunState") not in ENDED_STATES):
            return symbol
        run_id = run.get("Id")
        if not isinstance(run_id, str):
            return symbol
        first = self.ended.setdefault((run_id, key), value)
        return symbol if value == first else symbol[:-1] + ",moved}"

    def _time(self, key: str, value: Any, capture: Capture, run: dict[str, Any] | None) -> str:
        w = self.window_s
        t = _epoch(value)
        assert t is not None
        run_id = run.get("Id") if run is not None else None
        started = self.started.get(run_id) if isinstance(run_id, str) else None
        started_on = _epoch(run.get("StartedOn")) if run is not None else None
        if key == "StartedOn" and started is not None:
            if t < started.sent - w:
                return "{time:before-start}"
            if t > started.answered + w:
                return "{time:after-start}"
            return "{time:start}"
        if run is not None and started_on is not None and key != "StartedOn":
            relation = f"{{time:{_order(t, started_on)}StartedOn"
            since = started.sent if started is not None else started_on
            if t - started_on > capture.received - since + w:
                relation += ",late"
            elif t - started_on > capture.received - since + SLACK_S:
                relation += ",longer"  # later than the client saw pass (compare: not pace)
            modified = _epoch(run.get("LastModifiedOn"))
            if key == "CompletedOn" and modified is not None:  # AWS: the same moment at the end
                relation += "," + (_order(t, modified) or "=") + "LastModifiedOn"
            return relation + "}"
        if capture.sent - w <= t <= capture.received + w:
            return "{time:now}"
        return "{time:far}"

    def _seconds(self, value: float, capture: Capture, run: dict[str, Any]) -> str:
        started_on = _epoch(run.get("StartedOn"))
        ends = (_epoch(run.get(k)) for k in ("CompletedOn", "LastModifiedOn"))
        end = next((t for t in ends if t is not None), capture.received)
        span = (end - started_on) if started_on is not None else capture.received
        kind = "" if isinstance(value, int) else ",fraction"  # the model's ExecutionTime: an int
        if value < 0:
            return f"{{seconds:negative{kind}}}"
        if value <= math.ceil(max(span, 0)) + 1:
            return f"{{seconds:bounded{kind}}}"
        return f"{{seconds:beyond{kind}}}"


# Two of a run's own times need no clock window between them: one later than the client saw
# pass since its StartJobRun by more than this is marked `,longer` (a StartedOn ten minutes
# early shows so, inside the window of `,late`).
SLACK_S = 1.0


def _order(t: float, other: float) -> str:
    return ">" if t > other else "<" if t < other else ""


_NUMERIC = re.compile(r"^-?\d+(\.\d+)?$")


def _epoch(value: Any) -> float | None:
    """A timestamp's seconds since the epoch: a number, or a text that is one (ISO 8601, or
    digits): a text's value differs on every run as a number's does, so it is a relation
    too, marked with its form (`_form`) so that the form is still compared."""
    if _number(value):
        return float(value)
    if not isinstance(value, str) or not value or len(value) > 40:
        return None
    if _NUMERIC.match(value):
        return float(value)
    from datetime import UTC, datetime

    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


def _form(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return ",string" if _NUMERIC.match(value) else ",iso"


def _looks_like_job_run(value: Mapping[str, Any]) -> bool:
    return isinstance(value.get("Id"), str) and ("JobRunState" in value or "StartedOn" in value)


def _arn(text: str) -> str:
    """Account ids and role names out of ARNs (and any bare twelve-digit account id)."""

    def one(match: re.Match[str]) -> str:
        partition, service, region, _account, resource = match.groups()
        if service == "iam" and resource.startswith("role/"):
            resource = "role/{role}"
        account = "{account}" if match.group(4) else ""
        return f"arn:{partition}:{service}:{region}:{account}:{resource}"

    return _ACCOUNT.sub("{account}", _ARN.sub(one, text))


def _clean(value: Any, secrets: Iterable[str]) -> Any:
    """reports' redaction (credentials, secret-named members and Arguments), symbols kept: a
    `{token:1}` under NextToken says nothing secret and must stay comparable."""
    from glue_conformance.reports.redaction import redact

    return _restore(value, redact(value, secrets))


def _restore(original: Any, redacted: Any) -> Any:
    if is_symbol(original):
        return original
    if isinstance(original, dict) and isinstance(redacted, dict):
        return {k: _restore(original[k], redacted.get(k)) for k in original}
    if isinstance(original, list) and isinstance(redacted, list):
        return [_restore(a, b) for a, b in zip(original, redacted, strict=True)]
    return redacted


# --- the record file ---------------------------------------------------------------------------


def render(record: Mapping[str, Any]) -> str:
    """Stable text that diffs well: sorted keys, one exchange a block, each member of an
    exchange on a line of its own (a changed answer is one changed line in a pull request)."""
    head = {k: v for k, v in record.items() if k != "exchanges"}
    lines = ["{"]
    for key in sorted(head):
        lines.append(f"  {json.dumps(key)}: {_compact(head[key])},")
    lines.append('  "exchanges": [')
    blocks = []
    for exchange in record["exchanges"]:
        members = [f"    {json.dumps(k)}: {_compact(exchange[k])}" for k in sorted(exchange)]
        blocks.append("   {\n" + ",\n".join(members) + "\n   }")
    lines.append(",\n".join(blocks))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(", ", ": "))


@cache
def schema() -> dict[str, Any]:
    text = (resources.files("glue_conformance.reports") / SCHEMA_FILE).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def validate(record: Any) -> None:
    """Raise RecordError (one line) unless `record` is a record this version can compare."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    if not isinstance(record, dict):
        raise RecordError(f"not a record: the top level is {type(record).__name__}")
    if record.get("format") not in FORMATS:
        raise RecordError(
            f"unknown record format {record.get('format')!r} (this version reads "
            f"{', '.join(FORMATS)})"
        )
    error = best_match(Draft202012Validator(schema()).iter_errors(record))
    if error is not None:
        where = "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path
        ).lstrip(".")
        message = " ".join(error.message.split())[:160]
        raise RecordError(f"the record fails its schema at {where or '(top level)'}: {message}")


def load(path: str) -> dict[str, Any]:
    """A record from a file (raises RecordError, never anything else)."""
    try:
        with open(path, encoding="utf-8") as handle:
            record: dict[str, Any] = json.load(handle)
    except OSError as error:
        raise RecordError(f"cannot read {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise RecordError(f"{path} is not JSON ({' '.join(str(error).split())[:120]})") from None
    validate(record)
    return record


def shipped_path() -> str:
    return str(resources.files("glue_conformance.reports") / SHIPPED)


# --- playing the scenario ------------------------------------------------------------------------


@dataclass
class Played:
    """One run of the campaign against one target: what was captured, and what the suite's own
    observation point judged of it (a difference names the rules that also saw it)."""

    captures: list[Capture]
    judge: Any  # glue_conformance.observe.Judge
    target_kind: str
    target_url: str
    target_version: str | None
    region: str
    aws: bool
    owner: str
    duration_s: float
    secrets: list[str]


class Refused(Exception):
    """The scenario cannot be played against this target as asked (one line, exit 4)."""


def play(settings: Any, *, owner: str) -> Played:
    """The campaign against the target of `settings` (an engine `Settings`), one request at a
    time, every exchange captured. Raises Refused (billable without --glue-allow-billable, past
    --glue-max-runs) or the engine's Unusable (the target cannot be used at all)."""
    from glue_conformance.engine import Engine, SettingsError, Unusable
    from glue_conformance.observe import Judge
    from glue_conformance.provision import BillableRefused, Provisioner
    from glue_conformance.scenarios import Campaign, Reader
    from glue_conformance.targets import MOTO_FAMILY, TargetError, moto_step_lifecycle

    try:
        settings.check()
    except SettingsError as error:
        raise Refused(str(error)) from None
    engine = Engine(settings, owner_token=owner)
    began = time.monotonic()
    try:
        target = engine.start_target()
    except TargetError as error:
        raise Unusable(str(error)) from None
    if target.aws and not settings.allow_billable:
        target.close()
        raise Refused(
            "the campaign starts job runs, which AWS bills: pass --glue-allow-billable "
            f"(at most --glue-max-runs {settings.max_runs} runs are started)"
        )
    tap = Tap()
    transport = RecordingTransport(
        target.url,
        region=target.region,
        credentials=target.credentials,
        timeout_s=settings.request_timeout,
        limiter=target.limiter,
    )
    transport.tap = tap
    provisioner: Provisioner | None = None
    try:
        engine.preflight(transport)
        tap.captures.clear()  # the preflight is the engine's, not the scenario's
        for attempts in (2, 1):  # the provisioner's clients (retrying, and the one-shot stop)
            tap.attach_sdk(target.client(max_attempts=attempts), target.url)
        provisioner = engine.provisioner(target)
        if provisioner is None:
            raise Refused("a record needs runs of its own: drop --glue-run-id")
        ctx = engine.context(target)
        judge = Judge(provisioner.model, ctx, window_s=settings.clock_window)
        reader = Reader(engine.sender(transport, ctx), judge, at_once=1)
        waiting = threading.Event()
        # Reads that found something, once the campaign's own runs are started, read and
        # listed, wait on the runs' pace; every write (the tours create, start, update and stop
        # after that point too, in an order threads decide) and every lookup answered with an
        # error (a look-alike name finds nothing) is matched one for one, by what it asked.
        tap.phase = lambda operation, status: (
            "wait"
            if waiting.is_set() and operation in ("GetJobRun", "GetJobRuns") and status == 200
            else "start"
        )
        if target.kind in MOTO_FAMILY:
            moto_step_lifecycle(target)
        try:
            first = provisioner.start_run(provisioner.create_job("job"))
            campaign = Campaign(
                provisioner, reader, settings.lifecycle_timeout, engine.lifecycle_deadline, first
            )
            campaign.started_and_read = waiting
            campaign.run()
        except BillableRefused as refused:
            raise Refused(str(refused)) from None
        tap.active = False
        return Played(
            captures=list(tap.captures),
            judge=judge,
            target_kind=target.kind,
            target_url=target.url,
            target_version=target.version,
            region=target.region,
            aws=target.aws,
            owner=owner,
            duration_s=time.monotonic() - began,
            secrets=engine.secrets(),
        )
    finally:
        tap.active = False
        try:
            if provisioner is not None:
                provisioner.cleanup()
        finally:
            transport.close()
            target.close()


def settings_for(kind: str, url: str | None, options: Any) -> Any:
    """Engine settings for one target, from the record/compare command line."""
    from glue_conformance.engine import Settings

    return Settings(
        kind=kind,
        target_url=url,
        region=options.region,
        reference_faults=frozenset(options.reference_fault or ()),
        allow_billable=options.allow_billable,
        max_runs=options.max_runs,
        job_role=options.job_role,
        lifecycle_timeout=options.lifecycle_timeout or 30.0,
        request_timeout=options.request_timeout,
        aws_profile=options.aws_profile,
    )


def make_record(played: Played, *, window_s: float) -> dict[str, Any]:
    symbolizer = Symbolizer(owner=played.owner, window_s=window_s, secrets=played.secrets)
    exchanges = symbolizer.exchanges(played.captures)
    operations: dict[str, int] = {}
    for exchange in exchanges:
        operations[exchange["operation"]] = operations.get(exchange["operation"], 0) + 1
    return {
        "format": FORMAT,
        "scenario": "campaign",
        "target": {
            "kind": played.target_kind,
            "version": played.target_version,
            "aws": played.aws,
        },
        "recorded_with": _suite_version(),
        "window_s": window_s,
        "symbols": {kind: len(table) for kind, table in symbolizer.symbols.table.items()},
        "operations": dict(sorted(operations.items())),
        "exchanges": exchanges,
    }


def _suite_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"glue-conformance {version('glue-conformance')}"
    except PackageNotFoundError:
        return "glue-conformance"
