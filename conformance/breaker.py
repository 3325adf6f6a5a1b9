"""When to stop asking a target that keeps throttling or failing over (a circuit breaker).

Each check retries on its own (the transport's RetryPolicy); once several requests in a row have
ended "unavailable", asking again only makes every later check wait out the same retries. The
breaker opens: checks are skipped at once, and one request every `probe_every_s` finds out
whether the target has recovered, which closes it again.
"""

from __future__ import annotations

import threading
import time


class Breaker:
    """After a few requests in a row end in persistent throttling or 5xx, the target is left
    alone: later checks are skipped at once as "target unavailable" instead of each waiting out
    its own retries, and one probe every `probe_every_s` finds out whether it has recovered."""

    def __init__(self, threshold: int = 3, probe_every_s: float = 5.0) -> None:
        self.threshold, self.probe_every_s = threshold, probe_every_s
        self.failures, self.last_try, self.reason = 0, 0.0, ""
        self.lock = threading.Lock()

    def allow(self) -> bool:
        with self.lock:
            if self.failures < self.threshold:
                return True
            now = time.monotonic()
            if now - self.last_try >= self.probe_every_s:
                self.last_try = now
                return True
            return False

    def record(self, reason: str | None) -> None:
        with self.lock:
            if reason is None:
                self.failures = 0
            else:
                self.failures, self.reason = self.failures + 1, reason
                self.last_try = time.monotonic()
