"""The run's life cycle, seen by polling GetJobRun until a terminal state (or the time budget)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from conformance.checks import lifecycle, response
from conformance.polling import MAX_POLLS, Backoff
from conformance.transport import Exchange


@pytest.fixture(scope="session")
def polls(send, job_run, first_get, suite_settings) -> list[tuple[Exchange, dict[str, Any]]]:
    """Every poll of the run, first_get included; stops at a terminal state or the budget."""
    budget = suite_settings.lifecycle_timeout
    seen = [(first_get, response.job_run(first_get))]
    deadline = time.monotonic() + budget
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


@pytest.mark.rule("lifecycle.timestamps.monotonic")
def test_timestamps_never_go_back(polls, ctx):
    lifecycle.check_monotonic_timestamps(polls, ctx)


@pytest.mark.rule("response.timestamps.order")
@pytest.mark.parametrize("case", ["every-poll"])
def test_timestamps_in_order_on_every_poll(case, polls, ctx):
    for exchange, _ in polls:
        response.check_timestamp_order(exchange, ctx)
