"""The staffer's loop in one round (issue 14): a messy workbook, its findings, the fix.

An Elbasan 2024 workbook is made from the template and filled as people fill
it: a merged cell, inflected and diacritic-less labels, two-digit years, ``-``
for "nothing", a bad optional yes/no, a column of the staffer's own, a rejected
institution that an activity refers to, a rejected case whose assistance rows
are broken too. One validation must report every mistake at its own sheet,
row and column, with the cause of each cascade; the annotated copy marks them;
once they are corrected in that copy, it validates clean and re-annotating it
leaves no mark of the first round.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from krat_core.findings import Finding
from krat_core.plugins.manager import load_plugins
from krat_core.validation.annotate import AUTHOR, annotate_workbook
from krat_core.validation.batch import validate_paths
from krat_plugins.exporters.template import write_template
from workbooks import column_letter, put

REGISTRY = load_plugins(env={"KRAT_PLUGINS": ""})
REFS = [hashlib.sha256(f"person {n}".encode()).hexdigest() for n in range(1, 6)]


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("loop")
    template = folder / "template.xlsx"
    write_template(template, region="AL-03", period="2024", blank_rows=10)
    book = openpyxl.load_workbook(template)
    head = book["Dorëzimi"]
    head["B4"] = "Sekretariati Teknik Elbasan"  # submitted_by.institution
    inst = book["Institucionet"]
    put(inst, 3, {"id": "AL-03-I-0001", "name": "Policia Elbasan", "type": "policia e shtetit"})
    put(inst, 4, {"id": "AL-03-I-0002", "name": "Bashkia Elbasan", "type": "ndoshta"})  # bad
    cases = book["Rastet"]
    base = {"sex": "femra", "identification_source": "policia"}
    put(
        cases,
        3,
        {
            **base,
            "subject_ref": REFS[0],
            "id": "AL-03-C-2024-0001",
            "status": "viktime e mundshme",
            "identified_on": "7/4/24",
            "age_at_identification": 16,
        },
    )
    put(
        cases,
        4,
        {
            **base,
            "subject_ref": REFS[1],
            "id": "AL-03-C-2024-0002",
            "status": "VMT",
            "identified_on": "8.4.24",
            "age_at_identification": "-",
            "minor": "po",
            "identification_source": None,
        },
    )  # the merged cell above covers it
    source = column_letter(cases, "identification_source")
    cases.merge_cells(f"{source}3:{source}4")
    put(
        cases,
        5,
        {
            **base,
            "subject_ref": REFS[2],
            "id": "AL-03-C-2024-0003",
            "status": "nuk eshte viktime",
            "identified_on": "09.04.2024",
            "minor": "jo",
            "age_at_identification": 30,
            "criminal_proceedings": "ndoshta",  # a bad optional yes/no
            "exploitation_types": "puna e femijeve",
        },
    )  # child labour for an adult
    put(
        cases,
        6,
        {
            **base,
            "subject_ref": REFS[3],
            "id": "AL-03-C-2024-0004",
            "status": "xyz",  # rejected parent
            "identified_on": "10.04.2024",
            "minor": "jo",
        },
    )
    cases.cell(row=1, column=cases.max_column + 1, value="Shënimet e mia")
    cases.cell(row=7, column=cases.max_column, value="telefonoi përsëri")  # only there
    help_ = book["Asistenca"]
    put(help_, 3, {"case_id": "AL-03-C-2024-0004", "type": "strehim", "start": "nesër"})
    put(help_, 4, {"case_id": "AL-03-C-2024-0004", "type": "Strehimi?", "start": "12.4.24"})
    acts = book["Aktivitetet"]
    put(
        acts,
        3,
        {
            "id": "AL-03-A-2024-0001",
            "title": "Seancë informuese",
            "type": "forum",
            "start": "15/5/24",
            "status": "e realizuar",
            "organiser": "AL-03-I-0002 – Bashkia Elbasan",
            "participants.total": 30,
        },
    )
    path = folder / "elbasan-2024.xlsx"
    book.save(path)
    return path


def _by_place(
    findings: list[Finding],
) -> dict[tuple[str | None, int | None, str | None], list[str]]:
    places: dict[tuple[str | None, int | None, str | None], list[str]] = {}
    for f in findings:
        pos = f.position
        column = pos.column.removesuffix(" (*)").removesuffix(" *") if pos and pos.column else None
        key = (pos.sheet, pos.row, column) if pos else (None, None, None)
        places.setdefault(key, []).append(f.code)
    return places


def test_one_round_reports_every_mistake_at_its_place_with_causes(messy: Path) -> None:
    batch = validate_paths([messy], REGISTRY)
    (outcome,) = batch.outcomes
    report = outcome.report
    findings = list(report.findings)
    places = _by_place(findings)
    # what people mean is accepted: no finding on rows 3 and 4 of the cases (merged
    # "policia", "viktime e mundshme", "7/4/24", "-" for the age, "femra")
    assert not [k for k in places if k[0] == "Rastet" and k[1] in (3, 4)], places
    imported = {c.id: c for c in outcome.imported.submission.cases}
    assert imported["AL-03-C-2024-0002"].identification_source.value == "police"
    assert str(imported["AL-03-C-2024-0001"].identified_on) == "2024-04-07"
    assert imported["AL-03-C-2024-0001"].minor is True  # from the age
    # the bad optional yes/no rejects the cell, not the case; its other mistake is found too
    assert places[("Rastet", 5, "Procedim penal")] == ["import.bad-boolean"]
    assert (
        "AL-03-C-2024-0003" in imported
        and imported["AL-03-C-2024-0003"].criminal_proceedings is None
    )
    assert "case.adult-with-child-exploitation" in places[("Rastet", 5, "Lloji i shfrytëzimit")]
    # the rejected parent: its own mistake, and its children's own mistakes in the same round
    assert places[("Rastet", 6, "Statusi (VT/VMT)")] == ["import.unknown-code"]
    assert "import.bad-date" in places[("Asistenca", 3, "Data e fillimit")]
    assert "import.unknown-code" in places[("Asistenca", 4, "Lloji i asistencës")]
    # the staffer's own column: one warning, the row is blank
    stray = [f for f in findings if f.code == "import.stray-row"]
    assert (
        len(stray) == 1 and stray[0].position.row == 7 and "Shënimet e mia" in stray[0].message_en
    )
    # the cascade names its cause: the organiser's row was rejected (row 4 of Institucionet)
    (ref,) = [f for f in findings if f.code == "ref.unknown-institution"]
    assert ref.position.sheet == "Aktivitetet" and ref.position.row == 3
    assert "Institucionet" in ref.message_en and "row 4" in ref.message_en
    assert "rreshti 4" in ref.message_sq and ref.extra["cause"]["row"] == 4
    # the text report shows the assistance findings at their own sheet and row
    text = report.to_text("en")
    assert "sheet 'Asistenca', row 3" in text


def test_annotate_then_fix_then_reannotate_is_clean(messy: Path, tmp_path: Path) -> None:
    batch = validate_paths([messy], REGISTRY)
    annotated = tmp_path / "annotated.xlsx"
    marked = annotate_workbook(messy, annotated, batch.outcomes[0].report, lang="sq")
    assert marked >= 8
    book = openpyxl.load_workbook(annotated)
    cases = book["Rastet"]
    source = cases[f"{column_letter(cases, 'identification_source')}3"]  # the merged cell's anchor
    assert source.comment is None or source.comment.author != AUTHOR
    status = cases[f"{column_letter(cases, 'status')}6"]
    assert status.comment is not None and status.comment.author == AUTHOR
    assert "import.unknown-code" in status.comment.text
    # the staffer corrects every marked cell in the annotated copy
    put(book["Institucionet"], 4, {"type": "bashkia"})
    put(cases, 5, {"criminal_proceedings": "jo", "exploitation_types": "puna e detyruar"})
    put(cases, 6, {"status": "VMT"})
    own = [c.value for c in cases[1]].index("Shënimet e mia") + 1
    cases.cell(row=7, column=own).value = None
    put(book["Asistenca"], 3, {"start": "11.04.2024"})
    put(book["Asistenca"], 4, {"type": "strehim"})
    fixed = tmp_path / "fixed.xlsx"
    book.save(fixed)
    again = validate_paths([fixed], REGISTRY)
    report = again.outcomes[0].report
    assert report.valid, report.to_text("en")
    errors_and_warnings = [f for f in report.findings if f.severity.value != "info"]
    assert [f.code for f in errors_and_warnings] == ["import.unknown-column"]
    clean = tmp_path / "clean.xlsx"
    annotate_workbook(fixed, clean, report, lang="sq")
    book = openpyxl.load_workbook(clean)
    leftovers = [
        (ws.title, c.coordinate)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.comment is not None
        and c.comment.author == AUTHOR
        and (ws.title, c.coordinate)
        != ("Rastet", f"{openpyxl.utils.get_column_letter(cases.max_column)}1")
    ]
    assert leftovers == []
    fills = {
        c.fill.fgColor.rgb
        for ws in book.worksheets
        if ws.title != "Udhëzime"  # (its colour legend shows the two marks on purpose)
        for row in ws.iter_rows(min_row=3)
        for c in row
        if c.fill is not None and c.fill.fill_type == "solid"
    }
    assert not {"00FFC7CE", "00FFE699"} & fills


def test_a_finding_inside_a_merged_cell_marks_its_anchor(messy: Path, tmp_path: Path) -> None:
    from krat_core.findings import Severity, SourcePosition

    book = openpyxl.load_workbook(messy)
    column = book["Rastet"][f"{column_letter(book['Rastet'], 'identification_source')}1"].value
    finding = Finding(
        code="import.unknown-code",
        severity=Severity.ERROR,
        message_en="covered",
        message_sq="e mbuluar",
        position=SourcePosition(str(messy), "Rastet", 4, column),  # row 4 is under the merge
    )
    out = tmp_path / "merged.xlsx"
    assert annotate_workbook(messy, out, [finding]) == 1
    sheet = openpyxl.load_workbook(out)["Rastet"]
    anchor = sheet[f"{column_letter(sheet, 'identification_source')}3"]
    assert anchor.comment is not None and "e mbuluar" in anchor.comment.text


def test_annotating_keeps_cached_formula_results(tmp_path: Path) -> None:
    """A =SUM total keeps Excel's cached result in the annotated copy (read before Excel
    reopens it)."""
    import zipfile

    from krat_core.validation.annotate import _restore_cached_values

    source = tmp_path / "sum.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Aktivitetet"
    sheet["A1"], sheet["B1"], sheet["C1"] = 10, 20, "=A1+B1"
    book.save(source)
    # what Excel does on save: the formula's result is cached next to it
    _restore_cached_values(source, ["Aktivitetet"], {"Aktivitetet": {"C1": 30}})
    assert openpyxl.load_workbook(source, data_only=True)["Aktivitetet"]["C1"].value == 30
    out = tmp_path / "annotated.xlsx"
    annotate_workbook(source, out, [])
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>A1+B1</f><v>30</v>" in xml
    assert openpyxl.load_workbook(out, data_only=True)["Aktivitetet"]["C1"].value == 30
    import python_calamine

    rows = (
        python_calamine.CalamineWorkbook.from_path(str(out))
        .get_sheet_by_name("Aktivitetet")
        .to_python()
    )
    assert rows[0][2] == 30


def test_an_unknown_identity_is_recorded_counted_and_never_linked(tmp_path: Path) -> None:
    from krat_core.format.identity import is_unknown_identity, unknown_identity_ref

    path = tmp_path / "unknown.xlsx"
    write_template(path, region="AL-03", period="2024", blank_rows=5)
    book = openpyxl.load_workbook(path)
    book["Dorëzimi"]["B4"] = "Sekretariati Teknik Elbasan"
    cases = book["Rastet"]
    base = {"status": "VMT", "identified_on": "7/4/24", "identification_source": "policia"}
    put(
        cases,
        3,
        {
            **base,
            "id": "AL-03-C-2024-0001",
            "subject_ref": "i panjohur",
            "sex": "F",
            "age_at_identification": 12,
        },
    )
    put(
        cases,
        4,
        {
            **base,
            "id": "AL-03-C-2024-0002",
            "subject_ref": "I PANJOHUR",
            "sex": "F",
            "age_at_identification": 12,
        },
    )
    # "Pa emër" typed as a name, without the key: the documented unknown identity, not a name
    put(
        cases,
        5,
        {
            **base,
            "id": "AL-03-C-2024-0003",
            "given_name": "Pa emër",
            "sex": "M",
            "age_at_identification": 30,
        },
    )
    book.save(path)
    (outcome,) = validate_paths([path], REGISTRY).outcomes
    refs = [c.subject_ref for c in outcome.imported.submission.cases]
    assert refs == [unknown_identity_ref(f"AL-03-C-2024-000{n}") for n in (1, 2, 3)]
    assert all(is_unknown_identity(r) for r in refs) and len(set(refs)) == 3
    codes = outcome.report.counts_by_code
    assert codes.get("case.identity-unknown") == 3  # counted
    assert "case.possible-duplicate" not in codes  # never linked
    assert outcome.report.valid
