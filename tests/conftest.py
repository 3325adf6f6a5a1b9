"""Project-test hooks: print the measured scores of the suite's verdicts at the end of a run."""

from __future__ import annotations

from typing import Any

import pytest


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    from tests.test_mutation_score import SCORES

    for line in config.stash.get(SCORES, []):
        terminalreporter.write_sep("=", line)
