"""Writing a run: validate once, redact once, then render every view from that one redacted dict.

Rendering all views from the same redacted object is what makes them agree: there is no second
reading of the data in which counts or redaction could differ.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from glue_conformance.reports import coverage_view
from glue_conformance.reports.html_view import render_html
from glue_conformance.reports.junit_view import junit_from_results
from glue_conformance.reports.markdown_view import render_markdown
from glue_conformance.reports.redaction import redact
from glue_conformance.reports.results import (
    Results,
    ResultsError,
    parse_timestamp,
    summarize,
    validate,
)

__all__ = [
    "ResultsError",
    "junit_from_results",
    "merge",
    "redact",
    "render_html",
    "render_markdown",
    "write_run",
]

RESULTS_FILE = "results.json"
PREVIOUS_RESULTS_FILE = "previous-results.json"  # the results.json a new run replaced
MARKDOWN_FILE = "report.md"
HTML_FILE = "report.html"
JUNIT_FILE = "junit.xml"
# Members every worker reports alike; a difference means the parts come from different runs.
_SHARED = ("format", "suite", "target", "model")


def _write(path: Path, content: str) -> None:
    """Replace atomically, so a history index built meanwhile never reads half a file.

    backslashreplace is a last guard: the views already escape lone surrogates, but a file that
    cannot be written at all would lose the whole run.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(content, encoding="utf-8", errors="backslashreplace", newline="\n")
    tmp.replace(path)


def results_json(results: Results) -> str:
    """ASCII JSON: lone surrogates survive as \\ud800 escapes, which UTF-8 could not carry."""
    return json.dumps(results, indent=2, ensure_ascii=True, allow_nan=False) + "\n"


def write_run(
    results: Mapping[str, Any],
    out_dir: Path,
    *,
    secrets: Iterable[str] = (),
    overwrite_junit: bool = False,
) -> dict[str, Path]:
    """Write results.json, report.md, report.html and (unless present) junit.xml into `out_dir`.

    Raises ResultsError (a ValueError) before writing anything when `results` does not match
    results.schema.json or disagrees with itself. `secrets` are exact values to mask everywhere
    (see `redaction`). A results.json already there is kept as previous-results.json, so
    two runs into one folder can be diffed. junit.xml is left alone when it exists, because pytest's
    --junitxml may own that name; `overwrite_junit` replaces it. Returns the paths written,
    keyed "results", "markdown", "html" and, when written, "junit".
    """
    clean: Results = redact(results, secrets)
    validate(clean)  # (what is written: a mask in place of a secret keeps the schema)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {
        "results": out_dir / RESULTS_FILE,
        "markdown": out_dir / MARKDOWN_FILE,
        "html": out_dir / HTML_FILE,
    }
    if written["results"].exists():  # the run before, kept for `diff` (the README's step 5)
        written["results"].replace(out_dir / PREVIOUS_RESULTS_FILE)
    _write(written["results"], results_json(clean))
    _write(written["markdown"], render_markdown(clean))
    _write(written["html"], render_html(clean))
    junit = out_dir / JUNIT_FILE
    if overwrite_junit or not junit.exists():
        _write(junit, junit_from_results(clean))
        written["junit"] = junit
    return written


def merge(parts: list[Mapping[str, Any]]) -> Results:
    """One results dict from per-worker parts (pytest-xdist): checks concatenated in part order,
    earliest start, latest finish, summary recomputed.

    Parts need not carry a correct summary (it is recomputed), but must agree on format, suite,
    target and model, and no check id may appear twice. The first part's hypothesis and baseline
    blocks are kept. Raises ResultsError.
    """
    if not parts:
        raise ResultsError("nothing to merge: no parts")
    first = parts[0]
    for index, part in enumerate(parts[1:], start=1):
        for key in _SHARED:
            if part.get(key) != first.get(key):
                raise ResultsError(f"part {index} differs from part 0 in {key!r}: not the same run")
    checks: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for index, part in enumerate(parts):
        for check in part.get("checks", []):
            if check["id"] in seen:
                raise ResultsError(
                    f"check {check['id']!r} is in part {seen[check['id']]} and part {index}"
                )
            seen[check["id"]] = index
            checks.append(copy.deepcopy(check))
    starts = [part["started"] for part in parts]
    ends = [part["finished"] for part in parts]
    started = min(starts, key=parse_timestamp)
    finished = max(ends, key=parse_timestamp)
    merged: Results = copy.deepcopy(dict(first))
    merged.update(
        started=started,
        finished=finished,
        # Timestamps may be whole seconds; a worker's own duration is then the better bound.
        duration_s=round(
            max(
                (parse_timestamp(finished) - parse_timestamp(started)).total_seconds(),
                *(float(part["duration_s"]) for part in parts),
            ),
            3,
        ),
        summary=summarize(checks),
        checks=checks,
    )
    tables = [part["coverage"] for part in parts if part.get("coverage")]
    if tables:  # what each part exercised, added up
        merged["coverage"] = coverage_view.merge_tables(tables)
    validate(merged)
    return merged
