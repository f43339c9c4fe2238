"""How jdkit writes values as words: money, pay ranges, dates, FLSA status, codes, sentences.

A leaf module (it imports only the models and ``jdkit.origins``): the document layer
(``jdkit.document``) builds every sentence with it, and ``jdkit.render`` re-exports the
older names (``money``, ``pay_range``, ...) for the code that still imports them there.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from .models import JobDescription

__all__ = [
    "NO_PAY",
    "PERIOD_WORDS",
    "money",
    "pay_range",
    "flsa_text",
    "target",
    "label",
    "us_date",
    "clean",
    "sentence",
    "sentences",
    "lower_first",
    "join_words",
    "count",
]

NO_PAY = "To be set by the practice"  # what every format says where the practice set no pay
PERIOD_WORDS = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month", "YEAR": "year"}
CURRENCY_SIGNS = {"USD": "$"}

# Characters no document format should carry: C0 controls (tab and newline aside), DEL, lone
# surrogates, non-characters, and the bidi overrides/isolates that would reverse following text.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
_END = re.compile(r"[.!?:;…][\"'”’)\]]*$")


def money(amount: float | None, currency: str = "USD", *, cents: bool | None = None) -> str:
    """Format an amount: ``$68,000`` or ``$30.50``; whole amounts lose their cents unless
    ``cents``."""
    if amount is None:
        return ""
    sign = CURRENCY_SIGNS.get(currency)
    if cents is None:
        cents = not float(amount).is_integer()
    number = f"{amount:,.2f}" if cents else f"{amount:,.0f}"
    return f"{sign}{number}" if sign else f"{number} {currency}"


def pay_range(model: JobDescription) -> str:
    """The practice's own pay range as words: ``$68,000 to $92,000 per year``; empty when it set
    none.

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
        low_text, high_text = (
            money(low, pay.currency, cents=cents),
            money(high, pay.currency, cents=cents),
        )
        return f"{low_text} to {high_text}{per}"
    if low is not None:
        return f"from {money(low, pay.currency)}{per}"
    if high is not None:
        return f"up to {money(high, pay.currency)}{per}"
    return ""


def flsa_text(model: JobDescription) -> str:
    """The FLSA status as a reader writes it: ``Exempt (executive exemption)``, ``Non-exempt``;
    empty if unset."""
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


def label(value: str | None) -> str:
    """Turn a code into words: ``FULL_TIME`` -> ``Full time``, ``patient_satisfaction`` -> ..."""
    if not value:
        return ""
    text = value.replace("_", " ").replace("-", " ").lower()
    return text[:1].upper() + text[1:]


def us_date(day: dt.date | None) -> str:
    """A date as US readers write it: ``November 16, 2026``; empty for ``None``."""
    return f"{day:%B} {day.day}, {day.year}" if day else ""


def clean(text: str) -> str:
    """Text as every format can hold it: control characters and bidi overrides dropped, spaces
    collapsed."""
    return " ".join(_CONTROL.sub("", text).split())


def sentence(text: str) -> str:
    """``text`` as a sentence: cleaned, first letter capital, ending with a full stop unless it has
    one."""
    text = clean(text)
    if not text:
        return ""
    text = text[:1].upper() + text[1:]
    return text if _END.search(text) else text + "."


def sentences(parts: Iterable[str | None]) -> str:
    """Join clauses as sentences: ``["x.", "y"]`` -> ``"X. Y."`` (never ``"x.; y"``)."""
    return " ".join(s for s in (sentence(p) for p in parts if p) if s)


def lower_first(text: str) -> str:
    """Lower-case a leading common word inside a sentence (``All employees`` -> ``all employees``),
    leaving names and titles (``Physician Owner``, ``EHR support``) as written."""
    words = text.split(" ", 2)
    first = words[0]
    if not first[:1].isupper() or not first[1:].islower():
        return text  # an acronym, a number or already lower-case
    if len(words) > 1 and words[1][:1].isupper():
        return text  # a title: "Physician Owner", "Medical Assistant"
    return first[:1].lower() + text[1:]


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c`` (no serial comma, as the role library writes)."""
    items = [i for i in items if i]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def count(value: float, noun: str) -> str:
    """``15 vacation days``, ``1 paid holiday``: a number and its noun, singular for one."""
    return f"{value:g} {noun[:-1] if value == 1 and noun.endswith('s') else noun}"
