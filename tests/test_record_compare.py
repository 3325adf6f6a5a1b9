"""`glue-conformance record` and `compare`, without AWS: the shipped record of the reference
endpoint is in step with the campaign, the reference answers as its record does, every seeded
fault the campaign reaches shows as a difference (the differential mutation score, printed at the
end of the session), and the embedded emulators' differences cover their baselines' deviations
of the rules the campaign judges."""

from __future__ import annotations

import json
import logging
import re
import shutil
import types
from pathlib import Path

import pytest

from glue_conformance import compare as C
from glue_conformance import record as R
from glue_conformance.baseline import load as load_baseline
from glue_conformance.cli import main
from glue_conformance.reference.catalogue import FAULTS
from glue_conformance.reports.results import validate
from glue_conformance.targets import ministack_executable
from tests import scores

REGENERATE = "glue-conformance record --glue-target reference --out reports/reference.record.json"


def options(**changes):
    base = {
        "region": "us-east-1",
        "reference_fault": [],
        "allow_billable": False,
        "max_runs": 20,
        "job_role": None,
        "lifecycle_timeout": 10.0,  # (a fault's runs that never end cost this)
        "request_timeout": 10.0,
        "aws_profile": None,
    }
    return types.SimpleNamespace(**{**base, **changes})


def played(kind: str, *faults: str) -> tuple[R.Played, dict]:
    logging.getLogger("werkzeug").disabled = True
    run = R.play(
        R.settings_for(kind, None, options(reference_fault=list(faults))), owner="test-owner"
    )
    return run, R.make_record(run, window_s=900.0)


def differences(kind: str, *faults: str) -> tuple[list[C.Difference], R.Played]:
    shipped = R.load(R.shipped_path())
    run, record = played(kind, *faults)
    found = C.compare(shipped["exchanges"], record["exchanges"])
    C.name_rules(found, run, record["exchanges"])
    return found, run


# --- the record ---------------------------------------------------------------------------------


def test_shipped_record_is_valid_small_and_stable_text():
    text = Path(R.shipped_path()).read_text("utf-8")
    record = json.loads(text)
    R.validate(record)
    assert len(text.encode()) < 1024 * 1024
    assert R.render(record) == text, f"not as `record` writes it: {REGENERATE}"
    operations = {e["operation"] for e in record["exchanges"]}
    assert {"CreateJob", "StartJobRun", "BatchStopJobRun", "GetJobRun", "GetJobRuns"} <= operations
    # nothing that differs on every run is left literal
    assert not re.search(r"glue-conformance-(?!token|placeholder)", text)
    assert "123456789012" not in text


@pytest.mark.slow  # starts a target and plays the whole tour
def test_reference_answers_as_its_shipped_record():
    """Keeps the shipped record in step with the campaign: a change to what the campaign sends
    shows here first (then regenerate it with REGENERATE)."""
    found, _ = differences("reference")
    assert not found, f"{len(found)} differences, e.g. {found[0].as_dict()}; {REGENERATE}"


def test_symbols_and_relations():
    symbolizer = R.Symbolizer(owner="abc123", window_s=5.0)
    start = R.Capture(
        "StartJobRun",
        {"JobName": "glue-conformance-abc123-x"},
        200,
        {},
        {"JobRunId": "jr_0123456789abcdef"},
        sent=100.0,
        received=100.5,
        phase="start",
    )
    read = R.Capture(
        "GetJobRun",
        {"JobName": "glue-conformance-abc123-x", "RunId": "jr_0123456789abcdef"},
        200,
        {"x-amzn-requestid": "a-request-id"},
        {
            "JobRun": {
                "Id": "jr_0123456789abcdef",
                "JobName": "glue-conformance-abc123-x",
                "StartedOn": 100.2,
                "LastModifiedOn": 99.0,
                "CompletedOn": 5000.0,
                "ExecutionTime": 3,
                "ErrorMessage": "run jr_0123456789abcdef failed",
                "Arguments": {"--secret-key": "hunter2hunter2"},
                "Role": "arn:aws:iam::210987654321:role/my-role",
            }
        },
        sent=101.0,
        received=101.2,
        phase="wait",
    )
    first, second = symbolizer.exchanges([start, read])
    assert first["request"] == {"JobName": "{job:1}"}
    assert first["body"] == {"JobRunId": "{run:1}"}
    run = second["body"]["JobRun"]
    assert second["headers"] == {"x-amzn-requestid": "{request-id}"}
    assert run["Id"] == "{run:1}"
    assert run["JobName"] == "{job:1}"
    assert run["StartedOn"] == "{time:start}"
    assert run["LastModifiedOn"] == "{time:<StartedOn}"  # modified before it started
    assert run["CompletedOn"] == "{time:>StartedOn,late,>LastModifiedOn}"  # beyond the clock
    assert run["ExecutionTime"] == "{seconds:bounded}"
    assert run["ErrorMessage"] == "run {run:1} failed"
    assert run["Arguments"] == {"--secret-key": "***"}
    assert run["Role"] == "arn:aws:iam::{account}:role/{role}"


def test_members_ignore_map_order_and_keep_list_order():
    symbols = C.SymbolMap()
    assert not list(C.members({"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1}, "", symbols))
    assert [p for p, _, _ in C.members({"b": [1, 2]}, {"b": [2, 1]}, "", symbols)] == [
        "b[0]",
        "b[1]",
    ]
    assert [p for p, _, _ in C.members({"x": True}, {"x": 1}, "", symbols)] == ["x"]
    # symbols are mapped one to one, not matched by number
    assert not list(C.members(["{run:1}", "{run:2}"], ["{run:4}", "{run:5}"], "", symbols))
    assert list(C.members(["{run:1}"], ["{run:5}"], "", symbols))  # {run:1} is {run:4}


# --- the commands ---------------------------------------------------------------------------------


@pytest.mark.slow  # starts a target and plays the whole tour
def test_record_then_compare_by_the_command_line(tmp_path, capsys):
    out = tmp_path / "reference.json"
    assert main(["record", "--glue-target", "reference", "--out", str(out)]) == 0
    R.load(str(out))
    assert main(["compare", str(out), "reference", "--out", str(tmp_path / "same")]) == 0
    results = json.loads((tmp_path / "same" / "results.json").read_text())
    validate(results)
    assert results["comparison"]["counts"]["differences"] == 0
    assert "no difference" in capsys.readouterr().out
    # a fault: exit 1, the difference member by member, in every view
    code = main(
        [
            "compare",
            str(out),
            "--glue-target",
            "reference",
            "--glue-reference-fault",
            "execution-time-in-millis",
            "--out",
            str(tmp_path / "fault"),
        ]
    )
    assert code == 1
    printed = capsys.readouterr().out
    assert "JobRun.ExecutionTime" in printed
    assert "curl -sS" in printed
    results = json.loads((tmp_path / "fault" / "results.json").read_text())
    validate(results)
    assert results["comparison"]["counts"]["differences"] > 0
    assert "ExecutionTime" in (tmp_path / "fault" / "report.md").read_text()
    assert "ExecutionTime" in (tmp_path / "fault" / "report.html").read_text()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('{"format": "glue-conformance/record@9"}', "unknown record format"),
        ('{"format": "glue-conformance/record@1", "exchanges": []}', "fails its schema"),
        ("[1, 2", "is not JSON"),
    ],
)
def test_a_bad_record_is_one_line_and_exit_4(tmp_path, capsys, content, said):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    assert main(["compare", str(bad), "reference", "--out", str(tmp_path / "o")]) == 4
    err = capsys.readouterr().err
    assert said in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()  # never compares garbage


def test_record_against_aws_needs_allow_billable(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-a-real-secret-key")
    out = tmp_path / "aws.json"
    code = main(["record", "https://glue.us-east-1.amazonaws.com", "--out", str(out)])
    assert code == 4
    err = capsys.readouterr().err
    assert "--glue-allow-billable" in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


# --- what comparison finds ------------------------------------------------------------------------


PARTS = 6  # the faults, dealt into parts that pytest-xdist's workers share


@pytest.mark.slow(seconds=60)  # starts a target and plays the whole tour, per fault of its part
@pytest.mark.parametrize("part", range(PARTS))
def test_differential_mutation_score(part, request):
    """Every seeded fault the campaign reaches (the campaign's own observation point sees a
    rule the fault breaks deviate) differs from the shipped record in at least one member.
    (Each part's report carries its counts; the session prints their sum: tests/scores.py.)"""
    missed, reached, killed = [], 0, 0
    names = sorted(FAULTS)[part::PARTS]
    for name in names:
        found, run = differences("reference", name)
        judged = {rule for rule, record in run.judge.records.items() if record.deviations}
        if found:
            killed += 1
        if set(FAULTS[name].kills) & judged:
            reached += 1
            if not found:
                missed.append(name)
    shown = reached - len(missed)
    counts = {"killed": killed, "faults": len(names), "reached": reached, "shown": shown}
    scores.record(request.node, "differential", **counts)
    assert not missed, f"faults the campaign reaches that no difference shows: {missed}"


def _cover(kind: str) -> None:
    found, run = differences(kind)
    baseline = load_baseline("auto", kind)
    assert baseline is not None
    semantic = {
        entry["rule"]
        for entry in baseline.deviations
        if run.judge.records.get(entry["rule"]) and run.judge.records[entry["rule"]].deviations
    }
    named = {rule for difference in found for rule in difference.rules}
    assert semantic, f"{kind}: no baseline rule the campaign judges deviated"
    assert semantic <= named, f"{kind}: baseline deviations no difference shows: {semantic - named}"


@pytest.mark.slow  # starts a target and plays the whole tour
def test_moto_differences_cover_its_baseline():
    _cover("moto")


@pytest.mark.slow  # starts ministack and plays the whole tour
@pytest.mark.skipif(
    not shutil.which("ministack")
    and not __import__("os").environ.get("GLUE_CONFORMANCE_MINISTACK"),
    reason="ministack not installed (see docs/emulators.md)",
)
def test_ministack_differences_cover_its_baseline():
    ministack_executable()
    _cover("ministack")


@pytest.mark.slow  # starts ministack and plays the whole tour
@pytest.mark.skipif(
    not shutil.which("ministack")
    and not __import__("os").environ.get("GLUE_CONFORMANCE_MINISTACK"),
    reason="ministack not installed (see docs/emulators.md)",
)
def test_compare_moto_with_ministack(tmp_path, capsys):
    code = main(["compare", "moto", "ministack", "--out", str(tmp_path)])
    assert code == 1
    results = json.loads((tmp_path / "results.json").read_text())
    validate(results)
    assert results["comparison"]["record"]["kind"] == "moto"
    assert results["comparison"]["counts"]["differences"] > 0
    assert "embedded ministack against embedded moto" in capsys.readouterr().out


@pytest.mark.parametrize(("compare_s", "met"), [(20.0, True), (61.0, False)])
def test_the_bench_holds_compare_to_twice_the_default_run(compare_s, met):
    import bench.__main__ as bench
    from tests.test_bench import _results

    results = _results(1.0, 1.0, 30.0)
    results["moto_embedded_n0"] = {"wall_s": 30.0, "requests": 100, "counts": {"passed": 1}}
    results["compare_moto"] = {"wall_s": compare_s, "samples_s": [compare_s], "returncode": 1}
    criteria = bench._criteria(results)
    assert criteria["compare_moto<=2x_default"] is met
    results["criteria"] = criteria
    text = bench.table(results)
    assert "compare: shipped record vs embedded moto" in text
    assert f"{compare_s / 30.0:.2f}x the default run" in text


# --- what timing alone decides: relations, not values (issue #34) -------------------------------


def _exchange(n, operation, request, body, *, phase="wait", sent_ms=0, took_ms=1):
    return {
        "n": n,
        "phase": phase,
        "operation": operation,
        "request": request,
        "status": 200,
        "headers": {"content-type": "application/x-amz-json-1.1"},
        "body": body,
        "timing": {"sent_ms": sent_ms, "took_ms": took_ms},
    }


def _read(n, run, state, *, phase="wait", **more):
    body = {"JobRun": {"Id": run, "JobName": "{job:1}", "JobRunState": state, **more}}
    return _exchange(n, "GetJobRun", {"JobName": "{job:1}", "RunId": run}, body, phase=phase)


def _started(n, run, sent_ms, took_ms):
    return _exchange(
        n,
        "StartJobRun",
        {"JobName": "{job:1}"},
        {"JobRunId": run},
        phase="start",
        sent_ms=sent_ms,
        took_ms=took_ms,
    )


def _states(found):
    return [(d.path, d.recorded, d.answered) for d in found]


def test_a_state_still_going_is_a_position_on_the_allowed_path():
    path = ("STARTING", "RUNNING", "SUCCEEDED")
    assert C.on_path("RUNNING", path)
    assert C.on_path("STARTING", ("RUNNING", "SUCCEEDED"))  # not as far along yet
    assert C.on_path("RUNNING", ("STARTING", "SUCCEEDED"))  # a state the record's reads skipped
    assert not C.on_path("STOPPING", path)  # STOPPING never leads to SUCCEEDED
    assert not C.on_path("SUCCEEDED", ("STARTING", "RUNNING", "FAILED"))  # terminal: exactly
    assert not C.on_path("COMPLETED", path)  # a state the life cycle does not know
    assert not C.on_path("RUNNING", None)  # a run the record never read
    record = [
        _started(1, "{run:1}", 0, 2),
        _read(2, "{run:1}", "STARTING", phase="start"),
        _read(3, "{run:1}", "RUNNING"),
        _read(4, "{run:1}", "SUCCEEDED"),
    ]
    later = [*record[:1], _read(2, "{run:1}", "RUNNING", phase="start"), *record[2:]]
    assert not C.compare(record, later)  # RUNNING where the record read STARTING: pace
    stopping = [*record[:1], _read(2, "{run:1}", "STOPPING", phase="start"), *record[2:]]
    assert _states(C.compare(record, stopping)) == [("JobRun.JobRunState", "STARTING", "STOPPING")]
    failed = [*record[:3], _read(4, "{run:1}", "FAILED")]
    assert _states(C.compare(record, failed)) == [("JobRun.JobRunState", "SUCCEEDED", "FAILED")]


def _listing(n, runs, *, token=None, next_token=None, state="SUCCEEDED", phase="wait"):
    request = {"JobName": "{job:1}", "MaxResults": 2}
    if token:
        request["NextToken"] = token
    body = {"JobRuns": [{"Id": run, "JobRunState": state} for run in runs]}
    if next_token:
        body["NextToken"] = next_token
    return _exchange(n, "GetJobRuns", request, body, phase=phase)


def _walk(first, runs, tokens):
    pages = [runs[i : i + 2] for i in range(0, len(runs), 2)]
    out = []
    for i, page in enumerate(pages):
        given = tokens[i] if i + 1 < len(pages) else None
        out.append(_listing(first + i, page, token=tokens[i - 1] if i else None, next_token=given))
    return out


def test_a_settled_listing_is_compared_page_by_page_of_its_walk():
    """The pages of a walk ask the same but for a token: each is the page it leads to, so a
    record compared with itself differs in nothing, whatever the tokens are (offsets that
    repeat in every walk)."""
    starts = [_started(i, f"{{run:{i}}}", 10 * i, 2) for i in range(1, 7)]
    runs = [f"{{run:{i}}}" for i in range(6, 0, -1)]
    record = [*starts, *_walk(7, runs, ["{token:1}", "{token:2}"])]
    assert C.pages(record) == {7: 1, 8: 2, 9: 3}
    assert not C.compare(record, record)
    offsets = [
        *starts,
        *_walk(7, runs, ["{token:1}", "{token:2}"]),
        *_walk(10, runs, ["{token:1}", "{token:2}"]),
    ]
    assert not C.compare(offsets, offsets)  # the same walk again, the same offset tokens
    missing = [*starts, *_walk(7, runs[:3] + runs[4:], ["{token:1}", "{token:2}"])]
    assert C.compare(record, missing)  # a run left out of the listing still differs


def test_a_listing_after_one_start_more_is_another_question():
    """The concurrency-limit scenario lists a job while its run is held, starts one more, and
    lists it again: the first listing, all ended, is not the settled answer the later one
    (one run longer) must repeat; a run missing from the later listing still differs."""

    def listed(n, *runs):
        body = {"JobRuns": [{"Id": run, "JobRunState": state} for run, state in runs]}
        return _exchange(n, "GetJobRuns", {"JobName": "{job:1}"}, body)

    record = [
        _started(1, "{run:1}", 0, 2),
        listed(2, ("{run:1}", "SUCCEEDED")),
        _started(3, "{run:2}", 10, 2),
        listed(4, ("{run:2}", "RUNNING"), ("{run:1}", "SUCCEEDED")),
    ]
    assert C.listing_epochs(record) == {2: 1, 4: 2}
    assert not C.compare(record, record)
    lost = [*record[:3], listed(4, ("{run:1}", "SUCCEEDED"))]
    assert "JobRuns[1]" in [d.path for d in C.compare(record, lost)]


def test_runs_started_together_are_compared_as_a_set():
    """Two StartJobRun that overlap on the client's clock: which the target numbered first is
    timing, so the listing may name them in either order; runs started apart keep theirs."""
    record = [_started(1, "{run:1}", 0, 20), _started(2, "{run:2}", 5, 20)]
    assert C.started_together(record) == {"{run:1}": 1, "{run:2}": 1}
    listed = [*record, _listing(3, ["{run:2}", "{run:1}"])]
    swapped = [*record, _listing(3, ["{run:1}", "{run:2}"])]
    assert not C.compare(listed, swapped)
    apart = [_started(1, "{run:1}", 0, 2), _started(2, "{run:2}", 10, 2)]
    assert C.started_together(apart) == {}
    assert C.compare([*apart, listed[-1]], [*apart, swapped[-1]])  # the order is behaviour


def test_later_is_pace_before_is_not():
    record = [
        _started(1, "{run:1}", 0, 2),
        _read(
            2,
            "{run:1}",
            "SUCCEEDED",
            LastModifiedOn="{time:StartedOn}",
            CompletedOn="{time:StartedOn,=LastModifiedOn}",
        ),
    ]
    later = [
        record[0],
        _read(
            2,
            "{run:1}",
            "SUCCEEDED",
            LastModifiedOn="{time:>StartedOn}",
            CompletedOn="{time:>StartedOn,>LastModifiedOn}",
        ),
    ]
    assert not C.compare(record, later)
    before = [
        record[0],
        _read(
            2,
            "{run:1}",
            "SUCCEEDED",
            LastModifiedOn="{time:<StartedOn}",
            CompletedOn="{time:StartedOn,=LastModifiedOn}",
        ),
    ]
    assert _states(C.compare(record, before)) == [
        ("JobRun.LastModifiedOn", "{time:StartedOn}", "{time:<StartedOn}")
    ]
    # later than the client saw pass (a StartedOn backdated inside the clock window)
    longer = [
        record[0],
        _read(
            2,
            "{run:1}",
            "SUCCEEDED",
            LastModifiedOn="{time:>StartedOn,longer}",
            CompletedOn="{time:StartedOn,=LastModifiedOn}",
        ),
    ]
    assert [d.path for d in C.compare(record, longer)] == ["JobRun.LastModifiedOn"]
    symbolizer = R.Symbolizer(owner=None, window_s=900.0)
    start = R.Capture("StartJobRun", {}, 200, {}, {"JobRunId": "jr_1"}, 1000.0, 1000.1, "start")
    body = {
        "JobRun": {
            "Id": "jr_1",
            "JobRunState": "RUNNING",
            "StartedOn": 400.0,
            "LastModifiedOn": 1000.05,
        }
    }
    read = R.Capture("GetJobRun", {}, 200, {}, body, 1001.0, 1001.1, "wait")
    assert symbolizer.exchanges([start, read])[1]["body"]["JobRun"]["LastModifiedOn"] == (
        "{time:>StartedOn,longer}"
    )


def test_a_timestamp_in_text_is_a_relation_too():
    """moto-ext's ISO 8601 texts differ on every run as numbers do: a relation, with its form."""
    symbolizer = R.Symbolizer(owner=None, window_s=5.0)
    start = R.Capture(
        "StartJobRun",
        {},
        200,
        {},
        {"JobRunId": "jr_1"},
        sent=1.8e9,
        received=1.8e9 + 0.5,
        phase="start",
    )
    read = R.Capture(
        "GetJobRun",
        {},
        200,
        {},
        {
            "JobRun": {
                "Id": "jr_1",
                "JobRunState": "RUNNING",
                "StartedOn": "2027-01-15T08:00:00.100000",
                "LastModifiedOn": "2027-01-15T08:00:00.100000",
            }
        },
        sent=1.8e9 + 1,
        received=1.8e9 + 1.1,
        phase="wait",
    )
    _, second = symbolizer.exchanges([start, read])
    run = second["body"]["JobRun"]
    assert run["StartedOn"] == "{time:start,iso}"
    assert run["LastModifiedOn"] == "{time:StartedOn,iso}"


def _free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _same(sides, out):
    code = main(["compare", *sides, "--out", str(out)])
    counts = json.loads((out / "results.json").read_text())["comparison"]["counts"]
    return code, counts["differences"]


@pytest.mark.slow(seconds=170)  # plays the campaign 26 times, beside suite runs
def test_a_target_compared_with_itself_differs_in_nothing(tmp_path, monkeypatch):
    """Every embedded target against itself, and a self-started moto_server against its own
    record, three times out of three, while `glue-conformance run` loads the same machine."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    bin_dir = Path(sys.executable).parent
    kinds = ["moto", "reference"]
    for kind, variable in (
        ("ministack", "GLUE_CONFORMANCE_MINISTACK"),
        ("moto-ext", "GLUE_CONFORMANCE_MOTO_EXT"),
    ):
        if os.environ.get(variable) or (kind == "ministack" and shutil.which("ministack")):
            kinds.append(kind)
    suite = [str(bin_dir / "glue-conformance"), "run", "--glue-target", "reference", "-q"]
    beside: list[subprocess.Popen] = []

    def with_a_suite_run_beside(sides, out):
        """A second suite run on the same machine is going when each comparison starts."""
        if not beside or beside[-1].poll() is not None:
            beside.append(
                subprocess.Popen(
                    [*suite, "-p", "no:cacheprovider"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    cwd=tmp_path,
                )
            )
        return _same(sides, out)

    port = _free_port()
    moto = subprocess.Popen(
        [str(bin_dir / "moto_server"), "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        record = tmp_path / "moto-self.json"
        assert main(["record", url, "--out", str(record)]) == 0
        found = {}
        for attempt in range(3):
            for kind in kinds:
                found[(kind, attempt)] = with_a_suite_run_beside(
                    [kind, kind], tmp_path / f"{kind}-{attempt}"
                )
            found[("moto_server", attempt)] = with_a_suite_run_beside(
                [str(record), url], tmp_path / f"self-{attempt}"
            )
        differing = {key: value for key, value in found.items() if value != (0, 0)}
        assert not differing, f"(exit code, differences) of self-comparisons: {differing}"
    finally:
        moto.terminate()
        moto.wait(timeout=10)
        for run in beside:
            run.terminate()
            run.wait(timeout=30)
    assert len(beside) > 1  # the suite ran beside them, more than once
