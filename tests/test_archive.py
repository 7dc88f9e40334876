"""The archive (krat_core.archive) on SQLite always and on PostgreSQL when a server is given.

Every test taking ``url`` runs once per backend (see tests/archive_backends.py);
nothing here mocks a database.
"""

from __future__ import annotations

import itertools
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from archive_backends import BACKENDS, database_url
from krat_core.archive import Archive, engine_validator
from krat_core.archive import schema as t
from krat_core.combine.consolidate import combine
from krat_core.combine.national import dump_national
from krat_core.demo.synthetic import generate_submission
from krat_core.errors import ArchiveError
from krat_core.format.canonical import dump_submission
from krat_core.format.models import SCHEMA_VERSION, Submission
from krat_core.format.models.national import ValidationSummary
from krat_core.plugins.manager import Registry, load_plugins


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from database_url(request.param, tmp_path)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_plugins()


def _write(folder: Path, name: str, submission: Submission) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(dump_submission(submission))
    return path


def _resubmitted(sub: Submission, when: datetime, drop: int = 1) -> Submission:
    return sub.model_copy(update={"submitted_at": when, "cases": sub.cases[drop:]})


def test_add_new_new_version_identical_older_and_refused(url: str, tmp_path: Path) -> None:
    first = generate_submission("AL-02", 2024)
    second = _resubmitted(first, datetime(2025, 2, 3, 10, tzinfo=UTC))
    early = _resubmitted(first, datetime(2024, 12, 31, tzinfo=UTC), drop=2)
    inbox = tmp_path / "inbox"
    with Archive.open(url) as archive:
        r1 = archive.add(_write(inbox, "durres.json", first), sender="zyra")
        assert (r1.status, r1.region, r1.period, r1.records) == (
            "new",
            "AL-02",
            "2024",
            len(first.records()),
        )
        r2 = archive.add(_write(inbox, "durres-v2.json", second))
        assert r2.status == "new_version" and r2.supersedes == r1.sha256
        r3 = archive.add(inbox / "durres.json", name="copy.json")
        assert r3.status == "identical" and r3.sha256 == r1.sha256
        r4 = archive.add(_write(inbox, "early.json", early))
        assert r4.status == "older_version" and r4.superseded_by == r2.sha256
        before = archive.counts()
        bad = archive.add(b'{"format": "krat-national"}', name="x.json")
        assert bad.status == "refused" and bad.reason and "krat-submission" in bad.reason
        missing = archive.add(tmp_path / "nope.json")
        assert missing.status == "refused" and "cannot read" in (missing.reason or "")
        newer = dump_submission(first).replace(
            f'"schema_version":"{SCHEMA_VERSION}"'.encode(), b'"schema_version":"2.0.0"'
        )
        assert archive.add(newer).status == "refused"
        assert archive.counts() == before  # a refusal stores nothing
        assert before["versions"] == 3 and before["receipts"] == 4
        cell = archive.list().cell("AL-02", "2024")
        assert (cell.versions, cell.sha256) == (3, r2.sha256)


def test_history_is_append_only_and_says_what_changed(url: str) -> None:
    first = generate_submission("AL-05", 2023)
    second = _resubmitted(first, datetime(2024, 3, 1, tzinfo=UTC))
    renamed = second.model_copy(
        update={
            "submitted_at": datetime(2024, 4, 1, tzinfo=UTC),
            "institutions": [
                second.institutions[0].model_copy(update={"name": "Emër i ri"}),
                *second.institutions[1:],
            ],
        }
    )
    with Archive.open(url) as archive:
        sizes = []
        for i, sub in enumerate((first, second, renamed)):
            archive.add(dump_submission(sub), name=f"v{i}.json")
            counts = archive.counts()
            sizes.append(counts)
        # Nothing is ever removed: every table only grows.
        for a, b in itertools.pairwise(sizes):
            assert all(b[k] >= a[k] for k in a) and b["cases"] > a["cases"]
        history = archive.history("AL-05", "2023")
        assert [h.current for h in history] == [False, False, True]
        assert history[0].changes is None
        assert history[1].changes is not None
        assert history[1].changes.removed == [first.cases[0].id]
        assert history[2].changes is not None
        assert history[2].changes.changed == [first.institutions[0].id]
        assert [h.receipts[0].file for h in history] == ["v0.json", "v1.json", "v2.json"]
        assert archive.submission(history[0].sha256) == first
        assert archive.history("AL-01", "2023") == []


def _combine_validator(registry: Registry):  # the same summary `krat combine` records
    from krat_core.validation.engine import validate

    def run(submission: Submission) -> ValidationSummary:
        counts = validate(submission, registry).counts_by_severity
        return ValidationSummary(
            valid=not counts.get("error"),
            errors=counts.get("error", 0),
            warnings=counts.get("warning", 0),
        )

    return run


def _two_years(folder: Path) -> list[Path]:
    files = []
    for year in (2023, 2024):
        for region in ("AL-01", "AL-02", "AL-07", "AL-11"):
            sub = generate_submission(region, year, seed=year)
            files.append(_write(folder, f"{region}-{year}.json", sub))
    durres = generate_submission("AL-02", 2024, seed=2024)
    bad = durres.model_copy(
        update={
            "submitted_at": datetime(2025, 2, 10, tzinfo=UTC),
            "cases": [durres.cases[0].model_copy(update={"closed_on": date(2000, 1, 1)})],
        }
    )
    files.append(_write(folder, "AL-02-2024-v2.json", bad))
    copy = folder / "copy-of-AL-01.json"
    copy.write_bytes(files[4].read_bytes())
    files.append(copy)
    return files


def test_export_is_byte_identical_to_combine(url: str, tmp_path: Path, registry: Registry) -> None:
    files = _two_years(tmp_path / "inbox")
    with Archive.open(url) as archive:
        for path in reversed(files):
            archive.add(path, validate=engine_validator(registry))
        for period, deadline in (("2024", date(2025, 1, 31)), ("2023", None)):
            expected = combine(
                files, period=period, deadline=deadline, validate=_combine_validator(registry)
            )
            assert archive.export(period, deadline=deadline) == dump_national(expected.dataset)
        both = combine(files, period=["2023", "2024"])
        assert archive.export(["2023", "2024"], validated=False) == dump_national(both.dataset)
        national = archive.combine("2024").dataset
        assert national.counts.submissions_superseded == 1
        assert any(c.invalid for c in national.completeness)  # the bad resubmission
        assert {s.source.file for s in national.submissions} >= {"AL-01-2024.json"}
        with pytest.raises(ArchiveError, match="no submission"):
            archive.export("2019")


def test_export_refuses_unvalidated_versions_when_asked_validated(url: str) -> None:
    with Archive.open(url) as archive:
        archive.add(dump_submission(generate_submission("AL-03", 2024)))
        with pytest.raises(ArchiveError, match="without validation"):
            archive.export("2024")
        assert archive.export("2024", validated=False).startswith(b"{")


def test_verify_catches_a_tampered_blob_and_a_tampered_row(url: str) -> None:
    with Archive.open(url) as archive:
        sub = generate_submission("AL-04", 2024)
        sha = archive.add(dump_submission(sub)).sha256
        other = archive.add(dump_submission(generate_submission("AL-06", 2024))).sha256
        assert archive.verify() == []
        with archive.engine.begin() as conn:
            conn.execute(
                update(t.cases)
                .where(t.cases.c.record_id == sub.cases[0].id)
                .values(sex="male" if sub.cases[0].sex.value == "female" else "female")
            )
        damage = archive.verify()
        assert len(damage) == 1 and "cases rows" in damage[0].problem
        assert "AL-04" in damage[0].where
        with archive.engine.begin() as conn:
            data = conn.execute(
                select(t.blobs.c.data).where(t.blobs.c.sha256 == other)
            ).scalar_one()
            conn.execute(
                update(t.blobs)
                .where(t.blobs.c.sha256 == other)
                .values(data=bytes(data).replace(b"AL-06", b"AL-08", 1))
            )
        problems = {d.problem for d in archive.verify()}
        assert "bytes do not match their SHA-256" in problems
        assert sha is not None


def test_verify_catches_a_tampered_header(url: str) -> None:
    with Archive.open(url) as archive:
        archive.add(dump_submission(generate_submission("AL-09", 2024)))
        with archive.engine.begin() as conn:
            conn.execute(update(t.versions).values(period="2023"))
        assert any("'period'" in d.problem for d in archive.verify())


def test_backup_and_restore_export_identically(
    url: str, tmp_path: Path, registry: Registry
) -> None:
    files = _two_years(tmp_path / "inbox")
    # A file that is not canonical (indented, so its bytes differ from the canonical form).
    import json

    loose = tmp_path / "inbox" / "AL-12-2024.json"
    loose.write_text(
        json.dumps(json.loads(dump_submission(generate_submission("AL-12", 2024))), indent=2),
        encoding="utf-8",
    )
    files.append(loose)
    folder = tmp_path / "backup"
    with Archive.open(url) as archive:
        for path in files:
            archive.add(path, validate=engine_validator(registry), sender="tester")
        exports = {p: archive.export(p) for p in ("2023", "2024")}
        assert archive.backup(folder) == 10
        counts = archive.counts()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert (folder / "manifest.json").is_file()
    assert len(list((folder / "originals").iterdir())) == 1  # only the loose file
    target = tmp_path / "restored.sqlite"
    with Archive.open(target) as restored:
        assert restored.restore(folder) == 10
        assert {p: restored.export(p) for p in exports} == exports
        assert restored.counts() == counts
        assert restored.verify() == []
        with pytest.raises(ArchiveError, match="empty archive"):
            restored.restore(folder)
    # A damaged backup is refused and leaves the new archive empty.
    victim = next((folder / "canonical").iterdir())
    victim.write_bytes(victim.read_bytes().replace(b"AL-", b"AX-", 1))
    with Archive.open(tmp_path / "third.sqlite") as third:
        with pytest.raises(ArchiveError, match="damaged"):
            third.restore(folder)
        assert third.counts()["versions"] == 0


def test_an_error_inside_the_transaction_leaves_the_archive_unchanged(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from krat_core.archive import core as store

    with Archive.open(url) as archive:
        archive.add(dump_submission(generate_submission("AL-01", 2024)))
        before = archive.counts()
        real = store._insert_records

        def crash(*args: object) -> None:
            real(*args)  # type: ignore[arg-type]
            raise RuntimeError("the disk is full")

        monkeypatch.setattr(store, "_insert_records", crash)
        with pytest.raises(RuntimeError):
            archive.add(dump_submission(generate_submission("AL-02", 2024)))
        assert archive.counts() == before
        monkeypatch.undo()
        assert archive.add(dump_submission(generate_submission("AL-02", 2024))).status == "new"
        assert archive.verify() == []


_CHILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from krat_core.archive import Archive, core as store
    url, path, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "die":
        real = store._insert_records
        def die(*args):
            real(*args)
            os._exit(9)  # the process dies inside the transaction, nothing is cleaned up
        store._insert_records = die
    if mode == "race":
        go = Path(sys.argv[4])
        while not go.exists():
            time.sleep(0.01)
    archive = Archive.open(url)
    print(archive.add(path).status)
    """
)


def _child(url: str, path: Path, mode: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, url, str(path), mode, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_process_dying_mid_add_leaves_the_archive_as_it_was(url: str, tmp_path: Path) -> None:
    with Archive.open(url) as archive:
        archive.add(dump_submission(generate_submission("AL-01", 2024)))
        before = archive.counts()
    path = _write(tmp_path, "big.json", generate_submission("AL-03", 2024, cases=3000))
    child = _child(url, path, "die")
    _, err = child.communicate(timeout=300)
    assert child.returncode == 9, err
    with Archive.open(url) as archive:
        assert archive.counts() == before
        assert archive.verify() == []
        assert archive.add(path).status == "new"


def test_two_processes_adding_at_once_both_land(url: str, tmp_path: Path) -> None:
    Archive.open(url).close()  # created and migrated
    paths = [
        _write(tmp_path, f"{r}.json", generate_submission(r, 2024, cases=3000))
        for r in ("AL-05", "AL-10")
    ]
    go = tmp_path / "go"
    children = [_child(url, p, "race", str(go)) for p in paths]
    go.touch()
    outputs = [c.communicate(timeout=300) for c in children]
    assert [c.returncode for c in children] == [0, 0], outputs
    assert sorted(out.strip() for out, _ in outputs) == ["new", "new"]
    with Archive.open(url) as archive:
        assert archive.counts()["versions"] == 2
        assert archive.counts()["cases"] == 6000
        assert archive.verify() == []


def test_two_processes_opening_a_new_archive_migrate_it_once(url: str, tmp_path: Path) -> None:
    paths = [
        _write(tmp_path, f"{r}.json", generate_submission(r, 2024)) for r in ("AL-05", "AL-10")
    ]
    go = tmp_path / "go"
    children = [_child(url, p, "race", str(go)) for p in paths]
    go.touch()
    outputs = [c.communicate(timeout=300) for c in children]
    assert [c.returncode for c in children] == [0, 0], outputs
    with Archive.open(url) as archive:
        assert archive.counts()["versions"] == 2


def test_a_fresh_database_upgraded_to_head_equals_the_metadata(url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from krat_core.archive.engine import alembic_config

    with Archive.open(url) as archive, archive.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, t.metadata) == []
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert context.get_current_revision() == head
    # Opening again is a no-op: still at head, nothing lost.
    with Archive.open(url) as archive:
        assert archive.counts()["versions"] == 0


def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "archive.sqlite"
    with Archive.open(path) as archive:
        archive.add(dump_submission(generate_submission("AL-01", 2024)))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_archive_is_found_through_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KRAT_ARCHIVE", str(tmp_path / "env.sqlite"))
    with Archive.open() as archive:
        assert archive.counts()["versions"] == 0
    assert (tmp_path / "env.sqlite").exists()
    monkeypatch.delenv("KRAT_ARCHIVE")
    with pytest.raises(ArchiveError, match="KRAT_ARCHIVE"):
        Archive.open()
    with pytest.raises(ArchiveError, match="unsupported database"):
        Archive.open("mysql://x@y/z")
    with pytest.raises(ArchiveError, match="in memory"):
        Archive.open("sqlite://")


def test_starting_krat_does_not_import_sqlalchemy() -> None:
    code = (
        "import sys, krat_core, krat_core.archive, krat_core.cli, krat_core.errors\n"
        "from krat_core.archive import __all__\n"
        "assert not any(m.split('.')[0] in ('sqlalchemy', 'alembic', 'psycopg') "
        "for m in sys.modules), sorted(m for m in sys.modules if 'sql' in m)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ
    )
    assert done.returncode == 0, done.stderr


def test_year_over_year_counts_are_one_query_over_the_current_versions(
    url: str, tmp_path: Path
) -> None:
    files = _two_years(tmp_path / "inbox")
    with Archive.open(url) as archive:
        for path in files:
            archive.add(path)
        counts = archive.record_counts("case")
        expected: dict[tuple[str, str], int] = {}
        for period in ("2023", "2024"):
            for accepted in archive.combine(period, validated=False).dataset.submissions:
                sub = accepted.submission
                expected[(sub.region, sub.period)] = len(sub.cases)
        assert counts == expected
        assert counts[("AL-02", "2024")] == 1  # the resubmission in force holds one case
        every = archive.record_counts("case", current=False)
        assert every[("AL-02", "2024")] == 1 + len(
            generate_submission("AL-02", 2024, seed=2024).cases
        )
        by_status = archive.record_counts("case", by=("period", "status"))
        assert sum(by_status.values()) == sum(counts.values())
        assert archive.record_counts("objective", by=("pillar",))
        with pytest.raises(ArchiveError, match="unknown record kind"):
            archive.record_counts("person")
        with pytest.raises(ArchiveError, match="cannot count"):
            archive.record_counts("case", by=("content",))


def test_a_backup_of_an_sqlite_archive_restores_into_each_backend(
    url: str, tmp_path: Path, registry: Registry
) -> None:
    files = _two_years(tmp_path / "inbox")
    with Archive.open(tmp_path / "source.sqlite") as source:
        for path in files:
            source.add(path, validate=engine_validator(registry))
        source.backup(tmp_path / "bk")
        expected = {p: source.export(p) for p in ("2023", "2024")}
    with Archive.open(url) as target:
        assert target.restore(tmp_path / "bk") == 9
        assert {p: target.export(p) for p in expected} == expected
        assert target.verify() == []
