"""nbconvert exporters for executed job-description notebooks.

``JdkitHTMLExporter`` uses the ``jdkit`` template (outputs only: the finished document);
``JdkitPDFExporter`` prints that HTML with Chromium and is registered under nbconvert's
``nbconvert.exporters`` entry point as ``jdkit-pdf``::

    jupyter nbconvert --to jdkit-pdf out.ipynb --paper A4   # or --JdkitPDFExporter.paper=A4
"""

from __future__ import annotations

import sys
from importlib import resources
from types import TracebackType
from typing import Any, cast

from nbconvert.exporters import HTMLExporter as _NbHTMLExporter
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets import Enum, default

from ..errors import ExportError, JdkitError
from ..private_apis import html_resources, notebook_metadata, template_export
from .pdf import PAPERS, Paper, shared_printer

__all__ = ["template_dir", "JdkitHTMLExporter", "JdkitPDFExporter"]


def template_dir() -> str:
    """The folder holding the ``jdkit`` nbconvert template as shipped inside the package."""
    return str(resources.files("jdkit.templates") / "nbconvert")


class JdkitHTMLExporter(_NbHTMLExporter):
    """HTML with the ``jdkit`` template: no code, prompts, parameters or findings."""

    export_from_notebook = "jdkit HTML"

    @default("template_name")
    def _template_name_default(self) -> str:
        return "jdkit"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        # jdkit's own template only: nbconvert's default also searches the working directory,
        # where any jdkit/index.html.j2 would replace every document. Works from a source
        # checkout too, where the installed copy may be missing.
        return [template_dir()]

    def from_notebook_node(  # type: ignore[override]
        self,
        nb: Any,
        resources: dict[str, Any] | None = None,
        **kw: Any,
    ) -> tuple[str, dict[str, Any]]:
        """Convert ``nb`` to the finished document's HTML; returns ``(html, resources)``.

        nbconvert's HTMLExporter ends by re-parsing its output with BeautifulSoup to add alt
        text to ``<img>`` and tab stops to JupyterLab cells; the jdkit template has neither, and
        that pass took ~60 ms a document, so it is left out and the template's output is kept as is.
        """
        resources = html_resources(self, resources)
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(  # type: ignore[no-untyped-call]
                notebook_metadata=notebook_metadata(self), parent=self, resources=resources
            ),
        )
        return template_export(self, nb, resources, **kw)


class JdkitPDFExporter(JdkitHTMLExporter):
    """PDF of the ``jdkit`` HTML, printed by headless Chromium, page numbers in the footer."""

    export_from_notebook = "jdkit PDF"
    output_mimetype = "application/pdf"
    paper = Enum(list(PAPERS), default_value="Letter", help="Paper size: A4 or Letter.").tag(
        config=True
    )

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    @default("template_extension")
    def _template_extension_default(self) -> str:
        return ".html.j2"

    def paper_size(self) -> str:
        """The paper: ``--JdkitPDFExporter.paper``, else a bare ``--paper`` on
        the command line, else Letter."""
        if "paper" in self.config.get(type(self).__name__, {}):
            return str(self.paper)
        # nbconvert keeps an unknown --paper X at the config's top level
        bare = self.config.get("paper")
        if bare is None:
            return str(self.paper)
        wanted = {p.lower(): p for p in PAPERS}.get(str(bare).strip().lower())
        if wanted is None:
            raise ExportError(
                f"unknown paper size {str(bare)!r}", field="paper", hint="use A4 or Letter"
            )
        return wanted

    def from_notebook_node(  # type: ignore[override]
        self,
        nb: Any,
        resources: dict[str, Any] | None = None,
        **kw: Any,
    ) -> tuple[bytes, dict[str, Any]]:
        """Convert ``nb`` to PDF bytes; resources as for HTML, with
        ``output_extension`` ``.pdf``."""
        html, resources = super().from_notebook_node(nb, resources=resources, **kw)
        try:
            # one of PAPERS
            pdf = shared_printer().print_html(html, paper=cast("Paper", self.paper_size()))
        except ExportError:
            from nbconvert.nbconvertapp import NbConvertApp

            if NbConvertApp.initialized():
                # `jupyter nbconvert --to jdkit-pdf`: one line, not a traceback
                _errors_in_one_line()
            raise
        resources["output_extension"] = ".pdf"
        return pdf, resources


def _errors_in_one_line() -> None:
    """Under ``jupyter nbconvert``, end on a jdkit error with one line instead of a traceback.

    nbconvert lets an exporter's exception reach the interpreter, and an exporter must not exit:
    so the interpreter's hook prints ours (exit 1, as for any uncaught exception) and leaves
    every other exception to the hook it replaces.
    """
    previous = sys.excepthook
    if getattr(previous, "jdkit", False):
        return

    def hook(kind: type[BaseException], exc: BaseException, trace: TracebackType | None) -> None:
        if isinstance(exc, JdkitError):
            # the flag the user typed
            sys.stderr.write(f"error: {exc.format({'paper': '--paper'})}\n")
        else:
            previous(kind, exc, trace)

    hook.jdkit = True  # type: ignore[attr-defined]
    sys.excepthook = hook
