"""ministack as an embedded target (--glue-target ministack): the suite starts it in its own
process (it pins a botocore of its own, so it lives in a virtualenv of its own, named by
GLUE_CONFORMANCE_MINISTACK), judges it against its baseline, and the same verdicts come with
pytest-xdist. .ci/run installs it; without it these tests cannot say anything."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.test_plugin_run import run_suite, usage_line

MINISTACK = os.environ.get("GLUE_CONFORMANCE_MINISTACK") or str(
    Path(__file__).resolve().parents[1] / ".ministack" / "bin" / "ministack"
)
pytestmark = [
    pytest.mark.skipif(
        not os.access(MINISTACK, os.X_OK) and not os.environ.get("CI"),
        reason="ministack is not installed here (.ci/run installs it into .ministack/)",
    ),
    pytest.mark.slow,  # each test starts processes (tests/conftest.py)
]
ENV = {"GLUE_CONFORMANCE_MINISTACK": MINISTACK}
# The baseline's non-strict entries: GetJobRun may come before ministack's run thread marks a run
# SUCCEEDED, and whole-second StartedOn shows GetJobRuns' order only across a second boundary.
# Every other verdict is the same on every run.
RACY = {"response.timestamps.epoch-number", "lifecycle.runs-newest-first"}


def _verdicts(folder: Path) -> dict[str, str]:
    data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    return {c["id"]: c["status"] for c in data["checks"] if c["rule"] not in RACY}


def test_ministack_passes_with_its_baseline():
    result = run_suite("--glue-target", "ministack", env=ENV)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "xfailed" in result.stdout.splitlines()[-1]


def test_without_a_baseline_its_deviations_show_and_xdist_agrees(tmp_path):
    one, two = tmp_path / "n0", tmp_path / "n2"
    args = ("--glue-target", "ministack", "--glue-baseline", "none")
    first = run_suite(*args, "--glue-report-dir", str(one), env=ENV)
    second = run_suite(*args, "-n", "2", "--glue-report-dir", str(two), env=ENV)
    assert first.returncode == second.returncode == 1
    verdicts = _verdicts(one)
    assert verdicts == _verdicts(two)
    failed = {check.split("[")[0] for check, status in verdicts.items() if status == "failed"}
    assert {"response.arguments.own", "response.run.overrides", "validation.error-type"} <= failed


def test_a_missing_ministack_is_one_usage_line_naming_the_path(tmp_path):
    missing = tmp_path / "none"
    result = run_suite(
        "--glue-target", "ministack", env={"GLUE_CONFORMANCE_MINISTACK": str(missing)}
    )
    usage_line(result, f"GLUE_CONFORMANCE_MINISTACK={missing}: no such file")
    assert ".ministack/bin/pip install ministack==" in result.stderr
