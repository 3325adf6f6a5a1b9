"""The results.json contract: its schema, the checks beyond what a schema can say, and its summary.

Every view (Markdown, HTML, JUnit, diff, history) reads results only through `load` or `validate`,
so a document that would make two views disagree is refused once, here, with a one-line reason.
"""

from __future__ import annotations

import enum
import functools
import json
import math
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

FORMAT = "glue-conformance/results@2"
FORMATS = ("glue-conformance/results@1", FORMAT)  # @1: no completeness, read as complete
SCHEMA_FILE = "results.schema.json"
# Order matters: views list groups and statuses in this order. Kept here rather than imported from
# conformance.rules so reports stay readable without the suite installed; a test pins the two
# lists together.
GROUPS: tuple[str, ...] = ("validation", "not-found", "response", "protocol", "lifecycle", "sdk")
STATUSES: tuple[str, ...] = ("passed", "failed", "known-deviation", "skipped")
JUDGED: tuple[str, ...] = ("passed", "failed", "known-deviation")  # verdicts (not skipped)
DEVIATIONS: tuple[str, ...] = ("failed", "known-deviation")


class NoVerdict(enum.StrEnum):
    """Why a check's status says nothing of the target (a check's `no_verdict`; null when it is
    a verdict). Set where the fact is known, never read back from a message."""

    UNAVAILABLE = "target-unavailable"  # skipped: the target kept throttling or failing over
    NOT_JUDGED = "not-judged"  # skipped: the run's time budget (--glue-max-time) was spent
    # failed: its strict baseline entry's deviation is gone (the target conforms there), so
    # `prune` removes the entry; counted apart from new deviations
    NO_LONGER_OBSERVED = "no-longer-observed"

    @property
    def status(self) -> str:
        """The status a check with this reason has."""
        return "failed" if self is NoVerdict.NO_LONGER_OBSERVED else "skipped"


# The message such a stale check fails with (what a user reads; `no_verdict` is what counts).
NO_LONGER_OBSERVED = "known deviation no longer observed: remove it from the baseline"

# A run with this many new deviations and no baseline is told how to write one (below it,
# reading the failures beats writing a baseline).
MANY_DEVIATIONS = 10

Results = dict[str, Any]
Check = dict[str, Any]


class ResultsError(ValueError):
    """A results document that cannot be used; the message is one line, fit for a CLI error."""


@functools.cache
def schema() -> dict[str, Any]:
    text = (
        resources.files("glue_conformance.reports")
        .joinpath(SCHEMA_FILE)
        .read_text(encoding="utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def no_verdict(check: Mapping[str, Any]) -> NoVerdict | None:
    """Why the check's status is not a verdict on the target, or None when it is one."""
    if "no_verdict" in check:
        return NoVerdict(check["no_verdict"]) if check["no_verdict"] else None
    return _written_before_no_verdict(check)


def _written_before_no_verdict(check: Mapping[str, Any]) -> NoVerdict | None:
    """A document written before checks had `no_verdict` (results@1, early results@2) told a
    stale baseline entry only by its message, the one the suite wrote for it; read, never
    written. (Its unavailable and unjudged checks counted only in its `completeness`.)"""
    stale = check["status"] == "failed" and check.get("message") == NO_LONGER_OBSERVED
    return NoVerdict.NO_LONGER_OBSERVED if stale else None


def is_stale(check: Mapping[str, Any]) -> bool:
    """A check that failed only because its baseline entry's deviation is gone: the target
    conforms there, and `prune` removes the entry. Counted apart from new deviations."""
    return no_verdict(check) is NoVerdict.NO_LONGER_OBSERVED


def summarize(checks: Iterable[Mapping[str, Any]], *, stale_apart: bool = True) -> dict[str, Any]:
    """The summary block for these checks (the suite's results and every view use this one).

    `stale` counts the failed checks that only say a known deviation is gone; they conform, so
    the percentage counts them with the passed ones (a stale baseline must not read as a poor
    target). `stale_apart=False` is the rule of documents written before `stale` existed."""
    counts = dict.fromkeys(STATUSES, 0)
    total = stale = 0
    for check in checks:
        counts[check["status"]] += 1
        stale += is_stale(check)
        total += 1
    if not stale_apart:
        return {"total": total, **counts, "conformance_pct": conformance_pct(counts)}
    pct = conformance_pct({**counts, "stale": stale})
    return {"total": total, **counts, "stale": stale, "conformance_pct": pct}


def check_id(rule: str, case: str) -> str:
    """A check's id: its rule, then `[case]` when it has a case (diffs and baselines key on it)."""
    return f"{rule}[{case}]" if case else rule


def timestamp(moment: datetime | None = None) -> str:
    """A UTC timestamp in the one form the schema accepts (naive datetimes are taken as UTC)."""
    moment = datetime.now(UTC) if moment is None else moment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    spec = "%Y-%m-%dT%H:%M:%S.%fZ" if moment.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return moment.strftime(spec)


def parse_timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _where(path: Iterable[Any]) -> str:
    parts = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    return parts.lstrip(".") or "(top level)"


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validate(results: Any) -> None:
    """Raise ResultsError unless `results` is a well-formed, self-consistent results document."""
    if not isinstance(results, dict):
        raise ResultsError(f"not a results document: top level is {type(results).__name__}")
    if results.get("format") not in FORMATS:
        raise ResultsError(
            f"unsupported format {results.get('format')!r} (expected one of {', '.join(FORMATS)})"
        )
    try:
        json.dumps(results, allow_nan=False)
    except (TypeError, ValueError) as exc:  # NaN passes "minimum: 0"; JSON cannot carry it
        raise ResultsError(f"not JSON-serialisable: {_one_line(str(exc))}") from None
    error = best_match(_validator().iter_errors(results))
    if error is not None:
        raise ResultsError(f"at {_where(error.absolute_path)}: {_one_line(error.message)}")
    seen: set[str] = set()
    for index, check in enumerate(results["checks"]):
        expected = check_id(check["rule"], check["case"])
        if check["id"] != expected:
            raise ResultsError(
                f"at checks[{index}]: id {check['id']!r} should be {expected!r} (rule + [case])"
            )
        if check["id"] in seen:
            raise ResultsError(f"at checks[{index}]: duplicate check id {check['id']!r}")
        why = no_verdict(check)
        if why is not None and check["status"] != why.status:
            raise ResultsError(
                f"at checks[{index}]: no_verdict {why.value!r} goes with status {why.status!r}, "
                f"not {check['status']!r}"
            )
        seen.add(check["id"])
    summary = results["summary"]
    expected_summary = summarize(results["checks"], stale_apart="stale" in summary)
    for key, value in expected_summary.items():
        same = (
            math.isclose(summary[key], value, abs_tol=1e-9)
            if key == "conformance_pct"
            else summary[key] == value
        )
        if not same:
            raise ResultsError(
                f"at summary.{key}: {summary[key]!r} disagrees with the checks ({value!r}); "
                "use glue_conformance.reports.results.summarize(checks)"
            )
    if parse_timestamp(results["finished"]) < parse_timestamp(results["started"]):
        raise ResultsError("finished is before started")


def completeness(results: Mapping[str, Any]) -> dict[str, Any]:
    """How much of the run was judged; a results@1 document was written only for whole runs."""
    if "completeness" in results:
        found: dict[str, Any] = results["completeness"]
        return found
    summary = results["summary"]
    judged = sum(summary[status] for status in JUDGED)
    return {"complete": True, "planned": summary["total"], "judged": judged, "reason": None}


def completeness_line(results: Mapping[str, Any]) -> str | None:
    """'incomplete: N of M checks judged (why)' for a run that is not whole, else None."""
    state = completeness(results)
    if state["complete"]:
        return None
    why = f" ({state['reason']})" if state["reason"] else ""
    return f"incomplete: {state['judged']} of {state['planned']} checks judged{why}"


def load(path: Path) -> Results:
    """Read and validate a results.json; every failure is a ResultsError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ResultsError(f"{path}: is a directory, expected a results.json file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: cannot read: {_one_line(str(exc))}") from None
    try:
        results = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{path}: not JSON: {exc.msg} (line {exc.lineno})") from None
    try:
        validate(results)
    except ResultsError as exc:
        raise ResultsError(f"{path}: invalid results: {exc}") from None
    loaded: Results = results
    return loaded


def checks_by_status(results: Mapping[str, Any], *statuses: str) -> list[Check]:
    return [c for c in results["checks"] if c["status"] in statuses]


def group_matrix(results: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Counts per (group, status), every group and status present so views print a full grid,
    and per group the failed checks that are only stale baseline entries (`stale`)."""
    matrix = {group: {**dict.fromkeys(STATUSES, 0), "stale": 0} for group in GROUPS}
    for check in results["checks"]:
        matrix[check["group"]][check["status"]] += 1
        matrix[check["group"]]["stale"] += is_stale(check)
    return matrix


def conformance_pct(counts: Mapping[str, int]) -> float:
    """conformance_pct over one group's counts (the summary's rule): stale baseline entries,
    when counted, conform."""
    ran = sum(counts[status] for status in JUDGED)
    conformed = counts["passed"] + counts.get("stale", 0)
    return 100.0 if ran == 0 else round(100.0 * conformed / ran, 1)


def target_label(target: Mapping[str, Any]) -> str:
    """A stable name for a target across runs, for history lines.

    Embedded servers listen on a fresh port every run, so their URL would split one target's
    history into many. A name given with --glue-target-name wins (a nightly's moto-pinned and
    moto-latest are two lines). moto, ministack or moto-ext is one line across its versions (an
    upgrade's effect is what the line is for); the reference server's version names its
    configuration (seeded faults), which makes it a different target. Endpoints given by URL are
    named by URL.
    """
    if target.get("name"):
        return str(target["name"])
    if target["kind"] in ("moto", "ministack", "moto-ext"):
        return f"{target['kind']} (embedded)"
    if target["kind"] == "reference":
        return str(target["version"] or "reference")
    return str(target["url"])


def by_rule(checks: Iterable[Check]) -> list[tuple[str, list[Check]]]:
    """Checks grouped by rule, rules in group order then by id, so views list a rule once.

    A property-based rule can fail for dozens of cases; its statement and evidence are the same
    for all of them, and repeating them per case buries the cases.
    """
    grouped: dict[str, list[Check]] = {}
    for check in checks:
        grouped.setdefault(check["rule"], []).append(check)
    order = {group: index for index, group in enumerate(GROUPS)}
    return sorted(grouped.items(), key=lambda item: (order[item[1][0]["group"]], item[0]))


def target_title(target: Mapping[str, Any]) -> str:
    """What the target is, in a few words: its version string, else its host for a plain URL."""
    if target["version"]:
        return str(target["version"])
    if target["kind"] == "url":
        return urlsplit(target["url"]).hostname or str(target["url"])
    return {"reference": "reference target"}.get(target["kind"], str(target["kind"]))


def describe_target(target: Mapping[str, Any]) -> str:
    """Human name of the target for headlines: what it is, then where."""
    return f"{target_title(target)} at {target['url']}"
