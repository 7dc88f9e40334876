"""The XLSX importer and the official template: round trip, findings with positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from krat_core.descriptors import ImportOptions
from krat_core.importing import import_files
from krat_core.models import Submission
from krat_core.plugins import load_plugins
from krat_core.synthetic import generate_submission
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
