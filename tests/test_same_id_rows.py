"""Findings about an id name every other row with the same id (issue 14: cascades name
their cause), in the text report and in the annotated workbook's comments."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from krat_core.findings import SourcePosition
from krat_core.importing.sameid import rows_text
from krat_core.plugins.manager import load_plugins
from krat_core.validation.annotate import AUTHOR, annotate_workbook
from krat_core.validation.batch import validate_paths
from krat_plugins.exporters.template import write_template
from workbooks import put

REGISTRY = load_plugins(env={"KRAT_PLUGINS": ""})
REFS = [hashlib.sha256(f"person {n}".encode()).hexdigest() for n in range(10)]
COPIED = "AL-02-C-2019-0001"  # the example id, copied into an Elbasan workbook three times


def _case(n: int, case_id: str, status: str = "VT") -> dict[str, object]:
    return {
        "subject_ref": REFS[n],
        "id": case_id,
        "status": status,
        "sex": "femër",
        "identified_on": "07.04.2024",
        "identification_source": "policia",
        "minor": "jo",
    }


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sameid")
    path = folder / "elbasan.xlsx"
    write_template(path, region="AL-03", period="2024", blank_rows=10)
    book = openpyxl.load_workbook(path)
    book["Dorëzimi"]["B4"] = "Sekretariati Teknik Elbasan"
    cases = book["Rastet"]
    put(cases, 3, _case(0, COPIED))
    put(cases, 4, _case(1, COPIED))
    put(cases, 5, _case(2, "AL-03-C-2024-0001"))
    put(cases, 6, _case(3, COPIED))
    put(cases, 7, _case(4, "AL-03-C-2024-0002", status="xyz"))  # rejected for its status
    put(cases, 8, _case(5, "AL-03-C-2024-0002"))  # the same id as the rejected row
    put(cases, 9, _case(6, "AL-03-C-2024-0001"))
    put(cases, 10, _case(7, "AL-03-C-2024-0001", status="xyz"))  # kept id, its own mistake
    book.save(path)
    return path


def test_every_finding_about_a_copied_id_names_the_other_rows(workbook: Path) -> None:
    (outcome,) = validate_paths([workbook], REGISTRY).outcomes
    findings = outcome.report.findings
    (wrong,) = [f for f in findings if f.code == "id.wrong-region"]
    assert wrong.position is not None and wrong.position.row == 3
    assert wrong.message_en.endswith(
        f"The same id {COPIED} is also on rows 4 and 6 of the 'Rastet' sheet."
    )
    assert wrong.message_sq.endswith(
        f"I njëjti identifikues {COPIED} është edhe në rreshtat 4 dhe 6 të fletës 'Rastet'."
    )
    assert [r["row"] for r in wrong.extra["rows"]] == [4, 6]
    dups = {
        f.position.row: f
        for f in findings
        if f.code == "import.duplicate-id" and f.record_id == COPIED and f.position
    }
    assert sorted(dups) == [4, 6]
    assert dups[4].message_en.startswith(
        f"the id {COPIED} is already on row 3 of the 'Rastet' sheet; this row is left out. The"
    )
    assert dups[4].message_en.endswith("is also on row 6 of the 'Rastet' sheet.")
    assert dups[6].message_en.endswith("is also on row 4 of the 'Rastet' sheet.")
    assert "është tashmë në rreshtin 3 të fletës 'Rastet'" in dups[6].message_sq
    assert dups[6].message_sq.endswith("është edhe në rreshtin 4 të fletës 'Rastet'.")
    # a row with the id of an earlier rejected row is a duplicate now, not one round later
    (second,) = [f for f in findings if f.code == "import.duplicate-id" and f.position.row == 8]
    assert "already on row 7 of the 'Rastet' sheet" in second.message_en
    # a row rejected for its own mistake is told its id repeats too, in the same round
    later = {
        f.code
        for f in findings
        if f.position and f.position.sheet == "Rastet" and f.position.row == 10
    }
    assert later == {"import.unknown-code", "import.duplicate-id"}
    (third,) = [f for f in findings if f.code == "import.duplicate-id" and f.position.row == 10]
    assert "already on row 5 of the 'Rastet' sheet" in third.message_en
    assert third.message_en.endswith("is also on row 9 of the 'Rastet' sheet.")
    text = outcome.report.to_text("sq")
    assert "rreshtat 4 dhe 6 të fletës 'Rastet'" in text


def test_the_annotated_comments_name_the_other_rows(workbook: Path, tmp_path: Path) -> None:
    (outcome,) = validate_paths([workbook], REGISTRY).outcomes
    out = tmp_path / "annotated.xlsx"
    annotate_workbook(workbook, out, outcome.report, lang="sq")
    cases = openpyxl.load_workbook(out)["Rastet"]
    id_column = [c.value for c in cases[2]].index("id") + 1
    comments = {row: cases.cell(row=row, column=id_column).comment for row in (3, 4, 6)}
    assert all(c is not None and c.author == AUTHOR for c in comments.values())
    assert "rreshtat 4 dhe 6 të fletës 'Rastet'" in comments[3].text
    assert "rreshtin 6 të fletës 'Rastet'" in comments[4].text
    assert "rreshtin 3 të fletës 'Rastet'" in comments[6].text


@pytest.mark.parametrize(
    ("rows", "sq", "en"),
    [
        ([], "", ""),
        ([5], "rreshtin 5 të fletës 'Rastet'", "row 5 of the 'Rastet' sheet"),
        ([5, 9], "rreshtat 5 dhe 9 të fletës 'Rastet'", "rows 5 and 9 of the 'Rastet' sheet"),
    ],
)
def test_rows_text_for_0_1_and_2_rows(rows: list[int], sq: str, en: str) -> None:
    positions = [SourcePosition("a.xlsx", "Rastet", n) for n in rows]
    assert rows_text(positions, "sq") == sq
    assert rows_text(positions, "en") == en


def test_rows_text_of_files_and_several_sheets() -> None:
    positions = [
        SourcePosition("in/rastet.csv", None, 4),
        SourcePosition("b.xlsx", "Rastet", 2),
        SourcePosition("b.xlsx", "Rastet", 2),  # the same row once
    ]
    assert rows_text(positions, "sq") == (
        "rreshtin 4 të skedarit 'rastet.csv' dhe rreshtin 2 të fletës 'Rastet'"
    )
    assert (
        rows_text(positions, "en")
        == "row 4 of the file 'rastet.csv' and row 2 of the 'Rastet' sheet"
    )


def test_many_rows_with_one_id_are_named_up_to_a_bound_and_counted(tmp_path: Path) -> None:
    """Fifty rows with one id: each duplicate finding names the first row, twenty of the
    others and counts the rest, in both languages, and the extra lists a bounded number."""
    from krat_core.importing.pipeline import import_files
    from krat_core.importing.sameid import MAX_ROWS_NAMED
    from krat_core.plugins.descriptors import ImportOptions

    assert MAX_ROWS_NAMED == 20
    path = tmp_path / "rastet.csv"
    header = "id,subject_ref,status,identified_on,identification_source,sex,minor\n"
    row = f"AL-02-C-2024-0001,{REFS[0]},VT,07.04.2024,policia,femër,jo\n"
    path.write_text(header + row * 50, encoding="utf-8")
    result = import_files([path], ImportOptions(region="AL-02", period="2024"), REGISTRY)
    found = [f for f in result.findings if f.code == "import.duplicate-id"]
    assert len(found) == 49  # rows 3 to 51 of the file; row 2 is kept
    last = found[-1]
    # the other 48 rows (not the first, not its own): 20 named, 28 counted
    assert last.message_en.endswith("and on 28 more rows.")
    assert last.message_sq.endswith("dhe në 28 rreshta të tjerë.")
    assert len(last.extra["rows"]) == 20 and last.extra["rows_total"] == 50


def test_a_duplicate_id_rule_finding_counts_numbers_past_its_bound() -> None:
    from krat_plugins.validators.ids import NUMBERS_NAMED, _numbers

    assert _numbers([1, 4, 9], "sq") == "1, 4 dhe 9"
    many = list(range(1, NUMBERS_NAMED + 3))
    assert _numbers(many, "en").endswith(f"{NUMBERS_NAMED} and 2 more")
    assert _numbers(many[: NUMBERS_NAMED + 1], "sq").endswith("dhe 1 tjetër")
