"""What staff actually type for a code: inflected, definite and diacritic-less forms.

One alias list per code list, by the code list's class name and the member's
code. :meth:`krat_core.format.codelists.CodeList.lookup_table` accepts these
spellings besides the code, the two labels and the member's own ``aliases``.
Comparison is after :func:`~krat_core.format.codelists.fold` (case, accents and
spacing do not matter), so ``"nuk eshte viktime"`` and ``"Nuk është viktimë"``
are one entry. Forms were taken from what regional staff type in the
workbooks: the definite form of a noun (``mbrojtja`` for ``mbrojtje``), the
adjective with its article (``i identifikuar``), and shortened labels.

A spelling that would name two members of one list is dropped from the
lookup (ambiguous), so an alias can never change the meaning of another.
``docs/importing.md`` ("Accepted forms") lists them for people.
"""

from __future__ import annotations

from typing import Final

__all__ = ["ALIASES"]

ALIASES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "CaseStatus": {
        "victim": ("viktimë", "viktima", "viktimë trafikimi", "viktime e trafikuar"),
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
        "female": ("femra", "grua", "vajzë", "femer"),
        "male": ("meshkull", "burrë", "djalë"),
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
    "IdentificationSource": {
        "police": ("polici", "policisë", "policia e shtetit", "policia shtetit"),
        "social_services": ("shërbimi social", "shërbimet sociale të bashkisë"),
        "ngo": ("ojf-ja", "organizatë jofitimprurëse", "organizata jofitimprurëse"),
        "school": ("shkollë", "shkollës"),
        "family": ("familje", "familjes"),
        "self_referral": ("vetë-referim", "vetëreferuar", "vetëreferimi"),
    },
    "CaseStage": {
        "identified": ("i identifikuar", "e identifikuar", "identifikim", "identifikimi"),
        "referred": ("i referuar", "e referuar", "referim", "referimi"),
        "assisted": ("i asistuar", "e asistuar", "asistencë", "ne asistence"),
        "reintegrated": ("i riintegruar", "e riintegruar", "riintegrim"),
        "closed": ("i mbyllur", "e mbyllur", "mbyllje"),
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
