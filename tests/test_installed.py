"""The suite as users install it: a wheel (not editable) in a fresh virtualenv, run with
`pytest --pyargs conformance` from a folder outside the checkout. Every outcome must equal the
checkout run's: exit code, the one-line messages, each check's verdict in results.json, a real
duration and the header line.

The virtualenv is built once for the module (about a minute, most of it pip resolving the pinned
set from its cache).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest

from tests.servers import closed_port, serve

ROOT = Path(__file__).resolve().parents[1]


def _environment() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GLUE_CONFORMANCE_", "PYTEST_", "VIRTUAL_ENV"))
        and k not in ("CI", "BUILD_NUMBER", "PYTHONPATH")
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh virtualenv holding the wheel built from this checkout."""
    base = tmp_path_factory.mktemp("installed")
    wheels = base / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
        env=_environment(),
    )
    (wheel,) = wheels.glob("glue_conformance-*.whl")
    home = base / "venv"
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "-c",
            str(ROOT / "constraints.txt"),
            f"{wheel}[moto]",
        ],
        check=True,
        capture_output=True,
        timeout=900,
        env=_environment(),
    )
    where = subprocess.run(
        [str(python), "-c", "import conformance; print(conformance.__file__)"],
        cwd=base,
        capture_output=True,
        text=True,
        check=True,
        env=_environment(),
    ).stdout
    assert "site-packages" in where, where
    assert str(ROOT) not in where, where
    return python


def _run(python: str | Path, cwd: Path, suite: list[str], *args: str) -> Any:
    return subprocess.run(
        [
            str(python),
            "-m",
            "pytest",
            *suite,
            "-p",
            "no:cacheprovider",
            "--hypothesis-profile",
            "glue-quick",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=_environment(),
    )


def _both(installed: Path, tmp_path: Path, *args: str) -> tuple[Any, Any]:
    """The same run from the checkout and from the wheel (in a folder of its own)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    checkout = _run(sys.executable, ROOT, ["conformance"], *args)
    wheel = _run(installed, elsewhere, ["--pyargs", "conformance"], *args)
    return checkout, wheel


def _glue_lines(result: Any) -> list[str]:
    return [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if "glue-conformance" in line and "report:" not in line and "plugins:" not in line
    ]


def _verdicts(folder: Path) -> tuple[dict[str, str], dict[str, Any]]:
    data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    return {check["id"]: check["status"] for check in data["checks"]}, data


@pytest.mark.parametrize(
    "args",
    [
        ["--glue-target", "reference"],
        ["--glue-target", "reference", "--glue-reference-fault", "wrong-id"],
        ["-n", "2"],
    ],
    ids=["reference", "reference-fault", "moto-n2"],
)
def test_the_installed_suite_judges_as_the_checkout_does(installed, tmp_path, args):
    checkout_dir, wheel_dir = tmp_path / "checkout-report", tmp_path / "wheel-report"
    checkout = _run(
        sys.executable, ROOT, ["conformance"], *args, "--glue-report-dir", str(checkout_dir)
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    wheel = _run(
        installed,
        elsewhere,
        ["--pyargs", "conformance"],
        *args,
        "--glue-report-dir",
        str(wheel_dir),
    )
    assert wheel.returncode == checkout.returncode, wheel.stdout[-3000:]
    assert checkout.returncode in (0, 1), checkout.stdout[-3000:]
    ours, data = _verdicts(checkout_dir)
    theirs, installed_data = _verdicts(wheel_dir)
    assert theirs == ours
    assert installed_data["duration_s"] > 0.3  # the run, not the last hook
    assert data["duration_s"] > 0.3
    header = [line for line in _glue_lines(wheel) if line.startswith("glue-conformance: target")]
    assert header == [
        line for line in _glue_lines(checkout) if line.startswith("glue-conformance: target")
    ]
    assert len(header) == 1


def test_an_unreachable_url_is_the_same_one_line(installed, tmp_path):
    url = f"http://127.0.0.1:{closed_port()}"
    checkout, wheel = _both(installed, tmp_path, "--target-url", url)
    assert checkout.returncode == wheel.returncode == 69
    assert _glue_lines(wheel) == _glue_lines(checkout)
    assert [line for line in (wheel.stdout + wheel.stderr).splitlines() if line.strip()] == [
        f"glue-conformance: target {url} unusable (unreachable): connection refused"
    ]


def test_a_server_that_is_not_aws_is_the_same_one_line(installed, tmp_path):
    def html(_: Any, __: Any) -> tuple[int, dict[str, str], bytes]:
        return 404, {"Content-Type": "text/html"}, b"<html><body>Not Found</body></html>"

    with serve(html) as (url, _):
        checkout, wheel = _both(installed, tmp_path, "--target-url", url)
    assert checkout.returncode == wheel.returncode == 69
    (line,) = [line for line in (wheel.stdout + wheel.stderr).splitlines() if line.strip()]
    assert "does not speak AWS JSON 1.1" in line
    assert _glue_lines(wheel) == _glue_lines(checkout)


def test_a_bad_option_value_is_the_same_usage_line(installed, tmp_path):
    checkout, wheel = _both(
        installed, tmp_path, "--glue-target", "reference", "--glue-max-rps", "fast"
    )
    assert checkout.returncode == wheel.returncode == 4
    lines = [line for line in (wheel.stdout + wheel.stderr).splitlines() if line.strip()]
    assert lines == ["ERROR: glue-conformance: --glue-max-rps takes a number, not 'fast'"]
    assert _glue_lines(wheel) == _glue_lines(checkout)


def test_an_unrelated_run_beside_the_wheel_is_left_alone(installed, tmp_path):
    """With the plugin installed, a neighbour's pytest run gets none of the suite's fixtures,
    hooks or checks; its conftest may add --region, --target, --baseline, --run-id and
    --report-dir; under CI=true its Hypothesis settings are what they are without the plugin;
    and nothing is sent anywhere."""
    project = tmp_path / "neighbour"
    project.mkdir()
    (project / "conftest.py").write_text(
        "def pytest_addoption(parser):\n"
        "    for flag in ('--region', '--target', '--baseline', '--run-id', '--report-dir'):\n"
        "        parser.addoption(flag, default=None)\n",
        encoding="utf-8",
    )
    (project / "test_own.py").write_text(
        "import pytest\nfrom hypothesis import given, settings, strategies as st\n\n"
        "@pytest.fixture\ndef transport():\n    return 'mine'\n\n"
        "def test_mine(transport, request):\n"
        "    assert transport == 'mine'\n"
        "    assert 'glue_target' not in request.fixturenames\n"
        "    assert not request.config.pluginmanager.has_plugin('glue_conformance_suite')\n"
        "    assert request.config.getoption('--region') == 'eu-west-1'\n"
        "    print('SETTINGS', repr(settings.default))\n\n"
        "@given(st.integers())\ndef test_property(n):\n    assert isinstance(n, int)\n",
        encoding="utf-8",
    )
    environment = {
        **_environment(),
        "CI": "true",
        "GLUE_CONFORMANCE_TARGET_URL": "http://127.0.0.1:1",
    }

    def run(*extra: str) -> Any:
        return subprocess.run(
            [
                str(installed),
                "-m",
                "pytest",
                "-q",
                "-s",
                "-p",
                "no:cacheprovider",
                *extra,
                "--region",
                "eu-west-1",
            ],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
            env=environment,
        )

    beside, alone = run(), run("-p", "no:glue_conformance")
    assert beside.returncode == 0, beside.stdout[-2000:] + beside.stderr[-2000:]
    assert alone.returncode == 0, alone.stdout[-2000:]
    assert "2 passed" in beside.stdout
    assert "glue-conformance" not in beside.stdout + beside.stderr

    def settings_line(result: Any) -> str:
        return next(line for line in result.stdout.splitlines() if "SETTINGS" in line)

    assert settings_line(beside) == settings_line(alone)
