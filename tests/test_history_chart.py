"""The history chart's axes: every point lies within the drawn y range (100 % included), and
the x-axis never repeats a label, however close together the runs are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glue_conformance.reports.history import Run, chart
from tests.test_reports import make_check, make_results


def _run(started: str, passed: int, failed: int) -> Run:
    checks = [make_check("protocol.content-type", f"p{i}", "passed") for i in range(passed)]
    checks += [make_check("protocol.content-type", f"f{i}", "failed") for i in range(failed)]
    results = make_results(checks, started=started, finished=started)
    return Run(path=Path("results.json"), results=results)


def _axes(svg: str) -> tuple[list[float], list[float], list[str]]:
    ticks = [float(y) for y in re.findall(r'<line x1="\d+" x2="\d+" y1="([\d.]+)"', svg)]
    points = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]
    labels = re.findall(r'text-anchor="(?:start|middle|end)" fill="#59636e">([^<%]+)</text>', svg)
    return ticks, points, labels


@pytest.mark.parametrize(
    "scores",
    [[(100, 0), (30, 70)], [(100, 0), (95, 5)], [(100, 0), (100, 0)], [(1, 99), (100, 0)]],
    ids=["100-and-30", "100-and-95", "all-100", "1-and-100"],
)
def test_every_point_lies_within_the_drawn_y_axis(scores):
    runs = [
        _run(f"2026-11-25T05:0{i}:00Z", passed, failed) for i, (passed, failed) in enumerate(scores)
    ]
    svg = chart(runs)
    ticks, points, _ = _axes(svg)
    assert "100%</text>" in svg
    assert min(ticks) <= min(points)
    assert max(points) <= max(ticks) + 0.01


@pytest.mark.parametrize(
    "moments",
    [
        ["2026-11-25T05:00:00Z", "2026-11-25T05:00:40Z"],
        ["2026-11-25T05:00:00Z", "2026-11-25T05:02:00Z", "2026-11-25T05:03:00Z"],
        ["2026-11-25T05:00:00Z", "2026-11-25T09:00:00Z"],
        ["2026-11-20T05:00:00Z", "2026-11-25T05:00:00Z"],
    ],
)
def test_the_x_axis_never_repeats_a_label(moments):
    svg = chart([_run(moment, 1, 0) for moment in moments])
    _, _, labels = _axes(svg)
    assert labels
    assert len(labels) == len(set(labels)), labels


@pytest.mark.parametrize(
    ("targets", "lines"),
    [
        # ministack listens on a fresh port every night: still one line
        ([{"kind": "ministack", "url": f"http://127.0.0.1:{p}"} for p in (40001, 40002)], 1),
        # moto pinned and newest, named by the nightly: two lines, never one averaged
        ([{"kind": "moto", "name": "moto-pinned"}, {"kind": "moto", "name": "moto-latest"}], 2),
        ([{"kind": "moto"}, {"kind": "moto", "url": "http://127.0.0.1:1"}], 1),
        ([{"kind": "url", "url": "https://a"}, {"kind": "url", "url": "https://b"}], 2),
    ],
    ids=["ministack-ports", "moto-named", "moto-embedded", "two-urls"],
)
def test_history_lines_follow_the_target_not_its_port(targets, lines):
    from glue_conformance.reports.results import target_label

    labels = set()
    for target in targets:
        full = {"url": "http://127.0.0.1:5000", "version": None, **target}
        labels.add(target_label(full))
    assert len(labels) == lines, labels
