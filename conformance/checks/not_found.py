"""Not found: a valid name that names nothing gets EntityNotFoundException (evidence section 2).

The message text is not pinned (no real capture of GetJobRun's wording); it must be non-empty.
"""

from __future__ import annotations

import glue_conformance.checks.examples as ex
from glue_conformance.awsjson import error_info
from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, expect, observation
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


@check(
    "not-found.delete-unknown-job",
    faithful=lambda: (ex.answer(200, {}),),
    deviating=lambda: (ex.error(400, ENTITY_NOT_FOUND, "Job with name: absent not found."),),
)
def check_delete_unknown_job(exchange: Exchange, ctx: Context) -> None:
    """Model text: "If the job definition is not found, no exception is thrown." (Whether the
    answer echoes JobName is not judged.)"""
    info = error_info(exchange)
    expect(
        exchange.status == 200 and info.type is None,
        f"DeleteJob of a job that does not exist: HTTP {exchange.status}, error type "
        f"{info.type!r} {str(info.message or '')[:120]!r}",
        exchange,
    )


def answered(exchange: Exchange | None) -> str:
    """An answer in a few words: its status and error type, or how many runs it holds."""
    if exchange is None:
        return "no answer"
    info = error_info(exchange)
    if info.type is not None or exchange.status != 200:
        return f"HTTP {exchange.status} {info.type or '(no error type)'}"
    body = exchange.json if isinstance(exchange.json, dict) else {}
    if isinstance(body.get("JobRun"), dict):
        return f"HTTP 200, the run {body['JobRun'].get('JobRunState', '(no state)')}"
    if "JobRuns" in body:
        runs = body.get("JobRuns")
        return f"HTTP 200, {len(runs) if isinstance(runs, list) else runs!r} runs"
    if "SuccessfulSubmissions" in body:
        done, errors = body.get("SuccessfulSubmissions"), body.get("Errors")
        return (
            f"HTTP 200, {len(done) if isinstance(done, list) else 0} stopped, "
            f"{len(errors) if isinstance(errors, list) else 0} errors"
        )
    return "HTTP 200" + (", a new run" if "JobRunId" in body else "")


@observation(
    "not-found.deleted-job",
    judges="campaign",
    example=lambda: (("GetJobRun of its run", ex.NOT_FOUND),),
    records="GetJobRun of its run: HTTP 400 EntityNotFoundException",
)
def observe_deleted_job(subject: tuple[str, Exchange | str | None]) -> str:
    """(what was asked after DeleteJob, its answer: the exchange, or what the SDK made of
    an answer it parsed)."""
    asked, exchange = subject
    return f"{asked}: {exchange if isinstance(exchange, str) else answered(exchange)}"
