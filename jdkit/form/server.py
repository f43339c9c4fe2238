"""Serve the form: Voila (or JupyterLab) on 127.0.0.1, as a child process jdkit can stop cleanly.

The server runs in its own session, so Ctrl-C reaches only ``jdkit form``, which then
asks the server to stop (SIGTERM: Voila and Jupyter shut their kernels down) and waits.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import JdkitError

__all__ = ["FormServer", "notebook_path", "free_port", "start_server"]

HOST = "127.0.0.1"


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


@dataclass
class FormServer:
    """A running form server: its process and the URL to open."""

    process: subprocess.Popen[bytes]
    url: str

    def wait(self) -> int:
        """Wait until the server exits; return its exit code."""
        return self.process.wait()

    def stop(self, timeout: float = 15.0) -> int:
        """Ask the server to stop (SIGTERM), wait up to ``timeout`` seconds, then kill it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait()


def start_server(*, port: int | None = None, lab: bool = False, workdir: str | os.PathLike[str] = ".",
                 startup_timeout: float = 60.0) -> FormServer:
    """Start Voila (or JupyterLab with ``lab``) on 127.0.0.1 serving the form; return once it listens.

    The form saves under ``workdir`` (passed to the kernel as ``JDKIT_FORM_DIR``).
    """
    if port is None:
        port = free_port()
    elif _port_taken(port):
        raise JdkitError(f"port {port} on {HOST} is already in use", field="--port",
                         hint="pick another with --port, or leave --port out to use a free one")
    notebook = notebook_path()
    env = {**os.environ, "JDKIT_FORM_DIR": str(Path(workdir).resolve())}
    if lab:
        token = secrets.token_urlsafe(24)
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.ip={HOST}",
                   f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
                   f"--ServerApp.root_dir={notebook.parent}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        url = f"http://{HOST}:{port}/lab/tree/{notebook.name}?token={token}"
    else:
        command = [sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}",
                   f"--Voila.ip={HOST}", "--Voila.port_retries=0"]
        url = f"http://{HOST}:{port}/"
    process = subprocess.Popen(command, env=env, cwd=workdir, stdin=subprocess.DEVNULL, start_new_session=True)
    server = FormServer(process, url)
    deadline = time.monotonic() + startup_timeout
    while not _listening(port):
        if process.poll() is not None:
            raise JdkitError(f"the form server exited at start-up with code {process.returncode}", field="form",
                             hint="see its messages above; check that voila and jupyterlab are installed "
                                  "(pip install 'jdkit[notebook]')")
        if time.monotonic() > deadline:
            server.stop()
            raise JdkitError(f"the form server did not listen on port {port} within {startup_timeout:.0f} s",
                             field="form", hint="see its messages above")
        time.sleep(0.1)
    return server


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0
