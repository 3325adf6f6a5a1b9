"""Every registered check, on synthetic exchanges: a faithful answer passes, a deviating answer
fails with that check's own rule. No target, no pytest plugin: the checks are plain functions.

`CASES` must name every registered check (a test says so), so a new check cannot land without
its two unit tests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.stub import Stubber

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
from glue_conformance.checks.registry import CHECKS, UnknownRule, check, observation
from glue_conformance.checks.subjects import Listing, Observation, Sent, Settled, StopAnswer
from glue_conformance.model import Model, RunFacts
from glue_conformance.rules import RULES, Strictness
from glue_conformance.strategies import InvalidRequest, Malformed, Violation, WrongTypes
from glue_conformance.strategies.constraints import id_string, name_string
from glue_conformance.transport import JSON_11, Exchange, SentRequest

CTX = Context()
RUN_ID = "jr_" + "0" * 64
JOB = "nightly-etl"
NOW = 1_764_600_000.25
REQUEST = SentRequest(
    "POST",
    "http://127.0.0.1:1/",
    {"X-Amz-Target": "AWSGlue.GetJobRun", "Content-Type": JSON_11},
    b'{"JobName":"nightly-etl","RunId":"jr_0"}',
    True,
)


def answer(status: int, body: Any, headers: dict[str, str] | None = None) -> Exchange:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    base = {"content-type": JSON_11, "x-amzn-requestid": "4f7c2f5e-0000-4000-8000-000000000000"}
    return Exchange(REQUEST, status, {**base, **(headers or {})}, raw, 0.001)


def run(**members: Any) -> dict[str, Any]:
    """A SUCCEEDED JobRun like the aws-cli example (evidence section 4), with overrides."""
    base = {
        "Id": RUN_ID,
        "Attempt": 0,
        "JobName": JOB,
        "StartedOn": NOW,
        "LastModifiedOn": NOW + 144.73,
        "CompletedOn": NOW + 144.73,
        "JobRunState": "SUCCEEDED",
        "PredecessorRuns": [],
        "ExecutionTime": 117,
        "Timeout": 2880,
        "GlueVersion": "4.0",
    }
    base.update(members)
    return {key: value for key, value in base.items() if value is not None}


def ok(**members: Any) -> Exchange:
    return answer(200, {"JobRun": run(**members)})


def error(status: int, kind: str | None, message: str | None = "x", **headers: str) -> Exchange:
    body: dict[str, Any] = {}
    if kind is not None:
        body["__type"] = kind
    if message is not None:
        body["Message"] = message
    return answer(status, body, headers)


NOT_FOUND = error(400, "EntityNotFoundException", "Job run jr_absent not found.")
TOO_LONG = error(
    400,
    "ValidationException",
    "1 validation error detected: Value 'aaa' at 'jobName' failed to satisfy constraint: "
    "Member must have length less than or equal to 255",
)
INVALID = InvalidRequest(
    {"JobName": "a" * 256, "RunId": "jr"}, "JobName", Violation.LENGTH_MAX, "256"
)
CONSTRAINTS = {"JobName": name_string(), "RunId": id_string()}


def client(setup: Callable[[Stubber], None]) -> Any:
    glue = boto3.client(
        "glue",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(parameter_validation=False),
    )
    stubber = Stubber(glue)
    setup(stubber)
    stubber.activate()
    return glue


def _parsed(stub: Stubber) -> None:
    import datetime as dt

    when = dt.datetime.fromtimestamp(NOW, dt.UTC)
    stub.add_response(
        "get_job_run", {"JobRun": {"Id": RUN_ID, "StartedOn": when, "JobRunState": "RUNNING"}}
    )


def _raises(code: str) -> Callable[[Stubber], None]:
    return lambda stub: stub.add_client_error("get_job_run", service_error_code=code)


ABSENT = {"JobName": "absent", "RunId": "jr_absent"}
JOB_SETTINGS = {"GlueVersion": "4.0", "Timeout": 15, "WorkerType": "G.1X", "NumberOfWorkers": 2}
DEFAULTS = {"--job-default": "d"}


def at(exchange: Exchange, received: float) -> Exchange:
    """The exchange as if its answer had arrived at `received` (client clock)."""
    import dataclasses

    return dataclasses.replace(exchange, received_at=received)


def runs_page(*runs: dict[str, Any], token: str | None = None) -> Exchange:
    body: dict[str, Any] = {"JobRuns": list(runs)}
    if token is not None:
        body["NextToken"] = token
    return answer(200, body)


def seen(
    exchange: Exchange | None = None,
    *,
    before: Exchange | None = None,
    facts: RunFacts | None = None,
    asked: bool = True,
    received: float | None = None,
) -> Observation:
    """An Observation of the JobRun in `exchange` (a GetJobRun answer), as the observation point
    builds it; `before`: the same run's previous answer; `facts`: the model's record of it."""
    exchange = exchange or ok()
    if received is not None:
        exchange = at(exchange, received)
    model_facts = facts
    earlier = seen(before, asked=asked) if before is not None else None
    return Observation(
        run=response.job_run(exchange),
        exchange=exchange,
        call="GetJobRun",
        job=JOB,
        asked_run=RUN_ID if asked else None,
        facts=model_facts,
        expected=_MODELS[id(model_facts)].expected(model_facts.run_id) if model_facts else (),
        before=earlier,
    )


_MODELS: dict[int, Model] = {}


def started(
    job: dict[str, Any] | None = None,
    arguments: dict[str, str] | None = None,
    *,
    sent_at: float = NOW - 0.5,
    **settings: Any,
) -> RunFacts:
    """The model's record of RUN_ID, started in a job with `job` settings."""
    model = Model()
    model.add_job(JOB, job if job is not None else {"GlueVersion": "4.0"})
    facts = model.add_run(
        JOB, RUN_ID, arguments=arguments, settings=settings, sent_at=sent_at, answered_at=sent_at
    )
    _MODELS[id(facts)] = model
    return facts


def updated() -> RunFacts:
    """RUN_ID of a Glue 4.0 job, whose job UpdateJob then made Glue 3.0."""
    facts = started({"GlueVersion": "4.0"})
    _MODELS[id(facts)].update_job(JOB, {"GlueVersion": "3.0"})
    return facts


def listing_of(
    *pages: Exchange, size: int | None = None, expected: tuple[str, ...] | None = None
) -> Listing:
    return Listing(JOB, size, pages, True, "GetJobRuns", expected)


def settled(*states: str, accepted: bool = False, refused: str | None = None) -> Settled:
    known = frozenset({"STARTING", "RUNNING", "STOPPING", "STOPPED", "SUCCEEDED"})
    last = seen(ok(JobRunState=states[-1])) if states else None
    return Settled("jr_a", states, last, 30.0, known, accepted, refused, watched_s=31.0)


def stopped_facts() -> RunFacts:
    facts = started()
    facts.stop_sent_at = NOW
    return facts


def paired(first_on: float, second_on: float, *, gap: float = 2.0) -> Observation:
    """An observation of a run started `gap` s after another (answers within 0.1 s), whose
    StartedOn is `second_on`, the other's `first_on`."""
    import dataclasses

    model = Model()
    model.add_job(JOB, {"GlueVersion": "4.0"})
    one = model.add_run(
        JOB, "jr_first", arguments=None, settings={}, sent_at=NOW, answered_at=NOW + 0.1
    )
    two = model.add_run(
        JOB, RUN_ID, arguments=None, settings={}, sent_at=NOW + gap, answered_at=NOW + gap + 0.1
    )
    _MODELS[id(one)] = _MODELS[id(two)] = model
    prior = dataclasses.replace(seen(ok(Id="jr_first", StartedOn=first_on)), facts=one)
    return dataclasses.replace(seen(ok(StartedOn=second_on), facts=two), previous_start=prior)


def reused() -> RunFacts:
    facts = started()
    facts.reused = True
    return facts


STOP_KINDS = {
    "jr_run": "running",
    "jr_ended": "ended",
    "jr_nobody": "unknown",
    "jr_other": "foreign",
}


def stop_answer(done: list[str], errors: list[str]) -> StopAnswer:
    return StopAnswer(
        JOB,
        STOP_KINDS,
        {
            "SuccessfulSubmissions": [{"JobName": JOB, "JobRunId": i} for i in done],
            "Errors": [
                {"JobName": JOB, "JobRunId": i, "ErrorDetail": {"ErrorCode": "x"}} for i in errors
            ],
        },
    )


# name -> (arguments a faithful target leads to, arguments a deviating one leads to)
CASES: dict[str, tuple[Callable[[], tuple], Callable[[], tuple]]] = {
    "response.check_status_200": (lambda: (ok(),), lambda: (NOT_FOUND,)),
    "response.check_schema": (lambda: (seen(),), lambda: (seen(ok(Attempt="0")),)),
    "response.check_timestamps_are_numbers": (
        lambda: (seen(),),
        lambda: (seen(ok(StartedOn="2025-12-01T12:00:00Z")),),
    ),
    "response.check_id": (lambda: (seen(),), lambda: (seen(ok(Id="jr_other")),)),
    "response.check_job_name": (lambda: (seen(),), lambda: (seen(ok(JobName="other")),)),
    "response.check_arguments": (
        lambda: (seen(ok(Arguments={"--day": "1"}), facts=started(arguments={"--day": "1"})),),
        lambda: (seen(ok(Arguments={"--day": "2"}), facts=started(arguments={"--day": "1"})),),
    ),
    "response.check_timestamp_order": (
        lambda: (seen(),),
        lambda: (seen(ok(LastModifiedOn=NOW - 1)),),
    ),
    "response.check_state_enum": (lambda: (seen(),), lambda: (seen(ok(JobRunState="DONE")),)),
    "response.check_predecessor_runs": (
        lambda: (seen(ok(PredecessorRuns=[{"JobName": "a", "RunId": "jr_a"}])),),
        lambda: (seen(ok(PredecessorRuns="none")),),
    ),
    "lifecycle.check_transitions": (
        lambda: (seen(ok(), before=ok(JobRunState="RUNNING")),),
        lambda: (seen(ok(JobRunState="RUNNING"), before=ok()),),
    ),
    "lifecycle.check_monotonic_timestamps": (
        lambda: (seen(ok(), before=ok(JobRunState="RUNNING", LastModifiedOn=NOW + 1)),),
        lambda: (seen(ok(StartedOn=NOW + 5, LastModifiedOn=NOW + 145), before=ok()),),
    ),
    "listing.check_listed": (
        lambda: (listing_of(runs_page(run(Id="jr_a"), run(Id="jr_b")), expected=("jr_a",)),),
        lambda: (listing_of(runs_page(run(Id="jr_a")), expected=("jr_c", "jr_a")),),
    ),
    "listing.check_only_own": (
        lambda: (listing_of(runs_page(run(Id="jr_a")), expected=("jr_a",)),),
        lambda: (listing_of(runs_page(run(Id="jr_a"), run(Id="jr_z")), expected=("jr_a",)),),
    ),
    "not_found.check_unknown_job": (
        lambda: (NOT_FOUND,),
        lambda: (error(400, "EntityNotFoundException", " "),),
    ),
    "not_found.check_unknown_run": (lambda: (NOT_FOUND,), lambda: (ok(),)),
    "not_found.check_valid_name_not_found": (lambda: (NOT_FOUND,), lambda: (TOO_LONG,)),
    "protocol.check_content_type": (
        lambda: (NOT_FOUND,),
        lambda: (error(400, "X", **{"content-type": "application/json"}),),
    ),
    "protocol.check_request_id": (
        lambda: (NOT_FOUND,),
        lambda: (error(400, "X", **{"x-amzn-requestid": " "}),),
    ),
    "protocol.check_error_type": (lambda: (NOT_FOUND,), lambda: (error(400, None),)),
    "protocol.check_error_body": (lambda: (NOT_FOUND,), lambda: (answer(400, b"<html/>"),)),
    "protocol.check_malformed_json": (
        lambda: (error(400, "com.amazon.coral.service#SerializationException", None),),
        lambda: (error(500, "InternalFailure"),),
    ),
    "protocol.check_unknown_operation": (
        lambda: (error(400, "UnknownOperationException", None),),
        lambda: (ok(),),
    ),
    "protocol.check_missing_auth": (
        lambda: (error(403, "MissingAuthenticationTokenException"),),
        lambda: (NOT_FOUND,),
    ),
    "protocol.check_no_server_error": (lambda: (TOO_LONG,), lambda: (error(500, "Internal"),)),
    "sdk.check_parses": (
        lambda: (client(_parsed), JOB, RUN_ID, ok()),
        lambda: (client(_raises("InternalFailure")), JOB, RUN_ID, ok()),
    ),
    "sdk.check_not_found_exception": (
        lambda: (client(_raises("EntityNotFoundException")), ABSENT, NOT_FOUND),
        lambda: (client(_raises("NotFound")), ABSENT, NOT_FOUND),
    ),
    "sdk.check_validation_code": (
        lambda: (client(_raises("ValidationException")), ABSENT, TOO_LONG),
        lambda: (client(_raises("InvalidInputException")), ABSENT, TOO_LONG),
    ),
    "validation.check_status_400": (
        lambda: (TOO_LONG,),
        lambda: (NOT_FOUND.__class__(REQUEST, 404, NOT_FOUND.headers, NOT_FOUND.body, 0.0),),
    ),
    "validation.check_error_type": (
        lambda: (TOO_LONG,),
        lambda: (error(400, "InvalidInputException", "1 validation error detected: ..."),),
    ),
    "validation.check_message_grammar": (
        lambda: (TOO_LONG,),
        lambda: (error(400, "ValidationException", "2 validation errors detected: Value"),),
    ),
    "validation.check_message_member": (
        lambda: (TOO_LONG, "JobName"),
        lambda: (TOO_LONG, "RunId"),
    ),
    "validation.check_message_constraint": (
        lambda: (TOO_LONG, INVALID, CONSTRAINTS["JobName"]),
        lambda: (
            TOO_LONG,
            InvalidRequest(INVALID.body, "JobName", Violation.LENGTH_MIN, "empty"),
            CONSTRAINTS["JobName"],
        ),
    ),
    "validation.check_type_mismatch": (
        lambda: (error(400, "SerializationException", None),),
        lambda: (ok(),),
    ),
    "validation.check_every_violation_listed": (
        lambda: (TOO_LONG, (("JobName", Violation.LENGTH_MAX),), CONSTRAINTS),
        lambda: (
            TOO_LONG,
            (("JobName", Violation.LENGTH_MAX), ("RunId", Violation.REQUIRED)),
            CONSTRAINTS,
        ),
    ),
    "meaning.check_job_reflected": (
        lambda: (
            seen(ok(WorkerType="G.1X", NumberOfWorkers=2, Timeout=15), facts=started(JOB_SETTINGS)),
        ),
        lambda: (
            seen(
                ok(GlueVersion="0.9", WorkerType="G.1X", NumberOfWorkers=2),
                facts=started(JOB_SETTINGS),
            ),
        ),
    ),
    "meaning.check_run_overrides": (
        lambda: (
            seen(ok(Timeout=30, WorkerType="G.2X"), facts=started(Timeout=30, WorkerType="G.2X")),
        ),
        lambda: (
            seen(ok(Timeout=15, WorkerType="G.2X"), facts=started(Timeout=30, WorkerType="G.2X")),
        ),
    ),
    "meaning.check_arguments_own": (
        lambda: (
            seen(
                ok(Arguments={"--own": "1"}),
                facts=started({"DefaultArguments": DEFAULTS}, {"--own": "1"}),
            ),
        ),
        lambda: (
            seen(
                ok(Arguments={"--own": "1", **DEFAULTS}),
                facts=started({"DefaultArguments": DEFAULTS}, {"--own": "1"}),
            ),
        ),
    ),
    "meaning.check_attempt_first": (
        lambda: (seen(facts=started()),),
        lambda: (seen(ok(PreviousRunId="jr_a"), facts=started()),),
    ),
    "meaning.check_previous_run_id": (
        lambda: (seen(ok(PreviousRunId="jr_a"), facts=started(JobRunId="jr_a")),),
        lambda: (seen(facts=started(JobRunId="jr_a")),),
    ),
    "meaning.check_timeout_default": (
        lambda: (seen(facts=started()),),
        lambda: (seen(ok(Timeout=480), facts=started()),),
    ),
    "meaning.check_trigger_absent": (
        lambda: (seen(facts=started()),),
        lambda: (
            seen(
                ok(TriggerName="nightly", PredecessorRuns=[{"JobName": "a", "RunId": "b"}]),
                facts=started(),
            ),
        ),
    ),
    "clock.check_near_clock": (
        lambda: (seen(received=NOW + 200, facts=started(sent_at=NOW - 0.5)),),
        lambda: (seen(received=NOW - 4 * 3600),),
    ),
    "clock.check_elapsed": (
        lambda: (seen(received=NOW + 145.0, facts=started(sent_at=NOW - 0.5)),),
        lambda: (seen(received=NOW + 20.0, facts=started(sent_at=NOW - 0.5)),),
    ),
    "clock.check_execution_time": (
        lambda: (seen(ok(JobRunState="RUNNING", ExecutionTime=0), received=NOW + 0.2),),
        lambda: (
            seen(
                ok(JobRunState="RUNNING", ExecutionTime=123),
                received=NOW + 0.2,
                facts=started(sent_at=NOW),
            ),
        ),
    ),
    "clock.check_completed_is_last_modified": (
        lambda: (seen(),),
        lambda: (seen(ok(CompletedOn=NOW + 142.0)),),
    ),
    "listing.check_newest_first": (
        lambda: (listing_of(runs_page(run(StartedOn=NOW + 5), token="1"), runs_page(run())),),
        lambda: (listing_of(runs_page(run(), token="1"), runs_page(run(StartedOn=NOW + 5))),),
    ),
    "listing.check_paging": (
        lambda: (
            listing_of(runs_page(run(Id="jr_b"), token="1"), runs_page(run(Id="jr_a")), size=1),
        ),
        lambda: (listing_of(runs_page(run(Id="jr_b"), run(Id="jr_a")), size=1),),
    ),
    "lifecycle.check_runs_agree": (
        lambda: (seen(ok(), before=ok(JobRunState="RUNNING"), asked=False),),
        lambda: (seen(ok(GlueVersion="0.9"), before=ok(), asked=False),),
    ),
    "lifecycle.check_ended_unchanged": (
        lambda: (seen(ok(), before=ok()),),
        lambda: (seen(ok(ExecutionTime=118), before=ok()),),
    ),
    "lifecycle.check_run_id_fresh": (
        lambda: (seen(facts=started()),),
        lambda: (seen(facts=reused()),),
    ),
    "lifecycle.check_stop_answer": (
        lambda: (stop_answer(["jr_run"], ["jr_ended", "jr_nobody", "jr_other"]),),
        lambda: (stop_answer(["jr_run", "jr_nobody"], ["jr_ended", "jr_other"]),),
    ),
    "clock.check_start_spacing": (
        lambda: (paired(NOW + 0.05, NOW + 2.04),),
        lambda: (paired(NOW + 0.05, NOW + 0.05),),
    ),
    "lifecycle.check_stop_only_named": (
        lambda: (seen(ok(JobRunState="STOPPED"), facts=stopped_facts()),),
        lambda: (seen(ok(JobRunState="STOPPING"), facts=started()),),
    ),
    "lifecycle.check_finished": (
        lambda: (settled("RUNNING", "SUCCEEDED"),),
        lambda: (settled("STARTING", "RUNNING"),),
    ),
    "lifecycle.check_attempt_stable": (
        lambda: (seen(ok(), before=ok(JobRunState="RUNNING")),),
        lambda: (seen(ok(Attempt=1), before=ok()),),
    ),
    "lifecycle.check_stop": (
        lambda: (settled("RUNNING", "STOPPING", "STOPPED", accepted=True),),
        lambda: (settled("RUNNING", "SUCCEEDED", accepted=True),),
    ),
    "not_found.check_run_under_other_job": (lambda: (NOT_FOUND,), lambda: (ok(),)),
    "not_found.check_run_id_exact": (lambda: (NOT_FOUND,), lambda: (ok(),)),
    "not_found.check_job_name_exact": (lambda: (NOT_FOUND,), lambda: (ok(),)),
    "lifecycle.check_domain_accepted": (
        lambda: (Sent("CreateJob", "JobName tab", "AccessDeniedException", "role"),),
        lambda: (Sent("CreateJob", "JobName tab", "ValidationException", "1 validation error"),),
    ),
    "protocol.check_target_prefix": (
        lambda: (error(400, "UnknownOperationException", None),),
        lambda: (ok(),),
    ),
    "validation.check_max_results_refused": (lambda: (TOO_LONG,), lambda: (runs_page(),)),
}

OBSERVATIONS: dict[str, tuple[Any, str]] = {
    "response.observe_completed_on": (seen(ok(JobRunState="RUNNING")), "CompletedOn present"),
    "validation.observe_scalar_for_string": (ok(), "accepted (HTTP 200)"),
    "validation.observe_scalar_for_number": (NOT_FOUND, "HTTP 400 EntityNotFoundException"),
    "validation.observe_length_unit": (TOO_LONG, "counts UTF-16 code units"),
    "meaning.observe_timeout_glue5": (
        seen(ok(GlueVersion="5.0", Timeout=480), facts=started({"GlueVersion": "5.0"})),
        "Timeout 480",
    ),
    "meaning.observe_run_id_shape": (seen(ok(Id="6f1c")), "not shaped as AWS's"),
    "meaning.observe_after_update": (
        seen(ok(GlueVersion="3.0"), facts=updated()),
        "reports its job as updated",
    ),
    "meaning.observe_max_capacity": (
        seen(ok(MaxCapacity=10.0), facts=started({"GlueVersion": "3.0", "MaxCapacity": 0.0625})),
        "where 0.0625 was given",
    ),
}


def _checks(kind: str) -> list[str]:
    return sorted(name for name, entry in all_checks().items() if entry.kind == kind)


def test_every_registered_check_has_its_unit_tests():
    assert sorted(CASES) == _checks("check")
    assert sorted(OBSERVATIONS) == _checks("observation")


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_faithful_answer_passes(name):
    faithful, _ = CASES[name]
    CHECKS[name].function(*faithful(), CTX)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_deviating_answer_fails_with_the_checks_own_rule(name):
    _, deviating = CASES[name]
    with pytest.raises(Deviation) as raised:
        CHECKS[name].function(*deviating(), CTX)
    assert raised.value.rule is CHECKS[name].rule
    assert f"[{CHECKS[name].rule.id}]" in str(raised.value)


@pytest.mark.parametrize("name", sorted(OBSERVATIONS))
def test_an_observation_says_what_it_saw_and_never_fails(name):
    exchange, expected = OBSERVATIONS[name]
    said = CHECKS[name].function(exchange)
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
