"""The same requests through boto3 (parameter_validation=False): what real clients see."""

from __future__ import annotations

import pytest

from conformance.cases import ABSENT_JOB, ABSENT_RUN
from conformance.checks import sdk


@pytest.fixture(scope="session")
def glue_client(glue_target):
    return glue_target.client(max_attempts=1)


@pytest.mark.rule("sdk.response.parses")
def test_sdk_parses_the_run(glue_client, job_run, first_get, ctx):
    sdk.check_parses(glue_client, job_run.job_name, job_run.run_id, first_get, ctx)


@pytest.mark.rule("sdk.not-found.modelled-exception")
def test_sdk_raises_entity_not_found(glue_client, send, ctx):
    body = {"JobName": ABSENT_JOB, "RunId": ABSENT_RUN}
    sdk.check_not_found_exception(glue_client, body, send(body), ctx)


@pytest.mark.rule("sdk.validation.error-code")
def test_sdk_reports_validation_exception(glue_client, send, ctx):
    body = {"JobName": "a" * 256, "RunId": ABSENT_RUN}
    sdk.check_validation_code(glue_client, body, send(body), ctx)
