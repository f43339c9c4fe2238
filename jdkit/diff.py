"""What changed between two versions of a practice's job description, section by section.

``diff(old, new)`` is pure: two validated models in, a ``DiffReport`` out. List sections
are compared by key (a duty by its text within its area, a metric by its name, a
certification by its abbreviation), so moving nothing reads as nothing; a removed and an
added item that are nearly the same text are shown as one reworded item with the words
that changed. ``format_text`` is for a terminal, ``format_html`` an autoescaped page with
additions and removals highlighted. Nothing here writes files.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .models import SECTIONS, JobDescription, PhysicalDemand
from .render import environment, label, money, pay_range, target
from .terminal import clean

__all__ = ["Change", "SectionDiff", "DiffReport", "diff", "format_text", "format_html", "word_diff"]

Kind = Literal["added", "removed", "changed"]
REWORD_RATIO = 0.6  # a removed and an added item at least this similar are one reworded item
_SIGNS = {"added": "+", "removed": "-", "changed": "~"}

# (key, heading) in document order; the nine sections plus the parts around them.
DIFF_SECTIONS: tuple[tuple[str, str], ...] = (
    ("position", "Position"),
    ("summary", "Summary"),
    *SECTIONS,
    ("physical_demands", "Physical Demands"),
    ("work_environment", "Work Environment"),
    ("conditions", "Conditions of Employment"),
    ("equal_opportunity", "Equal Opportunity"),
    ("statements", "Statements"),
    ("review", "Review"),
)


@dataclass(frozen=True)
class Change:
    """One change: what (``what``, e.g. "duty" or "pay range"), where
    (``group``), old and new text."""

    kind: Kind
    what: str
    old: str | None = None
    new: str | None = None
    group: str | None = None
    note: str | None = None

    @property
    def words(self) -> list[tuple[str, str]]:
        """For a change of text: ``(op, text)`` runs with op ``same``, ``del`` or ``ins``."""
        return word_diff(self.old or "", self.new or "") if self.kind == "changed" else []


@dataclass(frozen=True)
class SectionDiff:
    """The changes within one section."""

    key: str
    heading: str
    changes: list[Change] = field(default_factory=list)


@dataclass(frozen=True)
class DiffReport:
    """Every changed section of NEW against OLD, in document order."""

    old_file: str
    new_file: str
    old_title: str
    new_title: str
    sections: list[SectionDiff]

    @property
    def changes(self) -> list[Change]:
        """All changes, section after section."""
        return [change for section in self.sections for change in section.changes]

    @property
    def empty(self) -> bool:
        """True when the two versions say the same thing."""
        return not self.sections


def diff(
    old: JobDescription, new: JobDescription, *, old_file: str = "OLD", new_file: str = "NEW"
) -> DiffReport:
    """Compare two versions of a job description; return the changed sections in document order."""
    found: dict[str, list[Change]] = {key: [] for key, _ in DIFF_SECTIONS}
    found["position"] += _fields(
        [
            ("role", old.role.title, new.role.title),
            ("title", old.title, new.title),
            ("practice", _practice(old), _practice(new)),
            (
                "employment type",
                label(old.position.employment_type),
                label(new.position.employment_type),
            ),
            ("FLSA status", old.position.flsa_status, new.position.flsa_status),
            ("schedule", old.position.schedule, new.position.schedule),
            ("work location", old.position.location_type, new.position.location_type),
            ("date posted", old.position.date_posted, new.position.date_posted),
            ("apply by", old.position.valid_through, new.position.valid_through),
        ]
    )
    found["summary"] += _fields([("summary", old.summary, new.summary)])
    found["responsibilities"] += _areas(
        "duty", _pairs(old.responsibilities), _pairs(new.responsibilities)
    )
    found["qualifications"] += _qualifications(old, new)
    found["skills"] += _keyed(
        "skill",
        old.skills,
        new.skills,
        key=lambda s: s.skill,
        show=lambda s: f"{s.skill}: {s.example}" if s.example else s.skill,
    )
    found["daily_tasks"] += _areas("task", _pairs(old.daily_tasks), _pairs(new.daily_tasks))
    found["reporting"] += _reporting(old, new)
    found["metrics"] += _keyed(
        "metric",
        old.metrics,
        new.metrics,
        key=lambda m: m.name,
        show=lambda m: f"{m.name}: {target(m)} ({label(m.family)}, {m.period})",
    )
    found["compensation"] += _compensation(old, new)
    found["benefits"] += _fields(
        _flat(
            "",
            old.benefits.model_dump(exclude={"other"}),
            new.benefits.model_dump(exclude={"other"}),
        )
    )
    found["benefits"] += _texts("other benefit", old.benefits.other, new.benefits.other)
    found["compliance"] += _areas(
        "duty",
        [(c.standard, list(c.items)) for c in old.compliance],
        [(c.standard, list(c.items)) for c in new.compliance],
        noun="standard",
    )
    found["physical_demands"] += _texts(
        "demand",
        [_demand(d) for d in old.physical_demands],
        [_demand(d) for d in new.physical_demands],
    )
    found["work_environment"] += _fields(
        _flat("", old.work_environment.model_dump(), new.work_environment.model_dump())
    )
    found["conditions"] += _fields(
        _flat("", old.conditions.model_dump(), new.conditions.model_dump())
    )
    found["statements"] += _fields(
        _flat(
            "",
            {**old.statements.model_dump(), "acknowledgment": old.acknowledgment},
            {**new.statements.model_dump(), "acknowledgment": new.acknowledgment},
        )
    )
    found["equal_opportunity"] += _fields(
        [("statement", old.equal_opportunity, new.equal_opportunity)]
    )
    found["review"] += _fields(
        [
            ("last reviewed", old.review.last_reviewed, new.review.last_reviewed),
            ("owner", old.review.owner, new.review.owner),
            ("next due", old.review.next_due, new.review.next_due),
        ]
    )
    sections = [
        SectionDiff(key, heading, found[key]) for key, heading in DIFF_SECTIONS if found[key]
    ]
    return DiffReport(old_file, new_file, old.title, new.title, sections)


def format_text(report: DiffReport) -> str:
    """The report for a terminal: one line per change, ``+`` added, ``-`` removed, ``~`` changed."""
    lines = [
        f"--- {report.old_file} ({report.old_title})",
        f"+++ {report.new_file} ({report.new_title})",
    ]
    for section in report.sections:
        lines.append(f"== {section.heading} ==")
        for change in section.changes:
            where = f"[{change.group}] " if change.group else ""
            if change.kind == "changed":
                text = f"{change.what}: {_one_line(change.old)} -> {_one_line(change.new)}"
            else:
                shown = change.new if change.kind == "added" else change.old
                text = f"{change.what}: {_one_line(shown)}"
            lines.append(
                f"  {_SIGNS[change.kind]} {where}{text}"
                + (f" ({change.note})" if change.note else "")
            )
    count = len(report.changes)
    lines.append(
        "no changes" if report.empty else f"{count} change(s) in {len(report.sections)} section(s)"
    )
    return "\n".join(clean(line) for line in lines) + "\n"  # control characters shown, never obeyed


def format_html(report: DiffReport, *, templates: str | os.PathLike[str] | None = None) -> str:
    """The report as a standalone, autoescaped HTML page with changes highlighted."""
    env = environment(os.fspath(templates) if templates else None)
    return env.get_template("diff.html.j2").render(report=report)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Split two texts into ``(op, text)`` runs by word: ``same``,
    ``del`` (only in old), ``ins``."""
    a, b = old.split(), new.split()
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("del", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("ins", " ".join(b[j1:j2])))
    return runs


def _one_line(text: str | None) -> str:
    return " ".join(str(text).split()) if text not in (None, "") else "(none)"


def _show(value: Any) -> str | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _fields(pairs: Iterable[tuple[str, Any, Any]]) -> list[Change]:
    """Scalar fields: added when only new has a value, removed when only old has, else changed."""
    out: list[Change] = []
    for what, old, new in pairs:
        a, b = _show(old), _show(new)
        if a == b:
            continue
        kind: Kind = "added" if a is None else "removed" if b is None else "changed"
        out.append(Change(kind, what, a, b))
    return out


def _flat(prefix: str, old: Any, new: Any) -> list[tuple[str, Any, Any]]:
    """Nested mappings as (dotted words, old, new) leaves, e.g. ``pto vacation days``."""
    if isinstance(old, dict) or isinstance(new, dict):
        old, new = old or {}, new or {}
        return [
            leaf
            for key in dict.fromkeys([*old, *new])
            for leaf in _flat(
                f"{prefix} {key.replace('_', ' ')}".strip(), old.get(key), new.get(key)
            )
        ]
    if isinstance(old, list) or isinstance(new, list):
        return [(prefix, ", ".join(map(str, old or [])), ", ".join(map(str, new or [])))]
    return [(prefix, old, new)]


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _texts(
    what: str, old: Sequence[str], new: Sequence[str], group: str | None = None
) -> list[Change]:
    """Lists of sentences: removed, added, and near-identical pairs as one reworded change.

    Identical items (by normalised text) are matched first, by set, in linear time. Each
    remaining removed item is then paired with the most similar remaining added item within
    ``REWORD_WINDOW`` places of where it would fall in the added list (the order of a list
    rarely changes much), at least ``REWORD_RATIO`` alike. Lists of up to ``REWORD_WINDOW``
    changed items are searched whole, as before; 10,000 changed items take seconds, not
    the 20 minutes an all-pairs search would.
    """
    norm = _norm
    old_keys, new_keys = {norm(t) for t in old}, {norm(t) for t in new}
    removed = [t for t in old if norm(t) not in new_keys]
    added = [t for t in new if norm(t) not in old_keys]
    partner = _reworded(removed, added)
    out: list[Change] = []
    for index, gone in enumerate(removed):
        match = partner.get(index)
        if match is None:
            out.append(Change("removed", what, gone, None, group))
        else:
            out.append(Change("changed", what, gone, added[match], group, "reworded"))
    paired = set(partner.values())
    out += [
        Change("added", what, None, text, group)
        for index, text in enumerate(added)
        if index not in paired
    ]
    return out


REWORD_WINDOW = 50  # places either side of a removed item's position searched for its rewording


def _reworded(removed: Sequence[str], added: Sequence[str]) -> dict[int, int]:
    """Pair removed items with added ones (index to index): each, in order, with its most similar
    free candidate in the window, ties to the earliest, when at least ``REWORD_RATIO`` alike.

    The word-level ``SequenceMatcher`` ratio is computed only where its cheap upper bounds (by
    length, then by shared words) could still beat the best found; each added item keeps one
    matcher, so its index of words is built once.
    """
    if not removed or not added:
        return {}
    words = [text.split() for text in added]
    matchers: dict[int, difflib.SequenceMatcher[str]] = {}
    free = [True] * len(added)
    pairs: dict[int, int] = {}
    whole = len(removed) <= REWORD_WINDOW and len(added) <= REWORD_WINDOW
    for i, gone in enumerate(removed):
        a = gone.split()
        if whole:
            lo, hi = 0, len(added)
        else:
            centre = i * len(added) // len(removed)
            lo, hi = max(0, centre - REWORD_WINDOW), min(len(added), centre + REWORD_WINDOW + 1)
        bounds: list[tuple[float, int]] = []
        for j in range(lo, hi):
            if not free[j]:
                continue
            total = len(a) + len(words[j])
            if total and 2 * min(len(a), len(words[j])) / total < REWORD_RATIO:  # real_quick_ratio
                continue
            matcher = matchers.get(j)
            if matcher is None:
                matcher = matchers[j] = difflib.SequenceMatcher(b=words[j])
            matcher.set_seq1(a)
            bound = matcher.quick_ratio()
            if bound >= REWORD_RATIO:
                bounds.append((bound, j))
        best, best_ratio = None, -1.0
        for bound, j in sorted(bounds, key=lambda item: (-item[0], item[1])):
            if bound < best_ratio:
                break
            matcher = matchers[j]
            matcher.set_seq1(a)
            ratio = matcher.ratio()
            if ratio > best_ratio or (ratio == best_ratio and best is not None and j < best):
                best, best_ratio = j, ratio
        if best is not None and best_ratio >= REWORD_RATIO:
            free[best] = False
            pairs[i] = best
    return pairs


def _areas(
    what: str,
    old: Sequence[tuple[str, list[str]]],
    new: Sequence[tuple[str, list[str]]],
    *,
    noun: str = "area",
) -> list[Change]:
    """Grouped lists as ``(name, items)`` (duty areas, compliance
    standards): whole groups, then items."""
    a, b = dict(old), dict(new)
    out: list[Change] = []
    for name in dict.fromkeys([*a, *b]):
        if name not in b:
            out.append(Change("removed", noun, name, None, note=f"{len(a[name])} {what}(s)"))
            out += [Change("removed", what, item, None, name) for item in a[name]]
        elif name not in a:
            out.append(Change("added", noun, None, name, note=f"{len(b[name])} {what}(s)"))
            out += [Change("added", what, None, item, name) for item in b[name]]
        else:
            out += _texts(what, a[name], b[name], group=name)
    return out


def _pairs(areas: Sequence[Any]) -> list[tuple[str, list[str]]]:
    # A duty moved between essential and marginal shows as reworded ("... (marginal)").
    return [
        (area.area, [*area.items, *(f"{text} (marginal)" for text in area.marginal)])
        for area in areas
    ]


def _demand(demand: PhysicalDemand) -> str:
    """``Lift supply boxes (occasionally, up to 25 lb)``: a physical demand as one line."""
    parts = [
        p
        for p in (demand.frequency, f"up to {demand.weight_lb:g} lb" if demand.weight_lb else None)
        if p
    ]
    return demand.demand + (f" ({', '.join(parts)})" if parts else "")


def _keyed(
    what: str,
    old: Sequence[Any],
    new: Sequence[Any],
    *,
    key: Callable[[Any], str],
    show: Callable[[Any], str],
) -> list[Change]:
    """Items with a name (skills, metrics, certifications): added, removed, or changed in place."""
    a = {key(item).casefold(): item for item in old}
    b = {key(item).casefold(): item for item in new}
    out: list[Change] = []
    for name in dict.fromkeys([*a, *b]):
        if name not in b:
            out.append(Change("removed", what, show(a[name]), None))
        elif name not in a:
            out.append(Change("added", what, None, show(b[name])))
        elif show(a[name]) != show(b[name]):
            out.append(Change("changed", what, show(a[name]), show(b[name]), group=key(b[name])))
    return out


def _qualifications(old: JobDescription, new: JobDescription) -> list[Change]:
    qa, qb = old.qualifications, new.qualifications
    out = _fields([("education", _education(qa), _education(qb))])
    out += _keyed(
        "certification",
        qa.certifications,
        qb.certifications,
        key=lambda c: c.abbreviation or c.name,
        show=lambda c: (
            f"{c.name}"
            + (f" ({c.abbreviation})" if c.abbreviation else "")
            + f", {c.issuer}, {c.level}"
            + (f", within {c.within_months} months" if c.within_months else "")
        ),
    )
    out += _keyed(
        "experience",
        qa.experience,
        qb.experience,
        key=lambda e: " ".join(e.kind.split()),
        show=lambda e: f"{e.years:g}+ years of {' '.join(e.kind.split())} ({e.level})",
    )
    return out


def _education(q: Any) -> str | None:
    if q.education is None:
        return None
    e = q.education
    return " ".join(
        x
        for x in (
            e.degree,
            f"in {e.field}" if e.field else "",
            f"({e.equivalent})" if e.equivalent else "",
        )
        if x
    )


def _reporting(old: JobDescription, new: JobDescription) -> list[Change]:
    ra, rb = old.reporting, new.reporting
    out = _fields(
        [
            ("reports to", ra.reports_to, rb.reports_to),
            (
                "spending limit",
                money(ra.authority.spending_limit, old.compensation.currency),
                money(rb.authority.spending_limit, new.compensation.currency),
            ),
        ]
    )
    out += _keyed("supervises", [*ra.supervises], [*rb.supervises], key=str, show=str)
    out += _keyed(
        "channel",
        ra.channels,
        rb.channels,
        key=lambda c: c.method,
        show=lambda c: (
            c.method
            + (f" with {c.audience}" if c.audience else "")
            + (f" ({c.cadence})" if c.cadence else "")
        ),
    )
    out += _texts("decides alone", ra.authority.decides_alone, rb.authority.decides_alone)
    out += _texts("needs approval", ra.authority.needs_approval, rb.authority.needs_approval)
    return out


def _compensation(old: JobDescription, new: JobDescription) -> list[Change]:
    pa, pb = old.compensation, new.compensation
    out: list[Change] = []
    range_a, range_b = pay_range(old) or None, pay_range(new) or None
    if range_a != range_b:
        note = None
        mids = [_midpoint(p.salary_min, p.salary_max) for p in (pa, pb)]
        if mids[0] and mids[1] and pa.period == pb.period and pa.currency == pb.currency:
            note = f"midpoint {100 * (mids[1] - mids[0]) / mids[0]:+.1f}%"
        kind: Kind = "added" if range_a is None else "removed" if range_b is None else "changed"
        out.append(Change(kind, "pay range", range_a, range_b, note=note))
    out += _fields([("bonus", pa.bonus, pb.bonus), ("overtime", pa.overtime, pb.overtime)])
    return out


def _midpoint(low: float | None, high: float | None) -> float | None:
    values = [v for v in (low, high) if v is not None]
    return sum(values) / len(values) if values else None


def _practice(model: JobDescription) -> str:
    p = model.practice
    return ", ".join(x for x in (p.name, p.city, p.state) if x)
