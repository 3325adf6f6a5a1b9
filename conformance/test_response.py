"""A JobRun on its own, judged on every JobRun the run received: every GetJobRun (with and without
PredecessorsIncluded, every poll), every item of every GetJobRuns page. Each test is the verdict of
its rule over all of them (see `glue_conformance.observe`)."""

from __future__ import annotations

import pytest


@pytest.mark.rule("response.status.200")
def test_status_200(verdict):
    verdict("response.status.200")


@pytest.mark.rule("response.schema")
def test_schema(verdict):
    verdict("response.schema")


@pytest.mark.rule("response.timestamps.epoch-number")
def test_timestamps_are_epoch_numbers(verdict):
    verdict("response.timestamps.epoch-number")


@pytest.mark.rule("response.id.matches-request")
def test_id_matches_request(verdict):
    verdict("response.id.matches-request")


@pytest.mark.rule("response.jobname.matches-request")
def test_job_name_matches_request(verdict):
    verdict("response.jobname.matches-request")


@pytest.mark.rule("response.arguments.echoed")
def test_arguments_echoed(verdict):
    verdict("response.arguments.echoed")


@pytest.mark.rule("response.timestamps.order")
def test_timestamp_order(verdict):
    verdict("response.timestamps.order")


@pytest.mark.rule("response.state.enum")
def test_state_in_enum(verdict):
    verdict("response.state.enum")


@pytest.mark.rule("response.predecessor-runs.well-formed")
def test_predecessor_runs_well_formed(verdict):
    verdict("response.predecessor-runs.well-formed")


@pytest.mark.rule("response.completed-on.terminal-only")
def test_completed_on_only_on_terminal_states(verdict):
    verdict("response.completed-on.terminal-only")


@pytest.mark.rule("response.completed-on.last-modified")
def test_a_terminal_run_completed_when_last_modified(verdict):
    verdict("response.completed-on.last-modified")


@pytest.mark.rule("response.timestamps.near-clock")
def test_timestamps_are_near_the_clients_clock(verdict):
    verdict("response.timestamps.near-clock")


@pytest.mark.rule("response.execution-time.bounded")
def test_execution_time_is_bounded_by_the_runs_existence(verdict):
    verdict("response.execution-time.bounded")
