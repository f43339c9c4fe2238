"""Every use jdkit makes of a dependency's private or fragile parts, in one module.

The batch's fast path (``jdkit.batch``), the nbconvert exporter and ``jdkit form``'s Voila
process (``jdkit.form.child``) lean on parts of CPython, papermill, nbconvert, ipykernel,
jupyter_client, tornado and voila that are not their public API. Each is wrapped here, once,
and ``CHECKED`` records the versions each was checked against; tornado and voila are imported
only inside the functions that use them, so importing this module imports neither.
``tests/test_private_apis.py`` fails, naming the dependency, when an installed version is
outside its range: re-read the uses below against the new version, then widen the range. The
reference runner (``jdkit.batch.execute.PapermillRunner``) uses none of this.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from importlib import metadata
from typing import Any

from packaging.specifiers import SpecifierSet

__all__ = [
    "CHECKED",
    "outside_checked",
    "papermill_parts",
    "template_export",
    "html_resources",
    "notebook_metadata",
    "skip_command_line",
    "use_provisioner",
    "pool_manager",
    "pool_pids",
    "forkserver_pid",
    "stop_forkserver",
    "refuse_requests",
    "after_voila_prepare",
    "handler_finished",
]

# distribution -> the versions whose private parts used below were read and tested
CHECKED: dict[str, str] = {
    "python": ">=3.11,<3.14",  # multiprocessing.forkserver._forkserver, ProcessPoolExecutor
    "papermill": ">=2.6,<2.8",  # execute's helpers, engines, clientwrap
    # TemplateExporter.from_notebook_node below HTMLExporter's, HTMLExporter._init_resources,
    # Exporter._nb_metadata
    "nbconvert": ">=7.16,<8",
    "ipykernel": ">=6.29,<8",  # IPKernelApp.parse_command_line
    "jupyter_client": ">=8.6,<9",  # KernelManager.provisioner set before start_kernel
    # Application.find_handler replaced, get_handler_delegate, RequestHandler._finished
    "tornado": ">=6.6,<7",
    "voila": ">=0.5.13,<0.6",  # voila.tornado.handler.TornadoVoilaHandler.prepare replaced
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


def html_resources(exporter: Any, resources: dict[str, Any] | None) -> dict[str, Any]:
    """``exporter._init_resources(resources)`` (nbconvert's ``HTMLExporter._init_resources``): the
    ``ResourcesDict`` the HTML templates expect (``include_css``, ``theme``, the notebook's
    ``metadata``...), made as ``HTMLExporter.from_notebook_node`` makes it first. jdkit's
    ``JdkitHTMLExporter`` runs that method's steps itself, to leave out its BeautifulSoup pass
    (``template_export``), so it needs the same resources."""
    made: dict[str, Any] = exporter._init_resources(resources)  # private
    return made


def notebook_metadata(exporter: Any) -> dict[str, Any]:
    """An nbconvert exporter's ``_nb_metadata``: each converted notebook's metadata by its name,
    which ``WidgetsDataTypeFilter`` reads to find a notebook's widget state, as
    ``HTMLExporter.from_notebook_node`` gives it. The exporter's own dict, not a copy: the export
    that follows adds the notebook being converted to it, after the filter was made."""
    found: dict[str, Any] = exporter._nb_metadata  # private
    return found


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


def refuse_requests(refused: Callable[[Any], bool], status_code: int = 403) -> None:
    """Make every tornado ``Application`` in this process answer a request for which
    ``refused(request)`` is true with tornado's ``ErrorHandler`` (``status_code``), before any of
    its own handlers runs: ``jdkit form``'s Voila refuses each request whose ``Host`` is not a
    loopback name (no DNS rebinding). Voila and Jupyter build their applications themselves, so
    this replaces ``tornado.web.Application.find_handler``, where tornado routes each request,
    on the class (not an extension point tornado documents)."""
    import tornado.web

    original = tornado.web.Application.find_handler

    def find_handler(self: Any, request: Any, **kwargs: Any) -> Any:
        if refused(request):
            return self.get_handler_delegate(
                request, tornado.web.ErrorHandler, {"status_code": status_code}
            )
        return original(self, request, **kwargs)

    tornado.web.Application.find_handler = find_handler  # type: ignore[method-assign]


def after_voila_prepare(hook: Callable[[Any], None]) -> None:
    """Make ``hook(handler)`` run on each Voila page request once the handler's own ``prepare``
    (jupyter_server's: the login check, which may already have answered) has run, before the
    page is rendered: ``jdkit form`` sets Jupyter's ``_xsrf`` cookie there. Voila offers no hook
    for it, so this replaces ``voila.tornado.handler.TornadoVoilaHandler.prepare``, awaiting the
    original when it is a coroutine (as jupyter_server's is) and returning what it returned."""
    import inspect

    from voila.tornado.handler import TornadoVoilaHandler

    original = TornadoVoilaHandler.prepare

    async def prepare(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        hook(self)
        return result

    TornadoVoilaHandler.prepare = prepare


def handler_finished(handler: Any) -> bool:
    """Whether a tornado ``RequestHandler`` has finished its response (its private ``_finished``):
    true once ``finish``, ``redirect`` or ``send_error`` ran, as a ``prepare`` that refused the
    request does, after which the handler must set no more cookies or headers."""
    return bool(handler._finished)  # private
