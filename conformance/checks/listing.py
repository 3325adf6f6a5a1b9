"""GetJobRuns against GetJobRun: order, paging, agreement (evidence section 17).

Read from raw answers (`{"JobRuns": [...], "NextToken": ...}`), as the other checks read
GetJobRun's: an SDK's paginator would hide a page that breaks the rules.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, expect
from glue_conformance.checks.response import job_run
from glue_conformance.transport import Exchange

AGREE = (
    "Id",
    "JobName",
    "StartedOn",
    "Attempt",
    "Arguments",
    "GlueVersion",
    "Timeout",
    "WorkerType",
    "NumberOfWorkers",
    "PreviousRunId",
)


def listed(exchange: Exchange) -> list[dict[str, Any]]:
    body = exchange.json
    runs = body.get("JobRuns") if isinstance(body, dict) else None
    return [run for run in runs if isinstance(run, dict)] if isinstance(runs, list) else []


def next_token(exchange: Exchange) -> Any:
    body = exchange.json
    return body.get("NextToken") if isinstance(body, dict) else None


@check("lifecycle.runs-newest-first")
def check_newest_first(exchange: Exchange, ctx: Context) -> None:
    started = [run.get("StartedOn") for run in listed(exchange)]
    numbers = [s for s in started if isinstance(s, int | float)]
    expect(
        all(a >= b for a, b in pairwise(numbers)),
        f"GetJobRuns StartedOn in this order: {started}",
        exchange,
    )


@check("lifecycle.runs-paging")
def check_paging(pages: list[Exchange], max_results: int, expected: set[str], ctx: Context) -> None:
    """`pages` were fetched with MaxResults=`max_results`, following NextToken to the end."""
    seen: list[str] = []
    for index, page in enumerate(pages):
        runs = listed(page)
        expect(
            len(runs) <= max_results,
            f"page {index + 1} holds {len(runs)} runs, MaxResults was {max_results}",
            page,
        )
        seen += [str(run.get("Id")) for run in runs]
    last = pages[-1]
    expect(
        next_token(last) is None,
        f"the last page fetched ({len(pages)}) still carries NextToken {next_token(last)!r}",
        last,
    )
    duplicates = sorted({run for run in seen if seen.count(run) > 1})
    missing = sorted(expected - set(seen))
    expect(
        not duplicates and not missing,
        f"over {len(pages)} pages of MaxResults={max_results}: "
        + (f"listed twice {duplicates} " if duplicates else "")
        + (f"never listed {missing}" if missing else ""),
        last,
    )


@check("lifecycle.runs-agree")
def check_runs_agree(listing: Exchange, got: Exchange, ctx: Context) -> None:
    """The run of GetJobRun answer `got`, as the GetJobRuns answer `listing` reports it."""
    run = job_run(got)
    entries = [entry for entry in listed(listing) if entry.get("Id") == run.get("Id")]
    expect(bool(entries), f"run {run.get('Id')!r} is not in GetJobRuns", listing)
    entry = entries[0]
    differ = {
        key: (run.get(key, "(absent)"), entry.get(key, "(absent)"))
        for key in AGREE
        if run.get(key) != entry.get(key) and not _both_empty(run.get(key), entry.get(key))
    }
    expect(
        not differ,
        "GetJobRuns and GetJobRun differ on "
        + ", ".join(f"{k}: {a!r} vs {b!r}" for k, (a, b) in differ.items()),
        listing,
    )


def _both_empty(a: Any, b: Any) -> bool:
    """Absent and {} are the same Arguments (evidence section 13 tolerates either)."""
    return a in (None, {}) and b in (None, {})
