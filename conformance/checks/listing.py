"""GetJobRuns as a whole: order, paging, and exactly the job's runs (evidence section 17).

Each check judges one `Listing`: every page of one GetJobRuns listing, followed through NextToken
to its end, read raw (`{"JobRuns": [...], "NextToken": ...}`): an SDK's paginator would hide a
page that breaks the rules. Every item of every page is also judged as a JobRun on its own by the
observation point.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

import glue_conformance.checks.examples as ex
from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, expect
from glue_conformance.checks.subjects import Listing
from glue_conformance.transport import Exchange

# How long after StartJobRun answered a run may still be missing from GetJobRuns. No evidence
# says the listing reads its own writes or bounds its delay (section 17): the suite's own
# tolerance, ten times the longest delay its users have met (a second). A run once listed must
# be in every listing taken after that, at once.
LISTED_WITHIN_S = 10.0


def listed(exchange: Exchange) -> list[dict[str, Any]]:
    body = exchange.json
    runs = body.get("JobRuns") if isinstance(body, dict) else None
    return [run for run in runs if isinstance(run, dict)] if isinstance(runs, list) else []


def next_token(exchange: Exchange) -> Any:
    body = exchange.json
    return body.get("NextToken") if isinstance(body, dict) else None


def _items(listing: Listing) -> list[dict[str, Any]]:
    return [run for page in listing.pages for run in listed(page)]


def _ids(listing: Listing) -> list[str]:
    return [str(run.get("Id")) for run in _items(listing)]


def _last(listing: Listing) -> Exchange | None:
    return listing.pages[-1] if listing.pages else None


def _instant(value: Any) -> float | None:
    """A StartedOn as a point in time: the epoch number AWS sends, or an ISO-8601 string (an
    emulator's, e.g. moto-ext's; a string fails response.timestamps.epoch-number on its own, but
    the order it states is still judged here, not passed unseen). A zone-less string is read as
    UTC, the same for every run of the listing."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp()
    return None


@check(
    "lifecycle.runs-newest-first",
    judges="listing",
    faithful=lambda: (
        ex.listing_of(
            ex.runs_page(ex.run(StartedOn=ex.NOW + 5), token="1"), ex.runs_page(ex.run())
        ),
    ),
    deviating=lambda: (
        ex.listing_of(
            ex.runs_page(ex.run(), token="1"), ex.runs_page(ex.run(StartedOn=ex.NOW + 5))
        ),
    ),
)
def check_newest_first(listing: Listing, ctx: Context) -> None:
    """Across all pages: StartedOn never increases down the listing."""
    for index, page in enumerate(listing.pages):
        before = [r.get("StartedOn") for p in listing.pages[:index] for r in listed(p)][-1:]
        started = before + [run.get("StartedOn") for run in listed(page)]
        numbers = [t for t in map(_instant, started) if t is not None]
        expect(
            all(a >= b for a, b in pairwise(numbers)),
            f"{listing.call} page {index + 1}: StartedOn in this order: {started}",
            page,
        )


@check(
    "lifecycle.runs-paging",
    judges="listing",
    faithful=lambda: (
        ex.listing_of(
            ex.runs_page(ex.run(Id="jr_b"), token="1"), ex.runs_page(ex.run(Id="jr_a")), size=1
        ),
    ),
    deviating=lambda: (ex.listing_of(ex.runs_page(ex.run(Id="jr_b"), ex.run(Id="jr_a")), size=1),),
)
def check_paging(listing: Listing, ctx: Context) -> None:
    size = listing.max_results
    for index, page in enumerate(listing.pages):
        runs = listed(page)
        expect(
            size is None or len(runs) <= size,
            f"{listing.call} page {index + 1} holds {len(runs)} runs, MaxResults was {size}",
            page,
        )
    if not listing.complete and not listing.broken and listing.expected_runs is not None:
        # The job's runs are known: a listing that still hands out tokens after more pages than
        # the job has runs never ends.
        expect(
            False,
            f"{listing.call}: NextToken still given after {len(listing.pages)} pages, for a job "
            f"of {len(listing.expected_runs)} runs",
            _last(listing),
        )
    ids = _ids(listing)
    duplicates = sorted({run for run in ids if ids.count(run) > 1})
    expect(
        not duplicates,
        f"{listing.call}: listed twice over {len(listing.pages)} pages: {duplicates}",
        _last(listing),
    )


@check(
    "lifecycle.runs-listed",
    judges="listing",
    faithful=lambda: (
        ex.listing_of(ex.runs_page(ex.run(Id="jr_a"), ex.run(Id="jr_b")), expected=("jr_a",)),
    ),
    deviating=lambda: (ex.listing_of(ex.runs_page(ex.run(Id="jr_a")), expected=("jr_c", "jr_a")),),
)
def check_listed(listing: Listing, ctx: Context) -> None:
    if listing.expected_runs is None or not listing.complete:
        return
    # A run too new to be held to it may be missing (no evidence says GetJobRuns reads its own
    # writes: section 17); once older, or once listed, it never may be.
    missing = sorted(set(listing.expected_runs) - set(_ids(listing)) - listing.young)
    expect(
        not missing,
        f"{listing.call}: runs started over {LISTED_WITHIN_S:g} s before, or listed before, "
        f"but not listed over {len(listing.pages)} pages: {missing}",
        _last(listing),
    )


@check(
    "lifecycle.runs-only-own",
    judges="listing",
    faithful=lambda: (ex.listing_of(ex.runs_page(ex.run(Id="jr_a")), expected=("jr_a",)),),
    deviating=lambda: (
        ex.listing_of(ex.runs_page(ex.run(Id="jr_a"), ex.run(Id="jr_z")), expected=("jr_a",)),
    ),
)
def check_only_own(listing: Listing, ctx: Context) -> None:
    expected = set(listing.expected_runs) if listing.expected_runs is not None else None
    for index, page in enumerate(listing.pages):
        foreign = [
            f"{run.get('Id')!r} of {run.get('JobName')!r}"
            for run in listed(page)
            if run.get("JobName") != listing.job
            or (expected is not None and run.get("Id") not in expected)
        ]
        expect(
            not foreign,
            f"{listing.call} page {index + 1} of job {listing.job!r} lists runs that are not "
            f"the job's: {foreign[:5]}",
            page,
        )
