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
from glue_conformance.verdicts import verdict_items


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


# --- the server side of awsJson1_1 (evidence 24) ------------------------------------------------
#
# Each read is sent beside its plain twin (the same request, no Content-Type parameter, no null
# member), together, in both contexts: around the absent job and run and, as `<id>-live`, around
# the suite's own, where a faithful answer is the run (GetJobRun) or its listing (GetJobRuns).
_GET_RUN = "AWSGlue.GetJobRun"
_GET_RUNS = "AWSGlue.GetJobRuns"
_BASES = {
    _GET_RUN: {"JobName": ABSENT_JOB, "RunId": ABSENT_RUN},
    _GET_RUNS: {"JobName": ABSENT_JOB},
}
_LIVE_BASES = {_GET_RUN: dict(LIVE_BASE), _GET_RUNS: {"JobName": LIVE_BASE["JobName"]}}


def _operation(target: str) -> str:
    return target.rsplit(".", 1)[-1]


# id -> (operation, the member sent as null; None: the Content-Type parameter is what differs)
SERVER_SIDE: dict[str, tuple[str, str | None]] = {
    f"{_operation(t)}.content-type-charset": (t, None) for t in (_GET_RUN, _GET_RUNS)
}
SERVER_SIDE.update(
    {
        "GetJobRun.PredecessorsIncluded-null": (_GET_RUN, "PredecessorsIncluded"),
        "GetJobRuns.MaxResults-null": (_GET_RUNS, "MaxResults"),
        "GetJobRuns.NextToken-null": (_GET_RUNS, "NextToken"),
    }
)
REQUIRED_NULLS: dict[str, tuple[str, str]] = {
    "GetJobRun.JobName-null": (_GET_RUN, "JobName"),
    "GetJobRun.RunId-null": (_GET_RUN, "RunId"),
    "GetJobRuns.JobName-null": (_GET_RUNS, "JobName"),
}
NO_LIVE_SERVER_SIDE = {"GetJobRuns.JobName-null": "its one member is the member under test"}


def _server_side_requests() -> dict[str, tuple[str, Ahead]]:
    requests: dict[str, tuple[str, Ahead]] = {}
    for context, bases, name in ((ABSENT, _BASES, str), (LIVE, _LIVE_BASES, live_id)):
        for target, base in bases.items():
            requests[name(f"{_operation(target)}.plain")] = (
                context,
                (dict(base), {"target_header": target}),
            )
        for case_id, (target, member) in SERVER_SIDE.items():
            options: dict[str, str] = {"target_header": target}
            body: dict[str, object] = dict(bases[target])
            if member is None:
                options["content_type"] = protocol.CHARSET_JSON_11
            else:
                body[member] = None
            requests[name(case_id)] = (context, (body, options))
        for case_id, (target, member) in REQUIRED_NULLS.items():
            if context == LIVE and case_id in NO_LIVE_SERVER_SIDE:
                continue
            requests[name(case_id)] = (
                context,
                ({**bases[target], member: None}, {"target_header": target}),
            )
    return requests


SERVER_SIDE_REQUESTS = _server_side_requests()


def _in_both(ids: list[str]) -> list[str]:
    return [twin for case_id in ids for twin in (case_id, live_id(case_id))]


@pytest.fixture(scope="session")
def server_side(send_together, live: fixtures.Live, pytestconfig) -> Callable[[str], Exchange]:
    """Every read of the server-side cases, with its plain twins, goes out together."""
    answers = send_together(fixtures.in_context(live, SERVER_SIDE_REQUESTS))
    absent = [i for i, (c, _) in SERVER_SIDE_REQUESTS.items() if c == ABSENT]
    fixtures.reached(
        pytestconfig,
        live,
        "awsJson1_1 server side",
        absent,
        [i for i, (c, _) in SERVER_SIDE_REQUESTS.items() if c == LIVE],
        NO_LIVE_SERVER_SIDE,
    )

    def _answer(case_id: str) -> Exchange:
        if SERVER_SIDE_REQUESTS[case_id][0] == LIVE:
            live.unavailable()
        return answers(case_id)

    return _answer


def _plain(case_id: str) -> str:
    plain = f"{case_id.split('.', 1)[0]}.plain"
    return live_id(plain) if case_id.endswith("-live") else plain


_CHARSET = [i for i, (_, m) in SERVER_SIDE.items() if m is None]
_OPTIONAL = [i for i, (_, m) in SERVER_SIDE.items() if m is not None]
_REQUIRED = [
    i for base in REQUIRED_NULLS for i in (base, live_id(base)) if i in SERVER_SIDE_REQUESTS
]


@pytest.mark.rule("protocol.content-type.parameters")
@pytest.mark.parametrize("case_id", _in_both(_CHARSET))
def test_content_type_parameter_is_served(case_id, server_side, ctx):
    protocol.check_content_type_parameters(server_side(case_id), server_side(_plain(case_id)), ctx)


@pytest.mark.rule("protocol.null.read-as-absent")
@pytest.mark.parametrize("case_id", _in_both(_OPTIONAL))
def test_optional_null_is_read_as_absent(case_id, server_side, ctx):
    member = SERVER_SIDE[case_id.removesuffix("-live")][1]
    assert member is not None
    protocol.check_null_optional(server_side(case_id), server_side(_plain(case_id)), member, ctx)


@pytest.mark.rule("protocol.null.read-as-absent")
@pytest.mark.parametrize("case_id", _REQUIRED)
def test_required_null_is_refused_as_missing(case_id, server_side, ctx):
    member = REQUIRED_NULLS[case_id.removesuffix("-live")][1]
    protocol.check_null_required(server_side(case_id), member, ctx)


@pytest.mark.rule("protocol.null.never-sent")
@pytest.mark.parametrize("scenario", list(ALL))
def test_no_null_in_an_answer(scenario, scenario_exchange, ctx):
    protocol.check_no_null_in_answer(scenario_exchange(scenario), ctx)


@pytest.mark.rule("protocol.null.never-sent")
@pytest.mark.parametrize("case_id", list(SERVER_SIDE_REQUESTS))
def test_no_null_in_a_server_side_answer(case_id, server_side, ctx):
    protocol.check_no_null_in_answer(server_side(case_id), ctx)


globals().update(verdict_items(globals()))
