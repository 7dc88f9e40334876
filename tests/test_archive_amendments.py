"""Calendar amendments in the archive, on SQLite always and on PostgreSQL when given."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from archive_backends import BACKENDS, database_url
from krat_core.archive import Archive
from krat_core.combine.consolidate import combine
from krat_core.combine.national import dump_national
from krat_core.demo.synthetic import generate_submission
from krat_core.format.amendment import CalendarAmendment, Cancellation
from krat_core.format.canonical import dump_json, dump_submission
from krat_core.format.codelists import ActivityStatus
from krat_core.format.models import Generator, SubmittedBy


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from database_url(request.param, tmp_path)


def _amendment(when: datetime, **fields: object) -> bytes:
    doc = CalendarAmendment(
        region="AL-02",
        period="2024",
        amended_at=when,
        submitted_by=SubmittedBy(institution="Prefektura"),
        generator=Generator(version="0.2.0"),
        **fields,  # type: ignore[arg-type]
    )
    return dump_json(doc.model_dump(mode="json"))


def test_amendments_are_stored_with_history_and_applied_on_export(url: str, tmp_path: Path) -> None:
    base = generate_submission("AL-02", 2024, submitted_at=datetime(2025, 1, 10, tzinfo=UTC))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sub = inbox / "durres.json"
    sub.write_bytes(dump_submission(base))
    first = base.activities[0]
    new = first.model_copy(update={"id": "AL-02-A-2024-0999", "title": "Forum i ri"})
    add = inbox / "add.json"
    add.write_bytes(_amendment(datetime(2025, 3, 1, tzinfo=UTC), activities=[new]))
    cancel = inbox / "cancel.json"
    cancel.write_bytes(
        _amendment(
            datetime(2025, 3, 5, tzinfo=UTC),
            cancellations=[Cancellation(id=first.id, cancelled_on=date(2025, 3, 4))],
        )
    )
    ghost = inbox / "ghost.json"
    ghost.write_bytes(
        _amendment(
            datetime(2025, 3, 6, tzinfo=UTC),
            cancellations=[Cancellation(id="AL-02-A-2024-0777", cancelled_on=date(2025, 3, 4))],
        )
    )
    with Archive.open(url) as archive:
        early = archive.add(add)
        assert early.kind == "amendment" and early.status == "refused"
        assert "no submission" in (early.reason or "")
        assert archive.add(sub).status == "new"
        before = archive.counts()
        r1, r2 = archive.add(add, sender="zyra"), archive.add(cancel)
        assert (r1.kind, r1.status, r1.region, r1.period, r1.records) == (
            "amendment",
            "new",
            "AL-02",
            "2024",
            1,
        )
        assert r2.status == "new"
        assert archive.add(add, name="again.json").status == "identical"
        refused = archive.add(ghost)
        assert refused.status == "refused" and "never sent" in (refused.reason or "")
        counts = archive.counts()
        assert counts["versions"] == before["versions"]  # an amendment supersedes nothing
        assert (counts["amendments"], counts["amendment_receipts"]) == (2, 3)
        history = archive.amendments("AL-02", "2024")
        assert [(h.sha256, h.activities, h.cancellations) for h in history] == [
            (r1.sha256, 1, 0),
            (r2.sha256, 0, 1),
        ]
        assert history[0].files == ["add.json", "again.json"]
        exported = archive.export("2024", deadline=date(2025, 1, 31), validated=False)
        # Byte-identical to `krat combine` over the same files (each name it came under).
        again = inbox / "again.json"
        again.write_bytes(add.read_bytes())
        files = [sub, add, again, cancel]
        assert exported == dump_national(combine(files, deadline=date(2025, 1, 31)).dataset)
        dataset = archive.combine("2024", deadline=date(2025, 1, 31), validated=False).dataset
        cell = next(c for c in dataset.completeness if c.region == "AL-02")
        assert cell.late is False
        activities = {a.id: a for a in dataset.regional_submissions()[0].activities}
        assert activities[first.id].status is ActivityStatus.CANCELLED
        assert "AL-02-A-2024-0999" in activities
        assert archive.verify() == []
        archive.backup(tmp_path / "backup")
        manifest = json.loads((tmp_path / "backup" / "manifest.json").read_bytes())
        assert manifest["version"] == 2 and len(manifest["amendments"]) == 2
        # verify catches a tampered amendment row.
        from sqlalchemy import update

        from krat_core.archive import schema as t

        with archive.engine.begin() as conn:
            conn.execute(
                update(t.amendments)
                .where(t.amendments.c.sha256 == r2.sha256)
                .values(cancellations=0)
            )
        damage = archive.verify()
        assert [(d.code, d.detail) for d in damage] == [("column", "cancellations")]
        assert damage[0].where.startswith("amendment AL-02 2024")
    restored_url = url if url.startswith("postgresql") else str(tmp_path / "restored.sqlite")
    if restored_url == url:
        return  # one PostgreSQL database per test: the restore round trip runs on SQLite
    with Archive.open(restored_url) as restored:
        restored.restore(tmp_path / "backup")
        assert restored.export("2024", deadline=date(2025, 1, 31), validated=False) == exported
        assert restored.counts()["amendment_receipts"] == 3


def test_archive_add_and_history_on_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from krat_core.cli import cli

    base = generate_submission("AL-02", 2024, submitted_at=datetime(2025, 1, 10, tzinfo=UTC))
    sub, amended = tmp_path / "durres.json", tmp_path / "cancel.json"
    sub.write_bytes(dump_submission(base))
    amended.write_bytes(
        _amendment(
            datetime(2025, 3, 5, tzinfo=UTC),
            cancellations=[Cancellation(id=base.activities[0].id, cancelled_on=date(2025, 3, 4))],
        )
    )
    db = str(tmp_path / "a.sqlite")
    runner = CliRunner()
    added = runner.invoke(
        cli, ["archive", "add", "--lang", "en", "--db", db, str(sub), str(amended)]
    )
    assert added.exit_code == 0, added.output
    assert (
        "cancel.json: calendar amendment of Durrës 2024, 1 change (supersedes no submission)"
        in (added.stdout)
    )
    shown = runner.invoke(cli, ["archive", "history", "--db", db, "AL-02", "2024"])
    assert shown.exit_code == 0
    assert "0 veprimtari të shtuara ose të ndryshuara, 1 e anuluar" in shown.stdout


def test_report_and_combine_read_the_archive_and_compare_every_earlier_year(
    tmp_path: Path,
) -> None:
    import zipfile

    from click.testing import CliRunner

    from krat_core.cli import cli

    db = str(tmp_path / "a.sqlite")
    files = []
    for year in (2022, 2023, 2024):
        path = tmp_path / f"durres-{year}.json"
        when = datetime(year + 1, 1, 10, tzinfo=UTC)
        path.write_bytes(dump_submission(generate_submission("AL-02", year, submitted_at=when)))
        files.append(str(path))
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["archive", "add", "--no-validate", "--db", db, *files]).exit_code == 0
    )
    out = tmp_path / "r.zip"
    done = runner.invoke(cli, ["report", "--db", db, "--period", "2024", "-o", str(out)])
    assert done.exit_code == 0, done.output
    with zipfile.ZipFile(out) as z:
        years = z.read("tables/cases_year.csv").decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in years[1:]] == ["2022", "2023", "2024"]
    # Given a file instead, the archive still supplies the earlier years.
    single = tmp_path / "one.zip"
    done = runner.invoke(cli, ["report", files[1], "--db", db, "-o", str(single)])
    assert done.exit_code == 0, done.output
    with zipfile.ZipFile(single) as z:
        years = z.read("tables/cases_year.csv").decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in years[1:]] == ["2022", "2023"]
    neither = runner.invoke(cli, ["report", "-o", str(single)])
    assert neither.exit_code == 2
    national = tmp_path / "n.json"
    combined = runner.invoke(
        cli, ["combine", "--db", db, "--period", "2023", "--no-validate", "-o", str(national)]
    )
    assert combined.exit_code == 1  # eleven regions missing
    from krat_core.combine import combine as combine_files
    from krat_core.combine.national import dump_national

    assert national.read_bytes() == dump_national(combine_files([files[1]]).dataset)
