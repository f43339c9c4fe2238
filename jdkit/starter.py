"""A starter parameter file for a new practice: the role, the practice, and empty pay keys with
comments on what the law where the practice is asks of the pay (``jdkit new``).

It reads the rule families' law tables (``jdkit.checks``), which read what ``jdkit.params``
builds, so it sits above both rather than in ``jdkit.params``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

import yaml
from pydantic import ValidationError

from . import roles
from .errors import ParamsError, UnknownRoleError

__all__ = ["starter", "pay_notes"]


def starter(
    role_id: str, practice: str, state: str, *, city: str | None = None, today: str | None = None
) -> str:
    """Return a starter parameter file for a practice, as YAML text that ``load`` accepts.

    The pay keys are left empty (pay is the practice's own decision), with comments on what
    the law where the practice is asks for on ``today``: a posted range, the exempt salary
    level, the minimum wage. Every value goes through the YAML emitter, and comments are
    one line each, so no text the user gave can add keys.
    """
    import datetime as dt

    from .models import Practice

    try:
        role = roles.get(role_id)
    except KeyError:
        near = difflib.get_close_matches(role_id, roles.ids(), n=1)
        raise UnknownRoleError(
            f"unknown role {role_id!r}",
            field="role",
            hint=(f"did you mean {near[0]!r}? " if near else "")
            + f"roles: {', '.join(roles.ids())}",
        ) from None
    try:
        checked = Practice(name=practice, state=state, city=city)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise ParamsError(
            err["msg"].removeprefix("Value error, "),
            field=f"practice.{err['loc'][0]}" if err["loc"] else "practice",
            hint="see the practice's name, state and city in the parameter schema",
        ) from None
    day = dt.date.fromisoformat(today) if today else dt.date.today()
    period = role.defaults.get("compensation", {}).get("period", "YEAR")
    head = _comment(
        f"Parameter file for {checked.name}: {role.info['title']} "
        f"(O*NET-SOC {role.info['onet_soc']})."
    ) + _comment(
        "Fill in the blanks; any section of the role may be overridden here. See 'jdkit schema'."
    )
    top = {
        "role": role.id,
        "practice": {
            "name": checked.name,
            "state": checked.state,
            "city": checked.city,
            "specialty": None,
            "employees": None,
            "providers": None,
        },
    }
    pay = {"salary_min": None, "salary_max": None, "period": period}
    review = {"review": {"last_reviewed": day.isoformat(), "owner": None}}
    notes = "".join(
        _comment(line, indent=2)
        for line in pay_notes(checked, {**role.defaults, "_role_id": role.id}, day)
    )
    return (
        head
        + _dump(top)
        + "compensation:\n"
        + notes
        + "".join("  " + line + "\n" for line in _dump(pay).splitlines())
        + _dump(review)
    )


def pay_notes(practice: Any, defaults: Mapping[str, Any], day: Any) -> list[str]:
    """What the law where ``practice`` is asks of this role's pay on ``day``, as comment lines."""
    from .checks.flsa import describe as level
    from .checks.minimum_wage import describe as wage
    from .market_report import suggestion
    from .paylaws import applicable
    from .wages import floor

    status = (defaults.get("position") or {}).get("flsa_status")
    period = (defaults.get("compensation") or {}).get("period", "YEAR")
    exemption = (defaults.get("position") or {}).get("exemption")
    legal = (
        floor("exempt_salary", practice, day, exemption=exemption)
        if status == "exempt"
        else floor("minimum_wage", practice, day)
    )
    at_least = (
        0.0
        if legal is None
        else legal.amount * (2080 if status != "exempt" and period == "YEAR" else 1)
    )
    if period == "HOUR" and status == "exempt":
        at_least = 0.0
    lines = [
        "Pay is the practice's own decision: jdkit's roles hold no pay. Set a good-faith range."
    ]
    role_id = defaults.get("_role_id")
    market = (
        suggestion(str(role_id), practice.state, practice.city, period, at_least=at_least)
        if role_id
        else None
    )
    if market:
        lines.append(market)
    in_force, upcoming = applicable(practice, day)
    for law in in_force:
        asks = [
            w
            for w, on in (
                ("a pay range", True),
                ("a description of benefits", law.benefits),
                ("the date applications close (position.valid_through)", law.deadline),
            )
            if on
        ]
        listed = ", ".join(asks[:-1]) + " and " + asks[-1] if len(asks) > 1 else asks[0]
        lines.append(
            f"{law.label()} requires {listed} in postings"
            + ("" if law.enforced(day) else f" (enforced from {law.enforced_from})")
            + "."
        )
    lines += [
        f"{law.label()} will require a pay range in postings from {law.effective}."
        for law in upcoming
    ]
    if status == "exempt":
        exempt = floor(
            "exempt_salary",
            practice,
            day,
            exemption=(defaults.get("position") or {}).get("exemption"),
        )
        if exempt is not None:
            lines.append(f"Exempt by default: the salary must be at least {level(exempt)}.")
    else:
        minimum = floor("minimum_wage", practice, day)
        if minimum is not None:
            lines.append(f"Non-exempt by default: pay at least the minimum wage, {wage(minimum)}.")
    return lines


def _dump(data: Mapping[str, Any]) -> str:
    body = yaml.safe_dump(
        dict(data), sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
    )
    return body.replace(": null\n", ":\n")


def _comment(text: str, *, indent: int = 0, width: int = 92) -> str:
    """``text`` as YAML comment lines: control characters and line breaks become spaces."""
    import textwrap

    flat = "".join(ch if ch.isprintable() else " " for ch in text)
    pad = " " * indent + "# "
    lines = textwrap.wrap(
        " ".join(flat.split()), width - len(pad), break_long_words=False, break_on_hyphens=False
    )
    return "".join(pad + line + "\n" for line in lines or [""])
