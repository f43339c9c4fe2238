"""The ``posting`` rules: is the job posting (``--kind posting``) a length candidates read?

Textio's data puts effective postings at 300 to 700 words (Ongig suggests 550 to 750): a
shorter one leaves out what candidates look for, a longer one loses them. The words are
those of the posting as every format shows it (``jdkit.document.build(model, "posting")``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document import build, words
from ..models import JobDescription
from .base import Context, Finding, finding

__all__ = ["RULES", "MIN_WORDS", "MAX_WORDS", "length"]

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


RULES = (length,)
