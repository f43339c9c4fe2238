"""PDF through headless Chromium (Playwright): browsers kept warm per process, for every thread.

``find_chromium`` locates the browser (``JDKIT_CHROMIUM``, else Debian's headless shell or
its ``/usr/lib/chromium/chromium``, else Playwright's own); ``Printer`` prints HTML to PDF
with page numbers in the footer in one browser; ``Printers`` spreads prints over one
browser per core (the shared printer of ``jdkit render``); ``export_pdf`` is the ``pdf``
exporter of ``jdkit.export``. Playwright is imported only when a PDF is actually made.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import functools
import os
import threading
import time
from typing import Any, Literal

from ..errors import ExportError, InternalError
from ..models import JobDescription
from .tagging import finish_from_html

__all__ = [
    "PAPERS",
    "CHROMIUM_ARGS",
    "PRINT_ARGS",
    "find_chromium",
    "PrintJob",
    "Printer",
    "Printers",
    "default_browsers",
    "shared_printer",
    "close_shared_printer",
    "submit_pdf",
    "export_pdf",
]

Paper = Literal["A4", "Letter"]
PAPERS: tuple[str, ...] = ("A4", "Letter")
# Debian's chromium-headless-shell first: the headless-only build (Playwright's own default for
# headless) starts in ~60% of the time and prints with ~35% less CPU than the full browser.
DEBIAN_CHROMIUMS = ("/usr/lib/chromium/chromium-headless-shell", "/usr/lib/chromium/chromium")
INSTALL_HINT = (
    "install Chromium: 'sudo apt-get install -y chromium chromium-headless-shell' (Debian), "
    "or set JDKIT_CHROMIUM to a Chromium binary"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The printer's browser makes no on-screen frames (nothing asks for one): a document is laid out and
# painted for the PDF only. ~10% less CPU per print; the pages come out pixel-identical.
PRINT_ARGS = [*CHROMIUM_ARGS, "--enable-begin-frame-control"]

# Margins and the "Page N of M" footer come from the document's own CSS (@page
# and its @bottom-center box), so a browser's Print of the HTML numbers its pages
# too; Chromium's footer template cost ~30% more. The page's width, as Letter
# paper in CSS pixels; the printed layout comes from @page, not from this.
VIEWPORT = {"width": 816, "height": 100}


def find_chromium() -> str:
    """Return the Chromium binary to use, or raise ``ExportError`` saying how to install one."""
    chosen = os.environ.get("JDKIT_CHROMIUM")
    if chosen:
        if os.path.isfile(chosen) and os.access(chosen, os.X_OK):
            return chosen
        raise ExportError(
            f"{chosen} is not an executable file", field="JDKIT_CHROMIUM", hint=INSTALL_HINT
        )
    for path in DEBIAN_CHROMIUMS:
        if os.access(path, os.X_OK):
            return path
    own = _playwright_chromium()
    if own:
        return own
    raise ExportError("no Chromium found for PDF export", field="pdf", hint=INSTALL_HINT)


def _playwright_chromium() -> str | None:
    """Playwright's own downloaded Chromium, if there is one."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as play:
            path = play.chromium.executable_path
    except Exception:  # no driver or no browser: treat as absent
        return None
    return path if path and os.path.isfile(path) else None


class PrintJob(cf.Future[bytes]):
    """The future of one print: its result is the PDF's bytes; ``seconds`` is the time the
    browser spent on it (layout and PDF), not the time it waited for a free page."""

    seconds: float = 0.0


def _settle(job: PrintJob, html: str, finisher: cf.Executor, done: cf.Future[bytes]) -> None:
    """Give ``job`` the outcome of the coroutine that printed it, finished
    for PDF/UA in ``finisher``."""
    if done.cancelled():
        job.set_exception(
            ExportError("the print was cancelled (the printer was closed)", field="pdf")
        )
    elif (error := done.exception()) is not None:
        job.set_exception(error)
    else:
        try:
            finisher.submit(_finish, job, html, done.result())
        except RuntimeError:  # the printer is closing: finish here
            _finish(job, html, done.result())


def _finish(job: PrintJob, html: str, pdf: bytes) -> None:
    try:
        job.set_result(finish_from_html(pdf, html))
    except Exception as exc:  # a PDF pikepdf cannot read is a failed print, reported as one
        job.set_exception(
            ExportError(f"the PDF could not be finished: {type(exc).__name__}: {exc}", field="pdf")
        )


class Printer:
    """A headless Chromium kept alive to print HTML to PDF, from any thread; a context manager.

    Playwright's async API runs on an event loop in a thread of the printer's own, so
    ``print_html`` works the same from a script, a worker thread or a running Jupyter
    kernel (where Playwright's sync API refuses to run). Up to ``pages`` documents print
    at once, each on its own reused page, so a print costs layout and PDF generation,
    not a browser start.
    """

    def __init__(self, executable: str | None = None, *, pages: int = 2) -> None:
        self.executable = executable
        self.pages = max(1, pages)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready: cf.Future[None] | None = None
        self._play: Any = None
        self._browser: Any = None
        self._idle: asyncio.Queue[Any] | None = None
        self._recovering: asyncio.Lock | None = None
        self._executable = ""
        self._made = 0
        # Tagging the printed PDF (pikepdf) happens here, off the browser's event loop.
        self._finisher = cf.ThreadPoolExecutor(1, thread_name_prefix="jdkit-pdf-finish")

    def __enter__(self) -> Printer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, *, wait: bool = True) -> None:
        """Launch the browser (idempotent); with ``wait=False`` return at once while it starts.

        Raises ``ExportError`` (no Chromium, or it did not start) when waiting; otherwise the
        error is raised by the first ``print_html``.
        """
        ready = self._started()
        if wait:
            ready.result()

    def _started(self) -> cf.Future[None]:
        """The launch's future, starting the thread and the launch if needed
        (again after a failed one)."""
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                self._thread = threading.Thread(
                    target=self._loop.run_forever, name="jdkit-printer", daemon=True
                )
                self._thread.start()
            if self._ready is None or (self._ready.done() and self._ready.exception() is not None):
                self._ready = asyncio.run_coroutine_threadsafe(self._launch(), self._loop)
            return self._ready

    def submit(self, html: str, *, paper: Paper = "Letter") -> PrintJob:
        """Start printing ``html`` (a whole document); the job's result is the PDF's bytes."""
        if paper not in PAPERS:
            raise ExportError(
                f"unknown paper size {paper!r}", field="paper", hint="use A4 or Letter"
            )
        ready = self._started()
        assert self._loop is not None
        job = PrintJob()
        job.set_running_or_notify_cancel()
        printing = asyncio.run_coroutine_threadsafe(
            self._print(html, paper, ready, job), self._loop
        )
        printing.add_done_callback(functools.partial(_settle, job, html, self._finisher))
        return job

    def print_html(self, html: str, *, paper: Paper = "Letter") -> bytes:
        """Print ``html`` (a whole document) to a tagged PDF with an outline, finished for PDF/UA
        (``jdkit.export.tagging``); margins, running head and page numbers come from its CSS."""
        return self.submit(html, paper=paper).result()

    async def _launch(self) -> None:
        from playwright.async_api import async_playwright

        executable = self.executable or find_chromium()
        self._play = await async_playwright().start()
        try:
            await self._open_browser(executable)
        except Exception as exc:
            await self._shutdown()
            raise ExportError(
                f"Chromium at {executable} did not start: {str(exc).splitlines()[0]}",
                field="pdf",
                hint=INSTALL_HINT,
            ) from None

    async def _open_browser(self, executable: str) -> None:
        self._executable = executable
        self._browser = await self._play.chromium.launch(
            executable_path=executable, args=PRINT_ARGS
        )
        if self._idle is None:
            self._idle, self._recovering = asyncio.Queue(), asyncio.Lock()
        while not self._idle.empty():  # pages of a browser that is gone
            self._idle.get_nowait()
        self._made = 1
        # the first renderer starts now too
        await self._idle.put(await self._browser.new_page(viewport=VIEWPORT))

    async def _recover(self, page: Any) -> None:
        """Replace a page that failed; relaunch the browser if it is gone (a
        crash must not fail the batch)."""
        assert self._recovering is not None and self._idle is not None
        async with self._recovering:
            if page is not None and page.context.browser is not self._browser:
                return  # a page of a browser that another print has already replaced
            if self._browser.is_connected():
                if page is None:
                    return  # no page was made: nothing to replace
                try:
                    await page.close()
                except Exception:  # a crashed page may not close cleanly: it is dropped either way
                    pass
                try:
                    await self._idle.put(await self._browser.new_page(viewport=VIEWPORT))
                    return
                except Exception:  # the browser is going down too (not yet seen as disconnected)
                    pass
            try:
                await self._browser.close()
            except Exception:  # already gone
                pass
            await self._open_browser(self._executable)  # drops every page of the old browser

    async def _page(self) -> Any:
        assert self._idle is not None
        if self._idle.empty() and self._made < self.pages:
            self._made += 1
            try:
                return await self._browser.new_page(viewport=VIEWPORT)
            except Exception:
                self._made -= 1
                raise
        return await self._idle.get()

    async def _print(self, html: str, paper: str, ready: cf.Future[None], job: PrintJob) -> bytes:
        await asyncio.wrap_future(ready)
        for attempt in (1, 2):
            # a crashed page or browser is replaced once, then a failure surfaces
            page = None
            try:
                page = await self._page()
                start = time.perf_counter()
                await page.set_content(html, wait_until="load")
                pdf: bytes = await page.pdf(
                    format=paper, print_background=True, tagged=True, outline=True
                )
                job.seconds += time.perf_counter() - start
            except Exception:
                # also after the last attempt: the next print needs a page
                await self._recover(page)
                if attempt == 2:
                    raise
                continue
            assert self._idle is not None  # made by the first _page()
            self._idle.put_nowait(page)
            return pdf
        raise InternalError("unreachable: the print loop ended without a PDF")

    async def _shutdown(self) -> None:
        for closer in (self._browser, self._play):
            if closer is not None:
                try:
                    await (closer.close() if closer is self._browser else closer.stop())
                except Exception:  # already gone: nothing left to release
                    pass
        self._play = self._browser = None

    def close(self) -> None:
        """Close the browser, Playwright and the printer's thread; safe to call twice."""
        with self._lock:
            loop, thread, self._loop, self._thread, self._ready = (
                self._loop,
                self._thread,
                None,
                None,
                None,
            )
        if loop is None or thread is None:
            return
        if thread.is_alive():
            try:
                asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout=30)
            except Exception:  # a hung browser: the process exit takes it down
                pass
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=5)
        if not loop.is_running():
            loop.close()
        # bound to the closed loop: a later start makes new ones
        self._idle = self._recovering = None


def default_browsers() -> int:
    """Browsers for a process that prints alone: one per core this process may use, at most 4.

    A print is CPU work in the page's renderer (layout, paint, PDF, ~100 ms for a 6-page
    description): with one browser per core the cores print side by side without sharing a
    browser process, its IPC and its Playwright connection.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


class Printers:
    """Several ``Printer`` s, one browser each, used as one: each print goes to the browser with
    the fewest prints under way. Same interface as ``Printer`` (``pages``, ``start``, ``submit``,
    ``print_html``, ``close``, a context manager); a crash in one browser is recovered by its own
    printer while the others go on.
    """

    def __init__(
        self, executable: str | None = None, *, browsers: int | None = None, pages: int = 1
    ) -> None:
        count = max(1, browsers or default_browsers())
        self.printers = [Printer(executable, pages=pages) for _ in range(count)]
        self.pages = sum(p.pages for p in self.printers)
        self._busy = [0] * count
        self._lock = threading.Lock()

    def __enter__(self) -> Printers:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, *, wait: bool = True) -> None:
        """Launch every browser at once; with ``wait`` until all have
        started (see ``Printer.start``)."""
        for printer in self.printers:
            printer.start(wait=False)
        if wait:
            for printer in self.printers:
                printer.start()

    def submit(self, html: str, *, paper: Paper = "Letter") -> PrintJob:
        """Start printing ``html`` in the least busy browser; the
        job's result is the PDF's bytes."""
        with self._lock:
            index = min(range(len(self.printers)), key=self._busy.__getitem__)
            self._busy[index] += 1
        try:
            job = self.printers[index].submit(html, paper=paper)
        except BaseException:
            self._done(index)
            raise
        job.add_done_callback(lambda _: self._done(index))
        return job

    def _done(self, index: int) -> None:
        with self._lock:
            self._busy[index] -= 1

    def print_html(self, html: str, *, paper: Paper = "Letter") -> bytes:
        """Print ``html`` to a tagged PDF, as ``Printer.print_html``."""
        return self.submit(html, paper=paper).result()

    def close(self) -> None:
        """Close every browser (side by side); safe to call twice."""
        closers = [
            threading.Thread(target=p.close, name="jdkit-printer-close") for p in self.printers
        ]
        for closer in closers:
            closer.start()
        for closer in closers:
            closer.join()


_printer: tuple[int, Printers] | None = None
_lock = threading.Lock()


def shared_printer() -> Printers:
    """Return this process's printer (one browser per core, ``default_browsers``, shared by every
    thread), closed at exit."""
    global _printer
    with _lock:
        if _printer is None or _printer[0] != os.getpid():
            # a forked child cannot use its parent's thread
            from multiprocessing import util

            printer = Printers()
            _printer = (os.getpid(), printer)
            # atexit does not run in pool workers; multiprocessing's finalizers do.
            util.Finalize(printer, printer.close, exitpriority=10)
        return _printer[1]


def close_shared_printer() -> None:
    """Close this process's shared printer, if it has one."""
    global _printer
    with _lock:
        current, _printer = _printer, None
    if current is not None and current[0] == os.getpid():
        current[1].close()


def submit_pdf(
    model: JobDescription,
    printer: Printer | Printers | None = None,
    *,
    paper: Paper = "Letter",
    templates: str | os.PathLike[str] | None = None,
    **options: Any,
) -> PrintJob:
    """Start printing ``model``'s document (``kind`` in ``options``);
    the job's result is the PDF."""
    from ..document.writers import render_html

    html = render_html(model, templates=templates, **options)
    return (printer or shared_printer()).submit(html, paper=paper)


def export_pdf(
    model: JobDescription,
    *,
    fmt: str = "pdf",
    paper: Paper = "Letter",
    printer: Printer | Printers | None = None,
    templates: str | os.PathLike[str] | None = None,
    **options: Any,
) -> tuple[bytes, dict[str, Any]]:
    """Export ``model`` as PDF: its HTML document (of ``kind`` in ``options``) printed by Chromium,
    tagged for PDF/UA; returns ``(bytes, resources)``."""
    body = submit_pdf(model, printer, paper=paper, templates=templates, **options).result()
    return body, {"format": fmt, "paper": paper}
