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
from krat_core.messages import LANGUAGES, Language, Message, Plural, format_list

if TYPE_CHECKING:
    from krat_core.plugins.descriptors import ImportResult
    from krat_core.validation.report import ValidationReport

__all__ = [
    "ALSO_ON",
    "SAME_ID_CODES",
    "IdRows",
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
AND_MORE_ROWS = Message(
    sq=Plural(
        one="{listed} dhe në {n} rresht tjetër", other="{listed} dhe në {n} rreshta të tjerë"
    ),
    en=Plural(one="{listed} and on {n} more row", other="{listed} and on {n} more rows"),
)
MAX_ROWS_NAMED = 20
"""A finding names at most this many other rows, and counts the rest: a file of a
million copies of one id gets findings of bounded size, in linear time."""
SAME_ID_CODES = frozenset({"id.wrong-region", "id.duplicate"})
"""Rule findings about a record's id that name the other rows with the same id."""


def rows_text(positions: Iterable[SourcePosition], lang: Language) -> str:
    """The rows of ``positions`` as a person reads them, grouped by sheet (or file).

    ``row 5 of the 'Rastet' sheet``, ``rows 5 and 12 of the 'Rastet' sheet``;
    in Albanian ``rreshtin 5 të fletës 'Rastet'``, ``rreshtat 5 dhe 12 të
    fletës 'Rastet'`` (for use after "në"). Rows of several sheets are joined
    with "and"/"dhe"; a position without a row is left out.
    """
    groups: dict[tuple[str, str | None], set[int]] = {}
    for pos in positions:
        if pos.row is not None:
            groups.setdefault((pos.file, pos.sheet), set()).add(pos.row)
    parts = []
    for (file, sheet), numbers in groups.items():
        rows = format_list([str(n) for n in sorted(numbers)], lang)
        if sheet:
            parts.append(ROWS_OF_SHEET.text(lang, n=len(numbers), rows=rows, sheet=repr(sheet)))
        else:
            name = file.replace("\\", "/").rsplit("/", 1)[-1]
            parts.append(ROWS_OF_FILE.text(lang, n=len(numbers), rows=rows, file=repr(name)))
    return format_list(parts, lang) if parts else ""


def _sentence(text: str) -> str:
    """``text`` ending as a sentence, before another is added."""
    return text if text.endswith((".", "!", "?")) else text + "."


def _also_on(
    record_id: str, others: Sequence[SourcePosition], texts: dict[Language, str], *, total: int
) -> dict[Language, str]:
    """``texts`` with the sentence naming ``others`` (the first :data:`MAX_ROWS_NAMED`
    of them) added; ``total`` other rows in all, the ones not named counted."""
    named = others[:MAX_ROWS_NAMED]
    more = max(0, total - len(named))
    out: dict[Language, str] = {}
    for lang in LANGUAGES:
        rows = rows_text(named, lang)
        if more:
            rows = AND_MORE_ROWS.text(lang, n=more, listed=rows)
        out[lang] = _sentence(texts[lang]) + " " + ALSO_ON.text(lang, id=record_id, rows=rows)
    return out


def _key(p: SourcePosition) -> tuple[str, str | None, int | None]:
    return (p.file, p.sheet, p.row)


def _listed(positions: Sequence[SourcePosition]) -> dict[str, Any]:
    """``extra`` entries for rows: the first :data:`MAX_ROWS_NAMED` and the total."""
    return {
        "rows": [p.to_dict() for p in positions[:MAX_ROWS_NAMED]],
        "rows_total": len(positions),
    }


def _order(p: SourcePosition) -> tuple[str, str, int]:
    """Reading order of record rows: file, sheet, row."""
    return (p.file, p.sheet or "", p.row or 0)


class IdRows:
    """The rows read so far with each ``(kind, id)``: the rejected ones, the kept one,
    and the first of them, kept up to date with one comparison per row, so that a file
    of a million copies of one id is read in linear time."""

    def __init__(self) -> None:
        self.rejected_at: dict[tuple[str, str], list[SourcePosition]] = {}
        self.kept_at: dict[tuple[str, str], SourcePosition] = {}
        self.first_at: dict[tuple[str, str], SourcePosition] = {}

    def rejected_before(self, key: tuple[str, str]) -> bool:
        """Whether a row with ``key`` was rejected already."""
        return key in self.rejected_at

    def rejected(self, key: tuple[str, str], position: SourcePosition) -> None:
        """Note a rejected row with ``key``."""
        self.rejected_at.setdefault(key, []).append(position)
        self._first(key, position)

    def kept(self, key: tuple[str, str], position: SourcePosition) -> None:
        """Note the kept row with ``key``."""
        self.kept_at[key] = position
        self._first(key, position)

    def _first(self, key: tuple[str, str], position: SourcePosition) -> None:
        first = self.first_at.get(key)
        if first is None or _order(position) < _order(first):
            self.first_at[key] = position

    def every(self, key: tuple[str, str]) -> list[SourcePosition]:
        """Every row with ``key``, kept or rejected, once each, in reading order."""
        rows = [*self.rejected_at.get(key, ())]
        if key in self.kept_at:
            rows.append(self.kept_at[key])
        return sorted(dict.fromkeys(rows), key=_order)


def _same_row(a: SourcePosition, b: SourcePosition | None) -> bool:
    return b is not None and (a.file, a.sheet, a.row) == (b.file, b.sheet, b.row)


def name_other_rows(
    findings: list[Finding], rows: dict[tuple[str, str], list[SourcePosition]]
) -> None:
    """Add to each ``import.duplicate-id`` finding the rows it does not name yet.

    ``rows`` holds, by ``(kind, id)``, every record row that carries the id, in
    reading order. The finding already names the first of them; the others
    (but its own row) are added in one sentence (at most :data:`MAX_ROWS_NAMED`
    named, the rest counted), and ``extra["rows"]`` lists the first of them (as
    :meth:`SourcePosition.to_dict`) with ``extra["rows_total"]`` their number, for
    the validation report. Changes ``findings`` in place.
    """
    later_rows: dict[tuple[str, str], set[tuple[str, str | None, int | None]]] = {}
    for i, finding in enumerate(findings):
        if finding.code != "import.duplicate-id" or finding.record_id is None:
            continue
        key = (finding.kind or "", finding.record_id)
        every = rows.get(key, [])
        if len(every) < 2:
            continue
        own, first = finding.position, every[0]
        # The rows after the first, once per id: whether this finding's own row is
        # among them decides the count without walking them again (linear in all).
        if key not in later_rows:
            later_rows[key] = {_key(p) for p in every[1:]} - {_key(first)}
        later = later_rows[key]
        own_is_later = own is not None and _key(own) in later
        total = len(later) - own_is_later
        texts: dict[Language, str] = {"sq": finding.message_sq, "en": finding.message_en}
        if total:
            named = [
                p
                for p in every[1 : MAX_ROWS_NAMED + 2]
                if not _same_row(p, own) and not _same_row(p, first)
            ]
            texts = _also_on(finding.record_id, named, texts, total=total)
        findings[i] = replace(
            finding,
            message_sq=texts["sq"],
            message_en=texts["en"],
            extra={**finding.extra, **_listed(every)},
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
    seen_rows: dict[tuple[str, str], set[tuple[str, str | None, int | None]]] = {}
    for finding in result.findings:
        if finding.code == "import.duplicate-id" and finding.record_id is not None:
            key = (finding.kind or "", finding.record_id)
            listed = _positions(finding.extra.get("rows", ()))
            if not listed and finding.position is not None:
                listed = [finding.position]
            known = rows.setdefault(key, [])
            seen = seen_rows.setdefault(key, {(k.file, k.sheet, k.row) for k in known})
            for p in listed:
                if (p.file, p.sheet, p.row) not in seen:
                    seen.add((p.file, p.sheet, p.row))
                    known.append(p)
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
                    total=len(others),
                )
                finding = replace(
                    finding,
                    message_sq=texts["sq"],
                    message_en=texts["en"],
                    extra={**finding.extra, **_listed(others)},
                )
                changed = True
        findings.append(finding)
    return replace(report, findings=tuple(findings)) if changed else report
