"""Benchmark the role-library features: org chart, review table, version diff, pay comparison.

    python benchmarks/roles.py [-n 200] [--repeat 5]

Prints a table of figures (median of ``--repeat`` runs) and ratios against the nearest
alternative: the chart against rendering the whole HTML document it sits in, ``jdkit due``
and ``jdkit diff`` against loading the parameter files they read, and the pay comparison
against the batch summary's existing bar chart. Nothing here is asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt

from common import ROOT, median_of

from jdkit import roles
from jdkit.charts import pay_chart_svg, pay_row
from jdkit.compare import compare_pay, comparison_html
from jdkit.diff import diff, format_html, format_text
from jdkit.due import due_rows, format_rows
from jdkit.orgchart import org_chart_svg
from jdkit.params import Params, build, load
from jdkit.render import render

STATES = ["CO", "NY", "TX", "CA", "WA", "IL", "MA", "FL"]


def documents(n: int) -> list:
    """``n`` practices cycling through every role and eight states, pay spread by index."""
    ids = roles.ids()
    out = []
    for i in range(n):
        role = roles.get(ids[i % len(ids)])
        pay = role.defaults["compensation"]
        bump = 1 + (i % 9 - 4) / 40
        out.append(
            build(
                Params(
                    {
                        "role": role.id,
                        "practice": {"name": f"Practice {i}", "state": STATES[i % len(STATES)]},
                        "compensation": {
                            "salary_min": round(pay["salary_min"] * bump, 2),
                            "salary_max": round(pay["salary_max"] * bump, 2),
                        },
                        "review": {
                            "last_reviewed": (
                                dt.date(2025, 6, 1) + dt.timedelta(days=3 * i)
                            ).isoformat()
                        },
                    }
                )
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="documents (default 200)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    docs = documents(args.n)
    render(docs[0], "html")  # warm the template cache
    example = ROOT / "params" / "cedar-family-medicine.yaml"
    other = ROOT / "params" / "hudson-cardiology.yaml"
    a, b = load(example), load(other)
    rows = [
        {
            "practice": d.practice.name,
            "state": d.practice.state,
            "role": d.role.title,
            "status": "ok",
            "pay_min": d.compensation.salary_min,
            "pay_max": d.compensation.salary_max,
            "period": d.compensation.period,
        }
        for d in docs
    ]
    today = dt.date(2026, 11, 27)
    n, r = args.n, args.repeat
    figures = [
        (
            "org chart SVG",
            n,
            median_of(r, lambda: [org_chart_svg(d) for d in docs]),
            "full HTML render",
            median_of(r, lambda: [render(d, "html") for d in docs]),
        ),
        (
            "due table (text)",
            n,
            median_of(
                r,
                lambda: format_rows(
                    due_rows([(str(i), d) for i, d in enumerate(docs)], today=today), "text"
                ),
            ),
            "loading the files (est.)",
            median_of(r, lambda: (load(example), load(other))) * n / 2,
        ),
        (
            "diff text (2 examples)",
            1,
            median_of(r, lambda: format_text(diff(a, b))),
            "loading the 2 files",
            median_of(r, lambda: (load(example), load(other))),
        ),
        (
            "diff html (2 examples)",
            1,
            median_of(r, lambda: format_html(diff(a, b))),
            "loading the 2 files",
            median_of(r, lambda: (load(example), load(other))),
        ),
        (
            "pay comparison html",
            n,
            median_of(r, lambda: comparison_html(compare_pay(rows))),
            "summary bar chart",
            median_of(r, lambda: pay_chart_svg([pay_row(d) for d in docs], width=760)),
        ),
    ]
    print(
        f"{'task':<26}{'items':>7}{'ms total':>11}{'us/item':>10}   {'vs':<24}{'ms':>9}{'ratio':>8}"
    )
    for name, items, seconds, other_name, other_seconds in figures:
        print(
            f"{name:<26}{items:>7}{seconds * 1e3:>11.2f}{seconds * 1e6 / items:>10.1f}   "
            f"{other_name:<24}{other_seconds * 1e3:>9.2f}{seconds / other_seconds:>8.2f}"
        )


if __name__ == "__main__":
    main()
