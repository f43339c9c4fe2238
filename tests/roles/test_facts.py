"""Issue 15, the fact pass over the role library: each corrected fact, read from the role data.

The role files are read as data (``jdkit.roles``): the text a document shows (every section
default) and the sources behind it (``role.sources``). Each test names the fact it guards.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from jdkit import params, roles
from jdkit.document import build, texts
from jdkit.models import Certification, Source

ROLE_IDS = roles.ids()
MANAGING = ("medical-office-manager", "practice-administrator")
CLINICAL_AND_MANAGING = ("medical-assistant", *MANAGING)
OVERPAYMENT_ROLES = ("medical-billing-specialist", "medical-coder", *MANAGING)


def strings(value: Any) -> Iterator[str]:
    """Every string inside ``value`` (mappings, lists, scalars)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def text(role_id: str) -> str:
    """Everything the role's documents say: every section default, as one lower-case string."""
    return " ".join(" ".join(s.split()) for s in strings(roles.get(role_id).defaults)).lower()


def sources(role_id: str) -> list[Source]:
    return [Source(**entry) for entry in roles.get(role_id).info["sources"]]


def source_texts(role_id: str) -> list[str]:
    return [
        " ".join(f"{s.fact} {s.source} {s.url or ''} {s.note or ''}".split())
        for s in sources(role_id)
    ]


def certifications(role_id: str) -> list[Certification]:
    return [
        Certification(**c) for c in roles.get(role_id).defaults["qualifications"]["certifications"]
    ]


def abbreviations(role_id: str) -> list[str]:
    return [
        a.split()[0]
        for c in certifications(role_id)
        for a in (c.abbreviation or c.name).split(" or ")
    ]


def items(role_id: str, section: str) -> list[str]:
    """The duties of a section of duty areas (responsibilities, daily_tasks, compliance), essential and marginal."""
    return [
        " ".join(item.split())
        for area in roles.get(role_id).defaults.get(section, [])
        for item in [*area.get("items", []), *area.get("marginal", [])]
    ]


def compliance(role_id: str, standard: str | None = None) -> list[str]:
    areas = roles.get(role_id).defaults["compliance"]
    return [
        " ".join(i.split())
        for a in areas
        if standard is None or a["standard"] == standard
        for i in a["items"]
    ]


def sentences(value: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", " ".join(value.split())) if s]


# -- every role ------------------------------------------------------------------------------


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_every_source_has_a_url_or_is_marked_unconfirmed_with_a_note(role_id):
    for source in sources(role_id):
        assert source.url or (not source.confirmed and source.note), source.fact
        if not source.confirmed:
            assert source.note, f"unconfirmed without a note saying what is missing: {source.fact}"
        if source.url:
            assert source.url.startswith("https://"), source.url


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_no_source_cites_the_urls_the_research_did_not_find(role_id):
    urls = {s.url for s in sources(role_id)}
    assert "https://www.naham.org/page/CHAM-Certification" not in urls
    assert "https://www.aapc.com/certifications/cpc" not in urls  # the page is /certification/cpc/


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_every_certification_has_an_issuer_and_a_source_naming_it_and_its_issuer(role_id):
    texts = source_texts(role_id)
    for cert in certifications(role_id):
        assert cert.issuer.strip()
        names = [a.split()[0] for a in (cert.abbreviation or cert.name).split(" or ")]
        bodies = [
            m.group(1) if (m := re.search(r"\(([^)]+)\)\s*$", i)) else i.strip()
            for i in cert.issuer.split(" or ")
        ]
        pairs = (
            [(names[0], b) for b in bodies]
            if len(names) == 1
            else [(n, bodies[0]) for n in names]
            if len(bodies) == 1
            else list(zip(names, bodies, strict=True))
        )
        for name, body in pairs:
            assert any(re.search(rf"\b{re.escape(name)}\b(?!-)", t) and body in t for t in texts), (
                role_id,
                name,
                body,
            )


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_roles_hold_no_pay_figures(role_id):
    pay = roles.get(role_id).defaults["compensation"]
    assert "salary_min" not in pay and "salary_max" not in pay


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_no_role_states_the_corrected_claims(role_id):
    said = text(role_id)
    sourced = " ".join(source_texts(role_id)).lower()
    for claim in (said, sourced):
        assert not re.search(
            r"decide within 60 days", claim
        )  # breach notices: no 60-day decision window
        assert not re.search(
            r"must be clia[- ]waived", claim
        )  # the certificate type sets what may be run
        assert not re.search(
            r"(yearly|annual) (hipaa )?(security )?risk analysis", claim
        )  # not the law's cycle
        assert (
            "available for any of these demands" not in claim
        )  # the ADA has an undue-hardship limit
        assert not re.search(
            r"only to the patient, their personal representative, or a third party", claim
        )
    assert not re.search(
        r"licensed (waste )?hauler", said
    )  # OSHA leaves disposal to state and local rules
    for source in source_texts(role_id):
        if "hauler" in source:
            assert "does not" in source, source  # only to say OSHA does not require one


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_the_eeo_statement_attributes_veteran_status_to_userra_not_the_eeoc(role_id):
    statement = roles.get(role_id).defaults["equal_opportunity"]
    veteran = [s for s in sentences(statement) if "veteran" in s]
    assert veteran and all("USERRA" in s and "EEOC" not in s for s in veteran), veteran
    eeoc = [s for s in sentences(statement) if "EEOC" in s]
    assert eeoc and all("veteran" not in s for s in eeoc)
    for law in ("Title VII", "ADEA", "ADA", "GINA", "Equal Pay Act"):
        assert law in statement
    assert (
        "To request a reasonable accommodation during hiring, contact the hiring manager."
        in " ".join(statement.split())
    )
    texts = source_texts(role_id)
    assert any("USERRA" in t and "dol.gov/agencies/vets" in t for t in texts)
    eeoc_sources = [t for t in texts if "eeoc.gov/overview" in t]
    assert eeoc_sources and all("veteran" not in t for t in eeoc_sources)
    assert all(
        law in eeoc_sources[0]
        for law in ("Title VII", "ADEA", "ADA", "GINA", "Equal Pay Act", "age 40")
    )


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_physical_demands_make_no_accommodation_promise_and_the_document_states_the_limit(role_id):
    demands = " ".join(
        " ".join(d["demand"].split()) for d in roles.get(role_id).defaults["physical_demands"]
    )
    assert (
        "accommodation" not in demands
    )  # jdkit's standard sentence says it, with the undue-hardship limit
    assert any("undue hardship" in t for t in source_texts(role_id))
    model = params.loads(f"role: {role_id}\npractice: {{name: A Clinic, state: TX}}\n")
    words = " ".join(texts(build(model)))
    # federal and state law: the ADA's Title I binds employers of 15 or more (42 U.S.C. 12111(5)(A))
    assert (
        "provides reasonable accommodation to a qualified individual with a disability, as federal and state "
        "disability law require, unless it would impose an undue hardship" in words
    )
    assert "as the ADA requires" not in words


# -- receptionist ----------------------------------------------------------------------------


def test_the_receptionist_credential_is_chaa_not_the_manager_credential_cham():
    assert "CHAA" in abbreviations("medical-receptionist")
    assert "CHAM" not in abbreviations("medical-receptionist")
    chaa = next(c for c in certifications("medical-receptionist") if c.abbreviation == "CHAA")
    assert chaa.name == "Certified Healthcare Access Associate" and "NAHAM" in chaa.issuer
    defaults = roles.get("medical-receptionist").defaults
    assert (
        "CHAM" not in defaults["compensation"]["bonus"]
        and "CHAA" in defaults["compensation"]["bonus"]
    )
    assert not any("CHAM" in c for c in defaults["benefits"]["development"]["covers"])
    assert "cham" not in text("medical-receptionist").split()
    source = next(t for t in source_texts("medical-receptionist") if "CHAA" in t)
    assert (
        "naham.org/page/CertificationFAQs" in source and "two years" in source
    )  # CHAM's management bar


def test_the_privacy_notice_metric_counts_documented_refusals_and_a_refusal_never_blocks_care():
    metric = next(
        m
        for m in roles.get("medical-receptionist").defaults["metrics"]
        if "acknowledgment" in m["name"]
    )
    assert "refusal" in metric["name"] and metric["target"] == 100
    hipaa = " ".join(compliance("medical-receptionist", "HIPAA"))
    assert "declined" in hipaa and "Never delay or refuse care" in hipaa
    assert any(
        "good-faith effort" in t and "164.520" in t for t in source_texts("medical-receptionist")
    )


# -- coder -----------------------------------------------------------------------------------


def test_the_coder_accepts_a_ccs_p_holder_as_well_as_a_cpc_holder():
    required = [c for c in certifications("medical-coder") if c.level == "required"]
    assert required and not any(
        c.abbreviation == "CPC" for c in required
    )  # CPC alone screens out CCS-P holders
    either = next(c for c in required if "CCS-P" in (c.abbreviation or ""))
    assert "CPC" in either.abbreviation and "AAPC" in either.issuer and "AHIMA" in either.issuer
    assert "Physician-based" in either.name
    assert "CCS" not in [
        a for a in abbreviations("medical-coder")
    ]  # the hospital credential is not the ask
    defaults = roles.get("medical-coder").defaults
    pay_and_development = " ".join(
        strings([defaults["compensation"], defaults["benefits"]["development"]])
    )
    assert not re.search(r"\bCCS\b(?!-P)", pay_and_development)
    assert any("CCS-P" in t and "AHIMA" in t for t in source_texts("medical-coder"))
    assert any("hospital" in t and "CCS" in t for t in source_texts("medical-coder"))


# -- medical assistant -----------------------------------------------------------------------


def test_the_medical_assistant_lists_ccma_and_a_red_cross_option_for_bls():
    certs = {c.abbreviation: c for c in certifications("medical-assistant")}
    assert "CCMA" in certs and "National Healthcareer Association (NHA)" == certs["CCMA"].issuer
    assert (
        "American Red Cross" in certs["BLS"].issuer
        and "American Heart Association" in certs["BLS"].issuer
    )
    assert certs["BLS"].level == "required"
    red_cross = next(s for s in sources("medical-assistant") if "Red Cross" in s.fact)
    assert not red_cross.confirmed and red_cross.note  # no primary page was found


def test_the_cma_aama_has_no_experience_only_route_and_the_role_says_so():
    equivalent = roles.get("medical-assistant").defaults["qualifications"]["education"][
        "equivalent"
    ]
    assert "no experience-only route" in " ".join(equivalent.split())
    source = next(
        t for t in source_texts("medical-assistant") if "CMA (AAMA)" in t and "aama-ntl.org" in t
    )
    assert "eligibility" in source and "experience alone" in source


def test_the_medical_assistant_says_scope_of_practice_varies_by_state():
    summary = " ".join(roles.get("medical-assistant").defaults["summary"].split())
    assert "varies by state" in summary
    scope = " ".join(compliance("medical-assistant", "State scope of practice"))
    assert "Washington" in scope and "MA-C" in scope and "New York" in scope
    texts = source_texts("medical-assistant")
    assert any("18.360" in t and "leg.wa.gov" in t for t in texts)
    assert any("op.nysed.gov" in t and "injections" in t for t in texts)


def test_every_injection_duty_is_phrased_where_state_law_allows():
    defaults = roles.get("medical-assistant").defaults
    duties = items("medical-assistant", "responsibilities") + items(
        "medical-assistant", "daily_tasks"
    )
    duties += [skill["example"] for skill in defaults["skills"]] + [defaults["summary"]]
    duties += [e["kind"] for e in defaults["qualifications"]["experience"]]
    giving = [
        " ".join(d.split())
        for d in duties
        if re.search(r"\b(give|gives|giving)\b[^.]*\b(injection|vaccine)", d, re.IGNORECASE)
        or re.search(r"\binjections\b", d)
        and "experience" not in d
    ]
    assert giving
    for duty in giving:
        assert "where state law allows" in duty.lower(), duty


def test_clia_tests_are_tied_to_the_practices_certificate_type():
    source = next(t for t in source_texts("medical-assistant") if "CLIA" in t)
    assert "certificate" in source.lower() and "complexity" in source
    assert any("certificate covers" in d for d in items("medical-assistant", "responsibilities"))


# -- office manager and practice administrator -----------------------------------------------


@pytest.mark.parametrize("role_id", MANAGING)
def test_the_managers_list_aapcs_cppm_as_preferred(role_id):
    cppm = [c for c in certifications(role_id) if c.abbreviation == "CPPM"]
    assert cppm and cppm[0].level == "preferred" and cppm[0].issuer == "AAPC"
    assert cppm[0].name == "Certified Physician Practice Manager"
    assert any("CPPM" in t and "aapc.com/certifications/cppm" in t for t in source_texts(role_id))


@pytest.mark.parametrize("role_id", MANAGING)
def test_the_flsa_sources_state_the_california_and_colorado_duties_tests_to_confirm(role_id):
    texts = source_texts(role_id)
    assert any("541.100" in t and "must confirm" in t for t in texts)
    assert any("California" in t and "more than half" in t and "must confirm" in t for t in texts)
    assert any(
        "Colorado" in t and "50%" in t and "2.2.2" in t and "must confirm" in t for t in texts
    )


def test_the_office_manager_keeps_the_hands_on_tasks_and_the_flsa_fact_names_them():
    daily = " ".join(items("medical-office-manager", "daily_tasks"))
    for task in ("bank deposit", "corrected claims", "sharps containers"):
        assert task in daily
    flsa = next(t for t in source_texts("medical-office-manager") if "541.100" in t)
    for task in ("deposit", "corrected claims", "sharps"):
        assert task in flsa


def test_the_office_managers_summary_and_wait_metric_measure_the_same_thing():
    defaults = roles.get("medical-office-manager").defaults
    summary = " ".join(defaults["summary"].split())
    wait = next(m for m in defaults["metrics"] if "wait" in m["name"].lower())
    assert (
        "check-in to rooming" in wait["name"]
        and wait["target"] == 15
        and wait["comparison"] == "at most"
    )
    assert "15 minutes or less from check-in to rooming" in summary
    assert "of arrival" not in summary
    flow = next(
        d for d in items("medical-office-manager", "daily_tasks") if "patient flow" in d.lower()
    )
    assert "15 minutes after check-in" in flow


# -- HIPAA -----------------------------------------------------------------------------------


def test_breach_notices_go_out_without_unreasonable_delay_and_by_day_60_at_the_latest():
    hipaa = " ".join(compliance("practice-administrator", "HIPAA"))
    assert (
        "without unreasonable delay" in hipaa
        and "no later than 60 calendar days after discovery" in hipaa
    )
    assert any(
        "164.404" in t and "outer limit" in t for t in source_texts("practice-administrator")
    )


def test_treatment_payment_and_operations_disclosures_need_no_authorization():
    hipaa = " ".join(compliance("medical-secretary", "HIPAA"))
    assert "treating providers and payers for treatment and payment" in hipaa
    needs_approval = " ".join(
        roles.get("medical-secretary").defaults["reporting"]["authority"]["needs_approval"]
    )
    assert "a treating provider or a payer" in " ".join(needs_approval.split())
    assert any(
        "164.506" in t and "without the patient's authorization" in t
        for t in source_texts("medical-secretary")
    )


@pytest.mark.parametrize("role_id", MANAGING)
def test_the_risk_analysis_is_the_laws_periodic_review_and_the_practices_yearly_schedule(role_id):
    item = next(i for i in compliance(role_id, "HIPAA") if "risk analysis" in i)
    assert "once a year, the practice's own schedule" in item
    source = next(t for t in source_texts(role_id) if "164.308" in t)
    assert (
        "accurate and thorough" in source and "periodic" in source and "no yearly cycle" in source
    )


@pytest.mark.parametrize("role_id", ("medical-office-manager", "medical-secretary"))
def test_records_requests_follow_hipaa_and_the_faster_state_laws(role_id):
    duties = items(role_id, "compliance") + items(role_id, "responsibilities")
    assert any(
        "within the time HIPAA and state law allow (30 days under HIPAA; sooner in some states, "
        "e.g. 15 days in California)" in d
        for d in duties
    )
    texts = source_texts(role_id)
    assert any("164.524" in t and "extension" in t for t in texts)
    assert any("123110" in t and "15 days" in t for t in texts)
    assert any("181.102" in t and "15th business day" in t for t in texts)


# -- overpayments ----------------------------------------------------------------------------


@pytest.mark.parametrize("role_id", OVERPAYMENT_ROLES)
def test_the_60_day_overpayment_rule_is_medicare_and_medicaids_with_the_2025_standard(role_id):
    for duty in items(role_id, "compliance"):
        if "overpayment" in duty and "60 days" in duty:
            assert "Medicare or Medicaid" in duty and "contracts" in duty, duty
    texts = source_texts(role_id)
    assert any(
        "60 days" in t and "Medicare" in t and ("401.305" in t or "1128J" in t) for t in texts
    )
    rule_2025 = [s for s in sources(role_id) if "180 days" in s.fact]
    assert (
        rule_2025
        and "False Claims Act" in rule_2025[0].fact
        and "January 1, 2025" in rule_2025[0].fact
    )
    assert (
        not rule_2025[0].confirmed and rule_2025[0].note
    )  # operative wording seen only in summaries


# -- OSHA ------------------------------------------------------------------------------------


def test_regulated_waste_disposal_is_left_to_state_and_local_rules():
    osha = " ".join(compliance("medical-office-manager", "OSHA"))
    assert "as state and local medical-waste rules require" in osha
    source = next(s for s in sources("medical-office-manager") if "regulated waste" in s.fact)
    assert "1910.1030" in source.fact and not source.confirmed and source.note


@pytest.mark.parametrize("role_id", ("medical-assistant", "medical-office-manager"))
def test_the_hepatitis_b_vaccine_follows_training_within_10_working_days_and_a_decliner_may_accept_later(
    role_id,
):
    item = next(i for i in compliance(role_id, "OSHA") if "hepatitis B" in i)
    assert (
        "after" in item and "training" in item and "10 working days" in item and "no cost" in item
    )
    assert "declin" in item and "later" in item
    assert any(
        "1910.1030" in t and "Appendix A" in t and "10 working days" in t
        for t in source_texts(role_id)
    )


@pytest.mark.parametrize("role_id", CLINICAL_AND_MANAGING)
def test_hazard_communication_is_in_the_clinical_and_managing_roles(role_id):
    osha = " ".join(compliance(role_id, "OSHA")).lower()
    assert "hazard communication" in osha and "safety data sheet" in osha
    assert any("1910.1200" in t and "disinfectant" in t.lower() for t in source_texts(role_id))
