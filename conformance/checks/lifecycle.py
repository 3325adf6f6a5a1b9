"""A run's life across observations (evidence sections 5, 14, 17, 20).

Allowed moves follow Glue's job-run statuses: a run starts (STARTING, or WAITING when queued),
runs, may be stopped (STOPPING -> STOPPED) and ends in one terminal state that never changes.
Observations can skip states, so a move is allowed when it goes forward in this order. Each check
compares an observation with the latest earlier one of the same run (`Observation.before`),
whichever operations reported the two: a GetJobRuns item is as much a view of the run as a poll.
"""

from __future__ import annotations

from typing import Any

import glue_conformance.checks.examples as ex
from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, expect, observation
from glue_conformance.checks.response import TERMINAL
from glue_conformance.checks.subjects import (
    LimitedStart,
    Observation,
    QueuedRun,
    Sent,
    Settled,
    StopAnswer,
)
from glue_conformance.model import REFLECTED, STOP_STATES

# Moves allowed between two observations (they may skip states). A run may queue (WAITING)
# before it starts; once RUNNING it only goes on to stopping or a terminal state; a terminal
# state is final.
_ALLOWED: dict[str, frozenset[str]] = {
    "WAITING": frozenset({"STARTING", "RUNNING", "STOPPING"}) | TERMINAL,
    "STARTING": frozenset({"WAITING", "RUNNING", "STOPPING"}) | TERMINAL,
    "RUNNING": frozenset({"STOPPING"}) | TERMINAL,
    "STOPPING": frozenset({"STOPPED"}),
}
# What never changes once a run exists (lifecycle.runs-agree).
AGREE = (
    "Id",
    "JobName",
    "StartedOn",
    "Attempt",
    "Arguments",
    "GlueVersion",
    "Timeout",
    "WorkerType",
    "NumberOfWorkers",
    "PreviousRunId",
)
STOP_PATH = frozenset({"WAITING", "STARTING", "RUNNING", "STOPPING", "STOPPED"})


def allowed_move(before: str, after: str) -> bool:
    return before == after or after in _ALLOWED.get(before, frozenset())


def _between(obs: Observation) -> str:
    before = obs.before
    return f"between {before.call} and {obs.call}" if before is not None else obs.call


@check(
    "lifecycle.transitions",
    judges="jobrun",
    faithful=lambda: (ex.seen(ex.ok(), before=ex.ok(JobRunState="RUNNING")),),
    deviating=lambda: (ex.seen(ex.ok(JobRunState="RUNNING"), before=ex.ok()),),
)
def check_transitions(obs: Observation, ctx: Context) -> None:
    if obs.before is None:
        return
    a, b = obs.before.run.get("JobRunState"), obs.run.get("JobRunState")
    if isinstance(a, str) and isinstance(b, str):
        expect(allowed_move(a, b), f"{a} -> {b} {_between(obs)}", obs.exchange)


@check(
    "lifecycle.timestamps.monotonic",
    judges="jobrun",
    faithful=lambda: (
        ex.seen(ex.ok(), before=ex.ok(JobRunState="RUNNING", LastModifiedOn=ex.NOW + 1)),
    ),
    deviating=lambda: (
        ex.seen(ex.ok(StartedOn=ex.NOW + 5, LastModifiedOn=ex.NOW + 145), before=ex.ok()),
    ),
)
def check_monotonic_timestamps(obs: Observation, ctx: Context) -> None:
    if obs.before is None:
        return
    before, after = obs.before.run, obs.run
    if "StartedOn" in before and "StartedOn" in after:
        expect(
            before["StartedOn"] == after["StartedOn"],
            f"StartedOn changed {_between(obs)}: {before['StartedOn']} -> {after['StartedOn']}",
            obs.exchange,
        )
    b, a = before.get("LastModifiedOn"), after.get("LastModifiedOn")
    if isinstance(b, int | float) and isinstance(a, int | float):
        expect(a >= b, f"LastModifiedOn went back {_between(obs)}: {b} -> {a}", obs.exchange)


@check(
    "lifecycle.attempt.stable",
    judges="jobrun",
    faithful=lambda: (ex.seen(ex.ok(), before=ex.ok(JobRunState="RUNNING")),),
    deviating=lambda: (ex.seen(ex.ok(Attempt=1), before=ex.ok()),),
)
def check_attempt_stable(obs: Observation, ctx: Context) -> None:
    if obs.before is None:
        return
    a, b = obs.before.run.get("Attempt"), obs.run.get("Attempt")
    expect(a == b, f"Attempt changed {_between(obs)}: {a!r} -> {b!r}", obs.exchange)


@check(
    "lifecycle.runs-agree",
    judges="jobrun",
    faithful=lambda: (ex.seen(ex.ok(), before=ex.ok(JobRunState="RUNNING"), asked=False),),
    deviating=lambda: (ex.seen(ex.ok(GlueVersion="0.9"), before=ex.ok(), asked=False),),
)
def check_runs_agree(obs: Observation, ctx: Context) -> None:
    if obs.before is None:
        return
    before, after = obs.before.run, obs.run
    # Which definition a run shows once its job was updated is not known (evidence section 11
    # covers a run and the job as it was started): what it reports of its job may change then.
    updated = obs.facts is not None and obs.facts.job_updated
    differ = {
        key: (before.get(key, "(absent)"), after.get(key, "(absent)"))
        for key in AGREE
        if not (updated and key in REFLECTED)
        if before.get(key) != after.get(key) and not _both_empty(before.get(key), after.get(key))
        if not (_waiting_unstarted(before, key) or _waiting_unstarted(after, key))
    }
    expect(
        not differ,
        f"the run is reported differently {_between(obs)}: "
        + ", ".join(f"{k}: {a!r} vs {b!r}" for k, (a, b) in differ.items()),
        obs.exchange,
    )


def _waiting_unstarted(run: dict[str, Any], key: str) -> bool:
    """A queued run may have no StartedOn while WAITING (no capture of a WAITING run,
    evidence 24): its absence there is no disagreement."""
    return key == "StartedOn" and run.get("JobRunState") == "WAITING" and key not in run


def _both_empty(a: Any, b: Any) -> bool:
    """Absent and {} are the same Arguments (evidence section 13 tolerates either)."""
    return a in (None, {}) and b in (None, {})


@check(
    "lifecycle.stop-only-named",
    judges="jobrun",
    faithful=lambda: (ex.seen(ex.ok(JobRunState="STOPPED"), facts=ex.stopped_facts()),),
    deviating=lambda: (ex.seen(ex.ok(JobRunState="STOPPING"), facts=ex.started()),),
)
def check_stop_only_named(obs: Observation, ctx: Context) -> None:
    """A run the suite started and never asked to stop cannot be stopping or stopped."""
    facts, state = obs.facts, obs.run.get("JobRunState")
    if facts is None or state not in STOP_STATES:
        return
    expect(
        facts.stop_sent_at is not None,
        f"run {facts.run_id} reports {state}, but no BatchStopJobRun named it",
        obs.exchange,
    )


@check(
    "lifecycle.stop-ends-stopped",
    judges="settled",
    faithful=lambda: (ex.settled("RUNNING", "STOPPING", "STOPPED", accepted=True),),
    deviating=lambda: (ex.settled("RUNNING", "SUCCEEDED", accepted=True),),
)
def check_stop(settled: Settled, ctx: Context) -> None:
    """A stop accepted by BatchStopJobRun ends STOPPED, through the stop's states only (the run
    may still show the state it had when the stop landed). A target without BatchStopJobRun
    fails here: AWS has it."""
    last = settled.last.exchange if settled.last is not None else None
    expect(
        settled.stop_refused is None,
        f"BatchStopJobRun of run {settled.run_id} failed: {settled.stop_refused}",
        last,
    )
    if not settled.stop_accepted:
        return
    states = list(settled.states)
    if settled.cut_short and (not states or states[-1] in STOP_PATH - {"STOPPED"}):
        return  # still on its way to STOPPED when the budget ran out: not judged
    expect(
        bool(states) and states[-1] == "STOPPED" and set(states) <= STOP_PATH,
        f"after BatchStopJobRun accepted the stop of {settled.run_id}, the run went "
        f"{' -> '.join(map(str, states)) or '(never observed)'}",
        last,
    )


@check(
    "lifecycle.transitions",
    judges="settled",
    faithful=lambda: (ex.settled("RUNNING", "SUCCEEDED"),),
    deviating=lambda: (ex.settled("STARTING", "RUNNING"),),
)
def check_finished(settled: Settled, ctx: Context) -> None:
    """A run the suite waited for reached a terminal state within --glue-lifecycle-timeout (a
    state outside the enum is response.state.enum's to report, not this)."""
    state = settled.states[-1] if settled.states else None
    expect(
        state in TERMINAL or state not in settled.known_states or settled.cut_short,
        f"the run did not finish within {settled.budget_s:g} s "
        f"(--glue-lifecycle-timeout): still {state} after {len(settled.states)} observations",
        settled.last.exchange if settled.last is not None else None,
    )


@check(
    "lifecycle.domain-accepted",
    judges="campaign",
    faithful=lambda: (ex.Sent("CreateJob", "JobName tab", "AccessDeniedException", "role"),),
    deviating=lambda: (
        ex.Sent("CreateJob", "JobName tab", "ValidationException", "1 validation error"),
    ),
)
def check_domain_accepted(sent: Sent, ctx: Context) -> None:
    """A valid request may be refused for what the world holds (a role, a limit), never as
    invalid: ValidationException is the model's check (evidence section 1)."""
    expect(
        sent.error != "ValidationException",
        f"{sent.operation} with {sent.what}: {sent.error} {sent.message[:200]!r}",
        sent.exchange,
    )


# What an ended run reported that no later observation may change (lifecycle.ended-unchanged).
ENDED = (
    "JobRunState",
    "CompletedOn",
    "LastModifiedOn",
    "ExecutionTime",
    "ErrorMessage",
    "DPUSeconds",
)
_ABSENT = object()


@check(
    "lifecycle.ended-unchanged",
    judges="jobrun",
    faithful=lambda: (ex.seen(ex.ok(), before=ex.ok()),),
    deviating=lambda: (ex.seen(ex.ok(ExecutionTime=118), before=ex.ok()),),
)
def check_ended_unchanged(obs: Observation, ctx: Context) -> None:
    """An observation after one that showed the run ended reports every member the ended run
    had exactly as it was (however long after: the suite re-reads ended runs seconds later)."""
    if obs.before is None or obs.before.run.get("JobRunState") not in TERMINAL:
        return
    before, after = obs.before.run, obs.run
    changed = [
        f"{key} {before[key]!r} -> {after.get(key, '(absent)')!r}"
        for key in ENDED
        if key in before and after.get(key, _ABSENT) != before[key]
    ]
    gap = obs.sent_at - obs.before.received_at
    expect(
        not changed,
        f"the run ended {before.get('JobRunState')}, then {gap:.1f} s later {_between(obs)}: "
        + ", ".join(changed),
        obs.exchange,
    )


@check(
    "lifecycle.run-id.fresh",
    judges="jobrun",
    faithful=lambda: (ex.seen(facts=ex.started()),),
    deviating=lambda: (ex.seen(facts=ex.reused()),),
)
def check_run_id_fresh(obs: Observation, ctx: Context) -> None:
    facts = obs.facts
    if facts is None:
        return
    expect(
        not facts.reused,
        f"StartJobRun answered run id {facts.run_id}, which an earlier StartJobRun had answered",
        obs.exchange,
    )


@check(
    "lifecycle.stop-answer",
    judges="stop",
    faithful=lambda: (ex.stop_answer(["jr_run"], ["jr_ended", "jr_nobody", "jr_other"]),),
    deviating=lambda: (ex.stop_answer(["jr_run", "jr_nobody"], ["jr_ended", "jr_other"]),),
)
def check_stop_answer(stop: StopAnswer, ctx: Context) -> None:
    """Judged on what the answer lists; a call refused as a whole is not judged (no capture
    says whether AWS refuses a batch with an unknown id in it, evidence section 20)."""
    if stop.answer is None:
        return
    done, errors = stop.listed("SuccessfulSubmissions"), stop.listed("Errors")
    every = done + errors
    twice = sorted({i for i in every if every.count(i) > 1})
    strangers = sorted({i for i in every if i not in stop.kinds})
    problems = []
    if twice or strangers:
        problems.append(
            "ids not listed once each: "
            + ", ".join(
                [f"{i} listed {every.count(i)} times" for i in twice]
                + [f"{i} never named" for i in strangers]
            )
        )
    for kind, what in (("unknown", "an id no run has"), ("foreign", "a run of another job")):
        wrong = [i for i in done if stop.kinds.get(i) == kind]
        if wrong:
            problems.append(f"{kind} ids ({what}) in SuccessfulSubmissions: {', '.join(wrong)}")
    expect(
        not problems,
        f"{stop.call} of {len(stop.kinds)} ids under {stop.job}: " + "; ".join(problems),
        None,
    )


# --- what a run may not do, and what waits (issue 35, evidence 24) ---------------------------
CONCURRENCY_ERROR = "ConcurrentRunsExceededException"


def _limited(case: str, *, error: str | None = CONCURRENCY_ERROR, **more: Any) -> LimitedStart:
    """A unit case: a start of a MaxConcurrentRuns 1 job while its one run was RUNNING."""
    refused = error is not None
    answer = ex.error(400, error, f"Concurrent runs exceeded for {ex.JOB}") if refused else None
    fields: dict[str, Any] = {
        "before": ("RUNNING",),
        "after": ("RUNNING",),
        "error": error,
        "message": f"Concurrent runs exceeded for {ex.JOB}" if refused else "",
        "status": 400 if refused else 200,
        "exchange": answer,
        "run_id": None if refused else ex.RUN_ID,
        **more,
    }
    return LimitedStart(ex.JOB, case, 1, **fields)


def _states(start: LimitedStart) -> str:
    return (
        f"the job's runs were {', '.join(map(str, start.before)) or 'none'} before it and "
        f"{', '.join(map(str, start.after)) or 'none'} after it"
    )


@check(
    "lifecycle.concurrency.limit",
    judges="campaign",
    faithful=lambda: (_limited("MaxConcurrentRuns 1"),),
    deviating=lambda: (_limited("MaxConcurrentRuns 1", error=None),),
)
def check_concurrency_limit(start: LimitedStart, ctx: Context) -> None:
    """Judged where the runs' states settle it (evidence 24: which states count is not
    captured): `held` RUNNING runs at the limit must refuse, fewer runs not seen ended than the
    limit must accept; anything between is not judged. A start with queuing on the run is
    lifecycle.queuing.accepted's."""
    if start.queuing:
        return
    where = f"{start.case} (limit {start.limit})"
    if start.held >= start.limit:
        expect(
            start.error is not None,
            f"{where}: the limit held by {start.held} RUNNING runs, yet a start was accepted "
            f"as run {start.run_id} ({_states(start)})",
            start.exchange,
        )
        expect(
            start.error == CONCURRENCY_ERROR and start.status == 400,
            f"{where}: a start beyond the limit refused with the wrong type {start.error} "
            f"(HTTP {start.status}), not {CONCURRENCY_ERROR} (HTTP 400): {start.message[:200]!r}",
            start.exchange,
        )
    elif start.going < start.limit:
        expect(
            start.error is None,
            f"{where}: the runs that held the limit had ended, so the limit freed a slot, yet "
            f"the start was refused: {start.error} {start.message[:200]!r} ({_states(start)})",
            start.exchange,
        )


@observation(
    "lifecycle.concurrency.message",
    judges="campaign",
    example=lambda: (_limited("MaxConcurrentRuns 1", message="Job with name x already running"),),
    records="other text",
)
def observe_concurrency_message(start: LimitedStart) -> str | None:
    if start.error != CONCURRENCY_ERROR:
        return None
    if start.message == f"Concurrent runs exceeded for {start.job}":
        return "as AWS's: 'Concurrent runs exceeded for <JobName>'"
    return f"other text: {start.message.replace(start.job, '<JobName>')[:120]!r}"


@check(
    "lifecycle.queuing.accepted",
    judges="campaign",
    faithful=lambda: (_limited("queuing on the run", error=None, queuing=True),),
    deviating=lambda: (_limited("queuing on the run", queuing=True, job_queuing=False),),
)
def check_queuing_accepted(start: LimitedStart, ctx: Context) -> None:
    """A start with JobRunQueuingEnabled true on the run is not refused for the limit; the
    job's value does not matter (the run's wins, evidence 11 and 24). Only the plain case is
    judged: what a start with FLEX or MaxRetries beside queuing gets is observed."""
    if start.queuing is not True or start.extra:
        return
    # (one condition, however the job's own value is set: a fault that ignores queuing breaks
    # it wherever it is judged, and which of the cases the states settle is the target's pace)
    job = {None: "not set", True: "true", False: "false"}[start.job_queuing]
    expect(
        start.error is None,
        f"{start.case} (limit {start.limit}, the job's JobRunQueuingEnabled {job}): a "
        f"start with JobRunQueuingEnabled true was refused: {start.error} "
        f"{start.message[:200]!r} ({_states(start)})",
        start.exchange,
    )


@observation(
    "lifecycle.queuing.observed",
    judges="campaign",
    example=lambda: (
        QueuedRun(ex.JOB, ex.RUN_ID, ("WAITING", "STARTING"), ("Waiting for capacity",), True, 2),
    ),
    records="WAITING -> STARTING",
)
def observe_queuing(subject: LimitedStart | QueuedRun) -> str | None:
    if isinstance(subject, QueuedRun):
        detail = "; ".join(sorted(set(subject.state_details)))[:120] or "(none)"
        waited = f"{subject.waited_s:.1f} s" if subject.waited_s is not None else "never seen"
        started = {None: "no WAITING view", True: "present", False: "absent"}[
            subject.started_on_while_waiting
        ]
        return (
            f"queued run: {' -> '.join(subject.states)}; WAITING {waited}; StateDetail "
            f"{detail!r}; StartedOn while WAITING {started}"
        )
    what = "accepted" if subject.error is None else f"refused {subject.error}"
    return (
        f"{subject.case} (queuing on the run {subject.queuing}, on the job "
        f"{subject.job_queuing}{', ' + subject.extra if subject.extra else ''}): {what}"
    )
