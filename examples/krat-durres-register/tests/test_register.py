"""The Durrës register importer: the KRAT plugin contract, plus what is special to the register."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from krat_core.errors import ImportFailed
from krat_core.format.canonical import dump_submission
from krat_core.format.pseudonym import subject_ref
from krat_core.plugins.descriptors import Importer, ImportOptions
from krat_core.plugins.testing import ImporterContract, check_importer

from conftest import KEY
from krat_durres_register.register import (
    COLUMNS,
    IMPORTER,
    SHEET,
    CellError,
    _date,
    _whole,
    read_register,
)
from krat_durres_register.sample import write_register


class TestDurresRegisterContract(ImporterContract):
    """Every check of KRAT's importer contract, each as its own test."""

    @pytest.fixture
    def importer(self) -> Importer:
        return IMPORTER

    @pytest.fixture
    def good_files(self, good_register: Path) -> list[Path]:
        return [good_register]

    @pytest.fixture
    def bad_files(self, bad_register: Path) -> list[Path]:
        return [bad_register]

    @pytest.fixture
    def import_options(self, options: ImportOptions) -> ImportOptions:
        return options

    @pytest.fixture
    def expected_rows(self) -> dict[str, int]:
        return {"regjistri-2024.xlsx": 30}


def test_the_whole_contract_in_one_call(
    good_register: Path, bad_register: Path, options: ImportOptions, tmp_path: Path
) -> None:
    check_importer(
        IMPORTER,
        [good_register],
        [bad_register],
        options=options,
        expected_rows={"regjistri-2024.xlsx": 30},
        tmp_path=tmp_path,
    )


def test_reads_every_field_as_the_register_has_it(
    good_register: Path, options: ImportOptions, source: Any
) -> None:
    result = read_register([good_register], options)
    assert result.rows_read == 30 and result.rows_rejected == 0
    assert result.counts[0].blank == 2
    got = result.submission
    assert (got.region, got.period) == ("AL-02", "2024")
    assert [c.id for c in got.cases] == [f"AL-02-C-2024-{n:04d}" for n in range(1, 31)]
    for read, original in zip(got.cases, source.cases, strict=True):
        assert read.identified_on == original.identified_on
        assert read.sex == original.sex and read.status == original.status
        assert read.age_at_identification == original.age_at_identification
        assert read.minor == original.minor
        assert read.exploitation_types == original.exploitation_types
        assert read.identification_source == original.identification_source
        assert read.scope == original.scope
        assert read.countries_of_exploitation == original.countries_of_exploitation
        assert (read.referral.referred_on if read.referral else None) == (
            original.referral.referred_on if original.referral else None
        )
        assert read.extensions["durres.register"]["nr"] == int(read.id[-4:])
    known = {i.id for i in got.institutions}
    assert {c.identified_by for c in got.cases if c.identified_by} <= known


def test_names_become_subject_ref_and_never_leave_the_importer(
    good_register: Path, options: ImportOptions
) -> None:
    result = read_register([good_register], options)
    data = dump_submission(result.submission).decode("utf-8")
    assert "Emër-" not in data and "Sintetik" not in data
    first = result.submission.cases[0]
    assert first.subject_ref == subject_ref(KEY, "Emër-001", "Sintetik", None, first.sex.value)


def test_bad_rows_are_reported_at_their_cell_and_the_good_rows_imported(
    bad_register: Path, options: ImportOptions
) -> None:
    result = read_register([bad_register], options)
    assert (result.rows_read, len(result.submission.cases), result.rows_rejected) == (8, 4, 4)
    where = sorted(
        (f.position.row, f.position.column) for f in result.findings if f.position is not None
    )
    # Title, blank, header: data starts on row 4.
    assert where == [
        (4, "Data e identifikimit"),
        (5, "Gjinia"),
        (6, "Mosha"),
        (7, "Statusi (VT/VMT)"),
    ]
    assert all(f.position and f.position.sheet == SHEET for f in result.findings)
    date_finding = next(f for f in result.findings if f.position and f.position.row == 4)
    assert "32.13.2024" in date_finding.message_en and "nuk është datë" in date_finding.message_sq


def test_headers_in_another_order_and_spelling_are_found(
    tmp_path: Path, rows: list[dict[str, Any]], options: ImportOptions
) -> None:
    headers = list(reversed(COLUMNS.values()))
    path = write_register(tmp_path / "r.xlsx", rows[:5], headers=headers)
    # Retype the headers the way people do: upper case, no accents.
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    for cell in workbook[SHEET][3]:
        cell.value = str(cell.value).upper().replace("Ë", "E")
    workbook.save(path)
    result = read_register([path], options)
    assert len(result.submission.cases) == 5 and not result.findings


def test_a_missing_required_column_is_a_clear_error(
    tmp_path: Path, rows: list[dict[str, Any]], options: ImportOptions
) -> None:
    headers = [h for h in COLUMNS.values() if h != "Gjinia"]
    path = write_register(tmp_path / "r.xlsx", rows[:3], headers=headers)
    with pytest.raises(ImportFailed, match="no column 'Gjinia'"):
        read_register([path], options)


def test_without_the_national_key_the_register_is_refused(good_register: Path) -> None:
    with pytest.raises(ImportFailed, match="national key"):
        read_register([good_register], ImportOptions())


def test_sniff_recognises_the_register_and_nothing_else(
    good_register: Path, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    assert IMPORTER.claims(good_register, good_register.read_bytes()[:8192])
    other = tmp_path / "template.xlsx"
    workbook = Workbook()
    workbook.active.title = "Rastet"
    workbook.save(other)
    assert not IMPORTER.claims(other, other.read_bytes()[:8192])


def test_the_plugin_module_imports_nothing_heavy() -> None:
    code = (
        "import sys, krat_durres_register\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'python_calamine', 'openpyxl', 'pydantic'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_written_the_albanian_way_read_back(day: date) -> None:
    assert _date(day.strftime("%d.%m.%Y")) == day
    assert _date(day.isoformat()) == day


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=20), st.floats(allow_nan=True), st.integers()))
def test_cell_parsers_only_ever_raise_cell_error(value: Any) -> None:
    for parser in (_date, _whole):
        try:
            parser(value)
        except CellError as exc:
            assert exc.texts["en"] and exc.texts["sq"]
