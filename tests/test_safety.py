"""Safety against real accounts, shown on a local moto standing in for one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer

from tests.children import child

pytestmark = pytest.mark.slow  # each test starts processes (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[1]
MARKERS = {
    "AWS_ACCESS_KEY_ID": "AKIAMARKERKEY0000042",
    "AWS_SECRET_ACCESS_KEY": "markerSecretKey/DoNotLeak0123456789abcdef",
    "AWS_SESSION_TOKEN": "markerSessionTokenDoNotLeak9876543210",
}


@pytest.fixture
def account():
    """A moto server holding a job the suite did not create."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    client = boto3.client(
        "glue",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1}),
    )
    client.create_job(
        Name="someone-elses-job",
        Role="arn:aws:iam::123456789012:role/r",
        Command={"Name": "glueetl", "ScriptLocation": "s3://b/x.py"},
    )
    yield url, client
    server.stop()


def _command(url: str, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "conformance",
        "-p",
        "no:cacheprovider",
        "-q",
        "--hypothesis-profile",
        "glue-quick",
        "--target-url",
        url,
        *extra,
    ]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GLUE_CONFORMANCE_", "AWS_"))}
    env.update(extra)
    return env


def _jobs(client) -> set[str]:
    return set(client.list_jobs()["JobNames"])


def test_a_run_leaves_other_jobs_alone_and_removes_its_own(account):
    url, client = account
    result = subprocess.run(
        _command(url), cwd=ROOT, capture_output=True, text=True, timeout=300, env=_env()
    )
    assert result.returncode in (0, 1), result.stdout[-2000:]
    assert _jobs(client) == {"someone-elses-job"}


# Ctrl-C, and what a CI time limit or `timeout` sends (SIGTERM, to the whole process group).
STOP_SIGNALS = [pytest.param(signal.SIGINT, id="ctrl-c"), pytest.param(signal.SIGTERM, id="term")]


@pytest.mark.parametrize("stop", STOP_SIGNALS)
def test_an_interrupted_run_still_cleans_up_only_its_own(account, stop):
    url, client = account
    with child(
        _command(url, "--glue-lifecycle-timeout", "60"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=_env(),
    ) as process:
        deadline = time.monotonic() + 120
        while not any(j.startswith("glue-conformance-") for j in _jobs(client)):
            assert time.monotonic() < deadline, "the suite never created its job"
            assert process.poll() is None, process.stdout.read().decode()[-2000:]
            time.sleep(0.1)
        process.send_signal(stop)
        output = process.communicate(timeout=120)[0].decode()
    assert _jobs(client) == {"someone-elses-job"}
    assert "could not delete" not in output


@pytest.mark.parametrize("stop", STOP_SIGNALS)
def test_an_interrupted_xdist_run_cleans_up_in_every_worker(account, stop):
    """Ctrl-C in a terminal, like `timeout`, signals the whole process group: each worker
    deletes its own."""
    url, client = account

    def workers() -> set[str]:
        return {j.split("-")[3] for j in _jobs(client) if j.startswith("glue-conformance-")}

    with child(  # in a session of its own, as a terminal's foreground process group
        _command(url, "--glue-lifecycle-timeout", "60", "-n", "2", "--dist", "each"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=_env(),
    ) as process:
        deadline = time.monotonic() + 120
        while workers() != {"gw0", "gw1"}:  # each worker has created at least one job
            assert time.monotonic() < deadline, "the workers never created their jobs"
            assert process.poll() is None, process.stdout.read().decode()[-2000:]
            time.sleep(0.05)
        os.killpg(process.pid, stop)
        process.communicate(timeout=120)
    assert _jobs(client) == {"someone-elses-job"}


def test_credentials_never_reach_output_or_reports(account, tmp_path):
    """Also with every DEBUG log captured, shown and written to junit: botocore's DEBUG lines
    print each SDK request's Authorization header and security token."""
    url, _ = account
    outputs = []
    logs = ["--log-level=DEBUG", "-o", "junit_logging=all", "-o", "log_cli=true"]
    for extra in ([], ["--glue-real-credentials"]):  # dummy credentials, then the real chain
        report = tmp_path / ("real" if extra else "dummy")
        junit = tmp_path / f"pytest-{report.name}.xml"
        result = subprocess.run(
            _command(
                url,
                "--glue-baseline",
                "none",
                "--glue-report-dir",
                str(report),
                *extra,
                *logs,
                "--junitxml",
                str(junit),
            ),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env=_env(**MARKERS),
        )
        assert result.returncode == 1  # moto deviates: failures carry requests and answers
        outputs.append(result.stdout + result.stderr)
        outputs += [f.read_text(errors="replace") for f in report.iterdir() if f.is_file()]
        outputs.append(junit.read_text(errors="replace"))
    text = "\n".join(outputs)
    assert "Sending http request" in text  # botocore's DEBUG lines were there to leak
    assert "curl" in text  # reproductions were written, so requests were rendered
    for name in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        assert MARKERS[name] not in text, name
    assert "Signature=" not in text.replace("Signature=***", "")
    assert "X-Amz-Security-Token: markers" not in text


def test_real_credentials_never_go_to_a_non_aws_host():
    """With real-looking credentials in the environment, a local target sees only the fixed
    dummy key (raw checks and SDK calls alike) unless --glue-real-credentials asks otherwise."""
    from glue_conformance.reference import ReferenceServer

    seen: dict[str, list[str]] = {}
    for extra in ([], ["--glue-real-credentials"]):
        with ReferenceServer(stage_seconds=0.05) as server:
            headers: list[str] = []
            handle = server.app.handle

            def recording(request_headers, body, handle=handle, headers=headers):
                headers.append(str(request_headers.get("Authorization", "")))
                return handle(request_headers, body)

            server.app.handle = recording
            result = subprocess.run(
                _command(server.url, *extra),
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=300,
                env=_env(**MARKERS),
            )
        assert result.returncode == 0, result.stdout[-2000:]
        seen["real" if extra else "dummy"] = [h for h in headers if h]
    assert len(seen["dummy"]) > 50
    assert all("Credential=testing/" in h for h in seen["dummy"])
    assert all(f"Credential={MARKERS['AWS_ACCESS_KEY_ID']}/" in h for h in seen["real"])


def test_no_billable_call_to_aws_without_allow_billable(account):
    """An AWS target (here a local server standing in for one) gets no StartJobRun unless the
    user allows it; the job the suite created is still deleted."""
    from glue_conformance.provision import BillableRefused, Provisioner
    from glue_conformance.targets import DUMMY, Target

    url, client = account
    aws = Target(url=url, kind="url", region="us-east-1", credentials=DUMMY, aws=True)
    provisioner = Provisioner(aws)
    job = provisioner.create_job("job")
    with pytest.raises(BillableRefused, match="--glue-allow-billable"):
        provisioner.start_run(job)
    assert client.get_job_runs(JobName=job)["JobRuns"] == []
    allowed = Provisioner(aws, allow_billable=True)
    run = allowed.start_run(allowed.create_job("job"))
    assert client.get_job_run(JobName=run.job_name, RunId=run.run_id)["JobRun"]["Id"]
    assert provisioner.cleanup() == []
    assert allowed.cleanup() == []
    assert _jobs(client) == {"someone-elses-job"}


def test_a_job_whose_creation_was_refused_is_never_deleted_as_ours():
    """The record is written before CreateJob (for interrupts); a refusal takes it off, so a
    name that already existed (someone else's) is not deleted at cleanup. (moto would silently
    overwrite the job; the reference endpoint answers AlreadyExistsException as Glue does.)"""
    from glue_conformance.provision import Provisioner
    from glue_conformance.reference import ReferenceServer
    from glue_conformance.targets import DUMMY, Target

    with ReferenceServer() as server:
        target = Target(
            url=server.url, kind="url", region="us-east-1", credentials=DUMMY, aws=False
        )
        provisioner = Provisioner(target, token="collide")
        server.app.create_job({"Name": provisioner.name("job")})  # someone else got there first
        with pytest.raises(ClientError, match="AlreadyExistsException"):
            provisioner.create_job("job")
        assert provisioner.cleanup() == []
        assert provisioner.name("job") in server.app.jobs


def test_log_lines_lose_signatures_tokens_and_the_run_s_secrets():
    from glue_conformance.redact import mask_in_logs, redact_log_text

    botocore_debug = (
        "Sending http request: <AWSPreparedRequest method=POST, headers={'X-Amz-Target': "
        "b'AWSGlue.CreateJob', 'X-Amz-Security-Token': b'FwoGZXIvYXdzEB0aDO+/=', "
        "'Authorization': b'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/glue/"
        "aws4_request, SignedHeaders=host;x-amz-date, Signature=0f1e2d3c4b5a'}>"
    )
    clean = redact_log_text(botocore_debug)
    for secret in ("FwoGZXIvYXdzEB0aDO+/=", "0f1e2d3c4b5a", "SignedHeaders=host"):
        assert secret not in clean
    assert "'X-Amz-Target': b'AWSGlue.CreateJob'" in clean  # the evidence stays
    assert redact_log_text("Authorization: AWS4-HMAC-SHA256 Signature=abc") == (
        "Authorization: ***"
    )
    mask_in_logs(["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", None, "short"])
    assert redact_log_text("echo wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") == "echo ***"
    assert redact_log_text("a short word") == "a short word"  # too short to mask blindly


WRITES = ("Create", "Delete", "Start", "Stop", "Update", "Put", "Reset", "Tag", "Untag", "Batch")


def test_read_only_mode_sends_no_write_at_all(account):
    """--glue-job-name with --glue-run-id (the nightly's AWS job): every request the whole suite
    sends is a read. A proxy in front of the account records each X-Amz-Target; the account's
    jobs and runs are the same afterwards."""
    import urllib3

    from tests.servers import serve

    url, client = account
    run_id = client.start_job_run(JobName="someone-elses-job")["JobRunId"]
    upstream = urllib3.PoolManager()

    def forward(handler, body):
        answer = upstream.request(
            "POST", url + handler.path, body=body, headers=dict(handler.headers), retries=False
        )
        keep = {k: v for k, v in answer.headers.items() if k.lower() not in ("content-length",)}
        keep.pop("Transfer-Encoding", None)
        return answer.status, keep, answer.data

    with serve(forward) as (proxy, seen):
        result = subprocess.run(
            _command(
                proxy, "--glue-job-name", "someone-elses-job", "--glue-run-id", run_id, "-n", "2"
            ),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            env=_env(),
        )
    assert result.returncode in (0, 1), result.stdout[-2000:] + result.stderr[-2000:]
    operations = {str(request["headers"].get("X-Amz-Target", "")) for request in seen}
    assert "AWSGlue.GetJobRun" in operations
    assert len(seen) > 100, len(seen)  # the suite ran, not only its preflight
    writes = {op for op in operations if op.split(".")[-1].startswith(WRITES)}
    assert not writes, writes
    assert _jobs(client) == {"someone-elses-job"}
    runs = client.get_job_runs(JobName="someone-elses-job")["JobRuns"]
    assert [run["Id"] for run in runs] == [run_id]


def test_cleanup_survives_answers_the_sdk_cannot_parse():
    """GetJobRuns with epoch-millisecond timestamps makes botocore raise ValueError; the cleanup
    reads raw, so it still stops what it started and deletes every job it created."""
    from glue_conformance.provision import Provisioner
    from glue_conformance.reference import ReferenceServer
    from glue_conformance.targets import DUMMY, Target

    with ReferenceServer(faults=frozenset({"timestamps-in-millis"}), stage_seconds=30) as server:
        # Standing in for AWS, where the cleanup stops what is still going before deleting it.
        target = Target(url=server.url, kind="url", region="us-east-1", credentials=DUMMY, aws=True)
        provisioner = Provisioner(target, allow_billable=True)
        job = provisioner.create_job("job", max_concurrent_runs=3)
        going = {provisioner.start(job).run_id for _ in range(2)}
        with pytest.raises(ValueError, match="out of range"):  # what the old cleanup called
            target.client().get_job_runs(JobName=job)
        stopped: list[str] = []
        original = server.app.handlers["BatchStopJobRun"]

        def record(request: dict[str, Any]) -> dict[str, Any]:
            stopped.extend(request["JobRunIds"])
            return original(request)

        server.app.handlers["BatchStopJobRun"] = record
        assert provisioner.cleanup() == []
        assert server.app.jobs == {}
    assert set(stopped) == going


def test_a_billable_run_starts_at_most_max_runs(account):
    """--glue-max-runs bounds what a billable run costs: the next StartJobRun is refused here,
    before it is sent, and the state machine stops drawing starts (can_start)."""
    from glue_conformance.provision import BillableRefused, Provisioner
    from glue_conformance.targets import DUMMY, Target

    url, client = account
    aws = Target(url=url, kind="url", region="us-east-1", credentials=DUMMY, aws=True)
    provisioner = Provisioner(aws, allow_billable=True, max_runs=2)
    job = provisioner.create_job("job", max_concurrent_runs=5)
    provisioner.start(job)
    provisioner.start(job)
    assert not provisioner.can_start()
    with pytest.raises(BillableRefused, match="--glue-max-runs"):
        provisioner.start(job)
    assert len(client.get_job_runs(JobName=job)["JobRuns"]) == 2
    assert provisioner.cleanup() == []


def test_the_tour_keeps_a_billable_run_within_max_runs():
    """On AWS the whole campaign, its tour of histories and stops included, starts at most
    --glue-max-runs runs, and the coverage table says what the bound left out (issue 26)."""
    import time as clock

    from glue_conformance.checks.base import Context
    from glue_conformance.domain_runs import HISTORY_LENGTH
    from glue_conformance.observe import Judge
    from glue_conformance.provision import Provisioner
    from glue_conformance.reference import ReferenceServer
    from glue_conformance.scenarios import Campaign, Reader
    from glue_conformance.targets import DUMMY, Target
    from glue_conformance.transport import Transport

    with ReferenceServer(stage_seconds=0.02) as server:
        aws = Target(url=server.url, kind="url", region="us-east-1", credentials=DUMMY, aws=True)
        provisioner = Provisioner(aws, allow_billable=True, max_runs=20)
        transport = Transport(server.url, region="us-east-1", credentials=DUMMY)
        judge = Judge(provisioner.model, Context())
        reader = Reader(transport.send, judge)
        first = provisioner.start(provisioner.create_job("first"))
        deadline = clock.monotonic() + 30
        try:
            Campaign(provisioner, reader, 30.0, lambda: deadline, first).run()
        finally:
            assert provisioner.cleanup() == []
            transport.close()
        assert len(provisioner.model.runs) <= 20
        skipped = provisioner.coverage.as_dict()[HISTORY_LENGTH]["not_exercised"]
        assert "--glue-max-runs 20" in skipped["101-200"]


def test_delete_job_before_the_cleanup_deletes_only_the_suite_s_own():
    """The tour deletes one of its jobs while its run goes (issue 35): Provisioner.delete_job
    refuses any other name, and the cleanup's DeleteJob of the job gone already is no
    leftover, even where a target refuses DeleteJob of an unknown job."""
    from glue_conformance.provision import Provisioner
    from glue_conformance.reference import ReferenceServer
    from glue_conformance.reference.catalogue import DELETE_UNKNOWN_JOB_REFUSED
    from glue_conformance.targets import DUMMY, Target

    with ReferenceServer(faults=[DELETE_UNKNOWN_JOB_REFUSED]) as server:
        target = Target(
            url=server.url, kind="url", region="us-east-1", credentials=DUMMY, aws=False
        )
        provisioner = Provisioner(target, token="deleting")
        server.app.create_job({"Name": "someone-elses-job"})
        with pytest.raises(PermissionError, match="not created here"):
            provisioner.delete_job("someone-elses-job")
        job = provisioner.create_job("deleted")
        provisioner.delete_job(job)
        assert job not in server.app.jobs
        assert "someone-elses-job" in server.app.jobs
        assert provisioner.cleanup() == []
