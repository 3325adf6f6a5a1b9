"""The model (the oracle) and the observation point, on their own: no target, no pytest plugin.

The model must say exactly what the evidence says and no more: strict facts where sections 11-14
and 18 are strict, "any of these" where they are not. The judge must apply every registered
check to every JobRun it is handed, from any operation, and relate each to the run's previous
observation only when the two calls did not overlap.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from glue_conformance.checks.base import Context, Deviation
from glue_conformance.checks.listing import LISTED_WITHIN_S
from glue_conformance.checks.subjects import Listing
from glue_conformance.model import Model
from glue_conformance.observe import Judge, NotJudged
from glue_conformance.transport import JSON_11, Exchange, SentRequest

NOW = 1_764_600_000.0
JOB = "job-a"
REQUEST = SentRequest(
    "POST", "http://127.0.0.1:1/", {"X-Amz-Target": "AWSGlue.GetJobRun"}, b"{}", True
)


def _model(**job: Any) -> Model:
    model = Model()
    model.add_job(JOB, job or {"GlueVersion": "4.0"})
    return model


def _start(model: Model, run_id: str, arguments: dict[str, str] | None = None, **settings: Any):
    return model.add_run(
        JOB, run_id, arguments=arguments, settings=settings, sent_at=NOW, answered_at=NOW + 0.1
    )


def _wanted(model: Model, run_id: str) -> dict[tuple[str, str], Any]:
    return {(f.member, f.source): f for f in model.expected(run_id)}


def test_a_bare_run_of_a_job_with_settings_reports_the_jobs():
    model = _model(GlueVersion="4.0", WorkerType="G.1X", NumberOfWorkers=2, Timeout=15)
    _start(model, "jr_1")
    facts = _wanted(model, "jr_1")
    for member, value in (("GlueVersion", "4.0"), ("WorkerType", "G.1X"), ("Timeout", 15)):
        assert facts[(member, "job")].holds({member: value})
        assert not facts[(member, "job")].holds({member: "other"})
        assert not facts[(member, "job")].holds({})  # section 11: never optional


def test_overrides_replace_the_jobs_settings_and_only_those():
    model = _model(GlueVersion="4.0", WorkerType="G.1X", NumberOfWorkers=2, Timeout=15)
    _start(model, "jr_1", Timeout=30)
    facts = _wanted(model, "jr_1")
    assert facts[("Timeout", "override")].holds({"Timeout": 30})
    assert ("Timeout", "job") not in facts
    assert facts[("WorkerType", "job")].holds({"WorkerType": "G.1X"})


def test_arguments_are_exactly_the_runs_own_and_none_means_absent_or_empty():
    model = _model(GlueVersion="4.0", DefaultArguments={"--d": "job"})
    _start(model, "jr_given", {"--own": "1"})
    _start(model, "jr_none")
    given = _wanted(model, "jr_given")[("Arguments", "arguments")]
    assert given.holds({"Arguments": {"--own": "1"}})
    assert not given.holds({"Arguments": {"--own": "1", "--d": "job"}})  # section 13
    assert not given.holds({})
    none = _wanted(model, "jr_none")[("Arguments", "arguments")]
    assert none.holds({})
    assert none.holds({"Arguments": {}})
    assert not none.holds({"Arguments": {"--d": "job"}})


def test_a_first_run_is_attempt_0_and_a_retry_names_what_it_retries():
    model = _model()
    _start(model, "jr_1")
    _start(model, "jr_2", JobRunId="jr_1")
    first = _wanted(model, "jr_1")
    assert first[("Attempt", "attempt")].holds({"Attempt": 0})
    assert not first[("PreviousRunId", "attempt")].holds({"PreviousRunId": "jr_0"})
    retry = _wanted(model, "jr_2")
    assert retry[("PreviousRunId", "retry")].holds({"PreviousRunId": "jr_1"})
    assert ("Attempt", "attempt") not in retry  # section 14: a manual retry's Attempt is open


@pytest.mark.parametrize(
    ("version", "strict"), [("2.0", True), ("4.0", True), ("5.0", False), ("5.1", False)]
)
def test_the_default_timeout_is_pinned_only_up_to_glue_4(version, strict):
    model = _model(GlueVersion=version)
    _start(model, "jr_1")
    facts = _wanted(model, "jr_1")
    assert (("Timeout", "timeout-default") in facts) is strict
    if not strict:  # section 12/23: 480 or 2880 or anything: observed only
        assert facts[("Timeout", "timeout-default-later")].holds({"Timeout": 480})


def test_the_listing_is_the_jobs_runs_newest_first():
    model = _model()
    model.add_job("job-b", {})
    for run_id in ("jr_1", "jr_2", "jr_3"):
        _start(model, run_id)
    model.add_run("job-b", "jr_b", arguments=None, settings={}, sent_at=NOW, answered_at=NOW)
    assert model.job_runs(JOB) == ["jr_3", "jr_2", "jr_1"]
    assert model.job_runs("job-b") == ["jr_b"]


def test_a_stop_is_known_before_it_is_sent():
    model = _model()
    _start(model, "jr_1")
    model.stop_sent(["jr_1", "jr_unknown"], sent_at=NOW + 1, accepted=set())
    assert model.runs["jr_1"].stop_sent_at == NOW + 1
    assert not model.runs["jr_1"].stop_accepted
    model.stop_sent(["jr_1"], sent_at=NOW + 2, accepted={"jr_1"})
    assert model.runs["jr_1"].stop_sent_at == NOW + 1
    assert model.runs["jr_1"].stop_accepted


# --- the observation point --------------------------------------------------------------------


def _answer(body: dict[str, Any], received: float, elapsed: float = 0.01) -> Exchange:
    headers = {"content-type": JSON_11, "x-amzn-requestid": "r"}
    return Exchange(REQUEST, 200, headers, json.dumps(body).encode(), elapsed, received_at=received)


def _run(**members: Any) -> dict[str, Any]:
    base = {
        "Id": "jr_1",
        "Attempt": 0,
        "JobName": JOB,
        "StartedOn": NOW + 0.05,
        "LastModifiedOn": NOW + 0.06,
        "JobRunState": "RUNNING",
        "GlueVersion": "4.0",
        "Timeout": 2880,
        "PredecessorRuns": [],
    }
    return {**base, **members}


def _judge() -> Judge:
    model = _model()
    _start(model, "jr_1")
    return Judge(model, Context())


def _rules(found: list[Deviation]) -> set[str]:
    return {deviation.rule.id for deviation in found}


def test_a_faithful_run_passes_every_check_from_either_operation():
    judge = _judge()
    got = _run()
    assert (
        judge.run(got, _answer({"JobRun": got}, NOW + 1), call="GetJobRun", job=JOB, run_id="jr_1")
        == []
    )
    page = _answer({"JobRuns": [_run(LastModifiedOn=NOW + 0.07)]}, NOW + 2)
    listing = Listing(JOB, None, (page,), True, "GetJobRuns", ("jr_1",))
    assert judge.listing(listing) == []
    assert judge.verdict("response.schema").judged == 2  # the listing item was judged too


def test_a_deviation_seen_only_in_a_listing_is_still_a_deviation_naming_the_call():
    judge = _judge()
    page = _answer({"JobRuns": [_run(GlueVersion="0.9")]}, NOW + 2)
    found = judge.listing(Listing(JOB, 1, (page,), True, "GetJobRuns MaxResults=1", ("jr_1",)))
    assert "response.job.reflected" in _rules(found)
    with pytest.raises(Deviation, match=r"GetJobRuns MaxResults=1 page 1 item 1: .*GlueVersion"):
        judge.verdict("response.job.reflected")


def test_relations_compare_with_the_previous_observation_from_any_operation():
    judge = _judge()
    done = _run(JobRunState="SUCCEEDED", LastModifiedOn=NOW + 0.5, CompletedOn=NOW + 0.5)
    judge.run(done, _answer({"JobRun": done}, NOW + 1), call="GetJobRun", job=JOB, run_id="jr_1")
    page = _answer({"JobRuns": [_run(JobRunState="RUNNING")]}, NOW + 2)
    found = judge.listing(Listing(JOB, None, (page,), True, "GetJobRuns", ("jr_1",)))
    assert {"lifecycle.transitions", "lifecycle.timestamps.monotonic"} <= _rules(found)


def test_overlapping_calls_are_not_ordered():
    """An answer that arrived after the next request went out is not 'before' it."""
    judge = _judge()
    done = _run(JobRunState="SUCCEEDED", LastModifiedOn=NOW + 0.5, CompletedOn=NOW + 0.5)
    judge.run(done, _answer({"JobRun": done}, NOW + 3), call="GetJobRun", job=JOB, run_id="jr_1")
    earlier = _answer({"JobRun": _run()}, NOW + 3.5, elapsed=1.0)  # sent at NOW + 2.5
    assert judge.run(_run(), earlier, call="GetJobRun", job=JOB, run_id="jr_1") == []


def test_timestamps_further_apart_than_the_client_saw_pass_are_a_deviation():
    judge = _judge()
    late = _run(LastModifiedOn=NOW + 120.0)  # StartJobRun was sent at NOW, answer at NOW + 1
    found = judge.run(
        late, _answer({"JobRun": late}, NOW + 1), call="GetJobRun", job=JOB, run_id="jr_1"
    )
    assert "lifecycle.timestamps.elapsed" in _rules(found)
    offset = _run(StartedOn=NOW - 299.9, LastModifiedOn=NOW - 299.5)  # a clock 5 minutes slow
    model = _model()
    _start(model, "jr_1")
    other = Judge(model, Context())
    assert (
        other.run(
            offset, _answer({"JobRun": offset}, NOW + 1), call="GetJobRun", job=JOB, run_id="jr_1"
        )
        == []
    )


def test_a_listing_with_a_foreign_run_or_a_missing_one():
    judge = _judge()
    page = _answer({"JobRuns": [_run(Id="jr_other", JobName="job-b")]}, NOW + LISTED_WITHIN_S + 1)
    found = judge.listing(Listing(JOB, None, (page,), True, "GetJobRuns", ("jr_1",)))
    assert {"lifecycle.runs-only-own", "lifecycle.runs-listed"} <= _rules(found)


def test_a_run_too_new_may_be_missing_from_a_listing_until_it_is_older_or_was_listed():
    """No evidence says GetJobRuns reads its own writes (section 17): a run may be missing
    while it is younger than LISTED_WITHIN_S, never once older, and never from a listing taken
    after one that showed it (issue 34: a listing one second behind StartJobRun)."""
    judge = _judge()
    _start(judge.model, "jr_2")

    def listing(at: float, *ids: str, size: int | None = None) -> Listing:
        page = _answer({"JobRuns": [_run(Id=run_id) for run_id in ids]}, at)
        return Listing(JOB, size, (page,), True, "GetJobRuns", ("jr_2", "jr_1"))

    assert "lifecycle.runs-listed" not in _rules(judge.listing(listing(NOW + 1, "jr_1")))
    assert judge.unlisted() == {(JOB, None): frozenset({"jr_2"})}  # (listed again by settle)
    assert "lifecycle.runs-listed" not in _rules(judge.listing(listing(NOW + 2, "jr_2", "jr_1")))
    assert judge.unlisted() == {}
    # Seen at NOW + 2: missing at NOW + 3, though still new, is a deviation.
    assert "lifecycle.runs-listed" in _rules(judge.listing(listing(NOW + 3, "jr_1", size=1)))
    # Never listed, and older than the bound: a deviation too.
    late = _judge()
    _start(late.model, "jr_2")
    found = late.listing(listing(NOW + LISTED_WITHIN_S + 0.5, "jr_1"))
    assert "lifecycle.runs-listed" in _rules(found)
    assert late.unlisted() == {}


def test_a_listing_whose_token_never_ends_is_a_deviation_only_for_a_known_job():
    page = _answer({"JobRuns": [_run()], "NextToken": "again"}, NOW + 2)
    judge = _judge()
    cut = Listing(JOB, 1, (page,) * 30, False, "GetJobRuns MaxResults=1", ("jr_1",))
    assert "lifecycle.runs-paging" in _rules(judge.listing(cut))
    pages = tuple(  # read-only mode: a long history, cut at the bound, each run once
        _answer({"JobRuns": [_run(Id=f"jr_{n}")], "NextToken": str(n)}, NOW + 2) for n in range(30)
    )
    unknown = dataclasses.replace(cut, pages=pages, expected_runs=None)
    assert "lifecycle.runs-paging" not in _rules(_judge().listing(unknown))


def test_a_rule_whose_subject_never_appeared_is_not_judged():
    with pytest.raises(NotJudged):
        _judge().verdict("lifecycle.stop-ends-stopped")


def test_memory_stays_flat_one_latest_observation_per_run():
    judge = _judge()
    for step in range(50):
        got = _run(LastModifiedOn=NOW + 0.06 + step / 1000)
        judge.run(
            got, _answer({"JobRun": got}, NOW + 1 + step), call="GetJobRun", job=JOB, run_id="jr_1"
        )
    latest = judge.latest("jr_1")
    assert latest is not None
    assert latest.before is None


def test_a_manual_retry_may_report_the_job_or_the_run_it_retries():
    """Section 14: what a retry takes over is not known; the model allows either, never a
    third value."""
    model = _model(GlueVersion="4.0", Timeout=15, DefaultArguments={"--d": "job"})
    _start(model, "jr_1", {"--own": "1"}, Timeout=30)
    _start(model, "jr_2", JobRunId="jr_1")
    facts = _wanted(model, "jr_2")
    assert facts[("Timeout", "job")].holds({"Timeout": 15})
    assert facts[("Timeout", "job")].holds({"Timeout": 30})
    assert not facts[("Timeout", "job")].holds({"Timeout": 2880})
    arguments = facts[("Arguments", "arguments")]
    assert arguments.holds({})
    assert arguments.holds({"Arguments": {"--own": "1"}})
    assert not arguments.holds({"Arguments": {"--d": "job"}})


def test_a_retry_of_a_retry_may_report_what_the_retried_run_inherited():
    """A retry that names no overrides may report what the run it retries reports, and that run,
    a retry too, may report what it took over: the first run's WorkerType and Arguments are
    allowed on the third (issue 34: a retry of a retry reporting the inherited WorkerType)."""
    model = _model(GlueVersion="4.0", WorkerType="G.1X", NumberOfWorkers=2)
    _start(model, "jr_1", {"--own": "1"}, WorkerType="G.2X")
    _start(model, "jr_2", JobRunId="jr_1")
    _start(model, "jr_3", JobRunId="jr_2")
    third = _wanted(model, "jr_3")
    assert third[("WorkerType", "job")].holds({"WorkerType": "G.2X"})
    assert third[("WorkerType", "job")].holds({"WorkerType": "G.1X"})
    assert not third[("WorkerType", "job")].holds({"WorkerType": "G.4X"})
    assert third[("Arguments", "arguments")].holds({"Arguments": {"--own": "1"}})
    # A run of the chain that was given its own value ends what the later ones may take over.
    _start(model, "jr_4", WorkerType="G.4X")
    _start(model, "jr_5", JobRunId="jr_4")
    _start(model, "jr_6", JobRunId="jr_5")
    assert not _wanted(model, "jr_6")[("WorkerType", "job")].holds({"WorkerType": "G.2X"})
    assert _wanted(model, "jr_6")[("WorkerType", "job")].holds({"WorkerType": "G.4X"})


def test_a_run_after_update_job_reports_the_job_as_it_then_is():
    """Section 11: the run reports the job it was started under; UpdateJob replaces the whole
    definition, so the later run is judged against the new one only."""
    model = _model(GlueVersion="4.0", WorkerType="G.1X", NumberOfWorkers=2, Timeout=15)
    _start(model, "jr_before")
    model.update_job(JOB, {"GlueVersion": "3.0", "WorkerType": "G.2X", "NumberOfWorkers": 3})
    _start(model, "jr_after")
    after = _wanted(model, "jr_after")
    assert after[("GlueVersion", "job")].holds({"GlueVersion": "3.0"})
    assert not after[("GlueVersion", "job")].holds({"GlueVersion": "4.0"})
    assert ("Timeout", "job") not in after  # the update unset it
    assert model.facts("jr_after").job_updated is False


def test_an_earlier_run_may_show_its_job_before_or_after_an_update():
    """Which definition an earlier run shows is not in the evidence: either is taken, a third
    value is not, and a member the update unset is not judged at all."""
    model = _model(GlueVersion="4.0", WorkerType="G.1X", NumberOfWorkers=2, Timeout=15)
    _start(model, "jr_before")
    model.update_job(JOB, {"GlueVersion": "3.0", "WorkerType": "G.2X", "NumberOfWorkers": 3})
    before = _wanted(model, "jr_before")
    fact = before[("GlueVersion", "job")]
    assert fact.holds({"GlueVersion": "4.0"})
    assert fact.holds({"GlueVersion": "3.0"})
    assert not fact.holds({"GlueVersion": "2.0"})
    assert ("Timeout", "job") not in before
    assert model.facts("jr_before").job_updated is True


def test_non_overridable_arguments_are_never_part_of_the_runs_own():
    """Section 13: a run's Arguments are exactly its own, whatever the job fixes."""
    model = _model(GlueVersion="4.0", NonOverridableArguments={"--fixed": "job"})
    _start(model, "jr_1", {"--fixed": "run"})
    fact = _wanted(model, "jr_1")[("Arguments", "arguments")]
    assert fact.holds({"Arguments": {"--fixed": "run"}})
    assert not fact.holds({"Arguments": {"--fixed": "job"}})
    assert model.facts("jr_1").job_defaults == {"--fixed": "job"}  # named in the message


@pytest.mark.parametrize(
    ("kind", "judged"),
    [("glueetl", True), ("pythonshell", True), ("gluestreaming", False), ("glueray", False)],
)
def test_the_timeout_default_is_judged_only_for_kinds_the_evidence_captures(kind, judged):
    """Section 12 captures Spark and Python shell runs; a streaming or Ray default is unknown."""
    model = _model(GlueVersion="3.0", Command={"Name": kind})
    _start(model, "jr_1")
    assert (("Timeout", "timeout-default") in _wanted(model, "jr_1")) is judged


def test_an_earlier_run_showing_its_updated_job_is_not_taken_for_a_run_that_changed():
    """lifecycle.runs-agree: what a run reports of its job may change once UpdateJob changed
    the job (not known either way); before any update it may not."""
    judge = _judge()
    first = _run(GlueVersion="4.0")
    judge.run(first, _answer({"JobRun": first}, NOW + 1), call="GetJobRun", job=JOB, run_id="jr_1")
    changed = _run(GlueVersion="3.0", LastModifiedOn=NOW + 0.07)
    found = judge.run(
        changed, _answer({"JobRun": changed}, NOW + 2), call="GetJobRun", job=JOB, run_id="jr_1"
    )
    assert "lifecycle.runs-agree" in _rules(found)
    judge2 = _judge()
    judge2.run(first, _answer({"JobRun": first}, NOW + 1), call="GetJobRun", job=JOB, run_id="jr_1")
    judge2.model.update_job(JOB, {"GlueVersion": "3.0"})
    found = judge2.run(
        changed, _answer({"JobRun": changed}, NOW + 2), call="GetJobRun", job=JOB, run_id="jr_1"
    )
    assert "lifecycle.runs-agree" not in _rules(found)
    assert "response.job.reflected" not in _rules(found)


def test_a_run_knows_a_reused_id() -> None:
    model = Model()
    model.add_job("j", {})
    model.add_job("k", {})
    model.add_run("j", "a", arguments=None, settings={}, sent_at=1.0, answered_at=1.1)
    model.add_run("k", "b", arguments=None, settings={}, sent_at=1.05, answered_at=1.2)  # overlaps
    c = model.add_run("j", "c", arguments=None, settings={}, sent_at=3.0, answered_at=3.1)
    assert not c.reused
    assert model.add_run("j", "a", arguments=None, settings={}, sent_at=4, answered_at=4).reused


def test_a_stop_under_one_job_is_not_a_stop_of_another_jobs_run() -> None:
    model = Model()
    model.add_job("j", {})
    model.add_job("k", {})
    model.add_run("j", "a", arguments=None, settings={}, sent_at=1.0, answered_at=1.1)
    model.add_run("k", "b", arguments=None, settings={}, sent_at=1.0, answered_at=1.1)
    model.stop_sent(["a", "b", "nobody"], sent_at=2.0, accepted={"a", "b"}, job="j")
    assert model.facts("a").stop_accepted
    assert model.facts("b").stop_sent_at is None
    assert not model.facts("b").stop_accepted


def test_a_run_is_paired_with_the_start_answered_last_before_it_among_those_seen() -> None:
    from tests.test_checks import ok

    model = Model()
    model.add_job("j", {})
    for run_id, sent in (("a", 1.0), ("b", 1.05), ("unseen", 2.0), ("c", 3.0)):
        model.add_run(
            "j", run_id, arguments=None, settings={}, sent_at=sent, answered_at=sent + 0.1
        )
    judge = Judge(model, Context())
    for run_id in ("a", "b"):
        answer = ok(Id=run_id, JobName="j")
        judge.run(answer.json["JobRun"], answer, call="GetJobRun", job="j", run_id=run_id)
    found = judge._started_before(model.facts("c"))
    assert found is not None
    assert found.run["Id"] == "b"  # "unseen" was never observed by this judge: not compared
    assert judge._started_before(model.facts("a")) is None  # b's answer came after a was sent


# --- issue 35: capacity from workers, ExecutionClass (evidence section 24) ---------------------


def _sources(model: Model, run_id: str, member: str) -> dict[str, tuple[Any, ...]]:
    return {f.source: f.values for f in model.expected(run_id) if f.member == member}


def test_the_dpu_of_each_worker_type_is_read_from_the_model_text():
    from glue_conformance.schemas.model import load, worker_dpu

    dpu = worker_dpu()
    assert (dpu["G.025X"], dpu["G.1X"], dpu["G.2X"], dpu["G.8X"], dpu["Z.2X"]) == (
        0.25,
        1.0,
        2.0,
        8.0,
        2.0,
    )
    # every type of the enum whose text gives a number: all but Standard
    assert set(dpu) == set(load().shape("WorkerType")["enum"]) - {"Standard"}


def test_capacity_from_workers_is_strict_for_captured_types_only():
    model = _model(GlueVersion="3.0", WorkerType="G.2X", NumberOfWorkers=6)
    _start(model, "jr_own")
    _start(model, "jr_over", WorkerType="G.4X", NumberOfWorkers=2)
    _start(model, "jr_max", MaxCapacity=10.0)
    assert _sources(model, "jr_own", "MaxCapacity") == {"capacity-workers": (12.0,)}
    assert _sources(model, "jr_over", "MaxCapacity") == {"capacity-workers-other": (8.0,)}
    assert "capacity-workers" not in _sources(model, "jr_max", "MaxCapacity")


def test_workers_a_run_gives_a_job_of_max_capacity_are_not_judged():
    """A Python shell job of MaxCapacity 0.0625 run with G.1X x 2 (what the state machine drew
    under -n 2 against embedded moto): no capture of section 24 is of such a run."""
    model = _model(Command={"Name": "pythonshell"}, GlueVersion="3.0", MaxCapacity=0.0625)
    _start(model, "jr_workers", WorkerType="G.1X", NumberOfWorkers=2)
    assert _sources(model, "jr_workers", "MaxCapacity") == {}


def test_a_retry_may_report_the_capacity_of_the_workers_it_takes_over():
    """A retry of a run that overrode its workers may report either (section 14): an uncaptured
    type among them makes the capacity recorded, not judged."""
    model = _model(GlueVersion="3.0", WorkerType="G.2X", NumberOfWorkers=2)
    _start(model, "jr_first", WorkerType="G.1X", NumberOfWorkers=3)
    _start(model, "jr_retry", JobRunId="jr_first")
    assert _sources(model, "jr_retry", "MaxCapacity") == {"capacity-workers": (4.0, 3.0)}
    _start(model, "jr_odd", WorkerType="R.4X", NumberOfWorkers=2)
    _start(model, "jr_retry2", JobRunId="jr_odd")
    assert set(_sources(model, "jr_retry2", "MaxCapacity")) == {"capacity-workers-other"}


@pytest.mark.parametrize(
    ("job", "source"),
    [
        ({"GlueVersion": "3.0"}, "execution-class"),
        ({"GlueVersion": "2.0"}, "execution-class-elsewhere"),
        ({"GlueVersion": "3.0", "Command": {"Name": "pythonshell"}}, "execution-class-elsewhere"),
    ],
)
def test_flex_is_allowed_only_on_glueetl_of_glue_3_or_later(job, source):
    model = _model(**job)
    _start(model, "jr_flex", ExecutionClass="FLEX")
    _start(model, "jr_standard")
    assert _sources(model, "jr_flex", "ExecutionClass") == {source: ("FLEX",)}
    assert _sources(model, "jr_standard", "ExecutionClass") == {}
