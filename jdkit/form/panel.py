"""The right-hand side of the form in HTML: score bar, findings panel, stale note, preview frame.

Findings are worded for the form (``jdkit.form.words``): Must fix, Should fix or Note, each
with the tab and label it is about. The findings list is a collapsible ``<details>`` whose
list scrolls on its own (and takes the focus, so a keyboard can scroll it).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from .fields import Editor, Loc, ModelEditor
from .words import finding_words

__all__ = ["findings_panel", "stale_note", "iframe", "named_field", "SEVERITY_ORDER"]

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def findings_panel(findings: Sequence[Any], values: dict[str, Any]) -> tuple[int, str, str]:
    """``(score, score bar HTML, findings panel HTML)`` for findings already sorted by severity."""
    from ..checks import score as score_of

    score = score_of(findings)
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITY_ORDER}
    summary = (f"{counts['error']} must fix, {counts['warning']} should fix, "
               f"{counts['info']} note{'s' if counts['info'] != 1 else ''}")
    bar = (f'<div class="jdkit-scorebar"><span>Score <b class="jdkit-score-value">{score}'
           f"</b>/100</span><span>{summary}</span></div>")
    rows = []
    for f in findings:
        word, where, message, hint = finding_words(f, values)
        rows.append(f'<li class="jdkit-finding jdkit-finding-{html.escape(f.severity)}"><b>{html.escape(word)}'
                    f'</b> <span class="jdkit-where">{html.escape(where)}</span>: {html.escape(message)}'
                    + (f" <i>{html.escape(hint)}</i>" if hint else "") + "</li>")
    body = (f'<ul class="jdkit-findings-list" tabindex="0" aria-label="Findings">{"".join(rows)}</ul>'
            if rows else "<p>No findings.</p>")
    panel = f'<details class="jdkit-findings-panel" open><summary>Findings: {summary}</summary>{body}</details>'
    return score, bar, panel


def stale_note(problems: Sequence[tuple[Loc, str, str]]) -> str:
    """The note over a score and preview that show the last valid version."""
    if not problems:
        return "<b>Out of date</b>"
    return ("<b>Out of date</b>: the score, the findings and the preview show the last valid version. "
            f"Fix {html.escape(problems[0][1])} to bring them up to date.")


def iframe(document: str) -> str:
    """The rendered document in a sandboxed frame, so its styles cannot touch the form's page."""
    return (f'<iframe class="jdkit-preview-frame" title="Preview of the job description" sandbox="" '
            f'srcdoc="{html.escape(document, quote=True)}"></iframe>')


def named_field(loc: Loc, message: str, index: dict[Loc, Editor]) -> Loc:
    """A model-level message that names one of the model's fields goes beside the first one it names."""
    editor = index.get(loc)
    if not isinstance(editor, ModelEditor):
        return loc
    found = [(m.start(), name) for name in editor.children
             for m in [re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", message)] if m]
    return (*loc, min(found)[1]) if found else loc
