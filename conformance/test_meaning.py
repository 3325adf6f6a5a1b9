"""What a run means, judged on every JobRun of a run the suite started, from any operation,
against the model of what it started (`glue_conformance.model`).

The campaign (`glue_conformance.scenarios.Campaign`) creates a job whose GlueVersion,
WorkerType, NumberOfWorkers, Timeout and DefaultArguments are set, and starts runs of it bare,
with overrides, with string-edged Arguments, as a retry and to be stopped; a Glue 4.0 job and a
Glue 5.0 job that set no Timeout; all together, read both ways, listed, polled to their end.
"""

from __future__ import annotations

from glue_conformance.verdicts import verdict_items

globals().update(verdict_items(globals()))  # the verdict items (glue_conformance.verdicts)
