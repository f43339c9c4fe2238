"""jdkit.private_apis: every private or fragile dependency part jdkit uses still exists, and a
dependency outside the versions those uses were checked against fails here, by name."""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import os
import subprocess
import sys
from typing import Any

import nbformat
import pytest

from jdkit import private_apis


def test_every_installed_dependency_is_inside_the_checked_versions() -> None:
    assert private_apis.outside_checked() == []


def test_a_version_outside_its_range_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(private_apis.CHECKED, "papermill", "<1")
    (line,) = private_apis.outside_checked()
    assert line.startswith("papermill ") and "outside <1" in line and "widen the range" in line


def test_papermill_parts_are_all_there() -> None:
    parts = private_apis.papermill_parts()
    assert set(parts) == {
        "load_notebook_node",
        "parameterize_notebook",
        "prepare_notebook_metadata",
        "remove_error_markers",
        "raise_for_execution_errors",
        "papermill_engines",
        "NBClientEngine",
        "PapermillNotebookClient",
    }
    assert all(callable(v) or hasattr(v, "register") for v in parts.values())
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})]
    )
    nb = parts["load_notebook_node"](nb)  # adds papermill's metadata
    nb = parts["parameterize_notebook"](nb, {"x": 2}, kernel_name="python3", language="python")
    nb = parts["prepare_notebook_metadata"](nb, "in.yaml", "out.ipynb", False)
    assert nb.metadata.papermill["input_path"] == "in.yaml" and "x = 2" in nb.cells[1].source


def test_the_template_export_skips_the_html_exporters_second_pass() -> None:
    from jdkit.export.nbconvert import JdkitHTMLExporter

    cell = nbformat.v4.new_code_cell(
        "",
        metadata={"tags": ["jdkit-document"]},
        outputs=[
            nbformat.v4.new_output("display_data", {"text/html": '<p>x</p><img src="a.png">'})
        ],
    )
    html, resources = private_apis.template_export(
        JdkitHTMLExporter(), nbformat.v4.new_notebook(cells=[cell]), {}
    )
    assert '<img src="a.png">' in html  # HTMLExporter's own pass would have added alt text
    assert isinstance(resources, dict)


def test_skip_command_line_and_the_pool_pids() -> None:
    from ipykernel.kernelapp import IPKernelApp

    assert hasattr(IPKernelApp, "parse_command_line")
    app = IPKernelApp()
    private_apis.skip_command_line(app)
    assert app.parse_command_line(["--nonsense"]) is None
    with cf.ProcessPoolExecutor(1) as pool:
        assert pool.submit(os.getpid).result() in private_apis.pool_pids(pool)
        manager = private_apis.pool_manager(pool)
        assert manager is not None and manager.is_alive()
    assert private_apis.pool_pids(pool) == {} and private_apis.pool_manager(pool) is None
    assert not manager.is_alive()


def test_the_forkserver_pid_is_there_until_the_forkserver_is_stopped() -> None:
    from multiprocessing import forkserver

    forkserver.ensure_running()
    pid = private_apis.forkserver_pid()
    assert pid, "multiprocessing.forkserver no longer records its pid where jdkit reads it"
    os.kill(pid, 0)  # alive
    private_apis.stop_forkserver()
    assert private_apis.forkserver_pid() is None


def test_use_provisioner_sets_the_managers_provisioner() -> None:
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    km = AsyncKernelManager(kernel_name="python3")
    private_apis.use_provisioner(km, LocalProvisioner, marker="set")
    assert isinstance(km.provisioner, LocalProvisioner) and km.provisioner.parent is km
    assert km.provisioner.kernel_id == km.kernel_id and km.provisioner.marker == "set"


def test_the_html_resources_and_the_notebook_metadata_are_the_exporters_own() -> None:
    from nbconvert.exporters import HTMLExporter
    from nbconvert.exporters.exporter import Exporter, ResourcesDict

    from jdkit.export.nbconvert import JdkitHTMLExporter

    assert "_init_resources" in vars(HTMLExporter), (
        "nbconvert's HTMLExporter no longer has _init_resources"
    )
    exporter = JdkitHTMLExporter()
    resources = private_apis.html_resources(exporter, {"metadata": {"name": "doc"}})
    assert isinstance(resources, ResourcesDict)
    assert {"include_css", "theme", "deprecated", "output_extension"} <= set(
        resources
    )  # HTMLExporter's, TemplateExporter's, Exporter's
    assert resources["metadata"]["name"] == "doc"
    assert isinstance(Exporter()._nb_metadata, dict), (
        "nbconvert's Exporter no longer has _nb_metadata"
    )
    metadata = private_apis.notebook_metadata(exporter)
    assert metadata == {}
    nb = nbformat.v4.new_notebook(metadata={"widgets": {"state": {}}})
    exporter.from_notebook_node(nb, {"metadata": {"name": "doc"}})
    # the same dict, which the export filled in after the widgets filter was given it
    assert private_apis.notebook_metadata(exporter) is metadata and metadata["doc"]["widgets"] == {
        "state": {}
    }


def test_refuse_requests_answers_before_any_handler_and_handler_finished_follows_the_response(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tornado.httpclient
    import tornado.httpserver
    import tornado.netutil
    import tornado.web

    assert callable(tornado.web.Application.get_handler_delegate) and callable(
        tornado.web.ErrorHandler
    )
    # put back, after the test, the find_handler refuse_requests replaces for every application
    monkeypatch.setattr(
        tornado.web.Application, "find_handler", tornado.web.Application.find_handler
    )
    finished: list[bool] = []

    class Page(tornado.web.RequestHandler):
        def get(self) -> None:
            finished.append(private_apis.handler_finished(self))
            self.finish("page")
            finished.append(private_apis.handler_finished(self))

    async def fetch(host: str) -> tuple[int, bytes]:
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        server = tornado.httpserver.HTTPServer(tornado.web.Application([("/", Page)]))
        server.add_sockets(sockets)
        try:
            reply = await tornado.httpclient.AsyncHTTPClient().fetch(
                f"http://127.0.0.1:{sockets[0].getsockname()[1]}/",
                headers={"Host": host},
                raise_error=False,
            )
            return reply.code, reply.body
        finally:
            server.stop()

    private_apis.refuse_requests(lambda request: request.host != "allowed:1", status_code=403)
    assert asyncio.run(fetch("allowed:1")) == (200, b"page")
    assert finished == [False, True], (
        "tornado's RequestHandler no longer records _finished where jdkit reads it"
    )
    code, _ = asyncio.run(fetch("refused:1"))
    assert code == 403 and finished == [False, True]  # the page's handler never ran


def test_after_voila_prepare_runs_the_hook_after_voilas_own_prepare(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tornado.web
    from voila.tornado.handler import TornadoVoilaHandler

    # the handler the hook gets is tornado's, so handler_finished and xsrf_token apply to it
    assert issubclass(TornadoVoilaHandler, tornado.web.RequestHandler)
    assert callable(TornadoVoilaHandler.prepare), (
        "voila's TornadoVoilaHandler no longer has prepare"
    )
    calls: list[tuple[Any, ...]] = []

    async def coroutine_prepare(self: Any, *args: Any, **kwargs: Any) -> str:
        calls.append(("prepare", self, args, kwargs))
        return "done"

    def plain_prepare(self: Any) -> None:
        calls.append(("prepare", self))

    handler = object()
    # put the real prepare back after the test, as after_voila_prepare replaces it on the class
    monkeypatch.setattr(TornadoVoilaHandler, "prepare", coroutine_prepare)
    private_apis.after_voila_prepare(lambda h: calls.append(("hook", h)))
    assert asyncio.run(TornadoVoilaHandler.prepare(handler, 1, k=2)) == "done"
    assert calls == [("prepare", handler, (1,), {"k": 2}), ("hook", handler)]
    calls.clear()
    monkeypatch.setattr(TornadoVoilaHandler, "prepare", plain_prepare)
    private_apis.after_voila_prepare(lambda h: calls.append(("hook", h)))
    assert asyncio.run(TornadoVoilaHandler.prepare(handler)) is None
    assert calls == [("prepare", handler), ("hook", handler)]


def test_importing_private_apis_imports_neither_tornado_nor_voila() -> None:
    code = "import sys, jdkit.private_apis; print(sorted(m for m in ('tornado', 'voila') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
