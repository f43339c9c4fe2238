"""The reporting-structure chart in Word: shaded, centred paragraphs, one per level.

python-docx cannot embed SVG and jdkit has no rasteriser, so the chart of
``jdkit.orgchart`` is drawn with paragraph and character shading: the supervisor's box,
an arrow, the role's box in the accent colour, an arrow, then the supervised roles as a
row of shaded labels. Paragraphs (not a table) keep the document's tables to its data.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..orgchart import ACCENT, PAPER, chart_of

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

    from ..models import JobDescription

__all__ = ["add_org_chart", "clean", "BOX_INCHES"]

# XML 1.0 cannot hold these (nor lone surrogates); python-docx refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Drop characters XML cannot hold (control characters, lone surrogates); one kind of line
    break. (Here, not in ``jdkit.export.docx``, which imports this module: no import cycle.)"""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


_AFTER_SHD_IN_PPR = (
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_SHD_IN_RPR = (
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
ARROW = "\u25bc"  # a down-pointing triangle between the levels
BOX_INCHES = 2.6


def add_org_chart(doc: DocxDocument, model: JobDescription) -> list[Paragraph]:
    """Append the reporting-structure chart of ``model`` to ``doc``; return its paragraphs."""
    chart = chart_of(model)
    section = doc.sections[-1]
    usable = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    indent = max(0, (usable - int(BOX_INCHES * 914400)) // 2)  # EMU; centres a box of BOX_INCHES
    added: list[Paragraph] = []

    def level(text: str, fill: str | None, *, box: bool = True, white: bool = False) -> None:
        paragraph = _centred(doc)
        if box:
            paragraph.paragraph_format.left_indent = indent
            paragraph.paragraph_format.right_indent = indent
            _shade(paragraph._p.get_or_add_pPr(), fill)
        run = paragraph.add_run(clean(text))
        if white:
            run.bold = True
            _white(run)
        added.append(paragraph)

    if chart.supervisor:
        level(chart.supervisor, PAPER)
        level(ARROW, None, box=False)
    level(chart.role, ACCENT, white=True)
    if chart.supervised:
        level(ARROW, None, box=False)
        row = _centred(doc)
        for index, title in enumerate(chart.supervised):
            if index:
                row.add_run("   ")
            # No-break spaces pad each shaded label.
            run = row.add_run(f"\u00a0{clean(title)}\u00a0")
            _shade(run._r.get_or_add_rPr(), PAPER)
        added.append(row)
    return added


def _centred(doc: DocxDocument) -> Paragraph:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(2)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _shade(properties: Any, fill: str | None) -> None:
    """Give a paragraph's or run's properties a solid background ``fill`` (``#rrggbb``)."""
    if not fill:
        return
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill.lstrip("#").upper())
    # WordprocessingML fixes the order of properties; Word rejects a misplaced w:shd.
    later = _AFTER_SHD_IN_PPR if properties.tag == qn("w:pPr") else _AFTER_SHD_IN_RPR
    properties.insert_element_before(shading, *later)


def _white(run: Any) -> None:
    from docx.shared import RGBColor

    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
