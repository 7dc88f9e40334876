"""Every closed vocabulary of the exchange format, in one place.

Each code list is a :class:`CodeList` (a ``str`` enum): the member's value is
the stable machine code written to files, and each member carries its
Albanian label (``sq``), English label (``en``), the HTCDS 2.0 value name
where HTCDS has the same concept (``htcds``), and extra spellings people type
(``aliases``, e.g. ``VT``). Labels follow ``shared/reference/albanian-terms.md``.

HTCDS value names: "Human Trafficking Case Data Standard (HTCDS) by IOM, CC BY 4.0".
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Any, Self

REGION_PATTERN = r"AL-(0[1-9]|1[0-2])"
"""Regex for an ISO 3166-2:AL region code (unanchored: it is also used inside record ids)."""
PERIOD_PATTERN = r"[0-9]{4}(-H[12])?"
"""Regex for a period: a year (``2024``) or a half-year (``2024-H1``); anchor it to use it."""
RECORD_KINDS: tuple[str, ...] = ("institution", "case", "activity", "objective")
"""The kinds of record in a submission, in the order of the format (the one definition:
``models.RECORD_TYPES``, the national ``RecordKind``, rules' ``kinds``; checked by a test)."""

__all__ = [
    "ALIASES",
    "CODE_LISTS",
    "COUNTRY_CODES",
    "PERIOD_PATTERN",
    "RECORD_KINDS",
    "REGION_PATTERN",
    "ActivityStatus",
    "ActivityType",
    "AssistanceType",
    "CaseStage",
    "CaseStatus",
    "ClosingReason",
    "CodeList",
    "ExploitationType",
    "IdentificationSource",
    "InstitutionType",
    "ObjectiveStatus",
    "Observance",
    "Pillar",
    "RecruitmentMethod",
    "RelationshipToTrafficker",
    "Sex",
    "TargetGroup",
    "TraffickingScope",
    "fold",
]


def fold(text: str) -> str:
    """Fold ``text`` for forgiving comparison: lower case, no accents, single spaces.

    ``fold(" Shfrytëzim  SEKSUAL ") == "shfrytezim seksual"``; ``ç`` becomes ``c``.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


class CodeList(StrEnum):
    """Base of every code list: a machine code with labels in two languages."""

    sq: str
    en: str
    aliases: tuple[str, ...]
    _htcds: str

    def __new__(
        cls, code: str, sq: str, en: str, htcds: str | None = None, aliases: tuple[str, ...] = ()
    ) -> Self:
        member = str.__new__(cls, code)
        member._value_ = code
        member.sq = sq
        member.en = en
        member._htcds = htcds or ""
        member.aliases = aliases
        return member

    @property
    def htcds(self) -> str | None:
        """The HTCDS 2.0 value name of the same concept, or None where HTCDS has none."""
        return self._htcds or None

    def label(self, lang: str = "sq") -> str:
        """This value's label in ``lang`` ("sq" or "en")."""
        return self.sq if lang == "sq" else self.en

    @classmethod
    def lookup_table(cls) -> dict[str, Self]:
        """Every accepted spelling, folded (see :func:`fold`), mapped to its member.

        Machine codes, Albanian and English labels and aliases are all accepted,
        and the inflected forms of :data:`ALIASES`.
        A folded spelling shared by two members is left out (ambiguous).
        """
        cached: dict[str, Self] | None = cls.__dict__.get("_lookup_cache")
        if cached is not None:
            return cached
        extra = ALIASES.get(cls.__name__, {})
        table: dict[str, Self] = {}
        ambiguous: set[str] = set()
        for member in cls:
            spellings = (member.value, member.sq, member.en, *member.aliases)
            for spelling in (*spellings, *extra.get(member.value, ())):
                key = fold(spelling)
                if key in table and table[key] is not member:
                    ambiguous.add(key)
                table[key] = member
        for key in ambiguous:
            del table[key]
        type.__setattr__(cls, "_lookup_cache", table)
        return table

    @classmethod
    def parse(cls, text: str) -> Self | None:
        """The member that ``text`` spells (code, label in either language or alias), or None."""
        return cls.lookup_table().get(fold(text))

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        schema: dict[str, Any] = handler(core_schema)
        schema = handler.resolve_ref_schema(schema)
        schema["x-krat-labels"] = {m.value: {"sq": m.sq, "en": m.en} for m in cls}
        htcds = {m.value: m.htcds for m in cls if m.htcds}
        if htcds:
            schema["x-htcds"] = htcds
        return schema


class CaseStatus(CodeList):
    """Trafficking status of a person after screening (HTCDS vic_TraffickingStatus)."""

    VICTIM = (
        "victim",
        "viktimë e trafikimit",
        "victim of trafficking",
        "ActualVictimOfTrafficking",
        ("VT",),
    )
    POTENTIAL_VICTIM = (
        "potential_victim",
        "viktimë e mundshme e trafikimit",
        "potential victim of trafficking",
        "PossibleVictimOfTrafficking",
        ("VMT", "potential victim"),
    )
    NOT_VICTIM = (
        "not_victim",
        "nuk është viktimë e trafikimit",
        "not a victim",
        "NotAVictimOfTrafficking",
    )


class Sex(CodeList):
    """Sex of the person (HTCDS prs_Gender)."""

    FEMALE = ("female", "femër", "female", "Feminine", ("F",))
    MALE = ("male", "mashkull", "male", "Masculine", ("M",))
    OTHER = ("other", "tjetër", "other", "NonConforming")
    UNKNOWN = ("unknown", "i panjohur", "unknown", "NonSpecifiedUnknown")


class ExploitationType(CodeList):
    """Type of exploitation (HTCDS vic_TypeOfExploitation; forced criminality maps to Other)."""

    SEXUAL = (
        "sexual_exploitation",
        "shfrytëzim seksual",
        "sexual exploitation",
        "SexualExploitation",
    )
    FORCED_LABOUR = ("forced_labour", "punë e detyruar", "forced labour", "ForcedLabour")
    FORCED_BEGGING = ("forced_begging", "lypje e detyruar", "forced begging", "ForcedBegging")
    FORCED_CRIMINALITY = (
        "forced_criminality",
        "kriminalitet i detyruar",
        "forced criminality",
        "Other",
    )
    FORCED_MARRIAGE = ("forced_marriage", "martesë e detyruar", "forced marriage", "ForcedMarriage")
    DOMESTIC_SERVITUDE = (
        "domestic_servitude",
        "shërbim shtëpiak i detyruar",
        "domestic servitude",
        "Servitude",
    )
    CHILD_LABOUR = ("child_labour", "punë e fëmijëve", "child labour", "ChildLabour")
    ORGAN_REMOVAL = ("organ_removal", "heqje organesh", "organ removal", "OrganRemoval")
    OTHER = ("other", "tjetër", "other", "Other")
    UNKNOWN = ("unknown", "e panjohur", "unknown")


class TraffickingScope(CodeList):
    """Whether exploitation happened inside Albania only or across borders."""

    INTERNAL = ("internal", "trafikim i brendshëm", "internal trafficking", None, ("internal",))
    TRANSNATIONAL = (
        "transnational",
        "trafikim ndërkombëtar",
        "transnational trafficking",
        None,
        ("transnational",),
    )
    UNKNOWN = ("unknown", "i panjohur", "unknown")


class IdentificationSource(CodeList):
    """Who or what brought the person to the attention of the referral mechanism."""

    POLICE = ("police", "policia", "police")
    SOCIAL_SERVICES = ("social_services", "shërbimet sociale", "social services")
    NGO = ("ngo", "organizatë jofitimprurëse (OJF)", "NGO", None, ("OJF",))
    MOBILE_UNIT = (
        "mobile_unit",
        "njësi e lëvizshme identifikimi",
        "mobile identification unit",
    )
    HOTLINE = ("hotline", "linja e ndihmës 116 006", "hotline 116 006", None, ("116 006",))
    SCHOOL = ("school", "shkolla", "school")
    HEALTH = ("health", "shërbimi shëndetësor", "health service")
    FAMILY = ("family", "familja", "family")
    SELF_REFERRAL = ("self_referral", "vetëreferim", "self-referral")
    OTHER = ("other", "tjetër", "other")


class InstitutionType(CodeList):
    """Kind of institution taking part in the referral mechanism (HTCDS org_Type)."""

    POLICE = ("police", "Policia e Shtetit", "State Police", "LawEnforcement")
    BORDER_POLICE = ("border_police", "Policia Kufitare", "Border Police", "LawEnforcement")
    SOCIAL_SERVICES = (
        "social_services",
        "Shërbimi Social Shtetëror",
        "State Social Service",
        "CentralGovernmentOrganisation",
    )
    CHILD_PROTECTION = (
        "child_protection_unit",
        "Njësia për Mbrojtjen e Fëmijëve",
        "Child Protection Unit",
        "LocalGovernmentOrganisation",
    )
    EDUCATION = (
        "education",
        "Zyra Vendore Arsimore",
        "education office or school",
        "SchoolOrCollege",
    )
    HEALTH = (
        "health",
        "Drejtoria e Shëndetit Publik",
        "public health directorate",
        "HealthServiceOrganisation",
    )
    EMPLOYMENT_OFFICE = (
        "employment_office",
        "Zyra e Punësimit",
        "employment office",
        "CentralGovernmentOrganisation",
    )
    LABOUR_INSPECTORATE = (
        "labour_inspectorate",
        "Inspektorati Shtetëror i Punës",
        "State Labour Inspectorate",
        "CentralGovernmentOrganisation",
    )
    PROSECUTION = ("prosecution", "Prokuroria", "prosecution", "LegalService")
    COURT = ("court", "Gjykata", "court", "LegalService")
    PREFECTURE = ("prefecture", "Prefektura", "prefecture", "CentralGovernmentOrganisation")
    MUNICIPALITY = ("municipality", "Bashkia", "municipality", "LocalGovernmentOrganisation")
    NGO = ("ngo", "organizatë jofitimprurëse", "NGO", "NGO", ("OJF",))
    INTERNATIONAL = (
        "international_organisation",
        "organizatë ndërkombëtare",
        "international organisation",
    )
    OTHER = ("other", "tjetër", "other")


class CaseStage(CodeList):
    """Where the case stands in the referral mechanism."""

    IDENTIFIED = ("identified", "identifikuar", "identified")
    REFERRED = ("referred", "referuar", "referred")
    ASSISTED = ("assisted", "në asistencë", "in assistance", None, ("in assistance",))
    REINTEGRATED = ("reintegrated", "riintegruar", "reintegrated")
    CLOSED = ("closed", "mbyllur", "closed", "Closed")


class AssistanceType(CodeList):
    """Type of assistance given to a victim (HTCDS spl_Type where it matches)."""

    SHELTER = ("shelter", "strehim", "shelter", "SocialCare")
    MEDICAL = ("medical", "ndihmë mjekësore", "medical assistance", "Health")
    PSYCHOLOGICAL = ("psychological", "mbështetje psikologjike", "psychological support", "Health")
    LEGAL = ("legal", "ndihmë ligjore", "legal assistance", "Legal")
    EDUCATION = ("education", "arsim", "education", "Education")
    VOCATIONAL_TRAINING = (
        "vocational_training",
        "formim profesional",
        "vocational training",
        "Livelihood",
    )
    EMPLOYMENT = ("employment", "punësim", "employment", "Livelihood")
    ECONOMIC_SUPPORT = ("economic_support", "mbështetje ekonomike", "economic support", "Financial")
    FAMILY_REINTEGRATION = (
        "family_reintegration",
        "riintegrim familjar",
        "family reintegration",
        "SocialCare",
    )
    REPATRIATION = ("repatriation", "riatdhesim", "repatriation")
    SOCIAL_CARE = ("social_care", "kujdes social", "social care", "SocialCare")
    OTHER = ("other", "tjetër", "other")


class RecruitmentMethod(CodeList):
    """How the person was recruited (HTCDS vic_MethodOfRecruitment where it matches)."""

    JOB_OFFER = ("job_offer", "ofertë pune", "job offer", "AtAPlaceOfBusiness")
    ROMANTIC = (
        "romantic_relationship",
        "lidhje romantike ose premtim martese",
        "romantic relationship or promise of marriage",
        "Other",
    )
    FAMILY = ("family", "nëpërmjet familjes", "through family", "ThroughFamilyOrFamilyEvents")
    FRIENDS = ("friends", "nëpërmjet miqve", "through friends", "ThroughFriendsOrSocialEvents")
    ONLINE = (
        "online_social_network",
        "rrjete sociale në internet",
        "online social network",
        "ThroughOnlineSocialNetworks",
    )
    ONLINE_ADVERT = (
        "online_advertisement",
        "njoftim në internet",
        "online advertisement",
        "ThroughAnOnlineAdvertisement",
    )
    SCHOOL = (
        "educational_institution",
        "në institucion arsimor",
        "at an educational institution",
        "AtAnEducationalInstitution",
    )
    OTHER = ("other", "tjetër", "other", "Other")
    UNKNOWN = ("unknown", "e panjohur", "unknown")


class RelationshipToTrafficker(CodeList):
    """The person's relationship to the trafficker (HTCDS vic_RelationshipToTrafficker)."""

    FAMILY = ("family", "familjar", "family member", "Familial")
    PARTNER = ("partner", "partner intim", "intimate partner", "Acquainted")
    ACQUAINTANCE = ("acquaintance", "i njohur", "acquaintance", "Acquainted")
    STRANGER = ("stranger", "i panjohur për viktimën", "stranger", "Unaquainted")
    UNKNOWN = ("unknown", "e panjohur", "unknown")


class ClosingReason(CodeList):
    """Why a case was closed."""

    REINTEGRATED = ("reintegrated", "riintegruar me sukses", "successfully reintegrated")
    TRANSFERRED = ("transferred", "transferuar në një qark tjetër", "transferred to another region")
    REPATRIATED = ("repatriated", "riatdhesuar", "repatriated")
    REFUSED = ("refused_assistance", "refuzoi asistencën", "refused assistance")
    LOST_CONTACT = ("lost_contact", "humbi kontakti", "contact lost")
    NOT_VICTIM = ("not_victim", "nuk është viktimë", "found not to be a victim")
    OTHER = ("other", "tjetër", "other")


class ActivityType(CodeList):
    """Kind of awareness activity in the calendar."""

    SCHOOL_SESSION = ("school_session", "seancë informuese në shkollë", "school session")
    FORUM = ("forum", "forum ose debat", "forum or debate")
    CAMPAIGN = ("campaign", "fushatë ndërgjegjësuese", "awareness campaign")
    MEDIA = ("media", "media (TV, radio, rrjete sociale)", "media (TV, radio, social media)")
    TRAINING = ("training", "trajnim për profesionistë", "training of professionals")
    COORDINATION_MEETING = ("coordination_meeting", "takim koordinues", "coordination meeting")
    COMPETITION = ("competition", "konkurs (vizatimi, ese)", "competition (drawing, essay)")
    CULTURAL_EVENT = (
        "cultural_event",
        "aktivitet kulturor (teatër, marshim)",
        "cultural event (theatre, march)",
    )
    PUBLICATION = ("publication", "material informues (fletëpalosje)", "publication (leaflets)")
    OTHER = ("other", "tjetër", "other")


class ActivityStatus(CodeList):
    """State of an activity."""

    PLANNED = ("planned", "planifikuar", "planned")
    COMPLETED = ("completed", "realizuar", "completed")
    POSTPONED = ("postponed", "shtyrë", "postponed")
    CANCELLED = ("cancelled", "anuluar", "cancelled")


class Observance(CodeList):
    """The national-calendar observance an activity marks."""

    EU_DAY = (
        "eu_day",
        "Dita Evropiane kundër Trafikimit (18 tetor)",
        "EU Anti-Trafficking Day (18 October)",
    )
    WORLD_DAY = (
        "world_day",
        "Dita Botërore kundër Trafikimit të Personave (30 korrik)",
        "World Day against Trafficking in Persons (30 July)",
    )
    OCTOBER_MONTH = (
        "october_month",
        "Muaji i Luftës kundër Trafikimit të Personave (tetor)",
        "anti-trafficking month (October)",
    )
    OTHER = ("other", "tjetër", "other")


class TargetGroup(CodeList):
    """Who an activity is for."""

    PUPILS = ("pupils", "nxënës", "pupils")
    TEACHERS = ("teachers", "mësues", "teachers")
    SCHOOL_PSYCHOLOGISTS = ("school_psychologists", "psikologë shkollorë", "school psychologists")
    PARENTS = ("parents", "prindër", "parents")
    ROMA_EGYPTIAN = (
        "roma_egyptian",
        "komunitetet rome dhe egjiptiane",
        "Roma and Egyptian communities",
    )
    HEALTH_STAFF = ("health_staff", "personel shëndetësor", "health staff")
    SOCIAL_WORKERS = ("social_workers", "punonjës socialë", "social workers")
    POLICE = ("police", "punonjës policie", "police officers")
    PROFESSIONALS = ("professionals", "profesionistë", "professionals")
    GENERAL_PUBLIC = ("general_public", "publiku i gjerë", "general public")
    YOUTH = ("youth", "të rinj", "youth")
    OTHER = ("other", "tjetër", "other")


class Pillar(CodeList):
    """The pillar (4P) of the national strategy an objective falls under."""

    PREVENTION = ("prevention", "parandalimi", "prevention")
    PROTECTION = ("protection", "mbrojtja", "protection")
    PROSECUTION = ("prosecution", "ndjekja penale", "prosecution")
    PARTNERSHIP = ("partnership", "partneriteti", "partnership")


class ObjectiveStatus(CodeList):
    """How far an objective of the action plan has come."""

    NOT_STARTED = ("not_started", "pa filluar", "not started")
    IN_PROGRESS = ("in_progress", "në proces", "in progress")
    ACHIEVED = ("achieved", "realizuar", "achieved")
    PARTIALLY_ACHIEVED = ("partially_achieved", "realizuar pjesërisht", "partially achieved")
    NOT_ACHIEVED = ("not_achieved", "nuk është realizuar", "not achieved")
    CANCELLED = ("cancelled", "anuluar", "cancelled")


# ISO 3166-1 alpha-2, officially assigned codes (15 a line: one a line made this module too long).
# fmt: off
COUNTRY_CODES: frozenset[str] = frozenset(
    [
        "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX",
        "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ",
        "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK",
        "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
        "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR",
        "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS",
        "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN",
        "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
        "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV",
        "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ",
        "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI",
        "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
        "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC",
        "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV",
        "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR",
        "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
        "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW", "XK",
    ]
)
# fmt: on
"""ISO 3166-1 alpha-2 codes, plus ``XK`` (Kosovo, the user-assigned code in common use)."""

CODE_LISTS: dict[str, type[CodeList]] = {
    cls.__name__: cls
    for cls in (
        CaseStatus,
        Sex,
        ExploitationType,
        TraffickingScope,
        IdentificationSource,
        InstitutionType,
        CaseStage,
        AssistanceType,
        RecruitmentMethod,
        RelationshipToTrafficker,
        ClosingReason,
        ActivityType,
        ActivityStatus,
        Observance,
        TargetGroup,
        Pillar,
        ObjectiveStatus,
    )
}
"""Every code list by class name, in a stable order."""


# What staff actually type for a code: inflected, definite and diacritic-less forms.
# One alias list per code list, by the code list's class name and the member's code;
# CodeList.lookup_table accepts them besides the code, the two labels and the member's
# own aliases. Comparison is after fold() (case, accents and spacing do not matter), so
# "nuk eshte viktime" and "Nuk është viktimë" are one entry: a form is written here once,
# with its ë and ç. A spelling naming two members of one list is dropped (ambiguous).
# Where the forms come from (docs/importing.md says the same for people):
# * shared/reference/albanian-terms.md: the terms institutions use (marked "src"
#   there) besides our labels ("strehëz", "aktivitete sensibilizuese", "trafikim i
#   brendshëm"), the words of the longer labels typed alone ("fletëpalosje", "18
#   tetor"), and the report words "femra"/"meshkuj";
# * the definite and indefinite forms of those terms and labels ("mbrojtje" for
#   "mbrojtja", "strehimi" for "strehim", "nxënësit" for "nxënës");
# * what the staffer typed in the Elbasan trial of issue 14 ("Mbrojtje", "nuk eshte
#   viktime", "puna e femijeve", "femra", "Policisë").
# A region sends the forms its staff type to the national office; each is one entry
# below and one row of the table in docs/importing.md (tests check both).
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "CaseStatus": {
        "victim": ("viktimë", "viktima", "viktimë trafikimi", "viktimë e trafikuar"),
        "potential_victim": (
            "viktimë e mundshme",
            "viktima e mundshme",
            "viktimë potenciale",
            "viktima potenciale",
            "e mundshme",
        ),
        "not_victim": (
            "nuk është viktimë",
            "jo viktimë",
            "nuk është viktimë trafikimi",
            "s'është viktimë",
        ),
    },
    "Sex": {
        "female": ("femra", "grua", "vajzë"),
        "male": ("mashkulli", "meshkuj", "burrë", "djalë"),
        "unknown": ("e panjohur", "panjohur"),
    },
    "ExploitationType": {
        "sexual_exploitation": ("shfrytëzimi seksual", "shfrytëzim seksual i detyruar", "seksual"),
        "forced_labour": ("puna e detyruar", "punë të detyruar"),
        "forced_begging": ("lypja e detyruar", "lypje", "lypja"),
        "forced_criminality": ("kriminaliteti i detyruar",),
        "forced_marriage": ("martesa e detyruar", "martesë të detyruar"),
        "domestic_servitude": ("shërbimi shtëpiak i detyruar", "shërbim shtëpiak"),
        "child_labour": ("puna e fëmijëve", "punë fëmijësh", "puna e të miturve"),
        "organ_removal": ("heqja e organeve", "heqje e organeve"),
        "unknown": ("i panjohur", "panjohur"),
    },
    "TraffickingScope": {
        "internal": ("trafikimi i brendshëm", "i brendshëm", "brendshëm"),
        "transnational": ("trafikimi ndërkombëtar", "ndërkombëtar"),
    },
    "IdentificationSource": {
        "police": ("polici", "policisë", "policia e shtetit", "policia shtetit"),
        "social_services": ("shërbimi social", "shërbimet sociale të bashkisë"),
        "ngo": ("ojf-ja", "organizatë jofitimprurëse", "organizata jofitimprurëse"),
        "mobile_unit": ("njësia e lëvizshme", "njësia e lëvizshme e identifikimit"),
        "hotline": ("linja e ndihmës", "116006"),
        "school": ("shkollë", "shkollës"),
        "health": ("shërbimet shëndetësore", "shërbim shëndetësor"),
        "family": ("familje", "familjes"),
        "self_referral": ("vetë-referim", "vetëreferuar", "vetëreferimi"),
    },
    "InstitutionType": {
        "police": ("policia", "policia shtetit"),
        "social_services": ("shërbimi social",),
        "child_protection_unit": ("njësia e mbrojtjes së fëmijëve",),
        "prosecution": ("prokurori",),
        "court": ("gjykatë",),
        "prefecture": ("prefekturë",),
        "municipality": ("bashki",),
        "ngo": ("organizata jofitimprurëse",),
        "international_organisation": ("organizata ndërkombëtare",),
    },
    "CaseStage": {
        "identified": ("i identifikuar", "e identifikuar", "identifikim", "identifikimi"),
        "referred": ("i referuar", "e referuar", "referim", "referimi"),
        "assisted": ("i asistuar", "e asistuar", "asistencë", "asistuar"),
        "reintegrated": ("i riintegruar", "e riintegruar", "riintegrim"),
        "closed": ("i mbyllur", "e mbyllur", "mbyllje"),
    },
    "AssistanceType": {
        "shelter": ("strehëz", "strehëza", "strehimi"),
        "medical": ("ndihma mjekësore",),
        "psychological": ("mbështetja psikologjike",),
        "legal": ("ndihma ligjore",),
        "education": ("arsimi",),
        "vocational_training": ("formimi profesional",),
        "employment": ("punësimi",),
        "economic_support": ("mbështetja ekonomike",),
        "family_reintegration": ("riintegrimi familjar",),
        "repatriation": ("riatdhesimi",),
        "social_care": ("kujdesi social",),
    },
    "ActivityType": {
        "school_session": ("seancë informuese", "seancë në shkollë"),
        "forum": ("debat",),
        "campaign": (
            "fushatë sensibilizuese",
            "aktivitete sensibilizuese",
            "aktivitet sensibilizues",
            "aktivitet ndërgjegjësues",
            "fushatë",
        ),
        "training": ("trajnim",),
        "competition": ("konkurs",),
        "cultural_event": ("aktivitet kulturor", "teatër", "marshim"),
        "publication": ("material informues", "fletëpalosje"),
    },
    "Observance": {
        "eu_day": ("Dita Evropiane kundër Trafikimit", "18 tetor"),
        "world_day": ("Dita Botërore kundër Trafikimit të Personave", "30 korrik"),
        "october_month": ("Muaji i Luftës kundër Trafikimit të Personave", "tetor"),
    },
    "TargetGroup": {
        "pupils": ("nxënësit",),
        "teachers": ("mësuesit",),
        "parents": ("prindërit",),
        "social_workers": ("punonjësit socialë",),
        "general_public": ("publiku",),
        "youth": ("të rinjtë",),
    },
    "Pillar": {
        "prevention": ("parandalim",),
        "protection": ("mbrojtje",),
        "prosecution": ("ndjekje penale", "ndjekje"),
        "partnership": ("partneritet", "bashkëpunim", "bashkëpunimi"),
    },
    "ActivityStatus": {
        "planned": ("e planifikuar", "i planifikuar", "planifikim"),
        "completed": ("e realizuar", "i realizuar", "kryer", "e kryer"),
        "postponed": ("e shtyrë", "i shtyrë", "shtyer"),
        "cancelled": ("e anuluar", "i anuluar"),
    },
    "ObjectiveStatus": {
        "not_started": ("nuk ka filluar", "pa nisur"),
        "in_progress": ("në progres", "në zbatim", "duke u zbatuar"),
        "achieved": ("i realizuar", "e realizuar", "përmbushur"),
        "partially_achieved": ("i realizuar pjesërisht", "pjesërisht"),
        "not_achieved": ("i parealizuar", "pa realizuar", "nuk u realizua"),
        "cancelled": ("i anuluar", "e anuluar"),
    },
}
"""Extra spellings by code list (class name) and code; see the module docstring."""
