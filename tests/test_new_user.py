"""Small things a new user met (#28): each a test that fails without its fix."""

from __future__ import annotations

import pytest

from glue_conformance.checks.base import Context, Deviation
from glue_conformance.model import Model
from glue_conformance.observe import Judge, Record
from glue_conformance.reports import text
from glue_conformance.rules import RULES


def test_a_rule_s_further_deviations_carry_no_run_of_spaces() -> None:
    """results.json's message and a report's one-line cell read '... (and 2 more: ...)', not
    '...              (and 2 more'; the console text still aligns the line under 'observed:'."""
    rule = RULES["response.schema"]
    judge = Judge(Model(), Context())
    judge.records[rule.id] = Record(
        judged=3,
        deviations=[Deviation(rule, f"GetJobRun: wrong {i}", None, Context()) for i in range(3)],
    )
    with pytest.raises(Deviation) as raised:
        judge.verdict(rule.id)
    observed = raised.value.observed
    assert observed == "GetJobRun: wrong 0\n(and 2 more: GetJobRun; GetJobRun...)"
    assert "  " not in text.one_line(observed)
    shown = str(raised.value).splitlines()
    at = shown.index("  observed:  GetJobRun: wrong 0")
    assert shown[at + 1] == " " * len("  observed:  ") + "(and 2 more: GetJobRun; GetJobRun...)"
