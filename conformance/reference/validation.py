"""Request deserialization and constraint validation, generic over the botocore model.

Two stages, as in Coral: the JSON deserializer first (a member of the wrong JSON type is a
SerializationException and nothing is validated), then the validator, which collects *every*
broken constraint of the request into one ValidationException message (evidence 1: a value that
breaks length and pattern gives two entries).

Values are Python `str`s of code points as `json.loads` returns them, with one fix-up to match
Java: a surrogate pair that arrives as two escapes is one code point, and a lone surrogate stays a
code point of its own (what `java.lang.String#codePoints` yields).

The knobs in `Options` exist so the reference server can seed faults and tolerated variants; the
defaults are the behaviour recorded for AWS.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from glue_conformance.schemas.java_regex import java_matches, to_portable
from glue_conformance.schemas.model import ServiceModel

_INT_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
# The class Glue uses for names and ids; faults that mistranslate it key on these fragments.
_TAB = "\\t"
_SURROGATE_PAIR_RANGE = "\\uD800\\uDC00-\\uDBFF\\uDFFF"


class SerializationError(Exception):
    """The body cannot be read as the operation's input: Coral's SerializationException."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or "")
        self.message = message


@dataclass(frozen=True)
class Violation:
    path: str
    value: Any  # None renders as `Value null`
    phrase: str

    def render(self) -> str:
        shown = "null" if self.value is None else f"'{render_value(self.value)}'"
        return f"Value {shown} at '{self.path}' failed to satisfy constraint: {self.phrase}"


@dataclass(frozen=True)
class Options:
    """How this server deviates from AWS (defaults: not at all)."""

    length_unit: str = "code-points"  # | "utf-16" | "utf-8" | "graphemes"
    check_length: bool = True
    max_length_slack: int = 0
    check_required: bool = True
    pattern_mode: str = "whole"  # | "search" | "python-dollar"
    reject_tab: bool = False
    reject_astral: bool = False
    accept_lone_surrogates: bool = False
    model_case_paths: bool = False
    translated_pattern_in_message: bool = False
    coerce_scalars_to_string: bool = False
    coerce_mismatches: bool = False
    # A string where an integer is expected is read with int(); text that is no number is read
    # as no value at all (the member is dropped).
    integer_from_string: bool = False
    boolean_from_number: bool = False  # a number where a boolean is expected: its truth value
    # Jackson's default scalar coercion: "5", 1.5 and true where an integer is expected read as
    # 5, 1 and 1 (text that is no number is still refused).
    coerce_integer_scalars: bool = False


# --- deserialization -----------------------------------------------------------------------


def java_string(value: str) -> str:
    """Join surrogate pairs written as separate escapes; keep lone surrogates as they are."""
    if not any(0xD800 <= ord(char) <= 0xDFFF for char in value):
        return value
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def deserialize(model: ServiceModel, shape_name: str, value: Any, options: Options) -> Any:
    """Types first, as Coral's deserializer does: a wrong type is never a validation error."""
    shape = model.shape(shape_name)
    kind = shape["type"]
    if kind == "structure":
        if not isinstance(value, dict):
            raise SerializationError("Start of structure or map found where not expected.")
        result: dict[str, Any] = {}
        for name, member in shape.get("members", {}).items():
            if value.get(name) is not None:
                item = deserialize(model, member["shape"], value[name], options)
                if item is not None:  # None only when a fault reads a value as none at all
                    result[name] = item
        return result
    if kind == "list":
        if not isinstance(value, list):
            raise SerializationError("Expected list or null")
        if any(item is None for item in value):
            raise SerializationError("null is not allowed in a list")
        return [deserialize(model, shape["member"]["shape"], item, options) for item in value]
    if kind == "map":
        if not isinstance(value, dict):
            raise SerializationError("Expected map or null")
        if any(item is None for item in value.values()):
            raise SerializationError("null is not allowed as a map value")
        return {
            deserialize(model, shape["key"]["shape"], key, options): deserialize(
                model, shape["value"]["shape"], item, options
            )
            for key, item in value.items()
        }
    return _scalar(kind, value, options)


def _scalar(kind: str, value: Any, options: Options) -> Any:
    if kind in ("string", "blob"):
        if isinstance(value, str):
            return java_string(value)
        if isinstance(value, bool | int | float) and (
            options.coerce_scalars_to_string or options.coerce_mismatches
        ):
            return render_value(value)
        if isinstance(value, list | dict) and options.coerce_mismatches:
            return json.dumps(value)
        raise SerializationError(
            "Start of structure or map found where not expected."
            if isinstance(value, dict)
            else f"{render_value(value)} can not be converted to a String"
        )
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if options.coerce_mismatches:
            return bool(value)
        if options.boolean_from_number and isinstance(value, int | float):
            return bool(value)
        raise SerializationError(f"{render_value(value)} can not be converted to a Boolean")
    if kind in _INT_RANGES:
        low, high = _INT_RANGES[kind]
        value = _lenient_integer(value, options)
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        if value is None:
            return None
        raise SerializationError(f"{render_value(value)} can not be converted to an {kind}")
    if kind in ("double", "float", "timestamp"):
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return value
        raise SerializationError(f"{render_value(value)} can not be converted to a {kind}")
    raise SerializationError(f"unsupported shape type {kind}")


def _lenient_integer(value: Any, options: Options) -> Any:
    """What a lenient reader makes of a non-integer where an integer is expected (the faults and
    variants only; by default the value is returned as it came)."""
    if options.integer_from_string and isinstance(value, str):
        return int(value) if value.strip().isdigit() else None
    if options.coerce_integer_scalars:
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, float) and math.isfinite(value):
            return int(value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
    return value


# --- validation ----------------------------------------------------------------------------


def validate(
    model: ServiceModel, shape_name: str, value: Any, options: Options, path: str = ""
) -> list[Violation]:
    """All broken constraints, not the first: Coral reports every one, with its count."""
    shape = model.shape(shape_name)
    kind = shape["type"]
    found: list[Violation] = []
    if kind == "structure":
        required = set(shape.get("required", ()))
        for name, member in shape.get("members", {}).items():
            step = name if options.model_case_paths else name[:1].lower() + name[1:]
            child = f"{path}.{step}" if path else step
            if name not in value:
                if name in required and options.check_required:
                    found.append(Violation(child, None, "Member must not be null"))
                continue
            found += validate(model, member["shape"], value[name], options, child)
        return found
    if kind == "list":
        found += _length(shape, len(value), value, path, options)
        for index, item in enumerate(value, start=1):
            found += validate(
                model, shape["member"]["shape"], item, options, f"{path}.{index}.member"
            )
        return found
    if kind == "map":
        found += _length(shape, len(value), value, path, options)
        for role, shape_ref, items in (
            ("keys", shape["key"], list(value)),
            ("value", shape["value"], list(value.values())),
        ):
            nested = [
                v for item in items for v in validate(model, shape_ref["shape"], item, options)
            ]
            if nested:
                phrases = sorted({v.phrase for v in nested}, key=[v.phrase for v in nested].index)
                found.append(
                    Violation(
                        path, value, f"Map {role} must satisfy constraint: [{', '.join(phrases)}]"
                    )
                )
        return found
    if kind == "string":
        found += _length(shape, string_length(value, options.length_unit), value, path, options)
        if "pattern" in shape and not _pattern_ok(shape["pattern"], value, options):
            shown = to_portable(shape["pattern"]) if options.translated_pattern_in_message else None
            phrase = f"Member must satisfy regular expression pattern: {shown or shape['pattern']}"
            found.append(Violation(path, value, phrase))
        if "enum" in shape and value not in shape["enum"]:
            phrase = f"Member must satisfy enum value set: [{', '.join(shape['enum'])}]"
            found.append(Violation(path, value, phrase))
        return found
    if kind in ("integer", "long", "double", "float"):
        if "min" in shape and value < shape["min"]:
            phrase = f"Member must have value greater than or equal to {_number(shape['min'])}"
            found.append(Violation(path, value, phrase))
        if "max" in shape and value > shape["max"]:
            phrase = f"Member must have value less than or equal to {_number(shape['max'])}"
            found.append(Violation(path, value, phrase))
    return found


def _length(
    shape: Mapping[str, Any], length: int, value: Any, path: str, options: Options
) -> list[Violation]:
    if not options.check_length:
        return []
    found = []
    if "max" in shape and length > shape["max"] + options.max_length_slack:
        phrase = f"Member must have length less than or equal to {_number(shape['max'])}"
        found.append(Violation(path, value, phrase))
    if "min" in shape and length < shape["min"]:
        phrase = f"Member must have length greater than or equal to {_number(shape['min'])}"
        found.append(Violation(path, value, phrase))
    return found


def string_length(value: str, unit: str = "code-points") -> int:
    """Length in the unit a service counts; smithy says code points, Java's length() UTF-16."""
    if unit == "utf-16":
        return sum(2 if ord(char) > 0xFFFF else 1 for char in value)
    if unit == "utf-8":
        return len(value.encode("utf-8", "surrogatepass"))
    if unit == "graphemes":  # a fault: what a reader sees, a combining mark adds nothing
        return sum(1 for char in value if not unicodedata.combining(char))
    return len(value)


def _pattern_ok(pattern: str, value: str, options: Options) -> bool:
    if options.reject_tab and _TAB in pattern and "\t" in value:
        return False
    astral = any(ord(char) > 0xFFFF for char in value)
    if options.reject_astral and _SURROGATE_PAIR_RANGE in pattern and astral:
        return False
    if options.accept_lone_surrogates and _SURROGATE_PAIR_RANGE in pattern:
        value = "".join("\ue000" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)
    if java_matches(pattern, value):
        return True
    if options.pattern_mode == "search":
        return any(java_matches(pattern, char) for char in value)
    if options.pattern_mode == "python-dollar":
        return value.endswith("\n") and java_matches(pattern, value[:-1])
    return False


def _number(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def render_value(value: Any) -> str:
    """Java's toString of the deserialized value, as Coral echoes it in `Value '...'`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    if isinstance(value, list):
        return "[" + ", ".join(render_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={render_value(v)}" for k, v in value.items()) + "}"
    if value is None:
        return "null"
    return str(value)


def message(violations: list[Violation], *, count_prefix: bool = True) -> str:
    """The Coral ValidationException message: count prefix, then entries joined by '; '."""
    body = "; ".join(violation.render() for violation in violations)
    if not count_prefix:
        return body
    count = len(violations)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: {body}"
