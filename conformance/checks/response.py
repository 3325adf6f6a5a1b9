"""The answer for a run that exists: schema, identity, arguments, timestamps, state, predecessors.

Reads the raw JSON, not an SDK's parse of it: an SDK may quietly accept an ISO string where the
wire format says a number (evidence section 3: timestamps are epoch-second JSON numbers).
"""

from __future__ import annotations

from typing import Any

from glue_conformance import schemas
from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, expect, observation
from glue_conformance.transport import Exchange

TIMESTAMPS = ("StartedOn", "LastModifiedOn", "CompletedOn")
TERMINAL = frozenset({"STOPPED", "SUCCEEDED", "FAILED", "TIMEOUT", "ERROR", "EXPIRED"})


def job_run(exchange: Exchange) -> dict[str, Any]:
    body = exchange.json
    run = body.get("JobRun") if isinstance(body, dict) else None
    return run if isinstance(run, dict) else {}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@check("response.status.200")
def check_status_200(exchange: Exchange, ctx: Context) -> None:
    expect(exchange.status == 200, f"HTTP {exchange.status}", exchange)


@check("response.schema")
def check_schema(exchange: Exchange, ctx: Context) -> None:
    validator = schemas.validator("GetJobRun.response")
    body = exchange.json
    problems = [] if body is not None else [exchange.json_problem or "not JSON"]
    if body is not None:
        problems = [
            f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message[:160]}"
            for error in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        ]
    expect(not problems, "; ".join(problems[:5]), exchange)


@check("response.timestamps.epoch-number")
def check_timestamps_are_numbers(exchange: Exchange, ctx: Context) -> None:
    run = job_run(exchange)
    wrong = {k: run[k] for k in TIMESTAMPS if k in run and not _is_number(run[k])}
    expect(
        not wrong,
        f"not JSON numbers: {wrong!r}",
        exchange,
    )


@check("response.id.matches-request")
def check_id(exchange: Exchange, run_id: str, ctx: Context) -> None:
    found = job_run(exchange).get("Id")
    expect(
        found == run_id,
        f"Id {found!r}, asked for {run_id!r}",
        exchange,
    )


@check("response.jobname.matches-request")
def check_job_name(exchange: Exchange, job_name: str, ctx: Context) -> None:
    found = job_run(exchange).get("JobName")
    expect(
        found == job_name,
        f"JobName {found!r}, asked for {job_name!r}",
        exchange,
    )


@check("response.arguments.echoed")
def check_arguments(exchange: Exchange, arguments: dict[str, str], ctx: Context) -> None:
    got = job_run(exchange).get("Arguments")
    missing = {k: v for k, v in arguments.items() if not isinstance(got, dict) or got.get(k) != v}
    expect(
        not missing,
        f"StartJobRun Arguments not returned as given: expected {arguments!r}, got {got!r}",
        exchange,
    )


@check("response.timestamps.order")
def check_timestamp_order(exchange: Exchange, ctx: Context) -> None:
    run = job_run(exchange)
    started, modified, completed = (run.get(k) for k in TIMESTAMPS)
    if not (_is_number(started) and _is_number(modified)):
        return  # not numbers: response.timestamps.epoch-number reports that
    expect(
        started <= modified,
        f"LastModifiedOn {modified} is before StartedOn {started}",
        exchange,
    )
    if _is_number(completed):
        expect(
            completed >= started,
            f"CompletedOn {completed} is before StartedOn {started}",
            exchange,
        )


def job_run_states() -> list[str]:
    """The model's JobRunState enum, as the generated response schema carries it."""
    states: list[str] = schemas.load("GetJobRun.response")["$defs"]["JobRunState"]["enum"]
    return states


@check("response.state.enum")
def check_state_enum(exchange: Exchange, ctx: Context) -> None:
    allowed = job_run_states()
    state = job_run(exchange).get("JobRunState")
    expect(state in allowed, f"JobRunState {state!r}", exchange)


@check("response.predecessor-runs.well-formed")
def check_predecessor_runs(exchange: Exchange, ctx: Context) -> None:
    run = job_run(exchange)
    if "PredecessorRuns" not in run:
        return
    runs = run["PredecessorRuns"]
    well_formed = isinstance(runs, list) and all(
        isinstance(p, dict) and all(isinstance(p.get(k, ""), str) for k in ("JobName", "RunId"))
        for p in runs
    )
    expect(
        well_formed,
        f"PredecessorRuns {runs!r}",
        exchange,
    )


@observation("response.completed-on.terminal-only")
def observe_completed_on(exchange: Exchange) -> str | None:
    """Tolerant: CompletedOn on a non-terminal state is reported, never failed (evidence 5)."""
    run = job_run(exchange)
    state = run.get("JobRunState")
    if "CompletedOn" in run and state not in TERMINAL:
        return f"CompletedOn present while {state}"
    if "CompletedOn" not in run and state in TERMINAL:
        return f"no CompletedOn on terminal state {state}"
    return None
