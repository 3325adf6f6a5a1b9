"""The observation point: every JobRun the suite receives passes through `Judge.run`.

GetJobRun with and without PredecessorsIncluded, every item of every GetJobRuns page, every poll
and every step of the state machine hand their JobRuns here. Each one is judged by every check
registered for the subject "jobrun" (the single-answer rules, the comparisons with the model, and
the relations with the run's previous observation); each whole listing by the "listing" checks;
each run the suite stopped waiting for by the "settled" checks. A rule is judged wherever its
subject appears, not only in the one test written for it (schemathesis applies every check to
every response for the same reason).

The judge records; it does not decide how pytest reports. The suite's test files then ask for
the verdict of their rule over everything recorded (`verdict`), and the state machine asks for
the deviations one step caused (`judge.run(...)` returns them), so Hypothesis can shrink to the
step that showed it. Needs no pytest.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from glue_conformance.checks import Registered, judging
from glue_conformance.checks.base import Context, Deviation
from glue_conformance.checks.listing import LISTED_WITHIN_S
from glue_conformance.checks.response import job_run_states
from glue_conformance.checks.subjects import Listing, Observation, Settled, StopAnswer
from glue_conformance.model import Model, RunFacts
from glue_conformance.transport import Exchange

KEEP = 20  # deviations kept per rule (the first is the verdict; the count is reported)
STATES_KEPT = 40  # states kept per run, for the messages of the settled checks
FRESH_KEPT = 200  # deviations kept for `fresh()` between two calls


class NotJudged(Exception):
    """No observation of the rule's subject was made in this run (not a verdict)."""


@dataclass
class Record:
    """What one rule saw over the run."""

    judged: int = 0
    deviations: list[Deviation] = field(default_factory=list)
    more: int = 0  # deviations past KEEP
    notes: Counter[str] = field(default_factory=Counter)  # tolerant rules: what was seen


class Judge:
    def __init__(self, model: Model, ctx: Context, *, window_s: float = 900.0) -> None:
        self.model = model
        self.ctx = ctx
        self.window_s = window_s
        self.records: dict[str, Record] = {}
        self._latest: dict[str, Observation] = {}  # run id -> its latest observation
        self._states: dict[str, list[Any]] = {}  # run id -> states seen, in order
        self._first_sent: dict[str, float] = {}  # run id -> when its first observation was asked
        self._fresh: list[Deviation] = []  # since the last `fresh()` (the state machine's step)
        self._listed_at: dict[str, float] = {}  # run id -> when a listing first showed it
        # (job, MaxResults) -> (when its latest listing was asked, the runs it left out while
        # too new to be held to it)
        self._unlisted: dict[tuple[str, int | None], tuple[float, frozenset[str]]] = {}
        self._lock = threading.RLock()
        self._checks = {
            subject: judging(subject) for subject in ("jobrun", "listing", "settled", "stop")
        }

    # --- subjects in ---------------------------------------------------------------------------

    def run(
        self,
        job_run: dict[str, Any],
        exchange: Exchange,
        *,
        call: str,
        job: str | None,
        run_id: str | None = None,
    ) -> list[Deviation]:
        """One JobRun from one answer; `run_id` is the RunId asked for (None: a listing item)."""
        with self._lock:
            key = str(job_run.get("Id") if run_id is None else run_id)
            facts = self.model.facts(key)
            before = self._latest.get(key)
            sent_at = exchange.received_at - exchange.elapsed_s
            if before is not None and before.received_at > sent_at:
                before = None  # the two calls overlapped: neither is before the other
            obs = Observation(
                run=job_run,
                exchange=exchange,
                call=call,
                job=job,
                asked_run=run_id,
                facts=facts,
                expected=self.model.expected(key) if facts is not None else (),
                before=before,
                window_s=self.window_s,
                previous_start=self._started_before(facts) if facts is not None else None,
            )
            found = self._apply("jobrun", obs, call)
            latest = self._latest.get(key)
            self._first_sent[key] = min(sent_at, self._first_sent.get(key, sent_at))
            if latest is not None and latest.received_at > exchange.received_at:
                return found  # an answer that came before the latest one: not the newest state
            self._latest[key] = replace(obs, before=None, previous_start=None)  # flat: no chains
            states = self._states.setdefault(key, [])
            if len(states) < STATES_KEPT:
                states.append(job_run.get("JobRunState"))
            return found

    def listing(self, listing: Listing) -> list[Deviation]:
        """A whole GetJobRuns listing: each item as a JobRun, then the listing as a whole (told
        which of its runs are too new to be held to it)."""
        found: list[Deviation] = []
        with self._lock:
            listing = replace(listing, young=self._young(listing))
        shown: dict[str, float] = {}  # run id -> when the page that listed it arrived
        for number, page in enumerate(listing.pages, start=1):
            body = page.json
            items = body.get("JobRuns") if isinstance(body, dict) else None
            for index, item in enumerate(items if isinstance(items, list) else [], start=1):
                if isinstance(item, dict):
                    call = f"{listing.call} page {number} item {index}"
                    found += self.run(item, page, call=call, job=listing.job)
                    shown.setdefault(str(item.get("Id")), page.received_at)
        with self._lock:
            found += self._apply("listing", listing, listing.call)
            for run_id, at in shown.items():
                self._listed_at[run_id] = min(at, self._listed_at.get(run_id, at))
            self._left_out(listing, listing.young - shown.keys())
            return found

    def _left_out(self, listing: Listing, runs: frozenset[str]) -> None:
        """What the latest listing of its (job, MaxResults) left out as too new: a listing
        asked earlier but judged later (two overlapping reads) does not replace it, and one
        that did not end (its deviation is recorded) leaves nothing to list again."""
        key = (listing.job, listing.max_results)
        if not listing.complete:
            self._unlisted.pop(key, None)
            return
        first = listing.pages[0]
        asked = first.received_at - first.elapsed_s
        if key not in self._unlisted or self._unlisted[key][0] <= asked:
            self._unlisted[key] = (asked, runs)

    def _young(self, listing: Listing) -> frozenset[str]:
        """The runs a listing need not show yet: started less than LISTED_WITHIN_S before its
        first page was asked for, and never shown by a listing answered before that."""
        if listing.expected_runs is None or not listing.pages:
            return frozenset()
        first = listing.pages[0]
        asked = first.received_at - first.elapsed_s
        young = set()
        for run_id in listing.expected_runs:
            facts = self.model.facts(run_id)
            seen = self._listed_at.get(run_id)
            new = facts is not None and asked - facts.answered_at < LISTED_WITHIN_S
            if new and (seen is None or seen > asked):
                young.add(run_id)
        return frozenset(young)

    def unlisted(self) -> dict[tuple[str, int | None], frozenset[str]]:
        """(job, MaxResults) of each listing whose latest reading left out runs too new to be
        held to it: listed again later, they are judged (`Reader.settle`)."""
        with self._lock:
            return {key: runs for key, (_, runs) in self._unlisted.items() if runs}

    def settled(
        self, run_id: str, *, budget_s: float, refused: str | None = None
    ) -> list[Deviation]:
        """The suite stopped waiting for this run (terminal, or the budget spent)."""
        with self._lock:
            facts = self.model.facts(run_id)
            last = self._latest.get(run_id)
            first = self._first_sent.get(run_id)
            watched = last.received_at - first if last is not None and first is not None else 0.0
            subject = Settled(
                run_id=run_id,
                states=tuple(self._states.get(run_id, ())),
                last=last,
                budget_s=budget_s,
                watched_s=watched,
                known_states=frozenset(job_run_states()),
                stop_accepted=facts is not None and facts.stop_accepted,
                stop_refused=refused,
            )
            return self._apply("settled", subject, f"run {run_id}")

    def stop(self, subject: StopAnswer) -> list[Deviation]:
        """One BatchStopJobRun answer, with what each id it named was (the "stop" checks)."""
        with self._lock:
            return self._apply("stop", subject, subject.call)

    def answer(self, check: Any, exchange: Exchange, *, call: str) -> Deviation | None:
        """An exchange-level check (`check(exchange, ctx)`) applied to one answer of a read,
        counted and recorded under its rule like the JobRun checks."""
        with self._lock:
            entry = Registered(call, check.rule, "check", check)
            self.records.setdefault(entry.rule.id, Record()).judged += 1
            deviation = self._judge(entry, exchange, call)
            if deviation is not None:
                self._keep(deviation)
            return deviation

    def observed(self, observation: Any, subject: Any) -> None:
        """A tolerant rule's observation the campaign calls itself (`judges="campaign"`): what
        it records of `subject` is counted in the rule's notes, like the registered ones."""
        with self._lock:
            record = self.records.setdefault(observation.rule.id, Record())
            record.judged += 1
            note = observation(subject)
            if note:
                record.notes[note] += 1

    def count(self, rule_id: str) -> None:
        """One more subject of `rule_id` was judged outside the registered checks (a read
        that was answered counts for protocol.answers)."""
        with self._lock:
            self.records.setdefault(rule_id, Record()).judged += 1

    def deviation(self, deviation: Deviation) -> None:
        """A deviation found outside the checks above (a stop refused, an answer that never
        came): recorded under its rule like the others."""
        with self._lock:
            self._keep(deviation)

    # --- what was seen -------------------------------------------------------------------------

    def state(self, run_id: str) -> Any:
        latest = self._latest.get(run_id)
        return latest.run.get("JobRunState") if latest is not None else None

    def latest(self, run_id: str) -> Observation | None:
        return self._latest.get(run_id)

    def verdict(self, rule_id: str) -> Record:
        """Raises the rule's first deviation (its text says how many more there were); raises
        NotJudged when the rule's subject never appeared; else the record (for its notes)."""
        record = self.records.get(rule_id)
        if record is None or (record.judged == 0 and not record.deviations):
            raise NotJudged(f"not judged: no observation of {rule_id}'s subject in this run")
        if record.deviations:
            first, others = record.deviations[0], len(record.deviations) - 1 + record.more
            if not others:
                raise first
            calls = "; ".join(d.observed.split(":", 1)[0] for d in record.deviations[1:4])
            raise Deviation(
                first.rule,
                f"{first.observed}\n(and {others} more: {calls}...)",
                first.exchange,
                first.ctx,
                request=first.request,
            )
        return record

    # --- inside --------------------------------------------------------------------------------

    def _apply(self, subject: str, value: Any, call: str) -> list[Deviation]:
        found: list[Deviation] = []
        for entry in self._checks[subject]:
            record = self.records.setdefault(entry.rule.id, Record())
            record.judged += 1
            if entry.kind == "observation":
                note = entry.function(value)
                if note:
                    record.notes[note] += 1
                continue
            deviation = self._judge(entry, value, call)
            if deviation is not None:
                self._keep(deviation)
                found.append(deviation)
        return found

    def _judge(self, entry: Registered, value: Any, call: str) -> Deviation | None:
        try:
            entry.function(value, self.ctx)
        except Deviation as deviation:
            observed = deviation.observed
            if not observed.startswith(call):
                observed = f"{call}: {observed}"
            return Deviation(
                deviation.rule, observed, deviation.exchange, self.ctx, request=deviation.request
            )
        return None

    def _started_before(self, facts: RunFacts) -> Observation | None:
        """The latest observation of the run whose StartJobRun was answered last before this
        run's was sent, among the runs this judge has seen (another observation point's runs,
        the state machine's, are not its to compare)."""
        best: RunFacts | None = None
        for other in list(self.model.runs.values()):
            if other.answered_at > facts.sent_at or other.run_id not in self._latest:
                continue
            if other.run_id != facts.run_id and (
                best is None or other.answered_at > best.answered_at
            ):
                best = other
        return self._latest.get(best.run_id) if best is not None else None

    def fresh(self) -> list[Deviation]:
        """The deviations recorded since the last call (the state machine asks after each step,
        so a step fails on what it showed)."""
        with self._lock:
            found, self._fresh = self._fresh, []
            return found

    def _keep(self, deviation: Deviation) -> None:
        if len(self._fresh) < FRESH_KEPT:
            self._fresh.append(deviation)
        record = self.records.setdefault(deviation.rule.id, Record())
        if len(record.deviations) < KEEP:
            record.deviations.append(deviation)
        else:
            record.more += 1
