"""Fresh IPython kernels in milliseconds: forked from a warm "zygote" process.

Starting a kernel is mostly Python importing ipykernel, IPython and jdkit (~0.7 s of
CPU here, twice that with jdkit warmed). The zygote does that once, never runs any
practice's code, and forks a child per kernel: each child is a new process with a
new, empty namespace (the isolation of a fresh kernel) that is ready in ~50 ms.

``ForkProvisioner`` is a jupyter_client provisioner that asks the zygote for a kernel
instead of spawning one, so nbclient and papermill drive it like any other kernel.
Linux/macOS only (``os.fork``); ``available()`` says whether it can be used.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from typing import IO, Any

from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from ..errors import KernelError
from ..private_apis import skip_command_line
from .settings import KERNEL_CONFIG, freeze, import_kernel_modules, unblock

__all__ = ["available", "Zygote", "ForkProvisioner", "ForkedProcess", "serve"]


def available() -> bool:
    """Whether kernels can be forked here (POSIX ``fork``, and not
    disabled by ``JDKIT_NO_FORK``)."""
    return hasattr(os, "fork") and not os.environ.get("JDKIT_NO_FORK")


class ForkedProcess:
    """A ``Popen``-like handle on a kernel forked by the zygote (not
    our child: poll by signal 0)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = self.stdout = self.stderr = None

    def poll(self) -> int | None:
        """``None`` while the process lives, else its (unknown, so -9) return code."""
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -signal.SIGKILL
            except PermissionError:  # the pid was reused by someone else's process: ours is gone
                self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait until the process is gone."""
        end = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.005)
        return code

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` if the process still lives."""
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        """SIGKILL the process."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """SIGTERM the process."""
        self.send_signal(signal.SIGTERM)


class Zygote:
    """The warm process that forks kernels; one per worker, talking over a pair of pipes.

    ``fork_here`` (only from a single-threaded process, such as a fresh pool worker): the
    zygote is a fork of this process, so it starts with whatever is already imported;
    otherwise it is a new Python process that imports ipykernel and jdkit itself.
    """

    def __init__(self, *, fork_here: bool = False) -> None:
        self._lock = threading.Lock()
        self._ready = False
        self._proc: subprocess.Popen[str] | None = None
        self._pid: int | None = None
        self._to: IO[str]
        self._from: IO[str]
        if fork_here:
            req_r, req_w = os.pipe()
            ans_r, ans_w = os.pipe()
            worker = os.getpid()
            pid = os.fork()
            if pid == 0:
                # the zygote: keep only its two pipe ends, then serve until the worker closes them
                try:
                    from ..lifeline import die_with_parent

                    # The worker's end of the pipe closing ends the loop
                    # too; this also covers a worker killed while the zygote
                    # still imports (forked from the worker's one thread).
                    die_with_parent(signal.SIGKILL, worker)
                    _close_fds_except(req_r, ans_w)
                    serve(os.fdopen(req_r), os.fdopen(ans_w, "w"))
                finally:
                    os._exit(0)
            os.close(req_r)
            os.close(ans_w)
            self._pid = pid
            self._to = os.fdopen(req_w, "w", buffering=1)
            self._from = os.fdopen(ans_r)
        else:
            self._proc = subprocess.Popen(
                # -P: no working directory on sys.path (a folder named jdkit there is not jdkit)
                [sys.executable, "-P", "-c", "from jdkit.batch.fork import serve; serve()"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                bufsize=1,
            )
            assert self._proc.stdin and self._proc.stdout
            self._to, self._from = self._proc.stdin, self._proc.stdout

    def fork(self, connection_file: str) -> int:
        """Fork a kernel serving ``connection_file``; return its pid."""
        with self._lock:
            if not self._ready:
                if self._from.readline().strip() != "ready":
                    raise KernelError("the kernel zygote did not start")
                self._ready = True
            self._to.write(connection_file + "\n")
            self._to.flush()
            answer = self._from.readline().strip()
        if not answer.isdigit():
            raise KernelError(f"the kernel zygote did not fork a kernel: {answer or 'it exited'}")
        return int(answer)

    def kill(self) -> None:
        """SIGKILL the zygote now (a worker told to stop; its kernels
        die with it, see ``_child``)."""
        pid = self._proc.pid if self._proc is not None else self._pid
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:  # already gone
                pass

    def close(self) -> None:
        """Stop the zygote (its kernels are killed by their owners)."""
        try:
            self._to.close()  # end of requests: the zygote's loop ends and it exits
        except OSError:
            pass
        if self._proc is not None:
            try:
                self._proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        elif self._pid is not None:
            end = time.monotonic() + 2
            while os.waitpid(self._pid, os.WNOHANG) == (0, 0):
                if time.monotonic() > end:
                    os.kill(self._pid, signal.SIGKILL)
                    os.waitpid(self._pid, 0)
                    break
                time.sleep(0.01)
            self._pid = None


def _close_fds_except(*keep: int) -> None:
    """Close every inherited descriptor above stderr except ``keep`` (the
    worker's pool pipes above all)."""
    top = min(os.sysconf("SC_OPEN_MAX"), 65536)
    start = 3
    for fd in sorted(keep):
        os.closerange(start, fd)
        start = fd + 1
    os.closerange(start, top)


class ForkProvisioner(LocalProvisioner):
    """A provisioner whose ``launch_kernel`` forks the zygote instead of spawning Python."""

    zygote: Zygote | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        """Fork a kernel for this manager's connection file."""
        assert self.zygote is not None, "set ForkProvisioner.zygote first"
        assert self.parent is not None, "a provisioner is made by its kernel manager"
        connection_file = self.parent.connection_file
        pid = self.zygote.fork(connection_file)
        # jupyter_client types ``process`` as a Popen; ForkedProcess has the part of Popen it uses
        self.process = ForkedProcess(pid)  # type: ignore[assignment]
        self.pid = pid
        self.pgid = pid  # each kernel leads its own process group (setsid in the child)
        return self.connection_info


def serve(requests: Any = None, answers: Any = None) -> None:
    """The zygote's loop: import and warm everything, then fork one
    kernel per connection-file line."""
    from ipykernel.kernelapp import IPKernelApp  # noqa: F401 - imported here so every fork has it

    import jdkit.notebook
    import jdkit.templating

    import_kernel_modules()  # already done when the zygote is a fork of a preloaded worker
    requests = requests or sys.stdin
    answers = answers or sys.stdout
    # compiled templates from the user's cache, as the batch's other processes
    jdkit.templating.use_user_cache()
    jdkit.notebook.warm()  # library caches only; no practice's code ever runs in the zygote
    freeze()  # every kernel forked shares the zygote's objects' pages
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reap themselves: no zombies
    zygote = os.getpid()
    answers.write("ready\n")
    answers.flush()
    for line in requests:
        connection_file = line.strip()
        if not connection_file:
            continue
        pid = os.fork()
        if pid == 0:
            _child(connection_file, zygote)
        answers.write(f"{pid}\n")
        answers.flush()


def _child(connection_file: str, zygote: int) -> None:
    """Become a kernel: own session and process group, no pipes to the worker, then serve."""
    try:
        from ..lifeline import die_with_parent

        # Killed with the zygote (so with its worker), even while busy in a
        # practice's cell; ipykernel's own poller (parent_handle below)
        # only looks once a second and only once the kernel is up.
        die_with_parent(signal.SIGKILL, zygote)
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        _close_fds_except()  # not the zygote's pipes: only the zygote may answer the worker
        sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the kernel
        unblock()  # the practice's own code may import them
        from ipykernel.kernelapp import IPKernelApp
        from traitlets.config import Config

        app = IPKernelApp.instance()
        config = Config(KERNEL_CONFIG)
        config.IPKernelApp.update(connection_file=connection_file, parent_handle=os.getppid())
        app.update_config(config)  # applied as command-line options are: over any config file
        skip_command_line(app)  # nothing to parse: see KERNEL_CONFIG
        app.initialize([])  # type: ignore[no-untyped-call]
        app.start()  # type: ignore[no-untyped-call]
    finally:
        os._exit(0)
