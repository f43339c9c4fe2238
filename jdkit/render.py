"""Render a ``JobDescription`` to text: model + format name -> str. No file writes.

Text formats live in a registry (``register``), like papermill's engines: the built-in
ones are Jinja2 templates (``html``, ``md``); other modules register theirs by dotted
name so that nothing heavy is imported until it is used.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from .errors import TemplateError
from .models import SECTIONS, JobDescription

__all__ = ["FORMATS", "NO_PAY", "register", "render", "environment", "formats", "benefit_rows", "flsa_text"]

Renderer = Callable[..., str]

# format -> a Renderer, or "module:function" imported on first use.
FORMATS: dict[str, Renderer | str] = {
    "html": "jdkit.render:render_html",
    "md": "jdkit.render:render_markdown",
    "jsonld": "jdkit.export.jsonld:render_jsonld",
}

PERIOD_WORDS = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month", "YEAR": "year"}
CURRENCY_SIGNS = {"USD": "$"}


def register(fmt: str, renderer: Renderer | str) -> None:
    """Register a text renderer (or its ``"module:function"`` name) for ``fmt``."""
    FORMATS[fmt] = renderer


def formats() -> list[str]:
    """Return the names of every registered text format."""
    return sorted(FORMATS)


def render(model: JobDescription, fmt: str = "html", *, templates: str | os.PathLike[str] | None = None,
           **options: Any) -> str:
    """Render ``model`` as ``fmt`` text; ``templates`` is a folder overriding built-ins by name."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise TemplateError(f"unknown format {fmt!r}", field="--to",
                            hint=f"use one of: {', '.join(formats())}") from None
    if isinstance(renderer, str):
        module, _, name = renderer.partition(":")
        renderer = FORMATS[fmt] = getattr(importlib.import_module(module), name)
    return renderer(model, templates=templates, **options)


def render_html(model: JobDescription, *, templates: str | os.PathLike[str] | None = None,
                **options: Any) -> str:
    """Render the standalone HTML document (autoescaped)."""
    return render_template("document.html.j2", model, templates=templates, **options)


def render_markdown(model: JobDescription, *, templates: str | os.PathLike[str] | None = None,
                    **options: Any) -> str:
    """Render the Markdown document."""
    return render_template("document.md.j2", model, templates=templates, **options)


def render_template(name: str, model: JobDescription, *, templates: str | os.PathLike[str] | None = None,
                    **options: Any) -> str:
    """Render the template ``name`` with ``model`` as ``jd`` and ``options`` as extra context."""
    env = environment(os.fspath(templates) if templates else None, markdown=name.endswith(".md.j2"))
    try:
        template = env.get_template(name)
        return template.render(jd=model, sections=SECTIONS, **options)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name!r} not found", file=str(templates or "built-in templates"),
                            field="--templates", hint="name the file as the built-in one it overrides") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}", file=exc.filename or name,
                            line=exc.lineno, field="--templates", hint="fix the Jinja2 syntax") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"template uses an undefined value: {exc.message}", file=name, field="--templates",
                            hint="use only fields of the JobDescription model (see 'jdkit schema')") from None


def builtin_templates() -> Path:
    """Return the folder of the built-in document templates."""
    from importlib import resources

    return Path(str(resources.files("jdkit.templates") / "document"))


@functools.cache
def environment(user_dir: str | None = None, *, markdown: bool = False) -> jinja2.Environment:
    """Return the (cached) Jinja2 environment; ``user_dir`` templates win over built-ins.

    HTML, XML and SVG templates are autoescaped; in the Markdown environment every
    printed value passes through ``md_escape`` instead, so no text can inject markup.
    """
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        if not os.path.isdir(user_dir):
            raise TemplateError("is not a folder", file=user_dir, field="--templates",
                                hint="give a folder holding templates such as document.html.j2")
        loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders.append(jinja2.FileSystemLoader(builtin_templates()))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_bytecode_cache(),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=md_escape if markdown else None,
    )
    env.globals["NO_PAY"] = NO_PAY
    env.filters.update(money=money, pay_range=pay_range, flsa_text=flsa_text, target=target, label=label, jsonld_script=jsonld_script,
                       org_chart=org_chart)
    return env


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Cache compiled templates across runs (saves ~80 ms per cold ``jdkit render``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "jdkit", "jinja")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:  # a read-only home: compile every time
        return None
    return jinja2.FileSystemBytecodeCache(folder)


def _autoescape(name: str | None) -> bool:
    return bool(name) and any(part in ("html", "htm", "xml", "svg") for part in str(name).split(".")[1:])


def money(amount: float | None, currency: str = "USD", *, cents: bool | None = None) -> str:
    """Format an amount: ``$68,000`` or ``$30.50``; whole amounts lose their cents unless ``cents``."""
    if amount is None:
        return ""
    sign = CURRENCY_SIGNS.get(currency)
    if cents is None:
        cents = not float(amount).is_integer()
    number = f"{amount:,.2f}" if cents else f"{amount:,.0f}"
    return f"{sign}{number}" if sign else f"{number} {currency}"


NO_PAY = "To be set by the practice"  # what every format says where the practice set no pay


def pay_range(model: JobDescription) -> str:
    """The practice's own pay range as words: ``$68,000 to $92,000 per year``; empty when it set none.

    Only figures the practice set count (``jdkit.origins``): a default is never shown as its pay.
    """
    from .origins import practice_pay

    pay = model.compensation
    low, high = practice_pay(model)
    per = f" per {PERIOD_WORDS[pay.period]}"
    if low is not None and high is not None:
        if low == high:
            return money(low, pay.currency) + per
        cents = not (float(low).is_integer() and float(high).is_integer())
        return f"{money(low, pay.currency, cents=cents)} to {money(high, pay.currency, cents=cents)}{per}"
    if low is not None:
        return f"from {money(low, pay.currency)}{per}"
    if high is not None:
        return f"up to {money(high, pay.currency)}{per}"
    return ""


def flsa_text(model: JobDescription) -> str:
    """The FLSA status as a reader writes it: ``Exempt (executive exemption)``, ``Non-exempt``; empty if unset."""
    status = model.position.flsa_status
    if status == "non-exempt":
        return "Non-exempt"
    if status == "exempt":
        kind = model.position.exemption
        return f"Exempt ({kind} exemption)" if kind else "Exempt"
    return ""


def target(metric: Any) -> str:
    """A metric's target as words: ``at most 35 days``."""
    value = f"{metric.target:g}"
    unit = metric.unit
    joined = f"{value}%" if unit in ("%", "percent") else f"{value} {unit}"
    return f"{metric.comparison} {joined}"


def jsonld_script(model: JobDescription) -> Any:
    """The schema.org ``JobPosting`` as markup safe inside ``<script type="application/ld+json">``."""
    # By name, like FORMATS: only pages that embed it pay for it, and no import cycle.
    return importlib.import_module("jdkit.export.jsonld").script_json(model)


def benefit_rows(model: JobDescription) -> list[tuple[str, str]]:
    """The benefits as (benefit, details) rows, worded as in the HTML document's table."""
    b, currency = model.benefits, model.compensation.currency
    rows: list[tuple[str, str]] = []
    if b.health:
        kinds = ", ".join(k for k in ("medical", "dental", "vision") if getattr(b.health, k)).capitalize()
        text = f"{kinds} cover"
        if b.health.employer_premium_share is not None:
            text += f"; the practice pays {b.health.employer_premium_share:g}% of the premium"
        rows.append(("Health", text + (f"; {b.health.hsa_fsa}" if b.health.hsa_fsa else "")))
    if b.pto:
        days = [f"{value:g} {name}" for value, name in ((b.pto.vacation_days, "vacation days"),
                (b.pto.sick_days, "sick days"), (b.pto.holidays, "paid holidays")) if value is not None]
        extra = [t for t in (b.pto.accrual, b.pto.restrictions) if t]
        rows.append(("Paid time off", "; ".join([", ".join(days) + " a year", *extra] if days else extra)))
    if b.retirement:
        r = b.retirement
        rows.append(("Retirement", r.plan + (f"; employer match: {r.match}" if r.match else "")
                     + (f"; vesting: {r.vesting}" if r.vesting else "")))
    if b.development:
        d = b.development
        parts = [f"{money(d.budget, currency)} a year" if d.budget else "",
                 f"for {', '.join(d.covers)}" if d.covers else ""]
        rows.append(("Professional development", " ".join(p for p in parts if p)
                     + (f"; {d.how_to_request}" if d.how_to_request else "")))
    rows += [("Other", text) for text in b.other]
    return rows


def org_chart(model: JobDescription) -> Any:
    """The reporting-structure chart as inline SVG markup (escaped as it is built)."""
    from markupsafe import Markup

    from .orgchart import org_chart_svg

    return Markup(org_chart_svg(model))  # noqa: S704 - every text node is escaped by org_chart_svg


def label(value: str | None) -> str:
    """Turn a code into words: ``FULL_TIME`` -> ``Full time``, ``patient_satisfaction`` -> ..."""
    if not value:
        return ""
    text = value.replace("_", " ").replace("-", " ").lower()
    return text[:1].upper() + text[1:]


def md_escape(value: Any) -> Any:
    """Make text safe inside Markdown: no raw HTML tags, no table breaks, one line."""
    if not isinstance(value, str):
        return value
    text = " ".join(str(value).split())
    text = text.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return text


class _CallableModule(types.ModuleType):
    """``jdkit.render`` is both this module and the function: Python rebinds the package
    attribute to the submodule on first import, so the module itself must be callable."""

    def __call__(self, model: JobDescription, fmt: str = "html", **options: Any) -> str:
        return render(model, fmt, **options)


sys.modules[__name__].__class__ = _CallableModule
