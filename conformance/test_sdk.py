"""The same requests through boto3 (parameter_validation=False): what real clients see."""

from __future__ import annotations

import pytest

from glue_conformance.awsjson import error_info
from glue_conformance.cases import ABSENT_JOB, ABSENT_RUN, LIVE, LIVE_BASE
from glue_conformance.checks import sdk
from glue_conformance.transport import Exchange


def _boto3_can_read_the_type(raw: Exchange, observe) -> bool:
    """botocore reads an error's type only from `__type`. smithy also allows the
    X-Amzn-ErrorType header and a `code` member, so a target using those is not deviating from
    the protocol; its users' SDKs will still misread it, which is recorded."""
    body = raw.json if isinstance(raw.json, dict) else {}
    source = error_info(raw).source
    if source is not None and not isinstance(body.get("__type"), str):
        observe(f"error type sent in {source!r}, not __type: boto3 cannot map it to a class")
        return False
    return True


@pytest.fixture(scope="session")
def glue_client(glue_target):
    return glue_target.client(max_attempts=1)


@pytest.mark.rule("sdk.response.parses")
def test_sdk_parses_the_run(glue_client, job_run, first_get, ctx):
    sdk.check_parses(glue_client, job_run.job_name, job_run.run_id, first_get, ctx)


@pytest.mark.rule("sdk.not-found.modelled-exception")
def test_sdk_raises_entity_not_found(glue_client, send, ctx, observe):
    body = {"JobName": ABSENT_JOB, "RunId": ABSENT_RUN}
    raw = send(body)
    if _boto3_can_read_the_type(raw, observe):
        sdk.check_not_found_exception(glue_client, body, raw, ctx)


@pytest.mark.rule("sdk.validation.error-code")
def test_sdk_reports_validation_exception(glue_client, send, ctx, observe):
    body = {"JobName": "a" * 256, "RunId": ABSENT_RUN}
    raw = send(body)
    if _boto3_can_read_the_type(raw, observe):
        sdk.check_validation_code(glue_client, body, raw, ctx)


@pytest.mark.rule("sdk.validation.error-code")
@pytest.mark.parametrize("context", [LIVE])
def test_sdk_reports_validation_exception_for_the_live_run(
    context, glue_client, send, ctx, observe, live
):
    """The same 256-character JobName, with the RunId of the suite's own run."""
    live.unavailable()
    body = live.fill({"JobName": "a" * 256, "RunId": LIVE_BASE["RunId"]})
    raw = send(body)
    if _boto3_can_read_the_type(raw, observe):
        sdk.check_validation_code(glue_client, body, raw, ctx)
