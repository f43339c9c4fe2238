"""Serve the form: Voila (or JupyterLab) on 127.0.0.1, as a child process that cannot outlive jdkit.

The server runs in its own session, so Ctrl-C reaches only ``jdkit form``, which then
asks the server to stop (SIGTERM: Voila and Jupyter shut their kernels down) and waits.
If ``jdkit form`` dies instead, even by SIGKILL, the server notices (``jdkit.form.child``:
its standard input is a pipe from ``jdkit form``; on Linux also ``PR_SET_PDEATHSIG``) and
stops within seconds, and its kernels follow it.

A token is required by default (the URL printed carries it, as Jupyter's does), requests
must name a loopback host, and a page's kernel ends when the page closes (and, should that
request be lost, after a minute without a page).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import JdkitError

__all__ = ["FormServer", "notebook_path", "free_port", "start_server", "CULL_IDLE", "CULL_INTERVAL"]

HOST = "127.0.0.1"
CULL_IDLE = 60  # seconds: a kernel with no page for this long is shut down
CULL_INTERVAL = 10


def notebook_path() -> Path:
    """The form notebook shipped with the package (``notebooks/form.ipynb`` in the source tree)."""
    return Path(str(resources.files("jdkit.notebooks") / "form.ipynb"))


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _port_taken(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return True
    return False


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # not Linux: the pipe alone tells the child
        pass


@dataclass
class FormServer:
    """A running form server: its process, the URL to open, and the folder of its page template."""

    process: subprocess.Popen[bytes]
    url: str
    token: str = ""
    template_dir: Path | None = field(default=None, repr=False)

    def wait(self) -> int:
        """Wait until the server exits; return its exit code."""
        return self.process.wait()

    def stop(self, timeout: float = 15.0) -> int:
        """Ask the server to stop (SIGTERM), wait up to ``timeout`` seconds, then kill it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                code = self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                code = self.process.wait()
        else:
            code = self.process.wait()
        if self.process.stdin is not None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
        if self.template_dir is not None:
            shutil.rmtree(self.template_dir, ignore_errors=True)
        return code


def start_server(
    *,
    port: int | None = None,
    lab: bool = False,
    workdir: str | os.PathLike[str] = ".",
    token: bool = True,
    file: str | os.PathLike[str] | None = None,
    startup_timeout: float = 60.0,
) -> FormServer:
    """Start Voila (or JupyterLab with ``lab``) on 127.0.0.1 serving
    the form; return once it listens.

    The form saves under ``workdir`` (passed to the kernel as ``JDKIT_FORM_DIR``); ``file``
    is opened at start and may be saved to even outside ``workdir``. ``token=False`` serves
    without a token (any local user can then use the form).
    """
    if port is None:
        port = free_port()
    elif _port_taken(port):
        raise JdkitError(
            f"port {port} on {HOST} is already in use",
            field="port",
            hint="pick another with --port, or leave --port out to use a free one",
        )
    notebook = notebook_path()
    secret = secrets.token_urlsafe(24) if token or lab else ""
    env = {
        **os.environ,
        "JDKIT_FORM_DIR": str(Path(workdir).resolve()),
        "JDKIT_FORM_PARENT": str(os.getpid()),
    }
    if file is not None:
        env["JDKIT_FORM_FILE"] = str(Path(file).resolve())
    template_dir: Path | None = None
    if lab:
        command = [
            sys.executable,
            "-m",
            "jdkit.form.child",
            "--lab",
            "--no-browser",
            f"--ServerApp.ip={HOST}",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={secret}",
            f"--ServerApp.root_dir={notebook.parent}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        url = f"http://{HOST}:{port}/lab/tree/{notebook.name}?token={secret}"
    else:
        from ..inputs import MAX_BYTES  # as jdkit.params has it, without the models (~0.3 s)
        from .page import write_template

        template_dir = write_template(Path(tempfile.mkdtemp(prefix="jdkit-form-")), limit=MAX_BYTES)
        env["JUPYTER_PATH"] = os.pathsep.join(
            filter(None, [str(template_dir), os.environ.get("JUPYTER_PATH")])
        )
        env["JDKIT_FORM_TEMPLATE_DIR"] = str(template_dir)
        command = [
            sys.executable,
            "-m",
            "jdkit.form.child",
            str(notebook),
            "--no-browser",
            f"--port={port}",
            f"--Voila.ip={HOST}",
            "--Voila.port_retries=0",
            "--template=jdkit",
            f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE}",
            f"--MappingKernelManager.cull_interval={CULL_INTERVAL}",
        ]
        if secret:
            command.append(f"--token={secret}")
        url = f"http://{HOST}:{port}/" + (f"?token={secret}" if secret else "")
    process = subprocess.Popen(
        command,
        env=env,
        cwd=workdir,
        stdin=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    server = FormServer(process, url, secret, template_dir)
    deadline = time.monotonic() + startup_timeout
    while not _listening(port):
        if process.poll() is not None:
            server.stop()
            raise JdkitError(
                f"the form server exited at start-up with code {process.returncode}",
                field="form",
                hint="see its messages above; voila and jupyterlab come with jdkit: reinstall "
                "it (pip install --force-reinstall jdkit) if they are missing",
            )
        if time.monotonic() > deadline:
            server.stop()
            raise JdkitError(
                f"the form server did not listen on port {port} within {startup_timeout:.0f} s",
                field="form",
                hint="see its messages above",
            )
        time.sleep(0.1)
    return server


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0
