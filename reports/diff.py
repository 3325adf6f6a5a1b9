"""What changed between two runs, keyed on check ids, for a nightly job to act on.

A known deviation is failing that the baseline excuses ("failing-known"): the emulator still does
the wrong thing. So passed -> known-deviation is newly failing too (the baseline hid a
regression), and known-deviation -> failed is newly failing (the baseline no longer matches what
the emulator does). Only newly failing checks set the exit status; a new check that fails is
shown but, by default, does not (a suite that grows is not a target that regressed). A check
under an entry the baseline marks a race ("strict": false, recorded in results.json) that passed
in one run and was a known deviation in the other did what the baseline says: "races", neither.

Runs against different targets (results.json's target, named as the history page names it, so
embedded moto on a fresh port or a newer moto is the same target) still diff and still gate, but
every output says so first: "newly failing" then describes two servers, not a change over time.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from glue_conformance.reports import coverage_view, text
from glue_conformance.reports.markdown_view import code, escape
from glue_conformance.reports.results import (
    Results,
    completeness_line,
    describe_target,
    target_label,
)

PASSING, FAILING, FAILING_KNOWN, SKIPPED = "passing", "failing", "failing-known", "skipped"
STATE = {
    "passed": PASSING,
    "failed": FAILING,
    "known-deviation": FAILING_KNOWN,
    "skipped": SKIPPED,
}
_BAD = (FAILING, FAILING_KNOWN)

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("newly_failing", "Newly failing"),
    ("newly_passing", "Newly passing"),
    ("still_failing", "Still failing"),
    ("newly_skipped", "Newly skipped"),
    ("races", 'Races that flipped (baseline "strict": false)'),
    ("new_checks", "New checks"),
    ("removed_checks", "Removed checks"),
)


@dataclass(frozen=True)
class Change:
    id: str
    old: str | None  # status in the old run; None for a new check
    new: str | None  # status in the new run; None for a removed check
    message: str


@dataclass(frozen=True)
class RunSummary:
    target: str
    started: str
    conformance_pct: float
    counts: dict[str, int]

    @classmethod
    def of(cls, results: Results) -> RunSummary:
        summary = results["summary"]
        counts = {k: v for k, v in summary.items() if k != "conformance_pct"}
        return cls(
            describe_target(results["target"]),
            results["started"],
            summary["conformance_pct"],
            counts,
        )


@dataclass
class Diff:
    old: RunSummary
    new: RunSummary
    newly_failing: list[Change] = field(default_factory=list)
    newly_passing: list[Change] = field(default_factory=list)
    still_failing: list[Change] = field(default_factory=list)
    newly_skipped: list[Change] = field(default_factory=list)
    # Passed in one run, a known deviation in the other, under an entry the baseline marks a
    # race ("strict": false): what the baseline says happens, never a regression.
    races: list[Change] = field(default_factory=list)
    new_checks: list[Change] = field(default_factory=list)
    removed_checks: list[Change] = field(default_factory=list)
    unchanged: int = 0
    different_targets: bool = False
    warnings: list[str] = field(default_factory=list)
    # Classes of the request domain exercised in one run and not the other, per dimension.
    coverage: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def exit_code(self, *, fail_on_new: bool = False) -> int:
        new_failures = any(c.new == "failed" for c in self.new_checks)
        return 1 if self.newly_failing or (fail_on_new and new_failures) else 0


def category(old_status: str, new_status: str, *, race: bool = False) -> str | None:
    """The category of a check present in both runs, or None when nothing worth saying changed.
    `race`: a baseline entry marked "strict": false covers it in one of the runs."""
    old, new = STATE[old_status], STATE[new_status]
    if race and {old, new} == {PASSING, FAILING_KNOWN}:
        return "races"
    if new in _BAD and (old not in _BAD or (old == FAILING_KNOWN and new == FAILING)):
        return "newly_failing"
    if old in _BAD and new in _BAD:
        return "still_failing"
    if old in _BAD and new == PASSING:
        return "newly_passing"
    if new == SKIPPED and old != SKIPPED:
        return "newly_skipped"
    return None


def diff(old: Results, new: Results) -> Diff:
    """Compare two validated results dicts; lists keep the new run's check order."""
    result = Diff(RunSummary.of(old), RunSummary.of(new))
    for side, run in (("old", old), ("new", new)):
        partial = completeness_line(run)
        if partial:
            result.warnings.append(
                f"note: the {side} run is {partial}: its checks that were not judged are not "
                "compared as verdicts"
            )
    if target_label(old["target"]) != target_label(new["target"]):
        result.different_targets = True
        result.warnings.append(
            f"note: comparing different targets: {text.one_line(result.old.target)}"
            f" vs {text.one_line(result.new.target)}"
        )
    before = {c["id"]: c for c in old["checks"]}
    after = {c["id"]: c for c in new["checks"]}
    for check_id, check in after.items():
        message = text.one_line(check["message"])
        if check_id not in before:
            result.new_checks.append(Change(check_id, None, check["status"], message))
            continue
        kind = category(
            before[check_id]["status"],
            check["status"],
            race=_race(before[check_id]) or _race(check),
        )
        if kind is None:
            result.unchanged += 1
        else:
            change = Change(check_id, before[check_id]["status"], check["status"], message)
            getattr(result, kind).append(change)
    for check_id, check in before.items():
        if check_id not in after:
            removed = Change(check_id, check["status"], None, text.one_line(check["message"]))
            result.removed_checks.append(removed)
    result.coverage = coverage_view.changes(old, new)
    return result


def _race(check: dict[str, Any]) -> bool:
    return (check.get("baseline") or {}).get("strict") is False


def _coverage_rows(result: Diff) -> list[tuple[str, str, str]]:
    return [
        (dimension, ", ".join(change["gained"]) or "—", ", ".join(change["lost"]) or "—")
        for dimension, change in result.coverage.items()
    ]


def _counts(run: RunSummary) -> str:
    c = run.counts
    return (
        f"{run.conformance_pct:.1f}% ({c['passed']} passed, {c['failed']} failed, "
        f"{c['known-deviation']} known, {c['skipped']} skipped, {c['total']} total)"
    )


def _transition(change: Change) -> str:
    return f"{change.old or '(new)'} -> {change.new or '(removed)'}"


def _clip(value: str, limit: int = 120) -> str:
    value = text.safe(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def format_text(result: Diff) -> str:
    delta = result.new.conformance_pct - result.old.conformance_pct
    lines = [text.safe(warning) for warning in result.warnings]
    lines += [
        f"old: {text.safe(result.old.started)}  {text.safe(result.old.target)}",
        f"     {_counts(result.old)}",
        f"new: {text.safe(result.new.started)}  {text.safe(result.new.target)}",
        f"     {_counts(result.new)}  [{delta:+.1f} points]",
    ]
    for attr, title in CATEGORIES:
        changes: list[Change] = getattr(result, attr)
        lines += ["", f"{title} ({len(changes)})" + (":" if changes else "")]
        width = max((len(text.safe(c.id)) for c in changes), default=0)
        for change in changes:
            row = f"  {text.safe(change.id):<{width}}  {_transition(change)}"
            if change.message and attr != "removed_checks":
                row += f"  {_clip(change.message)}"
            lines.append(row)
    rows = _coverage_rows(result)
    lines += ["", f"Coverage classes gained or lost ({len(rows)})" + (":" if rows else "")]
    lines += [f"  {text.safe(d)}: gained {text.safe(g)}; lost {text.safe(lo)}" for d, g, lo in rows]
    lines += ["", f"unchanged: {result.unchanged}"]
    if result.newly_failing:
        excused = sum(c.new == "known-deviation" for c in result.newly_failing)
        verdict = f"REGRESSION: {len(result.newly_failing)} newly failing"
        if excused:
            verdict += f" ({excused} of them excused by the new run's baseline)"
        if result.different_targets:
            verdict += " between different targets"
    else:
        verdict = "no newly failing checks"
    lines.append(verdict)
    return "\n".join(lines) + "\n"


def format_markdown(result: Diff) -> str:
    delta = result.new.conformance_pct - result.old.conformance_pct
    lines = [f"> **{escape(warning)}**" for warning in result.warnings]
    if lines:
        lines.append("")
    lines += [
        "## GetJobRun conformance: what changed",
        "",
        "| run | started | target | conformance | counts |",
        "| --- | --- | --- | ---: | --- |",
    ]
    for name, run in (("old", result.old), ("new", result.new)):
        c = run.counts
        lines.append(
            f"| {name} | {escape(run.started)} | {escape(run.target)} | "
            f"{run.conformance_pct:.1f} % | {c['passed']} passed · {c['failed']} failed · "
            f"{c['known-deviation']} known · {c['skipped']} skipped |"
        )
    lines += ["", f"Change: **{delta:+.1f} points**; unchanged checks: {result.unchanged}."]
    for attr, title in CATEGORIES:
        changes: list[Change] = getattr(result, attr)
        lines += ["", f"### {title} ({len(changes)})"]
        if changes:
            lines += ["", "| check | change | message |", "| --- | --- | --- |"]
            lines += [
                f"| {code(c.id)} | {escape(_transition(c))} | {escape(_clip(c.message))} |"
                for c in changes
            ]
    rows = _coverage_rows(result)
    lines += ["", f"### Coverage classes gained or lost ({len(rows)})"]
    if rows:
        lines += ["", "| dimension | gained | lost |", "| --- | --- | --- |"]
        lines += [f"| {escape(d)} | {escape(g)} | {escape(lo)} |" for d, g, lo in rows]
    return "\n".join(lines) + "\n"


def to_json(result: Diff) -> str:
    data: dict[str, Any] = asdict(result)
    data["regression"] = bool(result.newly_failing)
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


FORMATTERS = {"text": format_text, "md": format_markdown, "json": to_json}
