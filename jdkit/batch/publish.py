"""Stage three of ``jdkit batch``: the documents from each executed notebook, the PDFs, the files
and the summary.

``documents`` runs in the worker, beside the notebook it exports: the description's HTML is
nbconvert's export of the executed notebook (``jdkit.export.nbconvert``); every other format
and the posting come from the model the kernel returned (``jdkit.notebook.read_result``),
through the format registry. ``collect`` gathers the workers' outcomes and has the batch's one
printer make their PDFs; ``store`` writes a practice's files atomically, its stamp last;
``write_summary`` writes ``summary.csv`` and ``summary.html`` (``templates/document/
summary.html.j2``).
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .._version import __version__
from ..export import write
from ..models import JobDescription
from ..wording import count
from .records import Outcome, PracticeResult, Task

__all__ = [
    "SUMMARY_COLUMNS",
    "exporter",
    "documents",
    "collect",
    "check_owner",
    "read_stamp",
    "store",
    "write_summary",
]

_exporters = threading.local()


def exporter() -> Any:
    """This thread's ``jdkit`` nbconvert HTML exporter, made once (loading its template is the
    slow part).

    One per thread: an export registers filters bound to its notebook on the exporter. A forked
    worker's main thread keeps the one its forkserver made (``jdkit.batch.preload``).
    """
    current = getattr(_exporters, "exporter", None)
    if current is None:
        from ..export.nbconvert import JdkitHTMLExporter

        # nbconvert's Exporter.__init__ is unannotated
        current = _exporters.exporter = JdkitHTMLExporter()  # type: ignore[no-untyped-call]
    return current


def documents(task: Task, nb: Any, ipynb: bytes, start: float) -> Outcome:
    """The ``Outcome`` of an executed notebook: its files, the HTML of its PDFs, the score.

    Never raises for a practice's faults: an export or a check that fails fails this practice.
    """
    from ..notebook import findings, model_from, read_result

    def failed(reason: str) -> Outcome:
        return Outcome.failure(task.slug, reason, ipynb, start)

    files = {".ipynb": ipynb}
    prints: dict[str, str] = {}
    try:
        from ..formats import FORMATS

        result = read_result(nb)  # the kernel's model and findings
        model: JobDescription | None = result.model if result is not None else None
        if "description" in task.kinds:
            html, _ = exporter().from_notebook_node(nb)
            if "html" in task.formats:
                files[FORMATS.get_exporter("html").extension] = html.encode("utf-8")
            if "pdf" in task.formats:
                prints[FORMATS.get_exporter("pdf").extension] = html
        for kind in task.kinds:
            for fmt in task.formats:
                if kind == "description" and fmt in ("html", "pdf"):
                    continue  # the executed notebook's own document, above
                from ..export import export

                # a notebook of the user's own that returns no result: built from the parameters
                model = model or model_from(task.parameters, file=task.source)
                suffix = "" if kind == "description" else f"-{kind}"
                if fmt == "pdf":
                    from ..document.writers import render_html

                    extension = FORMATS.get_exporter("pdf").extension
                    prints[suffix + extension] = render_html(model, kind=kind)
                    continue
                body, resources = export(model, fmt, paper=task.paper, kind=kind)
                files[suffix + resources["extension"]] = body
    except Exception as exc:
        text = exc.format() if hasattr(exc, "format") else f"{type(exc).__name__}: {exc}"
        return failed(f"export failed: {' '.join(str(text).split())[:300]}")
    if result is not None:
        score, errors = result.score, result.errors
    else:
        try:
            found, score = findings(model or model_from(task.parameters, file=task.source))
        except Exception as exc:  # a broken rule is a bug, but it must not stop the batch
            return failed(f"checks failed: {type(exc).__name__}: {exc}"[:300])
        errors = sum(1 for f in found if f.severity == "error") if score is not None else None
    return Outcome(
        task.slug,
        True,
        "",
        files,
        score=score,
        errors=errors,
        seconds=time.perf_counter() - start,
        prints=prints,
    )


def collect(
    futures: dict[cf.Future[Any], str],
    printer: Any,
    paper: str,
    workers_done: Callable[[], Any] | None = None,
    recover: Callable[[cf.Future[Any]], cf.Future[Any] | str] | None = None,
) -> Iterator[Outcome]:
    """Each practice's ``Outcome`` as it completes: from its worker, then (PDF wanted) from the
    printer. ``workers_done`` is called once every worker's result is in (the printer may still be
    busy). ``recover`` (``WorkerPool.recover``): for a practice lost with a dead worker, its new
    future (run again on a new pool) or the reason it fails."""
    from concurrent.futures.process import BrokenProcessPool

    # a print -> (its outcome, the PDF's extension)
    printing: dict[cf.Future[Any], tuple[Outcome, str]] = {}
    waiting: dict[str, int] = {}  # an outcome's slug -> its prints not yet done
    pending = set(futures)
    working = len(futures)
    while pending:
        finished, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
        ready = []
        for future in finished:
            if future in printing:
                outcome, extension = printing.pop(future)
                _printed(outcome, extension, future)
                waiting[outcome.slug] -= 1
                if not waiting[outcome.slug]:
                    if not outcome.ok:
                        outcome.files = {".failed.ipynb": outcome.files[".ipynb"]}
                    outcome.prints = {}
                    ready.append(outcome)
                continue
            try:
                outcome = future.result()
            except Exception as exc:
                # a worker that died (crash, kill): this practice may run again
                again = (
                    recover(future)
                    if recover is not None and isinstance(exc, BrokenProcessPool)
                    else None
                )
                if isinstance(again, cf.Future):  # on a new pool: still working
                    futures[again] = futures.pop(future)
                    pending.add(again)
                    continue
                outcome = Outcome(
                    futures[future],
                    False,
                    again or f"worker failed: {type(exc).__name__}: {exc}"[:300],
                )
            working -= 1
            if outcome.ok and printer is not None and outcome.prints:
                waiting[outcome.slug] = len(outcome.prints)
                for extension, html in outcome.prints.items():
                    job = printer.submit(html, paper=paper)
                    printing[job] = (outcome, extension)
                    pending.add(job)
            else:
                ready.append(outcome)
        if working == 0 and workers_done is not None:  # after the last prints were submitted
            workers_done()
            workers_done = None
        yield from ready


def _printed(outcome: Outcome, extension: str, job: Any) -> None:
    """Add a PDF to ``outcome``, or fail it with the printer's one-line reason."""
    try:
        outcome.files[extension] = job.result()
        outcome.seconds += job.seconds  # the print itself, not its wait for a page
    except Exception as exc:
        # e.g. Chromium would not start: one line, the practice fails, the batch goes on
        text = exc.format() if hasattr(exc, "format") else f"{type(exc).__name__}: {exc}"
        outcome.ok, outcome.reason = False, f"export failed: {' '.join(str(text).split())[:300]}"


def owner(model: JobDescription, source: str) -> dict[str, str]:
    """Whose folder a practice's is (``jdkit.owners``)."""
    from ..owners import owner_of

    return owner_of(model, source)


def check_owner(out: Path, model: JobDescription, source: str) -> None:
    """Raise ``ExportError`` when ``out/<slug>`` holds another practice's documents
    (``jdkit.owners``)."""
    from ..owners import check

    folder = out / model.slug
    if folder.is_dir() and not folder.is_symlink():
        # (a link fails when stored: nothing is read through it)
        check(
            owner(model, source),
            list(folder.iterdir()),
            folder=folder,
            stamp=folder / f"{model.slug}.stamp.json",
        )


def read_stamp(out: Path, slug: str, key: str) -> dict[str, Any] | None:
    """The stored row when the stamp matches ``key`` and every output it lists still exists."""
    if (out / slug).is_symlink():
        # never trust (or skip on) a stamp behind a link; storing then fails the practice
        return None
    try:
        stamp = json.loads((out / slug / f"{slug}.stamp.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    row = stamp.get("row") if isinstance(stamp, dict) else None
    if stamp.get("key") != key or not isinstance(row, dict):
        return None
    if not all((out / p).is_file() for p in row.get("outputs", [])):
        return None
    return {k: v for k, v in row.items() if k in PracticeResult.__dataclass_fields__}


def store(
    out: Path, row: PracticeResult, outcome: Outcome, key: str, owner: dict[str, str] | None = None
) -> None:
    """Write a practice's files atomically, the stamp last, and fill in its row; each file and
    the stamp record ``owner``, whose folder it is (``jdkit.owners``)."""
    from ..export import confine

    # a linked practice folder fails this practice, nothing outside
    folder = confine(out, out / row.slug)
    for stale in folder.glob(f".{row.slug}*.tmp"):  # left by a batch killed mid-write
        stale.unlink(missing_ok=True)
    row.seconds = round(outcome.seconds, 3)
    written = [
        write(folder, row.slug, ext, body, owner=owner) for ext, body in outcome.files.items()
    ]
    row.outputs = [str(p.relative_to(out)) for p in written]
    if not outcome.ok:
        row.status, row.reason = "failed", outcome.reason
        return
    row.status, row.score, row.errors = "ok", outcome.score, outcome.errors
    stamp = {"key": key, "jdkit": __version__, "owner": owner, "row": asdict(row)}
    write(folder, row.slug, ".stamp.json", json.dumps(stamp, indent=1).encode("utf-8"), owner=owner)


# The summary's table: (column, heading) in order; a column empty for every practice is left out.
SUMMARY_COLUMNS = (
    ("practice", "Practice"),
    ("role", "Role"),
    ("status", "Status"),
    ("reason", "Reason"),
    ("score", "Score"),
    ("errors", "Errors"),
    ("pay", "Pay range"),
    ("outputs", "Files"),
    ("seconds", "Seconds"),
    ("source", "Source"),
)
# summary.csv's columns, in order
CSV_COLUMNS = (
    "practice",
    "role",
    "status",
    "reason",
    "score",
    "errors",
    "pay",
    "pay_min",
    "pay_max",
    "period",
    "outputs",
    "seconds",
    "source",
    "slug",
)


def write_summary(
    results: list[PracticeResult], out_dir: str | os.PathLike[str]
) -> tuple[Path, Path]:
    """Write ``summary.csv`` (every field) and ``summary.html`` (a table, the pay charts) into
    ``out_dir``."""
    import pandas as pd
    from markupsafe import Markup

    from .. import csvsafe  # no cell may start a spreadsheet formula
    from ..charts import pay_chart_svg
    from ..compare import compare_pay, comparison_html
    from ..models import PERIODS_PER_YEAR
    from ..templating import render_template

    frame = pd.DataFrame([asdict(r) for r in results], columns=list(CSV_COLUMNS))
    frame["outputs"] = frame["outputs"].map(lambda paths: " ".join(paths))
    csv_path = write(
        out_dir, "summary", ".csv", csvsafe.frame(frame).to_csv(index=False).encode("utf-8")
    )

    def a_year(pay: float | None, period: str) -> float | None:
        return pay * PERIODS_PER_YEAR[period] if pay is not None and period else None

    chart_rows = [
        {
            "label": r.name,
            "currency": "USD",
            "band_p25": r.band_p25,
            "band_median": r.band_median,
            "band_p75": r.band_p75,
            "year_min": a_year(r.pay_min, r.period),
            "year_max": a_year(r.pay_max, r.period),
        }
        for r in results
        if r.status != "failed" or r.practice
    ]
    counts = frame["status"].value_counts().to_dict()
    rows: list[dict[str, Any]] = [
        {"status": r.status, "name": r.name, "cells": _cells(r), "errors": bool(r.errors)}
        for r in results
    ]
    to_fix = sum(1 for r in results if r.not_ready)
    shown = [(key, head) for key, head in SUMMARY_COLUMNS if any(row["cells"][key] for row in rows)]
    html = render_template(
        "summary.html.j2",
        # "6 practices: 5 ok, 1 failed"
        counts=f"{count(len(rows), 'practices')}: "
        + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())),
        rows=rows,
        to_fix=(
            f"{count(to_fix, 'practices')} {'has' if to_fix == 1 else 'have'} errors in "
            f"{'its' if to_fix == 1 else 'their'} checks (the Errors column): fix them before "
            f"publishing; jdkit check on {'its file' if to_fix == 1 else 'their files'} lists "
            "what to fix."
            if to_fix
            else ""
        ),
        columns=shown,
        numbers=("score", "errors", "seconds"),
        # markup jdkit makes, its text escaped where it is made
        chart=Markup(pay_chart_svg(chart_rows, width=9.5, wrap=48)),
        comparison=Markup(comparison_html(compare_pay(results), width=950)),
    )
    html_path = write(out_dir, "summary", ".html", html.encode("utf-8"))
    return csv_path, html_path


def _cells(row: PracticeResult) -> dict[str, Any]:
    """A summary row's cells by column: text (escaped by the template), or for ``outputs`` the
    (link, file name) pairs."""
    from urllib.parse import quote

    cells: dict[str, Any] = {}
    for key, _ in SUMMARY_COLUMNS:
        value = getattr(row, key)
        if key == "outputs":
            cells[key] = [(quote(p), Path(p).name) for p in value]
        elif key == "seconds":
            cells[key] = f"{value:.2f}" if value else ""
        else:
            cells[key] = "" if value is None else str(value)
    return cells
