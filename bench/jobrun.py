"""A GetJobRun answer with every JobRun member present: the heaviest body the validator sees.

Built on the recorded SUCCEEDED run (conformance/evidence/aws-behavior.md section 4, the aws-cli
example) and filled out with the members that example leaves out; `tests/test_bench.py` checks it
stays valid and complete as the model grows.
"""

from __future__ import annotations

from typing import Any


def full_get_job_run_answer() -> dict[str, Any]:
    return {
        "JobRun": {
            "Id": "jr_" + "0123456789abcdef" * 4,
            "Attempt": 0,
            "PreviousRunId": "jr_" + "fedcba9876543210" * 4,
            "TriggerName": "nightly-trigger",
            "JobName": "glue-conformance-bench-job",
            "JobMode": "SCRIPT",
            "JobRunQueuingEnabled": False,
            "StartedOn": 1602873931.255,
            "LastModifiedOn": 1602874075.985,
            "CompletedOn": 1602874075.985,
            "JobRunState": "SUCCEEDED",
            "Arguments": {"--day": "monday", "--job-bookmark-option": "job-bookmark-disable"},
            "ErrorMessage": "",
            "PredecessorRuns": [{"JobName": "upstream-job", "RunId": "jr_" + "ab" * 32}],
            "AllocatedCapacity": 10,
            "ExecutionTime": 117,
            "Timeout": 2880,
            "MaxCapacity": 10.0,
            "WorkerType": "G.1X",
            "NumberOfWorkers": 10,
            "SecurityConfiguration": "default-security",
            "LogGroupName": "/aws-glue/jobs",
            "NotificationProperty": {"NotifyDelayAfter": 10},
            "GlueVersion": "4.0",
            "DPUSeconds": 1170.0,
            "ExecutionClass": "STANDARD",
            "MaintenanceWindow": "Sun:10",
            "ProfileName": "default-profile",
            "StateDetail": "Run completed.",
            "ExecutionRoleSessionPolicy": '{"Version":"2012-10-17","Statement":[]}',
        }
    }
