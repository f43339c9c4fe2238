"""The document tree: a ``Document`` of ``Section``s, each a sequence of blocks.

Every word a reader sees is in the tree, already written as it is shown (labels, joined
sentences, US dates, money), so that a writer (HTML, Markdown, Word, the JSON-LD
description) only lays it out. The tree is plain frozen data: no markup, no escaping,
text cleaned of control characters.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Kind",
    "KINDS",
    "Heading",
    "Paragraph",
    "Item",
    "BulletList",
    "Definitions",
    "Table",
    "Chart",
    "Signature",
    "Block",
    "Section",
    "Document",
    "texts",
    "words",
]

Kind = Literal["description", "posting"]
KINDS: tuple[str, ...] = ("description", "posting")


@dataclass(frozen=True)
class Heading:
    """A sub-heading inside a section (level 3: a duty area, a standard)."""

    text: str
    level: int = 3
    kind: str = field(default="heading", init=False)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``label`` is a lead-in shown in bold (``Pay
    range``), written ``Label: text``."""

    text: str
    label: str = ""
    kind: str = field(default="paragraph", init=False)


@dataclass(frozen=True)
class Item:
    """One list item, with an optional bold lead-in (``Required``, a skill's name)."""

    text: str
    label: str = ""

    @property
    def plain(self) -> str:
        """The item as one line of text: ``Label: text``."""
        return f"{self.label}: {self.text}" if self.label else self.text


@dataclass(frozen=True)
class BulletList:
    """A bulleted list of items, every item a sentence."""

    items: tuple[Item, ...]
    kind: str = field(default="list", init=False)


@dataclass(frozen=True)
class Definitions:
    """Term and description pairs (``Reports to`` / ``Physician Owner``)."""

    pairs: tuple[tuple[str, str], ...]
    kind: str = field(default="definitions", init=False)


@dataclass(frozen=True)
class Table:
    """A table with a header row; ``caption`` names it for screen readers."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    name: str = ""  # a class for styling: metrics, benefits
    kind: str = field(default="table", init=False)


@dataclass(frozen=True)
class Chart:
    """A figure: ``svg`` is escaped SVG markup, ``alt`` its text
    alternative, ``caption`` shown below."""

    name: str
    svg: str
    alt: str
    caption: str
    kind: str = field(default="chart", init=False)


@dataclass(frozen=True)
class Signature:
    """Lines to sign: each party (``Employee``) gets name, signature and date lines."""

    parties: tuple[str, ...]
    fields: tuple[str, ...] = ("Name", "Signature", "Date")
    kind: str = field(default="signature", init=False)


Block = Heading | Paragraph | BulletList | Definitions | Table | Chart | Signature


@dataclass(frozen=True)
class Section:
    """A top-level section (``Responsibilities``): an id for anchors, its title, its blocks."""

    id: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """A whole document of one kind: title, the practice line, key
    facts, sections, the closing line.

    ``notice`` is shown first when set (``Draft: not publishable ...``); ``header`` is the
    running head of printed pages from page 2 on. ``author`` and ``subject`` are the file's
    properties (the HTML's meta tags, the PDF's and the Word file's document properties).
    """

    kind: str
    title: str
    practice: str
    place: str
    facts: Definitions
    sections: tuple[Section, ...]
    footer: str = ""
    notice: str = ""
    lang: str = "en"
    author: str = ""
    subject: str = ""

    @property
    def full_title(self) -> str:
        """The title a browser tab and a file's properties show:
        ``Medical Office Manager · Cedar Family Medicine`` (``(job posting)`` after a posting's)."""
        return f"{self.title} · {self.practice}" + (
            " (job posting)" if self.kind == "posting" else ""
        )

    @property
    def header(self) -> str:
        """The running head: ``Cedar Family Medicine · Medical Office Manager``."""
        return f"{self.practice} · {self.title}" + (
            " (job posting)" if self.kind == "posting" else ""
        )

    @property
    def section_titles(self) -> list[str]:
        """The titles of the sections, in order."""
        return [s.title for s in self.sections]


def _block_texts(block: Block) -> Iterator[str]:
    if isinstance(block, (Heading, Paragraph)):
        if getattr(block, "label", ""):
            yield block.label  # type: ignore[union-attr]
        yield block.text
    elif isinstance(block, BulletList):
        for item in block.items:
            if item.label:
                yield item.label
            yield item.text
    elif isinstance(block, Definitions):
        for term, value in block.pairs:
            yield term
            yield value
    elif isinstance(block, Table):
        yield from block.header
        for row in block.rows:
            yield from row
    elif isinstance(block, Chart):
        yield block.caption
    elif isinstance(block, Signature):
        yield from block.parties
        yield from block.fields


def texts(doc: Document) -> Iterator[str]:
    """Every piece of text a reader sees, in document order (a chart counts by its caption)."""
    for text in (doc.notice, doc.title, doc.place):
        if text:
            yield text
    yield from _block_texts(doc.facts)
    for section in doc.sections:
        yield section.title
        for block in section.blocks:
            yield from _block_texts(block)
    if doc.footer:
        yield doc.footer


def words(doc: Document) -> int:
    """How many words a reader reads (what ``posting.length`` counts)."""
    return sum(len(text.split()) for text in texts(doc))
