"""Drafts: the form's unsaved edits, kept every few seconds in ``params/.drafts/<name>.yaml``.

A draft holds what differs from the role's defaults (as a parameter file does), even
while a field is invalid, plus which file it belongs to and when it was written. The form
offers the newest draft back when the page loads, and a file's draft when that file is
opened; Save and Discard remove it. ``jdkit batch params/`` never reads it (hidden folder).
Files are written atomically: a temporary file in the same folder, then a rename.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .. import roles
from ..errors import JdkitError
from ..models import practice_slug, slugify
from ..params import overrides
from .actions import guarded

if TYPE_CHECKING:
    from .host import FormHost

__all__ = ["Draft", "Drafts", "DraftActions", "atomic_write"]

HEADER = (
    "# Unsaved edits kept by jdkit form. Open the form to restore or discard them; "
    "Save writes them.\n"
)


def atomic_write(path: Path, body: bytes) -> Path:
    """Write ``body`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(body)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return path


@dataclass(frozen=True)
class Draft:
    """One draft file: its path, the file it belongs to, when it was kept, and the edits."""

    path: Path
    # the parameter file (relative to the work folder where inside it), or None: new
    draft_of: str | None
    saved: dt.datetime
    params: dict[str, Any]  # role, practice and what differs from the role

    @property
    def role(self) -> str:
        """The draft's role id."""
        return str(self.params.get("role") or "")

    @property
    def practice(self) -> str:
        """The practice's name as typed, or "a new practice"."""
        practice = self.params.get("practice")
        name = practice.get("name") if isinstance(practice, Mapping) else None
        return str(name).strip() if isinstance(name, str) and name.strip() else "a new practice"


class Drafts:
    """The drafts folder of one work folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, stem: str) -> Path:
        """Where the draft named ``stem`` lives."""
        return self.folder / f"{stem}.yaml"

    def write(self, stem: str, params: Mapping[str, Any], *, draft_of: str | None) -> Path:
        """Keep ``params`` as the draft ``stem``; return its path."""
        data = {
            "draft_of": draft_of,
            "saved": dt.datetime.now().replace(microsecond=0).isoformat(),
            "params": dict(params),
        }
        text = HEADER + yaml.safe_dump(
            data, sort_keys=False, allow_unicode=True, default_flow_style=False
        )
        return atomic_write(self.path_for(stem), text.encode("utf-8"))

    def read(self, path: Path) -> Draft | None:
        """The draft at ``path``, or None when it is missing or not a draft (never an error)."""
        try:
            if not path.is_file() or path.is_symlink() or path.stat().st_size > 2_000_000:
                return None
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            saved = dt.datetime.fromisoformat(str(data["saved"]))
            params = data["params"]
            draft_of = data.get("draft_of")
        except (OSError, ValueError, TypeError, KeyError, yaml.YAMLError):
            return None
        if not isinstance(params, dict) or not isinstance(params.get("role"), str):
            return None
        return Draft(path, str(draft_of) if draft_of else None, saved, params)

    def all(self) -> list[Draft]:
        """Every readable draft, newest first."""
        if not self.folder.is_dir():
            return []
        found = [
            self.read(p)
            for p in self.folder.iterdir()
            if p.suffix == ".yaml" and not p.name.startswith(".")
        ]
        return sorted((d for d in found if d is not None), key=lambda d: d.saved, reverse=True)

    def for_file(self, draft_of: str) -> Draft | None:
        """The newest draft of the parameter file ``draft_of``, if any."""
        return next((d for d in self.all() if d.draft_of == draft_of), None)

    def remove(self, path: Path | None) -> None:
        """Delete the draft at ``path`` (nothing happens if it is gone)."""
        if path is not None and path.parent == self.folder:
            try:
                path.unlink()
            except FileNotFoundError:
                pass


class DraftActions:
    """Keeping, offering, restoring and discarding drafts, for ``Form``."""

    # Form's state that these methods assign, declared here so that mypy takes its type from
    # Form rather than from a method's first assignment
    target: Path | None
    _role: roles.Role | None
    _baseline: dict[str, Any]
    _baseline_role: str | None
    _draft_path: Path | None

    def draft_stem(self: FormHost) -> str:
        """The draft's name: the file Save writes, else the practice and the role."""
        if self.target is not None:
            return self.target.stem
        name = (self.values().get("practice") or {}).get("name") or "untitled"
        return practice_slug(name, self._role.id) if self._role else slugify(name)

    def autosave(self: FormHost) -> Path | None:
        """Keep the unsaved edits as a draft now
        (``params/.drafts/<name>.yaml``); return its path."""
        if self._role is None:
            return None
        if not self.dirty():
            self.drafts.remove(self._draft_path)
            self._draft_path = None
            return None
        params = {"role": self._role.id, **overrides(self._role_plain(self._role), self.values())}
        path = self.drafts.write(
            self.draft_stem(), params, draft_of=self._shown(self.target) or None
        )
        if self._draft_path is not None and self._draft_path != path:
            self.drafts.remove(self._draft_path)
        self._draft_path = path
        return path

    def offer_draft(self: FormHost) -> None:
        """Offer the newest draft back (the page was reloaded or closed with unsaved edits)."""
        drafts = self.drafts.all()
        if drafts:
            self._offer(drafts[0])

    def _offer(self: FormHost, draft: Draft) -> None:
        try:
            title = roles.get(draft.role).info["title"]
        except KeyError:
            return
        of = f" of {draft.draft_of}" if draft.draft_of else ""
        self.question.ask(
            "draft",
            f"Unsaved edits to {draft.practice} ({title}){of} were kept as a draft at "
            f"{draft.saved:%Y-%m-%d %H:%M}. Restore them?",
            [],
            [
                ("Restore the draft", lambda: self.restore(draft)),
                ("Discard the draft", lambda: self.discard_draft(draft)),
                ("Not now", lambda: self.say("The draft is kept; it is offered again next time.")),
            ],
        )

    @guarded
    def restore(self: FormHost, draft: Draft) -> None:
        """Show the draft's edits in the form, belonging to its file (if it still has one)."""
        from ..params import load, merge

        role = roles.get(draft.role)
        params = {k: v for k, v in draft.params.items() if k != "role"}
        with self._quietly():
            self._role = role
            self.role_picker.value = role.id
            self.editor.set(merge(self._role_plain(role), params))
        self.target, self._baseline, self._baseline_role = (
            None,
            self._defaults(role, blank=True),
            role.id,
        )
        if draft.draft_of:
            try:
                file = self._confine(draft.draft_of)
                model = load(file)
            except JdkitError:
                pass
            else:
                self.target, self._baseline, self._baseline_role = (
                    file,
                    self._plain_of(model),
                    model.role.id,
                )
        self._draft_path = draft.path
        self.path_box.value = self._shown(self.target)
        self.refresh()
        self.say(
            f"Restored the draft of {draft.practice} from {draft.saved:%Y-%m-%d %H:%M}; Save keeps "
            "it."
        )

    def discard_draft(self: FormHost, draft: Draft) -> None:
        """Delete a draft the consultant does not want back."""
        self.drafts.remove(draft.path)
        self.say(f"Discarded the draft of {draft.practice}.")
