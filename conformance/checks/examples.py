"""Subjects for the checks' own unit cases: a faithful and a deviating example beside each check.

Every check declares, on its `@check`, what a faithful target's answer looks like and what a
deviating one does (`faithful=`, `deviating=`: functions returning the check's arguments but the
`Context`), and every observation what it records of one example (`example=`). The project's
tests (tests/test_checks.py) run them all: the faithful arguments pass, the deviating ones fail
with the check's own rule. The builders are here, small and synthetic (no target, no pytest): a
SUCCEEDED JobRun like the aws-cli example of evidence section 4, error answers as Glue sends
them, the model's record of a run, a listing, a settled run, a stop answer.

Nothing here is imported by a run of the suite but the module itself (the builders are called
only when a unit case is); boto3's Stubber is imported when an SDK case is built.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from glue_conformance.checks.base import Context
from glue_conformance.checks.subjects import Listing, Observation, Settled, StopAnswer
from glue_conformance.checks.subjects import Sent as Sent  # re-exported for the cases
from glue_conformance.model import Model, RunFacts
from glue_conformance.strategies import InvalidRequest as InvalidRequest  # re-exported
from glue_conformance.strategies import Violation as Violation  # re-exported
from glue_conformance.strategies.constraints import id_string, name_string
from glue_conformance.transport import JSON_11, Exchange, SentRequest

if TYPE_CHECKING:
    from botocore.stub import Stubber

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
    """A boto3 Glue client whose answers are `setup`'s (botocore's Stubber), sending nothing."""
    import boto3
    from botocore.config import Config
    from botocore.stub import Stubber

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


def parsed(stub: Stubber) -> None:
    when = dt.datetime.fromtimestamp(NOW, dt.UTC)
    stub.add_response(
        "get_job_run", {"JobRun": {"Id": RUN_ID, "StartedOn": when, "JobRunState": "RUNNING"}}
    )


def raises(code: str) -> Callable[[Stubber], None]:
    return lambda stub: stub.add_client_error("get_job_run", service_error_code=code)


ABSENT = {"JobName": "absent", "RunId": "jr_absent"}
JOB_SETTINGS = {"GlueVersion": "4.0", "Timeout": 15, "WorkerType": "G.1X", "NumberOfWorkers": 2}
DEFAULTS = {"--job-default": "d"}


def at(exchange: Exchange, received: float) -> Exchange:
    """The exchange as if its answer had arrived at `received` (client clock)."""
    return dataclasses.replace(exchange, received_at=received)


def runs_page(*runs: dict[str, Any], token: str | None = None) -> Exchange:
    body: dict[str, Any] = {"JobRuns": list(runs)}
    if token is not None:
        body["NextToken"] = token
    return answer(200, body)


_MODELS: dict[int, Model] = {}


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
    earlier = seen(before, asked=asked) if before is not None else None
    return Observation(
        run=exchange.json["JobRun"],
        exchange=exchange,
        call="GetJobRun",
        job=JOB,
        asked_run=RUN_ID if asked else None,
        facts=facts,
        expected=_MODELS[id(facts)].expected(facts.run_id) if facts else (),
        before=earlier,
    )


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
