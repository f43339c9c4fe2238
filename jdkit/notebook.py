"""What the job-description notebook's cells call, so the notebook itself stays thin.

``model_from`` builds the model from the notebook's parameter variables through
``jdkit.params`` (the same path as ``jdkit render``); ``document`` is the document tree
(``jdkit.document``) as an HTML fragment; ``findings`` the check results; ``show_result``
displays them (``report``, for a person) with the model's data as one structured output
(``RESULT_MIME``), which ``read_result`` reads back from an executed notebook (the batch's
score and model, without building or checking twice); ``pay_chart_svg`` the pay range over
the market band (matplotlib, inline SVG), also used by the batch summary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict, cast

from .models import PERIODS_PER_YEAR, JobDescription
from .origins import practice_pay
from .params import PARAM_KEYS, Params, build

__all__ = [
    "PARAMETERS",
    "ANNUAL",
    "model_from",
    "document",
    "findings",
    "report",
    "RESULT_MIME",
    "Result",
    "result",
    "show_result",
    "read_result",
    "pay_row",
    "market_band",
    "pay_figure",
    "pay_chart_svg",
    "warm",
]

# Every top-level key of a parameter file: the notebook's parameters cell declares each one.
PARAMETERS: tuple[str, ...] = ("role", *PARAM_KEYS)

# Hours, days, weeks and months in a working year: to compare hourly and yearly pay on one axis.
ANNUAL = PERIODS_PER_YEAR


def model_from(
    namespace: Mapping[str, Any], *, file: str = "<notebook parameters>"
) -> JobDescription:
    """Build the model from the parameter variables in ``namespace``; ``None`` means "role
    default"."""
    data = {key: namespace[key] for key in PARAMETERS if namespace.get(key) is not None}
    return build(Params(data, file=file))


def document(
    model: JobDescription, *, templates: str | None = None, kind: str = "description"
) -> str:
    """The document of ``kind`` as an HTML fragment (its style, then its body), for a notebook
    output."""
    from .document.writers import fragment

    return fragment(model, templates=templates, kind=kind)


def findings(model: JobDescription) -> tuple[list[Any], int | None]:
    """The check findings and score, or ``([], None)`` where ``jdkit.checks`` is not installed."""
    try:
        from .checks import check, score
    except ImportError:
        return [], None
    found = check(model)
    return found, score(found)


def report(found: Sequence[Any], score: int | None) -> str:
    """The findings as the notebook shows them: a score line, then one line per finding, severity
    first."""
    if score is None:
        return "jdkit.checks is not installed: no findings"
    lines = [f"score {score}/100, {len(found)} finding(s)"]
    lines += [
        f"{f.severity:7} {f.rule}: {f.section}.{f.field}: {' '.join(f.message.split())}"
        for f in found
    ]
    return "\n".join(lines)


# The kernel's result for the batch: a display of this MIME type in a jdkit-internal cell.
RESULT_MIME = "application/vnd.jdkit.result+json"
RESULT_VERSION = 1


@dataclass(frozen=True)
class Result:
    """What the notebook's kernel worked out for one practice: the score (``None`` without
    checks), the error count, the findings as JSON objects, and the model it built, with the
    origins of its values."""

    score: int | None
    errors: int | None
    findings: list[dict[str, str]]
    model: JobDescription


def result(model: JobDescription, found: Sequence[Any], score: int | None) -> dict[str, Any]:
    """The display bundle of the kernel's result: ``text/plain`` (``report``) for a person reading
    the notebook, and ``RESULT_MIME`` (score, findings, the model's data and origins) for the
    batch, which then neither builds the model again nor reads printed text."""
    from .origins import origins

    where = origins(model)
    data = {
        "version": RESULT_VERSION,
        "score": score,
        "errors": None if score is None else sum(1 for f in found if f.severity == "error"),
        "findings": [f.to_dict() for f in found],
        "model": model.model_dump(mode="json", exclude_computed_fields=True),
        "origins": {name: sorted(getattr(where, name)) for name in ("practice", "role", "jdkit")},
    }
    return {"text/plain": report(found, score), RESULT_MIME: data}


def show_result(model: JobDescription) -> None:
    """Check ``model`` and display the result (``result``): the notebook's jdkit-internal cell."""
    from IPython.display import display

    found, score = findings(model)
    display(result(model, found, score), raw=True)  # type: ignore[no-untyped-call]


def read_result(nb: Mapping[str, Any]) -> Result | None:
    """The ``Result`` an executed notebook's ``jdkit-internal`` cell displayed, or ``None`` when
    none did (a notebook of the user's own that does not call ``show_result``)."""
    from .models import Origins

    for cell in nb.get("cells", []):
        if "jdkit-internal" not in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get(RESULT_MIME)
            if not isinstance(data, Mapping) or data.get("version") != RESULT_VERSION:
                continue
            model = JobDescription.model_validate(data["model"])
            model._origins = Origins(
                **{name: frozenset(paths) for name, paths in data["origins"].items()}
            )
            return Result(data["score"], data["errors"], list(data["findings"]), model)
    return None


_warmed = False


def warm() -> None:
    """Import and cache what the cells use (models, templates, check tables) with a throw-away
    model.

    Runs once per process (later calls return at once): in the batch's forkserver, whose forks
    inherit it, or in a spawned kernel while it boots, before any practice is given to it. It
    leaves library caches only: no practice's data is ever in a kernel's namespace.
    """
    global _warmed
    if _warmed:
        return
    _warmed = True
    model = build(
        Params(
            {"role": "medical-office-manager", "practice": {"name": "Warm-up", "state": "CO"}},
            file="<warm-up>",
        )
    )
    document(model)
    findings(model)
    pay_chart_svg([pay_row(model)])  # imports matplotlib once (a fork inherits it)


def pay_row(model: JobDescription) -> dict[str, Any]:
    """One practice's pay as a chart row: label, min, max, period, the yearly equivalents and the
    market's middle half and median a year where jdkit knows them (``band_p25`` ...; else
    ``None``)."""
    pay = model.compensation
    factor = ANNUAL[pay.period]
    low, high = practice_pay(model)
    return {
        "label": model.practice.name,
        "min": low,
        "max": high,
        "period": pay.period,
        "currency": pay.currency,
        "year_min": low * factor if low is not None else None,
        "year_max": high * factor if high is not None else None,
        **market_band(model),
    }


class MarketBand(TypedDict):
    """The market's middle half and median for a role where it is, a year (or an hour)."""

    band_p25: float | None
    band_median: float | None
    band_p75: float | None


def market_band(model: JobDescription) -> MarketBand:
    """The market band of ``model``'s role where it is (``jdkit.checks.market_pay.band_for``), a
    year."""
    empty: MarketBand = {"band_p25": None, "band_median": None, "band_p75": None}
    try:
        from .checks.market_pay import band_for
    except ImportError:
        return empty
    found = band_for(model)
    if found is None:
        return empty
    band = found[0]
    if band.p25 is None or band.median is None or band.p75 is None:
        return empty
    # band_for: hourly for hourly pay, else yearly
    factor = 2080 if model.compensation.period == "HOUR" else 1
    return {
        "band_p25": band.p25 * factor,
        "band_median": band.median * factor,
        "band_p75": band.p75 * factor,
    }


def pay_figure(model: JobDescription) -> str:
    """The notebook's pay chart as an HTML figure (the chart first, then its caption); a line when
    the practice has set no pay."""
    from html import escape

    from .wording import NO_PAY

    svg = pay_chart_svg([pay_row(model)])
    if not svg:
        return f'<p class="jdkit-pay">Pay range: {escape(NO_PAY)}.</p>'
    return (
        f'<figure class="jdkit-pay" aria-labelledby="pay-chart-caption">{svg}'
        '<figcaption id="pay-chart-caption">Pay range and market band</figcaption></figure>'
    )


def pay_chart_svg(rows: Sequence[Mapping[str, Any]], *, width: float = 7.2, wrap: int = 28) -> str:
    """A bar per row from its yearly minimum to maximum over its market band, on one money axis
    (SVG)."""
    from .charts import ChartRow, range_chart

    drawn = []
    for row in rows:
        low, high = row.get("year_min"), row.get("year_max")
        if low is None and high is None:
            continue
        band = tuple(row.get(k) for k in ("band_p25", "band_median", "band_p75"))
        # At least one of low and high is a number (see above); the band is whole or left out.
        drawn.append(
            ChartRow(
                str(row["label"]),
                cast(float, low if low is not None else high),
                cast(float, high if high is not None else low),
                cast(tuple[float, float, float], band) if None not in band else None,
            )
        )
    if not drawn:
        return ""
    return range_chart(
        drawn, title="Pay range", unit="a year (hourly pay x 2,080 hours)", width=width, wrap=wrap
    )
