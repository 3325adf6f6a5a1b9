"""AWS JSON 1.1 wire format (evidence sections 3 and 8; smithy awsJson1_1)."""

from __future__ import annotations

import glue_conformance.checks.examples as ex
from glue_conformance import schemas
from glue_conformance.awsjson import content_type, error_info
from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, error_answer, expect
from glue_conformance.checks.subjects import Listing, Observation
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


# --- the server side of awsJson1_1 (evidence 24: smithy protocol tests that apply to servers) --

CHARSET_JSON_11 = f"{JSON_11}; charset=utf-8"


def _gist(exchange: Exchange) -> tuple[int, str | None, object]:
    """What two answers to the same read must share: the status, the error type, and for a 200
    the run it names (GetJobRun) or that it lists runs (GetJobRuns). Not the whole body: a run
    of the suite's own may move on between two reads sent together."""
    body = exchange.json if isinstance(exchange.json, dict) else {}
    if 200 <= exchange.status < 300:
        run = body.get("JobRun")
        if isinstance(run, dict):
            return exchange.status, None, ("JobRun", run.get("Id"), run.get("JobName"))
        return exchange.status, None, ("JobRuns", isinstance(body.get("JobRuns"), list))
    return exchange.status, error_info(exchange).type, None


def _describe(exchange: Exchange) -> str:
    status, kind, subject = _gist(exchange)
    return f"HTTP {status} {kind or subject}"


def same_answer(exchange: Exchange, plain: Exchange) -> bool:
    return _gist(exchange) == _gist(plain)


@check(
    "protocol.content-type.parameters",
    faithful=lambda: (ex.ok(), ex.ok()),
    deviating=lambda: (ex.error(415, "UnsupportedMediaTypeException"), ex.ok()),
)
def check_content_type_parameters(exchange: Exchange, plain: Exchange, ctx: Context) -> None:
    """`exchange` was sent with `Content-Type: application/x-amz-json-1.1; charset=utf-8`,
    `plain` is the same request without the parameter (smithy
    AwsJson11MustSupportParametersInContentType)."""
    sent = exchange.request.headers.get("Content-Type")
    expect(
        same_answer(exchange, plain),
        f"Content-Type {sent!r} answered {_describe(exchange)}; without the parameter, "
        f"{_describe(plain)}",
        exchange,
    )


@check(
    "protocol.null.read-as-absent",
    faithful=lambda: (ex.ok(), ex.ok(), "PredecessorsIncluded"),
    deviating=lambda: (ex.error(400, "SerializationException"), ex.ok(), "MaxResults"),
)
def check_null_optional(exchange: Exchange, plain: Exchange, member: str, ctx: Context) -> None:
    """`exchange` sent the optional `member` as null, `plain` the same request without it: the
    answers agree (smithy AwsJson11ServersDontDeserializeNullStructureValues)."""
    expect(
        same_answer(exchange, plain),
        f"optional {member} sent as null answered {_describe(exchange)}; without it, "
        f"{_describe(plain)}",
        exchange,
    )


@check(
    "protocol.null.read-as-absent",
    faithful=lambda: (
        ex.error(
            400,
            "ValidationException",
            "1 validation error detected: Value null at 'jobName' failed to satisfy constraint: "
            "Member must not be null",
        ),
        "JobName",
    ),
    deviating=lambda: (ex.error(400, "SerializationException", "null for JobName"), "JobName"),
)
def check_null_required(exchange: Exchange, member: str, ctx: Context) -> None:
    """A required `member` sent as null is refused as missing (evidence 1's phrase), as the
    validation cases' `<member>-missing` is: a null is no wrong type."""
    info = error_info(exchange)
    allowed = {"ValidationException", "InvalidInputException"}
    if not ctx.tolerate_invalid_input:
        allowed.discard("InvalidInputException")
    path = member[:1].lower() + member[1:]
    text = info.message or ""
    expect(
        exchange.status == 400
        and info.type in allowed
        and f"at '{path}'" in text
        and "Member must not be null" in text,
        f"required {member} sent as null answered HTTP {exchange.status} {info.type!r}: "
        f"{text[:200]!r} (read as missing: ValidationException 'Value null at '{path}' ... "
        "Member must not be null')",
        exchange,
    )


def nulls(value: object, path: str = "") -> list[str]:
    """Where `value` holds a JSON null (each member's path, dotted; list items by index)."""
    if value is None:
        return [path or "(root)"]
    items: list[tuple[str, object]] = []
    if isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [(str(i), v) for i, v in enumerate(value)]
    return [found for key, item in items for found in nulls(item, f"{path}.{key}" if path else key)]


def _no_nulls(body: object, exchange: Exchange, what: str) -> None:
    found = nulls(body)
    expect(not found, f"{what} carries null for {', '.join(found[:6])}", exchange)


@check(
    "protocol.null.never-sent",
    faithful=lambda: (ex.NOT_FOUND,),
    deviating=lambda: (ex.answer(400, {"__type": "EntityNotFoundException", "Message": None}),),
)
def check_no_null_in_answer(exchange: Exchange, ctx: Context) -> None:
    """Any answer's body, whole (smithy AwsJson11ServersDontSerializeNullStructureValues)."""
    if isinstance(exchange.json, dict | list):
        _no_nulls(exchange.json, exchange, f"HTTP {exchange.status} answer")


@check(
    "protocol.null.never-sent",
    judges="jobrun",
    faithful=lambda: (ex.seen(),),
    deviating=lambda: (ex.seen(ex.answer(200, {"JobRun": {**ex.run(), "PreviousRunId": None}})),),
)
def check_no_null_in_run(obs: Observation, ctx: Context) -> None:
    """Every JobRun, from any operation; a GetJobRun answer's whole body. (response.schema fails
    a null JobRun member too: every shape of the model is typed, none admits null.)"""
    body = obs.exchange.json if obs.asked_run is not None else obs.run
    _no_nulls(body, obs.exchange, "the answer" if obs.asked_run is not None else "the JobRun")


@check(
    "protocol.null.never-sent",
    judges="listing",
    faithful=lambda: (ex.listing_of(ex.runs_page(ex.run())),),
    deviating=lambda: (ex.listing_of(ex.answer(200, {"JobRuns": [ex.run()], "NextToken": None})),),
)
def check_no_null_in_listing(listing: Listing, ctx: Context) -> None:
    """Every GetJobRuns page beside its items (each item is judged as a JobRun)."""
    for number, page in enumerate(listing.pages, start=1):
        body = page.json
        if isinstance(body, dict):
            runs = body.get("JobRuns")
            rest = {k: v for k, v in body.items() if k != "JobRuns"}
            if isinstance(runs, list):  # an item that is no object: null, say, by its index
                rest["JobRuns"] = {str(i): v for i, v in enumerate(runs) if not isinstance(v, dict)}
            _no_nulls(rest, page, f"page {number}")
