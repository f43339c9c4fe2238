"""The consultant's form: role picker, Open, Save, Export, the generated fields, preview and findings.

Every change schedules a refresh (debounced on the kernel's event loop; at once when
no loop runs, as in plain-Python tests): the fields are validated as a
``JobDescription``, pydantic's messages go beside their fields, and a valid model is
rendered into the preview and checked for the findings panel.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import html
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ipywidgets as W
from pydantic import ValidationError

from .. import roles
from ..errors import JdkitError
from ..export.params import plain
from ..models import SECTIONS, JobDescription, slugify
from .fields import Editor, ModelEditor, Spec

__all__ = ["Form", "EXPORT_FORMATS"]

EXPORT_FORMATS = ("html", "pdf", "docx")
# Tab titles at their natural width (ipywidgets' fixed width cuts "Responsibilities" short).
CSS = (".jdkit-form .lm-TabBar-tab, .jdkit-form .p-TabBar-tab "
       "{flex: 0 0 auto !important; min-width: 0 !important; max-width: none !important;} "
       ".jdkit-form .lm-TabBar-content, .jdkit-form .p-TabBar-content {flex-wrap: wrap;}")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
PLACEHOLDER = "<p><i>Pick a role, then fill in the practice's name and state to see the document.</i></p>"


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run a widget callback so that any failure becomes one line in the status, never a traceback."""

    @functools.wraps(method)
    def wrapper(self: Form, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except JdkitError as exc:
            self.say(f"error: {exc.format()}", error=True)
        except Exception as exc:  # a bug: still one line on the page
            self.say(f"internal error: {type(exc).__name__}: {exc}", error=True)
        return None

    return wrapper


class Form:
    """The form for one practice's job description, bound to the ``JobDescription`` model.

    Args:
        workdir: the folder holding ``params/`` (where Save writes) and ``out/`` (Export).
        role: the role to start from, or ``None`` to wait for the picker.
        debounce: seconds to wait after the last change before refreshing (0: at once).
    """

    def __init__(self, workdir: str | os.PathLike[str] = ".", *, role: str | None = None,
                 debounce: float = 0.3) -> None:
        self.workdir = Path(workdir)
        self.debounce = debounce
        self.errors: dict[str, str] = {}
        self.model: JobDescription | None = None
        self.findings: list[Any] = []
        self.score: int | None = None
        self._role: roles.Role | None = None
        self._asked_role: str | None = None  # a role picked over edits, waiting to be picked again
        self._opened: Path | None = None  # the params/ file Save writes back to
        self._quiet = 0
        self._pending: asyncio.TimerHandle | None = None
        self.editor = ModelEditor(Spec("model", model=JobDescription), "", self._changed, "jdkit-f", exclude=("role",))
        self._build()
        if role is not None:
            self.pick_role(role)
        else:
            self.refresh()

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.role_picker = W.Dropdown(description="Role", options=[("— pick a role —", None)] + [
            (f"{r.info['title']} ({r.id})", r.id) for r in roles.all_roles()], style={"description_width": "40px"})
        self.role_picker.add_class("jdkit-role")
        self.role_picker.observe(self._on_role, "value")
        self.path_box = W.Combobox(placeholder="params/<practice>.yaml", options=self._param_files(),
                                   ensure_option=False, layout=W.Layout(width="260px"))
        self.path_box.add_class("jdkit-open-path")
        self.open_button = self._button("Open", "folder-open", lambda _: self.open(self.path_box.value))
        self.upload = W.FileUpload(accept=".yaml,.yml,.json", multiple=False, description="Upload")
        self.upload.observe(self._on_upload, "value")
        self.save_button = self._button("Save", "save", lambda _: self.save())
        self.export_button = self._button("Export", "download", lambda _: self.export())
        self.status = self._html("jdkit-status")
        self.score_box = self._html("jdkit-score")
        self.findings_box = self._html("jdkit-findings")
        self.links = self._html("jdkit-links")
        self.preview = self._html("jdkit-preview")
        # A tab's fields join the page when it is first opened: the browser then draws ~50 widgets
        # at start instead of ~1,400, so picking a role or opening a file stays quick.
        self._tab_fields = [[self.editor[name].widget for name in names] for _, names in _groups()]
        self.tabs = W.Tab(children=[W.VBox() for _ in self._tab_fields],
                          titles=[title for title, _ in _groups()], layout=W.Layout(width="58%"))
        self.tabs.observe(self._open_tab, "selected_index")
        self._open_tab({"new": 0})
        right = W.VBox([self.score_box, self.findings_box, self.preview], layout=W.Layout(width="42%"))
        bar = W.HBox([self.role_picker, self.path_box, self.open_button, self.upload,
                      self.save_button, self.export_button], layout=W.Layout(flex_flow="row wrap"))
        css = W.HTML(f"<style>{CSS}</style>")
        self.widget = W.VBox([css, bar, self.status, self.links, W.HBox([self.tabs, right])])
        self.widget.add_class("jdkit-form")

    def _open_tab(self, change: dict[str, Any]) -> None:
        index = change["new"]
        if index is not None and not self.tabs.children[index].children:
            self.tabs.children[index].children = self._tab_fields[index]

    def _button(self, text: str, icon: str, on_click: Callable[[Any], Any]) -> W.Button:
        button = W.Button(description=text, icon=icon, layout=W.Layout(width="100px"))
        button.add_class(f"jdkit-{text.lower()}")
        button.on_click(on_click)
        return button

    @staticmethod
    def _html(css: str) -> W.HTML:
        widget = W.HTML()
        widget.add_class(css)
        return widget

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    @classmethod
    def from_env(cls, **kwargs: Any) -> Form:
        """A form working in ``$JDKIT_FORM_DIR`` (set by ``jdkit form``), else the current folder."""
        return cls(os.environ.get("JDKIT_FORM_DIR") or ".", **kwargs)

    # -- reading and setting fields ------------------------------------------------------------

    def field(self, dotted: str) -> Editor:
        """The editor at a dotted path such as ``compensation.salary_min`` or ``skills.0.example``."""
        editor: Any = self.editor
        for part in dotted.split("."):
            editor = editor.rows[int(part)] if part.isdigit() else editor.children[part]
        return editor

    def values(self) -> dict[str, Any]:
        """Every field's current value, as plain data (without the role)."""
        return self.editor.get() or {}

    @contextlib.contextmanager
    def _quietly(self) -> Iterator[None]:
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    @_guarded
    def pick_role(self, role_id: str | None) -> None:
        """Fill every field with the role's defaults, keeping the practice already typed in."""
        with self._quietly():
            self.role_picker.value = role_id
            if role_id is None:
                self._role = None
            else:
                self._role = roles.get(role_id)
                self.editor.set(self._defaults(self._role))
            self._asked_role = self._opened = None
        self.refresh()

    def _defaults(self, role: roles.Role) -> dict[str, Any]:
        """``role``'s defaults in every field, with the practice already typed in."""
        defaults = plain(JobDescription.model_validate(
            {**role.defaults, "role": role.info, "practice": {"name": "-", "state": "DC"}}))
        defaults.pop("role")  # shown by the picker, not a field
        return {**defaults, "practice": self.values().get("practice")}

    def edited(self) -> list[str]:
        """The fields (top-level names, the practice aside) that differ from the current role's defaults."""
        if self._role is None:
            return []
        now, defaults = self.values(), self._defaults(self._role)
        return [name for name in defaults if name != "practice" and now.get(name) != defaults[name]]

    def load_model(self, model: JobDescription) -> None:
        """Show ``model`` in the form: its role and every field."""
        with self._quietly():
            self._role = roles.get(model.role.id)
            self.role_picker.value = model.role.id
            self.editor.set(plain(model))
        self.refresh()

    @_guarded
    def open(self, path: str | os.PathLike[str]) -> JobDescription | None:
        """Load a parameter file (relative to the work folder) into the form."""
        from ..params import load

        if not str(path).strip():
            self.say("type or pick a parameter file to open, e.g. params/cedar-family-medicine.yaml", error=True)
            return None
        self.path_box.options = self._param_files()
        model = load(self.workdir / path)
        self.load_model(model)
        full = (self.workdir / path).resolve()
        # Save writes back to an opened params/ file when it can keep its name (a slug, .yaml).
        keep = full.parent == (self.workdir / "params").resolve() and full.suffix == ".yaml" and \
            slugify(full.stem) == full.stem
        self._opened, self._asked_role = (full if keep else None), None
        self.say(f"opened {path}")
        return model

    def _on_role(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        new, edited = change["new"], self.edited()
        if new is not None and edited and new != self._asked_role:
            # Picking a role replaces every section with its defaults: never lose edits silently.
            with self._quietly():
                self.role_picker.value = change["old"]
            self._asked_role = new
            names = ", ".join(edited[:4]) + (f" and {len(edited) - 4} more" if len(edited) > 4 else "")
            self.say(f"{roles.get(new).info['title']} would replace your edits to {names} with its defaults; "
                     "Save first, or pick it again to replace them", error=True)
            return
        self.pick_role(new)

    @_guarded
    def _on_upload(self, change: dict[str, Any]) -> None:
        from ..params import build, reads

        for item in change["new"] or ():
            self.load_model(build(reads(bytes(item["content"]), file=str(item["name"]))))
            self._opened = self._asked_role = None
            self.say(f"opened {item['name']}")

    # -- refresh: validate, errors beside fields, preview, findings -----------------------------

    def _changed(self) -> None:
        if self._quiet:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain Python): refresh at once
            loop = None
        if loop is None or self.debounce <= 0:
            self.refresh()
            return
        if self._pending is not None:
            self._pending.cancel()
        self._pending = loop.call_later(self.debounce, self.refresh)

    @_guarded
    def refresh(self) -> JobDescription | None:
        """Validate the fields now; show errors, preview and findings; return the model if valid."""
        from ..render import render

        self._pending = None
        if self._role is None:
            self.model, self.preview.value = None, PLACEHOLDER
            return None
        try:
            model = JobDescription.model_validate({**self.values(), "role": self._role.info})
        except ValidationError as exc:
            self.model = None
            self._show_errors(exc)
            first = next(iter(self.errors.items()), ("(form)", "is not valid"))
            self.say(f"{len(self.errors)} field(s) to fix; {first[0]}: {first[1]}", error=True)
            return None
        self._show_errors(None)
        self.model = model
        self.preview.value = _iframe(render(model, "html"))
        self._show_findings(model)
        self.say(f"{model.practice.name}: {model.title} — valid")
        return model

    def _show_errors(self, exc: ValidationError | None) -> None:
        index = dict(self.editor.walk())
        for editor in index.values():
            editor.show_error(None)
        shown: dict[tuple[Any, ...], list[str]] = {}
        for err in exc.errors(include_url=False) if exc else []:
            loc = tuple(err["loc"])
            while loc and loc not in index:  # the deepest editor the error lies inside
                loc = loc[:-1]
            shown.setdefault(loc, []).append(err["msg"].removeprefix("Value error, "))
        self.errors = {".".join(map(str, loc)) or "(form)": "; ".join(msgs) for loc, msgs in shown.items()}
        for loc, msgs in shown.items():
            index[loc].show_error("; ".join(msgs))

    def _show_findings(self, model: JobDescription) -> None:
        try:
            from ..checks import check, score
        except ImportError:  # the checks are optional: no panel without them
            self.findings, self.score = [], None
            self.score_box.value = self.findings_box.value = ""
            return
        self.findings = sorted(check(model), key=lambda f: SEVERITY_ORDER.get(f.severity, 3))
        self.score = score(self.findings)
        self.score_box.value = f'<h3>Score <b class="jdkit-score-value">{self.score}</b>/100</h3>'
        rows = "".join(
            f"<li><b>{html.escape(f.severity)}</b> {html.escape(f.section)}: {html.escape(f.message)}"
            + (f" <i>{html.escape(f.hint)}</i>" if f.hint else "") + "</li>" for f in self.findings)
        self.findings_box.value = f"<ul>{rows}</ul>" if rows else "<p>No findings.</p>"

    def say(self, text: str, *, error: bool = False) -> None:
        """Show one line in the status bar."""
        colour = "#b00020" if error else "#1b5e20"
        self.status.value = f'<span style="color:{colour}">{html.escape(text)}</span>'

    # -- files ----------------------------------------------------------------------------------

    def _param_files(self) -> list[str]:
        folder = self.workdir / "params"
        if not folder.is_dir():
            return []
        return sorted(f"params/{p.name}" for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json"))

    @_guarded
    def save(self) -> Path | None:
        """Write what differs from the role's defaults to the opened ``params/`` file, else to
        ``params/<slug>.yaml``; return its path."""
        from ..export.params import write_params

        model = self.refresh()
        if model is None:
            self.say("not saved: pick a role first" if self._role is None
                     else f"not saved: fix {len(self.errors)} field(s) first", error=True)
            return None
        path = write_params(self.workdir / "params", model, stem=self._opened.stem if self._opened else None)
        self.path_box.options = self._param_files()
        self.say(f"saved params/{path.name}")
        return path

    @_guarded
    def export(self) -> list[Path]:
        """Write HTML, PDF and Word into ``out/`` and show links; formats not installed are skipped."""
        from ..export import export_all

        model = self.refresh()
        if model is None:
            self.say(f"not exported: fix {len(self.errors)} field(s) first", error=True)
            return []
        written: list[Path] = []
        skipped: list[str] = []
        for fmt in EXPORT_FORMATS:
            try:
                written += export_all([model], [fmt], self.workdir / "out")
            except ImportError:
                skipped.append(f"{fmt}: its exporter is not installed")
            except JdkitError as exc:
                skipped.append(f"{fmt}: {exc.format()}")
        self.links.value = _links(written) + "".join(f"<div>skipped {html.escape(s)}</div>" for s in skipped)
        self.say(f"exported {len(written)} file(s) to out/" + (f"; skipped {len(skipped)}" if skipped else ""),
                 error=bool(skipped))
        return written


def _groups() -> list[tuple[str, list[str]]]:
    """Tabs: the fields before the nine sections, one tab per section, then the rest."""
    headings = dict(SECTIONS)
    groups: list[tuple[str, list[str]]] = []
    seen_section = False
    for name in JobDescription.model_fields:
        if name == "role":
            continue
        if name in headings:
            groups.append((headings[name], [name]))
            seen_section = True
        elif not seen_section:
            if not groups:
                groups.append(("Practice & position", []))
            groups[-1][1].append(name)
        else:
            if groups[-1][0] != "Review & other":
                groups.append(("Review & other", []))
            groups[-1][1].append(name)
    return groups


def _iframe(document: str) -> str:
    """The rendered document in a sandboxed frame, so its styles cannot touch the form's page."""
    return (f'<iframe class="jdkit-preview-frame" sandbox="" srcdoc="{html.escape(document, quote=True)}" '
            'style="width:100%;height:900px;border:1px solid #ccc;background:white"></iframe>')


MIME = {".html": "text/html", ".pdf": "application/pdf",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _links(paths: list[Path]) -> str:
    """Download links carrying each file's bytes (the form's server cannot serve out/ itself)."""
    items = []
    for path in paths:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        mime = MIME.get(path.suffix, "application/octet-stream")
        items.append(f'<li><a download="{html.escape(path.name)}" href="data:{mime};base64,{data}">'
                     f"{html.escape(path.name)}</a> <small>{html.escape(str(path))}</small></li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""
