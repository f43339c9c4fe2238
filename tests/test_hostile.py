"""The hostile corpus (issue 18): every case through the real ``jdkit`` command, in its own process.

``tests/data/hostile/`` holds one file a case; ``expected.csv`` says, per case, how it is
placed (``setup``: copied, or replaced by a FIFO, a link to /dev/zero, a folder, ...), the
command (``{case}`` the placed case, ``{in}`` the folder holding it beside a good practice
``{good}``, ``{out}`` the output folder), the exit code, the text of the one stderr line,
what stdout must show (``;``-separated) and what must exist afterwards (``path``, ``!path``
for must not exist, ``path~text`` for a file holding text). Every case also checks: no
traceback, no "internal error", no raw control character on stdout or stderr, exit 2 means
exactly one ``error:`` line, and nothing is written outside ``--out``.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from .conftest import DATA
from .processes import run_jdkit, warm_helpers  # noqa: F401  (the fixture ends the helper)

HOSTILE = DATA / "hostile"
CASES = list(csv.DictReader((HOSTILE / "expected.csv").open(encoding="utf-8"), restval=""))
GOOD = (
    "role: medical-office-manager\npractice:\n  name: Good Clinic\n  state: CO\n"
    "review:\n  last_reviewed: 2026-11-01\n  owner: Office Lead\n"
)
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
TIMEOUT = 180  # a FIFO read without care hangs forever: the timeout turns that into a failure
# Cases run by a cold ``python -m jdkit.cli``, one per command, so that the real start-up path
# (imports, stdio set up by the interpreter) stays under test; the rest are forked from a warm
# interpreter (tests/processes.py), the same command in a new process without the ~1 s start-up.
COLD = {
    "bidi-owner-due.yaml",  # due: non-ASCII and bidi controls through the interpreter's own stdout
    "lone-surrogate.json",  # check: a lone surrogate, through the interpreter's stderr
    "esc-owner-explain.yaml",  # explain
    "dup-column.csv",  # render: a table, pandas imported on the way as a user's run does
    "esc-diff.yaml",  # diff
    "formula-batch.yaml",  # batch: kernels and the export stack started from a cold parent
}


def _param(row: dict[str, str]) -> object:
    slow = (
        row["command"].startswith("batch")
        and row["exit"] in ("0", "1")
        and "set-tag" not in row["file"]
    )
    return pytest.param(row, id=row["file"], marks=[pytest.mark.slow] if slow else [])


def test_every_case_file_has_one_row_and_every_row_a_file() -> None:
    files = sorted(p.name for p in HOSTILE.iterdir() if p.name != "expected.csv")
    assert sorted(row["file"] for row in CASES) == files
    assert len(CASES) >= 60


def test_every_command_has_a_cold_case() -> None:
    commands = {row["command"].split(" ")[0] for row in CASES}
    assert COLD <= {row["file"] for row in CASES}
    assert {row["command"].split(" ")[0] for row in CASES if row["file"] in COLD} == commands


def _snapshot(root: Path, skip: Path) -> dict[str, tuple[str, int, int]]:
    """Every entry under ``root`` but ``skip``: kind, size and modification time."""
    seen: dict[str, tuple[str, int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d != skip]
        for name in [*dirnames, *filenames]:
            path = here / name
            if path == skip:
                continue
            info = path.lstat()
            kind = (
                "dir"
                if path.is_dir() and not path.is_symlink()
                else "link"
                if path.is_symlink()
                else "file"
            )
            seen[str(path.relative_to(root))] = (
                kind,
                info.st_size if kind == "file" else 0,
                info.st_mtime_ns if kind != "dir" else 0,
            )
    return seen


def _immutable(path: Path, on: bool) -> bool:
    try:
        return (
            subprocess.run(
                ["chattr", "+i" if on else "-i", str(path)], capture_output=True, check=False
            ).returncode
            == 0
        )
    except OSError:
        return False


def _ten_thousand(base: Path, folder: Path) -> tuple[Path, Path]:
    """Two versions of ``base`` with 10,000 duties: every tenth reworded, a few removed and added."""
    data = yaml.safe_load(base.read_text(encoding="utf-8"))
    words = [
        "claims",
        "ledger",
        "deposits",
        "schedule",
        "supplies",
        "payroll",
        "referrals",
        "audits",
    ]
    old = [
        f"Check item {i} of the {words[i % 8]} and {words[i * 7 % 8]} log." for i in range(10_000)
    ]
    new = []
    for i, text in enumerate(old):
        if i % 10 == 3:
            new.append(text.replace(" log.", " log each week."))
        elif i % 50 == 7:
            continue
        else:
            new.append(text)
        if i % 50 == 9:
            new.append(f"Review added duty {i} with the owner.")
    paths = []
    for name, items in (("old.yaml", old), ("new.yaml", new)):
        path = folder / name
        path.write_text(
            yaml.safe_dump(
                {**data, "responsibilities": [{"area": "Everything", "items": items}]},
                sort_keys=False,
            ),
            encoding="utf-8",
        )
        paths.append(path)
    return paths[0], paths[1]


@pytest.mark.parametrize("row", [_param(row) for row in CASES])
def test_hostile_case(row: dict[str, str], tmp_path: Path) -> None:
    folder, cwd = tmp_path / "in", tmp_path / "cwd"
    folder.mkdir()
    cwd.mkdir()
    out = tmp_path / "out"
    good = folder / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    case = folder / row["file"]
    new = case
    setup = row["setup"]
    locked: Path | None = None
    if setup == "fifo":
        os.mkfifo(case)
    elif setup == "devzero":
        case.symlink_to("/dev/zero")
    elif setup == "dir":
        case.mkdir()
        (case / "inside.yaml").write_text(GOOD, encoding="utf-8")
    elif setup == "emptydir":
        case.mkdir()
    elif setup == "big":
        from jdkit.params import MAX_BYTES

        text = (HOSTILE / row["file"]).read_bytes()
        case.write_bytes(text + b"#" * (MAX_BYTES - len(text)) + b"\n")  # one byte over the limit
    elif setup == "diff10000":
        case, new = _ten_thousand(HOSTILE / row["file"], folder)
    else:
        shutil.copyfile(HOSTILE / row["file"], case)
    if setup == "outfile":
        (tmp_path / "file").write_text("a regular file\n", encoding="utf-8")
        out = tmp_path / "file" / "out"
    elif setup == "readonly":
        out.mkdir()
        out.chmod(0o555)
        if (
            os.geteuid() == 0
        ):  # root writes anywhere a mode forbids: make the folder immutable instead
            if not _immutable(out, True):
                pytest.skip("running as root without chattr: no folder here is unwritable")
            locked = out
    places = {"case": case, "new": new, "in": folder, "good": good, "out": out, "tmp": tmp_path}
    args = [part.format_map(places) for part in row["command"].split(" ")]
    before = _snapshot(tmp_path, out)
    env = {k: v for k, v in os.environ.items() if k != "JDKIT_DEBUG"}
    try:
        result = run_jdkit(
            args,
            cwd=cwd,
            env=env,
            text=True,
            encoding="utf-8",
            errors="backslashreplace",
            timeout=TIMEOUT,
            cold=row["file"] in COLD,
        )
    finally:
        if locked is not None:
            _immutable(locked, False)
        if setup == "readonly":
            out.chmod(0o755)
    stdout, stderr = result.stdout, result.stderr
    shown = f"exit {result.returncode}\nstdout: {stdout[-2000:]}\nstderr: {stderr[-2000:]}"
    assert result.returncode == int(row["exit"]), shown
    assert "Traceback" not in stderr and "internal error" not in stderr, shown
    assert not RAW_CONTROL.search(stdout) and not RAW_CONTROL.search(stderr), shown
    lines = stderr.splitlines()
    if row["exit"] == "2":
        assert len(lines) == 1 and lines[0].startswith("error: "), shown
    if row["says"]:
        line = next((text for text in lines if row["says"] in text), None)
        assert line is not None, shown
    elif row["exit"] != "2" and not row["command"].startswith("batch"):
        assert stderr == "", shown
    for text in filter(None, row["stdout"].split(";")):
        assert text in stdout, shown
    for check in filter(None, row["after"].split(";")):
        if check.startswith("!"):
            assert not (tmp_path / check[1:]).exists(), check
        elif "~" in check:
            name, text = check.split("~", 1)
            assert text in (tmp_path / name).read_text(encoding="utf-8"), check
        else:
            assert (tmp_path / check).exists(), check
    assert _snapshot(tmp_path, out) == before, "something was written outside --out"
    assert list(cwd.iterdir()) == []
