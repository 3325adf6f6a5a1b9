"""The envelope families, generated: every kind of malformed body and every wrong JSON type of
every member, on both read operations the suite sends (evidence sections 7, 8 and 9).

Each family is sent twice over: once per kind or placement (one representative each, so no
placement depends on the example budget), then within one Hypothesis property whose values vary.
The fixed cases of test_protocol.py and test_validation.py stay as the named regression examples.

Every representative is sent in both contexts (glue_conformance.cases): around a job and run
that do not exist, and, as `<id>-live`, around the suite's own, where a target that looks the
job up first shows how it reads the member (moto 5.2.6 answers a number NextToken of an existing
job with an HTML 500, and one of a missing job with EntityNotFoundException). A body that names
no job (`1`, `null`), or whose one JobName is the member under test, has no live twin; the
coverage table names each. The property draws the context too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glue_conformance import fixtures
from glue_conformance.batching import batched
from glue_conformance.cases import (
    ABSENT,
    ABSENT_JOB,
    ABSENT_RUN,
    CONTEXTS,
    LIVE,
    LIVE_JOB,
    LIVE_RUN,
    NOTHING_TO_FILL,
    live_id,
    names_live,
)
from glue_conformance.checks import protocol, validation
from glue_conformance.strategies import (
    MalformedBodies,
    MalformedBody,
    WrongType,
    WrongTypes,
    batches,
)
from glue_conformance.transport import Exchange

# The read operations the suite sends, each with the valid body the families are built around
# (a job and run that do not exist, so whatever a lenient target lets through is "not found"),
# and the same around the live placeholders (the suite's own job and run, filled at sending).
BASES: dict[str, dict[str, str]] = {
    "GetJobRun": {"JobName": ABSENT_JOB, "RunId": ABSENT_RUN},
    "GetJobRuns": {"JobName": ABSENT_JOB},
}
LIVE_BASES: dict[str, dict[str, str]] = {
    "GetJobRun": {"JobName": LIVE_JOB, "RunId": LIVE_RUN},
    "GetJobRuns": {"JobName": LIVE_JOB},
}
MALFORMED = {operation: MalformedBodies(base) for operation, base in BASES.items()}
WRONG = {operation: WrongTypes(operation, base) for operation, base in BASES.items()}
LIVE_MALFORMED = {operation: MalformedBodies(base) for operation, base in LIVE_BASES.items()}
LIVE_WRONG = {operation: WrongTypes(operation, base) for operation, base in LIVE_BASES.items()}


def _malformed_id(operation: str, malformed: MalformedBody) -> str:
    return f"{operation}.{malformed.id}"


def _twins(absent: list[Any], live: list[Any], ids: list[str]) -> list[tuple[str, str, Any]]:
    """(id, context, example): each absent example, then its live twin where the live body
    names the suite's job or run (the families yield their examples in one order whatever the
    base, so the twins pair up by position)."""
    found: list[tuple[str, str, Any]] = []
    for case_id, plain, twin in zip(ids, absent, live, strict=True):
        found.append((case_id, ABSENT, plain))
        if names_live(twin.body):
            found.append((live_id(case_id), LIVE, twin))
    return found


MALFORMED_EXAMPLES = [
    (case_id, context, operation, body)
    for operation, family in MALFORMED.items()
    for case_id, context, body in _twins(
        family.examples(),
        LIVE_MALFORMED[operation].examples(),
        [_malformed_id(operation, body) for body in family.examples()],
    )
]
WRONG_TWINS = [
    twin
    for operation, family in WRONG.items()
    for twin in _twins(
        family.examples(),
        LIVE_WRONG[operation].examples(),
        [wrong.id for wrong in family.examples()],
    )
]
SETTLED = [(i, w) for i, _, w in WRONG_TWINS if validation.mismatch_is_settled(w)]
OPEN = [(i, w) for i, _, w in WRONG_TWINS if not validation.mismatch_is_settled(w)]
SCALAR_FOR_STRING = [(i, w) for i, w in OPEN if w.expected == "string"]
SCALAR_FOR_NUMBER = [(i, w) for i, w in OPEN if w.expected != "string"]
NAMES_NO_JOB = "the body names no job: there is nothing to fill"


def _ids(wrongs: list[tuple[str, WrongType]]) -> list[str]:
    return [case_id for case_id, _ in wrongs]


def _no_live() -> dict[str, str]:
    """The examples without a live twin, each with why."""
    sent = {twin[0] for twin in [*WRONG_TWINS, *MALFORMED_EXAMPLES]}
    reasons = {
        **{wrong.id: NOTHING_TO_FILL for family in WRONG.values() for wrong in family.examples()},
        **{
            _malformed_id(operation, body): NAMES_NO_JOB
            for operation, family in MALFORMED.items()
            for body in family.examples()
        },
    }
    return {case_id: why for case_id, why in reasons.items() if live_id(case_id) not in sent}


@pytest.fixture(scope="module")
def answer(send_together, live: fixtures.Live, pytestconfig) -> Callable[[str], Exchange]:
    """Every fixed envelope of this module goes out together, in both contexts, named by its
    test's id."""
    ahead: dict[str, tuple[str, tuple[object, dict[str, str]]]] = {
        case_id: (context, (malformed.body, {"target_header": f"AWSGlue.{operation}"}))
        for case_id, context, operation, malformed in MALFORMED_EXAMPLES
    }
    ahead.update(
        (case_id, (context, (wrong.body, {"target_header": f"AWSGlue.{wrong.operation}"})))
        for case_id, context, wrong in WRONG_TWINS
    )
    answers = send_together(fixtures.in_context(live, ahead))
    for family, examples in (
        ("malformed bodies", MALFORMED_EXAMPLES),
        ("wrong types", WRONG_TWINS),
    ):
        ids = {example[0]: example[1] for example in examples}
        fixtures.reached(
            pytestconfig,
            live,
            family,
            [case_id for case_id, context in ids.items() if context == ABSENT],
            [case_id for case_id, context in ids.items() if context == LIVE],
            {k: why for k, why in _no_live().items() if k in ids},
        )

    def _answer(case_id: str) -> Exchange:
        if ahead[case_id][0] == LIVE:
            live.unavailable()
        return answers(case_id)

    return _answer


@pytest.mark.rule("protocol.malformed-json")
@pytest.mark.parametrize(
    ("case_id", "malformed"),
    [(case_id, body) for case_id, _, _, body in MALFORMED_EXAMPLES],
    ids=[example[0] for example in MALFORMED_EXAMPLES],
)
def test_every_kind_of_malformed_body_is_refused(case_id, malformed, answer, ctx):
    protocol.check_malformed_json(answer(case_id), ctx, kind=malformed.kind)


@pytest.mark.rule("validation.type-mismatch")
@pytest.mark.parametrize(("case_id", "wrong"), SETTLED, ids=_ids(SETTLED))
def test_every_wrong_type_of_every_member_is_refused(case_id, wrong: WrongType, answer, ctx):
    validation.check_type_mismatch(answer(case_id), ctx)


@pytest.mark.rule("validation.scalar-for-string")
@pytest.mark.parametrize(("case_id", "wrong"), SCALAR_FOR_STRING, ids=_ids(SCALAR_FOR_STRING))
def test_a_scalar_for_a_string_member_is_observed(case_id, wrong, answer, observe, ctx):
    exchange = answer(case_id)
    observe(validation.observe_scalar_for_string(exchange))
    protocol.check_no_server_error(exchange, ctx)


@pytest.mark.rule("validation.scalar-for-number")
@pytest.mark.parametrize(("case_id", "wrong"), SCALAR_FOR_NUMBER, ids=_ids(SCALAR_FOR_NUMBER))
def test_a_scalar_for_an_integer_member_is_observed(case_id, wrong, answer, observe, ctx):
    exchange = answer(case_id)
    observe(validation.observe_scalar_for_number(exchange))
    protocol.check_no_server_error(exchange, ctx)


def _placed(context: str, wrong: WrongType) -> tuple[str, str, WrongType]:
    return context, wrong.operation, wrong


def _envelopes(
    context: str,
    malformed: dict[str, MalformedBodies],
    wrong: dict[str, WrongTypes],
) -> list[st.SearchStrategy[tuple[str, str, MalformedBody | WrongType]]]:
    return [
        *[
            st.tuples(st.just(context), st.just(operation), family.strategy())
            for operation, family in malformed.items()
        ],
        *[family.strategy().map(functools.partial(_placed, context)) for family in wrong.values()],
    ]


# One property draws from both families, both operations and both contexts, so a run pays one
# example budget for all of them; each draw is judged by its own family's rule.
ENVELOPES = st.one_of(
    *_envelopes(CONTEXTS[0], MALFORMED, WRONG), *_envelopes(CONTEXTS[1], LIVE_MALFORMED, LIVE_WRONG)
)
ENVELOPE_PROPERTY = "protocol.property.envelope"


@pytest.mark.rule(ENVELOPE_PROPERTY)
@batched
@given(batch=batches(ENVELOPES))
def test_generated_envelopes_are_refused(
    batch: list[tuple[str, str, MalformedBody | WrongType]], send_drawn, ctx
):
    """Each draw is judged by its family's rule, and its answer by the wire-format rules that
    hold of every answer (evidence 3), so a second operation's own error path is seen too."""
    drawn = [(context, sent.body) for context, _, sent in batch]
    operations = [f"AWSGlue.{operation}" for _, operation, _ in batch]
    exchanges = send_drawn(ENVELOPE_PROPERTY, drawn, operations)
    for (_, _, sent), exchange in zip(batch, exchanges, strict=True):
        _judge_envelope(sent, exchange, ctx)


def _judge_envelope(sent: MalformedBody | WrongType, exchange: Exchange, ctx) -> None:
    if isinstance(sent, MalformedBody):
        protocol.check_malformed_json(exchange, ctx, kind=sent.kind)
    elif validation.mismatch_is_settled(sent):
        validation.check_type_mismatch(exchange, ctx)
    else:  # open (evidence 9 silent): only a server error is wrong
        protocol.check_no_server_error(exchange, ctx)
    protocol.check_content_type(exchange, ctx)
    protocol.check_request_id(exchange, ctx)
    if exchange.status >= 400:
        protocol.check_error_type(exchange, ctx)
        protocol.check_error_body(exchange, ctx)
