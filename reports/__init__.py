"""Conformance reports: results.json is the one source; Markdown, HTML and JUnit are views of it.

The package knows nothing of pytest: it is handed a results dict (shape: `results.schema.json`,
Draft 2020-12, format `results.FORMAT`, glue-conformance/results@2; results@1 documents are still
read) and everything else is derived from it, so every view agrees on counts and on which checks
failed.

- `glue_conformance.reports.writer`: `write_run(results, out_dir)` validates, redacts, then
  writes results.json, report.md, report.html and junit.xml (the last only if absent);
  `merge(parts)` joins pytest-xdist workers' partial results; `junit_from_results(results)`;
  `redact(obj)`.
- `glue_conformance.reports.results`: the contract: the vocabulary (`FORMAT`, `STATUSES`,
  `NoVerdict`, `check_id`), `validate`, `load`, `summarize`, `timestamp`, `ResultsError`.
- `glue_conformance.reports.diff`: what changed between two runs, keyed on check ids.
- `glue_conformance.reports.history`: index.html with a conformance-over-time chart over many runs.
- `python -m glue_conformance.reports diff|history|render|baseline|prune|baseline-table`: the
  same from the command line (exit 4 on bad usage or input, one line).
"""
