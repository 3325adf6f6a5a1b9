"""The envelope families: bodies that are not the operation's input, and members of the wrong type.

An emulator's envelope bugs sit wherever its code reads a body or a member: the other operation,
the other member, the other kind of broken body. So every family here is generated, and every
placement is derived rather than listed:

- `MalformedBodies`: bodies of each `Malformed` kind, built from a valid request so that a reader
  that gets past the flaw would find an ordinary request behind it;
- `WrongTypes`: for each member of an operation's input (read from botocore's model), every JSON
  type that is not the member's own, with the sub-kinds a lenient reader treats differently (a
  numeric string where an integer is expected, a fractional number).

Each family offers `examples()`, one representative per kind or placement (so every placement is
sent on every run, whatever the example budget), and `strategy()`, a `one_of` over the same
placements whose values vary (so a bug keyed on one value is found too). Branches are explicit and
ordered simplest first, never filters, so a failure shrinks to the smallest body of its kind.

What a target should answer is not decided here: the labels (`Malformed`, `WrongType.sent`) carry
what was done, and the checks map them to evidence.
"""

from __future__ import annotations

import enum
import functools
import json
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from glue_conformance.schemas import model


class Malformed(enum.StrEnum):
    """How a body fails to be the operation's input."""

    # Not JSON text at all (RFC 8259).
    NOT_JSON = "not-json"
    TRUNCATED = "truncated"
    TRAILING_GARBAGE = "trailing-garbage"
    INVALID_UTF8 = "invalid-utf8"
    NON_FINITE_NUMBER = "non-finite-number"
    # JSON, but not an object.
    ARRAY = "array"
    STRING = "string"
    NUMBER = "number"
    NULL = "null"
    BOOLEAN = "boolean"
    # No JSON value at all: nothing but (possibly) whitespace.
    EMPTY = "empty"


NOT_JSON_KINDS = frozenset(
    {
        Malformed.NOT_JSON,
        Malformed.TRUNCATED,
        Malformed.TRAILING_GARBAGE,
        Malformed.INVALID_UTF8,
        Malformed.NON_FINITE_NUMBER,
    }
)
NOT_AN_OBJECT_KINDS = frozenset(
    {Malformed.ARRAY, Malformed.STRING, Malformed.NUMBER, Malformed.NULL, Malformed.BOOLEAN}
)


@dataclass(frozen=True)
class MalformedBody:
    kind: Malformed
    body: bytes

    @property
    def id(self) -> str:
        return self.kind.value


# Byte sequences that no UTF-8 decoder accepts: bytes that never start a sequence (0xFF, 0xFE), a
# lone continuation byte, and a sequence cut short by an ASCII byte. Overlong forms (C0 AF) and
# encoded surrogates (ED A0 80) are left out: some decoders (Jackson's among them) let them through
# as characters, so they would test the name pattern, not the decoder.
INVALID_UTF8 = (b"\xff", b"\xfe", b"\x80", b"\xbf", b"\xc3", b"\xe2\x82")
# Texts no JSON parser reads, each something a client might really send by mistake.
NOT_JSON_FORMS = (
    "JobName={value}",  # form-encoded, as the query protocol would send it
    "<Request><JobName>{value}</JobName></Request>",
    "{{JobName: {value}}}",  # unquoted keys and values
    "{{'JobName': '{value}'}}",  # single quotes
    "undefined",
    "None",
)
# A first character that cannot begin a JSON text (which starts with whitespace, '{', '[', '"',
# '-', a digit, 't', 'f' or 'n'), so whatever follows the text is never JSON.
NOT_JSON_STARTS = "x<#@;)}]:,'"
GARBAGE_STARTS = "x}],{[\"'0n;#\x00"  # non-whitespace: JSON allows only whitespace after the value
NON_FINITE = (float("nan"), float("inf"), float("-inf"))
WHITESPACE = (b"", b" ", b"\n", b"\r\n", b"\t \n")
_MARK = "<<invalid-utf8>>"  # placeholder swapped for the raw bytes after encoding


def _encode(value: Any) -> bytes:
    """ASCII JSON, as the transport sends a body (NaN/Infinity written as their JS literals)."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def _short_text() -> st.SearchStrategy[str]:
    return st.text(max_size=8)


def _json_scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**31), 2**31),
        st.floats(allow_nan=False, allow_infinity=False),
        _short_text(),
    )


class MalformedBodies:
    """Malformed bodies for one operation, each built around `base`, a valid request body."""

    def __init__(self, base: Mapping[str, Any]) -> None:
        self.base = dict(base)
        self.strings = [name for name, value in self.base.items() if isinstance(value, str)]
        if not self.strings:
            raise ValueError("the base body needs a string member to carry invalid bytes")
        self.encoded = _encode(self.base)

    def examples(self) -> list[MalformedBody]:
        """One representative of every kind, in `Malformed` order."""
        first = self.strings[0]
        value = self.base[first]
        return [
            MalformedBody(Malformed.NOT_JSON, f"JobName={value}".encode("utf-8", "surrogatepass")),
            MalformedBody(Malformed.TRUNCATED, self.encoded[:-1]),
            MalformedBody(Malformed.TRAILING_GARBAGE, self.encoded + b"}"),
            MalformedBody(Malformed.INVALID_UTF8, self._with_bytes(first, len(value), b"\xff")),
            MalformedBody(
                Malformed.NON_FINITE_NUMBER, _encode({**self.base, first: NON_FINITE[0]})
            ),
            MalformedBody(Malformed.ARRAY, _encode([self.base])),
            MalformedBody(Malformed.STRING, _encode(value)),
            MalformedBody(Malformed.NUMBER, b"1"),
            MalformedBody(Malformed.NULL, b"null"),
            MalformedBody(Malformed.BOOLEAN, b"true"),
            MalformedBody(Malformed.EMPTY, b""),
        ]

    def strategy(
        self, kinds: frozenset[Malformed] | None = None
    ) -> st.SearchStrategy[MalformedBody]:
        builders = self._builders
        chosen = [kind for kind in Malformed if kinds is None or kind in kinds]
        return st.one_of(
            [builders[kind].map(functools.partial(MalformedBody, kind)) for kind in chosen]
        )

    @functools.cached_property
    def _builders(self) -> dict[Malformed, st.SearchStrategy[bytes]]:
        size = len(self.encoded)
        return {
            Malformed.NOT_JSON: st.one_of(
                st.sampled_from(NOT_JSON_FORMS).map(
                    lambda form: form.format(value=self.base[self.strings[0]]).encode(
                        "utf-8", "surrogatepass"
                    )
                ),
                st.tuples(st.sampled_from(NOT_JSON_STARTS), _short_text()).map(
                    lambda pair: (pair[0] + pair[1]).encode("utf-8", "surrogatepass")
                ),
            ),
            # Every proper prefix of an object's text lacks its closing brace.
            Malformed.TRUNCATED: st.integers(1, size - 1).map(lambda cut: self.encoded[:cut]),
            Malformed.TRAILING_GARBAGE: st.tuples(
                st.sampled_from(GARBAGE_STARTS), _short_text()
            ).map(lambda pair: self.encoded + (pair[0] + pair[1]).encode("utf-8", "surrogatepass")),
            Malformed.INVALID_UTF8: st.tuples(
                st.sampled_from(self.strings), st.integers(0, 255), st.sampled_from(INVALID_UTF8)
            ).map(lambda t: self._with_bytes(t[0], t[1], t[2])),
            Malformed.NON_FINITE_NUMBER: st.tuples(
                st.sampled_from(sorted(self.base)), st.sampled_from(NON_FINITE)
            ).map(lambda pair: _encode({**self.base, pair[0]: pair[1]})),
            Malformed.ARRAY: st.one_of(
                st.just([]), st.just([self.base]), st.lists(_json_scalars(), max_size=3)
            ).map(_encode),
            Malformed.STRING: st.one_of(
                st.just(""), st.sampled_from(sorted(self.base)), _short_text()
            ).map(_encode),
            Malformed.NUMBER: st.one_of(
                st.integers(-(2**31), 2**31), st.floats(allow_nan=False, allow_infinity=False)
            ).map(_encode),
            Malformed.NULL: st.just(b"null"),
            Malformed.BOOLEAN: st.booleans().map(_encode),
            Malformed.EMPTY: st.sampled_from(WHITESPACE),
        }

    def _with_bytes(self, member: str, at: int, raw: bytes) -> bytes:
        """The base body with `raw` inside `member`'s string value (at `at`, clamped)."""
        value: str = self.base[member]
        at = min(at, len(value))
        marked = {**self.base, member: value[:at] + _MARK + value[at:]}
        return _encode(marked).replace(_MARK.encode("ascii"), raw)


# --- wrong JSON types -------------------------------------------------------------------------


class JsonType(enum.StrEnum):
    OBJECT = "object"
    ARRAY = "array"
    STRING = "string"
    NUMBER = "number"
    BOOLEAN = "boolean"
    NULL = "null"


# How each model type travels in AWS JSON 1.1 (smithy awsJson1_1: timestamps are epoch numbers,
# blobs base64 strings).
JSON_TYPE_OF = {
    "string": JsonType.STRING,
    "blob": JsonType.STRING,
    "boolean": JsonType.BOOLEAN,
    "integer": JsonType.NUMBER,
    "long": JsonType.NUMBER,
    "float": JsonType.NUMBER,
    "double": JsonType.NUMBER,
    "timestamp": JsonType.NUMBER,
    "structure": JsonType.OBJECT,
    "map": JsonType.OBJECT,
    "list": JsonType.ARRAY,
}
INTEGRAL = frozenset({"integer", "long"})
NUMERIC_STRING = "numeric-string"  # a string a lenient reader parses as the integer it spells
FRACTIONAL_NUMBER = "fractional-number"  # right JSON type, but no integer


@dataclass(frozen=True)
class WrongType:
    """A request whose one member has a value of another JSON type than its model type."""

    operation: str
    member: str
    expected: str  # the member's model type: "string", "boolean", "integer", ...
    sent: str  # a JsonType value, or NUMERIC_STRING / FRACTIONAL_NUMBER
    body: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.operation}.{self.member}-{self.sent}"

    @property
    def value(self) -> Any:
        return self.body[self.member]


def _values(sent: str, expected: JsonType) -> tuple[Any, st.SearchStrategy[Any]]:
    """Values of kind `sent` for a member of JSON type `expected`: the simplest one (the
    placement's representative, and what a failure shrinks to), and the strategy, which starts
    with it."""
    simplest, rest = _simplest_and_rest(sent, expected)
    return simplest, st.one_of(st.just(simplest), rest)


def _simplest_and_rest(sent: str, expected: JsonType) -> tuple[Any, st.SearchStrategy[Any]]:
    # Empty containers first: a reader that drops falsy members lets exactly those through.
    if sent == JsonType.OBJECT:
        return {}, st.dictionaries(_short_text(), _json_scalars(), min_size=1, max_size=2)
    if sent == JsonType.ARRAY:
        return [], st.lists(_json_scalars(), min_size=1, max_size=3)
    if sent == JsonType.BOOLEAN:
        return True, st.just(False)
    if sent == JsonType.NULL:
        return None, st.nothing()
    if sent == NUMERIC_STRING:
        return "5", st.integers(1, 200).map(str)
    if sent == FRACTIONAL_NUMBER:
        return 1.5, st.integers(1, 199).map(lambda n: n + 0.5)
    if sent == JsonType.NUMBER:
        if expected == JsonType.BOOLEAN:
            return 1, st.integers(-(2**31), 2**31)
        return 5, st.one_of(
            st.integers(-(2**31), 2**31), st.floats(allow_nan=False, allow_infinity=False)
        )
    if sent == JsonType.STRING:
        if expected == JsonType.BOOLEAN:  # the spellings a lenient reader takes for a boolean
            return "true", st.one_of(
                st.sampled_from(["false", "True", "1", "0", ""]), _short_text()
            )
        # For a number: letters only, so no reader can take the text for a number (and never
        # empty: a reader may take "" for an absent boxed integer).
        return "ten", st.one_of(
            st.sampled_from(["null", "true", "MaxResults"]),
            st.text(alphabet=string.ascii_letters, min_size=1, max_size=6),
        )
    raise ValueError(f"no values of {sent} for {expected}")


class WrongTypes:
    """Every wrong JSON type for every member of one operation's input, from the model.

    `base` holds valid values for the required members; each request replaces (or adds) one
    member. null is sent only for required members: for an optional one it means absent
    (evidence 24; conformance/test_protocol.py sends those beside the request without them).
    """

    def __init__(self, operation: str, base: Mapping[str, Any], service: str = "glue") -> None:
        service_model = model.load(service)
        shape = service_model.shape(service_model.input_shape(operation))
        self.operation = operation
        self.base = dict(base)
        required = set(shape.get("required", ()))
        missing = required - self.base.keys()
        if missing:
            raise ValueError(f"{operation}: base body lacks required {sorted(missing)}")
        self.placements: list[tuple[str, str, str, JsonType]] = []  # member, model type, sent, own
        for name, member in shape["members"].items():
            kind = service_model.shape(member["shape"])["type"]
            if kind not in JSON_TYPE_OF or JSON_TYPE_OF[kind] in (JsonType.OBJECT, JsonType.ARRAY):
                raise NotImplementedError(f"{operation}.{name}: {kind} members are not generated")
            own = JSON_TYPE_OF[kind]
            for sent in self._wrong_for(kind, own, required=name in required):
                self.placements.append((name, kind, sent, own))

    @staticmethod
    def _wrong_for(kind: str, own: JsonType, *, required: bool) -> list[str]:
        sent: list[str] = [t.value for t in JsonType if t not in (own, JsonType.NULL)]
        if kind in INTEGRAL:
            sent.insert(sent.index(JsonType.STRING) + 1, NUMERIC_STRING)
            sent.append(FRACTIONAL_NUMBER)
        if required:
            sent.append(JsonType.NULL.value)
        return sent

    def _request(self, member: str, kind: str, sent: str, value: Any) -> WrongType:
        return WrongType(self.operation, member, kind, sent, {**self.base, member: value})

    def examples(self) -> list[WrongType]:
        """One request per (member, wrong type), with the simplest value of that type."""
        return [
            self._request(member, kind, sent, _values(sent, own)[0])
            for member, kind, sent, own in self.placements
        ]

    def strategy(self) -> st.SearchStrategy[WrongType]:
        return st.one_of(
            [
                _values(sent, own)[1].map(functools.partial(self._request, member, kind, sent))
                for member, kind, sent, own in self.placements
            ]
        )
