"""Accessible PDF and HTML: the ``pdfua`` checker on every PDF, axe-core in real Chromium on the HTML.

PDFs are tagged by Chromium (``page.pdf(tagged=True, outline=True)``) and finished by
``jdkit.export.tagging``; ``pdfua check`` must find no ERROR. axe-core (npm) is injected
into the HTML document of each kind and into the batch's ``summary.html``: no violation of
serious or critical impact.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdf
import pytest

from jdkit import params
from jdkit.document import build
from jdkit.export import stem_of
from jdkit.export.pdf import CHROMIUM_ARGS, find_chromium
from jdkit.render import render

from ..conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow
PDFUA = Path(sys.executable).with_name("pdfua")
AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
KEYS = [(path, kind) for path in EXAMPLES for kind in ("description", "posting")]


@pytest.fixture(scope="module")
def pdfs(rendered_both: Path) -> dict[str, Path]:
    """Each example's PDFs as ``jdkit render`` prints them (conftest's session fixture)."""
    return {
        f"{path.stem}:{kind}": rendered_both / f"{stem_of(params.load(path), kind)}.pdf"
        for path, kind in KEYS
    }


def test_pdfua_finds_no_error_in_any_pdf(pdfs):
    done = subprocess.run(
        [str(PDFUA), "check", "--format", "json", *map(str, pdfs.values())],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode in (0, 1, 2), (
        done.stdout[-3000:] + done.stderr[-2000:]
    )  # 3 = an ERROR finding
    decoder, text, files = json.JSONDecoder(), done.stdout.strip(), []
    while text:  # one JSON report per file, one after the other
        report, end = decoder.raw_decode(text)
        files.append(report)
        text = text[end:].strip()
    assert len(files) == len(pdfs)
    assert [
        (f["file"], f["summary"]["errors"], f["findings"]) for f in files if f["summary"]["errors"]
    ] == []
    assert all(f["summary"]["rules_run"] >= 10 for f in files)


@pytest.mark.parametrize("path,kind", KEYS, ids=[f"{p.stem}-{k}" for p, k in KEYS])
def test_pdf_is_tagged_with_language_outline_title_and_chart_text(pdfs, path, kind):
    model = params.load(path)
    doc = build(model, kind)
    with pikepdf.open(pdfs[f"{path.stem}:{kind}"]) as pdf:
        assert str(pdf.Root.Lang) == "en" and bool(pdf.Root.MarkInfo.Marked)
        assert "/StructTreeRoot" in pdf.Root and bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        with pdf.open_metadata() as meta:
            assert meta.get("pdfuaid:part") == "1"
            # the file's properties, in the XMP packet and the information dictionary alike
            assert meta.get("dc:creator") == [doc.author] == [model.practice.name]
            assert (
                meta.get("dc:description") == doc.subject and meta.get("xmp:CreatorTool") == "jdkit"
            )
        assert (str(pdf.docinfo.Author), str(pdf.docinfo.Subject), str(pdf.docinfo.Creator)) == (
            doc.author,
            doc.subject,
            "jdkit",
        )
        assert doc.subject.startswith(
            ("Job description for the ", "Job posting for the ")[kind == "posting"]
        )
        figures = [e for e in _walk(pdf.Root.StructTreeRoot) if e.get("/S") == "/Figure"]
        alts = [str(f.Alt) for f in figures if "/Alt" in f]
        if kind == "description":
            assert (
                any(model.reporting.supervises[0] in alt for alt in alts)
                if model.reporting.supervises
                else alts
            ), alts
        assert len(alts) == len(figures)
    outline = pypdf.PdfReader(pdfs[f"{path.stem}:{kind}"]).outline
    assert outline[0].title == doc.title  # h1, then the sections under it
    assert [item.title for item in outline[1] if not isinstance(item, list)] == doc.section_titles
    title = pypdf.PdfReader(pdfs[f"{path.stem}:{kind}"]).metadata.title
    assert title.startswith(f"{doc.title} · {doc.practice}")


def _walk(node):  # type: ignore[no-untyped-def]
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Dictionary):
            yield item
            kids = item.get("/K")
            stack.extend(
                kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            )


# --- axe-core in Chromium -------------------------------------------------------------------


@pytest.fixture(scope="module")
def axe() -> str:
    """axe-core's script, installed by scripts/ensure-axe (npm) into .cache/axe when absent."""
    if not AXE.is_file():
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed: cannot install axe-core")
        subprocess.run([str(ROOT / "scripts" / "ensure-axe")], check=True, timeout=300)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        launched = play.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def violations(browser, axe_js: str, html: str) -> list[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    """axe-core's violations of serious or critical impact: (rule, impact, how many nodes)."""
    page = browser.new_page()
    try:
        page.set_content(html, wait_until="load")
        page.add_script_tag(content=axe_js)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    finally:
        page.close()
    return [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("path,kind", KEYS, ids=[f"{p.stem}-{k}" for p, k in KEYS])
def test_axe_finds_no_serious_violation_in_the_html_document(browser, axe, path, kind):
    assert violations(browser, axe, render(params.load(path), "html", kind=kind)) == []


def test_axe_finds_no_serious_violation_in_the_batch_summary(browser, axe, tmp_path):
    from jdkit.batch import write_summary
    from jdkit.batch.plan import _row

    rows = []
    for index, path in enumerate(EXAMPLES):
        row = _row(params.load(path), str(path))
        row.status, row.score, row.errors = ("ok", 95, 0) if index else ("failed", None, None)
        row.reason = "" if index else "cell 2 raised ValueError: <boom> & more"
        row.outputs = [f"{row.slug}/{row.slug}.html", f"{row.slug}/{row.slug}.pdf"]
        rows.append(row)
    _, summary = write_summary(rows, tmp_path)
    html = summary.read_text(encoding="utf-8")
    assert "<main" in html
    assert violations(browser, axe, html) == []


def test_html_headings_go_in_order_and_tables_have_header_cells():
    import re

    for path in EXAMPLES:
        html = render(params.load(path), "html")
        levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", html)]
        assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
        for table in re.findall(r"<table.*?</table>", html, re.S):
            assert '<th scope="col">' in table and "<caption>" in table
        assert re.search(r'<svg[^>]*role="img"[^>]*aria-label="[^"]+"', html)
        assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
