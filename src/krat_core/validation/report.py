"""The validation report: findings in a stable order, their counts, and their renderings.

:func:`krat_core.validation.engine.validate` returns a :class:`ValidationReport`;
this module holds the report itself and how a person (:meth:`~ValidationReport.to_text`)
or a program (:meth:`~ValidationReport.to_dict`, :meth:`~ValidationReport.to_json`,
the versioned shape of docs/validation.md) reads it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from krat_core.findings import SEVERITY_NAMES, Finding, Severity, SourcePosition
from krat_core.format.regions import REGIONS
from krat_core.messages import Message, Plural

__all__ = [
    "KIND_COUNTS",
    "KIND_HEADINGS",
    "REPORT_FORMAT",
    "REPORT_VERSION",
    "SUBMISSION_KIND",
    "GroupKey",
    "ValidationReport",
    "record_counts",
]

REPORT_FORMAT = "krat-validation-report"
"""The ``format`` member of a report's JSON."""
REPORT_VERSION = 1
"""The ``version`` member of a report's JSON; raised when the shape changes incompatibly."""
SUBMISSION_KIND = "submission"
"""The ``kind`` of findings about the submission itself (its header), not one record."""

KIND_HEADINGS: dict[str, Message] = {
    "institution": Message(sq="Institucioni", en="Institution"),
    "case": Message(sq="Rasti", en="Case"),
    "activity": Message(sq="Aktiviteti", en="Activity"),
    "objective": Message(sq="Objektivi", en="Objective"),
    SUBMISSION_KIND: Message(sq="Dorëzimi", en="Submission"),
}
"""The title of a group of findings about one record of each kind."""

KIND_COUNTS: dict[str, Message] = {
    "institution": Message(
        sq=Plural(one="{n} institucion", other="{n} institucione"),
        en=Plural(one="{n} institution", other="{n} institutions"),
    ),
    "case": Message(
        sq=Plural(one="{n} rast", other="{n} raste"),
        en=Plural(one="{n} case", other="{n} cases"),
    ),
    "activity": Message(
        sq=Plural(one="{n} aktivitet", other="{n} aktivitete"),
        en=Plural(one="{n} activity", other="{n} activities"),
    ),
    "objective": Message(
        sq=Plural(one="{n} objektiv", other="{n} objektiva"),
        en=Plural(one="{n} objective", other="{n} objectives"),
    ),
    SUBMISSION_KIND: Message(
        sq=Plural(one="{n} dorëzim", other="{n} dorëzime"),
        en=Plural(one="{n} submission", other="{n} submissions"),
    ),
}
"""``n`` records of each kind, with the right plural."""

TITLE = Message(sq="Raporti i validimit KRAT", en="KRAT validation report")
PERIOD = Message(sq="periudha {period}", en="period {period}")
SOURCE = Message(sq="Burimi: {files}", en="Source: {files}")
RECORDS = Message(sq="Regjistrimet: {counts}", en="Records: {counts}")
RULES = Message(sq="Rregulla të zbatuara: {n}", en="Rules applied: {n}")
VALID = Message(sq="Rezultati: I VLEFSHËM (asnjë gabim)", en="Result: VALID (no errors)")
INVALID = Message(sq="Rezultati: JO I VLEFSHËM", en="Result: NOT VALID")
NO_FINDINGS = Message(sq="Asnjë gjetje.", en="No findings.")
BY_CODE = Message(sq="Gjetjet sipas kodit:", en="Findings by code:")
COLUMN = Message(sq="kolona '{name}'", en="column '{name}'")
REJECTED_ROW = Message(sq="Rresht i paimportuar", en="Row not imported")
FILE_NOTE = Message(sq="Për skedarin", en="About the file")
"""Heading of findings about a whole file, sheet or column (a position without a row)."""
AT = Message(sq="në {where}", en="at {where}")
HEADER = Message(sq="Dorëzimi (koka)", en="Submission (header)")
MORE_GROUPS = Message(
    sq=Plural(one="… {n} tjetër", other="… {n} të tjera"),
    en="… {n} more",
)
"""The records not listed when ``max_groups`` stops the list ("tjetër" has the article
only in the plural)."""


def record_counts(records: Mapping[str, int], lang: str) -> str:
    """``12 institutions, 1 case, ...`` in ``lang`` (record kind -> how many)."""
    return ", ".join(
        KIND_COUNTS[kind].text(lang, n=n) if kind in KIND_COUNTS else f"{n} {kind}"
        for kind, n in records.items()
    )


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


def _lang(lang: str) -> str:
    return "sq" if lang == "sq" else "en"


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
        """Whether some finding is at least as severe as ``level`` (for a fail level)."""
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
        return ", ".join(Severity(s).counted(n, lang) for s, n in self.counts_by_severity.items())

    def to_text(self, lang: str = "sq", *, max_groups: int | None = None) -> str:
        """A readable report for a person, findings grouped by record, in Albanian or English.

        ``max_groups`` limits how many records are listed (the counts always cover all).
        """
        lang = _lang(lang)
        lines: list[str] = []
        where = ""
        if self.region:
            known = REGIONS.get(self.region)
            where = f"{known.label(lang)} ({self.region})" if known else self.region
        if self.period:
            period = PERIOD.text(lang, period=self.period)
            where = f"{where}, {period}" if where else self.period
        title = TITLE.text(lang)
        lines.append(f"{title}: {where}" if where else title)
        if self.sources:
            lines.append(SOURCE.text(lang, files=", ".join(self.sources)))
        if self.records:
            lines.append(RECORDS.text(lang, counts=record_counts(self.records, lang)))
        if self.rules:
            lines.append(RULES.text(lang, n=len(self.rules)))
        verdict = (VALID if self.valid else INVALID).text(lang)
        lines.append(f"{verdict} — {self.summary(lang)}")
        if not self.findings:
            lines.append(NO_FINDINGS.text(lang))
            return "\n".join(lines) + "\n"
        width = max(len(SEVERITY_NAMES[s.value].text(lang)) for s in Severity)
        for shown, (key, items) in enumerate(self.by_record.items()):
            anchor = _anchor(items).position
            if max_groups is not None and shown >= max_groups:
                lines.append("")
                lines.append(MORE_GROUPS.text(lang, n=len(self.by_record) - shown))
                break
            lines.append("")
            lines.append(self._heading(key, _anchor(items), lang))
            for f in items:
                label = f.severity.label(lang)
                place = f.pointer or "/"
                column = ""
                pos = f.position
                if pos is not None and not _same_row(pos, anchor):
                    # a finding on another sheet or row (an assistance, an indicator): its own place
                    column = "  (" + AT.text(lang, where=pos.describe(lang)) + ")"
                elif pos is not None and pos.column:
                    column = "  (" + COLUMN.text(lang, name=pos.column) + ")"
                lines.append(f"  {label:<{width}}  {f.code}  {place}{column}")
                lines.append(f"  {'':<{width}}  {f.message(lang)}")
        lines.append("")
        lines.append(BY_CODE.text(lang))
        code_width = max(len(c) for c in self.counts_by_code)
        for code, n in self.counts_by_code.items():
            lines.append(f"  {code:<{code_width}}  {n:>6}")
        return "\n".join(lines) + "\n"

    def _heading(self, key: GroupKey, first: Finding, lang: str) -> str:
        """The group's title line; ``first`` is the finding whose position names the row."""
        kind, record_id, _file, _sheet, _row = key
        heading = KIND_HEADINGS.get(kind)
        if record_id:
            title = f"{heading.text(lang) if heading else kind} {record_id}"
        elif first.position is not None and first.position.row is None:
            title = FILE_NOTE.text(lang)
        elif first.position is not None:
            title = REJECTED_ROW.text(lang)
        elif kind == SUBMISSION_KIND:
            title = HEADER.text(lang)
        else:
            title = heading.text(lang) if heading else (kind or HEADER.text(lang))
        pos = first.position
        if pos is not None:
            row_only = SourcePosition(pos.file, pos.sheet, pos.row, None)
            title = f"{title}  ({row_only.describe(lang)})"
        return title


def _same_row(pos: SourcePosition, anchor: SourcePosition | None) -> bool:
    """Whether ``pos`` is on the row (file, sheet) that the group's heading names."""
    return anchor is not None and (pos.file, pos.sheet, pos.row) == (
        anchor.file,
        anchor.sheet,
        anchor.row,
    )
