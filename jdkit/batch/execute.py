"""Stage two of ``jdkit batch``: run each practice's notebook on a worker.

A runner executes one ``Task``'s notebook and returns it executed, with the reason it
failed (``""`` when it did not). ``RUNNER_TYPES`` holds two (``RUNNERS``, their names):

- ``kernels``, the fast path: fresh kernels forked from a warm zygote, one spare always
  booting (``jdkit.batch.kernels``, ``jdkit.batch.fork``), driven by papermill's own execute
  steps (the private parts it needs are in ``jdkit.private_apis``);
- ``papermill``, the reference: plain ``papermill.execute_notebook``, a kernel spawned per
  practice, no private API. The tests check that both give byte-identical documents.

Each worker (a pool process, or a thread of a Dask worker) keeps a ``Worker`` whose
``run`` executes a task and hands the notebook to ``jdkit.batch.publish.documents``, all in
memory; the batch prints the PDFs with its one browser and writes every file.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Any, Protocol

from .records import Outcome, Task
from .settings import START_TIMEOUT, kernel_args, safe_path

__all__ = [
    "Runner",
    "KernelRunner",
    "PapermillRunner",
    "RUNNERS",
    "RUNNER_TYPES",
    "Worker",
    "worker",
    "warm_up",
    "pool_worker",
    "run_practice",
]


class Runner(Protocol):
    """Executes notebooks, one task at a time."""

    def warm(self) -> None:
        """Get ready for the first task (start what the first task would wait for)."""

    def execute(self, task: Task) -> tuple[Any, str]:
        """The task's notebook parameterised and executed, and why it failed (``""``: it did
        not). Never raises for the practice's faults."""

    def kill_now(self) -> None:
        """Kill every process this runner started, now, without an event loop."""

    def close(self) -> None:
        """Stop every process this runner started."""


def _parameters(task: Task) -> dict[str, Any]:
    return {**task.parameters, "jdkit_source": task.source}


def _reason(exc: BaseException, task: Task) -> str:
    """A failed execution in one line."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"cell {exc.exec_count or exc.cell_index} raised {exc.ename}: {exc.evalue}"
    if isinstance(exc, TimeoutError):  # nbclient's CellTimeoutError: the kernel hung past it
        return f"timed out after {task.timeout:g} s (the time limit per practice)"
    # a dead kernel and the like: this practice fails, the batch goes on
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"


def _record_paths(nb: Any, task: Task) -> Any:
    """papermill's metadata names where the notebook came from and went: the practice's file and
    its ``.ipynb``, whichever runner ran it."""
    nb.metadata.papermill["input_path"] = task.source
    nb.metadata.papermill["output_path"] = f"{task.slug}.ipynb"
    return nb


class KernelRunner:
    """The fast path: papermill's execute steps on a kernel from this worker's ``KernelPool``."""

    def __init__(self) -> None:
        from .kernels import KernelPool, register_engine

        # first: its zygote boots while papermill and nbconvert import here
        self.kernels = KernelPool()
        register_engine()

    def warm(self) -> None:
        """Start the spare kernel."""
        self.kernels.prime()

    def execute(self, task: Task) -> tuple[Any, str]:
        """Execute ``task``'s notebook on the spare kernel; ``--timeout`` bounds the whole run."""
        import nbformat

        from ..private_apis import papermill_parts
        from .settings import ENGINE

        pm = papermill_parts()
        # new containers: the task's dict is not changed (nbformat.from_dict is unannotated)
        nb = pm["load_notebook_node"](nbformat.from_dict(task.notebook))  # type: ignore[no-untyped-call]
        nb = pm["parameterize_notebook"](
            nb,
            _parameters(task),
            kernel_name=self.kernels.kernel_name,
            language="python",
            engine_name=ENGINE,
        )
        nb = pm["remove_error_markers"](
            pm["prepare_notebook_metadata"](nb, task.source, f"{task.slug}.ipynb", False)
        )
        try:
            km, kc = self.kernels.take(timeout=START_TIMEOUT, spare=task.spare)
        except Exception as exc:
            return nb, f"the kernel did not start: {type(exc).__name__}: {exc}"[:300]
        # --timeout bounds the cells, not a slow machine's start-up
        deadline = time.monotonic() + task.timeout
        try:
            nb = pm["papermill_engines"].execute_notebook_with_engine(
                ENGINE,
                nb,
                kernel_name=self.kernels.kernel_name,
                output_path=None,
                progress_bar=False,
                km=km,
                kc=kc,
                deadline=deadline,
            )
            pm["raise_for_execution_errors"](nb, None)
        except Exception as exc:
            return nb, _reason(exc, task)
        finally:
            self.kernels.retire(km, kc)
        return nb, ""

    def kill_now(self) -> None:
        """Kill this runner's kernels and zygote (``KernelPool.kill_now``)."""
        self.kernels.kill_now()

    def close(self) -> None:
        """Kill the spare and every used kernel, and stop the zygote."""
        self.kernels.close()


class PapermillRunner:
    """The reference: ``papermill.execute_notebook``, as a user would call it, on a kernel it
    spawns for each practice (with the batch's kernel settings); ``--timeout`` bounds each cell."""

    def warm(self) -> None:
        """Nothing to start ahead: papermill starts each kernel itself."""

    def execute(self, task: Task) -> tuple[Any, str]:
        """Execute ``task``'s notebook with papermill."""
        import nbformat
        import papermill

        nb = nbformat.from_dict(task.notebook)  # type: ignore[no-untyped-call]  # unannotated
        try:
            with safe_path():  # papermill spawns the kernel: keep the working directory off
                done = papermill.execute_notebook(
                    nb,
                    None,
                    parameters=_parameters(task),
                    kernel_name="python3",
                    progress_bar=False,
                    request_save_on_cell_execute=False,
                    start_timeout=int(START_TIMEOUT),
                    execution_timeout=max(1, int(task.timeout + 0.999)),
                    extra_arguments=kernel_args(),
                )
        except Exception as exc:
            # papermill raises after the run and, with no output path, keeps no executed copy:
            # a failed practice keeps the notebook it was given
            return nb, _reason(exc, task)
        return _record_paths(done, task), ""

    def kill_now(self) -> None:
        """papermill's kernels end with its run (``shutdown_kernel``); none is kept between."""

    def close(self) -> None:
        """Nothing is kept between practices."""


# The registry of runners by name: the fast path first (the default), then the reference.
RUNNER_TYPES: dict[str, type[KernelRunner] | type[PapermillRunner]] = {
    "kernels": KernelRunner,
    "papermill": PapermillRunner,
}
# Their names, the one list `run_batch` and `jdkit batch --runner` accept.
RUNNERS: tuple[str, ...] = tuple(RUNNER_TYPES)


class Worker:
    """A worker's long-lived parts: its runners, made on first use."""

    def __init__(self) -> None:
        self.runners: dict[str, Runner] = {}

    def runner(self, name: str) -> Runner:
        """The runner ``name`` (``RUNNERS``), made once."""
        if name not in self.runners:
            self.runners[name] = RUNNER_TYPES[name]()
        return self.runners[name]

    def warm(self, runner: str = "kernels") -> None:
        """Get ``runner`` ready and load the nbconvert exporter."""
        from .publish import exporter

        self.runner(runner)  # the fast path's zygote boots first, while the exporter loads
        exporter()
        self.runners[runner].warm()

    def run(self, task: Task) -> Outcome:
        """Run one practice: execute, then export and score (``publish.documents``); never raises
        for the practice's faults."""
        import nbformat

        from .publish import documents

        start = time.perf_counter()
        nb, reason = self.runner(task.runner).execute(task)
        ipynb = nbformat.writes(nb).encode("utf-8")  # type: ignore[no-untyped-call]  # unannotated
        if reason:
            return Outcome.failure(task.slug, reason, ipynb, start)
        return documents(task, nb, ipynb, start)

    def kill_now(self) -> None:
        """Kill every runner's processes now (a worker told to stop)."""
        for runner in self.runners.values():
            runner.kill_now()

    def close(self) -> None:
        """Stop every runner's processes (the browser closes with its own finalizer)."""
        for runner in self.runners.values():
            runner.close()


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


def warm_up(runner: str = "kernels") -> None:
    """Get ``runner`` ready (the fast path: its spare kernel booting) before the first practice
    arrives."""
    try:
        worker().warm(runner)
    except Exception:  # a kernel that cannot start: each practice then reports it in one line
        pass


_ledger: str | None = None  # this pool worker's ledger folder (pool_worker), else None


def pool_worker(ledger: str | None = None, runner: str = "kernels") -> None:
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

    from ..lifeline import die_with_parent

    global _ledger
    _ledger = ledger
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_worker)
    # first, while this process has one thread: its zygote is then a fork of it (KernelPool)
    warm_up(runner)
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
        current.kill_now()
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


def run_practice(task: Task) -> Outcome:
    """Run one practice in this worker (the function submitted to any executor)."""
    return worker().run(task)
