"""The suite's Hypothesis profiles: `glue-quick`, `glue-ci` (the default) and `glue-nightly`.

Registered only for a run of the suite (or one that names a `glue-*` profile), under names of
their own: Hypothesis's `default` and `ci` profiles, and any other project's, are never touched.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, settings

# Hypothesis profiles for network targets: no deadline (the target's latency is not ours to
# judge), derandomized where a nightly job wants two runs to differ only by the target, one bug
# reported per test (the shrunk one), and no blob: Hypothesis would advise pasting
# `@reproduce_failure(...)` into the test, which a user of the installed suite cannot do; the
# failure ends with the suite's own replay line instead (the run's seed and the check's `-k`,
# adapter._replay_line). No explain phase:
# after a failure it sends hundreds more requests (248 against moto's missing validation, two
# seconds) only to annotate which parts of the shrunk request could vary; the shrunk request
# and its reproduction already say what broke.
DEFAULT_PROFILE = "glue-ci"  # a run of the suite that names no profile uses this one
_COMMON: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much],
    "report_multiple_bugs": False,
    "print_blob": False,
}
_NO_EXPLAIN = [phase for phase in Phase if phase is not Phase.explain]


def register() -> None:
    """Idempotent: Hypothesis keeps the last registration of a name."""
    # `quick` is for fast feedback: failures are reported as found, without shrinking (shrinking a
    # stateful failure replays many sequences against the target).
    settings.register_profile(
        "glue-quick",
        max_examples=20,
        derandomize=True,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        **_COMMON,
    )
    settings.register_profile(
        "glue-ci", max_examples=100, derandomize=True, phases=_NO_EXPLAIN, **_COMMON
    )
    settings.register_profile("glue-nightly", max_examples=1000, phases=_NO_EXPLAIN, **_COMMON)
