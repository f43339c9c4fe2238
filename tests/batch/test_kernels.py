"""The batch's moving parts: spare kernels, the pool's forkserver, and when the pool is released."""

from __future__ import annotations

import concurrent.futures as cf
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import psutil
import pytest
from jupyter_core.paths import jupyter_runtime_dir
from jupyter_core.utils import run_sync

from jdkit.batch.kernels import KernelPool
from jdkit.batch.pool import start_server, stop_server
from jdkit.batch.publish import collect as _outcomes
from jdkit.batch.records import Outcome
from jdkit.batch.settings import BLOCKED
from jdkit.lifeline import runtime_name
from jdkit.private_apis import forkserver_pid

from ..conftest import PARAMS, ROOT


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _kernel_files() -> set[str]:
    """The connection files of this process's kernels (jdkit.lifeline.runtime_name) in the runtime folder."""
    return {
        str(p)
        for p in Path(jupyter_runtime_dir()).glob(f"kernel-{runtime_name(os.getpid(), '*')}.json")
    }


@pytest.mark.slow
def test_take_starts_a_spare_only_when_asked() -> None:
    before = _kernel_files()
    pool = KernelPool()
    try:
        km, kc = pool.take(spare=True)
        spares = _kernel_files() - before - {km.connection_file}
        assert len(spares) == 1  # the next practice's kernel is already booting
        pool.retire(km, kc)
        km, kc = pool.take(spare=False)  # the last practice: no kernel started after it
        assert {km.connection_file} == spares and _kernel_files() - before == spares
        printed: list[str] = []
        code = (
            "import os; app = get_ipython().kernel.parent\n"
            "print(get_ipython().history_manager.enabled, app.log_level, app.parent_handle, os.getppid())"
        )
        reply = run_sync(kc.execute_interactive)(  # an async client
            code, timeout=30, output_hook=lambda msg: printed.append(msg["content"].get("text", ""))
        )
        assert reply["content"]["status"] == "ok"
        # settings.KERNEL_CONFIG took effect without a command line: no history, quiet, tied to its zygote
        enabled, level, handle, parent = "".join(printed).split()
        assert [enabled, level, handle] == ["False", "40", parent]
        zygote = psutil.Process(
            int(parent)
        )  # the kernel's parent: the pool's zygote, a child of this process
        assert zygote.pid != os.getpid() and zygote.ppid() == os.getpid()
        pool.retire(km, kc)
        km, kc = pool.take()  # a later practice still gets a kernel, started on demand
        assert km.provisioner.pid and _alive(km.provisioner.pid)
        pool.retire(km, kc)
    finally:
        pool.close()


@pytest.mark.slow
def test_a_batch_kernel_may_import_what_the_batch_processes_block(tmp_path: Path) -> None:
    """jdkit.batch.preload blocks debugpy and jsonschema's format modules in the forkserver; kernels unblock them."""
    nb = nbformat.read(ROOT / "notebooks" / "job_description.ipynb", as_version=4)
    code = "import debugpy, isoduration, webcolors\nprint('imported', debugpy.__name__, isoduration.__name__)"
    nb.cells.append(nbformat.v4.new_code_cell(code, metadata={"tags": ["jdkit-internal"]}))
    notebook = tmp_path / "imports.ipynb"
    nbformat.write(nb, notebook)
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            str(Path(sys.executable).parent / "jdkit"),
            "batch",
            str(PARAMS / "lone-star-pediatrics.yaml"),
            "--out",
            str(out),
            "--to",
            "html",
            "--notebook",
            str(notebook),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    executed = nbformat.read(next(out.glob("*/*.ipynb")), as_version=4)
    assert "imported debugpy isoduration" in executed.cells[-1].outputs[0]["text"]
    assert set(BLOCKED) >= {"debugpy", "isoduration", "webcolors"}


def test_stop_server_kills_an_early_forkserver_and_it_can_start_again() -> None:
    start_server()
    pid = forkserver_pid()
    assert pid and _alive(pid)
    stop_server()  # at once, even while it is still importing
    assert forkserver_pid() is None and not _alive(pid)
    stop_server()  # twice is harmless
    start_server()
    again = forkserver_pid()
    assert again and again != pid and _alive(again)
    stop_server()


def test_cli_batch_with_nothing_to_run_leaves_no_forkserver(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from jdkit.cli import cli

    result = runner.invoke(
        cli, ["batch", str(tmp_path / "no-such.yaml"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1 and "no-such.yaml" in result.output
    assert forkserver_pid() is None


class _Printer:
    """Prints nothing until told to: the jobs stay pending while the workers finish."""

    def __init__(self) -> None:
        self.jobs: list[cf.Future[bytes]] = []
        self.released = False

    def submit(self, html: str, *, paper: str) -> cf.Future[bytes]:
        job: cf.Future[bytes] = cf.Future()
        job.seconds = 0.0  # type: ignore[attr-defined]
        if (
            self.released
        ):  # submitted after the pool was released: done at once (the test fails, not hangs)
            job.set_result(b"%PDF")
        self.jobs.append(job)
        return job


def test_workers_done_is_called_once_before_the_last_prints() -> None:
    futures: dict[cf.Future[Outcome], str] = {}
    for slug in ("a", "b"):
        future: cf.Future[Outcome] = cf.Future()
        future.set_result(
            Outcome(slug, True, files={".ipynb": b"{}"}, prints={".pdf": f"<p>{slug}</p>"})
        )
        futures[future] = slug
    printer, calls = _Printer(), []

    def workers_done() -> None:
        calls.append([job.done() for job in printer.jobs])
        printer.released = True
        for job in printer.jobs:  # the prints finish only after the pool was released
            job.set_result(b"%PDF")

    outcomes = list(_outcomes(futures, printer, "Letter", workers_done))
    assert calls == [[False, False]]
    assert sorted(o.slug for o in outcomes) == ["a", "b"] and all(
        o.files[".pdf"] == b"%PDF" for o in outcomes
    )
