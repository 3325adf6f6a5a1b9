"""JSON Schemas for AWS Glue GetJobRun, generated from botocore's model, and their validators.

Public surface: `SCHEMA_DIR`, `OPERATIONS`, `load(name)`, `validator(name)`,
`definition_validator(name, definition)`. The generated files are
committed; `python -m glue_conformance.schemas` regenerates them and `python -m
glue_conformance.schemas --check` fails on drift.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_DIR = Path(__file__).parent
# (service, operation) pairs whose schemas are committed.
OPERATIONS: tuple[tuple[str, str], ...] = (("glue", "GetJobRun"),)


def path(name: str, service: str = "glue") -> Path:
    """`name` is e.g. `GetJobRun.request` (no `.json`)."""
    return SCHEMA_DIR / service / f"{name}.json"


@functools.cache
def load(name: str, service: str = "glue") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path(name, service).read_text(encoding="utf-8"))
    return data


@functools.cache
def validator(name: str, service: str = "glue") -> Draft202012Validator:
    """A compiled validator, built once per process (validation is on the hot path of checks)."""
    schema = load(name, service)
    return Draft202012Validator(_inlined(schema, schema.get("$defs", {})))


@functools.cache
def definition_validator(name: str, definition: str, service: str = "glue") -> Draft202012Validator:
    """A compiled validator for one of a schema's `$defs` (a JobRun inside a GetJobRuns page is
    judged by the same definition as GetJobRun's)."""
    defs = load(name, service)["$defs"]
    return Draft202012Validator(_inlined({"$ref": f"#/$defs/{definition}", "$defs": defs}, defs))


# Keywords beside a `$ref` that only annotate: merged into the referenced schema, they change no
# verdict (beside any other keyword, the referenced schema and the rest both apply, under allOf).
_ANNOTATIONS = frozenset({"description", "deprecated", "title"})


def _inlined(node: Any, defs: dict[str, Any], within: tuple[str, ...] = ()) -> Any:
    """`node` with each local `$ref` replaced by the definition it names. The same verdicts and
    error paths, in about a quarter of the time: jsonschema resolves a `$ref` on every visit, and
    a JobRun's 30 members are each a `$ref` (a listing page holds up to 200 JobRuns). A definition
    that refers to itself keeps its `$ref` there, resolved through the `$defs` kept at the root."""
    if isinstance(node, list):
        return [_inlined(item, defs, within) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and ref.count("/") == 2:
        name = ref.removeprefix("#/$defs/")
        if name in defs and name not in within:
            target = _inlined(defs[name], defs, (*within, name))
            rest = {key: value for key, value in node.items() if key not in ("$ref", "$defs")}
            kept = {"$defs": node["$defs"]} if "$defs" in node else {}  # (the root's, as it is)
            if set(rest) <= _ANNOTATIONS and isinstance(target, dict):
                return {**target, **rest, **kept}
            return {"allOf": [target, _inlined(rest, defs, within)], **kept}
    return {
        key: value if key == "$defs" else _inlined(value, defs, within)
        for key, value in node.items()
    }
