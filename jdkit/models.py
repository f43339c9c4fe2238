"""The section models of a job description (pydantic v2): validation only.

A ``JobDescription`` is what the role library merged with a practice's parameter file
becomes. Every part of jdkit downstream of ``jdkit.params`` reads this one model.
Unknown keys are rejected everywhere (``extra="forbid"``) so that typos surface.
``Origins`` (at the end) records where each value came from: ``jdkit.params`` writes it on the
model it builds, ``jdkit.origins`` reads it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    computed_field,
    field_validator,
    model_validator,
)

__all__ = [
    "US_STATES",
    "EMPLOYMENT_TYPES",
    "PAY_PERIODS",
    "METRIC_FAMILIES",
    "PLAUSIBLE_PAY",
    "PERIODS_PER_YEAR",
    "MAX_REVIEW_MONTHS",
    "SECTIONS",
    "Model",
    "Source",
    "RoleInfo",
    "Practice",
    "Position",
    "Channel",
    "Authority",
    "Reporting",
    "DutyArea",
    "FREQUENCIES",
    "EXPOSURES",
    "PhysicalDemand",
    "WorkEnvironment",
    "Conditions",
    "Statements",
    "Education",
    "Certification",
    "Experience",
    "Qualifications",
    "Skill",
    "Metric",
    "Compensation",
    "Health",
    "PaidTimeOff",
    "Retirement",
    "Development",
    "Benefits",
    "ComplianceArea",
    "Review",
    "JobDescription",
    "slugify",
    "practice_slug",
    "Origin",
    "Origins",
    "leaf_paths",
]

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip

# schema.org JobPosting employmentType values.
EMPLOYMENT_TYPES = (
    "FULL_TIME",
    "PART_TIME",
    "CONTRACTOR",
    "TEMPORARY",
    "INTERN",
    "VOLUNTEER",
    "PER_DIEM",
    "OTHER",
)
PAY_PERIODS = ("HOUR", "DAY", "WEEK", "MONTH", "YEAR")
METRIC_FAMILIES = ("financial", "operational", "patient_satisfaction", "compliance")

# Pay periods in a working year (40 hours a week, 52 weeks): the one table that puts hourly,
# daily, weekly, monthly and yearly pay on one scale.
PERIODS_PER_YEAR: dict[str, int] = {"HOUR": 2080, "DAY": 260, "WEEK": 52, "MONTH": 12, "YEAR": 1}

# The amounts a pay figure can plausibly be for each period: an hourly rate of 85,000 is a
# yearly salary with the wrong period, and publishing it would be wrong either way.
PLAUSIBLE_PAY: dict[str, tuple[float, float]] = {
    "HOUR": (1, 1_000),
    "DAY": (10, 10_000),
    "WEEK": (50, 50_000),
    "MONTH": (200, 200_000),
    "YEAR": (2_000, 5_000_000),
}
# Where a figure usually falls, in the order a mistaken period is guessed (for the hint only).
TYPICAL_PAY: dict[str, tuple[float, float]] = {
    "YEAR": (15_000, 1_000_000),
    "HOUR": (7, 300),
    "MONTH": (1_200, 40_000),
    "WEEK": (300, 10_000),
    "DAY": (60, 2_000),
}

# The nine sections of DOMAIN.md, in document order: (field name, heading).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("responsibilities", "Responsibilities"),
    ("qualifications", "Qualifications"),
    ("skills", "Required Skills"),
    ("daily_tasks", "Daily Tasks"),
    ("reporting", "Reporting Structure"),
    ("metrics", "Performance Metrics"),
    ("compensation", "Compensation"),
    ("benefits", "Benefits"),
    ("compliance", "Compliance Standards"),
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Amount = Annotated[float, Field(gt=0, le=100_000_000)]
Percent = Annotated[float, Field(ge=0, le=100)]
Days = Annotated[float, Field(ge=0, le=366)]


class Model(BaseModel):
    """Base of every section: unknown keys are errors, strings are stripped, numbers are finite
    (no NaN or infinity) and a yes/no is never taken for a number (``employees: true`` is not 1)."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, frozen=False, allow_inf_nan=False
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_number(cls, value: Any, info: Any) -> Any:
        if (
            isinstance(value, bool)
            and info.field_name
            and _is_number(cls.model_fields[info.field_name].annotation)
        ):
            raise ValueError(f"must be a number, not {str(value).lower()}")
        return value


def _is_number(annotation: Any) -> bool:
    """True when a field's type is (or may be) an int or a float, not a bool."""
    if annotation in (int, float):
        return True
    return any(_is_number(arg) for arg in getattr(annotation, "__args__", ()) if arg is not bool)


class Source(Model):
    """Where a fact in the role library comes from."""

    fact: Text
    source: Text
    url: ShortText | None = None
    accessed: dt.date | None = None
    # False where the fact could not be confirmed in a primary source;
    # ``note`` says what is missing.
    confirmed: bool = True
    note: Text | None = None


class RoleInfo(Model):
    """The role's identity, from the library (not set by parameter files)."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    title: ShortText
    onet_soc: Annotated[str, StringConstraints(pattern=r"^\d{2}-\d{4}\.\d{2}$")]
    onet_title: ShortText | None = None
    managing: bool = False
    sources: list[Source] = []


class Practice(Model):
    """The medical practice the description is written for."""

    name: ShortText
    state: str
    city: ShortText | None = None
    specialty: ShortText | None = None
    employees: Annotated[int, Field(gt=0, le=1_000_000)] | None = None
    # Some pay laws count only the employees in the state or the city (the law table's
    # ``counts`` column); without these the total headcount stands in, with a note.
    employees_in_state: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    employees_in_city: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    county: ShortText | None = None
    # The OEWS metropolitan area (code or name) for market pay, where the
    # city alone does not find it.
    metro: ShortText | None = None
    providers: Annotated[int, Field(ge=0, le=100_000)] | None = None
    street_address: ShortText | None = None
    postal_code: Annotated[str, StringConstraints(pattern=r"^\d{5}(-\d{4})?$")] | None = None
    website: (
        Annotated[
            str,
            StringConstraints(
                strip_whitespace=True, pattern=r"^https?://[^\s<>\"']+$", max_length=200
            ),
        ]
        | None
    ) = None
    # The practice's positions: library role ids or titles outside the library ("Physician
    # Owner"). When set, the roles check holds reporting lines to them.
    roles: list[ShortText] = []

    @field_validator("state", mode="before")
    @classmethod
    def _known_state(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().upper() in US_STATES:
            return value.strip().upper()
        raise ValueError(
            f"unknown US state code {value!r}; use a two-letter code such as CO, NY or DC"
        )

    @model_validator(mode="after")
    def _local_counts_fit(self) -> Practice:
        total, state, city = self.employees, self.employees_in_state, self.employees_in_city
        if total is not None and state is not None and state > total:
            raise ValueError(
                f"employees_in_state ({state}) is above employees ({total}); the total counts "
                "everyone"
            )
        in_state = state if state is not None else total
        if city is not None and in_state is not None and city > in_state:
            raise ValueError(
                f"employees_in_city ({city}) is above the practice's headcount in the state"
            )
        return self


class Position(Model):
    """How the job is held: title, schema.org employment type, FLSA status, schedule, place."""

    title: ShortText | None = None
    employment_type: Literal[EMPLOYMENT_TYPES] = "FULL_TIME"  # type: ignore[valid-type]
    flsa_status: Literal["exempt", "non-exempt"] | None = None
    # Which FLSA white-collar exemption an exempt position rests on: some states set a salary
    # level for some of them only (New York: executive and administrative).
    exemption: Literal["executive", "administrative", "professional"] | None = None
    schedule: Text | None = None
    location_type: Literal["onsite", "hybrid", "remote"] = "onsite"
    date_posted: dt.date | None = None
    valid_through: dt.date | None = None
    # How a candidate applies, shown in the job posting: a web page and/or an e-mail address.
    apply_url: (
        Annotated[
            str,
            StringConstraints(
                strip_whitespace=True, pattern=r"^https?://[^\s<>\"']+$", max_length=300
            ),
        ]
        | None
    ) = None
    apply_email: (
        Annotated[
            str,
            StringConstraints(
                strip_whitespace=True,
                pattern=r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$",
                max_length=200,
            ),
        ]
        | None
    ) = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Position:
        if self.date_posted and self.valid_through and self.valid_through < self.date_posted:
            raise ValueError("valid_through must not be before date_posted")
        return self


class Channel(Model):
    """One communication channel of the role: how, with whom, how often."""

    method: ShortText
    audience: ShortText | None = None
    cadence: ShortText | None = None


class Authority(Model):
    """What the role decides alone and what needs approval."""

    decides_alone: list[Text] = []
    needs_approval: list[Text] = []
    spending_limit: Amount | None = None


class Reporting(Model):
    """Reporting structure: supervisor, roles supervised, channels, decision authority."""

    reports_to: ShortText | None = None
    supervises: list[ShortText] = []
    channels: list[Channel] = []
    authority: Authority = Authority()


class DutyArea(Model):
    """A group of duties (or daily tasks) under one area, e.g. "Financial administration".

    ``items`` are the area's essential functions (at least one); ``marginal`` the duties that
    are part of the job but not essential to it (29 CFR 1630.2(n)): the practice could give
    them to someone else. So every duty is marked, and a parameter file's plain ``items`` stay
    essential.
    """

    area: ShortText
    items: list[Text] = Field(min_length=1)
    marginal: list[Text] = []


class Education(Model):
    """Education: degree, field, and what experience may stand in for it."""

    degree: ShortText
    field: ShortText | None = None
    equivalent: Text | None = None


class Certification(Model):
    """A certification, its issuing body, and whether it is required or preferred."""

    name: ShortText
    abbreviation: ShortText | None = None
    issuer: ShortText
    level: Literal["required", "preferred"]
    within_months: Annotated[int, Field(gt=0, le=120)] | None = None


class Experience(Model):
    """A minimum number of years of one kind of experience."""

    years: Annotated[float, Field(ge=0, le=50)]
    kind: Text
    level: Literal["required", "preferred"] = "required"


class Qualifications(Model):
    """Education, certifications and experience."""

    education: Education | None = None
    certifications: list[Certification] = []
    experience: list[Experience] = []


class Skill(Model):
    """A skill and a concrete example of its use in this role."""

    skill: ShortText
    example: Text | None = None


class Metric(Model):
    """A measurable performance target."""

    name: ShortText
    family: Literal[METRIC_FAMILIES]  # type: ignore[valid-type]
    target: float
    comparison: Literal["at least", "at most", "exactly"] = "at least"
    unit: ShortText
    period: ShortText


class Compensation(Model):
    """Pay: range, currency, period, bonus and overtime terms."""

    salary_min: Amount | None = None
    salary_max: Amount | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"
    period: Literal[PAY_PERIODS] = "YEAR"  # type: ignore[valid-type]
    bonus: Text | None = None
    overtime: Text | None = None
    # The SOC code whose market pay the range is compared with, when the role's own is not the
    # closest (e.g. 43-1011 for the office manager of a small practice).
    market_soc: Annotated[str, StringConstraints(pattern=r"^\d{2}-\d{4}$")] | None = None

    @model_validator(mode="after")
    def _min_not_above_max(self) -> Compensation:
        if (
            self.salary_min is not None
            and self.salary_max is not None
            and self.salary_min > self.salary_max
        ):
            raise ValueError(
                f"salary_min ({self.salary_min:g}) is above salary_max ({self.salary_max:g}); swap "
                "them"
            )
        for amount in (self.salary_min, self.salary_max):
            if amount is None:
                continue
            low, high = PLAUSIBLE_PAY[self.period]
            if not low <= amount <= high:
                likely = next(
                    (p for p, (lo, hi) in TYPICAL_PAY.items() if lo <= amount <= hi), None
                )
                raise ValueError(
                    f"{amount:,g} is not a plausible pay per {self.period.lower()} (expected "
                    f"{low:,g} to {high:,g})"
                    + (f"; did you mean period: {likely}?" if likely else "")
                )
        return self


class Health(Model):
    """Health cover and the employer's share of the premium."""

    medical: bool = False
    dental: bool = False
    vision: bool = False
    employer_premium_share: Percent | None = None
    hsa_fsa: Text | None = None


class PaidTimeOff(Model):
    """Paid time off in days per year, how it accrues and its restrictions."""

    vacation_days: Days | None = None
    sick_days: Days | None = None
    holidays: Days | None = None
    accrual: Text | None = None
    restrictions: Text | None = None


class Retirement(Model):
    """Retirement plan, employer match and vesting."""

    plan: ShortText
    match: Text | None = None
    match_percent: Percent | None = None
    vesting: Text | None = None


class Development(Model):
    """Professional development: yearly budget, what it covers, how to request it."""

    budget: Amount | None = None
    covers: list[ShortText] = []
    how_to_request: Text | None = None


class Benefits(Model):
    """Health, paid time off, retirement and professional development."""

    health: Health | None = None
    pto: PaidTimeOff | None = None
    retirement: Retirement | None = None
    development: Development | None = None
    other: list[Text] = []


# The Dictionary of Occupational Titles' frequency scale (Appendix C), the one physical demands use.
FREQUENCIES = ("occasionally", "frequently", "constantly")
# The OSHA exposure determination for a job classification (29 CFR 1910.1030(c)(2)): all of its
# employees have occupational exposure to blood, some do (in listed tasks), or none do.
EXPOSURES = ("all", "some", "none")


class PhysicalDemand(Model):
    """One physical demand: what it is, how often (DOT scale) and, for lifting, how heavy."""

    demand: Text
    frequency: Literal[FREQUENCIES] | None = None  # type: ignore[valid-type]
    weight_lb: Annotated[float, Field(gt=0, le=500)] | None = None


class WorkEnvironment(Model):
    """Where the work is done and what it exposes the employee to."""

    setting: list[Text] = []
    # The role's OSHA bloodborne-pathogens exposure determination, and its tasks when "some".
    exposure: Literal[EXPOSURES] | None = None  # type: ignore[valid-type]
    exposure_tasks: list[Text] = []
    # Hazardous chemicals the role uses (OSHA hazard communication, 29 CFR 1910.1200).
    chemicals: list[ShortText] = []

    @model_validator(mode="after")
    def _tasks_fit_exposure(self) -> WorkEnvironment:
        if self.exposure == "some" and not self.exposure_tasks:
            raise ValueError(
                "exposure: some needs exposure_tasks: the tasks in which exposure occurs "
                "(29 CFR 1910.1030(c)(2)(i)(C))"
            )
        if self.exposure in ("all", "none") and self.exposure_tasks:
            raise ValueError(
                f"exposure_tasks are listed only with exposure: some, not {self.exposure}"
            )
        return self


class Conditions(Model):
    # pydantic makes the docstring the schema's description (``jdkit schema``): one line
    """Conditions of employment, each switchable; jdkit writes their wording (``jdkit.statements``)."""  # noqa: E501

    background_check: bool = True
    exclusion_screening: bool = False
    immunizations: bool = False
    credential_verification: bool = False
    work_authorization: bool = True
    additional: list[Text] = []  # the practice's own conditions, as sentences


class Statements(Model):
    # pydantic makes the docstring the schema's description (``jdkit schema``): one line
    """The standard statements of a description, each switchable (``jdkit.statements`` words them)."""  # noqa: E501

    at_will: bool = True
    not_a_contract: bool = True
    benefits_not_contract: bool = True


class ComplianceArea(Model):
    """The duties under one standard, e.g. HIPAA or OSHA."""

    standard: ShortText
    items: list[Text] = Field(min_length=1)


MAX_REVIEW_MONTHS = 12  # a description is reviewed at least once a year (DOMAIN.md)


class Review(Model):
    """When the description was last reviewed, by whom, and when it is next due."""

    last_reviewed: dt.date | None = None
    owner: ShortText | None = None
    interval_months: Annotated[int, Field(gt=0, le=60)] = 12

    @computed_field  # type: ignore[prop-decorator]
    @property
    def next_due(self) -> dt.date | None:
        """The last review plus ``interval_months``, at most
        ``MAX_REVIEW_MONTHS`` (clamped to the month's end).

        The one place the due date is worked out: the document, ``jdkit check`` and ``jdkit due``
        all read it, so they agree.
        """
        if self.last_reviewed is None:
            return None
        return add_months(self.last_reviewed, min(MAX_REVIEW_MONTHS, self.interval_months))


class JobDescription(Model):
    """A complete job description: a role from the library merged with one practice."""

    role: RoleInfo
    practice: Practice
    position: Position = Position()
    summary: Text | None = None
    responsibilities: list[DutyArea] = []
    qualifications: Qualifications = Qualifications()
    skills: list[Skill] = []
    daily_tasks: list[DutyArea] = []
    reporting: Reporting = Reporting()
    metrics: list[Metric] = []
    compensation: Compensation = Compensation()
    benefits: Benefits = Benefits()
    compliance: list[ComplianceArea] = []
    physical_demands: list[PhysicalDemand] = []
    work_environment: WorkEnvironment = WorkEnvironment()
    conditions: Conditions = Conditions()
    equal_opportunity: Text | None = None
    statements: Statements = Statements()
    # The employee's and the supervisor's signature block; ``acknowledgment: false`` leaves it out.
    acknowledgment: bool = True
    review: Review = Review()
    # Where each value came from (``jdkit.origins``): recorded by the merge, not a field.
    _origins: Any = PrivateAttr(default=None)

    @field_validator("physical_demands", mode="before")
    @classmethod
    def _demand_from_text(cls, value: Any) -> Any:
        # A plain sentence is a demand whose frequency is not stated (physical.frequency warns).
        if isinstance(value, list):
            return [{"demand": item} if isinstance(item, str) else item for item in value]
        return value

    def __eq__(self, other: object) -> bool:
        # The same content is the same description, wherever its values came from.
        if not isinstance(other, JobDescription):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]

    @property
    def title(self) -> str:
        """The position's title, else the role's."""
        return self.position.title or self.role.title

    @property
    def slug(self) -> str:
        """The output file stem: the practice's name and the role, unique
        per pair (``practice_slug``)."""
        return practice_slug(self.practice.name, self.role.id)


def add_months(day: dt.date, months: int) -> dt.date:
    """Return ``day`` plus ``months`` calendar months, clamped to the month's last day."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


_SLUG_DROP = re.compile(r"[^a-z0-9]+")
NAME_SLUG_LENGTH = 60  # the practice-name part of a stem; the role and a hash follow it


def slugify(text: str, *, max_length: int = 120) -> str:
    """Return a file-name-safe slug: ASCII lower-case letters, digits and single hyphens.

    Other scripts are transliterated (``anyascii``: 日本語 -> ``ri-ben-yu``,
    Клиника -> ``klinika``), so a name keeps its own words. The result never contains a path
    separator or ``..`` and is never empty.
    """
    from anyascii import anyascii

    slug = _SLUG_DROP.sub("-", anyascii(text).lower()).strip("-")[:max_length].strip("-")
    return slug or "practice"


def practice_slug(name: str, role_id: str) -> str:
    """The stem of a practice's files for a role: ``<name>-<role>``, stable and unique per pair.

    The role is always kept. A name cut to fit, or one with no Latin letters of its own (its
    slug is a transliteration), also gets the first 8 hex digits of its SHA-256, so that two
    names never share a stem because they were cut or transliterated alike.
    """
    import hashlib
    import unicodedata

    full = slugify(name, max_length=10_000)
    base = full[:NAME_SLUG_LENGTH].strip("-") or "practice"
    latin = re.search(
        r"[a-z]", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    )
    parts = [base]
    if len(full) > NAME_SLUG_LENGTH or not latin:
        parts.append(hashlib.sha256(" ".join(name.split()).encode("utf-8")).hexdigest()[:8])
    return "-".join([*parts, slugify(role_id)])


# Where each value came from (``jdkit.origins`` reads it): the record the merge keeps on a model.
Origin = Literal["practice", "role", "jdkit", "default", "mixed"]


def leaf_paths(data: Mapping[str, Any], prefix: str = "") -> set[str]:
    """The dotted paths of ``data``'s values as the merge sets them: mappings key by key, all else
    whole.

    A ``None`` value counts: in a parameter file ``bonus: null`` removes the role's text.
    (The notebook's unset parameters and blank spreadsheet cells never reach the merge.)
    """
    out: set[str] = set()
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            out |= leaf_paths(value, path)
        else:
            out.add(path)
    return out


def _covers(paths: frozenset[str], path: str) -> bool:
    """True when ``path`` or one of its parents is in ``paths``."""
    parts = path.split(".")
    return any(".".join(parts[:end]) in paths for end in range(len(parts), 0, -1))


def _below(paths: frozenset[str], path: str) -> bool:
    return any(p.startswith(path + ".") for p in paths)


@dataclass(frozen=True)
class Origins:
    """The dotted paths set by the parameter file, by the role's defaults, and by jdkit itself."""

    practice: frozenset[str]
    role: frozenset[str]
    jdkit: frozenset[str] = frozenset()

    def of(self, path: str) -> Origin:
        """The origin of the value at ``path`` (``compensation.salary_min``, ``skills``,
        ``practice``).

        ``mixed`` means a mapping whose keys came from more than one place; ``default``
        means nothing set it, so the model's own default stands.
        """
        if _covers(self.practice, path):
            return "practice"
        if _covers(self.jdkit, path):
            return "jdkit"
        if _covers(self.role, path):
            return "role" if not _below(self.practice, path) else "mixed"
        # Below a mapping: what the practice or jdkit did not replace is still the role's.
        role = frozenset(
            p for p in self.role if not _covers(self.practice, p) and not _covers(self.jdkit, p)
        )
        found = {
            name
            for name, paths in (("practice", self.practice), ("role", role), ("jdkit", self.jdkit))
            if _below(paths, path)
        }
        if not found:
            return "default"
        return found.pop() if len(found) == 1 else "mixed"  # type: ignore[return-value]

    def from_practice(self, paths: Iterable[str]) -> bool:
        """True when the practice set every one of ``paths``."""
        return all(self.of(path) == "practice" for path in paths)
