"""The views of a comparison (`glue-conformance compare`): the terminal's, report.md's and
report.html's, from the `comparison` member of a results.json, grouped by operation and member.

Standard library only, and nothing of the suite: like every view, it renders a validated,
redacted results dict.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

ONLY = "found only by comparison"
_NUMBER = re.compile(r"\d+")


def groups(results: Mapping[str, Any]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """operation -> member -> its differences, in the record's order. Members whose names
    differ only in their numbers and that differ in the same way (the record shows one thing,
    the target answers one other) are one row: 36 `Arguments.--key-NN` members that all lost
    their value are one finding, not 36 (`Arguments.--key-NN (36 members)`)."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for difference in results["comparison"]["differences"]:
        members = out.setdefault(difference["operation"], {})
        members.setdefault(difference["member"], []).append(difference)
    return {op: _alike(members) for op, members in sorted(out.items())}


def _alike(members: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Members folded into one row where only their numbers tell them apart and each shows
    one and the same difference."""
    rows: dict[tuple[str, Any], list[str]] = {}
    for member, differences in members.items():
        ways = {(d["recorded"], d["answered"]) for d in differences}
        way = next(iter(ways)) if len(ways) == 1 else member  # (differs in several ways)
        rows.setdefault((_NUMBER.sub("NN", member), way), []).append(member)
    folded: dict[str, list[dict[str, Any]]] = {}
    for (pattern, _), names in rows.items():
        if len(names) == 1:
            folded[names[0]] = members[names[0]]
        else:
            label = f"{pattern} ({len(names)} members)"
            folded[label] = [d for name in names for d in members[name]]
    return dict(sorted(folded.items()))


def headline(results: Mapping[str, Any]) -> str:
    comparison = results["comparison"]
    counts = comparison["counts"]
    record = comparison["record"]
    against = f"{record['source']} ({record['kind']}"
    against += f", {record['version']})" if record.get("version") else ")"
    if not counts["differences"]:
        return (
            f"{comparison['target']['source']} answers as {against} does: no difference in "
            f"{comparison['target']['exchanges']} exchanges"
        )
    return (
        f"{comparison['target']['source']} against {against}: {counts['differences']} "
        f"differences in {counts['members']} members; {counts['only_by_comparison']} "
        f"{ONLY}, {counts['known']} in the target's baseline"
    )


def _rules(differences: list[dict[str, Any]]) -> str:
    rules = sorted({rule for d in differences for rule in d["rules"]})
    return ", ".join(rules) if rules else ONLY


def _instance(difference: Mapping[str, Any]) -> list[str]:
    target = difference["target_exchange"]
    where = f"exchange {difference['exchange'] or '-'} (target's {target or '-'})"
    return [
        f"{where}, {difference['phase']} phase, {difference['path']}:",
        f"record shows   {difference['recorded']}",
        f"target answered {difference['answered']}",
        f"request {difference['request']}",
        *([f"curl: {difference['curl']}"] if difference["curl"] else []),
    ]


def terminal(results: Mapping[str, Any], *, limit: int = 3) -> str:
    lines = [headline(results)]
    for operation, members in groups(results).items():
        lines.append(f"\n{operation}")
        for member, differences in members.items():
            known = " (baseline)" if all(d["known"] for d in differences) else ""
            lines.append(
                f"  {member}: {len(differences)} differences; {_rules(differences)}{known}"
            )
            for difference in differences[:limit]:
                lines += ["    " + line for line in _instance(difference)]
            if len(differences) > limit:
                lines.append(f"    … and {len(differences) - limit} more (report.html)")
    return "\n".join(lines)


def markdown(results: Mapping[str, Any], *, limit: int = 2) -> str:
    lines = ["## GetJobRun comparison", "", headline(results), ""]
    table = groups(results)
    if table:
        lines += ["| operation | member | differences | rules |", "| --- | --- | --- | --- |"]
        for operation, members in table.items():
            for member, differences in members.items():
                lines.append(
                    f"| {operation} | `{member}` | {len(differences)} | {_rules(differences)} |"
                )
        lines.append("")
    for operation, members in table.items():
        lines += [f"### {operation}", ""]
        for member, differences in members.items():
            lines += [f"#### `{member}` ({len(differences)}): {_rules(differences)}", ""]
            for difference in differences[:limit]:
                lines += ["```", *_instance(difference), "```", ""]
    lines.append(f"<sub>{results['format']} · comparison rendered from results.json</sub>")
    return "\n".join(lines) + "\n"


def page(results: Mapping[str, Any], *, limit: int = 20) -> str:
    """The summary table first (operation, member, differences, rules), each row's
    differences folded under it, so a reader sees every finding before any detail."""
    esc = html.escape
    parts = [f"<h1>GetJobRun comparison</h1><p>{esc(headline(results))}</p>"]
    table = groups(results)
    if table:
        parts.append(
            '<table id="summary"><thead><tr><th>operation</th><th>member</th>'
            "<th>differences</th><th>rules</th></tr></thead><tbody>"
        )
        for operation, members in table.items():
            for member, differences in members.items():
                shown = "".join(
                    "<pre>" + esc("\n".join(_instance(d))) + "</pre>" for d in differences[:limit]
                )
                if len(differences) > limit:
                    shown += f"<p>… and {len(differences) - limit} more in results.json</p>"
                parts.append(
                    f"<tr><td>{esc(operation)}</td><td><code>{esc(member)}</code></td>"
                    f"<td>{len(differences)}</td><td>{esc(_rules(differences))}</td></tr>"
                    f'<tr class="detail"><td colspan="4"><details><summary>the '
                    f"{len(differences)} differences</summary>{shown}</details></td></tr>"
                )
        parts.append("</tbody></table>")
    title = esc(headline(results))
    return (
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{title}</title>"
        "<style>body{font-family:sans-serif;max-width:70em;margin:auto}"
        "pre{background:#f6f6f6;padding:.5em;white-space:pre-wrap}"
        "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.2em .4em;"
        "text-align:left;vertical-align:top}</style></head>\n"
        f"<body>\n{''.join(parts)}\n<footer>{esc(results['format'])} · rendered from "
        "results.json</footer>\n</body>\n</html>\n"
    )
