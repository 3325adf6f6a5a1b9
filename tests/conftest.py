"""Project-test hooks: the tests' own run settings, and the measured scores of the suite's verdicts
printed at the end of a run.

`pytest tests` runs on pytest-xdist by default (`-n auto`: two workers more than the cores;
`--dist loadgroup`) when it runs the whole folder; `-n 0` runs in one process, and a run of one
file or one test (`pytest tests/test_x.py`) stays in one process unless it asks for `-n`. These
settings live here, not in pyproject.toml, which is the conformance suite's configuration too
(`pytest conformance` from the checkout must not change how it runs).

The tests of a file that defines a module-scoped fixture (the installed wheel, the mutation
score's verdicts, a run of the suite shared by its module's tests) go to one worker, so each is
computed once per session, not once per worker (`pytest_xdist_make_scheduler`). The tests marked
slow go first. The Python processes the tests start keep their compiled bytecode
(`keep_bytecode`).
"""

from __future__ import annotations

import ast
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests import scores

HERE = Path(__file__).resolve().parent


def keep_bytecode() -> str | None:
    """Where PYTHONDONTWRITEBYTECODE is set, the test processes and every Python process they
    start write their bytecode to a cache outside the checkout instead (PYTHONPYCACHEPREFIX: the
    one set, or one per user in the temporary folder). The tests start Pythons by the hundred
    (suite runs, emulators, the command line); without a cache each compiled the package and
    rewrote its test modules' asserts again, a sixth of the CPU of `pytest tests` (measured on 2
    cores: 15.5 user-minutes without, 13.1 with). Nothing is written beside the sources either way.
    Answers the cache's folder, or None where bytecode was written already."""
    if not os.environ.get("PYTHONDONTWRITEBYTECODE") and not sys.dont_write_bytecode:
        return None
    prefix = os.environ.get("PYTHONPYCACHEPREFIX") or str(
        Path(tempfile.gettempdir()) / f"glue-conformance-tests-bytecode-{os.getuid()}"
    )
    os.environ["PYTHONPYCACHEPREFIX"] = prefix  # before pytest-xdist starts its workers
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.pycache_prefix = prefix
    sys.dont_write_bytecode = False
    return prefix


def pytest_configure(config: pytest.Config) -> None:
    keep_bytecode()
    config.addinivalue_line(
        "markers",
        "slow(seconds=N): starts processes (a suite run, a wheel's install, an emulator) or "
        "takes seconds of CPU (thousands of examples drawn, reports of thousands of checks); "
        "`pytest tests -m 'not slow'` is the inner loop, CI runs everything. seconds, where "
        "given: about how long the test takes on 2 cores (the longest start first)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or not hasattr(config.option, "numprocesses"):
        return  # a worker, or xdist is off (-p no:xdist)
    if config.option.numprocesses is not None:
        return  # -n given: as asked
    arguments = [a for a in config.args if not a.startswith("-")]
    whole = not arguments or all(Path(a).resolve() == HERE for a in arguments)
    if whole and not config.option.collectonly and not config.getoption("usepdb", False):
        config.option.numprocesses = "auto"
        if config.option.dist == "no":
            config.option.dist = "loadgroup"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` for the project's tests: two workers more than the cores this process may use.
    The tests wait on the processes they start (a suite run polling its runs, a run that never
    ends waited out, a tour's second between two starts), and the extra workers fill those
    waits. On 2 cores on 2026-12-07: 11 min 32 s with two workers, 9 min 26 s with three; after
    the CPU cuts of that day, 7 min 49 s with three (the cores idle a fifth of the time in the
    middle of the session) and 7 min 2 s to 7 min 19 s with four. PYTEST_XDIST_AUTO_NUM_WORKERS
    still decides where it is set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return len(os.sched_getaffinity(0)) + 2


def shared_files(folder: Path = HERE) -> frozenset[str]:
    """The test files that define a fixture wider than a test (a module's wheel, its suite
    run, the mutation score's verdicts): each is computed once per worker that runs one of its
    tests, so all of a file's tests go to one worker."""
    found = set()
    for path in sorted(folder.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and any(
                k.arg == "scope" and getattr(k.value, "value", "function") != "function"
                for k in node.keywords
            ):
                found.add(f"{folder.name}/{path.name}")
    return frozenset(found)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadgroup`, grouped here: pytest-xdist 3.8 marks a group by rewriting the
    nodeid, which pytest 9.2 no longer reads (every test was its own group, and each worker
    built the wheel and measured the mutation score again). A test of a shared file goes with
    its file; every other test on its own, to whichever worker is free."""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    shared = shared_files()

    class SharedFiles(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return path if path in shared else nodeid

    return SharedFiles(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked slow first, the longest of them (`slow(seconds=N)`) before the rest, so
    the quick ones fill in at the end; otherwise in file order. The workers take the groups in
    this order (pytest-xdist puts the shared files' groups of many tests before single tests).
    Without the order, a minute-long test started last ends a session alone: measured on 2
    cores, the differential score's parts started at 5 min 20 s and the session took 8 min 36 s
    where the CPU it used fits in 7 min 40 s."""
    items.sort(key=_order)


def _order(item: pytest.Item) -> tuple[bool, float]:
    slow = item.get_closest_marker("slow")
    return (slow is None, -float(slow.kwargs.get("seconds", 0)) if slow is not None else 0.0)


_totals: dict[str, dict[str, int]] = {}  # the scores' counts (tests/scores.py)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """(On the controller every report passes here, a worker's too; on a worker, its own.)"""
    if report.user_properties and report.when == "call":
        scores.add(_totals, report.user_properties)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return
    for line in scores.lines(_totals):
        terminalreporter.write_sep("=", line)
    for line in emulators_missing(terminalreporter.stats.get("skipped", [])):
        terminalreporter.write_line(line)


def emulators_missing(skipped: list[Any]) -> list[str]:
    """The tests skipped for an emulator that is not installed here, counted, and the lines of
    .ci/run that install it (issue 36: 16 tests skipped without a word at the end)."""
    counts: Counter[str] = Counter()
    for report in skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        for name in ("ministack", "moto-ext"):
            if f"{name} is not installed here" in reason:
                counts[name] += 1
    if not counts:  # (nothing to say: and a copy of this conftest may have no .ci/run beside it)
        return []
    script = (HERE.parent / ".ci" / "run").read_text(encoding="utf-8")
    lines = []
    for name, count in sorted(counts.items()):
        steps = [
            line.strip()
            for line in script.splitlines()
            if f"venv .{name}" in line or line.startswith(f".{name}/bin/pip install")
        ]
        lines.append(f"{count} tests skipped: {name} is not installed here; to run them:")
        lines += [f"    {step}" for step in steps]
    return lines
