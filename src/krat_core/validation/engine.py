"""The rule engine: every business rule on a submission, findings in a stable order.

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
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any

from krat_core.errors import PointerError
from krat_core.findings import Finding, Problem, Severity, SourcePosition
from krat_core.format.canonical import gc_paused
from krat_core.format.models import RECORD_LISTS, RECORD_TYPES
from krat_core.messages import Message, Plural
from krat_core.plugins.descriptors import Rule, RuleContext
from krat_core.plugins.manager import Registry
from krat_core.validation.report import (
    REPORT_FORMAT,
    REPORT_VERSION,
    SUBMISSION_KIND,
    ValidationReport,
)

if TYPE_CHECKING:
    from krat_core.format.models import Submission
    from krat_core.format.models.national import ValidationSummary
    from krat_core.plugins.descriptors import ImportResult

__all__ = [
    "FILE_NAME_MISMATCH",
    "INCOMPLETE",
    "PLUGIN_FAULT_CODES",
    "REPORT_FORMAT",
    "REPORT_VERSION",
    "RULE_ERROR",
    "SUBMISSION_KIND",
    "Locator",
    "PointerError",
    "ValidationReport",
    "is_incomplete",
    "resolve_pointer",
    "summary_validator",
    "validate",
    "validate_import",
]

RULE_ERROR = "rule-error"
"""Code of the finding made when a rule's check raises."""
INCOMPLETE = "validation-incomplete"
"""Code of the finding made when a plugin's rules are missing (its validators hook failed)."""
FILE_NAME_MISMATCH = "submission.file-name-mismatch"
"""Code of the warning made when a file's name names another region or period."""
PLUGIN_FAULT_CODES = frozenset({RULE_ERROR, INCOMPLETE})
"""Findings about plugins, not about the data (``combine`` does not call a region invalid)."""
POINTER_NO_SLASH = Message(
    sq="një tregues JSON fillon me '/', u gjet {pointer}",
    en="a JSON pointer starts with '/', got {pointer}",
)
POINTER_NOT_INDEX = Message(
    sq="{pointer}: {token} nuk është indeks liste",
    en="{pointer}: {token} is not a list index",
)
POINTER_PAST_END = Message(
    sq="{pointer}: indeksi {index} është përtej fundit të listës",
    en="{pointer}: index {index} is past the end of the list",
)
POINTER_NO_MEMBER = Message(
    sq="{pointer}: nuk ka anëtar {token}", en="{pointer}: no member {token}"
)
POINTER_CANNOT_DESCEND = Message(
    sq="{pointer}: nuk mund të zbresë brenda një {kind}",
    en="{pointer}: cannot descend into a {kind}",
)
RULES_MISSING = Message(
    sq="Rregullat e shtojcës {plugin}{where} mungojnë: {reason}. Kontrolli është i paplotë "
    "dhe nuk mund të quhet i vlefshëm. Ky është një defekt i shtojcës, jo i të dhënave: "
    "njoftoni mirëmbajtësit e saj.",
    en="The rules of plugin {plugin}{where} are missing: {reason}. The check is incomplete "
    "and cannot be called valid. This is a fault of the plugin, not of the data: tell its "
    "maintainers.",
)
NAME_NAMES_REGION = Message(
    sq="Emri i skedarit {file} përmend qarkun {named}, por dorëzimi është për {region}: "
    "kontrolloni që skedari të jetë i qarkut të duhur.",
    en="The file name {file} names region {named}, but the submission is for {region}: "
    "check that the file is the right region's.",
)
NAME_NAMES_PERIOD = Message(
    sq="Emri i skedarit {file} përmend periudhën {named}, por dorëzimi është për {period}: "
    "kontrolloni që skedari të jetë i periudhës së duhur.",
    en="The file name {file} names period {named}, but the submission is for {period}: "
    "check that the file is the right period's.",
)
RULE_FAILED = Message(
    sq=Plural(
        one="Rregulli {code} i shtojcës {plugin} dështoi ({what}) në {n} regjistrim; "
        "rezultatet e tij janë të paplota. Ky është një defekt i shtojcës, jo i të dhënave: "
        "njoftoni mirëmbajtësit e saj.",
        other="Rregulli {code} i shtojcës {plugin} dështoi ({what}) në {n} regjistrime; "
        "rezultatet e tij janë të paplota. Ky është një defekt i shtojcës, jo i të dhënave: "
        "njoftoni mirëmbajtësit e saj.",
    ),
    en=Plural(
        one="The rule {code} of plugin {plugin} failed ({what}) on {n} record; its results "
        "are incomplete. This is a fault of the plugin, not of the data: tell its maintainers.",
        other="The rule {code} of plugin {plugin} failed ({what}) on {n} records; its results "
        "are incomplete. This is a fault of the plugin, not of the data: tell its maintainers.",
    ),
)

Locator = Callable[[str, str, str], SourcePosition | None]
"""``locate(kind, record_id, pointer)``: where in the source file a record's field came from."""

_KIND_ORDER = tuple(RECORD_TYPES)
_SUBJECT_REF = re.compile(r"[0-9a-fA-F]{64}")


# --------------------------------------------------------------------------- JSON pointers


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value at JSON pointer ``pointer`` (RFC 6901) in ``document`` (plain JSON data).

    ``""`` is the whole document; ``/assistance/0/start`` a nested field.
    Raises :class:`PointerError` when the pointer does not resolve.
    """
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise PointerError(POINTER_NO_SLASH.both(pointer=repr(pointer)))
    current = document
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(current, list):
            if not (token.isascii() and token.isdigit()) or (len(token) > 1 and token[0] == "0"):
                raise PointerError(POINTER_NOT_INDEX.both(pointer=repr(pointer), token=repr(token)))
            index = int(token)
            if index >= len(current):
                raise PointerError(POINTER_PAST_END.both(pointer=repr(pointer), index=index))
            current = current[index]
        elif isinstance(current, dict):
            if token not in current:
                raise PointerError(POINTER_NO_MEMBER.both(pointer=repr(pointer), token=repr(token)))
            current = current[token]
        else:
            raise PointerError(
                POINTER_CANNOT_DESCEND.both(pointer=repr(pointer), kind=type(current).__name__)
            )
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
    texts = RULE_FAILED.both(code=rule.code, plugin=plugin, what=what, n=n)
    return Finding(
        code=RULE_ERROR,
        severity=Severity.ERROR,
        message_en=texts["en"],
        message_sq=texts["sq"],
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
    context = RuleContext(submission, getattr(rules, "extension_fields", None))
    problems: list[tuple[Rule, Problem, str, str | None]] = []
    failures: dict[int, _Failures] = {}

    def fail(rule: Rule, exc: BaseException, kind: str | None, record_id: str | None) -> None:
        known = failures.get(id(rule))
        if known is None:
            failures[id(rule)] = _Failures(rule, exc, kind, record_id)
        else:
            known.count += 1

    with gc_paused():  # rules and findings make no cycles: see gc_paused
        for kind in _KIND_ORDER:
            kind_rules = [r for r in applicable if r.scope == "record" and kind in r.kinds]
            if kind_rules:
                records = getattr(submission, RECORD_LISTS[kind])
                _run_record_rules(kind_rules, kind, records, context, problems, fail)

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
        if isinstance(rules, Registry):
            findings.extend(_rules_missing(rules, submission.region))
        findings.extend(_name_findings(submission, sources))
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


def _run_record_rules(
    rules: list[Rule],
    kind: str,
    records: Sequence[Any],
    context: RuleContext,
    problems: list[tuple[Rule, Problem, str, str | None]],
    fail: Callable[[Rule, BaseException, str | None, str | None], None],
) -> None:
    """Every rule of ``rules`` on every record of one kind, record by record.

    The hot loop of a validation run (each rule on each record): a check that
    finds nothing returns something falsy or an empty iterable, and costs one
    call. Only what a check returns is looked at further; a check that raises,
    also halfway through what it yields, contributes nothing but its failure.
    """
    checks = [(rule, rule.check) for rule in rules]
    append = problems.append
    for record in records:
        for rule, check in checks:
            try:
                found = check(record, context)
                if not found:
                    continue
            except Exception as exc:
                fail(rule, exc, kind, record.id)
                continue
            mark = len(problems)
            try:
                for problem in found:
                    _check_problem(problem)
                    append((rule, problem, kind, record.id))
            except Exception as exc:
                del problems[mark:]  # what a failed check said before failing is dropped
                fail(rule, exc, kind, record.id)


def _rules_missing(registry: Registry, region: str) -> Iterator[Finding]:
    """One ``validation-incomplete`` error per plugin whose rules failed to load."""
    for skipped in registry.rule_faults:
        where = f" ({skipped.distribution})" if skipped.distribution else ""
        texts = RULES_MISSING.both(plugin=skipped.name, where=where, reason=skipped.reason)
        yield Finding(
            code=INCOMPLETE,
            severity=Severity.ERROR,
            message_en=texts["en"],
            message_sq=texts["sq"],
            kind=SUBMISSION_KIND,
            pointer="",
            plugin=skipped.name,
        )


def _name_findings(submission: Submission, sources: Sequence[str]) -> Iterator[Finding]:
    """A warning for each source file whose name names another region or period."""
    from krat_core.format.provenance import name_mismatch

    for source in sources:
        region, period = name_mismatch(source, submission.region, submission.period)
        found = []
        if region is not None:
            found.append(
                NAME_NAMES_REGION.both(file=source, named=region, region=submission.region)
            )
        if period is not None:
            found.append(
                NAME_NAMES_PERIOD.both(file=source, named=period, period=submission.period)
            )
        for texts in found:
            yield Finding(
                code=FILE_NAME_MISMATCH,
                severity=Severity.WARNING,
                message_en=texts["en"],
                message_sq=texts["sq"],
                kind=SUBMISSION_KIND,
                pointer="",
                value=source,
            )


def is_incomplete(report: ValidationReport) -> bool:
    """Whether some plugin's rules were missing from the run (a ``validation-incomplete``)."""
    return any(f.code == INCOMPLETE for f in report.findings)


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


def summary_validator(rules: Registry | Iterable[Rule]) -> SummaryValidator:
    """A ``validate`` callable for :func:`krat_core.combine.combine`: every rule, counted.

    The national dataset records, for each accepted submission, whether it is
    valid and how many errors and warnings the rules found.
    """
    return SummaryValidator(rules)


class SummaryValidator:
    """The callable :func:`summary_validator` returns.

    Findings about plugins (a rule that raised, a plugin whose rules are missing)
    are not the region's fault: they do not make a submission invalid or count
    as its errors, and are collected once, by plugin and rule, in :attr:`faults`
    (the English text of the first occurrence), for the caller to report.
    """

    def __init__(self, rules: Registry | Iterable[Rule]) -> None:
        self.rules = rules if isinstance(rules, Registry) else list(rules)
        self.faults: dict[tuple[str, str], Finding] = {}

    def __call__(self, submission: Submission) -> ValidationSummary:
        """Validate ``submission``; its summary counts the findings about the data only."""
        from krat_core.format.models.national import ValidationSummary

        errors = warnings = 0
        for finding in validate(submission, self.rules).findings:
            if finding.code in PLUGIN_FAULT_CODES:
                self.faults.setdefault((finding.plugin or "?", finding.rule or ""), finding)
            elif finding.severity == Severity.ERROR:
                errors += 1
            elif finding.severity == Severity.WARNING:
                warnings += 1
        return ValidationSummary(valid=errors == 0, errors=errors, warnings=warnings)


def validate_import(result: ImportResult, rules: Registry | Iterable[Rule]) -> ValidationReport:
    """Validate what an importer read: its rejected rows plus every rule, with positions."""
    files = sorted({c.file for c in result.counts})
    return validate(
        result.submission,
        rules,
        locate=result.locate,
        import_findings=result.findings,
        sources=files,
    )
