"""The committed response and error schemas against recorded AWS answers (evidence 3, 4)."""

from __future__ import annotations

import copy

import pytest

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
