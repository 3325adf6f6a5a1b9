"""What the observation point hands the checks: one JobRun, one listing, one settled run.

A check of meaning judges a subject, not a request it chose: the same check sees a JobRun from
GetJobRun, from GetJobRun with PredecessorsIncluded, from every item of every GetJobRuns page,
from every poll and every step of the state machine. Each subject carries what the model says of
its run (`glue_conformance.model`), so the check compares, and the call that showed it, so a
deviation names the operation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from glue_conformance.model import Fact, RunFacts
from glue_conformance.transport import Exchange


@dataclass(frozen=True)
class Observation:
    """One JobRun as one answer reported it."""

    run: dict[str, Any]  # the JobRun object (raw JSON)
    exchange: Exchange  # the answer it came in (a GetJobRun, or a GetJobRuns page)
    call: str  # e.g. "GetJobRun", "GetJobRuns MaxResults=1 page 2 item 1"
    job: str | None = None  # the JobName asked for
    asked_run: str | None = None  # the RunId asked for (None: a listing item)
    facts: RunFacts | None = None  # the model's record of the run, if the suite started it
    expected: tuple[Fact, ...] = ()  # what the model says the JobRun must hold
    # The latest earlier observation of the same run whose answer had arrived before this
    # one's request was sent (any operation): what the two-call relations compare with.
    before: Observation | None = None
    window_s: float = 900.0  # how far the server's clock may be from the client's (section 16)
    # The latest observation of the run started just before this one (of those the judge saw).
    previous_start: Observation | None = None

    @property
    def received_at(self) -> float:
        return self.exchange.received_at

    @property
    def sent_at(self) -> float:
        """The client's clock when the request went out (its last attempt)."""
        return self.exchange.received_at - self.exchange.elapsed_s

    def facts_from(self, *sources: str) -> list[Fact]:
        return [fact for fact in self.expected if fact.source in sources]


@dataclass(frozen=True)
class Listing:
    """Every page of one GetJobRuns listing, followed through NextToken to its end (or a bound)."""

    job: str
    max_results: int | None  # None: the target's default page size
    pages: tuple[Exchange, ...]
    complete: bool  # False: the pages were cut off at the bound (a token that never ended)
    call: str  # e.g. "GetJobRuns MaxResults=2"
    # The job's runs as the model knows them, newest first; None for a job the suite did not
    # create (read-only mode), whose runs are not known.
    expected_runs: tuple[str, ...] | None = None
    # A page's read got no usable answer (recorded under the rule it broke): the listing ended
    # there, not at a bound.
    broken: bool = False
    # Runs of `expected_runs` too new for this listing to be held to (started less than
    # checks.listing.LISTED_WITHIN_S before it, and never listed before): the observation
    # point sets it.
    young: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Settled:
    """A run the suite stopped waiting for: terminal, or the life-cycle budget spent."""

    run_id: str
    states: tuple[Any, ...]  # every JobRunState seen, in order (any operation)
    last: Observation | None
    budget_s: float
    known_states: frozenset[str]
    stop_accepted: bool = False  # BatchStopJobRun listed it in SuccessfulSubmissions
    stop_refused: str | None = None  # why BatchStopJobRun did not accept it, if it was sent
    watched_s: float = 0.0  # from the first observation of the run to the last (client clock)

    @property
    def cut_short(self) -> bool:
        """The budget ran out before the run itself was watched for the whole of it (other waits
        spent it): a run still going then is not judged, since no evidence bounds how long a
        Glue run may take (a deviation must be certain)."""
        return self.watched_s < self.budget_s


@dataclass(frozen=True)
class Sent:
    """A write the suite made with values the model allows (CreateJob, UpdateJob, StartJobRun),
    and how the target answered it: `error` is the error type, None when accepted. `exchange`
    is the refused call's request and answer, as the SDK client sent and received them, so its
    deviation shows and reproduces them as every other one does."""

    operation: str
    what: str  # the classes it carried, e.g. "JobName tab, Command pythonshell"
    error: str | None = None
    message: str = ""
    exchange: Exchange | None = None


@dataclass(frozen=True)
class StopAnswer:
    """One BatchStopJobRun the suite sent, with what each id it named was when it was sent:
    "running" (a run of the job, not seen ended), "ended" (seen in a terminal state), "unknown"
    (an id no StartJobRun answered) or "foreign" (a run of another job)."""

    job: str
    kinds: dict[str, str]  # run id named -> its kind, in the order named
    answer: dict[str, Any] | None  # the parsed answer (None: the call failed)
    refused: str | None = None  # why the call failed, if it did
    call: str = "BatchStopJobRun"

    def listed(self, key: str) -> list[str]:
        """The ids the answer lists under `key` ("SuccessfulSubmissions" or "Errors")."""
        items = (self.answer or {}).get(key)
        return [
            str(item.get("JobRunId"))
            for item in (items if isinstance(items, list) else [])
            if isinstance(item, dict)
        ]


@dataclass(frozen=True)
class LimitedStart:
    """One StartJobRun of a job with a known limit (issue 35): its MaxConcurrentRuns as the
    evidence reads it (1 when ExecutionProperty is absent; UpdateJob's value after an update),
    the run's and the job's JobRunQueuingEnabled, the states of every earlier run of the job
    right before the start was sent and right after it was answered (None: not seen), and the
    answer (`error` None: accepted, as run `run_id`). The checks judge only what these states
    settle: a run RUNNING at both reads held a slot when the start arrived; one already ended
    before it held none."""

    job: str
    case: str  # e.g. "MaxConcurrentRuns 2", "ExecutionProperty absent", "raised by UpdateJob"
    limit: int
    before: tuple[str | None, ...] = ()
    after: tuple[str | None, ...] = ()
    queuing: bool | None = None  # the run's JobRunQueuingEnabled (None: not sent)
    job_queuing: bool | None = None  # the job's (None: not set)
    error: str | None = None
    message: str = ""
    status: int = 200
    exchange: Exchange | None = None
    run_id: str | None = None
    extra: str = ""  # what else the start carried (ExecutionClass FLEX, MaxRetries 1)

    @property
    def held(self) -> int:
        """Runs RUNNING both before and after the start: RUNNING when it arrived."""
        return sum(1 for b, a in zip(self.before, self.after, strict=False) if b == a == "RUNNING")

    @property
    def going(self) -> int:
        """Runs that may have been going when it arrived: not seen ended before it was sent."""
        return sum(1 for b in self.before if b not in _ENDED)


_ENDED = frozenset({"SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR", "EXPIRED"})


@dataclass(frozen=True)
class QueuedRun:
    """A run started with JobRunQueuingEnabled beyond its job's limit, as the polls saw it
    until it ended or the wait was over: what lifecycle.queuing.observed records."""

    job: str
    run_id: str
    states: tuple[str, ...]  # every state its polls showed, in order (repeats folded)
    state_details: tuple[str, ...] = ()  # StateDetail texts shown while WAITING
    started_on_while_waiting: bool | None = None  # StartedOn on a WAITING view (None: none)
    waited_s: float | None = None  # first WAITING view to the first that was not (client clock)
