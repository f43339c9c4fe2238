"""The quality rules of a job description: findings, the rule registry, ``check`` and ``score``.

Each rule family is one module in this package exposing ``RULES``, a tuple of small pure
functions ``rule(model, ctx) -> Iterable[Finding]``. Adding a family is one module plus
one line in ``FAMILIES``; from outside jdkit, a call to ``register_family`` or an entry point
of another distribution::

    [project.entry-points."jdkit.checks"]
    mine = "mypkg.rules"            # a module exposing RULES

Families are imported only when ``check`` first runs, so ``import jdkit`` stays fast.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import Counter
from collections.abc import Iterable, Sequence

from ..data import Tables
from ..errors import UsageError
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
    "ENTRY_POINT_GROUP",
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


ENTRY_POINT_GROUP = "jdkit.checks"  # other distributions' rule families: name = "module"


def register_family(name: str, module: str) -> None:
    """Add (or replace) a rule family: ``module`` is a dotted module name exposing ``RULES``."""
    FAMILIES[name] = module
    _loaded.pop(name, None)


_loaded: dict[str, tuple[Rule, ...]] = {}
_entry_points_read = False


def register_entry_points() -> None:
    """Add the rule families of installed distributions' ``jdkit.checks`` entry points after
    jdkit's own (a family of jdkit's, or one registered in code, keeps its name)."""
    from importlib.metadata import entry_points

    global _entry_points_read
    _entry_points_read = True
    for point in entry_points(group=ENTRY_POINT_GROUP):
        FAMILIES.setdefault(point.name, point.value)


def rules(families: Iterable[str] | None = None) -> list[Rule]:
    """Return the rules of ``families`` (all registered families by default, entry points
    included), in registry order."""
    if not _entry_points_read:
        register_entry_points()
    out: list[Rule] = []
    for name in families if families is not None else list(FAMILIES):
        if name not in _loaded:
            _loaded[name] = _load(name)
        out.extend(_loaded[name])
    return out


def _load(name: str) -> tuple[Rule, ...]:
    """The ``RULES`` of family ``name``; a family that cannot be loaded is one line naming it."""
    module = FAMILIES.get(name)
    if module is None:
        raise UsageError(
            f"unknown rule family {name!r}",
            field="families",
            hint=f"use one of {', '.join(FAMILIES)}",
        )
    try:
        return tuple(importlib.import_module(module).RULES)
    except Exception as exc:  # a broken plug-in: its name and why, not a traceback
        raise UsageError(
            f"the rule family {name!r} ({module}) cannot be loaded: {type(exc).__name__}: {exc}",
            field="families",
            hint="fix or uninstall the package that provides it",
        ) from None


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
