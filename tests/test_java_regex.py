"""The Java -> portable pattern translation, pinned without any external engine."""

from __future__ import annotations

import re

import pytest

from glue_conformance.schemas import model
from glue_conformance.schemas.charset import CharSet, unicode_property
from glue_conformance.schemas.java_regex import UnsupportedPattern, java_matches, parse, to_portable

NAME = "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*"


def _allowed(code_point: int) -> bool:
    """The NameString class, written from the XML-Char-like reading of the Java class."""
    return (
        code_point == 0x09
        or 0x20 <= code_point <= 0xD7FF
        or 0xE000 <= code_point <= 0xFFFD
        or 0x10000 <= code_point <= 0x10FFFF
    )


def test_name_pattern_agrees_with_its_definition_on_every_code_point():
    compiled = re.compile(to_portable(NAME))
    wrong = [cp for cp in range(0x110000) if (compiled.search(chr(cp)) is not None) != _allowed(cp)]
    assert wrong == []


@pytest.mark.parametrize(
    "value", ["\t", " ", "a" * 300, "\U00010000", "\U0010ffff", "\ud7ff", "\ue000", "\ufffd", ""]
)
def test_name_pattern_accepts(value):
    assert java_matches(NAME, value)


@pytest.mark.parametrize(
    "value",
    [
        "a\n",
        "a\r\n",
        "\n",
        "\r",
        "\x00",
        "\x1f",
        "\x7f\n",
        "\ufffe",
        "\uffff",
        "\ud800",
        "\U0010ffff\udfff",
        "\udc00\ud800",
        "ok\x00ok",
        "a\u2028\n",
    ],
)
def test_name_pattern_rejects(value):
    assert not java_matches(NAME, value)


def test_naive_copy_would_accept_everything():
    """Why the translation exists: the model's text under `re.search` matches the empty prefix."""
    naive = NAME.replace("\\uD800\\uDC00-\\uDBFF\\uDFFF", "")  # Python rejects the pair range
    assert re.search(naive, "\x00\n\uffff")
    assert not java_matches(NAME, "\x00\n\uffff")


def test_output_is_anchored_against_trailing_newline_under_python_search():
    portable = to_portable("[a-z]+")
    assert re.search(portable, "abc")
    assert not re.search(portable, "abc\n")
    assert not re.search(portable, "\nabc")
    assert not re.search(portable, "ab1c")


@pytest.mark.parametrize(
    ("java", "accepted", "rejected"),
    [
        ("[\\w]*", ["a_Z9", ""], ["\u00e9", "a-b"]),  # Java \w is ASCII
        ("\\s+", [" \t\n\x0b\x0c\r"], ["\xa0", "\u3000"]),  # Java \s is ASCII
        ("\\d+", ["0123456789"], ["\u0661"]),
        (".*", ["a\x85"[:1], "x\x00"], ["\x85", "\u2028", "a\r"]),  # Java line terminators
        ("(?s).*", ["\n\r\u2028"], []),
        ("[a-z&&[^aeiou]]+", ["bcd"], ["bad"]),
        ("\\p{Lu}+", ["AÉ"], ["a"]),
        ("\\P{C}+", ["ab"], ["a\x00", "\ue000"]),
        ("\\x{1F600}", ["\U0001f600"], ["\ud83d"]),
        ("^((\\w+\\.)+\\w+|auto)$", ["2.0", "auto", "a.b.c"], ["2", "auto\n", "2.0\n", ".2"]),
        ("^$|arn:aws[a-z0-9-]*:kms:.*", ["", "arn:aws:kms:x"], ["\n", "x"]),
        ("a$", ["a"], ["a\n"]),
        ("[\\uD800-\\uDBFF]", ["\ud800"], ["\U00010000"]),
        ("\\uD83D\\uDE00", ["\U0001f600"], ["\ud83d"]),
        ("a{2,3}", ["aa", "aaa"], ["a", "aaaa"]),
        ("[\\[\\]\\-\\^]+", ["[]-^"], ["a"]),
    ],
)
def test_java_semantics(java, accepted, rejected):
    for value in accepted:
        assert java_matches(java, value), (java, value)
    for value in rejected:
        assert not java_matches(java, value), (java, value)


@pytest.mark.parametrize(
    "java",
    [
        "\\bword\\b",
        "(a)\\1",
        "a++",
        "(?i)abc",
        "\\Qa.b\\E",
        "[a-",
        "(ab",
        "\\p{IsAlphabetic}",
        "\\R",
    ],
)
def test_unsupported_constructs_are_refused_not_approximated(java):
    with pytest.raises(UnsupportedPattern):
        to_portable(java)


def test_every_glue_pattern_translates():
    patterns = {s["pattern"] for s in model.load("glue").raw["shapes"].values() if "pattern" in s}
    assert len(patterns) > 20
    for pattern in patterns:
        re.compile(to_portable(pattern))


def test_high_then_low_escape_is_one_code_point_like_java():
    tree = parse("\\uD800\\uDC00")
    assert tree.charset == CharSet.of(0x10000)


def test_class_ranges_never_put_a_low_surrogate_after_a_high_one():
    # ECMAScript's u-mode would read "\ud800\udc05" as one astral code point.
    java = "[\\uDC05-\\uDC06\\uD800]"
    portable = to_portable(java).lower()
    assert "\\ud800\\udc05" not in portable
    assert java_matches(java, "\ud800")
    assert java_matches(java, "\udc05")
    assert not java_matches(java, "\U00010005")


def test_pair_escape_then_range_is_reversed_as_in_java():
    # Java joins \uD800\uDC05 into U+10005, so "-\uDC06" makes a reversed range: Java refuses it.
    with pytest.raises(UnsupportedPattern):
        to_portable("[\\uD800\\uDC05-\\uDC06]")


def test_charset_algebra():
    vowels = CharSet.of(0x61, 0x65, 0x69)
    assert vowels.complement().complement() == vowels
    assert vowels.intersection(CharSet.of((0x61, 0x66))) == CharSet.of(0x61, 0x65)
    assert CharSet.of((1, 3), (4, 6)).ranges == ((1, 6),)
    assert 0x41 in unicode_property("Lu")
    assert 0x61 not in unicode_property("Lu")
    assert unicode_property("L").size() > 100_000
