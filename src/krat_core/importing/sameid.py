"""Rows that carry the same id: named in every finding about that id.

A staffer who copies a row (or the template's example id) into several rows
gets one finding per extra row. Each finding names *all* the other rows with
the id, by sheet (or file) and row, so that one round of corrections fixes
them all: the import's ``import.duplicate-id`` findings (see
:func:`name_other_rows`, called once every row has been read) and the rules'
``id.wrong-region`` and ``id.duplicate`` findings about the row that was kept
(see :func:`name_same_id_rows`, applied to a validation report).

Albanian: the rows are named in the accusative after "në" ("në rreshtin 5 të
fletës 'Rastet'", "në rreshtat 5 dhe 12 të fletës 'Rastet'"); the linking
article after an accusative noun is "të" in both numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from krat_core.findings import Finding, SourcePosition
from krat_core.messages import LANGUAGES, Language, Message, Plural

if TYPE_CHECKING:
    from krat_core.plugins.descriptors import ImportResult
    from krat_core.validation.report import ValidationReport

__all__ = [
    "ALSO_ON",
    "SAME_ID_CODES",
    "name_other_rows",
    "name_same_id_rows",
    "rows_text",
]

ROWS_OF_SHEET = Message(
    sq=Plural(one="rreshtin {rows} të fletës {sheet}", other="rreshtat {rows} të fletës {sheet}"),
    en=Plural(one="row {rows} of the {sheet} sheet", other="rows {rows} of the {sheet} sheet"),
)
ROWS_OF_FILE = Message(
    sq=Plural(one="rreshtin {rows} të skedarit {file}", other="rreshtat {rows} të skedarit {file}"),
    en=Plural(one="row {rows} of the file {file}", other="rows {rows} of the file {file}"),
)
ALSO_ON = Message(
    sq="I njëjti identifikues {id} është edhe në {rows}.",
    en="The same id {id} is also on {rows}.",
)
"""The sentence added to a finding about an id that other rows carry too."""
SAME_ID_CODES = frozenset({"id.wrong-region", "id.duplicate"})
"""Rule findings about a record's id that name the other rows with the same id."""


def _join(items: Sequence[str], lang: Language) -> str:
    """``a, b dhe c`` / ``a, b and c`` (CLDR list patterns, through Babel)."""
    from babel.lists import format_list

    text: str = format_list(list(items), locale=lang)
    return text


def rows_text(positions: Iterable[SourcePosition], lang: Language) -> str:
    """The rows of ``positions`` as a person reads them, grouped by sheet (or file).

    ``row 5 of the 'Rastet' sheet``, ``rows 5 and 12 of the 'Rastet' sheet``;
    in Albanian ``rreshtin 5 të fletës 'Rastet'``, ``rreshtat 5 dhe 12 të
    fletës 'Rastet'`` (for use after "në"). Rows of several sheets are joined
    with "and"/"dhe"; a position without a row is left out.
    """
    groups: dict[tuple[str, str | None], list[int]] = {}
    for pos in positions:
        if pos.row is not None:
            numbers = groups.setdefault((pos.file, pos.sheet), [])
            if pos.row not in numbers:
                numbers.append(pos.row)
    parts = []
    for (file, sheet), numbers in groups.items():
        rows = _join([str(n) for n in sorted(numbers)], lang)
        if sheet:
            parts.append(ROWS_OF_SHEET.text(lang, n=len(numbers), rows=rows, sheet=repr(sheet)))
        else:
            name = file.replace("\\", "/").rsplit("/", 1)[-1]
            parts.append(ROWS_OF_FILE.text(lang, n=len(numbers), rows=rows, file=repr(name)))
    return _join(parts, lang) if parts else ""


def _sentence(text: str) -> str:
    """``text`` ending as a sentence, before another is added."""
    return text if text.endswith((".", "!", "?")) else text + "."


def _also_on(
    record_id: str, others: Sequence[SourcePosition], texts: dict[Language, str]
) -> dict[Language, str]:
    return {
        lang: _sentence(texts[lang])
        + " "
        + ALSO_ON.text(lang, id=record_id, rows=rows_text(others, lang))
        for lang in LANGUAGES
    }


def _same_row(a: SourcePosition, b: SourcePosition | None) -> bool:
    return b is not None and (a.file, a.sheet, a.row) == (b.file, b.sheet, b.row)


def name_other_rows(
    findings: list[Finding], rows: dict[tuple[str, str], list[SourcePosition]]
) -> None:
    """Add to each ``import.duplicate-id`` finding the rows it does not name yet.

    ``rows`` holds, by ``(kind, id)``, every record row that carries the id, in
    reading order. The finding already names the first of them; the others
    (but its own row) are added in one sentence, and ``extra["rows"]`` lists
    them all (as :meth:`SourcePosition.to_dict`), for the validation report.
    Changes ``findings`` in place.
    """
    for i, finding in enumerate(findings):
        if finding.code != "import.duplicate-id" or finding.record_id is None:
            continue
        every = rows.get((finding.kind or "", finding.record_id), [])
        if len(every) < 2:
            continue
        own = finding.position
        first = every[0]
        others = [p for p in every[1:] if not _same_row(p, own) and not _same_row(p, first)]
        texts: dict[Language, str] = {"sq": finding.message_sq, "en": finding.message_en}
        if others:
            texts = _also_on(finding.record_id, others, texts)
        findings[i] = replace(
            finding,
            message_sq=texts["sq"],
            message_en=texts["en"],
            extra={**finding.extra, "rows": [p.to_dict() for p in every]},
        )


def _positions(data: Iterable[Any]) -> list[SourcePosition]:
    return [
        SourcePosition(d["file"], d.get("sheet"), d.get("row"), None)
        for d in data
        if isinstance(d, dict) and isinstance(d.get("file"), str)
    ]


def name_same_id_rows(report: ValidationReport, result: ImportResult) -> ValidationReport:
    """``report`` with each ``id.wrong-region``/``id.duplicate`` finding naming the other rows.

    A copied id on three rows: the first row is kept (and told its id lacks the
    region), the other two are left out by the import. The kept row's finding
    now says where the other two are, so all three are corrected at once; the
    rows are also in ``extra["rows"]``.
    """
    rows: dict[tuple[str, str], list[SourcePosition]] = {}
    for finding in result.findings:
        if finding.code == "import.duplicate-id" and finding.record_id is not None:
            key = (finding.kind or "", finding.record_id)
            listed = _positions(finding.extra.get("rows", ()))
            if not listed and finding.position is not None:
                listed = [finding.position]
            known = rows.setdefault(key, [])
            known += [p for p in listed if not any(_same_row(p, k) for k in known)]
    if not rows:
        return report
    changed = False
    findings = []
    for finding in report.findings:
        every = rows.get((finding.kind or "", finding.record_id or ""))
        if finding.code in SAME_ID_CODES and every:
            own = finding.position or result.positions.get(
                (finding.kind or "", finding.record_id or "")
            )
            others = [p for p in every if not _same_row(p, own)]
            if others:
                texts = _also_on(
                    finding.record_id or "",
                    others,
                    {"sq": finding.message_sq, "en": finding.message_en},
                )
                finding = replace(
                    finding,
                    message_sq=texts["sq"],
                    message_en=texts["en"],
                    extra={**finding.extra, "rows": [p.to_dict() for p in others]},
                )
                changed = True
        findings.append(finding)
    return replace(report, findings=tuple(findings)) if changed else report
