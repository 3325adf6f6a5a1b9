"""The largest body an answer can be, read off the generated schema (and so off the model).

The transport reads an answer up to a bound and calls anything longer junk. A bound chosen for
one operation is wrong for another: a GetJobRuns page of MaxResults runs may be that many times
a GetJobRun answer, and a run's StateDetail alone may hold 400,000 characters. So the bound is
derived: every member's largest JSON encoding where the model bounds it, an allowance where it
does not, summed over the shape.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from glue_conformance.schemas import load

# One UTF-16 code unit written as a JSON escape (\uXXXX): the most bytes one unit can take.
ESCAPED_UNIT = 6
# A member the model leaves unbounded (Arguments, ErrorMessage, LogGroupName, PredecessorRuns,
# NextToken): the suite's own values are a few KiB at most (the domain tour's longest
# Arguments), so a quarter of a MiB for each is far above any answer about them.
UNBOUNDED = 256 * 1024
# The longest JSON number a long or a double prints as (-1.7976931348623157e+308 is 24).
NUMBER = 32
# Whitespace and separators a serializer may put around one member (pretty-printed, indented).
SEPARATORS = 16
# The model's bound on GetJobRuns' MaxResults (OrchestrationPageSize200). The default page size
# is not known (evidence section 17): the suite takes a page asked without MaxResults to hold
# no more runs than one may ask for, its own assumption; a reader that knows how many runs the
# job has bounds the page by those (`page_bytes`).
PAGE_MAX = 200


def largest(node: Any, defs: dict[str, Any]) -> int:
    """The largest JSON encoding (bytes) of a value the schema `node` admits."""
    if not isinstance(node, dict):
        return UNBOUNDED
    if "$ref" in node:
        return largest(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    if "enum" in node:
        return max(len(json.dumps(value)) for value in node["enum"]) + SEPARATORS
    kind = node.get("type")
    if kind == "string":
        bound = node.get("maxLength")
        return UNBOUNDED if bound is None else 2 + ESCAPED_UNIT * int(bound)
    if kind in ("number", "integer"):
        return NUMBER
    if kind == "boolean":
        return len("false")
    if kind == "array":
        items = node.get("maxItems")
        if items is None:
            return UNBOUNDED
        return 2 + int(items) * (largest(node.get("items"), defs) + SEPARATORS)
    if kind == "object":
        properties = node.get("properties") or {}
        if not properties:  # a map: its entries are not bounded by the model
            return UNBOUNDED
        return 2 + sum(
            len(json.dumps(name)) + largest(member, defs) + SEPARATORS
            for name, member in properties.items()
        )
    return UNBOUNDED


@functools.cache
def job_run_bytes() -> int:
    """The largest JobRun, as GetJobRun answers it and as each GetJobRuns item is."""
    schema = load("GetJobRun.response")
    return largest({"$ref": "#/$defs/JobRun"}, schema["$defs"])


def answer_bytes(operation: str, body: Any = None) -> int | None:
    """The largest answer `operation` can give to the request `body`; None where the model
    gives no JobRun to bound it by (the transport's own default applies)."""
    envelope = 2 + SEPARATORS + len('"JobRun":')
    if operation == "GetJobRun":
        return envelope + job_run_bytes()
    if operation == "GetJobRuns":
        size = body.get("MaxResults") if isinstance(body, dict) else None
        # A MaxResults the model refuses is answered with an error, which is small; a page
        # asked without one holds at most the model's maximum.
        runs = size if isinstance(size, int) and 1 <= size <= PAGE_MAX else PAGE_MAX
        return page_bytes(runs)
    return None


def page_bytes(runs: int) -> int:
    """The largest GetJobRuns page of `runs` runs, and its NextToken."""
    envelope = 2 + SEPARATORS + len('"JobRuns":')
    return envelope + max(runs, 1) * (job_run_bytes() + SEPARATORS) + UNBOUNDED
