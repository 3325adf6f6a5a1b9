"""`pytest tests` on pytest-xdist keeps a file's tests together where the file defines a fixture
wider than a test (tests/conftest.py's scheduler): run on a copy of the hooks, in a folder of
two test files, as `pytest tests` runs. And the Pythons the tests start keep their bytecode."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import children
from tests.conftest import keep_bytecode, shared_files

HERE = Path(__file__).resolve().parent

SHARED = """
import os
import pytest

@pytest.fixture(scope="module")
def built():
    with open(os.environ["SETUPS"], "a") as out:
        out.write(os.environ.get("PYTEST_XDIST_WORKER", "none") + "\\n")

@pytest.mark.parametrize("i", range(8))
def test_uses_it(built, i):
    with open(os.environ["RAN"], "a") as out:
        out.write(os.environ.get("PYTEST_XDIST_WORKER", "none") + "\\n")
"""

ALONE = """
import pytest

@pytest.mark.parametrize("i", range(8))
def test_alone(i):
    pass
"""


def test_the_files_that_share_a_fixture_are_found():
    found = shared_files()
    assert {"tests/test_mutation_score.py", "tests/test_installed.py"} <= found
    assert "tests/test_docs.py" not in found  # (no fixture wider than a test)


@pytest.mark.slow  # starts pytest with two workers
def test_a_module_fixture_is_built_once_under_two_workers(tmp_path):
    tests = tmp_path / "tests"
    tests.mkdir()
    for name in ("conftest.py", "scores.py", "__init__.py"):
        shutil.copy(HERE / name, tests / name)
    (tests / "test_shared.py").write_text(SHARED)
    (tests / "test_alone.py").write_text(ALONE)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    setups, ran = tmp_path / "setups", tmp_path / "ran"
    # (-n 2 --dist loadgroup: what `pytest tests` sets when it runs the whole folder)
    command = [sys.executable, "-m", "pytest", "tests", "-p", "no:cacheprovider", "-v"]
    with children.child(
        [*command, "-n", "2", "--dist", "loadgroup"],
        cwd=tmp_path,
        env={**os.environ, "SETUPS": str(setups), "RAN": str(ran)},
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        out = process.communicate(timeout=120)[0]
    assert process.returncode == 0, out
    assert "[gw0]" in out, out
    assert "[gw1]" in out, out
    workers = setups.read_text().split()
    assert len(workers) == 1, f"the module fixture was built on {workers}"
    assert set(ran.read_text().split()) == set(workers)  # all eight on that worker


def test_without_bytecode_the_session_keeps_it_in_a_cache_outside_the_sources(monkeypatch):
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.delenv("PYTHONPYCACHEPREFIX", raising=False)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    prefix = keep_bytecode()
    assert prefix is not None
    assert os.environ["PYTHONPYCACHEPREFIX"] == prefix
    assert "PYTHONDONTWRITEBYTECODE" not in os.environ
    assert (sys.pycache_prefix, sys.dont_write_bytecode) == (prefix, False)
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", "/somewhere/chosen")
    assert keep_bytecode() == "/somewhere/chosen"  # a cache the user chose is the one used


def test_a_python_a_test_starts_keeps_its_bytecode(tmp_path):
    """Whatever the environment the session started in, a Python its tests start writes the
    bytecode of what it imports, for the next one to read."""
    (tmp_path / "probe.py").write_text("X = 1\n")
    show = (
        "import importlib.util, sys; sys.path.insert(0, sys.argv[1]); import probe;"
        "print(importlib.util.cache_from_source(probe.__file__))"
    )
    done = subprocess.run(
        [sys.executable, "-c", show, str(tmp_path)], capture_output=True, text=True, check=True
    )
    cached = Path(done.stdout.strip())
    assert cached.is_file(), done
    if os.environ.get("PYTHONPYCACHEPREFIX"):
        assert not (tmp_path / "__pycache__").exists()  # nothing beside the sources
