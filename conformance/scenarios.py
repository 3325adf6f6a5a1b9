"""The scenarios the engine owns: what to send to see JobRuns, and the campaign of runs.

`Reader` makes every read the suite does of a run (GetJobRun, with and without
PredecessorsIncluded; GetJobRuns, page after page to the end) over the suite's own transport and
hands every JobRun to the observation point (`glue_conformance.observe.Judge`). Nothing here
parses with an SDK, so no answer can crash a read: a broken one is recorded as the deviation of
the rule it breaks.

`Campaign` is the fixed scenario: jobs with known settings, runs started together (bare, with
overrides, with string-edged Arguments, a retry, defaults by Glue version, one to stop), each read
both ways, listed with several page sizes, polled together until they end, listed again. The test
files then judge what was recorded, rule by rule. Needs no pytest.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from glue_conformance.checks import response
from glue_conformance.checks.base import Deviation
from glue_conformance.checks.listing import next_token
from glue_conformance.checks.subjects import Listing
from glue_conformance.domain_jobs import DomainTour
from glue_conformance.domain_runs import Limits, Tour
from glue_conformance.observe import Judge
from glue_conformance.polling import MAX_POLLS, Backoff
from glue_conformance.provision import Closing, Provisioner, Run
from glue_conformance.rules import RULES
from glue_conformance.schemas.sizes import PAGE_MAX, page_bytes
from glue_conformance.transport import Exchange

Send = Callable[..., Exchange]
T = TypeVar("T")
R = TypeVar("R")
LIST_TARGET = "AWSGlue.GetJobRuns"
# Pages read of one listing of a job the suite did not create (read-only mode: its history is
# not known); a job of the suite's is read to as many pages as its history needs (`page_bound`).
LIST_PAGES = 30
TERMINAL_POLLS = 2  # polls after a terminal state: it must not change
# Reader.settle's pauses between listings of runs a listing left out as too new (doubling).
SETTLE_FIRST_PAUSE_S = 0.25
SETTLE_LONGEST_PAUSE_S = 2.0

# The runs with known settings (evidence sections 11-18).
JOB = {
    "GlueVersion": "4.0",
    "WorkerType": "G.1X",
    "NumberOfWorkers": 2,
    "Timeout": 15,
    "DefaultArguments": {"--job-default": "from-the-job", "--job-language": "python"},
}
OVERRIDES = {"Timeout": 30, "WorkerType": "G.2X", "NumberOfWorkers": 3}
OWN_ARGUMENTS = {"--run-own": "given-to-this-run"}
STOPPED_ARGUMENTS = {"--to-be-stopped": "yes"}  # a stopped run keeps them (section 13)
# Arguments whose values an emulator's second path may bend: a space, an accent, an emoji, a
# quote, a tab and a line break, an empty value, and a key the job's DefaultArguments also has.
EDGE_ARGUMENTS = {
    "--with space": "a value with  two spaces ",
    "--accent": "d\u00e9j\u00e0 vu \u00f1",
    "--emoji": "\U0001f680 launch",
    "--quote": 'it\'s "quoted"',
    "--tab-newline": "one\ttwo\nthree",
    "--empty": "",
    "--job-default": "the run's own value",
}


class ReadFailed(Exception):
    """A read got no usable answer (already recorded under its rule)."""


@dataclass
class Reader:
    send: Send
    judge: Judge
    at_once: int = 1  # reads in flight at once where none waits for another (--glue-concurrency)
    closing: threading.Event = field(default_factory=threading.Event)  # the run is ending
    on_listing: Callable[[Listing], None] | None = None  # told of every listing (coverage)
    _held: threading.local = field(default_factory=threading.local, repr=False)

    def _observe(self, what: str, *args: Any, **kwargs: Any) -> None:
        """To the judge, or, inside `each`, held until the reads before this one are judged."""
        held = getattr(self._held, "calls", None)
        if held is None:
            getattr(self.judge, what)(*args, **kwargs)
        else:
            held.append((what, args, kwargs))

    def each(self, read: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """`read` of every item, `at_once` at a time: reads of different runs and listings of
        different jobs wait for no other answer. What each read shows goes to the judge in the
        items' order, whenever its answer came, so a run's verdicts and their messages are
        those of a sequential run (the judge orders observations by when they were sent and
        answered, so overlapping reads are never taken as one after another)."""
        pending = list(items)
        if self.at_once <= 1 or len(pending) <= 1:
            return [read(item) for item in pending]

        def held(item: T) -> tuple[R, list[tuple[str, tuple[Any, ...], dict[str, Any]]]]:
            calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
            self._held.calls = calls
            try:
                return read(item), calls
            finally:
                self._held.calls = None

        workers = min(self.at_once, len(pending))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="glue-read") as pool:
            futures = [pool.submit(held, item) for item in pending]
        results: list[R] = []
        for future in futures:
            result, calls = future.result()  # (a skip or the run's end is raised here, in order)
            for what, args, kwargs in calls:
                getattr(self.judge, what)(*args, **kwargs)
            results.append(result)
        return results

    def get(self, job: str, run_id: str, *, predecessors: bool = False) -> Exchange | None:
        """GetJobRun of a run; its JobRun goes to the judge. None when no answer came."""
        body: dict[str, Any] = {"JobName": job, "RunId": run_id}
        call = "GetJobRun"
        if predecessors:
            body["PredecessorsIncluded"] = True
            call = "GetJobRun PredecessorsIncluded=true"
        exchange = self.request(body, call=f"{call} of {run_id}")
        if exchange is not None:
            self.take(exchange, job=job, run_id=run_id, call=call)
        return exchange

    def take(self, exchange: Exchange, *, job: str, run_id: str, call: str = "GetJobRun") -> None:
        """A GetJobRun answer of a run that exists, to the judge: its status, and its JobRun."""
        self._observe("answer", response.check_status_200, exchange, call=call)
        found = response.job_run(exchange)
        if exchange.status == 200 and found:
            self._observe("run", found, exchange, call=call, job=job, run_id=run_id)

    def listing(
        self,
        job: str,
        *,
        max_results: int | None = None,
        expected: tuple[str, ...] | None = None,
        max_pages: int | None = None,
    ) -> Listing:
        """Every page of GetJobRuns, through NextToken to its end (at most `max_pages`, else
        `page_bound`); each item and the whole listing go to the judge."""
        call = "GetJobRuns" + (f" MaxResults={max_results}" if max_results is not None else "")
        body: dict[str, Any] = {"JobName": job}
        if max_results is not None:
            body["MaxResults"] = max_results
        pages: list[Exchange] = []
        complete = broken = False
        while len(pages) < (max_pages if max_pages is not None else self.page_bound(job)):
            exchange = self.request(
                body,
                call=f"{call} page {len(pages) + 1}",
                target=LIST_TARGET,
                max_body_bytes=self._page_bytes(job, max_results),
            )
            if exchange is None or exchange.status != 200:
                if exchange is not None and expected is not None:
                    self._refused(exchange, call, len(pages) + 1)
                broken = True  # (recorded under the rule it broke: not a token that never ends)
                break
            pages.append(exchange)
            token = next_token(exchange)
            if token is None:
                complete = True
                break
            body = {**body, "NextToken": token}
        listing = Listing(
            job=job,
            max_results=max_results,
            pages=tuple(pages),
            complete=complete,
            call=call,
            expected_runs=expected,
            broken=broken,
        )
        self._observe("listing", listing)
        if self.on_listing is not None:
            self.on_listing(listing)
        return listing

    def settle(self, deadline: float) -> None:
        """List again each (job, MaxResults) whose latest listing left out runs too new to be
        held to it, until those runs are listed or old enough to be judged missing (a target
        whose listing lags, or never lists them), within the run's deadline (time.monotonic).
        Costs nothing where every run was listed."""
        model = self.judge.model
        pause = SETTLE_FIRST_PAUSE_S
        while (unlisted := self.judge.unlisted()) and time.monotonic() < deadline:
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(2 * pause, SETTLE_LONGEST_PAUSE_S)
            self.each(
                lambda key: self.listing(
                    key[0], max_results=key[1], expected=tuple(model.job_runs(key[0]))
                ),
                sorted(unlisted, key=str),
            )

    def page_bound(self, job: str) -> int:
        """The most pages a listing of `job` can need: a page may hold fewer runs than
        MaxResults (evidence section 17), down to one, so one page per run the job has and a
        last one; and as many again for pages that hold none (nothing in the model forbids an
        empty page with a NextToken). Counted as the pages are read, so a run started
        meanwhile counts too. A job the suite did not create has an unknown history:
        LIST_PAGES."""
        model = self.judge.model
        if not model.owns(job):
            return LIST_PAGES
        return 2 * (len(model.job_runs(job)) + 1)

    def _page_bytes(self, job: str, max_results: int | None) -> int | None:
        """How much of a page of `job` is read: a page holds no more runs than MaxResults and
        than the job has (a few more, for runs started meanwhile), each at its largest; a job
        the suite did not create, the operation's own bound (None)."""
        model = self.judge.model
        if not model.owns(job):
            return None
        return page_bytes(min(max_results or PAGE_MAX, len(model.job_runs(job)) + 2))

    def request(
        self,
        body: dict[str, Any],
        *,
        call: str,
        target: str | None = None,
        max_body_bytes: int | None = None,
    ) -> Exchange | None:
        """Send one read; an answer that never came is recorded as protocol.answers' deviation
        (and None returned), so one broken answer never ends a scenario."""
        if self.closing.is_set():
            raise Closing("the run is ending: nothing more is read")
        self._observe("count", "protocol.answers")
        try:
            if not target:
                return self.send(body)
            return self.send(body, target_header=target, max_body_bytes=max_body_bytes)
        except Deviation as deviation:  # no answer (a stall, a dropped connection)
            self._observe(
                "deviation",
                Deviation(
                    deviation.rule,
                    f"{call}: {deviation.observed}",
                    deviation.exchange,
                    deviation.ctx,
                    request=deviation.request,
                ),
            )
            return None

    def _refused(self, exchange: Exchange, call: str, page: int) -> None:
        """A listing of a job the suite created that is refused leaves its runs unlisted."""
        self._observe(
            "deviation",
            Deviation(
                RULES["lifecycle.runs-listed"],
                f"{call} page {page}: answered HTTP {exchange.status} "
                f"{exchange.body[:120].decode('utf-8', 'replace')!r}",
                exchange,
                self.judge.ctx,
            ),
        )


@dataclass
class Campaign:
    """The fixed scenario (see the module's docstring). `first` is the suite's first run (its
    job is `first.job_name`); the others are started here."""

    provisioner: Provisioner | None
    reader: Reader
    budget_s: float
    deadline: Callable[[], float]  # the run's one life-cycle deadline (time.monotonic)
    first: Run
    started: dict[str, Run] = field(default_factory=dict)  # label -> run
    jobs: dict[str, str] = field(default_factory=dict)  # purpose -> job name
    stop_refused: str | None = None
    stop_note: str | None = None  # why the stop was not judged, if it was not
    domain: DomainTour | None = None  # the tour of names, jobs and runs (domain_jobs)
    limits: Limits | None = None  # the concurrency limit and queuing (domain_runs.Limits)
    # Set once every run is started, read both ways and listed (or the campaign has failed):
    # from then on it only waits for its runs, which other work may overlap.
    started_and_read: threading.Event = field(default_factory=threading.Event)

    @property
    def judge(self) -> Judge:
        return self.reader.judge

    def run(self) -> Campaign:
        try:
            return self._run()
        finally:
            self.started_and_read.set()

    def _run(self) -> Campaign:
        if self.provisioner is None:
            return self._read_only()
        tour = Tour(self.provisioner, self.reader, wait_together)  # conformance/domain_runs.py
        tour.begin()
        self._start()
        runs = list(self.started.values())
        self.reader.each(lambda run: self.reader.get(run.job_name, run.run_id), runs)
        self.reader.each(
            lambda run: self.reader.get(run.job_name, run.run_id, predecessors=True), runs
        )
        self._list_all(sizes=(None, 1, 2))
        self.started_and_read.set()
        # The tour of names, jobs and runs (domain_jobs) goes beside the polls of these runs.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="glue-domain") as pool:
            touring = pool.submit(self._tour)
            self._poll(runs)
            ended_at = time.time()
            domain = touring.result()
        # (The tour's runs already seen ended need no more polls: the campaign's own runs are
        # the ones polled past their end.)
        self._poll(
            [r for r in domain.runs.values() if self.judge.state(r.run_id) not in response.TERMINAL]
        )
        self._list_all(sizes=(None, 3))
        domain.list_all()
        domain.settle(self.budget_s)
        for run in runs:
            self.judge.settled(
                run.run_id,
                budget_s=self.budget_s,
                refused=self.stop_refused if run is self.started["to-stop"] else None,
            )
        tour.finish(runs, ended_at=ended_at, deadline=self.deadline(), budget_s=self.budget_s)
        self.reader.settle(self.deadline())  # the runs a listing left out as too new, judged
        return self

    def _tour(self) -> DomainTour:
        assert self.provisioner is not None
        self.domain = DomainTour(self.provisioner, self.reader)
        self.domain.start().read()
        # The concurrency limit and queuing (issue 35), once the tour's own runs are started.
        self.limits = Limits(self.provisioner, self.reader, wait_together, self.deadline).run()
        return self.domain

    def _start(self) -> None:
        """Jobs first, then every run at once: no run waits for another to move."""
        p = self.provisioner
        assert p is not None
        meaning = p.create_job("meaning", max_concurrent_runs=10, **JOB)
        # The run to stop goes first and is stopped at once, while it is surely still going (a
        # fast target's runs live a fraction of a second), beside a sibling the stop must leave
        # alone (lifecycle.stop-only-named).
        self.started["bare"] = p.start(meaning)
        self.started["to-stop"] = p.start(meaning, arguments=STOPPED_ARGUMENTS)
        self._stop(self.started["to-stop"])
        defaults = p.create_job("defaults", max_concurrent_runs=2, GlueVersion="4.0")
        glue5 = p.create_job("glue5", max_concurrent_runs=2, GlueVersion="5.0")
        self.jobs = {"meaning": meaning, "defaults": defaults, "glue5": glue5}
        self.started["first"] = self.first
        self.started["overrides"] = p.start(meaning, arguments=OWN_ARGUMENTS, **OVERRIDES)
        self.started["edges"] = p.start(meaning, arguments=EDGE_ARGUMENTS, Timeout=45)
        self.started["defaults"] = p.start(defaults)
        self.started["glue5"] = p.start(glue5)
        self.started["retry"] = p.start(meaning, JobRunId=self.started["bare"].run_id)

    def _stop(self, run: Run) -> None:
        """BatchStopJobRun of one run while it is still going; its siblings are not named."""
        assert self.provisioner is not None
        accepted, refused = self.provisioner.stop(run.job_name, [run.run_id])
        if refused is None and run.run_id not in accepted:
            again = self.reader.get(run.job_name, run.run_id)
            state = self.judge.state(run.run_id) if again is not None else None
            if state in response.TERMINAL - {"STOPPED"}:
                self.stop_note = (
                    f"the run ended {state} before BatchStopJobRun reached it: a stop of a "
                    "finished run is refused on AWS too, so this target's stop is not judged"
                )
                return
            refused = "the run is not in SuccessfulSubmissions"
        self.stop_refused = refused

    def _list_all(self, *, sizes: tuple[int | None, ...]) -> None:
        model = self.judge.model
        wanted = [
            (job, size)
            for purpose, job in self.jobs.items()
            for size in (sizes if purpose == "meaning" else (None,))
        ]
        if model.owns(self.first.job_name):
            wanted.append((self.first.job_name, None))
        self.reader.each(
            lambda listed: self.reader.listing(
                listed[0], max_results=listed[1], expected=tuple(model.job_runs(listed[0]))
            ),
            wanted,
        )

    def _poll(self, runs: list[Run]) -> None:
        wait_together(self.reader, runs, self.deadline(), listing=True)

    def _read_only(self) -> Campaign:
        """--glue-run-id: the existing run through every read it may make, and its job's
        listing (its runs are not the suite's, so the listing's contents are not judged)."""
        run = self.first
        self.started["first"] = run
        for predecessors in (False, True, False):
            self.reader.get(run.job_name, run.run_id, predecessors=predecessors)
        self.reader.listing(run.job_name)
        self.reader.listing(run.job_name, max_results=1)
        return self


def wait_together(
    reader: Reader, runs: list[Run], deadline: float, *, listing: bool = False
) -> None:
    """Every run still going is polled in each round, until all have ended (and shown their end
    TERMINAL_POLLS times more) or `deadline` (time.monotonic) passes: the waits overlap, so they
    cost the longest run, not the sum of them. Every poll goes to the observation point.

    With `listing`, each round whose polls saw a run still going then lists the jobs of the
    suite's that those runs belong to, once the polls have answered: a listing's copy of a run
    must not be older than what a GetJobRun showed before it (`lifecycle.transitions`), and a
    run is seen through both operations while it moves, not only once it has ended."""
    judge = reader.judge
    known = set(response.job_run_states())
    ends = {run.run_id: 0 for run in runs}  # polls that showed a terminal state
    pace = Backoff()

    def done(run: Run) -> bool:
        state = judge.state(run.run_id)  # None: not seen yet; off the enum: never ends
        return ends[run.run_id] > TERMINAL_POLLS or (state is not None and state not in known)

    for round_ in range(MAX_POLLS):
        pending = [run for run in runs if not done(run)]
        going = [r for r in pending if judge.state(r.run_id) not in response.TERMINAL]
        if not pending or (going and round_ and time.monotonic() >= deadline):
            return  # (every run is seen at least once, even with the budget spent)
        time.sleep(pace.wait if going else 0.0)

        before = {run.run_id: judge.state(run.run_id) for run in pending}
        # A round's polls are of different runs: all at once, judged in order as they return.
        answers = reader.each(lambda run: reader.get(run.job_name, run.run_id), pending)
        moved = False
        for run, answer in zip(pending, answers, strict=True):
            if answer is None:
                ends[run.run_id] = TERMINAL_POLLS + 1  # no answer: stop polling it
                continue
            state = judge.state(run.run_id)
            moved = moved or state != before[run.run_id]
            if state in response.TERMINAL:
                ends[run.run_id] += 1
        if listing and going:
            _list_jobs(reader, {run.job_name for run in going})
        pace.saw(moved=moved)


def _list_jobs(reader: Reader, jobs: set[str]) -> None:
    """Every page of each job's listing (of the suite's own jobs), all jobs at once."""
    model = reader.judge.model
    owned = sorted(job for job in jobs if model.owns(job))
    reader.each(lambda job: reader.listing(job, expected=tuple(model.job_runs(job))), owned)
