"""Issue 11, item 4 (models and import): what text may hold, and how long it may be."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from pydantic import ValidationError

from krat_core.demo.synthetic import generate_submission
from krat_core.errors import FormatError
from krat_core.format.canonical import (
    describe_validation_error,
    dump_submission,
    load_submission,
)
from krat_core.format.models.institution import Institution
from krat_core.format.textrules import ID_MAX, SHORT_TEXT_MAX
from krat_core.importing import import_files
from krat_core.plugins.descriptors import ImportOptions
from krat_core.plugins.manager import load_plugins
from krat_plugins.exporters.template import write_template

REGISTRY = load_plugins(env={"KRAT_PLUGINS": ""})


def _institution(name: str, **extra: object) -> Institution:
    data = {"id": "AL-02-I-0001", "name": name, "type": "police", **extra}
    return Institution.model_validate_json(orjson.dumps(data))


@pytest.mark.parametrize(
    "bad",
    [
        "\n",
        "\r",
        "\t",
        "\x00",
        "\x1b",
        "\x7f",
        "\x85",
        "\u2028",
        "\u2029",
        "\u202e",
        "\u2067",
        "\ufffe",
        "\uffff",
        "\ufdd0",
    ],
)
def test_single_line_text_refuses_what_writers_cannot_hold(bad: str) -> None:
    with pytest.raises(ValidationError) as info:
        _institution(f"abc{bad}def")
    said = describe_validation_error(info.value)
    assert "at /name: text may not hold control characters" in said
    assert f"U+{ord(bad):04X} at character 4" in said


def test_any_other_unicode_is_accepted() -> None:
    for name in [
        "Bashkia Durrës",
        "😀 emoji",
        "中文 CJK",
        "עברית",
        "\u00a0nbsp",
        "x" * SHORT_TEXT_MAX,
    ]:
        assert _institution(name).name == name
    with pytest.raises(ValidationError, match="at most 500 characters"):
        _institution("x" * (SHORT_TEXT_MAX + 1))


def test_extension_text_may_be_multi_line_but_bounded() -> None:
    inst = _institution("ok", extensions={"al-02": {"note": "line 1\nline 2"}})
    assert inst.extensions["al-02"]["note"] == "line 1\nline 2"
    for note, code in (("a\x00b", "U+0000 at character 2"), ("a\r\nb", "U+000D at character 2")):
        with pytest.raises(ValidationError) as info:
            _institution("ok", extensions={"al-02": {"note": note}})
        assert code in describe_validation_error(info.value)
    with pytest.raises(ValidationError, match="at most 100 characters"):
        _institution("ok", extensions={"al-02": {"k" * 101: 1}})


def test_a_huge_id_is_refused_quickly() -> None:
    sub = generate_submission("AL-02", 2024, cases=1, activities=0)
    data = orjson.loads(dump_submission(sub))
    data["cases"][0]["id"] = "AL-02-C-2024-" + "1" * 1_000_000
    with pytest.raises(FormatError, match=f"at most {ID_MAX} characters"):
        load_submission(orjson.dumps(data))


def test_a_noncharacter_in_a_json_submission_is_refused_with_its_place() -> None:
    sub = generate_submission("AL-02", 2024, cases=1, activities=1)
    data = orjson.loads(dump_submission(sub))
    data["activities"][0]["title"] = "Java \ufffe"
    with pytest.raises(FormatError, match=r"/activities/0/title.*U\+FFFE"):
        load_submission(orjson.dumps(data))


def test_alt_enter_in_a_cell_becomes_a_space_with_an_info_finding(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "durres.xlsx"
    write_template(path, generate_submission("AL-02", 2024, cases=2, activities=1))
    book = openpyxl.load_workbook(path)
    sheet = book["Institucionet"]
    header = [c.value for c in sheet[1]]
    column = next(i for i, h in enumerate(header, start=1) if h and "Emërtimi" in str(h))
    sheet.cell(row=3, column=column).value = "Bashkia\nDurrës\t(zyra)"  # row 2: field names
    book.save(path)
    result = import_files([path], ImportOptions(), REGISTRY)
    assert result.submission.institutions[0].name == "Bashkia Durrës (zyra)"
    (note,) = [f for f in result.findings if f.code == "import.text-normalised"]
    assert note.severity.value == "info"
    assert note.record_id == result.submission.institutions[0].id and note.pointer == "/name"
    assert note.position is not None
    assert (note.position.sheet, note.position.row) == ("Institucionet", 3)
    assert result.rows_rejected == 0
