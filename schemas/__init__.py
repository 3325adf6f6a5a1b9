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
    return Draft202012Validator(load(name, service))


@functools.cache
def definition_validator(name: str, definition: str, service: str = "glue") -> Draft202012Validator:
    """A compiled validator for one of a schema's `$defs` (a JobRun inside a GetJobRuns page is
    judged by the same definition as GetJobRun's)."""
    schema = load(name, service)
    return Draft202012Validator({"$ref": f"#/$defs/{definition}", "$defs": schema["$defs"]})
