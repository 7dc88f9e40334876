"""`krat import` and `krat template` on the command line: summaries, findings, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from krat_core.cli import cli
from krat_core.demo.synthetic import generate_submission
from krat_core.format.canonical import dump_submission, load_submission
from krat_plugins.exporters.template import write_template


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_template_then_import_round_trip(tmp_path: Path) -> None:
    original = generate_submission("AL-10", 2024)
    source = tmp_path / "in.json"
    source.write_bytes(dump_submission(original))
    workbook = tmp_path / "shkoder.xlsx"
    code, output = run("template", "-o", str(workbook), "--submission", str(source))
    assert code == 0 and workbook.exists()
    out = tmp_path / "out.json"
    code, output = run("import", str(workbook), "-o", str(out))
    assert code == 0, output
    assert "Rastet" in output and "gjithsej" in output
    back = load_submission(out)
    assert back.cases == original.cases and back.activities == original.activities


def test_empty_template_in_english_with_region_and_period(tmp_path: Path) -> None:
    workbook = tmp_path / "blank.xlsx"
    code, _ = run(
        "template", "-o", str(workbook), "--lang", "en", "--region", "AL-03", "--period", "2019-H1"
    )
    assert code == 0
    # Issue 11: an untouched template is not silently an empty submission...
    code, output = run("import", str(workbook), "--lang", "en", "-o", str(tmp_path / "s.json"))
    assert code == 2, output
    assert "the xlsx importer found no case, activity or objective" in output
    assert "--nil-return" in output and "Traceback" not in output
    assert not (tmp_path / "s.json").exists()
    # ... unless the region declares it has nothing to report.
    code, output = run(
        "import", str(workbook), "--lang", "en", "--nil-return", "-o", str(tmp_path / "s.json")
    )
    assert code == 0, output
    sub = load_submission(tmp_path / "s.json")
    assert (sub.region, sub.period, sub.cases, sub.nil_return) == ("AL-03", "2019-H1", [], True)


def test_bad_region_option_is_a_usage_error(tmp_path: Path) -> None:
    code, output = run("template", "-o", str(tmp_path / "x.xlsx"), "--region", "AL-99")
    assert code == 2 and "AL-99" in output
    assert not (tmp_path / "x.xlsx").exists()


def _broken_workbook(tmp_path: Path) -> Path:
    """A filled template where one case row has an impossible date (openpyxl edits a copy)."""
    import openpyxl

    path = tmp_path / "durres.xlsx"
    write_template(path, generate_submission("AL-02", 2024))
    book = openpyxl.load_workbook(path)
    sheet = book["Rastet"]
    column = [c.value for c in sheet[2]].index("identified_on") + 1
    sheet.cell(row=4, column=column, value="31.02.2024")
    book.save(path)
    return path


def test_rejected_rows_exit_1_with_positions_in_albanian_and_english(tmp_path: Path) -> None:
    path = _broken_workbook(tmp_path)
    out = tmp_path / "out.json"
    findings = tmp_path / "findings.json"
    code, output = run("import", str(path), "-o", str(out), "--findings", str(findings))
    assert code == 1
    assert "fleta 'Rastet', rreshti 4, kolona 'Data e identifikimit *'" in output
    assert "'31.02.2024' nuk është e vlefshme" in output
    assert out.exists()
    (finding,) = (f for f in json.loads(findings.read_text()) if f["code"] == "import.bad-date")
    assert finding["position"]["row"] == 4 and finding["value"] == "31.02.2024"
    code, output = run("import", str(path), "--lang", "en")
    assert code == 1 and "sheet 'Rastet', row 4" in output and "expected a date" in output
    cases = len(generate_submission("AL-02", 2024).cases)
    (line,) = (line for line in output.splitlines() if line.strip().startswith("durres.xlsx / R"))
    assert line.split()[-4:] == [str(cases), str(cases - 1), "1", "0"]


def test_unreadable_input_exit_2_and_nothing_written(tmp_path: Path) -> None:
    path = tmp_path / "missing.xlsx"
    out = tmp_path / "out.json"
    code, output = run("import", str(path), "-o", str(out))
    assert code == 2 and str(path) in output and not out.exists()


def test_identity_without_key_refused_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "rastet.csv"
    path.write_text(
        "Kodi i rastit;Emri;Mbiemri;Statusi;Gjinia;Data e identifikimit;Burimi i identifikimit\n"
        "AL-02-C-2019-0001;Arta;Hoxha;VMT;femër;13.02.2019;policia\n",
        encoding="utf-8",
    )
    code, output = run("import", str(path), "--region", "AL-02", "--period", "2019")
    assert code == 2 and "--key" in output and "Arta" not in output


def test_identity_with_key_file(tmp_path: Path) -> None:
    path = tmp_path / "rastet.csv"
    path.write_text(
        "Kodi i rastit;Emri;Mbiemri;Datëlindja;Statusi;Gjinia;Data e identifikimit;"
        "Burimi i identifikimit\n"
        "AL-02-C-2019-0001;Arta;Hoxha;01.03.2003;VMT;femër;13.02.2019;policia\n",
        encoding="utf-8",
    )
    key = tmp_path / "national.key"
    key.write_text("ab" * 32 + "\n", encoding="ascii")
    out = tmp_path / "out.json"
    code, output = run(
        "import",
        str(path),
        "--region",
        "AL-02",
        "--period",
        "2019",
        "--key",
        str(key),
        "-o",
        str(out),
    )
    assert code == 0, output
    text = out.read_text(encoding="utf-8")
    assert "Arta" not in text and "Hoxha" not in text and "2003-03-01" not in text
    (case,) = load_submission(out).cases
    assert case.age_at_identification == 15 and case.minor


def test_forced_importer_and_max_rows(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text("Kodi i rastit;Statusi\n" + "AL-02-C-2019-0001;VT\n" * 30, encoding="utf-8")
    code, output = run("import", str(path), "--from", "csv", "--max-rows", "10")
    assert code == 2 and "--max-rows" in output
    code, output = run("import", str(path), "--from", "nope")
    assert code == 2 and "nope" in output
