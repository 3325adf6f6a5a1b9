"""The whole suite against targets that misbehave on purpose (`pytest conformance` in a subprocess).

The suite's own trouble must never read as the target's non-conformance, and the target's
garbage must never read as the suite's crash: an unusable target is one line and exit 69, a
garbage answer is a failed check with a plain diagnosis, a throttling target leaves checks
unjudged (exit 75), and nothing hangs past the timeouts given.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from typing import Any

import pytest

from glue_conformance.outcomes import EXIT_TARGET_UNAVAILABLE
from glue_conformance.reference import ReferenceServer
from glue_conformance.reference.server import GlueError
from glue_conformance.schemas import sizes
from tests.servers import json_answer, serve, silent, tls
from tests.test_plugin_run import _counts, _said_once, run_suite

pytestmark = pytest.mark.slow  # each test starts processes (tests/conftest.py)

NOT_FOUND = {"__type": "EntityNotFoundException", "Message": "Job run not found."}
THROTTLED = {"__type": "ThrottlingException", "message": "Rate exceeded"}


def _timed(*args: str, **kwargs: Any) -> tuple[Any, float]:
    started = time.monotonic()
    result = run_suite(*args, **kwargs)
    return result, time.monotonic() - started


def _one_line_exit_69(result: Any, expected: str) -> None:
    _said_once(result, expected)
    assert "INTERNALERROR" not in result.stdout + result.stderr


def test_dns_failure_is_one_line_and_exit_69():
    result, took = _timed("--target-url", "http://glue-conformance.invalid:5000", timeout=60)
    _one_line_exit_69(
        result,
        "target http://glue-conformance.invalid:5000 unusable (dns): host name does not resolve",
    )
    assert took < 30


def test_tls_to_a_plain_http_server_is_one_line_and_exit_69():
    with serve(json_answer(400, NOT_FOUND)) as (url, _):
        result, took = _timed("--target-url", url.replace("http://", "https://"), timeout=60)
    _one_line_exit_69(result, "unusable (tls): TLS handshake failed")
    assert took < 30


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_untrusted_certificate_is_one_line_and_exit_69(tmp_path):
    with tls(json_answer(400, NOT_FOUND), tmp_path) as url:
        result, took = _timed("--target-url", url, timeout=60)
    _one_line_exit_69(result, "unusable (tls)")
    assert "CERTIFICATE_VERIFY_FAILED" in result.stdout + result.stderr
    assert took < 30


def test_a_target_that_never_answers_is_refused_within_the_timeout():
    with silent() as url:
        result, took = _timed("--target-url", url, "--glue-request-timeout", "1", timeout=60)
    _one_line_exit_69(result, "unusable (timeout): no answer within the timeout of 1 s")
    assert took < 20


def test_a_target_that_only_throttles_is_unusable():
    with serve(json_answer(400, THROTTLED)) as (url, seen):
        result, took = _timed("--target-url", url, timeout=120)
    _one_line_exit_69(result, "unusable (unavailable): HTTP 400 after 4 attempts")
    assert len(seen) == 4  # bounded retries, then it stops asking
    assert took < 30


@pytest.mark.parametrize(
    "failing",
    [
        pytest.param(json_answer(400, THROTTLED), id="throttling"),
        pytest.param(json_answer(503, {"message": "Service Unavailable"}), id="503"),
    ],
)
def test_throttling_mid_run_leaves_checks_unjudged_not_failed(tmp_path, failing):
    """The first answer is fine; then the target throttles (or fails over) on every request. No
    check may fail on such an answer; the run says how many checks went unjudged and exits 75;
    the breaker keeps the run short instead of retrying every check."""
    answers = iter([json_answer(400, NOT_FOUND)])

    def handler(request, body):
        return next(answers, failing)(request, body)

    with serve(handler) as (url, seen):
        result, took = _timed("--target-url", url, "--glue-report-dir", str(tmp_path), timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == EXIT_TARGET_UNAVAILABLE, output[-3000:]
    counts = _counts(result.stdout)
    assert counts.get("failed", 0) == 0, output[-3000:]
    assert counts.get("error", 0) == 0, output[-3000:]
    assert "checks not judged: the target was unavailable" in output
    results = json.loads((tmp_path / "results.json").read_text())
    skipped = [c for c in results["checks"] if c["status"] == "skipped"]
    assert skipped
    assert all(c["message"].startswith("target unavailable") for c in skipped)
    assert all(c["no_verdict"] == "target-unavailable" for c in skipped)
    assert len(seen) < 120, f"{len(seen)} requests to a throttling target"
    assert took < 120


def test_garbage_answers_fail_protocol_answers_with_a_plain_diagnosis():
    """Stall, connection closed mid-answer, bytes that are not HTTP, a 5 MiB body and cut-off
    JSON, each on one request: each is a failed check naming what happened, the rest of the run
    is judged as usual, and the stall costs no more than --glue-request-timeout. The timeout is
    3 s, not 1: under a loaded test session an ordinary read of the reference endpoint has taken
    over a second, and failed a check the faults do not touch."""
    faults = ["stalls", "drops-connection", "not-http", "oversized-answer", "truncated-json"]
    args = [arg for fault in faults for arg in ("--glue-reference-fault", fault)]
    result, took = _timed(
        "--glue-target", "reference", "--glue-request-timeout", "3", *args, timeout=120
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert "INTERNALERROR" not in output
    counts = _counts(result.stdout)
    assert counts["failed"] == len(faults), output[-3000:]
    assert counts.get("error", 0) == 0, output[-3000:]
    assert counts["passed"] > 200
    for diagnosis in (
        "observed:  timeout: no answer within the timeout of 3 s (--glue-request-timeout)",
        "observed:  protocol: connection closed mid-answer (",
        "observed:  protocol: the answer is not HTTP ('SSH-2.0-OpenSSH_9.2",
        f"observed:  body larger than the {sizes.answer_bytes('GetJobRun')} bytes read",
        "note:      body is not JSON (",
    ):
        assert diagnosis in output, diagnosis
    # One reproduction per failure, even with no answer to show. Counted in the failure reports
    # only: on CI (the CI variable set) pytest repeats each whole message in the short summary.
    reports = result.stdout.split("short test summary info")[0]
    assert reports.count("reproduce: curl ") == len(faults)
    assert took < 60


def test_html_error_pages_are_failed_checks_not_errors():
    result = run_suite(
        "--glue-target", "reference", "--glue-reference-fault", "html-errors", timeout=120
    )
    counts = _counts(result.stdout)
    assert result.returncode == 1
    assert counts["failed"] > 0
    assert counts.get("error", 0) == 0
    assert "[protocol.error.body]" in result.stdout
    assert "INTERNALERROR" not in result.stdout + result.stderr
    # The embedded endpoint is gone after the run: each failure says how to serve its URL again.
    ports = set(
        re.findall(r"reproduce: curl -sS -i -X POST http://127\.0\.0\.1:(\d+)/", result.stdout)
    )
    assert len(ports) == 1
    serve = (
        "serve:     the embedded reference endpoint stopped with the run; first: "
        f"python -m glue_conformance.reference --port {ports.pop()} --fault html-errors\n"
    )
    reports = result.stdout.split("short test summary info")[0]  # on CI pytest repeats them
    assert reports.count(serve) == counts["failed"]


def _recording(server: ReferenceServer, calls: list[tuple[str, dict[str, Any]]]) -> None:
    """Record every CreateJob and DeleteJob request the suite makes (in this process's server)."""
    for operation in ("CreateJob", "DeleteJob"):
        original = server.app.handlers[operation]

        def record(request: dict[str, Any], original=original, operation=operation):
            calls.append((operation, request))
            return original(request)

        server.app.handlers[operation] = record


@pytest.mark.parametrize("role", [None, "arn:aws:iam::111122223333:role/conformance"])
def test_created_jobs_name_the_role_given_or_the_placeholder(role):
    """Against AWS the job's role must be one the caller may pass; --glue-job-role sets it."""
    from glue_conformance.provision import PLACEHOLDER_ROLE

    calls: list[tuple[str, dict[str, Any]]] = []
    with ReferenceServer() as server:
        _recording(server, calls)
        given = ["--glue-job-role", role] if role else []
        result = run_suite("--target-url", server.url, "-k", "known_job", *given, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
    assert [request.get("Role") for op, request in calls if op == "CreateJob"] == [
        role or PLACEHOLDER_ROLE
    ]


def test_what_could_not_be_deleted_is_named_at_the_end(tmp_path):
    with ReferenceServer(stage_seconds=0.05) as server:

        def refuse(request: dict[str, Any]) -> dict[str, Any]:
            raise GlueError("AccessDeniedException", "not allowed to delete jobs")

        server.app.handlers["DeleteJob"] = refuse
        result = run_suite("--target-url", server.url, "--glue-report-dir", str(tmp_path))
        left = sorted(server.app.jobs)
    assert left
    assert all(name.startswith("glue-conformance-") for name in left)
    assert result.returncode == 0, result.stdout[-3000:]
    line = "glue-conformance: could not delete what this run created (delete by hand): "
    assert line + ", ".join(left) in result.stdout
    assert json.loads((tmp_path / "results.json").read_text())["leftovers"] == left


def test_each_xdist_worker_cleans_up_its_own():
    """`--dist each` makes both workers provision: each names its jobs with the run's token and
    its worker id, and deletes exactly those."""
    calls: list[tuple[str, dict[str, Any]]] = []
    with ReferenceServer(stage_seconds=0.05) as server:
        _recording(server, calls)
        result = run_suite("--target-url", server.url, "-n", "2", "--dist", "each")
        left = dict(server.app.jobs)
    assert result.returncode == 0, result.stdout[-3000:]
    created = {request["Name"] for op, request in calls if op == "CreateJob"}
    deleted = {request["JobName"] for op, request in calls if op == "DeleteJob"}
    # not-found.delete-unknown-job's DeleteJob of each worker's own never-created name (its
    # token and worker id: docs/safety.md) deletes nothing; every other DeleteJob is a cleanup.
    probes = {name for name in deleted if name.endswith("-never-created")}
    assert created
    assert created == deleted - probes
    assert not left
    tokens = {name.split("-")[2] for name in created}
    workers = {name.split("-")[3] for name in created}
    assert len(tokens) == 1, created  # one run
    assert workers == {"gw0", "gw1"}, created  # each worker its own names
    (token,) = tokens
    assert probes == {f"glue-conformance-{token}-{w}-never-created" for w in workers}, probes


def test_report_counts_the_requests_sent(tmp_path):
    with ReferenceServer(stage_seconds=0.05) as server:
        seen = 0
        handle = server.app.handle

        def counting(headers: Any, body: bytes) -> Any:
            nonlocal seen
            seen += 1
            return handle(headers, body)

        server.app.handle = counting  # type: ignore[method-assign]
        result = run_suite("--target-url", server.url, "--glue-report-dir", str(tmp_path))
    assert result.returncode == 0, result.stdout[-3000:]
    reported = json.loads((tmp_path / "results.json").read_text())["target"]["requests"]
    assert reported == seen  # preflight, checks, provisioning and SDK calls alike
    assert f"glue-conformance: {seen} requests sent" in result.stdout


def _arrivals(server: ReferenceServer) -> list[float]:
    """When each request reached the server (monotonic seconds), whoever sent it."""
    times: list[float] = []
    handle = server.app.handle

    def timed(headers: Any, body: bytes) -> Any:
        times.append(time.monotonic())
        return handle(headers, body)

    server.app.handle = timed  # type: ignore[method-assign]
    return times


JITTER_S = 0.1


@pytest.mark.parametrize("workers", ["0", "2"])
def test_max_rps_bounds_every_request_of_the_run(workers):
    """--glue-max-rps holds for the whole run: raw checks, provisioning and SDK calls, all
    workers."""
    rate = 80.0  # (the suite sends some 1,000 requests: 12 s at this rate)
    with ReferenceServer(stage_seconds=0.05) as server:
        times = _arrivals(server)
        result = run_suite(
            "--target-url", server.url, "--glue-max-rps", str(rate), "-n", workers, timeout=300
        )
    assert result.returncode == 0, result.stdout[-3000:]
    times.sort()
    assert len(times) > 100
    busiest = max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))
    # A request leaves at its slot (1/rate apart) but may reach the server up to JITTER_S later
    # on a busy machine (its thread waits for the GIL, or for a core), so a second of arrivals
    # may hold the slots of 1 + JITTER_S seconds: 84 at 80 was seen under three xdist workers.
    most = rate * (1 + JITTER_S) + 1
    assert busiest <= most, f"{busiest} requests in one second with --glue-max-rps {rate:g}"
    assert times[-1] - times[0] >= (len(times) - 1) / rate * 0.9


@pytest.mark.parametrize("fault", ["timestamps-in-millis", "listing-timestamps-strings"])
def test_garbage_timestamps_are_deviations_and_the_cleanup_still_deletes_everything(fault):
    """Epoch milliseconds (botocore's parser raises 'year 58895 is out of range') or strings in
    GetJobRuns: the rules they break fail, nothing crashes (no traceback, no Hypothesis
    FlakyStrategyDefinition), and every job the run created is deleted."""
    with ReferenceServer(faults=frozenset({fault}), stage_seconds=0.02) as server:
        result = run_suite("--target-url", server.url, "-rf", timeout=300)
        left = sorted(server.app.jobs)
    assert result.returncode == 1, result.stdout[-3000:]
    broken = "sdk.response.parses" if fault == "timestamps-in-millis" else "epoch-number"
    assert broken in result.stdout  # the SDK's ValueError is that rule's deviation, in its words
    for crash in ("Traceback", "FlakyStrategyDefinition", "INTERNALERROR"):
        assert crash not in result.stdout + result.stderr, crash
    assert "could not delete" not in result.stdout
    assert left == []
