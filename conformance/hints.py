"""What to do next, said at the end of a run: the lines a newcomer needs and cannot guess.

A run with many deviations and no baseline gets the exact command that writes one (and the
committed baseline's name when the deviations are an emulator's the suite knows); a stale
baseline gets the exact command that prunes it; an "xpassed" gets its meaning. Plain Python over
the engine's records, no pytest: the adapter prints the lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from glue_conformance import baseline as baselines
from glue_conformance.records import CheckRecord
from glue_conformance.reports.baseline import BASELINES, best_match, committed
from glue_conformance.reports.results import MANY_DEVIATIONS

# Besides MATCHING, the deviations must span this many rules: a run narrowed to one rule (`-k
# validation.error-type`) shows what every emulator that skips validation shows alike
DISTINCT_RULES = 3
# The command the README teaches (installed with the package, so it works with the venv not
# activated, where `python -m glue_conformance.reports` is a ModuleNotFoundError)
REPORTS = "glue-conformance"
DEFAULT_REPORT_DIR = "glue-report"


@dataclass(frozen=True)
class RunFacts:
    """What the hints need to know of the run besides its records."""

    kind: str  # the target kind: moto, ministack, reference, url
    target_name: str | None
    baseline: baselines.Baseline | None
    report_dir: str | None
    target_version: str | None = None  # e.g. 'moto 5.2.6', as the records carry it


def new_deviations(records: Sequence[CheckRecord]) -> list[CheckRecord]:
    return [r for r in records if r.status == "failed" and not r.stale]


def stale(records: Sequence[CheckRecord]) -> list[CheckRecord]:
    return [r for r in records if r.stale]


def _results_path(facts: RunFacts) -> str:
    return str(Path(facts.report_dir or DEFAULT_REPORT_DIR) / "results.json")


def _first_write_results(facts: RunFacts) -> str:
    """Nothing to give the command yet when the run wrote no results: say how to get them."""
    if facts.report_dir:
        return ""
    return f"run again with --glue-report-dir {DEFAULT_REPORT_DIR}, then "


def known_emulator(records: Sequence[CheckRecord], facts: RunFacts) -> str | None:
    """The committed baseline that names (nearly) all of this run's deviations, if the run gives
    enough evidence to tell which: a moto started by hand is a URL to the suite, but its
    deviations are moto's. Not suggested when the deviations span fewer than DISTINCT_RULES
    rules. Two baselines that know as many are told apart by the checks that passed where one
    of them expects a deviation (moto-ext's baseline knows all of moto's deviations, but moto's
    200s are not text/html); when that does not tell them apart either, none is named."""
    shipped = committed()
    if facts.kind in shipped:
        return facts.kind
    deviations = new_deviations(records)
    if len({r.rule for r in deviations}) < DISTINCT_RULES:
        return None
    passed = [(r.rule, r.case) for r in records if r.status == "passed"]
    return best_match([(r.rule, r.case) for r in deviations], passed)


def baseline_hint(records: Sequence[CheckRecord], facts: RunFacts) -> list[str]:
    """Many deviations and no baseline: how to keep them as known, and fail only on new ones."""
    count = len(new_deviations(records))
    if facts.baseline is not None or count < MANY_DEVIATIONS:
        return []
    lines = []
    emulator = known_emulator(records, facts)
    if emulator:
        lines.append(
            f"glue-conformance: {count} deviations, no baseline: they are {emulator}'s known "
            f"ones: --glue-baseline {emulator} judges them as known (exit 0 unless a new one)"
        )
    name = facts.target_name or (facts.kind if facts.kind != "url" else "my-emulator")
    out = f"{name}-baseline.json"
    lines.append(
        f"glue-conformance: {count} deviations, no baseline: to keep them as known and fail "
        f"only on new ones, {_first_write_results(facts)}{REPORTS} baseline "
        f"{_results_path(facts)} --name {name} --out {out} and run with --glue-baseline {out}"
    )
    return lines


def prune_command(facts: RunFacts) -> str:
    """`prune` in place, or to a file of the user's own for a baseline that ships with the
    suite (pruning the installed package's copy would be undone by the next install)."""
    assert facts.baseline is not None
    path = facts.baseline.path
    shipped = path.parent.resolve() == BASELINES.resolve()
    out = f" --out {facts.baseline.name}-baseline.json" if shipped else ""
    return f"{REPORTS} prune {path} {_results_path(facts)}{out}"


STALE_NAMED = 10  # stale checks named one a line; past that, a count and report.md


def stale_hint(records: Sequence[CheckRecord], facts: RunFacts) -> list[str]:
    """Known deviations no longer seen: the target conforms there; the baseline is stale. Each
    is named (rule and case), so the user sees which entries the prune will touch."""
    gone = stale(records)
    if not gone or facts.baseline is None:
        return []
    named = [f"  no longer deviates: {record.id}" for record in gone[:STALE_NAMED]]
    if len(gone) > STALE_NAMED:
        named.append(f"  and {len(gone) - STALE_NAMED} more (report.md lists them all)")
    written_for = facts.baseline.written_for_another(facts.target_version)
    why = (
        f"{facts.target_version} no longer shows these (baseline written for {written_for}: "
        "the emulator improved, the install is fine)"
        if written_for
        else "the target conforms there; not new deviations"
    )
    return [
        f"glue-conformance: {len(gone)} known deviations no longer seen ({why}): "
        f"{_first_write_results(facts)}{prune_command(facts)}",
        *named,
    ]


def xpassed_hint(xpassed: Sequence[CheckRecord]) -> list[str]:
    """pytest's "xpassed" means nothing to a user who wrote no xfail: say what it is here."""
    if not xpassed:
        return []
    rules = ", ".join(sorted({r.rule for r in xpassed}))
    return [
        f'glue-conformance: {len(xpassed)} xpassed: a baseline entry marked "strict": false '
        f"(a race in the target, seen on some runs only) conformed this time ({rules}); "
        "not a failure, the entry stays"
    ]


def end_of_run(
    records: Sequence[CheckRecord], facts: RunFacts, *, xpassed: Sequence[CheckRecord] = ()
) -> list[str]:
    return [
        *stale_hint(records, facts),
        *baseline_hint(records, facts),
        *xpassed_hint(xpassed),
    ]
