"""The suite's items for the rules judged at the observation point, generated from the registry.

A check registered with `judges=` ("jobrun", "listing", "settled", "stop", or "campaign" for one
the campaign calls itself) is applied to every subject of its kind the run sees; its rule's
pytest item only asks the judge for the verdict (`verdict("<rule id>")`, conformance/fixtures.py).
So no one writes that item: each `conformance/test_<name>.py` ends with

    globals().update(verdict_items(globals()))

and gets one item per such rule whose check lives in `conformance/checks/<name>.py` (a check
module with no test file of its own, like `clock`, puts its items in its rule's group's file).
An item is named `test_<rule id>` (dots and dashes as underscores), marked with its rule, and
calls the verdict: the check id (`rule`), the rule's and group's markers and `-k <rule id>` are
the adapter's, as for a hand-written item.

A rule whose verdict needs more than the call (lifecycle.stop-ends-stopped skips when the stop
could not be made) keeps a hand-written item marked with its rule in the same file: the file's
own item is kept and none is generated. A second item of the same check id anywhere else stops
the collection (`duplicate_checks`), saying which to delete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from glue_conformance.checks import all_checks
from glue_conformance.rules import RULES

SUITE_DIR = Path(__file__).resolve().parent


def _test_file(module: str, rule_id: str) -> str:
    """The test module that holds the verdict item of `rule_id`, judged by a check of `module`."""
    if (SUITE_DIR / f"test_{module}.py").is_file():
        return f"test_{module}"
    return "test_" + RULES[rule_id].group.value.replace("-", "_")


def verdict_rules() -> dict[str, str]:
    """Every rule judged at the observation point -> the test module of its item, in the order
    of conformance/rules.py."""
    placed: dict[str, str] = {}
    for name, entry in sorted(all_checks().items()):
        if entry.subject and entry.rule.id not in placed:
            placed[entry.rule.id] = _test_file(name.split(".", 1)[0], entry.rule.id)
    return {rule_id: placed[rule_id] for rule_id in RULES if rule_id in placed}


def item_name(rule_id: str) -> str:
    return "test_" + rule_id.replace(".", "_").replace("-", "_")


def _rules_marked(namespace: Mapping[str, Any]) -> set[str]:
    """The rules of the unparametrized items a test module writes itself (a parametrized one
    checks its own cases, `rule[case]`, beside the verdict's `rule`)."""
    found: set[str] = set()
    for name, value in namespace.items():
        if not name.startswith("test_") or not callable(value):
            continue
        marks = getattr(value, "pytestmark", [])
        if any(mark.name == "parametrize" for mark in marks):
            continue
        found.update(str(mark.args[0]) for mark in marks if mark.name == "rule" and mark.args)
    return found


def _item(rule_id: str, name: str, module: str) -> Callable[..., None]:
    def item(verdict: Callable[[str], None]) -> None:
        verdict(rule_id)

    item.__name__ = item.__qualname__ = name
    item.__module__ = module
    item.__doc__ = f"The verdict of {rule_id} over every observation of its subject in the run."
    marked: Callable[..., None] = pytest.mark.rule(rule_id)(item)
    return marked


def verdict_items(namespace: Mapping[str, Any]) -> dict[str, Callable[..., None]]:
    """The generated items of the test module whose globals are `namespace`."""
    module = str(namespace["__name__"])
    short = module.rsplit(".", 1)[-1]
    written = _rules_marked(namespace)
    items: dict[str, Callable[..., None]] = {}
    for rule_id, test_file in verdict_rules().items():
        if test_file != short or rule_id in written:
            continue
        name = item_name(rule_id)
        if name in namespace:
            raise ValueError(f"{module}.{name} is written by hand without @pytest.mark.rule")
        items[name] = _item(rule_id, name, module)
    return items


def duplicate_checks(items: Iterable[tuple[str, str]]) -> str | None:
    """(check id, node id) of every collected item: a message when one check id has two items
    (a hand-written verdict item beside a generated one), else None."""
    seen: dict[str, str] = {}
    for check, nodeid in items:
        if check in seen:
            return (
                f"two items check {check}: {seen[check]} and {nodeid}. A rule judged at the "
                "observation point gets its item from the registry (glue_conformance.verdicts): "
                "delete the hand-written one if it only calls verdict(...), or move it into "
                f"conformance/{verdict_rules().get(check.split('[', 1)[0], 'test_<group>')}.py "
                "(an item there replaces the generated one)"
            )
        seen[check] = nodeid
    return None
