"""What a consolidation returns, and its summary for a person (text) and a program (data).

:class:`CombineResult` holds the national dataset and the inputs left out;
:meth:`CombineResult.to_text` and :meth:`CombineResult.to_dict` give its summary:
the completeness matrix (regions by period) and what needs attention (missing,
late and invalid submissions, resubmissions and what they changed, persons
reported by more than one region, record ids in conflict, inputs left out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from krat_core.findings import Severity
from krat_core.format.models.national import NationalDataset
from krat_core.messages import Message, Plural, format_date, format_datetime

if TYPE_CHECKING:
    from krat_core.format.models.national import SupersededSubmission

__all__ = [
    "LIST_LIMIT",
    "CombineResult",
    "IgnoredInput",
    "aligned_lines",
    "summary_document",
    "summary_text",
]

LIST_LIMIT = 10
"""How many duplicates, conflicts or left-out inputs the text lists before '... and N more'."""


@dataclass(frozen=True, slots=True)
class IgnoredInput:
    """A submission left out of the national dataset because of its period."""

    file: str
    sha256: str
    region: str
    period: str
    records: int
    reason: str


@dataclass(frozen=True, slots=True)
class CombineResult:
    """What :func:`~krat_core.combine.consolidate.combine` returns.

    The national dataset, and the inputs it left out.
    """

    dataset: NationalDataset
    ignored: list[IgnoredInput] = field(default_factory=list)

    def attention(self) -> dict[str, int]:
        """What needs the office's attention, by reason, only the non-zero ones.

        Reasons: ``missing``, ``empty`` (no case, activity or objective, and no
        nil return declared), ``late`` and ``invalid`` (completeness cells) and
        ``conflicts`` (record ids with different content). The CLI exits 1 when
        this is not empty. Superseded submissions and persons reported by several
        regions are expected and reported, but are not in this list.
        """
        cells = self.dataset.completeness
        found = {
            "missing": sum(1 for c in cells if c.status == "missing"),
            "empty": sum(1 for c in cells if _accepted_state(self.dataset, c.sha256) == "empty"),
            "late": sum(1 for c in cells if c.late),
            "invalid": sum(1 for c in cells if c.invalid),
            "conflicts": len(self.dataset.conflicts),
        }
        return {k: v for k, v in found.items() if v}

    def name_mismatches(self) -> list[tuple[str, str, str, str | None, str | None]]:
        """Inputs whose file name names another region or period than their content.

        ``(file, region, period, region named, period named)`` for every accepted and
        superseded submission (and each other name it was received under), sorted:
        a region's file must not silently stand for another region's data.
        """
        from krat_core.format.provenance import name_mismatch

        found = []
        entries = [(a.source, a.submission) for a in self.dataset.submissions]
        entries += [(s.source, s.submission) for s in self.dataset.superseded]
        for source, sub in entries:
            for name in (source.file, *source.other_files):
                named_region, named_period = name_mismatch(name, sub.region, sub.period)
                if named_region is not None or named_period is not None:
                    found.append((name, sub.region, sub.period, named_region, named_period))
        return sorted(set(found), key=lambda item: tuple(str(x) for x in item))

    def to_text(self, lang: str = "sq") -> str:
        """The completeness table and what needs attention, for a person, in ``lang``."""
        return summary_text(self, lang)

    def to_dict(self) -> dict[str, Any]:
        """Everything but the submissions themselves, as plain data for a program."""
        return summary_document(self)


TITLE = Message(sq="Plotësia e raportimit", en="Completeness of reporting")
REGIONS_COUNT = Message(
    sq=Plural(one="{n} qark", other="{n} qarqe"),
    en=Plural(one="{n} region", other="{n} regions"),
)
PERIODS_COUNT = Message(
    sq=Plural(one="{n} periudhë", other="{n} periudha"),
    en=Plural(one="{n} period", other="{n} periods"),
)
DEADLINE = Message(sq="afati: {date}", en="deadline: {date}")
NO_DEADLINE = Message(sq="pa afat", en="no deadline")
REGION = Message(sq="Qarku", en="Region")
RECEIVED = Message(sq="marrë", en="received")
MISSING = Message(sq="mungon", en="missing")
NIL_RETURN = Message(sq="pa asgjë për të raportuar (deklaruar)", en="nil return (declared)")
EMPTY = Message(sq="bosh, pa deklaratë", en="empty, not declared")
LATE = Message(sq="me vonesë", en="late")
INVALID = Message(sq="i pavlefshëm ({errors})", en="invalid ({errors})")
SUPERSEDED_N = Message(
    sq=Plural(one="{n} i zëvendësuar", other="{n} të zëvendësuar"),
    en=Plural(one="{n} superseded", other="{n} superseded"),
)
NOT_VALIDATED = Message(sq="Dorëzimet nuk u validuan.", en="The submissions were not validated.")
SUPERSEDED = Message(
    sq="Dorëzime të zëvendësuara (mbetet më i fundit sipas submitted_at): {n}",
    en="Superseded submissions (the latest submitted_at is kept): {n}",
)
TIE = Message(sq="e njëjta kohë; vendosi SHA-256", en="same time; SHA-256 decided")
ADDED = Message(sq="{n} shtuar", en="{n} added")
REMOVED = Message(sq="{n} hequr", en="{n} removed")
CHANGED = Message(sq="{n} ndryshuar", en="{n} changed")
DUPLICATES = Message(
    sq="Persona të raportuar nga më shumë se një qark: {n} (nuk bashkohen)",
    en="Persons reported by more than one region: {n} (not merged)",
)
CONFLICTS = Message(
    sq="Konflikte (i njëjti id me përmbajtje të ndryshme): {n}",
    en="Conflicts (same record id, different content): {n}",
)
AMENDMENTS = Message(
    sq="Ndryshime të kalendarit (zbatuar mbi dorëzimin, pa vonesë): {n}",
    en="Calendar amendments (applied on top of the submission, never late): {n}",
)
AMENDMENT_LINE = Message(
    sq="{file}: {region} {period}, {changed}, {cancelled}",
    en="{file}: {region} {period}, {changed}, {cancelled}",
)
AMENDED_N = Message(
    sq=Plural(
        one="{n} veprimtari e shtuar ose e ndryshuar",
        other="{n} veprimtari të shtuara ose të ndryshuara",
    ),
    en=Plural(one="{n} activity added or changed", other="{n} activities added or changed"),
)
CANCELLED_N = Message(
    sq=Plural(one="{n} e anuluar", other="{n} të anuluara"),
    en=Plural(one="{n} cancelled", other="{n} cancelled"),
)
IGNORED = Message(sq="Lënë jashtë (periudhë tjetër): {n}", en="Left out (other period): {n}")
RECORDS = Message(
    sq="Regjistrime: {inn} të marra = {acc} në të dhënat kombëtare + "
    "{sup} në dorëzime të zëvendësuara",
    en="Records: {inn} received = {acc} in the national dataset + {sup} in superseded submissions",
)
CASES = Message(
    sq="Raste: {cases} (një person numërohet një herë për çdo qark që e raporton); "
    "persona të ndryshëm: {persons}; të raportuar nga më shumë se një qark: {several}",
    en="Cases: {cases} (a person counts once per region reporting them); "
    "distinct persons: {persons}; reported by more than one region: {several}",
)
ATTENTION = Message(sq="Kërkon vëmendje: {reasons}", en="Needs attention: {reasons}")
ALL_OK = Message(
    sq="Gjithçka në rregull: të gjitha qarqet dorëzuan në kohë, pa gabime e pa konflikte.",
    en="All in order: every region submitted on time, without errors or conflicts.",
)
REASONS: dict[str, Message] = {
    "missing": Message(
        sq=Plural(one="{n} mungon", other="{n} mungojnë"),
        en=Plural(one="{n} missing", other="{n} missing"),
    ),
    "empty": Message(
        sq=Plural(one="{n} bosh pa deklaratë", other="{n} bosh pa deklaratë"),
        en=Plural(one="{n} empty, not declared", other="{n} empty, not declared"),
    ),
    "late": Message(sq="{n} me vonesë", en="{n} late"),
    "invalid": Message(
        sq=Plural(one="{n} i pavlefshëm", other="{n} të pavlefshëm"),
        en=Plural(one="{n} invalid", other="{n} invalid"),
    ),
    "conflicts": Message(
        sq=Plural(one="{n} konflikt", other="{n} konflikte"),
        en=Plural(one="{n} conflict", other="{n} conflicts"),
    ),
}
"""Each reason of :meth:`CombineResult.attention` with its count."""
MORE = Message(sq="... dhe {n} të tjerë", en="... and {n} more")


def _moment(value: date | datetime, lang: str) -> str:
    return format_datetime(value, lang) if isinstance(value, datetime) else format_date(value, lang)


def aligned_lines(rows: Sequence[Sequence[str]], *, rule: bool = False) -> list[str]:
    """``rows`` of text as columns sized to their content, two spaces apart (the
    region-by-period matrices of ``krat combine`` and ``krat archive list``); with
    ``rule``, a line of dashes under the first row, the header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(t.ljust(wd) for t, wd in zip(row, widths, strict=True)).rstrip())
        if rule and n == 0:
            lines.append("  ".join("-" * wd for wd in widths))
    return lines


def _region(code: str, lang: str) -> str:
    from krat_core.format.regions import REGIONS

    return REGIONS[code].label(lang) if code in REGIONS else code


def _limited(items: Sequence[str], lang: str, indent: str = "  ") -> list[str]:
    lines = [indent + item for item in items[:LIST_LIMIT]]
    if len(items) > LIST_LIMIT:
        lines.append(indent + MORE.text(lang, n=len(items) - LIST_LIMIT))
    return lines


def _ids(label: Message, ids: Sequence[str], lang: str) -> str:
    shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
    return label.text(lang, n=len(ids)) + (f" ({shown})" if ids else "")


def _superseded_line(entry: SupersededSubmission, newer_file: str, lang: str) -> str:
    sub, ch = entry.submission, entry.changes
    head = (
        f"{_region(sub.region, lang)} {sub.period}: {entry.source.file} "
        f"({format_datetime(sub.submitted_at, lang)}) -> {newer_file}"
    )
    if entry.tie:
        head += f" [{TIE.text(lang)}]"
    parts = [_ids(ADDED, ch.added, lang), _ids(REMOVED, ch.removed, lang)]
    parts.append(_ids(CHANGED, ch.changed, lang))
    return f"{head}: " + "; ".join(parts)


def _accepted_state(national: NationalDataset, sha256: str | None) -> str | None:
    """``"nil_return"`` or ``"empty"`` for the accepted submission ``sha256``, else None.

    A nil return is declared (the region has nothing to report); an empty one is
    not, and needs attention: data may have been lost on the way (issue 11).
    """
    if sha256 is None:
        return None
    for accepted in national.submissions:
        if accepted.source.sha256 == sha256:
            sub = accepted.submission
            if sub.nil_return:
                return "nil_return"
            return "empty" if sub.reported_records == 0 else None
    return None


def _cell_text(national: NationalDataset, index: int, lang: str) -> str:
    cell = national.completeness[index]
    if cell.status == "missing":
        return MISSING.text(lang)
    parts = [RECEIVED.text(lang)]
    state = _accepted_state(national, cell.sha256)
    if state is not None:
        parts.append((NIL_RETURN if state == "nil_return" else EMPTY).text(lang))
    if cell.late:
        parts.append(LATE.text(lang))
    if cell.invalid:
        errors = next(
            (
                a.source.validation.errors
                for a in national.submissions
                if a.source.sha256 == cell.sha256 and a.source.validation is not None
            ),
            0,
        )
        parts.append(INVALID.text(lang, errors=Severity.ERROR.counted(errors, lang)))
    if cell.superseded:
        parts.append(SUPERSEDED_N.text(lang, n=cell.superseded))
    return ", ".join(parts)


def summary_text(result: CombineResult, lang: str = "sq") -> str:
    """The completeness table and the summary of ``result``, in ``lang`` (no final newline)."""
    from krat_core.format.regions import REGION_CODES

    national = result.dataset
    periods = national.periods
    deadline = (
        DEADLINE.text(lang, date=_moment(national.deadline, lang))
        if national.deadline is not None
        else NO_DEADLINE.text(lang)
    )
    dims = (
        f"{REGIONS_COUNT.text(lang, n=len(REGION_CODES))} × "
        f"{PERIODS_COUNT.text(lang, n=len(periods))}"
    )
    lines = [f"{TITLE.text(lang)}: {dims} ({deadline})", ""]
    rows = [[REGION.text(lang), *periods]]
    index = {(c.region, c.period): i for i, c in enumerate(national.completeness)}
    for code in REGION_CODES:
        texts = [_cell_text(national, index[(code, p)], lang) for p in periods]
        rows.append([_region(code, lang), *texts])
    lines += aligned_lines(rows, rule=True)
    if not national.validated:
        lines += ["", NOT_VALIDATED.text(lang)]

    if national.superseded:
        files = {a.source.sha256: a.source.file for a in national.submissions}
        files.update({s.source.sha256: s.source.file for s in national.superseded})
        lines += ["", SUPERSEDED.text(lang, n=len(national.superseded))]
        lines += [
            "  " + _superseded_line(s, files.get(s.superseded_by, s.superseded_by[:12]), lang)
            for s in national.superseded
        ]

    lines += ["", DUPLICATES.text(lang, n=len(national.duplicates))]
    dup_lines = [
        f"{d.subject_ref[:12]}...: "
        + ", ".join(f"{_region(c.region, lang)} {c.record_id}" for c in d.cases)
        for d in national.duplicates
    ]
    lines += _limited(dup_lines, lang)

    lines += ["", CONFLICTS.text(lang, n=len(national.conflicts))]
    conflict_lines = [
        f"{c.record_id} ({c.kind}): "
        + ", ".join(
            f"{_region(v.region, lang)} {v.period} {v.file} [{v.content_sha256[:8]}]"
            for v in c.versions
        )
        for c in national.conflicts
    ]
    lines += _limited(conflict_lines, lang)

    if national.amendments:
        lines += ["", AMENDMENTS.text(lang, n=len(national.amendments))]
        lines += _limited(
            [
                AMENDMENT_LINE.text(
                    lang,
                    file=a.source.file,
                    region=_region(a.amendment.region, lang),
                    period=a.amendment.period,
                    changed=AMENDED_N.text(lang, n=len(a.amendment.activities)),
                    cancelled=CANCELLED_N.text(lang, n=len(a.amendment.cancellations)),
                )
                for a in national.amendments
            ],
            lang,
        )

    if result.ignored:
        lines += ["", IGNORED.text(lang, n=len(result.ignored))]
        lines += _limited(
            [f"{i.file}: {_region(i.region, lang)} {i.period}" for i in result.ignored], lang
        )

    counts = national.counts
    lines += [
        "",
        RECORDS.text(
            lang, inn=counts.records_in, acc=counts.records_accepted, sup=counts.records_superseded
        ),
        CASES.text(
            lang,
            cases=counts.cases,
            persons=counts.persons,
            several=counts.persons_in_several_regions,
        ),
    ]
    attention = result.attention()
    if attention:
        reasons = ", ".join(REASONS[reason].text(lang, n=n) for reason, n in attention.items())
        lines.append(ATTENTION.text(lang, reasons=reasons))
    else:
        lines.append(ALL_OK.text(lang))
    return "\n".join(lines)


def summary_document(result: CombineResult) -> dict[str, Any]:
    """``result`` as plain data: everything but the submissions themselves.

    The dataset's header and counts, each accepted submission's provenance,
    the superseded ones (without their records), the inputs left out, and
    :meth:`~krat_core.combine.consolidate.CombineResult.attention`.
    """
    national = result.dataset
    head = national.model_dump(mode="json", exclude={"submissions", "superseded"})
    head["submissions"] = [a.source.model_dump(mode="json") for a in national.submissions]
    head["superseded"] = [
        s.model_dump(mode="json", exclude={"submission"}) for s in national.superseded
    ]
    head["ignored"] = [
        {
            "file": i.file,
            "sha256": i.sha256,
            "region": i.region,
            "period": i.period,
            "records": i.records,
            "reason": i.reason,
        }
        for i in result.ignored
    ]
    head["attention"] = result.attention()
    return head
