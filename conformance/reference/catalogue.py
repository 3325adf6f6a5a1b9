"""Seeded faults and tolerated variants of the reference endpoint.

A fault is one realistic way an emulator departs from AWS. It exists to prove the suite can see
it: `kills` names the rules (ids from `conformance/rules.py`) of which a correct suite must fail
at least one when pointed at a server carrying only that fault. A variant is something real AWS
may do (or is not known not to do); a correct suite must pass against it, so a variant that makes
the suite fail is a false positive in the suite, not a bug in the target.

Names are kebab-case and stable: test ids, CLI flags and mutation reports key on them.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import glue_conformance.reference.probes as p
from glue_conformance.reference.probes import Probe


@dataclass(frozen=True)
class Fault:
    name: str
    description: str
    kills: tuple[str, ...]
    # For a strict rule of several clauses (rules.Rule.clauses): the one this fault breaks.
    clause: str | None = None
    # What shows it: the one small request whose answer this fault changes, and how.
    probe: Probe = field(kw_only=True)


@dataclass(frozen=True)
class Variant:
    name: str
    description: str
    probe: Probe = field(kw_only=True)


# Every switch's name, once: the server tests these names, never a string (a misspelt one
# fails at import), and the command line takes the strings.
NO_LENGTH_CHECK = "no-length-check"
LENGTH_OFF_BY_ONE = "length-off-by-one"
UNANCHORED_PATTERN = "unanchored-pattern"
TRAILING_NEWLINE_ACCEPTED = "trailing-newline-accepted"
TAB_REJECTED = "tab-rejected"
ASTRAL_REJECTED = "astral-rejected"
LONE_SURROGATES_ACCEPTED = "lone-surrogates-accepted"
NO_REQUIRED_CHECK = "no-required-check"
LENGTH_IN_BYTES = "length-in-bytes"
VALIDATION_500 = "validation-500"
VALIDATION_INVALID_INPUT = "validation-invalid-input"
VALIDATION_MESSAGE_NO_COUNT = "validation-message-no-count"
VALIDATION_MESSAGE_WRONG_MEMBER = "validation-message-wrong-member"
VALIDATION_FIRST_ERROR_ONLY = "validation-first-error-only"
PATTERN_MESSAGE_TRANSLATED = "pattern-message-translated"
TYPE_MISMATCH_ACCEPTED = "type-mismatch-accepted"
GET_JOB_RUNS_TYPES_COERCED = "get-job-runs-types-coerced"
MAX_RESULTS_STRING_ACCEPTED = "max-results-string-accepted"
PREDECESSORS_INCLUDED_NUMBER_ACCEPTED = "predecessors-included-number-accepted"
EMPTY_CONTAINERS_DROPPED = "empty-containers-dropped"
NOT_FOUND_500 = "not-found-500"
NOT_FOUND_404 = "not-found-404"
NOT_FOUND_WRONG_TYPE = "not-found-wrong-type"
NOT_FOUND_EMPTY_MESSAGE = "not-found-empty-message"
ISO_TIMESTAMPS = "iso-timestamps"
TIMESTAMPS_AS_STRINGS = "timestamps-as-strings"
TIMESTAMPS_IN_MILLIS = "timestamps-in-millis"
WRONG_ID = "wrong-id"
MISSING_ID = "missing-id"
WRONG_JOB_NAME = "wrong-job-name"
FOUND_RUN_500 = "found-run-500"
RUNS_NOT_LISTED = "runs-not-listed"
STOP_IGNORED = "stop-ignored"
STATE_OUT_OF_ENUM = "state-out-of-enum"
ATTEMPT_STRING = "attempt-string"
EXECUTION_TIME_FLOAT = "execution-time-float"
ARGUMENTS_DROPPED = "arguments-dropped"
COMPLETED_BEFORE_STARTED = "completed-before-started"
MODIFIED_BEFORE_STARTED = "modified-before-started"
PREDECESSOR_RUNS_MALFORMED = "predecessor-runs-malformed"
TERMINAL_STATE_REGRESSES = "terminal-state-regresses"
LAST_MODIFIED_GOES_BACK = "last-modified-goes-back"
STARTED_ON_CHANGES = "started-on-changes"
RUN_FOUND_UNDER_ANY_JOB = "run-found-under-any-job"
RUN_ID_CASE_INSENSITIVE = "run-id-case-insensitive"
GLUE_VERSION_FIXED = "glue-version-fixed"
RUN_OVERRIDES_IGNORED = "run-overrides-ignored"
DEFAULT_ARGUMENTS_MERGED = "default-arguments-merged"
ARGUMENTS_OF_NEWEST_RUN = "arguments-of-newest-run"
ATTEMPT_STARTS_AT_ONE = "attempt-starts-at-one"
ATTEMPT_GROWS_PER_POLL = "attempt-grows-per-poll"
PREVIOUS_RUN_ID_DROPPED = "previous-run-id-dropped"
TIMEOUT_DEFAULT_480 = "timeout-default-480"
TIMESTAMPS_IN_FUTURE = "timestamps-in-future"
EXECUTION_TIME_FIXED = "execution-time-fixed"
EXECUTION_TIME_IN_MILLIS = "execution-time-in-millis"
COMPLETED_ON_DIFFERS = "completed-on-differs"
RUNS_OLDEST_FIRST = "runs-oldest-first"
MAX_RESULTS_IGNORED = "max-results-ignored"
RUNS_LIST_DIFFERS = "runs-list-differs"
MAX_RESULTS_UNCHECKED = "max-results-unchecked"
DIRECT_RUN_LISTS_PREDECESSOR = "direct-run-lists-predecessor"
TARGET_PREFIX_IGNORED = "target-prefix-ignored"
STOP_NOT_IMPLEMENTED = "stop-not-implemented"
LENGTH_IN_GRAPHEMES = "length-in-graphemes"
RUNS_NEVER_FINISH = "runs-never-finish"
LISTING_FOREIGN_RUNS = "listing-foreign-runs"
STOP_STOPS_SIBLINGS = "stop-stops-siblings"
STARTED_ON_BACKDATED = "started-on-backdated"
LISTING_ARGUMENTS_MERGED = "listing-arguments-merged"
LISTING_OVERRIDES_LOST = "listing-overrides-lost"
STOPPED_RUN_LOSES_ARGUMENTS = "stopped-run-loses-arguments"
ARGUMENT_VALUES_TRIMMED = "argument-values-trimmed"
PREDECESSORS_INCLUDED_DROPS_ARGUMENTS = "predecessors-included-drops-arguments"
STOPPED_COMPLETED_ON_DIFFERS = "stopped-completed-on-differs"
LISTING_STATE_LAGS = "listing-state-lags"
LISTING_TIMESTAMPS_STRINGS = "listing-timestamps-strings"
PAGING_SKIPS_BOUNDARY_RUN = "paging-skips-boundary-run"
JSON_CONTENT_TYPE = "json-content-type"
NO_REQUEST_ID = "no-request-id"
GET_JOB_RUNS_ERRORS_AS_JSON = "get-job-runs-errors-as-json"
ERROR_WITHOUT_TYPE = "error-without-type"
HTML_ERRORS = "html-errors"
MALFORMED_JSON_500 = "malformed-json-500"
NON_OBJECT_BODY_500 = "non-object-body-500"
TRAILING_GARBAGE_ACCEPTED = "trailing-garbage-accepted"
INVALID_UTF8_500 = "invalid-utf8-500"
EMPTY_BODY_500 = "empty-body-500"
NON_FINITE_NUMBERS_ACCEPTED = "non-finite-numbers-accepted"
GET_JOB_RUNS_MALFORMED_NOT_FOUND = "get-job-runs-malformed-not-found"
UNKNOWN_OPERATION_200 = "unknown-operation-200"
NO_AUTH_CHECK = "no-auth-check"
STALLS = "stalls"
DROPS_CONNECTION = "drops-connection"
OVERSIZED_ANSWER = "oversized-answer"
NOT_HTTP = "not-http"
TRUNCATED_JSON = "truncated-json"

NAMESPACED_ERROR_TYPE = "namespaced-error-type"
SUFFIXED_ERROR_TYPE = "suffixed-error-type"
ERROR_TYPE_HEADER = "error-type-header"
ERROR_TYPE_HEADER_ONLY = "error-type-header-only"
ERROR_TYPE_CODE_MEMBER = "error-type-code-member"
MESSAGE_KEY_SWAPPED = "message-key-swapped"
EXTRA_RESPONSE_MEMBERS = "extra-response-members"
UTF16_LENGTHS = "utf16-lengths"
AUTH_403 = "auth-403"
OPTIONAL_MEMBERS_ABSENT = "optional-members-absent"
INTEGRAL_TIMESTAMPS = "integral-timestamps"
SCALAR_COERCED = "scalar-coerced"
INTEGER_SCALARS_COERCED = "integer-scalars-coerced"
NON_OBJECT_BODY_VALIDATION = "non-object-body-validation"
EMPTY_BODY_AS_EMPTY_OBJECT = "empty-body-as-empty-object"
SLOW = "slow"
WAITING_FIRST = "waiting-first"
RUN_FAILS = "run-fails"
RUN_ID_UUID = "run-id-uuid"
TIMEOUT_DEFAULT_2880_GLUE5 = "timeout-default-2880-glue5"
ARGUMENTS_EMPTY_OBJECT = "arguments-empty-object"
PREDECESSORS_ABSENT = "predecessors-absent"
SMALL_DEFAULT_PAGE = "small-default-page"
RUNS_FINISH_AT_ONCE = "runs-finish-at-once"
CLOCK_MINUTES_OFF = "clock-minutes-off"


_VALIDATION_KILLS = ("validation.error-type", "validation.property.invalid-requests")
_NOT_FOUND_KILLS = (
    "not-found.unknown-job",
    "not-found.unknown-run",
    "not-found.property.valid-names",
)

_FAULTS = [
    # --- request validation ------------------------------------------------------------------
    Fault(
        NO_LENGTH_CHECK,
        "String length constraints are not checked (a 256-character or empty JobName is looked "
        "up and reported as not found).",
        _VALIDATION_KILLS,
        probe=Probe(
            p.type_for_name("x" * 256),
            "ValidationException",
            "EntityNotFoundException",
        ),
    ),
    Fault(
        LENGTH_OFF_BY_ONE,
        "The maximum length is checked with '>' one too late: 256 characters pass, 257 are "
        "refused.",
        _VALIDATION_KILLS,
        probe=Probe(
            lambda c: (c.get_job_run("x" * 256).type, c.get_job_run("x" * 257).type),
            ("ValidationException", "ValidationException"),
            ("EntityNotFoundException", "ValidationException"),
        ),
    ),
    Fault(
        UNANCHORED_PATTERN,
        "The pattern is searched, not matched whole: a value with any allowed character passes "
        "(e.g. 'a' followed by a lone surrogate).",
        _VALIDATION_KILLS,
        probe=Probe(
            p.type_for_name("a\ud800"),
            "ValidationException",
            "EntityNotFoundException",
        ),
    ),
    Fault(
        TRAILING_NEWLINE_ACCEPTED,
        "The pattern is matched with Python's '$', which also matches before a final newline: "
        "'job\\n' passes.",
        _VALIDATION_KILLS,
        probe=Probe(
            p.type_for_name("job\n"),
            "ValidationException",
            "EntityNotFoundException",
        ),
    ),
    Fault(
        TAB_REJECTED,
        "The pattern translation drops '\\t' from the class: a valid name with a tab is refused "
        "with ValidationException.",
        _NOT_FOUND_KILLS,
        probe=Probe(p.type_for_name("a\tb"), "EntityNotFoundException", "ValidationException"),
    ),
    Fault(
        ASTRAL_REJECTED,
        "The pattern translation drops the surrogate-pair range: names with supplementary "
        "characters (emoji) are refused.",
        _NOT_FOUND_KILLS,
        probe=Probe(p.type_for_name("a😀"), "EntityNotFoundException", "ValidationException"),
    ),
    Fault(
        LONE_SURROGATES_ACCEPTED,
        "The pattern is run over UTF-16 code units, so a lone surrogate passes the "
        "'\\uD800\\uDC00-\\uDBFF\\uDFFF' range.",
        _VALIDATION_KILLS,
        probe=Probe(
            p.type_for_name("\ud800"),
            "ValidationException",
            "EntityNotFoundException",
        ),
    ),
    Fault(
        NO_REQUIRED_CHECK,
        "A missing required member is treated as an empty string and looked up: "
        "EntityNotFoundException instead of 'Member must not be null'.",
        (*_VALIDATION_KILLS, "validation.message.constraint"),
        probe=Probe(
            lambda c: c.send("GetJobRun", {"JobName": "j"}).type,
            "ValidationException",
            "EntityNotFoundException",
        ),
    ),
    Fault(
        LENGTH_IN_BYTES,
        "Lengths are counted in UTF-8 bytes (the developer guide says '255 bytes'): 128 "
        "two-byte characters are refused.",
        _NOT_FOUND_KILLS,
        probe=Probe(
            p.type_for_name("é" * 128),
            "EntityNotFoundException",
            "ValidationException",
        ),
    ),
    Fault(
        VALIDATION_500,
        "ValidationException is sent with HTTP 500.",
        ("validation.status.400",),
        probe=Probe(lambda c: c.get_job_run("").status, 400, 500),
    ),
    Fault(
        VALIDATION_INVALID_INPUT,
        "Constraint violations answer InvalidInputException (the handler's own error) instead "
        "of ValidationException.",
        ("validation.error-type", "sdk.validation.error-code"),
        probe=Probe(
            p.type_for_name(""),
            "ValidationException",
            "InvalidInputException",
        ),
    ),
    Fault(
        VALIDATION_MESSAGE_NO_COUNT,
        "The message lacks the 'N validation error(s) detected: ' prefix.",
        ("validation.message.grammar",),
        probe=Probe(
            lambda c: p.invalid_message(c).startswith("1 validation error detected: Value '"),
            True,
            False,
        ),
    ),
    Fault(
        VALIDATION_MESSAGE_WRONG_MEMBER,
        "The message names the member as in the model ('JobName'), not lowerCamelCase.",
        ("validation.message.member",),
        probe=Probe(
            lambda c: re.findall(r" at '(\w+)'", p.invalid_message(c)),
            ["jobName"],
            ["JobName"],
        ),
    ),
    Fault(
        VALIDATION_FIRST_ERROR_ONLY,
        "Only the first violation is reported: a value breaking length and pattern yields one "
        "entry.",
        (
            "validation.message.constraint",
            "validation.message.grammar",
            "validation.property.invalid-requests",
        ),
        probe=Probe(
            lambda c: (c.get_job_run("\ud800" * 256).message or "").split(" detected")[0],
            "2 validation errors",
            "1 validation error",
        ),
    ),
    Fault(
        PATTERN_MESSAGE_TRANSLATED,
        "The message quotes the emulator's translated Python pattern, not the model's Java "
        "pattern text.",
        ("validation.message.constraint",),
        probe=Probe(
            lambda c: (c.get_job_run("\ud800").message or "").endswith(
                f"pattern: {p.NAME_PATTERN}"
            ),
            True,
            False,
        ),
    ),
    Fault(
        TYPE_MISMATCH_ACCEPTED,
        "A list/object where a string is expected is coerced to its JSON text, and any value "
        "where a boolean is expected to its truth value.",
        ("validation.type-mismatch",),
        probe=Probe(
            lambda c: (c.get_job_run(["j"]).type, p.type_of_boolean_string(c)),
            ("SerializationException", "SerializationException"),
            ("EntityNotFoundException", "EntityNotFoundException"),
        ),
    ),
    Fault(
        GET_JOB_RUNS_TYPES_COERCED,
        "GetJobRuns reads its members with a lenient reader of its own: a list or object JobName "
        "or NextToken is taken as its JSON text (GetJobRun still refuses it).",
        ("validation.type-mismatch", "protocol.property.envelope"),
        probe=Probe(
            p.list_by_name_list,
            ("SerializationException", "SerializationException"),
            ("EntityNotFoundException", "SerializationException"),
        ),
    ),
    Fault(
        MAX_RESULTS_STRING_ACCEPTED,
        "A string MaxResults is read with int(): '5' is 5, and text that is no number ('ten') "
        "is ignored, as if MaxResults were absent.",
        ("validation.type-mismatch",),
        probe=Probe(
            lambda c: (p.listing(c, MaxResults="ten"), p.listing(c, MaxResults="1")),
            (400, 400),
            (200, 200),
        ),
    ),
    Fault(
        PREDECESSORS_INCLUDED_NUMBER_ACCEPTED,
        "A number where PredecessorsIncluded (a boolean) is expected is taken as its truth value "
        "(1 is true), as a C-style reader does.",
        ("validation.type-mismatch", "validation.property.invalid-requests"),
        probe=Probe(
            lambda c: (
                p.with_run(c, PredecessorsIncluded=1),
                p.with_run(c, PredecessorsIncluded="1"),
            ),
            (400, 400),
            (200, 400),
        ),
    ),
    Fault(
        EMPTY_CONTAINERS_DROPPED,
        "Members whose value is an empty list or object are dropped before the input is read "
        "(`{k: v for k, v in body.items() if v not in ([], {})}`): PredecessorsIncluded: {} "
        "or NextToken: [] is served as if absent.",
        ("validation.type-mismatch",),
        probe=Probe(
            lambda c: (p.with_run(c, PredecessorsIncluded={}), p.listing(c, NextToken=[])),
            (400, 400),
            (200, 200),
        ),
    ),
    # --- not found ---------------------------------------------------------------------------
    Fault(
        NOT_FOUND_500,
        "EntityNotFoundException is sent with HTTP 500.",
        _NOT_FOUND_KILLS,
        probe=Probe(
            lambda c: (c.get_job_run().status, c.get_job_run().type),
            (400, "EntityNotFoundException"),
            (500, "EntityNotFoundException"),
        ),
    ),
    Fault(
        NOT_FOUND_404,
        "EntityNotFoundException is sent with HTTP 404.",
        _NOT_FOUND_KILLS,
        probe=Probe(lambda c: c.get_job_run().status, 400, 404),
    ),
    Fault(
        NOT_FOUND_WRONG_TYPE,
        "A missing job or run answers ResourceNotFoundException.",
        (*_NOT_FOUND_KILLS, "sdk.not-found.modelled-exception"),
        probe=Probe(
            lambda c: c.get_job_run().type,
            "EntityNotFoundException",
            "ResourceNotFoundException",
        ),
    ),
    Fault(
        NOT_FOUND_EMPTY_MESSAGE,
        "EntityNotFoundException carries an empty Message.",
        ("not-found.unknown-job", "not-found.unknown-run"),
        probe=Probe(lambda c: bool(c.get_job_run().message), True, False),
    ),
    # --- response body -----------------------------------------------------------------------
    Fault(
        ISO_TIMESTAMPS,
        "Timestamps are ISO 8601 strings ('2020-10-16T18:45:31.255Z').",
        ("response.timestamps.epoch-number", "response.schema"),
        probe=Probe(p.timestamp_kind, "float", "iso"),
    ),
    Fault(
        TIMESTAMPS_AS_STRINGS,
        "Timestamps are epoch seconds in JSON strings ('1602873931.255').",
        ("response.timestamps.epoch-number", "response.schema"),
        probe=Probe(p.timestamp_kind, "float", "numeric-string"),
    ),
    Fault(
        TIMESTAMPS_IN_MILLIS,
        "Timestamps are epoch milliseconds (Java's Date.getTime()), which botocore cannot turn "
        "into a datetime.",
        ("response.timestamps.epoch-number", "sdk.response.parses"),
        probe=Probe(p.timestamp_kind, "float", "millis"),
    ),
    Fault(
        WRONG_ID,
        "JobRun.Id is another run's id.",
        ("response.id.matches-request",),
        probe=Probe(lambda c: p.on_run(lambda n, r: c.run(n, r)["Id"] == r)(*c.job()), True, False),
    ),
    Fault(
        MISSING_ID,
        "JobRun.Id is absent.",
        ("response.id.matches-request", "sdk.response.parses"),
        probe=Probe(lambda c: "Id" in c.run(*c.job()), True, False),
    ),
    Fault(
        WRONG_JOB_NAME,
        "JobRun.JobName is not the name asked for.",
        ("response.jobname.matches-request",),
        probe=Probe(
            lambda c: p.on_run(lambda n, r: c.run(n, r)["JobName"] == n)(*c.job()),
            True,
            False,
        ),
    ),
    Fault(
        FOUND_RUN_500,
        "GetJobRun of a run that exists answers HTTP 500 InternalServiceException (errors for "
        "missing names are still right).",
        ("response.status.200",),
        probe=Probe(lambda c: c.get_job_run(*c.job()).status, 200, 500),
    ),
    Fault(
        RUNS_NOT_LISTED,
        "GetJobRuns leaves out the job's newest run.",
        ("lifecycle.runs-listed", "lifecycle.stateful"),
        probe=Probe(
            lambda c: (lambda name: len(c.ok("GetJobRuns", {"JobName": name})["JobRuns"]))(
                c.job()[0]
            ),
            1,
            0,
        ),
    ),
    Fault(
        STOP_IGNORED,
        "BatchStopJobRun reports the stop as submitted, but the run goes on and ends SUCCEEDED.",
        ("lifecycle.stop-ends-stopped", "lifecycle.stateful"),
        probe=Probe(
            lambda c: p.on_run(
                lambda n, r: (
                    c.ok("BatchStopJobRun", {"JobName": n, "JobRunIds": [r]}),
                    c.until_terminal(n, r)[-1]["JobRunState"],
                )[1]
            )(*c.job()),
            "STOPPED",
            "SUCCEEDED",
        ),
    ),
    Fault(
        STATE_OUT_OF_ENUM,
        "A finished run reports JobRunState 'COMPLETED'.",
        ("response.state.enum", "response.schema", "lifecycle.transitions"),
        probe=Probe(lambda c: c.finished()["JobRunState"], "SUCCEEDED", "COMPLETED"),
    ),
    Fault(
        ATTEMPT_STRING,
        "Attempt is the string '0'.",
        ("response.schema",),
        probe=Probe(lambda c: c.run(*c.job())["Attempt"], 0, "0"),
    ),
    Fault(
        EXECUTION_TIME_FLOAT,
        "ExecutionTime is a fractional number of seconds.",
        ("response.schema",),
        probe=Probe(
            lambda c: type(c.finished()["ExecutionTime"]).__name__,
            "int",
            "float",
        ),
    ),
    Fault(
        ARGUMENTS_DROPPED,
        "JobRun.Arguments is always {}, whatever StartJobRun was given.",
        ("response.arguments.echoed",),
        probe=Probe(lambda c: c.finished({"--k": "v"})["Arguments"], {"--k": "v"}, {}),
    ),
    Fault(
        COMPLETED_BEFORE_STARTED,
        "A finished run's CompletedOn is a minute before its StartedOn.",
        ("response.timestamps.order",),
        clause="CompletedOn",
        probe=Probe(
            lambda c: (lambda run: run["CompletedOn"] >= run["StartedOn"])(c.finished()),
            True,
            False,
        ),
    ),
    Fault(
        MODIFIED_BEFORE_STARTED,
        "A run still going reports LastModifiedOn a second before its StartedOn (its end is "
        "reported right).",
        ("response.timestamps.order",),
        clause="LastModifiedOn",
        probe=Probe(
            lambda c: (lambda run: run["LastModifiedOn"] >= run["StartedOn"])(c.run(*c.job())),
            True,
            False,
        ),
    ),
    Fault(
        PREDECESSOR_RUNS_MALFORMED,
        "PredecessorRuns is an object ({}) instead of a list.",
        ("response.predecessor-runs.well-formed", "response.schema"),
        probe=Probe(
            lambda c: type(c.run(*c.job())["PredecessorRuns"]).__name__,
            "list",
            "dict",
        ),
    ),
    # --- life cycle --------------------------------------------------------------------------
    Fault(
        TERMINAL_STATE_REGRESSES,
        "Once a run has been reported SUCCEEDED, every second poll reports it RUNNING again.",
        ("lifecycle.transitions",),
        probe=Probe(
            p.states_after_terminal,
            ("SUCCEEDED", "SUCCEEDED", "SUCCEEDED"),
            ("RUNNING", "SUCCEEDED", "RUNNING"),
        ),
    ),
    Fault(
        LAST_MODIFIED_GOES_BACK,
        "Odd-numbered polls report LastModifiedOn a second late, so the next poll goes back.",
        ("lifecycle.timestamps.monotonic",),
        clause="LastModifiedOn",
        probe=Probe(p.last_modified_monotonic, True, False),
    ),
    Fault(
        STARTED_ON_CHANGES,
        "StartedOn is rewritten at every state change (it follows LastModifiedOn).",
        ("lifecycle.timestamps.monotonic",),
        clause="StartedOn",
        probe=Probe(p.started_on_constant, True, False),
    ),
    # --- what a run means (evidence sections 11-20) --------------------------------------------
    Fault(
        RUN_FOUND_UNDER_ANY_JOB,
        "A run is looked up by its RunId alone: asked for under another job, it is found.",
        ("not-found.run-under-other-job",),
        probe=Probe(
            lambda c: c.get_job_run(p.create_job(c), c.job()[1]).type,
            "EntityNotFoundException",
            None,
        ),
    ),
    Fault(
        RUN_ID_CASE_INSENSITIVE,
        "RunIds are compared without case and with spaces stripped.",
        ("not-found.run-id-exact",),
        probe=Probe(
            lambda c: p.on_run(lambda n, r: c.get_job_run(n, r.upper()).type)(*c.job()),
            "EntityNotFoundException",
            None,
        ),
    ),
    Fault(
        GLUE_VERSION_FIXED,
        "Every run reports GlueVersion '0.9' whatever its job says (as moto does).",
        ("response.job.reflected",),
        probe=Probe(lambda c: c.run(*p.meaning_job(c))["GlueVersion"], "4.0", "0.9"),
    ),
    Fault(
        RUN_OVERRIDES_IGNORED,
        "StartJobRun's Timeout, WorkerType and NumberOfWorkers are ignored (as ministack does).",
        ("response.run.overrides",),
        probe=Probe(
            lambda c: p.run_of_meaning_job(c, Timeout=30)["Timeout"],
            30,
            15,
        ),
    ),
    Fault(
        DEFAULT_ARGUMENTS_MERGED,
        "The job's DefaultArguments are merged into the run's Arguments (as moto and ministack "
        "do).",
        ("response.arguments.own",),
        probe=Probe(
            lambda c: c.run(*p.meaning_job(c)).get("Arguments"),
            None,
            {"--d": "job"},
        ),
    ),
    Fault(
        ARGUMENTS_OF_NEWEST_RUN,
        "Every run of a job reports the Arguments of the job's newest run.",
        ("response.arguments.own",),
        probe=Probe(
            lambda c: p.on_run(
                lambda n, r: (
                    p.start_run(c, n, Arguments={"--new": "1"}),
                    c.run(n, r).get("Arguments"),
                )[1]
            )(*p.meaning_job(c)),
            None,
            {"--new": "1"},
        ),
    ),
    Fault(
        ATTEMPT_STARTS_AT_ONE,
        "A first run reports Attempt 1.",
        ("response.attempt.first",),
        probe=Probe(lambda c: c.run(*p.meaning_job(c))["Attempt"], 0, 1),
    ),
    Fault(
        ATTEMPT_GROWS_PER_POLL,
        "Attempt grows by one with every GetJobRun of the run.",
        ("lifecycle.attempt.stable",),
        probe=Probe(p.attempts, [0, 0], [1, 2]),
    ),
    Fault(
        PREVIOUS_RUN_ID_DROPPED,
        "StartJobRun's JobRunId is ignored: the run has no PreviousRunId.",
        ("response.previous-run-id",),
        probe=Probe(
            lambda c: p.on_run(
                lambda n, r: c.run(n, p.start_run(c, n, JobRunId=r)).get("PreviousRunId") == r
            )(*p.meaning_job(c)),
            True,
            False,
        ),
    ),
    Fault(
        TIMEOUT_DEFAULT_480,
        "A run whose job and StartJobRun set no Timeout reports 480 whatever its Glue version.",
        ("response.timeout.default",),
        probe=Probe(
            lambda c: (lambda n: c.run(n, p.start_run(c, n))["Timeout"])(
                p.create_job(c, GlueVersion="4.0")
            ),
            2880,
            480,
        ),
    ),
    Fault(
        TIMESTAMPS_IN_FUTURE,
        "Every timestamp is three hours ahead of the world's clock.",
        ("response.timestamps.near-clock",),
        probe=Probe(
            lambda c: c.run(*c.job())["StartedOn"] > time.time() + 3600,
            False,
            True,
        ),
    ),
    Fault(
        EXECUTION_TIME_FIXED,
        "ExecutionTime is always 123 seconds (as moto's).",
        ("response.execution-time.bounded",),
        probe=Probe(lambda c: c.run(*c.job())["ExecutionTime"], 0, 123),
    ),
    Fault(
        EXECUTION_TIME_IN_MILLIS,
        "ExecutionTime is counted in milliseconds.",
        ("response.execution-time.bounded",),
        probe=Probe(
            lambda c: p.on_run(lambda n, r: p.pause(0.05) and c.run(n, r)["ExecutionTime"] >= 50)(
                *c.job()
            ),
            False,
            True,
        ),
    ),
    Fault(
        COMPLETED_ON_DIFFERS,
        "A terminal run's LastModifiedOn is a millisecond after its CompletedOn.",
        ("response.completed-on.last-modified",),
        probe=Probe(
            lambda c: (lambda run: run["CompletedOn"] == run["LastModifiedOn"])(c.finished()),
            True,
            False,
        ),
    ),
    Fault(
        RUNS_OLDEST_FIRST,
        "GetJobRuns lists oldest first.",
        ("lifecycle.runs-newest-first",),
        probe=Probe(p.listed_order, True, False),
    ),
    Fault(
        MAX_RESULTS_IGNORED,
        "GetJobRuns ignores MaxResults: one page with every run, no NextToken.",
        ("lifecycle.runs-paging",),
        probe=Probe(p.page, (1, True), (2, False)),
    ),
    Fault(
        RUNS_LIST_DIFFERS,
        "GetJobRuns reports GlueVersion '0.9' where GetJobRun reports the job's.",
        ("lifecycle.runs-agree",),
        probe=Probe(p.listed_gluev, ("4.0", "4.0"), ("0.9", "4.0")),
    ),
    Fault(
        MAX_RESULTS_UNCHECKED,
        "GetJobRuns accepts MaxResults 0 and 201.",
        ("validation.max-results.range",),
        probe=Probe(
            lambda c: c.send("GetJobRuns", {"JobName": c.job()[0], "MaxResults": 0}).status,
            400,
            200,
        ),
    ),
    Fault(
        DIRECT_RUN_LISTS_PREDECESSOR,
        "With PredecessorsIncluded, a run started by StartJobRun lists a predecessor run and a "
        "TriggerName.",
        ("response.trigger.absent",),
        probe=Probe(
            lambda c: p.on_run(
                lambda n, r: len(
                    c.ok("GetJobRun", {"JobName": n, "RunId": r, "PredecessorsIncluded": True})[
                        "JobRun"
                    ]["PredecessorRuns"]
                )
            )(*c.job()),
            0,
            1,
        ),
    ),
    Fault(
        TARGET_PREFIX_IGNORED,
        "X-Amz-Target is dispatched on the text after its last '.', in any case (as moto): "
        "Foo.GetJobRun, GetJobRun and AWSGlue.getJobRun are served.",
        ("protocol.target-prefix",),
        probe=Probe(
            lambda c: c.send(None, {"JobName": "j", "RunId": "r"}, target="Foo.GetJobRun").type,
            "UnknownOperationException",
            "EntityNotFoundException",
        ),
    ),
    Fault(
        STOP_NOT_IMPLEMENTED,
        "BatchStopJobRun answers HTTP 500 (as moto's NotImplementedError).",
        ("lifecycle.stop-ends-stopped",),
        probe=Probe(
            lambda c: p.on_run(
                lambda n, r: c.send("BatchStopJobRun", {"JobName": n, "JobRunIds": [r]}).status
            )(*c.job()),
            200,
            500,
        ),
    ),
    Fault(
        LENGTH_IN_GRAPHEMES,
        "Lengths are counted in grapheme clusters: 128 'e' + U+0301 (256 code points) pass.",
        ("validation.error-type", "validation.status.400", "validation.property.invalid-requests"),
        probe=Probe(
            p.type_for_name("e\u0301" * 128),
            "ValidationException",
            "EntityNotFoundException",
        ),
    ),
    Fault(
        RUNS_NEVER_FINISH,
        "Runs stay RUNNING for ever, and a stopped run stays STOPPING.",
        ("lifecycle.transitions", "lifecycle.stateful", "lifecycle.stop-ends-stopped"),
        probe=Probe(
            lambda c: p.on_run(lambda n, r: p.pause(p.STAGE * 4) and c.run(n, r)["JobRunState"])(
                *c.job()
            ),
            "SUCCEEDED",
            "RUNNING",
        ),
    ),
    # --- the same rules on a second path (a listing, a stopped run, another value) -----------
    Fault(
        LISTING_FOREIGN_RUNS,
        "GetJobRuns lists the runs of every job, not only the job asked for.",
        ("lifecycle.runs-only-own", "response.jobname.matches-request"),
        probe=Probe(p.listed_job_names, [True], [False, True]),
    ),
    Fault(
        STOP_STOPS_SIBLINGS,
        "BatchStopJobRun of one run stops every run of its job that is still going.",
        ("lifecycle.stop-only-named",),
        probe=Probe(p.sibling_after_stop, "SUCCEEDED", "STOPPED"),
    ),
    Fault(
        STARTED_ON_BACKDATED,
        "StartedOn is ten minutes before the run was started (inside the clock window, so only "
        "the time the client saw pass shows it).",
        ("lifecycle.timestamps.elapsed",),
        probe=Probe(p.minutes_off, 0, -10),
    ),
    Fault(
        LISTING_ARGUMENTS_MERGED,
        "GetJobRuns merges the job's DefaultArguments into each run's Arguments (GetJobRun "
        "does not).",
        ("response.arguments.own", "lifecycle.runs-agree"),
        probe=Probe(
            lambda c: p.listed_and_got(c, "Arguments", Arguments={"--own": "x"}),
            ({"--own": "x"}, {"--own": "x"}),
            ({"--d": "job", "--own": "x"}, {"--own": "x"}),
        ),
    ),
    Fault(
        LISTING_OVERRIDES_LOST,
        "GetJobRuns reports the job's Timeout, WorkerType and NumberOfWorkers where the run "
        "overrode them (GetJobRun reports the run's).",
        ("response.run.overrides", "lifecycle.runs-agree"),
        probe=Probe(
            lambda c: p.listed_and_got(c, "Timeout", Timeout=99),
            (99, 99),
            (15, 99),
        ),
    ),
    Fault(
        STOPPED_RUN_LOSES_ARGUMENTS,
        "A run that ended STOPPED reports no Arguments (the stop rewrites its record).",
        ("response.arguments.echoed", "response.arguments.own", "lifecycle.runs-agree"),
        probe=Probe(
            lambda c: p.stopped(c, {"--a": "1"}).get("Arguments"),
            {"--a": "1"},
            None,
        ),
    ),
    Fault(
        ARGUMENT_VALUES_TRIMMED,
        "Argument values come back with leading and trailing white space stripped.",
        ("response.arguments.echoed", "response.arguments.own"),
        probe=Probe(
            lambda c: c.run(*c.job({"--a": " x "}))["Arguments"],
            {"--a": " x "},
            {"--a": "x"},
        ),
    ),
    Fault(
        PREDECESSORS_INCLUDED_DROPS_ARGUMENTS,
        "GetJobRun with PredecessorsIncluded=true answers without the run's Arguments.",
        ("response.arguments.echoed", "response.arguments.own", "lifecycle.runs-agree"),
        probe=Probe(
            lambda c: p.on_run(
                lambda n, r: (
                    "Arguments"
                    in c.ok("GetJobRun", {"JobName": n, "RunId": r, "PredecessorsIncluded": True})[
                        "JobRun"
                    ]
                )
            )(*c.job({"--a": "1"})),
            True,
            False,
        ),
    ),
    Fault(
        STOPPED_COMPLETED_ON_DIFFERS,
        "A run that ended STOPPED has a LastModifiedOn half a second after its CompletedOn.",
        ("response.completed-on.last-modified",),
        probe=Probe(
            lambda c: (lambda run: run["CompletedOn"] == run["LastModifiedOn"])(p.stopped(c)),
            True,
            False,
        ),
    ),
    Fault(
        LISTING_STATE_LAGS,
        "GetJobRuns reports each run as it was two stages earlier (a stale copy), so a run "
        "GetJobRun called SUCCEEDED is listed RUNNING.",
        ("lifecycle.transitions", "lifecycle.timestamps.monotonic"),
        # Stale by two 50 ms stages: STARTING when listed at once, RUNNING when a loaded machine
        # lists it a stage late, SUCCEEDED when later still: of five runs, one listed going is
        # the fault (an honest listing never shows a run going after GetJobRun saw it end).
        probe=Probe(
            lambda c: any(p.listed_state(c) in ("STARTING", "RUNNING") for _ in range(5)),
            False,
            True,
        ),
    ),
    Fault(
        LISTING_TIMESTAMPS_STRINGS,
        "GetJobRuns items carry their timestamps as strings ('1602873931.255'); GetJobRun's are "
        "numbers.",
        ("response.timestamps.epoch-number",),
        probe=Probe(
            lambda c: (
                type(
                    c.ok("GetJobRuns", {"JobName": c.job()[0]})["JobRuns"][0]["StartedOn"]
                ).__name__
            ),
            "float",
            "str",
        ),
    ),
    Fault(
        PAGING_SKIPS_BOUNDARY_RUN,
        "With MaxResults above 1, each NextToken starts the next page one run too late: the run "
        "at every page boundary is never listed.",
        ("lifecycle.runs-listed", "lifecycle.runs-paging"),
        probe=Probe(lambda c: p.listed_in_pages(c, 2), (3, 2), (2, 1)),
    ),
    # --- protocol ----------------------------------------------------------------------------
    Fault(
        JSON_CONTENT_TYPE,
        "Every answer has Content-Type: application/json.",
        ("protocol.content-type",),
        probe=Probe(
            lambda c: (p.content_type(c.get_job_run()), p.content_type(c.send("CreateJob", {}))),
            ("application/x-amz-json-1.1", "application/x-amz-json-1.1"),
            ("application/json", "application/json"),
        ),
    ),
    Fault(
        NO_REQUEST_ID,
        "No x-amzn-RequestId header.",
        ("protocol.request-id",),
        probe=Probe(lambda c: "x-amzn-RequestId" in c.get_job_run().headers, True, False),
    ),
    Fault(
        GET_JOB_RUNS_ERRORS_AS_JSON,
        "GetJobRuns builds its own error answers, with Content-Type: application/json "
        "(GetJobRun's are right).",
        ("protocol.property.envelope", "protocol.content-type"),
        probe=Probe(
            lambda c: (
                p.content_type(c.send("GetJobRuns", b"{oops")),
                p.content_type(c.get_job_run()),
            ),
            ("application/x-amz-json-1.1", "application/x-amz-json-1.1"),
            ("application/json", "application/x-amz-json-1.1"),
        ),
    ),
    Fault(
        ERROR_WITHOUT_TYPE,
        "Error bodies carry only a message: no __type, no code, no X-Amzn-ErrorType header.",
        ("protocol.error.type", "validation.error-type", "not-found.unknown-job"),
        probe=Probe(
            lambda c: (c.get_job_run().type, c.get_job_run("").type),
            ("EntityNotFoundException", "ValidationException"),
            (None, None),
        ),
    ),
    Fault(
        HTML_ERRORS,
        "Every error is an HTML page (text/html), as a generic web framework would send.",
        ("protocol.error.body", "protocol.error.type", "protocol.content-type"),
        probe=Probe(
            lambda c: c.get_job_run().headers["Content-Type"].split(";")[0],
            "application/x-amz-json-1.1",
            "text/html",
        ),
    ),
    Fault(
        MALFORMED_JSON_500,
        "A body that is not JSON crashes the handler: 500 InternalServiceException.",
        ("protocol.malformed-json",),
        probe=Probe(lambda c: c.send("GetJobRun", b"{oops").status, 400, 500),
    ),
    Fault(
        NON_OBJECT_BODY_500,
        "A body that is JSON but not an object (an array, a string, a number, null, true) "
        "crashes the handler: 500 InternalServiceException.",
        ("protocol.malformed-json", "protocol.property.envelope"),
        probe=Probe(
            lambda c: p.statuses(c, "GetJobRun", b"[]", b"null", b"1", b'"j"', b"true", b"{}"),
            [400] * 6,
            [500] * 5 + [400],
        ),
    ),
    Fault(
        TRAILING_GARBAGE_ACCEPTED,
        "The body is read up to the end of its first JSON value and the rest is ignored: "
        "'{...}}' or '{...}x' is served as the object.",
        ("protocol.malformed-json", "protocol.property.envelope"),
        probe=Probe(p.trailing_garbage, 400, 200),
    ),
    Fault(
        INVALID_UTF8_500,
        "A body whose bytes are not UTF-8 crashes the handler while decoding: 500.",
        ("protocol.malformed-json", "protocol.property.envelope"),
        probe=Probe(
            lambda c: p.statuses(c, "GetJobRun", b'{"JobName": "j\xff", "RunId": "r"}', b"{oops"),
            [400, 400],
            [500, 400],
        ),
    ),
    Fault(
        EMPTY_BODY_500,
        "An empty (or whitespace-only) body crashes the handler: 500.",
        ("protocol.malformed-json", "protocol.property.envelope"),
        probe=Probe(
            lambda c: p.statuses(c, "GetJobRuns", b"", b" \n", b"{oops"),
            [400, 400, 400],
            [500, 500, 400],
        ),
    ),
    Fault(
        NON_FINITE_NUMBERS_ACCEPTED,
        "NaN and Infinity literals are read as numbers (Python's json default) and, where a "
        "string is expected, used as 'nan' and 'inf': looked up and not found.",
        ("protocol.malformed-json", "protocol.property.envelope"),
        probe=Probe(
            lambda c: c.send("GetJobRun", b'{"JobName": "j", "RunId": NaN}').type,
            "SerializationException",
            "EntityNotFoundException",
        ),
    ),
    Fault(
        GET_JOB_RUNS_MALFORMED_NOT_FOUND,
        "GetJobRuns reads a body it cannot parse as no input and looks up no job: 400 "
        "EntityNotFoundException 'Job None not found.' (moto 5.2 does this); GetJobRun is "
        "unaffected.",
        ("protocol.malformed-json", "protocol.property.envelope"),
        probe=Probe(
            lambda c: (c.send("GetJobRuns", b"{oops").type, c.send("GetJobRun", b"{oops").type),
            ("SerializationException", "SerializationException"),
            ("EntityNotFoundException", "SerializationException"),
        ),
    ),
    Fault(
        UNKNOWN_OPERATION_200,
        "An unknown X-Amz-Target is answered 200 with {}.",
        ("protocol.unknown-operation",),
        probe=Probe(
            lambda c: (c.send("Frobnicate", {}).status, c.send("Frobnicate", {}).body),
            (400, b'{"__type": "UnknownOperationException"}'),
            (200, b"{}"),
        ),
    ),
    Fault(
        NO_AUTH_CHECK,
        "Unsigned requests are served like signed ones.",
        ("protocol.auth.missing",),
        probe=Probe(
            p.unsigned_type,
            "MissingAuthenticationTokenException",
            "EntityNotFoundException",
        ),
    ),
    # --- transport: answers that are not answers --------------------------------------------
    # Each fires on one valid name (a named not-found case of the suite) so the rest of the run
    # goes on, as it would against an emulator that breaks on one input.
    Fault(
        STALLS,
        "GetJobRun for JobName 'job\\x7f' is never answered (the server waits until the "
        "client gives up).",
        ("protocol.answers",),
        probe=Probe(p.transport_outcome("job\x7f"), "EntityNotFoundException", "ReadTimeoutError"),
    ),
    Fault(
        DROPS_CONNECTION,
        "GetJobRun for JobName 'job\\x85' gets headers and half a body, then the connection "
        "is closed.",
        ("protocol.answers",),
        probe=Probe(
            p.transport_outcome("job\x85"),
            "EntityNotFoundException",
            "ProtocolError",
        ),
    ),
    Fault(
        OVERSIZED_ANSWER,
        "GetJobRun for JobName ' job ' is answered with a 5 MiB body.",
        ("protocol.answers",),
        probe=Probe(p.transport_outcome(" job "), "EntityNotFoundException", "oversized"),
    ),
    Fault(
        NOT_HTTP,
        "GetJobRun for JobName 'job\\tname' is answered with bytes that are not HTTP.",
        ("protocol.answers",),
        probe=Probe(p.transport_outcome("job\tname"), "EntityNotFoundException", "ProtocolError"),
    ),
    Fault(
        TRUNCATED_JSON,
        "GetJobRun for JobName 'job-\\U0001f680' is answered with the first half of its JSON "
        "body (a consistent Content-Length, so only the JSON is broken).",
        ("not-found.unknown-job",),
        probe=Probe(
            p.transport_outcome("job-\U0001f680"),
            "EntityNotFoundException",
            "not JSON",
        ),
    ),
]

# The one JobName that sets off each transport fault: named edge cases of several characters,
# which the property tests' draws do not hit, so each fault fails exactly one check.
TRANSPORT_TRIGGERS: dict[str, str] = {
    STALLS: "job\x7f",
    DROPS_CONNECTION: "job\x85",
    OVERSIZED_ANSWER: " job ",
    NOT_HTTP: "job\tname",
    TRUNCATED_JSON: "job-\U0001f680",
}

_VARIANTS = [
    Variant(
        NAMESPACED_ERROR_TYPE,
        "__type carries the shape's namespace: 'com.amazonaws.glue#EntityNotFoundException', "
        "'com.amazon.coral.service#SerializationException', "
        "'com.amazon.coral.validate#ValidationException'.",
        probe=Probe(
            lambda c: (c.get_job_run().raw_type, c.get_job_run("").raw_type),
            ("EntityNotFoundException", "ValidationException"),
            (
                "com.amazonaws.glue#EntityNotFoundException",
                "com.amazon.coral.validate#ValidationException",
            ),
        ),
    ),
    Variant(
        SUFFIXED_ERROR_TYPE,
        "__type carries a Coral URI suffix: "
        "'ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/'.",
        probe=Probe(
            lambda c: c.get_job_run("").raw_type,
            "ValidationException",
            "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
        ),
    ),
    Variant(
        ERROR_TYPE_HEADER,
        "Errors also send X-Amzn-ErrorType with the type.",
        probe=Probe(
            p.error_shape,
            ("EntityNotFoundException", None, ["Message", "__type"]),
            ("EntityNotFoundException", "EntityNotFoundException", ["Message", "__type"]),
        ),
    ),
    Variant(
        ERROR_TYPE_HEADER_ONLY,
        "The type is only in the X-Amzn-ErrorType header; the body has no __type.",
        probe=Probe(
            p.error_shape,
            ("EntityNotFoundException", None, ["Message", "__type"]),
            ("EntityNotFoundException", "EntityNotFoundException", ["Message"]),
        ),
    ),
    Variant(
        ERROR_TYPE_CODE_MEMBER,
        "The body names the type in 'code' instead of '__type'.",
        probe=Probe(
            p.error_shape,
            ("EntityNotFoundException", None, ["Message", "__type"]),
            ("EntityNotFoundException", None, ["Message", "code"]),
        ),
    ),
    Variant(
        MESSAGE_KEY_SWAPPED,
        "Framework errors use 'Message' and Glue's modelled errors 'message'.",
        probe=Probe(
            lambda c: (sorted(c.get_job_run().json), sorted(c.get_job_run("").json)),
            (["Message", "__type"], ["__type", "message"]),
            (["__type", "message"], ["Message", "__type"]),
        ),
    ),
    Variant(
        EXTRA_RESPONSE_MEMBERS,
        "Unmodelled members appear in JobRun and at the top level of every success body.",
        probe=Probe(
            lambda c: (
                sorted(set(c.run(*c.job())) - set(p.JOB_RUN_MEMBERS)),
                sorted(c.ok("StartJobRun", {"JobName": c.job()[0]})),
            ),
            ([], ["JobRunId"]),
            (["UnmodelledMember"], ["JobRunId", "UnmodelledTopLevelMember"]),
        ),
    ),
    Variant(
        UTF16_LENGTHS,
        "Lengths are counted in UTF-16 code units (an emoji counts 2), as a Java service "
        "calling String.length() would.",
        probe=Probe(
            p.type_for_name("😀" * 128),
            "EntityNotFoundException",
            "ValidationException",
        ),
    ),
    Variant(
        AUTH_403,
        "A missing signature is answered with HTTP 403, not 400.",
        probe=Probe(
            lambda c: c.send("GetJobRun", {}, sign=False).status,
            400,
            403,
        ),
    ),
    Variant(
        OPTIONAL_MEMBERS_ABSENT,
        "JobRun has only Id, Attempt, JobName, StartedOn, LastModifiedOn, JobRunState, the "
        "Arguments the run was started with (and CompletedOn when terminal), and what it "
        "reports of its job and its start (Timeout, WorkerType, NumberOfWorkers, GlueVersion: "
        "evidence section 11).",
        probe=Probe(
            p.optional_members,
            [m for m in p.JOB_RUN_MEMBERS if m != "Arguments"],  # none given: no Arguments key
            [
                *("Id", "Attempt", "JobName", "StartedOn", "LastModifiedOn", "CompletedOn"),
                *("JobRunState", "Timeout", "WorkerType", "NumberOfWorkers", "GlueVersion"),
            ],
        ),
    ),
    Variant(
        INTEGRAL_TIMESTAMPS,
        "Timestamps are whole seconds (JSON integers).",
        probe=Probe(lambda c: type(c.run(*c.job())["StartedOn"]).__name__, "float", "int"),
    ),
    Variant(
        SCALAR_COERCED,
        "A number or boolean where a string is expected is taken as its string form "
        "(true -> 'true', 12 -> '12').",
        probe=Probe(
            lambda c: (c.get_job_run(12).message, c.get_job_run(True).type),
            ("12 can not be converted to a String", "SerializationException"),
            ("Job with name: 12 not found.", "EntityNotFoundException"),
        ),
    ),
    Variant(
        INTEGER_SCALARS_COERCED,
        "A numeric string, a fractional number or a boolean where an integer is expected is "
        "coerced ('5' -> 5 and 1.5 -> 1, as Jackson does by default; true -> 1).",
        probe=Probe(
            lambda c: [p.listing(c, MaxResults=v) for v in ("1", 1.5, True, "ten")],
            [400, 400, 400, 400],
            [200, 200, 200, 400],
        ),
    ),
    Variant(
        NON_OBJECT_BODY_VALIDATION,
        "A body that is JSON but not an object is read as no input: 400 ValidationException for "
        "the missing required members, not SerializationException.",
        probe=Probe(
            lambda c: (c.send("GetJobRun", b"[]").type, c.send("GetJobRun", b"{oops").type),
            ("SerializationException", "SerializationException"),
            ("ValidationException", "SerializationException"),
        ),
    ),
    Variant(
        EMPTY_BODY_AS_EMPTY_OBJECT,
        "An empty body is read as '{}': 400 ValidationException for the missing required "
        "members, not SerializationException.",
        probe=Probe(
            lambda c: (c.send("GetJobRun", b"").message, c.send("GetJobRun", b"{oops").type),
            (None, "SerializationException"),
            (
                "2 validation errors detected: Value null at 'jobName' failed to satisfy "
                "constraint: Member must not be null; Value null at 'runId' failed to satisfy "
                "constraint: Member must not be null",
                "SerializationException",
            ),
        ),
    ),
    Variant(
        SLOW,
        "Every answer comes 150 ms late.",
        probe=Probe(p.slow, False, True),
    ),
    Variant(
        WAITING_FIRST,
        "A run waits in WAITING (job run queuing) for one stage before STARTING.",
        probe=Probe(
            lambda c: c.run(*c.job())["JobRunState"],
            "STARTING",
            "WAITING",
        ),
    ),
    Variant(
        RUN_FAILS,
        "Runs end in FAILED, with an ErrorMessage, instead of SUCCEEDED.",
        probe=Probe(
            lambda c: (lambda run: (run["JobRunState"], "ErrorMessage" in run))(c.finished()),
            ("SUCCEEDED", False),
            ("FAILED", True),
        ),
    ),
    Variant(
        RUN_ID_UUID,
        "Run ids are UUIDs (IdString allows any 1-255 characters).",
        probe=Probe(lambda c: c.job()[1].startswith("jr_"), True, False),
    ),
    Variant(
        TIMEOUT_DEFAULT_2880_GLUE5,
        "Glue 5.x runs with no Timeout report 2880, as 4.0 runs do (no capture shows 480).",
        probe=Probe(
            lambda c: (lambda n: c.run(n, p.start_run(c, n))["Timeout"])(
                p.create_job(c, GlueVersion="5.0")
            ),
            480,
            2880,
        ),
    ),
    Variant(
        ARGUMENTS_EMPTY_OBJECT,
        'A run started without Arguments reports "Arguments": {} instead of no key.',
        probe=Probe(lambda c: c.run(*c.job()).get("Arguments"), None, {}),
    ),
    Variant(
        PREDECESSORS_ABSENT,
        "JobRun has no PredecessorRuns key.",
        probe=Probe(lambda c: "PredecessorRuns" in c.run(*c.job()), True, False),
    ),
    Variant(
        SMALL_DEFAULT_PAGE,
        "GetJobRuns without MaxResults answers pages of 2 runs (the default page size is not "
        "known: evidence section 17).",
        probe=Probe(lambda c: p.listed_in_pages(c, None), (3, 1), (3, 2)),
    ),
    Variant(
        RUNS_FINISH_AT_ONCE,
        "A run is SUCCEEDED by its first GetJobRun (as moto's default), so it is never seen going.",
        probe=Probe(lambda c: c.run(*c.job())["JobRunState"], "STARTING", "SUCCEEDED"),
    ),
    Variant(
        CLOCK_MINUTES_OFF,
        "The server's clock is five minutes slow: every timestamp is 300 s behind the world's "
        "(inside SigV4's window, evidence section 16).",
        probe=Probe(p.minutes_off, 0, -5),
    ),
]

FAULTS: dict[str, Fault] = {fault.name: fault for fault in _FAULTS}
VARIANTS: dict[str, Variant] = {variant.name: variant for variant in _VARIANTS}


def check_names(kind: str, names: frozenset[str], known: dict[str, object]) -> None:
    """Refuse a misspelt switch loudly: a silently ignored fault would make a mutation 'survive'."""
    unknown = sorted(names - known.keys())
    if unknown:
        valid = ", ".join(sorted(known))
        raise ValueError(f"unknown {kind} {', '.join(unknown)}; valid {kind}s: {valid}")


# --- the domain of names, jobs and runs (issue 26: domain_jobs.py's tour) ----------------------
# Each fault bends one placement the tour exercises: a name class through an operation, a lookup
# edit, a job kind, an update, an argument size, a retry, a worker type.
JOB_NAMES_STRIPPED = "job-names-stripped"
ASTRAL_NAMES_MANGLED_IN_LISTING = "astral-names-mangled-in-listing"
JOB_NAMES_NORMALISED = "job-names-normalised"
JOB_LOOKUP_CASE_INSENSITIVE = "job-lookup-case-insensitive"
TAB_READ_AS_SPACE = "tab-read-as-space"
PYTHONSHELL_GLUEETL_DEFAULTS = "pythonshell-glueetl-defaults"
UPDATE_JOB_IGNORED = "update-job-ignored"
NON_OVERRIDABLE_ARGUMENTS_ECHOED = "non-overridable-arguments-echoed"
LONG_ARGUMENT_VALUES_TRUNCATED = "long-argument-values-truncated"
LONG_JOB_NAMES_REFUSED = "long-job-names-refused"
RAY_JOBS_REFUSED = "ray-jobs-refused"
RETRY_NAMES_FIRST_RUN = "retry-names-first-run"
NEWER_WORKER_TYPES_IGNORED = "newer-worker-types-ignored"

EARLIER_RUNS_SHOW_UPDATE = "earlier-runs-show-update"
PYTHONSHELL_NO_WORKERS = "pythonshell-no-workers"
ARGUMENTS_REORDERED = "arguments-reordered"

# Worker types an emulator written before they existed may not know (model WorkerType enum).
NEWER_WORKER_TYPES = frozenset({"G.12X", "G.16X", "R.1X", "R.2X", "R.4X", "R.8X"})
TRUNCATED_AT = 4096  # long-argument-values-truncated: characters kept of a value
SHORT_NAME_MAX = 128  # long-job-names-refused: the longest Name CreateJob takes


def _status_of_lookup(name: str, asked: str) -> p.Ask:
    """The status of GetJobRun under `asked` of a run of a job created as `name`."""

    def ask(c: p.Client) -> int:
        c.ok("CreateJob", {"Name": name, "Role": "role", "Command": {"Name": "glueetl"}})
        run_id = p.start_run(c, name)
        return c.send("GetJobRun", {"JobName": asked, "RunId": run_id}).status

    return ask


def _unique(text: str) -> str:
    return f"{text}-{uuid.uuid4().hex[:8]}"


def _retry_chain_previous(c: p.Client) -> str:
    """Which run a retry of a retry names as its PreviousRunId: "second" (the run it retried)
    or "first" (the chain's first run)."""
    name = p.create_job(c)
    first = p.start_run(c, name)
    second = p.start_run(c, name, JobRunId=first)
    third = p.start_run(c, name, JobRunId=second)
    previous = c.run(name, third).get("PreviousRunId")
    return "second" if previous == second else "first" if previous == first else str(previous)


def _earlier_run_after_update(c: p.Client) -> str:
    """The GlueVersion a run started before UpdateJob reports after it."""
    name = p.create_job(c, GlueVersion="4.0", Timeout=20)
    run_id = p.start_run(c, name)
    update = {"Role": "role", "Command": {"Name": "glueetl"}, "GlueVersion": "3.0"}
    c.ok("UpdateJob", {"JobName": name, "JobUpdate": update})
    return str(c.run(name, run_id)["GlueVersion"])


_DOMAIN_FAULTS = [
    Fault(
        JOB_NAMES_STRIPPED,
        "Every JobName the server reads is stripped of surrounding whitespace: a job created as "
        "'name ' is stored, found and reported as 'name'.",
        ("response.jobname.matches-request", "not-found.job-name-exact"),
        probe=Probe(
            lambda c: (lambda n: _status_of_lookup(n + " ", n)(c))(_unique("edge")),
            400,
            200,
        ),
    ),
    Fault(
        ASTRAL_NAMES_MANGLED_IN_LISTING,
        "GetJobRuns reports a JobName with each character outside the BMP replaced by U+FFFD "
        "(a serializer of UTF-16 units).",
        ("response.jobname.matches-request",),
        probe=Probe(
            lambda c: (
                lambda n: (
                    p.start_run(c, n),
                    c.ok("GetJobRuns", {"JobName": n})["JobRuns"][0]["JobName"] == n,
                )[1]
            )(_astral_job(c)),
            True,
            False,
        ),
    ),
    Fault(
        JOB_NAMES_NORMALISED,
        "JobNames are normalised to NFC wherever they are read: a job created with a combining "
        "mark is found under its precomposed form, and reported in it.",
        ("not-found.job-name-exact", "response.jobname.matches-request"),
        probe=Probe(
            lambda c: (lambda n: _status_of_lookup(n + "e\u0301", n + "\u00e9")(c))(_unique("nfc")),
            400,
            200,
        ),
    ),
    Fault(
        JOB_LOOKUP_CASE_INSENSITIVE,
        "GetJobRun finds a job whose name differs only in letter case.",
        ("not-found.job-name-exact",),
        probe=Probe(
            lambda c: (lambda n: _status_of_lookup(n, n.swapcase())(c))(_unique("Case")),
            400,
            200,
        ),
    ),
    Fault(
        TAB_READ_AS_SPACE,
        "GetJobRun reads a tab in a JobName as a space: 'a b' finds the job 'a\\tb'.",
        ("not-found.job-name-exact",),
        probe=Probe(
            lambda c: (lambda n: _status_of_lookup(n + "\tb", n + " b")(c))(_unique("tab")),
            400,
            200,
        ),
    ),
    Fault(
        PYTHONSHELL_GLUEETL_DEFAULTS,
        "A Python shell run reports the Spark defaults (Glue 5.1, Timeout 480) instead of its "
        "job's GlueVersion and Timeout.",
        ("response.job.reflected", "response.timeout.default"),
        probe=Probe(
            lambda c: c.run(*_shell_run(c))["GlueVersion"],
            "3.0",
            "5.1",
        ),
    ),
    Fault(
        UPDATE_JOB_IGNORED,
        "UpdateJob is answered but not applied: a run started after it reports the job as it "
        "was created.",
        ("response.job.reflected",),
        probe=Probe(lambda c: c.run(*_updated_run(c))["GlueVersion"], "3.0", "4.0"),
    ),
    Fault(
        NON_OVERRIDABLE_ARGUMENTS_ECHOED,
        "A run reports its job's NonOverridableArguments merged over its own Arguments.",
        ("response.arguments.own", "response.arguments.echoed"),
        probe=Probe(
            lambda c: (
                lambda n: c.run(n, p.start_run(c, n, Arguments={"--fixed": "run"}))["Arguments"]
            )(p.create_job(c, NonOverridableArguments={"--fixed": "job"})),
            {"--fixed": "run"},
            {"--fixed": "job"},
        ),
    ),
    Fault(
        LONG_ARGUMENT_VALUES_TRUNCATED,
        f"Argument values longer than {TRUNCATED_AT} characters are cut to {TRUNCATED_AT}.",
        ("response.arguments.own", "response.arguments.echoed"),
        probe=Probe(
            lambda c: len(c.run(*c.job({"--long": "a" * 10000}))["Arguments"]["--long"]),
            10000,
            TRUNCATED_AT,
        ),
    ),
    Fault(
        LONG_JOB_NAMES_REFUSED,
        f"CreateJob refuses a Name longer than {SHORT_NAME_MAX} characters with "
        "ValidationException (NameString allows 255).",
        ("lifecycle.domain-accepted",),
        probe=Probe(
            lambda c: (
                c.send(
                    "CreateJob", {"Name": _unique("n" * 200), "Role": "r", "Command": {"Name": "x"}}
                ).status
            ),
            200,
            400,
        ),
    ),
    Fault(
        RAY_JOBS_REFUSED,
        "CreateJob refuses Command.Name 'glueray' with ValidationException (an emulator that "
        "knows only the Spark and Python shell kinds).",
        ("lifecycle.domain-accepted",),
        probe=Probe(
            lambda c: (
                c.send(
                    "CreateJob",
                    {"Name": _unique("ray"), "Role": "r", "Command": {"Name": "glueray"}},
                ).status
            ),
            200,
            400,
        ),
    ),
    Fault(
        RETRY_NAMES_FIRST_RUN,
        "A retry of a retry reports the first run of the chain as its PreviousRunId.",
        ("response.previous-run-id",),
        probe=Probe(_retry_chain_previous, "second", "first"),
    ),
    Fault(
        NEWER_WORKER_TYPES_IGNORED,
        "A StartJobRun WorkerType of G.12X, G.16X or R.* is ignored: the run reports its job's.",
        ("response.run.overrides",),
        probe=Probe(
            lambda c: (
                lambda n: c.run(n, p.start_run(c, n, WorkerType="R.1X", NumberOfWorkers=2))[
                    "WorkerType"
                ]
            )(p.create_job(c, WorkerType="G.1X", NumberOfWorkers=2)),
            "R.1X",
            "G.1X",
        ),
    ),
]

_DOMAIN_VARIANTS = [
    Variant(
        EARLIER_RUNS_SHOW_UPDATE,
        "A run started before an UpdateJob reports the job as updated (which definition an "
        "earlier run shows is not known: evidence section 11 covers the run as started).",
        probe=Probe(_earlier_run_after_update, "4.0", "3.0"),
    ),
    Variant(
        PYTHONSHELL_NO_WORKERS,
        "A Python shell run has no WorkerType and no NumberOfWorkers (it has a MaxCapacity).",
        probe=Probe(lambda c: "WorkerType" in c.run(*_shell_run(c)), True, False),
    ),
    Variant(
        ARGUMENTS_REORDERED,
        "JobRun.Arguments lists its keys in another order than StartJobRun gave them.",
        probe=Probe(
            lambda c: list(c.run(*c.job({"--a": "1", "--b": "2"}))["Arguments"]),
            ["--a", "--b"],
            ["--b", "--a"],
        ),
    ),
]


def _astral_job(c: p.Client) -> str:
    name = _unique("astral-\U0001f680")
    c.ok("CreateJob", {"Name": name, "Role": "role", "Command": {"Name": "glueetl"}})
    return name


def _shell_run(c: p.Client) -> tuple[str, str]:
    name = p.create_job(
        c,
        Command={"Name": "pythonshell"},
        GlueVersion="3.0",
        MaxCapacity=0.0625,
        Timeout=20,
    )
    return name, p.start_run(c, name)


def _updated_run(c: p.Client) -> tuple[str, str]:
    name = p.create_job(c, GlueVersion="4.0", Timeout=20)
    update = {"Role": "role", "Command": {"Name": "glueetl"}, "GlueVersion": "3.0"}
    c.ok("UpdateJob", {"JobName": name, "JobUpdate": update})
    return name, p.start_run(c, name)


_FAULTS += _DOMAIN_FAULTS
_VARIANTS += _DOMAIN_VARIANTS
FAULTS.update({fault.name: fault for fault in _DOMAIN_FAULTS})
VARIANTS.update({variant.name: variant for variant in _DOMAIN_VARIANTS})


# --- issue 26 (histories, page bounds, stops, relations in time) ----------------------------
# A block of its own: the faults and variants of the runs' whole domain (see
# conformance/domain_runs.py for the tour that kills them).
LISTING_DROPS_PAST_100 = "listing-drops-past-100"
MAX_RESULTS_OVER_100_REFUSED = "max-results-over-100-refused"
STOP_ENDED_RUN_STOPPED = "stop-ended-run-stopped"
STOP_FOREIGN_RUN = "stop-foreign-run"
STOP_UNKNOWN_ID_SUBMITTED = "stop-unknown-id-submitted"
STOP_ANSWER_LISTS_EVERY_ID = "stop-answer-lists-every-id"
COMPLETED_ON_DRIFTS = "completed-on-drifts"
EXECUTION_TIME_KEEPS_COUNTING = "execution-time-keeps-counting"
STARTED_ON_OF_FIRST_RUN = "started-on-of-first-run"
RUN_ID_PER_SECOND = "run-id-per-second"
EMPTY_LISTING_WITHOUT_KEY = "empty-listing-without-key"
PAGE_CAPPED_AT_100 = "page-capped-at-100"
ONE_CONNECTION_HTTP10 = "one-connection-http10"

_FAULTS_OF_THE_RUNS_DOMAIN = [
    Fault(
        LISTING_DROPS_PAST_100,
        "GetJobRuns lists a job's 100 newest runs only, at any page size: older runs are gone "
        "from the listing (a history kept in a fixed-size buffer).",
        ("lifecycle.runs-listed",),
        probe=Probe(lambda c: p.history_listed(c, 101, 200), 101, 100),
    ),
    Fault(
        MAX_RESULTS_OVER_100_REFUSED,
        "GetJobRuns refuses MaxResults above 100 with a ValidationException (the model allows "
        "1-200: evidence section 17).",
        ("lifecycle.runs-listed",),
        probe=Probe(lambda c: p.listing(c, MaxResults=200), 200, 400),
    ),
    Fault(
        STOP_ENDED_RUN_STOPPED,
        "BatchStopJobRun of a run that already ended submits it and turns it STOPPED.",
        ("lifecycle.transitions", "lifecycle.ended-unchanged"),
        probe=Probe(lambda c: p.ended_after_stop(c)["JobRunState"], "SUCCEEDED", "STOPPED"),
    ),
    Fault(
        STOP_FOREIGN_RUN,
        "BatchStopJobRun finds a run by its id under any job: another job's run named in the "
        "stop is submitted and stopped.",
        ("lifecycle.stop-answer",),
        clause="foreign",
        probe=Probe(p.foreign_stop, (0, 1), (1, 0)),
    ),
    Fault(
        STOP_UNKNOWN_ID_SUBMITTED,
        "BatchStopJobRun lists an id no run has in SuccessfulSubmissions.",
        ("lifecycle.stop-answer",),
        clause="unknown",
        probe=Probe(lambda c: p.stop_lists(c, "jr_" + "9" * 64), (0, 1), (1, 0)),
    ),
    Fault(
        STOP_ANSWER_LISTS_EVERY_ID,
        "BatchStopJobRun lists every id it was given in SuccessfulSubmissions, and those it "
        "could not stop in Errors as well.",
        ("lifecycle.stop-answer",),
        clause="once",
        probe=Probe(lambda c: p.stop_lists(c, "jr_" + "9" * 64), (0, 1), (1, 1)),
    ),
    Fault(
        COMPLETED_ON_DRIFTS,
        "An ended run's CompletedOn and LastModifiedOn are the time it was last read (equal to "
        "each other, within the time the client saw pass): they move on after the end.",
        ("lifecycle.ended-unchanged",),
        probe=Probe(p.completed_on_moves, False, True),
    ),
    Fault(
        EXECUTION_TIME_KEEPS_COUNTING,
        "ExecutionTime counts on from StartedOn after the run ended.",
        ("lifecycle.ended-unchanged", "response.execution-time.bounded"),
        probe=Probe(p.execution_time_moves, False, True),
    ),
    Fault(
        STARTED_ON_OF_FIRST_RUN,
        "Every run of a job reports the StartedOn of the job's first run (kept on the job).",
        ("lifecycle.started-on.spacing", "lifecycle.timestamps.elapsed"),
        probe=Probe(p.started_on_spread, True, False),
    ),
    Fault(
        RUN_ID_PER_SECOND,
        "Run ids are derived from the job name and the second the run started: runs started "
        "back to back get the same id, and the later one replaces the earlier.",
        ("lifecycle.run-id.fresh",),
        probe=Probe(p.distinct_ids, 3, 1),
    ),
]
_VARIANTS_OF_THE_RUNS_DOMAIN = [
    Variant(
        EMPTY_LISTING_WITHOUT_KEY,
        "GetJobRuns of a job with no runs answers {} (JobRuns is not a required member).",
        probe=Probe(p.empty_listing_keys, ["JobRuns"], []),
    ),
    Variant(
        PAGE_CAPPED_AT_100,
        "MaxResults above 100 gets pages of 100 with a NextToken (a page may hold fewer runs "
        "than MaxResults: evidence section 17).",
        probe=Probe(lambda c: p.history_first_page(c, 101, 200), (101, False), (100, True)),
    ),
    Variant(
        ONE_CONNECTION_HTTP10,
        "The server answers over HTTP/1.0, one connection at a time, closing each after one "
        "answer.",
        probe=Probe(p.http_version, "HTTP/1.1", "HTTP/1.0"),
    ),
]
FAULTS.update((fault.name, fault) for fault in _FAULTS_OF_THE_RUNS_DOMAIN)
VARIANTS.update((variant.name, variant) for variant in _VARIANTS_OF_THE_RUNS_DOMAIN)


# --- issue 34 (what the evidence allows that the suite called wrong) ------------------------
# Each is a page, an answer or a delay the model or the evidence leaves open; a suite that
# fails against one gates an emulator's CI on a false alarm.
PAGES_OF_TWO = "pages-of-two"
LARGE_STATE_DETAIL = "large-state-detail"
RETRY_TAKES_OVER_SETTINGS = "retry-takes-over-settings"
LISTING_LAGS_A_SECOND = "listing-lags-a-second"
LARGE_STATE_DETAIL_LENGTH = 200_000  # half of JobRun.StateDetail's model maximum (400,000)
LISTING_LAG_S = 1.0  # listing-lags-a-second: how long a new run stays out of GetJobRuns


def _retry_of_retry_worker_type(c: p.Client) -> str:
    name = p.create_job(c, WorkerType="G.1X", NumberOfWorkers=2)
    first = p.start_run(c, name, WorkerType="G.2X", NumberOfWorkers=2)
    second = p.start_run(c, name, JobRunId=first)
    third = p.start_run(c, name, JobRunId=second)
    worker_type: str = c.run(name, third)["WorkerType"]
    return worker_type


def _listed_at_once(c: p.Client) -> bool:
    name, run_id = c.job()
    return run_id in [r["Id"] for r in c.ok("GetJobRuns", {"JobName": name})["JobRuns"]]


_VARIANTS_OF_THE_VERDICTS = [
    Variant(
        PAGES_OF_TWO,
        "GetJobRuns answers pages of at most 2 runs, whatever MaxResults says (a page may hold "
        "fewer runs than MaxResults: evidence section 17); a history of 101 runs takes 51 pages.",
        probe=Probe(lambda c: p.listed_in_pages(c, 3), (3, 1), (3, 2)),
    ),
    Variant(
        LARGE_STATE_DETAIL,
        f"Every JobRun carries a StateDetail of {LARGE_STATE_DETAIL_LENGTH:,} characters (the "
        "model allows 400,000): a page of 200 runs is about 40 MB.",
        probe=Probe(
            lambda c: len(c.run(*c.job()).get("StateDetail", "")), 0, LARGE_STATE_DETAIL_LENGTH
        ),
    ),
    Variant(
        RETRY_TAKES_OVER_SETTINGS,
        "A manual retry that names no overrides runs with the settings and Arguments of the "
        "run it retries, so a retry of a retry reports what the first run was given (what a "
        "retry takes over is not known: evidence section 14).",
        probe=Probe(_retry_of_retry_worker_type, "G.1X", "G.2X"),
    ),
    Variant(
        LISTING_LAGS_A_SECOND,
        f"GetJobRuns lists a run {LISTING_LAG_S:g} s after StartJobRun answered (no evidence "
        "says GetJobRuns reads its own writes: section 17); GetJobRun finds it at once.",
        probe=Probe(_listed_at_once, True, False),
    ),
]
_VARIANTS += _VARIANTS_OF_THE_VERDICTS
VARIANTS.update((variant.name, variant) for variant in _VARIANTS_OF_THE_VERDICTS)


# --- members read only once the job is found (issue #34: a false "fixed") -------------------
VALIDATES_AFTER_LOOKUP = "validates-after-lookup"


def _read_after_lookup(c: p.Client) -> tuple[int, int, int]:
    """A number NextToken and an empty RunId, each beside a job that exists, then the number
    NextToken beside one that does not."""
    name, _ = c.job()
    return (
        c.send("GetJobRuns", {"JobName": name, "NextToken": 5}).status,
        c.send("GetJobRun", {"JobName": name, "RunId": ""}).status,
        c.send("GetJobRuns", {"JobName": "no-such-job", "NextToken": 5}).status,
    )


_FAULTS_OF_THE_LOOKUP = [
    Fault(
        VALIDATES_AFTER_LOOKUP,
        "GetJobRun and GetJobRuns look the job up before they read the other members: for a job "
        "that does not exist the answer is as AWS's, but beside one that exists a member of the "
        "wrong JSON type, or a string member breaking its constraints, crashes the handler: an "
        "HTML 500 (as moto 5.2.6 answers a number NextToken of an existing job).",
        (
            "validation.type-mismatch",
            "validation.scalar-for-string",
            "validation.status.400",
            "validation.error-type",
            "validation.property.invalid-requests",
            "protocol.property.envelope",
        ),
        probe=Probe(_read_after_lookup, (400, 400, 400), (500, 500, 400)),
    ),
]
_FAULTS += _FAULTS_OF_THE_LOOKUP
FAULTS.update((fault.name, fault) for fault in _FAULTS_OF_THE_LOOKUP)


# --- the server side of awsJson1_1 (issue #35 item 6; evidence 24) ---------------------------
CONTENT_TYPE_PARAMETERS_REFUSED = "content-type-parameters-refused"
NULL_OPTIONAL_REFUSED = "null-optional-refused"
NULL_REQUIRED_TYPE_ERROR = "null-required-type-error"
NULL_IN_JOB_RUN = "null-in-job-run"
NULL_NEXT_TOKEN = "null-next-token"


def _with_charset(c: p.Client) -> tuple[int, int]:
    """GetJobRun of a run that exists, sent with a charset parameter, then GetJobRuns of its
    job."""
    name, run_id = c.job()
    run = c.send("GetJobRun", {"JobName": name, "RunId": run_id}, content_type=p.CHARSET_JSON_11)
    runs = c.send("GetJobRuns", {"JobName": name}, content_type=p.CHARSET_JSON_11)
    return run.status, runs.status


def _nulls_of_a_first_run(c: p.Client) -> list[str]:
    name, run_id = c.job()
    body = c.send("GetJobRun", {"JobName": name, "RunId": run_id}).json
    return sorted(k for k, v in body["JobRun"].items() if v is None)


def _last_page_keys(c: p.Client) -> list[str]:
    return sorted(c.send("GetJobRuns", {"JobName": c.job()[0]}).json)


_FAULTS_OF_THE_SERVER_SIDE = [
    Fault(
        CONTENT_TYPE_PARAMETERS_REFUSED,
        "A Content-Type with a parameter (application/x-amz-json-1.1; charset=utf-8) is refused "
        "with 415 UnsupportedMediaTypeException: the header is compared as a whole string.",
        ("protocol.content-type.parameters",),
        probe=Probe(_with_charset, (200, 200), (415, 415)),
    ),
    Fault(
        NULL_OPTIONAL_REFUSED,
        "An optional member sent as null (PredecessorsIncluded, MaxResults, NextToken) is read as "
        "a value and refused as a type mismatch: 400 SerializationException.",
        ("protocol.null.read-as-absent",),
        clause="optional",
        probe=Probe(lambda c: p.listing(c, MaxResults=None), 200, 400),
    ),
    Fault(
        NULL_REQUIRED_TYPE_ERROR,
        "A required member sent as null (JobName, RunId) is read as a value and refused as a "
        "type mismatch, 400 SerializationException, not as missing (ValidationException 'Member "
        "must not be null').",
        ("protocol.null.read-as-absent",),
        clause="required",
        probe=Probe(
            lambda c: c.send("GetJobRuns", {"JobName": None}).type,
            "ValidationException",
            "SerializationException",
        ),
    ),
    Fault(
        NULL_IN_JOB_RUN,
        "Every JobRun, from GetJobRun and from GetJobRuns, writes the members it has no value "
        "for as null: ErrorMessage and PreviousRunId on a first run that did not fail.",
        ("protocol.null.never-sent", "response.schema", "response.attempt.first"),
        probe=Probe(_nulls_of_a_first_run, [], ["ErrorMessage", "PreviousRunId"]),
    ),
    Fault(
        NULL_NEXT_TOKEN,
        "The last page of GetJobRuns carries NextToken: null instead of no NextToken.",
        ("protocol.null.never-sent",),
        probe=Probe(_last_page_keys, ["JobRuns"], ["JobRuns", "NextToken"]),
    ),
]
_FAULTS += _FAULTS_OF_THE_SERVER_SIDE
FAULTS.update((fault.name, fault) for fault in _FAULTS_OF_THE_SERVER_SIDE)


# --- issue 35: the concurrency limit and job run queuing (evidence 24) ----------------------
CONCURRENCY_LIMIT_IGNORED = "concurrency-limit-ignored"
CONCURRENCY_OFF_BY_ONE = "concurrency-off-by-one"
CONCURRENCY_DEFAULT_UNLIMITED = "concurrency-default-unlimited"
CONCURRENCY_COUNTS_ENDED_RUNS = "concurrency-counts-ended-runs"
CONCURRENCY_LIMIT_FIXED_AT_CREATE = "concurrency-limit-fixed-at-create"
CONCURRENCY_WRONG_ERROR = "concurrency-wrong-error"
QUEUING_IGNORED = "queuing-ignored"
QUEUING_JOB_VALUE_WINS = "queuing-job-value-wins"
CONCURRENCY_MESSAGE_MOTO = "concurrency-message-moto"
STATE_DETAIL_OTHER_WORDING = "state-detail-other-wording"
WAITING_WITHOUT_STARTED_ON = "waiting-without-started-on"


def _starts(c: p.Client, name: str, count: int, **start: Any) -> tuple[int, ...]:
    """The statuses of `count` StartJobRuns of `name`, back to back (none ends meanwhile)."""
    return tuple(c.send("StartJobRun", {"JobName": name, **start}).status for _ in range(count))


def _limited_job(c: p.Client, limit: int | None = 1, **job: Any) -> str:
    """A job with MaxConcurrentRuns `limit` (None: no ExecutionProperty at all)."""
    if limit is not None:
        return p.create_job(c, ExecutionProperty={"MaxConcurrentRuns": limit}, **job)
    name = _unique("unlimited")
    c.ok("CreateJob", {"Name": name, "Role": "role", "Command": {"Name": "glueetl"}, **job})
    return name


def _start_after_end(c: p.Client) -> int:
    name = _limited_job(c)
    c.until_terminal(name, p.start_run(c, name))
    return c.send("StartJobRun", {"JobName": name}).status


def _start_after_raise(c: p.Client) -> int:
    name = _limited_job(c)
    p.start_run(c, name)
    update = {"Role": "role", "Command": {"Name": "glueetl"}}
    c.ok(
        "UpdateJob",
        {"JobName": name, "JobUpdate": {**update, "ExecutionProperty": {"MaxConcurrentRuns": 2}}},
    )
    return c.send("StartJobRun", {"JobName": name}).status


def _refusal(c: p.Client) -> tuple[str | None, str | None]:
    name = _limited_job(c)
    p.start_run(c, name)
    reply = c.send("StartJobRun", {"JobName": name})
    return reply.type, (reply.message or "").replace(name, "<job>")


def _queued(c: p.Client, job_queuing: bool) -> tuple[int, str | None]:
    name = _limited_job(c, JobRunQueuingEnabled=job_queuing)
    p.start_run(c, name)
    reply = c.send("StartJobRun", {"JobName": name, "JobRunQueuingEnabled": True})
    state = c.run(name, reply.json["JobRunId"])["JobRunState"] if reply.status == 200 else None
    return reply.status, state


def _waiting_view(c: p.Client) -> tuple[str | None, bool]:
    name = _limited_job(c)
    p.start_run(c, name)
    run = c.run(name, p.start_run(c, name, JobRunQueuingEnabled=True))
    return run.get("StateDetail"), "StartedOn" in run


_FAULTS_OF_THE_LIMIT = [
    Fault(
        CONCURRENCY_LIMIT_IGNORED,
        "MaxConcurrentRuns is not enforced: every StartJobRun is accepted (as ministack).",
        ("lifecycle.concurrency.limit",),
        clause="limit",
        probe=Probe(lambda c: _starts(c, _limited_job(c), 3), (200, 400, 400), (200, 200, 200)),
    ),
    Fault(
        CONCURRENCY_OFF_BY_ONE,
        "The limit is checked with '>' one too late: MaxConcurrentRuns + 1 runs go at once.",
        ("lifecycle.concurrency.limit",),
        clause="limit",
        probe=Probe(lambda c: _starts(c, _limited_job(c), 3), (200, 400, 400), (200, 200, 400)),
    ),
    Fault(
        CONCURRENCY_DEFAULT_UNLIMITED,
        "A job without ExecutionProperty has no limit (the model's default is 1).",
        ("lifecycle.concurrency.limit",),
        clause="limit",
        probe=Probe(lambda c: _starts(c, _limited_job(c, None), 2), (200, 400), (200, 200)),
    ),
    Fault(
        CONCURRENCY_COUNTS_ENDED_RUNS,
        "Every run the job ever had counts against the limit, ended ones too: once the limit's "
        "runs have ended, a start is still refused.",
        ("lifecycle.concurrency.limit",),
        clause="freed",
        probe=Probe(_start_after_end, 200, 400),
    ),
    Fault(
        CONCURRENCY_LIMIT_FIXED_AT_CREATE,
        "The limit is read once, at CreateJob: UpdateJob's new MaxConcurrentRuns is stored but "
        "the starts after it are held to the old one.",
        ("lifecycle.concurrency.limit",),
        clause="freed",
        probe=Probe(_start_after_raise, 200, 400),
    ),
    Fault(
        CONCURRENCY_WRONG_ERROR,
        "A start beyond the limit is refused with ResourceNumberLimitExceededException, not "
        "ConcurrentRunsExceededException.",
        ("lifecycle.concurrency.limit",),
        clause="type",
        probe=Probe(
            lambda c: _refusal(c)[0],
            "ConcurrentRunsExceededException",
            "ResourceNumberLimitExceededException",
        ),
    ),
    Fault(
        QUEUING_IGNORED,
        "JobRunQueuingEnabled is ignored: a start beyond the limit is refused however queuing "
        "is set (as moto).",
        ("lifecycle.queuing.accepted",),
        probe=Probe(lambda c: _queued(c, True), (200, "WAITING"), (400, None)),
    ),
    Fault(
        QUEUING_JOB_VALUE_WINS,
        "The job's JobRunQueuingEnabled wins over the run's: a job with false refuses a start "
        "with true beyond the limit.",
        ("lifecycle.queuing.accepted",),
        probe=Probe(lambda c: _queued(c, False), (200, "WAITING"), (400, None)),
    ),
]
_VARIANTS_OF_THE_LIMIT = [
    Variant(
        CONCURRENCY_MESSAGE_MOTO,
        "The refusal says 'Job with name <job> already running' (moto's text, getmoto/moto#5402).",
        probe=Probe(
            lambda c: _refusal(c)[1],
            "Concurrent runs exceeded for <job>",
            "Job with name <job> already running",
        ),
    ),
    Variant(
        STATE_DETAIL_OTHER_WORDING,
        "A queued run's StateDetail has other words (no capture shows AWS's).",
        probe=Probe(
            lambda c: _waiting_view(c)[0],
            "Job run is waiting: max concurrent job runs per job exceeded.",
            "Waiting for capacity (MaxConcurrentRuns reached).",
        ),
    ),
    Variant(
        WAITING_WITHOUT_STARTED_ON,
        "A queued run has no StartedOn while it is WAITING (it has not started yet).",
        probe=Probe(lambda c: _waiting_view(c)[1], True, False),
    ),
]
_FAULTS += _FAULTS_OF_THE_LIMIT
_VARIANTS += _VARIANTS_OF_THE_LIMIT
FAULTS.update((fault.name, fault) for fault in _FAULTS_OF_THE_LIMIT)
VARIANTS.update((variant.name, variant) for variant in _VARIANTS_OF_THE_LIMIT)


# --- issue 35: capacity, ExecutionClass, DeleteJob (evidence section 24) ---------------------
CAPACITY_NOT_BY_DPU = "capacity-not-by-dpu"
DELETE_UNKNOWN_JOB_REFUSED = "delete-unknown-job-refused"
DELETED_JOB_RUNS_READABLE = "deleted-job-runs-readable"
FLEX_ELSEWHERE_REFUSED = "flex-elsewhere-refused"
FLEX_NOT_REPORTED = "flex-not-reported"
DPU_SECONDS_REPORTED = "dpu-seconds-reported"
OTHER_WORKER_CAPACITY_AS_COUNT = "other-worker-capacity-as-count"
# Worker types whose capacity a capture shows (evidence section 24): the variant above bends the
# others only.
CAPTURED_WORKER_TYPES = frozenset({"G.1X", "G.2X"})


def _capacity_of(c: p.Client, kind: str) -> tuple[Any, Any]:
    name = p.create_job(c, GlueVersion="3.0", WorkerType=kind, NumberOfWorkers=6)
    run = c.run(name, p.start_run(c, name))
    return run["AllocatedCapacity"], run["MaxCapacity"]


def _deleted_run_status(c: p.Client) -> int:
    name = p.create_job(c)
    run_id = p.start_run(c, name)
    c.ok("DeleteJob", {"JobName": name})
    return c.send("GetJobRun", {"JobName": name, "RunId": run_id}).status


def _flex_glue2_status(c: p.Client) -> int:
    job = {"Name": _unique("flex"), "Role": "r", "Command": {"Name": "glueetl"}}
    return c.send("CreateJob", {**job, "GlueVersion": "2.0", "ExecutionClass": "FLEX"}).status


_FAULTS_OF_CAPACITY_AND_DELETION = [
    Fault(
        CAPACITY_NOT_BY_DPU,
        "AllocatedCapacity and MaxCapacity are NumberOfWorkers whatever the worker type: a G.2X "
        "run of 6 workers reports 6, not 12 (the capture of evidence section 24).",
        ("response.capacity.workers",),
        probe=Probe(lambda c: _capacity_of(c, "G.2X"), (12, 12.0), (6, 6.0)),
    ),
    Fault(
        DELETE_UNKNOWN_JOB_REFUSED,
        "DeleteJob of a job that does not exist is refused with EntityNotFoundException (the "
        "model: no exception is thrown).",
        ("not-found.delete-unknown-job",),
        probe=Probe(
            lambda c: c.send("DeleteJob", {"JobName": _unique("never-created")}).status, 200, 400
        ),
    ),
]
_VARIANTS_OF_CAPACITY_AND_DELETION = [
    Variant(
        DELETED_JOB_RUNS_READABLE,
        "A deleted job's runs are still read by GetJobRun and listed by GetJobRuns (not "
        "captured: evidence section 24).",
        probe=Probe(_deleted_run_status, 400, 200),
    ),
    Variant(
        FLEX_ELSEWHERE_REFUSED,
        "ExecutionClass FLEX on a job that is not glueetl of Glue 3.0 or later is refused with "
        "InvalidInputException, at CreateJob and at StartJobRun (the answer is not captured).",
        probe=Probe(_flex_glue2_status, 200, 400),
    ),
    Variant(
        FLEX_NOT_REPORTED,
        "A FLEX run reports no ExecutionClass (no capture shows a FLEX run).",
        probe=Probe(
            lambda c: c.run(
                *(lambda n: (n, p.start_run(c, n)))(
                    p.create_job(c, GlueVersion="3.0", ExecutionClass="FLEX")
                )
            ).get("ExecutionClass"),
            "FLEX",
            None,
        ),
    ),
    Variant(
        DPU_SECONDS_REPORTED,
        "An ended run reports DPUSeconds, half of ExecutionTime x MaxCapacity (the model: set "
        "for FLEX or Auto Scaling runs, and possibly less).",
        probe=Probe(lambda c: "DPUSeconds" in c.finished(), False, True),
    ),
    Variant(
        OTHER_WORKER_CAPACITY_AS_COUNT,
        "A run of a worker type no capture covers (G.4X, R.*, Z.2X, G.025X...) reports "
        "NumberOfWorkers as its capacity.",
        probe=Probe(lambda c: _capacity_of(c, "G.4X"), (24, 24.0), (6, 6.0)),
    ),
]
_FAULTS += _FAULTS_OF_CAPACITY_AND_DELETION
_VARIANTS += _VARIANTS_OF_CAPACITY_AND_DELETION
FAULTS.update((fault.name, fault) for fault in _FAULTS_OF_CAPACITY_AND_DELETION)
VARIANTS.update((variant.name, variant) for variant in _VARIANTS_OF_CAPACITY_AND_DELETION)
