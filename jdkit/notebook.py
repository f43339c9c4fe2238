"""What the job-description notebook's cells call, so the notebook itself stays thin.

``model_from`` builds the model from the notebook's parameter variables through
``jdkit.params`` (the same path as ``jdkit render``); ``document`` is the rendered
document as an HTML fragment; ``findings`` the check results and ``report`` their
printed form, which ``read_report`` reads back from an executed notebook (the batch's
score, without checking twice); ``pay_chart_svg`` a small inline SVG of pay ranges,
also used by the batch summary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .models import JobDescription
from .origins import practice_pay
from .params import PARAM_KEYS, Params, build

__all__ = ["PARAMETERS", "ANNUAL", "model_from", "document", "findings", "report", "read_report", "pay_row",
           "pay_chart_svg", "warm"]

# Every top-level key of a parameter file: the notebook's parameters cell declares each one.
PARAMETERS: tuple[str, ...] = ("role", *PARAM_KEYS)

# Hours, days, weeks and months in a working year: to compare hourly and yearly pay on one axis.
ANNUAL = {"HOUR": 2080, "DAY": 260, "WEEK": 52, "MONTH": 12, "YEAR": 1}


def model_from(namespace: Mapping[str, Any], *, file: str = "<notebook parameters>") -> JobDescription:
    """Build the model from the parameter variables in ``namespace``; ``None`` means "role default"."""
    data = {key: namespace[key] for key in PARAMETERS if namespace.get(key) is not None}
    return build(Params(data, file=file))


def document(model: JobDescription, *, templates: str | None = None) -> str:
    """The rendered document as an HTML fragment (its style, then its body), for a notebook output."""
    from .render import render_template

    style = render_template("style.css.j2", model, templates=templates)
    body = render_template("body.html.j2", model, templates=templates)
    return f"<style>\n{style}</style>\n{body}"


def findings(model: JobDescription) -> tuple[list[Any], int | None]:
    """The check findings and score, or ``([], None)`` where ``jdkit.checks`` is not installed."""
    try:
        from .checks import check, score
    except ImportError:
        return [], None
    found = check(model)
    return found, score(found)


def report(found: Sequence[Any], score: int | None) -> str:
    """The findings as the notebook prints them: a score line, then one line per finding, severity first."""
    if score is None:
        return "jdkit.checks is not installed: no findings"
    lines = [f"score {score}/100, {len(found)} finding(s)"]
    lines += [f"{f.severity:7} {f.rule}: {f.section}.{f.field}: {' '.join(f.message.split())}" for f in found]
    return "\n".join(lines)


_SCORE_LINE = re.compile(r"score (\d+)/100, (\d+) finding\(s\)")


def read_report(nb: Mapping[str, Any]) -> tuple[int, int] | None:
    """The score and error count that ``report`` printed in an executed notebook's ``jdkit-internal``
    cell, or ``None`` when no cell printed one (another notebook, or checks not installed)."""
    for cell in nb.get("cells", []):
        if "jdkit-internal" not in cell.get("metadata", {}).get("tags", []):
            continue
        text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")
        lines = text.splitlines()
        match = _SCORE_LINE.fullmatch(lines[0]) if lines else None
        if match and len(lines) == 1 + int(match.group(2)):  # the whole report, nothing else printed
            return int(match.group(1)), sum(line.startswith("error ") for line in lines[1:])
    return None


_warmed = False


def warm() -> None:
    """Import and cache what the cells use (models, templates, check tables) with a throw-away model.

    Runs once per process (later calls return at once): in the batch's forkserver, whose forks
    inherit it, or in a spawned kernel while it boots, before any practice is given to it. It
    leaves library caches only: no practice's data is ever in a kernel's namespace.
    """
    global _warmed
    if _warmed:
        return
    _warmed = True
    model = build(Params({"role": "medical-office-manager", "practice": {"name": "Warm-up", "state": "CO"}},
                         file="<warm-up>"))
    document(model)
    findings(model)
    pay_chart_svg([pay_row(model)])


def pay_row(model: JobDescription) -> dict[str, Any]:
    """One practice's pay as a chart row: label, min, max, period and the yearly equivalents."""
    pay = model.compensation
    factor = ANNUAL[pay.period]
    low, high = practice_pay(model)
    return {
        "label": model.practice.name, "min": low, "max": high, "period": pay.period, "currency": pay.currency,
        "year_min": low * factor if low is not None else None,
        "year_max": high * factor if high is not None else None,
    }


def pay_chart_svg(rows: Sequence[Mapping[str, Any]], *, width: int = 640) -> str:
    """A horizontal bar per row from its yearly minimum to maximum, on one axis; escaped SVG."""
    from html import escape

    from .render import money

    drawn = [r for r in rows if r.get("year_min") is not None or r.get("year_max") is not None]
    if not drawn:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1" role="img"></svg>'
    label_w, bar_h, gap, top = 300, 16, 10, 24  # room for "practice: role"
    highs = [r["year_max"] if r.get("year_max") is not None else r["year_min"] for r in drawn]
    scale_max = max(highs) * 1.1
    plot_w = width - label_w - 20
    height = top + len(drawn) * (bar_h + gap) + 20

    def x(value: float) -> float:
        return label_w + plot_w * value / scale_max

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
             '<title>Pay range per year</title>',
             f'<text x="{label_w}" y="14" fill="#5b6675">Pay range per year (hourly pay x 2,080 hours)</text>']
    for index, row in enumerate(drawn):
        y = top + index * (bar_h + gap)
        low = row["year_min"] if row.get("year_min") is not None else row["year_max"]
        high = row["year_max"] if row.get("year_max") is not None else low
        left, right = x(low), max(x(high), x(low) + 2)
        currency = str(row.get("currency") or "USD")
        text = f"{money(low, currency)} to {money(high, currency)}"
        parts.append(f'<text x="{label_w - 8}" y="{y + 12}" text-anchor="end">{escape(str(row["label"])[:50])}</text>')
        parts.append(f'<rect x="{left:.1f}" y="{y}" width="{right - left:.1f}" height="{bar_h}" fill="#1f5f8b" rx="3">'
                     f'<title>{escape(text)}</title></rect>')
        parts.append(f'<text x="{min(right + 6, width - 150):.1f}" y="{y + 12}" fill="#1d2530">{escape(text)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
