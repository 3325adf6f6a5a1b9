"""The conformance suite's fixtures: the engine's parts, handed to the suite's test files.

Registered by the plugin only for a run of the suite itself, so a neighbour's tests never see
these names. Session-scoped fixtures own the target (an embedded server is started once per
process, so each pytest-xdist worker has its own), the pooled transport, and what was
provisioned. The engine's outcomes become pytest's here: `Unusable` ends the run, `Unavailable`
skips the check as "target unavailable" (not a verdict).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.exceptions import BotoCoreError, ClientError

from glue_conformance import redact
from glue_conformance.cases import Case
from glue_conformance.checks.base import Context
from glue_conformance.engine import Engine, Settings, Unavailable, Unusable
from glue_conformance.plugin import EXIT_TARGET_UNUSABLE
from glue_conformance.provision import BillableRefused, Provisioner, Run
from glue_conformance.records import CheckRecord
from glue_conformance.targets import DUMMY, Target, TargetError, moto_step_lifecycle
from glue_conformance.transport import UNAVAILABLE, Exchange, TargetUnavailable, Transport

Send = Callable[..., Exchange]
ENGINE = pytest.StashKey[Engine]()
RECORD = pytest.StashKey[CheckRecord]()


def unusable(message: str) -> None:
    pytest.exit(f"glue-conformance: {message}", returncode=EXIT_TARGET_UNUSABLE)


def engine_of(config: pytest.Config) -> Engine:
    return config.stash[ENGINE]


@pytest.fixture(scope="session")
def lifecycle_deadline(pytestconfig: pytest.Config) -> Callable[[], float]:
    """The run's one life-cycle deadline (time.monotonic), fixed at its first use."""
    return engine_of(pytestconfig).lifecycle_deadline


@pytest.fixture(scope="session")
def suite_settings(pytestconfig: pytest.Config) -> Settings:
    return engine_of(pytestconfig).settings


@pytest.fixture(scope="session")
def glue_target(pytestconfig: pytest.Config) -> Iterator[Target]:
    engine = engine_of(pytestconfig)
    try:
        target = engine.start_target()
    except TargetError as error:
        unusable(str(error))
        raise
    if target.credentials is not DUMMY:
        frozen = target.credentials.get_frozen_credentials()
        redact.mask_in_logs([frozen.secret_key, frozen.token])
    try:
        yield target
    finally:
        target.close()
        engine.ledger.requests += target.sdk_calls


@pytest.fixture(scope="session")
def transport(pytestconfig: pytest.Config, glue_target: Target) -> Iterator[Transport]:
    engine = engine_of(pytestconfig)
    with engine.counted(engine.transport(glue_target)) as transport:
        if glue_target.kind != "url":  # a URL target was checked before the session started
            try:
                engine.preflight(transport)
            except Unusable as error:
                unusable(str(error))
        yield transport


@pytest.fixture(scope="session")
def ctx(pytestconfig: pytest.Config, glue_target: Target) -> Context:
    return engine_of(pytestconfig).context(glue_target)


@pytest.fixture(scope="session")
def send(pytestconfig: pytest.Config, transport: Transport, ctx: Context) -> Send:
    """Send a body (or raw bytes) under the engine's send policy."""
    sender = engine_of(pytestconfig).sender(transport, ctx)

    def _send(body: Any, **kwargs: Any) -> Exchange:
        try:
            return sender(body, **kwargs)
        except Unavailable as error:
            pytest.skip(str(error))
        except Unusable as error:
            unusable(str(error))
        raise AssertionError("unreachable")

    return _send


@pytest.fixture(scope="session")
def exchange_for(send: Send) -> Callable[[Case], Exchange]:
    """Each named case is sent once per session; every rule that reads it reuses the answer."""
    cache: dict[str, Exchange] = {}

    def _exchange(case: Case) -> Exchange:
        if case.id not in cache:
            cache[case.id] = send(case.body)
        return cache[case.id]

    return _exchange


@pytest.fixture(scope="session")
def provisioner(pytestconfig: pytest.Config, glue_target: Target) -> Iterator[Provisioner | None]:
    engine = engine_of(pytestconfig)
    provisioner = engine.provisioner(glue_target)
    if provisioner is None:
        yield None  # read-only mode: nothing is created, nothing is deleted
        return
    try:
        yield provisioner
    finally:
        engine.ledger.leftovers += provisioner.cleanup()


@contextlib.contextmanager
def provisioning(step: str) -> Iterator[None]:
    """A failed set-up call is one line: throttling or 5xx skips the checks that needed it
    (target unavailable); any other refusal fails their set-up with the target's own words."""
    try:
        yield
    except TargetUnavailable as error:
        pytest.skip(f"{UNAVAILABLE}: {error.detail}")
    except ClientError as error:
        details = error.response.get("Error", {})
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        text = f"{step} answered HTTP {status} {details.get('Code', '')}: {details.get('Message')}"
        pytest.fail(f"glue-conformance could not provision: {text}", pytrace=False)
    except BotoCoreError as error:
        pytest.fail(f"glue-conformance could not provision: {step}: {error}", pytrace=False)


@pytest.fixture(scope="session")
def known_job(suite_settings: Settings, provisioner: Provisioner | None) -> str:
    if suite_settings.job_name:
        return suite_settings.job_name
    if provisioner is None:
        pytest.skip("read-only mode needs --glue-job-name with --glue-run-id")
    with provisioning("CreateJob"):
        return provisioner.create_job("job")


@pytest.fixture(scope="session")
def job_run(
    suite_settings: Settings,
    glue_target: Target,
    provisioner: Provisioner | None,
    known_job: str,
) -> Run:
    if suite_settings.run_id:
        return Run(known_job, suite_settings.run_id, None)
    assert provisioner is not None
    if glue_target.kind == "moto":
        moto_step_lifecycle(glue_target)
    try:
        with provisioning("StartJobRun"):
            return provisioner.start_run(known_job)
    except BillableRefused as refused:
        pytest.skip(str(refused))


@pytest.fixture(scope="session")
def first_get(send: Send, job_run: Run) -> Exchange:
    """The first GetJobRun of the provisioned run (shared by every response check)."""
    return send({"JobName": job_run.job_name, "RunId": job_run.run_id})


@pytest.fixture
def observe(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """For tolerant rules: record what the target did (it shows in results and reports)."""

    def _observe(text: str) -> None:
        record = request.node.stash.get(RECORD, None)
        if record is not None:
            record.observed = text

    return _observe


@pytest.fixture(autouse=True)
def _glue_check_target(request: pytest.FixtureRequest) -> None:
    """The target travels with each check's record to the process that writes results.json
    (under pytest-xdist only the worker that started it knows its URL and version)."""
    record = request.node.stash.get(RECORD, None)
    if record is None:
        return
    target: Target = request.getfixturevalue("glue_target")
    record.target_url, record.target_version = target.url, target.version


# --- runs with known settings (evidence sections 11-18) ---------------------------------------

JOB = {
    "GlueVersion": "4.0",
    "WorkerType": "G.1X",
    "NumberOfWorkers": 2,
    "Timeout": 15,
    "DefaultArguments": {"--job-default": "from-the-job", "--job-language": "python"},
}
OVERRIDES = {"Timeout": 30, "WorkerType": "G.2X", "NumberOfWorkers": 3}
OWN_ARGUMENTS = {"--run-own": "given-to-this-run"}


@dataclass
class Runs:
    job: str  # the job with every setting
    other_job: str  # another job of the suite's (Glue 4.0, nothing else set)
    started: dict[str, Run]  # label -> run
    answers: dict[str, Exchange]  # label -> GetJobRun, read once every run had started
    in_job: list[str] = field(default_factory=list)  # run ids started in `job`, oldest first


@pytest.fixture(scope="session")
def runs(provisioner: Provisioner | None, glue_target: Target, send: Send) -> Runs:
    if provisioner is None:
        pytest.skip("read-only mode: these checks start runs of jobs with known settings")
    with provisioning("CreateJob"):
        job = provisioner.create_job("meaning", max_concurrent_runs=10, **JOB)
        defaults = provisioner.create_job("defaults", max_concurrent_runs=2, GlueVersion="4.0")
        glue5 = provisioner.create_job("glue5", max_concurrent_runs=2, GlueVersion="5.0")
    if glue_target.kind == "moto":
        moto_step_lifecycle(glue_target)
    try:
        with provisioning("StartJobRun"):
            started = {
                "bare": provisioner.start(job),
                "overrides": provisioner.start(job, arguments=OWN_ARGUMENTS, **OVERRIDES),
                "defaults": provisioner.start(defaults),
                "glue5": provisioner.start(glue5),
            }
    except BillableRefused as refused:
        pytest.skip(str(refused))
    answers = {
        label: send({"JobName": run.job_name, "RunId": run.run_id})
        for label, run in started.items()
    }
    in_job = [started["bare"].run_id, started["overrides"].run_id]
    return Runs(job, defaults, started, answers, in_job)


@pytest.fixture(scope="session")
def retried(runs: Runs, provisioner: Provisioner, send: Send) -> tuple[Run, Exchange]:
    """A run started with JobRunId naming the bare run (a manual retry, evidence section 14)."""
    with provisioning("StartJobRun with JobRunId"):
        run = provisioner.start(runs.job, JobRunId=runs.started["bare"].run_id)
    runs.in_job.append(run.run_id)
    return run, send({"JobName": run.job_name, "RunId": run.run_id})
