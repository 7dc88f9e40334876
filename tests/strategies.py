"""Hypothesis strategies that produce valid KRAT model instances.

Every strategy builds real model objects (strict models: enum members, ``date``
objects, time-zone-aware ``datetime``), so anything drawn passes the models and
the published JSON Schemas. Sizes are kept small (lists of at most a few
items) so property tests stay fast. Use them as::

    from strategies import submissions

    @given(submissions())
    def test_something(sub: Submission) -> None: ...

Ids follow the patterns of ``krat_core.format.models.common`` and carry the region
they are drawn for; references (organiser, provider...) point at ids of the
same region. Cross-record business rules (a referral after identification,
an organiser that exists...) are *not* guaranteed: that is the validators' job.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from hypothesis import strategies as st

from krat_core.format.codelists import (
    COUNTRY_CODES,
    ActivityStatus,
    ActivityType,
    AssistanceType,
    CaseStage,
    CaseStatus,
    ClosingReason,
    ExploitationType,
    IdentificationSource,
    InstitutionType,
    ObjectiveStatus,
    Observance,
    Pillar,
    RecruitmentMethod,
    RelationshipToTrafficker,
    Sex,
    TargetGroup,
    TraffickingScope,
)
from krat_core.format.models import (
    SCHEMA_VERSION,
    Activity,
    Assistance,
    Case,
    ComponentVersion,
    Generator,
    Indicator,
    Institution,
    Objective,
    Participants,
    Referral,
    Submission,
    SubmittedBy,
)
from krat_core.format.regions import REGION_CODES
from krat_core.format.textrules import TEXT_PATTERN

__all__ = [
    "activities",
    "amounts",
    "cases",
    "countries",
    "days",
    "extensions",
    "ids",
    "institution_ids",
    "institutions",
    "json_slots",
    "objectives",
    "periods",
    "regions",
    "short_texts",
    "submissions",
    "timestamps",
]

E = TypeVar("E", bound=Enum)

MAX_LIST = 5
"""Largest list drawn anywhere: keeps examples small and tests fast."""

regions = st.sampled_from(REGION_CODES)
"""An ISO 3166-2:AL region code, AL-01..AL-12."""

countries = st.sampled_from(sorted(COUNTRY_CODES))
"""An ISO 3166-1 alpha-2 code (or XK)."""

# Text: any Unicode a single-line text may hold (docs/format.md, "Text rules"): no lone
# surrogates (not encodable as UTF-8), none of TEXT_FORBIDDEN; Albanian letters likely.
_ALPHABET = st.one_of(
    st.sampled_from("abcçdeëfghijklmnopqrstuvxyzABCÇDEËFGHIJKLMNOPQRSTUVXYZ «»-.,'\"0123456789"),
    st.characters(blacklist_categories=("Cs",)).filter(
        lambda c: re.fullmatch(TEXT_PATTERN, c) is not None
    ),
)


@cache
def short_texts(max_size: int = 30) -> st.SearchStrategy[str]:
    """A non-empty text of at most ``max_size`` characters (``ShortText``)."""
    return st.text(_ALPHABET, min_size=1, max_size=max_size)


@cache
def days(
    first: date = date(2000, 1, 1), last: date = date(2100, 12, 31)
) -> st.SearchStrategy[date]:
    """A calendar date between ``first`` and ``last``."""
    return st.dates(min_value=first, max_value=last)


_OFFSETS = st.integers(min_value=-12 * 4, max_value=14 * 4).map(
    lambda quarters: timezone(timedelta(minutes=15 * quarters))
)

timestamps = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31), timezones=_OFFSETS
)
"""A time-zone-aware datetime with a whole-quarter-hour UTC offset."""

amounts = st.one_of(
    st.integers(min_value=-(10**9), max_value=10**9).map(float),
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False),
)
"""An indicator value (``Amount``): a finite float within +-1e15."""

counts = st.integers(min_value=0, max_value=10_000)


@cache
def periods(year: int | None = None) -> st.SearchStrategy[str]:
    """A reporting period: "2019", "2019-H1" or "2019-H2" (of ``year`` when given)."""
    years = st.just(year) if year is not None else st.integers(min_value=2000, max_value=2100)
    return st.builds(lambda y, half: f"{y}{half}", years, st.sampled_from(["", "-H1", "-H2"]))


@cache
def ids(region: str, letter: str, year: int | None = None) -> st.SearchStrategy[str]:
    """A record id of ``region``: ``AL-02-I-0007`` (no year) or ``AL-02-C-2019-0001``."""
    middle = f"{letter}-{year}" if year is not None else letter
    return st.integers(min_value=1, max_value=99_999).map(lambda n: f"{region}-{middle}-{n:04d}")


@cache
def institution_ids(region: str) -> st.SearchStrategy[str]:
    """An institution id of ``region``."""
    return ids(region, "I")


@cache
def _members(code_list: type[E]) -> st.SearchStrategy[E]:
    return st.sampled_from(list(code_list))


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def _small_lists(
    strategy: st.SearchStrategy[Any], *, unique: bool = False
) -> st.SearchStrategy[list[Any]]:
    return st.lists(strategy, max_size=MAX_LIST, unique=unique)


_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | short_texts(20)
    | st.builds(lambda a, b: f"{a}\n{b}", short_texts(10), short_texts(10))  # multi-line
)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(short_texts(10), inner, max_size=3),
    max_leaves=6,
)
_namespaces = st.from_regex(r"\A[a-z][a-z0-9_-]{0,8}(\.[a-z0-9_-]{1,6}){0,2}\Z")


def extensions() -> st.SearchStrategy[dict[str, dict[str, Any]]]:
    """An ``extensions`` object: namespaces mapping to small JSON objects (often empty)."""
    return st.one_of(
        st.just({}),
        st.dictionaries(
            _namespaces, st.dictionaries(short_texts(15), _json_values, max_size=3), max_size=2
        ),
    )


@cache
def institutions(region: str) -> st.SearchStrategy[Institution]:
    """A valid :class:`Institution` of ``region``."""
    return st.builds(
        Institution,
        id=institution_ids(region),
        name=short_texts(60),
        type=_members(InstitutionType),
        municipality=_optional(short_texts()),
        extensions=extensions(),
    )


@cache
def _referrals(region: str) -> st.SearchStrategy[Referral]:
    return st.builds(
        Referral,
        referred_on=days(),
        referred_to=_optional(institution_ids(region)),
        consent=_optional(st.booleans()),
    )


@cache
def _assistance(region: str) -> st.SearchStrategy[Assistance]:
    return st.builds(
        Assistance,
        type=_members(AssistanceType),
        provider=_optional(institution_ids(region)),
        start=days(),
        end=_optional(days()),
    )


_subject_refs = st.binary(min_size=32, max_size=32).map(bytes.hex)


@st.composite
def cases(draw: st.DrawFn, region: str, year: int) -> Case:
    """A valid :class:`Case` of ``region`` identified in ``year``."""
    age = draw(_optional(st.integers(min_value=0, max_value=120)))
    minor = age < 18 if age is not None else draw(st.booleans())
    first, last = date(year, 1, 1), date(year, 12, 31)
    return Case(
        id=draw(ids(region, "C", year)),
        subject_ref=draw(_subject_refs),
        status=draw(_members(CaseStatus)),
        status_decided_by=draw(_optional(institution_ids(region))),
        identified_on=draw(days(first, last)),
        identified_by=draw(_optional(institution_ids(region))),
        identification_source=draw(_members(IdentificationSource)),
        sex=draw(_members(Sex)),
        age_at_identification=age,
        minor=minor,
        citizenships=draw(_small_lists(countries, unique=True)),
        exploitation_types=draw(_small_lists(_members(ExploitationType), unique=True)),
        scope=draw(_members(TraffickingScope)),
        countries_of_exploitation=draw(_small_lists(countries, unique=True)),
        recruitment_method=draw(_optional(_members(RecruitmentMethod))),
        relationship_to_trafficker=draw(_optional(_members(RelationshipToTrafficker))),
        referral=draw(_optional(_referrals(region))),
        assistance=draw(st.lists(_assistance(region), max_size=3)),
        stage=draw(_members(CaseStage)),
        closed_on=draw(_optional(days(first, last + timedelta(days=400)))),
        closing_reason=draw(_optional(_members(ClosingReason))),
        criminal_proceedings=draw(_optional(st.booleans())),
        extensions=draw(extensions()),
    )


@st.composite
def _participants(draw: st.DrawFn) -> Participants:
    female = draw(_optional(counts))
    male = draw(_optional(counts))
    extra = draw(counts)
    return Participants(female=female, male=male, total=(female or 0) + (male or 0) + extra)


def activities(
    region: str, year: int, objective_ids: list[str] | None = None
) -> st.SearchStrategy[Activity]:
    """A valid :class:`Activity` of ``region`` in ``year``.

    ``objective_ids`` (when given and not empty) are the objectives it may serve.
    """
    return _activities(region, year, tuple(objective_ids or ()))


@cache
def _activities(
    region: str, year: int, objective_ids: tuple[str, ...]
) -> st.SearchStrategy[Activity]:
    served = (
        st.lists(st.sampled_from(objective_ids), max_size=3, unique=True)
        if objective_ids
        else _small_lists(ids(region, "O", year), unique=True)
    )
    return st.builds(
        Activity,
        id=ids(region, "A", year),
        title=short_texts(60),
        title_en=_optional(short_texts(60)),
        type=_members(ActivityType),
        start=days(date(year, 1, 1), date(year, 12, 31)),
        end=_optional(days(date(year, 1, 1), date(year + 1, 1, 31))),
        status=_members(ActivityStatus),
        national_calendar=st.booleans(),
        observance=_optional(_members(Observance)),
        organiser=institution_ids(region),
        partners=_small_lists(institution_ids(region), unique=True),
        municipality=_optional(short_texts()),
        place=_optional(short_texts()),
        target_groups=_small_lists(_members(TargetGroup), unique=True),
        participants=_optional(_participants()),
        objectives=served,
        extensions=extensions(),
    )


_indicators = st.builds(
    Indicator,
    name=short_texts(40),
    unit=_optional(short_texts(10)),
    baseline=_optional(amounts),
    target=_optional(amounts),
    actual=_optional(amounts),
)


@cache
def objectives(region: str, year: int) -> st.SearchStrategy[Objective]:
    """A valid :class:`Objective` of ``region``'s action plan for ``year``."""
    return st.builds(
        Objective,
        id=ids(region, "O", year),
        year=st.just(year),
        pillar=_members(Pillar),
        title=short_texts(60),
        title_en=_optional(short_texts(60)),
        national_measure=_optional(short_texts()),
        responsible=_small_lists(institution_ids(region), unique=True),
        deadline=days(date(year, 1, 1), date(year + 1, 12, 31)),
        status=_members(ObjectiveStatus),
        indicators=st.lists(_indicators, max_size=3),
        extensions=extensions(),
    )


def _unique_ids(
    strategy: st.SearchStrategy[Any], max_size: int = MAX_LIST
) -> st.SearchStrategy[list[Any]]:
    return st.lists(strategy, max_size=max_size, unique_by=lambda record: record.id)


_generators = st.builds(
    Generator,
    name=st.just("krat") | short_texts(10),
    version=st.from_regex(r"\A[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}\Z"),
    plugins=st.lists(
        st.builds(ComponentVersion, name=short_texts(20), version=short_texts(8)), max_size=3
    ),
)


@st.composite
def submissions(
    draw: st.DrawFn,
    region: str | None = None,
    period: str | None = None,
    *,
    max_records: int = MAX_LIST,
) -> Submission:
    """A full valid :class:`Submission` (of ``region`` and ``period`` when given).

    Record ids are unique within each list and carry the submission's region;
    activities serve objectives of the same submission when there are any.
    Each record list holds at most ``max_records`` records.
    """
    region = region if region is not None else draw(regions)
    period = period if period is not None else draw(periods())
    year = int(period[:4])
    objective_list = draw(_unique_ids(objectives(region, year), max_records))
    return Submission(
        schema_version=draw(st.sampled_from([SCHEMA_VERSION, "1.0.0", "1.2.3"])),
        region=region,
        period=period,
        submitted_at=draw(timestamps),
        submitted_by=draw(
            st.builds(SubmittedBy, institution=short_texts(60), contact=_optional(short_texts()))
        ),
        generator=draw(_generators),
        institutions=draw(_unique_ids(institutions(region), max_records)),
        cases=draw(_unique_ids(cases(region, year), max_records)),
        activities=draw(
            _unique_ids(activities(region, year, [o.id for o in objective_list]), max_records)
        ),
        objectives=objective_list,
        nil_return=draw(st.booleans()),
        extensions=draw(extensions()),
    )


def json_slots(document: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) inside the JSON data ``document``, for mutating one.

    ``container[key] = other`` then changes exactly one value of the document.
    """
    slots: list[tuple[Any, Any]] = []
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            slots.extend((item, key) for key in item)
            stack.extend(item.values())
        elif isinstance(item, list):
            slots.extend((item, i) for i in range(len(item)))
            stack.extend(item)
    return slots
