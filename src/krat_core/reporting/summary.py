"""The executive summary: the year's figures in full sentences, in both languages.

Every figure in a sentence is read from a *published* cell of the report's
tables (after disclosure control): a cell hidden as "x" (or a figure that
cannot be published) leaves its clause out. No sentence therefore states a figure the
published tables do not show. The previous year and the change come from the
comparison tables (:mod:`krat_core.reporting.comparison`), which are made of
published cells of each year too.

Numbers are written with :func:`~krat_core.messages.format_number` (thousands
separators, decimal comma in Albanian); plurals follow the count that governs
the verb ("U identifikua 1 rast", "U identifikuan 111 raste").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from krat_core.messages import LANGUAGES, Message, Plural, format_number, format_percent
from krat_core.reporting.comparison import change_text, published
from krat_core.reporting.tables import Cell, Label, Suppressed, Table

__all__ = ["executive_summary", "figure_text"]

CASES = Message(
    sq=Plural(one="U identifikua {n_text} rast", other="U identifikuan {n_text} raste"),
    en=Plural(one="{n_text} case was identified", other="{n_text} cases were identified"),
)
MORE_THAN = Message(
    sq=", {diff} më shumë se në {period} ({pct})", en=", {diff} more than in {period} ({pct})"
)
FEWER_THAN_IN = Message(
    sq=", {diff} më pak se në {period} ({pct})", en=", {diff} fewer than in {period} ({pct})"
)
AS_MANY = Message(sq=", aq sa në {period}", en=", as many as in {period}")
STATUS = Message(
    sq="Prej tyre, {victims} u njohën si viktima të trafikimit dhe {potential} si viktima "
    "të mundshme.",
    en="Of these, {victims} were recognised as victims of trafficking and {potential} as "
    "potential victims.",
)
SEX = Message(
    sq="Sipas gjinisë: femra {female}, meshkuj {male}.",
    en="By sex: female {female}, male {male}.",
)
MINORS = Message(
    sq="Numri i të miturve (nën 18 vjeç) ishte {minors}.", en="Minors (under 18): {minors}."
)
REFERRED = Message(
    sq=Plural(
        one="{n_text} rast u referua për asistencë", other="{n_text} raste u referuan për asistencë"
    ),
    en=Plural(
        one="{n_text} case was referred for assistance",
        other="{n_text} cases were referred for assistance",
    ),
)
MEDIAN = Message(
    sq="; mediana e ditëve nga identifikimi te referimi ishte {days}",
    en="; the median time from identification to referral was {days} days",
)
MEDIAN_BEFORE = Message(sq=" ({days} në {period})", en=" ({days} in {period})")
ACTIVITIES = Message(
    sq=Plural(
        one="Nga {planned} aktivitete të planifikuara u realizua {n_text} ({share}{before}), me "
        "{people} pjesëmarrës gjithsej",
        other="Nga {planned} aktivitete të planifikuara u realizuan {n_text} ({share}{before}), me "
        "{people} pjesëmarrës gjithsej",
    ),
    en=Plural(
        one="Of {planned} planned activities, {n_text} was held ({share}{before}), "
        "with {people} participants in all",
        other="Of {planned} planned activities, {n_text} were held ({share}{before}), "
        "with {people} participants in all",
    ),
)
HELD_BEFORE = Message(sq="; {held} në {period}", en="; {held} in {period}")
OBJECTIVES = Message(
    sq=Plural(
        one="Nga {total} objektiva të planit të veprimit u realizua {n_text} ({share}).",
        other="Nga {total} objektiva të planit të veprimit u realizuan {n_text} ({share}).",
    ),
    en=Plural(
        one="Of {total} objectives of the action plan, {n_text} was achieved ({share}).",
        other="Of {total} objectives of the action plan, {n_text} were achieved ({share}).",
    ),
)
SUBMISSIONS = Message(
    sq="Dorëzuan të dhënat {received} nga {total} qarqe.",
    en="{received} of {total} regions submitted their data.",
)
LATE = Message(sq="Me vonesë: {regions}.", en="Late: {regions}.")
INVALID = Message(
    sq="Me gabime vlefshmërie: {regions}; shifrat e tyre mund të jenë të paplota.",
    en="With validation errors: {regions}; their figures may be incomplete.",
)
MISSING = Message(
    sq="Nuk dorëzuan: {regions}; shifrat kombëtare nuk i përfshijnë.",
    en="Not submitted: {regions}; the national figures do not include them.",
)
MEASURE_CHANGES = Message(sq="{measure}: {clauses}.", en="{measure}: {clauses}.")
IMPROVEMENTS = Message(
    sq="përmirësimet më të mëdha te {items}", en="the largest improvements at {items}"
)
DECLINES = Message(sq="përkeqësimet më të mëdha te {items}", en="the largest declines at {items}")
FULL_STOP = Message(sq=".", en=".")
_TOP = 3
"""Institutions named for the largest improvements and declines of a measure."""


class _Labels:
    """The row labels the summary looks up, by name."""

    def __init__(self, labels: Mapping[str, Message]) -> None:
        self.CASES_TOTAL = labels["cases_total"]
        self.CASES_REFERRED = labels["cases_referred"]
        self.MEDIAN_DAYS = labels["median_days"]
        self.ACTIVITIES_HELD = labels["activities_held"]
        self.OBJECTIVES = labels["objectives"]
        self.OBJECTIVES_ACHIEVED = labels["objectives_achieved"]
        self.RECEIVED = labels["received"]
        self.YES = labels["yes"]


def figure_text(cell: Cell, lang: str) -> str | None:
    """A published cell as a figure in prose: ``1 234``; None when the cell shows
    no figure (hidden as "x", empty, not a number)."""
    if isinstance(cell, Suppressed):
        return None
    value = published(cell)
    if value is None:
        return None
    return format_number(value, lang, decimals=None if float(value).is_integer() else 1)


def _count(cell: Cell) -> int:
    """The plural-deciding number of a published cell (a cell without a figure counts as many)."""
    value = published(cell)
    return int(value) if value is not None else 2


def _row(table: Table, label: Message) -> tuple[Cell, ...] | None:
    for row in table.rows:
        if row[0] == label:
            return row
    return None


def _both(parts: list[tuple[Message, dict[str, Any]]]) -> Label:
    """A sentence from message parts filled per language (values may be per-language dicts)."""
    texts = []
    for lang in LANGUAGES:
        out = ""
        for message, values in parts:
            filled = {k: v[lang] if isinstance(v, dict) else v for k, v in values.items()}
            out += message.text(lang, **filled)
        texts.append(out)
    return Label(texts[0], texts[1])


def _fig(cell: Cell) -> dict[str, str] | None:
    texts = {lang: figure_text(cell, lang) for lang in LANGUAGES}
    if any(t is None for t in texts.values()):
        return None
    return {k: v for k, v in texts.items() if v is not None}


def _share(part: Cell, whole: Cell) -> dict[str, str] | None:
    a, b = published(part), published(whole)
    if a is None or b is None or not b:
        return None
    return {lang: format_percent(a / b, lang, decimals=0) for lang in LANGUAGES}


def _change_clause(
    comparison: Table | None, label: Message, previous: str | None
) -> tuple[Message, dict[str, Any]] | None:
    if comparison is None or previous is None:
        return None
    row = _row(comparison, label)
    if row is None or len(row) < 4:
        return None
    # columns: label, years..., change, change %, assessment
    years = len(comparison.header) - 4
    before, after = published(row[years - 1]), published(row[years])
    if before is None or after is None:
        return None
    if before == after:
        return (AS_MANY, {"period": previous})
    diff = {lang: change_text(before, after, lang).lstrip("+\u2212") for lang in LANGUAGES}
    pct = (
        {lang: format_percent((after - before) / before, lang, sign=True) for lang in LANGUAGES}
        if before
        else {lang: "–" for lang in LANGUAGES}
    )
    return (
        MORE_THAN if after > before else FEWER_THAN_IN,
        {"diff": diff, "period": previous, "pct": pct},
    )


def _before(comparison: Table | None, label: Message) -> dict[str, str] | None:
    """The previous year's published figure of key figure ``label``."""
    if comparison is None:
        return None
    row = _row(comparison, label)
    if row is None:
        return None
    years = len(comparison.header) - 4
    return _fig(row[years - 1])


def executive_summary(
    tables: Mapping[str, Table],
    previous: str | None,
    national: bool,
    labels: Mapping[str, Message],
) -> tuple[Label, ...]:
    """The summary's sentences (each a :class:`Label` in both languages), from
    the published ``tables`` of a report (keyed as in the report, with
    ``key_figures`` and, when compared, ``key_comparison``); ``previous`` is the
    period compared with (the latest earlier one), or None. ``labels`` are the
    row labels of the key figures and the completeness table (keys
    ``cases_total``, ``cases_referred``, ``median_days``, ``activities_held``,
    ``objectives``, ``objectives_achieved``, ``received``, ``yes``)."""
    r = _Labels(labels)

    key = tables["key_figures"]
    comparison = tables.get("key_comparison")
    out: list[Label] = []

    def value(label: Message) -> Cell:
        row = _row(key, label)
        return row[1] if row is not None else None

    total = value(r.CASES_TOTAL)
    n = _fig(total)
    if n is not None:
        parts: list[tuple[Message, dict[str, Any]]] = [(CASES, {"n": _count(total), "n_text": n})]
        clause = _change_clause(comparison, r.CASES_TOTAL, previous)
        if clause is not None:
            parts.append(clause)
        parts.append((FULL_STOP, {}))
        out.append(_both(parts))
    out += _status_sentences(tables)
    referred = value(r.CASES_REFERRED)
    ref = _fig(referred)
    if ref is not None:
        parts = [(REFERRED, {"n": _count(referred), "n_text": ref})]
        days = _fig(value(r.MEDIAN_DAYS))
        if days is not None:
            parts.append((MEDIAN, {"days": days}))
            before = _before(comparison, r.MEDIAN_DAYS)
            if before is not None and previous is not None:
                parts.append((MEDIAN_BEFORE, {"days": before, "period": previous}))
        parts.append((FULL_STOP, {}))
        out.append(_both(parts))
    out += _activity_sentences(tables, comparison, previous, r)
    objectives, achieved = value(r.OBJECTIVES), value(r.OBJECTIVES_ACHIEVED)
    total_text, achieved_text = _fig(objectives), _fig(achieved)
    share = _share(achieved, objectives)
    if total_text and achieved_text and share:
        out.append(
            _both(
                [
                    (
                        OBJECTIVES,
                        {
                            "n": _count(achieved),
                            "n_text": achieved_text,
                            "total": total_text,
                            "share": share,
                        },
                    )
                ]
            )
        )
    if national and "completeness" in tables:
        out += _completeness_sentences(tables["completeness"], r)
    out += _largest_changes(tables.get("institution_comparison"))
    return tuple(out)


def _status_sentences(tables: Mapping[str, Table]) -> list[Label]:
    from krat_core.format.codelists import CaseStatus, Sex

    out: list[Label] = []
    referral = tables.get("referral")
    if referral is not None:
        cells = {row[0]: row[3] for row in referral.rows}
        victims = _fig(cells.get(Label.of(CaseStatus.VICTIM)))
        potential = _fig(cells.get(Label.of(CaseStatus.POTENTIAL_VICTIM)))
        if victims and potential:
            out.append(_both([(STATUS, {"victims": victims, "potential": potential})]))
    by_sex = tables.get("cases_sex")
    if by_sex is not None:
        cells = {row[0]: row[-1] for row in by_sex.rows}
        female = _fig(cells.get(Label.of(Sex.FEMALE)))
        male = _fig(cells.get(Label.of(Sex.MALE)))
        if female and male:
            out.append(_both([(SEX, {"female": female, "male": male})]))
    scope = tables.get("cases_scope")
    if scope is not None and scope.grid is not None and scope.grid.total_row is not None:
        minors = _fig(scope.rows[scope.grid.total_row][1])
        if minors:
            out.append(_both([(MINORS, {"minors": minors})]))
    return out


def _activity_sentences(
    tables: Mapping[str, Table], comparison: Table | None, previous: str | None, r: _Labels
) -> list[Label]:
    by_type = tables.get("activities_type")
    if by_type is None or not by_type.rows:
        return []
    total = by_type.rows[-1]
    planned, held, people = total[1], total[2], total[6]
    texts = _fig(planned), _fig(held), _fig(people), _share(held, planned)
    if not all(texts):
        return []
    before = _before(comparison, r.ACTIVITIES_HELD)
    earlier = {lang: "" for lang in LANGUAGES}
    if before is not None and previous is not None:
        earlier = {
            lang: HELD_BEFORE.text(lang, held=before[lang], period=previous) for lang in LANGUAGES
        }
    values = {
        "n": _count(held),
        "n_text": texts[1],
        "planned": texts[0],
        "people": texts[2],
        "share": texts[3],
        "before": earlier,
    }
    return [_both([(ACTIVITIES, values), (FULL_STOP, {})])]


def _completeness_sentences(table: Table, r: _Labels) -> list[Label]:
    received = [row for row in table.rows if row[2] == r.RECEIVED]
    missing = [row for row in table.rows if row[2] != r.RECEIVED]
    late = [row for row in table.rows if row[4] == r.YES]
    invalid = [row for row in table.rows if row[5] == r.YES]

    def names(rows: list[tuple[Cell, ...]]) -> dict[str, str]:
        return {
            lang: ", ".join(dict.fromkeys(str(_label(row[0], lang)) for row in rows))
            for lang in LANGUAGES
        }

    out = [
        _both(
            [
                (
                    SUBMISSIONS,
                    {
                        "received": {
                            lang: format_number(len(received), lang) for lang in LANGUAGES
                        },
                        "total": {lang: format_number(len(table.rows), lang) for lang in LANGUAGES},
                    },
                )
            ]
        )
    ]
    for rows, message in ((missing, MISSING), (late, LATE), (invalid, INVALID)):
        if rows:
            out.append(_both([(message, {"regions": names(rows)})]))
    return out


def _label(cell: Cell, lang: str) -> str:
    if isinstance(cell, Label | Message):
        return cell.text(lang)
    return str(cell)


def _largest_changes(table: Table | None) -> list[Label]:
    """For each institution measure with a better direction (activities held and
    planned, objectives achieved, median days to referral), the institutions with
    the largest changes for the better and for the worse, from the published
    year-over-year table (a change hidden by disclosure control is left out)."""
    from krat_core.reporting.institutions import change_columns

    if table is None:
        return []
    nlab = table.label_cols
    out: list[Label] = []
    for measure, col, way in change_columns(table):
        if way == "none":
            continue
        changes: list[tuple[float, Cell]] = []
        for row in table.rows:
            value = published(row[col])
            if value:
                changes.append((value, row[nlab - 1]))
        better = [c for c in changes if (c[0] > 0) == (way == "higher")]
        worse = [c for c in changes if (c[0] > 0) != (way == "higher")]
        clauses: list[tuple[Message, list[tuple[float, Cell]]]] = []
        for message, chosen in ((IMPROVEMENTS, better), (DECLINES, worse)):
            if chosen:  # largest first; ties in the table's order (region, institution)
                chosen = sorted(chosen, key=lambda c: -abs(c[0]))[:_TOP]
                clauses.append((message, chosen))
        if not clauses:
            continue
        texts = []
        for lang in LANGUAGES:
            parts = [
                message.text(
                    lang,
                    items=", ".join(
                        f"{_label(name, lang)} ({change_text(0, v, lang)})" for v, name in chosen
                    ),
                )
                for message, chosen in clauses
            ]
            texts.append(
                MEASURE_CHANGES.text(lang, measure=measure.text(lang), clauses="; ".join(parts))
            )
        out.append(Label(texts[0], texts[1]))
    return out
