"""The conformance run: transport, targets, checks and the pytest plugin (see README)."""
