"""The rules of jdkit.checks: each one triggered and not triggered, the score, the registry."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

import jdkit
from jdkit import checks, roles
from jdkit.checks import Context, Finding, check, finding, passed, score
from jdkit.errors import InternalError
from jdkit.models import SECTIONS
from jdkit.params import Params, build, load

from ..conftest import EXAMPLES, ROOT, example_ids, own_pay
from . import OURS

TODAY = dt.date(2026, 11, 27)


def make(**sections) -> jdkit.JobDescription:
    """The office manager in Austin, TX (no pay-range law), with ``sections`` overriding."""
    data = {
        "role": "medical-office-manager",
        "practice": {"name": "Test Clinic", "state": "TX", "city": "Austin", "employees": 10},
        "compensation": own_pay("medical-office-manager"),
        "review": {"last_reviewed": "2026-11-01"},
    }
    data.update(sections)
    return build(Params(data, file="test.yaml"))


def fired(model, rule: str, *, today: dt.date = TODAY) -> list[Finding]:
    """The findings of ``rule`` on ``model``."""
    return [f for f in check(model, today=today, families=OURS) if f.rule == rule]


def problems(model, *, today: dt.date = TODAY) -> list[Finding]:
    return [f for f in check(model, today=today, families=OURS) if f.severity != "info"]


# -- the base and the shipped content -------------------------------------------------------


def test_the_base_document_has_no_problem():
    assert problems(make()) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=example_ids())
def test_every_example_passes_with_score_at_least_90(path):
    findings = check(load(path), today=TODAY)
    assert not [f for f in findings if f.severity == "error"], findings
    assert score(findings) >= 90, [f for f in findings if f.severity != "info"]


@pytest.mark.parametrize("role_id", roles.ids())
@pytest.mark.parametrize("state, city", [("CO", "Denver"), ("TX", "Austin")])
def test_every_library_role_passes_with_score_at_least_90(role_id, state, city):
    model = build(
        Params(
            {
                "role": role_id,
                "practice": {"name": "Role Clinic", "state": state, "city": city},
                "position": {
                    "valid_through": "2027-01-15",
                    "apply_email": "jobs@roleclinic.example",
                },
                "compensation": own_pay(role_id),
            }
        )
    )
    findings = check(model, today=TODAY)
    assert not [f for f in findings if f.severity == "error"], findings
    assert score(findings) >= 90, [f for f in findings if f.severity != "info"]


# -- completeness ---------------------------------------------------------------------------

EMPTY = {
    "responsibilities": [],
    "qualifications": {"education": None, "certifications": [], "experience": []},
    "skills": [],
    "daily_tasks": [],
    "reporting": {
        "reports_to": None,
        "supervises": [],
        "channels": [],
        "authority": {"decides_alone": [], "needs_approval": [], "spending_limit": None},
    },
    "metrics": [],
    "compensation": {"salary_min": None, "salary_max": None, "bonus": None, "overtime": None},
    "benefits": {"health": None, "pto": None, "retirement": None, "development": None, "other": []},
    "compliance": [],
}


@pytest.mark.parametrize("section", [key for key, _ in SECTIONS])
def test_an_empty_section_is_an_error(section):
    found = fired(make(**{section: EMPTY[section]}), "completeness.section-empty")
    assert [(f.severity, f.field) for f in found] == [("error", section)]


@pytest.mark.parametrize("part", ["health", "pto", "retirement", "development"])
def test_a_missing_benefit_part_is_a_warning(part):
    found = fired(make(benefits={part: None}), "completeness.benefits-part")
    assert [(f.severity, f.field) for f in found] == [("warning", f"benefits.{part}")]


def test_benefit_parts_are_not_reported_when_the_whole_section_is_empty():
    assert fired(make(benefits=EMPTY["benefits"]), "completeness.benefits-part") == []


def test_reporting_without_channels_and_without_eeo():
    assert [
        f.field for f in fired(make(reporting={"channels": []}), "completeness.reporting-channels")
    ] == ["reporting.channels"]
    assert [
        f.field for f in fired(make(equal_opportunity=None), "completeness.equal-opportunity")
    ] == ["equal_opportunity"]
    assert (
        fired(make(), "completeness.reporting-channels")
        == fired(make(), "completeness.equal-opportunity")
        == []
    )


# -- specificity ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, phrases",
    [
        ("You will handle other duties as assigned.", ["other duties as assigned"]),
        (
            "OTHER DUTIES AS ASSIGNED and a Fast Paced Environment.",
            ["OTHER DUTIES AS ASSIGNED", "Fast Paced Environment"],
        ),
        (
            "A self starter with strong communication skills.",
            ["self starter", "strong communication skills"],
        ),
        ("Pay is DOE.", ["DOE"]),
        ("Reports to Dr. Jane Doe, who works in a steam players' club with a gurus' council.", []),
        ("Cover the front desk during lunch breaks, about 1 hour a day.", []),
    ],
)
def test_vague_phrases_match_case_insensitively_on_word_boundaries(text, phrases):
    found = fired(make(summary=text), "specificity.vague-phrase")
    assert [re.search(r"'(.*?)'", f.message).group(1) for f in found] == phrases
    assert all(f.field == "summary" and f.severity == "warning" for f in found)


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("Detail-oriented.", True),
        ("Detail-oriented and friendly; answers phones.", True),
        ("Detail-oriented in checking each claim against the chart before it is sent.", False),
        ("Be detail oriented: verify insurance before each visit.", False),
    ],
)
def test_detail_oriented_is_vague_only_when_bare(text, flagged):
    assert bool(fired(make(summary=text), "specificity.vague-phrase")) is flagged


def test_overlapping_vague_phrases_fire_once():
    found = fired(make(summary="A fast-paced environment."), "specificity.vague-phrase")
    assert len(found) == 1


def test_a_skill_without_example():
    model = make(
        skills=[
            {"skill": "Billing"},
            {"skill": "Coding", "example": "Codes 40 charts a day in the EHR."},
        ]
    )
    assert [f.field for f in fired(model, "specificity.skill-without-example")] == [
        "skills.0.example"
    ]


def test_a_duty_of_one_or_two_words():
    model = make(
        responsibilities=[
            {"area": "Office", "items": ["Filing", "Phone calls", "File scanned referrals daily"]}
        ]
    )
    assert [f.field for f in fired(model, "specificity.short-duty")] == [
        "responsibilities.0.items.0",
        "responsibilities.0.items.1",
    ]
    tasks = make(daily_tasks=[{"area": "Desk", "items": ["Scheduling."]}])
    assert [f.field for f in fired(tasks, "specificity.short-duty")] == ["daily_tasks.0.items.0"]


# -- qualifications -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "education, field",
    [
        (None, "qualifications.education"),
        ({"degree": "Bachelor's degree", "field": None}, "qualifications.education.field"),
        ({"degree": "Associate degree", "field": None}, "qualifications.education.field"),
        ({"degree": "High school diploma or GED", "field": None}, None),
        ({"degree": "Bachelor's degree", "field": "business administration"}, None),
    ],
)
def test_degree_with_field(education, field):
    quals = {"education": None} if education is None else {"education": education}
    found = fired(make(qualifications=quals), "qualifications.degree-field")
    assert [f.field for f in found] == ([field] if field else [])


def test_certification_and_years():
    assert [
        f.field
        for f in fired(make(qualifications={"certifications": []}), "qualifications.certification")
    ] == ["qualifications.certifications"]
    zero = make(qualifications={"experience": [{"years": 0, "kind": "office work"}]})
    assert [f.field for f in fired(zero, "qualifications.experience-years")] == [
        "qualifications.experience"
    ]
    assert (
        fired(make(), "qualifications.certification")
        == fired(make(), "qualifications.experience-years")
        == []
    )


# -- reporting ------------------------------------------------------------------------------


def test_reporting_rules():
    model = make(
        reporting={
            "reports_to": None,
            "supervises": [],
            "authority": {"decides_alone": [], "needs_approval": [], "spending_limit": None},
        }
    )
    assert [f.rule for f in problems(model) if f.rule.startswith("reporting.")] == [
        "reporting.reports-to",
        "reporting.supervises",
        "reporting.authority",
    ]
    only_limit = make(
        reporting={"authority": {"decides_alone": [], "needs_approval": [], "spending_limit": 500}}
    )
    assert fired(only_limit, "reporting.authority") == []


def test_a_role_that_manages_no_one_need_not_supervise():
    model = make(reporting={"supervises": []})
    assert model.role.managing and fired(model, "reporting.supervises")
    staff = model.model_copy(update={"role": model.role.model_copy(update={"managing": False})})
    assert fired(staff, "reporting.supervises") == []


# -- metrics --------------------------------------------------------------------------------


def metric(family: str, period: str = "monthly") -> dict:
    return {
        "name": f"A {family} metric",
        "family": family,
        "target": 5,
        "unit": "percent",
        "period": period,
    }


def test_metric_period_and_families():
    model = make(metrics=[metric("financial", "ongoing"), metric("operational", "each quarter")])
    assert [f.field for f in fired(model, "metrics.period")] == ["metrics.0.period"]
    assert [f.message for f in fired(model, "metrics.family")] == [
        "no patient satisfaction metric",
        "no compliance metric",
    ]
    full = make(
        metrics=[
            metric(f, p)
            for f, p in zip(
                ("financial", "operational", "patient_satisfaction", "compliance"),
                ("daily", "rolling 90 days", "yearly", "per calendar year"),
                strict=True,
            )
        ]
    )
    assert fired(full, "metrics.period") == fired(full, "metrics.family") == []


# -- compliance -----------------------------------------------------------------------------


def test_hipaa_and_osha_duties():
    ethics = make(
        compliance=[{"standard": "Ethics", "items": ["Handle complaints the same way every time."]}]
    )
    assert [f.rule for f in problems(ethics) if f.rule.startswith("compliance.")] == [
        "compliance.hipaa",
        "compliance.osha",
    ]
    in_items = make(
        compliance=[
            {
                "standard": "Privacy and safety",
                "items": ["Run HIPAA training yearly.", "Keep the OSHA exposure plan current."],
            }
        ]
    )
    assert [f for f in problems(in_items) if f.rule.startswith("compliance.")] == []


# -- review ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "last, today, rule, text",
    [
        (None, TODAY, "review.missing", "missing"),
        ("2025-06-01", TODAY, "review.overdue", "due 2026-06-01"),
        ("2025-11-27", dt.date(2026, 11, 28), "review.overdue", "due 2026-11-27"),
        ("2025-11-27", TODAY, "review.next-due", "next review due 2026-11-27"),
        ("2027-01-01", TODAY, "review.future", "after the check date"),
        ("2026-11-27", TODAY, "review.next-due", "next review due 2027-11-27"),
    ],
)
def test_review_dates(last, today, rule, text):
    found = [
        f for f in check(make(review={"last_reviewed": last}), today=today, families=["review"])
    ]
    assert [f.rule for f in found] == [rule] and text in found[0].message
    assert found[0].severity == ("info" if rule == "review.next-due" else "warning")


def test_review_interval_is_at_most_12_months():
    model = make(review={"last_reviewed": "2025-06-01", "interval_months": 24})
    assert fired(model, "review.overdue")
    short = make(review={"last_reviewed": "2026-06-01", "interval_months": 3})
    assert "due 2026-09-01" in fired(short, "review.overdue")[0].message


# -- the score and the registry ------------------------------------------------------------


def f(rule: str, severity: str) -> Finding:
    return finding(rule, severity, "summary", "message", "hint")


@pytest.mark.parametrize(
    "findings, expected",
    [
        ([], 100),
        ([f("a.b", "info")] * 10, 100),
        ([f("a.b", "warning")], 95),
        ([f("a.b", "error")], 80),
        ([f("a.b", "warning")] * 10, 85),  # at most 3 counted per rule
        ([f("a.b", "warning")] * 3 + [f("a.c", "warning")] * 2, 75),
        ([f("a.b", "error")] * 3 + [f("a.c", "error")] * 3, 0),  # never below 0
    ],
)
def test_score_formula(findings, expected):
    assert score(findings) == expected


def test_passed_needs_no_error_and_the_minimum_score():
    assert passed([f("a.b", "warning")], min_score=95) and not passed(
        [f("a.b", "warning")], min_score=96
    )
    assert not passed([f("a.b", "error")])


def test_a_finding_rejects_an_unknown_severity():
    with pytest.raises(InternalError):
        Finding("a.b", "fatal", "summary", "", "m", "h")  # type: ignore[arg-type]


def sample_rule(model, ctx: Context):
    """A rule of the test-only family below."""
    yield finding("sample.always", "warning", "summary", f"checked on {ctx.today}", "none")


RULES = (sample_rule,)


def test_a_family_is_one_module_and_one_registry_line():
    checks.register_family("sample", __name__)
    try:
        found = [x for x in check(make(), today=TODAY) if x.rule == "sample.always"]
        assert [x.message for x in found] == ["checked on 2026-11-27"]
    finally:
        del checks.FAMILIES["sample"]
    assert not [x for x in check(make(), today=TODAY) if x.rule == "sample.always"]


def test_findings_come_in_document_order():
    order = {name: i for i, name in enumerate(checks.SECTION_ORDER)}
    found = check(make(**EMPTY, review={"last_reviewed": None}), today=TODAY)
    assert [order.get(x.section, 99) for x in found] == sorted(
        order.get(x.section, 99) for x in found
    )


def test_check_and_score_are_public_and_lazy():
    assert jdkit.check is checks.check and jdkit.score is checks.score
    code = "import sys, jdkit; print('jdkit.checks' in sys.modules)"
    assert (
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        == "False"
    )


def test_checking_imports_nothing_heavy():
    code = (
        "import sys; from jdkit.checks.report import check_models; from jdkit.sources import load_sources; "
        "check_models(load_sources(['params'])[0]); "
        "print(sorted(m for m in ('pandas', 'papermill', 'nbconvert', 'docx', 'playwright', 'dask', 'textstat') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


def test_every_rule_of_ours_is_documented():
    docs = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    sources = [
        Path(checks.__file__).with_name(Path(checks.FAMILIES[name].rsplit(".", 1)[1] + ".py").name)
        for name in OURS
    ]
    ids = {
        rule
        for path in sources
        for rule in re.findall(r'finding\(\s*"([a-z_]+\.[a-z0-9-]+)"', path.read_text())
    }
    assert len(ids) >= 25
    assert [rule for rule in sorted(ids) if f"`{rule}`" not in docs] == []
