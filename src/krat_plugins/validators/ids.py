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
from krat_core.messages import LANGUAGES, Message, Plural, format_list
from krat_core.plugins.descriptors import Rule, RuleContext
from krat_plugins.validators._common import NONE, Filled, Found, both
from krat_plugins.validators.catalog import rule

if TYPE_CHECKING:  # models are imported lazily: plugins load at CLI start-up
    from krat_core.format.models import Activity, Submission

__all__ = ["RULES", "krat_validators"]

ONE_OF_KIND: dict[str, Message] = {
    "institution": Message(sq="institucion", en="institution"),
    "case": Message(sq="rast", en="case"),
    "activity": Message(sq="aktivitet", en="activity"),
    "objective": Message(sq="objektiv", en="objective"),
}
"""A record of each kind, after "more than one"."""
LIST_OF_KIND: dict[str, Message] = {
    # Albanian: genitive plural, "në listën e rasteve"
    "institution": Message(sq="institucioneve", en="institutions"),
    "case": Message(sq="rasteve", en="cases"),
    "activity": Message(sq="aktiviteteve", en="activities"),
    "objective": Message(sq="objektivave", en="objectives"),
}
"""The list of each kind, after "of the"."""

WRONG_REGION = Message(
    sq="Identifikuesi {id} nuk mban kodin e qarkut të këtij dorëzimi ({region}); "
    "identifikuesit fillojnë me kodin e qarkut, p.sh. {region}-…",
    en="The id {id} does not carry this submission's region ({region}); "
    "ids start with the region code, e.g. {region}-…",
)
DUPLICATE_ID = Message(
    sq="Identifikuesi {id} përdoret nga më shumë se një {one}: regjistrimet nr. {numbers} "
    "në listën e {many}. Çdo regjistrim duhet të ketë identifikuesin e vet.",
    en="The id {id} is used by more than one {one}: records no. {numbers} "
    "of the {many}. Each record needs its own id.",
)
"""``numbers``: every record with the id, this one included ("2, 5 dhe 9" / "2, 5, and 9")."""
UNKNOWN_INSTITUTION = Message(
    sq="{what} {ref} nuk gjendet ndër institucionet e këtij dorëzimi; "
    "shtoni institucionin ose korrigjoni identifikuesin.",
    en="The {what} {ref} is not among the institutions of this submission; "
    "add the institution or correct the id.",
)
UNKNOWN_OBJECTIVE = Message(
    sq="Objektivi {ref}, të cilit i shërben ky aktivitet, nuk gjendet ndër objektivat e këtij "
    "dorëzimi; shtoni objektivin ose korrigjoni identifikuesin.",
    en="The objective {ref} that this activity serves is not among the objectives of this "
    "submission; add the objective or correct the id.",
)
# Each reference to an institution, by the field that holds it (Albanian: opens a sentence).
IDENTIFYING = Message(sq="Institucioni identifikues", en="identifying institution")
DECIDER = Message(sq="Institucioni që vendosi statusin", en="institution that decided the status")
REFERRED_TO = Message(sq="Institucioni ku u referua", en="institution referred to")
PROVIDER = Message(sq="Ofruesi i asistencës nr. {n}", en="provider of assistance no. {n}")
ORGANISER = Message(sq="Organizatori", en="organiser")
PARTNER = Message(sq="Partneri nr. {n}", en="partner no. {n}")
RESPONSIBLE = Message(sq="Institucioni përgjegjës nr. {n}", en="responsible institution no. {n}")


def wrong_region(record: Any, ctx: RuleContext) -> Found:
    """The record's id does not start with the submission's region code."""
    region = ctx.submission.region
    if record.id.startswith(region + "-"):
        return NONE
    return (Problem("/id", **WRONG_REGION.both(id=record.id, region=region), value=record.id),)


MORE_NUMBERS = Message(
    sq=Plural(one="{listed} dhe {n} tjetër", other="{listed} dhe {n} të tjerë"),
    en=Plural(one="{listed} and {n} more", other="{listed} and {n} more"),
)
NUMBERS_NAMED = 20
"""A duplicate-id finding names at most this many record numbers and counts the rest."""


def _numbers(found: list[int], lang: str) -> str:
    """``1, 4 dhe 9``; past :data:`NUMBERS_NAMED` numbers, the rest counted."""
    named = format_list([str(n) for n in found[:NUMBERS_NAMED]], lang)
    more = len(found) - NUMBERS_NAMED
    return MORE_NUMBERS.text(lang, n=more, listed=named) if more > 0 else named


def duplicate_ids(submission: Submission, ctx: RuleContext) -> Iterator[Problem]:
    """The same id is used by two records of one kind (one dictionary per kind: linear)."""
    from krat_core.format.models import RECORD_LISTS

    for kind, attr in RECORD_LISTS.items():
        numbers: dict[str, list[int]] = {}
        for number, record in enumerate(getattr(submission, attr), start=1):
            numbers.setdefault(record.id, []).append(number)
        for record_id, found in numbers.items():
            if len(found) < 2:
                continue
            listed = {lang: _numbers(found, lang) for lang in LANGUAGES}
            texts = both(
                DUPLICATE_ID,
                id=record_id,
                one=ONE_OF_KIND[kind],
                many=LIST_OF_KIND[kind],
                numbers=Message(sq=listed["sq"], en=listed["en"]),
            )
            for _ in found[1:]:  # one finding per record after the first, as before
                yield Problem("/id", **texts, value=record_id, kind=kind, record_id=record_id)


# Each reference: (pointer, institution id, the field's name, its number from 1 or 0).
def _institution_refs(record: Any) -> Iterator[tuple[str, str, Message, int]]:
    if record.KIND == "case":
        if record.identified_by is not None:
            yield "/identified_by", record.identified_by, IDENTIFYING, 0
        if record.status_decided_by is not None:
            yield "/status_decided_by", record.status_decided_by, DECIDER, 0
        if record.referral is not None and record.referral.referred_to is not None:
            yield "/referral/referred_to", record.referral.referred_to, REFERRED_TO, 0
        for i, item in enumerate(record.assistance):
            if item.provider is not None:
                yield f"/assistance/{i}/provider", item.provider, PROVIDER, i + 1
    elif record.KIND == "activity":
        yield "/organiser", record.organiser, ORGANISER, 0
        for i, partner in enumerate(record.partners):
            yield f"/partners/{i}", partner, PARTNER, i + 1
    elif record.KIND == "objective":
        for i, responsible in enumerate(record.responsible):
            yield f"/responsible/{i}", responsible, RESPONSIBLE, i + 1


def _all_known(record: Any, known: frozenset[str]) -> bool:
    """Whether every institution ``record`` refers to is known: the common case, tested
    without building the references one by one."""
    kind = record.KIND
    if kind == "case":
        referral = record.referral
        return (
            (record.identified_by is None or record.identified_by in known)
            and (record.status_decided_by is None or record.status_decided_by in known)
            and (referral is None or referral.referred_to is None or referral.referred_to in known)
            and all(a.provider is None or a.provider in known for a in record.assistance)
        )
    if kind == "activity":
        return record.organiser in known and known.issuperset(record.partners)
    if kind == "objective":
        return known.issuperset(record.responsible)
    return True


def unknown_institution(record: Any, ctx: RuleContext) -> Found:
    """A reference to an institution that is not among the submission's institutions."""
    known = ctx.ids["institution"]
    if _all_known(record, known):
        return NONE
    return [
        Problem(pointer, **both(UNKNOWN_INSTITUTION, what=Filled(name, n=n), ref=ref), value=ref)
        for pointer, ref, name, n in _institution_refs(record)
        if ref not in known
    ]


def unknown_objective(activity: Activity, ctx: RuleContext) -> Found:
    """An activity serves an objective that is not among the submission's objectives."""
    known = ctx.ids["objective"]
    if known.issuperset(activity.objectives):
        return NONE
    return [
        Problem(f"/objectives/{i}", **UNKNOWN_OBJECTIVE.both(ref=ref), value=ref)
        for i, ref in enumerate(activity.objectives)
        if ref not in known
    ]


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
