"""Every use jdkit makes of a dependency's private or fragile parts, in one module.

The batch's fast path (``jdkit.batch``) and the nbconvert exporter lean on parts of
CPython, papermill, nbconvert, ipykernel and jupyter_client that are not their public API.
Each is wrapped here, once, and ``CHECKED`` records the versions each was checked
against. ``tests/test_private_apis.py`` fails, naming the dependency, when an
installed version is outside its range: re-read the uses below against the new version,
then widen the range. The reference runner (``jdkit.batch.execute.PapermillRunner``) uses
none of this.
"""

from __future__ import annotations

import sys
import threading
from importlib import metadata
from typing import Any

from packaging.specifiers import SpecifierSet

__all__ = [
    "CHECKED",
    "outside_checked",
    "papermill_parts",
    "template_export",
    "skip_command_line",
    "use_provisioner",
    "pool_manager",
    "pool_pids",
    "forkserver_pid",
    "stop_forkserver",
]

# distribution -> the versions whose private parts used below were read and tested
CHECKED: dict[str, str] = {
    "python": ">=3.11,<3.14",  # multiprocessing.forkserver._forkserver, ProcessPoolExecutor
    "papermill": ">=2.6,<2.8",  # execute's helpers, engines, clientwrap
    "nbconvert": ">=7.16,<8",  # TemplateExporter.from_notebook_node below HTMLExporter's
    "ipykernel": ">=6.29,<8",  # IPKernelApp.parse_command_line
    "jupyter_client": ">=8.6,<9",  # KernelManager.provisioner set before start_kernel
}


def outside_checked() -> list[str]:
    """One line per dependency whose installed version is outside ``CHECKED``; empty when all
    are inside."""
    found = []
    for name, wanted in CHECKED.items():
        version = (
            ".".join(map(str, sys.version_info[:3])) if name == "python" else metadata.version(name)
        )
        if version not in SpecifierSet(wanted):
            found.append(
                f"{name} {version} is outside {wanted}, the versions jdkit.private_apis was "
                f"checked against: re-read its {name} uses, then widen the range"
            )
    return found


def papermill_parts() -> dict[str, Any]:
    """papermill's own execute steps, taken apart so the batch runs them on a kernel it started:
    ``load_notebook_node``, ``parameterize_notebook``, ``prepare_notebook_metadata``,
    ``remove_error_markers``, ``raise_for_execution_errors`` (papermill.execute),
    ``papermill_engines``, ``NBClientEngine`` and ``PapermillNotebookClient``."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.execute import (
        prepare_notebook_metadata,
        raise_for_execution_errors,
        remove_error_markers,
    )
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    return {
        "load_notebook_node": load_notebook_node,
        "parameterize_notebook": parameterize_notebook,
        "prepare_notebook_metadata": prepare_notebook_metadata,
        "remove_error_markers": remove_error_markers,
        "raise_for_execution_errors": raise_for_execution_errors,
        "papermill_engines": papermill_engines,
        "NBClientEngine": NBClientEngine,
        "PapermillNotebookClient": PapermillNotebookClient,
    }


def template_export(
    exporter: Any, nb: Any, resources: dict[str, Any], **kw: Any
) -> tuple[str, dict[str, Any]]:
    """``TemplateExporter.from_notebook_node`` called on an ``HTMLExporter`` subclass: the
    template's output without HTMLExporter's BeautifulSoup pass over it (~60 ms a document)."""
    from nbconvert.exporters import TemplateExporter

    body, resources = TemplateExporter.from_notebook_node(exporter, nb, resources, **kw)
    return str(body), resources


def skip_command_line(app: Any) -> None:
    """Make an ``IPKernelApp`` parse no command line: its config is given whole (parsing makes
    traitlets build an argparse parser of every class, ~12 ms a kernel)."""
    app.parse_command_line = lambda argv=None: None


def use_provisioner(km: Any, provisioner_class: type, **attributes: Any) -> None:
    """Give the kernel manager ``km`` a provisioner of ``provisioner_class`` before
    ``start_kernel`` (jupyter_client would otherwise make one from the kernel spec)."""
    import uuid

    km.kernel_id = str(uuid.uuid4())
    km.provisioner = provisioner_class(
        kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km
    )
    for name, value in attributes.items():
        setattr(km.provisioner, name, value)


def pool_pids(pool: Any) -> dict[int, Any]:
    """A ``ProcessPoolExecutor``'s worker processes by pid (its ``_processes``; empty once
    shut down)."""
    return dict(getattr(pool, "_processes", None) or {})


def pool_manager(pool: Any) -> threading.Thread | None:
    """A ``ProcessPoolExecutor``'s manager thread (its ``_executor_manager_thread``; None once
    ``shutdown`` let go of it, or before the first submit)."""
    thread = getattr(pool, "_executor_manager_thread", None)
    return thread if isinstance(thread, threading.Thread) else None


def forkserver_pid() -> int | None:
    """The pid of CPython's one forkserver (its ``_forkserver_pid``); None when none is running."""
    from multiprocessing import forkserver

    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)  # private
    return pid if isinstance(pid, int) else None


def stop_forkserver() -> None:
    """Kill CPython's one forkserver, even while it is still importing its preload, so a later
    ``ensure_running`` starts a new one. Idempotent."""
    import os
    import signal
    from multiprocessing import forkserver

    server = forkserver._forkserver  # private
    pid = forkserver_pid()
    if pid:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:  # already gone
            pass
        server._stop()  # type: ignore[attr-defined]  # private, so not in typeshed
