"""A model-based state machine over CreateJob, StartJobRun, GetJobRun, GetJobRuns and
BatchStopJobRun: sequences drawn from the model's own constraints, every answer judged.

Hypothesis draws jobs (a Glue version and any of workers, Timeout, DefaultArguments, or a Python
shell or Ray job; named with a drawn name class or valid name after the suite's prefix), runs (any
subset of overrides, Arguments with string edges, retries of earlier runs), stops of one run and
of several (with ended runs, another job's and ids no run has), listings with any page size of
1-200 or none, reads with and without PredecessorsIncluded, and lookups that must find nothing (a
look-alike edit of a real job name or id, a real run under another job). After every step the
observation point (`glue_conformance.observe`) judges what came back against the model, and the
first deviation of a rule this target is not known to break fails the step, so Hypothesis shrinks
to a short sequence; each step's note gives its curl reproduction. The runs the sequences stopped
are waited for together once, after the last sequence, under the run's one life-cycle deadline. A
deviation of a rule the campaign already showed broken (its own check fails) or the baseline knows
is recorded, not failed here again. A CreateJob or StartJobRun the target refuses is judged as
the tour judges its own (lifecycle.domain-accepted, with the SDK call's request and answer),
never raised as the SDK's error: the step then made nothing, and the sequence goes on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from glue_conformance import domain_jobs, domain_runs, strategies
from glue_conformance.checks import lifecycle, not_found
from glue_conformance.checks.base import Deviation, reproduction
from glue_conformance.checks.subjects import StopAnswer
from glue_conformance.fixtures import provisioning
from glue_conformance.observe import Judge
from glue_conformance.outcomes import unavailable
from glue_conformance.provision import Run
from glue_conformance.rules import RULES
from glue_conformance.scenarios import Campaign, Reader, wait_together
from glue_conformance.strategies.constraints import utf16_length
from glue_conformance.strategies.runs import (
    LOOK_ALIKE_EDITS,
    NAME_MAX,
    fit,
    job_kinds,
    look_alike_edits,
    name_suffixes,
)
from glue_conformance.transport import Exchange, TargetUnavailable

MAX_JOBS = 2  # jobs one sequence may create
MAX_RUNS = 6  # runs one sequence may start
# Jobs of every kind (Spark ETL first: the plainest), named with a drawn name class or valid name.
JOBS = st.one_of(strategies.job_settings(), job_kinds())
SUFFIXES = name_suffixes(NAME_MAX)
_ENV: dict[str, Any] = {}


STEPS = "state machine steps"  # the coverage table's dimension (glue_conformance.coverage)
STEP_CLASSES = (
    "CreateJob",
    "StartJobRun",
    "retry",
    "GetJobRun",
    "GetJobRuns",
    "look-alike name",
    "look-alike id",
    "run under another job",
    "BatchStopJobRun of one",
    "BatchStopJobRun of several",
)


def _step(cls: str) -> None:
    """A step the sequences played (Hypothesis's replays while it shrinks count too)."""
    _ENV["provisioner"].coverage.hit(STEPS, cls)


def _sdk(call: Any, *args: Any, **kwargs: Any) -> Any:
    """A write step; persistent throttling skips the test at once (Hypothesis re-raises skips
    instead of shrinking against a target that is not answering)."""
    try:
        return call(*args, **kwargs)
    except TargetUnavailable as error:
        raise unavailable(error.detail) from None


# Refusals of a valid write that come from what the account holds, not from the request: its
# limits, its permissions, its pace (StartJobRun's and CreateJob's modelled errors of that kind).
WORLD_REFUSALS = frozenset(
    {
        "AccessDeniedException",
        "ConcurrentModificationException",
        "ConcurrentRunsExceededException",
        "OperationTimeoutException",
        "ResourceNumberLimitExceededException",
        "ThrottlingException",
    }
)


def _fail_on_fresh() -> None:
    """The first deviation of a rule not already known to be broken fails the step: known to
    the baseline, or already shown by the campaign (its own check reports it). Those are
    recorded all the same; what fails here is what only a sequence showed."""
    for deviation in _ENV["judge"].fresh():
        rule = deviation.rule.id
        if rule not in _ENV["known"] and rule not in _ENV["shown"]():
            raise deviation


def _noted(what: str, exchange: Exchange | None) -> None:
    if exchange is not None:
        note(f"{what}: {reproduction(exchange.request, _ENV['judge'].ctx)['curl']}")


def _carried(settings_: dict[str, Any]) -> str:
    """What a write carried, for its verdict's text (the request line shows every value)."""
    return ", ".join(
        f"Command {value.get('Name')}"
        if key == "Command" and isinstance(value, dict)
        else key
        if isinstance(value, dict)
        else f"{key} {value}"
        for key, value in settings_.items()
    )


def _refused(operation: str, what: str, error: ClientError) -> None:
    """A write the target refused, judged as the tour judges its own (lifecycle.domain-accepted:
    valid values are never refused as invalid), with the request and answer it was. A fresh
    deviation fails the step; a known one, or another refusal (a limit, a role), leaves the step
    having made nothing, and the sequence goes on."""
    subject = domain_jobs.sent(operation, what, error)
    _ENV["judge"].answer(lifecycle.check_domain_accepted, subject, call=operation)
    note(f"{operation} refused: {subject.error} {subject.message[:200]!r}")
    _fail_on_fresh()
    if subject.error not in WORLD_REFUSALS | {"ValidationException"}:
        # Not what the world holds (an unknown job just created, a server error): the step
        # fails on it, as it did before refusals were judged, with the exchange it was.
        raise Deviation(
            RULES["lifecycle.stateful"],
            f"{operation} with {what}: {subject.error} {subject.message[:200]!r}",
            subject.exchange,
            _ENV["judge"].ctx,
        )


class ModelMachine(RuleBasedStateMachine):
    jobs = Bundle("jobs")
    runs = Bundle("runs")

    def __init__(self) -> None:
        super().__init__()
        _ENV["judge"].fresh()  # what earlier sequences left is theirs
        self.created = 0
        self.made: list[str] = []  # the jobs this sequence created, in order
        self.started: list[Run] = []
        self.stopped: set[str] = set()

    @property
    def judge(self) -> Any:
        return _ENV["judge"]

    def _create(self, settings_: dict[str, Any], suffix: str) -> Any:
        """A job named with the suite's prefix and token, then a drawn name class or valid
        name, cut so the whole is valid whether lengths count code points or UTF-16 units. A
        refused one adds no job (and is not counted: the next step may create one)."""
        _ENV["jobs"] += 1
        provisioner = _ENV["provisioner"]
        head = f"sm{_ENV['jobs']}-"
        room = NAME_MAX - utf16_length(provisioner.name(head))
        purpose = head + fit(suffix, room)
        try:
            name = _sdk(
                provisioner.create_job, purpose, max_concurrent_runs=MAX_RUNS * 2, **settings_
            )
        except ClientError as error:
            full = provisioner.name(purpose)
            what = f"JobName of {len(full)} code points ({utf16_length(full)} UTF-16 units)"
            _refused("CreateJob", ", ".join([what, _carried(settings_)]).rstrip(", "), error)
            return multiple()
        self.created += 1
        note(f"CreateJob {name!r} {settings_!r}")
        _step("CreateJob")
        self.made.append(str(name))
        return str(name)

    @initialize(target=jobs, job_settings=JOBS, suffix=SUFFIXES)
    def first_job(self, job_settings: dict[str, Any], suffix: str) -> Any:
        return self._create(job_settings, suffix)

    # Preconditions read only the sequence's own state: one that read the session's (jobs made
    # so far) would change between Hypothesis's replays of a sequence, and shrinking needs a
    # replay to do what the first run did.
    @precondition(lambda self: self.created < MAX_JOBS)
    @rule(target=jobs, job_settings=JOBS, suffix=SUFFIXES)
    def another_job(self, job_settings: dict[str, Any], suffix: str) -> Any:
        return self._create(job_settings, suffix)

    @precondition(lambda self: len(self.started) < MAX_RUNS and _ENV["provisioner"].can_start())
    @rule(
        target=runs,
        job=jobs,
        overrides=strategies.run_overrides(),
        arguments=strategies.run_arguments(),
    )
    def start(self, job: str, overrides: dict[str, Any], arguments: dict[str, str] | None) -> Any:
        try:
            run = _sdk(_ENV["provisioner"].start, job, arguments=arguments, **overrides)
        except ClientError as error:
            keys = "no Arguments" if arguments is None else f"Arguments of {len(arguments)} keys"
            _refused("StartJobRun", ", ".join([keys, _carried(overrides)]).rstrip(", "), error)
            return multiple()
        note(f"StartJobRun {job} Arguments={arguments!r} {overrides!r} -> {run.run_id}")
        _step("StartJobRun")
        self.started.append(run)
        # Looked up under another of the sequence's jobs at once: as a rule of its own, the
        # lookup needs its turn, the rule enabled (Hypothesis enables a subset of rules per
        # sequence) and a second job made first, which one nightly run in three never met.
        others = [made for made in self.made if made != job]
        if others:
            self._under(run, others[0])
        return run

    @precondition(lambda self: len(self.started) < MAX_RUNS and _ENV["provisioner"].can_start())
    @rule(target=runs, previous=runs)
    def retry(self, previous: Run) -> Any:
        try:
            run = _sdk(_ENV["provisioner"].start, previous.job_name, JobRunId=previous.run_id)
        except ClientError as error:
            _refused("StartJobRun", f"JobRunId {previous.run_id} (a retry)", error)
            return multiple()
        note(f"StartJobRun {previous.job_name} JobRunId={previous.run_id} -> {run.run_id}")
        _step("retry")
        self.started.append(run)
        return run

    @rule(run=runs, predecessors=st.booleans())
    def get(self, run: Run, predecessors: bool) -> None:
        exchange = _ENV["reader"].get(run.job_name, run.run_id, predecessors=predecessors)
        _noted("GetJobRun", exchange)
        _step("GetJobRun")
        _fail_on_fresh()

    @rule(job=jobs, size=strategies.max_results())
    def list_runs(self, job: str, size: int | None) -> None:
        expected = tuple(self.judge.model.job_runs(job))
        listing = _ENV["reader"].listing(job, max_results=size, expected=expected)
        for page in listing.pages:
            _noted(listing.call, page)
        _step("GetJobRuns")
        _fail_on_fresh()

    @rule(run=runs, edit=look_alike_edits())
    def look_up_an_edited_job_name(self, run: Run, edit: str) -> None:
        wanted = LOOK_ALIKE_EDITS[edit](run.job_name)
        if self.judge.model.owns(wanted) or not strategies.is_valid_name(wanted):
            return  # the edit named a job that exists, or is not a valid name at all
        if utf16_length(wanted) > NAME_MAX:
            return  # valid only if lengths count code points (evidence section 7)
        exchange = _ENV["reader"].request(
            {"JobName": wanted, "RunId": run.run_id}, call=f"GetJobRun under {edit} name"
        )
        _noted(f"GetJobRun of {run.run_id} under its job's name edited ({edit})", exchange)
        _step("look-alike name")
        if exchange is not None:
            call = f"GetJobRun of {run.run_id} under {wanted!r} ({edit} of {run.job_name!r})"
            self.judge.answer(not_found.check_job_name_exact, exchange, call=call)
            _fail_on_fresh()

    @rule(run=runs, edit=look_alike_edits())
    def look_up_an_edited_id(self, run: Run, edit: str) -> None:
        wanted = LOOK_ALIKE_EDITS[edit](run.run_id)
        known = set(self.judge.model.job_runs(run.job_name))
        if wanted in known or not strategies.is_valid_run_id(wanted):
            return  # the edit named a run that exists, or is not a valid id at all
        exchange = _ENV["reader"].request(
            {"JobName": run.job_name, "RunId": wanted}, call=f"GetJobRun of {edit} id"
        )
        _noted(f"GetJobRun of {run.run_id} edited ({edit})", exchange)
        _step("look-alike id")
        if exchange is not None:
            call = f"GetJobRun of {wanted!r} ({edit} of {run.run_id})"
            self.judge.answer(not_found.check_run_id_exact, exchange, call=call)
            _fail_on_fresh()

    @precondition(lambda self: len(self.made) > 1)
    @rule(run=runs, data=st.data())
    def look_up_under_another_job(self, run: Run, data: st.DataObject) -> None:
        """(Another of the sequence's jobs, drawn from those that are not the run's: a draw
        from the whole bundle named the run's own job half the time, a step that asked
        nothing.)"""
        others = [job for job in self.made if job != run.job_name]
        self._under(run, data.draw(st.sampled_from(others), label="other"))

    def _under(self, run: Run, other: str) -> None:
        exchange = _ENV["reader"].request(
            {"JobName": other, "RunId": run.run_id}, call="GetJobRun under another job"
        )
        _noted(f"GetJobRun of {run.run_id} under {other}", exchange)
        _step("run under another job")
        if exchange is not None:
            call = f"GetJobRun of {run.run_id} under job {other}"
            self.judge.answer(not_found.check_run_under_other_job, exchange, call=call)
            _fail_on_fresh()

    @precondition(lambda self: _ENV["stop_supported"])
    @rule(run=runs)
    def stop(self, run: Run) -> None:
        accepted, refused = _ENV["provisioner"].stop(run.job_name, [run.run_id])
        note(f"BatchStopJobRun {run.job_name} [{run.run_id}] -> accepted {sorted(accepted)}")
        _step("BatchStopJobRun of one")
        if run.run_id in accepted:
            self.stopped.add(run.run_id)
        elif refused is not None:
            note(f"  refused: {refused}")

    @precondition(lambda self: _ENV["stop_supported"])
    @rule(picked=st.lists(runs, min_size=1, max_size=5), unknown=strategies.unknown_ids())
    def stop_several(self, picked: list[Run], unknown: int) -> None:
        """One BatchStopJobRun naming runs of any job (the first's is the JobName), ended or
        not, and ids no run has: the answer and every later view are judged."""
        job = picked[0].job_name
        ids = list(dict.fromkeys([run.run_id for run in picked]))
        ids += [domain_runs.unknown_id() for _ in range(unknown)]
        kinds = domain_runs.kinds_of(self.judge, job, ids)
        answer, refused = _ENV["provisioner"].stop_batch(job, ids)
        note(f"BatchStopJobRun {job} {kinds} -> {answer if refused is None else refused}")
        _step("BatchStopJobRun of several")
        self.judge.stop(
            StopAnswer(job, kinds, answer, refused, call=f"BatchStopJobRun of {len(ids)} ids")
        )
        done = set(StopAnswer(job, kinds, answer).listed("SuccessfulSubmissions"))
        self.stopped |= {i for i, kind in kinds.items() if kind == "running" and i in done}
        _fail_on_fresh()

    def teardown(self) -> None:
        """A stopped run's end is an "eventually": it is left to the one shared wait after the
        last sequence, so no step and no sequence sits in a poll loop."""
        _ENV["stopped"] += [run for run in self.started if run.run_id in self.stopped]


def _stop_supported(provisioner: Any, job: str) -> bool:
    """BatchStopJobRun is outside GetJobRun; a target without it only loses the stop steps."""
    try:
        provisioner.stop_client.batch_stop_job_run(
            JobName=job, JobRunIds=["jr_glue_conformance_absent_run"]
        )
    except Exception:  # (a refusal, a crash, an answer the SDK cannot parse)
        return False
    return True


def sequences_of(request: pytest.FixtureRequest) -> Callable[[Callable[[], Campaign]], None]:
    """The state machine, set up in the caller's thread (its job, or the reason it is skipped);
    the sequences then play wherever they are called: beside the checks and the campaign (the
    engine starts them, `fixtures._scenarios_beside`) or in this test itself. They judge at an
    observation point of their own, over the same model, so the campaign's verdicts stay the
    campaign's while the two run at once; a sequence's deviation waits for the campaign's end
    to know whether the campaign showed that rule broken too (then it is not failed here)."""
    provisioner = request.getfixturevalue("provisioner")
    if provisioner is None:
        pytest.skip("read-only mode: the state machine starts runs")
    if request.getfixturevalue("glue_target").aws and not provisioner.allow_billable:
        pytest.skip("StartJobRun on AWS is billable: pass --glue-allow-billable")
    with provisioning("CreateJob"):  # the campaign's own job's settings: refused as it is
        job = str(provisioner.create_job("stateful"))
    reader: Reader = request.getfixturevalue("reader")
    known: frozenset[str] = request.getfixturevalue("known_rules")
    budget: float = request.getfixturevalue("suite_settings").lifecycle_timeout
    deadline: Callable[[], float] = request.getfixturevalue("lifecycle_deadline")

    def play(campaign: Callable[[], Campaign]) -> None:
        base: Judge = reader.judge
        judge = Judge(base.model, base.ctx, window_s=base.window_s)
        own = Reader(reader.send, judge, at_once=reader.at_once, closing=reader.closing)

        def shown() -> frozenset[str]:
            """Rules the campaign showed broken (it may still be running: this waits for it)."""
            try:
                records = campaign().judge.records
            except BaseException:  # (its own checks report why it did not run)
                return frozenset()
            return frozenset(r for r, record in records.items() if record.deviations)

        _play(provisioner, own, judge, known, shown, job, budget, deadline())

    return play


def _play(
    provisioner: Any,
    reader: Reader,
    judge: Judge,
    known: frozenset[str],
    shown: Callable[[], frozenset[str]],
    job: str,
    budget: float,
    deadline: float,
) -> None:
    provisioner.coverage.declare(STEPS, STEP_CLASSES)
    stop_supported = _stop_supported(provisioner, job)
    if not stop_supported:
        for cls in STEP_CLASSES[-2:]:
            provisioner.coverage.skipped(STEPS, cls, "the target refused BatchStopJobRun")
    _ENV.update(
        provisioner=provisioner,
        reader=reader,
        judge=judge,
        known=known,
        shown=functools.cache(shown),
        stop_supported=stop_supported,
        budget=budget,
        deadline=deadline,
        jobs=0,
        stopped=[],
    )
    base = settings()  # the loaded profile (settings.default is typed Optional)
    run_state_machine_as_test(
        ModelMachine,
        settings=settings(
            base, max_examples=max(3, base.max_examples // 10), stateful_step_count=8
        ),
    )
    # The stops every sequence made, waited for together, then judged: each must end STOPPED.
    stopped = list({run.run_id: run for run in _ENV["stopped"]}.values())
    judge.fresh()
    wait_together(reader, stopped, _ENV["deadline"])
    for run in stopped:
        judge.settled(run.run_id, budget_s=_ENV["budget"])
    reader.settle(_ENV["deadline"])  # the runs its listings left out as too new, judged
    _fail_on_fresh()


@pytest.mark.rule("lifecycle.stateful")
def test_generated_sequences_keep_every_rule(beside, observed, request):
    """(The campaign's skip or failed set-up is this check's too, as `observed` raises it.)"""
    if beside.started("machine"):
        beside.outcome("machine")  # what the sequences raised is raised here
        return
    sequences_of(request)(lambda: observed)


test_generated_sequences_keep_every_rule.beside = sequences_of
