"""CSV files and what rows become: records, or findings with file, sheet, row and column."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from krat_core.demo.synthetic import generate_submission
from krat_core.errors import IdentityWithoutKey, ImportRefused
from krat_core.format.codelists import CaseStatus, Sex
from krat_core.format.models import Submission
from krat_core.format.pseudonym import subject_ref
from krat_core.importing import SHEETS, import_files, record_rows
from krat_core.plugins.descriptors import ImportLimits, ImportOptions
from krat_core.plugins.manager import load_plugins

REGISTRY = load_plugins()
KEY = bytes(range(32))


def write_csv(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def export_csv(folder: Path, submission: Submission, lang: str, **kw: str) -> list[Path]:
    paths = []
    for sheet in SHEETS.values():
        rows = [
            [c.to_text(v, lang) for c, v in zip(sheet.columns, r, strict=True)]
            for r in record_rows(submission, sheet)
        ]
        header = [c.header(lang) for c in sheet.columns]
        name = f"{submission.region}-{submission.period}-{sheet.name(lang).lower()}.csv"
        paths.append(write_csv(folder / name, header, rows, **kw))
    return paths


def same_records(a: Submission, b: Submission) -> bool:
    fields = ("institutions", "cases", "activities", "objectives", "region", "period")
    return all(getattr(a, f) == getattr(b, f) for f in fields)


@pytest.mark.parametrize(
    ("lang", "delimiter", "encoding"),
    [("sq", ";", "utf-8-sig"), ("en", ",", "utf-8"), ("sq", ";", "cp1250"), ("sq", ",", "cp1252")],
)
def test_csv_files_import_losslessly(
    tmp_path: Path, lang: str, delimiter: str, encoding: str
) -> None:
    original = generate_submission("AL-06", 2024)
    paths = export_csv(tmp_path, original, lang, delimiter=delimiter, encoding=encoding)
    result = import_files(paths, ImportOptions(), REGISTRY)
    assert result.findings == []
    assert same_records(result.submission, original)
    assert [Path(c.file).name for c in result.counts] == [p.name for p in paths]


def test_machine_name_headers_and_kind_from_header(tmp_path: Path) -> None:
    original = generate_submission("AL-01", 2024)
    sheet = SHEETS["activity"]
    rows = [
        [c.to_text(v, "en", codes="code") for c, v in zip(sheet.columns, r, strict=True)]
        for r in record_rows(original, sheet)
    ]
    path = write_csv(tmp_path / "export.csv", [c.name for c in sheet.columns], rows)
    result = import_files([path], ImportOptions(), REGISTRY)
    assert result.findings == []
    assert result.submission.activities == original.activities


CASE_HEADER = [
    "Kodi i rastit",
    "Statusi (VT/VMT)",
    "Data e identifikimit",
    "Burimi i identifikimit",
    "Gjinia",
    "Mosha",
    "I mitur",
    "Referenca e personit (subject_ref)",
]
REF = "a" * 64


def case_row(**changes: str) -> list[str]:
    row = dict(
        zip(
            CASE_HEADER,
            [
                "AL-02-C-2019-0001",
                "VMT",
                "13.02.2019",
                "policia",
                "femër",
                "16",
                "po",
                REF,
            ],
            strict=True,
        )
    )
    row.update(changes)
    return list(row.values())


def test_values_as_people_type_them(tmp_path: Path) -> None:
    rows = [
        case_row(),
        case_row(
            **{
                "Kodi i rastit": " al-02-c-2019-0002 ",
                "Statusi (VT/VMT)": " vt ",
                "Data e identifikimit": "2019-03-01",
                "Gjinia": "MASHKULL",
                "I mitur": "Jo",
                "Mosha": "19",
            }
        ),
        ["", "", "", "", "", "", "", ""],
        case_row(
            **{
                "Kodi i rastit": "AL-02-C-2019-0003",
                "Gjinia": "Femer",
                "Burimi i identifikimit": "Shërbimet Sociale",
            }
        ),
    ]
    path = write_csv(tmp_path / "rastet.csv", CASE_HEADER, rows, delimiter=";")
    result = import_files([path], ImportOptions(region="AL-02", period="2019"), REGISTRY)
    assert result.findings == []
    cases = result.submission.cases
    assert [c.id for c in cases] == [f"AL-02-C-2019-000{i}" for i in (1, 2, 3)]
    assert cases[1].status is CaseStatus.VICTIM and cases[1].sex is Sex.MALE
    assert cases[1].identified_on == date(2019, 3, 1) and cases[1].minor is False
    (count,) = result.counts
    assert (count.rows_read, count.records, count.rejected, count.blank) == (3, 3, 0, 1)


def test_every_rejected_row_has_a_positioned_bilingual_finding(tmp_path: Path) -> None:
    rows = [
        case_row(),
        case_row(**{"Kodi i rastit": "AL-02-C-2019-0002", "Data e identifikimit": "31.02.2019"}),
        case_row(**{"Kodi i rastit": "AL-02-C-2019-0003", "Statusi (VT/VMT)": "ndoshta"}),
        case_row(**{"Kodi i rastit": "AL-02-C-2019-0004", "Mosha": "shtatë"}),
        case_row(**{"Kodi i rastit": "AL-02-C-2019-0005", "Burimi i identifikimit": ""}),
        case_row(**{"Kodi i rastit": "AL-02-C-2019-0006", "Mosha": "130"}),
        case_row(**{"Kodi i rastit": "RASTI-7"}),
        case_row(),  # the id of row 2 again
    ]
    path = write_csv(tmp_path / "rastet.csv", CASE_HEADER, rows)
    result = import_files([path], ImportOptions(region="AL-02", period="2019"), REGISTRY)
    (count,) = result.counts
    # row 5's bad age is an optional cell: the cell is left out, the case kept (issue 14)
    assert (count.rows_read, count.records, count.rejected) == (8, 2, 6)
    by_row = {f.position.row: f for f in result.findings if f.position}
    expected = {
        3: ("import.bad-date", "Data e identifikimit", "31.02.2019"),
        4: ("import.unknown-code", "Statusi (VT/VMT)", "ndoshta"),
        5: ("import.bad-number", "Mosha", "shtatë"),
        6: ("import.missing-required", "Burimi i identifikimit", None),
        7: ("import.invalid-value", "Mosha", "130"),
        8: ("import.bad-id", "Kodi i rastit", "RASTI-7"),
        9: ("import.duplicate-id", "Kodi i rastit", "AL-02-C-2019-0001"),
    }
    for row, (code, column, value) in expected.items():
        finding = by_row[row]
        assert (finding.code, finding.position.column, finding.value) == (code, column, value)
        assert finding.position.file == str(path)
        assert finding.message_en and finding.message_sq
        assert finding.message_en != finding.message_sq
    assert "13.02.2019" in by_row[3].message_sq
    assert "left out" in by_row[5].message_en and "u la jashtë" in by_row[5].message_sq
    kept = {c.id: c for c in result.submission.cases}
    assert "AL-02-C-2019-0004" in kept and kept["AL-02-C-2019-0004"].age_at_identification is None


def test_orphan_and_rejected_parent_rows(tmp_path: Path) -> None:
    cases = write_csv(
        tmp_path / "rastet.csv",
        CASE_HEADER,
        [
            case_row(),
            case_row(**{"Kodi i rastit": "AL-02-C-2019-0002", "Gjinia": "?"}),
        ],
    )
    assistance = write_csv(
        tmp_path / "asistenca.csv",
        ["Kodi i rastit", "Lloji i asistencës", "Data e fillimit"],
        [
            ["AL-02-C-2019-0001", "strehim", "14.02.2019"],
            ["AL-02-C-2019-0002", "strehim", "14.02.2019"],
            ["AL-02-C-2019-0009", "strehim", "14.02.2019"],
            ["AL-02-C-2019-0001", "ndihmë ligjore", "nesër"],
        ],
    )
    result = import_files(
        [cases, assistance], ImportOptions(region="AL-02", period="2019"), REGISTRY
    )
    counts = {Path(c.file).name: c for c in result.counts}
    assert (counts["asistenca.csv"].records, counts["asistenca.csv"].rejected) == (1, 3)
    orphans = [f for f in result.findings if f.code == "import.orphan-row"]
    assert sorted(f.position.row for f in orphans) == [3, 4]
    assert any("rejected" in f.message_en for f in orphans)
    assert any("no case" in f.message_en for f in orphans)
    (case,) = result.submission.cases
    assert len(case.assistance) == 1
    where = result.locate("case", case.id, "/assistance/0/start")
    assert where is not None and Path(where.file).name == "asistenca.csv" and where.row == 2
    assert where.column == "Data e fillimit"
    for count in result.counts:
        assert count.rows_read == count.records + count.rejected


IDENTITY_HEADER = [
    "Kodi i rastit",
    "Emri",
    "Mbiemri",
    "Datëlindja",
    "Statusi",
    "Gjinia",
    "Data e identifikimit",
    "Burimi i identifikimit",
]


def test_identity_columns_become_subject_ref_with_the_key(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "rastet.csv",
        IDENTITY_HEADER,
        [
            [
                "AL-02-C-2019-0001",
                "Ëngjëll",
                "Çela",
                "01.03.2003",
                "VMT",
                "mashkull",
                "13.02.2019",
                "policia",
            ],
            [
                "AL-02-C-2019-0002",
                "Arta",
                "Hoxha",
                "32.13.2001",
                "VMT",
                "femër",
                "13.02.2019",
                "policia",
            ],
        ],
    )
    options = ImportOptions(region="AL-02", period="2019", key=KEY)
    result = import_files([path], options, REGISTRY)
    (case,) = result.submission.cases
    assert case.subject_ref == subject_ref(KEY, "engjell", "cela", date(2003, 3, 1), "male")
    assert case.age_at_identification == 15 and case.minor is True
    (finding,) = result.findings
    assert finding.code == "import.bad-date" and finding.position.column == "Datëlindja"
    text = repr(finding.to_dict()) + repr(result.submission.model_dump())
    for secret in ("Arta", "Hoxha", "32.13.2001", "Ëngjëll", "Çela"):
        assert secret not in text


def test_identity_columns_without_a_key_are_refused(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "rastet.csv",
        IDENTITY_HEADER,
        [
            [
                "AL-02-C-2019-0001",
                "Arta",
                "Hoxha",
                "01.03.2003",
                "VMT",
                "femër",
                "13.02.2019",
                "policia",
            ],
        ],
    )
    with pytest.raises(IdentityWithoutKey) as info:
        import_files([path], ImportOptions(region="AL-02", period="2019"), REGISTRY)
    assert info.value.code == "import.identity-without-key"
    assert "Emri" in str(info.value) and "Arta" not in str(info.value)


def test_unknown_columns_are_reported_not_silently_dropped(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "rastet.csv", [*CASE_HEADER, "Shënime"], [[*case_row(), "x"]])
    result = import_files([path], ImportOptions(region="AL-02", period="2019"), REGISTRY)
    (finding,) = result.findings
    assert finding.code == "import.unknown-column" and finding.position.column == "Shënime"
    assert finding.severity.value == "warning"
    assert len(result.submission.cases) == 1


@pytest.mark.parametrize("lang", ["sq", "en"])
def test_csv_and_xlsx_report_exports_import_back(tmp_path: Path, lang: str) -> None:
    """The records of the csv and xlsx exporters read back (report tables are skipped)."""
    import zipfile

    from krat_core.plugins.descriptors import ExportOptions

    original = generate_submission("AL-03", 2024)
    archive = REGISTRY.exporters["csv"].export(
        original, tmp_path / "export.zip", ExportOptions(lang=lang, suppress=None, records=True)
    )
    zipfile.ZipFile(archive).extractall(tmp_path / "csv")
    files = sorted((tmp_path / "csv" / "records").glob("*.csv"))
    result = import_files(files, ImportOptions(), REGISTRY)
    assert result.findings == []
    assert same_records(result.submission, original)
    assert result.submission.submitted_by == original.submitted_by
    workbook = REGISTRY.exporters["xlsx"].export(
        original, tmp_path / "report.xlsx", ExportOptions(lang=lang, suppress=None, records=True)
    )
    result = import_files([workbook], ImportOptions(), REGISTRY)
    assert {f.code for f in result.findings} <= {"import.unknown-sheet"}
    assert result.rows_rejected == 0
    assert same_records(result.submission, original)


def test_one_identity_column_without_a_key_is_named_in_the_singular(tmp_path: Path) -> None:
    header = [h for h in IDENTITY_HEADER if h not in ("Mbiemri", "Datëlindja")]
    row = ["AL-02-C-2019-0001", "Arta", "VMT", "femër", "13.02.2019", "policia"]
    assert len(header) == len(row)
    path = write_csv(tmp_path / "rastet.csv", header, [row])
    with pytest.raises(IdentityWithoutKey) as info:
        import_files([path], ImportOptions(region="AL-02", period="2019"), REGISTRY)
    assert info.value.columns == ("Emri",)
    assert "has an identity column ('Emri')" in info.value.localized("en")
    assert "ka një kolonë identiteti ('Emri')" in info.value.localized("sq")
    assert "Arta" not in info.value.localized("sq") + info.value.localized("en")


@pytest.mark.parametrize(
    ("limit", "en", "sq"),
    [
        (1, "has more than 1 row ", "ka më shumë se 1 rresht "),
        (2, "has more than 2 rows ", "ka më shumë se 2 rreshta "),
    ],
)
def test_the_row_limit_is_named_with_the_right_plural(
    tmp_path: Path, limit: int, en: str, sq: str
) -> None:
    path = write_csv(tmp_path / "rastet.csv", CASE_HEADER, [case_row()] * 20)
    options = ImportOptions(region="AL-02", period="2019", limits=ImportLimits(max_rows=limit))
    with pytest.raises(ImportRefused) as info:
        import_files([path], options, REGISTRY)
    assert info.value.code == "import.too-many-rows"
    assert en in info.value.localized("en") and sq in info.value.localized("sq")


def test_import_files_says_precisely_what_is_wrong_with_the_call(tmp_path: Path) -> None:
    from krat_core.errors import ImportFailed, NoInputFiles, UnknownImporter

    with pytest.raises(NoInputFiles) as empty:
        import_files([], ImportOptions(), REGISTRY)
    assert isinstance(empty.value, ImportFailed)
    path = write_csv(tmp_path / "rastet.csv", CASE_HEADER, [case_row()])
    with pytest.raises(UnknownImporter) as unknown:
        import_files([path], ImportOptions(), REGISTRY, importer="dbase")
    assert unknown.value.name == "dbase" and "csv" in unknown.value.known
    assert "no importer named 'dbase'" in str(unknown.value)
