"""The measurements: each returns plain numbers (seconds, counts, rates), medians over runs."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REQUESTS_LINE = re.compile(r"glue-conformance: (\d+) requests sent")
SUMMARY_LINE = re.compile(r"(\d+) (passed|failed|xfailed|xpassed|skipped|errors?)")


@dataclass(frozen=True)
class SuiteRun:
    """One `pytest conformance` process as a user starts it."""

    wall_s: float
    requests: int
    returncode: int
    counts: dict[str, int]


def pytest_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pytest", "conformance", "-q", "-p", "no:cacheprovider", *args]


def _environment() -> dict[str, str]:
    # The suite's own settings must come from the bench's arguments, not from the caller's shell.
    return {k: v for k, v in os.environ.items() if not k.startswith("GLUE_CONFORMANCE_")}


def run_suite(*args: str, timeout_s: float = 900) -> SuiteRun:
    started = time.perf_counter()
    done = subprocess.run(
        pytest_command(*args),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        env=_environment(),
    )
    wall = time.perf_counter() - started
    found = REQUESTS_LINE.search(done.stdout)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    counts = {word.rstrip("s"): int(n) for n, word in SUMMARY_LINE.findall(last)}
    if done.returncode not in (0, 1):
        raise RuntimeError(
            f"pytest {' '.join(args)} exited {done.returncode}: {last or done.stderr}"
        )
    return SuiteRun(wall, int(found.group(1)) if found else 0, done.returncode, counts)


def median_run(runs: int, *args: str) -> dict[str, Any]:
    samples = [run_suite(*args) for _ in range(runs)]
    return {
        "wall_s": round(statistics.median(s.wall_s for s in samples), 3),
        "samples_s": [round(s.wall_s, 3) for s in samples],
        "requests": int(statistics.median(s.requests for s in samples)),
        "returncode": samples[-1].returncode,
        "counts": samples[-1].counts,
    }


def startup(runs: int, *args: str) -> dict[str, Any]:
    """`pytest conformance --collect-only`: interpreter, imports, plugin, collection."""
    return median_run(runs, "--collect-only", *args)


def bare_botocore_loop(url: str, requests: int, runs: int) -> dict[str, Any]:
    """The floor: one botocore client sending `requests` GetJobRun calls, nothing else, in its
    own process like the suite (so neither shares a GIL with an in-process server)."""
    samples = _samples("bare", url, str(requests), str(runs))
    return {
        "requests": requests,
        "wall_s": round(statistics.median(samples), 3),
        "samples_s": [round(s, 3) for s in samples],
    }


class Recorder:
    """What a server answers while `recording()` is open, as `bench.loops replay` reads it."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []
        self.active = False

    def add(self, target: str | None, body: bytes, signed: bool) -> None:
        if self.active:
            encoded = base64.b64encode(body).decode("ascii")
            self.seen.append({"target": target, "body": encoded, "signed": signed})

    @contextlib.contextmanager
    def recording(self) -> Iterator[list[dict[str, Any]]]:
        self.seen, self.active = [], True
        try:
            yield self.seen
        finally:
            self.active = False


@contextlib.contextmanager
def reference_server(
    stage_seconds: float, latency_s: float = 0.0
) -> Iterator[tuple[str, Recorder]]:
    """The reference endpoint in this process, its handler wrapped to record requests and,
    with `latency_s`, to answer that much later (a stand-in for a target across a network)."""
    from glue_conformance.reference import ReferenceServer

    recorder = Recorder()
    with ReferenceServer(stage_seconds=stage_seconds) as server:
        handle = server.app.handle

        def record(headers: Any, body: bytes) -> Any:
            signed = headers.get("Authorization") is not None
            recorder.add(headers.get("X-Amz-Target"), bytes(body), signed)
            if latency_s:
                time.sleep(latency_s)
            return handle(headers, body)

        server.app.handle = record  # type: ignore[method-assign]
        yield server.url, recorder


@contextlib.contextmanager
def moto_server() -> Iterator[tuple[str, Recorder]]:
    """moto's server in this process on a free port (as its ThreadedMotoServer builds it), with
    a WSGI layer that records requests; the suite and the bare loops share it."""
    import io
    import logging
    import threading

    from moto.server import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    # No line per request, and no traceback for the 500s moto answers to invalid input (its
    # deviations, which the suite reports): the bench's output is its table.
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    recorder = Recorder()
    app = DomainDispatcherApplication(create_backend_app)

    def recording_app(environ: dict[str, Any], start_response: Any) -> Any:
        if recorder.active:
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            signed = "HTTP_AUTHORIZATION" in environ
            recorder.add(environ.get("HTTP_X_AMZ_TARGET"), body, signed)
        return app(environ, start_response)

    server = make_server("127.0.0.1", 0, recording_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", recorder
    finally:
        server.shutdown()
        thread.join()


def replay(url: str, requests: list[dict[str, Any]], runs: int) -> dict[str, Any]:
    """The same requests again from a bare signed-HTTP loop in its own process."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "requests.json"
        path.write_text(json.dumps(requests), encoding="utf-8")
        samples = _samples("replay", url, str(path), str(runs))
    return {
        "requests": len(requests),
        "wall_s": round(statistics.median(samples), 3),
        "samples_s": [round(s, 3) for s in samples],
    }


def _samples(loop: str, *args: str) -> list[float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.loops", loop, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env=_environment(),
        check=True,
    )
    samples: list[float] = json.loads(done.stdout)
    return samples


# The suite's @given tests (the state machine runs inside a plain test, so it is not one).
PROPERTY_TESTS = 3
FLOOR_MODULE = """\
import pytest
from hypothesis import given, strategies as st


@pytest.mark.parametrize("i", range({items}))
def test_item(i):
    pass


@pytest.mark.parametrize("i", range({properties}))
@given(n=st.integers())
def test_property(i, n):
    pass
"""


FLOOR_TIMER = """\
import pathlib
import time

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtestloop(session):
    started = time.perf_counter()
    yield
    pathlib.Path(__file__).with_name("loop_s").write_text(repr(time.perf_counter() - started))
"""


def pytest_hypothesis_floor(items: int, properties: int, runs: int, *args: str) -> dict[str, Any]:
    """What pytest and Hypothesis cost doing nothing: `items` empty tests plus `properties`
    property tests of `st.integers()` under the suite's Hypothesis profile, in a process like the
    suite's (the same plugins load). With the replay of the suite's requests this is a lower bound
    on the suite's marginal time: it has no checks, no strategies and no state machine.

    The time is taken inside the process, around pytest's test loop, because for a few dozen
    empty tests it is smaller than the noise between two start-ups: a run minus a collect-only
    run came out negative (-0.07 s) on a loaded machine."""
    with tempfile.TemporaryDirectory() as folder:
        module = Path(folder) / "test_floor.py"
        module.write_text(FLOOR_MODULE.format(items=items - properties, properties=properties))
        (Path(folder) / "conftest.py").write_text(FLOOR_TIMER)
        timed = Path(folder) / "loop_s"

        def once() -> float:
            command = [sys.executable, "-m", "pytest", str(module), "-q", "-p", "no:cacheprovider"]
            subprocess.run(
                [*command, "--rootdir", folder, *args],
                cwd=folder,
                capture_output=True,
                check=True,
                timeout=300,
                env=_environment(),
            )
            return float(timed.read_text())

        samples = [once() for _ in range(runs)]
    return {
        "items": items,
        "properties": properties,
        "wall_s": round(statistics.median(samples), 3),
        "samples_s": [round(s, 3) for s in samples],
    }


def rate(work: Callable[[], int], seconds: float = 1.0) -> float:
    """Units of `work` per second, measured for at least `seconds` (one warm-up call first)."""
    work()
    done, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        done += work()
    return done / elapsed


def schema_validations_per_s(seconds: float) -> float:
    """The suite's compiled response validator on a JobRun with every member present."""
    from bench.jobrun import full_get_job_run_answer
    from glue_conformance import schemas

    validator = schemas.validator("GetJobRun.response")
    body = full_get_job_run_answer()
    validator.validate(body)  # it must be valid, or the rate would measure error reporting

    def batch() -> int:
        for _ in range(100):
            validator.is_valid(body)
        return 100

    return rate(batch, seconds)


def strategy_examples_per_s(seconds: float) -> dict[str, float]:
    """Examples a second that Hypothesis's engine draws from each public strategy."""
    from hypothesis import HealthCheck, Phase, given, settings

    from glue_conformance import strategies

    subjects = {
        "valid_job_names": strategies.valid_job_names(),
        "invalid_job_names": strategies.invalid_job_names(),
        "valid_run_ids": strategies.valid_run_ids(),
        "invalid_run_ids": strategies.invalid_run_ids(),
        "valid_requests": strategies.get_job_run_requests(valid=True),
        "invalid_requests": strategies.labelled_invalid_requests(),
    }
    rates = {}
    for name, strategy in subjects.items():
        drawn = 0

        @settings(
            max_examples=500,
            database=None,
            derandomize=True,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def draw(_: Any) -> None:
            nonlocal drawn
            drawn += 1

        def batch() -> int:
            nonlocal drawn
            drawn = 0
            draw()
            return drawn

        rates[name] = round(rate(batch, seconds), 1)
    return rates


def median_compare(runs: int, *args: str) -> dict[str, Any]:
    """`glue-conformance compare ARGS` (the shipped record against a target), wall clock, in a
    process of its own: what a comparison costs beside the run it complements."""
    samples = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "glue_conformance", "compare", *args, "--out", out],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=900,
                env=_environment(),
            )
            samples.append(time.perf_counter() - started)
            if done.returncode not in (0, 1):
                raise RuntimeError(f"compare {' '.join(args)} exited {done.returncode}")
    return {
        "wall_s": round(statistics.median(samples), 3),
        "samples_s": [round(s, 3) for s in samples],
        "returncode": done.returncode,
    }
