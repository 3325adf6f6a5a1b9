"""Exact sets of Unicode code points, as sorted disjoint ranges.

Java character classes (`[\\u0020-\\uD7FF...]`, `\\w`, `\\p{L}`, `[^...]`, `&&`) are resolved here
to plain code-point ranges before they are written out again. Working with the sets themselves,
rather than rewriting class syntax piece by piece, is what keeps the translation exact: negation,
intersection and shorthand classes mean the same thing whichever regex engine reads the result.
"""

from __future__ import annotations

import functools
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MAX_CODE_POINT = sys.maxunicode  # 0x10FFFF


@dataclass(frozen=True)
class CharSet:
    """An immutable set of code points; ranges are inclusive, sorted, disjoint and non-adjacent."""

    ranges: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, *items: int | tuple[int, int]) -> CharSet:
        pairs = [(item, item) if isinstance(item, int) else item for item in items]
        return cls.from_ranges(pairs)

    @classmethod
    def from_ranges(cls, pairs: Iterable[tuple[int, int]]) -> CharSet:
        merged: list[tuple[int, int]] = []
        for lo, hi in sorted(pairs):
            if lo > hi:
                raise ValueError(f"empty range {lo:#x}-{hi:#x}")
            if merged and lo <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
            else:
                merged.append((lo, hi))
        return cls(tuple(merged))

    def union(self, other: CharSet) -> CharSet:
        return CharSet.from_ranges(self.ranges + other.ranges)

    def complement(self) -> CharSet:
        out: list[tuple[int, int]] = []
        start = 0
        for lo, hi in self.ranges:
            if lo > start:
                out.append((start, lo - 1))
            start = hi + 1
        if start <= MAX_CODE_POINT:
            out.append((start, MAX_CODE_POINT))
        return CharSet(tuple(out))

    def intersection(self, other: CharSet) -> CharSet:
        return self.complement().union(other.complement()).complement()

    def __contains__(self, code_point: object) -> bool:
        if not isinstance(code_point, int):
            return False
        for lo, hi in self.ranges:
            if code_point < lo:
                return False
            if code_point <= hi:
                return True
        return False

    def is_empty(self) -> bool:
        return not self.ranges

    def size(self) -> int:
        return sum(hi - lo + 1 for lo, hi in self.ranges)


ANY = CharSet(((0, MAX_CODE_POINT),))

# Java's predefined classes without UNICODE_CHARACTER_CLASS are ASCII-only. Python's and
# ECMAScript's `\w`/`\s` are not (Python str patterns: Unicode; ECMAScript `\s`: Unicode spaces),
# which is exactly why they are expanded here instead of being copied through.
JAVA_DIGIT = CharSet.of((0x30, 0x39))
JAVA_WORD = CharSet.of((0x30, 0x39), (0x41, 0x5A), 0x5F, (0x61, 0x7A))
JAVA_SPACE = CharSet.of((0x09, 0x0D), 0x20)  # [ \t\n\x0B\f\r]
JAVA_HORIZONTAL_SPACE = CharSet.of(
    0x09, 0x20, 0xA0, 0x1680, 0x180E, (0x2000, 0x200A), 0x202F, 0x205F, 0x3000
)
JAVA_VERTICAL_SPACE = CharSet.of((0x0A, 0x0D), 0x85, 0x2028, 0x2029)
# `.` without DOTALL excludes Java's line terminators (not only `\n`, as in Python).
JAVA_LINE_TERMINATORS = CharSet.of(0x0A, 0x0D, 0x85, 0x2028, 0x2029)

_ASCII_POSIX: dict[str, CharSet] = {
    "Lower": CharSet.of((0x61, 0x7A)),
    "Upper": CharSet.of((0x41, 0x5A)),
    "ASCII": CharSet.of((0x00, 0x7F)),
    "Alpha": CharSet.of((0x41, 0x5A), (0x61, 0x7A)),
    "Digit": JAVA_DIGIT,
    "Alnum": CharSet.of((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)),
    "Punct": CharSet.of((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)),
    "Graph": CharSet.of((0x21, 0x7E)),
    "Print": CharSet.of((0x20, 0x7E)),
    "Blank": CharSet.of(0x09, 0x20),
    "Cntrl": CharSet.of((0x00, 0x1F), 0x7F),
    "XDigit": CharSet.of((0x30, 0x39), (0x41, 0x46), (0x61, 0x66)),
    "Space": JAVA_SPACE,
}


@functools.cache
def _categories() -> dict[str, CharSet]:
    """Every two-letter general category, from Python's Unicode database (built once)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    previous: str | None = None
    start = 0
    for code_point in range(MAX_CODE_POINT + 2):
        category = unicodedata.category(chr(code_point)) if code_point <= MAX_CODE_POINT else None
        if category != previous:
            if previous is not None:
                spans.setdefault(previous, []).append((start, code_point - 1))
            previous, start = category, code_point
    return {name: CharSet(tuple(ranges)) for name, ranges in spans.items()}


def unicode_property(name: str) -> CharSet:
    """Resolve the name inside Java's `\\p{...}`: a general category, `IsX`, or a POSIX class.

    The Unicode version is Python's (`unicodedata.unidata_version`); Java's may differ for
    characters assigned since. That only moves newly assigned characters, never ASCII.
    """
    key = name.removeprefix("Is") if name.startswith("Is") and len(name) <= 4 else name
    key = key.removeprefix("general_category=").removeprefix("gc=")
    if key in _ASCII_POSIX:
        return _ASCII_POSIX[key]
    categories = _categories()
    if key in categories:
        return categories[key]
    if len(key) == 1:
        members = [charset for cat, charset in categories.items() if cat.startswith(key)]
        if members:
            return functools.reduce(CharSet.union, members)
    if key == "L&" or key == "LC":
        return categories["Lu"].union(categories["Ll"]).union(categories["Lt"])
    raise KeyError(name)
