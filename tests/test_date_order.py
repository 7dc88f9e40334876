"""Issue 11, item 11: month-first dates in a CSV file are never swapped silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from krat_core.cli import cli
from krat_core.errors import ImportRefused
from krat_core.importing import import_files
from krat_core.plugins.descriptors import ImportOptions
from krat_core.plugins.manager import load_plugins
from krat_plugins.importers.csv import date_order

REGISTRY = load_plugins(env={"KRAT_PLUGINS": ""})
HEADER = "id,subject_ref,status,identified_on,identification_source,sex,minor\n"


def _cases(tmp_path: Path, dates: list[str]) -> Path:
    path = tmp_path / "rastet.csv"
    rows = [
        f"AL-02-C-2024-{i:04d},{i:064x},victim,{d},police,female,no"
        for i, d in enumerate(dates, start=1)
    ]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _identified(path: Path, order: str | None) -> list[str]:
    options = ImportOptions(region="AL-02", period="2024", date_order=order)  # type: ignore[arg-type]
    result = import_files([path], options, REGISTRY)
    return [c.identified_on.isoformat() for c in result.submission.cases]


def test_a_us_locale_file_is_refused_asking_for_the_order(tmp_path: Path) -> None:
    path = _cases(tmp_path, ["03/04/2024", "02/13/2024"])
    with pytest.raises(ImportRefused) as info:
        _identified(path, None)
    assert info.value.code == "import.date-order"
    assert "02/13/2024 put the month first" in info.value.message_en
    assert _identified(path, "mdy") == ["2024-03-04", "2024-02-13"]


def test_day_first_files_read_as_before(tmp_path: Path) -> None:
    path = _cases(tmp_path, ["03.04.2024", "13/02/2024"])
    assert _identified(path, None) == ["2024-04-03", "2024-02-13"]


def test_a_mixed_file_is_refused_naming_both(tmp_path: Path) -> None:
    path = _cases(tmp_path, ["13/02/2024", "02/13/2024"])
    with pytest.raises(ImportRefused) as info:
        _identified(path, None)
    assert "(02/13/2024)" in info.value.message_en and "(13/02/2024)" in info.value.message_en


def test_cli_says_which_option_to_give(tmp_path: Path) -> None:
    path = _cases(tmp_path, ["02/13/2024"])
    runner = CliRunner()
    result = runner.invoke(
        cli, ["import", str(path), "--region", "AL-02", "--period", "2024", "--lang", "en"]
    )
    assert result.exit_code == 2
    assert "--date-order dmy" in result.output and "Traceback" not in result.output
    ok = runner.invoke(
        cli,
        ["import", str(path), "--region", "AL-02", "--period", "2024", "--date-order", "mdy"],
    )
    assert ok.exit_code == 0, ok.output


@given(st.dates(), st.sampled_from(["/", ".", "-"]))
def test_a_month_first_date_with_a_day_over_12_is_always_detected(day: object, sep: str) -> None:
    from datetime import date

    assert isinstance(day, date)
    text = f"x,{day.month:02d}{sep}{day.day:02d}{sep}{day.year:04d}\n"
    if day.day > 12:
        with pytest.raises(ImportRefused):
            date_order([text], [Path("x.csv")])
    else:
        assert date_order([text], [Path("x.csv")]) == "dmy"
