"""Secrets never leave the suite: what is printed or recorded passes through here first."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

SECRET_KEY = re.compile(r"pass(word)?|secret|token|credential|private|(^|[-_])key($|[-_])", re.I)
SECRET_HEADERS = {"authorization", "x-amz-security-token", "x-amz-content-sha256-signature"}
_SIGNATURE = re.compile(r"(Signature=|X-Amz-Signature=|X-Amz-Security-Token=)[^,&\s\"']+", re.I)
MASK = "***"


def redact_text(text: str) -> str:
    return _SIGNATURE.sub(lambda m: m.group(1) + MASK, text)


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    return {
        k: (MASK if k.lower() in SECRET_HEADERS else redact_text(v)) for k, v in headers.items()
    }


def redact_json(value: Any, *, key: str = "") -> Any:
    """Mask values whose key looks secret (e.g. `--db-password` in Arguments), recursively."""
    if isinstance(value, dict):
        return {
            k: MASK if isinstance(v, str) and SECRET_KEY.search(str(k)) else redact_json(v, key=k)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact_json(v, key=key) for v in value]
    return value


# A header's value wherever it is written: `Authorization: ...`, `'X-Amz-Security-Token': b'...'`
# (botocore's DEBUG lines print the prepared request's headers as a dict).
_SECRET_HEADER_VALUE = re.compile(
    r"((?:authorization|x-amz-security-token)['\"]?\s*[:=]\s*b?['\"]?)([^'\"\r\n}]+)", re.I
)
_LITERALS: set[str] = set()  # exact secret values of this run (the credentials it signs with)


def redact_log_text(text: str) -> str:
    text = _SECRET_HEADER_VALUE.sub(lambda m: m.group(1) + MASK, text)
    text = redact_text(text)
    for literal in _LITERALS:
        text = text.replace(literal, MASK)
    return text


def mask_in_logs(values: Iterable[str | None]) -> None:
    """Mask these exact values (a secret key, a session token) in every later log record."""
    _LITERALS.update(v for v in values if v and len(v) >= 8)


def redact_logs() -> None:
    """From now on every log record's message is redacted before any handler sees it: pytest's
    captured and live logs, junit's system-out, a log file. botocore's DEBUG lines carry the
    Authorization header and the security token of every SDK request."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacts", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: logging reports it when the record is emitted
            return record
        clean = redact_log_text(message)
        if clean != message:
            record.msg, record.args = clean, None
        return record

    factory.redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
