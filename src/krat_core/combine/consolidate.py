"""National consolidation: combine regional submissions into one national dataset.

Embedding::

    from krat_core.combine import combine, write_national

    result = combine(paths, period="2024", deadline=date(2025, 1, 31))
    write_national("national.json", result.dataset)
    for cell in result.dataset.completeness:
        print(cell.region, cell.period, cell.status, cell.late)

What :func:`combine` does, in a fixed order so the result never depends on the
order of the inputs:

1. Reads each input (a regional submission or an earlier national dataset,
   whose accepted and superseded submissions are taken with their recorded
   provenance). Byte-identical copies (same SHA-256) count once.
2. Keeps the periods asked for (or every period found); other inputs are
   ignored and listed in :attr:`CombineResult.ignored`.
3. For each region and period keeps the submission with the latest
   ``submitted_at`` (on a tie, the larger SHA-256), a version dated in the
   future (see :mod:`krat_core.format.provenance`) never winning over a
   plausible one; each older version is
   recorded as superseded with the records the next version added, removed
   and changed.
4. Validates the accepted submissions with the ``validate`` callable, if any,
   and marks late ones against ``deadline``.
5. Finds persons (``subject_ref``) in cases of two or more regions and record
   ids with different content in two accepted submissions; neither is merged
   or resolved, both are reported.
6. Builds the completeness matrix and counts that reconcile.

Library code: it never prints; progress goes to the optional callback.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson

from krat_core import __version__
from krat_core.combine.national import CombineInput, read_input
from krat_core.combine.result import CombineResult, IgnoredInput
from krat_core.errors import (
    BadDeadline,
    BadPeriod,
    ConflictingInputs,
    FormatError,
    NothingToCombine,
)
from krat_core.format.canonical import gc_paused
from krat_core.format.codelists import PERIOD_PATTERN, RECORD_KINDS
from krat_core.format.models import RECORD_LISTS, Generator, Record, Submission
from krat_core.format.models.amendment import CalendarAmendment
from krat_core.format.models.national import (
    AMENDMENTS_SINCE,
    AcceptedSubmission,
    AmendmentSource,
    AppliedAmendment,
    CaseRef,
    CompletenessCell,
    Conflict,
    ConflictVersion,
    CrossRegionDuplicate,
    NationalCounts,
    NationalDataset,
    RecordChanges,
    Source,
    SupersededSubmission,
    ValidationSummary,
)
from krat_core.format.provenance import is_future
from krat_core.format.regions import REGION_CODES
from krat_core.messages import Message

__all__ = [
    "ProgressCallback",
    "Validator",
    "combine",
    "is_late",
    "record_changes",
]

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``; stages are "read", "validate" and "check"."""

Validator = Callable[[Submission], ValidationSummary]
"""Validates one submission; the CLI passes one built on the validation engine."""

DEADLINE_NEEDS_ZONE = Message(
    sq="afati kërkon një zonë kohore, p.sh. 2025-01-31T23:59:59+01:00",
    en="the deadline needs a time zone, e.g. 2025-01-31T23:59:59+01:00",
)
NOT_A_PERIOD = Message(
    sq="periudha {period} nuk është vit (2024) ose gjysmë viti (2024-H1)",
    en="period {period} is not a year (2024) or a half-year (2024-H1)",
)
SAME_DIGEST = Message(
    sq="dy hyrje pretendojnë të njëjtin SHA-256 {sha}... por mbajnë të dhëna të ndryshme "
    "({names}); një grup kombëtar të dhënash mund të jetë ndryshuar",
    en="two inputs claim the same SHA-256 {sha}... but hold different data "
    "({names}); a national dataset may have been edited",
)
DIFFERENT_DEADLINES = Message(
    sq="grupet kombëtare të të dhënave që u dhanë kanë afate të ndryshme; jepni afatin",
    en="the national datasets given have different deadlines; give the deadline",
)
NOTHING_TO_COMBINE = Message(
    sq="nuk ka çfarë të bashkohet: nuk u dha asnjë dorëzim",
    en="nothing to combine: no submission was given",
)

_PERIOD = re.compile(f"^{PERIOD_PATTERN}$")


# --------------------------------------------------------------------------- combining


@dataclass(slots=True)
class _Entry:
    """A distinct submission (by SHA-256) with every name it was received under."""

    names: set[str]
    sha256: str
    submission: Submission
    records: int

    @property
    def file(self) -> str:
        return min(self.names)

    def order(self, now: datetime | None) -> tuple[bool, datetime, str]:
        """Versions sort by this: the last one wins. One sent "in the future" never wins
        over a plausible one (issue 11: a file dated 2099 would stay ahead forever)."""
        plausible = not is_future(self.submission.submitted_at, now)
        return (plausible, self.submission.submitted_at, self.sha256)


def is_late(submitted_at: datetime, deadline: date | datetime | None) -> bool | None:
    """Whether ``submitted_at`` is after ``deadline``; ``None`` when there is no deadline.

    A ``date`` deadline means "on or before that day" in the submission's own
    time-zone offset (as the region's clock showed it); an aware ``datetime`` is
    compared as an instant. A naive ``datetime`` raises :class:`~krat_core.errors.BadDeadline`.
    """
    if deadline is None:
        return None
    if isinstance(deadline, datetime):
        _check_deadline(deadline)
        return submitted_at > deadline
    return submitted_at.date() > deadline


def _check_deadline(deadline: date | datetime | None) -> None:
    if isinstance(deadline, datetime) and deadline.utcoffset() is None:
        raise BadDeadline(DEADLINE_NEEDS_ZONE.both())


def _content_digest(record: Record) -> str:
    data = orjson.dumps(record.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(data).hexdigest()


def record_changes(old: Submission, new: Submission) -> RecordChanges:
    """The record ids ``new`` added, removed and changed compared with ``old`` (sorted)."""

    def by_id(submission: Submission) -> dict[str, list[Record]]:
        records: dict[str, list[Record]] = {}
        for record in submission.records():
            records.setdefault(record.id, []).append(record)
        return records

    before, after = by_id(old), by_id(new)
    return RecordChanges(
        added=sorted(after.keys() - before.keys()),
        removed=sorted(before.keys() - after.keys()),
        changed=sorted(k for k in before.keys() & after.keys() if before[k] != after[k]),
    )


def _periods(period: str | Iterable[str] | None) -> set[str] | None:
    if period is None:
        return None
    wanted = {period} if isinstance(period, str) else set(period)
    for p in wanted:
        if not _PERIOD.match(p):
            raise BadPeriod(NOT_A_PERIOD.both(period=repr(p)))
    return wanted or None


def _collect(
    inputs: Iterable[CombineInput | str | os.PathLike[str]],
    progress: ProgressCallback | None,
    amendments: dict[str, tuple[set[str], CalendarAmendment]],
) -> tuple[dict[str, _Entry], set[str], set[date | datetime]]:
    """Distinct submissions by SHA-256, periods and deadlines named by national inputs.

    Calendar amendments (given as files or kept in a national input) go to
    ``amendments``, by SHA-256 with every name they were received under.
    """
    items = list(inputs)
    entries: dict[str, _Entry] = {}
    periods: set[str] = set()
    deadlines: set[date | datetime] = set()

    def add(names: set[str], sha: str, submission: Submission) -> None:
        entry = entries.get(sha)
        if entry is None:
            entries[sha] = _Entry(names, sha, submission, len(submission.records()))
            return
        if entry.submission != submission:
            raise ConflictingInputs(
                SAME_DIGEST.both(sha=sha[:12], names=", ".join(sorted(entry.names | names)))
            )
        entry.names |= names

    for i, item in enumerate(items):
        one = item if isinstance(item, CombineInput) else read_input(item)
        if progress is not None:
            progress("read", i + 1, len(items))
        document = one.document
        if isinstance(document, Submission):
            add({one.name}, one.sha256, document)
            continue
        if isinstance(document, CalendarAmendment):
            amendments.setdefault(one.sha256, (set(), document))[0].add(one.name)
            continue
        for applied in document.amendments:
            src_a = applied.source
            names = amendments.setdefault(src_a.sha256, (set(), applied.amendment))[0]
            names.update({src_a.file, *src_a.other_files})
        periods.update(document.periods)
        if document.deadline is not None:
            deadlines.add(document.deadline)
        kept: list[AcceptedSubmission | SupersededSubmission] = [
            *document.submissions,
            *document.superseded,
        ]
        for kept_entry in kept:
            src = kept_entry.source
            add({src.file, *src.other_files}, src.sha256, kept_entry.submission)
    return entries, periods, deadlines


def combine(
    inputs: Iterable[CombineInput | str | os.PathLike[str]],
    *,
    period: str | Iterable[str] | None = None,
    deadline: date | datetime | None = None,
    validate: Validator | None = None,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
) -> CombineResult:
    """Combine regional submissions (and earlier national datasets) into a national dataset.

    Args:
        inputs: paths of canonical submissions or national datasets, or
            :class:`CombineInput` objects, in any order.
        period: the period(s) to combine ("2024", "2024-H1"); by default every
            period found in the inputs. Submissions of other periods are ignored
            and listed in :attr:`CombineResult.ignored`.
        deadline: submissions sent after it are marked late (see :func:`is_late`).
            When not given, the deadline of national-dataset inputs is kept.
        validate: called once per accepted submission; its summary marks the
            completeness cell invalid when ``valid`` is false.
        progress: called as ``progress(stage, done, total)`` during long runs.
        now: the moment to judge ``submitted_at`` against (default: the clock). A
            version sent later than it (plus
            :data:`~krat_core.format.provenance.FUTURE_TOLERANCE`) never supersedes
            a plausible one, whatever its date.

    Returns:
        A :class:`CombineResult`. The same inputs in any order give an equal
        dataset, and combining that dataset again with the same inputs gives
        it back unchanged.

    Raises:
        KratError: an input cannot be read (FormatError), there is nothing to combine, a
            period is malformed, or national inputs disagree on the deadline.
    """
    with gc_paused():
        return _combine(
            inputs,
            period=period,
            deadline=deadline,
            validate=validate,
            progress=progress,
            now=now,
        )


def _combine(
    inputs: Iterable[CombineInput | str | os.PathLike[str]],
    *,
    period: str | Iterable[str] | None,
    deadline: date | datetime | None,
    validate: Validator | None,
    progress: ProgressCallback | None,
    now: datetime | None,
) -> CombineResult:
    wanted = _periods(period)
    amendments: dict[str, tuple[set[str], CalendarAmendment]] = {}
    entries, national_periods, deadlines = _collect(inputs, progress, amendments)
    if deadline is None and deadlines:
        if len(deadlines) > 1:
            raise ConflictingInputs(DIFFERENT_DEADLINES.both())
        deadline = deadlines.pop()
    _check_deadline(deadline)
    periods = (
        wanted
        if wanted is not None
        else national_periods | {e.submission.period for e in entries.values()}
    )
    if not periods:
        raise NothingToCombine(NOTHING_TO_COMBINE.both())

    ignored: list[IgnoredInput] = []
    groups: dict[tuple[str, str], list[_Entry]] = {}
    for entry in sorted(entries.values(), key=lambda e: e.sha256):
        sub = entry.submission
        if sub.period not in periods:
            ignored.append(
                IgnoredInput(
                    entry.file,
                    entry.sha256,
                    sub.region,
                    sub.period,
                    entry.records,
                    f"period {sub.period} is not among {', '.join(sorted(periods))}",
                )
            )
            continue
        groups.setdefault((sub.region, sub.period), []).append(entry)

    accepted: list[AcceptedSubmission] = []
    superseded: list[SupersededSubmission] = []
    winners: dict[tuple[str, str], tuple[_Entry, int]] = {}
    for key in sorted(groups):
        versions = sorted(groups[key], key=lambda e: e.order(now))
        for older, newer in itertools.pairwise(versions):
            superseded.append(
                SupersededSubmission(
                    source=_source(older, deadline, None),
                    superseded_by=newer.sha256,
                    tie=older.submission.submitted_at == newer.submission.submitted_at,
                    changes=record_changes(older.submission, newer.submission),
                    submission=older.submission,
                )
            )
        winners[key] = (versions[-1], len(versions) - 1)

    for i, key in enumerate(sorted(winners, key=lambda k: (k[1], k[0]))):
        entry, _ = winners[key]
        summary = validate(entry.submission) if validate is not None else None
        if progress is not None:
            progress("validate", i + 1, len(winners))
        accepted.append(
            AcceptedSubmission(
                source=_source(entry, deadline, summary), submission=entry.submission
            )
        )
    validations = {a.source.sha256: a.source.validation for a in accepted}
    superseded.sort(
        key=lambda s: (
            s.submission.period,
            s.submission.region,
            s.submission.submitted_at,
            s.source.sha256,
        )
    )

    if progress is not None:
        progress("check", 0, 1)
    conflicts, repeated = _conflicts(accepted)
    duplicates, persons = _duplicates(accepted)
    if progress is not None:
        progress("check", 1, 1)

    completeness = []
    for region in REGION_CODES:
        for p in sorted(periods):
            won = winners.get((region, p))
            if won is None:
                completeness.append(CompletenessCell(region=region, period=p, status="missing"))
                continue
            entry, older_versions = won
            summary = validations[entry.sha256]
            completeness.append(
                CompletenessCell(
                    region=region,
                    period=p,
                    status="received",
                    submitted_at=entry.submission.submitted_at,
                    sha256=entry.sha256,
                    late=is_late(entry.submission.submitted_at, deadline),
                    invalid=None if summary is None else not summary.valid,
                    superseded=older_versions,
                )
            )

    by_kind = dict.fromkeys(RECORD_KINDS, 0)
    for a in accepted:
        for kind in RECORD_KINDS:
            by_kind[kind] += len(getattr(a.submission, RECORD_LISTS[kind]))
    records_accepted = sum(a.source.records for a in accepted)
    records_superseded = sum(s.source.records for s in superseded)
    counts = NationalCounts(
        submissions_in=len(accepted) + len(superseded),
        submissions_accepted=len(accepted),
        submissions_superseded=len(superseded),
        records_in=records_accepted + records_superseded,
        records_accepted=records_accepted,
        records_superseded=records_superseded,
        records_by_kind=by_kind,  # type: ignore[arg-type]
        cases=by_kind["case"],
        persons=persons,
        persons_in_several_regions=len(duplicates),
        repeated_record_ids=repeated,
        conflicts=len(conflicts),
    )
    applied = _amendments(amendments, winners, ignored) if amendments else []
    # With amendments, the lowest version that has them (the version policy).
    version: dict[str, Any] = {"schema_version": AMENDMENTS_SINCE} if applied else {}
    dataset = NationalDataset(
        periods=sorted(periods),
        deadline=deadline,
        validated=validate is not None,
        generator=Generator(version=__version__),
        completeness=completeness,
        submissions=accepted,
        superseded=superseded,
        duplicates=duplicates,
        conflicts=conflicts,
        counts=counts,
        amendments=applied,
        **version,
    )
    ignored.sort(key=lambda i: (i.period, i.region, i.sha256))
    return CombineResult(dataset=dataset, ignored=ignored)


def _amendments(
    found: dict[str, tuple[set[str], CalendarAmendment]],
    winners: dict[tuple[str, str], tuple[_Entry, int]],
    ignored: list[IgnoredInput],
) -> list[AppliedAmendment]:
    """The calendar amendments that apply to an accepted submission, checked and sorted.

    An amendment of a region and period with no accepted submission is ignored
    (listed in ``ignored``); one that cannot apply (it cancels an activity never
    sent) raises :class:`~krat_core.errors.FormatError` naming its file. An
    amendment never changes lateness, validity or what supersedes what.
    """
    from krat_core.format.amendment import apply_amendments

    applied: list[AppliedAmendment] = []
    for sha, (names, amendment) in found.items():
        key = (amendment.region, amendment.period)
        size = len(amendment.activities) + len(amendment.cancellations)
        if key not in winners:
            ignored.append(
                IgnoredInput(
                    min(names),
                    sha,
                    amendment.region,
                    amendment.period,
                    size,
                    f"a calendar amendment of {amendment.region} {amendment.period}, "
                    "for which no submission is combined",
                )
            )
            continue
        source = AmendmentSource(file=min(names), sha256=sha, other_files=sorted(names)[1:])
        applied.append(AppliedAmendment(source=source, amendment=amendment))
    applied.sort(
        key=lambda a: (
            a.amendment.period,
            a.amendment.region,
            a.amendment.amended_at,
            a.source.sha256,
        )
    )
    for key, (entry, _) in winners.items():
        mine = [a for a in applied if (a.amendment.region, a.amendment.period) == key]
        for i in range(len(mine)):  # each prefix, to name the amendment that does not apply
            try:
                apply_amendments(entry.submission, [a.amendment for a in mine[: i + 1]])
            except FormatError as exc:
                raise FormatError(exc.texts, source=mine[i].source.file) from None
    return applied


def _source(
    entry: _Entry, deadline: date | datetime | None, summary: ValidationSummary | None
) -> Source:
    return Source(
        file=entry.file,
        sha256=entry.sha256,
        other_files=sorted(entry.names - {entry.file}),
        records=entry.records,
        late=is_late(entry.submission.submitted_at, deadline),
        validation=summary,
    )


def _conflicts(accepted: Sequence[AcceptedSubmission]) -> tuple[list[Conflict], int]:
    """Record ids in more than one accepted submission: conflicts, and how many agree."""
    first: dict[str, tuple[int, Record]] = {}
    record: Record
    multi: dict[str, list[tuple[int, Record]]] = {}
    for i, entry in enumerate(accepted):
        for record in entry.submission.records():
            seen = first.setdefault(record.id, (i, record))
            if seen[1] is not record:
                multi.setdefault(record.id, [seen]).append((i, record))
    conflicts = []
    repeated = 0
    for record_id in sorted(multi):
        occurrences = multi[record_id]
        reference = occurrences[0][1]
        if all(r == reference for _, r in occurrences[1:]):
            repeated += 1
            continue
        versions = []
        for i, record in occurrences:
            src, sub = accepted[i].source, accepted[i].submission
            versions.append(
                ConflictVersion(
                    region=sub.region,
                    period=sub.period,
                    file=src.file,
                    sha256=src.sha256,
                    content_sha256=_content_digest(record),
                )
            )
        versions.sort(key=lambda v: (v.period, v.region, v.sha256, v.content_sha256))
        conflicts.append(
            Conflict(
                kind=reference.KIND,  # type: ignore[arg-type]
                record_id=record_id,
                versions=versions,
            )
        )
    return conflicts, repeated


def _duplicates(accepted: Sequence[AcceptedSubmission]) -> tuple[list[CrossRegionDuplicate], int]:
    """Persons in cases of two or more regions, and the number of distinct persons."""
    cases: dict[str, list[tuple[str, str, str]]] = {}
    for entry in accepted:
        sub = entry.submission
        for case in sub.cases:
            cases.setdefault(case.subject_ref, []).append((sub.region, sub.period, case.id))
    duplicates = []
    for ref in sorted(cases):
        found = cases[ref]
        regions = sorted({region for region, _, _ in found})
        if len(regions) > 1:
            refs = [CaseRef(region=r, period=p, record_id=i) for r, p, i in sorted(found)]
            duplicates.append(CrossRegionDuplicate(subject_ref=ref, regions=regions, cases=refs))
    return duplicates, len(cases)
