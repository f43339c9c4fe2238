"""Text for a terminal: control characters made visible instead of obeyed.

A practice name or owner holding ``ESC[32m`` (or a C1 control such as U+009B, a
right-to-left override, a line separator) would otherwise recolour, move or reorder
what ``jdkit due``, ``check``, ``diff`` and ``explain`` print: one painted "All reviews
current" over an OVERDUE row. ``clean`` writes each such character as an escape
(``\\x1b``, ``\\u202e``) so the reader sees that it is there and the terminal obeys nothing.
"""

from __future__ import annotations

import re

__all__ = ["clean", "clean_lines", "escape_json"]

# C0 controls, DEL, C1 controls; the bidi embeddings, overrides and isolates (the ones that
# reorder text); line and paragraph separators; lone surrogates (which no terminal can print).
_OTHERS = "\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff"
_ANY = re.compile(f"[\x00-\x1f{_OTHERS}]")
_KEEP_LINES = re.compile(f"[\x00-\x09\x0b-\x1f{_OTHERS}]")  # all but \n
_IN_JSON = re.compile(f"[{_OTHERS}]")  # json.dumps escapes C0 itself


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: object) -> str:
    """``text`` as one safe line: every control character (newlines too) written as an escape."""
    return _ANY.sub(_escape, str(text))


def clean_lines(text: str) -> str:
    """``text`` with its line breaks kept and every other control character written as an escape."""
    return _KEEP_LINES.sub(_escape, text)


def escape_json(text: str) -> str:
    """JSON text (``ensure_ascii=False``) with C1 controls, bidi overrides and separators as
    ``\\uXXXX``.

    The data read back is unchanged; only how it looks on a terminal changes.
    """
    return _IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
