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
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from krat_core.errors import ImportFailed
from krat_core.findings import Finding, Severity, SourcePosition
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


def _sheet_names(path: Path) -> list[str]:
    """Sheet names from ``xl/workbook.xml`` with the standard library only (cheap, no calamine)."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    return [_unescape(n) for n in re.findall(r"<(?:\w+:)?sheet\b[^>]*\bname=\"([^\"]*)\"", xml)]


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    )


def sniff_register(path: Path, head: bytes) -> bool:
    """An ``.xlsx`` workbook with a sheet called ``Regjistri i rasteve``."""
    if not head.startswith(b"PK\x03\x04") or path.suffix.lower() != ".xlsx":
        return False
    try:
        return any(fold(name) == fold(SHEET) for name in _sheet_names(path))
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
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
IN_COLUMN = Message(sq="{column}: {problem}", en="{column}: {problem}")


class CellError(ValueError):
    """A cell that cannot be read: its message in Albanian and English (``Message.both``)."""

    def __init__(self, texts: dict[str, str]) -> None:
        super().__init__(texts["en"])
        self.texts = texts


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


def _rows(path: Path) -> list[list[Any]]:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - a dependency of this package
        raise ImportFailed(
            "python-calamine is not installed: pip install python-calamine"
        ) from None
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = [n for n in workbook.sheet_names if fold(n) == fold(SHEET)]
        if not names:
            raise ImportFailed(
                f"no sheet called {SHEET!r}; is this the Durrës register?", source=path
            )
        rows: list[list[Any]] = workbook.get_sheet_by_name(names[0]).to_python(
            skip_empty_area=False
        )
    except ImportFailed:
        raise
    except Exception as exc:
        raise ImportFailed(f"cannot read the workbook: {exc}", source=path) from None
    return rows


def _header(rows: list[list[Any]], path: Path) -> tuple[int, dict[str, int]]:
    """Index of the header row and field -> column index; the header is found, not assumed."""
    wanted = {fold(header): field for field, header in COLUMNS.items()}
    for index, row in enumerate(rows[:20]):
        if any(fold(_text(c)) == fold(COLUMNS["nr"]) for c in row):
            found = {
                wanted[fold(_text(c))]: i for i, c in enumerate(row) if fold(_text(c)) in wanted
            }
            missing = [COLUMNS[f] for f in REQUIRED if f not in found]
            if missing:
                raise ImportFailed(
                    f"the register has no column {', '.join(repr(m) for m in missing)}", source=path
                )
            return index, found
    raise ImportFailed(
        f"no header row (with a {COLUMNS['nr']!r} column) in the first 20 rows", source=path
    )


def _period(rows: list[list[Any]], header_index: int, options: ImportOptions, path: Path) -> str:
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

    def bad(self, field: str, problem: dict[str, str], value: Any = None) -> None:
        """A finding about ``field``; ``problem`` is ``{"sq": ..., "en": ...}``."""
        column = COLUMNS[field]
        self.problems.append(
            Finding(
                code="durres.invalid-cell",
                severity=Severity.ERROR,
                message_en=IN_COLUMN.text("en", column=column, problem=problem["en"]),
                message_sq=IN_COLUMN.text("sq", column=column, problem=problem["sq"]),
                kind="case",
                pointer=POINTERS.get(field, ""),
                position=SourcePosition(self.file, SHEET, self.number, COLUMNS[field]),
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
            if personal:
                self.bad(field, CANNOT_BE_READ.both())
            else:
                self.bad(field, exc.texts, _text(raw))
            return None


def read_register(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
    """Read one or more Durrës register workbooks into one AL-02 submission.

    Raises:
        ImportFailed: a file is not a readable register, or the national key
            (needed to turn names into ``subject_ref``) was not given.
    """
    from krat_core import __version__ as krat_version
    from krat_core.format.models import (
        Case,
        ComponentVersion,
        Generator,
        Institution,
        Referral,
        Submission,
        SubmittedBy,
    )
    from krat_core.format.pseudonym import subject_ref
    from pydantic import ValidationError

    from krat_durres_register import __version__

    if options.region not in (None, REGION):
        raise ImportFailed(f"the Durrës register is for region {REGION}, not {options.region}")
    cases: list[Any] = []
    findings: list[Finding] = []
    counts: list[SheetCount] = []
    positions: dict[tuple[str, str], SourcePosition] = {}
    institutions: dict[str, Any] = {}
    period = options.period
    seen: dict[str, SourcePosition] = {}

    for path in (Path(p) for p in paths):
        _check_limits(path, options)
        rows = _rows(path)
        header_index, columns = _header(rows, path)
        period = period or _period(rows, header_index, options, path)
        if options.key is None:
            raise ImportFailed(
                "the register holds names; give the national key (krat import --key national.key) "
                "so they become subject_ref",
                source=path,
            )
        count = SheetCount(file=path.name, sheet=SHEET, kind="case")
        counts.append(count)
        data_rows = rows[header_index + 1 :]
        if len(data_rows) > options.limits.max_rows:
            raise ImportFailed(f"more than {options.limits.max_rows} rows", source=path)
        for offset, row in enumerate(data_rows):
            excel_row = header_index + 2 + offset

            if all(_text(c) == "" for c in row):
                count.blank += 1
                continue
            count.rows_read += 1
            r = _Row(path.name, excel_row, row, columns)
            problems = r.problems
            cell, bad, parse = r.cell, r.bad, r.parse

            nr = parse("nr", _whole)
            identified_on = parse("identified_on", _date)
            given = _text(cell("given_name")) or None
            family = _text(cell("family_name")) or None
            for field, value in (("given_name", given), ("family_name", family)):
                if value is None:
                    bad(field, "is empty", "është bosh")
            birth = parse("birth_date", _date, personal=True)
            sex = parse("sex", lambda v: _code(Sex, v))
            age = parse("age", _whole)
            status = parse("status", lambda v: _code(CaseStatus, v))
            source = parse("source", lambda v: _code(IdentificationSource, v))
            institution = parse("institution", lambda v: _code(InstitutionType, v))
            referred_on = parse("referred_on", _date)
            scope = parse("scope", _scope)
            country = parse("country", lambda v: _text(v).upper())
            exploitation = []
            for part in _text(cell("exploitation")).split(","):
                if part.strip():
                    try:
                        exploitation.append(_code(ExploitationType, part))
                    except CellError as exc:
                        bad("exploitation", exc.en, exc.sq, part.strip())
            if age is None and birth is not None and identified_on is not None:
                age = (
                    identified_on.year
                    - birth.year
                    - ((identified_on.month, identified_on.day) < (birth.month, birth.day))
                )
            if age is None and not problems:
                bad(
                    "age",
                    "is empty and there is no date of birth",
                    "është bosh dhe nuk ka datëlindje",
                )
            row_position = SourcePosition(path.name, SHEET, excel_row, None)
            case_id = f"{REGION}-C-{period}-{nr:04d}" if nr is not None and period else None
            if case_id is not None and case_id in seen:
                bad(
                    "nr",
                    f"number {nr} is used twice (first in row {seen[case_id].row})",
                    f"numri {nr} është përdorur dy herë (herë e parë: rreshti {seen[case_id].row})",
                    nr,
                )
            if not problems and case_id is not None:
                identified_by = None
                if institution is not None:
                    identified_by = _institution_id(institution)
                    institutions.setdefault(
                        identified_by,
                        Institution(
                            id=identified_by, name=f"{institution.sq}, Durrës", type=institution
                        ),
                    )
                scope = scope or TraffickingScope.UNKNOWN
                try:
                    case = Case(
                        id=case_id,
                        subject_ref=subject_ref(
                            options.key, given or "", family or "", birth, sex.value
                        ),
                        status=status,
                        identified_on=identified_on,
                        identified_by=identified_by,
                        identification_source=source,
                        sex=sex,
                        age_at_identification=age,
                        minor=age is not None and age < 18,
                        exploitation_types=exploitation,
                        scope=scope,
                        countries_of_exploitation=[country]
                        if country
                        else (["AL"] if scope is TraffickingScope.INTERNAL else []),
                        referral=Referral(referred_on=referred_on) if referred_on else None,
                        stage=CaseStage.REFERRED if referred_on else CaseStage.IDENTIFIED,
                        extensions={EXTENSION: {"nr": nr}},
                    )
                except ValidationError as exc:
                    by_pointer = {p: f for f, p in POINTERS.items()}
                    for error in exc.errors(include_url=False, include_input=False):
                        loc = "/" + "/".join(str(x) for x in error["loc"][:1])
                        field = by_pointer.get(loc, "nr")
                        bad(field, error["msg"], f"vlerë e pavlefshme: {error['msg']}")
                else:
                    cases.append(case)
                    seen[case.id] = row_position
                    positions[("case", case.id)] = row_position
                    count.records += 1
                    continue
            findings.extend(problems)
            count.rejected += 1

    if period is None:  # pragma: no cover - no paths
        raise ImportFailed("no register files given")
    submission = Submission(
        region=REGION,
        period=period,
        submitted_at=datetime.now(UTC).replace(microsecond=0),
        submitted_by=SubmittedBy(institution=options.submitted_by or "Prefektura e Qarkut Durrës"),
        generator=Generator(
            version=krat_version,
            plugins=[ComponentVersion(name="krat-durres-register", version=__version__)],
        ),
        institutions=sorted(institutions.values(), key=lambda i: i.id),
        cases=cases,
    )
    return ImportResult(
        submission=submission,
        findings=findings,
        counts=counts,
        positions=positions,
        columns={("case", pointer): COLUMNS[field] for field, pointer in POINTERS.items()},
    )


IMPORTER = Importer(
    name="durres-register",
    suffixes=(".xlsx",),
    read=read_register,
    sniff=sniff_register,
    title="Regjistri i rasteve i Tryezës Teknike Antitrafik Durrës (Durrës case register)",
)
