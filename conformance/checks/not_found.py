"""Not found: a valid name that names nothing gets EntityNotFoundException (evidence section 2).

The message text is not pinned (no real capture of GetJobRun's wording); it must be non-empty.
"""

from __future__ import annotations

import glue_conformance.checks.examples as ex
from glue_conformance.awsjson import error_info
from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, expect
from glue_conformance.transport import Exchange

ENTITY_NOT_FOUND = "EntityNotFoundException"


def _entity_not_found(exchange: Exchange) -> None:
    info = error_info(exchange)
    expect(
        exchange.status == 400 and info.type == ENTITY_NOT_FOUND,
        f"HTTP {exchange.status}, error type {info.type!r}",
        exchange,
    )
    expect(
        bool(info.message and info.message.strip()),
        f"EntityNotFoundException without a message ({info.message!r})",
        exchange,
    )


@check(
    "not-found.unknown-job",
    faithful=lambda: (ex.NOT_FOUND,),
    deviating=lambda: (ex.error(400, "EntityNotFoundException", " "),),
)
def check_unknown_job(exchange: Exchange, ctx: Context) -> None:
    _entity_not_found(exchange)


@check(
    "not-found.unknown-run",
    faithful=lambda: (ex.NOT_FOUND,),
    deviating=lambda: (ex.ok(),),
)
def check_unknown_run(exchange: Exchange, ctx: Context) -> None:
    _entity_not_found(exchange)


@check(
    "not-found.property.valid-names",
    faithful=lambda: (ex.NOT_FOUND,),
    deviating=lambda: (ex.TOO_LONG,),
)
def check_valid_name_not_found(exchange: Exchange, ctx: Context) -> None:
    _entity_not_found(exchange)


@check(
    "not-found.run-under-other-job",
    faithful=lambda: (ex.NOT_FOUND,),
    deviating=lambda: (ex.ok(),),
)
def check_run_under_other_job(exchange: Exchange, ctx: Context) -> None:
    _entity_not_found(exchange)


@check(
    "not-found.run-id-exact",
    judges="campaign",
    faithful=lambda: (ex.NOT_FOUND,),
    deviating=lambda: (ex.ok(),),
)
def check_run_id_exact(exchange: Exchange, ctx: Context) -> None:
    _entity_not_found(exchange)


@check(
    "not-found.job-name-exact",
    judges="campaign",
    faithful=lambda: (ex.NOT_FOUND,),
    deviating=lambda: (ex.ok(),),
)
def check_job_name_exact(exchange: Exchange, ctx: Context) -> None:
    _entity_not_found(exchange)
