"""The one writer: bytes to ``out_dir/<slug><extension>``, atomically and inside the folder.

``write`` (temp file, then rename) and ``confine`` are re-exported by ``jdkit.export``; they
live here, below every exporter and ``jdkit.params`` (whose ``write`` puts parameter files on
disk through it), so that neither has to import the exporters' package to write.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from . import owners
from .errors import ExportError
from .models import slugify

__all__ = ["write", "confine", "cannot_write"]


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def confine(root: str | os.PathLike[str], folder: str | os.PathLike[str]) -> Path:
    """Return ``folder`` when it is ``root`` or lies inside it with no symbolic link on the way.

    A practice folder (or the output file) that is a link to somewhere else would make jdkit
    write, or clean up, outside ``--out``: that is refused with one line (``ExportError``).
    """
    top, path = Path(root), Path(folder)
    try:
        relative = path.relative_to(top)
    except ValueError:
        raise ExportError("is outside the output folder", file=str(path), field="out") from None
    current = top
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            raise ExportError(
                "is a symbolic link, so writing there could leave the output folder",
                file=str(current),
                field="out",
                hint=(
                    "remove the link; jdkit writes real folders and files inside the output folder"
                ),
            )
    if path.exists() and top.exists() and not path.resolve().is_relative_to(top.resolve()):
        raise ExportError("is outside the output folder", file=str(path), field="out")
    return path


def write(
    out_dir: str | os.PathLike[str],
    stem: str,
    extension: str,
    body: bytes,
    *,
    owner: dict[str, str] | None = None,
) -> Path:
    """Write ``body`` to ``out_dir/<slug(stem)><extension>`` atomically; return the path.

    The name is always a slug, so nothing can be written outside ``out_dir``; a target that
    is a symbolic link is refused rather than replaced or followed. ``owner`` (``jdkit.owners``)
    is recorded on the file before it takes its name.
    """
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # the folder under a regular file, a read-only disk, no permission
        raise cannot_write(folder, exc) from None
    target = folder / (slugify(stem) + extension)
    if target.is_symlink():
        raise ExportError(
            "is a symbolic link, so writing it could change a file outside the output folder",
            file=str(target),
            field="out",
            hint="remove the link and run again",
        )
    if target.resolve().parent != folder.resolve():  # belt and braces: slugs hold no separators
        raise ExportError("output path escapes the output folder", file=str(target), field="out")
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise cannot_write(folder, exc) from None
    try:
        os.fchmod(handle, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the file the usual mode
        with os.fdopen(handle, "wb") as stream:
            stream.write(body)
        owners.mark(temp, owner)
        os.replace(temp, target)
    except BaseException as exc:
        if os.path.exists(temp):
            os.unlink(temp)
        if isinstance(exc, OSError):  # disk full, the name taken by a folder, ...
            raise cannot_write(target, exc) from None
        raise
    return target


def cannot_write(path: Path, exc: OSError) -> ExportError:
    """An OS error writing the output as one line naming the path (exit 2)."""
    return ExportError(
        f"cannot be written: {exc.strerror or exc}",
        file=str(path),
        field="out",
        hint="choose an output folder you can write to, whose parents are folders",
    )
