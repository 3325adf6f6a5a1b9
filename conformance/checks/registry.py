"""The registry of checks: each check names its rule once, where it is defined.

Modelled on schemathesis's `@check`: a check is a plain function registered under a name, and the
rule it judges is resolved when the module is imported, so an unknown rule id stops the import
(and every run) at once instead of surfacing as a `KeyError` in the middle of a run against some
target. Inside a check, `expect(condition, observed, exchange)` says what was wrong; the registry
turns that into a `Deviation` of the check's own rule, so no rule id is typed twice.

Observations are the tolerant rules' side: they return what the target did, in a few words, and
never fail (the evidence does not say what AWS does).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from glue_conformance.checks.base import Context, Deviation
from glue_conformance.rules import RULES, Rule, Strictness
from glue_conformance.transport import Exchange, SentRequest

P = ParamSpec("P")
T = TypeVar("T")


class UnknownRule(LookupError):
    """A check names a rule that `conformance/rules.py` does not define (raised at import)."""


class Broken(Exception):
    """Raised inside a check; the registry re-raises it as its rule's `Deviation`."""

    def __init__(
        self, observed: str, exchange: Exchange | None, request: SentRequest | None = None
    ) -> None:
        super().__init__(observed)
        self.observed = observed
        self.exchange = exchange
        self.request = request


@dataclass(frozen=True)
class Registered:
    name: str  # "<module>.<function>", e.g. "protocol.check_content_type"
    rule: Rule
    kind: str  # "check" (raises a Deviation) | "observation" (returns text, never fails)
    function: Callable[..., Any]
    # What the check judges, for the observation point (glue_conformance.observe): "jobrun" (one
    # JobRun, from any operation: `(Observation, Context)`), "listing" (a whole GetJobRuns
    # listing: `(Listing, Context)`), "settled" (a run once the suite stopped waiting for it:
    # `(Settled, Context)`), "stop" (a StopJobRun answer), "campaign" (a check the campaign
    # calls itself and reports to the judge); "" for a check the test files call with an
    # exchange. A rule with a judged check gets its pytest item from glue_conformance.verdicts.
    subject: str = ""
    # Its unit cases, declared beside it: functions returning the arguments (all but the
    # Context) of a faithful target's answer, which passes, and of a deviating one, which fails
    # with the check's own rule; for an observation, `faithful` returns its one example and
    # `records` is text what it records of it contains (tests/test_checks.py runs them all).
    faithful: Callable[[], tuple[Any, ...]] | None = None
    deviating: Callable[[], tuple[Any, ...]] | None = None
    records: str = ""


Cases = Callable[[], tuple[Any, ...]]

CHECKS: dict[str, Registered] = {}


def resolve(rule_id: str) -> Rule:
    try:
        return RULES[rule_id]
    except KeyError:
        raise UnknownRule(f"no rule {rule_id!r} in conformance/rules.py") from None


def _register(entry: Registered) -> None:
    if entry.name in CHECKS and CHECKS[entry.name].function is not entry.function:
        raise ValueError(f"check {entry.name} registered twice")
    CHECKS[entry.name] = entry


def _name(function: Callable[..., Any]) -> str:
    return f"{function.__module__.rsplit('.', 1)[-1]}.{function.__name__}"


def _context(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Context:
    found = kwargs.get("ctx")
    if isinstance(found, Context):
        return found
    for value in reversed(args):
        if isinstance(value, Context):
            return value
    return Context()


SUBJECTS = ("", "jobrun", "listing", "settled", "stop", "campaign")


def check(
    rule_id: str,
    *,
    judges: str = "",
    faithful: Cases | None = None,
    deviating: Cases | None = None,
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Register a check of `rule_id`; it takes a `Context` (as `ctx` or positionally).

    `judges`: the subject the observation point hands it (see `Registered.subject`): such a
    check is applied to every subject of its kind the run sees, not to one example.
    `faithful`, `deviating`: its two unit cases (see `Registered.faithful`)."""
    rule = resolve(rule_id)
    if judges not in SUBJECTS:
        raise ValueError(f"unknown subject {judges!r} for {rule_id}")

    def decorate(function: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return function(*args, **kwargs)
            except Broken as broken:
                raise Deviation(
                    rule,
                    broken.observed,
                    broken.exchange,
                    _context(args, kwargs),
                    request=broken.request,
                ) from None

        run.rule = rule  # type: ignore[attr-defined]
        _register(Registered(_name(function), rule, "check", run, judges, faithful, deviating))
        return run

    return decorate


def observation(
    rule_id: str,
    *,
    judges: str = "",
    example: Cases | None = None,
    records: str = "",
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Register what a tolerant rule records; such a rule must not be strict. `example`: the
    arguments of its unit case, `records`: text what it says of them contains."""
    rule = resolve(rule_id)
    if rule.strictness is not Strictness.TOLERANT:
        raise UnknownRule(f"{rule_id} is strict: an observation cannot judge it")
    if judges not in SUBJECTS:
        raise ValueError(f"unknown subject {judges!r} for {rule_id}")

    def decorate(function: Callable[P, T]) -> Callable[P, T]:
        function.rule = rule  # type: ignore[attr-defined]
        entry = Registered(_name(function), rule, "observation", function, judges, example)
        _register(dataclasses.replace(entry, records=records))
        return function

    return decorate


def expect(
    condition: bool,
    observed: str,
    exchange: Exchange | None,
    *,
    request: SentRequest | None = None,
) -> None:
    """Inside a check: when `condition` is false, the check's rule is broken."""
    if not condition:
        raise Broken(observed, exchange, request)


def error_answer(
    exchange: Exchange,
    *,
    statuses: range | tuple[int, ...],
    types: set[str] | frozenset[str],
    what: str = "",
) -> None:
    """The shape most error rules share: an expected status and a resolvable error type."""
    from glue_conformance.awsjson import error_info

    found = error_info(exchange).type
    expect(
        exchange.status in statuses and found in types,
        f"{what}HTTP {exchange.status}, error type {found!r}",
        exchange,
    )
