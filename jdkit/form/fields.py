"""Editors generated from the pydantic models: one widget per field, driven by its annotation.

``describe`` reads a field's annotation (``str`` with a length, bounded ``int``/``float``,
``Literal``, ``date``, ``bool``, ``list[...]``, a nested model, each maybe ``| None``) into a
``Spec``; ``make_editor`` turns a ``Spec`` into an ``Editor``, which gets and sets plain
values (the shape ``plain`` dumps a model into) and shows an error message beside itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as W
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from ..export.params import plain
from ..models import US_STATES
from ..render import label

__all__ = ["Spec", "Editor", "LeafEditor", "ModelEditor", "describe", "field_specs", "make_editor", "Loc"]

Loc = tuple[str | int, ...]  # a field's place: ('skills', 0, 'example')
Changed = Callable[[], None]

# Fields whose choices the annotation cannot tell (validated in code, not by a Literal).
CHOICES: dict[tuple[str, str], list[tuple[str, Any]]] = {
    ("Practice", "state"): [(f"{code} {name}", code) for code, name in US_STATES.items()],
}
LONG_TEXT = 200  # a ``str`` allowed more characters than this gets a Textarea
LABELS = {"flsa_status": "FLSA status", "onet_soc": "O*NET-SOC code", "hsa_fsa": "HSA / FSA", "pto": "Paid time off"}


# A form holds hundreds of widgets; each would bring its own Layout and Style widget, so
# the ones that never change are shared (this makes the page about twice as quick to load).
@functools.cache
def layout(**css: str) -> W.Layout:
    """A shared ``Layout`` with these CSS properties; never change it in place."""
    return W.Layout(**css)


@functools.cache
def style(kind: str) -> Any:
    """A shared style: ``"label"`` (150 px descriptions), ``"bare"``, ``"button"`` or ``"html"``."""
    from ipywidgets.widgets.widget_bool import CheckboxStyle
    from ipywidgets.widgets.widget_button import ButtonStyle
    from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

    if kind in ("label", "bare"):  # a TextStyle is also a DescriptionStyle: numbers and dropdowns take it
        return TextStyle(description_width="150px" if kind == "label" else "0px")
    return {"button": ButtonStyle, "html": HTMLStyle, "checkbox": CheckboxStyle}[kind]()


def title_of(name: str) -> str:
    """The label shown for a field name: ``salary_min`` -> ``Salary min``."""
    return LABELS.get(name) or label(name)


@dataclass
class Spec:
    """What kind of editor a field needs, read from its annotation."""

    kind: str  # text, textarea, int, float, choice, date, bool, list, model
    optional: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: list[tuple[str, Any]] = field(default_factory=list)
    item: Spec | None = None
    model: type[BaseModel] | None = None
    default: Any = None


def describe(annotation: Any, metadata: list[Any] | tuple[Any, ...] = (), *, owner: str = "", name: str = "",
             default: Any = None) -> Spec:
    """Read ``annotation`` (plus pydantic ``metadata``) into a ``Spec``."""
    optional = False
    meta = list(metadata)
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            meta.extend(m for e in extra for m in (getattr(e, "metadata", None) or [e]))
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            annotation = args[0]
        else:
            break
    spec = Spec(kind="text", optional=optional, default=default)
    if (owner, name) in CHOICES:
        spec.kind, spec.choices = "choice", CHOICES[owner, name]
    elif origin is typing.Literal:
        spec.kind, spec.choices = "choice", [(label(str(v)), v) for v in typing.get_args(annotation)]
    elif origin is list:
        (inner,) = typing.get_args(annotation)
        spec.kind, spec.item = "list", describe(inner, owner=owner, name=name)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        spec.kind, spec.model = "model", annotation
    elif annotation is bool:
        spec.kind = "bool"
    elif annotation in (int, float):
        spec.kind = annotation.__name__
        for m in meta:  # annotated_types Gt/Ge/Lt/Le: gt=0 still allows typing 0, which the model refuses
            spec.minimum = next((getattr(m, k) for k in ("ge", "gt") if getattr(m, k, None) is not None), spec.minimum)
            spec.maximum = next((getattr(m, k) for k in ("le", "lt") if getattr(m, k, None) is not None), spec.maximum)
    elif annotation is dt.date:
        spec.kind = "date"
    else:
        longest = max((getattr(m, "max_length", None) or 0 for m in meta), default=0)
        spec.kind = "textarea" if longest > LONG_TEXT else "text"
    return spec


def field_specs(model: type[BaseModel], exclude: tuple[str, ...] = ()) -> dict[str, Spec]:
    """The ``Spec`` of every field of ``model`` except ``exclude``, in declaration order."""
    specs = {}
    for name, info in model.model_fields.items():
        if name in exclude:
            continue
        default = info.get_default(call_default_factory=True)
        specs[name] = describe(info.annotation, info.metadata, owner=model.__name__, name=name,
                               default=None if default is PydanticUndefined else plain(default))
    return specs


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
            self._error.value = f'<span style="color:#b00020">{html.escape(message)}</span>'
            if self._error not in children:
                children.insert(self._error_at, self._error)
                self.widget.children = children
        elif self._error is not None and self._error in children:
            children.remove(self._error)
            self.widget.children = children


class LeafEditor(Editor):
    """One control: Text, Textarea, a bounded number, Dropdown, DatePicker or Checkbox."""

    def __init__(self, spec: Spec, description: str, changed: Changed, css: str) -> None:
        self.spec, self._changed, self._busy = spec, changed, False
        self.control = _control(spec, description)
        # An optional number cannot be blank in a number box: a tick says whether it is set.
        self.enabled = W.Checkbox(indent=False, tooltip="set", layout=layout(width="28px"), style=style("checkbox")) \
            if spec.optional and spec.kind in ("int", "float") else None
        parts = [self.enabled, self.control] if self.enabled else [self.control]
        self._error_at = len(parts)
        box = W.VBox if spec.kind == "textarea" else W.HBox
        self.widget = box(parts, layout=layout(width="100%"))
        self.widget.add_class(css)  # the field and its error label, for styling and browser tests
        self.control.observe(self._on_change, "value")
        if self.enabled is not None:
            self.enabled.add_class(css + "-set")
            self.enabled.observe(self._on_change, "value")
        self.set(spec.default)

    def _on_change(self, change: dict[str, Any]) -> None:
        if self._busy:
            return
        if self.enabled is not None and change["owner"] is self.control and not self.enabled.value:
            self._busy = True  # typing a number ticks it as set; one change, not two
            self.enabled.value = True
            self._busy = False
        self._changed()

    def get(self) -> Any:
        """Return the control's value; blank optional text and unticked numbers are ``None``."""
        value = self.control.value
        if self.enabled is not None and not self.enabled.value:
            return None
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
                if self.enabled is not None:
                    self.enabled.value = value is not None
                if value is not None:
                    self.control.value = value
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
    common: dict[str, Any] = {"description": description, "style": style("label" if description else "bare")}
    if spec.kind == "textarea":
        return W.Textarea(rows=3, layout=layout(width="95%"), **common)
    if spec.kind == "text":
        return W.Text(layout=layout(width="70%" if description else "95%"), **common)
    if spec.kind in ("int", "float"):
        bounded = spec.minimum is not None and spec.maximum is not None
        cls = {("int", True): W.BoundedIntText, ("int", False): W.IntText,
               ("float", True): W.BoundedFloatText, ("float", False): W.FloatText}[spec.kind, bounded]
        extra = {"min": spec.minimum, "max": spec.maximum} if bounded else {}
        return cls(layout=layout(width="320px"), continuous_update=True, **extra, **common)  # preview as you type
    if spec.kind == "choice":
        blank = spec.optional or spec.default is None  # no default: the consultant must choose
        options = ([("—", None)] if blank else []) + spec.choices
        return W.Dropdown(options=options, layout=layout(width="420px"), **common)
    if spec.kind == "date":
        return W.DatePicker(layout=layout(width="320px"), **common)
    if spec.kind == "bool":
        return W.Checkbox(indent=False, description=description, layout=layout(width="auto"), style=style("checkbox"))
    raise ValueError(f"no control for {spec.kind}")


class ModelEditor(Editor):
    """A sub-box of editors, one per field of a model; optional models get an "include" tick."""

    def __init__(self, spec: Spec, title: str, changed: Changed, css: str, exclude: tuple[str, ...] = ()) -> None:
        assert spec.model is not None
        self.spec, self._changed = spec, changed
        self.children: dict[str, Editor] = {
            name: make_editor(child, name, changed, f"{css}-{name}")
            for name, child in field_specs(spec.model, exclude).items()
        }
        # Only an optional model's body hides, so only it needs a Layout of its own.
        self.body = W.VBox([child.widget for child in self.children.values()],
                           layout=W.Layout(width="100%") if spec.optional else layout(width="100%"))
        head: list[W.Widget] = [W.HTML(f"<b>{html.escape(title)}</b>", style=style("html"), layout=layout())] \
            if title else []
        self.include: W.Checkbox | None = None
        if spec.optional:
            self.include = W.Checkbox(description=f"Include {title.lower() or 'this'}", indent=False,
                                      style=style("checkbox"), layout=layout(width="auto"))
            self.include.add_class(css + "-include")
            self.include.observe(self._toggle, "value")
            head.append(self.include)
        self._error_at = len(head)
        self.widget = W.VBox([*head, self.body], layout=layout(border="1px solid #ddd", padding="4px", margin="2px 0")
                             if title else layout(width="100%"))
        self.widget.add_class(css)
        self.set(spec.default)

    def _toggle(self, change: dict[str, Any]) -> None:
        self.body.layout.display = None if change["new"] else "none"
        self._changed()

    def __getitem__(self, name: str) -> Editor:
        return self.children[name]

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


def make_editor(spec: Spec, name: str, changed: Changed, css: str) -> Editor:
    """Build the editor for ``spec``; ``name`` labels it, ``css`` is its DOM class for tests."""
    title = title_of(name) if name else ""
    if spec.kind == "model":
        return ModelEditor(spec, title, changed, css)
    if spec.kind == "list":
        from .lists import ListEditor  # lists build their rows with make_editor

        return ListEditor(spec, title, changed, css)
    return LeafEditor(spec, title, changed, css)
