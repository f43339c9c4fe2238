"""Word export: read back with python-docx for heading styles, bullets, tables, header, footer, templates."""

from __future__ import annotations

import io
import sys

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from jdkit import params
from jdkit.document import build
from jdkit.document.description import benefit_rows
from jdkit.errors import ExportError
from jdkit.export import export
from jdkit.export.docx import build_document
from jdkit.models import SECTIONS, JobDescription
from jdkit.wording import join_words, pay_range, target, us_date

from ..conftest import EXAMPLES, example_ids


@pytest.fixture(params=EXAMPLES, ids=example_ids())
def model(request) -> JobDescription:
    return params.load(request.param)


def read(body: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(body))


def styled(doc, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == style]


def test_sections_are_heading_1_and_areas_heading_2(model):
    doc = read(export(model, "docx")[0])
    assert styled(doc, "Title") == [model.title]
    h1 = styled(doc, "Heading 1")
    assert [h for h in h1 if h in dict(SECTIONS).values()] == [heading for _, heading in SECTIONS]
    h2 = styled(doc, "Heading 2")
    for area in [*model.responsibilities, *model.daily_tasks]:
        assert area.area in h2
    for area in model.compliance:
        assert area.standard in h2
    # Word's navigation pane lists paragraphs whose style carries an outline level.
    outline = doc.styles["Heading 1"].element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    assert outline is not None and outline.get(qn("w:val")) == "0"


def test_duties_are_bulleted_lists(model):
    doc = read(export(model, "docx")[0])
    bullets = styled(doc, "List Bullet")
    for area in [*model.responsibilities, *model.daily_tasks, *model.compliance]:
        for item in area.items:
            assert item in bullets
    assert doc.styles["List Bullet"].element.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None


def test_metrics_and_benefits_are_tables(model):
    doc = read(export(model, "docx")[0])
    metrics, benefits, demands = doc.tables
    assert [c.text for c in metrics.rows[0].cells] == ["Metric", "Family", "Target", "Period"]
    assert [c.text for c in demands.rows[0].cells] == ["Demand", "How often", "Weight"]
    assert len(demands.rows) == len(model.physical_demands) + 1
    assert [(r.cells[0].text, r.cells[2].text) for r in metrics.rows[1:]] == [
        (m.name, target(m)) for m in model.metrics
    ]
    assert [tuple(c.text for c in r.cells) for r in benefits.rows[1:]] == benefit_rows(model)
    assert metrics.style.name == "Table Grid"


def test_pay_reporting_and_review_are_stated(model):
    doc = read(export(model, "docx")[0])
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"Pay range: {pay_range(model)}" in text
    assert f"Reports to: {model.reporting.reports_to}" in text
    assert f"Supervises: {join_words(model.reporting.supervises)}" in text
    assert f"Next review due {us_date(model.review.next_due)}." in text


def test_header_names_the_practice_and_footer_numbers_pages(model):
    doc = read(export(model, "docx")[0])
    section = doc.sections[0]
    assert model.practice.name in [p.text for p in section.header.paragraphs]
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("Page ")
    instructions = [el.text.strip() for el in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [el.get(qn("w:fldCharType")) for el in footer._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2
    assert doc.core_properties.author == model.practice.name
    assert doc.core_properties.title == f"{model.title} · {model.practice.name}"
    assert doc.core_properties.subject == build(model).subject  # as the HTML's and the PDF's
    assert doc.core_properties.language == "en"


def letterhead(path, *, strip_styles: bool = False) -> None:
    """Write a reference .docx: Georgia 11 pt, a letterhead in the header, sample body text."""
    doc = docx.Document()
    doc.styles["Normal"].font.name = "Georgia"
    doc.styles["Normal"].font.size = Pt(11)
    doc.sections[0].header.paragraphs[0].text = "Letterhead of Example Health Partners"
    doc.add_paragraph("Sample body text that must not survive")
    doc.add_table(rows=1, cols=1).cell(0, 0).text = "sample table"
    if strip_styles:  # like a fresh Word document: no heading, list or table styles, no numbering
        for name in ("Title", "Heading 1", "Heading 2", "List Bullet", "Table Grid"):
            element = doc.styles[name].element
            element.getparent().remove(element)
        numbering = doc.part.numbering_part.element
        for child in list(numbering):
            numbering.remove(child)
    doc.save(path)


def test_reference_docx_keeps_fonts_and_letterhead_and_drops_its_body(tmp_path, model):
    template = tmp_path / "letterhead.docx"
    letterhead(template)
    doc = read(export(model, "docx", docx_template=template)[0])
    assert doc.styles["Normal"].font.name == "Georgia" and doc.styles["Normal"].font.size == Pt(11)
    header = [p.text for p in doc.sections[0].header.paragraphs]
    assert header[0] == "Letterhead of Example Health Partners" and model.practice.name in header
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Sample body text" not in text and "sample table" not in [
        t.cell(0, 0).text for t in doc.tables
    ]
    assert styled(doc, "Heading 1")[0] in ("Position Summary", "Responsibilities")


def test_reference_docx_without_heading_list_or_table_styles_gets_them(tmp_path, model):
    template = tmp_path / "plain.docx"
    letterhead(template, strip_styles=True)
    assert "Heading 1" not in {s.name for s in docx.Document(template).styles}
    doc = read(export(model, "docx", docx_template=template)[0])
    assert [h for h in styled(doc, "Heading 1") if h in dict(SECTIONS).values()] == [
        h for _, h in SECTIONS
    ]
    outline = doc.styles["Heading 1"].element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    assert outline is not None
    # The copied List Bullet style points at a bullet definition that exists in this document.
    num_id = int(
        doc.styles["List Bullet"]
        .element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        .get(qn("w:val"))
    )
    numbering = doc.part.numbering_part.element
    num = next(n for n in numbering.num_lst if n.numId == num_id)
    abstract = next(
        a
        for a in numbering.findall(qn("w:abstractNum"))
        if int(a.get(qn("w:abstractNumId"))) == num.abstractNumId.val
    )
    assert abstract.find(f"{qn('w:lvl')}/{qn('w:numFmt')}").get(qn("w:val")) == "bullet"
    assert doc.tables[0].style.name == "Table Grid"


@pytest.mark.parametrize(
    "content,name", [(b"not a zip", "broken.docx"), (b"PK\x03\x04junk", "junk.docx")]
)
def test_bad_reference_docx_is_one_export_error(tmp_path, model, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ExportError) as info:
        export(model, "docx", docx_template=path)
    assert info.value.field == "docx_template" and info.value.file == str(path)
    assert "\n" not in info.value.format()


def test_missing_reference_docx_names_the_file(tmp_path, model):
    with pytest.raises(ExportError, match="no such file") as info:
        export(model, "docx", docx_template=tmp_path / "nope.docx")
    assert info.value.hint


def test_missing_python_docx_is_an_export_error_with_install_hint(monkeypatch, model):
    monkeypatch.setitem(sys.modules, "docx", None)  # what Python does when the package is absent
    with pytest.raises(ExportError) as info:
        build_document(model)
    assert "python-docx" in info.value.hint and "pip install" in info.value.hint


def test_control_characters_and_emoji_survive_as_a_valid_document(model):
    data = model.model_dump(mode="json", exclude={"review": {"next_due"}})
    data["practice"]["name"] = "Clinic\x00\x07 😀 עברית"
    data["summary"] = "line one\nline two\tand a tab \x1b[31m </w:t> ]]>"
    hostile = JobDescription.model_validate(data)
    doc = read(export(hostile, "docx")[0])
    assert "Clinic 😀 עברית" in [p.text for p in doc.sections[0].header.paragraphs]
    assert any("Line one line two and a tab [31m </w:t> ]]>." == p.text for p in doc.paragraphs)


def test_cli_bad_docx_template_is_one_line_exit_2_and_writes_nothing(runner, tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_text("plain text")
    out = tmp_path / "out"
    from jdkit.cli import cli

    result = runner.invoke(
        cli,
        [
            "render",
            str(EXAMPLES[0]),
            "--to",
            "html,docx",
            "--out",
            str(out),
            "--docx-template",
            str(bad),
        ],
    )
    assert result.exit_code == 2
    assert (
        result.stderr.count("\n") == 1
        and "--docx-template" in result.stderr
        and str(bad) in result.stderr
    )
    assert not out.exists() or not any(out.iterdir())


def test_cli_docx_template_reaches_every_file(runner, tmp_path):
    template = tmp_path / "letterhead.docx"
    letterhead(template)
    from jdkit.cli import cli

    result = runner.invoke(
        cli,
        [
            "render",
            *map(str, EXAMPLES),
            "--to",
            "docx",
            "--out",
            str(tmp_path / "out"),
            "--docx-template",
            str(template),
        ],
    )
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "out").glob("*.docx"))
    assert len(files) == len(EXAMPLES)
    for path in files:
        assert docx.Document(path).styles["Normal"].font.name == "Georgia"


def test_paper_a4_sets_the_page_size_and_letter_is_the_default(model):
    from docx.shared import Inches

    a4 = read(export(model, "docx", paper="A4")[0]).sections[0]
    letter = read(export(model, "docx")[0]).sections[0]
    assert (round(a4.page_width.mm), round(a4.page_height.mm)) == (210, 297)  # stored in twips
    assert (letter.page_width, letter.page_height) == (Inches(8.5), Inches(11))


def test_the_same_practice_on_the_same_day_is_the_same_file_dated_that_day(monkeypatch):
    import datetime as dt
    import time
    import zipfile

    model = params.load(EXAMPLES[0])
    day = dt.date(2026, 11, 16)
    first = export(model, "docx", today=day)[0]
    later = time.time() + 3 * 3600  # hours later: python-docx alone would date the zip entries then
    monkeypatch.setattr(time, "time", lambda: later)
    assert export(model, "docx", today=day)[0] == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(2026, 11, 16, 0, 0, 0)}
    props = read(first).core_properties
    assert props.created == props.modified == dt.datetime(2026, 11, 16, tzinfo=dt.UTC)  # not 2013
    assert props.comments == "" and "python-docx" not in package_xml(first)
    assert props.title == f"{model.title} · {model.practice.name}"


def package_xml(body: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(body)) as package:
        return package.read("docProps/core.xml").decode("utf-8")
