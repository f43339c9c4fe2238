"""Reading untrusted input: bounded reads of regular files, and the checks YAML and JSON skip.

``read_bytes`` reads at most a limit plus one byte, and only from a regular file: a FIFO, a
device (a link to ``/dev/zero``) or a folder is refused with one line before it is opened.
``node_lines`` (a composed YAML tree) and ``json_lines`` (JSON text) map each dotted field to
its line and refuse what the parsers would accept silently: a key given twice (the last
would win), a non-standard YAML tag, nesting deeper than any parameter file needs, and text
no UTF-8 file can hold. Every refusal is a ``ParamsError`` naming the file, field and line.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from typing import Any

import yaml

from .errors import ParamsError

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "EXTENSIONS",
    "STANDARD_TAGS",
    "read_bytes",
    "node_lines",
    "json_lines",
    "check_text",
    "line_for",
    "too_big",
    "too_deep",
    "bad_value",
    "duplicate",
]

MAX_BYTES = 1_000_000  # a real parameter file is a few KB; refuse anything absurd early
# The deepest field of a parameter file is 4 levels down (qualifications.certifications.0.name).
MAX_DEPTH = 20
EXTENSIONS = (".yaml", ".yml", ".json")  # what a folder's parameter files end with, in any case

# The YAML tags a parameter file may hold: plain text, numbers, booleans, null, lists, mappings
# and merge keys. Others (!!set, !!binary, !!omap, !!timestamp, !!python/..., !custom) are refused,
# so every path (render, check, the notebook's papermill parameters) sees the same plain data.
_YAML = "tag:yaml.org,2002:"
STANDARD_TAGS = frozenset(
    _YAML + name for name in ("str", "int", "float", "bool", "null", "seq", "map", "merge")
)


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_bytes(
    path: str | os.PathLike[str], *, limit: int = MAX_BYTES, what: str = "a parameter file"
) -> bytes:
    """Read a regular file of at most ``limit`` bytes; refuse folders, pipes and devices with one
    line.

    Never reads more than ``limit + 1`` bytes and never blocks on a FIFO (a symlink to
    ``/dev/zero`` or a pipe is refused before it is opened, and checked again once open).
    """
    name = os.fspath(path)

    def refuse(mode: int) -> ParamsError:
        if stat.S_ISDIR(mode) and not name.rstrip("/").lower().endswith(EXTENSIONS):
            return ParamsError(
                f"is a folder holding no parameter files ({', '.join(EXTENSIONS)})",
                file=name,
                field="(file)",
                hint="add parameter files to it; a .csv or .xlsx table is read when named",
            )
        if stat.S_ISDIR(mode):
            return ParamsError(
                f"is a folder, not {what}",
                file=name,
                field="(file)",
                hint="rename the folder, or name it without a parameter-file extension",
            )
        kind = next((label for test, label in _KINDS if test(mode)), "not a regular file")
        return ParamsError(
            f"is {kind}, not {what}",
            file=name,
            field="(file)",
            hint="give a regular file (copy the data into one)",
        )

    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):
            raise refuse(info.st_mode)
        if info.st_size > limit:
            raise too_big(name, info.st_size, limit)
        fd = os.open(
            name,
            os.O_RDONLY
            | getattr(os, "O_NONBLOCK", 0)
            | getattr(os, "O_NOCTTY", 0)
            | getattr(os, "O_CLOEXEC", 0),
        )
        try:
            opened = os.fstat(fd).st_mode
            if not stat.S_ISREG(opened):  # replaced between the two looks
                raise refuse(opened)
            chunks: list[bytes] = []
            left = limit + 1
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
        finally:
            os.close(fd)
    except OSError as exc:
        raise ParamsError(
            f"cannot be read: {exc.strerror or exc}",
            file=name,
            field="(file)",
            hint="check the path and its permissions",
        ) from None
    raw = b"".join(chunks)
    if len(raw) > limit:  # grew while being read
        raise too_big(name, len(raw), limit)
    return raw


def too_big(file: str, size: int, limit: int = MAX_BYTES) -> ParamsError:
    kind = "a parameter file" if limit == MAX_BYTES else "this kind of file"
    return ParamsError(
        f"is {size / 1e6:.1f} MB, over the {limit / 1e6:.0f} MB limit for {kind}",
        file=file,
        field="(file)",
        hint="a parameter file holds one practice; split or trim it",
    )


MAX_NODES = 20_000  # far above any real file; stops alias "billion laughs" expansion


def node_lines(node: yaml.Node, file: str) -> dict[str, int]:
    """Map each dotted path in a composed YAML tree to its 1-based line.

    Aliases are walked as expanded, so the walk also bounds the expanded size. On the way it
    refuses what YAML would otherwise accept silently: a key given twice in one mapping (the
    last would win), a tag outside ``STANDARD_TAGS``, nesting deeper than ``MAX_DEPTH`` and text
    no UTF-8 file can hold (a lone surrogate written as an escape).
    """
    lines: dict[str, int] = {}
    stack: list[tuple[yaml.Node, str, int]] = [(node, "", 0)]
    while stack:
        current, prefix, depth = stack.pop()
        if len(lines) > MAX_NODES:
            raise ParamsError(
                f"expands to more than {MAX_NODES} values",
                file=file,
                field="(file)",
                hint="remove YAML anchors and aliases (&name, *name)",
            )
        line = current.start_mark.line + 1
        if current.tag not in STANDARD_TAGS:
            raise ParamsError(
                f"uses the YAML tag {tag_name(current.tag)}, which a parameter file may not hold",
                file=file,
                field=prefix or "(file)",
                line=line,
                hint="remove the tag and write plain text, numbers, lists and mappings",
            )
        if depth > MAX_DEPTH:
            raise too_deep(file, line)
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                if key.tag not in STANDARD_TAGS:
                    raise ParamsError(
                        f"uses the YAML tag {tag_name(key.tag)}, "
                        "which a parameter file may not hold",
                        file=file,
                        field=prefix or "(file)",
                        line=key.start_mark.line + 1,
                        hint="remove the tag and write plain text, numbers, lists and mappings",
                    )
                path = f"{prefix}.{key.value}" if prefix else str(key.value)
                if isinstance(key, yaml.ScalarNode) and key.tag != _YAML + "merge":
                    if key.value in seen:
                        raise duplicate(file, path, seen[key.value], key.start_mark.line + 1)
                    seen[key.value] = key.start_mark.line + 1
                    check_text(key.value, file, {}, path)
                lines[path] = key.start_mark.line + 1
                stack.append((value, path, depth + 1))
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                path = f"{prefix}.{index}" if prefix else str(index)
                lines[path] = item.start_mark.line + 1
                stack.append((item, path, depth + 1))
        elif isinstance(current.value, str):
            check_text(current.value, file, {}, prefix or "(file)", line)
    return lines


def tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag


def duplicate(file: str, path: str, first: int, second: int) -> ParamsError:
    return ParamsError(
        f"is given twice, on lines {first} and {second}; "
        "the second would silently replace the first",
        file=file,
        field=path,
        line=second,
        hint="keep one of them",
    )


def too_deep(file: str, line: int | None) -> ParamsError:
    return ParamsError(
        f"nests lists or mappings more than {MAX_DEPTH} levels deep",
        file=file,
        field="(file)",
        line=line,
        hint="a parameter file nests at most 4 levels; see 'jdkit schema'",
    )


def bad_value(exc: ValueError, file: str, kind: str) -> ParamsError:
    text = " ".join(str(exc).split())
    if "digits" in text:  # int('1' * 5001): Python's guard against huge numbers
        return ParamsError(
            f"holds a number of more than {sys.get_int_max_str_digits()} digits",
            file=file,
            field="(file)",
            hint="no field takes a number that long; check the value",
        )
    return ParamsError(
        f"is not valid {kind}: {text[:200]}",
        file=file,
        field="(file)",
        hint="check the values' syntax",
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(
    value: Any, file: str, lines: dict[str, int], path: str = "", line: int | None = None
) -> None:
    """Refuse text no UTF-8 document can hold: a lone surrogate (``"\\ud800"`` written as an
    escape)."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise ParamsError(
                    "holds a lone UTF-16 surrogate (an escape such as \\ud800), which is not text",
                    file=file,
                    field=where or "(file)",
                    line=line or line_for(lines, where.split(".")),
                    hint="remove the escape or write the character itself",
                )
        elif isinstance(item, dict):
            stack.extend((v, f"{where}.{k}" if where else str(k)) for k, v in item.items())
            stack.extend((k, where) for k in item if isinstance(k, str))
        elif isinstance(item, list):
            stack.extend((v, f"{where}.{i}" if where else str(i)) for i, v in enumerate(item))


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def json_lines(text: str, file: str) -> dict[str, int]:
    """Map each dotted path of (valid) JSON text to its 1-based line; refuse duplicate keys and deep
    nesting.

    A plain loop over the tokens, no recursion; json.loads has already checked the syntax.
    """
    lines: dict[str, int] = {}
    # frames: [path, keys seen (None for a list), current key or index, expecting a key]
    stack: list[list[Any]] = []
    line, last = 1, 0

    def here() -> str | None:
        if not stack:
            return None
        top = stack[-1]
        return f"{top[0]}.{top[2]}" if top[0] else str(top[2])

    for match in _JSON_TOKEN.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        token = match.group()
        top = stack[-1] if stack else None
        if token in "{[":
            path = here() or ""
            if top is not None and top[1] is None:
                lines[path] = line
            stack.append([path, {} if token == "{" else None, 0, token == "{"])
            if len(stack) > MAX_DEPTH:
                raise too_deep(file, line)
        elif token in "}]":
            stack.pop()
        elif token == ":":
            top[3] = False  # type: ignore[index]
        elif token == ",":
            if top is not None and top[1] is None:
                top[2] += 1
            elif top is not None:
                top[3] = True
        elif top is not None and top[1] is not None and top[3]:  # a key
            key = json.loads(token)
            if key in top[1]:
                raise duplicate(file, f"{top[0]}.{key}" if top[0] else key, top[1][key], line)
            top[1][key] = line
            top[2] = key
            lines[here() or key] = line
        elif top is not None and top[1] is None:  # a scalar in a list
            lines[here() or ""] = line
    return lines


def line_for(lines: dict[str, int], loc: list[str]) -> int | None:
    for end in range(len(loc), 0, -1):  # the deepest path the file itself holds
        line = lines.get(".".join(loc[:end]))
        if line:
            return line
    return None
