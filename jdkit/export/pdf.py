"""PDF through headless Chromium over a pipe: browsers kept warm per process, for every thread.

``find_chromium`` locates the browser (``JDKIT_CHROMIUM``, else Debian's headless shell or
its ``/usr/lib/chromium/chromium``, else Playwright's own); ``Printer`` prints HTML to PDF
with page numbers in the footer in one browser; ``Printers`` spreads prints over one
browser per core (the shared printer of ``jdkit render``); ``export_pdf`` is the ``pdf``
exporter of ``jdkit.export``. The printer speaks the DevTools protocol to Chromium itself
(``--remote-debugging-pipe``), so no Playwright driver relays the documents and PDFs.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures as cf
import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import weakref
from typing import IO, Any, Literal

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

# Playwright's own launch switches that bear on a printing browser (no throttling of pages nobody
# sees, sRGB colours, no field trials), and the pipe the printer talks over (fds 3 and 4).
_PIPE_ARGS = [
    "--remote-debugging-pipe",
    "--no-startup-window",
    "--disable-field-trial-config",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--disable-ipc-flooding-protection",
    "--disable-hang-monitor",
    "--disable-breakpad",
    "--disable-extensions",
    "--force-color-profile=srgb",
    "--hide-scrollbars",
    "--mute-audio",
    "--no-default-browser-check",
    "--password-store=basic",
    "--use-mock-keychain",
]
# Page.printToPDF's paper, in inches, as Playwright's page.pdf(format=...) sends it.
_PAPER_INCHES: dict[str, tuple[float, float]] = {"A4": (8.27, 11.7), "Letter": (8.5, 11.0)}
# Loading a document lays it out for the screen, a layout nothing prints (~20 ms of a job
# description): the pages emulate print media and, at the viewport's height, show nothing, so
# printing (at the paper's height) lays the document out once. Added to the printed copy only,
# and not to a document with scripts (a notebook's charts may measure the page as it loads).
_UNLAID = (
    f"<style>@media (max-height: {VIEWPORT['height']}px) {{ html {{ display: none }} }}</style>"
)
_HEAD_END = re.compile(r"</head\s*>", re.I)
_SCRIPT = re.compile(r"<script(?![^>]*application/ld\+json)", re.I)  # JSON-LD is not run
_LOAD_TIMEOUT = 30.0  # seconds for a document's load event, as Playwright's set_content waited


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


def _for_print(html: str) -> str:
    """``html`` as the printer loads it: ``_UNLAID`` before ``</head>`` (unchanged without one,
    or with a script)."""
    end = _HEAD_END.search(html)
    if end is None or _SCRIPT.search(html):
        return html
    return html[: end.start()] + _UNLAID + html[end.start() :]


class _Gone(Exception):
    """The browser or the page went away (crashed, killed or closed) before answering."""


class _Browser:
    """One Chromium process spoken to over ``--remote-debugging-pipe``: DevTools protocol
    messages, JSON each ended by a NUL byte, Chromium reading fd 3 and writing fd 4. Its
    methods run on the event loop that launched it."""

    def __init__(
        self,
        process: subprocess.Popen[bytes],
        profile: str,
        log: IO[bytes],
        reader: asyncio.StreamReader,
        reading: asyncio.BaseTransport,
        writer: asyncio.WriteTransport,
    ) -> None:
        self.process, self._profile, self._log = process, profile, log
        # at exit, a browser never closed (its printer's thread is a daemon) is ended and its
        # profile removed; atexit may run this before a printer's own close, which then finds it so
        self._abandon = weakref.finalize(self, _end, process, profile)
        self._reader, self._reading, self._writer = reader, reading, writer
        self._next = 0
        self._waiting: dict[int, tuple[str | None, asyncio.Future[dict[str, Any]]]] = {}
        self.pages: dict[str, _Page] = {}  # by session id
        self.connected = True
        self._receiving = asyncio.get_running_loop().create_task(self._receive())

    @classmethod
    async def launch(cls, executable: str) -> _Browser:
        """Start ``executable``; ``_Gone`` with its last line of output if it does not answer."""
        loop = asyncio.get_running_loop()
        profile = tempfile.mkdtemp(prefix="jdkit-chromium-")
        log = tempfile.TemporaryFile()
        to_browser, from_us = os.pipe()
        from_browser, to_us = os.pipe()
        try:
            # The shell moves the pipe to fds 3 and 4 and becomes Chromium (exec): no preexec_fn,
            # which is unsafe with threads. A session of its own: a Ctrl-C goes to Python alone,
            # and Chromium exits when the pipe closes, however this process ends.
            process = subprocess.Popen(
                ["/bin/sh", "-c", 'exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null', executable]
                + [*PRINT_ARGS, *_PIPE_ARGS, f"--user-data-dir={profile}"],
                stdin=to_browser,
                stdout=to_us,
                stderr=log,
                start_new_session=True,
            )
        except OSError as exc:
            os.close(from_us)
            os.close(from_browser)
            shutil.rmtree(profile, ignore_errors=True)
            log.close()
            raise _Gone(str(exc)) from None
        finally:
            os.close(to_browser)
            os.close(to_us)
        reader = asyncio.StreamReader(limit=1 << 30, loop=loop)
        inward, outward = open(from_browser, "rb", 0), open(from_us, "wb", 0)
        try:
            reading, _ = await loop.connect_read_pipe(
                lambda: asyncio.StreamReaderProtocol(reader, loop=loop), inward
            )
            writer, _ = await loop.connect_write_pipe(asyncio.Protocol, outward)
        except BaseException:  # not a pipe loop (Windows): nothing can talk to this browser
            process.kill()
            process.wait()
            inward.close()
            outward.close()
            shutil.rmtree(profile, ignore_errors=True)
            log.close()
            raise
        browser = cls(process, profile, log, reader, reading, writer)
        try:
            await asyncio.wait_for(browser.send("Browser.getVersion"), _LOAD_TIMEOUT)
        except BaseException as exc:
            output = browser.output()
            await browser.close()
            if isinstance(exc, asyncio.CancelledError):
                raise
            raise _Gone(output or f"it exited with code {process.poll()}") from None
        return browser

    def output(self) -> str:
        """The last line Chromium wrote to stderr (why it stopped, when it did), if any."""
        try:
            self._log.seek(0)
            lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
        except (OSError, ValueError):  # closed
            return ""
        return lines[-1] if lines else ""

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> asyncio.Future[dict[str, Any]]:
        """Send one command; the future's result is its ``result`` (``_Gone`` when the browser,
        or the session's page, goes away first; ``ExportError`` for a protocol error)."""
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        page = self.pages.get(session) if session else None
        if not self.connected or (session and (page is None or page.gone)):
            future.set_exception(_Gone("the browser or its page is gone"))
            return future
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._waiting[self._next] = (session, future)
        self._writer.write(json.dumps(message).encode() + b"\0")
        return future

    async def _receive(self) -> None:
        try:
            while True:
                self._dispatch(json.loads((await self._reader.readuntil(b"\0"))[:-1]))
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError, ValueError):
            pass  # the pipe closed (or Chromium wrote nonsense): the browser is gone either way
        finally:
            self.connected = False
            self._fail(None, _Gone("Chromium closed the connection (the browser is gone)"))

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "id" in message:
            _, future = self._waiting.pop(message["id"], (None, None))
            if future is None or future.done():
                return
            if "error" in message:
                future.set_exception(
                    ExportError(f"Chromium: {message['error'].get('message', message['error'])}")
                )
            else:
                future.set_result(message.get("result", {}))
            return
        method, params = message.get("method", ""), message.get("params", {})
        if method == "Target.detachedFromTarget":  # on the browser's own session
            self._lose(params.get("sessionId", ""))
            return
        page = self.pages.get(message.get("sessionId", ""))
        if page is None:
            return
        if method == "Page.loadEventFired":
            page.loaded.set()
        elif method == "Page.frameStoppedLoading":
            page.stopped.set()
        elif method == "Page.frameNavigated" and "parentId" not in params.get("frame", {}):
            page.navigations += 1
        elif method in ("Inspector.targetCrashed", "Inspector.detached"):
            self._lose(page.session)

    def _lose(self, session: str) -> None:
        """The page of ``session`` is gone (its renderer crashed, or it was closed)."""
        page = self.pages.get(session)
        if page is not None:
            page.gone = True
            self._fail(session, _Gone("the page's renderer is gone"))

    def _fail(self, session: str | None, error: Exception) -> None:
        """Fail what waits on ``session``'s answers (on every answer when ``None``)."""
        for number, (owner, future) in list(self._waiting.items()):
            if session is None or owner == session:
                del self._waiting[number]
                if not future.done():
                    future.set_exception(error)

    async def new_page(self) -> _Page:
        """A new tab, laid out at ``VIEWPORT`` for print media, its first document loaded."""
        target = (await self.send("Target.createTarget", {"url": "about:blank"}))["targetId"]
        attached = await self.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        page = _Page(self, target, attached["sessionId"])
        self.pages[page.session] = page
        metrics = {**VIEWPORT, "deviceScaleFactor": 1, "mobile": False}
        await asyncio.gather(
            page.send("Page.enable"),
            page.send("Inspector.enable"),  # for Inspector.targetCrashed
            page.send("Emulation.setDeviceMetricsOverride", metrics),
            page.send("Emulation.setEmulatedMedia", {"media": "print"}),
        )
        page.frame = (await page.send("Page.getFrameTree"))["frameTree"]["frame"]["id"]
        try:  # about:blank has loaded (a navigation after this is caught by print_pdf anyway)
            await asyncio.wait_for(page.stopped.wait(), 5)
        except TimeoutError:
            pass
        return page

    async def close(self) -> None:
        """Close the browser (killed if it does not exit within a few seconds) and remove its
        profile; safe to call twice."""
        if self.connected:
            try:
                await asyncio.wait_for(self.send("Browser.close"), 5)
            except (Exception, asyncio.CancelledError):  # gone already, or hung: killed below
                pass
        for _ in range(100):
            if self.process.poll() is not None:
                break
            await asyncio.sleep(0.05)
        else:
            self.process.kill()
            self.process.wait()
        self._writer.close()
        self._reading.close()
        self._receiving.cancel()
        self._abandon.detach()
        shutil.rmtree(self._profile, ignore_errors=True)  # once Chromium is gone: it writes there
        self._log.close()


def _end(process: subprocess.Popen[bytes], profile: str) -> None:
    """End ``process`` (if it still runs) and remove its profile."""
    if process.poll() is None:
        process.kill()
        process.wait()
    shutil.rmtree(profile, ignore_errors=True)


class _Page:
    """One tab of a ``_Browser``, attached through a flat session."""

    def __init__(self, browser: _Browser, target: str, session: str) -> None:
        self.browser, self.target, self.session = browser, target, session
        self.frame = ""
        self.loaded, self.stopped = asyncio.Event(), asyncio.Event()
        self.navigations = 0
        self.gone = False

    def send(
        self, method: str, params: dict[str, Any] | None = None
    ) -> asyncio.Future[dict[str, Any]]:
        return self.browser.send(method, params, self.session)

    async def print_pdf(self, html: str, paper: str) -> bytes:
        """Load ``html`` (a whole document) and print it: tagged, with an outline."""
        # again when a navigation of the tab (the first about:blank, late) replaced the document
        for _ in range(3):
            navigations = self.navigations
            await self.load(html)
            pdf = await self.print(paper)
            if self.navigations == navigations:
                return pdf
        raise _Gone("the page kept navigating away from the document")

    async def load(self, html: str) -> None:
        """Make ``html`` the tab's document and wait for its load event."""
        self.loaded.clear()
        await self.send("Page.setDocumentContent", {"frameId": self.frame, "html": html})
        await asyncio.wait_for(self.loaded.wait(), _LOAD_TIMEOUT)

    async def print(self, paper: str) -> bytes:
        """The tab's document as a tagged PDF with an outline, on ``paper``."""
        width, height = _PAPER_INCHES[paper]
        printed = await self.send(
            "Page.printToPDF",
            {
                "paperWidth": width,
                "paperHeight": height,
                "marginTop": 0,
                "marginBottom": 0,
                "marginLeft": 0,
                "marginRight": 0,
                "printBackground": True,
                "generateTaggedPDF": True,
                "generateDocumentOutline": True,
            },
        )
        return base64.b64decode(printed["data"])

    async def close(self) -> None:
        self.gone = True
        self.browser.pages.pop(self.session, None)
        await self.browser.send("Target.closeTarget", {"targetId": self.target})


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

    The browser is driven from an event loop in a thread of the printer's own, so
    ``print_html`` works the same from a script, a worker thread or a running Jupyter
    kernel. Up to ``pages`` documents print at once, each on its own reused page, so a
    print costs layout and PDF generation, not a browser start.
    """

    def __init__(self, executable: str | None = None, *, pages: int = 2) -> None:
        self.executable = executable
        self.pages = max(1, pages)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready: cf.Future[None] | None = None
        self._browser: _Browser | None = None
        self._idle: asyncio.Queue[_Page] | None = None
        self._recovering: asyncio.Lock | None = None
        self._executable = ""
        self._launching: asyncio.Task[None] | None = None
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
        self._launching = asyncio.current_task()
        # in a thread: finding Playwright's own Chromium uses its sync API, refused in a loop
        executable = self.executable
        if not executable:
            executable = await asyncio.to_thread(find_chromium)
        try:
            await self._open_browser(executable)
        except Exception as exc:
            await self._shutdown()
            first = (str(exc) or repr(exc)).splitlines()[0]
            raise ExportError(
                f"Chromium at {executable} did not start: {first}",
                field="pdf",
                hint=INSTALL_HINT,
            ) from None

    async def _open_browser(self, executable: str) -> None:
        self._executable = executable
        self._browser = browser = await _Browser.launch(executable)
        if self._idle is None:
            self._idle, self._recovering = asyncio.Queue(), asyncio.Lock()
        while not self._idle.empty():  # pages of a browser that is gone
            self._idle.get_nowait()
        self._made = 1
        # the first renderer starts now too
        await self._idle.put(await browser.new_page())

    async def _recover(self, page: _Page | None) -> None:
        """Replace a page that failed; relaunch the browser if it is gone (a
        crash must not fail the batch)."""
        assert self._recovering is not None and self._idle is not None
        async with self._recovering:
            if self._browser is None or (page is not None and page.browser is not self._browser):
                return  # closed, or a page of a browser another print has already replaced
            if self._browser.connected:
                if page is None:
                    return  # no page was made: nothing to replace
                try:
                    await page.close()
                except Exception:  # a crashed page may not close cleanly: it is dropped either way
                    pass
                try:
                    await self._idle.put(await self._browser.new_page())
                    return
                except Exception:  # the browser is going down too (not yet seen as disconnected)
                    pass
            try:
                await self._browser.close()
            except Exception:  # already gone
                pass
            await self._open_browser(self._executable)  # drops every page of the old browser

    async def _page(self) -> _Page:
        assert self._idle is not None and self._browser is not None
        if self._idle.empty() and self._made < self.pages:
            self._made += 1
            try:
                return await self._browser.new_page()
            except Exception:
                self._made -= 1
                raise
        while self._browser.connected:  # a browser that could not be started again has no pages
            try:
                return await asyncio.wait_for(self._idle.get(), 1)
            except TimeoutError:
                continue
        raise _Gone("the browser is gone")

    async def _print(self, html: str, paper: str, ready: cf.Future[None], job: PrintJob) -> bytes:
        await asyncio.wrap_future(ready)
        html = _for_print(html)
        for attempt in (1, 2):
            # a crashed page or browser is replaced once, then a failure surfaces
            page = None
            try:
                page = await self._page()
                start = time.perf_counter()
                pdf = await page.print_pdf(html, paper)
                job.seconds += time.perf_counter() - start
            except Exception as exc:
                # also after the last attempt: the next print needs a page
                try:
                    await self._recover(page)
                except Exception as again:
                    raise ExportError(f"Chromium could not be started again: {again}") from None
                if attempt == 1:
                    continue
                if isinstance(exc, ExportError):
                    raise
                what = "no load event" if isinstance(exc, TimeoutError) else str(exc)
                raise ExportError(f"Chromium could not print the document: {what}") from None
            assert self._idle is not None  # made by the first _page()
            self._idle.put_nowait(page)
            return pdf
        raise InternalError("unreachable: the print loop ended without a PDF")

    async def _shutdown(self) -> None:
        launching = self._launching
        if launching not in (None, asyncio.current_task()) and not launching.done():
            await asyncio.wait([launching])  # closed while starting: close what the start opens
        browser, self._browser = self._browser, None
        if browser is not None:
            try:
                await browser.close()
            except Exception:  # already gone: nothing left to release
                pass

    def close(self) -> None:
        """Close the browser and the printer's thread; safe to call twice."""
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

    @property
    def busy(self) -> tuple[int, ...]:
        """Prints under way in each browser (submitted and not yet ended), in ``printers`` order."""
        with self._lock:
            return tuple(self._busy)

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
