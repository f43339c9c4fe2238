"""PDF through headless Chromium (Playwright): one browser per process, kept warm.

``find_chromium`` locates the browser (``JDKIT_CHROMIUM``, else Debian's
``/usr/lib/chromium/chromium``, else Playwright's own); ``Printer`` prints HTML to PDF
with page numbers in the footer; ``export_pdf`` is the ``pdf`` exporter of
``jdkit.export``. Playwright is imported only when a PDF is actually made.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Literal

from ..errors import ExportError
from ..models import JobDescription

__all__ = ["PAPERS", "CHROMIUM_ARGS", "find_chromium", "Printer", "shared_printer", "close_shared_printer", "export_pdf"]

Paper = Literal["A4", "Letter"]
PAPERS: tuple[str, ...] = ("A4", "Letter")
DEBIAN_CHROMIUM = "/usr/lib/chromium/chromium"
INSTALL_HINT = ("install Chromium: 'sudo apt-get install -y chromium' (Debian/Ubuntu), "
                "or set JDKIT_CHROMIUM to a Chromium binary")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Chromium fills .pageNumber/.totalPages in the footer template; the template needs its own font size.
FOOTER = ('<div style="width:100%;font:8pt DejaVu Sans,Arial,sans-serif;color:#5b6675;text-align:center;">'
          'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>')
MARGINS = {"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"}


def find_chromium() -> str:
    """Return the Chromium binary to use, or raise ``ExportError`` saying how to install one."""
    chosen = os.environ.get("JDKIT_CHROMIUM")
    if chosen:
        if os.path.isfile(chosen) and os.access(chosen, os.X_OK):
            return chosen
        raise ExportError(f"{chosen} is not an executable file", field="JDKIT_CHROMIUM",
                          hint=INSTALL_HINT)
    if os.access(DEBIAN_CHROMIUM, os.X_OK):
        return DEBIAN_CHROMIUM
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


class Printer:
    """A headless Chromium kept alive to print HTML to PDF; use as a context manager.

    One page is reused for every document, so a print costs only layout and PDF
    generation (tens of milliseconds), not a browser start.
    """

    def __init__(self, executable: str | None = None) -> None:
        self.executable = executable or find_chromium()
        self._play: Any = None
        self._browser: Any = None
        self._page: Any = None

    def __enter__(self) -> Printer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Launch the browser (idempotent)."""
        if self._page is not None:
            return
        from playwright.sync_api import sync_playwright

        self._play = sync_playwright().start()
        try:
            self._browser = self._play.chromium.launch(executable_path=self.executable, args=CHROMIUM_ARGS)
            self._page = self._browser.new_page()
        except Exception as exc:
            self.close()
            raise ExportError(f"Chromium at {self.executable} did not start: {str(exc).splitlines()[0]}",
                              field="pdf", hint=INSTALL_HINT) from None

    def print_html(self, html: str, *, paper: Paper = "Letter") -> bytes:
        """Print ``html`` (a whole document) to PDF bytes, page numbers in the footer."""
        if paper not in PAPERS:
            raise ExportError(f"unknown paper size {paper!r}", field="--paper", hint="use A4 or Letter")
        self.start()
        try:
            self._page.set_content(html, wait_until="load")
        except Exception:  # a crashed page: one fresh page, then let a second failure surface
            self._page = self._browser.new_page()
            self._page.set_content(html, wait_until="load")
        pdf: bytes = self._page.pdf(format=paper, print_background=True, display_header_footer=True,
                                    header_template="<span></span>", footer_template=FOOTER, margin=MARGINS)
        return pdf

    def close(self) -> None:
        """Close the browser and Playwright; safe to call twice."""
        for closer in (self._browser, self._play):
            if closer is not None:
                try:
                    closer.close() if closer is self._browser else closer.stop()
                except Exception:  # already gone: nothing left to release
                    pass
        self._play = self._browser = self._page = None


_printers: dict[int, Printer] = {}
_lock = threading.Lock()


def shared_printer() -> Printer:
    """Return this process's printer, started on first use and closed at exit.

    Playwright's sync API belongs to the thread that started it, so each thread
    (one per process in a process pool; several in a threaded Dask worker) has its own.
    """
    key = threading.get_ident()
    with _lock:
        printer = _printers.get(key)
        if printer is None:
            from multiprocessing import util

            printer = _printers[key] = Printer()
            # atexit does not run in pool workers; multiprocessing's finalizers do.
            util.Finalize(printer, printer.close, exitpriority=10)
    return printer


def close_shared_printer() -> None:
    """Close this thread's shared printer, if it has one (Playwright allows one sync session per thread)."""
    with _lock:
        printer = _printers.pop(threading.get_ident(), None)
    if printer is not None:
        printer.close()


def export_pdf(model: JobDescription, *, fmt: str = "pdf", paper: Paper = "Letter", printer: Printer | None = None,
               templates: str | os.PathLike[str] | None = None, **options: Any) -> tuple[bytes, dict[str, Any]]:
    """Export ``model`` as PDF: its HTML document printed by Chromium; returns ``(bytes, resources)``."""
    from ..render import render

    html = render(model, "html", templates=templates, **options)
    body = (printer or shared_printer()).print_html(html, paper=paper)
    return body, {"format": fmt, "paper": paper}
