"""The sheets of the template and the CSV files: which columns each record kind has.

One :class:`~krat_core.importing.columns.Sheet` per record kind (``institution``,
``case``, ``activity``, ``objective``) and one per nested list (``assistance``
rows linked to their case by ``case_id``, ``indicator`` rows linked to their
objective by ``objective_id``). Nested single objects are flattened into the
record's row with dotted machine names (``referral.referred_on``,
``participants.total``). :data:`SHEETS` lists them in writing order;
:data:`SUBMISSION_FIELDS` are the header fields of the "Dorëzimi"/"Submission"
sheet.

Every tabular reader and writer goes through these tables: the official Excel
template (``krat template``), the XLSX and CSV importers, and the record sheets
of the CSV and XLSX report exporters. A column per model field, no column
without a field: ``tests/test_columns_from_models.py`` checks the tables against
the models field by field, so a new model field cannot be dropped silently on
its way through a workbook (see ``docs/importing.md``, "Adding a field").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from krat_core.format.codelists import (
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
from krat_core.format.models import RECORD_LISTS, Submission
from krat_core.importing.columns import Column, HeaderField, Sheet, SheetName, ValueType

__all__ = [
    "INSTRUCTIONS_SHEET",
    "LISTS_SHEET",
    "NESTED_SHEETS",
    "SHEETS",
    "SUBMISSION_FIELDS",
    "SUBMISSION_SHEET",
    "record_columns",
    "record_rows",
    "submission_values",
]


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
        "the name columns are filled and the import is run with --key; write 'i panjohur' "
        "(unknown) when the person's identity is not known",
        help_sq="64 shenja heksadecimale të llogaritura me çelësin kombëtar; lëreni bosh kur "
        "plotësohen kolonat e emrit dhe importi bëhet me --key; shkruani 'i panjohur' kur "
        "identiteti i personit nuk dihet",
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
        "nil_return",
        "Asgjë për të raportuar",
        "Nil return",
        "text",
        "Yes when the region has no case, activity or objective to report for the period",
        "Po kur qarku nuk ka asnjë rast, aktivitet apo objektiv për të raportuar në periudhë",
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
        "nil_return": "po" if submission.nil_return else None,
        "extensions": orjson.dumps(ext, option=orjson.OPT_SORT_KEYS).decode() if ext else None,
    }


def record_rows(submission: Submission, sheet: Sheet) -> Iterator[list[Any]]:
    """Machine values of every row of ``sheet`` for ``submission``, in record order."""
    owner = sheet.parent or sheet.kind
    for record in getattr(submission, RECORD_LISTS[owner]):
        yield from sheet.rows(record)


def record_columns(submissions: Iterable[Submission], sheet: Sheet) -> list[list[Any]]:
    """Machine values of every row of ``sheet`` for ``submissions``, column by column:
    :func:`record_rows` of each submission in turn, transposed (what the CSV and
    workbook reports convert a column at a time)."""
    owner = RECORD_LISTS[sheet.parent or sheet.kind]
    return sheet.value_columns([r for s in submissions for r in getattr(s, owner)])


NESTED_SHEETS: dict[str, Sheet] = {s.parent: s for s in SHEETS.values() if s.parent}
"""The nested-list sheet of each record kind that has one (``case`` -> assistance)."""
