"""One exception hierarchy for jdkit, each class carrying its exit code (as click's exceptions do).

Core code raises these and never prints or exits; ``jdkit.cli`` turns them into one line on
stderr and ``exit_code``, in one place. The design's codes: ``1`` findings or failed
practices (``Failed``), ``2`` bad input or usage (everything else). A ``field`` names a
model field (``compensation.salary_min``) or a library function's option (``out``,
``format``, ``paper``); the command line shows the option as the flag the user typed.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "JdkitError",
    "ParamsError",
    "UnknownRoleError",
    "DataError",
    "MarketError",
    "TemplateError",
    "ExportError",
    "KernelError",
    "UsageError",
    "UnknownFormatError",
    "Reported",
    "Failed",
    "BadInput",
    "Interrupted",
    "InternalError",
]


class JdkitError(Exception):
    """Base of every jdkit error: a message plus where it happened and how to fix it.

    Attributes:
        message: what is wrong, one sentence.
        file: the input file concerned, if any.
        field: the dotted field path concerned (``compensation.salary_min``), or the option's
            name (``out``), if any.
        line: the 1-based line in ``file``, where known.
        hint: how to fix it.
        exit_code: the process exit code the CLI uses for this error (class attribute).
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

    def format(self, names: Mapping[str, str] | None = None) -> str:
        """Return the error as one line: ``file:line: field: message (fix: hint)``.

        ``names`` renames the field as the caller's user knows it (the CLI: ``out`` -> ``--out``).
        """
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        name = (names or {}).get(self.field or "", self.field)
        field = f"{name}: " if name else ""
        hint = f" (fix: {self.hint})" if self.hint else ""
        text = f"{where}{field}{self.message}{hint}"
        return " ".join(text.split())  # one line, whatever the parts held

    def __str__(self) -> str:
        return self.format()


class ParamsError(JdkitError):
    """A parameter file (or spreadsheet row) that cannot be read or does not validate."""

    exit_code = 2


class UnknownRoleError(ParamsError, KeyError):
    """A parameter file names a role the library does not have (a ``KeyError`` too: ``roles.get``
    is a look-up, and its callers catch it as one)."""

    exit_code = 2


class DataError(JdkitError):
    """A reference table that cannot be read or holds a bad row (file, row and column named)."""

    exit_code = 2


class MarketError(JdkitError):
    """An SOC code, state, area or industry for which jdkit ships no OEWS figures."""

    exit_code = 2


class TemplateError(JdkitError):
    """A template that cannot be found or fails to render."""

    exit_code = 2


class ExportError(JdkitError):
    """An export that cannot run here (for example, no Chromium for PDF) or cannot be written."""

    exit_code = 2


class KernelError(JdkitError):
    """A notebook kernel that did not start or answer: its practice fails, the batch goes on."""

    exit_code = 1


class UsageError(JdkitError):
    """An option value the library cannot use (an unknown kind or paper size)."""

    exit_code = 2


class UnknownFormatError(UsageError):
    """A format name that no registered exporter (or report writer) has."""

    exit_code = 2


class Reported(JdkitError):
    """A command's outcome whose reasons are already on screen: the CLI prints nothing more.

    Raised by commands that go on past a bad input or a failure (as click's ``Exit``).
    """

    exit_code = 2


class Failed(Reported):
    """Findings at error level, failed practices, overdue reviews or a difference: exit 1."""

    exit_code = 1


class BadInput(Reported):
    """Some inputs were bad input, each already reported; the others were processed: exit 2."""

    exit_code = 2


class Interrupted(Reported):
    """Stopped by a signal (Ctrl-C, SIGTERM, SIGHUP), already said: exit 128 + the signal's number,
    as shells report a process ended by it (130 for Ctrl-C), outside the design's 0/1/2."""

    exit_code = 130

    def __init__(
        self,
        message: str = "interrupted",
        *,
        signum: int = 2,
        file: str | None = None,
        field: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, file=file, field=field, line=line, hint=hint)
        self.exit_code = 128 + signum  # this signal's, not SIGINT's


class InternalError(JdkitError):
    """A bug in jdkit, not bad input: one line, never a traceback (``JDKIT_DEBUG=1`` shows it)."""

    exit_code = 2
