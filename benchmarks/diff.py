"""Benchmark ``jdkit diff`` on long lists: the windowed pairing against the old all-pairs search.

    python benchmarks/diff.py [--sizes 100,1000,10000] [--repeat 3] [--old-limit 1000]

Two versions of one practice whose duty list holds N items: "typical" keeps 80% of the
items, rewords 10% (a word or two), removes 5% and adds 5%; "all reworded" changes every
item. Prints the seconds ``diff()`` plus ``format_text()`` take (best of ``--repeat``), with
the old algorithm (every removed item against every added item) beside it up to
``--old-limit`` items and estimated beyond (it grows with the square of N), and whether
both found the same changes. Nothing here is asserted in tests.
"""

from __future__ import annotations

import argparse
import difflib
import random
from collections.abc import Sequence
from unittest import mock

from common import best_of

from jdkit import diff as diffmod
from jdkit.params import Params, build

WORDS = (
    "patient schedule claim billing record staff payroll vendor supply audit report policy "
    "training insurance referral chart coding denial appeal budget invoice inventory "
    "compliance safety privacy notice consent intake checkout deposit ledger reconcile review "
    "update monitor prepare submit verify confirm approve track resolve escalate document "
    "maintain coordinate manage weekly monthly daily quarterly every each all new front desk "
    "clinical office physician provider nurse assistant"
).split()


def old_texts(
    what: str, old: Sequence[str], new: Sequence[str], group: str | None = None
) -> list[diffmod.Change]:
    """The all-pairs pairing jdkit used before: every removed item against every added one."""
    norm = diffmod._norm
    old_keys, new_keys = {norm(t) for t in old}, {norm(t) for t in new}
    removed = [t for t in old if norm(t) not in new_keys]
    added = [t for t in new if norm(t) not in old_keys]
    out: list[diffmod.Change] = []
    for gone in removed:
        best = max(
            added,
            key=lambda t: difflib.SequenceMatcher(a=gone.split(), b=t.split()).ratio(),
            default=None,
        )
        if (
            best is not None
            and difflib.SequenceMatcher(a=gone.split(), b=best.split()).ratio()
            >= diffmod.REWORD_RATIO
        ):
            added.remove(best)
            out.append(diffmod.Change("changed", what, gone, best, group, "reworded"))
        else:
            out.append(diffmod.Change("removed", what, gone, None, group))
    out += [diffmod.Change("added", what, None, text, group) for text in added]
    return out


def sentence(rng: random.Random, i: int) -> str:
    return f"Duty {i}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(9, 15))) + "."


def reword(rng: random.Random, text: str) -> str:
    words = text.split()
    for _ in range(rng.randint(1, 2)):
        words[rng.randrange(2, len(words))] = rng.choice(WORDS)
    return " ".join(words) + " (revised)"


def versions(n: int, scenario: str, seed: int = 7) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    old = [sentence(rng, i) for i in range(n)]
    new: list[str] = []
    for i, text in enumerate(old):
        roll = rng.random() if scenario == "typical" else 0.85
        if roll < 0.80:
            new.append(text)
        elif roll < 0.90:
            new.append(reword(rng, text))
        elif roll < 0.95:
            continue  # removed
        else:
            new.append(text)
            new.append(sentence(rng, n + i))  # added beside it
    return old, new


def model(items: list[str]) -> object:
    return build(
        Params(
            {
                "role": "medical-office-manager",
                "practice": {"name": "Bench Clinic", "state": "CO"},
                "responsibilities": [{"area": "Everything", "items": items}],
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--old-limit", type=int, default=1000, help="largest N the old algorithm is run for"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"{'items':>6}  {'scenario':<12}  {'changes':>7}  {'new (s)':>8}  {'old (s)':>10}  "
        f"{'old/new':>8}  same"
    )
    for scenario in ("typical", "all reworded"):
        measured: dict[int, float] = {}
        for n in sizes:
            a, b = (model(items) for items in versions(n, scenario))

            def run(a: object = a, b: object = b) -> str:
                return diffmod.format_text(diffmod.diff(a, b))  # type: ignore[arg-type]

            new_s = best_of(args.repeat, run)
            report = diffmod.diff(a, b)
            if n <= args.old_limit:
                with mock.patch.object(diffmod, "_texts", old_texts):
                    old_s = best_of(1 if n > 100 else args.repeat, run)
                    same = "yes" if diffmod.diff(a, b).changes == report.changes else "no"
                measured[n] = old_s
                old_text = f"{old_s:10.3f}"
            else:
                base = max(measured) if measured else None
                old_s = measured[base] * (n / base) ** 2 if base else float("nan")
                old_text = f"~{old_s:9.0f}"
                same = "(est.)"
            print(
                f"{n:>6}  {scenario:<12}  {len(report.changes):>7}  {new_s:8.3f}  {old_text}  "
                f"{old_s / new_s:7.0f}x  {same}"
            )


if __name__ == "__main__":
    main()
