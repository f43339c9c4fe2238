"""Rendering: every section's content reaches HTML and Markdown, escaping holds, overrides work."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from markupsafe import escape

from jdkit import params
from jdkit.errors import TemplateError, UnknownFormatError
from jdkit.models import SECTIONS, JobDescription
from jdkit.render import md_escape, money, pay_range, render
from jdkit.wording import clean, us_date

from .conftest import CODED, EXAMPLES, example_ids


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
        return {
            k: (v if k in CODED or k == "sources" else replace_texts(v, new))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [replace_texts(v, new) for v in value]
    return new if isinstance(value, str) else value


@pytest.fixture(params=EXAMPLES, ids=example_ids())
def model(request) -> JobDescription:
    return params.load(request.param)


def md_plain(md: str) -> str:
    """What a Markdown reader shows of jdkit's escaping: backslash escapes and entities undone."""
    import html as html_lib
    import re

    return html_lib.unescape(re.sub(r"\\([\\`*_\[\]|~#=+\-.)])", r"\1", md))


def test_every_text_reaches_html(model):
    html = render(model, "html").lower()
    for path, text in texts(
        model.model_dump(mode="json", exclude={"role": {"sources", "managing"}})
    ):
        if path.startswith("review."):
            continue  # shown as US dates and the owner's name, see the next test
        # sentences may gain a capital or a full stop ("all employees", "monthly"): compare without case
        assert str(escape(clean(text))).lower() in html, path


def test_every_text_reaches_markdown(model):
    md = md_plain(render(model, "md")).lower()
    for path, text in texts(
        model.model_dump(mode="json", exclude={"role": {"sources", "managing"}})
    ):
        if path.startswith("review."):
            continue
        assert clean(text).lower() in md, path


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_headings_pay_metrics_and_review_are_rendered(model, fmt):
    out = render(model, fmt)
    for _, heading in SECTIONS:
        assert heading in out
    assert pay_range(model) in out
    for metric in model.metrics:
        assert f"{metric.target:g}" in out
    assert us_date(model.review.last_reviewed) in out and us_date(model.review.next_due) in out
    assert model.reporting.reports_to in out and model.review.owner in out
    for day in (model.position.date_posted, model.position.valid_through):
        assert day is None or us_date(day) in out
    assert "-11-" not in out  # no ISO dates: "November 16, 2026"


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
    with pytest.raises(UnknownFormatError, match="unknown format"):
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


MARKDOWN_ATTACKS = [
    "[click](javascript:alert(1))",
    "![pixel](https://tracker.example/p.png)",
    "[ref]: https://evil.example",
    "# URGENT: send your SSN",
    "---",
    "***",
    "___",
    "> quoted",
    "1. numbered",
    "- bullet",
    "+ plus",
    "=====",
    "`code`",
    "**bold** _em_",
    "<b>raw</b>",
    "<https://auto.example>",
    "| a | b |",
    "~~struck~~",
    "[x][ref]",
]


@pytest.mark.parametrize("attack", MARKDOWN_ATTACKS)
def test_markdown_syntax_in_any_field_stays_text(model, attack):
    """Issue 18, cause 8: rendered by a Markdown reader, no field becomes a link, image, heading or rule."""
    import mistune

    data = replace_texts(model.model_dump(mode="json", exclude={"review": {"next_due"}}), attack)
    hostile = JobDescription.model_validate(data)
    for kind in ("description", "posting"):
        md = render(hostile, "md", kind=kind)
        html = mistune.create_markdown(plugins=["table", "strikethrough"])(md)
        assert (
            "<a " not in html
            and "<img" not in html
            and "<code>" not in html
            and "<del>" not in html
        )
        assert "<blockquote>" not in html  # no draft notice here: every field set what the law asks
        assert html.count("<h1>") == 1 and html.count("<hr") == (1 if kind == "description" else 0)
        assert "<em>" not in html.replace("<em>Last reviewed", "").replace(
            "<em>Reporting structure", ""
        )
        assert "<b>" not in html and "<ol" not in html
        assert md_plain(md).count(attack.strip()) >= 3  # shown as the text it is


def test_the_running_head_in_the_css_cannot_end_its_string_or_the_style(good):
    good["practice"]["name"] = 'Clinic"; } body { display: none } </style><script>alert(1)</script>'
    html = render(params.build(params.Params(good)), "html")
    style = html.split("<style>", 1)[1]
    assert style.index("</style>") == style.rindex(
        "</style>"
    )  # only the real end of the style element
    head = next(line for line in style.splitlines() if '@top-center { content: "' in line)
    assert '"; }' not in head.split("content: ", 1)[1].split(";", 1)[0][1:-1]
    assert "<script" not in html


@pytest.mark.parametrize("kind", ["description", "posting"])
def test_the_head_names_the_author_and_subject_escaped(kind):
    base = params.load(EXAMPLES[0])
    hostile = base.model_copy(
        update={"practice": base.practice.model_copy(update={"name": 'Oak "&" <Clinic>'})}
    )
    html = render(hostile, "html", kind=kind)
    head = html[: html.index("</head>")]
    label = "Job posting" if kind == "posting" else "Job description"
    assert '<meta name="author" content="Oak &#34;&amp;&#34; &lt;Clinic&gt;">' in head
    assert (
        f'<meta name="description" content="{label} for the {escape(base.title)} at '
        f"Oak &#34;&amp;&#34; &lt;Clinic&gt;, {base.practice.city}, {base.practice.state} "
        f'(O*NET-SOC {base.role.onet_soc})">'
    ) in head
    assert "<Clinic>" not in head
