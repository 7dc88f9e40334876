"""Property: any valid submission -> filled official template -> import -> the same records."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from krat_core.format.models import Submission
from krat_core.plugins.descriptors import ImportOptions
from krat_core.plugins.manager import load_plugins
from krat_plugins.exporters.template import write_template
from krat_plugins.importers.xlsx import read as read_xlsx
from strategies import submissions

REGISTRY = load_plugins()


def comparable(submission: Submission) -> Submission:
    """What a workbook carries: everything but the importing software's own header fields."""
    return submission.model_copy(update={"generator": None, "schema_version": None})


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(submissions())
def test_records_to_workbook_to_records(original: Submission) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        write_template(path, original, lang="sq")
        result = read_xlsx([path], ImportOptions())
    assert result.findings == []
    assert comparable(result.submission) == comparable(original)
    assert all(c.rows_read == c.records and c.rejected == 0 for c in result.counts)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(submissions())
def test_english_workbook_round_trip(original: Submission) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        write_template(path, original, lang="en")
        result = read_xlsx([path], ImportOptions())
    assert result.findings == []
    assert comparable(result.submission) == comparable(original)
