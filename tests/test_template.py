"""The official template: what a region sees in Excel, and that it reads back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from krat_core.demo.scenario import DemoResult, step_templates
from krat_core.demo.synthetic import generate_submission
from krat_core.format.canonical import dump_submission
from krat_core.format.codelists import Sex
from krat_core.importing import SHEETS, import_files
from krat_core.plugins.descriptors import ExportOptions, ImportOptions
from krat_core.plugins.manager import load_plugins
from krat_plugins.exporters.template import write_template

REGISTRY = load_plugins()


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, openpyxl.Workbook]:
    original = generate_submission("AL-02", 2024)
    title = '=HYPERLINK("http://example.invalid","kliko")'
    activity = original.activities[0].model_copy(update={"title": title})
    original = original.model_copy(update={"activities": [activity, *original.activities[1:]]})
    path = tmp_path_factory.mktemp("tpl") / "durres.xlsx"
    write_template(path, original)
    return path, openpyxl.load_workbook(path)


def test_sheets_in_albanian_with_hidden_lists(filled: tuple[Path, openpyxl.Workbook]) -> None:
    _, book = filled
    assert book.sheetnames == [
        "Udhëzime",
        "Dorëzimi",
        "Institucionet",
        "Rastet",
        "Asistenca",
        "Aktivitetet",
        "Objektivat",
        "Treguesit",
        "Listat",
    ]
    assert book["Listat"].sheet_state == "hidden"
    lists = book["Listat"]
    headers = [c.value for c in lists[1]]
    sexes = [lists.cell(row=r, column=headers.index("Sex") + 1).value for r in range(2, 6)]
    assert sexes == [m.sq for m in Sex]


def test_record_sheet_layout(filled: tuple[Path, openpyxl.Workbook]) -> None:
    _, book = filled
    sheet = book["Rastet"]
    spec = SHEETS["case"]
    # the technical columns (subject_ref, extensions) are moved to the right end (issue 14)
    assert [c.value for c in sheet[1]][:3] == ["Kodi i rastit *", "Emri", "Mbiemri"]
    technical = ["subject_ref", "extensions"]
    names = [c.name for c in spec.columns if c.name not in technical] + technical
    assert [c.value for c in sheet[2]] == names
    assert sheet.row_dimensions[2].hidden
    assert sheet.freeze_panes == "B3"
    assert sheet.column_dimensions["A"].width >= 16
    date_column = names.index("identified_on") + 1
    cell = sheet.cell(row=3, column=date_column)
    assert cell.number_format == "dd.mm.yyyy" and cell.value.date() <= date(2024, 12, 31)
    sources = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert any(f.startswith("'Listat'!") for f in sources)
    assert any(f.startswith("'Listat'!") for f in sources)
    assert sheet["A1"].comment is not None


def test_text_that_looks_like_a_formula_is_neutralised(
    filled: tuple[Path, openpyxl.Workbook],
) -> None:
    path, book = filled
    title = book["Aktivitetet"]["B3"]
    assert title.data_type == "s" and title.value.startswith("'=HYPERLINK")
    result = import_files([path], ImportOptions(), REGISTRY)
    assert result.submission.activities[0].title.startswith("=HYPERLINK")


def test_instructions_in_the_chosen_language(tmp_path: Path) -> None:
    for lang, sheet, word in (("sq", "Udhëzime", "Plotësoni"), ("en", "Instructions", "Fill in")):
        path = tmp_path / f"{lang}.xlsx"
        write_template(path, lang=lang, region="AL-06", period="2019")
        book = openpyxl.load_workbook(path)
        text = " ".join(str(c.value) for row in book[sheet].iter_rows() for c in row if c.value)
        assert word in text and "Korçë" in text and "2019" in text
        header = book["Dorëzimi" if lang == "sq" else "Submission"]
        assert header["B2"].value == "AL-06 Korçë" and header["B3"].value == "2019"


def test_renamed_headers_do_not_matter(tmp_path: Path) -> None:
    original = generate_submission("AL-04", 2024)
    path = tmp_path / "fier.xlsx"
    write_template(path, original)
    book = openpyxl.load_workbook(path)
    for cell in book["Rastet"][1]:
        cell.value = f"kolona {cell.column}"
    book.save(path)
    result = import_files([path], ImportOptions(), REGISTRY)
    assert result.findings == [] and result.submission.cases == original.cases


def test_exporter_is_registered_and_refuses_non_submissions(tmp_path: Path) -> None:
    exporter = REGISTRY.exporters["template"]
    assert exporter.suffix == ".xlsx"
    path = exporter.export(generate_submission("AL-07", 2024), tmp_path / "k.xlsx", ExportOptions())
    assert path.exists()
    with pytest.raises(Exception, match="one region's submission"):
        exporter.export({"not": "a submission"}, tmp_path / "x.xlsx", ExportOptions())
    assert not (tmp_path / "x.xlsx").exists()


def test_demo_step_writes_and_imports_back(tmp_path: Path) -> None:
    demo = DemoResult(out=tmp_path, year=2024, seed=0)
    for code in ("AL-02", "AL-07"):
        path = tmp_path / "submissions" / f"{code}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(dump_submission(generate_submission(code, 2024)))
        demo.submissions[code] = path
    step_templates(demo, REGISTRY)
    output = "\n".join(demo.lines)
    assert output.count("imported back identical") == 3
    assert sorted(demo.templates) == ["AL-02", "AL-07"]
    assert demo.round_trips == {"AL-02": True, "AL-07": True}
    assert (tmp_path / "templates" / "AL-02-2024.xlsx").exists()


def test_loading_the_plugins_imports_neither_click_nor_the_cli() -> None:
    """An embedding that loads the plugins (the template exporter among them) gets no click."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from krat_core.plugins.manager import load_plugins\n"
        "registry = load_plugins()\n"
        "assert 'template' in registry.exporters, sorted(registry.exporters)\n"
        "print(sorted(m for m in sys.modules if m == 'click' or m.startswith('krat_core.cli')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout


def test_the_template_command_still_has_its_options() -> None:
    from krat_plugins.exporters.template import template_command

    command = template_command()
    options = {p.name for p in command.params}
    assert options == {"output", "lang", "region", "period", "source"}
    lang = next(p for p in command.params if p.name == "lang")
    assert lang.default == "sq" and list(lang.type.choices) == ["sq", "en"]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- issue 14


@pytest.fixture(scope="module")
def elbasan(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("tpl") / "elbasan.xlsx"
    write_template(path, region="AL-03", period="2024", blank_rows=5)
    return openpyxl.load_workbook(path)


def test_examples_are_for_the_templates_region_and_period(elbasan: openpyxl.Workbook) -> None:
    comments = [
        c.comment.text
        for name in ("Institucionet", "Rastet", "Aktivitetet", "Objektivat", "Asistenca")
        for c in elbasan[name][1]
        if c.comment is not None
    ]
    text = "\n".join(comments)
    assert "AL-03-C-2024-0001" in text and "AL-03-I-0001" in text
    assert "AL-02" not in text and "2019" not in text and "Durrës" not in text
    assert "Elbasan" in text


def test_conditional_columns_are_marked_with_their_condition(elbasan: openpyxl.Workbook) -> None:
    heads = {c.value: c for c in elbasan["Rastet"][1]}
    referral = next(v for v in heads if v and v.startswith("Data e referimit"))
    assert referral.endswith("(*)")
    assert "kur plotësohet ndonjë nga kolonat" in heads[referral].comment.text
    minor = next(v for v in heads if v and v.startswith("I mitur"))
    assert minor.endswith("(*)") and "mosha është bosh" in heads[minor].comment.text
    total = next(v for v in (c.value for c in elbasan["Aktivitetet"][1]) if "gjithsej" in v)
    assert total.endswith("(*)")
    assert "Kodi i rastit *" in heads


def test_empty_template_has_date_columns_technical_columns_and_a_legend(
    elbasan: openpyxl.Workbook,
) -> None:
    sheet = elbasan["Rastet"]
    names = [c.value for c in sheet[2]]
    letter = openpyxl.utils.get_column_letter(names.index("identified_on") + 1)
    assert sheet.column_dimensions[letter].number_format == "dd.mm.yyyy"
    assert names[-2:] == ["subject_ref", "extensions"]
    tech = openpyxl.utils.get_column_letter(len(names) - 1)
    assert sheet.column_dimensions[tech].hidden and sheet.column_dimensions[tech].outline_level == 1
    legend = [row[1].value for row in elbasan["Udhëzime"].iter_rows() if len(row) > 1]
    assert any(v and "krat validate --annotate" in v for v in legend)


def test_institution_drop_downs_show_id_and_name_and_both_import(tmp_path: Path) -> None:
    path = tmp_path / "elbasan.xlsx"
    write_template(path, region="AL-03", period="2024", blank_rows=3)
    book = openpyxl.load_workbook(path)
    sources = {v.formula1 for v in book["Aktivitetet"].data_validations.dataValidation}
    lists = book["Listat"]
    heads = [c.value for c in lists[1]]
    column = heads.index("labels:institution") + 1
    assert lists.cell(row=2, column=column).value.startswith("=IF('Institucionet'!$A3=\"\"")
    letter = openpyxl.utils.get_column_letter(column)
    assert f"'Listat'!${letter}$2:${letter}$4" in sources  # rows 3..5 of the sheet
    from krat_core.importing import parse_id

    assert parse_id("AL-03-I-0001 – Policia Elbasan") == "AL-03-I-0001"
    assert parse_id("AL-03-I-0001") == "AL-03-I-0001"


def test_template_region_accepts_a_code_or_a_name(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from krat_core.cli import cli

    runner = CliRunner()
    for given in ("Elbasan", "al-03", "elbasan"):
        out = tmp_path / f"{given}.xlsx"
        done = runner.invoke(cli, ["template", "-o", str(out), "--region", given])
        assert done.exit_code == 0, done.output
        assert done.output.startswith("U shkrua")  # the success line follows --lang (sq)
        values = [c.value for c in openpyxl.load_workbook(out)["Dorëzimi"]["B"]]
        assert "AL-03 Elbasan" in values
    done = runner.invoke(cli, ["template", "-o", str(tmp_path / "x.xlsx"), "--region", "Paris"])
    assert done.exit_code == 2 and "nuk është qark" in done.output
    done = runner.invoke(cli, ["template", "-o", str(tmp_path / "y.xlsx"), "--lang", "en"])
    assert done.output.startswith("Wrote")
