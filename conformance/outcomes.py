"""How a run of the suite ends, how a check ends without a verdict, and where the run's state
lives on pytest's objects.

A leaf of the pytest side, shared by the plugin, the adapter's hooks, the fixtures and the test
files, so none of them imports another for a number, a key or a kind of skip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from glue_conformance.reports.results import NoVerdict
from glue_conformance.transport import UNAVAILABLE

if TYPE_CHECKING:
    from glue_conformance.engine import Engine
    from glue_conformance.records import CheckRecord

EXIT_TARGET_UNUSABLE = 69  # sysexits EX_UNAVAILABLE: the target could not be used at all
EXIT_TARGET_UNAVAILABLE = 75  # sysexits EX_TEMPFAIL: checks left unjudged (throttled, 5xx)

ENGINE: pytest.StashKey[Engine] = pytest.StashKey()  # on the config: the run's engine
RECORD: pytest.StashKey[CheckRecord] = pytest.StashKey()  # on each check's item: its record


class NotAVerdict(pytest.skip.Exception):  # type: ignore[misc,name-defined]
    """A check skipped for a reason that says nothing of the target: the reason travels as data
    (`why`) to the check's record, where exit codes, completeness and reports read it."""

    def __init__(self, why: NoVerdict, message: str) -> None:
        super().__init__(msg=message)
        self.why = why


# Printed as pytest prints every skip, `Skipped: <reason>` (pytest names its own outcome
# exceptions so): the terminal and results.json's messages read as they always have.
NotAVerdict.__module__, NotAVerdict.__qualname__ = "builtins", "Skipped"


# Raised where they are met (`raise unavailable(...)`), so pytest's skip line names that place.


def unavailable(detail: str) -> NotAVerdict:
    """The target kept throttling or failing over: the check is skipped, not judged (exit 75
    when nothing failed). Every place that meets an unavailable target raises this."""
    return NotAVerdict(NoVerdict.UNAVAILABLE, f"{UNAVAILABLE}: {detail}")


def not_judged(why: str) -> NotAVerdict:
    """The run has no time left for the check: skipped, not judged (the run is incomplete)."""
    return NotAVerdict(NoVerdict.NOT_JUDGED, f"not judged: {why}")
