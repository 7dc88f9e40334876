"""Issue 11, item 2: a JSON object that repeats a key is refused, with the key and its position,
at every JSON entry point (submissions, national datasets, the json importer, the template's
extensions cell)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from krat_core.cli import cli
from krat_core.combine.national import load_dataset
from krat_core.demo.synthetic import generate_submission
from krat_core.errors import FormatError, ImportFailed
from krat_core.format.canonical import (
    check_duplicate_keys,
    dump_submission,
    load_submission,
    parse_json,
)
from krat_core.importing import import_files
from krat_core.importing.cells import CellProblem, parse_json_object
from krat_core.plugins.descriptors import ImportOptions
from krat_core.plugins.manager import load_plugins


def _submission_bytes() -> bytes:
    return dump_submission(generate_submission("AL-02", 2024, cases=3, activities=1))


def _with_empty_cases_appended(raw: bytes) -> bytes:
    """The attack from the issue: the real cases, then a second ``"cases": []``."""
    assert raw.endswith(b"}\n")
    return raw[:-2] + b',"cases":[]}\n'


def test_second_cases_list_is_refused_not_read_as_zero_cases() -> None:
    raw = _with_empty_cases_appended(_submission_bytes())
    assert orjson.loads(raw)["cases"] == []  # what a last-wins parser sees
    with pytest.raises(FormatError, match=r"duplicate key 'cases' at line 1, column \d+"):
        load_submission(raw)


def test_repeated_sex_inside_a_case_is_refused_with_its_line() -> None:
    data = orjson.loads(_submission_bytes())
    text = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()
    first_sex = text.index('"sex": ')
    line = text.count("\n", 0, first_sex) + 1
    end = text.index("\n", first_sex)
    text = text[:end] + '\n      "sex": "male",' + text[end:]
    with pytest.raises(FormatError, match=rf"duplicate key 'sex' at line {line + 1}, column"):
        load_submission(text)


def test_national_dataset_with_a_duplicate_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "national.json"
    path.write_bytes(_with_empty_cases_appended(_submission_bytes()))
    with pytest.raises(FormatError, match="duplicate key 'cases'") as info:
        load_dataset(path)
    assert info.value.source == str(path)


def test_parse_json_refuses_duplicates_at_any_depth() -> None:
    with pytest.raises(FormatError, match="duplicate key 'b' at line 1, column"):
        parse_json(b'{"a": [{"b": 1, "b": 2}]}')
    assert parse_json(b'{"a": [{"b": 1}, {"b": 2}]}') == {"a": [{"b": 1}, {"b": 2}]}


def test_json_importer_refuses_a_duplicate_key(tmp_path: Path) -> None:
    path = tmp_path / "AL-02-2024.json"
    path.write_bytes(_with_empty_cases_appended(_submission_bytes()))
    with pytest.raises(ImportFailed, match="duplicate key 'cases'"):
        import_files([path], ImportOptions(), load_plugins())


def test_cli_validate_exits_2_on_a_duplicate_key(tmp_path: Path) -> None:
    path = tmp_path / "AL-02-2024.json"
    path.write_bytes(_with_empty_cases_appended(_submission_bytes()))
    result = CliRunner().invoke(cli, ["validate", str(path), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "duplicate key 'cases'" in result.output
    assert "Traceback" not in result.output


def test_extensions_cell_with_a_repeated_key_is_refused() -> None:
    with pytest.raises(CellProblem) as info:
        parse_json_object('{"district": "a", "district": "b"}')
    assert info.value.code == "import.bad-json"
    assert parse_json_object('{"district": "a", "zone": "b"}') == {"district": "a", "zone": "b"}


@given(
    st.dictionaries(st.text(max_size=5), st.integers(-(2**40), 2**40), min_size=1, max_size=5),
    st.data(),
)
def test_any_repeated_key_is_found(data: dict[str, int], draw: st.DataObject) -> None:
    key = draw.draw(st.sampled_from(sorted(data)))
    body = ",".join(orjson.dumps(k).decode() + ":" + str(v) for k, v in [*data.items(), (key, 0)])
    raw = ("{" + body + "}").encode()
    with pytest.raises(FormatError, match="duplicate key"):
        check_duplicate_keys(raw)
    check_duplicate_keys(orjson.dumps(data))  # the same object without the repeat passes
