"""Seeded faults and tolerated variants of the reference endpoint.

A fault is one realistic way an emulator departs from AWS. It exists to prove the suite can see
it: `kills` names the rules (ids from `conformance/rules.py`) of which a correct suite must fail
at least one when pointed at a server carrying only that fault. A variant is something real AWS
may do (or is not known not to do); a correct suite must pass against it, so a variant that makes
the suite fail is a false positive in the suite, not a bug in the target.

Names are kebab-case and stable: test ids, CLI flags and mutation reports key on them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    name: str
    description: str
    kills: tuple[str, ...]


@dataclass(frozen=True)
class Variant:
    name: str
    description: str


_VALIDATION_KILLS = ("validation.error-type", "validation.property.invalid-requests")
_NOT_FOUND_KILLS = (
    "not-found.unknown-job",
    "not-found.unknown-run",
    "not-found.property.valid-names",
)

_FAULTS = [
    # --- request validation ------------------------------------------------------------------
    Fault(
        "no-length-check",
        "String length constraints are not checked (a 256-character or empty JobName is looked "
        "up and reported as not found).",
        _VALIDATION_KILLS,
    ),
    Fault(
        "length-off-by-one",
        "The maximum length is checked with '>' one too late: 256 characters pass, 257 are "
        "refused.",
        _VALIDATION_KILLS,
    ),
    Fault(
        "unanchored-pattern",
        "The pattern is searched, not matched whole: a value with any allowed character passes "
        "(e.g. 'a' followed by a lone surrogate).",
        _VALIDATION_KILLS,
    ),
    Fault(
        "trailing-newline-accepted",
        "The pattern is matched with Python's '$', which also matches before a final newline: "
        "'job\\n' passes.",
        _VALIDATION_KILLS,
    ),
    Fault(
        "tab-rejected",
        "The pattern translation drops '\\t' from the class: a valid name with a tab is refused "
        "with ValidationException.",
        _NOT_FOUND_KILLS,
    ),
    Fault(
        "astral-rejected",
        "The pattern translation drops the surrogate-pair range: names with supplementary "
        "characters (emoji) are refused.",
        _NOT_FOUND_KILLS,
    ),
    Fault(
        "lone-surrogates-accepted",
        "The pattern is run over UTF-16 code units, so a lone surrogate passes the "
        "'\\uD800\\uDC00-\\uDBFF\\uDFFF' range.",
        _VALIDATION_KILLS,
    ),
    Fault(
        "no-required-check",
        "A missing required member is treated as an empty string and looked up: "
        "EntityNotFoundException instead of 'Member must not be null'.",
        (*_VALIDATION_KILLS, "validation.message.constraint"),
    ),
    Fault(
        "length-in-bytes",
        "Lengths are counted in UTF-8 bytes (the developer guide says '255 bytes'): 128 "
        "two-byte characters are refused.",
        _NOT_FOUND_KILLS,
    ),
    Fault(
        "validation-500", "ValidationException is sent with HTTP 500.", ("validation.status.400",)
    ),
    Fault(
        "validation-invalid-input",
        "Constraint violations answer InvalidInputException (the handler's own error) instead "
        "of ValidationException.",
        ("validation.error-type", "sdk.validation.error-code"),
    ),
    Fault(
        "validation-message-no-count",
        "The message lacks the 'N validation error(s) detected: ' prefix.",
        ("validation.message.grammar",),
    ),
    Fault(
        "validation-message-wrong-member",
        "The message names the member as in the model ('JobName'), not lowerCamelCase.",
        ("validation.message.member",),
    ),
    Fault(
        "validation-first-error-only",
        "Only the first violation is reported: a value breaking length and pattern yields one "
        "entry.",
        (
            "validation.message.constraint",
            "validation.message.grammar",
            "validation.property.invalid-requests",
        ),
    ),
    Fault(
        "pattern-message-translated",
        "The message quotes the emulator's translated Python pattern, not the model's Java "
        "pattern text.",
        ("validation.message.constraint",),
    ),
    Fault(
        "type-mismatch-accepted",
        "A list/object where a string is expected is coerced to its JSON text, and any value "
        "where a boolean is expected to its truth value.",
        ("validation.type-mismatch",),
    ),
    Fault(
        "get-job-runs-types-coerced",
        "GetJobRuns reads its members with a lenient reader of its own: a list or object JobName "
        "or NextToken is taken as its JSON text (GetJobRun still refuses it).",
        ("validation.type-mismatch", "protocol.property.envelope"),
    ),
    Fault(
        "max-results-string-accepted",
        "A string MaxResults is read with int(): '5' is 5, and text that is no number ('ten') "
        "is ignored, as if MaxResults were absent.",
        ("validation.type-mismatch",),
    ),
    Fault(
        "predecessors-included-number-accepted",
        "A number where PredecessorsIncluded (a boolean) is expected is taken as its truth value "
        "(1 is true), as a C-style reader does.",
        ("validation.type-mismatch", "validation.property.invalid-requests"),
    ),
    Fault(
        "empty-containers-dropped",
        "Members whose value is an empty list or object are dropped before the input is read "
        "(`{k: v for k, v in body.items() if v not in ([], {})}`): PredecessorsIncluded: {} "
        "or NextToken: [] is served as if absent.",
        ("validation.type-mismatch",),
    ),
    # --- not found ---------------------------------------------------------------------------
    Fault("not-found-500", "EntityNotFoundException is sent with HTTP 500.", _NOT_FOUND_KILLS),
    Fault("not-found-404", "EntityNotFoundException is sent with HTTP 404.", _NOT_FOUND_KILLS),
    Fault(
        "not-found-wrong-type",
        "A missing job or run answers ResourceNotFoundException.",
        (*_NOT_FOUND_KILLS, "sdk.not-found.modelled-exception"),
    ),
    Fault(
        "not-found-empty-message",
        "EntityNotFoundException carries an empty Message.",
        ("not-found.unknown-job", "not-found.unknown-run"),
    ),
    # --- response body -----------------------------------------------------------------------
    Fault(
        "iso-timestamps",
        "Timestamps are ISO 8601 strings ('2020-10-16T18:45:31.255Z').",
        ("response.timestamps.epoch-number", "response.schema"),
    ),
    Fault(
        "timestamps-as-strings",
        "Timestamps are epoch seconds in JSON strings ('1602873931.255').",
        ("response.timestamps.epoch-number", "response.schema"),
    ),
    Fault(
        "timestamps-in-millis",
        "Timestamps are epoch milliseconds (Java's Date.getTime()), which botocore cannot turn "
        "into a datetime.",
        ("response.timestamps.epoch-number", "sdk.response.parses"),
    ),
    Fault("wrong-id", "JobRun.Id is another run's id.", ("response.id.matches-request",)),
    Fault(
        "missing-id", "JobRun.Id is absent.", ("response.id.matches-request", "sdk.response.parses")
    ),
    Fault(
        "wrong-job-name",
        "JobRun.JobName is not the name asked for.",
        ("response.jobname.matches-request",),
    ),
    Fault(
        "found-run-500",
        "GetJobRun of a run that exists answers HTTP 500 InternalServiceException (errors for "
        "missing names are still right).",
        ("response.status.200",),
    ),
    Fault(
        "runs-not-listed",
        "GetJobRuns leaves out the job's newest run.",
        ("lifecycle.runs-listed", "lifecycle.stateful"),
    ),
    Fault(
        "stop-ignored",
        "BatchStopJobRun reports the stop as submitted, but the run goes on and ends SUCCEEDED.",
        ("lifecycle.stop-ends-stopped", "lifecycle.stateful"),
    ),
    Fault(
        "state-out-of-enum",
        "A finished run reports JobRunState 'COMPLETED'.",
        ("response.state.enum", "response.schema", "lifecycle.transitions"),
    ),
    Fault("attempt-string", "Attempt is the string '0'.", ("response.schema",)),
    Fault(
        "execution-time-float",
        "ExecutionTime is a fractional number of seconds.",
        ("response.schema",),
    ),
    Fault(
        "arguments-dropped",
        "JobRun.Arguments is always {}, whatever StartJobRun was given.",
        ("response.arguments.echoed",),
    ),
    Fault(
        "completed-before-started",
        "A finished run's CompletedOn is a minute before its StartedOn.",
        ("response.timestamps.order",),
    ),
    Fault(
        "predecessor-runs-malformed",
        "PredecessorRuns is an object ({}) instead of a list.",
        ("response.predecessor-runs.well-formed", "response.schema"),
    ),
    # --- life cycle --------------------------------------------------------------------------
    Fault(
        "terminal-state-regresses",
        "Once a run has been reported SUCCEEDED, every second poll reports it RUNNING again.",
        ("lifecycle.transitions",),
    ),
    Fault(
        "last-modified-goes-back",
        "Odd-numbered polls report LastModifiedOn a second late, so the next poll goes back.",
        ("lifecycle.timestamps.monotonic",),
    ),
    Fault(
        "started-on-changes",
        "StartedOn is rewritten at every state change (it follows LastModifiedOn).",
        ("lifecycle.timestamps.monotonic",),
    ),
    # --- what a run means (evidence sections 11-20) --------------------------------------------
    Fault(
        "run-found-under-any-job",
        "A run is looked up by its RunId alone: asked for under another job, it is found.",
        ("not-found.run-under-other-job",),
    ),
    Fault(
        "run-id-case-insensitive",
        "RunIds are compared without case and with spaces stripped.",
        ("not-found.run-id-exact",),
    ),
    Fault(
        "glue-version-fixed",
        "Every run reports GlueVersion '0.9' whatever its job says (as moto does).",
        ("response.job.reflected",),
    ),
    Fault(
        "run-overrides-ignored",
        "StartJobRun's Timeout, WorkerType and NumberOfWorkers are ignored (as ministack does).",
        ("response.run.overrides",),
    ),
    Fault(
        "default-arguments-merged",
        "The job's DefaultArguments are merged into the run's Arguments (as moto and ministack "
        "do).",
        ("response.arguments.own",),
    ),
    Fault(
        "arguments-of-newest-run",
        "Every run of a job reports the Arguments of the job's newest run.",
        ("response.arguments.own",),
    ),
    Fault("attempt-starts-at-one", "A first run reports Attempt 1.", ("response.attempt.first",)),
    Fault(
        "attempt-grows-per-poll",
        "Attempt grows by one with every GetJobRun of the run.",
        ("lifecycle.attempt.stable",),
    ),
    Fault(
        "previous-run-id-dropped",
        "StartJobRun's JobRunId is ignored: the run has no PreviousRunId.",
        ("response.previous-run-id",),
    ),
    Fault(
        "timeout-default-480",
        "A run whose job and StartJobRun set no Timeout reports 480 whatever its Glue version.",
        ("response.timeout.default",),
    ),
    Fault(
        "timestamps-in-future",
        "Every timestamp is three hours ahead of the world's clock.",
        ("response.timestamps.near-clock",),
    ),
    Fault(
        "execution-time-fixed",
        "ExecutionTime is always 123 seconds (as moto's).",
        ("response.execution-time.bounded",),
    ),
    Fault(
        "execution-time-in-millis",
        "ExecutionTime is counted in milliseconds.",
        ("response.execution-time.bounded",),
    ),
    Fault(
        "completed-on-differs",
        "A terminal run's LastModifiedOn is a millisecond after its CompletedOn.",
        ("response.completed-on.last-modified",),
    ),
    Fault("runs-oldest-first", "GetJobRuns lists oldest first.", ("lifecycle.runs-newest-first",)),
    Fault(
        "max-results-ignored",
        "GetJobRuns ignores MaxResults: one page with every run, no NextToken.",
        ("lifecycle.runs-paging",),
    ),
    Fault(
        "runs-list-differs",
        "GetJobRuns reports GlueVersion '0.9' where GetJobRun reports the job's.",
        ("lifecycle.runs-agree",),
    ),
    Fault(
        "max-results-unchecked",
        "GetJobRuns accepts MaxResults 0 and 201.",
        ("validation.max-results.range",),
    ),
    Fault(
        "direct-run-lists-predecessor",
        "With PredecessorsIncluded, a run started by StartJobRun lists a predecessor run and a "
        "TriggerName.",
        ("response.trigger.absent",),
    ),
    Fault(
        "target-prefix-ignored",
        "X-Amz-Target is dispatched on the text after its last '.', in any case (as moto): "
        "Foo.GetJobRun, GetJobRun and AWSGlue.getJobRun are served.",
        ("protocol.target-prefix",),
    ),
    Fault(
        "stop-not-implemented",
        "BatchStopJobRun answers HTTP 500 (as moto's NotImplementedError).",
        ("lifecycle.stop-ends-stopped",),
    ),
    Fault(
        "length-in-graphemes",
        "Lengths are counted in grapheme clusters: 128 'e' + U+0301 (256 code points) pass.",
        ("validation.error-type", "validation.status.400", "validation.property.invalid-requests"),
    ),
    Fault(
        "runs-never-finish",
        "Runs stay RUNNING for ever, and a stopped run stays STOPPING.",
        ("lifecycle.transitions", "lifecycle.stateful", "lifecycle.stop-ends-stopped"),
    ),
    # --- the same rules on a second path (a listing, a stopped run, another value) -----------
    Fault(
        "listing-foreign-runs",
        "GetJobRuns lists the runs of every job, not only the job asked for.",
        ("lifecycle.runs-only-own", "response.jobname.matches-request"),
    ),
    Fault(
        "stop-stops-siblings",
        "BatchStopJobRun of one run stops every run of its job that is still going.",
        ("lifecycle.stop-only-named",),
    ),
    Fault(
        "started-on-backdated",
        "StartedOn is ten minutes before the run was started (inside the clock window, so only "
        "the time the client saw pass shows it).",
        ("lifecycle.timestamps.elapsed",),
    ),
    Fault(
        "listing-arguments-merged",
        "GetJobRuns merges the job's DefaultArguments into each run's Arguments (GetJobRun "
        "does not).",
        ("response.arguments.own", "lifecycle.runs-agree"),
    ),
    Fault(
        "listing-overrides-lost",
        "GetJobRuns reports the job's Timeout, WorkerType and NumberOfWorkers where the run "
        "overrode them (GetJobRun reports the run's).",
        ("response.run.overrides", "lifecycle.runs-agree"),
    ),
    Fault(
        "stopped-run-loses-arguments",
        "A run that ended STOPPED reports no Arguments (the stop rewrites its record).",
        ("response.arguments.echoed", "response.arguments.own", "lifecycle.runs-agree"),
    ),
    Fault(
        "argument-values-trimmed",
        "Argument values come back with leading and trailing white space stripped.",
        ("response.arguments.echoed", "response.arguments.own"),
    ),
    Fault(
        "predecessors-included-drops-arguments",
        "GetJobRun with PredecessorsIncluded=true answers without the run's Arguments.",
        ("response.arguments.echoed", "response.arguments.own", "lifecycle.runs-agree"),
    ),
    Fault(
        "stopped-completed-on-differs",
        "A run that ended STOPPED has a LastModifiedOn half a second after its CompletedOn.",
        ("response.completed-on.last-modified",),
    ),
    Fault(
        "listing-state-lags",
        "GetJobRuns reports each run as it was two stages earlier (a stale copy), so a run "
        "GetJobRun called SUCCEEDED is listed RUNNING.",
        ("lifecycle.transitions", "lifecycle.timestamps.monotonic"),
    ),
    Fault(
        "listing-timestamps-strings",
        "GetJobRuns items carry their timestamps as strings ('1602873931.255'); GetJobRun's are "
        "numbers.",
        ("response.timestamps.epoch-number",),
    ),
    Fault(
        "paging-skips-boundary-run",
        "With MaxResults above 1, each NextToken starts the next page one run too late: the run "
        "at every page boundary is never listed.",
        ("lifecycle.runs-listed", "lifecycle.runs-paging"),
    ),
    # --- protocol ----------------------------------------------------------------------------
    Fault(
        "json-content-type",
        "Every answer has Content-Type: application/json.",
        ("protocol.content-type",),
    ),
    Fault("no-request-id", "No x-amzn-RequestId header.", ("protocol.request-id",)),
    Fault(
        "get-job-runs-errors-as-json",
        "GetJobRuns builds its own error answers, with Content-Type: application/json "
        "(GetJobRun's are right).",
        ("protocol.property.envelope", "protocol.content-type"),
    ),
    Fault(
        "error-without-type",
        "Error bodies carry only a message: no __type, no code, no X-Amzn-ErrorType header.",
        ("protocol.error.type", "validation.error-type", "not-found.unknown-job"),
    ),
    Fault(
        "html-errors",
        "Every error is an HTML page (text/html), as a generic web framework would send.",
        ("protocol.error.body", "protocol.error.type", "protocol.content-type"),
    ),
    Fault(
        "malformed-json-500",
        "A body that is not JSON crashes the handler: 500 InternalServiceException.",
        ("protocol.malformed-json",),
    ),
    Fault(
        "non-object-body-500",
        "A body that is JSON but not an object (an array, a string, a number, null, true) "
        "crashes the handler: 500 InternalServiceException.",
        ("protocol.malformed-json", "protocol.property.envelope"),
    ),
    Fault(
        "trailing-garbage-accepted",
        "The body is read up to the end of its first JSON value and the rest is ignored: "
        "'{...}}' or '{...}x' is served as the object.",
        ("protocol.malformed-json", "protocol.property.envelope"),
    ),
    Fault(
        "invalid-utf8-500",
        "A body whose bytes are not UTF-8 crashes the handler while decoding: 500.",
        ("protocol.malformed-json", "protocol.property.envelope"),
    ),
    Fault(
        "empty-body-500",
        "An empty (or whitespace-only) body crashes the handler: 500.",
        ("protocol.malformed-json", "protocol.property.envelope"),
    ),
    Fault(
        "non-finite-numbers-accepted",
        "NaN and Infinity literals are read as numbers (Python's json default) and, where a "
        "string is expected, used as 'nan' and 'inf': looked up and not found.",
        ("protocol.malformed-json", "protocol.property.envelope"),
    ),
    Fault(
        "get-job-runs-malformed-not-found",
        "GetJobRuns reads a body it cannot parse as no input and looks up no job: 400 "
        "EntityNotFoundException 'Job None not found.' (moto 5.2 does this); GetJobRun is "
        "unaffected.",
        ("protocol.malformed-json", "protocol.property.envelope"),
    ),
    Fault(
        "unknown-operation-200",
        "An unknown X-Amz-Target is answered 200 with {}.",
        ("protocol.unknown-operation",),
    ),
    Fault(
        "no-auth-check",
        "Unsigned requests are served like signed ones.",
        ("protocol.auth.missing",),
    ),
    # --- transport: answers that are not answers --------------------------------------------
    # Each fires on one valid name (a named not-found case of the suite) so the rest of the run
    # goes on, as it would against an emulator that breaks on one input.
    Fault(
        "stalls",
        "GetJobRun for JobName 'job\\x7f' is never answered (the server waits until the "
        "client gives up).",
        ("protocol.answers",),
    ),
    Fault(
        "drops-connection",
        "GetJobRun for JobName 'job\\x85' gets headers and half a body, then the connection "
        "is closed.",
        ("protocol.answers",),
    ),
    Fault(
        "oversized-answer",
        "GetJobRun for JobName ' job ' is answered with a 5 MiB body.",
        ("protocol.answers",),
    ),
    Fault(
        "not-http",
        "GetJobRun for JobName 'job\\tname' is answered with bytes that are not HTTP.",
        ("protocol.answers",),
    ),
    Fault(
        "truncated-json",
        "GetJobRun for JobName 'job-\\U0001f680' is answered with the first half of its JSON "
        "body (a consistent Content-Length, so only the JSON is broken).",
        ("not-found.unknown-job",),
    ),
]

# The one JobName that sets off each transport fault: named edge cases of several characters,
# which the property tests' draws do not hit, so each fault fails exactly one check.
TRANSPORT_TRIGGERS: dict[str, str] = {
    "stalls": "job\x7f",
    "drops-connection": "job\x85",
    "oversized-answer": " job ",
    "not-http": "job\tname",
    "truncated-json": "job-\U0001f680",
}

_VARIANTS = [
    Variant(
        "namespaced-error-type",
        "__type carries the shape's namespace: 'com.amazonaws.glue#EntityNotFoundException', "
        "'com.amazon.coral.service#SerializationException', "
        "'com.amazon.coral.validate#ValidationException'.",
    ),
    Variant(
        "suffixed-error-type",
        "__type carries a Coral URI suffix: "
        "'ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/'.",
    ),
    Variant("error-type-header", "Errors also send X-Amzn-ErrorType with the type."),
    Variant(
        "error-type-header-only",
        "The type is only in the X-Amzn-ErrorType header; the body has no __type.",
    ),
    Variant("error-type-code-member", "The body names the type in 'code' instead of '__type'."),
    Variant(
        "message-key-swapped",
        "Framework errors use 'Message' and Glue's modelled errors 'message'.",
    ),
    Variant(
        "extra-response-members",
        "Unmodelled members appear in JobRun and at the top level of every success body.",
    ),
    Variant(
        "utf16-lengths",
        "Lengths are counted in UTF-16 code units (an emoji counts 2), as a Java service "
        "calling String.length() would.",
    ),
    Variant("auth-403", "A missing signature is answered with HTTP 403, not 400."),
    Variant(
        "optional-members-absent",
        "JobRun has only Id, Attempt, JobName, StartedOn, LastModifiedOn, JobRunState, the "
        "Arguments the run was started with (and CompletedOn when terminal), and what it "
        "reports of its job and its start (Timeout, WorkerType, NumberOfWorkers, GlueVersion: "
        "evidence section 11).",
    ),
    Variant("integral-timestamps", "Timestamps are whole seconds (JSON integers)."),
    Variant(
        "scalar-coerced",
        "A number or boolean where a string is expected is taken as its string form "
        "(true -> 'true', 12 -> '12').",
    ),
    Variant(
        "integer-scalars-coerced",
        "A numeric string, a fractional number or a boolean where an integer is expected is "
        "coerced ('5' -> 5 and 1.5 -> 1, as Jackson does by default; true -> 1).",
    ),
    Variant(
        "non-object-body-validation",
        "A body that is JSON but not an object is read as no input: 400 ValidationException for "
        "the missing required members, not SerializationException.",
    ),
    Variant(
        "empty-body-as-empty-object",
        "An empty body is read as '{}': 400 ValidationException for the missing required "
        "members, not SerializationException.",
    ),
    Variant("slow", "Every answer comes 150 ms late."),
    Variant(
        "waiting-first", "A run waits in WAITING (job run queuing) for one stage before STARTING."
    ),
    Variant("run-fails", "Runs end in FAILED, with an ErrorMessage, instead of SUCCEEDED."),
    Variant("run-id-uuid", "Run ids are UUIDs (IdString allows any 1-255 characters)."),
    Variant(
        "timeout-default-2880-glue5",
        "Glue 5.x runs with no Timeout report 2880, as 4.0 runs do (no capture shows 480).",
    ),
    Variant(
        "arguments-empty-object",
        'A run started without Arguments reports "Arguments": {} instead of no key.',
    ),
    Variant("predecessors-absent", "JobRun has no PredecessorRuns key."),
    Variant(
        "small-default-page",
        "GetJobRuns without MaxResults answers pages of 2 runs (the default page size is not "
        "known: evidence section 17).",
    ),
    Variant(
        "runs-finish-at-once",
        "A run is SUCCEEDED by its first GetJobRun (as moto's default), so it is never seen going.",
    ),
    Variant(
        "clock-minutes-off",
        "The server's clock is five minutes slow: every timestamp is 300 s behind the world's "
        "(inside SigV4's window, evidence section 16).",
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
