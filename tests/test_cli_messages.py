"""CLI messages: one error prefix in the command's --lang, and plurals that agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from krat_core.cli import cli
from krat_core.findings import Finding, Severity
from krat_core.format.canonical import dump_submission
from krat_core.format.models import Submission
from krat_core.validation.report import ValidationReport, record_counts


@pytest.mark.parametrize(
    ("lang", "prefix"), [(None, "krat: gabim: "), ("sq", "krat: gabim: "), ("en", "krat: error: ")]
)
def test_error_lines_follow_lang(
    runner: CliRunner, tmp_path: Path, lang: str | None, prefix: str
) -> None:
    args = ["validate", str(tmp_path / "none.json")] + (["--lang", lang] if lang else [])
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert result.stderr.startswith(prefix), result.stderr


def test_a_kraterror_caught_by_the_group_uses_the_commands_lang(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    out = tmp_path / "out.docx"
    albanian = runner.invoke(cli, ["report", str(bad), "-o", str(out)])
    english = runner.invoke(cli, ["report", str(bad), "-o", str(out), "--lang", "en"])
    assert albanian.exit_code == english.exit_code == 2
    assert albanian.stderr.startswith("krat: gabim: ")
    assert english.stderr.startswith("krat: error: ")


def test_key_fingerprint_schema_and_plugins_follow_lang(runner: CliRunner, tmp_path: Path) -> None:
    missing = str(tmp_path / "none.key")
    albanian = runner.invoke(cli, ["key", "fingerprint", missing])
    english = runner.invoke(cli, ["key", "fingerprint", missing, "--lang", "en"])
    assert albanian.exit_code == english.exit_code == 2
    assert albanian.stderr.startswith("krat: gabim: ")
    assert english.stderr.startswith("krat: error: ")
    listing = {lang: runner.invoke(cli, ["plugins", "--lang", lang]) for lang in ("sq", "en")}
    assert all(r.exit_code == 0 for r in listing.values())
    assert listing["sq"].stdout != listing["en"].stdout
    assert "PLUGIN" in listing["en"].stdout and "SHTOJCA" in listing["sq"].stdout
    out = tmp_path / "schemas"
    both = runner.invoke(cli, ["schema", "--output", str(out), "--check", str(out)])
    assert both.exit_code == 2 and "përdorni ose --output ose --check" in both.stderr
    written = runner.invoke(cli, ["schema", "--output", str(out), "--lang", "sq"])
    assert written.exit_code == 0 and written.stdout.startswith("U shkrua ")


def _finding(severity: Severity) -> Finding:
    return Finding("x.y", severity, message_en="x", message_sq="x", kind="case", record_id="c")


@pytest.mark.parametrize(
    ("errors", "warnings", "sq", "en"),
    [
        (1, 0, "1 gabim, 0 paralajmërime, 0 informacione", "1 error, 0 warnings, 0 notes"),
        (2, 1, "2 gabime, 1 paralajmërim, 0 informacione", "2 errors, 1 warning, 0 notes"),
    ],
)
def test_the_report_summary_agrees_with_its_counts(
    errors: int, warnings: int, sq: str, en: str
) -> None:
    findings = [_finding(Severity.ERROR)] * errors + [_finding(Severity.WARNING)] * warnings
    report = ValidationReport(findings=tuple(findings))
    assert (report.summary("sq"), report.summary("en")) == (sq, en)


def test_severity_words_have_one_definition() -> None:
    assert [s.label("en") for s in Severity] == ["error", "warning", "note"]
    assert [s.label("sq") for s in Severity] == ["gabim", "paralajmërim", "informacion"]
    assert Severity.INFO.counted(1, "en") == "1 note"


def test_record_counts_agree() -> None:
    counts = {"institution": 1, "case": 2}
    assert record_counts(counts, "sq") == "1 institucion, 2 raste"
    assert record_counts(counts, "en") == "1 institution, 2 cases"


def test_batch_closing_line_agrees(
    runner: CliRunner, tmp_path: Path, durres_2024: Submission
) -> None:
    path = tmp_path / "AL-02-2024.json"
    path.write_bytes(dump_submission(durres_2024))
    missing = tmp_path / "none.json"
    sq = runner.invoke(cli, ["validate", str(path), str(missing)])
    en = runner.invoke(cli, ["validate", str(path), str(missing), "--lang", "en"])
    assert "Gjithsej: 1 dorëzim i kontrolluar, 1 i vlefshëm, 0 jo të vlefshme, 1 hyrje" in sq.stdout
    assert "In all: 1 submission checked, 1 valid, 0 not valid, 1 input could not" in en.stdout


def test_plugin_warnings_follow_lang_and_the_json_stays_english(
    runner: CliRunner, tmp_path: Path, durres_2024: Submission
) -> None:
    path = tmp_path / "AL-02-2024.json"
    path.write_bytes(dump_submission(durres_2024))
    env = {"KRAT_PLUGINS": "no-such-plugin"}
    albanian = runner.invoke(cli, ["validate", str(path)], env=env)
    english = runner.invoke(cli, ["validate", str(path), "--lang", "en"], env=env)
    assert "krat: paralajmërim: KRAT_PLUGINS përmend 'no-such-plugin'" in albanian.stderr
    assert "krat: warning: KRAT_PLUGINS names 'no-such-plugin'" in english.stderr
    document = json.loads(runner.invoke(cli, ["plugins", "--json"], env=env).stdout)
    assert document["problems"] == [
        "KRAT_PLUGINS names 'no-such-plugin', but no installed plugin has that name"
    ]


def test_the_plugin_listing_agrees_in_number() -> None:
    from krat_core import hookimpl
    from krat_core.plugins.descriptors import Rule
    from krat_core.plugins.manager import load_plugins

    class One:
        @hookimpl
        def krat_validators(self) -> list[Rule]:
            return []

    registry = load_plugins(plugins=[("one", One())], entry_points=False)
    english = registry.to_text("en").splitlines()[0]
    albanian = registry.to_text("sq").splitlines()[0]
    assert english == "1 plugin loaded (1 third-party, 0 built-in marked *), 0 skipped"
    assert albanian.startswith("1 shtojcë e ngarkuar (1 të palëve të treta")
    assert registry.to_dict()["plugins"][0]["name"] == "one"


def test_a_finding_reads_in_both_languages() -> None:
    from krat_core.findings import SourcePosition

    finding = Finding(
        "import.bad-date",
        Severity.INFO,
        message_en="Bad date.",
        message_sq="Datë e gabuar.",
        position=SourcePosition("r.xlsx", "Rastet", 7, "Data"),
    )
    assert finding.to_text("en") == (
        "r.xlsx, sheet 'Rastet', row 7, column 'Data'  [note: import.bad-date]\n    Bad date."
    )
    assert finding.to_text("sq") == (
        "r.xlsx, fleta 'Rastet', rreshti 7, kolona 'Data'  [informacion: import.bad-date]\n"
        "    Datë e gabuar."
    )
