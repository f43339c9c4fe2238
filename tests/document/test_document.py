"""The document layer: one tree per document, and every format writes the same words.

Every example is rendered by ``jdkit render --kind both`` to every format; each format is
read back (HTML and Markdown as text, Word with python-docx, PDF with pypdf and its
outline, the JSON-LD description) and must carry the tree's section titles, in order, and
every sentence of the tree.
"""

from __future__ import annotations

import ast
import html as html_lib
import json
import re
import unicodedata
from pathlib import Path

import docx
import pypdf
import pytest
from click.testing import CliRunner

from jdkit import params
from jdkit.cli import cli
from jdkit.document import KINDS, BulletList, Table, build, texts, words
from jdkit.export import stem_of
from jdkit.models import SECTIONS, JobDescription
from jdkit.wording import flsa_text, us_date

from ..conftest import EXAMPLES, RENDERED_FORMATS, ROOT, example_ids, pdf_pages

FORMATS = ("html", "md", "docx", "pdf", "jsonld")
TODAY = None  # the posting reads the laws in force today, as jdkit render does


def squash(text: str) -> str:
    """One space between words; the PDF's ligatures unfolded."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def rendered(rendered_both: Path) -> Path:
    """``jdkit render PARAMS --to <every format> --kind both``: conftest's session fixture, whose
    PDFs test_print, test_formats and test_a11y read too."""
    assert set(RENDERED_FORMATS) == set(FORMATS)
    return rendered_both


@pytest.fixture(params=EXAMPLES, ids=example_ids())
def model(request: pytest.FixtureRequest) -> JobDescription:
    return params.load(request.param)


def md_plain(md: str) -> str:
    """Markdown as a reader sees jdkit's escaped text: backslash escapes and entities undone."""
    return html_lib.unescape(re.sub(r"\\([\\`*_\[\]|~#=+\-.)])", r"\1", md))


def html_text(html: str) -> str:
    body = html.split("<body>", 1)[-1]
    body = re.sub(
        r"<svg.*?</svg>", " ", body, flags=re.S
    )  # the chart's boxes: checked in test_orgchart
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", body))


_PAGE_NUMBER = re.compile(r"^Page \d+ of \d+$")


def _page_body(text: str, index: int) -> str:
    """A printed page's text without its furniture (the running head from page 2 on, "Page N of M"),
    so a paragraph that runs over a page break reads as one, as a screen reader reads it."""
    lines = text.splitlines()
    if index > 0 and lines and "\u00b7" in lines[0]:
        lines = lines[1:]
    return "\n".join(line for line in lines if not _PAGE_NUMBER.match(line.strip()))


def text_of(path: Path, fmt: str) -> str:
    """The readable text of one file, through the reader a user's tool would use."""
    if fmt == "pdf":
        return "\n".join(_page_body(page.text, i) for i, page in enumerate(pdf_pages(path)))
    if fmt == "docx":
        document = docx.Document(path)
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if fmt == "jsonld":
        return html_text(json.loads(path.read_text())["description"])
    if fmt == "md":
        return md_plain(path.read_text())
    return html_text(path.read_text())


def titles_of(path: Path, fmt: str) -> list[str]:
    """The section titles a reader's tool lists: h2, Word's Heading 1, the PDF outline, Markdown's ##."""
    if fmt == "html":
        return [html_lib.unescape(t) for t in re.findall(r"<h2[^>]*>(.*?)</h2>", path.read_text())]
    if fmt == "md":
        return [
            md_plain(line[3:]) for line in path.read_text().splitlines() if line.startswith("## ")
        ]
    if fmt == "docx":
        return [p.text for p in docx.Document(path).paragraphs if p.style.name == "Heading 1"]
    if fmt == "pdf":
        outline = pypdf.PdfReader(path).outline  # [h1, [h2, [h3...], h2, ...]]
        return [item.title for item in outline[1] if not isinstance(item, list)]
    description = json.loads(path.read_text())["description"]
    return [html_lib.unescape(t) for t in re.findall(r"<p><strong>(.*?)</strong></p>", description)]


def pieces(doc, fmt: str) -> list[str]:
    """The tree's texts a format must show whole (PDF table cells wrap into one another)."""
    if fmt != "pdf":
        return list(texts(doc))
    cells = {
        cell
        for s in doc.sections
        for b in s.blocks
        if isinstance(b, Table)
        for row in b.rows
        for cell in row
    }
    return [t for t in texts(doc) if t not in cells]


# The JSON-LD description is always the posting's text (Google: the markup matches the posting
# page), so JSON-LD is compared with the posting only.
PAIRS = [
    (fmt, kind)
    for fmt in FORMATS
    for kind in KINDS
    if not (fmt == "jsonld" and kind == "description")
]


@pytest.mark.slow
@pytest.mark.parametrize("fmt,kind", PAIRS, ids=[f"{fmt}-{kind}" for fmt, kind in PAIRS])
def test_every_format_has_the_trees_titles_and_sentences(rendered, model, kind, fmt):
    doc = build(model, kind)
    path = rendered / f"{stem_of(model, kind)}.{fmt}"
    titles = titles_of(path, fmt)
    assert [t for t in titles if t in doc.section_titles] == doc.section_titles
    text = squash(text_of(path, fmt))
    missing = [
        piece
        for piece in pieces(doc, fmt)
        if squash(piece) not in text and not (fmt == "jsonld" and piece == doc.title)
    ]
    assert missing == []


def test_both_kinds_are_written_under_their_names(rendered):
    names = sorted(p.name for p in rendered.iterdir())
    assert len(names) == len(EXAMPLES) * 2 * len(FORMATS)
    model = params.load(EXAMPLES[0])
    assert f"{model.slug}.html" in names and f"{model.slug}-posting.html" in names


def test_unknown_kind_is_one_line_and_exit_2(tmp_path):
    for command in ("render", "batch"):
        result = CliRunner().invoke(
            cli, [command, str(EXAMPLES[0]), "--kind", "flyer", "--out", str(tmp_path / "o")]
        )
        assert result.exit_code == 2
        assert (
            result.stderr.strip().count("\n") == 0
            and "--kind" in result.stderr
            and "posting" in result.stderr
        )
        assert not (tmp_path / "o").exists()


# --- the words themselves -------------------------------------------------------------------

JOINS = [
    r"\.;",
    r";\s+[A-Z]",
    r"\bwith [A-Z][a-z]+ [a-z]",
    r"\d{4}-\d{2}-\d{2}",
    r"\bNon exempt\b",
    r"\.\.(?!\.)",
    r"\s[,.;:]",
]


@pytest.mark.parametrize("kind", KINDS)
def test_sentences_are_joined_and_punctuated(model, kind):
    doc = build(model, kind)
    for text in texts(doc):
        for pattern in JOINS:
            assert not re.search(pattern, text), (pattern, text)
    for section in doc.sections:
        for block in section.blocks:
            if isinstance(block, BulletList):
                for item in block.items:
                    assert (
                        item.text[:1].isupper() or item.text[:1].isdigit() or item.text[:1] == "$"
                    ), item.text
                    assert item.text.endswith((".", "?", "!", ")", "\u201d")), item.text


def test_dates_money_and_flsa_are_written_for_readers(model):
    doc = build(model)
    all_text = "\n".join(texts(doc))
    if model.position.date_posted:
        assert us_date(model.position.date_posted) in all_text  # "November 16, 2026"
        assert re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, \d{4}", us_date(model.position.date_posted))
    assert f"Last reviewed {us_date(model.review.last_reviewed)}" in doc.footer
    assert flsa_text(model) in all_text
    assert re.fullmatch(
        r"Non-exempt|Exempt( \((executive|administrative|professional) exemption\))?",
        flsa_text(model),
    )
    assert re.search(r"\$\d{1,3}(,\d{3})*(\.\d{2})? to \$", all_text)


def test_the_description_holds_the_nine_sections_in_order(model):
    titles = build(model).section_titles
    nine = [heading for _, heading in SECTIONS]
    assert [t for t in titles if t in nine] == nine
    assert titles[-1] == "Acknowledgment"


def test_the_layers_import_no_writer_and_render_imports_no_writer():
    """render.py is the front door; wording and templating are leaves; no writer imports render."""

    def imports(path: Path) -> set[str]:
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                found.add(("." * node.level) + (node.module or ""))
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
        return found

    package = ROOT / "jdkit"
    assert imports(package / "render.py") <= {
        "__future__",
        "importlib",
        "os",
        "sys",
        "types",
        "collections.abc",
        "typing",
        ".errors",
        ".formats",
        ".models",
        ".templating",
        ".wording",
    }
    assert {m for m in imports(package / "formats.py") if m.startswith(".")} <= {
        ".errors",
        ".models",
    }  # no writer
    assert {m for m in imports(package / "wording.py") if m.startswith(".")} <= {
        ".models",
        ".origins",
    }
    assert {m for m in imports(package / "templating.py") if m.startswith(".")} <= {
        ".errors",
        ".wording",
    }
    writers = [*(package / "document").glob("*.py"), *(package / "export").glob("*.py")]
    for path in writers:
        assert not {m for m in imports(path) if m.endswith("render") or m == "jdkit.render"}, (
            path.name
        )


def test_posting_words_are_counted_from_the_tree(model):
    doc = build(model, "posting")
    assert words(doc) == sum(len(t.split()) for t in texts(doc))


def test_a_css_string_keeps_the_spaces_after_its_escapes():
    from jdkit.document.writers import css_string

    # CSS takes one space after a hex escape as its end: each escape brings its own
    assert css_string("Smith & Jones · Coder") == '"Smith \\000026  Jones \\0000b7  Coder"'
    assert css_string('a"b') == '"a\\000022 b"'  # the quote cannot end the string
