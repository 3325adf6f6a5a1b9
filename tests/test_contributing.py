"""CONTRIBUTING.md's "Adding a check" lists every place a new rule touches: each file it names
exists, and each name it gives in a step is defined in one of that step's files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Adding a check\n"
GROUPS = ("validation", "not_found", "response", "protocol", "lifecycle", "sdk")


def _steps(text: str) -> list[str]:
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return re.split(r"\n(?=\d+\. )", section.split("\n1. ", 1)[1])


def _files(step: str) -> list[Path]:
    paths = [p for p in re.findall(r"`([\w./<>-]+\.(?:py|json|md))`", step) if "/" in p or "." in p]
    found: list[Path] = []
    for path in paths:
        if "<group>" in path:
            found += [ROOT / path.replace("<group>", group) for group in GROUPS]
        else:
            found.append(ROOT / path)
    return found


def _defines(name: str, files: list[Path]) -> bool:
    """Defined there (a function, class, constant, field, keyword, fixture argument) or
    imported there for the contributor to use."""
    forms = [
        rf"def {name}\b",
        rf"class {name}\b",
        rf"^\s*{name}\s*[:=]",
        rf"\b{name}=",
        rf"\"{name}\"",
        rf"def \w+\([^)]*\b{name}\b",
        rf"^from [\w.]+ import [^\n]*\b{name}\b",
    ]
    pattern = re.compile("|".join(forms), re.M)
    return any(pattern.search(f.read_text(encoding="utf-8")) for f in files if f.suffix == ".py")


STEPS = _steps((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"))


def test_the_list_has_every_step_in_order():
    assert [s.split(". ", 1)[0] for s in ["1. " + STEPS[0][3:], *STEPS[1:]]] == [
        str(n) for n in range(1, len(STEPS) + 1)
    ]
    assert len(STEPS) == 7


@pytest.mark.parametrize("number", range(1, 8))
def test_every_file_a_step_names_exists(number):
    files = _files(STEPS[number - 1])
    assert files, f"step {number} names no file"
    missing = [str(f.relative_to(ROOT)) for f in files if not f.exists()]
    assert not missing


@pytest.mark.parametrize("number", range(1, 8))
def test_every_name_a_step_gives_is_defined_in_its_files(number):
    step = STEPS[number - 1]
    files = [f for f in _files(step) if f.exists()]
    names = set(re.findall(r"`@?([A-Za-z_][A-Za-z0-9_]*)(?:\([^`]*\))?`", step))
    names -= {"pytest"}  # (the marker's module)
    undefined = sorted(n for n in names if not _defines(n, files))
    assert not undefined, f"step {number}: {undefined} in none of {[f.name for f in files]}"


def test_a_step_naming_something_that_is_not_there_fails():
    """The check itself can fail: a made-up name in a real file is found undefined."""
    assert not _defines("no_such_thing_anywhere", [ROOT / "conformance" / "rules.py"])
    assert _defines("Rule", [ROOT / "conformance" / "rules.py"])
