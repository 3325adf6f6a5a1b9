"""Not found: valid names that name nothing get EntityNotFoundException, never a validation
error."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given

from glue_conformance.awsjson import error_info
from glue_conformance.batching import batched
from glue_conformance.cases import ABSENT_JOB, ABSENT_RUN, VALID_EDGES
from glue_conformance.checks import not_found, validation
from glue_conformance.strategies import batches, get_job_run_requests, utf16_length
from glue_conformance.transport import Exchange
from glue_conformance.verdicts import verdict_items


@pytest.fixture(scope="module")
def absent_job(send_together) -> Callable[[str], Exchange]:
    """Every lookup under a job that does not exist, sent together (named by the JobName's edge
    label; "" for the plain absent job)."""
    names = {"": ABSENT_JOB, **dict(VALID_EDGES)}
    return send_together(
        {label: ({"JobName": n, "RunId": ABSENT_RUN}, {}) for label, n in names.items()}
    )


@pytest.fixture(scope="module")
def absent_run(send_together, known_job) -> Callable[[str], Exchange]:
    """Every lookup of a run that does not exist under the suite's job, sent together."""
    ids = {"": ABSENT_RUN, **dict(VALID_EDGES)}
    return send_together(
        {label: ({"JobName": known_job, "RunId": i}, {}) for label, i in ids.items()}
    )


@pytest.mark.rule("not-found.unknown-job")
def test_unknown_job(absent_job, ctx):
    not_found.check_unknown_job(absent_job(""), ctx)


@pytest.mark.rule("not-found.unknown-run")
def test_unknown_run_of_a_known_job(absent_run, ctx):
    not_found.check_unknown_run(absent_run(""), ctx)


@pytest.mark.rule("not-found.unknown-job")
@pytest.mark.parametrize(
    ("label", "name"), VALID_EDGES, ids=[f"JobName-{v[0]}" for v in VALID_EDGES]
)
def test_valid_edge_job_names_are_not_found(label, name, absent_job, ctx):
    not_found.check_unknown_job(absent_job(label), ctx)


@pytest.mark.rule("not-found.unknown-run")
@pytest.mark.parametrize(
    ("label", "run_id"), VALID_EDGES, ids=[f"RunId-{v[0]}" for v in VALID_EDGES]
)
def test_valid_edge_run_ids_are_not_found(label, run_id, absent_run, ctx):
    not_found.check_unknown_run(absent_run(label), ctx)


@pytest.mark.rule("not-found.property.valid-names")
@batched
@given(batch=batches(get_job_run_requests(valid=True)))
def test_every_valid_name_is_judged_not_found(batch, send_each, ctx):
    for body, exchange in zip(batch, send_each(batch), strict=True):
        _judge_not_found(body, exchange, ctx)


def _judge_not_found(body, exchange, ctx) -> None:
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


@pytest.mark.rule("not-found.delete-unknown-job")
def test_delete_job_of_a_job_that_does_not_exist(provisioner, send, ctx):
    """The name is in this run's own namespace (its prefix and token) and was never created,
    so it names nobody's job (docs/safety.md): nothing can be deleted by it."""
    if provisioner is None:
        pytest.skip("read-only mode sends no DeleteJob")
    name = provisioner.name("never-created")
    assert name not in provisioner.created_jobs
    exchange = send({"JobName": name}, operation="DeleteJob")
    if error_info(exchange).type == "AccessDeniedException":
        # The role may not delete jobs: a refusal for what the world holds, which says nothing
        # of how a name that names nothing is answered (lifecycle.domain-accepted's reading).
        pytest.skip("DeleteJob refused with AccessDeniedException: the role may not delete jobs")
    not_found.check_delete_unknown_job(exchange, ctx)


globals().update(verdict_items(globals()))  # the verdict items (glue_conformance.verdicts)
