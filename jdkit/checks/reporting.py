"""Reporting: a supervisor by title, the roles a managing role
supervises, its decision authority."""

from __future__ import annotations

from collections.abc import Iterator

from ..models import JobDescription
from .base import Context, Finding, finding

__all__ = ["RULES", "reports_to", "supervises", "authority"]


def reports_to(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """``reporting.reports_to`` names the direct supervisor (warning)."""
    if not model.reporting.reports_to:
        yield finding(
            "reporting.reports-to",
            "warning",
            "reporting.reports_to",
            "the direct supervisor is not named",
            "set reporting.reports_to to a title, e.g. Physician Owner",
        )


def supervises(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """A managing role supervises at least one role (warning)."""
    if model.role.managing and not model.reporting.supervises:
        yield finding(
            "reporting.supervises",
            "warning",
            "reporting.supervises",
            f"{model.title} is a managing role but supervises no one",
            "list the roles supervised in reporting.supervises, e.g. Medical Receptionist",
        )


def authority(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Decision authority is stated: what the role decides alone or
    what needs approval (warning)."""
    auth = model.reporting.authority
    if not (auth.decides_alone or auth.needs_approval or auth.spending_limit):
        yield finding(
            "reporting.authority",
            "warning",
            "reporting.authority",
            "decision authority is not stated",
            "fill reporting.authority: decides_alone, needs_approval and a spending_limit",
        )


RULES = (reports_to, supervises, authority)
