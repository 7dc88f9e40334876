"""Releases remembered in the archive (issue 12, item 3), and earlier years from the
archive audited exactly as from files (the archive-compared report)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from krat_core.archive import Archive
from krat_core.cli import cli
from krat_core.demo.synthetic import generate_submission, synthetic_subject_ref
from krat_core.format.canonical import dump_submission
from krat_core.reporting.register import REGISTER_NAME, cells_digest


def run(runner: CliRunner, *args: str | Path) -> tuple[int, str]:
    result = runner.invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def inbox(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "inbox"
    folder.mkdir()
    files = []
    for region in ("AL-02", "AL-05"):
        for year in (2023, 2024):
            path = folder / f"{region}-{year}.json"
            path.write_bytes(dump_submission(generate_submission(region, year)))
            files.append(path)
    return files


@pytest.fixture
def db(tmp_path: Path, inbox: list[Path], runner: CliRunner) -> Path:
    path = tmp_path / "archive.sqlite"
    code, out = run(runner, "archive", "add", *inbox, "--db", path, "--no-validate")
    assert code == 0, out
    return path


def test_public_releases_are_recorded_in_the_archive(
    runner: CliRunner, tmp_path: Path, db: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code, said = run(runner, "report", "--db", db, "--period", "2024", "-o", out / "a.docx")
    assert code == 0, said
    assert "publikimi u regjistrua në arkiv" in said and "0 publikime" in said
    code, said = run(
        runner, "report", "--db", db, "--period", "2024", "-o", out / "a.zip", "--lang", "en"
    )
    assert code == 0 and "audited jointly with 1 earlier release of 2024" in said
    assert not (out / REGISTER_NAME).exists()  # with an archive, the archive is the register
    with Archive.open(db) as archive:
        records = archive.releases()
    assert [r.output for r in records] == ["a.docx", "a.zip"]
    assert records[0].scope == "national" and records[0].audience == "public"
    assert records[0].digest == cells_digest(records[0].cells or {}) == records[1].digest
    assert set((records[0].cells or {}).values()) >= {"x"}
    code, listed = run(runner, "releases", "--db", db, "--lang", "en")
    assert code == 0 and "2 releases recorded in the archive" in listed
    as_json = json.loads(run(runner, "releases", "--db", db, "--json")[1])
    assert [r["output"] for r in as_json] == ["a.docx", "a.zip"]
    code, empty = run(runner, "releases", str(out), "--lang", "en")
    assert "No release recorded" in empty


def test_a_revision_from_the_archive_is_audited_against_its_releases(
    runner: CliRunner, tmp_path: Path, db: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert run(runner, "report", "--db", db, "--period", "2024", "-o", out / "a.xlsx")[0] == 0
    # A late resubmission of Durrës with one case more, added to the archive.
    durres = generate_submission("AL-02", 2024)
    extra = durres.cases[0].model_copy(
        update={"id": "AL-02-C-2024-9001", "subject_ref": synthetic_subject_ref("added")}
    )
    later = durres.model_copy(
        update={
            "cases": [*durres.cases, extra],
            "submitted_at": durres.submitted_at + timedelta(days=10),
        }
    )
    path = tmp_path / "AL-02-2024-v2.json"
    path.write_bytes(dump_submission(later))
    assert run(runner, "archive", "add", path, "--db", db, "--no-validate")[0] == 0
    # From another folder: the archive's register still knows the first release.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, said = run(
        runner,
        "report",
        "--db",
        db,
        "--period",
        "2024",
        "-o",
        elsewhere / "b.docx",
        "--lang",
        "en",
    )
    assert code == 2 and "revision held back" in said
    assert not (elsewhere / "b.docx").exists()
    with Archive.open(db) as archive:
        assert [r.output for r in archive.releases()] == ["a.xlsx"]


def _tables(path: Path) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(path) as z:
        return {
            name: list(csv.reader(io.StringIO(z.read(name).decode("utf-8-sig"))))
            for name in z.namelist()
            if name.startswith("tables/")
        }


def test_earlier_years_from_the_archive_are_audited_as_from_files(
    runner: CliRunner, tmp_path: Path, db: Path
) -> None:
    """The archive-compared report hides exactly what the file-compared one hides: an
    earlier year's "x" (such as its victims or its referred cases) is the audit of that
    year as its own release, not the archive."""
    files = {}
    for period in ("2023", "2024"):
        files[period] = tmp_path / f"national-{period}.json"
        code, said = run(
            runner,
            "archive",
            "export",
            "--period",
            period,
            "-o",
            files[period],
            "--db",
            db,
            "--no-validate",
        )
        assert code in (0, 1), said
    a, b = tmp_path / "a" / "a.zip", tmp_path / "b" / "b.zip"
    a.parent.mkdir()
    b.parent.mkdir()
    assert run(runner, "report", "--db", db, "--period", "2024", "-o", a, "--lang", "en")[0] == 0
    code, said = run(
        runner, "report", files["2024"], "--compare", files["2023"], "-o", b, "--lang", "en"
    )
    assert code == 0, said
    ours, theirs = _tables(a), _tables(b)
    assert ours == theirs
    assert any("x" in row for row in ours["tables/key_comparison.csv"][1:])


def test_the_archive_of_the_report_configuration_is_the_register(
    runner: CliRunner, tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """krat.toml's archive (no --db, no $KRAT_ARCHIVE): `krat report` records the release
    there and `krat releases` (no FOLDER) lists it."""
    monkeypatch.delenv("KRAT_ARCHIVE", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "krat.toml").write_text(f'[report]\narchive = "{db.name}"\n', encoding="utf-8")
    code, said = run(runner, "report", "--period", "2024", "-o", "a.docx", "--lang", "en")
    assert code == 0 and "release recorded in the archive" in said
    assert not (tmp_path / REGISTER_NAME).exists()
    code, listed = run(runner, "releases", "--lang", "en")
    assert code == 0 and "1 release recorded in the archive" in listed


def test_a_backup_keeps_the_release_register(runner: CliRunner, tmp_path: Path, db: Path) -> None:
    """Restored from its backup, an archive still knows what was published, so a
    revision is audited against the same earlier releases."""
    out = tmp_path / "out"
    out.mkdir()
    code, said = run(runner, "report", "--db", db, "--period", "2024", "-o", out / "a.xlsx")
    assert code == 0, said
    with Archive.open(db) as archive:
        before = archive.releases()
    assert len(before) == 1 and before[0].cells
    code, said = run(runner, "archive", "backup", tmp_path / "backup", "--db", db)
    assert code == 0, said
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["releases"]) == 1
    restored = tmp_path / "restored.sqlite"
    code, said = run(runner, "archive", "restore", tmp_path / "backup", "--db", restored)
    assert code == 0, said
    with Archive.open(restored) as archive:
        assert archive.releases() == before
    code, said = run(runner, "releases", "--db", restored, "--lang", "en")
    assert code == 0 and "a.xlsx" in said
