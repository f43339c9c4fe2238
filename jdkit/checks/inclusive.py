"""Inclusive language: gender-coded words (Gaucher, Friesen & Kay 2011) and age-coded phrases.

Section-aware: headings (duty areas, compliance standards) and our fixed section names are
not counted, and legally required text (the EEO statement, ADA physical demands) is never
flagged, so "age" and "disability" in the EEO statement or "lifts" in physical demands do
not count against a document.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from ..data import table
from ..models import JobDescription
from ._text import PhraseMatcher, passages, strip_section_names
from .base import Context, Finding, Severity, finding

__all__ = [
    "RULES",
    "GenderCoding",
    "gender_coding",
    "verdict",
    "gender_coded",
    "age_coded",
    "STRONG",
]

STRONG = 4  # a difference of 4 or more coded words is "strongly" coded
_TOKEN = re.compile(r"[a-z]+(?:['\u2019-][a-z]+)*")


@functools.cache
def _stems() -> tuple[tuple[str, str, bool], ...]:
    """(stem without '*', gender, is prefix) for each row of gender_coded_words.csv."""
    return tuple(
        (row["stem"].rstrip("*"), row["gender"], row["stem"].endswith("*"))
        for row in table("gender_coded_words")
    )


@functools.lru_cache(maxsize=65536)
def _gender_of(token: str) -> tuple[str, ...]:
    """The genders whose stems match ``token`` (the whole token or,
    for hyphenated words, a part)."""
    parts = (token, *token.split("-")) if "-" in token else (token,)
    out: list[str] = []
    for stem, gender, prefix in _stems():
        if gender in out:
            continue  # overlapping stems (dominant/domina*) count a word once
        for part in (token,) if "-" in stem else parts:
            if part.startswith(stem) if prefix else part == stem:
                out.append(gender)
                break
    return tuple(out)


@dataclass(frozen=True)
class GenderCoding:
    """Counts of coded words, as in Gaucher et al.: feminine minus masculine, with a verdict."""

    masculine: Counter[str]
    feminine: Counter[str]

    @property
    def difference(self) -> int:
        """Feminine minus masculine word count."""
        return sum(self.feminine.values()) - sum(self.masculine.values())

    @property
    def verdict(self) -> str:
        """The verdict for the difference; see ``verdict``."""
        return verdict(sum(self.feminine.values()), sum(self.masculine.values()))


def verdict(feminine: int, masculine: int) -> str:
    """strongly feminine-coded / feminine-coded / neutral / masculine-coded
    / strongly masculine-coded."""
    diff = feminine - masculine
    if diff == 0:
        return "neutral"
    side = "feminine-coded" if diff > 0 else "masculine-coded"
    return f"strongly {side}" if abs(diff) >= STRONG else side


def gender_coding(model: JobDescription) -> GenderCoding:
    """Count the gender-coded words of ``model``'s prose (headings, section
    names and legal text excluded)."""
    masculine: Counter[str] = Counter()
    feminine: Counter[str] = Counter()
    for passage in passages(model):
        if passage.kind != "prose":
            continue
        for token in _TOKEN.findall(strip_section_names(passage.text).lower()):
            for gender in _gender_of(token):
                (masculine if gender == "masculine" else feminine)[token] += 1
    return GenderCoding(masculine, feminine)


def _listing(words: Counter[str]) -> str:
    return ", ".join(f"{w} x{n}" if n > 1 else w for w, n in sorted(words.items())) or "none"


def gender_coded(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Report the gender coding; warn when the prose is strongly masculine-coded, else info."""
    coding = gender_coding(model)
    m, f = sum(coding.masculine.values()), sum(coding.feminine.values())
    severity: Severity = "warning" if coding.verdict == "strongly masculine-coded" else "info"
    yield finding(
        "inclusive.gender-coded",
        severity,
        "",
        f"{coding.verdict} (feminine {f} - masculine {m} = {f - m}); "
        f"masculine: {_listing(coding.masculine)}; feminine: {_listing(coding.feminine)}",
        "balance the wording: Gaucher et al. (2011) found masculine-coded ads less appealing to "
        "women; "
        "rephrase words like 'competitive' or 'dominant' as concrete duties",
        section="document",
    )


@functools.cache
def _age_matcher() -> PhraseMatcher[dict[str, str]]:
    return PhraseMatcher((row["phrase"], False, row) for row in table("age_coded_phrases"))


def age_coded(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warn on each age-coded phrase (ADEA, 29 C.F.R. 1625.4) outside legally required text."""
    for passage in passages(model):
        if passage.kind == "legal":
            continue
        for match in _age_matcher().find(passage.text):
            yield finding(
                "inclusive.age-coded",
                "warning",
                passage.field,
                f"age-coded phrase {match.text!r} signals an age preference (ADEA)",
                f"say instead: {match.row['suggestion']}",
                section=passage.section,
            )


RULES = (gender_coded, age_coded)
