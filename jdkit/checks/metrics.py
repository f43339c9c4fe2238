"""Metrics: each with a numeric target and a clear period; all four families covered."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import METRIC_FAMILIES, JobDescription
from .base import Context, Finding, finding

__all__ = ["RULES", "periods", "families", "PERIOD"]

# A period names a span of time ("monthly", "each quarter", "rolling 90 days", "calendar year").
PERIOD = re.compile(
    r"\b(?:daily|weekly|biweekly|fortnightly|monthly|quarterly|yearly|annual(?:ly)?|"
    r"days?|weeks?|months?|quarters?|years?)\b",
    re.IGNORECASE,
)


def periods(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Every metric's period names a span of time (the target is numeric
    by the model) (warning each)."""
    for index, metric in enumerate(model.metrics):
        if not PERIOD.search(metric.period):
            yield finding(
                "metrics.period",
                "warning",
                f"metrics.{index}.period",
                f"the period {metric.period!r} of {metric.name!r} is not a span of time",
                "use a period such as monthly, quarterly or yearly",
            )


_FAMILY_EXAMPLES = {
    "financial": "days in A/R or clean-claim rate",
    "operational": "patient wait time or scheduling accuracy",
    "patient_satisfaction": "a minimum survey score",
    "compliance": "HIPAA violations or audit results",
}


def families(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """The metrics cover the financial, operational, patient-satisfaction and
    compliance families (warning each)."""
    if not model.metrics:
        return  # the completeness family reports an empty section
    present = {metric.family for metric in model.metrics}
    for family in METRIC_FAMILIES:
        if family not in present:
            yield finding(
                "metrics.family",
                "warning",
                "metrics",
                f"no {family.replace('_', ' ')} metric",
                f"add a metric with family {family}, e.g. {_FAMILY_EXAMPLES[family]}",
            )


RULES = (periods, families)
