"""Compliance: HIPAA and OSHA duties stated in the compliance section."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import JobDescription
from .base import Context, Finding, finding

__all__ = ["RULES", "hipaa", "osha"]


def _stated(model: JobDescription, word: str) -> bool:
    pattern = re.compile(rf"\b{word}\b", re.IGNORECASE)
    return any(
        pattern.search(area.standard) or any(pattern.search(item) for item in area.items)
        for area in model.compliance
    )


def hipaa(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """The compliance section states HIPAA duties (warning)."""
    if not _stated(model, "HIPAA"):
        yield finding(
            "compliance.hipaa",
            "warning",
            "compliance",
            "no HIPAA duties are stated",
            "add a compliance area 'HIPAA': privacy training, securing records, patient access",
        )


def osha(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """The compliance section states OSHA duties (warning)."""
    if not _stated(model, "OSHA"):
        yield finding(
            "compliance.osha",
            "warning",
            "compliance",
            "no OSHA duties are stated",
            "add a compliance area 'OSHA': exposure control plan, biohazard disposal, safety "
            "training",
        )


RULES = (hipaa, osha)
