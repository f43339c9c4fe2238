"""The pay charts (matplotlib SVG): read back from the SVG, labels clear of bars and inside the
figure, money on the axis, long names wrapped and whole, each range over its market band."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from jdkit import params
from jdkit.charts import ChartRow, pay_chart_svg, pay_row, range_chart
from jdkit.compare import compare_pay, comparison_html

from .conftest import EXAMPLES

SVG = "{http://www.w3.org/2000/svg}"
LONG = "The Extraordinarily Long-Named Regional Family and Internal Medicine Associates of Eastern Colorado"


def geometry(
    svg: str,
) -> tuple[ET.Element, dict[str, tuple[float, float]], dict[str, tuple[float, float, str]]]:
    """The SVG root, each bar's and band's x extent by id, and each label's x, y and text by id."""
    root = ET.fromstring(svg)
    spans: dict[str, tuple[float, float]] = {}
    labels: dict[str, tuple[float, float, str]] = {}
    for group in root.iter(SVG + "g"):
        gid = group.get("id", "")
        if re.fullmatch(r"(bar|band)-\d+", gid):
            xs = [
                float(x)
                for x in re.findall(r"[ML] ([\d.]+) ", group.find(SVG + "path").get("d") + " ")
            ]
            spans[gid] = (min(xs), max(xs))
        elif re.fullmatch(r"label-\d+", gid):
            text = group.find(SVG + "text")
            labels[gid] = (float(text.get("x")), float(text.get("y")), text.text or "")
    return root, spans, labels


def rows_of_examples() -> list[dict]:
    return [pay_row(params.load(path)) for path in EXAMPLES]


def test_labels_sit_right_of_their_bar_and_band_and_inside_the_figure():
    svg = pay_chart_svg(rows_of_examples())
    root, spans, labels = geometry(svg)
    width = float(root.get("viewBox").split()[2])
    assert len(labels) == len(EXAMPLES)
    for gid, (x, _, text) in labels.items():
        index = gid.split("-")[1]
        assert x >= spans[f"bar-{index}"][1]  # never over its bar
        if f"band-{index}" in spans:
            assert x >= spans[f"band-{index}"][1]  # nor over the market band
        assert (
            x + 0.56 * 8 * len(text) <= width
        )  # 8 pt text, about 0.6 em a character: inside the figure
        for other, (
            left,
            right,
        ) in spans.items():  # and over no other row's bar (bars of other rows lie
            if other.endswith(f"-{index}"):  # above or below it, so only its own row could collide)
                assert not left < x < right


def test_the_axis_shows_money_and_the_svg_has_a_text_alternative():
    svg = pay_chart_svg(rows_of_examples())
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(SVG + "text")]
    assert any(re.fullmatch(r"\$\d{1,3}(,\d{3})+", t or "") for t in texts)  # "$100,000" ticks
    assert root.get("role") == "img" and "market middle half" in root.get("aria-label")
    assert root.find(SVG + "title").text == root.get("aria-label")
    model = params.load(EXAMPLES[0])
    assert model.practice.name in root.get("aria-label")


def test_long_names_are_wrapped_whole_not_cut():
    svg = range_chart(
        [ChartRow(LONG, 70000, 90000), ChartRow("Short", 60000, 80000)], title="Pay range"
    )
    texts = " ".join(t.text or "" for t in ET.fromstring(svg).iter(SVG + "text"))
    assert "\u2026" not in texts
    for word in LONG.split():
        assert word in texts
    wrapped = [
        t
        for t in ET.fromstring(svg).iter(SVG + "text")
        if (t.text or "") and (t.text or "") in LONG
    ]
    assert len(wrapped) >= 3  # at most WRAP characters a line


def test_hostile_names_are_escaped_text():
    svg = range_chart(
        [ChartRow('<script>alert("x")</script> & $5 $6', 70000, 90000)], title="Pay <range>"
    )
    root = ET.fromstring(svg)  # well-formed
    assert "<script>" not in svg and any(
        "<script>" in (t.text or "") for t in root.iter(SVG + "text")
    )
    assert any("$5 $6" in (t.text or "") for t in root.iter(SVG + "text"))  # dollars, not TeX


def test_every_role_in_the_comparison_is_drawn_over_its_market_band():
    from jdkit.batch.plan import _row

    results = [_row(params.load(path), str(path)) for path in EXAMPLES]
    for result in results:
        result.status = "ok"
    html = comparison_html(compare_pay(results))
    charts = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(charts) == len(compare_pay(results))
    for svg in charts:
        _, spans, labels = geometry(svg)
        assert any(k.startswith("band-") for k in spans) and labels
    assert "Market middle half" in html and "<caption>" in html


@pytest.mark.parametrize("period,factor", [("YEAR", 1), ("HOUR", 2080)])
def test_the_band_is_a_year_for_every_period(good, period, factor):
    from jdkit.checks.market_pay import band_for
    from jdkit.params import Params, build

    good["practice"]["city"] = "Denver"
    good["compensation"] = {
        "salary_min": 30 if factor > 1 else 70000,
        "salary_max": 40 if factor > 1 else 90000,
        "period": period,
    }
    model = build(Params(good))
    row = pay_row(model)
    band = band_for(model)[0]
    assert row["band_median"] == pytest.approx(band.median * factor)
