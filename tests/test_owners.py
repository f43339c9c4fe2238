"""Never overwrite another practice's files (issue 18, cause 2): batch, render and the form's Save.

``Cedar Clinic`` and ``CEDAR CLINIC!`` are different practices with the same slug. Within one
run the second is refused already; these tests are about an ``--out`` (or ``params/``) that an
earlier run filled for the other one.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

import jdkit
from jdkit import owners
from jdkit.cli import cli
from jdkit.form import Form

from .conftest import PARAMS, practice_file

JDKIT = str(Path(sys.executable).parent / "jdkit")
BASE = PARAMS / "cedar-family-medicine.yaml"


def _xattrs_work(folder: Path) -> bool:
    probe = folder / "probe"
    probe.write_text("x")
    owners.mark(probe, {"practice": "x", "role": "y"})
    return owners.read(probe) == {"practice": "x", "role": "y"}


def test_render_refuses_files_of_another_practice_and_keeps_them(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if not _xattrs_work(tmp_path):
        pytest.skip(
            "this file system has no user extended attributes: render cannot tell whose a file is"
        )
    first = practice_file(tmp_path / "a", BASE, "Cedar Clinic")
    second = practice_file(tmp_path / "b", BASE, "CEDAR CLINIC!")
    other = practice_file(tmp_path / "b", BASE, "Oak Clinic")
    out = tmp_path / "out"
    assert (
        runner.invoke(cli, ["render", str(first), "--to", "html,md", "--out", str(out)]).exit_code
        == 0
    )
    slug = jdkit.load(first).slug
    assert jdkit.load(second).slug == slug
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert owners.read(out / f"{slug}.html") == {
        "practice": "Cedar Clinic",
        "role": "medical-office-manager",
    }

    result = runner.invoke(
        cli, ["render", str(second), str(other), "--to", "html,md", "--out", str(out)]
    )
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0] == (
        f"error: {out}/{slug}.*: holds the documents of another practice, 'Cedar Clinic' "
        "(medical-office-manager); 'CEDAR CLINIC!' (medical-office-manager) has the same file "
        f"names, so jdkit will not overwrite them (fix: remove {out}/{slug}.* or choose another --out)"
    )
    assert {
        p.name: p.read_bytes() for p in out.iterdir() if p.name in before
    } == before  # untouched
    assert (out / f"{jdkit.load(other).slug}.html").is_file()  # the other practice was written

    again = runner.invoke(
        cli, ["render", str(first), "--to", "html,md", "--out", str(out)]
    )  # its own: fine
    assert again.exit_code == 0, again.stderr
    for path in out.glob(f"{slug}.*"):  # the fix works
        path.unlink()
    assert (
        runner.invoke(cli, ["render", str(second), "--to", "html", "--out", str(out)]).exit_code
        == 0
    )
    assert owners.read(out / f"{slug}.html")["practice"] == "CEDAR CLINIC!"


@pytest.mark.slow
def test_batch_refuses_a_practice_folder_of_another_practice(tmp_path: Path) -> None:
    first = practice_file(tmp_path / "a", BASE, "Cedar Clinic")
    second = practice_file(tmp_path / "b", BASE, "CEDAR CLINIC!")
    other = practice_file(tmp_path / "b", PARAMS / "lone-star-pediatrics.yaml", "Oak Clinic")
    out = tmp_path / "out"
    command = [JDKIT, "batch", "--out", str(out), "--to", "html", "-j", "1"]
    done = subprocess.run([*command, str(first)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"Documents: {out}/<practice>/<practice>.html|.ipynb;" in done.stdout  # as asked
    slug = jdkit.load(first).slug
    folder = out / slug
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    clash = subprocess.run(
        [*command, str(second), str(other)], capture_output=True, text=True, timeout=600
    )
    assert clash.returncode == 1, clash.stderr[-2000:]
    with open(out / "summary.csv", encoding="utf-8") as handle:
        rows = {row["practice"]: row for row in csv.DictReader(handle)}
    assert rows["Oak Clinic"]["status"] == "ok"
    assert rows["CEDAR CLINIC!"]["status"] == "failed"
    reason = rows["CEDAR CLINIC!"]["reason"]
    assert reason == (
        f"{folder}: holds the documents of another practice, 'Cedar Clinic' (medical-office-manager, "
        f"from {first}); 'CEDAR CLINIC!' (medical-office-manager, from {second}) has the same file "
        f"names, so jdkit will not overwrite them (fix: remove {folder} or choose another --out)"
    )
    assert [line for line in clash.stderr.splitlines() if line.startswith("failed:")] == [
        f"failed: CEDAR CLINIC!: Medical Office Manager: {reason}"
    ]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # untouched

    same = subprocess.run(
        [*command, str(first), "--force"], capture_output=True, text=True, timeout=600
    )
    assert same.returncode == 0, same.stderr[-2000:]  # its own folder: written again
    import shutil

    shutil.rmtree(folder)  # the fix works
    fixed = subprocess.run([*command, str(second)], capture_output=True, text=True, timeout=600)
    assert fixed.returncode == 0, fixed.stderr[-2000:]
    assert owners.read_stamp_owner(folder / f"{slug}.stamp.json") == {
        "practice": "CEDAR CLINIC!",
        "role": "medical-office-manager",
        "source": str(second),
    }


def test_the_forms_save_never_replaces_another_practices_file(tmp_path: Path) -> None:
    first = Form(tmp_path, role="medical-office-manager", debounce=0)
    first.field("practice.name").control.value = "Birch Clinic"
    first.field("practice.state").control.value = "WA"
    saved = first.save()
    assert saved is not None
    text = saved.read_text(encoding="utf-8")

    other = Form(tmp_path, role="medical-office-manager", debounce=0)
    other.field("practice.name").control.value = "BIRCH CLINIC!"
    other.field("practice.state").control.value = "OR"
    assert other.model.slug == jdkit.load(saved).slug
    assert other.save() is None
    assert other.question.sentence == (
        f"params/{saved.name} holds another practice, Birch Clinic (Medical Office "
        f"Manager). Save this one as params/{saved.stem}-2.yaml instead?"
    )
    assert other.question.choices == [
        f"Save as params/{saved.stem}-2.yaml",
        "Cancel",
    ]  # no "Replace"
    other.question.choose("Save as")
    assert saved.read_text(encoding="utf-8") == text
    spare = saved.with_name(f"{saved.stem}-2.yaml")
    assert jdkit.load(spare).practice.name == "BIRCH CLINIC!" and other.target == spare
