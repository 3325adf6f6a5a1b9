"""A run and the world's clock (evidence sections 15 and 16).

The client's own clock gives two bounds no server clock can move: a run the suite started began
after its StartJobRun was sent, and nothing in an answer happened after the answer arrived. The
server's clock may differ from the client's by a SigV4-sized window, so timestamps are held to
those bounds give or take the window; ExecutionTime, a duration, needs no window at all.
"""

from __future__ import annotations

import math
from typing import Any, TypeGuard

import glue_conformance.checks.examples as ex
from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, expect
from glue_conformance.checks.response import TERMINAL, TIMESTAMPS
from glue_conformance.checks.subjects import Observation

# Timestamps may be whole seconds (evidence section 21: ministack; the reference's tolerated
# variant), so a difference of two of them may be off by up to a second.
GRANULARITY_S = 1.0


def _number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


@check(
    "response.timestamps.near-clock",
    judges="jobrun",
    faithful=lambda: (ex.seen(received=ex.NOW + 200, facts=ex.started(sent_at=ex.NOW - 0.5)),),
    deviating=lambda: (ex.seen(received=ex.NOW - 4 * 3600),),
)
def check_near_clock(obs: Observation, ctx: Context) -> None:
    """Nothing in an answer happened after it arrived; a run the suite started began after its
    StartJobRun was sent; both give or take the clock window (section 16)."""
    run, window_s = obs.run, obs.window_s
    latest = obs.received_at + window_s
    future = {k: run[k] for k in TIMESTAMPS if _number(run.get(k)) and run[k] > latest}
    expect(
        not future,
        f"timestamps after the answer arrived (+{window_s:g} s): {future!r}, answer received at "
        f"{obs.received_at:.3f}",
        obs.exchange,
    )
    started = run.get("StartedOn")
    if obs.facts is not None and _number(started):
        sent = obs.facts.sent_at
        expect(
            started >= sent - window_s,
            f"StartedOn {started} is {sent - started:.0f} s before the suite sent "
            f"StartJobRun at {sent:.3f} (window {window_s:g} s)",
            obs.exchange,
        )


@check(
    "response.execution-time.bounded",
    judges="jobrun",
    faithful=lambda: (
        ex.seen(ex.ok(JobRunState="RUNNING", ExecutionTime=0), received=ex.NOW + 0.2),
    ),
    deviating=lambda: (
        ex.seen(
            ex.ok(JobRunState="RUNNING", ExecutionTime=123),
            received=ex.NOW + 0.2,
            facts=ex.started(sent_at=ex.NOW),
        ),
    ),
)
def check_execution_time(obs: Observation, ctx: Context) -> None:
    run = obs.run
    if "ExecutionTime" not in run:
        return
    seconds = run["ExecutionTime"]
    expect(
        isinstance(seconds, int) and not isinstance(seconds, bool) and seconds >= 0,
        f"ExecutionTime {seconds!r} is not a non-negative integer",
        obs.exchange,
    )
    started, completed = run.get("StartedOn"), run.get("CompletedOn")
    if run.get("JobRunState") in TERMINAL and _number(started) and _number(completed):
        span = math.ceil(completed - started)
        expect(
            seconds <= max(span, 0),
            f"ExecutionTime {seconds} s on a run that ran {completed - started:.3f} s "
            "(CompletedOn - StartedOn)",
            obs.exchange,
        )
    if obs.facts is not None:
        existed = math.ceil(obs.received_at - obs.facts.sent_at)
        expect(
            seconds <= existed,
            f"ExecutionTime {seconds} s on a run started "
            f"{obs.received_at - obs.facts.sent_at:.3f} s earlier (by the client's clock)",
            obs.exchange,
        )


@check(
    "response.completed-on.last-modified",
    judges="jobrun",
    faithful=lambda: (ex.seen(),),
    deviating=lambda: (ex.seen(ex.ok(CompletedOn=ex.NOW + 142.0)),),
)
def check_completed_is_last_modified(obs: Observation, ctx: Context) -> None:
    run = obs.run
    if run.get("JobRunState") not in TERMINAL or "CompletedOn" not in run:
        return
    expect(
        run.get("CompletedOn") == run.get("LastModifiedOn"),
        f"terminal run {run.get('JobRunState')}: CompletedOn {run.get('CompletedOn')!r}, "
        f"LastModifiedOn {run.get('LastModifiedOn')!r}",
        obs.exchange,
    )


@check(
    "lifecycle.timestamps.elapsed",
    judges="jobrun",
    faithful=lambda: (ex.seen(received=ex.NOW + 145.0, facts=ex.started(sent_at=ex.NOW - 0.5)),),
    deviating=lambda: (ex.seen(received=ex.NOW + 20.0, facts=ex.started(sent_at=ex.NOW - 0.5)),),
)
def check_elapsed(obs: Observation, ctx: Context) -> None:
    """Two timestamps of one server differ by no more than the client saw pass between the calls
    that bound them, whatever the server clock's offset (it cancels out): everything a run did
    happened after its StartJobRun was sent (a run cannot start before it is asked for) and
    before this answer arrived."""
    facts, run = obs.facts, obs.run
    started = run.get("StartedOn")
    if facts is None or not _number(started):
        return
    allowed = obs.received_at - facts.sent_at + GRANULARITY_S
    later = {
        k: run[k]
        for k in ("LastModifiedOn", "CompletedOn")
        if _number(run.get(k)) and run[k] - started > allowed
    }
    expect(
        not later,
        f"{', '.join(f'{k} {v}' for k, v in later.items())} is more than {allowed:.3f} s after "
        f"StartedOn {started}, but only {obs.received_at - facts.sent_at:.3f} s passed between "
        "sending StartJobRun and this answer",
        obs.exchange,
    )


@check(
    "lifecycle.started-on.spacing",
    judges="jobrun",
    faithful=lambda: (ex.paired(ex.NOW + 0.05, ex.NOW + 2.04),),
    deviating=lambda: (ex.paired(ex.NOW + 0.05, ex.NOW + 0.05),),
)
def check_start_spacing(obs: Observation, ctx: Context) -> None:
    """The run started just before this one (`RunFacts.previous`): the two StartedOn differ by
    at least the gap between that run's StartJobRun answer and this one's request, and at most
    the span from that request to this answer (the offset of the server's clock cancels out)."""
    prior, facts = obs.previous_start, obs.facts
    if prior is None or facts is None or prior.facts is None:
        return
    first, second = prior.run.get("StartedOn"), obs.run.get("StartedOn")
    if not (_number(first) and _number(second)):
        return
    slack = GRANULARITY_S + 0.002  # whole-second stamps, and milliseconds rounded
    least = facts.sent_at - prior.facts.answered_at
    most = facts.answered_at - prior.facts.sent_at
    apart = second - first
    expect(
        least - slack <= apart <= most + slack,
        f"StartedOn {second} of run {facts.run_id} is {apart:+.3f} s from StartedOn {first} of "
        f"run {prior.facts.run_id}, started just before it, but the client started them "
        f"{least:.3f} to {most:.3f} s apart",
        obs.exchange,
    )
