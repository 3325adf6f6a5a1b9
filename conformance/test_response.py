"""A JobRun on its own, judged on every JobRun the run received: every GetJobRun (with and without
PredecessorsIncluded, every poll), every item of every GetJobRuns page. Each test is the verdict of
its rule over all of them (see `glue_conformance.observe`)."""

from __future__ import annotations

from glue_conformance.verdicts import verdict_items

globals().update(verdict_items(globals()))  # the verdict items (glue_conformance.verdicts)
