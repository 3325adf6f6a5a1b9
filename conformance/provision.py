"""Creating what the checks need through the target's own API, and removing exactly that.

The cleanup list is this object's own record of what it created, never a listing of the account:
against a real account the suite must not touch anything it did not make. Names carry a
recognisable prefix and the run's token so a human can tell them apart too.
"""

from __future__ import annotations

import atexit
import secrets
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from glue_conformance.coverage import Coverage
from glue_conformance.model import Model
from glue_conformance.schemas.sizes import page_bytes
from glue_conformance.targets import Target
from glue_conformance.transport import Transport

PREFIX = "glue-conformance-"
PLACEHOLDER_ROLE = "arn:aws:iam::123456789012:role/glue-conformance-placeholder"
SCRIPT = "s3://glue-conformance-placeholder/x.py"  # no such object: a run fails early
DESCRIPTION = "Created by glue-conformance; deleted at the end of its run."
ACTIVE = frozenset({"STARTING", "RUNNING", "WAITING", "STOPPING"})
STOP_BATCH = 25  # BatchStopJobRunRequest.JobRunIds: 1-25 items (evidence section 20)
CLEANUP_PAGES = 50  # a GetJobRuns whose NextToken never ends is read this far at cleanup
CLEANUP_AT_ONCE = 4  # jobs cleaned up at once


class BillableRefused(Exception):
    """StartJobRun against AWS without --glue-allow-billable, or past --glue-max-runs."""


class Closing(Exception):
    """The run is ending (Ctrl-C, SIGTERM, its end): a scenario still going creates and reads
    nothing more, so the cleanup deletes everything it made."""


@dataclass(frozen=True)
class Run:
    job_name: str
    run_id: str
    arguments: dict[str, str] | None  # None when the run was not started by the suite
    # The client's clock when StartJobRun was sent (None: a run the suite did not start)
    started_after: float | None = None


@dataclass
class Provisioner:
    target: Target
    role: str = PLACEHOLDER_ROLE
    allow_billable: bool = False
    max_runs: int = 20  # on AWS: the most runs this provisioner starts (each is billed)
    token: str = field(default_factory=lambda: secrets.token_hex(4))
    created_jobs: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    # What was created, for the observation point (the oracle); and a raw transport for the
    # cleanup's reads, which must survive any answer (an SDK parse of garbage raises).
    model: Model = field(default_factory=Model)
    transport: Transport | None = None
    # What the run exercised of the request domain (shared with the engine's results).
    coverage: Coverage = field(default_factory=Coverage)
    started: dict[str, list[str]] = field(default_factory=dict)  # job -> run ids started
    # --glue-keep-resources: the cleanup stops what may still run (on AWS) but deletes no job;
    # the jobs it left are `kept`, for a reproduction to find them.
    keep: bool = False
    kept: list[str] = field(default_factory=list)
    deleted: set[str] = field(default_factory=set)  # jobs `delete_job` deleted before the cleanup
    closing: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._client: Any = None
        self._stop_client: Any = None
        atexit.register(self._cleanup_at_exit)  # also on Ctrl-C and interpreter exit

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self.target.client()
        return self._client

    def name(self, purpose: str) -> str:
        return f"{PREFIX}{self.token}-{purpose}"

    def create_job(
        self, purpose: str, *, max_concurrent_runs: int | None = 1, **settings: Any
    ) -> str:
        """The name goes on the record before the call: an interrupt (Ctrl-C, a timeout) while
        CreateJob is in flight must not leave a job nobody deletes. A refusal takes it off again,
        so a name that somehow already exists is never deleted as ours. `max_concurrent_runs`
        None sends no ExecutionProperty (the model's default limit, 1, then holds)."""
        name = self.name(purpose)
        self._still_open()
        with self._lock:
            self.created_jobs.append(name)
        command = settings.pop("Command", None) or {"Name": "glueetl"}
        try:
            if max_concurrent_runs is not None:
                settings["ExecutionProperty"] = {"MaxConcurrentRuns": max_concurrent_runs}
            self.client.create_job(
                Name=name,
                Role=self.role,
                Command={"ScriptLocation": SCRIPT, **command},
                Description=DESCRIPTION,
                Tags={"created-by": "glue-conformance"},
                **settings,
            )
        except ClientError:
            self._forget(name)
            raise
        settings.pop("ExecutionProperty", None)
        self.model.add_job(name, {**settings, "Command": command})
        return name

    def update_job(self, name: str, *, max_concurrent_runs: int = 1, **settings: Any) -> None:
        """UpdateJob of a job this provisioner created: the whole definition is replaced (the
        model learns it only once the target accepted it). UpdateJob is sent once, with the
        role and command it needs; it is free on AWS (docs/safety.md)."""
        if name not in self.created_jobs:
            raise PermissionError(f"refusing to update {name!r}: not created here")
        self._still_open()
        command = settings.pop("Command", None) or {"Name": "glueetl"}
        self.stop_client.update_job(
            JobName=name,
            JobUpdate={
                "ExecutionProperty": {"MaxConcurrentRuns": max_concurrent_runs},
                "Role": self.role,
                "Command": {"ScriptLocation": SCRIPT, **command},
                "Description": DESCRIPTION,
                **settings,
            },
        )
        self.model.update_job(name, {**settings, "Command": command})

    def start_run(self, job_name: str, **extra_arguments: str) -> Run:
        arguments = {"--glue-conformance-token": self.token, "--day": "monday", **extra_arguments}
        return self.start(job_name, arguments=arguments)

    def start(
        self, job_name: str, *, arguments: dict[str, str] | None = None, **settings: Any
    ) -> Run:
        """StartJobRun of a job this provisioner created, with exactly these Arguments (None:
        none at all) and run settings (Timeout, WorkerType, JobRunId, ...)."""
        if self.target.aws and not self.allow_billable:
            raise BillableRefused(
                "StartJobRun on AWS is billable: pass --glue-allow-billable to run response and "
                "life-cycle checks; validation, not-found and protocol checks need no run"
            )
        if job_name not in self.created_jobs:
            raise PermissionError(f"refusing to start a run of {job_name!r}: not created here")
        if not self.can_start():
            raise BillableRefused(
                f"{self.max_runs} runs started on AWS, the most --glue-max-runs allows"
            )
        self._still_open()
        given = dict(settings)
        if arguments is not None:
            settings["Arguments"] = arguments
        sent_at = time.time()
        answer = self.client.start_job_run(JobName=job_name, **settings)
        answered_at = time.time()
        run_id = answer.get("JobRunId") if isinstance(answer, dict) else None
        if not isinstance(run_id, str) or not run_id:
            raise ValueError(f"StartJobRun answered no JobRunId: {answer!r:.200}")
        with self._lock:
            self.started.setdefault(job_name, []).append(run_id)
        self.model.add_run(
            job_name,
            run_id,
            arguments=arguments,
            settings=given,
            sent_at=sent_at,
            answered_at=answered_at,
        )
        return Run(job_name, run_id, arguments, sent_at)

    def delete_job(self, name: str) -> None:
        """DeleteJob of a job this provisioner created, before the cleanup (what a deleted job
        and its runs answer is observed). It stays on the record: the cleanup still stops what
        a later StartJobRun of it may have started, and its DeleteJob of a deleted job is a
        success (evidence section 24)."""
        if name not in self.created_jobs:
            raise PermissionError(f"refusing to delete {name!r}: not created here")
        self._still_open()
        self.stop_client.delete_job(JobName=name)
        self.deleted.add(name)

    def can_start(self) -> bool:
        """Against AWS every run is billed: at most --glue-max-runs of them (emulators: any)."""
        return not self.target.aws or len(self.model.runs) < self.max_runs

    def stop(self, job_name: str, run_ids: list[str]) -> tuple[set[str], str | None]:
        """BatchStopJobRun of runs this provisioner started: (the ids accepted, why the call
        failed if it did). The model hears of the stop before it is sent, so an observation
        made while it is on its way is not taken for an unasked stop."""
        if job_name not in self.created_jobs:
            raise PermissionError(f"refusing to stop runs of {job_name!r}: not created here")
        sent_at = time.time()
        self.model.stop_sent(run_ids, sent_at=sent_at, accepted=set(), job=job_name)
        try:
            answer = self.stop_client.batch_stop_job_run(JobName=job_name, JobRunIds=run_ids)
        except Exception as error:  # (a refusal, or an answer the SDK cannot parse)
            return set(), f"{type(error).__name__}: {error}"[:300]
        done = answer.get("SuccessfulSubmissions") if isinstance(answer, dict) else None
        accepted = {
            str(item.get("JobRunId"))
            for item in (done if isinstance(done, list) else [])
            if isinstance(item, dict)
        }
        self.model.stop_sent(run_ids, sent_at=sent_at, accepted=accepted, job=job_name)
        return accepted, None

    def stop_batch(self, job_name: str, run_ids: list[str]) -> tuple[Any, str | None]:
        """BatchStopJobRun under a job this provisioner created, naming any ids (its own runs,
        another job's, unknown ones): (the parsed answer, why the call failed if it did). Only
        the named runs of `job_name` are stops the model expects to take effect."""
        if job_name not in self.created_jobs:
            raise PermissionError(f"refusing to stop runs of {job_name!r}: not created here")
        sent_at = time.time()
        self.model.stop_sent(run_ids, sent_at=sent_at, accepted=set(), job=job_name)
        try:
            answer = self.stop_client.batch_stop_job_run(JobName=job_name, JobRunIds=run_ids)
        except Exception as error:  # (a refusal, or an answer the SDK cannot parse)
            return None, f"{type(error).__name__}: {error}"[:300]
        done = answer.get("SuccessfulSubmissions") if isinstance(answer, dict) else None
        accepted = {
            str(item.get("JobRunId"))
            for item in (done if isinstance(done, list) else [])
            if isinstance(item, dict)
        }
        self.model.stop_sent(run_ids, sent_at=sent_at, accepted=accepted, job=job_name)
        return answer, None

    @property
    def stop_client(self) -> Any:
        """BatchStopJobRun is sent once: a retried stop could stop what the first one did not."""
        if self._stop_client is None:
            self._stop_client = self.target.client(max_attempts=1)
        return self._stop_client

    def _still_open(self) -> None:
        if self.closing.is_set():
            raise Closing("the run is ending: nothing more is created")

    def cleanup(self) -> list[str]:
        """Stop and delete what this provisioner created; returns what is left behind (with
        `keep`, the jobs stay, named in `kept`; their runs are stopped all the same; a job
        `delete_job` deleted is not kept: a reproduction would not find it).

        Stopping is best effort, against AWS only, and never keeps a job from being deleted; runs
        that could not be stopped are named, since they cost money. On an emulator deleting the
        job is the whole cleanup. Whatever the target answers (garbage included), each thing
        left behind is one line, never a traceback. Jobs are cleaned CLEANUP_AT_ONCE at a time
        (the rate limit holds: the SDK clients share the target's limiter)."""
        self.closing.set()
        while True:
            with self._lock:
                names = list(self.created_jobs)
            if not names:
                break
            with ThreadPoolExecutor(CLEANUP_AT_ONCE, thread_name_prefix="glue-cleanup") as pool:
                list(pool.map(self._clean, names))
        return sorted(self.leftovers)

    def _clean(self, name: str) -> None:
        # Against AWS a run still going costs money: stop it first. On an emulator deleting the
        # job is the whole cleanup (no stop is billed, and moto has no BatchStopJobRun).
        problem = self._stop_runs(name) if self.target.aws else None
        if problem:
            self.leftovers.append(f"{name} (runs not stopped: {problem})"[:300])
        if self.keep and name not in self.deleted:
            with self._lock:
                self.kept.append(name)
        else:  # (a job the suite deleted itself is never kept: DeleteJob again, a success)
            try:
                self.client.delete_job(JobName=name)
            except Exception:  # (any answer, any parse failure)
                if name not in self.deleted:  # (gone already: a refusal leaves nothing behind)
                    self.leftovers.append(name)
        # Off the record only once handled: a second interrupt in the middle of the cleanup
        # leaves the rest for the at-exit pass.
        self._forget(name)

    def _forget(self, name: str) -> None:
        with self._lock:
            if name in self.created_jobs:
                self.created_jobs.remove(name)

    def _cleanup_at_exit(self) -> None:
        """The last chance (an interrupted run): what is still left is named on stderr."""
        if not self.created_jobs:
            return
        kept = len(self.kept)
        left = self.cleanup()
        if self.kept[kept:]:
            print(
                "glue-conformance: kept (--glue-keep-resources): " + ", ".join(self.kept[kept:]),
                file=sys.stderr,
            )
        if left:
            print(
                "glue-conformance: could not delete what this run created (delete by hand): "
                + ", ".join(left),
                file=sys.stderr,
            )

    def _stop_runs(self, name: str) -> str | None:
        """Stop the job's runs that may still be going: those this provisioner started, and any
        other GetJobRuns lists as active (a run whose StartJobRun answer never arrived). The
        listing is read raw and bounded, so no answer can raise here. Returns what went wrong."""
        with self._lock:
            ids = set(self.started.get(name, []))
        listed = self._listed_states(name)
        if listed is not None:  # the listing answered: what it shows ended needs no stop
            ids = {i for i, state in listed.items() if state in ACTIVE} | (ids - set(listed))
        ordered, problems = sorted(ids), []
        for start in range(0, len(ordered), STOP_BATCH):
            try:
                self.stop_client.batch_stop_job_run(
                    JobName=name, JobRunIds=ordered[start : start + STOP_BATCH]
                )
            except Exception as error:  # (any answer, any parse failure)
                problems.append(f"{type(error).__name__}: {error}"[:200])
        return "; ".join(problems) or None

    def _raw(self) -> Transport:
        """The transport the cleanup reads with: the run's own, or one of its own (the target's
        rate limit still holds: it shares the target's limiter)."""
        if self.transport is None:
            self.transport = Transport(
                self.target.url,
                region=self.target.region,
                credentials=self.target.credentials,
                limiter=self.target.limiter,
            )
        return self.transport

    def _listed_states(self, name: str) -> dict[str, Any] | None:
        """Run id -> state, as GetJobRuns lists them (None when the listing cannot be read)."""
        states: dict[str, Any] = {}
        body: dict[str, Any] = {"JobName": name}
        bound = page_bytes(len(self.model.job_runs(name)) + 1)  # (a page of the job's runs)
        for _ in range(CLEANUP_PAGES):
            try:
                page = self._raw().send(body, operation="GetJobRuns", max_body_bytes=bound).json
            except Exception:  # (unreachable, throttled, garbage)
                return None
            runs = page.get("JobRuns") if isinstance(page, dict) else None
            if not isinstance(runs, list):
                return None
            for run in runs:
                if isinstance(run, dict) and isinstance(run.get("Id"), str):
                    states[run["Id"]] = run.get("JobRunState")
            token = page.get("NextToken")
            if not isinstance(token, str) or not token:
                break
            body = {"JobName": name, "NextToken": token}
        return states
