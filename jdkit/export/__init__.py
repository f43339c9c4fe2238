"""Exporters and the one writer: the only place (with ``jdkit.batch``) that touches disk.

As in nbconvert, an exporter returns ``(body, resources)`` and never writes; ``write``
(``jdkit.writer``, re-exported here) alone puts bytes on disk, atomically (temp file, then
rename) and only inside the output folder, under a slug name. The formats are those of the one
registry, ``jdkit.formats.FORMATS``; ``EXPORTERS`` and ``EXTENSIONS`` are views of it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .. import owners
from ..errors import ExportError, JdkitError
from ..formats import FORMATS, Extensions, Format
from ..models import JobDescription, slugify
from ..writer import cannot_write as _cannot_write, confine as confine, write as write

__all__ = [
    "EXTENSIONS",
    "EXPORTERS",
    "register",
    "export",
    "write",
    "confine",
    "export_all",
    "parse_formats",
    "stem_of",
]

Exporter = Callable[..., tuple[bytes, dict[str, Any]]]

EXPORTERS = FORMATS  # format -> exporter object (the registry itself)
EXTENSIONS = Extensions(FORMATS)  # format -> file extension


def register(
    fmt: str, exporter: Exporter | str, extension: str, media_type: str = "application/octet-stream"
) -> None:
    """Register an exporter function ``f(model, *, fmt, **options) -> (bytes, resources)`` (or its
    ``"module:function"`` name) for ``fmt``: a shorthand for ``FORMATS.register(Format(...))``."""
    FORMATS.register(Format(fmt, extension, media_type, exporter))


def parse_formats(text: str) -> list[str]:
    """Parse ``"html,md"`` into a list of known formats, or raise ``UnknownFormatError``."""
    return FORMATS.parse(text)


def export(model: JobDescription, fmt: str, **options: Any) -> tuple[bytes, dict[str, Any]]:
    """Export ``model`` as ``fmt``: return ``(body, resources)``; nothing is written."""
    exporter = FORMATS.get_exporter(fmt)
    body, resources = exporter.export(model, **options)
    resources.setdefault("extension", exporter.extension)
    return body, resources


def stem_of(model: JobDescription, kind: str) -> str:
    """The file stem of ``model``'s document of ``kind``: ``<slug>`` or ``<slug>-posting``."""
    return model.slug if kind == "description" else f"{model.slug}-{kind}"


def export_all(
    models: Iterable[JobDescription],
    formats: list[str],
    out_dir: str | os.PathLike[str],
    *,
    kinds: Iterable[str] = ("description",),
    printer: Any = None,
    errors: list[JdkitError] | None = None,
    **options: Any,
) -> list[Path]:
    """Export every model in every format and kind into ``out_dir``; return the paths written.

    With ``errors``, a document whose files cannot be written (a target that is a symbolic
    link, a name taken by a folder) is skipped whole and its error appended there, so the
    other documents are still written; without it the error is raised.

    ``models`` may be a generator: each is exported and let go (memory stays flat in N). PDFs
    print in the background (``printer.pages`` at once, by default the process's shared
    printer) while the next documents render; a document's files are written only when all
    of its formats are done, in input order, so a failing format leaves nothing half-written.
    """
    from collections import deque

    from ..document.build import check_kind

    kinds = [check_kind(kind) for kind in kinds]
    window: deque[tuple[str, list[tuple[bytes, dict[str, Any]]], Any]] = deque()
    owned: dict[str, dict[str, str]] = {}  # a document's stem -> its practice (jdkit.owners)
    written: list[Path] = []
    if "pdf" in formats and printer is None:
        from .pdf import shared_printer

        printer = shared_printer()
    depth = 2 * getattr(printer, "pages", 1)

    def flush() -> None:
        stem, bodies, job = window.popleft()
        if job is not None:
            bodies.append((job.result(), {"extension": EXTENSIONS["pdf"]}))
        targets = [
            Path(out_dir) / (slugify(stem) + resources["extension"]) for _, resources in bodies
        ]
        owner = owned.pop(stem, None)
        try:
            if owner is not None:
                # files of the same name written for another practice: refused, kept
                owners.check(owner, targets, folder=Path(out_dir) / f"{slugify(stem)}.*")
            for target in targets:  # the whole document or none of it
                if target.is_symlink():
                    raise ExportError(
                        "is a symbolic link, so writing it could change a file outside the output "
                        "folder",
                        file=str(target),
                        field="out",
                        hint="remove the link and run again",
                    )
                if target.is_dir():
                    raise _cannot_write(target, IsADirectoryError(21, "Is a directory"))
            for body, resources in bodies:
                written.append(write(out_dir, stem, resources["extension"], body, owner=owner))
        except JdkitError as exc:
            if errors is None:
                raise
            errors.append(exc)

    try:
        for model in models:
            for kind in kinds:
                bodies = [
                    export(model, fmt, kind=kind, **options) for fmt in formats if fmt != "pdf"
                ]
                job = None
                if "pdf" in formats:
                    from .pdf import submit_pdf

                    job = submit_pdf(model, printer, kind=kind, **options)
                owned[stem_of(model, kind)] = owners.owner_of(model)
                window.append((stem_of(model, kind), bodies, job))
                while len(window) > depth or (window and window[0][2] is None):
                    flush()
        while window:
            flush()
    finally:
        for _, _, job in window:
            # an error: the prints still running are dropped, nothing is written
            if job is not None:
                job.cancel()
    return written
