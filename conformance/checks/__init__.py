"""Checks as small named functions, each raising `Deviation` for one rule id (see rules.py).

Grouped by what they judge: `validation`, `not_found`, `response`, `clock`, `lifecycle`,
`listing`, `meaning`, `protocol`, `sdk`. They need no pytest: `check_x(exchange, ..., ctx)` can be
called from any harness. Each registers itself (`glue_conformance.checks.registry`) when its
module is imported; this package imports them all, so whoever needs every check imports the
package and asks `all_checks()` (the registry itself imports no check module).
"""

from glue_conformance.checks import (
    clock,
    lifecycle,
    listing,
    meaning,
    not_found,
    protocol,
    response,
    sdk,
    validation,
)
from glue_conformance.checks.base import Context, Deviation
from glue_conformance.checks.registry import CHECKS, Registered

CHECK_MODULES = (clock, lifecycle, listing, meaning, not_found, protocol, response, sdk, validation)


def all_checks() -> dict[str, Registered]:
    """Every registered check: each check module has been imported, above."""
    return dict(CHECKS)


def judging(subject: str) -> list[Registered]:
    """The checks and observations the observation point applies to `subject`, in a fixed
    order (by name), so two runs judge alike."""
    return sorted(
        (entry for entry in CHECKS.values() if entry.subject == subject),
        key=lambda entry: entry.name,
    )


__all__ = ["CHECK_MODULES", "Context", "Deviation", "Registered", "all_checks", "judging"]
