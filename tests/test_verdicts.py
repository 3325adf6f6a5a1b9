"""The items of the rules judged at the observation point, generated from the registry
(glue_conformance.verdicts): every such rule has one, in a test module that generates it; an item
written by hand replaces it only in its own file; two items of one check id are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from glue_conformance.checks import all_checks
from glue_conformance.verdicts import (
    SUITE_DIR,
    duplicate_checks,
    item_name,
    verdict_items,
    verdict_rules,
)

GENERATES = "globals().update(verdict_items(globals()))"


def test_every_rule_judged_at_the_observation_point_has_a_module_that_generates_its_item():
    judged = {entry.rule.id for entry in all_checks().values() if entry.subject}
    placed = verdict_rules()
    assert set(placed) == judged
    for rule_id, module in placed.items():
        source = Path(SUITE_DIR, f"{module}.py").read_text(encoding="utf-8")
        assert GENERATES in source, (
            f"{rule_id}'s item belongs in {module}.py, which has no {GENERATES}"
        )


def test_an_item_is_the_verdict_of_its_rule():
    rule_id, module = next(iter(verdict_rules().items()))
    items = verdict_items({"__name__": f"glue_conformance.{module}"})
    item = items[item_name(rule_id)]
    assert [(m.name, m.args) for m in item.pytestmark] == [("rule", (rule_id,))]
    asked: list[str] = []
    item(asked.append)
    assert asked == [rule_id]


def test_an_item_written_in_its_file_replaces_the_generated_one_unless_parametrized():
    rule_id, module = next(iter(verdict_rules().items()))

    @pytest.mark.rule(rule_id)
    def test_written(verdict):
        verdict(rule_id)

    @pytest.mark.rule(rule_id)
    @pytest.mark.parametrize("case", ["a"])
    def test_cases(case, verdict):
        verdict(rule_id)

    name = f"glue_conformance.{module}"
    assert item_name(rule_id) not in verdict_items({"__name__": name, "test_written": test_written})
    assert item_name(rule_id) in verdict_items({"__name__": name, "test_cases": test_cases})


def test_two_items_of_one_check_are_refused_naming_both():
    assert duplicate_checks([("a.b", "x.py::test_a"), ("a.b[c]", "x.py::test_c")]) is None
    said = duplicate_checks(
        [("response.schema", "conformance/test_x.py::test_mine"), ("response.schema", "gen")]
    )
    assert said is not None
    assert "conformance/test_x.py::test_mine" in said
    assert "conformance/test_response.py" in said
    assert "delete the hand-written one" in said
