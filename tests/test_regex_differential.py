"""The translated patterns, run by Python `re` and by Node's ECMAScript engine (`u` flag), must
accept exactly what java.util.regex `Pattern.matches` accepts for the original AWS pattern.

This is the test that makes "exactly right at the edges" a measured claim rather than a belief.
Java and Node are part of the project's machine image; without them these tests are skipped
with a reason (the pure-Python tests in test_java_regex.py still pin the semantics).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from glue_conformance.schemas import model
from glue_conformance.schemas.java_regex import to_portable
from tests.regex_corpus import EDGE_VALUES, canonical, random_values

pytestmark = pytest.mark.slow  # each test starts processes (tests/conftest.py)

ORACLES = Path(__file__).parent / "oracles"

# Java constructs beyond Glue's own patterns that the translator claims to carry over exactly.
EXTRA_PATTERNS = (
    "[a-z&&[^aeiou]]+",
    "[\\w&&[^\\d]]*",
    "\\p{Lu}\\p{Ll}*",
    "[\\p{L}\\p{N}]+",
    "\\P{C}*",
    "\\x{1F600}+",
    "(?s).+",
    ".+",
    "a$",
    "^$|x",
    "\\0101\\cA?",
    "[^\\uD800\\uDC00-\\uDBFF\\uDFFF]*",
    "\\uD800",
    "[\\uD800-\\uDFFF]",
    "\\uDBFF\\uDFFF",
    "\\h+\\v?",
    "\\S\\W\\D",
    "a{2,3}?b{2,}",
    "(?:ab|a)(?=b)b",
    "(?!aws:).*",
    "[\\[\\]\\-\\^]+",
    "\\p{Punct}+",
    "\\p{IsL}?x",
    "\\p{IsLu}?",
)


def _java_available() -> bool:
    return shutil.which("java") is not None and shutil.which("javac") is not None


@pytest.fixture(scope="module")
def java_oracle(tmp_path_factory: pytest.TempPathFactory):
    if not _java_available():
        pytest.skip("java/javac not on PATH: cannot compare against java.util.regex")
    out = tmp_path_factory.mktemp("java")
    subprocess.run(["javac", "-d", str(out), str(ORACLES / "PatternOracle.java")], check=True)

    def run(cases: list[tuple[str, str]]) -> list[bool]:
        def hexed(text: str) -> str:
            return text.encode("utf-16-be", "surrogatepass").hex()

        lines = "".join(f"{hexed(p)} {hexed(v)}\n" for p, v in cases)
        result = subprocess.run(
            ["java", "-cp", str(out), "PatternOracle"],
            input=lines,
            capture_output=True,
            text=True,
            check=True,
        )
        return [line == "1" for line in result.stdout.splitlines()]

    return run


@pytest.fixture(scope="module")
def ecma_oracle():
    if shutil.which("node") is None:
        pytest.skip("node not on PATH: cannot check the ECMA-262 reading")

    def run(cases: list[tuple[str, str]]) -> list[bool]:
        result = subprocess.run(
            ["node", str(ORACLES / "ecma_oracle.js")],
            input=json.dumps(cases, ensure_ascii=True),
            capture_output=True,
            text=True,
            check=True,
        )
        answer = json.loads(result.stdout)
        assert isinstance(answer, list), answer
        return answer

    return run


def _all_patterns() -> list[str]:
    glue = {
        shape["pattern"]
        for shape in model.load("glue").raw["shapes"].values()
        if "pattern" in shape
    }
    return sorted(glue) + list(EXTRA_PATTERNS)


def _cases() -> list[tuple[str, str]]:
    cases = []
    for pattern in _all_patterns():
        values = [canonical(v) for v in EDGE_VALUES] + random_values(pattern, 60, seed=7)
        cases += [(pattern, value) for value in values]
    return cases


def test_python_reading_equals_java(java_oracle):
    cases = _cases()
    java = java_oracle(cases)
    assert len(java) == len(cases)
    mismatches = [
        (pattern, value, expected)
        for (pattern, value), expected in zip(cases, java, strict=True)
        if (re.search(to_portable(pattern), value) is not None) != expected
    ]
    assert not mismatches, f"{len(mismatches)} of {len(cases)} differ, e.g. {mismatches[:5]!r}"


def test_ecma_reading_equals_java(java_oracle, ecma_oracle):
    cases = _cases()
    java = java_oracle(cases)
    ecma = ecma_oracle([(to_portable(pattern), value) for pattern, value in cases])
    mismatches = [
        (pattern, value, expected)
        for (pattern, value), expected, got in zip(cases, java, ecma, strict=True)
        if got != expected
    ]
    assert not mismatches, f"{len(mismatches)} of {len(cases)} differ, e.g. {mismatches[:5]!r}"


def test_every_glue_pattern_compiles_under_ecma_unicode_mode(ecma_oracle):
    # One case per pattern is enough to make Node compile it with the `u` flag.
    assert len(ecma_oracle([(to_portable(p), "") for p in _all_patterns()])) == len(_all_patterns())
