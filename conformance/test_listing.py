"""GetJobRuns beside GetJobRun (evidence section 17): newest first, paged with MaxResults and
NextToken, and each run as GetJobRun reports it. Read raw, over the suite's own transport."""

from __future__ import annotations

import pytest

from glue_conformance.checks import listing, validation
from glue_conformance.transport import Exchange

LIST = "AWSGlue.GetJobRuns"
MAX_PAGES = 20


def _list(send, body) -> Exchange:
    return send(body, target_header=LIST)


@pytest.fixture(scope="session")
def listed(runs, retried, send) -> Exchange:
    """One GetJobRuns of the job with three runs, once all of them exist."""
    return _list(send, {"JobName": runs.job})


@pytest.mark.rule("lifecycle.runs-newest-first")
def test_runs_are_listed_newest_first(listed, ctx):
    listing.check_newest_first(listed, ctx)


@pytest.mark.rule("lifecycle.runs-paging")
def test_runs_page_with_max_results_and_next_token(runs, retried, send, ctx):
    pages = [_list(send, {"JobName": runs.job, "MaxResults": 1})]
    while listing.next_token(pages[-1]) is not None and len(pages) < MAX_PAGES:
        token = listing.next_token(pages[-1])
        pages.append(_list(send, {"JobName": runs.job, "MaxResults": 1, "NextToken": token}))
    listing.check_paging(pages, 1, set(runs.in_job), ctx)


@pytest.mark.rule("lifecycle.runs-agree")
@pytest.mark.parametrize("label", ["bare", "overrides"])
def test_each_listed_run_agrees_with_get_job_run(label, runs, listed, send, ctx):
    run = runs.started[label]
    again = send({"JobName": run.job_name, "RunId": run.run_id})
    listing.check_runs_agree(listed, again, ctx)


@pytest.mark.rule("validation.max-results.range")
@pytest.mark.parametrize("size", [0, 201])
def test_max_results_outside_1_to_200_is_refused(size, known_job, send, ctx):
    validation.check_max_results_refused(
        _list(send, {"JobName": known_job, "MaxResults": size}), ctx
    )
