"""The Durrës-only rule: a case found by the mobile unit names its identifying institution.

The Durrës technical table agreed that every case brought in by the mobile
identification unit (njësia e lëvizshme identifikimi) records which member
institution identified the person, so the unit's work can be credited to the
institutions that staff it when performance is compared year after year.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from krat_core.findings import Problem, Severity
from krat_core.format.codelists import IdentificationSource
from krat_core.messages import Message
from krat_core.plugins.descriptors import Rule, RuleContext

__all__ = ["MOBILE_UNIT_NEEDS_INSTITUTION", "check_mobile_unit_case"]

NO_IDENTIFYING_INSTITUTION = Message(
    sq="Rasti u gjet nga njësia e lëvizshme e identifikimit, por nuk ka institucionin "
    "identifikues (rregull i Tryezës Teknike Antitrafik Durrës).",
    en="The case was found by the mobile identification unit but does not name the "
    "identifying institution (Durrës technical table policy).",
)
TITLE = Message(
    sq="Rasti i gjetur nga njësia e lëvizshme ka institucionin identifikues",
    en="A case found by the mobile unit names the identifying institution",
)


def check_mobile_unit_case(case: Any, context: RuleContext) -> Iterator[Problem]:
    """Yield a problem when a mobile-unit case has no ``identified_by``."""
    if case.identification_source == IdentificationSource.MOBILE_UNIT and not case.identified_by:
        yield Problem("/identified_by", **NO_IDENTIFYING_INSTITUTION.both())


MOBILE_UNIT_NEEDS_INSTITUTION = Rule(
    code="durres.mobile-unit-needs-institution",
    severity=Severity.ERROR,
    kinds=("case",),
    check=check_mobile_unit_case,
    title_en=TITLE.text("en"),
    title_sq=TITLE.text("sq"),
    regions=("AL-02",),
)
