"""What a rule is and what it finds: ``Finding``, ``Context``, ``Rule`` and ``finding``.

The rule families (``jdkit.checks.flsa`` and the others) import these from here, a module
that imports no family, and ``jdkit.checks`` re-exports them: the package imports its
families by name when ``check`` first runs, so they must not import the package back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Literal

from ..data import Tables
from ..errors import InternalError
from ..models import JobDescription

__all__ = ["Severity", "SEVERITIES", "Finding", "Context", "Rule", "finding"]

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One thing a rule found: which rule, how serious, where (section and dotted field), what,
    and the fix."""

    rule: str
    severity: Severity
    section: str
    field: str
    message: str
    hint: str

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise InternalError(
                f"severity must be one of {SEVERITIES}, not {self.severity!r}", field="severity"
            )

    def to_dict(self) -> dict[str, str]:
        """Return the finding as the JSON object documented in docs/checks.md."""
        return asdict(self)


@dataclass(frozen=True)
class Context:
    """What rules may know besides the model: the date the check runs for, and the reference
    tables."""

    today: dt.date
    tables: Tables | None = None  # None: the tables jdkit ships


Rule = Callable[[JobDescription, Context], Iterable[Finding]]


def finding(
    rule: str,
    severity: Severity,
    field: str,
    message: str,
    hint: str,
    *,
    section: str | None = None,
) -> Finding:
    """Build a ``Finding``; the section defaults to the first part of the dotted ``field``."""
    return Finding(rule, severity, section or field.split(".", 1)[0], field, message, hint)
