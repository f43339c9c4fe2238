"""notebooks/form.ipynb in a real kernel: it shows the form, and changes refresh on the kernel's loop."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from jdkit.form.server import notebook_path
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_the_shipped_notebook_is_the_one_in_the_source_tree() -> None:
    assert notebook_path().read_bytes() == (ROOT / "notebooks" / "form.ipynb").read_bytes()
    code = [
        cell.source
        for cell in nbformat.read(notebook_path(), as_version=4).cells
        if cell.cell_type == "code"
    ]
    assert code == [
        "from jdkit.form import Form\n\nForm.from_env()"
    ]  # thin: the form lives in jdkit


def test_form_notebook_runs_in_a_kernel_and_debounces_on_its_loop(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("JDKIT_FORM_DIR", str(tmp_path))
    notebook = nbformat.read(notebook_path(), as_version=4)
    *imports, last = notebook.cells[-1].source.splitlines()
    notebook.cells[-1].source = "\n".join([*imports, f"form = {last}", "form"])
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            "form.autosave_every = 0.5\n"
            "form.pick_role('medical-office-manager')\n"
            "form.field('practice.name').control.value = 'Juniper Clinic'\n"
            "form.field('practice.state').control.value = 'OR'\n"
            "print('pending', form.model is None, 'Juniper' in form.preview.value)\n"
            "import asyncio\n"
            "await asyncio.sleep(form.debounce + 0.5)\n"
            "print('after', 'Juniper' in form.preview.value, form.model.practice.name)\n"
            "print('draft', *(d.path.relative_to(form.workdir) for d in form.drafts.all()))\n"
            "for role in ('medical-receptionist', 'medical-secretary', 'medical-coder'):  # arrow keys\n"
            "    form.role_picker.value = role\n"
            "print('passing', form.model.role.id)\n"
            "await asyncio.sleep(1.0)\n"
            "print('stopped at', form.model.role.id, form.question.topic)\n"
            "print('saved', form.save().relative_to(form.workdir))"
        )
    )
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    shown = notebook.cells[0].outputs[0]
    assert WIDGET_VIEW in shown["data"]
    text = "".join(output.get("text", "") for output in notebook.cells[1].outputs)
    assert (
        "pending True False" in text
    )  # typing only scheduled a refresh: no model, the preview as it was ...
    assert "after True Juniper Clinic" in text  # ... which ran once the typing paused
    assert (
        "draft params/.drafts/juniper-clinic-medical-office-manager.yaml\n" in text
    )  # kept every few seconds
    assert "passing medical-office-manager" in text  # roles passed over are not applied ...
    assert (
        "stopped at medical-coder None" in text
    )  # ... the one the consultant stops at is, with no question
    assert "saved params/juniper-clinic-medical-coder.yaml" in text
    assert (tmp_path / "params" / "juniper-clinic-medical-coder.yaml").is_file()
    assert not (
        tmp_path / "params" / ".drafts" / "juniper-clinic-medical-office-manager.yaml"
    ).exists()


def test_jdkit_batch_accepts_a_saved_file_unchanged(tmp_path: Path) -> None:
    """What Save writes runs through papermill in ``jdkit batch`` as the hand-written examples do."""
    import subprocess
    import sys

    from jdkit.form import Form

    form = Form(tmp_path, role="medical-office-manager", debounce=0)
    form.field("practice.name").control.value = "Juniper Clinic"
    form.field("practice.state").control.value = "OR"
    form.field("compensation.salary_min").control.value = "71000"
    saved = form.save()
    assert saved is not None
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "jdkit.cli",
            "batch",
            str(saved),
            "--to",
            "html",
            "--out",
            str(tmp_path / "out"),
            "-j",
            "1",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    documents = list((tmp_path / "out").rglob("*.html"))
    assert any(
        "Juniper Clinic" in d.read_text(encoding="utf-8")
        and "$71,000" in d.read_text(encoding="utf-8")
        for d in documents
    ), [d.name for d in documents]
