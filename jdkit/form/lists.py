"""The editable list: one row per item, each with move up, move down and remove; an add button."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import ipywidgets as W

from .fields import Changed, Editor, Loc, Spec, layout, make_editor, style

__all__ = ["ListEditor"]


class ListEditor(Editor):
    """Edit ``list[str]`` or ``list[Model]``: add, remove and reorder rows."""

    def __init__(self, spec: Spec, title: str, changed: Changed, css: str) -> None:
        assert spec.item is not None
        self.spec, self._changed, self._css = spec, changed, css
        self.rows: list[Editor] = []
        self._row_widgets: dict[Editor, W.Widget] = {}  # rows keep their widgets when moved
        self.box = W.VBox(layout=layout(width="100%"))
        self.add_button = W.Button(description="Add", icon="plus", tooltip=f"Add to {title.lower()}",
                                   layout=layout(width="90px"), style=style("button"))
        self.add_button.add_class(css + "-add")
        self.add_button.on_click(lambda _: self.add())
        head = [W.HTML(f"<b>{html.escape(title)}</b>", style=style("html"), layout=layout())] if title else []
        self._error_at = len(head)
        self.widget = W.VBox([*head, self.box, self.add_button],
                             layout=layout(border="1px solid #eee", padding="4px", margin="2px 0"))
        self.widget.add_class(css)
        self.set(spec.default)

    def _new_row(self) -> Editor:
        assert self.spec.item is not None
        return make_editor(self.spec.item, "", self._changed, self._css + "-item")

    def _row_widget(self, editor: Editor) -> W.Widget:
        row = self._row_widgets.get(editor)
        if row is None:
            row = self._row_widgets[editor] = self._build_row(editor)
        return row

    def _build_row(self, editor: Editor) -> W.Widget:
        buttons = []
        for icon, tip, action in (("arrow-up", "Move up", -1), ("arrow-down", "Move down", 1), ("trash", "Remove", 0)):
            button = W.Button(icon=icon, tooltip=tip, layout=layout(width="34px", flex="0 0 auto"), style=style("button"))
            button.add_class(f"{self._css}-{tip.split()[-1].lower()}")
            button.on_click(lambda _, e=editor, a=action: self.remove(self.rows.index(e)) if a == 0
                            else self.move(self.rows.index(e), a))
            buttons.append(button)
        # The editor's box is 100% wide and shrinks; the buttons keep their width.
        return W.HBox([editor.widget, *buttons], layout=layout(width="100%", align_items="flex-start"))

    def _redraw(self) -> None:
        live = set(self.rows)
        for key in [key for key in self._row_widgets if key not in live]:
            del self._row_widgets[key]
        self.box.children = [self._row_widget(editor) for editor in self.rows]

    def add(self, value: Any = None) -> Editor:
        """Append a row holding ``value`` (empty by default) and return its editor."""
        editor = self._new_row()
        if value is not None:
            editor.set(value)
        self.rows.append(editor)
        self._redraw()
        self._changed()
        return editor

    def remove(self, index: int) -> None:
        """Remove the row at ``index``."""
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
        """Return the rows' values, in order."""
        return [editor.get() for editor in self.rows]

    def set(self, value: Any) -> None:
        """Show ``value`` (a list; ``None`` is empty), reusing rows already built."""
        values = list(value or [])
        while len(self.rows) > len(values):
            self.rows.pop()
        while len(self.rows) < len(values):
            self.rows.append(self._new_row())
        for editor, item in zip(self.rows, values, strict=True):
            editor.set(item)
        self._redraw()

    def walk(self, path: Loc = ()) -> Iterator[tuple[Loc, Editor]]:
        """Yield this editor, then each row under ``path + (index,)``."""
        yield path, self
        for index, editor in enumerate(self.rows):
            yield from editor.walk((*path, index))
