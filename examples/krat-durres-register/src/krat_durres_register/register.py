"""The importer of the Durrës case register ("Regjistri i rasteve").

The Durrës technical table keeps one workbook per year with one sheet,
``Regjistri i rasteve``: a title row (``Regjistri i rasteve 2024``), a blank row,
the header row, then one row per person identified. Its columns (in any order;
headers matched without regard to case, accents or spacing):

=============================  ========  ===============================================
header                         required  becomes
=============================  ========  ===============================================
Nr.                            yes       case id ``AL-02-C-<year>-<Nr.>``
Data e identifikimit           yes       ``identified_on``
Emri, Mbiemri                  yes       with Datëlindja and Gjinia: ``subject_ref``
Datëlindja                     no        (never leaves the importer)
Gjinia                         yes       ``sex`` (F, M, femër, mashkull...)
Mosha                          no        ``age_at_identification``, ``minor``
Statusi (VT/VMT)               yes       ``status``
Lloji i shfrytëzimit           no        ``exploitation_types`` (comma-separated)
Burimi i identifikimit         yes       ``identification_source``
Institucioni identifikues      no        ``identified_by`` (an institution type)
Data e referimit               no        ``referral.referred_on``
Brenda/jashtë vendit           no        ``scope``
Vendi i shfrytëzimit           no        ``countries_of_exploitation`` (ISO code)
Shënime                        no        ignored: free text about a person never leaves
=============================  ========  ===============================================

Names and dates of birth are turned into ``subject_ref`` with the national key
(``krat import --key``) and dropped. A row with a bad cell becomes a finding at
its file, sheet, row and column and is not imported; the others are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from krat_core.errors import ImportFailed
from krat_core.findings import Finding, SourcePosition
from krat_core.format.codelists import (
    CaseStage,
    CaseStatus,
    ExploitationType,
    IdentificationSource,
    InstitutionType,
    Sex,
    TraffickingScope,
    fold,
)
from krat_core.importing.kit import (
    build_record,
    cell_finding,
    find_header_row,
    read_sheet,
    sheet_names,
)
from krat_core.messages import Message
from krat_core.plugins.descriptors import Importer, ImportOptions, ImportResult, SheetCount

__all__ = ["COLUMNS", "IMPORTER", "REGION", "SHEET", "read_register", "sniff_register"]

REGION = "AL-02"
SHEET = "Regjistri i rasteve"
EXTENSION = "durres.register"
"""Namespace of the register's own fields kept on each case (its row number ``nr``)."""

COLUMNS: dict[str, str] = {
    "nr": "Nr.",
    "identified_on": "Data e identifikimit",
    "given_name": "Emri",
    "family_name": "Mbiemri",
    "birth_date": "Datëlindja",
    "sex": "Gjinia",
    "age": "Mosha",
    "status": "Statusi (VT/VMT)",
    "exploitation": "Lloji i shfrytëzimit",
    "source": "Burimi i identifikimit",
    "institution": "Institucioni identifikues",
    "referred_on": "Data e referimit",
    "scope": "Brenda/jashtë vendit",
    "country": "Vendi i shfrytëzimit",
    "notes": "Shënime",
}
"""Field -> header, in the register's own column order."""

REQUIRED = ("nr", "identified_on", "given_name", "family_name", "sex", "status", "source")

POINTERS: dict[str, str] = {
    "identified_on": "/identified_on",
    "sex": "/sex",
    "age": "/age_at_identification",
    "status": "/status",
    "exploitation": "/exploitation_types",
    "source": "/identification_source",
    "institution": "/identified_by",
    "referred_on": "/referral/referred_on",
    "scope": "/scope",
    "country": "/countries_of_exploitation",
}
"""Field -> JSON pointer in the case, so validation findings point at the right cell."""

_SCOPES = {
    "brenda vendit": TraffickingScope.INTERNAL,
    "jashte vendit": TraffickingScope.TRANSNATIONAL,
}
_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_YEAR = re.compile(r"\b(20\d\d)\b")


# --------------------------------------------------------------------------- recognising


def sniff_register(path: Path, head: bytes) -> bool:
    """An ``.xlsx`` workbook with a sheet called ``Regjistri i rasteve``."""
    if not head.startswith(b"PK\x03\x04") or path.suffix.lower() != ".xlsx":
        return False
    try:
        return any(fold(name) == fold(SHEET) for name in sheet_names(path))
    except ImportFailed:
        return False


# --------------------------------------------------------------------------- cells


NOT_A_DATE = Message(
    sq="{text!r} nuk është datë (shkruani 15.03.2024)",
    en="{text!r} is not a date (write 15.03.2024)",
)
NOT_A_WHOLE_NUMBER = Message(
    sq="{text!r} nuk është numër i plotë", en="{text!r} is not a whole number"
)
NOT_A_KNOWN_VALUE = Message(
    sq="{text!r} nuk është vlerë e njohur (p.sh. {examples})",
    en="{text!r} is not a known value (e.g. {examples})",
)
IS_EMPTY = Message(sq="është bosh", en="is empty")
CANNOT_BE_READ = Message(sq="nuk lexohet", en="cannot be read")
NO_AGE = Message(sq="është bosh dhe nuk ka datëlindje", en="is empty and there is no date of birth")
NUMBER_TWICE = Message(
    sq="numri {nr} është përdorur dy herë (herë e parë: rreshti {row})",
    en="number {nr} is used twice (first in row {row})",
)


class CellError(ValueError):
    """A cell that cannot be read: its message in Albanian and English (``Message.both``)."""

    def __init__(self, texts: Mapping[Any, str]) -> None:
        super().__init__(texts["en"])
        self.texts = dict(texts)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    match = _DATE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise CellError(NOT_A_DATE.both(text=text)) from None


def _whole(value: Any) -> int:
    text = _text(value)
    if not (text.isascii() and text.isdigit()):  # '²' and '٣' are digits to str.isdigit
        raise CellError(NOT_A_WHOLE_NUMBER.both(text=text))
    return int(text)


def _code(code_list: Any, value: Any) -> Any:
    member = code_list.parse(_text(value))
    if member is None:
        examples = ", ".join(m.sq for m in list(code_list)[:3])
        raise CellError(NOT_A_KNOWN_VALUE.both(text=_text(value), examples=examples))
    return member


def _scope(value: Any) -> TraffickingScope:
    found = _SCOPES.get(fold(_text(value)))
    return found if found is not None else _code(TraffickingScope, value)


def _institution_id(kind: InstitutionType) -> str:
    return f"{REGION}-I-{list(InstitutionType).index(kind) + 1:04d}"


# --------------------------------------------------------------------------- reading


def _check_limits(path: Path, options: ImportOptions) -> None:
    """KRAT's own guards for hostile workbooks: size, zip bombs, XML entities, huge sheets."""
    from krat_core.importing import check_file, check_workbook_zip

    check_file(path, options.limits)
    check_workbook_zip(path, options.limits)


def _period(rows: list[list[Any]], header_index: int, options: ImportOptions, path: Path) -> str:
    """The period: given on the command line, else the year in the title above the header."""
    if options.period:
        return options.period
    for row in rows[:header_index]:
        for cell in row:
            match = _YEAR.search(_text(cell))
            if match:
                return match.group(1)
    raise ImportFailed(
        "the title does not say the year; give the period (--period 2024)", source=path
    )


def _require_key(options: ImportOptions, path: Path) -> None:
    """Names never leave the importer: without the national key the file is refused."""
    if options.key is None:
        raise ImportFailed(
            "the register holds names; give the national key (krat import --key national.key) "
            "so they become subject_ref",
            source=path,
        )


class _Row:
    """One data row: its cells by field, and the findings made while reading it."""

    def __init__(self, file: str, number: int, cells: list[Any], columns: dict[str, int]) -> None:
        self.file = file
        self.number = number
        self.cells = cells
        self.columns = columns
        self.problems: list[Finding] = []

    def cell(self, field: str) -> Any:
        index = self.columns.get(field)
        return self.cells[index] if index is not None and index < len(self.cells) else ""

    def bad(self, field: str, problem: Mapping[Any, str], value: Any = None) -> None:
        """A finding about ``field``'s cell; ``problem`` is ``{"sq": ..., "en": ...}``."""
        self.problems.append(
            cell_finding(
                "durres.invalid-cell",
                problem,
                file=self.file,
                sheet=SHEET,
                row=self.number,
                column=COLUMNS[field],
                kind="case",
                pointer=POINTERS.get(field, ""),
                value=value,
            )
        )

    def parse(self, field: str, parser: Any, *, personal: bool = False) -> Any:
        """The parsed cell, or None (empty, or bad: then a finding, with no personal value)."""
        raw = self.cell(field)
        if _text(raw) == "":
            if field in REQUIRED:
                self.bad(field, IS_EMPTY.both())
            return None
        try:
            return parser(raw)
        except CellError as exc:
            if personal:  # never echo a name or a date of birth
                self.bad(field, CANNOT_BE_READ.both())
            else:
                self.bad(field, exc.texts, _text(raw))
            return None


@dataclass
class _Reading:
    """What one import has read so far, over all its files."""

    options: ImportOptions
    period: str | None = None
    cases: list[Any] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    counts: list[SheetCount] = field(default_factory=list)
    positions: dict[tuple[str, str], SourcePosition] = field(default_factory=dict)
    institutions: dict[str, Any] = field(default_factory=dict)

    def keep(self, case: Any, row: _Row) -> None:
        """Add a case read from ``row``, remembering where it came from."""
        self.cases.append(case)
        self.positions[("case", case.id)] = SourcePosition(row.file, SHEET, row.number, None)


def read_register(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
    """Read one or more Durrës register workbooks into one AL-02 submission.

    Raises:
        ImportFailed: a file is not a readable register, or the national key
            (needed to turn names into ``subject_ref``) was not given.
    """
    if options.region not in (None, REGION):
        raise ImportFailed(f"the Durrës register is for region {REGION}, not {options.region}")
    reading = _Reading(options)
    for path in (Path(p) for p in paths):
        _read_file(path, reading)
    return _result(reading)


def _read_file(path: Path, reading: _Reading) -> None:
    """Every data row of one register: a case, or a rejected row with its findings."""
    options = reading.options
    _check_limits(path, options)
    rows = read_sheet(path, SHEET)
    header_index, columns = find_header_row(rows, COLUMNS, required=REQUIRED, source=path)
    reading.period = reading.period or _period(rows, header_index, options, path)
    _require_key(options, path)
    count = SheetCount(file=path.name, sheet=SHEET, kind="case")
    reading.counts.append(count)
    data_rows = rows[header_index + 1 :]
    if len(data_rows) > options.limits.max_rows:
        raise ImportFailed(f"more than {options.limits.max_rows} rows", source=path)
    for offset, cells in enumerate(data_rows):
        if all(_text(c) == "" for c in cells):
            count.blank += 1
            continue
        count.rows_read += 1
        row = _Row(path.name, header_index + 2 + offset, cells, columns)
        case = _case_from_row(row, reading)
        if case is None:
            reading.findings.extend(row.problems)
            count.rejected += 1
        else:
            reading.keep(case, row)
            count.records += 1


def _case_from_row(row: _Row, reading: _Reading) -> Any:
    """The case a row describes, or None (the row's findings say why)."""
    values = _parse_cells(row)
    _fill_age(row, values)
    case_id = _case_id(row, values, reading)
    if row.problems or case_id is None:
        return None
    case, problems = build_record(_case_model(), _case_data(case_id, values, reading))
    for problem in problems:  # what the model refused, at the column it came from
        top = "/" + problem["pointer"].split("/")[1]
        row.bad(_FIELD_OF.get(top, "nr"), {"en": problem["en"], "sq": problem["sq"]})
    return case


_FIELD_OF = {pointer: name for name, pointer in POINTERS.items()}


def _case_model() -> Any:
    from krat_core.format.models import Case  # pydantic: imported when a register is read

    return Case


def _parse_cells(row: _Row) -> dict[str, Any]:
    """Each cell parsed (a finding for each bad one); names and birth date stay personal."""
    return {
        "nr": row.parse("nr", _whole),
        "identified_on": row.parse("identified_on", _date),
        "given_name": row.parse("given_name", _text, personal=True),
        "family_name": row.parse("family_name", _text, personal=True),
        "birth": row.parse("birth_date", _date, personal=True),
        "sex": row.parse("sex", lambda v: _code(Sex, v)),
        "age": row.parse("age", _whole),
        "status": row.parse("status", lambda v: _code(CaseStatus, v)),
        "source": row.parse("source", lambda v: _code(IdentificationSource, v)),
        "institution": row.parse("institution", lambda v: _code(InstitutionType, v)),
        "referred_on": row.parse("referred_on", _date),
        "scope": row.parse("scope", _scope),
        "country": row.parse("country", lambda v: _text(v).upper()),
        "exploitation": _exploitation(row),
    }


def _exploitation(row: _Row) -> list[ExploitationType]:
    """The comma-separated exploitation types (a finding for each unknown one)."""
    found = []
    for part in _text(row.cell("exploitation")).split(","):
        if part.strip():
            try:
                found.append(_code(ExploitationType, part))
            except CellError as exc:
                row.bad("exploitation", exc.texts, part.strip())
    return found


def _fill_age(row: _Row, values: dict[str, Any]) -> None:
    """An empty age follows from the date of birth; with neither, the row is refused."""
    birth, identified = values["birth"], values["identified_on"]
    if values["age"] is None and birth is not None and identified is not None:
        values["age"] = (
            identified.year
            - birth.year
            - ((identified.month, identified.day) < (birth.month, birth.day))
        )
    if values["age"] is None and not row.problems:
        row.bad("age", NO_AGE.both())


def _case_id(row: _Row, values: dict[str, Any], reading: _Reading) -> str | None:
    """``AL-02-C-<year>-<Nr.>``; a number used twice is a finding naming the first row."""
    nr = values["nr"]
    if nr is None or not reading.period:
        return None
    case_id = f"{REGION}-C-{reading.period}-{nr:04d}"
    first = reading.positions.get(("case", case_id))
    if first is not None:
        row.bad("nr", NUMBER_TWICE.both(nr=nr, row=first.row), nr)
    return case_id


def _case_data(case_id: str, values: dict[str, Any], reading: _Reading) -> dict[str, Any]:
    """The fields of the case (models are strict: code-list members, dates, lists)."""
    from krat_core.format.pseudonym import subject_ref

    key = reading.options.key
    assert key is not None  # _require_key
    sex = values["sex"]
    scope = values["scope"] or TraffickingScope.UNKNOWN
    referred_on = values["referred_on"]
    country = values["country"]
    return {
        "id": case_id,
        "subject_ref": subject_ref(
            key, values["given_name"] or "", values["family_name"] or "", values["birth"], sex.value
        ),
        "status": values["status"],
        "identified_on": values["identified_on"],
        "identified_by": _identifying_institution(values["institution"], reading),
        "identification_source": values["source"],
        "sex": sex,
        "age_at_identification": values["age"],
        "minor": values["age"] is not None and values["age"] < 18,
        "exploitation_types": values["exploitation"],
        "scope": scope,
        "countries_of_exploitation": [country]
        if country
        else (["AL"] if scope is TraffickingScope.INTERNAL else []),
        "referral": {"referred_on": referred_on} if referred_on else None,
        "stage": CaseStage.REFERRED if referred_on else CaseStage.IDENTIFIED,
        "extensions": {EXTENSION: {"nr": values["nr"]}},
    }


def _identifying_institution(kind: InstitutionType | None, reading: _Reading) -> str | None:
    """The id of the institution of that type (added to the submission once)."""
    if kind is None:
        return None
    institution_id = _institution_id(kind)
    reading.institutions.setdefault(
        institution_id,
        {"id": institution_id, "name": f"{kind.sq}, Durrës", "type": kind},
    )
    return institution_id


def _result(reading: _Reading) -> ImportResult:
    """The submission, with this plugin named in ``generator.plugins``, and the findings."""
    from krat_core import __version__ as krat_version
    from krat_core.format.models import Submission

    from krat_durres_register import __version__

    if reading.period is None:  # pragma: no cover - no paths
        raise ImportFailed("no register files given")
    submission = Submission.model_validate(
        {
            "region": REGION,
            "period": reading.period,
            "submitted_at": datetime.now(UTC).replace(microsecond=0),
            "submitted_by": {
                "institution": reading.options.submitted_by or "Prefektura e Qarkut Durrës"
            },
            "generator": {
                "version": krat_version,
                "plugins": [{"name": "krat-durres-register", "version": __version__}],
            },
            "institutions": sorted(reading.institutions.values(), key=lambda i: i["id"]),
            "cases": reading.cases,
        }
    )
    return ImportResult(
        submission=submission,
        findings=reading.findings,
        counts=reading.counts,
        positions=reading.positions,
        columns={("case", pointer): COLUMNS[f] for f, pointer in POINTERS.items()},
    )


IMPORTER = Importer(
    name="durres-register",
    suffixes=(".xlsx",),
    read=read_register,
    sniff=sniff_register,
    title="Regjistri i rasteve i Tryezës Teknike Antitrafik Durrës (Durrës case register)",
)
