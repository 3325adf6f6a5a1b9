"""The end of `pytest tests` says which tests were skipped for an emulator that is not installed
here, and how to install it (issue 36): read off .ci/run, which installs them for CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import emulators_missing

ROOT = Path(__file__).resolve().parents[1]


def test_the_summary_counts_the_skips_and_gives_the_install_lines():
    class Skipped:
        def __init__(self, reason: str) -> None:
            self.longrepr = ("file.py", 1, f"Skipped: {reason}")

    reasons = ["ministack is not installed here (.ci/run installs it into .ministack/)"] * 3
    reasons += ["moto-ext is not installed here (.ci/run installs it into .moto-ext/)", "other"]
    lines = emulators_missing([Skipped(reason) for reason in reasons])
    assert lines[0] == "3 tests skipped: ministack is not installed here; to run them:"
    assert "    python3 -m venv .ministack" in lines
    assert any(line.startswith("    .ministack/bin/pip install -q ministack==") for line in lines)
    assert "1 tests skipped: moto-ext is not installed here; to run them:" in lines
    assert any(line.startswith("    .moto-ext/bin/pip install") for line in lines)


@pytest.mark.slow
def test_a_run_without_ministack_says_so_at_its_end(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GLUE_CONFORMANCE_MINISTACK")}
    env["GLUE_CONFORMANCE_MINISTACK"] = str(tmp_path / "no-ministack")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_ministack.py", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert "skipped" in result.stdout.splitlines()[-1], result.stdout[-2000:]
    assert "tests skipped: ministack is not installed here; to run them:" in result.stdout
