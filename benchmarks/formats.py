"""Benchmark each export format of the direct path, and PDF with one shared browser vs one per
document.

    python benchmarks/formats.py [-n 20] [--repeat 3]

Prints milliseconds per document for md, html, jsonld, docx and pdf, the Word export
against python-docx's plain style-name API (what ``docx.py`` avoids), and PDF with the
shared ``Printer`` (what ``jdkit render --to pdf`` does) against a fresh Chromium per
document. Run it on a quiet machine; nothing here is asserted in tests.
"""

from __future__ import annotations

import argparse
import io

from common import ROOT, best_of

from jdkit import params
from jdkit.export import export
from jdkit.export.docx import build_document
from jdkit.export.pdf import Printer


def docx_by_style_name(model) -> bytes:
    """The naive alternative: python-docx's ``add_paragraph(style=name)`` for every paragraph."""
    import docx

    doc = docx.Document()
    for area in [*model.responsibilities, *model.daily_tasks, *model.compliance]:
        doc.add_heading(area.area if hasattr(area, "area") else area.standard, 2)
        for item in area.items:
            doc.add_paragraph(item, style="List Bullet")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def docx_by_style_id(model) -> bytes:
    """The same paragraphs the way ``jdkit.export.docx`` adds them (style ids looked up once)."""
    import docx

    doc = docx.Document()
    ids = {name: doc.styles[name].style_id for name in ("Heading 2", "List Bullet")}
    for area in [*model.responsibilities, *model.daily_tasks, *model.compliance]:
        heading = doc.add_paragraph()
        heading._p.get_or_add_pPr().style = ids["Heading 2"]
        heading.add_run(area.area if hasattr(area, "area") else area.standard)
        for item in area.items:
            paragraph = doc.add_paragraph()
            paragraph._p.get_or_add_pPr().style = ids["List Bullet"]
            paragraph.add_run(item)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="documents per measurement")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    models = [params.load(p) for p in sorted((ROOT / "params").glob("*.yaml"))]
    docs = [models[i % len(models)] for i in range(args.n)]
    rows: list[tuple[str, float, str]] = []
    for fmt in ("md", "html", "jsonld", "docx"):
        seconds = best_of(args.repeat, lambda fmt=fmt: [export(m, fmt) for m in docs])
        rows.append((f"{fmt}", seconds / len(docs) * 1000, ""))
    build_document(docs[0])
    by_name = best_of(args.repeat, lambda: [docx_by_style_name(m) for m in docs]) / len(docs) * 1000
    by_id = best_of(args.repeat, lambda: [docx_by_style_id(m) for m in docs]) / len(docs) * 1000
    rows.append(("docx lists, style by name (python-docx API)", by_name, ""))
    rows.append(
        ("docx lists, style id looked up once (jdkit)", by_id, f"{by_name / by_id:.1f}x faster")
    )
    pdf_docs = docs[: max(2, min(len(docs), 8))]
    with Printer() as printer:
        export(pdf_docs[0], "pdf", printer=printer)  # browser start, outside the timing
        shared = best_of(
            args.repeat, lambda: [export(m, "pdf", printer=printer) for m in pdf_docs]
        ) / len(pdf_docs)

    def fresh_browser_each() -> None:
        for m in pdf_docs:
            with Printer() as own:
                export(m, "pdf", printer=own)

    fresh = best_of(1, fresh_browser_each) / len(pdf_docs)
    rows.append(("pdf, one shared Chromium (jdkit render)", shared * 1000, ""))
    rows.append(
        (
            "pdf, a new Chromium per document",
            fresh * 1000,
            f"shared is {fresh / shared:.1f}x faster",
        )
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'format':<{width}}  {'ms/doc':>9}  ratio")
    for name, ms, ratio in rows:
        print(f"{name:<{width}}  {ms:>9.1f}  {ratio}")


if __name__ == "__main__":
    main()
