"""The form's logic, headless: real ipywidgets driven from Python, no browser.

With ``debounce=0`` (and in any case without an event loop) the form refreshes at once on
every change, so each assertion sees the preview, findings and errors of the values just set.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import ipywidgets as W
import pytest
import yaml

import jdkit
from jdkit import roles
from jdkit.export.params import plain
from jdkit.form.lists import ListEditor
from jdkit.models import EMPLOYMENT_TYPES, SECTIONS, US_STATES, JobDescription
from jdkit.widgets import Form
from tests.conftest import DATA, EXAMPLES, example_ids

ROLE = "medical-office-manager"


@pytest.fixture
def form(tmp_path: Path) -> Form:
    """A form working in a temporary folder, with the office manager role picked."""
    return Form(tmp_path, role=ROLE, debounce=0)


def fill(form: Form, **values: object) -> None:
    """Set fields by dotted path (``practice__name`` for ``practice.name``), as a user would."""
    for key, value in values.items():
        form.field(key.replace("__", ".")).control.value = value


def test_fields_are_generated_from_the_model(form: Form) -> None:
    assert set(form.editor.children) == set(JobDescription.model_fields) - {"role"}
    assert isinstance(form.field("practice.name").control, W.Text)
    assert isinstance(form.field("summary").control, W.Textarea)
    employees = form.field("practice.employees")
    assert isinstance(employees.control, W.BoundedIntText)
    assert (employees.control.min, employees.control.max) == (0, 1_000_000)
    assert employees.enabled is not None  # optional number: a tick says whether it is set
    assert isinstance(form.field("compensation.salary_min").control, W.BoundedFloatText)
    assert isinstance(form.field("metrics.0.target").control, W.FloatText)
    employment = form.field("position.employment_type").control
    assert isinstance(employment, W.Dropdown) and [v for _, v in employment.options] == list(EMPLOYMENT_TYPES)
    states = [v for _, v in form.field("practice.state").control.options]
    assert states == [None, *US_STATES]
    assert [v for _, v in form.field("compensation.period").control.options] == ["HOUR", "DAY", "WEEK", "MONTH", "YEAR"]
    assert isinstance(form.field("review.last_reviewed").control, W.DatePicker)
    assert isinstance(form.field("position.valid_through").control, W.DatePicker)
    assert isinstance(form.field("benefits.health.medical").control, W.Checkbox)
    for name in ("responsibilities", "daily_tasks", "skills", "metrics", "physical_demands", "compliance"):
        assert isinstance(form.editor[name], ListEditor), name
    certification = form.field("qualifications.certifications.0")
    assert set(certification.children) == {"name", "abbreviation", "issuer", "level", "within_months"}
    assert [v for _, v in certification["level"].control.options] == [None, "required", "preferred"]
    assert form.field("qualifications.education").include is not None  # optional sub-model
    titles = [form.tabs.get_title(i) for i in range(len(form.tabs.children))]
    assert titles[1:10] == [heading for _, heading in SECTIONS]
    assert titles[0] == "Practice & position" and titles[-1] == "Review & other"


def test_a_tab_joins_the_page_when_first_opened(form: Form) -> None:
    assert form.tabs.children[0].children and not form.tabs.children[1].children
    form.tabs.selected_index = 1
    assert form.tabs.children[1].children == (form.editor["responsibilities"].widget,)


def test_role_picker_fills_every_field_and_keeps_the_practice(tmp_path: Path) -> None:
    form = Form(tmp_path, debounce=0)
    assert form.model is None and "Pick a role" in form.preview.value
    fill(form, practice__name="Birch Street Clinic", practice__state="WA")
    form.role_picker.value = ROLE  # as the user picks it
    role = roles.get(ROLE)
    expected = plain(JobDescription.model_validate(
        {**role.defaults, "role": role.info, "practice": {"name": "Birch Street Clinic", "state": "WA"}}))
    expected.pop("role")
    assert form.values() == expected
    assert form.model is not None and form.model.practice.name == "Birch Street Clinic"


def test_typing_changes_preview_and_findings(form: Form) -> None:
    assert form.model is None and form.errors["practice.name"] == "String should have at least 1 character"
    fill(form, practice__name="Cedar & Pine <Clinic>", practice__state="CO")
    assert form.errors == {}
    assert html.escape(html.escape("Cedar & Pine <Clinic>")) in form.preview.value  # escaped twice: srcdoc
    assert "To be set by the practice" in form.preview.value  # the role holds no pay
    unpaid = form.score
    assert unpaid is not None and f">{unpaid}</b>/100" in form.score_box.value
    assert any(f.rule == "pay.not-set" and f.severity == "error" for f in form.findings)  # a Colorado law applies
    fill(form, compensation__salary_min=75000, compensation__salary_max=99000)  # typing ticks them
    assert "$75,000 to $99,000" in form.preview.value
    paid = form.score
    assert paid is not None and paid > unpaid and not any(f.rule == "pay.not-set" for f in form.findings)
    form.field("compensation.salary_min").enabled.value = False
    form.field("compensation.salary_max").enabled.value = False
    assert form.score == unpaid


def test_invalid_values_show_the_model_message_beside_the_field(form: Form) -> None:
    fill(form, practice__name="Birch", practice__state="TX", compensation__salary_max=92000)
    good_preview = form.preview.value
    fill(form, compensation__salary_min=100000)
    message = "salary_min (100000) is above salary_max (92000); swap them"
    assert form.errors == {"compensation": message}
    assert form.field("compensation").error_text == message
    assert form.model is None and form.preview.value == good_preview  # the last good document stays
    assert "1 field(s) to fix" in form.status.value and "Traceback" not in form.status.value
    fill(form, compensation__salary_min=70000, practice__postal_code="7870")
    assert form.field("compensation").error_text is None
    assert "should match pattern" in form.field("practice.postal_code").error_text
    fill(form, practice__postal_code="78701", practice__name="")
    assert form.field("practice.name").error_text == "String should have at least 1 character"
    fill(form, practice__name="Birch")
    items = form.field("responsibilities.0.items")
    while items.rows:
        items.remove(0)
    assert form.errors == {"responsibilities.0.items": "List should have at least 1 item after validation, not 0"}
    assert items.error_text == form.errors["responsibilities.0.items"]
    items.add("Hire and train the front-desk staff.")
    assert form.errors == {} and form.model is not None


def test_list_editor_adds_removes_and_reorders(form: Form) -> None:
    fill(form, practice__name="Birch", practice__state="TX")
    skills = form.editor["skills"]
    names = [s.skill for s in form.model.skills]
    row_buttons = skills.box.children[1].children[1:]  # up, down, remove beside the second row
    row_buttons[0].click()  # move up
    assert [s.skill for s in form.model.skills] == [names[1], names[0], *names[2:]]
    skills.box.children[0].children[2].click()  # move down again
    assert [s.skill for s in form.model.skills] == names
    skills.box.children[-1].children[3].click()  # remove the last
    assert [s.skill for s in form.model.skills] == names[:-1]
    skills.add_button.click()
    assert form.errors == {f"skills.{len(names) - 1}.skill": "String should have at least 1 character"}
    skills.rows[-1]["skill"].control.value = "Spreadsheets"
    skills.rows[-1]["example"].control.value = "Build the monthly A/R report in a spreadsheet."
    assert form.model.skills[-1].skill == "Spreadsheets"
    metrics = form.editor["metrics"]
    metrics.add()
    assert f"metrics.{len(metrics.rows) - 1}.family" in form.errors  # no default family: must be chosen


def test_optional_sub_model_can_be_left_out(form: Form) -> None:
    fill(form, practice__name="Birch", practice__state="TX")
    education = form.field("qualifications.education")
    education.include.value = False
    assert form.model.qualifications.education is None
    education.include.value = True
    assert form.model.qualifications.education is not None


@pytest.mark.parametrize("path", EXAMPLES, ids=example_ids())
def test_round_trip_every_example(path: Path, tmp_path: Path) -> None:
    """Open, save, load: the same model back, in a file holding only what the example itself sets."""
    original = jdkit.load(path)
    form = Form(tmp_path, debounce=0)
    assert form.open(path) == original
    assert form.model == original
    saved = form.save()
    assert saved == tmp_path / "params" / f"{original.slug}.yaml"
    assert jdkit.load(saved) == original
    written = yaml.safe_load(saved.read_text(encoding="utf-8"))
    source = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert _leaf_paths(written) <= _leaf_paths(source)  # nothing the role already says
    reopened = Form(tmp_path, debounce=0)
    reopened.open(f"params/{saved.name}")
    assert reopened.model == original


def _leaf_paths(data: object, prefix: str = "") -> set[str]:
    if isinstance(data, dict):
        return {p for key, value in data.items() for p in _leaf_paths(value, f"{prefix}.{key}" if prefix else key)}
    return {prefix}


def test_save_writes_only_what_differs_and_the_cli_accepts_it(form: Form, tmp_path: Path, runner) -> None:
    from jdkit.cli import cli

    fill(form, practice__name="Birch Street Clinic", practice__state="WA", practice__city="Tacoma")
    form.field("review.last_reviewed").control.value = dt.date(2026, 11, 20)
    path = form.save()
    assert path is not None and path.parent == tmp_path / "params"
    assert "saved params/birch-street-clinic-medical-office-manager.yaml" in form.status.value
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {
        "role": ROLE,
        "practice": {"name": "Birch Street Clinic", "state": "WA", "city": "Tacoma"},
        "review": {"last_reviewed": dt.date(2026, 11, 20)},
    }
    assert f"params/{path.name}" in form.path_box.options
    result = runner.invoke(cli, ["render", str(path), "--to", "html", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Tacoma" in (tmp_path / "out" / f"{path.stem}.html").read_text(encoding="utf-8")


def test_nothing_is_saved_while_a_field_is_invalid(form: Form, tmp_path: Path) -> None:
    fill(form, practice__name="Birch", practice__state="WA", practice__postal_code="no")
    assert form.save() is None
    assert "not saved: fix 1 field(s) first" in form.status.value
    assert not (tmp_path / "params").exists()
    assert Form(tmp_path, debounce=0).save() is None  # no role picked


def test_open_reports_a_bad_file_in_one_line_and_keeps_the_form(form: Form) -> None:
    fill(form, practice__name="Birch", practice__state="WA")
    before = form.values()
    bad = DATA / "bad" / "min-above-max.yaml"
    assert form.open(bad) is None
    text = html.unescape(form.status.value)
    assert str(bad) in text and "compensation" in text and "\n" not in text
    assert form.values() == before
    assert form.open("params/missing.yaml") is None
    assert "cannot be read" in html.unescape(form.status.value)


def test_upload_loads_a_parameter_file(tmp_path: Path) -> None:
    form = Form(tmp_path, debounce=0)
    content = EXAMPLES[0].read_bytes()
    form.upload.value = ({"name": EXAMPLES[0].name, "type": "application/x-yaml", "size": len(content),
                          "content": memoryview(content),
                          "last_modified": dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc)},)
    assert form.model == jdkit.load(EXAMPLES[0])
    assert f"opened {EXAMPLES[0].name}" in form.status.value


def test_export_writes_html_pdf_and_word_with_links(form: Form, tmp_path: Path) -> None:
    import io

    import pypdf

    fill(form, practice__name="Birch Street Clinic", practice__state="WA")
    written = {path.suffix: path for path in form.export()}
    assert "Birch Street Clinic" in written[".html"].read_text(encoding="utf-8")
    assert 'download="birch-street-clinic-medical-office-manager.html"' in form.links.value
    assert "data:text/html;base64," in form.links.value
    pdf_text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(written[".pdf"].read_bytes())).pages)
    assert "Birch Street Clinic" in pdf_text
    try:
        import jdkit.export.docx  # noqa: F401 - the Word exporter may not be in this build yet
    except ImportError:
        assert "skipped docx" in form.links.value
    else:
        import docx

        document = docx.Document(str(written[".docx"]))
        assert any("Birch Street Clinic" in p.text for p in document.paragraphs)


def test_picking_another_role_over_edits_asks_first(form: Form) -> None:
    """Picking a role replaces every section: with edits on the page it says so and waits for a second pick."""
    fill(form, practice__name="Birch Street Clinic", practice__state="WA")
    assert form.edited() == []
    form.field("summary").control.value = "Runs the front office of a two-doctor practice."
    assert form.edited() == ["summary"]
    form.role_picker.value = "medical-receptionist"  # as the user picks it
    assert form.role_picker.value == ROLE and form.model is not None and form.model.role.id == ROLE
    assert "Medical Receptionist would replace your edits to summary" in form.status.value
    assert form.values()["summary"] == "Runs the front office of a two-doctor practice."
    form.role_picker.value = "medical-receptionist"  # picked again: replace
    assert form.model is not None and form.model.role.id == "medical-receptionist"
    assert form.values()["summary"] != "Runs the front office of a two-doctor practice."
    assert form.values()["practice"]["name"] == "Birch Street Clinic"
    form.role_picker.value = "medical-assistant"  # no edits now: at once
    assert form.model is not None and form.model.role.id == "medical-assistant"


def test_save_writes_back_to_the_opened_file(tmp_path: Path) -> None:
    (tmp_path / "params").mkdir()
    source = tmp_path / "params" / "cedar.yaml"
    source.write_text((EXAMPLES[0]).read_text(encoding="utf-8"), encoding="utf-8")
    form = Form(tmp_path, debounce=0)
    form.open("params/cedar.yaml")
    form.field("practice.city").control.value = "Golden"
    assert form.save() == source
    assert sorted(p.name for p in (tmp_path / "params").iterdir()) == ["cedar.yaml"]
    assert jdkit.load(source).practice.city == "Golden"
    other = Form(tmp_path, debounce=0)  # a new document (no file opened) gets its own name
    fill(other, practice__name="Birch Street Clinic", practice__state="WA")
    other.role_picker.value = ROLE
    assert other.save() == tmp_path / "params" / "birch-street-clinic-medical-office-manager.yaml"
