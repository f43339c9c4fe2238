"""HTML and Markdown writers: the document tree through the templates (``templates/document``).

``render_html`` and ``render_markdown`` are the ``html`` and ``md`` formats of
``jdkit.render``; ``fragment`` is the HTML the notebook and the form show (style and
body, no ``<html>``). Templates get the tree as ``doc`` and the model as ``jd`` (for a
user's own templates); a user's folder overrides the built-ins by name.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from markupsafe import Markup

from ..models import JobDescription
from ..templating import render_template
from .build import build

__all__ = ["render_html", "render_markdown", "fragment", "css_string"]

Templates = str | os.PathLike[str] | None


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: every character but letters, digits and spaces hex-escaped,
    so no field can end the string or the ``<style>`` element. Each escape ends with a space, which
    CSS takes as part of it: a space of the text after it (``· Medical``) is kept."""
    return (
        '"'
        + "".join(
            ch if ch.isalnum() and ch.isascii() or ch == " " else f"\\{ord(ch):06x} " for ch in text
        )
        + '"'
    )


def _context(model: JobDescription, kind: str, today: dt.date | None) -> dict[str, Any]:
    doc = build(model, kind, today=today)
    return {"doc": doc, "jd": model, "running_head": Markup(css_string(doc.header))}


def render_html(
    model: JobDescription,
    *,
    templates: Templates = None,
    kind: str = "description",
    embed_jsonld: bool = False,
    today: dt.date | None = None,
    **options: Any,
) -> str:
    """The standalone HTML document of ``kind``; ``embed_jsonld`` adds
    the JobPosting as a script."""
    context = _context(model, kind, today)
    jsonld: Markup | str = ""
    if embed_jsonld:
        from .jsonld import script_json

        jsonld = script_json(model, today=today)
    return render_template("document.html.j2", templates=templates, jsonld=jsonld, **context)


def render_markdown(
    model: JobDescription,
    *,
    templates: Templates = None,
    kind: str = "description",
    today: dt.date | None = None,
    **options: Any,
) -> str:
    """The Markdown document of ``kind``; every field's text is escaped."""
    return render_template("document.md.j2", templates=templates, **_context(model, kind, today))


def fragment(
    model: JobDescription,
    *,
    templates: Templates = None,
    kind: str = "description",
    today: dt.date | None = None,
) -> str:
    """The document as an HTML fragment (its style, then its body), for a notebook output."""
    context = _context(model, kind, today)
    style = render_template("style.css.j2", templates=templates, **context)
    body = render_template("body.html.j2", templates=templates, **context)
    return f"<style>\n{style}</style>\n{body}"
