"""Hypothesis strategies for AWS Glue GetJobRun, derived from botocore's model (not hand-copied).

Stable public names (outside tools import these):

- `valid_job_names()`, `invalid_job_names()`, `valid_run_ids()`, `invalid_run_ids()`: strategies
  of `str`. Valid values follow smithy's code-point lengths; invalid values include, by default,
  values invalid only if lengths count UTF-16 code units (pass `include_unsettled=False` to
  leave those out).
- `labelled_invalid_job_names()` / `labelled_invalid_run_ids()`: the same as `Invalid(value, rule,
  detail)`.
- `get_job_run_requests(valid)`: request bodies as dicts; `labelled_invalid_requests()` gives
  `InvalidRequest(body, member, rule, detail)` for checks that assert what the error names.
- `is_valid_name()`, `is_valid_run_id()`, `violations()`: the oracle, with Java/AWS semantics.
- `job_settings()`, `run_overrides()`, `run_arguments()`, `id_edits()` (with `ID_EDITS`),
  `max_results()`, `unknown_ids()`: what the model-based state machine draws (jobs, StartJobRun
  settings and Arguments, id edits, GetJobRuns page sizes, stops naming ids no run has).
- `malformed_bodies(base)` / `MalformedBodies(base)`: bodies that are not the input (not JSON,
  truncated, trailing garbage, invalid UTF-8, NaN, JSON that is no object, empty), each a
  `MalformedBody(kind, body)`; `wrong_types(operation, base)` / `WrongTypes(...)`: every wrong
  JSON type for every member of an operation's input, each a `WrongType`. Both offer `examples()`
  (one per kind or placement) beside the strategy.
- `batches(strategy)`: lists of 1 to `BATCH` independent draws, for a property that sends them
  together (a failing batch shrinks to the one request that fails).

Strings may hold lone surrogates; send bodies as ASCII JSON (`json.dumps(..., ensure_ascii=True)`)
so they travel as `\\uXXXX` escapes.
"""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st

from glue_conformance.strategies.constraints import (
    StringConstraints,
    Violation,
    canonical,
    id_string,
    is_valid,
    is_valid_name,
    is_valid_run_id,
    name_string,
    utf16_length,
    violations,
)
from glue_conformance.strategies.envelope import (
    Malformed,
    MalformedBodies,
    MalformedBody,
    WrongType,
    WrongTypes,
)
from glue_conformance.strategies.requests import InvalidRequest, OperationRequests
from glue_conformance.strategies.runs import (
    ID_EDITS,
    id_edits,
    job_settings,
    max_results,
    run_arguments,
    run_overrides,
    unknown_ids,
)
from glue_conformance.strategies.strings import Invalid, StringStrategies

__all__ = [
    "BATCH",
    "ID_EDITS",
    "Invalid",
    "InvalidRequest",
    "Malformed",
    "MalformedBodies",
    "MalformedBody",
    "StringConstraints",
    "StringStrategies",
    "Violation",
    "WrongType",
    "WrongTypes",
    "batches",
    "canonical",
    "get_job_run_requests",
    "id_edits",
    "invalid_job_names",
    "invalid_run_ids",
    "is_valid",
    "is_valid_name",
    "is_valid_run_id",
    "job_settings",
    "labelled_invalid_job_names",
    "labelled_invalid_requests",
    "labelled_invalid_run_ids",
    "malformed_bodies",
    "max_results",
    "run_arguments",
    "run_overrides",
    "unknown_ids",
    "utf16_length",
    "valid_job_names",
    "valid_run_ids",
    "violations",
    "wrong_types",
]


# Requests one example of a batched property holds at most: enough to keep a few connections
# busy against a slow target, few enough that a batch's failure still reads as one request.
BATCH = 8


def batches(strategy: st.SearchStrategy[Any], *, max_size: int = BATCH) -> st.SearchStrategy[Any]:
    """Lists of 1 to `max_size` independent draws of `strategy`. With no minimum above one, a
    failing batch shrinks to the single draw that fails."""
    return st.lists(strategy, min_size=1, max_size=max_size)


@functools.cache
def _names() -> StringStrategies:
    return StringStrategies(name_string())


@functools.cache
def _run_ids() -> StringStrategies:
    return StringStrategies(id_string())


@functools.cache
def _get_job_run() -> OperationRequests:
    return OperationRequests("GetJobRun")


def valid_job_names() -> st.SearchStrategy[str]:
    return _names().valid()


def valid_run_ids() -> st.SearchStrategy[str]:
    return _run_ids().valid()


def labelled_invalid_job_names(*, include_unsettled: bool = True) -> st.SearchStrategy[Invalid]:
    return _names().invalid(include_unsettled=include_unsettled)


def labelled_invalid_run_ids(*, include_unsettled: bool = True) -> st.SearchStrategy[Invalid]:
    return _run_ids().invalid(include_unsettled=include_unsettled)


def invalid_job_names(*, include_unsettled: bool = True) -> st.SearchStrategy[str]:
    return labelled_invalid_job_names(include_unsettled=include_unsettled).map(lambda i: i.value)


def invalid_run_ids(*, include_unsettled: bool = True) -> st.SearchStrategy[str]:
    return labelled_invalid_run_ids(include_unsettled=include_unsettled).map(lambda i: i.value)


def labelled_invalid_requests(
    *, include_unsettled: bool = False
) -> st.SearchStrategy[InvalidRequest]:
    return _get_job_run().invalid(include_unsettled=include_unsettled)


def get_job_run_requests(valid: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """GetJobRun request bodies: valid ones, or ones that break exactly one rule."""
    if valid:
        return _get_job_run().valid()
    return labelled_invalid_requests().map(lambda r: r.body)


def malformed_bodies(base: dict[str, Any]) -> st.SearchStrategy[MalformedBody]:
    """Bodies of every `Malformed` kind, built around the valid request `base`."""
    return MalformedBodies(base).strategy()


def wrong_types(operation: str, base: dict[str, Any]) -> st.SearchStrategy[WrongType]:
    """`operation`'s input with one member of a wrong JSON type (`base`: its required members)."""
    return WrongTypes(operation, base).strategy()
