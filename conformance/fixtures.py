"""The conformance suite's fixtures: the engine's parts, handed to the suite's test files.

Registered by the plugin only for a run of the suite itself, so a neighbour's tests never see
these names. Session-scoped fixtures own the target (an embedded server is started once per
process, so each pytest-xdist worker has its own), the pooled transport, and what was
provisioned. The engine's outcomes become pytest's here: `Unusable` ends the run, `Unavailable`
skips the check as "target unavailable" (not a verdict).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from botocore.exceptions import BotoCoreError, ClientError

from glue_conformance import cases as negative
from glue_conformance import domain_jobs, domain_runs, redact
from glue_conformance.beside import Beside
from glue_conformance.cases import Case, in_both_contexts, invalid_cases, multi_cases
from glue_conformance.checks.base import Context
from glue_conformance.engine import Engine, Settings, Unavailable, Unusable, send_all
from glue_conformance.model import Model
from glue_conformance.observe import Judge, NotJudged
from glue_conformance.outcomes import ENGINE, EXIT_TARGET_UNUSABLE, RECORD, unavailable
from glue_conformance.provision import BillableRefused, Provisioner, Run
from glue_conformance.scenarios import Campaign, Reader
from glue_conformance.targets import (
    DUMMY,
    MOTO_FAMILY,
    Target,
    TargetError,
    moto_step_lifecycle,
)
from glue_conformance.transport import Exchange, TargetUnavailable, Transport

Send = Callable[..., Exchange]


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
            raise unavailable(error.detail) from None
        except Unusable as error:
            unusable(str(error))
        raise AssertionError("unreachable")

    return _send


def delivered(outcome: Exchange | Exception) -> Exchange:
    """What a check meets of a request sent ahead of it: its exchange, or its outcome raised as
    `send` raises it (unavailable: a skip; unusable: the run ends; a deviation: a failure)."""
    if isinstance(outcome, Unavailable):
        raise unavailable(outcome.detail)
    if isinstance(outcome, Unusable):
        unusable(str(outcome))
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


# A request sent ahead of the check that reads it: its body (or raw bytes) and `send`'s options
# (target_header, sign).
Ahead = tuple[Any, dict[str, Any]]


@pytest.fixture(scope="session")
def send_together(
    pytestconfig: pytest.Config, transport: Transport, ctx: Context, suite_settings: Settings
) -> Callable[[dict[str, Ahead]], Callable[[str], Exchange]]:
    """Send named independent requests together, --glue-concurrency at a time (the rate limit,
    the breaker and throttling backoff hold across them as for one); the checks then read each
    one's recorded outcome by name, through `delivered`, as a sequential run's would be."""
    sender = engine_of(pytestconfig).sender(transport, ctx)

    def _together(requests: dict[str, Ahead]) -> Callable[[str], Exchange]:
        recorded = send_all(
            lambda ahead: sender(ahead[0], **ahead[1]),
            requests,
            at_once=suite_settings.at_once,
        )
        return lambda name: delivered(recorded[name])

    return _together


@pytest.fixture(scope="session")
def send_each(
    send_together: Callable[[dict[str, Ahead]], Callable[[str], Exchange]],
) -> Callable[..., Iterator[Exchange]]:
    """A property's batch of bodies sent together; their exchanges come back in the batch's
    order, so the checks meet them as a sequential run would. `target_headers`, if given, names
    each body's operation."""

    def _each(
        bodies: Sequence[Any], target_headers: Sequence[str] | None = None
    ) -> Iterator[Exchange]:
        headers: Sequence[str | None] = target_headers or [None] * len(bodies)
        answer = send_together(
            {
                str(index): (body, {"target_header": header} if header else {})
                for index, (body, header) in enumerate(zip(bodies, headers, strict=True))
            }
        )
        return (answer(str(index)) for index in range(len(bodies)))

    return _each


class Live:
    """The suite's own job and run, which the live context of the negative cases names: `fill`
    puts them in a live body. Where there are none (read-only mode without --glue-run-id, no run
    may start, provisioning failed), `why` says so and `unavailable` raises, for each live check,
    what the checks needing the run meet (a skip, or the provisioning failure)."""

    def __init__(self, run: Run | None, error: BaseException | None = None) -> None:
        self.run, self.error = run, error

    @property
    def why(self) -> str:
        text = str(getattr(self.error, "msg", None) or self.error or "")
        return f"no live job and run: {text}"[:160]

    def fill(self, body: Any) -> Any:
        """A live body naming the suite's job and run (where there are none, the absent ones:
        a property's live draw is then sent as an absent one, and the coverage table says so)."""
        if self.run is None:
            return negative.fill(body, negative.ABSENT_JOB, negative.ABSENT_RUN)
        return negative.fill(body, self.run.job_name, self.run.run_id)

    def unavailable(self) -> None:
        if self.error is not None:
            raise self.error


@pytest.fixture(scope="session")
def live(request: pytest.FixtureRequest) -> Live:
    """The session's job and run (`job_run`, the campaign's first run), asked for by the fixtures
    that send negative cases: their absent context goes out whether or not it exists."""
    try:
        return Live(request.getfixturevalue("job_run"))
    except (pytest.skip.Exception, pytest.fail.Exception, Unavailable, Unusable) as error:
        return Live(None, error)  # (the absent context still goes out; its checks say why)


def in_context(live: Live, requests: dict[str, tuple[str, Ahead]]) -> dict[str, Ahead]:
    """Named requests, each with its context: the live ones filled with the suite's job and run,
    or left out where there are none (their checks meet `live.unavailable`)."""
    return {
        name: (live.fill(ahead[0]), ahead[1]) if context == negative.LIVE else ahead
        for name, (context, ahead) in requests.items()
        if context != negative.LIVE or live.run is not None
    }


def reached(
    pytestconfig: pytest.Config,
    live: Live,
    family: str,
    absent: list[str],
    live_ids: list[str],
    no_live: dict[str, str],
) -> None:
    """The coverage table's record of one batch of negative cases (`cases.reached`): where
    there is no live job and run, the family itself says why it reached no live request."""
    coverage = engine_of(pytestconfig).coverage
    negative.reached(coverage, family, absent, live_ids if live.run else [], no_live)
    if live.run is None and live_ids:
        coverage.skipped(negative.LIVE_DIMENSION, family, live.why)


@pytest.fixture(scope="session")
def send_drawn(
    pytestconfig: pytest.Config,
    send_each: Callable[..., Iterator[Exchange]],
    live: Live,
) -> Callable[..., Iterator[Exchange]]:
    """`send_each` for a property whose draws carry their context, `(context, body)`: a live
    body is filled with the suite's job and run. Each draw is counted in the coverage table
    under `<rule> draws`, in the context it reached."""
    coverage = engine_of(pytestconfig).coverage

    def _send(
        rule: str, drawn: Sequence[tuple[str, Any]], target_headers: Sequence[str] | None = None
    ) -> Iterator[Exchange]:
        label = f"{rule} draws"
        coverage.declare(negative.ABSENT_DIMENSION, [label])
        coverage.declare(negative.LIVE_DIMENSION, [label])
        for context, _ in drawn:
            if context != negative.LIVE:
                coverage.hit(negative.ABSENT_DIMENSION, label)
            elif live.run is None:  # sent with the absent job and run instead
                coverage.hit(negative.ABSENT_DIMENSION, label)
                coverage.skipped(negative.LIVE_DIMENSION, label, live.why)
            else:
                coverage.hit(negative.LIVE_DIMENSION, label)
        bodies = [live.fill(body) if c == negative.LIVE else body for c, body in drawn]
        return send_each(bodies, target_headers)

    return _send


@pytest.fixture(scope="session")
def exchange_for(
    pytestconfig: pytest.Config,
    send_together: Callable[[dict[str, Ahead]], Callable[[str], Exchange]],
    live: Live,
) -> Callable[[Case], Exchange]:
    """Each named case is sent once per session in each of its contexts, all of them together;
    every rule that reads one reuses its answer."""
    named = [*invalid_cases(), *multi_cases()]
    cases = in_both_contexts(named)
    answer = send_together(
        in_context(live, {case.id: (case.context, (case.body, {})) for case in cases})
    )
    reached(
        pytestconfig,
        live,
        "validation cases",
        [case.id for case in named],
        [case.id for case in cases if case.context == negative.LIVE],
        negative.without_live(named),
    )
    known = {case.id for case in cases}

    def _exchange(case: Case) -> Exchange:
        if case.context == negative.LIVE:
            live.unavailable()
        if case.id not in known:
            body = live.fill(case.body) if case.context == negative.LIVE else case.body
            return send_together({case.id: (body, {})})(case.id)
        return answer(case.id)

    return _exchange


@pytest.fixture(scope="session")
def provisioner(
    pytestconfig: pytest.Config, glue_target: Target, transport: Transport
) -> Iterator[Provisioner | None]:
    engine = engine_of(pytestconfig)
    provisioner = engine.provisioner(glue_target)
    if provisioner is None:
        domain_runs.read_only(engine.coverage)  # the tour's classes, each with why not
        yield None  # read-only mode: nothing is created, nothing is deleted
        return
    provisioner.transport = transport  # the cleanup reads raw: no answer can crash it
    try:
        yield provisioner
    finally:
        engine.ledger.leftovers += provisioner.cleanup()
        engine.ledger.kept += provisioner.kept


@contextlib.contextmanager
def provisioning(step: str) -> Iterator[None]:
    """A failed set-up call is one line: throttling or 5xx skips the checks that needed it
    (target unavailable); any other refusal fails their set-up with the target's own words."""
    try:
        yield
    except TargetUnavailable as error:
        raise unavailable(error.detail) from None
    except ClientError as error:
        details = error.response.get("Error", {})
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        text = f"{step} answered HTTP {status} {details.get('Code', '')}: {details.get('Message')}"
        pytest.fail(f"glue-conformance could not provision: {text}", pytrace=False)
    except BotoCoreError as error:
        pytest.fail(f"glue-conformance could not provision: {step}: {error}", pytrace=False)
    except (Unavailable, Unusable, BillableRefused):
        raise
    except Exception as error:  # an answer the SDK could not parse (e.g. a ValueError)
        pytest.fail(
            f"glue-conformance could not provision: {step}: the answer could not be read "
            f"({type(error).__name__}: {error})"[:500],
            pytrace=False,
        )


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
    pytestconfig: pytest.Config,
) -> Run:
    if suite_settings.run_id:
        domain_jobs.not_run(engine_of(pytestconfig).coverage, domain_jobs.READ_ONLY)
        return Run(known_job, suite_settings.run_id, None)
    assert provisioner is not None
    if glue_target.kind in MOTO_FAMILY:
        moto_step_lifecycle(glue_target)
    try:
        with provisioning("StartJobRun"):
            return provisioner.start_run(known_job)
    except BillableRefused as refused:
        domain_jobs.not_run(provisioner.coverage, f"no run may start: {refused}"[:160])
        pytest.skip(str(refused))


@pytest.fixture(scope="session")
def first_get(send: Send, job_run: Run, reader: Reader) -> Exchange:
    """The first GetJobRun of the provisioned run; its JobRun goes to the observation point."""
    exchange = send({"JobName": job_run.job_name, "RunId": job_run.run_id})
    reader.take(exchange, job=job_run.job_name, run_id=job_run.run_id)
    return exchange


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


# --- the campaign: runs with known settings, judged at the observation point ------------------


@pytest.fixture(scope="session")
def judge(provisioner: Provisioner | None, ctx: Context, suite_settings: Settings) -> Judge:
    """The observation point, over the model of what this process's provisioner created."""
    model = provisioner.model if provisioner is not None else Model()
    return Judge(model, ctx, window_s=suite_settings.clock_window)


@pytest.fixture(scope="session")
def reader(send: Send, judge: Judge, suite_settings: Settings) -> Reader:
    return Reader(send, judge, at_once=suite_settings.at_once)


@pytest.fixture(scope="session")
def beside(
    provisioner: Provisioner | None, reader: Reader, suite_settings: Settings
) -> Iterator[Beside]:
    scenes = Beside()
    try:
        yield scenes
    finally:
        reader.closing.set()
        if provisioner is not None:
            provisioner.closing.set()
        scenes.close(timeout_s=2 * suite_settings.request_timeout + 5)


def _run_campaign(campaign: Campaign, target: Target) -> Campaign:
    if target.kind in MOTO_FAMILY:
        moto_step_lifecycle(target)
    try:
        with provisioning("the runs with known settings"):
            return campaign.run()
    except BillableRefused as refused:
        pytest.skip(str(refused))
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def campaign_plan(
    provisioner: Provisioner | None,
    reader: Reader,
    job_run: Run,
    suite_settings: Settings,
    lifecycle_deadline: Callable[[], float],
) -> Campaign:
    """The campaign, not yet run."""
    return Campaign(
        provisioner, reader, suite_settings.lifecycle_timeout, lifecycle_deadline, job_run
    )


@pytest.fixture(scope="session", autouse=True)
def _scenarios_beside(request: pytest.FixtureRequest) -> None:
    """With the session, in one process: when a selected check judges the campaign, it starts
    in its own thread (the state machine in another, when its check is selected). Under
    pytest-xdist a worker cannot know which checks it will get, so each runs a scenario when its
    first check needs it, and the workers are the parallelism."""
    if hasattr(request.config, "workerinput"):
        return
    items = request.session.items
    if not any("observed" in getattr(item, "fixturenames", ()) for item in items):
        return
    try:
        scenes: Beside = request.getfixturevalue("beside")
        plan: Campaign = request.getfixturevalue("campaign_plan")
        target: Target = request.getfixturevalue("glue_target")
    except (pytest.skip.Exception, pytest.fail.Exception):
        return  # each check that needs the campaign meets the same outcome itself
    scenes.start("campaign", lambda: _run_campaign(plan, target))
    # Its runs' first moments are watched without other work competing for this process (a
    # run of a fast target lives a fraction of a second); then the checks go on beside it.
    plan.started_and_read.wait(timeout=plan.budget_s + 60)
    # A check whose test function carries `beside` names how to set its scenario up.
    machine = next(
        (i for i in items if getattr(getattr(i, "function", None), "beside", None)), None
    )
    if machine is None:
        return
    try:
        play = machine.function.beside(request)  # type: ignore[attr-defined]
    except (pytest.skip.Exception, pytest.fail.Exception):
        return

    scenes.start("machine", lambda: play(lambda: scenes.outcome("campaign")))


@pytest.fixture(scope="session")
def observed(beside: Beside, campaign_plan: Campaign, glue_target: Target) -> Campaign:
    """The campaign, run once per process; the checks of meaning judge what it recorded."""
    if beside.started("campaign"):
        campaign: Campaign = beside.outcome("campaign")
        return campaign
    return _run_campaign(campaign_plan, glue_target)


@pytest.fixture(scope="session")
def known_rules(pytestconfig: pytest.Config) -> frozenset[str]:
    """Rules the baseline says this target breaks somewhere: the state machine records their
    deviations but fails only on others (the known ones are reported under their own rules)."""
    baseline = engine_of(pytestconfig).baseline
    if baseline is None:
        return frozenset()
    return frozenset(str(entry.get("rule")) for entry in baseline.deviations)


@pytest.fixture
def verdict(observed: Campaign, observe: Callable[[str], None]) -> Callable[[str], None]:
    """The verdict of a rule over every observation the run made of its subject: its first
    deviation fails the check; a tolerant rule's notes are recorded; a rule with nothing to
    judge in this run is skipped (not a verdict)."""

    def _verdict(rule_id: str) -> None:
        try:
            record = observed.judge.verdict(rule_id)
        except NotJudged:
            pytest.skip(f"nothing to judge: no observation of {rule_id}'s subject in this run")
        if record.notes:
            seen = sorted(record.notes.items(), key=lambda item: -item[1])
            observe("; ".join(f"{note} (x{count})" for note, count in seen[:5]))
        elif not record.deviations:
            observe(f"consistent over {record.judged} observations")

    return _verdict
