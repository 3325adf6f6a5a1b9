"""The catalogue of conformance rules: stable ids, one-line statements, and the evidence for each.

Reports, baselines and diffs key on these ids, so an id never changes meaning. Every rule says
where its truth about AWS comes from (the model, the API reference page, or recorded behaviour in
the evidence report shipped as glue_conformance/evidence/aws-behavior.md, by section) and how sure
that is. A rule whose evidence is weak is `tolerant`: its check records what the target did and
never fails it.

A citation names the section and the command that prints it (`glue-conformance evidence N`):
the repository path means nothing to a user who installed the wheel.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Strictness(enum.StrEnum):
    STRICT = "strict"  # a deviation fails the run
    TOLERANT = "tolerant"  # AWS behaviour uncertain: observed and reported, never failed


class Group(enum.StrEnum):
    VALIDATION = "validation"
    NOT_FOUND = "not-found"
    RESPONSE = "response"
    PROTOCOL = "protocol"
    LIFECYCLE = "lifecycle"
    SDK = "sdk"


@dataclass(frozen=True)
class Evidence:
    source: str
    confidence: str  # "high" | "medium" | "low" | "model"
    section: str | None = None  # the evidence report's section, when it is the source

    def __str__(self) -> str:
        return f"{self.source} (confidence: {self.confidence})"


@dataclass(frozen=True)
class Rule:
    id: str
    group: Group
    statement: str
    evidence: tuple[Evidence, ...]
    strictness: Strictness = Strictness.STRICT
    # A strict rule of several independent conditions names each (a word its deviation's text
    # carries), so every one of them needs a seeded fault of its own (Fault.clause).
    clauses: tuple[str, ...] = ()

    def cite(self) -> str:
        return "; ".join(str(e) for e in self.evidence)

    def sections(self) -> tuple[str, ...]:
        """The evidence report's sections this rule rests on, in citation order, once each."""
        return tuple(dict.fromkeys(e.section for e in self.evidence if e.section))


MODEL = Evidence("botocore glue 2017-03-31 service model", "model")
API_PAGE = Evidence("AWS Glue API reference, GetJobRun", "high")


def citation(section: str) -> str:
    """How a failure cites a section of the evidence report: by a command that prints it from
    any install (a wheel has no repository path to open)."""
    return f"evidence section {section} (glue-conformance evidence {section})"


SMITHY_JSON = Evidence(
    f"smithy awsJson1_1 protocol spec + protocol tests, {citation('3')}", "high", section="3"
)


def _ev(section: str, confidence: str, detail: str = "") -> Evidence:
    suffix = f": {detail}" if detail else ""
    return Evidence(f"{citation(section)}{suffix}", confidence, section)


_RULES = [
    # --- validation (evidence 1, 9) ----------------------------------------------------------
    Rule(
        "validation.status.400",
        Group.VALIDATION,
        "A request that breaks a model constraint gets HTTP 400 (never 2xx, never 5xx).",
        (MODEL, _ev("1", "high", "Glue ValidationException captures")),
    ),
    Rule(
        "validation.error-type",
        Group.VALIDATION,
        "A constraint violation's error type resolves to ValidationException.",
        (_ev("1", "high", "boto/boto3#3229, dbt-labs/dbt-core#7475"),),
    ),
    Rule(
        "validation.message.grammar",
        Group.VALIDATION,
        "The message reads 'N validation error(s) detected: ' followed by N entries "
        "'Value ... at '<member>' failed to satisfy constraint: Member must ...' joined by '; '.",
        (_ev("1", "high", "Coral message grammar"),),
    ),
    Rule(
        "validation.message.member",
        Group.VALIDATION,
        "The message names the broken member in lowerCamelCase: at 'jobName' / at 'runId'.",
        (_ev("1", "medium", "lowerCamel paths seen for other Glue operations"),),
    ),
    Rule(
        "validation.message.constraint",
        Group.VALIDATION,
        "The message states the constraint broken (length <= 255, length >= 1, the pattern, "
        "or 'must not be null').",
        (MODEL, _ev("1", "high", "exact constraint phrases")),
    ),
    Rule(
        "validation.type-mismatch",
        Group.VALIDATION,
        "A member of the wrong JSON type (list/object for a string, string for a boolean) gets "
        "400 SerializationException or ValidationException.",
        (_ev("9", "medium", "Coral JSON deserializer"),),
    ),
    Rule(
        "validation.scalar-for-number",
        Group.VALIDATION,
        "A numeric string, a fractional number or a boolean where an integer is expected: no "
        "evidence whether AWS coerces it; what the target does is recorded (a 5xx still fails).",
        (_ev("9", "low", "captures cover string-for-boolean only"),),
        Strictness.TOLERANT,
    ),
    Rule(
        "validation.scalar-for-string",
        Group.VALIDATION,
        "A number or boolean where a string is expected: no evidence whether AWS coerces it; "
        "what the target does is recorded.",
        (_ev("9", "low", "not covered by captures"),),
        Strictness.TOLERANT,
    ),
    Rule(
        "validation.length.utf16",
        Group.VALIDATION,
        "Lengths of values with supplementary characters: code points (smithy) or UTF-16 units; "
        "either is accepted and the target's choice is recorded.",
        (_ev("7", "low"),),
        Strictness.TOLERANT,
    ),
    Rule(
        "validation.max-results.range",
        Group.VALIDATION,
        "GetJobRuns with MaxResults 0 or 201 (outside 1..200) gets a 4xx refusal.",
        (MODEL, _ev("17", "high", "OrchestrationPageSize200"), _ev("1", "high")),
    ),
    Rule(
        "validation.property.invalid-requests",
        Group.VALIDATION,
        "Every generated request that breaks one constraint gets 400 ValidationException naming "
        "the member and the constraint (property-based).",
        (MODEL, _ev("1", "high")),
    ),
    # --- not found (evidence 2) --------------------------------------------------------------
    Rule(
        "not-found.unknown-job",
        Group.NOT_FOUND,
        "A valid but unknown JobName gets 400 EntityNotFoundException with a non-empty message.",
        (API_PAGE, _ev("2", "high")),
    ),
    Rule(
        "not-found.unknown-run",
        Group.NOT_FOUND,
        "A known job with an unknown RunId gets 400 EntityNotFoundException with a non-empty "
        "message.",
        (API_PAGE, _ev("2", "high")),
    ),
    Rule(
        "not-found.property.valid-names",
        Group.NOT_FOUND,
        "Every valid JobName/RunId pair that does not exist gets EntityNotFoundException, never a "
        "validation error (property-based).",
        (MODEL, API_PAGE, _ev("2", "high")),
    ),
    Rule(
        "not-found.run-under-other-job",
        Group.NOT_FOUND,
        "A run that exists, asked for under another existing job or an unknown job, gets "
        "EntityNotFoundException: a run is found only under its own job.",
        (MODEL, _ev("2", "high"), _ev("11", "high", "GetJobRun keys on JobName and RunId")),
    ),
    Rule(
        "not-found.run-id-exact",
        Group.NOT_FOUND,
        "A run's RunId with its letter case changed, or padded with a space, gets "
        "EntityNotFoundException: the lookup is exact (a space is a valid character).",
        (MODEL, _ev("2", "high")),
    ),
    Rule(
        "not-found.delete-unknown-job",
        Group.NOT_FOUND,
        "DeleteJob of a job that does not exist answers like a success (HTTP 200, no error "
        'type): the model, "If the job definition is not found, no exception is thrown."',
        (MODEL, _ev("24", "high", "DeleteJob model text")),
    ),
    Rule(
        "not-found.deleted-job",
        Group.NOT_FOUND,
        "What GetJobRun, GetJobRuns, StartJobRun and BatchStopJobRun answer for a job deleted "
        "while its run was going, and for that run: not captured (every open-source emulator "
        "drops them); recorded.",
        (MODEL, _ev("24", "high", "DeleteJob; its runs afterwards not captured")),
        Strictness.TOLERANT,
    ),
    Rule(
        "not-found.job-name-exact",
        Group.NOT_FOUND,
        "A job's name changed the way a text-handling bug changes it (letter case, case folding, "
        "another Unicode normal form, whitespace added or trimmed, a tab read as a space, a "
        "character dropped or added) gets EntityNotFoundException: the lookup is exact.",
        (MODEL, _ev("2", "high"), _ev("7", "high", "NameString: any such edit is another name")),
    ),
    # --- response (evidence 4, model) --------------------------------------------------------
    Rule(
        "response.status.200",
        Group.RESPONSE,
        "GetJobRun for an existing run answers HTTP 200.",
        (API_PAGE,),
    ),
    Rule(
        "response.schema",
        Group.RESPONSE,
        "The 200 body validates against the response schema generated from the model.",
        (MODEL, _ev("4", "medium")),
    ),
    Rule(
        "response.timestamps.epoch-number",
        Group.RESPONSE,
        "StartedOn, LastModifiedOn and CompletedOn are JSON numbers (epoch seconds).",
        (SMITHY_JSON, _ev("4", "high", "aws-cli recorded get-job-run")),
    ),
    Rule(
        "response.id.matches-request",
        Group.RESPONSE,
        "JobRun.Id equals the RunId asked for.",
        (MODEL, _ev("4", "medium")),
    ),
    Rule(
        "response.jobname.matches-request",
        Group.RESPONSE,
        "JobRun.JobName equals the JobName asked for.",
        (MODEL, _ev("4", "medium")),
    ),
    Rule(
        "response.arguments.echoed",
        Group.RESPONSE,
        "The Arguments given to StartJobRun come back in JobRun.Arguments.",
        (MODEL, _ev("4", "medium", "recorded run returns its Arguments")),
    ),
    Rule(
        "response.timestamps.order",
        Group.RESPONSE,
        "StartedOn <= LastModifiedOn, and CompletedOn (when present) is not before StartedOn.",
        (MODEL, _ev("4", "medium")),
        clauses=("LastModifiedOn", "CompletedOn"),
    ),
    Rule(
        "response.state.enum",
        Group.RESPONSE,
        "JobRunState is one of the model's enum values.",
        (MODEL, _ev("5", "high")),
    ),
    Rule(
        "response.predecessor-runs.well-formed",
        Group.RESPONSE,
        "PredecessorRuns, when present, is a list of {JobName, RunId} strings.",
        (MODEL,),
    ),
    Rule(
        "response.completed-on.terminal-only",
        Group.RESPONSE,
        "CompletedOn appears only on terminal states (soft: no written invariant).",
        (_ev("5", "low"),),
        Strictness.TOLERANT,
    ),
    Rule(
        "response.job.reflected",
        Group.RESPONSE,
        "A run started with only JobName reports its job's GlueVersion, Timeout, WorkerType and "
        "NumberOfWorkers.",
        (MODEL, _ev("11", "medium", "umccr/orcaglue, dwango captures")),
    ),
    Rule(
        "response.run.overrides",
        Group.RESPONSE,
        "StartJobRun's Timeout, WorkerType and NumberOfWorkers, when given, are what the run "
        "reports (the model: they override the job's).",
        (MODEL, _ev("11", "high", "JobRun.Timeout overrides the job's timeout")),
    ),
    Rule(
        "response.arguments.own",
        Group.RESPONSE,
        "A run's Arguments are exactly its own: absent or empty when StartJobRun gave none, never "
        "a DefaultArguments key, and an older run keeps its own after newer runs start.",
        (_ev("13", "high", "three captures: dwango, umccr/orcaglue, serverless-patterns"),),
    ),
    Rule(
        "response.attempt.first",
        Group.RESPONSE,
        "A first run has Attempt 0 and no PreviousRunId.",
        (
            _ev("14", "high", "every first-run capture; aws-cli get-job-run.rst"),
            _ev("23", "medium", "a LocalStack test validated against AWS: attempts count from 0"),
        ),
    ),
    Rule(
        "response.previous-run-id",
        Group.RESPONSE,
        "A run started with StartJobRun JobRunId=X reports PreviousRunId X.",
        (MODEL, _ev("14", "medium", "JobRun.PreviousRunId: the JobRunId given to StartJobRun")),
    ),
    Rule(
        "response.timeout.default",
        Group.RESPONSE,
        "When neither the job nor the run sets Timeout, a run of Glue 4.0 or earlier reports "
        "Timeout 2880 (minutes).",
        (MODEL, _ev("12", "medium", "serverless-patterns capture; model text")),
    ),
    Rule(
        "response.timeout.default-glue5",
        Group.RESPONSE,
        "The default Timeout of a Glue 5.0 run: the model says 480, no capture shows it; what the "
        "target reports is recorded.",
        (_ev("12", "low", "no capture of 480"), _ev("22", "low")),
        Strictness.TOLERANT,
    ),
    Rule(
        "response.job.after-update",
        Group.RESPONSE,
        "Which definition a run started before an UpdateJob of its job reports afterwards (the "
        "one it started under, or the updated one): the evidence covers a run and its job as "
        "started only; what the target reports is recorded.",
        (MODEL, _ev("11", "medium", "runs reflect the job; no capture across an update")),
        Strictness.TOLERANT,
    ),
    Rule(
        "response.capacity.max-capacity",
        Group.RESPONSE,
        "What a run reports as MaxCapacity when its job or StartJobRun gave capacity as "
        "MaxCapacity (a Python shell job takes 0.0625 or 1): the model text makes it the run's "
        "DPU, one capture shows it; what the target reports is recorded.",
        (MODEL, _ev("11", "medium", "Python shell MaxCapacity 0.0625 capture")),
        Strictness.TOLERANT,
    ),
    Rule(
        "response.capacity.workers",
        Group.RESPONSE,
        "A G.1X or G.2X run whose capacity is given as workers reports AllocatedCapacity and "
        "MaxCapacity (when present) equal to NumberOfWorkers times the type's DPU, read from "
        "the model's WorkerType text (1 and 2).",
        (MODEL, _ev("24", "medium", "four captures: G.1X x 10, x 2; G.2X x 6"), _ev("4", "medium")),
    ),
    Rule(
        "response.capacity.workers-other",
        Group.RESPONSE,
        "What a run of the other worker types (G.025X, G.4X and up, R, Z) reports as "
        "AllocatedCapacity and MaxCapacity against NumberOfWorkers times the DPU of the model's "
        "WorkerType text: no capture covers them; recorded.",
        (MODEL, _ev("24", "medium", "no capture for these types")),
        Strictness.TOLERANT,
    ),
    Rule(
        "response.dpu-seconds",
        Group.RESPONSE,
        "When a run reports DPUSeconds, and whether it is at most ExecutionTime times "
        "MaxCapacity (the model text: set for FLEX or Auto Scaling runs, and possibly less): "
        "whether Auto Scaling was on in the captures is not known; recorded.",
        (MODEL, _ev("24", "high", "the model text"), _ev("4", "medium")),
        Strictness.TOLERANT,
    ),
    Rule(
        "response.execution-class.flex",
        Group.RESPONSE,
        "What a run of a glueetl job of Glue 3.0 or later started with ExecutionClass FLEX (its "
        "job's or its own) reports as ExecutionClass: the model lets such jobs set FLEX, no "
        "capture shows a FLEX run (section 12: ExecutionClass absent from API-created runs); "
        "recorded.",
        (MODEL, _ev("24", "high", "model text"), _ev("11", "high"), _ev("12", "low")),
        Strictness.TOLERANT,
    ),
    Rule(
        "response.execution-class.elsewhere",
        Group.RESPONSE,
        "What the target answers to ExecutionClass FLEX on a job the model does not let set it "
        "(a Python shell job, a Glue 2.0 job): a refusal and its type, or the run's "
        "ExecutionClass; the evidence has no error to require; recorded.",
        (MODEL, _ev("24", "high", "model text; the answer is not captured")),
        Strictness.TOLERANT,
    ),
    Rule(
        "response.timestamps.near-clock",
        Group.RESPONSE,
        "Every timestamp lies within the clock window (--glue-clock-window, default 15 minutes) "
        "of the client's clock around the calls: a run the suite started began after its "
        "StartJobRun was sent, and nothing happened after the answer came back.",
        (_ev("16", "high", "SigV4 skew windows of 5 and 15 minutes"),),
    ),
    Rule(
        "response.execution-time.bounded",
        Group.RESPONSE,
        "ExecutionTime is an integer number of seconds, at least 0 and no more than the run has "
        "existed: ceil(CompletedOn - StartedOn) once terminal, and never more than the seconds "
        "since the suite sent its StartJobRun.",
        (MODEL, _ev("15", "medium", "6 terminal captures, 1 RUNNING capture")),
    ),
    Rule(
        "response.completed-on.last-modified",
        Group.RESPONSE,
        "Once a run is terminal, CompletedOn equals LastModifiedOn.",
        (
            _ev("4", "medium"),
            _ev("15", "medium", "every terminal capture"),
            _ev("23", "medium", "aws-insurancelake-etl SUCCEEDED and FAILED runs"),
        ),
    ),
    Rule(
        "response.trigger.absent",
        Group.RESPONSE,
        "A run started by StartJobRun has no TriggerName, and its PredecessorRuns is absent or "
        "empty whether or not PredecessorsIncluded is set.",
        (MODEL, _ev("18", "high", "PredecessorRuns [] in every capture")),
    ),
    Rule(
        "response.run-id.shape",
        Group.RESPONSE,
        "Every captured AWS run id is 'jr_' and 64 lowercase hex digits; IdString allows any "
        "1-255 characters, so the shape the target uses is recorded.",
        (_ev("14", "medium", "aws-cli examples, umccr, dwango"),),
        Strictness.TOLERANT,
    ),
    # --- life cycle (evidence 5) -------------------------------------------------------------
    Rule(
        "lifecycle.transitions",
        Group.LIFECYCLE,
        "States seen for a run, from any operation (GetJobRun polls, GetJobRuns items), follow the "
        "Glue life cycle; a terminal state never changes.",
        (MODEL, _ev("5", "high", "JobRunState enum and job-run-statuses page")),
    ),
    Rule(
        "lifecycle.timestamps.monotonic",
        Group.LIFECYCLE,
        "Across observations of one run, whichever operation reported them, StartedOn never "
        "changes and LastModifiedOn never goes back.",
        (_ev("4", "medium"),),
        clauses=("StartedOn", "LastModifiedOn"),
    ),
    Rule(
        "lifecycle.runs-listed",
        Group.LIFECYCLE,
        "Every run started appears in GetJobRuns for its job.",
        (MODEL,),
    ),
    Rule(
        "lifecycle.domain-accepted",
        Group.LIFECYCLE,
        "CreateJob, UpdateJob and StartJobRun with values the model allows (every name class at "
        "lengths valid under both counts, every job kind, WorkerType and capacity, Timeout at "
        "its bounds, long Arguments under the request size limit) are never refused with "
        "ValidationException.",
        (MODEL, _ev("1", "high"), _ev("7", "high"), _ev("23", "high", "Request size limit")),
    ),
    Rule(
        "lifecycle.stop-ends-stopped",
        Group.LIFECYCLE,
        "A run whose stop BatchStopJobRun accepted ends STOPPED (through STOPPING).",
        (MODEL, _ev("5", "high", "job-run-statuses page")),
    ),
    Rule(
        "lifecycle.stateful",
        Group.LIFECYCLE,
        "Across random sequences of StartJobRun, GetJobRun, BatchStopJobRun and GetJobRuns, "
        "GetJobRun returns the run started, every run is listed, states follow the life cycle, "
        "timestamps never go back, and a stopped run ends STOPPED (stateful property).",
        (MODEL, _ev("5", "high")),
    ),
    Rule(
        "lifecycle.attempt.stable",
        Group.LIFECYCLE,
        "A run's Attempt never changes between observations of it (a retry is a run of its own).",
        (_ev("14", "high", "aws-cli get-job-runs.rst _attempt_N runs"),),
    ),
    Rule(
        "lifecycle.runs-newest-first",
        Group.LIFECYCLE,
        "GetJobRuns lists a job's runs newest first (StartedOn never increases down the list).",
        (MODEL, _ev("17", "high", "model doc; aws-cli get-job-runs.rst")),
    ),
    Rule(
        "lifecycle.runs-paging",
        Group.LIFECYCLE,
        "GetJobRuns pages with MaxResults and NextToken: no page holds more than MaxResults, a "
        "page before the last carries a NextToken, the last carries none, and the pages hold "
        "every run once.",
        (MODEL, _ev("17", "high", "paginators-1.json")),
    ),
    Rule(
        "lifecycle.runs-agree",
        Group.LIFECYCLE,
        "Every observation of a run, from GetJobRun or any GetJobRuns page, agrees on what never "
        "changes (Id, JobName, StartedOn, Attempt, Arguments, GlueVersion, Timeout, WorkerType, "
        "NumberOfWorkers, PreviousRunId).",
        (MODEL, _ev("17", "medium")),
    ),
    Rule(
        "lifecycle.runs-only-own",
        Group.LIFECYCLE,
        "GetJobRuns of a job lists only that job's runs: every item names the job asked for and "
        "is a run started in it.",
        (MODEL, _ev("17", "high", "GetJobRuns: the runs of a given job definition")),
    ),
    Rule(
        "lifecycle.stop-only-named",
        Group.LIFECYCLE,
        "BatchStopJobRun stops only the runs it names: a run no stop named never reports STOPPING "
        "or STOPPED.",
        (MODEL, _ev("20", "medium", "SuccessfulSubmissions: the runs submitted for stopping")),
    ),
    Rule(
        "lifecycle.timestamps.elapsed",
        Group.LIFECYCLE,
        "A run's LastModifiedOn and CompletedOn are at most as far after its StartedOn as the "
        "client's clock saw pass from sending StartJobRun to receiving the answer (give or take a "
        "second of timestamp granularity); the server clock's offset cancels out.",
        (_ev("15", "medium", "LastModifiedOn - StartedOn on real runs"), _ev("16", "high")),
    ),
    # --- relations that need time or a second run (issue 26) -------------------------------
    Rule(
        "lifecycle.ended-unchanged",
        Group.LIFECYCLE,
        "Once a run is seen ended, no later observation of it (from any operation, seconds "
        "later too) changes what it reported: JobRunState, CompletedOn, LastModifiedOn, "
        "ExecutionTime, ErrorMessage, DPUSeconds.",
        (
            _ev("5", "high", "a terminal state is final"),
            _ev("15", "medium", "CompletedOn == LastModifiedOn on every terminal capture"),
        ),
    ),
    Rule(
        "lifecycle.started-on.spacing",
        Group.LIFECYCLE,
        "Two runs started one after the other by the client have StartedOn in that order and "
        "about as far apart as the client's two StartJobRun calls (at least the gap between "
        "the first answer and the second request, at most the span from the first request to "
        "the second answer, give or take a second of timestamp granularity); the server "
        "clock's offset cancels out.",
        (
            _ev("4", "medium", "StartedOn: when the run started, epoch seconds"),
            _ev("16", "high", "one server's clock, whatever its offset"),
        ),
    ),
    Rule(
        "lifecycle.run-id.fresh",
        Group.LIFECYCLE,
        "Every StartJobRun answers a JobRunId that no earlier StartJobRun answered (a run id "
        "names one run).",
        (MODEL, _ev("14", "medium", "every captured id is jr_ and 64 hex digits")),
    ),
    Rule(
        "lifecycle.stop-answer",
        Group.LIFECYCLE,
        "A BatchStopJobRun answer lists only ids the request named, none of them both in "
        "SuccessfulSubmissions and in Errors (once), and never lists as submitted for stopping "
        "an id that names no run (unknown) or a run of another job (foreign); where an ended "
        "run is listed, and a call refused as a whole, are left open (no capture).",
        (
            MODEL,
            _ev("20", "medium", "SuccessfulSubmissions: the JobRuns submitted for stopping"),
            _ev("23", "high", "a real answer: the run submitted, Errors []"),
        ),
        clauses=("once", "unknown", "foreign"),
    ),
    # --- what a run may not do, and what waits (issue 35, evidence 24) ---------------------
    Rule(
        "lifecycle.concurrency.limit",
        Group.LIFECYCLE,
        "A StartJobRun while as many runs of the job as its MaxConcurrentRuns (1 when the "
        "member is absent; UpdateJob's value for the starts after it) are RUNNING is refused "
        "with ConcurrentRunsExceededException (HTTP 400); once those runs ended, or UpdateJob "
        "raised the limit, a start is accepted. Which other states count is not judged.",
        (
            MODEL,
            _ev("24", "high", "MaxConcurrentRuns: 'The default is 1. An error is returned'"),
            _ev("20", "high", "a real ConcurrentRunsExceededException"),
        ),
        clauses=("limit", "type", "freed"),
    ),
    Rule(
        "lifecycle.concurrency.message",
        Group.LIFECYCLE,
        "The refusal of a start beyond the limit says 'Concurrent runs exceeded for <JobName>' "
        "(observed: moto says 'Job with name ... already running').",
        (_ev("23", "high", "aws-solutions/amazon-marketing-cloud-uploader-from-aws#51"),),
        Strictness.TOLERANT,
    ),
    Rule(
        "lifecycle.queuing.accepted",
        Group.LIFECYCLE,
        "A StartJobRun with JobRunQueuingEnabled true beyond the limit is not refused (its run "
        "is WAITING or moves on), whatever the job's own JobRunQueuingEnabled says: the run's "
        "value wins.",
        (
            MODEL,
            _ev("11", "high", "Job.JobRunQueuingEnabled: the job run's value is used"),
            _ev("24", "medium", "model and guide text on queuing; no capture"),
        ),
    ),
    Rule(
        "lifecycle.queuing.observed",
        Group.LIFECYCLE,
        "What queuing shows: a queued run's states, its StateDetail and StartedOn while "
        "WAITING, how long it waits and when it moves on; the answer to a start with queuing "
        "on the job only, or off on the run, or together with FLEX or MaxRetries above 0.",
        (_ev("24", "medium", "no capture of a WAITING run"),),
        Strictness.TOLERANT,
    ),
    # --- protocol (evidence 3, 8) ------------------------------------------------------------
    Rule(
        "protocol.answers",
        Group.PROTOCOL,
        "Every request gets one complete HTTP answer within the timeout, of a size a GetJobRun "
        "answer can have (not a stall, a connection closed mid-answer, bytes that are not HTTP, "
        "or a body over the size limit).",
        (
            Evidence("RFC 9112 HTTP/1.1 message framing", "high"),
            Evidence("smithy awsJson1_1: every operation call gets a response", "high"),
        ),
    ),
    Rule(
        "protocol.no-server-error",
        Group.PROTOCOL,
        "No request the suite sends gets a 5xx answer: where AWS's answer is not known (a number "
        "for a string, a length in UTF-16 units), it is still a 4xx refusal or a 2xx, never a "
        "server error.",
        (_ev("9", "medium", "never 2xx or 5xx for a type mismatch"), _ev("10", "low")),
    ),
    Rule(
        "protocol.content-type",
        Group.PROTOCOL,
        "Every AWS JSON 1.1 answer has Content-Type: application/x-amz-json-1.1.",
        (SMITHY_JSON, _ev("3", "high", "pplu/aws-sdk-perl#237 headers")),
    ),
    Rule(
        "protocol.request-id",
        Group.PROTOCOL,
        "Every answer carries an x-amzn-RequestId header.",
        (_ev("3", "high"), _ev("23", "high", "a real Glue answer's headers")),
    ),
    Rule(
        "protocol.error.type",
        Group.PROTOCOL,
        "Every error answer names its type in __type, code or X-Amzn-ErrorType, resolvable by "
        "the smithy rules (namespace prefix and ':' suffix tolerated).",
        (SMITHY_JSON,),
    ),
    Rule(
        "protocol.error.body",
        Group.PROTOCOL,
        "Every error body is a JSON object matching the AWS JSON 1.1 error envelope.",
        (SMITHY_JSON,),
    ),
    Rule(
        "protocol.malformed-json",
        Group.PROTOCOL,
        "A body that is not JSON (not JSON text, truncated, trailing garbage, invalid UTF-8, "
        "NaN) gets 400 SerializationException; JSON that is not an object, 400 "
        "SerializationException or ValidationException; an empty body, a 4xx.",
        (
            _ev("8", "high", "pplu/aws-sdk-perl#237, mhart/kinesalite#101"),
            _ev("7", "medium", "malformed bytes"),
            _ev("9", "medium", "a value of the wrong JSON type"),
        ),
    ),
    Rule(
        "protocol.property.envelope",
        Group.PROTOCOL,
        "Every generated malformed body and every generated wrong-typed member, on GetJobRun and "
        "GetJobRuns, is refused as its own rule says (protocol.malformed-json, "
        "validation.type-mismatch; a wrong type the evidence leaves open, never with a 5xx), "
        "in the AWS JSON 1.1 envelope (content type, request id, error type and body) "
        "(property-based).",
        (
            _ev("8", "high", "pplu/aws-sdk-perl#237, mhart/kinesalite#101"),
            _ev("9", "medium", "Coral JSON deserializer"),
            SMITHY_JSON,
        ),
    ),
    Rule(
        "protocol.unknown-operation",
        Group.PROTOCOL,
        "An unknown X-Amz-Target gets a 4xx UnknownOperationException.",
        (_ev("8", "medium", "aws/aws-sdk-net#1536"),),
    ),
    Rule(
        "protocol.target-prefix",
        Group.PROTOCOL,
        "An X-Amz-Target with a wrong prefix (Foo.GetJobRun), no prefix, or a lowercase operation "
        "(AWSGlue.getJobRun) is neither served (2xx) nor a server error (5xx).",
        (_ev("19", "low", "smithy: 'service.operation'; no capture of AWS's answer"),),
    ),
    Rule(
        "protocol.auth.missing",
        Group.PROTOCOL,
        "A request with no signature is refused with 400 or 403 and an authentication error "
        "type (MissingAuthenticationToken and kin).",
        (_ev("8", "medium", "Storage Gateway docs table, DynamoDB captures"),),
    ),
    # --- the server side of awsJson1_1 (evidence 24: smithy protocol tests, appliesTo server)
    Rule(
        "protocol.content-type.parameters",
        Group.PROTOCOL,
        "A request whose Content-Type carries a parameter (application/x-amz-json-1.1; "
        "charset=utf-8) is served as the same request without it: GetJobRun and GetJobRuns of "
        "the suite's own job and run answer as they do without the parameter.",
        (_ev("24", "high", "smithy AwsJson11MustSupportParametersInContentType"),),
    ),
    Rule(
        "protocol.null.read-as-absent",
        Group.PROTOCOL,
        "A member sent as null is read as absent: an optional one (PredecessorsIncluded, "
        "MaxResults, NextToken) is answered as the request without it; a required one (JobName, "
        "RunId) is refused as missing, 400 ValidationException 'Member must not be null'.",
        (
            _ev("24", "high", "smithy AwsJson11ServersDontDeserializeNullStructureValues"),
            _ev("1", "high", "Member must not be null"),
        ),
        clauses=("optional", "required"),
    ),
    Rule(
        "protocol.null.never-sent",
        Group.PROTOCOL,
        "No answer carries a JSON null for a member (a JobRun from any operation, a GetJobRuns "
        "page, an error body): a member with no value is left out. A null JobRun member fails "
        "response.schema too (the model's shapes admit no null); this rule also covers what the "
        "schema does not see (a page's NextToken, an error body).",
        (_ev("24", "high", "smithy AwsJson11ServersDontSerializeNullStructureValues"),),
    ),
    # --- the SDK's view ----------------------------------------------------------------------
    Rule(
        "sdk.response.parses",
        Group.SDK,
        "boto3 (parameter_validation=False) parses the GetJobRun answer: timestamps become "
        "datetimes, the run's Id and state are there.",
        (MODEL,),
    ),
    Rule(
        "sdk.not-found.modelled-exception",
        Group.SDK,
        "boto3 raises its modelled EntityNotFoundException for a missing run.",
        (MODEL, API_PAGE),
    ),
    Rule(
        "sdk.validation.error-code",
        Group.SDK,
        "boto3 surfaces a constraint violation as a ClientError with Code ValidationException.",
        (_ev("1", "high", "SDK captures"),),
    ),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def listing() -> str:
    """Every rule, one line each: id, group, strict/tolerant, statement, evidence sections. The
    same text for `--glue-list-rules` and `glue-conformance rules`, so the two cannot differ."""
    width = max(len(rule.id) for rule in _RULES)
    group_width = max(len(group.value) for group in Group)
    lines = []
    for rule in sorted(_RULES, key=lambda r: (r.group.value, r.id)):
        sections = rule.sections()
        if sections:
            where = f"evidence {', '.join(sections)}"
        else:  # the model or the API page alone: no section to print
            where = "; ".join(e.source for e in rule.evidence)
        lines.append(
            f"{rule.id:<{width}}  {rule.group.value:<{group_width}}  "
            f"{rule.strictness.value:<8}  {rule.statement}  [{where}]"
        )
    return "\n".join(lines)


if __name__ == "__main__":  # `python -m glue_conformance.rules`, as issue 23 tried it
    print(listing())
