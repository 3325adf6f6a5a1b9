"""Every printed reproduction runs: each kind of curl and boto3 line the suite prints is executed
against the reference endpoint and must get the recorded answer's status and error type."""

from __future__ import annotations

import json
import re
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

pytestmark = pytest.mark.slow  # each test starts processes (tests/conftest.py)

KINDS: dict[str, tuple[Any, dict[str, Any]]] = {
    "not-found": ({"JobName": "absent-job", "RunId": "jr_absent"}, {}),
    "too-long": ({"JobName": "a" * 256, "RunId": "jr_absent"}, {}),
    "lone-surrogate": (b'{"JobName": "job\\ud800", "RunId": "jr_absent"}', {}),
    "malformed-json": (b'{"JobName": ', {}),
    "unknown-operation": ({"JobName": "j", "RunId": "r"}, {"target_header": "AWSGlue.GetJobRunz"}),
    "unsigned": ({"JobName": "j", "RunId": "r"}, {"sign": False}),
    "wrong-type": ({"JobName": ["job"], "RunId": "jr_absent"}, {}),
}


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
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_curl_line_reproduces(kind, recorded):
    exchange = recorded[kind]
    line = repro.curl(exchange.request, region="us-east-1", aws=False)
    done = subprocess.run(line, shell=True, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert _answer_of_curl(done.stdout) == (exchange.status, error_info(exchange).type)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_boto3_line_reproduces_or_is_not_printed(kind, recorded):
    exchange = recorded[kind]
    line = repro.boto3_call(exchange.request, region="us-east-1", aws=False)
    if kind in ("malformed-json", "unknown-operation", "unsigned"):
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
