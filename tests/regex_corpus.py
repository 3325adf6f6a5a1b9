"""Values that probe a pattern where Java, Python and ECMAScript readings tend to part ways."""

from __future__ import annotations

import random

EDGE_VALUES: tuple[str, ...] = (
    "",
    "\t",
    " ",
    "a",
    "A",
    "z",
    "0",
    "_",
    "-",
    ".",
    "/",
    "\\",
    ":",
    "$",
    "^",
    "[",
    "]",
    "a\n",
    "a\r\n",
    "a\r",
    "\n",
    "\r",
    "\r\n",
    "\x00",
    "\x0b",
    "\x0c",
    "\x1f",
    "\x7f",
    "\x80",
    "\x85",
    "\x9f",
    "\xa0",
    "\u2028",
    "\u2029",
    "\ud7ff",
    "\ud800",
    "\udbff",
    "\udc00",
    "\udfff",
    "\ue000",
    "\ufffd",
    "\ufffe",
    "\uffff",
    "\U00010000",
    "\U0010ffff",
    "\U0001f600",
    "\udc00\ud800",
    "a\ud800b",
    "a\udc00",
    "\u00e9",
    "\u65e5\u672c",
    "\u00df",
    "\u0130",
    "\u212a",
    "\u0661",
    "\uff10",
    "\u3000",
    "\u1680",
    "2.0",
    "auto",
    "1.0.",
    "a.b.c",
    "Sun:23",
    "Mon:24",
    "Tue:7",
    "arn:aws:iam::123456789012:role/x",
    "arn:aws-cn:glue:x",
    "s3://b/k",
    "s3://b/",
    "https://example.com/a",
    "sc://x",
    "jr_0123",
    "a b",
    "a\tb",
    "\ta\t",
    "a" * 255,
    "a" * 256,
)

_ALPHABET = (
    "aZ09_-./:\\$ \t\n\r\x00\x1f\x7f\x85\xa0\u2028\ud7ff\ue000\ufffd\ufffe\uffff"
    "\ud800\udc00\U00010000\U0010ffff\U0001f600\u00e9\u0661"
)


def canonical(value: str) -> str:
    """Join adjacent high+low surrogates into one code point, as a JSON decoder would."""
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def random_values(pattern: str, count: int, seed: int) -> list[str]:
    """Random strings over an alphabet seeded with the pattern's own literal characters."""
    rng = random.Random(f"{seed}:{pattern}")
    alphabet = _ALPHABET + "".join(c for c in pattern if c.isalnum() or c in ":/._-@=+")
    return [
        canonical("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10))))
        for _ in range(count)
    ]
