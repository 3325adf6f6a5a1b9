"""A run and the world's clock (evidence sections 15 and 16).

The client's own clock gives two bounds no server clock can move: a run the suite started began
after its StartJobRun was sent, and nothing in an answer happened after the answer arrived. The
server's clock may differ from the client's by a SigV4-sized window, so timestamps are held to
those bounds give or take the window; ExecutionTime, a duration, needs no window at all.
"""

from __future__ import annotations

import math
from typing import Any

from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, expect
from glue_conformance.checks.response import TERMINAL, TIMESTAMPS, job_run
from glue_conformance.transport import Exchange

DEFAULT_WINDOW_S = 15 * 60.0  # the looser documented SigV4 window (evidence section 16)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@check("response.timestamps.near-clock")
def check_near_clock(
    exchange: Exchange, window_s: float, started_after: float | None, ctx: Context
) -> None:
    """`started_after`: the client's clock when it sent the run's StartJobRun (None for a run
    the suite did not start)."""
    run = job_run(exchange)
    latest = exchange.received_at + window_s
    future = {k: run[k] for k in TIMESTAMPS if _number(run.get(k)) and run[k] > latest}
    expect(
        not future,
        f"timestamps after the answer arrived (+{window_s:g} s): {future!r}, answer received at "
        f"{exchange.received_at:.3f}",
        exchange,
    )
    started = run.get("StartedOn")
    if started_after is not None and _number(started):
        expect(
            started >= started_after - window_s,
            f"StartedOn {started} is {started_after - started:.0f} s before the suite sent "
            f"StartJobRun at {started_after:.3f} (window {window_s:g} s)",
            exchange,
        )


@check("response.execution-time.bounded")
def check_execution_time(exchange: Exchange, started_after: float | None, ctx: Context) -> None:
    run = job_run(exchange)
    if "ExecutionTime" not in run:
        return
    seconds = run["ExecutionTime"]
    expect(
        isinstance(seconds, int) and not isinstance(seconds, bool) and seconds >= 0,
        f"ExecutionTime {seconds!r} is not a non-negative integer",
        exchange,
    )
    started, completed = run.get("StartedOn"), run.get("CompletedOn")
    if run.get("JobRunState") in TERMINAL and _number(started) and _number(completed):
        span = math.ceil(completed - started)
        expect(
            seconds <= max(span, 0),
            f"ExecutionTime {seconds} s on a run that ran {completed - started:.3f} s "
            "(CompletedOn - StartedOn)",
            exchange,
        )
    if started_after is not None:
        existed = math.ceil(exchange.received_at - started_after)
        expect(
            seconds <= existed,
            f"ExecutionTime {seconds} s on a run started {exchange.received_at - started_after:.3f}"
            " s earlier (by the client's clock)",
            exchange,
        )


@check("response.completed-on.last-modified")
def check_completed_is_last_modified(exchange: Exchange, ctx: Context) -> None:
    run = job_run(exchange)
    if run.get("JobRunState") not in TERMINAL or "CompletedOn" not in run:
        return
    expect(
        run.get("CompletedOn") == run.get("LastModifiedOn"),
        f"terminal run {run.get('JobRunState')}: CompletedOn {run.get('CompletedOn')!r}, "
        f"LastModifiedOn {run.get('LastModifiedOn')!r}",
        exchange,
    )
