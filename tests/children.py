"""Child processes a test starts: with the default signal handlers, and always stopped.

A process started with `&` from a non-interactive shell (a script, a CI runner) inherits SIGINT
as ignored, and so does every child it starts: Python then installs no KeyboardInterrupt handler,
and a test that sends SIGINT to its child would see it ignored. `child()` restores the defaults in
the child before it runs, starts it in a session of its own (its own children go with it) and,
whatever the test's outcome, stops what is still running when the test leaves the block.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

# What a test may send its child, as an interactive shell would leave them.
DEFAULTS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP)


def default_signals() -> None:
    """preexec_fn: run in the child before it executes its program."""
    for signum in DEFAULTS:
        signal.signal(signum, signal.SIG_DFL)


def stop(process: subprocess.Popen[Any], *, grace_s: float = 10.0) -> None:
    """Its whole session: SIGTERM, `grace_s` for the process to end, then SIGKILL for whatever of
    the session is left (the process itself, or children it left behind)."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, signum)
        except ProcessLookupError:  # nothing of the session is left
            break
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace_s)
    process.wait()
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()


@contextmanager
def child(
    command: Sequence[str], *, signals: bool = True, **popen: Any
) -> Iterator[subprocess.Popen[Any]]:
    """`with child([...], stdout=PIPE) as process:`: the started process, stopped on leaving.
    `signals=False` for a child the test never signals: no Python runs between fork and exec
    (preexec_fn is unsafe in a process with threads, as the mutation score's)."""
    process = subprocess.Popen(
        command, preexec_fn=default_signals if signals else None, start_new_session=True, **popen
    )
    try:
        yield process
    finally:
        stop(process)


def run(
    command: Sequence[str], *, timeout: float, **options: Any
) -> subprocess.CompletedProcess[Any]:
    """subprocess.run (capture_output, text, env, cwd, check...) for a child that starts children
    of its own (a suite run's pytest-xdist workers, its ministack): on a timeout, or once it has
    ended, its whole session is stopped, not the child alone (by SIGTERM and SIGKILL, which no
    shell leaves ignored: its handlers stay as inherited)."""
    check = options.pop("check", False)
    if options.pop("capture_output", False):
        options.update(stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with child(command, signals=False, **options) as process:
        stdout, stderr = process.communicate(timeout=timeout)
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    if check:
        result.check_returncode()
    return result
