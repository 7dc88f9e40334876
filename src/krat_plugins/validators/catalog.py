"""Every finding code of the built-in rules, with its severity and a one-line title.

The one catalog of the codes: the rules in this package take their severity and
title from here (:func:`rule`), and ``tests/test_finding_codes.py`` checks that
``docs/validation.md`` documents exactly these codes with these severities, and
that the registered built-in rules are exactly these. The engine's own code,
``rule-error``, is listed too (:data:`ENGINE_CODES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from krat_core.findings import Severity
from krat_core.messages import Message
from krat_core.plugins.descriptors import Check, Rule

__all__ = ["CATALOG", "ENGINE_CODES", "CodeInfo", "rule"]


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """One finding code: how bad it is, which built-in plugin reports it, and what it means."""

    severity: Severity
    plugin: str
    title: Message


E, W, NOTE = Severity.ERROR, Severity.WARNING, Severity.INFO

CATALOG: dict[str, CodeInfo] = {
    "case.referral-before-identification": CodeInfo(
        E,
        "date-rules",
        Message(sq="Referim para identifikimit", en="Referral before identification"),
    ),
    "case.assistance-before-referral": CodeInfo(
        E,
        "date-rules",
        Message(sq="Asistenca fillon para referimit", en="Assistance starts before referral"),
    ),
    "case.assistance-before-identification": CodeInfo(
        E,
        "date-rules",
        Message(
            sq="Asistenca fillon para identifikimit", en="Assistance starts before identification"
        ),
    ),
    "case.assistance-end-before-start": CodeInfo(
        E,
        "date-rules",
        Message(sq="Asistenca përfundon para se të fillojë", en="Assistance ends before it starts"),
    ),
    "case.closing-before-identification": CodeInfo(
        E,
        "date-rules",
        Message(sq="Rasti mbyllet para identifikimit", en="Case closed before identification"),
    ),
    "case.closing-before-referral": CodeInfo(
        E,
        "date-rules",
        Message(sq="Rasti mbyllet para referimit", en="Case closed before referral"),
    ),
    "case.closing-before-assistance": CodeInfo(
        E,
        "date-rules",
        Message(
            sq="Rasti mbyllet para përfundimit të asistencës",
            en="Case closed before its assistance ends",
        ),
    ),
    "case.date-after-submission": CodeInfo(
        E,
        "date-rules",
        Message(sq="Datë e rastit pas dorëzimit", en="Case date after the submission"),
    ),
    "case.date-outside-period": CodeInfo(
        W,
        "date-rules",
        Message(sq="Datë e rastit jashtë periudhës", en="Case date outside the period"),
    ),
    "activity.end-before-start": CodeInfo(
        E,
        "date-rules",
        Message(sq="Aktiviteti përfundon para se të fillojë", en="Activity ends before it starts"),
    ),
    "activity.date-after-submission": CodeInfo(
        E,
        "date-rules",
        Message(
            sq="Aktivitet i realizuar me datë pas dorëzimit",
            en="Completed activity dated after the submission",
        ),
    ),
    "activity.date-outside-period": CodeInfo(
        W,
        "date-rules",
        Message(sq="Datë e aktivitetit jashtë periudhës", en="Activity date outside the period"),
    ),
    "id.wrong-region": CodeInfo(
        E,
        "id-rules",
        Message(sq="Identifikues pa kodin e qarkut", en="Id without the submission's region"),
    ),
    "id.duplicate": CodeInfo(
        E, "id-rules", Message(sq="I njëjti identifikues dy herë", en="The same id twice")
    ),
    "ref.unknown-institution": CodeInfo(
        E,
        "id-rules",
        Message(
            sq="Referencë për institucion të panjohur", en="Reference to an unknown institution"
        ),
    ),
    "extension.undeclared": CodeInfo(
        E,
        "extension-rules",
        Message(
            sq="Fushë shtesë e padeklaruar nga asnjë shtojcë",
            en="Extension field declared by no plugin",
        ),
    ),
    "extension.bad-value": CodeInfo(
        E,
        "extension-rules",
        Message(
            sq="Fushë shtesë me vlerë jashtë llojit ose kufijve",
            en="Extension field with a value outside its type or bounds",
        ),
    ),
    "extension.identity": CodeInfo(
        E,
        "extension-rules",
        Message(
            sq="Fushë shtesë që duket si identitet personi",
            en="Extension field that looks like a person's identity",
        ),
    ),
    "ref.unknown-objective": CodeInfo(
        E,
        "id-rules",
        Message(sq="Referencë për objektiv të panjohur", en="Reference to an unknown objective"),
    ),
    "case.minor-flag-mismatch": CodeInfo(
        E,
        "case-rules",
        Message(sq="Shënimi 'i mitur' nuk përputhet me moshën", en="Minor flag disagrees with age"),
    ),
    "case.referral-missing": CodeInfo(
        E,
        "case-rules",
        Message(sq="Rast i referuar pa referim", en="Referred case without referral"),
    ),
    "case.closing-date-missing": CodeInfo(
        E,
        "case-rules",
        Message(sq="Rast i mbyllur pa datë mbylljeje", en="Closed case without closing date"),
    ),
    "case.closing-reason-missing": CodeInfo(
        E,
        "case-rules",
        Message(sq="Rast i mbyllur pa arsye mbylljeje", en="Closed case without closing reason"),
    ),
    "case.closing-date-on-open-case": CodeInfo(
        W,
        "case-rules",
        Message(
            sq="Datë mbylljeje në rast të pambyllur", en="Closing date on a case that is not closed"
        ),
    ),
    "case.transnational-without-foreign-country": CodeInfo(
        E,
        "case-rules",
        Message(
            sq="Trafikim ndërkombëtar pa vend të huaj",
            en="Transnational case without a foreign country",
        ),
    ),
    "case.internal-with-foreign-country": CodeInfo(
        E,
        "case-rules",
        Message(
            sq="Trafikim i brendshëm me vend të huaj", en="Internal case with a foreign country"
        ),
    ),
    "case.victim-without-decider": CodeInfo(
        E,
        "case-rules",
        Message(
            sq="Status VT pa institucionin që e vendosi",
            en="VT status without the deciding institution",
        ),
    ),
    "case.possible-duplicate": CodeInfo(
        W,
        "case-rules",
        Message(sq="Ndoshta i njëjti person dy herë", en="Possibly the same person twice"),
    ),
    "case.adult-with-child-exploitation": CodeInfo(
        W,
        "person-rules",
        Message(
            sq="I rritur me një lloj shfrytëzimi vetëm për fëmijë",
            en="Adult with an exploitation type for children only",
        ),
    ),
    "case.identity-unknown": CodeInfo(
        NOTE,
        "person-rules",
        Message(sq="Person me identitet të panjohur", en="Person of unknown identity"),
    ),
    "activity.participants-missing": CodeInfo(
        E,
        "activity-rules",
        Message(
            sq="Aktivitet i realizuar pa pjesëmarrës", en="Completed activity without participants"
        ),
    ),
    "activity.participants-exceed-total": CodeInfo(
        E,
        "activity-rules",
        Message(
            sq="Femra plus meshkuj më shumë se gjithsej",
            en="Female plus male participants above the total",
        ),
    ),
    "activity.planned-but-past": CodeInfo(
        W,
        "activity-rules",
        Message(
            sq="Aktivitet i planifikuar me datë të kaluar",
            en="Planned activity whose date has passed",
        ),
    ),
    "activity.observance-date": CodeInfo(
        W,
        "activity-rules",
        Message(sq="Ditë e shënuar jashtë datës së saj", en="Observance off its date"),
    ),
    "objective.deadline-outside-year": CodeInfo(
        E,
        "objective-rules",
        Message(sq="Afat jashtë vitit të planit", en="Deadline outside the plan year"),
    ),
    "objective.achieved-below-target": CodeInfo(
        W,
        "objective-rules",
        Message(sq="Realizuar, por nën synim", en="Achieved, but below target"),
    ),
    "objective.not-achieved-at-target": CodeInfo(
        W,
        "objective-rules",
        Message(
            sq="Objektiv i parealizuar me treguesit në synim",
            en="Objective not achieved although its indicators reached their targets",
        ),
    ),
    "objective.partly-achieved-at-target": CodeInfo(
        W,
        "objective-rules",
        Message(
            sq="Objektiv i realizuar pjesërisht me treguesit në synim",
            en="Objective partially achieved although its indicators reached their targets",
        ),
    ),
    "objective.indicator-without-target": CodeInfo(
        E, "objective-rules", Message(sq="Tregues pa synim", en="Indicator without target")
    ),
    "objective.no-indicators": CodeInfo(
        W, "objective-rules", Message(sq="Objektiv pa tregues", en="Objective without indicators")
    ),
    "objective.past-deadline-still-open": CodeInfo(
        W,
        "objective-rules",
        Message(
            sq="Afati ka kaluar, statusi i pandryshuar", en="Deadline passed, status not updated"
        ),
    ),
    "objective.year-outside-period": CodeInfo(
        W,
        "objective-rules",
        Message(sq="Objektiv i një viti tjetër plani", en="Objective of another plan year"),
    ),
    "submission.submitted-in-future": CodeInfo(
        E,
        "provenance-rules",
        Message(sq="Datë dërgimi në të ardhmen", en="Sending date in the future"),
    ),
    "submission.nil-return-with-records": CodeInfo(
        E,
        "provenance-rules",
        Message(sq="Deklaratë bosh me regjistrime", en="Nil return with records"),
    ),
    "submission.empty-without-nil-return": CodeInfo(
        W,
        "provenance-rules",
        Message(sq="Dorëzim bosh pa deklaratë", en="Empty submission without a nil return"),
    ),
}
"""The built-in rules' codes, in the order of docs/validation.md."""

ENGINE_CODES: dict[str, CodeInfo] = {
    "rule-error": CodeInfo(
        E,
        "",
        Message(sq="Një rregull dështoi gjatë kontrollit", en="A rule failed while checking"),
    ),
    "validation-incomplete": CodeInfo(
        E,
        "",
        Message(sq="Rregullat e një shtojce mungojnë", en="A plugin's rules are missing"),
    ),
    "submission.file-name-mismatch": CodeInfo(
        W,
        "",
        Message(
            sq="Emri i skedarit përmend një qark ose periudhë tjetër",
            en="The file name names another region or period",
        ),
    ),
}
"""Codes the engine itself reports (``plugin`` is empty: the failing rule's plugin is named).

``rule-error``, ``validation-incomplete`` and ``submission.file-name-mismatch`` are
:data:`krat_core.validation.engine.RULE_ERROR`, ``INCOMPLETE`` and ``FILE_NAME_MISMATCH``
(a test checks they agree).
"""


def rule(
    code: str,
    kinds: tuple[str, ...],
    check: Check,
    *,
    scope: Literal["record", "submission"] = "record",
) -> Rule:
    """The built-in rule ``code``, with the severity and title of :data:`CATALOG`."""
    info = CATALOG[code]
    return Rule(
        code,
        info.severity,
        kinds,
        check,
        title_en=info.title.text("en"),
        title_sq=info.title.text("sq"),
        scope=scope,
    )
