"""The quality rules of a job description: findings, the rule registry, ``check`` and ``score``.

Each rule family is one module in this package exposing ``RULES``, a tuple of small pure
functions ``rule(model, ctx) -> Iterable[Finding]``. Adding a family is one module plus
one line in ``FAMILIES`` (or a call to ``register_family`` from outside jdkit).
Families are imported only when ``check`` first runs, so ``import jdkit`` stays fast.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import Counter
from collections.abc import Iterable, Sequence

from ..data import Tables
from ..models import SECTIONS, JobDescription
from .base import (  # the rule families import these from .base, never from here
    SEVERITIES as SEVERITIES,
    Context as Context,
    Finding as Finding,
    Rule as Rule,
    Severity as Severity,
    finding as finding,
)

__all__ = [
    "Severity",
    "SEVERITIES",
    "PENALTY",
    "MAX_COUNTED_PER_RULE",
    "SECTION_ORDER",
    "FAMILIES",
    "Finding",
    "Context",
    "Rule",
    "finding",
    "register_family",
    "rules",
    "check",
    "score",
    "passed",
    "counts",
    "section_title",
]


# The published score formula (docs/checks.md): 100 minus these per finding, at most
# MAX_COUNTED_PER_RULE findings counted per rule, never below 0.
PENALTY: dict[str, int] = {"error": 20, "warning": 5, "info": 0}
MAX_COUNTED_PER_RULE = 3

# Where findings sort and how the text report groups them: document order.
SECTION_ORDER: tuple[str, ...] = (
    "document",
    "practice",
    "position",
    "summary",
    *(key for key, _ in SECTIONS),
    "physical_demands",
    "work_environment",
    "conditions",
    "equal_opportunity",
    "statements",
    "review",
)
_TITLES = {
    **dict(SECTIONS),
    "document": "Whole document",
    "practice": "Practice",
    "position": "Position",
    "summary": "Summary",
    "physical_demands": "Physical Demands",
    "work_environment": "Work Environment",
    "conditions": "Conditions of Employment",
    "equal_opportunity": "Equal Opportunity",
    "statements": "Statements",
    "review": "Review",
}

# family name -> module; the module's RULES run in order. One line per family.
FAMILIES: dict[str, str] = {
    "completeness": "jdkit.checks.completeness",
    "specificity": "jdkit.checks.specificity",
    "qualifications": "jdkit.checks.qualifications",
    "reporting": "jdkit.checks.reporting",
    "metrics": "jdkit.checks.metrics",
    "pay": "jdkit.checks.pay_transparency",
    "flsa": "jdkit.checks.flsa",
    "compliance": "jdkit.checks.compliance",
    "review": "jdkit.checks.review",
    "inclusive": "jdkit.checks.inclusive",
    "readability": "jdkit.checks.readability",
    "jobposting": "jdkit.checks.jobposting",
    "posting": "jdkit.checks.posting",
    "roles": "jdkit.checks.roles",
}


def register_family(name: str, module: str) -> None:
    """Add (or replace) a rule family: ``module`` is a dotted module name exposing ``RULES``."""
    FAMILIES[name] = module
    _loaded.pop(name, None)


_loaded: dict[str, tuple[Rule, ...]] = {}


def rules(families: Iterable[str] | None = None) -> list[Rule]:
    """Return the rules of ``families`` (all registered families by default), in registry order."""
    out: list[Rule] = []
    for name in families if families is not None else FAMILIES:
        if name not in _loaded:
            _loaded[name] = tuple(importlib.import_module(FAMILIES[name]).RULES)
        out.extend(_loaded[name])
    return out


def check(
    model: JobDescription,
    *,
    today: dt.date | None = None,
    families: Iterable[str] | None = None,
    tables: Tables | None = None,
) -> list[Finding]:
    """Run every rule on ``model`` as of ``today`` (default: the current date).

    ``tables`` replaces the shipped reference tables (``jdkit.data.Tables(folder)``).
    Findings come back in document order (by section), and within a section in registry order.
    """
    ctx = Context(today=today or dt.date.today(), tables=tables)
    found = [item for rule in rules(families) for item in rule(model, ctx)]
    position = {name: index for index, name in enumerate(SECTION_ORDER)}
    return sorted(found, key=lambda f: position.get(f.section, len(position)))


def score(findings: Iterable[Finding]) -> int:
    """Return the 0-100 score: 100 minus PENALTY per finding, at most 3 counted per rule."""
    per_rule: Counter[str] = Counter()
    total = 0
    for item in findings:
        per_rule[item.rule] += 1
        if per_rule[item.rule] <= MAX_COUNTED_PER_RULE:
            total += PENALTY[item.severity]
    return max(0, 100 - total)


def counts(findings: Sequence[Finding]) -> dict[str, int]:
    """Return how many findings there are of each severity (every severity present, zero or not)."""
    tally = Counter(item.severity for item in findings)
    return {severity: tally.get(severity, 0) for severity in SEVERITIES}


def passed(findings: Sequence[Finding], *, min_score: int = 0) -> bool:
    """True when no finding is an error and the score is at least ``min_score``."""
    return not any(item.severity == "error" for item in findings) and score(findings) >= min_score


def section_title(section: str) -> str:
    """The heading a section is shown under (``skills`` -> ``Required Skills``)."""
    return _TITLES.get(section, section.replace("_", " ").title())
