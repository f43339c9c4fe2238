"""One exception hierarchy for jdkit.

Core code raises these and never prints or exits; ``jdkit.cli`` turns them into one
line on stderr and the exit code they carry (as click's exceptions do).
"""

from __future__ import annotations

__all__ = [
    "JdkitError",
    "ParamsError",
    "UnknownRoleError",
    "TemplateError",
    "ExportError",
]


class JdkitError(Exception):
    """Base of every jdkit error: a message plus where it happened and how to fix it.

    Attributes:
        message: what is wrong, one sentence.
        file: the input file concerned, if any.
        field: the dotted field path concerned (``compensation.salary_min``), if any.
        line: the 1-based line in ``file``, where known.
        hint: how to fix it.
        exit_code: the process exit code the CLI uses for this error.
    """

    exit_code: int = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        field: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.field = field
        self.line = line
        self.hint = hint

    def format(self) -> str:
        """Return the error as one line: ``file:line: field: message (fix: hint)``."""
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        field = f"{self.field}: " if self.field else ""
        hint = f" (fix: {self.hint})" if self.hint else ""
        text = f"{where}{field}{self.message}{hint}"
        return " ".join(text.split())  # one line, whatever the parts held

    def __str__(self) -> str:
        return self.format()


class ParamsError(JdkitError):
    """A parameter file (or spreadsheet row) that cannot be read or does not validate."""


class UnknownRoleError(ParamsError):
    """A parameter file names a role the library does not have."""


class TemplateError(JdkitError):
    """A template that cannot be found or fails to render."""


class ExportError(JdkitError):
    """An export that cannot run here (for example, no Chromium for PDF)."""
