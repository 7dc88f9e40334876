"""Cell values as people type them: dates, numbers, yes/no, code lists, multi-values."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from krat_core.format.codelists import CODE_LISTS, CaseStatus, CodeList, ExploitationType, Sex
from krat_core.format.textrules import TEXT_PATTERN
from krat_core.importing import (
    SHEETS,
    CellProblem,
    decode_text,
    ooxml_escape,
    parse_bool,
    parse_code,
    parse_country,
    parse_date,
    parse_datetime,
    parse_float,
    parse_id,
    parse_int,
    parse_json_object,
    parse_text,
    split_multi,
    text_cell,
)
from krat_core.safety import neutralise

days = st.dates(min_value=date(1910, 1, 2), max_value=date(2100, 12, 31))


@given(days)
def test_dates_in_every_typed_form(day: date) -> None:
    assert parse_date(day) == day
    assert parse_date(datetime(day.year, day.month, day.day)) == day
    assert parse_date(day.strftime("%d.%m.%Y")) == day
    assert parse_date(f" {day.day}.{day.month}.{day.year} ") == day
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.isoformat() + "T00:00:00") == day
    serial = (day - date(1899, 12, 30)).days
    assert parse_date(float(serial)) == day


@pytest.mark.parametrize(
    "text", ["31.02.2019", "2019-13-01", "13.02.190", "dje", "", "1", "29.02.23"]
)
def test_bad_dates_raise_a_cell_problem(text: str) -> None:
    with pytest.raises(CellProblem) as info:
        parse_date(text)
    assert info.value.code == "import.bad-date"
    assert "13.02.2019" in info.value.expected_en and "13.02.2019" in info.value.expected_sq


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("po", True),
        ("PO", True),
        ("Yes", True),
        ("true", True),
        ("1", True),
        (1.0, True),
        (True, True),
        ("jo", False),
        (" No ", False),
        ("FALSE", False),
        ("0", False),
        (0, False),
    ],
)
def test_booleans(cell: object, expected: bool) -> None:
    assert parse_bool(cell) is expected


@pytest.mark.parametrize("cell", ["ndoshta", "2", 0.5, "", None])
def test_bad_booleans(cell: object) -> None:
    with pytest.raises(CellProblem) as info:
        parse_bool(cell)
    assert info.value.code == "import.bad-boolean"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12", 12.0),
        ("12,5", 12.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1 234", 1234.0),
        ("1\u00a0234,25", 1234.25),
        (7, 7.0),
        ("-3", -3.0),
        ("1.234.567", 1234567.0),
    ],
)
def test_numbers(cell: object, expected: float) -> None:
    assert parse_float(cell) == expected


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_float_text_round_trip(value: float) -> None:
    assert parse_float(repr(value)) == value


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_int_round_trip(value: int) -> None:
    assert parse_int(value) == value
    assert parse_int(float(value)) == value
    assert parse_int(str(value)) == value


@pytest.mark.parametrize("cell", ["12,5", "dymbëdhjetë", "nan", "inf", True, 3.5])
def test_bad_whole_numbers(cell: object) -> None:
    with pytest.raises(CellProblem) as info:
        parse_int(cell)
    assert info.value.code == "import.bad-number"


def _shout(text: str) -> str:
    """How people also type labels: upper case, no accents, extra spaces."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "  " + "  ".join(plain.upper().split()) + " "


@pytest.mark.parametrize("code_list", list(CODE_LISTS.values()), ids=list(CODE_LISTS))
def test_every_code_by_code_label_and_sloppy_label(code_list: type[CodeList]) -> None:
    for member in code_list:
        for spelling in (member.value, member.sq, member.en, _shout(member.sq), _shout(member.en)):
            assert parse_code(spelling, code_list) is member


def test_vt_vmt_abbreviations() -> None:
    assert parse_code("VT", CaseStatus) is CaseStatus.VICTIM
    assert parse_code("vmt", CaseStatus) is CaseStatus.POTENTIAL_VICTIM
    assert parse_code("Viktimë e mundshme e trafikimit", CaseStatus) is CaseStatus.POTENTIAL_VICTIM


def test_unknown_code_lists_the_choices_in_both_languages() -> None:
    with pytest.raises(CellProblem) as info:
        parse_code("ndoshta", Sex)
    assert info.value.code == "import.unknown-code"
    assert "femër" in info.value.expected_sq and "female" in info.value.expected_en


def test_multi_values() -> None:
    assert split_multi(" shfrytëzim seksual ; punë e detyruar;;") == [
        "shfrytëzim seksual",
        "punë e detyruar",
    ]
    column = SHEETS["case"].column("exploitation_types")
    assert column.parse("sexual exploitation; PUNE E DETYRUAR") == [
        ExploitationType.SEXUAL,
        ExploitationType.FORCED_LABOUR,
    ]
    with pytest.raises(CellProblem) as info:
        column.parse("shfrytëzim seksual; diçka")
    assert "diçka" in info.value.expected_en
    assert SHEETS["case"].column("citizenships").parse("al; xk") == ["AL", "XK"]


def test_countries_and_ids() -> None:
    assert parse_country(" it ") == "IT"
    with pytest.raises(CellProblem):
        parse_country("Italy")
    assert parse_id(" al-02-c-2019-0001 ") == "AL-02-C-2019-0001"


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",)).filter(
        lambda c: re.fullmatch(TEXT_PATTERN, c) is not None
    )
)
"""What a single-line text field may hold (docs/format.md, "Text rules")."""


@given(_TEXT)
def test_text_cells_undo_exactly_what_writers_do(text: str) -> None:
    assert parse_text(text_cell(text)) == text
    written = text_cell(text)
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r")) or written == text == ""
    assert neutralise(written) == written


def test_ooxml_escape_protects_literal_escapes() -> None:
    assert ooxml_escape("a_x0041_b") == "a_x005F_x0041_b"
    assert ooxml_escape("\x01") == "_x0001_"


@settings(max_examples=50)
@given(st.text(alphabet="abcçdeëfghijklmnopqrstuvxyzÇË ;,0123456789", max_size=200))
def test_windows_code_pages_detected(text: str) -> None:
    for encoding in ("utf-8", "utf-8-sig", "cp1250", "cp1252"):
        decoded, _ = decode_text(text.encode(encoding), source="x.csv")
        assert decoded.lstrip("\ufeff") == text


def test_cp1250_letters_win_over_cp1252() -> None:
    text = "Bashkia Korçë; Đurić; Šćepan; čaj"
    decoded, encoding = decode_text(text.encode("cp1250"), source="x.csv")
    assert (decoded, encoding) == (text, "cp1250")


def test_excel_serial_range() -> None:
    assert parse_date(43509) == date(2019, 2, 13)
    assert parse_date(43509.75) == date(2019, 2, 13)
    with pytest.raises(CellProblem):
        parse_date(2019)
    assert parse_date(date(2019, 2, 13) + timedelta(0)) == date(2019, 2, 13)


@given(
    st.datetimes(
        min_value=datetime(1910, 1, 2),
        max_value=datetime(2100, 12, 31),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-5))]
        ),
    )
)
def test_timestamps_round_trip_through_iso_text(moment: datetime) -> None:
    assert parse_datetime(moment.isoformat()) == moment
    assert parse_datetime(moment) == moment
    naive = moment.replace(tzinfo=None)
    assert parse_datetime(naive.isoformat()) == naive.replace(tzinfo=UTC)


@given(days)
def test_a_date_alone_is_midnight_utc(day: date) -> None:
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    assert parse_datetime(day) == midnight
    assert parse_datetime(day.strftime("%d.%m.%Y")) == midnight


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(st.dictionaries(st.text(max_size=8), _json, max_size=4))
def test_json_objects_round_trip(obj: dict[str, object]) -> None:
    assert parse_json_object(orjson.dumps(obj).decode()) == obj


@pytest.mark.parametrize("cell", ["[1, 2]", "12", "{not json", 12, None, '"text"'])
def test_anything_but_a_json_object_is_a_cell_problem(cell: object) -> None:
    with pytest.raises(CellProblem) as info:
        parse_json_object(cell)
    assert info.value.code == "import.bad-json"
    assert info.value.expected["sq"].startswith("një objekt JSON si {")
    assert info.value.expected["en"].startswith("a JSON object such as {")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7/4/24", date(2024, 4, 7)),  # the staffer's two-digit year
        ("07.04.29", date(2029, 4, 7)),  # the pivot: 29 is still 2029 ...
        ("07.04.30", date(1930, 4, 7)),  # ... and 30 is 1930, as Excel reads them
        ("1.1.85", date(1985, 1, 1)),
        ("07.04.2024 14:30", date(2024, 4, 7)),  # a date-time in a CSV cell
        ("2024-04-07 14:30:05", date(2024, 4, 7)),
        ("2024-04-07T14:30", date(2024, 4, 7)),
        ("45389", date(2024, 4, 7)),  # an Excel day number written out by a CSV export
        ("45389.75", date(2024, 4, 7)),
    ],
)
def test_what_people_mean_by_a_date(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "code_list", "member"),
    [
        ("Mbrojtje", "Pillar", "protection"),
        ("nuk eshte viktime", "CaseStatus", "not_victim"),
        ("Nuk është viktimë", "CaseStatus", "not_victim"),
        ("viktime e mundshme", "CaseStatus", "potential_victim"),
        ("e realizuar", "ActivityStatus", "completed"),
        ("i referuar", "CaseStage", "referred"),
        ("Policisë", "IdentificationSource", "police"),
        ("puna e femijeve", "ExploitationType", "child_labour"),
        ("shfrytezimi seksual", "ExploitationType", "sexual_exploitation"),
        ("realizuar pjeserisht", "ObjectiveStatus", "partially_achieved"),
        ("femra", "Sex", "female"),
        # from shared/reference/albanian-terms.md: terms in use, words of the labels
        ("Strehëz", "AssistanceType", "shelter"),
        ("strehimi", "AssistanceType", "shelter"),
        ("meshkuj", "Sex", "male"),
        ("Mashkulli", "Sex", "male"),
        ("aktivitete sensibilizuese", "ActivityType", "campaign"),
        ("fletepalosje", "ActivityType", "publication"),
        ("18 tetor", "Observance", "eu_day"),
        ("i brendshem", "TraffickingScope", "internal"),
        ("Gjykatë", "InstitutionType", "court"),
        ("nxenesit", "TargetGroup", "pupils"),
    ],
)
def test_inflected_and_diacritic_less_labels(text: str, code_list: str, member: str) -> None:
    from krat_core.format import codelists

    assert parse_code(text, getattr(codelists, code_list)).value == member


def test_aliases_are_written_with_diacritics_and_are_not_misspellings() -> None:
    from krat_core.format import codelists
    from krat_core.format.codelists import ALIASES, fold

    for name, by_code in ALIASES.items():
        code_list = getattr(codelists, name)
        for code, spellings in by_code.items():
            member = code_list(code)
            own = {fold(s) for s in (member.value, member.sq, member.en, *member.aliases)}
            for spelling in spellings:
                # a form that folds to a label is accepted anyway: not listed again
                assert fold(spelling) not in own, (name, code, spelling)
    assert codelists.Sex.parse("meshkull") is None  # not a word: "mashkull", "meshkuj"


def test_every_alias_names_its_own_member_and_no_other() -> None:
    from krat_core.format import codelists
    from krat_core.format.codelists import ALIASES, fold

    for name, by_code in ALIASES.items():
        code_list = getattr(codelists, name)
        table = code_list.lookup_table()
        for code, spellings in by_code.items():
            for spelling in spellings:
                assert table.get(fold(spelling)) is code_list(code), (name, spelling)


@pytest.mark.parametrize("marker", ["-", "—", "–", "n/a", "N/A", " - "])
def test_empty_markers(marker: str) -> None:
    from krat_core.importing.cells import is_empty_marker

    assert is_empty_marker(marker)
    assert not is_empty_marker("x") and not is_empty_marker("jo") and not is_empty_marker(None)


@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2029, 12, 31)))
def test_two_digit_years_round_trip_inside_the_pivot_window(day: date) -> None:
    assert parse_date(day.strftime("%d.%m.%y")) == day
    assert parse_date(day.strftime("%-d/%-m/%y")) == day


def test_every_accepted_form_is_listed_in_the_importing_guide() -> None:
    from pathlib import Path

    from krat_core.format.codelists import ALIASES
    from krat_core.importing.cells import EMPTY_MARKERS, TWO_DIGIT_YEAR_PIVOT

    guide = (Path(__file__).resolve().parents[1] / "docs" / "importing.md").read_text("utf-8")
    for name, by_code in ALIASES.items():
        for code, spellings in by_code.items():
            assert f"| {name} | `{code}` | {', '.join(spellings)} |" in guide, (name, code)
    for marker in EMPTY_MARKERS:
        assert f"`{marker}`" in guide, marker
    assert f"pivot {TWO_DIGIT_YEAR_PIVOT}" in guide


@given(_TEXT, _TEXT, st.sampled_from(["\n", "\r\n", "\t", "\u2028", "\r", "\x0b"]))
def test_line_breaks_and_tabs_become_one_space(a: str, b: str, brk: str) -> None:
    assert parse_text(a + brk + b) == parse_text(a + " " + b)


@given(_TEXT, _TEXT, st.sampled_from(["\x00", "\x1b", "\x7f", "\x9b", "\u202e", "\ufffe"]))
def test_characters_no_text_may_hold_are_removed(a: str, b: str, bad: str) -> None:
    assert parse_text(a + bad + b) == parse_text(a + b)
