"""Bounded and honest runs: a spent --glue-max-time budget, Ctrl-C and SIGTERM leave reports that
say the run is incomplete; a run never shows its percentage as if it were whole."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.children import child
from tests.test_plugin_run import ROOT, run_suite

pytestmark = pytest.mark.slow  # each test starts processes (tests/conftest.py)


def _results(folder: Path) -> dict:
    return json.loads((folder / "results.json").read_text(encoding="utf-8"))


def _says_incomplete(folder: Path, *, collected: bool = True) -> dict:
    """`collected`: the run got as far as collecting its checks (an interrupt may come first)."""
    data = _results(folder)
    state = data["completeness"]
    assert state["complete"] is False
    assert state["judged"] < state["planned"] if collected else state["judged"] <= state["planned"]
    assert data["format"] == "glue-conformance/results@2"
    line = f"incomplete: {state['judged']} of {state['planned']} checks judged"
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    headline = markdown.splitlines()[0]
    assert line in headline
    assert "of the checks judged" in headline  # the percentage is named for what it covers
    assert line in (folder / "report.html").read_text(encoding="utf-8")
    assert line in (folder / "junit.xml").read_text(encoding="utf-8")
    return data


def test_a_spent_time_budget_is_not_a_pass(tmp_path):
    report = tmp_path / "report"
    result = run_suite(
        "--glue-target", "reference", "--glue-max-time", "0.001", "--glue-report-dir", str(report)
    )
    assert result.returncode == 75, result.stdout[-2000:]
    data = _says_incomplete(report)
    assert data["summary"]["passed"] == 0
    assert "time budget (--glue-max-time) was spent" in data["completeness"]["reason"]
    assert "glue-conformance: incomplete: 0 of" in result.stdout
    skipped = [c for c in data["checks"] if c["status"] == "skipped"]
    assert skipped
    assert all(c["message"].startswith("not judged:") for c in skipped)
    assert all(c["no_verdict"] == "not-judged" for c in skipped)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_run_writes_reports_that_say_so(tmp_path, signum):
    """Stopped while it polls a run whose stages take 5 s (as a CI time limit would stop it)."""
    report = tmp_path / "report"
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GLUE_CONFORMANCE_") and k not in ("CI", "BUILD_NUMBER")
    }
    command = [sys.executable, "-m", "pytest", "conformance", "-p", "no:cacheprovider"]
    command += ["--glue-target", "reference", "--glue-reference-stage-seconds", "5"]
    command += ["--glue-report-dir", str(report), "--hypothesis-profile", "glue-quick"]
    with child(
        command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as process:
        # Once its checks are collected, its handlers are in place (a fixed wait may end, on a
        # loaded machine, while it still imports); then it is a second into its first run.
        assert process.stdout is not None
        started = []
        for line in process.stdout:
            started.append(line)
            if line.startswith(b"collected "):
                break
        time.sleep(1)
        process.send_signal(signum)
        output = b"".join(started) + process.communicate(timeout=60)[0]
    assert process.returncode == 2, output.decode()[-2000:]
    data = _says_incomplete(report, collected=False)  # under load, the signal may come first
    assert data["completeness"]["reason"].startswith("interrupted")
    assert b"glue-conformance: incomplete:" in output


def test_diff_says_when_a_side_is_incomplete(tmp_path):
    from glue_conformance.reports.diff import diff, format_text
    from glue_conformance.reports.results import load

    whole, partial = tmp_path / "whole", tmp_path / "partial"
    assert run_suite("--glue-target", "reference", "--glue-report-dir", str(whole)).returncode == 0
    run_suite(
        "--glue-target", "reference", "--glue-max-time", "0.001", "--glue-report-dir", str(partial)
    )
    text = format_text(diff(load(whole / "results.json"), load(partial / "results.json")))
    assert "the new run is incomplete:" in text
    assert "the old run is incomplete" not in text


def test_a_results_1_document_is_read_as_complete(tmp_path):
    from glue_conformance.reports.results import completeness, completeness_line, validate

    report = tmp_path / "report"
    assert run_suite("--glue-target", "reference", "--glue-report-dir", str(report)).returncode == 0
    data = _results(report)
    assert data["completeness"]["complete"] is True
    old = {k: v for k, v in data.items() if k != "completeness"}
    old["format"] = "glue-conformance/results@1"
    validate(old)
    assert completeness(old)["complete"] is True
    assert completeness_line(old) is None
    data.pop("completeness")
    with pytest.raises(ValueError, match="completeness"):
        validate(data)  # results@2 must say how complete it is


@pytest.mark.slow(seconds=35)  # the life cycle's whole budget, waited out
@pytest.mark.parametrize("fault", ["runs-never-finish", "state-out-of-enum"])
def test_a_target_whose_runs_never_end_costs_one_life_cycle_budget(fault):
    """Default settings (--glue-lifecycle-timeout 30): under 60 s, exit 1, and the life-cycle
    rules fail once each with what the run did, not once per example or shrink step."""
    started = time.monotonic()
    result = run_suite("--glue-target", "reference", "--glue-reference-fault", fault, "-rf")
    took = time.monotonic() - started
    assert result.returncode == 1, result.stdout[-2000:]
    assert took < 60, took
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    assert any("test_lifecycle.py" in line for line in failed), failed
    if fault == "runs-never-finish":
        assert "the run did not finish within 30 s" in result.stdout
        assert len(failed) <= 3, failed


# Two threads parsing at once, switched by a garbage-collection callback as Hypothesis's: the
# way pytest's report of a Ctrl-C met a scenario thread's traceback in a loaded run.
_PARSE_RACE = """
import ast, gc, sys, threading, time
if sys.argv[1] == "suite":
    from glue_conformance.adapter import _one_ast_parse_at_a_time
    _one_ast_parse_at_a_time()
source = open(threading.__file__, encoding="utf-8").read()
gc.callbacks.append(lambda phase, info: time.sleep(0))
gc.set_threshold(50)
failures = []
def parse():
    for _ in range(60):
        try:
            ast.parse(source)
        except SystemError as error:
            failures.append(error)
            return
threads = [threading.Thread(target=parse) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(failures))
"""


@pytest.mark.slow
def test_an_interrupt_is_not_lost_to_two_threads_parsing_at_once():
    """Under a load of 8 on 2 cores, a SIGINT ended 2 runs of 6 with "SystemError: AST
    constructor recursion depth mismatch" and exit 1, not 2: pytest parsed the interrupted
    traceback's source while another thread parsed too (python/cpython#106905). The suite
    parses one at a time."""

    def failures(mode: str) -> int:
        done = subprocess.run(
            [sys.executable, "-c", _PARSE_RACE, mode],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return int(done.stdout)

    if failures("plain") == 0:
        pytest.skip("this Python parses in two threads at once without the race")
    assert failures("suite") == 0
