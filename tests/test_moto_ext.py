"""moto-ext (LocalStack's fork of moto) as an embedded target (--glue-target moto-ext): the suite
starts its moto_server in a process of its own (moto-ext installs as the package `moto`, so it
lives in a virtualenv of its own, named by GLUE_CONFORMANCE_MOTO_EXT), judges it against its
committed baseline, and every entry of that baseline is a deviation a run shows. .ci/run installs
it; without it these tests cannot say anything."""

from __future__ import annotations

import fnmatch
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from glue_conformance.outcomes import EXIT_TARGET_UNUSABLE
from glue_conformance.targets import MOTO_EXT_PIN
from tests.test_plugin_run import ROOT, run_suite, usage_line

pytestmark = pytest.mark.slow  # each test starts processes (tests/conftest.py)

MOTO_EXT = os.environ.get("GLUE_CONFORMANCE_MOTO_EXT") or str(
    ROOT / ".moto-ext" / "bin" / "moto_server"
)
installed = pytest.mark.skipif(
    not os.access(MOTO_EXT, os.X_OK) and not os.environ.get("CI"),
    reason="moto-ext is not installed here (.ci/run installs it into .moto-ext/)",
)
ENV = {"GLUE_CONFORMANCE_MOTO_EXT": MOTO_EXT}
BASELINES = ROOT / "reports" / "baselines"
# What the issue found by hand with curl (#28), each in the committed baseline.
NEW_IN_MOTO_EXT = {
    "protocol.content-type": "success",  # text/html on HTTP 200
    "response.timestamps.epoch-number": "",  # ISO-8601 strings with no zone
    "response.schema": "",  # AllocatedCapacity, MaxCapacity, ... as JSON null
}


def _entries(name: str) -> list[dict]:
    return json.loads((BASELINES / f"{name}.json").read_text(encoding="utf-8"))["deviations"]


def _failed(folder: Path) -> list[tuple[str, str]]:
    data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert data["target"]["kind"] == "moto-ext"
    assert data["target"]["version"] == f"moto-ext {MOTO_EXT_PIN}"
    return [(c["rule"], c["case"]) for c in data["checks"] if c["status"] == "failed"]


@installed
def test_moto_ext_passes_with_its_baseline():
    result = run_suite("--glue-target", "moto-ext", env=ENV)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "xfailed" in result.stdout.splitlines()[-1]
    assert "stale" not in result.stdout.splitlines()[-1]


@installed
def test_every_baseline_entry_is_a_deviation_moto_ext_shows(tmp_path):
    """Without a baseline, each case of each committed entry fails in a run against moto-ext
    (an entry copied from moto's that moto-ext does not share would match nothing), and every
    failure is known to the baseline. The entries where moto-ext and moto differ are named."""
    result = run_suite(
        "--glue-target",
        "moto-ext",
        "--glue-baseline",
        "none",
        "--glue-report-dir",
        str(tmp_path),
        env=ENV,
    )
    assert result.returncode == 1, result.stdout[-3000:]
    failed = _failed(tmp_path)
    entries = _entries("moto-ext")
    for entry in entries:
        for pattern in entry["cases"]:
            seen = [case for rule, case in failed if rule == entry["rule"]]
            assert any(fnmatch.fnmatchcase(case, pattern) for case in seen), (entry, seen)
    unknown = [
        (rule, case)
        for rule, case in failed
        if not any(
            e["rule"] == rule and any(fnmatch.fnmatchcase(case, p) for p in e["cases"])
            for e in entries
        )
    ]
    assert not unknown
    for rule, case in NEW_IN_MOTO_EXT.items():
        assert (rule, case) in failed
    moto_rules = {e["rule"] for e in _entries("moto")}
    assert set(NEW_IN_MOTO_EXT) - moto_rules == {
        "response.timestamps.epoch-number",
        "response.schema",
    }
    # every entry says what moto-ext does, not what moto does
    assert all("moto/glue/models.py" not in e["what"] for e in entries)


@installed
def test_a_deviation_the_baseline_does_not_know_fails_the_run(tmp_path):
    data = json.loads((BASELINES / "moto-ext.json").read_text(encoding="utf-8"))
    data["deviations"] = [
        e for e in data["deviations"] if e["rule"] != "response.timestamps.epoch-number"
    ]
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps(data), encoding="utf-8")
    result = run_suite("--glue-target", "moto-ext", "--glue-baseline", str(partial), env=ENV)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "1 failed" in result.stdout.splitlines()[-1]
    assert "[response.timestamps.epoch-number]" in result.stdout


def test_moto_ext_without_its_variable_is_one_usage_line():
    result = run_suite("--glue-target", "moto-ext", timeout=60)
    usage_line(result, "--glue-target moto-ext needs GLUE_CONFORMANCE_MOTO_EXT")
    assert f"'moto-ext[glue]=={MOTO_EXT_PIN}' pyparsing==" in result.stderr


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("{tmp}/none", "GLUE_CONFORMANCE_MOTO_EXT={tmp}/none: no such file"),
        ("{tmp}", "GLUE_CONFORMANCE_MOTO_EXT={tmp} is a folder, not moto-ext's moto_server"),
        ("{plain}", "GLUE_CONFORMANCE_MOTO_EXT={plain} is not executable"),
    ],
    ids=["missing", "folder", "not-executable"],
)
def test_a_moto_ext_path_that_cannot_work_is_one_usage_line(tmp_path, where, expected):
    plain = tmp_path / "plain"
    plain.write_text("#!/bin/sh\n", encoding="utf-8")
    names = {"tmp": str(tmp_path), "plain": str(plain)}
    result = run_suite(
        "--glue-target",
        "moto-ext",
        env={"GLUE_CONFORMANCE_MOTO_EXT": where.format(**names)},
        timeout=60,
    )
    usage_line(result, expected.format(**names))


def test_plain_moto_s_server_is_named_as_not_moto_ext():
    """The project's own virtualenv has moto's moto_server, the likeliest wrong path."""
    server = Path(sys.executable).parent / "moto_server"
    if not server.exists():
        pytest.skip("no moto_server beside this python")
    result = run_suite("--glue-target", "moto-ext", env={"GLUE_CONFORMANCE_MOTO_EXT": str(server)})
    usage_line(result, f"GLUE_CONFORMANCE_MOTO_EXT={server} is moto ")
    assert "moto-ext is not installed there" in result.stderr


def _venv_without_pyparsing(tmp_path: Path, *, in_probe: bool) -> Path:
    """A virtualenv over moto-ext's packages where pyparsing cannot be imported: everywhere (as
    after `pip install moto-ext` alone), or only in the server (what the readiness probe finds)."""
    site = subprocess.run(
        [
            str(Path(MOTO_EXT).parent / "python"),
            "-c",
            "import moto,os;print(os.path.dirname(os.path.dirname(moto.__file__)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    (own,) = venv.glob("lib/python*/site-packages")
    block = "import sys; sys.modules['pyparsing'] = None\n"
    (own / "moto_ext.pth").write_text(site + "\n" + (block if in_probe else ""), encoding="utf-8")
    server = venv / "bin" / "moto_server"
    server.write_text(
        f"#!{venv / 'bin' / 'python'}\n{block}from moto.server import main\nmain()\n",
        encoding="utf-8",
    )
    server.chmod(0o755)
    return server


@installed
def test_moto_ext_without_pyparsing_is_one_usage_line_naming_the_fix(tmp_path):
    server = _venv_without_pyparsing(tmp_path, in_probe=True)
    result = run_suite("--glue-target", "moto-ext", env={"GLUE_CONFORMANCE_MOTO_EXT": str(server)})
    usage_line(
        result, f"moto-ext {MOTO_EXT_PIN} at GLUE_CONFORMANCE_MOTO_EXT={server} lacks pyparsing"
    )
    assert f"{server.parent / 'pip'} install 'moto-ext[glue]==" in result.stderr


@installed
def test_a_moto_ext_that_starts_and_cannot_serve_glue_is_exit_69(tmp_path):
    server = _venv_without_pyparsing(tmp_path, in_probe=False)
    result = run_suite("--glue-target", "moto-ext", env={"GLUE_CONFORMANCE_MOTO_EXT": str(server)})
    output = result.stdout + result.stderr
    assert result.returncode == EXIT_TARGET_UNUSABLE, output[-2000:]
    assert "cannot serve Glue: GetJobRun answered HTTP 500 text/html" in output
    assert "pyparsing==" in output
    assert "Traceback" not in output


def test_the_pin_is_the_same_everywhere_it_is_written():
    """.ci/run, the nightly's pinned leg, the docs and the hint install one moto-ext."""
    pin = f"moto-ext[glue]=={MOTO_EXT_PIN}"
    for path in (".ci/run", ".github/workflows/nightly.yml", "docs/emulators.md"):
        assert pin in (ROOT / path).read_text(encoding="utf-8"), path


@installed
def test_moto_ext_started_by_hand_is_told_to_use_its_baseline():
    """The issue's run: `moto_server` of a moto-ext virtualenv, judged by URL with no baseline.
    moto's baseline knows nearly all of its deviations; the suggestion names moto-ext's, which
    knows them all (and a run of it by name exits 0)."""
    from tests.test_baseline_loop import _free_port, _serving

    port = _free_port()
    with _serving([MOTO_EXT, "-H", "127.0.0.1", "-p", str(port)], port) as url:
        bare = run_suite("-q", "--target-url", url, "--glue-baseline", "none")
        assert bare.returncode == 1, bare.stdout[-3000:]
        assert "they are moto-ext's known ones: --glue-baseline moto-ext" in bare.stdout
        known = run_suite("-q", "--target-url", url, "--glue-baseline", "moto-ext")
        assert known.returncode == 0, known.stdout[-3000:]
