"""The Jinja2 environment of jdkit's templates: built-ins overridable by name, autoescaped, strict.

HTML, XML and SVG templates are autoescaped; in the Markdown environment every printed
value passes through ``md_escape`` instead, so no field's text can become Markdown syntax
(links, images, headings, rules, emphasis, tables, reference definitions, raw HTML).
A leaf module: writers (``jdkit.document.writers``, ``jdkit.diff``) use it, it uses none of them.
Rendering writes nothing: only an edge (the CLI, the batch's forkserver) turns on the cache of
compiled templates on disk, ``use_bytecode_cache``.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .errors import TemplateError
from .wording import NO_PAY, flsa_text, label, money, pay_range, target, us_date

__all__ = [
    "environment",
    "render_template",
    "builtin_templates",
    "md_escape",
    "use_bytecode_cache",
    "use_user_cache",
    "bytecode_cache_dir",
]

# set by use_bytecode_cache; None: compile in memory, write nothing
_cache_folder: str | None = None


def builtin_templates() -> Path:
    """Return the folder of the built-in document templates."""
    from importlib import resources

    return Path(str(resources.files("jdkit.templates") / "document"))


@functools.cache
def environment(user_dir: str | None = None, *, markdown: bool = False) -> jinja2.Environment:
    """Return the (cached) Jinja2 environment; ``user_dir`` templates win over built-ins."""
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        if not os.path.isdir(user_dir):
            raise TemplateError(
                "is not a folder",
                file=user_dir,
                field="templates",
                hint="give a folder holding templates such as document.html.j2",
            )
        loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders.append(jinja2.FileSystemLoader(builtin_templates()))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_bytecode_cache(_cache_folder),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=md_escape if markdown else None,
    )
    env.globals["NO_PAY"] = NO_PAY
    env.filters.update(
        money=money,
        pay_range=pay_range,
        flsa_text=flsa_text,
        target=target,
        label=label,
        us_date=us_date,
    )
    return env


def render_template(
    name: str, *, templates: str | os.PathLike[str] | None = None, **context: Any
) -> str:
    """Render the template ``name`` with ``context``; template problems become ``TemplateError``."""
    env = environment(os.fspath(templates) if templates else None, markdown=name.endswith(".md.j2"))
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"template {exc.name!r} not found",
            file=str(templates or "built-in templates"),
            field="templates",
            hint="name the file as the built-in one it overrides",
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax error: {exc.message}",
            file=exc.filename or name,
            line=exc.lineno,
            field="templates",
            hint="fix the Jinja2 syntax",
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"template uses an undefined value: {exc.message}",
            file=name,
            field="templates",
            hint="use only fields of the JobDescription model (see 'jdkit schema') "
            "or of the document tree (doc)",
        ) from None


def bytecode_cache_dir() -> str:
    """The folder for compiled templates: ``jinja`` in the user's cache directory (platformdirs)."""
    import platformdirs

    return os.path.join(platformdirs.user_cache_dir("jdkit", appauthor=False), "jinja")


def use_bytecode_cache(folder: str | os.PathLike[str] | None) -> None:
    """Keep compiled templates in ``folder`` across runs, or (``None``) compile in memory only.

    Compiling jdkit's templates takes ~70 ms a process, loading them from the cache ~2 ms
    (measured here), so the CLI and the batch's forkserver turn it on; the folder is made only
    when a template is first loaded, so commands that render nothing write nothing.
    """
    global _cache_folder
    wanted = os.fspath(folder) if folder is not None else None
    if wanted != _cache_folder:
        # the same folder again (a fork of a warm process) keeps its templates
        _cache_folder = wanted
        environment.cache_clear()


def use_user_cache() -> None:
    """``use_bytecode_cache(bytecode_cache_dir())``: what the CLI and the batch's processes call."""
    use_bytecode_cache(bytecode_cache_dir())


def _bytecode_cache(folder: str | None) -> jinja2.BytecodeCache | None:
    if folder is None:
        return None
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:  # a read-only home: compile every time
        return None
    return jinja2.FileSystemBytecodeCache(folder)


def _autoescape(name: str | None) -> bool:
    return bool(name) and any(
        part in ("html", "htm", "xml", "svg") for part in str(name).split(".")[1:]
    )


# Markdown syntax that works anywhere in a line, and what starts a block only at a line's start.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(#|=|-|\+|\d+(?=[.)]))")


def md_escape(value: Any) -> Any:
    """Make text inert inside Markdown: one line, no raw HTML, no emphasis, links, images, code,
    tables or strikethrough; no heading, rule, list or quote where it starts a line."""
    if isinstance(value, Markup) or not isinstance(value, str):
        # the template's own markup (| safe)
        return str(value) if isinstance(value, Markup) else value
    text = " ".join(value.split())
    text = _MD_INLINE.sub(r"\\\1", text).replace("<", "&lt;").replace(">", "&gt;")
    match = _MD_LINE_START.match(text)
    if match:
        lead = match.group(1)
        text = f"\\{lead}{text[1:]}" if not lead[0].isdigit() else f"{lead}\\{text[len(lead) :]}"
    return text
