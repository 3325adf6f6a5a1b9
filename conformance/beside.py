"""Scenarios run beside the checks, in threads of their own (no pytest here).

A run is then as long as its longest part, not the sum of its parts: on AWS the campaign waits
minutes for its runs while the checks that need no run go on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class Beside:
    """The engine's scenarios (the campaign and the state machine), each started in a thread of
    its own with the session. A
    check that judges a scenario waits for that scenario only; what the scenario raised (a skip,
    a set-up that failed, the run's end) is raised in every check that waits for it, as it was
    when the first such check ran the scenario itself. The campaign and the state machine run
    at once: they start runs of different jobs, and judge at observation points of their own."""

    def __init__(self) -> None:
        self._futures: dict[str, Future[Any]] = {}
        self._pool: ThreadPoolExecutor | None = None

    def start(self, name: str, work: Callable[[], Any]) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="glue-scenarios")
        self._futures[name] = self._pool.submit(work)

    def started(self, name: str) -> bool:
        return name in self._futures

    def outcome(self, name: str) -> Any:
        return self._futures[name].result()

    def close(self, timeout_s: float) -> None:
        """After the closing flags are set: a scenario still going stops at its next request."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            for future in self._futures.values():
                with contextlib.suppress(BaseException):
                    future.result(timeout=timeout_s)
