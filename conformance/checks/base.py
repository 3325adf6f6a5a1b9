"""What every check shares: the context it runs in and the `Deviation` it raises.

A deviation's text is what a user reads first, so it names the rule and its evidence, says what
was observed, shows the request and the answer, and ends with one-line reproductions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from conformance import repro
from conformance.awsjson import describe
from conformance.redact import redact_json, redact_text
from conformance.rules import RULES, Rule
from conformance.transport import Exchange

BODY_LIMIT = 400


@dataclass(frozen=True)
class Context:
    """How the checks read the target: region and AWS-ness (for reproductions), and tolerances."""

    region: str = "us-east-1"
    aws: bool = False
    tolerate_invalid_input: bool = False  # accept InvalidInputException for validation errors


class Deviation(AssertionError):
    """The target broke a strict rule. An AssertionError, so pytest and Hypothesis treat it as a
    test failure (and Hypothesis shrinks toward the smallest request that shows it)."""

    def __init__(
        self, rule_id: str, observed: str, exchange: Exchange | None, ctx: Context
    ) -> None:
        self.rule: Rule = RULES[rule_id]
        self.observed = observed
        self.exchange = exchange
        self.ctx = ctx
        super().__init__(self.render())

    def render(self) -> str:
        lines = [
            f"[{self.rule.id}] {self.rule.statement}",
            f"  evidence:  {self.rule.cite()}",
            f"  observed:  {self.observed}",
        ]
        if self.exchange is not None:
            sent = self.exchange.request
            lines += [
                f"  request:   POST {sent.url} X-Amz-Target: {sent.headers.get('X-Amz-Target')} "
                f"{'(unsigned) ' if not sent.signed else ''}{shorten(sent.body)}",
                f"  answer:    {redact_text(describe(self.exchange, BODY_LIMIT))}",
            ]
            commands = reproduction(self.exchange, self.ctx)
            lines.append(f"  reproduce: {commands['curl']}")
            if commands["boto3"]:
                lines.append(f"  boto3:     {commands['boto3']}")
        return "\n".join(lines)


def shorten(body: bytes, limit: int = BODY_LIMIT) -> str:
    try:
        text = json.dumps(redact_json(json.loads(body)), ensure_ascii=True)
    except ValueError:
        text = body.decode("utf-8", "backslashreplace")
    return text if len(text) <= limit else f"{text[:limit]}... ({len(body)} bytes)"


def reproduction(exchange: Exchange, ctx: Context) -> dict[str, str | None]:
    sent = exchange.request
    return {
        "curl": repro.curl(sent, region=ctx.region, aws=ctx.aws),
        "boto3": repro.boto3_call(sent, region=ctx.region, aws=ctx.aws),
    }


def expect(
    condition: bool, rule_id: str, observed: str, exchange: Exchange | None, ctx: Context
) -> None:
    if not condition:
        raise Deviation(rule_id, observed, exchange, ctx)


def check_error_answer(
    exchange: Exchange,
    rule_id: str,
    *,
    statuses: range | tuple[int, ...],
    types: set[str] | frozenset[str],
    ctx: Context,
    what: str = "",
) -> None:
    """The shape most error rules share: an expected status and a resolvable error type."""
    from conformance.awsjson import error_info

    found = error_info(exchange).type
    expect(
        exchange.status in statuses and found in types,
        rule_id,
        f"{what}HTTP {exchange.status}, error type {found!r}",
        exchange,
        ctx,
    )
