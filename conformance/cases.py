"""Named request cases: the edges every run sends, labelled with what they break.

The property-based tests draw many more from `strategies`; these are the fixed points that make
every report comparable from run to run (their ids are part of the check ids in results.json).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from glue_conformance.coverage import Coverage
from glue_conformance.strategies import InvalidRequest, StringConstraints, Violation
from glue_conformance.strategies.constraints import id_string, name_string

ABSENT_JOB = "glue-conformance-absent-job"
ABSENT_RUN = "jr_glue_conformance_absent_run"

# --- contexts: where a negative case is sent ----------------------------------------------------
#
# A refusal of a request naming a job that does not exist may come from the lookup, not from
# the member under test: a target that looks the job up first answers EntityNotFoundException
# there, and only shows how it reads the member (a 5xx, an acceptance) once the job exists. So
# every negative case that names the placeholders is sent twice: as it is ("absent", its id as
# it always was) and with every other member naming the suite's own job and run ("live", the id
# with LIVE_SUFFIX), so that only the member under test is wrong.
ABSENT = "absent"
LIVE = "live"
CONTEXTS = (ABSENT, LIVE)  # in this order: a property's draw shrinks to the absent context
LIVE_SUFFIX = "-live"
# What a live body names until it is sent (`fill`): valid values, so a body built around them
# is what it would be around the real ones; never the name of anything a run creates.
LIVE_JOB = "glue-conformance-live-job"
LIVE_RUN = "jr_glue_conformance_live_run"
LIVE_BASE = {"JobName": LIVE_JOB, "RunId": LIVE_RUN}
# The coverage table's dimensions: each negative case (by its absent id) under the context it
# reached, or, for the live one, why it could not.
ABSENT_DIMENSION = "negative cases: absent job"
LIVE_DIMENSION = "negative cases: live job and run"
NOTHING_TO_FILL = "the member under test is the request's only JobName/RunId: nothing to fill"


def live_id(case_id: str) -> str:
    return case_id + LIVE_SUFFIX


def live_body(body: Mapping[str, Any]) -> dict[str, Any]:
    """`body` with each member that names the absent job or run naming the live one instead
    (still placeholders, filled at sending)."""
    swap = {"JobName": (ABSENT_JOB, LIVE_JOB), "RunId": (ABSENT_RUN, LIVE_RUN)}
    return {k: swap[k][1] if k in swap and v == swap[k][0] else v for k, v in body.items()}


def on_live(body: Mapping[str, Any], member: str) -> dict[str, Any]:
    """A drawn request breaking `member`, with its other JobName and RunId (valid values of no
    job) naming the live job and run instead (placeholders, filled at sending)."""
    return {k: LIVE_BASE[k] if k in LIVE_BASE and k != member else v for k, v in body.items()}


def _escaped(text: str) -> bytes:
    """`text` as it stands inside a JSON string of the ASCII JSON the transport sends."""
    return json.dumps(text, ensure_ascii=True)[1:-1].encode("ascii")


def fill(body: Any, job: str, run: str) -> Any:
    """A live body (a dict or raw bytes) naming the suite's job and run instead of the live
    placeholders. In raw bytes each whole placeholder is replaced; one a malformed body cut in
    two stays as it is (that body then names no job, as its absent twin does)."""
    if isinstance(body, bytes):
        for placeholder, value in ((LIVE_JOB, job), (LIVE_RUN, run)):
            body = body.replace(placeholder.encode("ascii"), _escaped(value))
        return body
    if isinstance(body, Mapping):
        names = {LIVE_JOB: job, LIVE_RUN: run}
        return {k: names.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    return body


def names_live(body: Any) -> bool:
    """Whether `body` names the live job or run anywhere (else it has no live context)."""
    if isinstance(body, bytes):
        return LIVE_JOB.encode("ascii") in body or LIVE_RUN.encode("ascii") in body
    if isinstance(body, Mapping):
        return any(v in (LIVE_JOB, LIVE_RUN) for v in body.values() if isinstance(v, str))
    return False


def reached(
    coverage: Coverage,
    family: str,
    absent: Iterable[str],
    live: Iterable[str],
    no_live: Mapping[str, str],
) -> None:
    """What one batch of negative cases of `family` reached: `absent` and `live` (their ids)
    were sent in those contexts; each case of `no_live` (by its absent id) was not sent live,
    for the reason given. The table counts a family's requests per context and names each case
    left out, by its id (a class is a key of the table, and results.json's redaction masks the
    value of a key naming a token: `GetJobRuns.NextToken-object` can be no class)."""
    absent, live = list(absent), list(live)
    coverage.declare(ABSENT_DIMENSION, [family])
    coverage.declare(LIVE_DIMENSION, [family])
    if absent:
        coverage.hit(ABSENT_DIMENSION, family, len(absent))
    if live:
        coverage.hit(LIVE_DIMENSION, family, len(live))
    for case, reason in no_live.items():
        coverage.skipped(LIVE_DIMENSION, case, reason)


@dataclass(frozen=True)
class Case:
    id: str
    invalid: InvalidRequest
    constraints: StringConstraints | None
    kind: str  # "constraint" | "type" | "scalar" | "utf16" | "multi"
    # For "multi": every (member, rule) the request breaks; the message must list each.
    breaks: tuple[tuple[str, Violation], ...] = ()
    context: str = ABSENT

    @property
    def body(self) -> dict[str, Any]:
        """As sent in the absent context; a live case's names the live placeholders (`fill`)."""
        return self.invalid.body

    @property
    def absent_id(self) -> str:
        return self.id.removesuffix(LIVE_SUFFIX) if self.context == LIVE else self.id

    def live(self) -> Case | None:
        """The same case on the suite's own job and run: every member that names the absent job
        or run names them instead (the members under test hold invalid values, so never a
        placeholder); None when no member is left to fill."""
        body = live_body(self.body)
        if not names_live(body):
            return None
        invalid = dataclasses.replace(self.invalid, body=body)
        return dataclasses.replace(self, id=live_id(self.id), invalid=invalid, context=LIVE)


_STRINGS: list[tuple[str, Any, Violation]] = [
    ("empty", "", Violation.LENGTH_MIN),
    ("256-chars", "a" * 256, Violation.LENGTH_MAX),
    ("4096-chars", "j" * 4096, Violation.LENGTH_MAX),
    # 128 'e' + U+0301: 256 code points but 128 grapheme clusters (and 384 UTF-8 bytes), so a
    # target counting what a reader sees lets it through.
    ("256-combining", "e\u0301" * 128, Violation.LENGTH_MAX),
    ("nul", "\x00", Violation.PATTERN),
    ("unit-separator", "job\x1f", Violation.PATTERN),
    ("bell-inside", "jo\x07b", Violation.PATTERN),
    ("trailing-newline", "job\n", Violation.PATTERN),
    ("trailing-crlf", "job\r\n", Violation.PATTERN),
    ("lone-high-surrogate", "job\ud800", Violation.PATTERN),
    ("lone-low-surrogate", "\udfffjob", Violation.PATTERN),
    ("reversed-surrogates", "\udc00\ud800", Violation.PATTERN),
    ("U+FFFE", "job\ufffe", Violation.PATTERN),
    ("U+FFFF", "\uffff", Violation.PATTERN),
]


def _body(member: str, value: Any) -> dict[str, Any]:
    return {"JobName": ABSENT_JOB, "RunId": ABSENT_RUN, member: value}


def invalid_cases() -> list[Case]:
    cases: list[Case] = []
    for member, constraints in (("JobName", name_string()), ("RunId", id_string())):
        for label, value, rule in _STRINGS:
            invalid = InvalidRequest(_body(member, value), member, rule, label)
            cases.append(Case(f"{member}-{label}", invalid, constraints, "constraint"))
        missing = {k: v for k, v in _body(member, "").items() if k != member}
        cases.append(
            Case(
                f"{member}-missing",
                InvalidRequest(missing, member, Violation.REQUIRED, "missing"),
                constraints,
                "constraint",
            )
        )
        cases.append(
            Case(
                f"{member}-null",
                InvalidRequest(_body(member, None), member, Violation.REQUIRED, "null"),
                constraints,
                "constraint",
            )
        )
        for label, value in (("list", ["job"]), ("object", {"name": "job"})):
            invalid = InvalidRequest(
                _body(member, value), member, Violation.TYPE, f"{label} for a string"
            )
            cases.append(Case(f"{member}-{label}", invalid, None, "type"))
        for label, value in (("number", 5), ("boolean", True)):
            invalid = InvalidRequest(
                _body(member, value), member, Violation.TYPE, f"{label} for a string"
            )
            cases.append(Case(f"{member}-{label}", invalid, None, "scalar"))
        utf16 = InvalidRequest(
            _body(member, "\U0001f600" * 128),
            member,
            Violation.LENGTH_MAX_UTF16,
            "128 emoji: 128 code points, 256 UTF-16 units",
        )
        cases.append(Case(f"{member}-128-emoji", utf16, constraints, "utf16"))
    for label, value in (("string", "true"), ("list", [True]), ("object", {"value": True})):
        invalid = InvalidRequest(
            {"JobName": ABSENT_JOB, "RunId": ABSENT_RUN, "PredecessorsIncluded": value},
            "PredecessorsIncluded",
            Violation.TYPE,
            f"{label} for a boolean",
        )
        cases.append(Case(f"PredecessorsIncluded-{label}", invalid, None, "type"))
    return cases


def multi_cases() -> list[Case]:
    """Requests that break several constraints at once: Coral lists every violation, with the
    count in front (evidence 1: '2 validation errors detected: ...; ...')."""
    both_members = {"JobName": "", "RunId": "r" * 256}
    two_on_one = {"JobName": "\x00" * 256, "RunId": ABSENT_RUN}
    return [
        Case(
            "JobName-empty+RunId-256-chars",
            InvalidRequest(both_members, "JobName", Violation.LENGTH_MIN, "two members broken"),
            name_string(),
            "multi",
            (("JobName", Violation.LENGTH_MIN), ("RunId", Violation.LENGTH_MAX)),
        ),
        Case(
            "JobName-256-nuls",
            InvalidRequest(
                two_on_one, "JobName", Violation.LENGTH_MAX, "length and pattern broken"
            ),
            name_string(),
            "multi",
            (("JobName", Violation.LENGTH_MAX), ("JobName", Violation.PATTERN)),
        ),
    ]


# Valid names at the edges of the pattern, each within 255 code points *and* 255 UTF-16 units so
# no counting rule makes them invalid: a target must judge each one "not found", not invalid.
VALID_EDGES: list[tuple[str, str]] = [
    ("tab", "\t"),
    ("tab-inside", "job\tname"),
    ("space", " "),
    ("spaces-around", " job "),
    ("U+D7FF", "\ud7ff"),
    ("U+E000", "\ue000"),
    ("U+FFFD", "\ufffd"),
    ("DEL", "job\x7f"),
    ("C1-control", "job\x85"),
    ("U+10000", "\U00010000"),
    ("U+10FFFF", "\U0010ffff"),
    ("emoji", "job-\U0001f680"),
    ("255-chars", "j" * 255),
    ("127-emoji", "\U0001f600" * 127),
    # 255 code points in 128 grapheme clusters and 382 UTF-8 bytes: valid under smithy's count,
    # refused by a target that counts bytes.
    ("255-combining", "e\u0301" * 127 + "e"),
]


def cases_of(kind: str) -> list[Case]:
    """The named cases of `kind`, as they are (the absent context)."""
    if kind == "multi":
        return multi_cases()
    return [case for case in invalid_cases() if case.kind == kind]


def in_both_contexts(cases: Iterable[Case]) -> list[Case]:
    """Each case, followed by its live twin where it has one."""
    return [twin for case in cases for twin in (case, case.live()) if twin is not None]


def without_live(cases: Iterable[Case]) -> dict[str, str]:
    """The cases that have no live twin, each with why (for the coverage table)."""
    return {case.id: NOTHING_TO_FILL for case in cases if case.live() is None}
