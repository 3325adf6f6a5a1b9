"""Safety against real accounts, shown on a local moto standing in for one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

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
        "quick",
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


def test_an_interrupted_run_still_cleans_up_only_its_own(account):
    url, client = account
    process = subprocess.Popen(
        _command(url, "--lifecycle-timeout", "60"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=_env(),
    )
    deadline = time.monotonic() + 120
    while not any(j.startswith("glue-conformance-") for j in _jobs(client)):
        assert time.monotonic() < deadline, "the suite never created its job"
        assert process.poll() is None, process.stdout.read().decode()[-2000:]
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)  # Ctrl-C
    process.communicate(timeout=120)
    assert _jobs(client) == {"someone-elses-job"}


def test_an_interrupted_xdist_run_cleans_up_in_every_worker(account):
    """Ctrl-C in a terminal reaches the whole process group: each worker deletes its own."""
    url, client = account
    process = subprocess.Popen(
        _command(url, "--lifecycle-timeout", "60", "-n", "2", "--dist", "each"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=_env(),
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while len([j for j in _jobs(client) if j.startswith("glue-conformance-")]) < 2:
        assert time.monotonic() < deadline, "the workers never created their jobs"
        assert process.poll() is None, process.stdout.read().decode()[-2000:]
        time.sleep(0.05)
    workers = {j.split("-")[3] for j in _jobs(client) if j.startswith("glue-conformance-")}
    assert workers == {"gw0", "gw1"}
    os.killpg(process.pid, signal.SIGINT)
    process.communicate(timeout=120)
    assert _jobs(client) == {"someone-elses-job"}


def test_credentials_never_reach_output_or_reports(account, tmp_path):
    url, _ = account
    outputs = []
    for extra in ([], ["--real-credentials"]):  # dummy credentials, then the real chain
        report = tmp_path / ("real" if extra else "dummy")
        result = subprocess.run(
            _command(url, "--baseline", "none", "--report-dir", str(report), *extra),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env=_env(**MARKERS),
        )
        assert result.returncode == 1  # moto deviates: failures carry requests and answers
        outputs.append(result.stdout + result.stderr)
        outputs += [f.read_text(errors="replace") for f in report.iterdir() if f.is_file()]
    text = "\n".join(outputs)
    assert "curl" in text  # reproductions were written, so requests were rendered
    for name in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        assert MARKERS[name] not in text, name
    assert "Signature=" not in text.replace("Signature=***", "")
    assert "X-Amz-Security-Token: markers" not in text
