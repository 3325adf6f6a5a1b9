"""report.html: one self-contained page a person can open from a CI artifact, offline, or print.

Everything is inline (no fonts, stylesheets, images or scripts fetched), and a Content-Security-
Policy forbids scripts outright: the page shows bodies a fuzzer wrote, so escaping is the first
defence and the policy the second. Nothing needs JavaScript; reproductions select in one click
through `user-select: all`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from glue_conformance.reports import coverage_view, text
from glue_conformance.reports.results import (
    DEVIATIONS,
    GROUPS,
    STATUSES,
    Results,
    by_rule,
    completeness_line,
    conformance_pct,
    describe_target,
    group_matrix,
    is_stale,
    target_title,
)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"

CSS = """
:root {
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa;
  --passed: #1a7f37; --passed-bg: #dafbe1; --failed: #cf222e; --failed-bg: #ffebe9;
  --known: #9a6700; --known-bg: #fff8c5; --skipped: #59636e; --skipped-bg: #eff2f5;
  --accent: #0969da;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0 auto; max-width: 1180px; padding: 28px 32px 48px; color: var(--fg);
  background: var(--bg); line-height: 1.5;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
}
code, pre, .mono {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 12.5px;
}
h1, h2, h3, h4, h5 { line-height: 1.25; margin: 0; }
h2 { font-size: 19px; margin: 36px 0 12px; padding-bottom: 6px;
  border-bottom: 1px solid var(--line); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.top { display: flex; gap: 24px; align-items: flex-start; justify-content: space-between; }
.kicker { margin: 0 0 4px; color: var(--muted); font-size: 12px; letter-spacing: .06em;
  text-transform: uppercase; }
h1 { font-size: 26px; }
h1 .url { display: block; margin-top: 4px; font-size: 14px; font-weight: 400; color: var(--muted);
  overflow-wrap: anywhere; }
.score { text-align: right; min-width: 170px; }
.score .pct { display: block; font-size: 44px; font-weight: 700; line-height: 1; }
.score .lbl { color: var(--muted); font-size: 12px; text-transform: uppercase;
  letter-spacing: .06em; }
.score.good .pct { color: var(--passed); }
.score.incomplete .pct { color: var(--muted); }
.incomplete-banner { margin: 0 0 12px; padding: 8px 12px; border-left: 4px solid var(--known);
  font-weight: 600; }
.score.fair .pct { color: var(--known); }
.score.poor .pct { color: var(--failed); }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 18px 0 0; padding: 0;
  list-style: none; }
.counts li { padding: 6px 12px; border-radius: 6px; border: 1px solid var(--line);
  background: var(--panel); }
.counts b { font-size: 17px; margin-right: 4px; }
.counts li.zero { color: var(--muted); }
.st-passed { color: var(--passed); background: var(--passed-bg) !important;
  border-color: #aceebb !important; }
.st-failed { color: var(--failed); background: var(--failed-bg) !important;
  border-color: #ffcecb !important; }
.st-known-deviation { color: var(--known); background: var(--known-bg) !important;
  border-color: #f5e0a0 !important; }
.st-skipped { color: var(--skipped); background: var(--skipped-bg) !important; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 18px 0 0;
  padding: 12px 16px; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase;
  letter-spacing: .04em; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.zero { color: #b6bec7; }
td.hot-failed { color: var(--failed); background: var(--failed-bg); font-weight: 700; }
td.hot-known-deviation { color: var(--known); background: var(--known-bg); font-weight: 700; }
td.hot-skipped { color: var(--skipped); }
tr.all td { font-weight: 700; border-top: 2px solid var(--line); border-bottom: none; }
.matrix td:first-child { font-weight: 600; }
.none { padding: 14px 16px; border-radius: 6px; background: var(--passed-bg); color: var(--passed);
  font-weight: 600; }
.toc { margin: 0 0 8px; padding-left: 18px; columns: 2; column-gap: 32px; }
.toc li { break-inside: avoid; }
.rule { margin: 18px 0; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.rule > header { padding: 12px 16px; background: var(--panel);
  border-bottom: 1px solid var(--line); }
.rule.failed > header { border-left: 4px solid var(--failed); }
.rule.known-deviation > header { border-left: 4px solid var(--known); }
.rule h3 { font-size: 15px; display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.rule h3 code { font-size: 14px; }
.statement { margin: 6px 0 2px; font-size: 14px; }
.evidence { margin: 0; color: var(--muted); font-size: 12.5px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 11.5px;
  font-weight: 600; border: 1px solid var(--line); background: #fff; color: var(--muted); }
.badge.st-failed, .badge.st-known-deviation, .badge.st-passed { border-color: transparent; }
.case { padding: 12px 16px 14px; border-top: 1px solid var(--line); }
.rule > header + .case { border-top: none; }
.case h4 { font-size: 13.5px; display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
.case .where { color: var(--muted); font-weight: 400; font-size: 12px; overflow-wrap: anywhere; }
.message { margin: 8px 0 0; padding: 8px 12px; border-radius: 6px; background: var(--failed-bg);
  overflow-wrap: anywhere; white-space: pre-wrap; }
.known-deviation .message { background: var(--known-bg); }
.note { margin: 6px 0 0; overflow-wrap: anywhere; }
.hint { margin: 10px 0 -4px; color: var(--muted); font-size: 12px; }
.note b { color: var(--muted); font-weight: 600; }
.exchange { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin-top: 10px; }
.exchange > div { min-width: 0; }
h5 { font-size: 11.5px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em;
  margin: 10px 0 4px; }
pre { margin: 0; padding: 10px 12px; background: var(--panel); border: 1px solid var(--line);
  border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 420px;
  overflow: auto; }
pre.repro { user-select: all; -webkit-user-select: all; background: #0d1117; color: #e6edf3;
  border-color: #0d1117; max-height: none; }
.esc { color: #8250df; background: #fbefff; border-radius: 3px; }
pre.repro .esc { color: #d2a8ff; background: transparent; }
.skips td:last-child, .obs td:last-child { overflow-wrap: anywhere; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media (max-width: 820px) {
  body { padding: 16px; }
  .top { flex-direction: column; }
  .score { text-align: left; }
  .exchange { grid-template-columns: 1fr; }
  .toc { columns: 1; }
}
@media print {
  @page { margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  .rule > header, .case h4 { break-after: avoid; }
  .case, .meta, .matrix, tr { break-inside: avoid; }
  .exchange { grid-template-columns: 1fr; }
  pre { max-height: none; overflow: visible; font-size: 8.5pt; }
  pre.repro { background: var(--panel); color: var(--fg); border-color: var(--line); }
  a { color: inherit; }
  .toc { display: none; }
}
"""


def esc(value: object) -> str:
    """HTML text: escaped, with unsafe code points shown as marked-up \\uXXXX escapes."""
    return text.safe_with(
        str(value),
        lambda part: html.escape(part, quote=True),
        lambda escape: f'<span class="esc">{escape}</span>',
    )


def page(title: str, body: str, extra_css: str = "") -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}{extra_css}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def score_class(value: float) -> str:
    return "good" if value >= 95 else "fair" if value >= 80 else "poor"


def _headline(results: Results) -> str:
    summary, target, model = results["summary"], results["target"], results["model"]
    hypothesis, baseline = results["hypothesis"], results["baseline"]
    counts = "".join(
        f'<li class="{f"st-{s}" if summary[s] else "zero"}"><b>{summary[s]}</b> '
        f"{esc(s.replace('-', ' '))}</li>"
        for s in STATUSES
    )
    counts += f"<li><b>{summary['total']}</b> checks</li>"
    what = target_title(target)
    rows: list[tuple[str, str]] = [
        (
            "Target",
            f'<span class="mono">{esc(target["url"])}</span> · {esc(target["kind"])}'
            + (f" · {esc(target['version'])}" if target["version"] else ""),
        ),
        ("Started", esc(text.when(results["started"]))),
        ("Duration", esc(text.duration(results["duration_s"]))),
        ("Suite", f"{esc(results['suite']['name'])} {esc(results['suite']['version'])}"),
        (
            "Model",
            f"{esc(model['service'])} {esc(model['apiVersion'])}"
            f" · botocore {esc(model['botocore'])}"
            f' · operation sha256 <span class="mono">{esc(model["operationModelSha256"])}</span>',
        ),
        (
            "Hypothesis",
            f"profile {esc(hypothesis['profile'] or 'default')} · seed "
            + (
                f'<span class="mono">{esc(hypothesis["seed"])}</span>'
                if hypothesis["seed"]
                else "random"
            ),
        ),
        (
            "Baseline",
            f'{esc(baseline["name"])} · <span class="mono">{esc(baseline["path"])}</span> · '
            f"{baseline['entries']} entries"
            if baseline
            else "none",
        ),
    ]
    meta = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    pct = summary["conformance_pct"]
    partial = completeness_line(results)
    # An incomplete run shows no score badge of its own: its percentage is of what was judged.
    score = (
        f'<div class="score incomplete"><span class="pct">{esc(text.pct(pct))}</span>'
        f'<span class="lbl">of the checks judged</span></div>'
        if partial
        else f'<div class="score {score_class(pct)}"><span class="pct">{esc(text.pct(pct))}</span>'
        '<span class="lbl">conformance</span></div>'
    )
    banner = f'<p class="incomplete-banner">This run is {esc(partial)}.</p>' if partial else ""
    return (
        '<header class="top"><div>'
        '<p class="kicker">AWS Glue GetJobRun · conformance report</p>'
        f'<h1>{esc(what)}<span class="url">{esc(target["url"])}</span></h1></div>'
        f"{score}</header>"
        f"{banner}"
        f'<ul class="counts">{counts}</ul>'
        f'<dl class="meta">{meta}</dl>'
    )


def _num_cell(value: int, status: str) -> str:
    if value == 0:
        return '<td class="n zero">0</td>'
    hot = f" hot-{status}" if status in (*DEVIATIONS, "skipped") else ""
    return f'<td class="n{hot}">{value}</td>'


def _matrix(results: Results) -> str:
    matrix = group_matrix(results)
    head = "".join(f'<th class="n">{esc(s.replace("-", " "))}</th>' for s in STATUSES)
    rows = []
    for group in GROUPS:
        counts = matrix[group]
        cells = "".join(_num_cell(counts[s], s) for s in STATUSES)
        ran = counts["passed"] + counts["failed"] + counts["known-deviation"]
        pct = esc(text.pct(conformance_pct(counts))) if ran else "—"
        rows.append(
            f"<tr><td>{esc(group)}</td>{cells}"
            f'<td class="n">{sum(counts[s] for s in STATUSES)}</td><td class="n">{pct}</td></tr>'
        )
    summary = results["summary"]
    cells = "".join(f'<td class="n">{summary[s]}</td>' for s in STATUSES)
    rows.append(
        f'<tr class="all"><td>all groups</td>{cells}<td class="n">{summary["total"]}</td>'
        f'<td class="n">{esc(text.pct(summary["conformance_pct"]))}</td></tr>'
    )
    return (
        '<h2>Rule groups</h2><table class="matrix"><thead><tr><th>group</th>'
        f'{head}<th class="n">total</th><th class="n">conformance</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _coverage(results: Results) -> str:
    found = coverage_view.table(results)
    if not found:
        return ""
    return _table(
        "What this run exercised",
        "coverage",
        ("dimension", "exercised", "not exercised"),
        [
            [
                f"{esc(dimension)} ({esc(coverage_view.fraction(entry))})",
                esc(coverage_view.exercised(entry)),
                esc(coverage_view.not_exercised(entry) or "—"),
            ]
            for dimension, entry in found.items()
        ],
    )


def _pre(content: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<pre{attr}>{esc(content)}</pre>"


def _case(check: dict[str, Any], anchor: str) -> str:
    parts = [
        f'<div class="case" id="{anchor}"><h4><code>{esc(check["id"])}</code>'
        f'<span class="badge st-{check["status"]}">{esc(check["status"].replace("-", " "))}</span>'
        f'<span class="where">{esc(check["nodeid"])} · {check["duration_s"]:.3f} s</span></h4>'
    ]
    if check["message"]:
        parts.append(f'<p class="message">{esc(check["message"])}</p>')
    if check["observed"]:
        parts.append(f'<p class="note"><b>Observed</b> {esc(check["observed"])}</p>')
    if check["baseline"]:
        parts.append(
            f'<p class="note"><b>Baseline</b> {esc(check["baseline"]["what"])}'
            f' <span class="evidence">({esc(check["baseline"]["evidence"])})</span></p>'
        )
    if check["request"] or check["response"]:
        parts.append('<div class="exchange">')
        parts.append(
            "<div><h5>Request</h5>" + _pre(text.request_text(check["request"])) + "</div>"
            if check["request"]
            else '<div><h5>Request</h5><p class="note">not recorded</p></div>'
        )
        parts.append(
            "<div><h5>Response</h5>" + _pre(text.response_text(check["response"])) + "</div>"
            if check["response"]
            else '<div><h5>Response</h5><p class="note">no answer recorded</p></div>'
        )
        parts.append("</div>")
    if check["reproduction"]:
        curl, boto3 = check["reproduction"]["curl"], check["reproduction"]["boto3"]
        if "***" in f"{curl}{boto3}":
            parts.append(
                '<p class="hint">Secrets are shown as ***: put your own in their place.</p>'
            )
        if curl:
            parts.append("<h5>Reproduce with curl</h5>" + _pre(curl, "repro"))
        if boto3:
            parts.append(f"<h5>{'or' if curl else 'Reproduce with'} boto3</h5>")
            parts.append(_pre(boto3, "repro"))
    parts.append("</div>")
    return "".join(parts)


def _deviations(results: Results, anchors: dict[str, str]) -> str:
    deviations = [c for c in results["checks"] if c["status"] in DEVIATIONS]
    stale = [c for c in deviations if is_stale(c)]
    out = []
    if len(stale) == len(deviations):
        out.append(
            '<h2>Deviations</h2><p class="none">No deviations: every check that ran passed.</p>'
        )
    sections = (
        (
            "failed",
            "Failed",
            [c for c in deviations if c["status"] == "failed" and not is_stale(c)],
        ),
        (
            "known-deviation",
            "Known deviations",
            [c for c in deviations if c["status"] == "known-deviation"],
        ),
        (
            "failed",
            "Known deviations no longer seen: the target conforms, prune the baseline",
            stale,
        ),
    )
    for status, heading, checks in sections:
        if not checks:
            continue
        grouped = by_rule(checks)
        toc = "".join(
            f'<li><a href="#{anchors[rule_checks[0]["id"]]}"><code>{esc(rule)}</code></a>'
            f" ({len(rule_checks)})</li>"
            for rule, rule_checks in grouped
        )
        out.append(f"<h2>{heading} ({len(checks)})</h2>")
        if len(grouped) > 1:
            out.append(f'<ul class="toc">{toc}</ul>')
        for rule, rule_checks in grouped:
            first = rule_checks[0]
            label = f"{len(rule_checks)} {status.replace('-', ' ')}"
            out.append(
                f'<article class="rule {status}"><header><h3><code>{esc(rule)}</code>'
                f'<span class="badge">{esc(first["group"])}</span>'
                f'<span class="badge">{esc(first["strictness"])}</span>'
                f'<span class="badge st-{status}">{esc(label)}</span></h3>'
                f'<p class="statement">{esc(first["statement"])}</p>'
                f'<p class="evidence">Evidence: {esc(first["evidence"])}</p></header>'
            )
            out.extend(_case(check, anchors[check["id"]]) for check in rule_checks)
            out.append("</article>")
    return "".join(out)


def _table(title: str, cls: str, head: Iterable[str], rows: list[list[str]]) -> str:
    if not rows:
        return ""
    ths = "".join(f"<th>{h}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        f'<h2>{title}</h2><table class="{cls}"><thead><tr>{ths}</tr></thead>'
        f"<tbody>{trs}</tbody></table>"
    )


def render_html(results: Results) -> str:
    """report.html for a validated, redacted results dict."""
    if results.get("comparison") is not None:  # `glue-conformance compare`: its own view
        from glue_conformance.reports.comparison_view import page as comparison_page

        return comparison_page(results)
    anchors = {check["id"]: f"check-{index}" for index, check in enumerate(results["checks"])}
    observed = [c for c in results["checks"] if c["observed"] and c["status"] not in DEVIATIONS]
    skipped = [c for c in results["checks"] if c["status"] == "skipped"]
    body = "".join(
        [
            _headline(results),
            _matrix(results),
            _coverage(results),
            _deviations(results, anchors),
            _table(
                f"Observed behaviour ({len(observed)})",
                "obs",
                ("check", "strictness", "observed"),
                [
                    [f"<code>{esc(c['id'])}</code>", esc(c["strictness"]), esc(c["observed"])]
                    for c in observed
                ],
            ),
            _table(
                f"Skipped ({len(skipped)})",
                "skips",
                ("check", "reason"),
                [[f"<code>{esc(c['id'])}</code>", esc(c["message"] or "—")] for c in skipped],
            ),
            f"<footer>{esc(results['format'])} · {esc(results['suite']['name'])} "
            f"{esc(results['suite']['version'])} · rendered from results.json</footer>",
        ]
    )
    title = (
        f"GetJobRun conformance {text.pct(results['summary']['conformance_pct'])}: "
        f"{describe_target(results['target'])}"
    )
    return page(title, body)
