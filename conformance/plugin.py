"""The pytest plugin (entry point `glue_conformance`): options, Hypothesis profiles, results.

Thin on purpose: options live in one group, each with an environment variable and an ini key as
fallbacks (command line > environment > ini > default), and the plugin does nothing else unless
the conformance suite itself is collected (its conftest loads the fixtures and the baseline).
Results are gathered from test reports, so they survive pytest-xdist: workers attach a check's
rule, case and evidence to the report, and the controller writes one results.json.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

EXIT_TARGET_UNUSABLE = 69  # sysexits EX_UNAVAILABLE: the target could not be used at all
EXIT_TARGET_UNAVAILABLE = 75  # sysexits EX_TEMPFAIL: checks left unjudged (throttled, 5xx)
PROPERTY_KEY = "glue_conformance"


@dataclass(frozen=True)
class Option:
    name: str  # command-line flag without dashes, e.g. "target-url"
    help: str
    default: Any = None
    kind: str = "str"  # "str" | "flag" | "float" | "list" | "choice"
    choices: tuple[str, ...] = ()
    minimum: float | None = None  # for "float": the least value that makes sense
    inclusive: bool = True  # whether `minimum` itself is allowed
    metavar: str | None = None

    @property
    def dest(self) -> str:
        return "glue_" + self.name.replace("-", "_")

    @property
    def env(self) -> str:
        return "GLUE_CONFORMANCE_" + self.name.upper().replace("-", "_")

    @property
    def ini(self) -> str:
        return "glue_conformance_" + self.name.replace("-", "_")


OPTIONS = (
    Option(
        "target",
        "moto (embedded, default), reference (the suite's own faithful endpoint) or "
        "url (use --target-url)",
        kind="choice",
        choices=("moto", "reference", "url"),
    ),
    Option(
        "target-url",
        "endpoint to judge, e.g. https://glue.eu-west-1.amazonaws.com (implies --target url)",
    ),
    Option("region", "region to sign for", default="us-east-1"),
    Option("aws-profile", "AWS profile for AWS hosts (default: the botocore chain)"),
    Option("job-name", "existing job to read (read-only mode, with --run-id)"),
    Option("run-id", "existing run to read (read-only mode: nothing is created or deleted)"),
    Option(
        "baseline",
        "known deviations: a JSON file, a committed baseline's name (moto), 'none', or "
        "'auto' (the committed baseline for the target kind)",
        default="auto",
    ),
    Option("allow-billable", "allow StartJobRun against AWS (billable)", kind="flag"),
    Option(
        "job-role",
        "IAM role (name or ARN) for the job the suite creates; against AWS give one it may "
        "pass (iam:PassRole): by default the job names a placeholder role in no one's account",
    ),
    Option(
        "tolerate-invalid-input",
        "accept InvalidInputException where AWS answers ValidationException",
        kind="flag",
    ),
    Option(
        "no-auth-check", "the target does not check signatures: skip the auth check", kind="flag"
    ),
    Option("real-credentials", "send real AWS credentials to a non-AWS host", kind="flag"),
    Option("report-dir", "write results.json, junit.xml, report.md and report.html here"),
    Option(
        "request-timeout",
        "seconds to wait for one answer",
        default=10.0,
        kind="float",
        minimum=0,
        inclusive=False,
        metavar="SECONDS",
    ),
    Option(
        "max-rps",
        "at most this many requests per second, for the whole run (all workers, SDK calls too)",
        kind="float",
        minimum=0,
        inclusive=False,
        metavar="RATE",
    ),
    Option(
        "lifecycle-timeout",
        "seconds to poll a run for its life cycle",
        default=30.0,
        kind="float",
        minimum=0,
        inclusive=False,
        metavar="SECONDS",
    ),
    Option(
        "reference-fault",
        "with --target reference: switch on a seeded fault (repeatable)",
        default=(),
        kind="list",
    ),
    Option(
        "reference-variant",
        "with --target reference: switch on a tolerated variant (repeatable)",
        default=(),
        kind="list",
    ),
    Option(
        "reference-stage-seconds",
        "with --target reference: seconds per life-cycle stage (0: one stage per GetJobRun, "
        "as moto's state manager)",
        default=0.0,
        kind="float",
        minimum=0,
        metavar="SECONDS",
    ),
)
_BY_NAME = {option.name: option for option in OPTIONS}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("glue-conformance", "AWS Glue GetJobRun conformance")
    for option in OPTIONS:
        flag = f"--{option.name}"
        default = "" if option.default in (None, ()) else f" (default {option.default})"
        text = f"{option.help}{default} [env {option.env}, ini {option.ini}]"
        text = text.replace("%", "%%")  # argparse formats help with %
        metavar = option.metavar or option.name.split("-")[-1].upper()
        parser.addini(option.ini, help=option.help, default=None)
        if option.kind == "flag":
            group.addoption(flag, action="store_true", default=None, dest=option.dest, help=text)
        elif option.kind == "list":
            group.addoption(
                flag, action="append", default=None, dest=option.dest, help=text, metavar=metavar
            )
        elif option.kind == "choice":
            group.addoption(flag, choices=option.choices, default=None, dest=option.dest, help=text)
        else:
            group.addoption(flag, default=None, dest=option.dest, help=text, metavar=metavar)


def check_options(config: pytest.Config) -> None:
    """Every option's value, from wherever it came, checked once before anything is sent: a
    value that cannot work is one usage line (exit 4), not a failure in every test."""
    for option in OPTIONS:
        try:
            value = get_option(config, option.name)
        except ValueError:
            raw = config.getoption(option.dest) or os.environ.get(option.env) or ""
            raw = raw or config.getini(option.ini)
            raise pytest.UsageError(
                f"glue-conformance: --{option.name} takes a number, not {str(raw)!r}"
            ) from None
        if option.kind != "float" or value is None:
            continue
        if not math.isfinite(value):
            raise pytest.UsageError(f"glue-conformance: --{option.name} takes a finite number")
        if option.minimum is None:
            continue
        low = option.minimum
        if value < low or (value == low and not option.inclusive):
            least = f"at least {low:g}" if option.inclusive else f"more than {low:g}"
            raise pytest.UsageError(
                f"glue-conformance: --{option.name} must be {least}, not {value:g}"
            )


def get_option(config: pytest.Config, name: str) -> Any:
    """Command line, then environment variable, then ini key, then the default."""
    option = _BY_NAME[name]
    value = config.getoption(option.dest)
    if value is None and os.environ.get(option.env) not in (None, ""):
        value = os.environ[option.env]
        if option.kind == "list":
            value = [v for v in value.split(",") if v]
    if value is None:
        value = config.getini(option.ini) or None
        if option.kind == "list" and isinstance(value, str):
            value = [v for v in value.split(",") if v]
    if value is None:
        return False if option.kind == "flag" else option.default
    if option.kind == "flag":
        return value if isinstance(value, bool) else str(value).lower() in {"1", "true", "yes"}
    if option.kind == "float":
        return float(value)
    if option.kind == "list":
        return tuple(value)
    return value


# Hypothesis profiles for network targets: no deadline (the target's latency is not ours to
# judge), derandomized where a nightly job wants two runs to differ only by the target, one bug
# reported per test (the shrunk one), and the blob printed for exact replay. No explain phase:
# after a failure it sends hundreds more requests (248 against moto's missing validation, two
# seconds) only to annotate which parts of the shrunk request could vary; the shrunk request
# and its reproduction already say what broke.
_COMMON: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much],
    "report_multiple_bugs": False,
    "print_blob": True,
}
_NO_EXPLAIN = [phase for phase in Phase if phase is not Phase.explain]
# `quick` is for fast feedback: failures are reported as found, without shrinking (shrinking a
# stateful failure replays many sequences against the target).
settings.register_profile(
    "quick",
    max_examples=20,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    **_COMMON,
)
settings.register_profile("ci", max_examples=100, derandomize=True, phases=_NO_EXPLAIN, **_COMMON)
settings.register_profile("nightly", max_examples=1000, phases=_NO_EXPLAIN, **_COMMON)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "rule(id): the conformance rule a test checks")
    config.addinivalue_line("markers", "needs_run: the test needs a provisioned job run")
    config.stash[_RESULTS] = []


_RESULTS = pytest.StashKey[list[dict[str, Any]]]()


def record(item: pytest.Item, **fields: Any) -> None:
    """Attach check details to the test's report (travels to the xdist controller)."""
    current = dict(_properties(item.user_properties))
    current.update({k: v for k, v in fields.items() if v is not None})
    item.user_properties[:] = [p for p in item.user_properties if p[0] != PROPERTY_KEY]
    item.user_properties.append((PROPERTY_KEY, json.dumps(current, ensure_ascii=True)))


def _properties(pairs: Any) -> dict[str, Any]:
    for key, value in pairs:
        if key == PROPERTY_KEY:
            loaded: dict[str, Any] = json.loads(value)
            return loaded
    return {}


def _status(report: pytest.TestReport) -> str:
    if hasattr(report, "wasxfail"):
        return "known-deviation" if report.skipped else "failed"
    if report.passed:
        return "passed"
    return "skipped" if report.skipped else "failed"


@pytest.hookimpl(trylast=True)
def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    fields = _properties(report.user_properties)
    if not fields or not (report.when == "call" or (report.when == "setup" and not report.passed)):
        return
    status = _status(report)
    entry = {**fields, "status": status, "nodeid": report.nodeid, "duration_s": report.duration}
    if status == "failed" and not entry.get("message"):
        entry["message"] = _short(report)
    if status == "known-deviation":
        entry.setdefault("message", str(getattr(report, "wasxfail", "")))
    if status == "skipped" and isinstance(report.longrepr, tuple):
        entry["message"] = str(report.longrepr[2]).removeprefix("Skipped: ")
    results = _CURRENT.get("results")
    if results is not None:
        results.append(entry)


def _short(report: pytest.TestReport) -> str:
    text = str(report.longrepr or "")
    if "[XPASS(strict)]" in text:
        return "known deviation no longer observed: remove it from the baseline"
    return text.strip().splitlines()[-1][:500] if text.strip() else ""


_CURRENT: dict[str, list[dict[str, Any]]] = {}


def pytest_sessionstart(session: pytest.Session) -> None:
    _CURRENT["results"] = session.config.stash[_RESULTS]


def collected_results(config: pytest.Config) -> list[dict[str, Any]]:
    return config.stash[_RESULTS]


def _find_deviation(error: BaseException | None) -> Any:
    from conformance.checks.base import Deviation

    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, Deviation):
            return error
        error = error.__cause__ or error.__context__
    return None


def _deviation_fields(deviation: Any) -> dict[str, Any]:
    """The failed rule, the exchange (redacted) and its reproductions, for results.json."""
    from conformance.checks.base import reproduction
    from conformance.redact import redact_headers, redact_json

    fields: dict[str, Any] = {"message": deviation.observed, "failed_rule": deviation.rule.id}
    sent, exchange = deviation.request, deviation.exchange
    if sent is not None:
        fields["request"] = {
            "method": sent.method,
            "url": sent.url,
            "headers": redact_headers(dict(sent.headers)),
            "body": _text(sent.body, redact_json),
        }
        fields["reproduction"] = reproduction(sent, deviation.ctx)
    if exchange is not None:
        fields["response"] = {
            "status": exchange.status,
            "headers": redact_headers(dict(exchange.headers)),
            "body": _text(exchange.body, redact_json),
        }
    return fields


def _text(body: bytes, redact: Any, limit: int = 65536) -> str:
    try:
        return json.dumps(redact(json.loads(body)), ensure_ascii=True)[:limit]
    except ValueError:
        return body[:limit].decode("utf-8", "backslashreplace")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A deviation's report is built here, in its own words, with the failed rule, the exchange
    and its reproductions attached (they travel to the pytest-xdist controller and on to
    results.json). pytest's default would first format the check's traceback, which adds
    nothing to the deviation's text and cost about 6 ms a failure: against moto's 148 known
    deviations, half of the run."""
    excinfo = call.excinfo
    if excinfo is None or not _properties(item.user_properties):
        return None
    deviation = _find_deviation(excinfo.value)
    if deviation is None:
        return None
    fields = {**_properties(item.user_properties), **_deviation_fields(deviation)}
    properties = [p for p in item.user_properties if p[0] != PROPERTY_KEY]
    properties.append((PROPERTY_KEY, json.dumps(fields, ensure_ascii=True)))
    return pytest.TestReport(
        item.nodeid,
        item.location,
        dict.fromkeys(item.keywords, 1),
        "failed",
        _deviation_text(item, excinfo.value, deviation),
        call.when,
        [(f"Captured {key} {when}", text) for when, key, text in item._report_sections],
        call.duration,
        call.start,
        call.stop,
        user_properties=properties,
    )


def _deviation_text(item: pytest.Item, error: BaseException, deviation: Any) -> str:
    """The deviation as rendered when it was raised, with Hypothesis's notes (the falsifying
    example and its replay blob), under the test's own rule when it checks several."""
    text = [str(deviation), *getattr(error, "__notes__", [])]
    marker = item.get_closest_marker("rule")
    if marker and marker.args[0] != deviation.rule.id:  # a property over several rules
        from conformance.rules import RULES

        text.insert(0, f"[{marker.args[0]}] {RULES[marker.args[0]].statement}\n  broken:")
    return "\n".join(text)
