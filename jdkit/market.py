"""Market pay from BLS Occupational Employment and Wage Statistics (OEWS), May 2025, offline.

Pure: reads ``jdkit/data/market_pay.csv`` and ``market_pay_sources.csv`` (built by
``scripts/build-market-data``) once, with importlib.resources; no network, no writes.
``market_pay`` finds a practice's metropolitan area from its city and falls back to the
state, then the nation, saying which it used and why.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import itertools
import re
import unicodedata
from dataclasses import dataclass, replace
from importlib import resources
from typing import Literal

from .errors import MarketError, UnknownRoleError

__all__ = [
    "MarketError",
    "Band",
    "MarketPay",
    "Level",
    "PERCENTILES",
    "FOOTNOTES",
    "ALL_INDUSTRIES",
    "PHYSICIANS_OFFICES",
    "market_pay",
    "physicians_office_estimate",
    "known_socs",
    "soc_for_role",
]

Level = Literal["metro", "nonmetro", "state", "national"]
PERCENTILES = ("p10", "p25", "median", "p75", "p90")
# NAICS codes shipped (621100: national only)
ALL_INDUSTRIES, PHYSICIANS_OFFICES = "000000", "621100"
FOOTNOTES = {  # the marks of the CSV's footnotes column (BLS's OEWS table legend)
    "*": "wage estimate not released by BLS",
    "**": "employment estimate not released by BLS",
    "#": "wage at or above the OEWS top code; BLS publishes no exact figure",
}
_NATIONAL = "0000000"


@dataclass(frozen=True)
class Band:
    """Five wage percentiles (dollars); ``None`` where BLS withholds or top-codes the figure."""

    p10: float | None
    p25: float | None
    median: float | None
    p75: float | None
    p90: float | None

    def values(self) -> tuple[float | None, ...]:
        """Return the percentiles in order p10, p25, median, p75, p90."""
        return (self.p10, self.p25, self.median, self.p75, self.p90)


@dataclass(frozen=True)
class MarketPay:
    """OEWS pay for one occupation in one area (or a jdkit estimate derived from it).

    ``level`` is the fallback level used (``nonmetro`` only when chosen with ``metro=``),
    ``note`` says why; ``footnotes`` pairs a CSV column (``annual_p90``) with its mark
    (see ``FOOTNOTES``); ``source`` is the attribution line to print with the figures.
    """

    soc: str
    occupation: str
    area_code: str
    area_name: str
    area_type: str
    states: tuple[str, ...]
    industry: str
    level: Level
    note: str
    employment: int | None
    hourly: Band
    annual: Band
    footnotes: tuple[tuple[str, str], ...]
    release: str
    published: str
    source: str
    estimate: bool = False

    def footnote(self, column: str) -> str | None:
        """Return the footnote mark of a figure (``"annual_median"``), or None if it has none."""
        return dict(self.footnotes).get(column)


def _norm(text: str) -> str:
    """Lower-case ASCII words: accents, case and punctuation ignored; Saint/Ft./Mt. unified."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[^a-z0-9]+", " ", re.sub(r"[.'’]", "", text)).split()
    return " ".join({"saint": "st", "ft": "fort", "mt": "mount"}.get(w, w) for w in words)


def _loose(key: str) -> str:
    """A city key without 'Urban'/'City of' in front or 'City'/'Town' behind
    (Boise City, Urban Honolulu)."""
    return re.sub(r"^(?:urban|city of|town of) | (?:city|town)$", "", key)


@functools.cache
def _data() -> tuple[dict[tuple[str, str], dict[str, dict[str, str]]], dict[str, str]]:
    """Return ({(soc, industry): {area_code: row}}, the sources table's first row)."""
    folder = resources.files("jdkit.data")
    tables = [
        list(
            csv.DictReader(
                io.StringIO(folder.joinpath(f"{name}.csv").read_text(encoding="utf-8"), newline="")
            )
        )
        for name in ("market_pay", "market_pay_sources")
    ]
    rows: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
    for row in tables[0]:
        rows.setdefault((row["soc"], row["industry"]), {})[row["area_code"]] = row
    return rows, tables[1][0]


@functools.cache
def _areas() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Return {area_code: (area_type, area_name, states)} over every shipped row."""
    return {
        code: (row["area_type"], row["area_name"], tuple(row["state"].split("|")))
        for by_area in _data()[0].values()
        for code, row in by_area.items()
    }


@functools.cache
def _cities() -> dict[tuple[str, str], list[tuple[int, str]]]:
    """Return {(state, city key): [(position in the name, metro code)]}, exact and loose keys.

    A metro name lists principal cities before the comma, split by ``-`` (by ``--`` where a
    city's own name has a hyphen, as in Scranton--Wilkes-Barre) or ``/``; every run of
    adjacent parts counts, so Winston-Salem matches and so do Macon or Athens alone.
    """
    index: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for code, (kind, name, states) in sorted(_areas().items()):
        if kind != "metro":
            continue
        for g, group in enumerate(re.split(r"--|/", name.rpartition(", ")[0])):
            parts = group.split("-")
            runs = {
                (_norm(" ".join(parts[i:j])), 10 * g + i)
                for i in range(len(parts))
                for j in range(i + 1, len(parts) + 1)
            }
            for (key, position), state in itertools.product(
                runs | {(_loose(k), n) for k, n in runs}, states
            ):
                index.setdefault((state, key), []).append((position, code))
    return index


def known_socs() -> tuple[str, ...]:
    """Return the SOC codes (``11-9111``) jdkit ships OEWS figures for, sorted."""
    return tuple(sorted({soc for soc, _ in _data()[0]}))


def _soc(soc: str) -> str:
    """Normalise ``11-9111``, ``11-9111.00`` or ``119111`` and check jdkit ships it."""
    found = re.fullmatch(r"(\d\d)-?(\d{4})(?:\.\d\d)?", soc.strip())
    code = f"{found.group(1)}-{found.group(2)}" if found else soc.strip()
    if code not in known_socs():
        raise MarketError(
            f"jdkit ships no OEWS figures for SOC code {soc!r}",
            hint=_did_you_mean(
                code, {c: c for c in known_socs()}, f"use one of {', '.join(known_socs())}"
            ),
        )
    return code


def _did_you_mean(word: str, choices: dict[str, str], otherwise: str) -> str:
    """A hint naming the closest choices (keys compared, values named), via difflib."""
    close = difflib.get_close_matches(word, list(choices), n=2, cutoff=0.5)
    return (
        f"did you mean {' or '.join(dict.fromkeys(choices[c] for c in close))}?"
        if close
        else otherwise
    )


def soc_for_role(role_id: str) -> str:
    """Return the SOC code of a library role: its ``onet_soc`` without
    the O*NET suffix (``.00``)."""
    from . import roles

    try:
        onet = str(roles.get(role_id).info["onet_soc"])
    except KeyError:
        raise UnknownRoleError(
            f"unknown role {role_id!r}",
            hint=_did_you_mean(role_id, {r: r for r in roles.ids()}, "see 'jdkit roles'"),
        ) from None
    return re.sub(r"\.\d\d$", "", onet.strip())


def _pay(row: dict[str, str], level: Level, note: str) -> MarketPay:
    """Build a MarketPay from a CSV row."""

    def band(kind: str, convert: type) -> Band:
        return Band(
            *(convert(row[f"{kind}_{p}"]) if row[f"{kind}_{p}"] else None for p in PERCENTILES)
        )

    marks = tuple(tuple(item.split(":", 1)) for item in row["footnotes"].split("|") if item)
    source = _data()[1]
    return MarketPay(
        soc=row["soc"],
        occupation=row["occupation"],
        area_code=row["area_code"],
        area_name=row["area_name"],
        area_type=row["area_type"],
        states=tuple(s for s in row["state"].split("|") if s),
        industry=row["industry"],
        level=level,
        note=note,
        employment=int(row["employment"]) if row["employment"] else None,
        hourly=band("hourly", float),
        annual=band("annual", int),
        footnotes=marks,  # type: ignore[arg-type]
        release=source["release"],
        published=source["published"],
        source=f"{source['source']}, {source['release']} (published {source['published']})",
    )


def _usable(row: dict[str, str] | None) -> bool:
    """Whether an area's row exists and has a published median wage."""
    return bool(row and (row["annual_median"] or row["hourly_median"]))


def _area_code(ref: str) -> str:
    """The code of a (non)metropolitan area for ``metro=``: a code
    (``0019740``, CBSA ``19740``) or name."""
    ref, areas = (
        ref.strip(),
        {c: a for c, a in sorted(_areas().items()) if a[0] in ("metro", "nonmetro")},
    )
    if ref.isdigit() and ref.zfill(7) in areas:
        return ref.zfill(7)
    key = _norm(ref)
    for code, (_, name, _) in areas.items():
        if key in (_norm(name), _norm(name.rpartition(", ")[0])):
            return code
    names = {
        _norm(part): name for _, name, _ in areas.values() for part in (name, name.split("-")[0])
    }
    raise MarketError(
        f"OEWS has no metropolitan or nonmetropolitan area {ref!r}",
        hint=_did_you_mean(key, names, "give an OEWS area code or a metropolitan area's name"),
    )


def market_pay(
    soc: str,
    state: str,
    city: str | None = None,
    industry: str | None = None,
    metro: str | None = None,
) -> MarketPay:
    """Return OEWS May 2025 pay for ``soc`` where the practice is.

    The area is the metropolitan area that lists ``city`` as a principal city (case- and
    accent-insensitive; ``state`` must be among the area's states), or ``metro`` (an area
    code or name, nonmetropolitan areas included) when given; failing that, or where the area
    publishes no median for the occupation, the state, then the nation. ``industry`` is
    ``000000`` (all, the default) or ``621100`` (Offices of Physicians: national only).
    Raises MarketError for an SOC code, state (any but the 50, DC, GU, PR and VI), area or
    industry that OEWS or jdkit does not publish.
    """
    code, st = _soc(soc), state.strip().upper()
    states = {sts[0]: c for c, (kind, _, sts) in _areas().items() if kind == "state"}
    if st not in states:
        names = {
            name.upper(): f"the code {sts[0]}"
            for kind, name, sts in _areas().values()
            if kind == "state"
        }
        raise MarketError(
            f"OEWS publishes no figures for state {state!r}",
            hint=_did_you_mean(
                st,
                names,
                "OEWS publishes the 50 states, DC, Guam, Puerto Rico and the Virgin Islands",
            ),
        )
    industry = (industry or ALL_INDUSTRIES).strip()
    if (code, industry) not in _data()[0]:
        raise MarketError(
            f"jdkit ships no OEWS figures for industry {industry!r}",
            hint=f"use {ALL_INDUSTRIES} (all industries) or {PHYSICIANS_OFFICES} (Offices of "
            "Physicians)",
        )
    rows = _data()[0][(code, industry)]
    national = rows[_NATIONAL]
    if industry != ALL_INDUSTRIES:
        return _pay(
            national,
            "national",
            f"OEWS publishes industry {industry} for the nation only; "
            "the national figures are used",
        )
    why = "no city given"
    if metro:
        area = _area_code(metro)
        kind, name = _areas()[area][:2]
        if _usable(rows.get(area)):
            return _pay(rows[area], kind, f"{name} chosen with metro={metro!r}")  # type: ignore[arg-type]
        why = f"OEWS publishes no {code} median for {name} (metro={metro!r})"
    elif city and city.split(",")[0].strip():
        place = city.split(",")[0].strip()
        found = _cities().get((st, _norm(place))) or _cities().get((st, _loose(_norm(place))))
        why = f"no metropolitan area of {st} lists {place!r} as a principal city"
        if found:
            area = min(found)[1]
            name = _areas()[area][1]
            if _usable(rows.get(area)):
                return _pay(rows[area], "metro", f"{place} is a principal city of {name}")
            why = f"OEWS publishes no {code} median for {name}"
    if _usable(rows.get(states[st])):
        return _pay(rows[states[st]], "state", f"{why}; the state's figures are used")
    return _pay(
        national,
        "national",
        f"{why}; OEWS publishes no {code} median for {st} either; the national figures are used",
    )


def physicians_office_estimate(pay: MarketPay) -> MarketPay:
    """Estimate Offices-of-Physicians (NAICS 621100) pay in ``pay``'s area, labelled as an estimate.

    OEWS publishes industry figures for the nation only, so for each percentile X (hourly
    and annual separately)::

        estimate_X = area_X * national_621100_X / national_all_industries_X

        rounded with round(): hourly to cents, annual to whole dollars.

    A percentile is None (with the missing figure's footnote mark) where any of the three
    is. Employment is None (OEWS has no area employment by industry). The result keeps the
    area and level, has ``industry`` 621100 and ``estimate`` True, and says so in ``note``
    and ``source``. Figures that already are 621100 figures or an estimate are returned as they are.
    """
    if pay.estimate or pay.industry == PHYSICIANS_OFFICES:
        return pay
    offices, everyone = (
        _pay(_data()[0][(pay.soc, ind)][_NATIONAL], "national", "")
        for ind in (PHYSICIANS_OFFICES, ALL_INDUSTRIES)
    )
    marks = {column: mark for column, mark in pay.footnotes if column != "employment"}
    bands = {}
    for kind, digits in (("hourly", 2), ("annual", None)):
        values: list[float | None] = []
        for p, area, off, alls in zip(
            PERCENTILES,
            getattr(pay, kind).values(),
            getattr(offices, kind).values(),
            getattr(everyone, kind).values(),
            strict=True,
        ):
            column = f"{kind}_{p}"
            missing = area is None or off is None or not alls
            values.append(None if missing else round(area * off / alls, digits))
            if missing and (
                mark := marks.get(column) or offices.footnote(column) or everyone.footnote(column)
            ):
                marks[column] = mark
        bands[kind] = Band(*values)
    note = (
        f"{pay.note}; jdkit estimate for Offices of Physicians (NAICS 621100): each "
        f"percentile x the national 621100 / all-industries ratio for {pay.soc}"
    )
    return replace(
        pay,
        industry=PHYSICIANS_OFFICES,
        employment=None,
        note=note,
        estimate=True,
        footnotes=tuple(marks.items()),
        hourly=bands["hourly"],
        annual=bands["annual"],
        source=f"{pay.source}; Offices of Physicians figures estimated by jdkit from national "
        "ratios",
    )
