"""The text of a job description as passages with their dotted field paths: what rules read.

Each passage is tagged with its kind, because rules treat them differently:
``heading`` (duty-area and compliance-standard names, shown as headings),
``legal`` (the equal-opportunity statement and the ADA physical demands, wording the
law shapes), and ``prose`` (everything else a reader sees as text).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from collections.abc import Iterable
from typing import Any, Literal, TypeVar

from ..models import SECTIONS, JobDescription

__all__ = ["Passage", "passages", "phrase_pattern", "find_phrases", "strip_section_names"]

Kind = Literal["prose", "heading", "legal"]
T = TypeVar("T")

# Fields holding codes or enum values, not wording.
_SKIP = frozenset({
    "employment_type", "flsa_status", "location_type", "date_posted", "valid_through", "currency",
    "period", "family", "comparison", "level", "unit",
})
_TEXT_SECTIONS = ("position", "summary", *(key for key, _ in SECTIONS), "physical_demands", "equal_opportunity")
_LEGAL = frozenset({"equal_opportunity", "physical_demands"})


@dataclass(frozen=True)
class Passage:
    """One piece of text: where it is (``field``, ``section``), what kind it is, and the text."""

    field: str
    section: str
    kind: Kind
    text: str


def passages(model: JobDescription) -> list[Passage]:
    """Return every text passage of ``model`` in document order."""
    out: list[Passage] = []
    data = model.model_dump(include=set(_TEXT_SECTIONS))
    for section in _TEXT_SECTIONS:
        _walk(data.get(section), section, section, out)
    return out


def _walk(value: Any, path: str, section: str, out: list[Passage]) -> None:
    if isinstance(value, str):
        last = path.rsplit(".", 1)[-1]
        heading = last == "area" or (section == "compliance" and last == "standard")
        kind: Kind = "legal" if section in _LEGAL else "heading" if heading else "prose"
        out.append(Passage(path, section, kind, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _SKIP:
                _walk(item, f"{path}.{key}", section, out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{path}.{index}", section, out)


@functools.cache
def phrase_pattern(phrase: str, *, case_sensitive: bool = False) -> re.Pattern[str]:
    """A regex matching ``phrase`` on word boundaries; inner spaces or hyphens match either."""
    words = [re.escape(part) for part in re.split(r"[\s-]+", phrase.strip()) if part]
    body = r"[\s-]+".join(words)
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", 0 if case_sensitive else re.IGNORECASE)


def find_phrases(text: str, patterns: Iterable[tuple[T, re.Pattern[str]]]) -> list[tuple[T, re.Match[str]]]:
    """Matches of ``patterns`` (give the longest phrases first) in ``text``: no overlaps, in text order."""
    found: list[tuple[T, re.Match[str]]] = []
    for row, pattern in patterns:
        for match in pattern.finditer(text):
            if not any(m.start() < match.end() and match.start() < m.end() for _, m in found):
                found.append((row, match))
    return sorted(found, key=lambda item: item[1].start())


_SECTION_NAMES = re.compile(
    r"\b(?:" + "|".join(re.escape(title) for _, title in SECTIONS) + r"|Responsibilities|Qualifications|Skills)\b",
    re.IGNORECASE,
)


def strip_section_names(text: str) -> str:
    """Remove our fixed section names ("Responsibilities", "Required Skills") from ``text``."""
    return _SECTION_NAMES.sub(" ", text)
