"""The national ICS feed over time: amendments, removals, languages and the window."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import icalendar

from krat_core.combine import combine
from krat_core.demo.synthetic import generate_submission
from krat_core.format.amendment import CalendarAmendment, Cancellation
from krat_core.format.canonical import dump_json, dump_submission
from krat_core.format.models import Generator, Submission, SubmittedBy
from krat_core.plugins.descriptors import ExportOptions
from krat_core.plugins.manager import load_plugins
from krat_core.reporting.exporting import export
from krat_plugins.exporters.ics import event_uid, feed_window

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _minutes(moment: datetime) -> int:
    return int((moment - EPOCH).total_seconds() // 60)


def _events(path: Path) -> dict[str, icalendar.cal.Component]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _calendar(sub: Submission) -> Submission:
    flagged = [a.model_copy(update={"national_calendar": True}) for a in sub.activities[:4]]
    return sub.model_copy(update={"activities": flagged})


def test_removed_and_cancelled_events_are_cancelled_with_a_higher_sequence(
    tmp_path: Path,
) -> None:
    first_time = datetime(2025, 1, 10, tzinfo=UTC)
    base = _calendar(generate_submission("AL-02", 2024, submitted_at=first_time))
    gone, cancelled, kept = base.activities[0], base.activities[1], base.activities[2]
    resent_time = datetime(2025, 2, 1, tzinfo=UTC)
    resent = base.model_copy(
        update={"submitted_at": resent_time, "activities": base.activities[1:]}
    )
    coming = kept.model_copy(
        update={"id": "AL-02-A-2024-0900", "start": date(2025, 2, 20), "end": None}
    )
    too_late = kept.model_copy(
        update={"id": "AL-02-A-2024-0901", "start": date(2025, 6, 20), "end": None}
    )
    amended_time = datetime(2025, 2, 15, tzinfo=UTC)
    amendment = CalendarAmendment(
        region="AL-02",
        period="2024",
        amended_at=amended_time,
        submitted_by=SubmittedBy(institution="Prefektura"),
        generator=Generator(version="0.2.0"),
        activities=[coming, too_late],
        cancellations=[Cancellation(id=cancelled.id, cancelled_on=date(2025, 2, 14))],
    )
    files = []
    for name, data in (
        ("v1.json", dump_submission(base)),
        ("v2.json", dump_submission(resent)),
        ("amend.json", dump_json(amendment.model_dump(mode="json"))),
    ):
        (tmp_path / name).write_bytes(data)
        files.append(tmp_path / name)
    national = combine(files).dataset
    registry = load_plugins()
    sq, en = tmp_path / "sq.ics", tmp_path / "en.ics"
    export(national, sq, registry=registry)
    export(national, en, options=ExportOptions(lang="en"), registry=registry)
    events = _events(sq)
    removed = events[event_uid(gone.id, "sq")]
    assert str(removed["STATUS"]) == "CANCELLED"
    assert int(removed["SEQUENCE"]) == _minutes(resent_time) > _minutes(first_time)
    called_off = events[event_uid(cancelled.id, "sq")]
    assert str(called_off["STATUS"]) == "CANCELLED"
    assert int(called_off["SEQUENCE"]) == _minutes(amended_time)
    assert int(events[event_uid(kept.id, "sq")]["SEQUENCE"]) == _minutes(resent_time)
    # The coming months are covered; beyond them nothing is listed.
    assert event_uid(coming.id, "sq") in events
    assert event_uid(too_late.id, "sq") not in events
    # The English file has its own UIDs: the same events, never the same UID.
    english = _events(en)
    assert {u.replace("-en@", "@") for u in english} == set(events)
    assert not set(english) & set(events)
    assert event_uid(kept.id, "sq") == f"{kept.id}@krat.al.invalid"


def test_the_window_is_the_period_and_three_months() -> None:
    assert feed_window(["2024"]) == (date(2024, 1, 1), date(2025, 3, 31))
    assert feed_window(["2024-H1"]) == (date(2024, 1, 1), date(2024, 9, 30))
    assert feed_window(["2023", "2024-H2"], months=0) == (date(2023, 1, 1), date(2024, 12, 31))
    assert feed_window(["2024-H2"], months=1) == (date(2024, 7, 1), date(2025, 1, 31))
