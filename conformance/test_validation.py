"""Validation: constraint violations get 400 ValidationException naming member and constraint.

Each named case is judged in both contexts (glue_conformance.cases): as it is, naming a job that
does not exist, and as `<case>-live`, every other member naming the suite's own job and run, so
a target that looks the job up before it reads the member cannot pass on its not-found answer.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glue_conformance.batching import batched
from glue_conformance.cases import CONTEXTS, LIVE, Case, cases_of, in_both_contexts, on_live
from glue_conformance.checks import protocol, validation
from glue_conformance.strategies import (
    InvalidRequest,
    Violation,
    batches,
    labelled_invalid_requests,
)
from glue_conformance.strategies.constraints import StringConstraints, id_string, name_string


def _both(kind: str) -> list[Case]:
    return in_both_contexts(cases_of(kind))


CONSTRAINT_CASES = _both("constraint")
IDS = [case.id for case in CONSTRAINT_CASES]
MULTI = _both("multi")
TYPE = _both("type")
SCALAR = _both("scalar")
UTF16 = _both("utf16")


@pytest.mark.rule("validation.status.400")
@pytest.mark.parametrize("case", CONSTRAINT_CASES, ids=IDS)
def test_status_400(case: Case, exchange_for, ctx):
    validation.check_status_400(exchange_for(case), ctx)


@pytest.mark.rule("validation.error-type")
@pytest.mark.parametrize("case", CONSTRAINT_CASES, ids=IDS)
def test_error_type(case: Case, exchange_for, ctx):
    validation.check_error_type(exchange_for(case), ctx)


@pytest.mark.rule("validation.message.grammar")
@pytest.mark.parametrize("case", CONSTRAINT_CASES, ids=IDS)
def test_message_grammar(case: Case, exchange_for, ctx):
    validation.check_message_grammar(exchange_for(case), ctx)


@pytest.mark.rule("validation.message.member")
@pytest.mark.parametrize("case", CONSTRAINT_CASES, ids=IDS)
def test_message_member(case: Case, exchange_for, ctx):
    validation.check_message_member(exchange_for(case), case.invalid.member, ctx)


@pytest.mark.rule("validation.message.constraint")
@pytest.mark.parametrize("case", CONSTRAINT_CASES, ids=IDS)
def test_message_constraint(case: Case, exchange_for, ctx):
    validation.check_message_constraint(exchange_for(case), case.invalid, case.constraints, ctx)


@pytest.mark.rule("validation.status.400")
@pytest.mark.parametrize("case", MULTI, ids=[c.id for c in MULTI])
def test_several_violations_status(case: Case, exchange_for, ctx):
    validation.check_status_400(exchange_for(case), ctx)


@pytest.mark.rule("validation.error-type")
@pytest.mark.parametrize("case", MULTI, ids=[c.id for c in MULTI])
def test_several_violations_error_type(case: Case, exchange_for, ctx):
    validation.check_error_type(exchange_for(case), ctx)


@pytest.mark.rule("validation.message.grammar")
@pytest.mark.parametrize("case", MULTI, ids=[c.id for c in MULTI])
def test_several_violations_grammar(case: Case, exchange_for, ctx):
    validation.check_message_grammar(exchange_for(case), ctx)


@pytest.mark.rule("validation.message.constraint")
@pytest.mark.parametrize("case", MULTI, ids=[c.id for c in MULTI])
def test_several_violations_each_listed(case: Case, exchange_for, ctx):
    validation.check_every_violation_listed(exchange_for(case), case.breaks, _CONSTRAINTS, ctx)


@pytest.mark.rule("validation.type-mismatch")
@pytest.mark.parametrize("case", TYPE, ids=[c.id for c in TYPE])
def test_type_mismatch(case: Case, exchange_for, ctx):
    validation.check_type_mismatch(exchange_for(case), ctx)


@pytest.mark.rule("validation.scalar-for-string")
@pytest.mark.parametrize("case", SCALAR, ids=[c.id for c in SCALAR])
def test_scalar_for_string(case: Case, exchange_for, observe, ctx):
    exchange = exchange_for(case)
    observe(validation.observe_scalar_for_string(exchange))
    protocol.check_no_server_error(exchange, ctx)


@pytest.mark.rule("validation.length.utf16")
@pytest.mark.parametrize("case", UTF16, ids=[c.id for c in UTF16])
def test_length_unit_for_supplementary_characters(case: Case, exchange_for, observe, ctx):
    exchange = exchange_for(case)
    observe(validation.observe_length_unit(exchange))
    protocol.check_no_server_error(exchange, ctx)


_CONSTRAINTS: dict[str, StringConstraints] = {"JobName": name_string(), "RunId": id_string()}


PROPERTY = "validation.property.invalid-requests"


@pytest.mark.rule(PROPERTY)
@batched
@given(batch=batches(st.tuples(st.sampled_from(CONTEXTS), labelled_invalid_requests())))
def test_every_invalid_request_is_refused_with_the_right_error(
    batch: list[tuple[str, InvalidRequest]], send_drawn, ctx
):
    """Each draw is sent in the context drawn with it: live, its other members name the
    suite's own job and run."""
    drawn = [
        (context, on_live(i.body, i.member) if context == LIVE else i.body) for context, i in batch
    ]
    for (_, invalid), exchange in zip(batch, send_drawn(PROPERTY, drawn), strict=True):
        _judge_refusal(invalid, exchange, ctx)


def _judge_refusal(invalid: InvalidRequest, exchange, ctx) -> None:
    if invalid.rule is Violation.TYPE:
        if not isinstance(invalid.body[invalid.member], list | dict) and invalid.member != (
            "PredecessorsIncluded"
        ):
            protocol.check_no_server_error(exchange, ctx)
            return  # number/boolean for a string: unsettled (evidence 9)
        validation.check_type_mismatch(exchange, ctx)
        return
    validation.check_status_400(exchange, ctx)
    validation.check_error_type(exchange, ctx)
    validation.check_message_grammar(exchange, ctx)
    validation.check_message_member(exchange, invalid.member, ctx)
    validation.check_message_constraint(exchange, invalid, _CONSTRAINTS.get(invalid.member), ctx)
