"""Exporters for the text formats (HTML, Markdown, JSON-LD): render, then encode."""

from __future__ import annotations

from typing import Any

from ..models import JobDescription
from ..render import render

__all__ = ["export_text"]


def export_text(model: JobDescription, *, fmt: str, **options: Any) -> tuple[bytes, dict[str, Any]]:
    """Render ``model`` as the text format ``fmt``; return ``(utf-8 bytes, resources)``."""
    return render(model, fmt, **options).encode("utf-8"), {"format": fmt}
