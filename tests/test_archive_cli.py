"""`krat archive ...` and `krat migrate` on the command line (SQLite; the library is
tested on both backends in test_archive.py)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from krat_core.cli import cli
from krat_core.demo.synthetic import generate_submission
from krat_core.format.canonical import dump_submission


def run(runner: CliRunner, *args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def inbox(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "inbox"
    folder.mkdir()
    files = []
    for region in ("AL-01", "AL-02"):
        for year in (2023, 2024):
            path = folder / f"{region}-{year}.json"
            path.write_bytes(dump_submission(generate_submission(region, year)))
            files.append(path)
    durres = generate_submission("AL-02", 2024)
    again = durres.model_copy(
        update={"submitted_at": datetime(2025, 2, 3, tzinfo=UTC), "cases": durres.cases[2:]}
    )
    path = folder / "AL-02-2024-v2.json"
    path.write_bytes(dump_submission(again))
    files.append(path)
    return files


def test_add_says_what_each_file_is_and_exits_1_when_one_is_refused(
    runner: CliRunner, inbox: list[Path], tmp_path: Path
) -> None:
    db = tmp_path / "a.sqlite"
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    code, out, _ = run(runner, "archive", "add", *inbox[:4], "--db", db, "--sender", "zyra")
    assert code == 0, out
    assert out.count("dorëzim i ri") == 4
    assert "Durrës 2024, 75 regjistrime" in out or "Durrës 2024" in out
    assert out.rstrip().endswith("4 skedarë: 4 u ruajtën")
    code, out, _ = run(runner, "archive", "add", inbox[4], inbox[0], bad, "--db", db)
    assert code == 1
    lines = out.splitlines()
    assert "version i ri i Durrës 2024, zëvendëson" in lines[0]
    assert "identik me versionin" in lines[1]
    assert lines[2].startswith("bad.json: u refuzua: nuk është JSON i vlefshëm")
    assert lines[3] == "3 skedarë: 2 u ruajtën, 1 u refuzua"
    code, out, _ = run(runner, "archive", "add", inbox[0], "--db", db, "--lang", "en")
    assert code == 0 and out.splitlines()[-1] == "1 file: 1 stored"
    assert "identical to version" in out


def test_list_history_and_plurals_in_both_languages(
    runner: CliRunner, inbox: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KRAT_ARCHIVE", str(tmp_path / "env.sqlite"))
    code, out, _ = run(runner, "archive", "list")
    assert (code, out.strip()) == (0, "Arkivi është bosh.")
    run(runner, "archive", "add", *inbox)
    code, out, _ = run(runner, "archive", "list")
    assert code == 1  # ten regions are missing in each period
    assert "12 qarqe × 2 periudha" in out
    assert "marrë, 2 versione" in out and "20 dorëzime mungojnë" in out
    code, out, _ = run(runner, "archive", "list", "--lang", "en")
    assert "received, 2 versions" in out and "20 submissions missing" in out
    code, out, _ = run(runner, "archive", "history", "AL-02", "2024")
    assert code == 0
    assert out.startswith("Durrës 2024: 2 versione")
    assert "(në fuqi)" in out and "0 shtuar, 2 hequr, 0 ndryshuar" in out
    code, out, _ = run(runner, "archive", "history", "al-01", "2024", "--lang", "en")
    assert code == 0 and out.startswith("Berat 2024: 1 version\n")
    assert "(current)" in out and "changes:" not in out
    code, out, _ = run(runner, "archive", "history", "AL-05", "2024")
    assert code == 1 and "nuk ka asnjë version" in out


def test_export_equals_krat_combine_byte_for_byte(
    runner: CliRunner, inbox: list[Path], tmp_path: Path
) -> None:
    db = tmp_path / "a.sqlite"
    run(runner, "archive", "add", *inbox, "--db", db)
    ours, theirs = tmp_path / "archive.json", tmp_path / "combine.json"
    code, out, _ = run(
        runner,
        "archive",
        "export",
        "--period",
        "2024",
        "-o",
        ours,
        "--db",
        db,
        "--deadline",
        "2025-01-31",
    )
    assert code == 1 and "Kërkon vëmendje: 10 mungojnë, 1 me vonesë" in out
    combine_code, _, _ = run(
        runner, "combine", *inbox, "--period", "2024", "-o", theirs, "--deadline", "2025-01-31"
    )
    assert combine_code == code
    assert ours.read_bytes() == theirs.read_bytes()
    code, _, _ = run(
        runner, "archive", "export", "--period", "2023", "-o", ours, "--db", db, "--no-validate"
    )
    run(runner, "combine", *inbox, "--period", "2023", "-o", theirs, "--no-validate")
    assert ours.read_bytes() == theirs.read_bytes()


def test_verify_backup_restore(runner: CliRunner, inbox: list[Path], tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    run(runner, "archive", "add", *inbox, "--db", db)
    code, out, _ = run(runner, "archive", "verify", "--db", db)
    assert (code, out.strip()) == (0, "Arkivi është i paprekur: 5 versione u kontrolluan.")
    code, out, _ = run(runner, "archive", "backup", tmp_path / "bk", "--db", db, "--lang", "en")
    assert (code, out.strip()) == (0, f"Backed up 5 versions to {tmp_path / 'bk'}")
    copy = tmp_path / "copy.sqlite"
    code, out, _ = run(runner, "archive", "restore", tmp_path / "bk", "--db", copy)
    assert code == 0 and out.startswith("U rikthyen 5 versione")
    code, _, err = run(runner, "archive", "restore", tmp_path / "bk", "--db", copy)
    assert code == 2 and "arkiv bosh" in err  # Albanian by default
    code, _, err = run(runner, "archive", "restore", tmp_path / "bk", "--db", copy, "--lang", "en")
    assert code == 2 and "empty archive" in err
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE activities SET participants = 999999 "
            "WHERE row_id = (SELECT min(row_id) FROM activities)"
        )
    code, out, _ = run(runner, "archive", "verify", "--db", db)
    assert code == 1
    assert out.startswith("U gjet 1 dëmtim:\n  version AL-01 2023 ")
    assert "rreshtat e tabelës activities nuk përputhen me dokumentin" in out
    code, out, _ = run(runner, "archive", "verify", "--db", copy, "--lang", "en")
    assert (code, out.strip()) == (0, "The archive is sound: 5 versions checked.")


def test_migrate_writes_the_current_version(runner: CliRunner, tmp_path: Path) -> None:
    fixture = Path(__file__).parent / "data" / "format-versions" / "1.0.0.json"
    out = tmp_path / "m.json"
    code, text, _ = run(runner, "migrate", fixture, "-o", out)
    # A 1.0 document becomes a 1.1 one: only its schema_version changes (minor = additive).
    upgraded = fixture.read_bytes().replace(
        b'"schema_version":"1.0.0"', b'"schema_version":"1.1.0"'
    )
    assert code == 0 and "1.0.0" in text and out.read_bytes() == upgraded
    bad = tmp_path / "bad.json"
    bad.write_bytes(fixture.read_bytes().replace(b'"1.0.0"', b'"7.0.0"', 1))
    code, _, err = run(runner, "migrate", bad, "-o", out)
    assert code == 2 and "7.0.0" in err


def test_without_an_archive_the_commands_exit_2(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KRAT_ARCHIVE", raising=False)
    code, _, err = run(runner, "archive", "list")
    assert code == 2 and "--db" in err
    code, _, err = run(runner, "archive", "verify", "--db", "mysql://x@y/z", "--lang", "en")
    assert code == 2 and "unsupported database" in err
    code, _, err = run(runner, "archive", "history", "AL-01", "2024", "--db", tmp_path)
    assert code == 2 and err.startswith("krat: gabim:")  # Albanian by default


def test_report_finds_the_archive_in_the_report_configuration(
    runner: CliRunner, inbox: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The archive's path comes from --db, $KRAT_ARCHIVE, or the report configuration."""
    monkeypatch.delenv("KRAT_ARCHIVE", raising=False)
    db = tmp_path / "from-config.sqlite"
    code, _, err = run(runner, "archive", "add", *inbox, "--db", db)
    assert code in (0, 1), err
    config = tmp_path / "krat.toml"
    config.write_text('[report]\narchive = "from-config.sqlite"\n', encoding="utf-8")
    out = tmp_path / "report.zip"
    code, stdout, err = run(
        runner, "report", "--period", "2024", "-o", out, "--config", config, "--lang", "en"
    )
    assert code == 0, err
    assert out.is_file() and "Wrote" in stdout
    # Without the configuration (and no --db, no $KRAT_ARCHIVE) there is no input at all.
    code, _, err = run(runner, "report", "--period", "2024", "-o", out, "--lang", "en")
    assert code == 2 and "--db" in err


def test_add_stores_an_invalid_file_and_exits_as_validate_would(
    runner: CliRunner, inbox: list[Path], tmp_path: Path
) -> None:
    durres = generate_submission("AL-02", 2024)
    moved = durres.cases[0].model_copy(update={"id": "AL-05-C-2024-9999"})  # wrong region
    bad = tmp_path / "AL-02-2024-bad.json"
    invalid = durres.model_copy(update={"cases": [moved, *durres.cases[1:]]})
    bad.write_bytes(dump_submission(invalid))
    db = tmp_path / "a.sqlite"
    validated = runner.invoke(cli, ["validate", str(bad)])
    code, out, _ = run(runner, "archive", "add", bad, "--db", db)
    assert code == validated.exit_code == 1
    assert "(i pavlefshëm: 1 gabim)" in out
    assert "Skedari i pavlefshëm u ruajt" in out and "kodi i daljes është 1" in out
    code, out, _ = run(runner, "archive", "add", bad, inbox[0], "--db", db, "--lang", "en")
    assert code == 1 and "the exit code is 1, as `krat validate` gives for it" in out
    code, out, _ = run(runner, "archive", "list", "--db", db, "--lang", "en")
    assert "received, invalid" in out  # stored all the same
    code, out, _ = run(runner, "archive", "add", inbox[1], "--db", db, "--lang", "en")
    assert code == 0 and "exit code" not in out
