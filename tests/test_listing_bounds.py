"""How far a listing is read, and what its end says (issue 34): the bounds come from the history
the suite made, never from a constant chosen for something else.

- A page may hold fewer runs than MaxResults (evidence section 17): a job whose pages hold two
  runs is read to its end however long its history, and judged complete.
- A listing cut short by an answer that never came is that answer's deviation, not a token that
  "never ends after 0 pages".
- A run a listing left out while it was too new is listed again (`Reader.settle`) and judged.
"""

from __future__ import annotations

import json
import time

import pytest
from botocore.credentials import Credentials

from glue_conformance.checks.base import Context, Deviation
from glue_conformance.checks.listing import LISTED_WITHIN_S
from glue_conformance.checks.subjects import Listing
from glue_conformance.model import Model
from glue_conformance.observe import Judge
from glue_conformance.reference import ReferenceServer
from glue_conformance.reference.catalogue import LISTING_LAGS_A_SECOND, PAGES_OF_TWO
from glue_conformance.scenarios import LIST_PAGES, Reader
from glue_conformance.transport import Exchange, Transport

CREDS = Credentials("AKIDEXAMPLE", "secret")
JOB = "history"
# Room for every run the tests start at once (the reference endpoint enforces MaxConcurrentRuns).
JOB_DEFINITION = {
    "Name": JOB,
    "Role": "r",
    "Command": {"Name": "glueetl"},
    "ExecutionProperty": {"MaxConcurrentRuns": 1000},
}


def _history(model: Model, transport: Transport, runs: int) -> None:
    """A job of `runs` runs, written down in the model as the provisioner would."""
    transport.send({**JOB_DEFINITION}, operation="CreateJob")
    model.add_job(JOB, {})
    for _ in range(runs):
        sent = time.time() - 60  # started a minute ago: old enough to be held to any listing
        answer = transport.send({"JobName": JOB}, operation="StartJobRun").json
        model.add_run(
            JOB, answer["JobRunId"], arguments=None, settings={}, sent_at=sent, answered_at=sent
        )


def test_a_history_longer_than_the_old_page_bound_in_pages_of_two_is_read_to_its_end():
    runs = 2 * LIST_PAGES + 1  # 31 pages of two: one more than the bound of old
    model = Model()
    with ReferenceServer(variants={PAGES_OF_TWO}) as server:
        transport = Transport(server.url, region="us-east-1", credentials=CREDS)
        _history(model, transport, runs)
        judge = Judge(model, Context())
        reader = Reader(transport.send, judge)
        assert reader.page_bound(JOB) == 2 * (runs + 1)  # a page of one run, or of none
        assert reader.page_bound("a job the suite did not create") == LIST_PAGES
        listing = reader.listing(
            JOB, max_results=200, expected=tuple(model.job_runs(JOB)), max_pages=None
        )
        transport.close()
    assert listing.complete
    assert len(listing.pages) == LIST_PAGES + 1
    for rule in ("lifecycle.runs-paging", "lifecycle.runs-listed"):
        judge.verdict(rule)  # raises on a deviation


def test_a_listing_cut_by_an_answer_that_never_came_is_not_called_endless():
    model = Model()
    model.add_job(JOB, {})
    model.add_run(JOB, "jr_1", arguments=None, settings={}, sent_at=0.0, answered_at=0.0)
    ctx = Context()
    judge = Judge(model, ctx)

    def unanswered(body: object, **_: object) -> Exchange:
        from glue_conformance.rules import RULES

        raise Deviation(RULES["protocol.answers"], "body larger than the 100 bytes read", None, ctx)

    listing = Reader(unanswered, judge).listing(JOB, expected=("jr_1",))
    assert listing.broken
    assert not listing.complete
    with pytest.raises(Deviation, match="body larger than"):
        judge.verdict("protocol.answers")
    judge.verdict("lifecycle.runs-paging")  # no "NextToken still given after 0 pages"


@pytest.mark.slow(seconds=3)
def test_runs_a_listing_left_out_as_too_new_are_listed_again_and_judged():
    """Against a target whose listing lags a second, the first listing leaves the new run out
    (not a deviation); `settle` lists again until it shows. Against one that never lists it,
    settle judges it missing once it is older than LISTED_WITHIN_S (here, a model that says it
    was started just under the bound ago, so the test takes a second or two)."""
    model = Model()
    with ReferenceServer(variants={LISTING_LAGS_A_SECOND}) as server:
        transport = Transport(server.url, region="us-east-1", credentials=CREDS)
        transport.send({**JOB_DEFINITION}, operation="CreateJob")
        model.add_job(JOB, {})
        sent = time.time()
        run_id = transport.send({"JobName": JOB}, operation="StartJobRun").json["JobRunId"]
        model.add_run(JOB, run_id, arguments=None, settings={}, sent_at=sent, answered_at=sent)
        judge = Judge(model, Context())
        reader = Reader(transport.send, judge)
        first = reader.listing(JOB, expected=(run_id,))
        assert run_id not in str(first.pages[0].json)
        assert judge.unlisted() == {(JOB, None): frozenset({run_id})}
        reader.settle(time.monotonic() + 30)
        assert judge.unlisted() == {}
        judge.verdict("lifecycle.runs-listed")
        # A run that never shows: a run of the model the target never started.
        ghost = "jr_" + "0" * 64
        almost = time.time() - LISTED_WITHIN_S + 1.0
        model.add_run(JOB, ghost, arguments=None, settings={}, sent_at=almost, answered_at=almost)
        reader.listing(JOB, expected=tuple(model.job_runs(JOB)))
        assert judge.unlisted() == {(JOB, None): frozenset({ghost})}  # too new to judge yet
        started = time.monotonic()
        reader.settle(time.monotonic() + 30)
        assert time.monotonic() - started < 5
        transport.close()
    with pytest.raises(Deviation, match=ghost):
        judge.verdict("lifecycle.runs-listed")


def _page(run_ids: tuple[str, ...], asked: float, received: float) -> Exchange:
    from glue_conformance.transport import JSON_11, SentRequest

    request = SentRequest("POST", "http://127.0.0.1:1/", {}, b"{}", True)
    body = json.dumps({"JobRuns": [{"Id": i, "JobName": JOB} for i in run_ids]}).encode()
    return Exchange(
        request, 200, {"content-type": JSON_11}, body, received - asked, received_at=received
    )


def test_what_is_left_to_list_again_follows_the_listing_asked_last_and_ends_with_a_broken_one():
    """Two overlapping listings of one (job, MaxResults): the one asked later decides, whichever
    was judged last; a listing that did not end leaves nothing to list again (its own deviation
    is recorded), so `settle` never loops on a target whose listing broke."""
    now = time.time()
    model = Model()
    model.add_job(JOB, {})
    model.add_run(JOB, "jr_new", arguments=None, settings={}, sent_at=now, answered_at=now)
    judge = Judge(model, Context())

    def listing(asked: float, *ids: str, complete: bool = True) -> Listing:
        page = _page(ids, now + asked, now + asked + 0.5)
        return Listing(JOB, None, (page,), complete, "GetJobRuns", ("jr_new",))

    judge.listing(listing(2.0))  # asked later, judged first: leaves the new run out
    judge.listing(listing(1.0, "jr_new"))  # asked earlier, judged later: does not replace it
    assert judge.unlisted() == {(JOB, None): frozenset({"jr_new"})}
    judge.listing(listing(3.0, complete=False))
    assert judge.unlisted() == {}
