"""`python -m glue_conformance.reports baseline` and `prune`: a baseline written from a run
makes the same target pass, and an entry whose checks stop deviating is pruned (as
schemathesis's baseline updates)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.test_plugin_run import ROOT, run_suite


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
    checks = json.loads((tmp_path / "c" / "results.json").read_text(encoding="utf-8"))["checks"]
    failed = [check["message"] for check in checks if check["status"] == "failed"]
    assert failed
    assert all(message.startswith("known deviation no longer observed") for message in failed)
    pruned = _reports("prune", str(baseline), str(tmp_path / "c" / "results.json"))
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
