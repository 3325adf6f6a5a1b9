"""tests/children.py keeps its two promises: a signalled child starts with the default handlers
whatever this process ignores, and nothing a test started outlives the test."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests import children

ASK = "import signal; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)"


def _handles_sigint(**options: object) -> str:
    """What a child says of its SIGINT handler, started while this process ignores SIGINT (as
    a process started with `&` from a script does)."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with children.child(
            [sys.executable, "-c", ASK], stdout=subprocess.PIPE, text=True, **options
        ) as process:
            return str(process.communicate(timeout=60)[0]).strip()
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_child_gets_pythons_sigint_handler_even_where_sigint_is_ignored():
    assert _handles_sigint() == "True"
    assert _handles_sigint(signals=False) == "False"  # what the inherited SIG_IGN does


def _gone(pid: int, within_s: float = 30.0) -> bool:
    """Ended: no such process, or a zombie waiting for whichever process reaps orphans."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                if stat.read().rpartition(")")[2].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_what_a_child_leaves_behind_is_stopped_with_it():
    """As a suite run's ministack, started with its output elsewhere, would be."""
    sleeper = "[sys.executable, '-c', 'import time; time.sleep(600)']"
    leaves = (
        "import subprocess, sys; "
        f"p = subprocess.Popen({sleeper}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(p.pid, flush=True)"
    )
    command = [sys.executable, "-c", leaves]
    result = children.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert _gone(int(result.stdout))


def test_a_child_still_running_when_the_test_fails_is_stopped():
    sleeper = [sys.executable, "-c", "import time; time.sleep(600)"]
    with pytest.raises(RuntimeError), children.child(sleeper) as process:
        raise RuntimeError("the test failed")
    assert process.returncode == -signal.SIGTERM
    assert _gone(process.pid)
