"""Small local servers that misbehave on purpose, for the suite's own tests."""

from __future__ import annotations

import http.server
import json
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

Handler = Callable[[http.server.BaseHTTPRequestHandler, bytes], tuple[int, dict[str, str], bytes]]


@contextmanager
def serve(
    handler: Handler, wrap: Callable[[socket.socket], socket.socket] | None = None
) -> Iterator[tuple[str, list[dict[str, object]]]]:
    """A threaded HTTP/1.1 server on a free loopback port; yields its URL and the requests seen."""
    seen: list[dict[str, object]] = []

    class Handle(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append({"headers": dict(self.headers), "body": body, "path": self.path})
            status, headers, payload = handler(self, body)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handle)
    if wrap is not None:
        server.socket = wrap(server.socket)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def json_answer(status: int, body: object, **headers: str) -> Handler:
    def handle(
        _: http.server.BaseHTTPRequestHandler, __: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        return (
            status,
            {"Content-Type": "application/x-amz-json-1.1", **headers},
            json.dumps(body).encode(),
        )

    return handle


@contextmanager
def _raw(serve_one: Callable[[socket.socket], None]) -> Iterator[str]:
    """A bare TCP listener on a free loopback port; each connection it accepts is handed to
    `serve_one`, in the accepting thread. Yields the URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.1)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            serve_one(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        listener.close()


@contextmanager
def silent() -> Iterator[str]:
    """Accepts connections and reads what is sent, but never answers."""
    held: list[socket.socket] = []
    try:
        with _raw(held.append) as url:
            yield url
    finally:
        for connection in held:
            connection.close()


def _read_request(connection: socket.socket) -> bytes:
    """One whole HTTP request: headers and the body Content-Length announces (a client may send
    them in separate segments)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


@contextmanager
def hangs_up(times: int | None) -> Iterator[tuple[str, list[bytes]]]:
    """Reads a request and closes the connection without a word, the first `times` times (every
    time for None), as a server does with a kept-alive connection it has let go; later requests
    get a not-found answer. Yields the URL and the requests read, one per connection."""
    seen: list[bytes] = []
    answer = json.dumps({"__type": "EntityNotFoundException", "Message": "not found"}).encode()

    def serve_one(connection: socket.socket) -> None:
        with connection:
            seen.append(_read_request(connection))
            if times is None or len(seen) <= times:
                return  # closed, unanswered
            connection.sendall(
                b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.1\r\n"
                + f"Content-Length: {len(answer)}\r\nConnection: close\r\n\r\n".encode()
                + answer
            )

    with _raw(serve_one) as url:
        yield url, seen


@contextmanager
def tls(handler: Handler, cert_dir: Path) -> Iterator[str]:
    """`serve` behind TLS with a fresh self-signed certificate (no client trusts it)."""
    cert, key = cert_dir / "cert.pem", cert_dir / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with serve(handler, wrap=lambda sock: context.wrap_socket(sock, server_side=True)) as (url, _):
        yield url.replace("http://", "https://")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
