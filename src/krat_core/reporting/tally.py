"""The cases counted once for every table of a report (issue 13, speed).

A report's case tables each count the same cases in another way (by status
and sex, by scope, by exploitation...). Instead of a pass over every case for
every table, :func:`tally_cases` makes one pass and counts the few facts the
tables need; each table then adds up these small counters
(:func:`marginal`). At 10^5 records the pass over the case records is the
cost: touching tens of thousands of objects scattered in memory, so it is done
once per dataset and kept with the cases (:class:`Cases`).

:class:`Cases` is what :meth:`~krat_core.reporting.data.ReportData.cases`
returns: an immutable sequence of the cases that counts them on first use
(one :class:`CaseTally` per submission, and their sum); it is kept with the
report's :class:`Submissions`, so every table of one dataset shares it. The
table builders accept any sequence of cases (or of submissions); given a
:class:`Cases` (or :class:`Submissions`) they reuse its tally, given anything
else they count the records themselves (:func:`tally_of`). Records are frozen
models, so a tally never goes stale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, islice
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from krat_core.format.codelists import (
        AssistanceType,
        CaseStatus,
        ExploitationType,
        IdentificationSource,
        Sex,
        TraffickingScope,
    )
    from krat_core.format.models import Case, Submission

__all__ = [
    "CaseColumns",
    "CaseTally",
    "Cases",
    "Person",
    "Submissions",
    "marginal",
    "tally_cases",
    "tally_of",
]

Person = tuple["CaseStatus", "Sex", bool, "TraffickingScope", "IdentificationSource", "str | None"]
"""A case's single-valued facts: status, sex, minor, scope, identification
source and identifying institution (``identified_by``)."""

K = TypeVar("K")
H = TypeVar("H", bound=Hashable)

_FIELDS = attrgetter(
    "status",
    "sex",
    "minor",
    "scope",
    "identification_source",
    "identified_by",
    "referral",
    "identified_on",
    "exploitation_types",
    "citizenships",
    "assistance",
)
_TYPE = attrgetter("type")


@dataclass(frozen=True, slots=True)
class CaseTally:
    """How many cases have each combination of the facts the case tables count.

    Multi-valued fields are kept as given (a tuple of the case's values, in
    order, repeats included) with ``minor``; a table deduplicates each
    distinct tuple once instead of once per case.
    """

    people: Counter[Person]
    """Cases by :data:`Person` (status, sex, minor, scope, source, identified_by)."""
    referrals: Counter[tuple[CaseStatus, str | None, int | None]]
    """Cases by status, identifying institution and days from identification to
    referral (None: not referred)."""
    exploitation: Counter[tuple[tuple[ExploitationType, ...], bool]]
    """Cases by their exploitation types and minor."""
    citizenship: Counter[tuple[tuple[str, ...], bool]]
    """Cases by their citizenships and minor."""
    assistance: Counter[tuple[tuple[AssistanceType, ...], bool]]
    """Cases by the types of their assistance (in order) and minor; cases without
    assistance under the empty tuple (they add nothing to any type)."""

    @classmethod
    def total(cls, tallies: Iterable[CaseTally]) -> CaseTally:
        """The sum of ``tallies`` (the cases of several submissions)."""
        out = cls(Counter(), Counter(), Counter(), Counter(), Counter())
        for t in tallies:
            out.people.update(t.people)
            out.referrals.update(t.referrals)
            out.exploitation.update(t.exploitation)
            out.citizenship.update(t.citizenship)
            out.assistance.update(t.assistance)
        return out


_CHUNK = 2048
"""Cases counted at a time: the rows of a chunk stay in the processor's cache
until they are counted (about a fifth faster at 10^5 cases than one long list)."""
_PERSON = itemgetter(0, 1, 2, 3, 4, 5)
_REFERRAL = itemgetter(0, 5, 6)
_EXPLOITATION = itemgetter(7, 2)
_CITIZENSHIP = itemgetter(8, 2)
_ASSISTANCE = itemgetter(9, 2)


def tally_cases(cases: Iterable[Case]) -> CaseTally:
    """Count ``cases`` in one pass: see :class:`CaseTally`."""
    out = CaseTally(Counter(), Counter(), Counter(), Counter(), Counter())
    it = iter(cases)
    while True:
        rows = [
            (
                st,
                sex,
                minor,
                scope,
                source,
                inst,
                None if ref is None else (ref.referred_on - on).days,
                tuple(types),
                tuple(countries),
                tuple(map(_TYPE, given)),
            )
            for st, sex, minor, scope, source, inst, ref, on, types, countries, given in map(
                _FIELDS, islice(it, _CHUNK)
            )
        ]
        if not rows:
            break
        out.people.update(map(_PERSON, rows))
        out.referrals.update(map(_REFERRAL, rows))
        out.exploitation.update(map(_EXPLOITATION, rows))
        out.citizenship.update(map(_CITIZENSHIP, rows))
        out.assistance.update(map(_ASSISTANCE, rows))
    return out


def marginal(counter: Mapping[K, int], key: Callable[[K], H]) -> Counter[H]:
    """The counts of ``counter`` added up by ``key`` of each of its keys."""
    out: Counter[H] = Counter()
    for k, n in counter.items():
        out[key(k)] += n
    return out


@dataclass(frozen=True, slots=True)
class CaseColumns:
    """Cases read once, a field at a time: the machine values of the template's case
    sheet and of its assistance sheet (:mod:`krat_core.importing.sheets`), which the
    record files and sheets write, and from which :meth:`tally` counts. Reading the
    fields of tens of thousands of records scattered in memory is what costs; this
    reads them once for both."""

    case: list[list[Any]]
    """The case sheet's columns (``SHEETS["case"].columns``), in its order."""
    assistance: list[list[Any]]
    """The assistance sheet's columns (``NESTED_SHEETS["case"].columns``)."""
    assistance_counts: list[int]
    """How many assistance items each case has, in case order."""

    @classmethod
    def of(cls, cases: Sequence[Case]) -> CaseColumns:
        """Read ``cases``."""
        from krat_core.importing.sheets import NESTED_SHEETS, SHEETS

        sheet, nested = SHEETS["case"], NESTED_SHEETS["case"]
        assert nested.list_field is not None
        *values, lists = sheet.value_columns(cases, extra=(nested.list_field,))
        ids = values[_case_index("id")]
        return cls(values, nested.nested_columns(ids, lists), list(map(len, lists)))

    def tally(self, start: int = 0, end: int | None = None) -> CaseTally:
        """The :class:`CaseTally` of the cases ``start:end``: what :func:`tally_cases`
        counts, from the columns."""
        from krat_core.importing.sheets import NESTED_SHEETS

        def column(name: str) -> list[Any]:
            return self.case[_case_index(name)][start:end]

        status, minor, institution = column("status"), column("minor"), column("identified_by")
        people = Counter(
            zip(
                status,
                column("sex"),
                minor,
                column("scope"),
                column("identification_source"),
                institution,
                strict=True,
            )
        )
        days = [
            None if referred is None else (referred - identified).days
            for referred, identified in zip(
                column("referral.referred_on"), column("identified_on"), strict=True
            )
        ]
        counts = self.assistance_counts[start:end]
        skip = sum(self.assistance_counts[:start])
        types = iter(self.assistance[NESTED_SHEETS["case"].column_index("type")][skip:])
        given = [tuple(islice(types, n)) if n else () for n in counts]
        return CaseTally(
            people=people,
            referrals=Counter(zip(status, institution, days, strict=True)),
            exploitation=Counter(zip(map(tuple, column("exploitation_types")), minor, strict=True)),
            citizenship=Counter(zip(map(tuple, column("citizenships")), minor, strict=True)),
            assistance=Counter(zip(given, minor, strict=True)),
        )


def _case_index(name: str) -> int:
    from krat_core.importing.sheets import SHEETS

    return SHEETS["case"].column_index(name)


class Cases(tuple["Case", ...]):
    """The cases of some submissions, in order, counted once on first use
    (:attr:`tally`). Build it from the submissions' lists of cases (``parts``)."""

    parts: tuple[Sequence[Case], ...]
    """The cases of each submission."""

    def __new__(cls, parts: Iterable[Sequence[Case]] = ()) -> Cases:
        parts = tuple(parts)
        self = super().__new__(cls, chain.from_iterable(parts))
        self.parts = parts
        return self

    def __getnewargs__(self) -> tuple[tuple[Sequence[Case], ...]]:
        # pickle and copy make a Cases from its parts, not from its cases
        return (self.parts,)

    @cached_property
    def columns(self) -> CaseColumns:
        """The cases' fields column by column, read in one pass (:class:`CaseColumns`):
        what the tally counts and what the record files and sheets write."""
        return CaseColumns.of(self)

    @cached_property
    def tallies(self) -> tuple[CaseTally, ...]:
        """The :class:`CaseTally` of each part (submission): counted from :attr:`columns`
        when they have been read (for record files or sheets), else record by record in
        one pass that reads only the fields the tables need."""
        if "columns" not in self.__dict__:
            return tuple(map(tally_cases, self.parts))
        out: list[CaseTally] = []
        start = 0
        for part in self.parts:
            end = start + len(part)
            out.append(self.columns.tally(start, end))
            start = end
        return tuple(out)

    @cached_property
    def tally(self) -> CaseTally:
        """The :class:`CaseTally` of all the cases."""
        return CaseTally.total(self.tallies)


class Submissions(tuple["Submission", ...]):
    """The submissions of a report, with their cases counted once (:attr:`cases`).

    :class:`~krat_core.reporting.data.ReportData` keeps its submissions as one
    of these, so the tables given ``data.cases()`` or ``data.submissions`` all
    add up the same tally.
    """

    @cached_property
    def cases(self) -> Cases:
        """Every case of every submission, in order."""
        return Cases(s.cases for s in self)


def tally_of(cases: Sequence[Case]) -> CaseTally:
    """The tally of ``cases``: kept with a :class:`Cases`, counted now otherwise."""
    if isinstance(cases, Cases):
        return cases.tally
    return tally_cases(cases)
