"""GetJobRuns beside GetJobRun (evidence section 17): every listing the campaign made (the
target's default page size, MaxResults 1, 2 and 3, before and after the runs ended), followed
through NextToken to its end; each item is also judged as a JobRun (test_response.py)."""

from __future__ import annotations

import pytest

from glue_conformance.checks import validation
from glue_conformance.scenarios import LIST_TARGET


@pytest.mark.rule("lifecycle.runs-newest-first")
def test_runs_are_listed_newest_first(verdict):
    verdict("lifecycle.runs-newest-first")


@pytest.mark.rule("lifecycle.runs-paging")
def test_runs_page_with_max_results_and_next_token(verdict):
    verdict("lifecycle.runs-paging")


@pytest.mark.rule("lifecycle.runs-listed")
def test_every_run_started_is_listed(verdict):
    verdict("lifecycle.runs-listed")


@pytest.mark.rule("lifecycle.runs-only-own")
def test_a_listing_holds_only_the_jobs_runs(verdict):
    verdict("lifecycle.runs-only-own")


@pytest.mark.rule("lifecycle.runs-agree")
def test_every_observation_of_a_run_agrees(verdict):
    verdict("lifecycle.runs-agree")


@pytest.mark.rule("validation.max-results.range")
@pytest.mark.parametrize("size", [0, 201])
def test_max_results_outside_1_to_200_is_refused(size, known_job, send, ctx):
    validation.check_max_results_refused(
        send({"JobName": known_job, "MaxResults": size}, target_header=LIST_TARGET), ctx
    )
