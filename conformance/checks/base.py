"""What every check shares: the context it runs in and the `Deviation` it raises.

A deviation's text is what a user reads first, so it names the rule and its evidence, says what
was observed, shows the request and the answer, and ends with one-line reproductions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from glue_conformance import repro
from glue_conformance.awsjson import describe
from glue_conformance.redact import redact_json, redact_text
from glue_conformance.rules import Rule
from glue_conformance.transport import Exchange, SentRequest

BODY_LIMIT = 400


@dataclass(frozen=True)
class Context:
    """How the checks read the target: region and AWS-ness (for reproductions), and tolerances."""

    region: str = "us-east-1"
    aws: bool = False
    tolerate_invalid_input: bool = False  # accept InvalidInputException for validation errors
    # An embedded target stops with the run: how to serve its URL again for the reproductions.
    serve_again: str | None = None


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
            f"  observed:  {self.observed}",
        ]
        sent = self.request
        if sent is not None:
            lines.append(
                f"  request:   POST {sent.url} X-Amz-Target: {sent.headers.get('X-Amz-Target')} "
                f"{'(unsigned) ' if not sent.signed else ''}{shorten(sent.body)}"
            )
        if self.exchange is not None:
            lines.append(f"  answer:    {redact_text(describe(self.exchange, BODY_LIMIT))}")
            problem = self.exchange.json_problem
            if problem and self.exchange.body:
                lines.append(f"  note:      {problem}")
        if sent is not None:
            commands = reproduction(sent, self.ctx)
            lines.append(f"  reproduce: {commands['curl']}")
            if commands["boto3"]:
                lines.append(f"  boto3:     {commands['boto3']}")
            if self.ctx.serve_again:
                lines.append(f"  serve:     {self.ctx.serve_again}")
        return "\n".join(lines)


def shorten(body: bytes, limit: int = BODY_LIMIT) -> str:
    try:
        text = json.dumps(redact_json(json.loads(body)), ensure_ascii=True)
    except ValueError:
        text = body.decode("utf-8", "backslashreplace")
    return text if len(text) <= limit else f"{text[:limit]}... ({len(body)} bytes)"


def reproduction(sent: SentRequest, ctx: Context) -> dict[str, str | None]:
    return {
        "curl": repro.curl(sent, region=ctx.region, aws=ctx.aws),
        "boto3": repro.boto3_call(sent, region=ctx.region, aws=ctx.aws),
    }
