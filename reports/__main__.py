"""`python -m reports`: diff two runs, index many, or re-render one.

Exit status: 0 fine, 1 a regression (diff only), 2 bad usage or unusable input. Input problems
print one line, never a traceback: these commands run in CI logs, where a traceback hides the
one fact that matters (which file, what is wrong with it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .diff import FORMATTERS, diff
from .history import HistoryError, write_history
from .results import ResultsError, load
from .writer import write_run

PROG = "python -m reports"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Views over glue-conformance results.json files."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    d = commands.add_parser(
        "diff",
        help="what changed between two runs (exit 1 when a check is newly failing)",
        description="Compare two results.json files by check id. Exit 1 when a check is newly "
        "failing (passed/skipped/known-deviation -> failed, or passed/skipped -> known-deviation)",
    )
    d.add_argument("old", type=Path, metavar="OLD/results.json")
    d.add_argument("new", type=Path, metavar="NEW/results.json")
    d.add_argument("--format", choices=sorted(FORMATTERS), default="text")
    d.add_argument(
        "--fail-on-new",
        action="store_true",
        help="also exit 1 when a check that is new in NEW failed",
    )

    h = commands.add_parser(
        "history",
        help="write index.html over every results.json found",
        description="Find results.json files under the given directories and write index.html "
        "with a table of runs and a chart of conformance over time per target.",
    )
    h.add_argument("dirs", type=Path, nargs="+", metavar="DIR")
    h.add_argument("--out", type=Path, help="where index.html goes (default: the first DIR)")

    r = commands.add_parser(
        "render",
        help="re-render report.md, report.html and junit.xml from a results.json",
    )
    r.add_argument("results", type=Path, metavar="RESULTS.json")
    r.add_argument("--out", type=Path, required=True, metavar="DIR")
    return parser


def _error(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "diff":
            result = diff(load(args.old), load(args.new))
            sys.stdout.write(FORMATTERS[args.format](result))
            return result.exit_code(fail_on_new=args.fail_on_new)
        if args.command == "history":
            index = write_history(args.dirs, args.out or args.dirs[0])
            print(index)
            return 0
        written = write_run(load(args.results), args.out, overwrite_junit=True)
        for path in written.values():
            print(path)
        return 0
    except (ResultsError, HistoryError) as exc:
        return _error(str(exc))
    except OSError as exc:
        return _error(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))


if __name__ == "__main__":
    sys.exit(main())
