"""The measured scores of the suite's verdicts, printed at the end of `pytest tests`.

A test that measures a score records its counts as a user property of its report; the
controller's conftest adds up the counts of each score over every report it receives (its own,
or a pytest-xdist worker's: user properties travel with the report, a stash does not) and prints
one line per score. A score measured in parts (the differential score, one part a group of
faults, so that workers share it) is summed before it is printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

PROPERTY = "glue-conformance score"

LINES: dict[str, str] = {
    "mutation": (
        "mutation score: {killed}/{faults} seeded faults killed ({killed_pct:.1f}%); "
        "false alarms: {alarms}/{variants} variants"
    ),
    "differential": (
        "differential mutation score: {killed}/{faults} seeded faults differ from the shipped "
        "record; {shown}/{reached} of those the campaign reaches"
    ),
}


def record(node: Any, score: str, **counts: int) -> None:
    """Attach one part of `score`'s counts to the report of the test `node` runs."""
    assert score in LINES, score
    node.user_properties.append((PROPERTY, {"score": score, **counts}))


def add(totals: dict[str, dict[str, int]], properties: Iterable[tuple[str, Any]]) -> None:
    for name, value in properties:
        if name == PROPERTY and isinstance(value, Mapping):
            counts = totals.setdefault(str(value["score"]), {})
            for key, number in value.items():
                if key != "score":
                    counts[key] = counts.get(key, 0) + int(number)


def lines(totals: Mapping[str, Mapping[str, int]]) -> list[str]:
    out = []
    for score, counts in totals.items():
        faults = counts.get("faults", 0)
        killed_pct = 100.0 * counts.get("killed", 0) / faults if faults else 0.0
        out.append(LINES[score].format(killed_pct=killed_pct, **counts))
    return out
