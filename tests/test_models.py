"""Every validation rule of the section models, both ways."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from jdkit.models import (
    Certification,
    Compensation,
    Experience,
    JobDescription,
    Metric,
    Position,
    Practice,
    Review,
    RoleInfo,
    Skill,
    add_months,
    slugify,
)


def test_state_codes_accept_every_state_and_dc_case_insensitively():
    assert Practice(name="A", state="dc").state == "DC"
    assert Practice(name="A", state=" ny ").state == "NY"


@pytest.mark.parametrize("state", ["XX", "New York", "", "PR", 12])
def test_unknown_state_codes_are_rejected(state):
    with pytest.raises(ValidationError, match="unknown US state code"):
        Practice(name="A", state=state)


def test_practice_name_is_required_and_not_blank():
    with pytest.raises(ValidationError):
        Practice(name="   ", state="CO")


@pytest.mark.parametrize(
    "field,value,ok",
    [
        ("employees", 1, True),
        ("employees", 0, False),
        ("providers", 0, True),
        ("providers", -1, False),
    ],
)
def test_headcounts_are_bounded(field, value, ok):
    if ok:
        assert getattr(Practice(name="A", state="CO", **{field: value}), field) == value
    else:
        with pytest.raises(ValidationError):
            Practice(name="A", state="CO", **{field: value})


def test_salary_min_may_equal_max_but_not_exceed_it():
    assert Compensation(salary_min=50000, salary_max=50000).salary_min == 50000
    with pytest.raises(ValidationError, match="salary_min .* is above salary_max"):
        Compensation(salary_min=60000, salary_max=50000)


@pytest.mark.parametrize("amount", [0, -1])
def test_amounts_are_positive(amount):
    with pytest.raises(ValidationError, match="greater than 0"):
        Compensation(salary_min=amount)


def test_pay_period_and_currency():
    assert Compensation(period="HOUR").period == "HOUR"
    with pytest.raises(ValidationError):
        Compensation(period="YEARLY")
    with pytest.raises(ValidationError):
        Compensation(currency="usd")


def test_employment_type_uses_schema_org_values():
    assert Position(employment_type="PER_DIEM").employment_type == "PER_DIEM"
    with pytest.raises(ValidationError):
        Position(employment_type="FULLTIME")


def test_flsa_status_and_location_type():
    assert Position(flsa_status="non-exempt", location_type="hybrid").location_type == "hybrid"
    with pytest.raises(ValidationError):
        Position(flsa_status="salaried")
    with pytest.raises(ValidationError):
        Position(location_type="office")


def test_posting_dates_in_order():
    assert Position(date_posted="2026-11-01", valid_through="2026-12-01").valid_through == dt.date(
        2026, 12, 1
    )
    with pytest.raises(ValidationError, match="valid_through must not be before"):
        Position(date_posted="2026-11-01", valid_through="2026-10-01")


def test_dates_are_iso():
    assert Review(last_reviewed="2026-02-28").last_reviewed == dt.date(2026, 2, 28)
    for bad in ("2026-02-30", "28/02/2026", "soon"):
        with pytest.raises(ValidationError):
            Review(last_reviewed=bad)


def test_review_next_due_is_derived_and_clamped():
    assert Review(last_reviewed="2026-01-31", interval_months=1).next_due == dt.date(2026, 2, 28)
    assert Review(last_reviewed="2025-03-15").next_due == dt.date(2026, 3, 15)
    assert Review().next_due is None
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)


def test_metric_needs_a_known_family_and_numeric_target():
    metric = Metric(
        name="Days in A/R",
        family="financial",
        target=35,
        comparison="at most",
        unit="days",
        period="monthly",
    )
    assert metric.target == 35
    with pytest.raises(ValidationError):
        Metric(name="x", family="money", target=1, unit="u", period="p")
    with pytest.raises(ValidationError):
        Metric(name="x", family="financial", target="high", unit="u", period="p")


def test_certification_level_and_issuer():
    assert Certification(name="CPC", issuer="AAPC", level="preferred").issuer == "AAPC"
    with pytest.raises(ValidationError):
        Certification(name="CPC", issuer="AAPC", level="optional")
    with pytest.raises(ValidationError):
        Certification(name="CPC", level="required")


def test_experience_years_bounded():
    assert Experience(years=3, kind="medical office").years == 3
    with pytest.raises(ValidationError):
        Experience(years=-1, kind="x")


def test_skill_has_a_name():
    assert Skill(skill="Budgeting", example="Builds the annual budget").example
    with pytest.raises(ValidationError):
        Skill(skill="", example="x")


def test_role_info_checks_onet_code_and_id():
    assert (
        RoleInfo(id="medical-office-manager", title="M", onet_soc="11-9111.00").onet_soc
        == "11-9111.00"
    )
    with pytest.raises(ValidationError):
        RoleInfo(id="Medical Office", title="M", onet_soc="11-9111.00")
    with pytest.raises(ValidationError):
        RoleInfo(id="x", title="M", onet_soc="119111")


def test_unknown_keys_are_rejected_everywhere():
    with pytest.raises(ValidationError, match="extra"):
        Compensation(salary_mn=5)
    with pytest.raises(ValidationError, match="extra"):
        JobDescription(
            role={"id": "x", "title": "X", "onet_soc": "11-9111.00"},
            practice={"name": "A", "state": "CO"},
            surprise=1,
        )


@pytest.mark.parametrize(
    "text,slug",
    [
        ("Cedar Family Medicine", "cedar-family-medicine"),
        ("../../etc/x", "etc-x"),
        ("Clínica Niño", "clinica-nino"),
        ("///", "practice"),
        ("a" * 200, "a" * 120),
        ("Клиника", "klinika"),
    ],
)
def test_slugify_is_safe(text, slug):
    assert slugify(text) == slug


def test_practice_slugs_keep_the_role_and_stay_unique():
    from jdkit.models import practice_slug

    assert (
        practice_slug("Cedar Family Medicine", "medical-office-manager")
        == "cedar-family-medicine-medical-office-manager"
    )  # ordinary names keep their stems
    long_a, long_b = "Northern " * 10 + "Alpha Clinic", "Northern " * 10 + "Beta Clinic"
    a, b = practice_slug(long_a, "medical-coder"), practice_slug(long_b, "medical-coder")
    assert (
        a != b and a.endswith("-medical-coder") and b.endswith("-medical-coder") and len(a) <= 100
    )
    japanese, chinese = (
        practice_slug("日本語クリニック", "medical-office-manager"),
        practice_slug("日本语诊所", "medical-office-manager"),
    )
    assert japanese != chinese and japanese.endswith("-medical-office-manager")
    assert japanese.split("-")[0].isascii() and japanese != "medical-office-manager"
    assert practice_slug("日本語クリニック", "medical-office-manager") == japanese  # stable
    for stem in (a, b, japanese, chinese):
        assert "/" not in stem and ".." not in stem and stem == stem.lower()
