"""Settings checked before anything is sent: each value that cannot work is one line, exit 4.

The plugin reads each option from the command line, the environment or the ini file (in that
order); this module judges what it read, names the place the user wrote it (the flag, the
environment variable or the ini key), and says how to fix it, in one format:
`glue-conformance: <what> (<how to fix>)`. The engine's typed `Settings` know nothing of flags;
what only the engine can judge (a region, a fault's name, a baseline) comes back as a
`SettingsError` or `BaselineError` and is named here, with its origin, in the same format.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from glue_conformance.baseline import BaselineError
from glue_conformance.engine import (
    AWS_LIFECYCLE_S,
    EMULATOR_LIFECYCLE_S,
    Settings,
    SettingsError,
)
from glue_conformance.options import FLAG_WORDS, OPTIONS, Option, Origin, get_option, origin, typed
from glue_conformance.targets import (
    MOTO_EXT_ENV,
    MOTO_EXT_INSTALL,
    is_aws_host,
    probe_moto_ext,
)

MINISTACK_ENV = "GLUE_CONFORMANCE_MINISTACK"
MINISTACK_INSTALL = (
    "point it at ministack's executable: python3 -m venv .ministack && "
    ".ministack/bin/pip install ministack==1.5.33, then "
    f"{MINISTACK_ENV}=.ministack/bin/ministack"
)


class UsageProblem(Exception):
    """A setting that cannot work: what is wrong, and how to fix it (one line, exit 4)."""

    def __init__(self, what: str, fix: str) -> None:
        super().__init__(f"glue-conformance: {what} ({fix})")


def example(where: Origin, value: str) -> str:
    """How to write `value` where the user wrote the setting (flag, variable or ini key)."""
    return Origin(where.source, where.name, value).shown()


def check_settings(config: pytest.Config) -> None:
    """Every check that needs no target, in the order a user would fix them."""
    for option in OPTIONS:
        check_value(config, option)
    check_target(config)
    check_read_only_pair(config)
    check_ministack(config)
    check_moto_ext(config)
    check_report_dir(config)


def check_value(config: pytest.Config, option: Option) -> None:
    """A value of the option's type and range, from whichever source gave it."""
    where = origin(config, option.name)
    try:
        value = typed(option, where.raw)
    except ValueError:
        raise UsageProblem(_wrong_type(option, where), _type_fix(option, where)) from None
    if option.kind != "float" or value is None:
        return
    if not math.isfinite(value):
        raise UsageProblem(
            f"{where.name} takes a finite number, not {where.raw!r}",
            f"e.g. {example(where, f'{option.default or 10:g}')}",
        )
    low = option.minimum
    if low is None or value > low or (value == low and option.inclusive):
        return
    least = f"at least {low:g}" if option.inclusive else f"more than {low:g}"
    raise UsageProblem(
        f"{where.name} must be {least}, not {value:g}",
        f"e.g. {example(where, f'{option.default or 10:g}')}",
    )


def _wrong_type(option: Option, where: Origin) -> str:
    if option.kind == "float":
        return f"{where.name} takes a number, not {where.raw!r}"
    if option.kind == "flag":
        return f"{where.name} takes {'/'.join(FLAG_WORDS)}, not {where.raw!r}"
    choices = ", ".join(option.choices[:-1]) + f" or {option.choices[-1]}"
    return f"{where.name} takes {choices}, not {where.raw!r}"


def _type_fix(option: Option, where: Origin) -> str:
    if option.kind == "float":
        return f"e.g. {example(where, f'{option.default or 10:g}')}"
    if option.kind == "flag":
        return f"e.g. {example(where, '1')}"
    return f"e.g. {example(where, option.choices[0])}, or unset it for the default"


def check_target(config: pytest.Config) -> None:
    """A URL means the url target: a URL beside another kind, from any source, would judge one
    of the two silently (a CI job exporting GLUE_CONFORMANCE_TARGET=moto and passing a URL would
    be judged against the embedded moto), so the pair is refused, naming both."""
    from glue_conformance.transport import url_problem

    kind_at, url_at = origin(config, "target"), origin(config, "target-url")
    if url_at.given and kind_at.given and kind_at.raw != "url":
        raise UsageProblem(
            f"{kind_at.shown()} conflicts with {url_at.shown()}",
            "a URL means the url target: drop one",
        )
    if kind_at.raw == "url" and not url_at.given:
        raise UsageProblem(
            f"{kind_at.shown()} needs the endpoint to judge",
            "give --target-url URL or GLUE_CONFORMANCE_TARGET_URL=URL",
        )
    if url_at.given:
        problem = url_problem(str(url_at.raw))
        if problem:
            raise UsageProblem(
                f"{url_at.name} {url_at.raw!r}: {problem}",
                f"e.g. {example(url_at, 'http://127.0.0.1:5000')}",
            )


def check_read_only_pair(config: pytest.Config) -> None:
    """Read-only mode reads one existing run: a job name alone would send the suite's checks to
    a job it may not touch, a run id alone would skip every check that needs a run."""
    job, run = origin(config, "job-name"), origin(config, "run-id")
    if job.given == run.given:
        return
    given, missing = (job, "--glue-run-id") if job.given else (run, "--glue-job-name")
    raise UsageProblem(
        f"{given.shown()} without {missing}",
        "read-only mode reads one existing run: give its job's name and its id, or neither "
        "and the suite creates its own",
    )


def check_ministack(config: pytest.Config) -> None:
    """The ministack executable a user named must be one: a path that does not exist is named
    as the problem, not hidden behind the hint to install ministack."""
    if get_option(config, "target") != "ministack":
        return
    given = os.environ.get(MINISTACK_ENV)
    if not given:
        if shutil.which("ministack"):
            return  # `ministack` on PATH
        raise UsageProblem(
            f"--glue-target ministack needs ministack: {MINISTACK_ENV} is not set and no "
            "ministack is on PATH",
            MINISTACK_INSTALL,
        )
    path = Path(given)
    if not path.exists():
        raise UsageProblem(f"{MINISTACK_ENV}={given}: no such file", MINISTACK_INSTALL)
    if path.is_dir():
        raise UsageProblem(
            f"{MINISTACK_ENV}={given} is a folder, not ministack's executable",
            f"e.g. {MINISTACK_ENV}={path / 'bin' / 'ministack'}",
        )
    if not os.access(path, os.X_OK):
        raise UsageProblem(
            f"{MINISTACK_ENV}={given} is not executable",
            f"chmod +x {given}, or {MINISTACK_INSTALL}",
        )


def check_moto_ext(config: pytest.Config) -> None:
    """moto-ext has no executable of its own on PATH (its `moto_server` is moto's name too), so
    the suite takes it from GLUE_CONFORMANCE_MOTO_EXT only: unset, not an executable, a server of
    a virtualenv without moto-ext, or one without what moto-ext's Glue needs is one line, each
    with its fix."""
    if get_option(config, "target") != "moto-ext":
        return
    given = os.environ.get(MOTO_EXT_ENV)
    if not given:
        raise UsageProblem(
            f"--glue-target moto-ext needs {MOTO_EXT_ENV}, moto-ext's moto_server", MOTO_EXT_INSTALL
        )
    path = Path(given)
    if not path.exists():
        raise UsageProblem(f"{MOTO_EXT_ENV}={given}: no such file", MOTO_EXT_INSTALL)
    if path.is_dir():
        raise UsageProblem(
            f"{MOTO_EXT_ENV}={given} is a folder, not moto-ext's moto_server",
            f"e.g. {MOTO_EXT_ENV}={path / 'bin' / 'moto_server'}",
        )
    if not os.access(path, os.X_OK):
        raise UsageProblem(
            f"{MOTO_EXT_ENV}={given} is not executable", f"chmod +x {given}, or {MOTO_EXT_INSTALL}"
        )
    install = probe_moto_ext(os.path.abspath(given))
    if install.problem:
        raise UsageProblem(install.problem, install.fix)


def report_dir_problem(folder: Path) -> str | None:
    """Why the reports could not be written to `folder` (None when they could), found without
    leaving anything behind: the folder, or its nearest existing parent, must be a writable
    folder, and a folder that does not exist yet is made and removed again (permissions do not
    tell everything: root may write anywhere, yet nothing can be made under /proc)."""
    if folder.exists():
        if not folder.is_dir():
            return "is a file, not a folder"
        if not os.access(folder, os.W_OK | os.X_OK):
            return "is not writable"
        return None
    parent = folder.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        return f"cannot be created: {parent} is a file"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"cannot be created: {parent} is not writable"
    return _try_to_make(folder, parent)


def _try_to_make(folder: Path, existing: Path) -> str | None:
    """Make `folder` (and the parents it lacks below `existing`), then remove what was made."""
    made = [folder, *[p for p in folder.parents if p not in existing.parents and p != existing]]
    try:
        folder.mkdir(parents=True)
    except OSError as error:
        return f"cannot be created: {error.strerror or error}"
    finally:
        for path in made:  # deepest first; only what this call made (it did not exist)
            with contextlib.suppress(OSError):
                path.rmdir()
    return None


def check_report_dir(config: pytest.Config) -> None:
    """Found before the run, not after it, in a traceback that hides the verdicts."""
    where = origin(config, "report-dir")
    if not where.given:
        return
    problem = report_dir_problem(Path(str(where.raw)))
    if problem:
        raise UsageProblem(
            f"{where.shown()} {problem}",
            "give a folder that can be created and written, e.g. glue-report",
        )


def settings_of(config: pytest.Config, *, workers: int) -> Settings:
    """The engine's typed settings from the options (each already checked by `check_settings`:
    a URL beside another target kind was refused there); what only the engine can judge is
    named with its origin here."""

    def get(name: str) -> Any:
        return get_option(config, name)

    url = get("target-url")
    kind = get("target") or ("url" if url else "moto")
    aws = kind == "url" and is_aws_host(str(url))
    try:
        settings = Settings(
            kind=str(kind),
            target_url=url,
            region=get("region"),
            aws_profile=get("aws-profile"),
            real_credentials=bool(get("real-credentials")),
            checks_auth=not get("no-auth-check"),
            reference_faults=frozenset(get("reference-fault")),
            reference_variants=frozenset(get("reference-variant")),
            reference_stage_seconds=float(get("reference-stage-seconds")),
            request_timeout=float(get("request-timeout")),
            max_rps=get("max-rps") or None,
            workers=max(workers, 1),
            baseline=str(get("baseline")),
            job_name=get("job-name") or None,
            run_id=get("run-id") or None,
            job_role=get("job-role") or None,
            allow_billable=bool(get("allow-billable")),
            max_runs=int(get("max-runs")),
            tolerate_invalid_input=bool(get("tolerate-invalid-input")),
            lifecycle_timeout=float(
                get("lifecycle-timeout") or (AWS_LIFECYCLE_S if aws else EMULATOR_LIFECYCLE_S)
            ),
            concurrency=int(get("concurrency")) if get("concurrency") else None,
            clock_window=float(get("clock-window")),
            max_time=get("max-time") or None,
            target_name=get("target-name") or None,
            keep_resources=bool(get("keep-resources")),
        )
        settings.check()
    except SettingsError as error:
        where = origin(config, error.setting)
        raise UsageProblem(f"{where.name} {error.value}: {error.problem}", error.fix) from None
    return settings


def baseline_problem(config: pytest.Config, error: BaselineError) -> UsageProblem:
    where = origin(config, "baseline")
    return UsageProblem(f"{where.name} {error.value}: {error.problem}", error.fix)
