"""The answer for a run the suite started (or the one named with --glue-job-name/--glue-run-id)."""

from __future__ import annotations

import pytest

from glue_conformance.checks import response


@pytest.mark.rule("response.status.200")
def test_status_200(first_get, ctx):
    response.check_status_200(first_get, ctx)


@pytest.mark.rule("response.schema")
def test_schema(first_get, ctx):
    response.check_schema(first_get, ctx)


@pytest.mark.rule("response.timestamps.epoch-number")
def test_timestamps_are_epoch_numbers(first_get, ctx):
    response.check_timestamps_are_numbers(first_get, ctx)


@pytest.mark.rule("response.id.matches-request")
def test_id_matches_request(first_get, job_run, ctx):
    response.check_id(first_get, job_run.run_id, ctx)


@pytest.mark.rule("response.jobname.matches-request")
def test_job_name_matches_request(first_get, job_run, ctx):
    response.check_job_name(first_get, job_run.job_name, ctx)


@pytest.mark.rule("response.arguments.echoed")
def test_arguments_echoed(first_get, job_run, ctx):
    if job_run.arguments is None:
        pytest.skip("read-only mode: the run's Arguments are not known")
    response.check_arguments(first_get, job_run.arguments, ctx)


@pytest.mark.rule("response.timestamps.order")
def test_timestamp_order(first_get, ctx):
    response.check_timestamp_order(first_get, ctx)


@pytest.mark.rule("response.state.enum")
def test_state_in_enum(first_get, ctx):
    response.check_state_enum(first_get, ctx)


@pytest.mark.rule("response.predecessor-runs.well-formed")
def test_predecessor_runs_well_formed(send, job_run, ctx):
    exchange = send(
        {"JobName": job_run.job_name, "RunId": job_run.run_id, "PredecessorsIncluded": True}
    )
    response.check_status_200(exchange, ctx)
    response.check_predecessor_runs(exchange, ctx)


@pytest.mark.rule("response.completed-on.terminal-only")
def test_completed_on_only_on_terminal_states(first_get, observe):
    note = response.observe_completed_on(first_get)
    observe(note or "consistent with the state")
