"""Step 6 of the demo: the archive across years (issue 15).

Two years of synthetic submissions go into one SQLite archive (the year
before, and this year's inbox with Durrës's resubmission), then a calendar
amendment from Durrës (one event cancelled, one added in the coming months).
The national report of the year is then written from the archive alone,
compared with the year before without naming a file, and so is the national
calendar, which shows the amendment and the cancellation.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from krat_core.messages import Message, Plural, format_date

if TYPE_CHECKING:
    from krat_core.format.amendment import CalendarAmendment
    from krat_core.format.models import Submission
    from krat_core.plugins.manager import Registry

__all__ = ["step_archive"]

STEP_ARCHIVE = Message(sq="6. Arkivi ndër vite", en="6. The archive across years")
NO_ARCHIVE = Message(
    sq="  pa arkiv: instaloni krat[archive] (SQLAlchemy, Alembic) për këtë hap",
    en="  no archive: install krat[archive] (SQLAlchemy, Alembic) for this step",
)
ARCHIVE_AT = Message(sq="  arkivi: {path} (SQLite)", en="  the archive: {path} (SQLite)")
ADDED = Message(
    sq=Plural(
        one="  u shtua {n} dorëzim i {year}: {versions}",
        other="  u shtuan {n} dorëzime të {year}: {versions}",
    ),
    en=Plural(
        one="  added {n} submission of {year}: {versions}",
        other="  added {n} submissions of {year}: {versions}",
    ),
)
NEW_VERSIONS = Message(
    sq=Plural(one="{n} version i ri", other="{n} versione të reja"),
    en=Plural(one="{n} new version", other="{n} new versions"),
)
SUPERSEDING = Message(
    sq=Plural(
        one=", {n} zëvendëson një version të mëparshëm",
        other=", {n} zëvendësojnë versione të mëparshme",
    ),
    en=Plural(one=", {n} supersedes an earlier one", other=", {n} supersede earlier ones"),
)
AMENDED = Message(
    sq="  ndryshimi i kalendarit të Durrësit ({file}): anulon {cancelled}, shton {added} më {day}",
    en="  Durrës's calendar amendment ({file}): cancels {cancelled}, adds {added} on {day}",
)
FROM_ARCHIVE = Message(
    sq="  raporti kombëtar i {year} vetëm nga arkivi, krahasuar me {earlier}",
    en="  the national report of {year} from the archive alone, compared with {earlier}",
)
REPORT = Message(
    sq="analiza vjetore kombëtare nga arkivi, Word",
    en="national annual analysis from the archive, Word",
)
CALENDAR = Message(
    sq="kalendari kombëtar me ndryshimin dhe anulimin, iCalendar",
    en="national calendar with the amendment and the cancellation, iCalendar",
)
TIRANE = timezone(timedelta(hours=1))
"""Tirana's winter time, when the amendment is sent."""
NEW_TITLE = "Takim ndërgjegjësimi me prindërit për rreziqet e trafikimit"
NEW_TITLE_EN = "Awareness meeting with parents on the risks of trafficking"


def _amendment(durres: Submission, year: int) -> tuple[CalendarAmendment, str, str, date]:
    """Durrës cancels its first national-calendar event and adds one in the coming months."""
    from krat_core import __version__
    from krat_core.format.amendment import CalendarAmendment, Cancellation
    from krat_core.format.codelists import ActivityStatus
    from krat_core.format.models import Generator

    on_calendar = [a for a in durres.activities if a.national_calendar] or durres.activities
    cancelled = on_calendar[0]
    last_seq = max(int(a.id.rsplit("-", 1)[1]) for a in durres.activities)
    day = date(year + 1, 2, 14)
    added = cancelled.model_copy(
        update={
            "id": f"AL-02-A-{year}-{last_seq + 1:04d}",
            "title": NEW_TITLE,
            "title_en": NEW_TITLE_EN,
            "start": day,
            "end": None,
            "status": ActivityStatus.PLANNED,
            "participants": None,
            "national_calendar": True,
        }
    )
    amendment = CalendarAmendment(
        region="AL-02",
        period=str(year),
        amended_at=datetime(year + 1, 2, 12, 10, tzinfo=TIRANE),
        submitted_by=durres.submitted_by,
        generator=Generator(version=__version__),
        activities=[added],
        cancellations=[
            Cancellation(
                id=cancelled.id,
                cancelled_on=date(year + 1, 2, 11),
                reason="Salla nuk është e lirë",
            )
        ],
    )
    return amendment, cancelled.id, added.id, day


def step_archive(demo: Any, registry: Registry) -> None:
    """Step 6: two years into the archive, an amendment, the report from the archive alone.

    ``demo`` is the :class:`~krat_core.demo.scenario.DemoResult` of the earlier
    steps (typed loosely: the scenario imports this module).
    """
    import importlib.util

    demo.tell(STEP_ARCHIVE)
    if not all(importlib.util.find_spec(m) for m in ("sqlalchemy", "alembic")):
        demo.tell(NO_ARCHIVE)
        return
    if "AL-02" not in demo.submissions or not demo.inbox:
        return
    from krat_core.archive import Archive, engine_validator
    from krat_core.demo.synthetic import generate_national
    from krat_core.format.canonical import dump_json, dump_submission, load_submission
    from krat_core.plugins.descriptors import ExportOptions
    from krat_core.reporting.exporting import export

    folder = demo.out / "archive"
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "krat-archive.sqlite"
    db.unlink(missing_ok=True)
    validate = engine_validator(registry)
    year = demo.year
    with Archive.open(db) as archive:
        demo.tell(ARCHIVE_AT, path=db)
        earlier = generate_national(year - 1, seed=demo.seed)
        for s in earlier:
            archive.add(dump_submission(s), name=f"{s.region}-{s.period}.json", validate=validate)
        versions = NEW_VERSIONS.text(demo.lang, n=len(earlier))
        demo.tell(ADDED, n=len(earlier), year=year - 1, versions=versions)
        results = [archive.add(p, validate=validate) for p in sorted(demo.inbox)]
        fresh = sum(r.status == "new" for r in results)
        superseding = sum(r.status in ("new_version", "older_version") for r in results)
        versions = NEW_VERSIONS.text(demo.lang, n=fresh + superseding)
        if superseding:
            versions += SUPERSEDING.text(demo.lang, n=superseding)
        demo.tell(ADDED, n=len(results), year=year, versions=versions)
        durres = load_submission(demo.submissions["AL-02"])
        amendment, cancelled, added, day = _amendment(durres, year)
        amendment_path = folder / f"AL-02-{year}-kalendari-ndryshim.json"
        raw = dump_json(amendment.model_dump(mode="json"))
        from krat_core.atomic import write_bytes_atomic

        write_bytes_atomic(amendment_path, raw)
        archive.add(amendment_path, sender="demo")
        demo.tell(
            AMENDED,
            file=amendment_path.name,
            cancelled=cancelled,
            added=added,
            day=format_date(day, "sq"),
        )
        national = archive.dataset(str(year))
        compared = archive.earlier_datasets(str(year))
    periods = ", ".join(p for d in compared for p in getattr(d, "periods", []))
    demo.tell(FROM_ARCHIVE, year=year, earlier=periods)
    outputs: list[tuple[str, Path, Message]] = [
        ("docx", folder / f"analiza-kombetare-{year}-nga-arkivi.docx", REPORT),
        ("ics", folder / f"kalendari-{year}.ics", CALENDAR),
    ]
    for name, target, what in outputs:
        options = ExportOptions(lang="sq", compare=compared)
        path = export(national, target, format=name, options=options, registry=registry)
        demo.wrote(path, what.text(demo.lang))
