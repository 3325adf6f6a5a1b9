"""Checks as small named functions, each raising `Deviation` for one rule id (see rules.py).

Grouped by what they judge: `validation`, `not_found`, `response`, `lifecycle`, `protocol`, `sdk`.
They need no pytest: `check_x(exchange, ..., ctx)` can be called from any harness.
"""

from glue_conformance.checks.base import Context, Deviation

__all__ = ["Context", "Deviation"]
