"""The ``ics`` output: the national anti-trafficking calendar as iCalendar (RFC 5545).

One ``VEVENT`` per activity marked ``national_calendar`` (the activities the
National Coordinator's office compiles into the national calendar), written
by hand, with no dependency:

- ``UID`` (:func:`event_uid`) is the activity id at ``krat.al.invalid``
  (``AL-02-A-2024-0007@krat.al.invalid``) in the Albanian file and the same
  with ``-en`` in the English one (``AL-02-A-2024-0007-en@krat.al.invalid``):
  the id carries its year, so UIDs are stable across exports and years, and
  the two languages are two events that never fight over one UID with
  different text (the Albanian UIDs are those of earlier releases, so
  calendars that imported them update instead of duplicating).
- ``SEQUENCE`` and ``DTSTAMP`` (:func:`event_changes`): the moment the event
  last changed, as minutes since 2000-01-01 UTC and in UTC: the submission's
  ``submitted_at``, or the ``amended_at`` of the last calendar amendment that
  added, changed or cancelled the activity; so every change outranks what a
  calendar imported before, and the same data gives the same bytes.
- Events **removed** since an earlier export (on the calendar in a superseded
  version of the region's submission, the archive's earlier versions, and
  not in the accepted one) are still written, with ``STATUS:CANCELLED`` and
  the ``SEQUENCE`` of the version that removed them, so calendars that
  imported them cancel them instead of keeping them. Without earlier versions
  (a single file) only activities whose status is ``cancelled`` are cancelled.
- The feed covers the period and the coming months (:func:`feed_window`:
  activities starting up to three months after the period's end, e.g.
  added by an amendment, are listed; anything outside the window is left out).
- ``DTSTART``/``DTEND`` are all-day dates (``DTEND`` is the day after the
  last day, as RFC 5545 requires).
- ``SUMMARY`` (title in the report language), ``LOCATION`` (place,
  municipality, region), ``DESCRIPTION`` (type, observance, organiser,
  target groups), ``CATEGORIES`` (type).
- ``STATUS``: cancelled -> ``CANCELLED``; completed -> ``CONFIRMED``;
  planned and postponed -> ``TENTATIVE``.
- Text is escaped (backslash, semicolon, comma, newline) and lines are
  folded at 75 octets without splitting a UTF-8 character; lines end CRLF.

The calendar lists public events only; it carries no data about people.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from krat_core import __version__, hookimpl
from krat_core.messages import Message
from krat_core.plugins.descriptors import Exporter, ExportOptions
from krat_plugins.exporters._text import csv_text

if TYPE_CHECKING:
    from krat_core.format.models import Activity, Institution, Submission

UID_DOMAIN = "krat.al.invalid"
ORGANISER = Message(sq="Organizatori: {organiser}", en="Organiser: {organiser}")
FOR = Message(sq="Për: {groups}", en="For: {groups}")
NATIONAL_CALENDAR = Message(
    sq="Kalendari kombëtar antitrafik {period}", en="National anti-trafficking calendar {period}"
)
REGIONAL_CALENDAR = Message(
    sq="Kalendari antitrafik, Qarku {region} {period}",
    en="Anti-trafficking calendar, {region} region {period}",
)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
COMING_MONTHS = 3
"""How many months after the period the feed covers (see :func:`feed_window`)."""
_STATUS = {"cancelled": "CANCELLED", "completed": "CONFIRMED"}


_LINE_SEPARATORS = str.maketrans(
    {"\u2028": "\n", "\u2029": "\n", "\x85": "\n", "\x0b": "\n", "\x0c": "\n"}
)


def escape_text(text: str) -> str:
    """Escape a TEXT value (RFC 5545 section 3.3.11).

    Line and paragraph separators (U+2028, U+2029, NEL, vertical tab, form
    feed) are line breaks, written ``\\n`` like a newline, so that no parser
    that splits lines on them can see a property injected after one; every
    other control character RFC 5545 forbids (NUL, ESC...) is written as its
    visible Unicode control picture (:func:`krat_plugins.exporters._text.csv_text`).
    """
    text = csv_text(text.translate(_LINE_SEPARATORS))
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets (RFC 5545 section 3.1).

    Continuation lines start with a space; a UTF-8 character is never split.
    """
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    limit = 75
    start = 0
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # inside a character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start = end
        limit = 74  # the leading space of a continuation line counts
    return "\r\n ".join(parts) + "\r\n"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def event_uid(activity_id: str, lang: str) -> str:
    """The UID of an activity's event in the calendar of ``lang`` (see the module)."""
    suffix = "" if lang == "sq" else f"-{lang}"
    return f"{activity_id}{suffix}@{UID_DOMAIN}"


def feed_window(periods: Iterable[str], months: int = COMING_MONTHS) -> tuple[date, date]:
    """First and last day the feed covers: the periods and ``months`` after the last one."""
    from krat_core.format.models.submission import period_bounds

    bounds = [period_bounds(p) for p in periods]
    start, end = min(b[0] for b in bounds), max(b[1] for b in bounds)
    month = end.month + months
    year, month = end.year + (month - 1) // 12, (month - 1) % 12 + 1
    following = date(year + month // 12, month % 12 + 1, 1)  # the first day after that month
    return start, following - timedelta(days=1)


def _in_window(activity: Activity, window: tuple[date, date] | None) -> bool:
    if window is None:
        return True
    return window[0] <= activity.start <= window[1] or (
        activity.end is not None and activity.start < window[0] <= activity.end
    )


def event_changes(
    dataset: Any,
) -> tuple[dict[str, datetime], list[tuple[Activity, Submission, datetime]]]:
    """What changed since earlier exports, from a national dataset's history.

    Returns the moment each activity last changed through a calendar
    amendment (by activity id), and the calendar activities removed by a
    resubmission (the activity as last sent, marked cancelled, the submission
    that had it, and the accepted submission's ``submitted_at``). A regional
    submission has no history: both are empty.
    """
    from krat_core.format.codelists import ActivityStatus
    from krat_core.format.models.national import NationalDataset

    changed: dict[str, datetime] = {}
    removed: list[tuple[Activity, Submission, datetime]] = []
    if not isinstance(dataset, NationalDataset):
        return changed, removed
    for applied in dataset.amendments:
        amendment = applied.amendment
        when = amendment.amended_at
        ids = [a.id for a in amendment.activities] + [c.id for c in amendment.cancellations]
        for activity_id in ids:
            changed[activity_id] = max(changed.get(activity_id, when), when)
    current = {(s.region, s.period): s for s in dataset.regional_submissions()}
    older = sorted(
        (entry.submission for entry in dataset.superseded),
        key=lambda s: s.submitted_at,
        reverse=True,
    )
    seen: set[str] = set()
    for old in older:  # the newest earlier version that had the activity
        now = current.get((old.region, old.period))
        if now is None:
            continue
        kept = {a.id for a in now.activities}
        for activity in old.activities:
            if activity.national_calendar and activity.id not in kept and activity.id not in seen:
                seen.add(activity.id)
                gone = activity.model_copy(update={"status": ActivityStatus.CANCELLED})
                removed.append((gone, old, now.submitted_at))
    return changed, removed


def _event(
    activity: Activity,
    submission: Submission,
    institutions: dict[str, Institution],
    lang: str,
    moment: datetime | None = None,
) -> Iterator[str]:
    from krat_core.format.regions import REGIONS
    from krat_core.reporting import Label

    region = REGIONS[submission.region]
    title = Label(activity.title, activity.title_en or None).text(lang)
    organiser = institutions.get(activity.organiser)
    place = [p for p in (activity.place, activity.municipality, region.label(lang)) if p]
    lines = [
        f"{activity.type.label(lang)}",
        *([activity.observance.label(lang)] if activity.observance is not None else []),
        ORGANISER.text(
            lang, organiser=organiser.name if organiser is not None else activity.organiser
        ),
    ]
    if activity.target_groups:
        groups = ", ".join(t.label(lang) for t in activity.target_groups)
        lines.append(FOR.text(lang, groups=groups))
    last = activity.end or activity.start
    changed = moment or submission.submitted_at
    sequence = int((changed - _EPOCH).total_seconds() // 60)
    yield "BEGIN:VEVENT"
    yield f"UID:{event_uid(activity.id, lang)}"
    yield f"DTSTAMP:{_stamp(changed)}"
    yield f"SEQUENCE:{max(0, sequence)}"
    yield f"DTSTART;VALUE=DATE:{_day(activity.start)}"
    yield f"DTEND;VALUE=DATE:{_day(last + timedelta(days=1))}"
    yield f"SUMMARY:{escape_text(title)}"
    yield f"LOCATION:{escape_text(', '.join(place))}"
    yield f"DESCRIPTION:{escape_text(chr(10).join(lines))}"
    yield f"CATEGORIES:{escape_text(activity.type.label(lang))}"
    yield f"STATUS:{_STATUS.get(activity.status.value, 'TENTATIVE')}"
    yield "TRANSP:TRANSPARENT"
    yield "END:VEVENT"


def calendar_lines(
    submissions: Iterable[Submission],
    lang: str,
    name: str,
    *,
    changed: dict[str, datetime] | None = None,
    removed: Iterable[tuple[Activity, Submission, datetime]] = (),
    window: tuple[date, date] | None = None,
) -> Iterator[str]:
    """The unfolded content lines of the calendar of ``submissions``.

    ``changed``, ``removed`` (see :func:`event_changes`) and ``window`` (see
    :func:`feed_window`) are optional; without them every calendar activity is
    an event dated by its submission.
    """
    submissions = list(submissions)
    moments = dict(changed or {})
    yield "BEGIN:VCALENDAR"
    yield "VERSION:2.0"
    yield f"PRODID:-//KRAT//krat {__version__}//{lang.upper()}"
    yield "CALSCALE:GREGORIAN"
    yield "METHOD:PUBLISH"
    yield f"X-WR-CALNAME:{escape_text(name)}"
    events = [
        (a, s, moments.get(a.id))
        for s in submissions
        for a in s.activities
        if a.national_calendar and _in_window(a, window)
    ]
    events += [(a, s, when) for a, s, when in removed if _in_window(a, window)]
    events.sort(key=lambda event: (event[0].start, event[0].id))
    institutions: dict[str, Institution] = {}
    for s in submissions:
        institutions.update((i.id, i) for i in s.institutions)
    for activity, submission, moment in events:
        yield from _event(activity, submission, institutions, lang, moment)
    yield "END:VCALENDAR"


def write_ics(dataset: Any, path: Path, options: ExportOptions) -> None:
    """Write the national-calendar activities of ``dataset`` as an iCalendar file."""
    from krat_core.format.regions import REGIONS
    from krat_core.reporting import report_data

    data = report_data(dataset)
    lang = options.lang
    if data.national:
        name = NATIONAL_CALENDAR.text(lang, period=data.period)
    else:
        region = REGIONS[data.region or ""].label(lang)
        name = REGIONAL_CALENDAR.text(lang, region=region, period=data.period)
    changed, removed = event_changes(dataset)
    window = feed_window(data.periods)
    lines = calendar_lines(
        data.submissions, lang, name, changed=changed, removed=removed, window=window
    )
    with path.open("w", encoding="utf-8", newline="") as out:
        for line in lines:
            out.write(fold(line))


@hookimpl
def krat_exporters() -> list[Exporter]:
    """The iCalendar output of the national calendar."""
    return [
        Exporter(
            name="ics",
            suffix=".ics",
            media_type="text/calendar",
            write=write_ics,
            title="iCalendar (RFC 5545) of the national anti-trafficking calendar",
        )
    ]
