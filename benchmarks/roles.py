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
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jdkit import roles  # noqa: E402
from jdkit.compare import compare_pay, comparison_html  # noqa: E402
from jdkit.diff import diff, format_html, format_text  # noqa: E402
from jdkit.due import due_rows, format_rows  # noqa: E402
from jdkit.notebook import pay_chart_svg, pay_row  # noqa: E402
from jdkit.orgchart import org_chart_svg  # noqa: E402
from jdkit.params import Params, build, load  # noqa: E402
from jdkit.render import render  # noqa: E402

STATES = ["CO", "NY", "TX", "CA", "WA", "IL", "MA", "FL"]


def documents(n: int) -> list:
    """``n`` practices cycling through every role and eight states, pay spread by index."""
    ids = roles.ids()
    out = []
    for i in range(n):
        role = roles.get(ids[i % len(ids)])
        pay = role.defaults["compensation"]
        bump = 1 + (i % 9 - 4) / 40
        out.append(build(Params({
            "role": role.id,
            "practice": {"name": f"Practice {i}", "state": STATES[i % len(STATES)]},
            "compensation": {"salary_min": round(pay["salary_min"] * bump, 2),
                             "salary_max": round(pay["salary_max"] * bump, 2)},
            "review": {"last_reviewed": (dt.date(2025, 6, 1) + dt.timedelta(days=3 * i)).isoformat()},
        })))
    return out


def timed(func: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


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
    rows = [{"practice": d.practice.name, "state": d.practice.state, "role": d.role.title, "status": "ok",
             "pay_min": d.compensation.salary_min, "pay_max": d.compensation.salary_max,
             "period": d.compensation.period} for d in docs]
    today = dt.date(2026, 11, 27)
    n, r = args.n, args.repeat
    figures = [
        ("org chart SVG", n, timed(lambda: [org_chart_svg(d) for d in docs], r),
         "full HTML render", timed(lambda: [render(d, "html") for d in docs], r)),
        ("due table (text)", n, timed(lambda: format_rows(due_rows([(str(i), d) for i, d in enumerate(docs)],
                                                                    today=today), "text"), r),
         "loading the files (est.)", timed(lambda: (load(example), load(other)), r) * n / 2),
        ("diff text (2 examples)", 1, timed(lambda: format_text(diff(a, b)), r),
         "loading the 2 files", timed(lambda: (load(example), load(other)), r)),
        ("diff html (2 examples)", 1, timed(lambda: format_html(diff(a, b)), r),
         "loading the 2 files", timed(lambda: (load(example), load(other)), r)),
        ("pay comparison html", n, timed(lambda: comparison_html(compare_pay(rows)), r),
         "summary bar chart", timed(lambda: pay_chart_svg([pay_row(d) for d in docs], width=760), r)),
    ]
    print(f"{'task':<26}{'items':>7}{'ms total':>11}{'us/item':>10}   {'vs':<24}{'ms':>9}{'ratio':>8}")
    for name, items, seconds, other_name, other_seconds in figures:
        print(f"{name:<26}{items:>7}{seconds * 1e3:>11.2f}{seconds * 1e6 / items:>10.1f}   "
              f"{other_name:<24}{other_seconds * 1e3:>9.2f}{seconds / other_seconds:>8.2f}")


if __name__ == "__main__":
    main()
