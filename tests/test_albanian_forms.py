"""Albanian and English forms for 0, 1 and 2 of the counted messages of issue 14.

The rules are written down in ``krat_core.messages``' docstring; these are the
exact forms a reader of Albanian checked, so a change to a message is a change
to this list.
"""

from __future__ import annotations

import pytest

from krat_core.cli.import_cmd import MORE
from krat_core.cli.validate_cmd import ANNOTATED
from krat_core.findings import Severity
from krat_core.importing.reader import STRAY_ROWS
from krat_core.validation.batch import INVALID_WORD, UNREADABLE, VALID_WORD


@pytest.mark.parametrize(
    ("n", "sq", "en"),
    [
        (0, "0 gabime", "0 errors"),
        (1, "1 gabim", "1 error"),
        (2, "2 gabime", "2 errors"),
    ],
)
def test_error_counts(n: int, sq: str, en: str) -> None:
    assert Severity.ERROR.counted(n, "sq") == sq and Severity.ERROR.counted(n, "en") == en


@pytest.mark.parametrize(
    ("n", "sq"), [(0, "0 paralajmërime"), (1, "1 paralajmërim"), (2, "2 paralajmërime")]
)
def test_warning_counts(n: int, sq: str) -> None:
    assert Severity.WARNING.counted(n, "sq") == sq


@pytest.mark.parametrize(
    ("n", "sq", "en"),
    [
        (0, "krat: u shkrua a.xlsx (0 qeliza të shënuara)", "krat: wrote a.xlsx (0 cells marked)"),
        (1, "krat: u shkrua a.xlsx (1 qelizë e shënuar)", "krat: wrote a.xlsx (1 cell marked)"),
        (2, "krat: u shkrua a.xlsx (2 qeliza të shënuara)", "krat: wrote a.xlsx (2 cells marked)"),
    ],
)
def test_marked_cells_agree_in_number(n: int, sq: str, en: str) -> None:
    assert ANNOTATED.text("sq", path="a.xlsx", n=n) == sq
    assert ANNOTATED.text("en", path="a.xlsx", n=n) == en


@pytest.mark.parametrize(
    ("n", "sq", "en"),
    [
        (0, "... dhe 0 të tjera", "... and 0 more"),
        (1, "... dhe 1 tjetër", "... and 1 more"),
        (2, "... dhe 2 të tjera", "... and 2 more"),
    ],
)
def test_and_n_more(n: int, sq: str, en: str) -> None:
    assert MORE.text("sq", n=n) == sq and MORE.text("en", n=n) == en


@pytest.mark.parametrize(
    ("n", "valid", "invalid"),
    [
        (0, "të vlefshme", "jo të vlefshme"),
        (1, "i vlefshëm", "jo i vlefshëm"),
        (2, "të vlefshme", "jo të vlefshme"),
    ],
)
def test_valid_words_agree_with_their_own_count(n: int, valid: str, invalid: str) -> None:
    assert VALID_WORD.text("sq", n=n) == valid and INVALID_WORD.text("sq", n=n) == invalid


@pytest.mark.parametrize(
    ("n", "sq"),
    [
        (0, ", 0 hyrje që nuk u lexuan"),
        (1, ", 1 hyrje që nuk u lexua"),
        (2, ", 2 hyrje që nuk u lexuan"),
    ],
)
def test_unreadable_inputs_verb_agrees(n: int, sq: str) -> None:
    assert UNREADABLE.text("sq", n=n) == sq


def test_stray_rows_one_and_many() -> None:
    one = STRAY_ROWS.both(n=1, rows="7", columns="'Shënime'")
    assert one["sq"].startswith("rreshti 7 ka të dhëna") and "u trajtua si rresht bosh" in one["sq"]
    assert one["en"].startswith("row 7 has content")
    two = STRAY_ROWS.both(n=2, rows="7, 9", columns="'Shënime'")
    assert two["sq"].startswith("2 rreshta (7, 9) kanë të dhëna")
    assert "u trajtuan si rreshta bosh" in two["sq"]
    assert two["en"].startswith("2 rows (7, 9) have content")


def test_required_field_agrees_with_fusha_whatever_the_columns_gender() -> None:
    from krat_core.importing import SHEETS
    from krat_core.importing.required import required_text

    spec = SHEETS["case"]
    source = spec.column("identification_source")  # "Burimi ..." (masculine)
    text = required_text(spec, source, {"sq": "'Burimi i identifikimit'", "en": "'Source'"})
    assert text["sq"] == "fusha 'Burimi i identifikimit' është e detyrueshme dhe është bosh"
    referral = spec.column("referral.referred_on")
    text = required_text(spec, referral, {"sq": "'Data e referimit'", "en": "'Referral date'"})
    assert text["sq"].startswith("fusha 'Data e referimit' është e detyrueshme kur plotësohet")
    assert "is required when any of the columns" in text["en"]
