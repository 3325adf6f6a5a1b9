"""A write the target refuses where AWS would accept it is a verdict, never a traceback.

The reference endpoint's `long-job-names-refused` fault refuses a CreateJob whose Name is longer
than 128 characters (NameString allows 255). The tour and the state machine both send such
names; each refusal is a deviation of lifecycle.domain-accepted, shown with the request and the
answer the SDK client sent and received, and their reproductions (issue #34).
"""

from __future__ import annotations

import json
import re
import time

import pytest
from hypothesis import Phase, settings
from hypothesis._settings import local_settings

from glue_conformance.checks.base import Deviation
from glue_conformance.engine import Engine, Settings
from glue_conformance.observe import Judge
from glue_conformance.reference.catalogue import LONG_JOB_NAMES_REFUSED
from glue_conformance.scenarios import Reader
from tests.test_plugin_run import run_suite

RULE = "lifecycle.domain-accepted"


@pytest.mark.slow
def test_a_refused_create_job_fails_its_rule_with_the_exchange():
    """The whole suite against the fault: the one failing check is domain-accepted's, its text
    is the suite's (request, answer, reproduce), and nothing prints a botocore traceback (the
    state machine's refused CreateJob raised one, with Hypothesis's falsifying example)."""
    result = run_suite(
        "--glue-target",
        "reference",
        "--glue-reference-fault",
        LONG_JOB_NAMES_REFUSED,
        # (glue-quick's three sequences draw no long name; glue-ci's first ones do)
        "--hypothesis-profile",
        "glue-ci",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    for absent in ("Traceback", "botocore.exceptions", "botocore.errorfactory", "Falsifying"):
        assert absent not in output, output[-3000:]
    # The state machine's own refusals are recorded, not failed again: the campaign showed it.
    failed = re.findall(r"^FAILED (\S+)", output, re.M)
    assert failed == ["conformance/test_lifecycle.py::test_lifecycle_domain_accepted"], failed
    failure = output.split(f"[{RULE}] ", 1)[1]
    for line in (
        "  request:   POST ",
        "X-Amz-Target: AWSGlue.CreateJob",
        "  answer:    HTTP 400 ",
        "ValidationException",
        "  reproduce: curl ",
        "  boto3:     python3 -c ",
    ):
        assert line in failure, failure[:3000]


@pytest.mark.slow
def test_a_sequence_alone_to_see_the_refusal_fails_on_it():
    """The state machine on its own (no campaign showed the rule broken): the refused CreateJob
    fails the sequence as a deviation of domain-accepted carrying the refused exchange, which
    Hypothesis shrinks like any other failure."""
    from glue_conformance.test_stateful import _play

    engine = Engine(
        Settings(kind="reference", reference_faults=frozenset({LONG_JOB_NAMES_REFUSED})),
        owner_token="test",
    )
    target = engine.start_target()
    transport = engine.transport(target)
    provisioner = engine.provisioner(target)
    assert provisioner is not None
    ctx = engine.context(target)
    judge = Judge(provisioner.model, ctx)
    reader = Reader(engine.sender(transport, ctx), judge)
    profile = settings(
        max_examples=30,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=False,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    try:
        job = provisioner.create_job("stateful")
        with local_settings(profile), pytest.raises(Deviation) as raised:
            _play(
                provisioner,
                reader,
                judge,
                frozenset(),
                frozenset,
                job,
                10.0,
                time.monotonic() + 10.0,
            )
    finally:
        provisioner.cleanup()
        transport.close()
        target.close()
    deviation = raised.value
    assert deviation.rule.id == RULE
    assert deviation.observed.startswith("CreateJob with JobName of ")
    assert deviation.request is not None
    assert deviation.exchange is not None
    assert deviation.request.headers["X-Amz-Target"] == "AWSGlue.CreateJob"
    name = json.loads(deviation.request.body)["Name"]
    assert len(name) > 128
    assert name.startswith(provisioner.name("sm"))
    assert deviation.exchange.status == 400
    assert deviation.exchange.json["__type"] == "ValidationException"
    text = str(deviation)
    for line in (
        "  request:   POST ",
        "AWSGlue.CreateJob",
        "  answer:    HTTP 400 ",
        "  reproduce: curl ",
    ):
        assert line in text, text
