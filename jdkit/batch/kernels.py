"""Fresh kernels for the batch's fast path, one spare always booting, and the papermill engine
that runs a notebook on a kernel it was given.

A practice takes the spare (a fresh process: nothing of an earlier practice is in it) and
the pool at once starts the next, so kernel start-up overlaps the current practice instead
of adding to it. Kernels are forks of a warm zygote (``jdkit.batch.fork``) where that is
available, else spawned with the same settings (``jdkit.batch.settings``).
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from typing import Any

from ..errors import KernelError
from ..private_apis import papermill_parts, use_provisioner
from .settings import ENGINE, kernel_args, safe_env

__all__ = ["KernelPool", "register_engine"]


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
            from .fork import Zygote, available

            if available():
                # A fresh pool worker has one thread: fork the zygote from
                # it (already warm); else spawn one.
                self._zygote = Zygote(fork_here=threading.active_count() == 1)

    def _start(self) -> Any:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.paths import jupyter_runtime_dir
        from jupyter_core.utils import run_sync

        from ..lifeline import runtime_name

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
            from .fork import ForkProvisioner

            use_provisioner(km, ForkProvisioner, zygote=self._zygote)
        # returns at once; the kernel boots alone (a fork is warm already: its zygote was warmed)
        if self._zygote is not None:  # a fork of the zygote, which runs with -P
            run_sync(km.start_kernel)(extra_arguments=kernel_args(warm=False))
        else:  # spawned with python -m, which would put the working directory on sys.path
            run_sync(km.start_kernel)(extra_arguments=kernel_args(), env=safe_env())
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
        _kill(km)
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
            _kill(km)
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


def _kill(km: Any) -> None:
    """SIGKILL a manager's kernel process, if it has one still."""
    pid = getattr(km.provisioner, "pid", None) if km.provisioner else None
    if pid:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:  # already gone
            pass


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


def register_engine() -> None:
    """Register papermill's nbclient engine variant that runs on a kernel we started."""
    parts = papermill_parts()
    PapermillNotebookClient = parts["PapermillNotebookClient"]
    engine: Any = parts["NBClientEngine"]

    class KernelEngine(engine):  # type: ignore[misc]  # papermill is untyped (Any)
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

    parts["papermill_engines"].register(ENGINE, KernelEngine)
