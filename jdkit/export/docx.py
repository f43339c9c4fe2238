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
import io
import os
import re
from typing import TYPE_CHECKING, Any

from ..errors import ExportError
from ..models import SECTIONS, JobDescription
from ..render import NO_PAY, benefit_rows, flsa_text, label, money, pay_range, target
from .docx_orgchart import add_org_chart

if TYPE_CHECKING:  # python-docx is optional and imported on first use
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

__all__ = ["export_docx", "build_document", "HEADINGS"]

HEADINGS = dict(SECTIONS)
_STYLES = ("Title", "Heading 1", "Heading 2", "List Bullet", "Table Grid")
# XML 1.0 cannot hold these (nor lone surrogates); python-docx refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def export_docx(model: JobDescription, *, fmt: str = "docx", docx_template: str | os.PathLike[str] | None = None,
                paper: str = "Letter", **options: Any) -> tuple[bytes, dict[str, Any]]:
    """Export ``model`` as a Word document; return ``(bytes, resources)``; nothing is written.

    ``paper`` (Letter or A4, as for PDF) sets the page size unless a ``docx_template`` sets it.
    """
    document = build_document(model, docx_template=docx_template)
    if docx_template is None and paper == "A4":
        from docx.shared import Mm

        for section in document.sections:
            section.page_width, section.page_height = Mm(210), Mm(297)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), {"format": fmt}


def build_document(model: JobDescription, *, docx_template: str | os.PathLike[str] | None = None) -> DocxDocument:
    """Build the python-docx ``Document`` of ``model`` (on ``docx_template`` when given)."""
    doc = _open(docx_template)
    _page_header_footer(doc, model)
    writer = _Writer(doc)
    writer.document(model)
    # Word's core properties hold at most 255 characters each (python-docx raises beyond).
    doc.core_properties.title = clean(f"{model.title} · {model.practice.name}")[:255]
    doc.core_properties.subject = f"Job description, O*NET-SOC {model.role.onet_soc}"
    # python-docx's template says "python-docx" wrote it; HR sees these in Word's file info.
    doc.core_properties.author = doc.core_properties.last_modified_by = \
        clean(model.review.owner or model.practice.name)[:255]
    return doc


def clean(text: str) -> str:
    """Drop characters XML cannot hold (control characters, lone surrogates); one kind of line break."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


class _Writer:
    """Appends the sections of a job description to a document, in the HTML document's order."""

    def __init__(self, doc: DocxDocument) -> None:
        self.doc = doc
        # Style ids looked up once: python-docx resolves a style name by scanning every
        # style on each paragraph, which made a document take half a second.
        self.style_ids = {name: doc.styles[name].style_id for name in _STYLES}

    def styled(self, style: str) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        paragraph._p.get_or_add_pPr().style = self.style_ids[style]
        return paragraph

    def heading(self, text: str, level: int) -> None:
        self.styled("Title" if level == 0 else f"Heading {level}").add_run(clean(text))

    def para(self, text: str, bold_label: str = "") -> Paragraph:
        paragraph = self.doc.add_paragraph()
        if bold_label:
            paragraph.add_run(clean(bold_label)).bold = True
            paragraph.add_run(" ")
        paragraph.add_run(clean(text))
        return paragraph

    def bullets(self, items: list[str] | list[tuple[str, str]]) -> None:
        for item in items:
            paragraph = self.styled("List Bullet")
            if isinstance(item, tuple):
                paragraph.add_run(clean(item[0])).bold = True
                paragraph.add_run(clean(item[1]))
            else:
                paragraph.add_run(clean(item))

    def table(self, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        for cell, text in zip(table.rows[0].cells, header):
            cell.paragraphs[0].add_run(text).bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row):
                cell.text = clean(text)

    def document(self, jd: JobDescription) -> None:
        p, pos = jd.practice, jd.position
        self.heading(jd.title, 0)
        self.para(", ".join(x for x in (p.name, p.city, p.state) if x))
        facts = [("Specialty:", p.specialty or ""),
                 ("Address:", ", ".join(x for x in (p.street_address, p.postal_code) if x) if p.street_address else ""),
                 ("Employment:", label(pos.employment_type) + (f", FLSA {pos.flsa_status}" if pos.flsa_status else "")),
                 ("Work location:", label(pos.location_type)), ("Schedule:", pos.schedule or ""),
                 ("Pay:", pay_range(jd)),
                 ("Posted:", pos.date_posted.isoformat() if pos.date_posted else ""),
                 ("Apply by:", pos.valid_through.isoformat() if pos.valid_through else ""),
                 ("Occupation:", f"O*NET-SOC {jd.role.onet_soc}" + (f" ({jd.role.onet_title})" if jd.role.onet_title else ""))]
        for name, value in facts:
            if value:
                self.para(value, name)
        if jd.summary:
            self.heading("Position Summary", 1)
            self.para(jd.summary)
        self.areas("responsibilities", jd.responsibilities)
        self.qualifications(jd)
        self.heading(HEADINGS["skills"], 1)
        self.bullets([(s.skill, f": {s.example}" if s.example else "") for s in jd.skills])
        self.areas("daily_tasks", jd.daily_tasks)
        self.reporting(jd)
        self.heading(HEADINGS["metrics"], 1)
        if jd.metrics:
            self.table(("Metric", "Family", "Target", "Period"),
                       [(m.name, label(m.family), target(m), m.period) for m in jd.metrics])
        self.heading(HEADINGS["compensation"], 1)
        pay = jd.compensation
        self.para(pay_range(jd) or NO_PAY, "Pay range:")
        for name, value in (("FLSA status:", flsa_text(jd)), ("Bonus:", pay.bonus), ("Overtime:", pay.overtime)):
            if value:
                self.para(value, name)
        self.heading(HEADINGS["benefits"], 1)
        self.table(("Benefit", "Details"), benefit_rows(jd))
        self.heading(HEADINGS["compliance"], 1)
        for area in jd.compliance:
            self.heading(area.standard, 2)
            self.bullets(area.items)
        if jd.physical_demands:
            self.heading("Physical Demands", 1)
            self.bullets(jd.physical_demands)
        if jd.equal_opportunity:
            self.heading("Equal Opportunity", 1)
            self.para(jd.equal_opportunity)
        review = jd.review
        self.para(f"Last reviewed {review.last_reviewed or 'never'}" + (f" by {review.owner}" if review.owner else "")
                  + (f"; next review due {review.next_due}" if review.next_due else "") + ".")

    def areas(self, section: str, areas: list[Any]) -> None:
        self.heading(HEADINGS[section], 1)
        for area in areas:
            self.heading(area.area, 2)
            self.bullets(area.items)

    def qualifications(self, jd: JobDescription) -> None:
        q = jd.qualifications
        self.heading(HEADINGS["qualifications"], 1)
        if q.education:
            self.heading("Education", 2)
            field = f" in {q.education.field}" if q.education.field else ""
            self.para(f"{q.education.degree}{field}." + (f" {q.education.equivalent}" if q.education.equivalent else ""))
        if q.certifications:
            self.heading("Certifications", 2)
            self.bullets([(f"{label(c.level)}: ", c.name + (f" ({c.abbreviation})" if c.abbreviation else "")
                           + f", issued by {c.issuer}" + (f", within {c.within_months} months of hire"
                                                          if c.within_months else "")) for c in q.certifications])
        if q.experience:
            self.heading("Experience", 2)
            self.bullets([(f"{label(e.level)}: ", f"{e.years:g}+ years of {e.kind}") for e in q.experience])

    def reporting(self, jd: JobDescription) -> None:
        r, a = jd.reporting, jd.reporting.authority
        self.heading(HEADINGS["reporting"], 1)
        self.para(r.reports_to or "Not stated", "Reports to:")
        self.para(", ".join(r.supervises) if r.supervises else "No direct reports", "Supervises:")
        add_org_chart(self.doc, jd)  # the reporting chart, as in the HTML and PDF
        if r.channels:
            self.heading("Communication", 2)
            self.bullets([c.method + (f" with {c.audience}" if c.audience else "") + (f" ({c.cadence})" if c.cadence else "")
                          for c in r.channels])
        if a.decides_alone or a.spending_limit:
            self.heading("Decides alone", 2)
            limit = [f"Purchases up to {money(a.spending_limit, jd.compensation.currency)} each"] if a.spending_limit else []
            self.bullets([*a.decides_alone, *limit])
        if a.needs_approval:
            self.heading("Needs approval", 2)
            self.bullets(a.needs_approval)


def _open(template: str | os.PathLike[str] | None) -> DocxDocument:
    """Open python-docx's default document, or the user's reference .docx with its body emptied."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:
        raise ExportError("Word export needs python-docx, which is not installed", field="--to",
                          hint="pip install python-docx (or pip install 'jdkit[notebook]')") from None
    if template is None:
        return docx.Document()
    path = os.fspath(template)
    if not os.path.isfile(path):
        raise ExportError("no such file", file=path, field="--docx-template", hint="give the path of a .docx file")
    try:
        doc = docx.Document(path)
    except (PackageNotFoundError, ValueError, KeyError, OSError) as exc:
        raise ExportError(f"is not a Word document ({type(exc).__name__})", file=path, field="--docx-template",
                          hint="save the reference document from Word as .docx (not .doc or .dotx)") from None
    except Exception as exc:  # zipfile.BadZipFile, lxml errors: a broken package either way
        raise ExportError(f"cannot be read as a Word document ({type(exc).__name__})", file=path,
                          field="--docx-template", hint="save the reference document from Word as .docx") from None
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
    abstract = next(a for a in source.findall(_qn("w:abstractNum")) if int(a.get(_qn("w:abstractNumId"))) == abstract_id)
    target = doc.part.numbering_part.element
    new_abstract_id = 1 + max((int(a.get(_qn("w:abstractNumId"))) for a in target.findall(_qn("w:abstractNum"))),
                              default=-1)
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


def _page_header_footer(doc: DocxDocument, model: JobDescription) -> None:
    """Practice name in each section's header; "Page N of M" fields in each footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    name = clean(model.practice.name)
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


def _field(paragraph: Paragraph, instruction: str) -> None:
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
