"""Turning recorded wire text into something every view can show without lying or breaking.

Bodies come from a fuzzer: lone surrogates cannot be encoded as UTF-8 (the file write would fail),
control characters are illegal in XML 1.0 (the JUnit file would not parse), and invisible or
bidirectional characters would make a report show something other than what was sent. All of
them become visible `\\uXXXX` escapes, the notation JSON itself uses, so a reader can tell exactly
which code point travelled.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

# C0 controls except tab and newline; DEL and C1 controls; surrogates (in a Python str every
# surrogate is a lone one); zero-width and direction marks; line/paragraph separators; bidi
# embeddings, overrides and isolates; BOM; the two non-characters XML forbids.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\u2028-\u202e\u2060-\u2069"
    "\ufeff\ufffe\uffff]"
)
BODY_LIMIT = 20_000


def escape_char(char: str) -> str:
    return f"\\u{ord(char):04x}"


def safe(text: str) -> str:
    """Text with every unsafe code point replaced by its visible escape."""
    return UNSAFE.sub(lambda m: escape_char(m.group()), text)


def safe_with(text: str, plain: Callable[[str], str], escaped: Callable[[str], str]) -> str:
    """Like `safe`, but lets a view mark up the escapes (`escaped`) apart from ordinary runs."""
    out: list[str] = []
    last = 0
    for match in UNSAFE.finditer(text):
        out.append(plain(text[last : match.start()]))
        out.append(escaped(escape_char(match.group())))
        last = match.end()
    out.append(plain(text[last:]))
    return "".join(out)


def one_line(text: str) -> str:
    """For table cells and headings: line breaks shown as spaces so a cell cannot break a table."""
    return " ".join(text.replace("\r", " ").split("\n")).strip()


def pretty_body(body: str) -> str:
    """A JSON body indented for reading; anything else exactly as it came.

    json.dumps keeps lone surrogates as raw code points (ensure_ascii=False), which `safe` later
    shows as \\ud800, the same spelling the JSON on the wire used.
    """
    stripped = body.strip()
    if stripped[:1] in ("{", "["):
        try:
            return json.dumps(json.loads(stripped), indent=2, ensure_ascii=False)
        except (ValueError, RecursionError):
            return body
    return body


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    rest = len(text) - limit
    return f"{text[:limit]}\n… ({rest:,} more characters; the whole text is in results.json)"


def headers_text(headers: Mapping[str, str]) -> str:
    return "\n".join(f"{name}: {value}" for name, value in headers.items())


def request_text(request: Mapping[str, Any], limit: int = BODY_LIMIT) -> str:
    head = f"{request['method']} {request['url']}"
    headers = headers_text(request["headers"])
    body = truncate(pretty_body(str(request["body"])), limit)
    return "\n".join(part for part in (head, headers) if part) + ("\n\n" + body if body else "")


def response_text(response: Mapping[str, Any], limit: int = BODY_LIMIT) -> str:
    head = f"HTTP {response['status']}"
    headers = headers_text(response["headers"])
    body = truncate(pretty_body(str(response["body"])), limit)
    return "\n".join(part for part in (head, headers) if part) + ("\n\n" + body if body else "")


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def when(stamp: str) -> str:
    """2026-11-25T05:00:00Z -> 2026-11-25 05:00:00 UTC (fractions dropped: noise in a headline)."""
    date, _, time = stamp.partition("T")
    return f"{date} {time[:8]} UTC"


def pct(value: float) -> str:
    return f"{value:.1f} %"
