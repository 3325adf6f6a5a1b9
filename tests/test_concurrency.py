"""Sending together changes when requests go out, never what is judged: the same results.json
verdicts at `--glue-concurrency 1` and at the default, on the faithful reference endpoint and on
faults of every family the concurrent paths touch (fixed cases, a property's batches, reads and
polls of several runs, listings of several jobs, the stop), and against a target that throttles
every 25th request (the transport's backoff answers it under any concurrency)."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from glue_conformance.reference import ReferenceServer
from glue_conformance.reference.server import GlueError
from tests.test_plugin_run import run_suite

pytestmark = pytest.mark.slow  # each test starts processes (tests/conftest.py)

SWITCHES = [
    frozenset(),
    frozenset({"validation-message-wrong-member"}),  # a fixed case and the property's batches
    frozenset({"not-found-wrong-type"}),  # the edges sent ahead, the valid-names batches
    frozenset({"html-errors"}),  # the envelopes sent ahead
    frozenset({"listing-state-lags"}),  # a listing beside concurrent polls of the same run
    frozenset({"stop-stops-siblings"}),  # the stop, then the runs polled together
]


def _verdicts(report_dir: Path) -> dict[str, str]:
    document = json.loads((report_dir / "results.json").read_text())
    return {check["id"]: check["status"] for check in document["checks"]}


def _run(url: str, report_dir: Path, *args: str) -> dict[str, str]:
    result = run_suite(
        "--target-url", url, "--glue-report-dir", str(report_dir), *args, timeout=300
    )
    assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr[-3000:]
    return _verdicts(report_dir)


@pytest.mark.parametrize("faults", SWITCHES, ids=lambda f: ",".join(sorted(f)) or "faithful")
def test_a_concurrent_run_gives_the_verdicts_of_a_sequential_one(faults, tmp_path):
    seen: dict[str, dict[str, str]] = {}
    for concurrency in ("1", "8"):
        # Stages of 0.25 s: the campaign stops a run right after starting it, and a run of
        # 0.05 s stages ended first once, under four loaded workers (the stop then skips, which
        # is no verdict, in one run of the two).
        with ReferenceServer(faults=faults, stage_seconds=0.25) as server:
            seen[concurrency] = _run(
                server.url, tmp_path / concurrency, "--glue-concurrency", concurrency
            )
    assert seen["1"] == seen["8"]
    failed = {check for check, status in seen["8"].items() if status == "failed"}
    assert bool(failed) == bool(faults), failed  # the fault was seen, the faithful run is clean


def _throttling_every(server: Any, nth: int) -> list[int]:
    """Every `nth` request is answered ThrottlingException; the others as the server would."""
    handle = server.app.handle
    count = [0]
    lock = threading.Lock()

    def throttling(headers: Any, body: bytes) -> Any:
        with lock:
            count[0] += 1
            throttle = count[0] % nth == 0
        if throttle:
            return server.app.error_answer(GlueError("ThrottlingException", "Rate exceeded"))
        return handle(headers, body)

    server.app.handle = throttling  # type: ignore[method-assign]
    return count


def test_throttling_every_25th_request_leaves_the_verdicts_as_they_were(tmp_path):
    with ReferenceServer(stage_seconds=0.05) as server:
        clean = _run(server.url, tmp_path / "clean", "--glue-concurrency", "1")
    with ReferenceServer(stage_seconds=0.05) as server:
        count = _throttling_every(server, 25)
        throttled = _run(server.url, tmp_path / "throttled")
    assert count[0] > 100
    assert throttled == clean


@pytest.mark.parametrize(
    ("concurrency", "max_rps", "workers", "expected"),
    [
        (None, None, 1, 8),  # the default
        (3, None, 1, 3),  # as given
        (None, 5.0, 1, 1),  # a low cap: one at a time is enough to reach it
        (None, 40.0, 2, 2),  # 20 a second for each of two workers
        (None, 500.0, 1, 8),  # a high cap: the default still bounds it
        (4, 5.0, 1, 4),  # given explicitly, it is kept under a cap too
    ],
)
def test_requests_in_flight_follow_the_rate_cap_unless_given(
    concurrency, max_rps, workers, expected
):
    from glue_conformance.engine import Settings

    settings = Settings(concurrency=concurrency, max_rps=max_rps, workers=workers)
    assert settings.at_once == expected


def _embedded_moto(report_dir: Path, *args: str) -> dict[str, str]:
    result = run_suite("--glue-report-dir", str(report_dir), *args, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return _verdicts(report_dir)


def _races(baseline: Path) -> set[str]:
    """Rules of the baseline entries marked not strict: races in the target, seen on some runs
    only, whatever the scheduling (their checks may pass on one run and deviate on the next)."""
    entries = json.loads(baseline.read_text())["deviations"]
    return {entry["rule"] for entry in entries if entry.get("strict") is False}


@pytest.mark.slow(seconds=20)
def test_embedded_moto_gives_the_same_verdicts_at_any_scheduling(tmp_path):
    """The default run against embedded moto, one request at a time, eight at once, and under
    two pytest-xdist workers."""
    races = _races(Path(__file__).parents[1] / "reports" / "baselines" / "moto.json")
    assert races  # (moto's completed-on race)

    def steady(verdicts: dict[str, str]) -> dict[str, str]:
        return {c: s for c, s in verdicts.items() if c.split("[")[0] not in races}

    one = steady(_embedded_moto(tmp_path / "one", "--glue-concurrency", "1"))
    assert steady(_embedded_moto(tmp_path / "default")) == one
    assert steady(_embedded_moto(tmp_path / "n2", "-n", "2")) == one
    assert "known-deviation" in one.values()
    assert "passed" in one.values()
