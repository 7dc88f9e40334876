"""The ``ics`` output: the national anti-trafficking calendar as iCalendar (RFC 5545).

One ``VEVENT`` per activity marked ``national_calendar`` (the activities the
National Coordinator's office compiles into the national calendar), written
by hand, with no dependency:

- ``UID`` is the activity id at ``krat.al.invalid`` (``AL-02-A-2024-0007@krat.al.invalid``),
  stable across exports, so importing a newer file updates events instead of
  duplicating them; ``SEQUENCE`` grows with the submission's ``submitted_at``
  (minutes since 2000-01-01 UTC), so a resubmitted region's changes win.
- ``DTSTAMP`` is the submission's ``submitted_at`` in UTC (the same data gives
  the same bytes); ``DTSTART``/``DTEND`` are all-day dates (``DTEND`` is the
  day after the last day, as RFC 5545 requires).
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


def _event(
    activity: Activity, submission: Submission, institutions: dict[str, Institution], lang: str
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
    sequence = int((submission.submitted_at - _EPOCH).total_seconds() // 60)
    yield "BEGIN:VEVENT"
    yield f"UID:{activity.id}@{UID_DOMAIN}"
    yield f"DTSTAMP:{_stamp(submission.submitted_at)}"
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


def calendar_lines(submissions: Iterable[Submission], lang: str, name: str) -> Iterator[str]:
    """The unfolded content lines of the calendar of ``submissions``."""
    yield "BEGIN:VCALENDAR"
    yield "VERSION:2.0"
    yield f"PRODID:-//KRAT//krat {__version__}//{lang.upper()}"
    yield "CALSCALE:GREGORIAN"
    yield "METHOD:PUBLISH"
    yield f"X-WR-CALNAME:{escape_text(name)}"
    events = sorted(
        ((a, s) for s in submissions for a in s.activities if a.national_calendar),
        key=lambda pair: (pair[0].start, pair[0].id),
    )
    institutions: dict[str, Institution] = {}
    for s in submissions:
        institutions.update((i.id, i) for i in s.institutions)
    for activity, submission in events:
        yield from _event(activity, submission, institutions, lang)
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
    with path.open("w", encoding="utf-8", newline="") as out:
        for line in calendar_lines(data.submissions, options.lang, name):
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
