"""What every check shares: the context it runs in and the `Deviation` it raises.

A deviation's text is what a user reads first, so it names the rule and its evidence, says what
was observed, shows the request and the answer, and ends with one-line reproductions. The same
parts, computed once, are what results.json records of it (`request_entry`, `response_entry`,
`commands`).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from glue_conformance import repro
from glue_conformance.awsjson import describe
from glue_conformance.redact import redact_headers, redact_json, redact_text
from glue_conformance.rules import Rule
from glue_conformance.transport import Exchange, SentRequest

BODY_LIMIT = 400  # characters of a body in a deviation's text
ENTRY_LIMIT = 65536  # characters of a body in results.json


@dataclass(frozen=True)
class Context:
    """How the checks read the target: region and AWS-ness (for reproductions), and tolerances."""

    region: str = "us-east-1"
    aws: bool = False
    tolerate_invalid_input: bool = False  # accept InvalidInputException for validation errors
    # An embedded target stops with the run: how to serve its URL again for the reproductions.
    serve_again: str | None = None
    # The names of the jobs this process creates all start so, and its cleanup deletes them at
    # the run's end: a reproduction naming one answers EntityNotFoundException afterwards.
    created_prefix: str | None = None


class Deviation(AssertionError):
    """The target broke a strict rule. An AssertionError, so pytest and Hypothesis treat it as a
    test failure (and Hypothesis shrinks toward the smallest request that shows it)."""

    def __init__(
        self,
        rule: Rule,
        observed: str,
        exchange: Exchange | None,
        ctx: Context,
        *,
        request: SentRequest | None = None,
    ) -> None:
        self.rule = rule
        self.observed = observed
        self.exchange = exchange
        # A request that got no answer (a stall, a dropped connection) is still shown and
        # reproduced: it is the one thing the user needs to see the failure again.
        self.request = exchange.request if exchange is not None else request
        self.ctx = ctx
        super().__init__(f"[{rule.id}] {observed}")
        self._text: str | None = None

    def __str__(self) -> str:
        """Rendered when first shown: the observation point records many deviations it never
        shows (a rule's first one is its verdict), and rendering reproductions is not free."""
        if self._text is None:
            self._text = self.render()
        return self._text

    def render(self) -> str:
        lines = [
            f"[{self.rule.id}] {self.rule.statement}",
            f"  evidence:  {self.rule.cite()}",
            # continuation lines under the first (the text itself carries no indentation: in
            # results.json and a report's one-line cell it would be a run of spaces)
            "  observed:  " + self.observed.replace("\n", "\n" + " " * len("  observed:  ")),
        ]
        sent = self.request
        if sent is not None:
            lines.append(
                f"  request:   POST {sent.url} X-Amz-Target: {sent.headers.get('X-Amz-Target')} "
                f"{'(unsigned) ' if not sent.signed else ''}{self._sent_body(BODY_LIMIT)}"
            )
        if self.exchange is not None:
            lines.append(f"  answer:    {redact_text(describe(self.exchange, BODY_LIMIT))}")
            problem = self.exchange.json_problem
            if problem and self.exchange.body:
                lines.append(f"  note:      {problem}")
        commands = self.commands
        if commands is not None:
            lines.append(f"  reproduce: {commands['curl']}")
            if commands["boto3"]:
                lines.append(f"  boto3:     {commands['boto3']}")
            if self.ctx.serve_again:
                lines.append(f"  serve:     {self.ctx.serve_again}")
            deleted = self.deleted_job
            if deleted:
                lines.append(
                    f"  note:      the job {deleted} was this run's own and its cleanup deleted "
                    "it: the reproduction now answers EntityNotFoundException (run the check "
                    "again to see the deviation)"
                )
        return "\n".join(lines)

    @functools.cached_property
    def deleted_job(self) -> str | None:
        """The job the request names when it is one this run created (and deleted at its end)."""
        prefix = self.ctx.created_prefix
        if not prefix or self.request is None:
            return None
        try:
            body = json.loads(self.request.body)
        except ValueError:
            return None
        name = body.get("JobName") if isinstance(body, dict) else None
        return name if isinstance(name, str) and name.startswith(prefix) else None

    # --- the parts, each computed once: for the text above and for results.json ---------------

    @functools.cached_property
    def commands(self) -> dict[str, str | None] | None:
        """The request's one-line reproductions (curl, boto3), or None with no request."""
        return reproduction(self.request, self.ctx) if self.request is not None else None

    @functools.cached_property
    def _request_json(self) -> str | None:
        """The request's body as redacted JSON text (None when it is not JSON)."""
        return _redacted_json(self.request.body) if self.request is not None else None

    @functools.cached_property
    def _response_json(self) -> str | None:
        """The answer's body as redacted JSON text (None when it is not JSON)."""
        return _redacted_json(self.exchange.body) if self.exchange is not None else None

    def _sent_body(self, limit: int) -> str:
        assert self.request is not None
        return _cut(self.request.body, self._request_json, limit)

    def request_entry(self) -> dict[str, Any] | None:
        """The request as results.json records it (redacted), or None with no request."""
        sent = self.request
        if sent is None:
            return None
        return {
            "method": sent.method,
            "url": sent.url,
            "headers": redact_headers(dict(sent.headers)),
            "body": _entry_body(sent.body, self._request_json),
        }

    def response_entry(self) -> dict[str, Any] | None:
        """The answer as results.json records it (redacted), or None with no answer."""
        exchange = self.exchange
        if exchange is None:
            return None
        return {
            "status": exchange.status,
            "headers": redact_headers(dict(exchange.headers)),
            "body": _entry_body(exchange.body, self._response_json),
        }


def _redacted_json(body: bytes) -> str | None:
    try:
        return json.dumps(redact_json(json.loads(body)), ensure_ascii=True)
    except ValueError:
        return None


def _cut(body: bytes, redacted: str | None, limit: int) -> str:
    """A body for a deviation's text: redacted JSON, else the bytes as text, within `limit`."""
    text = redacted if redacted is not None else body.decode("utf-8", "backslashreplace")
    return text if len(text) <= limit else f"{text[:limit]}... ({len(body)} bytes)"


def _entry_body(body: bytes, redacted: str | None, limit: int = ENTRY_LIMIT) -> str:
    """A body for results.json: redacted JSON, else the bytes as text, within `limit`."""
    if redacted is not None:
        return redacted[:limit]
    return body[:limit].decode("utf-8", "backslashreplace")


def reproduction(sent: SentRequest, ctx: Context) -> dict[str, str | None]:
    return {
        "curl": repro.curl(sent, region=ctx.region, aws=ctx.aws),
        "boto3": repro.boto3_call(sent, region=ctx.region, aws=ctx.aws),
    }
