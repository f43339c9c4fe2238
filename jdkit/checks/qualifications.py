"""Qualifications: a degree with its field, a certification, a minimum number of years."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import JobDescription
from .base import Context, Finding, finding

__all__ = ["RULES", "DEGREE", "degree_field", "certification", "experience_years"]

# A degree has a field; a diploma or GED does not.
DEGREE = re.compile(
    r"\b(?:degree|bachelor|associate|master|doctor|doctorate|b\.?a|b\.?s|mba|mha|bsn|msn)\b",
    re.IGNORECASE,
)


def degree_field(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Education is stated, and a degree (not a diploma) names its field (warning)."""
    education = model.qualifications.education
    if education is None:
        yield finding(
            "qualifications.degree-field",
            "warning",
            "qualifications.education",
            "no education is stated",
            "add qualifications.education with degree, field and any equivalent",
        )
    elif not education.field and DEGREE.search(education.degree):
        yield finding(
            "qualifications.degree-field",
            "warning",
            "qualifications.education.field",
            f"the {education.degree} has no field",
            "add the field, e.g. 'healthcare administration'",
        )


def certification(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """At least one certification, marked required or preferred, with its issuing body (warning)."""
    if not model.qualifications.certifications:
        yield finding(
            "qualifications.certification",
            "warning",
            "qualifications.certifications",
            "no certification is named",
            "name at least one with its issuer and level, e.g. CMM from PAHCOM, preferred",
        )


def experience_years(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """At least one kind of experience with a minimum number of years (warning)."""
    if not any(item.years > 0 for item in model.qualifications.experience):
        yield finding(
            "qualifications.experience-years",
            "warning",
            "qualifications.experience",
            "no minimum years of experience are stated",
            "add qualifications.experience with years and kind, e.g. 3 years of medical office "
            "operations",
        )


RULES = (degree_field, certification, experience_years)
