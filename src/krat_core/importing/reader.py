"""The reader: rows of sheets and CSV files turned into records, findings and counts.

:func:`read_tables` is what every tabular importer calls: it takes
:class:`Table` objects (one per sheet or CSV file, rows as the file holds
them), parses each cell through its :class:`~krat_core.importing.columns.Column`,
validates each row into its model, attaches nested rows (assistance,
indicators) to their parent record, and returns an
:class:`~krat_core.plugins.descriptors.ImportResult`: every data row ends up
as a record or rejected with at least one finding naming its file, sheet, row
and column; blank rows are counted apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from krat_core.findings import Finding, Severity, SourcePosition
from krat_core.format.models import RECORD_LISTS, Assistance, Indicator, KratModel, Record
from krat_core.format.models import RECORD_TYPES as _RECORD_TYPES
from krat_core.importing.cells import (
    CellProblem,
    display_cell,
    in_both_languages,
)
from krat_core.importing.columns import Column, Sheet, localise_example
from krat_core.importing.guards import FINDINGS_PER_CODE, more_like_this
from krat_core.importing.headers import build_submission
from krat_core.importing.identitycells import identity_values, refusing, unknown_identity
from krat_core.importing.names import (
    NAME_FIELDS,
    NameColumns,
    NameIndex,
    has_names,
    reading_order,
    resolve_names,
)
from krat_core.importing.positions import (
    column_for,
    header_text,
    kind_of,
    pointer_of,
)
from krat_core.importing.required import REQUIRED_EMPTY, required_text
from krat_core.importing.rowparse import row_parser as _row_parser
from krat_core.importing.sameid import IdRows, name_other_rows, rows_text
from krat_core.importing.sheets import NESTED_SHEETS, SHEETS
from krat_core.messages import LANGUAGES, Language, Message, Plural
from krat_core.plugins.descriptors import ImportOptions, ImportResult, SheetCount

__all__ = ["Table", "read_tables"]

ADULT_AGE = 18
"""Age from which a person is not a minor (``minor`` follows from the age when left empty)."""


# --------------------------------------------------------------------------- messages

NOT_VALID_EXPECTED = Message(
    sq="{value} nuk është e vlefshme: pritej {expected}",
    en="{value} is not valid: expected {expected}",
)
NOT_VALID_LEFT_OUT = Message(
    sq="{value} nuk është e vlefshme: pritej {expected}; kjo qelizë u la jashtë, pjesa tjetër "
    "e rreshtit u importua",
    en="{value} is not valid: expected {expected}; this cell was left out, the rest of the row "
    "was imported",
)
STRAY_ROWS = Message(
    sq=Plural(
        one="rreshti {rows} ka të dhëna vetëm në kolona që formati nuk i ka ({columns}); "
        "u trajtua si rresht bosh",
        other="{n} rreshta ({rows}) kanë të dhëna vetëm në kolona që formati nuk i ka "
        "({columns}); u trajtuan si rreshta bosh",
    ),
    en=Plural(
        one="row {rows} has content only in columns the format does not have ({columns}); "
        "it was treated as a blank row",
        other="{n} rows ({rows}) have content only in columns the format does not have "
        "({columns}); they were treated as blank rows",
    ),
)
AGE_MISMATCH = Message(
    sq="mosha e shkruar nuk përputhet me datëlindjen dhe datën e identifikimit; kontrolloni "
    "njërën prej tyre (mosha e shkruar u mbajt)",
    en="the age written does not agree with the date of birth and the identification date; "
    "check one of them (the age written was kept)",
)
PERSONAL_VALUE = Message(
    sq="vlera (nuk shfaqet: e dhënë personale)", en="the value (not shown: personal data)"
)
THE_VALUE = Message(sq="vlera", en="the value")
A_SHOWN_VALUE = Message(sq="vlera {value}", en="{value}")
"""A typed value in a message: Albanian names it "vlera 'x'", so the feminine agreement of
"e vlefshme" is right whatever the value is."""
THE_ROW = Message(sq="rreshti", en="the row")
UNKNOWN_COLUMN = Message(
    sq="kolona {header} nuk është pjesë e formatit; qelizat e saj nuk u importuan",
    en="column {header} is not part of the format; its cells were not imported",
)
DUPLICATE_COLUMN = Message(
    sq="kolona {header} përsërit {first}; përdoret e para",
    en="column {header} repeats {first}; the first one is used",
)
NOT_VALID_FOR = Message(
    sq="{value} nuk është e vlefshme për {what}: {detail}",
    en="{value} is not valid for {what}: {detail}",
)
NOT_VALID_FOR_EXAMPLE = Message(
    sq="{value} nuk është e vlefshme për {what}: {detail} (p.sh. {example})",
    en="{value} is not valid for {what}: {detail} (e.g. {example})",
)
ALREADY_ON_ROW = Message(
    sq="identifikuesi {id} është tashmë në {where}; ky rresht lihet jashtë",
    en="the id {id} is already on {where}; this row is left out",
)
NO_PARENT = Message(
    sq="nuk ka {kind} {id} në fletën {sheet}", en="there is no {kind} {id} on the {sheet} sheet"
)
PARENT_REJECTED = Message(
    sq="rreshti i {kind} {id} (rreshti {row} në fletën {sheet}) u refuzua, prandaj ky rresht "
    "lihet jashtë; korrigjoni atë rresht së pari (gabimet e këtij rreshti janë kontrolluar)",
    en="the {kind} row {id} (row {row} on the {sheet} sheet) was rejected, so this row is left "
    "out; correct that row first (this row's own mistakes have been checked)",
)
_PARENT_NOUN = {
    "case": Message(sq="rast", en="case"),
    "objective": Message(sq="objektiv", en="objective"),
}
_PARENT_OF = {
    "case": Message(sq="rastit", en="case"),
    "objective": Message(sq="objektivit", en="objective"),
}


def _quoted_headers(column: Column) -> dict[Language, str]:
    """The column's header in each language, quoted as ``repr`` quotes it."""
    return {lang: repr(column.header(lang)) for lang in LANGUAGES}


@dataclass(slots=True)
class Table:
    """Rows of one sheet or CSV file, as a reader hands them to :func:`read_tables`.

    ``headers`` is the header row as found; ``machine_names`` the row of machine
    names under it when the file has one (the template's hidden row 2), which
    then decides the columns. ``rows`` yields ``(row number, cells)`` for the
    data rows, numbered as the person sees them (1 = first line of the file).
    """

    file: str
    sheet: str | None
    spec: Sheet
    headers: Sequence[Any]
    rows: Iterable[tuple[int, Sequence[Any]]]
    machine_names: Sequence[Any] | None = None


_PYDANTIC_SQ: dict[str, str] = {
    "missing": "mungon",
    "greater_than_equal": "është shumë e vogël",
    "less_than_equal": "është shumë e madhe",
    "string_too_long": "është shumë e gjatë",
    "string_too_short": "është bosh",
    "string_pattern_mismatch": "nuk ndjek modelin e kërkuar",
    "value_error": "nuk është e vlefshme",
}


@dataclass(slots=True)
class _Row:
    """One data row being read: where it is, its cells, and which column sits where."""

    table: Table
    number: int
    cells: Sequence[Any]
    index: Mapping[str, int]
    headers: Mapping[str, str]
    raw_id: Any
    parent_id: str | None = None
    left_out: frozenset[str] = frozenset()

    @property
    def record_id(self) -> str | None:
        """The id the row is about (its parent's for a nested row), as typed, for findings."""
        if self.parent_id is not None:
            return self.parent_id
        raw = self.raw_id
        return "".join(raw.split()).upper() if isinstance(raw, str) else None


_Child = tuple[KratModel, SourcePosition, SheetCount]


class _Reader:
    """Turns tables into records, findings, counts and positions (one import).

    Nested-list tables are read first, so when a record row is read its items
    are waiting, and the record is validated at once.
    """

    def __init__(self, options: ImportOptions) -> None:
        self.options = options
        self.findings: list[Finding] = []
        self.counts: list[tuple[SheetCount, Table]] = []
        self.positions: dict[tuple[str, str], SourcePosition] = {}
        self.columns: dict[tuple[str, str], str] = {}
        self.records: dict[str, list[Record]] = {kind: [] for kind in RECORD_LISTS}
        self.children: dict[str, dict[str, list[_Child]]] = {}
        self.link_headers: dict[str, str] = {}
        self.headers_seen: dict[str, dict[str, str]] = {}
        self.rejected_ids: dict[str, dict[str, int]] = {kind: {} for kind in RECORD_LISTS}
        """Ids of rejected record rows by kind, with the row number (to name a cascade's cause)."""
        self.names = NameIndex()
        """Names of institutions and titles of objectives read so far (importing/names)."""
        self.link_cells: dict[tuple[str, str], Any] = {}
        """The link cell of nested rows as typed, by (nested kind, parent id): a title?"""
        self.same_id = IdRows()
        """The rows read with each ``(kind, id)``: rejected, kept, the first (sameid)."""
        self.most_items: dict[str, int] = {}
        # issue 11: at most FINDINGS_PER_CODE findings kept per code; the rest are counted
        self.per_code: dict[str, int] = {}
        self.more: dict[str, tuple[int, Severity, SourcePosition | None]] = {}

    # ---- findings

    def finding(
        self,
        code: str,
        text: Mapping[Language, str] | Callable[[], Mapping[Language, str]],
        *,
        kind: str | None,
        record_id: str | None,
        pointer: str = "",
        position: SourcePosition | None = None,
        value: Any = None,
        severity: Severity = Severity.ERROR,
        extra: dict[str, Any] | None = None,
    ) -> None:
        kept = self.per_code.get(code, 0)
        if kept >= FINDINGS_PER_CODE:
            n, _, where = self.more.get(code, (0, severity, None))
            if where is None and position is not None:
                where = SourcePosition(position.file, position.sheet)
            self.more[code] = (n + 1, severity, where)
            return
        self.per_code[code] = kept + 1
        if callable(text):  # composed only for a finding that is kept
            text = text()
        self.findings.append(
            Finding(
                code=code,
                severity=severity,
                message_en=text["en"],
                message_sq=text["sq"],
                kind=kind,
                record_id=record_id,
                pointer=pointer,
                position=position,
                value=value,
                extra=extra or {},
            )
        )

    def summarise(self) -> None:
        """One finding per capped code: "... and 999,000 more findings like this"."""
        for code, (n, severity, where) in sorted(self.more.items()):
            self.findings.append(more_like_this(code, n, severity, where))

    def cell_finding(
        self, row: _Row, column: Column, cell: Any, problem: CellProblem, *, left_out: bool = False
    ) -> None:
        shown: Message | dict[Language, str]
        if column.private:
            shown = PERSONAL_VALUE
            value = None
        else:
            value = display_cell(cell)
            shown = A_SHOWN_VALUE.both(value=repr(value))
        spec = row.table.spec
        self.finding(
            problem.code,
            in_both_languages(
                NOT_VALID_LEFT_OUT if left_out else NOT_VALID_EXPECTED,
                value=shown,
                expected=problem.expected,
            ),
            kind=kind_of(spec),
            record_id=row.record_id,
            pointer=pointer_of(spec, column),
            position=SourcePosition(
                row.table.file, row.table.sheet, row.number, row.headers[column.name]
            ),
            value=value,
            extra={"expected_en": problem.expected_en, "expected_sq": problem.expected_sq},
        )

    # ---- tables

    def columns_of(self, table: Table) -> list[tuple[int, Column]]:
        """The columns of ``table`` by position; unknown and repeated headers are reported."""
        spec = table.spec
        names = table.machine_names
        matched = spec.match_headers(names if names is not None else table.headers)
        used: set[str] = set()
        result: list[tuple[int, Column]] = []
        for index, column in enumerate(matched):
            header = header_text(table.headers, index)
            position = SourcePosition(table.file, table.sheet, None, header)
            if column is None:
                raw = table.headers[index] if index < len(table.headers) else None
                if raw is not None and str(raw).strip():
                    self.finding(
                        "import.unknown-column",
                        UNKNOWN_COLUMN.both(header=repr(header)),
                        kind=kind_of(spec),
                        record_id=None,
                        severity=Severity.WARNING,
                        position=position,
                    )
                continue
            if column.name in used:
                self.finding(
                    "import.duplicate-column",
                    in_both_languages(
                        DUPLICATE_COLUMN, header=repr(header), first=_quoted_headers(column)
                    ),
                    kind=kind_of(spec),
                    record_id=None,
                    severity=Severity.WARNING,
                    position=position,
                )
                continue
            used.add(column.name)
            result.append((index, column))
        return result

    def read(self, table: Table) -> None:
        """Read every row of ``table``: a record or an item, or findings; count it."""
        spec = table.spec
        count = SheetCount(file=table.file, sheet=table.sheet, kind=spec.kind)
        self.counts.append((count, table))
        columns = self.columns_of(table)
        headers = {c.name: header_text(table.headers, i) for i, c in columns}
        index = {c.name: i for i, c in columns}
        seen = self.headers_seen.setdefault(spec.kind, {})
        for name, header in headers.items():
            column = spec.column(name)
            if not column.identity and name != spec.link:
                seen[column.pointer] = header
        identity = [headers[c.name] for _, c in columns if c.identity]
        has_identity = bool(identity)
        refuse = identity if self.options.key is None else []
        key_name = spec.columns[0].name
        id_index = index.get(key_name)
        width = max(index.values(), default=-1) + 1
        parse_row = _row_parser(
            [
                (i, c, refusing(refuse, table.file) if c.identity and refuse else c.cell_parser())
                for i, c in columns
            ]
        )
        nested = spec.parent is not None
        if nested:
            self.link_headers[spec.kind] = headers.get(key_name, spec.columns[0].header("sq"))
        by_name = [
            (i, c.name, c.ref or "", c.multi, c.required)
            for i, c in columns
            if c.ref in NAME_FIELDS and c.name != spec.link
        ]
        known = [i for i, _ in columns]
        stray: list[int] = []
        for number, cells in table.rows:
            if len(cells) < width:
                cells = [*cells, *([None] * (width - len(cells)))]
            for cell in cells:
                if (
                    cell is not None
                    and cell != ""
                    and (not isinstance(cell, str) or not cell.isspace())
                ):
                    break
            else:
                count.blank += 1
                continue
            if not any(_filled(cells[i]) for i in known):
                count.blank += 1  # content only in columns the format does not have
                stray.append(number)
                continue
            count.rows_read += 1
            row = _Row(
                table,
                number,
                cells,
                index,
                headers,
                cells[id_index] if id_index is not None else None,
            )
            data, problems = parse_row(cells)
            named = by_name and has_names(data, by_name) and self.by_name(row, data, by_name)
            ok = not problems
            if problems and all(
                not c.required and not c.identity and c.name != key_name for c, _, _ in problems
            ):
                # only optional cells are bad: leave them out, keep (and check) the rest
                # (not identity cells: a pseudonym from part of an identity would be wrong)
                row.left_out = frozenset(c.name for c, _, _ in problems)
                ok = True
            for column, cell, problem in problems or ():
                self.cell_finding(row, column, cell, problem, left_out=ok)
            if named:
                row.left_out |= named
            if not ok:
                count.rejected += 1
                record_id = row.record_id
                if not nested and record_id:
                    self.rejected_ids[spec.kind].setdefault(record_id, row.number)
                    self.repeated(row, spec.kind, record_id, rejected=True)  # in this round too
            elif nested:
                self.child(row, data, count)
            else:
                self.record(row, data, count, has_identity)
        if stray:
            used = set(index.values())
            self.stray_rows(table, stray, [i for i in range(len(table.headers)) if i not in used])

    def by_name(self, row: _Row, data: dict[str, Any], columns: NameColumns) -> frozenset[str]:
        """Institutions and objectives typed by name: their ids in ``data`` (importing/names)."""
        table = row.table

        def report(code: str, texts: Mapping[Language, str], name: str, severity: str) -> None:
            column = table.spec.column(name)
            self.finding(
                code,
                texts,
                kind=kind_of(table.spec),
                record_id=row.record_id,
                pointer=pointer_of(table.spec, column),
                position=SourcePosition(table.file, table.sheet, row.number, row.headers[name]),
                severity=Severity(severity),
            )

        return frozenset(resolve_names(self.names, row.cells, data, columns, report))

    def repeated(self, row: _Row, kind: str, record_id: str, *, rejected: bool = False) -> bool:
        """Whether an earlier row (kept or rejected) has the id: a finding names the first,
        and the row is noted as rejected (as it is when already ``rejected``)."""
        table, key = row.table, (kind, record_id)
        position = SourcePosition(table.file, table.sheet, row.number, None)
        seen = key in self.positions or self.same_id.rejected_before(key)
        if seen:
            first = self.same_id.first_at[key]
            self.finding(
                "import.duplicate-id",
                lambda: ALREADY_ON_ROW.both(
                    id=record_id, where={lang: rows_text([first], lang) for lang in LANGUAGES}
                ),
                kind=kind,
                record_id=record_id,
                pointer="/id",
                value=record_id,
                position=SourcePosition(table.file, table.sheet, row.number, row.headers.get("id")),
                extra={"first": first.to_dict()},
            )
        if seen or rejected:
            self.same_id.rejected(key, position)
        return seen

    def adopt(self, child_kind: str, parent_id: str, items: list[_Child]) -> bool:
        """Attach nested rows whose link holds their parent's title (not its id) to the one
        kept record with that title, if any; each gets an ``import.name-resolved`` note."""
        spec = SHEETS[child_kind]
        parent, field = spec.parent or "", spec.list_field or ""
        cell = self.link_cells.get((child_kind, parent_id))
        if parent not in NAME_FIELDS or not isinstance(cell, str):
            return False
        found = self.names.resolve(parent, cell, required=True)
        records = self.records[parent]
        at = next((i for i, r in enumerate(records) if r.id == found.value), None)
        if at is None or found.texts is None:
            return False
        record = records[at]
        before = len(getattr(record, field))
        records[at] = record.model_copy(
            update={field: [*getattr(record, field), *(item for item, _, _ in items)]}
        )
        for index, (_, where, _) in enumerate(items, start=before):
            self.positions[(parent, f"{record.id}/{field}/{index}")] = where
            header = self.link_headers.get(child_kind)
            self.finding(
                "import.name-resolved",
                found.texts,
                kind=parent,
                record_id=record.id,
                pointer=f"/{field}/{index}",
                position=SourcePosition(where.file, where.sheet, where.row, header),
                severity=Severity.INFO,
            )
        self.most_items[parent] = max(self.most_items.get(parent, 0), before + len(items))
        return True

    def stray_rows(self, table: Table, rows: list[int], unknown: list[int]) -> None:
        """One warning for the rows with content only in columns the format does not have."""
        columns = ", ".join(
            repr(header_text(table.headers, i))
            for i in unknown
            if table.headers[i] is not None and str(table.headers[i]).strip()
        )
        shown = ", ".join(str(n) for n in rows[:10]) + (", …" if len(rows) > 10 else "")
        self.finding(
            "import.stray-row",
            STRAY_ROWS.both(n=len(rows), rows=shown, columns=columns or "-"),
            kind=kind_of(table.spec),
            record_id=None,
            severity=Severity.WARNING,
            position=SourcePosition(table.file, table.sheet, rows[0], None),
            extra={"rows": rows},
        )

    # ---- records and items

    def validate(self, row: _Row, model: Any, data: dict[str, Any]) -> Any:
        """``model`` validated from ``data``, or None after a finding per error, at its column."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            spec = row.table.spec
            for error in exc.errors(include_url=False, include_input=False):
                self.model_finding(row, spec, error)
            return None

    def model_finding(self, row: _Row, spec: Sheet, error: Any) -> None:
        column = column_for(spec, error["loc"])
        header = None
        cell = None
        if column is not None:
            header = row.headers.get(column.name) or column.header("sq")
            at = row.index.get(column.name)
            cell = row.cells[at] if at is not None else None
        position = SourcePosition(row.table.file, row.table.sheet, row.number, header)
        kind = error["type"]
        if kind == "missing" and column is not None and column.name in row.left_out:
            return  # its cell was bad and already has a finding
        what = _quoted_headers(column) if column else THE_ROW
        blank = cell is None or (isinstance(cell, str) and not cell.strip())
        shown = None if column is None or column.private or blank else display_cell(cell)
        example = column.example if column is not None else ""
        if example:  # written for Durrës 2019: shown for the region and period being read
            year = (self.options.period or "")[:4] or None
            example = localise_example(example, region=self.options.region, year=year)
        if kind == "missing":
            code = "import.missing-required"
            text = required_text(spec, column, what)
        else:
            is_id = column is not None and column.value_type in ("id", "ids")
            if kind == "string_pattern_mismatch" and is_id:
                code = "import.bad-id"
            elif kind.startswith("string_"):
                code = "import.bad-text"
            else:
                code = "import.invalid-value"
            detail = {
                "en": "not in the expected form"
                if kind == "string_pattern_mismatch"
                else error["msg"],
                "sq": _PYDANTIC_SQ.get(kind, "nuk është e vlefshme"),
            }
            text = in_both_languages(
                NOT_VALID_FOR_EXAMPLE if example else NOT_VALID_FOR,
                value=A_SHOWN_VALUE.both(value=repr(shown)) if shown is not None else THE_VALUE,
                what=what,
                detail=detail,
                example=example,
            )
        self.finding(
            code,
            text,
            kind=kind_of(spec),
            record_id=row.record_id,
            pointer=pointer_of(spec, column) if column else "",
            position=position,
            value=shown,
            extra={"expected_en": error["msg"]},
        )

    def child(self, row: _Row, data: dict[str, Any], count: SheetCount) -> None:
        spec = row.table.spec
        link = spec.columns[0]
        parent_id = data.pop(link.name, None)
        if parent_id is None:
            self.finding(
                "import.missing-required",
                in_both_languages(REQUIRED_EMPTY, what=_quoted_headers(link)),
                kind=spec.parent,
                record_id=None,
                position=SourcePosition(
                    row.table.file,
                    row.table.sheet,
                    row.number,
                    row.headers.get(link.name, link.header("sq")),
                ),
            )
            count.rejected += 1
            return
        row.parent_id = parent_id
        self.link_cells.setdefault((spec.kind, parent_id), row.cells[row.index[link.name]])
        item = self.validate(row, Assistance if spec.kind == "assistance" else Indicator, data)
        if item is None:
            count.rejected += 1
            return
        position = SourcePosition(row.table.file, row.table.sheet, row.number, None)
        self.children.setdefault(spec.kind, {}).setdefault(parent_id, []).append(
            (item, position, count)
        )
        count.records += 1

    def record(
        self, row: _Row, data: dict[str, Any], count: SheetCount, identity: bool = False
    ) -> None:
        table = row.table
        kind = table.spec.kind
        if identity:
            typed, computed = (
                data.get("age_at_identification"),
                identity_values(data, self.options.key),
            )
            if typed is not None and computed is not None and typed != computed:
                self.finding(
                    "import.age-mismatch",
                    AGE_MISMATCH.both(),
                    kind=kind,
                    record_id=row.record_id,
                    pointer="/age_at_identification",
                    position=SourcePosition(
                        table.file,
                        table.sheet,
                        row.number,
                        row.headers.get("age_at_identification"),
                    ),
                    value=None,  # ages and dates of birth are personal: never echoed
                )
        if kind == "case":
            unknown_identity(data)
        if kind == "case" and "minor" not in data and "age_at_identification" in data:
            data["minor"] = data["age_at_identification"] < ADULT_AGE  # follows from the age
        position = SourcePosition(table.file, table.sheet, row.number, None)
        record_id = data.get("id")
        if kind in NAME_FIELDS:
            self.names.add(kind, record_id, data.get(NAME_FIELDS[kind]))
        if isinstance(record_id, str) and self.repeated(row, kind, record_id):
            count.rejected += 1
            return
        child_spec = NESTED_SHEETS.get(kind)
        items: list[_Child] = []
        if child_spec is not None and isinstance(record_id, str):
            items = self.children.get(child_spec.kind, {}).pop(record_id, [])
            assert child_spec.list_field is not None
            data[child_spec.list_field] = [item for item, _, _ in items]
        record = self.validate(row, _RECORD_TYPES[kind], data)
        if record is None:
            count.rejected += 1
            if isinstance(record_id, str):
                self.rejected_ids[kind].setdefault(record_id, row.number)
                self.same_id.rejected((kind, record_id), position)
                if child_spec is not None and items:
                    self.children.setdefault(child_spec.kind, {})[record_id] = items
            return
        count.records += 1
        self.records[kind].append(record)
        self.positions[(kind, record.id)] = position
        self.same_id.kept((kind, record.id), position)
        if child_spec is not None and items:
            for index, (_, at, _) in enumerate(items):
                self.positions[(kind, f"{record.id}/{child_spec.list_field}/{index}")] = at
            self.most_items[kind] = max(self.most_items.get(kind, 0), len(items))

    def finish(self) -> None:
        """Reject the nested rows left without a parent; record the columns of every field.

        Each duplicate-id finding is then told every other row with its id.
        """
        repeated = {
            (f.kind or "", f.record_id)
            for f in self.findings
            if f.code == "import.duplicate-id" and f.record_id is not None
        }
        name_other_rows(self.findings, {key: self.same_id.every(key) for key in repeated})
        for child_kind, by_parent in self.children.items():
            spec = SHEETS[child_kind]
            parent = spec.parent
            assert parent is not None
            sheet_name = {lang: SHEETS[parent].name(lang) for lang in LANGUAGES}
            for parent_id, items in by_parent.items():
                parent_row = self.rejected_ids[parent].get(parent_id)
                if parent_row is None and self.adopt(child_kind, parent_id, items):
                    continue
                rejected = parent_row is not None
                text = in_both_languages(
                    PARENT_REJECTED if rejected else NO_PARENT,
                    kind=(_PARENT_OF if rejected else _PARENT_NOUN)[parent],
                    id=parent_id,
                    sheet=sheet_name,
                    row=parent_row or 0,
                )
                for _, where, count in items:
                    self.finding(
                        "import.orphan-row",
                        text,
                        kind=parent,
                        record_id=parent_id,
                        value=parent_id,
                        position=SourcePosition(
                            where.file, where.sheet, where.row, self.link_headers.get(child_kind)
                        ),
                    )
                    count.records -= 1
                    count.rejected += 1
        self.children = {}
        for sheet_kind, pointers in self.headers_seen.items():
            sheet = SHEETS[sheet_kind]
            if sheet.parent is None:
                for pointer, header in pointers.items():
                    self.columns[(sheet_kind, pointer)] = header
                continue
            for index in range(self.most_items.get(sheet.parent, 0)):
                prefix = f"/{sheet.list_field}/{index}"
                for pointer, header in pointers.items():
                    self.columns[(sheet.parent, prefix + pointer)] = header


def _filled(cell: Any) -> bool:
    return cell is not None and cell != "" and (not isinstance(cell, str) or not cell.isspace())


def read_tables(
    tables: Iterable[Table],
    options: ImportOptions,
    *,
    header: Mapping[str, tuple[Any, SourcePosition]] | None = None,
    source: str,
    plugins: Sequence[tuple[str, str]] = (),
) -> ImportResult:
    """Turn the rows of ``tables`` into one submission, with findings and counts.

    Args:
        tables: the sheets or CSV files; nested-list tables may come in any order.
        options: region, period and submitter when the files do not say; the key
            that turns identity columns into ``subject_ref``.
        header: the "Dorëzimi" sheet's values by machine name (see
            :data:`~krat_core.importing.sheets.SUBMISSION_FIELDS`), with where each was read.
        source: the file name(s), for errors that concern the whole import.
        plugins: ``(name, version)`` of the importing plugin, for the generator.

    Every data row ends up either as a record (or an item of a record's list) or
    rejected with at least one finding; blank rows are counted apart. Raises
    :class:`~krat_core.errors.IdentityWithoutKey` when identity cells are
    filled and no key was given, and :class:`~krat_core.errors.ImportRefused`
    when the region or period cannot be known.
    """
    from krat_core.format.canonical import gc_paused

    reader = _Reader(options)
    given = list(tables)
    with gc_paused():  # rows and models are acyclic; see krat_core.format.canonical.gc_paused
        for table in sorted(given, key=lambda t: reading_order(t.spec.kind, t.spec.parent)):
            reader.read(table)
        reader.finish()
        reader.summarise()
    order = {id(t): i for i, t in enumerate(given)}
    counts = [c for c, t in sorted(reader.counts, key=lambda pair: order[id(pair[1])])]
    submission = build_submission(
        header or {},
        options,
        records=reader.records,
        findings=reader.findings,
        source=source,
        plugins=plugins,
    )
    lists = {RECORD_LISTS[kind]: records for kind, records in reader.records.items()}
    submission = submission.model_copy(update=lists)
    return ImportResult(
        submission=submission,
        findings=reader.findings,
        counts=counts,
        positions=reader.positions,
        columns=reader.columns,
    )
