"""The HTCDS export against the standard's own field list (HTCDS Field Standards 2.0).

The export's header follows the Excel template (tests/test_report_outputs.py); this checks
the names and the values against the field standard itself: every column that is not a
KRAT addition (``krat_*``) is a field of the standard, and every value written in a picklist
column is one of that field's value names. Both are read from the standard's TSV, so a
misspelt field or an invented code fails here, whatever the template says.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import openpyxl
import pytest

from krat_core.combine import CombineInput, combine
from krat_core.format.canonical import dump_submission
from krat_core.format.models import Submission
from krat_core.plugins.descriptors import ExportOptions
from krat_core.plugins.manager import load_plugins
from krat_core.reporting import export

STANDARD = Path(__file__).parent / "data" / "htcds-2.0" / "HTCDS Field Standards 2.0.tsv"


def _standard() -> dict[str, tuple[str, list[str]]]:
    """Field name (with prefix) -> (field type, picklist value names)."""
    fields: dict[str, tuple[str, list[str]]] = {}
    with STANDARD.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    header = rows[1]
    name, kind, values = (
        header.index(h)
        for h in ("Field Name including Prefix", "Field Type", "Value Names (if picklist)")
    )
    for row in rows[2:]:
        if len(row) > name and row[name]:
            listed = row[values].strip() if len(row) > values else ""
            names = [v.strip() for v in listed.split("/")] if listed else []
            fields[row[name]] = (row[kind], names)
    return fields


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, national_2024: list[Submission]):
    inputs = [
        CombineInput(f"{s.region}.json", hashlib.sha256(dump_submission(s)).hexdigest(), s)
        for s in national_2024
    ]
    dataset = combine(inputs, period="2024").dataset
    path = tmp_path_factory.mktemp("htcds") / "htcds.xlsx"
    export(
        dataset, path, format="htcds", options=ExportOptions(records=True), registry=load_plugins()
    )
    sheet = openpyxl.load_workbook(path, read_only=True)["Sheet1"]
    rows = list(sheet.iter_rows(values_only=True))
    return [h for h in rows[0]], rows[2:]


def test_the_standard_is_read() -> None:
    fields = _standard()
    assert len(fields) > 80
    kind, values = fields["vic_TypeOfExploitation"]
    assert "Picklist" in kind and "ForcedBegging" in values and "Other" in values


def test_every_standard_column_is_a_field_of_the_standard(exported) -> None:
    header, _ = exported
    fields = _standard()
    unknown = [h for h in header if h and not h.startswith("krat_") and h not in fields]
    assert unknown == []
    assert "vic_TraffickingStatusDecisionMakingOrg" in header  # the template misspells it


def test_every_picklist_value_is_a_value_of_the_standard(exported) -> None:
    header, rows = exported
    fields = _standard()
    checked = 0
    for col, name in enumerate(header):
        if not name or name not in fields or "Picklist" not in fields[name][0]:
            continue
        allowed = set(fields[name][1])
        iso = len(allowed) == 1 and next(iter(allowed)).startswith("Use ISO 3166")
        for row in rows:
            cell = row[col]
            if cell in (None, ""):
                continue
            for value in str(cell).split(";"):
                if iso:  # the standard names no values: ISO 3166-1 alpha-2 codes
                    assert re.fullmatch("[A-Z]{2}", value), (name, value)
                else:
                    assert value in allowed, (name, value)
                checked += 1
    assert checked > 100  # the demo data fills the picklists: the check ran on real values
