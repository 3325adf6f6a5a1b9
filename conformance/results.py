"""From the engine's check records to the one results.json dict (then handed to reports/)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from glue_conformance import schemas
from glue_conformance.records import CheckRecord
from glue_conformance.reports.results import FORMAT, summarize
from glue_conformance.schemas.model import botocore_version

SUITE_VERSION = "0.1.0"


def _iso(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_results(
    records: list[CheckRecord],
    *,
    target: dict[str, Any],
    started: float,
    baseline: dict[str, Any] | None,
    profile: str | None,
    seed: str | None = None,
    completeness: dict[str, Any],
    leftovers: list[str] | None = None,
    coverage: dict[str, Any] | None = None,
) -> dict[str, Any]:
    source = schemas.load("GetJobRun.request")["x-source"]
    finished = time.time()
    checks = [record.result_entry() for record in sorted(records, key=lambda r: r.id)]
    return {
        "format": FORMAT,
        "suite": {"name": "glue-conformance", "version": SUITE_VERSION},
        "target": target,
        "model": {
            "botocore": botocore_version(),
            "service": source["service"],
            "apiVersion": source["apiVersion"],
            "operationModelSha256": source["operationModelSha256"],
        },
        "hypothesis": {"profile": profile, "seed": seed},
        "baseline": baseline,
        "started": _iso(started),
        "finished": _iso(finished),
        "duration_s": round(finished - started, 2),
        "summary": summarize(checks),
        "completeness": completeness,
        "leftovers": sorted(leftovers or []),
        "checks": checks,
        **({"coverage": coverage} if coverage else {}),
    }


def write_report(
    data: dict[str, Any], out_dir: Path, *, secrets: list[str], overwrite_junit: bool
) -> dict[str, Path]:
    """Hand the results to reports/ (which owns every file format and redacts once more)."""
    from glue_conformance.reports.writer import write_run

    out_dir.mkdir(parents=True, exist_ok=True)
    return write_run(data, out_dir, secrets=secrets, overwrite_junit=overwrite_junit)
