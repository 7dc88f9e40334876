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


# --- wave 3: the messages of the import and validation path touched for issue 14 -----------


@pytest.mark.parametrize(
    ("n", "sq", "en"),
    [
        (0, "… 0 të tjera", "… 0 more"),
        (1, "… 1 tjetër", "… 1 more"),
        (2, "… 2 të tjera", "… 2 more"),
    ],
)
def test_report_groups_not_listed(n: int, sq: str, en: str) -> None:
    from krat_core.validation.report import MORE_GROUPS

    assert MORE_GROUPS.text("sq", n=n) == sq and MORE_GROUPS.text("en", n=n) == en


@pytest.mark.parametrize(
    ("n", "sq", "en"),
    [
        (0, "nuk ka kolonat ", "has no columns "),
        (1, "nuk ka kolonën 'Data'", "has no column 'Data'"),
        (2, "nuk ka kolonat 'Data', 'Lloji'", "has no columns 'Data', 'Lloji'"),
    ],
)
def test_missing_columns_of_a_plugin_register(n: int, sq: str, en: str) -> None:
    from krat_core.importing.kit import MISSING_COLUMNS

    columns = ", ".join(["'Data'", "'Lloji'"][:n])
    assert MISSING_COLUMNS.both(columns=columns, n=n) == {"sq": sq, "en": en}


@pytest.mark.parametrize(
    ("counted", "n", "sq"),
    [
        (0, 1, "numëron 0 regjistrime (lloji: case), por dorëzimi ka 1 regjistrim:"),
        (1, 2, "numëron 1 regjistrim (lloji: case), por dorëzimi ka 2 regjistrime:"),
        (2, 0, "numëron 2 regjistrime (lloji: case), por dorëzimi ka 0 regjistrime:"),
    ],
)
def test_two_counts_in_one_sentence_each_take_their_form(counted: int, n: int, sq: str) -> None:
    from krat_core.importing.pipeline import COUNT_MISMATCH, COUNTED

    texts = COUNT_MISMATCH.both(
        importer="x", records=COUNTED.both(counted=counted), kind="case", n=n
    )
    assert sq in texts["sq"]
    record = "record" if counted == 1 else "records"
    assert f"counts {counted} {record} (kind: case)" in texts["en"]


@pytest.mark.parametrize(
    ("n", "sq", "en"),
    [
        (0, "0 bajte", "0 bytes"),
        (1, "1 bajt", "1 byte"),
        (2, "2 bajte", "2 bytes"),
        (1_048_576, "1\u00a0048\u00a0576 bajte", "1,048,576 bytes"),
    ],
)
def test_figures_are_grouped_for_each_language(n: int, sq: str, en: str) -> None:
    from krat_core.importing.guards import BYTES

    assert BYTES.both(n=n) == {"sq": sq, "en": en}


@pytest.mark.parametrize(
    ("n", "sq"),
    [
        (0, "... dhe 0 gjetje të tjera si këto (c)"),
        (1, "... dhe 1 gjetje tjetër si kjo (c)"),
        (2, "... dhe 2 gjetje të tjera si këto (c)"),
        (12_345, "... dhe 12\u00a0345 gjetje të tjera si këto (c)"),
    ],
)
def test_findings_beyond_the_cap(n: int, sq: str) -> None:
    from krat_core.importing.guards import MORE_LIKE_THIS

    assert MORE_LIKE_THIS.text("sq", n=n, code="c").startswith(sq)


@pytest.mark.parametrize(
    ("n", "sq", "en"),
    [
        (0, "emri i 0 institucioneve", "the name of 0 institutions"),
        (1, "emri i 1 institucioni", "the name of 1 institution"),
        (2, "emri i 2 institucioneve", "the name of 2 institutions"),
    ],
)
def test_a_name_of_several_institutions(n: int, sq: str, en: str) -> None:
    from krat_core.importing.names import KINDS, NAME_AMBIGUOUS

    kinds = KINDS["institution"].both(n=n)
    texts = NAME_AMBIGUOUS.both(value="'Bashkia'", kinds=kinds, ids="-")
    assert sq in texts["sq"] and en in texts["en"]


def test_a_name_resolved_or_unknown_in_the_genitive() -> None:
    from krat_core.importing.names import NameIndex

    index = NameIndex()
    index.add("objective", "AL-03-O-2024-0001", "Ndërgjegjësimi")
    found = index.resolve("objective", "ndergjegjesimi")
    assert (
        found.texts is not None
        and "është emri i objektivit AL-03-O-2024-0001" in (found.texts["sq"])
    )
    missing = index.resolve("objective", "Tjetër")
    assert missing.texts is not None
    assert "as emri i ndonjë objektivi në fletën 'Objektivat'" in missing.texts["sq"]


@pytest.mark.parametrize(
    ("n", "sq", "en"),
    [
        (1, "Skedari i pavlefshëm u ruajt", "The invalid file was stored"),
        (2, "Skedarët e pavlefshëm u ruajtën", "The invalid files were stored"),
    ],
)
def test_archive_add_kept_invalid_files(n: int, sq: str, en: str) -> None:
    from krat_core.cli.archive_cmd import KEPT_INVALID

    texts = KEPT_INVALID.both(n=n, code=1)
    assert texts["sq"].startswith(sq) and texts["en"].startswith(en)
    assert ("për të:" if n == 1 else "për ta:") in texts["sq"]


def test_words_the_catalog_rules_out() -> None:
    from krat_core.importing.extensions import REFUSED
    from krat_core.importing.headers import EXPECTED_PERIOD
    from krat_core.importing.pipeline import FINDING_CODES

    assert "regjistrimit të importuar" in REFUSED.text("sq", problem="x")
    assert "rekord" not in " ".join(m.text("sq") for m in FINDING_CODES.values())
    assert EXPECTED_PERIOD.text("sq") == "një vit (2019) ose gjysmë viti (2019-H1)"
    assert "muajin të parin" not in FINDING_CODES["import.date-order"].text("sq")


def test_no_albanian_text_anywhere_says_rekord() -> None:
    """ "rekord" is a sports record; a data record is "regjistrim" (messages.py).
    Every Albanian text of every Message defined in the source is checked."""
    import ast
    from pathlib import Path

    import krat_core
    import krat_plugins

    found = []
    for package in (krat_core, krat_plugins):
        for path in Path(package.__file__).parent.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Message":
                    for kw in node.keywords:
                        if kw.arg in ("sq", "title_sq") and "rekord" in ast.unparse(kw.value):
                            found.append(f"{path.name}:{node.lineno}")
                is_title = isinstance(node, ast.keyword) and node.arg == "title_sq"
                if is_title and "rekord" in ast.unparse(node.value):
                    found.append(f"{path.name}:{node.lineno}")
    assert found == []
