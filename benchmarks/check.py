"""Benchmark ``jdkit check``: documents per second, time per rule family, command start-up.

    python benchmarks/check.py [-n 400] [--repeat 5]

Prints a table of figures and ratios against the alternatives a user has: rendering the
same documents to HTML (the fast path of ``jdkit render``), and the bare interpreter and
``import jdkit`` for start-up. Run it on a quiet machine; nothing here is asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile

from common import ROOT, best_of, models, wall

from jdkit import checks
from jdkit.render import render

TODAY = dt.date(2026, 11, 27)


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=400, help="documents per run")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    docs = models(args.n)
    checks.check(docs[0], today=TODAY)  # load every family and table once
    render(docs[0], "html")
    t_check = best_of(args.repeat, lambda: [checks.check(m, today=TODAY) for m in docs])
    t_render = best_of(args.repeat, lambda: [render(m, "html") for m in docs])
    rows = [
        ("check(): documents per second", f"{args.n / t_check:,.0f}", ""),
        (
            "render(html): documents per second",
            f"{args.n / t_render:,.0f}",
            f"check takes {t_check / t_render:.2f}x the time of render",
        ),
    ]
    for name in checks.FAMILIES:
        t_family = best_of(
            args.repeat,
            lambda name=name: [checks.check(m, today=TODAY, families=[name]) for m in docs],
        )
        rows.append(
            (
                f"  family {name}: ms per document",
                f"{1000 * t_family / args.n:.3f}",
                f"{100 * t_family / t_check:.0f}% of check()",
            )
        )

    py = sys.executable
    example = str(ROOT / "params" / "cedar-family-medicine.yaml")
    with tempfile.TemporaryDirectory() as out:
        t_python = wall([py, "-c", "pass"], args.repeat)[1]
        t_import = wall([py, "-c", "import jdkit"], args.repeat)[1]
        t_cli = wall(
            [py, "-m", "jdkit.cli", "check", example, "--today", TODAY.isoformat()], args.repeat
        )[1]
        _, t_cli_all = wall(
            [py, "-m", "jdkit.cli", "check", str(ROOT / "params"), "--today", TODAY.isoformat()],
            args.repeat,
        )
        t_render_cli = wall(
            [py, "-m", "jdkit.cli", "render", example, "--to", "html", "--out", out], args.repeat
        )[1]
    rows += [
        ("python -c pass: wall s", f"{t_python:.3f}", ""),
        (
            "python -c 'import jdkit': wall s",
            f"{t_import:.3f}",
            f"{t_import / t_python:.1f}x bare python",
        ),
        (
            "jdkit check ONE.yaml: wall s",
            f"{t_cli:.3f}",
            f"{t_cli / t_render_cli:.2f}x jdkit render --to html",
        ),
        ("jdkit check params/: wall s", f"{t_cli_all:.3f}", f"{t_cli_all / t_cli:.2f}x one file"),
        ("jdkit render ONE.yaml --to html: wall s", f"{t_render_cli:.3f}", ""),
    ]

    width = max(len(r[0]) for r in rows)
    print(
        f"jdkit check benchmark: {args.n} documents, best of {args.repeat} (in-process), "
        "median (commands)"
    )
    print(f"{'measure':<{width}}  {'value':>10}  ratio")
    for name, value, ratio in rows:
        print(f"{name:<{width}}  {value:>10}  {ratio}")


if __name__ == "__main__":
    main()
