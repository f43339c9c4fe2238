"""schema.org JobPosting: parsed back with json, its description checked, its embedding escaped."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser

import pytest
import yaml
from markupsafe import escape

from jdkit import params
from jdkit.checks import FAMILIES, check
from jdkit.document import build as build_document, texts
from jdkit.document.jsonld import DESCRIPTION_TAGS, jobposting, script_json
from jdkit.models import US_STATES, JobDescription
from jdkit.params import Params, build, schema
from jdkit.render import pay_range, render

from ..conftest import EXAMPLES, example_ids


@pytest.fixture(params=EXAMPLES, ids=example_ids())
def example(request):
    return yaml.safe_load(request.param.read_text()), params.load(request.param)


class Tags(HTMLParser):
    """Collect start tags, end tags and the text inside script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.start: list[tuple[str, dict]] = []
        self.end: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.start.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self.end.append(tag)
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def tags(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    parser.close()
    return parser


def test_every_example_is_a_jobposting_with_the_employers_pay(example):
    raw, model = example
    data = json.loads(render(model, "jsonld"))
    assert data["@context"] == "https://schema.org/" and data["@type"] == "JobPosting"
    assert data["title"] == model.title
    pay = data["baseSalary"]
    assert pay["@type"] == "MonetaryAmount" and pay["currency"] == "USD"
    value = pay["value"]
    assert value["@type"] == "QuantitativeValue"
    assert value["minValue"] == raw["compensation"]["salary_min"]
    assert value["maxValue"] == raw["compensation"]["salary_max"]
    assert value["unitText"] == raw["compensation"]["period"]
    assert data["hiringOrganization"] == {"@type": "Organization", "name": raw["practice"]["name"]}
    address = data["jobLocation"]["address"]
    assert address["@type"] == "PostalAddress" and data["jobLocation"]["@type"] == "Place"
    assert (address["addressLocality"], address["addressRegion"], address["addressCountry"]) == (
        raw["practice"]["city"],
        raw["practice"]["state"],
        "US",
    )
    assert data["employmentType"] == model.position.employment_type
    assert data["occupationalCategory"] == model.role.onet_soc
    education = model.qualifications.education
    if education:
        assert data["educationRequirements"][0]["name"].startswith(education.degree)
    years = [e.years for e in model.qualifications.experience if e.level == "required"]
    if years:
        assert data["experienceRequirements"] == {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": max(years) * 12,
        }
    assert "jobLocationType" not in data  # none of the examples is fully remote
    posted = raw.get("position", {}).get("date_posted")
    assert data.get("datePosted") == (posted.isoformat() if posted else None)


def test_description_uses_only_googles_tags_and_covers_the_job(example):
    _, model = example
    data = jobposting(model)
    parsed = tags(data["description"])
    assert {tag for tag, _ in parsed.start} <= set(DESCRIPTION_TAGS)
    assert all(not attrs for _, attrs in parsed.start)
    text = data["description"]
    posting = build_document(model, "posting")
    assert posting.section_titles == [
        "About the Job",
        "What You Will Do",
        "What You Bring",
        "Pay and Benefits",
        "Equal Opportunity",
        "How to Apply",
    ]
    for title in posting.section_titles:  # the description is the posting, as the page shows it
        assert f"<p><strong>{title}</strong></p>" in text
    assert f"<strong>Schedule:</strong> {escape(model.position.schedule)}" in text
    assert f"<strong>Pay range:</strong> {escape(pay_range(model))}" in text
    assert str(escape(model.responsibilities[0].items[0])) in text
    education = model.qualifications.education
    assert education is None or str(escape(education.degree)) in text
    for piece in texts(posting):
        if piece == posting.title:
            continue  # the JobPosting's "title" property
        assert str(escape(piece)) in text, piece


def test_remote_role_is_telecommute_with_applicant_location(good):
    good["position"] = {"location_type": "remote"}
    data = jobposting(build(Params(good)))
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "State", "name": US_STATES["CO"]}
    assert "jobLocation" not in data


def test_hybrid_role_keeps_its_office_and_is_not_telecommute(good):
    good["position"] = {"location_type": "hybrid"}
    data = jobposting(build(Params(good)))
    assert "jobLocationType" not in data and data["jobLocation"]["address"]["addressRegion"] == "CO"


@pytest.mark.parametrize(
    "pay,expected",
    [
        ({"salary_min": 80000, "salary_max": 80000}, {"value": 80000}),
        ({"salary_min": 30.5, "salary_max": None, "period": "HOUR"}, {"minValue": 30.5}),
        ({"salary_min": None, "salary_max": 5000, "period": "MONTH"}, {"maxValue": 5000}),
    ],
)
def test_salary_shapes(good, pay, expected):
    good["compensation"] = pay
    value = jobposting(build(Params(good)))["baseSalary"]["value"]
    assert {k: v for k, v in value.items() if k not in ("@type", "unitText")} == expected
    assert value["unitText"] == pay.get("period", "YEAR")


def test_no_salary_figures_means_no_base_salary(good):
    good["compensation"] = {"salary_min": None, "salary_max": None, "bonus": "Competitive pay"}
    assert "baseSalary" not in jobposting(build(Params(good)))


def test_address_dates_and_website_fill_their_properties(good):
    good["practice"].update(
        street_address="1200 Larimer St, Suite 300",
        postal_code="80204",
        city="Denver",
        website="https://acme.example/careers",
    )
    good["position"] = {"date_posted": "2026-11-16", "valid_through": "2027-01-15"}
    data = jobposting(build(Params(good)))
    assert data["jobLocation"]["address"]["streetAddress"] == "1200 Larimer St, Suite 300"
    assert data["jobLocation"]["address"]["postalCode"] == "80204"
    assert data["hiringOrganization"]["sameAs"] == "https://acme.example/careers"
    assert (data["datePosted"], data["validThrough"]) == ("2026-11-16", "2027-01-15")


def test_new_fields_are_in_the_json_schema():
    practice = schema()["$defs"]["Practice"]["properties"]
    position = schema()["$defs"]["Position"]["properties"]
    assert {"street_address", "postal_code", "website"} <= set(practice)
    assert {"date_posted", "valid_through"} <= set(position)


def hostile(model: JobDescription, text: str) -> JobDescription:
    data = model.model_dump(mode="json", exclude={"review": {"next_due"}})
    data["practice"]["name"] = text
    data["position"]["title"] = text
    data["summary"] = text
    data["skills"][0]["skill"] = text
    return JobDescription.model_validate(data)


ATTACK = '</script><script>alert("x")</script><!-- & \u2028 {{ jd }}'


def test_embedded_jsonld_cannot_close_its_script_tag(example):
    _, model = example
    evil = hostile(model, ATTACK)
    html = render(evil, "html", embed_jsonld=True)
    parsed = tags(html)
    assert [tag for tag, _ in parsed.start].count("script") == 1
    assert parsed.start[[t for t, _ in parsed.start].index("script")][1] == {
        "type": "application/ld+json"
    }
    body = parsed.scripts[0]
    assert "<" not in body and ">" not in body and "&" not in body
    assert "\\u003c/script\\u003e" in body
    data = json.loads(body)
    assert data["title"] == ATTACK and data["hiringOrganization"]["name"] == ATTACK
    assert data == json.loads(render(evil, "jsonld"))


def test_html_without_the_flag_has_no_script(example):
    _, model = example
    assert "<script" not in render(model, "html")


@pytest.fixture(scope="module")
def chromium_page():
    """One headless Chromium page for the module: each test sets its own content on it."""
    from playwright.sync_api import sync_playwright

    from jdkit.export.pdf import CHROMIUM_ARGS, find_chromium

    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        yield browser.new_page()
        browser.close()


@pytest.mark.slow
def test_chromium_reads_the_embedded_jsonld_back(example, chromium_page):
    """A real browser parses the page: one script element whose JSON round-trips."""
    _, model = example
    evil = hostile(model, ATTACK)
    page = chromium_page
    page.set_content(render(evil, "html", embed_jsonld=True))
    found = page.evaluate("""() => [...document.querySelectorAll('script')]
        .map(s => [s.type, JSON.parse(s.textContent)])""")
    assert len(found) == 1 and found[0][0] == "application/ld+json"
    assert (
        found[0][1]["title"] == ATTACK
        and found[0][1]["description"] == jobposting(evil)["description"]
    )


def test_script_json_is_markup_that_jinja_does_not_escape_again(example):
    _, model = example
    markup = script_json(model)
    assert markup.__html__() == str(markup)  # Markup: autoescape leaves it alone
    assert json.loads(str(markup)) == jobposting(model)


# --- the jobposting rule family ------------------------------------------------------------


def found(model, today="2026-11-27"):
    return {
        (f.rule, f.severity, f.field)
        for f in check(model, today=dt.date.fromisoformat(today), families=["jobposting"])
    }


def test_jobposting_family_is_registered():
    assert FAMILIES["jobposting"] == "jdkit.checks.jobposting"
    model = params.load(EXAMPLES[0])
    assert any(f.rule.startswith("jobposting.") for f in check(model, today=dt.date(2026, 11, 27)))


def test_missing_required_and_recommended_properties(good):
    result = found(build(Params(good)))
    assert ("jobposting.required", "warning", "position.date_posted") in result
    assert ("jobposting.required", "warning", "practice.city") in result
    assert ("jobposting.recommended", "info", "position.valid_through") in result
    assert ("jobposting.recommended", "info", "practice.street_address") in result
    assert ("jobposting.recommended", "info", "practice.website") in result


def test_complete_posting_has_no_jobposting_findings(good):
    good["practice"].update(
        city="Denver",
        street_address="1 Main St",
        postal_code="80204",
        website="https://acme.example",
    )
    good["position"] = {"date_posted": "2026-11-16", "valid_through": "2027-01-15"}
    good["compensation"] = {"salary_min": 70000, "salary_max": 90000}
    assert found(build(Params(good))) == set()


def test_remote_posting_needs_no_city(good):
    good["position"] = {"location_type": "remote"}
    assert not any(field == "practice.city" for _, _, field in found(build(Params(good))))


def test_range_without_numbers_is_a_warning(good):
    good["compensation"] = {
        "salary_min": None,
        "salary_max": None,
        "bonus": "Competitive, depending on experience",
    }
    assert ("jobposting.salary", "warning", "compensation.salary_min") in found(build(Params(good)))


def test_one_ended_range_is_information(good):
    good["compensation"] = {"salary_min": 70000, "salary_max": None}
    assert ("jobposting.salary", "info", "compensation.salary_max") in found(build(Params(good)))


def test_expired_posting_is_a_warning(good):
    good["position"] = {"date_posted": "2026-01-01", "valid_through": "2026-02-01"}
    assert ("jobposting.expired", "warning", "position.valid_through") in found(build(Params(good)))
    assert not any(
        rule == "jobposting.expired"
        for rule, _, _ in found(build(Params(good)), today="2026-01-15")
    )


@pytest.mark.parametrize(
    "title", ["Office Manager - $90,000!", "URGENT: Office Manager", "Office Manager #1234"]
)
def test_title_with_pay_codes_or_shouting_is_a_warning(good, title):
    good["position"] = {"title": title}
    assert ("jobposting.title", "warning", "position.title") in found(build(Params(good)))
