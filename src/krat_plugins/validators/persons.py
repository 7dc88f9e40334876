"""Built-in rules about the person in a case: what their age allows.

``case.adult-with-child-exploitation``: an adult (not a minor, and not under 18
at identification) recorded with an exploitation type that exists only for
children (child labour). It is a warning, not an error: a person identified at
19 may have been made to work as a child, and the committee decides; most
often it is a slip for forced labour, and the message says so.

The other half of "an age that disagrees": the age at identification against
the date of birth and the identification date is checked where the date of
birth is still known, when a register with identity columns is imported
(``import.age-mismatch``, see docs/importing.md); the exchange format keeps no
date of birth, so no rule can check it afterwards.

Findings about a person echo only the field in question: never ``subject_ref``,
never the age.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krat_core import hookimpl
from krat_core.findings import Problem
from krat_core.format.codelists import ExploitationType
from krat_core.format.identity import is_unknown_identity
from krat_core.messages import Message
from krat_core.plugins.descriptors import Rule, RuleContext
from krat_plugins.validators._common import NONE, Found, both, member
from krat_plugins.validators.catalog import rule

if TYPE_CHECKING:  # models are imported lazily: plugins load at CLI start-up
    from krat_core.format.models import Case

__all__ = ["CHILD_ONLY_EXPLOITATION", "RULES", "krat_validators"]

ADULT_AGE = 18
CHILD_ONLY_EXPLOITATION: frozenset[ExploitationType] = frozenset({ExploitationType.CHILD_LABOUR})
"""Exploitation types that exist only for children."""

ADULT_WITH_CHILD_EXPLOITATION = Message(
    sq="Rasti nuk është i mitur, por lloji i shfrytëzimit është '{type}', që vlen vetëm për "
    "fëmijët. Nëse personi ishte i rritur kur u shfrytëzua, zgjidhni 'punë e detyruar'; "
    "përndryshe kontrolloni fushën 'I mitur' dhe moshën.",
    en="The case is not a minor, but the exploitation type is '{type}', which applies only to "
    "children. If the person was an adult when exploited, choose 'forced labour'; otherwise "
    "check the 'Minor' field and the age.",
)


def adult_with_child_exploitation(case: Case, ctx: RuleContext) -> Found:
    """An adult is recorded with an exploitation type reserved for children."""
    age = case.age_at_identification
    if case.minor or (age is not None and age < ADULT_AGE):
        return NONE  # a minor, or the minor-flag rule already reports the disagreement
    if CHILD_ONLY_EXPLOITATION.isdisjoint(case.exploitation_types):
        return NONE  # the common case, tested in C
    found = []
    for index, kind in enumerate(case.exploitation_types):
        if kind in CHILD_ONLY_EXPLOITATION:
            texts = both(ADULT_WITH_CHILD_EXPLOITATION, type=member(ExploitationType, kind))
            found.append(Problem(f"/exploitation_types/{index}", **texts, value=str(kind)))
    return found


IDENTITY_UNKNOWN = Message(
    sq="Identiteti i personit nuk dihet: rasti numërohet, por nuk lidhet kurrë me një rast "
    "tjetër si i njëjti person.",
    en="The person's identity is unknown: the case is counted, but never linked with another "
    "case as the same person.",
)


def identity_unknown(case: Case, ctx: RuleContext) -> Found:
    """A person recorded as of unknown identity (a note, so that such cases are counted)."""
    if is_unknown_identity(case.subject_ref):
        return (Problem("/subject_ref", **IDENTITY_UNKNOWN.both()),)
    return NONE


RULES: list[Rule] = [
    rule("case.adult-with-child-exploitation", ("case",), adult_with_child_exploitation),
    rule("case.identity-unknown", ("case",), identity_unknown),
]
"""The person rules, in the order documented in docs/validation.md."""


@hookimpl
def krat_validators() -> list[Rule]:
    """The built-in person rules."""
    return list(RULES)
