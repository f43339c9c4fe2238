"""The job posting: 300 to 700 words, what the pay law asks, a draft mark where pay is missing."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import docx
import pypdf
import pytest

from jdkit import params
from jdkit.checks import check
from jdkit.document import build, texts, words
from jdkit.document.jsonld import jobposting
from jdkit.export import export
from jdkit.params import Params
from jdkit.render import NO_PAY, render

from ..conftest import EXAMPLES, PARAMS, example_ids

TODAY = dt.date(2026, 12, 1)


def posting_of(data: dict, **changes: dict):
    for key, value in changes.items():
        data[key] = {**data.get(key, {}), **value}
    return params.build(Params(data))


def rules(model, today=TODAY) -> list:
    return [f for f in check(model, today=today, families=["posting"])]


@pytest.mark.parametrize("path", EXAMPLES, ids=example_ids())
def test_every_example_posting_is_300_to_700_words_and_passes_its_rule(path):
    model = params.load(path)
    count = words(build(model, "posting", today=TODAY))
    assert 300 <= count <= 700, count
    assert rules(model) == []
    assert build(model, "posting", today=TODAY).notice == ""  # every example sets what its law asks


def test_a_short_posting_is_a_warning_that_says_how_far(good):
    good.update(
        summary=None,
        equal_opportunity=None,
        responsibilities=[{"area": "Work", "items": ["Run the office."]}],
        benefits={
            "health": None,
            "pto": None,
            "retirement": None,
            "development": None,
            "other": [],
        },
        qualifications={"education": None, "certifications": [], "experience": []},
    )
    model = params.build(Params(good))
    count = words(build(model, "posting", today=TODAY))
    [found] = [f for f in rules(model) if f.rule == "posting.length"]
    assert found.severity == "warning"
    assert f"has {count} words, {300 - count} under the 300 to 700" in found.message


def test_a_long_posting_is_a_warning_that_says_how_far(good):
    good["summary"] = " ".join(
        ["The manager keeps the clinic running well every day."] * 37
    )  # 1,960 characters
    model = params.build(Params(good))
    count = words(build(model, "posting", today=TODAY))
    [found] = [f for f in rules(model) if f.rule == "posting.length"]
    assert count > 700 and f"{count - 700} over" in found.message


def test_posting_holds_summary_first_duties_must_haves_pay_eeo_and_how_to_apply():
    model = params.load(PARAMS / "cedar-family-medicine.yaml")
    doc = build(model, "posting", today=TODAY)
    assert doc.section_titles == [
        "About the Job",
        "What You Will Do",
        "What You Bring",
        "Pay and Benefits",
        "Equal Opportunity",
        "How to Apply",
    ]
    text = "\n".join(texts(doc))
    for area in model.responsibilities:
        assert (
            area.items[0] in text and area.items[-1] not in text
        )  # the first duty of each area only
    for cert in model.qualifications.certifications:
        assert (cert.name in text) == (cert.level == "required")  # must-haves only
    assert "$72,000 to $94,000 per year" in text and "Exempt (executive exemption)" in text
    assert model.compensation.bonus.split(":")[0] in text  # Colorado: other compensation
    assert "Medical, dental and vision coverage" in text  # Colorado: a description of benefits
    assert "Applications close on January 15, 2027." in text  # Colorado: the application deadline


def test_apply_url_and_email_are_how_to_apply_in_every_format(good):
    model = posting_of(
        good,
        position={"apply_url": "https://acme.example/jobs/42", "apply_email": "jobs@acme.example"},
    )
    expected = "Apply online at https://acme.example/jobs/42. Or e-mail your application to jobs@acme.example."
    assert expected in render(model, "html", kind="posting")
    assert expected in jobposting(model)["description"]
    paragraphs = [
        p.text
        for p in docx.Document(io.BytesIO(export(model, "docx", kind="posting")[0])).paragraphs
    ]
    assert expected in paragraphs


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "not an address", "a@b"])
def test_apply_fields_refuse_what_is_not_a_link_or_address(good, bad):
    from jdkit.errors import ParamsError

    with pytest.raises(ParamsError):
        posting_of(good, position={"apply_url": bad} if ":" in bad else {"apply_email": bad})


def test_no_pay_where_colorado_wants_it_is_a_draft_in_its_first_line_of_every_format(good):
    good["practice"]["city"] = "Denver"
    good["position"] = {"valid_through": "2027-01-15"}
    model = params.build(Params(good))  # Colorado, no compensation figures
    doc = build(model, "posting", today=TODAY)
    assert doc.notice.startswith("Draft: not publishable.")
    assert "compensation.salary_min and compensation.salary_max" in doc.notice
    assert NO_PAY in "\n".join(texts(doc))  # the posting is still written
    html = render(model, "html", kind="posting", today=TODAY)
    body = html.split("<body>", 1)[1]
    assert body.index("Draft: not publishable") < body.index("<h1>")
    assert render(model, "md", kind="posting", today=TODAY).startswith(
        "> **Draft: not publishable."
    )
    first = docx.Document(
        io.BytesIO(export(model, "docx", kind="posting", today=TODAY)[0])
    ).paragraphs[0]
    assert first.text.startswith("Draft: not publishable.")
    assert jobposting(model, today=TODAY)["description"].startswith(
        "<p><strong>Draft: not publishable."
    )
    found = check(model, today=TODAY)
    assert any(
        f.rule == "pay.not-set" and f.severity == "error" and "salary_min" in f.hint for f in found
    )


def test_a_colorado_posting_without_a_closing_date_is_a_draft_naming_the_field(good):
    model = posting_of(good, compensation={"salary_min": 70000, "salary_max": 90000})
    assert "position.valid_through" in build(model, "posting", today=TODAY).notice


def test_no_law_means_no_draft_and_pay_to_be_set(good):
    good["practice"] = {"name": "Lone Oak Clinic", "state": "TX", "city": "Austin"}
    doc = build(params.build(Params(good)), "posting", today=TODAY)
    assert doc.notice == "" and ("Pay range", NO_PAY) in doc.sections[3].blocks[0].pairs


@pytest.mark.slow
def test_the_draft_mark_is_the_pdfs_first_line(good, tmp_path):
    good["position"] = {"valid_through": "2027-01-15"}
    model = params.build(Params(good))
    body, _ = export(model, "pdf", kind="posting", today=TODAY)
    lines = [
        line
        for line in pypdf.PdfReader(io.BytesIO(body)).pages[0].extract_text().splitlines()
        if not line.startswith("Page ")
    ]
    assert lines[0].startswith("Draft: not publishable")


@pytest.mark.slow
def test_batch_kind_both_writes_the_description_and_the_posting(tmp_path):
    source = PARAMS / "cedar-family-medicine.yaml"
    command = [
        str(Path(sys.executable).with_name("jdkit")),
        "batch",
        str(source),
        "--kind",
        "both",
        "--to",
        "html,pdf,jsonld",
        "--out",
        str(tmp_path),
        "-j",
        "1",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    model = params.load(source)
    folder = tmp_path / model.slug
    names = {p.name for p in folder.iterdir()}
    for suffix in (
        ".html",
        ".pdf",
        ".ipynb",
        "-posting.html",
        "-posting.pdf",
        ".jsonld",
        "-posting.jsonld",
    ):
        assert f"{model.slug}{suffix}" in names, suffix
    posting_pdf = " ".join(
        p.extract_text() for p in pypdf.PdfReader(folder / f"{model.slug}-posting.pdf").pages
    )
    assert "What You Will Do" in posting_pdf and "Performance Metrics" not in posting_pdf
    description = (folder / f"{model.slug}.html").read_text()
    assert "Performance Metrics" in description and "What You Will Do" not in description
    assert json.loads((folder / f"{model.slug}.jsonld").read_text())["title"] == model.title


def test_jdkit_render_writes_the_draft_posting_and_jdkit_check_names_the_missing_field(
    good, tmp_path
):
    from click.testing import CliRunner

    from jdkit.cli import cli

    good["practice"]["city"] = "Denver"
    good["position"] = {"valid_through": "2027-01-15"}  # Colorado, no compensation figures
    source = tmp_path / "acme.yaml"
    source.write_text(json.dumps(good), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["render", str(source), "--kind", "posting", "--to", "html,md", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    slug = params.load(source).slug
    assert sorted(p.name for p in out.iterdir()) == [f"{slug}-posting.html", f"{slug}-posting.md"]
    markdown = (out / f"{slug}-posting.md").read_text(encoding="utf-8")
    assert markdown.splitlines()[0].startswith("> **Draft: not publishable.")
    assert (
        "compensation.salary\\_min" in markdown.splitlines()[0]
    )  # Markdown escapes the underscore
    body = (out / f"{slug}-posting.html").read_text(encoding="utf-8").split("<body>", 1)[1]
    assert (
        body.index("Draft: not publishable")
        < body.index("compensation.salary_min")
        < body.index("<h1>")
    )
    checked = CliRunner().invoke(
        cli, ["check", str(source), "--format", "json", "--today", TODAY.isoformat()]
    )
    assert checked.exit_code == 1
    assert any(
        f["rule"] == "pay.not-set" and f["field"].startswith("compensation")
        for f in json.loads(checked.stdout)["documents"][0]["findings"]
    ), checked.stdout


def test_a_posting_with_nowhere_to_apply_is_a_warning_until_an_address_is_set(good):
    [found] = [f for f in rules(params.build(Params(good))) if f.rule == "posting.how-to-apply"]
    assert found.severity == "warning" and found.field == "position.apply_url"
    assert "Send your application to Acme Clinic" in found.message
    assert "position.apply_email" in found.hint and "practice.website" in found.hint
    for where in (
        {"position": {"apply_url": "https://acme.example/jobs"}},
        {"position": {"apply_email": "jobs@acme.example"}},
        {"practice": {"website": "https://acme.example"}},
    ):
        model = posting_of(dict(good), **where)
        assert [f for f in rules(model) if f.rule == "posting.how-to-apply"] == [], where
