"""What the batch's three stages hand on: ``Task`` (plan -> execute), ``Outcome`` (execute ->
publish) and ``PracticeResult`` (a practice's row of the summary)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Task", "Outcome", "PracticeResult", "BatchResult"]


@dataclass(frozen=True)
class Task:
    """One practice to run: everything a worker needs, picklable (no paths it must read)."""

    slug: str
    source: str
    parameters: dict[str, Any]
    notebook: dict[str, Any]
    formats: tuple[str, ...] = ("html", "pdf")
    paper: str = "Letter"
    timeout: float = 120.0
    spare: bool = True  # start the next kernel while this one runs (not for the batch's last tasks)
    # the notebook's document, and/or the posting (from the model)
    kinds: tuple[str, ...] = ("description",)
    runner: str = "kernels"  # jdkit.batch.execute.RUNNERS: the fast path, or "papermill"


@dataclass
class Outcome:
    """What a worker returns: status, the reason of a failure, the files' bytes by extension
    (``-posting.html`` for the posting), and the HTML of each PDF wanted, by the PDF's extension
    (printed by the batch's printer, see ``jdkit.batch.publish.collect``)."""

    slug: str
    ok: bool
    reason: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    prints: dict[str, str] = field(default_factory=dict)
    score: int | None = None
    errors: int | None = None
    seconds: float = 0.0

    @classmethod
    def failure(cls, slug: str, reason: str, ipynb: bytes, start: float) -> Outcome:
        """A practice that failed after its notebook ran (``ipynb``, kept as ``.failed.ipynb``);
        ``start``: its ``time.perf_counter()`` when it began."""
        return cls(
            slug, False, reason, {".failed.ipynb": ipynb}, seconds=time.perf_counter() - start
        )


@dataclass
class PracticeResult:
    """One practice's row in the summary."""

    practice: str
    slug: str
    source: str
    status: str  # ok | skipped | failed
    reason: str = ""
    score: int | None = None
    errors: int | None = None
    pay: str = ""
    pay_min: float | None = None
    pay_max: float | None = None
    period: str = ""
    outputs: list[str] = field(default_factory=list)
    # the library role's title and the practice's state: the pay comparison groups by them
    role: str = ""
    state: str = ""
    seconds: float = 0.0
    # the market's middle half and median a year (jdkit.checks.market_pay.market_band)
    band_p25: float | None = None
    band_median: float | None = None
    band_p75: float | None = None

    @property
    def name(self) -> str:
        """``Cedar Family Medicine: Medical Receptionist`` (a practice may have several roles), or
        the source when the practice could not be read."""
        if not self.practice:
            return self.source
        return f"{self.practice}: {self.role}" if self.role else self.practice

    @property
    def not_ready(self) -> bool:
        """Written (now or by an earlier run) with error-level findings: not ready to publish,
        whatever the status says."""
        return self.status != "failed" and bool(self.errors)


@dataclass
class BatchResult:
    """Every practice's result, and where the summary was written."""

    results: list[PracticeResult]
    summary_csv: Path
    summary_html: Path

    @property
    def failed(self) -> list[PracticeResult]:
        """The practices that failed, in input order."""
        return [r for r in self.results if r.status == "failed"]

    @property
    def not_ready(self) -> list[PracticeResult]:
        """The practices written with errors in their checks, in input order."""
        return [r for r in self.results if r.not_ready]
