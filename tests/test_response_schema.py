"""The committed response and error schemas against recorded AWS answers (evidence 3, 4)."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from glue_conformance import schemas

# conformance/evidence/aws-behavior.md section 4: aws-cli's recorded get-job-run example.
RECORDED_RUN = {
    "JobRun": {
        "Id": "jr_0123456789abcdef",
        "Attempt": 0,
        "JobName": "TestJob",
        "StartedOn": 1602873931.255,
        "LastModifiedOn": 1602874075.985,
        "CompletedOn": 1602874075.985,
        "JobRunState": "SUCCEEDED",
        "Arguments": {"--enable-metrics": "true", "--job-bookmark-option": "job-bookmark-disable"},
        "PredecessorRuns": [],
        "AllocatedCapacity": 10,
        "ExecutionTime": 117,
        "Timeout": 2880,
        "MaxCapacity": 10.0,
        "WorkerType": "G.1X",
        "NumberOfWorkers": 10,
        "LogGroupName": "/aws-glue/jobs",
        "GlueVersion": "2.0",
    }
}


def _with(**changes):
    body = copy.deepcopy(RECORDED_RUN)
    body["JobRun"].update(changes)
    return body


def test_accepts_recorded_run():
    schemas.validator("GetJobRun.response").validate(RECORDED_RUN)


def test_accepts_unknown_members_anywhere_in_the_response():
    validator = schemas.validator("GetJobRun.response")
    validator.validate(_with(SomethingNew={"a": 1}))
    validator.validate({**RECORDED_RUN, "TopLevelNew": True})


@pytest.mark.parametrize(
    "changes",
    [
        {"StartedOn": "2020-10-16T18:45:31.255Z"},
        {"CompletedOn": "1602874075.985"},
        {"JobRunState": "DONE"},
        {"JobRunState": "succeeded"},
        {"Attempt": "0"},
        {"ExecutionTime": 117.5},
        {"WorkerType": "G.3X"},
        {"Timeout": 0},
        {"Id": ""},
        {"Id": "a\n"},
        {"Arguments": {"k": 1}},
        {"PredecessorRuns": [{"JobName": 5}]},
        {"PredecessorRuns": {"JobName": "x"}},
        {"GlueVersion": "2.0\n"},
        {"MaxCapacity": "10"},
        {"NotificationProperty": {"NotifyDelayAfter": 0}},
    ],
    ids=repr,
)
def test_rejects(changes):
    assert not schemas.validator("GetJobRun.response").is_valid(_with(**changes))


def test_fractional_timestamps_and_integral_timestamps_are_both_numbers():
    validator = schemas.validator("GetJobRun.response")
    assert validator.is_valid(_with(StartedOn=1602873931))
    assert validator.is_valid(_with(StartedOn=1602873931.255))


@pytest.mark.parametrize(
    "body",
    [
        {"__type": "EntityNotFoundException", "Message": "Job run not found"},
        {"__type": "com.amazon.coral.service#SerializationException"},
        {"__type": "ValidationException:http://internal.amazon.com/coral/", "message": "x"},
        {"code": "ThrottlingException", "message": "Rate exceeded"},
        {"message": "type in the X-Amzn-ErrorType header"},
    ],
)
def test_error_envelope_accepts_smithy_variants(body):
    schemas.validator("GetJobRun.error").validate(body)


@pytest.mark.parametrize("body", [[], "error", {"__type": 5}, {"__type": ""}, {"Message": 1}])
def test_error_envelope_rejects(body):
    assert not schemas.validator("GetJobRun.error").is_valid(body)


def test_error_schema_lists_the_modelled_errors_with_their_fault():
    errors = schemas.load("GetJobRun.error")["x-modelled-errors"]
    assert errors == {
        "InvalidInputException": {"fault": "client"},
        "EntityNotFoundException": {"fault": "client"},
        "InternalServiceException": {"fault": "server"},
        "OperationTimeoutException": {"fault": "client"},
    }


# Any JSON value, for members replaced at random (the schemas' verdicts on every kind of value).
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _errors(validator, body):
    return sorted((list(map(str, e.absolute_path)), e.message) for e in validator.iter_errors(body))


@settings(max_examples=150, deadline=None)
@given(
    replaced=st.dictionaries(
        st.sampled_from([*RECORDED_RUN["JobRun"], "NotificationProperty", "PreviousRunId"]),
        _JSON,
        max_size=4,
    )
)
def test_validators_with_refs_inlined_judge_as_the_committed_schema_does(replaced):
    """schemas.validator and definition_validator inline the `$ref`s (for speed): on any value
    of any member, the errors (where and what) are those of the committed schema as written."""
    body = _with(**replaced)
    written = Draft202012Validator(schemas.load("GetJobRun.response"))
    assert _errors(schemas.validator("GetJobRun.response"), body) == _errors(written, body)
    defs = schemas.load("GetJobRun.response")["$defs"]
    run = Draft202012Validator({"$ref": "#/$defs/JobRun", "$defs": defs})
    inlined = schemas.definition_validator("GetJobRun.response", "JobRun")
    assert _errors(inlined, body["JobRun"]) == _errors(run, body["JobRun"])
    assert "$ref" not in json.dumps({k: v for k, v in inlined.schema.items() if k != "$defs"})
