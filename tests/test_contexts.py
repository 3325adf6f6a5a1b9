"""The negative cases' two contexts (glue_conformance.cases): each is sent beside a job that does
not exist and, as `<id>-live`, beside the suite's own job and run, so that a target looking the
job up first cannot pass on its not-found answer (issue #34: moto 5.2.6's HTML 500 for a number
NextToken of an existing job looked fixed)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from glue_conformance import cases
from glue_conformance.cases import (
    ABSENT_DIMENSION,
    ABSENT_JOB,
    ABSENT_RUN,
    LIVE,
    LIVE_DIMENSION,
    LIVE_JOB,
    LIVE_RUN,
    NOTHING_TO_FILL,
    fill,
    in_both_contexts,
    invalid_cases,
    multi_cases,
    names_live,
    on_live,
    reached,
    without_live,
)
from glue_conformance.coverage import Coverage
from tests import children

ROOT = Path(__file__).resolve().parents[1]


def test_every_named_case_with_a_member_left_to_fill_has_a_live_twin():
    named = [*invalid_cases(), *multi_cases()]
    both = in_both_contexts(named)
    twins = {case.id: case for case in both if case.context == LIVE}
    for case in named:
        twin = twins.get(case.id + "-live")
        if case.id in without_live(named):
            assert twin is None
            continue
        assert twin is not None, case.id
        assert (twin.invalid.member, twin.invalid.rule) == (case.invalid.member, case.invalid.rule)
        assert twin.absent_id == case.id
        # only the placeholders change: the member under test keeps its invalid value
        swapped = {ABSENT_JOB: LIVE_JOB, ABSENT_RUN: LIVE_RUN}
        assert twin.body == {
            k: swapped.get(v, v) if isinstance(v, str) else v for k, v in case.body.items()
        }
    assert twins["RunId-empty-live"].body == {"JobName": LIVE_JOB, "RunId": ""}
    assert twins["JobName-missing-live"].body == {"RunId": LIVE_RUN}
    assert twins["PredecessorsIncluded-string-live"].body["JobName"] == LIVE_JOB
    assert without_live(named) == {"JobName-empty+RunId-256-chars": NOTHING_TO_FILL}


def test_fill_puts_the_suite_s_own_job_and_run_in_dicts_and_raw_bytes():
    assert fill({"JobName": LIVE_JOB, "RunId": LIVE_RUN, "X": 5}, "j", "r") == {
        "JobName": "j",
        "RunId": "r",
        "X": 5,
    }
    raw = json.dumps({"JobName": LIVE_JOB}).encode() + b"}"
    filled = fill(raw, "j\u00e9b", "r")
    assert filled == b'{"JobName": "j\\u00e9b"}}'  # escaped as the transport sends a body
    assert not names_live(filled)
    assert names_live(raw)
    assert fill(b"1", "j", "r") == b"1"


def test_a_drawn_request_keeps_its_broken_member_and_names_the_live_run_elsewhere():
    body = {"JobName": "some-valid-name", "RunId": "", "PredecessorsIncluded": True}
    assert on_live(body, "RunId") == {
        "JobName": LIVE_JOB,
        "RunId": "",
        "PredecessorsIncluded": True,
    }


def test_the_envelope_representatives_have_live_twins_where_a_member_is_left():
    from glue_conformance import test_envelope as envelope

    ids = {case_id for case_id, _, _ in envelope.WRONG_TWINS}
    assert "GetJobRuns.NextToken-number-live" in ids
    assert "GetJobRun.JobName-object-live" in ids  # its RunId is the live run
    assert "GetJobRuns.JobName-object-live" not in ids  # the one JobName is under test
    twin = next(w for i, _, w in envelope.WRONG_TWINS if i == "GetJobRuns.NextToken-number-live")
    assert twin.body == {"JobName": LIVE_JOB, "NextToken": 5}
    malformed = {example[0] for example in envelope.MALFORMED_EXAMPLES}
    assert "GetJobRun.trailing-garbage-live" in malformed
    assert "GetJobRun.number-live" not in malformed  # `1` names no job
    reasons = envelope._no_live()
    assert reasons["GetJobRuns.JobName-object"] == NOTHING_TO_FILL
    assert reasons["GetJobRun.number"] == envelope.NAMES_NO_JOB
    assert not any(
        live in reasons for live in ("GetJobRuns.NextToken-number", "GetJobRun.not-json")
    )


def test_the_coverage_table_counts_each_family_in_each_context_and_names_what_was_left():
    coverage = Coverage()
    reached(coverage, "wrong types", ["a", "b"], ["a-live"], {"b": "nothing to fill"})
    table = coverage.as_dict()
    assert table[ABSENT_DIMENSION] == {"classes": {"wrong types": 2}, "not_exercised": {}}
    assert table[LIVE_DIMENSION] == {
        "classes": {"wrong types": 1},
        "not_exercised": {"b": "nothing to fill"},
    }
    # no class of the table names a token: results.json's redaction would mask its count
    assert not re.search("token", json.dumps(table), re.I)


def test_the_contexts_are_named_in_one_place():
    assert cases.CONTEXTS == (cases.ABSENT, cases.LIVE)  # a draw shrinks to the absent one


@pytest.mark.slow
def test_a_target_that_reads_members_only_once_the_job_is_found_is_caught_live():
    """The seeded fault validates-after-lookup answers every absent case as AWS does (the suite
    before issue #34 passed it whole); its live twins fail."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        "conformance",
        "-p",
        "no:cacheprovider",
        "-q",
        "--hypothesis-profile",
        "glue-quick",
        "--glue-target",
        "reference",
        "--glue-reference-fault",
        "validates-after-lookup",
        "-k",
        "scalar-for-string and NextToken-number",
        "-rA",
    ]
    done = children.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout[-2000:]
    assert re.search(r"PASSED \S+\[GetJobRuns\.NextToken-number\]", done.stdout), done.stdout
    assert re.search(r"FAILED \S+\[GetJobRuns\.NextToken-number-live\]", done.stdout), done.stdout
