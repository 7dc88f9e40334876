"""Fixture workbooks, built from synthetic data in each test run (nothing is committed)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from krat_core.demo.synthetic import generate_submission
from krat_core.plugins.descriptors import ImportOptions

from krat_durres_register.sample import BAD_ROWS, register_rows, write_register

KEY = hashlib.sha256(b"krat-durres-register tests: synthetic key").digest()
"""A pseudonymisation key for the tests only (real keys come from `krat key new`)."""


@pytest.fixture(scope="session")
def source() -> Any:
    """The synthetic AL-02 submission the register rows are made from."""
    return generate_submission("AL-02", 2024, cases=30, activities=0, seed=7)


@pytest.fixture(scope="session")
def rows(source: Any) -> list[dict[str, Any]]:
    return register_rows(source)


@pytest.fixture
def options() -> ImportOptions:
    return ImportOptions(key=KEY)


@pytest.fixture
def good_register(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    """30 good rows, with two blank rows in between (as people leave them)."""
    return write_register(tmp_path / "regjistri-2024.xlsx", rows, blank_rows_after=(10, 20))


@pytest.fixture
def bad_register(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    """Rows 1-4 each have one bad cell (BAD_ROWS); rows 5-8 are good."""
    bad = [{**row, **change} for row, change in zip(rows, BAD_ROWS, strict=False)]
    return write_register(tmp_path / "regjistri-gabime.xlsx", bad + rows[4:8])
