"""reports/: the writer refuses bad results, every view agrees with results.json, nothing secret
or executable gets out, and diff/history/render behave as CI needs."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from glue_conformance.reports import results as R
from glue_conformance.reports.__main__ import main
from glue_conformance.reports.diff import category, diff
from glue_conformance.reports.history import find_runs
from glue_conformance.reports.markdown_view import PER_RULE, render_markdown
from glue_conformance.reports.redaction import redact, redact_text
from glue_conformance.reports.writer import junit_from_results, merge, write_run
from glue_conformance.rules import RULES, Group

# Marker secrets: none of these may appear in any file a run writes.
SECRET_KEY = "MARKERwJalrXUtnFEMIK7MDENGbPxRfiCYsecretKEY"
SESSION_TOKEN = "MARKERFwoGZXIvYXdzEBYaDsessionTOKENxyz0123456789"
SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edbMARKERsig"
DB_PASSWORD = "MARKERhunter2dbpassword"
ESCAPED_KEY_SECRET = "MARKERescapedkeyvalue"
MARKERS = (SECRET_KEY, SESSION_TOKEN, SIGNATURE, DB_PASSWORD, ESCAPED_KEY_SECRET)

URL = "http://127.0.0.1:5000/"
SHA = "3f1c2a9be0d44f6a8c7b5e2d1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a"
XSS = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _no_ambient_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Redaction also masks the environment's AWS secrets; tests must not depend on the host's."""
    for name in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def signed_headers(target: str = "AWSGlue.GetJobRun") -> dict[str, str]:
    return {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": target,
        "X-Amz-Date": "20261125T050001Z",
        "X-Amz-Security-Token": SESSION_TOKEN,
        "Authorization": (
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/glue/aws4_request, "
            f"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={SIGNATURE}"
        ),
    }


def exchange(body: str, status: int, answer: str, content_type: str = "application/x-amz-json-1.1"):
    request = {"method": "POST", "url": URL, "headers": signed_headers(), "body": body}
    response = {
        "status": status,
        "headers": {"Content-Type": content_type, "x-amzn-RequestId": "4c1b7f2e-0000-4000-8000"},
        "body": answer,
    }
    headers = " ".join(f"-H '{k}: {v}'" for k, v in signed_headers().items())
    reproduction = {
        "curl": f"curl -sS -X POST '{URL}' {headers} --data-raw '{body}'",
        "boto3": (
            "boto3.client('glue', endpoint_url='http://127.0.0.1:5000', region_name='us-east-1', "
            f"aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='{SECRET_KEY}', "
            f"aws_session_token='{SESSION_TOKEN}').get_job_run(**json.loads({body!r}))"
        ),
    }
    return {"request": request, "response": response, "reproduction": reproduction}


def make_check(rule_id: str, case: str, status: str, **fields: Any) -> dict[str, Any]:
    rule = RULES[rule_id]
    check = {
        "id": R.check_id(rule_id, case),
        "rule": rule_id,
        "case": case,
        "group": rule.group.value,
        "statement": rule.statement,
        "evidence": rule.cite(),
        "strictness": rule.strictness.value,
        "status": status,
        "message": "",
        "observed": "",
        "request": None,
        "response": None,
        "reproduction": None,
        "baseline": None,
        "nodeid": f"conformance/test_{rule.group.value.replace('-', '_')}.py::test_{case or 'x'}",
        "duration_s": 0.012,
    }
    check.update(fields)
    return check


def make_results(checks: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
    results = {
        "format": R.FORMAT,
        "suite": {"name": "glue-conformance", "version": "0.1.0"},
        "target": {"url": "http://127.0.0.1:5000", "kind": "moto", "version": "moto 5.2.5"},
        "model": {
            "botocore": "1.44.8",
            "service": "glue",
            "apiVersion": "2017-03-31",
            "operationModelSha256": SHA,
        },
        "hypothesis": {"profile": "ci", "seed": "310457209718825412039816249352394216"},
        "baseline": {"name": "moto", "path": "reports/baselines/moto.json", "entries": 7},
        "started": "2026-11-25T05:00:00Z",
        "finished": "2026-11-25T05:00:41Z",
        "duration_s": 41.2,
        "summary": R.summarize(checks),
        "completeness": {
            "complete": True,
            "planned": len(checks),
            "judged": sum(c["status"] in R.DEVIATIONS or c["status"] == "passed" for c in checks),
            "reason": None,
        },
        "checks": checks,
    }
    results.update(overrides)
    return results


LONG_NAME = "a" * 256


def faulty_checks() -> list[dict[str, Any]]:
    """A moto-like run: two validation failures, an XSS/surrogate body, leaked Arguments, a
    signed-URL auth failure, a known deviation, a tolerant observation and a skip."""
    too_long = json.dumps({"JobName": LONG_NAME, "RunId": "jr_1"})
    lone = '{"JobName": "job", "RunId": "\\ud800"}'
    start = json.dumps(
        {
            "JobName": "job",
            "Arguments": {
                "--db-password": DB_PASSWORD,
                "--pass\u0077ord-escaped": "x",
                "--mode": "full",
            },
        }
    )
    answer_args = (
        '{"JobRun": {"Id": "jr_1", "JobName": "job", "JobRunState": "SUCCEEDED", '
        '"StartedOn": 1795597200.0, "Arguments": {"--db-pass\\u0077ord": "'
        + ESCAPED_KEY_SECRET
        + '", "--db-password": "'
        + DB_PASSWORD
        + '", "--mode": "fast"}}}'
    )
    signed_url = f"{URL}?X-Amz-Credential=AKIDEXAMPLE%2F20261125&X-Amz-Signature={SIGNATURE}"
    return [
        make_check("validation.status.400", "JobName-length-max", "passed"),
        make_check(
            "validation.error-type",
            "JobName-length-max",
            "failed",
            message="error type resolved to 'InvalidInputException', expected ValidationException",
            **exchange(
                too_long,
                400,
                '{"__type": "InvalidInputException", "message": "Job name too long"}',
            ),
        ),
        make_check(
            "validation.error-type",
            "RunId-length-min",
            "failed",
            message="no error type in __type, code or X-Amzn-ErrorType",
            **exchange('{"JobName": "job", "RunId": ""}', 400, "Bad Request"),
        ),
        make_check(
            "validation.message.member",
            "RunId-lone-surrogate",
            "failed",
            message=f"message does not name 'runId': {XSS}",
            **exchange(
                lone,
                500,
                f"<html><body>{XSS} RunId \ud800 \x00\x1b[31m bidi\u202e</body></html>",
                "text/html",
            ),
        ),
        make_check(
            "response.arguments.echoed",
            "",
            "failed",
            message="JobRun.Arguments['--mode'] is 'fast', StartJobRun sent 'full'",
            **exchange(start, 200, answer_args),
        ),
        make_check(
            "protocol.auth.missing",
            "presigned-url",
            "failed",
            message=(
                "answered 200 to a request whose Authorization: AWS4-HMAC-SHA256 "
                f"Credential=AKIDEXAMPLE/20261125, Signature={SIGNATURE} was stale"
            ),
            request={"method": "POST", "url": signed_url, "headers": {}, "body": "{}"},
            response={"status": 200, "headers": {}, "body": "{}"},
            reproduction={
                "curl": f"curl -sS -X POST '{signed_url}' --user AKIDEXAMPLE:{SECRET_KEY}",
                "boto3": f"boto3.client('glue', aws_secret_access_key={SECRET_KEY!r})",
            },
        ),
        make_check(
            "protocol.content-type",
            "error",
            "known-deviation",
            message="Content-Type was 'application/json'",
            baseline={
                "what": "moto answers errors with Content-Type: application/json",
                "evidence": "getmoto/moto: glue responses use json content type",
            },
            **exchange(
                '{"JobName": "missing", "RunId": "jr_1"}',
                400,
                '{"__type": "EntityNotFoundException", "message": "Job missing not found"}',
                "application/json",
            ),
        ),
        make_check("protocol.request-id", "", "passed"),
        make_check(
            "validation.length.utf16",
            "emoji-128",
            "passed",
            observed="128 emoji (256 UTF-16 units) accepted: the target counts code points",
        ),
        make_check("not-found.unknown-job", "", "passed"),
        make_check("sdk.response.parses", "", "passed"),
        make_check(
            "lifecycle.transitions", "", "skipped", message="moto state manager not configured"
        ),
    ]


def faulty_results() -> dict[str, Any]:
    return make_results(faulty_checks())


def clean_results() -> dict[str, Any]:
    checks = [
        make_check(c["rule"], c["case"], "skipped" if c["status"] == "skipped" else "passed")
        for c in faulty_checks()
    ]
    return make_results(
        checks,
        target={"url": "https://glue.us-east-1.amazonaws.com", "kind": "url", "version": None},
        baseline=None,
        hypothesis={"profile": "nightly", "seed": None},
    )


def ids(results: dict[str, Any], *statuses: str) -> set[str]:
    return {c["id"] for c in results["checks"] if c["status"] in statuses}


class _Text(HTMLParser):
    """The text a reader sees, and the elements a browser would build."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def parse_html(document: str) -> _Text:
    parser = _Text()
    parser.feed(document)
    parser.close()
    return parser


# --- schema and writer -----------------------------------------------------------------------


def test_schema_is_draft_2020_12_and_fixtures_conform():
    Draft202012Validator.check_schema(R.schema())
    assert R.schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for results in (faulty_results(), clean_results()):
        Draft202012Validator(R.schema()).validate(results)
        R.validate(results)


def test_groups_match_the_rule_catalogue():
    assert tuple(group.value for group in Group) == R.GROUPS
    assert {rule.group.value for rule in RULES.values()} <= set(R.GROUPS)


def test_a_second_run_into_a_folder_keeps_the_first_for_diff(tmp_path: Path):
    """The README's step 5 diffs the run before with this one: the run that replaces a
    results.json keeps it as previous-results.json (issue 36: step 5 read a file no step wrote)."""
    first = faulty_results()
    write_run(first, tmp_path)
    before = (tmp_path / "results.json").read_text(encoding="ascii")
    second = copy.deepcopy(first)
    second["duration_s"] = first["duration_s"] + 1
    write_run(second, tmp_path)
    assert (tmp_path / "previous-results.json").read_text(encoding="ascii") == before
    assert R.load(tmp_path / "previous-results.json")["summary"] == first["summary"]


def test_write_run_writes_every_view_and_results_validate(tmp_path: Path):
    written = write_run(faulty_results(), tmp_path)
    assert set(written) == {"results", "markdown", "html", "junit"}
    assert {p.name for p in tmp_path.iterdir()} == {
        "results.json",
        "report.md",
        "report.html",
        "junit.xml",
    }
    stored = json.loads((tmp_path / "results.json").read_text(encoding="ascii"))
    Draft202012Validator(R.schema()).validate(stored)
    assert R.load(tmp_path / "results.json")["summary"] == faulty_results()["summary"]


def _mutations() -> dict[str, Any]:
    def drop(key: str):
        return lambda r: r.pop(key)

    def check(index: int, **fields: Any):
        return lambda r: r["checks"][index].update(fields)

    return {
        "missing checks": drop("checks"),
        "missing baseline member": drop("baseline"),
        "wrong format": lambda r: r.update(format="glue-conformance/results@3"),
        "unknown member": lambda r: r.update(extra=1),
        "bad target kind": lambda r: r["target"].update(kind="localstack"),
        "short sha": lambda r: r["model"].update(operationModelSha256="abc"),
        "offset timestamp": lambda r: r.update(started="2026-11-25T05:00:00+00:00"),
        "bad status": check(1, status="error"),
        "bad group": check(1, group="auth"),
        "bad strictness": check(1, strictness="lenient"),
        "response status": check(1, response={"status": 999, "headers": {}, "body": ""}),
        "header not text": check(
            1, request={"method": "POST", "url": URL, "headers": {"a": 1}, "body": ""}
        ),
        "id not rule+case": check(1, id="validation.error-type"),
        "duplicate id": lambda r: r["checks"].append(copy.deepcopy(r["checks"][1])),
        "summary disagrees": lambda r: r["summary"].update(failed=0),
        "pct disagrees": lambda r: r["summary"].update(conformance_pct=99.0),
        "known deviation without baseline": check(6, baseline=None),
        "finished before started": lambda r: r.update(finished="2026-11-25T04:00:00Z"),
        "NaN duration": lambda r: r.update(duration_s=float("nan")),
        "bytes body": check(1, request={"method": "POST", "url": URL, "headers": {}, "body": b""}),
        "checks not a list": lambda r: r.update(checks="x"),
    }


@pytest.mark.parametrize("name", list(_mutations()))
def test_writer_refuses_invalid_results(tmp_path: Path, name: str):
    results = faulty_results()
    _mutations()[name](results)
    with pytest.raises(R.ResultsError) as excinfo:
        write_run(results, tmp_path / "out")
    assert "\n" not in str(excinfo.value)
    assert not (tmp_path / "out").exists()


def test_extension_members_are_allowed():
    results = faulty_results()
    results["x-ci"] = {"job": 42}
    results["checks"][0]["x-examples"] = 100
    R.validate(results)


@pytest.mark.parametrize(
    ("statuses", "pct"),
    [
        ([], 100.0),
        (["skipped", "skipped"], 100.0),
        (["passed", "passed", "failed"], 66.7),
        (["passed", "known-deviation", "skipped"], 50.0),
        (["passed"] * 87 + ["failed"] * 13 + ["skipped"] * 5, 87.0),
    ],
)
def test_conformance_pct_excludes_skipped(statuses: list[str], pct: float):
    summary = R.summarize({"status": s} for s in statuses)
    assert summary["conformance_pct"] == pct
    assert summary["total"] == len(statuses)


def test_junit_left_alone_when_present_unless_asked(tmp_path: Path):
    (tmp_path / "junit.xml").write_text("<testsuites/>", encoding="utf-8")
    written = write_run(faulty_results(), tmp_path)
    assert "junit" not in written
    assert (tmp_path / "junit.xml").read_text(encoding="utf-8") == "<testsuites/>"
    written = write_run(faulty_results(), tmp_path, overwrite_junit=True)
    assert ET.parse(written["junit"]).getroot().tag == "testsuites"


def test_reproduction_may_lack_a_tool(tmp_path: Path):
    """boto3 cannot send a body that is not JSON; the check then has a curl line only."""
    results = faulty_results()
    check = results["checks"][2]
    check["reproduction"] = {"curl": check["reproduction"]["curl"], "boto3": None}
    written = write_run(results, tmp_path)
    visible = "".join(parse_html(written["html"].read_text(encoding="utf-8")).parts)
    assert "Reproduce with curl" in visible
    assert "None" not in visible
    assert "None" not in written["markdown"].read_text(encoding="utf-8")


def test_headline_names_the_target_and_group_conformance(tmp_path: Path):
    written = write_run(clean_results(), tmp_path)
    document = written["html"].read_text(encoding="utf-8")
    assert "<h1>glue.us-east-1.amazonaws.com" in document
    markdown = written["markdown"].read_text(encoding="utf-8")
    assert "| lifecycle | 0 | 0 | 0 | 1 | 1 | — |" in markdown
    assert "| validation | 5 | 0 | 0 | 0 | 5 | 100.0 % |" in markdown
    faulty = write_run(faulty_results(), tmp_path / "f")["markdown"].read_text(encoding="utf-8")
    assert "| validation | 2 | 3 | 0 | 0 | 5 | 40.0 % |" in faulty


# --- merge -----------------------------------------------------------------------------------


def test_merge_recomputes_summary_and_span():
    whole = faulty_results()
    checks = whole["checks"]
    parts = [
        make_results(checks[:4], started="2026-11-25T05:00:03Z", finished="2026-11-25T05:00:30Z"),
        make_results(checks[4:9], started="2026-11-25T05:00:00Z", finished="2026-11-25T05:00:41Z"),
        make_results(checks[9:], started="2026-11-25T05:00:01Z", finished="2026-11-25T05:00:20Z"),
    ]
    for part in parts:
        part["summary"] = {**part["summary"], "passed": 999}  # stale: merge must not trust it
    merged = merge(parts)
    assert merged["checks"] == checks
    assert merged["summary"] == R.summarize(checks) == whole["summary"]
    assert (merged["started"], merged["finished"]) == (whole["started"], whole["finished"])
    assert merged["duration_s"] == 41.2
    R.validate(merged)


def test_merge_refuses_mixed_runs_and_duplicates():
    a, b = faulty_results(), faulty_results()
    with pytest.raises(R.ResultsError, match=r"validation\.status\.400"):
        merge([a, b])
    b["checks"] = []
    b["target"] = {**b["target"], "url": "http://127.0.0.1:5001"}
    with pytest.raises(R.ResultsError, match="target"):
        merge([a, b])
    with pytest.raises(R.ResultsError):
        merge([])


# --- HTML ------------------------------------------------------------------------------------


def test_html_is_self_contained_and_safe(tmp_path: Path):
    write_run(faulty_results(), tmp_path)
    raw = (tmp_path / "report.html").read_bytes()
    document = raw.decode("utf-8")  # strict: a lone surrogate would not have encoded
    lowered = document.lower()
    assert "<script" not in lowered
    assert "<link" not in lowered
    assert "<iframe" not in lowered
    assert "<img" not in lowered
    assert "@import" not in lowered
    assert "url(" not in lowered
    assert not re.search(r"""(?:src|href|action|data)\s*=\s*["']?\s*(?:https?:)?//""", lowered)
    parsed = parse_html(document)
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                assert value is not None
                assert value.startswith("#"), (tag, value)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "\\ud800" in document
    assert "\ud800" not in document
    assert "\x00" not in document
    assert "\x1b" not in document
    assert "\u202e" not in document
    assert '<span class="esc">\\u0000</span>' in document
    assert "@media print" in document


def test_html_shows_every_deviation_with_its_reproduction(tmp_path: Path):
    results = faulty_results()
    written = write_run(results, tmp_path)
    visible = "".join(parse_html(written["html"].read_text(encoding="utf-8")).parts)
    stored = R.load(written["results"])
    for check in stored["checks"]:
        if check["status"] in ("failed", "known-deviation"):
            assert check["id"] in visible
            assert check["rule"] in visible
            assert check["reproduction"]["curl"] in visible
            assert check["reproduction"]["boto3"] in visible
            assert check["statement"] in visible
    assert "No deviations" not in visible
    # JSON bodies are pretty-printed.
    assert '"__type": "InvalidInputException",\n' in visible


def test_html_for_a_clean_run_has_no_failure_rows(tmp_path: Path):
    document = write_run(clean_results(), tmp_path)["html"].read_text(encoding="utf-8")
    assert "No deviations" in document
    assert 'class="case"' not in document
    assert 'class="rule ' not in document
    assert "100.0 %" in document


# --- views agree -----------------------------------------------------------------------------


def _md_counts(markdown: str) -> dict[str, int]:
    line = next(ln for ln in markdown.splitlines() if ln.startswith("**total**"))
    return {k: int(v) for k, v in re.findall(r"\*\*([a-z-]+)\*\* (\d+)", line)}


def _md_section_ids(markdown: str, heading: str) -> set[str]:
    """Check ids a status section names: detailed or listed one a line, or (past a rule's few
    detailed cases) in the rule's "N more cases of this rule" paragraph."""
    match = re.search(rf"^### {heading} \(\d+\)$(.*?)(?=^### |\Z)", markdown, re.M | re.S)
    if match is None:
        return set()
    found = set(re.findall(r"^- (?:\*\*)?`([^`]+)`", match.group(1), re.M))
    for rule in _md_rules(match.group(1)):
        found |= set(rule.names)
    return found


MORE_CASES = re.compile(r"^(\d+) more cases? of this rule \(details in report\.html\)(.*)$", re.M)
AND_MORE = re.compile(r"… and (\d+) more")


@dataclass
class MdRule:
    """One `#### rule` section of report.md, as a reader counts it."""

    rule: str
    count: int  # the heading's "— N <status>"
    details: int  # cases shown with their exchange
    more: int  # the "N more cases of this rule" line; 0 when absent
    names: list[str]  # check ids named after that line, inline or one a line
    left: int  # the "… and M more" that ends the list; 0 when absent


def _md_rules(markdown: str) -> list[MdRule]:
    rules = []
    for section in re.split(r"^(?=#{2,4} )", markdown, flags=re.M):
        head = re.match(r"#### `([^`]+)` — (\d+) ", section)
        if head is None:
            continue
        details = len(re.findall(r"^- \*\*`", section, re.M))
        more = MORE_CASES.search(section)
        names: list[str] = []
        left = 0
        if more:
            tail = section[more.start(2) :]
            names = re.findall(r"`([^`]+)`", more.group(2))
            names += re.findall(r"^- `([^`]+)`", tail, re.M)
            left = sum(int(n) for n in AND_MORE.findall(tail))
        count = int(head.group(2))
        rules.append(
            MdRule(head.group(1), count, details, int(more[1]) if more else 0, names, left)
        )
    return rules


def _assert_md_counts_add_up(markdown: str, results: dict[str, Any]) -> None:
    """Every count report.md states agrees with what it lists and with results.json."""
    rules = _md_rules(markdown)
    for rule in rules:
        assert 1 <= rule.details <= PER_RULE, rule
        assert rule.details + rule.more == rule.count, rule
        if rule.names:  # else a bare count, nothing named
            assert len(rule.names) + rule.left == rule.more, rule
        assert len(set(rule.names)) == len(rule.names), rule
    overflow = re.search(
        r"^### (\d+) more deviations$(.*?)(?=^### |^<sub>|\Z)", markdown, re.M | re.S
    )
    spilled = 0
    if overflow:
        spilled = int(overflow[1])
        listed = re.findall(r"^- `", overflow[2], re.M)
        left = [int(n) for n in re.findall(r"^- … and (\d+) more$", overflow[2], re.M)]
        assert len(listed) + sum(left) == spilled
        assert len(left) <= 1
    deviations = ids(results, *R.DEVIATIONS)
    assert sum(rule.count for rule in rules) + spilled == len(deviations)


@pytest.mark.parametrize("make", [faulty_results, clean_results])
def test_markdown_junit_and_results_agree(tmp_path: Path, make):
    written = write_run(make(), tmp_path)
    stored = R.load(written["results"])
    summary = stored["summary"]
    markdown = written["markdown"].read_text(encoding="utf-8")
    junit = ET.parse(written["junit"]).getroot()
    suite = junit.find("testsuite")
    assert suite is not None

    counts = {k: v for k, v in summary.items() if k != "conformance_pct"}
    assert _md_counts(markdown) == counts
    assert _md_section_ids(markdown, "Failed") == ids(stored, "failed")
    assert _md_section_ids(markdown, "Known deviations") == ids(stored, "known-deviation")

    cases = suite.findall("testcase")
    assert int(suite.get("tests", -1)) == len(cases) == summary["total"]
    assert int(suite.get("failures", -1)) == summary["failed"]
    assert int(suite.get("skipped", -1)) == summary["skipped"] + summary["known-deviation"]
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    known = {c.get("name") for c in cases if c.find("skipped[@type='known-deviation']") is not None}
    skipped = {c.get("name") for c in cases if c.find("skipped[@type='skipped']") is not None}
    assert failed == ids(stored, "failed")
    assert known == ids(stored, "known-deviation")
    assert skipped == ids(stored, "skipped")
    if not failed and not known:
        assert "No deviations" in markdown
        assert "### Failed" not in markdown


def test_junit_text_is_valid_xml_despite_control_characters():
    document = junit_from_results(faulty_results())
    root = ET.fromstring(document.encode("utf-8"))
    text = ET.tostring(root, encoding="unicode")
    assert "\\u0000" in text
    assert "\\ud800" in text


def test_markdown_escapes_html_and_fences_bodies():
    markdown = render_markdown(redact(faulty_results()))
    outside_fences = re.sub(r"^ *(`{3,})[a-z]*\n.*?^ *\1$", "", markdown, flags=re.M | re.S)
    assert "<script" not in outside_fences
    assert "&lt;script&gt;" in outside_fences
    assert "\ud800" not in markdown
    assert "\x00" not in markdown


def _many_failures(count: int) -> dict[str, Any]:
    checks = [
        make_check(
            "validation.property.invalid-requests",
            f"case-{i}",
            "failed",
            message="x" * 300,
            **exchange(json.dumps({"JobName": "j" * 300, "RunId": str(i)}), 400, "y" * 3000),
        )
        for i in range(count)
    ]
    return make_results(checks)


def test_markdown_lists_every_case_of_a_rule_but_details_a_few():
    results = redact(_many_failures(30))
    markdown = render_markdown(results)
    assert _md_section_ids(markdown, "Failed") == ids(results, "failed")
    assert markdown.count("<details>") == 3
    assert "27 more cases of this rule" in markdown
    _assert_md_counts_add_up(markdown, results)


@pytest.mark.slow
def test_markdown_stays_within_a_pr_comment():
    # One rule's 400 cases are its section's count and case names, not 400 overflow lines
    # (the overflow is for rules that get no section; see the next test).
    results = redact(_many_failures(400))
    markdown = render_markdown(results)
    assert len(markdown) < 65_536
    assert "400 failed" in markdown
    assert "more deviations" not in markdown
    _assert_md_counts_add_up(markdown, results)


def _every_rule_failing(per_rule: int) -> dict[str, Any]:
    checks = [
        make_check(
            rule,
            f"case-{i}",
            "failed",
            message="x" * 300,
            **exchange(json.dumps({"JobName": "j" * 300, "RunId": str(i)}), 400, "y" * 3000),
        )
        for rule in RULES
        for i in range(per_rule)
    ]
    return make_results(checks)


@pytest.mark.slow
def test_markdown_overflow_stays_within_a_pr_comment_and_adds_up():
    results = redact(_every_rule_failing(12))
    markdown = render_markdown(results)
    assert len(markdown) < 65_536
    assert "more deviations" in markdown
    assert "… and " in markdown  # 456 deviations: the overflow list is cut too
    _assert_md_counts_add_up(markdown, results)


_MOTO_KINDS = (
    "256-chars",
    "4096-chars",
    "U+FFFE",
    "U+FFFF",
    "bell-inside",
    "empty",
    "lone-high-surrogate",
    "lone-low-surrogate",
    "missing",
    "nul",
    "null",
    "reversed-surrogates",
    "trailing-crlf",
    "trailing-newline",
    "unit-separator",
    "tab-inside",
)
_MOTO_500 = (
    "<!doctype html><html><head><title>500 Internal Server Error</title></head><body>"
    "<h1>Internal Server Error</h1><p>The server encountered an internal error and was unable "
    "to complete your request. Either the server is overloaded or there is an error in the "
    "application.</p></body></html>"
)


def _moto_like() -> dict[str, Any]:
    """What embedded moto answers: four validation rules with 32 same-cause cases each (two
    with 256- and 4096-character names echoed back), and protocol deviations with HTML 500s."""
    baseline = {"what": "moto does not validate GetJobRun input", "evidence": "section 1"}
    checks = []
    for rule in (
        "validation.error-type",
        "validation.message.constraint",
        "validation.message.grammar",
        "validation.message.member",
    ):
        for member in ("JobName", "RunId"):
            for kind in _MOTO_KINDS:
                value = "a" * {"256-chars": 256, "4096-chars": 4096}.get(kind, 8)
                request = {"JobName": "job", "RunId": "jr_1", member: value}
                answer = {"__type": "EntityNotFoundException", "message": f"Job {value} not found."}
                checks.append(
                    make_check(
                        rule,
                        f"{member}-{kind}",
                        "known-deviation",
                        message="error type 'EntityNotFoundException'",
                        baseline=baseline,
                        **exchange(
                            json.dumps(request), 400, json.dumps(answer), "application/json"
                        ),
                    )
                )
    for rule, cases in (
        ("protocol.content-type", ("malformed-json", "not-found", "unknown-operation")),
        ("protocol.error.body", ("malformed-json", "unknown-operation")),
        ("protocol.malformed-json", ("",)),
        ("protocol.unknown-operation", ("",)),
        ("protocol.auth.missing", ("",)),
    ):
        for case in cases:
            checks.append(
                make_check(
                    rule,
                    case,
                    "known-deviation",
                    message="answered 500 with Content-Type text/html",
                    baseline={"what": "moto answers 500 with an HTML page", "evidence": "e"},
                    **exchange("{not json", 500, _MOTO_500, "text/html; charset=utf-8"),
                )
            )
    return make_results(checks)


def test_markdown_more_cases_count_matches_what_is_listed():
    # The "N more cases of this rule" line once counted cases that a tight budget then moved
    # to the overflow section (29 announced, 18 listed, the rest counted twice).
    results = redact(_moto_like())
    for budget in (60_000, 30_000, 12_000, 6_000):
        markdown = render_markdown(results, budget=budget)
        assert len(markdown) < 65_536
        _assert_md_counts_add_up(markdown, results)


def test_markdown_details_every_rule_of_a_moto_like_run():
    # Three same-cause validation rules once took the whole budget, leaving moto's protocol
    # deviations (HTML 500 pages, an unsigned request answered) as bare ids in the overflow.
    results = redact(_moto_like())
    markdown = render_markdown(results)
    assert len(markdown) < 65_536
    assert "more deviations" not in markdown
    deviating = [c for c in results["checks"] if c["status"] in R.DEVIATIONS]
    shown = _md_rules(markdown)
    assert [r.rule for r in shown] == [rule for rule, _ in R.by_rule(deviating)]
    assert all(1 <= r.details <= PER_RULE for r in shown)
    assert "500 Internal Server Error" in markdown
    # a short case says what a 4096-character one says: the short ones are the examples
    assert "a" * 4096 not in markdown
    _assert_md_counts_add_up(markdown, results)


# --- redaction -------------------------------------------------------------------------------


def test_no_secret_reaches_any_written_file(tmp_path: Path):
    results = faulty_results()
    assert any(m in json.dumps(results) for m in MARKERS)  # the fixture does carry them
    write_run(results, tmp_path)
    for path in tmp_path.iterdir():
        content = path.read_text(encoding="utf-8")
        for marker in MARKERS:
            assert marker not in content, (path.name, marker)
    stored = R.load(tmp_path / "results.json")
    # Evidence that is not secret stays.
    by_id = {c["id"]: c for c in stored["checks"]}
    failing = by_id["validation.error-type[JobName-length-max]"]
    assert failing["request"]["headers"]["Authorization"] == "***"
    assert failing["request"]["headers"]["X-Amz-Target"] == "AWSGlue.GetJobRun"
    assert "X-Amz-Target: AWSGlue.GetJobRun" in failing["reproduction"]["curl"]
    assert LONG_NAME in failing["reproduction"]["curl"]
    assert (
        json.loads(by_id["response.arguments.echoed"]["response"]["body"])["JobRun"]["Arguments"][
            "--mode"
        ]
        == "fast"
    )


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        (
            f"-H 'Authorization: AWS4-HMAC-SHA256 Signature={SIGNATURE}' -H 'X-A: b'",
            SIGNATURE,
            "X-A: b",
        ),
        (f"{URL}?X-Amz-Signature={SIGNATURE}&Action=x", SIGNATURE, "Action=x"),
        (
            f"x-amz-date:20261125T050001Z\nx-amz-security-token:{SESSION_TOKEN}\n",
            SESSION_TOKEN,
            "x-amz-date:2026",
        ),
        (f"aws_secret_access_key = {SECRET_KEY}", SECRET_KEY, "aws_secret_access_key"),
        (
            f"[default]\naws_secret_access_key={SECRET_KEY}\nregion=us-east-1",
            SECRET_KEY,
            "region=us-east-1",
        ),
        (f"curl --user 'AKIDEXAMPLE:{SECRET_KEY}' {URL}", SECRET_KEY, "AKIDEXAMPLE:"),
        (f"http://user:{DB_PASSWORD}@host/", DB_PASSWORD, "http://user:"),
        (
            f"{{'--DB_Password': '{DB_PASSWORD}', '--mode': 'full'}}",
            DB_PASSWORD,
            "'--mode': 'full'",
        ),
        (
            f'{{"Arguments": {{"--api-Token": "{SESSION_TOKEN}", "--x": "1"}}}}',
            SESSION_TOKEN,
            '"--x": "1"',
        ),
        (f'{{"Arguments": {{"--s3-key": "{DB_PASSWORD}"}}}}', DB_PASSWORD, "--s3-key"),
        (f'{{"Arguments": {{"--pass\\u0077ord": "{DB_PASSWORD}"}}}}', DB_PASSWORD, "***"),
    ],
)
def test_redact_text(text: str, gone: str, kept: str):
    redacted = redact_text(text)
    assert gone not in redacted
    assert kept in redacted
    assert redact_text(redacted) == redacted  # idempotent: render re-redacts stored results


@pytest.mark.parametrize(
    "text",
    [
        "X-Amzn-ErrorType: MissingAuthenticationTokenException:http://internal.amazon.com/coral/",
        '{"__type":"MissingAuthenticationTokenException","message":"Missing Authentication Token"}',
        "Value 'token' at 'jobName' failed to satisfy constraint: Member must not be null",
        '{"JobName": "job", "RunId": "jr_1", "PredecessorsIncluded": true}',
        'curl --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "X-Amz-Security-Token: $T"',
        # moto's and LocalStack's dummy credentials: kept, so a reproduction runs as pasted
        "curl --aws-sigv4 aws:amz:us-east-1:glue --user testing:testing http://127.0.0.1:5000/",
        "boto3.client('glue', aws_access_key_id='test', aws_secret_access_key='test')",
    ],
)
def test_redact_keeps_evidence_that_is_not_secret(text: str):
    assert redact_text(text) == text


def test_redact_masks_literal_secrets_and_the_environment(monkeypatch: pytest.MonkeyPatch):
    prose = f"the server echoed {SECRET_KEY} and {SESSION_TOKEN} back"
    assert redact(prose) == prose
    assert SECRET_KEY not in redact(prose, secrets=[SECRET_KEY])
    monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")  # too short to mask safely
    assert redact(prose) == f"the server echoed {SECRET_KEY} and *** back"


def test_redact_masks_secret_members_but_not_their_absence():
    data = {
        "headers": {"authorization": "x", "Cookie": "c", "X-Amz-Target": "t"},
        "Arguments": {"--secret": "v", "--key": 1, "--flag": None, "--region": "eu"},
        "nested": [{"SecretAccessKey": "s", "SessionToken": "t", "Name": "n"}],
    }
    assert redact(data) == {
        "headers": {"authorization": "***", "Cookie": "***", "X-Amz-Target": "t"},
        "Arguments": {"--secret": "***", "--key": "***", "--flag": None, "--region": "eu"},
        "nested": [{"SecretAccessKey": "***", "SessionToken": "***", "Name": "n"}],
    }
    assert data["headers"]["authorization"] == "x"  # a copy, not in place


# --- diff ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("passed", "failed", "newly_failing"),
        ("passed", "known-deviation", "newly_failing"),
        ("known-deviation", "failed", "newly_failing"),
        ("skipped", "failed", "newly_failing"),
        ("failed", "passed", "newly_passing"),
        ("known-deviation", "passed", "newly_passing"),
        ("failed", "failed", "still_failing"),
        ("failed", "known-deviation", "still_failing"),
        ("known-deviation", "known-deviation", "still_failing"),
        ("passed", "skipped", "newly_skipped"),
        ("failed", "skipped", "newly_skipped"),
        ("passed", "passed", None),
        ("skipped", "skipped", None),
        ("skipped", "passed", None),
    ],
)
def test_diff_category(old: str, new: str, expected: str | None):
    assert category(old, new) == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("passed", "known-deviation", "races"),
        ("known-deviation", "passed", "races"),
        ("passed", "failed", "newly_failing"),  # a race excuses only what its baseline excuses
        ("known-deviation", "failed", "newly_failing"),
    ],
)
def test_diff_category_of_a_race(old: str, new: str, expected: str):
    assert category(old, new, race=True) == expected


def _with(results: dict[str, Any], **statuses: str) -> dict[str, Any]:
    results = copy.deepcopy(results)
    for check in results["checks"]:
        if check["id"] in statuses:
            check["status"] = statuses[check["id"]]
            if check["status"] == "known-deviation" and check["baseline"] is None:
                check["baseline"] = {"what": "w", "evidence": "e"}
    results["summary"] = R.summarize(results["checks"])
    return results


def test_diff_lists_changes_and_sets_exit_code():
    old = faulty_results()
    new = _with(
        old,
        **{
            "validation.error-type[RunId-length-min]": "passed",
            "protocol.request-id": "failed",
            "protocol.content-type[error]": "failed",
        },
    )
    new["checks"] = [c for c in new["checks"] if c["id"] != "sdk.response.parses"]
    new["checks"].append(make_check("response.schema", "", "failed", message="JobRun missing"))
    new["summary"] = R.summarize(new["checks"])
    result = diff(old, new)
    assert {c.id for c in result.newly_failing} == {
        "protocol.request-id",
        "protocol.content-type[error]",
    }
    assert {c.id for c in result.newly_passing} == {"validation.error-type[RunId-length-min]"}
    assert {c.id for c in result.still_failing} == {
        "validation.error-type[JobName-length-max]",
        "validation.message.member[RunId-lone-surrogate]",
        "response.arguments.echoed",
        "protocol.auth.missing[presigned-url]",
    }
    assert [c.id for c in result.new_checks] == ["response.schema"]
    assert [c.id for c in result.removed_checks] == ["sdk.response.parses"]
    assert result.exit_code() == 1
    assert diff(new, new).exit_code() == 0
    only_new = copy.deepcopy(old)
    only_new["checks"].append(make_check("response.schema", "", "failed"))
    only_new["summary"] = R.summarize(only_new["checks"])
    assert diff(old, only_new).exit_code() == 0
    assert diff(old, only_new).exit_code(fail_on_new=True) == 1


def _save(results: dict[str, Any], directory: Path) -> Path:
    return write_run(results, directory)["results"]


def test_cli_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    clean = _save(clean_results(), tmp_path / "clean")
    faulty = _save(faulty_results(), tmp_path / "faulty")
    assert main(["diff", str(clean), str(faulty)]) == 1
    out = capsys.readouterr().out
    assert "Newly failing (6):" in out
    assert "validation.error-type[JobName-length-max]" in out
    assert "passed -> known-deviation" in out
    assert "REGRESSION" in out
    assert main(["diff", str(faulty), str(clean)]) == 0
    assert "Newly passing (6):" in capsys.readouterr().out
    assert main(["diff", "--format", "json", str(clean), str(faulty)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["regression"] is True
    assert len(data["newly_failing"]) == 6
    assert main(["diff", "--format", "md", str(clean), str(faulty)]) == 1
    assert "### Newly failing (6)" in capsys.readouterr().out


def test_cli_diff_says_first_when_the_targets_differ(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    reference = make_results(
        [make_check(c["rule"], c["case"], "passed") for c in faulty_checks()],
        target={"url": "http://127.0.0.1:36913", "kind": "reference", "version": "reference"},
        baseline=None,
    )
    old = _save(reference, tmp_path / "reference")
    new = _save(faulty_results(), tmp_path / "moto")
    # Still a regression gate: the exit status says what changed, the note says why it may
    # not be the target's fault.
    assert main(["diff", str(old), str(new)]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("note: comparing different targets: ")
    assert "reference at http://127.0.0.1:36913" in first
    assert "moto 5.2.5 at http://127.0.0.1:5000" in first
    assert main(["diff", "--format", "json", str(old), str(new)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["different_targets"] is True
    assert data["warnings"] == [first]
    assert main(["diff", "--format", "md", str(old), str(new)]) == 1
    assert "comparing different targets" in capsys.readouterr().out.splitlines()[0]

    # Embedded moto listens on a fresh port each run and may be upgraded: still one target.
    # Its known deviations, known in both runs, are still failing, not newly failing.
    later = faulty_results()
    later["target"] = {"url": "http://127.0.0.1:41234", "kind": "moto", "version": "moto 5.2.6"}
    later_path = _save(later, tmp_path / "moto-later")
    assert main(["diff", str(new), str(later_path)]) == 0
    out = capsys.readouterr().out
    assert "different targets" not in out
    assert "Newly failing (0)" in out
    assert main(["diff", "--format", "json", str(new), str(later_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["different_targets"] is False
    assert data["warnings"] == []
    assert "protocol.content-type[error]" in {c["id"] for c in data["still_failing"]}


def test_cli_input_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    good = _save(faulty_results(), tmp_path / "run")
    not_json = tmp_path / "bad.json"
    not_json.write_text("{nope", encoding="utf-8")
    invalid = tmp_path / "invalid.json"
    invalid.write_text(json.dumps({**faulty_results(), "summary": {}}), encoding="utf-8")
    for argv in (
        ["diff", str(tmp_path / "missing.json"), str(good)],
        ["diff", str(good), str(not_json)],
        ["diff", str(good), str(invalid)],
        ["diff", str(good), str(tmp_path)],
        ["render", str(invalid), "--out", str(tmp_path / "x")],
        ["history", str(tmp_path / "nowhere")],
    ):
        assert main(argv) == 4, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert "Traceback" not in err
        assert err.startswith("glue-conformance: ")
        assert err.endswith(f"(see python -m glue_conformance.reports {argv[0]} --help)\n")
    for usage in (["diff", str(good)], ["nope"], ["prune", "--out"], []):
        with pytest.raises(SystemExit) as excinfo:
            main(usage)
        assert excinfo.value.code == 4, usage  # argparse's 2 means "interrupted" beside pytest
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert err.startswith("glue-conformance: ")


@pytest.mark.slow
def test_python_m_reports_runs_without_traceback(tmp_path: Path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "glue_conformance.reports",
            "diff",
            str(tmp_path / "a.json"),
            "b.json",
        ],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        check=False,
    )
    assert run.returncode == 4
    assert "no such file" in run.stderr
    assert "Traceback" not in run.stderr


def test_cli_render_rewrites_the_views(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    source = _save(faulty_results(), tmp_path / "run")
    (tmp_path / "run" / "junit.xml").write_text("stale", encoding="utf-8")
    assert main(["render", str(source), "--out", str(tmp_path / "again")]) == 0
    capsys.readouterr()
    for name in ("results.json", "report.md", "report.html", "junit.xml"):
        assert (tmp_path / "again" / name).is_file()
    assert main(["render", str(source), "--out", str(tmp_path / "run")]) == 0
    ET.parse(tmp_path / "run" / "junit.xml")  # pytest's stale file replaced on request
    assert R.load(source) == R.load(tmp_path / "again" / "results.json")


# --- history ---------------------------------------------------------------------------------


def test_history_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    runs = tmp_path / "runs"
    nights = [
        ("2026-11-23", faulty_results()),
        ("2026-11-24", _with(faulty_results(), **{"protocol.request-id": "failed"})),
        ("2026-11-25", clean_results()),
    ]
    for day, results in nights:
        results["started"] = f"{day}T05:00:00Z"
        results["finished"] = f"{day}T05:00:41Z"
        write_run(results, runs / day)
    (runs / "broken").mkdir()
    (runs / "broken" / "results.json").write_text("{", encoding="utf-8")
    out = tmp_path / "site"
    assert main(["history", str(runs), "--out", str(out)]) == 0
    assert "skipped" in capsys.readouterr().err  # the broken run is reported, not fatal
    document = (out / "index.html").read_text(encoding="utf-8")
    parsed = parse_html(document)
    links = [a["href"] for tag, a in parsed.tags if tag == "a"]
    assert sorted(links) == [f"../runs/{day}/report.html" for day, _ in nights]
    for link in links:
        assert link is not None
        assert (out / link).resolve().is_file()
    visible = "".join(parsed.parts)
    for day, results in nights:
        assert day in visible
        assert f"{results['summary']['conformance_pct']:.1f} %" in visible
    assert "<svg" in document
    assert "<polyline" in document
    assert "<script" not in document.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", document)
    found, warnings = find_runs([runs])
    assert [r.started[:10] for r in found] == [day for day, _ in nights]
    assert len(warnings) == 1


# --- stale baseline entries ---------------------------------------------------------------


def _with_stale(count: int) -> dict[str, Any]:
    """faulty_results with its first `count` failed checks only "no longer observed"."""
    results = copy.deepcopy(faulty_results())
    failed = [c for c in results["checks"] if c["status"] == "failed"]
    assert len(failed) > count
    for check in failed[:count]:
        check["message"] = R.NO_LONGER_OBSERVED
        check["no_verdict"] = R.NoVerdict.NO_LONGER_OBSERVED.value
    results["summary"] = R.summarize(results["checks"])
    return results


def test_stale_entries_are_counted_apart_and_conform():
    results = _with_stale(1)
    R.validate(results)
    summary = results["summary"]
    assert summary["stale"] == 1
    ran = summary["passed"] + summary["failed"] + summary["known-deviation"]
    assert summary["conformance_pct"] == round(100.0 * (summary["passed"] + 1) / ran, 1)
    markdown = render_markdown(results)
    assert "### Known deviations no longer seen (1)" in markdown
    assert f"### Failed ({summary['failed'] - 1})" in markdown
    assert "**stale** 1" in markdown
    assert "glue-conformance prune" in markdown


def test_stale_is_the_checks_no_verdict_not_its_message():
    """A stale entry is what the check says it is (`no_verdict`): a new deviation whose message
    happens to read "no longer observed" is still a deviation, and the reason must go with
    its status."""
    results = _with_stale(1)
    failed = [c for c in results["checks"] if c["status"] == "failed"]
    failed[1]["message"] = R.NO_LONGER_OBSERVED
    failed[1]["no_verdict"] = None
    results["summary"] = R.summarize(results["checks"])
    R.validate(results)
    assert results["summary"]["stale"] == 1
    failed[0]["status"] = "skipped"
    results["summary"] = R.summarize(results["checks"])
    with pytest.raises(R.ResultsError, match="no_verdict 'no-longer-observed' goes with status"):
        R.validate(results)


def test_a_document_written_before_no_verdict_tells_stale_by_its_message():
    """Documents written before checks had `no_verdict` said a stale entry only by the message
    the suite wrote for it; they still read the same."""
    results = _with_stale(1)
    for check in results["checks"]:
        check.pop("no_verdict", None)
    R.validate(results)
    assert R.summarize(results["checks"])["stale"] == 1


def test_a_summary_written_before_stale_keeps_its_percentage_rule():
    """Documents written before `stale` existed still validate, with the rule they were
    written under; a document that counts stale must count it right."""
    legacy = _with_stale(1)
    legacy["summary"] = R.summarize(legacy["checks"], stale_apart=False)
    assert "stale" not in legacy["summary"]
    R.validate(legacy)
    wrong = _with_stale(1)
    wrong["summary"]["stale"] = 0
    with pytest.raises(R.ResultsError, match=r"summary\.stale"):
        R.validate(wrong)


def test_many_deviations_without_baseline_get_the_baseline_command():
    checks = [
        make_check("validation.error-type", f"case-{i}", "failed", message="wrong type")
        for i in range(R.MANY_DEVIATIONS)
    ]
    results = make_results(checks, baseline=None)
    R.validate(results)
    markdown = render_markdown(results)
    assert f"**{R.MANY_DEVIATIONS} deviations and no baseline.**" in markdown
    assert (
        "glue-conformance baseline results.json --name moto --out moto-baseline.json"
    ) in markdown
    fewer = make_results(checks[1:], baseline=None)
    assert "no baseline" not in render_markdown(fewer)
    with_baseline = make_results(checks)
    assert "no baseline" not in render_markdown(with_baseline)
