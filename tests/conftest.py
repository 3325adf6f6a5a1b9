"""Project-test hooks: the tests' own run settings, and the measured scores of the suite's verdicts
printed at the end of a run.

`pytest tests` runs on pytest-xdist by default (`-n auto`, `--dist loadgroup`) when it runs the
whole folder; `-n 0` runs in one process, and a run of one file or one test (`pytest
tests/test_x.py`) stays in one process unless it asks for `-n`. These settings live here, not in
pyproject.toml, which is the conformance suite's configuration too (`pytest conformance` from
the checkout must not change how it runs).

A test using a module-scoped fixture (the installed wheel, the mutation score's verdicts, a run
of the suite shared by its module's tests) goes to the worker that holds its module's fixture:
each is computed once per session, not once per worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "slow: starts processes (a suite run, a wheel's install, an emulator) or takes seconds of "
        "CPU (thousands of examples drawn, reports of thousands of checks); `pytest tests -m "
        "'not slow'` is the inner loop, CI runs everything",
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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None or item.get_closest_marker("xdist_group"):
            continue
        shared = {  # where the tests' own fixtures wider than a test are defined
            d[-1].baseid
            for d in info.name2fixturedefs.values()
            if d and d[-1].scope != "function" and d[-1].baseid.startswith("tests")
        }
        if shared:
            item.add_marker(pytest.mark.xdist_group("+".join(sorted(shared))))


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    from tests.test_mutation_score import SCORES

    for line in config.stash.get(SCORES, []):
        terminalreporter.write_sep("=", line)
