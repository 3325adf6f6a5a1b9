"""Baselines: a target's known deviations, by rule and case pattern.

A check whose rule and case match an entry is expected to deviate: the adapter marks it as a known
deviation (strict: if it stops deviating, the entry must go). Needs no pytest.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from glue_conformance.reports.baseline import BASELINES, NotABaseline, committed, read


class BaselineError(ValueError):
    """A baseline choice that cannot be used (one line): the harness names where the choice
    came from and renders `<where> <value>: <problem> (<fix>)`."""

    def __init__(self, value: str, problem: str, fix: str) -> None:
        super().__init__(f"{value}: {problem} ({fix})")
        self.value, self.problem, self.fix = value, problem, fix


@dataclass(frozen=True)
class Baseline:
    name: str
    path: Path
    deviations: tuple[dict[str, Any], ...]
    observed_with: str | None = None  # the emulator and version it was written against

    def written_for_another(self, target_version: str | None) -> str | None:
        """The version this baseline was written for, when the target is another version of
        the same emulator ('moto 5.2.5' for a 'moto 5.2.6' target); else None."""
        if not self.observed_with or not target_version:
            return None
        written, running = self.observed_with.split()[:2], target_version.split()[:2]
        if len(written) < 2 or len(running) < 2 or written[0] != running[0]:
            return None
        return " ".join(written) if written[1] != running[1] else None

    def entry(self, rule_id: str, case: str) -> dict[str, Any] | None:
        for entry in self.deviations:
            if entry.get("rule") == rule_id and any(
                fnmatch.fnmatchcase(case, pattern) for pattern in entry.get("cases", ["*"])
            ):
                return entry
        return None

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "path": str(self.path), "entries": len(self.deviations)}


def load(choice: str, target_kind: str) -> Baseline | None:
    """'none', 'auto' (the committed baseline for the target kind), a committed name, or a path."""
    if choice == "none":
        return None
    shipped = committed()
    if choice == "auto":
        if target_kind not in shipped:
            return None
        choice = target_kind
    if choice in shipped:  # `--glue-baseline moto` for a moto server started by someone else
        return _baseline(BASELINES / f"{choice}.json", shipped[choice])
    path = Path(choice)
    if not path.exists():
        names = ", ".join(shipped)
        raise BaselineError(choice, "no such file", f"committed baselines: {names}")
    try:
        data = read(path)  # the reader prune uses: a file one refuses, the other refuses
    except NotABaseline as error:
        raise BaselineError(str(path), error.problem, error.fix) from None
    return _baseline(path, data)


def _baseline(path: Path, data: dict[str, Any]) -> Baseline:
    return Baseline(
        name=str(data.get("name", path.stem)),
        path=path,
        deviations=tuple(data.get("deviations", [])),
        observed_with=str(data["observed_with"]) if data.get("observed_with") else None,
    )
