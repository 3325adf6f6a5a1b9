"""String constraints read from the model, and the oracle that judges a value with AWS semantics.

The oracle is what the project's tests use to prove the strategies right, and what checks use to
know whether a value is valid. It follows Java/Coral semantics:

- the value is seen as UTF-16 (a JSON `\\ud83d\\ude00` escape pair is one code point, a lone
  surrogate is a code point of its own), so a Python `str` is first put in that form;
- the pattern must match the whole value (`Pattern.matches`);
- lengths count code points, as smithy's length trait does. Counting UTF-16 code units instead is
  reported as its own rule, `length-max-utf16`, because Glue's choice is unconfirmed.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass

from glue_conformance.schemas import java_regex, model
from glue_conformance.schemas.charset import CharSet


class Violation(enum.StrEnum):
    """The model rule a value or request breaks; checks assert that the error names it."""

    LENGTH_MIN = "length-min"
    LENGTH_MAX = "length-max"
    PATTERN = "pattern"
    # Valid when lengths count code points (smithy), invalid when they count UTF-16 code units.
    LENGTH_MAX_UTF16 = "length-max-utf16"
    REQUIRED = "required"
    TYPE = "type"


@dataclass(frozen=True)
class StringConstraints:
    """What the model says of one string shape."""

    shape: str
    min_length: int = 0
    max_length: int | None = None
    java_pattern: str | None = None

    @classmethod
    def from_model(cls, shape_name: str, service: str = "glue") -> StringConstraints:
        shape = model.load(service).shape(shape_name)
        if shape["type"] != "string":
            raise TypeError(f"{shape_name} is a {shape['type']}, not a string")
        return cls(shape_name, shape.get("min", 0), shape.get("max"), shape.get("pattern"))

    @functools.cached_property
    def alphabet(self) -> CharSet | None:
        """The code points the pattern allows, when it is one class repeated (`[...]*`, `[...]+`).

        None when the pattern has another form; the builder then falls back to generating from
        the regex itself.
        """
        if self.java_pattern is None:
            return None
        tree = java_regex.parse(self.java_pattern)
        if isinstance(tree, java_regex.Group) and tree.kind == ":":
            tree = tree.body
        if isinstance(tree, java_regex.Repeat) and tree.high is None:
            body = tree.body.body if isinstance(tree.body, java_regex.Group) else tree.body
            if isinstance(body, java_regex.Chars):
                return body.charset
        return None


def canonical(value: str) -> str:
    """The value as a UTF-16 decoder (Java, or any JSON parser) sees it: adjacent high+low
    surrogates become one code point; lone surrogates stay."""
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def utf16_length(value: str) -> int:
    return len(value.encode("utf-16-le", "surrogatepass")) // 2


def violations(value: str, constraints: StringConstraints) -> set[Violation]:
    """Every rule `value` breaks; empty when AWS should accept it (code-point lengths)."""
    text = canonical(value)
    broken: set[Violation] = set()
    if len(text) < constraints.min_length:
        broken.add(Violation.LENGTH_MIN)
    if constraints.max_length is not None:
        if len(text) > constraints.max_length:
            broken.add(Violation.LENGTH_MAX)
        elif utf16_length(text) > constraints.max_length:
            broken.add(Violation.LENGTH_MAX_UTF16)
    if constraints.java_pattern is not None and not java_regex.java_matches(
        constraints.java_pattern, text
    ):
        broken.add(Violation.PATTERN)
    return broken


def is_valid(
    value: str, constraints: StringConstraints, *, length_unit: str = "code-points"
) -> bool:
    """AWS's verdict on `value`. `length_unit="utf-16"` applies the unconfirmed UTF-16 count."""
    if length_unit not in ("code-points", "utf-16"):
        raise ValueError(f"length_unit must be 'code-points' or 'utf-16', not {length_unit!r}")
    broken = violations(value, constraints)
    if length_unit == "code-points":
        broken.discard(Violation.LENGTH_MAX_UTF16)
    return not broken


@functools.cache
def name_string() -> StringConstraints:
    return StringConstraints.from_model("NameString")


@functools.cache
def id_string() -> StringConstraints:
    return StringConstraints.from_model("IdString")


def is_valid_name(value: str, *, length_unit: str = "code-points") -> bool:
    """Would Glue accept `value` as a JobName (NameString)?"""
    return is_valid(value, name_string(), length_unit=length_unit)


def is_valid_run_id(value: str, *, length_unit: str = "code-points") -> bool:
    """Would Glue accept `value` as a RunId (IdString)?"""
    return is_valid(value, id_string(), length_unit=length_unit)
