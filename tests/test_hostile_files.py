"""Hostile and broken inputs: each gives one clear ImportFailed naming the file, in bounded memory.

Every file is built here, in the test (no binary blobs in the repository).
Memory bounds are checked with tracemalloc (peak of Python allocations),
never with wall-clock timing.
"""

from __future__ import annotations

import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from krat_core.cli import cli
from krat_core.demo.synthetic import generate_submission
from krat_core.errors import ImportFailed, ImportRefused
from krat_core.importing import import_files
from krat_core.plugins.descriptors import ImportLimits, ImportOptions
from krat_core.plugins.manager import load_plugins
from krat_plugins.exporters.template import write_template

REGISTRY = load_plugins()
MIB = 1024**2


def refused(
    path: Path, options: ImportOptions | None = None, *, bound: int = 64 * MIB
) -> ImportRefused:
    """Import ``path``: exactly one ImportRefused naming it, under ``bound`` bytes at peak."""
    tracemalloc.start()
    try:
        with pytest.raises(ImportFailed) as info:
            import_files([path], options or ImportOptions(), REGISTRY)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < bound, f"peak {peak:,} bytes"
    error = info.value
    assert isinstance(error, ImportRefused)
    assert error.source == str(path)
    assert str(path) in str(error)
    assert error.message_sq and error.message_en and error.message_sq != error.message_en
    return error


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wb") / "good.xlsx"
    write_template(path, generate_submission("AL-02", 2024))
    return path


def rewrite(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """Copy a workbook, passing each part through ``change`` (None drops it)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
    return target


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"\x00\x01\x02 definitely not a workbook" * 10)
    error = refused(path)
    assert error.code == "import.wrong-content"


def test_xlsx_that_is_really_csv(tmp_path: Path) -> None:
    path = tmp_path / "rastet.xlsx"
    path.write_text("Kodi i rastit;Statusi\nAL-02-C-2019-0001;VT\n", encoding="utf-8")
    error = refused(path)
    assert "CSV" in error.message_en and error.code == "import.wrong-content"


def test_xlsx_that_is_really_an_image(tmp_path: Path) -> None:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    error = refused(path)
    assert "PNG image" in error.message_en
    assert "imazh PNG" in error.message_sq


def test_truncated_zip(tmp_path: Path, workbook: Path) -> None:
    path = tmp_path / "cut.xlsx"
    path.write_bytes(workbook.read_bytes()[: workbook.stat().st_size // 2])
    error = refused(path)
    assert error.code == "import.damaged"


def test_empty_file(tmp_path: Path) -> None:
    for name in ("empty.xlsx", "empty.csv", "empty.json"):
        path = tmp_path / name
        path.write_bytes(b"")
        assert refused(path).code == "import.empty"


def test_zip_bomb_refused_before_decompressing(tmp_path: Path, workbook: Path) -> None:
    """A 1 GiB part of zeros compresses to about 1 MiB: refused from the directory alone."""
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(workbook) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
        with new.open("xl/worksheets/sheet99.xml", "w") as part:
            chunk = b"\x00" * MIB
            for _ in range(1024):
                part.write(chunk)
    assert path.stat().st_size < 4 * MIB
    error = refused(path, bound=16 * MIB)
    assert error.code == "import.zip-bomb"


def test_zip_bomb_under_a_lower_uncompressed_limit(tmp_path: Path, workbook: Path) -> None:
    limits = replace(ImportLimits(), max_uncompressed_bytes=10_000)
    error = refused(workbook, ImportOptions(limits=limits))
    assert error.code == "import.zip-bomb"


def test_lying_zip_directory_caught_while_streaming(tmp_path: Path, workbook: Path) -> None:
    """A part that declares a small size but holds more is stopped at the declared size."""
    path = tmp_path / "liar.xlsx"
    data = bytearray(workbook.read_bytes())
    with zipfile.ZipFile(workbook) as archive:
        info = archive.getinfo("xl/worksheets/sheet4.xml")
    # Patch the central directory's uncompressed size of that part to 100 bytes.
    marker = b"PK\x01\x02"
    start = 0
    while True:
        start = data.index(marker, start)
        name_len = int.from_bytes(data[start + 28 : start + 30], "little")
        name = bytes(data[start + 46 : start + 46 + name_len])
        if name == info.filename.encode():
            data[start + 24 : start + 28] = (100).to_bytes(4, "little")
            break
        start += 4
    path.write_bytes(bytes(data))
    error = refused(path)
    assert error.code in ("import.zip-bomb", "import.damaged")


def test_xml_entity_expansion_refused(tmp_path: Path, workbook: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">'.encode()
            for i in range(1, 10)
        )
        + b"]>\n"
    )

    def poison(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet4.xml":
            body = data.split(b"?>", 1)[-1]
            return laughs + body.replace(b"<sheetData>", b"<sheetData><!-- &lol9; -->", 1)
        return data

    path = rewrite(workbook, tmp_path / "lol.xlsx", poison)
    error = refused(path)
    assert error.code == "import.xml-doctype"
    assert "DOCTYPE" in error.message_en


def test_sparse_far_cell_refused(tmp_path: Path, workbook: Path) -> None:
    """One cell at XFD1048576 would make a reader allocate the whole sheet rectangle."""

    def far(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet4.xml":
            return data.replace(
                b"</sheetData>",
                b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                b"</sheetData>",
            )
        return data

    path = rewrite(workbook, tmp_path / "far.xlsx", far)
    assert refused(path, bound=32 * MIB).code == "import.too-many-rows"


def test_too_many_rows(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    write_template(path, generate_submission("AL-02", 2024, cases=60, activities=1))
    limits = replace(ImportLimits(), max_rows=20)
    error = refused(path, ImportOptions(limits=limits))
    assert error.code == "import.too-many-rows"
    assert "--" not in error.message_en + error.message_sq  # the command line adds its flag


def test_too_many_csv_rows(tmp_path: Path) -> None:
    path = tmp_path / "rastet.csv"
    path.write_text("Kodi i rastit;Statusi\n" + "AL-02-C-2019-0001;VT\n" * 200, encoding="utf-8")
    limits = replace(ImportLimits(), max_rows=50)
    assert refused(path, ImportOptions(limits=limits)).code == "import.too-many-rows"


def test_huge_csv_line(tmp_path: Path) -> None:
    path = tmp_path / "rastet.csv"
    path.write_bytes(b"Kodi i rastit;Statusi\n" + b"A" * (8 * MIB) + b";VT\n")
    error = refused(path, bound=160 * MIB)
    assert error.code in ("import.bad-csv", "import.field-too-long")


def test_runaway_quote_in_csv(tmp_path: Path) -> None:
    path = tmp_path / "rastet.csv"
    path.write_bytes(b'Kodi i rastit;Statusi\n"AL-02' + b"x\n" * 200_000 + b";VT\n")
    error = refused(path, bound=64 * MIB)
    assert error.code in ("import.bad-csv", "import.field-too-long")


def test_file_over_the_size_limit(tmp_path: Path, workbook: Path) -> None:
    limits = replace(ImportLimits(), max_file_bytes=1000)
    assert refused(workbook, ImportOptions(limits=limits)).code == "import.too-large"


def test_binary_csv(tmp_path: Path) -> None:
    path = tmp_path / "rastet.csv"
    path.write_bytes(b"Kodi;Statusi\n\x00\x01\x02\x03")
    assert refused(path).code in ("import.not-csv", "import.wrong-content")


def test_json_that_is_not_a_submission(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"format": "krat-submission", "schema_version": 5}', encoding="utf-8")
    assert refused(path).code in ("import.not-a-submission", "import.wrong-content")


@pytest.mark.parametrize(
    "content",
    [b"", b"PK\x03\x04 truncated", b"\x89PNG\r\n\x1a\n....", b"a;b\n1;2\n"],
)
def test_cli_gives_one_line_and_exit_2(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["import", str(path), "-o", str(tmp_path / "out.json")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert str(path) in result.output
    assert not (tmp_path / "out.json").exists()


# --- issue 11: bounded memory whatever the structure --------------------------------------


def test_cells_without_references_are_counted(tmp_path: Path, workbook: Path) -> None:
    """A row of 5,000 ``<c>`` without ``r`` is 5,000 columns wide: refused before any reader."""
    wide = b"<row>" + b"<c><v>1</v></c>" * 5_000 + b"</row>"

    def no_refs(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet4.xml":
            return data.replace(b"</sheetData>", wide + b"</sheetData>")
        return data

    path = rewrite(workbook, tmp_path / "noref.xlsx", no_refs)
    error = refused(path, bound=32 * MIB)
    assert error.code == "import.too-many-rows"
    assert "column 5,0" in error.message_en


def test_rows_without_references_are_counted(tmp_path: Path, workbook: Path) -> None:
    rows = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 100

    def no_refs(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet4.xml":
            return data.replace(b"</sheetData>", rows + b"</sheetData>")
        return data

    path = rewrite(workbook, tmp_path / "rows.xlsx", no_refs)
    limits = replace(ImportLimits(), max_rows=50)
    assert refused(path, ImportOptions(limits=limits)).code == "import.too-many-rows"


def test_a_huge_declared_dimension_is_refused(tmp_path: Path, workbook: Path) -> None:
    def dimension(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet4.xml":
            return data.replace(b"<sheetViews>", b'<dimension ref="A1:XFD1048576"/><sheetViews>')
        return data

    path = rewrite(workbook, tmp_path / "dim.xlsx", dimension)
    assert refused(path, bound=32 * MIB).code == "import.too-many-rows"


def test_shared_strings_are_bounded_by_count_and_size(
    tmp_path: Path, workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from krat_core.importing import guards

    path = tmp_path / "strings.xlsx"
    path.write_bytes(workbook.read_bytes())
    strings = b'<sst xmlns="x" count="9">' + b"<si><t>x</t></si>" * 9 + b"</sst>"
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", strings)
    workbook = path
    monkeypatch.setattr(guards, "MAX_SHARED_STRINGS", 5)
    error = refused(workbook)
    assert error.code == "import.too-many-strings"
    assert "the limit is 5 strings" in error.message_en
    monkeypatch.setattr(guards, "MAX_SHARED_STRINGS", 2_000_000)
    monkeypatch.setattr(guards, "MAX_SHARED_STRINGS_BYTES", 100)
    assert refused(workbook).code == "import.too-many-strings"


def test_csv_has_the_workbook_column_limit(tmp_path: Path) -> None:
    path = tmp_path / "rastet.csv"
    path.write_text("Kodi i rastit;Statusi\n" + ";".join(["x"] * 2_000) + "\n", encoding="utf-8")
    error = refused(path)
    assert error.code == "import.too-many-columns"
    assert "2,000 fields; the limit is 1024 columns" in error.message_en


def test_findings_are_capped_per_code_with_a_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from krat_core.importing import reader

    monkeypatch.setattr(reader, "FINDINGS_PER_CODE", 10)
    path = tmp_path / "rastet.csv"
    header = "id,subject_ref,status,identified_on,identification_source,sex,minor\n"
    good = "AL-02-C-2024-0001," + "a" * 64 + ",victim,01.02.2024,police,female,no\n"
    path.write_text(header + good + "x\n" * 500, encoding="utf-8")
    result = import_files([path], ImportOptions(region="AL-02", period="2024"), REGISTRY)
    assert result.rows_rejected == 500 and len(result.submission.cases) == 1
    by_code: dict[str, list[object]] = {}
    for finding in result.findings:
        by_code.setdefault(finding.code, []).append(finding)
    summaries = [f for f in result.findings if f.extra.get("more")]
    assert summaries, "a summary finding per capped code"
    for summary in summaries:
        assert len(by_code[summary.code]) == 11  # 10 kept + the summary
        assert f"more findings like this ({summary.code})" in summary.message_en
        assert summary.position is not None and summary.position.file == str(path)
    from krat_core.plugins.testing import check_rows_accounted

    check_rows_accounted(result)  # the summaries account for the rows beyond the cap
