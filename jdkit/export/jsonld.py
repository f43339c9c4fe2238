"""schema.org ``JobPosting`` data (JSON-LD) following Google's rules for job postings.

``jobposting(model)`` builds the mapping; ``render_jsonld`` turns it into the text of a
``.jsonld`` file (registered as the render format ``jsonld``); ``script_json`` gives the
same data as markup for ``<script type="application/ld+json">`` (``--embed-jsonld``),
escaped so that no field can close the tag: ``<``, ``>``, ``&`` become ``\\u003c``,
``\\u003e``, ``\\u0026``, which JSON readers decode back to the same text.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from markupsafe import Markup, escape

from ..models import SECTIONS, US_STATES, JobDescription
from ..render import NO_PAY, benefit_rows, label, pay_range, target

__all__ = ["jobposting", "description_html", "dumps", "render_jsonld", "script_json", "DESCRIPTION_TAGS"]

# Google: the description may use only these tags.
DESCRIPTION_TAGS = ("p", "ul", "li", "br", "strong")

# Google's credentialCategory values, matched against the degree's words.
_CREDENTIALS = (
    (re.compile(r"\b(master|doctor|doctorate|ph\.?d|mba|m\.?d|postgraduate)\b", re.I), "postgraduate degree"),
    (re.compile(r"\bbachelor", re.I), "bachelor degree"),
    (re.compile(r"\bassociate", re.I), "associate degree"),
    (re.compile(r"\b(high school|ged|diploma)\b", re.I), "high school"),
)
# Control characters: JSON allows them escaped, but job boards' XML feeds and parsers reject them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                   0x2028: "\\u2028", 0x2029: "\\u2029"}


def jobposting(model: JobDescription) -> dict[str, Any]:
    """Return the schema.org ``JobPosting`` of ``model`` as a JSON-ready mapping.

    Properties the model cannot fill (no posting date, no pay figures) are left out
    rather than guessed; ``jdkit check`` reports them (the ``jobposting`` rules).
    """
    practice, position = model.practice, model.position
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": model.title,
        "description": description_html(model),
        "identifier": {"@type": "PropertyValue", "name": practice.name, "value": model.slug},
    }
    if position.date_posted:
        data["datePosted"] = position.date_posted.isoformat()
    if position.valid_through:
        data["validThrough"] = position.valid_through.isoformat()
    organization: dict[str, Any] = {"@type": "Organization", "name": practice.name}
    if practice.website:
        organization["sameAs"] = practice.website
    data["hiringOrganization"] = organization
    if position.location_type == "remote":
        # Google: TELECOMMUTE only for fully remote jobs, with where applicants may live.
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "State", "name": US_STATES[practice.state]}
    else:
        data["jobLocation"] = {"@type": "Place", "address": postal_address(model)}
    data["employmentType"] = position.employment_type
    salary = base_salary(model)
    if salary:
        data["baseSalary"] = salary
    data["occupationalCategory"] = model.role.onet_soc
    education = education_requirements(model)
    if education:
        data["educationRequirements"] = education
    experience = experience_requirements(model)
    if experience:
        data["experienceRequirements"] = experience
    if model.qualifications.education and model.qualifications.education.equivalent:
        data["experienceInPlaceOfEducation"] = True
    if position.schedule:
        data["workHours"] = position.schedule
    return _cleaned(data)


def postal_address(model: JobDescription) -> dict[str, Any]:
    """The practice's ``PostalAddress``: street, city, state, postal code, country."""
    practice = model.practice
    address: dict[str, Any] = {"@type": "PostalAddress"}
    if practice.street_address:
        address["streetAddress"] = practice.street_address
    if practice.city:
        address["addressLocality"] = practice.city
    address["addressRegion"] = practice.state
    if practice.postal_code:
        address["postalCode"] = practice.postal_code
    address["addressCountry"] = "US"  # states are US codes (models.US_STATES)
    return address


def base_salary(model: JobDescription) -> dict[str, Any] | None:
    """The employer's own pay figures as a ``MonetaryAmount``; ``None`` without a number."""
    from ..origins import practice_pay

    pay = model.compensation
    low, high = practice_pay(model)  # Google: baseSalary is the employer's actual pay, never an estimate
    if low is None and high is None:
        return None
    value: dict[str, Any] = {"@type": "QuantitativeValue"}
    if low is not None and low == high:
        value["value"] = _number(low)
    else:
        if low is not None:
            value["minValue"] = _number(low)
        if high is not None:
            value["maxValue"] = _number(high)
    value["unitText"] = pay.period
    return {"@type": "MonetaryAmount", "currency": pay.currency, "value": value}


def education_requirements(model: JobDescription) -> list[dict[str, Any]]:
    """The degree and the required certifications as ``EducationalOccupationalCredential``s."""
    q = model.qualifications
    found: list[dict[str, Any]] = []
    if q.education:
        category = next((name for pattern, name in _CREDENTIALS if pattern.search(q.education.degree)), None)
        credential: dict[str, Any] = {"@type": "EducationalOccupationalCredential"}
        if category:
            credential["credentialCategory"] = category
        words = q.education.degree + (f" in {q.education.field}" if q.education.field else "")
        credential["name"] = words
        found.append(credential)
    for cert in q.certifications:
        if cert.level == "required":
            found.append({"@type": "EducationalOccupationalCredential",
                          "credentialCategory": "professional certificate", "name": cert.name})
    return found


def experience_requirements(model: JobDescription) -> dict[str, Any] | None:
    """The longest required experience as ``OccupationalExperienceRequirements`` in months."""
    years = [e.years for e in model.qualifications.experience if e.level == "required"]
    if not years:
        return None
    return {"@type": "OccupationalExperienceRequirements", "monthsOfExperience": _number(max(years) * 12)}


def description_html(model: JobDescription) -> str:
    """The description as HTML limited to Google's tags: p, ul, li, br, strong.

    Covers the summary, the nine sections under their headings (as in the other formats),
    the hours and the equal-opportunity statement. Every text is escaped.
    """
    parts: list[str] = []

    def para(text: str | None, label: str = "") -> None:
        if text:
            head = f"<strong>{escape(label)}</strong> " if label else ""
            parts.append(f"<p>{head}{_text(text)}</p>")

    def items(texts: list[str], heading: str = "") -> None:
        if heading:
            parts.append(f"<p><strong>{escape(heading)}</strong></p>")
        if texts:
            parts.append("<ul>" + "".join(f"<li>{_text(t)}</li>" for t in texts) + "</ul>")

    heading = dict(SECTIONS)
    para(model.summary)
    para(model.position.schedule, "Hours:")
    for key, areas in (("responsibilities", model.responsibilities), ("daily_tasks", model.daily_tasks)):
        items([], heading[key])
        for area in areas:
            para(area.area)
            items(area.items)
    q = model.qualifications
    quals: list[str] = []
    if q.education:
        field = f" in {q.education.field}" if q.education.field else ""
        quals.append(f"{q.education.degree}{field}." + (f" {q.education.equivalent}" if q.education.equivalent else ""))
    quals += [f"{label(e.level)}: {e.years:g}+ years of {e.kind}" for e in q.experience]
    quals += [f"{label(c.level)}: {c.name}" + (f" ({c.abbreviation})" if c.abbreviation else "")
              for c in q.certifications]
    items(quals, heading["qualifications"])
    items([f"{s.skill}: {s.example}" if s.example else s.skill for s in model.skills], heading["skills"])
    r = model.reporting
    items([f"Reports to: {r.reports_to or 'Not stated'}",
           f"Supervises: {', '.join(r.supervises) if r.supervises else 'No direct reports'}"], heading["reporting"])
    items([f"{m.name}: {target(m)}, {m.period}" for m in model.metrics], heading["metrics"])
    pay = model.compensation
    items([f"Pay range: {pay_range(model) or NO_PAY}",
           *(f"{name}: {text}" for name, text in (("Bonus", pay.bonus), ("Overtime", pay.overtime)) if text)],
          heading["compensation"])
    items([f"{name}: {text}" for name, text in benefit_rows(model)], heading["benefits"])
    items([], heading["compliance"])
    for area in model.compliance:
        para(area.standard)
        items(area.items)
    para(model.equal_opportunity)
    return "".join(parts)


def dumps(data: Any, *, script_safe: bool = False, indent: int | None = 2) -> str:
    """JSON text; ``script_safe`` writes ``<``, ``>``, ``&`` (and U+2028/9) as ``\\uXXXX``."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return text.translate(_SCRIPT_ESCAPES) if script_safe else text


def render_jsonld(model: JobDescription, *, templates: str | os.PathLike[str] | None = None,
                  **options: Any) -> str:
    """Render the ``.jsonld`` file: the ``JobPosting`` as indented JSON."""
    return dumps(jobposting(model)) + "\n"


def script_json(model: JobDescription) -> Markup:
    """The ``JobPosting`` as markup for a ``<script type="application/ld+json">`` body."""
    return Markup(dumps(jobposting(model), script_safe=True))  # dumps escapes <, > and &


def clean(text: str) -> str:
    """Drop control characters that JSON readers and XML-based job feeds reject."""
    return _CONTROL.sub("", text)


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value


def _text(text: str) -> str:
    """Escape for the description; line breaks become ``<br>``."""
    lines = [str(escape(clean(line))) for line in text.splitlines()]
    return "<br>".join(line for line in lines if line.strip()) or str(escape(clean(text)))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
