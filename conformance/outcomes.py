"""How a run of the suite ends, and where its state lives on pytest's objects.

A leaf of the package, shared by the plugin, the adapter's hooks and the fixtures, so none of
them imports another for a number or a key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from glue_conformance.engine import Engine
    from glue_conformance.records import CheckRecord

EXIT_TARGET_UNUSABLE = 69  # sysexits EX_UNAVAILABLE: the target could not be used at all
EXIT_TARGET_UNAVAILABLE = 75  # sysexits EX_TEMPFAIL: checks left unjudged (throttled, 5xx)

ENGINE: pytest.StashKey[Engine] = pytest.StashKey()  # on the config: the run's engine
RECORD: pytest.StashKey[CheckRecord] = pytest.StashKey()  # on each check's item: its record
