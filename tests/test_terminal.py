"""``jdkit.terminal``: control characters are shown as escapes in every terminal output, never obeyed."""

from __future__ import annotations

import json

import pytest

from jdkit.terminal import clean, clean_lines, escape_json


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "\x1b[2J\x1b[32mAll reviews current\x1b[0m",
            "\\x1b[2J\\x1b[32mAll reviews current\\x1b[0m",
        ),
        ("C1 \x9b31m", "C1 \\x9b31m"),
        ("bell\x07 del\x7f nul\x00", "bell\\x07 del\\x7f nul\\x00"),
        ("a\nb\rc\td", "a\\x0ab\\x0dc\\x09d"),
        ("\u202eevil\u202c \u2066x\u2069", "\\u202eevil\\u202c \\u2066x\\u2069"),
        ("line\u2028sep", "line\\u2028sep"),
        ("lone \ud800", "lone \\ud800"),
    ],
)
def test_clean_escapes_controls_bidi_overrides_and_separators(text, shown):
    assert clean(text) == shown


@pytest.mark.parametrize(
    "text",
    ["Cedar Family Medicine", "日本語クリニック", "עברית \u200fמרפאה", "Café 👩‍⚕️", "$72,000"],
)
def test_ordinary_text_including_right_to_left_and_emoji_is_unchanged(text):
    assert clean(text) == text


def test_clean_lines_keeps_line_breaks_only():
    assert clean_lines("a\x1b\nb\tc") == "a\\x1b\nb\\x09c"


def test_escape_json_keeps_the_data():
    data = {"name": "C1 \x9b \u202e \u2028 done"}
    text = escape_json(json.dumps(data, ensure_ascii=False))
    assert "\x9b" not in text and "\u202e" not in text and json.loads(text) == data
