"""Validation: a request that breaks a model constraint is refused, and the refusal says why.

Evidence section 1: Glue's front end answers HTTP 400 `ValidationException` with the Coral
message `N validation error(s) detected: Value '<v>' at '<member>' failed to satisfy constraint:
Member must ...`, entries joined by `; `. A generic fuzzer sees "400" for this and for a missing
run alike; these checks tell them apart.
"""

from __future__ import annotations

import re

import glue_conformance.checks.examples as ex
from glue_conformance.awsjson import error_info
from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, error_answer, expect, observation
from glue_conformance.strategies import InvalidRequest, StringConstraints, Violation
from glue_conformance.strategies.envelope import (
    FRACTIONAL_NUMBER,
    INTEGRAL,
    NUMERIC_STRING,
    JsonType,
    WrongType,
)
from glue_conformance.transport import Exchange

VALIDATION = "ValidationException"
TOLERATED_INSTEAD = "InvalidInputException"
PREFIX = re.compile(r"^(\d+) validation errors? detected: ", re.S)
ENTRY = re.compile(
    r"at '([^']*)' failed to satisfy constraint: (Member must [^;]*(?:;(?! Value)[^;]*)*)"
)


def lower_camel(member: str) -> str:
    return member[:1].lower() + member[1:]


def expected_phrase(rule: Violation, constraints: StringConstraints | None) -> str:
    """The Coral constraint phrase for a broken rule (evidence 1: 'exact constraint phrases')."""
    if rule is Violation.REQUIRED:
        return "Member must not be null"
    if constraints is None:
        raise ValueError(f"{rule} needs the member's constraints")
    if rule is Violation.LENGTH_MAX:
        return f"Member must have length less than or equal to {constraints.max_length}"
    if rule is Violation.LENGTH_MIN:
        return f"Member must have length greater than or equal to {constraints.min_length}"
    if rule is Violation.PATTERN:
        return f"Member must satisfy regular expression pattern: {constraints.java_pattern}"
    raise ValueError(f"no validation phrase for {rule}")


def _message(exchange: Exchange) -> str:
    return error_info(exchange).message or ""


def is_validation_error(exchange: Exchange) -> bool:
    """The target refused the request as a constraint violation (for tolerant rules that only
    need to know which way the target decided)."""
    return exchange.status == 400 and error_info(exchange).type == VALIDATION


@check(
    "validation.status.400",
    faithful=lambda: (ex.TOO_LONG,),
    deviating=lambda: (
        ex.NOT_FOUND.__class__(ex.REQUEST, 404, ex.NOT_FOUND.headers, ex.NOT_FOUND.body, 0.0),
    ),
)
def check_status_400(exchange: Exchange, ctx: Context) -> None:
    expect(
        exchange.status == 400,
        f"HTTP {exchange.status} for a request that breaks a constraint",
        exchange,
    )


@check(
    "validation.error-type",
    faithful=lambda: (ex.TOO_LONG,),
    deviating=lambda: (ex.error(400, "InvalidInputException", "1 validation error detected: ..."),),
)
def check_error_type(exchange: Exchange, ctx: Context) -> None:
    found = error_info(exchange).type
    allowed = {VALIDATION, TOLERATED_INSTEAD} if ctx.tolerate_invalid_input else {VALIDATION}
    expect(found in allowed, f"error type {found!r}", exchange)


@check(
    "validation.message.grammar",
    faithful=lambda: (ex.TOO_LONG,),
    deviating=lambda: (
        ex.error(400, "ValidationException", "2 validation errors detected: Value"),
    ),
)
def check_message_grammar(exchange: Exchange, ctx: Context) -> None:
    message = _message(exchange)
    prefix = PREFIX.match(message)
    expect(
        prefix is not None,
        f"message {message[:200]!r} does not start 'N validation error(s) detected: '",
        exchange,
    )
    assert prefix is not None
    count = int(prefix.group(1))
    entries = ENTRY.findall(message)
    plural_ok = (count == 1) == (" error detected: " in prefix.group(0))
    expect(
        count == len(entries) and count >= 1 and plural_ok,
        f"message announces {count} error(s) but lists {len(entries)} "
        f"'at <member> failed to satisfy constraint' entries: {message[:300]!r}",
        exchange,
    )


@check(
    "validation.message.member",
    faithful=lambda: (ex.TOO_LONG, "JobName"),
    deviating=lambda: (ex.TOO_LONG, "RunId"),
)
def check_message_member(exchange: Exchange, member: str, ctx: Context) -> None:
    message = _message(exchange)
    path = lower_camel(member)
    expect(
        f"at '{path}'" in message,
        f"message does not name at '{path}': {message[:300]!r}",
        exchange,
    )


@check(
    "validation.message.constraint",
    faithful=lambda: (ex.TOO_LONG, ex.INVALID, ex.CONSTRAINTS["JobName"]),
    deviating=lambda: (
        ex.TOO_LONG,
        ex.InvalidRequest(ex.INVALID.body, "JobName", ex.Violation.LENGTH_MIN, "empty"),
        ex.CONSTRAINTS["JobName"],
    ),
)
def check_message_constraint(
    exchange: Exchange, invalid: InvalidRequest, constraints: StringConstraints | None, ctx: Context
) -> None:
    phrase = expected_phrase(invalid.rule, constraints)
    path = lower_camel(invalid.member)
    message = _message(exchange)
    named = [constraint for at, constraint in ENTRY.findall(message) if at == path]
    expect(
        any(constraint.startswith(phrase) for constraint in named) or phrase in message,
        f"expected {phrase!r} for {path} ({invalid.detail}); message: {message[:300]!r}",
        exchange,
    )


@check(
    "validation.type-mismatch",
    faithful=lambda: (ex.error(400, "SerializationException", None),),
    deviating=lambda: (ex.ok(),),
)
def check_type_mismatch(exchange: Exchange, ctx: Context) -> None:
    error_answer(
        exchange,
        statuses=(400,),
        types={"SerializationException", VALIDATION},
    )


def mismatch_is_settled(wrong: WrongType) -> bool:
    """Whether the evidence says a target must refuse this wrong type (`validation.type-mismatch`)
    or leaves it open (observed under a tolerant rule, where only a 5xx fails).

    Settled: an object or array where a scalar is expected (evidence 9: 'Start of structure or map
    found where not expected.'); any non-boolean where a boolean is expected (evidence 9: '... can
    not be converted to a Boolean'); null for a required member (evidence 1: 'Member must not be
    null'); a string of letters where an integer is expected (no reader, however lenient, makes a
    number of it). A null is no wrong type, though: it is read as absent (evidence 24, smithy
    AwsJson11ServersDontDeserializeNullStructureValues), so `protocol.null.read-as-absent` holds
    a null required member to the missing member's ValidationException, where this rule still
    admits SerializationException; an optional member is never sent null here.
    Open: a number or boolean where a string is expected (`validation.scalar-for-string`); a
    numeric string, a fractional number or a boolean where an integer is expected
    (`validation.scalar-for-number`). Evidence 9 records no capture of these, and common JSON
    readers coerce them by default (Jackson reads "5" and 1.5 as the int 5 and 1), so neither
    answer can be called wrong.
    """
    if wrong.sent in (JsonType.OBJECT, JsonType.ARRAY, JsonType.NULL):
        return True
    if wrong.expected == "boolean":
        return True
    if wrong.expected in INTEGRAL:
        return wrong.sent not in (NUMERIC_STRING, FRACTIONAL_NUMBER, JsonType.BOOLEAN)
    return False


def observe(exchange: Exchange) -> str:
    """For tolerant rules: what the target did, in a few words."""
    info = error_info(exchange)
    if 200 <= exchange.status < 300:
        return f"accepted (HTTP {exchange.status})"
    return f"HTTP {exchange.status} {info.type or '(no error type)'}"


@observation(
    "validation.scalar-for-string", example=lambda: (ex.ok(),), records="accepted (HTTP 200)"
)
def observe_scalar_for_string(exchange: Exchange) -> str:
    return observe(exchange)


@observation(
    "validation.scalar-for-number",
    example=lambda: (ex.NOT_FOUND,),
    records="HTTP 400 EntityNotFoundException",
)
def observe_scalar_for_number(exchange: Exchange) -> str:
    return observe(exchange)


@observation(
    "validation.length.utf16", example=lambda: (ex.TOO_LONG,), records="counts UTF-16 code units"
)
def observe_length_unit(exchange: Exchange) -> str:
    """Which way the target counts a supplementary character: a refusal of a value that is too
    long only in UTF-16 code units means it counts those units."""
    unit = "UTF-16 code units" if is_validation_error(exchange) else "code points (or not checked)"
    return f"{observe(exchange)}: counts {unit}"


@check(
    "validation.message.constraint",
    faithful=lambda: (ex.TOO_LONG, (("JobName", ex.Violation.LENGTH_MAX),), ex.CONSTRAINTS),
    deviating=lambda: (
        ex.TOO_LONG,
        (("JobName", ex.Violation.LENGTH_MAX), ("RunId", ex.Violation.REQUIRED)),
        ex.CONSTRAINTS,
    ),
)
def check_every_violation_listed(
    exchange: Exchange,
    breaks: tuple[tuple[str, Violation], ...],
    constraints: dict[str, StringConstraints],
    ctx: Context,
) -> None:
    """Several broken constraints: the count says how many and each one has its entry."""
    message = _message(exchange)
    prefix = PREFIX.match(message)
    count = int(prefix.group(1)) if prefix else 0
    entries = ENTRY.findall(message)
    missing = [
        f"{lower_camel(member)}: {expected_phrase(rule, constraints.get(member))}"
        for member, rule in breaks
        if not any(
            at == lower_camel(member)
            and text.startswith(expected_phrase(rule, constraints.get(member)))
            for at, text in entries
        )
    ]
    expect(
        count == len(breaks) and not missing,
        f"expected {len(breaks)} violations listed, message counts {count}"
        + (f" and lacks {missing}" if missing else "")
        + f": {message[:300]!r}",
        exchange,
    )


@check(
    "validation.max-results.range",
    faithful=lambda: (ex.TOO_LONG,),
    deviating=lambda: (ex.runs_page(),),
)
def check_max_results_refused(exchange: Exchange, ctx: Context) -> None:
    expect(
        400 <= exchange.status < 500,
        f"GetJobRuns {exchange.request.body.decode('utf-8', 'replace')[:80]} answered HTTP "
        f"{exchange.status} {error_info(exchange).type or ''}".strip(),
        exchange,
    )
