"""How much the suite costs beyond the target's own time (`python -m bench`).

The suite is run as users run it (`pytest conformance` in a subprocess) against a local target,
and compared with the cheapest way to send the same number of requests: a bare botocore loop of
GetJobRun calls against the same server. The difference, after the suite's start-up, is what
signing, generation, validation and pytest cost. Every figure is a median over several runs.
"""
