"""Probes of the reference endpoint's switches: a signed client and the small requests each
fault and variant is seen through (`catalogue.Fault.probe`).

A probe asks a server one small thing: the clean server's answer is what AWS does, the switched
server's is the intended departure (tests/test_reference_server.py compares the two for every
switch). Every request goes over real HTTP, signed by botocore's SigV4 signer, as the suite's do.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import urllib3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from glue_conformance.schemas.model import load

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
SETTINGS = {"GlueVersion": "4.0", "WorkerType": "G.1X", "NumberOfWorkers": 2, "Timeout": 15}
TARGET = "AWSGlue.GetJobRun"
CHARSET_JSON_11 = "application/x-amz-json-1.1; charset=utf-8"  # a parameter, as smithy sends
STAGE = 0.05
# A probe's job takes as many runs at once as it starts: the limit is its own switches' subject
# (MaxConcurrentRuns' default is 1, evidence 24).
ROOM = {"ExecutionProperty": {"MaxConcurrentRuns": 1000}}


SIGNER = SigV4Auth(Credentials("testing", "testing"), "glue", "us-east-1")


POOL = urllib3.PoolManager(retries=False, timeout=10.0)


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
        found: str | None = body.get("code") or body.get("__type")
        return found

    @property
    def type(self) -> str | None:
        """The error type as smithy clients resolve it: before ':' and after '#'."""
        raw = self.raw_type
        return raw.split(":")[0].rsplit("#", 1)[-1] if raw else None

    @property
    def message(self) -> str | None:
        body = self.json
        found: str | None = body.get("message", body.get("Message"))
        return found


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
        content_type: str = "application/x-amz-json-1.1",
    ) -> Reply:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": content_type}
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
        self.ok("CreateJob", {"Name": name, "Role": "role", "Command": {"Name": "glueetl"}, **ROOM})
        start: dict[str, Any] = {"JobName": name}
        if arguments is not None:
            start["Arguments"] = arguments
        return name, self.ok("StartJobRun", start)["JobRunId"]

    def run(self, name: str, run_id: str) -> dict[str, Any]:
        run: dict[str, Any] = self.ok("GetJobRun", {"JobName": name, "RunId": run_id})["JobRun"]
        return run

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


def create_job(c: Client, **job: Any) -> str:
    """A fresh job (with room for every run a probe starts, unless `job` sets the limit)."""
    name = f"job-{uuid.uuid4().hex[:12]}"
    c.ok("CreateJob", {"Name": name, "Role": "role", "Command": {"Name": "glueetl"}, **ROOM, **job})
    return name


def start_run(c: Client, name: str, **start: Any) -> str:
    return str(c.ok("StartJobRun", {"JobName": name, **start})["JobRunId"])


Ask = Callable[[Client], Any]


def on_run(ask: Callable[[str, str], Any]) -> Callable[[str, str], Any]:
    """`on_run(lambda name, run_id: ...)(*c.job())`: gives the lambda its parameters' types (mypy
    types a bare lambda called on a star-unpacked tuple as taking the whole tuple)."""
    return ask


def pause(seconds: float) -> bool:
    """Sleeps, then True: a probe waits inside one expression (`pause(s) and c.run(...)`)."""
    time.sleep(seconds)
    return True


def type_for_name(value: Any, run_id: Any = "r") -> Ask:
    return lambda c: c.get_job_run(value, run_id).type


def timestamp_kind(c: Client) -> str:
    value = c.run(*c.job())["StartedOn"]
    if isinstance(value, str):
        return "iso" if "T" in value else "numeric-string"
    if value > 1e11:
        return "millis"
    return type(value).__name__


def states_after_terminal(c: Client) -> tuple[str, ...]:
    name, run_id = c.job()
    c.until_terminal(name, run_id)
    return tuple(c.run(name, run_id)["JobRunState"] for _ in range(3))


def last_modified_monotonic(c: Client) -> bool:
    name, run_id = c.job()
    seen = [c.run(name, run_id)["LastModifiedOn"] for _ in range(4)]
    return seen == sorted(seen)


def started_on_constant(c: Client) -> bool:
    name, run_id = c.job()
    return len({run["StartedOn"] for run in c.until_terminal(name, run_id)}) == 1


def invalid_message(c: Client) -> str:
    return c.get_job_run("x" * 256, "r").message or ""


def type_of_boolean_string(c: Client) -> str | None:
    body = {"JobName": "j", "RunId": "r", "PredecessorsIncluded": "yes"}
    return c.send("GetJobRun", body).type


def content_type(reply: Reply) -> str:
    return str(reply.headers["Content-Type"])


def unsigned_type(c: Client) -> str | None:
    return c.send("GetJobRun", {"JobName": "j", "RunId": "r"}, sign=False).type


def transport_outcome(job_name: str) -> Ask:
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


def meaning_job(c: Client) -> tuple[str, str]:
    name = create_job(c, DefaultArguments={"--d": "job"}, **SETTINGS)
    return name, start_run(c, name)


def run_of_meaning_job(c: Client, **start: Any) -> dict[str, Any]:
    name, _ = meaning_job(c)
    return c.run(name, start_run(c, name, **start))


def listed_gluev(c: Client) -> tuple[str, str]:
    name, run_id = meaning_job(c)
    listed = c.ok("GetJobRuns", {"JobName": name})["JobRuns"][0]["GlueVersion"]
    return listed, c.run(name, run_id)["GlueVersion"]


def listed_order(c: Client) -> bool:
    name, first = meaning_job(c)
    time.sleep(0.01)
    second = start_run(c, name)
    return [r["Id"] for r in c.ok("GetJobRuns", {"JobName": name})["JobRuns"]] == [second, first]


def page(c: Client) -> tuple[int, bool]:
    name, _ = meaning_job(c)
    start_run(c, name)
    page = c.ok("GetJobRuns", {"JobName": name, "MaxResults": 1})
    return len(page["JobRuns"]), "NextToken" in page


def stopped(c: Client, arguments: dict[str, str] | None = None) -> dict[str, Any]:
    """A run of a fresh job, stopped at once and polled to its end: its last JobRun."""
    name, run_id = c.job(arguments)
    c.ok("BatchStopJobRun", {"JobName": name, "JobRunIds": [run_id]})
    return c.until_terminal(name, run_id)[-1]


def sibling_after_stop(c: Client) -> str:
    name, stopped = c.job()
    sibling = start_run(c, name)
    c.ok("BatchStopJobRun", {"JobName": name, "JobRunIds": [stopped]})
    return str(c.until_terminal(name, sibling)[-1]["JobRunState"])


def listed_job_names(c: Client) -> list[str]:
    name, _ = c.job()
    c.job()  # another job, another run
    return sorted({r["JobName"] == name for r in c.ok("GetJobRuns", {"JobName": name})["JobRuns"]})


def listed_and_got(c: Client, member: str, **start: Any) -> tuple[Any, Any]:
    name, _ = meaning_job(c)
    run_id = start_run(c, name, **start)
    listed = next(r for r in c.ok("GetJobRuns", {"JobName": name})["JobRuns"] if r["Id"] == run_id)
    return listed.get(member), c.run(name, run_id).get(member)


def listed_state(c: Client) -> str:
    name, run_id = c.job()
    c.until_terminal(name, run_id)
    return str(c.ok("GetJobRuns", {"JobName": name})["JobRuns"][0]["JobRunState"])


def listed_in_pages(c: Client, size: int | None) -> tuple[int, int]:
    """(runs listed over every page, pages) for a job of three runs."""
    name, _ = c.job()
    start_run(c, name)
    start_run(c, name)
    body: dict[str, Any] = {"JobName": name, **({"MaxResults": size} if size else {})}
    ids: list[str] = []
    for pages in range(1, 10):
        page = c.ok("GetJobRuns", body)
        ids += [r["Id"] for r in page["JobRuns"]]
        if "NextToken" not in page:
            return len(set(ids)), pages
        body = {**body, "NextToken": page["NextToken"]}
    return len(set(ids)), 10


def minutes_off(c: Client) -> int:
    started: float = c.run(*c.job())["StartedOn"]
    return round((started - time.time()) / 60)


def attempts(c: Client) -> list[Any]:
    name, run_id = meaning_job(c)
    return [c.run(name, run_id)["Attempt"] for _ in range(2)]


def statuses(c: Client, operation: str, *bodies: bytes) -> list[int]:
    return [c.send(operation, body).status for body in bodies]


def with_run(c: Client, **member: Any) -> int:
    """The status of a GetJobRun of a run that exists, with `member` added."""
    name, run_id = c.job()
    return c.send("GetJobRun", {"JobName": name, "RunId": run_id, **member}).status


def listing(c: Client, **member: Any) -> int:
    """The status of a GetJobRuns of a job that exists, with `member` added."""
    return c.send("GetJobRuns", {"JobName": c.job()[0], **member}).status


def list_by_name_list(c: Client) -> tuple[str | None, str | None]:
    name, run_id = c.job()
    listed = c.send("GetJobRuns", {"JobName": [name]}).type
    return listed, c.send("GetJobRun", {"JobName": [name], "RunId": run_id}).type


def trailing_garbage(c: Client) -> int:
    name, run_id = c.job()
    return c.send(
        "GetJobRun", json.dumps({"JobName": name, "RunId": run_id}).encode() + b"}"
    ).status


def error_shape(c: Client) -> tuple[str | None, str | None, list[str]]:
    reply = c.get_job_run()
    return reply.raw_type, reply.headers.get("X-Amzn-ErrorType"), sorted(reply.json)


def optional_members(c: Client) -> list[str]:
    return list(c.finished())


def slow(c: Client) -> bool:
    return c.get_job_run().elapsed >= 0.15


@dataclass(frozen=True)
class Probe:
    """One question to a server, and its answer from the clean server and from the switched one."""

    ask: Ask
    clean: Any
    switched: Any


# --- issue 26: histories, page bounds, stops, relations in time ------------------------------


def _history(c: Client, runs: int) -> str:
    name = create_job(c)
    for _ in range(runs):
        start_run(c, name)
    return name


def history_listed(c: Client, runs: int, size: int) -> int:
    """Runs listed over every page of a job of `runs` runs, at MaxResults `size`."""
    name = _history(c, runs)
    body: dict[str, Any] = {"JobName": name, "MaxResults": size}
    ids: set[str] = set()
    for _ in range(runs + 2):
        page = c.ok("GetJobRuns", body)
        ids |= {r["Id"] for r in page.get("JobRuns", [])}
        if "NextToken" not in page:
            break
        body = {**body, "NextToken": page["NextToken"]}
    return len(ids)


def history_first_page(c: Client, runs: int, size: int) -> tuple[int, bool]:
    page = c.ok("GetJobRuns", {"JobName": _history(c, runs), "MaxResults": size})
    return len(page.get("JobRuns", [])), "NextToken" in page


def ended_after_stop(c: Client) -> dict[str, Any]:
    """A run that ended, stopped, then read again two stages later."""
    name, run_id = c.job()
    c.until_terminal(name, run_id)
    c.ok("BatchStopJobRun", {"JobName": name, "JobRunIds": [run_id]})
    time.sleep(2 * STAGE)
    return c.run(name, run_id)


def _stop_counts(answer: dict[str, Any]) -> tuple[int, int]:
    return len(answer.get("SuccessfulSubmissions", [])), len(answer.get("Errors", []))


def foreign_stop(c: Client) -> tuple[int, int]:
    """(submitted, errors) for a stop under one job naming another job's running run."""
    _, run_id = c.job()
    other = create_job(c)
    return _stop_counts(c.ok("BatchStopJobRun", {"JobName": other, "JobRunIds": [run_id]}))


def stop_lists(c: Client, run_id: str) -> tuple[int, int]:
    """(submitted, errors) for a stop naming `run_id` under a job of the suite's."""
    name, _ = c.job()
    return _stop_counts(c.ok("BatchStopJobRun", {"JobName": name, "JobRunIds": [run_id]}))


def _ended_twice(c: Client) -> tuple[dict[str, Any], dict[str, Any]]:
    name, run_id = c.job()
    first = c.until_terminal(name, run_id)[-1]
    time.sleep(1.1)
    return first, c.run(name, run_id)


def completed_on_moves(c: Client) -> bool:
    first, again = _ended_twice(c)
    return bool(first["CompletedOn"] != again["CompletedOn"])


def execution_time_moves(c: Client) -> bool:
    first, again = _ended_twice(c)
    return bool(first["ExecutionTime"] != again["ExecutionTime"])


def started_on_spread(c: Client) -> bool:
    """Two runs of one job started a quarter second apart: are their StartedOn that far apart?"""
    name, first = c.job()
    time.sleep(0.25)
    second = start_run(c, name)
    return bool(c.run(name, second)["StartedOn"] - c.run(name, first)["StartedOn"] >= 0.2)


def distinct_ids(c: Client) -> int:
    name = create_job(c)
    return len({start_run(c, name) for _ in range(3)})


def empty_listing_keys(c: Client) -> list[str]:
    return sorted(c.ok("GetJobRuns", {"JobName": create_job(c)}))


def http_version(c: Client) -> str:
    """The HTTP version of the server's answer (any answer: this one is unsigned)."""
    answer = POOL.request("POST", c.url + "/", body=b"{}", headers={"X-Amz-Target": TARGET})
    return "HTTP/1.0" if answer.version == 10 else "HTTP/1.1"
