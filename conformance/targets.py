"""Where the endpoint comes from: a URL, or a server the suite starts itself (moto, or the
reference endpoint), and which credentials may be sent to it.

Real credentials go only to AWS hosts. Anything else gets fixed dummy credentials unless the user
explicitly asks otherwise, so an emulator's logs never receive a real access key.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import boto3
import botocore.session
import urllib3
from botocore.config import Config
from botocore.credentials import Credentials

from glue_conformance.schemas import model
from glue_conformance.transport import (
    RETRY_STATUSES,
    THROTTLING_CODES,
    RateLimiter,
    TargetUnavailable,
    url_problem,
)

DUMMY = Credentials("testing", "testing")
AWS_HOST_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")


class TargetError(Exception):
    """The target cannot be used at all (one line, shown as is)."""


def is_aws_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host.endswith(AWS_HOST_SUFFIXES)


@dataclass
class Target:
    url: str
    kind: str  # "moto" | "reference" | "url"
    region: str
    credentials: Credentials
    aws: bool
    checks_auth: bool = True
    version: str | None = None
    sdk_calls: int = 0  # HTTP requests sent by the clients `client()` made
    # --glue-max-rps, shared by the raw transport and every SDK client of this process
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(None))
    _stop: Any = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _clients: dict[int, Any] = field(default_factory=dict, repr=False)

    def close(self) -> None:
        if self._stop is not None:
            stop, self._stop = self._stop, None
            stop()

    def client(self, *, max_attempts: int = 2) -> Any:
        """A boto3 Glue client for this target, with client-side validation off. Made once per
        retry setting and shared (botocore clients are thread-safe): each new session would
        parse the whole Glue model again, about 0.1 s a client."""
        with self._lock:
            if max_attempts not in self._clients:
                self._clients[max_attempts] = self._new_client(max_attempts)
            return self._clients[max_attempts]

    def _new_client(self, max_attempts: int) -> Any:
        frozen = self.credentials.get_frozen_credentials()
        client = boto3.session.Session(botocore_session=_shared_session()).client(
            "glue",
            endpoint_url=self.url,
            region_name=self.region,
            aws_access_key_id=frozen.access_key,
            aws_secret_access_key=frozen.secret_key,
            aws_session_token=frozen.token,
            config=Config(
                parameter_validation=False,
                retries={"max_attempts": max_attempts, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
            ),
        )
        client.meta.events.register("before-send.glue", self._count_call)
        client.meta.events.register("after-call.glue", self._refuse_throttled)
        return client

    def _count_call(self, **_: Any) -> None:
        self.limiter.wait()
        with self._lock:
            self.sdk_calls += 1

    def _refuse_throttled(self, http_response: Any, parsed: Any, model: Any, **_: Any) -> None:
        """A call that stayed throttled (or 5xx) after botocore's retries is no answer to judge:
        it raises `TargetUnavailable`, which the suite reports as such, never as a verdict."""
        code = (parsed or {}).get("Error", {}).get("Code", "")
        status = getattr(http_response, "status_code", 0)
        if code in THROTTLING_CODES or status in RETRY_STATUSES:
            raise TargetUnavailable(
                "unavailable", self.url, f"{model.name} answered HTTP {status} {code}".rstrip()
            )


@functools.cache
def _shared_session() -> botocore.session.Session:
    """One botocore session per process, on the loader that already holds the Glue model (the
    schemas and strategies read it at start-up): the model is parsed once per process."""
    session = botocore.session.Session()
    session.register_component("data_loader", model.loader())
    return session


def resolve_credentials(url: str, *, profile: str | None, real_for_non_aws: bool) -> Credentials:
    """The default botocore chain for AWS hosts (or when asked); dummy credentials otherwise."""
    if not (is_aws_host(url) or real_for_non_aws):
        return DUMMY
    session = botocore.session.Session(profile=profile)
    credentials = session.get_credentials()
    if credentials is None:
        raise TargetError(f"{url} is an AWS endpoint but no AWS credentials were found")
    return credentials


def url_target(
    url: str, *, region: str, profile: str | None, real_credentials: bool, checks_auth: bool
) -> Target:
    problem = url_problem(url)
    if problem:
        raise TargetError(f"--target-url {url!r}: {problem}")
    return Target(
        url=url.rstrip("/"),
        kind="url",
        region=region,
        credentials=resolve_credentials(url, profile=profile, real_for_non_aws=real_credentials),
        aws=is_aws_host(url),
        checks_auth=checks_auth,
    )


def start_moto(*, region: str) -> Target:
    """moto's server on a free loopback port, in this process; stopped by `Target.close()`."""
    try:
        import moto
        from moto.server import ThreadedMotoServer
    except ImportError:
        raise TargetError(MOTO_HINT) from None
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        server.start()
    host, port = server.get_host_and_port()
    return Target(
        url=f"http://{host}:{port}",
        kind="moto",
        region=region,
        credentials=DUMMY,
        aws=False,
        checks_auth=True,
        version=f"moto {moto.__version__}",
        _stop=server.stop,
    )


def start_reference(
    *, region: str, faults: frozenset[str], variants: frozenset[str], stage_seconds: float
) -> Target:
    from glue_conformance.reference import ReferenceServer

    server = ReferenceServer(faults=faults, variants=variants, stage_seconds=stage_seconds).start()
    label = "reference"
    if faults or variants:
        label += " (" + ", ".join(sorted(faults | variants)) + ")"
    return Target(
        url=server.url,
        kind="reference",
        region=region,
        credentials=DUMMY,
        aws=False,
        version=label,
        _stop=server.stop,
    )


MOTO_HINT = (
    "the embedded target needs moto's server: pip install 'glue-conformance[moto]' "
    "(or point the suite at an endpoint with --target-url)"
)
MINISTACK_HINT = (
    "the ministack target needs ministack in a virtualenv of its own (it pins botocore "
    "1.43.106, the suite pins its own): python3 -m venv .ministack && .ministack/bin/pip install "
    "ministack==1.5.33, then GLUE_CONFORMANCE_MINISTACK=.ministack/bin/ministack"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ministack_executable() -> str:
    """GLUE_CONFORMANCE_MINISTACK, else `ministack` on PATH (raises TargetError with the hint)."""
    executable = os.environ.get("GLUE_CONFORMANCE_MINISTACK") or shutil.which("ministack")
    if not executable or not os.access(executable, os.X_OK):
        raise TargetError(MINISTACK_HINT)
    return executable


def embedded_available(kind: str) -> None:
    """Before anything starts: what an embedded target needs is there (raises TargetError)."""
    if kind == "ministack":
        ministack_executable()
    elif kind == "moto" and importlib.util.find_spec("moto") is None:
        raise TargetError(MOTO_HINT)


def start_ministack(*, region: str, startup_s: float = 30.0) -> Target:
    """ministack's server as a child process on a free loopback port, Glue only, state in
    memory (a new process per run, so nothing of another run is seen); stopped by
    `Target.close()`. The executable: GLUE_CONFORMANCE_MINISTACK, else `ministack` on PATH."""
    executable = ministack_executable()
    port = _free_port()
    environment = {
        **os.environ,
        "GATEWAY_PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "SERVICES": "glue",
        "PERSIST_STATE": "0",
        "LOG_LEVEL": "WARNING",
        "MINISTACK_REGION": region,
    }
    process = subprocess.Popen(
        [executable],
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + startup_s
    while True:
        if process.poll() is not None:
            raise TargetError(f"ministack ({executable}) exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        if time.monotonic() > deadline:
            process.kill()
            raise TargetError(f"ministack ({executable}) did not listen within {startup_s:g} s")
        time.sleep(0.05)

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

    return Target(
        url=f"http://127.0.0.1:{port}",
        kind="ministack",
        region=region,
        credentials=DUMMY,
        aws=False,
        version=_ministack_version(executable),
        _stop=stop,
    )


def _ministack_version(executable: str) -> str:
    """'ministack 1.5.33', read from the virtualenv the executable lives in."""
    python = os.path.join(os.path.dirname(executable), "python")
    try:
        found = subprocess.run(
            [python, "-c", "import importlib.metadata as m; print(m.version('ministack'))"],
            capture_output=True,
            text=True,
            timeout=20,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        found = ""
    return f"ministack {found}" if found else "ministack"


_MOTO_LOCK = threading.Lock()


def moto_step_lifecycle(target: Target) -> None:
    """Make moto advance a job run one state per GetJobRun call (STARTING, RUNNING, SUCCEEDED)
    instead of answering SUCCEEDED at once, so the life cycle can be polled without sleeping."""
    body = json.dumps(
        {"model_name": "glue::job_run", "transition": {"progression": "manual", "times": 1}}
    )
    with _MOTO_LOCK:
        urllib3.request(
            "POST", f"{target.url}/moto-api/state-manager/set-transition", body=body, retries=False
        )
