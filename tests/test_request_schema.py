"""The committed request schema at the edges of JobName/RunId (Draft 2020-12, jsonschema)."""

from __future__ import annotations

import pytest

from glue_conformance import schemas

VALID = [
    "\t",
    " ",
    "a" * 255,
    "\U00010000",
    "\U0010ffff",
    "\ud7ff",
    "\ue000",
    "\ufffd",
    "\U0001f600" * 255,
    "\ta\t",
    " x ",
    "job-1_2.3",
    "\u65e5\u672c\u8a9e",
]
INVALID = [
    "",
    "a" * 256,
    "a\n",
    "a\r\n",
    "\r",
    "\n",
    "\x00",
    "\x1f",
    "\x7f" + "\n",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
    "\udc00\ud800",
    "ok\x00ok",
    "\U0001f600" * 256,
    "\x0b",
]
MEMBERS = ["JobName", "RunId"]


def _body(**overrides):
    return {"JobName": "job", "RunId": "jr_1", **overrides}


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("value", VALID, ids=ascii)
def test_accepts(member, value):
    schemas.validator("GetJobRun.request").validate(_body(**{member: value}))


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("value", INVALID, ids=ascii)
def test_rejects_bad_strings(member, value):
    assert not schemas.validator("GetJobRun.request").is_valid(_body(**{member: value}))


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("value", [None, 5, 1.5, True, [], {}, ["a"]], ids=repr)
def test_rejects_non_strings(member, value):
    assert not schemas.validator("GetJobRun.request").is_valid(_body(**{member: value}))


@pytest.mark.parametrize("member", MEMBERS)
def test_rejects_missing_member(member):
    body = _body()
    del body[member]
    assert not schemas.validator("GetJobRun.request").is_valid(body)


def test_predecessors_included_is_an_optional_boolean():
    validator = schemas.validator("GetJobRun.request")
    assert validator.is_valid(_body(PredecessorsIncluded=True))
    assert validator.is_valid(_body(PredecessorsIncluded=False))
    assert not validator.is_valid(_body(PredecessorsIncluded="true"))
    assert not validator.is_valid(_body(PredecessorsIncluded=1))


def test_request_objects_list_their_members():
    assert not schemas.validator("GetJobRun.request").is_valid(_body(Unknown="x"))
