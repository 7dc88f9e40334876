"""Built-in rules: record ids carry the region and are unique; every reference resolves.

Uniqueness is checked with one dictionary per record kind and references with the
id sets of :class:`~krat_core.plugins.descriptors.RuleContext`, so both are linear.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from krat_core import hookimpl
from krat_core.findings import Problem
from krat_core.format.codelists import RECORD_KINDS
from krat_core.plugins.descriptors import Rule, RuleContext
from krat_plugins.validators.catalog import rule

if TYPE_CHECKING:  # models are imported lazily: plugins load at CLI start-up
    from krat_core.format.models import Activity, Submission

__all__ = ["RULES", "krat_validators"]

_KIND_SQ = {
    # singular, genitive plural ("në listën e rasteve")
    "institution": ("institucion", "institucioneve"),
    "case": ("rast", "rasteve"),
    "activity": ("aktivitet", "aktiviteteve"),
    "objective": ("objektiv", "objektivave"),
}
_KIND_EN = {
    "institution": ("institution", "institutions"),
    "case": ("case", "cases"),
    "activity": ("activity", "activities"),
    "objective": ("objective", "objectives"),
}


def wrong_region(record: Any, ctx: RuleContext) -> Iterator[Problem]:
    """The record's id does not start with the submission's region code."""
    region = ctx.submission.region
    if not record.id.startswith(region + "-"):
        yield Problem(
            pointer="/id",
            en=(
                f"The id {record.id} does not carry this submission's region ({region}); "
                f"ids start with the region code, e.g. {region}-…"
            ),
            sq=(
                f"Identifikuesi {record.id} nuk mban kodin e qarkut të këtij dorëzimi "
                f"({region}); identifikuesit fillojnë me kodin e qarkut, p.sh. {region}-…"
            ),
            value=record.id,
        )


def duplicate_ids(submission: Submission, ctx: RuleContext) -> Iterator[Problem]:
    """The same id is used by two records of one kind (one dictionary per kind: linear)."""
    from krat_core.format.models import RECORD_LISTS

    for kind, attr in RECORD_LISTS.items():
        first_seen: dict[str, int] = {}
        for number, record in enumerate(getattr(submission, attr), start=1):
            earlier = first_seen.setdefault(record.id, number)
            if earlier == number:
                continue
            one_en, many_en = _KIND_EN[kind]
            one_sq, many_sq = _KIND_SQ[kind]
            yield Problem(
                pointer="/id",
                en=(
                    f"The id {record.id} is used by more than one {one_en}: records no. "
                    f"{earlier} and {number} of the {many_en}. Each record needs its own id."
                ),
                sq=(
                    f"Identifikuesi {record.id} përdoret nga më shumë se një {one_sq}: "
                    f"regjistrimet nr. {earlier} dhe {number} në listën e {many_sq}. "
                    "Çdo regjistrim "
                    "duhet të ketë identifikuesin e vet."
                ),
                value=record.id,
                kind=kind,
                record_id=record.id,
            )


# Each reference: (pointer, English name, Albanian name).
def _institution_refs(record: Any) -> Iterator[tuple[str, str, str, str]]:
    if record.KIND == "case":
        if record.identified_by is not None:
            yield "/identified_by", record.identified_by, "identifying institution", \
                "institucioni identifikues"
        if record.status_decided_by is not None:
            yield "/status_decided_by", record.status_decided_by, \
                "institution that decided the status", "institucioni që vendosi statusin"
        if record.referral is not None and record.referral.referred_to is not None:
            yield "/referral/referred_to", record.referral.referred_to, \
                "institution referred to", "institucioni ku u referua"
        for i, item in enumerate(record.assistance):
            if item.provider is not None:
                yield f"/assistance/{i}/provider", item.provider, \
                    f"provider of assistance no. {i + 1}", f"ofruesi i asistencës nr. {i + 1}"
    elif record.KIND == "activity":
        yield "/organiser", record.organiser, "organiser", "organizatori"
        for i, partner in enumerate(record.partners):
            yield f"/partners/{i}", partner, f"partner no. {i + 1}", f"partneri nr. {i + 1}"
    elif record.KIND == "objective":
        for i, responsible in enumerate(record.responsible):
            yield f"/responsible/{i}", responsible, f"responsible institution no. {i + 1}", \
                f"institucioni përgjegjës nr. {i + 1}"


def unknown_institution(record: Any, ctx: RuleContext) -> Iterator[Problem]:
    """A reference to an institution that is not among the submission's institutions."""
    known = ctx.ids["institution"]
    for pointer, ref, en, sq in _institution_refs(record):
        if ref not in known:
            yield Problem(
                pointer=pointer,
                en=(
                    f"The {en} {ref} is not among the institutions of this submission; "
                    "add the institution or correct the id."
                ),
                sq=(
                    f"{sq[:1].upper()}{sq[1:]} {ref} nuk gjendet ndër institucionet e këtij "
                    "dorëzimi; shtoni institucionin ose korrigjoni identifikuesin."
                ),
                value=ref,
            )


def unknown_objective(activity: Activity, ctx: RuleContext) -> Iterator[Problem]:
    """An activity serves an objective that is not among the submission's objectives."""
    known = ctx.ids["objective"]
    for i, ref in enumerate(activity.objectives):
        if ref not in known:
            yield Problem(
                pointer=f"/objectives/{i}",
                en=(
                    f"The objective {ref} that this activity serves is not among the objectives "
                    "of this submission; add the objective or correct the id."
                ),
                sq=(
                    f"Objektivi {ref}, të cilit i shërben ky aktivitet, nuk gjendet ndër "
                    "objektivat e këtij dorëzimi; shtoni objektivin ose korrigjoni identifikuesin."
                ),
                value=ref,
            )


RULES: list[Rule] = [
    rule("id.wrong-region", RECORD_KINDS, wrong_region),
    rule("id.duplicate", RECORD_KINDS, duplicate_ids, scope="submission"),
    rule("ref.unknown-institution", ("case", "activity", "objective"), unknown_institution),
    rule("ref.unknown-objective", ("activity",), unknown_objective),
]
"""The id and reference rules, in the order documented in docs/validation.md."""


@hookimpl
def krat_validators() -> list[Rule]:
    """The built-in id and reference rules."""
    return list(RULES)
