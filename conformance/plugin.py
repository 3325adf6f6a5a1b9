"""The pytest plugin (entry point `glue_conformance`): options, and the switch that turns the
suite on.

Thin on purpose, like pytest-xdist's: options live in one group, each with an environment variable
and an ini key as fallbacks (command line > environment > ini > default). The plugin loads in
every pytest run of an environment it is installed in, so it does nothing else unless the run
is a run of the suite (its arguments name the suite's folder or package): only then are the
adapter's hooks (`glue_conformance.adapter`) and the fixtures (`glue_conformance.fixtures`)
registered, and the engine (`glue_conformance.engine`) built. It is the same from a checkout,
from an installed wheel with `--pyargs`, and in every pytest-xdist worker.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

EXIT_TARGET_UNUSABLE = 69  # sysexits EX_UNAVAILABLE: the target could not be used at all
EXIT_TARGET_UNAVAILABLE = 75  # sysexits EX_TEMPFAIL: checks left unjudged (throttled, 5xx)
SUITE_DIR = Path(__file__).resolve().parent
SUITE_PLUGIN = "glue_conformance_suite"


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


OPTIONS = (
    Option(
        "target",
        "moto (embedded, default), ministack (embedded, from GLUE_CONFORMANCE_MINISTACK), "
        "reference (the suite's own faithful endpoint) or url (use --target-url)",
        kind="choice",
        choices=("moto", "ministack", "reference", "url"),
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
        "known deviations: a JSON file, a committed baseline's name (moto), 'none', or "
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
            meaning += f" (default {option.default})"
        rows.append(f"| `{option.flag}` | `{option.env}` | {meaning} |")
    return "\n".join(rows)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("glue-conformance", "AWS Glue GetJobRun conformance")
    for option in OPTIONS:
        flag = option.flag
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
    # An action, not a setting: no environment variable or ini key (one in a CI job's
    # environment would turn every run into a listing).
    group.addoption(
        "--glue-list-rules",
        action="store_true",
        default=False,
        dest="glue_list_rules",
        help="print every rule (id, group, strict/tolerant, statement, evidence section) and "
        "exit, starting no target and sending nothing",
    )


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


def check_options(config: pytest.Config) -> None:
    """Every setting, from wherever it came, checked once before anything is sent: a value that
    cannot work is one line (exit 4), not a failure in every test (raises usage.UsageProblem)."""
    from glue_conformance.usage import check_settings

    check_settings(config)


def get_option(config: pytest.Config, name: str) -> Any:
    """Command line, then environment variable, then ini key, then the default, typed."""
    return typed(_BY_NAME[name], origin(config, name).raw)


# The suite's own profile names: Hypothesis's "default" and "ci" stay as they are.
DEFAULT_PROFILE = "glue-ci"


def _wants_profiles(config: pytest.Config) -> bool:
    name = config.getoption("hypothesis_profile", default=None) or ""
    return name.startswith("glue-")


def _replayable(config: pytest.Config) -> None:
    """A profile that draws at random gets a seed chosen here, handed to Hypothesis as
    --hypothesis-seed (workers get the same option), so results.json records it and
    `--hypothesis-seed N` replays the run's draws."""
    if getattr(config.option, "hypothesis_seed", None) is not None:
        return
    from hypothesis import settings

    name = config.getoption("hypothesis_profile", default=None) or DEFAULT_PROFILE
    try:
        derandomized = settings.get_profile(name).derandomize
    except Exception:  # an unknown profile: Hypothesis's own plugin says so
        return
    if not derandomized:
        import secrets

        config.option.hypothesis_seed = str(secrets.randbelow(2**63))


def _arg_path(config: pytest.Config, arg: str) -> Path | None:
    """Where a collection argument points: a path, or with --pyargs a package's folder."""
    text = arg.split("::", 1)[0]
    if getattr(config.option, "pyargs", False) and text and "/" not in text:
        try:
            spec = importlib.util.find_spec(text)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.origin:
            origin = Path(spec.origin)
            return origin.parent if origin.name == "__init__.py" else origin
    return (config.invocation_params.dir / text).resolve()


def suite_requested(config: pytest.Config) -> bool:
    """A run of the suite: an argument is the suite's folder, lies inside it, or contains it
    (not through a site-packages folder: a project whose virtualenv lives in its tree is not
    asking for the suite). An xdist worker follows its controller."""
    inputs = getattr(config, "workerinput", None)
    if inputs is not None:
        return "glue_conformance_run_token" in inputs
    for arg in config.args:
        path = _arg_path(config, arg)
        if path is None:
            continue
        if path == SUITE_DIR or SUITE_DIR in path.parents:
            return True
        if path in SUITE_DIR.parents:
            between = SUITE_DIR.relative_to(path).parts
            if not {"site-packages", "dist-packages"} & set(between):
                return True
    return False


def other_copy(config: pytest.Config) -> Path | None:
    """A collection argument that is a copy of the suite other than the one installed (a
    checkout beside a wheel): its test files would run with another copy's plugin."""
    for arg in config.args:
        path = _arg_path(config, arg)
        if path is None or path == SUITE_DIR or not path.is_dir():
            continue
        if all((path / name).is_file() for name in ("plugin.py", "engine.py", "fixtures.py")):
            return path
    return None


def _informational(config: pytest.Config) -> bool:
    option = config.option
    return bool(
        getattr(option, "help", False)
        or getattr(option, "version", False)
        or getattr(option, "showfixtures", False)
        or getattr(option, "show_fixtures_per_test", False)
        or getattr(option, "markers", False)
        or getattr(option, "collectonly", False)
    )


def _help_or_version(config: pytest.Config) -> bool:
    return bool(getattr(config.option, "help", False) or getattr(config.option, "version", False))


def pytest_cmdline_main(config: pytest.Config) -> int | None:
    """Before pytest's session starts: settings that cannot work are one line (exit 4), and a
    URL target that cannot be used is one line (exit 69), before any test runs. Written here,
    not raised as pytest's UsageError, so every line of the suite has one prefix."""
    if config.getoption("glue_list_rules", default=False):
        from glue_conformance.rules import listing

        sys.stdout.write(listing() + "\n")
        return int(pytest.ExitCode.OK)
    requested = suite_requested(config)
    copy = None if requested else other_copy(config)
    if copy is not None:
        sys.stderr.write(
            f"glue-conformance: {copy} is a copy of the suite, but the installed one is "
            f"{SUITE_DIR} (install this checkout: pip install -e ., or run the installed suite: "
            "pytest --pyargs glue_conformance)\n"
        )
        return int(pytest.ExitCode.USAGE_ERROR)
    if requested or _wants_profiles(config):
        # Before Hypothesis's own plugin loads --hypothesis-profile (in its configure). Only
        # here: an unrelated run never imports Hypothesis on the suite's account.
        from glue_conformance.profiles import register

        register()
    if not requested or _help_or_version(config):
        return None
    from glue_conformance.adapter import build_engine
    from glue_conformance.engine import Unusable
    from glue_conformance.usage import UsageProblem

    try:
        check_options(config)
        engine = build_engine(config)
    except UsageProblem as problem:
        sys.stderr.write(f"{problem}\n")
        return int(pytest.ExitCode.USAGE_ERROR)
    _replayable(config)
    config.stash[_PREPARED] = engine
    if _informational(config):
        return None  # --collect-only, --fixtures, --markers: nothing is sent
    try:
        engine.check_url_target()
    except Unusable as error:
        sys.stderr.write(f"glue-conformance: {error}\n")
        return EXIT_TARGET_UNUSABLE
    return None


_PREPARED = pytest.StashKey[Any]()  # the engine built before configure, kept on its own config


def pytest_configure(config: pytest.Config) -> None:
    # The suite's markers are known wherever its modules may be imported (the bench and the
    # project's tests import them); registering a marker changes nothing else.
    config.addinivalue_line("markers", "rule(id): the conformance rule a test checks")
    config.addinivalue_line("markers", "needs_run: the test needs a provisioned job run")
    if not suite_requested(config) or config.pluginmanager.has_plugin(SUITE_PLUGIN):
        return
    from glue_conformance import fixtures
    from glue_conformance.adapter import SuiteRun, build_engine

    engine = config.stash.get(_PREPARED, None)
    if engine is None:  # a pytest-xdist worker (its controller checked), or --help
        from glue_conformance.usage import UsageProblem

        try:
            check_options(config)
            engine = build_engine(config)
        except UsageProblem as problem:
            raise pytest.UsageError(str(problem)) from None
    config.pluginmanager.register(SuiteRun(config, engine), SUITE_PLUGIN)
    config.pluginmanager.register(fixtures, SUITE_PLUGIN + "_fixtures")
