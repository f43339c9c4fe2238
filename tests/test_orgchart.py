"""The reporting-structure chart: well-formed escaped SVG, laid out sanely, in HTML, PDF and Word."""

from __future__ import annotations

import html
import io
import re
import unicodedata
import xml.etree.ElementTree as ET

import pytest

import jdkit
from jdkit import roles
from jdkit.export import export
from jdkit.orgchart import OrgChart, chart_of, org_chart_svg
from jdkit.params import Params, build
from jdkit.render import render

from .conftest import EXAMPLES, PARAMS, example_ids

MANAGER = (
    PARAMS / "cedar-family-medicine.yaml"
)  # an office manager: reports to someone, supervises four

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(\"x\")</script> & Co ]]> 'quoted'"


def model_for(role_id: str, **reporting):
    data = {"role": role_id, "practice": {"name": "Aspen Clinic", "state": "CO"}}
    if reporting:
        data["reporting"] = reporting
    return build(Params(data))


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    return root


def box_titles(root: ET.Element, kind: str) -> list[str]:
    """The full title of every box of ``kind`` (supervisor, role, supervised), in order."""
    return [
        g.find(SVG + "title").text for g in root.iter(SVG + "g") if g.get("class") == f"org-{kind}"
    ]


def rects(root: ET.Element) -> list[tuple[float, float, float, float]]:
    return [
        (float(r.get("x")), float(r.get("y")), float(r.get("width")), float(r.get("height")))
        for r in root.iter(SVG + "rect")
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=example_ids())
def test_every_example_gives_a_well_formed_chart_of_its_reporting_lines(path):
    model = jdkit.load(path)
    root = parse(org_chart_svg(model))
    assert box_titles(root, "role") == [model.title]
    assert box_titles(root, "supervisor") == (
        [model.reporting.reports_to] if model.reporting.reports_to else []
    )
    assert box_titles(root, "supervised") == model.reporting.supervises


@pytest.mark.parametrize("role_id", roles.ids())
def test_every_library_role_draws_and_boxes_stay_inside_the_canvas_without_overlap(role_id):
    model = model_for(role_id)
    root = parse(org_chart_svg(model))
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    boxes = rects(root)
    assert len(boxes) == 1 + bool(model.reporting.reports_to) + len(model.reporting.supervises)
    for x, y, w, h in boxes:
        assert 0 <= x and x + w <= width and 0 <= y and y + h <= height
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a[0] + a[2] <= b[0]
                or b[0] + b[2] <= a[0]
                or a[1] + a[3] <= b[1]
                or b[1] + b[3] <= a[1]
            )
            assert apart, (a, b)


def test_supervisor_above_role_above_supervised_and_many_reports_wrap_into_rows():
    names = [f"Clerk {n}" for n in range(1, 7)]
    root = parse(
        org_chart_svg(model_for("medical-office-manager", reports_to="Owner", supervises=names))
    )
    top = {
        g.find(SVG + "title").text: float(g.find(SVG + "rect").get("y"))
        for g in root.iter(SVG + "g")
    }
    assert top["Owner"] < top["Medical Office Manager"] < top["Clerk 1"]
    assert top["Clerk 1"] == top["Clerk 4"] < top["Clerk 5"] == top["Clerk 6"]  # four to a row
    lines = list(root.iter(SVG + "line"))
    assert len(lines) >= 1 + 2 * 2 + len(
        names
    )  # supervisor link, trunk and bus per row, a drop per box


def test_a_role_with_no_supervisor_and_no_reports_is_one_box():
    chart = OrgChart(role="Solo Practitioner")
    root = parse(org_chart_svg(chart))
    assert len(rects(root)) == 1 and not list(root.iter(SVG + "line"))
    assert "supervises no one" in root.find(SVG + "title").text


def test_names_are_escaped_and_survive_a_round_trip_through_an_xml_parser():
    model = model_for(
        "medical-receptionist", reports_to=HOSTILE, supervises=["A & B", "x\x01y <b>bold</b>"]
    )
    svg = org_chart_svg(model)
    assert "<script" not in svg and "<b>" not in svg
    root = parse(svg)  # raises on any unescaped markup or control character
    assert box_titles(root, "supervisor") == [HOSTILE]
    assert box_titles(root, "supervised") == ["A & B", "xy <b>bold</b>"]
    assert HOSTILE in root.get("aria-label")


def test_long_titles_wrap_to_two_lines_with_an_ellipsis():
    title = "Director of Revenue Cycle Integrity and Payer Relations for All Sites"
    root = parse(org_chart_svg(OrgChart(role="Coder", supervisor=title)))
    group = next(g for g in root.iter(SVG + "g") if g.get("class") == "org-supervisor")
    spans = [span.text for span in group.iter(SVG + "tspan")]
    assert len(spans) == 2 and spans[1].endswith("\u2026")
    assert group.find(SVG + "title").text == title  # the full title stays available


def test_chart_is_embedded_in_the_html_reporting_section_escaped():
    model = model_for("medical-office-manager", reports_to=HOSTILE)
    html = render(model, "html")
    section = re.search(r'<section id="reporting"[^>]*>.*?</section>', html, re.S).group(0)
    assert section.count("<svg") == 1 and "<script>" not in html
    svg = re.search(r"<svg.*?</svg>", section, re.S).group(0)
    assert box_titles(parse(svg), "supervisor") == [HOSTILE]
    assert (
        '<figcaption id="org-chart-caption">Reporting structure of the Medical Office Manager</figcaption>'
        in section
    )


def test_chart_content_follows_the_position_title():
    model = build(
        Params(
            {
                "role": "medical-coder",
                "practice": {"name": "Aspen Clinic", "state": "CO"},
                "position": {"title": "Senior Coder"},
            }
        )
    )
    assert chart_of(model) == OrgChart(
        role="Senior Coder", supervisor="Practice Administrator", supervised=()
    )


def test_chart_is_in_the_word_document_as_shaded_levels():
    docx = pytest.importorskip("docx")
    model = jdkit.load(MANAGER)
    document = docx.Document(io.BytesIO(export(model, "docx")[0]))
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Reporting Structure")
    chart = texts[start : start + 8]
    assert model.reporting.reports_to in chart and "\u25bc" in chart
    role = document.paragraphs[start + chart.index(model.title)]
    assert 'w:fill="1F5F8B"' in role._p.xml  # the role's box in the accent colour
    row = next(
        p for p in document.paragraphs[start:] if "\u00a0Medical Receptionist\u00a0" in p.text
    )
    assert all(f"\u00a0{name}\u00a0" in row.text for name in model.reporting.supervises)


def test_chart_is_in_the_pdf():
    pypdf = pytest.importorskip("pypdf")
    model = jdkit.load(MANAGER)
    from jdkit.export.pdf import Printer

    with (
        Printer() as printer
    ):  # its own browser, closed here: no sync Playwright left running for later tests
        body, _ = export(model, "pdf", printer=printer)
    pages = pypdf.PdfReader(io.BytesIO(body)).pages
    text = unicodedata.normalize(
        "NFKC", " ".join(page.extract_text() for page in pages)
    )  # ligatures: "ﬃ"
    text = " ".join(text.split())
    assert "Reporting structure of the Medical Office Manager" in text
    # each supervised title appears in the "Supervises" line and again in its chart box
    for name in model.reporting.supervises:
        assert text.count(name) >= 2, name


def test_chart_shows_in_the_forms_live_preview_and_follows_edits(tmp_path):
    from jdkit.form import Form  # the widget form, driven headless as in tests/form/test_form.py

    form = Form(tmp_path, role="medical-receptionist")
    form.field("practice.name").control.value = "Aspen Clinic"
    form.field("practice.state").control.value = "CO"

    def chart() -> ET.Element:
        page = html.unescape(form.preview.value)  # the preview is an iframe's escaped srcdoc
        return parse(re.search(r"<svg.*?</svg>", page, re.S).group(0))

    assert box_titles(chart(), "supervisor") == ["Medical Office Manager"]
    assert box_titles(chart(), "role") == ["Medical Receptionist"]
    form.field("reporting.reports_to").control.value = "Front Desk Lead <Day & Night>"
    assert box_titles(chart(), "supervisor") == ["Front Desk Lead <Day & Night>"]
