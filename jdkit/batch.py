"""``jdkit batch``: run the job-description notebook for many practices, export HTML and PDF.

Every practice is validated first (a bad one fails at once, no kernel started); the
good ones run on any ``concurrent.futures.Executor`` (by default a process pool whose
workers keep a spare kernel and the nbconvert exporter warm, see ``jdkit.runner``).
PDFs are printed here, as each practice's HTML comes back, by one browser for the whole
batch (``jdkit.export.pdf.Printer``, a page per two workers), started while the pool starts.
Outputs go to ``DIR/<slug>/<slug>.ipynb|.html|.pdf``, written atomically, then a stamp
(``<slug>.stamp.json``) last: a re-run skips practices whose inputs are unchanged.
``DIR/summary.csv`` and ``DIR/summary.html`` list every practice.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import functools
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from html import escape
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import JdkitError
from .export import write
from .models import JobDescription
from .params import Params, build
from .pool import WorkerPool

__all__ = [
    "FORMATS",
    "SUMMARY_COLUMNS",
    "PracticeResult",
    "BatchResult",
    "default_notebook",
    "run_batch",
    "write_summary",
]

FORMATS = ("html", "pdf")  # the default; the executed .ipynb is always kept
Progress = Callable[["PracticeResult", int, int], None]


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
    # the market's middle half and median a year (jdkit.notebook.market_band)
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


def default_notebook() -> Path:
    """The shipped ``job_description.ipynb``."""
    here = Path(__file__).resolve().parent
    for candidate in (
        here / "notebooks" / "job_description.ipynb",
        here.parent / "notebooks" / "job_description.ipynb",
    ):
        if candidate.is_file():
            return candidate
    from importlib import resources

    return Path(str(resources.files("jdkit.notebooks") / "job_description.ipynb"))


def run_batch(
    sources: Iterable[str],
    out_dir: str | os.PathLike[str],
    formats: Iterable[str] = FORMATS,
    *,
    jobs: int | None = None,
    timeout: float = 120.0,
    force: bool = False,
    executor: cf.Executor | None = None,
    progress: Progress | None = None,
    notebook: str | os.PathLike[str] | None = None,
    paper: str = "Letter",
    kinds: Iterable[str] = ("description",),
    names: Mapping[str, str] | None = None,
) -> BatchResult:
    """Run the notebook for every practice in ``sources`` into
    ``out_dir``; never stops at a failure.

    ``kinds``: the notebook's ``description`` and/or the ``posting`` (``<slug>-posting.*``).
    ``names``: how a failed practice's reason names an option (the CLI: ``out`` -> ``--out``).

    ``executor`` may be any ``concurrent.futures.Executor`` (a Dask ``Client.get_executor()``
    for a cluster); without one, a process pool of ``jobs`` workers (default: the core count).
    """
    from .document.build import check_kind
    from .runner import Task, run_practice
    from .sources import read_sources

    kinds = tuple(check_kind(kind) for kind in kinds)
    wanted = _formats(formats)
    if paper not in ("A4", "Letter"):
        raise JdkitError(f"unknown paper size {paper!r}", field="paper", hint="use A4 or Letter")
    if "pdf" in wanted:
        from .export.pdf import find_chromium

        find_chromium()  # no Chromium: one line saying how to install it, before any notebook runs
    nb_path = Path(notebook) if notebook else default_notebook()
    try:
        nb_text = nb_path.read_text(encoding="utf-8")
        nb_json = json.loads(nb_text)
    except (OSError, ValueError) as exc:
        raise JdkitError(
            f"cannot be read as a notebook: {exc}",
            file=str(nb_path),
            field="notebook",
            hint="give an .ipynb file",
        ) from None
    if notebook:
        # a user's notebook: validated once here, not failed per practice (the shipped one is valid)
        import warnings

        import nbformat

        try:
            with warnings.catch_warnings():  # nbformat warns of missing cell ids on stderr
                warnings.simplefilter("ignore")
                nbformat.validate(nbformat.reads(nb_text, as_version=4))  # type: ignore[no-untyped-call]
        except Exception as exc:
            # nbformat's ValidationError, or an AttributeError for a non-mapping
            raise JdkitError(
                f"is not a valid notebook: {str(exc).strip().splitlines()[0][:200]}",
                file=str(nb_path),
                field="notebook",
                hint="give a notebook saved by Jupyter (nbformat 4)",
            ) from None
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=out).close()  # writable: say so now, before any notebook runs
    except OSError as exc:
        raise JdkitError(
            f"cannot be written: {exc.strerror or exc}",
            file=str(out),
            field="out",
            hint="choose an --out folder you can write to, whose parents are folders",
        ) from None
    sources = list(sources)
    params_list, bad = read_sources(sources)
    results: list[PracticeResult] = [_failed_input(exc) for exc in bad]
    order: list[PracticeResult] = []  # the good ones, in input order
    tasks: dict[str, tuple[Task, str, JobDescription]] = {}
    seen: dict[str, str] = {}
    inputs_key = _inputs_key(nb_text, [*wanted, *kinds], paper)
    for params in params_list:
        try:
            model = build(params)
        except JdkitError as exc:
            results.append(_failed_input(exc))
            continue
        row = _row(model, params.file)
        if model.slug in seen:
            row.status, row.reason = (
                "failed",
                (
                    f"gives the same output name '{model.slug}' as {seen[model.slug]}; "
                    "rename one: names that differ only in case, spaces or punctuation "
                    "share file names"
                ),
            )
            results.append(row)
            continue
        seen[model.slug] = params.file
        try:
            # a practice folder of another practice with the same slug,
            # from an earlier run: kept, refused
            _check_owner(out, model, params.file)
        except JdkitError as exc:
            row.status, row.reason = "failed", exc.format(names)
            results.append(row)
            continue
        order.append(row)
        key = _stamp_key(params, model, inputs_key)
        old = None if force else _read_stamp(out, model.slug, key)
        if old is not None:
            row.__dict__.update(
                old,
                status="skipped",
                reason="inputs unchanged (use --force to redo)",
                source=params.file,
            )
            continue
        task = Task(
            model.slug,
            params.file,
            _plain(params),
            nb_json,
            tuple(wanted),
            paper,
            timeout,
            kinds=kinds,
        )
        tasks[model.slug] = (task, key, model)
    total = len(results) + len(order)
    done = 0
    for row in [*results, *(r for r in order if r.status == "skipped")]:
        done += 1
        if progress:
            progress(row, done, total)
    by_slug = {r.slug: r for r in order}
    closing = None
    if tasks:
        own = executor is None
        workers = _workers(jobs, len(tasks))
        if own:
            from .lifeline import sweep

            # kernel files and ledgers left by batches killed outright (their pids are gone)
            sweep()
        # replaces itself when a worker dies (jdkit.pool)
        pool: Any = executor or WorkerPool(workers)
        printer = None
        if "pdf" in wanted:
            from .export.pdf import Printer

            # A page per two workers: a PDF costs about as much CPU as a notebook run, and a second
            # page on a 2-core machine only added CPU (measured with benchmarks/batch_cpu.py).
            printer = Printer(pages=(workers + 1) // 2)
            printer.start(wait=False)  # Chromium boots while the pool does
        try:
            # a worker's last practice needs no spare kernel after it
            last = set(list(tasks)[-workers:])
            futures = {
                pool.submit(run_practice, replace(task, spare=slug not in last)): slug
                for slug, (task, _, _) in tasks.items()
            }
            _import_in_background("pandas")  # for the summary, while the workers run
            # The pool goes down while the last PDFs print (kernels and zygotes exit meanwhile).
            release = functools.partial(pool.shutdown, wait=True) if own else None
            for outcome in _outcomes(
                futures, printer, paper, release, pool.recover if own else None
            ):
                row = by_slug[outcome.slug]
                try:
                    _store(
                        out,
                        row,
                        outcome,
                        tasks[outcome.slug][1],
                        _owner(tasks[outcome.slug][2], row.source),
                    )
                except (JdkitError, OSError) as exc:
                    # an unwritable practice folder fails that practice only
                    row.status = "failed"
                    row.reason = (
                        exc.format(names)
                        if isinstance(exc, JdkitError)
                        else f"cannot be written: {exc}"
                    )
                done += 1
                if progress:
                    progress(row, done, total)
        except BaseException:
            # Ctrl-C, SIGTERM, SIGHUP (lifeline.StopSignal), or a bug: start nothing new
            if own:
                pool.stop()  # every worker kills its kernels and removes their files, now
            raise
        finally:
            if own:
                pool.shutdown(wait=True, cancel_futures=True)
            if printer is not None:  # the browser closes while the summary is written
                closing = threading.Thread(target=printer.close, name="jdkit-printer-close")
                closing.start()
    everything = [*order, *results]
    csv_path, html_path = write_summary(everything, out)
    if closing is not None:
        closing.join()
    return BatchResult(everything, csv_path, html_path)


def _formats(formats: Iterable[str]) -> list[str]:
    """html and pdf come from the executed notebook; any other jdkit format from the same model."""
    from .export import parse_formats

    return parse_formats(",".join(formats))


def _workers(jobs: int | None, count: int) -> int:
    return max(1, min(jobs or os.cpu_count() or 1, count))


def _outcomes(
    futures: dict[cf.Future[Any], str],
    printer: Any,
    paper: str,
    workers_done: Callable[[], Any] | None = None,
    recover: Callable[[cf.Future[Any]], cf.Future[Any] | str] | None = None,
) -> Iterator[Any]:
    """Each practice's ``Outcome`` as it completes: from its worker, then (PDF wanted) from the
    printer. ``workers_done`` is called once every worker's result is in (the printer may still be
    busy). ``recover`` (``WorkerPool.recover``): for a practice lost with a dead worker, its new
    future (run again on a new pool) or the reason it fails."""
    from concurrent.futures.process import BrokenProcessPool

    from .runner import Outcome

    # a print -> (its outcome, the PDF's extension)
    printing: dict[cf.Future[Any], tuple[Any, str]] = {}
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


def _printed(outcome: Any, extension: str, job: Any) -> None:
    """Add a PDF to ``outcome``, or fail it with the printer's one-line reason."""
    try:
        outcome.files[extension] = job.result()
        outcome.seconds += job.seconds  # the print itself, not its wait for a page
    except Exception as exc:
        # e.g. Chromium would not start: one line, the practice fails, the batch goes on
        text = exc.format() if hasattr(exc, "format") else f"{type(exc).__name__}: {exc}"
        outcome.ok, outcome.reason = False, f"export failed: {' '.join(str(text).split())[:300]}"


def _import_in_background(name: str) -> None:
    import importlib
    import threading

    threading.Thread(target=importlib.import_module, args=(name,), daemon=True).start()


def _row(model: JobDescription, source: str) -> PracticeResult:
    from .notebook import market_band
    from .origins import practice_pay
    from .render import pay_range

    pay = model.compensation
    low, high = practice_pay(model)
    return PracticeResult(
        practice=model.practice.name,
        slug=model.slug,
        source=source,
        status="pending",
        pay=pay_range(model),
        pay_min=low,
        pay_max=high,
        period=pay.period,
        role=model.role.title,
        state=model.practice.state,
        **market_band(model),
    )


def _failed_input(exc: JdkitError) -> PracticeResult:
    return PracticeResult(
        practice="", slug="", source=exc.file or "", status="failed", reason=exc.format()
    )


def _plain(params: Params) -> dict[str, Any]:
    """The parameters as plain JSON-able data (papermill turns them into Python literals)."""
    data: dict[str, Any] = json.loads(json.dumps(dict(params), default=str))
    return data


def _inputs_key(
    notebook_text: str, formats: list[str], paper: str, *, root: Path | None = None
) -> str:
    """What every practice's outputs depend on besides its own parameters
    (``root``: the package folder)."""
    digest = hashlib.sha256()
    root = root or Path(__file__).resolve().parent
    from .render import builtin_templates

    for folder in (builtin_templates(), builtin_templates().parent / "nbconvert" / "jdkit"):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    # The whole installed package: its code, role files and reference
    # tables (a changed jdkit changes the documents and findings even at
    # the same version). No hand-written list to go stale.
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    # Laws and wage floors in force depend on the day, so a stamp from another day is stale.
    digest.update(
        json.dumps(
            [notebook_text, formats, paper, __version__, dt.date.today().isoformat()]
        ).encode()
    )
    return digest.hexdigest()


def _stamp_key(params: Params, model: JobDescription, inputs_key: str) -> str:
    from . import roles

    role = roles.get(model.role.id)
    text = json.dumps(
        [_plain(params), role.info, role.defaults, inputs_key], sort_keys=True, default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _read_stamp(out: Path, slug: str, key: str) -> dict[str, Any] | None:
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


def _owner(model: JobDescription, source: str) -> dict[str, str]:
    from .owners import owner_of

    return owner_of(model, source)


def _check_owner(out: Path, model: JobDescription, source: str) -> None:
    """Raise ``ExportError`` when ``out/<slug>`` holds another practice's
    documents (``jdkit.owners``)."""
    from .owners import check

    folder = out / model.slug
    if folder.is_dir() and not folder.is_symlink():
        # (a link fails when stored: nothing is read through it)
        check(
            _owner(model, source),
            list(folder.iterdir()),
            folder=folder,
            stamp=folder / f"{model.slug}.stamp.json",
        )


def _store(
    out: Path, row: PracticeResult, outcome: Any, key: str, owner: dict[str, str] | None = None
) -> None:
    """Write a practice's files atomically, the stamp last, and fill in its row; each file and
    the stamp record ``owner``, whose folder it is (``jdkit.owners``)."""
    from .export import confine

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


def write_summary(
    results: list[PracticeResult], out_dir: str | os.PathLike[str]
) -> tuple[Path, Path]:
    """Write ``summary.csv`` (every field) and ``summary.html`` (a table, the
    pay charts) into ``out_dir``."""
    import pandas as pd

    from .compare import compare_pay, comparison_html
    from .notebook import ANNUAL, pay_chart_svg

    columns = [
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
    ]
    frame = pd.DataFrame([asdict(r) for r in results], columns=columns)
    frame["outputs"] = frame["outputs"].map(lambda paths: " ".join(paths))
    from . import csvsafe  # no cell may start a spreadsheet formula

    csv_path = write(
        out_dir, "summary", ".csv", csvsafe.frame(frame).to_csv(index=False).encode("utf-8")
    )

    def a_year(pay: float | None, period: str) -> float | None:
        return pay * ANNUAL[period] if pay is not None and period else None

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
    # (a backslash at a line's end joins it to the next: the page keeps its lines)
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">\
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>jdkit batch summary</title>
<style>body{{font:10.5pt/1.45 "Liberation Sans",Arial,sans-serif;margin:0;color:#1d2530}}
main{{max-width:64rem;margin:2rem auto;padding:0 1.5rem}} h1,h2{{color:#1f5f8b}}
table.summary{{border-collapse:collapse;margin:.5rem 0 1.5rem}} \
table.summary th,table.summary td{{border:1px solid #c9d1db;
padding:.25rem .5rem;text-align:left;vertical-align:top}} \
table.summary thead th{{background:#eef2f6}}
table.summary td.number{{text-align:right}} tr.failed td{{color:#8e2c22}} \
tr.outlier td{{color:#8e2c22}}
caption{{text-align:left;font-weight:bold;padding-bottom:.2rem}} svg{{max-width:100%;height:auto}}
a{{color:#1f5f8b}}</style></head><body>
<main>
<h1>jdkit batch summary</h1>
<p>{escape(", ".join(f"{n} {s}" for s, n in sorted(counts.items())))} of \
{len(results)} practice(s).</p>
<h2>Pay ranges by practice</h2>
<figure>\
{pay_chart_svg(chart_rows, width=9.5, wrap=48) or "<p>No practice has set its pay.</p>"}</figure>
<h2>Pay by role across practices, by state</h2>
{comparison_html(compare_pay(results), width=950)}
<h2>Practices</h2>
{_summary_table(results)}
</main>
</body></html>
"""
    html_path = write(out_dir, "summary", ".html", html.encode("utf-8"))
    return csv_path, html_path


def _summary_table(results: list[PracticeResult]) -> str:
    """The practices as an escaped HTML table with human headings; empty columns are left out."""
    from urllib.parse import quote

    def cell(row: PracticeResult, key: str) -> str:
        value = getattr(row, key)
        if key == "outputs":
            return " ".join(
                f'<a href="{escape(quote(p))}">{escape(Path(p).name)}</a>' for p in value
            )
        if key == "seconds":
            return f"{value:.2f}" if value else ""
        return "" if value is None else escape(str(value))

    shown = [(key, head) for key, head in SUMMARY_COLUMNS if any(cell(r, key) for r in results)]
    head = "".join(f'<th scope="col">{escape(h)}</th>' for _, h in shown)
    body = "".join(
        f'<tr class="{escape(r.status)}">'
        + "".join(
            (
                f'<th scope="row">{cell(r, key) or escape(r.name)}</th>'
                if key == "practice"
                else f'<td class="number">{cell(r, key)}</td>'
                if key in ("score", "errors", "seconds")
                else f"<td>{cell(r, key)}</td>"
            )
            for key, _ in shown
        )
        + "</tr>\n"
        for r in results
    )
    return (
        '<table class="summary"><caption>Every practice of the '
        f"batch</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>\n{body}</tbody></table>"
    )
