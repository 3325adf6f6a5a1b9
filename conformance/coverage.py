"""What a run exercised: per dimension of the request domain, the classes it was meant to visit,
how many times each was visited, and why any was not.

A judge sees only the answers to the questions asked: "passed" over a class never tried is the
quietest false verdict. So the engine declares each dimension's classes up front (from the model:
pattern edges, both bounds, each enum value, absent), counts every visit where the request is
sent, and names a reason for each class it could not visit (read-only mode, the billable bound,
the target refused). A declared class with neither a visit nor a reason is reported as "not
exercised: no scenario reached it" (never silent). Needs no pytest; thread-safe, because the
campaign and the state machine run beside each other.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

NOT_REACHED = "no scenario reached it"


@dataclass
class Coverage:
    """Counts of the classes a run visited, by dimension (e.g. "JobName" -> "astral")."""

    _declared: dict[str, list[str]] = field(default_factory=dict)
    _hits: dict[str, dict[str, int]] = field(default_factory=dict)
    _reasons: dict[str, dict[str, str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def declare(self, dimension: str, classes: Iterable[str]) -> None:
        """The classes of `dimension` a run is meant to visit (declaring again adds, in order)."""
        with self._lock:
            known = self._declared.setdefault(dimension, [])
            known.extend(c for c in classes if c not in known)

    def hit(self, dimension: str, cls: str, times: int = 1) -> None:
        """`cls` of `dimension` was sent (a class never declared is still counted)."""
        with self._lock:
            counts = self._hits.setdefault(dimension, {})
            counts[cls] = counts.get(cls, 0) + times
            known = self._declared.setdefault(dimension, [])
            if cls not in known:
                known.append(cls)

    def skipped(self, dimension: str, cls: str, reason: str) -> None:
        """`cls` could not be visited, and why (the first reason given is kept)."""
        with self._lock:
            self._reasons.setdefault(dimension, {}).setdefault(cls, reason)
            known = self._declared.setdefault(dimension, [])
            if cls not in known:
                known.append(cls)

    def merge(self, other: Coverage | dict[str, Any]) -> None:
        """Add another run's (or worker's) coverage: counts add up, reasons are kept unless the
        class was visited after all."""
        table = other.as_dict() if isinstance(other, Coverage) else other
        for dimension, entry in table.items():
            self.declare(dimension, entry.get("classes", {}))
            self.declare(dimension, entry.get("not_exercised", {}))
            for cls, count in entry.get("classes", {}).items():
                if count:
                    self.hit(dimension, cls, count)
            for cls, reason in entry.get("not_exercised", {}).items():
                if reason != NOT_REACHED:
                    self.skipped(dimension, cls, reason)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """{dimension: {"classes": {class: visits}, "not_exercised": {class: reason}}}: every
        declared class appears, visited ones with their count, the others with a reason."""
        with self._lock:
            table: dict[str, dict[str, Any]] = {}
            for dimension, classes in self._declared.items():
                counts = self._hits.get(dimension, {})
                reasons = self._reasons.get(dimension, {})
                table[dimension] = {
                    "classes": {c: counts[c] for c in classes if counts.get(c)},
                    "not_exercised": {
                        c: reasons.get(c, NOT_REACHED) for c in classes if not counts.get(c)
                    },
                }
            return table
