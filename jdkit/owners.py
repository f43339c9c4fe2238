"""Whose documents are these? Never overwrite another practice's output.

Slugs are unique per practice name and role (``models.practice_slug``), but two names may
still share one (``Cedar Clinic`` and ``CEDAR CLINIC!``), and an ``--out`` folder outlives
the run that filled it. So every output records its owner, the practice's name and role
(and the parameter file, to name in a message):

- ``jdkit batch``: in the practice's stamp (``<slug>.stamp.json``, ``owner``);
- every file jdkit writes for a practice, on file systems that have them: an extended
  attribute ``user.jdkit.owner`` (set on the temporary file before the rename, so a file
  never exists without it; invisible in listings, and a copy without it is simply unowned).

Before writing, ``check`` refuses a practice whose files or folder belong to another one,
with one line naming both and a fix. A file with no owner recorded (older jdkit, another
tool, a copy) is not refused: nothing says it is someone else's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import ExportError

__all__ = ["ATTRIBUTE", "owner_of", "mark", "read", "read_stamp_owner", "check"]

ATTRIBUTE = "user.jdkit.owner"


def owner_of(model: Any, source: str | None = None) -> dict[str, str]:
    """The owner record of ``model``'s outputs: its practice's name (spaces normalised) and role."""
    owner = {"practice": " ".join(str(model.practice.name).split()), "role": str(model.role.id)}
    if source:
        owner["source"] = str(source)
    return owner


def mark(path: str | os.PathLike[str] | int, owner: dict[str, str] | None) -> None:
    """Record ``owner`` on a file (a path or an open descriptor); silently not where unsupported."""
    if owner is None or not hasattr(os, "setxattr"):
        return
    try:
        os.setxattr(path, ATTRIBUTE, json.dumps(owner, sort_keys=True).encode("utf-8"))
    except OSError:  # a file system without user attributes (some tmpfs, network shares): unowned
        pass


def read(path: str | os.PathLike[str]) -> dict[str, str] | None:
    """The owner recorded on a file, or ``None``."""
    if not hasattr(os, "getxattr"):
        return None
    try:
        owner = json.loads(os.getxattr(path, ATTRIBUTE, follow_symlinks=False))
    except (OSError, ValueError):
        return None
    return owner if isinstance(owner, dict) else None


def read_stamp_owner(stamp: Path) -> dict[str, str] | None:
    """The owner a batch stamp records (older stamps: the practice and role of its row)."""
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    owner = data.get("owner")
    if isinstance(owner, dict) and owner.get("practice"):
        return owner
    return None


def _same(a: dict[str, str], b: dict[str, str]) -> bool:
    return a.get("practice") == b.get("practice") and a.get("role") == b.get("role")


def _whose(owner: dict[str, str]) -> str:
    source = f", from {owner['source']}" if owner.get("source") else ""
    return f"'{owner.get('practice')}' ({owner.get('role')}{source})"


def check(
    owner: dict[str, str], paths: Iterable[Path], *, folder: Path, stamp: Path | None = None
) -> None:
    """Raise ``ExportError`` (exit 2) when ``folder``'s stamp or any existing file in ``paths``
    records an owner other than ``owner``. ``folder`` is what the fix tells the user to remove."""
    recorded = [read_stamp_owner(stamp)] if stamp is not None and stamp.is_file() else []
    recorded += [read(path) for path in paths if path.is_file() and not path.is_symlink()]
    for other in recorded:
        if other is not None and not _same(other, owner):
            raise ExportError(
                f"holds the documents of another practice, {_whose(other)}; {_whose(owner)} has "
                "the same "
                "file names, so jdkit will not overwrite them",
                file=str(folder),
                hint=f"remove {folder} or choose another output folder",
            )
