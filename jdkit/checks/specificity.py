"""Specificity: no vague phrases, every skill with an example, no duty of one or two words."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ..data import table
from ..models import JobDescription
from ._text import PhraseMatcher, passages
from .base import Context, Finding, finding

__all__ = [
    "RULES",
    "BARE_ONLY",
    "is_bare",
    "vague_phrases",
    "skill_examples",
    "short_duties",
    "MIN_DUTY_WORDS",
    "catch_all",
    "is_catch_all",
    "is_scoped",
]

MIN_DUTY_WORDS = 3


@functools.cache
def _matcher() -> PhraseMatcher[dict[str, str]]:
    # All-capital abbreviations (DOE, DOQ) match case-sensitively so the name "Doe" does not fire.
    return PhraseMatcher(
        (row["phrase"], row["phrase"].isupper(), row) for row in table("vague_phrases")
    )


# Phrases that are vague only when bare: "detail-oriented" tied to a task in the same
# sentence ("detail-oriented in checking each claim against the chart") is fine.
BARE_ONLY = frozenset({"detail-oriented"})
TIED_WORDS = 4  # words after the phrase, before the sentence ends, that tie it to a task
_SENTENCE_REST = re.compile(r"[^.;!?]*")


def is_bare(text: str, end: int) -> bool:
    """True when fewer than TIED_WORDS words follow ``end`` in the same sentence."""
    rest = _SENTENCE_REST.match(text, end)
    return len(re.findall(r"\w+", rest.group(0) if rest else "")) < TIED_WORDS


def vague_phrases(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """No phrase of jdkit/data/vague_phrases.csv, case-insensitive on
    word boundaries (warning each).

    Phrases in BARE_ONLY are flagged only when no task follows them in the same sentence.
    """
    for passage in passages(model):
        for match in _matcher().find(passage.text):
            if match.row["phrase"] in BARE_ONLY and not is_bare(passage.text, match.end):
                continue
            yield finding(
                "specificity.vague-phrase",
                "warning",
                passage.field,
                f"vague phrase {match.text!r}: {match.row['why']}",
                match.row["suggestion"],
                section=passage.section,
            )


def skill_examples(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Every skill has an example of its use in this role (warning each)."""
    for index, skill in enumerate(model.skills):
        if not skill.example:
            yield finding(
                "specificity.skill-without-example",
                "warning",
                f"skills.{index}.example",
                f"the skill {skill.skill!r} has no example of its use",
                "add an example: what the person does with this skill in this practice",
            )


def short_duties(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """No duty or daily task of one or two words (warning each)."""
    for section in ("responsibilities", "daily_tasks"):
        for a, area in enumerate(getattr(model, section)):
            for kind, i, item in [("items", i, t) for i, t in enumerate(area.items)] + [
                ("marginal", i, t) for i, t in enumerate(area.marginal)
            ]:
                if len(re.findall(r"\w+", item)) < MIN_DUTY_WORDS:
                    yield finding(
                        "specificity.short-duty",
                        "warning",
                        f"{section}.{a}.{kind}.{i}",
                        f"the duty {item!r} is too short to say what is done",
                        "say what is done, with what, how often or to what standard",
                    )


# A catch-all duty ("other duties as assigned") and what scopes it: "related to" and the work it
# covers, in the same sentence ("other duties related to the practice's billing, as assigned").
_CATCH_ALL = re.compile(
    r"\b(?:other|additional)\s+(?:related\s+)?(?:duties|tasks|responsibilities)\b", re.I
)
_SCOPE = re.compile(r"\brelated\s+to\s+(?:the\s+)?\w+", re.I)
# vague_phrases.csv has it already
_LITERAL = re.compile(r"\bother\s+duties\s+as\s+assigned\b", re.I)


def is_catch_all(text: str) -> bool:
    """True when ``text`` is an open-ended duty: "other duties", "additional tasks" and the like."""
    return bool(_CATCH_ALL.search(text))


def is_scoped(text: str) -> bool:
    """True when a catch-all says what work it covers ("related to the
    practice's administration")."""
    return bool(_SCOPE.search(text))


def catch_all(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """One scoped catch-all duty, among the marginal functions only (warning each).

    A catch-all is never an essential function: under the ADA the essential functions are the
    job's fundamental duties (29 CFR 1630.2(n)), and an open-ended one claims every task is.
    """
    scoped = False
    for section in ("responsibilities", "daily_tasks"):
        for a, area in enumerate(getattr(model, section)):
            scoped = scoped or any(is_catch_all(t) and is_scoped(t) for t in area.marginal)
            for kind, duties in (("items", area.items), ("marginal", area.marginal)):
                for i, text in enumerate(duties):
                    if not is_catch_all(text):
                        continue
                    where = f"{section}.{a}.{kind}.{i}"
                    if kind == "items":
                        yield finding(
                            "specificity.catch-all-essential",
                            "warning",
                            where,
                            f"the catch-all duty {text!r} is listed as an essential function",
                            f"move it under {section}.{a}.marginal: an open-ended duty is never "
                            "essential",
                        )
                    if not is_scoped(text) and not _LITERAL.search(text):
                        yield finding(
                            "specificity.catch-all",
                            "warning",
                            where,
                            f"the catch-all duty {text!r} does not say what work it covers",
                            "scope it: 'other duties related to <the area's work>, as assigned by "
                            "the supervisor'",
                        )
    if not scoped and model.responsibilities:
        yield finding(
            "specificity.catch-all-missing",
            "info",
            "responsibilities",
            "no marginal duty says which other work the job may bring",
            "add one scoped catch-all under marginal, e.g. 'Take on other duties related to the "
            "front "
            "office, as assigned by the supervisor, such as covering the phones at lunch'",
        )


RULES = (vague_phrases, skill_examples, short_duties, catch_all)
