"""The coverage table of results.json as the views show it: per dimension of the request domain,
the classes a run exercised (how many times) and those it did not, each with its reason.

results.json's `coverage` member (optional: a run written before it, or by a reader that
records none, has none) is `{dimension: {"classes": {class: visits}, "not_exercised": {class:
reason}}}`. A view never hides a class that was not exercised: it is listed with its reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Table = Mapping[str, Mapping[str, Any]]


def table(results: Mapping[str, Any]) -> dict[str, Any]:
    found = results.get("coverage")
    return dict(found) if isinstance(found, Mapping) else {}


def exercised(entry: Mapping[str, Any]) -> str:
    classes = entry.get("classes") or {}
    return ", ".join(f"{cls} ×{count}" for cls, count in classes.items()) or "none"


def not_exercised(entry: Mapping[str, Any]) -> str:
    missing = entry.get("not_exercised") or {}
    return "; ".join(f"{cls} ({reason})" for cls, reason in missing.items())


def fraction(entry: Mapping[str, Any]) -> str:
    done = len(entry.get("classes") or {})
    return f"{done}/{done + len(entry.get('not_exercised') or {})}"


def summary_lines(coverage: Table) -> list[str]:
    """The terminal summary: one line of totals, then a line for each dimension with a class
    not exercised, its classes grouped by reason (a fully exercised dimension is in the
    reports, not on the terminal, where it would push the lines that need acting on away)."""
    if not coverage:
        return []
    done = sum(len(entry.get("classes") or {}) for entry in coverage.values())
    missed = sum(len(entry.get("not_exercised") or {}) for entry in coverage.values())
    lines = [
        f"{done}/{done + missed} classes of {len(coverage)} dimensions exercised"
        + (" (report.md lists them)" if missed else "")
    ]
    for dimension, entry in coverage.items():
        by_reason: dict[str, list[str]] = {}
        for cls, reason in (entry.get("not_exercised") or {}).items():
            by_reason.setdefault(reason, []).append(cls)
        if by_reason:
            lines.append(
                f"{dimension}: {fraction(entry)} (not exercised: "
                + "; ".join(
                    f"{', '.join(classes)}: {reason}" for reason, classes in by_reason.items()
                )
                + ")"
            )
    return lines


def changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, dict[str, list[str]]]:
    """{dimension: {"gained": [...], "lost": [...]}}: classes exercised in one run and not in
    the other (a run without a coverage table compares as none: nothing gained or lost)."""
    before, after = table(old), table(new)
    if not before or not after:
        return {}
    found: dict[str, dict[str, list[str]]] = {}
    for dimension in dict.fromkeys([*before, *after]):
        was = set((before.get(dimension) or {}).get("classes") or {})
        now = set((after.get(dimension) or {}).get("classes") or {})
        gained = [c for c in (after.get(dimension) or {}).get("classes") or {} if c not in was]
        lost = [c for c in (before.get(dimension) or {}).get("classes") or {} if c not in now]
        if gained or lost:
            found[dimension] = {"gained": gained, "lost": lost}
    return found


def merge_tables(tables: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Parts of one run (pytest-xdist workers' results): visits add up; a class one part could
    not exercise and another did counts as exercised; the first reason given is kept."""
    counts: dict[str, dict[str, int]] = {}
    reasons: dict[str, dict[str, str]] = {}
    for found in tables:
        for dimension, entry in found.items():
            mine = counts.setdefault(dimension, {})
            for cls, visits in (entry.get("classes") or {}).items():
                mine[cls] = mine.get(cls, 0) + int(visits)
            why = reasons.setdefault(dimension, {})
            for cls, reason in (entry.get("not_exercised") or {}).items():
                why.setdefault(cls, reason)
    return {
        dimension: {
            "classes": dict(counts[dimension]),
            "not_exercised": {
                cls: reason
                for cls, reason in reasons.get(dimension, {}).items()
                if cls not in counts[dimension]
            },
        }
        for dimension in counts
    }
