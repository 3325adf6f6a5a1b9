"""Translate AWS model patterns (java.util.regex, matched whole) into one portable pattern.

AWS services validate a `pattern` constraint with Java's `Pattern.matches`: the regex is read by
Java's parser (so `\\uD800\\uDC00` is one supplementary code point), it runs over the UTF-16 value
(a lone surrogate is a code point of its own), and it must match the *whole* value. Evidence that
the match is whole: Glue answered `'dbt-glue-foo/iam_usr_role_dev' ... failed to satisfy constraint:
Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+` (aws-samples/dbt-glue#395),
a value with a `/` that an unanchored search would have accepted.

JSON Schema's `pattern` is searched, not matched: Python's `jsonschema` calls `re.search`, and
ECMA-262 (`u` flag, as Ajv uses) searches too. So the output is anchored as
`^(?:...)$(?!\\n)`: `$(?!\\n)` is end-of-input under both engines (Python's `$` alone also matches
before a trailing newline). Character classes are resolved to exact code-point sets and written
with escapes both engines read the same way; supplementary code points are written as literal
characters because the two engines share no escape for them (`\\U0001F600` vs `\\u{1F600}`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from glue_conformance.schemas.charset import (
    ANY,
    JAVA_DIGIT,
    JAVA_HORIZONTAL_SPACE,
    JAVA_LINE_TERMINATORS,
    JAVA_SPACE,
    JAVA_VERTICAL_SPACE,
    JAVA_WORD,
    CharSet,
    unicode_property,
)


class UnsupportedPattern(ValueError):
    """A construct this translator cannot carry over exactly; raised rather than approximated."""


# --- syntax tree -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Chars:
    charset: CharSet


@dataclass(frozen=True)
class Anchor:
    kind: str  # "start" (^, \A) | "end" (Java $) | "end-input" (\z)


@dataclass(frozen=True)
class Group:
    body: Node
    kind: str = ":"  # ":" plain, "=" lookahead, "!" negative lookahead, "<=" / "<!" lookbehind


@dataclass(frozen=True)
class Repeat:
    body: Node
    low: int
    high: int | None
    lazy: bool = False


@dataclass(frozen=True)
class Sequence:
    items: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Alternation:
    options: tuple[Node, ...] = field(default_factory=tuple)


Node = Chars | Anchor | Group | Repeat | Sequence | Alternation


# --- parser ----------------------------------------------------------------------------------

_SIMPLE_ESCAPES = {"t": 0x09, "n": 0x0A, "r": 0x0D, "f": 0x0C, "a": 0x07, "e": 0x1B}
_SHORTHANDS = {
    "d": JAVA_DIGIT,
    "w": JAVA_WORD,
    "s": JAVA_SPACE,
    "h": JAVA_HORIZONTAL_SPACE,
    "v": JAVA_VERTICAL_SPACE,
}


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0
        self.dotall = False

    def fail(self, what: str) -> UnsupportedPattern:
        return UnsupportedPattern(f"{what} at offset {self.pos} in {self.text!r}")

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def take(self) -> str:
        char = self.peek()
        if not char:
            raise self.fail("unexpected end of pattern")
        self.pos += 1
        return char

    def parse(self) -> Node:
        if self.text.startswith("(?s)"):
            self.dotall, self.pos = True, 4
        node = self.alternation()
        if self.pos != len(self.text):
            raise self.fail(f"unbalanced {self.peek()!r}")
        return node

    def alternation(self) -> Node:
        options = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            options.append(self.sequence())
        return options[0] if len(options) == 1 else Alternation(tuple(options))

    def sequence(self) -> Node:
        items: list[Node] = []
        while self.peek() and self.peek() not in "|)":
            items.append(self.quantified(self.atom()))
        return items[0] if len(items) == 1 else Sequence(tuple(items))

    def quantified(self, atom: Node) -> Node:
        char = self.peek()
        bounds: tuple[int, int | None] | None = None
        if char == "*":
            bounds = (0, None)
        elif char == "+":
            bounds = (1, None)
        elif char == "?":
            bounds = (0, 1)
        elif char == "{":
            match = re.compile(r"\{(\d+)(,(\d*))?\}").match(self.text, self.pos)
            if not match:
                raise self.fail("a '{' that is not a quantifier")
            low = int(match.group(1))
            high = (
                low if match.group(2) is None else (int(match.group(3)) if match.group(3) else None)
            )
            self.pos = match.end() - 1
            bounds = (low, high)
        if bounds is None:
            return atom
        if isinstance(atom, Anchor):
            raise self.fail("a quantified anchor")
        self.pos += 1
        lazy = False
        if self.peek() == "?":
            lazy, self.pos = True, self.pos + 1
        elif self.peek() == "+":
            raise self.fail("a possessive quantifier")
        return self.quantified(Repeat(atom, bounds[0], bounds[1], lazy))

    def atom(self) -> Node:
        char = self.take()
        if char == "(":
            return self.group()
        if char == "[":
            return Chars(self.char_class())
        if char == ".":
            return Chars(ANY if self.dotall else JAVA_LINE_TERMINATORS.complement())
        if char == "^":
            return Anchor("start")
        if char == "$":
            return Anchor("end")
        if char == "\\":
            return self.escape_atom()
        if char in "*+?{":
            raise self.fail(f"a dangling quantifier {char!r}")
        return Chars(CharSet.of(self.literal_code_point(char)))

    def literal_code_point(self, char: str) -> int:
        code_point = ord(char)
        if 0xD800 <= code_point <= 0xDBFF and 0xDC00 <= ord(self.peek() or "\0") <= 0xDFFF:
            low = ord(self.take())
            return 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00)
        return code_point

    def group(self) -> Node:
        kind = ""
        if self.peek() == "?":
            self.pos += 1
            head = self.take()
            if head in ":=!":
                kind = head
            elif head == "<" and self.peek() in "=!":
                kind = "<" + self.take()
            elif head == "<":
                name = re.compile(r"[A-Za-z][A-Za-z0-9]*>").match(self.text, self.pos)
                if not name:
                    raise self.fail("a malformed named group")
                self.pos = name.end()
            else:
                raise self.fail(f"the group construct (?{head}")
        body = self.alternation()
        if self.take() != ")":
            raise self.fail("an unclosed group")
        return Group(body, kind or ":")

    def escape_atom(self) -> Node:
        char = self.peek()
        if char == "A":
            self.pos += 1
            return Anchor("start")
        if char == "z":
            self.pos += 1
            return Anchor("end-input")
        if char == "Z":
            self.pos += 1
            return Anchor("end")
        if char in "bBGRXkQ" or (char.isdigit() and char != "0"):
            raise self.fail(f"the escape \\{char}")
        return Chars(self.escape_set())

    def escape_set(self) -> CharSet:
        """An escape that stands for characters: shorthand, property, or a single code point."""
        char = self.take()
        lower = char.lower()
        if lower in _SHORTHANDS:
            charset = _SHORTHANDS[lower]
            return charset.complement() if char.isupper() else charset
        if lower == "p":
            return self.property_set(negated=char == "P")
        return CharSet.of(self.escaped_code_point(char))

    def property_set(self, *, negated: bool) -> CharSet:
        if self.peek() == "{":
            end = self.text.find("}", self.pos)
            if end < 0:
                raise self.fail("an unclosed \\p{")
            name, self.pos = self.text[self.pos + 1 : end], end + 1
        else:
            name = self.take()
        if name.startswith("^"):
            name, negated = name[1:], not negated
        try:
            charset = unicode_property(name)
        except KeyError:
            raise self.fail(f"the property \\p{{{name}}}") from None
        return charset.complement() if negated else charset

    def escaped_code_point(self, char: str) -> int:
        if char in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[char]
        if char == "u":
            high = self.hex_digits(4)
            # Java joins `\uD83D\uDE00` into one supplementary code point, in and out of classes.
            if 0xD800 <= high <= 0xDBFF and self.text.startswith("\\u", self.pos):
                saved = self.pos
                self.pos += 2
                low = self.hex_digits(4)
                if 0xDC00 <= low <= 0xDFFF:
                    return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                self.pos = saved
            return high
        if char == "x":
            if self.peek() == "{":
                end = self.text.find("}", self.pos)
                digits, self.pos = self.text[self.pos + 1 : end], end + 1
                return int(digits, 16)
            return self.hex_digits(2)
        if char == "0":
            match = re.compile(r"[0-3]?[0-7]{1,2}").match(self.text, self.pos)
            if not match:
                raise self.fail("a malformed octal escape")
            self.pos = match.end()
            return int(match.group(), 8)
        if char == "c":
            return ord(self.take()) ^ 0x40
        if char.isascii() and char.isalnum():
            raise self.fail(f"the escape \\{char}")
        return self.literal_code_point(char)  # Java: a backslash before a non-letter is literal

    def hex_digits(self, count: int) -> int:
        digits = self.text[self.pos : self.pos + count]
        if len(digits) != count or not all(c in "0123456789abcdefABCDEF" for c in digits):
            raise self.fail("a malformed hex escape")
        self.pos += count
        return int(digits, 16)

    def char_class(self) -> CharSet:
        """Java class syntax: `^` negation, ranges, nested classes (union) and `&&` intersection."""
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        result: CharSet | None = None
        current = CharSet()
        first = True
        while True:
            char = self.peek()
            if not char:
                raise self.fail("an unclosed character class")
            if char == "]" and not first:
                self.pos += 1
                break
            first = False
            if char == "&" and self.peek(1) == "&":
                self.pos += 2
                result = current if result is None else result.intersection(current)
                current = CharSet()
                continue
            if char == "[":
                self.pos += 1
                current = current.union(self.char_class())
                continue
            low = self.class_atom()
            if isinstance(low, CharSet):
                current = current.union(low)
                continue
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                if self.peek(1) == "[":
                    raise self.fail("a range ending in a class")
                self.pos += 1
                high = self.class_atom()
                if isinstance(high, CharSet):
                    raise self.fail("a range ending in a shorthand class")
                if high < low:
                    raise self.fail("a reversed range")
                current = current.union(CharSet.of((low, high)))
            else:
                current = current.union(CharSet.of(low))
        charset = current if result is None else result.intersection(current)
        return charset.complement() if negated else charset

    def class_atom(self) -> int | CharSet:
        char = self.take()
        if char != "\\":
            return self.literal_code_point(char)
        if self.peek().lower() in _SHORTHANDS or self.peek() in "pP":
            return self.escape_set()
        if self.peek() == "Q":
            raise self.fail("\\Q inside a class")
        return self.escaped_code_point(self.take())


def parse(pattern: str) -> Node:
    """Parse a java.util.regex pattern into the small tree the emitter understands."""
    return _Parser(pattern).parse()


# --- emitter ---------------------------------------------------------------------------------

_SYNTAX = set("^$\\.*+?()[]{}|/")
# Inside a class: besides `]`, `\\`, `^`, `-`, `[` (structure), Python warns about doubled `&~|`.
_CLASS_UNSAFE = set("]\\^-[&~|")
_NAMED = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r", 0x0C: "\\f"}
_END_OF_INPUT = "$(?!\\n)"
# Java's `$` (no MULTILINE): end of input, or before one final line terminator.
_JAVA_DOLLAR = "(?=(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])?$(?!\\n))"


def _code_point(code_point: int, *, in_class: bool) -> str:
    if code_point in _NAMED:
        return _NAMED[code_point]
    if code_point > 0xFFFF:
        return chr(code_point)  # see module docstring: no escape is shared by both engines
    char = chr(code_point)
    if 0x21 <= code_point <= 0x7E:
        if in_class:
            return f"\\u{code_point:04x}" if char in _CLASS_UNSAFE else char
        return "\\" + char if char in _SYNTAX else char
    return f"\\u{code_point:04x}"


def _is_surrogate(code_point: int) -> bool:
    return 0xD800 <= code_point <= 0xDFFF


def _class_body(charset: CharSet) -> str:
    # ECMAScript's `u` mode joins an escaped high surrogate with an escaped low one that follows it,
    # so ranges that start with a low surrogate go first and never follow a high one.
    ranges = sorted(charset.ranges, key=lambda r: (not (0xDC00 <= r[0] <= 0xDFFF), r[0]))
    parts = []
    for low, high in ranges:
        start = _code_point(low, in_class=True)
        if high == low:
            parts.append(start)
        elif high == low + 1 and not (_is_surrogate(low) or _is_surrogate(high)):
            parts.append(start + _code_point(high, in_class=True))
        else:
            parts.append(f"{start}-{_code_point(high, in_class=True)}")
    return "".join(parts)


def _emit_chars(charset: CharSet) -> str:
    if charset.is_empty():
        return "[^\\s\\S]"  # matches nothing, in both engines
    if charset == ANY:
        return "[\\s\\S]"
    if len(charset.ranges) == 1 and charset.ranges[0][0] == charset.ranges[0][1]:
        code_point = charset.ranges[0][0]
        text = _code_point(code_point, in_class=False)
        return f"(?:{text})" if _is_surrogate(code_point) else text
    complement = charset.complement()
    if len(complement.ranges) < len(charset.ranges):
        return f"[^{_class_body(complement)}]"
    return f"[{_class_body(charset)}]"


def _emit(node: Node) -> str:
    if isinstance(node, Chars):
        return _emit_chars(node.charset)
    if isinstance(node, Anchor):
        return {"start": "^", "end": _JAVA_DOLLAR, "end-input": _END_OF_INPUT}[node.kind]
    if isinstance(node, Group):
        return f"(?{node.kind}{_emit(node.body)})"
    if isinstance(node, Sequence):
        return "".join(
            f"(?:{_emit(item)})" if isinstance(item, Alternation) else _emit(item)
            for item in node.items
        )
    if isinstance(node, Alternation):
        return "|".join(_emit(option) for option in node.options)
    body = _emit(node.body)
    if not _is_single_atom(node.body):
        body = f"(?:{body})"
    if node.high is None:
        quantifier = {0: "*", 1: "+"}.get(node.low, f"{{{node.low},}}")
    elif node.low == node.high:
        quantifier = f"{{{node.low}}}"
    elif (node.low, node.high) == (0, 1):
        quantifier = "?"
    else:
        quantifier = f"{{{node.low},{node.high}}}"
    return body + quantifier + ("?" if node.lazy else "")


def _is_single_atom(node: Node) -> bool:
    if isinstance(node, Group):
        return True
    if isinstance(node, Chars):
        cps = node.charset.ranges
        single = len(cps) == 1 and cps[0][0] == cps[0][1]
        return not single or cps[0][0] <= 0xFFFF  # an astral literal is one char in both engines
    return False


def _strip_redundant_anchors(node: Node) -> Node:
    """Under a whole match, a leading `^` and trailing `$` of a top-level branch say nothing."""
    if isinstance(node, Alternation):
        return Alternation(tuple(_strip_redundant_anchors(option) for option in node.options))
    items = list(node.items) if isinstance(node, Sequence) else [node]
    if items and items[0] == Anchor("start"):
        items = items[1:]
    if items and isinstance(items[-1], Anchor) and items[-1].kind in ("end", "end-input"):
        items = items[:-1]
    return items[0] if len(items) == 1 else Sequence(tuple(items))


def to_portable(java_pattern: str) -> str:
    """The JSON Schema `pattern` that accepts exactly what `Pattern.matches(java_pattern, v)` does.

    Valid as a Python `re` pattern (used by `jsonschema` with `re.search`) and as an ECMA-262
    pattern with the `u` flag. Raises `UnsupportedPattern` rather than approximate.
    """
    tree = _strip_redundant_anchors(parse(java_pattern))
    body = _emit(tree)
    if not (isinstance(tree, Chars | Repeat | Group) and _is_single_atom_or_repeat(tree)):
        body = f"(?:{body})"
    portable = f"^{body}{_END_OF_INPUT}"
    try:
        re.compile(portable)
    except re.error as error:  # e.g. a variable-width lookbehind, which Python cannot run
        raise UnsupportedPattern(f"{java_pattern!r} -> {portable!r}: {error}") from None
    return portable


def _is_single_atom_or_repeat(node: Node) -> bool:
    return _is_single_atom(node) or (isinstance(node, Repeat) and _is_single_atom(node.body))


def java_matches(java_pattern: str, value: str) -> bool:
    """`Pattern.matches(java_pattern, value)` for a Python `str` of code points (see oracle use)."""
    return compiled(java_pattern).search(value) is not None


_CACHE: dict[str, re.Pattern[str]] = {}


def compiled(java_pattern: str) -> re.Pattern[str]:
    """The translated pattern, compiled once per process."""
    if java_pattern not in _CACHE:
        _CACHE[java_pattern] = re.compile(to_portable(java_pattern))
    return _CACHE[java_pattern]
