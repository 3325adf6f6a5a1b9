"""`python -m glue_conformance.reports`: diff two runs, index many, or re-render one.

Exit status: 0 fine, 1 a regression (diff only), 4 bad usage or unusable input (as the suite's
own usage errors: 2 means "interrupted" there). Every problem is one line in the suite's format,
`glue-conformance: <what> (<how to fix>)`, never a traceback: these commands run in CI logs,
where a traceback hides the one fact that matters (which file, what is wrong with it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from glue_conformance.reports import baseline
from glue_conformance.reports.diff import FORMATTERS, diff
from glue_conformance.reports.history import HistoryError, write_history
from glue_conformance.reports.results import ResultsError, load
from glue_conformance.reports.writer import write_run

PROG = "python -m glue_conformance.reports"
EXIT_USAGE = 4  # pytest's and the suite's usage error


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors as one line and exit 4 (argparse's own 2 would read as
    "interrupted" beside the suite's exit codes)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"glue-conformance: {message} (see {self.prog} --help)\n")
        sys.exit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Views over glue-conformance results.json files.")
    add_commands(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    return parser


def add_commands(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    names: Sequence[str] | None = None,
) -> None:
    """The commands' arguments, added to any parser's subcommands: the `glue-conformance`
    console script offers `baseline`, `prune` and `diff` with these very definitions. `names`
    picks some (default: all); each keeps its order here."""
    wanted = set(names) if names is not None else None

    def add(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        if wanted is not None and name not in wanted:
            return argparse.ArgumentParser(add_help=False)  # defined, never offered
        return commands.add_parser(name, **kwargs)  # type: ignore[no-any-return]

    d = add(
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

    h = add(
        "history",
        help="write index.html over every results.json found",
        description="Find results.json files under the given directories and write index.html "
        "with a table of runs and a chart of conformance over time per target.",
    )
    h.add_argument("dirs", type=Path, nargs="+", metavar="DIR")
    h.add_argument("--out", type=Path, help="where index.html goes (default: the first DIR)")

    b = add(
        "baseline",
        help="write a target's baseline of known deviations from a run's results.json",
        description="Every failed or known-deviation check of RESULTS.json, one entry a rule, "
        "with its exact cases and evidence. Several runs of the same target: a case that "
        'deviated in some of them only is written "strict": false (a race). With --from, the '
        "entries' what/evidence text already written for a rule is kept.",
    )
    b.add_argument("results", type=Path, nargs="+", metavar="RESULTS.json")
    b.add_argument("--name", required=True, help="the baseline's name (e.g. ministack)")
    b.add_argument("--out", type=Path, required=True, metavar="BASELINE.json")
    b.add_argument("--from", dest="previous", type=Path, metavar="BASELINE.json")

    p = add(
        "prune",
        help="drop baseline entries that no longer deviate in a run",
        description="Remove every entry whose checks in RESULTS.json were judged and none "
        "deviated; entries the run did not judge stay.",
    )
    p.add_argument("baseline", type=Path, metavar="BASELINE.json")
    p.add_argument("results", type=Path, metavar="RESULTS.json")
    p.add_argument("--out", type=Path, metavar="BASELINE.json", help="default: in place")

    add(
        "baseline-table",
        help="print the Markdown table of what each committed baseline's emulator gets wrong",
    )

    r = add(
        "render",
        help="re-render report.md, report.html and junit.xml from a results.json",
    )
    r.add_argument("results", type=Path, metavar="RESULTS.json")
    r.add_argument("--out", type=Path, required=True, metavar="DIR")


def _read_baseline(path: Path) -> dict[str, Any]:
    """The reader `--glue-baseline FILE` uses too, so prune refuses what a run refuses."""
    try:
        return baseline.read(path)
    except baseline.NotABaseline as error:
        raise ResultsError(f"{path}: {error}") from None


def _write_baseline(path: Path, data: dict[str, Any]) -> None:
    """The committed baselines' layout: two-space indent, each entry's cases on one line."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    text = re.sub(
        r'"cases": \[\s*([^\]]*?)\s*\]',
        lambda m: '"cases": [' + ", ".join(x.strip() for x in m.group(1).split(",")) + "]",
        text,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")


def _error(message: str, command: str) -> int:
    print(f"glue-conformance: {message} (see {PROG} {command} --help)", file=sys.stderr)
    return EXIT_USAGE


# What `run` raises for input it cannot use (a missing file, one that is not results.json).
INPUT_ERRORS: tuple[type[Exception], ...] = (ResultsError, HistoryError, OSError)


def describe(error: Exception) -> str:
    """One line for an input error: which file, and what is wrong with it."""
    if isinstance(error, OSError):
        return f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")
    return str(error)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return run(args)
    except INPUT_ERRORS as exc:
        return _error(describe(exc), args.command)


def run(args: argparse.Namespace) -> int:
    """One parsed command; input it cannot use raises one of INPUT_ERRORS."""
    if args.command == "diff":
        result = diff(load(args.old), load(args.new))
        sys.stdout.write(FORMATTERS[args.format](result))
        return result.exit_code(fail_on_new=args.fail_on_new)
    if args.command == "history":
        index = write_history(args.dirs, args.out or args.dirs[0])
        print(index)
        return 0
    if args.command == "baseline":
        previous = _read_baseline(args.previous) if args.previous else None
        first, *more = (load(path) for path in args.results)
        written_baseline = baseline.write(first, name=args.name, previous=previous, more=more)
        _write_baseline(args.out, written_baseline)
        print(f"{args.out}: {len(written_baseline['deviations'])} entries")
        if "incomplete" in written_baseline:
            print(
                f"glue-conformance: warning: written from a run that is "
                f"{written_baseline['incomplete']}: it knows no deviation of the checks not "
                "judged (its file says so under 'incomplete'); write it again from a whole run",
                file=sys.stderr,
            )
        return 0
    if args.command == "baseline-table":
        print(baseline.table(baseline.committed()))
        return 0
    if args.command == "prune":
        pruned, changes = baseline.prune(_read_baseline(args.baseline), load(args.results))
        _write_baseline(args.out or args.baseline, pruned)
        for change in changes:
            print(change)
        print(f"{args.out or args.baseline}: {len(pruned['deviations'])} entries")
        return 0
    written = write_run(load(args.results), args.out, overwrite_junit=True)
    for path in written.values():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
