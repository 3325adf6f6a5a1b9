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

from hypothesis import settings as hypothesis_settings

from glue_conformance.checks.response import TERMINAL
from glue_conformance.checks.subjects import Listing, StopAnswer
from glue_conformance.provision import STOP_BATCH, BillableRefused, Provisioner, Run

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
            left -= MACHINE_RESERVE
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
    ):
        for cls in classes:
            coverage.skipped(dimension, cls, reason)


def _sleep_until(moment: float) -> None:
    """`moment` on the wall clock (time.time(), as the model's)."""
    time.sleep(max(0.0, moment - time.time()))
