"""Baselines from a run: write a target's known deviations from its results.json, and prune the
entries that no longer deviate (schemathesis users know these as baseline update commands).

A baseline entry is {rule, cases, what, evidence}; `cases` are fnmatch globs over the case ids.
Written entries name their cases exactly (no globs), so a new case never hides behind an old
entry; what a human already wrote about a rule (its `what` and `evidence`) is kept.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from glue_conformance.reports import text
from glue_conformance.reports.results import DEVIATIONS, Results, is_stale

WHOLE = "*"
# The baselines that ship with the package: one file a target kind or emulator, by its name.
BASELINES = Path(str(resources.files("glue_conformance.reports"))) / "baselines"


def _cases(checks: list[Mapping[str, Any]]) -> list[str]:
    cases = sorted({check["case"] for check in checks})
    return [WHOLE] if cases == [""] else [case or WHOLE for case in cases]


def _deviates(check: Mapping[str, Any]) -> bool:
    """A failure that says only "the known deviation is gone" (a run made with this baseline)
    is the target conforming, not deviating."""
    return check["status"] in DEVIATIONS and not is_stale(check)


def write(
    results: Results, *, name: str, previous: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Every deviating check of `results`, one entry a rule, as a baseline named `name`."""
    known: dict[str, Mapping[str, Any]] = {}
    for entry in (previous or {}).get("deviations", []):
        known.setdefault(entry["rule"], entry)
    by_rule: dict[str, list[Mapping[str, Any]]] = {}
    for check in results["checks"]:
        if _deviates(check):
            by_rule.setdefault(check["rule"], []).append(check)
    deviations = []
    for rule, checks in by_rule.items():
        first = checks[0]
        old = known.get(rule, {})
        deviations.append(
            {
                "rule": rule,
                "cases": _cases(checks),
                "what": old.get("what") or text.one_line(first["message"] or first["statement"]),
                "evidence": old.get("evidence") or first["evidence"],
            }
        )
    target = results["target"]
    return {
        "name": name,
        "target": target["kind"],
        "observed_with": target["version"] or target["url"],
        "$comment": (previous or {}).get(
            "$comment",
            f"Known deviations of {name} from AWS Glue, written from a run by "
            "`python -m glue_conformance.reports baseline`. Review each entry's what and evidence.",
        ),
        "deviations": deviations,
    }


def prune(baseline: Mapping[str, Any], results: Results) -> tuple[dict[str, Any], list[str]]:
    """The baseline without entries whose checks all stopped deviating; entries this run did
    not judge at all are kept (nothing says they stopped). Returns it and what was removed."""
    kept, removed = [], []
    for entry in baseline.get("deviations", []):
        patterns = entry.get("cases", [WHOLE])
        matching = [
            check
            for check in results["checks"]
            if check["rule"] == entry["rule"]
            and check["status"] != "skipped"
            and any(fnmatch.fnmatchcase(check["case"], p) for p in patterns)
        ]
        if matching and not any(_deviates(check) for check in matching):
            removed.append(f"{entry['rule']} {patterns}")
        else:
            kept.append(dict(entry))
    return {**baseline, "deviations": kept}, removed


def committed() -> dict[str, dict[str, Any]]:
    """The baselines that ship with the package, by name (in order)."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(BASELINES.glob("*.json"))
    }


def table(baselines: Mapping[str, Mapping[str, Any]]) -> str:
    """A Markdown table: each rule some embedded emulator's baseline names, and which do (the
    copy in docs/emulators.md is kept in step with the committed baselines by a test)."""
    names = sorted(baselines)
    rules = sorted({e["rule"] for b in baselines.values() for e in b.get("deviations", [])})

    def label(name: str) -> str:
        return " ".join(str(baselines[name].get("observed_with", name)).split()[:2])

    head = "| Rule | " + " | ".join(label(n) for n in names)
    lines = [head + " |", "| --- |" + " --- |" * len(names)]
    for rule in rules:
        cells = []
        for name in names:
            entries = [e for e in baselines[name]["deviations"] if e["rule"] == rule]
            if not entries:
                cells.append("")
                continue
            cases = sorted({c for e in entries for c in e.get("cases", [WHOLE])})
            listed = ", ".join(f"`{c}`" for c in cases)
            some = (
                ""
                if cases in ([WHOLE], [""])  # the rule's one check, unparametrized
                else f" ({listed})"
                if len(listed) <= 48
                else (f" ({len(cases)} cases)")
            )
            racy = " (some runs)" if any(e.get("strict") is False for e in entries) else ""
            cells.append(f"deviates{some}{racy}")
        lines.append(f"| `{rule}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)
