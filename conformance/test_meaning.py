"""What a run means, judged on every JobRun of a run the suite started, from any operation,
against the model of what it started (`glue_conformance.model`).

The campaign (`glue_conformance.scenarios.Campaign`) creates a job whose GlueVersion,
WorkerType, NumberOfWorkers, Timeout and DefaultArguments are set, and starts runs of it bare,
with overrides, with string-edged Arguments, as a retry and to be stopped; a Glue 4.0 job and a
Glue 5.0 job that set no Timeout; all together, read both ways, listed, polled to their end.
"""

from __future__ import annotations

import pytest


@pytest.mark.rule("response.job.reflected")
def test_a_run_reports_its_jobs_settings(verdict):
    verdict("response.job.reflected")


@pytest.mark.rule("response.run.overrides")
def test_a_run_reports_the_settings_it_was_started_with(verdict):
    verdict("response.run.overrides")


@pytest.mark.rule("response.arguments.own")
def test_arguments_are_the_runs_own(verdict):
    verdict("response.arguments.own")


@pytest.mark.rule("response.attempt.first")
def test_a_first_run_is_attempt_0(verdict):
    verdict("response.attempt.first")


@pytest.mark.rule("response.previous-run-id")
def test_a_retry_names_the_run_it_retries(verdict):
    verdict("response.previous-run-id")


@pytest.mark.rule("response.timeout.default")
def test_the_default_timeout_of_a_glue_4_run(verdict):
    verdict("response.timeout.default")


@pytest.mark.rule("response.timeout.default-glue5")
def test_the_default_timeout_of_a_glue_5_run(verdict):
    verdict("response.timeout.default-glue5")


@pytest.mark.rule("response.job.after-update")
def test_what_an_earlier_run_reports_after_an_update(verdict):
    verdict("response.job.after-update")


@pytest.mark.rule("response.capacity.max-capacity")
def test_the_max_capacity_a_run_reports(verdict):
    verdict("response.capacity.max-capacity")


@pytest.mark.rule("response.trigger.absent")
def test_a_directly_started_run_has_no_trigger(verdict):
    verdict("response.trigger.absent")


@pytest.mark.rule("response.run-id.shape")
def test_the_shape_of_run_ids(verdict):
    verdict("response.run-id.shape")
