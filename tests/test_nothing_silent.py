"""Issue 11: every input accounted for (items 1, 3 and 8).

No silent empty import, an explicit nil return, plausible provenance (a submission
dated in the future is an error and never supersedes), file names that disagree
with their content, and the core counting the records for itself.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from krat_core.cli import cli
from krat_core.combine import combine
from krat_core.demo.synthetic import generate_submission
from krat_core.errors import ImportRefused, PluginError
from krat_core.format.canonical import dump_submission, load_submission
from krat_core.format.models import Submission
from krat_core.format.provenance import FUTURE_TOLERANCE, is_future, name_mismatch
from krat_core.importing import import_files
from krat_core.plugins.descriptors import Importer, ImportOptions, ImportResult, SheetCount
from krat_core.plugins.manager import load_plugins
from krat_core.validation.engine import FILE_NAME_MISMATCH, summary_validator, validate
from krat_plugins.exporters.template import write_template

REGISTRY = load_plugins(env={"KRAT_PLUGINS": ""})


def _codes(submission: Submission, sources: tuple[str, ...] = ()) -> dict[str, str]:
    report = validate(submission, REGISTRY, sources=sources)
    return {f.code: f.severity.value for f in report.findings}


def _empty(region: str = "AL-02", **update: object) -> Submission:
    full = generate_submission(region, 2024, cases=2, activities=1)
    return full.model_copy(update={"cases": [], "activities": [], "objectives": [], **update})


# --------------------------------------------------------------------------- item 1


def test_an_untouched_template_is_refused_naming_the_importer(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    write_template(path, region="AL-02", period="2024")
    with pytest.raises(ImportRefused) as info:
        import_files([path], ImportOptions(), REGISTRY)
    assert info.value.code == "import.no-records"
    assert "the xlsx importer found no case, activity or objective" in info.value.message_en
    assert "Rastet" in info.value.message_en  # which sheets it read


def test_a_csv_nobody_recognises_is_refused_not_an_empty_submission(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("colour,size\nred,3\nblue,4\n", encoding="utf-8")
    options = ImportOptions(region="AL-02", period="2024")
    with pytest.raises(ImportRefused) as info:
        import_files([path], options, REGISTRY)
    assert info.value.code == "import.no-records"
    assert "csv" in info.value.message_en


def test_rows_that_all_fail_are_refused_with_the_first_reason(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        "id,status,identified_on\nAL-02-C-2024-0001,victim,not a date\n", encoding="utf-8"
    )
    with pytest.raises(ImportRefused) as info:
        import_files([path], ImportOptions(region="AL-02", period="2024"), REGISTRY)
    assert info.value.code == "import.all-rows-rejected"
    assert "read 1 data row but none became a record" in info.value.message_en
    assert "lexoi 1 rresht të dhënash" in info.value.message_sq


def test_a_declared_nil_return_is_imported_and_validates_without_the_warning(
    tmp_path: Path,
) -> None:
    path = tmp_path / "blank.xlsx"
    write_template(path, region="AL-02", period="2024")
    result = import_files([path], ImportOptions(nil_return=True), REGISTRY)
    assert result.submission.nil_return is True
    assert b'"nil_return":true' in dump_submission(result.submission)
    assert load_submission(dump_submission(result.submission)).nil_return is True
    codes = _codes(result.submission)
    assert "submission.empty-without-nil-return" not in codes
    assert "submission.nil-return-with-records" not in codes


def test_nil_return_survives_the_workbook_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "nil.xlsx"
    write_template(path, _empty(nil_return=True))
    assert import_files([path], ImportOptions(), REGISTRY).submission.nil_return is True


def test_nil_return_false_is_not_written() -> None:
    sub = generate_submission("AL-02", 2024, cases=1, activities=0)
    assert b"nil_return" not in dump_submission(sub)


def test_an_empty_submission_without_declaration_needs_attention_everywhere(
    tmp_path: Path,
) -> None:
    empty = _empty()
    assert _codes(empty)["submission.empty-without-nil-return"] == "warning"
    assert _codes(_empty(nil_return=True)).get("submission.empty-without-nil-return") is None
    nil_with_records = generate_submission("AL-03", 2024, cases=2).model_copy(
        update={"nil_return": True}
    )
    assert _codes(nil_with_records)["submission.nil-return-with-records"] == "error"

    files = []
    for name, sub in (("AL-02.json", empty), ("AL-04.json", _empty("AL-04", nil_return=True))):
        (tmp_path / name).write_bytes(dump_submission(sub))
        files.append(tmp_path / name)
    result = combine(files, period="2024")
    assert result.attention()["empty"] == 1
    text = result.to_text("en")
    assert "received, empty, not declared" in text
    assert "received, nil return (declared)" in text


# --------------------------------------------------------------------------- item 3


def test_a_submission_from_the_future_is_an_error() -> None:
    future = generate_submission("AL-02", 2024, cases=1).model_copy(
        update={"submitted_at": datetime(2099, 1, 1, tzinfo=UTC)}
    )
    assert _codes(future)["submission.submitted-in-future"] == "error"
    now = datetime.now(UTC)
    assert not is_future(now + FUTURE_TOLERANCE - timedelta(seconds=5), now)
    assert is_future(now + FUTURE_TOLERANCE + timedelta(seconds=5), now)


def test_a_future_dated_claim_never_supersedes_the_genuine_region(tmp_path: Path) -> None:
    genuine = generate_submission("AL-02", 2024, cases=3)
    forged = generate_submission("AL-05", 2024, cases=1).model_copy(
        update={"region": "AL-02", "submitted_at": datetime(2099, 1, 1, tzinfo=UTC)}
    )
    later = genuine.model_copy(update={"submitted_at": datetime(2025, 3, 1, tzinfo=UTC)})
    paths = []
    for name, sub in (("AL-02-a.json", genuine), ("AL-05.json", forged), ("AL-02-b.json", later)):
        (tmp_path / name).write_bytes(dump_submission(sub))
        paths.append(tmp_path / name)
    validate_all = summary_validator(REGISTRY)
    result = combine(paths, period="2024", validate=validate_all)
    (accepted,) = [a for a in result.dataset.submissions if a.submission.region == "AL-02"]
    assert accepted.source.file.endswith("AL-02-b.json")  # the latest genuine one
    assert {s.source.file.rsplit("/", 1)[-1] for s in result.dataset.superseded} == {
        "AL-02-a.json",
        "AL-05.json",
    }
    # alone, the forged one is kept (nothing else to choose) but flagged invalid
    alone = combine([paths[1]], period="2024", validate=summary_validator(REGISTRY))
    (cell,) = [c for c in alone.dataset.completeness if c.region == "AL-02"]
    assert cell.invalid is True


@pytest.mark.parametrize(
    ("name", "region", "period", "expected"),
    [
        ("AL-02-2024.json", "AL-02", "2024", (None, None)),
        ("durres-2024.xlsx", "AL-11", "2024", ("AL-02", None)),
        ("tirane_2023-H1.json", "AL-11", "2024-H1", (None, "2023-H1")),
        ("AL-02-2024.json", "AL-02", "2024-H2", (None, None)),
        ("submission.json", "AL-01", "2024", (None, None)),
        ("AL02_2024_H1.csv", "AL-02", "2024-H2", (None, "2024-H1")),
    ],
)
def test_file_name_claims(
    name: str, region: str, period: str, expected: tuple[str | None, str | None]
) -> None:
    assert name_mismatch(name, region, period) == expected


def test_a_file_named_for_another_region_warns_in_validation(
    tmp_path: Path, runner: CliRunner
) -> None:
    sub = generate_submission("AL-11", 2024, cases=1)
    assert _codes(sub, ("AL-02-2024.json",))[FILE_NAME_MISMATCH] == "warning"
    path = tmp_path / "AL-02-2024.json"
    path.write_bytes(dump_submission(sub))
    result = runner.invoke(cli, ["validate", "--lang", "en", str(path)])
    assert "names region AL-02, but the submission is for AL-11" in result.output


# --------------------------------------------------------------------------- item 8


def _dropping_reader(paths: object, options: ImportOptions) -> ImportResult:
    """An importer that loses a record while its counts still say all were read."""
    full = generate_submission("AL-02", 2024, cases=30, activities=0)
    kept = full.model_copy(update={"cases": full.cases[1:], "institutions": [], "objectives": []})
    return ImportResult(
        submission=kept,
        counts=[SheetCount("x.fake", "cases", rows_read=30, records=30, kind="case")],
    )


class _Dropping:
    from krat_core import hookimpl

    @hookimpl
    def krat_importers(self) -> list[Importer]:
        return [Importer(name="dropping", suffixes=(".fake",), read=_dropping_reader)]


def test_import_reconciles_the_records_present_with_the_importers_counts(
    tmp_path: Path,
) -> None:
    path = tmp_path / "x.fake"
    path.write_text("anything", encoding="utf-8")
    registry = load_plugins(plugins=[("dropping", _Dropping())], env={"KRAT_PLUGINS": ""})
    with pytest.raises(PluginError) as info:
        import_files([path], ImportOptions(), registry)
    assert "counts 30 records (kind: case) but the submission holds 29 records" in str(info.value)
    assert info.value.plugin == "dropping"


def test_combine_warns_when_a_file_name_names_another_region(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "AL-02-2024.json"
    path.write_bytes(dump_submission(generate_submission("AL-11", 2024, cases=1)))
    result = runner.invoke(
        cli, ["combine", "-o", str(tmp_path / "n.json"), str(path), "--lang", "en"]
    )
    assert result.exit_code in (0, 1), result.output
    warning = "the file name AL-02-2024.json names AL-02, but its content is AL-11 2024"
    assert warning in result.stderr
    assert "Tirana" in result.stdout  # the data counts for the region it declares
