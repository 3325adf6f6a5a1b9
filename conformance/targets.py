"""Where the endpoint comes from: a URL, or a server the suite starts itself (moto, or the
reference endpoint), and which credentials may be sent to it.

Real credentials go only to AWS hosts. Anything else gets fixed dummy credentials unless the user
explicitly asks otherwise, so an emulator's logs never receive a real access key.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
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
    Exchange,
    RateLimiter,
    TargetUnavailable,
    Transport,
    TransportError,
    sdk_request,
    url_problem,
)

DUMMY = Credentials("testing", "testing")
AWS_HOST_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")
# Where a refused SDK call's exchange rides: botocore raises its ClientError with the very dict
# the after-call event saw as `parsed` for its `response` (read it with `refused_exchange`).
SDK_EXCHANGE = "GlueConformanceExchange"
_SENT = "glue_conformance_call"  # (clock, body) of a call, in botocore's per-call context


def refused_exchange(error: BaseException) -> Exchange | None:
    """The request and answer of an SDK call the target refused (the ClientError of a client
    `Target.client` made), so a verdict on the refusal shows and reproduces them; None for any
    other error."""
    response = getattr(error, "response", None)
    exchange = response.get(SDK_EXCHANGE) if isinstance(response, dict) else None
    return exchange if isinstance(exchange, Exchange) else None


class TargetError(Exception):
    """The target cannot be used at all (one line, shown as is)."""


def is_aws_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host.endswith(AWS_HOST_SUFFIXES)


@dataclass
class Target:
    url: str
    kind: str  # "moto" | "ministack" | "moto-ext" | "reference" | "url"
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
        client.meta.events.register("before-call.glue", _note_sent)
        client.meta.events.register("after-call.glue", self._keep_refusal)
        client.meta.events.register("after-call.glue", self._refuse_throttled)
        return client

    def _keep_refusal(
        self, http_response: Any, parsed: Any, model: Any, context: dict[str, Any], **_: Any
    ) -> None:
        """A refused call's request and answer go on its error (`refused_exchange`): the SDK
        keeps neither, and a verdict on the refusal shows both."""
        status = getattr(http_response, "status_code", None)
        if not isinstance(status, int) or status < 300 or not isinstance(parsed, dict):
            return
        began, body = context.get(_SENT, (time.monotonic(), b""))
        headers = getattr(http_response, "headers", None) or {}
        parsed[SDK_EXCHANGE] = Exchange(
            sdk_request(self.url, model.name, body),
            status,
            {str(k).lower(): str(v) for k, v in headers.items()},
            getattr(http_response, "content", None) or b"",
            time.monotonic() - began,
            received_at=time.time(),
        )

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


def _note_sent(params: Any, context: dict[str, Any], **_: Any) -> None:
    """The body botocore serialised, and when, for the call's exchange (`_keep_refusal`)."""
    body = params.get("body") if isinstance(params, dict) else None
    context[_SENT] = (time.monotonic(), body)


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
    except ImportError:
        raise TargetError(MOTO_HINT) from None
    server = _moto_server()
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


def _moto_server() -> Any:
    """moto's threaded server, whose dispatcher remembers which backend serves each host.

    moto's dispatcher finds it anew for every request, under one lock: it lists moto's package
    folder (a listdir and some 250 isdir calls) before it matches the host. A suite that sends
    hundreds of requests to a server in its own process paid for that in every one; the answers
    are moto's all the same (the folder does not change while it runs). Where moto's internals
    differ from these, its own server runs as it is."""
    from moto.server import ThreadedMotoServer

    try:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication as Dispatcher
        from moto.moto_server.werkzeug_app import MotoRequestHandler, create_backend_app
        from werkzeug.serving import make_server
    except ImportError:
        return ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)

    class Remembering(Dispatcher):
        def __init__(self, create_app: Callable[..., Any]) -> None:
            super().__init__(create_app)
            self.backends: dict[str | None, Any] = {}

        def get_backend_for_host(self, host: str | None) -> Any:
            if host not in self.backends:
                self.backends[host] = super().get_backend_for_host(host)
            return self.backends[host]

    class Server(ThreadedMotoServer):
        def _server_entry(self) -> None:
            app = Remembering(create_backend_app)
            self._server = make_server(
                self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
            )
            self._server_ready_event.set()
            self._server.serve_forever(poll_interval=0.05)  # (stop() waits for a poll: 0.5 s)

    return Server(ip_address="127.0.0.1", port=0, verbose=False)


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


def embedded_release(kind: str) -> str | None:
    """The installed release of an embedded emulator the suite can tell without starting it
    (its baseline's entries are picked for it): moto's distribution; None for the others, whose
    baselines know one release each, and for a URL."""
    if kind != "moto":
        return None
    try:
        return importlib.metadata.version("moto")
    except importlib.metadata.PackageNotFoundError:
        return None


def embedded_available(kind: str) -> None:
    """Before anything starts: what an embedded target needs is there (raises TargetError)."""
    if kind == "ministack":
        ministack_executable()
    elif kind == "moto-ext":
        moto_ext_install()
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
    _wait_listening(process, port, f"ministack ({executable})", startup_s, process.kill)

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
# moto and its fork share moto's state manager (`/moto-api/state-manager`)
MOTO_FAMILY = ("moto", "moto-ext")


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


# --- moto-ext: LocalStack's fork of moto, in a virtualenv of its own -----------------------------

MOTO_EXT_ENV = "GLUE_CONFORMANCE_MOTO_EXT"
MOTO_EXT_PIN = "5.1.54"
# moto-ext installs as the import package `moto`, so it cannot share a virtualenv with moto. Its
# plain requirements leave out pyparsing, which its Glue module imports (only its `glue` and
# `server` extras bring it); moto_server needs flask and flask-cors (the `server` extra brings
# them with much else: cfn-lint, docker, aws-sam-translator).
MOTO_EXT_PACKAGES = (
    f"'moto-ext[glue]=={MOTO_EXT_PIN}' pyparsing==3.3.3 flask==3.1.3 flask-cors==6.0.5"
)
MOTO_EXT_INSTALL = (
    f"python3 -m venv .moto-ext && .moto-ext/bin/pip install {MOTO_EXT_PACKAGES}, then "
    f"{MOTO_EXT_ENV}=.moto-ext/bin/moto_server"
)
MOTO_EXT_HINT = (
    "the moto-ext target needs moto-ext's moto_server from a virtualenv of its own (moto-ext "
    f"installs as the package moto, beside which it cannot live): {MOTO_EXT_INSTALL}"
)

# Run by the virtualenv's own python: what is installed there, without starting the server.
_MOTO_EXT_PROBE = """
import importlib.metadata as m, importlib.util as u, json
def version(name):
    try:
        return m.version(name)
    except m.PackageNotFoundError:
        return None
print(json.dumps({
    "moto-ext": version("moto-ext"),
    "moto": version("moto"),
    "missing": [n for n in ("pyparsing", "flask", "flask_cors") if u.find_spec(n) is None],
}))
"""


@dataclass(frozen=True)
class MotoExtInstall:
    executable: str
    version: str | None  # moto-ext's own (its `moto.__version__` says 5.1.21.dev)
    problem: str | None = None  # what is wrong with the install, with its fix
    fix: str = ""


@functools.cache
def probe_moto_ext(executable: str) -> MotoExtInstall:
    """What the virtualenv of `executable` (an absolute path) holds, asked of its own python."""
    python = os.path.join(os.path.dirname(executable), "python")
    pip = os.path.join(os.path.dirname(executable), "pip")
    try:
        found = subprocess.run(
            [python, "-c", _MOTO_EXT_PROBE], capture_output=True, text=True, timeout=30
        )
        facts = json.loads(found.stdout)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        # Not a virtualenv's bin (no python beside it): the server is judged once started.
        return MotoExtInstall(executable, None)
    version = facts["moto-ext"]
    if version is None:
        moto = f"moto {facts['moto']}'s" if facts["moto"] else "not moto-ext's"
        return MotoExtInstall(
            executable,
            None,
            f"{MOTO_EXT_ENV}={executable} is {moto} server: moto-ext is not installed there",
            MOTO_EXT_INSTALL,
        )
    if facts["missing"]:
        missing = ", ".join(facts["missing"])
        return MotoExtInstall(
            executable,
            version,
            f"moto-ext {version} at {MOTO_EXT_ENV}={executable} lacks {missing} (moto-ext does "
            "not require pyparsing, which its Glue module imports: every Glue call would answer "
            "an HTML 500; moto_server needs flask and flask-cors)",
            f"{pip} install {MOTO_EXT_PACKAGES}",
        )
    return MotoExtInstall(executable, version)


def moto_ext_install() -> MotoExtInstall:
    """GLUE_CONFORMANCE_MOTO_EXT's moto_server and what its virtualenv holds (raises
    TargetError with the hint when it is not set or not an executable)."""
    executable = os.environ.get(MOTO_EXT_ENV)
    if not executable or not os.access(executable, os.X_OK) or os.path.isdir(executable):
        raise TargetError(MOTO_EXT_HINT)
    install = probe_moto_ext(os.path.abspath(executable))
    if install.problem:
        raise TargetError(f"{install.problem} ({install.fix})")
    return install


def _serves_glue(status: int, error_type: str | None, body: bytes) -> bool:
    """An AWS JSON 1.1 answer to GetJobRun of a job that does not exist: a 4xx whose error type
    is in the header or the body (not the HTML 500 of a Glue module that cannot import)."""
    if not 400 <= status < 500:
        return False
    if error_type:
        return True
    try:
        return "__type" in json.loads(body)
    except (ValueError, TypeError):
        return False


def start_moto_ext(*, region: str, startup_s: float = 60.0) -> Target:
    """moto-ext's moto_server as a child process on a free loopback port, state in memory (a
    new process per run, so nothing of another run is seen), ready once its Glue answers one
    GetJobRun in AWS JSON 1.1 (which also loads its Glue module before the first check);
    stopped by `Target.close()`."""
    install = moto_ext_install()
    executable = install.executable
    port = _free_port()
    process = subprocess.Popen(
        [executable, "-H", "127.0.0.1", "-p", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

    url = f"http://127.0.0.1:{port}"
    _wait_listening(process, port, f"moto-ext ({executable})", startup_s, stop)
    transport = Transport(url, region=region, credentials=DUMMY, timeout_s=startup_s)
    try:
        answer = transport.send({"JobName": "glue-conformance-absent", "RunId": "jr_absent"})
    except TransportError as error:
        stop()
        raise TargetError(f"moto-ext ({executable}) listened, then: {error}") from None
    finally:
        transport.close()
    if not _serves_glue(answer.status, answer.header("x-amzn-errortype"), answer.body):
        stop()
        raise TargetError(
            f"moto-ext ({executable}) cannot serve Glue: GetJobRun answered HTTP "
            f"{answer.status} {answer.header('content-type') or ''} (in its virtualenv: "
            f"{os.path.dirname(executable)}/pip install {MOTO_EXT_PACKAGES})"
        )
    return Target(
        url=url,
        kind="moto-ext",
        region=region,
        credentials=DUMMY,
        aws=False,
        version=f"moto-ext {install.version}" if install.version else "moto-ext",
        sdk_calls=1,  # the readiness GetJobRun, counted with the run's requests
        _stop=stop,
    )


def _wait_listening(
    process: subprocess.Popen[bytes],
    port: int,
    what: str,
    startup_s: float,
    give_up: Callable[[], None],
) -> None:
    """Until the child listens on its loopback port; a child that exits or does not listen
    within `startup_s` is a TargetError (after `give_up` for the one that does not listen)."""
    deadline = time.monotonic() + startup_s
    while True:
        if process.poll() is not None:
            raise TargetError(f"{what} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        if time.monotonic() > deadline:
            give_up()
            raise TargetError(f"{what} did not listen within {startup_s:g} s")
        time.sleep(0.05)
