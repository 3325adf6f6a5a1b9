"""Run the conformance suite once per reference switch, in this one process.

`python -m tests.selftest_runner fault:no-length-check variant:slow clean:` prints one JSON line
per switch: its exit code and the rule ids its failures name. Importing pytest, Hypothesis and
boto3 once and calling `pytest.main` per switch costs about a second a run instead of three.
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


class _Failures:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.failed:
            self.texts.append(str(report.longrepr))


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
    failures = _Failures()
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
