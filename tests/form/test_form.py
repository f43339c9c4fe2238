"""The form's logic, headless: real ipywidgets driven from Python, no browser.

With ``debounce=0`` (and in any case without an event loop) the form refreshes at once on
every change, so each assertion sees the preview, findings and errors of the values just set.
The wording of every message is checked here and in ``tests/form/test_words.py``.
"""

from __future__ import annotations

import datetime as dt
import html
import shutil
from pathlib import Path
from urllib.parse import unquote

import ipywidgets as W
import pytest
import yaml

import jdkit
from jdkit import roles
from jdkit.form import Form
from jdkit.form.lists import ListEditor, TableEditor
from jdkit.models import EMPLOYMENT_TYPES, SECTIONS, US_STATES, DutyArea, JobDescription
from jdkit.params import plain
from tests.conftest import DATA, EXAMPLES, example_ids

ROLE = "medical-office-manager"


@pytest.fixture
def form(tmp_path: Path) -> Form:
    """A form working in a temporary folder, with the office manager role picked."""
    return Form(tmp_path, role=ROLE, debounce=0)


def fill(form: Form, **values: object) -> None:
    """Set fields by dotted path (``practice__name`` for ``practice.name``), as a user would type them."""
    for key, value in values.items():
        form.field(key.replace("__", ".")).control.value = value


def classes(widget: W.DOMWidget) -> tuple[str, ...]:
    """The CSS classes the page gets for ``widget``: its state as synced to the browser."""
    return tuple(widget.get_state("_dom_classes")["_dom_classes"])


def aria(widget: W.DOMWidget) -> str | None:
    """The accessible name the page script gives ``widget`` (from its ``jdkit-aria=`` class)."""
    found = [
        unquote(c.split("=", 1)[1])
        for c in classes(widget)
        if c.startswith(("jdkit-aria=", "jdkit-group="))
    ]
    return found[0] if found else None


def row_buttons(editor: ListEditor, index: int) -> tuple[W.Widget, ...]:
    """The up, down and remove buttons drawn in row ``index`` of a list or a table (drawing it first)."""
    editor.materialize()
    row = editor.box.children[index]
    if isinstance(editor, TableEditor):  # a table row: its cells, the last holding the buttons
        return row.children[0].children[-1].children
    return row.children[2:]  # a list row: number, editor, then the buttons


def open_all_tabs(form: Form) -> None:
    """Open every tab, as a consultant clicking through them (their lists draw their rows)."""
    for index in range(len(form.tabs.children)):
        form.tabs.selected_index = index
    form.tabs.selected_index = 0


def copy_example(tmp_path: Path, example: Path, name: str | None = None) -> str:
    """Put an example parameter file into the work folder's params/; return its path there."""
    (tmp_path / "params").mkdir(exist_ok=True)
    target = tmp_path / "params" / (name or example.name)
    shutil.copy(example, target)
    return f"params/{target.name}"


# -- fields -----------------------------------------------------------------------------------------


def test_fields_are_generated_from_the_model(form: Form) -> None:
    assert set(form.editor.children) == set(JobDescription.model_fields) - {"role"}
    assert isinstance(form.field("practice.name").control, W.Text)
    assert isinstance(form.field("summary").control, W.Textarea)
    employees = form.field("practice.employees")
    assert (
        isinstance(employees.control, W.Text) and employees.control.value == ""
    )  # blank, never a 0 for nothing
    assert isinstance(form.field("compensation.salary_min").control, W.Text)
    employment = form.field("position.employment_type").control
    assert isinstance(employment, W.Dropdown) and [v for _, v in employment.options] == list(
        EMPLOYMENT_TYPES
    )
    assert [label for label, _ in form.field("position.flsa_status").control.options] == [
        "—",
        "Exempt",
        "Non-exempt",
    ]
    states = [v for _, v in form.field("practice.state").control.options]
    assert states == [None, *US_STATES]
    assert [v for _, v in form.field("compensation.period").control.options] == [
        "HOUR",
        "DAY",
        "WEEK",
        "MONTH",
        "YEAR",
    ]
    assert isinstance(form.field("review.last_reviewed").control, W.DatePicker)
    assert isinstance(form.field("benefits.health.medical").control, W.Checkbox)
    for name in ("responsibilities", "daily_tasks", "skills", "physical_demands", "compliance"):
        assert isinstance(form.editor[name], ListEditor), name
    assert isinstance(form.editor["metrics"], TableEditor)
    certification = form.field("qualifications.certifications.0")
    assert set(certification.children) == {
        "name",
        "abbreviation",
        "issuer",
        "level",
        "within_months",
    }
    assert [v for _, v in certification["level"].control.options] == [None, "required", "preferred"]
    assert form.field("qualifications.education").include is not None  # optional sub-model
    titles = [form.tabs.get_title(i) for i in range(len(form.tabs.children))]
    assert titles[1:10] == [heading for _, heading in SECTIONS]
    assert titles[0] == "Practice & position" and titles[-2:] == [
        "Demands & conditions",
        "Statements & review",
    ]


def test_numbers_are_typed_as_text_and_read_as_numbers(form: Form) -> None:
    fill(form, practice__name="Birch", practice__state="TX")
    for typed, read in (("75,000", 75000), ("$38.50", 38.5), ("  ", None), ("", None)):
        fill(form, compensation__salary_min=typed)
        assert form.values()["compensation"]["salary_min"] == read, typed
    fill(form, practice__employees="twenty")
    assert form.errors == {"practice.employees": "type a whole number, such as 20"}
    fill(form, practice__employees="20.5")
    assert form.errors == {"practice.employees": "must be a whole number"}
    fill(form, practice__employees="0")
    assert form.errors == {"practice.employees": "must be more than 0"}
    fill(form, practice__employees="20")
    assert form.errors == {} and form.model.practice.employees == 20


def test_a_tab_joins_the_page_when_first_opened_and_draws_its_lists_then(form: Form) -> None:
    assert form.tabs.children[0].children and not form.tabs.children[1].children
    duties = form.editor["responsibilities"]
    assert not duties.drawn and duties.box.children == ()  # a role pick built no hidden rows ...
    defaults = [
        DutyArea.model_validate(area).model_dump()
        for area in roles.get(ROLE).defaults["responsibilities"]
    ]
    assert form.values()["responsibilities"] == plain(
        defaults
    )  # ... but has them (marginal: [] where none)
    form.tabs.selected_index = 1
    assert form.tabs.children[1].children == (duties.widget,)
    assert duties.drawn and len(duties.box.children) == len(form.values()["responsibilities"])


def test_every_control_has_a_name_and_no_tooltip_is_null(form: Form) -> None:
    """A visible label or an aria name on every control; groups named; no ``title="null"`` source."""
    open_all_tabs(form)
    unnamed = []
    for loc, editor in form.editor.walk():
        control = getattr(editor, "control", None)
        if control is not None and not control.description and aria(control) is None:
            unnamed.append(loc)
    assert unnamed == []
    controls = [e.control for _, e in form.editor.walk() if hasattr(e, "control")]
    buttons = [
        form.open_button,
        form.upload_button,
        form.save_button,
        form.export_button,
        form.fix_button,
        form.role_picker,
        form.path_box,
        form.editor["skills"].add_button,
    ]
    assert [
        w for w in controls + buttons if w.tooltip is None
    ] == []  # ipywidgets writes title="null" for None
    assert aria(form.editor["metrics"].widget) == "Metrics"
    assert aria(form.editor["skills"].box.children[1]).startswith("Skill 2: ")
    assert aria(form.field("metrics.2.name").control) == "Metric 3 name"
    assert aria(form.path_box) == "Parameter file to open, in the work folder"
    fill(form, practice__name="Birch", practice__state="TX")
    assert 'title="Preview of the job description"' in form.preview.value


# -- role and a new practice ----------------------------------------------------------------------


def test_role_picker_fills_every_field_and_keeps_the_practice(tmp_path: Path) -> None:
    form = Form(tmp_path, debounce=0)
    assert form.model is None and "Pick a role" in form.preview.value
    fill(form, practice__name="Birch Street Clinic", practice__state="WA")
    form.role_picker.value = ROLE  # as the user picks it
    role = roles.get(ROLE)
    expected = plain(
        JobDescription.model_validate(
            {
                **role.defaults,
                "role": role.info,
                "practice": {"name": "Birch Street Clinic", "state": "WA"},
            }
        )
    )
    expected.pop("role")
    expected["review"]["last_reviewed"] = None  # a new practice: no review yet
    assert form.values() == expected
    assert form.model is not None and form.model.practice.name == "Birch Street Clinic"


def test_a_new_practice_has_no_review_date_posting_dates_or_pay(form: Form) -> None:
    assert roles.get(ROLE).defaults["review"][
        "last_reviewed"
    ]  # the role library has its own review date
    fill(form, practice__name="Birch", practice__state="TX")
    model = form.model
    assert model.review.last_reviewed is None and model.review.next_due is None
    assert model.position.date_posted is None and model.position.valid_through is None
    assert model.compensation.salary_min is None and model.compensation.salary_max is None
    preview = html.unescape(form.preview.value)
    assert "To be set by the practice" in preview and "2026-10-15" not in preview


def test_typing_changes_preview_and_findings(form: Form) -> None:
    assert form.model is None and form.errors == {
        "practice.name": "fill it in",
        "practice.state": "pick one",
    }
    fill(form, practice__name="Cedar & Pine <Clinic>", practice__state="CO")
    assert form.errors == {}
    assert (
        html.escape(html.escape("Cedar & Pine <Clinic>")) in form.preview.value
    )  # escaped twice: srcdoc
    unpaid = form.score
    assert unpaid is not None and f">{unpaid}</b>/100" in form.score_box.value
    assert any(
        f.rule == "pay.not-set" and f.severity == "error" for f in form.findings
    )  # a Colorado law applies
    fill(form, compensation__salary_min="75000", compensation__salary_max="99000")
    assert "$75,000 to $99,000" in form.preview.value
    paid = form.score
    assert (
        paid is not None
        and paid > unpaid
        and not any(f.rule == "pay.not-set" for f in form.findings)
    )
    fill(form, compensation__salary_min="", compensation__salary_max="")
    assert form.score == unpaid


def test_the_market_band_shows_beside_the_pay_fields_as_a_reference(form: Form) -> None:
    fill(form, practice__name="Birch", practice__state="CO", practice__city="Denver")
    pay = form.editor["compensation"]
    at = pay.body.children.index(pay["salary_max"].widget)
    assert pay.body.children[at + 1] is form.band
    band = html.unescape(form.band.value)
    assert (
        "Market reference, not the practice's pay" in band
        and "Denver-Aurora-Centennial, CO" in band
    )
    assert "a year" in band and "Bureau of Labor Statistics" in band
    assert form.values()["compensation"]["salary_min"] is None  # shown, never filled in
    fill(form, compensation__period="HOUR")
    assert "an hour" in html.unescape(form.band.value)


# -- problems in plain words ---------------------------------------------------------------------


def test_an_invalid_value_is_named_beside_its_field_and_the_preview_goes_stale(form: Form) -> None:
    fill(form, practice__name="Birch", practice__state="TX", compensation__salary_max="92000")
    good_preview, good_score = form.preview.value, form.score
    assert "jdkit-stale" not in classes(form.side) and form.fix_button.layout.display == "none"
    fill(form, compensation__salary_min="100000")
    message = "Minimum pay (100,000) is above Maximum pay (92,000); swap them"
    assert form.errors == {"compensation.salary_min": message}
    assert form.field("compensation.salary_min").error_text == message
    assert "jdkit-invalid" in classes(form.field("compensation.salary_min").control)
    assert form.model is None and form.preview.value == good_preview and form.score == good_score
    assert "jdkit-stale" in classes(form.side)
    assert (
        "Out of date" in form.stale_note.value
        and "Compensation › Minimum pay" in form.stale_note.value
    )
    assert form.status_text == f"1 field to fix: Compensation › Minimum pay: {message}"
    assert form.fix_button.description == "Fix 1 field" and form.fix_button.layout.display != "none"
    assert aria(form.fix_button) == "Fix 1 field: go to Compensation › Minimum pay"
    form.tabs.selected_index = 0
    form.fix_button.click()  # opens the tab and asks the page to focus the field
    assert form.tabs.get_title(form.tabs.selected_index) == "Compensation"
    assert any(
        c.startswith("jdkit-focus-") for c in classes(form.field("compensation.salary_min").control)
    )
    fill(form, compensation__salary_min="70000", practice__postal_code="7870")
    assert form.errors == {
        "practice.postal_code": "should be a 5-digit ZIP code such as 80202 (or 80202-1234)"
    }
    assert "jdkit-stale" in classes(form.side)
    fill(form, practice__postal_code="78701", practice__name="")
    assert form.field("practice.name").error_text == "fill it in"
    assert form.status_text == "1 field to fix: Practice & position › Practice › Name: fill it in"
    fill(form, practice__name="Birch")
    items = form.field("responsibilities.0.items")
    while items.rows:
        items.remove(0)
    assert form.errors == {"responsibilities.0.items": "needs at least 1 item: add one"}
    assert form.problems[0][1].startswith("Responsibilities › duty area 1 (")
    items.add("Hire and train the front-desk staff.")
    assert form.errors == {} and form.model is not None and "jdkit-stale" not in classes(form.side)


def test_no_message_shows_none_a_dotted_path_or_a_zero_based_row(form: Form) -> None:
    fill(form, practice__name="Birch", practice__state="IL", practice__employees="20")
    metrics = form.editor["metrics"]
    metrics.items[12 - 1]["name"].control.value = ""  # the 12th metric, 0-based 11
    assert form.status_text == "1 field to fix: Performance Metrics › metric 12 › Name: fill it in"
    texts = [form.status_text, form.stale_note.value, *form.errors.values()]
    metrics.items[11]["name"].control.value = "Staff trained"
    texts += [html.unescape(form.findings_box.value), form.status_text]
    for text in texts:
        assert "None" not in text and "null" not in text
        assert not any(
            word in text
            for word in ("metrics.11", "position.date_posted", "compensation.salary_min")
        )


# -- lists and the metrics table -------------------------------------------------------------------


def test_list_editor_adds_removes_and_reorders(form: Form) -> None:
    fill(form, practice__name="Birch", practice__state="TX")
    open_all_tabs(form)
    skills = form.editor["skills"]
    names = [s.skill for s in form.model.skills]
    buttons = row_buttons(skills, 1)  # up, down, remove
    assert [aria(b) for b in buttons] == [
        f"Move skill 2 up: {names[1]}",
        f"Move skill 2 down: {names[1]}",
        f"Remove skill 2: {names[1]}",
    ]
    buttons[0].click()  # move up
    assert [s.skill for s in form.model.skills] == [names[1], names[0], *names[2:]]
    skills.box.children[0].children[3].click()  # move down again
    assert [s.skill for s in form.model.skills] == names
    skills.box.children[-1].children[4].click()  # remove the last
    assert [s.skill for s in form.model.skills] == names[:-1]
    assert skills.add_top.layout.display is None and skills.add_button.description == "Add a skill"
    skills.add_button.click()
    new = skills.rows[-1]
    assert (
        form.errors == {} and len(form.model.skills) == len(names) - 1
    )  # a new row is not in the document yet
    number = skills.box.children[-1].children[0]  # the last row's number, as drawn
    assert number.value.endswith(">new</span>") and aria(skills.box.children[-1]) == "New skill"
    new["skill"].control.value = "Spreadsheets"
    assert form.errors == {} and form.model.skills[-1].skill == "Spreadsheets"
    assert aria(skills.box.children[-1]) == f"Skill {len(names)}: Spreadsheets"
    new["skill"].control.value = ""
    assert form.errors == {f"skills.{len(names) - 1}.skill": "fill it in"}


def test_metrics_are_a_table_with_add_at_top_and_bottom_and_a_valid_new_row(form: Form) -> None:
    fill(form, practice__name="Birch", practice__state="TX")
    metrics = form.editor["metrics"]
    count = len(form.model.metrics)
    header = [html.unescape(w.value) for w in metrics.widget.children[2].children]
    assert [h.split(">")[1].split("<")[0] for h in header] == [
        "#",
        "Name",
        "Family",
        "Target",
        "Comparison",
        "Unit",
        "Period",
        "Move or remove",
    ]
    assert metrics.add_top.description == metrics.add_button.description == "Add a metric"
    assert metrics.add_top.layout.display is None  # shown: the list is long
    third = form.model.metrics[2].name
    assert aria(row_buttons(metrics, 2)[2]) == f"Remove metric 3: {third}"
    metrics.presets["family"].value = "compliance"
    metrics.add_top.click()  # a new row at the top, its family the table's choice
    new = metrics.rows[0]
    assert new["family"].get() == "compliance"
    assert (
        form.errors == {} and len(form.model.metrics) == count
    )  # valid: not in the document until typed in
    new["name"].control.value = "Incident reports filed"
    assert set(form.errors) == {"metrics.0.target", "metrics.0.unit", "metrics.0.period"}
    assert form.errors["metrics.0.unit"] == "fill it in"
    fill(
        form,
        metrics__0__target="100",
        metrics__0__unit="percent of incidents",
        metrics__0__period="monthly",
    )
    assert form.errors == {} and form.model.metrics[0].family == "compliance"
    assert aria(row_buttons(metrics, 3)[2]) == f"Remove metric 4: {third}"  # renumbered


def test_optional_sub_model_can_be_left_out(form: Form) -> None:
    fill(form, practice__name="Birch", practice__state="TX")
    education = form.field("qualifications.education")
    education.include.value = False
    assert form.model.qualifications.education is None
    education.include.value = True
    assert form.model.qualifications.education is not None


# -- open, upload and save --------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=example_ids())
def test_round_trip_every_example(path: Path, tmp_path: Path) -> None:
    """Open, save, load: the same model back, written to the opened file, holding only what the example sets."""
    original = jdkit.load(path)
    form = Form(tmp_path, debounce=0)
    opened = copy_example(tmp_path, path)
    assert form.open(opened) == original
    assert form.model == original and not form.dirty()
    open_all_tabs(form)  # drawing the lists changes no value
    assert form.unsaved() == [] and form.refresh() == original
    saved = form.save()
    assert saved == tmp_path / opened
    assert jdkit.load(saved) == original
    written = yaml.safe_load(saved.read_text(encoding="utf-8"))
    source = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert _leaf_paths(written) <= _leaf_paths(source)  # nothing the role already says
    reopened = Form(tmp_path, debounce=0)
    reopened.open(opened)
    assert reopened.model == original


def _leaf_paths(data: object, prefix: str = "") -> set[str]:
    if isinstance(data, dict):
        return {
            p
            for key, value in data.items()
            for p in _leaf_paths(value, f"{prefix}.{key}" if prefix else key)
        }
    return {prefix}


def test_save_writes_only_what_differs_and_the_cli_accepts_it(
    form: Form, tmp_path: Path, runner
) -> None:
    from jdkit.cli import cli

    fill(form, practice__name="Birch Street Clinic", practice__state="WA", practice__city="Tacoma")
    assert form.dirty() and "jdkit-unsaved" in classes(form.widget)
    assert form.saved_note.value == "Unsaved edits (3 fields)"
    form.field("review.last_reviewed").control.value = dt.date(2026, 11, 20)
    path = form.save()
    assert path is not None and path.parent == tmp_path / "params"
    assert form.status_text == "Saved params/birch-street-clinic-medical-office-manager.yaml."
    assert not form.dirty() and "jdkit-unsaved" not in classes(form.widget)
    assert (
        form.saved_note.value == f"Saved in params/{path.name}"
        and form.path_box.value == f"params/{path.name}"
    )
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {
        "role": ROLE,
        "practice": {"name": "Birch Street Clinic", "state": "WA", "city": "Tacoma"},
        "review": {"last_reviewed": dt.date(2026, 11, 20)},
    }
    assert f"params/{path.name}" in form.path_box.options
    result = runner.invoke(
        cli, ["render", str(path), "--to", "html", "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert "Tacoma" in (tmp_path / "out" / f"{path.stem}.html").read_text(encoding="utf-8")


def test_a_new_practice_saved_without_a_review_date_says_so(form: Form) -> None:
    fill(form, practice__name="Birch", practice__state="WA")
    data = yaml.safe_load(form.save().read_text(encoding="utf-8"))
    assert data["review"] == {"last_reviewed": None}  # the role's date is not the practice's review
    assert jdkit.load(form.target).review.last_reviewed is None


def test_nothing_is_saved_while_a_field_is_invalid(form: Form, tmp_path: Path) -> None:
    fill(form, practice__name="Birch", practice__state="WA", practice__postal_code="no")
    assert form.save() is None
    assert form.status_text == (
        "Not saved: 1 field to fix: Practice & position › Practice › ZIP code: "
        "should be a 5-digit ZIP code such as 80202 (or 80202-1234)"
    )
    assert not (tmp_path / "params").exists()
    blank = Form(tmp_path, debounce=0)
    assert blank.save() is None and blank.status_text == "Not saved: pick a role first."


def test_saving_a_new_document_over_an_existing_file_asks_first(form: Form, tmp_path: Path) -> None:
    fill(form, practice__name="Birch", practice__state="WA")
    first = form.save()
    other = Form(tmp_path, role=ROLE, debounce=0)
    fill(other, practice__name="Birch", practice__state="OR")
    assert other.save() is None
    assert (
        other.question.sentence
        == f"params/{first.name} already exists. Replace it with this document?"
    )
    assert other.question.choices == [f"Replace params/{first.name}", "Cancel"]
    other.question.choose("Cancel")
    assert jdkit.load(first).practice.state == "WA" and other.status_text == "Not saved."
    other.save()
    other.question.choose("Replace")
    assert jdkit.load(first).practice.state == "OR"


def test_open_reports_a_bad_file_in_one_line_without_its_content(
    form: Form, tmp_path: Path
) -> None:
    fill(form, practice__name="Birch", practice__state="WA")
    before = form.values()
    bad = copy_example(tmp_path, DATA / "bad" / "min-above-max.yaml")
    assert form.open(bad) is None
    text = form.status_text
    assert text.startswith(f"Cannot open {bad}") and "Compensation" in text and "\n" not in text
    assert form.values() == before
    (tmp_path / "params" / "secret.yaml").write_text(
        "root:$6$s3cr3t-hash:19000:0:99999:7:::\n", encoding="utf-8"
    )
    form.open("params/secret.yaml")
    assert (
        form.status_text.startswith("Cannot open params/secret.yaml")
        and "s3cr3t" not in form.status_text
    )
    (tmp_path / "params" / "role.yaml").write_text(
        "role: s3cr3t-role\npractice: {name: A, state: CO}\n"
    )
    form.open("params/role.yaml")
    assert "s3cr3t" not in form.status_text
    assert form.open("params/missing.yaml") is None and "cannot be read" in form.status_text


def test_open_and_save_stay_in_the_work_folder_unless_the_file_was_given(tmp_path: Path) -> None:
    work, outside = tmp_path / "work", tmp_path / "elsewhere"
    work.mkdir()
    outside.mkdir()
    shutil.copy(EXAMPLES[0], outside / "given.yaml")
    (work / "params").mkdir()
    (work / "params" / "link.yaml").symlink_to(outside / "given.yaml")
    form = Form(work, debounce=0)
    for path in (
        str(outside / "given.yaml"),
        "../elsewhere/given.yaml",
        "params/link.yaml",
        "/etc/passwd",
    ):
        assert form.open(path) is None
        assert (
            "is outside the work folder" in form.status_text
            and "jdkit form PATH" in form.status_text
        )
    (work / "notes.txt").write_text("role: x\n")
    form.open("notes.txt")
    assert (
        form.status_text
        == "notes.txt is not a parameter file (fix: open a .yaml, .yml or .json file)"
    )
    given = Form(work, debounce=0, allow=(outside / "given.yaml",), open=outside / "given.yaml")
    assert (
        given.model == jdkit.load(EXAMPLES[0])
        and given.target == (outside / "given.yaml").resolve()
    )
    given.field("practice.city").control.value = "Golden"
    assert given.save() == (outside / "given.yaml").resolve()
    assert jdkit.load(outside / "given.yaml").practice.city == "Golden"


def test_save_keeps_writing_the_opened_file_whatever_its_name(tmp_path: Path) -> None:
    opened = copy_example(tmp_path, EXAMPLES[0], "Cedar File.yml")
    form = Form(tmp_path, debounce=0)
    form.open(opened)
    form.field("practice.city").control.value = "Golden"
    assert form.save() == tmp_path / opened
    assert sorted(p.name for p in (tmp_path / "params").iterdir()) == ["Cedar File.yml"]
    assert jdkit.load(tmp_path / opened).practice.city == "Golden"
    other = Form(tmp_path, debounce=0)  # a new document (no file opened) gets its own name
    fill(other, practice__name="Birch Street Clinic", practice__state="WA")
    other.role_picker.value = ROLE
    assert other.save() == tmp_path / "params" / "birch-street-clinic-medical-office-manager.yaml"


def test_upload_loads_a_parameter_file_and_refuses_a_large_one(tmp_path: Path) -> None:
    import base64
    import json

    form = Form(tmp_path, debounce=0)
    content = EXAMPLES[0].read_bytes()
    form.upload_sink.value = json.dumps(
        {"name": EXAMPLES[0].name, "size": len(content), "data": base64.b64encode(content).decode()}
    )
    assert form.model == jdkit.load(EXAMPLES[0]) and form.upload_sink.value == ""
    assert (
        form.status_text
        == f"Loaded {EXAMPLES[0].name}; Save writes it to params/{form.model.slug}.yaml."
    )
    assert form.target is None and form.dirty()  # not in the work folder until saved
    form.upload_sink.value = json.dumps(
        {"name": "huge.yaml", "size": 52_428_800, "error": "too-big", "limit": 1_000_000}
    )
    assert (
        form.status_text
        == "huge.yaml was not uploaded: it is 52.4 MB, and a parameter file can be at most 1.0 MB."
    )
    assert (
        form.receive_upload("big.yaml", b"#" * 1_000_001) is None
        and "was not uploaded" in form.status_text
    )


# -- nothing lost: questions before Open, Upload and a role pick -------------------------------------


def test_picking_another_role_over_unsaved_edits_asks_and_lists_every_field(form: Form) -> None:
    fill(form, practice__name="Birch Street Clinic", practice__state="WA")
    form.field("summary").control.value = "Runs the front office of a two-doctor practice."
    fill(form, compensation__salary_min="95000", compensation__salary_max="110000")
    form.role_picker.value = "medical-receptionist"  # as the user picks it
    question = form.question
    assert question.topic == "role" and form.model.role.id == ROLE
    assert question.sentence == (
        "Switch to Medical Receptionist? A role fills every section with its defaults, "
        "so these unsaved edits would be replaced:"
    )
    assert len(question.items) == 3
    assert question.items[0].startswith(
        "Practice & position › Summary: “Runs the front office of a two-doctor"
    )
    assert (
        question.items[0].endswith(" after") and "” now, “" in question.items[0]
    )  # the role's own summary
    assert question.items[1:] == [
        "Compensation › Minimum pay: 95,000 now, empty after",
        "Compensation › Maximum pay: 110,000 now, empty after",
    ]
    assert question.choices == ["Save my edits, then switch", "Switch without saving", "Cancel"]
    question.choose("Cancel")
    assert form.role_picker.value == ROLE and form.values()["compensation"]["salary_min"] == 95000
    form.role_picker.value = "medical-receptionist"
    form.question.choose("Switch without saving")
    assert (
        form.model.role.id == "medical-receptionist"
        and form.values()["compensation"]["salary_min"] is None
    )
    assert form.values()["practice"]["name"] == "Birch Street Clinic"
    form.role_picker.value = (
        "medical-assistant"  # only the practice is unsaved, and it stays: at once
    )
    assert form.model.role.id == "medical-assistant" and not form.question.open


def test_a_role_pick_after_save_asks_only_where_to_save(form: Form, tmp_path: Path) -> None:
    fill(form, practice__name="Birch", practice__state="WA")
    first = form.save()
    form.role_picker.value = "practice-administrator"
    assert form.model.role.id == "practice-administrator"  # nothing unsaved: no "save first"
    assert form.question.topic == "file" and form.role_picker.value == "practice-administrator"
    assert form.question.choices == [
        "Save to a new file, params/birch-practice-administrator.yaml",
        f"Keep writing params/{first.name}",
    ]
    form.question.choose("Save to a new file")
    assert form.target is None and form.path_box.value == "" and form.dirty()
    second = form.save()
    assert second.name == "birch-practice-administrator.yaml" and jdkit.load(first).role.id == ROLE
    form.role_picker.value = ROLE
    form.question.choose("Keep writing")
    assert form.save() == second and jdkit.load(second).role.id == ROLE


def test_save_then_switch_saves_first(form: Form) -> None:
    fill(form, practice__name="Birch", practice__state="WA", compensation__salary_min="95000")
    form.role_picker.value = "medical-receptionist"
    form.question.choose("Save my edits, then switch")
    saved = jdkit.load(form.workdir / "params" / "birch-medical-office-manager.yaml")
    assert saved.compensation.salary_min == 95000 and form.model.role.id == "medical-receptionist"


def test_open_over_unsaved_edits_asks_and_names_each_value(form: Form, tmp_path: Path) -> None:
    opened = copy_example(tmp_path, EXAMPLES[0])
    first = Form(tmp_path, debounce=0)
    first.open(opened)
    minimum = first.model.compensation.salary_min
    first.field("compensation.salary_min").control.value = "95000"
    assert first.open(opened) is None
    assert (
        first.question.sentence
        == f"Open {opened}? These unsaved edits would be replaced by the file's values:"
    )
    assert first.question.items == [f"Compensation › Minimum pay: 95,000 now, {minimum:,.0f} after"]
    assert first.question.choices == ["Save my edits, then open", "Open without saving", "Cancel"]
    first.question.choose("Cancel")
    assert (
        first.values()["compensation"]["salary_min"] == 95000
        and first.status_text == f"Not opened: {opened}."
    )
    first.open(opened)
    first.question.choose("Open without saving")
    assert first.values()["compensation"]["salary_min"] == minimum and not first.dirty()


def test_upload_over_unsaved_edits_asks(form: Form) -> None:
    fill(form, practice__name="Birch", practice__state="WA")
    assert form.receive_upload(EXAMPLES[0].name, EXAMPLES[0].read_bytes()) is None
    assert form.question.topic == "upload"
    assert form.question.items[0].startswith("Practice & position › Practice › Name")
    form.question.choose("Load it without saving")
    assert form.model == jdkit.load(EXAMPLES[0])


# -- drafts -------------------------------------------------------------------------------------------


def test_unsaved_edits_are_kept_as_a_draft_and_offered_back(form: Form, tmp_path: Path) -> None:
    fill(form, practice__name="Birch", practice__state="WA", compensation__salary_max="90000")
    fill(form, compensation__salary_min="100000")  # invalid: kept all the same
    draft = form.autosave()
    assert draft == tmp_path / "params" / ".drafts" / "birch-medical-office-manager.yaml"
    kept = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert kept["draft_of"] is None and kept["params"]["compensation"] == {
        "salary_min": 100000,
        "salary_max": 90000,
    }
    reloaded = Form(tmp_path, debounce=0)  # the page was reloaded
    assert reloaded.question.topic == "draft"
    assert reloaded.question.sentence.startswith(
        "Unsaved edits to Birch (Medical Office Manager) were kept as a draft at "
    )
    assert reloaded.question.choices == ["Restore the draft", "Discard the draft", "Not now"]
    reloaded.question.choose("Restore the draft")
    assert reloaded.values() == form.values() and reloaded.dirty()
    assert reloaded.errors == form.errors and reloaded.target is None
    fill(reloaded, compensation__salary_min="80000")
    reloaded.save()
    assert not draft.exists()  # Save removes the draft
    assert Form(tmp_path, debounce=0).question.open is False
    fill(form, practice__name="Birch")
    form.autosave()
    Form(tmp_path, debounce=0).question.choose("Discard the draft")
    assert list((tmp_path / "params" / ".drafts").iterdir()) == []


def test_a_files_draft_is_offered_when_it_is_opened(tmp_path: Path) -> None:
    opened = copy_example(tmp_path, EXAMPLES[0])
    form = Form(tmp_path, debounce=0)
    form.open(opened)
    form.field("practice.city").control.value = "Golden"
    draft = form.autosave()
    assert (
        draft.name == Path(opened).name and yaml.safe_load(draft.read_text())["draft_of"] == opened
    )
    form.field("practice.city").control.value = jdkit.load(tmp_path / opened).practice.city
    assert form.autosave() is None and not draft.exists()  # back as saved: no draft
    form.field("practice.city").control.value = "Golden"
    form.autosave()
    again = Form(tmp_path, debounce=0, open=opened)
    assert again.question.topic == "draft" and f"of {opened}" in again.question.sentence
    again.question.choose("Restore")
    assert (
        again.values()["practice"]["city"] == "Golden"
        and again.target == tmp_path / opened
        and again.dirty()
    )


# -- export ---------------------------------------------------------------------------------------------


def test_export_writes_html_pdf_and_word_with_links(form: Form, tmp_path: Path) -> None:
    import io

    import pypdf

    fill(
        form, practice__name="Birch Street Clinic", practice__state="TX"
    )  # no pay-range law: no error
    assert not any(f.severity == "error" for f in form.findings)
    written = {path.suffix: path for path in form.export()}
    assert form.status_kind == "ok" and form.status_text == "Exported 3 files to out/."
    assert "Birch Street Clinic" in written[".html"].read_text(encoding="utf-8")
    assert 'download="birch-street-clinic-medical-office-manager.html"' in form.links.value
    assert "data:text/html;base64," in form.links.value
    # the first page: the practice is in its title (pypdf takes seconds over a whole description)
    pdf_text = pypdf.PdfReader(io.BytesIO(written[".pdf"].read_bytes())).pages[0].extract_text()
    assert "Birch Street Clinic" in pdf_text
    import docx

    document = docx.Document(str(written[".docx"]))
    assert any("Birch Street Clinic" in p.text for p in document.paragraphs)


def test_export_with_errors_asks_and_marks_each_file_a_draft(form: Form, tmp_path: Path) -> None:
    import io
    import re

    import docx
    import pypdf

    fill(form, practice__name="Prairie Clinic", practice__state="IL", practice__employees="20")
    errors = [f for f in form.findings if f.severity == "error"]
    assert errors and form.export() == []
    assert form.question.sentence == (
        "This document has 1 error that makes it unfit to publish. Export it as a "
        "draft? Each file's first line and name will say “Draft: not publishable”."
    )
    assert form.question.items[0].startswith(
        "Compensation: the practice has set no pay range, and Illinois"
    )
    assert form.question.choices == ["Export as a draft", "Cancel"]
    form.question.choose("Cancel")
    assert not (tmp_path / "out").exists() and form.status_text == "Not exported."
    form.export()
    form.question.choose("Export as a draft")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [
        f"prairie-clinic-medical-office-manager-draft{ext}" for ext in (".docx", ".html", ".pdf")
    ]
    assert form.status_kind == "warn"
    assert form.status_text == (
        "Exported 3 draft files to out/, each marked “Draft: not publishable”: fix the 1 "
        "error before publishing."
    )
    page = (tmp_path / "out" / names[1]).read_text(encoding="utf-8")
    body = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split("<body", 1)[1].split(">", 1)[1])
    ).strip()
    assert body.startswith("Draft: not publishable — Medical Office Manager")
    assert (
        docx.Document(str(tmp_path / "out" / names[0]))
        .paragraphs[0]
        .text.startswith("Draft: not publishable")
    )
    pdf = (
        pypdf.PdfReader(io.BytesIO((tmp_path / "out" / names[2]).read_bytes()))
        .pages[0]
        .extract_text()
    )
    assert "Draft: not publishable — Medical Office Manager" in pdf


# -- the server's pieces, headless ------------------------------------------------------------------


def test_from_env_opens_the_file_given_on_the_command_line(tmp_path: Path, monkeypatch) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(EXAMPLES[0], outside / "given.yaml")
    monkeypatch.setenv("JDKIT_FORM_DIR", str(tmp_path / "work"))
    monkeypatch.setenv("JDKIT_FORM_FILE", str(outside / "given.yaml"))
    (tmp_path / "work").mkdir()
    form = Form.from_env(debounce=0)
    assert (
        form.model == jdkit.load(EXAMPLES[0]) and form.target == (outside / "given.yaml").resolve()
    )
    assert form.status_text == f"Opened {(outside / 'given.yaml').resolve()}."


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("127.0.0.1:8866", True),
        ("127.0.0.1", True),
        ("127.8.9.10:80", True),
        ("localhost:8866", True),
        ("LOCALHOST", True),
        ("[::1]:8866", True),
        ("evil.example:8866", False),
        ("127.0.0.1.nip.io", False),
        ("192.168.1.5:8866", False),
        ("", False),
        ("[::ffff:8.8.8.8]", False),
    ],
)
def test_only_loopback_hosts_are_served(host: str, ok: bool) -> None:
    from jdkit.form.child import loopback_host

    assert loopback_host(host) is ok


def test_the_page_template_drops_the_cdn_and_carries_the_script(tmp_path: Path) -> None:
    from jdkit.form.page import CDN_LINKS, write_template

    root = write_template(tmp_path, limit=1234)
    template = (root / "voila" / "templates" / "jdkit" / "index.html.j2").read_text(
        encoding="utf-8"
    )
    assert all(
        link.replace('"', '\\"') in template for link in CDN_LINKS
    )  # each removed by a replace filter
    assert (
        "var LIMIT = 1234;" in template
        and "beforeunload" in template
        and "voila/api/shutdown/" in template
    )
    assert (
        '"base_template": "lab"'
        in (root / "voila" / "templates" / "jdkit" / "conf.json").read_text()
    )


# -- the preview's switch: the description or the posting ------------------------------------------


def test_the_preview_switches_between_the_description_and_the_posting(form: Form) -> None:
    switch = form.preview_kind
    assert isinstance(switch, W.RadioButtons) and aria(switch) == "Preview shows"
    assert [label for label, _ in switch.options] == ["Job description", "Job posting"]
    assert switch in form.side.children and switch.tooltip is not None
    fill(form, practice__name="Birch Street Clinic", practice__state="CO", practice__city="Denver")
    description = html.unescape(form.preview.value)
    assert 'title="Preview of the job description"' in form.preview.value
    assert "Performance Metrics" in description and "What You Will Do" not in description
    switch.value = "posting"  # as the user picks "Job posting"
    posting = html.unescape(form.preview.value)
    assert 'title="Preview of the job posting"' in form.preview.value
    assert "What You Will Do" in posting and "Performance Metrics" not in posting
    assert (
        "Draft: not publishable" in posting and "compensation.salary_min" in posting
    )  # Colorado wants a range
    fill(
        form, compensation__salary_min="75000", compensation__salary_max="99000"
    )  # edits keep the kind
    posting = html.unescape(form.preview.value)
    assert (
        "$75,000 to $99,000" in posting
        and "What You Will Do" in posting
        and "compensation.salary_min" not in posting
    )
    fill(
        form, compensation__salary_max="oops"
    )  # stale: the switch still shows the last valid version
    switch.value = "description"
    assert form.model is None and "Performance Metrics" in html.unescape(form.preview.value)
    switch.value = "posting"
    assert "$75,000 to $99,000" in html.unescape(form.preview.value)
