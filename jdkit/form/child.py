"""The Voila process behind ``jdkit form``: it ends when ``jdkit form`` ends, however that ends.

Run as ``python -m jdkit.form.child VOILA_ARGS...`` (or ``--lab LAB_ARGS...``) by
``jdkit.form.server``, with its standard input a pipe whose other end only ``jdkit form`` holds.
When that end closes (``jdkit form`` exited, was killed, even by SIGKILL) the read returns and this
process stops Voila as SIGTERM does (Voila shuts its kernels down); if that takes more than a few
seconds it exits anyway, and the kernels, which poll for their parent, follow. On Linux the parent
also sets ``PR_SET_PDEATHSIG`` so the kernel sends SIGTERM at once.

Before Voila or Jupyter is imported, the modules they never need here are blocked
(``jdkit.batch.settings.block_unused``: jsonschema's optional format checkers, which
``jupyter_events`` would otherwise import, ``rfc3987_syntax`` alone building a grammar for
~3-4 s, and debugpy).

Two guards go into Voila here, through ``jdkit.private_apis``: every request whose ``Host`` is
not a loopback name or address is refused (403) before any handler runs (no DNS rebinding), and
the page sets Jupyter's ``_xsrf`` cookie, so the page can end its kernel when it closes.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import signal
import sys
import threading
import time
from typing import Any

__all__ = ["main", "loopback_host"]

GRACE = 5.0  # seconds Voila gets to shut its kernels down once the parent is gone


def loopback_host(host: str) -> bool:
    """True for a ``Host`` header naming this machine's loopback: 127.x.y.z,
    [::1] or localhost, any port."""
    match = re.match(r"^(\[[^\]]*\]|[^:]*)(:\d+)?$", host.strip())
    if not match:
        return False
    name = match.group(1).strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _watch_parent() -> None:
    try:
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    os.kill(os.getpid(), signal.SIGTERM)  # as if jdkit form had asked: Voila ends its kernels
    time.sleep(GRACE)
    _cleanup()
    os._exit(0)


def _cleanup() -> None:
    folder = os.environ.get("JDKIT_FORM_TEMPLATE_DIR")
    if folder and os.path.basename(folder).startswith("jdkit-form-"):
        shutil.rmtree(folder, ignore_errors=True)


def _guard_hosts() -> None:
    from jdkit.private_apis import refuse_requests

    refuse_requests(lambda request: not loopback_host(request.host or ""), status_code=403)


def _set_xsrf_cookie() -> None:
    from jdkit.private_apis import after_voila_prepare, handler_finished

    def set_cookie(handler: Any) -> None:
        if not handler_finished(handler):
            handler.xsrf_token  # noqa: B018 - reading it sets the _xsrf cookie the page's unload request sends

    after_voila_prepare(set_cookie)


def main(argv: list[str] | None = None) -> None:
    """Run Voila with ``argv``, guarded, until it stops or ``jdkit form`` goes away."""
    expected = os.environ.get("JDKIT_FORM_PARENT")
    if expected and os.getppid() != int(expected):  # the parent died before we got here
        _cleanup()
        return
    args = list(sys.argv[1:] if argv is None else argv)
    from jdkit.batch.settings import block_unused

    block_unused()
    threading.Thread(target=_watch_parent, name="jdkit-parent-watch", daemon=True).start()
    _guard_hosts()
    try:
        if args[:1] == ["--lab"]:
            from jupyterlab.labapp import LabApp

            LabApp.launch_instance(args[1:])
        else:
            _set_xsrf_cookie()
            from voila.app import Voila

            Voila.launch_instance(args)
    finally:
        _cleanup()


if __name__ == "__main__":
    main()
