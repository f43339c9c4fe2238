"""The right-hand side of the form in HTML: score bar, findings panel, stale
note, preview switch and frame.

Findings are worded for the form (``jdkit.form.words``): Must fix, Should fix or Note, each
with the tab and label it is about. The findings list is a collapsible ``<details>`` whose
list scrolls on its own (and takes the focus, so a keyboard can scroll it). The preview
switch (``preview_switch``) picks the kind of document the frame shows: the internal job
description or the job posting a candidate reads.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import ipywidgets as W

from .fields import Editor, Loc, ModelEditor, set_aria
from .words import finding_words

__all__ = [
    "findings_panel",
    "stale_note",
    "iframe",
    "preview_frame",
    "preview_switch",
    "named_field",
    "SEVERITY_ORDER",
    "PREVIEW_KINDS",
]

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
# What the preview can show: (the switch's label, the document kind of ``jdkit.document``).
PREVIEW_KINDS = (("Job description", "description"), ("Job posting", "posting"))


def findings_panel(findings: Sequence[Any], values: dict[str, Any]) -> tuple[int, str, str]:
    """``(score, score bar HTML, findings panel HTML)`` for findings already sorted by severity."""
    from ..checks import score as score_of

    score = score_of(findings)
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITY_ORDER}
    summary = (
        f"{counts['error']} must fix, {counts['warning']} should fix, "
        f"{counts['info']} note{'s' if counts['info'] != 1 else ''}"
    )
    bar = (
        f'<div class="jdkit-scorebar"><span>Score <b class="jdkit-score-value">{score}'
        f"</b>/100</span><span>{summary}</span></div>"
    )
    rows = []
    for f in findings:
        word, where, message, hint = finding_words(f, values)
        rows.append(
            '<li class="jdkit-finding '
            f'jdkit-finding-{html.escape(f.severity)}"><b>{html.escape(word)}'
            f'</b> <span class="jdkit-where">{html.escape(where)}</span>: {html.escape(message)}'
            + (f" <i>{html.escape(hint)}</i>" if hint else "")
            + "</li>"
        )
    body = (
        f'<ul class="jdkit-findings-list" tabindex="0" aria-label="Findings">{"".join(rows)}</ul>'
        if rows
        else "<p>No findings.</p>"
    )
    panel = (
        f'<details class="jdkit-findings-panel" open><summary>Findings: {summary}</summary>'
        f"{body}</details>"
    )
    return score, bar, panel


def stale_note(problems: Sequence[tuple[Loc, str, str]]) -> str:
    """The note over a score and preview that show the last valid version."""
    if not problems:
        return "<b>Out of date</b>"
    return (
        "<b>Out of date</b>: the score, the findings and the preview show the last valid version. "
        f"Fix {html.escape(problems[0][1])} to bring them up to date."
    )


def iframe(document: str, kind: str = "description") -> str:
    """The rendered document in a sandboxed frame, so its styles cannot touch the form's page;
    its title names the kind shown (``description`` or ``posting``)."""
    title = dict((k, label.lower()) for label, k in PREVIEW_KINDS).get(kind, "job description")
    return (
        f'<iframe class="jdkit-preview-frame" title="Preview of the {title}" sandbox="" '
        f'srcdoc="{html.escape(document, quote=True)}"></iframe>'
    )


def preview_frame(model: Any, kind: str) -> str:
    """``model``'s HTML document of ``kind`` in the preview's frame."""
    from ..render import render

    return iframe(render(model, "html", kind=kind), kind)


def preview_switch() -> W.RadioButtons:
    """The switch above the preview: radio buttons (each a labelled native control, one keyboard
    stop) named as a group, choosing the description or the posting."""
    switch = W.RadioButtons(
        options=list(PREVIEW_KINDS),
        value="description",
        description="Preview",
        tooltip="",
        style={"description_width": "initial"},
        layout=W.Layout(width="auto"),
    )
    switch.add_class("jdkit-preview-kind")
    set_aria(switch, "Preview shows", kind="group")
    return switch


def named_field(loc: Loc, message: str, index: dict[Loc, Editor]) -> Loc:
    """A model-level message that names one of the model's fields goes
    beside the first one it names."""
    editor = index.get(loc)
    if not isinstance(editor, ModelEditor):
        return loc
    found = [
        (m.start(), name)
        for name in editor.children
        for m in [re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", message)]
        if m
    ]
    return (*loc, min(found)[1]) if found else loc
