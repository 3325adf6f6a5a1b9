"""What a run means: it reports its job and its start (evidence sections 11-14, 18).

A run can only reflect its job for GlueVersion; StartJobRun may override Timeout, WorkerType and
NumberOfWorkers; Arguments are the run's own, never merged with the job's DefaultArguments; a
first run is Attempt 0 with no PreviousRunId; a run started by StartJobRun has no trigger.
"""

from __future__ import annotations

import re
from typing import Any

from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, expect, observation
from glue_conformance.checks.response import job_run
from glue_conformance.transport import Exchange

REFLECTED = ("GlueVersion", "Timeout", "WorkerType", "NumberOfWorkers")
OVERRIDABLE = ("Timeout", "WorkerType", "NumberOfWorkers")
AWS_RUN_ID = re.compile(r"jr_[0-9a-f]{64}(_attempt_[0-9]+)?")


def _differences(run: dict[str, Any], expected: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        key: (value, run.get(key, "(absent)"))
        for key, value in expected.items()
        if run.get(key) != value
    }


def _said(differences: dict[str, tuple[Any, Any]]) -> str:
    return ", ".join(f"{k} {got!r} (expected {want!r})" for k, (want, got) in differences.items())


@check("response.job.reflected")
def check_job_reflected(exchange: Exchange, job: dict[str, Any], ctx: Context) -> None:
    """`job` is what CreateJob set; only the members of REFLECTED it set are judged."""
    expected = {key: job[key] for key in REFLECTED if key in job}
    wrong = _differences(job_run(exchange), expected)
    expect(not wrong, f"the run does not report its job's settings: {_said(wrong)}", exchange)


@check("response.run.overrides")
def check_run_overrides(exchange: Exchange, overrides: dict[str, Any], ctx: Context) -> None:
    expected = {key: overrides[key] for key in OVERRIDABLE if key in overrides}
    wrong = _differences(job_run(exchange), expected)
    expect(not wrong, f"StartJobRun's settings not reported: {_said(wrong)}", exchange)


@check("response.arguments.own")
def check_arguments_own(
    exchange: Exchange, given: dict[str, str] | None, defaults: dict[str, str], ctx: Context
) -> None:
    """`given` is what StartJobRun passed (None: nothing), `defaults` the job's DefaultArguments."""
    run = job_run(exchange)
    got = run.get("Arguments")
    if not given:
        expect(
            (got in (None, {}) and "Arguments" not in run) or got == {},
            f"no Arguments were given, the run reports {got!r}"
            + (f" (the job's DefaultArguments: {defaults!r})" if got else ""),
            exchange,
        )
        return
    merged = sorted(set(got or {}) & (set(defaults) - set(given))) if isinstance(got, dict) else []
    expect(
        got == given,
        f"Arguments {got!r}, StartJobRun gave {given!r}"
        + (f"; DefaultArguments merged in: {merged}" if merged else ""),
        exchange,
    )


@check("response.attempt.first")
def check_attempt_first(exchange: Exchange, ctx: Context) -> None:
    run = job_run(exchange)
    expect(
        run.get("Attempt", 0) == 0 and "PreviousRunId" not in run,
        f"a first run reports Attempt {run.get('Attempt')!r}"
        + (f" and PreviousRunId {run['PreviousRunId']!r}" if "PreviousRunId" in run else ""),
        exchange,
    )


@check("response.previous-run-id")
def check_previous_run_id(exchange: Exchange, previous: str, ctx: Context) -> None:
    found = job_run(exchange).get("PreviousRunId", "(absent)")
    expect(
        found == previous,
        f"PreviousRunId {found!r}, StartJobRun gave JobRunId {previous!r}",
        exchange,
    )


@check("response.timeout.default")
def check_timeout_default(exchange: Exchange, ctx: Context) -> None:
    """For a run of a Glue 4.0 job that set no Timeout, started with none."""
    run = job_run(exchange)
    expect(
        run.get("Timeout") == 2880,
        f"Timeout {run.get('Timeout', '(absent)')!r} on a Glue {run.get('GlueVersion')} run "
        "whose job and StartJobRun set none (expected 2880)",
        exchange,
    )


@observation("response.timeout.default-glue5")
def observe_timeout_glue5(exchange: Exchange) -> str:
    run = job_run(exchange)
    return f"Glue {run.get('GlueVersion')} run with no Timeout set: Timeout {run.get('Timeout')!r}"


@check("response.trigger.absent")
def check_trigger_absent(exchange: Exchange, ctx: Context) -> None:
    run = job_run(exchange)
    predecessors = run.get("PredecessorRuns", [])
    expect(
        "TriggerName" not in run and predecessors == [],
        f"a run started by StartJobRun reports TriggerName {run.get('TriggerName', '(absent)')!r}"
        f" and PredecessorRuns {predecessors!r}",
        exchange,
    )


@observation("response.run-id.shape")
def observe_run_id_shape(exchange: Exchange) -> str:
    found = job_run(exchange).get("Id")
    if isinstance(found, str) and AWS_RUN_ID.fullmatch(found):
        return "run id shaped as AWS's: jr_ and 64 hex digits"
    return f"run id {found!r} is not shaped as AWS's (jr_ and 64 hex digits)"
