"""The pytest plugin (entry point `glue_conformance`): options, and the switch that turns the
suite on.

Thin on purpose, like pytest-xdist's: options live in one group, each with an environment variable
and an ini key as fallbacks (command line > environment > ini > default), declared and read in
`glue_conformance.options`. The plugin loads in every pytest run of an environment it is
installed in, so it does nothing else unless the run is a run of the suite (its arguments name
the suite's folder or package): only then are the adapter's hooks (`glue_conformance.adapter`)
and the fixtures (`glue_conformance.fixtures`) registered, and the engine
(`glue_conformance.engine`) built. It is the same from a checkout,
from an installed wheel with `--pyargs`, and in every pytest-xdist worker.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from glue_conformance.options import OPTIONS

SUITE_DIR = Path(__file__).resolve().parent
SUITE_PLUGIN = "glue_conformance_suite"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("glue-conformance", "AWS Glue GetJobRun conformance")
    for option in OPTIONS:
        flag = option.flag
        default = "" if option.default in (None, ()) else f" (default {option.shown_default})"
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


def check_options(config: pytest.Config) -> None:
    """Every setting, from wherever it came, checked once before anything is sent: a value that
    cannot work is one line (exit 4), not a failure in every test (raises usage.UsageProblem)."""
    from glue_conformance.usage import check_settings

    check_settings(config)


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

    from glue_conformance.profiles import DEFAULT_PROFILE

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
    from glue_conformance.outcomes import EXIT_TARGET_UNUSABLE
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
