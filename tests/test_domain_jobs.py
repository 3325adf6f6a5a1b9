"""The domain tour's plan on its own (conformance/domain_jobs.py): every class it declares is one
it can visit, the AWS bounds hold, and a tour that could not run says why for every class."""

from __future__ import annotations

from glue_conformance import domain_jobs as d
from glue_conformance.coverage import NOT_REACHED, Coverage
from glue_conformance.strategies.runs import ALL_WORKER_TYPES, COMMANDS, NAME_CLASSES

JOBS = {job.key: job for job in d.JOBS}


def test_the_plan_visits_every_declared_class():
    """Every name class, Command kind, WorkerType, override subset, Arguments size, retry and
    update has a job or a run in the plan (the lookups are per edit, checked on a live tour)."""
    assert {job.name_class for job in d.JOBS} == set(NAME_CLASSES)
    assert {job.settings["Command"]["Name"] for job in d.JOBS} == set(COMMANDS)
    types = {job.settings.get("WorkerType") for job in d.JOBS}
    types |= {run.overrides.get("WorkerType") for run in d.RUNS}
    assert types - {None} == set(ALL_WORKER_TYPES)
    assert {run.subset for run in d.RUNS} - {None} == set(d.OVERRIDE_SUBSETS)
    assert {run.arguments for run in d.RUNS} == set(d.ARGUMENT_SIZES)
    labels = [run.label for run in d.RUNS]
    assert len(labels) == len(set(labels))
    for run in d.RUNS:  # a retry follows the run it retries, in the same job
        if run.retry_of is not None:
            retried = next(r for r in d.RUNS if r.label == run.retry_of)
            assert labels.index(retried.label) < labels.index(run.label)
            assert retried.job == run.job


def test_workers_and_max_capacity_never_go_together():
    """Model text: 'Do not set MaxCapacity if using WorkerType and NumberOfWorkers'; the pair
    goes together, and MaxCapacity only on jobs whose capacity is MaxCapacity."""
    for run in d.RUNS:
        settings = {**JOBS[run.job].settings, **run.overrides}
        assert ("WorkerType" in run.overrides) == ("NumberOfWorkers" in run.overrides)
        if "MaxCapacity" in run.overrides:
            assert "WorkerType" not in settings


def test_the_kilobytes_stay_under_the_request_size_limit():
    """Evidence section 23: about 180 KB refused; the tour's largest request stays far below."""
    import json

    assert len(json.dumps({"Arguments": d.KILOBYTES})) < 120_000
    assert len(d.DOZENS) >= 24


def test_runs_above_the_aws_bound_are_the_ones_the_safety_page_names():
    costly = {run.label for run in d.RUNS if d._dpu(JOBS[run.job], run) > d.MAX_AWS_DPU}
    assert costly == {"capacity-max", "T+W", "W+A"}


def test_a_tour_that_could_not_run_gives_every_class_its_reason():
    coverage = Coverage()
    d.not_run(coverage, d.READ_ONLY)
    table = coverage.as_dict()
    assert set(table) == set(d._DIMENSIONS)
    for entry in table.values():
        assert not entry["classes"]
        assert set(entry["not_exercised"].values()) == {d.READ_ONLY}
    assert NOT_REACHED != d.READ_ONLY


def test_flex_goes_through_domain_accepted_only_where_the_model_allows_it():
    """Evidence section 24: FLEX on glueetl of Glue 3.0+ is the model's to allow (so a
    ValidationException there is lifecycle.domain-accepted's); elsewhere nothing is required."""

    def allowed(settings):
        kind = settings["Command"]["Name"]
        return kind == "glueetl" and tuple(map(int, settings["GlueVersion"].split("."))) >= (3, 0)

    for run in d.RUNS:
        job = JOBS[run.job].settings
        if "FLEX" in (run.overrides.get("ExecutionClass"), job.get("ExecutionClass")):
            assert allowed(job), run.label
    for case in d.ELSEWHERE:
        job = case.job.settings if case.job is not None else JOBS[case.existing].settings
        assert not allowed(job), case.label
    assert {case.label for case in d.ELSEWHERE} | {"FLEX on the job", "FLEX on the run"} == set(
        d.FLEX_CLASSES
    )
