"""Rendering: every section's content reaches HTML and Markdown, escaping holds, overrides work."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from markupsafe import escape

from jdkit import params
from jdkit.errors import TemplateError
from jdkit.models import SECTIONS, JobDescription
from jdkit.render import md_escape, money, pay_range, render

from .conftest import EXAMPLES, example_ids

# Fields whose values are codes or constrained, not free text.
CODED = {"state", "id", "onet_soc", "currency", "period", "employment_type", "flsa_status", "exemption", "location_type",
         "family", "comparison", "level", "postal_code", "url", "last_reviewed", "date_posted", "valid_through",
         "accessed", "next_due"}


def texts(value, key=""):
    """Yield (path, text) for every free-text string in a model dump."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in CODED and k != "sources":
                yield from texts(v, f"{key}.{k}" if key else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from texts(v, f"{key}.{i}")
    elif isinstance(value, str):
        yield key, value


def replace_texts(value, new):
    if isinstance(value, dict):
        return {k: (v if k in CODED or k == "sources" else replace_texts(v, new)) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_texts(v, new) for v in value]
    return new if isinstance(value, str) else value


@pytest.fixture(params=EXAMPLES, ids=example_ids())
def model(request) -> JobDescription:
    return params.load(request.param)


def test_every_text_reaches_html(model):
    html = render(model, "html")
    for path, text in texts(model.model_dump(mode="json", exclude={"role": {"sources", "managing"}})):
        if path.startswith("review.next_due") or path.startswith("review.last_reviewed"):
            continue
        assert str(escape(text)) in html, path


def test_every_text_reaches_markdown(model):
    md = render(model, "md")
    for path, text in texts(model.model_dump(mode="json", exclude={"role": {"sources", "managing"}})):
        if path.startswith("review."):
            continue
        assert md_escape(text) in md, path


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_headings_pay_metrics_and_review_are_rendered(model, fmt):
    out = render(model, fmt)
    for _, heading in SECTIONS:
        assert heading in out
    assert pay_range(model) in out
    for metric in model.metrics:
        assert f"{metric.target:g}" in out
    assert str(model.review.last_reviewed) in out and str(model.review.next_due) in out
    assert model.reporting.reports_to in out
    for day in (model.position.date_posted, model.position.valid_through):
        assert day is None or str(day) in out


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.void = {"meta", "br", "hr", "img", "link", "input"}

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in self.void:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def test_html_is_well_formed(model):
    parser = _Parser()
    parser.feed(render(model, "html"))
    assert parser.stack == [] and "script" not in parser.tags


def test_script_in_any_text_field_is_escaped_in_html(model):
    attack = '<script>alert("x")</script>'
    data = replace_texts(model.model_dump(mode="json", exclude={"review": {"next_due"}}), attack)
    hostile = JobDescription.model_validate(data)
    html = render(hostile, "html")
    parser = _Parser()
    parser.feed(html)
    assert "script" not in parser.tags
    assert "<script" not in html.lower()
    assert html.count("&lt;script&gt;") >= len(list(texts(data))) - 5  # nearly every field is shown
    md = render(hostile, "md")
    assert "<script" not in md.lower()


def test_markdown_keeps_each_value_on_its_line():
    assert md_escape("a\nb | c <b>") == "a b \\| c &lt;b&gt;"


def test_user_templates_override_by_name(tmp_path, model):
    (tmp_path / "body.html.j2").write_text("<p>Custom body for {{ jd.practice.name }}</p>")
    html = render(model, "html", templates=tmp_path)
    assert f"<p>Custom body for {escape(model.practice.name)}</p>" in html
    assert "<style>" in html  # the rest is still built in


def test_undefined_values_in_templates_are_errors(tmp_path, model):
    (tmp_path / "document.md.j2").write_text("{{ jd.no_such_field }}")
    with pytest.raises(TemplateError, match="undefined"):
        render(model, "md", templates=tmp_path)


def test_template_syntax_errors_name_the_file_and_line(tmp_path, model):
    (tmp_path / "document.md.j2").write_text("ok\n{% if %}\n")
    with pytest.raises(TemplateError) as info:
        render(model, "md", templates=tmp_path)
    assert info.value.line == 2


def test_unknown_format_lists_the_formats(model):
    with pytest.raises(TemplateError, match="unknown format"):
        render(model, "rtf")


@pytest.mark.parametrize("amount,text", [(68000, "$68,000"), (30.5, "$30.50"), (30, "$30")])
def test_money(amount, text):
    assert money(amount) == text


def test_pay_range_words(good):
    good["compensation"] = {"salary_min": 30, "salary_max": 38.5, "period": "HOUR"}
    assert pay_range(params.build(params.Params(good))) == "$30.00 to $38.50 per hour"


def test_jdkit_render_is_callable_after_the_module_is_imported(model):
    import importlib

    import jdkit

    importlib.import_module("jdkit.render")
    assert jdkit.render(model, "md") == render(model, "md")
    assert jdkit.render.render is render
