"""Baselines from a run: write a target's known deviations from its results.json, and prune the
entries that no longer deviate (schemathesis users know these as baseline update commands).

A baseline entry is {rule, cases, what, evidence}; `cases` are fnmatch globs over the case ids.
Written entries name their cases exactly (no globs), so a new case never hides behind an old
entry; what a human already wrote about a rule (its `what` and `evidence`) is kept.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from glue_conformance.reports import text
from glue_conformance.reports.results import (
    DEVIATIONS,
    FORMATS,
    Results,
    completeness_line,
    is_stale,
)

WHOLE = "*"
# Checks whose deviation is one of a rule no baseline knows (conformance/test_stateful.py): under
# a baseline that names that rule, they conform.
BASELINE_RELATIVE = frozenset({"lifecycle.stateful"})
MATCHING = 0.9  # share of a run's deviations a committed baseline must know to be its emulator's
# The baselines that ship with the package: one file a target kind or emulator, by its name.
BASELINES = Path(str(resources.files("glue_conformance.reports"))) / "baselines"


class NotABaseline(ValueError):
    """A file that is no baseline: `problem` and `fix`, each a phrase, for one line."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(f"{problem} ({fix})")
        self.problem, self.fix = problem, fix


def read(path: Path) -> dict[str, Any]:
    """A baseline file, checked as a baseline: `--glue-baseline FILE` and `prune` read it here,
    so a file one refuses the other refuses too. A results.json or `{}` ran as a baseline of 0
    entries (every deviation then failed as new); an entry that is no object would fail deep in
    the run."""
    fix = "give a file `glue-conformance baseline` wrote, a committed name, 'auto' or 'none'"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotABaseline("no such file", fix) from None
    except (OSError, UnicodeDecodeError) as error:
        raise NotABaseline(f"cannot read it ({_text_of(error)})", fix) from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise NotABaseline(f"not JSON ({error})", fix) from None
    if isinstance(data, dict) and data.get("format") in FORMATS:
        raise NotABaseline(
            "a run's results, not a baseline",
            f"write one from it: glue-conformance baseline {path} --name NAME --out BASELINE.json",
        )
    if not isinstance(data, dict) or not isinstance(data.get("deviations"), list):
        raise NotABaseline("not a baseline: no 'deviations' list", fix)
    for index, entry in enumerate(data["deviations"]):
        problem = _entry_problem(entry)
        if problem:
            raise NotABaseline(f"not a baseline: deviations[{index}] {problem}", fix)
    if not isinstance(data.get("incomplete", ""), str):
        raise NotABaseline("not a baseline: 'incomplete' is not a text", fix)
    return data


def _entry_problem(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return "is not an object"
    if not isinstance(entry.get("rule"), str) or not entry["rule"]:
        return "has no 'rule'"
    cases = entry.get("cases", [WHOLE])
    if not isinstance(cases, list) or not all(isinstance(case, str) for case in cases):
        return "has 'cases' that are not a list of texts"
    if not isinstance(entry.get("strict", True), bool):
        return "has a 'strict' that is not true or false"
    versions = entry.get("versions", [])
    if not isinstance(versions, list) or not all(isinstance(v, str) for v in versions):
        return "has 'versions' that are not a list of texts"
    return None


def _text_of(error: BaseException) -> str:
    return " ".join(str(error).split())[:200]


def _cases(checks: list[Mapping[str, Any]]) -> list[str]:
    """The exact case ids that deviated: an empty case id (a rule judged once) stays "", never
    "*", which would also cover the rule's other cases, conforming ones included, and make them
    stale on the very next run."""
    return sorted({check["case"] for check in checks})


def _deviates(check: Mapping[str, Any]) -> bool:
    """A failure that says only "the known deviation is gone" (a run made with this baseline)
    is the target conforming, not deviating."""
    return check["status"] in DEVIATIONS and not is_stale(check)


def write(
    results: Results,
    *,
    name: str,
    previous: Mapping[str, Any] | None = None,
    more: Sequence[Results] = (),
) -> dict[str, Any]:
    """Every deviating check of `results` (and of the `more` runs of the same target), one
    entry a rule, as a baseline named `name`.

    One run cannot tell a race from a steady deviation, and a strict entry for a race fails
    the next run that does not show it. So a case that deviated in some of the runs only is
    written "strict": false, and when the target is an emulator with a committed baseline (by
    kind, or because that baseline knows nearly all of the run's deviations) its entries marked
    "strict": false, races seen there, are carried over."""
    runs = [results, *more]
    known: dict[str, Mapping[str, Any]] = {}
    for written in (previous or {}).get("deviations", []):
        known.setdefault(written["rule"], written)
    by_rule: dict[str, list[Mapping[str, Any]]] = {}
    seen: dict[str, int] = {}  # check id -> in how many runs it deviated
    own = {c["rule"] for run in runs for c in run["checks"] if _deviates(c)}
    for run in runs:
        for check in run["checks"]:
            # The state machine fails only on a rule no baseline knows: once that rule has its
            # own entry, the machine conforms under the baseline, and an entry for it, written
            # here too, would be stale on the very next run.
            relative = check["rule"] in BASELINE_RELATIVE
            if _deviates(check) and not (relative and check.get("failed_rule") in own):
                if check["id"] not in seen:
                    by_rule.setdefault(check["rule"], []).append(check)
                seen[check["id"]] = seen.get(check["id"], 0) + 1
    deviations: list[dict[str, Any]] = []
    for rule, checks in by_rule.items():
        first = checks[0]
        old = known.get(rule, {})
        entry: dict[str, Any] = {
            "rule": rule,
            "cases": _cases(checks),
            "what": old.get("what") or text.one_line(first["message"] or first["statement"]),
            "evidence": old.get("evidence") or first["evidence"],
        }
        if old.get("strict") is False or any(seen[c["id"]] < len(runs) for c in checks):
            entry["strict"] = False
        deviations.append(entry)
    _carry_races(deviations, results)
    target = results["target"]
    document: dict[str, Any] = {
        "name": name,
        "target": target["kind"],
        "observed_with": target["version"] or target["url"],
        "$comment": (previous or {}).get(
            "$comment",
            f"Known deviations of {name} from AWS Glue, written from a run by "
            "`glue-conformance baseline`. Review each entry's what and evidence. An entry "
            'marked "strict": false is a race, seen on some runs only.',
        ),
    }
    partial = incomplete(runs)
    if partial:
        document["incomplete"] = partial  # what its checks did not judge it cannot know
    return {**document, "deviations": deviations}


def incomplete(runs: Sequence[Results]) -> str | None:
    """'incomplete: N of M checks judged (why)' for each run given that is not whole (an
    interrupted run, a spent --glue-max-time), or None: a baseline written from one knows
    nothing of the checks it did not judge."""
    # (a document without `completeness`, results@1, was written only for whole runs)
    lines = [line for run in runs if "completeness" in run and (line := completeness_line(run))]
    return "; ".join(lines) or None


def emulator_of(results: Results) -> str | None:
    """The committed baseline whose emulator this run's target is: by its kind, or, for a URL
    (a moto started by hand), the one that knows nearly all of the run's deviations."""
    kind = results["target"]["kind"]
    if kind in committed():
        return str(kind)
    checks = results["checks"]
    return best_match(
        [(c["rule"], c["case"]) for c in checks if _deviates(c)],
        [(c["rule"], c["case"]) for c in checks if c["status"] == "passed"],
    )


def best_match(
    deviating: Sequence[tuple[str, str]], passed: Sequence[tuple[str, str]]
) -> str | None:
    """The committed baseline that knows at least MATCHING of the (rule, case) pairs that
    deviated. Two that know as many are told apart by the checks that passed where one of them
    expects a deviation (moto-ext's baseline knows all of moto's deviations, but moto's 200s are
    not text/html); when that does not tell them apart either, none is named."""
    if not deviating:
        return None
    scores: dict[str, tuple[int, int]] = {}
    for name, data in committed().items():
        entries = data.get("deviations", [])
        known = sum(1 for rule, case in deviating if _entry(entries, rule, case) is not None)
        contradicted = sum(1 for rule, case in passed if _entry(entries, rule, case) is not None)
        scores[name] = (known, -contradicted)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1][0] < MATCHING * len(deviating):
        return None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


def _entry(entries: Sequence[Mapping[str, Any]], rule: str, case: str) -> Mapping[str, Any] | None:
    for entry in entries:
        if entry["rule"] == rule and any(
            fnmatch.fnmatchcase(case, p) for p in entry.get("cases", [WHOLE])
        ):
            return entry
    return None


def _carry_races(deviations: list[dict[str, Any]], results: Results) -> None:
    """The committed baseline's races (entries marked "strict": false) of this run's emulator,
    into `deviations`: merged into the entry of the same rule, or added as they are."""
    emulator = emulator_of(results)
    if emulator is None:
        return
    for race in committed()[emulator].get("deviations", []):
        if race.get("strict") is not False:
            continue
        mine = next((e for e in deviations if e["rule"] == race["rule"]), None)
        if mine is None:
            deviations.append({**race, "what": f"{race['what']} (a race {emulator} shows)"})
        else:
            mine["cases"] = sorted({*mine["cases"], *race.get("cases", [WHOLE])})
            mine["strict"] = False


def prune(baseline: Mapping[str, Any], results: Results) -> tuple[dict[str, Any], list[str]]:
    """The baseline without what no longer deviates, so a run with it exits 0 again: a case
    pattern whose judged checks all conform is dropped, a glob that covers conforming checks
    beside deviating ones is narrowed to the cases that deviated, and an entry left with no
    case goes. What this run did not judge stays (nothing says it stopped), and so does an
    entry marked "strict": false (a race that conformed this time is not fixed). Returns the
    baseline and a line for each change."""
    kept, changes = [], []
    for entry in baseline.get("deviations", []):
        if entry.get("strict") is False:
            kept.append(dict(entry))
            continue
        patterns = entry.get("cases", [WHOLE])
        judged = [c for c in results["checks"] if c["rule"] == entry["rule"]]
        judged = [c for c in judged if c["status"] != "skipped"]
        cases: list[str] = []
        for pattern in patterns:
            matching = [c for c in judged if fnmatch.fnmatchcase(c["case"], pattern)]
            deviating = sorted({c["case"] for c in matching if _deviates(c)})
            if not matching or len(deviating) == len({c["case"] for c in matching}):
                cases.append(pattern)  # not judged, or every case it covers still deviates
            elif deviating:
                cases.extend(deviating)
                changes.append(
                    f"narrowed (some cases no longer deviate): {entry['rule']} "
                    f"{pattern!r} -> {deviating}"
                )
            else:
                changes.append(f"removed (no longer deviates): {entry['rule']} [{pattern!r}]")
        if cases:
            kept.append({**entry, "cases": list(dict.fromkeys(cases))})
    return {**baseline, "deviations": kept}, changes


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
        written = str(baselines[name].get("observed_with", name)).split()
        versions = baselines[name].get("versions")
        return f"{written[0]} {' / '.join(versions)}" if versions else " ".join(written[:2])

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
            known = baselines[name].get("versions") or []
            seen = sorted({v for e in entries for v in e.get("versions", known)})
            only = f" ({', '.join(seen)} only)" if known and seen != sorted(known) else ""
            cells.append(f"deviates{some}{racy}{only}")
        lines.append(f"| `{rule}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)
