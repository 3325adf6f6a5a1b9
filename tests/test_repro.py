"""Every printed reproduction runs: each kind of curl and boto3 line the suite prints is executed
against the reference endpoint and must get the recorded answer's status and error type."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.credentials import Credentials

from glue_conformance import repro
from glue_conformance.awsjson import error_info
from glue_conformance.reference import ReferenceServer
from glue_conformance.transport import Exchange, Transport
from tests.children import child

pytestmark = pytest.mark.slow  # each test starts processes (tests/conftest.py)

KINDS: dict[str, tuple[Any, dict[str, Any]]] = {
    "not-found": ({"JobName": "absent-job", "RunId": "jr_absent"}, {}),
    "too-long": ({"JobName": "a" * 256, "RunId": "jr_absent"}, {}),
    "lone-surrogate": (b'{"JobName": "job\\ud800", "RunId": "jr_absent"}', {}),
    "malformed-json": (b'{"JobName": ', {}),
    "unknown-operation": ({"JobName": "j", "RunId": "r"}, {"target_header": "AWSGlue.GetJobRunz"}),
    "unsigned": ({"JobName": "j", "RunId": "r"}, {"sign": False}),
    "wrong-type": ({"JobName": ["job"], "RunId": "jr_absent"}, {}),
    # Bytes an argument cannot carry: the curl line must send them raw, not their escapes.
    "invalid-utf8": (b'{"JobName": "j\xff", "RunId": "jr_absent"}', {}),
    "control-byte": (b'{"JobName": "j\x00\x1f", "RunId": "jr_absent"}', {}),
    # Python's json reads NaN: the boto3 line must write it as a float, never `nan`.
    "non-finite": (b'{"JobName": "absent-job", "RunId": NaN}', {}),
    # Over 400 bytes: the curl line rebuilds the body with python3 (`"a"*600`).
    "long-body": ({"JobName": "a" * 600, "RunId": "jr_absent"}, {}),
}
# What boto3 cannot send: the curl line is their reproduction.
NO_BOTO3 = ("malformed-json", "unknown-operation", "unsigned", "invalid-utf8", "control-byte")


@pytest.fixture(scope="module")
def recorded() -> Iterator[dict[str, Exchange]]:
    with ReferenceServer(faults=frozenset(), variants=frozenset()) as server:
        transport = Transport(
            server.url, region="us-east-1", credentials=Credentials("testing", "testing")
        )
        yield {name: transport.send(body, **extra) for name, (body, extra) in KINDS.items()}
        transport.close()


def _answer_of_curl(output: str) -> tuple[int, str | None]:
    head, _, body = output.replace("\r\n", "\n").partition("\n\n")
    status = int(head.split()[1])
    try:
        found = json.loads(body).get("__type")
    except ValueError:
        found = None
    return status, found.rsplit("#", 1)[-1] if found else None


@pytest.mark.skipif(shutil.which("curl") is None, reason="no curl here (.ci/run installs it)")
@pytest.mark.parametrize("shell", ["sh", "bash"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_curl_line_reproduces(kind, shell, recorded):
    """In POSIX sh (dash here) and bash: a user pastes the line into either."""
    if shutil.which(shell) is None:
        pytest.skip(f"no {shell} here")
    exchange = recorded[kind]
    line = repro.curl(exchange.request, region="us-east-1", aws=False)
    assert "\n" not in line
    done = subprocess.run([shell, "-c", line], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert _answer_of_curl(done.stdout) == (exchange.status, error_info(exchange).type)


@pytest.mark.skipif(shutil.which("curl") is None, reason="no curl here (.ci/run installs it)")
@pytest.mark.parametrize("kind", ["invalid-utf8", "control-byte", "non-finite"])
def test_the_curl_line_sends_the_very_bytes(kind, recorded):
    """The answers above could agree by chance (two malformed bodies, one error type): what
    curl sends is the suite's body, byte for byte (curl --trace-ascii would not show it)."""
    sent = recorded[kind].request
    line = repro.curl(sent, region="us-east-1", aws=False)
    head, pipe, _ = line.partition(" | curl ")
    if pipe:  # printf ... | curl ...: the bytes printf writes are the body
        written = subprocess.run(["sh", "-c", head], capture_output=True, timeout=30).stdout
    else:
        written = shlex.split(line)[-1].encode()
    assert written == sent.body


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_boto3_line_reproduces_or_is_not_printed(kind, recorded):
    exchange = recorded[kind]
    line = repro.boto3_call(exchange.request, region="us-east-1", aws=False)
    if kind in NO_BOTO3:
        assert line is None  # boto3 cannot send these: the curl line is the reproduction
        return
    assert line is not None
    assert line.startswith("python3 -c ")
    command = line.replace("python3", f"'{sys.executable}'", 1)
    done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60)
    expected = error_info(exchange).type
    if expected is None:
        assert done.returncode == 0, done.stderr
        return
    assert done.returncode != 0
    code = re.search(r"An error occurred \((\w+)\)", done.stderr)
    assert code is not None, done.stderr[-1000:]
    assert code.group(1) == expected


FAULT = ("--fault", "validation-500")  # its deviations have requests boto3 can send too


def _lines(output: str, label: str) -> list[str]:
    """The printed lines after `label` (as `reproduce:`), as printed."""
    return [line.split(label, 1)[1].strip() for line in output.splitlines() if label in line]


def _sh(line: str) -> subprocess.CompletedProcess[str]:
    line = line.replace("python3 -c ", f"'{sys.executable}' -c ", 1)
    return subprocess.run(["sh", "-c", line], capture_output=True, text=True, timeout=60)


@pytest.mark.slow(seconds=25)
@pytest.mark.skipif(shutil.which("curl") is None, reason="no curl here (.ci/run installs it)")
def test_every_kind_of_printed_line_runs(tmp_path):
    """What a run prints, run as printed against a live reference endpoint: `reproduce:` (curl),
    `boto3:`, `replay:` (the suite again, with the printed selection), and with
    --glue-keep-resources the jobs it kept (still there) and the line that deletes them."""
    import boto3
    from botocore.config import Config

    from tests.test_plugin_run import ROOT, run_suite

    with child(
        [sys.executable, "-m", "glue_conformance.reference", "--port", "0", *FAULT],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ) as server:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        chosen = ["--target-url", url, "--glue-baseline", "none", "--glue-keep-resources"]
        done = run_suite(*chosen, "-k", "validation or lifecycle.runs-newest-first")
        assert done.returncode == 1, done.stdout[-2000:]
        curl, boto3_line = _lines(done.stdout, "reproduce:")[0], _lines(done.stdout, "boto3:")[0]
        assert curl.startswith("curl ")
        assert url in curl
        answer = _sh(curl)
        assert answer.returncode == 0, answer.stderr
        assert answer.stdout.startswith("HTTP/1.1 500"), answer.stdout[:300]
        called = _sh(boto3_line)
        assert "(ValidationException)" in called.stderr, called.stderr[-1000:]

        (replay,) = set(_lines(done.stdout, "replay:"))
        assert replay.startswith("the same command with -k ")
        select = shlex.split(replay.removeprefix("the same command with ").split(" (")[0])
        again = run_suite(*chosen, *select)
        assert again.returncode == 1, again.stdout[-2000:]
        assert "validation.property.invalid-requests" in again.stdout

        (kept,) = _lines(done.stdout, "(--glue-keep-resources), their runs stopped:")
        names = kept.split(", ")
        assert names
        assert all(name.startswith("glue-conformance-") for name in names)
        client = boto3.client(
            "glue",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"max_attempts": 1}),
        )
        for name in names:  # (the reference serves no GetJob: a job's listing says it exists)
            client.get_job_runs(JobName=name)
        (delete, *_) = _lines(done.stdout, "delete them with:")
        deleted = _sh(delete)
        assert deleted.returncode == 0, deleted.stderr
        for name in names:
            with pytest.raises(client.exceptions.EntityNotFoundException):
                client.get_job_runs(JobName=name)


@pytest.mark.skipif(shutil.which("curl") is None, reason="no curl here (.ci/run installs it)")
def test_the_serve_line_brings_an_embedded_target_back_for_its_reproductions():
    """The port of an embedded target closed with the run; the `serve:` line beside the
    reproductions starts the same endpoint there again, and the curl line then gets its answer."""
    from tests.test_plugin_run import ROOT, run_suite

    done = run_suite(
        "--glue-target",
        "reference",
        "--glue-reference-fault",
        "validation-500",
        "-k",
        "validation",
    )
    assert done.returncode == 1, done.stdout[-2000:]
    (serve,) = set(_lines(done.stdout, "serve:"))
    assert serve.startswith("the embedded reference endpoint stopped with the run; first: ")
    command = shlex.split(serve.split("first: ", 1)[1])
    assert command[:3] == ["python", "-m", "glue_conformance.reference"]
    curl = _lines(done.stdout, "reproduce:")[0]
    with child(
        [sys.executable, *command[1:]], stdout=subprocess.PIPE, text=True, cwd=ROOT
    ) as server:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url in curl
        answer = _sh(curl)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.startswith("HTTP/1.1 500"), answer.stdout[:300]
