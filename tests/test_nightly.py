"""The nightly, tested as far as it can be without GitHub.

- The workflow is valid against the GitHub Actions workflow schema (check-jsonschema's vendored
  copy of SchemaStore's), and every action it uses is given only inputs that action documents
  (its action.yml at that tag, copied into tests/oracles/actions/), with every required one.
- The scripts it runs do what the README says, run here on two simulated nights: the history
  left by the previous run is found (a fake `gh` stands in for GitHub), tonight's results join
  it, each target is diffed against its previous night, and the page shows every night.
- The tox env it calls exists and runs the installed suite.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml

from tests.test_reports import make_check, make_results

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "nightly.yml"
SCRIPTS = ROOT / ".github" / "nightly"
ACTIONS = Path(__file__).parent / "oracles" / "actions"


def _workflow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def _steps() -> list[tuple[str, dict[str, Any]]]:
    return [(name, step) for name, job in _workflow()["jobs"].items() for step in job["steps"]]


def _validate(workflow: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with its vendored GitHub Actions workflow schema (no network)."""
    check = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert check, "check-jsonschema is a dev dependency"
    return subprocess.run(
        [check, "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_the_workflow_is_valid_against_the_github_actions_schema():
    result = _validate(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    """The validation above can fail: a job without runs-on, a step with `uses` and `run`."""
    broken = _workflow()
    broken["on"] = broken.pop(True)  # PyYAML reads the key `on` as YAML 1.1's true
    del broken["jobs"]["moto"]["runs-on"]
    broken["jobs"]["publish"]["steps"][0]["run"] = "echo both"
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    result = _validate(path)
    assert result.returncode == 1, result.stdout


def _inputs(uses: str) -> dict[str, Any]:
    owner_name, ref = uses.split("@")
    oracle = ACTIONS / f"{owner_name.split('/')[1]}@{ref}.yml"
    assert oracle.exists(), f"{uses}: copy its action.yml at that tag to {oracle}"
    inputs: dict[str, Any] = yaml.safe_load(oracle.read_text(encoding="utf-8")).get("inputs", {})
    return inputs


@pytest.mark.parametrize(
    ("job", "step"), [(j, s) for j, s in _steps() if "uses" in s], ids=lambda v: str(v)[:40]
)
def test_each_action_gets_only_the_inputs_it_documents(job, step):
    documented = _inputs(step["uses"])
    given = set(step.get("with", {}))
    assert given <= set(documented), (job, step["uses"], given - set(documented))
    required = {
        name
        for name, spec in documented.items()
        if spec.get("required") in (True, "true") and "default" not in spec
    }
    assert required <= given, (job, step["uses"], required - given)


def test_pages_are_deployed_with_the_permissions_deploy_pages_needs():
    jobs = _workflow()["jobs"]
    deploy = jobs["deploy"]
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert "publish" in deploy["needs"]
    publish = jobs["publish"]
    assert publish["permissions"]["actions"] == "read"  # gh run download of an earlier run
    uses = [s.get("uses", "") for s in publish["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    history = [s for s in publish["steps"] if s.get("with", {}).get("name") == "history"]
    assert history, "the history is uploaded for the next night"


def test_every_python_setup_caches_pip():
    setups = [s for _, s in _steps() if s.get("uses", "").startswith("actions/setup-python@")]
    assert setups
    for step in setups:
        assert step["with"]["cache"] == "pip"
        assert (ROOT / step["with"]["cache-dependency-path"]).exists()


def test_the_aws_job_is_read_only():
    aws = _workflow()["jobs"]["aws-read-only"]
    env: dict[str, str] = {}
    for step in aws["steps"]:
        env.update(step.get("env", {}))
        assert "allow-billable" not in str(step).lower()
    assert env["GLUE_CONFORMANCE_JOB_NAME"]
    assert env["GLUE_CONFORMANCE_RUN_ID"]
    assert "GLUE_CONFORMANCE_AWS_RUN_ID" in aws["if"]  # no run to read: the job does not run
    assert "GLUE_CONFORMANCE_ALLOW_BILLABLE" not in env


def test_every_script_the_workflow_runs_exists():
    for _, step in _steps():
        for word in str(step.get("run", "")).split():
            if word.startswith(".github/"):
                assert (ROOT / word).exists(), word
                assert os.access(ROOT / word, os.X_OK), word


# --- the scripts, on two simulated nights ----------------------------------------------------


def _night(folder: Path, target: str, status: str, started: str) -> None:
    checks = [
        make_check("response.schema", "run", "passed"),
        make_check("validation.error-type", "JobName-empty", status),
    ]
    results = make_results(checks, started=started, finished=started)
    (folder / f"conformance-{target}").mkdir(parents=True)
    (folder / f"conformance-{target}" / "results.json").write_text(
        json.dumps(results), encoding="utf-8"
    )
    (folder / f"conformance-{target}" / "report.html").write_text(
        f"<!doctype html><title>{started}</title>", encoding="utf-8"
    )


def _publish(tmp_path: Path, night: str, history: Path) -> subprocess.CompletedProcess[str]:
    summary = tmp_path / f"summary-{night}.md"
    site = tmp_path / "site"
    return subprocess.run(
        [str(SCRIPTS / "publish-history.sh"), str(history), str(tmp_path / night), str(site)],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            "PYTHON": sys.executable,
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_RUN_ID": night,
        },
    )


def _fake_gh(bin_dir: Path, runs: dict[str, Path | None]) -> None:
    """`gh run list` names the runs newest first; `gh run download ID --name history --dir D`
    copies that run's history, or fails as gh does when the run has no such artifact."""
    bin_dir.mkdir()
    (bin_dir / "runs.txt").write_text("".join(f"{run}\n" for run in runs), encoding="utf-8")
    cases = "\n".join(
        f'    {run}) cp -r "{folder}/." "$dest"/ ;;' if folder else f"    {run}) exit 1 ;;"
        for run, folder in runs.items()
    )
    script = f"""#!/usr/bin/env bash
set -e
if [ "$1 $2" = "run list" ]; then cat "{bin_dir / "runs.txt"}"; exit 0; fi
if [ "$1 $2" = "run download" ]; then
  id=$3; shift 3; dest=.
  while [ $# -gt 0 ]; do [ "$1" = "--dir" ] && dest=$2; shift; done
  case $id in
{cases}
    *) exit 1 ;;
  esac
  exit 0
fi
exit 2
"""
    gh = bin_dir / "gh"
    gh.write_text(script, encoding="utf-8")
    gh.chmod(0o755)


def _previous(tmp_path: Path, dest: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """previous-history.sh with the fake gh of `_fake_gh` first on PATH."""
    return subprocess.run(
        [str(SCRIPTS / "previous-history.sh"), str(dest)],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}",
            "GITHUB_REPOSITORY": "owner/repo",
            **env,
        },
    )


@pytest.mark.slow
def test_two_nights_carry_the_history_forward_and_diff_each_target(tmp_path):
    # Night 1: no earlier history; moto passes.
    _night(tmp_path / "night1", "moto-pinned", "passed", "2026-11-30T03:17:00Z")
    first = _publish(tmp_path, "night1", tmp_path / "history1")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "first night" in (tmp_path / "summary-night1.md").read_text(encoding="utf-8")

    # Night 2 starts from what run "night1" uploaded; the newest run ("9", cancelled) has none.
    _fake_gh(tmp_path / "bin", {"9": None, "night1": tmp_path / "history1"})
    found = _previous(tmp_path, tmp_path / "history2", GITHUB_RUN_ID="night2")
    assert found.returncode == 0, found.stderr
    assert "previous history: run night1 (1 results)" in found.stdout

    _night(tmp_path / "night2", "moto-pinned", "failed", "2026-12-01T03:17:00Z")
    second = _publish(tmp_path, "night2", tmp_path / "history2")
    assert second.returncode == 0, second.stdout + second.stderr
    nights = sorted((tmp_path / "history2" / "moto-pinned").iterdir())
    assert len(nights) == 2
    summary = (tmp_path / "summary-night2.md").read_text(encoding="utf-8")
    assert "since the previous night" in summary
    assert "validation.error-type" in summary  # what newly fails is named
    site = tmp_path / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "2026-11-30" in index
    assert "2026-12-01" in index
    # What Pages serves is the site folder alone: every night it links to is inside it.
    links = re.findall(r'href="([^"#]+)"', index)
    nights = [link for link in links if link.endswith(("report.html", "results.json"))]
    assert len(nights) == 2, links
    for link in nights:
        target = (site / unquote(link)).resolve()
        assert target.is_file(), link
        assert site.resolve() in target.parents, link


@pytest.mark.slow
def test_a_night_without_any_results_still_publishes_a_page(tmp_path):
    (tmp_path / "empty").mkdir()
    done = _publish(tmp_path, "empty", tmp_path / "history")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No results yet" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_first_night_finds_no_history_and_says_so(tmp_path):
    _fake_gh(tmp_path / "bin", {"5": None})
    found = _previous(tmp_path, tmp_path / "history")
    assert found.returncode == 0, found.stderr
    assert "none" in found.stdout
    assert (tmp_path / "history").is_dir()


def test_tox_nightly_env_runs_the_conformance_suite_with_a_report():
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(ROOT / "tox.ini")
    commands = tox["testenv:nightly"]["commands"]
    assert "pytest --pyargs glue_conformance" in commands  # the installed package, as users run it
    assert "--glue-report-dir" in commands
    assert "--hypothesis-profile glue-nightly" in commands


@pytest.mark.slow
def test_the_readme_s_job_for_an_emulator_s_ci_is_a_valid_job(tmp_path):
    """The copy-paste job in the README: valid in a workflow, each action given only inputs it
    documents, and it runs the installed suite against a URL with a baseline of its own."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## In an emulator's own CI", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    jobs = yaml.safe_load(block)
    workflow = {"name": "emulator", "on": {"push": {}}, "jobs": jobs}
    path = tmp_path / "emulator.yml"
    path.write_text(yaml.safe_dump(workflow), encoding="utf-8")
    result = _validate(path)
    assert result.returncode == 0, result.stdout + result.stderr
    (job,) = jobs.values()
    for step in job["steps"]:
        if "uses" in step:
            assert set(step.get("with", {})) <= set(_inputs(step["uses"])), step
    commands = " ".join(str(step.get("run", "")) for step in job["steps"])
    # `glue-conformance run URL` is `pytest --pyargs glue_conformance --target-url URL`
    assert "glue-conformance run http://" in commands
    assert "--glue-baseline" in commands
