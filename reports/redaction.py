"""Secrets out of everything a run writes.

Reports are published as CI artifacts and PR comments, and a run against real AWS records signed
requests. Secrets reach the results by several roads (headers, signed URLs, reproduction command
lines, JSON bodies echoing job Arguments, error messages quoting a canonical request), so
redaction works at three levels, each catching what the others cannot:

1. structure: dict members whose name looks secret, and Arguments members whose key looks
   secret (a Glue job's `--db-password`), including inside JSON bodies held as text;
2. text: `Name: value` header lines, `name=value` pairs (`Signature=`, `X-Amz-Security-Token=`,
   `aws_secret_access_key=`), quoted `'key': 'value'` pairs, `curl --user id:secret`, URL userinfo;
3. literals: the exact secret values the caller knows (and the AWS secret and session token in
   the environment), wherever they occur, even in free text.

Redaction errs towards masking: a masked harmless value costs a little evidence; a leaked token
costs a rotation. Shell variables (`$AWS_SECRET_ACCESS_KEY`) and emulators' dummy credentials
("testing") are left alone so reproductions still run.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from typing import Any

MASK = "***"
# Names that mark a secret. Text rules require the name to end with one of these, so that
# e.g. an error type `MissingAuthenticationTokenException: ...` keeps its evidence.
_SECRET_WORDS = (
    r"password|passwd|pwd|secret|token|credentials?|signature|authorization|cookie"
    r"|api[-_]?key|private[-_]?key|secret[-_]?access[-_]?key"
)
# Glue Arguments carry user secrets under arbitrary keys, so there any "key" counts too.
_ARGUMENT_WORDS = _SECRET_WORDS + r"|key"

_SECRET_NAME = re.compile(_SECRET_WORDS, re.IGNORECASE)
_ARGUMENT_NAME = re.compile(_ARGUMENT_WORDS, re.IGNORECASE)
_ARGUMENTS_MAP = re.compile(r"arguments$", re.IGNORECASE)

_HEADER_LINE = re.compile(
    r"(?P<name>(?<![\w-])[\w-]*(?:" + _SECRET_WORDS + r"))(?![\w-])"
    r"(?P<sep>[ \t]*:[ \t]*)(?P<value>[^'\"\r\n]+)",
    re.IGNORECASE,
)
_ASSIGN = re.compile(
    r"(?P<name>(?<![\w.-])[\w.-]*(?:" + _SECRET_WORDS + r"))(?![\w.-])(?P<sep>\s*=\s*)"
    r"(?:(?P<q>['\"])(?P<qvalue>(?:(?!(?P=q))[^\n])*)(?P=q)|(?P<value>[^\s&'\",;)}\]]+))",
    re.IGNORECASE,
)
_QUOTED_PAIR = re.compile(
    r"(?P<kq>['\"])(?P<key>[^'\"\n\\]*(?:" + _ARGUMENT_WORDS + r")[^'\"\n\\]*)(?P=kq)"
    r"(?P<sep>\s*:\s*)"
    r"(?:(?P<vq>['\"])(?P<qvalue>(?:\\.|(?!(?P=vq))[^\\\n])*)(?P=vq)|(?P<value>[-+\w.]+))",
    re.IGNORECASE,
)
_CURL_USER = re.compile(
    r"(?P<flag>--user|(?<![\w-])-u)(?P<sep>\s+|=)(?P<q>['\"]?)(?P<id>[^\s:'\"]+):"
    r"(?P<secret>[^\s'\"]+)(?P=q)"
)
_URL_USERINFO = re.compile(
    r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)(?P<user>[^/\s:@'\"]+):(?P<password>[^/\s@'\"]+)@",
    re.IGNORECASE,
)
# Shorter literals would mask ordinary words (moto's dummy credentials are "testing").
MIN_LITERAL = 8
ENVIRONMENT_SECRETS = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


# The conventional dummy credentials of emulators (moto documents "testing", LocalStack "test").
# They protect nothing, and keeping them lets a reproduction against an emulator run as pasted.
DUMMY_VALUES = frozenset({"testing", "test", "fake", "dummy"})


def _kept(value: str) -> bool:
    """Values that are not secrets themselves: masked already, a reference to one, or a dummy."""
    return (
        value == MASK
        or value.startswith(("$", "os.environ", "os.getenv"))
        or value.lower() in DUMMY_VALUES
    )


def _header_line(match: re.Match[str]) -> str:
    if _kept(match["value"].strip()):
        return match.group()
    return f"{match['name']}{match['sep']}{MASK}"


def _assign(match: re.Match[str]) -> str:
    if match["q"] is not None:
        if _kept(match["qvalue"]):
            return match.group()
        return f"{match['name']}{match['sep']}{match['q']}{MASK}{match['q']}"
    if _kept(match["value"]):
        return match.group()
    return f"{match['name']}{match['sep']}{MASK}"


def _quoted_pair(match: re.Match[str]) -> str:
    head = f"{match['kq']}{match['key']}{match['kq']}{match['sep']}"
    if match["vq"] is not None:
        if _kept(match["qvalue"]):
            return match.group()
        return f"{head}{match['vq']}{MASK}{match['vq']}"
    if match["value"].lower() in ("null", "none", "true", "false"):
        return match.group()
    return f'{head}"{MASK}"'


def _curl_user(match: re.Match[str]) -> str:
    if _kept(match["secret"]):
        return match.group()
    q = match["q"]
    return f"{match['flag']}{match['sep']}{q}{match['id']}:{MASK}{q}"


def _url_userinfo(match: re.Match[str]) -> str:
    return f"{match['scheme']}{match['user']}:{MASK}@"


def environment_secrets() -> set[str]:
    return {os.environ[name] for name in ENVIRONMENT_SECRETS if os.environ.get(name)}


def _secret_value(value: Any) -> Any:
    """What a secret-named member becomes: None and booleans say nothing, so they stay."""
    if value is None or isinstance(value, bool) or (isinstance(value, str) and _kept(value)):
        return value
    return MASK


def _walk(
    obj: Any,
    literals: frozenset[str],
    in_arguments: bool = False,
    memo: dict[str, str] | None = None,
) -> Any:
    """With `memo`, each distinct text is redacted once (a run's results repeat each rule's
    statement, evidence and baseline note in every one of its checks); the memo lives as long
    as the one document's walk, so no text that held a secret is kept after it."""
    if isinstance(obj, str):
        if memo is None:
            return redact_text(obj, literals)
        if obj not in memo:
            memo[obj] = redact_text(obj, literals)
        return memo[obj]
    if isinstance(obj, list | tuple):
        return [_walk(item, literals, memo=memo) for item in obj]
    if isinstance(obj, dict):
        out: dict[Any, Any] = {}
        for key, value in obj.items():
            name = key if isinstance(key, str) else ""
            secret = _ARGUMENT_NAME if in_arguments else _SECRET_NAME
            if name and secret.search(name):
                out[key] = _secret_value(value)
            else:
                inside = bool(_ARGUMENTS_MAP.search(name))
                out[key] = _walk(value, literals, in_arguments=inside, memo=memo)
        return out
    return obj


def _redact_json_text(text: str, literals: frozenset[str]) -> str:
    """A JSON body rewritten only if its structure held a secret; otherwise byte-for-byte as sent.

    Parsing catches what text rules cannot see, such as a key spelt with escapes
    ("pass\\u0077ord"); leaving clean bodies untouched keeps the wire evidence exact.
    """
    stripped = text.strip()
    if stripped[:1] not in ("{", "["):
        return text
    try:
        parsed = json.loads(stripped)
    except (ValueError, RecursionError):
        return text
    cleaned = _walk(parsed, literals)
    if cleaned == parsed:
        return text
    return json.dumps(cleaned, ensure_ascii=False)


def redact_text(text: str, literals: Iterable[str] = ()) -> str:
    known = literals if isinstance(literals, frozenset) else frozenset(literals)
    text = _redact_json_text(text, known)
    text = _QUOTED_PAIR.sub(_quoted_pair, text)
    text = _HEADER_LINE.sub(_header_line, text)
    text = _ASSIGN.sub(_assign, text)
    text = _CURL_USER.sub(_curl_user, text)
    text = _URL_USERINFO.sub(_url_userinfo, text)
    for literal in sorted(known, key=len, reverse=True):
        text = text.replace(literal, MASK)
    return text


def redact(obj: Any, secrets: Iterable[str] = ()) -> Any:
    """A redacted deep copy of `obj` (dicts, lists, strings; other values as they are).

    `secrets` are exact values to mask wherever they appear (the credentials the run signed
    with); the AWS secret key and session token in the environment are always added.
    """
    literals = frozenset(s for s in {*secrets, *environment_secrets()} if len(s) >= MIN_LITERAL)
    return _walk(obj, literals, memo={})
