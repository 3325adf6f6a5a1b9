"""The hints at the end of a run: the exact baseline command when many deviations meet no
baseline (and the committed baseline's name when they are an emulator's the suite knows), the
exact prune command for a stale baseline, and what "xpassed" means."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from glue_conformance import baseline as baselines
from glue_conformance.hints import MANY_DEVIATIONS, RunFacts, end_of_run, known_emulator
from glue_conformance.records import CheckRecord
from glue_conformance.reports.results import NoVerdict, check_id
from tests.test_plugin_run import run_suite


def _failed(rule: str, case: str = "") -> CheckRecord:
    return CheckRecord(id=check_id(rule, case), rule=rule, case=case, status="failed")


def _moto_deviations() -> list[CheckRecord]:
    """One failed check per case the committed moto baseline names (a `*` case as one)."""
    moto = baselines.load("moto", "moto")
    assert moto is not None
    return [
        _failed(entry["rule"], "" if case == "*" else case)
        for entry in moto.deviations
        for case in entry.get("cases", ["*"])
        if "*" not in case or case == "*"
    ]


def _facts(**changes: object) -> RunFacts:
    values: dict[str, object] = {
        "kind": "url",
        "target_name": None,
        "baseline": None,
        "report_dir": "out",
    }
    values.update(changes)
    return RunFacts(**values)  # type: ignore[arg-type]


def test_few_deviations_get_no_baseline_hint() -> None:
    records = [_failed("validation.error-type", str(i)) for i in range(MANY_DEVIATIONS - 1)]
    assert end_of_run(records, _facts()) == []


def test_many_deviations_of_an_unknown_target_get_the_baseline_command() -> None:
    records = [_failed("validation.error-type", str(i)) for i in range(MANY_DEVIATIONS)]
    (line,) = end_of_run(records, _facts(target_name="my-fake"))
    assert line.endswith(
        "glue-conformance baseline out/results.json --name my-fake "
        "--out my-fake-baseline.json and run with --glue-baseline my-fake-baseline.json"
    )
    assert "--glue-baseline moto" not in line


def test_without_a_report_dir_the_command_says_how_to_get_results_first() -> None:
    records = [_failed("validation.error-type", str(i)) for i in range(MANY_DEVIATIONS)]
    (line,) = end_of_run(records, _facts(report_dir=None))
    assert "run again with --glue-report-dir glue-report, then glue-conformance baseline" in line
    assert "baseline glue-report/results.json --name my-emulator" in line


def test_a_url_whose_deviations_are_motos_is_told_to_use_the_moto_baseline() -> None:
    records = _moto_deviations()
    assert len(records) >= MANY_DEVIATIONS
    assert known_emulator(records, _facts()) == "moto"
    first, _ = end_of_run(records, _facts())
    assert "--glue-baseline moto judges them as known" in first
    # One deviation moto's baseline does not know in ten is still moto; more is not.
    strangers = [_failed("protocol.request-id", str(i)) for i in range(len(records))]
    assert known_emulator(records + strangers, _facts()) is None


def test_a_baseline_in_use_gets_no_baseline_hint() -> None:
    committed = baselines.load("moto", "moto")
    records = [_failed("validation.error-type", str(i)) for i in range(MANY_DEVIATIONS)]
    assert end_of_run(records, _facts(baseline=committed)) == []


def test_a_stale_shipped_baseline_is_pruned_into_a_file_of_ones_own() -> None:
    """Pruning the installed package's copy in place would be undone by the next install."""
    committed = baselines.load("moto", "moto")
    assert committed is not None
    stale = _failed("validation.error-type")
    stale.no_verdict = NoVerdict.NO_LONGER_OBSERVED
    line, named = end_of_run([stale], _facts(baseline=committed, kind="moto"))
    assert line == (
        "glue-conformance: 1 known deviations no longer seen (the target conforms there; not "
        f"new deviations): glue-conformance prune {committed.path} "
        "out/results.json --out moto-baseline.json"
    )
    assert named == "  no longer deviates: validation.error-type"


def test_stale_entries_are_named_on_the_console_a_line_each_up_to_ten() -> None:
    committed = baselines.load("moto", "moto")
    gone = [_failed("validation.error-type", f"case-{i}") for i in range(12)]
    for record in gone:
        record.no_verdict = NoVerdict.NO_LONGER_OBSERVED
    _, *named = end_of_run(gone, _facts(baseline=committed, kind="moto"))
    assert named[:2] == [
        "  no longer deviates: validation.error-type[case-0]",
        "  no longer deviates: validation.error-type[case-1]",
    ]
    assert named[10:] == ["  and 2 more (report.md lists them all)"]


def test_another_version_of_the_emulator_is_told_it_improved_not_that_the_install_failed() -> None:
    # (as the engine loads it for an embedded moto 99.0.0: the entries of the nearest release
    # the baseline knows, its newest)
    committed = baselines.load("moto", "moto", "99.0.0")
    assert committed is not None
    assert committed.observed_with
    written = f"moto {committed.versions[-1]}"  # 'moto 5.2.6'
    assert committed.version == committed.versions[-1]
    stale = _failed("validation.error-type")
    stale.no_verdict = NoVerdict.NO_LONGER_OBSERVED
    newer = _facts(baseline=committed, kind="moto", target_version="moto 99.0.0")
    line, _ = end_of_run([stale], newer)
    assert f"(moto 99.0.0 no longer shows these (baseline written for {written}: " in line
    assert " prune " in line
    same = _facts(baseline=committed, kind="moto", target_version=written)
    assert "the target conforms there" in end_of_run([stale], same)[0]
    other = _facts(baseline=committed, kind="url", target_version="ministack 1.5.33")
    assert "the target conforms there" in end_of_run([stale], other)[0]


@pytest.mark.slow
def test_a_moto_started_by_hand_and_judged_without_baseline_gets_both_commands(
    tmp_path: Path,
) -> None:
    """The issue's run: a URL, no baseline, many deviations, and not one word of baselines.
    The printed baseline command runs as printed (that its baseline makes a run pass is
    tests/test_baseline_commands.py's to show)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        report = tmp_path / "out"
        result = run_suite("-q", "--target-url", url, "--glue-report-dir", str(report))
        lines = result.stdout.splitlines()
        assert result.returncode == 1, result.stdout[-2000:]
        assert "--glue-baseline moto judges them as known" in lines[-3]
        assert lines[-2].startswith("glue-conformance: ")
        written = lines[-2].split("fail only on new ones, ", 1)[1].split(" and run with ")[0]
        command = shlex.split(written)
        # the README's form, run by the script the package installs (no venv activated)
        assert command[:2] == ["glue-conformance", "baseline"]
        assert command[2] == f"{report}/results.json"
        script = Path(sys.executable).parent / command[0]
        done = subprocess.run(
            [str(script), *command[1:]], cwd=tmp_path, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        mine = tmp_path / command[-1]
        assert json.loads(mine.read_text(encoding="utf-8"))["deviations"]
    finally:
        server.stop()


def test_the_printed_commands_are_the_readmes() -> None:
    """The README teaches `glue-conformance baseline/prune`; the hints print that form (a
    `python -m glue_conformance.reports` line is ModuleNotFoundError without the venv on PATH)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    records = [_failed("validation.error-type", str(i)) for i in range(MANY_DEVIATIONS)]
    (line,) = end_of_run(records, _facts())
    committed = baselines.load("moto", "moto")
    stale = _failed("validation.error-type")
    stale.no_verdict = NoVerdict.NO_LONGER_OBSERVED
    pruning, _ = end_of_run([stale], _facts(baseline=committed, kind="moto"))
    for printed, command in ((line, "baseline"), (pruning, "prune")):
        assert f"glue-conformance {command} " in printed
        assert f"glue-conformance {command} " in readme
        assert "python -m" not in printed


def test_one_rule_s_deviations_name_no_emulator() -> None:
    """`-k validation.error-type` against moto: every emulator that skips validation deviates
    there alike; the hint named ministack's baseline. One rule is not enough evidence."""
    moto = _moto_deviations()
    narrowed = [r for r in moto if r.rule == "validation.error-type"]
    narrowed += [_failed("validation.error-type", f"JobName-{i}") for i in range(MANY_DEVIATIONS)]
    assert known_emulator(narrowed, _facts()) is None
    (line,) = end_of_run(narrowed, _facts())
    assert "known ones" not in line


def test_deviations_two_baselines_know_alike_name_neither() -> None:
    """A run whose deviations both moto's and moto-ext's baselines know in full cannot tell
    which emulator it judged."""
    moto_ext = baselines.load("moto-ext", "url")
    moto = baselines.load("moto", "url")
    assert moto_ext is not None
    assert moto is not None
    shared = [
        _failed(rule, case)
        for rule, case in (
            ("validation.error-type", "JobName-empty"),
            ("protocol.unknown-operation", ""),
            ("response.execution-time.bounded", ""),
            ("lifecycle.stop-ends-stopped", ""),
        )
        for _ in range(3)
    ]
    assert all(moto.entry(r.rule, r.case) and moto_ext.entry(r.rule, r.case) for r in shared)
    assert known_emulator(shared, _facts()) is None
    # one that only moto-ext shows tells them apart
    told = [*shared, _failed("response.timestamps.epoch-number")]
    assert known_emulator(told, _facts()) == "moto-ext"


def test_checks_that_passed_tell_apart_two_baselines_that_know_every_deviation() -> None:
    """moto by URL: moto-ext's baseline knows each of moto's deviations too, but moto's 200s
    are application/x-amz-json-1.1 and its timestamps numbers, which moto-ext's expects not."""
    deviations = _moto_deviations()
    passed = [
        CheckRecord(id=f"{rule}[{case}]", rule=rule, case=case, status="passed")
        for rule, case in (
            ("protocol.content-type", "success"),
            ("response.timestamps.epoch-number", ""),
            ("response.schema", ""),
        )
    ]
    assert known_emulator(deviations + passed, _facts()) == "moto"
