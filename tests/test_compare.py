"""Pay compared across practices: per role, grouped by state, outliers flagged; escaped SVG and table."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from jdkit.compare import compare_pay, comparison_html

SVG = "{http://www.w3.org/2000/svg}"


def row(practice, state, low, high, period="YEAR", role="Medical Office Manager", status="ok"):
    return {
        "practice": practice,
        "state": state,
        "pay_min": low,
        "pay_max": high,
        "period": period,
        "role": role,
        "status": status,
    }


MANAGERS = [
    row("Cedar", "CO", 72000, 94000),
    row("Aspen", "CO", 70000, 90000),
    row("Hudson", "NY", 95000, 125000),
    row("Lone Star", "TX", 30, 38.5, "HOUR"),
    row("Pacific", "CA", 82000, 108000),
]


def test_rows_group_by_role_and_state_on_a_yearly_axis():
    [managers, receptionists] = compare_pay(
        [*MANAGERS, row("Cedar", "CO", 19, 23.5, "HOUR", "Medical Receptionist")]
    )
    assert (
        managers.role == "Medical Office Manager" and receptionists.role == "Medical Receptionist"
    )
    assert [(state, [p.practice for p in points]) for state, points in managers.by_state] == [
        ("CA", ["Pacific"]),
        ("CO", ["Aspen", "Cedar"]),
        ("NY", ["Hudson"]),
        ("TX", ["Lone Star"]),
    ]
    lone_star = next(p for p in managers.points if p.practice == "Lone Star")
    assert (lone_star.low, lone_star.high) == (30 * 2080, 38.5 * 2080)
    assert managers.median == 83000  # midpoints 95k, 80k, 83k, 110k, 71.24k


def test_a_midpoint_far_from_the_median_is_flagged_with_the_reason():
    [managers] = compare_pay(MANAGERS)
    assert [(p.practice, p.outlier) for p in managers.outliers] == [
        ("Hudson", "+33% from the median")
    ]


def test_the_iqr_rule_flags_what_the_median_band_would_miss_with_four_or_more():
    # A tight cluster: 1.5 IQR is narrow, so a 20% gap (inside the 25% band) is still flagged.
    tight = [row(f"P{i}", "OH", 50000 + 200 * i, 60000 + 200 * i) for i in range(5)] + [
        row("Far", "OH", 62000, 70000)
    ]
    [item] = compare_pay(tight)
    assert [(p.practice, p.outlier) for p in item.outliers] == [("Far", "midpoint outside 1.5 IQR")]


@pytest.mark.parametrize("count", [1, 2])
def test_too_few_practices_flag_nothing(count):
    [item] = compare_pay([row("Low", "CO", 40000, 50000), row("High", "NY", 90000, 120000)][:count])
    assert item.outliers == []


def test_failed_practices_and_rows_without_pay_are_left_out():
    rows = [*MANAGERS, row("Broken", "CO", 1, 2, status="failed"), row("Blank", "CO", None, None)]
    [item] = compare_pay(rows)
    assert {p.practice for p in item.points} == {"Cedar", "Aspen", "Hudson", "Lone Star", "Pacific"}


def test_one_sided_ranges_and_object_rows_are_accepted():
    @dataclass
    class Result:  # the shape of jdkit.batch.PracticeResult
        practice: str
        state: str
        role: str
        pay_min: float | None
        pay_max: float | None
        period: str
        status: str = "ok"

    [item] = compare_pay([Result("Only Min", "WA", "Medical Coder", 60000, None, "YEAR")])
    assert (item.points[0].low, item.points[0].high) == (60000, 60000)


def test_html_draws_one_well_formed_chart_per_role_with_escaped_names_and_flagged_bars():
    rows = [
        *MANAGERS,
        row("<script>alert(1)</script> & Co", "WA", 71000, 91000),
        row("Cedar", "CO", 19, 23.5, "HOUR", "Medical <b>Receptionist</b>"),
    ]
    html = comparison_html(compare_pay(rows))
    assert "<script>" not in html and "<b>" not in html and "&lt;script&gt;" in html
    charts = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(charts) == 2
    roots = [ET.fromstring(chart) for chart in charts]
    names = [t.text for t in roots[1].iter(SVG + "text") if (t.text or "").endswith(")")]
    assert [n[-3:-1] for n in names] == [
        "CA",
        "CO",
        "CO",
        "NY",
        "TX",
        "WA",
    ]  # grouped by state, in order
    bars = [g for g in roots[1].iter(SVG + "g") if re.fullmatch(r"bar-\d+", g.get("id", ""))]
    fills = [re.search(r"fill: (#\w+)", g.find(SVG + "path").get("style")).group(1) for g in bars]
    assert len(bars) == 6 and fills.count("#b03a2e") == 1  # the outlier in the alert colour
    assert '<tr class="outlier"><td>NY</td><th scope="row">Hudson</th>' in html


def test_no_pay_at_all_says_so():
    assert (
        comparison_html(compare_pay([row("Blank", "CO", None, None)]))
        == "<p>No pay figures to compare.</p>\n"
    )


def test_the_batch_summary_page_carries_the_comparison(tmp_path):
    from jdkit.batch import PracticeResult, write_summary

    results = [
        PracticeResult(
            practice=r["practice"],
            slug=f"s{i}",
            source=f"{i}.yaml",
            status="ok",
            pay_min=r["pay_min"],
            pay_max=r["pay_max"],
            period=r["period"],
            role=r["role"],
            state=r["state"],
        )
        for i, r in enumerate(MANAGERS)
    ]
    results.append(
        PracticeResult(practice="", slug="", source="bad.yaml", status="failed", reason="bad input")
    )
    _, html_path = write_summary(results, tmp_path)
    page = html_path.read_text(encoding="utf-8")
    part = page[page.index("<h2>Pay by role across practices, by state</h2>") :]
    chart = ET.fromstring(
        re.search(r'<figure class="pay-compare">(<svg.*?</svg>)', part, re.S).group(1)
    )
    assert chart.find(SVG + "title").text.startswith("Medical Office Manager: yearly pay range")
    names = [t.text for t in chart.iter(SVG + "text") if (t.text or "").endswith(")")]
    assert [n[-3:-1] for n in names] == ["CA", "CO", "CO", "NY", "TX"]
    assert '<tr class="outlier"><td>NY</td><th scope="row">Hudson</th>' in part
