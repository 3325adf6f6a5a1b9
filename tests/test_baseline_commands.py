"""`python -m glue_conformance.reports baseline` and `prune`: a baseline written from a run
makes the same target pass, and an entry whose checks stop deviating is pruned (as
schemathesis's baseline updates)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from glue_conformance.reports.baseline import committed, prune, read, write
from tests.test_plugin_run import ROOT, run_suite, usage_line

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
    # Each stale entry's progress letter is P (for prune), not S, which reads as skipped.
    letters = re.compile(r"(?:\S+\.py )?([.sxXFEP]+)(?: +\[ *\d+%\])?")
    progress = "".join(
        found.group(1)
        for found in map(letters.fullmatch, clean.stdout.splitlines())
        if found is not None
    )
    assert progress.count("P") == len(failed), clean.stdout[:3000]
    command = f"glue-conformance prune {baseline} {tmp_path / 'c'}/results.json"
    hint = f"glue-conformance: {len(failed)} known deviations no longer seen"
    (line,) = [line for line in clean.stdout.splitlines() if line.startswith(hint)]
    assert line.endswith(command)
    markdown = (tmp_path / "c" / "report.md").read_text(encoding="utf-8")
    assert f"### Known deviations no longer seen ({len(failed)})" in markdown
    assert "### No deviations" in markdown
    assert "### Failed" not in markdown
    pruned = _reports(*command.split()[1:])  # the printed command, as printed
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


@pytest.mark.parametrize("kind", ["results", "empty", "entry-not-object"])
def test_a_file_that_is_no_baseline_is_refused_by_run_and_prune_alike(tmp_path, kind):
    """`--glue-baseline out/results.json` and a `{}` file ran as "(0 known)", every deviation
    failing as new, while prune refused the same file: one reader now refuses it for both, in
    one line, exit 4, before anything is sent."""
    document = {
        "results": {"format": "glue-conformance/results@2", "checks": []},
        "empty": {},
        "entry-not-object": {"deviations": ["response.id.matches-request"]},
    }[kind]
    path = tmp_path / "results.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    expected = {
        "results": f"a run's results, not a baseline (write one from it: glue-conformance "
        f"baseline {path} --name NAME --out BASELINE.json)",
        "empty": "not a baseline: no 'deviations' list",
        "entry-not-object": "not a baseline: deviations[0] is not an object",
    }[kind]
    run = run_suite("--glue-target", "reference", "--glue-baseline", str(path), timeout=120)
    usage_line(run, f"--glue-baseline {path}: {expected}")
    pruned = _reports("prune", str(path), str(path))
    assert pruned.returncode == 4, pruned.stderr
    assert pruned.stdout == ""
    (line,) = pruned.stderr.splitlines()
    assert line.startswith(f"glue-conformance: {path}: {expected}")
    assert json.loads(path.read_text(encoding="utf-8")) == document  # prune wrote nothing


def test_a_baseline_written_from_an_interrupted_run_says_so(tmp_path):
    """results.json records whether its run was whole (`completeness`); a baseline written
    from an interrupted or time-boxed run knew only the checks it judged and said nothing."""
    partial = tmp_path / "partial"
    run_suite(
        "--glue-target",
        "reference",
        "--glue-reference-fault",
        "wrong-id",
        "--glue-max-time",
        "0.001",
        "--glue-report-dir",
        str(partial),
    )
    results = json.loads((partial / "results.json").read_text(encoding="utf-8"))
    assert results["completeness"]["complete"] is False
    out = tmp_path / "b.json"
    done = _reports("baseline", str(partial / "results.json"), "--name", "x", "--out", str(out))
    assert done.returncode == 0, done.stderr
    (warning,) = done.stderr.splitlines()
    assert warning.startswith("glue-conformance: warning: written from a run that is incomplete: ")
    assert "time budget" in warning
    data = read(out)  # the mark keeps it a baseline the run and prune read
    assert data["incomplete"].startswith("incomplete: 0 of ")
    whole = tmp_path / "whole"
    run_suite("--glue-target", "reference", "--glue-report-dir", str(whole))
    again = _reports("baseline", str(whole / "results.json"), "--name", "x", "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert again.stderr == ""
    assert "incomplete" not in read(out)


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


def test_a_race_that_flips_between_two_passing_runs_is_no_regression(tmp_path):
    """Two runs that exit 0 under a baseline of races ("strict": false): one shows the race,
    the other does not. Their diff said "REGRESSION: N newly failing (N of them excused by the
    new run's baseline)" and exited 1; the baseline named the race."""
    faulty = ["--glue-target", "reference", "--glue-reference-fault", "wrong-id"]
    shown, calm = tmp_path / "shown", tmp_path / "calm"
    run_suite(*faulty, "--glue-baseline", "none", "--glue-report-dir", str(tmp_path / "first"))
    baseline = tmp_path / "races.json"
    written = _reports(
        "baseline", str(tmp_path / "first" / "results.json"), "--name", "x", "--out", str(baseline)
    )
    assert written.returncode == 0, written.stderr
    data = json.loads(baseline.read_text(encoding="utf-8"))
    for entry in data["deviations"]:
        entry["strict"] = False
    baseline.write_text(json.dumps(data), encoding="utf-8")
    assert (
        run_suite(
            *faulty, "--glue-baseline", str(baseline), "--glue-report-dir", str(shown)
        ).returncode
        == 0
    )
    clean = ["--glue-target", "reference", "--glue-baseline", str(baseline)]
    assert run_suite(*clean, "--glue-report-dir", str(calm)).returncode == 0
    flipped = [
        c["id"]
        for c in json.loads((shown / "results.json").read_text(encoding="utf-8"))["checks"]
        if c["status"] == "known-deviation"
    ]
    assert flipped
    for old, new in ((calm, shown), (shown, calm)):
        compared = _reports("diff", str(old / "results.json"), str(new / "results.json"))
        assert compared.returncode == 0, compared.stdout[-2000:]
        assert "REGRESSION" not in compared.stdout
        assert f'Races that flipped (baseline "strict": false) ({len(flipped)}):' in compared.stdout
        assert "Newly passing (0)" in compared.stdout
        assert "Newly failing (0)" in compared.stdout


def _check(rule: str, case: str, status: str) -> dict[str, object]:
    return {
        "id": f"{rule}[{case}]" if case else rule,
        "rule": rule,
        "case": case,
        "status": status,
        "message": f"{rule} {status}",
        "statement": "a statement",
        "evidence": "evidence section 8",
        "no_verdict": None,
    }


def _results(*checks: dict[str, object], kind: str = "url") -> dict[str, object]:
    target = {"url": "http://127.0.0.1:1", "kind": kind, "version": None, "requests": 1}
    return {"target": target, "checks": list(checks)}


def test_a_rule_judged_once_is_written_with_its_empty_case_never_a_glob():
    """The issue's loop: '' written as '*' also covered the rule's conforming cases, which the
    next run called stale, on every run."""
    run = _results(
        _check("protocol.malformed-json", "", "failed"),
        _check("protocol.malformed-json", "GetJobRun.array", "failed"),
        _check("protocol.malformed-json", "GetJobRuns.empty", "passed"),
        _check("response.id.matches-request", "", "failed"),  # no emulator's: no race carried
    )
    entry, _ = write(run, name="mine")["deviations"]  # type: ignore[arg-type]
    assert entry["cases"] == ["", "GetJobRun.array"]
    assert "strict" not in entry


def test_a_case_that_deviated_in_some_runs_only_is_written_not_strict():
    first = _results(_check("lifecycle.runs-newest-first", "", "failed"))
    second = _results(_check("lifecycle.runs-newest-first", "", "passed"))
    steady = _check("response.id.matches-request", "", "failed")
    (racy, kept) = write(
        _results(*first["checks"], steady),  # type: ignore[arg-type]
        name="mine",
        more=[_results(*second["checks"], steady)],  # type: ignore[list-item]
    )["deviations"]
    assert (racy["rule"], racy["strict"]) == ("lifecycle.runs-newest-first", False)
    assert (kept["rule"], "strict" in kept) == ("response.id.matches-request", False)


def test_an_emulators_committed_races_are_carried_into_a_baseline_of_its_own():
    """A ministack started by hand: its committed baseline's races (strict: false) come along,
    whether or not this one run showed them."""
    run = _results(_check("validation.error-type", "x", "failed"), kind="ministack")
    entries = {e["rule"]: e for e in write(run, name="mine")["deviations"]}  # type: ignore[arg-type]
    races = {e["rule"] for e in committed()["ministack"]["deviations"] if e.get("strict") is False}
    assert races
    assert races <= set(entries)
    assert all(entries[rule]["strict"] is False for rule in races)
    assert "strict" not in entries["validation.error-type"]


def test_prune_narrows_a_glob_to_what_still_deviates_and_drops_what_conforms():
    baseline = {
        "deviations": [
            {"rule": "protocol.malformed-json", "cases": ["*"], "what": "w", "evidence": "e"},
            {"rule": "validation.error-type", "cases": ["a", "b"], "what": "w", "evidence": "e"},
            {"rule": "response.id.matches-request", "cases": ["*"], "what": "w", "evidence": "e"},
            {"rule": "lifecycle.runs-newest-first", "strict": False, "what": "w", "evidence": "e"},
            {"rule": "protocol.request-id", "cases": [""], "what": "w", "evidence": "e"},
        ]
    }
    run = _results(
        _check("protocol.malformed-json", "", "known-deviation"),
        _check("protocol.malformed-json", "GetJobRuns.empty", "passed"),
        _check("validation.error-type", "a", "known-deviation"),
        _check("validation.error-type", "b", "passed"),
        _check("response.id.matches-request", "", "passed"),
        _check("lifecycle.runs-newest-first", "", "passed"),
    )
    pruned, changes = prune(baseline, run)  # type: ignore[arg-type]
    assert [(e["rule"], e.get("cases")) for e in pruned["deviations"]] == [
        ("protocol.malformed-json", [""]),
        ("validation.error-type", ["a"]),
        ("lifecycle.runs-newest-first", None),  # a race: one conforming run fixes nothing
        ("protocol.request-id", [""]),  # not judged by this run: it stays
    ]
    assert changes == [
        "narrowed (some cases no longer deviate): protocol.malformed-json '*' -> ['']",
        "removed (no longer deviates): validation.error-type ['b']",
        "removed (no longer deviates): response.id.matches-request ['*']",
    ]


def test_the_state_machine_failing_on_a_rule_with_its_own_entry_is_not_written():
    """The state machine fails only on rules no baseline knows: with the rule's own entry
    written, it conforms on the next run, and an entry for it would be stale there. A property
    fails on any deviation, baseline or not: its entry is written."""
    machine = {**_check("lifecycle.stateful", "", "failed"), "failed_rule": "not-found.unknown-run"}
    alone = {
        **_check("lifecycle.stateful", "", "failed"),
        "failed_rule": "response.id.matches-request",
    }
    run = _results(machine, _check("not-found.unknown-run", "JobName-absent", "failed"))
    assert [e["rule"] for e in write(run, name="mine")["deviations"]] == ["not-found.unknown-run"]  # type: ignore[arg-type]
    run = _results(alone, _check("not-found.unknown-run", "JobName-absent", "failed"))
    rules = [e["rule"] for e in write(run, name="mine")["deviations"]]  # type: ignore[arg-type]
    assert rules == ["lifecycle.stateful", "not-found.unknown-run"]
    prop = {
        **_check("validation.property.invalid-requests", "", "failed"),
        "failed_rule": "validation.error-type",
    }
    run = _results(prop, _check("validation.error-type", "x", "failed"))
    rules = [e["rule"] for e in write(run, name="mine")["deviations"]]  # type: ignore[arg-type]
    assert rules == ["validation.property.invalid-requests", "validation.error-type"]
