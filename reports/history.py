"""index.html over many runs: a table of every run and a conformance-over-time chart per target.

The chart is inline SVG drawn here (no JavaScript, no charting library), so the index stays one
file that works from an artifact store or a plain directory listing, like report.html.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from glue_conformance.reports import text
from glue_conformance.reports.html_view import esc, page, score_class
from glue_conformance.reports.results import (
    Results,
    ResultsError,
    load,
    parse_timestamp,
    target_label,
    target_title,
)

INDEX_FILE = "index.html"
PALETTE = ("#0969da", "#cf222e", "#1a7f37", "#8250df", "#bc4c00", "#1b7c83", "#6e7781", "#bf3989")

EXTRA_CSS = """
.chart { margin: 8px 0 4px; }
.chart svg { width: 100%; height: auto; max-width: 920px; display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 0; padding: 0; list-style: none;
  font-size: 12.5px; }
.legend span { display: inline-block; width: 12px; height: 12px; border-radius: 3px;
  margin-right: 6px; vertical-align: -1px; }
.scroll { overflow-x: auto; }
.runs td { white-space: nowrap; }
.runs td.target { white-space: normal; overflow-wrap: anywhere; min-width: 200px; }
.runs td.target .mono { display: block; color: var(--muted); font-size: 11.5px; }
.delta-up { color: var(--passed); } .delta-down { color: var(--failed); }
.pct.good { color: var(--passed); font-weight: 700; }
.pct.fair { color: var(--known); font-weight: 700; }
.pct.poor { color: var(--failed); font-weight: 700; }
"""


class HistoryError(ValueError):
    """No usable runs under the given directories."""


@dataclass(frozen=True)
class Run:
    path: Path
    results: Results

    @property
    def started(self) -> str:
        started: str = self.results["started"]
        return started

    @property
    def label(self) -> str:
        return target_label(self.results["target"])

    @property
    def report(self) -> Path:
        """The run's report.html, or its results.json when the report was not kept."""
        html = self.path.with_name("report.html")
        return html if html.is_file() else self.path


def find_runs(paths: Iterable[Path]) -> tuple[list[Run], list[str]]:
    """Every readable results.json under `paths` (files or directories), oldest first, and a
    warning per file that could not be used: one bad artifact must not hide a month of history.
    """
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_file():
            found[path.resolve()] = None
        elif path.is_dir():
            for candidate in sorted(path.rglob("results.json")):
                found[candidate.resolve()] = None
        else:
            raise HistoryError(f"{path}: no such file or directory")
    runs, warnings = [], []
    for file in found:
        try:
            runs.append(Run(file, load(file)))
        except ResultsError as exc:
            warnings.append(f"skipped {exc}")
    runs.sort(key=lambda run: (parse_timestamp(run.started), str(run.path)))
    return runs, warnings


def _series(runs: list[Run]) -> dict[str, list[Run]]:
    series: dict[str, list[Run]] = {}
    for run in runs:
        series.setdefault(run.label, []).append(run)
    return series


def _time_ticks(t0: float, t1: float, most: int = 7) -> list[tuple[float, str]]:
    """x-axis labels placed where they are true: at UTC midnights over a span of days, else at
    evenly spaced times labelled to the minute."""
    day = 86_400
    if t1 - t0 >= 2 * day:
        step = math.ceil((t1 - t0) / day / most) * day
        first = math.ceil(t0 / day) * day
        moments = [float(m) for m in range(int(first), int(t1) + 1, int(step))]
        return [(m, datetime.fromtimestamp(m, UTC).strftime("%Y-%m-%d")) for m in moments]
    count = 1 if t1 == t0 else 5
    moments = [t0 if count == 1 else t0 + (t1 - t0) * i / (count - 1) for i in range(count)]
    # Precise enough that evenly spaced ticks read differently: seconds for a span of minutes.
    shape = "%m-%d %H:%M" if t1 - t0 >= 5 * 60 else "%H:%M:%S"
    ticks: list[tuple[float, str]] = []
    for moment in moments:
        label = datetime.fromtimestamp(moment, UTC).strftime(shape)
        if not ticks or ticks[-1][1] != label:  # never the same label twice
            ticks.append((moment, label))
    return ticks


def chart(runs: list[Run], width: int = 880, height: int = 260) -> str:
    """An SVG line chart of conformance % over time, one line per target."""
    left, right, top, bottom = 48, 18, 14, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    times = [parse_timestamp(run.started).timestamp() for run in runs]
    t0, t1 = min(times), max(times)
    lowest: float = min(run.results["summary"]["conformance_pct"] for run in runs)
    y0 = min(90.0, max(0.0, math.floor((lowest - 5) / 10) * 10))
    step = 10 if 100 - y0 <= 50 else 20
    # The axis is counted down from 100 in whole steps, so its top is 100 % (where a fully
    # conformant run is drawn) and its bottom lies at or below the lowest point.
    y0 = max(0.0, 100.0 - step * math.ceil((100.0 - y0) / step))

    def x(moment: float) -> float:
        return left + (plot_w / 2 if t1 == t0 else (moment - t0) / (t1 - t0) * plot_w)

    def y(value: float) -> float:
        return top + (100 - value) / (100 - y0) * plot_h

    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="conformance percentage over time" font-family="system-ui, sans-serif" '
        f'font-size="11">'
    ]
    for tick in range(100, int(y0) - 1, -step):
        ty = y(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="#d1d9e0" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="#59636e">{tick}%</text>'
        )
    for moment, label in _time_ticks(t0, t1):
        # Labels near an edge grow inwards so they are not clipped by the viewBox.
        anchor = (
            "start"
            if x(moment) - left < 30
            else "end"
            if left + plot_w - x(moment) < 30
            else "middle"
        )
        anchor = "middle" if t0 == t1 else anchor
        parts.append(
            f'<text x="{x(moment):.1f}" y="{height - bottom + 18}" text-anchor="{anchor}" '
            f'fill="#59636e">{esc(label)}</text>'
        )
    for index, (label, series_runs) in enumerate(_series(runs).items()):
        color = PALETTE[index % len(PALETTE)]
        points = [
            (
                x(parse_timestamp(run.started).timestamp()),
                y(run.results["summary"]["conformance_pct"]),
                run,
            )
            for run in series_runs
        ]
        if len(points) > 1:
            coords = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{color}" stroke-width="2" '
                f'stroke-linejoin="round"/>'
            )
        for px, py, run in points:
            tip = (
                f"{label} · {text.when(run.started)} · "
                f"{text.pct(run.results['summary']['conformance_pct'])}"
            )
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="#fff" stroke="{color}" '
                f'stroke-width="2"><title>{esc(tip)}</title></circle>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _href(target: Path, out_dir: Path) -> str:
    relative = os.path.relpath(target, out_dir.resolve())
    return quote(relative.replace(os.sep, "/"))


def render_index(runs: list[Run], out_dir: Path) -> str:
    series = _series(runs)
    colors = {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(series)}
    legend = "".join(
        f'<li><span style="background:{colors[label]}"></span>{esc(label)} '
        f"({len(series_runs)} runs)</li>"
        for label, series_runs in series.items()
    )
    previous: dict[str, float] = {}
    deltas: dict[Path, str] = {}
    for run in runs:
        value = run.results["summary"]["conformance_pct"]
        if run.label in previous:
            change = value - previous[run.label]
            cls = "delta-up" if change > 0 else "delta-down" if change < 0 else ""
            deltas[run.path] = f'<span class="{cls}">{change:+.1f}</span>'
        previous[run.label] = value
    rows = []
    for run in reversed(runs):
        results, summary = run.results, run.results["summary"]
        target = results["target"]
        link = run.report
        rows.append(
            "<tr>"
            f"<td>{esc(text.when(run.started)[:16])}</td>"
            f'<td class="target"><span style="color:{colors[run.label]}">&#9679;</span> '
            f"{esc(target_title(target))}"
            f'<span class="mono">{esc(target["kind"])} · {esc(target["url"])}</span></td>'
            f'<td class="n pct {score_class(summary["conformance_pct"])}">'
            f"{esc(text.pct(summary['conformance_pct']))}</td>"
            f'<td class="n">{deltas.get(run.path, "")}</td>'
            + "".join(
                f'<td class="n">{summary[key]}</td>'
                for key in ("passed", "failed", "known-deviation", "skipped", "total")
            )
            + f'<td class="n">{esc(text.duration(results["duration_s"]))}</td>'
            f'<td><a href="{esc(_href(link, out_dir))}">{esc(link.name)}</a></td>'
            "</tr>"
        )
    head = "".join(
        f'<th class="{cls}">{name}</th>'
        for name, cls in (
            ("started (UTC)", ""),
            ("target", ""),
            ("conformance", "n"),
            ("change", "n"),
            ("passed", "n"),
            ("failed", "n"),
            ("known dev.", "n"),
            ("skipped", "n"),
            ("total", "n"),
            ("duration", "n"),
            ("report", ""),
        )
    )
    body = (
        '<header class="top"><div><p class="kicker">AWS Glue GetJobRun · conformance history</p>'
        f"<h1>{len(runs)} runs, {len(series)} targets"
        f'<span class="url">{esc(text.when(runs[0].started))} to '
        f"{esc(text.when(runs[-1].started))}</span></h1></div></header>"
        f'<h2>Conformance over time</h2><ul class="legend">{legend}</ul>'
        f'<div class="chart">{chart(runs)}</div>'
        f'<h2>Runs</h2><div class="scroll"><table class="runs"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        "<footer>Built from results.json files by reports history.</footer>"
    )
    return page("GetJobRun conformance history", body, EXTRA_CSS)


def write_history(paths: Iterable[Path], out_dir: Path) -> Path:
    """Write out_dir/index.html over every run found; warnings go to stderr.

    Raises HistoryError when a path does not exist or no run could be read.
    """
    paths = list(paths)
    runs, warnings = find_runs(paths)
    for warning in warnings:
        print(f"reports history: {warning}", file=sys.stderr)
    if not runs:
        where = ", ".join(str(p) for p in paths)
        raise HistoryError(f"no usable results.json under {where}")
    out_dir.mkdir(parents=True, exist_ok=True)
    index = out_dir / INDEX_FILE
    tmp = index.with_name(f".{INDEX_FILE}.{os.getpid()}.tmp")
    tmp.write_text(render_index(runs, out_dir), encoding="utf-8", errors="backslashreplace")
    tmp.replace(index)
    return index
