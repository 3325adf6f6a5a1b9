"""`python -m glue_conformance.reports baseline` and `prune`: a baseline written from a run
makes the same target pass, and an entry whose checks stop deviating is pruned (as
schemathesis's baseline updates)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.test_plugin_run import ROOT, run_suite

pytestmark = pytest.mark.slow  # each test starts processes (tests/conftest.py)


def _reports(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "glue_conformance.reports", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_a_written_baseline_makes_the_run_pass_and_prune_drops_what_stopped(tmp_path):
    faulty = ["--glue-target", "reference", "--glue-reference-fault", "wrong-id"]
    first = run_suite(*faulty, "--glue-baseline", "none", "--glue-report-dir", str(tmp_path / "a"))
    assert first.returncode == 1, first.stdout[-2000:]
    baseline = tmp_path / "ci" / "reference-wrong-id.json"  # a folder that does not exist yet
    done = _reports(
        "baseline", str(tmp_path / "a" / "results.json"), "--name", "x", "--out", str(baseline)
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(baseline.read_text(encoding="utf-8"))
    rules = {entry["rule"] for entry in data["deviations"]}
    assert "response.id.matches-request" in rules
    assert all(
        entry["what"] and entry["evidence"] and entry["cases"] for entry in data["deviations"]
    )

    again = run_suite(*faulty, "--glue-baseline", str(baseline))
    assert again.returncode == 0, again.stdout[-2000:]

    # The fault is fixed; the run is made with the baseline, as an emulator's CI makes it: the
    # entry's checks fail only as "no longer observed", and prune takes that as conforming.
    clean = run_suite(
        "--glue-target",
        "reference",
        "--glue-baseline",
        str(baseline),
        "--glue-report-dir",
        str(tmp_path / "c"),
    )
    assert clean.returncode == 1, clean.stdout[-2000:]
    data = json.loads((tmp_path / "c" / "results.json").read_text(encoding="utf-8"))
    failed = [check["message"] for check in data["checks"] if check["status"] == "failed"]
    assert failed
    assert all(message.startswith("known deviation no longer observed") for message in failed)
    stale = [c["no_verdict"] for c in data["checks"] if c["status"] == "failed"]
    assert set(stale) == {"no-longer-observed"}
    # Stale entries are counted apart from new deviations: on the terminal, in report.md and in
    # the percentage (the target conforms everywhere), and the exact prune command is printed.
    assert data["summary"]["stale"] == len(failed)
    assert data["summary"]["conformance_pct"] == 100.0
    assert re.search(rf"\b{len(failed)} stale\b", clean.stdout.splitlines()[-1])
    assert " failed" not in clean.stdout.splitlines()[-1]
    command = f"python -m glue_conformance.reports prune {baseline} {tmp_path / 'c'}/results.json"
    hint = f"glue-conformance: {len(failed)} known deviations no longer seen"
    (line,) = [line for line in clean.stdout.splitlines() if line.startswith(hint)]
    assert line.endswith(command)
    markdown = (tmp_path / "c" / "report.md").read_text(encoding="utf-8")
    assert f"### Known deviations no longer seen ({len(failed)})" in markdown
    assert "### No deviations" in markdown
    assert "### Failed" not in markdown
    pruned = _reports(*command.split()[3:])  # the printed command, as printed
    assert pruned.returncode == 0, pruned.stderr
    assert "removed (no longer deviates): response.id.matches-request" in pruned.stdout
    assert json.loads(baseline.read_text(encoding="utf-8"))["deviations"] == []


def test_a_bad_file_is_one_line(tmp_path):
    missing = tmp_path / "none.json"
    done = _reports("prune", str(missing), str(missing))
    assert done.returncode == 4
    assert done.stderr.strip().count("\n") == 0
    assert done.stderr.startswith("glue-conformance: ")
    assert "no such file" in done.stderr


def test_a_non_strict_entry_that_conforms_this_time_is_reported_passed(tmp_path):
    """A non-strict entry (a race seen on some runs only) whose checks conform in this run: the
    run exits 0 and every report says passed, never a failure it did not judge."""
    baseline = tmp_path / "racy.json"
    baseline.write_text(
        json.dumps(
            {
                "name": "racy",
                "deviations": [
                    {
                        "rule": "response.id.matches-request",
                        "cases": ["*"],
                        "strict": False,
                        "what": "a race seen on some runs only",
                        "evidence": "conformance/evidence/aws-behavior.md section 4",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    faithful = ["--glue-target", "reference", "--glue-report-dir", str(out)]
    done = run_suite(*faithful, "--glue-baseline", str(baseline))
    assert done.returncode == 0, done.stdout[-2000:]
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    racy = [c for c in results["checks"] if c["rule"] == "response.id.matches-request"]
    assert racy
    assert {c["status"] for c in racy} == {"passed"}
    assert results["summary"]["failed"] == 0
    # pytest says "xpassed"; the line after it says what that means here.
    assert f"{len(racy)} xpassed" in done.stdout.splitlines()[-1]
    assert (
        f'glue-conformance: {len(racy)} xpassed: a baseline entry marked "strict": false '
        "(a race in the target, seen on some runs only) conformed this time "
        "(response.id.matches-request); not a failure, the entry stays"
    ) in done.stdout
