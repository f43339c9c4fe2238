"""A batch killed with SIGKILL midway, then re-run: outputs complete, finished practices skipped."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from ..conftest import PARAMS, practice_file

pytestmark = pytest.mark.slow
JDKIT = str(Path(sys.executable).parent / "jdkit")
# Three: one finished before the kill, then a re-run that skips it and runs the other two.
NAMES = [f"Practice {letter}" for letter in "ABC"]


def _stamped(out: Path) -> set[str]:
    return {p.parent.name for p in out.glob("*/*.stamp.json")}


def _check_outputs(out: Path) -> None:
    """Every document in ``out`` is whole: notebooks validate, HTML ends, stamps parse."""
    for path in out.glob("*/*"):
        if path.name.startswith("."):
            continue  # a temp file of an interrupted write: never a document
        if path.suffix == ".ipynb":
            nbformat.validate(nbformat.read(path, as_version=4))
        elif path.suffix == ".html":
            assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path
        elif path.suffix == ".json":
            assert json.loads(path.read_text(encoding="utf-8"))["key"]


def test_sigkill_midway_then_rerun(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    for index, name in enumerate(NAMES):
        practice_file(inputs, sorted(PARAMS.glob("*.yaml"))[index % 4], name)
    out = tmp_path / "out"
    command = [JDKIT, "batch", str(inputs), "--out", str(out), "--to", "html", "-j", "1"]
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 300
        while not _stamped(out) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        os.killpg(
            proc.pid, signal.SIGKILL
        )  # the batch, its workers and their browsers, all at once
        proc.wait()
    finished = _stamped(out)
    assert finished, "the batch never finished a practice"
    assert len(finished) < len(NAMES), "the batch finished before it could be killed"
    _check_outputs(out)
    for slug in finished:
        for ext in (".ipynb", ".html"):
            assert (out / slug / f"{slug}{ext}").is_file()

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    with open(out / "summary.csv", encoding="utf-8") as handle:
        rows = {row["slug"]: row for row in csv.DictReader(handle)}
    assert len(rows) == len(NAMES)
    assert {slug for slug, row in rows.items() if row["status"] == "skipped"} == finished
    assert all(row["status"] == "ok" for slug, row in rows.items() if slug not in finished)
    _check_outputs(out)
    assert not list(out.glob("*/.*.tmp"))
    for slug in rows:
        assert {p.name for p in (out / slug).iterdir()} == {
            f"{slug}{e}" for e in (".ipynb", ".html", ".stamp.json")
        }

    forced = subprocess.run([*command, "--force"], capture_output=True, text=True, timeout=600)
    assert forced.returncode == 0 and f"{len(NAMES)} done, 0 unchanged" in forced.stdout
