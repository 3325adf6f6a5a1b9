"""The reference endpoint answers as the evidence says AWS does, and each switch changes one thing.

Every request goes over real HTTP, signed by botocore's SigV4 signer, so these tests exercise the
same wire the suite will. Faults and variants are each compared with the clean server on one
small probe: the clean answer is what AWS does, the switched answer is the intended departure.
"""

from __future__ import annotations

import ast
import contextlib
import json
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import urllib3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from glue_conformance import schemas
from glue_conformance.reference import FAULTS, VARIANTS, ReferenceServer
from glue_conformance.rules import RULES
from glue_conformance.schemas.model import load

STAGE = 0.05
NAME_PATTERN = load("glue").shape("NameString")["pattern"]
JOB_RUN_MEMBERS = [
    "Id",
    "Attempt",
    "JobName",
    "StartedOn",
    "LastModifiedOn",
    "CompletedOn",
    "JobRunState",
    "Arguments",
    "PredecessorRuns",
    "AllocatedCapacity",
    "ExecutionTime",
    "Timeout",
    "MaxCapacity",
    "WorkerType",
    "NumberOfWorkers",
    "LogGroupName",
    "GlueVersion",
    "JobMode",
    "ExecutionClass",
]
SIGNER = SigV4Auth(Credentials("testing", "testing"), "glue", "us-east-1")
POOL = urllib3.PoolManager(retries=False, timeout=10.0)


# --- a tiny client ---------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: urllib3.HTTPHeaderDict
    body: bytes
    elapsed: float

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def raw_type(self) -> str | None:
        header = self.headers.get("X-Amzn-ErrorType")
        if header:
            return header
        try:
            body = self.json
        except ValueError:
            return None
        return body.get("code") or body.get("__type")

    @property
    def type(self) -> str | None:
        """The error type as smithy clients resolve it: before ':' and after '#'."""
        raw = self.raw_type
        return raw.split(":")[0].rsplit("#", 1)[-1] if raw else None

    @property
    def message(self) -> str | None:
        body = self.json
        return body.get("message", body.get("Message"))


class Client:
    def __init__(self, url: str) -> None:
        self.url = url

    def send(
        self,
        operation: str | None,
        body: Any,
        *,
        sign: bool = True,
        target: str | None = None,
    ) -> Reply:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/x-amz-json-1.1"}
        if target is not None or operation is not None:
            headers["X-Amz-Target"] = target or f"AWSGlue.{operation}"
        request = AWSRequest("POST", self.url + "/", data=data, headers=headers)
        if sign:
            SIGNER.add_auth(request)
        started = time.monotonic()
        response = POOL.request("POST", self.url + "/", body=data, headers=dict(request.headers))
        return Reply(response.status, response.headers, response.data, time.monotonic() - started)

    def ok(self, operation: str, body: Any) -> Any:
        reply = self.send(operation, body)
        assert reply.status == 200, reply.body
        return reply.json

    def job(self, arguments: dict[str, str] | None = None) -> tuple[str, str]:
        """A fresh job with one run started: (job name, run id)."""
        name = f"job-{uuid.uuid4().hex[:12]}"
        self.ok("CreateJob", {"Name": name, "Role": "role", "Command": {"Name": "glueetl"}})
        start: dict[str, Any] = {"JobName": name}
        if arguments is not None:
            start["Arguments"] = arguments
        return name, self.ok("StartJobRun", start)["JobRunId"]

    def run(self, name: str, run_id: str) -> dict[str, Any]:
        return self.ok("GetJobRun", {"JobName": name, "RunId": run_id})["JobRun"]

    def until_terminal(self, name: str, run_id: str) -> list[dict[str, Any]]:
        """Every JobRun seen while polling, up to and including the first terminal one."""
        seen = []
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            seen.append(self.run(name, run_id))
            if seen[-1]["JobRunState"] in {"SUCCEEDED", "FAILED", "STOPPED", "COMPLETED"}:
                return seen
            time.sleep(STAGE / 5)
        raise AssertionError(f"never terminal: {seen[-1]}")

    def finished(self, arguments: dict[str, str] | None = None) -> dict[str, Any]:
        return self.until_terminal(*self.job(arguments))[-1]

    def get_job_run(self, job_name: Any = "no-such-job", run_id: Any = "jr_1") -> Reply:
        return self.send("GetJobRun", {"JobName": job_name, "RunId": run_id})


@pytest.fixture(scope="module")
def server() -> Iterator[ReferenceServer]:
    with ReferenceServer(stage_seconds=STAGE) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: ReferenceServer) -> Client:
    return Client(server.url)


@contextlib.contextmanager
def _switched(**switches: frozenset[str]) -> Iterator[Client]:
    with ReferenceServer(stage_seconds=STAGE, **switches) as running:
        yield Client(running.url)


# --- operations ------------------------------------------------------------------------------


def test_create_start_get_happy_path(client: Client) -> None:
    name, run_id = client.job({"--day": "2024-01-01", "--mode": "full"})
    assert re.fullmatch(r"jr_[0-9a-f]{64}", run_id)
    reply = client.send("GetJobRun", {"JobName": name, "RunId": run_id})
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/x-amz-json-1.1"
    uuid.UUID(reply.headers["x-amzn-RequestId"], version=4)
    run = reply.json["JobRun"]
    assert list(run) == [m for m in JOB_RUN_MEMBERS if m != "CompletedOn"]
    assert run["Id"] == run_id
    assert run["JobName"] == name
    assert run["JobRunState"] == "STARTING"
    assert run["Attempt"] == 0
    assert run["Arguments"] == {"--day": "2024-01-01", "--mode": "full"}
    assert run["PredecessorRuns"] == []
    assert run["StartedOn"] == run["LastModifiedOn"]
    assert isinstance(run["StartedOn"], float)
    assert abs(run["StartedOn"] - time.time()) < 5
    assert round(run["StartedOn"], 3) == run["StartedOn"]
    # A job that sets no GlueVersion is Glue 5.1 (botocore's Job.GlueVersion), whose default
    # Timeout is 480 (the model's text; evidence section 12).
    assert (run["AllocatedCapacity"], run["Timeout"], run["MaxCapacity"]) == (10, 480, 10.0)
    assert (run["WorkerType"], run["NumberOfWorkers"], run["GlueVersion"]) == ("G.1X", 10, "5.1")
    assert "PreviousRunId" not in run
    assert (run["JobMode"], run["ExecutionClass"]) == ("SCRIPT", "STANDARD")
    assert run["LogGroupName"] == "/aws-glue/jobs"
    assert type(run["ExecutionTime"]) is int


def test_get_job_run_with_predecessors_included(client: Client) -> None:
    name, run_id = client.job()
    body = {"JobName": name, "RunId": run_id, "PredecessorsIncluded": True}
    assert client.ok("GetJobRun", body)["JobRun"]["PredecessorRuns"] == []


def test_arguments_are_absent_when_none_were_given(client: Client) -> None:
    """Evidence section 13: three captures of a bare StartJobRun show no Arguments key."""
    assert "Arguments" not in client.run(*client.job())


def _job(c: Client, **job: Any) -> str:
    name = f"job-{uuid.uuid4().hex[:12]}"
    c.ok("CreateJob", {"Name": name, "Role": "role", "Command": {"Name": "glueetl"}, **job})
    return name


def _start(c: Client, name: str, **start: Any) -> str:
    return str(c.ok("StartJobRun", {"JobName": name, **start})["JobRunId"])


SETTINGS = {"GlueVersion": "4.0", "WorkerType": "G.1X", "NumberOfWorkers": 2, "Timeout": 15}


def test_a_run_reports_its_job_and_its_own_settings(client: Client) -> None:
    name = _job(client, DefaultArguments={"--d": "job"}, **SETTINGS)
    bare = client.run(name, _start(client, name))
    assert {k: bare[k] for k in SETTINGS} == SETTINGS
    assert "Arguments" not in bare
    own = {"Timeout": 30, "WorkerType": "G.2X", "NumberOfWorkers": 3}
    run_id = _start(client, name, Arguments={"--r": "run"}, JobRunId=bare["Id"], **own)
    run = client.run(name, run_id)
    assert {k: run[k] for k in own} == own
    assert run["GlueVersion"] == "4.0"
    assert run["Arguments"] == {"--r": "run"}
    assert (run["Attempt"], run["PreviousRunId"]) == (0, bare["Id"])
    assert "Arguments" not in client.run(name, bare["Id"])  # an older run keeps its own


def test_timeout_defaults_by_glue_version(client: Client) -> None:
    for version, timeout in (("4.0", 2880), ("2.0", 2880), ("5.0", 480)):
        name = _job(client, GlueVersion=version)
        assert client.run(name, _start(client, name))["Timeout"] == timeout


def test_a_run_is_found_only_under_its_own_job_and_exact_id(client: Client) -> None:
    name, run_id = client.job()
    other = _job(client)
    for job, asked in ((other, run_id), (name, run_id.upper()), (name, f" {run_id}")):
        assert client.get_job_run(job, asked).type == "EntityNotFoundException"


def test_get_job_runs_max_results_outside_1_to_200_is_a_validation_error(client: Client) -> None:
    name, _ = client.job()
    for size, phrase in ((0, "greater than or equal to 1"), (201, "less than or equal to 200")):
        reply = client.send("GetJobRuns", {"JobName": name, "MaxResults": size})
        assert (reply.status, reply.type) == (400, "ValidationException")
        assert f"at 'maxResults' failed to satisfy constraint: Member must have value {phrase}" in (
            reply.message or ""
        )


@pytest.mark.parametrize("target", ["Foo.GetJobRun", "GetJobRun", "AWSGlue.getJobRun"])
def test_a_malformed_target_is_an_unknown_operation(client: Client, target: str) -> None:
    name, run_id = client.job()
    reply = client.send(None, {"JobName": name, "RunId": run_id}, target=target)
    assert (reply.status, reply.type) == (400, "UnknownOperationException")


def test_combining_sequences_count_in_code_points(client: Client) -> None:
    assert client.get_job_run("e\u0301" * 127 + "e").type == "EntityNotFoundException"
    assert client.get_job_run("e\u0301" * 128).type == "ValidationException"


def test_create_job_twice_is_already_exists(client: Client) -> None:
    name, _ = client.job()
    reply = client.send("CreateJob", {"Name": name, "Role": "r", "Command": {}})
    assert (reply.status, reply.type) == (400, "AlreadyExistsException")
    assert "Message" in reply.json


def test_create_job_requires_role_and_command(client: Client) -> None:
    reply = client.send("CreateJob", {"Name": "x"})
    assert reply.type == "ValidationException"
    assert reply.message == (
        "2 validation errors detected: "
        "Value null at 'role' failed to satisfy constraint: Member must not be null; "
        "Value null at 'command' failed to satisfy constraint: Member must not be null"
    )


def test_delete_job_forgets_its_runs_and_unknown_delete_succeeds(client: Client) -> None:
    name, run_id = client.job()
    assert client.ok("DeleteJob", {"JobName": name}) == {"JobName": name}
    assert client.ok("DeleteJob", {"JobName": name}) == {"JobName": name}
    reply = client.get_job_run(name, run_id)
    assert (reply.status, reply.type) == (400, "EntityNotFoundException")


def test_start_job_run_for_unknown_job(client: Client) -> None:
    reply = client.send("StartJobRun", {"JobName": "never-created"})
    assert (reply.status, reply.type) == (400, "EntityNotFoundException")
    assert reply.json == {
        "__type": "EntityNotFoundException",
        "Message": "Job with name: never-created not found.",
    }


def test_get_job_run_unknown_job_and_unknown_run(client: Client) -> None:
    reply = client.get_job_run("never-created", "jr_1")
    assert (reply.status, reply.message) == (400, "Job with name: never-created not found.")
    name, _ = client.job()
    reply = client.get_job_run(name, "jr_nope")
    assert (reply.status, reply.type) == (400, "EntityNotFoundException")
    assert reply.json["Message"] == "Job run jr_nope not found."


def test_get_job_runs_newest_first_and_paginated(client: Client) -> None:
    name, first = client.job()
    second = client.ok("StartJobRun", {"JobName": name})["JobRunId"]
    third = client.ok("StartJobRun", {"JobName": name})["JobRunId"]
    runs = client.ok("GetJobRuns", {"JobName": name})
    assert [run["Id"] for run in runs["JobRuns"]] == [third, second, first]
    assert "NextToken" not in runs
    page = client.ok("GetJobRuns", {"JobName": name, "MaxResults": 2})
    assert [run["Id"] for run in page["JobRuns"]] == [third, second]
    rest = client.ok("GetJobRuns", {"JobName": name, "NextToken": page["NextToken"]})
    assert [run["Id"] for run in rest["JobRuns"]] == [first]
    bad = client.send("GetJobRuns", {"JobName": name, "NextToken": "garbage"})
    assert bad.type == "InvalidInputException"
    assert client.send("GetJobRuns", {"JobName": "nope"}).type == "EntityNotFoundException"


def test_batch_stop_job_run(client: Client) -> None:
    name, run_id = client.job()
    answer = client.ok("BatchStopJobRun", {"JobName": name, "JobRunIds": [run_id, "jr_missing"]})
    assert answer["SuccessfulSubmissions"] == [{"JobName": name, "JobRunId": run_id}]
    [error] = answer["Errors"]
    assert error["JobRunId"] == "jr_missing"
    assert error["ErrorDetail"]["ErrorCode"] == "EntityNotFoundException"
    assert client.run(name, run_id)["JobRunState"] == "STOPPING"
    seen = client.until_terminal(name, run_id)
    assert seen[-1]["JobRunState"] == "STOPPED"
    assert seen[-1]["CompletedOn"] == seen[-1]["LastModifiedOn"]
    # A terminal run stays put, and a second stop is refused rather than obeyed.
    again = client.ok("BatchStopJobRun", {"JobName": name, "JobRunIds": [run_id]})
    assert again["SuccessfulSubmissions"] == []
    assert again["Errors"][0]["ErrorDetail"]["ErrorCode"] == "InvalidInputException"
    time.sleep(STAGE * 2)
    assert client.run(name, run_id)["JobRunState"] == "STOPPED"


def test_life_cycle_is_time_driven_and_monotonic(client: Client) -> None:
    name, run_id = client.job()
    seen, asked = [], []
    while not seen or seen[-1]["JobRunState"] != "SUCCEEDED":
        assert len(seen) < 500, seen[-1]
        before = time.time()
        seen.append(client.run(name, run_id))
        asked.append((before, time.time()))
        time.sleep(STAGE / 5)
    states = [run["JobRunState"] for run in seen]
    assert states[0] == "STARTING"
    assert states == sorted(states, key=["STARTING", "RUNNING", "SUCCEEDED"].index)
    # By the clock: every poll answered wholly inside the RUNNING stage saw RUNNING (a stalled
    # machine may skip the stage between two polls; the clock says when that happened).
    started = seen[0]["StartedOn"]
    inside = [
        run["JobRunState"]
        for run, (sent, answered) in zip(seen, asked, strict=True)
        if started + STAGE + 0.005 < sent and answered < started + 2 * STAGE - 0.005
    ]
    assert set(inside) <= {"RUNNING"}, inside
    assert len({run["StartedOn"] for run in seen}) == 1
    modified = [run["LastModifiedOn"] for run in seen]
    assert modified == sorted(modified)
    assert all("CompletedOn" not in run for run in seen[:-1])
    final = seen[-1]
    assert final["CompletedOn"] == final["LastModifiedOn"]
    assert final["CompletedOn"] == pytest.approx(final["StartedOn"] + 2 * STAGE, abs=0.002)
    time.sleep(STAGE * 2)
    assert client.run(name, run_id) == final


def test_stage_seconds_0_moves_a_run_one_state_per_poll() -> None:
    """Like moto with its state manager set to manual: polling alone moves the run, so a poller
    need never sleep; a stop shows on the next poll; listing and waiting move nothing."""
    with ReferenceServer(stage_seconds=0) as running:
        client = Client(running.url)
        name, run_id = client.job()
        time.sleep(0.05)
        listed = client.ok("GetJobRuns", {"JobName": name})["JobRuns"]
        assert [run["JobRunState"] for run in listed] == ["STARTING"]
        seen = [client.run(name, run_id) for _ in range(4)]
        assert [run["JobRunState"] for run in seen] == [
            "STARTING",
            "RUNNING",
            "SUCCEEDED",
            "SUCCEEDED",
        ]
        # Each poll winds the run's own clock on by a millisecond: never ahead of the world's.
        later = round(seen[0]["StartedOn"] + 0.002, 3)
        assert seen[2]["CompletedOn"] == seen[2]["LastModifiedOn"] == later
        assert seen[2]["ExecutionTime"] == 0
        assert seen[3] == seen[2]

        name, run_id = client.job()
        assert client.run(name, run_id)["JobRunState"] == "STARTING"
        stop = client.ok("BatchStopJobRun", {"JobName": name, "JobRunIds": [run_id]})
        assert stop["SuccessfulSubmissions"] == [{"JobName": name, "JobRunId": run_id}]
        states = [client.run(name, run_id)["JobRunState"] for _ in range(3)]
        assert states == ["STOPPING", "STOPPED", "STOPPED"]


# --- validation ------------------------------------------------------------------------------


def test_single_validation_error_grammar(client: Client) -> None:
    reply = client.get_job_run("x" * 256, "jr_1")
    assert (reply.status, reply.type) == (400, "ValidationException")
    assert reply.headers["Content-Type"] == "application/x-amz-json-1.1"
    assert reply.json == {
        "__type": "ValidationException",
        "message": f"1 validation error detected: Value '{'x' * 256}' at 'jobName' failed to "
        "satisfy constraint: Member must have length less than or equal to 255",
    }


def test_two_validation_errors_and_null_member(client: Client) -> None:
    reply = client.send("GetJobRun", {"JobName": "", "RunId": None})
    assert reply.message == (
        "2 validation errors detected: "
        "Value '' at 'jobName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1; "
        "Value null at 'runId' failed to satisfy constraint: Member must not be null"
    )


def test_lone_surrogate_escape_fails_the_pattern(client: Client) -> None:
    reply = client.send("GetJobRun", b'{"JobName": "ok", "RunId": "jr_\\ud800"}')
    assert reply.status == 400
    assert reply.message == (
        "1 validation error detected: Value 'jr_\ud800' at 'runId' failed to satisfy "
        f"constraint: Member must satisfy regular expression pattern: {NAME_PATTERN}"
    )
    assert b"\\ud800" in reply.body  # echoed as the escape it came in as


def test_surrogate_pair_escapes_are_one_valid_code_point(client: Client) -> None:
    reply = client.send("GetJobRun", b'{"JobName": "\\ud83d\\ude00", "RunId": "r"}')
    assert reply.type == "EntityNotFoundException"


def test_length_and_pattern_both_reported(client: Client) -> None:
    reply = client.get_job_run("\ud800" * 256, "r")
    entries = reply.message.removeprefix("2 validation errors detected: ").split("; ")
    assert [entry.split("constraint: ")[1] for entry in entries] == [
        "Member must have length less than or equal to 255",
        f"Member must satisfy regular expression pattern: {NAME_PATTERN}",
    ]


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("x" * 255, "EntityNotFoundException"),
        ("a\tb", "EntityNotFoundException"),
        ("😀" * 255, "EntityNotFoundException"),
        ("job\n", "ValidationException"),
        ("\ud800", "ValidationException"),
        ("a\udc00b", "ValidationException"),
    ],
)
def test_name_constraints_at_the_edges(client: Client, value: str, error: str) -> None:
    assert client.get_job_run(value, "r").type == error


def test_integer_enum_and_list_constraints(client: Client) -> None:
    reply = client.send("GetJobRuns", {"JobName": "j", "MaxResults": 0})
    assert reply.message == (
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1"
    )
    reply = client.send("StartJobRun", {"JobName": "j", "ExecutionClass": "CHEAP"})
    assert reply.message.endswith("Member must satisfy enum value set: [FLEX, STANDARD]")
    reply = client.send("BatchStopJobRun", {"JobName": "j", "JobRunIds": []})
    assert reply.message == (
        "1 validation error detected: Value '[]' at 'jobRunIds' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    )
    reply = client.send("BatchStopJobRun", {"JobName": "j", "JobRunIds": ["ok", ""]})
    assert "at 'jobRunIds.2.member'" in reply.message


# --- serialization, auth, operations ---------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"[]",
        b'"JobName"',
        b'{"JobName": "j", "RunId": NaN}',
        b'{"JobName": "\xff\xfe", "RunId": "r"}',
        b'{"JobName": ["j"], "RunId": "r"}',
        b'{"JobName": {"a": 1}, "RunId": "r"}',
        b'{"JobName": 12, "RunId": "r"}',
        b'{"JobName": true, "RunId": "r"}',
        b'{"JobName": "j", "RunId": "r", "PredecessorsIncluded": "true"}',
        b'{"JobName": "j", "RunId": "r", "PredecessorsIncluded": 1}',
    ],
)
def test_serialization_errors(client: Client, body: bytes) -> None:
    reply = client.send("GetJobRun", body)
    assert (reply.status, reply.type) == (400, "SerializationException")
    assert set(reply.json) <= {"__type", "message"}


@pytest.mark.parametrize(
    "body",
    [
        b'{"JobName": "j"',
        b'{"JobName": "j"}}',
        b'{"JobName": "j"} x',
        b" ",
        b"null",
        b'{"JobName": -Infinity}',
        b'{"JobName": "j", "MaxResults": "5"}',
        b'{"JobName": "j", "MaxResults": "ten"}',
        b'{"JobName": "j", "MaxResults": 1.5}',
        b'{"JobName": "j", "MaxResults": true}',
        b'{"JobName": "j", "MaxResults": [1]}',
        b'{"JobName": "j", "NextToken": 5}',
        b'{"JobName": "j", "NextToken": {}}',
    ],
)
def test_get_job_runs_serialization_errors(client: Client, body: bytes) -> None:
    """The faithful reader is strict everywhere, on every operation: what evidence 9 leaves open
    (a numeric string for an integer) is refused here and tolerated by the checks."""
    reply = client.send("GetJobRuns", body)
    assert (reply.status, reply.type) == (400, "SerializationException")


def test_unknown_members_are_ignored(client: Client) -> None:
    reply = client.send("GetJobRun", {"JobName": "j", "RunId": "r", "Surprise": [1]})
    assert reply.type == "EntityNotFoundException"


@pytest.mark.parametrize("sign", [False, "garbage"])
def test_missing_authentication(server: ReferenceServer, sign: object) -> None:
    headers = {"X-Amz-Target": "AWSGlue.GetJobRun"}
    if sign:
        headers["Authorization"] = "Bearer nothing"
    response = POOL.request("POST", server.url + "/", body=b"{}", headers=headers)
    assert response.status == 400
    assert json.loads(response.data) == {
        "__type": "MissingAuthenticationTokenException",
        "message": "Missing Authentication Token",
    }


@pytest.mark.parametrize("target", [None, "AWSGlue.Frobnicate", "DynamoDB_20120810.GetItem", ""])
def test_unknown_operation(client: Client, target: str | None) -> None:
    reply = client.send(None, {}, target=target)
    assert (reply.status, reply.type) == (400, "UnknownOperationException")


def test_keep_alive_and_content_length(server: ReferenceServer) -> None:
    pool = urllib3.HTTPConnectionPool("127.0.0.1", int(server.url.rsplit(":", 1)[1]), maxsize=1)
    for _ in range(3):
        response = pool.request("GET", "/")
        assert response.headers["Content-Length"] == str(len(response.data))
        assert response.headers.get("Connection", "").lower() != "close"
    assert pool.num_connections == 1


def test_unknown_switch_names_are_refused() -> None:
    with pytest.raises(ValueError, match=r"valid faults: .*no-length-check"):
        ReferenceServer(faults=frozenset({"no-such-fault"}))
    with pytest.raises(ValueError, match=r"valid variants: .*slow"):
        ReferenceServer(variants=frozenset({"fast"}))


def test_stop_closes_kept_alive_connections() -> None:
    server = ReferenceServer().start()
    client = Client(server.url)
    assert client.get_job_run().status == 400
    server.stop()
    with pytest.raises(urllib3.exceptions.HTTPError):
        client.get_job_run()
    server.stop()  # idempotent


def test_command_line_serves_until_interrupted() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "glue_conformance.reference", "--port", "0", "--fault", "wrong-id"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[1],
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        assert Client(url).get_job_run().type == "EntityNotFoundException"
    finally:
        process.send_signal(2)  # SIGINT, as Ctrl-C
        assert process.wait(timeout=10) == 0


def test_reference_shares_the_model_never_the_verdicts() -> None:
    package = Path(__file__).parents[1] / "conformance" / "reference"
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                assert not name.startswith(
                    ("glue_conformance.checks", "glue_conformance.strategies", "tests")
                ), source


# --- the catalogue ---------------------------------------------------------------------------


def test_catalogue_is_well_formed() -> None:
    for name, fault in FAULTS.items():
        assert name == fault.name
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
        assert fault.kills, name
        assert set(fault.kills) <= set(RULES), (name, set(fault.kills) - set(RULES))
        strict = [rule for rule in fault.kills if RULES[rule].strictness == "strict"]
        assert strict, f"{name} is only killed by tolerant rules, which never fail"
    for name, variant in VARIANTS.items():
        assert name == variant.name
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
    assert not set(FAULTS) & set(VARIANTS)


# --- every fault and variant changes one thing -----------------------------------------------

Probe = Callable[[Client], Any]


def _type_for_name(value: Any, run_id: Any = "r") -> Probe:
    return lambda c: c.get_job_run(value, run_id).type


def _timestamp_kind(c: Client) -> str:
    value = c.run(*c.job())["StartedOn"]
    if isinstance(value, str):
        return "iso" if "T" in value else "numeric-string"
    if value > 1e11:
        return "millis"
    return type(value).__name__


def _states_after_terminal(c: Client) -> tuple[str, ...]:
    name, run_id = c.job()
    c.until_terminal(name, run_id)
    return tuple(c.run(name, run_id)["JobRunState"] for _ in range(3))


def _last_modified_monotonic(c: Client) -> bool:
    name, run_id = c.job()
    seen = [c.run(name, run_id)["LastModifiedOn"] for _ in range(4)]
    return seen == sorted(seen)


def _started_on_constant(c: Client) -> bool:
    name, run_id = c.job()
    return len({run["StartedOn"] for run in c.until_terminal(name, run_id)}) == 1


def _invalid_message(c: Client) -> str:
    return c.get_job_run("x" * 256, "r").message or ""


def _type_of_boolean_string(c: Client) -> str | None:
    body = {"JobName": "j", "RunId": "r", "PredecessorsIncluded": "yes"}
    return c.send("GetJobRun", body).type


def _content_type(reply: Reply) -> str:
    return str(reply.headers["Content-Type"])


def _unsigned_type(c: Client) -> str | None:
    return c.send("GetJobRun", {"JobName": "j", "RunId": "r"}, sign=False).type


def _transport_outcome(job_name: str) -> Probe:
    """What arrives for one GetJobRun: the error type, or how the exchange broke."""

    def probe(c: Client) -> str:
        pool = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=2, read=1))
        body = json.dumps({"JobName": job_name, "RunId": "r"}).encode()
        request = AWSRequest("POST", c.url + "/", data=body, headers={"X-Amz-Target": TARGET})
        SIGNER.add_auth(request)
        try:
            response = pool.request("POST", c.url + "/", body=body, headers=dict(request.headers))
        except urllib3.exceptions.HTTPError as error:
            return type(error).__name__
        if len(response.data) > 4 * 1024 * 1024:
            return "oversized"
        try:
            return str(json.loads(response.data)["__type"])
        except ValueError:
            return "not JSON"

    return probe


def _meaning_job(c: Client) -> tuple[str, str]:
    name = _job(c, DefaultArguments={"--d": "job"}, **SETTINGS)
    return name, _start(c, name)


def _run_of_meaning_job(c: Client, **start: Any) -> dict[str, Any]:
    name, _ = _meaning_job(c)
    return c.run(name, _start(c, name, **start))


def _listed_gluev(c: Client) -> tuple[str, str]:
    name, run_id = _meaning_job(c)
    listed = c.ok("GetJobRuns", {"JobName": name})["JobRuns"][0]["GlueVersion"]
    return listed, c.run(name, run_id)["GlueVersion"]


def _listed_order(c: Client) -> bool:
    name, first = _meaning_job(c)
    time.sleep(0.01)
    second = _start(c, name)
    return [r["Id"] for r in c.ok("GetJobRuns", {"JobName": name})["JobRuns"]] == [second, first]


def _page(c: Client) -> tuple[int, bool]:
    name, _ = _meaning_job(c)
    _start(c, name)
    page = c.ok("GetJobRuns", {"JobName": name, "MaxResults": 1})
    return len(page["JobRuns"]), "NextToken" in page


def _stopped(c: Client, arguments: dict[str, str] | None = None) -> dict[str, Any]:
    """A run of a fresh job, stopped at once and polled to its end: its last JobRun."""
    name, run_id = c.job(arguments)
    c.ok("BatchStopJobRun", {"JobName": name, "JobRunIds": [run_id]})
    return c.until_terminal(name, run_id)[-1]


def _sibling_after_stop(c: Client) -> str:
    name, stopped = c.job()
    sibling = _start(c, name)
    c.ok("BatchStopJobRun", {"JobName": name, "JobRunIds": [stopped]})
    return str(c.until_terminal(name, sibling)[-1]["JobRunState"])


def _listed_job_names(c: Client) -> list[str]:
    name, _ = c.job()
    c.job()  # another job, another run
    return sorted({r["JobName"] == name for r in c.ok("GetJobRuns", {"JobName": name})["JobRuns"]})


def _listed_and_got(c: Client, member: str, **start: Any) -> tuple[Any, Any]:
    name, _ = _meaning_job(c)
    run_id = _start(c, name, **start)
    listed = next(r for r in c.ok("GetJobRuns", {"JobName": name})["JobRuns"] if r["Id"] == run_id)
    return listed.get(member), c.run(name, run_id).get(member)


def _listed_state(c: Client) -> str:
    name, run_id = c.job()
    c.until_terminal(name, run_id)
    return str(c.ok("GetJobRuns", {"JobName": name})["JobRuns"][0]["JobRunState"])


def _listed_in_pages(c: Client, size: int | None) -> tuple[int, int]:
    """(runs listed over every page, pages) for a job of three runs."""
    name, _ = c.job()
    _start(c, name)
    _start(c, name)
    body: dict[str, Any] = {"JobName": name, **({"MaxResults": size} if size else {})}
    ids: list[str] = []
    for pages in range(1, 10):
        page = c.ok("GetJobRuns", body)
        ids += [r["Id"] for r in page["JobRuns"]]
        if "NextToken" not in page:
            return len(set(ids)), pages
        body = {**body, "NextToken": page["NextToken"]}
    return len(set(ids)), 10


def _minutes_off(c: Client) -> int:
    return round((c.run(*c.job())["StartedOn"] - time.time()) / 60)


def _attempts(c: Client) -> list[Any]:
    name, run_id = _meaning_job(c)
    return [c.run(name, run_id)["Attempt"] for _ in range(2)]


def _statuses(c: Client, operation: str, *bodies: bytes) -> list[int]:
    return [c.send(operation, body).status for body in bodies]


def _with_run(c: Client, **member: Any) -> int:
    """The status of a GetJobRun of a run that exists, with `member` added."""
    name, run_id = c.job()
    return c.send("GetJobRun", {"JobName": name, "RunId": run_id, **member}).status


def _listing(c: Client, **member: Any) -> int:
    """The status of a GetJobRuns of a job that exists, with `member` added."""
    return c.send("GetJobRuns", {"JobName": c.job()[0], **member}).status


def _list_by_name_list(c: Client) -> tuple[str | None, str | None]:
    name, run_id = c.job()
    listed = c.send("GetJobRuns", {"JobName": [name]}).type
    return listed, c.send("GetJobRun", {"JobName": [name], "RunId": run_id}).type


def _trailing_garbage(c: Client) -> int:
    name, run_id = c.job()
    return c.send(
        "GetJobRun", json.dumps({"JobName": name, "RunId": run_id}).encode() + b"}"
    ).status


TARGET = "AWSGlue.GetJobRun"

FAULT_PROBES: dict[str, tuple[Probe, Any, Any]] = {
    "listing-foreign-runs": (_listed_job_names, [True], [False, True]),
    "stop-stops-siblings": (_sibling_after_stop, "SUCCEEDED", "STOPPED"),
    "started-on-backdated": (_minutes_off, 0, -10),
    "listing-arguments-merged": (
        lambda c: _listed_and_got(c, "Arguments", Arguments={"--own": "x"}),
        ({"--own": "x"}, {"--own": "x"}),
        ({"--d": "job", "--own": "x"}, {"--own": "x"}),
    ),
    "listing-overrides-lost": (
        lambda c: _listed_and_got(c, "Timeout", Timeout=99),
        (99, 99),
        (15, 99),
    ),
    "stopped-run-loses-arguments": (
        lambda c: _stopped(c, {"--a": "1"}).get("Arguments"),
        {"--a": "1"},
        None,
    ),
    "argument-values-trimmed": (
        lambda c: c.run(*c.job({"--a": " x "}))["Arguments"],
        {"--a": " x "},
        {"--a": "x"},
    ),
    "predecessors-included-drops-arguments": (
        lambda c: (
            lambda n, r: (
                "Arguments"
                in c.ok("GetJobRun", {"JobName": n, "RunId": r, "PredecessorsIncluded": True})[
                    "JobRun"
                ]
            )
        )(*c.job({"--a": "1"})),
        True,
        False,
    ),
    "stopped-completed-on-differs": (
        lambda c: (lambda run: run["CompletedOn"] == run["LastModifiedOn"])(_stopped(c)),
        True,
        False,
    ),
    "listing-state-lags": (_listed_state, "SUCCEEDED", "STARTING"),
    "listing-timestamps-strings": (
        lambda c: (
            type(c.ok("GetJobRuns", {"JobName": c.job()[0]})["JobRuns"][0]["StartedOn"]).__name__
        ),
        "float",
        "str",
    ),
    "paging-skips-boundary-run": (lambda c: _listed_in_pages(c, 2), (3, 2), (2, 1)),
    # name: (probe, clean answer, faulty answer)
    "found-run-500": (lambda c: c.get_job_run(*c.job()).status, 200, 500),
    "runs-not-listed": (
        lambda c: (lambda name: len(c.ok("GetJobRuns", {"JobName": name})["JobRuns"]))(c.job()[0]),
        1,
        0,
    ),
    "stop-ignored": (
        lambda c: (
            lambda n, r: (
                c.ok("BatchStopJobRun", {"JobName": n, "JobRunIds": [r]}),
                c.until_terminal(n, r)[-1]["JobRunState"],
            )[1]
        )(*c.job()),
        "STOPPED",
        "SUCCEEDED",
    ),
    "run-found-under-any-job": (
        lambda c: c.get_job_run(_job(c), c.job()[1]).type,
        "EntityNotFoundException",
        None,
    ),
    "run-id-case-insensitive": (
        lambda c: (lambda n, r: c.get_job_run(n, r.upper()).type)(*c.job()),
        "EntityNotFoundException",
        None,
    ),
    "glue-version-fixed": (lambda c: c.run(*_meaning_job(c))["GlueVersion"], "4.0", "0.9"),
    "run-overrides-ignored": (
        lambda c: _run_of_meaning_job(c, Timeout=30)["Timeout"],
        30,
        15,
    ),
    "default-arguments-merged": (
        lambda c: c.run(*_meaning_job(c)).get("Arguments"),
        None,
        {"--d": "job"},
    ),
    "arguments-of-newest-run": (
        lambda c: (
            lambda n, r: (_start(c, n, Arguments={"--new": "1"}), c.run(n, r).get("Arguments"))[1]
        )(*_meaning_job(c)),
        None,
        {"--new": "1"},
    ),
    "attempt-starts-at-one": (lambda c: c.run(*_meaning_job(c))["Attempt"], 0, 1),
    "attempt-grows-per-poll": (_attempts, [0, 0], [1, 2]),
    "previous-run-id-dropped": (
        lambda c: (lambda n, r: c.run(n, _start(c, n, JobRunId=r)).get("PreviousRunId") == r)(
            *_meaning_job(c)
        ),
        True,
        False,
    ),
    "timeout-default-480": (
        lambda c: (lambda n: c.run(n, _start(c, n))["Timeout"])(_job(c, GlueVersion="4.0")),
        2880,
        480,
    ),
    "timestamps-in-future": (
        lambda c: c.run(*c.job())["StartedOn"] > time.time() + 3600,
        False,
        True,
    ),
    "execution-time-fixed": (lambda c: c.run(*c.job())["ExecutionTime"], 0, 123),
    "execution-time-in-millis": (
        lambda c: (lambda n, r: (time.sleep(0.05), c.run(n, r)["ExecutionTime"] >= 50)[1])(
            *c.job()
        ),
        False,
        True,
    ),
    "completed-on-differs": (
        lambda c: (lambda run: run["CompletedOn"] == run["LastModifiedOn"])(c.finished()),
        True,
        False,
    ),
    "runs-oldest-first": (_listed_order, True, False),
    "max-results-ignored": (_page, (1, True), (2, False)),
    "runs-list-differs": (_listed_gluev, ("4.0", "4.0"), ("0.9", "4.0")),
    "max-results-unchecked": (
        lambda c: c.send("GetJobRuns", {"JobName": c.job()[0], "MaxResults": 0}).status,
        400,
        200,
    ),
    "direct-run-lists-predecessor": (
        lambda c: (
            lambda n, r: len(
                c.ok("GetJobRun", {"JobName": n, "RunId": r, "PredecessorsIncluded": True})[
                    "JobRun"
                ]["PredecessorRuns"]
            )
        )(*c.job()),
        0,
        1,
    ),
    "target-prefix-ignored": (
        lambda c: c.send(None, {"JobName": "j", "RunId": "r"}, target="Foo.GetJobRun").type,
        "UnknownOperationException",
        "EntityNotFoundException",
    ),
    "stop-not-implemented": (
        lambda c: (lambda n, r: c.send("BatchStopJobRun", {"JobName": n, "JobRunIds": [r]}).status)(
            *c.job()
        ),
        200,
        500,
    ),
    "length-in-graphemes": (
        _type_for_name("e\u0301" * 128),
        "ValidationException",
        "EntityNotFoundException",
    ),
    "runs-never-finish": (
        lambda c: (lambda n, r: (time.sleep(STAGE * 4), c.run(n, r)["JobRunState"])[1])(*c.job()),
        "SUCCEEDED",
        "RUNNING",
    ),
    "stalls": (_transport_outcome("job\x7f"), "EntityNotFoundException", "ReadTimeoutError"),
    "drops-connection": (
        _transport_outcome("job\x85"),
        "EntityNotFoundException",
        "ProtocolError",
    ),
    "not-http": (_transport_outcome("job\tname"), "EntityNotFoundException", "ProtocolError"),
    "oversized-answer": (_transport_outcome(" job "), "EntityNotFoundException", "oversized"),
    "truncated-json": (
        _transport_outcome("job-\U0001f680"),
        "EntityNotFoundException",
        "not JSON",
    ),
    "no-length-check": (
        _type_for_name("x" * 256),
        "ValidationException",
        "EntityNotFoundException",
    ),
    "length-off-by-one": (
        lambda c: (c.get_job_run("x" * 256).type, c.get_job_run("x" * 257).type),
        ("ValidationException", "ValidationException"),
        ("EntityNotFoundException", "ValidationException"),
    ),
    "unanchored-pattern": (
        _type_for_name("a\ud800"),
        "ValidationException",
        "EntityNotFoundException",
    ),
    "trailing-newline-accepted": (
        _type_for_name("job\n"),
        "ValidationException",
        "EntityNotFoundException",
    ),
    "tab-rejected": (_type_for_name("a\tb"), "EntityNotFoundException", "ValidationException"),
    "astral-rejected": (_type_for_name("a😀"), "EntityNotFoundException", "ValidationException"),
    "lone-surrogates-accepted": (
        _type_for_name("\ud800"),
        "ValidationException",
        "EntityNotFoundException",
    ),
    "no-required-check": (
        lambda c: c.send("GetJobRun", {"JobName": "j"}).type,
        "ValidationException",
        "EntityNotFoundException",
    ),
    "length-in-bytes": (
        _type_for_name("é" * 128),
        "EntityNotFoundException",
        "ValidationException",
    ),
    "validation-500": (lambda c: c.get_job_run("").status, 400, 500),
    "validation-invalid-input": (
        _type_for_name(""),
        "ValidationException",
        "InvalidInputException",
    ),
    "validation-message-no-count": (
        lambda c: _invalid_message(c).startswith("1 validation error detected: Value '"),
        True,
        False,
    ),
    "validation-message-wrong-member": (
        lambda c: re.findall(r" at '(\w+)'", _invalid_message(c)),
        ["jobName"],
        ["JobName"],
    ),
    "validation-first-error-only": (
        lambda c: c.get_job_run("\ud800" * 256).message.split(" detected")[0],
        "2 validation errors",
        "1 validation error",
    ),
    "pattern-message-translated": (
        lambda c: c.get_job_run("\ud800").message.endswith(f"pattern: {NAME_PATTERN}"),
        True,
        False,
    ),
    "type-mismatch-accepted": (
        lambda c: (c.get_job_run(["j"]).type, _type_of_boolean_string(c)),
        ("SerializationException", "SerializationException"),
        ("EntityNotFoundException", "EntityNotFoundException"),
    ),
    "get-job-runs-types-coerced": (
        _list_by_name_list,
        ("SerializationException", "SerializationException"),
        ("EntityNotFoundException", "SerializationException"),
    ),
    "max-results-string-accepted": (
        lambda c: (_listing(c, MaxResults="ten"), _listing(c, MaxResults="1")),
        (400, 400),
        (200, 200),
    ),
    "predecessors-included-number-accepted": (
        lambda c: (_with_run(c, PredecessorsIncluded=1), _with_run(c, PredecessorsIncluded="1")),
        (400, 400),
        (200, 400),
    ),
    "empty-containers-dropped": (
        lambda c: (_with_run(c, PredecessorsIncluded={}), _listing(c, NextToken=[])),
        (400, 400),
        (200, 200),
    ),
    "not-found-500": (
        lambda c: (c.get_job_run().status, c.get_job_run().type),
        (400, "EntityNotFoundException"),
        (500, "EntityNotFoundException"),
    ),
    "not-found-404": (lambda c: c.get_job_run().status, 400, 404),
    "not-found-wrong-type": (
        lambda c: c.get_job_run().type,
        "EntityNotFoundException",
        "ResourceNotFoundException",
    ),
    "not-found-empty-message": (lambda c: bool(c.get_job_run().message), True, False),
    "iso-timestamps": (_timestamp_kind, "float", "iso"),
    "timestamps-as-strings": (_timestamp_kind, "float", "numeric-string"),
    "timestamps-in-millis": (_timestamp_kind, "float", "millis"),
    "wrong-id": (lambda c: (lambda n, r: c.run(n, r)["Id"] == r)(*c.job()), True, False),
    "missing-id": (lambda c: "Id" in c.run(*c.job()), True, False),
    "wrong-job-name": (
        lambda c: (lambda n, r: c.run(n, r)["JobName"] == n)(*c.job()),
        True,
        False,
    ),
    "state-out-of-enum": (lambda c: c.finished()["JobRunState"], "SUCCEEDED", "COMPLETED"),
    "attempt-string": (lambda c: c.run(*c.job())["Attempt"], 0, "0"),
    "execution-time-float": (
        lambda c: type(c.finished()["ExecutionTime"]).__name__,
        "int",
        "float",
    ),
    "arguments-dropped": (lambda c: c.finished({"--k": "v"})["Arguments"], {"--k": "v"}, {}),
    "completed-before-started": (
        lambda c: (lambda run: run["CompletedOn"] >= run["StartedOn"])(c.finished()),
        True,
        False,
    ),
    "predecessor-runs-malformed": (
        lambda c: type(c.run(*c.job())["PredecessorRuns"]).__name__,
        "list",
        "dict",
    ),
    "terminal-state-regresses": (
        _states_after_terminal,
        ("SUCCEEDED", "SUCCEEDED", "SUCCEEDED"),
        ("RUNNING", "SUCCEEDED", "RUNNING"),
    ),
    "last-modified-goes-back": (_last_modified_monotonic, True, False),
    "started-on-changes": (_started_on_constant, True, False),
    "json-content-type": (
        lambda c: (_content_type(c.get_job_run()), _content_type(c.send("CreateJob", {}))),
        ("application/x-amz-json-1.1", "application/x-amz-json-1.1"),
        ("application/json", "application/json"),
    ),
    "get-job-runs-errors-as-json": (
        lambda c: (_content_type(c.send("GetJobRuns", b"{oops")), _content_type(c.get_job_run())),
        ("application/x-amz-json-1.1", "application/x-amz-json-1.1"),
        ("application/json", "application/x-amz-json-1.1"),
    ),
    "no-request-id": (lambda c: "x-amzn-RequestId" in c.get_job_run().headers, True, False),
    "error-without-type": (
        lambda c: (c.get_job_run().type, c.get_job_run("").type),
        ("EntityNotFoundException", "ValidationException"),
        (None, None),
    ),
    "html-errors": (
        lambda c: c.get_job_run().headers["Content-Type"].split(";")[0],
        "application/x-amz-json-1.1",
        "text/html",
    ),
    "malformed-json-500": (lambda c: c.send("GetJobRun", b"{oops").status, 400, 500),
    "non-object-body-500": (
        lambda c: _statuses(c, "GetJobRun", b"[]", b"null", b"1", b'"j"', b"true", b"{}"),
        [400] * 6,
        [500] * 5 + [400],
    ),
    "trailing-garbage-accepted": (_trailing_garbage, 400, 200),
    "invalid-utf8-500": (
        lambda c: _statuses(c, "GetJobRun", b'{"JobName": "j\xff", "RunId": "r"}', b"{oops"),
        [400, 400],
        [500, 400],
    ),
    "empty-body-500": (
        lambda c: _statuses(c, "GetJobRuns", b"", b" \n", b"{oops"),
        [400, 400, 400],
        [500, 500, 400],
    ),
    "non-finite-numbers-accepted": (
        lambda c: c.send("GetJobRun", b'{"JobName": "j", "RunId": NaN}').type,
        "SerializationException",
        "EntityNotFoundException",
    ),
    "get-job-runs-malformed-not-found": (
        lambda c: (c.send("GetJobRuns", b"{oops").type, c.send("GetJobRun", b"{oops").type),
        ("SerializationException", "SerializationException"),
        ("EntityNotFoundException", "SerializationException"),
    ),
    "unknown-operation-200": (
        lambda c: (c.send("Frobnicate", {}).status, c.send("Frobnicate", {}).body),
        (400, b'{"__type": "UnknownOperationException"}'),
        (200, b"{}"),
    ),
    "no-auth-check": (
        _unsigned_type,
        "MissingAuthenticationTokenException",
        "EntityNotFoundException",
    ),
}


def _error_shape(c: Client) -> tuple[str | None, str | None, list[str]]:
    reply = c.get_job_run()
    return reply.raw_type, reply.headers.get("X-Amzn-ErrorType"), sorted(reply.json)


def _optional_members(c: Client) -> list[str]:
    return list(c.finished())


def _slow(c: Client) -> bool:
    return c.get_job_run().elapsed >= 0.15


VARIANT_PROBES: dict[str, tuple[Probe, Any, Any]] = {
    "small-default-page": (lambda c: _listed_in_pages(c, None), (3, 1), (3, 2)),
    "runs-finish-at-once": (lambda c: c.run(*c.job())["JobRunState"], "STARTING", "SUCCEEDED"),
    "clock-minutes-off": (_minutes_off, 0, -5),
    "integer-scalars-coerced": (
        lambda c: [_listing(c, MaxResults=v) for v in ("1", 1.5, True, "ten")],
        [400, 400, 400, 400],
        [200, 200, 200, 400],
    ),
    "non-object-body-validation": (
        lambda c: (c.send("GetJobRun", b"[]").type, c.send("GetJobRun", b"{oops").type),
        ("SerializationException", "SerializationException"),
        ("ValidationException", "SerializationException"),
    ),
    "empty-body-as-empty-object": (
        lambda c: (c.send("GetJobRun", b"").message, c.send("GetJobRun", b"{oops").type),
        (None, "SerializationException"),
        (
            "2 validation errors detected: Value null at 'jobName' failed to satisfy "
            "constraint: Member must not be null; Value null at 'runId' failed to satisfy "
            "constraint: Member must not be null",
            "SerializationException",
        ),
    ),
    "run-id-uuid": (lambda c: c.job()[1].startswith("jr_"), True, False),
    "timeout-default-2880-glue5": (
        lambda c: (lambda n: c.run(n, _start(c, n))["Timeout"])(_job(c, GlueVersion="5.0")),
        480,
        2880,
    ),
    "arguments-empty-object": (lambda c: c.run(*c.job()).get("Arguments"), None, {}),
    "predecessors-absent": (lambda c: "PredecessorRuns" in c.run(*c.job()), True, False),
    "namespaced-error-type": (
        lambda c: (c.get_job_run().raw_type, c.get_job_run("").raw_type),
        ("EntityNotFoundException", "ValidationException"),
        (
            "com.amazonaws.glue#EntityNotFoundException",
            "com.amazon.coral.validate#ValidationException",
        ),
    ),
    "suffixed-error-type": (
        lambda c: c.get_job_run("").raw_type,
        "ValidationException",
        "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
    ),
    "error-type-header": (
        _error_shape,
        ("EntityNotFoundException", None, ["Message", "__type"]),
        ("EntityNotFoundException", "EntityNotFoundException", ["Message", "__type"]),
    ),
    "error-type-header-only": (
        _error_shape,
        ("EntityNotFoundException", None, ["Message", "__type"]),
        ("EntityNotFoundException", "EntityNotFoundException", ["Message"]),
    ),
    "error-type-code-member": (
        _error_shape,
        ("EntityNotFoundException", None, ["Message", "__type"]),
        ("EntityNotFoundException", None, ["Message", "code"]),
    ),
    "message-key-swapped": (
        lambda c: (sorted(c.get_job_run().json), sorted(c.get_job_run("").json)),
        (["Message", "__type"], ["__type", "message"]),
        (["__type", "message"], ["Message", "__type"]),
    ),
    "extra-response-members": (
        lambda c: (
            sorted(set(c.run(*c.job())) - set(JOB_RUN_MEMBERS)),
            sorted(c.ok("StartJobRun", {"JobName": c.job()[0]})),
        ),
        ([], ["JobRunId"]),
        (["UnmodelledMember"], ["JobRunId", "UnmodelledTopLevelMember"]),
    ),
    "utf16-lengths": (
        _type_for_name("😀" * 128),
        "EntityNotFoundException",
        "ValidationException",
    ),
    "auth-403": (
        lambda c: c.send("GetJobRun", {}, sign=False).status,
        400,
        403,
    ),
    "optional-members-absent": (
        _optional_members,
        [m for m in JOB_RUN_MEMBERS if m != "Arguments"],  # none given: no Arguments key
        [
            *("Id", "Attempt", "JobName", "StartedOn", "LastModifiedOn", "CompletedOn"),
            *("JobRunState", "Timeout", "WorkerType", "NumberOfWorkers", "GlueVersion"),
        ],
    ),
    "integral-timestamps": (lambda c: type(c.run(*c.job())["StartedOn"]).__name__, "float", "int"),
    "scalar-coerced": (
        lambda c: (c.get_job_run(12).message, c.get_job_run(True).type),
        ("12 can not be converted to a String", "SerializationException"),
        ("Job with name: 12 not found.", "EntityNotFoundException"),
    ),
    "slow": (_slow, False, True),
    "waiting-first": (
        lambda c: c.run(*c.job())["JobRunState"],
        "STARTING",
        "WAITING",
    ),
    "run-fails": (
        lambda c: (lambda run: (run["JobRunState"], "ErrorMessage" in run))(c.finished()),
        ("SUCCEEDED", False),
        ("FAILED", True),
    ),
}


def test_every_switch_has_a_probe() -> None:
    assert set(FAULT_PROBES) == set(FAULTS)
    assert set(VARIANT_PROBES) == set(VARIANTS)


@pytest.mark.parametrize("name", sorted(FAULT_PROBES))
def test_fault_changes_the_answer(client: Client, name: str) -> None:
    probe, clean, faulty = FAULT_PROBES[name]
    assert probe(client) == clean
    with _switched(faults=frozenset({name})) as switched:
        assert probe(switched) == faulty


@pytest.mark.parametrize("name", sorted(VARIANT_PROBES))
def test_variant_changes_the_answer(client: Client, name: str) -> None:
    probe, clean, varied = VARIANT_PROBES[name]
    assert probe(client) == clean
    with _switched(variants=frozenset({name})) as switched:
        assert probe(switched) == varied


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_keeps_what_aws_guarantees(name: str) -> None:
    """A variant may change a tolerated detail only: the strictly asserted facts still hold."""
    with _switched(variants=frozenset({name})) as c:
        reply = c.get_job_run()
        assert (reply.status, reply.type) == (400, "EntityNotFoundException")
        assert reply.message
        assert reply.headers["Content-Type"] == "application/x-amz-json-1.1"
        assert "x-amzn-RequestId" in reply.headers
        invalid = c.get_job_run("x" * 256)
        assert (invalid.status, invalid.type) == (400, "ValidationException")
        assert invalid.message.startswith("1 validation error detected: Value '")
        assert c.send("GetJobRun", b"nope").type == "SerializationException"
        unsigned = c.send("GetJobRun", {}, sign=False)
        assert unsigned.status in (400, 403)
        assert unsigned.type == "MissingAuthenticationTokenException"
        name_, run_id = c.job({"--k": "v"})
        run = c.run(name_, run_id)
        assert (run["Id"], run["JobName"]) == (run_id, name_)
        assert isinstance(run["StartedOn"], int | float)
        assert run.get("Arguments", {"--k": "v"}) == {"--k": "v"}


# --- the generated schemas agree with the clean server -----------------------------------------


def _bodies(c: Client) -> list[Any]:
    name, run_id = c.job({"--k": "v"})
    first = c.send("GetJobRun", {"JobName": name, "RunId": run_id}).json
    c.until_terminal(name, run_id)
    return [first, c.send("GetJobRun", {"JobName": name, "RunId": run_id}).json]


@pytest.mark.parametrize("variant", [None, *sorted(VARIANTS)])
def test_success_bodies_fit_the_response_schema(variant: str | None) -> None:
    validator = schemas.validator("GetJobRun.response")
    with _switched(variants=frozenset({variant} if variant else ())) as c:
        for body in _bodies(c):
            assert not list(validator.iter_errors(body)), body


@pytest.mark.parametrize("variant", [None, *sorted(VARIANTS)])
def test_error_bodies_fit_the_error_schema(variant: str | None) -> None:
    validator = schemas.validator("GetJobRun.error")
    with _switched(variants=frozenset({variant} if variant else ())) as c:
        for reply in (c.get_job_run(), c.get_job_run(""), c.send("GetJobRun", b"[")):
            assert not list(validator.iter_errors(reply.json)), reply.json


@pytest.mark.parametrize(
    "fault", sorted(name for name, f in FAULTS.items() if "response.schema" in f.kills)
)
def test_schema_faults_break_the_response_schema(fault: str) -> None:
    validator = schemas.validator("GetJobRun.response")
    with _switched(faults=frozenset({fault})) as c:
        assert not all(validator.is_valid(body) for body in _bodies(c))
