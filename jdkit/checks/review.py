"""Review: the document carries its last review date and is at most 12 months old."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..models import MAX_REVIEW_MONTHS, JobDescription
from .base import Context, Finding, finding

__all__ = ["RULES", "review", "MAX_MONTHS", "next_due"]

MAX_MONTHS = MAX_REVIEW_MONTHS


def next_due(model: JobDescription) -> dt.date | None:
    """The next review date, as the model works it out (``Review.next_due``: at most 12 months)."""
    return model.review.next_due


def review(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warn when ``last_reviewed`` is missing, in the future or past due; else
    report the next due date (info)."""
    last = model.review.last_reviewed
    if last is None:
        yield finding(
            "review.missing",
            "warning",
            "review.last_reviewed",
            "the last review date is missing",
            f"review the description and set review.last_reviewed, e.g. {ctx.today.isoformat()}",
        )
        return
    due = next_due(model)
    if last > ctx.today:
        yield finding(
            "review.future",
            "warning",
            "review.last_reviewed",
            f"the last review date {last} is after the check date {ctx.today}",
            "set review.last_reviewed to the day the review actually happened",
        )
    elif due is not None and due < ctx.today:
        yield finding(
            "review.overdue",
            "warning",
            "review.last_reviewed",
            f"last reviewed {last}; the review was due {due}",
            "review duties, skills and pay now and set review.last_reviewed to that date",
        )
    else:
        yield finding(
            "review.next-due",
            "info",
            "review.last_reviewed",
            f"last reviewed {last}; next review due {due}",
            "review again by that date, or sooner when duties or the organisation change",
        )


RULES = (review,)
