"""``jdkit batch``: run the job-description notebook for many practices, export HTML and PDF.

Three stages, a module each:

- ``plan`` (pure): sources -> models -> tasks, with each task's stamp key. A bad practice
  fails here, before any kernel starts.
- ``execute``: each task's notebook runs on a worker of any ``concurrent.futures.Executor``
  (by default ``pool.WorkerPool``, forks of a warm forkserver, see ``preload``), by a runner:
  the fast path (``kernels``, ``fork``) or plain papermill (the reference).
- ``publish``: the documents from each executed notebook and the model its kernel returned
  (in the worker), the PDFs from the batch's one browser, the files written atomically with a
  stamp last (a re-run skips practices whose inputs are unchanged), and ``summary.csv`` and
  ``summary.html``.

``records`` holds what the stages hand on; ``settings`` how kernels are set up.
Outputs go to ``DIR/<slug>/<slug>.ipynb|.html|.pdf``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import JdkitError

if TYPE_CHECKING:
    import concurrent.futures as cf
    import threading

    from .execute import RUNNERS as RUNNERS
    from .plan import default_notebook as default_notebook
    from .publish import SUMMARY_COLUMNS as SUMMARY_COLUMNS, write_summary as write_summary
    from .records import BatchResult as BatchResult, PracticeResult as PracticeResult

# Imported when first used: `jdkit batch` starts the pool's forkserver (jdkit.batch.pool) before
# it imports the models, so the server's imports overlap the command's own; and every `jdkit`
# command imports this package as it exits (settings.freeze), so it imports nothing more here.
_LAZY = {
    "RUNNERS": "execute",
    "PracticeResult": "records",
    "BatchResult": "records",
    "default_notebook": "plan",
    "SUMMARY_COLUMNS": "publish",
    "write_summary": "publish",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FORMATS",
    "RUNNERS",
    "SUMMARY_COLUMNS",
    "PracticeResult",
    "BatchResult",
    "default_notebook",
    "run_batch",
    "write_summary",
]

FORMATS = ("html", "pdf")  # the default; the executed .ipynb is always kept
Progress = Callable[["PracticeResult", int, int], None]


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
    say: Callable[[str], str] | None = None,
    runner: str = "kernels",
) -> BatchResult:
    """Run the notebook for every practice in ``sources`` into ``out_dir``; never stops at a
    failure.

    ``kinds``: the notebook's ``description`` and/or the ``posting`` (``<slug>-posting.*``).
    ``names``: how a failed practice's reason names an option (the CLI: ``out`` -> ``--out``);
    ``say``: how every reason's plain words for an option are said (the CLI: ``another output
    folder`` -> ``another --out``), before the summary is written.
    ``runner``: ``kernels`` (the fast path) or ``papermill`` (the reference, a kernel spawned
    per practice by ``papermill.execute_notebook``).

    ``executor`` may be any ``concurrent.futures.Executor`` (a Dask ``Client.get_executor()``
    for a cluster); without one, a process pool of ``jobs`` workers (default: the core count).
    """
    import tempfile

    from ..document.build import check_kind
    from ..export import parse_formats
    from .execute import RUNNERS
    from .plan import plan, read_notebook
    from .publish import check_owner, read_stamp, write_summary
    from .records import BatchResult

    kinds = tuple(check_kind(kind) for kind in kinds)
    wanted = parse_formats(",".join(formats))
    if paper not in ("A4", "Letter"):
        raise JdkitError(f"unknown paper size {paper!r}", field="paper", hint="use A4 or Letter")
    if runner not in RUNNERS:
        raise JdkitError(
            f"unknown runner {runner!r}", field="runner", hint=f"use one of {', '.join(RUNNERS)}"
        )
    if "pdf" in wanted:
        from ..export.pdf import find_chromium

        find_chromium()  # no Chromium: one line saying how to install it, before any notebook runs
    nb = read_notebook(notebook)  # a bad notebook: one line, before the output folder is made
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=out).close()  # writable: say so now, before any notebook runs
    except OSError as exc:
        from ..writer import cannot_write

        raise cannot_write(out, exc) from None
    planned = plan(
        list(sources),
        wanted,
        kinds=kinds,
        paper=paper,
        timeout=timeout,
        notebook=nb,
        runner=runner,
    )
    results = planned.failed
    order: list[PracticeResult] = []  # the good ones, in input order
    todo = {}
    for item in planned.practices:
        row = item.row
        try:
            # a practice folder of another practice with the same slug, from an earlier run:
            # kept, refused
            check_owner(out, item.model, item.task.source)
        except JdkitError as exc:
            row.status, row.reason = "failed", exc.format(names)
            results.append(row)
            continue
        order.append(row)
        old = None if force else read_stamp(out, item.task.slug, item.key)
        if old is not None:
            row.__dict__.update(
                old,
                status="skipped",
                reason="inputs unchanged (use --force to redo)",
                source=item.task.source,
            )
            continue
        todo[item.task.slug] = item
    total = len(results) + len(order)
    done = 0
    for row in [*results, *(r for r in order if r.status == "skipped")]:
        done += 1
        if progress:
            progress(row, done, total)
    closing = None
    if todo:
        closing = _execute(
            todo, out, wanted, paper, jobs, executor, runner, names, progress, done, total
        )
    everything = [*order, *results]
    if say is not None:
        for row in everything:
            row.reason = say(row.reason)
    csv_path, html_path = write_summary(everything, out)
    if closing is not None:
        closing.join()  # the browser closed while the summary was written
    return BatchResult(everything, csv_path, html_path)


def _execute(
    todo: dict[str, Any],
    out: Path,
    wanted: list[str],
    paper: str,
    jobs: int | None,
    executor: cf.Executor | None,
    runner: str,
    names: Mapping[str, str] | None,
    progress: Progress | None,
    done: int,
    total: int,
) -> threading.Thread | None:
    """Run ``todo``'s tasks (``plan.Planned`` by slug) on the workers, print their PDFs and store
    every practice as it completes; the thread closing the printer, if one was started."""
    import threading
    from dataclasses import replace

    from .publish import collect, owner, store

    own = executor is None
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    if own:
        from ..lifeline import sweep
        from .pool import WorkerPool

        # kernel files and ledgers left by batches killed outright (their pids are gone)
        sweep()
    # replaces itself when a worker dies (jdkit.batch.pool)
    pool: Any = executor or WorkerPool(workers, runner)
    printer = None
    if "pdf" in wanted:
        from ..export.pdf import Printer

        # A page per two workers: a PDF costs about as much CPU as a notebook run, and a second
        # page on a 2-core machine only added CPU (measured with benchmarks/batch_cpu.py).
        printer = Printer(pages=(workers + 1) // 2)
        printer.start(wait=False)  # Chromium boots while the pool does
    from .execute import run_practice

    try:
        # a worker's last practice needs no spare kernel after it
        last = set(list(todo)[-workers:])
        futures = {
            pool.submit(run_practice, replace(item.task, spare=slug not in last)): slug
            for slug, item in todo.items()
        }
        _import_in_background("pandas")  # for the summary, while the workers run
        # The pool goes down while the last PDFs print (kernels and zygotes exit meanwhile).
        release = functools.partial(pool.shutdown, wait=True) if own else None
        for outcome in collect(futures, printer, paper, release, pool.recover if own else None):
            item = todo[outcome.slug]
            row = item.row
            try:
                store(out, row, outcome, item.key, owner(item.model, row.source))
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
        closing = None
        if printer is not None:  # the browser closes while the summary is written
            closing = threading.Thread(target=printer.close, name="jdkit-printer-close")
            closing.start()
    return closing


def _import_in_background(name: str) -> None:
    import importlib
    import threading

    threading.Thread(target=importlib.import_module, args=(name,), daemon=True).start()
