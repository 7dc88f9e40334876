"""Built-in rules about cases: consistency of status, stage, scope and the person's flags.

Findings about a person echo only the field in question: never ``subject_ref``,
never the age (the minor-flag rule says "under 18", not the age).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from krat_core import hookimpl
from krat_core.findings import Problem
from krat_core.format.codelists import CaseStage, CaseStatus, TraffickingScope
from krat_core.plugins.descriptors import Rule, RuleContext
from krat_plugins.validators._common import member
from krat_plugins.validators.catalog import rule

if TYPE_CHECKING:  # models are imported lazily: plugins load at CLI start-up
    from krat_core.format.models import Case, Submission


__all__ = ["RULES", "krat_validators"]

ADULT_AGE = 18
_NEEDS_REFERRAL = frozenset(
    {CaseStage.REFERRED, CaseStage.ASSISTED, CaseStage.REINTEGRATED, CaseStage.CLOSED}
)
_HOME = "AL"


def minor_flag_mismatch(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """The minor flag disagrees with the age at identification."""
    age = case.age_at_identification
    if age is None or (age < ADULT_AGE) == case.minor:
        return
    if case.minor:
        en = "The case is marked as a minor, but the age at identification is 18 or more."
        sq = (
            "Rasti është shënuar si i mitur, por mosha në momentin e identifikimit është "
            "18 vjeç ose më shumë."
        )
    else:
        en = "The case is not marked as a minor, but the age at identification is under 18."
        sq = (
            "Rasti nuk është shënuar si i mitur, por mosha në momentin e identifikimit është "
            "nën 18 vjeç."
        )
    yield Problem(pointer="/minor", en=en, sq=sq, value=case.minor)


def referral_missing(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """A case at stage referred, assisted, reintegrated or closed has no referral."""
    if case.referral is None and case.stage in _NEEDS_REFERRAL:
        stage = member(CaseStage, case.stage)
        yield Problem(
            pointer="/referral",
            en=(
                f"The case is at stage '{stage.en}' but has no referral: "
                "give the referral date."
            ),
            sq=(
                f"Rasti është në fazën '{stage.sq}' por nuk ka referim: "
                "plotësoni datën e referimit."
            ),
            value=str(case.stage),
        )


def closing_date_missing(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """A closed case has no closing date."""
    if case.stage == CaseStage.CLOSED and case.closed_on is None:
        yield Problem(
            pointer="/closed_on",
            en="The case is closed but has no closing date.",
            sq="Rasti është mbyllur por nuk ka datë mbylljeje.",
        )


def closing_reason_missing(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """A closed case has no closing reason."""
    if case.stage == CaseStage.CLOSED and case.closing_reason is None:
        yield Problem(
            pointer="/closing_reason",
            en="The case is closed but has no closing reason.",
            sq="Rasti është mbyllur por nuk ka arsye mbylljeje.",
        )


def closing_date_on_open_case(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """A case has a closing date but its stage is not closed."""
    if case.closed_on is not None and case.stage != CaseStage.CLOSED:
        stage = member(CaseStage, case.stage)
        yield Problem(
            pointer="/stage",
            en=(
                f"The case has a closing date but its stage is '{stage.en}': "
                "set the stage to closed or remove the closing date."
            ),
            sq=(
                f"Rasti ka datë mbylljeje por faza e tij është '{stage.sq}': "
                "vendosni fazën 'mbyllur' ose hiqni datën e mbylljes."
            ),
            value=str(case.stage),
        )


def transnational_without_foreign_country(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """A transnational case names no country of exploitation other than Albania."""
    if case.scope == TraffickingScope.TRANSNATIONAL and not any(
        c != _HOME for c in case.countries_of_exploitation
    ):
        yield Problem(
            pointer="/countries_of_exploitation",
            en=(
                "The case is transnational but names no country of exploitation other than "
                "Albania (AL)."
            ),
            sq=(
                "Rasti është trafikim ndërkombëtar por nuk përmend asnjë vend shfrytëzimi "
                "përveç Shqipërisë (AL)."
            ),
        )


def internal_with_foreign_country(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """An internal case names a country of exploitation other than Albania."""
    if case.scope != TraffickingScope.INTERNAL:
        return
    for i, country in enumerate(case.countries_of_exploitation):
        if country != _HOME:
            yield Problem(
                pointer=f"/countries_of_exploitation/{i}",
                en=(
                    f"The case is internal trafficking but names {country} as a country of "
                    "exploitation; internal trafficking happens only in Albania (AL). "
                    "Correct the country or mark the case transnational."
                ),
                sq=(
                    f"Rasti është trafikim i brendshëm por përmend {country} si vend "
                    "shfrytëzimi; trafikimi i brendshëm ndodh vetëm në Shqipëri (AL). "
                    "Korrigjoni vendin ose shënojeni rastin si trafikim ndërkombëtar."
                ),
                value=country,
            )


def victim_without_decider(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """A victim (VT) status does not name the institution that decided it."""
    if case.status == CaseStatus.VICTIM and case.status_decided_by is None:
        yield Problem(
            pointer="/status_decided_by",
            en=(
                "The case has the status victim of trafficking (VT) but does not name the "
                "institution that decided it."
            ),
            sq=(
                "Rasti ka statusin viktimë e trafikimit (VT) por nuk përmend institucionin "
                "që e vendosi këtë status."
            ),
        )


def possible_duplicate(submission: Submission, ctx: RuleContext) -> Iterator[Problem]:
    """Two cases share a ``subject_ref``: possibly the same person twice (one dict: linear).

    Each later case points at the first one; the reference itself is never shown.
    """
    first: dict[str, str] = {}
    for case in submission.cases:
        earlier = first.setdefault(case.subject_ref, case.id)
        if earlier == case.id:
            continue
        yield Problem(
            pointer="/subject_ref",
            en=(
                f"The same person appears to be reported in case {earlier} too "
                "(equal pseudonymous reference). Check whether this is a duplicate case."
            ),
            sq=(
                f"I njëjti person duket se është raportuar edhe në rastin {earlier} "
                "(e njëjta referencë pseudonime). Kontrolloni nëse ky është rast i dyfishtë."
            ),
            kind="case",
            record_id=case.id,
        )


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
