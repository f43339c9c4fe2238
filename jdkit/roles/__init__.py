"""The role library: one YAML file per role, shipped inside the package.

A role file holds ``role:`` (id, title, O*NET-SOC code, sources) and the default of
every section; a parameter file is merged onto those defaults.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from ..errors import DataError, UnknownRoleError

__all__ = ["Role", "ids", "get", "all_roles"]


@dataclass(frozen=True)
class Role:
    """A role from the library: its identity and its section defaults."""

    info: dict[str, Any]
    defaults: dict[str, Any]

    @property
    def id(self) -> str:
        """The role id, e.g. ``medical-office-manager``."""
        return str(self.info["id"])


@functools.cache
def _files() -> dict[str, str]:
    folder = resources.files(__name__)
    return {
        entry.name.removesuffix(".yaml"): entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    }


def ids() -> list[str]:
    """Return the ids of every role in the library, sorted."""
    return sorted(_files())


@functools.cache
def get(role_id: str) -> Role:
    """Return the role ``role_id``; raise ``UnknownRoleError`` (a
    ``KeyError``) when the library has none."""
    files = _files()
    if role_id not in files:
        raise UnknownRoleError(
            f"unknown role {role_id!r}", field="role", hint=f"roles: {', '.join(sorted(files))}"
        )
    text = files[role_id]
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    info = dict(data.pop("role"))
    if info.get("id") != role_id:
        raise DataError(
            f"declares id {info.get('id')!r}",
            file=f"{role_id}.yaml",
            field="role.id",
            hint="make the id the file's name",
        )
    return Role(info=info, defaults=data)


def all_roles() -> list[Role]:
    """Return every role in the library, in id order."""
    return [get(role_id) for role_id in ids()]
