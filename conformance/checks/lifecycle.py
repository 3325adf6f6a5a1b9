"""The life cycle seen by polling one run (evidence section 5).

Allowed moves follow Glue's job-run statuses: a run starts (STARTING, or WAITING when queued),
runs, may be stopped (STOPPING -> STOPPED) and ends in one terminal state that never changes.
Polling can skip states, so a move is allowed when it goes forward in this order.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, expect
from glue_conformance.checks.response import TERMINAL
from glue_conformance.transport import Exchange

# Moves allowed between two polls (polls may skip states). A run may queue (WAITING) before it
# starts; once RUNNING it only goes on to stopping or a terminal state; a terminal state is final.
_ALLOWED: dict[str, frozenset[str]] = {
    "WAITING": frozenset({"STARTING", "RUNNING", "STOPPING"}) | TERMINAL,
    "STARTING": frozenset({"WAITING", "RUNNING", "STOPPING"}) | TERMINAL,
    "RUNNING": frozenset({"STOPPING"}) | TERMINAL,
    "STOPPING": frozenset({"STOPPED"}),
}


def allowed_move(before: str, after: str) -> bool:
    return before == after or after in _ALLOWED.get(before, frozenset())


@check("lifecycle.transitions")
def check_transitions(polls: list[tuple[Exchange, dict[str, Any]]], ctx: Context) -> None:
    states = [run.get("JobRunState") for _, run in polls]
    for (_, before), (exchange, after) in pairwise(polls):
        a, b = before.get("JobRunState"), after.get("JobRunState")
        if isinstance(a, str) and isinstance(b, str):
            expect(
                allowed_move(a, b),
                f"{a} -> {b} while polling (states seen: {' -> '.join(map(str, states))})",
                exchange,
            )


@check("lifecycle.timestamps.monotonic")
def check_monotonic_timestamps(polls: list[tuple[Exchange, dict[str, Any]]], ctx: Context) -> None:
    for (_, before), (exchange, after) in pairwise(polls):
        for key in ("StartedOn",):
            if key in before and key in after:
                expect(
                    before[key] == after[key],
                    f"{key} changed between polls: {before[key]} -> {after[key]}",
                    exchange,
                )
        b, a = before.get("LastModifiedOn"), after.get("LastModifiedOn")
        if isinstance(b, int | float) and isinstance(a, int | float):
            expect(
                a >= b,
                f"LastModifiedOn went back between polls: {b} -> {a}",
                exchange,
            )


@check("lifecycle.runs-listed")
def check_listed(
    started: set[str], listed: set[str], exchange: Exchange | None, ctx: Context
) -> None:
    missing = started - listed
    expect(
        not missing,
        f"runs started but not in GetJobRuns: {sorted(missing)}",
        exchange,
    )


STOP_PATH = frozenset({"WAITING", "STARTING", "RUNNING", "STOPPING", "STOPPED"})


@check("lifecycle.stop-ends-stopped")
def check_stop(
    run_id: str,
    polls: list[tuple[Exchange, dict[str, Any]]],
    refused: object,
    exchange: Exchange | None,
    ctx: Context,
) -> None:
    """A stop accepted by BatchStopJobRun ends STOPPED, through the stop's states only (the run
    may still show the state it had when the stop landed). A target without BatchStopJobRun
    fails here: AWS has it."""
    expect(refused is None, f"BatchStopJobRun of run {run_id} failed: {refused}", exchange)
    states = [run.get("JobRunState") for _, run in polls]
    expect(
        bool(states) and states[-1] == "STOPPED" and set(states) <= STOP_PATH,
        f"after BatchStopJobRun accepted the stop of {run_id}, the run went "
        f"{' -> '.join(map(str, states)) or '(never polled)'}",
        exchange,
    )


@check("lifecycle.stop-ends-stopped")
def check_stopped(run_id: str, final: Any, exchange: Exchange | None, ctx: Context) -> None:
    expect(
        final == "STOPPED",
        f"run {run_id} ended {final!r} after BatchStopJobRun accepted its stop",
        exchange,
    )


@check("lifecycle.attempt.stable")
def check_attempt_stable(polls: list[tuple[Exchange, dict[str, Any]]], ctx: Context) -> None:
    attempts = [run.get("Attempt") for _, run in polls]
    for (_, before), (exchange, after) in pairwise(polls):
        expect(
            before.get("Attempt") == after.get("Attempt"),
            f"Attempt changed between polls: {' -> '.join(map(str, attempts))}",
            exchange,
        )


@check("lifecycle.transitions")
def check_finished(
    polls: list[tuple[Exchange, dict[str, Any]]], budget_s: float, known: set[str], ctx: Context
) -> None:
    """A run the suite polled reached a terminal state within --glue-lifecycle-timeout (a state
    outside the enum is response.state.enum's to report, not this)."""
    state = polls[-1][1].get("JobRunState") if polls else None
    expect(
        state in TERMINAL or state not in known,
        f"the run did not finish within {budget_s:g} s (--glue-lifecycle-timeout): still {state} "
        f"after {len(polls)} polls",
        polls[-1][0] if polls else None,
    )
