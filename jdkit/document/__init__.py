"""The document layer: one tree per document, which every format writes out.

``build(model, kind)`` returns a ``Document`` (``jdkit.document.tree``) holding every word
the reader sees; HTML (the templates), Markdown (``jdkit.document.markdown``), Word
(``jdkit.export.docx``) and the JSON-LD description (``jdkit.document.jsonld``) only lay it out.
Kinds: ``description`` (the internal job description) and ``posting`` (the job posting).
"""

from __future__ import annotations

from .build import build, check_kind
from .tree import (
    KINDS,
    Block,
    BulletList,
    Chart,
    Definitions,
    Document,
    Heading,
    Item,
    Paragraph,
    Section,
    Signature,
    Table,
    texts,
    words,
)

__all__ = [
    "build",
    "check_kind",
    "KINDS",
    "Document",
    "Section",
    "Block",
    "Heading",
    "Paragraph",
    "Item",
    "BulletList",
    "Definitions",
    "Table",
    "Chart",
    "Signature",
    "texts",
    "words",
]
