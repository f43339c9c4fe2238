"""The job posting: what a candidate reads on a job board, in 300 to 700 words.

A summary, the duties that matter most (the first of each duty area), the must-have
qualifications, pay and benefits as the practice's pay-transparency law asks (the range,
a description of benefits and other compensation, the date applications close), the
equal-opportunity statement and how to apply. Where a law in force wants something the
practice has not set, the posting is still written, with a first line saying it is a
draft that must not be published, and what to set.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..models import JobDescription
from ..wording import clean, join_words, sentence, us_date
from .description import benefit_rows, compensation_pairs, qualification_blocks
from .tree import Block, BulletList, Definitions, Heading, Item, Paragraph, Section

if TYPE_CHECKING:
    from ..paylaws import Law

__all__ = ["DRAFT", "DUTIES_PER_AREA", "MAX_DUTIES", "missing", "notice", "sections"]

DRAFT = "Draft: not publishable"
DUTIES_PER_AREA = 1
MAX_DUTIES = 6


def _laws(model: JobDescription, today: dt.date) -> list[Law]:
    """The pay-transparency laws enforced where the practice is, on ``today``."""
    from ..paylaws import applicable

    return [law for law in applicable(model.practice, today)[0] if law.enforced(today)]


def missing(model: JobDescription, today: dt.date) -> list[tuple[str, str, str]]:
    """What a law in force wants in the posting and the practice has
    not set: (law, what, fields)."""
    from ..paylaws import has_benefits, has_range

    found = []
    for law in _laws(model, today):
        if not has_range(model):
            found.append(
                (law.name, "a pay range", "compensation.salary_min and compensation.salary_max")
            )
        if law.benefits and not has_benefits(model):
            found.append((law.name, "a description of benefits", "benefits"))
        if law.deadline and model.position.valid_through is None:
            found.append((law.name, "the date applications close", "position.valid_through"))
    return found


def notice(model: JobDescription, today: dt.date) -> str:
    """``Draft: not publishable. Colorado law requires a pay range in
    postings; set ...`` or empty."""
    gaps = missing(model, today)
    if not gaps:
        return ""
    laws = list(dict.fromkeys(name for name, _, _ in gaps))
    wants = join_words(list(dict.fromkeys(what for _, what, _ in gaps)))
    # "set compensation.salary_min, compensation.salary_max and position.valid_through"
    fields = join_words(list(dict.fromkeys(f for _, _, g in gaps for f in g.split(" and "))))
    return (
        f"{DRAFT}. {join_words(laws)} law requires {wants} in job postings; set {fields} "
        "before publishing."
    )


def _duties(model: JobDescription) -> BulletList:
    items = [
        Item(sentence(text), clean(area.area))
        for area in model.responsibilities
        for text in area.items[:DUTIES_PER_AREA]
    ]
    return BulletList(tuple(items[:MAX_DUTIES]))


def _must_haves(model: JobDescription) -> list[Block]:
    items: list[Item] = []
    head = ""
    for block in qualification_blocks(model, required_only=True):
        if isinstance(block, Paragraph):
            items.append(Item(block.text, "Education"))
        elif isinstance(block, BulletList):
            items += [Item(i.text, head) for i in block.items]
        elif isinstance(block, Heading):
            head = {"Certifications": "Certification"}.get(block.text, block.text)
    return (
        [BulletList(tuple(items))]
        if items
        else [Paragraph("No formal qualifications are required.")]
    )


def _pay(model: JobDescription) -> list[Block]:
    pairs = compensation_pairs(model, overtime=False)
    blocks: list[Block] = [Definitions(tuple((t, clean(v)) for t, v in pairs))]
    rows = benefit_rows(model, brief=True)
    if rows:
        blocks += [Heading("Benefits"), BulletList(tuple(Item(text, name) for name, text in rows))]
    return blocks


def _apply(model: JobDescription) -> list[Block]:
    pos, practice = model.position, model.practice
    lines: list[str] = []
    if pos.apply_url:
        lines.append(f"Apply online at {pos.apply_url}.")
    if pos.apply_email:
        lines.append(
            ("Or e-mail" if pos.apply_url else "E-mail")
            + f" your application to {pos.apply_email}."
        )
    if not lines:
        lines.append(
            f"Apply through {practice.website}."
            if practice.website
            else f"Send your application to {clean(practice.name)}."
        )
    if pos.valid_through:
        lines.append(f"Applications close on {us_date(pos.valid_through)}.")
    return [Paragraph(" ".join(lines))]


def sections(model: JobDescription, today: dt.date) -> list[Section]:
    """Every section of the posting, in order."""
    out: list[Section] = []
    if model.summary:
        out.append(Section("summary", "About the Job", (Paragraph(sentence(model.summary)),)))
    if model.responsibilities:
        out.append(Section("duties", "What You Will Do", (_duties(model),)))
    out.append(Section("qualifications", "What You Bring", tuple(_must_haves(model))))
    out.append(Section("pay", "Pay and Benefits", tuple(_pay(model))))
    if model.equal_opportunity:
        out.append(
            Section(
                "equal-opportunity",
                "Equal Opportunity",
                (Paragraph(sentence(model.equal_opportunity)),),
            )
        )
    out.append(Section("apply", "How to Apply", tuple(_apply(model))))
    return out
