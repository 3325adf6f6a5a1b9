"""Baselines per emulator release (issue 36): an entry says the releases it was seen on; the
embedded moto picks the entries of its installed release, `--glue-baseline moto@5.2.6` those of
the one named, the nearest known release stands in for a newer one (and says so), and a moto
whose release is not known takes the entries of some releases only as races.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from glue_conformance.baseline import load
from glue_conformance.reports.baseline import BASELINES, read
from tests.test_baseline_loop import _free_port, _serving

ROOT = Path(__file__).resolve().parents[1]
# A second moto, the newest release pip offered when this was written, in a virtualenv of its
# own (.ci/run makes it): its baseline entries are picked by release.
MOTO_526 = os.environ.get("GLUE_CONFORMANCE_MOTO_526") or str(ROOT / ".moto-5.2.6" / "bin")


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "b.json"
    path.write_text(
        json.dumps(
            {
                "name": "emu",
                "observed_with": "emu 1.0 (server mode)",
                "versions": ["1.0", "1.2"],
                "deviations": [
                    {"rule": "a", "cases": ["*"], "what": "w", "evidence": "e"},
                    {
                        "rule": "b",
                        "cases": ["x"],
                        "what": "w",
                        "evidence": "e",
                        "versions": ["1.0"],
                    },
                ],
            }
        )
    )
    return path


def test_the_entries_of_the_release_asked_for(tmp_path):
    path = _file(tmp_path)
    old = load(f"{path}@1.0", "url")
    assert old is not None
    assert [e["rule"] for e in old.deviations] == ["a", "b"]
    new = load(str(path), "url", "1.2")
    assert new is not None
    assert [e["rule"] for e in new.deviations] == ["a"]
    assert new.version == "1.2"
    assert new.note is None
    assert new.written_for_another("emu 1.2") is None


def test_a_newer_release_takes_the_nearest_known_and_says_so(tmp_path):
    newer = load(str(_file(tmp_path)), "url", "1.5")
    assert newer is not None
    assert newer.version == "1.2"
    assert (
        newer.note
        == "no entries written for emu 1.5: those of 1.2, the nearest release the baseline knows"
    )
    assert load(str(_file(tmp_path)), "url", "0.9").version == "1.0"  # (before all: the oldest)


def test_an_unknown_release_takes_entries_of_some_releases_only_as_races(tmp_path):
    unknown = load(str(_file(tmp_path)), "url")
    assert unknown is not None
    strict = {e["rule"]: e.get("strict", True) for e in unknown.deviations}
    assert strict == {"a": True, "b": False}
    assert "release is not known" in (unknown.note or "")


def test_the_committed_moto_baseline_knows_its_releases():
    data = read(BASELINES / "moto.json")
    assert data["versions"] == ["5.2.5", "5.2.6"]
    for entry in data["deviations"]:
        assert set(entry.get("versions", data["versions"])) <= set(data["versions"])
    moto = load("moto", "moto", "5.2.6")
    older = load("moto", "moto", "5.2.5")
    assert moto is not None
    assert older is not None
    assert len(moto.deviations) < len(older.deviations)


@pytest.mark.slow(seconds=40)
@pytest.mark.skipif(
    not os.access(Path(MOTO_526) / "moto_server", os.X_OK) and not os.environ.get("CI"),
    reason="moto 5.2.6 is not installed here (.ci/run installs it into .moto-5.2.6/)",
)
def test_moto_5_2_6_passes_with_its_entries_and_with_its_release_unknown(tmp_path):
    """The newest moto pip offered, started by hand: judged with `moto@5.2.6` and with a plain
    `moto` (its release unknown by URL), the run exits 0 (issue 36: "9 stale")."""
    port = _free_port()
    server = [str(Path(MOTO_526) / "moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    with _serving(server, port) as url:
        for choice in ("moto@5.2.6", "moto"):
            result = subprocess.run(
                [sys.executable, "-m", "pytest", "conformance", "--target-url", url,
                 "--glue-baseline", choice, "-p", "no:cacheprovider", "-q"],
                cwd=ROOT, capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            assert result.returncode == 0, result.stdout[-3000:]
            assert "stale" not in result.stdout.splitlines()[-1]
