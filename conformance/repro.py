"""One-line reproductions of an exchange: a curl command and, where boto3 can send it, a boto3 call.

No secret ever appears: against AWS the commands read credentials from the environment; against
anything else they carry the suite's fixed dummy credentials. Long bodies are rebuilt by a small
Python expression (`"a"*65536`), so a reproduction stays one readable line.
"""

from __future__ import annotations

import functools
import json
import math
import re
import shlex
from typing import Any

from glue_conformance.schemas.model import load
from glue_conformance.transport import JSON_11, TARGET_PREFIX, SentRequest

DUMMY_KEY = "testing"
_RUN = re.compile(r"(.)\1{7,}", re.S)


def py_literal(value: Any) -> str:
    """A Python expression for a JSON value, with long runs of one character written as `"x"*n`.
    A non-finite number (NaN, Infinity: Python's json reads them) is `float("nan")`: the repr,
    `nan`, is no name Python knows."""
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value!r}")'
    if isinstance(value, str):
        parts, last = [], 0
        for match in _RUN.finditer(value):
            if match.start() > last:
                parts.append(ascii(value[last : match.start()]))
            parts.append(f"{match.group(1)!a}*{len(match.group())}")
            last = match.end()
        if last < len(value) or not parts:
            parts.append(ascii(value[last:]))
        return "+".join(parts)
    if isinstance(value, dict):
        return "{" + ",".join(f"{py_literal(k)}:{py_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(py_literal(v) for v in value) + "]"
    return repr(value)


def _json_body(sent: SentRequest) -> Any:
    try:
        return json.loads(sent.body.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None


def curl(sent: SentRequest, *, region: str, aws: bool) -> str:
    target = sent.headers.get("X-Amz-Target", "")
    parts = ["curl", "-sS", "-i", "-X", "POST", shlex.quote(sent.url)]
    parts += ["-H", shlex.quote(f"Content-Type: {sent.headers.get('Content-Type', '')}")]
    if target:
        parts += ["-H", shlex.quote(f"X-Amz-Target: {target}")]
    if sent.signed:
        user = '"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"' if aws else f"{DUMMY_KEY}:{DUMMY_KEY}"
        parts += ["--aws-sigv4", shlex.quote(f"aws:amz:{region}:glue"), "--user", user]
    body = _json_body(sent)
    if len(sent.body) > 400 and body is not None:
        script = f"import json,sys;sys.stdout.write(json.dumps({py_literal(body)}))"
        parts += ["--data-binary", f'"$(python3 -c {shlex.quote(script)})"']
    elif _RAW.search(sent.body) or not _is_utf8(sent.body):
        # Invalid UTF-8 (a lone 0xFF), a NUL or another control byte: an argument cannot carry
        # them as they are (the text `\xff` is four other bytes), so printf writes the exact
        # bytes from octal escapes (POSIX sh and bash alike) and curl reads its body from them.
        return f"printf -- {shlex.quote(_printf_format(sent.body))} | " + " ".join(
            [*parts, "--data-binary", "@-"]
        )
    else:
        parts += ["--data-binary", shlex.quote(sent.body.decode("utf-8"))]
    return " ".join(parts)


_RAW = re.compile(rb"[\x00-\x1f\x7f]")


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _printf_format(body: bytes) -> str:
    """printf's format for exactly these bytes: printable ASCII as itself (`%` and `\\`
    escaped), every other byte as a three-digit octal escape."""
    out = []
    for byte in body:
        char = chr(byte)
        if char == "%":
            out.append("%%")
        elif char == "\\":
            out.append("\\\\")
        elif 0x20 <= byte < 0x7F:
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    return "".join(out)


@functools.cache
def _operations() -> frozenset[str]:
    return frozenset(load("glue").raw["operations"])


def boto3_call(sent: SentRequest, *, region: str, aws: bool) -> str | None:
    """A boto3 one-liner, or None when boto3 cannot send this request (not JSON, unsigned, an
    unknown operation or a changed content type)."""
    body = _json_body(sent)
    target = sent.headers.get("X-Amz-Target", "")
    if not (isinstance(body, dict) and sent.signed and target.startswith(f"{TARGET_PREFIX}.")):
        return None
    if sent.headers.get("Content-Type") != JSON_11:
        return None
    operation = target.split(".", 1)[1]
    if operation not in _operations():  # boto3 has no method for it: the curl line reproduces
        return None
    method = re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()
    keys = "" if aws else f',aws_access_key_id="{DUMMY_KEY}",aws_secret_access_key="{DUMMY_KEY}"'
    code = (
        "import boto3;from botocore.config import Config;"
        f'c=boto3.client("glue",endpoint_url={json.dumps(sent.url)},region_name={json.dumps(region)}'
        f'{keys},config=Config(parameter_validation=False,retries={{"max_attempts":1}}));'
        f"print(c.{method}(**{py_literal(body)}))"
    )
    return f"python3 -c {shlex.quote(code)}"


def delete_jobs(names: list[str], *, url: str, region: str, aws: bool) -> str:
    """The one line that deletes the jobs a run kept (--glue-keep-resources): DeleteJob of each
    by name, with boto3 as the boto3 lines send (credentials from the environment on AWS)."""
    keys = "" if aws else f',aws_access_key_id="{DUMMY_KEY}",aws_secret_access_key="{DUMMY_KEY}"'
    code = (
        f'import boto3;c=boto3.client("glue",endpoint_url={json.dumps(url)},'
        f"region_name={json.dumps(region)}{keys});"
        f"[c.delete_job(JobName=n) for n in {py_literal(sorted(names))}]"
    )
    return f"python3 -c {shlex.quote(code)}"
