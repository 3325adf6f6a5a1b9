"""Strategies for the model-based state machine: jobs, run settings, Arguments, id edits; and the
domain of real jobs the tour (`conformance/domain_jobs.py`) and the machine share: name classes
valid under both length counts, Command kinds, every WorkerType of the model, capacities, Timeout
bounds, and the look-alike edits of names and ids.

Drawn from what the model allows (botocore's CreateJob/StartJobRun shapes) and shrinking toward
the plainest choice: a job with only a Glue version, a run with no overrides and no Arguments,
a one-character edit. Explicit branches (`sampled_from`, `one_of`), not filters, so draws are
cheap and failures shrink to a short, readable sequence.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from glue_conformance.schemas.model import load
from glue_conformance.strategies.constraints import is_valid_name, name_string, utf16_length
from glue_conformance.strategies.strings import StringStrategies

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


Edit = Callable[[str], str]

ID_EDITS: dict[str, Edit] = {
    "swap-case": str.swapcase,
    "drop-last": lambda value: value[:-1],
    "add-char": lambda value: value + "0",
    "leading-space": lambda value: " " + value,
    "trailing-space": lambda value: value + " ",
    "upper": str.upper,
    "replace-last": lambda value: value[:-1] + ("0" if value[-1:] != "0" else "1"),
}
# The edits a text-handling bug makes, beside the ones above: another Unicode normal form, case
# folding, whitespace around the value (a strip on one side of the lookup), a tab read as a
# space. A lookup of any of them must find nothing (evidence section 2: the lookup is exact).
LOOK_ALIKE_EDITS: dict[str, Edit] = {
    **ID_EDITS,
    "nfc": lambda value: unicodedata.normalize("NFC", value),
    "nfd": lambda value: unicodedata.normalize("NFD", value),
    "casefold": str.casefold,
    "surrounding-whitespace": lambda value: f" {value}\t",
    "tab-as-space": lambda value: value.replace("\t", " "),
}

# --- the domain of a job: its name, its kind, its capacity ---------------------------------------

_MODEL = load("glue")
# Every WorkerType the botocore model lists (the shape's enum), in the model's order.
ALL_WORKER_TYPES: tuple[str, ...] = tuple(_MODEL.shape("WorkerType")["enum"])
# JobCommand.Name: "glueetl", "pythonshell", "gluestreaming", "glueray" (the model's text).
COMMANDS = ("glueetl", "pythonshell", "gluestreaming", "glueray")
# Commands each kind needs beside its name (a Ray job names its runtime; model JobCommand).
COMMAND_EXTRAS: dict[str, dict[str, str]] = {
    "glueetl": {},
    "pythonshell": {"PythonVersion": "3.9"},
    "gluestreaming": {},
    "glueray": {"Runtime": "Ray2.4", "PythonVersion": "3.9"},
}
# StartJobRunRequest.MaxCapacity (model text): a Python shell job takes 0.0625 or 1 DPU; a Spark
# ETL or streaming job 2 to 100, never fractional, and only for Glue 1.0 or earlier.
PYTHONSHELL_CAPACITIES = (0.0625, 1.0)
SPARK_CAPACITY = (2.0, 100.0)
# Timeout: model min 1; "less than 7 days or 10080 minutes" reads either way, so the largest
# value valid under both readings is 10079.
TIMEOUT_BOUNDS = (1, 10079)
NAME_MAX = 255  # NameString max (code points; section 7: UTF-16 units maybe)

# Name classes of real jobs: what follows the suite's prefix and token. Each is valid whether
# lengths count code points or UTF-16 units (evidence section 7). "max-length" and
# "max-length-astral" are filled to the maximum by `job_name`.
NAME_CLASSES: dict[str, str] = {
    "ascii": "Ascii-Job",
    "tab": "tab\there",
    "astral": "astral-\U0001f680\U00010000",
    "bmp": "bmp-d\u00e9j\u00e0-\u4f5c\u4e1a-\u00df",
    "combining": "combining-e\u0301",
    "inner-space": "inner  space",
    "edge-space": "edge-space ",
    "max-length": "max-",
    "max-length-astral": "max-\U0001f600",
}


def fit(value: str, room: int) -> str:
    """`value` cut to at most `room` UTF-16 units (so at most `room` code points too)."""
    while utf16_length(value) > room:
        value = value[:-1]
    return value


def job_name(prefix: str, cls: str) -> str:
    """A full valid job name of class `cls` after `prefix` (the suite's prefix and token)."""
    tail = prefix + NAME_CLASSES[cls]
    if cls.startswith("max-length"):
        head, astral = (tail[:-1], tail[-1]) if cls.endswith("astral") else (tail, "")
        room = NAME_MAX - utf16_length(head) - utf16_length(astral)
        tail = head + "j" * room + astral  # 255 UTF-16 units: within both counts
    if not is_valid_name(tail) or utf16_length(tail) > NAME_MAX:
        raise ValueError(f"{cls}: {tail!r} is not a valid name under both counts")
    return tail


def name_suffixes(room: int) -> st.SearchStrategy[str]:
    """What follows a job's prefix in the state machine: a name class, or a valid name from the
    project's own strategy, cut to `room` UTF-16 units (shrinks toward the plain class)."""
    classes = [v for k, v in NAME_CLASSES.items() if not k.startswith("max-length")]
    return st.one_of(
        st.sampled_from(classes),
        StringStrategies(name_string()).valid().map(lambda value: fit(value, room)).filter(bool),
    )


def job_kinds() -> st.SearchStrategy[dict[str, Any]]:
    """CreateJob settings of a kind other than Spark ETL: a Python shell job with MaxCapacity,
    a streaming or a Ray job with workers (each as the model's text allows)."""
    return st.one_of(
        st.sampled_from(PYTHONSHELL_CAPACITIES).map(
            lambda capacity: {
                "Command": {"Name": "pythonshell", **COMMAND_EXTRAS["pythonshell"]},
                "GlueVersion": "3.0",
                "MaxCapacity": capacity,
            }
        ),
        st.just(
            {
                "Command": {"Name": "glueray", **COMMAND_EXTRAS["glueray"]},
                "GlueVersion": "4.0",
                "WorkerType": "Z.2X",
                "NumberOfWorkers": 2,
            }
        ),
    )


def look_alike_edits() -> st.SearchStrategy[str]:
    """The name of an edit of `LOOK_ALIKE_EDITS` (job names and run ids alike)."""
    return st.sampled_from(sorted(LOOK_ALIKE_EDITS))


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
