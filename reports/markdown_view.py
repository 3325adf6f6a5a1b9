"""report.md: the run in GitHub-flavoured Markdown, for a CI job summary or a PR comment.

GitHub cuts a PR comment at 65,536 characters, so past a budget the remaining deviations are
listed one line each and the reader is sent to report.html. Request, response and reproductions
sit in <details> blocks so a comment with many deviations stays scannable.
"""

from __future__ import annotations

import html
import re
from typing import Any

from . import text
from .results import (
    DEVIATIONS,
    GROUPS,
    STATUSES,
    Results,
    by_rule,
    conformance_pct,
    describe_target,
    group_matrix,
)

DEFAULT_BUDGET = 60_000
# A property-based rule can fail for dozens of cases; details for a few leave room for every
# other failing rule, and the rest are listed one line each.
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
    """One line a script can parse: `**total** 120 · **passed** 100 · ...`."""
    parts = [f"**total** {summary['total']}"] + [f"**{s}** {summary[s]}" for s in STATUSES]
    return " · ".join(parts)


def _headline(results: Results) -> list[str]:
    summary, target, model = results["summary"], results["target"], results["model"]
    hypothesis, baseline = results["hypothesis"], results["baseline"]
    seed = code(hypothesis["seed"]) if hypothesis["seed"] else "random"
    baseline_text = (
        f"{escape(baseline['name'])} · {code(baseline['path'])} · {baseline['entries']} entries"
        if baseline
        else "none"
    )
    return [
        f"## GetJobRun conformance: {text.pct(summary['conformance_pct'])}"
        f" — {escape(describe_target(target))}",
        "",
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
        ran = sum(counts.values()) - counts["skipped"]
        pct = text.pct(conformance_pct(counts)) if ran else "—"
        rows.append(f"| {group} | " + " | ".join(cells) + f" | {sum(counts.values())} | {pct} |")
    summary = results["summary"]
    cells = [f"**{summary[s]}**" for s in STATUSES]
    rows.append(
        "| **all** | "
        + " | ".join(cells)
        + f" | **{summary['total']}** | **{text.pct(summary['conformance_pct'])}** |"
    )
    return ["### Rule groups", "", *rows]


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


def render_markdown(results: Results, budget: int = DEFAULT_BUDGET) -> str:
    """report.md for a validated, redacted results dict; at most about `budget` characters."""
    out = [*_headline(results), "", *_matrix(results), ""]
    used = sum(len(line) + 1 for line in out)
    deviations = [c for c in results["checks"] if c["status"] in DEVIATIONS]
    if not deviations:
        out += ["### No deviations", "", "Every check that ran passed.", ""]
    elif any(
        "***" in f"{c['reproduction']['curl']}{c['reproduction']['boto3']}"
        for c in deviations
        if c["reproduction"]
    ):
        out += ["Secrets in reproductions are shown as `***`: put your own in their place.", ""]
    overflow: list[dict[str, Any]] = []
    for status in DEVIATIONS:
        checks = [c for c in deviations if c["status"] == status]
        if not checks:
            continue
        out += [f"### {HEADINGS[status]} ({len(checks)})", ""]
        for rule, rule_checks in by_rule(checks):
            head = _rule_head(rule, rule_checks, status)
            blocks = [_check_detail(check) for check in rule_checks[:PER_RULE]]
            if used + len(head) + len(blocks[0]) > budget:
                overflow += rule_checks
                continue
            out.append(head)
            used += len(head)
            for check, block in zip(rule_checks, blocks, strict=False):
                if used + len(block) > budget:
                    overflow.append(check)
                    continue
                out += [block, ""]
                used += len(block) + 1
            rest = rule_checks[PER_RULE:]
            if rest:
                out += [f"{len(rest)} more cases of this rule (details in report.html):", ""]
            for check in rest:
                line = f"- {code(check['id'])}" + (
                    f" — {escape(_clip(check['message']))}" if check["message"] else ""
                )
                if used + len(line) > budget:
                    overflow.append(check)
                    continue
                out.append(line)
                used += len(line) + 1
            if rest:
                out.append("")
    if overflow:
        out += [
            f"### {len(overflow)} more deviations",
            "",
            "Too many to show here; report.html and results.json have them all.",
            "",
        ]
        for index, check in enumerate(overflow):
            line = f"- {code(check['id'])} ({check['status']})"
            if used + len(line) > budget + 4_000:
                out.append(f"- … and {len(overflow) - index} more")
                break
            out.append(line)
            used += len(line) + 1
        out.append("")
    observed = [c for c in results["checks"] if c["observed"] and c["status"] not in DEVIATIONS]
    if observed and used < budget:
        out += [
            "### Observed behaviour (tolerant rules)",
            "",
            "| check | observed |",
            "| --- | --- |",
        ]
        out += [f"| {code(c['id'])} | {escape(c['observed'])} |" for c in observed[:50]]
        out.append("")
    out.append(f"<sub>{escape(results['format'])} · rendered from results.json by reports</sub>")
    return "\n".join(out) + "\n"
