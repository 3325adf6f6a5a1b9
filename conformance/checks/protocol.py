"""AWS JSON 1.1 wire format (evidence sections 3 and 8; smithy awsJson1_1)."""

from __future__ import annotations

import schemas
from conformance.awsjson import content_type, error_info
from conformance.checks.base import Context, check_error_answer, expect
from conformance.transport import JSON_11, Exchange

AUTH_ERRORS = frozenset(
    {
        "MissingAuthenticationTokenException",
        "MissingAuthenticationToken",
        "IncompleteSignatureException",
        "InvalidSignatureException",
        "UnrecognizedClientException",
        "AccessDeniedException",
    }
)


def check_content_type(exchange: Exchange, ctx: Context) -> None:
    found = exchange.header("content-type")
    expect(
        content_type(exchange) == JSON_11,
        "protocol.content-type",
        f"Content-Type {found!r} on HTTP {exchange.status}",
        exchange,
        ctx,
    )


def check_request_id(exchange: Exchange, ctx: Context) -> None:
    expect(
        bool((exchange.header("x-amzn-requestid") or "").strip()),
        "protocol.request-id",
        f"no x-amzn-RequestId header on HTTP {exchange.status}",
        exchange,
        ctx,
    )


def check_error_type(exchange: Exchange, ctx: Context) -> None:
    expect(
        error_info(exchange).type is not None,
        "protocol.error.type",
        f"HTTP {exchange.status} names no error type (no __type, code or X-Amzn-ErrorType)",
        exchange,
        ctx,
    )


def check_error_body(exchange: Exchange, ctx: Context) -> None:
    body = exchange.json
    problem = exchange.json_problem
    if problem is None:
        errors = list(schemas.validator("GetJobRun.error").iter_errors(body))
        problem = "; ".join(e.message[:120] for e in errors[:3]) or None
    expect(problem is None, "protocol.error.body", f"error body: {problem}", exchange, ctx)


def check_malformed_json(exchange: Exchange, ctx: Context) -> None:
    check_error_answer(
        exchange,
        "protocol.malformed-json",
        statuses=(400,),
        types={"SerializationException"},
        ctx=ctx,
    )


def check_unknown_operation(exchange: Exchange, ctx: Context) -> None:
    check_error_answer(
        exchange,
        "protocol.unknown-operation",
        statuses=range(400, 500),
        types={"UnknownOperationException"},
        ctx=ctx,
    )


def check_missing_auth(exchange: Exchange, ctx: Context) -> None:
    check_error_answer(
        exchange,
        "protocol.auth.missing",
        statuses=(400, 403),
        types=AUTH_ERRORS,
        ctx=ctx,
        what="unsigned request answered ",
    )


def check_no_server_error(exchange: Exchange, ctx: Context) -> None:
    expect(
        exchange.status < 500,
        "protocol.no-server-error",
        f"HTTP {exchange.status} {error_info(exchange).type or ''}".strip(),
        exchange,
        ctx,
    )
