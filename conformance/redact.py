"""Secrets never leave the suite: what is printed or recorded passes through here first."""

from __future__ import annotations

import re
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
