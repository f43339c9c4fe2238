"""Editable lists: one row per item, each with move up, move down and remove; Add at the top and the bottom.

A row added by Add is *new*: it stays out of the document (and out of validation) until
the consultant types in it, so an empty row never turns the form red. Rows are numbered
from 1 in the order the document shows them, the same numbers the messages use, and
every button names its row ("Remove metric 3: Days in A/R"). ``TableEditor`` lays a list
of short records (metrics, certifications, channels) out as a table under column headers.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import ipywidgets as W

from .fields import (
    Changed,
    Editor,
    Loc,
    ModelEditor,
    Spec,
    field_specs,
    layout,
    make_editor,
    set_aria,
    style,
    title_of,
)
from .words import row_name, row_noun

__all__ = ["ListEditor", "TableEditor"]

TOP_ADD_FROM = 3  # rows


class ListEditor(Editor):
    """Edit ``list[str]`` or ``list[Model]``: add, remove and reorder rows."""

    def __init__(self, spec: Spec, title: str, changed: Changed, css: str, *, name: str = "",
                 lazy: bool = False) -> None:
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
        head = [W.HTML(f'<span class="jdkit-box-title">{html.escape(title)}</span>', style=style("html"),
                       layout=layout())] if title else []
        self._error_at = len(head)
        self.widget = W.VBox([*head, *self._top_bar(), self.box, self.add_button],
                             layout=layout(border="1px solid #767676", padding="4px 8px", margin="4px 0"))
        self.widget.add_class(css)
        if title:
            set_aria(self.widget, title, kind="group")
        self.set(spec.default)

    def _add_button(self, where: str) -> W.Button:
        button = W.Button(description=f"Add {'an' if self.noun[0] in 'aeiou' else 'a'} {self.noun}",
                          tooltip="", layout=layout(width="auto", align_self="flex-start") if where == "bottom"
                          else W.Layout(width="auto", align_self="flex-start"), style=style("button"))
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
        editor = make_editor(self.spec.item, "", lambda: self._row_changed(holder), self._css + "-item")
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
            button = W.Button(description=text, tooltip="", layout=layout(width="auto", flex="0 0 auto"),
                              style=style("button"), _dom_classes=(f"{self._css}-{kind}",))
            button.on_click(lambda _, e=editor, a=action: self.remove(self.rows.index(e)) if a == 0
                            else self.move(self.rows.index(e), a))
            buttons.append(button)
        self._buttons[editor] = buttons
        return buttons

    def _build_row(self, editor: Editor) -> W.Widget:
        number = self._numbers[editor] = W.HTML(style=style("html"), layout=layout(width="5.5em", flex="0 0 auto"))
        # The editor's box is 100% wide and shrinks; the number and the buttons keep their width.
        return W.HBox([number, editor.widget, *self._row_buttons(editor)],
                      layout=layout(width="100%", align_items="flex-start", border_bottom="1px solid #d0d0d0"),
                      _dom_classes=("jdkit-row",))

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
                self._numbers[editor].value = f'<span class="jdkit-row-number">{html.escape(shown)}</span>'
            row = self._row_widgets.get(editor)
            if row is not None:
                set_aria(row, full, kind="group")
            self._name_controls(editor, label)
            who = label[:1].lower() + label[1:]  # "metric 3", "new metric"
            tail = f": {name}" if name else ""
            for button, verb in zip(self._buttons.get(editor, ()), ("Move {} up", "Move {} down", "Remove {}"),
                                    strict=False):
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
    """A list of short records as a table: column headers, one row per item, cells without labels."""

    def __init__(self, spec: Spec, title: str, changed: Changed, css: str, *, name: str = "",
                 lazy: bool = False) -> None:
        assert spec.item is not None and spec.item.model is not None
        self.fields = field_specs(spec.item.model)
        # Fields the model needs but gives no default (a metric's family): chosen once, above the table.
        self.presets: dict[str, W.Dropdown] = {}
        super().__init__(spec, title, changed, css, name=name, lazy=lazy)

    def _top_bar(self) -> list[W.Widget]:
        noun = self.noun
        for field, spec in self.fields.items():
            if spec.kind == "choice" and spec.required:
                choice = W.Dropdown(options=spec.choices, value=spec.choices[0][1], tooltip="",
                                    description=f"{title_of(field)} of a new {noun}",
                                    style=W.widgets.widget_string.TextStyle(description_width="initial"),
                                    layout=layout(width="auto"))
                choice.add_class(f"{self._css}-new-{field}")
                self.presets[field] = choice
        header = W.GridBox([W.HTML('<span class="jdkit-col">#</span>', style=style("html"), layout=layout())]
                           + [W.HTML(f'<span class="jdkit-col">{html.escape(title_of(f))}</span>',
                                     style=style("html"), layout=layout()) for f in self.fields]
                           + [W.HTML('<span class="jdkit-col">Move or remove</span>', style=style("html"),
                                     layout=layout())],
                           layout=self._row_grid())
        header.add_class("jdkit-table-head")
        return [W.HBox([self.add_top, *self.presets.values()], layout=layout(flex_flow="row wrap")), header]

    def _row_grid(self) -> W.Layout:
        widths = []
        for index, spec in enumerate(self.fields.values()):
            if spec.kind in ("int", "float"):
                widths.append("5.5em")
            elif spec.kind == "choice":
                widths.append("minmax(7em, 1fr)")
            else:  # the first text column names the row: give it the most room
                widths.append("minmax(10em, 3fr)" if index == 0 else "minmax(6em, 1.5fr)")
        return layout(display="grid", grid_template_columns=f"2.5em {' '.join(widths)} max-content",
                      grid_gap="2px 8px", width="100%", align_items="flex-start")

    def _new_row(self) -> Editor:
        assert self.spec.item is not None
        holder: list[Editor] = []
        editor = ModelEditor(self.spec.item, "", lambda: self._row_changed(holder), self._css + "-item", bare=True)
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
        cells = W.GridBox([number, *(child.widget for child in editor.children.values()), buttons],
                          layout=self._row_grid(), _dom_classes=("jdkit-row-cells",))
        # Row-level messages (none of a metric's rules span fields today) show under the row.
        box = W.VBox([cells], layout=layout(width="100%", border_bottom="1px solid #d0d0d0"),
                     _dom_classes=("jdkit-row",))
        editor.widget, editor._error_at = box, 1
        return box
