"""AWS JSON 1.1 wire format, on success and on every kind of error.

The error scenarios that name the absent job are sent again as `<scenario>-live`, naming the
suite's own job and run (glue_conformance.cases): the not-found scenario has no live twin (its
live form is the success scenario).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from glue_conformance import fixtures
from glue_conformance.cases import ABSENT, ABSENT_JOB, ABSENT_RUN, LIVE, LIVE_BASE, live_id
from glue_conformance.checks import protocol
from glue_conformance.fixtures import Ahead
from glue_conformance.transport import Exchange


def _success(job_run) -> Ahead:
    return {"JobName": job_run.job_name, "RunId": job_run.run_id}, {}


# Each error scenario's request; they go out together at the first check that reads one.
ERRORS: dict[str, Ahead] = {
    "not-found": ({"JobName": ABSENT_JOB, "RunId": ABSENT_RUN}, {}),
    "validation": ({"JobName": "", "RunId": ABSENT_RUN}, {}),
    "malformed-json": (b'{"JobName": "job", "RunId": ', {}),
    "unknown-operation": (
        {"JobName": ABSENT_JOB, "RunId": ABSENT_RUN},
        {"target_header": "AWSGlue.GetJobRunz"},
    ),
}
# The same, but the members that are not wrong name the live job and run (filled at sending).
LIVE_ERRORS: dict[str, Ahead] = {
    live_id("validation"): ({"JobName": "", "RunId": LIVE_BASE["RunId"]}, {}),
    live_id("malformed-json"): (f'{{"JobName": "{LIVE_BASE["JobName"]}", "RunId": '.encode(), {}),
    live_id("unknown-operation"): (dict(LIVE_BASE), {"target_header": "AWSGlue.GetJobRunz"}),
}
NO_LIVE = {"scenario not-found": "its live form is the success scenario"}
ALL_ERRORS = [*ERRORS, *LIVE_ERRORS]
ALL = ["success", *ALL_ERRORS]


@pytest.fixture(scope="session")
def scenario_exchange(send_together, request, pytestconfig) -> Callable[[str], Exchange]:
    answers: dict[str, Callable[[str], Exchange]] = {}
    live: fixtures.Live | None = None

    def _get(name: str) -> Exchange:
        nonlocal live
        if name == "success":
            if "success" not in answers:
                ahead = _success(request.getfixturevalue("job_run"))
                answers["success"] = send_together({"success": ahead})
            return answers["success"]("success")
        if "errors" not in answers:
            live = request.getfixturevalue("live")
            contexts = {
                **{n: (ABSENT, ahead) for n, ahead in ERRORS.items()},
                **{n: (LIVE, ahead) for n, ahead in LIVE_ERRORS.items()},
            }
            answers["errors"] = send_together(fixtures.in_context(live, contexts))
            fixtures.reached(
                pytestconfig, live, "protocol scenarios", list(ERRORS), list(LIVE_ERRORS), NO_LIVE
            )
        if name in LIVE_ERRORS and live is not None:
            live.unavailable()
        return answers["errors"](name)

    return _get


@pytest.mark.rule("protocol.content-type")
@pytest.mark.parametrize("scenario", list(ALL))
def test_content_type(scenario, scenario_exchange, ctx):
    protocol.check_content_type(scenario_exchange(scenario), ctx)


@pytest.mark.rule("protocol.request-id")
@pytest.mark.parametrize("scenario", list(ALL))
def test_request_id(scenario, scenario_exchange, ctx):
    protocol.check_request_id(scenario_exchange(scenario), ctx)


@pytest.mark.rule("protocol.error.type")
@pytest.mark.parametrize("scenario", ALL_ERRORS)
def test_error_type_is_resolvable(scenario, scenario_exchange, ctx):
    protocol.check_error_type(scenario_exchange(scenario), ctx)


@pytest.mark.rule("protocol.error.body")
@pytest.mark.parametrize("scenario", ALL_ERRORS)
def test_error_body_is_an_error_envelope(scenario, scenario_exchange, ctx):
    protocol.check_error_body(scenario_exchange(scenario), ctx)


@pytest.mark.rule("protocol.malformed-json")
def test_malformed_json(scenario_exchange, ctx):
    protocol.check_malformed_json(scenario_exchange("malformed-json"), ctx)


# The live twins of the two unparametrized checks above: case "live" (theirs stays "").
@pytest.mark.rule("protocol.malformed-json")
@pytest.mark.parametrize("context", [LIVE])
def test_malformed_json_naming_the_live_run(context, scenario_exchange, ctx):
    protocol.check_malformed_json(scenario_exchange(live_id("malformed-json")), ctx)


@pytest.mark.rule("protocol.unknown-operation")
def test_unknown_operation(scenario_exchange, ctx):
    protocol.check_unknown_operation(scenario_exchange("unknown-operation"), ctx)


@pytest.mark.rule("protocol.unknown-operation")
@pytest.mark.parametrize("context", [LIVE])
def test_unknown_operation_naming_the_live_run(context, scenario_exchange, ctx):
    """A target that looks the run up before it dispatches answers this one with the run."""
    protocol.check_unknown_operation(scenario_exchange(live_id("unknown-operation")), ctx)


@pytest.mark.rule("protocol.auth.missing")
def test_unsigned_request_is_refused(send, ctx, glue_target):
    if not glue_target.checks_auth:
        pytest.skip("target marked as not checking auth (--glue-no-auth-check)")
    exchange = send({"JobName": ABSENT_JOB, "RunId": ABSENT_RUN}, sign=False)
    protocol.check_missing_auth(exchange, ctx)


@pytest.mark.rule("protocol.auth.missing")
@pytest.mark.parametrize("context", [LIVE])
def test_unsigned_request_for_the_live_run_is_refused(context, send, ctx, glue_target, live):
    """Unsigned, for the suite's own run: a target that checks the signature only on its
    not-found path answers this one with the run."""
    if not glue_target.checks_auth:
        pytest.skip("target marked as not checking auth (--glue-no-auth-check)")
    live.unavailable()
    exchange = send(live.fill(dict(LIVE_BASE)), sign=False)
    protocol.check_missing_auth(exchange, ctx)


@pytest.mark.rule("protocol.target-prefix")
@pytest.mark.parametrize(
    "target",
    ["Foo.GetJobRun", "GetJobRun", "AWSGlue.getJobRun"],
    ids=["wrong-prefix", "no-prefix", "lowercase-operation"],
)
def test_a_malformed_target_is_neither_served_nor_a_server_error(target, send, job_run, ctx):
    """Asked for a run that exists, so a target that dispatches on the text after the last '.'
    (or ignores case) answers 200 with the run, not an error it would give anyway."""
    exchange = send({"JobName": job_run.job_name, "RunId": job_run.run_id}, target_header=target)
    protocol.check_target_prefix(exchange, ctx)
