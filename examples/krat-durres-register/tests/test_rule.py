"""The Durrës-only rule, run by KRAT's own validation engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from krat_core.demo.synthetic import generate_submission
from krat_core.format.codelists import IdentificationSource
from krat_core.plugins.manager import load_plugins
from krat_core.validation.engine import validate, validate_import

import krat_durres_register
from krat_durres_register.register import read_register
from krat_durres_register.sample import write_register

CODE = "durres.mobile-unit-needs-institution"


def only_this_plugin() -> Any:
    return load_plugins(plugins=[("durres-register", krat_durres_register)], entry_points=False)


def without_institution(region: str) -> Any:
    """A synthetic submission whose first case came from the mobile unit with no institution."""
    submission = generate_submission(region, 2024, cases=3, activities=0)
    first = submission.cases[0].model_copy(
        update={"identification_source": IdentificationSource.MOBILE_UNIT, "identified_by": None}
    )
    return submission.model_copy(update={"cases": [first, *submission.cases[1:]]})


def test_rule_fires_on_a_durres_mobile_unit_case_without_institution() -> None:
    submission = without_institution("AL-02")
    report = validate(submission, only_this_plugin())
    (finding,) = [f for f in report.findings if f.code == CODE]
    assert finding.record_id == submission.cases[0].id
    assert finding.pointer == "/identified_by"
    assert finding.plugin == "durres-register"
    assert "mobile" in finding.message_en and "njësia e lëvizshme" in finding.message_sq


def test_rule_does_not_apply_to_other_regions() -> None:
    for region in ("AL-11", "AL-12"):
        report = validate(without_institution(region), only_this_plugin())
        assert not [f for f in report.findings if f.code == CODE]


def test_rule_is_silent_when_the_institution_is_named() -> None:
    submission = generate_submission("AL-02", 2024, cases=40, activities=0)
    assert any(
        c.identification_source == IdentificationSource.MOBILE_UNIT for c in submission.cases
    )
    report = validate(submission, only_this_plugin())
    assert not [f for f in report.findings if f.code == CODE]


def test_finding_points_at_the_register_cell(
    tmp_path: Path, rows: list[dict[str, Any]], options: Any
) -> None:
    changed = [
        {
            **rows[0],
            "Burimi i identifikimit": "njësi e lëvizshme identifikimi",
            "Institucioni identifikues": None,
        },
        *rows[1:3],
    ]
    path = write_register(tmp_path / "r.xlsx", changed)
    report = validate_import(read_register([path], options), only_this_plugin())
    (finding,) = [f for f in report.findings if f.code == CODE]
    assert finding.position is not None
    assert (finding.position.file, finding.position.row, finding.position.column) == (
        "r.xlsx",
        4,
        "Institucioni identifikues",
    )
