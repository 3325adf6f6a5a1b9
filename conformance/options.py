"""The suite's options: each is a command-line flag, an environment variable and an ini key
(command line > environment > ini > default), read and typed here.

A leaf of the package: it needs only pytest, so the plugin (which declares the options), the
checks of their values (`glue_conformance.usage`) and the adapter's hooks all read options
through it without importing one another.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest


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
    def shown_default(self) -> str:
        """The default as help shows it: a number without a needless '.0' (20, not 20.0)."""
        if isinstance(self.default, float):
            return f"{self.default:g}"
        return str(self.default)

    @property
    def flag(self) -> str:
        """--target-url is the suite's documented entry; every other flag names the suite, so
        it cannot clash with a neighbour's conftest or plugin (--region, --target, ...)."""
        return "--target-url" if self.name == "target-url" else f"--glue-{self.name}"

    @property
    def dest(self) -> str:
        return "glue_" + self.name.replace("-", "_")

    @property
    def env(self) -> str:
        return "GLUE_CONFORMANCE_" + self.name.upper().replace("-", "_")

    @property
    def ini(self) -> str:
        return "glue_conformance_" + self.name.replace("-", "_")


# What --glue-target takes: the embedded targets, then a URL (record and compare take the same).
TARGET_KINDS = ("moto", "ministack", "moto-ext", "reference", "url")

OPTIONS = (
    Option(
        "target",
        "moto (embedded, default), ministack (embedded, from GLUE_CONFORMANCE_MINISTACK), "
        "moto-ext (embedded, from GLUE_CONFORMANCE_MOTO_EXT), reference (the suite's own "
        "faithful endpoint) or url (use --target-url)",
        kind="choice",
        choices=TARGET_KINDS,
    ),
    Option(
        "target-url",
        "endpoint to judge, e.g. https://glue.eu-west-1.amazonaws.com (implies --glue-target url)",
    ),
    Option("region", "region to sign for", default="us-east-1"),
    Option("aws-profile", "AWS profile for AWS hosts (default: the botocore chain)"),
    Option("job-name", "existing job to read (read-only mode, with --glue-run-id)"),
    Option("run-id", "existing run to read (read-only mode: nothing is created or deleted)"),
    Option(
        "baseline",
        "known deviations: a JSON file, a committed baseline's name (moto, ministack, moto-ext), "
        "'none', or "
        "'auto' (the committed baseline for the target kind)",
        default="auto",
    ),
    Option("allow-billable", "allow StartJobRun against AWS (billable)", kind="flag"),
    Option(
        "max-runs",
        "with --glue-allow-billable: the most job runs the suite starts on AWS (each is "
        "billed; the fixed scenarios need 8, the state machine uses the rest)",
        default=20.0,
        kind="float",
        minimum=8,
        metavar="RUNS",
    ),
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
    Option(
        "keep-resources",
        "leave the jobs the run created in place, to reproduce a failure against them (runs "
        "are still stopped on AWS); the run's end names them and how to delete them; a target "
        "given by URL only (an embedded one stops with the run)",
        kind="flag",
    ),
    Option("report-dir", "write results.json, junit.xml, report.md and report.html here"),
    Option(
        "target-name",
        "the name this target's runs share in history (default: an embedded emulator's kind, "
        "else the URL)",
    ),
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
        "concurrency",
        "requests sent at once where none waits for another's answer (fixed cases, a "
        "property's batch, reads of different runs); --glue-max-rps and throttling backoff "
        "still hold (default: 8; with --glue-max-rps, a tenth of the rate)",
        kind="float",
        minimum=1,
        metavar="N",
    ),
    Option(
        "lifecycle-timeout",
        "seconds to wait for the runs' life cycles, all runs together (default: 900 for AWS "
        "hosts, where a standard job retries for up to 15 minutes, evidence section 5; 30 for "
        "others)",
        kind="float",
        minimum=0,
        inclusive=False,
        metavar="SECONDS",
    ),
    Option(
        "clock-window",
        "seconds the target's clock may differ from this machine's (SigV4 allows 5 to 15 "
        "minutes): timestamps are judged within it",
        default=900.0,
        kind="float",
        minimum=0,
        metavar="SECONDS",
    ),
    Option(
        "max-time",
        "seconds the whole run may take: checks not started by then are reported as not "
        "judged (never as passed) and the run exits 75 unless something failed",
        kind="float",
        minimum=0,
        inclusive=False,
        metavar="SECONDS",
    ),
    Option(
        "reference-fault",
        "with --glue-target reference: switch on a seeded fault (repeatable)",
        default=(),
        kind="list",
    ),
    Option(
        "reference-variant",
        "with --glue-target reference: switch on a tolerated variant (repeatable)",
        default=(),
        kind="list",
    ),
    Option(
        "reference-stage-seconds",
        "with --glue-target reference: seconds per life-cycle stage (0: one stage per GetJobRun, "
        "as moto's state manager)",
        default=0.0,
        kind="float",
        minimum=0,
        metavar="SECONDS",
    ),
)
_BY_NAME = {option.name: option for option in OPTIONS}


def options_table() -> str:
    """The README's options table, made from OPTIONS (a test keeps the README's copy equal to
    it, so a changed help text or default cannot leave the README behind)."""
    rows = ["| option | environment | meaning |", "| --- | --- | --- |"]
    for option in OPTIONS:
        meaning = option.help
        if option.default is not None and option.default is not False and option.default != ():
            meaning += f" (default {option.shown_default})"
        rows.append(f"| `{option.flag}` | `{option.env}` | {meaning} |")
    return "\n".join(rows)


@dataclass(frozen=True)
class Origin:
    """Where an option's value came from, named as the user wrote it, so a message about the
    value points at the flag, the environment variable or the ini key to change."""

    source: str  # "command line" | "environment" | "ini" | "default"
    name: str  # --glue-target, GLUE_CONFORMANCE_TARGET, ini glue_conformance_target
    raw: Any  # the value as given (a string, a list of strings, True for a flag)

    @property
    def given(self) -> bool:
        return self.source != "default"

    def shown(self) -> str:
        """The setting as written: `--glue-target moto`, `GLUE_CONFORMANCE_TARGET=moto`."""
        raw = ",".join(self.raw) if isinstance(self.raw, list | tuple) else self.raw
        if self.source == "environment":
            return f"{self.name}={raw}"
        if self.source == "ini":
            return f"{self.name} = {raw}"
        return self.name if raw is True else f"{self.name} {raw}"


def origin(config: pytest.Config, name: str) -> Origin:
    """Command line, then environment variable, then ini key, then the default: the first that
    is set gives the value (an empty environment variable or ini value is not set)."""
    option = _BY_NAME[name]
    value = config.getoption(option.dest)
    if value is not None:
        return Origin("command line", option.flag, value)
    env = os.environ.get(option.env)
    if env not in (None, ""):
        return Origin("environment", option.env, env)
    ini = config.getini(option.ini)
    if ini not in (None, "", []):
        return Origin("ini", f"ini {option.ini}", ini)
    return Origin("default", option.flag, option.default)


FLAG_WORDS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def typed(option: Option, raw: Any) -> Any:
    """The value an option's raw text stands for (raises ValueError when it stands for none)."""
    if raw is None:
        return False if option.kind == "flag" else option.default
    if option.kind == "flag":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word not in FLAG_WORDS:
            raise ValueError(raw)
        return FLAG_WORDS[word]
    if option.kind == "float":
        return float(raw)
    if option.kind == "list":
        items = raw.split(",") if isinstance(raw, str) else raw
        return tuple(item for item in items if item)
    if option.kind == "choice" and raw not in option.choices:
        raise ValueError(raw)
    return raw


def get_option(config: pytest.Config, name: str) -> Any:
    """Command line, then environment variable, then ini key, then the default, typed."""
    return typed(_BY_NAME[name], origin(config, name).raw)
