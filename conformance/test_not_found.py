"""Not found: valid names that name nothing get EntityNotFoundException, never a validation
error."""

from __future__ import annotations

import pytest
from hypothesis import given

from glue_conformance.cases import ABSENT_JOB, ABSENT_RUN, VALID_EDGES
from glue_conformance.checks import not_found, validation
from glue_conformance.strategies import get_job_run_requests, utf16_length


@pytest.mark.rule("not-found.unknown-job")
def test_unknown_job(send, ctx):
    exchange = send({"JobName": ABSENT_JOB, "RunId": ABSENT_RUN})
    not_found.check_unknown_job(exchange, ctx)


@pytest.mark.rule("not-found.unknown-run")
def test_unknown_run_of_a_known_job(send, ctx, known_job):
    exchange = send({"JobName": known_job, "RunId": ABSENT_RUN})
    not_found.check_unknown_run(exchange, ctx)


@pytest.mark.rule("not-found.unknown-job")
@pytest.mark.parametrize(
    ("label", "name"), VALID_EDGES, ids=[f"JobName-{v[0]}" for v in VALID_EDGES]
)
def test_valid_edge_job_names_are_not_found(label, name, send, ctx):
    exchange = send({"JobName": name, "RunId": ABSENT_RUN})
    not_found.check_unknown_job(exchange, ctx)


@pytest.mark.rule("not-found.unknown-run")
@pytest.mark.parametrize(
    ("label", "run_id"), VALID_EDGES, ids=[f"RunId-{v[0]}" for v in VALID_EDGES]
)
def test_valid_edge_run_ids_are_not_found(label, run_id, send, ctx, known_job):
    exchange = send({"JobName": known_job, "RunId": run_id})
    not_found.check_unknown_run(exchange, ctx)


@pytest.mark.rule("not-found.property.valid-names")
@given(body=get_job_run_requests(valid=True))
def test_every_valid_name_is_judged_not_found(body, send, ctx):
    exchange = send(body)
    over_utf16 = any(
        isinstance(v, str) and utf16_length(v) > 255 for v in (body["JobName"], body["RunId"])
    )
    if over_utf16 and validation.is_validation_error(exchange):
        return  # the target counts UTF-16 units: unsettled (evidence 7), not a deviation
    not_found.check_valid_name_not_found(exchange, ctx)


@pytest.mark.rule("not-found.run-under-other-job")
@pytest.mark.parametrize("where", ["other-job", "unknown-job"])
def test_a_run_is_found_only_under_its_own_job(where, send, ctx, job_run, request):
    name = (
        request.getfixturevalue("observed").jobs["defaults"] if where == "other-job" else ABSENT_JOB
    )
    exchange = send({"JobName": name, "RunId": job_run.run_id})
    not_found.check_run_under_other_job(exchange, ctx)


@pytest.mark.rule("not-found.run-id-exact")
@pytest.mark.parametrize("change", ["swapped-case", "leading-space", "trailing-space"])
def test_the_run_id_lookup_is_exact(change, send, ctx, job_run):
    run_id = {
        "swapped-case": job_run.run_id.swapcase(),
        "leading-space": " " + job_run.run_id,
        "trailing-space": job_run.run_id + " ",
    }[change]
    exchange = send({"JobName": job_run.job_name, "RunId": run_id})
    not_found.check_run_id_exact(exchange, ctx)
