"""Run the conformance suite once per reference switch, in this one process.

`python -m tests.selftest_runner fault:no-length-check variant:slow clean:` prints one JSON line
per switch: its exit code and the rule ids its failures name. Importing pytest, Hypothesis and
boto3 once and calling `pytest.main` per switch costs about a second a run instead of three.

A fault's run stops at the first failure that settles its verdict: a check of a rule that kills
the fault (`Fault.kills`), naming the clause the fault breaks where it names one. That is all the
mutation score asks of the run; the rest of it would decide nothing (pytest's `-x`, for one
failure in particular). The faithful endpoint's and the variants' runs, where any failure is a
false alarm, always run whole.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from typing import Any

import pytest

RULE_LINE = re.compile(r"^\[([a-z0-9.\-]+)\] ", re.M)
OBSERVED = re.compile(r"^ *observed: +(.*)$", re.M)


def names_clause(text: str, clause: str) -> bool:
    """Whether a failure's text shows a deviation of the clause: its `observed:` line (what the
    check said), never the rule's statement above it, which names every clause of the rule."""
    word = re.compile(rf"(?<![A-Za-z]){re.escape(clause)} ")
    return any(word.search(line) for line in OBSERVED.findall(text))


def kills(text: str, fault: Any) -> bool:
    """Whether one failure's text kills the fault as the mutation score counts it."""
    rules = set(RULE_LINE.findall(text)) & set(fault.kills)
    return bool(rules) and (fault.clause is None or names_clause(text, fault.clause))


class _Failures:
    def __init__(self, fault: Any = None) -> None:
        self.texts: list[str] = []
        self.fault = fault  # stop at the failure that kills it (None: run whole)
        self.session: Any = None

    def pytest_sessionstart(self, session: Any) -> None:
        self.session = session

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.failed:
            self.texts.append(str(report.longrepr))
            if self.fault is not None and kills(self.texts[-1], self.fault):
                self.session.shouldfail = f"{self.fault.name} killed"


def run(kind: str, name: str) -> dict[str, Any]:
    args = [
        "conformance",
        "-p",
        "no:cacheprovider",
        "-q",
        "-p",
        "no:randomly",
        "--hypothesis-profile",
        "glue-quick",
        "--glue-target",
        "reference",
        "--glue-reference-stage-seconds",
        "0.05",
        "--glue-request-timeout",
        "2",  # the 'stalls' fault costs one timeout
    ]
    if kind in ("fault", "variant"):
        args += [f"--glue-reference-{kind}", name]
    if kind == "fault":  # a fault's runs that never end cost 10 s, not the default 30 (a
        # variant's or the faithful endpoint's runs all end well within either)
        args += ["--glue-lifecycle-timeout", "10"]
    from glue_conformance.reference import FAULTS

    failures = _Failures(FAULTS[name] if kind == "fault" else None)
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = int(pytest.main(args, plugins=[failures]))
    rules = sorted({rule for text in failures.texts for rule in RULE_LINE.findall(text)})
    texts: dict[str, str] = {}
    for text in failures.texts:
        for rule in RULE_LINE.findall(text):
            texts[rule] = texts.get(rule, "") + text[:3000]
    return {
        "kind": kind,
        "name": name,
        "returncode": code,
        "rules": rules,
        "texts": texts,
        "tail": out.getvalue()[-1500:],
    }


def main(argv: list[str]) -> int:
    for spec in argv:
        kind, _, name = spec.partition(":")
        print(json.dumps(run(kind, name)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
