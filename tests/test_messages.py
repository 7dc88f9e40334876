"""The message catalog mechanism: both languages, CLDR plurals, one formatter per language."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krat_core.errors import KratError, UnknownLanguage
from krat_core.messages import (
    LANGUAGES,
    Message,
    Plural,
    check_language,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    plural_category,
)

ERRORS = Message(
    sq=Plural(one="{n} gabim", other="{n} gabime"),
    en=Plural(one="{n} error", other="{n} errors"),
)


@pytest.mark.parametrize(
    "n,sq,en",
    [(0, "0 gabime", "0 errors"), (1, "1 gabim", "1 error"), (2, "2 gabime", "2 errors")],
)
def test_plural_forms_for_zero_one_and_two(n: int, sq: str, en: str) -> None:
    assert ERRORS.text("sq", n=n) == sq
    assert ERRORS.text("en", n=n) == en
    assert ERRORS.both(n=n) == {"sq": sq, "en": en}


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_only_exactly_one_is_singular_in_both_languages(n: int) -> None:
    for lang in LANGUAGES:
        assert plural_category(n, lang) == ("one" if abs(n) == 1 else "other")


def test_the_count_argument_chooses_the_form() -> None:
    cells = Message(
        sq=Plural(
            one="{cells} qelizë e shënuar në {file}", other="{cells} qeliza të shënuara në {file}"
        ),
        en=Plural(one="{cells} cell marked in {file}", other="{cells} cells marked in {file}"),
        count="cells",
    )
    assert cells.text("sq", cells=1, file="a.xlsx") == "1 qelizë e shënuar në a.xlsx"
    assert cells.text("sq", cells=3, file="a.xlsx") == "3 qeliza të shënuara në a.xlsx"


def test_the_count_of_a_plural_is_grouped_for_its_language() -> None:
    """A count of things reads as the reports print figures ("80 004 gabime", "80,004
    errors"), not "80004"; other placeholders (a year, a row) are left as they are."""
    assert ERRORS.text("sq", n=80004) == "80\u00a0004 gabime"
    assert ERRORS.text("en", n=80004) == "80,004 errors"
    year = Message(
        sq=Plural(one="{n} rast në {year}", other="{n} raste në {year}"),
        en=Plural(one="{n} case in {year}", other="{n} cases in {year}"),
    )
    assert year.text("en", n=2024, year=2024) == "2,024 cases in 2024"
    cells = Message(
        sq=Plural(one="{cells:,} qelizë", other="{cells:,} qeliza"),
        en=Plural(one="{cells:,} cell", other="{cells:,} cells"),
        count="cells",
    )
    assert cells.text("sq", cells=12345) == "12\u00a0345 qeliza"


def test_both_languages_must_use_the_same_placeholders() -> None:
    with pytest.raises(ValueError, match="placeholders"):
        Message(sq="rreshti {row}", en="row {line}")
    with pytest.raises(ValueError, match="placeholders"):
        Message(sq=Plural(one="një rresht", other="{n} rreshta"), en="{count} rows")


def test_an_unknown_language_is_a_krat_error() -> None:
    with pytest.raises(UnknownLanguage, match="'de'"):
        ERRORS.text("de", n=1)
    assert issubclass(UnknownLanguage, KratError)
    assert check_language("en") == "en"


def test_numbers_follow_the_language() -> None:
    assert format_number(1234567, "sq") == "1\u00a0234\u00a0567"
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(3.75, "sq") == "3,75"
    assert format_number(3.75, "en", decimals=1) == "3.8"
    assert format_percent(0.037, "sq", sign=True) == "+3,7\u00a0%"
    assert format_percent(-0.037, "en") == "−3.7%"


def test_dates_follow_the_language() -> None:
    assert format_date(date(2024, 2, 13), "sq") == "13.02.2024"
    assert format_date(date(2024, 2, 13), "en") == "2024-02-13"
    assert format_date(datetime(2024, 2, 13, 9, 30), "sq") == "13.02.2024"
    assert format_datetime(datetime(2024, 2, 13, 9, 30), "sq") == "13.02.2024 09:30"
