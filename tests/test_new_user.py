"""Small things a new user met (#28): each a test that fails without its fix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from glue_conformance.checks.base import Context, Deviation
from glue_conformance.engine import Engine, Settings
from glue_conformance.model import Model
from glue_conformance.observe import Judge, Record
from glue_conformance.reports import text
from glue_conformance.rules import RULES
from glue_conformance.targets import DUMMY, Target
from glue_conformance.transport import SentRequest
from glue_conformance.usage import report_dir_problem
from tests.test_plugin_run import run_suite, usage_line


def test_a_rule_s_further_deviations_carry_no_run_of_spaces() -> None:
    """results.json's message and a report's one-line cell read '... (and 2 more: ...)', not
    '...              (and 2 more'; the console text still aligns the line under 'observed:'."""
    rule = RULES["response.schema"]
    judge = Judge(Model(), Context())
    judge.records[rule.id] = Record(
        judged=3,
        deviations=[Deviation(rule, f"GetJobRun: wrong {i}", None, Context()) for i in range(3)],
    )
    with pytest.raises(Deviation) as raised:
        judge.verdict(rule.id)
    observed = raised.value.observed
    assert observed == "GetJobRun: wrong 0\n(and 2 more: GetJobRun; GetJobRun...)"
    assert "  " not in text.one_line(observed)
    shown = str(raised.value).splitlines()
    at = shown.index("  observed:  GetJobRun: wrong 0")
    assert shown[at + 1] == " " * len("  observed:  ") + "(and 2 more: GetJobRun; GetJobRun...)"


def test_a_whole_number_default_shows_as_one() -> None:
    """`--glue-max-runs` showed '(default 20.0)' in --help and the README's table."""
    from glue_conformance.options import OPTIONS, options_table

    runs = next(option for option in OPTIONS if option.name == "max-runs")
    assert runs.shown_default == "20"
    assert "(default 20)" in options_table()
    assert ".0)" not in options_table()
    shown = subprocess.run(
        [sys.executable, "-m", "pytest", "--help", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "(default 20)" in " ".join(shown.split())
    assert "(default 20.0)" not in " ".join(shown.split())


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux's /proc")
def test_a_report_dir_that_cannot_be_made_is_refused_before_anything_is_sent() -> None:
    """`--glue-report-dir /proc/nope` passed every permission check (as root /proc is
    'writable'), ran the whole suite, then exited 3: the folder is now made and removed first."""
    assert report_dir_problem(Path("/proc/nope")) == (
        "cannot be created: No such file or directory"
    )
    result = run_suite("--glue-report-dir", "/proc/nope/out", timeout=60)
    usage_line(result, "--glue-report-dir /proc/nope/out cannot be created")
    assert "requests sent" not in result.stdout


def test_checking_a_report_dir_leaves_nothing_behind(tmp_path: Path) -> None:
    assert report_dir_problem(tmp_path / "a" / "b" / "c") is None
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "kept").mkdir()
    assert report_dir_problem(tmp_path / "kept" / "new") is None
    assert [p.name for p in tmp_path.iterdir()] == ["kept"]
    assert list((tmp_path / "kept").iterdir()) == []


def _sent(job: str) -> SentRequest:
    body = json.dumps({"JobName": job, "RunId": "jr_1"}).encode()
    headers = {"X-Amz-Target": "AWSGlue.GetJobRun", "Content-Type": "application/x-amz-json-1.1"}
    return SentRequest("POST", "http://127.0.0.1:5000/", headers, body, True)


def test_a_reproduction_of_the_run_s_own_deleted_job_says_so() -> None:
    """`reproduce:` of response.timeout.default answered EntityNotFoundException: the cleanup had
    deleted the job. The line beside it says so; a job the run did not create gets no note."""
    engine = Engine(Settings(kind="reference"), owner_token="ab12cd34")
    target = Target(
        url="http://127.0.0.1:5000", kind="url", region="us-east-1", credentials=DUMMY, aws=False
    )
    ctx = engine.context(target)
    assert ctx.created_prefix == "glue-conformance-ab12cd34-"
    rule = RULES["response.timeout.default"]
    own = str(
        Deviation(
            rule, "Timeout absent", None, ctx, request=_sent("glue-conformance-ab12cd34-defaults")
        )
    )
    assert "note:      the job glue-conformance-ab12cd34-defaults was this run's own" in own
    assert own.index("reproduce:") < own.index("this run's own")
    theirs = str(Deviation(rule, "x", None, ctx, request=_sent("their-job")))
    assert "this run's own" not in theirs
    # read-only mode creates and deletes nothing
    reading = Engine(
        Settings(kind="url", target_url="http://127.0.0.1:5000", job_name="j", run_id="jr_1"),
        owner_token="ab12cd34",
    )
    assert reading.context(target).created_prefix is None


def test_checks_md_names_every_tolerant_rule_that_fails_on_a_5xx() -> None:
    """docs/checks.md said tolerant rules never fail; validation.scalar-for-string failed on
    moto's HTTP 500 (its check also applies protocol.no-server-error). The page names each
    tolerant rule whose check does, found in the suite's test files."""
    import ast

    from glue_conformance.rules import Strictness

    root = Path(__file__).resolve().parents[1]
    failing_on_5xx = set()
    for path in (root / "conformance").glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            marked = [
                d.args[0].value
                for d in node.decorator_list
                if isinstance(d, ast.Call)
                and getattr(d.func, "attr", "") == "rule"
                and isinstance(d.args[0], ast.Constant)
            ]
            calls = {
                n.func.attr
                for n in ast.walk(node)
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            }
            if "check_no_server_error" in calls:
                failing_on_5xx |= {r for r in marked if RULES[r].strictness is Strictness.TOLERANT}
    assert "validation.scalar-for-string" in failing_on_5xx
    page = (root / "docs" / "checks.md").read_text(encoding="utf-8")
    tolerant = " ".join(page.split("**tolerant**", 1)[1].split("\n\n", 1)[0].split())
    assert "never fails it." not in tolerant
    assert "5xx" in tolerant
    for rule in failing_on_5xx:
        assert f"`{rule}`" in tolerant, rule


def test_the_order_of_a_listing_with_iso_timestamps_is_judged() -> None:
    """moto-ext lists runs oldest first, with StartedOn as ISO strings: the order check looked
    at numbers only and passed it unseen."""
    from glue_conformance.checks.listing import check_newest_first
    from tests.test_checks import listing_of, run, runs_page

    older, newer = "2026-12-06T20:12:20.580510", "2026-12-06T20:12:30.034819"
    check_newest_first(listing_of(runs_page(run(StartedOn=newer), run(StartedOn=older))), Context())
    with pytest.raises(Exception, match="StartedOn in this order"):
        check_newest_first(
            listing_of(runs_page(run(StartedOn=older), run(StartedOn=newer))), Context()
        )


def test_the_package_the_command_imports_before_pytest_is_not_to_be_rewritten() -> None:
    """From a wheel, pytest marks the plugin's package for assertion rewriting after the
    `glue-conformance` command imported it, and warned on every run. The one module of the suite
    the command imports and pytest marks is the package itself; its docstring opts it out
    (tests/test_installed.py runs the wheel's command and finds no warning)."""
    from _pytest.assertion.rewrite import AssertionRewriter

    import glue_conformance

    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, glue_conformance.cli;"
            "print(sorted(m for m in sys.modules if m.startswith('glue_conformance')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert imported.strip() == "['glue_conformance', 'glue_conformance.cli']"
    assert AssertionRewriter.is_rewrite_disabled(glue_conformance.__doc__ or "")


def test_the_readme_no_longer_offers_n_auto_and_says_when_n_pays() -> None:
    """On 2 cores `-n 2` was slower than one process (bench), and measured so for glue-nightly
    too: the README does not offer `-n auto`, it links the measurement, and the nightly's tox
    env runs one process."""
    import configparser

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "-n auto" not in readme
    assert "docs/performance.md#-n" in readme
    performance = (root / "docs" / "performance.md").read_text(encoding="utf-8")
    section = performance.split("\n## -n\n", 1)[1].split("\n## ", 1)[0]
    assert "| run | -n 0 | -n 2 |" in section
    assert "glue-nightly" in section
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(root / "tox.ini", encoding="utf-8")
    assert " -n " not in tox["testenv:nightly"]["commands"]
