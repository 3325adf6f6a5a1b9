"""Properties whose examples are batches of independent requests, sent together.

A property that sends one request per example pays a slow target's latency once per example,
one after another. Drawing a batch (`strategies.batches`) per example and sending it
`--glue-concurrency` at a time (the `send_each` fixture) pays it about once per batch; the
checks still judge each request's exchange, in the batch's order, as a sequential run would.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeVar

from hypothesis import settings

from glue_conformance.strategies import BATCH

T = TypeVar("T")

# The mean size of `strategies.batches()` under Hypothesis's engine: 4.88 over 300 derandomized
# draws of lists of 1 to 8 (Hypothesis 6, 2026-12-04); (1 + BATCH) / 2 is that, rounded up.
MEAN_BATCH = (1 + BATCH) / 2


def batched(test: T) -> T:
    """The profile's example budget counts requests: a batched property runs
    `max_examples / MEAN_BATCH` examples, about as many requests as one-request examples would.

    Read when the test module is imported, which pytest does after `--hypothesis-profile` has
    loaded the profile."""
    budget = settings().max_examples  # the loaded profile's (settings.default is Optional)
    decorate: Callable[[T], T] = settings(max_examples=max(1, math.ceil(budget / MEAN_BATCH)))
    return decorate(test)
