"""Readability (Flesch reading ease, tested on published values) and inclusive language."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from jdkit.checks import SEVERITIES, check, score
from jdkit.checks.inclusive import gender_coding, verdict
from jdkit.checks.readability import THRESHOLD, flesch, flesch_reading_ease, syllables
from jdkit.data import table
from jdkit.params import Params, build

TODAY = dt.date(2026, 11, 27)


def make(**sections):
    data = {
        "role": "medical-office-manager",
        "practice": {"name": "T", "state": "TX", "city": "Austin"},
    }
    data.update(sections)
    return build(Params(data))


def rules(model, family):
    return [f for f in check(model, today=TODAY, families=[family])]


# -- readability ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # Published examples of the Flesch formula (as quoted in Flesch-Kincaid references).
        ("The cat sat on the mat.", 116.1),
        ("The Australian platypus is seemingly a hybrid of a mammal and reptilian creature.", 24.4),
    ],
)
def test_flesch_reproduces_published_values(text, expected):
    assert round(flesch_reading_ease([text]), 1) == expected


def test_flesch_formula_on_a_hand_counted_passage():
    # 2 sentences, 13 words, 15 syllables (pa-tient, in-to; counted by hand)
    text = "The nurse reads the chart. Then she calls the patient into the room."
    assert flesch_reading_ease([text]) == pytest.approx(206.835 - 1.015 * 13 / 2 - 84.6 * 15 / 13)


def test_each_passage_ends_a_sentence_and_words_need_letters():
    assert flesch_reading_ease(["Check the schedule", "Call the lab"]) == flesch_reading_ease(
        ["Check the schedule. Call the lab."]
    )
    assert flesch_reading_ease(["$500 / 30"]) is None


# Dictionary syllable counts (Merriam-Webster) for common job-description words.
KNOWN = {
    "the": 1,
    "cat": 1,
    "table": 2,
    "people": 2,
    "radio": 3,
    "nation": 2,
    "premium": 3,
    "creature": 2,
    "seemingly": 3,
    "australian": 4,
    "reptilian": 4,
    "platypus": 3,
    "hybrid": 2,
    "mammal": 2,
    "quality": 3,
    "language": 2,
    "period": 3,
    "patient": 2,
    "insurance": 3,
    "manager": 3,
    "practice": 2,
    "medical": 3,
    "office": 2,
    "equipment": 3,
    "staff": 1,
    "review": 2,
    "payment": 2,
    "schedule": 2,
    "various": 3,
    "area": 3,
    "idea": 3,
    "create": 2,
    "budget": 2,
    "claims": 1,
    "supervise": 3,
    "training": 2,
    "monthly": 2,
    "vendor": 2,
    "billing": 2,
    "compliance": 3,
}


def test_the_syllable_heuristic_matches_the_dictionary_on_most_words():
    right = [word for word, count in KNOWN.items() if syllables(word) == count]
    assert len(right) / len(KNOWN) >= 0.85, sorted(set(KNOWN) - set(right))
    assert all(syllables(word) >= 1 for word in KNOWN) and syllables("a") == 1


def test_readability_warns_below_the_threshold_only():
    hard = (
        "Comprehensive administrative responsibilities necessitate demonstrated organizational "
        "capabilities, interdepartmental communication proficiency and considerable regulatory "
        "familiarity, particularly regarding reimbursement methodologies and accreditation."
    )
    model = make(
        summary=hard,
        responsibilities=[{"area": "Administration", "items": [hard] * 3}],
        skills=[{"skill": "Administration", "example": hard}],
        daily_tasks=[{"area": "Administration", "items": [hard] * 3}],
    )
    assert flesch(model) < THRESHOLD
    found = rules(model, "readability")
    assert [(f.rule, f.severity, f.section) for f in found] == [
        ("readability.flesch", "warning", "document")
    ]
    assert flesch(make()) > THRESHOLD + 20 and rules(make(), "readability") == []


# -- gender-coded words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "feminine, masculine, expected",
    [
        (0, 0, "neutral"),
        (3, 3, "neutral"),
        (1, 0, "feminine-coded"),
        (3, 0, "feminine-coded"),
        (4, 0, "strongly feminine-coded"),
        (0, 3, "masculine-coded"),
        (1, 5, "strongly masculine-coded"),
    ],
)
def test_verdict_is_feminine_minus_masculine(feminine, masculine, expected):
    assert verdict(feminine, masculine) == expected


def summary_only(text: str, **more):
    """A document whose only counted prose is ``text``: every other prose section emptied."""
    sections = dict(
        summary=text,
        responsibilities=[],
        skills=[],
        daily_tasks=[],
        metrics=[],
        compliance=[],
        position={"schedule": None},
        qualifications={"education": None, "certifications": [], "experience": []},
        reporting={
            "channels": [],
            "supervises": [],
            "reports_to": None,
            "authority": {"decides_alone": [], "needs_approval": []},
        },
        compensation={"bonus": None, "overtime": None},
        benefits={
            "health": None,
            "pto": None,
            "retirement": None,
            "development": None,
            "other": [],
        },
    )
    sections.update(more)
    return make(**sections)


def test_stems_match_on_word_boundaries():
    coding = gender_coding(
        summary_only(
            "Leaders lead; leadership misleads. Kindness is kind. "
            "Decision-making needs support, supportive trust."
        )
    )
    assert coding.masculine == {"leaders": 1, "lead": 1, "leadership": 1, "decision-making": 1}
    assert coding.feminine == {"kind": 1, "support": 1, "supportive": 1, "trust": 1}


def test_headings_and_section_names_are_not_counted():
    model = summary_only(
        "See the Responsibilities and the Required Skills below.",
        responsibilities=[
            {
                "area": "Leadership and competition",
                "items": ["Order supplies every Monday morning."],
            }
        ],
        compliance=[{"standard": "Leadership standards", "items": ["Keep the fire exits clear."]}],
    )
    coding = gender_coding(model)
    assert coding.masculine == {} and coding.feminine == {}


def test_legal_text_is_not_counted_or_flagged():
    legal = "We are a young, competitive and dominant team; a recent graduate is welcome to lead."
    model = summary_only(
        "Order supplies every Monday morning.", equal_opportunity=legal, physical_demands=[legal]
    )
    assert gender_coding(model).masculine == {}
    assert [f.rule for f in rules(model, "inclusive") if f.severity != "info"] == []


def test_strongly_masculine_prose_is_a_warning_with_the_words():
    model = summary_only("An ambitious, competitive, decisive and dominant leader.")
    (found,) = [f for f in rules(model, "inclusive") if f.rule == "inclusive.gender-coded"]
    assert found.severity == "warning" and found.message.startswith("strongly masculine-coded")
    assert "ambitious, competitive, decisive, dominant, leader" in found.message
    neutral = [f for f in rules(make(), "inclusive") if f.rule == "inclusive.gender-coded"]
    assert [f.severity for f in neutral] == ["info"]


def test_every_gender_stem_is_from_the_paper_and_lower_case():
    rows = table("gender_coded_words")
    assert {row["gender"] for row in rows} == {"masculine", "feminine"}
    assert all(row["stem"] == row["stem"].lower() and "Gaucher" in row["source"] for row in rows)


# -- age-coded phrases ----------------------------------------------------------------------


def test_age_coded_phrases_fire_in_prose_in_text_order():
    model = make(
        summary="A digital native, ideally a Recent Graduate or a new graduate; young and energetic.",
        skills=[{"skill": "Scheduling", "example": "Trains each new grad on the EHR."}],
    )
    found = [
        (f.field, f.message.split("'")[1])
        for f in rules(model, "inclusive")
        if f.rule == "inclusive.age-coded"
    ]
    assert found == [
        ("summary", "digital native"),
        ("summary", "Recent Graduate"),
        ("summary", "new graduate"),
        ("summary", "young and energetic"),
        ("skills.0.example", "new grad"),
    ]


def test_age_phrases_need_word_boundaries():
    model = make(summary="Youngstown office; boycott; girlfriend-free.")
    assert [f for f in rules(model, "inclusive") if f.rule == "inclusive.age-coded"] == []


# -- any text at all ------------------------------------------------------------------------

BASE = make()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=300).filter(lambda t: t.strip()))
def test_any_summary_gives_well_formed_findings_and_a_bounded_score(text):
    model = BASE.model_copy(update={"summary": text.strip()})
    found = check(model, today=TODAY)
    assert all(f.severity in SEVERITIES and f.rule and f.message and f.hint for f in found)
    assert 0 <= score(found) <= 100
    ease = flesch(model)
    assert ease is None or ease == ease  # never NaN
