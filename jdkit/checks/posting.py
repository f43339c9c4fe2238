"""The ``posting`` rules: is the job posting (``--kind posting``) a length candidates read, and
does it say where to apply?

Textio's data puts effective postings at 300 to 700 words (Ongig suggests 550 to 750): a
shorter one leaves out what candidates look for, a longer one loses them. The words are
those of the posting as every format shows it (``jdkit.document.build(model, "posting")``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document import build, words
from ..models import JobDescription
from .base import Context, Finding, finding

__all__ = ["RULES", "MIN_WORDS", "MAX_WORDS", "length", "how_to_apply"]

MIN_WORDS, MAX_WORDS = 300, 700


def length(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warning: the posting has fewer than 300 or more than 700 words; says by how many."""
    count = words(build(model, "posting", today=ctx.today))
    if count < MIN_WORDS:
        yield finding(
            "posting.length",
            "warning",
            "document",
            f"the job posting has {count} words, {MIN_WORDS - count} under the {MIN_WORDS} to "
            f"{MAX_WORDS} "
            "that candidates read best",
            "add the summary, the main duties and the must-have qualifications (summary, "
            "responsibilities, "
            "qualifications)",
            section="document",
        )
    elif count > MAX_WORDS:
        yield finding(
            "posting.length",
            "warning",
            "document",
            f"the job posting has {count} words, {count - MAX_WORDS} over the {MIN_WORDS} to "
            f"{MAX_WORDS} "
            "that candidates read best",
            "shorten the summary, the first duty of each area and the equal-opportunity statement",
            section="document",
        )


def how_to_apply(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warning: the posting names no web page, e-mail address or website to apply through, so it
    can only say "Send your application to <practice>"."""
    if model.position.apply_url or model.position.apply_email or model.practice.website:
        return
    yield finding(
        "posting.how-to-apply",
        "warning",
        "position.apply_url",
        "the job posting does not say where to apply: it can only say "
        f"'Send your application to {model.practice.name}'",
        "set position.apply_url (a web page) or position.apply_email, or practice.website",
    )


RULES = (length, how_to_apply)
