"""How the batch's kernels and processes are set up: defined once, read by every runner.

A kernel forked from a zygote (``jdkit.batch.fork``) takes ``KERNEL_CONFIG`` as config; a
spawned one (``JDKIT_NO_FORK``, another kernel name) takes the same settings as a command
line (``kernel_args``), and warms jdkit while it boots.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
import threading
from collections.abc import Iterator

__all__ = [
    "KERNEL_CONFIG",
    "KERNEL_MODULES",
    "BLOCKED",
    "ENGINE",
    "START_TIMEOUT",
    "kernel_args",
    "block_unused",
    "unblock",
    "import_kernel_modules",
    "safe_path",
    "safe_env",
    "forget_safe_path",
    "freeze",
]

# Every batch kernel: no IPython history database (never read in a batch), quiet logs.
KERNEL_CONFIG: dict[str, dict[str, object]] = {
    "HistoryManager": {"enabled": False},
    # ignore_cwd: IPython would put the working directory on sys.path, where a folder of the
    # user's named jdkit (or yaml, ...) would be imported instead of the package
    "IPKernelApp": {"log_level": "ERROR", "ignore_cwd": True},
}
# What a kernel would otherwise import after each fork (~0.14 s of CPU per kernel when debugpy
# was among them): imported once in the zygote instead. Only a speed hint: the kernel imports
# anything missing.
KERNEL_MODULES = (
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "IPython.core.debugger",
    "IPython.core.completerlib",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "tornado.queues",
    "tornado.locks",
    "tornado.platform.asyncio",
    "http.server",
    "xmlrpc.server",
)
# Never needed in the batch's own processes (nor in jdkit form's Voila process, jdkit.form.child,
# which blocks them too), so blocked there before anything imports them:
# jsonschema's optional format checkers, which notebook schemas never use (rfc3987_syntax
# alone builds a parser grammar at import, ~3 s here), and debugpy, as nobody attaches a
# debugger to a batch kernel. Each kernel unblocks them for the practice's own code.
BLOCKED = (
    "debugpy",
    "rfc3987_syntax",
    "isoduration",
    "rfc3986_validator",
    "uri_template",
    "webcolors",
    "fqdn",
)
ENGINE = "jdkit"  # the papermill engine name of the fast path (jdkit.batch.kernels)
START_TIMEOUT = 60.0  # seconds for a kernel to answer, as papermill's default


def kernel_args(*, warm: bool = True) -> list[str]:
    """``KERNEL_CONFIG`` as a kernel command line; with ``warm``, the kernel also imports and
    warms what the cells use while it boots (``jdkit.notebook.warm``: library caches only)."""
    args = [
        f"--{section}.{key}={value}"
        for section, values in KERNEL_CONFIG.items()
        for key, value in values.items()
    ]
    # a spawned kernel started under safe_path: the user's environment again for the cells
    line = "import jdkit.batch.settings as _jdkit_s; _jdkit_s.forget_safe_path(); "
    if warm:
        line += "import jdkit.notebook as _jdkit_warm; _jdkit_warm.warm(); del _jdkit_warm; "
    args.append(f"--IPKernelApp.exec_lines={line}del _jdkit_s")
    return args


def block_unused() -> None:
    """Block ``BLOCKED`` in this process (those already imported stay)."""
    for name in BLOCKED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]  # None blocks an import


def unblock() -> None:
    """Undo ``block_unused`` (a kernel, before the practice's own code runs)."""
    for name in BLOCKED:
        if name in sys.modules and sys.modules[name] is None:
            del sys.modules[name]


def import_kernel_modules() -> None:
    """Import what a kernel would otherwise import after each fork (``KERNEL_MODULES``)."""
    # debugpy's frozen-modules warning, on import
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    for name in KERNEL_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # another ipykernel version: that kernel imports what it needs itself
            pass


_SAFE_PATH_SET = "JDKIT_SAFE_PATH_SET"  # PYTHONSAFEPATH is ours (safe_path), not the user's


def safe_env() -> dict[str, str]:
    """This process's environment as ``safe_path`` sets it, for a process started with its own
    ``env`` (a spawned kernel)."""
    if os.environ.get("PYTHONSAFEPATH"):
        return dict(os.environ)
    return {**os.environ, "PYTHONSAFEPATH": "1", _SAFE_PATH_SET: "1"}


# safe_path's users in this process (threads of one worker running papermill): the first sets
# the variables, the last removes them, so no thread removes them while another's kernel starts
_safe_path_lock = threading.Lock()
_safe_path = {"users": 0, "ours": False}


@contextlib.contextmanager
def safe_path() -> Iterator[None]:
    """``PYTHONSAFEPATH=1`` for the Python processes started inside: ``python -c`` then leaves the
    working directory off their ``sys.path``, so a folder of the user's named ``jdkit`` there is
    never imported instead of jdkit (the forkserver's command line is CPython's own, ``-c`` with
    no ``-P``, and 3.11's forkserver ignores the parent's ``sys.path``). The process started
    calls ``forget_safe_path`` so what it starts in turn sees the user's environment.

    Threads may nest it (each papermill run of a thread pool): the variables stay set until the
    last one leaves; a ``PYTHONSAFEPATH`` of the user's own is left as it is. Other threads' child
    processes started meanwhile see the variables too (harmless: they only keep the working
    directory off a Python child's path); prefer ``safe_env`` where a start takes an ``env``."""
    with _safe_path_lock:
        if _safe_path["users"] == 0:
            _safe_path["ours"] = not os.environ.get("PYTHONSAFEPATH")
            if _safe_path["ours"]:
                os.environ["PYTHONSAFEPATH"] = os.environ[_SAFE_PATH_SET] = "1"
        _safe_path["users"] += 1
    try:
        yield
    finally:
        with _safe_path_lock:
            _safe_path["users"] -= 1
            if _safe_path["users"] == 0 and _safe_path["ours"]:
                os.environ.pop("PYTHONSAFEPATH", None)
                os.environ.pop(_SAFE_PATH_SET, None)


def forget_safe_path() -> None:
    """In a process started under ``safe_path``: remove the variables it set from this process's
    environment (its ``sys.path`` stays as it started)."""
    if os.environ.pop(_SAFE_PATH_SET, None):
        os.environ.pop("PYTHONSAFEPATH", None)


def freeze() -> None:
    """Move every object this process has made so far out of the collector's reach (``gc.freeze``).

    Called where a process has made all it keeps (three kinds of process):

    - a process that forks, once warm (the pool's forkserver, ``jdkit.batch.preload``; a kernel
      zygote, ``jdkit.batch.fork.serve``): a collection in a fork would write to every object
      it walks, copying the pages it shares with its parent; frozen, they stay shared;
    - the ``jdkit`` command, once everything is written (``jdkit.cli.main``): the interpreter's
      last collections skip what pandas, pydantic and nbconvert made (~0.3 s at the end of a
      batch).
    """
    gc.freeze()
