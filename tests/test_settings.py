"""Settings as users give them: command line, then environment, then ini, for every option; a URL
means the url target; and every value that cannot work is one line, exit 4, before anything is
sent. The cases a user meets run as `pytest --pyargs glue_conformance` from a folder of their
own (the installed suite's own helper, with the project's editable install)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from glue_conformance.options import OPTIONS, Option, get_option, origin, typed
from glue_conformance.reference import ReferenceServer
from glue_conformance.usage import report_dir_problem
from tests.servers import json_answer, serve
from tests.test_bad_targets import _arrivals
from tests.test_installed import _run
from tests.test_plugin_run import usage_line

pytest_plugins = ["pytester"]

PAIRS = [("command line", "environment"), ("command line", "ini"), ("environment", "ini")]


def _raw_values(option: Option) -> tuple[Any, Any]:
    """Two different values for the option, each as every source can write it."""
    if option.kind == "flag":
        return True, "0"  # the command line can only switch a flag on
    if option.kind == "choice":
        return option.choices[0], option.choices[1]
    if option.kind == "float":
        return "3", "5"
    if option.name == "target-url":
        return "http://127.0.0.1:1001", "http://127.0.0.1:1002"
    return "first", "second"


def _given(option: Option, source: str, raw: Any) -> tuple[list[str], dict[str, str], str]:
    """Arguments, environment and ini lines that give `raw` through `source`."""
    if source == "command line":
        return ([option.flag] if raw is True else [option.flag, str(raw)]), {}, ""
    text = "1" if raw is True else str(raw)
    if source == "environment":
        return [], {option.env: text}, ""
    return [], {}, f"{option.ini} = {text}\n"


@pytest.mark.parametrize(("winner", "loser"), PAIRS, ids=["cmd>env", "cmd>ini", "env>ini"])
@pytest.mark.parametrize("option", OPTIONS, ids=[option.name for option in OPTIONS])
def test_each_source_beats_the_next_for_every_option(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    option: Option,
    winner: str,
    loser: str,
) -> None:
    for name in list(os.environ):
        if name.startswith("GLUE_CONFORMANCE_"):
            monkeypatch.delenv(name)
    strong, weak = _raw_values(option)
    if winner == "environment" and option.kind == "flag":
        strong, weak = "0", "1"  # the environment may say off where the ini says on
    args, env, ini = _given(option, winner, strong)
    more_args, more_env, more_ini = _given(option, loser, weak)
    for name, value in {**env, **more_env}.items():
        monkeypatch.setenv(name, value)
    pytester.makeini(f"[pytest]\n{ini}{more_ini}")
    config = pytester.parseconfig(*args, *more_args)
    assert origin(config, option.name).source == winner
    assert get_option(config, option.name) == typed(option, strong)
    assert get_option(config, option.name) != typed(option, weak)


def test_an_unset_option_takes_its_default(pytester: pytest.Pytester) -> None:
    config = pytester.parseconfig()
    for option in OPTIONS:
        if option.env in os.environ:
            continue
        assert origin(config, option.name).source == "default", option.name
        assert get_option(config, option.name) == typed(option, None)


def _suite(tmp_path: Path, *args: str, env: dict[str, str] | None = None, ini: str = "") -> Any:
    """The installed suite as a user runs it, from a folder of their own (with `ini` lines)."""
    home = tmp_path / "project"
    home.mkdir(exist_ok=True)
    if ini:
        (home / "pytest.ini").write_text(f"[pytest]\n{ini}\n", encoding="utf-8")
    return _run(sys.executable, home, ["--pyargs", "glue_conformance"], *args, env=env)


NOT_FOUND = {"__type": "EntityNotFoundException", "Message": "Job run not found."}


@pytest.mark.parametrize(
    ("args", "env", "ini", "expected"),
    [
        (
            ["--glue-target", "moto", "--target-url", "{url}"],
            {},
            "",
            "--glue-target moto conflicts with --target-url {url}",
        ),
        (
            ["--target-url", "{url}"],
            {"GLUE_CONFORMANCE_TARGET": "moto"},
            "",
            "GLUE_CONFORMANCE_TARGET=moto conflicts with --target-url {url}",
        ),
        (
            ["--glue-target", "reference"],
            {"GLUE_CONFORMANCE_TARGET_URL": "{url}"},
            "",
            "--glue-target reference conflicts with GLUE_CONFORMANCE_TARGET_URL={url}",
        ),
        (
            ["--target-url", "{url}"],
            {},
            "glue_conformance_target = reference",
            "ini glue_conformance_target = reference conflicts with --target-url {url}",
        ),
    ],
    ids=["flag-flag", "env-flag", "flag-env", "ini-flag"],
)
@pytest.mark.slow
def test_a_target_kind_beside_a_url_is_one_usage_line_and_nothing_is_sent(
    tmp_path: Path, args: list[str], env: dict[str, str], ini: str, expected: str
) -> None:
    """The issue's wrong-target cases: each was judged against the embedded target, exit 0."""
    with serve(json_answer(400, NOT_FOUND)) as (url, seen):
        result = _suite(
            tmp_path,
            *[arg.format(url=url) for arg in args],
            env={name: value.format(url=url) for name, value in env.items()},
            ini=ini,
        )
    usage_line(result, expected.format(url=url))
    assert "(a URL means the url target: drop one)" in result.stderr
    assert seen == []


@pytest.mark.slow
def test_a_url_from_the_environment_with_the_url_kind_is_judged(tmp_path: Path) -> None:
    """The URL is the target whatever source gives it; the url kind beside it is no conflict."""
    with ReferenceServer() as server:
        url, arrivals = server.url, _arrivals(server)
        result = _suite(
            tmp_path,
            "-k",
            "known_job",
            env={"GLUE_CONFORMANCE_TARGET": "url", "GLUE_CONFORMANCE_TARGET_URL": url},
        )
    assert result.returncode == 0, result.stdout[-2000:]
    assert f"glue-conformance: target url ({url})" in result.stdout
    assert arrivals  # this server was judged, not an embedded one


def _file(tmp_path: Path, name: str, mode: int) -> Path:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(mode)
    return path


@pytest.mark.parametrize(
    ("args", "env", "ini", "expected"),
    [
        ([], {"GLUE_CONFORMANCE_TARGET": "mot"}, "", "GLUE_CONFORMANCE_TARGET takes moto, "),
        ([], {}, "glue_conformance_target = mot", "ini glue_conformance_target takes moto, "),
        ([], {}, "glue_conformance_max_rps = 0", "ini glue_conformance_max_rps must be more"),
        (["--glue-target", "url"], {}, "", "--glue-target url needs the endpoint to judge"),
        ([], {"GLUE_CONFORMANCE_NO_AUTH_CHECK": "maybe"}, "", "takes 1/true/yes/0/false/no"),
        (["--glue-job-name", "j"], {}, "", "--glue-job-name j without --glue-run-id"),
        (["--glue-run-id", "jr_1"], {}, "", "--glue-run-id jr_1 without --glue-job-name"),
        (["--glue-report-dir", "{file}"], {}, "", "--glue-report-dir {file} is a file"),
        (["--glue-report-dir", "{file}/sub"], {}, "", "cannot be created: {file} is a file"),
        (
            ["--glue-target", "ministack"],
            {"GLUE_CONFORMANCE_MINISTACK": "{tmp}/nowhere/ministack"},
            "",
            "GLUE_CONFORMANCE_MINISTACK={tmp}/nowhere/ministack: no such file",
        ),
        (
            ["--glue-target", "ministack"],
            {"GLUE_CONFORMANCE_MINISTACK": "{file}"},
            "",
            "GLUE_CONFORMANCE_MINISTACK={file} is not executable",
        ),
        (
            ["--glue-target", "ministack"],
            {"GLUE_CONFORMANCE_MINISTACK": "{tmp}"},
            "",
            "GLUE_CONFORMANCE_MINISTACK={tmp} is a folder",
        ),
        (
            ["--glue-target", "ministack"],
            {"GLUE_CONFORMANCE_MINISTACK": ""},
            "",
            "--glue-target ministack needs ministack: GLUE_CONFORMANCE_MINISTACK is not set",
        ),
        (["--glue-baseline", "localstack"], {}, "", "--glue-baseline localstack: no such file"),
        (
            ["--glue-keep-resources"],
            {},
            "",
            "--glue-keep-resources against the embedded moto: the run stops an embedded target",
        ),
        (
            ["--glue-target", "reference"],
            {"GLUE_CONFORMANCE_KEEP_RESOURCES": "1"},
            "",
            "GLUE_CONFORMANCE_KEEP_RESOURCES against the embedded reference: ",
        ),
    ],
    ids=[
        "env-choice",
        "ini-choice",
        "ini-minimum",
        "url-kind-without-url",
        "env-flag",
        "job-name-alone",
        "run-id-alone",
        "report-dir-is-a-file",
        "report-dir-under-a-file",
        "ministack-missing",
        "ministack-not-executable",
        "ministack-folder",
        "ministack-unset",
        "baseline-unknown",
        "keep-resources-embedded",
        "keep-resources-env-embedded",
    ],
)
@pytest.mark.slow
def test_a_setting_that_cannot_work_is_one_usage_line(
    tmp_path: Path, args: list[str], env: dict[str, str], ini: str, expected: str
) -> None:
    plain = _file(tmp_path, "plain", 0o644)
    where = {"file": str(plain), "tmp": str(tmp_path)}
    result = _suite(
        tmp_path,
        *[arg.format(**where) for arg in args],
        env={name: value.format(**where) for name, value in env.items()},
        ini=ini,
    )
    usage_line(result, expected.format(**where))
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to any folder")
def test_a_report_dir_in_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert report_dir_problem(locked) == "is not writable"
        assert report_dir_problem(locked / "sub") == f"cannot be created: {locked} is not writable"
    finally:
        locked.chmod(stat.S_IRWXU)


def test_a_report_dir_that_can_be_made_is_accepted_and_nothing_is_written(tmp_path: Path) -> None:
    assert report_dir_problem(tmp_path / "a" / "b") is None
    assert report_dir_problem(tmp_path) is None
    assert list(tmp_path.iterdir()) == []
