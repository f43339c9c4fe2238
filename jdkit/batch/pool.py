"""``jdkit batch``'s own process pool: one dead worker costs one practice, not the batch.

``concurrent.futures.ProcessPoolExecutor`` is "broken" once any worker dies (the OOM killer,
a crash, a kill): it stops the other workers (SIGTERM) and fails every practice still running
or queued with ``BrokenProcessPool``. ``WorkerPool`` then starts a new pool and sends those
practices to it again, except the one the dead worker was running (each worker notes it in a
ledger folder, ``_noted``): that one is run once more when its worker was
killed from outside (SIGKILL, SIGTERM, ...), as the kill was most likely not its fault, and
fails with the signal named when it is killed again or its worker crashed.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..lifeline import LEDGER_PREFIX, alive
from ..private_apis import pool_manager, pool_pids, stop_forkserver
from .settings import safe_path

__all__ = ["PRELOAD", "WorkerPool", "EXTERNAL", "is_broken", "start_server", "stop_server"]

# What the process pool's forkserver imports before forking any worker: jdkit.batch.preload
# imports and warms everything (papermill, nbconvert, ipykernel, jdkit), after blocking what no
# batch process needs.
PRELOAD = ["jdkit.batch.preload"]

# Signals that come from outside a practice (the OOM killer's SIGKILL, a kill, a closed terminal):
# worth running the practice once more. A worker's own crash (SIGSEGV, SIGABRT, ...) is not.
EXTERNAL = frozenset({signal.SIGKILL, signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGQUIT})
# Pools broken with no practice to blame (a worker killed while idle) before the batch gives up.
IDLE_BREAKS = 3
STOP_GRACE = 5.0  # seconds a stopped worker has to kill its kernels and end before it is SIGKILLed


class WorkerPool:
    """A forkserver process pool of ``workers`` processes that
    replaces itself when a worker dies."""

    def __init__(self, workers: int, runner: str = "kernels") -> None:
        self.workers = workers
        self.runner = runner
        self.ledger = tempfile.mkdtemp(prefix=f"{LEDGER_PREFIX}{os.getpid()}-")
        self._tasks: dict[cf.Future[Any], Any] = {}  # a future -> its task, for sending it again
        self._born: dict[cf.Future[Any], int] = {}  # a future -> the generation of pool it ran on
        self._generation = 0
        # slug -> (exit code of its dead worker, retry?)
        self._verdicts: dict[str, tuple[int | None, bool]] = {}
        self._killed: dict[str, int] = {}  # slug -> how often a worker running it was killed
        self._idle_breaks = 0
        start_server()  # already running when `jdkit batch` started it early
        self._pool = self._new()

    def _new(self) -> cf.ProcessPoolExecutor:
        # forkserver: workers do not inherit the parent's threads (progress
        # bar, printer, Dask) or event loops, and fork from one server that
        # has imported and warmed everything once (jdkit.batch.preload).
        return cf.ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("forkserver"),
            initializer=_init,
            initargs=(self.ledger, self.runner),
        )

    def submit(self, fn: Any, task: Any) -> cf.Future[Any]:
        """Run ``fn(task)`` on a worker (``task.slug`` names it in the ledger)."""
        future = self._pool.submit(_noted, fn, task)
        self._tasks[future] = (fn, task)
        self._born[future] = self._generation
        return future

    def recover(self, future: cf.Future[Any]) -> cf.Future[Any] | str:
        """For a ``future`` that failed with ``BrokenProcessPool``: a new future running
        its task on a new pool, or the one-line reason its practice fails (its worker
        was killed twice, or crashed)."""
        fn, task = self._tasks.pop(future)
        if self._born.pop(future) == self._generation:
            # the first news of this pool's death: replace it
            self._replace()
        verdict = self._verdicts.pop(task.slug, None)
        if verdict is not None:
            code, retry = verdict
            if not retry:
                return _death(code) + (
                    "; it had been retried once" if self._killed.get(task.slug, 0) > 1 else ""
                )
        if self._idle_breaks >= IDLE_BREAKS:
            return "not run: worker processes keep dying before they start a practice"
        return self.submit(fn, task)

    def _replace(self) -> None:
        """Wait for the broken pool to end, learn which practice its dead
        worker ran, start a new one."""
        old = self._pool
        # CPython's pid -> Process; private, hence the care
        processes = pool_pids(old)
        # the pool stops its other workers itself; wait for them (their kernels go too)
        old.shutdown(wait=True)
        codes = {pid: p.exitcode for pid, p in processes.items()}
        running = self._read_ledger()
        # The pool stops the survivors with SIGTERM: a death by anything else was the cause.
        # Only when every death was a SIGTERM was one of those the cause (a kill from outside).
        causes = [pid for pid, code in codes.items() if code not in (0, None, -signal.SIGTERM)] or [
            pid for pid, code in codes.items() if code not in (0, None)
        ]
        blamed = False
        for pid in causes:
            slug = running.get(pid)
            if slug is None:
                continue
            blamed = True
            code = codes[pid]
            count = self._killed[slug] = self._killed.get(slug, 0) + 1
            external = code is not None and code < 0 and -code in EXTERNAL
            self._verdicts[slug] = (code, external and count == 1)
        self._idle_breaks += not blamed
        from ..lifeline import sweep

        sweep()  # the kernel files a killed worker could not remove (its pid is gone now)
        self._generation += 1
        self._pool = self._new()

    def _read_ledger(self) -> dict[int, str]:
        """pid -> the practice's slug, for each worker that was running
        one; the ledger is emptied."""
        running: dict[int, str] = {}
        for entry in os.scandir(self.ledger):
            try:
                with open(entry.path, encoding="utf-8") as handle:
                    running[int(entry.name)] = handle.read()
                os.unlink(entry.path)
            except (OSError, ValueError):
                # a note half-written by a worker killed then: blame nobody
                continue
        return running

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Shut the current pool down (as ``Executor.shutdown``) and remove the ledger."""
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
        if wait:
            shutil.rmtree(self.ledger, ignore_errors=True)

    def stop(self) -> None:
        """Stop now (the batch was interrupted): nothing new starts, every worker is told to end
        (each kills its kernels and zygote and removes their files, ``execute._stop_worker``)."""
        pool = self._pool
        # Queued practices are cancelled by the pool's own thread (shutdown's cancel_futures),
        # never here: CPython 3.11's broken-pool handler raises InvalidStateError, with a
        # traceback on stderr, on a future cancelled outside it when the workers then die.
        manager = pool_manager(pool)  # shutdown(wait=False) lets go of it: joined below
        pool.shutdown(wait=False, cancel_futures=True)
        pids = list(pool_pids(pool))
        for pid in pids:
            _signal(pid, signal.SIGTERM)
        # A worker whose main thread is stuck in C code never runs its
        # handler: SIGKILL it after a while (its zygote and kernels then
        # die with it, see jdkit.batch.fork), so the stop never hangs.
        # (Polled by pid: joining here would race the pool's own thread reading the exit codes.)
        end = time.monotonic() + STOP_GRACE
        while any(alive(pid) for pid in pids) and time.monotonic() < end:
            time.sleep(0.02)
        for pid in filter(alive, pids):
            _signal(pid, signal.SIGKILL)
        self.shutdown(wait=True, cancel_futures=True)
        # Joined so that it has closed its wake-up pipe before this process exits: else CPython
        # 3.11's exit hook may write to the pipe while the thread closes it (EBADF, a traceback).
        if manager is not None:
            manager.join(STOP_GRACE)


_ledger: str | None = None  # in a worker: its pool's ledger folder


def _init(ledger: str, runner: str) -> None:
    """Worker initializer: remember the ledger, then tie the worker to the
    batch and warm ``runner`` (``execute.pool_worker``)."""
    from .execute import pool_worker

    global _ledger
    _ledger = ledger
    pool_worker(ledger, runner)


def _noted(fn: Any, task: Any) -> Any:
    """In a worker: ``fn(task)``, with ``task.slug`` noted in the ledger under this worker's pid
    meanwhile, so that the batch knows what this worker was running should it be killed."""
    assert _ledger is not None, "not a WorkerPool worker"
    note = os.path.join(_ledger, str(os.getpid()))
    with open(note, "w", encoding="utf-8") as handle:
        handle.write(task.slug)
    try:
        return fn(task)
    finally:
        try:
            os.unlink(note)
        except OSError:  # the batch emptied the ledger meanwhile
            pass


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except OSError:  # already gone
        pass


def _death(code: int | None) -> str:
    """``the worker running this practice was killed (SIGKILL)``, in plain words."""
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        how = "was killed" if -code in EXTERNAL else "crashed"
        return f"the worker running this practice {how} ({name})"
    if code:
        return f"the worker running this practice exited with code {code}"
    return "the worker running this practice ended unexpectedly"


def is_broken(exc: BaseException) -> bool:
    """Whether ``exc`` says the pool lost a worker (the only failure
    ``WorkerPool.recover`` handles)."""
    return isinstance(exc, BrokenProcessPool)


def start_server() -> None:
    """Start the process pool's forkserver now: its imports (~1.5 s of CPU) then overlap the batch's
    own start-up (imports, validation) instead of following it. Idempotent."""
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
    with safe_path():  # no working directory on the server's sys.path, so none on a worker's
        forkserver.ensure_running()


def stop_server() -> None:
    """Kill the forkserver (a batch with nothing to run), rather than let it finish importing."""
    stop_forkserver()
