"""The conformance run as a user starts it: `pytest conformance ...` in a subprocess.

Each run here starts a real target (embedded moto, or a misbehaving local server), so these are
the slowest of the project's tests; the Hypothesis profile is `quick` to keep them short.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from glue_conformance.outcomes import EXIT_TARGET_UNUSABLE
from tests import children
from tests.servers import closed_port, serve

pytestmark = pytest.mark.slow  # each test starts processes (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "reports" / "baselines" / "moto.json"


def run_suite(*args: str, env: dict[str, str] | None = None, timeout: int = 300):
    command = [
        sys.executable,
        "-m",
        "pytest",
        "conformance",
        "-p",
        "no:cacheprovider",
        "--hypothesis-profile",
        "glue-quick",
        *args,
    ]
    # The suite's own settings come from the arguments only; and the output has one shape
    # everywhere (with CI or BUILD_NUMBER set, pytest prints each whole failure message again in
    # the short summary, which would double every count taken from it).
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GLUE_CONFORMANCE_") and k not in ("CI", "BUILD_NUMBER")
    }
    environment.update(env or {})
    return children.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=environment
    )


def _counts(output: str) -> dict[str, int]:
    line = output.strip().splitlines()[-1]
    return {
        word: int(n)
        for n, word in re.findall(r"(\d+) (passed|failed|xfailed|xpassed|skipped|error)", line)
    }


def _under_baseline(counts: dict[str, int]) -> dict[str, int]:
    """Counts with a baseline's checks as one number: a non-strict entry (a race in the target,
    seen on some runs only) is xfailed on one run and xpassed on the next."""
    settled = {k: v for k, v in counts.items() if k != "xpassed"}
    settled["xfailed"] = counts.get("xfailed", 0) + counts.get("xpassed", 0)
    return settled


def _non_strict(baseline: Path) -> set[str]:
    entries = json.loads(baseline.read_text())["deviations"]
    return {e["rule"] for e in entries if e.get("strict", True) is False}


@pytest.fixture(scope="module")
def moto_baseline_run():
    return run_suite("-q")


def test_default_run_against_embedded_moto_exits_0_with_known_deviations(moto_baseline_run):
    result = moto_baseline_run
    assert result.returncode == 0, result.stdout[-3000:]
    counts = _counts(result.stdout)
    assert counts.get("failed", 0) == 0
    assert counts["xfailed"] > 0
    assert counts["passed"] > 0
    # The known deviations are only a count on the terminal: it says where to see them.
    hint = f"glue-conformance: {counts['xfailed']} known deviations (xfailed, from the baseline)"
    assert hint in result.stdout
    # The README says what this run ends with: its figures within a tenth (issue 36: they drift).
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.search(r'ends with about "(\d+) passed, (\d+) xfailed"', readme)
    assert stated is not None
    for word, figure in zip(("passed", "xfailed"), stated.groups(), strict=True):
        assert abs(int(figure) - counts[word]) <= counts[word] / 10, (word, counts)


def test_a_moto_server_started_elsewhere_takes_the_moto_baseline_by_name(moto_baseline_run):
    """`--target-url` makes any server a plain URL (no baseline by default); `--glue-baseline moto`
    names the committed one, with the same verdicts as the embedded moto."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        result = run_suite("-q", "--target-url", f"http://{host}:{port}", "--glue-baseline", "moto")
    finally:
        server.stop()
    assert result.returncode == 0, result.stdout[-3000:]
    # The suite sets the state manager only of a moto it started, so elsewhere moto's runs end
    # at once and the stop cannot be judged, nor a queued start beyond a limit no RUNNING run
    # holds (lifecycle.queuing.accepted): two known deviations become two skips, no more.
    here = _under_baseline(_counts(moto_baseline_run.stdout))
    there = _under_baseline(_counts(result.stdout))
    assert there["passed"] == here["passed"]
    assert there["xfailed"] + there.get("skipped", 0) == here["xfailed"] + here.get("skipped", 0)
    assert there.get("skipped", 0) <= 2


def test_an_unknown_baseline_names_the_committed_ones():
    result = run_suite(
        "-q", "--glue-target", "reference", "--glue-baseline", "localstack", timeout=60
    )
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert (
        "--glue-baseline localstack: no such file (committed baselines: ministack, moto-ext, moto)"
        in result.stderr
    )


def test_without_baseline_moto_deviations_fail_and_name_their_rules(moto_baseline_run):
    result = run_suite("-q", "--glue-baseline", "none")
    assert result.returncode == 1
    import json

    rules = {entry["rule"] for entry in json.loads(BASELINE.read_text())["deviations"]}
    failed_rules = set(re.findall(r"^\[([a-z0-9.\-]+)\] ", result.stdout, flags=re.M))
    assert rules - _non_strict(BASELINE) <= failed_rules, rules - failed_rules
    failed = _counts(result.stdout)["failed"]
    known = _counts(moto_baseline_run.stdout)
    # Each deviation the baseline knows fails without it; a non-strict entry's race may or may
    # not show in either run (one check each here).
    wobble = len(_non_strict(BASELINE))
    assert known["xfailed"] - wobble <= failed <= known["xfailed"] + known.get("xpassed", 0)


def test_xdist_gives_the_same_verdicts(moto_baseline_run):
    result = run_suite("-q", "-n", "2")
    assert result.returncode == 0, result.stdout[-3000:]
    assert _under_baseline(_counts(result.stdout)) == _under_baseline(
        _counts(moto_baseline_run.stdout)
    )


def _said_once(result, expected: str) -> None:
    """Exit 69 and one line that says it: no traceback, no second copy between '!' rulers."""
    output = result.stdout + result.stderr
    assert result.returncode == EXIT_TARGET_UNUSABLE, output[-2000:]
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert expected in lines[0]
    assert "Traceback" not in output


def usage_line(result, expected: str) -> None:
    """Exit 4 and one line in the suite's one format, `glue-conformance: <what> (<fix>)`."""
    output = result.stdout + result.stderr
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, output[-2000:]
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output[-2000:]
    assert re.fullmatch(r"glue-conformance: .+ \(.+\)", lines[0]), lines[0]
    assert expected in lines[0]


def test_unreachable_target_is_one_line_and_exit_69():
    url = f"http://127.0.0.1:{closed_port()}"
    result = run_suite("--target-url", url, timeout=60)
    _said_once(result, f"target {url} unusable (unreachable): connection refused")


def test_env_var_fallback_for_the_target_url():
    url = f"http://127.0.0.1:{closed_port()}"
    result = run_suite(env={"GLUE_CONFORMANCE_TARGET_URL": url}, timeout=60)
    assert result.returncode == EXIT_TARGET_UNUSABLE
    assert url in result.stdout + result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.invalid",
        "glue.eu-west-1.amazonaws.com",  # no scheme
        "http://",
        "http://[::1",  # not even parseable
        "http://127.0.0.1:99999",
        "http://127.0.0.1:port",
    ],
)
def test_a_url_that_is_no_target_is_one_usage_line(url):
    """A value that cannot work is a usage error (4), not an unusable target (69)."""
    result = run_suite("--target-url", url, timeout=60)
    usage_line(result, f"--target-url {url!r}: expected http(s)://host[:port]")


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--glue-request-timeout", "abc"], {}, "--glue-request-timeout takes a number, not 'abc'"),
        (["--glue-request-timeout", "0"], {}, "--glue-request-timeout must be more than 0, not 0"),
        (
            [],
            {"GLUE_CONFORMANCE_MAX_RPS": "fast"},
            "GLUE_CONFORMANCE_MAX_RPS takes a number, not 'fast'",
        ),
        (["--glue-lifecycle-timeout", "nan"], {}, "--glue-lifecycle-timeout takes a finite number"),
        (["--glue-reference-stage-seconds", "-1"], {}, "must be at least 0, not -1"),
        (["--glue-reference-fault", "nope"], {}, "--glue-reference-fault nope: no such fault"),
        (["--glue-region", ""], {}, "--glue-region '': not a region name"),
    ],
)
def test_an_option_value_that_cannot_work_is_one_usage_line(args, env, expected):
    """Checked once before anything is sent: exit 4 (usage), one line, not an error per test."""
    result = run_suite("--glue-target", "reference", *args, env=env, timeout=60)
    usage_line(result, expected)


def test_the_options_do_not_clash_with_common_pytest_plugins():
    """The plugin loads in every pytest run of an environment it is installed in, so its flags
    must leave the names of well-known plugins alone (pytest-timeout's --timeout,
    pytest-profiling's --profile)."""
    from glue_conformance.options import OPTIONS

    names = {option.flag for option in OPTIONS}
    assert not names & {"--timeout", "--profile", "--html", "--benchmark", "--count", "--reruns"}


def test_http_server_that_is_not_aws_json_is_refused_in_one_line():
    def html(_, __):
        return 404, {"Content-Type": "text/html"}, b"<html><body>Not Found</body></html>"

    with serve(html) as (url, _):
        result = run_suite("--target-url", url, timeout=60)
    assert result.returncode == EXIT_TARGET_UNUSABLE
    assert "does not speak AWS JSON 1.1" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_report_dir_views_agree_on_a_faulty_endpoint(tmp_path):
    """results.json, junit.xml, report.md and report.html name the same failing checks."""
    import json
    import xml.etree.ElementTree as ET

    out = tmp_path / "report"
    result = run_suite(
        "-q",
        "--glue-target",
        "reference",
        "--glue-reference-fault",
        "iso-timestamps",
        "--glue-reference-fault",
        "json-content-type",
        "--glue-report-dir",
        str(out),
    )
    assert result.returncode == 1
    data = json.loads((out / "results.json").read_text())
    failed = {c["id"] for c in data["checks"] if c["status"] == "failed"}
    assert data["summary"]["failed"] == len(failed) > 0
    assert {c["rule"] for c in data["checks"] if c["status"] == "failed"} >= {
        "response.timestamps.epoch-number",
        "protocol.content-type",
    }
    suites = ET.parse(out / "junit.xml").getroot()
    junit_failed = sum(int(s.get("failures", 0)) for s in suites.iter("testsuite"))
    assert junit_failed == len(failed)
    html = (out / "report.html").read_text()
    markdown = (out / "report.md").read_text()
    for check_id in failed:
        assert check_id in html
        assert check_id in markdown
    assert all(
        c["reproduction"]["curl"]
        for c in data["checks"]
        if c["status"] == "failed" and c["request"]
    )
    assert "curl -sS" in html


def test_report_dir_has_no_failure_rows_for_a_faithful_endpoint(tmp_path):
    import json

    out = tmp_path / "report"
    result = run_suite(
        "-q",
        "--glue-target",
        "reference",
        "--glue-report-dir",
        str(out),
        "--glue-target-name",
        "reference-nightly",
    )
    assert result.returncode == 0, result.stdout[-2000:]
    data = json.loads((out / "results.json").read_text())
    assert data["target"]["name"] == "reference-nightly"  # the history line it joins
    assert data["summary"]["failed"] == 0
    assert data["summary"]["conformance_pct"] == 100.0
    assert "No deviations" in (out / "report.html").read_text()
