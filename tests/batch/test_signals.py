"""``jdkit batch`` stopped by a signal, or losing a worker: nothing left running, nothing lost.

Each test starts a real ``jdkit batch`` in its own session (SIGINT restored, as a shell's
background job would have it ignored), with an environment marker that every process it
starts inherits, and its own Jupyter runtime folder. Processes are found by the marker and
by descent (a snapshot taken before the signal: after SIGKILL the orphans have new parents).
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import psutil
import pytest

from ..conftest import PARAMS, PROBE_CELL, ROOT, practice_file

pytestmark = pytest.mark.slow
JDKIT = str(Path(sys.executable).parent / "jdkit")
EXAMPLES = sorted(PARAMS.glob("*.yaml"))
MARKER = "JDKIT_TEST_MARKER"

# Appended after conftest's probe cell: a practice named "Killing ..." SIGKILLs the worker process
# running it, as the OOM killer would. The kernel is not the worker: in the fast path it is forked
# by the worker's zygote (kernel -> zygote -> worker), in the reference path (JDKIT_NO_FORK) the
# worker starts it (kernel -> worker); either way the worker is the forkserver's child, the
# process two steps below `jdkit batch`. With JDKIT_TEST_KILL_ONCE (a file path), only the first
# attempt kills: the file marks that it happened.
KILL_CELL = """import os, signal, time
import psutil
once = os.environ.get("JDKIT_TEST_KILL_ONCE")
if practice["name"].startswith("Killing") and not (once and os.path.exists(once)):
    if once:
        open(once, "w").close()
    chain = [psutil.Process(), *psutil.Process().parents()]
    def is_batch(p):
        cmd = p.cmdline()
        return len(cmd) > 2 and cmd[1].endswith("jdkit") and cmd[2] == "batch"
    worker = next(p for i, p in enumerate(chain) if i + 2 < len(chain) and is_batch(chain[i + 2]))
    os.kill(worker.pid, signal.SIGKILL)
    time.sleep(60)
"""


@pytest.fixture(scope="module")
def notebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped notebook plus conftest's probe cell (Hanging, Raising) and the kill cell."""
    nb = nbformat.read(ROOT / "notebooks" / "job_description.ipynb", as_version=4)
    for code in (PROBE_CELL, KILL_CELL):
        nb.cells.append(nbformat.v4.new_code_cell(code, metadata={"tags": ["jdkit-internal"]}))
    path = tmp_path_factory.mktemp("signals") / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def _inputs(folder: Path, names: list[str]) -> Path:
    for index, name in enumerate(names):
        practice_file(folder, EXAMPLES[index % len(EXAMPLES)], name)
    return folder


def _restore_signals() -> None:
    """In the child before exec: the default dispositions a terminal's foreground job has."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def _as_background_job() -> None:
    """In the child before exec: as a shell starts a background job, SIGINT ignored."""
    _restore_signals()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Batch:
    """A ``jdkit batch`` subprocess with its marker, runtime folder and output files."""

    def __init__(
        self,
        tmp_path: Path,
        names: list[str],
        notebook: Path,
        *extra: str,
        background: bool = False,
        **env: str,
    ) -> None:
        self.marker = uuid.uuid4().hex
        self.out = tmp_path / "out"
        self.runtime = tmp_path / "runtime"
        self.runtime.mkdir()
        self.stderr_path = tmp_path / "stderr.txt"
        inputs = _inputs(tmp_path / "in", names)
        command = [
            JDKIT,
            "batch",
            str(inputs),
            "--out",
            str(self.out),
            "--notebook",
            str(notebook),
            *extra,
        ]
        if "--to" not in extra:
            command += ["--to", "html"]
        environment = {
            **os.environ,
            MARKER: self.marker,
            "JUPYTER_RUNTIME_DIR": str(self.runtime),
            **env,
        }
        # Files, not pipes: a process left behind would keep a pipe open and hang the test.
        with open(tmp_path / "stdout.txt", "wb") as stdout, open(self.stderr_path, "wb") as stderr:
            self.proc = subprocess.Popen(
                command,
                env=environment,
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,
                preexec_fn=_as_background_job if background else _restore_signals,
            )
        self.seen: set[psutil.Process] = set()

    def descendants(self) -> None:
        """Remember every process below the batch now (they keep their identity once orphaned)."""
        try:
            self.seen |= set(psutil.Process(self.proc.pid).children(recursive=True))
        except psutil.NoSuchProcess:
            pass

    def left(self) -> list[psutil.Process]:
        """Processes still running that descend from the batch or carry its marker."""
        found = {p for p in self.seen if _running(p)}
        for process in psutil.process_iter():
            try:
                if (
                    process.pid != self.proc.pid
                    and process.environ().get(MARKER) == self.marker
                    and _running(process)
                ):
                    found.add(process)
            except psutil.Error:  # gone meanwhile, or someone else's
                continue
        return sorted(found, key=lambda p: p.pid)

    def wait_left(self, seconds: float = 10.0) -> list[psutil.Process]:
        """The processes left once none is, or after ``seconds`` (the promise: gone within seconds)."""
        end = time.monotonic() + seconds
        while True:
            left = self.left()
            if not left or time.monotonic() > end:
                return left
            time.sleep(0.2)

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def kernel_files(self) -> list[str]:
        return sorted(os.listdir(self.runtime))

    def summary(self) -> dict[str, dict[str, str]]:
        with open(self.out / "summary.csv", encoding="utf-8") as handle:
            return {row["practice"]: row for row in csv.DictReader(handle)}

    def kill_all(self) -> None:
        """Whatever happened: the batch's group, its session's stragglers and marked processes end."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass
        for process in self.left():
            try:
                process.kill()
            except psutil.Error:
                pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _cmdline(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:  # gone meanwhile
        return ""


def _ledgers(pid: int) -> list[str]:
    return [
        name for name in os.listdir(tempfile.gettempdir()) if name.startswith(f"jdkit-batch-{pid}-")
    ]


def _chromium() -> bool:
    from jdkit.errors import JdkitError
    from jdkit.export.pdf import find_chromium

    try:
        find_chromium()
    except JdkitError:
        return False
    return True


@pytest.mark.parametrize(
    ("signum", "to"),
    [
        (signal.SIGTERM, "html"),
        (signal.SIGHUP, "html"),
        (signal.SIGKILL, "html"),
        (signal.SIGINT, "html"),
        (signal.SIGKILL, "html,pdf"),
    ],
    ids=["SIGTERM", "SIGHUP", "SIGKILL", "SIGINT-background", "SIGKILL-pdf"],
)
def test_a_signalled_batch_leaves_no_process_and_no_kernel_file(
    signum: signal.Signals, to: str, tmp_path: Path, notebook: Path
) -> None:
    """SIGINT: sent to a batch started as a background job (SIGINT ignored), which still stops on it.
    With PDFs, the batch's browser (Playwright's driver and Chromium) is counted too."""
    if "pdf" in to and not _chromium():
        pytest.skip("no Chromium: the batch prints no PDF here")
    # More practices than workers, so some are still queued when the signal comes.
    names = [
        "Hanging Clinic",
        "Alder Clinic",
        "Birch Clinic",
        "Cedar Clinic",
        "Dogwood Clinic",
        "Elm Clinic",
        "Fir Clinic",
        "Gum Clinic",
    ]
    batch = Batch(
        tmp_path, names, notebook, "-j", "2", "--to", to, background=signum == signal.SIGINT
    )
    try:
        deadline = time.monotonic() + 300
        kernels_seen = False
        # Midway: a practice finished (stamped) while a kernel runs (the hanging one, at least).
        while time.monotonic() < deadline and batch.proc.poll() is None:
            batch.descendants()
            kernels_seen = kernels_seen or any(
                n.startswith("kernel-") for n in batch.kernel_files()
            )
            if kernels_seen and list(batch.out.glob("*/*.stamp.json")):
                break
            time.sleep(0.1)
        assert batch.proc.poll() is None, batch.stderr()[-3000:]
        batch.descendants()
        assert len(batch.seen) >= 5, (
            batch.seen
        )  # forkserver, resource tracker, 2 workers, zygotes, kernels
        # Workers still fork their zygotes (one thread when they do: the watch thread starts after).
        assert not [p for p in batch.seen if "kernelfork import serve" in _cmdline(p)]
        os.kill(batch.proc.pid, signum)
        code = batch.proc.wait(timeout=30)
        left = batch.wait_left(10)
        assert left == [], [(p.pid, _cmdline(p)[:200]) for p in left]
        assert batch.kernel_files() == []  # connection files and IPC sockets: removed
        assert _ledgers(batch.proc.pid) == []
        assert not list(batch.out.rglob("*.tmp"))  # no half-written file
        for stamp in batch.out.glob("*/*.stamp.json"):  # what finished is whole
            slug = stamp.name[: -len(".stamp.json")]
            assert (stamp.parent / f"{slug}.html").is_file() and (
                stamp.parent / f"{slug}.ipynb"
            ).is_file()
            assert "pdf" not in to or (stamp.parent / f"{slug}.pdf").is_file()
        if signum == signal.SIGKILL:
            assert code == -signal.SIGKILL
        else:
            assert code == 128 + signum
            lines = [
                line
                for line in batch.stderr().splitlines()
                if "interrupted" in line or "Traceback" in line
            ]
            assert lines == [
                f"interrupted ({signum.name}): stopped every worker and kernel; finished practices "
                "are kept, and running the same command again does the rest"
            ], batch.stderr()[-3000:]
    finally:
        batch.kill_all()


def test_a_killed_worker_fails_only_the_practice_it_ran(tmp_path: Path, notebook: Path) -> None:
    """Fast path (forked kernels): the worker dies on both attempts; the others finish."""
    names = [
        "Killing Clinic",
        "Alder Clinic",
        "Birch Clinic",
    ]  # one beside it in each pool, one queued
    batch = Batch(tmp_path, names, notebook, "-j", "2")
    try:
        code = batch.proc.wait(timeout=600)
        assert code == 1, batch.stderr()[-3000:]
        rows = batch.summary()
        assert {name: rows[name]["status"] for name in names} == {
            "Killing Clinic": "failed",
            "Alder Clinic": "ok",
            "Birch Clinic": "ok",
        }
        assert rows["Killing Clinic"]["reason"] == (
            "the worker running this practice was killed (SIGKILL); it had been retried once"
        )
        failed = [line for line in batch.stderr().splitlines() if line.startswith("failed:")]
        assert (
            len(failed) == 1 and "Killing Clinic" in failed[0] and "killed (SIGKILL)" in failed[0]
        )
        assert "BrokenProcessPool" not in batch.stderr()
        assert batch.wait_left(10) == []  # the killed workers' zygotes and kernels too
        assert batch.kernel_files() == []
    finally:
        batch.kill_all()


def test_a_practice_whose_worker_was_killed_once_succeeds_when_retried(
    tmp_path: Path, notebook: Path
) -> None:
    """Reference path (JDKIT_NO_FORK: kernels started by the worker): killed once, then fine."""
    once = tmp_path / "killed-once"
    names = ["Killing Once Clinic", "Alder Clinic"]
    batch = Batch(
        tmp_path, names, notebook, "-j", "2", JDKIT_NO_FORK="1", JDKIT_TEST_KILL_ONCE=str(once)
    )
    try:
        code = batch.proc.wait(timeout=600)
        assert code == 0, batch.stderr()[-3000:]
        assert once.exists()  # the first attempt did kill its worker
        rows = batch.summary()
        assert {name: rows[name]["status"] for name in names} == dict.fromkeys(names, "ok")
        slug = rows["Killing Once Clinic"]["slug"]
        assert (batch.out / slug / f"{slug}.html").is_file()
        assert batch.wait_left(10) == []
        assert batch.kernel_files() == []
    finally:
        batch.kill_all()
