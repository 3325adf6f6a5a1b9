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
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from glue_conformance.targets import Target
from glue_conformance.transport import TargetUnavailable

PREFIX = "glue-conformance-"
PLACEHOLDER_ROLE = "arn:aws:iam::123456789012:role/glue-conformance-placeholder"


class BillableRefused(Exception):
    """StartJobRun against AWS without --glue-allow-billable."""


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
    token: str = field(default_factory=lambda: secrets.token_hex(4))
    created_jobs: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._client: Any = None
        atexit.register(self._cleanup_at_exit)  # also on Ctrl-C and interpreter exit

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self.target.client()
        return self._client

    def name(self, purpose: str) -> str:
        return f"{PREFIX}{self.token}-{purpose}"

    def create_job(self, purpose: str, *, max_concurrent_runs: int = 1, **settings: Any) -> str:
        """The name goes on the record before the call: an interrupt (Ctrl-C, a timeout) while
        CreateJob is in flight must not leave a job nobody deletes. A refusal takes it off again,
        so a name that somehow already exists is never deleted as ours."""
        name = self.name(purpose)
        with self._lock:
            self.created_jobs.append(name)
        try:
            self.client.create_job(
                Name=name,
                ExecutionProperty={"MaxConcurrentRuns": max_concurrent_runs},
                Role=self.role,
                Command={
                    "Name": "glueetl",
                    "ScriptLocation": "s3://glue-conformance-placeholder/x.py",
                },
                Description="Created by glue-conformance; deleted at the end of its run.",
                Tags={"created-by": "glue-conformance"},
                **settings,
            )
        except ClientError:
            self._forget(name)
            raise
        return name

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
        if arguments is not None:
            settings["Arguments"] = arguments
        sent_at = time.time()
        answer = self.client.start_job_run(JobName=job_name, **settings)
        return Run(job_name, answer["JobRunId"], arguments, sent_at)

    def cleanup(self) -> list[str]:
        """Stop and delete what this provisioner created; returns what is left behind.

        Stopping is best effort and never keeps a job from being deleted (moto, for one, has no
        BatchStopJobRun). Runs that could not be stopped are named only against AWS, where they
        cost money; on an emulator deleting the job is the whole cleanup."""
        while True:
            with self._lock:
                if not self.created_jobs:
                    break
                name = self.created_jobs[0]
            try:
                self._stop_runs(name)
            except (BotoCoreError, ClientError, OSError, TargetUnavailable) as error:
                if self.target.aws:
                    self.leftovers.append(f"{name} (runs not stopped: {error})"[:300])
            try:
                self.client.delete_job(JobName=name)
            except (BotoCoreError, ClientError, OSError, TargetUnavailable):
                self.leftovers.append(name)
            # Off the record only once handled: a second interrupt in the middle of the cleanup
            # leaves the rest for the at-exit pass.
            self._forget(name)
        return list(self.leftovers)

    def _forget(self, name: str) -> None:
        with self._lock:
            if name in self.created_jobs:
                self.created_jobs.remove(name)

    def _cleanup_at_exit(self) -> None:
        """The last chance (an interrupted run): what is still left is named on stderr."""
        if not self.created_jobs:
            return
        left = self.cleanup()
        if left:
            print(
                "glue-conformance: could not delete what this run created (delete by hand): "
                + ", ".join(left),
                file=sys.stderr,
            )

    def _stop_runs(self, name: str) -> None:
        runs = self.client.get_job_runs(JobName=name).get("JobRuns", [])
        active = [
            r["Id"] for r in runs if r.get("JobRunState") in {"STARTING", "RUNNING", "WAITING"}
        ]
        if active:
            self.client.batch_stop_job_run(JobName=name, JobRunIds=active)
