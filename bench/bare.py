"""`python -m bench.bare URL REQUESTS RUNS`: the floor the suite is measured against.

One botocore client, in a process of its own (as the suite is), sends REQUESTS GetJobRun calls
RUNS times after one warm-up pass; prints the seconds of each timed pass as JSON. Imports, client
creation and the warm-up are left out, as the suite's start-up is left out of its own time.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time

import boto3
from botocore.config import Config


def main(url: str, requests: int, runs: int) -> list[float]:
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

    loop()  # warm: connection, model, handlers
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        loop()
        samples.append(time.perf_counter() - started)
    return samples


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
