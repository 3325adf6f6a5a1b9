"""The engine: the target's life, the send policy, baselines and results, with no pytest in it.

Everything a conformance run does besides judging lives here, so that it behaves the same
whichever harness drives it: the pytest plugin (`glue_conformance.plugin`, a thin adapter), a
script (see docs/architecture.md, "Checks without pytest"), or a pytest-xdist worker. The adapter
turns the engine's exceptions into its own outcomes: `Unusable` ends the run (exit 69),
`Unavailable` leaves a check unjudged, a `Deviation` fails it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from glue_conformance import baseline as baselines
from glue_conformance.breaker import Breaker
from glue_conformance.cases import ABSENT_JOB, ABSENT_RUN
from glue_conformance.checks.base import Context, Deviation
from glue_conformance.checks.registry import resolve
from glue_conformance.coverage import Coverage
from glue_conformance.provision import PLACEHOLDER_ROLE, PREFIX, Provisioner
from glue_conformance.records import CheckRecord
from glue_conformance.reports.results import JUDGED, NoVerdict
from glue_conformance.targets import (
    DUMMY,
    Target,
    TargetError,
    embedded_available,
    embedded_release,
    start_ministack,
    start_moto,
    start_moto_ext,
    start_reference,
    url_target,
)
from glue_conformance.transport import (
    UNAVAILABLE,
    Exchange,
    RateLimiter,
    TargetUnavailable,
    Transport,
    TransportError,
)

ANSWERS = resolve("protocol.answers")
# How long the runs' life cycles are waited for, by default: Glue retries a standard job for up
# to 15 minutes (evidence section 5); an emulator's runs end in seconds.
AWS_LIFECYCLE_S = 900.0
EMULATOR_LIFECYCLE_S = 30.0


class Unusable(Exception):
    """The target cannot be judged at all: the run ends with this one line (exit 69)."""


class Unavailable(Exception):
    """The target kept throttling or failing over: the check is not judged (not a verdict)."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"{UNAVAILABLE}: {detail}")
        self.detail = detail


class SettingsError(ValueError):
    """A setting that cannot work (one usage line). It names the setting by its option name
    ('region'), not by a flag: the harness says where the value came from (flag, environment
    variable, ini key) and renders `<where> <value>: <problem> (<fix>)`."""

    def __init__(self, setting: str, value: str, problem: str, fix: str) -> None:
        super().__init__(f"{setting} {value}: {problem} ({fix})")
        self.setting, self.value, self.problem, self.fix = setting, value, problem, fix


@dataclass(frozen=True)
class Settings:
    """A run's settings, typed, whatever harness read them (the pytest plugin reads its flags,
    environment variables and ini keys in `glue_conformance.usage.settings_of`)."""

    kind: str = "moto"
    target_url: str | None = None
    region: str = "us-east-1"
    aws_profile: str | None = None
    real_credentials: bool = False
    checks_auth: bool = True
    reference_faults: frozenset[str] = frozenset()
    reference_variants: frozenset[str] = frozenset()
    reference_stage_seconds: float = 0.0
    request_timeout: float = 10.0
    max_rps: float | None = None
    workers: int = 1
    baseline: str = "auto"
    job_name: str | None = None
    run_id: str | None = None
    job_role: str | None = None
    allow_billable: bool = False
    max_runs: int = 20  # runs a billable run may start on AWS
    tolerate_invalid_input: bool = False
    lifecycle_timeout: float = 30.0
    # requests sent at once where none waits for another's answer (None: see `at_once`)
    concurrency: int | None = None
    clock_window: float = 900.0
    max_time: float | None = None
    target_name: str | None = None
    keep_resources: bool = False  # the cleanup stops runs but deletes no job

    def check(self) -> None:
        """Values only the suite's own parts can judge: a region botocore can sign for, and the
        reference endpoint's fault and variant names."""
        from botocore.exceptions import InvalidRegionError
        from botocore.utils import validate_region_name

        from glue_conformance.reference.catalogue import FAULTS, VARIANTS

        try:
            validate_region_name(self.region)
            if not self.region:
                raise InvalidRegionError(region_name=self.region)
        except InvalidRegionError:
            raise SettingsError(
                "region", repr(self.region), "not a region name", "e.g. us-east-1"
            ) from None
        if self.keep_resources and self.kind != "url":
            raise SettingsError(
                "keep-resources",
                f"against the embedded {self.kind}",
                "the run stops an embedded target, and what it kept goes with it",
                "start the target yourself and give its --target-url",
            )
        for kind, chosen, known in (
            ("fault", self.reference_faults, FAULTS),
            ("variant", self.reference_variants, VARIANTS),
        ):
            unknown = sorted(chosen - set(known))
            if unknown:
                raise SettingsError(
                    f"reference-{kind}",
                    ", ".join(unknown),
                    f"no such {kind}",
                    "python -m glue_conformance.reference --list names them",
                )

    @property
    def at_once(self) -> int:
        """--glue-concurrency, or by default 8; under --glue-max-rps, by default only as many
        as this process's share of the rate keeps busy at 100 ms an answer (rate / 10, at least
        1): more in flight would not go faster, and their sends bunch up at the target beyond
        the cap (44 requests in one second at a cap of 40, two workers of 8)."""
        if self.concurrency is not None:
            return self.concurrency
        rate = self.process_rate
        return 8 if rate is None else max(1, min(8, int(rate / 10)))

    @property
    def process_rate(self) -> float | None:
        """--glue-max-rps is for the whole run: each of N worker processes gets its share."""
        return self.max_rps / self.workers if self.max_rps else None


@dataclass
class Ledger:
    """What this process sent to the target and what it could not clean up. Worker processes
    hand theirs to the one that writes the results, which adds them up."""

    requests: int = 0
    leftovers: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # jobs left on purpose (--glue-keep-resources)

    def add(self, other: dict[str, Any]) -> None:
        self.requests += int(other.get("requests", 0))
        self.leftovers += [str(name) for name in other.get("leftovers", [])]
        self.kept += [str(name) for name in other.get("kept", [])]

    def as_dict(self) -> dict[str, Any]:
        return {"requests": self.requests, "leftovers": list(self.leftovers), "kept": self.kept}


class Sender:
    """The send policy for checks: a stall, a dropped connection or an oversized body is a
    deviation of protocol.answers for the check that asked; a target that refuses connections
    is unusable; persistent throttling leaves checks unjudged, and after that the breaker stops
    sending until the target recovers."""

    def __init__(self, transport: Transport, ctx: Context) -> None:
        self.transport = transport
        self.ctx = ctx
        self.breaker = Breaker()

    def __call__(self, body: Any, **kwargs: Any) -> Exchange:
        if not self.breaker.allow():
            raise Unavailable(f"not sent, the target is still failing ({self.breaker.reason})")
        try:
            exchange = self.transport.send(body, **kwargs)
        except TargetUnavailable as error:
            self.breaker.record(error.detail)
            raise Unavailable(error.detail) from None
        except TransportError as error:
            if error.kind in ("unreachable", "dns", "tls"):
                raise Unusable(
                    f"target {error.url} stopped answering ({error.kind}): {error.detail}"
                ) from None
            observed = f"{error.kind}: {error.detail}"
            raise Deviation(ANSWERS, observed, None, self.ctx, request=error.request) from None
        self.breaker.record(None)
        if exchange.truncated:
            raise Deviation(ANSWERS, f"{exchange.json_problem}", exchange, self.ctx)
        return exchange


K = TypeVar("K")


def send_all(
    sender: Callable[..., Exchange], bodies: dict[K, Any], *, at_once: int
) -> dict[K, Exchange | Exception]:
    """Send independent requests `at_once` at a time; each one's outcome (its exchange, or the
    Deviation, Unavailable or Unusable it raised) under its key, for the checks to judge later.
    Order does not matter to the verdicts: no request depends on another's answer."""

    def one(body: Any) -> Exchange | Exception:
        try:
            return sender(body)
        except (Deviation, Unavailable, Unusable) as error:
            return error

    if at_once <= 1 or len(bodies) <= 1:
        return {key: one(body) for key, body in bodies.items()}
    with ThreadPoolExecutor(max_workers=at_once, thread_name_prefix="glue-send") as pool:
        futures = {key: pool.submit(one, body) for key, body in bodies.items()}
    return {key: future.result() for key, future in futures.items()}


def speaks_aws_json(exchange: Exchange) -> bool:
    """A JSON object, an x-amzn-RequestId header or an x-amz-json content type: an emulator with
    HTML error pages still has AWS headers, and is judged."""
    return (
        isinstance(exchange.json, dict)
        or bool(exchange.header("x-amzn-requestid"))
        or (exchange.header("content-type") or "").startswith("application/x-amz-json")
    )


class Engine:
    """One process's view of a run: settings, the ledger, and the parts built from them."""

    def __init__(self, settings: Settings, *, owner_token: str) -> None:
        self.settings = settings
        self.owner_token = owner_token  # names what this process creates: '<run>[-<worker>]'
        self.ledger = Ledger()
        self.coverage = Coverage()  # what this process exercised of the request domain
        self.started = time.time()
        self._baseline: tuple[baselines.Baseline | None] | None = None
        self.target: Target | None = None  # the one this process started, once it has
        self._lifecycle_deadline: float | None = None

    def lifecycle_deadline(self) -> float:
        """One --lifecycle-timeout for every wait on a run's life cycle in this process (the
        polled run, the stopped run, the state machine), counted from the first wait: a target
        whose runs never end costs the run that budget once, not once per wait."""
        if self._lifecycle_deadline is None:
            self._lifecycle_deadline = time.monotonic() + self.settings.lifecycle_timeout
        return self._lifecycle_deadline

    def budget_spent(self) -> bool:
        """--glue-max-time: the run's time budget (from the engine's start) is used up."""
        limit = self.settings.max_time
        return limit is not None and time.time() - self.started >= limit

    # --- the target ---------------------------------------------------------------------------

    def start_target(self) -> Target:
        """Start the embedded target, or describe the URL one (raises TargetError)."""
        s = self.settings
        if s.kind == "moto":
            target = start_moto(region=s.region)
        elif s.kind == "ministack":
            target = start_ministack(region=s.region)
        elif s.kind == "moto-ext":
            target = start_moto_ext(region=s.region)
        elif s.kind == "reference":
            target = start_reference(
                region=s.region,
                faults=s.reference_faults,
                variants=s.reference_variants,
                stage_seconds=s.reference_stage_seconds,
            )
        else:
            target = url_target(
                s.target_url or "",
                region=s.region,
                profile=s.aws_profile,
                real_credentials=s.real_credentials,
                checks_auth=s.checks_auth,
            )
        target.limiter = RateLimiter(s.process_rate)
        self.target = target
        return target

    def transport(self, target: Target) -> Transport:
        return Transport(
            target.url,
            region=target.region,
            credentials=target.credentials,
            timeout_s=self.settings.request_timeout,
            limiter=target.limiter,
        )

    @contextmanager
    def counted(self, transport: Transport) -> Iterator[Transport]:
        try:
            yield transport
        finally:
            transport.close()
            self.ledger.requests += transport.sent

    def preflight(self, transport: Transport) -> None:
        """One GetJobRun for a job that does not exist: the answer must look like AWS JSON 1.1."""
        try:
            exchange = transport.send({"JobName": ABSENT_JOB, "RunId": ABSENT_RUN})
        except TransportError as error:
            raise Unusable(f"target {error.url} unusable ({error.kind}): {error.detail}") from None
        if not speaks_aws_json(exchange):
            raise Unusable(
                f"target {transport.url} does not speak AWS JSON 1.1: GetJobRun answered HTTP "
                f"{exchange.status} {exchange.header('content-type') or ''} "
                f"{exchange.body[:60].decode('utf-8', 'replace')!r}"
            )

    def check_url_target(self) -> None:
        """Before anything else: a URL target must parse and speak AWS JSON 1.1 (raises
        Unusable). An embedded target must be installed; it is checked once it is started."""
        if self.settings.kind != "url":
            try:
                embedded_available(self.settings.kind)
            except TargetError as error:
                raise Unusable(str(error)) from None
            return
        try:
            target = self.start_target()
        except TargetError as error:
            raise Unusable(str(error)) from None
        with self.counted(self.transport(target)) as transport:
            self.preflight(transport)

    def context(self, target: Target) -> Context:
        return Context(
            region=target.region,
            aws=target.aws,
            tolerate_invalid_input=self.settings.tolerate_invalid_input,
            serve_again=self.serve_again(target),
            # read-only mode creates (and deletes) nothing
            created_prefix=None if self.settings.run_id else f"{PREFIX}{self.owner_token}-",
        )

    def sender(self, transport: Transport, ctx: Context) -> Sender:
        return Sender(transport, ctx)

    def provisioner(self, target: Target) -> Provisioner | None:
        """None in read-only mode (--glue-run-id): nothing is created, nothing is deleted."""
        if self.settings.run_id:
            return None
        return Provisioner(
            target,
            role=self.settings.job_role or PLACEHOLDER_ROLE,
            allow_billable=self.settings.allow_billable,
            max_runs=self.settings.max_runs,
            token=self.owner_token,
            coverage=self.coverage,
            keep=self.settings.keep_resources,
        )

    def serve_again(self, target: Target) -> str | None:
        """The command that serves an embedded target's URL again once the run has stopped it."""
        port = urlsplit(target.url).port
        if target.kind == "moto":
            return f"the embedded moto stopped with the run; first: moto_server -p {port}"
        if target.kind == "moto-ext":
            return (
                "the embedded moto-ext stopped with the run; first: "
                f"$GLUE_CONFORMANCE_MOTO_EXT -H 127.0.0.1 -p {port}"
            )
        if target.kind == "ministack":
            return (
                "the embedded ministack stopped with the run; first: "
                f"GATEWAY_PORT={port} BIND_HOST=127.0.0.1 ministack"
            )
        if target.kind == "reference":
            s = self.settings
            switches = "".join(f" --fault {name}" for name in s.reference_faults)
            switches += "".join(f" --variant {name}" for name in s.reference_variants)
            stage = s.reference_stage_seconds
            switches += f" --stage-seconds {stage:g}" if stage else ""
            return (
                "the embedded reference endpoint stopped with the run; first: "
                f"python -m glue_conformance.reference --port {port}{switches}"
            )
        return None

    def secrets(self) -> list[str]:
        """The credentials this run signs with, so reports mask them wherever they appear."""
        if self.settings.kind != "url":
            return []  # embedded targets get fixed dummy credentials
        try:
            target = self.target or self.start_target()
        except TargetError:
            return []
        if target.credentials is DUMMY:
            return []
        frozen = target.credentials.get_frozen_credentials()
        return [value for value in (frozen.access_key, frozen.secret_key, frozen.token) if value]

    # --- baselines and results ----------------------------------------------------------------

    @property
    def baseline(self) -> baselines.Baseline | None:
        """Loaded once (raises BaselineError for a --glue-baseline that cannot be used)."""
        if self._baseline is None:
            release = embedded_release(self.settings.kind)
            self._baseline = (baselines.load(self.settings.baseline, self.settings.kind, release),)
        return self._baseline[0]

    def results(
        self,
        records: list[CheckRecord],
        *,
        profile: str | None,
        seed: str | None,
        planned: int | None = None,
        stopped_by: str | None = None,
    ) -> dict[str, Any]:
        """`planned`: the checks collected; `stopped_by`: why the run ended early, if it did."""
        from glue_conformance.results import build_results

        first = records[0] if records else None
        started = self.target
        url = (first.target_url if first else None) or (started.url if started else None)
        version = (first.target_version if first else None) or (
            started.version if started else None
        )
        baseline = self.baseline
        return build_results(
            records,
            target={
                "url": url or self.settings.target_url or f"embedded {self.settings.kind}",
                "kind": self.settings.kind,
                "version": version,
                "requests": self.ledger.requests,
                **({"name": self.settings.target_name} if self.settings.target_name else {}),
            },
            leftovers=self.ledger.leftovers,
            started=self.started,
            baseline=baseline.summary() if baseline else None,
            profile=profile,
            seed=seed,
            completeness=self.completeness(records, planned=planned, stopped_by=stopped_by),
            coverage=self.coverage.as_dict(),
        )

    @staticmethod
    def completeness(
        records: list[CheckRecord], *, planned: int | None, stopped_by: str | None
    ) -> dict[str, Any]:
        """Complete when every collected check reported and none was left for want of time."""
        judged = sum(1 for r in records if r.status in JUDGED)
        planned = max(planned or 0, len(records))
        unjudged = sum(1 for r in records if r.no_verdict is NoVerdict.NOT_JUDGED)
        reason = stopped_by
        if reason is None and unjudged:
            reason = f"{unjudged} checks not judged: the time budget (--glue-max-time) was spent"
        if reason is None and len(records) < planned:
            reason = f"{planned - len(records)} checks never ran"
        return {"complete": reason is None, "planned": planned, "judged": judged, "reason": reason}
