"""The tour of names, jobs and runs: every class of their domain at least once per run.

A judge sees only the answers to the questions asked. This tour creates real jobs under every
name class (a tab, characters outside the BMP, BMP non-ASCII, combining marks, inner and edge
spaces, the longest name valid whether lengths count code points or UTF-16 units: evidence
section 7), of every Command kind, with every WorkerType the botocore model lists, capacity as
workers or as MaxCapacity, DefaultArguments and NonOverridableArguments, Timeout at its bounds;
starts runs with every subset of the overrides and Arguments from none to dozens of keys and
kilobytes of values, retries of retries, a streaming run that is stopped, and a run after an
UpdateJob; reads each both ways, lists each job, and looks up names and ids that differ from real
ones the way a text-handling bug differs (they must find nothing: evidence section 2). Every
JobRun goes to the observation point, which judges it against the model.

Deterministic: the same classes every run, sent together (`Reader.each`). Each class is counted
in the run's coverage table where its request is sent, or named with the reason it was not
(the target refused it, the billable bound, read-only mode). Against AWS every run is billed:
runs start only while `Provisioner.can_start()` allows (--glue-max-runs), the most valuable
first (one per name class and kind), and no run above 20 DPU is started there. Needs no pytest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from glue_conformance.checks import lifecycle, meaning, not_found, response
from glue_conformance.checks.subjects import Sent
from glue_conformance.coverage import Coverage
from glue_conformance.provision import BillableRefused, Provisioner, Run
from glue_conformance.strategies.constraints import is_valid_name, is_valid_run_id, utf16_length
from glue_conformance.strategies.runs import (
    ALL_WORKER_TYPES,
    COMMAND_EXTRAS,
    COMMANDS,
    LOOK_ALIKE_EDITS,
    NAME_CLASSES,
    NAME_MAX,
    PYTHONSHELL_CAPACITIES,
    SPARK_CAPACITY,
    TIMEOUT_BOUNDS,
    job_name,
)
from glue_conformance.targets import refused_exchange
from glue_conformance.transport import TARGET_PREFIX, Exchange

# Coverage dimensions this tour declares and counts.
JOB_NAME = "JobName"
NAME_LOOKUPS = "JobName look-alike lookups"
ID_LOOKUPS = "RunId look-alike lookups"
COMMAND = "Command"
WORKER_TYPE = "WorkerType"
CAPACITY = "Capacity"
GLUE_VERSION = "GlueVersion"
JOB_MEMBERS = "Job members"
OVERRIDES = "StartJobRun overrides"
ARGUMENTS = "Arguments"
RETRIES = "Retries"
UPDATE = "UpdateJob"
EXECUTION_CLASS = "ExecutionClass"
DELETION = "DeleteJob"
# FLEX where the model allows it (a glueetl job of Glue 3.0 or later: evidence section 24), on
# the job and on the run; and where it does not (what the target answers is recorded).
FLEX_CLASSES = ("FLEX on the job", "FLEX on the run", "FLEX on pythonshell", "FLEX on Glue 2.0")
DELETION_CLASSES = ("deleted while its run goes",)

READ_ONLY = "read-only mode: nothing is created or started"
BILLABLE = "the billable bound (--glue-max-runs) was reached"
MAX_AWS_DPU = 20.0  # the largest run docs/safety.md promises on AWS
TOO_COSTLY = f"a run of more than {MAX_AWS_DPU:g} DPU is never started on AWS (docs/safety.md)"
# DPU of one worker of each type (AWS Glue pricing and worker-type pages; 0.25 for G.025X).
WORKER_DPU = {
    "Standard": 1.0,
    "G.025X": 0.25,
    "G.1X": 1.0,
    "G.2X": 2.0,
    "G.4X": 4.0,
    "G.8X": 8.0,
    "G.12X": 12.0,
    "G.16X": 16.0,
    "Z.2X": 2.0,
    "R.1X": 1.0,
    "R.2X": 2.0,
    "R.4X": 4.0,
    "R.8X": 8.0,
}


def _command(kind: str) -> dict[str, str]:
    return {"Name": kind, **COMMAND_EXTRAS[kind]}


# The override subsets: T = Timeout, W = WorkerType with NumberOfWorkers (a pair: "the number
# of workers of a defined workerType", model StartJobRunRequest), M = MaxCapacity (model text:
# "Do not set MaxCapacity if using WorkerType and NumberOfWorkers", so W and M never together;
# M only on jobs whose capacity is MaxCapacity), A = Arguments. Every other subset, each alone.
OVERRIDE_SUBSETS = ("none", "T", "W", "M", "A", "T+W", "T+A", "W+A", "T+W+A", "T+M", "M+A", "T+M+A")
ONE = {"--fixed": "the run's own value"}  # a key the job's NonOverridableArguments also has
DOZENS = {f"--key-{i:02d}": f"value {i} of {36}" for i in range(36)}
# Kilobytes of values, in three alphabets; about 80 KB as JSON with \\u escapes (evidence
# section 23: Glue refuses requests past about 180 KB).
KILOBYTES = {
    "--kb-ascii": "a" * 32768,
    "--kb-accent": "\u00e9" * 4096,
    "--kb-emoji": "\U0001f680" * 2048,
}
ARGUMENT_SIZES = {"none": None, "one": ONE, "dozens": DOZENS, "kilobytes": KILOBYTES}


@dataclass(frozen=True)
class JobSpec:
    key: str
    name_class: str
    settings: dict[str, Any]
    purpose: str | None = None  # a second job of a name class: its own name


@dataclass(frozen=True)
class Elsewhere:
    """FLEX where the model does not allow it: a job created (or an existing one) and a run
    of it started with FLEX; whatever the target answers is recorded, never judged."""

    label: str  # its FLEX_CLASSES member
    job: JobSpec | None  # created for it (None: `existing`'s job)
    existing: str | None = None  # JobSpec.key of a job of the tour


@dataclass(frozen=True)
class RunSpec:
    label: str
    job: str  # JobSpec.key
    overrides: dict[str, Any] = field(default_factory=dict)
    arguments: str = "none"  # ARGUMENT_SIZES key
    subset: str | None = None  # OVERRIDE_SUBSETS member it visits
    retry_of: str | None = None  # label of the run it retries
    after_update: bool = False


_ETL = {
    "Command": _command("glueetl"),
    "GlueVersion": "4.0",
    "WorkerType": "G.1X",
    "NumberOfWorkers": 2,
    "Timeout": 20,
    "DefaultArguments": {"--job-default": "from-the-job"},
    "NonOverridableArguments": {"--fixed": "from-the-job"},
}
JOBS = (
    JobSpec("etl", "ascii", _ETL),
    JobSpec(
        "retries",
        "tab",
        {
            "Command": _command("glueetl"),
            "GlueVersion": "3.0",
            "WorkerType": "G.2X",
            "NumberOfWorkers": 2,
            "Timeout": TIMEOUT_BOUNDS[0],
        },
    ),
    JobSpec(
        "streaming",
        "astral",
        {
            "Command": _command("gluestreaming"),
            "GlueVersion": "3.0",
            "WorkerType": "G.025X",
            "NumberOfWorkers": 2,
            "Timeout": TIMEOUT_BOUNDS[1],
        },
    ),
    JobSpec(
        "shell-small",
        "bmp",  # no Timeout: a Glue 3.0 Python shell run reports 2880 (section 12)
        {
            "Command": _command("pythonshell"),
            "GlueVersion": "3.0",
            "MaxCapacity": PYTHONSHELL_CAPACITIES[0],
        },
    ),
    JobSpec(
        "shell-one",
        "combining",
        {
            "Command": _command("pythonshell"),
            "GlueVersion": "3.0",
            "MaxCapacity": PYTHONSHELL_CAPACITIES[1],
            "Timeout": 20,
        },
    ),
    JobSpec(
        "ray",
        "inner-space",
        {
            "Command": _command("glueray"),
            "GlueVersion": "4.0",
            "WorkerType": "Z.2X",
            "NumberOfWorkers": 2,
            "Timeout": 30,
        },
    ),
    JobSpec(
        "spark-capacity",
        "edge-space",
        {
            "Command": _command("glueetl"),
            "GlueVersion": "1.0",
            "MaxCapacity": SPARK_CAPACITY[0],
            "Timeout": 15,
        },
    ),
    JobSpec(
        "glue5",
        "max-length",
        {
            "Command": _command("glueetl"),
            "GlueVersion": "5.0",
            "WorkerType": "G.4X",
            "NumberOfWorkers": 2,
            "Timeout": 20,
        },
    ),
    JobSpec(  # FLEX where the model allows it; G.2X: the capacity a capture shows (section 24)
        "flex",
        "ascii",
        {
            "Command": _command("glueetl"),
            "GlueVersion": "3.0",
            "WorkerType": "G.2X",
            "NumberOfWorkers": 2,
            "Timeout": 20,
            "ExecutionClass": "FLEX",
        },
        purpose="flex-Ascii-Job",
    ),
    JobSpec(
        "capacity-max",
        "max-length-astral",
        {
            "Command": _command("glueetl"),
            "GlueVersion": "1.0",
            "MaxCapacity": SPARK_CAPACITY[1],
            "Timeout": 15,
        },
    ),
)
# What the etl job becomes between its runs: every member it reflects changes.
UPDATED = {
    **_ETL,
    "GlueVersion": "3.0",
    "WorkerType": "G.2X",
    "NumberOfWorkers": 3,
    "Timeout": 25,
    "DefaultArguments": {"--job-default": "after the update"},
}
_W = ("WorkerType", "NumberOfWorkers")
# In the order they start: one run of every job first (every name class and kind; the first runs
# of worker jobs carry the worker types no override subset does), then the overrides, the
# retries, the last worker type, and the run after the update.
RUNS = (
    RunSpec("etl-bare", "etl", subset="none"),
    RunSpec("retried", "retries", dict(zip(_W, ("R.4X", 2), strict=True))),
    RunSpec("streaming", "streaming"),
    RunSpec("shell-small", "shell-small"),
    RunSpec("ray", "ray", dict(zip(_W, ("Standard", 2), strict=True))),
    RunSpec("spark-capacity", "spark-capacity", arguments="dozens"),
    RunSpec("glue5", "glue5", dict(zip(_W, ("R.2X", 2), strict=True)), arguments="kilobytes"),
    RunSpec("capacity-max", "capacity-max"),
    RunSpec("T", "etl", {"Timeout": TIMEOUT_BOUNDS[0]}, subset="T"),
    RunSpec("W", "etl", dict(zip(_W, ("G.8X", 2), strict=True)), subset="W"),
    RunSpec("A", "etl", arguments="one", subset="A"),
    RunSpec(
        "T+W",
        "etl",
        {"Timeout": TIMEOUT_BOUNDS[1], **dict(zip(_W, ("G.12X", 3), strict=True))},
        subset="T+W",
    ),
    RunSpec("T+A", "etl", {"Timeout": 40}, arguments="one", subset="T+A"),
    RunSpec("W+A", "etl", dict(zip(_W, ("G.16X", 2), strict=True)), "dozens", "W+A"),
    RunSpec(
        "T+W+A", "etl", {"Timeout": 41, **dict(zip(_W, ("R.1X", 2), strict=True))}, "one", "T+W+A"
    ),
    RunSpec("M", "shell-small", {"MaxCapacity": PYTHONSHELL_CAPACITIES[1]}, subset="M"),
    RunSpec(
        "T+M", "shell-small", {"Timeout": 5, "MaxCapacity": PYTHONSHELL_CAPACITIES[0]}, subset="T+M"
    ),
    RunSpec("M+A", "shell-small", {"MaxCapacity": 1.0}, "kilobytes", "M+A"),
    RunSpec("T+M+A", "shell-one", {"Timeout": 7, "MaxCapacity": 0.0625}, "one", "T+M+A"),
    RunSpec("retry", "retries", retry_of="retried"),
    RunSpec("retry-of-retry", "retries", retry_of="retry"),
    RunSpec("workers-R.8X", "glue5", dict(zip(_W, ("R.8X", 2), strict=True))),
    RunSpec("after-update", "etl", after_update=True),
    RunSpec("flex", "flex"),
    RunSpec("flex-run", "etl", {"ExecutionClass": "FLEX"}),
)
# FLEX where the model does not allow it (after every run above: the least valuable on AWS).
ELSEWHERE = (
    Elsewhere("FLEX on pythonshell", None, existing="shell-small"),
    Elsewhere(
        "FLEX on Glue 2.0",
        JobSpec(
            "flex-glue2",
            "ascii",
            {
                "Command": _command("glueetl"),
                "GlueVersion": "2.0",
                "WorkerType": "G.1X",
                "NumberOfWorkers": 2,
                "Timeout": 20,
                "ExecutionClass": "FLEX",
            },
            purpose="flex-glue2-Ascii-Job",
        ),
    ),
)
# The job the tour deletes while its run goes (its reads afterwards are recorded).
DELETED = JobSpec(
    "deleted",
    "ascii",
    {
        "Command": _command("glueetl"),
        "GlueVersion": "4.0",
        "WorkerType": "G.1X",
        "NumberOfWorkers": 2,
        "Timeout": 5,
    },
    purpose="deleted-Ascii-Job",
)


def declare(coverage: Coverage) -> None:
    """Every class this tour visits, per dimension (declared before any is sent)."""
    coverage.declare(JOB_NAME, NAME_CLASSES)
    coverage.declare(NAME_LOOKUPS, LOOK_ALIKE_EDITS)
    coverage.declare(ID_LOOKUPS, LOOK_ALIKE_EDITS)
    coverage.declare(COMMAND, COMMANDS)
    coverage.declare(WORKER_TYPE, ALL_WORKER_TYPES)
    coverage.declare(
        CAPACITY,
        ["workers", *(f"MaxCapacity {c:g}" for c in (*PYTHONSHELL_CAPACITIES, *SPARK_CAPACITY))],
    )
    coverage.declare(GLUE_VERSION, sorted({str(j.settings["GlueVersion"]) for j in JOBS}))
    coverage.declare(
        JOB_MEMBERS,
        (
            "DefaultArguments",
            "NonOverridableArguments",
            f"Timeout {TIMEOUT_BOUNDS[0]}",
            f"Timeout {TIMEOUT_BOUNDS[1]}",
            "name length 255",
        ),
    )
    coverage.declare(OVERRIDES, OVERRIDE_SUBSETS)
    coverage.declare(ARGUMENTS, ARGUMENT_SIZES)
    coverage.declare(RETRIES, ("retry", "retry-of-retry"))
    coverage.declare(UPDATE, ("before-update", "after-update"))
    coverage.declare(EXECUTION_CLASS, FLEX_CLASSES)
    coverage.declare(DELETION, DELETION_CLASSES)


def not_run(coverage: Coverage, reason: str) -> None:
    """The tour did not run at all (read-only mode, no run may start): every class says why."""
    declare(coverage)
    for dimension, entry in coverage.as_dict().items():
        if dimension in _DIMENSIONS:
            for cls in entry["not_exercised"]:
                coverage.skipped(dimension, cls, reason)


_DIMENSIONS = (
    JOB_NAME,
    NAME_LOOKUPS,
    ID_LOOKUPS,
    COMMAND,
    WORKER_TYPE,
    CAPACITY,
    GLUE_VERSION,
    JOB_MEMBERS,
    OVERRIDES,
    ARGUMENTS,
    RETRIES,
    UPDATE,
    EXECUTION_CLASS,
    DELETION,
)


def _job_classes(spec: JobSpec, name: str) -> list[tuple[str, str]]:
    settings = spec.settings
    classes = [
        (JOB_NAME, spec.name_class),
        (COMMAND, settings["Command"]["Name"]),
        (GLUE_VERSION, str(settings["GlueVersion"])),
    ]
    if "WorkerType" in settings:
        classes += [(WORKER_TYPE, settings["WorkerType"]), (CAPACITY, "workers")]
    if "MaxCapacity" in settings:
        classes.append((CAPACITY, f"MaxCapacity {settings['MaxCapacity']:g}"))
    for member in ("DefaultArguments", "NonOverridableArguments"):
        if member in settings:
            classes.append((JOB_MEMBERS, member))
    if settings.get("Timeout") in TIMEOUT_BOUNDS:
        classes.append((JOB_MEMBERS, f"Timeout {settings['Timeout']}"))
    if utf16_length(name) == NAME_MAX or len(name) == NAME_MAX:
        classes.append((JOB_MEMBERS, "name length 255"))
    if settings.get("ExecutionClass") == "FLEX":
        classes.append((EXECUTION_CLASS, "FLEX on the job"))
    return classes


def _run_classes(spec: RunSpec) -> list[tuple[str, str]]:
    classes = [(ARGUMENTS, spec.arguments)]
    if spec.subset is not None:
        classes.append((OVERRIDES, spec.subset))
    if "WorkerType" in spec.overrides:
        classes.append((WORKER_TYPE, spec.overrides["WorkerType"]))
    if "MaxCapacity" in spec.overrides:
        classes.append((CAPACITY, f"MaxCapacity {spec.overrides['MaxCapacity']:g}"))
    if spec.overrides.get("Timeout") in TIMEOUT_BOUNDS:
        classes.append((JOB_MEMBERS, f"Timeout {spec.overrides['Timeout']}"))
    if spec.retry_of is not None:
        classes.append((RETRIES, "retry-of-retry" if spec.retry_of == "retry" else "retry"))
    if spec.after_update:
        classes.append((UPDATE, "after-update"))
    if spec.overrides.get("ExecutionClass") == "FLEX":
        classes.append((EXECUTION_CLASS, "FLEX on the run"))
    return classes


NAMES_PER_EDIT = 3  # job names each look-alike edit is applied to
AT_ONCE = 4  # jobs created, and jobs' runs started, at once on an emulator


def _each(work: Callable[[Any], None], items: Any, at_once: int) -> None:
    """`work` of every item, `at_once` at a time (in order when 1); the first error is raised."""
    items = list(items)
    if at_once <= 1:
        for item in items:
            work(item)
        return
    with ThreadPoolExecutor(max_workers=at_once, thread_name_prefix="glue-tour") as pool:
        for future in [pool.submit(work, item) for item in items]:
            future.result()


def _valid_both(value: str, valid: Callable[[str], bool]) -> bool:
    """Valid whether lengths count code points or UTF-16 units (evidence section 7 leaves it
    open): a lookup that is invalid under one count is not a lookup of a look-alike."""
    return valid(value) and utf16_length(value) <= NAME_MAX


def _dpu(job: JobSpec, run: RunSpec) -> float:
    """The most DPU a run of `job` started as `run` may take (its workers, or MaxCapacity)."""
    settings = {**job.settings, **run.overrides}
    if "MaxCapacity" in run.overrides or "WorkerType" not in settings:
        return float(settings.get("MaxCapacity", 10.0))  # no capacity at all: 10 (section 11)
    return WORKER_DPU.get(settings["WorkerType"], 16.0) * float(settings["NumberOfWorkers"])


def _said(error: ClientError) -> Exchange | str:
    """A refusal's answer: its exchange where the client kept it, else its code."""
    return refused_exchange(error) or f"refused: {_refusal(error)[0]}"


def _stopped(answer: Any) -> str:
    body = answer if isinstance(answer, dict) else {}
    done, errors = body.get("SuccessfulSubmissions"), body.get("Errors")
    codes = sorted(
        {
            str((item.get("ErrorDetail") or {}).get("ErrorCode"))
            for item in (errors if isinstance(errors, list) else [])
            if isinstance(item, dict)
        }
    )
    return (
        f"HTTP 200, {len(done) if isinstance(done, list) else 0} stopped, "
        f"{len(errors) if isinstance(errors, list) else 0} errors"
        + (f" ({', '.join(codes)})" if codes else "")
    )


def _refusal(error: Exception) -> tuple[str, str]:
    if isinstance(error, ClientError):
        info = error.response.get("Error", {})
        return str(info.get("Code") or "ClientError"), str(info.get("Message") or "")
    return type(error).__name__, str(error)


def sent(operation: str, what: str, error: Exception | None) -> Sent:
    """A write with values the model allows and how it was answered: the subject of
    lifecycle.domain-accepted, for this tour and the state machine alike (a refusal carries
    its request and answer, which the SDK client kept: `targets.refused_exchange`)."""
    if error is None:
        return Sent(operation, what)
    kind, text = _refusal(error)
    return Sent(operation, what, kind, text, refused_exchange(error))


@dataclass
class DomainTour:
    """The tour (see the module's docstring); `Campaign` runs it beside its own runs."""

    provisioner: Provisioner
    reader: Any  # scenarios.Reader (imported there: scenarios imports this module)
    jobs: dict[str, str] = field(default_factory=dict)  # JobSpec.key -> job name
    specs: dict[str, JobSpec] = field(default_factory=dict)  # job name -> its spec
    runs: dict[str, Run] = field(default_factory=dict)  # RunSpec.label -> run
    stop_refused: str | None = None
    stop_note: str | None = None
    deleted: Run | None = None  # the run of the job the tour deletes (`delete`)

    @property
    def coverage(self) -> Coverage:
        return self.provisioner.coverage

    @property
    def judge(self) -> Any:
        return self.reader.judge

    def _sent(self, operation: str, what: str, error: Exception | None) -> None:
        """Each write's verdict of lifecycle.domain-accepted, to the judge in order."""
        subject = sent(operation, what, error)
        self.reader._observe("answer", lifecycle.check_domain_accepted, subject, call=operation)

    # --- writes ------------------------------------------------------------------------------

    def start(self) -> DomainTour:
        """Every job, then every run. The jobs' runs go job by job at once on an emulator (a
        job's own runs in order: retries, the update); against AWS one at a time, in RUNS's
        order, so the billable bound keeps the most valuable runs."""
        declare(self.coverage)
        base = self.provisioner.name("")
        at_once = 1 if self.provisioner.target.aws else AT_ONCE
        _each(
            lambda spec: self._create(
                spec, spec.purpose or job_name(base, spec.name_class)[len(base) :]
            ),
            JOBS,
            at_once,
        )
        if at_once == 1:
            groups = [list(RUNS)]
        else:
            keys = list(dict.fromkeys(spec.job for spec in RUNS))
            groups = [[spec for spec in RUNS if spec.job == key] for key in keys]
        _each(self._start_all, groups, at_once)
        for elsewhere in ELSEWHERE:
            self._flex_elsewhere(elsewhere)
        self._to_delete()
        return self

    def _start_all(self, specs: list[RunSpec]) -> None:
        for spec in specs:
            if spec.after_update and not self._update():
                continue
            self._start(spec)

    def _create(self, spec: JobSpec, purpose: str) -> None:
        name = self.provisioner.name(purpose)
        classes = _job_classes(spec, name)
        what = ", ".join(f"{d} {c}" for d, c in classes)
        try:
            created = self.provisioner.create_job(
                purpose, max_concurrent_runs=len(RUNS), **dict(spec.settings)
            )
        except ClientError as error:
            self._sent("CreateJob", what, error)
            for dimension, cls in classes:
                self.coverage.skipped(dimension, cls, f"CreateJob refused: {_refusal(error)[0]}")
            return
        self._sent("CreateJob", what, None)
        self.jobs[spec.key] = created
        self.specs[created] = spec
        for dimension, cls in classes:
            self.coverage.hit(dimension, cls)

    def _start(self, spec: RunSpec) -> None:
        classes = _run_classes(spec)
        job = self.jobs.get(spec.job)
        job_spec = next(j for j in JOBS if j.key == spec.job)
        reason = None
        if job is None:
            reason = "its job was not created"
        elif spec.retry_of is not None and spec.retry_of not in self.runs:
            reason = "the run it retries was not started"
        elif self.provisioner.target.aws and _dpu(job_spec, spec) > MAX_AWS_DPU:
            reason = TOO_COSTLY
        elif not self.provisioner.can_start():
            reason = BILLABLE
        if reason is not None or job is None:
            for dimension, cls in classes:
                self.coverage.skipped(dimension, cls, reason or "")
            return
        settings = dict(spec.overrides)
        if spec.retry_of is not None:
            settings["JobRunId"] = self.runs[spec.retry_of].run_id
        what = f"JobName {job_spec.name_class}, " + ", ".join(f"{d} {c}" for d, c in classes)
        try:
            run = self.provisioner.start(job, arguments=ARGUMENT_SIZES[spec.arguments], **settings)
        except BillableRefused as refused:
            for dimension, cls in classes:
                self.coverage.skipped(dimension, cls, str(refused)[:120])
            return
        except ClientError as error:
            self._sent("StartJobRun", what, error)
            for dimension, cls in classes:
                self.coverage.skipped(dimension, cls, f"StartJobRun refused: {_refusal(error)[0]}")
            return
        self._sent("StartJobRun", what, None)
        self.runs[spec.label] = run
        for dimension, cls in classes:
            self.coverage.hit(dimension, cls)
        if job_spec.settings["Command"]["Name"] == "gluestreaming":
            self._stop(run)  # a streaming run runs until it is stopped

    def _flex_elsewhere(self, case: Elsewhere) -> None:
        """FLEX on a job the model does not let set it: CreateJob (of its own job) and
        StartJobRun, each answer recorded (response.execution-class.elsewhere), never judged
        as domain-accepted. An accepted run is the tour's like any other (read, listed)."""
        rule = meaning.observe_flex_refused
        if case.job is not None:
            assert case.job.purpose is not None
            try:
                created = self.provisioner.create_job(
                    case.job.purpose, max_concurrent_runs=len(RUNS), **dict(case.job.settings)
                )
            except ClientError as error:
                self.judge.observed(rule, sent("CreateJob", case.label, error))
                self.coverage.hit(EXECUTION_CLASS, case.label)
                return
            self.judge.observed(rule, sent("CreateJob", case.label, None))
            self.jobs[case.job.key] = created
            self.specs[created] = case.job
            job: str | None = created
            settings: dict[str, Any] = {}
        else:
            job = self.jobs.get(case.existing or "")
            settings = {"ExecutionClass": "FLEX"}
        if job is None:
            self.coverage.skipped(EXECUTION_CLASS, case.label, "its job was not created")
            return
        if not self.provisioner.can_start():
            self.coverage.skipped(EXECUTION_CLASS, case.label, BILLABLE)
            return
        try:
            run = self.provisioner.start(job, **settings)
        except BillableRefused as refused:
            self.coverage.skipped(EXECUTION_CLASS, case.label, str(refused)[:120])
            return
        except ClientError as error:
            self.judge.observed(rule, sent("StartJobRun", case.label, error))
            self.coverage.hit(EXECUTION_CLASS, case.label)
            return
        self.judge.observed(rule, sent("StartJobRun", case.label, None))
        self.runs[case.label] = run
        self.coverage.hit(EXECUTION_CLASS, case.label)

    def _to_delete(self) -> None:
        """The job `delete` deletes, and one run of it (counted in --glue-max-runs)."""
        cls = DELETION_CLASSES[0]
        if not self.provisioner.can_start():
            self.coverage.skipped(DELETION, cls, BILLABLE)
            return
        assert DELETED.purpose is not None
        try:
            job = self.provisioner.create_job(DELETED.purpose, **dict(DELETED.settings))
            self.deleted = self.provisioner.start(job)
        except (ClientError, BillableRefused) as error:
            self.coverage.skipped(DELETION, cls, f"not started: {_refusal(error)[0]}")

    def delete(self) -> None:
        """DeleteJob of the tour's job while its run goes, then every read and write of that
        job and run (not-found.deleted-job: what each answers is recorded, not judged). The
        job is the suite's own, and the run one it started (docs/safety.md)."""
        run = self.deleted
        if run is None:
            return
        record = not_found.observe_deleted_job
        job = run.job_name
        before = self.reader.request({"JobName": job, "RunId": run.run_id}, call="GetJobRun")
        state = "(no answer)"
        if before is not None and isinstance(before.json, dict):
            state = str((before.json.get("JobRun") or {}).get("JobRunState", "(no state)"))
        try:
            self.provisioner.delete_job(job)
        except ClientError as error:
            self.judge.observed(record, (f"DeleteJob while its run was {state}", _said(error)))
            self.coverage.skipped(DELETION, DELETION_CLASSES[0], "DeleteJob refused")
            return
        self.coverage.hit(DELETION, DELETION_CLASSES[0])
        self.judge.observed(record, (f"DeleteJob while its run was {state}", "HTTP 200"))
        body = {"JobName": job, "RunId": run.run_id}
        got = self.reader.request(body, call="GetJobRun of a deleted job's run")
        self.judge.observed(record, ("GetJobRun of its run", got))
        listed = self.reader.request(
            {"JobName": job},
            call="GetJobRuns of a deleted job",
            target=f"{TARGET_PREFIX}.GetJobRuns",
        )
        self.judge.observed(record, ("GetJobRuns of the job", listed))
        answer, refused = self.provisioner.stop_batch(job, [run.run_id])
        stopped = " ".join(refused.split())[:160] if refused else _stopped(answer)
        self.judge.observed(record, ("BatchStopJobRun of its run", stopped))
        if not self.provisioner.can_start():
            self.judge.observed(record, ("StartJobRun of the job", f"not sent: {BILLABLE}"))
            return
        try:
            self.provisioner.start(job)
        except BillableRefused as refused_start:
            self.judge.observed(record, ("StartJobRun of the job", f"not sent: {refused_start}"))
        except ClientError as error:
            self.judge.observed(record, ("StartJobRun of the job", _said(error)))
        else:
            self.judge.observed(record, ("StartJobRun of the job", "HTTP 200, a new run"))

    def _update(self) -> bool:
        """UpdateJob of the etl job between its runs (free on AWS)."""
        job = self.jobs.get("etl")
        if job is None:
            self.coverage.skipped(UPDATE, "after-update", "its job was not created")
            return False
        what = "every member the job's runs reflect changed"
        try:
            self.provisioner.update_job(job, max_concurrent_runs=len(RUNS), **dict(UPDATED))
        except ClientError as error:
            kind, _ = _refusal(error)
            self._sent("UpdateJob", what, error)
            for cls in ("before-update", "after-update"):
                self.coverage.skipped(UPDATE, cls, f"UpdateJob refused: {kind}")
            return False
        self._sent("UpdateJob", what, None)
        earlier = [r for label, r in self.runs.items() if r.job_name == job]
        if earlier:  # runs started before it, read again after it: observed, not judged
            self.coverage.hit(UPDATE, "before-update", len(earlier))
        return True

    def _stop(self, run: Run) -> None:
        accepted, refused = self.provisioner.stop(run.job_name, [run.run_id])
        if refused is None and run.run_id not in accepted:
            again = self.reader.get(run.job_name, run.run_id)
            state = self.judge.state(run.run_id) if again is not None else None
            if state in response.TERMINAL - {"STOPPED"}:
                self.stop_note = f"the streaming run ended {state} before its stop"
                return
            refused = "the run is not in SuccessfulSubmissions"
        self.stop_refused = refused

    # --- reads -------------------------------------------------------------------------------

    def read(self) -> None:
        """Every run, the first of each job both ways (with PredecessorsIncluded too), then the
        look-alike lookups (each job's listing comes once its runs have ended: `list_all`)."""
        reader, runs = self.reader, list(self.runs.values())
        first = list({run.job_name: run for run in reversed(runs)}.values())
        reader.each(lambda run: reader.get(run.job_name, run.run_id), runs)
        reader.each(lambda run: reader.get(run.job_name, run.run_id, predecessors=True), first)
        self.look_alike()
        self.delete()

    def list_all(self) -> None:
        model = self.judge.model
        jobs = [job for job in self.jobs.values() if model.owns(job)]
        self.reader.each(
            lambda job: self.reader.listing(job, expected=tuple(model.job_runs(job))), jobs
        )

    def lookups(self) -> list[tuple[str, str, str, dict[str, str]]]:
        """(dimension, edit, call, body) of every look-alike lookup: each job name of the tour
        edited (with its own first run's id), and the first runs' ids edited. An edit that
        leaves a value as it was, makes it invalid, or names something that exists is not
        sent (and says so when no value could take it)."""
        model = self.judge.model
        first: dict[str, Run] = {}
        # In RUNS's order, not the order runs of different jobs were answered in (they start
        # together on an emulator): the same lookups every run, so records compare.
        for spec in RUNS:
            if spec.label in self.runs:
                first.setdefault(self.runs[spec.label].job_name, self.runs[spec.label])
        found: list[tuple[str, str, str, dict[str, str]]] = []
        for number, (edit, change) in enumerate(LOOK_ALIKE_EDITS.items()):
            names = [
                (job, run, wanted)
                for job, run in first.items()
                if (wanted := change(job)) != job
                and _valid_both(wanted, is_valid_name)
                and not model.owns(wanted)
            ]
            # NAMES_PER_EDIT names an edit changes, a different few for each edit, so every
            # name class meets several edits and each edit several classes.
            start = number * NAMES_PER_EDIT % len(names) if names else 0
            for job, run, wanted in (names[start:] + names[:start])[:NAMES_PER_EDIT]:
                call = f"GetJobRun of job {wanted!r} ({edit} of {job!r})"
                found.append((NAME_LOOKUPS, edit, call, {"JobName": wanted, "RunId": run.run_id}))
            for run in list(first.values())[:2]:
                wanted = change(run.run_id)
                if (
                    wanted != run.run_id
                    and _valid_both(wanted, is_valid_run_id)
                    and wanted not in model.runs
                ):
                    call = f"GetJobRun of run {wanted!r} ({edit} of {run.run_id})"
                    found.append(
                        (ID_LOOKUPS, edit, call, {"JobName": run.job_name, "RunId": wanted})
                    )
        return found

    def look_alike(self) -> None:
        planned = self.lookups()
        checks: dict[str, Callable[..., None]] = {
            NAME_LOOKUPS: not_found.check_job_name_exact,
            ID_LOOKUPS: not_found.check_run_id_exact,
        }

        def ask(item: tuple[str, str, str, dict[str, str]]) -> None:
            dimension, _, call, body = item
            exchange = self.reader.request(body, call=call)
            if exchange is not None:
                self.reader._observe("answer", checks[dimension], exchange, call=call)

        self.reader.each(ask, planned)
        sent = Counter((d, e) for d, e, _, _ in planned)
        for dimension in (NAME_LOOKUPS, ID_LOOKUPS):
            for edit in LOOK_ALIKE_EDITS:
                if sent[(dimension, edit)]:
                    self.coverage.hit(dimension, edit, sent[(dimension, edit)])
                else:
                    what = "run id the target made" if dimension == ID_LOOKUPS else "job name"
                    self.coverage.skipped(
                        dimension, edit, f"no {what} turns into a valid, unused one under it"
                    )

    def settle(self, budget_s: float) -> None:
        streaming = self.runs.get("streaming")
        for run in self.runs.values():
            refused = self.stop_refused if run is streaming else None
            self.judge.settled(run.run_id, budget_s=budget_s, refused=refused)
