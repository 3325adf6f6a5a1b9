"""The coverage table: every declared class is either counted or has a reason, never silent."""

from __future__ import annotations

import json
import threading

from glue_conformance.coverage import NOT_REACHED, Coverage


def test_a_declared_class_never_visited_is_listed_with_a_reason() -> None:
    coverage = Coverage()
    coverage.declare("JobName", ["ascii", "tab", "astral"])
    coverage.hit("JobName", "ascii")
    coverage.hit("JobName", "ascii")
    coverage.skipped("JobName", "astral", "read-only mode")
    assert coverage.as_dict() == {
        "JobName": {
            "classes": {"ascii": 2},
            "not_exercised": {"tab": NOT_REACHED, "astral": "read-only mode"},
        }
    }


def test_a_visit_outweighs_a_reason_and_undeclared_classes_count() -> None:
    coverage = Coverage()
    coverage.skipped("stops", "foreign", "billable bound")
    coverage.hit("stops", "foreign")
    coverage.hit("MaxResults", "200")
    table = coverage.as_dict()
    assert table["stops"] == {"classes": {"foreign": 1}, "not_exercised": {}}
    assert table["MaxResults"] == {"classes": {"200": 1}, "not_exercised": {}}


def test_workers_tables_merge_by_adding_counts() -> None:
    one, two = Coverage(), Coverage()
    one.declare("Command", ["glueetl", "pythonshell"])
    one.hit("Command", "glueetl")
    two.hit("Command", "glueetl", 2)
    two.skipped("Command", "pythonshell", "the target refused CreateJob")
    one.merge(two.as_dict())
    assert one.as_dict()["Command"] == {
        "classes": {"glueetl": 3},
        "not_exercised": {"pythonshell": "the target refused CreateJob"},
    }


def test_counts_from_threads_add_up() -> None:
    coverage = Coverage()

    def visit() -> None:
        for _ in range(500):
            coverage.hit("RunId", "max-length")

    threads = [threading.Thread(target=visit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert coverage.as_dict()["RunId"]["classes"] == {"max-length": 2000}


# --- the table in results.json and its views (reports/coverage_view.py) ----------------------

TABLE = {
    "GetJobRuns MaxResults": {"classes": {"1": 2, "200": 1}, "not_exercised": {"17": "refused"}},
    "BatchStopJobRun ids": {
        "classes": {"running": 3},
        "not_exercised": {"foreign": "the billable bound (--glue-max-runs 20)"},
    },
}


def _results(table):
    from tests.test_reports import clean_results

    results = clean_results()
    if table is not None:
        results["coverage"] = table
    return results


def test_results_carry_the_table_and_every_view_shows_each_class(tmp_path) -> None:
    from glue_conformance.reports import results as R
    from glue_conformance.reports.writer import write_run

    results = _results(TABLE)
    R.validate(results)
    written = write_run(results, tmp_path, secrets=[], overwrite_junit=True)
    assert written
    markdown = (tmp_path / "report.md").read_text()
    html = (tmp_path / "report.html").read_text()
    for text in (markdown, html):
        assert "What this run exercised" in text
        assert "200 ×1" in text
        assert "running ×3" in text
        assert "the billable bound (--glue-max-runs 20)" in text  # never silent
    stored = json.loads((tmp_path / "results.json").read_text())
    assert stored["coverage"] == TABLE


def test_a_malformed_table_is_refused() -> None:
    import pytest

    from glue_conformance.reports import results as R

    broken = {"GetJobRuns MaxResults": {"classes": {"1": 0}, "not_exercised": {}}}
    with pytest.raises(R.ResultsError):
        R.validate(_results(broken))
    R.validate(_results(None))  # a run that recorded none is still a valid @2 document


def test_the_diff_names_classes_gained_and_lost() -> None:
    from glue_conformance.reports.diff import diff, format_markdown, format_text

    newer = {
        "GetJobRuns MaxResults": {"classes": {"1": 1, "17": 1}, "not_exercised": {}},
        "BatchStopJobRun ids": {"classes": {"running": 1, "foreign": 1}, "not_exercised": {}},
    }
    result = diff(_results(TABLE), _results(newer))
    assert result.coverage == {
        "GetJobRuns MaxResults": {"gained": ["17"], "lost": ["200"]},
        "BatchStopJobRun ids": {"gained": ["foreign"], "lost": []},
    }
    assert "GetJobRuns MaxResults: gained 17; lost 200" in format_text(result)
    assert "| GetJobRuns MaxResults | 17 | 200 |" in format_markdown(result)
    assert diff(_results(None), _results(newer)).coverage == {}  # nothing to compare with


def test_workers_tables_add_up_like_the_engines() -> None:
    from glue_conformance.reports.coverage_view import merge_tables

    other = {
        "BatchStopJobRun ids": {"classes": {"foreign": 1}, "not_exercised": {}},
        "GetJobRuns MaxResults": {"classes": {"1": 1}, "not_exercised": {"17": "refused"}},
    }
    merged = merge_tables([TABLE, other])
    engine = Coverage()
    engine.merge(TABLE)
    engine.merge(other)
    assert merged == engine.as_dict()
    assert merged["BatchStopJobRun ids"] == {
        "classes": {"running": 3, "foreign": 1},
        "not_exercised": {},
    }


def test_the_writer_merges_parts_tables() -> None:
    from glue_conformance.reports.writer import merge
    from tests.test_reports import faulty_results, make_results

    checks = faulty_results()["checks"]
    one, two = make_results(checks[:4]), make_results(checks[4:])
    one["coverage"] = TABLE
    two["coverage"] = {"GetJobRuns MaxResults": {"classes": {"17": 2}, "not_exercised": {}}}
    merged = merge([one, two])["coverage"]
    assert merged["GetJobRuns MaxResults"] == {
        "classes": {"1": 2, "200": 1, "17": 2},
        "not_exercised": {},
    }


def test_the_terminal_line_groups_what_was_not_exercised_by_reason() -> None:
    from glue_conformance.reports.coverage_view import summary_lines

    refused = "the target refused BatchStopJobRun (ClientError)"
    table = {
        "BatchStopJobRun ids": {
            "classes": {"running": 1},
            "not_exercised": {"ended": refused, "unknown": refused, "foreign": "billable"},
        }
    }
    table["MaxResults"] = {"classes": {"1": 2, "200": 1}, "not_exercised": {}}
    assert summary_lines(table) == [
        "3/6 classes of 2 dimensions exercised (report.md lists them)",
        f"BatchStopJobRun ids: 1/4 (not exercised: ended, unknown: {refused}; foreign: billable)",
    ]
    del table["BatchStopJobRun ids"]
    assert summary_lines(table) == ["2/2 classes of 1 dimensions exercised"]
    assert summary_lines({}) == []


def test_read_only_mode_names_why_for_each_class_of_the_tour() -> None:
    from glue_conformance import domain_runs

    coverage = Coverage()
    domain_runs.read_only(coverage)
    table = coverage.as_dict()
    assert set(table[domain_runs.STOP_KINDS]["not_exercised"]) == set(domain_runs.KINDS)
    reasons = {r for entry in table.values() for r in entry["not_exercised"].values()}
    assert len(reasons) == 1
    assert "read-only mode" in reasons.pop()
    assert not any(entry["classes"] for entry in table.values())
