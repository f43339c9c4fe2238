"""Completeness: the nine sections present and non-empty, their sub-elements, an EEO statement."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import InternalError
from ..models import SECTIONS, JobDescription
from .base import Context, Finding, finding

__all__ = [
    "RULES",
    "section_empty",
    "benefits_parts",
    "reporting_channels",
    "equal_opportunity",
    "is_empty",
    "physical_demands",
    "exposure_determination",
]


def is_empty(model: JobDescription, section: str) -> bool:
    """True when ``section`` (one of the nine) holds nothing a reader could use."""
    value = getattr(model, section)
    if isinstance(value, list):
        return not value
    if section == "reporting":
        auth = value.authority
        return not (
            value.reports_to
            or value.supervises
            or value.channels
            or auth.decides_alone
            or auth.needs_approval
            or auth.spending_limit
        )
    if section == "compensation":
        return not (value.salary_min or value.salary_max or value.bonus or value.overtime)
    if section == "benefits":
        return not (
            value.health or value.pto or value.retirement or value.development or value.other
        )
    if section == "qualifications":
        return not (value.education or value.certifications or value.experience)
    raise InternalError(f"no completeness test for section {section!r}")


def section_empty(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Each of the nine sections of DOMAIN.md must be present and non-empty (error)."""
    for key, title in SECTIONS:
        if is_empty(model, key):
            yield finding(
                "completeness.section-empty",
                "error",
                key,
                f"the {title} section is empty",
                f"fill in '{key}' in the parameter file or the role library",
            )


_BENEFIT_PARTS = {
    "health": "health cover (medical, dental, vision, premium share)",
    "pto": "paid time off (vacation, sick days, holidays)",
    "retirement": "a retirement plan (plan, match, vesting)",
    "development": "professional development (budget, what it covers, how to request it)",
}


def benefits_parts(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Benefits name health, PTO, retirement and development (warning for each missing)."""
    if is_empty(model, "benefits"):
        return  # the section-empty error already says so
    for part, what in _BENEFIT_PARTS.items():
        if getattr(model.benefits, part) is None:
            yield finding(
                "completeness.benefits-part",
                "warning",
                f"benefits.{part}",
                f"benefits do not describe {what.split(' (')[0]}",
                f"add benefits.{part}: {what}",
            )


def reporting_channels(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Reporting names its communication channels (warning); supervisor and authority
    are the reporting family's."""
    if not is_empty(model, "reporting") and not model.reporting.channels:
        yield finding(
            "completeness.reporting-channels",
            "warning",
            "reporting.channels",
            "no communication channels (meetings, reports, messaging) are given",
            "add reporting.channels with method, audience and cadence, e.g. a weekly written "
            "report",
        )


def equal_opportunity(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """An equal-opportunity statement is present (warning)."""
    if not model.equal_opportunity:
        yield finding(
            "completeness.equal-opportunity",
            "warning",
            "equal_opportunity",
            "there is no equal-opportunity statement",
            "add equal_opportunity: name the protected characteristics and how to ask for "
            "accommodation",
        )


def physical_demands(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Each physical demand says how often it occurs on the DOT scale (warning each)."""
    for index, demand in enumerate(model.physical_demands):
        if demand.frequency is None:
            yield finding(
                "completeness.demand-frequency",
                "warning",
                f"physical_demands.{index}.frequency",
                f"the physical demand {demand.demand!r} does not say how often it occurs",
                "add frequency: occasionally (up to 1/3 of the time), frequently (1/3 to 2/3) "
                "or constantly (over 2/3)",
            )


def exposure_determination(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """The role's OSHA bloodborne-pathogens exposure determination is stated (warning)."""
    if model.work_environment.exposure is None:
        yield finding(
            "completeness.exposure-determination",
            "warning",
            "work_environment.exposure",
            "the work environment does not state the role's OSHA exposure determination",
            "set work_environment.exposure: all, some (with exposure_tasks) or none "
            "(29 CFR 1910.1030(c)(2))",
        )


RULES = (
    section_empty,
    benefits_parts,
    reporting_channels,
    equal_opportunity,
    physical_demands,
    exposure_determination,
)
