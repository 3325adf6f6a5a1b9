"""What the engine knows of one check: a typed record from the check to results.json.

A record is filled where the check runs (perhaps a pytest-xdist worker), travels as JSON to the
process that writes the results, and becomes one entry of results.json's `checks` list
(`result_entry`, in the current format, `glue_conformance.reports.results.FORMAT`). It carries
that entry's members and a few facts the entry does not list: the rule a deviation broke
(`failed_rule`, for the one-line report of a property over several rules), where the check was
judged (`target_url`, `target_version`: results.json's `target` block) and whether a strict
baseline entry expects it to deviate (`baseline_strict`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any

from glue_conformance.reports.results import NoVerdict


@dataclass
class CheckRecord:
    id: str
    rule: str
    case: str = ""
    group: str = ""
    statement: str = ""
    evidence: str = ""
    strictness: str = "strict"
    status: str = "skipped"
    message: str = ""
    observed: str = ""
    request: dict[str, Any] | None = None
    response: dict[str, Any] | None = None
    reproduction: dict[str, Any] | None = None
    baseline: dict[str, Any] | None = None
    nodeid: str = ""
    duration_s: float = 0.0
    failed_rule: str | None = None
    # Where it was judged; travels with each record, since under pytest-xdist only the worker
    # that started the target knows its URL and version.
    target_url: str | None = None
    target_version: str | None = None
    # A strict baseline entry expects this check to deviate (known at collection); a check that
    # then conforms is stale: the entry is no longer seen, which is not a new deviation.
    baseline_strict: bool = False
    # Why the status says nothing of the target (unavailable, not judged, no longer observed).
    no_verdict: NoVerdict | None = None

    def to_json(self) -> str:
        """(Members one level deep, not `asdict`: its deep copy of each request and answer cost
        a twentieth of a whole run, for a text that is the same.)"""
        return json.dumps({f.name: getattr(self, f.name) for f in fields(self)}, ensure_ascii=True)

    @classmethod
    def from_json(cls, text: str) -> CheckRecord:
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        record = cls(**{k: v for k, v in data.items() if k in known})
        record.no_verdict = NoVerdict(record.no_verdict) if record.no_verdict else None
        return record

    @property
    def stale(self) -> bool:
        """Its strict baseline entry's deviation is gone: not a new deviation."""
        return self.no_verdict is NoVerdict.NO_LONGER_OBSERVED

    def result_entry(self) -> dict[str, Any]:
        """This record as results.json lists it: one entry of `checks`, in the current format
        (`glue_conformance.reports.results.FORMAT`; its schema: reports/results.schema.json)."""
        return {
            "id": self.id,
            "rule": self.rule,
            "case": self.case,
            "group": self.group,
            "statement": self.statement,
            "evidence": self.evidence,
            "strictness": self.strictness,
            "status": self.status,
            "message": self.message or "",
            "observed": self.observed or "",
            "request": self.request,
            "response": self.response,
            "reproduction": self.reproduction,
            "baseline": self.baseline,
            "nodeid": self.nodeid,
            "duration_s": round(float(self.duration_s), 4),
            "no_verdict": self.no_verdict.value if self.no_verdict else None,
            "failed_rule": self.failed_rule if self.failed_rule != self.rule else None,
        }
