"""The conformance run: transport, targets, checks and the pytest plugin.

See docs/architecture.md.
"""
