"""An in-memory AWS Glue endpoint (AWS JSON 1.1) that behaves as the recorded evidence says.

It is the suite's control experiment: with no switches set, every strict check must pass against
it; with one seeded fault, at least one of the fault's `kills` must fail; with any tolerated
variant, nothing may fail. It shares the botocore model and the Java-regex translator with the
suite, never the checks, so a bug in a check cannot hide behind the same bug here.

Standard library only: `ThreadingHTTPServer` on HTTP/1.1 with keep-alive, so a pooled client sees
what it would see from a real endpoint (Content-Length on every answer, connections reused).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import math
import secrets
import select
import socket
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from glue_conformance.reference.catalogue import (  # every switch this module tests
    ARGUMENT_VALUES_TRIMMED,
    ARGUMENTS_DROPPED,
    ARGUMENTS_EMPTY_OBJECT,
    ARGUMENTS_OF_NEWEST_RUN,
    ARGUMENTS_REORDERED,
    ASTRAL_NAMES_MANGLED_IN_LISTING,
    ASTRAL_REJECTED,
    ATTEMPT_GROWS_PER_POLL,
    ATTEMPT_STARTS_AT_ONE,
    ATTEMPT_STRING,
    AUTH_403,
    CAPACITY_NOT_BY_DPU,
    CAPTURED_WORKER_TYPES,
    CLOCK_MINUTES_OFF,
    COMPLETED_BEFORE_STARTED,
    COMPLETED_ON_DIFFERS,
    COMPLETED_ON_DRIFTS,
    CONCURRENCY_COUNTS_ENDED_RUNS,
    CONCURRENCY_DEFAULT_UNLIMITED,
    CONCURRENCY_LIMIT_FIXED_AT_CREATE,
    CONCURRENCY_LIMIT_IGNORED,
    CONCURRENCY_MESSAGE_MOTO,
    CONCURRENCY_OFF_BY_ONE,
    CONCURRENCY_WRONG_ERROR,
    CONTENT_TYPE_PARAMETERS_REFUSED,
    DEFAULT_ARGUMENTS_MERGED,
    DELETE_UNKNOWN_JOB_REFUSED,
    DELETED_JOB_RUNS_READABLE,
    DIRECT_RUN_LISTS_PREDECESSOR,
    DPU_SECONDS_REPORTED,
    DROPS_CONNECTION,
    EARLIER_RUNS_SHOW_UPDATE,
    EMPTY_BODY_500,
    EMPTY_BODY_AS_EMPTY_OBJECT,
    EMPTY_CONTAINERS_DROPPED,
    EMPTY_LISTING_WITHOUT_KEY,
    ERROR_TYPE_CODE_MEMBER,
    ERROR_TYPE_HEADER,
    ERROR_TYPE_HEADER_ONLY,
    ERROR_WITHOUT_TYPE,
    EXECUTION_TIME_FIXED,
    EXECUTION_TIME_FLOAT,
    EXECUTION_TIME_IN_MILLIS,
    EXECUTION_TIME_KEEPS_COUNTING,
    EXTRA_RESPONSE_MEMBERS,
    FAULTS,
    FLEX_ELSEWHERE_REFUSED,
    FLEX_NOT_REPORTED,
    FOUND_RUN_500,
    GET_JOB_RUNS_ERRORS_AS_JSON,
    GET_JOB_RUNS_MALFORMED_NOT_FOUND,
    GET_JOB_RUNS_TYPES_COERCED,
    GLUE_VERSION_FIXED,
    HTML_ERRORS,
    INTEGER_SCALARS_COERCED,
    INTEGRAL_TIMESTAMPS,
    INVALID_UTF8_500,
    ISO_TIMESTAMPS,
    JOB_LOOKUP_CASE_INSENSITIVE,
    JOB_NAMES_NORMALISED,
    JOB_NAMES_STRIPPED,
    JSON_CONTENT_TYPE,
    LARGE_STATE_DETAIL,
    LARGE_STATE_DETAIL_LENGTH,
    LAST_MODIFIED_GOES_BACK,
    LENGTH_IN_BYTES,
    LENGTH_IN_GRAPHEMES,
    LENGTH_OFF_BY_ONE,
    LISTING_ARGUMENTS_MERGED,
    LISTING_DROPS_PAST_100,
    LISTING_FOREIGN_RUNS,
    LISTING_LAG_S,
    LISTING_LAGS_A_SECOND,
    LISTING_OVERRIDES_LOST,
    LISTING_STATE_LAGS,
    LISTING_TIMESTAMPS_STRINGS,
    LONE_SURROGATES_ACCEPTED,
    LONG_ARGUMENT_VALUES_TRUNCATED,
    LONG_JOB_NAMES_REFUSED,
    MALFORMED_JSON_500,
    MAX_RESULTS_IGNORED,
    MAX_RESULTS_OVER_100_REFUSED,
    MAX_RESULTS_STRING_ACCEPTED,
    MAX_RESULTS_UNCHECKED,
    MESSAGE_KEY_SWAPPED,
    MISSING_ID,
    MODIFIED_BEFORE_STARTED,
    NAMESPACED_ERROR_TYPE,
    NEWER_WORKER_TYPES,
    NEWER_WORKER_TYPES_IGNORED,
    NO_AUTH_CHECK,
    NO_LENGTH_CHECK,
    NO_REQUEST_ID,
    NO_REQUIRED_CHECK,
    NON_FINITE_NUMBERS_ACCEPTED,
    NON_OBJECT_BODY_500,
    NON_OBJECT_BODY_VALIDATION,
    NON_OVERRIDABLE_ARGUMENTS_ECHOED,
    NOT_FOUND_404,
    NOT_FOUND_500,
    NOT_FOUND_EMPTY_MESSAGE,
    NOT_FOUND_WRONG_TYPE,
    NOT_HTTP,
    NULL_IN_JOB_RUN,
    NULL_NEXT_TOKEN,
    NULL_OPTIONAL_REFUSED,
    NULL_REQUIRED_TYPE_ERROR,
    ONE_CONNECTION_HTTP10,
    OPTIONAL_MEMBERS_ABSENT,
    OTHER_WORKER_CAPACITY_AS_COUNT,
    OVERSIZED_ANSWER,
    PAGE_CAPPED_AT_100,
    PAGES_OF_TWO,
    PAGING_SKIPS_BOUNDARY_RUN,
    PATTERN_MESSAGE_TRANSLATED,
    PREDECESSOR_RUNS_MALFORMED,
    PREDECESSORS_ABSENT,
    PREDECESSORS_INCLUDED_DROPS_ARGUMENTS,
    PREDECESSORS_INCLUDED_NUMBER_ACCEPTED,
    PREVIOUS_RUN_ID_DROPPED,
    PYTHONSHELL_GLUEETL_DEFAULTS,
    PYTHONSHELL_NO_WORKERS,
    QUEUING_IGNORED,
    QUEUING_JOB_VALUE_WINS,
    RAY_JOBS_REFUSED,
    RETRY_NAMES_FIRST_RUN,
    RETRY_TAKES_OVER_SETTINGS,
    RUN_FAILS,
    RUN_FOUND_UNDER_ANY_JOB,
    RUN_ID_CASE_INSENSITIVE,
    RUN_ID_PER_SECOND,
    RUN_ID_UUID,
    RUN_OVERRIDES_IGNORED,
    RUNS_FINISH_AT_ONCE,
    RUNS_LIST_DIFFERS,
    RUNS_NEVER_FINISH,
    RUNS_NOT_LISTED,
    RUNS_OLDEST_FIRST,
    SCALAR_COERCED,
    SHORT_NAME_MAX,
    SLOW,
    SMALL_DEFAULT_PAGE,
    STALLS,
    STARTED_ON_BACKDATED,
    STARTED_ON_CHANGES,
    STARTED_ON_OF_FIRST_RUN,
    STATE_DETAIL_OTHER_WORDING,
    STATE_OUT_OF_ENUM,
    STOP_ANSWER_LISTS_EVERY_ID,
    STOP_ENDED_RUN_STOPPED,
    STOP_FOREIGN_RUN,
    STOP_IGNORED,
    STOP_NOT_IMPLEMENTED,
    STOP_STOPS_SIBLINGS,
    STOP_UNKNOWN_ID_SUBMITTED,
    STOPPED_COMPLETED_ON_DIFFERS,
    STOPPED_RUN_LOSES_ARGUMENTS,
    SUFFIXED_ERROR_TYPE,
    TAB_READ_AS_SPACE,
    TAB_REJECTED,
    TARGET_PREFIX_IGNORED,
    TERMINAL_STATE_REGRESSES,
    TIMEOUT_DEFAULT_480,
    TIMEOUT_DEFAULT_2880_GLUE5,
    TIMESTAMPS_AS_STRINGS,
    TIMESTAMPS_IN_FUTURE,
    TIMESTAMPS_IN_MILLIS,
    TRAILING_GARBAGE_ACCEPTED,
    TRAILING_NEWLINE_ACCEPTED,
    TRANSPORT_TRIGGERS,
    TRUNCATED_AT,
    TRUNCATED_JSON,
    TYPE_MISMATCH_ACCEPTED,
    UNANCHORED_PATTERN,
    UNKNOWN_OPERATION_200,
    UPDATE_JOB_IGNORED,
    UTF16_LENGTHS,
    VALIDATES_AFTER_LOOKUP,
    VALIDATION_500,
    VALIDATION_FIRST_ERROR_ONLY,
    VALIDATION_INVALID_INPUT,
    VALIDATION_MESSAGE_NO_COUNT,
    VALIDATION_MESSAGE_WRONG_MEMBER,
    VARIANTS,
    WAITING_FIRST,
    WAITING_WITHOUT_STARTED_ON,
    WRONG_ID,
    WRONG_JOB_NAME,
    check_names,
)
from glue_conformance.reference.validation import (
    Options,
    SerializationError,
    deserialize,
    message,
    validate,
)
from glue_conformance.schemas.model import ServiceModel, load, worker_dpu

AWS_JSON_1_1 = "application/x-amz-json-1.1"
OPERATIONS = (
    "CreateJob",
    "UpdateJob",
    "DeleteJob",
    "StartJobRun",
    "GetJobRun",
    "GetJobRuns",
    "BatchStopJobRun",
)
TERMINAL_STATES = frozenset({"SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR", "EXPIRED"})
# Errors raised by the Coral framework before Glue's code runs: lowercase `message` (evidence 3).
FRAMEWORK_NAMESPACE = {
    "SerializationException": "com.amazon.coral.service",
    "UnknownOperationException": "com.amazon.coral.service",
    "MissingAuthenticationTokenException": "com.amazon.coral.service",
    "ValidationException": "com.amazon.coral.validate",
}
GLUE_NAMESPACE = "com.amazonaws.glue"
SLOW_SECONDS = 0.15
# How far a poll winds a run's clock on under per-poll progression: a millisecond, so the run's
# own clock never runs ahead of the world's (a run polled 200 times has existed 0.2 s, and its
# ExecutionTime stays within what the client has seen pass; evidence section 15).
STEP_SECONDS = 0.001
STALL_LIMIT_SECONDS = 120.0  # a stalled answer waits this long at most for the client to go
OVERSIZED_BYTES = 5 * 1024 * 1024
PAGE_SIZE = 100
SMALL_PAGE = 2  # the small-default-page variant's page (the default is unknown: section 17)
BACKDATED_SECONDS = 600.0  # inside the 15-minute clock window, so only elapsed time shows it
CLOCK_OFFSET_SECONDS = 300.0  # the clock-minutes-off variant: a server clock 5 minutes slow
# A queued run's StateDetail (model: "the reason why the job run is in that state"; no capture
# shows AWS's words: the state-detail-other-wording variant has others).
QUEUED_STATE_DETAIL = "Job run is waiting: max concurrent job runs per job exceeded."
QUEUED_STATE_DETAIL_OTHER = "Waiting for capacity (MaxConcurrentRuns reached)."


class GlueError(Exception):
    """An error answer; `framework` decides the message key and the namespace of its type."""

    def __init__(self, type_name: str, text: str | None, status: int = 400) -> None:
        super().__init__(text or type_name)
        self.type_name = type_name
        self.text = text
        self.status = status

    @property
    def framework(self) -> bool:
        return self.type_name in FRAMEWORK_NAMESPACE


_LARGE_STATE_DETAIL = ("The run is waiting for capacity. " * LARGE_STATE_DETAIL_LENGTH)[
    :LARGE_STATE_DETAIL_LENGTH
]


@dataclass
class _Run:
    id: str
    job_name: str
    arguments: dict[str, str] | None  # None: StartJobRun gave none (the key is then absent)
    started_on: float
    seq: int
    settings: dict[str, Any] = field(default_factory=dict)  # StartJobRun's Timeout, WorkerType...
    previous_run_id: str | None = None
    stop_requested_on: float | None = None
    # A stop accepted while the run was going: it ends STOPPED even where the stop lands after
    # the run's own end would have come (per poll, a stop lands one stage on).
    stop_accepted: bool = False
    polls: int = 0
    terminal_polls: int = 0
    clock: float = 0.0  # per-poll progression: this run's own time (see Glue.per_poll)
    job: dict[str, Any] = field(default_factory=dict)  # its job's definition when it started
    # Job run queuing (evidence 24): started beyond its job's limit with queuing on, the run is
    # WAITING until a slot frees (`released_on`: when it left WAITING for STARTING).
    queued: bool = False
    released_on: float | None = None
    queuing: bool | None = None  # its JobRunQueuingEnabled (the run's, else the job's)

    def __post_init__(self) -> None:
        self.clock = self.started_on


@dataclass
class _Answer:
    status: int
    body: bytes
    content_type: str = AWS_JSON_1_1
    headers: dict[str, str] = field(default_factory=dict)


RUN_SETTINGS = (  # StartJobRun's own
    "Timeout",
    "WorkerType",
    "NumberOfWorkers",
    "MaxCapacity",
    "ExecutionClass",
)
REPORTED = ("Timeout", "WorkerType", "NumberOfWorkers", "GlueVersion")  # evidence section 11
DEFAULT_GLUE_VERSION = "5.1"  # botocore's Job.GlueVersion: 'default to Glue 5.1'


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return (0,)


def _over(size: Any, bound: int) -> bool:
    return isinstance(size, int) and not isinstance(size, bool) and size > bound


def _ms(value: float) -> float:
    return round(value, 3)


class Glue:
    """The endpoint's behaviour, independent of HTTP: one request in, one `_Answer` out."""

    def __init__(
        self,
        faults: frozenset[str],
        variants: frozenset[str],
        stage_seconds: float,
        model: ServiceModel | None = None,
    ) -> None:
        self.faults = faults
        self.variants = variants
        # stage_seconds 0: a run moves on one state per GetJobRun of it (as moto does with its
        # state manager set to manual), on a clock of its own that each poll winds on by
        # STEP_SECONDS; otherwise by the wall clock, one state every stage_seconds.
        self.per_poll = stage_seconds == 0
        self.stage = STEP_SECONDS if self.per_poll else stage_seconds
        self.model = model or load("glue")
        self.lock = threading.Lock()
        self.jobs: dict[str, dict[str, Any]] = {}
        self.runs: dict[str, dict[str, _Run]] = {}
        self.created: dict[str, dict[str, Any]] = {}  # each job as CreateJob defined it
        self.seq = 0
        self.options = Options(
            length_unit=(
                "graphemes"
                if LENGTH_IN_GRAPHEMES in faults
                else "utf-8"
                if LENGTH_IN_BYTES in faults
                else "utf-16"
                if UTF16_LENGTHS in variants
                else "code-points"
            ),
            check_length=NO_LENGTH_CHECK not in faults,
            max_length_slack=1 if LENGTH_OFF_BY_ONE in faults else 0,
            check_required=NO_REQUIRED_CHECK not in faults,
            pattern_mode=(
                "search"
                if UNANCHORED_PATTERN in faults
                else "python-dollar"
                if TRAILING_NEWLINE_ACCEPTED in faults
                else "whole"
            ),
            reject_tab=TAB_REJECTED in faults,
            reject_astral=ASTRAL_REJECTED in faults,
            accept_lone_surrogates=LONE_SURROGATES_ACCEPTED in faults,
            model_case_paths=VALIDATION_MESSAGE_WRONG_MEMBER in faults,
            translated_pattern_in_message=PATTERN_MESSAGE_TRANSLATED in faults,
            coerce_scalars_to_string=SCALAR_COERCED in variants,
            coerce_mismatches=TYPE_MISMATCH_ACCEPTED in faults,
            integer_from_string=MAX_RESULTS_STRING_ACCEPTED in faults,
            boolean_from_number=PREDECESSORS_INCLUDED_NUMBER_ACCEPTED in faults,
            coerce_integer_scalars=INTEGER_SCALARS_COERCED in variants,
        )
        # How each operation's input is read: the same everywhere, unless a fault gives one
        # operation a second, more lenient reader (as an emulator whose handlers each parse
        # their own parameters does).
        self.options_for: dict[str, Options] = {}
        if GET_JOB_RUNS_TYPES_COERCED in faults:
            self.options_for["GetJobRuns"] = replace(self.options, coerce_mismatches=True)
        self.handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "CreateJob": self.create_job,
            "UpdateJob": self.update_job,
            "DeleteJob": self.delete_job,
            "StartJobRun": self.start_job_run,
            "GetJobRun": self.get_job_run,
            "GetJobRuns": self.get_job_runs,
            "BatchStopJobRun": self.batch_stop_job_run,
        }

    def transport_fault(self, body: bytes) -> str | None:
        """The transport fault this request sets off, if any (see TRANSPORT_TRIGGERS)."""
        armed = self.faults & TRANSPORT_TRIGGERS.keys()
        if not armed:
            return None
        try:
            name = json.loads(body).get("JobName")
        except (ValueError, AttributeError):
            return None
        return next((f for f in sorted(armed) if TRANSPORT_TRIGGERS[f] == name), None)

    def reset(self) -> None:
        with self.lock:
            self.jobs.clear()
            self.runs.clear()
            self.created.clear()

    # --- the pipeline ------------------------------------------------------------------------

    def handle(self, headers: Any, body: bytes) -> _Answer:
        """Auth, operation, JSON, types, constraints, then the operation, as Coral orders them."""
        try:
            return self._success(self._dispatch(headers, body))
        except GlueError as error:
            answer = self.error_answer(error)
            if (
                GET_JOB_RUNS_ERRORS_AS_JSON in self.faults
                and headers.get("X-Amz-Target") == f"{self.model.target_prefix}.GetJobRuns"
            ):
                answer = replace(answer, content_type="application/json")
            return answer
        except _Raw as raw:
            return raw.answer
        except Exception as crash:  # a bug here must still answer, as AWS would, with a 500
            return self.error_answer(GlueError("InternalServiceException", repr(crash), 500))

    def _dispatch(self, headers: Any, body: bytes) -> dict[str, Any]:
        authorization = headers.get("Authorization") or ""
        signed = authorization.startswith("AWS4-HMAC-SHA256 Credential=") and headers.get(
            "X-Amz-Date"
        )
        if not signed and NO_AUTH_CHECK not in self.faults:
            status = 403 if AUTH_403 in self.variants else 400
            raise GlueError(
                "MissingAuthenticationTokenException", "Missing Authentication Token", status
            )
        sent_type = headers.get("Content-Type") or ""
        if CONTENT_TYPE_PARAMETERS_REFUSED in self.faults and ";" in sent_type:
            raise GlueError("UnsupportedMediaTypeException", f"Unsupported {sent_type}", 415)
        target = headers.get("X-Amz-Target") or ""
        prefix, _, operation = target.partition(".")
        if TARGET_PREFIX_IGNORED in self.faults:  # as moto: the text after the last '.'
            wanted = target.rsplit(".", 1)[-1].lower()
            prefix = self.model.target_prefix
            operation = next((op for op in self.handlers if op.lower() == wanted), operation)
        if prefix != self.model.target_prefix or operation not in self.handlers:
            if UNKNOWN_OPERATION_200 in self.faults:
                raise _Raw(_Answer(200, b"{}"))
            raise GlueError("UnknownOperationException", None)
        request = self._parse(body, operation)
        if EMPTY_CONTAINERS_DROPPED in self.faults:
            request = {k: v for k, v in request.items() if v not in ([], {})}
        shape = self.model.input_shape(operation)
        options = self.options_for.get(operation, self.options)
        if isinstance(request, dict) and {NULL_OPTIONAL_REFUSED, NULL_REQUIRED_TYPE_ERROR} & (
            self.faults
        ):
            required = set(self.model.shape(shape).get("required", ()))
            for member in (k for k, v in request.items() if v is None):
                if (member in required) == (NULL_REQUIRED_TYPE_ERROR in self.faults):
                    raise GlueError("SerializationException", f"null for {member}")
        if VALIDATES_AFTER_LOOKUP in self.faults and self._bad_beside_a_job(
            operation, request, shape, options
        ):
            raise _Raw(_html_500())
        try:
            request = deserialize(self.model, shape, request, options)
        except SerializationError as error:
            raise GlueError("SerializationException", error.message) from None
        violations = validate(self.model, shape, request, options)
        if MAX_RESULTS_UNCHECKED in self.faults:
            violations = [v for v in violations if v.path != "maxResults"]
        if violations:
            if VALIDATION_FIRST_ERROR_ONLY in self.faults:
                violations = violations[:1]
            text = message(violations, count_prefix=VALIDATION_MESSAGE_NO_COUNT not in self.faults)
            kind = (
                "InvalidInputException"
                if VALIDATION_INVALID_INPUT in self.faults
                else "ValidationException"
            )
            raise GlueError(kind, text, 500 if VALIDATION_500 in self.faults else 400)
        return self.handlers[operation](request)

    def _bad_beside_a_job(
        self, operation: str, request: dict[str, Any], shape: str, options: Options
    ) -> bool:
        """validates-after-lookup: the read names a job that exists and has a member of the
        wrong JSON type, or a string member that breaks its constraints (a bad MaxResults is
        still refused: the handler's paginator checks its range)."""
        name = request.get("JobName")
        if operation not in ("GetJobRun", "GetJobRuns") or not isinstance(name, str):
            return False
        if self._name(name) not in self.jobs:
            return False
        try:
            read = deserialize(self.model, shape, request, options)
        except SerializationError:
            return True
        found = validate(self.model, shape, read, options)
        return any(v.value is None or isinstance(v.value, str) for v in found)

    def _parse(self, body: bytes, operation: str) -> Any:
        """The body as the operation's input object; anything else is a SerializationException
        (evidence 7, 8, 9). The faults and variants bend one kind of malformed body each."""
        faults, variants = self.faults, self.variants
        try:
            if not body.strip():
                if EMPTY_BODY_500 in faults:
                    raise _crash()
                if EMPTY_BODY_AS_EMPTY_OBJECT in variants:
                    return {}
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                if INVALID_UTF8_500 in faults:
                    raise _crash() from None
                raise
            request = self._decode(text)
            if not isinstance(request, dict):
                if NON_OBJECT_BODY_500 in faults:
                    raise _crash()
                if NON_OBJECT_BODY_VALIDATION in variants:
                    return {}  # read as no input: the required members are then missing
                raise SerializationError("Start of structure or map expected")
        except (SerializationError, ValueError) as error:
            if MALFORMED_JSON_500 in faults:
                raise _crash() from None
            if operation == "GetJobRuns" and GET_JOB_RUNS_MALFORMED_NOT_FOUND in faults:
                raise self._not_found("Job None not found.") from None  # as moto 5.2 answers
            detail = error.message if isinstance(error, SerializationError) else None
            raise GlueError("SerializationException", detail) from None
        return request

    def _decode(self, text: str) -> Any:
        """JSON text to a value: the whole text, one value, no NaN/Infinity (RFC 8259)."""
        constant: Callable[[str], Any] = _refuse_constant
        if NON_FINITE_NUMBERS_ACCEPTED in self.faults:  # Python's json default, as moto's
            constant = _non_finite_as_text
        if TRAILING_GARBAGE_ACCEPTED in self.faults:  # the first value; the rest ignored
            value, _ = json.JSONDecoder(parse_constant=constant).raw_decode(text.lstrip())
            return value
        return json.loads(text, parse_constant=constant)

    # --- answers -----------------------------------------------------------------------------

    def _success(self, payload: dict[str, Any]) -> _Answer:
        if NULL_IN_JOB_RUN in self.faults:  # as a serializer of every attribute, None included
            for run in [payload.get("JobRun"), *payload.get("JobRuns", ())]:
                if isinstance(run, dict) and run.get("JobRunState") != "FAILED":
                    run.setdefault("ErrorMessage", None)
                if isinstance(run, dict) and not run.get("Attempt"):
                    run.setdefault("PreviousRunId", None)
        if NULL_NEXT_TOKEN in self.faults and "JobRuns" in payload:
            payload.setdefault("NextToken", None)
        if EXTRA_RESPONSE_MEMBERS in self.variants:
            payload = {**payload, "UnmodelledTopLevelMember": {"Nested": [1, "two"]}}
        return _Answer(200, _dump(payload))

    def error_answer(self, error: GlueError) -> _Answer:
        type_name = error.type_name
        if HTML_ERRORS in self.faults:
            page = (
                f"<html><head><title>{error.status} Error</title></head><body>"
                f"<h1>{html.escape(type_name)}</h1><p>{html.escape(error.text or '')}</p>"
                "</body></html>"
            )
            return _Answer(error.status, page.encode("utf-8"), "text/html; charset=utf-8")
        namespace = FRAMEWORK_NAMESPACE.get(type_name, GLUE_NAMESPACE)
        shown = type_name
        if NAMESPACED_ERROR_TYPE in self.variants:
            shown = f"{namespace}#{shown}"
        if SUFFIXED_ERROR_TYPE in self.variants:
            shown = f"{shown}:http://internal.amazon.com/coral/{namespace}/"
        lowercase = error.framework != (MESSAGE_KEY_SWAPPED in self.variants)
        body: dict[str, Any] = {}
        headers: dict[str, str] = {}
        if ERROR_WITHOUT_TYPE not in self.faults:
            if ERROR_TYPE_HEADER in self.variants or ERROR_TYPE_HEADER_ONLY in self.variants:
                headers["X-Amzn-ErrorType"] = shown
            if ERROR_TYPE_HEADER_ONLY not in self.variants:
                key = "code" if ERROR_TYPE_CODE_MEMBER in self.variants else "__type"
                body[key] = shown
        if error.text is not None:
            body["message" if lowercase else "Message"] = error.text
        return _Answer(error.status, _dump(body), headers=headers)

    def _not_found(self, text: str) -> GlueError:
        status = 400
        if NOT_FOUND_500 in self.faults:
            status = 500
        elif NOT_FOUND_404 in self.faults:
            status = 404
        kind = (
            "ResourceNotFoundException"
            if NOT_FOUND_WRONG_TYPE in self.faults
            else "EntityNotFoundException"
        )
        return GlueError(kind, "" if NOT_FOUND_EMPTY_MESSAGE in self.faults else text, status)

    # --- operations --------------------------------------------------------------------------

    def _name(self, name: str) -> str:
        """A JobName as the server reads it (faithful: exactly as sent)."""
        if JOB_NAMES_STRIPPED in self.faults:
            name = name.strip(" \t")
        if JOB_NAMES_NORMALISED in self.faults:
            name = unicodedata.normalize("NFC", name)
        return name

    def _job_for_lookup(self, name: str) -> str:
        """The stored job GetJobRun finds for `name` (faithful: only the same name)."""
        if name in self.jobs:
            return name
        for stored in self.jobs:
            if JOB_LOOKUP_CASE_INSENSITIVE in self.faults and stored.casefold() == name.casefold():
                return stored
            if TAB_READ_AS_SPACE in self.faults and stored.replace("\t", " ") == name.replace(
                "\t", " "
            ):
                return stored
        return name

    def create_job(self, request: dict[str, Any]) -> dict[str, Any]:
        name = self._name(request.get("Name", ""))
        if LONG_JOB_NAMES_REFUSED in self.faults and len(name) > SHORT_NAME_MAX:
            raise GlueError(
                "ValidationException",
                f"1 validation error detected: Value '{name}' at 'name' failed to satisfy "
                f"constraint: Member must have length less than or equal to {SHORT_NAME_MAX}",
            )
        kind = (request.get("Command") or {}).get("Name")
        if RAY_JOBS_REFUSED in self.faults and kind == "glueray":
            raise GlueError(
                "ValidationException",
                "1 validation error detected: Value 'glueray' at 'command.name' failed to satisfy "
                "constraint: Member must satisfy enum value set: [glueetl, pythonshell, "
                "gluestreaming]",
            )
        self._flex_allowed(request, request)
        with self.lock:
            if name in self.jobs:
                raise GlueError("AlreadyExistsException", f"Job with name {name} already exists.")
            self.jobs[name] = dict(request)
            self.created[name] = dict(request)
            self.runs[name] = {}
        return {"Name": name}

    def update_job(self, request: dict[str, Any]) -> dict[str, Any]:
        """The whole definition is replaced (model: "The previous job definition is completely
        overwritten by this information"); runs started before keep theirs."""
        name = self._name(request.get("JobName", ""))
        with self.lock:
            if name not in self.jobs:
                raise self._not_found(f"Job with name: {name} not found.")
            if UPDATE_JOB_IGNORED not in self.faults:
                self.jobs[name] = {"Name": name, **(request.get("JobUpdate") or {})}
        return {"JobName": name}

    def delete_job(self, request: dict[str, Any]) -> dict[str, Any]:
        """No exception for a job that does not exist (model text, evidence section 24); its
        runs go with it (as every open-source emulator: what AWS keeps is not captured)."""
        name = self._name(request.get("JobName", ""))
        with self.lock:
            if DELETE_UNKNOWN_JOB_REFUSED in self.faults and name not in self.jobs:
                raise self._not_found(f"Job with name: {name} not found.")
            self.jobs.pop(name, None)
            if DELETED_JOB_RUNS_READABLE not in self.variants:
                self.runs.pop(name, None)
        return {"JobName": name}

    def _readable(self, name: str) -> bool:
        """A job that exists, or (a variant) one deleted whose runs are still read."""
        return name in self.jobs or (
            DELETED_JOB_RUNS_READABLE in self.variants and name in self.runs
        )

    def _flex_allowed(self, job: dict[str, Any], request: dict[str, Any]) -> None:
        """FLEX outside glueetl of Glue 3.0 or later, refused where the variant says so (the
        model text allows it there only; what AWS answers otherwise is not captured)."""
        if FLEX_ELSEWHERE_REFUSED not in self.variants or request.get("ExecutionClass") != "FLEX":
            return
        kind = (job.get("Command") or {}).get("Name", "glueetl")
        version = _version(str(job.get("GlueVersion", DEFAULT_GLUE_VERSION)))
        if kind != "glueetl" or version < (3, 0):
            raise GlueError(
                "InvalidInputException",
                "Only jobs with Glue version 3.0 and above and command type glueetl can set "
                "ExecutionClass to FLEX",
            )

    def start_job_run(self, request: dict[str, Any]) -> dict[str, Any]:
        name = self._name(request.get("JobName", ""))
        with self.lock:
            if name not in self.jobs:
                raise self._not_found(f"Job with name: {name} not found.")
            self._flex_allowed(self.jobs[name], request)
            queuing, queued = self._admit(name, request)
            self.seq += 1
            given = request.get("Arguments")
            previous = request.get("JobRunId")
            if RETRY_NAMES_FIRST_RUN in self.faults:  # the chain's first run, not the last
                while previous in self.runs[name] and self.runs[name][previous].previous_run_id:
                    previous = self.runs[name][previous].previous_run_id
            own = {k: request[k] for k in RUN_SETTINGS if k in request}
            retried = self.runs[name].get(previous) if isinstance(previous, str) else None
            if RETRY_TAKES_OVER_SETTINGS in self.variants and retried is not None:
                own = {**retried.settings, **own}  # (what it took over, the chain's first's)
                given = given if isinstance(given, dict) else retried.arguments
            if NEWER_WORKER_TYPES_IGNORED in self.faults and own.get("WorkerType") in (
                NEWER_WORKER_TYPES
            ):
                del own["WorkerType"]
            run = _Run(
                id=str(uuid.uuid4())
                if RUN_ID_UUID in self.variants
                else "jr_" + secrets.token_hex(32)
                if RUN_ID_PER_SECOND not in self.faults
                else "jr_" + hashlib.sha256(f"{name}{int(time.time())}".encode()).hexdigest(),
                job_name=name,
                arguments=dict(given) if isinstance(given, dict) else None,
                started_on=_ms(time.time()),
                seq=self.seq,
                settings=own,
                previous_run_id=None if PREVIOUS_RUN_ID_DROPPED in self.faults else previous,
                job=dict(self.jobs[name]),
                queued=queued,
                queuing=queuing,
            )
            self.runs[name][run.id] = run
        return {"JobRunId": run.id}

    # --- the concurrency limit and job run queuing (evidence 24) ------------------------------

    def _limit(self, name: str) -> int | None:
        """The job's MaxConcurrentRuns (model: 'The default is 1'); UpdateJob replaced the
        definition, so its value holds for the starts after it. None: no limit (a fault)."""
        job = self.jobs[name]
        if CONCURRENCY_LIMIT_FIXED_AT_CREATE in self.faults:
            job = self.created.get(name, job)
        given = (job.get("ExecutionProperty") or {}).get("MaxConcurrentRuns")
        if CONCURRENCY_LIMIT_IGNORED in self.faults or (
            given is None and CONCURRENCY_DEFAULT_UNLIMITED in self.faults
        ):
            return None
        limit = given if isinstance(given, int) and not isinstance(given, bool) else 1
        return limit + 1 if CONCURRENCY_OFF_BY_ONE in self.faults else limit

    def _going(self, name: str) -> list[_Run]:
        """The job's runs that hold a slot: every run not yet terminal (the reading of evidence
        24 consistent with every source), WAITING ones included."""
        runs = list(self.runs[name].values())
        if CONCURRENCY_COUNTS_ENDED_RUNS in self.faults:
            return runs
        return [r for r in runs if self._state(r, self._now(r))[0] not in TERMINAL_STATES]

    def _admit(self, name: str, request: dict[str, Any]) -> tuple[bool | None, bool]:
        """(the run's JobRunQueuingEnabled, whether it is queued) for a start of `name`, or
        the refusal: ConcurrentRunsExceededException while the limit's runs are going."""
        self._release(name)
        job_value = self.jobs[name].get("JobRunQueuingEnabled")
        queuing = request.get("JobRunQueuingEnabled", job_value)  # the run's value wins
        if QUEUING_JOB_VALUE_WINS in self.faults and job_value is not None:
            queuing = job_value
        if QUEUING_IGNORED in self.faults:
            queuing = False
        limit = self._limit(name)
        if limit is None or len(self._going(name)) < limit:
            return queuing, False
        if queuing:
            return queuing, True
        if CONCURRENCY_WRONG_ERROR in self.faults:
            raise GlueError("ResourceNumberLimitExceededException", "Resource limit exceeded.")
        text = f"Concurrent runs exceeded for {name}"
        if CONCURRENCY_MESSAGE_MOTO in self.variants:
            text = f"Job with name {name} already running"
        raise GlueError("ConcurrentRunsExceededException", text)

    def _release(self, name: str) -> None:
        """Queued runs leave WAITING, oldest first, while the job has a free slot (checked
        whenever the job is read or started: the clock decides nothing a reader could miss)."""
        runs = sorted(self.runs.get(name, {}).values(), key=lambda r: r.seq)
        waiting = [r for r in runs if r.queued and r.released_on is None]
        if not waiting or name not in self.jobs:
            return
        limit = self._limit(name)
        for run in waiting:
            if self._state(run, self._now(run))[0] in TERMINAL_STATES:
                continue  # (stopped while WAITING)
            holding = [
                r
                for r in runs
                if not (r.queued and r.released_on is None)
                and self._state(r, self._now(r))[0] not in TERMINAL_STATES
            ]
            if limit is not None and len(holding) >= limit:
                return
            run.released_on = _ms(self._now(run))

    def get_job_run(self, request: dict[str, Any]) -> dict[str, Any]:
        name, run_id = self._name(request.get("JobName", "")), request.get("RunId", "")
        with self.lock:
            run = self._find_run(name, run_id)
            if self.per_poll:  # (a queued run leaves WAITING on its own poll's clock)
                run.clock = _ms(run.started_on + run.polls * self.stage)
            self._release(run.job_name)
            if FOUND_RUN_500 in self.faults:
                raise GlueError("InternalServiceException", "Internal service error.", 500)
            if self.per_poll:
                run.clock = _ms(run.started_on + run.polls * self.stage)
            included = bool(request.get("PredecessorsIncluded"))
            job_run = self._view(run, self._now(run), poll=True)
            if included and PREDECESSORS_INCLUDED_DROPS_ARGUMENTS in self.faults:
                job_run.pop("Arguments", None)
            if included and DIRECT_RUN_LISTS_PREDECESSOR in self.faults:
                job_run["PredecessorRuns"] = [{"JobName": name, "RunId": "jr_" + "0" * 64}]
                job_run["TriggerName"] = "trigger-1"
            return {"JobRun": job_run}

    def get_job_runs(self, request: dict[str, Any]) -> dict[str, Any]:
        name = self._name(request.get("JobName", ""))
        size = request.get("MaxResults", PAGE_SIZE)
        token = request.get("NextToken")
        with self.lock:
            if not self._readable(name):
                raise self._not_found(f"Job with name: {name} not found.")
            self._release(name)
            runs = sorted(self.runs[name].values(), key=lambda r: r.seq, reverse=True)
            if LISTING_FOREIGN_RUNS in self.faults:  # every job's runs, newest first
                runs = sorted(
                    (r for job_runs in self.runs.values() for r in job_runs.values()),
                    key=lambda r: r.seq,
                    reverse=True,
                )
            if RUNS_NOT_LISTED in self.faults:
                runs = runs[1:]
            if LISTING_DROPS_PAST_100 in self.faults:
                runs = runs[:PAGE_SIZE]
            if MAX_RESULTS_OVER_100_REFUSED in self.faults and _over(size, PAGE_SIZE):
                raise GlueError(
                    "ValidationException",
                    f"1 validation error detected: Value '{size}' at 'maxResults' failed to "
                    f"satisfy constraint: Member must have value less than or equal to {PAGE_SIZE}",
                )
            if PAGE_CAPPED_AT_100 in self.variants and _over(size, PAGE_SIZE):
                size = PAGE_SIZE
            if RUNS_OLDEST_FIRST in self.faults:
                runs.reverse()
            if MAX_RESULTS_IGNORED in self.faults:
                size = len(runs) or 1
            if "MaxResults" not in request and SMALL_DEFAULT_PAGE in self.variants:
                size = SMALL_PAGE
            if PAGES_OF_TWO in self.variants:
                size = min(size, SMALL_PAGE)
            if LISTING_LAGS_A_SECOND in self.variants:  # a run shows up a second after its start
                runs = [r for r in runs if time.time() - r.started_on >= LISTING_LAG_S]
                if isinstance(token, str) and token.isdigit():  # its tokens: the last run's seq
                    token = str(sum(1 for r in runs if r.seq >= int(token)))  # (insert-proof)
            start = 0
            if token is not None:
                if not token.isdigit() or int(token) > len(runs):
                    raise GlueError("InvalidInputException", "Invalid pagination token.")
                start = int(token)
            page = [self._listed(run) for run in runs[start : start + size]]
            if RUNS_LIST_DIFFERS in self.faults:
                page = [{**run, "GlueVersion": "0.9"} for run in page]
        answer: dict[str, Any] = {"JobRuns": page}
        if not page and EMPTY_LISTING_WITHOUT_KEY in self.variants:
            del answer["JobRuns"]
        following = start + size
        if PAGING_SKIPS_BOUNDARY_RUN in self.faults and size > 1:
            following += 1  # the next page starts one run too late: that run is never listed
        if following < len(runs):
            answer["NextToken"] = str(following)
            if LISTING_LAGS_A_SECOND in self.variants:
                answer["NextToken"] = str(runs[following - 1].seq)
        return answer

    def _listed(self, run: _Run) -> dict[str, Any]:
        """A run as GetJobRuns lists it: the same view as GetJobRun's, bent by the listing's own
        faults (an emulator's second code path)."""
        now = self._now(run)
        if LISTING_STATE_LAGS in self.faults:
            now = now - 2 * self.stage  # a stale copy: the state of two stages ago
        item = self._view(run, now, poll=False)
        if LISTING_ARGUMENTS_MERGED in self.faults:
            defaults = self.jobs.get(run.job_name, {}).get("DefaultArguments") or {}
            if defaults:
                item["Arguments"] = {**defaults, **(item.get("Arguments") or {})}
        if LISTING_OVERRIDES_LOST in self.faults:
            job = self.jobs.get(run.job_name, {})
            item.update({k: job[k] for k in RUN_SETTINGS if k in job and k in run.settings})
        if ASTRAL_NAMES_MANGLED_IN_LISTING in self.faults and isinstance(item.get("JobName"), str):
            item["JobName"] = "".join(c if ord(c) <= 0xFFFF else "\ufffd" for c in item["JobName"])
        if LISTING_TIMESTAMPS_STRINGS in self.faults:
            item.update(
                {
                    k: f"{item[k]:.3f}"
                    for k in ("StartedOn", "LastModifiedOn", "CompletedOn")
                    if isinstance(item.get(k), float)
                }
            )
        return item

    def batch_stop_job_run(self, request: dict[str, Any]) -> dict[str, Any]:
        if STOP_NOT_IMPLEMENTED in self.faults:
            raise GlueError("InternalServiceException", "BatchStopJobRun is not implemented", 500)
        name = self._name(request.get("JobName", ""))
        done: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        with self.lock:
            for run_id in request.get("JobRunIds", []):
                run = self.runs.get(name, {}).get(run_id)
                if run is None and STOP_FOREIGN_RUN in self.faults:
                    run = next(
                        (r for rs in self.runs.values() for r in rs.values() if r.id == run_id),
                        None,
                    )
                if run is None and STOP_UNKNOWN_ID_SUBMITTED in self.faults:
                    done.append({"JobName": name, "JobRunId": run_id})
                    continue
                if run is None:
                    code = "EntityNotFoundException"
                    text = (
                        f"Job run {run_id} not found."
                        if name in self.jobs
                        else f"Job with name: {name} not found."
                    )
                else:
                    # Per poll, a stop lands between two polls: the run is judged as it is
                    # now, and the next poll (one step on) shows STOPPING.
                    now = self._now(run)
                    # (On the clock, rounded down: a landing rounded up to the next
                    # millisecond lies in the future, and a read within that half millisecond
                    # saw the run still STARTING after its stop was accepted.)
                    landing = (
                        _ms(now + self.stage) if self.per_poll else math.floor(now * 1000) / 1000
                    )
                    state, _ = self._state(run, now)
                    if state not in TERMINAL_STATES:
                        if state != "STOPPING" and STOP_IGNORED not in self.faults:
                            run.stop_requested_on = landing
                            run.stop_accepted = True
                        if STOP_STOPS_SIBLINGS in self.faults:  # the whole job is stopped
                            for other in self.runs.get(name, {}).values():
                                going = self._state(other, self._now(other))[0]
                                if other.stop_requested_on is None and going not in TERMINAL_STATES:
                                    other.stop_requested_on = landing
                        done.append({"JobName": name, "JobRunId": run_id})
                        continue
                    if STOP_ENDED_RUN_STOPPED in self.faults:
                        run.stop_requested_on = run.stop_requested_on or landing
                    if STOP_ENDED_RUN_STOPPED in self.faults:
                        done.append({"JobName": name, "JobRunId": run_id})
                        continue
                    code = "InvalidInputException"
                    text = f"Job run {run_id} is already in a terminal state ({state})."
                errors.append(
                    {
                        "JobName": name,
                        "JobRunId": run_id,
                        "ErrorDetail": {"ErrorCode": code, "ErrorMessage": text},
                    }
                )
        if STOP_ANSWER_LISTS_EVERY_ID in self.faults:
            done = [{"JobName": name, "JobRunId": i} for i in request.get("JobRunIds", [])]
        return {"SuccessfulSubmissions": done, "Errors": errors}

    def _find_run(self, name: str, run_id: str) -> _Run:
        name = self._job_for_lookup(name)
        if not self._readable(name):
            raise self._not_found(f"Job with name: {name} not found.")
        run = self.runs[name].get(run_id)
        if run is None and RUN_FOUND_UNDER_ANY_JOB in self.faults:
            run = next(
                (r for runs in self.runs.values() for r in runs.values() if r.id == run_id), None
            )
        if run is None and RUN_ID_CASE_INSENSITIVE in self.faults:
            wanted = run_id.strip().lower()
            run = next((r for r in self.runs[name].values() if r.id.lower() == wanted), None)
        if run is None:
            raise self._not_found(f"Job run {run_id} not found.")
        return run

    # --- the life cycle ----------------------------------------------------------------------

    def _timeline(self, run: _Run) -> list[tuple[str, float]]:
        """States derived from clock time, not poll count, so polling can never change them."""
        at = run.started_on
        steps: list[tuple[str, float]] = []
        if run.queued:  # WAITING until a slot freed (or for ever, or until its stop)
            steps.append(("WAITING", at))
            if run.released_on is None:
                stop = run.stop_requested_on
                if stop is None:
                    return steps
                return [*steps, ("STOPPING", stop), ("STOPPED", _ms(stop + self.stage))]
            at = run.released_on
        if WAITING_FIRST in self.variants:
            steps.append(("WAITING", at))
            at += self.stage
        if RUNS_FINISH_AT_ONCE in self.variants and run.stop_requested_on is None:
            return [("SUCCEEDED", _ms(at))]  # as moto by default: done before the first poll
        steps += [("STARTING", _ms(at)), ("RUNNING", _ms(at + self.stage))]
        end = _ms(at + 2 * self.stage)
        stop = run.stop_requested_on
        streaming = (run.job.get("Command") or {}).get("Name") == "gluestreaming"
        if stop is None and streaming:
            return steps  # a streaming run runs until it is stopped
        if RUNS_NEVER_FINISH in self.faults:  # RUNNING for ever; a stopped run STOPPING
            return steps + ([("STOPPING", stop)] if stop is not None else [])
        if stop is not None and (stop <= end or streaming or run.stop_accepted):
            steps = [step for step in steps if step[1] <= stop]
            steps += [("STOPPING", stop), ("STOPPED", _ms(stop + self.stage))]
        else:
            steps.append(("FAILED" if RUN_FAILS in self.variants else "SUCCEEDED", end))
        return steps

    def _now(self, run: _Run) -> float:
        return run.clock if self.per_poll else time.time()

    def _state(self, run: _Run, now: float) -> tuple[str, float]:
        steps = self._timeline(run)
        current = steps[0]
        for step in steps:
            if step[1] <= now:
                current = step
        return current

    def _view(self, run: _Run, now: float, *, poll: bool) -> dict[str, Any]:
        """JobRun built in one place, so every response fault bends the same honest answer."""
        faults = self.faults
        state, last_modified = self._state(run, now)
        stop = run.stop_requested_on
        if STOP_ENDED_RUN_STOPPED in faults and state == "SUCCEEDED" and stop and now >= stop:
            state, last_modified = "STOPPED", stop  # an ended run turned STOPPED by a stop
        if state in TERMINAL_STATES and COMPLETED_ON_DRIFTS in faults:
            last_modified = max(last_modified, _ms(now))  # "completed": when last read
        completed = last_modified if state in TERMINAL_STATES else None
        started = run.started_on
        if STARTED_ON_OF_FIRST_RUN in faults:
            started = min(r.started_on for r in self.runs.get(run.job_name, {}).values())
        if poll:
            run.polls += 1
            if LAST_MODIFIED_GOES_BACK in faults and run.polls % 2 == 1:
                last_modified += 1.0
            if completed is not None:
                run.terminal_polls += 1
                if TERMINAL_STATE_REGRESSES in faults and run.terminal_polls % 2 == 0:
                    state, completed = "RUNNING", None
        if STARTED_ON_CHANGES in faults:
            started = last_modified
        if completed is not None and COMPLETED_BEFORE_STARTED in faults:
            completed = started - 60.0
        if completed is None and MODIFIED_BEFORE_STARTED in faults:
            last_modified = started - 1.0
        if state == "SUCCEEDED" and STATE_OUT_OF_ENUM in faults:
            state = "COMPLETED"
        elapsed = max(0.0, (completed if completed is not None else now) - run.started_on)
        if EXECUTION_TIME_KEEPS_COUNTING in faults:
            elapsed = max(0.0, now - run.started_on)
        execution_time: float = int(elapsed)
        if EXECUTION_TIME_FLOAT in faults:
            execution_time = int(elapsed) + 0.25
        if EXECUTION_TIME_FIXED in faults:
            execution_time = 123
        if EXECUTION_TIME_IN_MILLIS in faults:
            execution_time = round((time.time() - run.started_on) * 1000)
        if completed is not None and COMPLETED_ON_DIFFERS in faults:
            last_modified += 0.001
        if state == "STOPPED" and STOPPED_COMPLETED_ON_DIFFERS in faults:
            last_modified += 0.5
        if STARTED_ON_BACKDATED in faults:
            started -= BACKDATED_SECONDS

        stamp = self._timestamp
        job_run: dict[str, Any] = {
            "Id": run.id,
            "Attempt": self._attempt(run),
            **({"PreviousRunId": run.previous_run_id} if run.previous_run_id is not None else {}),
            "JobName": run.job_name,
            "StartedOn": stamp(started),
            "LastModifiedOn": stamp(last_modified),
        }
        if completed is not None:
            job_run["CompletedOn"] = stamp(completed)
        job_run["JobRunState"] = state
        # Arguments are the run's own, and absent when StartJobRun gave none (evidence section
        # 13); dropping given ones is a fault.
        arguments = self._arguments(run)
        if state == "STOPPED" and STOPPED_RUN_LOSES_ARGUMENTS in faults:
            arguments = None
        if arguments is not None:
            job_run["Arguments"] = {} if ARGUMENTS_DROPPED in faults else arguments
        if OPTIONAL_MEMBERS_ABSENT not in self.variants:
            if state == "FAILED":
                job_run["ErrorMessage"] = "Command failed with exit code 1"
            settings = self._settings(run)
            job_run.update(
                PredecessorRuns={} if PREDECESSOR_RUNS_MALFORMED in faults else [],
                AllocatedCapacity=settings["AllocatedCapacity"],
                ExecutionTime=execution_time,
                Timeout=settings["Timeout"],
                MaxCapacity=settings["MaxCapacity"],
                WorkerType=settings["WorkerType"],
                NumberOfWorkers=settings["NumberOfWorkers"],
                LogGroupName=settings["LogGroupName"],
                GlueVersion=settings["GlueVersion"],
                JobMode="SCRIPT",
                ExecutionClass=settings["ExecutionClass"],
            )
            if FLEX_NOT_REPORTED in self.variants and settings["ExecutionClass"] == "FLEX":
                del job_run["ExecutionClass"]
            if DPU_SECONDS_REPORTED in self.variants and completed is not None:
                job_run["DPUSeconds"] = execution_time * settings["MaxCapacity"] / 2
            if PREDECESSORS_ABSENT in self.variants:
                del job_run["PredecessorRuns"]
            if PYTHONSHELL_NO_WORKERS in self.variants and settings["Kind"] == "pythonshell":
                del job_run["WorkerType"], job_run["NumberOfWorkers"]
        else:  # what a run reports of its job and its start is never optional (section 11)
            settings = self._settings(run)
            job_run.update({key: settings[key] for key in REPORTED})
        if WRONG_ID in faults:
            job_run["Id"] = "jr_" + secrets.token_hex(32)
        if MISSING_ID in faults:
            del job_run["Id"]
        if WRONG_JOB_NAME in faults:
            job_run["JobName"] = run.job_name + "-other"
        if EXTRA_RESPONSE_MEMBERS in self.variants:
            job_run["UnmodelledMember"] = "added by a newer API version"
        if LARGE_STATE_DETAIL in self.variants:
            job_run["StateDetail"] = _LARGE_STATE_DETAIL
        if run.queuing is not None:
            job_run["JobRunQueuingEnabled"] = run.queuing
        if state == "WAITING" and run.queued:  # model: the reason, when queued
            job_run["StateDetail"] = (
                QUEUED_STATE_DETAIL_OTHER
                if STATE_DETAIL_OTHER_WORDING in self.variants
                else QUEUED_STATE_DETAIL
            )
            if WAITING_WITHOUT_STARTED_ON in self.variants:
                del job_run["StartedOn"]
        return job_run

    def _attempt(self, run: _Run) -> Any:
        if ATTEMPT_STRING in self.faults:
            return "0"
        if ATTEMPT_STARTS_AT_ONE in self.faults:
            return 1
        if ATTEMPT_GROWS_PER_POLL in self.faults:
            return run.polls
        return 0

    def _arguments(self, run: _Run) -> dict[str, str] | None:
        """The run's own Arguments (None: absent); the faults bend them as emulators do."""
        own = run.arguments
        if ARGUMENTS_OF_NEWEST_RUN in self.faults:
            newest = max(self.runs.get(run.job_name, {}).values(), key=lambda r: r.seq)
            own = newest.arguments
        if DEFAULT_ARGUMENTS_MERGED in self.faults:
            defaults = self.jobs.get(run.job_name, {}).get("DefaultArguments") or {}
            own = {**defaults, **(own or {})} if defaults or own is not None else None
        if own is None and ARGUMENTS_EMPTY_OBJECT in self.variants:
            return {}
        if own is not None and ARGUMENT_VALUES_TRIMMED in self.faults:
            own = {key: value.strip() for key, value in own.items()}
        fixed = run.job.get("NonOverridableArguments") or {}
        if fixed and NON_OVERRIDABLE_ARGUMENTS_ECHOED in self.faults:
            own = {**(own or {}), **fixed}
        if own is not None and LONG_ARGUMENT_VALUES_TRUNCATED in self.faults:
            own = {key: value[:TRUNCATED_AT] for key, value in own.items()}
        if own is not None and ARGUMENTS_REORDERED in self.variants:
            own = dict(reversed(list(own.items())))
        return dict(own) if own is not None else None

    def _settings(self, run: _Run) -> dict[str, Any]:
        """What a run reports of its job and its start (evidence sections 11 and 12): the run's
        own Timeout, WorkerType and NumberOfWorkers where StartJobRun gave them, else the job's;
        the job's GlueVersion; Timeout's default by Glue version when neither set one."""
        job = run.job
        if EARLIER_RUNS_SHOW_UPDATE in self.variants:  # the job as it is now
            job = self.jobs.get(run.job_name, job)
        kind = (job.get("Command") or {}).get("Name", "glueetl")
        if kind == "pythonshell" and PYTHONSHELL_GLUEETL_DEFAULTS in self.faults:
            job = {k: v for k, v in job.items() if k not in ("GlueVersion", "Timeout")}
        version = str(job.get("GlueVersion", DEFAULT_GLUE_VERSION))
        own = {} if RUN_OVERRIDES_IGNORED in self.faults else run.settings
        workers = own.get("NumberOfWorkers", job.get("NumberOfWorkers", 10))
        capacity = float(own.get("MaxCapacity", job.get("MaxCapacity", workers)))
        worker = own.get("WorkerType", job.get("WorkerType", "G.1X"))
        if "WorkerType" in own or ("WorkerType" in job and "MaxCapacity" not in own):
            # NumberOfWorkers x the type's DPU, from the model's WorkerType text (section 24)
            by_count = CAPACITY_NOT_BY_DPU in self.faults or (
                OTHER_WORKER_CAPACITY_AS_COUNT in self.variants
                and worker not in CAPTURED_WORKER_TYPES
            )
            capacity = float(workers) * (1.0 if by_count else worker_dpu().get(worker, 1.0))
        timeout = own.get("Timeout", job.get("Timeout"))
        if timeout is None:
            glue5 = _version(version) >= (5, 0) and TIMEOUT_DEFAULT_2880_GLUE5 not in self.variants
            timeout = 480 if glue5 or TIMEOUT_DEFAULT_480 in self.faults else 2880
        if GLUE_VERSION_FIXED in self.faults:
            version = "0.9"
        return {
            "AllocatedCapacity": int(capacity),
            "Timeout": timeout,
            "MaxCapacity": capacity,
            "WorkerType": worker,
            "NumberOfWorkers": workers,
            "ExecutionClass": own.get("ExecutionClass", job.get("ExecutionClass", "STANDARD")),
            "GlueVersion": version,
            "LogGroupName": "/aws-glue/python-jobs" if kind == "pythonshell" else "/aws-glue/jobs",
            "Kind": kind,
        }

    def _timestamp(self, value: float) -> Any:
        value = _ms(value + (3 * 3600 if TIMESTAMPS_IN_FUTURE in self.faults else 0))
        if CLOCK_MINUTES_OFF in self.variants:
            value = _ms(value - CLOCK_OFFSET_SECONDS)
        if ISO_TIMESTAMPS in self.faults:
            return datetime.fromtimestamp(value, UTC).isoformat(timespec="milliseconds")[:-6] + "Z"
        if TIMESTAMPS_AS_STRINGS in self.faults:
            return f"{value:.3f}"
        if TIMESTAMPS_IN_MILLIS in self.faults:
            return round(value * 1000)
        if INTEGRAL_TIMESTAMPS in self.variants:
            return int(value)
        return value


class _Raw(Exception):
    """An answer that bypasses the JSON envelope (a fault answering 200 where AWS would not)."""

    def __init__(self, answer: _Answer) -> None:
        super().__init__(answer.status)
        self.answer = answer


def _refuse_constant(name: str) -> Any:
    raise SerializationError(f"{name} is not a JSON number")


def _non_finite_as_text(name: str) -> str:
    """NaN/Infinity read as numbers, then used where a string is expected: 'nan', 'inf'."""
    return str(float(name))


def _html_500() -> _Answer:
    """A web framework's own page for an exception the handler let through (as Werkzeug's)."""
    page = (
        b"<!doctype html><html><head><title>500 Internal Server Error</title></head><body>"
        b"<h1>Internal Server Error</h1></body></html>"
    )
    return _Answer(500, page, "text/html; charset=utf-8")


def _crash() -> GlueError:
    """A handler that fails on what it was given, as a 500."""
    return GlueError("InternalServiceException", "Internal error", 500)


def _dump(payload: dict[str, Any]) -> bytes:
    # ASCII escapes keep lone surrogates (echoed in validation messages) encodable.
    return json.dumps(payload, ensure_ascii=True).encode("ascii")


# --- HTTP ------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer
    timeout = 60
    # Buffered: headers and body leave in one segment (unbuffered, Nagle and delayed ACK add
    # ~40 ms to every exchange); handle_one_request flushes after each answer.
    wbufsize = 1 << 16

    def setup(self) -> None:
        super().setup()
        if ONE_CONNECTION_HTTP10 in self.server.app.variants:
            self.protocol_version = "HTTP/1.0"  # one answer per connection, then it is closed

    def do_POST(self) -> None:
        self._answer()

    do_GET = do_PUT = do_DELETE = do_PATCH = do_POST

    def _answer(self) -> None:
        app = self.server.app
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            answer = app.error_answer(GlueError("SerializationException", "Malformed body"))
        else:
            answer = app.handle(self.headers, body)
        misbehaviour = app.transport_fault(body)
        if misbehaviour is not None:
            self._misbehave(misbehaviour, answer)
            return
        if SLOW in app.variants:
            time.sleep(SLOW_SECONDS)
        self.send_response(answer.status)
        content_type = answer.content_type
        if JSON_CONTENT_TYPE in app.faults:
            content_type = "application/json"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        if NO_REQUEST_ID not in app.faults:
            self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)

    def _misbehave(self, fault: str, answer: _Answer) -> None:
        """The transport faults: what a broken emulator or a bad proxy does to one answer."""
        self.close_connection = True
        if fault == STALLS:
            self._wait_for_client_to_go()
            return
        if fault == NOT_HTTP:
            self.wfile.write(b"SSH-2.0-OpenSSH_9.2\r\n")
            return
        body = answer.body
        if fault == OVERSIZED_ANSWER:
            body = b'{"__type":"EntityNotFoundException","Message":"' + b"x" * OVERSIZED_BYTES
            body += b'"}'
        elif fault == TRUNCATED_JSON:
            body = body[: len(body) // 2]
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.send_header("Connection", "close")  # this connection ends with this answer
        if fault == DROPS_CONNECTION:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _wait_for_client_to_go(self) -> None:
        deadline = time.monotonic() + STALL_LIMIT_SECONDS
        while time.monotonic() < deadline:
            readable, _, _ = select.select([self.connection], [], [], 0.1)
            if readable:
                try:
                    if self.connection.recv(65536):
                        continue  # more bytes from the client: still waiting
                except OSError:
                    pass
                return  # closed by the client (or by the server's shutdown)

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError(length)
        return self.rfile.read(length)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a conformance run sends thousands of requests."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: Glue) -> None:
        if ONE_CONNECTION_HTTP10 in app.variants:  # a queue of waiting connections, as any
            self.request_queue_size = 128  # server's (socketserver's 5 drops SYNs under load)
        super().__init__(address, _Handler)
        self.app = app
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        if ONE_CONNECTION_HTTP10 in self.app.variants:  # in the serving thread: one at a time
            self.process_request_thread(request, client_address)
            return
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        """Close kept-alive connections too; otherwise their threads would keep answering."""
        with self.connections_lock:
            open_now = list(self.connections)
        for connection in open_now:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class ReferenceServer:
    """A Glue endpoint on a local port, with named faults and variants switched on.

    >>> with ReferenceServer(faults=frozenset({ISO_TIMESTAMPS})) as server:
    ...     server.url  # doctest: +SKIP
    'http://127.0.0.1:54321'
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Iterable[str] = frozenset(),
        variants: Iterable[str] = frozenset(),
        stage_seconds: float = 0.0,
    ) -> None:
        self.faults = frozenset(faults)
        self.variants = frozenset(variants)
        check_names("fault", self.faults, dict(FAULTS))
        check_names("variant", self.variants, dict(VARIANTS))
        if stage_seconds < 0:
            raise ValueError(f"stage_seconds must be >= 0, not {stage_seconds}")
        self.host = host
        self.port = port
        self.app = Glue(self.faults, self.variants, stage_seconds)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the server is not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> ReferenceServer:
        if self._httpd is None:
            self._httpd = _HTTPServer((self.host, self.port), self.app)
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"glue-reference-{self._httpd.server_address[1]}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        self._httpd = self._thread = None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.drop_connections()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def reset(self) -> None:
        """Lets one running server (and its port) serve independent test sessions."""
        self.app.reset()

    def __enter__(self) -> ReferenceServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self._httpd is not None else "stopped"
        return (
            f"ReferenceServer({where}, faults={sorted(self.faults)}, "
            f"variants={sorted(self.variants)})"
        )
