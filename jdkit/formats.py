"""The one registry of output formats: each format one exporter object, found by name.

As in nbconvert, an exporter returns ``(body, resources)`` and never writes; as in papermill,
the registry is an object with ``register()`` and ``register_entry_points()``. ``jdkit render``,
``jdkit batch``, the form, ``jdkit.render()`` and ``jdkit.export`` all read ``FORMATS``, so a new
format is one module plus its registration, in code::

    from jdkit.formats import FORMATS, Format
    FORMATS.register(Format("txt", ".txt", "text/plain", "mypkg.txt:export_txt"))

or, from another distribution, an entry point in its ``pyproject.toml``::

    [project.entry-points."jdkit.formats"]
    txt = "mypkg.txt:TXT"          # an exporter object (or a class / factory taking no arguments)

An exporter has ``name``, ``extension``, ``media_type`` and ``export(model, **options) ->
(bytes, resources)``; a text format also has ``render(model, **options) -> str``, which
``jdkit.render()`` uses. jdkit's own formats are built in here and listed under the same
entry point group; entry points never replace a name already registered.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from .errors import ExportError, UnknownFormatError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from .models import JobDescription

__all__ = [
    "ENTRY_POINT_GROUP",
    "Exporter",
    "TextExporter",
    "Format",
    "TextFormat",
    "FormatRegistry",
    "FORMATS",
]

ENTRY_POINT_GROUP = "jdkit.formats"

Body = tuple[bytes, dict[str, Any]]


@runtime_checkable
class Exporter(Protocol):
    """What a format is: a name, a file extension, a media type and ``export``."""

    name: str
    extension: str
    media_type: str

    def export(self, model: JobDescription, **options: Any) -> Body:
        """Return ``(body, resources)`` for ``model``; write nothing."""
        ...


@runtime_checkable
class TextExporter(Exporter, Protocol):
    """An exporter whose body is text: ``jdkit.render()`` gives it as ``str``."""

    def render(self, model: JobDescription, **options: Any) -> str:
        """Return the document of ``model`` as text."""
        ...


def _resolve(target: Callable[..., Any] | str) -> Callable[..., Any]:
    """``"module:function"`` imported on first use (``import jdkit``, ``jdkit check`` stay fast)."""
    if not isinstance(target, str):
        return target
    module, _, name = target.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


class Format:
    """A format whose exporter is a function ``f(model, *, fmt, **options) -> (bytes, resources)``.

    Args:
        name: the format's name, as in ``--to``.
        extension: the file extension, dot included.
        media_type: the IANA media type of the body.
        target: the function, or its ``"module:function"`` name, imported on first export.
        form: offered by the form's Export button.
    """

    def __init__(
        self,
        name: str,
        extension: str,
        media_type: str,
        target: Callable[..., Any] | str,
        *,
        form: bool = False,
    ) -> None:
        self.name, self.extension, self.media_type, self.form = name, extension, media_type, form
        self._target = target

    def export(self, model: JobDescription, **options: Any) -> Body:
        """Export ``model``: return ``(body, resources)``; resources hold at least ``extension``."""
        self._target = function = _resolve(self._target)
        body, resources = function(model, fmt=self.name, **options)
        resources.setdefault("extension", self.extension)
        return body, resources

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, {self.extension!r}, {self.media_type!r})"


class TextFormat(Format):
    """A text format whose target renders ``f(model, **options) -> str``; the body is its UTF-8."""

    def render(self, model: JobDescription, **options: Any) -> str:
        """Render ``model`` as this format's text."""
        self._target = function = _resolve(self._target)
        text: str = function(model, **options)
        return text

    def export(self, model: JobDescription, **options: Any) -> Body:
        """Render, then encode: ``(utf-8 bytes, {"format", "extension"})``."""
        return self.render(model, **options).encode("utf-8"), {
            "format": self.name,
            "extension": self.extension,
        }


class FormatRegistry(Mapping[str, Exporter]):
    """Formats by name: those registered in code, then those of the ``jdkit.formats`` entry points.

    Entry points are read only when a name is not registered or every name is wanted, and each
    is loaded only when its format is used (a plug-in's imports cost nothing otherwise).
    """

    def __init__(self, group: str = ENTRY_POINT_GROUP) -> None:
        self.group = group
        self._formats: dict[str, Exporter] = {}
        self._entry_points: dict[str, EntryPoint] | None = None
        self._loaded: dict[str, str] = {}  # format -> the module of the entry point it came from

    def register(self, exporter: Exporter) -> Exporter:
        """Register ``exporter`` under its ``name`` (replacing any of that name); return it."""
        if not isinstance(exporter, Exporter):
            raise UnknownFormatError(
                f"{exporter!r} is not an exporter",
                field="format",
                hint="give an object with name, extension, media_type and export()",
            )
        self._formats[exporter.name] = exporter
        self._loaded.pop(exporter.name, None)
        return exporter

    def unregister(self, name: str) -> Exporter | None:
        """Remove the format ``name`` (registered or loaded); return its exporter, or None."""
        self._loaded.pop(name, None)
        return self._formats.pop(name, None)

    def register_entry_points(self) -> None:
        """Read the ``jdkit.formats`` entry points of installed distributions (loaded on use)."""
        from importlib.metadata import entry_points

        found: dict[str, EntryPoint] = {}
        for point in entry_points(group=self.group):
            # the first distribution on sys.path wins, as imports do
            found.setdefault(point.name, point)
        self._entry_points = found

    def _plugins(self) -> dict[str, EntryPoint]:
        if self._entry_points is None:
            self.register_entry_points()
        assert self._entry_points is not None
        return {
            name: point for name, point in self._entry_points.items() if name not in self._formats
        }

    def _load(self, point: EntryPoint) -> Exporter:
        try:
            loaded = point.load()
            exporter = (
                loaded() if isinstance(loaded, type) or not isinstance(loaded, Exporter) else loaded
            )
        except Exception as exc:  # a broken plug-in fails its own format only, in one line
            raise ExportError(
                f"the exporter of format {point.name!r} ({point.value}) cannot be loaded: "
                f"{type(exc).__name__}: {exc}",
                field="format",
                hint="reinstall the package that provides it",
            ) from None
        if not isinstance(exporter, Exporter):
            raise ExportError(
                f"entry point {point.value} of format {point.name!r} is not an exporter",
                field="format",
                hint="it must have name, extension, media_type and export()",
            )
        self._formats[point.name] = exporter
        self._loaded[point.name] = point.module
        return exporter

    def source(self, name: str) -> str | None:
        """The module named by the entry point that provides format ``name`` (``jdkit_txt`` for
        ``txt = jdkit_txt:TXT``), or ``None`` for a format registered in code."""
        if name in self._loaded:
            return self._loaded[name]
        if name in self._formats:
            return None
        point = self._plugins().get(name)
        return point.module if point is not None else None

    def get_exporter(self, name: str) -> Exporter:
        """Return the exporter of format ``name``; else ``UnknownFormatError`` listing them."""
        if name in self._formats:
            return self._formats[name]
        point = self._plugins().get(name)
        if point is None:
            raise UnknownFormatError(
                f"unknown format {name!r}",
                field="format",
                hint=f"use one of: {', '.join(self.names())}",
            )
        return self._load(point)

    def names(self, *, text: bool | None = None, form: bool | None = None) -> list[str]:
        """Every format's name, built-ins first; ``text``/``form`` keep only (or drop) those kinds.

        Asking for ``text`` or ``form`` loads the plug-ins' exporters (to see what they are).
        """
        names = list(self._formats) + list(self._plugins())
        if text is not None:
            names = [
                n
                for n in names
                if self._loads(n) and isinstance(self._formats[n], TextExporter) == text
            ]
        if form is not None:
            names = [
                n
                for n in names
                if self._loads(n) and bool(getattr(self._formats[n], "form", False)) == form
            ]
        return names

    def _loads(self, name: str) -> bool:
        """Whether ``name`` loads: a broken plug-in is left out of lists (and fails when used)."""
        try:
            self.get_exporter(name)
        except ExportError:
            return False
        return True

    def parse(self, text: str) -> list[str]:
        """Parse ``"html,md"`` into known formats, each once; else raise ``UnknownFormatError``."""
        wanted = [part.strip().lower() for part in text.split(",") if part.strip()]
        known = set(self._formats) if all(w in self._formats for w in wanted) else set(self.names())
        unknown = [fmt for fmt in wanted if fmt not in known]
        if unknown or not wanted:
            raise UnknownFormatError(
                f"unknown format {', '.join(unknown) or repr(text)}",
                field="format",
                hint=f"use a comma-separated list of: {', '.join(self.names())}",
            )
        return list(dict.fromkeys(wanted))

    def __getitem__(self, name: str) -> Exporter:
        try:
            return self.get_exporter(name)
        except UnknownFormatError:
            raise KeyError(name) from None  # the Mapping protocol; jdkit itself calls get_exporter

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self._formats or name in self._plugins())

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())


class Extensions(Mapping[str, str]):
    """Format name -> file extension, read from a registry (``jdkit.export.EXTENSIONS``)."""

    def __init__(self, registry: FormatRegistry) -> None:
        self._registry = registry

    def __getitem__(self, name: str) -> str:
        return self._registry[name].extension

    def __iter__(self) -> Iterator[str]:
        return iter(self._registry)

    def __len__(self) -> int:
        return len(self._registry)


FORMATS = FormatRegistry()

# jdkit's own formats (also listed under the entry point group in pyproject.toml, which needs no
# metadata here: an editable checkout whose dist-info predates them still has every format).
HTML = FORMATS.register(
    TextFormat("html", ".html", "text/html", "jdkit.document.writers:render_html", form=True)
)
MD = FORMATS.register(
    TextFormat("md", ".md", "text/markdown", "jdkit.document.writers:render_markdown")
)
JSONLD = FORMATS.register(
    TextFormat("jsonld", ".jsonld", "application/ld+json", "jdkit.document.jsonld:render_jsonld")
)
DOCX = FORMATS.register(
    Format(
        "docx",
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "jdkit.export.docx:export_docx",
        form=True,
    )
)
PDF = FORMATS.register(
    Format("pdf", ".pdf", "application/pdf", "jdkit.export.pdf:export_pdf", form=True)
)
