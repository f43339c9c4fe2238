"""Picking a role, and the helpers every action shares (``guarded``, what changed, short values).

Nothing is lost without a question: a role pick over unsaved edits lists every one of them
that the role's defaults would replace and offers to save first, discard, or cancel; a role
pick with a file open asks whether Save should write a new file. Arrow keys passing over
the roles apply only the one they stop at. The file actions are in ``jdkit.form.files``,
drafts in ``jdkit.form.drafts``.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, TypeVar

from .. import roles
from ..errors import JdkitError
from ..models import JobDescription, practice_slug
from ..params import plain
from .fields import Loc
from .words import place, place_of, plain_text

if TYPE_CHECKING:
    import asyncio
    from pathlib import Path

    from .host import FormHost

__all__ = ["Actions", "changed_locs", "value_at", "short", "file_error", "guarded"]

_MISSING = object()
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


class _Says(Protocol):
    def say(self, text: str, *, kind: str = "ok", error: bool = False) -> None: ...


_S = TypeVar("_S", bound=_Says)
_P = ParamSpec("_P")
_R = TypeVar("_R")


def guarded(method: Callable[Concatenate[_S, _P], _R]) -> Callable[Concatenate[_S, _P], _R | None]:
    """Run a widget callback so that any failure becomes one line in
    the status, never a traceback (the callback then returns ``None``)."""

    @functools.wraps(method)
    def wrapper(self: _S, /, *args: _P.args, **kwargs: _P.kwargs) -> _R | None:
        try:
            return method(self, *args, **kwargs)
        except JdkitError as exc:
            self.say(plain_text(exc.format()), kind="error")
        except Exception as exc:  # a bug: still one line on the page
            self.say(
                f"Something went wrong in the form ({type(exc).__name__}); your edits are kept.",
                kind="error",
            )
        return None

    return wrapper


def changed_locs(before: Any, after: Any, path: Loc = ()) -> list[Loc]:
    """Where ``after`` differs from ``before``: mappings key by key,
    equal-length lists row by row."""
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        keys = list(after) + [k for k in before if k not in after]
        return [
            loc
            for key in keys
            for loc in changed_locs(before.get(key), after.get(key), (*path, key))
        ]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [
            loc
            for i, (b, a) in enumerate(zip(before, after, strict=True))
            for loc in changed_locs(b, a, (*path, i))
        ]
    return [] if before == after else [path]


def value_at(data: Any, loc: Loc) -> Any:
    """The value at ``loc`` in plain data, or a marker when there is none."""
    for step in loc:
        in_mapping = isinstance(data, Mapping) and step in data
        in_list = isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data)
        if in_mapping or in_list:
            data = data[step]
        else:
            return _MISSING
    return data


def short(value: Any) -> str:
    """A value as a question lists it: ``empty``, ``95,000``, ``“Runs the front…”``, ``3 rows``."""
    if value is _MISSING or value is None or value == "" or value == []:
        return "empty"
    if isinstance(value, bool):
        return "ticked" if value else "not ticked"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,g}"
    if isinstance(value, list):
        return f"{len(value)} row{'s' if len(value) != 1 else ''}"
    if isinstance(value, Mapping):
        return "filled in"
    text = " ".join(str(value).split())
    return f"“{text if len(text) <= 40 else text[:39] + '…'}”"


def file_error(exc: JdkitError, shown: str) -> str:
    """A file's error in one line, never quoting what the file holds
    (only where, and what is wrong)."""
    where = shown + (f", line {exc.line}" if exc.line else "")
    field = place_of(exc.field) if exc.field and exc.field != "(file)" else None
    message = plain_text(_QUOTED.sub("…", exc.message))
    if re.match(r"(is|has|holds|uses|expands|must|should)\b", message):
        # a sentence without its subject
        message = (
            f"{field or ('the file' if exc.field == '(file)' else 'the entry there')} {message}"
        )
    elif field:
        message = f"{field}: {message}"
    # the file's own keys: left as they are
    hint = f" (fix: {_QUOTED.sub('…', exc.hint)})" if exc.hint else ""
    return f"Cannot open {where}: {message}{hint}"


class Actions:
    """Picking a role, for ``Form`` (which provides the widgets)."""

    # Form's state that these methods assign, declared here so that mypy takes its type from
    # Form rather than from a method's first assignment
    target: Path | None
    _role: roles.Role | None
    _baseline: dict[str, Any]
    _baseline_role: str | None
    _draft_path: Path | None
    _role_timer: asyncio.TimerHandle | None

    # -- roles ----------------------------------------------------------------------------------

    def _role_plain(self: FormHost, role: roles.Role) -> dict[str, Any]:
        """``role``'s defaults as plain values (the practice a
        placeholder): the base of every draft."""
        cache = self.__dict__.setdefault("_role_plain_cache", {})
        if role.id not in cache:
            data = plain(
                JobDescription.model_validate(
                    {**role.defaults, "role": role.info, "practice": {"name": "-", "state": "DC"}}
                )
            )
            data.pop("role")
            cache[role.id] = data
        return copy.deepcopy(cache[role.id])

    def _defaults(self: FormHost, role: roles.Role, *, blank: bool = False) -> dict[str, Any]:
        """A new document of ``role``: its defaults without a review date, posting dates or pay
        (the practice sets those), and the practice as typed (``blank``: an empty one)."""
        data = self._role_plain(role)
        data["review"]["last_reviewed"] = None
        data["position"]["date_posted"] = data["position"]["valid_through"] = None
        data["compensation"]["salary_min"] = data["compensation"]["salary_max"] = None
        data["practice"] = (
            copy.deepcopy(self._blank_practice) if blank else self.values().get("practice")
        )
        return data

    def pick_role(self: FormHost, role_id: str | None) -> None:
        """Fill every field with the role's defaults, keeping the practice
        already typed in (no question)."""
        with self._quietly():
            self.role_picker.value = role_id
            self._role = roles.get(role_id) if role_id is not None else None
            if self._role is not None:
                self.editor.set(self._defaults(self._role))
        if self.target is None and self._role is not None:
            self._baseline, self._baseline_role = (
                self._defaults(self._role, blank=True),
                self._role.id,
            )
        if self.question.topic == "role":
            self.question.close()
        self.refresh()

    def _on_role(self: FormHost, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        loop = self._loop()
        if self._role_timer is not None:
            self._role_timer.cancel()
        if loop is None or self.debounce <= 0:
            self._role_chosen(change["new"])
        else:  # arrow keys pass over roles: act on the one the consultant stops at
            self._role_timer = loop.call_later(
                max(self.debounce, 0.4), self._role_chosen, change["new"]
            )

    @guarded
    def _role_chosen(self: FormHost, new: str | None) -> None:
        self._role_timer = None
        current = self._role.id if self._role is not None else None
        if new == current:
            if self.question.topic in ("role", "file"):
                self.question.close()
            return
        if new is None:
            self._keep_role()
            return
        if current is None:
            self.pick_role(new)
            return
        role = roles.get(new)
        lost = self._lost_to(self._defaults(role))
        if not lost:
            self._switch_role(new)
            return
        self.question.ask(
            "role",
            f"Switch to {role.info['title']}? A role fills every section with its defaults, so "
            "these "
            "unsaved edits would be replaced:",
            self._items(lost, self._defaults(role)),
            [
                (
                    "Save my edits, then switch",
                    lambda: self.save(then=lambda: self._switch_role(new)),
                ),
                (
                    "Switch without saving",
                    lambda: self._discard_then(lambda: self._switch_role(new)),
                ),
                ("Cancel", self._keep_role),
            ],
        )

    def _keep_role(self: FormHost) -> None:
        with self._quietly():
            self.role_picker.value = self._role.id if self._role is not None else None

    def _switch_role(self: FormHost, new: str) -> None:
        had = self.target
        self.pick_role(new)
        if had is None or self._role is None:
            return
        name = (self.values().get("practice") or {}).get("name") or "untitled"
        fresh = self.workdir / "params" / f"{practice_slug(name, new)}.yaml"
        self.question.ask(
            "file",
            f"{self._role.info['title']} is another job description. Where should Save write it?",
            [],
            [
                (f"Save to a new file, {self._shown(fresh)}", self._new_file),
                (
                    f"Keep writing {self._shown(had)}",
                    lambda: self.say(f"Save writes {self._shown(had)}."),
                ),
            ],
        )

    def _new_file(self: FormHost) -> None:
        if self._role is not None:
            self.target = None
            self._baseline, self._baseline_role = (
                self._defaults(self._role, blank=True),
                self._role.id,
            )
        self.path_box.value = ""
        self._mark_unsaved()
        self.say("Save writes a new file.")

    def _lost_to(self: FormHost, after: Mapping[str, Any]) -> list[Loc]:
        """The unsaved edits that showing ``after`` would replace."""
        now = self.values()
        return [loc for loc in self.unsaved() if value_at(after, loc) != value_at(now, loc)]

    def _items(self: FormHost, locs: list[Loc], after: Mapping[str, Any]) -> list[str]:
        now = self.values()
        return [
            f"{place(loc, now)}: {short(value_at(now, loc))} now, {short(value_at(after, loc))} "
            "after"
            for loc in locs
        ]

    def _discard_then(self: FormHost, action: Callable[[], Any]) -> None:
        self.drafts.remove(self._draft_path)
        self._draft_path = None
        action()
