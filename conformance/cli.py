"""`glue-conformance` (and `python -m glue_conformance`): the suite's commands under one name.

What took `pytest --pyargs glue_conformance ...` and `python -m glue_conformance.reports ...`
before, as moto has `moto_server` and schemathesis `st run URL`. Each subcommand is a thin front:
`run` is pytest itself, in this process, so every pytest option and every exit code is pytest's;
`baseline`, `prune` and `diff` are the reports commands' own definitions and code; `rules` is the
listing `--glue-list-rules` prints. Standard library only.

Exit codes are the suite's (see the README): a usage error is 4 and one line,
`glue-conformance: <what> (<how to fix>)`, never argparse's 2 (which the suite keeps for an
interrupted run) and never a usage screen.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import textwrap
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import NoReturn

PROG = "glue-conformance"
EXIT_USAGE = 4  # pytest.ExitCode.USAGE_ERROR, without importing pytest for `rules` or `evidence`
EVIDENCE_FILE = "aws-behavior.md"
_SECTION = re.compile(r"^## (\d+)\. ", flags=re.MULTILINE)


class UsageError(Exception):
    """A command line that cannot work: what is wrong, and how to fix it."""

    def __init__(self, what: str, fix: str) -> None:
        super().__init__(f"{what} ({fix})")


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors as one line and exit 4."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, f"see {self.prog} --help")


def evidence_text() -> str:
    """The evidence report as shipped in the package (a checkout and a wheel alike)."""
    return (resources.files("glue_conformance.evidence") / EVIDENCE_FILE).read_text("utf-8")


def evidence_section(number: str) -> str:
    """Section `number` of the evidence report: its heading up to the next section's."""
    text = evidence_text()
    starts = [(m.group(1), m.start()) for m in _SECTION.finditer(text)]
    wanted = str(int(number)) if number.strip().isdigit() else number
    for index, (found, start) in enumerate(starts):
        if found == wanted:
            end = starts[index + 1][1] if index + 1 < len(starts) else len(text)
            return text[start:end].rstrip() + "\n"
    raise UsageError(
        f"no evidence section {number!r}",
        f"sections are {starts[0][0]} to {starts[-1][0]}: e.g. {PROG} evidence 1",
    )


def version_line() -> str:
    """The suite's version, and the botocore whose Glue model it judges by (a newer botocore
    brings new enum values, and so new classes)."""
    from importlib.metadata import PackageNotFoundError, version

    def of(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "not installed"

    return f"{PROG} {of('glue-conformance')} (botocore {of('botocore')})"


def run_help() -> str:
    """`run --help`: the suite's own options, each with its environment variable and default,
    so a user need not look for them among pytest's."""
    from glue_conformance.options import OPTIONS

    lines = [
        f"usage: {PROG} run [URL] [PYTEST_ARGS...]",
        "",
        "pytest --pyargs glue_conformance --target-url URL [PYTEST_ARGS...], in this process.",
        "Without URL, the embedded default target (moto). Any pytest option may follow.",
        "",
        "The suite's options (each also an environment variable, and an ini key):",
    ]
    for option in OPTIONS:
        value = "" if option.kind == "flag" else f" {option.metavar or option.name.upper()}"
        default = "" if option.default in (None, False, ()) else f" [{option.shown_default}]"
        lines.append(f"  {option.flag}{value}  ({option.env}){default}")
        lines.append(
            textwrap.fill(option.help, 100, initial_indent=" " * 6, subsequent_indent=" " * 6)
        )
    return "\n".join(lines)


def _parser() -> _Parser:
    from glue_conformance.reports.__main__ import add_commands

    parser = _Parser(
        prog=PROG,
        description="Judge an AWS Glue GetJobRun endpoint against AWS's behaviour, and keep "
        "its known deviations in a baseline.",
    )
    parser.add_argument("--version", action="version", version=version_line())
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )
    # Listed for --help only: main() hands everything after `run` to pytest unparsed.
    commands.add_parser(
        "run",
        help="[URL] [PYTEST_ARGS...]: pytest --pyargs glue_conformance --target-url URL ... "
        "(no URL: the embedded moto); the exit code is pytest's",
    )
    add_commands(commands, names=("baseline", "prune", "diff"))
    from glue_conformance.compare import add_commands as add_comparison

    add_comparison(commands)  # record, compare
    commands.add_parser(
        "rules",
        help="list every rule: id, group, strict/tolerant, statement, evidence section",
    )
    evidence = commands.add_parser(
        "evidence",
        help="print section N of the evidence report (the one a failure cites)",
    )
    evidence.add_argument("section", metavar="N")
    return parser


def _run(args: Sequence[str]) -> int:
    """pytest in this process, on the installed suite."""
    import pytest

    args = list(args)
    if args in (["-h"], ["--help"]):
        print(run_help())
        return 0
    target = ["--target-url", args.pop(0)] if args and not args[0].startswith("-") else []
    state = state_dir()
    # The run's state (pytest's cache, for --lf; Hypothesis's examples) is the command's own,
    # not files left in the user's folder; a user's own setting of either wins.
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(state / "hypothesis"))
    cache = (
        []
        if any(a.startswith("cache_dir=") for a in args)
        else ["-o", f"cache_dir={state / 'pytest'}"]
    )
    print(f"{PROG}: the run's state is kept in {state}", file=sys.stderr)
    return int(pytest.main(["--pyargs", "glue_conformance", *cache, *target, *args]))


def state_dir() -> Path:
    """Where `run` keeps what pytest and Hypothesis would write in the current folder: the
    user's cache folder (XDG_CACHE_HOME, else ~/.cache), under the suite's name."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / PROG


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:  # the usage, as `pip` or `git` give it, not an error
        _parser().print_help()
        return 0
    try:
        if argv[:1] == ["run"]:  # everything after `run` is pytest's, unparsed
            return _run(argv[1:])
        args = _parser().parse_args(argv)
        if args.command == "rules":
            from glue_conformance.rules import listing

            print(listing())
            return 0
        if args.command == "evidence":
            sys.stdout.write(evidence_section(args.section))
            return 0
        if args.command in ("record", "compare"):
            from glue_conformance.compare import run_command

            return run_command(args)
        from glue_conformance.reports.__main__ import INPUT_ERRORS, describe, run

        try:
            return run(args)
        except INPUT_ERRORS as error:
            fix = "check the path, and that the file is what a run or a baseline command wrote"
            raise UsageError(describe(error), fix) from None
    except UsageError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
