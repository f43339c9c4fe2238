"""Process lifetimes of ``jdkit batch``: every process it starts ends with it, however it ends.

- ``stop_on_signals``: SIGTERM and SIGHUP (a closed terminal) stop the batch as Ctrl-C does,
  raising ``StopSignal`` (a ``KeyboardInterrupt`` that knows its signal) in the main thread.
- ``die_with_parent``: on Linux, ask the kernel to signal this process when its parent ends
  (``prctl(PR_SET_PDEATHSIG)``), so a batch killed outright (SIGKILL) takes its workers,
  zygotes and kernels with it. The setting is per process and is cleared by ``fork``, so each
  process sets its own; it fires when the parent *thread* that forked us ends, so it is only
  used where that thread is the parent's main one.
- ``sweep``: the files a killed batch could not remove (kernel connection files and IPC
  sockets in the Jupyter runtime folder, the workers' ledger) are removed by the next run,
  as their names carry the pid of the process that owned them.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

__all__ = [
    "StopSignal",
    "stop_on_signals",
    "die_with_parent",
    "alive",
    "runtime_name",
    "sweep",
    "LEDGER_PREFIX",
]

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# tempfile folder of a batch's workers' ledger: jdkit-batch-<pid>-...
LEDGER_PREFIX = "jdkit-batch-"
# Kernel files in the runtime folder: kernel-jdkit-<worker pid>-<hex>.json
# and jdkit-<pid>-<hex>-<port> (IPC).
_RUNTIME_FILE = re.compile(r"^(?:kernel-)?jdkit-(\d+)-[0-9a-f]+(?:-\d+|\.json)$")
_LEDGER_DIR = re.compile(rf"^{re.escape(LEDGER_PREFIX)}(\d+)-")


class StopSignal(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP: the batch stops (``signum`` says which)."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def stop_on_signals() -> Callable[[], None]:
    """In the main thread: SIGINT, SIGTERM and SIGHUP all raise ``StopSignal`` once; return the
    function that puts the previous handlers back (a test or notebook process lives on).

    SIGINT too, as a shell starts a background job with SIGINT ignored. After the first signal
    the others are ignored, so a second Ctrl-C cannot cut the clean-up short (SIGKILL still can).
    Outside the main thread (where Python cannot set handlers) nothing changes.
    """
    signums = [
        getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
    ]
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(signum: int, _frame: FrameType | None) -> None:
        for each in signums:
            signal.signal(each, signal.SIG_IGN)
        raise StopSignal(signum)

    # (no SIGHUP on Windows)
    previous = {signum: signal.signal(signum, handler) for signum in signums}

    def restore() -> None:
        for signum, old in previous.items():
            signal.signal(signum, old)

    return restore


def alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (a zombie counts as gone only once reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process took the pid: ours is gone
        return False
    return True


def die_with_parent(
    signum: int, parent: int | None = None, *, on_loss: Callable[[], None] | None = None
) -> None:
    """Get ``signum`` when this process's parent ends; if ``parent`` (a
    pid) is already gone, end now.

    Linux: ``prctl(PR_SET_PDEATHSIG)``. Elsewhere, or if it fails, a daemon thread polls the
    parent pid twice a second. ``on_loss`` runs instead of raising the signal when the parent
    was already gone (the race between our fork and the call).
    """
    original = os.getppid() if parent is None else parent
    armed = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
        except (OSError, AttributeError):  # no libc prctl: the thread below does it
            armed = False

    def lost() -> None:
        if on_loss is not None:
            on_loss()
        os.kill(os.getpid(), signum)

    if os.getppid() != original:  # the parent ended before the call above: it will never signal us
        lost()
        return
    if not armed:

        def watch() -> None:
            while os.getppid() == original:
                time.sleep(0.5)
            lost()

        threading.Thread(target=watch, name="jdkit-parent-watch", daemon=True).start()


def runtime_name(owner: int, token: str) -> str:
    """The stem of a kernel's files in the runtime folder, carrying the owning worker's pid."""
    return f"jdkit-{owner}-{token}"


def sweep(runtime_dir: str | os.PathLike[str] | None = None) -> int:
    """Remove what dead batches left: kernel files whose worker pid is
    gone, ledgers of gone batches.

    Return how many entries were removed. Files of live processes, and everything not named
    by jdkit, are left alone.
    """
    if runtime_dir is None:
        from jupyter_core.paths import jupyter_runtime_dir

        runtime_dir = jupyter_runtime_dir()
    removed = 0
    checked: dict[int, bool] = {}

    def gone(pid: int) -> bool:
        if pid not in checked:
            checked[pid] = not alive(pid)
        return checked[pid]

    for folder, pattern in (
        (Path(runtime_dir), _RUNTIME_FILE),
        (Path(tempfile.gettempdir()), _LEDGER_DIR),
    ):
        try:
            entries = list(os.scandir(folder))
        except OSError:  # no runtime folder yet: nothing to sweep
            continue
        for entry in entries:
            match = pattern.match(entry.name)
            if not match or not gone(int(match.group(1))):
                continue
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
                removed += 1
    return removed
