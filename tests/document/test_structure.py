"""The legal structure of a description (issue 15): essential and marginal functions, physical
demands on the DOT scale, the work environment with the OSHA exposure determination,
conditions of employment (fair-chance aware), the standard statements and the
acknowledgment block, each switchable, in every format.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from jdkit import params, statements
from jdkit.checks import check
from jdkit.cli import cli
from jdkit.document import build, texts
from jdkit.models import JobDescription, Practice

from ..conftest import PARAMS
from .test_document import squash, text_of

CEDAR = PARAMS / "cedar-family-medicine.yaml"  # the office manager in Denver, CO
FORMATS = ("html", "md", "docx", "pdf", "jsonld")
DAY = dt.date(2026, 12, 1)


def write(folder: Path, name: str, data: dict) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def cedar(**changes: object) -> dict:
    data = dict(params.read(CEDAR))
    data.update(changes)
    return data


def render(
    folder: Path, path: Path, formats: tuple[str, ...] = FORMATS, kind: str = "description"
) -> dict[str, str]:
    out = folder / "out"
    result = CliRunner().invoke(
        cli, ["render", str(path), "--to", ",".join(formats), "--kind", kind, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output + result.stderr
    found = {}
    for fmt in formats:
        ext = {"jsonld": "jsonld"}.get(fmt, fmt)
        files = sorted(out.rglob(f"*.{ext}"))
        assert files, (fmt, list(out.rglob("*")))
        found[fmt] = squash(text_of(files[0], fmt))
    return found


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("full")
    return render(folder, write(folder, "cedar", cedar()))


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every switch off: no acknowledgment, statements or conditions."""
    folder = tmp_path_factory.mktemp("bare")
    data = cedar(
        acknowledgment=False,
        statements={"at_will": False, "not_a_contract": False, "benefits_not_contract": False},
        conditions={
            "background_check": False,
            "exclusion_screening": False,
            "immunizations": False,
            "credential_verification": False,
            "work_authorization": False,
        },
    )
    return render(folder, write(folder, "bare", data), ("html", "md", "docx", "pdf"))


DESCRIPTION_WORDS = (
    "are the essential functions of the position. The employee performs them with or without reasonable accommodation",
    "Marginal functions",
    "are not essential functions of it",
    "Physical Demands and Work Environment",
    "Occasionally",
    "Frequently",
    "Constantly",
    "Up to 25 lb",
    "unless it would impose an undue hardship",
    "Some tasks of this position involve occupational exposure to blood",
    "checking and closing full sharps containers and biohazard bins",
    "hazard communication program",
    "Conditions of Employment",
    "run only after a conditional offer of employment",
    "Colorado Chance to Compete Act), the application asks nothing about criminal history",
    "List of Excluded Individuals and Entities",
    "Form I-9",
    "About This Description",
    "Employment with the practice is at will",
    "This description is not a contract of employment",
    "The plan documents and the practice's written policies govern",
    "Acknowledgment",
    "By signing, the employee confirms having received and read this job description",
)


@pytest.mark.parametrize("fmt", ("html", "md", "docx", "pdf"))
def test_every_part_of_the_structure_is_in_every_format(full: dict[str, str], fmt: str) -> None:
    text = full[fmt]
    missing = [words for words in DESCRIPTION_WORDS if squash(words) not in text]
    assert missing == [], fmt
    assert "cannot be modified" not in text and "cannot be amended" not in text
    # The signature block: name, signature and date lines for both parties.
    assert text.count("Signature") >= 2 and "Employee" in text and "Supervisor" in text


def test_marginal_duties_are_listed_apart_from_the_essential_ones(full: dict[str, str]) -> None:
    text = full["md"]
    marginal = text.index("Marginal functions")
    assert text.index("Order clinical and office supplies every week") > marginal
    assert (
        text.index("Walk through the office each morning") < marginal
    )  # an essential duty comes first
    assert (
        "Take on other duties related to running the office, as assigned by the supervisor" in text
    )


@pytest.mark.parametrize("fmt", ("html", "md", "docx", "pdf"))
def test_switches_leave_out_the_acknowledgment_statements_and_conditions(
    bare: dict[str, str], fmt: str
) -> None:
    text = bare[fmt]
    for gone in (
        "Acknowledgment",
        "By signing",
        "Conditions of Employment",
        "About This Description",
        "at will",
        "not a contract",
        "The plan documents",
        "Form I-9",
    ):
        assert gone not in text, (fmt, gone)
    assert "Physical Demands and Work Environment" in text and "Marginal functions" in text


def test_the_posting_and_its_json_ld_carry_essential_duties_only(tmp_path: Path) -> None:
    path = write(tmp_path, "cedar", cedar())
    found = render(tmp_path, path, ("html", "jsonld"), kind="posting")
    for fmt in ("html", "jsonld"):
        assert "Marginal functions" not in found[fmt]
        assert "Order clinical and office supplies" not in found[fmt]
        assert "Hire front-desk, medical-assistant and billing staff" in found[fmt]
        assert "Acknowledgment" not in found[fmt]


def model_of(data: dict) -> JobDescription:
    return params.build(params.reads(yaml.safe_dump(data)))


def test_montana_gets_the_good_cause_statement_not_at_will() -> None:
    data = cedar()
    data["practice"] = {**data["practice"], "state": "MT", "city": "Billings"}
    text = list(texts(build(model_of(data), today=DAY)))
    assert any(
        "Wrongful Discharge from Employment Act" in t and "only for good cause" in t for t in text
    )
    assert not any("is at will" in t for t in text)


@pytest.mark.parametrize(
    ("state", "city", "employees", "law"),
    [
        ("CA", "Sacramento", 12, "ca"),
        ("CA", "Sacramento", 3, None),  # under California's five-employee threshold
        ("NY", "Brooklyn", 10, "nyc"),
        ("NY", "Albany", 10, None),
        ("CO", "Denver", 2, "co"),
        ("IL", "Chicago", 20, "il"),
        ("IL", "Chicago", 9, None),
        ("WA", "Spokane", 1, "wa"),
        ("PA", "Philadelphia", 5, "philadelphia"),
        ("PA", "Pittsburgh", 5, None),
        ("TX", "Austin", 50, None),
        ("CA", "Fresno", None, "ca"),  # headcount unknown: the law is named
    ],
)
def test_the_fair_chance_law_of_the_place_is_found(
    state: str, city: str, employees: int | None, law: str | None
) -> None:
    practice = Practice(name="A Clinic", state=state, city=city, employees=employees)
    found = statements.fair_chance_law(practice, DAY)
    assert (found.id if found else None) == law


def test_dc_counts_only_employees_in_the_district() -> None:
    many_elsewhere = Practice(name="A", state="DC", employees=40, employees_in_state=6)
    assert statements.fair_chance_law(many_elsewhere, DAY) is None
    assert statements.fair_chance_law(
        Practice(name="A", state="DC", employees=40, employees_in_state=12), DAY
    )


def test_a_law_not_yet_in_force_is_not_named() -> None:
    practice = Practice(name="A Clinic", state="CA", city="Fresno", employees=20)
    assert statements.fair_chance_law(practice, dt.date(2017, 6, 1)) is None


@pytest.mark.parametrize(
    ("state", "city", "words"),
    [
        (
            "CA",
            "Fresno",
            "Cal. Gov. Code 12952 (Fair Chance Act, AB 1008), criminal history is asked about only after "
            "a conditional offer",
        ),
        ("IL", "Chicago", "chosen for an interview"),
        ("WA", "Seattle", "finds the candidate otherwise qualified"),
    ],
)
def test_the_background_check_names_the_law_and_its_timing(
    state: str, city: str, words: str
) -> None:
    data = cedar()
    data["practice"] = {**data["practice"], "state": state, "city": city, "employees": 30}
    conditions = dict(statements.conditions(model_of(data), DAY))
    assert words in conditions["Background check"]
    assert conditions["Background check"].startswith(
        "A criminal background check, run only after a conditional offer"
    )


def test_every_statement_source_has_an_address_and_unconfirmed_ones_say_why() -> None:
    sources = statements.sources()
    assert len(sources) >= 12
    for source in sources:
        assert source.url and source.url.startswith("https://"), source.fact
        assert source.accessed is not None
        if not source.confirmed:
            assert source.note, source.fact


def test_every_statement_text_is_a_finished_sentence() -> None:
    for path in (
        ("essential_functions",),
        ("marginal_functions",),
        ("physical_demands",),
        ("at_will",),
        ("at_will_montana",),
        ("not_a_contract",),
        ("benefits_not_contract",),
        ("acknowledgment",),
        ("conditions", "work_authorization"),
        ("conditions", "exclusion_screening"),
        ("conditions", "immunizations"),
        ("conditions", "credential_verification"),
    ):
        words = statements.text(*path)
        assert words[0].isupper() and words.endswith("."), path
        assert "{" not in words and "  " not in words


# -- the model and the checks -----------------------------------------------------------------


def test_a_plain_sentence_is_still_a_physical_demand_without_a_frequency() -> None:
    data = cedar(physical_demands=["Lifts boxes of paper"])
    model = model_of(data)
    assert (
        model.physical_demands[0].demand == "Lifts boxes of paper"
        and model.physical_demands[0].frequency is None
    )
    rules = {f.rule for f in check(model, today=DAY)}
    assert "completeness.demand-frequency" in rules


def test_an_unknown_frequency_is_one_clear_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad",
        cedar(physical_demands=[{"demand": "Lift boxes", "frequency": "sometimes"}]),
    )
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 2
    assert "physical_demands" in result.stderr and "occasionally" in result.stderr
    assert "Traceback" not in result.stderr


def test_exposure_some_needs_its_tasks(tmp_path: Path) -> None:
    path = write(
        tmp_path, "bad", cedar(work_environment={"exposure": "some", "exposure_tasks": []})
    )
    result = CliRunner().invoke(cli, ["render", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "exposure_tasks" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.html"))


def test_an_area_with_only_marginal_duties_is_one_clear_error(tmp_path: Path) -> None:
    data = cedar(
        responsibilities=[
            {"area": "Operations", "marginal": ["Order supplies for the front desk every week"]}
        ]
    )
    result = CliRunner().invoke(cli, ["check", str(write(tmp_path, "marginal", data))])
    assert result.exit_code == 2, result.output
    assert "responsibilities.0.items" in result.stderr and "Traceback" not in result.stderr


def test_a_catch_all_among_the_essential_functions_is_flagged() -> None:
    data = cedar(
        responsibilities=[
            {
                "area": "Operations",
                "items": [
                    "Run the front desk schedule for every clinic session each week",
                    "Perform other duties related to the front office, as assigned by the supervisor",
                ],
            }
        ]
    )
    found = [
        f for f in check(model_of(data), today=DAY) if f.rule.startswith("specificity.catch-all")
    ]
    assert [(f.rule, f.field) for f in found] == [
        ("specificity.catch-all-essential", "responsibilities.0.items.1"),
        ("specificity.catch-all-missing", "responsibilities"),
    ]


def test_the_scoped_catch_all_is_accepted_and_an_unscoped_one_is_not() -> None:
    def catch_all_findings(text: str) -> list[str]:
        data = cedar(
            responsibilities=[
                {
                    "area": "Operations",
                    "items": ["Run the front desk schedule every week"],
                    "marginal": [text],
                }
            ]
        )
        return [
            f.rule
            for f in check(model_of(data), today=DAY)
            if f.rule.startswith("specificity.catch-all") or "other duties" in f.message.lower()
        ]

    assert (
        catch_all_findings(
            "Take on other duties related to the practice's administration, as assigned by "
            "the supervisor"
        )
        == []
    )
    assert catch_all_findings("Additional tasks as needed by the office") == [
        "specificity.catch-all",
        "specificity.catch-all-missing",
    ]
    assert catch_all_findings("Other duties as assigned.") == [
        "specificity.vague-phrase",
        "specificity.catch-all-missing",
    ]


def test_physical_demands_are_never_flagged_by_the_inclusive_rules() -> None:
    data = cedar(
        physical_demands=[
            {
                "demand": "Stand and walk the clinic floor; lift and carry boxes",
                "frequency": "frequently",
                "weight_lb": 40,
            }
        ],
        work_environment={
            "setting": ["A fast clinic where staff must be able to hear alarms"],
            "exposure": "none",
            "exposure_tasks": [],
        },
    )
    inclusive = [
        f
        for f in check(model_of(data), today=DAY)
        if f.rule.startswith("inclusive.") and f.section in ("physical_demands", "work_environment")
    ]
    assert inclusive == []


@pytest.mark.parametrize(("status", "severity"), [("non-exempt", "error"), ("exempt", "warning")])
def test_compensatory_time_is_refused(status: str, severity: str) -> None:
    data = cedar()
    data["position"] = {**data.get("position", {}), "flsa_status": status}
    data["compensation"] = {
        **data["compensation"],
        "overtime": "Extra hours earn compensatory time off.",
    }
    found = [f for f in check(model_of(data), today=DAY) if f.rule == "flsa.comp-time"]
    assert [(f.severity, f.field) for f in found] == [(severity, "compensation.overtime")]
    assert "207(o)" in found[0].message or status == "exempt"


def test_json_ld_has_no_acknowledgment_or_statements(tmp_path: Path) -> None:
    path = write(tmp_path, "cedar", cedar())
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["render", str(path), "--to", "jsonld", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    data = json.loads(next(out.rglob("*.jsonld")).read_text())
    assert not re.search(r"Acknowledgment|By signing|not a contract", data["description"])
