"""Named request cases: the edges every run sends, labelled with what they break.

The property-based tests draw many more from `strategies`; these are the fixed points that make
every report comparable from run to run (their ids are part of the check ids in results.json).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from glue_conformance.strategies import InvalidRequest, StringConstraints, Violation
from glue_conformance.strategies.constraints import id_string, name_string

ABSENT_JOB = "glue-conformance-absent-job"
ABSENT_RUN = "jr_glue_conformance_absent_run"


@dataclass(frozen=True)
class Case:
    id: str
    invalid: InvalidRequest
    constraints: StringConstraints | None
    kind: str  # "constraint" | "type" | "scalar" | "utf16" | "multi"
    # For "multi": every (member, rule) the request breaks; the message must list each.
    breaks: tuple[tuple[str, Violation], ...] = ()

    @property
    def body(self) -> dict[str, Any]:
        return self.invalid.body


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
    if kind == "multi":
        return multi_cases()
    return [case for case in invalid_cases() if case.kind == kind]
