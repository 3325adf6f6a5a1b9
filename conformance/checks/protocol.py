"""AWS JSON 1.1 wire format (evidence sections 3 and 8; smithy awsJson1_1)."""

from __future__ import annotations

import schemas
from conformance.awsjson import content_type, error_info
from conformance.checks.base import Context, expect
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
    found = error_info(exchange).type
    expect(
        exchange.status == 400 and found == "SerializationException",
        "protocol.malformed-json",
        f"HTTP {exchange.status}, error type {found!r}",
        exchange,
        ctx,
    )


def check_unknown_operation(exchange: Exchange, ctx: Context) -> None:
    found = error_info(exchange).type
    expect(
        400 <= exchange.status < 500 and found == "UnknownOperationException",
        "protocol.unknown-operation",
        f"HTTP {exchange.status}, error type {found!r}",
        exchange,
        ctx,
    )


def check_missing_auth(exchange: Exchange, ctx: Context) -> None:
    found = error_info(exchange).type
    expect(
        exchange.status in (400, 403) and found in AUTH_ERRORS,
        "protocol.auth.missing",
        f"unsigned request answered HTTP {exchange.status}, error type {found!r}",
        exchange,
        ctx,
    )


def check_no_server_error(exchange: Exchange, ctx: Context) -> None:
    expect(
        exchange.status < 500,
        "protocol.no-server-error",
        f"HTTP {exchange.status} {error_info(exchange).type or ''}".strip(),
        exchange,
        ctx,
    )
