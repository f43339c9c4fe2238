"""What the job-description notebook's cells call, so the notebook itself stays thin.

``model_from`` builds the model from the notebook's parameter variables through
``jdkit.params`` (the same path as ``jdkit render``); ``document`` is the document tree
(``jdkit.document``) as an HTML fragment; ``findings`` the check results; ``show_result``
displays them (``report``, for a person) with the model's data as one structured output
(``RESULT_MIME``), which ``read_result`` reads back from an executed notebook (the batch's
score and model, without building or checking twice); ``pay_figure`` the chart cell's pay
range over the market band (``jdkit.charts``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .charts import pay_chart_svg, pay_figure as pay_figure, pay_row
from .models import JobDescription
from .params import PARAM_KEYS, Params, build

__all__ = [
    "PARAMETERS",
    "model_from",
    "document",
    "findings",
    "report",
    "RESULT_MIME",
    "Result",
    "result",
    "show_result",
    "read_result",
    "pay_figure",
    "warm",
]

# Every top-level key of a parameter file: the notebook's parameters cell declares each one.
PARAMETERS: tuple[str, ...] = ("role", *PARAM_KEYS)


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


def properties(model: JobDescription, kind: str = "description") -> dict[str, str]:
    """The document's file properties, for its notebook output's ``{"jdkit": ...}`` metadata:
    ``title``, ``author`` and ``description``, which the jdkit nbconvert template writes into
    the HTML's head (and so into the PDF's properties), as ``jdkit render`` writes them."""
    from .document import build

    tree = build(model, kind)
    return {"title": tree.full_title, "author": tree.author, "description": tree.subject}


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
