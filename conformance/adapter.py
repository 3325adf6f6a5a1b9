"""The pytest adapter's hooks: collected checks become engine records, reports hand them back.

One instance is registered per run of the suite (see `glue_conformance.plugin`). It holds the run's
state itself (the records, the report that was written), so no hook needs a module global or
a private pytest attribute. Under pytest-xdist, workers judge and the controller writes: a check's
record travels on its test report (`user_properties`), a worker's ledger on `workeroutput`.
"""

from __future__ import annotations

import ast
import gc
import secrets
import shlex
import signal
import threading
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from _pytest.outcomes import Failed  # pytest.fail.Exception, as a class mypy can subclass
from hypothesis import settings as hypothesis_settings

from glue_conformance import redact, repro
from glue_conformance.baseline import BaselineError
from glue_conformance.checks.base import Deviation
from glue_conformance.engine import Engine, Unavailable
from glue_conformance.options import get_option
from glue_conformance.outcomes import (
    ENGINE,
    EXIT_TARGET_UNAVAILABLE,
    RECORD,
    NotAVerdict,
    not_judged,
    unavailable,
)
from glue_conformance.profiles import DEFAULT_PROFILE
from glue_conformance.profiles import register as register_profiles
from glue_conformance.records import CheckRecord
from glue_conformance.reports import coverage_view
from glue_conformance.reports.results import NO_LONGER_OBSERVED, NoVerdict, check_id
from glue_conformance.rules import RULES, Group
from glue_conformance.targets import is_aws_host
from glue_conformance.transport import TargetUnavailable
from glue_conformance.verdicts import duplicate_checks

PROPERTY_KEY = "glue_conformance"
STALE_LETTER = "P"  # a stale baseline entry's progress letter: prune it
RUN_TOKEN_KEY = "glue_conformance_run_token"
LEDGER_KEY = "glue_conformance_ledger"
COVERAGE_KEY = "glue_conformance_coverage"  # a worker's coverage table, to the controller


class DeviationReport(Failed, AssertionError):
    """A deviation as pytest reports it: its own text, no traceback (pytrace off), and still an
    AssertionError, so a baseline's strict xfail(raises=AssertionError) recognises it."""


# pytest's one-line summary names the exception's type: say what it is, not where it lives.
DeviationReport.__module__, DeviationReport.__qualname__ = "glue_conformance", "Deviation"


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def build_engine(config: pytest.Config) -> Engine:
    """The run's engine from its options (raises usage.UsageProblem: one line, exit 4)."""
    from glue_conformance.usage import baseline_problem, settings_of

    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    settings = settings_of(config, workers=workers)
    if is_worker(config):
        inputs = config.workerinput  # type: ignore[attr-defined]
        token = f"{inputs[RUN_TOKEN_KEY]}-{inputs['workerid']}"
    else:
        token = secrets.token_hex(4)
    engine = Engine(settings, owner_token=token)
    try:
        _ = engine.baseline
    except BaselineError as error:
        raise baseline_problem(config, error) from None
    return engine


def _terminate_like_ctrl_c() -> None:
    """SIGTERM (a CI job's time limit, `timeout`, `kill`) ends the run as Ctrl-C does, so the
    session's teardown deletes what the run created. Python's default ends the process at once,
    with no teardown and no at-exit handlers: the job would be left in the account. A handler
    someone else installed is left alone; so is a thread that cannot take signals."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupt)


_INTERRUPTED = threading.Event()
_AST_LOCK = threading.RLock()


def _one_ast_parse_at_a_time() -> None:
    """CPython (3.11.7 here) keeps ast.parse's recursion count in the interpreter, not the call
    (python/cpython#106905): two threads parsing at once, switched by a garbage-collection
    callback (Hypothesis has one), fail with "SystemError: AST constructor recursion depth
    mismatch". On Ctrl-C pytest parses the source of the interrupted traceback while the
    scenarios' threads may format theirs (3.11's tracebacks parse each line for their carets),
    and the run ended with that SystemError and exit 1, not 2 (on a loaded machine, 2 runs of
    6). One parse at a time (re-entrant: a callback inside a parse may parse), in a run of the
    suite only: parses are short, and nothing of the run waits on one."""
    if getattr(ast.parse, "_glue_serialized", False):
        return
    parse = ast.parse

    def serialized(*args: Any, **kwargs: Any) -> Any:
        with _AST_LOCK:
            return parse(*args, **kwargs)

    serialized._glue_serialized = True  # type: ignore[attr-defined]
    ast.parse = serialized


def _interrupt(signum: int, frame: Any) -> None:
    """Ctrl-C's KeyboardInterrupt, remembered: one raised inside a garbage-collection callback
    (Hypothesis has one) is swallowed as 'unraisable', and the run would go on to pass. The next
    check's set-up raises it again (`_still_interrupted`)."""
    _INTERRUPTED.set()
    raise KeyboardInterrupt


def _still_interrupted() -> None:
    if _INTERRUPTED.is_set():
        raise KeyboardInterrupt


def _entry_of(entry: dict[str, Any]) -> dict[str, Any]:
    """The baseline entry as results.json records it: a race ("strict": false) says so, so a
    diff of two runs does not call its flip between passed and known deviation a regression."""
    recorded = {"what": entry.get("what"), "evidence": entry.get("evidence")}
    return {**recorded, "strict": False} if entry.get("strict") is False else recorded


def _rule_and_case(item: pytest.Item) -> tuple[str | None, str]:
    marker = item.get_closest_marker("rule")
    case = getattr(getattr(item, "callspec", None), "id", "")
    return (marker.args[0] if marker else None), case


def _register_rule_markers(config: pytest.Config) -> None:
    """Every rule id and group is a registered marker (so `-m protocol`, `-m "not lifecycle"` and
    `-m validation.error-type` work under --strict-markers, with no PytestUnknownMarkWarning).
    Only in a run of the suite: a neighbour's `pytest --markers` stays its own."""
    for group in Group:
        config.addinivalue_line("markers", f"{group.value}: the suite's {group.value} checks")
    for rule in RULES.values():
        config.addinivalue_line("markers", f"{rule.id}: {rule.statement}")


def _name_by_rule(item: pytest.Item, rule_id: str, case: str) -> None:
    """The ids reports print select the check: its rule id and group as markers (which `-k`
    matches as keywords too, by substring) and `rule[case]` as a keyword of its own, so
    `-k 'validation.error-type[JobName-empty]'` picks one check."""
    item.add_marker(getattr(pytest.mark, rule_id))
    item.add_marker(getattr(pytest.mark, RULES[rule_id].group.value))
    if case:
        item.extra_keyword_matches.add(f"{rule_id}[{case}]")


def _find_deviation(error: BaseException | None) -> Deviation | None:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, Deviation):
            return error
        error = error.__cause__ or error.__context__
    return None


def _deviation_fields(record: CheckRecord, deviation: Deviation) -> None:
    """The failed rule, the exchange (redacted) and its reproductions, for results.json."""
    record.message, record.failed_rule = deviation.observed, deviation.rule.id
    record.request, record.response = deviation.request_entry(), deviation.response_entry()
    record.reproduction = deviation.commands


def _deviation_text(
    item: pytest.Item, error: BaseException, deviation: Deviation, check: str
) -> str:
    """The deviation as rendered when it was raised, with Hypothesis's notes (the falsifying
    example) and the suite's replay line, under the test's own rule when it checks several."""
    notes = list(getattr(error, "__notes__", []))
    text = [str(deviation), *notes]
    marker = item.get_closest_marker("rule")
    if marker and marker.args[0] != deviation.rule.id:  # a property over several rules
        text.insert(0, f"[{marker.args[0]}] {RULES[marker.args[0]].statement}\n  broken:")
    if notes:  # Hypothesis notes a failure it found: a property test
        text.append(_replay_line(item.config, check))
    return "\n".join(text)


def _replay_line(config: pytest.Config, check: str) -> str:
    """How to draw the failing example again, in the suite's terms: the run's seed (results.json
    records it) and the `-k` that selects the check. Hypothesis's own advice, a
    `@reproduce_failure` decorator to paste into the test, cannot be followed by a user who
    installed the suite (the profiles turn it off: `print_blob=False`)."""
    select = f"-k {shlex.quote(check)}"
    seed = config.getoption("hypothesis_seed", default=None)
    if seed is not None:
        return f"replay:    the same command with --hypothesis-seed {seed} {select}"
    profile = config.getoption("hypothesis_profile", default=None) or DEFAULT_PROFILE
    if hypothesis_settings().derandomize:
        return (
            f"replay:    the same command with {select} (profile {profile} is derandomized: "
            "every run draws the same examples)"
        )
    return f"replay:    the same command with {select} and the seed Hypothesis printed above"


class OneLine:
    """A deviation's report under --tb=line or --tb=short: `rule[case]: observed`, one line.

    Set on the report where the terminal prints it (the controller under pytest-xdist), so it
    never has to cross to another process. pytest's line style prints `reprcrash` after the
    report's own text, so the text is empty there; the short style prints the text."""

    def __init__(self, line: str, style: str) -> None:
        self.line, self.style = line, style
        self.reprcrash = self  # what pytest's summaries read: str() and .message
        self.message = line

    def toterminal(self, tw: Any) -> None:
        if self.style != "line":
            tw.line(self.line)

    def __str__(self) -> str:
        return self.line


def _status(report: pytest.TestReport) -> str:
    if hasattr(report, "wasxfail"):  # under a baseline entry
        if report.skipped:
            return "known-deviation"
        # XPASS: a non-strict entry's check conformed this time (passed); a strict one's
        # passing fails the run ("no longer observed").
        return "passed" if report.passed else "failed"
    if report.passed:
        return "passed"
    return "skipped" if report.skipped else "failed"


def _record_of(report: pytest.TestReport) -> CheckRecord | None:
    for key, value in report.user_properties:
        if key == PROPERTY_KEY and isinstance(value, str):
            return CheckRecord.from_json(value)
    return None


class SuiteRun:
    """The hooks of one run of the suite."""

    def __init__(self, config: pytest.Config, engine: Engine) -> None:
        self.config = config
        self.engine = engine
        self.records: list[CheckRecord] = []
        self.written: dict[str, Path] = {}
        self.report_error: str | None = None
        self.planned: int | None = None  # checks collected (under xdist: as a worker collected)
        self.stopped_by: str | None = None  # why the run ended before judging everything
        self.profile = config.getoption("hypothesis_profile", default=None) or DEFAULT_PROFILE
        config.stash[ENGINE] = engine

    # --- set-up ------------------------------------------------------------------------------

    def pytest_configure(self, config: pytest.Config) -> None:
        config.pluginmanager.register(EndOfRunHints(self), "glue_conformance_hints")
        register_profiles()  # already, when pytest_cmdline_main ran; idempotent
        _register_rule_markers(config)
        if not config.getoption("hypothesis_profile", default=None):
            hypothesis_settings.load_profile(DEFAULT_PROFILE)
        _terminate_like_ctrl_c()
        _one_ast_parse_at_a_time()
        redact.redact_logs()

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        """pytest-xdist: every worker names what it creates with the run's token and its id."""
        node.workerinput[RUN_TOKEN_KEY] = self.engine.owner_token

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """pytest-xdist: a worker finished; its ledger joins the controller's."""
        output = getattr(node, "workeroutput", {}) or {}
        if LEDGER_KEY in output:
            self.engine.ledger.add(output[LEDGER_KEY])
        if COVERAGE_KEY in output:  # what the worker exercised of the request domain
            self.engine.coverage.merge(output[COVERAGE_KEY])

    def pytest_report_header(self, config: pytest.Config) -> str:
        s = self.engine.settings
        where = s.target_url if s.kind == "url" else "embedded, started here"
        baseline = self.engine.baseline
        known = (
            f", baseline {baseline.path.name} ({len(baseline.deviations)} known"
            + (f", release {baseline.version})" if baseline.version else ")")
            if baseline
            else ""
        )
        header = f"glue-conformance: target {s.kind} ({where}){known}"
        if baseline is not None and baseline.note:
            header += f"\nglue-conformance: baseline {baseline.name}: {baseline.note}"
        if s.kind == "url" and s.allow_billable and is_aws_host(s.target_url or ""):
            header += (
                f"\nglue-conformance: billable: this run starts at most {s.max_runs} job runs on "
                "AWS (--glue-max-runs), each billed as a Glue job run"
            )
        return header

    # First: `-k` and `-m` deselect in pytest's own collection_modifyitems, and must find the
    # rule's and group's markers already on each item.
    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        baseline = self.engine.baseline
        twice = duplicate_checks(
            (check_id(rule_id, case), item.nodeid)
            for item in items
            for rule_id, case in [_rule_and_case(item)]
            if rule_id is not None
        )
        if twice:
            raise pytest.UsageError(twice)
        for item in items:
            rule_id, case = _rule_and_case(item)
            if rule_id is None:
                continue
            if rule_id not in RULES:
                raise pytest.UsageError(f"{item.nodeid}: unknown rule id {rule_id!r}")
            rule = RULES[rule_id]
            _name_by_rule(item, rule_id, case)
            entry = baseline.entry(rule_id, case) if baseline else None
            item.stash[RECORD] = CheckRecord(
                id=check_id(rule_id, case),
                rule=rule_id,
                case=case,
                group=rule.group.value,
                statement=rule.statement,
                evidence=rule.cite(),
                strictness=rule.strictness.value,
                baseline=_entry_of(entry) if entry else None,
            )
            if entry:
                reason = f"known deviation ({baseline.name}): {entry.get('what')}"  # type: ignore[union-attr]
                # strict: a deviation that disappears fails the run, so a baseline cannot go
                # stale; an entry marked "strict": false is a race in the target, seen on some
                # runs only (its reason says so).
                strict = bool(entry.get("strict", True))
                item.stash[RECORD].baseline_strict = strict
                item.add_marker(
                    pytest.mark.xfail(strict=strict, reason=reason, raises=AssertionError)
                )

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        """pytest-xdist: the controller collects nothing itself; a worker's collection counts."""
        self.planned = max(self.planned or 0, len(ids))

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        """Ctrl-C, or SIGTERM (turned into one): the report says the run was interrupted."""
        if isinstance(excinfo.value, KeyboardInterrupt):
            self.stopped_by = "interrupted (Ctrl-C or SIGTERM)"

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.planned = sum(1 for item in session.items if RECORD in item.stash)
        self._freeze()

    @staticmethod
    def _freeze() -> None:
        """What is loaded by now (botocore's Glue model, Hypothesis, moto, the collected checks)
        lives until the end: freezing it keeps every garbage collection from here on, pytest's
        own at exit included, from walking it again (about 0.1 s a full collection)."""
        gc.freeze()

    # --- checks ------------------------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """--glue-max-time: a check the run has no time left for is not judged (never passed)."""
        _still_interrupted()
        if RECORD in item.stash and self.engine.budget_spent():
            limit = self.engine.settings.max_time
            raise not_judged(f"the run's time budget (--glue-max-time {limit:g} s) was spent")

    @pytest.hookimpl(wrapper=True)
    def pytest_pyfunc_call(self, pyfuncitem: pytest.Function) -> Generator[None, Any, Any]:
        """An SDK call that stayed throttled ends its check as "target unavailable" (a skip)."""
        try:
            return (yield)
        except (TargetUnavailable, Unavailable) as error:
            raise unavailable(error.detail) from None

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        """A deviation is reported in its own words, with the failed rule, the exchange and its
        reproductions on its record. pytest's default would first format the check's traceback,
        which adds nothing to the deviation's text and cost about 6 ms a failure: against moto's
        148 known deviations, half of the run."""
        record = item.stash.get(RECORD, None)
        skipped = call.excinfo.value if call.excinfo else None
        if record is not None and isinstance(skipped, NotAVerdict):
            record.no_verdict = skipped.why  # known where it was raised: never read from text
        deviation = _find_deviation(call.excinfo.value) if call.excinfo and record else None
        if deviation is not None and record is not None and call.excinfo is not None:
            _deviation_fields(record, deviation)
            text = _deviation_text(item, call.excinfo.value, deviation, record.id)
            try:
                raise DeviationReport(text, pytrace=False)
            except DeviationReport:
                call.excinfo = pytest.ExceptionInfo.from_current()
        report = yield
        conformed = record is not None and call.when == "call" and call.excinfo is None
        if conformed and record is not None and record.baseline_strict:
            # Its strict baseline entry expected a deviation (known at collection): it is stale.
            record.no_verdict = NoVerdict.NO_LONGER_OBSERVED
            record.message = NO_LONGER_OBSERVED
        if record is not None:
            report.user_properties = [p for p in report.user_properties if p[0] != PROPERTY_KEY]
            report.user_properties.append((PROPERTY_KEY, record.to_json()))
        return report

    def pytest_report_teststatus(
        self, report: pytest.TestReport, config: pytest.Config
    ) -> tuple[str, str, tuple[str, dict[str, bool]]] | None:
        """A stale baseline entry (its check conformed) is counted as `stale` on the terminal,
        apart from new deviations; it still fails the run, so the entry gets pruned. Its
        progress letter is P, for the prune it asks for (S would read as pytest's skipped)."""
        if report.when == "call" and report.failed:
            record = _record_of(report)
            if record is not None and record.stale:
                return "stale", STALE_LETTER, ("STALE", {"yellow": True})
        return None

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if not (report.when == "call" or (report.when == "setup" and not report.passed)):
            return
        record = _record_of(report)
        if record is None:
            return
        record.status = _status(report)
        record.nodeid, record.duration_s = report.nodeid, report.duration
        if record.status == "failed" and not record.message:
            record.message = _short(report)
        if record.status == "known-deviation":
            record.message = record.message or str(getattr(report, "wasxfail", ""))
        if record.status == "skipped" and isinstance(report.longrepr, tuple):
            record.message = str(report.longrepr[2]).removeprefix("Skipped: ")
        self.records.append(record)
        style = self.config.option.tbstyle
        if record.status == "failed" and record.failed_rule and style in ("line", "short"):
            # One line is one line: the report's other lines are an embedded target's captured
            # logs and, under pytest-xdist, the worker's platform line. --tb=auto keeps them.
            # (Every other reader of the report has had it by now: this hook runs last.)
            report.longrepr = OneLine(_one_line(record), style)  # type: ignore[assignment]
            report.sections = []
            if hasattr(report, "node"):
                del report.node

    # --- the end -----------------------------------------------------------------------------

    def _unavailable(self) -> int:
        """Checks skipped because the target kept throttling or failing over (not verdicts)."""
        return sum(1 for r in self.records if r.no_verdict is NoVerdict.UNAVAILABLE)

    def _unjudged(self) -> int:
        """Checks skipped for want of time (--glue-max-time): not verdicts either."""
        return sum(1 for r in self.records if r.no_verdict is NoVerdict.NOT_JUDGED)

    def _completeness(self) -> dict[str, Any]:
        return self.engine.completeness(
            self.records, planned=self.planned, stopped_by=self.stopped_by
        )

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        config = session.config
        if is_worker(config):
            config.workeroutput[LEDGER_KEY] = self.engine.ledger.as_dict()  # type: ignore[attr-defined]
            config.workeroutput[COVERAGE_KEY] = self.engine.coverage.as_dict()  # type: ignore[attr-defined]
            return
        if exitstatus == pytest.ExitCode.INTERRUPTED and self.stopped_by is None:
            self.stopped_by = "interrupted"
        if (self._unavailable() or self._unjudged()) and session.exitstatus == pytest.ExitCode.OK:
            # Nothing failed, but not everything was judged: that is not a pass.
            session.exitstatus = EXIT_TARGET_UNAVAILABLE
        from glue_conformance.results import write_report

        report_dir = get_option(config, "report-dir")
        if not report_dir:
            return
        data = self.engine.results(
            self.records,
            profile=self.profile,
            seed=self._seed(),
            planned=self.planned,
            stopped_by=self.stopped_by,
        )
        out_dir = Path(report_dir)
        pytest_junit = config.getoption("xmlpath", default=None)
        own_junit = (
            not pytest_junit or Path(pytest_junit).resolve() != (out_dir / "junit.xml").resolve()
        )
        try:
            self.written = write_report(
                data, out_dir, secrets=self.engine.secrets(), overwrite_junit=own_junit
            )
        except ValueError as error:  # glue_conformance.reports.results.ResultsError
            self.report_error = f"glue-conformance: report not written: {error}"
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR
        except OSError as error:  # checked before the run; the disk can still fill up
            where = error.filename or out_dir
            self.report_error = (
                f"glue-conformance: report not written: {where}: {error.strerror or error} "
                "(free the folder or give another --glue-report-dir)"
            )
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR

    def _seed(self) -> str | None:
        seed = self.config.getoption("hypothesis_seed", default=None)
        if seed is not None:
            return str(seed)
        return "derandomized" if hypothesis_settings().derandomize else None

    def pytest_terminal_summary(self, terminalreporter: Any, config: pytest.Config) -> None:
        account = self.engine.ledger
        if account.requests:
            terminalreporter.write_line(f"glue-conformance: {account.requests} requests sent")
        for line in coverage_view.summary_lines(self.engine.coverage.as_dict()):
            terminalreporter.write_line(f"glue-conformance coverage: {line}")
        state = self._completeness()
        if not state["complete"]:
            terminalreporter.write_line(
                f"glue-conformance: incomplete: {state['judged']} of {state['planned']} checks "
                f"judged ({state['reason']}); the verdicts cover only those",
                yellow=True,
            )
        left = self._unavailable()
        if left:
            terminalreporter.write_line(
                f"glue-conformance: {left} checks not judged: the target was unavailable "
                "(it kept throttling or failing over). They are not verdicts; with no failures "
                f"the run exits {EXIT_TARGET_UNAVAILABLE}.",
                yellow=True,
            )
        if account.leftovers:
            terminalreporter.write_line(
                "glue-conformance: could not delete what this run created (delete by hand): "
                + ", ".join(sorted(account.leftovers)),
                red=True,
            )
        if account.kept:
            for line in self._kept_lines(sorted(account.kept)):
                terminalreporter.write_line(line, yellow=True)
        if self.report_error:
            terminalreporter.write_line(self.report_error, red=True)
        if self.written:
            terminalreporter.write_line(
                "glue-conformance report: " + ", ".join(str(p) for p in self.written.values())
            )
        known = len(terminalreporter.stats.get("xfailed", []))
        if known and not self.written and not set("xaA") & set(config.option.reportchars or ""):
            terminalreporter.write_line(
                f"glue-conformance: {known} known deviations (xfailed, from the baseline): -rx "
                "lists them, --glue-report-dir DIR writes them out with their evidence"
            )

    def _kept_lines(self, kept: list[str]) -> list[str]:
        """--glue-keep-resources: what the run left for a reproduction, and the one line that
        deletes it (the option is refused for an embedded target, so there is a URL)."""
        settings = self.engine.settings
        url = str(settings.target_url)
        delete = repro.delete_jobs(kept, url=url, region=settings.region, aws=is_aws_host(url))
        return [
            f"glue-conformance: kept {len(kept)} jobs (--glue-keep-resources), their runs "
            f"stopped: {', '.join(kept)}",
            f"glue-conformance: delete them with: {delete}",
        ]

    def hints(self, config: pytest.Config) -> list[str]:
        """What to do next (write a baseline, prune one, what "xpassed" means)."""
        from glue_conformance.hints import RunFacts, end_of_run

        settings = self.engine.settings
        facts = RunFacts(
            kind=settings.kind,
            target_name=settings.target_name,
            baseline=self.engine.baseline,
            report_dir=get_option(config, "report-dir") if self.written else None,
            target_version=next((r.target_version for r in self.records if r.target_version), None),
        )
        # An entry's check that passed: only a non-strict entry's can (a strict one's fails).
        xpassed = [r for r in self.records if r.baseline and r.status == "passed"]
        return end_of_run(self.records, facts, xpassed=xpassed)


class EndOfRunHints:
    """What to do next, printed last: after pytest's short summary of the failures, which can
    be hundreds of lines, so the hint is what a user reads right above the final count."""

    def __init__(self, run: SuiteRun) -> None:
        self.run = run

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_terminal_summary(
        self, terminalreporter: Any, config: pytest.Config
    ) -> Generator[None, None, None]:
        try:
            return (yield)
        finally:
            for line in self.run.hints(config):
                terminalreporter.write_line(line, yellow=True)


def _one_line(record: CheckRecord) -> str:
    """`rule[case]: observed`; the broken rule too when a property checks several."""
    observed = " ".join(record.message.split())
    if record.failed_rule != record.rule:
        observed = f"[{record.failed_rule}] {observed}"
    return f"{record.id}: {observed}"


def _short(report: pytest.TestReport) -> str:
    text = str(report.longrepr or "")
    return text.strip().splitlines()[-1][:500] if text.strip() else ""
