"""The generator: committed files match the pinned model, and every shape kind maps correctly."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from glue_conformance import schemas
from glue_conformance.schemas.__main__ import expected_files, main
from glue_conformance.schemas.generator import operation_schemas, plain_text
from glue_conformance.schemas.model import ServiceModel, botocore_version


def test_committed_schemas_match_the_pinned_model():
    """Drift test: fails when botocore's model (or the generator) changes the schemas."""
    drifted = [
        str(file.relative_to(schemas.SCHEMA_DIR))
        for file, text in expected_files().items()
        if not file.exists() or file.read_text(encoding="utf-8") != text
    ]
    assert not drifted, f"regenerate with `python -m glue_conformance.schemas`: {drifted}"


def test_check_command_reports_drift(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(schemas, "SCHEMA_DIR", tmp_path)
    monkeypatch.setattr("glue_conformance.schemas.__main__.SCHEMA_DIR", tmp_path)
    assert main(["--check"]) == 1
    assert "DRIFT" in capsys.readouterr().out
    assert main([]) == 0
    assert main(["--check"]) == 0


@pytest.mark.parametrize("name", ["GetJobRun.request", "GetJobRun.response", "GetJobRun.error"])
def test_committed_schema_is_valid_draft_2020_12_with_provenance(name):
    document = schemas.load(name)
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"].endswith(f"GetJobRun.{name.split('.')[1]}")
    assert document["x-source"]["botocore"] == botocore_version()
    assert len(document["x-source"]["operationModelSha256"]) == 64


def test_descriptions_come_from_the_model_as_plain_text():
    run = schemas.load("GetJobRun.response")["$defs"]["JobRun"]
    assert run["properties"]["Id"]["description"] == "The ID of this job run."
    assert "<" not in str(run)
    assert run["properties"]["AllocatedCapacity"]["deprecated"] is True
    assert plain_text("<p>A <code>b</code>\n c</p>") == "A b c"


FAKE = ServiceModel(
    "fake",
    {
        "metadata": {"apiVersion": "2020-01-01", "protocol": "json", "targetPrefix": "Fake"},
        "operations": {
            "Op": {
                "input": {"shape": "In"},
                "output": {"shape": "Out"},
                "errors": [{"shape": "Boom"}],
            }
        },
        "shapes": {
            "In": {
                "type": "structure",
                "required": ["Name"],
                "members": {"Name": {"shape": "Name"}, "Tree": {"shape": "Tree"}},
            },
            "Out": {
                "type": "structure",
                "members": {
                    "Count": {"shape": "Count"},
                    "Big": {"shape": "Big"},
                    "Ratio": {"shape": "Ratio"},
                    "When": {"shape": "When"},
                    "WhenIso": {"shape": "WhenIso"},
                    "Flag": {"shape": "Flag"},
                    "Tags": {"shape": "Tags"},
                    "Items": {"shape": "Items"},
                    "Color": {"shape": "Color"},
                    "Data": {"shape": "Data"},
                },
            },
            "Boom": {
                "type": "structure",
                "members": {"Message": {"shape": "Name"}},
                "exception": True,
                "fault": True,
            },
            "Name": {"type": "string", "min": 2, "max": 4, "pattern": "[a-z]+"},
            "Tree": {"type": "structure", "members": {"Child": {"shape": "Tree"}}},
            "Count": {"type": "integer", "min": 1, "max": 9},
            "Big": {"type": "long"},
            "Ratio": {"type": "double"},
            "When": {"type": "timestamp"},
            "WhenIso": {"type": "timestamp", "timestampFormat": "iso8601"},
            "Flag": {"type": "boolean"},
            "Tags": {
                "type": "map",
                "key": {"shape": "Name"},
                "value": {"shape": "Count"},
                "max": 2,
            },
            "Items": {"type": "list", "member": {"shape": "Name"}, "min": 1},
            "Color": {"type": "string", "enum": ["RED", "GREEN"]},
            "Data": {"type": "blob"},
        },
    },
)


def _validators():
    made = operation_schemas(FAKE, "Op")
    return {name.split(".")[1]: Draft202012Validator(doc) for name, doc in made.items()}


def test_generic_shape_kinds_request():
    request = _validators()["request"]
    assert request.is_valid({"Name": "ab", "Tree": {"Child": {"Child": {}}}})  # recursion
    assert not request.is_valid({"Name": "a"})  # min
    assert not request.is_valid({"Name": "abcde"})  # max
    assert not request.is_valid({"Name": "AB"})  # pattern
    assert not request.is_valid({"Name": "ab\n"})  # anchored
    assert not request.is_valid({})  # required
    assert not request.is_valid({"Name": "ab", "Other": 1})  # closed input objects
    assert not request.is_valid({"Name": "ab", "Tree": {"Child": {"X": 1}}})


@pytest.mark.parametrize(
    ("member", "good", "bad"),
    [
        ("Count", [1, 9], [0, 10, 1.5, "1"]),
        ("Big", [2**63 - 1, -(2**63)], [2**63, 0.5]),
        ("Ratio", [0.5, 3], ["0.5", None]),
        ("When", [0, 1.5], ["2020-01-01T00:00:00Z"]),
        ("WhenIso", ["2020-01-01T00:00:00Z"], [0]),
        ("Flag", [True], ["true", 1]),
        ("Tags", [{"ab": 1}], [{"a": 1}, {"ab": 0}, {"ab": 1, "cd": 1, "ef": 1}]),
        ("Items", [["ab"]], [[], ["a"], "ab"]),
        ("Color", ["RED"], ["red", "BLUE"]),
        ("Data", ["AAEC"], [5]),
    ],
)
def test_generic_shape_kinds_response(member, good, bad):
    response = _validators()["response"]
    for value in good:
        assert response.is_valid({member: value, "Unknown": 1}), (member, value)
    for value in bad:
        assert not response.is_valid({member: value}), (member, value)


def test_generic_error_schema_marks_server_faults():
    document = operation_schemas(FAKE, "Op")["Op.error.json"]
    assert document["x-modelled-errors"] == {"Boom": {"fault": "server"}}


def test_non_json_protocols_are_refused():
    rest = ServiceModel(
        "rest", {**FAKE.raw, "metadata": {**FAKE.raw["metadata"], "protocol": "rest-xml"}}
    )
    with pytest.raises(ValueError, match="not AWS JSON"):
        operation_schemas(rest, "Op")


def test_an_installed_copy_is_never_regenerated_in_place(tmp_path, monkeypatch, capsys):
    """From a wheel, `python -m glue_conformance.schemas` would rewrite site-packages: refused
    (exit 2, one usage line); --check still reads."""
    installed = tmp_path / "lib" / "site-packages" / "glue_conformance" / "schemas"
    installed.mkdir(parents=True)
    monkeypatch.setattr("glue_conformance.schemas.__main__.SCHEMA_DIR", installed)
    with pytest.raises(SystemExit) as stop:
        main([])
    assert stop.value.code == 2
    assert "installed copy" in capsys.readouterr().err
    assert not list(installed.rglob("*.json"))
    assert main(["--check"]) == 1  # nothing there: every file drifted, nothing written
    assert not list(installed.rglob("*.json"))
