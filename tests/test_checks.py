"""Every registered check, on synthetic exchanges: a faithful answer passes, a deviating answer
fails with that check's own rule. No target, no pytest plugin: the checks are plain functions.

Each check declares its two cases on its own decorator (`@check(..., faithful=..., deviating=...)`,
built with `glue_conformance.checks.examples`), each observation its example
(`@observation(..., example=..., records=...)`): a test fails while a registered check has none,
so a new check cannot land without its two unit tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glue_conformance.checks import (
    all_checks,
    clock,
    lifecycle,
    listing,
    meaning,
    not_found,
    protocol,
    response,
    sdk,
    validation,
)
from glue_conformance.checks.base import Context, Deviation

# The builders of the unit cases live beside the checks (glue_conformance.checks.examples); they
# are imported here under the names this file gave them, so a CASES entry written against them
# still runs until it moves onto its @check (`faithful=`/`deviating=`, `ex.` before each name).
from glue_conformance.checks.examples import (  # noqa: F401
    ABSENT,
    CONSTRAINTS,
    CTX,
    DEFAULTS,
    INVALID,
    JOB,
    JOB_SETTINGS,
    NOT_FOUND,
    NOW,
    REQUEST,
    RUN_ID,
    STOP_KINDS,
    TOO_LONG,
    Sent,
    answer,
    at,
    client,
    error,
    listing_of,
    ok,
    paired,
    reused,
    run,
    runs_page,
    seen,
    settled,
    started,
    stop_answer,
    stopped_facts,
)
from glue_conformance.checks.examples import parsed as _parsed  # noqa: F401
from glue_conformance.checks.examples import raises as _raises  # noqa: F401
from glue_conformance.checks.registry import CHECKS, Registered, UnknownRule, check, observation
from glue_conformance.rules import RULES, Strictness
from glue_conformance.strategies import InvalidRequest, Malformed, Violation, WrongTypes  # noqa: F401

Example = Callable[[], tuple[Any, ...]]

# Each check's two unit cases are declared on its @check (`faithful=`, `deviating=`), each
# observation's on its @observation (`example=`, `records=`). These tables are where cases were
# written before that: an entry still runs (name -> (faithful, deviating), or name -> (subject,
# what it records)), but a check with cases in both places fails
# test_every_registered_check_has_its_unit_tests.
CASES: dict[str, tuple[Example, Example]] = {}
OBSERVATIONS: dict[str, tuple[Any, str]] = {}


def _declared(kind: str) -> dict[str, Registered]:
    return {
        name: entry
        for name, entry in all_checks().items()
        if entry.kind == kind
        and entry.faithful is not None
        and (kind == "observation" or entry.deviating is not None)
    }


def unit_cases() -> dict[str, tuple[Example, Example]]:
    """Every check's (faithful, deviating) arguments: declared on its @check, or in CASES."""
    declared = {
        name: (entry.faithful, entry.deviating)
        for name, entry in _declared("check").items()
        if entry.faithful is not None and entry.deviating is not None
    }
    return {**declared, **CASES}


def observation_cases() -> dict[str, tuple[Example, str]]:
    """Every observation's (example arguments, text of what it records)."""
    declared = {
        name: (entry.faithful, entry.records)
        for name, entry in _declared("observation").items()
        if entry.faithful is not None
    }
    legacy = {
        name: ((lambda s=subject: (s,)), said) for name, (subject, said) in OBSERVATIONS.items()
    }
    return {**declared, **legacy}


UNIT_CASES = unit_cases()
OBSERVATION_CASES = observation_cases()


def _checks(kind: str) -> list[str]:
    return sorted(name for name, entry in all_checks().items() if entry.kind == kind)


def test_every_registered_check_has_its_unit_tests():
    twice = sorted(
        (set(CASES) & set(_declared("check"))) | (set(OBSERVATIONS) & set(_declared("observation")))
    )
    assert not twice, (
        f"unit cases on the decorator and in tests/test_checks.py: {twice}; keep the decorator's"
    )
    missing = sorted(set(_checks("check")) - set(UNIT_CASES))
    assert not missing, f"checks with no faithful=/deviating= on their @check: {missing}"
    missing = sorted(set(_checks("observation")) - set(OBSERVATION_CASES))
    assert not missing, f"observations with no example=/records= on their @observation: {missing}"
    assert sorted(UNIT_CASES) == _checks("check")
    assert sorted(OBSERVATION_CASES) == _checks("observation")
    assert all(said for _, said in OBSERVATION_CASES.values())


@pytest.mark.parametrize("name", sorted(UNIT_CASES))
def test_a_faithful_answer_passes(name):
    faithful, _ = UNIT_CASES[name]
    CHECKS[name].function(*faithful(), CTX)


@pytest.mark.parametrize("name", sorted(UNIT_CASES))
def test_a_deviating_answer_fails_with_the_checks_own_rule(name):
    _, deviating = UNIT_CASES[name]
    with pytest.raises(Deviation) as raised:
        CHECKS[name].function(*deviating(), CTX)
    assert raised.value.rule is CHECKS[name].rule
    assert f"[{CHECKS[name].rule.id}]" in str(raised.value)


@pytest.mark.parametrize("name", sorted(OBSERVATION_CASES))
def test_an_observation_says_what_it_saw_and_never_fails(name):
    example, expected = OBSERVATION_CASES[name]
    said = CHECKS[name].function(*example())
    assert expected in said
    assert CHECKS[name].rule.strictness is Strictness.TOLERANT


SERIALIZATION = error(400, "com.amazon.coral.service#SerializationException", None)
VALIDATION = error(400, "ValidationException", "1 validation error detected: ...")


@pytest.mark.parametrize(
    ("kind", "passes", "fails"),
    [
        (Malformed.TRUNCATED, [SERIALIZATION], [VALIDATION, NOT_FOUND, error(500, "Internal")]),
        (Malformed.INVALID_UTF8, [SERIALIZATION], [error(500, "InternalFailure"), NOT_FOUND]),
        (Malformed.TRAILING_GARBAGE, [SERIALIZATION], [ok(), NOT_FOUND]),
        (Malformed.ARRAY, [SERIALIZATION, VALIDATION], [NOT_FOUND, error(500, "Internal")]),
        (Malformed.NULL, [SERIALIZATION, VALIDATION], [ok(), error(403, "AccessDenied")]),
        (Malformed.EMPTY, [SERIALIZATION, VALIDATION, NOT_FOUND], [ok(), error(500, "X")]),
    ],
)
def test_each_kind_of_malformed_body_is_judged_as_its_evidence_allows(kind, passes, fails):
    """Not JSON: SerializationException only (evidence 8); JSON that is no object: either
    client error of evidence 9; empty: any 4xx (no evidence)."""
    for exchange in passes:
        protocol.check_malformed_json(exchange, CTX, kind=kind)
    for exchange in fails:
        with pytest.raises(Deviation, match=r"\[protocol\.malformed-json\]"):
            protocol.check_malformed_json(exchange, CTX, kind=kind)


def test_only_the_wrong_types_the_evidence_settles_are_judged_strictly():
    """Containers, anything for a boolean, null for a required member and letters for an integer
    are settled (evidence 9, 1); scalars for a string or an integer are left open."""
    placements = [
        *WrongTypes("GetJobRun", {"JobName": "j", "RunId": "r"}).examples(),
        *WrongTypes("GetJobRuns", {"JobName": "j"}).examples(),
    ]
    open_ = {w.id for w in placements if not validation.mismatch_is_settled(w)}
    assert open_ == {
        "GetJobRun.JobName-number",
        "GetJobRun.JobName-boolean",
        "GetJobRun.RunId-number",
        "GetJobRun.RunId-boolean",
        "GetJobRuns.JobName-number",
        "GetJobRuns.JobName-boolean",
        "GetJobRuns.NextToken-number",
        "GetJobRuns.NextToken-boolean",
        "GetJobRuns.MaxResults-numeric-string",
        "GetJobRuns.MaxResults-boolean",
        "GetJobRuns.MaxResults-fractional-number",
    }


def test_an_unknown_rule_id_fails_at_import_not_mid_run():
    with pytest.raises(UnknownRule, match=r"protocol\.no-such-rule"):
        check("protocol.no-such-rule")
    with pytest.raises(UnknownRule, match="is strict"):
        observation("protocol.content-type")


def test_the_context_travels_into_the_deviation():
    ctx = Context(region="eu-west-1", serve_again="moto_server -p 1")
    with pytest.raises(Deviation) as raised:
        protocol.check_no_server_error(error(503, "ServiceUnavailable"), ctx)
    assert raised.value.ctx is ctx
    assert "serve:     moto_server -p 1" in str(raised.value)


# Rules judged by composing other checks (a property or a state machine, each step a registered
# check), or by the engine itself while it sends: they have no check function of their own.
COMPOSED = {
    "validation.property.invalid-requests": "Hypothesis property over the validation checks",
    "protocol.property.envelope": "Hypothesis property over protocol.malformed-json and the "
    "validation type checks",
    "lifecycle.stateful": "state machine over the response and lifecycle checks",
    "protocol.answers": "the engine's send policy (a stall, a dropped connection, junk bytes)",
}


def test_every_rule_has_a_check_or_says_how_it_is_judged():
    judged = {entry.rule.id for entry in all_checks().values()}
    assert set(RULES) - judged == set(COMPOSED)
    assert set(COMPOSED) <= set(RULES)


# Strict rules no seeded fault of the reference endpoint kills yet, each with its reason.
UNSEEDED = {
    "protocol.no-server-error": "guards the tolerant rules (scalar-for-string, "
    "scalar-for-number, length.utf16): "
    "a fault answering 5xx there is killed through them and validation.property",
}


def test_every_strict_rule_is_killed_by_a_seeded_fault():
    from glue_conformance.reference import FAULTS

    killed = {rule for fault in FAULTS.values() for rule in fault.kills}
    strict = {rule.id for rule in RULES.values() if rule.strictness is Strictness.STRICT}
    assert killed <= set(RULES), sorted(killed - set(RULES))
    assert strict - killed == set(UNSEEDED), sorted(strict - killed)


def test_every_clause_of_a_strict_rule_has_a_fault_of_its_own():
    """A rule of several conditions is not covered by a fault breaking one of them: each clause
    is named by a fault that kills the rule (tests/test_mutation_score.py sees it in the text)."""
    from glue_conformance.reference import FAULTS

    seeded = {(rule, f.clause) for f in FAULTS.values() if f.clause for rule in f.kills}
    clauses = {
        (rule.id, clause)
        for rule in RULES.values()
        if rule.strictness is Strictness.STRICT
        for clause in rule.clauses
    }
    assert clauses
    assert clauses <= seeded, sorted(clauses - seeded)
    named = {(rule, clause) for rule, clause in seeded if clause in RULES[rule].clauses}
    assert named == seeded, sorted(seeded - named)  # a fault's clause is one its rule has


def test_the_modules_register_what_the_groups_hold():
    names = {name.split(".")[0] for name in all_checks()}
    modules = {clock, lifecycle, listing, meaning, not_found, protocol, response, sdk, validation}
    assert names == {module.__name__.rsplit(".", 1)[-1] for module in modules}


def test_a_run_still_going_when_other_waits_spent_the_budget_is_not_judged():
    """No evidence bounds how long a Glue run takes: only a run watched for the whole budget
    that is still going is a deviation (a deviation must be certain)."""
    import dataclasses

    for still in (settled("STARTING", "RUNNING"), settled("RUNNING", "STOPPING", accepted=True)):
        short = dataclasses.replace(still, watched_s=2.0)
        lifecycle.check_finished(short, CTX)
        lifecycle.check_stop(short, CTX)
    with pytest.raises(Deviation):
        lifecycle.check_finished(settled("STARTING", "RUNNING"), CTX)
