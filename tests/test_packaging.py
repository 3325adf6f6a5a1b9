"""What an install adds to site-packages: one import name, `glue_conformance`, whatever the
repository's folders are called. The list of packages in pyproject.toml is explicit (package-dir
maps the folders); this keeps it equal to the folders' packages, so a new subpackage cannot be
left out of the wheel."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"conformance": "glue_conformance"}
FOLDERS.update({name: f"glue_conformance.{name}" for name in ("schemas", "strategies", "reports")})


def _setuptools() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["setuptools"]


def test_every_folder_package_is_installed_under_the_one_name():
    expected = set()
    for folder, name in FOLDERS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            expected.add(".".join((name, *parts)))
    assert set(_setuptools()["packages"]) == expected


def test_each_folder_maps_to_its_name_and_nothing_else_is_top_level():
    setuptools = _setuptools()
    assert setuptools["package-dir"] == {name: folder for folder, name in FOLDERS.items()}
    tops = {name.split(".")[0] for name in setuptools["packages"]}
    assert tops == {"glue_conformance"}


def test_data_files_ship_with_their_package():
    data = _setuptools()["package-data"]
    for name, patterns in data.items():
        folder = next(f for f, n in FOLDERS.items() if n == name)
        for pattern in patterns:
            assert list((ROOT / folder).glob(pattern)), (name, pattern)
