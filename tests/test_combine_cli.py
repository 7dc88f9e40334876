"""`krat combine` on the command line, and its demo step."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from krat_core.cli import cli
from krat_core.combine import combine, dump_national, load_national
from krat_core.demo.scenario import DemoResult, step_combine
from krat_core.format.canonical import dump_submission
from krat_core.format.models import Submission
from krat_core.plugins.manager import load_plugins


@pytest.fixture
def files(tmp_path: Path, national_2024: list[Submission]) -> list[Path]:
    folder = tmp_path / "inbox"
    folder.mkdir()
    paths = []
    for sub in national_2024:
        path = folder / f"{sub.region}-2024.json"
        path.write_bytes(dump_submission(sub))
        paths.append(path)
    return paths


def run(runner: CliRunner, *args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_all_twelve_on_time_exit_0_with_albanian_table(
    runner: CliRunner, files: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "national.json"
    code, stdout, stderr = run(runner, "combine", *files, "-o", out, "--deadline", "2025-01-31")
    assert code == 0, stdout + stderr
    for name in ("Durrës", "Korçë", "Gjirokastër", "Tiranë", "Vlorë"):
        assert name in stdout
    assert stdout.count("marrë") == 12
    assert "afati: 31.01.2025" in stdout
    assert "Gjithçka në rregull" in stdout
    assert "krat combine:" not in stderr  # not a terminal: no progress
    # The file is the library's result, byte for byte (validated with the built-in rules).
    national = load_national(out)
    assert national.validated and not any(c.invalid for c in national.completeness)
    assert national.counts.records_in == sum(
        len(s.submission.records()) for s in national.submissions
    )


def test_missing_late_and_english(
    runner: CliRunner, files: list[Path], tmp_path: Path, national_2024: list[Submission]
) -> None:
    late = national_2024[6].model_copy(
        update={"submitted_at": national_2024[6].submitted_at.replace(month=3)}
    )
    files[6].write_bytes(dump_submission(late))
    out = tmp_path / "national.json"
    code, stdout, _ = run(
        runner, "combine", *files[:11], "-o", out, "--deadline", "2025-01-31", "--lang", "en"
    )
    assert code == 1
    assert re.search(r"\nVlorë +missing\n", stdout)
    assert re.search(r"\nKukës +received, late\n", stdout)
    assert "Needs attention: 1 missing, 1 late" in stdout
    assert out.exists()  # written all the same


def test_json_summary_and_period_option(
    runner: CliRunner, files: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "national.json"
    code, stdout, _ = run(
        runner,
        "combine",
        *files,
        "-o",
        out,
        "--period",
        "2024",
        "--period",
        "2025",
        "--format",
        "json",
        "--no-validate",
    )
    assert code == 1
    summary = json.loads(stdout)
    assert summary["attention"] == {"missing": 12}
    assert summary["periods"] == ["2024", "2025"]
    assert len(summary["submissions"]) == 12 and "submission" not in summary["submissions"][0]
    assert summary["counts"]["records_in"] == load_national(out).counts.records_in
    assert summary["validated"] is False


def test_combining_the_result_again_changes_nothing(
    runner: CliRunner, files: list[Path], tmp_path: Path
) -> None:
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    assert run(runner, "combine", *files, "-o", first, "--deadline", "2025-01-31")[0] == 0
    assert run(runner, "combine", first, *reversed(files), "-o", second)[0] == 0
    assert first.read_bytes() == second.read_bytes()
    # Updating a national dataset in place with a newer file is allowed.
    assert run(runner, "combine", first, files[0], "-o", first)[0] == 0
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "not valid JSON"), (b'{"format": "other"}', "not a KRAT dataset")],
)
def test_unreadable_input_exits_2_naming_the_file(
    runner: CliRunner, files: list[Path], tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "broken.json"
    bad.write_bytes(content)
    code, _, stderr = run(runner, "combine", *files, bad, "-o", tmp_path / "n.json", "--lang", "en")
    assert code == 2
    assert "broken.json" in stderr and message in stderr
    assert not (tmp_path / "n.json").exists()


def test_missing_file_and_bad_deadline_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    code, _, stderr = run(runner, "combine", tmp_path / "none.json", "-o", tmp_path / "n.json")
    assert code == 2 and "nuk mund të lexohet" in stderr  # Albanian by default
    code, _, stderr = run(
        runner, "combine", tmp_path / "none.json", "-o", tmp_path / "n.json", "--lang", "en"
    )
    assert code == 2 and "cannot read" in stderr
    code, _, stderr = run(
        runner,
        "combine",
        tmp_path / "none.json",
        "-o",
        tmp_path / "n.json",
        "--deadline",
        "31.01.2025",
    )
    assert code == 2 and "zonë kohore" in stderr  # Albanian by default, as every message
    code, _, stderr = run(
        runner,
        "combine",
        tmp_path / "none.json",
        "-o",
        tmp_path / "n.json",
        "--deadline",
        "31.01.2025",
        "--lang",
        "en",
    )
    assert code == 2 and "time zone" in stderr
    code, _, stderr = run(
        runner,
        "combine",
        tmp_path / "none.json",
        "-o",
        tmp_path / "n.json",
        "--deadline",
        "2025-01-31T10:00:00",
        "--lang",
        "en",
    )
    assert code == 2 and "time zone" in stderr


def test_progress_on_stderr_only_for_a_terminal(
    runner: CliRunner, files: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("krat_core.cli.combine_cmd.is_terminal", lambda: True)
    _, _, stderr = run(runner, "combine", *files, "-o", tmp_path / "n.json", "--no-validate")
    assert "po lexohen 12/12" in stderr and "po kontrollohen 1/1" in stderr
    args = ("--no-validate", "--lang", "en")
    _, _, stderr = run(runner, "combine", *files, "-o", tmp_path / "n.json", *args)
    assert "reading 12/12" in stderr and "checking 1/1" in stderr


def test_demo_step_plants_late_resubmission_and_duplicate(
    tmp_path: Path, files: list[Path]
) -> None:
    demo = DemoResult(out=tmp_path / "demo", year=2024, seed=0)
    demo.submissions = {p.name[:5]: p for p in files}
    step_combine(demo, load_plugins())
    path = demo.national
    assert path == tmp_path / "demo" / "national-2024.json"
    national = load_national(path)
    cells = {c.region: c for c in national.completeness}
    assert cells["AL-07"].late is True
    assert [c.region for c in national.completeness if c.late] == ["AL-07"]
    assert cells["AL-02"].superseded == 1
    [old] = national.superseded
    assert len(old.changes.added) == 1 and len(old.changes.changed) == 1
    [duplicate] = national.duplicates
    assert duplicate.regions == ["AL-03", "AL-11"]
    printed = "\n".join(demo.lines) + "\n"
    assert re.search(r"Kukës +received, late\n", printed)
    assert "Persons reported by more than one region: 1" in printed
    # The file is exactly what the library makes of the planted inbox.
    inbox = sorted(files[0].parent.glob("*.json"))
    again = combine(inbox, period="2024", deadline=date(2025, 1, 31), validate=None).dataset
    assert again.counts == national.counts
    assert dump_national(national) == path.read_bytes()
