"""The ``htcds`` output: the cases in the layout of the HTCDS 2.0 Excel template.

"Human Trafficking Case Data Standard (HTCDS) by IOM, CC BY 4.0". The workbook
has the template's one sheet, ``Sheet1``, with its two header rows (machine
names in row 1, labels in row 2, the row number in column A), one case per row
from row 3, in the template's column order. Row 1 uses the standard's field
names where the template misspells them or leaves them out:
``vic_TraffickingStatusDecisionMakingOrg`` (the template has
``vic_TraffickinStatusDecisionMakingOrg``) and ``cas_ReasonForOutgoingReferral``
(no name above "Reason for Outgoing Referral", column AJ). The label row orders
the mailing address differently from the name row, as upstream does (the
export leaves those columns empty).

Our code lists are mapped to HTCDS value names (``CodeList.htcds``); a
multi-valued field is joined with ";". What HTCDS has no value for is written
as ``Other`` and its KRAT label kept in a ``krat_*Other`` column instead of
being lost: forced criminality (``vic_TypeOfExploitation`` Other,
``krat_TypeOfExploitationOther``), the romantic-relationship ("loverboy")
method and the job offer (``vic_MethodOfRecruitment`` Other,
``krat_MethodOfRecruitmentOther``). A job offer is a method, not a place:
HTCDS's ``AtAPlaceOfBusiness`` is a *location* value and is never used for it.
``krat_ExploitationTypes`` keeps our codes.
Columns after the template's: HTCDS standard fields the template lacks
(``vic_RelationshipToTrafficker``, ``spl_Type``), then ``krat_*`` columns for
what HTCDS has no field for. Every person field (names, birth date, contact,
address) stays empty: KRAT has no personal identifiers, and the pseudonymous
``subject_ref`` is not exported either. Record-level data: for authorised
exchange only, never for publication; written only when records are asked for
(``ExportOptions.records``, ``--records``). The sheet ``About`` and the
workbook's properties say who the file is for (``Audience``: ``public`` or
``committee``) and that it holds case records (``Records``: ``yes``, with their
number); the keywords carry the same as ``krat-audience=...; krat-records=yes``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from krat_core import hookimpl
from krat_core.errors import ExporterUnavailable
from krat_core.format.codelists import CaseStage, ClosingReason, CodeList, InstitutionType
from krat_core.messages import Message
from krat_core.plugins.descriptors import Exporter, ExportOptions
from krat_plugins.exporters._text import fixed_zip, xml_text

NEEDS_OPENPYXL = Message(
    sq="dalja HTCDS kërkon openpyxl: instaloni krat[excel]",
    en="the HTCDS output needs openpyxl: install krat[excel]",
)

if TYPE_CHECKING:
    from krat_core.format.models import Case, Institution

ATTRIBUTION = "Human Trafficking Case Data Standard (HTCDS) by IOM, CC BY 4.0"

TEMPLATE_NAMES: tuple[str | None, ...] = (
    None,
    "cas_CaseOwner",
    "prs_Salutation",
    "prs_FirstName",
    "prs_SecondName",
    "con_Consent",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "prs_Title",
    "prs_Email",
    "prs_HomePhone",
    "prs_MobilePhone",
    "prs_MailingCity",
    "prs_MailingCountry",
    "prs_MailingState",
    "prs_MailingStreet",
    "prs_MailingPostalCode",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_MethodOfRecruitment",
    "vic_LocationOfRecruitment",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation",
    "vic_LocationOfExploitation",
    "cas_Status",
    "cas_ReferringOrganisation",
    "cas_IncomingReferralDate",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails",
    "cas_ReferredOrganisation",
    "cas_ReferredPrimaryCaseWorker",
    "cas_ReasonForOutgoingReferral",
    "cas_OutgoingReferralDate",
    "cas_OutgoingReferralDetails",
    "cas_ReasonForCaseClosure",
)
"""Row 1 of Sheet1: the template's names, with the standard's spelling of column T
and the name the template leaves out above column AJ (:data:`UPSTREAM_QUIRKS`)."""

UPSTREAM_QUIRKS: dict[str, str | None] = {
    "vic_TraffickingStatusDecisionMakingOrg": "vic_TraffickinStatusDecisionMakingOrg",
    "cas_ReasonForOutgoingReferral": None,
}
"""Our row-1 name -> what the upstream template has in its place."""

TEMPLATE_LABELS: tuple[str | None, ...] = (
    None,
    "Case Owner",
    "Salutation",
    "First Name",
    "Second Name",
    "Consent",
    "Birthdate",
    "Gender",
    "Citizenship",
    "Title",
    "Email",
    "Home Phone",
    "Mobile Phone",
    "Mailing Street",
    "Mailing City",
    "Mailing State/Province",
    "Mailing Zip/Postal Code",
    "Mailing Country",
    "Trafficking Status",
    "Trafficking Status Decision Making Organization",
    "Method of Recruitment",
    "Location of Recruitment",
    "Methods of Control",
    "Type of Exploitation",
    "Forced Labour Industry",
    "Type of Sex Exploitation",
    "Location of Exploitation",
    "Status",
    "Referring Organisation",
    "Incoming Referral Date",
    "Referring Primary Case Worker",
    "Reason for Incoming Referral",
    "Incoming Referral Details",
    "Referred Organisation",
    "Referred Primary Case Worker",
    "Reason for Outgoing Referral",
    "Outgoing Referral Date",
    "Outgoing Referral Details",
    "Reason for Case Closure",
)
"""Row 2 of the template's Sheet1 (labels)."""

EXTRA_COLUMNS: tuple[tuple[str, str], ...] = (
    ("vic_RelationshipToTrafficker", "Relationship to Trafficker"),
    ("spl_Type", "Support Plan Type"),
    ("krat_TypeOfExploitationOther", "KRAT exploitation types written as Other (labels)"),
    ("krat_MethodOfRecruitmentOther", "KRAT method of recruitment written as Other (label)"),
    ("krat_CaseId", "KRAT case id"),
    ("krat_Region", "KRAT region (ISO 3166-2:AL)"),
    ("krat_AgeAtIdentification", "KRAT age at identification"),
    ("krat_Minor", "KRAT minor (under 18)"),
    ("krat_IdentificationSource", "KRAT identification source"),
    ("krat_Scope", "KRAT internal or transnational"),
    ("krat_CountriesOfExploitation", "KRAT countries of exploitation (ISO 3166-1)"),
    ("krat_ExploitationTypes", "KRAT exploitation types (KRAT codes)"),
    ("krat_Stage", "KRAT case stage"),
    ("krat_ClosedOn", "KRAT closed on"),
    ("krat_CriminalProceedings", "KRAT criminal proceedings started"),
)
"""Columns after the template's: HTCDS fields missing from the template, then KRAT's own."""

DECISION_ORG: dict[InstitutionType, str] = {
    InstitutionType.POLICE: "Police",
    InstitutionType.BORDER_POLICE: "Police",
    InstitutionType.NGO: "NGO",
    InstitutionType.PROSECUTION: "CourtOrProsecution",
    InstitutionType.COURT: "CourtOrProsecution",
    InstitutionType.SOCIAL_SERVICES: "NonPoliceGovernmentalOrganization",
    InstitutionType.CHILD_PROTECTION: "NonPoliceGovernmentalOrganization",
    InstitutionType.EDUCATION: "NonPoliceGovernmentalOrganization",
    InstitutionType.HEALTH: "NonPoliceGovernmentalOrganization",
    InstitutionType.EMPLOYMENT_OFFICE: "NonPoliceGovernmentalOrganization",
    InstitutionType.LABOUR_INSPECTORATE: "NonPoliceGovernmentalOrganization",
    InstitutionType.PREFECTURE: "NonPoliceGovernmentalOrganization",
    InstitutionType.MUNICIPALITY: "NonPoliceGovernmentalOrganization",
    InstitutionType.INTERNATIONAL: "Other",
    InstitutionType.OTHER: "Other",
}
"""Institution type of ``status_decided_by`` -> vic_TraffickingStatusDecisionMakingOrg."""


def case_status(case: Case) -> str:
    """cas_Status: Closed (ClosedReferred if transferred), FollowUp if reintegrated, else Active."""
    if case.stage is CaseStage.CLOSED:
        return "ClosedReferred" if case.closing_reason is ClosingReason.TRANSFERRED else "Closed"
    if case.stage is CaseStage.REINTEGRATED:
        return "FollowUp"
    return "Active"


METHOD_OVERRIDES: dict[str, str] = {"job_offer": "Other"}
"""KRAT recruitment methods whose code-list HTCDS value is not a method: a job offer
is mapped to ``AtAPlaceOfBusiness``, a *location* of recruitment, so it is written
as Other (with its label in ``krat_MethodOfRecruitmentOther``)."""


def _htcds(value: CodeList) -> str | None:
    return value.htcds or "Other"


def _method(method: CodeList | None) -> str | None:
    """vic_MethodOfRecruitment: the HTCDS method, or Other where HTCDS has none."""
    if method is None:
        return None
    return METHOD_OVERRIDES.get(str(method.value), _htcds(method))


def _multi(values: Iterable[CodeList]) -> str | None:
    names = dict.fromkeys(v.htcds for v in values if v.htcds)
    return ";".join(n for n in names if n) or None


def case_row(case: Case, region: str, institutions: dict[str, Institution]) -> list[Any]:
    """One case as the cells of a template row after column A (plus the extra columns)."""

    def name(inst_id: str | None) -> str | None:
        if inst_id is None:
            return None
        inst = institutions.get(inst_id)
        return inst.name if inst is not None else inst_id

    decided = institutions.get(case.status_decided_by or "")
    referral = case.referral
    template: dict[str, Any] = {
        "con_Consent": referral.consent if referral is not None else None,
        "prs_Gender": case.sex.htcds,
        "prs_Citizenship": ";".join(case.citizenships) or None,
        "vic_TraffickingStatus": case.status.htcds,
        "vic_TraffickingStatusDecisionMakingOrg": DECISION_ORG.get(decided.type)
        if decided
        else None,
        "vic_MethodOfRecruitment": _method(case.recruitment_method),
        "vic_TypeOfExploitation": _multi(case.exploitation_types),
        "cas_Status": case_status(case),
        "cas_ReferringOrganisation": name(case.identified_by),
        "cas_IncomingReferralDate": case.identified_on,
        "cas_ReferredOrganisation": name(referral.referred_to) if referral else None,
        "cas_OutgoingReferralDate": referral.referred_on if referral else None,
        "cas_ReasonForCaseClosure": case.closing_reason.en if case.closing_reason else None,
    }
    extra: dict[str, Any] = {
        "vic_RelationshipToTrafficker": (
            case.relationship_to_trafficker.htcds if case.relationship_to_trafficker else None
        ),
        "spl_Type": _multi(a.type for a in case.assistance),
        "krat_TypeOfExploitationOther": "; ".join(
            t.en for t in dict.fromkeys(case.exploitation_types) if _htcds(t) == "Other"
        )
        or None,
        "krat_MethodOfRecruitmentOther": (
            case.recruitment_method.en
            if case.recruitment_method is not None and _method(case.recruitment_method) == "Other"
            else None
        ),
        "krat_CaseId": case.id,
        "krat_Region": region,
        "krat_AgeAtIdentification": case.age_at_identification,
        "krat_Minor": case.minor,
        "krat_IdentificationSource": case.identification_source.value,
        "krat_Scope": case.scope.value,
        "krat_CountriesOfExploitation": ";".join(case.countries_of_exploitation) or None,
        "krat_ExploitationTypes": ";".join(t.value for t in case.exploitation_types) or None,
        "krat_Stage": case.stage.value,
        "krat_ClosedOn": case.closed_on,
        "krat_CriminalProceedings": case.criminal_proceedings,
    }
    cells = [template.get(n) if n else None for n in TEMPLATE_NAMES[1:]]
    cells += [extra[n] for n, _ in EXTRA_COLUMNS]
    return cells


def write_htcds(dataset: Any, path: Path, options: ExportOptions) -> None:
    """Write the cases of ``dataset`` as an HTCDS 2.0 template workbook (only with
    ``options.records``: the file holds case records)."""
    from krat_core.reporting.exporting import require_records

    require_records(options, "htcds")
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
    except ImportError:
        raise ExporterUnavailable(NEEDS_OPENPYXL.both()) from None
    from krat_core.reporting import dataset_submissions
    from krat_core.safety import neutralise

    submissions = dataset_submissions(dataset)
    institutions = {i.id: i for s in submissions for i in s.institutions}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.freeze_panes = "B3"
    bold = Font(bold=True)

    def header(values: Iterable[str | None]) -> list[Any]:
        out: list[Any] = []
        for v in values:
            cell = WriteOnlyCell(ws, value=v)
            cell.font = bold
            out.append(cell)
        return out

    ws.append(header([*TEMPLATE_NAMES, *(n for n, _ in EXTRA_COLUMNS)]))
    ws.append(header([*TEMPLATE_LABELS, *(label for _, label in EXTRA_COLUMNS)]))
    number = 0
    for s in submissions:
        for case in s.cases:
            number += 1
            # Plain values: openpyxl formats dates as yyyy-mm-dd itself, and a styled
            # cell object per value would cost several times more on 10^5 cases.
            row: list[Any] = [number]
            for value in case_row(case, s.region, institutions):
                row.append(neutralise(xml_text(value)) if isinstance(value, str) else value)
            ws.append(row)
    about = wb.create_sheet("About")
    for line in (
        ("Audience", options.audience),
        ("Records", f"yes: {number} case records; not for publication"),
        ("Source", ATTRIBUTION),
        ("Licence", "http://creativecommons.org/licenses/by/4.0/"),
        (
            "Layout",
            "Sheet1 follows the HTCDS 2.0 Excel template; columns after "
            "cas_ReasonForCaseClosure are additions (HTCDS fields the template lacks, "
            "then krat_* fields).",
        ),
        (
            "Privacy",
            "Record-level data for authorised exchange only. No names, birth dates, "
            "contact details or pseudonyms are included.",
        ),
        (
            "Mapping",
            "What HTCDS has no value for is written as Other, with the KRAT label in "
            "krat_TypeOfExploitationOther or krat_MethodOfRecruitmentOther (forced "
            "criminality; romantic relationship; job offer, which is a method, not the "
            "location AtAPlaceOfBusiness). Row 1 uses the standard's names where the "
            "template has vic_TraffickinStatusDecisionMakingOrg and no name above "
            "Reason for Outgoing Referral. krat_ExploitationTypes keeps the KRAT codes.",
        ),
    ):
        about.append(list(line))
    day = date.fromisoformat(options.generated_on) if options.generated_on else date.today()
    wb.properties.created = wb.properties.modified = datetime(day.year, day.month, day.day)
    wb.properties.creator = wb.properties.lastModifiedBy = "KRAT"
    wb.properties.keywords = f"krat-audience={options.audience}; krat-records=yes"
    wb.save(path)
    fixed_zip(path, day)


@hookimpl
def krat_exporters() -> list[Exporter]:
    """The HTCDS 2.0 case workbook."""
    return [
        Exporter(
            name="htcds",
            suffix=".xlsx",
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            write=write_htcds,
            title="Cases in the HTCDS 2.0 Excel template layout (IOM, CC BY 4.0)",
        )
    ]
