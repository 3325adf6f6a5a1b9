"""`python -m bench.replay URL FILE RUNS`: the target's own time for the suite's very requests.

FILE holds what the suite sent in one run (operation header, body, signed or not), as recorded
by the server. A bare signed-HTTP loop, in a process of its own, sends them again in order, RUNS
times after one warm-up pass, and prints the seconds of each timed pass as JSON. The suite's run
minus its start-up, over this, is what the suite costs beyond the target for the same work.
"""

from __future__ import annotations

import base64
import json
import sys
import time
from pathlib import Path

from botocore.credentials import Credentials

from conformance.transport import Transport


def main(url: str, recording: Path, runs: int) -> list[float]:
    requests = [
        (item["target"], base64.b64decode(item["body"]), item["signed"])
        for item in json.loads(recording.read_text(encoding="utf-8"))
    ]
    transport = Transport(url, region="us-east-1", credentials=Credentials("testing", "testing"))

    def loop() -> None:
        for target, body, signed in requests:
            transport.send(body, target_header=target, sign=signed)

    loop()  # warm: connection, signer
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        loop()
        samples.append(time.perf_counter() - started)
    return samples


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]))))
