"""The README is the newcomer's entry point: keep its commands and tables true. The pages for
contributors (CONTRIBUTING.md, docs/) hold the rest, and their executed blocks and counts are
checked here too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glue_conformance.options import OPTIONS
from glue_conformance.outcomes import EXIT_TARGET_UNAVAILABLE, EXIT_TARGET_UNUSABLE
from glue_conformance.rules import RULES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
DOCS = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "docs").glob("*.md")}


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


def test_the_readme_options_table_is_made_from_the_options():
    """`python -c 'from glue_conformance.options import options_table; print(options_table())'`
    writes it; the README's copy is exactly that, row for row."""
    from glue_conformance.options import options_table

    block = README.split("<!-- options-table:start -->\n", 1)[1].split(
        "\n<!-- options-table:end -->"
    )[0]
    assert block == options_table()


def test_every_option_row_says_what_the_option_says():
    """The table is the options' help and default, so a changed default cannot go stale."""
    for option in OPTIONS:
        meaning = option.help
        if option.default is not None and option.default is not False and option.default != ():
            meaning += f" (default {option.shown_default})"
        row = f"| `{option.flag}` | `{option.env}` | {meaning} |"
        assert row in README, row


def test_every_baseline_rule_exists():
    import json

    for baseline in (ROOT / "reports" / "baselines").glob("*.json"):
        for entry in json.loads(baseline.read_text())["deviations"]:
            assert entry["rule"] in RULES, (baseline.name, entry["rule"])
            assert entry["what"]
            assert entry["evidence"]


# A number of faults, variants, rules or checks typed into a page goes stale with the next one
# added (a contributor would have to edit it): the pages say "every fault", and the counts are
# printed from the catalogue (the mutation score at the end of `pytest tests`).
TYPED_COUNT = re.compile(
    r"\b\d+(?:/\d+)? (?:seeded )?(?:faults?|variants?|rules?|false alarms)\b"
    r"|\b0/\d+ false alarms|\b\d+/\d+ faults"
)


def test_contributing_types_no_count_of_faults_variants_or_rules():
    assert "every fault killed" in CONTRIBUTING
    assert TYPED_COUNT.findall(CONTRIBUTING) == []


def test_a_typed_count_is_found():
    for text in ("It carries 120 seeded faults", "**120/120 faults killed", "0/31 false alarms"):
        assert TYPED_COUNT.search(text), text
    assert not TYPED_COUNT.search("every fault killed, each by a rule it names")


def test_the_checks_page_counts_the_named_validation_cases():
    from glue_conformance.cases import cases_of

    checks = DOCS["checks.md"]
    assert f"**validation**: {len(cases_of('constraint'))} named edge cases" in checks
    assert f"{len(cases_of('multi'))} requests breaking several" in checks


def _example() -> str:
    section = DOCS["architecture.md"].split("## Checks without pytest", 1)[1].split("\n## ", 1)[0]
    return section.split("```python", 1)[1].split("```", 1)[0]


@pytest.mark.slow
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
    # (A listing of every job's runs may also never end within the pages one listing reads.)
    wanted = {"lifecycle.runs-only-own", "response.jobname.matches-request"} if fault else set()
    assert wanted <= set(failed) <= wanted | ({"lifecycle.runs-paging"} if fault else set())
    assert left == {}


def test_the_table_of_emulator_deviations_is_the_baselines():
    from glue_conformance.reports.baseline import committed, table

    block = (
        DOCS["emulators.md"]
        .split("<!-- baseline-table:start -->\n", 1)[1]
        .split("\n<!-- baseline-table:end -->")[0]
    )
    assert block == table(committed())
    assert {"moto", "ministack"} <= set(committed())


def test_the_readme_is_for_users_and_short():
    """Under 200 lines; what a user runs, not how the suite is built."""
    assert len(README.splitlines()) < 200
    for contributor_heading in ("## Adding a check", "## Performance", "## Schemas"):
        assert contributor_heading not in README
    assert "pip install glue-conformance\n" not in README  # not on PyPI: never a bare name
    assert not re.search(r"pip install [\"']?glue-conformance[\"' ]", README)
    assert "OWNER" not in README


def test_the_exit_code_table_has_every_code_the_suite_and_pytest_use():
    section = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    codes = [int(code) for code in re.findall(r"^\| (\d+) \|", section, flags=re.M)]
    pytest_codes = [int(code) for code in pytest.ExitCode]
    assert codes == sorted({*pytest_codes, EXIT_TARGET_UNUSABLE, EXIT_TARGET_UNAVAILABLE})


def test_every_relative_link_leads_to_a_file_and_every_anchor_to_a_heading():
    pages = {"README.md": README, "CONTRIBUTING.md": CONTRIBUTING}
    pages.update({f"docs/{name}": text for name, text in DOCS.items()})
    for page, text in pages.items():
        base = (ROOT / page).parent
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith(("http://", "https://")):
                continue
            path, _, anchor = target.partition("#")
            linked = (base / path).resolve() if path else ROOT / page
            assert linked.is_file(), (page, target)
            if anchor:
                headings = linked.read_text(encoding="utf-8")
                slugs = {_slug(h) for h in re.findall(r"^#+ (.+)$", headings, flags=re.M)}
                assert anchor in slugs, (page, target)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_evidence_a_failure_cites_is_a_command_that_exists():
    """The README's sample failure cites the evidence as rules.py does, by a command the
    console script has."""
    from glue_conformance.rules import citation

    assert f"evidence:  {citation('1')}:" in README


def test_the_figures_the_docs_give_of_the_shipped_record_hold():
    """docs/records.md states the shipped record's size: within a tenth of the file's (issue 36:
    it said 66 KiB of a 455 KiB file)."""
    text = (ROOT / "docs" / "records.md").read_text(encoding="utf-8")
    stated = int(
        re.search(r"shipped record is\s+about ([\d,]+) KiB", text).group(1).replace(",", "")
    )
    actual = (ROOT / "reports" / "reference.record.json").stat().st_size / 1024
    assert abs(stated - actual) <= actual / 10, f"the shipped record is {actual:.0f} KiB"
