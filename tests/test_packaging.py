"""What an install adds to site-packages: one import name, `glue_conformance`, whatever the
repository's folders are called. The list of packages in pyproject.toml is explicit (package-dir
maps the folders); this keeps it equal to the folders' packages, so a new subpackage cannot be
left out of the wheel."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"conformance": "glue_conformance"}
FOLDERS.update({name: f"glue_conformance.{name}" for name in ("schemas", "strategies", "reports")})


def _setuptools() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["setuptools"]


def _tracked_folders() -> set[Path]:
    listed = subprocess.run(
        ["git", "ls-files", *FOLDERS], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return {(ROOT / file).parent for file in listed}


def test_every_tracked_folder_is_installed_under_the_one_name():
    """Code and data folders alike (a data folder left out would ship without its files)."""
    expected = set()
    for path in _tracked_folders():
        top = path.relative_to(ROOT).parts[0]
        parts = path.relative_to(ROOT / top).parts
        expected.add(".".join((FOLDERS[top], *parts)))
    assert set(_setuptools()["packages"]) == expected


def test_each_folder_maps_to_its_name_and_nothing_else_is_top_level():
    setuptools = _setuptools()
    assert setuptools["package-dir"] == {name: folder for folder, name in FOLDERS.items()}
    tops = {name.split(".")[0] for name in setuptools["packages"]}
    assert tops == {"glue_conformance"}


def test_every_tracked_data_file_ships():
    """Each tracked file that is not Python matches its package's package-data."""
    data = _setuptools()["package-data"]
    listed = subprocess.run(
        ["git", "ls-files", *FOLDERS], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for file in listed:
        path = ROOT / file
        if path.suffix == ".py" or path.is_symlink():  # the links below are layout, not data
            continue
        top = path.relative_to(ROOT).parts[0]
        package = ".".join((FOLDERS[top], *path.parent.relative_to(ROOT / top).parts))
        patterns = data.get(package, [])
        assert any(path.match(pattern) for pattern in patterns), (file, package, patterns)


def test_links_show_static_tools_the_installed_layout():
    """mypy, pyright and an editor run no import hook: committed relative links lay the checkout
    out as installed (glue_conformance -> conformance, conformance/schemas -> ../schemas...), so
    they resolve `glue_conformance.schemas` from a clone. Each link says what package-dir says."""
    listed = subprocess.run(
        ["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    tracked = {line.split("\t", 1)[1] for line in listed if line.startswith("120000 ")}
    package_dir = _setuptools()["package-dir"]
    expected = {"glue_conformance": "conformance"}
    for name, folder in package_dir.items():
        if name != "glue_conformance":
            expected[str(Path(package_dir["glue_conformance"], *name.split(".")[1:]))] = folder
    assert tracked == set(expected)
    for link, folder in expected.items():
        target = (ROOT / link).readlink()
        assert not target.is_absolute(), (link, target)  # a clone elsewhere keeps them working
        assert (ROOT / link).resolve() == (ROOT / folder).resolve(), (link, target)
