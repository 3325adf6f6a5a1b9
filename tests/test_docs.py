"""The README is the newcomer's entry point: keep its commands and option table true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glue_conformance.plugin import OPTIONS
from glue_conformance.rules import RULES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    first_block = README.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in first_block.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    assert commands[0].endswith("pytest conformance")
    assert commands[1].endswith("pytest tests")
    assert all("-c constraints.txt" in command for command in commands)


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/pytest tests" in ci
    assert "-c constraints.txt" in ci


def test_every_option_is_documented_with_its_environment_variable():
    for option in OPTIONS:
        assert re.search(rf"\| `{option.flag}` \| `{option.env}` \|", README), option.name


def test_every_option_row_says_what_the_option_says():
    """The table is the options' help and default, so a changed default cannot go stale."""
    for option in OPTIONS:
        meaning = option.help
        if option.default is not None and option.default is not False and option.default != ():
            meaning += f" (default {option.default})"
        row = f"| `{option.flag}` | `{option.env}` | {meaning} |"
        assert row in README, row


def test_every_baseline_rule_exists():
    import json

    for baseline in (ROOT / "reports" / "baselines").glob("*.json"):
        for entry in json.loads(baseline.read_text())["deviations"]:
            assert entry["rule"] in RULES, (baseline.name, entry["rule"])
            assert entry["what"]
            assert entry["evidence"]


def test_readme_counts_the_reference_faults_and_variants():
    from glue_conformance.reference.catalogue import FAULTS, VARIANTS

    assert f"carries {len(FAULTS)} seeded faults" in README
    assert f"{len(VARIANTS)} variants real AWS may show" in README
    assert f"**{len(FAULTS)}/{len(FAULTS)} faults killed" in README
    assert f"0/{len(VARIANTS)} false alarms" in README


def test_readme_counts_the_named_validation_cases():
    from glue_conformance.cases import cases_of

    assert f"**validation**: {len(cases_of('constraint'))} named edge cases" in README
    assert f"{len(cases_of('multi'))} requests breaking several" in README


def _example() -> str:
    section = README.split("## Checks without pytest", 1)[1].split("\n## ", 1)[0]
    return section.split("```python", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize("fault", [None, "listing-foreign-runs"])
def test_the_checks_without_pytest_example_runs(tmp_path, fault):
    """The README's example, as written, against the reference endpoint: the campaign runs
    whole, every rule it judged passes a faithful endpoint, a seeded fault shows as its rule's
    FAIL line, and what it created is deleted."""
    import subprocess
    import sys

    from glue_conformance.reference import ReferenceServer

    script = tmp_path / "example.py"
    script.write_text(_example(), encoding="utf-8")
    server = ReferenceServer(faults=frozenset({fault} if fault else ()), stage_seconds=0.02)
    server.start()
    try:
        done = subprocess.run(
            [sys.executable, str(script), server.url],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
        left = dict(server.app.jobs)
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    judged = {line.split()[1].rstrip(":") for line in lines}
    assert {"response.schema", "response.arguments.own", "lifecycle.runs-listed"} <= judged
    assert judged <= set(RULES)
    failed = [line.split()[1].rstrip(":") for line in lines if line.startswith("FAIL")]
    assert failed == (
        ["lifecycle.runs-only-own", "response.jobname.matches-request"] if fault else []
    )
    assert left == {}


def test_the_readme_table_of_emulator_deviations_is_the_baselines():
    from glue_conformance.reports.baseline import committed, table

    block = README.split("<!-- baseline-table:start -->\n", 1)[1].split(
        "\n<!-- baseline-table:end -->"
    )[0]
    assert block == table(committed())
    assert {"moto", "ministack"} <= set(committed())
