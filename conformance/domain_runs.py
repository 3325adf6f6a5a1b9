"""The tour of histories, stops and the relations that need time or a second run (issue 26).

The campaign (`glue_conformance.scenarios.Campaign`) calls `Tour.begin` before it starts its own
runs and `Tour.finish` once they have ended. Deterministically, every run of the suite:

- **a history longer than a page**: one job with HISTORY runs started back to back (past a page
  of 100, the size an emulator's listing is likely to stop at), listed at MaxResults 200 and 17
  (the upper bound and a middle value: the campaign lists 1, 2 and 3) and at the default page
  size; an empty job listed too. The `glue-nightly` profile goes past 200 runs (emulators
  only) and also lists at 9, 50, 99, 100, 101, 150 and 199;
- **stops of every kind, 1 to 25 ids**: BatchStopJobRun mixing running runs of the job, ended
  ones, ids no run has and another job's running run, in batches of 6, 25 and 1. The
  observation point judges the answer (lifecycle.stop-answer) and every later view of each run
  (an ended run never changes; only the job's named runs stop);
- **relations between two calls**: runs started back to back and seconds apart (their StartedOn
  against the client's two calls: lifecycle.started-on.spacing), every StartJobRun's id new
  (lifecycle.run-id.fresh), and every ended run re-read seconds after it ended
  (lifecycle.ended-unchanged).

Against AWS the tour keeps within --glue-max-runs (its history shrinks to what the bound leaves;
what it then cannot visit is listed with that reason). What it visits, and what it could not,
goes to the coverage table (`glue_conformance.coverage`). Needs no pytest.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError
from hypothesis import settings as hypothesis_settings

from glue_conformance.awsjson import error_info
from glue_conformance.checks import lifecycle
from glue_conformance.checks.response import TERMINAL
from glue_conformance.checks.subjects import LimitedStart, Listing, QueuedRun, StopAnswer
from glue_conformance.polling import MAX_POLLS, Backoff
from glue_conformance.provision import STOP_BATCH, BillableRefused, Provisioner, Run
from glue_conformance.targets import refused_exchange

HISTORY = 101  # runs on one job: past a page of 100
HISTORY_NIGHTLY = 205  # past MaxResults' bound of 200 (glue-nightly, emulators only)
MIDWAY = 150  # a history that long is listed on its way past 200
# The history is listed at 200 before its stops, then at these sizes.
PAGE_SIZES: tuple[int | None, ...] = (17, None)
PAGE_SIZES_NIGHTLY: tuple[int | None, ...] = (9, 17, 50, 99, 100, 101, 150, 199, None)
MIN_GAP_S = 1.05  # runs "seconds apart": more than a second of timestamp granularity
REREAD_AFTER_S = 1.05  # an ended run is read again at least this long after it was seen ended
REREAD_AFTER_NIGHTLY_S = 5.0
CAMPAIGN_RUNS = 7  # what the campaign starts besides its first run (kept for it on AWS)
OWN_LATER_RUNS = 5  # what `finish` starts: the spaced run, three to stop, a foreign one
MACHINE_RESERVE = 4  # on AWS, left for the state machine's own runs
NIGHTLY_EXAMPLES = 1000  # the glue-nightly profile's budget (glue_conformance.profiles)

# The coverage table's dimensions (glue_conformance.coverage) this tour records.
MAX_RESULTS = "GetJobRuns MaxResults"
HISTORY_LENGTH = "GetJobRuns history length"
STOP_KINDS = "BatchStopJobRun ids"
STOP_SIZES = "BatchStopJobRun size"
SPACING = "StartJobRun spacing"
REREAD = "ended runs re-read"
LENGTH_CLASSES = ("0", "1-3", "4-100", "101-200", "201+")
KINDS = ("running", "ended", "unknown", "foreign")
SIZES = ("1", "2-24", "25")


def max_results_class(size: int | None) -> str:
    return "absent" if size is None else str(size)


def length_class(runs: int) -> str:
    if runs == 0:
        return "0"
    if runs <= 3:
        return "1-3"
    if runs <= 100:
        return "4-100"
    return "101-200" if runs <= 200 else "201+"


def size_class(ids: int) -> str:
    return "1" if ids == 1 else ("25" if ids >= STOP_BATCH else "2-24")


def nightly() -> bool:
    """The glue-nightly profile is loaded (the tour explores more under it)."""
    return hypothesis_settings().max_examples >= NIGHTLY_EXAMPLES


def unknown_id() -> str:
    """An id of the captured shape that no StartJobRun answered (section 14)."""
    return "jr_" + secrets.token_hex(32)


@dataclass
class Tour:
    provisioner: Provisioner
    reader: Any  # glue_conformance.scenarios.Reader (not imported: scenarios imports this)
    wait: Callable[..., None]  # glue_conformance.scenarios.wait_together
    deep: bool = field(default_factory=nightly)
    history: list[Run] = field(default_factory=list)
    jobs: dict[str, str] = field(default_factory=dict)  # purpose -> job name
    stopped: list[Run] = field(default_factory=list)  # runs of the history job a stop named
    others: list[Run] = field(default_factory=list)  # the spaced and the foreign run

    @property
    def coverage(self) -> Any:
        return self.provisioner.coverage

    @property
    def judge(self) -> Any:
        return self.reader.judge

    def declare(self) -> None:
        cov = self.coverage
        sizes = PAGE_SIZES_NIGHTLY if self.deep else PAGE_SIZES
        cov.declare(MAX_RESULTS, [max_results_class(s) for s in (None, 1, 2, 3, *sizes, 200)])
        cov.declare(HISTORY_LENGTH, LENGTH_CLASSES)
        cov.declare(STOP_KINDS, KINDS)
        cov.declare(STOP_SIZES, SIZES)
        cov.declare(SPACING, ("back to back", "seconds apart"))
        cov.declare(REREAD, ("seconds after the end",))
        if not self.deep:
            cov.skipped(HISTORY_LENGTH, "201+", "the glue-nightly profile only")

    # --- before the campaign's own runs ---------------------------------------------------------

    def begin(self) -> None:
        """The history job and its runs, started back to back; an empty job; the foreign job."""
        self.declare()
        self.reader.on_listing = self.listed
        p = self.provisioner
        wanted = HISTORY_NIGHTLY if self.deep and not p.target.aws else HISTORY
        if p.target.aws:
            left = p.max_runs - len(p.model.runs) - CAMPAIGN_RUNS - OWN_LATER_RUNS
            left -= MACHINE_RESERVE + LIMIT_RUNS
            if left < wanted:
                reason = f"the billable bound (--glue-max-runs {p.max_runs})"
                for cls in ("101-200", "201+"):
                    self.coverage.skipped(HISTORY_LENGTH, cls, reason)
            wanted = max(0, min(wanted, left))
        history = p.create_job("history", max_concurrent_runs=wanted + 10, GlueVersion="4.0")
        self.jobs["history"] = history
        self.jobs["empty"] = p.create_job("empty", GlueVersion="4.0")
        self.jobs["foreign"] = p.create_job("foreign", max_concurrent_runs=3, GlueVersion="4.0")
        self._start_history(history, wanted)

    def _start_history(self, history: str, wanted: int) -> None:
        for count in range(wanted):
            run = self._start(history, HISTORY_LENGTH, "101-200")
            if run is None:
                break
            self.history.append(run)
            if count + 1 == MIDWAY and wanted > 200:  # listed once while it is 101-200 long
                self.reader.listing(
                    history, max_results=200, expected=tuple(self.judge.model.job_runs(history))
                )
        if len(self.history) > 1:
            self.coverage.hit(SPACING, "back to back", len(self.history) - 1)

    def listed(self, listing: Listing) -> None:
        """Every listing a reader makes (the campaign's, the tour's, the state machine's)."""
        self.coverage.hit(MAX_RESULTS, max_results_class(listing.max_results))
        if listing.expected_runs is not None and listing.complete:
            self.coverage.hit(HISTORY_LENGTH, length_class(len(listing.expected_runs)))

    # --- once the campaign's runs have ended ----------------------------------------------------

    def finish(
        self, ended: list[Run], *, ended_at: float, deadline: float, budget_s: float
    ) -> None:
        model = self.judge.model
        history = self.jobs["history"]
        # The history is listed first, so the judge has seen its runs ended before the stop.
        old = self.history[: 2 + STOP_BATCH]
        self.reader.listing(history, max_results=200, expected=tuple(model.job_runs(history)))
        self.wait(self.reader, old[:3], deadline)  # (polled to their end, on any target)
        # A run started seconds after the one before it, here: the tours' last starts are the
        # oldest now, so the gap costs least (the later stops and listings see it going).
        spaced = self._spaced()
        # The runs to stop, stopped at once (a fast target's runs live a fraction of a second),
        # beside another job's run that a stop under this job names but must not end.
        to_stop = [r for r in (self._start(history, STOP_KINDS, "running") for _ in "abc") if r]
        foreign = self._start(self.jobs["foreign"], STOP_KINDS, "foreign")
        self.others = [r for r in (spaced, foreign) if r is not None]
        unknown = [unknown_id() for _ in range(STOP_BATCH)]
        ended_ids = [r.run_id for r in old[:2]]
        going = [r.run_id for r in to_stop]
        first = [*going[:1], *ended_ids[:1], unknown[0], *([foreign.run_id] if foreign else [])]
        first += going[1:2] + ended_ids[1:2]
        full = going[2:] + [r.run_id for r in old[3:]]
        full += unknown[1 : 1 + STOP_BATCH - len(full)]
        batches = [first, full[:STOP_BATCH]] + ([[old[2].run_id]] if len(old) > 2 else [])
        for ids in batches:
            self.stop(history, ids)
        self.stopped = to_stop
        watched = to_stop + self.others + old[:3]
        self.wait(self.reader, watched, deadline)
        # The long history, listed at every page size (its runs have ended by now, mostly).
        sizes = PAGE_SIZES_NIGHTLY if self.deep else PAGE_SIZES
        self.reader.each(
            lambda size: self.reader.listing(
                history,
                max_results=size,
                expected=tuple(model.job_runs(history)),
            ),
            list(sizes),
        )
        self.reader.listing(self.jobs["empty"], expected=())
        # Not beside the listings: a start while the history is paged shifts its pages (a run
        # listed twice), which only a target whose tokens survive inserts would hide.
        self._later(ended, ended_at)
        # A run to stop seen ended other than STOPPED may have ended before the stop reached
        # it (where AWS lists such a run is not known): its stop is not judged here (the
        # campaign's own stop of one run is, with that case told apart).
        judged = [r for r in to_stop if self.judge.state(r.run_id) not in TERMINAL - {"STOPPED"}]
        for run in judged + self.others:
            self.judge.settled(run.run_id, budget_s=budget_s)

    def _later(self, ended: list[Run], ended_at: float) -> None:
        """Every run of the campaign, read again seconds after it was seen ended (by now, on a
        fast target, those seconds have mostly passed in the stops and listings)."""
        reread = ended_at + (REREAD_AFTER_NIGHTLY_S if self.deep else REREAD_AFTER_S)
        _sleep_until(reread)
        again = [run for run in ended if self.judge.state(run.run_id) in TERMINAL]
        self.reader.each(lambda run: self.reader.get(run.job_name, run.run_id), again)
        if again:
            self.coverage.hit(REREAD, "seconds after the end", len(again))

    def _spaced(self) -> Run | None:
        """A run of the history job started seconds after the last run started before it (its
        StartedOn must show the gap), read once."""
        last = max((f.answered_at for f in self.judge.model.runs.values()), default=0.0)
        _sleep_until(last + MIN_GAP_S)
        spaced = self._start(self.jobs["history"], SPACING, "seconds apart")
        if spaced is not None:
            self.coverage.hit(SPACING, "seconds apart")
            self.reader.get(spaced.job_name, spaced.run_id)
        return spaced

    def _start(self, job: str, dimension: str, cls: str) -> Run | None:
        """A run of `job`, or None when the billable bound leaves none (said in the table)."""
        try:
            return self.provisioner.start(job)
        except BillableRefused:
            bound = f"the billable bound (--glue-max-runs {self.provisioner.max_runs})"
            self.coverage.skipped(dimension, cls, bound)
            return None

    def stop(self, job: str, ids: list[str]) -> None:
        """One BatchStopJobRun, with what each id is, to the observation point."""
        kinds = kinds_of(self.judge, job, ids)
        answer, refused = self.provisioner.stop_batch(job, ids)
        call = f"BatchStopJobRun of {len(ids)} ids"
        self.judge.stop(StopAnswer(job, kinds, answer, refused, call=call))
        if refused is not None:
            reason = f"the target refused BatchStopJobRun ({refused.split(':')[0]})"
            for kind in set(kinds.values()):
                self.coverage.skipped(STOP_KINDS, kind, reason)
            self.coverage.skipped(STOP_SIZES, size_class(len(ids)), reason)
            return
        for kind in kinds.values():
            self.coverage.hit(STOP_KINDS, kind)
        self.coverage.hit(STOP_SIZES, size_class(len(ids)))


def kinds_of(judge: Any, job: str, ids: list[str]) -> dict[str, str]:
    """What each id a stop under `job` names is, as the judge has seen it (`StopAnswer.kinds`)."""
    kinds: dict[str, str] = {}
    for run_id in ids:
        facts = judge.model.facts(run_id)
        if facts is None:
            kinds[run_id] = "unknown"
        elif facts.job != job:
            kinds[run_id] = "foreign"
        else:
            kinds[run_id] = "ended" if judge.state(run_id) in TERMINAL else "running"
    return kinds


def read_only(coverage: Any) -> None:
    """--glue-run-id: the tour creates nothing, so each of its classes is listed with why."""
    reason = "read-only mode (--glue-run-id): the suite creates no job and starts no run"
    for dimension, classes in (
        (MAX_RESULTS, ("2", "3", *(str(s) for s in PAGE_SIZES if s is not None))),
        (HISTORY_LENGTH, LENGTH_CLASSES),
        (STOP_KINDS, KINDS),
        (STOP_SIZES, SIZES),
        (SPACING, ("back to back", "seconds apart")),
        (REREAD, ("seconds after the end",)),
        (LIMITS, LIMIT_CLASSES),
        (QUEUING, QUEUING_CLASSES),
    ):
        for cls in classes:
            coverage.skipped(dimension, cls, reason)


def _sleep_until(moment: float) -> None:
    """`moment` on the wall clock (time.time(), as the model's)."""
    time.sleep(max(0.0, moment - time.time()))


# --- issue 35: the concurrency limit and job run queuing (evidence 24) -----------------------
LIMITS = "MaxConcurrentRuns"
LIMIT_CLASSES = ("1", "2", "absent (default 1)", "raised by UpdateJob", "freed by an end")
QUEUING = "JobRunQueuingEnabled"
QUEUING_CLASSES = (
    "off (refused)",
    "on the run, job false (run wins)",
    "on the run and the job",
    "on the job only",
    "off on the run, on the job",
    "with MaxRetries 1",
    "with ExecutionClass FLEX",
)
LIMIT_RUNS = 13  # the most runs `Limits` starts (a refused start starts none)
HOLD_POLLS = 40  # polls of the runs holding a limit, waiting for them to be RUNNING


@dataclass
class Limits:
    """Jobs with MaxConcurrentRuns 1, 2 and none: their runs are held RUNNING, one start more
    is sent (lifecycle.concurrency.limit judges it where the runs' states, as last polled
    before it and as GetJobRuns lists them right after it, settle what held a slot: a run
    RUNNING at both was RUNNING when it arrived), then one with queuing on the
    run (lifecycle.queuing.accepted; the queued run is watched to its end:
    lifecycle.queuing.observed), then, once the runs ended or UpdateJob raised the limit, one
    that must be accepted. A refused start costs nothing; every accepted one is a run the
    suite may start, within --glue-max-runs (a class the bound leaves out is listed with that
    reason), and every wait ends at the run's life-cycle deadline."""

    provisioner: Provisioner
    reader: Any  # glue_conformance.scenarios.Reader
    wait: Callable[..., None]  # glue_conformance.scenarios.wait_together
    deadline: Callable[[], float]
    runs: list[Run] = field(default_factory=list)

    @property
    def judge(self) -> Any:
        return self.reader.judge

    @property
    def coverage(self) -> Any:
        return self.provisioner.coverage

    def run(self) -> Limits:
        self.coverage.declare(LIMITS, LIMIT_CLASSES)
        self.coverage.declare(QUEUING, QUEUING_CLASSES)
        try:
            # (queuing on the job and the run first: a target that ignores queuing shows it
            # there, where the job's value cannot be what refused it)
            for case in (self._queued_job, self._one, self._two, self._absent):
                try:
                    case()
                except ClientError as error:  # (a CreateJob refused: the case is not visited)
                    why = f"the target refused {error.operation_name}"
                    for dimension, classes in ((LIMITS, LIMIT_CLASSES), (QUEUING, QUEUING_CLASSES)):
                        for cls in classes:
                            self.coverage.skipped(dimension, cls, why)
        finally:
            self.wait(self.reader, self.runs, self.deadline())  # every run to its end
        return self

    # --- the cases -------------------------------------------------------------------------

    def _one(self) -> None:
        """MaxConcurrentRuns 1, queuing false on the job: refused; queued with the run's true
        (the run's value wins); once both ended, accepted."""
        job = self._job("limit-1", 1, JobRunQueuingEnabled=False)
        holders = self._hold(job, 1, LIMITS, "1")
        if holders is None:  # (a target whose runs end at once: the queued start is only
            # observed, and the end frees the slot)
            holders = [r for r in self.runs if r.job_name == job]
            if not holders or any(self.judge.state(r.run_id) not in TERMINAL for r in holders):
                return
        else:
            self._try(
                job, "MaxConcurrentRuns 1", 1, holders, (LIMITS, "1"), (QUEUING, "off (refused)")
            )
        queued = self._try(
            job,
            "MaxConcurrentRuns 1",
            1,
            holders,
            (QUEUING, "on the run, job false (run wins)"),
            queuing=True,
            job_queuing=False,
        )
        watched = ([queued] if queued is not None else []) + holders  # (seen WAITING first)
        self._watch(job, watched, queued)
        if not all(self.judge.state(r.run_id) in TERMINAL for r in watched):
            self.coverage.skipped(LIMITS, "freed by an end", "the runs did not end in time")
            return
        self._try(
            job, "MaxConcurrentRuns 1, its runs ended", 1, watched, (LIMITS, "freed by an end")
        )

    def _two(self) -> None:
        """MaxConcurrentRuns 2: refused at two RUNNING; UpdateJob to 3: the next one accepted."""
        job = self._job("limit-2", 2)
        holders = self._hold(job, 2, LIMITS, "2")
        if holders is None:
            return
        self._try(job, "MaxConcurrentRuns 2", 2, holders, (LIMITS, "2"))
        try:
            self.provisioner.update_job(job, max_concurrent_runs=3, GlueVersion="4.0")
        except Exception as error:  # (moto has no UpdateJob: an HTML 500)
            why = f"the target refused UpdateJob ({type(error).__name__})"
            self.coverage.skipped(LIMITS, "raised by UpdateJob", why)
            return
        self._try(
            job,
            "MaxConcurrentRuns raised by UpdateJob from 2 to 3",
            3,
            holders,
            (LIMITS, "raised by UpdateJob"),
        )

    def _absent(self) -> None:
        job = self._job("limit-absent", None)
        holders = self._hold(job, 1, LIMITS, "absent (default 1)")
        if holders is not None:
            self._try(job, "ExecutionProperty absent", 1, holders, (LIMITS, "absent (default 1)"))

    def _queued_job(self) -> None:
        """Queuing on the job and the run (judged); on the job only, off on the run, beside
        MaxRetries or FLEX (what the target answers is recorded: no evidence settles them)."""
        job = self._job("queuing", 1, JobRunQueuingEnabled=True)
        holders = self._hold(job, 1, QUEUING, "on the run and the job")
        if holders is None:
            return
        case = "MaxConcurrentRuns 1, queuing on the job"
        self._try(
            job,
            case,
            1,
            holders,
            (QUEUING, "on the run and the job"),
            queuing=True,
            job_queuing=True,
        )
        self._try(
            job, case, 1, holders, (QUEUING, "on the job only"), job_queuing=True, observe=True
        )
        self._try(
            job,
            case,
            1,
            holders,
            (QUEUING, "off on the run, on the job"),
            queuing=False,
            job_queuing=True,
            observe=True,
        )
        retries = self._job("queuing-retries", 1, MaxRetries=1)
        held = self._hold(retries, 1, QUEUING, "with MaxRetries 1")
        if held is None:
            return
        case = "MaxConcurrentRuns 1, MaxRetries 1"
        self._try(
            retries,
            case,
            1,
            held,
            (QUEUING, "with MaxRetries 1"),
            queuing=True,
            extra="MaxRetries 1",
            observe=True,
        )
        self._try(
            retries,
            case,
            1,
            held,
            (QUEUING, "with ExecutionClass FLEX"),
            queuing=True,
            extra="ExecutionClass FLEX",
            observe=True,
            ExecutionClass="FLEX",
        )

    # --- the parts -------------------------------------------------------------------------

    def _job(self, purpose: str, limit: int | None, **settings: Any) -> str:
        return self.provisioner.create_job(
            purpose, max_concurrent_runs=limit, GlueVersion="4.0", **settings
        )

    def _start(self, job: str, dimension: str, cls: str, **settings: Any) -> Run | None:
        try:
            run = self.provisioner.start(job, **settings)
        except BillableRefused:
            bound = f"the billable bound (--glue-max-runs {self.provisioner.max_runs})"
            self.coverage.skipped(dimension, cls, bound)
            return None
        self.runs.append(run)
        return run

    def _hold(self, job: str, count: int, dimension: str, cls: str) -> list[Run] | None:
        """`count` runs of `job`, polled until each is RUNNING (None: the bound left too few,
        or they were not all RUNNING together: nothing about the limit is clear then)."""
        holders = [r for r in (self._start(job, dimension, cls) for _ in range(count)) if r]
        if len(holders) < count:
            return None
        pace = Backoff()
        for _ in range(HOLD_POLLS):
            waiting = [r for r in holders if self.judge.state(r.run_id) != "RUNNING"]
            if not waiting or time.monotonic() >= self.deadline():
                break
            if any(self.judge.state(r.run_id) in TERMINAL for r in holders):
                break
            time.sleep(pace.wait)
            before = [self.judge.state(r.run_id) for r in waiting]
            self.reader.each(lambda r: self.reader.get(r.job_name, r.run_id), waiting)
            pace.saw(moved=before != [self.judge.state(r.run_id) for r in waiting])
        if all(self.judge.state(r.run_id) == "RUNNING" for r in holders):
            return holders
        self.coverage.skipped(dimension, cls, "its runs were never RUNNING together")
        return None

    def _states(self, job: str, runs: list[Run]) -> tuple[str | None, ...]:
        """The runs' states as one GetJobRuns listing shows them (on the reference endpoint a
        listing moves no run on, where a poll does)."""
        listing = self.reader.listing(job, expected=tuple(self.judge.model.job_runs(job)))
        listed: dict[str, Any] = {}
        for page in listing.pages:
            body = page.json
            for item in (body.get("JobRuns") if isinstance(body, dict) else None) or []:
                if isinstance(item, dict):
                    listed[str(item.get("Id"))] = item.get("JobRunState")
        return tuple(
            listed.get(r.run_id) if isinstance(listed.get(r.run_id), str) else None for r in runs
        )

    def _try(
        self,
        job: str,
        case: str,
        limit: int,
        holders: list[Run],
        *classes: tuple[str, str],
        queuing: bool | None = None,
        job_queuing: bool | None = None,
        extra: str = "",
        observe: bool = False,
        **settings: Any,
    ) -> Run | None:
        """One start more, judged (or, `observe`, only recorded) with the holders' states
        right before and after it. The run it started, if any."""
        if queuing is not None:
            settings["JobRunQueuingEnabled"] = queuing
        if not self.provisioner.can_start():
            for dimension, cls in classes:
                bound = f"the billable bound (--glue-max-runs {self.provisioner.max_runs})"
                self.coverage.skipped(dimension, cls, bound)
            return None
        # Before: the latest state each holder showed (states only move on, so one RUNNING
        # then and after the start was RUNNING when it arrived); a listing now would move a
        # run on where a listing winds the target's clock (moto).
        before = tuple(self.judge.state(r.run_id) for r in holders)
        run: Run | None = None
        error: Exception | None = None
        try:
            run = self.provisioner.start(job, **settings)
            self.runs.append(run)
        except ClientError as refused:
            error = refused
        after = self._states(job, holders)
        info = error.response.get("Error", {}) if isinstance(error, ClientError) else {}
        meta = error.response.get("ResponseMetadata", {}) if isinstance(error, ClientError) else {}
        exchange = refused_exchange(error) if error is not None else None
        # The error type as the smithy rules resolve it from the raw answer (a header, `code`
        # or `__type`: evidence 3), not as the SDK's parser guessed it.
        resolved = error_info(exchange).type if exchange is not None else None
        subject = LimitedStart(
            job=job,
            case=case,
            limit=limit,
            before=before,
            after=after,
            queuing=queuing,
            job_queuing=job_queuing,
            error=(resolved or str(info.get("Code") or "ClientError")) if error else None,
            message=str(info.get("Message") or ""),
            status=int(meta.get("HTTPStatusCode") or 0) if error is not None else 200,
            exchange=exchange,
            run_id=run.run_id if run is not None else None,
            extra=extra,
        )
        call = f"StartJobRun of {job} ({case})"
        if observe:
            self.reader._observe("observed", lifecycle.observe_queuing, subject)
        elif queuing:  # judged beyond the limit only (below it, any start is accepted)
            if sum(state == "RUNNING" for state in before) >= limit:
                self.reader._observe("answer", lifecycle.check_queuing_accepted, subject, call=call)
            self.reader._observe("observed", lifecycle.observe_queuing, subject)
        else:
            self.reader._observe("answer", lifecycle.check_concurrency_limit, subject, call=call)
        self.reader._observe("observed", lifecycle.observe_concurrency_message, subject)
        for dimension, cls in classes:
            self.coverage.hit(dimension, cls)
        return run

    def _watch(self, job: str, runs: list[Run], queued: Run | None) -> None:
        """Every run polled together to its end (or the deadline); the queued one's views are
        kept: its states, StateDetail, StartedOn while WAITING, how long it waited."""
        states: list[str] = []
        details: list[str] = []
        started_on: bool | None = None
        first_waiting: float | None = None
        waited: float | None = None
        pace = Backoff()
        for _ in range(MAX_POLLS):
            going = [r for r in runs if self.judge.state(r.run_id) not in TERMINAL]
            if not going or time.monotonic() >= self.deadline():
                break
            time.sleep(pace.wait)
            answers = self.reader.each(lambda r: self.reader.get(r.job_name, r.run_id), going)
            moved = False
            for run, answer in zip(going, answers, strict=True):
                if run is not queued or answer is None:
                    continue
                body = answer.json
                view = body.get("JobRun") if isinstance(body, dict) else None
                if not isinstance(view, dict):
                    continue
                state = str(view.get("JobRunState"))
                if not states or states[-1] != state:
                    states.append(state)
                    moved = True
                if state == "WAITING":
                    first_waiting = first_waiting or answer.received_at
                    started_on = "StartedOn" in view
                    if isinstance(view.get("StateDetail"), str):
                        details.append(view["StateDetail"])
                elif first_waiting is not None and waited is None:
                    waited = answer.received_at - first_waiting
            pace.saw(moved=moved or len(going) > 1)
        if queued is not None and states:
            subject = QueuedRun(
                job, queued.run_id, tuple(states), tuple(details), started_on, waited
            )
            self.reader._observe("observed", lifecycle.observe_queuing, subject)
