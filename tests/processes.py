"""Run the real ``jdkit`` command in a new process, without paying Python's start-up each time.

``python -m jdkit.cli ...`` spends ~0.5-1 s of CPU starting Python and importing jdkit and what it
imports, which is most of what a hostile-corpus case costs. ``run_jdkit`` forks each command from
a warm helper instead: one long-lived Python process per pytest worker (and environment) that
has imported jdkit's modules and nothing more. Each request gets a fresh child of that helper:
a real, separate process with its own pid, cwd, environment, fds 0/1/2 (the caller's stdin and
two pipes, passed over a Unix socket) and exit status, that runs ``jdkit.cli`` as ``__main__`` the
way ``python -m`` does and then ends through the interpreter's own shutdown (threads joined,
atexit handlers, stdio flushed). The caller sees what ``subprocess.run`` would give: returncode,
stdout, stderr, and ``subprocess.TimeoutExpired`` after the child is killed.

What stays the same as a cold start:

- the environment: a helper is started with exactly the environment of the requests it serves
  (one helper per distinct environment; only ``PER_TEST`` variables such as
  ``PYTEST_CURRENT_TEST`` may differ, and each child gets the caller's), so whatever is read at
  import time (locale and stdio encodings, ``PYTHON*``, ``MPLCONFIGDIR``, ``XDG_*``, ...) is what
  a cold start would read;
  jdkit itself reads its ``JDKIT_*`` variables when called, not at import;
- stdio: rebuilt on the new fds as CPython's ``create_stdio`` does (encoding and errors as the
  helper's own, which come from the same environment; line buffering only on a tty or stderr);
- signals: the child gets the dispositions the helper had when it started (Python's defaults:
  SIGINT raises KeyboardInterrupt, SIGPIPE and SIGXFSZ ignored, the rest SIG_DFL);
- no threads: the helper checks it runs one thread (Python and native, ``/proc/self/task``)
  before each fork. NumPy's OpenBLAS starts a thread on import, so the helper imports with
  ``OPENBLAS_NUM_THREADS=1`` (removed from its environment right after).

Start-up itself stays covered by the cases run cold (``COLD`` in ``tests/test_hostile.py``: one
per command, ``render``, ``check``, ``explain``, ``due``, ``diff`` and ``batch``, the batch one
being the case that starts kernels and exports) and by ``tests/test_owners.py`` and
``tests/test_cli.py``, which run the installed ``jdkit`` console script. Warm batch children work
(the failing-batch cases run warm), but a batch that runs kernels saves little: its cost is the
kernels and the export stack, not the parent's start-up.

Not the same as a cold start: the child's parent is the helper (not the test process); the hash
seed (``PYTHONHASHSEED``) and anything seeded at import are the helper's, shared by its children;
modules were imported in ``WARM``'s order, with the stdlib modules this file uses already loaded.

Every helper ends with the module that used it (the ``warm_helpers`` fixture, imported into the
test module), else at exit (``atexit``); a helper whose test process dies gets SIGTERM
(``PR_SET_PDEATHSIG``) or sees its socket close, and ends.
"""

from __future__ import annotations

import atexit
import io
import json
import os
import select
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

# What the helper imports before it serves: every module a CLI command imports lazily, so that a
# child imports (almost) nothing. Import order matches no command's exactly; every module is one a
# cold run of some command imports too.
WARM = (
    "jdkit.cli",
    "jdkit.params",
    "jdkit.inputs",
    "jdkit.models",
    "jdkit.roles",
    "jdkit.origins",
    "jdkit.checks",
    "jdkit.due",
    "jdkit.diff",
    "jdkit.render",
    "jdkit.formats",
    "jdkit.templating",
    "jdkit.writer",
    "jdkit.owners",
    "jdkit.export",
    "jdkit.document",
    "jdkit.market",
    "jdkit.starter",
    "pandas",
    "openpyxl",
    "jdkit.batch",
)
MAX_MESSAGE = 1 << 20
START_TIMEOUT = 120.0
# Run as the helper: with -c, sys.path[0] is '' (the helper's own empty folder), not tests/,
# whose packages (batch, form, export, ...) must not shadow anything the imports look for.
_BOOT = "import sys; p = sys.argv[1]; exec(compile(open(p, encoding='utf-8').read(), p, 'exec'))"


class Helper:
    """One warm helper process, serving one request at a time (a pytest worker is sequential)."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = dict(env)
        self.home = Path(tempfile.mkdtemp(prefix="jdkit-warm-"))
        self.log = self.home / "helper.log"
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs, open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    _BOOT,
                    str(Path(__file__).resolve()),
                    str(theirs.fileno()),
                    *WARM,
                ],
                cwd=self.home,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                pass_fds=[theirs.fileno()],
            )
        self.child: int | None = None
        self.broken = False
        try:
            if self._receive(START_TIMEOUT).get("ready") is not True:
                raise RuntimeError(f"the warm helper did not start: {self._log_tail()}")
        except BaseException:
            self.close()
            raise

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
        except OSError:
            return "(no log)"

    def _receive(self, timeout: float | None) -> dict[str, Any]:
        ready, _, _ = _select([self.sock], timeout)
        if not ready:
            raise TimeoutError("the warm helper did not answer")
        data = self.sock.recv(MAX_MESSAGE)
        if not data:
            raise RuntimeError(f"the warm helper ended: {self._log_tail()}")
        message: dict[str, Any] = json.loads(data)
        if "error" in message:
            raise RuntimeError(f"the warm helper refused: {message['error']}")
        return message

    def run(
        self,
        args: Sequence[str],
        *,
        cwd: str | os.PathLike[str],
        env: Mapping[str, str],
        stdin: int | None,
        timeout: float | None,
    ) -> tuple[int, bytes, bytes]:
        """Run ``python -m jdkit.cli *args`` in a fork; return (returncode, stdout, stderr)."""
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        devnull = os.open(os.devnull, os.O_RDONLY) if stdin == subprocess.DEVNULL else None
        in_fd = devnull if devnull is not None else (0 if stdin is None else stdin)
        umask = os.umask(0o022)
        os.umask(umask)  # the caller's now, as a cold child would inherit it (a test may change it)
        request = {
            "argv": list(args),
            "cwd": os.fspath(Path(cwd).resolve()),
            "env": dict(env),
            "umask": umask,
        }
        try:
            socket.send_fds(self.sock, [json.dumps(request).encode()], [in_fd, out_w, err_w])
        finally:
            for fd in (out_w, err_w, *(() if devnull is None else (devnull,))):
                # the child has them now: EOF comes when it (and what it started) closes them
                os.close(fd)
        deadline = None if timeout is None else time.monotonic() + timeout
        chunks: dict[int, list[bytes]] = {out_r: [], err_r: []}
        try:
            self.child = int(self._receive(START_TIMEOUT)["pid"])
            timed_out = not _drain(chunks, deadline)
            if timed_out:  # as subprocess.run: kill, read what is left, then raise
                self._kill()
                _drain(chunks, None)
            left = None if deadline is None or timed_out else max(0.0, deadline - time.monotonic())
            try:
                status = int(self._receive(left)["status"])
            except TimeoutError:
                timed_out = True
                self._kill()
                status = int(self._receive(None)["status"])
        except BaseException:
            self._kill()  # never leave a child running behind an error (or Ctrl-C) here
            self.broken = True  # its answers are out of step now: run_jdkit ends it
            raise
        finally:
            self.child = None
            os.close(out_r)
            os.close(err_r)
        stdout, stderr = b"".join(chunks[out_r]), b"".join(chunks[err_r])
        if timed_out:
            raise subprocess.TimeoutExpired(
                list(args), timeout or 0.0, output=stdout, stderr=stderr
            )
        return os.waitstatus_to_exitcode(status), stdout, stderr

    def _kill(self) -> None:
        if self.child is not None:
            try:
                os.kill(self.child, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def close(self) -> None:
        """End the helper (and any child left): close its socket, terminate it, reap it."""
        self._kill()
        self.sock.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.home, ignore_errors=True)


def _select(
    socks: list[socket.socket], timeout: float | None
) -> tuple[list[Any], list[Any], list[Any]]:
    return select.select(socks, [], [], timeout)


def _drain(chunks: dict[int, list[bytes]], deadline: float | None) -> bool:
    """Read the pipes in ``chunks`` until EOF on all (True) or ``deadline`` (False)."""
    with selectors.DefaultSelector() as selector:
        for fd in chunks:
            selector.register(fd, selectors.EVENT_READ)
        open_fds = set(selector.get_map())
        while open_fds:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            for key, _ in selector.select(left):
                data = os.read(key.fd, 65536)
                if data:
                    chunks[key.fd].append(data)
                else:
                    selector.unregister(key.fd)
                    open_fds.discard(key.fd)
    return True


_helpers: dict[frozenset[tuple[str, str]], Helper] = {}
MAX_HELPERS = 3  # a test that keeps changing the environment gets cold starts instead
# Variables that change from test to test and that nothing reads at import time: a helper is
# shared across their values (each child still gets the caller's value).
PER_TEST = frozenset({"PYTEST_CURRENT_TEST"})


def _helper(env: Mapping[str, str]) -> Helper | None:
    start = {name: value for name, value in env.items() if name not in PER_TEST}
    key = frozenset(start.items())
    if key not in _helpers:
        if len(_helpers) >= MAX_HELPERS:
            return None
        if not _helpers:
            atexit.register(close_all)
        _helpers[key] = Helper(start)
    return _helpers[key]


def close_all() -> None:
    """End every helper this process started."""
    while _helpers:
        _helpers.popitem()[1].close()


if __name__ != "__main__":  # the test side only: the helper imports nothing a cold run would not
    import pytest

    @pytest.fixture(scope="module", autouse=True)
    def warm_helpers() -> Iterator[None]:
        """End the helpers with the module that used them (import it into the test module to use
        it; ``atexit`` and ``PR_SET_PDEATHSIG`` are the backstops)."""
        yield
        close_all()


def _decode(data: bytes, encoding: str | None, errors: str | None) -> str:
    # what subprocess.run(text=True) gives: decoded, universal newlines
    text = data.decode(encoding or _locale_encoding(), errors or "strict")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _locale_encoding() -> str:
    import locale

    # what subprocess's TextIOWrapper picks (UTF-8 mode included)
    return locale.getpreferredencoding(False)


def run_jdkit(
    args: Sequence[str],
    *,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    text: bool = False,
    encoding: str | None = None,
    errors: str | None = None,
    stdin: int | None = None,
    cold: bool = False,
) -> subprocess.CompletedProcess[Any]:
    """``subprocess.run([sys.executable, "-m", "jdkit.cli", *args], capture_output=True, ...)``,
    forked from a warm helper unless ``cold`` (then it is exactly that ``subprocess.run``)."""
    env = dict(os.environ if env is None else env)
    command = [sys.executable, "-m", "jdkit.cli", *args]
    helper = None if cold or not hasattr(os, "fork") else _helper(env)
    if helper is None:
        return subprocess.run(
            command,
            cwd=cwd,
            env=env,
            capture_output=True,
            check=False,
            text=text,
            encoding=encoding,
            errors=errors,
            timeout=timeout,
            stdin=stdin,
        )
    try:
        code, out, err = helper.run(
            args, cwd=os.getcwd() if cwd is None else cwd, env=env, stdin=stdin, timeout=timeout
        )
    except subprocess.TimeoutExpired as exc:
        exc.cmd = command
        if text or encoding or errors:  # as subprocess.run's: str when the run was text
            exc.output = _decode(exc.output or b"", encoding, errors)
            exc.stderr = _decode(exc.stderr or b"", encoding, errors)  # type: ignore[assignment]
        raise
    finally:
        if helper.broken:  # never used again (the next call starts a new one); the test fails
            _helpers.pop(next(k for k, v in _helpers.items() if v is helper), None)
            helper.close()
    if text or encoding or errors:
        return subprocess.CompletedProcess(
            command, code, _decode(out, encoding, errors), _decode(err, encoding, errors)
        )
    return subprocess.CompletedProcess(command, code, out, err)


# ---- the helper side (run with ``python -c _BOOT this-file fd modules...``) ----------------------


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        import threading

        return threading.active_count()


def _stdio(fd: int, name: str, like: io.TextIOWrapper) -> io.TextIOWrapper:
    """A ``sys.std*`` on ``fd`` as CPython's ``create_stdio`` makes it, with ``like``'s encoding."""
    write = fd != 0
    # -u or PYTHONUNBUFFERED: the same for the helper and a cold start
    unbuffered = like.write_through
    raw = io.FileIO(fd, "wb" if write else "rb", closefd=False)
    raw.name = name  # as create_stdio names it
    buffer: Any = (
        raw
        if unbuffered and write
        else (io.BufferedWriter(raw) if write else io.BufferedReader(raw))
    )
    line_buffering = not unbuffered and write and (raw.isatty() or fd == 2)
    text = io.TextIOWrapper(
        buffer,
        encoding=like.encoding,
        errors=like.errors,
        newline="\n",
        line_buffering=line_buffering,
        write_through=unbuffered,
    )
    text.mode = "w" if write else "r"  # type: ignore[misc]  # create_stdio sets it too
    return text


def _serve(sock: socket.socket, dispositions: dict[int, Any]) -> tuple[dict[str, Any], list[int]]:
    """Fork a child per request and report its pid and status; return (in the child) its request."""
    sock.send(json.dumps({"ready": True}).encode())
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(sock, MAX_MESSAGE, 3)
        except ConnectionResetError:
            data, fds = b"", []
        if not data:
            sys.exit(0)  # the test process closed its end (or died): nothing more to serve
        # a fork would copy locks held by threads that do not exist in the child
        if _threads() != 1:
            for fd in fds:
                os.close(fd)
            sock.send(
                json.dumps({"error": f"{_threads()} threads in the helper, fork refused"}).encode()
            )
            continue
        pid = os.fork()
        if pid == 0:
            sock.close()
            for number, handler in dispositions.items():
                if signal.getsignal(number) is not handler:
                    signal.signal(number, handler)
            return json.loads(data), fds
        for fd in fds:
            os.close(fd)
        sock.send(json.dumps({"pid": pid}).encode())
        _, status = os.waitpid(pid, 0)
        sock.send(json.dumps({"pid": pid, "status": status}).encode())


def _child(request: dict[str, Any], fds: list[int]) -> None:
    """Become ``python -m jdkit.cli *argv`` in the forked child: fds, cwd, env, stdio, argv."""
    import runpy

    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    for target, fd in enumerate(fds):  # received fds are never 0-2: the helper holds those
        if fd != target:
            os.dup2(fd, target)
    for fd in set(fds) - {0, 1, 2}:
        os.close(fd)
    os.chdir(request["cwd"])
    os.umask(request["umask"])
    os.environ.clear()
    os.environ.update(request["env"])
    like = (sys.__stdin__, sys.__stdout__, sys.__stderr__)  # the helper's: DEVNULL and its log
    assert all(isinstance(old, io.TextIOWrapper) for old in like)
    names = ("<stdin>", "<stdout>", "<stderr>")
    streams = [_stdio(fd, name, old) for fd, name, old in zip((0, 1, 2), names, like, strict=True)]  # type: ignore[arg-type]
    sys.stdin = sys.__stdin__ = streams[0]  # type: ignore[misc]
    sys.stdout = sys.__stdout__ = streams[1]  # type: ignore[misc]
    sys.stderr = sys.__stderr__ = streams[2]  # type: ignore[misc]
    sys.path[0] = request["cwd"]  # what -m puts first: the current directory
    sys.argv = ["-m", *request["argv"]]
    sys.orig_argv = [sys.executable, "-m", "jdkit.cli", *request["argv"]]
    # -m runs the module as __main__ without importing it as jdkit.cli first: forget the warm copy
    # (its imports stay), or runpy warns that it was found in sys.modules.
    sys.modules.pop("jdkit.cli", None)
    package = sys.modules.get("jdkit")
    if package is not None and "cli" in vars(package):
        delattr(package, "cli")
    runpy._run_module_as_main("jdkit.cli")  # type: ignore[attr-defined]  # what `python -m` calls


def _main() -> None:
    dispositions = {
        int(number): signal.getsignal(number)
        for number in signal.valid_signals()
        if number not in (signal.SIGKILL, signal.SIGSTOP)
    }
    sock = socket.socket(fileno=int(sys.argv[2]))
    try:  # end with the test process even if it is killed outright (Linux)
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    import importlib

    blas = "OPENBLAS_NUM_THREADS" not in os.environ
    if blas:
        os.environ["OPENBLAS_NUM_THREADS"] = "1"  # NumPy's OpenBLAS would start a thread otherwise
    for name in sys.argv[3:]:
        importlib.import_module(name)
    if blas:
        del os.environ["OPENBLAS_NUM_THREADS"]
    request, fds = _serve(sock, dispositions)
    del sock
    _child(request, fds)


if __name__ == "__main__" and sys.argv[0] == "-c" and len(sys.argv) > 2:
    _main()
