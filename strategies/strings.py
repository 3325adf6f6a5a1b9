"""One generic builder: a string shape's constraints -> a valid strategy and a labelled invalid one.

Edges are explicit `one_of` branches (Hypothesis picks branches often and shrinks toward the first),
never filters that throw most draws away. Values are put together from fixed strategies
(`tuples(...).map`, `composite`), never `flatmap`, which builds a new strategy on every draw.
Edge characters come from the allowed alphabet itself: the first and last code point of each
allowed range, and the code points just outside it, so the same code finds U+D7FF/U+E000 for
NameString and `-`/`_` for `[A-Za-z0-9_-]+`.

Invalid values break exactly one rule: a pattern-breaking value has a valid length, a
length-breaking value matches the pattern.

Lone surrogates are ordinary `str` code points here (`"\\ud800"`); they cannot be encoded as UTF-8,
so the transport must send bodies as ASCII JSON, where they travel as `\\ud800` escapes
(`json.dumps(body, ensure_ascii=True)`, which is also what botocore sends).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

from glue_conformance.schemas import java_regex
from glue_conformance.schemas.charset import ANY, CharSet
from glue_conformance.strategies.constraints import StringConstraints, Violation, canonical

# Characters that implementations commonly mishandle, tried against whatever alphabet applies:
# every C0 control, DEL and the C1 controls, line/paragraph separators, BOM, noncharacters,
# surrogates and the edges of the BMP and of the supplementary planes.
CONTROLS = tuple(chr(cp) for cp in [*range(0x20), *range(0x7F, 0xA0)])
SUSPECTS = (
    *CONTROLS,
    *" '\"\\/%&<",
    *"\u00ad\u200b\u200d\u2028\u2029\u202e\ufeff\u0301",
    *"\ud7ff\ue000\ufffd\ufffe\uffff",
    *"\ud800\udbff\udc00\udfff",
    *"\U00010000\U0001f600\U0010ffff",
)
# Short runs in several scripts (Latin, Cyrillic, Greek, CJK, Arabic, Devanagari, emoji ZWJ).
SCRIPTS = (
    "job",
    "Ünïcödé",
    "задание",
    "εργασία",
    "作业",
    "ジョブ",
    "مهمة",
    "कार्य",
    "👩‍💻",
    "🚀",
    "e\u0301",
)
SURROGATES = CharSet.of((0xD800, 0xDFFF))
LONG = 64  # longer exact-length values repeat a short drawn run (`StringStrategies.exactly`)
EMOJI = ("\U0001f600", "\U0001f680", "\U00010000", "\U0010ffff", "\U0001d11e")


@dataclass(frozen=True)
class Invalid:
    """An invalid value and the one rule it breaks (`detail` says how, for reports)."""

    value: str
    rule: Violation
    detail: str


def _alphabet_of(constraints: StringConstraints) -> CharSet:
    if constraints.alphabet is not None:
        return constraints.alphabet
    return CharSet.of((0, 0xD7FF), (0xE000, 0x10FFFF))  # no usable class: any scalar value


def _edges(alphabet: CharSet) -> tuple[st.SearchStrategy[str], st.SearchStrategy[str]]:
    """(allowed, disallowed) edge characters: half the draws are the first/last code point of an
    allowed range (or the one just outside it), half are the suspects that fall on that side."""
    boundary_in: set[int] = set()
    boundary_out: set[int] = set()
    for low, high in alphabet.ranges:
        boundary_in.update((low, high))
        boundary_out.update(cp for cp in (low - 1, high + 1) if 0 <= cp <= 0x10FFFF)
    boundary_out -= boundary_in
    suspects_in = sorted({ord(c) for c in SUSPECTS if ord(c) in alphabet} - boundary_in)
    suspects_out = sorted({ord(c) for c in SUSPECTS if ord(c) not in alphabet} - boundary_out)

    def pick(*groups: list[int]) -> st.SearchStrategy[str]:
        return st.one_of([st.sampled_from([chr(cp) for cp in g]) for g in groups if g])

    return pick(sorted(boundary_in), suspects_in), pick(sorted(boundary_out), suspects_out)


def _characters(alphabet: CharSet) -> st.SearchStrategy[str]:
    """Any character of `alphabet`, as one `st.characters` where possible (Hypothesis's fast path
    for `st.text`), which also shrinks toward readable ASCII."""
    return _characters_in(alphabet)


def _characters_in(charset: CharSet) -> st.SearchStrategy[str]:
    low, high = charset.ranges[0][0], charset.ranges[-1][1]
    gaps = CharSet.of((low, high)).intersection(charset.complement())
    excluded_categories: tuple[str, ...] = ()
    if SURROGATES.intersection(gaps) == SURROGATES:
        gaps = gaps.intersection(SURROGATES.complement())
        excluded_categories = ("Cs",)
    if gaps.size() <= 4096:
        return st.characters(
            min_codepoint=low,
            max_codepoint=high,
            exclude_categories=excluded_categories,  # type: ignore[arg-type]
            exclude_characters=[chr(cp) for lo, hi in gaps.ranges for cp in range(lo, hi + 1)],
        )
    return st.one_of(
        [
            st.characters(min_codepoint=lo, max_codepoint=hi, exclude_categories=())
            for lo, hi in charset.ranges
        ]
    )


def _insert(base: st.SearchStrategy[str], piece: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """`piece` placed at the start, the end, or anywhere inside a value drawn from `base`."""
    return _insert_with(base, piece).map(lambda pair: pair[0])


def _insert_with(
    base: st.SearchStrategy[str], piece: st.SearchStrategy[str]
) -> st.SearchStrategy[tuple[str, str]]:
    """(the value with the piece inserted, the piece), for labels that name it."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[str, str]:
        text, part = draw(base), draw(piece)
        where = draw(st.sampled_from(("start", "end", "inside")))
        index = {"start": 0, "end": len(text)}.get(where) or draw(st.integers(0, len(text)))
        return text[:index] + part + text[index:], part

    return build()


def _repeat(run: str, size: int) -> str:
    """`run` repeated and cut to exactly `size` code points."""
    return (run * (size // len(run) + 1))[:size]


class StringStrategies:
    """The valid and invalid strategies for one string shape; build once, draw many times."""

    def __init__(self, constraints: StringConstraints) -> None:
        self.constraints = constraints
        self.alphabet = _alphabet_of(constraints)
        self.allowed_edge, self.disallowed_edge = _edges(self.alphabet)
        self.low = max(constraints.min_length, 0)
        self.high = constraints.max_length if constraints.max_length is not None else 4096
        self.char = _characters(self.alphabet)
        bmp = self.alphabet.intersection(CharSet.of((0, 0xFFFF)))
        # Long values come from the BMP so their length is the same in code points and in UTF-16
        # units; values where the two counts differ come from their own, labelled branches.
        self.bmp_char = _characters(bmp) if not bmp.is_empty() else self.char
        self.run = st.text(self.bmp_char, min_size=1, max_size=16)  # repeated into long values
        self._invalid: dict[bool, st.SearchStrategy[Invalid]] = {}

    # --- valid -------------------------------------------------------------------------------

    def text(self, min_size: int, max_size: int) -> st.SearchStrategy[str]:
        """Allowed characters, length in code points within [min_size, max_size] (not clamped to
        the shape's maximum, so too-long values come from here too). Values longer than 64 use
        BMP characters only."""
        min_size, max_size = max(min_size, 0), max(max_size, min_size, 0)
        if self.constraints.alphabet is None and self.constraints.java_pattern is not None:
            return self._from_regex(min_size, max_size)
        char = self.char if max_size <= LONG else self.bmp_char
        return st.text(char, min_size=min_size, max_size=max_size)

    def exactly(self, size: int) -> st.SearchStrategy[str]:
        """Allowed characters, exactly `size` code points. Past LONG, a run of up to 16 BMP
        characters repeated to that length: such a value is about its length, and drawing 255
        characters one by one made these branches the slowest the suite draws."""
        if size <= LONG or self.constraints.alphabet is None:
            return self.text(size, size)  # a value shaped by a regex cannot be cut and repeated
        return self.run.map(lambda run: _repeat(run, size))

    def _from_regex(self, min_size: int, max_size: int) -> st.SearchStrategy[str]:
        portable = java_regex.to_portable(self.constraints.java_pattern or "")
        return st.from_regex(portable, fullmatch=True).filter(
            lambda s: min_size <= len(s) <= max_size and s == canonical(s)
        )

    def valid(self) -> st.SearchStrategy[str]:
        return self._valid

    @functools.cached_property
    def _valid(self) -> st.SearchStrategy[str]:
        """Built once: a strategy object keeps what Hypothesis worked out about it."""
        low, high = self.low, self.high
        branches: list[st.SearchStrategy[str]] = [
            self.text(self.low, min(high, 24)),
            self.exactly(high),  # exactly the maximum
        ]
        if self.low <= 1 <= high:
            branches.append(self.allowed_edge)  # one edge character alone
        if self.low == 0:
            branches.append(st.just(""))
        if self.constraints.alphabet is not None:
            branches += self._valid_edges(low, high)
        return st.one_of(branches)

    def _valid_edges(self, low: int, high: int) -> list[st.SearchStrategy[str]]:
        edge = self.allowed_edge
        branches = [
            _insert(self.text(max(low - 1, 0), min(high - 1, 40)), edge),  # an edge anywhere
            st.tuples(self.exactly(high - 1), edge).map("".join),  # an edge last, at the maximum
        ]
        if 0x20 in self.alphabet and high >= 2:
            body = self.text(max(low - 1, 0), min(high - 1, 30))
            branches.append(
                st.builds(lambda t, end: " " + t if end else t + " ", body, st.booleans())
            )
        if 0x09 in self.alphabet and high >= 1:
            branches.append(_insert(self.text(max(low - 1, 0), min(high - 1, 20)), st.just("\t")))
        astral = [e for e in EMOJI if ord(e) in self.alphabet]
        if astral:
            pick = st.sampled_from(astral)
            branches += [
                st.text(pick, min_size=max(low, 1), max_size=min(high, 8)),
                pick.map(lambda e: "a" * (high - 1) + e),  # astral as the 255th code point
                pick.map(lambda e: e * high),  # 255 astral: 510 UTF-16 units
            ]
        scripts = [s for s in SCRIPTS if all(ord(c) in self.alphabet for c in s)]
        if scripts:
            mixed = st.lists(st.sampled_from(scripts), min_size=2, max_size=5).map("".join)
            branches.append(mixed.filter(lambda s: low <= len(s) <= high))
        return branches

    # --- invalid -----------------------------------------------------------------------------

    def invalid(self, *, include_unsettled: bool = True) -> st.SearchStrategy[Invalid]:
        """Labelled invalid values. `include_unsettled` adds `length-max-utf16` values, which are
        valid under smithy's code-point count and invalid only if Glue counts UTF-16 units."""
        if include_unsettled not in self._invalid:
            self._invalid[include_unsettled] = self._build_invalid(include_unsettled)
        return self._invalid[include_unsettled]

    def _build_invalid(self, include_unsettled: bool) -> st.SearchStrategy[Invalid]:
        branches: list[st.SearchStrategy[Invalid]] = []
        if self.low >= 1:
            too_short = self.text(self.low - 1, self.low - 1)
            branches.append(
                too_short.map(lambda v: Invalid(v, Violation.LENGTH_MIN, "below minimum"))
            )
        if self.constraints.max_length is not None:
            branches += self._too_long()
        if self.constraints.alphabet is not None and self.alphabet != ANY:
            branches += self._bad_characters()
        if include_unsettled and self.constraints.max_length is not None:
            branches += self._utf16_only()
        if not branches:
            raise ValueError(f"{self.constraints.shape}: no value can be invalid")
        return st.one_of(branches)

    def _too_long(self) -> list[st.SearchStrategy[Invalid]]:
        high = self.high
        longer = self.text(high + 2, high + 2) if self.constraints.alphabet is None else self.run

        def beyond(pair: tuple[int, str]) -> Invalid:
            n, run = pair
            return Invalid(_repeat(run, n), Violation.LENGTH_MAX, f"{n} code points")

        return [
            self.exactly(high + 1).map(lambda v: Invalid(v, Violation.LENGTH_MAX, "maximum + 1")),
            st.tuples(st.integers(high + 2, high * 4 + 8), longer).map(beyond),
            st.sampled_from((high + 1, 1024, 65_536)).map(
                lambda n: Invalid("a" * n, Violation.LENGTH_MAX, f"{n} x 'a'")
            ),
        ]

    def _bad_characters(self) -> list[st.SearchStrategy[Invalid]]:
        low, high = max(self.low, 1), self.high
        outside = self.alphabet.complement()
        bad = st.one_of(self.disallowed_edge, _characters_in(outside))

        def label(detail: str) -> Callable[[str], Invalid]:
            return lambda value: Invalid(value, Violation.PATTERN, detail)

        def named(char: str) -> str:
            return f"U+{ord(char):04X}"

        one_bad = _insert_with(self.text(max(low - 1, 0), min(high - 1, 40)), bad).map(
            lambda pair: Invalid(pair[0], Violation.PATTERN, f"contains {named(pair[1])}")
        )
        controls = [c for c in CONTROLS if ord(c) not in self.alphabet]
        branches = [
            bad.map(lambda c: Invalid(c, Violation.PATTERN, f"only {named(c)}")),
            one_bad.filter(lambda inv: inv.value == canonical(inv.value)),
        ]
        if controls and high >= 2:
            run = st.lists(
                st.sampled_from(controls), min_size=1, max_size=min(8, high), unique=True
            ).map("".join)
            branches.append(run.map(lambda v: Invalid(v, Violation.PATTERN, "control characters")))
        if 0xDC00 not in self.alphabet and 0xD800 not in self.alphabet and high >= 2:
            base = self.text(0, min(high - 2, 20))
            branches.append(
                _insert(base, st.just("\udc00\ud800")).map(label("reversed surrogate pair"))
            )
        if 0x0A not in self.alphabet and high >= 2:
            base = self.text(max(low, 1), min(high - 1, 40))
            branches.append(
                base.map(lambda v: Invalid(v + "\n", Violation.PATTERN, "trailing \\n"))
            )
        if 0x0D not in self.alphabet and high >= 3:
            base = self.text(max(low, 1), min(high - 2, 40))
            branches.append(
                base.map(lambda v: Invalid(v + "\r\n", Violation.PATTERN, "trailing \\r\\n"))
            )
        return branches

    def _utf16_only(self) -> list[st.SearchStrategy[Invalid]]:
        """Values within the maximum in code points but beyond it in UTF-16 code units."""
        astral = [e for e in EMOJI if ord(e) in self.alphabet]
        high = self.high
        if not astral or high < 2:
            return []
        pick = st.sampled_from(astral)

        def label(value: str) -> Invalid:
            return Invalid(
                value,
                Violation.LENGTH_MAX_UTF16,
                f"{len(value)} code points, {len(value.encode('utf-16-le')) // 2} UTF-16 units",
            )

        half = high // 2 + 1  # 128 astral for 255: 256 units
        return [
            pick.map(lambda e: e * half).map(label),
            st.tuples(st.integers(half, high), pick).map(lambda p: p[1] * p[0]).map(label),
            pick.map(lambda e: "a" * (high - 1) + e).map(label),  # 255 code points, 256 units
        ]
