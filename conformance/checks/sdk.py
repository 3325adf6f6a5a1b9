"""The SDK's view: boto3 (client-side validation off) must parse each answer into the right
types and raise the modelled exception classes. A target can pass raw wire checks and still
break real clients, e.g. with an error type boto3 cannot map."""

from __future__ import annotations

import datetime as dt
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

import glue_conformance.checks.examples as ex
from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, expect
from glue_conformance.transport import Exchange


@check(
    "sdk.response.parses",
    faithful=lambda: (ex.client(ex.parsed), ex.JOB, ex.RUN_ID, ex.ok()),
    deviating=lambda: (ex.client(ex.raises("InternalFailure")), ex.JOB, ex.RUN_ID, ex.ok()),
)
def check_parses(client: Any, job_name: str, run_id: str, raw: Exchange, ctx: Context) -> None:
    try:
        run = client.get_job_run(JobName=job_name, RunId=run_id)["JobRun"]
    except (BotoCoreError, ClientError, ValueError) as error:
        expect(False, f"boto3 raised {error!r}"[:400], raw)
        return
    started = run.get("StartedOn")
    expect(
        isinstance(started, dt.datetime) and run.get("Id") == run_id and "JobRunState" in run,
        f"boto3 parsed StartedOn={started!r}, Id={run.get('Id')!r}, "
        f"JobRunState={run.get('JobRunState')!r}",
        raw,
    )


@check(
    "sdk.not-found.modelled-exception",
    faithful=lambda: (ex.client(ex.raises("EntityNotFoundException")), ex.ABSENT, ex.NOT_FOUND),
    deviating=lambda: (ex.client(ex.raises("NotFound")), ex.ABSENT, ex.NOT_FOUND),
)
def check_not_found_exception(
    client: Any, body: dict[str, Any], raw: Exchange, ctx: Context
) -> None:
    try:
        client.get_job_run(**body)
    except client.exceptions.EntityNotFoundException:
        return
    except (BotoCoreError, ClientError) as error:
        expect(False, f"boto3 raised {error!r}"[:400], raw)
    expect(False, "boto3 raised nothing", raw)


@check(
    "sdk.validation.error-code",
    faithful=lambda: (ex.client(ex.raises("ValidationException")), ex.ABSENT, ex.TOO_LONG),
    deviating=lambda: (ex.client(ex.raises("InvalidInputException")), ex.ABSENT, ex.TOO_LONG),
)
def check_validation_code(client: Any, body: dict[str, Any], raw: Exchange, ctx: Context) -> None:
    code = None
    try:
        client.get_job_run(**body)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code")
    except BotoCoreError as error:
        code = repr(error)
    allowed = (
        {"ValidationException", "InvalidInputException"}
        if ctx.tolerate_invalid_input
        else {"ValidationException"}
    )
    expect(code in allowed, f"boto3 error code {code!r}", raw)
