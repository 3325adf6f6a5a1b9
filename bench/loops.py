"""The floors the suite is measured against, each run in a process of its own (as the suite is,
so neither shares a GIL with a server in the bench's process):

    python -m bench.loops bare URL REQUESTS RUNS    # one botocore client, REQUESTS GetJobRun calls
    python -m bench.loops replay URL FILE RUNS      # the suite's own requests (FILE), sent again

Each loop runs once to warm up (connection, model, signer), then RUNS timed passes; the seconds
of each pass are printed as JSON. Imports, client creation and the warm-up are left out, as the
suite's start-up is left out of its own time. FILE holds what the suite sent in one run
(operation header, base64 body, signed or not), as `bench.measure.Recorder` records it.
"""

from __future__ import annotations

import base64
import contextlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path


def timed_passes(loop: Callable[[], None], runs: int) -> list[float]:
    loop()  # warm-up, not timed
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        loop()
        samples.append(time.perf_counter() - started)
    return samples


def bare(url: str, requests: int, runs: int) -> list[float]:
    import boto3
    from botocore.config import Config

    client = boto3.session.Session().client(
        "glue",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1}, parameter_validation=False),
    )
    not_found = client.exceptions.EntityNotFoundException

    def loop() -> None:
        for _ in range(requests):
            with contextlib.suppress(not_found):
                client.get_job_run(JobName="glue-conformance-absent-job", RunId="jr_absent")

    return timed_passes(loop, runs)


def replay(url: str, recording: Path, runs: int) -> list[float]:
    from botocore.credentials import Credentials

    from glue_conformance.transport import Transport

    requests = [
        (item["target"], base64.b64decode(item["body"]), item["signed"])
        for item in json.loads(recording.read_text(encoding="utf-8"))
    ]
    transport = Transport(url, region="us-east-1", credentials=Credentials("testing", "testing"))

    def loop() -> None:
        for target, body, signed in requests:
            transport.send(body, target_header=target, sign=signed)

    return timed_passes(loop, runs)


def main(argv: list[str]) -> list[float]:
    kind, url, what, runs = argv
    if kind == "bare":
        return bare(url, int(what), int(runs))
    if kind == "replay":
        return replay(url, Path(what), int(runs))
    raise SystemExit(f"python -m bench.loops: unknown loop {kind!r} (bare or replay)")


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
