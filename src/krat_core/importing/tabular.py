"""The one mapping between records and flat rows (workbook sheets, CSV files).

Every tabular reader and writer goes through this module: the official Excel
template (``krat template``), the XLSX and CSV importers, and the record sheets
of the CSV and XLSX report exporters. Change a column here and all of them follow.

Layout
    One :class:`Sheet` per record kind (``institution``, ``case``, ``activity``,
    ``objective``) and one per nested list (``assistance`` rows linked to their
    case by ``case_id``, ``indicator`` rows linked to their objective by
    ``objective_id``). Nested single objects are flattened into the record's row
    with dotted machine names (``referral.referred_on``, ``participants.total``).
    :data:`SHEETS` lists them in writing order; :data:`SUBMISSION_FIELDS` are the
    header fields of the "Dorëzimi"/"Submission" sheet.

Columns
    A :class:`Column` has a machine name (``identified_on``), an Albanian and an
    English header (``Data e identifikimit`` / ``Date of identification``), a
    value type, and knows how to write a value to a cell (:meth:`Column.to_cell`
    for workbooks, :meth:`Column.to_text` for CSV) and how to parse a cell
    (:meth:`Column.parse`). Readers accept any of the three names as a header,
    case- and accent-insensitively (:meth:`Sheet.match_headers`).

Reading
    :func:`read_tables` turns rows of any number of sheets/files into one
    :class:`~krat_core.plugins.descriptors.ImportResult`: every row becomes a record or
    at least one finding with file, sheet, row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

import orjson
from pydantic import ValidationError

from krat_core import __version__
from krat_core.findings import Finding, Severity, SourcePosition
from krat_core.format.codelists import (
    ActivityStatus,
    ActivityType,
    AssistanceType,
    CaseStage,
    CaseStatus,
    ClosingReason,
    CodeList,
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
    fold,
)
from krat_core.format.models import (
    RECORD_LISTS,
    Assistance,
    Generator,
    Indicator,
    KratModel,
    Record,
    Submission,
    SubmittedBy,
)
from krat_core.format.models import RECORD_TYPES as _RECORD_TYPES
from krat_core.format.regions import REGIONS
from krat_core.importing.files import (
    CellProblem,
    IdentityWithoutKey,
    ImportRefused,
    parse_bool,
    parse_code,
    parse_country,
    parse_date,
    parse_float,
    parse_id,
    parse_int,
    parse_text,
    split_multi,
)
from krat_core.plugins.descriptors import ImportOptions, ImportResult, SheetCount
from krat_core.safety import FORMULA_PREFIXES, neutralise

__all__ = [
    "INSTRUCTIONS_SHEET",
    "LISTS_SHEET",
    "SHEETS",
    "SUBMISSION_FIELDS",
    "SUBMISSION_SHEET",
    "Column",
    "HeaderField",
    "Sheet",
    "SheetName",
    "Table",
    "ValueType",
    "bool_label",
    "find_sheet",
    "ooxml_escape",
    "read_tables",
    "record_rows",
    "submission_values",
    "text_cell",
]

Lang = Literal["sq", "en"]

ValueType = Literal[
    "text",
    "id",
    "ids",
    "code",
    "codes",
    "country",
    "countries",
    "date",
    "bool",
    "int",
    "float",
    "json",
    "datetime",
]
"""How a column's cells are read and written.

``text`` free text (kept exactly); ``id``/``ids`` record ids (spaces removed,
upper case); ``code``/``codes`` a code list value by code, Albanian or English
label; ``country``/``countries`` ISO 3166-1 alpha-2; ``date``; ``bool`` po/jo;
``int``; ``float``; ``json`` an ``extensions`` object; ``datetime`` ISO 8601 with
time zone. Plural types hold several values separated by ``;``.
"""

_MULTI = frozenset({"ids", "codes", "countries"})


# --------------------------------------------------------------------------- writing helpers

_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def ooxml_escape(text: str) -> str:
    """Escape what an XML cell cannot hold, the way Excel does (``\\x01`` -> ``_x0001_``).

    A literal ``_xHHHH_`` in the text is protected as ``_x005F_xHHHH_``, so
    readers that decode the escapes (Excel, calamine) give the text back exactly.
    """
    text = _OOXML_ESCAPE.sub(r"_x005F_\1", text)
    return _XML_ILLEGAL.sub(lambda m: f"_x{ord(m[0]):04X}_", text)


def text_cell(text: str, *, xlsx: bool = False) -> str:
    """A text value as written to a spreadsheet or CSV cell, safe and reversible.

    Text that starts like a formula goes through :func:`krat_core.safety.neutralise`
    (a ``'`` in front); text that already starts with ``'`` before a formula
    character gets one more, so :func:`krat_core.importing.files.parse_text` can undo
    exactly one. With ``xlsx=True`` characters XML cannot hold are escaped
    (:func:`ooxml_escape`).
    """
    out = neutralise(text)
    if out == text and text.startswith("'") and text.lstrip("'").startswith(FORMULA_PREFIXES):
        out = "'" + text
    return ooxml_escape(out) if xlsx else out


_BOOL_LABELS = {"sq": ("po", "jo"), "en": ("yes", "no")}


def bool_label(value: bool, lang: str = "sq") -> str:
    """``po``/``jo`` in Albanian, ``yes``/``no`` in English."""
    yes, no = _BOOL_LABELS["en" if lang == "en" else "sq"]
    return yes if value else no


def _display(cell: Any) -> str:
    """A cell as a person would read it in a message."""
    if isinstance(cell, datetime):
        return cell.strftime("%d.%m.%Y %H:%M") if cell.time() else cell.strftime("%d.%m.%Y")
    if isinstance(cell, date):
        return cell.strftime("%d.%m.%Y")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet: its names, its value type, and how cells map to values.

    ``name`` is the machine name: the model field, dotted for a flattened
    nested object (``referral.referred_on``), or the link to the parent record
    (``case_id``) in a nested sheet, or an identity attribute (``given_name``)
    that is turned into ``subject_ref`` and never stored.
    """

    name: str
    sq: str
    en: str
    value_type: ValueType
    code_list: type[CodeList] | None = None
    required: bool = False
    """Must be filled in every row (for a flattened object: whenever the object is there)."""
    identity: bool = False
    """Personal data used only to compute ``subject_ref``; never stored, never echoed."""
    ref: str | None = None
    """For id columns: the record kind the id points at (drop-down lists in the template)."""
    aliases: tuple[str, ...] = ()
    """Other headers people use for this column (matched accent- and case-insensitively)."""
    help_en: str = ""
    help_sq: str = ""
    example: str = ""
    width: int = 16

    @property
    def multi(self) -> bool:
        """Whether a cell holds several values separated by ``;``."""
        return self.value_type in _MULTI

    @property
    def pointer(self) -> str:
        """JSON pointer of the field inside its record (``/referral/referred_on``)."""
        return "/" + self.name.replace(".", "/")

    def header(self, lang: str = "sq") -> str:
        """The column header in ``lang``."""
        return self.sq if lang == "sq" else self.en

    # ---- writing

    def to_cell(
        self, value: Any, lang: str = "sq", *, codes: Literal["label", "code"] = "label"
    ) -> Any:
        """The value as a workbook cell: text, number, ``date`` or None.

        Code list values become their label in ``lang`` (or the machine code),
        booleans po/jo (yes/no), lists one text joined by ``"; "``; text is made
        safe with :func:`text_cell`.
        """
        if value is None:
            return None
        kind = self.value_type
        if kind == "text":
            return text_cell(value, xlsx=True)
        if kind == "float" and float(f"{value:.16g}") != value:
            # Spreadsheet writers keep 16 significant digits; the rare value that needs
            # 17 is written as text, which the reader parses back exactly.
            return text_cell(repr(value), xlsx=True)
        if kind in ("date", "int", "float"):
            return value
        return self._common(value, lang, codes, xlsx=True)

    def to_text(
        self,
        value: Any,
        lang: str = "sq",
        *,
        codes: Literal["label", "code"] = "label",
        dates: Literal["iso", "local"] = "iso",
    ) -> str:
        """The value as CSV text (empty for None).

        Dates are ``2019-02-13`` (``dates="iso"``) or ``13.02.2019`` (``"local"``);
        numbers in Python's shortest exact form; the rest as :meth:`to_cell`.
        """
        if value is None:
            return ""
        kind = self.value_type
        if kind == "text":
            return text_cell(value)
        if kind == "date":
            day: date = value
            return day.isoformat() if dates == "iso" else day.strftime("%d.%m.%Y")
        if kind in ("int", "float"):
            return repr(value)
        result: str = self._common(value, lang, codes, xlsx=False)
        return result

    def _common(self, value: Any, lang: str, codes: str, *, xlsx: bool) -> Any:
        kind = self.value_type
        if kind == "code":
            return value.label(lang) if codes == "label" else value.value
        if kind == "codes":
            if not value:
                return None if xlsx else ""
            return "; ".join(v.label(lang) if codes == "label" else v.value for v in value)
        if kind in ("ids", "countries"):
            return "; ".join(value) if value else (None if xlsx else "")
        if kind == "bool":
            return bool_label(value, lang)
        if kind == "json":
            if not value:
                return None if xlsx else ""
            return text_cell(orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode(), xlsx=xlsx)
        if kind == "datetime":
            return value.isoformat()
        return str(value)

    # ---- reading

    def parse(self, cell: Any) -> Any:
        """The value of ``cell`` for this column; None (or ``[]``) for an empty cell.

        Raises :class:`~krat_core.importing.files.CellProblem` with a stable code and
        what was expected, in English and Albanian.
        """
        if cell is None or cell == "":
            return [] if self.multi else None
        return self.cell_parser()(cell)

    def cell_parser(self) -> Callable[[Any], Any]:
        """A function parsing a cell that is neither None nor ``""`` (what readers loop over).

        White space alone counts as empty, except in free text where it is kept.
        """
        kind = self.value_type
        if kind == "text":
            return parse_text
        if kind in _MULTI:
            # The list is shared between equal cells: the models copy lists they validate.
            item = self._item
            return _Memo(lambda cell: [item(v) for v in split_multi(cell)])
        if kind == "code":
            code_list = self.code_list
            assert code_list is not None
            return _Memo(_blank_tolerant(lambda cell: parse_code(cell, code_list)))
        parse = _blank_tolerant(
            {
                "date": parse_date, "id": parse_id, "int": _parse_whole, "float": parse_float,
                "bool": parse_bool, "country": parse_country, "json": _parse_json,
                "datetime": _parse_datetime,
            }[kind]
        )
        repeats = kind in ("bool", "country") or (kind == "id" and self.ref is not None)
        return _Memo(parse) if repeats else parse

    def _item(self, item: Any) -> Any:
        try:
            if self.value_type == "codes":
                assert self.code_list is not None
                return parse_code(item, self.code_list)
            if self.value_type == "countries":
                return parse_country(item)
            return parse_id(item)
        except CellProblem as problem:
            raise CellProblem(
                problem.code,
                f"{problem.expected_en} (not {_display(item)!r}), several separated by ';'",
                f"{problem.expected_sq} (jo {_display(item)!r}), disa të ndara me ';'",
            ) from None


class _Memo:
    """A cell parser remembering up to 4096 cells: typed codes repeat row after row.

    Only successful results are kept (a problem is raised again each time);
    ``copy`` hands out a fresh list each time for multi-valued cells. Readers
    may look in ``cache`` themselves before calling.
    """

    __slots__ = ("cache", "copy", "parse")

    def __init__(self, parse: Callable[[Any], Any], *, copy: bool = False) -> None:
        self.parse = parse
        self.copy = copy
        self.cache: dict[Any, Any] = {}

    def __call__(self, cell: Any) -> Any:
        try:
            value = self.cache[cell]
        except KeyError:
            value = self.parse(cell)
            if len(self.cache) < 4096:
                self.cache[cell] = value
        except TypeError:  # not hashable
            return self.parse(cell)
        return list(value) if self.copy else value


_MISS = object()


def _parse_whole(cell: Any) -> int:
    """:func:`~krat_core.importing.files.parse_int`, with the number cells of workbooks first."""
    if cell.__class__ is float and cell.is_integer():
        return int(cell)
    return parse_int(cell)


_EXACT: dict[str, type] = {"date": date, "float": float}
"""Value types whose cells readers may take as they are when they already have that class."""


def _blank_tolerant(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``parse``, but a cell of white space alone is empty (checked only when ``parse`` fails)."""

    def tolerant(cell: Any) -> Any:
        try:
            return parse(cell)
        except CellProblem:
            if isinstance(cell, str) and cell.isspace():
                return None
            raise

    return tolerant


def _parse_json(cell: Any) -> dict[str, Any]:
    expected = (
        "import.bad-json",
        'a JSON object such as {"al-02": {"note": "..."}}',
        'një objekt JSON si {"al-02": {"note": "..."}}',
    )
    if not isinstance(cell, str):
        raise CellProblem(*expected)
    try:
        data = orjson.loads(parse_text(cell.strip()))
    except orjson.JSONDecodeError:
        raise CellProblem(*expected) from None
    if not isinstance(data, dict):
        raise CellProblem(*expected)
    return data


def _parse_datetime(cell: Any) -> datetime:
    if isinstance(cell, datetime):
        return cell if cell.tzinfo else cell.replace(tzinfo=UTC)
    if isinstance(cell, date):
        return datetime(cell.year, cell.month, cell.day, tzinfo=UTC)
    if isinstance(cell, str):
        try:
            value = datetime.fromisoformat(cell.strip())
        except ValueError:
            try:
                day = parse_date(cell)
            except CellProblem:
                day = None
            if day is None:
                raise CellProblem(
                    "import.bad-date",
                    "a date (13.02.2019) or a timestamp such as 2019-02-13T10:00:00+01:00",
                    "një datë (13.02.2019) ose kohë si 2019-02-13T10:00:00+01:00",
                ) from None
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    raise CellProblem(
        "import.bad-date",
        "a date (13.02.2019) or a timestamp such as 2019-02-13T10:00:00+01:00",
        "një datë (13.02.2019) ose kohë si 2019-02-13T10:00:00+01:00",
    )


def _c(name: str, sq: str, en: str, value_type: ValueType, **kw: Any) -> Column:
    return Column(name, sq, en, value_type, **kw)


_EXT = _c(
    "extensions",
    "Të dhëna shtesë (JSON)",
    "Extensions (JSON)",
    "json",
    width=24,
    help_en="Fields the national format does not have, as a JSON object by namespace; "
    "usually left empty.",
    help_sq="Fusha që formati kombëtar nuk i ka, si objekt JSON sipas hapësirës; "
    "zakonisht lihet bosh.",
    example='{"al-02": {"nr_regjistri": "12"}}',
)


def _inst_ref(name: str, sq: str, en: str, *, multi: bool = False, **kw: Any) -> Column:
    return _c(
        name,
        sq,
        en,
        "ids" if multi else "id",
        ref="institution",
        width=18,
        help_en=kw.pop("help_en", "Institution id from the Institutions sheet")
        + ("; several separated by ';'" if multi else ""),
        help_sq=kw.pop("help_sq", "Kodi i institucionit nga fleta Institucionet")
        + ("; disa të ndarë me ';'" if multi else ""),
        example="AL-02-I-0001" + ("; AL-02-I-0004" if multi else ""),
        **kw,
    )


_INSTITUTION_COLUMNS = (
    _c(
        "id",
        "Kodi i institucionit",
        "Institution ID",
        "id",
        required=True,
        width=16,
        aliases=("kodi", "id", "institution id"),
        help_en="Region, I, sequence; stable across years",
        help_sq="Qarku, I, numër rendor; i pandryshuar ndër vite",
        example="AL-02-I-0001",
    ),
    _c(
        "name",
        "Emërtimi",
        "Name",
        "text",
        required=True,
        width=48,
        aliases=("emertimi i institucionit", "institucioni", "institution"),
        help_en="Official name, in Albanian",
        help_sq="Emërtimi zyrtar, në shqip",
        example="Drejtoria Vendore e Policisë Durrës",
    ),
    _c(
        "type",
        "Lloji i institucionit",
        "Institution type",
        "code",
        code_list=InstitutionType,
        required=True,
        width=30,
        aliases=("lloji", "type"),
    ),
    _c("municipality", "Bashkia", "Municipality", "text", width=18, example="Durrës"),
    _EXT,
)

_CASE_COLUMNS = (
    _c(
        "id",
        "Kodi i rastit",
        "Case ID",
        "id",
        required=True,
        width=20,
        aliases=("kodi", "id", "nr. i rastit", "case id"),
        help_en="Region, C, year, sequence",
        help_sq="Qarku, C, viti, numër rendor",
        example="AL-02-C-2019-0001",
    ),
    _c(
        "subject_ref",
        "Referenca e personit (subject_ref)",
        "Person reference (subject_ref)",
        "text",
        width=24,
        aliases=("subject_ref", "referenca e personit", "person reference"),
        help_en="64 hexadecimal characters computed with the national key; leave empty when "
        "the name columns are filled and the import is run with --key",
        help_sq="64 shenja heksadecimale të llogaritura me çelësin kombëtar; lëreni bosh kur "
        "plotësohen kolonat e emrit dhe importi bëhet me --key",
    ),
    _c(
        "given_name",
        "Emri",
        "Given name",
        "text",
        identity=True,
        width=14,
        aliases=("emer", "first name", "name", "emri i viktimes"),
        help_en="Personal data: used only with the national key to compute subject_ref, "
        "never stored or sent",
        help_sq="E dhënë personale: përdoret vetëm me çelësin kombëtar "
        "për subject_ref, nuk ruhet e nuk dërgohet",
    ),
    _c(
        "family_name",
        "Mbiemri",
        "Family name",
        "text",
        identity=True,
        width=14,
        aliases=("surname", "last name", "mbiemer"),
        help_en="Personal data: used only to compute subject_ref",
        help_sq="E dhënë personale: përdoret vetëm për subject_ref",
    ),
    _c(
        "birth_date",
        "Datëlindja",
        "Date of birth",
        "date",
        identity=True,
        width=14,
        aliases=("data e lindjes", "birth date", "dob", "datelindje"),
        help_en="Personal data: used only to compute subject_ref and the age",
        help_sq="E dhënë personale: përdoret vetëm për subject_ref dhe moshën",
    ),
    _c(
        "status",
        "Statusi (VT/VMT)",
        "Status (VT/VMT)",
        "code",
        code_list=CaseStatus,
        required=True,
        width=30,
        aliases=("statusi", "status"),
    ),
    _inst_ref("status_decided_by", "Statusi vendosur nga", "Status decided by"),
    _c(
        "identified_on",
        "Data e identifikimit",
        "Date of identification",
        "date",
        required=True,
        width=14,
        aliases=("identifikuar me", "identified on", "date identified"),
        example="13.02.2019",
    ),
    _inst_ref("identified_by", "Identifikuar nga (institucioni)", "Identified by (institution)"),
    _c(
        "identification_source",
        "Burimi i identifikimit",
        "Identification source",
        "code",
        code_list=IdentificationSource,
        required=True,
        width=28,
    ),
    _c(
        "sex",
        "Gjinia",
        "Sex",
        "code",
        code_list=Sex,
        required=True,
        width=12,
        aliases=("seksi", "gender"),
    ),
    _c(
        "age_at_identification",
        "Mosha në identifikim",
        "Age at identification",
        "int",
        width=10,
        aliases=("mosha", "age"),
        help_en="Whole years on the day of identification",
        help_sq="Vite të plota në ditën e identifikimit",
        example="16",
    ),
    _c(
        "minor",
        "I mitur (nën 18 vjeç)",
        "Minor (under 18)",
        "bool",
        width=10,
        aliases=("i mitur", "minor"),
        help_en="po/jo; filled from the age when empty",
        help_sq="po/jo; plotësohet nga mosha kur lihet bosh",
    ),
    _c(
        "citizenships",
        "Shtetësia",
        "Citizenship",
        "countries",
        width=12,
        aliases=("shtetesite", "citizenships", "nationality"),
        help_en="ISO country codes separated by ';'",
        help_sq="Kode shtetesh ISO të ndarë me ';'",
        example="AL",
    ),
    _c(
        "exploitation_types",
        "Lloji i shfrytëzimit",
        "Type of exploitation",
        "codes",
        code_list=ExploitationType,
        width=28,
        aliases=("shfrytezimi", "exploitation"),
    ),
    _c(
        "scope",
        "Trafikim i brendshëm / ndërkombëtar",
        "Internal / transnational",
        "code",
        code_list=TraffickingScope,
        width=24,
        aliases=("shtrirja", "scope"),
    ),
    _c(
        "countries_of_exploitation",
        "Vendet e shfrytëzimit",
        "Countries of exploitation",
        "countries",
        width=14,
        help_en="ISO country codes separated by ';'",
        help_sq="Kode shtetesh ISO të ndarë me ';'",
        example="AL; IT",
    ),
    _c(
        "recruitment_method",
        "Mënyra e rekrutimit",
        "Recruitment method",
        "code",
        code_list=RecruitmentMethod,
        width=26,
    ),
    _c(
        "relationship_to_trafficker",
        "Marrëdhënia me trafikantin",
        "Relationship to trafficker",
        "code",
        code_list=RelationshipToTrafficker,
        width=24,
    ),
    _c(
        "referral.referred_on",
        "Data e referimit",
        "Date of referral",
        "date",
        required=True,
        width=14,
        help_en="Filled when the person was referred; then required",
        help_sq="Plotësohet kur personi u referua",
        example="15.02.2019",
    ),
    _inst_ref("referral.referred_to", "Referuar te (institucioni)", "Referred to (institution)"),
    _c("referral.consent", "Pëlqimi për referim", "Consent to referral", "bool", width=12),
    _c("stage", "Faza e rastit", "Case stage", "code", code_list=CaseStage, width=16),
    _c("closed_on", "Data e mbylljes", "Date closed", "date", width=14),
    _c(
        "closing_reason",
        "Arsyeja e mbylljes",
        "Closing reason",
        "code",
        code_list=ClosingReason,
        width=26,
    ),
    _c("criminal_proceedings", "Procedim penal", "Criminal proceedings", "bool", width=12),
    _EXT,
)

_ASSISTANCE_COLUMNS = (
    _c(
        "case_id",
        "Kodi i rastit",
        "Case ID",
        "id",
        required=True,
        width=20,
        ref="case",
        aliases=("rasti", "case"),
        help_en="The case on the Cases sheet this assistance belongs to",
        help_sq="Rasti në fletën Rastet të cilit i përket kjo asistencë",
        example="AL-02-C-2019-0001",
    ),
    _c(
        "type",
        "Lloji i asistencës",
        "Type of assistance",
        "code",
        code_list=AssistanceType,
        required=True,
        width=26,
        aliases=("asistenca", "assistance"),
    ),
    _inst_ref("provider", "Ofruesi (institucioni)", "Provider (institution)"),
    _c("start", "Data e fillimit", "Start date", "date", required=True, width=14),
    _c("end", "Data e përfundimit", "End date", "date", width=14),
)

_ACTIVITY_COLUMNS = (
    _c(
        "id",
        "Kodi i aktivitetit",
        "Activity ID",
        "id",
        required=True,
        width=20,
        aliases=("kodi", "id"),
        help_en="Region, A, year, sequence",
        help_sq="Qarku, A, viti, numër rendor",
        example="AL-02-A-2019-0001",
    ),
    _c(
        "title",
        "Titulli",
        "Title",
        "text",
        required=True,
        width=40,
        help_en="Title in Albanian",
        help_sq="Titulli në shqip",
    ),
    _c("title_en", "Titulli në anglisht", "Title in English", "text", width=30),
    _c(
        "type",
        "Lloji i aktivitetit",
        "Activity type",
        "code",
        code_list=ActivityType,
        required=True,
        width=30,
        aliases=("lloji", "type"),
    ),
    _c(
        "start",
        "Data e fillimit",
        "Start date",
        "date",
        required=True,
        width=14,
        aliases=("data", "date"),
    ),
    _c(
        "end",
        "Data e përfundimit",
        "End date",
        "date",
        width=14,
        help_en="Last day; empty for a one-day event",
        help_sq="Dita e fundit; bosh për një ditë",
    ),
    _c("status", "Statusi", "Status", "code", code_list=ActivityStatus, required=True, width=14),
    _c("national_calendar", "Në kalendarin kombëtar", "In the national calendar", "bool", width=12),
    _c(
        "observance",
        "Dita ose muaji i shënuar",
        "Observance",
        "code",
        code_list=Observance,
        width=30,
    ),
    _inst_ref("organiser", "Organizatori (institucioni)", "Organiser (institution)", required=True),
    _inst_ref("partners", "Partnerët (institucionet)", "Partners (institutions)", multi=True),
    _c("municipality", "Bashkia", "Municipality", "text", width=16),
    _c(
        "place",
        "Vendi",
        "Place",
        "text",
        width=24,
        help_en="Venue, e.g. a school",
        help_sq="Vendi, p.sh. një shkollë",
    ),
    _c(
        "target_groups",
        "Grupet e synuara",
        "Target groups",
        "codes",
        code_list=TargetGroup,
        width=28,
    ),
    _c("participants.female", "Pjesëmarrës femra", "Participants, female", "int", width=10),
    _c("participants.male", "Pjesëmarrës meshkuj", "Participants, male", "int", width=10),
    _c(
        "participants.total",
        "Pjesëmarrës gjithsej",
        "Participants, total",
        "int",
        required=True,
        width=10,
        help_en="Required when female or male is filled",
        help_sq="E detyrueshme kur plotësohen femra ose meshkuj",
    ),
    _c(
        "objectives",
        "Objektivat",
        "Objectives",
        "ids",
        ref="objective",
        width=20,
        help_en="Ids of the objectives it serves, separated by ';'",
        help_sq="Kodet e objektivave që shërben, të ndarë me ';'",
        example="AL-02-O-2019-0001",
    ),
    _EXT,
)

_OBJECTIVE_COLUMNS = (
    _c(
        "id",
        "Kodi i objektivit",
        "Objective ID",
        "id",
        required=True,
        width=20,
        aliases=("kodi", "id"),
        help_en="Region, O, plan year, sequence",
        help_sq="Qarku, O, viti i planit, numër rendor",
        example="AL-02-O-2019-0001",
    ),
    _c("year", "Viti", "Year", "int", required=True, width=8, example="2019"),
    _c(
        "pillar",
        "Shtylla (4P)",
        "Pillar (4P)",
        "code",
        code_list=Pillar,
        required=True,
        width=16,
        aliases=("shtylla", "pillar"),
    ),
    _c("title", "Titulli", "Title", "text", required=True, width=44),
    _c("title_en", "Titulli në anglisht", "Title in English", "text", width=30),
    _c(
        "national_measure",
        "Masa e planit kombëtar",
        "National action plan measure",
        "text",
        width=20,
    ),
    _inst_ref("responsible", "Institucionet përgjegjëse", "Responsible institutions", multi=True),
    _c("deadline", "Afati", "Deadline", "date", required=True, width=14),
    _c("status", "Statusi", "Status", "code", code_list=ObjectiveStatus, required=True, width=20),
    _EXT,
)

_INDICATOR_COLUMNS = (
    _c(
        "objective_id",
        "Kodi i objektivit",
        "Objective ID",
        "id",
        required=True,
        width=20,
        ref="objective",
        aliases=("objektivi", "objective"),
        help_en="The objective on the Objectives sheet this indicator measures",
        help_sq="Objektivi në fletën Objektivat që mat ky tregues",
        example="AL-02-O-2019-0001",
    ),
    _c(
        "name",
        "Treguesi",
        "Indicator",
        "text",
        required=True,
        width=36,
        aliases=("emertimi", "name"),
    ),
    _c("unit", "Njësia", "Unit", "text", width=12),
    _c("baseline", "Vlera bazë", "Baseline", "float", width=10),
    _c("target", "Synimi", "Target", "float", width=10),
    _c("actual", "Vlera e arritur", "Actual value", "float", width=10),
)


@dataclass(frozen=True, slots=True)
class SheetName:
    """A sheet's name in both languages and the other names it is recognised by."""

    sq: str
    en: str
    aliases: tuple[str, ...] = ()

    def get(self, lang: str = "sq") -> str:
        """The name in ``lang``."""
        return self.sq if lang == "sq" else self.en

    def matches(self, name: str) -> bool:
        """Whether ``name`` (a sheet title or a file name's word) is this sheet, folded."""
        key = fold(name)
        return key in {fold(n) for n in (self.sq, self.en, *self.aliases)}


@dataclass(frozen=True)
class Sheet:
    """A sheet of the template (or one CSV file): a record kind or a nested list.

    ``parent`` and ``list_field`` are set for nested lists: an ``assistance``
    row belongs to the ``case`` whose id is in its first column and is appended
    to that case's ``assistance`` list, in row order.
    """

    kind: str
    title: SheetName
    columns: tuple[Column, ...]
    parent: str | None = None
    list_field: str | None = None
    help_en: str = ""
    help_sq: str = ""
    _lookup: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        lookup: dict[str, Column] = {}
        for column in self.columns:
            for spelling in (column.name, column.sq, column.en, *column.aliases):
                lookup.setdefault(fold(spelling), column)
        self._lookup.update(lookup)

    def name(self, lang: str = "sq") -> str:
        """The sheet's title in ``lang``."""
        return self.title.get(lang)

    def column(self, name: str) -> Column:
        """The column with machine name ``name``."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def lookup(self, header: Any) -> Column | None:
        """The column a header names: machine name, Albanian or English header, or alias.

        Case, accents, a trailing ``*`` (required mark) and a trailing
        ``(...)`` note are ignored.
        """
        if not isinstance(header, str):
            return None
        key = fold(header).rstrip(" *").strip()
        found = self._lookup.get(key)
        if found is None and key.endswith(")") and "(" in key:
            found = self._lookup.get(key[: key.rfind("(")].strip())
        return found

    def match_headers(self, headers: Sequence[Any]) -> list[Column | None]:
        """For each header cell, the column it names (None: not a column of this sheet)."""
        return [self.lookup(h) for h in headers]

    @property
    def model_fields(self) -> tuple[Column, ...]:
        """The columns that hold record fields (not the parent link, not identity)."""
        return tuple(c for c in self.columns if not c.identity and c.name != self.link)

    @property
    def link(self) -> str | None:
        """The machine name of the parent-id column of a nested sheet."""
        return self.columns[0].name if self.parent else None

    def rows(self, record: Any) -> Iterator[list[Any]]:
        """Machine values (model values, None for empty) of the rows of ``record`` on this sheet.

        A record sheet gives one row per record; a nested sheet one row per item
        of the record's list (``record`` is then the parent record).
        """
        if self.parent is None:
            yield [_get(record, c) for c in self.columns]
            return
        assert self.list_field is not None
        for item in getattr(record, self.list_field):
            yield [record.id, *(_get(item, c) for c in self.columns[1:])]


def _get(obj: Any, column: Column) -> Any:
    if column.identity:
        return None
    head, _, leaf = column.name.partition(".")
    value = getattr(obj, head)
    if leaf:
        value = getattr(value, leaf) if value is not None else None
    return value


SHEETS: dict[str, Sheet] = {
    sheet.kind: sheet
    for sheet in (
        Sheet(
            "institution",
            SheetName("Institucionet", "Institutions", ("institution", "institucione")),
            _INSTITUTION_COLUMNS,
            help_en="The institutions of the technical table: one row each; the other sheets "
            "refer to them by id.",
            help_sq="Institucionet e tryezës teknike: një rresht për secilin; fletët e tjera "
            "u referohen me kod.",
        ),
        Sheet(
            "case",
            SheetName("Rastet", "Cases", ("case", "rasti", "raste")),
            _CASE_COLUMNS,
            help_en="One row per victim (VT) or potential victim (VMT) identified.",
            help_sq="Një rresht për çdo viktimë (VT) ose viktimë të mundshme (VMT) "
            "të identifikuar.",
        ),
        Sheet(
            "assistance",
            SheetName("Asistenca", "Assistance", ("asistence", "assistances")),
            _ASSISTANCE_COLUMNS,
            parent="case",
            list_field="assistance",
            help_en="One row per kind of assistance given, linked to its case by the case id.",
            help_sq="Një rresht për çdo lloj asistence të dhënë, i lidhur me rastin "
            "me kodin e tij.",
        ),
        Sheet(
            "activity",
            SheetName("Aktivitetet", "Activities", ("activity", "aktiviteti", "kalendari")),
            _ACTIVITY_COLUMNS,
            help_en="One row per awareness activity (the anti-trafficking calendar).",
            help_sq="Një rresht për çdo aktivitet ndërgjegjësues (kalendari antitrafik).",
        ),
        Sheet(
            "objective",
            SheetName("Objektivat", "Objectives", ("objective", "objektivi", "plani")),
            _OBJECTIVE_COLUMNS,
            help_en="One row per objective of the regional action plan.",
            help_sq="Një rresht për çdo objektiv të planit rajonal të veprimit.",
        ),
        Sheet(
            "indicator",
            SheetName("Treguesit", "Indicators", ("indicator", "treguesi", "tregues")),
            _INDICATOR_COLUMNS,
            parent="objective",
            list_field="indicators",
            help_en="One row per indicator, linked to its objective by the objective id.",
            help_sq="Një rresht për çdo tregues, i lidhur me objektivin me kodin e tij.",
        ),
    )
}
"""Every sheet, in the order the template writes them."""

SUBMISSION_SHEET = SheetName("Dorëzimi", "Submission", ("dorezim", "header", "koka"))
INSTRUCTIONS_SHEET = SheetName("Udhëzime", "Instructions", ("udhezimet", "readme"))
LISTS_SHEET = SheetName("Listat", "Lists", ("lists", "_lists", "kodet"))


@dataclass(frozen=True, slots=True)
class HeaderField:
    """A field of the submission header, one row of the "Dorëzimi"/"Submission" sheet."""

    name: str
    sq: str
    en: str
    type: Literal["region", "period", "datetime", "text", "json"]
    help_en: str = ""
    help_sq: str = ""

    def label(self, lang: str = "sq") -> str:
        """The field's label in ``lang``."""
        return self.sq if lang == "sq" else self.en


SUBMISSION_FIELDS: tuple[HeaderField, ...] = (
    HeaderField(
        "region",
        "Qarku",
        "Region",
        "region",
        "Region code AL-01..AL-12 (or the region's name)",
        "Kodi i qarkut AL-01..AL-12 (ose emri i qarkut)",
    ),
    HeaderField(
        "period",
        "Periudha",
        "Period",
        "period",
        "A year (2019) or a half-year (2019-H1, 2019-H2)",
        "Një vit (2019) ose gjysmëvjetor (2019-H1, 2019-H2)",
    ),
    HeaderField(
        "submitted_by.institution",
        "Institucioni dërgues",
        "Submitting institution",
        "text",
        "Who sends the data, e.g. Prefektura e Qarkut Durrës",
        "Kush i dërgon të dhënat, p.sh. Prefektura e Qarkut Durrës",
    ),
    HeaderField(
        "submitted_by.contact",
        "Kontakti",
        "Contact",
        "text",
        "An office contact (not a private person)",
        "Kontakt zyre (jo person privat)",
    ),
    HeaderField(
        "submitted_at",
        "Data e dorëzimit",
        "Submitted at",
        "datetime",
        "Date (and time) of sending; the time of import when empty",
        "Data (dhe ora) e dërgimit; koha e importit kur lihet bosh",
    ),
    HeaderField(
        "extensions",
        "Të dhëna shtesë (JSON)",
        "Extensions (JSON)",
        "json",
        "Region-specific data as a JSON object; usually empty",
        "Të dhëna të qarkut si objekt JSON; zakonisht bosh",
    ),
)
"""The header fields of a submission kept in the "Dorëzimi" sheet, in order."""


def submission_values(submission: Submission) -> dict[str, Any]:
    """The header fields of ``submission`` by machine name, as cell values (text)."""
    ext = submission.extensions
    return {
        "region": submission.region,
        "period": submission.period,
        "submitted_by.institution": submission.submitted_by.institution,
        "submitted_by.contact": submission.submitted_by.contact,
        "submitted_at": submission.submitted_at.isoformat(),
        "extensions": orjson.dumps(ext, option=orjson.OPT_SORT_KEYS).decode() if ext else None,
    }


def record_rows(submission: Submission, sheet: Sheet) -> Iterator[list[Any]]:
    """Machine values of every row of ``sheet`` for ``submission``, in record order."""
    owner = sheet.parent or sheet.kind
    for record in getattr(submission, RECORD_LISTS[owner]):
        yield from sheet.rows(record)


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


# --------------------------------------------------------------------------- reading


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
        self.rejected_ids: dict[str, set[str]] = {kind: set() for kind in RECORD_LISTS}
        self.most_items: dict[str, int] = {}

    # ---- findings

    def finding(
        self,
        code: str,
        en: str,
        sq: str,
        *,
        kind: str | None,
        record_id: str | None,
        pointer: str = "",
        position: SourcePosition | None = None,
        value: Any = None,
        severity: Severity = Severity.ERROR,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.findings.append(
            Finding(
                code=code, severity=severity, message_en=en, message_sq=sq, kind=kind,
                record_id=record_id, pointer=pointer, position=position, value=value,
                extra=extra or {},
            )
        )

    def cell_finding(self, row: _Row, column: Column, cell: Any, problem: CellProblem) -> None:
        if column.identity:
            shown_en = "the value (not shown: personal data)"
            shown_sq = "vlera (nuk shfaqet: e dhënë personale)"
            value = None
        else:
            shown_en = shown_sq = repr(_display(cell))
            value = _display(cell)
        spec = row.table.spec
        self.finding(
            problem.code,
            f"{shown_en} is not valid: expected {problem.expected_en}",
            f"{shown_sq} nuk është e vlefshme: pritej {problem.expected_sq}",
            kind=_kind_of(spec), record_id=row.record_id, pointer=_pointer(spec, column),
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
            header = _header_text(table.headers, index)
            position = SourcePosition(table.file, table.sheet, None, header)
            if column is None:
                raw = table.headers[index] if index < len(table.headers) else None
                if raw is not None and str(raw).strip():
                    self.finding(
                        "import.unknown-column",
                        f"column {header!r} is not part of the format; "
                        "its cells were not imported",
                        f"kolona {header!r} nuk është pjesë e formatit; "
                        "qelizat e saj nuk u importuan",
                        kind=_kind_of(spec), record_id=None, severity=Severity.WARNING,
                        position=position,
                    )
                continue
            if column.name in used:
                self.finding(
                    "import.duplicate-column",
                    f"column {header!r} repeats {column.header('en')!r}; the first one is used",
                    f"kolona {header!r} përsërit {column.header('sq')!r}; përdoret e para",
                    kind=_kind_of(spec), record_id=None, severity=Severity.WARNING,
                    position=position,
                )
                continue
            used.add(column.name)
            result.append((index, column))
        return result

    def read(self, table: Table) -> None:
        """Read every row of ``table``: a record or an item, or findings; count it."""
        spec = table.spec
        count = SheetCount(file=table.file, sheet=table.sheet)
        self.counts.append((count, table))
        columns = self.columns_of(table)
        headers = {c.name: _header_text(table.headers, i) for i, c in columns}
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
                (i, c, _refusing(refuse, table.file) if c.identity and refuse else c.cell_parser())
                for i, c in columns
            ]
        )
        nested = spec.parent is not None
        if nested:
            self.link_headers[spec.kind] = headers.get(key_name, spec.columns[0].header("sq"))
        for number, cells in table.rows:
            if len(cells) < width:
                cells = [*cells, *([None] * (width - len(cells)))]
            for cell in cells:
                if cell is not None and cell != "" and (
                    not isinstance(cell, str) or not cell.isspace()
                ):
                    break
            else:
                count.blank += 1
                continue
            count.rows_read += 1
            row = _Row(table, number, cells, index, headers,
                       cells[id_index] if id_index is not None else None)
            data, problems = parse_row(cells)
            ok = not problems
            for column, cell, problem in problems or ():
                self.cell_finding(row, column, cell, problem)
            if not ok:
                count.rejected += 1
                record_id = row.record_id
                if not nested and record_id:
                    self.rejected_ids[spec.kind].add(record_id)
            elif nested:
                self.child(row, data, count)
            else:
                self.record(row, data, count, has_identity)

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
        column = _column_for(spec, error["loc"])
        header = None
        cell = None
        if column is not None:
            header = row.headers.get(column.name) or column.header("sq")
            at = row.index.get(column.name)
            cell = row.cells[at] if at is not None else None
        position = SourcePosition(row.table.file, row.table.sheet, row.number, header)
        kind = error["type"]
        what_en = column.header("en") if column else "the row"
        what_sq = column.header("sq") if column else "rreshti"
        blank = cell is None or (isinstance(cell, str) and not cell.strip())
        shown = None if column is None or column.identity or blank else _display(cell)
        example = column.example if column is not None else ""
        if kind == "missing":
            code = "import.missing-required"
            en = f"{what_en!r} is required and empty"
            sq = f"{what_sq!r} është e detyrueshme dhe është bosh"
            if column is not None and column.name == "subject_ref":
                en += "; fill subject_ref, or the name columns and import with --key"
                sq += "; plotësoni subject_ref, ose kolonat e emrit dhe importoni me --key"
        else:
            is_id = column is not None and column.value_type in ("id", "ids")
            if kind == "string_pattern_mismatch" and is_id:
                code = "import.bad-id"
            elif kind.startswith("string_"):
                code = "import.bad-text"
            else:
                code = "import.invalid-value"
            detail = (
                "not in the expected form" if kind == "string_pattern_mismatch" else error["msg"]
            )
            shown_en = repr(shown) if shown is not None else "the value"
            shown_sq = repr(shown) if shown is not None else "vlera"
            en = f"{shown_en} is not valid for {what_en!r}: {detail}" + (
                f" (e.g. {example})" if example else ""
            )
            sq = (
                f"{shown_sq} nuk është e vlefshme për {what_sq!r}: "
                f"{_PYDANTIC_SQ.get(kind, 'nuk është e vlefshme')}"
                + (f" (p.sh. {example})" if example else "")
            )
        self.finding(
            code, en, sq, kind=_kind_of(spec), record_id=row.record_id,
            pointer=_pointer(spec, column) if column else "", position=position, value=shown,
            extra={"expected_en": error["msg"]},
        )

    def child(self, row: _Row, data: dict[str, Any], count: SheetCount) -> None:
        spec = row.table.spec
        link = spec.columns[0]
        parent_id = data.pop(link.name, None)
        if parent_id is None:
            self.finding(
                "import.missing-required",
                f"{link.header('en')!r} is required and empty",
                f"{link.header('sq')!r} është e detyrueshme dhe është bosh",
                kind=spec.parent, record_id=None,
                position=SourcePosition(
                    row.table.file, row.table.sheet, row.number,
                    row.headers.get(link.name, link.header("sq")),
                ),
            )
            count.rejected += 1
            return
        row.parent_id = parent_id
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
            self.identity(data)
        position = SourcePosition(table.file, table.sheet, row.number, None)
        record_id = data.get("id")
        if isinstance(record_id, str) and (kind, record_id) in self.positions:
            first = self.positions[(kind, record_id)]
            where = first.sheet or first.file
            self.finding(
                "import.duplicate-id",
                f"{record_id} is already on row {first.row} of {where}; this row is left out",
                f"{record_id} është tashmë në rreshtin {first.row} të {where}; "
                "ky rresht lihet jashtë",
                kind=kind, record_id=record_id, pointer="/id", value=record_id,
                position=SourcePosition(position.file, position.sheet, position.row,
                                        row.headers.get("id")),
                extra={"first": first.to_dict()},
            )
            count.rejected += 1
            return
        child_spec = _NESTED.get(kind)
        items: list[_Child] = []
        if child_spec is not None and isinstance(record_id, str):
            items = self.children.get(child_spec.kind, {}).pop(record_id, [])
            assert child_spec.list_field is not None
            data[child_spec.list_field] = [item for item, _, _ in items]
        record = self.validate(row, _RECORD_TYPES[kind], data)
        if record is None:
            count.rejected += 1
            if isinstance(record_id, str):
                self.rejected_ids[kind].add(record_id)
                if child_spec is not None and items:
                    self.children.setdefault(child_spec.kind, {})[record_id] = items
            return
        count.records += 1
        self.records[kind].append(record)
        self.positions[(kind, record.id)] = position
        if child_spec is not None and items:
            for index, (_, at, _) in enumerate(items):
                self.positions[(kind, f"{record.id}/{child_spec.list_field}/{index}")] = at
            self.most_items[kind] = max(self.most_items.get(kind, 0), len(items))

    def identity(self, values: dict[str, Any]) -> None:
        """Turn identity cells into ``subject_ref`` (and an empty age); drop them."""
        given = values.pop("given_name", None)
        family = values.pop("family_name", None)
        birth = values.pop("birth_date", None)
        if given is None and family is None and birth is None:
            return
        if "subject_ref" not in values and self.options.key is not None:
            from krat_core.format.pseudonym import subject_ref

            sex = values.get("sex")
            values["subject_ref"] = subject_ref(
                self.options.key, given or "", family or "", birth,
                sex.value if sex is not None else "unknown",
            )
        identified = values.get("identified_on")
        if birth is not None and identified is not None and "age_at_identification" not in values:
            age = identified.year - birth.year - (
                (identified.month, identified.day) < (birth.month, birth.day)
            )
            if 0 <= age <= 120:
                values["age_at_identification"] = age
        if "minor" not in values and "age_at_identification" in values:
            values["minor"] = values["age_at_identification"] < 18

    def finish(self) -> None:
        """Reject the nested rows left without a parent; record the columns of every field."""
        for child_kind, by_parent in self.children.items():
            spec = SHEETS[child_kind]
            parent = spec.parent
            assert parent is not None
            parent_sheet = SHEETS[parent].name("en")
            parent_sheet_sq = SHEETS[parent].name("sq")
            for parent_id, items in by_parent.items():
                for _, where, count in items:
                    if parent_id in self.rejected_ids[parent]:
                        en = f"the {parent} row {parent_id} was rejected, so this row is left out"
                        sq = (
                            f"rreshti {parent_id} në {parent_sheet_sq} u refuzua, "
                            "ky rresht lihet jashtë"
                        )
                    else:
                        en = f"there is no {parent} {parent_id} on the {parent_sheet} sheet"
                        sq = f"nuk ka {parent_id} në fletën {parent_sheet_sq}"
                    self.finding(
                        "import.orphan-row", en, sq, kind=parent, record_id=parent_id,
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


_RowParser = Callable[
    [Sequence[Any]], tuple[dict[str, Any], list[tuple[Column, Any, CellProblem]] | None]
]


def _row_parser(columns: Sequence[tuple[int, Column, Callable[[Any], Any]]]) -> _RowParser:
    """A function turning a row's cells into the model data, specialised for these columns.

    ``row(cells)`` returns ``(data, problems)``: the values by field (flattened
    objects nested again: ``{"referral": {"referred_on": ...}}``), empty cells
    left out, and the cells that could not be parsed. The code is generated
    from the column definitions only (never from file content), so that the
    per-cell work of 10^5-row sheets stays a few straight lines.
    """
    names: dict[str, Any] = {"MISS": _MISS, "CellProblem": CellProblem}
    lines = ["def row(cells):", "    data = {}", "    problems = None"]
    for n, (index, column, parse) in enumerate(columns):
        head, _, leaf = column.name.partition(".")
        names[f"parse{n}"] = parse
        names[f"column{n}"] = column
        cache = parse.cache if isinstance(parse, _Memo) and not parse.copy else None
        exact = _EXACT.get(column.value_type)
        target = f"data.setdefault({head!r}, {{}})[{leaf!r}]" if leaf else f"data[{head!r}]"
        lines += [
            f"    cell = cells[{index}]",
            "    if cell or not (cell is None or cell == ''):",
            "        value = MISS",
        ]
        if exact is not None:
            names[f"exact{n}"] = exact
            lines += [f"        if cell.__class__ is exact{n}:", "            value = cell"]
        if cache is not None:
            names[f"cache{n}"] = cache
            lines += [
                "        if cell.__class__ is str:",
                f"            value = cache{n}.get(cell, MISS)",
            ]
        lines += [
            "        if value is MISS:",
            "            try:",
            f"                value = parse{n}(cell)",
            "            except CellProblem as problem:",
            "                problems = problems or []",
            f"                problems.append((column{n}, cell, problem))",
            "                value = None",
            "        if value is not None and (value.__class__ is not list or value):",
            f"            {target} = value",
        ]
    lines.append("    return data, problems")
    exec(compile("\n".join(lines), "<krat row parser>", "exec"), names)  # noqa: S102
    parser: _RowParser = names["row"]
    return parser


def _refusing(columns: list[str], file: str) -> Callable[[Any], Any]:
    """The parser of an identity column when there is no key: any value refuses the file."""

    def refuse(cell: Any) -> Any:
        if isinstance(cell, str) and cell.isspace():
            return None
        raise IdentityWithoutKey(columns, source=file)

    return refuse


_NESTED: dict[str, Sheet] = {s.parent: s for s in SHEETS.values() if s.parent}
"""The nested-list sheet of each record kind that has one."""


def _header_text(headers: Sequence[Any], index: int) -> str:
    raw = headers[index] if index < len(headers) else None
    if raw is None or not str(raw).strip():
        return _column_letter(index)
    return str(raw).strip()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _kind_of(spec: Sheet) -> str:
    return spec.parent or spec.kind


def _pointer(spec: Sheet, column: Column | None) -> str:
    if column is None:
        return ""
    if spec.parent is None:
        return column.pointer
    if column.name == spec.link:
        return ""
    return f"/{spec.list_field}/-{column.pointer}"


def _column_for(spec: Sheet, loc: tuple[int | str, ...]) -> Column | None:
    if not loc:
        return None
    head = str(loc[0])
    names = [head]
    if len(loc) > 1 and isinstance(loc[1], str):
        names.insert(0, f"{head}.{loc[1]}")
    for name in names:
        for column in spec.columns:
            if column.name == name:
                return column
    return None


def _region_of(cell: Any) -> str | None:
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
    return text if re.fullmatch(r"[0-9]{4}(-H[12])?", text) else None


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
            :data:`SUBMISSION_FIELDS`), with where each was read.
        source: the file name(s), for errors that concern the whole import.
        plugins: ``(name, version)`` of the importing plugin, for the generator.

    Every data row ends up either as a record (or an item of a record's list) or
    rejected with at least one finding; blank rows are counted apart. Raises
    :class:`~krat_core.importing.files.IdentityWithoutKey` when identity cells are
    filled and no key was given, and :class:`~krat_core.importing.files.ImportRefused`
    when the region or period cannot be known.
    """
    from krat_core.format.canonical import gc_paused

    reader = _Reader(options)
    given = list(tables)
    with gc_paused():  # rows and models are acyclic; see krat_core.format.canonical.gc_paused
        for table in sorted(given, key=lambda t: t.spec.parent is None):
            reader.read(table)
        reader.finish()
    order = {id(t): i for i, t in enumerate(given)}
    counts = [c for c, t in sorted(reader.counts, key=lambda pair: order[id(pair[1])])]
    submission = _header(reader, header or {}, options, source, plugins)
    lists = {RECORD_LISTS[kind]: records for kind, records in reader.records.items()}
    submission = submission.model_copy(update=lists)
    return ImportResult(
        submission=submission,
        findings=reader.findings,
        counts=counts,
        positions=reader.positions,
        columns=reader.columns,
    )


def _header(
    reader: _Reader,
    header: Mapping[str, tuple[Any, SourcePosition]],
    options: ImportOptions,
    source: str,
    plugins: Sequence[tuple[str, str]],
) -> Submission:
    def value(name: str) -> tuple[Any, SourcePosition | None]:
        cell, where = header.get(name, (None, None))
        if cell is None or cell == "" or (
            isinstance(cell, str) and not cell.strip() and not name.startswith("submitted_by")
        ):
            return None, where
        return cell, where

    def bad(name: str, cell: Any, where: SourcePosition | None, en: str, sq: str) -> None:
        reader.finding(
            "import.invalid-value",
            f"{_display(cell)!r} is not valid: expected {en}",
            f"{_display(cell)!r} nuk është e vlefshme: pritej {sq}",
            kind=None,
            record_id=None,
            pointer=f"/{name.replace('.', '/')}",
            position=where,
            value=_display(cell),
        )

    cell, where = value("region")
    region = _region_of(cell) if cell is not None else None
    if cell is not None and region is None:
        bad("region", cell, where, "a region code AL-01..AL-12", "një kod qarku AL-01..AL-12")
    region = _reconcile(reader, "region", region, options.region, where)
    cell, where = value("period")
    period = _period_of(cell) if cell is not None else None
    if cell is not None and period is None:
        bad(
            "period",
            cell,
            where,
            "a year (2019) or half-year (2019-H1)",
            "një vit (2019) ose gjysmëvjetor (2019-H1)",
        )
    period = _reconcile(reader, "period", period, options.period, where)
    if region is None or period is None:
        region = region or _infer(reader, lambda rid: rid[:5])
        period = period or _infer(reader, lambda rid: rid[8:12] if rid[6] in "CAO" else None)
    if region is None or region not in REGIONS:
        raise ImportRefused(
            "the region is not known: fill the Region cell of the Submission sheet or pass "
            "--region AL-NN",
            "qarku nuk dihet: plotësoni qelizën Qarku në fletën Dorëzimi ose jepni --region AL-NN",
            code="import.no-header",
            source=source,
        )
    if period is None or not re.fullmatch(r"[0-9]{4}(-H[12])?", period):
        raise ImportRefused(
            "the period is not known: fill the Period cell of the Submission sheet or pass "
            "--period 2019",
            "periudha nuk dihet: plotësoni qelizën Periudha në fletën Dorëzimi ose jepni "
            "--period 2019",
            code="import.no-header",
            source=source,
        )
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
            submitted_at = _parse_datetime(cell)
        except CellProblem as problem:
            bad("submitted_at", cell, where, problem.expected_en, problem.expected_sq)
    cell, where = value("extensions")
    extensions: dict[str, Any] = {}
    if cell is not None:
        try:
            extensions = _parse_json(cell)
        except CellProblem as problem:
            bad("extensions", cell, where, problem.expected_en, problem.expected_sq)
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
            extensions=extensions,
        )
    except ValidationError as exc:
        from krat_core.format.canonical import describe_validation_error

        raise ImportRefused(
            "the Submission sheet is not valid: " + describe_validation_error(exc),
            "fleta Dorëzimi nuk është e vlefshme: " + describe_validation_error(exc),
            code="import.no-header",
            source=source,
        ) from None


def _reconcile(
    reader: _Reader, name: str, found: str | None, given: str | None, where: SourcePosition | None
) -> str | None:
    if found is not None and given is not None and found != given:
        reader.finding(
            "import.header-conflict",
            f"the file says {name} {found} but the command line says {given}; "
            "the file's value is used",
            f"skedari thotë {found} por komanda thotë {given}; përdoret vlera e skedarit",
            kind=None,
            record_id=None,
            pointer=f"/{name}",
            position=where,
            value=found,
            severity=Severity.WARNING,
        )
    return found if found is not None else given


def _infer(reader: _Reader, part: Callable[[str], str | None]) -> str | None:
    found: set[str] = set()
    for records in reader.records.values():
        for record in records:
            try:
                value = part(record.id)
            except IndexError:
                value = None
            if value:
                found.add(value)
    return found.pop() if len(found) == 1 else None
