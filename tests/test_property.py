"""Property tests: hostile text in every text field still gives valid, escaped output in every format.

The text mixes markup (``<script>``, ``</script>``), template syntax (``{{ }}``, ``{% %}``),
quotes, newlines, right-to-left text, emoji and control characters. The hypothesis profile's
examples (500 in CI, 50 locally: tests/conftest.py) run through HTML (with the JSON-LD
embedded), Markdown, JSON-LD and Word; a run a twentieth as long (25 in CI) adds PDF.
"""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from itertools import cycle

import docx
import pypdf
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from jdkit import params
from jdkit.document.jsonld import DESCRIPTION_TAGS, jobposting
from jdkit.export import export
from jdkit.models import JobDescription
from jdkit.render import render
from jdkit.wording import clean

from .conftest import CODED, EXAMPLES

FRAGMENTS = [
    "<script>",
    "</script>",
    "<script>alert('x')</script>",
    "{{ jd.practice.name }}",
    "{% if true %}",
    "{% endif %}",
    '"',
    "'",
    "`",
    "\n",
    "\r\n",
    "\t",
    "&",
    "&amp;",
    "&#x3c;",
    "]]>",
    "<!--",
    "-->",
    "</w:t>",
    "\u202e",
    "\u200f",
    "שלום",
    "مرحبا بكم",
    "😀",
    "👩🏽‍⚕️",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\u2028",
    "\ufeff",
    "|",
    "*",
    "_",
    "#",
    "\\",
    "$100,000",
    "%",
]
BASES = [
    params.load(path).model_dump(mode="json", exclude={"review": {"next_due"}}) for path in EXAMPLES
]

piece = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8))
hostile_text = (
    st.lists(piece, min_size=1, max_size=6)
    .map(lambda parts: "".join(parts)[:150])
    .map(lambda text: text if text.strip() else text + "x")
)


def fill(value, texts, keep: int):
    """Replace every free-text string in a model dump with the next hostile text.

    Lists keep their first ``keep`` items: every kind of field still gets hostile text,
    while a Word document stays small enough for 500 examples in a test run.
    """
    if isinstance(value, dict):
        return {
            k: (v if k in CODED or k == "sources" else fill(v, texts, keep))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [fill(v, texts, keep) for v in value[:keep]]
    return next(texts) if isinstance(value, str) else value


@st.composite
def hostile_models(draw) -> JobDescription:
    base = draw(st.sampled_from(BASES))
    texts = draw(st.lists(hostile_text, min_size=1, max_size=12))
    location = draw(st.sampled_from(["onsite", "hybrid", "remote"]))
    data = fill(base, cycle(texts), draw(st.integers(min_value=1, max_value=3)))
    data["position"]["location_type"] = location
    return JobDescription.model_validate(data)


class Strict(HTMLParser):
    """Fails on a mis-nested end tag; records start tags, script bodies and text."""

    VOID = {"meta", "br", "hr", "img", "link", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.script = ""
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "script":
            self.script += data
        else:
            self.text.append(data)


def parse(html: str) -> Strict:
    parser = Strict()
    parser.feed(html)
    parser.close()
    return parser


@settings(
    deadline=None,
    database=None,  # max_examples: the profile's (500 in CI)
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_models())
def test_every_format_renders_escaped_and_readable(model):
    # HTML with the JSON-LD embedded: well formed, one script element, JSON intact.
    html = render(model, "html", embed_jsonld=True)
    page = parse(html)
    assert page.stack == []
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert scripts == [{"type": "application/ld+json"}]
    assert "<" not in page.script and "&" not in page.script
    data = jobposting(model)
    assert json.loads(page.script) == data
    assert {tag for tag, _ in page.tags} <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "script",
        "body",
        "main",
        "header",
        "h1",
        "h2",
        "h3",
        "p",
        "dl",
        "dt",
        "dd",
        "section",
        "ul",
        "li",
        "strong",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "footer",
        "div",
        "span",
        "figure",
        "figcaption",
        "svg",
        "g",
        "rect",
        "text",
        "line",
        "path",
        "desc",
        "tspan",
        "polyline",
        "defs",
        "marker",
        "polygon",
    }
    assert clean(model.practice.name) in " ".join(
        " ".join(page.text).split()
    )  # shown as text, not as markup
    # Markdown: no raw tags get through.
    md = render(model, "md")
    assert "<script" not in md.lower() and "</" not in md
    assert "<" not in render(model, "md", kind="posting")
    # JSON-LD file: parses to the same data; the description uses only Google's tags.
    assert json.loads(render(model, "jsonld")) == data
    description = parse(data["description"])
    assert {tag for tag, _ in description.tags} <= set(DESCRIPTION_TAGS)
    assert description.stack == []
    # Word: opens, with the practice's name in the header.
    doc = docx.Document(io.BytesIO(export(model, "docx")[0]))
    assert clean(model.practice.name) in [p.text for p in doc.sections[0].header.paragraphs]
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [clean(model.title)]


@pytest.mark.slow
@settings(
    max_examples=max(3, settings.default.max_examples // 20),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_models())
def test_pdf_renders_from_hostile_text(model):
    body, resources = export(model, "pdf")
    reader = pypdf.PdfReader(io.BytesIO(body))
    assert resources["format"] == "pdf" and len(reader.pages) >= 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Responsibilities" in " ".join(page.extract_text() for page in reader.pages)
    assert "Page 1 of" in text
