"""A run's life across every observation of it: polls, listings, the stop (evidence sections 5,
14-16, 20). The campaign polls all its runs together until they end; each test is the verdict of
its rule over what was seen."""

from __future__ import annotations

import pytest

from glue_conformance.verdicts import verdict_items


@pytest.mark.rule("lifecycle.stop-ends-stopped")
def test_a_stopped_run_ends_stopped(observed, verdict):
    if observed.stop_note:
        pytest.skip(observed.stop_note)
    verdict("lifecycle.stop-ends-stopped")


@pytest.mark.rule("protocol.answers")
@pytest.mark.parametrize("case", ["reads"])
def test_every_read_of_a_run_is_answered(case, verdict):
    verdict("protocol.answers")


globals().update(verdict_items(globals()))  # the verdict items (glue_conformance.verdicts)
