"""The role library: every role loads, is sourced, refers to the others, and passes the checks."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jdkit import roles
from jdkit.checks import check, score
from jdkit.cli import cli
from jdkit.params import Params, build, read

from ..conftest import PARAMS, own_pay

TODAY = dt.date(2026, 11, 27)
CODES = {
    "medical-office-manager": "11-9111.00",
    "practice-administrator": "11-9111.00",
    "medical-billing-specialist": "43-3021.00",
    "medical-coder": "29-2072.00",
    "medical-receptionist": "43-4171.00",
    "medical-assistant": "31-9092.00",
    "medical-secretary": "43-6013.00",
}
OUTSIDE_TITLES = {"Physician Owner"}  # reporting targets that are not library roles
TITLES = {role.id: role.info["title"] for role in roles.all_roles()}


def model_for(role_id: str, state: str = "CO", **practice):
    return build(
        Params(
            {
                "role": role_id,
                "practice": {"name": "Role Clinic", "state": state, **practice},
                "position": {"date_posted": "2026-11-16", "valid_through": "2027-01-15"},
                "compensation": own_pay(role_id),
            }
        )
    )


def cert_alternatives(cert) -> list[tuple[str, str]]:
    """(abbreviation, issuing body) for each credential a certification entry accepts.

    "CPC or CCS-P" from "AAPC or AHIMA" is two: (CPC, AAPC) and (CCS-P, AHIMA); "BLS" from
    "American Heart Association (AHA) or American Red Cross" is (BLS, AHA) and (BLS, American Red Cross).
    """
    abbreviations = [a.split()[0] for a in (cert.abbreviation or cert.name).split(" or ")]
    bodies = []
    for issuer in cert.issuer.split(" or "):
        body = re.search(r"\(([^)]+)\)\s*$", issuer)  # "National ... (NAHAM)" -> NAHAM
        bodies.append(body.group(1) if body else issuer.strip())
    if len(abbreviations) == 1:
        return [(abbreviations[0], body) for body in bodies]
    if len(bodies) == 1:
        return [(abbreviation, bodies[0]) for abbreviation in abbreviations]
    assert len(abbreviations) == len(bodies), (cert.abbreviation, cert.issuer)
    return list(zip(abbreviations, bodies, strict=True))


def source_text(role_id: str) -> list[str]:
    return [
        " ".join(str(v) for v in source.values()) for source in roles.get(role_id).info["sources"]
    ]


def test_the_library_holds_the_seven_roles_with_their_onet_codes():
    assert {role.id: role.info["onet_soc"] for role in roles.all_roles()} == CODES


@pytest.mark.parametrize("role_id", sorted(CODES))
def test_every_role_loads_with_a_default_flsa_status_and_every_section(role_id):
    model = model_for(role_id)
    assert model.role.id == role_id and model.role.onet_soc == CODES[role_id]
    assert model.position.flsa_status in ("exempt", "non-exempt")
    for section in (
        "responsibilities",
        "skills",
        "daily_tasks",
        "metrics",
        "compliance",
        "physical_demands",
    ):
        assert getattr(model, section), section
    pay = roles.get(role_id).defaults["compensation"]
    assert "salary_min" not in pay and "salary_max" not in pay and pay["bonus"] and pay["overtime"]
    assert {m.family for m in model.metrics} == {
        "financial",
        "operational",
        "patient_satisfaction",
        "compliance",
    }
    assert all(skill.example for skill in model.skills)
    assert model.review.last_reviewed and model.review.owner


@pytest.mark.parametrize("role_id", sorted(CODES))
def test_every_role_sources_its_onet_code_certifications_and_flsa_basis(role_id):
    model = model_for(role_id)
    texts = source_text(role_id)
    assert any(CODES[role_id] in text and "onetonline.org" in text for text in texts)
    assert model.qualifications.certifications
    for cert in model.qualifications.certifications:
        for abbreviation, body in cert_alternatives(cert):
            assert any(abbreviation in text and body in text for text in texts), (
                abbreviation,
                body,
            )
    # Exempt rests on an exemption test (541.100 ...); non-exempt on why none applies.
    assert any(
        re.search(r"29 CFR 541\.\d{3}", text) and "FLSA" in text or "exempt" in text
        for text in texts
    )
    flsa = [text for text in texts if re.search(r"29 CFR 541\.\d{3}", text)]
    assert flsa and all(
        model.position.flsa_status.replace("-", " ") in t.replace("-", " ") for t in flsa
    )


@pytest.mark.parametrize(
    ("cert", "issuer"),
    [
        ("CPC", "AAPC"),
        ("CPB", "AAPC"),
        ("CCS-P", "AHIMA"),
        ("CMA", "AAMA"),
        ("CCMA", "NHA"),
        ("RMA", "AMT"),
        ("CHAA", "NAHAM"),
        ("CMPE", "ACMPE"),
        ("CMM", "PAHCOM"),
        ("CPPM", "AAPC"),
        ("BLS", "American Red Cross"),
    ],
)
def test_the_usual_certifications_are_offered_with_their_issuing_bodies(cert, issuer):
    offered = [
        pair
        for role_id in CODES
        for c in model_for(role_id).qualifications.certifications
        for pair in cert_alternatives(c)
    ]
    assert any(abbr == cert and issuer in body for abbr, body in offered), offered


@pytest.mark.parametrize("role_id", sorted(CODES))
def test_reporting_lines_refer_to_library_roles_and_agree_both_ways(role_id):
    reporting = model_for(role_id).reporting
    by_title = {title: role_id for role_id, title in TITLES.items()}
    assert reporting.reports_to in set(by_title) | OUTSIDE_TITLES
    for name in reporting.supervises:
        assert name in by_title, name
    if reporting.reports_to in by_title:  # my supervisor lists me among the roles it supervises
        boss = model_for(by_title[reporting.reports_to]).reporting
        assert TITLES[role_id] in boss.supervises


def test_the_receptionist_reports_to_the_office_manager_who_supervises_the_receptionist():
    assert model_for("medical-receptionist").reporting.reports_to == "Medical Office Manager"
    assert "Medical Receptionist" in model_for("medical-office-manager").reporting.supervises


@pytest.mark.parametrize("role_id", sorted(CODES))
@pytest.mark.parametrize("state", ["CO", "NY", "TX"])
def test_every_role_passes_check_with_no_error_and_a_score_of_at_least_90(role_id, state):
    findings = check(model_for(role_id, state, city="Springfield"), today=TODAY)
    assert not [f for f in findings if f.severity == "error"], findings
    assert score(findings) >= 90, [f for f in findings if f.severity != "info"]


def test_jdkit_roles_lists_id_title_and_code(runner):
    result = runner.invoke(cli, ["roles"])
    assert result.exit_code == 0
    rows = [line.split("  ") for line in result.stdout.splitlines()[1:]]
    listed = {cells[0]: ([c.strip() for c in cells[1:] if c.strip()]) for cells in rows}
    assert listed == {role_id: [TITLES[role_id], code] for role_id, code in CODES.items()}


@pytest.mark.parametrize("name", ["cedar-family-medicine-receptionist", "hudson-cardiology-coder"])
def test_the_new_role_examples_load_and_pass_also_with_their_practices_roles_declared(name):
    params = read(PARAMS / f"{name}.yaml")
    model = build(params)
    assert model.role.id != "medical-office-manager"
    findings = check(model, today=TODAY)
    assert not [f for f in findings if f.severity == "error"] and score(findings) >= 90
    declared = ["Physician Owner", *CODES]  # a practice with every library role
    with_roles = build(Params({**params, "practice": {**params["practice"], "roles": declared}}))
    assert [f for f in check(with_roles, today=TODAY) if f.rule.startswith("roles.")] == []


# -- the roles check: reporting lines against the practice's declared roles --------------------


def roles_findings(role_id: str, declared: list[str], **reporting):
    data = {"role": role_id, "practice": {"name": "Role Clinic", "state": "TX", "roles": declared}}
    if reporting:
        data["reporting"] = reporting
    return [f for f in check(build(Params(data)), today=TODAY, families=["roles"])]


def test_no_declared_roles_means_no_roles_findings():
    assert roles_findings("medical-office-manager", []) == []


def test_a_reporting_line_to_an_undeclared_role_is_a_warning_naming_the_field():
    found = roles_findings(
        "medical-office-manager",
        ["medical-office-manager", "Physician Owner"],
        supervises=["Medical Receptionist"],
    )
    assert [(f.rule, f.severity, f.field) for f in found] == [
        ("roles.reporting-line", "warning", "reporting.supervises.0")
    ]
    assert "'Medical Receptionist' is not one of the practice's roles" in found[0].message
    assert "add 'Medical Receptionist' to practice.roles" in found[0].hint


def test_declared_ids_titles_and_case_all_resolve():
    declared = [
        "medical-office-manager",
        "medical-receptionist",
        "MEDICAL ASSISTANT",
        "physician owner",
    ]
    assert (
        roles_findings(
            "medical-office-manager",
            declared,
            supervises=["Medical Receptionist", "medical-assistant"],
        )
        == []
    )


def test_a_missing_supervisor_gets_a_did_you_mean():
    found = roles_findings(
        "medical-receptionist",
        ["medical-receptionist", "medical-office-manager"],
        reports_to="Medical Ofice Manager",
    )
    assert [f.field for f in found] == ["reporting.reports_to"]
    assert found[0].hint.startswith("did you mean 'Medical Office Manager'?")


def test_unknown_role_ids_and_a_missing_own_role_are_warnings():
    found = roles_findings("medical-receptionist", ["medical-office-manager", "medical-asistant"])
    rules = {(f.rule, f.field) for f in found}
    assert ("roles.unknown-id", "practice.roles.1") in rules and (
        "roles.own-role",
        "practice.roles",
    ) in rules
    unknown = next(f for f in found if f.rule == "roles.unknown-id")
    assert "did you mean 'medical-assistant'?" in unknown.hint
