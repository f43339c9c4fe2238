"""Print that reads as finished, checked on the PDF itself (pypdf for text and positions, pikepdf
for the structure tree Chromium tags): page count, fill, running head, page numbers, no item
or table row split across pages, nothing past the right margin."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pikepdf
import pytest

from jdkit import params
from jdkit.document import build
from jdkit.export import stem_of

from ..conftest import EXAMPLES, pdf_pages

pytestmark = pytest.mark.slow
MANAGERS = [p for p in EXAMPLES if params.load(p).role.id == "medical-office-manager"]
MM = 72 / 25.4  # points in a millimetre
TOP, BOTTOM, SIDE = 13 * MM, 12 * MM, 13 * MM  # the @page margins of style.css.j2


@pytest.fixture(scope="module")
def pdfs(rendered_both) -> dict[str, Path]:
    """Every example's description and posting as ``jdkit render`` prints them (conftest's
    session fixture, shared with test_document, test_formats and test_a11y)."""
    out = {}
    for path in EXAMPLES:
        model = params.load(path)
        for kind in ("description", "posting"):
            out[f"{path.stem}:{kind}"] = rendered_both / f"{stem_of(model, kind)}.pdf"
    return out


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize("path", MANAGERS, ids=[p.stem for p in MANAGERS])
def test_office_manager_description_is_at_most_six_letter_pages_none_a_third_empty(pdfs, path):
    pages = pdf_pages(pdfs[f"{path.stem}:description"])
    assert len(pages) <= 6
    for number, page in enumerate(pages[:-1], start=1):
        height = page.height
        assert round(page.width) == 612 and round(height) == 792  # Letter
        body = [y for text, x, y in page.placed if BOTTOM < y < height - TOP]
        lowest = min(body)
        empty = (lowest - BOTTOM) / (height - TOP - BOTTOM)
        assert empty <= 1 / 3, f"page {number} is {empty:.0%} empty"


@pytest.mark.parametrize(
    "key", [f"{p.stem}:{k}" for p in EXAMPLES for k in ("description", "posting")]
)
def test_head_from_page_two_and_page_n_of_m_on_every_page(pdfs, key):
    stem, kind = key.split(":")
    model = params.load(next(p for p in EXAMPLES if p.stem == stem))
    head = squash(build(model, kind).header)
    pages = [squash(p.text) for p in pdf_pages(pdfs[key])]
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert (head in text) == (number > 1), number  # every space kept ("Medicine · Medical")


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
        stack.extend(
            kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        )


@pytest.mark.parametrize("key", [f"{p.stem}:description" for p in EXAMPLES])
def test_no_list_item_or_table_row_is_split_across_pages(pdfs, key):
    with pikepdf.open(pdfs[key]) as pdf:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        root = pdf.Root.StructTreeRoot
        items = list(_elements(root, "/LI"))
        rows = [
            row
            for row in _elements(root, "/TR")  # the header row repeats on each page, by design
            if not all(cell.get("/S") == "/TH" for cell in row.K)
        ]
        assert items and rows
        split = [len(_pages_of(e, pages)) for e in [*items, *rows] if len(_pages_of(e, pages)) > 1]
        assert split == []


@pytest.mark.parametrize("key", [f"{p.stem}:description" for p in EXAMPLES])
def test_no_page_holds_a_table_header_without_a_row_under_it(pdfs, key):
    with pikepdf.open(pdfs[key]) as pdf:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        tables = list(_elements(pdf.Root.StructTreeRoot, "/Table"))
        assert tables
        for table in tables:
            rows = list(_elements(table, "/TR"))
            heads = {row.objgen for row in rows if all(cell.get("/S") == "/TH" for cell in row.K)}
            under = set().union(*(_pages_of(row, pages) for row in rows if row.objgen not in heads))
            for row in rows:
                if row.objgen in heads:
                    assert _pages_of(row, pages) <= under, (
                        key,
                        sorted(_pages_of(row, pages)),
                        sorted(under),
                    )


@pytest.mark.parametrize("key", [f"{p.stem}:description" for p in EXAMPLES])
def test_nothing_is_printed_past_the_right_margin_or_shrunk(pdfs, key):
    for page in pdf_pages(pdfs[key]):
        assert all(x < page.width - SIDE for _, x, _ in page.placed)
        assert (
            min(x for _, x, _ in page.placed) >= SIDE - 1
        )  # no shrink-to-fit: the margin is the CSS's


def test_table_borders_stay_inside_the_page_in_chromium():
    """Laid out for print in real Chromium, every table's right edge is inside its column."""
    from playwright.sync_api import sync_playwright

    from jdkit.export.pdf import CHROMIUM_ARGS, find_chromium
    from jdkit.render import render

    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(
            viewport={"width": 719, "height": 900}
        )  # Letter less the margins, in CSS px
        page.emulate_media(media="print")
        for path in EXAMPLES:
            page.set_content(render(params.load(path), "html"))
            overflow = page.evaluate("""() => [...document.querySelectorAll('table, figure, dl, ul, p')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
                .map(e => e.tagName)""")
            assert overflow == [], path.stem
        browser.close()


@pytest.mark.parametrize("key", [f"{p.stem}:description" for p in EXAMPLES])
def test_text_is_set_in_runs_in_one_font_family(pdfs, key):
    """Font sizes in quarter pixels (style.css.j2) let Chromium write a line of text as one run,
    not a glyph at a time (content streams 60% smaller, ~10% of a print's CPU), and the chart is
    set in the document's font, so no second family is embedded."""
    with pikepdf.open(pdfs[key]) as pdf:
        fonts = {
            str(font.BaseFont).split("+")[-1].split("-")[0]
            for page in pdf.pages
            for font in page.Resources.Font.values()
        }
        moves = glyphs = 0
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page, "Td Tj"):
                if str(operator) == "Td":
                    moves += 1
                else:
                    glyphs += len(bytes(operands[0])) // 2  # Chromium's fonts: two bytes a glyph
    assert len(fonts) == 1, fonts
    assert moves < glyphs / 10, (moves, glyphs)  # before: a move for every glyph
