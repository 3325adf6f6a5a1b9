"""What a comparison shows people (issue 36): report.html starts with its summary table, each
row's differences folded under it; members that differ alike are one row; the output folder
says when it is replaced and names every file; embedded moto's configuration is said.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from glue_conformance import compare as C
from glue_conformance.cli import main
from glue_conformance.reports import comparison_view as V

BROWSER = shutil.which("chromium-headless-shell") or shutil.which("chromium")


def _difference(member: str, recorded: str, answered: str, **more: Any) -> dict[str, Any]:
    return {
        "operation": "GetJobRun",
        "member": member,
        "path": member,
        "recorded": recorded,
        "answered": answered,
        "exchange": 3,
        "target_exchange": 3,
        "phase": "start",
        "request": "{}",
        "curl": None,
        "rules": [],
        "only_by_comparison": True,
        "known": False,
        **more,
    }


def _results(differences: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": "glue-conformance/results@1",
        "comparison": {
            "differences": differences,
            "counts": {"differences": len(differences), "members": 2, "only_by_comparison": 1,
                       "known": 0},
            "record": {"source": "shipped", "kind": "reference", "version": "reference"},
            "target": {"source": "embedded moto", "exchanges": 10},
        },
    }  # fmt: skip


def test_members_that_differ_alike_are_one_row_and_others_stay_apart():
    lost = [_difference(f"JobRun.Arguments.--key-{n:02}", '"v"', "(absent)") for n in range(36)]
    other = [_difference("JobRun.Arguments.--key-99", '"v"', '"w"')]
    rows = V.groups(_results([*lost, *other]))["GetJobRun"]
    assert rows["JobRun.Arguments.--key-NN (36 members)"] == lost
    assert rows["JobRun.Arguments.--key-99"] == other
    assert len(rows) == 2


def test_report_html_starts_with_its_summary_table_and_folds_the_differences():
    page = V.page(_results([_difference("JobRun.ExecutionTime", "{seconds}", "123000")]))
    body = page.split("<body>", 1)[1]
    assert body.index('<table id="summary">') < body.index("<pre>")
    assert "<details><summary>the 1 differences</summary><pre>" in body


def test_embedded_moto_against_a_url_says_what_configuration_alone_changes():
    moto, url = C.Side("embedded moto", kind="moto"), C.Side("u", kind="url", url="http://x")
    assert "state manager" in (C.configuration_note(moto, url) or "")
    recorded = C.Side("r.json", record={"target": {"kind": "moto"}})
    assert C.configuration_note(recorded, url) is not None
    assert C.configuration_note(C.Side("ref", kind="reference"), url) is None


@pytest.mark.slow(seconds=20)
def test_the_folder_is_said_replaced_and_every_file_is_named(tmp_path, capsys):
    out = tmp_path / "cmp"
    for _ in range(2):
        assert main(["compare", "reference", "reference", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.count(f"replacing the comparison written in {out} at ") == 1
    written = [line for line in printed.splitlines() if line.startswith("written: ")]
    assert len(written) == 2
    for name in ("results.json", "report.md", "report.html", "junit.xml"):
        assert str(out / name) in written[-1]


@pytest.mark.slow(seconds=20)
@pytest.mark.skipif(BROWSER is None, reason="no headless Chromium (.ci/run installs it)")
def test_a_browser_shows_the_summary_table_first(tmp_path):
    """report.html as a person's browser renders it: the summary table is the first element
    after the headline, and its rows name each member."""
    differences = [_difference("JobRun.ExecutionTime", "{seconds}", "123000")]
    differences += [_difference(f"JobRun.Arguments.--k-{n}", '"v"', "(absent)") for n in range(3)]
    page = tmp_path / "report.html"
    page.write_text(V.page(_results(differences)), encoding="utf-8")
    dom = subprocess.run(
        [str(BROWSER), "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    body = dom.split("<body>", 1)[1]
    first = body.split("<h1>", 1)[1].split("</p>", 1)[1].lstrip()
    assert first.startswith('<table id="summary">'), first[:200]
    assert "JobRun.Arguments.--k-NN (3 members)" in dom
    assert json.dumps("JobRun.ExecutionTime").strip('"') in dom


def test_the_comparison_docs_say_what_embedded_moto_changes():
    root = Path(__file__).resolve().parents[1]
    for page in ("docs/records.md", "docs/emulators.md"):
        assert "state manager" in (root / page).read_text(encoding="utf-8"), page
