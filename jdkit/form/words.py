"""Plain words for the form: every place named by its tab and label, rows counted from 1.

The model speaks in dotted, 0-based paths (``metrics.12.name``) and pydantic messages
("String should have at least 1 character"); a consultant sees tabs, labels and rows.
``place`` names a field as the form shows it ("Performance Metrics › metric 13 (Days in
A/R) › Name"), ``error_text`` words a validation error, ``plain_text`` rewrites any
message (a finding, a hint) so it never shows a dotted path, an identifier or ``None``.
The JSON report and the CLI keep the dotted paths; only the form uses these words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import InternalError
from ..models import SECTIONS, JobDescription
from .specs import Spec, field_specs, title_of

__all__ = [
    "groups",
    "tab_of",
    "place",
    "place_of",
    "resolve",
    "error_text",
    "plain_text",
    "row_noun",
    "row_name",
    "severity_word",
    "finding_words",
    "SEP",
]

SEP = " › "
# The noun of one row of a list, by the list's field name ("metric 13", "duty area 2").
ROW_NOUNS = {
    "responsibilities": "duty area",
    "daily_tasks": "task area",
    "skills": "skill",
    "metrics": "metric",
    "compliance": "compliance area",
    "physical_demands": "demand",
    "certifications": "certification",
    "experience": "experience",
    "channels": "channel",
    "supervises": "role",
    "roles": "role",
    "items": "item",
    "decides_alone": "decision",
    "needs_approval": "decision",
    "covers": "item",
    "other": "benefit",
    "sources": "source",
    "marginal": "duty",
    "exposure_tasks": "task",
    "setting": "sentence",
    "chemicals": "chemical",
    "additional": "condition",
}
# The tabs after the nine sections: the physical side of the job and its conditions, then the
# statements and the review.
TRAILING_TABS = {
    "physical_demands": "Demands & conditions",
    "work_environment": "Demands & conditions",
    "conditions": "Demands & conditions",
}
NAME_KEYS = ("name", "area", "skill", "standard", "method", "kind", "degree")
SEVERITY_WORDS = {"error": "Must fix", "warning": "Should fix", "info": "Note"}
# How a value should look, for fields checked by a pattern.
PATTERN_HINTS = {
    "postal_code": "should be a 5-digit ZIP code such as 80202 (or 80202-1234)",
    "website": "should be a web address starting with https://",
    "apply_url": "should be a web address starting with https://",
    "apply_email": "should be an e-mail address such as jobs@example.com",
    "currency": "should be a three-letter currency code such as USD",
    "market_soc": "should be an SOC code such as 43-1011",
}


@functools.cache
def groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The form's tabs: the fields before the nine sections, one tab per section, then the rest."""
    headings = dict(SECTIONS)
    out: list[tuple[str, list[str]]] = []
    seen_section = False
    for name in JobDescription.model_fields:
        if name == "role":
            continue
        if name in headings:
            out.append((headings[name], [name]))
            seen_section = True
        elif not seen_section:
            if not out:
                out.append(("Practice & position", []))
            out[-1][1].append(name)
        else:
            title = TRAILING_TABS.get(name, "Statements & review")
            if out[-1][0] != title:
                out.append((title, []))
            out[-1][1].append(name)
    return tuple((title, tuple(names)) for title, names in out)


def tab_of(name: str) -> tuple[int, str]:
    """The index and title of the tab holding the top-level field ``name``."""
    for index, (title, names) in enumerate(groups()):
        if name in names:
            return index, title
    raise InternalError(f"no tab holds the field {name!r}")


@functools.cache
def _top_specs() -> dict[str, Spec]:
    return field_specs(JobDescription, exclude=("role",))


def row_noun(list_name: str) -> str:
    """The noun of one row of the list field ``list_name`` ("metric", "duty area")."""
    if list_name in ROW_NOUNS:
        return ROW_NOUNS[list_name]
    word = title_of(list_name).lower()
    return word[:-3] + "y" if word.endswith("ies") else word.removesuffix("s")


def row_name(value: Any, width: int = 40) -> str:
    """A short name for a row's value: its name-like field, or the start of its text."""
    text = ""
    if isinstance(value, Mapping):
        text = next(
            (
                str(value[k])
                for k in NAME_KEYS
                if isinstance(value.get(k), str) and value[k].strip()
            ),
            "",
        )
    elif isinstance(value, str):
        text = value
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def resolve(loc: Sequence[str | int]) -> list[tuple[str | int, Spec, str]] | None:
    """Walk ``loc`` through the model: ``(step, spec, field name)`` per step,
    or None if it is not a field."""
    if not loc or loc[0] not in _top_specs():
        return None
    steps: list[tuple[str | int, Spec, str]] = []
    spec, name = _top_specs()[str(loc[0])], str(loc[0])
    steps.append((loc[0], spec, name))
    for step in loc[1:]:
        if spec.kind == "list" and isinstance(step, int) and spec.item is not None:
            spec = spec.item
        elif spec.kind == "model" and isinstance(step, str) and spec.model is not None:
            specs = field_specs(spec.model)
            if step not in specs:
                return None
            spec, name = specs[step], step
        else:
            return None
        steps.append((step, spec, name))
    return steps


def place(loc: Sequence[str | int], values: Mapping[str, Any] | None = None) -> str:
    """The tab and the labels leading to ``loc`` as the form shows them, rows counted from 1."""
    steps = resolve(loc)
    if steps is None:
        return "the form"
    top = str(loc[0])
    index, tab = tab_of(top)
    parts = [tab]
    if len(groups()[index][1]) > 1:  # a tab of several fields shows each under its own heading
        parts.append(title_of(top))
    value: Any = values.get(top) if values else None
    list_name = top
    for step, _spec, name in steps[1:]:
        if isinstance(step, int):
            row = value[step] if isinstance(value, list) and 0 <= step < len(value) else None
            label = f"{row_noun(list_name)} {step + 1}"
            short = row_name(row) if isinstance(row, Mapping) else ""
            parts.append(f"{label} ({short})" if short else label)
            value = row
        else:
            parts.append(title_of(name))
            list_name = name
            value = value.get(step) if isinstance(value, Mapping) else None
    return SEP.join(parts)


def _parse_dotted(dotted: str) -> tuple[str | int, ...]:
    return tuple(int(p) if p.isdigit() else p for p in dotted.split("."))


def place_of(dotted: str, values: Mapping[str, Any] | None = None) -> str | None:
    """``place`` for a dotted path (``metrics.12.name``), or None when it names no field."""
    loc = _parse_dotted(dotted)
    return place(loc, values) if resolve(loc) is not None else None


# -- messages
# ----------------------------------------------------------------------------------------

_DOTTED = re.compile(r"(?<![\w./-])([a-z][a-z_]*(?:\.(?:[a-z][a-z0-9_]*|\d+))+)(?![\w/-]|\.\w)")
_IDENT = re.compile(r"\b([a-z]+(?:_[a-z]+)+)\b")
_GENDER = re.compile(r"\(feminine (\d+) - masculine (\d+) = -?\d+\)")


@functools.cache
def _field_names() -> dict[str, str]:
    """Every field name of the model with an underscore, and its label."""
    names: dict[str, str] = {}

    def visit(model: Any) -> None:
        for name, spec in field_specs(model).items():
            if "_" in name:
                names.setdefault(name, title_of(name))
            inner = spec.item if spec.kind == "list" else spec
            if inner is not None and inner.kind == "model" and inner.model is not None:
                visit(inner.model)

    visit(JobDescription)
    return names


def plain_text(text: str, values: Mapping[str, Any] | None = None) -> str:
    """Rewrite a message in the form's words: dotted paths become tab and label, identifiers
    their labels, ``null``/``None`` plain words, and the gender-coding formula a sentence."""

    def dotted(match: re.Match[str]) -> str:
        found = place_of(match.group(1), values)
        return found if found is not None else match.group(0)

    text = _DOTTED.sub(dotted, text)
    text = _IDENT.sub(lambda m: _field_names().get(m.group(1), m.group(0)), text)
    text = _GENDER.sub(
        lambda m: f"({m.group(1)} feminine-coded and {m.group(2)} masculine-coded words)", text
    )
    text = re.sub(r"\bto null\b", "to nothing (clear the field)", text)
    text = re.sub(r"\b(null|None)\b", "nothing", text)
    return text


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,g}"


def error_text(
    err: Mapping[str, Any], loc: Sequence[str | int] = (), values: Mapping[str, Any] | None = None
) -> str:
    """Word one pydantic error for the field at ``loc``: what to do, never the model's jargon."""
    kind, ctx, given = err.get("type", ""), err.get("ctx") or {}, err.get("input")
    steps = resolve(loc) if loc else None
    spec, name = (steps[-1][1], steps[-1][2]) if steps else (None, str(loc[-1]) if loc else "")
    blank = given is None or (isinstance(given, str) and not given.strip())
    if kind == "missing" or (
        blank
        and kind
        in (
            "string_type",
            "int_type",
            "float_type",
            "date_type",
            "literal_error",
            "value_error",
            "int_parsing",
            "float_parsing",
        )
    ):
        return "pick one" if spec is not None and spec.kind == "choice" else "fill it in"
    if kind == "string_too_short":
        return (
            "fill it in"
            if ctx.get("min_length", 1) <= 1
            else f"needs at least {ctx['min_length']} characters"
        )
    if kind == "string_too_long":
        return f"is too long: at most {_number(ctx.get('max_length', 0))} characters"
    if kind == "too_short":
        noun = row_noun(name) if name else "item"
        return f"needs at least {ctx.get('min_length', 1)} {noun}: add one"
    if kind == "string_pattern_mismatch":
        return PATTERN_HINTS.get(name, "is not in the form expected here")
    if kind == "literal_error":
        choices = (
            ", ".join(label for label, _ in spec.choices)
            if spec is not None and spec.choices
            else ""
        )
        return f"pick one of: {choices}" if choices else "pick one from the list"
    if kind in ("int_parsing", "int_type"):
        return "type a whole number, such as 20"
    if kind == "int_from_float":
        return "must be a whole number"
    if kind in ("float_parsing", "float_type"):
        return "type a number, such as 38.5"
    if kind == "finite_number":
        return "must be an ordinary number"
    if kind.startswith(("date", "datetime")):
        return "pick a date"
    if kind == "greater_than":
        return f"must be more than {_number(ctx['gt'])}"
    if kind == "greater_than_equal":
        return f"must be {_number(ctx['ge'])} or more"
    if kind == "less_than":
        return f"must be less than {_number(ctx['lt'])}"
    if kind == "less_than_equal":
        return f"must be {_number(ctx['le'])} or less"
    if kind == "bool_type":
        return "tick it or leave it unticked"
    if kind == "extra_forbidden":
        return "is not a field of this form"
    message = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
    if name == "state" and message.startswith("unknown US state code"):
        return "pick a state from the list"
    # (100000) -> (100,000)
    message = re.sub(r"\((\d{4,})\)", lambda m: f"({int(m.group(1)):,})", message)
    return plain_text(message, values)


def severity_word(severity: str) -> str:
    """How the form names a finding's severity: Must fix, Should fix, Note."""
    return SEVERITY_WORDS.get(severity, severity.capitalize())


def finding_words(
    finding: Any, values: Mapping[str, Any] | None = None
) -> tuple[str, str, str, str]:
    """``(severity word, place, message, hint)`` of a
    ``jdkit.checks.Finding`` in the form's words."""
    from ..checks import section_title

    where = (place_of(finding.field, values) if finding.field else None) or section_title(
        finding.section
    )
    return (
        severity_word(finding.severity),
        where,
        plain_text(finding.message, values),
        plain_text(finding.hint, values) if finding.hint else "",
    )
