"""report.md: the run in GitHub-flavoured Markdown, for a CI job summary or a PR comment.

GitHub cuts a PR comment at 65,536 characters, so the deviations share a budget: every failing
rule gets its statement and one detailed case before any rule gets a second, the rest of a rule's
cases are counted and named, and rules that still do not fit are listed one line each, with the
reader sent to report.html. Request, response and reproductions sit in <details> blocks so a
comment with many deviations stays scannable.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from glue_conformance.reports import coverage_view, text
from glue_conformance.reports.results import (
    DEVIATIONS,
    GROUPS,
    MANY_DEVIATIONS,
    STATUSES,
    Results,
    by_rule,
    completeness_line,
    conformance_pct,
    describe_target,
    group_matrix,
    is_stale,
)

DEFAULT_BUDGET = 60_000
# The one-line lists past the budget (overflow, observed behaviour) may use this much more, which
# keeps the whole report under GitHub's 65,536.
SLACK = 4_000
# A property-based rule can fail for dozens of cases, mostly for one cause; details for a few
# leave room for every other failing rule, and the rest are counted and named on one line.
PER_RULE = 3
BODY_LIMIT = 4_000
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_BACKTICKS = re.compile(r"`+")

HEADINGS = {"failed": "Failed", "known-deviation": "Known deviations"}


def escape(value: object) -> str:
    """Prose for Markdown: inline HTML and emphasis neutralised, one line."""
    return _SPECIAL.sub(r"\\\1", html.escape(text.safe(text.one_line(str(value))), quote=False))


def code(value: object) -> str:
    """An inline code span that survives backticks in the value and sits safely in a table."""
    content = text.safe(text.one_line(str(value))).replace("|", "\\|")
    longest = max((len(m) for m in _BACKTICKS.findall(content)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if content.startswith("`") or content.endswith("`") or not content else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def fenced(content: str, lang: str = "") -> str:
    content = text.safe(content)
    longest = max((len(m) for m in _BACKTICKS.findall(content)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{content}\n{fence}"


def _clip(value: str, limit: int = 160) -> str:
    value = text.one_line(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def counts_line(summary: dict[str, Any]) -> str:
    """One line a script can parse: `**total** 120 · **passed** 100 · ...`; `stale` (of the
    failed, the baseline entries no longer seen) when the document counts it."""
    parts = [f"**total** {summary['total']}"] + [f"**{s}** {summary[s]}" for s in STATUSES]
    if "stale" in summary:
        parts.append(f"**stale** {summary['stale']}")
    return " · ".join(parts)


def prune_command(results: Results) -> str:
    """The command that drops the stale entries, run beside this report's results.json."""
    baseline = results["baseline"]
    path = baseline["path"] if baseline else "BASELINE.json"
    return f"glue-conformance prune {path} results.json"


def _no_baseline(results: Results) -> list[str]:
    """Many deviations and no baseline: the command that keeps them as known, so the next run
    fails only on new ones (run beside this report's results.json)."""
    new = [c for c in results["checks"] if c["status"] == "failed" and not is_stale(c)]
    if results["baseline"] is not None or len(new) < MANY_DEVIATIONS:
        return []
    target = results["target"]
    name = target.get("name") or (target["kind"] if target["kind"] != "url" else "my-emulator")
    command = f"glue-conformance baseline results.json --name {name} --out {name}-baseline.json"
    return [
        f"> **{len(new)} deviations and no baseline.** To keep them as known and fail only on "
        f"new ones, write a baseline (beside this report's results.json), review each entry, "
        f"then run with `--glue-baseline {name}-baseline.json`:",
        "",
        fenced(command, "sh"),
        "",
    ]


def _stale(results: Results) -> list[str]:
    """Known deviations no longer seen: one line per rule, apart from the new deviations."""
    stale = [c for c in results["checks"] if is_stale(c)]
    if not stale:
        return []
    lines = [
        f"### Known deviations no longer seen ({len(stale)})",
        "",
        "The target now conforms where its baseline expects a deviation: not a new deviation, "
        "but the baseline is stale. Drop these entries (beside this report's results.json):",
        "",
        fenced(prune_command(results), "sh"),
        "",
    ]
    for rule, checks in by_rule(stale):
        lines.append(f"- {code(rule)}: {len(checks)} case{'' if len(checks) == 1 else 's'}")
    return [*lines, ""]


def _headline(results: Results) -> list[str]:
    summary, target, model = results["summary"], results["target"], results["model"]
    hypothesis, baseline = results["hypothesis"], results["baseline"]
    seed = code(hypothesis["seed"]) if hypothesis["seed"] else "random"
    baseline_text = (
        f"{escape(baseline['name'])} · {code(baseline['path'])} · {baseline['entries']} entries"
        if baseline
        else "none"
    )
    partial = completeness_line(results)
    score = (
        f"{escape(partial)}; {text.pct(summary['conformance_pct'])} of the checks judged"
        if partial
        else text.pct(summary["conformance_pct"])
    )
    return [
        f"## GetJobRun conformance: {score} — {escape(describe_target(target))}",
        "",
        *(
            [f"> **This run is {escape(partial)}.** Its verdicts cover only what was judged.", ""]
            if partial
            else []
        ),
        counts_line(summary),
        "",
        "| Run | |",
        "| --- | --- |",
        f"| Target | {code(target['url'])} ({escape(target['kind'])}"
        f"{', ' + escape(target['version']) if target['version'] else ''}) |",
        f"| Started | {text.when(results['started'])} |",
        f"| Duration | {text.duration(results['duration_s'])} |",
        f"| Suite | {escape(results['suite']['name'])} {escape(results['suite']['version'])} |",
        f"| Model | {escape(model['service'])} {escape(model['apiVersion'])} · botocore "
        f"{escape(model['botocore'])} · operation sha256 {code(model['operationModelSha256'])} |",
        f"| Hypothesis | profile {code(hypothesis['profile'] or 'default')} · seed {seed} |",
        f"| Baseline | {baseline_text} |",
    ]


def _matrix(results: Results) -> list[str]:
    matrix = group_matrix(results)
    head = "| group | " + " | ".join(STATUSES) + " | total | conformance |"
    rule = "| --- |" + " ---: |" * (len(STATUSES) + 2)
    rows = [head, rule]
    for group in GROUPS:
        counts = matrix[group]
        cells = [str(counts[s]) for s in STATUSES]
        ran = counts["passed"] + counts["failed"] + counts["known-deviation"]
        pct = text.pct(conformance_pct(counts)) if ran else "—"
        rows.append(
            f"| {group} | " + " | ".join(cells) + f" | {sum(counts[s] for s in STATUSES)} | {pct} |"
        )
    summary = results["summary"]
    cells = [f"**{summary[s]}**" for s in STATUSES]
    rows.append(
        "| **all** | "
        + " | ".join(cells)
        + f" | **{summary['total']}** | **{text.pct(summary['conformance_pct'])}** |"
    )
    return ["### Rule groups", "", *rows]


def _coverage(results: Results) -> list[str]:
    """What the run exercised of the request domain, per dimension (never a silent gap)."""
    found = coverage_view.table(results)
    if not found:
        return []
    rows = ["### What this run exercised", "", "| dimension | exercised | not exercised |"]
    rows.append("| --- | --- | --- |")
    for dimension, entry in found.items():
        rows.append(
            f"| {escape(dimension)} ({coverage_view.fraction(entry)}) | "
            f"{escape(coverage_view.exercised(entry))} | "
            f"{escape(coverage_view.not_exercised(entry) or '—')} |"
        )
    return [*rows, ""]


def _check_detail(check: dict[str, Any]) -> str:
    lines = [
        f"- **{code(check['id'])}**"
        + (f" — {escape(check['message'])}" if check["message"] else "")
    ]
    if check["observed"]:
        lines.append(f"  observed: {escape(check['observed'])}")
    if check["baseline"]:
        lines.append(
            f"  baseline: {escape(check['baseline']['what'])}"
            f" ({escape(check['baseline']['evidence'])})"
        )
    blocks: list[str] = []
    if check["request"]:
        blocks += ["Request", "", fenced(text.request_text(check["request"], BODY_LIMIT), "http")]
    if check["response"]:
        blocks += ["", "Response", ""]
        blocks.append(fenced(text.response_text(check["response"], BODY_LIMIT), "http"))
    if check["reproduction"]:
        curl, boto3 = check["reproduction"]["curl"], check["reproduction"]["boto3"]
        if curl:
            blocks += ["", "Reproduce with curl", "", fenced(curl, "sh")]
        if boto3:
            blocks += ["", f"{'or' if curl else 'Reproduce with'} boto3", ""]
            blocks.append(fenced(boto3, "python"))
    if blocks:
        where = f" · {code(check['nodeid'])}" if check["nodeid"] else ""
        inner = "\n".join(blocks)
        lines += [
            "",
            "  <details><summary>request, response and reproduction</summary>",
            "",
            "\n".join(("  " + line) if line else "" for line in inner.split("\n")),
            "",
            f"  test{where}",
            "  </details>",
        ]
    return "\n".join(lines)


def _rule_head(rule: str, checks: list[dict[str, Any]], status: str) -> str:
    first = checks[0]
    return "\n".join(
        [
            f"#### {code(rule)} — {len(checks)} {status}",
            "",
            f"> {escape(first['statement'])}",
            "",
            f"*{escape(first['group'])} · {escape(first['strictness'])}* · evidence: "
            f"{escape(first['evidence'])}",
            "",
        ]
    )


def _size(lines: list[str]) -> int:
    return sum(len(line) + 1 for line in lines)


@dataclass
class _RuleSection:
    """One failing rule in report.md: its heading, the cases shown in detail, and the rest
    counted in one paragraph that names the first `named` of them."""

    head: str
    checks: list[dict[str, Any]]
    blocks: list[str]
    # Example cases, shortest detail first: a 4096-character name says what an 8-character one
    # says, in ten times the space.
    examples: list[int]
    detailed: set[int] = field(default_factory=set)
    named: int = 0

    def rest(self) -> list[dict[str, Any]]:
        return [c for i, c in enumerate(self.checks) if i not in self.detailed]

    def more_cases(self) -> str:
        rest = self.rest()
        count = f"{len(rest)} more case{'' if len(rest) == 1 else 's'} of this rule"
        line = f"{count} (details in report.html)"
        names = [code(c["id"]) for c in rest[: self.named]]
        if not names:
            return line + "."
        left = len(rest) - len(names)
        return f"{line}: {', '.join(names)}" + (f", … and {left} more." if left else ".")

    def name_within(self, limit: int) -> None:
        """Name as many of the rest as keep this section within `limit` characters."""

        def fits(named: int) -> bool:
            self.named = named
            return _size(self.lines()) <= limit

        total = len(self.rest())
        if fits(total):
            return
        low, high = 0, total - 1  # the most names that fit, with "… and N more" after them
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if fits(middle) else (low, middle - 1)
        fits(low)

    def lines(self) -> list[str]:
        out = [self.head]
        for index in sorted(self.detailed):
            out += [self.blocks[index], ""]
        if len(self.detailed) < len(self.checks):
            out += [self.more_cases(), ""]
        return out


def _sections(checks: list[dict[str, Any]], status: str) -> list[_RuleSection]:
    sections = []
    for rule, rule_checks in by_rule(checks):
        blocks = [_check_detail(check) for check in rule_checks]
        examples = sorted(range(len(blocks)), key=lambda i: (len(blocks[i]), i))[:PER_RULE]
        sections.append(
            _RuleSection(_rule_head(rule, rule_checks, status), rule_checks, blocks, examples)
        )
    return sections


def _fit(sections: list[_RuleSection], room: int) -> list[_RuleSection]:
    """Decide what each rule shows within `room` characters; the rules that got no room at all.

    In priority order: every rule its heading, one detailed case and the count of the rest; then
    the names of the rest; then up to PER_RULE detailed cases, one round of rules at a time.
    """
    used = 0
    left_out = []
    for section in sections:
        section.detailed = {section.examples[0]}
        cost = _size(section.lines())
        if used + cost > room:
            section.detailed = set()
            left_out.append(section)
            continue
        used += cost
    shown = [s for s in sections if s.detailed]
    for section in shown:
        before = _size(section.lines())
        section.name_within(room - used + before)
        used += _size(section.lines()) - before
    for round_ in range(1, PER_RULE):
        for section in shown:
            if round_ >= len(section.examples):
                continue
            before = _size(section.lines())
            section.detailed.add(section.examples[round_])
            after = _size(section.lines())
            if used - before + after > room:
                section.detailed.discard(section.examples[round_])
                continue
            used += after - before
    return left_out


def render_markdown(results: Results, budget: int = DEFAULT_BUDGET) -> str:
    """report.md for a validated, redacted results dict; at most about `budget` characters."""
    if results.get("comparison") is not None:  # `glue-conformance compare`: its own view
        from glue_conformance.reports.comparison_view import markdown

        return markdown(results)
    out = [*_headline(results), "", *_matrix(results), "", *_coverage(results)]
    out += _no_baseline(results)
    out += _stale(results)
    deviations = [c for c in results["checks"] if c["status"] in DEVIATIONS and not is_stale(c)]
    if not deviations:
        out += ["### No deviations", "", "Every check that ran passed.", ""]
    elif any(
        "***" in f"{c['reproduction']['curl']}{c['reproduction']['boto3']}"
        for c in deviations
        if c["reproduction"]
    ):
        out += ["Secrets in reproductions are shown as `***`: put your own in their place.", ""]
    by_status = {status: [c for c in deviations if c["status"] == status] for status in DEVIATIONS}
    sections = {status: _sections(checks, status) for status, checks in by_status.items()}
    headings = {
        status: [f"### {HEADINGS[status]} ({len(checks)})", ""]
        for status, checks in by_status.items()
        if checks
    }
    room = budget - _size(out) - sum(_size(h) for h in headings.values())
    left_out = {id(s) for s in _fit([s for ss in sections.values() for s in ss], room)}
    overflow: list[dict[str, Any]] = []
    for status, heading in headings.items():
        out += heading
        for section in sections[status]:
            if id(section) in left_out:
                overflow += section.checks
            else:
                out += section.lines()
    used = _size(out)
    if overflow:
        out += [
            f"### {len(overflow)} more deviations",
            "",
            "Too many to show here; report.html and results.json have them all.",
            "",
        ]
        used = _size(out)
        for index, check in enumerate(overflow):
            line = f"- {code(check['id'])} ({check['status']})"
            if used + len(line) + 1 > budget + SLACK:
                out.append(f"- … and {len(overflow) - index} more")
                used += len(out[-1]) + 1
                break
            out.append(line)
            used += len(line) + 1
        out.append("")
        used += 1
    observed = [c for c in results["checks"] if c["observed"] and c["status"] not in DEVIATIONS]
    if observed and used < budget:
        out += [
            "### Observed behaviour (tolerant rules)",
            "",
            "| check | observed |",
            "| --- | --- |",
        ]
        used = _size(out)
        for index, check in enumerate(observed):
            row = f"| {code(check['id'])} | {escape(_clip(check['observed'], 300))} |"
            if index == 50 or used + len(row) + 1 > budget + SLACK:
                out.append(f"| … | {len(observed) - index} more in report.html |")
                break
            out.append(row)
            used += len(row) + 1
        out.append("")
    out.append(f"<sub>{escape(results['format'])} · rendered from results.json by reports</sub>")
    return "\n".join(out) + "\n"
