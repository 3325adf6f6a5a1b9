"""The breaker stops asking a target that keeps failing over, and finds out when it is back."""

from __future__ import annotations

import time

from glue_conformance.breaker import Breaker


def test_closed_until_the_threshold_of_failures_in_a_row():
    breaker = Breaker(threshold=3, probe_every_s=60)
    for _ in range(2):
        assert breaker.allow()
        breaker.record("HTTP 503 after 4 attempts")
    breaker.record(None)  # an answer in between starts the count again
    for _ in range(2):
        breaker.record("HTTP 503 after 4 attempts")
    assert breaker.allow()
    breaker.record("HTTP 503 after 4 attempts")
    assert not breaker.allow()
    assert breaker.reason == "HTTP 503 after 4 attempts"


def test_open_it_lets_one_probe_through_per_interval_and_an_answer_closes_it():
    breaker = Breaker(threshold=1, probe_every_s=0.2)
    breaker.record("throttled")
    assert not breaker.allow()
    time.sleep(0.25)
    assert breaker.allow()  # the probe
    assert not breaker.allow()  # only one per interval
    breaker.record(None)  # the probe was answered
    assert breaker.allow()
    assert breaker.allow()
