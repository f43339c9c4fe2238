"""The sections of the internal job description, and the parts the posting shares with it.

Each function takes the model and returns a ``Section`` (or blocks) with every sentence
written out: items are sentences, clauses are joined as sentences (never ``"x.; y"``),
dates are US dates, money is formatted, codes become words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .. import statements
from ..models import SECTIONS, ComplianceArea, DutyArea, JobDescription
from ..orgchart import chart_of, org_chart_svg
from ..wording import (
    NO_PAY,
    clean,
    count,
    flsa_text,
    join_words,
    label,
    lower_first,
    money,
    pay_range,
    sentence,
    sentences,
    target,
    us_date,
)
from .tree import (
    Block,
    BulletList,
    Chart,
    Definitions,
    Heading,
    Item,
    Paragraph,
    Section,
    Signature,
    Table,
)

__all__ = [
    "TITLES",
    "MARGINAL",
    "facts",
    "place",
    "sections",
    "conditions_list",
    "benefit_rows",
    "qualification_blocks",
    "compensation_pairs",
    "review_line",
    "channel_text",
]

TITLES = {
    **dict(SECTIONS),
    "summary": "Position Summary",
    "physical_demands": "Physical Demands and Work Environment",
    "conditions": "Conditions of Employment",
    "equal_opportunity": "Equal Opportunity",
    "statements": "About This Description",
    "acknowledgment": "Acknowledgment",
}
MARGINAL = "Marginal functions"


def _id(key: str) -> str:
    return key.replace("_", "-")


def place(model: JobDescription) -> str:
    """``Cedar Family Medicine, Denver, CO``."""
    p = model.practice
    return ", ".join(clean(x) for x in (p.name, p.city, p.state) if x)


def facts(model: JobDescription, *, posting: bool = False) -> Definitions:
    """The key facts under the title: employment, place, schedule, pay, dates, occupation."""
    p, pos = model.practice, model.position
    pairs: list[tuple[str, str]] = []
    if p.specialty:
        pairs.append(("Specialty", p.specialty))
    if p.street_address and not posting:
        pairs.append(("Address", ", ".join(x for x in (p.street_address, p.postal_code) if x)))
    pairs.append(("Employment type", label(pos.employment_type)))
    pairs.append(("Work location", label(pos.location_type)))
    if pos.schedule:
        pairs.append(("Schedule", sentences([pos.schedule])))
    pairs.append(("Pay", pay_range(model) or NO_PAY))
    if pos.date_posted:
        pairs.append(("Posted", us_date(pos.date_posted)))
    if pos.valid_through:
        pairs.append(("Apply by", us_date(pos.valid_through)))
    if not posting:
        pairs.append(
            (
                "Occupation",
                f"O*NET-SOC {model.role.onet_soc}"
                + (f" ({model.role.onet_title})" if model.role.onet_title else ""),
            )
        )
    return Definitions(tuple((term, clean(value)) for term, value in pairs))


def _areas(
    areas: Sequence[DutyArea | ComplianceArea],
    title_key: str,
    *,
    intro: bool = False,
    explain_marginal: bool = True,
) -> Section:
    """A section of areas; for duties, the essential ones by area and the marginal ones apart.

    ``explain_marginal`` says what a marginal function is; the second section of duties leaves
    it out when the first has said it.
    """
    blocks: list[Block] = []
    if intro and any(isinstance(a, DutyArea) and a.items for a in areas):
        blocks.append(Paragraph(statements.text("essential_functions")))
    marginal: list[Item] = []
    for area in areas:
        name = clean(area.area if isinstance(area, DutyArea) else area.standard)
        if area.items:
            blocks.append(Heading(name))
            blocks.append(BulletList(tuple(Item(sentence(item)) for item in area.items)))
        if isinstance(area, DutyArea):
            marginal += [Item(sentence(item), name) for item in area.marginal]
    if marginal:
        blocks += [
            Heading(MARGINAL),
            *([Paragraph(statements.text("marginal_functions"))] if explain_marginal else []),
            BulletList(tuple(marginal)),
        ]
    return Section(_id(title_key), TITLES[title_key], tuple(blocks))


def _weight(pounds: float | None) -> str:
    return f"Up to {pounds:g} lb" if pounds else "Not applicable"


def _physical(model: JobDescription) -> Section | None:
    """The demands with their DOT frequency and weight, then the work environment."""
    env = model.work_environment
    blocks: list[Block] = []
    if model.physical_demands:
        rows = tuple(
            (
                sentence(d.demand),
                label(d.frequency) if d.frequency else "Not stated",
                _weight(d.weight_lb),
            )
            for d in model.physical_demands
        )
        blocks += [
            Table(
                "Physical demands: how often each occurs and the weight involved",
                ("Demand", "How often", "Weight"),
                rows,
                "demands",
            ),
            Paragraph(statements.text("physical_demands")),
        ]
    items = [Item(sentence(s)) for s in env.setting]
    exposure = statements.exposure(model)
    if exposure:
        items.append(Item(exposure, "Bloodborne pathogens"))
    if env.chemicals:
        items.append(
            Item(
                statements.text(
                    "chemicals", chemicals=join_words([lower_first(c) for c in env.chemicals])
                ),
                "Hazardous chemicals",
            )
        )
    if items:
        blocks += [Heading("Work environment"), BulletList(tuple(items))]
    return (
        Section("physical-demands", TITLES["physical_demands"], tuple(blocks)) if blocks else None
    )


def conditions_list(model: JobDescription, day: dt.date) -> BulletList | None:
    """The conditions of employment the practice keeps, each with its label."""
    pairs = statements.conditions(model, day)
    return (
        BulletList(tuple(Item(sentence(text), label) for label, text in pairs)) if pairs else None
    )


def qualification_blocks(model: JobDescription, *, required_only: bool = False) -> list[Block]:
    """Education, certifications and experience; ``required_only`` keeps the must-haves."""
    q = model.qualifications
    blocks: list[Block] = []
    if q.education:
        e = q.education
        degree = f"{e.degree} in {e.field}" if e.field else e.degree
        blocks += [Heading("Education"), Paragraph(sentences([degree, e.equivalent]))]
    certs = [c for c in q.certifications if c.level == "required" or not required_only]
    if certs:
        items = []
        for c in certs:
            name = f"{c.name} ({c.abbreviation})" if c.abbreviation else c.name
            within = (
                f", earned within {count(c.within_months, 'months')} of hire"
                if c.within_months
                else ""
            )
            items.append(Item(sentence(f"{name}, issued by {c.issuer}{within}"), label(c.level)))
        blocks += [Heading("Certifications"), BulletList(tuple(items))]
    years = [e for e in q.experience if e.level == "required" or not required_only]
    if years:
        blocks += [
            Heading("Experience"),
            BulletList(
                tuple(
                    Item(
                        sentence(f"at least {count(e.years, 'years')} of {e.kind}"), label(e.level)
                    )
                    for e in years
                )
            ),
        ]
    return blocks


def channel_text(channel: object) -> str:
    """``All-staff meeting with all employees and providers, monthly.``"""
    method, audience, cadence = (getattr(channel, k) for k in ("method", "audience", "cadence"))
    text = method + (f" with {lower_first(audience)}" if audience else "")
    return sentence(text + (f", {lower_first(cadence)}" if cadence else ""))


def _reporting(model: JobDescription) -> Section:
    r, a = model.reporting, model.reporting.authority
    chart = chart_of(model)
    blocks: list[Block] = [
        Definitions(
            (
                ("Reports to", clean(r.reports_to or "Not stated")),
                (
                    "Supervises",
                    clean(join_words(r.supervises)) if r.supervises else "No direct reports",
                ),
            )
        ),
        Chart(
            "org-chart",
            org_chart_svg(chart),
            chart.description,
            f"Reporting structure of the {clean(model.title)}",
        ),
    ]
    if r.channels:
        blocks += [
            Heading("Communication"),
            BulletList(tuple(Item(channel_text(c)) for c in r.channels)),
        ]
    if a.decides_alone or a.spending_limit:
        items = [Item(sentence(d)) for d in a.decides_alone]
        if a.spending_limit:
            items.append(
                Item(
                    f"{money(a.spending_limit, model.compensation.currency)} per purchase.",
                    "Spending limit",
                )
            )
        blocks += [Heading("Decides alone"), BulletList(tuple(items))]
    if a.needs_approval:
        blocks += [
            Heading("Needs approval"),
            BulletList(tuple(Item(sentence(d)) for d in a.needs_approval)),
        ]
    return Section("reporting", TITLES["reporting"], tuple(blocks))


def _metrics(model: JobDescription) -> Section:
    rows = tuple(
        (clean(m.name), label(m.family), clean(target(m)), clean(label(m.period)))
        for m in model.metrics
    )
    blocks: tuple[Block, ...] = (
        (
            Table(
                "Performance metrics: each target and its period",
                ("Metric", "Family", "Target", "Period"),
                rows,
                "metrics",
            ),
        )
        if rows
        else ()
    )
    return Section("metrics", TITLES["metrics"], blocks)


def compensation_pairs(model: JobDescription, *, overtime: bool = True) -> list[tuple[str, str]]:
    """Pay range, FLSA status, bonus and overtime as (term, text) pairs."""
    pay = model.compensation
    pairs = [("Pay range", pay_range(model) or NO_PAY)]
    if flsa_text(model):
        pairs.append(("FLSA status", flsa_text(model)))
    if pay.bonus:
        pairs.append(("Bonus", sentences([pay.bonus])))
    if pay.overtime and overtime:
        pairs.append(("Overtime", sentences([pay.overtime])))
    return pairs


def benefit_rows(model: JobDescription, *, brief: bool = False) -> list[tuple[str, str]]:
    """The benefits as (benefit, details) rows, each detail written as sentences.

    ``brief`` (the posting) keeps the headline of each benefit and drops accrual rules,
    restrictions, vesting and how to request development money.
    """
    b, currency = model.benefits, model.compensation.currency
    rows: list[tuple[str, str]] = []
    if b.health:
        h = b.health
        kinds = join_words([k for k in ("medical", "dental", "vision") if getattr(h, k)])
        share = (
            f"the practice pays {h.employer_premium_share:g}% of the premium"
            if h.employer_premium_share is not None
            else None
        )
        rows.append(
            (
                "Health",
                sentences(
                    [f"{kinds} coverage" if kinds else None, share, None if brief else h.hsa_fsa]
                ),
            )
        )
    if b.pto:
        t = b.pto
        days = [
            count(v, noun)
            for v, noun in (
                (t.vacation_days, "vacation days"),
                (t.sick_days, "sick days"),
                (t.holidays, "paid holidays"),
            )
            if v is not None
        ]
        rows.append(
            (
                "Paid time off",
                sentences(
                    [
                        f"{join_words(days)} a year" if days else None,
                        *(() if brief else (t.accrual, t.restrictions)),
                    ]
                ),
            )
        )
    if b.retirement:
        r = b.retirement
        rows.append(
            (
                "Retirement",
                sentences(
                    [
                        r.plan + (f" with an employer match of {r.match}" if r.match else ""),
                        None if brief else r.vesting,
                    ]
                ),
            )
        )
    if b.development:
        d = b.development
        budget = f"{money(d.budget, currency)} a year" if d.budget else "Paid"
        covers = f" for {join_words([lower_first(c) for c in d.covers])}" if d.covers else ""
        rows.append(
            (
                "Professional development",
                sentences([f"{budget}{covers}", None if brief else d.how_to_request]),
            )
        )
    if b.other:
        # one row: three one-line rows waste a printed page
        rows.append(("Other", sentences(b.other)))
    return [(name, clean(text)) for name, text in rows if text]


def _benefits(model: JobDescription) -> Section:
    rows = tuple(benefit_rows(model))
    blocks: tuple[Block, ...] = (
        (Table("Benefits and what each provides", ("Benefit", "Details"), rows, "benefits"),)
        if rows
        else ()
    )
    if blocks and model.statements.benefits_not_contract:
        blocks += (Paragraph(statements.text("benefits_not_contract")),)
    return Section("benefits", TITLES["benefits"], blocks)


def review_line(model: JobDescription) -> str:
    """``Last reviewed November 10, 2026 by Physician Owner. Next review due November 10, 2027.``"""
    r = model.review
    if r.last_reviewed is None:
        return "Not yet reviewed" + (f"; owner: {clean(r.owner)}." if r.owner else ".")
    by = f" by {clean(r.owner)}" if r.owner else ""
    return f"Last reviewed {us_date(r.last_reviewed)}{by}. Next review due {us_date(r.next_due)}."


def sections(model: JobDescription, day: dt.date | None = None) -> list[Section]:
    """Every section of the description, in document order; ``day`` picks the laws in force."""
    day = day or dt.date.today()
    out: list[Section] = []
    if model.summary:
        out.append(Section("summary", TITLES["summary"], (Paragraph(sentence(model.summary)),)))
    out.append(_areas(model.responsibilities, "responsibilities", intro=True))
    out.append(
        Section("qualifications", TITLES["qualifications"], tuple(qualification_blocks(model)))
    )
    out.append(
        Section(
            "skills",
            TITLES["skills"],
            (
                BulletList(
                    tuple(
                        Item(sentence(s.example), clean(s.skill))
                        if s.example
                        else Item(sentence(s.skill))
                        for s in model.skills
                    )
                ),
            )
            if model.skills
            else (),
        )
    )
    out.append(
        _areas(
            model.daily_tasks,
            "daily_tasks",
            explain_marginal=not any(area.marginal for area in model.responsibilities),
        )
    )
    out.append(_reporting(model))
    out.append(_metrics(model))
    out.append(
        Section(
            "compensation",
            TITLES["compensation"],
            (Definitions(tuple((t, clean(v)) for t, v in compensation_pairs(model))),),
        )
    )
    out.append(_benefits(model))
    out.append(_areas(model.compliance, "compliance"))
    physical = _physical(model)
    if physical:
        out.append(physical)
    conditions = conditions_list(model, day)
    if conditions:
        out.append(Section("conditions", TITLES["conditions"], (conditions,)))
    if model.equal_opportunity:
        out.append(
            Section(
                "equal-opportunity",
                TITLES["equal_opportunity"],
                (Paragraph(sentence(model.equal_opportunity)),),
            )
        )
    closing = statements.closing(model)
    if closing:
        out.append(
            Section("statements", TITLES["statements"], tuple(Paragraph(t) for t in closing))
        )
    if model.acknowledgment:
        out.append(
            Section(
                "acknowledgment",
                TITLES["acknowledgment"],
                (
                    Paragraph(statements.text("acknowledgment")),
                    Signature(("Employee", "Supervisor")),
                ),
            )
        )
    return out
