"""Strategies for the model-based state machine: jobs, run settings, Arguments, id edits.

Drawn from what the model allows (botocore's CreateJob/StartJobRun shapes) and shrinking toward
the plainest choice: a job with only a Glue version, a run with no overrides and no Arguments,
a one-character edit. Explicit branches (`sampled_from`, `one_of`), not filters, so draws are
cheap and failures shrink to a short, readable sequence.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

GLUE_VERSIONS = ("4.0", "2.0", "3.0", "5.0")  # 4.0 first: a Glue 4.0 default is judged strictly
WORKER_TYPES = ("G.1X", "G.2X")
# Argument values an emulator's second path may bend (evidence section 13 asks for them exactly).
VALUE_EDGES = (
    "x",
    "",
    " ",
    "two  spaces ",
    "d\u00e9j\u00e0 vu",
    "\U0001f680",
    "tab\there",
    "line\nbreak",
    'quote"d',
    "back\\slash",
    "--looks-like-a-flag",
)
KEY_EDGES = ("--day", "--job-default", "--with space", "--\u00e9", "--k")


def _workers() -> st.SearchStrategy[dict[str, Any]]:
    """WorkerType and NumberOfWorkers go together (CreateJob and StartJobRun refuse one alone)."""
    return st.builds(
        lambda kind, count: {"WorkerType": kind, "NumberOfWorkers": count},
        st.sampled_from(WORKER_TYPES),
        st.integers(min_value=2, max_value=10),
    )


def _maybe(strategy: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(st.just({}), strategy)


def argument_values() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(VALUE_EDGES), st.text(max_size=12))


def arguments() -> st.SearchStrategy[dict[str, str]]:
    """A run's or a job's Arguments map (GenericMap: any strings)."""
    keys = st.one_of(
        st.sampled_from(KEY_EDGES),
        st.text(st.characters(categories=["L", "Nd"]), min_size=1, max_size=8).map("--".__add__),
    )
    return st.dictionaries(keys, argument_values(), min_size=1, max_size=3)


def job_settings() -> st.SearchStrategy[dict[str, Any]]:
    """CreateJob settings: a Glue version, and any of workers, Timeout, DefaultArguments."""
    return st.builds(
        lambda version, workers, timeout, defaults: {
            "GlueVersion": version,
            **workers,
            **timeout,
            **defaults,
        },
        st.sampled_from(GLUE_VERSIONS),
        _maybe(_workers()),
        _maybe(st.integers(min_value=1, max_value=2880).map(lambda t: {"Timeout": t})),
        _maybe(arguments().map(lambda a: {"DefaultArguments": a})),
    )


def run_overrides() -> st.SearchStrategy[dict[str, Any]]:
    """StartJobRun settings that override the job's: any subset of Timeout and the workers."""
    return st.builds(
        lambda timeout, workers: {**timeout, **workers},
        _maybe(st.integers(min_value=1, max_value=2880).map(lambda t: {"Timeout": t})),
        _maybe(_workers()),
    )


def run_arguments() -> st.SearchStrategy[dict[str, str] | None]:
    """None (StartJobRun without Arguments) or a map of them."""
    return st.one_of(st.none(), arguments())


ID_EDITS = {
    "swap-case": str.swapcase,
    "drop-last": lambda value: value[:-1],
    "add-char": lambda value: value + "0",
    "leading-space": lambda value: " " + value,
    "trailing-space": lambda value: value + " ",
    "upper": str.upper,
    "replace-last": lambda value: value[:-1] + ("0" if value[-1:] != "0" else "1"),
}


def id_edits() -> st.SearchStrategy[str]:
    """The name of a small edit of a real id (`ID_EDITS[name](id)`): a lookup that must not
    find the run (the lookup is exact: evidence section 2 and the IdString pattern)."""
    return st.sampled_from(sorted(ID_EDITS))


PAGE_EDGES = (None, 1, 2, 3, 200, 199, 100, 101)  # absent (the default page), both bounds, 100


def max_results() -> st.SearchStrategy[int | None]:
    """GetJobRuns' MaxResults from its whole domain (OrchestrationPageSize200: 1-200, evidence
    section 17), or absent; shrinks toward absent."""
    return st.one_of(st.sampled_from(PAGE_EDGES), st.integers(min_value=1, max_value=200))


def unknown_ids() -> st.SearchStrategy[int]:
    """How many ids no run has a BatchStopJobRun names beside real runs (1-25 ids in all)."""
    return st.integers(min_value=0, max_value=3)
