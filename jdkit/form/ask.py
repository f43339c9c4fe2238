"""The form's questions: a panel above the fields that asks before anything is lost or published.

A question has a sentence, the list of what it is about (every field that would change,
every error), and buttons whose words say what each does ("Save my edits, then open").
Only one question is open at a time; a new one replaces it. The first button takes the
keyboard focus (the page script moves it there), and the panel is an ARIA live region.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as W

from ..errors import InternalError
from .fields import layout, request_focus, set_aria, style

__all__ = ["Question", "Choice"]

Choice = tuple[str, Callable[[], Any]]


class Question:
    """The question panel: ``ask`` shows one, a button (or ``choose``) answers and closes it."""

    def __init__(self) -> None:
        self.text = W.HTML(style=style("html"), layout=layout(width="100%"))
        self.buttons = W.HBox(layout=layout(flex_flow="row wrap"))
        self.box = W.VBox([self.text, self.buttons], layout=W.Layout(display="none", width="100%"))
        self.box.add_class("jdkit-question")
        set_aria(self.box, "Question", kind="group")
        # what the open question is about ("role", "open", "export", ...)
        self.topic: str | None = None
        self.sentence = ""
        self.items: list[str] = []
        self._choices: list[Choice] = []

    @property
    def open(self) -> bool:
        """True while a question waits for an answer."""
        return self.topic is not None

    @property
    def choices(self) -> list[str]:
        """The answers on offer, as their buttons say them."""
        return [label for label, _ in self._choices]

    def ask(
        self, topic: str, sentence: str, items: Sequence[str], choices: Sequence[Choice]
    ) -> None:
        """Show ``sentence``, the ``items`` it is about, and one button per choice."""
        self.topic, self.sentence, self.items, self._choices = (
            topic,
            sentence,
            list(items),
            list(choices),
        )
        listed = "".join(f"<li>{html.escape(item)}</li>" for item in items)
        self.text.value = f'<p class="jdkit-question-text">{html.escape(sentence)}</p>' + (
            f'<ul class="jdkit-question-items">{listed}</ul>' if listed else ""
        )
        buttons = []
        for index, (label, _) in enumerate(choices):
            button = W.Button(
                description=label,
                tooltip="",
                layout=layout(width="auto"),
                style=style("button"),
                button_style="primary" if index == 0 else "",
            )
            button.add_class(f"jdkit-choice-{index}")
            button.on_click(lambda _, i=index: self._answer(i))
            buttons.append(button)
        self.buttons.children = buttons
        if buttons:
            request_focus(buttons[0])
        self.box.layout.display = "flex"

    def _answer(self, index: int) -> None:
        if not 0 <= index < len(self._choices):
            return
        _, action = self._choices[index]
        self.close()
        action()

    def choose(self, label: str) -> None:
        """Answer with the choice whose button reads (or starts with) ``label``."""
        for index, (text, _) in enumerate(self._choices):
            if text == label or text.startswith(label):
                self._answer(index)
                return
        raise InternalError(f"no choice {label!r}; the question offers {self.choices}")

    def close(self) -> None:
        """Hide the panel without answering."""
        self.topic, self.sentence, self.items, self._choices = None, "", [], []
        self.box.layout.display = "none"
        self.buttons.children = []
