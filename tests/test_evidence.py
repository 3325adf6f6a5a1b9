"""The evidence every rule cites is in the project (and in the wheel), and it is the team's
evidence report unchanged: a failure's citation must lead a reader to the finding and its
sources, wherever the suite was installed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glue_conformance.rules import RULES

ROOT = Path(__file__).resolve().parents[1]
EVIDENCE = ROOT / "conformance" / "evidence" / "aws-behavior.md"
SHARED = ROOT.parent / "shared" / "evidence" / "aws-behavior.md"
# Rules cite "evidence section N (glue-conformance evidence N)" (rules.citation); baselines, written
# by hand, "evidence section N".
CITATION = re.compile(r"\bevidence section (\d+)")


def _sections() -> set[str]:
    text = EVIDENCE.read_text(encoding="utf-8")
    return set(re.findall(r"^## (\d+)\. ", text, flags=re.MULTILINE))


def test_every_cited_section_exists():
    sections = _sections()
    cited = {
        number
        for rule in RULES.values()
        for evidence in rule.evidence
        for number in CITATION.findall(evidence.source)
    }
    assert cited, "no rule cites the evidence report"
    assert cited <= sections, sorted(cited - sections)


def test_a_citation_names_what_exists_in_an_install():
    """No citation points at a repository path (a wheel has none); each names the command that
    prints its section, and the section it names is the one the rule rests on."""
    from glue_conformance.rules import citation

    for rule in RULES.values():
        assert "conformance/evidence" not in rule.cite(), rule.id
        for section in rule.sections():
            assert citation(section) in rule.cite(), rule.id
            assert f"glue-conformance evidence {section})" in citation(section)


def test_every_baseline_entry_cites_an_existing_section():
    import json

    sections = _sections()
    for baseline in (ROOT / "reports" / "baselines").glob("*.json"):
        for entry in json.loads(baseline.read_text())["deviations"]:
            for number in CITATION.findall(entry["evidence"]):
                assert number in sections, (baseline.name, entry["rule"], number)


@pytest.mark.skipif(not SHARED.exists(), reason="shared/evidence is not beside this checkout")
def test_the_copy_is_the_teams_evidence_report_unchanged():
    assert EVIDENCE.read_bytes() == SHARED.read_bytes(), (
        f"copy {SHARED} to {EVIDENCE.relative_to(ROOT)}: the evidence report changed"
    )
