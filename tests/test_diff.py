"""``jdkit diff OLD NEW``: section-by-section changes as text and as highlighted, escaped HTML."""

from __future__ import annotations

import html.parser
import os
import re

import pytest
import yaml

from jdkit.cli import cli
from jdkit.diff import diff, word_diff
from jdkit.params import load, read

from .conftest import DATA, PARAMS

BASE = PARAMS / "cedar-family-medicine.yaml"
ROLE_DUTY = "Hold a 90-day review with each new employee and a written yearly review with every direct report."


def variant(tmp_path, name="new.yaml", **changes):
    """A copy of the Cedar example with top-level sections replaced."""
    data = dict(read(BASE))
    data.update(changes)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def personnel(*items):
    return {"responsibilities": [{"area": "Personnel", "items": list(items)}]}


@pytest.fixture
def old_and_new(tmp_path):
    """OLD: Cedar with three personnel duties; NEW: one kept, one reworded, one removed, one added,
    pay raised, a metric's target tightened, a metric added and one removed."""
    old_metrics = [
        {
            "name": "Days in accounts receivable",
            "family": "financial",
            "target": 35,
            "comparison": "at most",
            "unit": "days",
            "period": "monthly",
        },
        {
            "name": "No-show rate",
            "family": "operational",
            "target": 5,
            "comparison": "at most",
            "unit": "percent of appointments",
            "period": "monthly",
        },
    ]
    new_metrics = [
        {**old_metrics[0], "target": 30},
        {
            "name": "Third next available appointment",
            "family": "patient_satisfaction",
            "target": 7,
            "comparison": "at most",
            "unit": "days",
            "period": "monthly",
        },
    ]
    old = variant(
        tmp_path,
        "old.yaml",
        metrics=old_metrics,
        **personnel(
            "Hire front-desk staff and fill each opening within 45 days.",
            ROLE_DUTY,
            "Keep personnel files and I-9 forms complete and locked.",
        ),
    )
    new = variant(
        tmp_path,
        "new.yaml",
        metrics=new_metrics,
        compensation={**read(BASE)["compensation"], "salary_min": 75000, "salary_max": 98000},
        **personnel(
            "Hire front-desk staff and fill each opening within 30 days.",
            ROLE_DUTY,
            "Run a <script>alert(1)</script> & fire drill every spring.",
        ),
    )
    return old, new


def test_identical_versions_exit_0_with_no_changes(runner, tmp_path):
    copy = variant(tmp_path)
    result = runner.invoke(cli, ["diff", str(BASE), str(copy)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "no changes"


def test_text_lists_duties_added_removed_and_reworded_pay_and_metrics(runner, old_and_new):
    old, new = old_and_new
    result = runner.invoke(cli, ["diff", str(old), str(new)])
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert out.startswith(
        f"--- {old} (Medical Office Manager)\n+++ {new} (Medical Office Manager)\n"
    )
    assert (
        "  ~ [Personnel] duty: Hire front-desk staff and fill each opening within 45 days. -> "
        "Hire front-desk staff and fill each opening within 30 days. (reworded)"
    ) in out
    assert "  - [Personnel] duty: Keep personnel files and I-9 forms complete and locked." in out
    assert "  + [Personnel] duty: Run a <script>alert(1)</script> & fire drill every spring." in out
    assert ROLE_DUTY not in out  # unchanged duties are not listed
    midpoint = 100 * ((75000 + 98000) / 2 - (72000 + 94000) / 2) / ((72000 + 94000) / 2)
    assert (
        f"  ~ pay range: $72,000 to $94,000 per year -> $75,000 to $98,000 per year "
        f"(midpoint {midpoint:+.1f}%)"
    ) in out
    assert (
        "  ~ [Days in accounts receivable] metric: Days in accounts receivable: at most 35 days (Financial, monthly)"
        " -> Days in accounts receivable: at most 30 days (Financial, monthly)"
    ) in out
    assert (
        "  + metric: Third next available appointment: at most 7 days (Patient satisfaction, monthly)"
        in out
    )
    assert (
        "  - metric: No-show rate: at most 5 percent of appointments (Operational, monthly)" in out
    )
    headings = re.findall(r"^== (.+) ==$", out, re.M)
    assert headings == ["Responsibilities", "Performance Metrics", "Compensation"]
    assert out.splitlines()[-1] == "7 change(s) in 3 section(s)"


def test_reporting_and_certification_changes_are_named(tmp_path):
    old = load(BASE)
    new_path = variant(
        tmp_path,
        reporting={
            "reports_to": "Practice Administrator",
            "supervises": ["Medical Receptionist", "Medical Coder"],
        },
        qualifications={
            "certifications": [
                {
                    "name": "Certified Medical Manager",
                    "abbreviation": "CMM",
                    "issuer": "PAHCOM",
                    "level": "required",
                }
            ]
        },
    )
    report = diff(old, load(new_path))
    lines = {(c.kind, c.what, c.old, c.new) for c in report.changes}
    assert ("changed", "reports to", "Physician Owner", "Practice Administrator") in lines
    assert ("added", "supervises", None, "Medical Coder") in lines
    assert ("removed", "supervises", "Medical Assistant", None) in lines
    kinds = {(c.kind, c.what) for c in report.changes if c.what == "certification"}
    assert kinds == {
        ("changed", "certification"),
        ("removed", "certification"),
    }  # CMM made required; CMPE, CPC gone


class _Balance(html.parser.HTMLParser):
    """Checks that every non-void tag is closed in order."""

    VOID = {"meta", "br", "hr", "img", "link", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"


def test_html_report_highlights_changes_escapes_text_and_is_well_formed(runner, old_and_new):
    old, new = old_and_new
    result = runner.invoke(cli, ["diff", str(old), str(new), "--format", "html"])
    assert result.exit_code == 1
    page = result.stdout
    checker = _Balance()
    checker.feed(page)
    assert checker.stack == []
    assert (
        "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; fire drill" in page
    )
    assert (
        '<section id="diff-responsibilities">' in page
        and '<section id="diff-compensation">' in page
    )
    reworded = re.search(r'<li class="changed">.*?</li>', page, re.S).group(0)
    assert "<del>45</del>" in reworded and "<ins>30</ins>" in reworded
    assert re.search(r'<li class="added">.*?<ins>Run a &lt;script&gt;', page, re.S)
    assert re.search(r'<li class="removed">.*?<del>Keep personnel files', page, re.S)
    assert "7 change(s) in 3 section(s)." in page


def test_diff_writes_nothing(runner, old_and_new, tmp_path, monkeypatch):
    old, new = old_and_new
    here = tmp_path / "cwd"
    here.mkdir()
    monkeypatch.chdir(here)
    before = sorted(os.listdir(tmp_path))
    assert runner.invoke(cli, ["diff", str(old), str(new), "--format", "html"]).exit_code == 1
    assert os.listdir(here) == [] and sorted(os.listdir(tmp_path)) == before


def test_bad_input_is_one_line_and_exit_2(runner, tmp_path):
    result = runner.invoke(cli, ["diff", str(DATA / "bad" / "min-above-max.yaml"), str(BASE)])
    assert result.exit_code == 2 and result.stdout == ""
    assert (
        result.stderr.count("\n") == 1
        and "min-above-max.yaml" in result.stderr
        and "salary_min" in result.stderr
    )
    missing = runner.invoke(cli, ["diff", str(BASE), str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "nope.yaml" in missing.stderr
    assert runner.invoke(cli, ["diff", str(BASE), str(BASE), "--format", "pdf"]).exit_code == 2


def test_word_diff_marks_only_the_changed_words():
    assert word_diff("within 45 days of hire", "within 30 days of hire") == [
        ("same", "within"),
        ("del", "45"),
        ("ins", "30"),
        ("same", "days of hire"),
    ]
    assert word_diff("", "new text") == [("ins", "new text")]


# Issue 18: control characters on the terminal; a bounded pairing of reworded items.


def test_text_shows_control_characters_instead_of_obeying_them(runner, tmp_path):
    old = variant(tmp_path, "old.yaml", physical_demands=["Sits \x1b[8mhidden\x1b[0m at a desk."])
    new = variant(
        tmp_path, "new.yaml", physical_demands=["Stands \u202eright to left\u202c at a desk."]
    )
    result = runner.invoke(cli, ["diff", str(old), str(new)])
    assert result.exit_code == 1, result.output
    assert "Sits \\x1b[8mhidden\\x1b[0m at a desk." in result.stdout
    assert "Stands \\u202eright to left\\u202c at a desk." in result.stdout
    assert not any(ch in result.stdout for ch in "\x1b\u202e\u202c")


def _old_pairs(removed, added):
    """The all-pairs pairing used before the window (benchmarks/diff.py times the two)."""
    import difflib

    from jdkit.diff import REWORD_RATIO

    left, pairs = list(enumerate(added)), {}
    for i, gone in enumerate(removed):
        best = max(
            left,
            key=lambda t: difflib.SequenceMatcher(a=gone.split(), b=t[1].split()).ratio(),
            default=None,
        )
        if (
            best is not None
            and difflib.SequenceMatcher(a=gone.split(), b=best[1].split()).ratio() >= REWORD_RATIO
        ):
            left.remove(best)
            pairs[i] = best[0]
    return pairs


def _versions(n, seed):
    import random

    rng = random.Random(seed)
    words = "claim ledger deposit schedule supply payroll referral audit chart denial appeal budget".split()
    old = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 9))) for _ in range(n)]
    new = [
        " ".join(w if rng.random() < 0.8 else rng.choice(words) for w in text.split())
        for text in old
    ]
    rng.shuffle(new[: n // 3])  # some moved, so the best partner is not always at the same place
    return old, new


@pytest.mark.parametrize("seed", range(8))
def test_the_window_pairs_as_the_all_pairs_search_did_on_lists_it_covers(seed):
    from jdkit.diff import REWORD_WINDOW, _reworded

    old, new = _versions(REWORD_WINDOW, seed)
    assert _reworded(old, new) == _old_pairs(old, new)


def test_ten_thousand_items_need_a_bounded_number_of_comparisons(monkeypatch):
    import difflib

    calls = {"ratio": 0}
    real = difflib.SequenceMatcher.ratio

    def counted(self):
        calls["ratio"] += 1
        return real(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counted)
    old = [f"Check item {i} of the claims ledger." for i in range(10_000)]
    new = [
        f"Check item {i} of the claims ledger each week." if i % 2 else text
        for i, text in enumerate(old)
    ]
    model = load(BASE)
    area = model.responsibilities[0]

    def version(items: list[str]):  # the example, its one duty area holding ``items``
        return model.model_copy(
            update={"responsibilities": [area.model_copy(update={"items": items, "marginal": []})]}
        )

    changes = diff(version(old), version(new)).changes
    assert len(changes) == 5_000 and all(
        c.kind == "changed" and c.note == "reworded" for c in changes
    )
    assert {(c.what, c.group) for c in changes} == {("duty", area.area)}
    assert all(
        c.old.split()[2] == c.new.split()[2] for c in changes
    )  # each paired with its own rewording
    # all pairs would be 5,000 x 5,000 = 25 million full comparisons; the window allows at most 101 a
    # removed item, and the cheap bounds leave about one
    assert calls["ratio"] <= 2 * 5_000
