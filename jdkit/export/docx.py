"""Word export (python-docx): real heading styles, bulleted lists, tables, header and footer.

The document uses Word's built-in styles (``Title``, ``Heading 1``, ``Heading 2``, ``List Bullet``,
``Table Grid``) so that the navigation pane and a user's reference document both work.
``docx_template`` names a reference .docx: its fonts, styles, page set-up, header and
footer (a letterhead) are kept and its body is replaced; styles it lacks are copied from
python-docx's default template. The practice's name goes in the page header and
"Page N of M" (PAGE and NUMPAGES fields) in the footer.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
from typing import TYPE_CHECKING, Any

from ..document import (
    Block,
    BulletList,
    Chart,
    Definitions,
    Document,
    Heading,
    Paragraph,
    Signature,
    Table,
    build,
)
from ..errors import ExportError
from ..models import JobDescription
from .docx_orgchart import add_org_chart, clean  # clean: also the org chart's

if TYPE_CHECKING:  # python-docx is optional and imported on first use
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph as DocxParagraph

__all__ = ["export_docx", "build_document"]

_STYLES = ("Title", "Heading 1", "Heading 2", "List Bullet", "Table Grid")


def export_docx(
    model: JobDescription,
    *,
    fmt: str = "docx",
    docx_template: str | os.PathLike[str] | None = None,
    paper: str = "Letter",
    kind: str = "description",
    today: dt.date | None = None,
    **options: Any,
) -> tuple[bytes, dict[str, Any]]:
    """Export ``model`` as a Word document; return ``(bytes, resources)``; nothing is written.

    ``paper`` (Letter or A4, as for PDF) sets the page size unless a ``docx_template`` sets it.
    """
    document = build_document(model, docx_template=docx_template, kind=kind, today=today)
    if docx_template is None and paper == "A4":
        from docx.shared import Mm

        for section in document.sections:
            section.page_width, section.page_height = Mm(210), Mm(297)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), {"format": fmt}


def build_document(
    model: JobDescription,
    *,
    docx_template: str | os.PathLike[str] | None = None,
    kind: str = "description",
    today: dt.date | None = None,
) -> DocxDocument:
    """Build the python-docx ``Document`` of ``model``'s ``kind`` (on ``docx_template`` when
    given)."""
    tree = build(model, kind, today=today)
    doc = _open(docx_template)
    _page_header_footer(doc, tree.practice)
    doc.core_properties.language = tree.lang
    _Writer(doc).document(tree, model)
    # Word's core properties hold at most 255 characters each (python-docx raises beyond).
    doc.core_properties.title = clean(f"{model.title} · {model.practice.name}")[:255]
    doc.core_properties.subject = (
        "Job posting" if kind == "posting" else "Job description"
    ) + f", O*NET-SOC {model.role.onet_soc}"
    # python-docx's template says "python-docx" wrote it; HR sees these in Word's file info.
    doc.core_properties.author = doc.core_properties.last_modified_by = clean(
        model.review.owner or model.practice.name
    )[:255]
    return doc


class _Writer:
    """Appends the sections of a job description to a document, in the HTML document's order."""

    def __init__(self, doc: DocxDocument) -> None:
        self.doc = doc
        # Style ids looked up once: python-docx resolves a style name by scanning every
        # style on each paragraph, which made a document take half a second.
        self.style_ids = {name: doc.styles[name].style_id for name in _STYLES}

    def styled(self, style: str) -> DocxParagraph:
        paragraph = self.doc.add_paragraph()
        paragraph._p.get_or_add_pPr().style = self.style_ids[style]
        return paragraph

    def heading(self, text: str, level: int) -> None:
        self.styled("Title" if level == 0 else f"Heading {level}").add_run(clean(text))

    def para(self, text: str, bold_label: str = "") -> DocxParagraph:
        paragraph = self.doc.add_paragraph()
        if bold_label:
            paragraph.add_run(clean(bold_label)).bold = True
        if text:
            paragraph.add_run((" " if bold_label else "") + clean(text))
        return paragraph

    def bullets(self, items: list[str | tuple[str, str]]) -> None:
        for item in items:
            paragraph = self.styled("List Bullet")
            if isinstance(item, tuple):
                paragraph.add_run(clean(item[0])).bold = True
                paragraph.add_run(clean(item[1]))
            else:
                paragraph.add_run(clean(item))

    def table(self, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        from docx.oxml import OxmlElement

        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        for cell, text in zip(table.rows[0].cells, header, strict=True):  # cols=len(header)
            cell.paragraphs[0].add_run(text).bold = True
        # The header row repeats on every page, and screen readers take it as the header.
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):  # every row is as wide as the header
                cell.text = clean(text)

    def document(self, doc: Document, model: JobDescription) -> None:
        """Write the tree: notice, title, practice line, facts, then each section's blocks."""
        if doc.notice:
            self.doc.add_paragraph().add_run(clean(doc.notice)).bold = True
        self.heading(doc.title, 0)
        self.para(doc.place)
        self.block(doc.facts, model)
        for section in doc.sections:
            self.heading(section.title, 1)
            for block in section.blocks:
                self.block(block, model)
        if doc.footer:
            self.para(doc.footer)

    def block(self, block: Block, model: JobDescription) -> None:
        """One block of the tree in Word's own styles."""
        if isinstance(block, Heading):
            self.heading(block.text, 2)
        elif isinstance(block, Paragraph):
            self.para(block.text, f"{block.label}:" if block.label else "")
        elif isinstance(block, BulletList):
            self.bullets([(f"{i.label}: ", i.text) if i.label else i.text for i in block.items])
        elif isinstance(block, Definitions):
            for term, value in block.pairs:
                self.para(value, f"{term}:")
        elif isinstance(block, Table):
            self.table(block.header, list(block.rows))
        elif isinstance(block, Chart):
            add_org_chart(self.doc, model)  # Word cannot show SVG: the chart as shaded paragraphs
            from docx.enum.text import WD_ALIGN_PARAGRAPH

            self.para(block.caption).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(block, Signature):
            for party in block.parties:
                self.para("", party)
                for name in block.fields:
                    self.para("_" * 30, f"{name}:")


def _open(template: str | os.PathLike[str] | None) -> DocxDocument:
    """Open python-docx's default document, or the user's reference .docx with its body emptied."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:
        raise ExportError(
            "Word export needs python-docx, which is not installed",
            field="format",
            hint="python-docx comes with jdkit: pip install python-docx",
        ) from None
    if template is None:
        return docx.Document()
    path = os.fspath(template)
    if not os.path.isfile(path):
        raise ExportError(
            "no such file", file=path, field="docx_template", hint="give the path of a .docx file"
        )
    try:
        doc = docx.Document(path)
    except (PackageNotFoundError, ValueError, KeyError, OSError) as exc:
        raise ExportError(
            f"is not a Word document ({type(exc).__name__})",
            file=path,
            field="docx_template",
            hint="save the reference document from Word as .docx (not .doc or .dotx)",
        ) from None
    except Exception as exc:  # zipfile.BadZipFile, lxml errors: a broken package either way
        raise ExportError(
            f"cannot be read as a Word document ({type(exc).__name__})",
            file=path,
            field="docx_template",
            hint="save the reference document from Word as .docx",
        ) from None
    body = doc.element.body
    for child in list(body):
        if child.tag != _qn("w:sectPr"):  # keep the page set-up, drop the sample text
            body.remove(child)
    _ensure_styles(doc, docx.Document())
    return doc


def _ensure_styles(doc: DocxDocument, default: DocxDocument) -> None:
    """Copy the styles jdkit uses from python-docx's default template when ``doc`` lacks them."""
    names = {style.name for style in doc.styles}
    for name in _STYLES:
        if name in names:
            continue
        element = copy.deepcopy(default.styles[name].element)
        for link in element.findall(_qn("w:link")):  # the linked character style may be missing
            element.remove(link)
        num_pr = element.find(f"{_qn('w:pPr')}/{_qn('w:numPr')}")
        if num_pr is not None:
            _copy_numbering(doc, default, num_pr)
        doc.styles.element.append(element)


def _copy_numbering(doc: DocxDocument, default: DocxDocument, num_pr: Any) -> None:
    """Copy the bullet definition a copied list style points at, under fresh ids."""
    num_id_el = num_pr.find(_qn("w:numId"))
    source = default.part.numbering_part.element
    num = next(n for n in source.num_lst if n.numId == int(num_id_el.get(_qn("w:val"))))
    abstract_id = num.abstractNumId.val
    abstract = next(
        a
        for a in source.findall(_qn("w:abstractNum"))
        if int(a.get(_qn("w:abstractNumId"))) == abstract_id
    )
    target = doc.part.numbering_part.element
    new_abstract_id = 1 + max(
        (int(a.get(_qn("w:abstractNumId"))) for a in target.findall(_qn("w:abstractNum"))),
        default=-1,
    )
    new_abstract = copy.deepcopy(abstract)
    new_abstract.set(_qn("w:abstractNumId"), str(new_abstract_id))
    for nsid in new_abstract.findall(_qn("w:nsid")):  # a shared nsid would merge the lists
        new_abstract.remove(nsid)
    first_num = target.find(_qn("w:num"))
    if first_num is not None:  # abstractNum elements must come before num elements
        first_num.addprevious(new_abstract)
    else:
        target.append(new_abstract)
    new_num = target.add_num(new_abstract_id)
    num_id_el.set(_qn("w:val"), str(new_num.numId))


def _page_header_footer(doc: DocxDocument, practice: str) -> None:
    """The practice's name in each section's header; "Page N of M" fields in each footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    name = clean(practice)
    for section in doc.sections:
        header = section.header
        text = "\n".join(p.text for p in header.paragraphs)
        if name not in text:
            first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            paragraph = first if not first.text.strip() else header.add_paragraph()
            paragraph.add_run(name)
        footer = section.footer
        first = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph = first if not first.text.strip() else footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("Page ")
        _field(paragraph, "PAGE")
        paragraph.add_run(" of ")
        _field(paragraph, "NUMPAGES")


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    """Append a complex field (``PAGE``, ``NUMPAGES``) built with python-docx's oxml helpers."""
    from docx.oxml import OxmlElement

    def run_with(tag: str, **attrs: str) -> Any:
        element = OxmlElement(tag)
        for key, value in attrs.items():
            element.set(_qn(key), value)
        paragraph.add_run()._r.append(element)
        return element

    run_with("w:fldChar", **{"w:fldCharType": "begin"})
    instr = run_with("w:instrText", **{"xml:space": "preserve"})
    instr.text = f" {instruction} "
    run_with("w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run("1")  # shown until Word updates the field
    run_with("w:fldChar", **{"w:fldCharType": "end"})


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)
