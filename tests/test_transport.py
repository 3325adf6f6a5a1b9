"""The transport sends exactly the chosen bytes, signed by botocore, and records the raw answer."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import time

import pytest
from botocore.credentials import Credentials

from glue_conformance import repro
from glue_conformance.awsjson import error_info, sanitize_error_type
from glue_conformance.schemas import sizes
from glue_conformance.transport import (
    RetryPolicy,
    TargetUnavailable,
    Transport,
    TransportError,
    encode_body,
)
from tests.servers import closed_port, hangs_up, json_answer, serve

CREDS = Credentials("testing", "testing")
THROTTLE_BODY = b'{"__type":"ThrottlingException","message":"Rate exceeded"}'


def test_body_is_ascii_json_with_lone_surrogates_escaped():
    body = encode_body({"JobName": "a\ud800\U0001f600", "RunId": "r"})
    assert body == b'{"JobName":"a\\ud800\\ud83d\\ude00","RunId":"r"}'
    assert encode_body(b"{raw") == b"{raw"


def test_request_is_signed_by_botocore_and_sent_verbatim():
    with serve(json_answer(400, {"__type": "X"}, **{"x-amzn-RequestId": "r1"})) as (url, seen):
        transport = Transport(url, region="eu-west-1", credentials=CREDS)
        exchange = transport.send({"JobName": "\ud800", "RunId": "x"})
    headers = seen[0]["headers"]
    assert headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=testing/")
    assert "/eu-west-1/glue/aws4_request" in headers["Authorization"]
    assert headers["X-Amz-Target"] == "AWSGlue.GetJobRun"
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    assert seen[0]["body"] == b'{"JobName":"\\ud800","RunId":"x"}'
    assert exchange.status == 400
    assert exchange.header("X-Amzn-RequestId") == "r1"
    assert exchange.json == {"__type": "X"}


def test_unsigned_requests_carry_no_authorization():
    with serve(json_answer(403, {})) as (url, seen):
        Transport(url, region="us-east-1", credentials=CREDS).send({}, sign=False)
    assert "Authorization" not in seen[0]["headers"]


def test_connections_are_kept_alive():
    with serve(json_answer(200, {})) as (url, _):
        transport = Transport(url, region="us-east-1", credentials=CREDS)
        for _ in range(5):
            transport.send({})
        pool = transport.pool.connection_from_url(url)
        assert pool.num_connections == 1


def test_redirects_are_not_followed():
    with serve(json_answer(307, {}, Location="http://example.invalid/")) as (url, seen):
        exchange = Transport(url, region="us-east-1", credentials=CREDS).send({})
    assert exchange.status == 307
    assert len(seen) == 1


def test_refused_connection_is_classified_in_one_line():
    url = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(TransportError) as caught:
        Transport(url, region="us-east-1", credentials=CREDS).send({})
    assert caught.value.kind == "unreachable"
    assert "connection refused" in str(caught.value)


def test_bad_url_is_refused_before_sending():
    with pytest.raises(TransportError, match="bad-url"):
        Transport("ftp://host", region="us-east-1", credentials=CREDS)


def test_a_connection_closed_before_any_answer_is_tried_once_more_on_a_new_one():
    """A kept-alive connection the server has let go fails before a byte of answer: the request
    never reached a handler, so it is sent again on a new connection, not judged."""
    with hangs_up(1) as (url, seen):
        transport = Transport(url, region="us-east-1", credentials=CREDS)
        exchange = transport.send({"JobName": "j", "RunId": "r"})
    assert exchange.status == 400
    assert exchange.json["__type"] == "EntityNotFoundException"
    assert len(seen) == 2  # the same request, twice
    assert seen[0].split(b"\r\n\r\n")[-1] == seen[1].split(b"\r\n\r\n")[-1]
    assert transport.sent == 2


def test_a_server_that_never_answers_a_connection_is_reported_after_one_retry():
    with hangs_up(None) as (url, seen):
        transport = Transport(url, region="us-east-1", credentials=CREDS)
        with pytest.raises(TransportError) as caught:
            transport.send({})
    assert caught.value.kind == "protocol"
    assert "connection closed without an answer" in caught.value.detail
    assert len(seen) == 2


def test_persistent_throttling_becomes_target_unavailable():
    answer = json_answer(400, {"__type": "ThrottlingException", "message": "Rate exceeded"})
    with serve(answer) as (url, seen):
        transport = Transport(
            url, region="us-east-1", credentials=CREDS, retry=RetryPolicy(attempts=3, base_s=0.01)
        )
        with pytest.raises(TargetUnavailable):
            transport.send({})
    assert len(seen) == 3


def test_transient_throttling_is_retried_with_backoff_and_the_answer_kept():
    """Throttled twice, then answered: the caller sees only the answer (attempt 3), and the
    retries waited in between (backoff), never longer than the policy's cap."""
    answers = iter([(400, THROTTLE_BODY), (503, b"{}")])
    arrivals: list[float] = []

    def handler(_, __):
        arrivals.append(time.monotonic())
        status, body = next(answers, (400, b'{"__type":"EntityNotFoundException"}'))
        return status, {"Content-Type": "application/x-amz-json-1.1"}, body

    policy = RetryPolicy(attempts=4, base_s=0.05, cap_s=0.2)
    with serve(handler) as (url, _):
        exchange = Transport(url, region="us-east-1", credentials=CREDS, retry=policy).send({})
    assert exchange.json == {"__type": "EntityNotFoundException"}
    assert exchange.attempts == 3
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert len(gaps) == 2
    assert all(gap < 0.2 + 0.15 for gap in gaps)


def test_retry_delays_are_jittered_and_capped():
    policy = RetryPolicy(base_s=0.2, cap_s=1.0)
    for attempt, ceiling in ((1, 0.4), (2, 0.8), (3, 1.0), (10, 1.0)):
        delays = [policy.delay(attempt) for _ in range(300)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8  # the whole range is used: full jitter
        assert len(set(delays)) > 250  # no two clients retry in lock-step


@pytest.mark.parametrize(
    ("status", "retried"),
    [(429, True), (502, True), (503, True), (504, True), (500, False), (400, False)],
)
def test_which_answers_are_retried(status, retried):
    """Gateways and throttling are retried; a 500 is the target's answer (emulators answer 500
    for bugs), and so is any other 400."""
    assert RetryPolicy().should_retry(status, b'{"__type":"EntityNotFoundException"}') is retried
    assert RetryPolicy().should_retry(400, THROTTLE_BODY)


def test_oversized_body_is_truncated_and_flagged():
    def huge(_, __):
        return 200, {"Content-Type": "application/x-amz-json-1.1"}, b"[" + b"1," * 5000 + b"1]"

    with serve(huge) as (url, _):
        exchange = Transport(url, region="us-east-1", credentials=CREDS, max_body_bytes=100).send(
            {}
        )
    assert exchange.truncated
    assert len(exchange.body) == 100
    assert exchange.json is None
    assert "larger than" in (exchange.json_problem or "")


def test_each_operation_is_read_to_its_own_largest_answer():
    """A GetJobRuns page of 200 runs may be 200 times a GetJobRun answer (issue 34: 40 MB of
    200,000-character StateDetails, failed against the 4 MiB meant for one GetJobRun): each
    operation is read to the largest answer the model allows it, MaxResults runs for a page."""
    one = sizes.answer_bytes("GetJobRun")
    assert one is not None
    assert 5 * 2**20 > one > 400_000 * 6
    page = sizes.answer_bytes("GetJobRuns", {"JobName": "j", "MaxResults": 10})
    assert page is not None
    assert page > 10 * sizes.job_run_bytes()
    assert sizes.answer_bytes("GetJobRuns", {"JobName": "j"}) == sizes.answer_bytes(
        "GetJobRuns", {"JobName": "j", "MaxResults": sizes.PAGE_MAX}
    )
    run = {"Id": "jr_1", "StateDetail": "x" * 200_000}
    body = json.dumps({"JobRuns": [run] * 40}).encode()  # 8 MB

    def pages(_, __):
        return 200, {"Content-Type": "application/x-amz-json-1.1"}, body

    with serve(pages) as (url, _):
        transport = Transport(url, region="us-east-1", credentials=CREDS)
        listed = transport.send({"JobName": "j", "MaxResults": 40}, operation="GetJobRuns")
        got = transport.send({"JobName": "j", "RunId": "jr_1"})  # one GetJobRun: junk
        small = transport.send({"JobName": "j", "MaxResults": 1}, operation="GetJobRuns")
    assert not listed.truncated
    assert len(listed.json["JobRuns"]) == 40
    assert got.truncated
    assert len(got.body) == one
    assert small.truncated


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("FooError", "FooError"),
        ("FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/", "FooError"),
        ("aws.protocoltests.restjson#FooError", "FooError"),
        ("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/", "FooError"),
        ("com.amazon.coral.service#SerializationException", "SerializationException"),
        ("ValidationException:", "ValidationException"),
    ],
)
def test_error_type_sanitized_by_smithy_rules(raw, expected):
    assert sanitize_error_type(raw) == expected


def test_error_type_sources_header_code_and_dunder_type():
    def answer(headers, body):
        def handle(_, __):
            return 400, {"Content-Type": "application/x-amz-json-1.1", **headers}, body

        return handle

    cases = [
        ({"X-Amzn-ErrorType": "A:"}, b"{}", "A"),
        ({}, b'{"code": "B"}', "B"),
        ({}, b'{"__type": "ns#C", "Message": "m"}', "C"),
        ({}, b"<html>", None),
    ]
    for headers, body, expected in cases:
        with serve(answer(headers, body)) as (url, _):
            exchange = Transport(url, region="us-east-1", credentials=CREDS).send({})
        assert error_info(exchange).type == expected


@pytest.mark.slow
def test_reproductions_actually_reproduce():
    """The printed boto3 line and curl line, run as printed, reach the server with the same body."""
    body = {"JobName": "a" * 300, "RunId": "\ud800x"}
    with serve(json_answer(400, {"__type": "ValidationException"})) as (url, seen):
        exchange = Transport(url, region="us-east-1", credentials=CREDS).send(body)
        boto3_line = repro.boto3_call(exchange.request, region="us-east-1", aws=False)
        curl_line = repro.curl(exchange.request, region="us-east-1", aws=False)
        assert boto3_line is not None
        subprocess.run(["bash", "-c", boto3_line], capture_output=True, timeout=60)
        if shutil.which("curl"):  # curl >= 7.75 signs with --aws-sigv4
            subprocess.run(["bash", "-c", curl_line], capture_output=True, timeout=60, check=True)
    assert len(seen) == (3 if shutil.which("curl") else 2)
    for request in seen[1:]:
        assert json.loads(request["body"]) == body
    assert "testing:testing" in curl_line
    assert len(curl_line) < 600  # long runs are rebuilt by an expression, not pasted
