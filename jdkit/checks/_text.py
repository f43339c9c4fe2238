"""The text of a job description as passages with their dotted field paths: what rules read.

Each passage is tagged with its kind, because rules treat them differently:
``heading`` (duty-area and compliance-standard names, shown as headings),
``legal`` (the equal-opportunity statement and the ADA physical demands, wording the
law shapes), and ``prose`` (everything else a reader sees as text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, Literal, NamedTuple, TypeVar

from pydantic import BaseModel

from ..models import SECTIONS, JobDescription

__all__ = ["Passage", "PhraseMatch", "PhraseMatcher", "passages", "strip_section_names"]

Kind = Literal["prose", "heading", "legal"]
T = TypeVar("T")

# Fields holding codes or enum values, not wording.
_SKIP = frozenset(
    {
        "employment_type",
        "flsa_status",
        "location_type",
        "date_posted",
        "valid_through",
        "currency",
        "period",
        "family",
        "comparison",
        "level",
        "unit",
        "frequency",
        "exposure",
    }
)
_TEXT_SECTIONS = (
    "position",
    "summary",
    *(key for key, _ in SECTIONS),
    "physical_demands",
    "work_environment",
    "conditions",
    "equal_opportunity",
)
# Wording the law shapes: the EEO statement and the ADA demands ("lift",
# "stand") lawyers want stated.
_LEGAL = frozenset({"equal_opportunity", "physical_demands", "work_environment"})


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
    for section in _TEXT_SECTIONS:
        _walk(getattr(model, section), section, section, out)
    return out


def _walk(value: Any, path: str, section: str, out: list[Passage]) -> None:
    # Walks the models' attributes directly: several times faster than model_dump().
    if isinstance(value, str):
        last = path.rsplit(".", 1)[-1]
        heading = last == "area" or (section == "compliance" and last == "standard")
        kind: Kind = "legal" if section in _LEGAL else "heading" if heading else "prose"
        out.append(Passage(path, section, kind, value))
    elif isinstance(value, BaseModel):
        for key in type(value).model_fields:
            if key not in _SKIP:
                _walk(getattr(value, key), f"{path}.{key}", section, out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{path}.{index}", section, out)


_WORD = re.compile(r"\w+(?:'\w+)*")
_JOINER = re.compile(r"[\s-]+")


class PhraseMatch(NamedTuple, Generic[T]):
    """One phrase found in a text: its table row, the words as written, and where they end."""

    row: T
    text: str
    end: int


class PhraseMatcher(Generic[T]):
    """Finds listed phrases in text on word boundaries,
    case-insensitively, in one pass over the words.

    A space and a hyphen between words match each other ("fast paced" = "fast-paced"); any
    other character between two words breaks a phrase. At each word the longest phrase wins,
    and matches do not overlap. Phrases marked case-sensitive (abbreviations) match exactly.
    """

    def __init__(self, phrases: Iterable[tuple[str, bool, T]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], bool, T]]] = {}
        for phrase, case_sensitive, row in phrases:
            words = tuple(w if case_sensitive else w.lower() for w in _WORD.findall(phrase))
            if words:
                self._by_first.setdefault(words[0].lower(), []).append((words, case_sensitive, row))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda item: -len(item[0]))

    def find(self, text: str) -> list[PhraseMatch[T]]:
        """Each phrase found in ``text``, in text order."""
        if self._by_first.keys().isdisjoint(_WORD.findall(text.lower())):
            return []  # the common case: no phrase can start here
        words = list(_WORD.finditer(text))
        lower = [m.group(0).lower() for m in words]
        found: list[PhraseMatch[T]] = []
        i = 0
        while i < len(words):
            for phrase, case_sensitive, row in self._by_first.get(lower[i], ()):
                n = len(phrase)
                got = [m.group(0) for m in words[i : i + n]] if case_sensitive else lower[i : i + n]
                if tuple(got) == phrase and all(
                    _JOINER.fullmatch(text[words[k].end() : words[k + 1].start()])
                    for k in range(i, i + n - 1)
                ):
                    end = words[i + n - 1].end()
                    found.append(PhraseMatch(row, text[words[i].start() : end], end))
                    i += n
                    break
            else:
                i += 1
        return found


_SECTION_NAMES = re.compile(
    r"\b(?:"
    + "|".join(re.escape(title) for _, title in SECTIONS)
    + r"|Responsibilities|Qualifications|Skills)\b",
    re.IGNORECASE,
)


def strip_section_names(text: str) -> str:
    """Remove our fixed section names ("Responsibilities", "Required Skills") from ``text``."""
    return _SECTION_NAMES.sub(" ", text)
