"""The XLSX importer and the official template: round trip, findings with positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from krat_core.demo.synthetic import generate_submission
from krat_core.format.models import Submission
from krat_core.importing import import_files
from krat_core.plugins.descriptors import ImportOptions
from krat_core.plugins.manager import load_plugins
from krat_plugins.exporters.template import write_template


@pytest.fixture(scope="module")
def registry():  # type: ignore[no-untyped-def]
    return load_plugins()


def same_data(a: Submission, b: Submission) -> bool:
    """Equal apart from what describes the importing software (generator, schema_version)."""
    return a.model_copy(update={"generator": b.generator, "schema_version": b.schema_version}) == b


def test_filled_template_imports_back_identical(tmp_path: Path, registry) -> None:  # type: ignore[no-untyped-def]
    original = generate_submission("AL-02", 2024)
    path = tmp_path / "durres.xlsx"
    write_template(path, original)
    result = import_files([path], ImportOptions(), registry)
    assert result.findings == []
    assert same_data(result.submission, original)
    assert result.rows_read == sum(c.records for c in result.counts)
    case = next(c for c in original.cases if c.assistance)
    where = result.locate("case", case.id, "/identified_on")
    assert (
        where is not None and where.sheet == "Rastet" and where.column == "Data e identifikimit *"
    )
    assert where.row == 3 + original.cases.index(case)


def test_english_template_imports_back_identical(tmp_path: Path, registry) -> None:  # type: ignore[no-untyped-def]
    original = generate_submission("AL-11", 2023)
    path = tmp_path / "tirana.xlsx"
    write_template(path, original, lang="en")
    result = import_files([path], ImportOptions(), registry)
    assert result.findings == []
    assert same_data(result.submission, original)


def test_command_line_region_disagreeing_with_the_file_is_a_warning(
    tmp_path: Path, registry
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "blank.xlsx"
    write_template(path, region="AL-02", period="2024")
    options = ImportOptions(region="AL-03", period="2024", nil_return=True)
    result = import_files([path], options, registry)
    (finding,) = result.findings
    assert finding.code == "import.header-conflict" and finding.severity.value == "warning"
    assert finding.position is not None and finding.position.sheet == "Dorëzimi"
    assert result.submission.region == "AL-02"


def test_mixed_importers_merge_and_reject_repeated_ids(tmp_path: Path, registry) -> None:  # type: ignore[no-untyped-def]
    from krat_core.format.canonical import dump_submission

    original = generate_submission("AL-08", 2024)
    workbook = tmp_path / "lezhe.xlsx"
    write_template(workbook, original)
    again = tmp_path / "again.json"
    again.write_bytes(dump_submission(original.model_copy(update={"cases": original.cases[:2]})))
    result = import_files([workbook, again], ImportOptions(), registry)
    assert [f.code for f in result.findings] == ["import.duplicate-id"] * 2 + [
        "import.duplicate-id"
    ] * (len(original.institutions) + len(original.activities) + len(original.objectives))
    assert result.submission.cases == original.cases
    for count in result.counts:
        assert count.rows_read == count.records + count.rejected
    assert result.rows_rejected == len(result.findings)


def test_json_submission_with_one_bad_record_keeps_the_others(tmp_path: Path, registry) -> None:  # type: ignore[no-untyped-def]
    import orjson

    original = generate_submission("AL-09", 2024)
    data = original.model_dump(mode="json")
    data["cases"][0]["identified_on"] = "31.02.2024"
    path = tmp_path / "dibra.json"
    path.write_bytes(orjson.dumps(data))
    result = import_files([path], ImportOptions(), registry)
    (finding,) = result.findings
    assert finding.pointer == "/identified_on" and finding.record_id == original.cases[0].id
    assert finding.position is not None and finding.position.row == 1
    assert result.submission.cases == original.cases[1:]
    assert result.locate("case", original.cases[1].id) is not None
