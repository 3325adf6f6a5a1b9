"""Baselines: a target's known deviations, by rule and case pattern.

A check whose rule and case match an entry is expected to deviate: the adapter marks it as a known
deviation (strict: if it stops deviating, the entry must go). Needs no pytest.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, replace
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
    # The emulator's releases the file's entries were checked on (an entry's own "versions"
    # says where it holds; without one it holds on every one of them).
    versions: tuple[str, ...] = ()
    version: str | None = None  # the release its entries were picked for (`for_version`)
    note: str | None = None  # how they were picked, when not for the release asked

    def written_for_another(self, target_version: str | None) -> str | None:
        """The version this baseline was written for, when the target is another version of
        the same emulator ('moto 5.2.5' for a 'moto 5.2.6' target); else None."""
        if not self.observed_with or not target_version:
            return None
        written, running = self.observed_with.split()[:2], target_version.split()[:2]
        if len(written) < 2 or len(running) < 2 or written[0] != running[0]:
            return None
        if self.versions:
            if running[1] in self.versions:
                return None
            return f"{written[0]} {self.version or ' / '.join(self.versions)}"
        return " ".join(written) if written[1] != running[1] else None

    def for_version(self, wanted: str | None) -> Baseline:
        """The entries that hold on release `wanted` of the emulator: those seen there, or on
        the nearest release the file knows (the newest one before it; else its oldest), said
        in `note`. With no release known (a server started elsewhere, given by URL), an entry
        seen on some releases only may deviate or not: it is kept as a race ("strict": false),
        so neither a fixed nor a present deviation fails the run."""
        if not self.versions:
            return self
        emulator = (self.observed_with or self.name).split()[0]
        if wanted is None:
            known = set(self.versions)
            entries = tuple(
                entry if set(entry.get("versions", known)) >= known else {**entry, "strict": False}
                for entry in self.deviations
            )
            unknown = (
                f"{emulator}'s release is not known: entries seen on some of "
                f"{', '.join(self.versions)} only are taken as races (give NAME@VERSION)"
            )
            return replace(self, deviations=entries, note=unknown)
        chosen = wanted if wanted in self.versions else _nearest(wanted, self.versions)
        entries = tuple(e for e in self.deviations if chosen in e.get("versions", self.versions))
        note = (
            None
            if chosen == wanted
            else f"no entries written for {emulator} {wanted}: those of {chosen}, the nearest "
            "release the baseline knows"
        )
        return replace(self, deviations=entries, version=chosen, note=note)

    def entry(self, rule_id: str, case: str) -> dict[str, Any] | None:
        for entry in self.deviations:
            if entry.get("rule") == rule_id and any(
                fnmatch.fnmatchcase(case, pattern) for pattern in entry.get("cases", ["*"])
            ):
                return entry
        return None

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "path": str(self.path), "entries": len(self.deviations)}


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:4])


def _nearest(wanted: str, known: tuple[str, ...]) -> str:
    """The newest known release not after `wanted`; before every one of them, the oldest."""
    ordered = sorted(known, key=_release)
    earlier = [v for v in ordered if _release(v) <= _release(wanted)]
    return earlier[-1] if earlier else ordered[0]


def load(choice: str, target_kind: str, version: str | None = None) -> Baseline | None:
    """'none', 'auto' (the committed baseline for the target kind), a committed name, or a path;
    `NAME@VERSION` picks the entries of that release of the emulator, and `version` (an
    embedded target's installed release) does the same for 'auto' and a plain name."""
    if choice == "none":
        return None
    if "@" in choice and not Path(choice).exists():
        choice, version = choice.rsplit("@", 1)
    baseline = _load(choice, target_kind)
    return baseline.for_version(version) if baseline is not None else None


def _load(choice: str, target_kind: str) -> Baseline | None:
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
        versions=tuple(str(v) for v in data.get("versions", ())),
    )
