"""How fast to poll a run's life cycle: as fast as it moves, and no faster.

A target that moves a run on by one state per call (moto with its state manager set to manual,
as the suite sets it) is polled back to back and never waited on; one that moves by the clock
(real AWS, the reference endpoint) is polled with doubling waits while nothing changes. The
number of polls is bounded too, so a target whose state keeps flapping cannot turn polling into
a flood.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_POLLS = 200


@dataclass
class Backoff:
    first_s: float = 0.05
    cap_s: float = 5.0
    wait: float = 0.0  # seconds to wait before the next poll

    def saw(self, *, moved: bool) -> None:
        """After a poll: did the run's state change since the one before?"""
        self.wait = 0.0 if moved else min(max(self.wait * 2, self.first_s), self.cap_s)
