"""GetJobRuns beside GetJobRun (evidence section 17): every listing the campaign made (the
target's default page size, MaxResults 1, 2 and 3, before and after the runs ended), followed
through NextToken to its end; each item is also judged as a JobRun (test_response.py)."""

from __future__ import annotations

import pytest

from glue_conformance.checks import validation
from glue_conformance.scenarios import LIST_TARGET
from glue_conformance.verdicts import verdict_items


@pytest.mark.rule("validation.max-results.range")
@pytest.mark.parametrize("size", [0, 201])
def test_max_results_outside_1_to_200_is_refused(size, known_job, send, ctx):
    validation.check_max_results_refused(
        send({"JobName": known_job, "MaxResults": size}, target_header=LIST_TARGET), ctx
    )


globals().update(verdict_items(globals()))  # the verdict items (glue_conformance.verdicts)
