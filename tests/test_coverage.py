"""The coverage table: every declared class is either counted or has a reason, never silent."""

from __future__ import annotations

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
