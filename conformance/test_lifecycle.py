"""A run's life across every observation of it: polls, listings, the stop (evidence sections 5,
14-16, 20). The campaign polls all its runs together until they end; each test is the verdict of
its rule over what was seen."""

from __future__ import annotations

import pytest


@pytest.mark.rule("lifecycle.transitions")
def test_state_transitions_follow_the_life_cycle(verdict):
    verdict("lifecycle.transitions")


@pytest.mark.rule("lifecycle.timestamps.monotonic")
def test_timestamps_never_go_back(verdict):
    verdict("lifecycle.timestamps.monotonic")


@pytest.mark.rule("lifecycle.timestamps.elapsed")
def test_timestamps_fit_the_time_the_client_saw_pass(verdict):
    verdict("lifecycle.timestamps.elapsed")


@pytest.mark.rule("lifecycle.attempt.stable")
def test_attempt_never_changes(verdict):
    verdict("lifecycle.attempt.stable")


@pytest.mark.rule("lifecycle.stop-ends-stopped")
def test_a_stopped_run_ends_stopped(observed, verdict):
    if observed.stop_note:
        pytest.skip(observed.stop_note)
    verdict("lifecycle.stop-ends-stopped")


@pytest.mark.rule("lifecycle.stop-only-named")
def test_a_stop_stops_only_the_runs_it_names(verdict):
    verdict("lifecycle.stop-only-named")


@pytest.mark.rule("protocol.answers")
@pytest.mark.parametrize("case", ["reads"])
def test_every_read_of_a_run_is_answered(case, verdict):
    verdict("protocol.answers")


@pytest.mark.rule("lifecycle.domain-accepted")
def test_valid_jobs_and_runs_of_the_whole_domain_are_accepted(verdict):
    verdict("lifecycle.domain-accepted")


@pytest.mark.rule("lifecycle.ended-unchanged")
def test_an_ended_run_never_changes_seconds_later(verdict):
    verdict("lifecycle.ended-unchanged")


@pytest.mark.rule("lifecycle.started-on.spacing")
def test_started_on_follows_the_clients_starts(verdict):
    verdict("lifecycle.started-on.spacing")


@pytest.mark.rule("lifecycle.run-id.fresh")
def test_every_start_answers_a_new_run_id(verdict):
    verdict("lifecycle.run-id.fresh")


@pytest.mark.rule("lifecycle.stop-answer")
def test_a_stop_answer_lists_each_id_in_its_place(verdict):
    verdict("lifecycle.stop-answer")
