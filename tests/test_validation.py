"""The rule engine and the report: scoping, failing rules, order, counts, renderings."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from krat_core.demo.synthetic import generate_submission
from krat_core.findings import Finding, Problem, Severity, SourcePosition
from krat_core.format.models import Submission
from krat_core.plugins.descriptors import Rule, RuleContext
from krat_core.plugins.manager import Registry, load_plugins
from krat_core.validation.engine import (
    REPORT_FORMAT,
    REPORT_VERSION,
    RULE_ERROR,
    PointerError,
    ValidationReport,
    resolve_pointer,
    validate,
)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_plugins()


@pytest.fixture(scope="module")
def sub() -> Submission:
    return generate_submission("AL-06", 2024, seed=5)


def _broken(sub: Submission) -> Submission:
    """Three planted mistakes: two errors on one case, a warning on an activity."""
    cases = list(sub.cases)
    c = cases[0]
    cases[0] = c.model_copy(update={"minor": not c.minor, "identified_by": "AL-06-I-0999"})
    acts = list(sub.activities)
    acts[1] = acts[1].model_copy(update={"start": acts[1].start.replace(year=2023), "end": None})
    return sub.model_copy(update={"cases": cases, "activities": acts})


def _rule(
    code: str,
    check: Any,
    *,
    kinds: tuple[str, ...] = ("case",),
    scope: str = "record",
    severity: Severity = Severity.WARNING,
    regions: tuple[str, ...] | None = None,
    plugin: str = "test-plugin",
) -> Rule:
    return Rule(code, severity, kinds, check, "t", "t", regions=regions, scope=scope, plugin=plugin)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- engine


def test_record_rules_run_once_per_record_of_their_kinds(sub: Submission) -> None:
    seen: list[tuple[str, str]] = []

    def check(record: Any, ctx: RuleContext) -> Iterator[Problem]:
        seen.append((record.KIND, record.id))
        return iter(())

    validate(sub, [_rule("t.count", check, kinds=("case", "objective"))])
    assert sorted(seen) == sorted(
        [("case", c.id) for c in sub.cases] + [("objective", o.id) for o in sub.objectives]
    )


def test_submission_rules_run_once_and_name_their_records(sub: Submission) -> None:
    calls = []

    def check(submission: Submission, ctx: RuleContext) -> Iterator[Problem]:
        calls.append(1)
        first = submission.activities[0].id
        yield Problem("/title", en="x", sq="x", kind="activity", record_id=first)
        yield Problem("/period", en="header", sq="koka")

    report = validate(sub, [_rule("t.cross", check, scope="submission")])
    assert calls == [1]
    kinds = {(f.kind, f.record_id, f.pointer) for f in report.findings}
    assert kinds == {("activity", sub.activities[0].id, "/title"), ("submission", None, "/period")}


def test_rules_limited_to_other_regions_do_not_run(sub: Submission) -> None:
    def check(record: Any, ctx: RuleContext) -> Iterator[Problem]:
        yield Problem("", en="x", sq="x")

    report = validate(sub, [_rule("t.elsewhere", check, regions=("AL-02",))])
    assert report.findings == () and report.rules == ()
    report = validate(sub, [_rule("t.here", check, regions=("AL-06",))])
    assert len(report.findings) == len(sub.cases) and report.rules == ("t.here",)


def test_a_failing_rule_is_one_rule_error_and_the_run_goes_on(
    registry: Registry, sub: Submission
) -> None:
    ref = sub.cases[0].subject_ref

    def explode(record: Any, ctx: RuleContext) -> Iterator[Problem]:
        raise ValueError(f"cannot parse {record.subject_ref}")

    def explode_later(submission: Any, ctx: RuleContext) -> Iterator[Problem]:
        yield Problem("", en="partial", sq="e pjesshme", kind="case", record_id="x")
        raise KeyError("boom")

    rules = [
        *registry.rules.values(),
        _rule("t.explode", explode),
        _rule("t.later", explode_later, scope="submission", plugin="other"),
    ]
    report = validate(_broken(sub), rules)
    errors = [f for f in report.findings if f.code == RULE_ERROR]
    assert sorted((f.rule, f.plugin) for f in errors) == [
        ("t.explode", "test-plugin"),
        ("t.later", "other"),
    ]
    one = next(f for f in errors if f.rule == "t.explode")
    assert one.severity is Severity.ERROR
    assert one.extra["failures"] == len(sub.cases)
    assert "t.explode" in one.message_en and "test-plugin" in one.message_en
    assert "shtojcës test-plugin" in one.message_sq
    assert ref not in one.message_en  # a person's reference is masked even in a crash
    # Partial output of a crashed submission rule is dropped, and the built-in rules still ran.
    assert not any(f.message_en == "partial" for f in report.findings)
    assert "case.minor-flag-mismatch" in report.counts_by_code


def test_yielding_something_else_than_a_problem_is_a_rule_error(sub: Submission) -> None:
    def bad(record: Any, ctx: RuleContext) -> Any:
        return ["not a problem"]

    def bad_pointer(record: Any, ctx: RuleContext) -> Any:
        return [Problem("minor", en="x", sq="x")]

    report = validate(sub, [_rule("t.bad", bad), _rule("t.ptr", bad_pointer)])
    assert {f.rule for f in report.findings} == {"t.bad", "t.ptr"}
    assert all(f.code == RULE_ERROR for f in report.findings)


def test_checks_returning_none_or_lists_are_accepted(sub: Submission) -> None:
    def none(record: Any, ctx: RuleContext) -> Any:
        return None

    def listed(record: Any, ctx: RuleContext) -> Any:
        return [Problem("/minor", en="m", sq="m")] if record is sub.cases[0] else []

    report = validate(sub, [_rule("t.none", none), _rule("t.list", listed)])
    assert [(f.code, f.record_id) for f in report.findings] == [("t.list", sub.cases[0].id)]


def test_same_input_gives_the_same_bytes_whatever_the_rule_order(
    registry: Registry, sub: Submission
) -> None:
    broken = _broken(sub)
    rules = list(registry.rules.values())
    first = validate(broken, rules).to_json()
    for seed in range(3):
        random.Random(seed).shuffle(rules)
        assert validate(broken, rules).to_json() == first
    assert validate(broken, registry).to_text("sq") == validate(broken, rules).to_text("sq")


def test_findings_are_sorted_by_record_then_pointer(registry: Registry, sub: Submission) -> None:
    report = validate(_broken(sub), registry)
    keys = [f.sort_key() for f in report.findings]
    assert keys == sorted(keys)


def test_positions_come_from_locate_and_subject_ref_values_are_dropped(sub: Submission) -> None:
    ref = sub.cases[0].subject_ref
    calls: list[tuple[str, str, str]] = []

    def locate(kind: str, record_id: str, pointer: str) -> SourcePosition | None:
        calls.append((kind, record_id, pointer))
        return SourcePosition("rajoni.xlsx", "Rastet", 7, "Mosha")

    def leaky(record: Any, ctx: RuleContext) -> Iterator[Problem]:
        if record is sub.cases[0]:
            yield Problem("/subject_ref", en="x", sq="x", value=record.subject_ref)
            yield Problem("/sex", en="x", sq="x", value=record.subject_ref)

    report = validate(sub, [_rule("t.leak", leaky)], locate=locate)
    assert sorted(calls) == [
        ("case", sub.cases[0].id, "/sex"),
        ("case", sub.cases[0].id, "/subject_ref"),
    ]
    assert all(
        f.position == SourcePosition("rajoni.xlsx", "Rastet", 7, "Mosha") for f in report.findings
    )
    assert all(f.value is None for f in report.findings)
    assert ref not in report.to_json().decode()


def test_a_broken_locator_costs_only_the_position(sub: Submission) -> None:
    def check(record: Any, ctx: RuleContext) -> Iterator[Problem]:
        if record is sub.cases[0]:
            yield Problem("/sex", en="x", sq="x")

    def broken(kind: str, record_id: str, pointer: str) -> SourcePosition:
        raise RuntimeError("no")

    report = validate(sub, [_rule("t.loc", check)], locate=broken)
    assert [(f.code, f.position) for f in report.findings] == [("t.loc", None)]
    report = validate(sub, [_rule("t.loc", check)], locate=lambda *a: "row 3")  # type: ignore[arg-type,return-value]
    assert report.findings[0].position is None


def test_values_become_plain_json(sub: Submission) -> None:
    def dated(record: Any, ctx: RuleContext) -> Iterator[Problem]:
        if record is sub.cases[0]:
            yield Problem("/identified_on", en="x", sq="x", value=record.identified_on)
            yield Problem("/sex", en="x", sq="x", value=record.sex)

    report = validate(sub, [_rule("t.plain", dated)])
    values = {f.pointer: f.value for f in report.findings}
    assert values == {
        "/identified_on": sub.cases[0].identified_on.isoformat(),
        "/sex": sub.cases[0].sex.value,
    }
    json.loads(report.to_json())


# --------------------------------------------------------------------------- report


def test_report_counts_groups_and_verdict(registry: Registry, sub: Submission) -> None:
    rejected = Finding(
        "import.bad-date",
        Severity.ERROR,
        message_en="Bad date.",
        message_sq="Datë e gabuar.",
        kind="case",
        position=SourcePosition("r.xlsx", "Rastet", 12, "Data"),
    )
    report = validate(_broken(sub), registry, import_findings=[rejected], sources=["r.xlsx"])
    assert not report.valid and report.worst is Severity.ERROR
    assert report.counts_by_severity == {"error": 3, "warning": 1, "info": 0}
    assert report.counts_by_code == {
        "activity.date-outside-period": 1,
        "case.minor-flag-mismatch": 1,
        "import.bad-date": 1,
        "ref.unknown-institution": 1,
    }
    assert report.counts_by_kind == {"activity": 1, "case": 3}
    groups = list(report.by_record)
    assert (("case", sub.cases[0].id, "", "", 0)) in groups
    assert ("case", "", "r.xlsx", "Rastet", 12) in groups
    assert len(report.by_record[("case", sub.cases[0].id, "", "", 0)]) == 2
    assert report.reaches("warning") and report.reaches(Severity.ERROR)
    assert report.records == {
        "institution": 12,
        "case": len(sub.cases),
        "activity": len(sub.activities),
        "objective": len(sub.objectives),
    }


def test_a_clean_report_is_valid(registry: Registry, sub: Submission) -> None:
    report = validate(sub, registry)
    assert report.valid and report.worst is None and not report.reaches("warning")
    assert "I VLEFSHËM" in report.to_text("sq") and "Asnjë gjetje." in report.to_text("sq")
    assert "VALID (no errors)" in report.to_text("en")


def test_warnings_only_are_valid_but_reach_warning(sub: Submission) -> None:
    def warn(record: Any, ctx: RuleContext) -> Iterator[Problem]:
        if record is sub.cases[0]:
            yield Problem("", en="w", sq="p")

    report = validate(sub, [_rule("t.warn", warn)])
    assert report.valid and report.worst is Severity.WARNING
    assert report.reaches("warning") and not report.reaches("error")


def test_json_shape_is_versioned_and_documented(registry: Registry, sub: Submission) -> None:
    report = validate(_broken(sub), registry, sources=["a.json"])
    data = json.loads(report.to_json())
    assert data["format"] == REPORT_FORMAT and data["version"] == REPORT_VERSION == 1
    assert set(data) == {
        "format",
        "version",
        "region",
        "period",
        "sources",
        "valid",
        "worst",
        "records",
        "rules",
        "counts",
        "findings",
        "by_record",
    }
    assert data["region"] == "AL-06" and data["valid"] is False and data["worst"] == "error"
    finding = data["findings"][0]
    assert set(finding) == {
        "code",
        "severity",
        "kind",
        "record_id",
        "pointer",
        "position",
        "value",
        "message",
        "plugin",
        "rule",
    }
    assert set(finding["message"]) == {"en", "sq"}
    covered = sorted(i for g in data["by_record"] for i in g["findings"])
    assert covered == list(range(len(data["findings"])))
    text = (Path(__file__).parent.parent / "docs" / "validation.md").read_text(encoding="utf-8")
    for key in data:
        assert f"`{key}`" in text


def test_text_report_in_both_languages(registry: Registry, sub: Submission) -> None:
    report = validate(_broken(sub), registry, sources=["korce.json"])
    sq = report.to_text("sq")
    en = report.to_text("en")
    assert sq.startswith("Raporti i validimit KRAT: Korçë (AL-06), periudha 2024")
    assert "JO I VLEFSHËM — 2 gabime, 1 paralajmërim, 0 informacione" in sq
    assert f"Rasti {sub.cases[0].id}" in sq and "Gjetjet sipas kodit:" in sq
    assert en.startswith("KRAT validation report: Korçë (AL-06), period 2024")
    assert "NOT VALID — 2 errors, 1 warning, 0 notes" in en
    assert f"Case {sub.cases[0].id}" in en and "Source: korce.json" in en
    # Grouped: the case heading appears once, with both its findings under it.
    assert en.count(f"Case {sub.cases[0].id}") == 1
    limited = report.to_text("en", max_groups=1)
    assert "… 1 more" in limited


def test_text_shows_source_positions(sub: Submission) -> None:
    def check(record: Any, ctx: RuleContext) -> Iterator[Problem]:
        if record is sub.cases[0]:
            yield Problem("/sex", en="Sex.", sq="Gjinia.")

    report = validate(
        sub,
        [_rule("t.pos", check)],
        locate=lambda k, i, p: SourcePosition("r.xlsx", "Rastet", 4, "Gjinia"),
    )
    sq = report.to_text("sq")
    assert "(r.xlsx, fleta 'Rastet', rreshti 4)" in sq and "(kolona 'Gjinia')" in sq
    assert "(r.xlsx, sheet 'Rastet', row 4)" in report.to_text("en")


def test_an_empty_report_renders(sub: Submission) -> None:
    report = ValidationReport(findings=())
    assert report.valid and report.to_text("en").startswith("KRAT validation report")
    assert json.loads(report.to_json())["findings"] == []


# --------------------------------------------------------------------------- pointers


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [("", {"a": [1, {"b/c": 2, "d~e": 3}]}), ("/a/0", 1), ("/a/1/b~1c", 2), ("/a/1/d~0e", 3)],
)
def test_resolve_pointer(pointer: str, expected: Any) -> None:
    doc = {"a": [1, {"b/c": 2, "d~e": 3}]}
    assert resolve_pointer(doc, pointer) == expected


@pytest.mark.parametrize("pointer", ["a", "/b", "/a/2", "/a/01", "/a/x", "/a/0/z"])
def test_resolve_pointer_refuses(pointer: str) -> None:
    with pytest.raises(PointerError):
        resolve_pointer({"a": [1, {"b": 2}]}, pointer)


def test_a_group_is_placed_at_the_records_own_row_not_a_nested_row(
    durres_2024: Submission,
) -> None:
    """A case rejected on its sheet also orphans its assistance rows: the group heading
    names the case's row on 'Rastet', not the first orphaned row on 'Asistenca'."""
    case_id = durres_2024.cases[0].id
    orphan = Finding(
        code="import.orphan-row",
        severity=Severity.ERROR,
        message_en="orphan",
        message_sq="jetim",
        kind="case",
        record_id=case_id,
        pointer="",
        position=SourcePosition("r.xlsx", "Asistenca", 3, "Kodi i rastit *"),
    )
    bad_date = Finding(
        code="import.bad-date",
        severity=Severity.ERROR,
        message_en="bad date",
        message_sq="datë e gabuar",
        kind="case",
        record_id=case_id,
        pointer="/identified_on",
        position=SourcePosition("r.xlsx", "Rastet", 7, "Data e identifikimit *"),
    )
    report = validate(durres_2024, [], import_findings=[orphan, bad_date], sources=["r.xlsx"])

    assert f"{case_id}  (r.xlsx, sheet 'Rastet', row 7)" in report.to_text("en")
    (group,) = report.to_dict()["by_record"]
    assert group["position"] == {
        "file": "r.xlsx",
        "sheet": "Rastet",
        "row": 7,
        "column": "Data e identifikimit *",
    }


@pytest.mark.parametrize("token", ["²", "٣", "01", "-1", "x"])
def test_a_pointer_with_a_non_ascii_or_malformed_index_is_a_pointer_error(token: str) -> None:
    """str.isdigit() accepts '²' and '٣', which int() refuses: only ASCII digits index a list."""
    with pytest.raises(PointerError, match="is not a list index"):
        resolve_pointer({"cases": [1, 2]}, f"/cases/{token}")
