"""The workbook's tab names: valid for Excel, whole words, readable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from krat_plugins.exporters.xlsx import sheet_name


def test_a_long_title_with_a_heading_is_named_by_its_heading() -> None:
    title = "Referimi: rastet e referuara dhe ditët nga identifikimi deri te referimi"
    assert sheet_name(10, title) == "10 Referimi"
    assert sheet_name(18, "Plani i veprimit: objektivat dhe treguesit") == "18 Plani i veprimit"


def test_a_title_that_fits_keeps_its_colon_part() -> None:
    assert sheet_name(3, "Raste: sipas gjinisë") == "03 Raste sipas gjinisë"


def test_a_long_title_is_cut_after_a_whole_word() -> None:
    name = sheet_name(16, "Kalendari kombëtar sipas ditës së shënuar dhe qarkut")
    assert name == "16 Kalendari kombëtar"


@given(st.integers(min_value=0, max_value=99), st.text(min_size=1, max_size=200))
def test_any_title_gives_a_valid_tab_name(index: int, title: str) -> None:
    name = sheet_name(index, title)
    assert 3 <= len(name) <= 31
    assert not set(name) & set("[]:*?/\\")
    assert name.startswith(f"{index:02d}")
    assert not name.startswith("'") and not name.endswith("'")
