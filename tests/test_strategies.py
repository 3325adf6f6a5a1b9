"""The strategies are right (oracle + schema agree with every label) and aim at the edges."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from glue_conformance import schemas
from glue_conformance import strategies as S
from glue_conformance.strategies import runs
from glue_conformance.strategies.constraints import Violation, id_string, name_string

MANY = settings(max_examples=3000, database=None, deadline=None)
MEMBERS = {
    "JobName": (S.valid_job_names, S.labelled_invalid_job_names, name_string),
    "RunId": (S.valid_run_ids, S.labelled_invalid_run_ids, id_string),
}


def _request(**member: object) -> dict[str, object]:
    return {"JobName": "job", "RunId": "jr_1", **member}


@pytest.mark.slow
@pytest.mark.parametrize("member", MEMBERS)
def test_every_valid_value_passes_oracle_and_schema(member):
    valid, _, constraints = MEMBERS[member]
    validator = schemas.validator("GetJobRun.request")

    @MANY
    @given(valid())
    def check(value: str) -> None:
        assert S.violations(value, constraints()) <= {Violation.LENGTH_MAX_UTF16}
        assert S.is_valid(value, constraints())
        assert validator.is_valid(_request(**{member: value})), ascii(value)
        json.dumps(value, ensure_ascii=True)  # travels as ASCII JSON

    check()


@pytest.mark.slow
@pytest.mark.parametrize("member", MEMBERS)
def test_every_invalid_value_breaks_exactly_its_labelled_rule(member):
    _, labelled, constraints = MEMBERS[member]
    validator = schemas.validator("GetJobRun.request")

    @MANY
    @given(labelled())
    def check(invalid: S.Invalid) -> None:
        assert S.violations(invalid.value, constraints()) == {invalid.rule}, ascii(invalid)
        assert S.canonical(invalid.value) == invalid.value  # what is sent is what is judged
        schema_ok = validator.is_valid(_request(**{member: invalid.value}))
        if invalid.rule is Violation.LENGTH_MAX_UTF16:
            assert schema_ok  # valid under code points (smithy); unsettled for Glue
            assert not S.is_valid(invalid.value, constraints(), length_unit="utf-16")
        else:
            assert not schema_ok, ascii(invalid)
            assert not S.is_valid(invalid.value, constraints(), length_unit="utf-16")

    check()


@pytest.mark.slow
@pytest.mark.parametrize("facade", [S.invalid_job_names, S.invalid_run_ids])
def test_facade_invalid_strings_without_unsettled_are_invalid_under_both_counts(facade):
    @settings(max_examples=1000, database=None, deadline=None)
    @given(facade(include_unsettled=False))
    def check(value: str) -> None:
        assert isinstance(value, str)
        assert not S.is_valid_name(value)
        assert not S.is_valid_name(value, length_unit="utf-16")

    check()


@pytest.mark.slow
def test_valid_requests_pass_the_schema():
    validator = schemas.validator("GetJobRun.request")

    @MANY
    @given(S.get_job_run_requests(valid=True))
    def check(body: dict[str, object]) -> None:
        assert validator.is_valid(body), ascii(body)

    check()


@pytest.mark.slow
def test_invalid_requests_break_exactly_the_labelled_member():
    validator = schemas.validator("GetJobRun.request")

    @MANY
    @given(S.labelled_invalid_requests())
    def check(invalid: S.InvalidRequest) -> None:
        assert not validator.is_valid(invalid.body), ascii(invalid)
        repaired = {
            **invalid.body,
            invalid.member: "x" if invalid.member != "PredecessorsIncluded" else True,
        }
        assert validator.is_valid(repaired), ascii(invalid)  # nothing else was broken

    check()


def test_get_job_run_requests_false_gives_plain_dicts():
    @settings(max_examples=300, database=None, deadline=None)
    @given(S.get_job_run_requests(valid=False))
    def check(body: object) -> None:
        assert type(body) is dict
        assert not schemas.validator("GetJobRun.request").is_valid(body)

    check()


# --- edges reached within 600 examples ------------------------------------------------------

Predicate = Callable[[str], bool]


def _astral(value: str) -> bool:
    return any(ord(c) > 0xFFFF for c in value)


def _scripts(value: str) -> int:
    blocks = {
        "latin": range(0x41, 0x250),
        "cyrillic": range(0x400, 0x500),
        "greek": range(0x370, 0x400),
        "cjk": range(0x3040, 0xA000),
        "arabic": range(0x600, 0x700),
        "devanagari": range(0x900, 0x980),
        "emoji": range(0x1F000, 0x1FB00),
    }
    return sum(any(ord(c) in block for c in value) for block in blocks.values())


VALID_EDGES: dict[str, Predicate] = {
    "length 1": lambda v: len(v) == 1,
    "length 255": lambda v: len(v) == 255,
    "tab alone": lambda v: v == "\t",
    "tab inside": lambda v: "\t" in v[1:-1],
    "leading space": lambda v: v.startswith(" ") and len(v) > 1,
    "trailing space": lambda v: v.endswith(" ") and len(v) > 1,
    "U+0020": lambda v: " " in v,
    "U+D7FF": lambda v: "\ud7ff" in v,
    "U+E000": lambda v: "\ue000" in v,
    "U+FFFD": lambda v: "\ufffd" in v,
    "U+10000": lambda v: "\U00010000" in v,
    "U+10FFFF": lambda v: "\U0010ffff" in v,
    "emoji": lambda v: any(0x1F300 <= ord(c) <= 0x1FAFF for c in v),
    "astral at length 255": lambda v: len(v) == 255 and _astral(v),
    "astral as the 255th code point": lambda v: len(v) == 255 and ord(v[-1]) > 0xFFFF,
    "mixed scripts": lambda v: _scripts(v) >= 2,
    "DEL (allowed)": lambda v: "\x7f" in v,
    "C1 control (allowed)": lambda v: any(0x80 <= ord(c) <= 0x9F for c in v),
}


def _invalid_edges() -> dict[str, Predicate]:
    edges: dict[str, Predicate] = {
        "empty": lambda v: v == "",
        "length 256": lambda v: len(v) == 256,
        "far beyond (>= 1000)": lambda v: len(v) >= 1000,
        "U+FFFE": lambda v: "\ufffe" in v,
        "U+FFFF": lambda v: "\uffff" in v,
        "lone high surrogate": lambda v: any(0xD800 <= ord(c) <= 0xDBFF for c in v),
        "lone low surrogate": lambda v: any(0xDC00 <= ord(c) <= 0xDFFF for c in v),
        "reversed pair": lambda v: "\udc00\ud800" in v,
        "trailing \\n": lambda v: v.endswith("\n") and not v.endswith("\r\n") and len(v) > 1,
        "trailing \\r\\n": lambda v: v.endswith("\r\n") and len(v) > 2,
        "one bad character in the middle": lambda v: (
            len(v) >= 3
            and sum(not S.is_valid_name(c) for c in v) == 1
            and not S.is_valid_name(v[1:-1])
            and S.is_valid_name(v[0])
            and S.is_valid_name(v[-1])
        ),
        "128 astral (UTF-16 only)": lambda v: len(v) == 128 and all(ord(c) > 0xFFFF for c in v),
        "255 code points, 256 UTF-16 units": lambda v: len(v) == 255 and S.utf16_length(v) == 256,
    }
    for char in [chr(cp) for cp in range(0x20) if cp != 0x09]:
        edges[f"C0 U+{ord(char):04X}"] = lambda v, c=char: c in v
    return edges


def _draw(strategy: st.SearchStrategy[str], count: int = 600) -> list[str]:
    values: list[str] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(strategy)
    def collect(value: str) -> None:
        values.append(value)

    collect()
    return values


@pytest.mark.slow
@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize(("kind", "edges"), [("valid", VALID_EDGES), ("invalid", _invalid_edges())])
def test_named_edges_are_reached_within_600_examples(member, kind, edges):
    strategy = {
        ("JobName", "valid"): S.valid_job_names(),
        ("RunId", "valid"): S.valid_run_ids(),
        ("JobName", "invalid"): S.invalid_job_names(),
        ("RunId", "invalid"): S.invalid_run_ids(),
    }[(member, kind)]
    values = _draw(strategy)
    assert len(values) >= 590
    missed = [name for name, hit in edges.items() if not any(hit(v) for v in values)]
    assert not missed, f"{member} {kind}: not reached in {len(values)} examples: {missed}"


@pytest.mark.slow
def test_invalid_requests_reach_every_rule_for_every_member():
    seen: set[tuple[str, str, str]] = set()

    @settings(
        max_examples=600, database=None, deadline=None, derandomize=True, phases=[Phase.generate]
    )
    @given(S.labelled_invalid_requests())
    def collect(invalid: S.InvalidRequest) -> None:
        seen.add((invalid.member, invalid.rule.value, invalid.detail.split(" ")[0]))

    collect()
    kinds = {(member, rule) for member, rule, _ in seen}
    for member in ("JobName", "RunId"):
        for rule in ("required", "type", "length-min", "length-max", "pattern"):
            assert (member, rule) in kinds, (member, rule)
        for detail in ("missing", "null", "number", "boolean", "list", "object"):
            assert any(m == member and d == detail for m, _, d in seen), (member, detail)
    assert ("PredecessorsIncluded", "type", "string") in seen


# --- shrinking --------------------------------------------------------------------------------


FIND = settings(database=None, derandomize=True, max_examples=2000)


@pytest.mark.slow
def test_failing_properties_shrink_to_short_readable_counterexamples():
    assert find(S.valid_job_names(), lambda v: "\t" in v, settings=FIND) == "\t"
    assert find(S.valid_job_names(), lambda v: len(v) > 3, settings=FIND) == "0000"
    assert find(S.invalid_job_names(), lambda v: len(v) > 255, settings=FIND) == "0" * 256
    control = find(S.invalid_run_ids(), lambda v: "\x00" in v, settings=FIND)
    assert control == "\x00"
    request = find(
        S.labelled_invalid_requests(),
        lambda r: r.rule is Violation.PATTERN,
        settings=FIND,
    )
    assert len(json.dumps(request.body)) < 60, request


# --- the envelope families ----------------------------------------------------------------------

BASES = {
    "GetJobRun": {"JobName": "job", "RunId": "jr_1"},
    "GetJobRuns": {"JobName": "job"},
}
JSON_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return next(name for name, kind in JSON_TYPES.items() if isinstance(value, kind))


def _collect(strategy: st.SearchStrategy, examples: int = 600) -> list:
    seen: list = []

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[Phase.generate],
    )
    @given(strategy)
    def collect(value) -> None:
        seen.append(value)

    collect()
    return seen


def _model_placements(operation: str) -> set[tuple[str, str]]:
    """Every (member, JSON type) that is not the member's own, read from the model here (null
    only for required members), plus the integer sub-kinds."""
    from glue_conformance.schemas.model import load

    model = load("glue")
    shape = model.shape(model.input_shape(operation))
    own = {"string": "string", "boolean": "boolean", "integer": "number"}
    expected = set()
    for member, ref in shape["members"].items():
        kind = model.shape(ref["shape"])["type"]
        for json_type in ("object", "array", "string", "number", "boolean", "null"):
            if json_type == own[kind] or (json_type == "null" and member not in shape["required"]):
                continue
            expected.add((member, json_type))
        if kind == "integer":
            expected |= {(member, "numeric-string"), (member, "fractional-number")}
    return expected


@pytest.mark.slow
@pytest.mark.parametrize("operation", BASES)
def test_every_member_gets_every_wrong_json_type(operation):
    family = S.WrongTypes(operation, BASES[operation])
    expected = _model_placements(operation)
    assert {(w.member, w.sent) for w in family.examples()} == expected
    drawn = _collect(family.strategy())
    assert {(w.member, w.sent) for w in drawn} == expected
    for wrong in [*family.examples(), *drawn]:
        assert wrong.operation == operation
        assert {k: v for k, v in wrong.body.items() if k != wrong.member} == {
            k: v for k, v in BASES[operation].items() if k != wrong.member
        }
        sent = _json_type(wrong.value)
        if wrong.sent == "numeric-string":
            assert sent == "string"
            assert int(wrong.value) >= 1
        elif wrong.sent == "fractional-number":
            assert sent == "number"
            assert wrong.value != int(wrong.value)
        else:
            assert sent == wrong.sent, wrong
        if wrong.expected == "integer" and wrong.sent == "string":
            with pytest.raises(ValueError, match="invalid literal"):
                int(wrong.value)  # no reader takes it for an integer


def test_wrong_types_need_the_required_members():
    with pytest.raises(ValueError, match="RunId"):
        S.WrongTypes("GetJobRun", {"JobName": "job"})


def _is_json_object(body: bytes) -> bool | None:
    """True: a JSON object; False: JSON, not an object; None: not JSON (RFC 8259) at all."""

    def refuse(name: str) -> None:
        raise ValueError(name)

    try:
        value = json.loads(body.decode("utf-8"), parse_constant=refuse)
    except ValueError:
        return None
    return isinstance(value, dict)


@pytest.mark.slow
@pytest.mark.parametrize("operation", BASES)
def test_every_kind_of_malformed_body_is_generated_and_is_what_it_says(operation):
    family = S.MalformedBodies(BASES[operation])
    examples = family.examples()
    assert [m.kind for m in examples] == list(S.Malformed)
    drawn = _collect(family.strategy())
    assert {m.kind for m in drawn} == set(S.Malformed)
    for malformed in [*examples, *drawn]:
        kind, body = malformed.kind, malformed.body
        if kind is S.Malformed.EMPTY:
            assert not body.strip()
        elif kind in NOT_AN_OBJECT:
            assert _is_json_object(body) is False, malformed
        else:
            assert body.strip(), malformed
            assert _is_json_object(body) is None, malformed
        if kind is S.Malformed.INVALID_UTF8:
            with pytest.raises(UnicodeDecodeError):
                body.decode("utf-8")
        elif kind is not S.Malformed.NOT_JSON:
            body.decode("utf-8")  # the flaw is the kind's own, not stray bytes


NOT_AN_OBJECT = {S.Malformed.ARRAY, S.Malformed.STRING, S.Malformed.NUMBER, S.Malformed.NULL}
NOT_AN_OBJECT.add(S.Malformed.BOOLEAN)


def test_malformed_bodies_can_be_narrowed_to_some_kinds():
    chosen = frozenset({S.Malformed.TRUNCATED, S.Malformed.EMPTY})
    family = S.MalformedBodies({"JobName": "job"})
    assert {m.kind for m in _collect(family.strategy(chosen), 100)} == chosen
    with pytest.raises(ValueError, match="string member"):
        S.MalformedBodies({"MaxResults": 5})


def test_envelope_failures_shrink_to_the_smallest_body_of_their_kind():
    bodies = S.malformed_bodies({"JobName": "job", "RunId": "jr_1"})
    encoded = b'{"JobName":"job","RunId":"jr_1"}'

    def of(kind):
        return lambda m: m.kind is kind

    assert find(bodies, of(S.Malformed.TRUNCATED), settings=FIND).body == b"{"
    garbage = find(bodies, of(S.Malformed.TRAILING_GARBAGE), settings=FIND).body
    assert garbage.startswith(encoded)
    assert len(garbage) == len(encoded) + 1
    assert find(bodies, of(S.Malformed.ARRAY), settings=FIND).body == b"[]"
    assert find(bodies, of(S.Malformed.EMPTY), settings=FIND).body == b""
    wrong = S.wrong_types("GetJobRuns", {"JobName": "job"})
    assert find(wrong, lambda w: w.member == "MaxResults", settings=FIND).body == {
        "JobName": "job",
        "MaxResults": {},
    }
    nested = find(wrong, lambda w: isinstance(w.value, list) and len(w.value) > 1, settings=FIND)
    assert len(json.dumps(nested.body)) < 50, nested


# --- the domain of real jobs (strategies/runs.py, the tour's classes) -------------------------


@pytest.mark.parametrize("cls", sorted(runs.NAME_CLASSES))
def test_every_name_class_makes_a_name_valid_under_both_counts(cls):
    """Section 7: a real job's name must be valid whether lengths count code points or UTF-16
    units, and keep the suite's prefix and token (so the cleanup finds only its own jobs)."""
    prefix = "glue-conformance-0123abcd-"
    name = runs.job_name(prefix, cls)
    assert name.startswith(prefix)
    assert S.is_valid_name(name)
    assert len(name) <= 255
    assert S.utf16_length(name) <= 255
    if cls.startswith("max-length"):
        assert S.utf16_length(name) == 255


def test_the_name_classes_hold_what_they_are_named_for():
    names = runs.NAME_CLASSES
    assert "\t" in names["tab"]
    assert any(ord(c) > 0xFFFF for c in names["astral"])
    assert any(0x7F < ord(c) <= 0xFFFF for c in names["bmp"])
    assert unicodedata.combining(names["combining"][-1])
    assert "  " in names["inner-space"]
    assert names["edge-space"].endswith(" ")


@pytest.mark.parametrize("edit", sorted(runs.LOOK_ALIKE_EDITS))
def test_every_look_alike_edit_changes_some_name_class(edit):
    """Each edit has a name class on which it is a lookup of another name (none is a no-op
    over the whole tour)."""
    change = runs.LOOK_ALIKE_EDITS[edit]
    prefix = "glue-conformance-0123abcd-"
    changed = [
        cls
        for cls in runs.NAME_CLASSES
        if change(runs.job_name(prefix, cls)) != runs.job_name(prefix, cls)
    ]
    assert changed, edit


def test_fit_cuts_to_utf16_units_without_splitting_a_character():
    assert runs.fit("a\U0001f600b", 2) == "a"
    assert runs.fit("abc", 5) == "abc"


def test_the_worker_types_are_the_models_enum_and_job_kinds_are_valid():
    assert "G.1X" in runs.ALL_WORKER_TYPES
    assert "Z.2X" in runs.ALL_WORKER_TYPES
    assert len(runs.ALL_WORKER_TYPES) == len(set(runs.ALL_WORKER_TYPES))
    kinds = find(runs.job_kinds(), lambda job: job["Command"]["Name"] == "glueray")
    assert kinds["WorkerType"] == "Z.2X"
    shell = find(runs.job_kinds(), lambda job: job["Command"]["Name"] == "pythonshell")
    assert shell["MaxCapacity"] in runs.PYTHONSHELL_CAPACITIES
    assert "WorkerType" not in shell


@given(suffix=runs.name_suffixes(40))
@settings(max_examples=50, suppress_health_check=list(HealthCheck))
def test_drawn_name_suffixes_stay_valid_after_the_prefix(suffix):
    name = "glue-conformance-0123abcd-sm1-" + runs.fit(suffix, 255 - 30)
    assert S.is_valid_name(name)
    assert S.utf16_length(name) <= 255
