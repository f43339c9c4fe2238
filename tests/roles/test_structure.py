"""Issue 15, the structure half over the role library: essential and marginal functions, one
scoped catch-all, structured physical demands, the work environment and the conditions.

Every role is read through the real loader: ``jdkit.roles`` for the data as written (what a
role must not say) and ``jdkit.params.build`` for the merged model (what a practice gets),
then rendered to Markdown and checked through the real ``jdkit`` commands.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from jdkit import roles
from jdkit.checks import check
from jdkit.cli import cli
from jdkit.models import FREQUENCIES, JobDescription
from jdkit.params import Params, build, load as load_params

from ..conftest import EXAMPLES, example_ids, own_pay
from .test_facts import strings

ROLE_IDS = roles.ids()
TODAY = dt.date(2026, 12, 1)
DUTY_SECTIONS = ("responsibilities", "daily_tasks")
# Roles that touch federal health-program billing or furnish services that are billed.
BILLING = (
    "medical-billing-specialist",
    "medical-coder",
    "medical-office-manager",
    "practice-administrator",
    "medical-assistant",
)
# Roles in face-to-face contact with patients all day: the CDC's health care personnel.
PATIENT_CONTACT = ("medical-assistant", "medical-receptionist")
CATCH_ALL = re.compile(r"\bother\s+duties\b", re.I)
LIFTING = re.compile(r"\b(lift|carry|push)", re.I)
COMP_TIME = re.compile(r"\bcomp(?:ensatory)?\s+time\b|\btime\s+off\s+in\s+lieu\b", re.I)
# "Reasonable accommodation is available / will be considered for any of these demands": jdkit
# adds the ADA sentence with its undue-hardship limit, so a role makes no promise of its own.
DEMAND_PROMISE = re.compile(
    r"accommodation[^.]*\bany of (?:these|the) demands|any of (?:these|the) demands[^.]*accommodation",
    re.I,
)
HEADINGS = (
    "## Physical Demands and Work Environment",
    "## Conditions of Employment",
    "## About This Description",
    "### Marginal functions",
)
# States whose pay laws a role + practice + lawful range satisfies with nothing else set.
STATES = (
    ("NY", "New York"),
    ("TX", "Austin"),
    ("CA", "San Diego"),
    ("WA", "Seattle"),
    ("MT", "Billings"),
    ("IL", "Chicago"),
)


def plain(text: str) -> str:
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", plain(text)) if s]


def role_sentences(role_id: str) -> list[str]:
    """Every sentence the role's documents say (every section default, not the sources)."""
    return [s for text in strings(roles.get(role_id).defaults) for s in sentences(text)]


def params_data(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def minimal(role_id: str, state: str = "TX", city: str | None = None) -> dict[str, Any]:
    """The least a practice writes: the role, its name and state, and a lawful pay range."""
    practice = {"name": "Structure Clinic", "state": state, **({"city": city} if city else {})}
    return {"role": role_id, "practice": practice, "compensation": own_pay(role_id)}


@pytest.fixture(scope="module")
def models() -> dict[str, JobDescription]:
    return {role_id: build(Params(minimal(role_id))) for role_id in ROLE_IDS}


def duties(model: JobDescription) -> Iterator[tuple[str, int, str, str]]:
    """(section, area index, "items" or "marginal", duty) for every duty and daily task."""
    for section in DUTY_SECTIONS:
        for index, area in enumerate(getattr(model, section)):
            for kind in ("items", "marginal"):
                for duty in getattr(area, kind):
                    yield section, index, kind, duty


def test_the_library_holds_the_seven_roles():
    assert len(ROLE_IDS) == 7


# -- essential and marginal functions --------------------------------------------------------


@pytest.mark.parametrize("role_id", ROLE_IDS)
@pytest.mark.parametrize("section", DUTY_SECTIONS)
def test_every_role_has_essential_functions_in_each_duty_section(models, role_id, section):
    areas = getattr(models[role_id], section)
    assert areas and any(area.items for area in areas), (role_id, section)
    for area in areas:
        assert area.items or area.marginal, area.area  # the model's own rule, as loaded


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_every_role_marks_some_duties_marginal_but_keeps_most_essential(models, role_id):
    for section in DUTY_SECTIONS:
        kinds = [kind for s, _, kind, _ in duties(models[role_id]) if s == section]
        marginal = kinds.count("marginal")
        assert 1 <= marginal <= 3, (role_id, section, marginal)
        assert kinds.count("items") > marginal, (role_id, section)


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_every_role_has_exactly_one_catch_all_duty_scoped_and_marginal(models, role_id):
    found = [
        (section, index, kind, duty)
        for section, index, kind, duty in duties(models[role_id])
        if CATCH_ALL.search(duty)
    ]
    assert len(found) == 1, found
    section, _, kind, duty = found[0]
    assert section == "responsibilities" and kind == "marginal", found[0]
    assert re.search(r"\bother duties related to \w+", plain(duty)), duty
    assert "as assigned by the supervisor, such as " in plain(duty), duty  # one concrete example
    assert not re.search(r"\bother duties as assigned\b", duty, re.I)
    # Nothing else in the role reads as an open-ended duty either.
    others = [s for s in role_sentences(role_id) if CATCH_ALL.search(s) and s not in plain(duty)]
    assert others == [], others


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_the_checks_find_no_catch_all_or_essential_function_problem(models, role_id):
    findings = check(models[role_id], today=TODAY, families=["specificity", "completeness"])
    rules = {f.rule for f in findings}
    assert not rules & {
        "specificity.catch-all",
        "specificity.catch-all-essential",
        "specificity.vague-phrase",
        "completeness.essential-functions",
        "completeness.demand-frequency",
        "completeness.exposure-determination",
    }, findings


@pytest.mark.parametrize(
    "path",
    [p for p in EXAMPLES if {"responsibilities", "daily_tasks"} & set(params_data(p))],
    ids=lambda p: p.stem,
)
def test_example_files_that_replace_duties_keep_one_scoped_marginal_catch_all(path):
    model = load_params(path)
    found = [
        (section, kind, duty) for section, _, kind, duty in duties(model) if CATCH_ALL.search(duty)
    ]
    assert len(found) == 1 and found[0][0] == "responsibilities" and found[0][1] == "marginal", (
        found
    )
    assert "related to" in found[0][2]
    for section in DUTY_SECTIONS:
        assert any(area.items for area in getattr(model, section)), section


def test_the_hudson_coder_example_replaces_the_duties_and_carries_the_structure():
    data = params_data(
        Path(__file__).resolve().parents[2] / "params" / "hudson-cardiology-coder.yaml"
    )
    assert any(area.get("marginal") for area in data["responsibilities"])


# -- physical demands and work environment ---------------------------------------------------


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_every_physical_demand_is_structured_with_a_dot_frequency(role_id):
    raw = roles.get(role_id).defaults["physical_demands"]
    assert raw and all(isinstance(d, dict) for d in raw), (
        "demands are {demand, frequency, weight_lb} items"
    )
    model = build(Params(minimal(role_id)))
    for demand in model.physical_demands:
        assert demand.frequency in FREQUENCIES, demand
        assert not demand.demand.endswith(".")  # the document adds the full stop


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_lifting_demands_carry_their_weight_in_weight_lb_not_in_the_text(models, role_id):
    demands = models[role_id].physical_demands
    assert any(LIFTING.search(d.demand) for d in demands), "every role lifts something"
    for demand in demands:
        if LIFTING.search(demand.demand):
            assert demand.weight_lb, demand
        else:
            assert demand.weight_lb is None, demand  # a weight only where something is lifted
        assert not re.search(r"\b\d+\s*(pounds|lbs?)\b", demand.demand, re.I), demand


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_every_role_states_its_work_environment_and_exposure_determination(models, role_id):
    env = models[role_id].work_environment
    assert 1 <= len(env.setting) <= 3
    assert env.exposure in ("all", "some", "none")
    assert bool(env.exposure_tasks) == (env.exposure == "some")


def test_the_medical_assistant_has_exposure_all_and_the_clinical_conditions(models):
    model = models["medical-assistant"]
    assert model.work_environment.exposure == "all"
    assert model.conditions.immunizations and model.conditions.credential_verification
    assert model.work_environment.chemicals  # disinfectants and sterilants: hazard communication


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_roles_that_use_disinfectants_list_them_as_chemicals(models, role_id):
    osha = " ".join(
        i for a in models[role_id].compliance if a.standard == "OSHA" for i in a.items
    ).lower()
    if re.search(r"\b(using|use|with) (a|the approved) disinfectant", osha):
        assert models[role_id].work_environment.chemicals, role_id


# -- conditions of employment ----------------------------------------------------------------


@pytest.mark.parametrize("role_id", BILLING)
def test_billing_related_roles_screen_against_the_exclusion_lists(models, role_id):
    assert models[role_id].conditions.exclusion_screening


@pytest.mark.parametrize("role_id", PATIENT_CONTACT)
def test_roles_in_face_to_face_contact_with_patients_ask_for_immunizations(models, role_id):
    assert models[role_id].conditions.immunizations


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_credential_verification_is_on_exactly_where_a_credential_is_required(models, role_id):
    model = models[role_id]
    required = any(c.level == "required" for c in model.qualifications.certifications)
    assert model.conditions.credential_verification == required


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_every_role_sets_each_condition_itself(role_id):
    conditions = roles.get(role_id).defaults["conditions"]
    assert set(conditions) >= {
        "background_check",
        "exclusion_screening",
        "immunizations",
        "credential_verification",
        "work_authorization",
    }
    assert conditions["background_check"] is True and conditions["work_authorization"] is True


# -- what a role must not say ----------------------------------------------------------------


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_no_role_promises_a_vacation_payout_or_a_vesting_schedule_outside_the_plan(role_id):
    for sentence in role_sentences(role_id):
        if "paid out when employment ends" in sentence:
            assert (
                sentence.startswith("Whether") and "written leave policy and state law" in sentence
            ), sentence
    vesting = plain(roles.get(role_id).defaults["benefits"]["retirement"]["vesting"])
    match = [s for s in sentences(vesting) if "match" in s]
    assert match and all(s.startswith("Under the plan document, ") for s in match), match


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_no_role_offers_compensatory_time(role_id):
    said = [s for s in role_sentences(role_id) if COMP_TIME.search(s)]
    assert said == []
    overtime = plain(roles.get(role_id).defaults["compensation"]["overtime"])
    if roles.get(role_id).defaults["position"]["flsa_status"] == "exempt":
        assert "does not depend on the hours worked" in overtime and "day off" not in overtime
        assert not re.search(r"\b(weekday|day) off\b", overtime)  # time back for hours is comp time
    else:
        assert (
            "1.5 times the regular rate" in overtime and "all overtime worked is paid" in overtime
        )


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_no_role_repeats_the_standard_accommodation_sentence_as_its_own_promise(role_id):
    said = " ".join(role_sentences(role_id))
    assert not DEMAND_PROMISE.search(said)
    assert "accommodation is available" not in said.lower()
    demands = " ".join(strings(roles.get(role_id).defaults["physical_demands"])).lower()
    assert "accommodation" not in demands and "ada" not in demands.split()


@pytest.mark.parametrize("path", EXAMPLES, ids=example_ids())
def test_no_example_file_makes_the_promises_either(path):
    said = " ".join(plain(s) for s in strings(params_data(path)))
    assert not COMP_TIME.search(said) and not DEMAND_PROMISE.search(said)
    for sentence in sentences(said):
        if "paid out when employment ends" in sentence:
            assert sentence.startswith("Whether"), sentence


# -- the rendered description ----------------------------------------------------------------


def _write(folder: Path, role_id: str, data: dict[str, Any]) -> Path:
    path = folder / f"{role_id}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_every_role_renders_to_markdown_with_the_new_sections(runner, tmp_path, role_id):
    path = _write(tmp_path, role_id, minimal(role_id))
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(path), "--to", "md", "--out", str(out)])
    assert result.exit_code == 0, result.output
    (md_file,) = out.glob("*.md")
    md = md_file.read_text(encoding="utf-8")
    for heading in HEADINGS:
        assert heading in md, heading
    assert (
        md.index("## Physical Demands and Work Environment")
        < md.index("## Conditions of Employment")
        < md.index("## About This Description")
    )
    responsibilities = md[md.index("## Responsibilities") : md.index("## Qualifications")]
    assert "with or without reasonable accommodation" in responsibilities
    marginal = responsibilities[responsibilities.index("### Marginal functions") :]
    assert re.search(r"other duties related to", marginal.replace("\\", ""), re.I)
    essential = responsibilities[: responsibilities.index("### Marginal functions")]
    assert not CATCH_ALL.search(essential)
    physical = md[
        md.index("## Physical Demands and Work Environment") : md.index(
            "## Conditions of Employment"
        )
    ]
    assert physical.count("undue hardship") == 1  # jdkit's one sentence, not the role's
    assert "OSHA exposure determination" in physical
    conditions = md[md.index("## Conditions of Employment") :]
    assert "Background check" in conditions and "Work authorization" in conditions
    assert ("Exclusion screening" in conditions) == roles.get(role_id).defaults["conditions"][
        "exclusion_screening"
    ]


# -- jdkit check ------------------------------------------------------------------------------


def test_the_example_files_still_pass_check_with_a_score_of_at_least_90(runner):
    result = runner.invoke(
        cli,
        [
            "check",
            *map(str, EXAMPLES),
            "--min-score",
            "90",
            "--today",
            TODAY.isoformat(),
            "--format",
            "json",
        ],
    )
    report = json.loads(result.stdout)
    assert result.exit_code == 0, [
        (d["file"], d["score"], [f for f in d["findings"] if f["severity"] != "info"])
        for d in report["documents"]
        if not d["passed"]
    ]
    assert report["errors"] == [] and report["summary"]["failed"] == 0
    assert all(d["counts"]["error"] == 0 and d["score"] >= 90 for d in report["documents"])


@pytest.mark.parametrize("role_id", ROLE_IDS)
@pytest.mark.parametrize(("state", "city"), STATES, ids=[s for s, _ in STATES])
def test_a_minimal_parameter_file_has_no_error(runner, tmp_path, role_id, state, city):
    path = _write(tmp_path, role_id, minimal(role_id, state, city))
    result = runner.invoke(
        cli, ["check", str(path), "--today", TODAY.isoformat(), "--format", "json"]
    )
    report = json.loads(result.stdout)
    assert report["errors"] == []
    (document,) = report["documents"]
    errors = [f for f in document["findings"] if f["severity"] == "error"]
    assert errors == [], errors


@pytest.mark.parametrize("role_id", ROLE_IDS)
def test_in_colorado_a_minimal_file_with_the_application_deadline_has_no_error(
    runner, tmp_path, role_id
):
    # Colorado's Equal Pay for Equal Work Act also asks when applications close (pay.deadline-required).
    data = {
        **minimal(role_id, "CO", "Denver"),
        "position": {"date_posted": "2026-11-20", "valid_through": "2027-01-15"},
    }
    path = _write(tmp_path, role_id, data)
    result = runner.invoke(
        cli, ["check", str(path), "--today", TODAY.isoformat(), "--format", "json"]
    )
    (document,) = json.loads(result.stdout)["documents"]
    assert [f for f in document["findings"] if f["severity"] == "error"] == []
