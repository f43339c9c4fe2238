"""What editor each model field needs, read from its annotation: ``Spec``,
``describe``, ``field_specs``.

``describe`` reads a field's annotation (``str`` with a length, bounded ``int``/``float``,
``Literal``, ``date``, ``bool``, ``list[...]``, a nested model, each maybe ``| None``) into a
``Spec``. ``title_of`` and ``choice_label`` give the words the form shows for a field and a
choice. Nothing here builds a widget, so ``jdkit.form.words`` can name fields without them.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from ..models import US_STATES
from ..params import plain
from ..render import label

__all__ = ["Spec", "describe", "field_specs", "is_table", "title_of", "choice_label", "LABELS"]

# Fields whose choices the annotation cannot tell (validated in code, not by a Literal).
CHOICES: dict[tuple[str, str], list[tuple[str, Any]]] = {
    ("Practice", "state"): [(f"{code} {name}", code) for code, name in US_STATES.items()],
}
LONG_TEXT = 200  # a ``str`` allowed more characters than this gets a Textarea
LABELS = {
    "flsa_status": "FLSA status",
    "onet_soc": "O*NET-SOC code",
    "hsa_fsa": "HSA / FSA",
    "pto": "Paid time off",
    "salary_min": "Minimum pay",
    "salary_max": "Maximum pay",
    "market_soc": "Market SOC code",
    "apply_url": "Apply URL",
    "apply_email": "Apply e-mail",
    "postal_code": "ZIP code",
    "within_months": "Within months",
    "marginal": "Marginal duties",
    "weight_lb": "Weight (lb)",
    "exposure": "Bloodborne exposure (OSHA)",
    "exposure_tasks": "Tasks with exposure",
    "chemicals": "Hazardous chemicals",
    "at_will": "At-will statement",
    "not_a_contract": "Not-a-contract statement",
    "benefits_not_contract": "Benefits-not-a-contract statement",
    "acknowledgment": "Signature block",
    "exclusion_screening": "Exclusion screening (OIG, SAM)",
    "work_authorization": "Work authorization (I-9)",
}
CHOICE_LABELS = {
    "HOUR": "Per hour",
    "DAY": "Per day",
    "WEEK": "Per week",
    "MONTH": "Per month",
    "YEAR": "Per year",
    "USD": "USD",
}


def title_of(name: str) -> str:
    """The label shown for a field name: ``salary_min`` -> ``Minimum pay``, ``city`` -> ``City``."""
    return LABELS.get(name) or label(name)


def choice_label(value: Any) -> str:
    """A choice as the form lists it: ``FULL_TIME`` -> ``Full time``,
    ``non-exempt`` -> ``Non-exempt``."""
    text = str(value)
    if text in CHOICE_LABELS:
        return CHOICE_LABELS[text]
    text = text.replace("_", " ")
    return text[:1].upper() + text[1:].lower() if text.isupper() else text[:1].upper() + text[1:]


@dataclass
class Spec:
    """What kind of editor a field needs, read from its annotation."""

    kind: str  # text, textarea, int, float, choice, date, bool, list, model
    optional: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: list[tuple[str, Any]] = field(default_factory=list)
    item: Spec | None = None
    model: type[BaseModel] | None = None
    default: Any = None
    required: bool = False  # no default: the model needs a value


def describe(
    annotation: Any,
    metadata: list[Any] | tuple[Any, ...] = (),
    *,
    owner: str = "",
    name: str = "",
    default: Any = None,
) -> Spec:
    """Read ``annotation`` (plus pydantic ``metadata``) into a ``Spec``."""
    optional = False
    meta = list(metadata)
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            meta.extend(m for e in extra for m in (getattr(e, "metadata", None) or [e]))
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            annotation = args[0]
        else:
            break
    spec = Spec(kind="text", optional=optional, default=default)
    if (owner, name) in CHOICES:
        spec.kind, spec.choices = "choice", CHOICES[owner, name]
    elif origin is typing.Literal:
        spec.kind, spec.choices = (
            "choice",
            [(choice_label(v), v) for v in typing.get_args(annotation)],
        )
    elif origin is list:
        (inner,) = typing.get_args(annotation)
        spec.kind, spec.item = "list", describe(inner, owner=owner, name=name)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        spec.kind, spec.model = "model", annotation
    elif annotation is bool:
        spec.kind = "bool"
    elif annotation in (int, float):
        spec.kind = annotation.__name__
        for m in meta:  # annotated_types Gt/Ge/Lt/Le
            spec.minimum = next(
                (getattr(m, k) for k in ("ge", "gt") if getattr(m, k, None) is not None),
                spec.minimum,
            )
            spec.maximum = next(
                (getattr(m, k) for k in ("le", "lt") if getattr(m, k, None) is not None),
                spec.maximum,
            )
    elif annotation is dt.date:
        spec.kind = "date"
    else:
        longest = max((getattr(m, "max_length", None) or 0 for m in meta), default=0)
        spec.kind = "textarea" if longest > LONG_TEXT else "text"
    return spec


def field_specs(model: type[BaseModel], exclude: tuple[str, ...] = ()) -> dict[str, Spec]:
    """The ``Spec`` of every field of ``model`` except ``exclude``, in declaration order."""
    return dict(_field_specs(model, exclude))


@functools.cache
def _field_specs(model: type[BaseModel], exclude: tuple[str, ...]) -> tuple[tuple[str, Spec], ...]:
    specs = []
    for name, info in model.model_fields.items():
        if name in exclude:
            continue
        default = info.get_default(call_default_factory=True)
        spec = describe(
            info.annotation,
            info.metadata,
            owner=model.__name__,
            name=name,
            default=None if default is PydanticUndefined else plain(default),
        )
        spec.required = default is PydanticUndefined
        specs.append((name, spec))
    return tuple(specs)


def is_table(spec: Spec) -> bool:
    """True for a list of a model whose fields are all short (a table: one row per item)."""
    item = spec.item
    if item is None or item.kind != "model" or item.model is None:
        return False
    return all(
        s.kind not in ("list", "model", "textarea") for s in field_specs(item.model).values()
    )
