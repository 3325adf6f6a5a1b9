"""Fixtures and hooks of the conformance suite itself (loaded only when it is collected).

Session-scoped fixtures own the target (an embedded server is started once per process, so each
pytest-xdist worker has its own), the pooled transport, and what was provisioned on the target.
"""

from __future__ import annotations

import contextlib
import fnmatch
import gc
import importlib.resources
import json
import secrets
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from botocore.exceptions import BotoCoreError, ClientError
from hypothesis import settings

from conformance import plugin, redact
from conformance.breaker import Breaker
from conformance.cases import ABSENT_JOB, ABSENT_RUN, Case
from conformance.checks.base import Context, Deviation
from conformance.provision import PLACEHOLDER_ROLE, BillableRefused, Provisioner, Run
from conformance.rules import RULES
from conformance.targets import (
    DUMMY,
    Target,
    TargetError,
    moto_step_lifecycle,
    start_moto,
    start_reference,
    url_target,
)
from conformance.transport import (
    UNAVAILABLE,
    Exchange,
    RateLimiter,
    TargetUnavailable,
    Transport,
    TransportError,
)

BASELINES = Path(str(importlib.resources.files("reports"))) / "baselines"
Send = Callable[..., Exchange]


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


@dataclass
class Ledger:
    """What this process sent to the target and what it could not clean up. pytest-xdist
    workers hand theirs to the controller, which adds them up for the summary and results."""

    requests: int = 0
    leftovers: list[str] = field(default_factory=list)

    def add(self, other: dict[str, Any]) -> None:
        self.requests += int(other.get("requests", 0))
        self.leftovers += [str(name) for name in other.get("leftovers", [])]


_LEDGER = pytest.StashKey[Ledger]()
WORKER_OUTPUT_KEY = "glue_conformance_ledger"


def ledger(config: pytest.Config) -> Ledger:
    return config.stash.setdefault(_LEDGER, Ledger())


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist: a worker finished; its ledger joins the controller's."""
    output = getattr(node, "workeroutput", {}) or {}
    if WORKER_OUTPUT_KEY in output:
        ledger(node.config).add(output[WORKER_OUTPUT_KEY])


def _unavailable_checks(config: pytest.Config) -> int:
    """Checks skipped because the target kept throttling or failing over (not verdicts)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    return sum(1 for report in skipped if UNAVAILABLE in str(report.longrepr))


def target_kind(config: pytest.Config) -> str:
    kind = plugin.get_option(config, "target")
    url = plugin.get_option(config, "target-url")
    if kind is None:
        return "url" if url else "moto"
    if kind == "url" and not url:
        raise pytest.UsageError("--target url needs --target-url (or GLUE_CONFORMANCE_TARGET_URL)")
    return str(kind)


def make_target(config: pytest.Config) -> Target:
    kind = target_kind(config)
    region = plugin.get_option(config, "region")
    if kind == "moto":
        target = start_moto(region=region)
    elif kind == "reference":
        target = start_reference(
            region=region,
            faults=frozenset(plugin.get_option(config, "reference-fault")),
            variants=frozenset(plugin.get_option(config, "reference-variant")),
            stage_seconds=plugin.get_option(config, "reference-stage-seconds"),
        )
    else:
        target = url_target(
            plugin.get_option(config, "target-url"),
            region=region,
            profile=plugin.get_option(config, "aws-profile"),
            real_credentials=plugin.get_option(config, "real-credentials"),
            checks_auth=not plugin.get_option(config, "no-auth-check"),
        )
    target.limiter = RateLimiter(_process_rate(config))
    return target


def _process_rate(config: pytest.Config) -> float | None:
    """--max-rps is for the whole run: under pytest-xdist each worker gets its share."""
    rate = plugin.get_option(config, "max-rps")
    if not rate:
        return None
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    return float(rate) / max(workers, 1)


def make_transport(config: pytest.Config, target: Target) -> Transport:
    return Transport(
        target.url,
        region=target.region,
        credentials=target.credentials,
        timeout_s=plugin.get_option(config, "request-timeout"),
        limiter=target.limiter,
    )


def unusable(message: str) -> None:
    pytest.exit(f"glue-conformance: {message}", returncode=plugin.EXIT_TARGET_UNUSABLE)


# The run's config, for the one hook that is not given it (pytest_keyboard_interrupt).
_SESSION: dict[str, pytest.Config] = {}
_SAID = pytest.StashKey[bool]()


@pytest.hookimpl(trylast=True)
def pytest_keyboard_interrupt(excinfo: pytest.ExceptionInfo[BaseException]) -> None:
    """A target found unusable at the start is said once, in the line pytest writes for the
    exit; the terminal reporter would say it again between '!' rulers, as for a Ctrl-C."""
    config = _SESSION.get("config")
    if config is None or not config.stash.get(_SAID, False):
        return
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    if getattr(terminal, "_keyboardinterrupt_memo", None) is not None:
        terminal._keyboardinterrupt_memo = None


def preflight(transport: Transport) -> None:
    """One GetJobRun for a job that does not exist: the answer must look like AWS JSON 1.1 (a
    JSON object, an x-amzn-RequestId header or an x-amz-json content type)."""
    try:
        exchange = transport.send({"JobName": ABSENT_JOB, "RunId": ABSENT_RUN})
    except TransportError as error:
        unusable(f"target {error.url} unusable ({error.kind}): {error.detail}")
        return
    speaks_aws = (
        isinstance(exchange.json, dict)
        or bool(exchange.header("x-amzn-requestid"))
        or (exchange.header("content-type") or "").startswith("application/x-amz-json")
    )
    if not speaks_aws:  # an emulator with HTML error pages still has AWS headers: judge it
        unusable(
            f"target {transport.url} does not speak AWS JSON 1.1: GetJobRun answered HTTP "
            f"{exchange.status} {exchange.header('content-type') or ''} "
            f"{exchange.body[:60].decode('utf-8', 'replace')!r}"
        )


# --- hooks -------------------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    plugin.check_options(config)
    _check_suite_options(config)
    if not config.getoption("hypothesis_profile", default=None):
        settings.load_profile("ci")
    _terminate_like_ctrl_c()
    redact.redact_logs()
    if not _is_worker(config):
        config.stash[_RUN_TOKEN] = secrets.token_hex(4)


def _check_suite_options(config: pytest.Config) -> None:
    """Values only the suite's own parts can judge: a region botocore can sign for, and the
    reference endpoint's fault and variant names."""
    from botocore.exceptions import InvalidRegionError
    from botocore.utils import validate_region_name

    from conformance.reference.catalogue import FAULTS, VARIANTS

    region = plugin.get_option(config, "region")
    try:
        validate_region_name(region)
        if not region:
            raise InvalidRegionError(region_name=region)
    except InvalidRegionError:
        raise pytest.UsageError(
            f"glue-conformance: --region {region!r} is not a region name"
        ) from None
    for kind, known in (("fault", FAULTS), ("variant", VARIANTS)):
        unknown = sorted(set(plugin.get_option(config, f"reference-{kind}")) - set(known))
        if unknown:
            raise pytest.UsageError(
                f"glue-conformance: unknown --reference-{kind} {', '.join(unknown)} "
                f"(python -m conformance.reference --list names them)"
            )


def _terminate_like_ctrl_c() -> None:
    """SIGTERM (a CI job's time limit, `timeout`, `kill`) ends the run as Ctrl-C does, so the
    session's teardown deletes what the run created. Python's default ends the process at once,
    with no teardown and no at-exit handlers: the job would be left in the account. A handler
    someone else installed is left alone; so is a thread that cannot take signals."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, signal.default_int_handler)


_RUN_TOKEN = pytest.StashKey[str]()
RUN_TOKEN_KEY = "glue_conformance_run_token"


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: every worker names what it creates with the run's token and its own id."""
    node.workerinput[RUN_TOKEN_KEY] = node.config.stash[_RUN_TOKEN]


def owner_token(config: pytest.Config) -> str:
    """'<run>' or, under pytest-xdist, '<run>-<worker>': one run, each worker its own names."""
    if _is_worker(config):
        inputs = config.workerinput  # type: ignore[attr-defined]
        return f"{inputs[RUN_TOKEN_KEY]}-{inputs['workerid']}"
    return config.stash[_RUN_TOKEN]


def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    config.stash[_STARTED] = time.time()
    if _is_worker(config):
        return
    _SESSION["config"] = config
    config.stash[_SAID] = True  # an exit from here is written to stderr by pytest itself
    try:
        kind = target_kind(config)
        if kind == "url":
            target = make_target(config)
            transport = make_transport(config, target)
            try:
                preflight(transport)
            finally:
                transport.close()
                ledger(config).requests += transport.sent
    except TargetError as error:
        unusable(str(error))
    config.stash[_SAID] = False


_STARTED = pytest.StashKey[float]()


def load_baseline(config: pytest.Config) -> tuple[dict[str, Any] | None, Path | None]:
    choice = str(plugin.get_option(config, "baseline"))
    if choice == "none":
        return None, None
    committed = sorted(p.stem for p in BASELINES.glob("*.json"))
    if choice == "auto":
        path = BASELINES / f"{target_kind(config)}.json"
        if not path.exists():
            return None, None
    elif choice in committed:  # `--baseline moto` for a moto server started by someone else
        path = BASELINES / f"{choice}.json"
    else:
        path = Path(choice)
        if not path.exists():
            names = ", ".join(committed)
            raise pytest.UsageError(
                f"--baseline {choice}: no such file (committed baselines: {names})"
            )
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise pytest.UsageError(f"--baseline {path}: not JSON ({error})") from None
    return data, path


def baseline_entry(baseline: dict[str, Any], rule_id: str, case: str) -> dict[str, Any] | None:
    for entry in baseline.get("deviations", []):
        if entry.get("rule") == rule_id and any(
            fnmatch.fnmatchcase(case, pattern) for pattern in entry.get("cases", ["*"])
        ):
            return entry
    return None


def _rule_and_case(item: pytest.Item) -> tuple[str | None, str]:
    marker = item.get_closest_marker("rule")
    case = getattr(getattr(item, "callspec", None), "id", "")
    return (marker.args[0] if marker else None), case


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    baseline, _ = load_baseline(config)
    for item in items:
        rule_id, case = _rule_and_case(item)
        if rule_id is None:
            continue
        if rule_id not in RULES:
            raise pytest.UsageError(f"{item.nodeid}: unknown rule id {rule_id!r}")
        entry = baseline_entry(baseline, rule_id, case) if baseline else None
        if entry:
            reason = f"known deviation ({baseline.get('name', 'baseline')}): {entry.get('what')}"
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason, raises=AssertionError))
            item.stash[_BASELINE_ENTRY] = entry


_BASELINE_ENTRY = pytest.StashKey[dict[str, Any]]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is loaded by now (botocore's Glue model, Hypothesis, moto, the collected checks)
    lives until the end: freezing it keeps every garbage collection from here on, pytest's own
    at exit included, from walking it again (about 0.1 s a full collection)."""
    gc.freeze()


@pytest.fixture(autouse=True)
def _describe_check(request: pytest.FixtureRequest) -> None:
    rule_id, case = _rule_and_case(request.node)
    if rule_id is None:
        return
    # The target is known where it was started (an xdist worker, maybe), so it travels with
    # each check to the process that writes results.json.
    target: Target = request.getfixturevalue("glue_target")
    rule = RULES[rule_id]
    entry = request.node.stash.get(_BASELINE_ENTRY, None)
    plugin.record(
        request.node,
        id=f"{rule_id}[{case}]" if case else rule_id,
        rule=rule_id,
        case=case,
        group=rule.group.value,
        statement=rule.statement,
        evidence=rule.cite(),
        strictness=rule.strictness.value,
        baseline={"what": entry.get("what"), "evidence": entry.get("evidence")} if entry else None,
        target_url=target.url,
        target_version=target.version,
    )


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Any:
    """An SDK call that stayed throttled ends its check as "target unavailable" (a skip)."""
    try:
        return (yield)
    except TargetUnavailable as error:
        pytest.skip(f"{UNAVAILABLE}: {error.detail}")


def pytest_report_header(config: pytest.Config) -> str:
    kind = target_kind(config)
    where = plugin.get_option(config, "target-url") if kind == "url" else "embedded, started here"
    baseline, path = load_baseline(config)
    known = (
        f", baseline {path.name} ({len(baseline.get('deviations', []))} known)" if baseline else ""
    )
    return f"glue-conformance: target {kind} ({where}){known}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if _is_worker(config):
        return
    unavailable = _unavailable_checks(config)
    if unavailable and session.exitstatus == pytest.ExitCode.OK:
        # Nothing failed, but not everything was judged: that is not a pass.
        session.exitstatus = plugin.EXIT_TARGET_UNAVAILABLE
    from conformance.results import build_results, write_report

    report_dir = plugin.get_option(config, "report-dir")
    results = plugin.collected_results(config)
    if report_dir and results:
        baseline, path = load_baseline(config)
        first = results[0]
        info = {"url": first.get("target_url"), "version": first.get("target_version")}
        data = build_results(
            results,
            target={
                "url": info.get("url") or plugin.get_option(config, "target-url") or "",
                "kind": target_kind(config),
                "version": info.get("version"),
                "requests": ledger(config).requests,
            },
            leftovers=ledger(config).leftovers,
            started=config.stash.get(_STARTED, time.time()),
            baseline=(
                {
                    "name": baseline.get("name", path.stem),
                    "path": str(path),
                    "entries": len(baseline.get("deviations", [])),
                }
                if baseline and path
                else None
            ),
            profile=settings._current_profile,  # type: ignore[attr-defined]
            seed=_seed(config),
        )
        out_dir = Path(report_dir)
        pytest_junit = config.getoption("xmlpath", default=None)
        own_junit = (
            not pytest_junit or Path(pytest_junit).resolve() != (out_dir / "junit.xml").resolve()
        )
        try:
            written = write_report(
                data, out_dir, secrets=_secrets(config), overwrite_junit=own_junit
            )
        except ValueError as error:  # reports.results.ResultsError
            config.stash[_REPORT_ERROR] = f"glue-conformance: report not written: {error}"
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR
            return
        config.stash[_WRITTEN] = written


_WRITTEN = pytest.StashKey[dict[str, Path]]()
_REPORT_ERROR = pytest.StashKey[str]()


def _seed(config: pytest.Config) -> str | None:
    seed = config.getoption("hypothesis_seed", default=None)
    if seed is not None:
        return str(seed)
    return "derandomized" if settings.default.derandomize else None


def _secrets(config: pytest.Config) -> list[str]:
    """The credentials this run signed with, so reports mask them wherever they appear."""
    if target_kind(config) != "url":
        return []  # embedded targets get fixed dummy credentials
    try:
        target = make_target(config)
    except TargetError:
        return []
    frozen = target.credentials.get_frozen_credentials()
    return [value for value in (frozen.access_key, frozen.secret_key, frozen.token) if value]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    account = ledger(config)
    if account.requests:
        terminalreporter.write_line(f"glue-conformance: {account.requests} requests sent")
    unavailable = _unavailable_checks(config)
    if unavailable:
        terminalreporter.write_line(
            f"glue-conformance: {unavailable} checks not judged: the target was unavailable "
            "(it kept throttling or failing over). They are not verdicts; with no failures the "
            f"run exits {plugin.EXIT_TARGET_UNAVAILABLE}.",
            yellow=True,
        )
    if account.leftovers:
        terminalreporter.write_line(
            "glue-conformance: could not delete what this run created (delete by hand): "
            + ", ".join(account.leftovers),
            red=True,
        )
    if _REPORT_ERROR in config.stash:
        terminalreporter.write_line(config.stash[_REPORT_ERROR], red=True)
    written = config.stash.get(_WRITTEN, None)
    if written:
        terminalreporter.write_line(
            "glue-conformance report: " + ", ".join(str(p) for p in written.values())
        )
    known = len(terminalreporter.stats.get("xfailed", []))
    if known and not written and not set("xaA") & set(config.option.reportchars or ""):
        terminalreporter.write_line(
            f"glue-conformance: {known} known deviations (xfailed, from the baseline): -rx lists "
            "them, --report-dir DIR writes them out with their evidence"
        )


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def glue_target(pytestconfig: pytest.Config) -> Iterator[Target]:
    try:
        target = make_target(pytestconfig)
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
        account = ledger(pytestconfig)
        account.requests += target.sdk_calls
        if _is_worker(pytestconfig):
            pytestconfig.workeroutput[WORKER_OUTPUT_KEY] = asdict(account)  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def transport(pytestconfig: pytest.Config, glue_target: Target) -> Iterator[Transport]:
    transport = make_transport(pytestconfig, glue_target)
    if glue_target.kind != "url":
        preflight(transport)
    yield transport
    transport.close()
    ledger(pytestconfig).requests += transport.sent


@pytest.fixture(scope="session")
def ctx(pytestconfig: pytest.Config, glue_target: Target) -> Context:
    return Context(
        region=glue_target.region,
        aws=glue_target.aws,
        tolerate_invalid_input=plugin.get_option(pytestconfig, "tolerate-invalid-input"),
        serve_again=_serve_again(pytestconfig, glue_target),
    )


def _serve_again(config: pytest.Config, target: Target) -> str | None:
    """The command that serves an embedded target's URL again once the run has stopped it."""
    port = urlsplit(target.url).port
    if target.kind == "moto":
        return f"the embedded moto stopped with the run; first: moto_server -p {port}"
    if target.kind == "reference":
        switches = "".join(
            f" --{kind} {name}"
            for kind in ("fault", "variant")
            for name in plugin.get_option(config, f"reference-{kind}")
        )
        stage = plugin.get_option(config, "reference-stage-seconds")
        switches += f" --stage-seconds {stage:g}" if stage else ""
        return (
            "the embedded reference endpoint stopped with the run; first: "
            f"python -m conformance.reference --port {port}{switches}"
        )
    return None


@pytest.fixture(scope="session")
def send(transport: Transport, ctx: Context) -> Send:
    """Send a body (or raw bytes). A stall, a dropped connection or an oversized body fails the
    check that asked (rule protocol.answers); a target that refuses connections ends the run;
    persistent throttling skips the check as "target unavailable" (not a verdict)."""
    breaker = Breaker()

    def _send(body: Any, **kwargs: Any) -> Exchange:
        if not breaker.allow():
            pytest.skip(f"{UNAVAILABLE}: not sent, the target is still failing ({breaker.reason})")
        try:
            exchange = transport.send(body, **kwargs)
        except TargetUnavailable as error:
            breaker.record(error.detail)
            pytest.skip(f"{UNAVAILABLE}: {error.detail}")
        except TransportError as error:
            if error.kind in ("unreachable", "dns", "tls"):
                unusable(f"target {error.url} stopped answering ({error.kind}): {error.detail}")
            observed = f"{error.kind}: {error.detail}"
            raise Deviation(
                "protocol.answers", observed, None, ctx, request=error.request
            ) from None
        breaker.record(None)
        if exchange.truncated:
            raise Deviation("protocol.answers", f"{exchange.json_problem}", exchange, ctx)
        return exchange

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
    if plugin.get_option(pytestconfig, "run-id"):
        yield None  # read-only mode: nothing is created, nothing is deleted
        return
    provisioner = Provisioner(
        glue_target,
        role=plugin.get_option(pytestconfig, "job-role") or PLACEHOLDER_ROLE,
        allow_billable=plugin.get_option(pytestconfig, "allow-billable"),
        token=owner_token(pytestconfig),
    )
    try:
        yield provisioner
    finally:
        ledger(pytestconfig).leftovers += provisioner.cleanup()


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
def known_job(pytestconfig: pytest.Config, provisioner: Provisioner | None) -> str:
    name = plugin.get_option(pytestconfig, "job-name")
    if name:
        return str(name)
    if provisioner is None:
        pytest.skip("read-only mode needs --job-name with --run-id")
    with provisioning("CreateJob"):
        return provisioner.create_job("job")


@pytest.fixture(scope="session")
def job_run(
    pytestconfig: pytest.Config,
    glue_target: Target,
    provisioner: Provisioner | None,
    known_job: str,
) -> Run:
    run_id = plugin.get_option(pytestconfig, "run-id")
    if run_id:
        return Run(known_job, str(run_id), None)
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
        plugin.record(request.node, observed=text)

    return _observe
