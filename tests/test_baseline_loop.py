"""The README's baseline loop, run as written (the `glue-conformance` command, relative paths, a
folder of the user's own) against an emulator the test starts itself, with no committed baseline:
what an emulator's maintainer does first. Until this test, every test of the loop ran against a
committed baseline, and the loop a user ran exited 1 on an unchanged server."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.test_ministack import MINISTACK
from tests.test_moto_ext import MOTO_EXT

pytestmark = pytest.mark.slow  # each test starts processes (tests/conftest.py)

BIN = Path(sys.executable).parent
COMMAND = str(BIN / "glue-conformance")
# The suite's own settings come from the arguments only, as run_suite does.
ENVIRONMENT = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith("GLUE_CONFORMANCE_") and k not in ("CI", "BUILD_NUMBER")
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _serving(command: list[str], port: int, env: dict[str, str] | None = None) -> Iterator[str]:
    """A server the user started by hand, stopped whatever the outcome."""
    process = subprocess.Popen(
        command,
        env={**ENVIRONMENT, **(env or {})},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"{command[0]} exited with {process.returncode}"
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() < deadline, f"{command[0]} did not listen"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _moto() -> tuple[list[str], int, dict[str, str]]:
    port = _free_port()
    return [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], port, {}


def _ministack() -> tuple[list[str], int, dict[str, str]]:
    if not os.access(MINISTACK, os.X_OK):
        if os.environ.get("CI"):
            pytest.fail(f"ministack is not installed at {MINISTACK}")
        pytest.skip("ministack is not installed here (.ci/run installs it into .ministack/)")
    port = _free_port()
    env = {"GATEWAY_PORT": str(port), "BIND_HOST": "127.0.0.1", "SERVICES": "glue"}
    return [MINISTACK], port, {**env, "PERSIST_STATE": "0", "LOG_LEVEL": "WARNING"}


def _moto_ext() -> tuple[list[str], int, dict[str, str]]:
    """moto-ext's moto_server from its own virtualenv, started by hand as the issue did."""
    if not os.access(MOTO_EXT, os.X_OK):
        if os.environ.get("CI"):
            pytest.fail(f"moto-ext is not installed at {MOTO_EXT}")
        pytest.skip("moto-ext is not installed here (.ci/run installs it into .moto-ext/)")
    port = _free_port()
    return [MOTO_EXT, "-H", "127.0.0.1", "-p", str(port)], port, {}


def _reference(*faults: str) -> tuple[list[str], int, dict[str, str]]:
    port = _free_port()
    switches = [arg for fault in faults for arg in ("--fault", fault)]
    command = [sys.executable, "-m", "glue_conformance.reference", "--port", str(port)]
    return [*command, *switches], port, {}


def _step(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COMMAND, *args],
        cwd=folder,
        env=ENVIRONMENT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _loop_until_step_3(folder: Path, url: str) -> tuple[list[str], int]:
    """Steps 1 to 3 as the README writes them; returns step 3's lines and the entry count."""
    first = _step(folder, "run", url, "--glue-baseline", "none", "--glue-report-dir", "out")
    assert first.returncode == 1, first.stdout[-3000:]
    written = _step(
        folder,
        "baseline",
        "out/results.json",
        "--name",
        "my-emulator",
        "--out",
        "ci/glue-baseline.json",
    )
    assert written.returncode == 0, written.stderr
    entries = json.loads((folder / "ci/glue-baseline.json").read_text(encoding="utf-8"))
    third = _step(
        folder, "run", url, "--glue-baseline", "ci/glue-baseline.json", "--glue-report-dir", "out"
    )
    assert third.returncode == 0, third.stdout[-3000:]
    assert "stale" not in third.stdout.splitlines()[-1]
    return third.stdout.splitlines(), len(entries["deviations"])


@pytest.mark.slow(seconds=25)  # starts an emulator and runs the suite three times
@pytest.mark.parametrize(
    "emulator", [_moto, _ministack, _moto_ext], ids=["moto", "ministack", "moto-ext"]
)
def test_the_readme_loop_holds_on_an_unchanged_emulator(tmp_path, emulator):
    command, port, env = emulator()
    with _serving(command, port, env) as url:
        _, count = _loop_until_step_3(tmp_path, url)
        assert count > 0
        # 4. prune after a run in which nothing changed: nothing to drop, and a rerun exits 0.
        pruned = _step(tmp_path, "prune", "ci/glue-baseline.json", "out/results.json")
        assert pruned.returncode == 0, pruned.stderr
        assert pruned.stdout.strip() == f"ci/glue-baseline.json: {count} entries"
        again = _step(
            tmp_path,
            "run",
            url,
            "--glue-baseline",
            "ci/glue-baseline.json",
            "--glue-report-dir",
            "out",
        )
        assert again.returncode == 0, again.stdout[-3000:]
        # 5. what changed since the run before (step 3's, kept by the run that replaced it) on
        # an unchanged server: nothing newly failing; a race the baseline knows flips freely.
        previous = tmp_path / "out/previous-results.json"
        assert previous.exists()
        changed = _step(tmp_path, "diff", "out/previous-results.json", "out/results.json")
        races = _races(tmp_path / "ci/glue-baseline.json")
        showed = _passed_then_deviated(previous, tmp_path / "out/results.json")
        assert showed <= races, changed.stdout[-3000:]
        assert changed.returncode == (1 if showed else 0), changed.stdout[-3000:]


def _races(baseline: Path) -> set[str]:
    entries = json.loads(baseline.read_text(encoding="utf-8"))["deviations"]
    return {entry["rule"] for entry in entries if entry.get("strict") is False}


def _passed_then_deviated(old: Path, new: Path) -> set[str]:
    def statuses(path: Path) -> dict[str, tuple[str, str]]:
        checks = json.loads(path.read_text(encoding="utf-8"))["checks"]
        return {c["id"]: (c["rule"], c["status"]) for c in checks}

    before, after = statuses(old), statuses(new)
    return {
        rule
        for check, (rule, status) in after.items()
        if status in ("failed", "known-deviation") and before.get(check, ("", ""))[1] == "passed"
    }


@pytest.mark.slow(seconds=30)
def test_a_new_fault_fails_the_loop_and_after_the_fix_prune_makes_it_pass(tmp_path):
    """The reference endpoint as the maintainer's emulator: one fault known, a second added (the
    run fails on it alone), then both fixed (the run fails as stale, naming each entry; prune
    drops them; the rerun exits 0)."""
    command, port, env = _reference("not-found-500")
    with _serving(command, port, env) as url:
        _, count = _loop_until_step_3(tmp_path, url)
        assert count > 0
    run = ("--glue-baseline", "ci/glue-baseline.json", "--glue-report-dir", "out")
    command, port, env = _reference("not-found-500", "iso-timestamps")
    with _serving(command, port, env) as url:
        worse = _step(tmp_path, "run", url, *run)
        assert worse.returncode == 1, worse.stdout[-3000:]
        assert "response.timestamps" in worse.stdout
        assert "stale" not in worse.stdout.splitlines()[-1]
    command, port, env = _reference()
    with _serving(command, port, env) as url:
        fixed = _step(tmp_path, "run", url, *run)
        assert fixed.returncode == 1, fixed.stdout[-3000:]
        named = [
            line.split("no longer deviates: ", 1)[1]
            for line in fixed.stdout.splitlines()
            if line.startswith("  no longer deviates: ")
        ]
        results = json.loads((tmp_path / "out/results.json").read_text(encoding="utf-8"))
        stale = [c["id"] for c in results["checks"] if c["no_verdict"] == "no-longer-observed"]
        assert stale
        assert set(named) <= set(stale)
        assert len(named) == min(len(stale), 10), fixed.stdout[-3000:]
        pruned = _step(tmp_path, "prune", "ci/glue-baseline.json", "out/results.json")
        assert pruned.returncode == 0, pruned.stderr
        assert "removed (no longer deviates)" in pruned.stdout
        assert pruned.stdout.splitlines()[-1] == "ci/glue-baseline.json: 0 entries"
        clean = _step(tmp_path, "run", url, *run)
        assert clean.returncode == 0, clean.stdout[-3000:]
