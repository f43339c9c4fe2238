"""The worker side of ``jdkit batch``: run one practice's notebook and export it, in memory.

Each worker (a pool process, or a thread of a Dask worker) keeps a ``Worker``: the
nbconvert exporter and a ``KernelPool`` holding one spare kernel that is already
booting. A practice takes the spare (a fresh process: nothing of an earlier practice
is in it) and the pool at once starts the next, so kernel start-up overlaps the
current practice instead of adding to it. The worker returns the document's HTML;
``jdkit.batch`` prints the PDFs with the batch's one browser and writes every file.
``preload`` warms all of this once in the process pool's forkserver (``jdkit.preload``).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from .errors import KernelError

__all__ = [
    "KERNEL_ARGS",
    "PRELOAD",
    "Task",
    "Outcome",
    "KernelPool",
    "Worker",
    "exporter",
    "preload",
    "worker",
    "warm_up",
    "pool_worker",
    "run_practice",
    "start_server",
    "stop_server",
]

# jsonschema (under nbformat) imports rfc3987_syntax, when installed, for its "iri"
# format checks; that module builds a parser grammar at import (~3 s here). Notebook
# schemas use no such format, so any process running practices goes without it:
# thread and Dask workers too, which import this module but not jdkit.preload (whose
# kernelfork.BLOCKED also blocks it, with what else the forkserver skips).
# (typeshed types sys.modules without the None that blocks an import)
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

# No IPython history database (never read in a batch); while the spare boots, import and warm what
# the cells use (jdkit.notebook.warm: library caches only, no practice data), so cells run in ms.
KERNEL_ARGS = [
    "--HistoryManager.enabled=False",
    "--IPKernelApp.exec_lines=import jdkit.notebook as _jdkit_warm; _jdkit_warm.warm(); del "
    "_jdkit_warm",
]
ENGINE = "jdkit"
# What the process pool's forkserver imports before forking any worker:
# jdkit.preload imports and warms everything (papermill, nbconvert,
# ipykernel, jdkit), after blocking what no batch process needs.
PRELOAD = ["jdkit.preload"]
START_TIMEOUT = 60.0  # seconds for a kernel to answer, as papermill's default


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


@dataclass
class Outcome:
    """What a worker returns: status, the reason of a failure, the files' bytes by extension
    (``-posting.html`` for the posting), and the HTML of each PDF wanted, by the PDF's extension
    (printed by the batch, see ``jdkit.batch``)."""

    slug: str
    ok: bool
    reason: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    prints: dict[str, str] = field(default_factory=dict)
    score: int | None = None
    errors: int | None = None
    seconds: float = 0.0


class KernelPool:
    """Hands out fresh kernels with one spare always starting in the background."""

    def __init__(self, kernel_name: str = "python3", *, fork: bool = True) -> None:
        self.kernel_name = kernel_name
        self._spare: Any = None
        self._dying: list[Any] = []
        # every manager started and not yet tidied up: what kill_now stops
        self._live: list[Any] = []
        self._zygote: Any = None
        if fork and kernel_name == "python3":
            from . import kernelfork

            if kernelfork.available():
                # A fresh pool worker has one thread: fork the zygote from
                # it (already warm); else spawn one.
                self._zygote = kernelfork.Zygote(fork_here=threading.active_count() == 1)

    def _start(self) -> Any:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.paths import jupyter_runtime_dir
        from jupyter_core.utils import run_sync

        from .lifeline import runtime_name

        # IPC sockets under a name of their own: no TCP ports to race for, no clash between workers.
        # Their names and the connection file's carry this worker's pid: files a killed worker could
        # not remove are removed by the next batch (lifeline.sweep), never files of a live one.
        os.makedirs(jupyter_runtime_dir(), exist_ok=True)
        stem = runtime_name(os.getpid(), uuid.uuid4().hex[:12])
        km = AsyncKernelManager(
            kernel_name=self.kernel_name,
            transport="ipc",
            ip=os.path.join(jupyter_runtime_dir(), stem),
            connection_file=os.path.join(jupyter_runtime_dir(), f"kernel-{stem}.json"),
        )
        self._live.append(km)
        if self._zygote is not None:
            from .kernelfork import ForkProvisioner

            km.kernel_id = str(uuid.uuid4())
            km.provisioner = ForkProvisioner(
                kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km
            )
            km.provisioner.zygote = self._zygote
        # returns at once; the kernel boots alone
        run_sync(km.start_kernel)(extra_arguments=KERNEL_ARGS)
        kc = km.client()
        # connect now: zmq subscriptions take a moment to join, the practice won't wait
        kc.start_channels()
        return km, kc

    def prime(self) -> None:
        """Start the spare kernel if there is none."""
        if self._spare is None:
            self._spare = self._start()

    def take(self, timeout: float = 60, *, spare: bool = True) -> tuple[Any, Any]:
        """Return a ready ``(kernel manager, connected client)`` for one practice; with
        ``spare``, start the next kernel now (a kernel costs ~0.1 s of CPU: none is
        wasted on the last practice)."""
        from jupyter_core.utils import run_sync

        self.prime()
        (km, kc), self._spare = self._spare, None
        self._reap()
        if spare:
            self.prime()
        try:
            run_sync(_ready)(kc, timeout)
        except Exception:
            self.retire(km, kc)
            raise
        kc.allow_stdin = False
        return km, kc

    def retire(self, km: Any, kc: Any = None) -> None:
        """Kill a used kernel now; its manager is cleaned up on a later call (no waiting here)."""
        if kc is not None:
            kc.stop_channels()
        pid = getattr(km.provisioner, "pid", None) if km.provisioner else None
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:  # already gone
                pass
        self._dying.append(km)

    def _reap(self) -> None:
        from jupyter_core.utils import run_sync

        for km in self._dying:
            try:
                run_sync(km.shutdown_kernel)(now=True)  # the process is dead: this only tidies up
            except Exception:  # a manager that cannot tidy up holds nothing we need
                pass
            _remove_files(km)  # shutdown_kernel skips them for a kernel that died first
            if km in self._live:
                self._live.remove(km)
        self._dying.clear()

    def kill_now(self) -> None:
        """Kill every kernel and the zygote, and remove their files, at once and without an event
        loop: for a worker told to stop (``_stop_worker``), which may be inside one."""
        for km in self._live:
            pid = getattr(km.provisioner, "pid", None) if km.provisioner else None
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:  # already gone
                    pass
            _remove_files(km)
        self._live.clear()
        if self._zygote is not None:
            self._zygote.kill()

    def close(self) -> None:
        """Kill the spare and every used kernel."""
        if self._spare is not None:
            self.retire(*self._spare)
            self._spare = None
        self._reap()
        if self._zygote is not None:
            self._zygote.close()
            self._zygote = None


def _remove_files(km: Any) -> None:
    """Remove a kernel's connection file and IPC socket files from the runtime folder."""
    try:
        km.cleanup_connection_file()
        km.cleanup_ipc_files()
    except Exception:  # a half-made manager: it wrote nothing that needs removing
        pass


async def _ready(kc: Any, timeout: float) -> None:
    """Wait until the kernel answers ``kernel_info`` and its IOPub reaches us.

    jupyter_client's ``wait_for_ready`` ends by waiting 0.2 s for IOPub to fall silent,
    a fixed cost per practice; here the channels were connected long before, so the
    kernel's idle status for our request is proof enough.
    """
    from queue import Empty

    end = time.monotonic() + timeout
    while True:
        msg_id = kc.kernel_info()
        retry = time.monotonic() + 0.5
        try:
            while True:
                msg = await kc.iopub_channel.get_msg(
                    timeout=max(0.01, min(retry, end) - time.monotonic())
                )
                if (
                    msg["parent_header"].get("msg_id") == msg_id
                    and msg["msg_type"] == "status"
                    and msg["content"].get("execution_state") == "idle"
                ):
                    break
            while (await kc.shell_channel.get_msg(timeout=max(0.01, end - time.monotonic())))[
                "parent_header"
            ].get("msg_id") != msg_id:
                pass
            return
        except Empty:
            if time.monotonic() > end:
                raise KernelError(f"the kernel did not answer in {timeout:g} s") from None


def _register_engine() -> None:
    """Register papermill's nbclient engine variant that runs on a kernel we started."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class KernelEngine(NBClientEngine):  # type: ignore[misc]  # papermill is untyped (Any)
        """papermill's nbclient engine, on a given (already started)
        kernel with a practice deadline."""

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
            deadline = kwargs["deadline"]

            def remaining(_cell: Any) -> int:
                return max(1, int(deadline - time.monotonic() + 0.999))

            client = PapermillNotebookClient(
                nb_man,
                km=kwargs["km"],
                kernel_name=kernel_name,
                startup_timeout=kwargs.get("start_timeout", 60),
                timeout_func=remaining,
                shutdown_kernel="immediate",
                log_output=False,
            )
            # connected and ready: nbclient then skips its own start-up wait
            client.kc = kwargs["kc"]
            return client.execute()

    papermill_engines.register(ENGINE, KernelEngine)


_exporters = threading.local()


def exporter() -> Any:
    """This thread's ``jdkit`` nbconvert HTML exporter, made once (loading
    its template is the slow part).

    One per thread: an export registers filters bound to its notebook on the exporter. A forked
    worker's main thread keeps the one its forkserver made (``preload``).
    """
    current = getattr(_exporters, "exporter", None)
    if current is None:
        from .export.notebook import JdkitHTMLExporter

        # nbconvert's Exporter.__init__ is unannotated
        current = _exporters.exporter = JdkitHTMLExporter()  # type: ignore[no-untyped-call]
    return current


def preload() -> None:
    """Warm what every worker and kernel uses: imports, the compiled
    nbconvert template, jdkit's caches.

    Called once in the process pool's forkserver, so each worker (a fork of it) and each
    kernel (a fork of a worker's zygote) starts warm. Library state only, no practice's data.
    """
    import gc

    import nbformat

    from . import kernelfork, notebook, templating

    kernelfork.import_kernel_modules()
    # the batch is an edge: its processes load compiled templates from disk
    templating.use_user_cache()
    notebook.warm()
    # nbformat's functions are unannotated
    cell = nbformat.v4.new_code_cell(  # type: ignore[no-untyped-call]
        "",
        metadata={"tags": ["jdkit-document"]},
        outputs=[
            nbformat.v4.new_output(  # type: ignore[no-untyped-call]
                "display_data", {"text/html": "<p>warm-up</p>"}
            )
        ],
    )
    notebook_node = nbformat.v4.new_notebook(cells=[cell])  # type: ignore[no-untyped-call]
    exporter().from_notebook_node(notebook_node)  # compiles every template it uses
    _register_engine()
    gc.freeze()  # the collector leaves these objects alone in every fork: fewer copy-on-write pages


class Worker:
    """A worker's long-lived parts: its kernels and the nbconvert exporter."""

    def __init__(self) -> None:
        # first: its zygote boots while papermill and nbconvert import here
        self.kernels = KernelPool()
        _register_engine()

    def warm(self) -> None:
        """Start the spare kernel and load the exporter."""
        exporter()
        self.kernels.prime()

    def execute(self, task: Task) -> tuple[Any, str]:
        """Execute the notebook for ``task``; return ``(notebook, failure reason or "")``."""
        import nbformat
        from papermill.engines import papermill_engines
        from papermill.exceptions import PapermillExecutionError
        from papermill.execute import (
            prepare_notebook_metadata,
            raise_for_execution_errors,
            remove_error_markers,
        )
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        # new containers: the task's dict is not changed (nbformat.from_dict is unannotated)
        nb = load_notebook_node(nbformat.from_dict(task.notebook))  # type: ignore[no-untyped-call]
        parameters = {**task.parameters, "jdkit_source": task.source}
        nb = parameterize_notebook(
            nb,
            parameters,
            kernel_name=self.kernels.kernel_name,
            language="python",
            engine_name=ENGINE,
        )
        nb = remove_error_markers(
            prepare_notebook_metadata(nb, task.source, f"{task.slug}.ipynb", False)
        )
        try:
            km, kc = self.kernels.take(timeout=START_TIMEOUT, spare=task.spare)
        except Exception as exc:
            return nb, f"the kernel did not start: {type(exc).__name__}: {exc}"[:300]
        # --timeout bounds the cells, not a slow machine's start-up
        deadline = time.monotonic() + task.timeout
        try:
            nb = papermill_engines.execute_notebook_with_engine(
                ENGINE,
                nb,
                kernel_name=self.kernels.kernel_name,
                output_path=None,
                progress_bar=False,
                km=km,
                kc=kc,
                deadline=deadline,
            )
            raise_for_execution_errors(nb, None)
        except PapermillExecutionError as exc:
            return nb, f"cell {exc.exec_count or exc.cell_index} raised {exc.ename}: {exc.evalue}"
        except TimeoutError:  # nbclient's CellTimeoutError: the kernel hung past --timeout
            return nb, f"timed out after {task.timeout:g} s (--timeout)"
        except Exception as exc:
            # a dead kernel and the like: this practice fails, the batch goes on
            return nb, f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
        finally:
            self.kernels.retire(km, kc)
        return nb, ""

    def run(self, task: Task) -> Outcome:
        """Run one practice: execute, export, score; never raises for the practice's faults."""
        import nbformat

        from .notebook import findings, model_from, read_report

        start = time.perf_counter()
        nb, reason = self.execute(task)
        ipynb = nbformat.writes(nb).encode("utf-8")  # type: ignore[no-untyped-call]  # unannotated
        if reason:
            return Outcome(
                task.slug,
                False,
                reason,
                {".failed.ipynb": ipynb},
                seconds=time.perf_counter() - start,
            )
        files = {".ipynb": ipynb}
        model = None
        prints: dict[str, str] = {}
        try:
            if "description" in task.kinds:
                html, _ = exporter().from_notebook_node(nb)
                if "html" in task.formats:
                    files[".html"] = html.encode("utf-8")
                if "pdf" in task.formats:
                    prints[".pdf"] = html
            for kind in task.kinds:
                for fmt in task.formats:
                    if kind == "description" and fmt in ("html", "pdf"):
                        continue  # the executed notebook's own document, above
                    from .export import export
                    from .formats import FORMATS

                    model = model or model_from(task.parameters, file=task.source)
                    suffix = "" if kind == "description" else f"-{kind}"
                    if fmt == "pdf":
                        # Markdown, Word, JSON-LD and the posting: straight from the same model
                        from .document.writers import render_html

                        prints[suffix + FORMATS.get_exporter("pdf").extension] = render_html(
                            model, kind=kind
                        )
                        continue
                    body, resources = export(model, fmt, paper=task.paper, kind=kind)
                    files[suffix + resources["extension"]] = body
        except Exception as exc:
            text = exc.format() if hasattr(exc, "format") else f"{type(exc).__name__}: {exc}"
            return Outcome(
                task.slug,
                False,
                f"export failed: {' '.join(str(text).split())[:300]}",
                {".failed.ipynb": ipynb},
                seconds=time.perf_counter() - start,
            )
        scored: tuple[int | None, int | None] | None = read_report(nb)  # the kernel checked already
        if scored is None:
            try:
                found, score = findings(model or model_from(task.parameters, file=task.source))
            except Exception as exc:  # a broken rule is a bug, but it must not stop the batch
                return Outcome(
                    task.slug,
                    False,
                    f"checks failed: {type(exc).__name__}: {exc}"[:300],
                    {".failed.ipynb": ipynb},
                    seconds=time.perf_counter() - start,
                )
            scored = (
                (score, sum(1 for f in found if f.severity == "error"))
                if score is not None
                else (None, None)
            )
        score, errors = scored
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

    def close(self) -> None:
        """Kill this worker's kernels (the browser closes with its own finalizer)."""
        self.kernels.close()


_local = threading.local()


def worker() -> Worker:
    """This thread's ``Worker``, made on first use and cleaned up when the process exits."""
    current = getattr(_local, "worker", None)
    if current is None:
        from multiprocessing import util

        current = _local.worker = Worker()
        # atexit does not run in ProcessPoolExecutor workers; multiprocessing's finalizers do.
        util.Finalize(current, current.close, exitpriority=20)
    return current


def warm_up() -> None:
    """Pool initializer: get the spare kernel booting before the first practice arrives."""
    try:
        worker().warm()
    except Exception:  # a kernel that cannot start: each practice then reports it in one line
        pass


_ledger: str | None = None  # this pool worker's ledger folder (pool_worker), else None


def pool_worker(ledger: str | None = None) -> None:
    """Initializer of ``jdkit.batch``'s own process pool: tie this worker
    to the batch, then ``warm_up``.

    - SIGINT is ignored: Ctrl-C reaches the whole process group, and the batch stops its workers
      itself.
    - SIGTERM and SIGHUP kill this worker's kernels and zygote, remove their files, and end it
      (the pool's own terminate, the batch's stop, or a kill from outside).
    - The batch ending, even by SIGKILL, ends this worker the same way: a thread waits on the
      batch's end of a pipe (multiprocessing's parent sentinel). The OS parent here is the pool's
      forkserver, which lives as long as any worker does, so PR_SET_PDEATHSIG (``lifeline``)
      only covers the forkserver itself being killed.
    - ``ledger``: the folder where ``jdkit.pool`` notes the practice this worker is running
      (under its pid); removed here if the batch is gone, as nobody will read it then.
    """
    import multiprocessing

    from .lifeline import die_with_parent

    global _ledger
    _ledger = ledger
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_worker)
    # first, while this process has one thread: its zygote is then a fork of it (KernelPool)
    warm_up()
    die_with_parent(signal.SIGTERM)
    batch = multiprocessing.parent_process()  # the batch's process (forkserver children know it)
    if batch is not None:
        # (a batch already gone: its end of the pipe is closed, the thread acts at once)
        threading.Thread(
            target=_watch_batch, args=(batch.sentinel,), name="jdkit-batch-watch", daemon=True
        ).start()


def _watch_batch(sentinel: int) -> None:
    """Wait for the batch's process to end, then stop this worker as SIGTERM does."""
    from multiprocessing.connection import wait

    wait([sentinel])
    # To the main thread: its blocking call returns EINTR and the handler runs at once.
    signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGTERM)
    time.sleep(3)  # the handler ends the process; only a main thread stuck in C code gets here
    _stop_worker(signal.SIGTERM, None)


def _stop_worker(signum: int, _frame: Any) -> None:
    """Signal handler of a pool worker: kill its kernels and zygote, remove their files, and end
    with the signal itself (so the batch reads which signal ended it). Runs between two bytecodes
    of the main thread, perhaps inside an event loop: so no loop and no waiting here."""
    current = getattr(_local, "worker", None)
    if current is not None:
        current.kernels.kill_now()
    import multiprocessing
    from multiprocessing.connection import wait

    batch = multiprocessing.parent_process()
    # The batch is gone when its end of the pipe is closed (its pid may live on a while, a zombie).
    if _ledger and (batch is None or wait([batch.sentinel], 0)):
        # nobody will read the ledger: tidy it
        # the last worker out removes the folder
        for tidy, path in (
            (os.unlink, os.path.join(_ledger, str(os.getpid()))),
            (os.rmdir, _ledger),
        ):
            try:
                tidy(path)
            except OSError:  # no note (idle), or another worker's note still there
                pass
    if threading.current_thread() is threading.main_thread():  # (signal.signal works there only)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
    # from _watch_batch's last resort; else not reached: the signal ends us first
    os._exit(128 + signum)


def start_server() -> None:
    """Start the process pool's forkserver now: its imports (~1.5 s of CPU) then overlap the batch's
    own start-up (imports, validation) instead of following it. Idempotent."""
    import multiprocessing
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
    forkserver.ensure_running()


def stop_server() -> None:
    """Kill the forkserver (a batch with nothing to run), rather than let it finish importing."""
    from multiprocessing import forkserver

    server = forkserver._forkserver  # CPython's one forkserver; its pid is private, hence the care
    pid = getattr(server, "_forkserver_pid", None)
    if pid:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:  # already gone
            pass
        server._stop()  # type: ignore[attr-defined]  # private, so not in typeshed


def run_practice(task: Task) -> Outcome:
    """Run one practice in this worker (the function submitted to any executor)."""
    return worker().run(task)
