"""The suite's own verdicts, measured: it must pass the faithful reference endpoint and every
tolerated variant (no false alarms), and fail every seeded fault through the rule that names it.

Each run is a real `pytest conformance --glue-target reference --glue-reference-fault X` in a
subprocess, a few at a time; the score is printed at the end of the session (see tests/conftest.py).
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from glue_conformance.reference import FAULTS, VARIANTS
from glue_conformance.rules import RULES
from tests import children, scores
from tests.selftest_runner import names_clause

pytestmark = pytest.mark.slow  # each test starts processes (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Verdict:
    switch: str
    returncode: int
    failed_rules: frozenset[str]
    tail: str
    texts: dict[str, str]  # rule id -> its failures' text


def _run_batch(specs: list[str]) -> list[Verdict]:
    """One subprocess runs a batch of switches in sequence (see tests/selftest_runner.py)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GLUE_CONFORMANCE_")}
    result = children.run(
        [sys.executable, "-m", "tests.selftest_runner", *specs],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == len(specs), result.stderr[-3000:]
    return [
        Verdict(
            line["name"] or "clean",
            line["returncode"],
            frozenset(r for r in line["rules"] if r in RULES),
            line["tail"],
            line["texts"],
        )
        for line in lines
    ]


@pytest.fixture(scope="module")
def verdicts() -> dict[tuple[str, str], Verdict]:
    jobs = [("variant", "slow")]  # the slowest first, so the batches end together
    jobs += [("fault", name) for name in sorted(FAULTS)]
    jobs += [("variant", name) for name in sorted(VARIANTS) if name != "slow"] + [("clean", "")]
    batches = 3  # (a run waits too: its runs' polls, the tour's seconds apart)
    specs = [[f"{kind}:{name}" for kind, name in jobs[i::batches]] for i in range(batches)]
    with ThreadPoolExecutor(max_workers=batches) as pool:
        results = [v for batch in pool.map(_run_batch, specs) for v in batch]
    order = [job for i in range(batches) for job in jobs[i::batches]]
    return dict(zip(order, results, strict=True))


def test_faithful_reference_passes_every_check(verdicts, request):
    """(Its report carries the score, printed at the end of the session: tests/scores.py.)"""
    killed = sum(1 for (kind, _), v in verdicts.items() if kind == "fault" and v.returncode == 1)
    alarms = sum(1 for (kind, _), v in verdicts.items() if kind == "variant" and v.returncode)
    scores.record(
        request.node,
        "mutation",
        killed=killed,
        faults=len(FAULTS),
        alarms=alarms,
        variants=len(VARIANTS),
    )
    verdict = verdicts[("clean", "")]
    assert verdict.returncode == 0, verdict.tail
    assert not verdict.failed_rules


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_is_killed_by_a_rule_that_names_it(fault, verdicts):
    verdict = verdicts[("fault", fault)]
    assert verdict.returncode == 1, (
        f"{fault} not killed (exit {verdict.returncode}):\n{verdict.tail}"
    )
    expected = set(FAULTS[fault].kills)
    assert verdict.failed_rules & expected, (
        f"{fault}: failed rules {sorted(verdict.failed_rules)}, expected one of {sorted(expected)}"
    )
    clause = FAULTS[fault].clause
    if clause is not None:  # killed through the clause it breaks, not another of the rule's
        said = "\n".join(verdict.texts.get(rule, "") for rule in expected)
        assert names_clause(said, clause), f"{fault}: no deviation of its clause {clause!r}: {said}"


def test_a_clause_is_read_in_the_deviation_not_in_the_statement():
    """The clause test can fail: the statement names every clause, the deviation one."""
    text = (
        "[response.timestamps.order] StartedOn <= LastModifiedOn, and CompletedOn (when present) "
        "is not before StartedOn.\n"
        "  evidence:  evidence section 4 (confidence: medium)\n"
        "  observed:  GetJobRun: LastModifiedOn 1796414989.423 is before StartedOn 1796414990.423\n"
        '  answer:    HTTP 200 {"JobRun": {"StartedOn": 1796414990.423, "CompletedOn": 1.0}}\n'
    )
    assert names_clause(text, "LastModifiedOn")
    assert not names_clause(text, "CompletedOn")


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_variant_is_accepted(variant, verdicts):
    verdict = verdicts[("variant", variant)]
    assert verdict.returncode == 0, (
        f"false alarm on {variant}: {sorted(verdict.failed_rules)}\n{verdict.tail}"
    )
