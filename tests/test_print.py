"""Print that reads as finished, checked on the PDF itself (pypdf for text and positions, pikepdf
for the structure tree Chromium tags): page count, fill, running head, page numbers, no item
or table row split across pages, nothing past the right margin."""

from __future__ import annotations

import io
import unicodedata

import pikepdf
import pypdf
import pytest

from jdkit import params
from jdkit.document import build
from jdkit.export import export
from jdkit.export.pdf import Printer

from .conftest import EXAMPLES

pytestmark = pytest.mark.slow
MANAGERS = [p for p in EXAMPLES if params.load(p).role.id == "medical-office-manager"]
MM = 72 / 25.4  # points in a millimetre
TOP, BOTTOM, SIDE = 13 * MM, 12 * MM, 13 * MM  # the @page margins of style.css.j2


@pytest.fixture(scope="module")
def printer():
    with Printer(pages=2) as shared:
        yield shared


@pytest.fixture(scope="module")
def pdfs(printer) -> dict[str, bytes]:
    out = {}
    for path in EXAMPLES:
        model = params.load(path)
        for kind in ("description", "posting"):
            out[f"{path.stem}:{kind}"] = export(model, "pdf", printer=printer, kind=kind)[0]
    return out


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def placed_text(page: pypdf.PageObject) -> list[tuple[str, float, float]]:
    """(text, x, y) of each piece of text on the page, in PDF points from the bottom left."""
    found: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text, x, y))

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("path", MANAGERS, ids=[p.stem for p in MANAGERS])
def test_office_manager_description_is_at_most_six_letter_pages_none_a_third_empty(pdfs, path):
    reader = pypdf.PdfReader(io.BytesIO(pdfs[f"{path.stem}:description"]))
    assert len(reader.pages) <= 6
    for number, page in enumerate(reader.pages[:-1], start=1):
        height = float(page.mediabox.height)
        assert round(float(page.mediabox.width)) == 612 and round(height) == 792  # Letter
        body = [y for text, x, y in placed_text(page) if BOTTOM < y < height - TOP]
        lowest = min(body)
        empty = (lowest - BOTTOM) / (height - TOP - BOTTOM)
        assert empty <= 1 / 3, f"page {number} is {empty:.0%} empty"


@pytest.mark.parametrize("key", [f"{p.stem}:{k}" for p in EXAMPLES for k in ("description", "posting")])
def test_head_from_page_two_and_page_n_of_m_on_every_page(pdfs, key):
    stem, kind = key.split(":")
    model = params.load(next(p for p in EXAMPLES if p.stem == stem))
    head = squash(build(model, kind).header)
    pages = [squash(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(pdfs[key])).pages]
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        # pypdf drops the space after the "·" of the running head: compare without spaces
        assert (head.replace(" ", "") in text.replace(" ", "")) == (number > 1), number


def _pages_of(node: pikepdf.Dictionary, pages: dict, inherited=None) -> set[int]:
    """The pages a structure element's marked content is on (from /Pg of it and its kids)."""
    own = node.get("/Pg", inherited)
    found: set[int] = set()
    kids = node.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    for kid in kids:
        if isinstance(kid, int):  # an MCID on the element's own page
            if own is not None:
                found.add(pages[own.objgen])
        elif isinstance(kid, pikepdf.Dictionary):
            if kid.get("/Type") == "/MCR":
                found.add(pages[kid.get("/Pg", own).objgen])
            elif "/S" in kid:
                found |= _pages_of(kid, pages, own)
    return found


def _elements(node, kind: str):  # type: ignore[no-untyped-def]
    stack = [node]
    while stack:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary):
            continue
        if item.get("/S") == kind:
            yield item
        kids = item.get("/K")
        stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])


@pytest.mark.parametrize("key", [f"{p.stem}:description" for p in EXAMPLES])
def test_no_list_item_or_table_row_is_split_across_pages(pdfs, key):
    with pikepdf.open(io.BytesIO(pdfs[key])) as pdf:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        root = pdf.Root.StructTreeRoot
        items = list(_elements(root, "/LI"))
        rows = [row for row in _elements(root, "/TR")  # the header row repeats on each page, by design
                if not all(cell.get("/S") == "/TH" for cell in row.K)]
        assert items and rows
        split = [len(_pages_of(e, pages)) for e in [*items, *rows] if len(_pages_of(e, pages)) > 1]
        assert split == []


@pytest.mark.parametrize("key", [f"{p.stem}:description" for p in EXAMPLES])
def test_nothing_is_printed_past_the_right_margin_or_shrunk(pdfs, key):
    reader = pypdf.PdfReader(io.BytesIO(pdfs[key]))
    for page in reader.pages:
        width = float(page.mediabox.width)
        assert all(x < width - SIDE for _, x, _ in placed_text(page))
        assert min(x for _, x, _ in placed_text(page)) >= SIDE - 1  # no shrink-to-fit: the margin is the CSS's


def test_table_borders_stay_inside_the_page_in_chromium(printer):
    """Laid out for print in real Chromium, every table's right edge is inside its column."""
    from playwright.sync_api import sync_playwright

    from jdkit.export.pdf import CHROMIUM_ARGS, find_chromium
    from jdkit.render import render

    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 719, "height": 900})  # Letter less the margins, in CSS px
        page.emulate_media(media="print")
        for path in EXAMPLES:
            page.set_content(render(params.load(path), "html"))
            overflow = page.evaluate("""() => [...document.querySelectorAll('table, figure, dl, ul, p')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
                .map(e => e.tagName)""")
            assert overflow == [], path.stem
        browser.close()
