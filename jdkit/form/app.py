"""The consultant's form: role picker, Open, Upload, Save, Export, the
fields, score, findings and preview.

Every change schedules a refresh (debounced on the kernel's event loop; at once when no
loop runs, as in plain-Python tests): the fields are validated as a ``JobDescription``,
each problem is named beside its field in plain words (``jdkit.form.words``), and a valid
model is rendered into the preview and checked for the score and the findings. While a
field is invalid the last good preview and score stay, greyed, with a note saying so.
What the consultant changed since the last Open or Save is tracked (``unsaved``): the page
asks before leaving, and a draft is kept every few seconds. Picking a role is in
``jdkit.form.actions``, Open, Upload, Save and Export in ``jdkit.form.files``, drafts in
``jdkit.form.drafts``.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import ipywidgets as W
from pydantic import ValidationError

from .. import roles
from ..models import JobDescription
from ..templating import use_user_cache
from .actions import Actions, changed_locs, guarded
from .ask import Question
from .band import band_html
from .drafts import DraftActions, Drafts
from .fields import Editor, Loc, ModelEditor, Spec, request_focus, set_aria
from .files import EXPORT_FORMATS, FileActions
from .lists import ListEditor
from .page import CSS
from .panel import (
    SEVERITY_ORDER,
    findings_panel,
    named_field,
    preview_frame,
    preview_switch,
    stale_note,
)
from .words import error_text, groups, place, tab_of

__all__ = ["Form", "EXPORT_FORMATS"]

PLACEHOLDER = (
    "<p><i>Pick a role, then fill in the practice's name and state to see the document.</i></p>"
)
STATUS_CLASSES = {
    "ok": "jdkit-status-ok",
    "warn": "jdkit-status-warn",
    "error": "jdkit-status-error",
}


class Form(Actions, FileActions, DraftActions):
    """The form for one practice's job description, bound to the ``JobDescription`` model.

    Args:
        workdir: the folder holding ``params/`` (Open and Save stay
            inside it) and ``out/`` (Export).
        role: the role to start from, or ``None`` to wait for the picker.
        debounce: seconds to wait after the last change before refreshing (0: at once).
        autosave: seconds between drafts while there are unsaved edits (0: only ``autosave()``).
        allow: files outside ``workdir`` that Open and Save may use (given on the command line).
        open: a parameter file to open at start.
    """

    def __init__(
        self,
        workdir: str | os.PathLike[str] = ".",
        *,
        role: str | None = None,
        debounce: float = 0.3,
        autosave: float = 3.0,
        allow: tuple[str | os.PathLike[str], ...] = (),
        open: str | os.PathLike[str] | None = None,
    ) -> None:
        self.workdir = Path(workdir)
        self.debounce, self.autosave_every = debounce, autosave
        # the form is an edge: its first preview loads compiled templates (~70 ms less)
        use_user_cache()
        self.allowed = {Path(p).resolve() for p in allow}
        self.errors: dict[str, str] = {}  # dotted path -> the message shown beside that field
        self.problems: list[tuple[Loc, str, str]] = []  # (where, its place in words, the message)
        self.model: JobDescription | None = None
        self._previewed: JobDescription | None = None  # the model the preview shows
        self.findings: list[Any] = []
        self.score: int | None = None
        self.target: Path | None = None  # the file Save writes (opened or saved last)
        self._role: roles.Role | None = None
        self._baseline: dict[str, Any] = {}  # the values as last opened or saved
        self._baseline_role: str | None = None
        self._quiet = 0
        self._pending: asyncio.TimerHandle | None = None
        self._role_timer: asyncio.TimerHandle | None = None
        self._autosave_timer: asyncio.TimerHandle | None = None
        self._autosaved_at = 0.0
        self._draft_path: Path | None = None
        self.drafts = Drafts(self.workdir / "params" / ".drafts")
        self.status_kind, self.status_text = "ok", ""
        self.editor = ModelEditor(
            Spec("model", model=JobDescription),
            "",
            self._changed,
            "jdkit-f",
            exclude=("role",),
            lazy=True,
        )
        self._blank_practice = self.editor["practice"].get()
        self._build()
        if open is not None:
            self.open(open)
        elif role is not None:
            self.pick_role(role)
        else:
            self.refresh()
            self.offer_draft()

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.role_picker = W.Dropdown(
            description="Role",
            options=[("— pick a role —", None)]
            + [(f"{r.info['title']} ({r.id})", r.id) for r in roles.all_roles()],
            tooltip="",
            style={"description_width": "initial"},
            layout=W.Layout(width="auto"),
        )
        self.role_picker.add_class("jdkit-role")
        self.role_picker.observe(self._on_role, "value")
        self.path_box = W.Combobox(
            description="File",
            placeholder="params/<practice>.yaml",
            tooltip="",
            options=self._param_files(),
            ensure_option=False,
            style={"description_width": "initial"},
            layout=W.Layout(width="330px"),
        )
        self.path_box.add_class("jdkit-open-path")
        set_aria(self.path_box, "Parameter file to open, in the work folder")
        self.open_button = self._button("Open", lambda _: self.open(self.path_box.value))
        self.upload_button = self._button("Upload…", lambda _: self._upload_fallback())
        self.upload_button.add_class("jdkit-upload")
        set_aria(self.upload_button, "Upload a parameter file (YAML or JSON, at most 1 MB)")
        self.upload_sink = W.Textarea(layout=W.Layout(display="none"), tooltip="")
        self.upload_sink.add_class("jdkit-upload-sink")
        set_aria(self.upload_sink, "Uploaded file")
        self.upload_sink.observe(self._on_sink, "value")
        self.upload_box = W.HBox(layout=W.Layout(display="none"))
        self.save_button = self._button("Save", lambda _: self.save())
        self.export_button = self._button("Export", lambda _: self.export())
        self.saved_note = self._html("jdkit-saved-note")
        self.question = Question()
        self.status = self._html("jdkit-status")
        self.fix_button = W.Button(
            description="Fix", tooltip="", layout=W.Layout(display="none", width="auto")
        )
        self.fix_button.add_class("jdkit-fix")
        self.fix_button.on_click(lambda _: self.focus_first_problem())
        self.links = self._html("jdkit-links")
        self.score_box = self._html("jdkit-score")
        self.stale_note = self._html("jdkit-stale-note")
        self.stale_note.layout.display = "none"
        self.findings_box = self._html("jdkit-findings")
        self.preview = self._html("jdkit-preview")
        self.preview_kind = preview_switch()  # the description or the posting
        self.preview_kind.observe(lambda _: self._show_preview(), "value")
        self.band = self._html("jdkit-market-box")
        pay = self.editor["compensation"]
        assert isinstance(pay, ModelEditor)
        at = list(pay.children).index("salary_max") + 1  # the market band beside the pay fields
        pay.body.children = (*pay.body.children[:at], self.band, *pay.body.children[at:])
        # A tab's fields join the page when it is first opened: the browser then draws ~50 widgets
        # at start instead of ~1,400, so picking a role or opening a file stays quick.
        self._tab_fields = [[self.editor[name].widget for name in names] for _, names in groups()]
        self.tabs = W.Tab(
            children=[W.VBox() for _ in self._tab_fields],
            titles=[title for title, _ in groups()],
            layout=W.Layout(width="100%"),
        )
        self.tabs.observe(self._open_tab, "selected_index")
        self._open_tab({"new": 0})
        fields = W.VBox([self.tabs], layout=W.Layout(width="56%"))
        fields.add_class("jdkit-fields")
        scorebar = W.VBox([self.score_box, self.stale_note], layout=W.Layout(width="100%"))
        scorebar.add_class("jdkit-scorebar-box")
        side = W.VBox(
            [scorebar, self.findings_box, self.preview_kind, self.preview],
            layout=W.Layout(width="44%"),
        )
        side.add_class("jdkit-side")
        self.side = side
        main = W.HBox([fields, side], layout=W.Layout(width="100%"))
        main.add_class("jdkit-main")
        heading = W.HTML('<h1 class="jdkit-title">Job description form</h1>')
        bar = W.HBox(
            [
                heading,
                self.role_picker,
                self.path_box,
                self.open_button,
                self.upload_button,
                self.save_button,
                self.export_button,
                self.saved_note,
            ],
            layout=W.Layout(flex_flow="row wrap"),
        )
        bar.add_class("jdkit-bar")
        status = W.HBox([self.fix_button, self.status], layout=W.Layout(align_items="center"))
        css = W.HTML(f"<style>{CSS}</style>")
        self.widget = W.VBox(
            [
                css,
                bar,
                self.upload_box,
                self.upload_sink,
                self.question.box,
                status,
                self.links,
                main,
            ],
            layout=W.Layout(width="100%"),
        )
        self.widget.add_class("jdkit-form")

    def _open_tab(self, change: dict[str, Any]) -> None:
        index = change["new"]
        if index is not None and not self.tabs.children[index].children:
            self.tabs.children[index].children = self._tab_fields[index]
            for name in groups()[index][1]:
                _draw(self.editor[name])

    def _button(self, text: str, on_click: Callable[[Any], Any]) -> W.Button:
        button = W.Button(description=text, tooltip="", layout=W.Layout(width="auto"))
        button.add_class(f"jdkit-{text.rstrip('…').lower()}")
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
        """A form working in ``$JDKIT_FORM_DIR`` (set by ``jdkit form``), else the current folder;
        ``$JDKIT_FORM_FILE`` (``jdkit form PATH``) is opened at start and may be saved to."""
        file = os.environ.get("JDKIT_FORM_FILE") or None
        if file:
            kwargs.setdefault("allow", (file,))
            kwargs.setdefault("open", file)
        return cls(os.environ.get("JDKIT_FORM_DIR") or ".", **kwargs)

    # -- reading and setting fields ------------------------------------------------------------

    def field(self, dotted: str) -> Editor:
        """The editor at a dotted path such as ``compensation.salary_min`` or ``skills.0.example``
        (list indexes count the rows in the document, from 0)."""
        editor: Editor = self.editor
        for part in dotted.split("."):
            # a digit steps into a list's rows, a name into a model's fields
            if part.isdigit():
                editor = cast(ListEditor, editor).items[int(part)]
            else:
                editor = cast(ModelEditor, editor).children[part]
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

    def unsaved(self) -> list[Loc]:
        """Where the fields differ from the file as last opened or
        saved (or from the empty form)."""
        if self._role is None:
            return []
        return changed_locs(self._baseline, self.values())

    def dirty(self) -> bool:
        """True when there are edits that neither Save nor a draft's file holds."""
        return self._role is not None and (
            self._role.id != self._baseline_role or bool(self.unsaved())
        )

    # -- refresh: validate, errors beside fields, preview, findings -----------------------------

    def _loop(self) -> asyncio.AbstractEventLoop | None:
        try:
            return asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain Python): act at once
            return None

    def _changed(self) -> None:
        if self._quiet:
            return
        loop = self._loop()
        if loop is not None and self.autosave_every > 0:
            # A draft a second after the typing pauses, and every few seconds while it goes on.
            if self._autosave_timer is not None:
                self._autosave_timer.cancel()
            self._autosave_timer = loop.call_later(
                min(1.0, self.autosave_every), self._autosave_tick
            )
            if loop.time() - self._autosaved_at >= self.autosave_every:
                self._autosaved_at = loop.time()
                loop.call_soon(self.autosave)
        if loop is None or self.debounce <= 0:
            self.refresh()
            return
        if self._pending is not None:
            self._pending.cancel()
        self._pending = loop.call_later(self.debounce, self.refresh)

    def _autosave_tick(self) -> None:
        self._autosave_timer = None
        loop = self._loop()
        self._autosaved_at = loop.time() if loop is not None else 0.0
        self.autosave()

    @guarded
    def refresh(self) -> JobDescription | None:
        """Validate the fields now; show errors, preview and findings; return the model if valid."""
        self._pending = None
        if self._role is None:
            self.model, self._previewed, self.preview.value = None, None, PLACEHOLDER
            self.say("Pick a role to start, or open a parameter file.")
            self._mark_unsaved()
            return None
        values = self.values()
        try:
            model = JobDescription.model_validate({**values, "role": self._role.info})
        except ValidationError as exc:
            self.model = None
            self._show_errors(exc, values)
            self._set_stale(True)
            self.say(self.problem_line(), kind="error")
            self._mark_unsaved()
            return None
        self._show_errors(None, values)
        self._set_stale(False)
        self.model = model
        self._show_preview(model)
        self._show_findings(model, values)
        self.band.value = band_html(model)
        self.say(f"{model.practice.name}, {model.title}: the preview and the score are up to date.")
        self._mark_unsaved()
        return model

    def _show_preview(self, model: JobDescription | None = None) -> None:
        """The document of the kind the switch picks, of ``model`` or the
        last valid one (while stale)."""
        self._previewed = model or self._previewed
        if self._previewed is not None:
            self.preview.value = preview_frame(self._previewed, self.preview_kind.value)

    def _show_errors(self, exc: ValidationError | None, values: dict[str, Any]) -> None:
        for err in exc.errors(include_url=False) if exc else []:
            # a hidden list with an error: its rows are needed now
            self._draw_path(tuple(err["loc"]))
        index = dict(self.editor.walk())
        for editor in index.values():
            if editor.error_text is not None:
                editor.show_error(None)
        shown: dict[Loc, list[str]] = {}
        for err in exc.errors(include_url=False) if exc else []:
            loc = named_field(tuple(err["loc"]), str(err.get("msg", "")), index)
            while loc and loc not in index:  # the deepest editor the error lies inside
                loc = loc[:-1]
            shown.setdefault(loc, []).append(error_text(err, loc, values))
        self.errors = {
            ".".join(map(str, loc)) or "(form)": "; ".join(msgs) for loc, msgs in shown.items()
        }
        self.problems = [
            (loc, place(loc, values) if loc else "the form", "; ".join(msgs))
            for loc, msgs in shown.items()
        ]
        for loc, msgs in shown.items():
            index[loc].show_error("; ".join(msgs))
        count = len(self.problems)
        self.fix_button.description = f"Fix {count} field{'s' if count != 1 else ''}"
        self.fix_button.layout.display = "inline-flex" if count else "none"
        if count:
            set_aria(
                self.fix_button,
                f"Fix {count} field{'s' if count != 1 else ''}: go to {self.problems[0][1]}",
            )

    def _draw_path(self, loc: Loc) -> None:
        editor: Any = self.editor
        for step in loc:
            if isinstance(editor, ListEditor):
                rows = editor.items
                if not isinstance(step, int) or not 0 <= step < len(rows):
                    return
                editor = rows[step]
            elif isinstance(editor, ModelEditor) and step in editor.children:
                editor = editor.children[step]
            else:
                return

    def problem_line(self) -> str:
        """The fields to fix, each by tab and label, as one line."""
        count = len(self.problems)
        listed = "; ".join(f"{where}: {message}" for _, where, message in self.problems)
        return f"{count} field{'s' if count != 1 else ''} to fix: {listed}"

    def focus_first_problem(self) -> None:
        """Open the tab of the first field to fix and move the keyboard focus to it."""
        if self.problems:
            self.focus(self.problems[0][0])

    def focus(self, loc: Loc) -> None:
        """Show the tab holding ``loc`` and ask the page to focus its control."""
        if not loc:
            return
        index, _ = tab_of(str(loc[0]))
        self.tabs.selected_index = index
        self._open_tab({"new": index})
        editor = dict(self.editor.walk()).get(tuple(loc))
        if editor is not None:
            request_focus(editor.focus_widget())

    def _set_stale(self, stale: bool) -> None:
        if stale and self.score is not None:
            self.stale_note.value = stale_note(self.problems)
            self.stale_note.layout.display = "block"
            self.side.add_class("jdkit-stale")
        else:
            self.stale_note.layout.display = "none"
            self.side.remove_class("jdkit-stale")

    def _show_findings(self, model: JobDescription, values: dict[str, Any]) -> None:
        try:
            from ..checks import check
        except ImportError:  # the checks are optional: no panel without them
            self.findings, self.score = [], None
            self.score_box.value = self.findings_box.value = ""
            return
        self.findings = sorted(check(model), key=lambda f: SEVERITY_ORDER.get(f.severity, 3))
        self.score, self.score_box.value, self.findings_box.value = findings_panel(
            self.findings, values
        )

    def say(self, text: str, *, kind: str = "ok", error: bool = False) -> None:
        """Show one line in the status bar (``kind``: ok, warn or error)."""
        kind = "error" if error else kind
        self.status_kind, self.status_text = kind, text
        self.status.value = (
            f'<span class="{STATUS_CLASSES.get(kind, "")}">{html.escape(text)}</span>'
        )

    def _mark_unsaved(self) -> None:
        dirty = self.dirty()
        if dirty:
            self.widget.add_class("jdkit-unsaved")
            count = len(self.unsaved())
            note = "Unsaved edits" + (
                f" ({count} field{'s' if count != 1 else ''})" if count else ""
            )
        else:
            self.widget.remove_class("jdkit-unsaved")
            note = f"Saved in {self._shown(self.target)}" if self.target else ""
        self.saved_note.value = html.escape(note)


def _draw(editor: Editor) -> None:
    """Draw every lazy list inside ``editor`` (its tab is being opened)."""
    if isinstance(editor, ListEditor):
        editor.materialize()
        for row in editor.rows:
            _draw(row)
    elif isinstance(editor, ModelEditor):
        for child in editor.children.values():
            _draw(child)
