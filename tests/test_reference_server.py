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
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import urllib3

from glue_conformance import schemas
from glue_conformance.reference import FAULTS, VARIANTS, ReferenceServer
from glue_conformance.reference.probes import (
    JOB_RUN_MEMBERS,
    NAME_PATTERN,
    POOL,
    SETTINGS,
    STAGE,
    Client,
    create_job,
    start_run,
)
from glue_conformance.rules import RULES
from tests.children import child

# --- a tiny client ---------------------------------------------------------------------------


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


def test_a_run_reports_its_job_and_its_own_settings(client: Client) -> None:
    name = create_job(client, DefaultArguments={"--d": "job"}, **SETTINGS)
    bare = client.run(name, start_run(client, name))
    assert {k: bare[k] for k in SETTINGS} == SETTINGS
    assert "Arguments" not in bare
    own = {"Timeout": 30, "WorkerType": "G.2X", "NumberOfWorkers": 3}
    run_id = start_run(client, name, Arguments={"--r": "run"}, JobRunId=bare["Id"], **own)
    run = client.run(name, run_id)
    assert {k: run[k] for k in own} == own
    assert run["GlueVersion"] == "4.0"
    assert run["Arguments"] == {"--r": "run"}
    assert (run["Attempt"], run["PreviousRunId"]) == (0, bare["Id"])
    assert "Arguments" not in client.run(name, bare["Id"])  # an older run keeps its own


def test_timeout_defaults_by_glue_version(client: Client) -> None:
    for version, timeout in (("4.0", 2880), ("2.0", 2880), ("5.0", 480)):
        name = create_job(client, GlueVersion=version)
        assert client.run(name, start_run(client, name))["Timeout"] == timeout


def test_a_run_is_found_only_under_its_own_job_and_exact_id(client: Client) -> None:
    name, run_id = client.job()
    other = create_job(client)
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


@pytest.mark.slow
def test_command_line_serves_until_interrupted() -> None:
    with child(
        [sys.executable, "-m", "glue_conformance.reference", "--port", "0", "--fault", "wrong-id"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[1],
    ) as process:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        assert Client(url).get_job_run().type == "EntityNotFoundException"
        process.send_signal(signal.SIGINT)  # as Ctrl-C
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


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_fault_changes_the_answer(client: Client, name: str) -> None:
    """Each fault's own probe (its catalogue entry): the clean answer, then the faulty one."""
    probe = FAULTS[name].probe
    assert probe.ask(client) == probe.clean
    with _switched(faults=frozenset({name})) as switched:
        assert probe.ask(switched) == probe.switched


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_changes_the_answer(client: Client, name: str) -> None:
    probe = VARIANTS[name].probe
    assert probe.ask(client) == probe.clean
    with _switched(variants=frozenset({name})) as switched:
        assert probe.ask(switched) == probe.switched


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


def test_the_server_names_every_switch_by_its_catalogue_constant() -> None:
    """A fault or variant is tested in the server through the constant the catalogue defines
    (a misspelt one fails at import), never through a string of its name; and every such
    constant has its entry (one without would switch a branch nothing probes or can turn on)."""
    from glue_conformance.reference import catalogue, server

    switches = {**FAULTS, **VARIANTS}
    constants = {
        name: value
        for name, value in vars(catalogue).items()
        if name.isupper() and isinstance(value, str)
    }
    assert sorted(v for v in constants.values() if v not in switches) == []
    assert sorted(constants.values()) == sorted(switches)
    for name, value in constants.items():
        assert name == value.upper().replace("-", "_").replace(":", "_"), name
    source = Path(server.__file__).read_text(encoding="utf-8")
    assert [n for n in switches if f'"{n}"' in source or f"'{n}'" in source] == []
