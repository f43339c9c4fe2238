"""Roles: where a practice declares the positions it has, reporting lines point at them.

``practice.roles`` lists the practice's positions, each a role id from the library
(``medical-receptionist``) or a title outside it (``Physician Owner``). When it is set,
``reporting.reports_to`` and every ``reporting.supervises`` entry must name one of them
(by title or id, ignoring case), the document's own role should be among them, and an
entry written like a role id must be one the library has. Without ``practice.roles``
this family says nothing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from .. import roles as library
from ..models import JobDescription
from .base import Context, Finding, finding

__all__ = ["RULES", "declared_titles", "reporting_lines", "declared_roles"]

_ROLE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")


def _titles_by_id() -> dict[str, str]:
    return {role.id: str(role.info["title"]) for role in library.all_roles()}


def declared_titles(model: JobDescription) -> dict[str, str]:
    """The practice's declared positions as ``{casefolded title or id: display title}``."""
    by_id = _titles_by_id()
    out: dict[str, str] = {}
    for entry in model.practice.roles:
        title = by_id.get(entry, entry)
        out[title.casefold()] = title
        out[entry.casefold()] = title
    return out


def reporting_lines(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Each reporting line names a position in ``practice.roles`` (warning each)."""
    if not model.practice.roles:
        return
    known = declared_titles(model)
    by_id = _titles_by_id()
    lines = (
        [("reporting.reports_to", model.reporting.reports_to)] if model.reporting.reports_to else []
    )
    lines += [
        (f"reporting.supervises.{i}", name) for i, name in enumerate(model.reporting.supervises)
    ]
    choices = sorted(set(known.values()))
    for field, name in lines:
        if name.casefold() in known or by_id.get(name, name).casefold() in known:
            continue
        near = difflib.get_close_matches(name, choices, n=1, cutoff=0.75)
        hint = (f"did you mean '{near[0]}'? " if near else "") + (
            f"name one of the practice's roles ({', '.join(choices)}) or add '{name}' to "
            "practice.roles"
        )
        yield finding(
            "roles.reporting-line",
            "warning",
            field,
            f"'{name}' is not one of the practice's roles (practice.roles)",
            hint,
        )


def declared_roles(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """``practice.roles`` holds this document's role and only library
    ids that exist (warning each)."""
    if not model.practice.roles:
        return
    by_id = _titles_by_id()
    for index, entry in enumerate(model.practice.roles):
        if _ROLE_ID.match(entry) and entry not in by_id:
            near = difflib.get_close_matches(entry, list(by_id), n=1)
            yield finding(
                "roles.unknown-id",
                "warning",
                f"practice.roles.{index}",
                f"'{entry}' looks like a role id but the library has no such role",
                (f"did you mean '{near[0]}'? " if near else "") + "see 'jdkit roles' for the ids",
            )
    known = declared_titles(model)
    if (
        model.role.id not in known
        and model.role.title.casefold() not in known
        and model.title.casefold() not in known
    ):
        yield finding(
            "roles.own-role",
            "warning",
            "practice.roles",
            f"the practice's roles do not include this document's role ({model.role.id})",
            f"add '{model.role.id}' to practice.roles",
        )


RULES = (reporting_lines, declared_roles)
