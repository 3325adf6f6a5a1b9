"""The conformance run: transport, targets, checks and the pytest plugin.

See docs/architecture.md.

PYTEST_DONT_REWRITE: the `glue-conformance` command imports this package before it starts
pytest in the same process, and pytest, which marks an installed plugin's package for assertion
rewriting, would warn on every run that it was "already imported so cannot be rewritten". This
module holds no assert; the suite's modules are rewritten as before.
"""
