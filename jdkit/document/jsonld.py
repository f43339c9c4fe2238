"""schema.org ``JobPosting`` data (JSON-LD) following Google's rules for job postings, beside
the HTML writer that embeds it.

``jobposting(model)`` builds the mapping; ``render_jsonld`` turns it into the text of a
``.jsonld`` file (registered as the render format ``jsonld``); ``script_json`` gives the
same data as markup for ``<script type="application/ld+json">`` (``--embed-jsonld``),
escaped so that no field can close the tag: ``<``, ``>``, ``&`` become ``\\u003c``,
``\\u003e``, ``\\u0026``, which JSON readers decode back to the same text.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from typing import Any

from markupsafe import Markup, escape

from ..models import US_STATES, JobDescription
from .build import build
from .tree import Block, BulletList, Definitions, Heading, Paragraph, Table

__all__ = [
    "jobposting",
    "description_html",
    "dumps",
    "render_jsonld",
    "script_json",
    "DESCRIPTION_TAGS",
]

# Google: the description may use only these tags.
DESCRIPTION_TAGS = ("p", "ul", "li", "br", "strong")

# Google's credentialCategory values, matched against the degree's words.
_CREDENTIALS = (
    (
        re.compile(r"\b(master|doctor|doctorate|ph\.?d|mba|m\.?d|postgraduate)\b", re.I),
        "postgraduate degree",
    ),
    (re.compile(r"\bbachelor", re.I), "bachelor degree"),
    (re.compile(r"\bassociate", re.I), "associate degree"),
    (re.compile(r"\b(high school|ged|diploma)\b", re.I), "high school"),
)
# Control characters: JSON allows them escaped, but job boards' XML feeds and parsers reject them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def jobposting(model: JobDescription, *, today: dt.date | None = None) -> dict[str, Any]:
    """Return the schema.org ``JobPosting`` of ``model`` as a JSON-ready mapping.

    Properties the model cannot fill (no posting date, no pay figures) are left out
    rather than guessed; ``jdkit check`` reports them (the ``jobposting`` rules).
    """
    practice, position = model.practice, model.position
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": model.title,
        "description": description_html(model, today=today),
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
        data["applicantLocationRequirements"] = {
            "@type": "State",
            "name": US_STATES[practice.state],
        }
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
    cleaned: dict[str, Any] = _cleaned(data)
    return cleaned


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
    low, high = practice_pay(
        model
    )  # Google: baseSalary is the employer's actual pay, never an estimate
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
        category = next(
            (name for pattern, name in _CREDENTIALS if pattern.search(q.education.degree)), None
        )
        credential: dict[str, Any] = {"@type": "EducationalOccupationalCredential"}
        if category:
            credential["credentialCategory"] = category
        words = q.education.degree + (f" in {q.education.field}" if q.education.field else "")
        credential["name"] = words
        found.append(credential)
    for cert in q.certifications:
        if cert.level == "required":
            found.append(
                {
                    "@type": "EducationalOccupationalCredential",
                    "credentialCategory": "professional certificate",
                    "name": cert.name,
                }
            )
    return found


def experience_requirements(model: JobDescription) -> dict[str, Any] | None:
    """The longest required experience as ``OccupationalExperienceRequirements`` in months."""
    years = [e.years for e in model.qualifications.experience if e.level == "required"]
    if not years:
        return None
    return {
        "@type": "OccupationalExperienceRequirements",
        "monthsOfExperience": _number(max(years) * 12),
    }


def description_html(model: JobDescription, *, today: dt.date | None = None) -> str:
    """The job posting (``jdkit.document.build(model, "posting")``) as HTML of Google's tags only.

    The markup describes what the posting page shows (Google's rule): the same sections,
    sentences and facts, headings as ``<p><strong>``, lists as ``<ul>``. Every text is escaped.
    """
    doc = build(model, "posting", today=today)
    parts: list[str] = []
    if doc.notice:
        parts.append(f"<p><strong>{_text(doc.notice)}</strong></p>")
    parts.append(f"<p>{_text(doc.place)}</p>")  # the title is the JobPosting's own title
    parts.append(_block(doc.facts))
    for section in doc.sections:
        parts.append(f"<p><strong>{_text(section.title)}</strong></p>")
        parts += [_block(block) for block in section.blocks]
    return "".join(parts)


def _item(label: str, text: str) -> str:
    return (f"<strong>{_text(label)}:</strong> " if label else "") + _text(text)


def _block(block: Block) -> str:
    """One block of the tree in Google's tags (a table becomes a list of "first cell: the rest")."""
    if isinstance(block, Heading):
        return f"<p><strong>{_text(block.text)}</strong></p>"
    if isinstance(block, Paragraph):
        return f"<p>{_item(block.label, block.text)}</p>"
    if isinstance(block, BulletList):
        return "<ul>" + "".join(f"<li>{_item(i.label, i.text)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, Definitions):
        return "<ul>" + "".join(f"<li>{_item(t, v)}</li>" for t, v in block.pairs) + "</ul>"
    if isinstance(block, Table):
        return (
            "<ul>"
            + "".join(f"<li>{_item(row[0], ', '.join(row[1:]))}</li>" for row in block.rows)
            + "</ul>"
        )
    return ""  # charts and signature lines have no place in a job board's description


def dumps(data: Any, *, script_safe: bool = False, indent: int | None = 2) -> str:
    """JSON text; ``script_safe`` writes ``<``, ``>``, ``&`` (and U+2028/9) as ``\\uXXXX``."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return text.translate(_SCRIPT_ESCAPES) if script_safe else text


def render_jsonld(
    model: JobDescription,
    *,
    templates: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
    **options: Any,
) -> str:
    """Render the ``.jsonld`` file: the ``JobPosting`` as indented JSON (the same for either kind:
    its description is always the posting's text)."""
    return dumps(jobposting(model, today=today)) + "\n"


def script_json(model: JobDescription, *, today: dt.date | None = None) -> Markup:
    """The ``JobPosting`` as markup for a ``<script type="application/ld+json">`` body."""
    return Markup(dumps(jobposting(model, today=today), script_safe=True))


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
    """Escape a text of the tree for the description."""
    return str(escape(clean(text)))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
