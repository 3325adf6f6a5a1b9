"""One exchange with the target: a request signed by botocore's SigV4 signer, raw bytes both ways.

botocore's own client validates and re-encodes what it sends, so the invalid inputs this suite
exists for would never leave the machine. Here the body is exactly the bytes chosen (dicts become
ASCII JSON, so lone surrogates travel as `\\ud800` escapes), and the answer is recorded as it came:
status, headers, body. Connections are pooled and kept alive; redirects are never followed, so a
request can only ever reach the target URL.
"""

from __future__ import annotations

import functools
import http.client
import json
import random
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import urllib3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from glue_conformance.schemas.sizes import answer_bytes

JSON_11 = "application/x-amz-json-1.1"
TARGET_PREFIX = "AWSGlue"
# What an answer of an operation the model gives no JobRun to bound by (a StartJobRun's, an
# error's) is read to; GetJobRun and GetJobRuns answers are read to their own largest size
# (`glue_conformance.schemas.sizes`): anything longer is junk.
DEFAULT_MAX_BODY = 4 * 1024 * 1024


class TransportError(Exception):
    """The target could not be asked at all; `kind` classifies why, for a one-line message."""

    def __init__(
        self, kind: str, url: str, detail: str, request: SentRequest | None = None
    ) -> None:
        url = url.rstrip("/")
        super().__init__(f"{kind}: {url}: {detail}")
        self.kind, self.url, self.detail = kind, url, detail
        self.request = request  # what was being sent, when it got that far


class TargetUnavailable(TransportError):
    """The target kept throttling or failing over: not a conformance verdict."""


UNAVAILABLE = "target unavailable"  # how a check left unjudged for that reason is labelled


def encode_body(body: Any) -> bytes:
    """Bytes as sent: bytes/str pass through; anything else is ASCII JSON (lone surrogates are
    escaped, astral characters become escaped pairs, as botocore does)."""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8", "surrogatepass")
    return json.dumps(body, ensure_ascii=True, separators=(",", ":")).encode("ascii")


@dataclass(frozen=True)
class SentRequest:
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes
    signed: bool


def sdk_request(url: str, operation: str, body: Any) -> SentRequest:
    """An SDK client's request (botocore's events see its body) as this transport sends one:
    the JSON 1.1 headers, signed, so its reproductions are those of every other request."""
    return SentRequest(
        "POST",
        url.rstrip("/") + "/",
        {"Content-Type": JSON_11, "X-Amz-Target": f"{TARGET_PREFIX}.{operation}"},
        encode_body(body if body is not None else b""),
        True,
    )


@dataclass(frozen=True)
class Exchange:
    """One request and the answer to it, as raw as HTTP allows."""

    request: SentRequest
    status: int
    headers: Mapping[str, str]  # keys lower-cased
    body: bytes
    elapsed_s: float
    attempts: int = 1
    truncated: bool = False
    # The client's wall clock when the answer had arrived (epoch seconds): what the answer's
    # timestamps are held against (evidence section 16).
    received_at: float = 0.0

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @functools.cached_property
    def json(self) -> Any:
        """The body parsed as JSON, or None when it is not JSON (see `json_problem`)."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None

    @property
    def json_problem(self) -> str | None:
        if self.truncated:
            return f"body larger than the {len(self.body)} bytes read"
        try:
            json.loads(self.body.decode("utf-8"))
        except UnicodeDecodeError as error:
            return f"body is not UTF-8 ({error.reason} at byte {error.start})"
        except ValueError as error:
            return f"body is not JSON ({error})"
        return None


# Error codes AWS uses for "slow down" (evidence section 6: Glue sends ThrottlingException).
THROTTLING_CODES = frozenset(
    {"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded"}
)
RETRY_STATUSES = frozenset({429, 502, 503, 504})


@dataclass
class RetryPolicy:
    """Throttling and gateway errors are retried, boundedly, with full jitter; a persistent one
    becomes `TargetUnavailable`. A 500 is an answer, not retried: emulators answer 500 for bugs."""

    attempts: int = 4
    base_s: float = 0.2
    cap_s: float = 5.0
    retry_statuses: frozenset[int] = RETRY_STATUSES

    def should_retry(self, status: int, body: bytes) -> bool:
        return status in self.retry_statuses or (
            status == 400 and b"ThrottlingException" in body[:2048]
        )

    def delay(self, attempt: int) -> float:
        return random.uniform(0, min(self.cap_s, self.base_s * 2**attempt))


@dataclass
class RateLimiter:
    """At most `rate` requests a second across all threads (None: unlimited)."""

    rate: float | None
    _next: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self) -> None:
        if not self.rate:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + 1.0 / self.rate
        if start > now:
            time.sleep(start - now)


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a target (None when it can): an http(s)://host[:port] URL."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a port that is not a number or out of range raises here)
    except ValueError as error:
        return f"expected http(s)://host[:port] ({error})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "expected http(s)://host[:port]"
    return None


class Transport:
    """Sends GetJobRun (and other Glue) requests to one endpoint."""

    def __init__(
        self,
        url: str,
        *,
        region: str,
        credentials: Credentials | None,
        timeout_s: float = 10.0,
        max_body_bytes: int | None = None,  # None: each operation's largest answer
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        problem = url_problem(url)
        if problem:
            raise TransportError("bad-url", url, problem)
        self.url = url.rstrip("/") + "/"
        self.region = region
        self.credentials = credentials
        self.timeout = urllib3.Timeout(connect=min(timeout_s, 5.0), read=timeout_s)
        self.max_body_bytes = max_body_bytes
        self.retry = retry or RetryPolicy()
        # --glue-max-rps: the target's limiter, shared with its SDK clients (None: unlimited)
        self.limiter = limiter or RateLimiter(None)
        self.pool = urllib3.PoolManager(num_pools=4, maxsize=16, retries=False)
        self.sent = 0  # HTTP requests sent, retries included
        self._count_lock = threading.Lock()

    def close(self) -> None:
        self.pool.clear()

    def send(
        self,
        body: Any,
        *,
        operation: str = "GetJobRun",
        target_header: str | None = None,
        content_type: str = JSON_11,
        sign: bool = True,
        headers: Mapping[str, str] | None = None,
        max_body_bytes: int | None = None,
    ) -> Exchange:
        """POST `body` as the AWS JSON 1.1 call `operation` and return the raw answer (read up
        to `max_body_bytes`, where the caller knows a tighter bound than the operation's)."""
        payload = encode_body(body)
        limit = max_body_bytes or self._body_limit(
            target_header or f"{TARGET_PREFIX}.{operation}", body
        )
        request_headers = {
            "Content-Type": content_type,
            "X-Amz-Target": target_header or f"{TARGET_PREFIX}.{operation}",
            **(headers or {}),
        }
        attempts = 0
        while True:
            attempts += 1
            sent = self._prepare(payload, request_headers, sign=sign)
            exchange = self._exchange(sent, attempts, limit)
            if not self.retry.should_retry(exchange.status, exchange.body):
                return exchange
            if attempts >= self.retry.attempts:
                raise TargetUnavailable(
                    "unavailable",
                    self.url,
                    f"HTTP {exchange.status} after {attempts} attempts "
                    f"({exchange.body[:80].decode('utf-8', 'replace')!r})",
                )
            time.sleep(self.retry.delay(attempts))

    def _body_limit(self, target: str, body: Any) -> int:
        """How much of the answer is read: the bound set, else the largest answer the model
        allows the operation named (a page of MaxResults runs for GetJobRuns)."""
        if self.max_body_bytes is not None:
            return self.max_body_bytes
        operation = target.rsplit(".", 1)[-1] if target.startswith(f"{TARGET_PREFIX}.") else ""
        return answer_bytes(operation, body) or DEFAULT_MAX_BODY

    def _prepare(self, payload: bytes, headers: Mapping[str, str], *, sign: bool) -> SentRequest:
        request = AWSRequest(method="POST", url=self.url, data=payload, headers=dict(headers))
        if sign:
            if self.credentials is None:
                raise TransportError("no-credentials", self.url, "no credentials to sign with")
            # Signed fresh each time: the date and the body hash are part of the signature.
            SigV4Auth(self.credentials, "glue", self.region).add_auth(request)
        return SentRequest("POST", self.url, dict(request.headers.items()), payload, sign)

    def _exchange(self, sent: SentRequest, attempts: int, limit: int) -> Exchange:
        """One answer. If the connection closes before a byte of it, the server had let that
        kept-alive connection go (an idle timeout, or a close after its last answer) before the
        request reached it: the request is sent once more on a new connection. A server that
        closes every connection without answering fails again, and that is what is reported."""
        try:
            return self._exchange_once(sent, attempts, limit)
        except _NotAnswered:
            self.pool.clear()  # every idle connection may be as stale
        except urllib3.exceptions.HTTPError as error:
            raise self._failure(error, sent) from None
        try:
            return self._exchange_once(sent, attempts, limit)
        except urllib3.exceptions.HTTPError as error:
            raise self._failure(error, sent) from None

    def _failure(self, error: Exception, sent: SentRequest) -> TransportError:
        failure = classify(error, sent.url, self.timeout.read_timeout)
        failure.request = sent
        return failure

    def _exchange_once(self, sent: SentRequest, attempts: int, limit: int) -> Exchange:
        self.limiter.wait()
        with self._count_lock:
            self.sent += 1
        started = time.perf_counter()
        try:
            response = self.pool.urlopen(
                "POST",
                sent.url,
                body=sent.body,
                headers=dict(sent.headers),
                redirect=False,
                timeout=self.timeout,
                preload_content=False,
            )
        except urllib3.exceptions.ProtocolError as error:
            if _closed_before_answering(error):
                raise _NotAnswered(*error.args) from error
            raise
        try:
            body = response.read(limit + 1)
            if len(body) > limit:
                response.close()  # the rest is junk: never hand this connection on
        finally:
            response.release_conn()
        truncated = len(body) > limit
        return Exchange(
            request=sent,
            status=response.status,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=body[:limit],
            elapsed_s=time.perf_counter() - started,
            attempts=attempts,
            truncated=truncated,
            received_at=time.time(),
        )


class _NotAnswered(urllib3.exceptions.ProtocolError):
    """The connection closed before the status line: the request may never have been read."""


def _closed_before_answering(error: urllib3.exceptions.ProtocolError) -> bool:
    """The connection was closed before a single byte of answer: the request never reached a
    handler (a kept-alive connection the server had already let go)."""
    return isinstance(
        _cause(error), http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError
    )


def _cause(error: urllib3.exceptions.ProtocolError) -> object:
    """What urllib3 wrapped: ProtocolError(message, the http.client or socket error)."""
    return error.args[1] if len(error.args) > 1 else None


def classify(error: Exception, url: str, timeout_s: float | None = None) -> TransportError:
    """A transport failure as one plain phrase: what went wrong, not a traceback."""
    text = str(error)
    reason = getattr(error, "reason", None)
    chain = f"{text} {reason!r}"
    if isinstance(error, urllib3.exceptions.SSLError) or "SSL" in chain or "certificate" in chain:
        return TransportError("tls", url, "TLS handshake failed (" + text[:160] + ")")
    if "Name or service not known" in chain or "getaddrinfo" in chain or "NameResolution" in chain:
        return TransportError("dns", url, "host name does not resolve")
    if "Connection refused" in chain:
        return TransportError("unreachable", url, "connection refused")
    if isinstance(error, urllib3.exceptions.ReadTimeoutError) or "timed out" in chain:
        waited = f" of {timeout_s:g} s (--glue-request-timeout)" if timeout_s is not None else ""
        return TransportError("timeout", url, f"no answer within the timeout{waited}")
    if isinstance(error, urllib3.exceptions.ProtocolError):
        cause = _cause(error)
        if isinstance(cause, http.client.IncompleteRead):
            partial: Any = cause.partial  # urllib3 keeps a count, http.client (typeshed) bytes
            got = partial if isinstance(partial, int) else len(partial)
            missing = cause.expected
            return TransportError(
                "protocol",
                url,
                f"connection closed mid-answer ({got} bytes read, {missing} more "
                "announced by Content-Length)",
            )
        if isinstance(cause, http.client.BadStatusLine) and not isinstance(
            cause, http.client.RemoteDisconnected
        ):
            return TransportError("protocol", url, f"the answer is not HTTP ({str(cause)[:60]!r})")
        if isinstance(cause, http.client.RemoteDisconnected | ConnectionError):
            return TransportError("protocol", url, "connection closed without an answer")
        return TransportError("protocol", url, f"broken HTTP answer ({text[:160]})")
    return TransportError("unreachable", url, text[:200])
