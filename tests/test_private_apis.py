"""jdkit.private_apis: every private or fragile dependency part jdkit uses still exists, and a
dependency outside the versions those uses were checked against fails here, by name."""

from __future__ import annotations

import concurrent.futures as cf
import os

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
    assert set(parts) == {"load_notebook_node", "parameterize_notebook", "prepare_notebook_metadata",
                          "remove_error_markers", "raise_for_execution_errors", "papermill_engines",
                          "NBClientEngine", "PapermillNotebookClient"}
    assert all(callable(v) or hasattr(v, "register") for v in parts.values())
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})])
    nb = parts["load_notebook_node"](nb)  # adds papermill's metadata
    nb = parts["parameterize_notebook"](nb, {"x": 2}, kernel_name="python3", language="python")
    nb = parts["prepare_notebook_metadata"](nb, "in.yaml", "out.ipynb", False)
    assert nb.metadata.papermill["input_path"] == "in.yaml" and "x = 2" in nb.cells[1].source


def test_the_template_export_skips_the_html_exporters_second_pass() -> None:
    from jdkit.export.nbconvert import JdkitHTMLExporter

    cell = nbformat.v4.new_code_cell("", metadata={"tags": ["jdkit-document"]}, outputs=[
        nbformat.v4.new_output("display_data", {"text/html": '<p>x</p><img src="a.png">'})])
    html, resources = private_apis.template_export(JdkitHTMLExporter(), nbformat.v4.new_notebook(cells=[cell]), {})
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
