"""The run's life cycle, seen by polling GetJobRun until a terminal state (or the time budget)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import BotoCoreError, ClientError

from glue_conformance.checks import clock, lifecycle, response
from glue_conformance.fixtures import provisioning
from glue_conformance.polling import MAX_POLLS, Backoff
from glue_conformance.transport import Exchange


@pytest.fixture(scope="session")
def polls(send, job_run, first_get, lifecycle_deadline) -> list[tuple[Exchange, dict[str, Any]]]:
    """Every poll of the run, first_get included; stops at a terminal state or the budget."""
    seen = [(first_get, response.job_run(first_get))]
    deadline = lifecycle_deadline()
    known = set(response.job_run_states())
    pace = Backoff()

    def state(index: int) -> Any:
        return seen[index][1].get("JobRunState")

    def still_running() -> bool:
        # A state outside the enum will never turn terminal: response.state.enum reports it.
        return state(-1) in known and state(-1) not in response.TERMINAL

    while still_running() and time.monotonic() < deadline and len(seen) < MAX_POLLS:
        time.sleep(pace.wait)
        exchange = send({"JobName": job_run.job_name, "RunId": job_run.run_id})
        if exchange.status != 200:
            break
        seen.append((exchange, response.job_run(exchange)))
        pace.saw(moved=state(-1) != state(-2))
    # Two more polls after a terminal state: it must not change.
    for _ in range(2):
        if seen[-1][1].get("JobRunState") in response.TERMINAL:
            exchange = send({"JobName": job_run.job_name, "RunId": job_run.run_id})
            seen.append((exchange, response.job_run(exchange)))
    return seen


@pytest.mark.rule("lifecycle.transitions")
def test_state_transitions_follow_the_life_cycle(polls, ctx):
    lifecycle.check_transitions(polls, ctx)


@pytest.mark.rule("lifecycle.transitions")
@pytest.mark.parametrize("case", ["finishes"])
def test_the_run_finishes_within_the_budget(case, polls, suite_settings, ctx):
    known = set(response.job_run_states())
    lifecycle.check_finished(polls, suite_settings.lifecycle_timeout, known, ctx)


@pytest.mark.rule("lifecycle.timestamps.monotonic")
def test_timestamps_never_go_back(polls, ctx):
    lifecycle.check_monotonic_timestamps(polls, ctx)


@pytest.mark.rule("response.timestamps.order")
@pytest.mark.parametrize("case", ["every-poll"])
def test_timestamps_in_order_on_every_poll(case, polls, ctx):
    for exchange, _ in polls:
        response.check_timestamp_order(exchange, ctx)


@pytest.mark.rule("lifecycle.attempt.stable")
def test_attempt_never_changes_between_polls(polls, ctx):
    lifecycle.check_attempt_stable(polls, ctx)


@pytest.mark.rule("response.completed-on.last-modified")
@pytest.mark.parametrize("case", ["every-poll"])
def test_a_terminal_run_completed_when_last_modified(case, polls, ctx):
    for exchange, _ in polls:
        clock.check_completed_is_last_modified(exchange, ctx)


@pytest.mark.rule("response.execution-time.bounded")
@pytest.mark.parametrize("case", ["every-poll"])
def test_execution_time_is_bounded_on_every_poll(case, polls, job_run, ctx):
    for exchange, _ in polls:
        clock.check_execution_time(exchange, job_run.started_after, ctx)


@pytest.mark.rule("response.timestamps.near-clock")
@pytest.mark.parametrize("case", ["every-poll"])
def test_timestamps_are_near_the_clock_on_every_poll(case, polls, job_run, suite_settings, ctx):
    for exchange, _ in polls:
        clock.check_near_clock(exchange, suite_settings.clock_window, job_run.started_after, ctx)


@pytest.fixture(scope="session")
def stopped(runs, provisioner, glue_target, send, lifecycle_deadline) -> tuple[str, list, object]:
    """A run of the suite's job, stopped by BatchStopJobRun, polled until it ends (or the
    budget): (what BatchStopJobRun answered, the polls, the stop's error if it raised)."""
    with provisioning("StartJobRun"):
        run = provisioner.start(runs.job)
    before = response.job_run(send({"JobName": run.job_name, "RunId": run.run_id}))
    if before.get("JobRunState") in response.TERMINAL:
        pytest.skip(
            f"the run ended {before.get('JobRunState')} before BatchStopJobRun could be sent: "
            "a stop of a finished run is refused on AWS too, so this target's stop is not judged"
        )
    client = glue_target.client(max_attempts=1)
    try:
        answer = client.batch_stop_job_run(JobName=run.job_name, JobRunIds=[run.run_id])
    except (ClientError, BotoCoreError) as error:
        return run.run_id, [], error
    accepted = [s.get("JobRunId") for s in answer.get("SuccessfulSubmissions", [])]
    if run.run_id not in accepted:
        after = response.job_run(send({"JobName": run.job_name, "RunId": run.run_id}))
        if after.get("JobRunState") in response.TERMINAL - {"STOPPED"}:
            pytest.skip(
                f"the run ended {after.get('JobRunState')} while BatchStopJobRun was on its way "
                f"(refused: {answer.get('Errors')!r:.200}): the stop is not judged"
            )
        return run.run_id, [], f"not in SuccessfulSubmissions: {answer!r}"[:300]
    seen: list[tuple[Exchange, dict[str, Any]]] = []
    deadline = lifecycle_deadline()
    pace = Backoff()
    while len(seen) < MAX_POLLS:
        exchange = send({"JobName": run.job_name, "RunId": run.run_id})
        seen.append((exchange, response.job_run(exchange)))
        state = seen[-1][1].get("JobRunState")
        if state in response.TERMINAL or state not in response.job_run_states():
            break
        if time.monotonic() >= deadline:
            break
        moved = len(seen) > 1 and state != seen[-2][1].get("JobRunState")
        pace.saw(moved=moved)
        time.sleep(pace.wait)
    return run.run_id, seen, None


@pytest.mark.rule("lifecycle.stop-ends-stopped")
def test_a_stopped_run_ends_stopped(stopped, ctx):
    run_id, seen, refused = stopped
    last = seen[-1][0] if seen else None
    lifecycle.check_stop(run_id, seen, refused, last, ctx)
