"""`python -m glue_conformance.reference`: serve the reference endpoint until Ctrl-C.

Handy for pointing the suite (or curl, or an SDK) at a known-good or known-bad target by hand.
"""

from __future__ import annotations

import argparse
import sys
import threading

from glue_conformance.reference.catalogue import FAULTS, VARIANTS
from glue_conformance.reference.server import ReferenceServer


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m glue_conformance.reference",
        description="A reference AWS Glue (JSON 1.1) endpoint with seeded faults and variants.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="0 (the default) picks a free port")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME",
        choices=sorted(FAULTS),
        help="switch on a seeded fault, which the suite must catch (repeatable; --list names them)",
    )
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME",
        choices=sorted(VARIANTS),
        help="switch on a variant real AWS may show, which the suite must tolerate "
        "(repeatable; --list names them)",
    )
    parser.add_argument(
        "--stage-seconds",
        type=float,
        default=0.0,
        help="seconds in each non-terminal state, by the wall clock (as AWS moves a run); "
        "0, the default: one state per GetJobRun of the run, so no client waits on the clock",
    )
    parser.add_argument("--list", action="store_true", help="list faults and variants, then exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.list:
        for fault in FAULTS.values():
            print(f"fault    {fault.name}: {fault.description}")
        for variant in VARIANTS.values():
            print(f"variant  {variant.name}: {variant.description}")
        return 0
    server = ReferenceServer(
        host=args.host,
        port=args.port,
        faults=frozenset(args.fault),
        variants=frozenset(args.variant),
        stage_seconds=args.stage_seconds,
    ).start()
    print(server.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
