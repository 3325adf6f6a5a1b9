"""Cross-check: the API reference page's facts (kept as data) against the generated schemas.

The model is the source; the page is a second witness. A disagreement fails here and is listed in
docs/schemas.md. Members the model has beyond the page must be named there too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from glue_conformance import schemas

ROOT = Path(__file__).resolve().parents[1]
FACTS = json.loads((schemas.SCHEMA_DIR / "reference" / "GetJobRun.api-reference.json").read_text())
PAGE = ROOT.parent / "shared" / "spec" / "GetJobRun.txt"
NUMERIC = {"integer", "number"}


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = {
            **document["$defs"][schema["$ref"].rsplit("/", 1)[1]],
            **{k: v for k, v in schema.items() if k != "$ref"},
        }
    return schema


def _assert_same_type(document, schema, fact, where):
    schema = _resolve(document, schema)
    kind = fact["type"]
    if kind == "number":
        assert schema["type"] in NUMERIC, where
    elif kind == "map":
        assert schema["type"] == "object", where
        assert _resolve(document, schema["propertyNames"])["type"] == fact["key"], where
        assert _resolve(document, schema["additionalProperties"])["type"] == fact["value"], where
    elif kind == "array":
        assert schema["type"] == "array", where
        _assert_same_type(document, schema["items"], fact["items"], f"{where}[]")
    elif kind == "object":
        assert schema["type"] == "object", where
        for name, member in fact["members"].items():
            assert name in schema["properties"], f"{where}.{name} missing from the schema"
            _assert_same_type(document, schema["properties"][name], member, f"{where}.{name}")
    else:
        assert schema["type"] == kind, where


@pytest.mark.parametrize("name", sorted(FACTS["request"]))
def test_request_parameter_matches_page(name):
    document = schemas.load("GetJobRun.request")
    fact = FACTS["request"][name]
    assert name in document["properties"]
    _assert_same_type(document, document["properties"][name], fact, name)
    assert (name in document.get("required", [])) == fact["required"]
    schema = _resolve(document, document["properties"][name])
    for key in ("minLength", "maxLength"):
        assert schema.get(key) == fact.get(key), (name, key)
    assert schema.get("x-java-pattern") == fact.get("pattern")


def test_response_elements_match_page():
    document = schemas.load("GetJobRun.response")
    _assert_same_type(document, document, {"type": "object", "members": FACTS["response"]}, "$")


def test_errors_match_page():
    modelled = schemas.load("GetJobRun.error")["x-modelled-errors"]
    assert set(modelled) == set(FACTS["errors"])
    for name, status in FACTS["errors"].items():
        assert (status >= 500) == (modelled[name]["fault"] == "server"), name


def _beyond_page() -> set[str]:
    document = schemas.load("GetJobRun.response")
    run = document["$defs"]["JobRun"]["properties"]
    request = schemas.load("GetJobRun.request")["properties"]
    return {f"JobRun.{m}" for m in set(run) - set(FACTS["response"]["JobRun"]["members"])} | {
        f"request.{m}" for m in set(request) - set(FACTS["request"])
    }


def test_the_schemas_page_lists_every_member_beyond_the_page():
    page = (ROOT / "docs" / "schemas.md").read_text(encoding="utf-8")
    section = page.split("## Model beyond the API page", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^- `((?:JobRun|request)\.\w+)`", section, flags=re.M))
    assert listed == _beyond_page()


@pytest.mark.skipif(
    not PAGE.exists(), reason="shared/spec/GetJobRun.txt is not beside this checkout"
)
def test_facts_are_what_the_page_says():
    """The data file itself is checked against the page text, so it cannot silently drift."""
    text = PAGE.read_text(encoding="utf-8")
    request_part, response_part = text.split("Response Syntax", 1)
    for name, fact in FACTS["request"].items():
        block = request_part.split(f"- {name}\n", 1)[1].split("\n- ", 1)[0] + "\n"
        assert f"Required: {'Yes' if fact['required'] else 'No'}" in block, name
        if "pattern" in fact:
            assert fact["pattern"] in block
            assert f"Minimum length of {fact['minLength']}." in block
            assert f"Maximum length of {fact['maxLength']}." in block
    syntax = response_part.split("Response Elements", 1)[0]
    on_page = set(re.findall(r'^"(\w+)":', syntax, flags=re.M)) - {"JobRun", "string"}
    documented = set(FACTS["response"]["JobRun"]["members"]) | {
        "NotifyDelayAfter",
        "JobName",
        "RunId",
    }
    assert on_page == documented
    errors = dict(
        re.findall(r"- (\w+Exception)\n-\n.*?\nHTTP Status Code: (\d+)", text, flags=re.S)
    )
    assert {k: int(v) for k, v in errors.items()} == FACTS["errors"]
