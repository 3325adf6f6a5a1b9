"""The model: what the suite started, and what AWS reports of it (the oracle).

Every job and run the suite creates is written down here, with the client's clock around each
call. From that the model says what a JobRun must hold (evidence sections 11-20, strict facts
only) and what it may hold where the evidence is weak ("any of these"), and which runs a job's
listing holds, newest first. It never guesses: a member the evidence leaves open is a `Fact`
that allows several values, or absence. Plain Python, no pytest, no I/O: the engine feeds it
from the calls it makes, the observation point (`glue_conformance.observe`) reads it.

Memory stays flat: the model holds what the suite created (a few dozen runs), not exchanges.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from glue_conformance.schemas.model import worker_dpu

# StartJobRun members that override the job's on the run (evidence section 11: model
# "overrides"; captures for Timeout, WorkerType and NumberOfWorkers).
OVERRIDABLE = ("Timeout", "WorkerType", "NumberOfWorkers", "MaxCapacity", "ExecutionClass")
# What a run reports of its job when StartJobRun set nothing (evidence section 11, two captures).
REFLECTED = ("GlueVersion", "Timeout", "WorkerType", "NumberOfWorkers")
# Command kinds whose Timeout default the evidence captures (section 12: a Glue 1.0 Python shell
# job, Spark runs); a streaming or Ray job's default is not known, so it is never judged.
TIMEOUT_DEFAULT_KINDS = ("glueetl", "pythonshell")
# Worker types whose capacity a capture shows (evidence section 24: G.1X x 10 and x 2, G.2X x 6):
# their AllocatedCapacity and MaxCapacity are judged; the other types' are recorded.
CAPACITY_CAPTURED = ("G.1X", "G.2X")
# States a run can only reach through a stop (evidence section 20).
STOP_STATES = frozenset({"STOPPING", "STOPPED"})


@dataclass(frozen=True)
class Fact:
    """One member of a JobRun as AWS would report it.

    `values`: what it may be when present (empty: any value); `absent`: whether it may be left
    out; `present`: False when it must be absent. `source` names whose concern it is (the rule
    that judges it): "job", "override", "timeout-default", "arguments", "attempt", "retry",
    "trigger", "identity".
    """

    member: str
    source: str
    values: tuple[Any, ...] = ()
    absent: bool = False
    present: bool = True

    def holds(self, run: dict[str, Any]) -> bool:
        if self.member not in run:
            return self.absent or not self.present
        if not self.present:
            return False
        return not self.values or any(_same(run[self.member], value) for value in self.values)

    def wanted(self) -> str:
        if not self.present:
            return "absent"
        shown = " or ".join(repr(v) for v in self.values) or "any value"
        return f"{shown}{' (or absent)' if self.absent else ''}"


def _same(found: Any, value: Any) -> bool:
    """JSON equality: 2 == 2.0, but True is not 1."""
    if isinstance(found, bool) or isinstance(value, bool):
        return isinstance(found, bool) and isinstance(value, bool) and found == value
    return bool(found == value)


@dataclass
class JobFacts:
    name: str
    settings: dict[str, Any]  # what CreateJob (or the last UpdateJob) gave: GlueVersion, ...
    # Every definition the job has had, oldest first (CreateJob's, then each UpdateJob's): a
    # run reports the one it was started under (section 11); which one a run started before
    # an update shows afterwards is not known, so it may show any later one too.
    versions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RunFacts:
    """A run the suite started, with the client's clock around its StartJobRun."""

    run_id: str
    job: str
    arguments: dict[str, str] | None  # exactly what StartJobRun was given (None: nothing)
    overrides: dict[str, Any]  # StartJobRun's Timeout, WorkerType, NumberOfWorkers
    retry_of: str | None  # StartJobRun's JobRunId (a manual retry), else None
    sent_at: float  # the client's clock when StartJobRun was sent
    answered_at: float  # ... and when its answer arrived
    order: int  # start order within the whole model
    job_defaults: dict[str, str] = field(default_factory=dict)  # the job's DefaultArguments
    job_version: int = 0  # the job's definition it was started under (JobFacts.versions)
    job_updated: bool = False  # UpdateJob changed its job after it started
    stop_sent_at: float | None = None  # BatchStopJobRun naming this run was sent
    stop_accepted: bool = False  # ... and listed it in SuccessfulSubmissions
    reused: bool = False  # an earlier StartJobRun had answered this id (lifecycle.run-id.fresh)


@dataclass
class Model:
    jobs: dict[str, JobFacts] = field(default_factory=dict)
    runs: dict[str, RunFacts] = field(default_factory=dict)  # run id -> facts
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # --- what the suite did --------------------------------------------------------------------

    def add_job(self, name: str, settings: dict[str, Any]) -> None:
        with self._lock:
            self.jobs[name] = JobFacts(name, dict(settings), [dict(settings)])

    def update_job(self, name: str, settings: dict[str, Any]) -> None:
        """UpdateJob replaces the whole definition (model: "The previous job definition is
        completely overwritten by this information"): what it was not given is unset."""
        with self._lock:
            job = self.jobs[name]
            job.settings = dict(settings)
            job.versions.append(dict(settings))
            for run in self.runs.values():
                if run.job == name:
                    run.job_updated = True

    def add_run(
        self,
        job: str,
        run_id: str,
        *,
        arguments: dict[str, str] | None,
        settings: dict[str, Any],
        sent_at: float,
        answered_at: float,
    ) -> RunFacts:
        """`settings`: every StartJobRun member besides JobName and Arguments."""
        with self._lock:
            facts = RunFacts(
                run_id=run_id,
                job=job,
                arguments=dict(arguments) if arguments is not None else None,
                overrides={k: settings[k] for k in OVERRIDABLE if k in settings},
                retry_of=settings.get("JobRunId"),
                sent_at=sent_at,
                answered_at=answered_at,
                order=len(self.runs),
                job_defaults={
                    **(self._settings(job).get("DefaultArguments") or {}),
                    **(self._settings(job).get("NonOverridableArguments") or {}),
                },
                job_version=len(self.jobs[job].versions) - 1 if job in self.jobs else 0,
                reused=run_id in self.runs,
            )
            self.runs[run_id] = facts
            return facts

    def stop_sent(
        self, run_ids: list[str], *, sent_at: float, accepted: set[str], job: str | None = None
    ) -> None:
        """A BatchStopJobRun named these runs (under `job`: another job's run it names is not
        a run that stop may end)."""
        with self._lock:
            for run_id in run_ids:
                facts = self.runs.get(run_id)
                if facts is None or (job is not None and facts.job != job):
                    continue
                if facts.stop_sent_at is None:
                    facts.stop_sent_at = sent_at
                facts.stop_accepted = facts.stop_accepted or run_id in accepted

    # --- what follows from it ------------------------------------------------------------------

    def _settings(self, job: str) -> dict[str, Any]:
        found = self.jobs.get(job)
        return found.settings if found is not None else {}

    def _versions(self, run: RunFacts) -> list[dict[str, Any]]:
        """The job's definitions a JobRun of `run` may report: the one it started under, and
        (observed, not judged: no evidence) any the job was given after it."""
        found = self.jobs.get(run.job)
        if found is None or not found.versions:
            return [{}]
        return found.versions[run.job_version :] or [found.settings]

    def _retried(self, run: RunFacts) -> list[RunFacts]:
        """The runs `run` retries, nearest first (JobRunId, then that run's JobRunId, ...)."""
        chain: list[RunFacts] = []
        seen = {run.run_id}
        previous = self.runs.get(run.retry_of) if run.retry_of is not None else None
        while previous is not None and previous.run_id not in seen:
            chain.append(previous)
            seen.add(previous.run_id)
            previous = self.runs.get(previous.retry_of) if previous.retry_of is not None else None
        return chain

    def facts(self, run_id: str) -> RunFacts | None:
        return self.runs.get(run_id)

    def owns(self, job: str) -> bool:
        return job in self.jobs

    def job_runs(self, job: str) -> list[str]:
        """The job's runs, newest first (every run of a job the suite created is the suite's)."""
        runs = [facts for facts in list(self.runs.values()) if facts.job == job]
        return [facts.run_id for facts in sorted(runs, key=lambda f: f.order, reverse=True)]

    def expected(self, run_id: str) -> tuple[Fact, ...]:
        """What a JobRun of this run must report (evidence sections 11-14, 18)."""
        run = self.runs.get(run_id)
        if run is None:
            return ()
        versions = self._versions(run)
        settings = versions[0]
        chain = self._retried(run)
        retried = chain[0] if chain else None
        facts: list[Fact] = [
            Fact("Id", "identity", (run.run_id,)),
            Fact("JobName", "identity", (run.job,)),
        ]
        # Section 11: the job's settings where the run set none; the run's where it did. A
        # manual retry is not a run "started with only JobName": what it takes over from the
        # run it retries is not known (section 14), so it may report the job's or whatever that
        # run may report (a retry of a retry that set nothing: what the run before it set).
        for member in REFLECTED:
            if member in run.overrides:
                facts.append(Fact(member, "override", (run.overrides[member],)))
            elif member in settings:
                values = [settings[member]]
                values += _taken_over(chain, member)
                later = [v.get(member) for v in versions[1:]]
                if any(value is None for value in later):  # a later definition unset it
                    continue  # (what a run then shows is not known: not judged)
                values += [value for value in later if value not in values]
                facts.append(Fact(member, "job", tuple(values)))
        # A run started before an UpdateJob of its job: which definition it then shows is not
        # known (section 11 covers a run and its job as started); recorded, never judged.
        if run.job_updated and len(versions) > 1:
            latest = versions[-1]
            for member in REFLECTED:
                if member not in run.overrides and member in latest:
                    facts.append(Fact(member, "job-after-update", (latest[member],), absent=True))
        # Capacity given as MaxCapacity (a Python shell job, a Glue 1.0 Spark job, or the run's
        # own): the model text makes it the run's DPU, one capture shows it (section 11, a
        # Python shell run): recorded, never judged.
        capacity = run.overrides.get("MaxCapacity", settings.get("MaxCapacity"))
        if capacity is not None and "WorkerType" not in {**settings, **run.overrides}:
            facts.append(Fact("MaxCapacity", "capacity", (capacity,), absent=True))
        # Section 24: capacity given as workers is NumberOfWorkers x the type's DPU (the model's
        # WorkerType text); one MaxCapacity fact per value the run may report (the definition it
        # started under, a later one, what a retry takes over). The check judges it against the
        # workers the run itself reports, among those the model allows.
        pairs = _worker_pairs(run, versions, chain)
        dpu = worker_dpu()
        if pairs and all(kind in dpu and isinstance(count, int) for kind, count in pairs):
            strict = all(kind in CAPACITY_CAPTURED for kind, _ in pairs)
            source = "capacity-workers" if strict else "capacity-workers-other"
            capacities = tuple(dict.fromkeys(count * dpu[kind] for kind, count in pairs))
            facts.append(Fact("MaxCapacity", source, capacities, absent=True))
        # Section 24: FLEX may be set on glueetl jobs of Glue 3.0 and later only (model text);
        # that the run reports it is not captured: recorded, never judged. Elsewhere, what the
        # target answered is recorded where the run was refused or not.
        flex = run.overrides.get("ExecutionClass", settings.get("ExecutionClass"))
        if flex == "FLEX":
            kind = (settings.get("Command") or {}).get("Name", "glueetl")
            version = settings.get("GlueVersion")
            allowed = kind == "glueetl" and isinstance(version, str) and _version(version) >= (3, 0)
            source = "execution-class" if allowed else "execution-class-elsewhere"
            facts.append(Fact("ExecutionClass", source, ("FLEX",), absent=True))
        # Section 12: a Glue <= 4.0 run with no Timeout anywhere reports 2880 (strict); 5.0 and
        # later may report 480 or 2880 (the model text changed; no capture): not judged.
        if "Timeout" not in run.overrides and "Timeout" not in settings and retried is None:
            version = settings.get("GlueVersion")
            kind = (settings.get("Command") or {}).get("Name", "glueetl")
            if (
                isinstance(version, str)
                and _version(version) <= (4, 0)
                and kind in TIMEOUT_DEFAULT_KINDS
                and len(versions) == 1
            ):
                facts.append(Fact("Timeout", "timeout-default", (2880,)))
            else:  # any value: recorded, never judged (section 23: the default text drifts)
                facts.append(Fact("Timeout", "timeout-default-later", absent=True))
        # Section 13: the run's own Arguments, exactly; none given: absent or {}.
        if run.arguments:
            facts.append(Fact("Arguments", "arguments", (run.arguments,)))
        elif taken := _taken_over(chain, "Arguments"):  # a retried run's, or none at all
            facts.append(Fact("Arguments", "arguments", ({}, *taken), absent=True))
        else:
            facts.append(Fact("Arguments", "arguments", ({},), absent=True))
        # Section 14: a first run is Attempt 0 with no PreviousRunId; a manual retry names the
        # run it retries (its Attempt is not known: observe only).
        if run.retry_of is None:
            facts.append(Fact("Attempt", "attempt", (0,), absent=True))
            facts.append(Fact("PreviousRunId", "attempt", present=False))
        else:
            facts.append(Fact("PreviousRunId", "retry", (run.retry_of,)))
        # Section 18: a run started by StartJobRun has no trigger and no predecessors.
        facts.append(Fact("TriggerName", "trigger", present=False))
        facts.append(Fact("PredecessorRuns", "trigger", ([],), absent=True))
        return tuple(facts)


def _worker_pairs(
    run: RunFacts, versions: list[dict[str, Any]], chain: list[RunFacts]
) -> list[tuple[Any, Any]]:
    """The (WorkerType, NumberOfWorkers) a run's capacity may come from: its own, else its
    job's under each definition it may report, and what a retry may take over; none where
    its capacity is MaxCapacity or a definition leaves the workers unset (not known). A job
    that gives MaxCapacity (a Python shell job's 0.0625) with workers given by the run is no
    capture's (section 24's are of workers alone): what that run reports is not known."""
    if "MaxCapacity" in run.overrides or _taken_over(chain, "MaxCapacity"):
        return []
    if any("MaxCapacity" in settings for settings in versions):
        return []
    pairs: list[tuple[Any, Any]] = []
    for settings in versions:
        kind = run.overrides.get("WorkerType", settings.get("WorkerType"))
        count = run.overrides.get("NumberOfWorkers", settings.get("NumberOfWorkers"))
        if kind is None or count is None:
            return []
        pairs.append((kind, count))
    kinds, counts = _taken_over(chain, "WorkerType"), _taken_over(chain, "NumberOfWorkers")
    if kinds or counts:
        pairs.append((kinds[0] if kinds else pairs[0][0], counts[0] if counts else pairs[0][1]))
    return list(dict.fromkeys(pairs))


def _taken_over(chain: list[RunFacts], member: str) -> list[Any]:
    """What a retry may take over of `member` along its chain of retried runs (nearest first):
    the first run that was given a value reports it; one given none may have reported what the
    run before it was given."""
    for retried in chain:
        if member == "Arguments":
            value: Any = retried.arguments or None
        else:
            value = retried.overrides.get(member)
        if value is not None:
            return [value]
    return []


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return (99,)
