"""Editors generated from the pydantic models: one widget per field, driven by its annotation.

``make_editor`` turns a ``Spec`` (``jdkit.form.specs``) into an ``Editor``, which gets and
sets plain values (the shape ``plain`` dumps a model into) and shows an error message beside itself.

Numbers are typed into text boxes: blank means "not set" (no tick box, no 0 standing in
for nothing), ``75,000`` and ``$38.50`` are read as numbers, and anything else goes to the
model as typed, so its message says what is wrong. Every control gets an accessible name:
its visible label, or ``name_as`` (an ``aria-label`` the page script applies from a CSS class).

The list editors are here too (``jdkit.form.lists`` re-exports them): a model's fields hold
lists and a list's rows are models, so the two kinds of editor build each other.
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
from .words import row_name, row_noun

__all__ = [
    "Spec",
    "Editor",
    "LeafEditor",
    "ModelEditor",
    "ListEditor",
    "TableEditor",
    "describe",
    "field_specs",
    "make_editor",
    "Loc",
    "choice_label",
    "set_aria",
    "title_of",
    "request_focus",
]

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
    """A shared style: ``"label"`` (150 px descriptions), ``"bare"``, ``"button"``, ``"checkbox"``
    or ``"html"``."""
    from ipywidgets.widgets.widget_bool import CheckboxStyle
    from ipywidgets.widgets.widget_button import ButtonStyle
    from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

    if kind in (
        "label",
        "bare",
    ):  # a TextStyle is also a DescriptionStyle: numbers and dropdowns take it
        return TextStyle(description_width="150px" if kind == "label" else "0px")
    return {"button": ButtonStyle, "html": HTMLStyle, "checkbox": CheckboxStyle}[kind]()


def set_aria(widget: W.DOMWidget, name: str, *, kind: str = "aria") -> None:
    """Give ``widget``'s control the accessible name ``name`` (``kind="group"``: name it as a
    group).

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
    widget._dom_classes = tuple(
        c for c in widget._dom_classes if not c.startswith("jdkit-focus-")
    ) + (f"jdkit-focus-{next(_focus_count)}",)


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
        """Give the editor's control the accessible name ``name`` (for controls without a visible
        label)."""
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
    """``75,000`` -> 75000, ``$38.50`` -> 38.5; ``None`` when blank; the text itself when it is no
    number."""
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
        self.widget = box(
            [self.control],
            layout=layout(width="100%", flex_flow="row wrap")
            if box is W.HBox
            else layout(width="100%"),
            _dom_classes=(css,),
        )
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
    common: dict[str, Any] = {
        "description": description,
        "style": style("label" if description else "bare"),
        "tooltip": "",
    }
    if spec.kind == "textarea":
        return W.Textarea(rows=3, layout=layout(width="95%"), placeholder="", **common)
    if spec.kind == "text":
        return W.Text(
            layout=layout(width="70%" if description else "95%"), placeholder="", **common
        )
    if spec.kind in ("int", "float"):
        width = "320px" if description else "95%"
        return W.Text(layout=layout(width=width), placeholder="", continuous_update=True, **common)
    if spec.kind == "choice":
        blank = spec.optional or spec.default is None  # no default: the consultant must choose
        options = ([("—", None)] if blank else []) + spec.choices
        return W.Dropdown(
            options=options, layout=layout(width="420px" if description else "95%"), **common
        )
    if spec.kind == "date":
        return W.DatePicker(layout=layout(width="320px" if description else "95%"), **common)
    if spec.kind == "bool":
        return W.Checkbox(
            indent=False,
            description=description,
            layout=layout(width="auto"),
            style=style("checkbox"),
            tooltip="",
        )
    raise InternalError(f"no control for {spec.kind}")


class ModelEditor(Editor):
    """A sub-box of editors, one per field of a model; optional models get an "include" tick."""

    def __init__(
        self,
        spec: Spec,
        title: str,
        changed: Changed,
        css: str,
        exclude: tuple[str, ...] = (),
        *,
        bare: bool = False,
        lazy: bool = False,
    ) -> None:
        assert spec.model is not None
        self.spec, self._changed = spec, changed
        # ``bare``: the fields carry no visible label (a table row, under its column headers);
        # ``lazy``: lists inside draw their rows when first shown.
        self.children: dict[str, Editor] = {
            name: make_editor(
                child,
                "" if bare and child.kind not in ("list", "model") else name,
                changed,
                f"{css}-{name}",
                lazy=lazy,
            )
            for name, child in field_specs(spec.model, exclude).items()
        }
        # Only an optional model's body hides, so only it needs a Layout of its own.
        self.body = W.VBox(
            [child.widget for child in self.children.values()],
            layout=W.Layout(width="100%") if spec.optional else layout(width="100%"),
        )
        head: list[W.Widget] = (
            [
                W.HTML(
                    f'<span class="jdkit-box-title">{html.escape(title)}</span>',
                    style=style("html"),
                    layout=layout(),
                )
            ]
            if title
            else []
        )
        self.include: W.Checkbox | None = None
        if spec.optional:
            self.include = W.Checkbox(
                description=f"Include {title.lower() or 'this'}",
                indent=False,
                style=style("checkbox"),
                layout=layout(width="auto"),
                tooltip="",
            )
            self.include.add_class(css + "-include")
            self.include.observe(self._toggle, "value")
            head.append(self.include)
        self._error_at = len(head)
        classes = (css, f"jdkit-group={quote(title, safe='')}") if title else (css,)
        self.widget = W.VBox(
            [*head, self.body],
            layout=layout(border="1px solid #767676", padding="4px 8px", margin="4px 0")
            if title
            else layout(width="100%"),
            _dom_classes=classes,
        )
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
            child.set(
                values[name] if name in values else getattr(child, "spec", Spec("text")).default
            )
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
        return (TableEditor if is_table(spec) else ListEditor)(
            spec, title, changed, css, name=name, lazy=lazy
        )
    return LeafEditor(spec, title, changed, css)


# Editable lists: one row per item, each with move up, move down and remove; Add at the top and
# the bottom. A row added by Add is *new*: it stays out of the document (and out of validation)
# until the consultant types in it, so an empty row never turns the form red. Rows are numbered
# from 1 in the order the document shows them, the same numbers the messages use, and every
# button names its row ("Remove metric 3: Days in A/R"). ``TableEditor`` lays a list of short
# records (metrics, certifications, channels) out as a table under column headers.

TOP_ADD_FROM = 3  # rows


class ListEditor(Editor):
    """Edit ``list[str]`` or ``list[Model]``: add, remove and reorder rows."""

    def __init__(
        self,
        spec: Spec,
        title: str,
        changed: Changed,
        css: str,
        *,
        name: str = "",
        lazy: bool = False,
    ) -> None:
        assert spec.item is not None
        self.spec, self._changed, self._css, self.title = spec, changed, css, title
        self.noun = row_noun(name) if name else "item"
        # ``lazy``: the rows' widgets are built when the list is first drawn (its tab opened);
        # until then the values are held as plain data, so a role pick builds no hidden rows.
        self.drawn = not lazy
        self._values: list[Any] = []
        self._rows: list[Editor] = []
        self.new: set[Editor] = set()  # rows added but not typed in yet: not in the document
        self._row_widgets: dict[Editor, W.Widget] = {}  # rows keep their widgets when moved
        self._numbers: dict[Editor, W.HTML] = {}
        self._buttons: dict[Editor, list[W.Button]] = {}
        self.box = W.VBox(layout=layout(width="100%"))
        self.add_top = self._add_button("top")
        self.add_button = self._add_button("bottom")
        head = (
            [
                W.HTML(
                    f'<span class="jdkit-box-title">{html.escape(title)}</span>',
                    style=style("html"),
                    layout=layout(),
                )
            ]
            if title
            else []
        )
        self._error_at = len(head)
        self.widget = W.VBox(
            [*head, *self._top_bar(), self.box, self.add_button],
            layout=layout(border="1px solid #767676", padding="4px 8px", margin="4px 0"),
        )
        self.widget.add_class(css)
        if title:
            set_aria(self.widget, title, kind="group")
        self.set(spec.default)

    def _add_button(self, where: str) -> W.Button:
        button = W.Button(
            description=f"Add {'an' if self.noun[0] in 'aeiou' else 'a'} {self.noun}",
            tooltip="",
            layout=layout(width="auto", align_self="flex-start")
            if where == "bottom"
            else W.Layout(width="auto", align_self="flex-start"),
            style=style("button"),
        )
        button.add_class(self._css + ("-add" if where == "bottom" else "-add-top"))
        button.on_click(lambda _: self.add(at=0 if where == "top" else None))
        return button

    def _top_bar(self) -> list[W.Widget]:
        return [self.add_top]

    @property
    def rows(self) -> list[Editor]:
        """Every row's editor, new rows included (drawing the list if it is not drawn yet)."""
        self.materialize()
        return self._rows

    @property
    def items(self) -> list[Editor]:
        """The rows in the document (new rows not typed in yet left out), in order."""
        return [editor for editor in self.rows if editor not in self.new]

    def materialize(self) -> None:
        """Build the rows' widgets from the values held (once: the list's tab was opened)."""
        if not self.drawn:
            self.drawn = True
            values, self._values = self._values, []
            self._fill(values)

    def _new_row(self) -> Editor:
        assert self.spec.item is not None
        holder: list[Editor] = []
        editor = make_editor(
            self.spec.item, "", lambda: self._row_changed(holder), self._css + "-item"
        )
        holder.append(editor)
        return editor

    def _row_changed(self, holder: list[Editor]) -> None:
        if not holder:  # the row is still being built
            return
        if holder[0] in self.new:
            self.new.discard(holder[0])
            self._label_rows()
        self._changed()

    def _row_widget(self, editor: Editor) -> W.Widget:
        row = self._row_widgets.get(editor)
        if row is None:
            row = self._row_widgets[editor] = self._build_row(editor)
        return row

    def _row_buttons(self, editor: Editor) -> list[W.Button]:
        buttons = []
        for text, kind, action in (("↑", "up", -1), ("↓", "down", 1), ("Remove", "remove", 0)):
            button = W.Button(
                description=text,
                tooltip="",
                layout=layout(width="auto", flex="0 0 auto"),
                style=style("button"),
                _dom_classes=(f"{self._css}-{kind}",),
            )
            button.on_click(
                lambda _, e=editor, a=action: (
                    self.remove(self.rows.index(e)) if a == 0 else self.move(self.rows.index(e), a)
                )
            )
            buttons.append(button)
        self._buttons[editor] = buttons
        return buttons

    def _build_row(self, editor: Editor) -> W.Widget:
        number = self._numbers[editor] = W.HTML(
            style=style("html"), layout=layout(width="5.5em", flex="0 0 auto")
        )
        # The editor's box is 100% wide and shrinks; the number and the buttons keep their width.
        return W.HBox(
            [number, editor.widget, *self._row_buttons(editor)],
            layout=layout(
                width="100%", align_items="flex-start", border_bottom="1px solid #d0d0d0"
            ),
            _dom_classes=("jdkit-row",),
        )

    def _label_rows(self) -> None:
        """Number the rows as the document does, and name every control and button with its row."""
        index = 0
        for editor in self._rows:
            if editor in self.new:
                label = f"New {self.noun}"
                shown = "new"
            else:
                index += 1
                label = f"{self.noun.capitalize()} {index}"
                shown = str(index)
            name = row_name(editor.get() if editor not in self.new else None, 30)
            full = f"{label}: {name}" if name else label
            if editor in self._numbers:
                self._numbers[
                    editor
                ].value = f'<span class="jdkit-row-number">{html.escape(shown)}</span>'
            row = self._row_widgets.get(editor)
            if row is not None:
                set_aria(row, full, kind="group")
            self._name_controls(editor, label)
            who = label[:1].lower() + label[1:]  # "metric 3", "new metric"
            tail = f": {name}" if name else ""
            for button, verb in zip(
                self._buttons.get(editor, ()),
                ("Move {} up", "Move {} down", "Remove {}"),
                strict=False,
            ):
                set_aria(button, verb.format(who) + tail)

    def _name_controls(self, editor: Editor, label: str) -> None:
        if isinstance(editor, ModelEditor):
            for field, child in editor.children.items():
                if not isinstance(child, ListEditor):
                    child.name_as(f"{label} {title_of(field).lower()}")
        else:
            editor.name_as(label)

    def _redraw(self) -> None:
        live = set(self._rows)
        for key in [key for key in self._row_widgets if key not in live]:
            del self._row_widgets[key]
            self._numbers.pop(key, None)
            self._buttons.pop(key, None)
        self.new &= live
        self.box.children = [self._row_widget(editor) for editor in self._rows]
        # Add at the top as well once the list is long enough that the bottom is out of sight.
        self.add_top.layout.display = None if len(self._rows) >= TOP_ADD_FROM else "none"
        self._label_rows()

    def _prepare_new(self, editor: Editor) -> None:
        """Fill a new row's fields that the consultant chooses above the list (none here)."""

    def add(self, value: Any = None, *, at: int | None = None) -> Editor:
        """Add a row holding ``value`` at ``at`` (the end by default) and return its editor.

        Without a value the row is new: out of the document until the consultant types in it.
        """
        editor = self._new_row()
        if value is not None:
            editor.set(value)
        else:
            self._prepare_new(editor)
            self.new.add(editor)
        self.rows.insert(len(self.rows) if at is None else at, editor)
        self._redraw()
        self._changed()
        return editor

    def remove(self, index: int) -> None:
        """Remove the row at ``index`` (counting new rows)."""
        del self.rows[index]
        self._redraw()
        self._changed()

    def move(self, index: int, step: int) -> None:
        """Move the row at ``index`` by ``step`` (-1 up, +1 down); the ends stay put."""
        other = index + step
        if 0 <= other < len(self.rows):
            self.rows[index], self.rows[other] = self.rows[other], self.rows[index]
            self._redraw()
            self._changed()

    def get(self) -> list[Any]:
        """Return the rows' values, in order, new rows left out."""
        if not self.drawn:
            return list(self._values)
        return [editor.get() for editor in self.items]

    def set(self, value: Any) -> None:
        """Show ``value`` (a list; ``None`` is empty), reusing rows already built."""
        if not self.drawn:
            self._values = list(value or [])
            return
        self._fill(list(value or []))

    def _fill(self, values: list[Any]) -> None:
        self.new.clear()
        while len(self._rows) > len(values):
            self._rows.pop()
        while len(self._rows) < len(values):
            self._rows.append(self._new_row())
        for editor, item in zip(self._rows, values, strict=True):
            editor.set(item)
        self._redraw()

    def focus_widget(self) -> W.DOMWidget:
        rows = self.items
        return rows[0].focus_widget() if rows else self.add_button

    def name_as(self, name: str) -> None:
        set_aria(self.widget, name, kind="group")

    def walk(self, path: Loc = ()) -> Iterator[tuple[Loc, Editor]]:
        """Yield this editor, then each row in the document under ``path + (index,)`` (if drawn)."""
        yield path, self
        if not self.drawn:
            return
        for index, editor in enumerate(self.items):
            yield from editor.walk((*path, index))


class TableEditor(ListEditor):
    """A list of short records as a table: column headers, one row per item, cells without
    labels."""

    def __init__(
        self,
        spec: Spec,
        title: str,
        changed: Changed,
        css: str,
        *,
        name: str = "",
        lazy: bool = False,
    ) -> None:
        assert spec.item is not None and spec.item.model is not None
        self.fields = field_specs(spec.item.model)
        # Fields the model needs but gives no default (a metric's family): chosen once, above the
        # table.
        self.presets: dict[str, W.Dropdown] = {}
        super().__init__(spec, title, changed, css, name=name, lazy=lazy)

    def _top_bar(self) -> list[W.Widget]:
        noun = self.noun
        for field, spec in self.fields.items():
            if spec.kind == "choice" and spec.required:
                choice = W.Dropdown(
                    options=spec.choices,
                    value=spec.choices[0][1],
                    tooltip="",
                    description=f"{title_of(field)} of a new {noun}",
                    style=W.widgets.widget_string.TextStyle(description_width="initial"),
                    layout=layout(width="auto"),
                )
                choice.add_class(f"{self._css}-new-{field}")
                self.presets[field] = choice
        header = W.GridBox(
            [W.HTML('<span class="jdkit-col">#</span>', style=style("html"), layout=layout())]
            + [
                W.HTML(
                    f'<span class="jdkit-col">{html.escape(title_of(f))}</span>',
                    style=style("html"),
                    layout=layout(),
                )
                for f in self.fields
            ]
            + [
                W.HTML(
                    '<span class="jdkit-col">Move or remove</span>',
                    style=style("html"),
                    layout=layout(),
                )
            ],
            layout=self._row_grid(),
        )
        header.add_class("jdkit-table-head")
        return [
            W.HBox([self.add_top, *self.presets.values()], layout=layout(flex_flow="row wrap")),
            header,
        ]

    def _row_grid(self) -> W.Layout:
        widths = []
        for index, spec in enumerate(self.fields.values()):
            if spec.kind in ("int", "float"):
                widths.append("5.5em")
            elif spec.kind == "choice":
                widths.append("minmax(7em, 1fr)")
            else:  # the first text column names the row: give it the most room
                widths.append("minmax(10em, 3fr)" if index == 0 else "minmax(6em, 1.5fr)")
        return layout(
            display="grid",
            grid_template_columns=f"2.5em {' '.join(widths)} max-content",
            grid_gap="2px 8px",
            width="100%",
            align_items="flex-start",
        )

    def _new_row(self) -> Editor:
        assert self.spec.item is not None
        holder: list[Editor] = []
        editor = ModelEditor(
            self.spec.item, "", lambda: self._row_changed(holder), self._css + "-item", bare=True
        )
        holder.append(editor)
        return editor

    def _prepare_new(self, editor: Editor) -> None:
        assert isinstance(editor, ModelEditor)
        for field, choice in self.presets.items():
            editor.children[field].set(choice.value)

    def _build_row(self, editor: Editor) -> W.Widget:
        assert isinstance(editor, ModelEditor)
        number = self._numbers[editor] = W.HTML(style=style("html"), layout=layout())
        buttons = W.HBox(self._row_buttons(editor), layout=layout(flex_flow="row wrap"))
        cells = W.GridBox(
            [number, *(child.widget for child in editor.children.values()), buttons],
            layout=self._row_grid(),
            _dom_classes=("jdkit-row-cells",),
        )
        # Row-level messages (none of a metric's rules span fields today) show under the row.
        box = W.VBox(
            [cells],
            layout=layout(width="100%", border_bottom="1px solid #d0d0d0"),
            _dom_classes=("jdkit-row",),
        )
        editor.widget, editor._error_at = box, 1
        return box
