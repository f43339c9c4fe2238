"""The form's file actions: Open, Upload, Save and Export.

Open and Upload over unsaved edits list every one of them that would change and offer to
save first, discard, or cancel. Open and Save stay inside the work folder (and the file
given on the command line), and an error about a file never repeats what the file holds.
Save keeps writing the file that was opened (or saved last), whatever its name, and asks
before a new document replaces a file. Export of a document with error-level findings asks
first and marks each file "Draft: not publishable" in its first line and its name.
"""

from __future__ import annotations

import base64
import html
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from .. import params as parameter_files, roles
from ..errors import JdkitError
from ..formats import FORMATS
from ..models import JobDescription, slugify
from ..params import plain, to_params
from .actions import file_error, guarded
from .drafts import atomic_write
from .words import plain_text

if TYPE_CHECKING:
    from .host import FormHost

__all__ = ["FileActions", "EXPORT_FORMATS", "DRAFT_MARK", "PARAM_SUFFIXES"]

# the registry's formats marked for the form: html, docx, pdf
EXPORT_FORMATS = tuple(FORMATS.names(form=True))
DRAFT_MARK = "Draft: not publishable"
PARAM_SUFFIXES = (".yaml", ".yml", ".json")


class FileActions:
    """Open, Upload, Save and Export, for ``Form``."""

    # Form's state that these methods assign, declared here so that mypy takes its type from
    # Form rather than from a method's first assignment
    target: Path | None
    _role: roles.Role | None
    _baseline: dict[str, Any]
    _baseline_role: str | None
    _draft_path: Path | None

    # -- open and upload ------------------------------------------------------------------------

    def _shown(self: FormHost, path: Path | None) -> str:
        """A path as the form shows it: relative to the work folder when inside it."""
        if path is None:
            return ""
        try:
            return path.resolve().relative_to(self.workdir.resolve()).as_posix()
        except ValueError:
            return str(path)

    def _confine(self: FormHost, text: str) -> Path:
        """The file ``text`` names, if Open may read it: inside the work folder,
        or given on the command line."""
        given = Path(text).expanduser()
        full = (given if given.is_absolute() else self.workdir / given).resolve()
        if full not in self.allowed and not full.is_relative_to(self.workdir.resolve()):
            raise JdkitError(
                f"{text} is outside the work folder ({self.workdir.resolve()})",
                hint=("open a file inside it, or start the form with that file: jdkit form PATH"),
            )
        if full.suffix.lower() not in PARAM_SUFFIXES:
            raise JdkitError(
                f"{text} is not a parameter file", hint="open a .yaml, .yml or .json file"
            )
        return full

    def _param_files(self: FormHost) -> list[str]:
        folder = self.workdir / "params"
        if not folder.is_dir():
            return []
        return sorted(
            f"params/{p.name}"
            for p in folder.iterdir()
            if p.suffix.lower() in PARAM_SUFFIXES and not p.name.startswith(".")
        )

    def _plain_of(self: FormHost, model: JobDescription) -> dict[str, Any]:
        data: dict[str, Any] = plain(model)
        data.pop("role")
        return data

    @guarded
    def open(
        self: FormHost, path: str | os.PathLike[str], *, ask: bool = True
    ) -> JobDescription | None:
        """Load a parameter file (relative to the work folder) into the form;
        over unsaved edits, ask first."""
        from ..params import load

        text = os.fspath(path).strip()
        if not text:
            self.say(
                "Type or pick a parameter file to open, such as params/cedar-family-medicine.yaml.",
                kind="error",
            )
            return None
        full = self._confine(text)
        shown = self._shown(full)
        try:
            model = load(full)
        except JdkitError as exc:
            self.say(file_error(exc, shown), kind="error")
            return None
        self.path_box.options = self._param_files()
        after = self._plain_of(model)
        lost = self._lost_to(after)
        if ask and lost:
            self.question.ask(
                "open",
                f"Open {shown}? These unsaved edits would be replaced by the file's values:",
                self._items(lost, after),
                [
                    (
                        "Save my edits, then open",
                        lambda: self.save(then=lambda: self._opened(full, model)),
                    ),
                    (
                        "Open without saving",
                        lambda: self._discard_then(lambda: self._opened(full, model)),
                    ),
                    ("Cancel", lambda: self.say(f"Not opened: {shown}.")),
                ],
            )
            return None
        self._opened(full, model)
        return model

    def _opened(self: FormHost, full: Path, model: JobDescription) -> None:
        shown = self._shown(full)
        self.load_model(model)
        self.target, self._draft_path = full, None
        self._baseline, self._baseline_role = self.values(), model.role.id
        self.path_box.value = shown
        self._mark_unsaved()
        self.say(f"Opened {shown}.")
        draft = self.drafts.for_file(shown)
        if draft is not None and draft.path.stat().st_mtime >= full.stat().st_mtime:
            # kept after the last Save
            self._offer(draft)

    def load_model(self: FormHost, model: JobDescription) -> None:
        """Show ``model`` in the form: its role and every field."""
        with self._quietly():
            self._role = roles.get(model.role.id)
            self.role_picker.value = model.role.id
            self.editor.set(self._plain_of(model))
        self.refresh()

    def _on_sink(self: FormHost, change: dict[str, Any]) -> None:
        """A file the page script read (or refused as too big), as JSON in the hidden box."""
        text = change["new"]
        if not text:
            return
        with self._quietly():
            self.upload_sink.value = ""
        try:
            data = json.loads(text)
            name = str(data.get("name") or "the file")
        except (ValueError, AttributeError):
            self.say(
                "The upload could not be read; try again, or put the file in params/ and use Open.",
                kind="error",
            )
            return
        if data.get("flush"):  # the page is about to go: keep the draft now
            self.autosave()
            return
        if data.get("error") == "too-big":
            self.say(
                f"{name} was not uploaded: it is {_mb(data.get('size'))}, and a parameter file can "
                "be at "
                f"most {_mb(data.get('limit'))}.",
                kind="error",
            )
            return
        self.receive_upload(name, base64.b64decode(str(data.get("data") or "")))

    @guarded
    def receive_upload(self: FormHost, name: str, content: bytes) -> JobDescription | None:
        """Load an uploaded parameter file into the form; over unsaved edits, ask first."""
        from ..params import MAX_BYTES, build, reads

        if len(content) > MAX_BYTES:
            self.say(
                f"{name} was not uploaded: it is {_mb(len(content))}, and a parameter file can be "
                "at most "
                f"{_mb(MAX_BYTES)}.",
                kind="error",
            )
            return None
        try:
            model = build(reads(content, file=name))
        except JdkitError as exc:
            self.say(file_error(exc, name), kind="error")
            return None
        after = self._plain_of(model)
        lost = self._lost_to(after)

        def load() -> None:
            self._uploaded(name, model)

        if lost:
            self.question.ask(
                "upload",
                f"Load {name}? These unsaved edits would be replaced by its values:",
                self._items(lost, after),
                [
                    ("Save my edits, then load it", lambda: self.save(then=load)),
                    ("Load it without saving", lambda: self._discard_then(load)),
                    ("Cancel", lambda: self.say(f"Not loaded: {name}.")),
                ],
            )
            return None
        self._uploaded(name, model)
        return model

    def _uploaded(self: FormHost, name: str, model: JobDescription) -> None:
        self.load_model(model)
        self.target, self._draft_path = None, None
        assert self._role is not None
        self._baseline, self._baseline_role = self._defaults(self._role, blank=True), self._role.id
        self.path_box.value = ""
        self._mark_unsaved()
        self.say(f"Loaded {name}; Save writes it to params/{model.slug}.yaml.")

    def _upload_fallback(self: FormHost) -> None:
        """Without the page script (JupyterLab): ipywidgets' own upload control."""
        if not self.upload_box.children:
            chooser = W.FileUpload(
                accept=".yaml,.yml,.json", multiple=False, description="Choose a file", tooltip=""
            )
            chooser.observe(
                lambda change: [
                    self.receive_upload(str(item["name"]), bytes(item["content"]))
                    for item in change["new"] or ()
                ],
                "value",
            )
            self.upload_box.children = (chooser,)
        self.upload_box.layout.display = "flex"

    # -- save and export ------------------------------------------------------------------------

    @guarded
    def save(self: FormHost, *, then: Callable[[], Any] | None = None) -> Path | None:
        """Write what differs from the role's defaults to the file opened (or saved)
        last, else to ``params/<slug>.yaml`` (asking before replacing a file); then
        run ``then``. Return the path."""
        model = self.refresh()
        if self._role is None:
            self.say("Not saved: pick a role first.", kind="error")
            return None
        if model is None:
            self.say(f"Not saved: {self.problem_line()}", kind="error")
            return None
        target = self.target
        if target is None:
            target = self.workdir / "params" / f"{model.slug}.yaml"
            other = _practice_in(target)
            if other is not None and other != _practice_of(model):
                # another practice with the same slug:
                # never offered for replacing; saved beside it if the user wants
                spare = _free_name(target)
                self.question.ask(
                    "replace",
                    f"{self._shown(target)} holds another practice, {other[0]} "
                    f"({roles.get(other[1]).info['title']}). "
                    f"Save this one as {self._shown(spare)} instead?",
                    [],
                    [
                        (f"Save as {self._shown(spare)}", lambda: self._write(model, spare, then)),
                        ("Cancel", lambda: self.say("Not saved.")),
                    ],
                )
                return None
            if target.exists():
                self.question.ask(
                    "replace",
                    f"{self._shown(target)} already exists. Replace it with this document?",
                    [],
                    [
                        (
                            f"Replace {self._shown(target)}",
                            lambda: self._write(model, target, then),
                        ),
                        ("Cancel", lambda: self.say("Not saved.")),
                    ],
                )
                return None
        return self._write(model, target, then)

    def _write(
        self: FormHost, model: JobDescription, target: Path, then: Callable[[], Any] | None
    ) -> Path:
        params = self.workdir / "params"
        if (
            target.parent.resolve() == params.resolve()
            and target.suffix == ".yaml"
            and slugify(target.stem) == target.stem
        ):
            path = parameter_files.write(params, model, stem=target.stem)
        else:  # a file opened under another name or folder: keep it, in its own format
            data = to_params(model)
            body = (
                json.dumps(data, indent=2, default=str) + "\n"
                if target.suffix.lower() == ".json"
                else parameter_files.writes(data)
            )
            path = atomic_write(target, body.encode("utf-8"))
        self.drafts.remove(self._draft_path)
        self.target, self._draft_path = path, None
        self._baseline, self._baseline_role = self.values(), model.role.id
        self.path_box.options = self._param_files()
        self.path_box.value = self._shown(path)
        self._mark_unsaved()
        self.say(f"Saved {self._shown(path)}.")
        if then is not None:
            then()
        return path

    @guarded
    def export(self: FormHost, *, draft: bool | None = None) -> list[Path]:
        """Write HTML, PDF and Word into ``out/`` and show links; formats not installed are skipped.

        With error-level findings it asks first (``draft=True`` answers yes): the files are then
        marked "Draft: not publishable" in their first line and their name.
        """
        model = self.refresh()
        if model is None:
            self.say(
                f"Not exported: {self.problem_line()}"
                if self._role
                else "Not exported: pick a role first.",
                kind="error",
            )
            return []
        errors = [f for f in self.findings if f.severity == "error"]
        if errors and draft is None:
            from .words import finding_words

            these = "error that makes" if len(errors) == 1 else "errors that make"
            self.question.ask(
                "export",
                f"This document has {len(errors)} {these} it unfit to publish. Export it as a "
                "draft? "
                f"Each file's first line and name will say “{DRAFT_MARK}”.",
                [
                    f"{where}: {message}"
                    for _, where, message, _ in (finding_words(f, self.values()) for f in errors)
                ],
                [
                    ("Export as a draft", lambda: self.export(draft=True)),
                    ("Cancel", lambda: self.say("Not exported.")),
                ],
            )
            return []
        return self._export(model, draft=bool(draft), errors=len(errors))

    def _export(self: FormHost, model: JobDescription, *, draft: bool, errors: int) -> list[Path]:
        from ..export import export, write

        stem = model.slug
        if draft:
            position = model.position.model_copy(update={"title": f"{DRAFT_MARK} — {model.title}"})
            model, stem = model.model_copy(update={"position": position}), f"{model.slug}-draft"
        written: list[Path] = []
        skipped: list[str] = []
        for fmt in EXPORT_FORMATS:
            try:
                body, resources = export(model, fmt)
                written.append(write(self.workdir / "out", stem, resources["extension"], body))
            except ImportError:
                skipped.append(f"{fmt}: its exporter is not installed")
            except JdkitError as exc:
                skipped.append(f"{fmt}: {plain_text(exc.format())}")
        self.links.value = _links(written) + "".join(
            f"<div>skipped {html.escape(s)}</div>" for s in skipped
        )
        files = f"{len(written)} {'draft ' if draft else ''}file{'s' if len(written) != 1 else ''}"
        text = f"Exported {files} to out/"
        if draft:
            text += (
                f", each marked “{DRAFT_MARK}”: fix the {errors} error{'s' if errors != 1 else ''} "
                "before "
                "publishing"
            )
        self.say(
            text + (f"; skipped {len(skipped)}" if skipped else "") + ".",
            kind="warn" if draft or skipped else "ok",
        )
        return written


def _practice_of(model: JobDescription) -> tuple[str, str]:
    """A document's practice as ``jdkit.owners`` knows it: the name (spaces normalised) and role."""
    return " ".join(model.practice.name.split()), model.role.id


def _practice_in(path: Path) -> tuple[str, str] | None:
    """The practice a parameter file holds, or ``None`` (no such file,
    or one that does not load)."""
    from ..params import load

    if not path.is_file():
        return None
    try:
        return _practice_of(load(path))
    except JdkitError:
        return None


def _free_name(target: Path) -> Path:
    """``<stem>-2.yaml`` (or -3, ...): the first name beside ``target`` that no file has."""
    number = 2
    while (candidate := target.with_name(f"{target.stem}-{number}{target.suffix}")).exists():
        number += 1
    return candidate


def _mb(size: Any) -> str:
    try:
        return f"{int(size) / 1_000_000:.1f} MB"
    except (TypeError, ValueError):
        return "too large"


MIME = {FORMATS[fmt].extension: FORMATS[fmt].media_type for fmt in EXPORT_FORMATS}


def _links(paths: list[Path]) -> str:
    """Download links carrying each file's bytes (the form's server cannot serve out/ itself)."""
    items = []
    for path in paths:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        mime = MIME.get(path.suffix, "application/octet-stream")
        items.append(
            f'<li><a download="{html.escape(path.name)}" href="data:{mime};base64,{data}">'
            f"{html.escape(path.name)}</a> <small>{html.escape(str(path))}</small></li>"
        )
    return f"<ul>{''.join(items)}</ul>" if items else ""
