"""What the answer means: a run reports its job and its start, and the world's clock.

A few runs with known settings (evidence sections 11-16, 18) are started together and read once
all of them exist, so an older run is read after a newer one started: a job whose GlueVersion,
WorkerType, NumberOfWorkers, Timeout and DefaultArguments are set, run bare and with overrides;
a Glue 4.0 job and a Glue 5.0 job that set no Timeout.
"""

from __future__ import annotations

import pytest

from glue_conformance.checks import clock, meaning
from glue_conformance.fixtures import JOB, OVERRIDES, OWN_ARGUMENTS


@pytest.mark.rule("response.job.reflected")
def test_a_bare_run_reports_its_jobs_settings(runs, ctx):
    meaning.check_job_reflected(runs.answers["bare"], JOB, ctx)


@pytest.mark.rule("response.run.overrides")
def test_a_run_reports_the_settings_it_was_started_with(runs, ctx):
    meaning.check_run_overrides(runs.answers["overrides"], OVERRIDES, ctx)


@pytest.mark.rule("response.arguments.own")
@pytest.mark.parametrize(
    ("label", "given"),
    [("bare", None), ("overrides", OWN_ARGUMENTS)],
    ids=["started-without-arguments", "started-with-arguments"],
)
def test_arguments_are_the_runs_own(label, given, runs, ctx):
    meaning.check_arguments_own(runs.answers[label], given, JOB["DefaultArguments"], ctx)


@pytest.mark.rule("response.attempt.first")
@pytest.mark.parametrize("label", ["bare", "overrides"])
def test_a_first_run_is_attempt_0(label, runs, ctx):
    meaning.check_attempt_first(runs.answers[label], ctx)


@pytest.mark.rule("response.previous-run-id")
def test_a_retry_names_the_run_it_retries(retried, runs, ctx):
    _, answer = retried
    meaning.check_previous_run_id(answer, runs.started["bare"].run_id, ctx)


@pytest.mark.rule("response.timeout.default")
def test_the_default_timeout_of_a_glue_4_run(runs, ctx):
    meaning.check_timeout_default(runs.answers["defaults"], ctx)


@pytest.mark.rule("response.timeout.default-glue5")
def test_the_default_timeout_of_a_glue_5_run(runs, observe):
    observe(meaning.observe_timeout_glue5(runs.answers["glue5"]))


@pytest.mark.rule("response.trigger.absent")
@pytest.mark.parametrize("included", [False, True], ids=["plain", "predecessors-included"])
def test_a_directly_started_run_has_no_trigger(included, runs, send, ctx):
    bare = runs.started["bare"]
    body = {"JobName": bare.job_name, "RunId": bare.run_id}
    if included:
        body["PredecessorsIncluded"] = True
    meaning.check_trigger_absent(send(body), ctx)


@pytest.mark.rule("response.run-id.shape")
def test_the_shape_of_run_ids(first_get, observe):
    observe(meaning.observe_run_id_shape(first_get))


LABELS = ["bare", "overrides", "defaults", "glue5"]


@pytest.mark.rule("response.timestamps.near-clock")
@pytest.mark.parametrize("label", LABELS)
def test_timestamps_are_near_the_clients_clock(label, runs, suite_settings, ctx):
    run = runs.started[label]
    clock.check_near_clock(runs.answers[label], suite_settings.clock_window, run.started_after, ctx)


@pytest.mark.rule("response.execution-time.bounded")
@pytest.mark.parametrize("label", LABELS)
def test_execution_time_is_bounded_by_the_runs_existence(label, runs, ctx):
    clock.check_execution_time(runs.answers[label], runs.started[label].started_after, ctx)
