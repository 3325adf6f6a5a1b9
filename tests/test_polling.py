"""Polling keeps pace with the run: no waiting while it moves, doubling waits while it does not."""

from __future__ import annotations

from glue_conformance.polling import Backoff


def test_a_run_that_moves_on_every_poll_is_never_waited_on():
    pace = Backoff()
    for _ in range(5):
        pace.saw(moved=True)
        assert pace.wait == 0.0


def test_a_run_that_stands_still_is_polled_less_and_less_often_up_to_the_cap():
    pace = Backoff(first_s=0.05, cap_s=0.3)
    waits = []
    for _ in range(5):
        pace.saw(moved=False)
        waits.append(pace.wait)
    assert waits == [0.05, 0.1, 0.2, 0.3, 0.3]
    pace.saw(moved=True)  # it moved again: back to back
    assert pace.wait == 0.0
    pace.saw(moved=False)
    assert pace.wait == 0.05
