"""Every example practice to every format through ``jdkit render``, read back with real readers.

PDF text comes from pypdf, Word from python-docx, JSON-LD from json; each must carry the
salary range, the supervisor, each metric's target and each section heading.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

import docx
import pypdf
import pytest
import yaml
from click.testing import CliRunner

from jdkit import params
from jdkit.cli import cli
from jdkit.document import build
from jdkit.export import EXPORTERS
from jdkit.models import SECTIONS, JobDescription
from jdkit.render import md_escape, pay_range, target
from jdkit.wording import us_date

from .conftest import EXAMPLES, PARAMS, example_ids, pdf_pages

FORMATS = ("md", "html", "pdf", "docx", "jsonld")


def squash(text: str) -> str:
    """One space between words; ligatures (the PDF's "ﬃ") unfolded."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, rendered_both: Path) -> Path:
    """``jdkit render PARAMS`` (the description) to every format but PDF; the PDFs are linked in
    from conftest's ``rendered_both``, the same command with ``--kind both`` and PDF among its
    formats, whose printed examples test_document, test_print and test_a11y read too."""
    out = tmp_path_factory.mktemp("formats")
    to = ",".join(fmt for fmt in FORMATS if fmt != "pdf")
    result = CliRunner().invoke(cli, ["render", str(PARAMS), "--to", to, "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    for path in EXAMPLES:
        name = f"{params.load(path).slug}.pdf"
        os.link(rendered_both / name, out / name)
    return out


@pytest.fixture(params=EXAMPLES, ids=example_ids())
def example(request) -> tuple[dict, JobDescription]:
    return yaml.safe_load(request.param.read_text()), params.load(request.param)


def test_every_format_is_registered_and_written(rendered):
    assert set(FORMATS) <= set(EXPORTERS)
    names = sorted(p.name for p in rendered.iterdir())
    assert len(names) == len(FORMATS) * len(EXAMPLES)
    assert not [n for n in names if n.startswith(".")]  # no temp files left behind


def text_of(path: Path, fmt: str) -> str:
    """The readable text of one output file, through the reader a user's tool would use."""
    if fmt == "pdf":
        return "\n".join(page.text for page in pdf_pages(path))
    if fmt == "docx":
        doc = docx.Document(path)
        cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)
    if fmt == "jsonld":
        return json.loads(path.read_text())["description"]
    return path.read_text()


@pytest.mark.parametrize("fmt", FORMATS)
def test_pay_supervisor_targets_and_headings_in_every_format(rendered, example, fmt):
    raw, model = example
    text = squash(text_of(rendered / f"{model.slug}.{'jsonld' if fmt == 'jsonld' else fmt}", fmt))
    if fmt == "md":
        text = squash(text.replace("\\|", "|"))
    if (
        fmt == "jsonld"
    ):  # the posting (Google: the markup describes the posting page), as in test_document
        for title in build(model, "posting").section_titles:
            assert title in text, title
        assert pay_range(model) in text
        return
    for _, heading in SECTIONS:
        assert heading in text, heading
    assert model.reporting.reports_to in text
    assert pay_range(model) in text
    for metric in model.metrics:
        if fmt == "pdf":  # table cells wrap, so words of one cell may interleave with the next
            assert f"{metric.comparison} {metric.target:g}" in text, metric.name
        else:
            wanted = md_escape(target(metric)) if fmt == "md" else target(metric)
            assert squash(wanted) in text, metric.name


def test_jsonld_base_salary_is_the_parameter_files_numbers(rendered, example):
    raw, model = example
    data = json.loads((rendered / f"{model.slug}.jsonld").read_text())
    value = data["baseSalary"]["value"]
    assert (value["minValue"], value["maxValue"], value["unitText"]) == (
        raw["compensation"]["salary_min"],
        raw["compensation"]["salary_max"],
        raw["compensation"]["period"],
    )
    assert data["baseSalary"]["currency"] == raw["compensation"].get("currency", "USD")


def test_pdf_has_numbered_pages_and_the_whole_document(rendered, example):
    _, model = example
    pages = [squash(page.text) for page in pdf_pages(rendered / f"{model.slug}.pdf")]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    assert squash(model.title) in pages[0] and model.practice.name in pages[0]
    assert f"Next review due {us_date(model.review.next_due)}" in pages[-1]


def test_docx_structure_matches_the_html(rendered, example):
    _, model = example
    doc = docx.Document(rendered / f"{model.slug}.docx")
    html = (rendered / f"{model.slug}.html").read_text()
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    html_h2 = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    assert [h for h in h1 if h in html_h2] == html_h2
    bullets = sum(p.style.name == "List Bullet" for p in doc.paragraphs)
    assert bullets == html.count("<li>")  # every HTML list item is a Word bullet
    metrics_table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Metric")
    assert [r.cells[2].text for r in metrics_table.rows[1:]] == [target(m) for m in model.metrics]


def test_embed_jsonld_and_paper_options_through_the_cli(tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "render",
            str(EXAMPLES[0]),
            "--to",
            "html,pdf",
            "--out",
            str(tmp_path),
            "--embed-jsonld",
            "--paper",
            "A4",
        ],
    )
    assert result.exit_code == 0, result.output + result.stderr
    html = next(tmp_path.glob("*.html")).read_text()
    body = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(body)["@type"] == "JobPosting"
    box = pypdf.PdfReader(next(tmp_path.glob("*.pdf"))).pages[0].mediabox
    assert (
        abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2
    )  # A4 in points, not Letter


# --- the notebook path: jdkit batch gives every format with the same content -------------------

BATCHED = PARAMS / "cedar-family-medicine.yaml"


@pytest.fixture(scope="module")
def batched(tmp_path_factory) -> Path:
    """``jdkit batch`` (the real command: papermill, a kernel, nbconvert, Chromium) on one practice."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("batch")
    command = [
        str(Path(sys.executable).with_name("jdkit")),
        "batch",
        str(BATCHED),
        "--to",
        ",".join(FORMATS),
        "--out",
        str(out),
        "-j",
        "1",
        "--paper",
        "A4",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return out / params.load(BATCHED).slug


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_batch_gives_every_format_with_the_same_content(batched, rendered, fmt):
    model = params.load(BATCHED)
    path = batched / f"{model.slug}.{fmt}"
    text = squash(text_of(path, fmt))
    assert squash(pay_range(model)) in text
    if fmt == "jsonld":  # the posting, the very same bytes as the direct path
        assert build(model, "posting").section_titles[0] in text
        assert path.read_bytes() == (rendered / path.name).read_bytes()
        return
    for _, heading in SECTIONS:
        assert heading in text, heading
    assert model.reporting.reports_to in text
    for metric in model.metrics:
        assert f"{metric.comparison} {metric.target:g}" in text, metric.name
    direct = rendered / path.name
    if fmt in ("md", "jsonld"):  # the very same bytes as the direct path
        assert path.read_bytes() == direct.read_bytes()
    elif fmt == "docx":
        assert [p.text for p in docx.Document(path).paragraphs] == [
            p.text for p in docx.Document(direct).paragraphs
        ]


@pytest.mark.slow
def test_batch_paper_reaches_pdf_and_word(batched):
    from docx.shared import Mm

    slug = params.load(BATCHED).slug
    box = pypdf.PdfReader(batched / f"{slug}.pdf").pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2  # A4 in points
    section = docx.Document(batched / f"{slug}.docx").sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
