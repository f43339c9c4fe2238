"""The job-description notebook with plain papermill, and the nbconvert ``jdkit`` template."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from jdkit.models import SECTIONS
from jdkit.notebook import PARAMETERS, RESULT_MIME, read_result, report, result
from jdkit.origins import origins
from jdkit.params import load

from .conftest import DATA, PARAMS, ROOT

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "job_description.ipynb"


def test_parameters_cell_declares_every_top_level_key() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    declared = {
        line.split("=")[0].strip()
        for line in cells[0].source.splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert set(PARAMETERS) <= declared


@pytest.fixture(scope="module")
def papermilled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Lone Star Pediatrics (paid by the hour) run with the papermill command, as a user would."""
    out = tmp_path_factory.mktemp("pm") / "lone-star.ipynb"
    proc = subprocess.run(
        [
            str(BIN / "papermill"),
            str(NOTEBOOK),
            str(out),
            "-f",
            str(PARAMS / "lone-star-pediatrics.yaml"),
            "--no-progress-bar",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def _outputs(nb: nbformat.NotebookNode, tag: str) -> str:
    cell = next(c for c in nb.cells if tag in c.metadata.get("tags", []))
    parts = []
    for output in cell.outputs:
        parts.append(output.get("text", ""))
        parts.extend(str(v) for v in output.get("data", {}).values())
    return "\n".join(parts)


def test_plain_papermill_runs_the_practice(papermilled: Path) -> None:
    nb = nbformat.read(papermilled, as_version=4)
    nbformat.validate(nb)
    model = load(PARAMS / "lone-star-pediatrics.yaml")
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "Lone Star Pediatrics" in injected.source
    document = _outputs(nb, "jdkit-document")
    assert model.practice.name in document
    for _, heading in SECTIONS:
        assert heading in document
    assert "$30.00 to $38.50 per hour" in document  # the practice's own pay, not the role default
    assert "<svg" in _outputs(nb, "jdkit-chart") and "Lone Star Pediatrics" in _outputs(
        nb, "jdkit-chart"
    )
    assert "score" in _outputs(nb, "jdkit-internal")  # the findings are in the record


def test_the_batch_reads_the_result_the_kernel_displayed(papermilled: Path) -> None:
    """The kernel's score, findings and model come back as one structured output, equal to what
    the parent would build and check itself; a person reading the notebook sees the report."""
    from jdkit.checks import check, score

    nb = nbformat.read(papermilled, as_version=4)
    model = load(PARAMS / "lone-star-pediatrics.yaml")
    found = check(model)
    got = read_result(nb)
    assert got is not None
    assert (got.score, got.errors) == (score(found), sum(f.severity == "error" for f in found))
    assert got.findings == [f.to_dict() for f in found]
    assert got.model == model  # every field, and where each value came from (origins)
    assert origins(got.model) == origins(model)
    internal = next(c for c in nb.cells if "jdkit-internal" in c.metadata.get("tags", []))
    (output,) = internal.outputs
    assert output["output_type"] == "display_data"
    assert output["data"]["text/plain"] == report(found, score(found))  # for a person reading it
    output["data"][RESULT_MIME]["version"] = 0  # a result of another jdkit: not read
    assert read_result(nb) is None
    internal.outputs = []
    assert read_result(nb) is None


def test_result_round_trip_counts_errors_and_keeps_origins() -> None:
    from jdkit.checks import check, score

    model = load(DATA / "poor" / "empty-sections.yaml")
    found = check(model)
    errors = sum(f.severity == "error" for f in found)
    assert errors > 1
    bundle = json.loads(json.dumps(result(model, found, score(found))))  # as a notebook stores it
    cell = nbformat.v4.new_code_cell(
        "",
        metadata={"tags": ["jdkit-internal"]},
        outputs=[nbformat.v4.new_output("display_data", bundle)],
    )
    back = read_result(nbformat.v4.new_notebook(cells=[cell]))
    assert back is not None and (back.score, back.errors) == (score(found), errors)
    assert back.model == model and origins(back.model) == origins(model)
    assert read_result(nbformat.v4.new_notebook(cells=[])) is None
    untagged = nbformat.v4.new_code_cell(
        "", outputs=[nbformat.v4.new_output("display_data", bundle)]
    )
    assert read_result(nbformat.v4.new_notebook(cells=[untagged])) is None  # only the internal cell


def test_template_hides_code_prompts_parameters_and_findings(
    papermilled: Path, tmp_path: Path
) -> None:
    proc = subprocess.run(
        [
            str(BIN / "jupyter"),
            "nbconvert",
            "--to",
            "html",
            "--template",
            "jdkit",
            "--output-dir",
            str(tmp_path),
            str(papermilled),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    html = (tmp_path / "lone-star.html").read_text(encoding="utf-8")
    assert "<title>Medical Office Manager · Lone Star Pediatrics</title>" in html
    for _, heading in SECTIONS:
        assert heading in html
    assert "<svg" in html
    # the pay chart: in a landmark of its own after the document's <main>, shown on screen only
    chart = html.index('aria-label="Pay range and market band"')  # nbconvert sorts the attributes
    assert (
        html.rindex("<aside", 0, chart) > html.index("</main>")
        and "jdkit-screen-only" in html[chart - 80 : chart + 80]
    )
    assert (
        html.index("</main>")
        < chart
        < html.index("pay-chart-caption")
        < html.index("</aside>", chart)
    )
    assert "@media print { .jdkit-screen-only { display: none; }" in html
    nb = nbformat.read(papermilled, as_version=4)
    findings = _outputs(nb, "jdkit-internal").strip().splitlines()[0]
    for hidden in (
        "model_from",
        "import jdkit",
        "jdkit_source",
        "In&nbsp;[",
        "In [",
        "salary_min",
        findings,
        "jp-InputArea",
        "PROBE",
    ):
        assert hidden not in html, hidden


def test_template_is_found_by_name_in_the_environment() -> None:
    from nbconvert.exporters import HTMLExporter

    exporter = HTMLExporter(template_name="jdkit")  # plain nbconvert: no jdkit search path given
    found = [
        Path(p)
        for p in exporter.template_paths
        if Path(p).name == "jdkit" and (Path(p) / "conf.json").is_file()
    ]
    assert found and (found[0] / "index.html.j2").is_file()
    assert found[0].parent.parts[-3:] == ("jupyter", "nbconvert", "templates")


def test_wheel_installs_template_and_exporter_entry_point(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("jdkit-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    data = [n for n in names if "/data/share/jupyter/nbconvert/templates/jdkit/" in n]
    assert {Path(n).name for n in data} == {"conf.json", "index.html.j2"}
    assert "jdkit/notebooks/job_description.ipynb" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry).decode()
    assert (
        "[nbconvert.exporters]" in text
        and "jdkit-pdf = jdkit.export.nbconvert:JdkitPDFExporter" in text
    )
    conf = json.loads(zipfile.ZipFile(wheel).read(next(n for n in data if n.endswith("conf.json"))))
    assert conf["base_template"] == "base"


# A plain `pip install` of the wheel putting the template where nbconvert finds it by name is
# checked by scripts/check-wheel (CI, after the tests), on the wheel it installs in a fresh venv.


def test_a_template_in_the_working_directory_never_replaces_the_document(tmp_path, monkeypatch):
    """nbconvert searches the working directory by default; jdkit's exporter does not."""
    import nbformat

    from jdkit.export.nbconvert import JdkitHTMLExporter

    hijack = tmp_path / "jdkit"
    hijack.mkdir()
    (hijack / "index.html.j2").write_text("HIJACKED")
    (hijack / "conf.json").write_text('{"base_template": "base"}')
    monkeypatch.chdir(tmp_path)
    exporter = JdkitHTMLExporter()
    assert str(tmp_path) not in exporter.extra_template_basedirs
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("a note")])
    html, _ = exporter.from_notebook_node(nb)
    assert "HIJACKED" not in html


def test_each_cell_shows_its_outputs_in_one_landmark_and_a_silent_cell_in_none() -> None:
    """One wrapper per cell, not per output: a chart cell that also warned on stderr gives one
    aside, two prints of a cell one section named by its cell, a cell with only stderr nothing."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from jdkit.export.nbconvert import JdkitHTMLExporter

    nb = new_notebook(
        cells=[
            new_code_cell(
                "chart",
                metadata={"tags": ["jdkit-chart"]},
                execution_count=2,
                outputs=[
                    new_output("stream", name="stderr", text="a warning"),
                    new_output("display_data", data={"text/html": "<svg>chart</svg>"}),
                ],
            ),
            new_code_cell(
                "prints",
                execution_count=3,
                outputs=[
                    new_output("stream", name="stdout", text="one"),
                    new_output("stream", name="stdout", text="two"),
                ],
            ),
            new_code_cell(
                "warns",
                execution_count=4,
                outputs=[new_output("stream", name="stderr", text="only stderr")],
            ),
        ]
    )
    body, _ = JdkitHTMLExporter().from_notebook_node(nb)
    assert re.findall(r"<(?:aside|section)[^>]*>", body) == [
        '<aside class="jdkit-output jdkit-screen-only" aria-label="Pay range and market band">',
        '<section class="jdkit-output" aria-label="Output of cell 3">',
    ]
    assert "one" in body and "two" in body and "warning" not in body and "only stderr" not in body
