"""Exporters and the one writer: the only place (with ``jdkit.batch``) that touches disk.

As in nbconvert, an exporter returns ``(body, resources)`` and never writes; ``write``
alone puts bytes on disk, atomically (temp file, then rename) and only inside the
output folder, under a slug name.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import ExportError, JdkitError
from ..models import JobDescription, slugify

__all__ = ["EXTENSIONS", "EXPORTERS", "register", "export", "write", "export_all", "parse_formats"]

# format -> file extension
EXTENSIONS: dict[str, str] = {"html": ".html", "md": ".md", "jsonld": ".jsonld", "docx": ".docx", "pdf": ".pdf"}

Exporter = Callable[..., tuple[bytes, dict[str, Any]]]

# format -> exporter, or "module:function" imported on first use (keeps start-up fast).
EXPORTERS: dict[str, Exporter | str] = {
    "html": "jdkit.export.text:export_text",
    "md": "jdkit.export.text:export_text",
    "jsonld": "jdkit.export.text:export_text",
    "docx": "jdkit.export.docx:export_docx",
    "pdf": "jdkit.export.pdf:export_pdf",
}


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def register(fmt: str, exporter: Exporter | str, extension: str) -> None:
    """Register an exporter (or its ``"module:function"`` name) for ``fmt``."""
    EXPORTERS[fmt] = exporter
    EXTENSIONS[fmt] = extension


def parse_formats(text: str) -> list[str]:
    """Parse ``"html,md"`` into a list of known formats, or raise ``JdkitError``."""
    wanted = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [fmt for fmt in wanted if fmt not in EXPORTERS]
    if unknown or not wanted:
        raise JdkitError(f"unknown format {', '.join(unknown) or repr(text)}", field="--to",
                         hint=f"use a comma-separated list of: {', '.join(EXPORTERS)}")
    return list(dict.fromkeys(wanted))


def export(model: JobDescription, fmt: str, **options: Any) -> tuple[bytes, dict[str, Any]]:
    """Export ``model`` as ``fmt``: return ``(body, resources)``; nothing is written."""
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise ExportError(f"unknown format {fmt!r}", field="--to", hint=f"use one of: {', '.join(EXPORTERS)}")
    if isinstance(exporter, str):
        module, _, name = exporter.partition(":")
        exporter = EXPORTERS[fmt] = getattr(importlib.import_module(module), name)
    body, resources = exporter(model, fmt=fmt, **options)
    resources.setdefault("extension", EXTENSIONS[fmt])
    return body, resources


def write(out_dir: str | os.PathLike[str], stem: str, extension: str, body: bytes) -> Path:
    """Write ``body`` to ``out_dir/<slug(stem)><extension>`` atomically; return the path.

    The name is always a slug, so nothing can be written outside ``out_dir``.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (slugify(stem) + extension)
    if target.resolve().parent != folder.resolve():  # belt and braces: slugs hold no separators
        raise ExportError("output path escapes the output folder", file=str(target), field="--out")
    handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the file the usual mode
        with os.fdopen(handle, "wb") as stream:
            stream.write(body)
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return target


def export_all(models: Iterable[JobDescription], formats: list[str], out_dir: str | os.PathLike[str],
               **options: Any) -> list[Path]:
    """Export every model in every format into ``out_dir``; return the paths written.

    Each model is exported in full (all formats in memory) before any of its files is
    written, so a failing format leaves nothing half-written for that model.
    """
    written: list[Path] = []
    for model in models:
        bodies = [export(model, fmt, **options) for fmt in formats]
        for body, resources in bodies:
            written.append(write(out_dir, model.slug, resources["extension"], body))
    return written
