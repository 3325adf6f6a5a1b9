"""A JobRun on its own: schema, identity, arguments, timestamps, state, predecessors.

Each check judges an `Observation`: one JobRun from any operation (GetJobRun, every GetJobRuns
item, every poll), handed over by the observation point (`glue_conformance.observe`).

Reads the raw JSON, not an SDK's parse of it: an SDK may quietly accept an ISO string where the
wire format says a number (evidence section 3: timestamps are epoch-second JSON numbers).
"""

from __future__ import annotations

from typing import Any, TypeGuard

import glue_conformance.checks.examples as ex
from glue_conformance import schemas
from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, expect, observation
from glue_conformance.checks.subjects import Observation
from glue_conformance.transport import Exchange

TIMESTAMPS = ("StartedOn", "LastModifiedOn", "CompletedOn")
TERMINAL = frozenset({"STOPPED", "SUCCEEDED", "FAILED", "TIMEOUT", "ERROR", "EXPIRED"})


def job_run(exchange: Exchange) -> dict[str, Any]:
    body = exchange.json
    run = body.get("JobRun") if isinstance(body, dict) else None
    return run if isinstance(run, dict) else {}


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


@check(
    "response.status.200",
    judges="campaign",
    faithful=lambda: (ex.ok(),),
    deviating=lambda: (ex.NOT_FOUND,),
)
def check_status_200(exchange: Exchange, ctx: Context) -> None:
    expect(exchange.status == 200, f"HTTP {exchange.status}", exchange)


@check(
    "response.schema",
    judges="jobrun",
    faithful=lambda: (ex.seen(),),
    deviating=lambda: (ex.seen(ex.ok(Attempt="0")),),
)
def check_schema(obs: Observation, ctx: Context) -> None:
    """The JobRun against the model's JobRun shape, wherever it came from; a GetJobRun answer's
    whole body against the operation's output shape too."""
    if obs.asked_run is not None:
        problems = _problems(schemas.validator("GetJobRun.response"), obs.exchange.json)
    else:
        problems = _problems(schemas.definition_validator("GetJobRun.response", "JobRun"), obs.run)
    expect(not problems, "; ".join(problems[:5]), obs.exchange)


def _problems(validator: Any, body: Any) -> list[str]:
    if body is None:
        return ["not JSON"]
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message[:160]}"
        for error in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    ]


@check(
    "response.timestamps.epoch-number",
    judges="jobrun",
    faithful=lambda: (ex.seen(),),
    deviating=lambda: (ex.seen(ex.ok(StartedOn="2025-12-01T12:00:00Z")),),
)
def check_timestamps_are_numbers(obs: Observation, ctx: Context) -> None:
    run = obs.run
    wrong = {k: run[k] for k in TIMESTAMPS if k in run and not _is_number(run[k])}
    expect(not wrong, f"not JSON numbers: {wrong!r}", obs.exchange)


@check(
    "response.id.matches-request",
    judges="jobrun",
    faithful=lambda: (ex.seen(),),
    deviating=lambda: (ex.seen(ex.ok(Id="jr_other")),),
)
def check_id(obs: Observation, ctx: Context) -> None:
    """GetJobRun returns the run asked for (a listing item has no RunId asked for)."""
    if obs.asked_run is None:
        return
    found = obs.run.get("Id")
    expect(found == obs.asked_run, f"Id {found!r}, asked for {obs.asked_run!r}", obs.exchange)


@check(
    "response.jobname.matches-request",
    judges="jobrun",
    faithful=lambda: (ex.seen(),),
    deviating=lambda: (ex.seen(ex.ok(JobName="other")),),
)
def check_job_name(obs: Observation, ctx: Context) -> None:
    """The run is reported under the job asked for, by GetJobRun and by every listing item."""
    if obs.job is None:
        return
    found = obs.run.get("JobName")
    expect(found == obs.job, f"JobName {found!r}, asked for {obs.job!r}", obs.exchange)


@check(
    "response.arguments.echoed",
    judges="jobrun",
    faithful=lambda: (
        ex.seen(ex.ok(Arguments={"--day": "1"}), facts=ex.started(arguments={"--day": "1"})),
    ),
    deviating=lambda: (
        ex.seen(ex.ok(Arguments={"--day": "2"}), facts=ex.started(arguments={"--day": "1"})),
    ),
)
def check_arguments(obs: Observation, ctx: Context) -> None:
    """Every Argument StartJobRun gave comes back with its value (the exact map is
    response.arguments.own's)."""
    given = obs.facts.arguments if obs.facts is not None else None
    if not given:
        return
    got = obs.run.get("Arguments")
    missing = {k: v for k, v in given.items() if not isinstance(got, dict) or got.get(k) != v}
    expect(
        not missing,
        f"StartJobRun Arguments not returned as given: expected {given!r}, got {got!r}",
        obs.exchange,
    )


@check(
    "response.timestamps.order",
    judges="jobrun",
    faithful=lambda: (ex.seen(),),
    deviating=lambda: (ex.seen(ex.ok(LastModifiedOn=ex.NOW - 1)),),
)
def check_timestamp_order(obs: Observation, ctx: Context) -> None:
    run = obs.run
    started, modified, completed = (run.get(k) for k in TIMESTAMPS)
    if not _is_number(started):
        return  # not a number: response.timestamps.epoch-number reports that
    if _is_number(modified):
        expect(
            started <= modified,
            f"LastModifiedOn {modified} is before StartedOn {started}",
            obs.exchange,
        )
    if _is_number(completed):
        expect(
            completed >= started,
            f"CompletedOn {completed} is before StartedOn {started}",
            obs.exchange,
        )


def job_run_states() -> list[str]:
    """The model's JobRunState enum, as the generated response schema carries it."""
    states: list[str] = schemas.load("GetJobRun.response")["$defs"]["JobRunState"]["enum"]
    return states


@check(
    "response.state.enum",
    judges="jobrun",
    faithful=lambda: (ex.seen(),),
    deviating=lambda: (ex.seen(ex.ok(JobRunState="DONE")),),
)
def check_state_enum(obs: Observation, ctx: Context) -> None:
    state = obs.run.get("JobRunState")
    expect(state in job_run_states(), f"JobRunState {state!r}", obs.exchange)


@check(
    "response.predecessor-runs.well-formed",
    judges="jobrun",
    faithful=lambda: (ex.seen(ex.ok(PredecessorRuns=[{"JobName": "a", "RunId": "jr_a"}])),),
    deviating=lambda: (ex.seen(ex.ok(PredecessorRuns="none")),),
)
def check_predecessor_runs(obs: Observation, ctx: Context) -> None:
    run = obs.run
    if "PredecessorRuns" not in run:
        return
    runs = run["PredecessorRuns"]
    well_formed = isinstance(runs, list) and all(
        isinstance(p, dict) and all(isinstance(p.get(k, ""), str) for k in ("JobName", "RunId"))
        for p in runs
    )
    expect(well_formed, f"PredecessorRuns {runs!r}", obs.exchange)


@observation(
    "response.completed-on.terminal-only",
    judges="jobrun",
    example=lambda: (ex.seen(ex.ok(JobRunState="RUNNING")),),
    records="CompletedOn present",
)
def observe_completed_on(obs: Observation) -> str | None:
    """Tolerant: CompletedOn on a non-terminal state is reported, never failed (evidence 5)."""
    run = obs.run
    state = run.get("JobRunState")
    if "CompletedOn" in run and state not in TERMINAL:
        return f"CompletedOn present while {state}"
    if "CompletedOn" not in run and state in TERMINAL:
        return f"no CompletedOn on terminal state {state}"
    return None
