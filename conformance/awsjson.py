"""Reading an answer the way an AWS JSON 1.1 client does (smithy awsJson1_1 rules).

The error type may travel in the `X-Amzn-Errortype` header, a body `code`, or a body `__type`;
clients keep the part before the first `:` and then the part after the last `#`, so
`com.amazon.coral.service#SerializationException` and
`ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/` both resolve.
Framework errors use `message`, Glue's modelled errors `Message`: both are read.
"""

from __future__ import annotations

from dataclasses import dataclass

from glue_conformance.transport import Exchange


def sanitize_error_type(raw: str) -> str:
    return raw.split(":", 1)[0].rsplit("#", 1)[-1].strip()


@dataclass(frozen=True)
class ErrorInfo:
    type: str | None  # sanitized; None when the answer names no type anywhere
    raw_type: str | None
    source: str | None  # "header" | "__type" | "code"
    message: str | None


def error_info(exchange: Exchange) -> ErrorInfo:
    body = exchange.json if isinstance(exchange.json, dict) else {}
    candidates = [
        ("header", exchange.header("x-amzn-errortype")),
        ("code", body.get("code")),
        ("__type", body.get("__type")),
    ]
    raw, source = None, None
    for where, value in candidates:
        if isinstance(value, str) and sanitize_error_type(value):
            raw, source = value, where
            break
    message = body.get("message", body.get("Message"))
    return ErrorInfo(
        type=sanitize_error_type(raw) if raw else None,
        raw_type=raw,
        source=source,
        message=message if isinstance(message, str) else None,
    )


def content_type(exchange: Exchange) -> str:
    """The media type without parameters, lower-cased ("" when absent)."""
    return (exchange.header("content-type") or "").split(";", 1)[0].strip().lower()


def describe(exchange: Exchange, limit: int = 300) -> str:
    """`HTTP 400 application/json {"__type": ...}`: the answer in one short line."""
    text = exchange.body[:limit].decode("utf-8", "backslashreplace")
    more = "..." if len(exchange.body) > limit else ""
    return f"HTTP {exchange.status} {content_type(exchange) or '(no content-type)'} {text}{more}"
