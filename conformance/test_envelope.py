"""The envelope families, generated: every kind of malformed body and every wrong JSON type of
every member, on both read operations the suite sends (evidence sections 7, 8 and 9).

Each family is sent twice over: once per kind or placement (one representative each, so no
placement depends on the example budget), then within one Hypothesis property whose values vary.
The fixed cases of test_protocol.py and test_validation.py stay as the named regression examples.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glue_conformance.batching import batched
from glue_conformance.cases import ABSENT_JOB, ABSENT_RUN
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
# (a job and run that do not exist, so whatever a lenient target lets through is "not found").
BASES: dict[str, dict[str, str]] = {
    "GetJobRun": {"JobName": ABSENT_JOB, "RunId": ABSENT_RUN},
    "GetJobRuns": {"JobName": ABSENT_JOB},
}
MALFORMED = {operation: MalformedBodies(base) for operation, base in BASES.items()}
WRONG = {operation: WrongTypes(operation, base) for operation, base in BASES.items()}

MALFORMED_EXAMPLES = [
    (operation, body) for operation, family in MALFORMED.items() for body in family.examples()
]
WRONG_EXAMPLES = [wrong for family in WRONG.values() for wrong in family.examples()]
SETTLED = [wrong for wrong in WRONG_EXAMPLES if validation.mismatch_is_settled(wrong)]
OPEN = [wrong for wrong in WRONG_EXAMPLES if not validation.mismatch_is_settled(wrong)]
SCALAR_FOR_STRING = [wrong for wrong in OPEN if wrong.expected == "string"]
SCALAR_FOR_NUMBER = [wrong for wrong in OPEN if wrong.expected != "string"]


def _ids(wrongs: list[WrongType]) -> list[str]:
    return [wrong.id for wrong in wrongs]


def _malformed_id(operation: str, malformed: MalformedBody) -> str:
    return f"{operation}.{malformed.id}"


@pytest.fixture(scope="module")
def answer(send_together) -> Callable[[str], Exchange]:
    """Every fixed envelope of this module goes out together, named by its test's id."""
    ahead: dict[str, tuple[object, dict[str, str]]] = {
        _malformed_id(operation, malformed): (
            malformed.body,
            {"target_header": f"AWSGlue.{operation}"},
        )
        for operation, malformed in MALFORMED_EXAMPLES
    }
    ahead.update(
        (wrong.id, (wrong.body, {"target_header": f"AWSGlue.{wrong.operation}"}))
        for wrong in WRONG_EXAMPLES
    )
    return send_together(ahead)


@pytest.mark.rule("protocol.malformed-json")
@pytest.mark.parametrize(
    ("operation", "malformed"),
    MALFORMED_EXAMPLES,
    ids=[_malformed_id(operation, body) for operation, body in MALFORMED_EXAMPLES],
)
def test_every_kind_of_malformed_body_is_refused(operation, malformed, answer, ctx):
    exchange = answer(_malformed_id(operation, malformed))
    protocol.check_malformed_json(exchange, ctx, kind=malformed.kind)


@pytest.mark.rule("validation.type-mismatch")
@pytest.mark.parametrize("wrong", SETTLED, ids=_ids(SETTLED))
def test_every_wrong_type_of_every_member_is_refused(wrong: WrongType, answer, ctx):
    validation.check_type_mismatch(answer(wrong.id), ctx)


@pytest.mark.rule("validation.scalar-for-string")
@pytest.mark.parametrize("wrong", SCALAR_FOR_STRING, ids=_ids(SCALAR_FOR_STRING))
def test_a_scalar_for_a_string_member_is_observed(wrong: WrongType, answer, observe, ctx):
    exchange = answer(wrong.id)
    observe(validation.observe_scalar_for_string(exchange))
    protocol.check_no_server_error(exchange, ctx)


@pytest.mark.rule("validation.scalar-for-number")
@pytest.mark.parametrize("wrong", SCALAR_FOR_NUMBER, ids=_ids(SCALAR_FOR_NUMBER))
def test_a_scalar_for_an_integer_member_is_observed(wrong: WrongType, answer, observe, ctx):
    exchange = answer(wrong.id)
    observe(validation.observe_scalar_for_number(exchange))
    protocol.check_no_server_error(exchange, ctx)


# One property draws from both families and both operations, so a run pays one example budget
# for all of them; each draw is judged by its own family's rule.
ENVELOPES = st.one_of(
    *[st.tuples(st.just(operation), family.strategy()) for operation, family in MALFORMED.items()],
    *[family.strategy().map(lambda wrong: (wrong.operation, wrong)) for family in WRONG.values()],
)


@pytest.mark.rule("protocol.property.envelope")
@batched
@given(batch=batches(ENVELOPES))
def test_generated_envelopes_are_refused(
    batch: list[tuple[str, MalformedBody | WrongType]], send_each, ctx
):
    """Each draw is judged by its family's rule, and its answer by the wire-format rules that
    hold of every answer (evidence 3), so a second operation's own error path is seen too."""
    bodies = [sent.body for _, sent in batch]
    operations = [f"AWSGlue.{operation}" for operation, _ in batch]
    for (_, sent), exchange in zip(batch, send_each(bodies, operations), strict=True):
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
