"""Headers: which sheet a sheet title or header row belongs to, and the submission header.

:func:`find_sheet` recognises a sheet (or CSV file) by its title, its file
name or its header row. :func:`build_submission` turns the values of the
"Dorëzimi"/"Submission" sheet (region, period, sender...) into the
submission's header, reconciling them with the import options and reporting
what does not fit as findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from krat_core import __version__
from krat_core.findings import Finding, Severity, SourcePosition
from krat_core.format.codelists import fold
from krat_core.format.models import RECORD_LISTS, Generator, Record, Submission, SubmittedBy
from krat_core.format.regions import REGIONS
from krat_core.importing.cells import (
    CellProblem,
    display_cell,
    in_both_languages,
    parse_bool,
    parse_datetime,
    parse_json_object,
    parse_text,
)
from krat_core.importing.columns import Sheet
from krat_core.importing.guards import refusal
from krat_core.importing.sheets import SHEETS
from krat_core.messages import LANGUAGES, Language, Message
from krat_core.plugins.descriptors import ImportOptions

__all__ = ["build_submission", "find_sheet", "region_of"]

PERIOD = re.compile(r"[0-9]{4}(-H[12])?")
"""A reporting period: a year or a half-year (``2019``, ``2019-H1``)."""


def find_sheet(
    name: str | None, headers: Sequence[Any] = (), *, words: bool = False
) -> Sheet | None:
    """The sheet a sheet title (or file name) and/or header row belongs to.

    The name decides when it matches a sheet: the whole name (``Rastet``,
    ``cases``), or with ``words=True`` any word of it (file names such as
    ``AL-02-2019-rastet.csv``). Otherwise the sheet whose columns the headers
    name best (at least two, and more than half of the headers), with the id
    column of a record sheet or the parent link of a nested sheet among them.
    """
    if name:
        words_of = re.split(r"[^0-9A-Za-zÀ-ÿ]+", name) if words else []
        candidates = [name, *words_of]
        for word in reversed(candidates):
            if not word:
                continue
            for sheet in SHEETS.values():
                if sheet.title.matches(word) or fold(word) in (
                    sheet.kind,
                    fold(RECORD_LISTS.get(sheet.kind, "-")),
                ):
                    return sheet
    filled = sum(1 for h in headers if isinstance(h, str) and h.strip())
    best: tuple[int, Sheet | None] = (1, None)
    for sheet in SHEETS.values():
        matched = {c.name for c in sheet.match_headers(headers) if c is not None}
        key_column = sheet.columns[0].name
        # The id (or parent link) column, and most headers, must be the sheet's own.
        score = len(matched) if key_column in matched and len(matched) * 2 > filled else 0
        if score > best[0]:
            best = (score, sheet)
    return best[1]


def region_of(cell: Any) -> str | None:
    """The region code a cell (or a ``--region`` value) names, or None.

    A code (``AL-03``, ``al03``, ``AL-03 Elbasan``) or a name in either language,
    with or without accents and "Qarku" (``Elbasan``, ``tirane``, ``Qarku Korçë``).
    """
    if not isinstance(cell, str):
        return None
    text = cell.strip()
    match = re.match(r"(?i)^AL-?(\d{2})\b", text)
    if match and f"AL-{match[1]}" in REGIONS:
        return f"AL-{match[1]}"
    key = fold(text)
    for code, region in REGIONS.items():
        if key in (fold(region.sq), fold(region.en), fold(f"qarku {region.sq}")):
            return code
    return None


def _period_of(cell: Any) -> str | None:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).strip().upper().replace(" ", "") if cell is not None else ""
    text = text.replace("-GJ", "-H")
    return text if PERIOD.fullmatch(text) else None


NOT_VALID_EXPECTED = Message(
    sq="{value} nuk është e vlefshme: pritej {expected}",
    en="{value} is not valid: expected {expected}",
)
EXPECTED_REGION = Message(sq="një kod qarku AL-01..AL-12", en="a region code AL-01..AL-12")
EXPECTED_PERIOD = Message(
    sq="një vit (2019) ose gjysmë viti (2019-H1)", en="a year (2019) or half-year (2019-H1)"
)
UNKNOWN_REGION = Message(
    sq="qarku nuk dihet: plotësoni qelizën Qarku në fletën Dorëzimi ose jepeni qarkun kur "
    "importoni",
    en="the region is not known: fill the Region cell of the Submission sheet or give the "
    "region when importing",
)
UNKNOWN_PERIOD = Message(
    sq="periudha nuk dihet: plotësoni qelizën Periudha në fletën Dorëzimi ose jepeni periudhën "
    "kur importoni",
    en="the period is not known: fill the Period cell of the Submission sheet or give the "
    "period when importing",
)
INVALID_HEADER = Message(
    sq="fleta Dorëzimi nuk është e vlefshme: {reason}",
    en="the Submission sheet is not valid: {reason}",
)
HEADER_CONFLICT = Message(
    sq="skedari thotë {name} {found} por komanda thotë {given}; përdoret vlera e skedarit",
    en="the file says {name} {found} but the command line says {given}; the file's value is used",
)

_HEADER_NAMES = {
    "region": Message(sq="qarku", en="region"),
    "period": Message(sq="periudha", en="period"),
}


def build_submission(
    header: Mapping[str, tuple[Any, SourcePosition]],
    options: ImportOptions,
    *,
    records: Mapping[str, Iterable[Record]],
    findings: list[Finding],
    source: str,
    plugins: Sequence[tuple[str, str]] = (),
) -> Submission:
    """The submission header (no records) from the Submission sheet's cells and ``options``.

    Args:
        header: the cells by machine name, with where each was read (see
            :data:`~krat_core.importing.sheets.SUBMISSION_FIELDS`).
        options: region, period and submitter when the files do not say.
        records: the records read, by kind: region and period are inferred from
            their ids when neither the files nor ``options`` give them.
        findings: where a finding is appended for each cell that does not fit.
        source: the file name(s), for the error when the header cannot be known.
        plugins: ``(name, version)`` of the importing plugin, for the generator.

    Raises :class:`~krat_core.errors.ImportRefused` (``import.no-header``) when
    the region or period cannot be known or the header is not valid.
    """

    def value(name: str) -> tuple[Any, SourcePosition | None]:
        cell, where = header.get(name, (None, None))
        if (
            cell is None
            or cell == ""
            or (isinstance(cell, str) and not cell.strip() and not name.startswith("submitted_by"))
        ):
            return None, where
        return cell, where

    def bad(
        name: str, cell: Any, where: SourcePosition | None, expected: Mapping[Language, str]
    ) -> None:
        shown = display_cell(cell)
        text = {
            lang: NOT_VALID_EXPECTED.text(lang, value=repr(shown), expected=expected[lang])
            for lang in LANGUAGES
        }
        findings.append(
            Finding(
                code="import.invalid-value",
                severity=Severity.ERROR,
                message_en=text["en"],
                message_sq=text["sq"],
                pointer=f"/{name.replace('.', '/')}",
                position=where,
                value=shown,
            )
        )

    def reconcile(
        name: str, found: str | None, given: str | None, where: SourcePosition | None
    ) -> str | None:
        if found is not None and given is not None and found != given:
            text = in_both_languages(
                HEADER_CONFLICT, name=_HEADER_NAMES[name], found=found, given=given
            )
            findings.append(
                Finding(
                    code="import.header-conflict",
                    severity=Severity.WARNING,
                    message_en=text["en"],
                    message_sq=text["sq"],
                    pointer=f"/{name}",
                    position=where,
                    value=found,
                )
            )
        return found if found is not None else given

    cell, where = value("region")
    region = region_of(cell) if cell is not None else None
    if cell is not None and region is None:
        bad("region", cell, where, EXPECTED_REGION.both())
    region = reconcile("region", region, options.region, where)
    cell, where = value("period")
    period = _period_of(cell) if cell is not None else None
    if cell is not None and period is None:
        bad("period", cell, where, EXPECTED_PERIOD.both())
    period = reconcile("period", period, options.period, where)
    if region is None or period is None:
        region = region or _infer(records, lambda rid: rid[:5])
        period = period or _infer(records, lambda rid: rid[8:12] if rid[6] in "CAO" else None)
    if region is None or region not in REGIONS:
        raise refusal(UNKNOWN_REGION, code="import.no-header", source=source)
    if period is None or not PERIOD.fullmatch(period):
        raise refusal(UNKNOWN_PERIOD, code="import.no-header", source=source)
    institution, where = value("submitted_by.institution")
    inst_text = parse_text(institution) if institution is not None else None
    if not inst_text:
        inst_text = options.submitted_by or f"Prefektura e Qarkut {REGIONS[region].sq}"
    contact, _ = value("submitted_by.contact")
    contact_text = parse_text(contact) if contact is not None else None
    cell, where = value("submitted_at")
    submitted_at = datetime.now(UTC).replace(microsecond=0)
    if cell is not None:
        try:
            submitted_at = parse_datetime(cell)
        except CellProblem as problem:
            bad("submitted_at", cell, where, problem.expected)
    cell, where = value("nil_return")
    nil_return = False
    if cell is not None:
        try:
            nil_return = parse_bool(cell)
        except CellProblem as problem:
            bad("nil_return", cell, where, problem.expected)
    cell, where = value("extensions")
    extensions: dict[str, Any] = {}
    if cell is not None:
        try:
            extensions = parse_json_object(cell)
        except CellProblem as problem:
            bad("extensions", cell, where, problem.expected)
    from krat_core.format.models import ComponentVersion

    try:
        return Submission(
            region=region,
            period=period,
            submitted_at=submitted_at,
            submitted_by=SubmittedBy(institution=inst_text[:500], contact=contact_text or None),
            generator=Generator(
                version=__version__,
                plugins=[ComponentVersion(name=n, version=v) for n, v in plugins],
            ),
            nil_return=nil_return or options.nil_return,
            extensions=extensions,
        )
    except ValidationError as exc:
        from krat_core.format.canonical import describe_validation_error

        raise refusal(
            INVALID_HEADER,
            reason=describe_validation_error(exc),
            code="import.no-header",
            source=source,
        ) from None


def _infer(
    records: Mapping[str, Iterable[Record]], part: Callable[[str], str | None]
) -> str | None:
    found: set[str] = set()
    for kind_records in records.values():
        for record in kind_records:
            try:
                value = part(record.id)
            except IndexError:
                value = None
            if value:
                found.add(value)
    return found.pop() if len(found) == 1 else None
