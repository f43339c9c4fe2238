"""Check many parameter files and report: the text and JSON that ``jdkit check`` prints.

``check_models`` checks what the caller has read; ``Report.to_dict`` is the documented JSON shape
(docs/checks.md, version 1); ``Report.format_text`` is the terminal view, grouped by document and
section. Nothing here reads parameter files, prints or exits: that is ``jdkit.cli``'s job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..data import Tables
from ..errors import JdkitError
from ..models import JobDescription
from ..terminal import clean
from . import Finding, check, counts, passed, score, section_title

__all__ = ["JSON_VERSION", "Result", "Report", "check_models", "validate_tables"]

JSON_VERSION = 1


@dataclass(frozen=True)
class Result:
    """One checked document: its file, model and findings."""

    file: str
    model: JobDescription
    findings: list[Finding]

    @property
    def score(self) -> int:
        """The document's 0-100 score."""
        return score(self.findings)

    def to_dict(self, *, min_score: int = 0) -> dict[str, Any]:
        """The document as the JSON object documented in docs/checks.md."""
        return {
            "file": self.file,
            "practice": self.model.practice.name,
            "role": self.model.role.id,
            "title": self.model.title,
            "score": self.score,
            "passed": passed(self.findings, min_score=min_score),
            "counts": counts(self.findings),
            "findings": [item.to_dict() for item in self.findings],
        }


@dataclass
class Report:
    """The outcome of checking several files: results, bad-input errors, the date and the bar."""

    today: dt.date
    min_score: int = 0
    results: list[Result] = field(default_factory=list)
    errors: list[JdkitError] = field(default_factory=list)

    @property
    def failed(self) -> list[Result]:
        """Documents with an error-level finding or a score below ``min_score``."""
        return [r for r in self.results if not passed(r.findings, min_score=self.min_score)]

    def to_dict(self) -> dict[str, Any]:
        """The whole report as JSON-ready data (shape version ``JSON_VERSION``)."""
        return {
            "version": JSON_VERSION,
            "today": self.today.isoformat(),
            "min_score": self.min_score,
            "documents": [r.to_dict(min_score=self.min_score) for r in self.results],
            "errors": [
                {"file": e.file, "field": e.field, "line": e.line, "message": e.format()}
                for e in self.errors
            ],
            "summary": {
                "checked": len(self.results),
                "passed": len(self.results) - len(self.failed),
                "failed": len(self.failed),
                "bad_input": len(self.errors),
            },
        }

    def format_text(self) -> str:
        """The report for a terminal: per document its score, then findings grouped by section."""
        lines: list[str] = []
        for result in self.results:
            tally = counts(result.findings)
            verdict = "passed" if passed(result.findings, min_score=self.min_score) else "FAILED"
            bar = f", minimum {self.min_score}" if self.min_score else ""
            lines.append(f"{result.file}: {result.model.practice.name}, {result.model.title}")
            lines.append(
                f"  score {result.score}/100{bar}: {verdict} ({_plural(tally['error'], 'error')}, "
                f"{_plural(tally['warning'], 'warning')}, {_plural(tally['info'], 'note')})"
            )
            section = None
            for item in result.findings:
                if item.section != section:
                    section = item.section
                    lines.append(f"  {section_title(section)}")
                where = f"{item.field}: " if item.field else ""
                lines.append(f"    {item.severity:<7}  {item.rule}  {where}{item.message}")
                if item.severity != "info":
                    lines.append(f"    {'':<7}  fix: {item.hint}")
            lines.append("")
        summary = (
            f"{_plural(len(self.results), 'document')} checked: "
            f"{len(self.results) - len(self.failed)} passed, "
            f"{len(self.failed)} failed"
        )
        if self.errors:
            summary += f", {_plural(len(self.errors), 'file')} with bad input"
        lines.append(summary)
        # control characters shown, never obeyed
        return "\n".join(clean(line) for line in lines) + "\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def check_models(
    documents: Iterable[tuple[str, JobDescription]],
    *,
    errors: Iterable[JdkitError] = (),
    today: dt.date | None = None,
    min_score: int = 0,
    tables: Tables | None = None,
) -> Report:
    """Check each ``(file, model)`` the caller has read (``jdkit.sources.load_sources``); ``errors``
    are the inputs it could not read, reported with the rest.

    ``tables`` (a folder of the user's reference tables) is validated whole first, so a bad
    row is one ``DataError`` before any document is checked.
    """
    if tables is not None:
        validate_tables(tables)
    report = Report(today=today or dt.date.today(), min_score=min_score)
    report.errors.extend(errors)
    for path, model in documents:
        report.results.append(Result(path, model, check(model, today=report.today, tables=tables)))
    return report


def validate_tables(tables: Tables) -> None:
    """Read and validate every law table of ``tables``; raise ``DataError`` on the first bad row."""
    from ..wages import rows
    from .pay_transparency import laws

    laws(tables)
    rows("minimum_wage", tables)
    rows("exempt_salary", tables)
    rows("health_care_minimum_wage", tables)
