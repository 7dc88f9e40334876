"""The rule engine and the validation report.

:func:`validate` runs every business rule that applies to a submission (the
built-in ones and those of any installed plugin, all registered through the
``krat_validators`` hook) and returns a :class:`ValidationReport`::

    from krat_core.plugins.manager import load_plugins
    from krat_core.validation.engine import validate

    report = validate(submission, load_plugins())
    if not report.valid:
        print(report.to_text(lang="en"))
    data = report.to_json()        # canonical bytes, the documented shape

How rules run:

- A rule applies when its ``regions`` is None or contains the submission's region.
- ``scope="record"`` rules are called once for each record of each kind in ``kinds``;
  ``scope="submission"`` rules once with the whole submission (cross-record rules).
- Every rule gets the same :class:`~krat_core.plugins.descriptors.RuleContext`, whose indexes
  (ids by kind, period bounds) are computed once, so the whole run is linear in
  the number of records as long as each rule is.
- A rule that raises becomes ONE ``rule-error`` finding (severity error) naming
  its plugin and code, however many records it failed on; the run goes on.
- The report's findings are in a total order (:meth:`Finding.sort_key` plus
  tie-breakers), so the same input always gives the same report, byte for byte.

The engine never reads files: the caller passes ``locate`` (usually
:meth:`ImportResult.locate <krat_core.plugins.descriptors.ImportResult.locate>`) to
attach file, sheet, row and column to each finding.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING, Any

from krat_core.findings import Finding, Problem, Severity, SourcePosition
from krat_core.format.models import RECORD_LISTS
from krat_core.format.regions import REGIONS
from krat_core.plugins.descriptors import Rule, RuleContext
from krat_core.plugins.manager import Registry

if TYPE_CHECKING:
    from krat_core.format.models import Submission
    from krat_core.plugins.descriptors import ImportResult

__all__ = [
    "REPORT_FORMAT",
    "REPORT_VERSION",
    "RULE_ERROR",
    "SUBMISSION_KIND",
    "Locator",
    "PointerError",
    "ValidationReport",
    "resolve_pointer",
    "validate",
    "validate_import",
]

REPORT_FORMAT = "krat-validation-report"
"""The ``format`` member of a report's JSON."""
REPORT_VERSION = 1
"""The ``version`` member of a report's JSON; raised when the shape changes incompatibly."""
RULE_ERROR = "rule-error"
"""Code of the finding made when a rule's check raises."""
SUBMISSION_KIND = "submission"
"""The ``kind`` of findings about the submission itself (its header), not one record."""

Locator = Callable[[str, str, str], SourcePosition | None]
"""``locate(kind, record_id, pointer)``: where in the source file a record's field came from."""

_KIND_ORDER = ("institution", "case", "activity", "objective")
_SUBJECT_REF = re.compile(r"[0-9a-fA-F]{64}")


# --------------------------------------------------------------------------- JSON pointers


class PointerError(LookupError):
    """A JSON pointer does not resolve in a document."""


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value at JSON pointer ``pointer`` (RFC 6901) in ``document`` (plain JSON data).

    ``""`` is the whole document; ``/assistance/0/start`` a nested field.
    Raises :class:`PointerError` when the pointer does not resolve.
    """
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise PointerError(f"a JSON pointer starts with '/', got {pointer!r}")
    current = document
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(current, list):
            if not (token.isascii() and token.isdigit()) or (len(token) > 1 and token[0] == "0"):
                raise PointerError(f"{pointer!r}: {token!r} is not a list index")
            index = int(token)
            if index >= len(current):
                raise PointerError(f"{pointer!r}: index {index} is past the end of the list")
            current = current[index]
        elif isinstance(current, dict):
            if token not in current:
                raise PointerError(f"{pointer!r}: no member {token!r}")
            current = current[token]
        else:
            raise PointerError(f"{pointer!r}: cannot descend into a {type(current).__name__}")
    return current


# --------------------------------------------------------------------------- the engine


class _Failures:
    """Exceptions raised by one rule: the first is reported, the rest only counted."""

    __slots__ = ("count", "exc", "kind", "record_id", "rule")

    def __init__(self, rule: Rule, exc: BaseException, kind: str | None, record_id: str | None):
        self.rule = rule
        self.exc = exc
        self.kind = kind
        self.record_id = record_id
        self.count = 1


def _exception_text(exc: BaseException) -> str:
    """``Type: message``, shortened, with anything shaped like a subject_ref masked."""
    text = _SUBJECT_REF.sub("…", str(exc))
    if len(text) > 200:
        text = text[:199] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _rule_error(failure: _Failures) -> Finding:
    """One ``rule-error`` finding for every failure of one rule (the first is described)."""
    rule = failure.rule
    plugin = rule.plugin or "?"
    what = _exception_text(failure.exc)
    n = failure.count
    return Finding(
        code=RULE_ERROR,
        severity=Severity.ERROR,
        message_en=(
            f"The rule {rule.code} of plugin {plugin} failed ({what}) on {n} "
            f"{'record' if n == 1 else 'records'}; its results are incomplete. "
            "This is a fault of the plugin, not of the data: tell its maintainers."
        ),
        message_sq=(
            f"Rregulli {rule.code} i shtojcës {plugin} dështoi ({what}) në {n} "
            f"{'regjistrim' if n == 1 else 'regjistrime'}; rezultatet e tij janë të paplota. "
            "Ky është një defekt i shtojcës, jo i të dhënave: njoftoni mirëmbajtësit e saj."
        ),
        kind=failure.kind,
        record_id=failure.record_id,
        pointer="",
        plugin=rule.plugin,
        rule=rule.code,
        extra={"failures": n},
    )


def _applicable(rules: Registry | Iterable[Rule], region: str) -> list[Rule]:
    source = rules.rules.values() if isinstance(rules, Registry) else rules
    chosen = [r for r in source if r.regions is None or region in r.regions]
    chosen.sort(key=lambda r: (r.code, r.plugin or ""))
    return chosen


def _order(finding: Finding) -> tuple[Any, ...]:
    return (
        *finding.sort_key(),
        -finding.severity.rank,
        finding.rule or "",
        finding.plugin or "",
        repr(finding.value),
    )


def validate(
    submission: Submission,
    rules: Registry | Iterable[Rule],
    *,
    locate: Locator | None = None,
    import_findings: Iterable[Finding] = (),
    sources: Sequence[str] = (),
) -> ValidationReport:
    """Run every applicable rule on ``submission`` and return the report.

    Args:
        submission: the data to check (already valid against the models).
        rules: a plugin :class:`~krat_core.plugins.Registry` (all its rules) or the rules to run.
        locate: maps ``(kind, record_id, pointer)`` to the source position, when the
            submission came from a file (e.g. ``import_result.locate``).
        import_findings: findings made while reading the files (rejected rows),
            included in the report as they are.
        sources: names of the files the submission was read from, for the report.

    Returns:
        A :class:`ValidationReport`. Never raises because of a rule: a rule that
        raises becomes one ``rule-error`` finding.
    """
    applicable = _applicable(rules, submission.region)
    context = RuleContext(submission)
    problems: list[tuple[Rule, Problem, str, str | None]] = []
    failures: dict[int, _Failures] = {}

    def fail(rule: Rule, exc: BaseException, kind: str | None, record_id: str | None) -> None:
        known = failures.get(id(rule))
        if known is None:
            failures[id(rule)] = _Failures(rule, exc, kind, record_id)
        else:
            known.count += 1

    for kind in _KIND_ORDER:
        kind_rules = [(r, r.check) for r in applicable if r.scope == "record" and kind in r.kinds]
        if not kind_rules:
            continue
        for record in getattr(submission, RECORD_LISTS[kind]):
            for rule, check in kind_rules:
                mark = len(problems)
                try:
                    found = check(record, context)
                    if found:
                        for problem in found:
                            _check_problem(problem)
                            problems.append((rule, problem, kind, record.id))
                except Exception as exc:
                    del problems[mark:]  # what a failed check said before failing is dropped
                    fail(rule, exc, kind, record.id)

    for rule in applicable:
        if rule.scope != "submission":
            continue
        mark = len(problems)
        try:
            for problem in rule.check(submission, context) or ():
                _check_problem(problem)
                kind = problem.kind or SUBMISSION_KIND
                problems.append((rule, problem, kind, problem.record_id))
        except Exception as exc:
            del problems[mark:]
            fail(rule, exc, SUBMISSION_KIND, None)

    findings = [_finding(rule, p, kind, rid, locate) for rule, p, kind, rid in problems]
    findings.extend(_rule_error(f) for f in failures.values())
    findings.extend(import_findings)
    findings.sort(key=_order)
    return ValidationReport(
        findings=tuple(findings),
        region=submission.region,
        period=submission.period,
        records={k: len(getattr(submission, RECORD_LISTS[k])) for k in _KIND_ORDER},
        rules=tuple(sorted({r.code for r in applicable})),
        sources=tuple(sources),
    )


def _check_problem(problem: object) -> None:
    """Refuse what a check yields unless it is a well-formed :class:`Problem`."""
    if not isinstance(problem, Problem):
        raise TypeError(f"check yielded {type(problem).__name__}, not a Problem")
    if not isinstance(problem.pointer, str) or not (
        problem.pointer == "" or problem.pointer.startswith("/")
    ):
        raise TypeError(f"Problem.pointer must be a JSON pointer, got {problem.pointer!r}")
    if not isinstance(problem.en, str) or not isinstance(problem.sq, str):
        raise TypeError("Problem messages (en, sq) must be text")
    for name in ("kind", "record_id"):
        if not isinstance(getattr(problem, name), str | None):
            raise TypeError(f"Problem.{name} must be text or None")


def _plain(value: Any) -> Any:
    """``value`` as plain JSON data: dates as ISO text, code-list members as their code."""
    if value is None or isinstance(value, bool | int | float | str):
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def _finding(
    rule: Rule, problem: Problem, kind: str, record_id: str | None, locate: Locator | None
) -> Finding:
    position = None
    if locate is not None and record_id is not None and kind != SUBMISSION_KIND:
        try:
            position = locate(kind, record_id, problem.pointer)
        except Exception:  # a broken locator costs the position, never the report
            position = None
        if not isinstance(position, SourcePosition):
            position = None
    value = _plain(problem.value)
    if problem.pointer.endswith("/subject_ref") or (
        isinstance(value, str) and _SUBJECT_REF.fullmatch(value)
    ):
        value = None  # never echo a person's reference, whatever the rule says
    return Finding(
        code=rule.code,
        severity=rule.severity,
        message_en=problem.en,
        message_sq=problem.sq,
        kind=kind,
        record_id=record_id,
        pointer=problem.pointer,
        position=position,
        value=value,
        plugin=rule.plugin,
        rule=rule.code,
    )


def validate_import(
    result: ImportResult, rules: Registry | Iterable[Rule]
) -> ValidationReport:
    """Validate what an importer read: its rejected rows plus every rule, with positions."""
    files = sorted({c.file for c in result.counts})
    return validate(
        result.submission,
        rules,
        locate=result.locate,
        import_findings=result.findings,
        sources=files,
    )


# --------------------------------------------------------------------------- the report

_KIND_NAMES: dict[str, dict[str, tuple[str, str, str]]] = {
    # kind: lang: (heading, singular, plural)
    "institution": {
        "en": ("Institution", "institution", "institutions"),
        "sq": ("Institucioni", "institucion", "institucione"),
    },
    "case": {"en": ("Case", "case", "cases"), "sq": ("Rasti", "rast", "raste")},
    "activity": {
        "en": ("Activity", "activity", "activities"),
        "sq": ("Aktiviteti", "aktivitet", "aktivitete"),
    },
    "objective": {
        "en": ("Objective", "objective", "objectives"),
        "sq": ("Objektivi", "objektiv", "objektiva"),
    },
    SUBMISSION_KIND: {
        "en": ("Submission", "submission", "submissions"),
        "sq": ("Dorëzimi", "dorëzim", "dorëzime"),
    },
}
_SEVERITY_PLURAL = {
    "en": {"error": "errors", "warning": "warnings", "info": "notes"},
    "sq": {"error": "gabime", "warning": "paralajmërime", "info": "informacione"},
}
_SEVERITY_SINGULAR = {
    "en": {"error": "error", "warning": "warning", "info": "note"},
    "sq": {"error": "gabim", "warning": "paralajmërim", "info": "informacion"},
}
_TEXT = {
    "en": {
        "title": "KRAT validation report",
        "period": "period",
        "source": "Source",
        "records": "Records",
        "rules": "Rules applied",
        "valid": "Result: VALID (no errors)",
        "invalid": "Result: NOT VALID",
        "none": "No findings.",
        "by_code": "Findings by code",
        "column": "column",
        "rejected": "Row not imported",
        "header": "Submission (header)",
    },
    "sq": {
        "title": "Raporti i validimit KRAT",
        "period": "periudha",
        "source": "Burimi",
        "records": "Regjistrimet",
        "rules": "Rregulla të zbatuara",
        "valid": "Rezultati: I VLEFSHËM (asnjë gabim)",
        "invalid": "Rezultati: JO I VLEFSHËM",
        "none": "Asnjë gjetje.",
        "by_code": "Gjetjet sipas kodit",
        "column": "kolona",
        "rejected": "Rresht i paimportuar",
        "header": "Dorëzimi (koka)",
    },
}


def _lang(lang: str) -> str:
    return "sq" if lang == "sq" else "en"


GroupKey = tuple[str, str, str, str, int]
"""``(kind, record_id, file, sheet, row)``: one record, or one source row without a record."""


def _group_key(finding: Finding) -> GroupKey:
    if finding.record_id is not None:
        return (finding.kind or SUBMISSION_KIND, finding.record_id, "", "", 0)
    pos = finding.position
    if pos is not None:
        return (finding.kind or "", "", pos.file, pos.sheet or "", pos.row or 0)
    return (finding.kind or SUBMISSION_KIND, "", "", "", 0)


def _anchor(items: list[Finding]) -> Finding:
    """The finding whose position stands for its group: one about a top-level field.

    A top-level field (``/identified_on``) sits on the record's own row; findings
    about nested rows (assistance, indicators) point at rows of other sheets.
    """
    for finding in items:
        if finding.position is not None and finding.pointer.count("/") == 1:
            return finding
    return items[0]


@dataclass(frozen=True)
class ValidationReport:
    """The result of :func:`validate`: findings in a stable order, with counts and renderings."""

    findings: tuple[Finding, ...]
    region: str | None = None
    period: str | None = None
    records: Mapping[str, int] = field(default_factory=dict)
    """How many records of each kind were checked."""
    rules: tuple[str, ...] = ()
    """Codes of the rules that ran."""
    sources: tuple[str, ...] = ()
    """Files the submission was read from (empty for an in-memory submission)."""

    @property
    def valid(self) -> bool:
        """True when no finding is an error."""
        return self.worst is not Severity.ERROR

    @cached_property
    def worst(self) -> Severity | None:
        """The highest severity among the findings, or None when there are none."""
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: s.rank)

    def reaches(self, level: Severity | str) -> bool:
        """Whether some finding is at least as severe as ``level`` (for ``--fail-on``)."""
        threshold = Severity(level).rank
        worst = self.worst
        return worst is not None and worst.rank >= threshold

    @cached_property
    def counts_by_severity(self) -> dict[str, int]:
        """Findings per severity, every severity present (error, warning, info)."""
        counts = Counter(f.severity.value for f in self.findings)
        return {s.value: counts.get(s.value, 0) for s in Severity}

    @cached_property
    def counts_by_code(self) -> dict[str, int]:
        """Findings per code, codes in alphabetical order."""
        return dict(sorted(Counter(f.code for f in self.findings).items()))

    @cached_property
    def counts_by_kind(self) -> dict[str, int]:
        """Findings per record kind (``submission`` for the header), kinds in alphabetical order."""
        return dict(sorted(Counter(f.kind or SUBMISSION_KIND for f in self.findings).items()))

    @cached_property
    def by_record(self) -> dict[GroupKey, list[Finding]]:
        """Findings grouped by record (or by source row, for rows that became no record).

        Groups come in the order of their first finding; findings keep the report order.
        """
        groups: dict[GroupKey, list[Finding]] = {}
        for finding in self.findings:
            groups.setdefault(_group_key(finding), []).append(finding)
        return groups

    # ----------------------------------------------------------------- JSON

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data, in the versioned shape documented in docs/validation.md."""
        index = {id(f): i for i, f in enumerate(self.findings)}
        groups = []
        for (kind, record_id, _file, _sheet, _row), items in self.by_record.items():
            anchor = _anchor(items)
            groups.append(
                {
                    "kind": kind or None,
                    "record_id": record_id or None,
                    "position": anchor.position.to_dict() if anchor.position else None,
                    "worst": max((f.severity for f in items), key=lambda s: s.rank).value,
                    "findings": [index[id(f)] for f in items],
                }
            )
        return {
            "format": REPORT_FORMAT,
            "version": REPORT_VERSION,
            "region": self.region,
            "period": self.period,
            "sources": list(self.sources),
            "valid": self.valid,
            "worst": self.worst.value if self.worst else None,
            "records": dict(self.records),
            "rules": list(self.rules),
            "counts": {
                "by_severity": self.counts_by_severity,
                "by_code": self.counts_by_code,
                "by_kind": self.counts_by_kind,
            },
            "findings": [f.to_dict() for f in self.findings],
            "by_record": groups,
        }

    def to_json(self) -> bytes:
        """Canonical JSON bytes of :meth:`to_dict` (sorted keys, final newline)."""
        from krat_core.format.canonical import dump_json

        return dump_json(self.to_dict())

    # ----------------------------------------------------------------- text

    def summary(self, lang: str = "sq") -> str:
        """One line: ``3 errors, 1 warning, 0 notes`` in ``lang``."""
        lang = _lang(lang)
        parts = []
        for severity, n in self.counts_by_severity.items():
            word = (_SEVERITY_SINGULAR if n == 1 else _SEVERITY_PLURAL)[lang][severity]
            parts.append(f"{n} {word}")
        return ", ".join(parts)

    def to_text(self, lang: str = "sq", *, max_groups: int | None = None) -> str:
        """A readable report for a person, findings grouped by record, in Albanian or English.

        ``max_groups`` limits how many records are listed (the counts always cover all).
        """
        lang = _lang(lang)
        words = _TEXT[lang]
        lines: list[str] = []
        where = ""
        if self.region:
            known = REGIONS.get(self.region)
            where = f"{known.label(lang)} ({self.region})" if known else self.region
        if self.period:
            where = f"{where}, {words['period']} {self.period}" if where else self.period
        lines.append(f"{words['title']}: {where}" if where else words["title"])
        if self.sources:
            lines.append(f"{words['source']}: {', '.join(self.sources)}")
        if self.records:
            counted = []
            for kind, n in self.records.items():
                _, singular, plural = _KIND_NAMES[kind][lang]
                counted.append(f"{n} {singular if n == 1 else plural}")
            lines.append(f"{words['records']}: {', '.join(counted)}")
        if self.rules:
            lines.append(f"{words['rules']}: {len(self.rules)}")
        verdict = words["valid"] if self.valid else words["invalid"]
        lines.append(f"{verdict} — {self.summary(lang)}")
        if not self.findings:
            lines.append(words["none"])
            return "\n".join(lines) + "\n"
        width = max(len(_SEVERITY_SINGULAR[lang][s.value]) for s in Severity)
        for shown, (key, items) in enumerate(self.by_record.items()):
            if max_groups is not None and shown >= max_groups:
                rest = len(self.by_record) - shown
                lines.append("")
                lines.append(f"… {rest} {'more' if lang == 'en' else 'të tjera'}")
                break
            lines.append("")
            lines.append(self._heading(key, _anchor(items), lang))
            for f in items:
                label = _SEVERITY_SINGULAR[lang][f.severity.value]
                place = f.pointer or "/"
                column = ""
                if f.position is not None and f.position.column:
                    column = f"  ({words['column']} '{f.position.column}')"
                lines.append(f"  {label:<{width}}  {f.code}  {place}{column}")
                lines.append(f"  {'':<{width}}  {f.message(lang)}")
        lines.append("")
        lines.append(f"{words['by_code']}:")
        code_width = max(len(c) for c in self.counts_by_code)
        for code, n in self.counts_by_code.items():
            lines.append(f"  {code:<{code_width}}  {n:>6}")
        return "\n".join(lines) + "\n"

    def _heading(self, key: GroupKey, first: Finding, lang: str) -> str:
        """The group's title line; ``first`` is the finding whose position names the row."""
        kind, record_id, _file, _sheet, _row = key
        words = _TEXT[lang]
        if record_id:
            names = _KIND_NAMES.get(kind)
            title = f"{names[lang][0] if names else kind} {record_id}"
        elif first.position is not None:
            title = words["rejected"]
        elif kind == SUBMISSION_KIND:
            title = words["header"]
        else:
            names = _KIND_NAMES.get(kind)
            title = names[lang][0] if names else (kind or words["header"])
        pos = first.position
        if pos is not None:
            row_only = SourcePosition(pos.file, pos.sheet, pos.row, None)
            title = f"{title}  ({row_only.describe(lang)})"
        return title
