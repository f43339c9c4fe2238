"""Specificity: no vague phrases, every skill with an example, no duty of one or two words."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ..data import table
from ..models import JobDescription
from . import Context, Finding, finding
from ._text import PhraseMatcher, passages

__all__ = ["RULES", "BARE_ONLY", "is_bare", "vague_phrases", "skill_examples", "short_duties", "MIN_DUTY_WORDS"]

MIN_DUTY_WORDS = 3


@functools.cache
def _matcher() -> PhraseMatcher[dict[str, str]]:
    # All-capital abbreviations (DOE, DOQ) match case-sensitively so the name "Doe" does not fire.
    return PhraseMatcher((row["phrase"], row["phrase"].isupper(), row) for row in table("vague_phrases"))


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
    """No phrase of jdkit/data/vague_phrases.csv, case-insensitive on word boundaries (warning each).

    Phrases in BARE_ONLY are flagged only when no task follows them in the same sentence.
    """
    for passage in passages(model):
        for match in _matcher().find(passage.text):
            if match.row["phrase"] in BARE_ONLY and not is_bare(passage.text, match.end):
                continue
            yield finding("specificity.vague-phrase", "warning", passage.field,
                          f"vague phrase {match.text!r}: {match.row['why']}", match.row["suggestion"],
                          section=passage.section)


def skill_examples(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Every skill has an example of its use in this role (warning each)."""
    for index, skill in enumerate(model.skills):
        if not skill.example:
            yield finding("specificity.skill-without-example", "warning", f"skills.{index}.example",
                          f"the skill {skill.skill!r} has no example of its use",
                          "add an example: what the person does with this skill in this practice")


def short_duties(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """No duty or daily task of one or two words (warning each)."""
    for section in ("responsibilities", "daily_tasks"):
        for a, area in enumerate(getattr(model, section)):
            for i, item in enumerate(area.items):
                if len(re.findall(r"\w+", item)) < MIN_DUTY_WORDS:
                    yield finding("specificity.short-duty", "warning", f"{section}.{a}.items.{i}",
                                  f"the duty {item!r} is too short to say what is done",
                                  "say what is done, with what, how often or to what standard")


RULES = (vague_phrases, skill_examples, short_duties)
