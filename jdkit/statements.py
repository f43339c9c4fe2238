"""The standard statements and conditions of employment, worded for one practice.

The wording lives in ``jdkit/data/statements.yaml`` with its sources; this module picks what
applies to a practice: the fair-chance law of its state or city (``fair_chance.csv``), at-will
or Montana's good-cause rule, the role's exposure determination. The document layer is its
only reader of text, so every format says the same.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from .data import Tables, shipped
from .models import JobDescription, Practice, Source
from .wages import normalize_place
from .wording import lower_first

__all__ = [
    "FairChanceLaw",
    "text",
    "sources",
    "fair_chance_law",
    "conditions",
    "closing",
    "exposure",
]

# Montana is the one state whose employment is not at will after a probationary period
# (Wrongful Discharge from Employment Act, MCA 39-2-904).
GOOD_CAUSE_STATES = frozenset({"MT"})


@functools.cache
def _data() -> dict[str, Any]:
    raw = resources.files("jdkit.data").joinpath("statements.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    assert isinstance(data, dict)
    return data


def _entry(*path: str) -> Any:
    value: Any = _data()
    for key in path:
        value = value[key]
    return value


def text(*path: str, **fill: str) -> str:
    """The statement at ``path`` (``"conditions", "work_authorization"``),
    with ``{names}`` filled in."""
    value = _entry(*path)
    words = value["text"] if isinstance(value, dict) else value
    return " ".join(str(words).format(**fill).split())


def _walk_sources(value: Any) -> list[Source]:
    out: list[Source] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "sources":
                out += [Source.model_validate(s) for s in item]
            else:
                out += _walk_sources(item)
    return out


def sources() -> list[Source]:
    """Every source the statements rest on, validated as the role library's sources are."""
    return _walk_sources(_data())


@dataclass(frozen=True)
class FairChanceLaw:
    """A fair-chance law that covers a practice: its name, citation and when
    it lets criminal history in."""

    id: str
    name: str
    law: str
    timing: str
    confirmed: bool


def _counted(practice: Practice, counts: str) -> int | None:
    if counts == "state" and practice.employees_in_state is not None:
        return practice.employees_in_state
    return practice.employees


def fair_chance_law(
    practice: Practice, day: dt.date, tables: Tables | None = None
) -> FairChanceLaw | None:
    """The fair-chance law that covers ``practice`` on ``day`` (a
    city's before its state's), if any.

    An unknown headcount counts as covered: naming a law that may not apply is the safe error.
    """
    city = normalize_place(practice.city)
    found: list[tuple[int, FairChanceLaw]] = []
    for row in (tables or shipped()).rows("fair_chance"):
        if row["state"] != practice.state or dt.date.fromisoformat(row["effective"]) > day:
            continue
        if row["level"] == "city" and city not in {
            normalize_place(c) for c in row["cities"].split("|")
        }:
            continue
        employees = _counted(practice, row.get("counts", "total"))
        if employees is not None and row["min_employees"] and employees < int(row["min_employees"]):
            continue
        law = FairChanceLaw(
            row["jurisdiction_id"],
            row["name"],
            row["law"],
            row["timing"],
            row.get("confirmed", "") == "yes",
        )
        found.append((0 if row["level"] == "city" else 1, law))
    return min(found, key=lambda pair: pair[0])[1] if found else None


def conditions(
    model: JobDescription, day: dt.date | None = None, tables: Tables | None = None
) -> list[tuple[str, str]]:
    """The conditions of employment the practice keeps, as (label, sentences) pairs."""
    c = model.conditions
    out: list[tuple[str, str]] = []
    if c.background_check:
        words = text("conditions", "background_check")
        law = fair_chance_law(model.practice, day or dt.date.today(), tables)
        if law is not None:
            words += " " + text("conditions", "background_check_law", law.timing, law=law.law)
        out.append((_entry("conditions", "background_check", "label"), words))
    for key in (
        "exclusion_screening",
        "immunizations",
        "credential_verification",
        "work_authorization",
    ):
        if getattr(c, key):
            out.append((_entry("conditions", key, "label"), text("conditions", key)))
    out += [("Also", item) for item in c.additional]
    return out


def closing(model: JobDescription) -> list[str]:
    """The at-will (or Montana good-cause) and not-a-contract statements the practice keeps."""
    s = model.statements
    out: list[str] = []
    if s.at_will:
        out.append(
            text("at_will_montana" if model.practice.state in GOOD_CAUSE_STATES else "at_will")
        )
    if s.not_a_contract:
        out.append(text("not_a_contract"))
    return out


def exposure(model: JobDescription) -> str | None:
    """The role's OSHA exposure determination as a sentence, or None when it is not stated."""
    env = model.work_environment
    if env.exposure is None:
        return None
    tasks = "; ".join(lower_first(t.rstrip(".")) for t in env.exposure_tasks)
    vaccine = text("exposure", "vaccine") if env.exposure in ("all", "some") else ""
    return text("exposure", env.exposure, tasks=tasks + "." if tasks else "", vaccine=vaccine)
