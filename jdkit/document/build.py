"""``build(model, kind)``: the document tree of a job description or a job posting."""

from __future__ import annotations

import datetime as dt

from ..errors import UsageError
from ..models import JobDescription
from ..wording import clean
from . import description, posting
from .tree import KINDS, Document

__all__ = ["build", "check_kind"]


def check_kind(kind: str) -> str:
    """Return ``kind`` when it is a known kind, else raise a one-line ``UsageError`` (exit 2)."""
    if kind not in KINDS:
        raise UsageError(
            f"unknown kind {kind!r}", field="kind", hint=f"use one of: {', '.join(KINDS)}"
        )
    return kind


def build(
    model: JobDescription, kind: str = "description", *, today: dt.date | None = None
) -> Document:
    """The document tree of ``model``: ``description`` (internal, complete)
    or ``posting`` (for candidates).

    ``today`` is the date the laws are read for (default: today): the posting's pay-transparency
    laws, the description's fair-chance law.
    """
    check_kind(kind)
    title = clean(model.title)
    # the file's properties: the practice that publishes the document, and what it is
    author = clean(model.practice.name)
    subject = (
        f"{'Job posting' if kind == 'posting' else 'Job description'} for the {title} at "
        f"{description.place(model)} (O*NET-SOC {model.role.onet_soc})"
    )
    if kind == "posting":
        day = today or dt.date.today()
        return Document(
            kind="posting",
            title=title,
            practice=clean(model.practice.name),
            place=description.place(model),
            facts=description.facts(model, posting=True),
            sections=tuple(posting.sections(model, day)),
            notice=posting.notice(model, day),
            author=author,
            subject=subject,
        )
    return Document(
        kind="description",
        title=title,
        practice=clean(model.practice.name),
        place=description.place(model),
        facts=description.facts(model),
        sections=tuple(description.sections(model, today)),
        footer=description.review_line(model),
        author=author,
        subject=subject,
    )
