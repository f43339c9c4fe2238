"""The ``jobposting`` rules: is the schema.org ``JobPosting`` (``--to
jsonld``) ready for job boards?

They follow Google's rules for job-posting structured data: a required property missing is
a warning (a job description is still useful without it, but boards will not list it), a
recommended one missing is information. A pay range without numbers is a warning, since
``baseSalary`` must be the employer's own figure, not an estimate a board fills in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import JobDescription
from .base import Context, Finding, finding

__all__ = ["RULES", "required", "recommended", "salary_figures", "expired", "title_only"]

# Google: the title is the job's name only, no codes, pay, dates or shouting.
_NOT_A_TITLE = re.compile(
    r"[$!*#@]|\d{3,}|\b(hiring|urgent|apply now|immediate(ly)?)\b", re.IGNORECASE
)


def required(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Google's required properties the model leaves empty: datePosted and the job's place."""
    if model.position.date_posted is None:
        yield finding(
            "jobposting.required",
            "warning",
            "position.date_posted",
            "the JobPosting has no datePosted, which job boards require",
            "set position.date_posted to the day the posting goes live (YYYY-MM-DD)",
        )
    if model.position.location_type != "remote" and not model.practice.city:
        yield finding(
            "jobposting.required",
            "warning",
            "practice.city",
            "the JobPosting's jobLocation has no addressLocality (city)",
            "set practice.city to the town the job is in",
        )


def recommended(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Google's recommended properties the model leaves empty."""
    if model.position.valid_through is None:
        yield finding(
            "jobposting.recommended",
            "info",
            "position.valid_through",
            "the JobPosting has no validThrough, so boards cannot tell when it expires",
            "set position.valid_through to the last day to apply (YYYY-MM-DD)",
        )
    if model.position.location_type != "remote":
        for field, prop in (("street_address", "streetAddress"), ("postal_code", "postalCode")):
            if getattr(model.practice, field) is None:
                yield finding(
                    "jobposting.recommended",
                    "info",
                    f"practice.{field}",
                    f"the JobPosting's address has no {prop}",
                    f"set practice.{field} so boards can place the job on a map",
                )
    if model.practice.website is None:
        yield finding(
            "jobposting.recommended",
            "info",
            "practice.website",
            "the hiring organization has no sameAs (website)",
            "set practice.website to the practice's home page (https://...)",
        )
    if not model.qualifications.experience:
        yield finding(
            "jobposting.recommended",
            "info",
            "qualifications.experience",
            "the JobPosting has no experienceRequirements",
            "list the years and kind of experience under qualifications.experience",
        )


def salary_figures(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """``baseSalary`` needs the employer's own numbers: a pay section with none is a warning."""
    pay = model.compensation
    if pay.salary_min is None and pay.salary_max is None:
        yield finding(
            "jobposting.salary",
            "warning",
            "compensation.salary_min",
            "the JobPosting has no baseSalary: the pay has no figures of the employer's own",
            "set compensation.salary_min and salary_max to the range the practice will pay",
        )
    elif pay.salary_min is None or pay.salary_max is None:
        yield finding(
            "jobposting.salary",
            "info",
            "compensation.salary_max" if pay.salary_max is None else "compensation.salary_min",
            "the JobPosting's baseSalary has only one end of the range",
            "give both compensation.salary_min and salary_max",
        )


def expired(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """A ``validThrough`` already past: boards drop the posting."""
    end = model.position.valid_through
    if end is not None and end < ctx.today:
        yield finding(
            "jobposting.expired",
            "warning",
            "position.valid_through",
            f"the posting expired on {end.isoformat()}",
            "move position.valid_through to a future date or take the posting down",
        )


def title_only(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Google: the title names the job only (no pay, codes, dates or calls to action)."""
    match = _NOT_A_TITLE.search(model.title)
    if match:
        yield finding(
            "jobposting.title",
            "warning",
            "position.title",
            f"the title holds {match.group(0)!r}; job boards want only the job's name",
            "put pay, dates and calls to action in the description, not in position.title",
        )


RULES = (required, recommended, salary_figures, expired, title_only)
