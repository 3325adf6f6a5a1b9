"""CONTRIBUTING.md's "Adding a check" lists every place a new rule touches: each file it names
exists, each name it gives in a step is defined in one of that step's files, and a rule added in
those places alone (tests/contributed_rule.py) is judged, reported, selected and scored."""

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
    assert len(STEPS) == 3


@pytest.mark.parametrize("number", range(1, 4))
def test_every_file_a_step_names_exists(number):
    files = _files(STEPS[number - 1])
    assert files, f"step {number} names no file"
    missing = [str(f.relative_to(ROOT)) for f in files if not f.exists()]
    assert not missing


@pytest.mark.parametrize("number", range(1, 4))
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


# What a process that imports tests/contributed_rule.py (a rule, its check with its cases, its
# fault: the three places) sees of the new rule; one JSON line at the end.
_NEW_RULE = r"""
import contextlib, io, json, sys, tempfile
from pathlib import Path

import pytest

from tests import contributed_rule as new
from tests import selftest_runner, test_checks
from glue_conformance.reference import ReferenceServer
from glue_conformance.reference.probes import Client
from glue_conformance.verdicts import item_name, verdict_rules

seen = {"cases": sorted(n for n in test_checks.unit_cases() if n.startswith("contributed_rule."))}
seen["item"] = [verdict_rules().get(new.RULE_ID), item_name(new.RULE_ID)]
probe = new.FAULTS[new.CONTRIBUTED_MEMBER].probe
with ReferenceServer(stage_seconds=0.05) as clean, ReferenceServer(
    stage_seconds=0.05, faults=frozenset({new.CONTRIBUTED_MEMBER})
) as faulty:
    seen["probe"] = [probe.ask(Client(clean.url)), probe.ask(Client(faulty.url))]
for fault in ("", new.CONTRIBUTED_MEMBER):
    report = tempfile.mkdtemp()
    args = ["conformance", "-p", "no:cacheprovider", "-q", "--glue-target", "reference",
            "--glue-reference-stage-seconds", "0.05", "-k", new.RULE_ID,
            "--glue-report-dir", report]
    args += ["--glue-reference-fault", fault] if fault else []
    with contextlib.redirect_stdout(io.StringIO()):
        code = int(pytest.main(args))
    checks = json.loads(Path(report, "results.json").read_text())["checks"]
    seen[fault or "clean"] = {
        "exit": code,
        "checks": [[c["id"], c["group"], c["status"], c["message"] or ""] for c in checks],
    }
score = {kind: selftest_runner.run(kind, name)
         for kind, name in (("fault", new.CONTRIBUTED_MEMBER), ("clean", ""))}
seen["score"] = {kind: [v["returncode"], v["rules"]] for kind, v in score.items()}
print("SEEN " + json.dumps(seen))
"""


@pytest.mark.slow
def test_a_rule_its_check_and_its_fault_are_all_a_new_rule_needs():
    """tests/contributed_rule.py adds a strict rule in the three places of "Adding a check"
    and nothing else: its unit cases are found, its item is generated, it is selected with `-k`,
    judged and reported (results.json), its fault's probe shows it, and the mutation test's
    runner scores the fault killed by it while the faithful reference still passes."""
    import json
    import sys

    from tests import children

    result = children.run(
        [sys.executable, "-c", _NEW_RULE], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("SEEN ")]
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    assert lines, result.stdout[-3000:]
    seen = json.loads(lines[-1][len("SEEN ") :])
    rule = "response.contributed.absent"
    assert seen["cases"] == ["contributed_rule.check_no_contributed_member"]
    assert seen["item"] == ["test_response", "test_response_contributed_absent"]
    assert seen["probe"] == [False, True]
    assert seen["clean"]["exit"] == 0
    assert [c[:3] for c in seen["clean"]["checks"]] == [[rule, "response", "passed"]]
    assert seen["contributed-member"]["exit"] == 1
    (judged,) = seen["contributed-member"]["checks"]
    assert judged[:3] == [rule, "response", "failed"]
    assert "ContributedMember present" in judged[3], judged
    fault, clean = seen["score"]["fault"], seen["score"]["clean"]
    assert fault[0] == 1, fault  # killed ...
    assert rule in fault[1], fault  # ... by the rule that names it
    assert clean == [0, []], clean  # and no false alarm on the faithful reference
