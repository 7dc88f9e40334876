"""Built-in rules about cases: consistency of status, stage, scope and the person's flags.

Findings about a person echo only the field in question: never ``subject_ref``,
never the age (the minor-flag rule says "under 18", not the age).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krat_core import hookimpl
from krat_core.findings import Problem
from krat_core.format.codelists import CaseStage, CaseStatus, TraffickingScope
from krat_core.messages import Message
from krat_core.plugins.descriptors import Rule, RuleContext
from krat_plugins.validators._common import NONE, Found, both, member
from krat_plugins.validators.catalog import rule

if TYPE_CHECKING:  # models are imported lazily: plugins load at CLI start-up
    from krat_core.format.models import Case, Submission


__all__ = ["RULES", "krat_validators"]

ADULT_AGE = 18
_NEEDS_REFERRAL = frozenset(
    {CaseStage.REFERRED, CaseStage.ASSISTED, CaseStage.REINTEGRATED, CaseStage.CLOSED}
)
_HOME = "AL"
# Code-list members looked up once: reading ``CaseStage.CLOSED`` goes through the enum's
# metaclass on every call (about 0.1 µs), and each rule runs on every case.
_CLOSED = CaseStage.CLOSED
_TRANSNATIONAL = TraffickingScope.TRANSNATIONAL
_INTERNAL = TraffickingScope.INTERNAL
_VICTIM = CaseStatus.VICTIM

MARKED_MINOR_BUT_ADULT = Message(
    sq="Rasti është shënuar si i mitur, por mosha në momentin e identifikimit është "
    "18 vjeç ose më shumë.",
    en="The case is marked as a minor, but the age at identification is 18 or more.",
)
NOT_MARKED_MINOR = Message(
    sq="Rasti nuk është shënuar si i mitur, por mosha në momentin e identifikimit është "
    "nën 18 vjeç.",
    en="The case is not marked as a minor, but the age at identification is under 18.",
)
NO_REFERRAL = Message(
    sq="Rasti është në fazën '{stage}' por nuk ka referim: plotësoni datën e referimit.",
    en="The case is at stage '{stage}' but has no referral: give the referral date.",
)
NO_CLOSING_DATE = Message(
    sq="Rasti është mbyllur por nuk ka datë mbylljeje.",
    en="The case is closed but has no closing date.",
)
NO_CLOSING_REASON = Message(
    sq="Rasti është mbyllur por nuk ka arsye mbylljeje.",
    en="The case is closed but has no closing reason.",
)
CLOSING_DATE_ON_OPEN_CASE = Message(
    sq="Rasti ka datë mbylljeje por faza e tij është '{stage}': "
    "vendosni fazën 'mbyllur' ose hiqni datën e mbylljes.",
    en="The case has a closing date but its stage is '{stage}': "
    "set the stage to closed or remove the closing date.",
)
TRANSNATIONAL_WITHOUT_FOREIGN_COUNTRY = Message(
    sq="Rasti është trafikim ndërkombëtar por nuk përmend asnjë vend shfrytëzimi "
    "përveç Shqipërisë (AL).",
    en="The case is transnational but names no country of exploitation other than Albania (AL).",
)
INTERNAL_WITH_FOREIGN_COUNTRY = Message(
    sq="Rasti është trafikim i brendshëm por përmend {country} si vend shfrytëzimi; "
    "trafikimi i brendshëm ndodh vetëm në Shqipëri (AL). "
    "Korrigjoni vendin ose shënojeni rastin si trafikim ndërkombëtar.",
    en="The case is internal trafficking but names {country} as a country of exploitation; "
    "internal trafficking happens only in Albania (AL). "
    "Correct the country or mark the case transnational.",
)
VICTIM_WITHOUT_DECIDER = Message(
    sq="Rasti ka statusin viktimë e trafikimit (VT) por nuk përmend institucionin "
    "që e vendosi këtë status.",
    en="The case has the status victim of trafficking (VT) but does not name the "
    "institution that decided it.",
)
POSSIBLE_DUPLICATE = Message(
    sq="I njëjti person duket se është raportuar edhe në rastin {earlier} "
    "(e njëjta referencë pseudonime). Kontrolloni nëse ky është rast i dyfishtë.",
    en="The same person appears to be reported in case {earlier} too "
    "(equal pseudonymous reference). Check whether this is a duplicate case.",
)


def minor_flag_mismatch(case: Case, ctx: RuleContext) -> Found:
    """The minor flag disagrees with the age at identification."""
    age = case.age_at_identification
    if age is None or (age < ADULT_AGE) == case.minor:
        return NONE
    message = MARKED_MINOR_BUT_ADULT if case.minor else NOT_MARKED_MINOR
    return (Problem("/minor", **message.both(), value=case.minor),)


def referral_missing(case: Case, ctx: RuleContext) -> Found:
    """A case at stage referred, assisted, reintegrated or closed has no referral."""
    if case.referral is None and case.stage in _NEEDS_REFERRAL:
        stage = member(CaseStage, case.stage)
        return (Problem("/referral", **both(NO_REFERRAL, stage=stage), value=str(case.stage)),)
    return NONE


def closing_date_missing(case: Case, ctx: RuleContext) -> Found:
    """A closed case has no closing date."""
    if case.closed_on is None and case.stage == _CLOSED:
        return (Problem("/closed_on", **NO_CLOSING_DATE.both()),)
    return NONE


def closing_reason_missing(case: Case, ctx: RuleContext) -> Found:
    """A closed case has no closing reason."""
    if case.closing_reason is None and case.stage == _CLOSED:
        return (Problem("/closing_reason", **NO_CLOSING_REASON.both()),)
    return NONE


def closing_date_on_open_case(case: Case, ctx: RuleContext) -> Found:
    """A case has a closing date but its stage is not closed."""
    if case.closed_on is not None and case.stage != _CLOSED:
        stage = member(CaseStage, case.stage)
        texts = both(CLOSING_DATE_ON_OPEN_CASE, stage=stage)
        return (Problem("/stage", **texts, value=str(case.stage)),)
    return NONE


def transnational_without_foreign_country(case: Case, ctx: RuleContext) -> Found:
    """A transnational case names no country of exploitation other than Albania."""
    if case.scope == _TRANSNATIONAL and not any(c != _HOME for c in case.countries_of_exploitation):
        texts = TRANSNATIONAL_WITHOUT_FOREIGN_COUNTRY.both()
        return (Problem("/countries_of_exploitation", **texts),)
    return NONE


def internal_with_foreign_country(case: Case, ctx: RuleContext) -> Found:
    """An internal case names a country of exploitation other than Albania."""
    if case.scope != _INTERNAL:
        return NONE
    found = []
    for i, country in enumerate(case.countries_of_exploitation):
        if country != _HOME:
            texts = INTERNAL_WITH_FOREIGN_COUNTRY.both(country=country)
            found.append(Problem(f"/countries_of_exploitation/{i}", **texts, value=country))
    return found


def victim_without_decider(case: Case, ctx: RuleContext) -> Found:
    """A victim (VT) status does not name the institution that decided it."""
    if case.status_decided_by is None and case.status == _VICTIM:
        return (Problem("/status_decided_by", **VICTIM_WITHOUT_DECIDER.both()),)
    return NONE


def possible_duplicate(submission: Submission, ctx: RuleContext) -> Found:
    """Two cases share a ``subject_ref``: possibly the same person twice (one dict: linear).

    Each later case points at the first one; the reference itself is never shown.
    """
    cases = submission.cases
    refs = [case.subject_ref for case in cases]
    if len(set(refs)) == len(refs):
        return NONE  # every person once: the common case, decided in C
    first: dict[str, str] = {}
    found = []
    for case, ref in zip(cases, refs, strict=True):
        earlier = first.setdefault(ref, case.id)
        if earlier == case.id:
            continue
        texts = POSSIBLE_DUPLICATE.both(earlier=earlier)
        found.append(Problem("/subject_ref", **texts, kind="case", record_id=case.id))
    return found


RULES: list[Rule] = [
    rule("case.minor-flag-mismatch", ("case",), minor_flag_mismatch),
    rule("case.referral-missing", ("case",), referral_missing),
    rule("case.closing-date-missing", ("case",), closing_date_missing),
    rule("case.closing-reason-missing", ("case",), closing_reason_missing),
    rule("case.closing-date-on-open-case", ("case",), closing_date_on_open_case),
    rule(
        "case.transnational-without-foreign-country",
        ("case",),
        transnational_without_foreign_country,
    ),
    rule("case.internal-with-foreign-country", ("case",), internal_with_foreign_country),
    rule("case.victim-without-decider", ("case",), victim_without_decider),
    rule("case.possible-duplicate", ("case",), possible_duplicate, scope="submission"),
]
"""The case rules, in the order documented in docs/validation.md."""


@hookimpl
def krat_validators() -> list[Rule]:
    """The built-in case rules."""
    return list(RULES)
