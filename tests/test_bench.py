"""The benchmark measures what it says: its loops send what they claim, its heavy JobRun is a
complete valid answer, and its verdicts follow the numbers."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from bench import __main__ as bench
from bench import loops, measure
from bench.jobrun import full_get_job_run_answer
from glue_conformance import schemas
from glue_conformance.reference import ReferenceServer
from glue_conformance.schemas.model import load

ROOT = Path(__file__).resolve().parents[1]


def test_the_heavy_job_run_is_valid_and_has_every_modelled_member():
    body = full_get_job_run_answer()
    schemas.validator("GetJobRun.response").validate(body)
    glue = load("glue")
    members = set(glue.shape("JobRun")["members"])
    assert set(body["JobRun"]) == members


def _counting(server: ReferenceServer) -> list[bytes]:
    seen: list[bytes] = []
    handle = server.app.handle

    def count(headers: Any, body: bytes) -> Any:
        seen.append(bytes(body))
        return handle(headers, body)

    server.app.handle = count  # type: ignore[method-assign]
    return seen


def test_the_bare_loop_sends_the_requests_it_times():
    with ReferenceServer(stage_seconds=0) as server:
        seen = _counting(server)
        samples = loops.bare(server.url, 25, 3)
    assert len(samples) == 3
    assert all(s > 0 for s in samples)
    assert len(seen) == 25 * 4  # one warm-up pass, then three timed ones
    assert {json.loads(body)["JobName"] for body in seen} == {"glue-conformance-absent-job"}


@pytest.mark.parametrize("server", ["reference", "moto"])
def test_the_replay_sends_the_recorded_requests_again_in_order(tmp_path, server):
    """What a run sent is recorded by the server (the reference's handler, moto's WSGI layer),
    and the replay sends exactly that again; the target still answers while recording."""
    start = measure.reference_server(0) if server == "reference" else measure.moto_server()
    with start as (url, recorder):
        with recorder.recording() as recorded:
            loops.bare(url, 3, 0)  # what a run sent: three GetJobRun calls
        assert recorder.seen is recorded
        (tmp_path / "requests.json").write_text(json.dumps(recorded))
        with recorder.recording() as replayed:
            samples = loops.replay(url, tmp_path / "requests.json", 2)
    assert len(recorded) == 3
    assert recorded[0]["target"] == "AWSGlue.GetJobRun"
    assert recorded[0]["signed"] is True
    body = json.loads(base64.b64decode(recorded[0]["body"]))
    assert body == {"JobName": "glue-conformance-absent-job", "RunId": "jr_absent"}
    assert replayed == recorded * 3  # warm-up and two timed passes, byte for byte
    assert len(samples) == 2


def test_the_floor_counts_every_hypothesis_test_of_the_suite():
    import importlib

    found = []
    for path in sorted((ROOT / "conformance").glob("test_*.py")):
        module = importlib.import_module(f"glue_conformance.{path.stem}")
        found += [
            name
            for name, value in vars(module).items()
            if name.startswith("test_") and getattr(value, "is_hypothesis_test", False)
        ]
    assert len(found) == measure.PROPERTY_TESTS, found


@pytest.mark.slow
def test_the_floor_runs_the_empty_tests_it_claims(monkeypatch):
    """The floor module holds `items` tests, `properties` of them Hypothesis tests that draw the
    profile's number of examples, and nothing else; its time is run minus start-up."""
    seen: list[str] = []
    real = subprocess.run

    def run(command: list[str], **kwargs: Any) -> Any:
        done = real(command, **kwargs)
        if "--collect-only" not in command:
            seen.append(done.stdout.decode())
        return done

    monkeypatch.setattr(measure.subprocess, "run", run)
    floor = measure.pytest_hypothesis_floor(30, 2, 2, "--hypothesis-profile", "glue-quick")
    assert floor["items"] == 30
    assert len(floor["samples_s"]) == 2
    assert len(seen) == 2
    assert all("30 passed" in out for out in seen)
    assert 0 < floor["wall_s"] < 10


def test_the_latency_is_added_to_each_answer_and_nothing_else():
    from botocore.credentials import Credentials

    from glue_conformance.transport import Transport

    with measure.reference_server(0, 0.05) as (url, recorder):
        transport = Transport(url, region="us-east-1", credentials=Credentials("a", "b"))
        body = json.dumps({"JobName": "j", "RunId": "r"}).encode()
        with recorder.recording() as seen:
            started = time.perf_counter()
            for _ in range(3):
                exchange = transport.send(body, target_header="AWSGlue.GetJobRun")
            took = time.perf_counter() - started
    assert exchange.status == 400
    assert len(seen) == 3
    assert 0.15 <= took < 1.0


def _results(ratio: float, startup_s: float, moto_s: float) -> dict[str, Any]:
    suite = {"wall_s": 2.0, "requests": 100, "counts": {"passed": 10}}
    return {
        "reference": {
            "startup": {**suite, "wall_s": startup_s},
            "suite": suite,
            "bare_botocore": {"wall_s": 0.1, "requests": 100},
            "marginal": {
                "suite_minus_startup_s": 0.1 * ratio,
                "bare_botocore_s": 0.1,
                "ratio": ratio,
                "per_request_ms_suite": ratio,
                "per_request_ms_bare": 1.0,
            },
        },
        "moto_embedded_n2": {**suite, "wall_s": moto_s},
        "schema_validations_per_s": 1000.0,
        "strategy_examples_per_s": {"valid_job_names": 900.0},
    }


@pytest.mark.parametrize(
    ("ratio", "startup_s", "moto_s", "expected"),
    [
        (1.2, 2.0, 30.0, {"marginal_ratio<=1.3": True, "startup<2.5s": True, "moto_n2<60s": True}),
        (1.31, 2.0, 30.0, {"marginal_ratio<=1.3": False}),
        (1.0, 2.5, 30.0, {"startup<2.5s": False}),
        (1.0, 1.0, 61.0, {"moto_n2<60s": False}),
    ],
)
def test_verdicts_follow_the_numbers(ratio, startup_s, moto_s, expected):
    results = _results(ratio, startup_s, moto_s)
    criteria = bench._criteria(results)
    assert {name: criteria[name] for name in expected} == expected
    results["criteria"] = criteria
    text = bench.table(results)
    for name, met in criteria.items():
        assert f"{name}: {'met' if met else 'NOT met'}" in text
    assert f"{ratio}x" in text


@pytest.mark.slow(seconds=50)
def test_one_quick_bench_run_writes_a_complete_document(tmp_path):
    """`python -m bench` end to end, as small as it goes: the table, the JSON, the exit status."""
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--runs",
            "1",
            "--no-moto",
            "--rate-seconds",
            "0.05",
            "--profile",
            "glue-quick",
            "--json",
            str(out),
            "--latency-ms",
            "1",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    document = json.loads(out.read_text())
    results = document["results"]
    assert done.returncode == (0 if all(results["criteria"].values()) else 1), done.stderr[-2000:]
    reference = results["reference"]
    assert reference["suite"]["requests"] > 50
    assert reference["bare_botocore"]["requests"] == reference["suite"]["requests"]
    # The replay is the requests the server saw in a recorded run of the same suite.
    assert abs(reference["replay"]["requests"] - reference["suite"]["requests"]) <= 2
    assert reference["marginal"]["ratio"] > 0
    assert reference["suite"]["counts"]["passed"] > 100
    assert results["reference_n2"]["counts"] == reference["suite"]["counts"]
    assert set(results["strategy_examples_per_s"]) >= {"valid_job_names", "invalid_requests"}
    assert results["schema_validations_per_s"] > 0
    assert "reference: (suite - start-up) / bare" in done.stdout
    # The floor: empty tests for as many as the suite ran, plus the replay; below the suite.
    floor = reference["floor"]
    assert floor["pytest_hypothesis"]["items"] == sum(reference["suite"]["counts"].values())
    assert floor["with_replay_s"] < reference["marginal"]["suite_minus_startup_s"]
    assert "reference: floor (empty tests + replay) / bare" in done.stdout
    [delayed] = results["latency"]
    assert delayed["latency_ms"] == 1
    assert delayed["bare_botocore"]["wall_s"] > reference["bare_botocore"]["wall_s"]
    assert "reference + 1 ms a request: whole run / bare" in done.stdout
    # Stage 1 s: runs that take real time, waited for together.
    staged = results["reference_stage_1"]
    assert staged["counts"]["passed"] == reference["suite"]["counts"]["passed"]
    # Its runs live two stages of 1 s after the start-up: a bound that holds under any load
    # (faster than the stage-0 run, which is CPU-bound, it was once, in a loaded session).
    assert staged["wall_s"] > reference["startup"]["wall_s"] + 2 * 1.0
    assert "stage1<=stage0+4s" in results["criteria"]
    assert document["machine"]["cpus"] >= 1
