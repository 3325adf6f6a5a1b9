"""A Hypothesis state machine over StartJobRun, GetJobRun, BatchStopJobRun and GetJobRuns.

Single polls cannot see what only sequences show: a run that vanishes from GetJobRuns, a state
that moves back after a stop, a LastModifiedOn that jumps backwards across runs of one job.
Steps are few and bounded (the target does the real work); the number of examples follows the
Hypothesis profile.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import BotoCoreError, ClientError
from hypothesis import settings
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from glue_conformance.checks import lifecycle, response
from glue_conformance.polling import MAX_POLLS, Backoff
from glue_conformance.transport import UNAVAILABLE, Exchange, TargetUnavailable

MAX_RUNS = 4
_ENV: dict[str, Any] = {}


def _sdk(call: Any, *args: Any, **kwargs: Any) -> Any:
    """An SDK step; persistent throttling skips the test at once (Hypothesis re-raises skips
    instead of shrinking against a target that is not answering)."""
    try:
        return call(*args, **kwargs)
    except TargetUnavailable as error:
        pytest.skip(f"{UNAVAILABLE}: {error.detail}")


class JobRunMachine(RuleBasedStateMachine):
    runs = Bundle("runs")

    def __init__(self) -> None:
        super().__init__()
        self.polls: dict[str, list[tuple[Exchange, dict[str, Any]]]] = {}
        self.stopped: set[str] = set()

    @rule(target=runs)
    def start(self) -> Any:
        if len(self.polls) >= MAX_RUNS:
            return multiple()
        step = {"--step": str(len(self.polls))}
        run = _sdk(_ENV["provisioner"].start_run, _ENV["job"], **step)
        self.polls[run.run_id] = []
        return run.run_id

    @rule(run_id=runs)
    def get(self, run_id: str) -> None:
        exchange = _ENV["send"]({"JobName": _ENV["job"], "RunId": run_id})
        ctx = _ENV["ctx"]
        response.check_status_200(exchange, ctx)
        response.check_id(exchange, run_id, ctx)
        response.check_job_name(exchange, _ENV["job"], ctx)
        self.polls[run_id].append((exchange, response.job_run(exchange)))
        lifecycle.check_transitions(self.polls[run_id], ctx)
        lifecycle.check_monotonic_timestamps(self.polls[run_id], ctx)

    @precondition(lambda self: _ENV["stop_supported"])
    @rule(run_id=runs)
    def stop(self, run_id: str) -> None:
        answer = _sdk(_ENV["client"].batch_stop_job_run, JobName=_ENV["job"], JobRunIds=[run_id])
        if any(s.get("JobRunId") == run_id for s in answer.get("SuccessfulSubmissions", [])):
            self.stopped.add(run_id)

    @rule()
    def list_runs(self) -> None:
        listed = _sdk(_listed_run_ids, _ENV["client"], _ENV["job"])
        lifecycle.check_listed(set(self.polls), listed, None, _ENV["ctx"])

    def _last_state(self, run_id: str) -> Any:
        polls = self.polls[run_id]
        return polls[-1][1].get("JobRunState") if polls else None

    def teardown(self) -> None:
        # One deadline for the whole test, every example and every shrink step: a target whose
        # stopped runs never end fails once the budget is spent, and each replay after that
        # fails at once instead of waiting the budget again.
        deadline = _ENV["deadline"]
        known = set(response.job_run_states())
        for run_id in sorted(self.stopped):
            pace = Backoff()
            for _ in range(MAX_POLLS):
                time.sleep(pace.wait)
                before = self._last_state(run_id)
                self.get(run_id)
                state = self._last_state(run_id)
                # A state outside the enum never turns terminal (response.state.enum says so).
                if state in response.TERMINAL or state not in known or time.monotonic() > deadline:
                    break
                pace.saw(moved=state != before)
            lifecycle.check_stopped(run_id, state, self.polls[run_id][-1][0], _ENV["ctx"])


def _listed_run_ids(client: Any, job: str) -> set[str]:
    """Every run GetJobRuns lists, page by page (a plain loop: botocore's paginator machinery
    cost more than the calls themselves against a local target)."""
    ids: set[str] = set()
    token: dict[str, str] = {}
    while True:
        page = client.get_job_runs(JobName=job, **token)
        ids.update(run["Id"] for run in page.get("JobRuns", []))
        if not page.get("NextToken"):
            return ids
        token = {"NextToken": page["NextToken"]}


@pytest.fixture(scope="session")
def stateful_job(provisioner, glue_target) -> str:
    if provisioner is None:
        pytest.skip("read-only mode: the state machine starts runs")
    if glue_target.aws and not provisioner.allow_billable:
        pytest.skip("StartJobRun on AWS is billable: pass --glue-allow-billable")
    return str(_sdk(provisioner.create_job, "stateful", max_concurrent_runs=MAX_RUNS * 30))


def _stop_supported(client: Any, job: str) -> bool:
    """BatchStopJobRun is outside GetJobRun; a target without it only loses the stop steps."""
    try:
        client.batch_stop_job_run(JobName=job, JobRunIds=["jr_glue_conformance_absent_run"])
    except (ClientError, BotoCoreError):
        return False
    return True


@pytest.mark.rule("lifecycle.stateful")
def test_sequences_keep_the_get_job_run_invariants(
    stateful_job, provisioner, glue_target, send, ctx, suite_settings, lifecycle_deadline, observe
):
    client = glue_target.client(max_attempts=1)
    supported = _stop_supported(client, stateful_job)
    if not supported:
        observe("BatchStopJobRun not supported by the target: stop steps left out")
    _ENV.update(
        provisioner=provisioner,
        job=stateful_job,
        send=send,
        ctx=ctx,
        client=client,
        stop_supported=supported,
        budget=suite_settings.lifecycle_timeout,
        deadline=lifecycle_deadline(),
    )
    base = settings.default
    run_state_machine_as_test(
        JobRunMachine,
        settings=settings(
            base, max_examples=max(3, base.max_examples // 10), stateful_step_count=8
        ),
    )
