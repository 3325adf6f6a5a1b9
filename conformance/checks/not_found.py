"""Not found: a valid name that names nothing gets EntityNotFoundException (evidence section 2).

The message text is not pinned (no real capture of GetJobRun's wording); it must be non-empty.
"""

from __future__ import annotations

from conformance.awsjson import error_info
from conformance.checks.base import Context, expect
from conformance.transport import Exchange

ENTITY_NOT_FOUND = "EntityNotFoundException"


def check_entity_not_found(exchange: Exchange, rule_id: str, ctx: Context) -> None:
    info = error_info(exchange)
    expect(
        exchange.status == 400 and info.type == ENTITY_NOT_FOUND,
        rule_id,
        f"HTTP {exchange.status}, error type {info.type!r}",
        exchange,
        ctx,
    )
    expect(
        bool(info.message and info.message.strip()),
        rule_id,
        f"EntityNotFoundException without a message ({info.message!r})",
        exchange,
        ctx,
    )
