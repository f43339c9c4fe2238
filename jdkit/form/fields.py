"""Editors generated from the pydantic models: one widget per field, driven by its annotation.

``make_editor`` turns a ``Spec`` (``jdkit.form.specs``) into an ``Editor``, which gets and
sets plain values (the shape ``plain`` dumps a model into) and shows an error message beside itself.

Numbers are typed into text boxes: blank means "not set" (no tick box, no 0 standing in
for nothing), ``75,000`` and ``$38.50`` are read as numbers, and anything else goes to the
model as typed, so its message says what is wrong. Every control gets an accessible name:
its visible label, or ``name_as`` (an ``aria-label`` the page script applies from a CSS class).
"""

from __future__ import annotations

import functools
import html
import itertools
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import ipywidgets as W

from ..errors import InternalError
from .specs import Spec, choice_label, describe, field_specs, is_table, title_of

__all__ = ["Spec", "Editor", "LeafEditor", "ModelEditor", "describe", "field_specs", "make_editor", "Loc",
           "choice_label", "set_aria", "title_of",
           "request_focus"]

Loc = tuple[str | int, ...]  # a field's place: ('skills', 0, 'example')
Changed = Callable[[], None]

ERROR_COLOUR = "#b00020"  # 7:1 on white


# A form holds hundreds of widgets; each would bring its own Layout and Style widget, so
# the ones that never change are shared (this makes the page about twice as quick to load).
@functools.cache
def layout(**css: str) -> W.Layout:
    """A shared ``Layout`` with these CSS properties; never change it in place."""
    return W.Layout(**css)


@functools.cache
def style(kind: str) -> Any:
    """A shared style: ``"label"`` (150 px descriptions), ``"bare"``, ``"button"``, ``"checkbox"`` or ``"html"``."""
    from ipywidgets.widgets.widget_bool import CheckboxStyle
    from ipywidgets.widgets.widget_button import ButtonStyle
    from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

    if kind in ("label", "bare"):  # a TextStyle is also a DescriptionStyle: numbers and dropdowns take it
        return TextStyle(description_width="150px" if kind == "label" else "0px")
    return {"button": ButtonStyle, "html": HTMLStyle, "checkbox": CheckboxStyle}[kind]()


def set_aria(widget: W.DOMWidget, name: str, *, kind: str = "aria") -> None:
    """Give ``widget``'s control the accessible name ``name`` (``kind="group"``: name it as a group).

    ipywidgets has no ``aria-label``; the page script (``jdkit.form.page``) reads this CSS class.
    """
    prefix = f"jdkit-{kind}="
    wanted = prefix + quote(name, safe="")
    classes = list(widget._dom_classes)
    if wanted in classes:
        return
    widget._dom_classes = tuple([c for c in classes if not c.startswith(prefix)] + [wanted])


_focus_count = itertools.count(1)
_focused: list[W.DOMWidget] = []


def request_focus(widget: W.DOMWidget) -> None:
    """Ask the page to move the keyboard focus to ``widget`` (the page script reads a new
    ``jdkit-focus-<n>`` class; ipywidgets cannot focus a control from the kernel)."""
    for old in _focused:
        old._dom_classes = tuple(c for c in old._dom_classes if not c.startswith("jdkit-focus-"))
    _focused[:] = [widget]
    widget._dom_classes = tuple(c for c in widget._dom_classes if not c.startswith("jdkit-focus-")) + (
        f"jdkit-focus-{next(_focus_count)}",)


class Editor:
    """A widget bound to one value: ``get``/``set`` it, show an error beside it."""

    widget: W.Box
    spec: Spec
    _error: W.HTML | None = None
    _message: str | None = None
    _error_at = 0  # where in ``widget.children`` the error label goes

    def get(self) -> Any:
        """Return the current value, in the shape ``plain`` produces."""
        raise NotImplementedError

    def set(self, value: Any) -> None:
        """Show ``value`` (``None`` means the field's default or empty)."""
        raise NotImplementedError

    def walk(self, path: Loc = ()) -> Iterator[tuple[Loc, Editor]]:
        """Yield ``(path, editor)`` for this editor and every editor inside it."""
        yield path, self

    def focus_widget(self) -> W.DOMWidget:
        """The widget that takes the keyboard focus when the form sends the consultant here."""
        return self.widget

    def name_as(self, name: str) -> None:
        """Give the editor's control the accessible name ``name`` (for controls without a visible label)."""
        set_aria(self.focus_widget(), name)

    @property
    def error_text(self) -> str | None:
        """The message shown beside the field, or ``None``."""
        return self._message

    def show_error(self, message: str | None) -> None:
        """Show ``message`` beside the field, or remove it when ``None``."""
        children = list(self.widget.children)
        self._message = message or None
        if message:
            if self._error is None:  # built on first use: most fields never show one
                self._error = W.HTML(style=style("html"), layout=layout(margin="0 0 0 8px"))
                self._error.add_class("jdkit-error")
            self._error.value = f'<span style="color:{ERROR_COLOUR}">{html.escape(message)}</span>'
            if self._error not in children:
                children.insert(self._error_at, self._error)
                self.widget.children = children
                self.focus_widget().add_class("jdkit-invalid")
        elif self._error is not None and self._error in children:
            children.remove(self._error)
            self.widget.children = children
            self.focus_widget().remove_class("jdkit-invalid")


def _number_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_number(text: str, kind: str) -> Any:
    """``75,000`` -> 75000, ``$38.50`` -> 38.5; ``None`` when blank; the text itself when it is no number."""
    cleaned = text.strip().replace(",", "").replace("$", "").replace(" ", "")
    if not cleaned:
        return None
    try:
        number = float(cleaned)
    except ValueError:
        return text.strip()
    if kind == "int":
        return int(number) if number.is_integer() else number
    return number


class LeafEditor(Editor):
    """One control: Text (also for numbers), Textarea, Dropdown, DatePicker or Checkbox."""

    def __init__(self, spec: Spec, description: str, changed: Changed, css: str) -> None:
        self.spec, self._changed, self._busy = spec, changed, False
        self.control = _control(spec, description)
        self._error_at = 1
        box = W.VBox if spec.kind == "textarea" else W.HBox
        # The field and its error label; its class is for styling and browser tests.
        self.widget = box([self.control], layout=layout(width="100%", flex_flow="row wrap")
                          if box is W.HBox else layout(width="100%"), _dom_classes=(css,))
        self.control.observe(self._on_change, "value")
        self.set(spec.default)

    def focus_widget(self) -> W.DOMWidget:
        return self.control

    def _on_change(self, change: dict[str, Any]) -> None:
        if not self._busy:
            self._changed()

    def get(self) -> Any:
        """Return the control's value; blank optional text and blank numbers are ``None``."""
        value = self.control.value
        if self.spec.kind in ("int", "float"):
            return _read_number(value, self.spec.kind)
        if self.spec.kind in ("text", "textarea"):
            return value if value.strip() or not self.spec.optional else None
        return value

    def set(self, value: Any) -> None:
        """Show ``value`` without firing change callbacks."""
        self._busy = True
        try:
            if self.spec.kind in ("text", "textarea"):
                self.control.value = "" if value is None else str(value)
            elif self.spec.kind in ("int", "float"):
                self.control.value = _number_text(value)
            elif self.spec.kind == "choice":
                values = [v for _, v in self.control.options]
                self.control.value = value if value in values else values[0]
            elif self.spec.kind == "bool":
                self.control.value = bool(value)
            else:
                self.control.value = value
        finally:
            self._busy = False


def _control(spec: Spec, description: str) -> W.ValueWidget:
    common: dict[str, Any] = {"description": description, "style": style("label" if description else "bare"),
                              "tooltip": ""}
    if spec.kind == "textarea":
        return W.Textarea(rows=3, layout=layout(width="95%"), placeholder="", **common)
    if spec.kind == "text":
        return W.Text(layout=layout(width="70%" if description else "95%"), placeholder="", **common)
    if spec.kind in ("int", "float"):
        width = "320px" if description else "95%"
        return W.Text(layout=layout(width=width), placeholder="", continuous_update=True, **common)
    if spec.kind == "choice":
        blank = spec.optional or spec.default is None  # no default: the consultant must choose
        options = ([("—", None)] if blank else []) + spec.choices
        return W.Dropdown(options=options, layout=layout(width="420px" if description else "95%"), **common)
    if spec.kind == "date":
        return W.DatePicker(layout=layout(width="320px" if description else "95%"), **common)
    if spec.kind == "bool":
        return W.Checkbox(indent=False, description=description, layout=layout(width="auto"),
                          style=style("checkbox"), tooltip="")
    raise InternalError(f"no control for {spec.kind}")


class ModelEditor(Editor):
    """A sub-box of editors, one per field of a model; optional models get an "include" tick."""

    def __init__(self, spec: Spec, title: str, changed: Changed, css: str, exclude: tuple[str, ...] = (),
                 *, bare: bool = False, lazy: bool = False) -> None:
        assert spec.model is not None
        self.spec, self._changed = spec, changed
        # ``bare``: the fields carry no visible label (a table row, under its column headers);
        # ``lazy``: lists inside draw their rows when first shown.
        self.children: dict[str, Editor] = {
            name: make_editor(child, "" if bare and child.kind not in ("list", "model") else name, changed,
                              f"{css}-{name}", lazy=lazy)
            for name, child in field_specs(spec.model, exclude).items()
        }
        # Only an optional model's body hides, so only it needs a Layout of its own.
        self.body = W.VBox([child.widget for child in self.children.values()],
                           layout=W.Layout(width="100%") if spec.optional else layout(width="100%"))
        head: list[W.Widget] = [W.HTML(f'<span class="jdkit-box-title">{html.escape(title)}</span>',
                                       style=style("html"), layout=layout())] if title else []
        self.include: W.Checkbox | None = None
        if spec.optional:
            self.include = W.Checkbox(description=f"Include {title.lower() or 'this'}", indent=False,
                                      style=style("checkbox"), layout=layout(width="auto"), tooltip="")
            self.include.add_class(css + "-include")
            self.include.observe(self._toggle, "value")
            head.append(self.include)
        self._error_at = len(head)
        classes = (css, f"jdkit-group={quote(title, safe='')}") if title else (css,)
        self.widget = W.VBox([*head, self.body], layout=layout(border="1px solid #767676", padding="4px 8px",
                                                               margin="4px 0") if title else layout(width="100%"),
                             _dom_classes=classes)
        self.set(spec.default)

    def _toggle(self, change: dict[str, Any]) -> None:
        self.body.layout.display = None if change["new"] else "none"
        self._changed()

    def __getitem__(self, name: str) -> Editor:
        return self.children[name]

    def focus_widget(self) -> W.DOMWidget:
        if self.include is not None and not self.include.value:
            return self.include
        return next(iter(self.children.values())).focus_widget() if self.children else self.widget

    def get(self) -> dict[str, Any] | None:
        """Return ``{field: value}``, or ``None`` for an optional model left out."""
        if self.include is not None and not self.include.value:
            return None
        return {name: child.get() for name, child in self.children.items()}

    def set(self, value: Any) -> None:
        """Fill every child from ``value`` (a mapping); missing keys get the field's default."""
        values = value if isinstance(value, dict) else {}
        for name, child in self.children.items():
            child.set(values[name] if name in values else getattr(child, "spec", Spec("text")).default)
        if self.include is not None:
            self.include.value = value is not None
            self.body.layout.display = None if value is not None else "none"

    def walk(self, path: Loc = ()) -> Iterator[tuple[Loc, Editor]]:
        """Yield this editor, then every child under ``path + (field,)``."""
        yield path, self
        for name, child in self.children.items():
            yield from child.walk((*path, name))


def make_editor(spec: Spec, name: str, changed: Changed, css: str, *, lazy: bool = False) -> Editor:
    """Build the editor for ``spec``; ``name`` labels it, ``css`` is its DOM class for tests;
    ``lazy`` lists build their rows' widgets only when first drawn."""
    title = title_of(name) if name else ""
    if spec.kind == "model":
        return ModelEditor(spec, title, changed, css, lazy=lazy)
    if spec.kind == "list":
        from .lists import (  # lists build their rows with make_editor
            ListEditor,
            TableEditor,
        )

        return (TableEditor if is_table(spec) else ListEditor)(spec, title, changed, css, name=name, lazy=lazy)
    return LeafEditor(spec, title, changed, css)
