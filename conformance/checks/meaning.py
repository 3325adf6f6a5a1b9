"""What a run means: it reports its job and its start (evidence sections 11-14, 18).

Each check compares one JobRun (from any operation) with what the model says of the run the suite
started (`Observation.expected`): the job's settings where StartJobRun set none, StartJobRun's
overrides where it gave them, the run's own Arguments exactly, Attempt 0 and no PreviousRunId for
a first run, the retried run's id for a retry, no trigger and no predecessors. A run the suite did
not start (read-only mode) has no expectations, so these checks have nothing to judge on it.
"""

from __future__ import annotations

import re

import glue_conformance.checks.examples as ex
from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, expect, observation
from glue_conformance.checks.subjects import Observation, Sent
from glue_conformance.model import CAPACITY_CAPTURED, Fact
from glue_conformance.schemas.model import worker_dpu

AWS_RUN_ID = re.compile(r"jr_[0-9a-f]{64}(_attempt_[0-9]+)?")


def _broken(obs: Observation, *sources: str) -> list[Fact]:
    return [fact for fact in obs.facts_from(*sources) if not fact.holds(obs.run)]


def _said(obs: Observation, facts: list[Fact]) -> str:
    return ", ".join(
        f"{fact.member} {obs.run.get(fact.member, '(absent)')!r} (expected {fact.wanted()})"
        for fact in facts
    )


def _facts_hold(obs: Observation, source: str, what: str) -> None:
    """The model's facts of one concern hold; else `what` and each member found vs wanted."""
    wrong = _broken(obs, source)
    expect(not wrong, f"{what}{_said(obs, wrong)}", obs.exchange)


@check(
    "response.job.reflected",
    judges="jobrun",
    faithful=lambda: (
        ex.seen(
            ex.ok(WorkerType="G.1X", NumberOfWorkers=2, Timeout=15),
            facts=ex.started(ex.JOB_SETTINGS),
        ),
    ),
    deviating=lambda: (
        ex.seen(
            ex.ok(GlueVersion="0.9", WorkerType="G.1X", NumberOfWorkers=2),
            facts=ex.started(ex.JOB_SETTINGS),
        ),
    ),
)
def check_job_reflected(obs: Observation, ctx: Context) -> None:
    _facts_hold(obs, "job", "the run does not report its job's settings: ")


@check(
    "response.run.overrides",
    judges="jobrun",
    faithful=lambda: (
        ex.seen(
            ex.ok(Timeout=30, WorkerType="G.2X"),
            facts=ex.started(Timeout=30, WorkerType="G.2X"),
        ),
    ),
    deviating=lambda: (
        ex.seen(
            ex.ok(Timeout=15, WorkerType="G.2X"),
            facts=ex.started(Timeout=30, WorkerType="G.2X"),
        ),
    ),
)
def check_run_overrides(obs: Observation, ctx: Context) -> None:
    _facts_hold(obs, "override", "StartJobRun's settings not reported: ")


@check(
    "response.arguments.own",
    judges="jobrun",
    faithful=lambda: (
        ex.seen(
            ex.ok(Arguments={"--own": "1"}),
            facts=ex.started({"DefaultArguments": ex.DEFAULTS}, {"--own": "1"}),
        ),
    ),
    deviating=lambda: (
        ex.seen(
            ex.ok(Arguments={"--own": "1", **ex.DEFAULTS}),
            facts=ex.started({"DefaultArguments": ex.DEFAULTS}, {"--own": "1"}),
        ),
    ),
)
def check_arguments_own(obs: Observation, ctx: Context) -> None:
    wrong = _broken(obs, "arguments")
    if not wrong or obs.facts is None:
        return
    got = obs.run.get("Arguments")
    given, defaults = obs.facts.arguments, obs.facts.job_defaults
    merged = sorted(set(got) & (set(defaults) - set(given or {}))) if isinstance(got, dict) else []
    expect(
        False,
        (
            f"Arguments {got!r}, StartJobRun gave {given!r}"
            if given
            else f"no Arguments were given, the run reports {got!r}"
        )
        + (f"; the job's DefaultArguments merged in: {merged}" if merged else ""),
        obs.exchange,
    )


@check(
    "response.attempt.first",
    judges="jobrun",
    faithful=lambda: (ex.seen(facts=ex.started()),),
    deviating=lambda: (ex.seen(ex.ok(PreviousRunId="jr_a"), facts=ex.started()),),
)
def check_attempt_first(obs: Observation, ctx: Context) -> None:
    _facts_hold(obs, "attempt", "a first run reports ")


@check(
    "response.previous-run-id",
    judges="jobrun",
    faithful=lambda: (ex.seen(ex.ok(PreviousRunId="jr_a"), facts=ex.started(JobRunId="jr_a")),),
    deviating=lambda: (ex.seen(facts=ex.started(JobRunId="jr_a")),),
)
def check_previous_run_id(obs: Observation, ctx: Context) -> None:
    _facts_hold(obs, "retry", "a run started with JobRunId reports ")


@check(
    "response.timeout.default",
    judges="jobrun",
    faithful=lambda: (ex.seen(facts=ex.started()),),
    deviating=lambda: (ex.seen(ex.ok(Timeout=480), facts=ex.started()),),
)
def check_timeout_default(obs: Observation, ctx: Context) -> None:
    """For a run of a Glue <= 4.0 job that set no Timeout, started with none."""
    wrong = _broken(obs, "timeout-default")
    expect(
        not wrong,
        f"Timeout {obs.run.get('Timeout', '(absent)')!r} on a Glue {obs.run.get('GlueVersion')} "
        "run whose job and StartJobRun set none (expected 2880)",
        obs.exchange,
    )


@observation(
    "response.timeout.default-glue5",
    judges="jobrun",
    example=lambda: (
        ex.seen(ex.ok(GlueVersion="5.0", Timeout=480), facts=ex.started({"GlueVersion": "5.0"})),
    ),
    records="Timeout 480",
)
def observe_timeout_glue5(obs: Observation) -> str | None:
    if not obs.facts_from("timeout-default-later"):
        return None
    return (
        f"Glue {obs.run.get('GlueVersion')} run with no Timeout set: "
        f"Timeout {obs.run.get('Timeout', '(absent)')!r}"
    )


@observation(
    "response.job.after-update",
    judges="jobrun",
    example=lambda: (ex.seen(ex.ok(GlueVersion="3.0"), facts=ex.updated()),),
    records="reports its job as updated",
)
def observe_after_update(obs: Observation) -> str | None:
    latest = obs.facts_from("job-after-update")
    if not latest:
        return None
    if all(fact.holds(obs.run) for fact in latest):
        return "a run started before UpdateJob reports its job as updated"
    return "a run started before UpdateJob reports its job as it was started"


@observation(
    "response.capacity.max-capacity",
    judges="jobrun",
    example=lambda: (
        ex.seen(
            ex.ok(MaxCapacity=10.0), facts=ex.started({"GlueVersion": "3.0", "MaxCapacity": 0.0625})
        ),
    ),
    records="where 0.0625 was given",
)
def observe_max_capacity(obs: Observation) -> str | None:
    given = obs.facts_from("capacity")
    if not given:
        return None
    wanted = given[0].values[0]
    if given[0].holds(obs.run) and "MaxCapacity" in obs.run:
        return f"MaxCapacity {wanted!r} as given"
    return (
        f"MaxCapacity {obs.run.get('MaxCapacity', '(absent)')!r} where {wanted!r} was given "
        f"(WorkerType {obs.run.get('WorkerType', '(absent)')!r})"
    )


_G2X = {"GlueVersion": "3.0", "WorkerType": "G.2X", "NumberOfWorkers": 6}  # the capture, §24


def _from_workers(obs: Observation, source: str) -> tuple[float, str] | None:
    """The capacity the workers the run reports give (NumberOfWorkers x the DPU of the model's
    WorkerType text), when the model gives its capacity as workers and those are among the
    workers it may report (a run reporting other workers is another rule's deviation)."""
    facts = obs.facts_from(source)
    kind, count = obs.run.get("WorkerType"), obs.run.get("NumberOfWorkers")
    dpu = worker_dpu()
    if not facts or kind not in dpu or isinstance(count, bool) or not isinstance(count, int):
        return None
    derived = count * dpu[kind]
    if not any(derived == value for value in facts[0].values):
        return None
    return derived, f"{kind} x {count}"


def _capacity_wrong(obs: Observation, derived: float) -> list[str]:
    """AllocatedCapacity (an integer: truncated, section 11) and MaxCapacity that differ. A
    member sent as null is absent here (a null in an answer is protocol.null.never-sent's)."""
    wanted = {"AllocatedCapacity": int(derived), "MaxCapacity": derived}
    found = {member: obs.run.get(member) for member in wanted}
    return [
        f"{member} {found[member]!r} (expected {value!r})"
        for member, value in wanted.items()
        if found[member] is not None and (isinstance(found[member], bool) or found[member] != value)
    ]


@check(
    "response.capacity.workers",
    judges="jobrun",
    faithful=lambda: (
        ex.seen(
            ex.ok(WorkerType="G.2X", NumberOfWorkers=6, AllocatedCapacity=12, MaxCapacity=12.0),
            facts=ex.started(_G2X),
        ),
    ),
    deviating=lambda: (
        ex.seen(
            ex.ok(WorkerType="G.2X", NumberOfWorkers=6, AllocatedCapacity=6, MaxCapacity=6.0),
            facts=ex.started(_G2X),
        ),
    ),
)
def check_capacity_workers(obs: Observation, ctx: Context) -> None:
    found = _from_workers(obs, "capacity-workers")
    if found is None or obs.run.get("WorkerType") not in CAPACITY_CAPTURED:
        return
    derived, workers = found
    wrong = _capacity_wrong(obs, derived)
    expect(not wrong, f"{workers} workers: {', '.join(wrong)}", obs.exchange)


@observation(
    "response.capacity.workers-other",
    judges="jobrun",
    example=lambda: (
        ex.seen(
            ex.ok(WorkerType="G.4X", NumberOfWorkers=2, AllocatedCapacity=2, MaxCapacity=2.0),
            facts=ex.started({"GlueVersion": "4.0", "WorkerType": "G.4X", "NumberOfWorkers": 2}),
        ),
    ),
    records="G.4X x 2: AllocatedCapacity 2 (expected 8)",
)
def observe_capacity_other(obs: Observation) -> str | None:
    found = _from_workers(obs, "capacity-workers-other")
    if found is None:
        return None
    derived, workers = found
    wrong = _capacity_wrong(obs, derived)
    if not wrong:
        return f"{workers}: capacity {derived:g} = workers x the model's DPU"
    return f"{workers}: {', '.join(wrong)}"


@observation(
    "response.dpu-seconds",
    judges="jobrun",
    example=lambda: (
        ex.seen(ex.ok(DPUSeconds=240.0, ExecutionTime=53, MaxCapacity=12.0), facts=ex.started()),
    ),
    records="at most ExecutionTime x MaxCapacity",
)
def observe_dpu_seconds(obs: Observation) -> str | None:
    if obs.facts is None:
        return None
    state = obs.run.get("JobRunState")
    found = obs.run.get("DPUSeconds")
    if found is None:
        return f"no DPUSeconds on a {state} run"
    numbers: list[float] = [
        float(value)
        for member in ("DPUSeconds", "ExecutionTime", "MaxCapacity")
        if isinstance(value := obs.run.get(member), int | float) and not isinstance(value, bool)
    ]
    if len(numbers) < 3:
        return f"DPUSeconds {found!r} on a {state} run (ExecutionTime or MaxCapacity missing)"
    seconds, time, capacity = numbers
    bound = "at most" if seconds <= time * capacity else "above"
    return f"DPUSeconds on a {state} run, {bound} ExecutionTime x MaxCapacity"


@observation(
    "response.execution-class.flex",
    judges="jobrun",
    example=lambda: (
        ex.seen(
            ex.ok(ExecutionClass="STANDARD"),
            facts=ex.started({"GlueVersion": "3.0", "ExecutionClass": "FLEX"}),
        ),
    ),
    records="ExecutionClass 'STANDARD'",
)
def observe_flex(obs: Observation) -> str | None:
    if not obs.facts_from("execution-class"):
        return None
    return f"a FLEX run reports ExecutionClass {obs.run.get('ExecutionClass', '(absent)')!r}"


@observation(
    "response.execution-class.elsewhere",
    judges="jobrun",
    example=lambda: (
        ex.seen(
            ex.ok(ExecutionClass="FLEX"),
            facts=ex.started({"GlueVersion": "2.0", "ExecutionClass": "FLEX"}),
        ),
    ),
    records="accepted; the run reports ExecutionClass 'FLEX'",
)
def observe_flex_elsewhere(obs: Observation) -> str | None:
    if not obs.facts_from("execution-class-elsewhere"):
        return None
    found = obs.run.get("ExecutionClass", "(absent)")
    return f"FLEX accepted; the run reports ExecutionClass {found!r}"


@observation(
    "response.execution-class.elsewhere",
    judges="campaign",
    example=lambda: (ex.Sent("CreateJob", "FLEX on Glue 2.0", "InvalidInputException", "FLEX"),),
    records="CreateJob with FLEX on Glue 2.0: refused, InvalidInputException",
)
def observe_flex_refused(sent: Sent) -> str:
    """A CreateJob or StartJobRun with FLEX the model does not allow, as the tour sent it."""
    if sent.error is None:
        return f"{sent.operation} with {sent.what}: accepted"
    return f"{sent.operation} with {sent.what}: refused, {sent.error} {sent.message[:80]!r}"


@check(
    "response.trigger.absent",
    judges="jobrun",
    faithful=lambda: (ex.seen(facts=ex.started()),),
    deviating=lambda: (
        ex.seen(
            ex.ok(TriggerName="nightly", PredecessorRuns=[{"JobName": "a", "RunId": "b"}]),
            facts=ex.started(),
        ),
    ),
)
def check_trigger_absent(obs: Observation, ctx: Context) -> None:
    wrong = _broken(obs, "trigger")
    expect(
        not wrong,
        f"a run started by StartJobRun reports TriggerName "
        f"{obs.run.get('TriggerName', '(absent)')!r} and PredecessorRuns "
        f"{obs.run.get('PredecessorRuns', '(absent)')!r}",
        obs.exchange,
    )


@observation(
    "response.run-id.shape",
    judges="jobrun",
    example=lambda: (ex.seen(ex.ok(Id="6f1c")),),
    records="not shaped as AWS's",
)
def observe_run_id_shape(obs: Observation) -> str:
    found = obs.run.get("Id")
    if isinstance(found, str) and AWS_RUN_ID.fullmatch(found):
        return "run id shaped as AWS's: jr_ and 64 hex digits"
    return f"run id {found!r} is not shaped as AWS's (jr_ and 64 hex digits)"
