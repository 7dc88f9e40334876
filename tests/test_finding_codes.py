"""One definition each: the finding-code catalog, record kinds, patterns and hook names.

The catalog (``krat_plugins.validators.catalog``) is the one list of the built-in
finding codes; the registered rules and ``docs/validation.md`` must agree with it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest

from krat_core.format.codelists import PERIOD_PATTERN, RECORD_KINDS, REGION_PATTERN
from krat_core.format.models import RECORD_LISTS, RECORD_TYPES, Submission
from krat_core.format.models.national import RecordKind
from krat_core.plugins import hookspecs
from krat_core.plugins.manager import HOOK_NAMES, load_plugins
from krat_core.validation.engine import FILE_NAME_MISMATCH, INCOMPLETE, RULE_ERROR
from krat_plugins.validators.catalog import CATALOG, ENGINE_CODES

DOC = Path(__file__).resolve().parents[1] / "docs" / "validation.md"
_ROW = re.compile(r"^\| `(?P<code>[a-z][a-z0-9.-]*)` \| (?P<sev>[EWI]) \|", re.MULTILINE)
_SEVERITY = {"E": "error", "W": "warning", "I": "info"}


def _documented() -> dict[str, str]:
    """``code -> severity`` of every row of the tables under 'Every finding code'."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Every finding code", 1)[1].split("\n## ", 1)[0]
    rows = [(m["code"], _SEVERITY[m["sev"]]) for m in _ROW.finditer(section)]
    codes = [code for code, _ in rows]
    assert len(codes) == len(set(codes)), "a code is documented twice"
    return dict(rows)


def test_docs_document_exactly_the_catalog_with_its_severities() -> None:
    catalog = {code: info.severity.value for code, info in {**CATALOG, **ENGINE_CODES}.items()}
    documented = _documented()
    assert sorted(set(catalog) - set(documented)) == [], "codes missing from docs/validation.md"
    assert sorted(set(documented) - set(catalog)) == [], "documented codes not in the catalog"
    assert {c: s for c, s in documented.items() if catalog[c] != s} == {}


def test_the_registered_built_in_rules_are_the_catalog() -> None:
    registry = load_plugins(env={"KRAT_PLUGINS": ""})  # the built-ins only
    rules = {code: r for code, r in registry.rules.items() if code in CATALOG}
    assert sorted(rules) == sorted(CATALOG)
    for code, info in CATALOG.items():
        rule = rules[code]
        assert (rule.severity, rule.plugin) == (info.severity, info.plugin), code
        assert (rule.title_sq, rule.title_en) == (info.title.text("sq"), info.title.text("en"))


def test_the_engine_codes_are_the_engines() -> None:
    assert set(ENGINE_CODES) == {RULE_ERROR, INCOMPLETE, FILE_NAME_MISMATCH}


def test_record_kinds_have_one_definition() -> None:
    assert tuple(RECORD_TYPES) == RECORD_KINDS
    assert tuple(RECORD_LISTS) == RECORD_KINDS
    assert get_args(RecordKind) == RECORD_KINDS


def test_hook_names_are_the_hook_specs() -> None:
    specs = [n for n in vars(hookspecs) if n.startswith("krat_")]
    assert list(HOOK_NAMES) == specs and len(HOOK_NAMES) >= 4


@pytest.mark.parametrize(
    ("period", "ok"), [("2024", True), ("2024-H1", True), ("2024-H3", False), ("24", False)]
)
def test_the_models_period_is_the_period_pattern(period: str, ok: bool) -> None:
    assert (re.fullmatch(PERIOD_PATTERN, period) is not None) is ok
    schema = Submission.model_json_schema()["properties"]["period"]
    assert schema["pattern"] == f"^{PERIOD_PATTERN}$"


def test_the_region_pattern_matches_the_twelve_regions() -> None:
    from krat_core.format.regions import REGION_CODES

    assert all(re.fullmatch(REGION_PATTERN, code) for code in REGION_CODES)
    assert not re.fullmatch(REGION_PATTERN, "AL-13")
