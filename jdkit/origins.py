"""Where each value of a job description came from: the practice, the role library, or jdkit.

The merge (``jdkit.params.build``) records the dotted paths a parameter file set and the
paths the role's defaults set; a path's origin is that of its nearest recorded self or
parent (lists and scalars are set whole, mappings key by key, as the merge works). The
form, the diff, the checks and ``jdkit explain`` all read this one record, so no view can
present a library default as the practice's own.
"""

from __future__ import annotations

from typing import Any

# The record itself is in jdkit.models (the merge in jdkit.params writes it, and this module
# derives it through jdkit.params.to_params when a model was built another way).
from .models import JobDescription, Origin as Origin, Origins as Origins, leaf_paths as leaf_paths

__all__ = ["Origin", "Origins", "leaf_paths", "origins", "PAY_FIELDS", "practice_pay"]

# The figures that make up a pay range: only the practice may set them.
PAY_FIELDS = ("compensation.salary_min", "compensation.salary_max")


def origins(model: JobDescription) -> Origins:
    """The origins recorded when ``model`` was built from a parameter file.

    A model built another way (directly, or by the form) has them derived once from what
    differs from its role's defaults (``jdkit.params.to_params``), and kept.
    """
    recorded: Origins | None = model._origins
    if recorded is None:
        from . import roles
        from .params import to_params

        try:
            defaults = roles.get(model.role.id).defaults
        except KeyError:  # a role outside the library: everything is the caller's own
            data: dict[str, Any] = {k: v for k, v in model.model_dump(exclude={"role"}).items()}
            defaults = {}
        else:
            data = to_params(model)
            data.pop("role", None)
        recorded = Origins(
            practice=frozenset(leaf_paths(data)), role=frozenset(leaf_paths(defaults))
        )
        model._origins = recorded
    return recorded


def practice_pay(model: JobDescription) -> tuple[float | None, float | None]:
    """The pay range's two ends as the practice set them; a figure from anywhere else is
    ``None``."""
    found = origins(model)
    pay = model.compensation
    low = pay.salary_min if found.of("compensation.salary_min") == "practice" else None
    high = pay.salary_max if found.of("compensation.salary_max") == "practice" else None
    return low, high


# The sections ``explain`` reports, in document order, with the names a reader knows them by.
EXPLAINED: tuple[tuple[str, str], ...] = (
    ("position", "Position"),
    ("summary", "Summary"),
    ("responsibilities", "Responsibilities"),
    ("qualifications", "Qualifications"),
    ("skills", "Required skills"),
    ("daily_tasks", "Daily tasks"),
    ("reporting", "Reporting structure"),
    ("metrics", "Performance metrics"),
    ("compensation", "Compensation"),
    ("benefits", "Benefits"),
    ("compliance", "Compliance standards"),
    ("physical_demands", "Physical demands"),
    ("work_environment", "Work environment"),
    ("conditions", "Conditions of employment"),
    ("equal_opportunity", "Equal opportunity"),
    ("statements", "Standard statements"),
    ("acknowledgment", "Acknowledgment"),
    ("review", "Review"),
)


def explain(model: JobDescription) -> list[dict[str, Any]]:
    """Each section's origin, and for a mixed one the fields still holding the library's (or
    jdkit's) text.

    Rows: ``{"section", "title", "origin", "library": [dotted fields], "jdkit": [dotted fields]}``.
    """
    found = origins(model)
    out: list[dict[str, Any]] = []
    for key, title in EXPLAINED:
        origin = found.of(key)
        library = sorted(p for p in found.role if p.startswith(key + ".") and found.of(p) == "role")
        written = sorted(p for p in found.jdkit if p == key or p.startswith(key + "."))
        out.append(
            {
                "section": key,
                "title": title,
                "origin": origin,
                "library": library if origin == "mixed" else [],
                "jdkit": written,
            }
        )
    return out


def format_explain(model: JobDescription, source: str) -> str:
    """``explain`` as text for a terminal: what the practice set, and what is still the
    library's."""
    rows = explain(model)
    own = [r["title"] for r in rows if r["origin"] == "practice"]
    library = [r["title"] for r in rows if r["origin"] == "role"]
    lines = [
        f"{source}: {model.title} at {model.practice.name}",
        f"  set by the practice: {', '.join(['Practice', *own])}",
    ]
    for row in rows:
        if row["origin"] == "mixed":
            # In order, once.
            parts = dict.fromkeys(p.split(".")[1].replace("_", " ") for p in row["library"])
            fields = ", ".join(parts)
            lines.append(
                f"  partly set by the practice: {row['title']} (still the library's: {fields})"
            )
    if library:
        lines.append(
            f"  still the role library's text, to confirm or replace: {', '.join(library)}"
        )
    for row in rows:
        for path in row["jdkit"]:
            lines.append(
                f"  written by jdkit: {path} "
                "(standard wording for the FLSA status the practice chose)"
            )
    from .terminal import clean

    return "\n".join(clean(line) for line in lines) + "\n"  # control characters shown, never obeyed
