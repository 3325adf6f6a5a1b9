"""AWS JSON 1.1 wire format (evidence sections 3 and 8; smithy awsJson1_1)."""

from __future__ import annotations

import glue_conformance.checks.examples as ex
from glue_conformance import schemas
from glue_conformance.awsjson import content_type, error_info
from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, error_answer, expect
from glue_conformance.strategies.envelope import NOT_AN_OBJECT_KINDS, NOT_JSON_KINDS, Malformed
from glue_conformance.transport import JSON_11, Exchange

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


@check(
    "protocol.content-type",
    faithful=lambda: (ex.NOT_FOUND,),
    deviating=lambda: (ex.error(400, "X", **{"content-type": "application/json"}),),
)
def check_content_type(exchange: Exchange, ctx: Context) -> None:
    found = exchange.header("content-type")
    expect(
        content_type(exchange) == JSON_11,
        f"Content-Type {found!r} on HTTP {exchange.status}",
        exchange,
    )


@check(
    "protocol.request-id",
    faithful=lambda: (ex.NOT_FOUND,),
    deviating=lambda: (ex.error(400, "X", **{"x-amzn-requestid": " "}),),
)
def check_request_id(exchange: Exchange, ctx: Context) -> None:
    expect(
        bool((exchange.header("x-amzn-requestid") or "").strip()),
        f"no x-amzn-RequestId header on HTTP {exchange.status}",
        exchange,
    )


@check(
    "protocol.error.type",
    faithful=lambda: (ex.NOT_FOUND,),
    deviating=lambda: (ex.error(400, None),),
)
def check_error_type(exchange: Exchange, ctx: Context) -> None:
    expect(
        error_info(exchange).type is not None,
        f"HTTP {exchange.status} names no error type (no __type, code or X-Amzn-ErrorType)",
        exchange,
    )


@check(
    "protocol.error.body",
    faithful=lambda: (ex.NOT_FOUND,),
    deviating=lambda: (ex.answer(400, b"<html/>"),),
)
def check_error_body(exchange: Exchange, ctx: Context) -> None:
    body = exchange.json
    problem = exchange.json_problem
    if problem is None:
        errors = list(schemas.validator("GetJobRun.error").iter_errors(body))
        problem = "; ".join(e.message[:120] for e in errors[:3]) or None
    expect(problem is None, f"error body: {problem}", exchange)


@check(
    "protocol.malformed-json",
    faithful=lambda: (ex.error(400, "com.amazon.coral.service#SerializationException", None),),
    deviating=lambda: (ex.error(500, "InternalFailure"),),
)
def check_malformed_json(
    exchange: Exchange, ctx: Context, *, kind: Malformed = Malformed.NOT_JSON
) -> None:
    """A malformed body of `kind` (by default: text that is not JSON), judged as strictly as the
    evidence allows.

    - Not JSON text (RFC 8259: no value, a value cut short, anything but whitespace after it, a
      NaN/Infinity literal) and bytes that are not UTF-8: 400 SerializationException (evidence 8,
      and 7 for malformed bytes). Trailing garbage is judged by RFC 8259 with no Glue capture: a
      reader that stops after the first value would accept it.
    - JSON that is not an object: the input structure arrives as a value of the wrong JSON type,
      so 400 SerializationException or ValidationException (evidence 9; a `null` body may be read
      as no input, then refused for its missing members).
    - An empty body: no evidence says whether AWS reads it as `{}` (then refuses the missing
      members) or as bad JSON, so only a 4xx is required.
    """
    what = f"{kind.value} body answered "
    if kind in NOT_JSON_KINDS:
        error_answer(exchange, statuses=(400,), types={"SerializationException"}, what=what)
    elif kind in NOT_AN_OBJECT_KINDS:
        error_answer(
            exchange,
            statuses=(400,),
            types={"SerializationException", "ValidationException"},
            what=what,
        )
    else:
        expect(
            400 <= exchange.status < 500,
            f"{what}HTTP {exchange.status} {error_info(exchange).type or ''}".strip(),
            exchange,
        )


@check(
    "protocol.unknown-operation",
    faithful=lambda: (ex.error(400, "UnknownOperationException", None),),
    deviating=lambda: (ex.ok(),),
)
def check_unknown_operation(exchange: Exchange, ctx: Context) -> None:
    error_answer(
        exchange,
        statuses=range(400, 500),
        types={"UnknownOperationException"},
    )


@check(
    "protocol.auth.missing",
    faithful=lambda: (ex.error(403, "MissingAuthenticationTokenException"),),
    deviating=lambda: (ex.NOT_FOUND,),
)
def check_missing_auth(exchange: Exchange, ctx: Context) -> None:
    error_answer(
        exchange,
        statuses=(400, 403),
        types=AUTH_ERRORS,
        what="unsigned request answered ",
    )


@check(
    "protocol.no-server-error",
    faithful=lambda: (ex.TOO_LONG,),
    deviating=lambda: (ex.error(500, "Internal"),),
)
def check_no_server_error(exchange: Exchange, ctx: Context) -> None:
    expect(
        exchange.status < 500,
        f"HTTP {exchange.status} {error_info(exchange).type or ''}".strip(),
        exchange,
    )


@check(
    "protocol.target-prefix",
    faithful=lambda: (ex.error(400, "UnknownOperationException", None),),
    deviating=lambda: (ex.ok(),),
)
def check_target_prefix(exchange: Exchange, ctx: Context) -> None:
    target = exchange.request.headers.get("X-Amz-Target")
    expect(
        not (200 <= exchange.status < 300 or exchange.status >= 500),
        f"X-Amz-Target {target!r} answered HTTP {exchange.status} "
        f"{error_info(exchange).type or ''}".strip(),
        exchange,
    )
