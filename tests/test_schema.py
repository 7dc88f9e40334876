"""The published JSON Schemas: generated, committed, valid, and in agreement with the models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import ValidationError
from referencing import Registry, Resource

import krat_core
from krat_core.cli import cli
from krat_core.format import schema as schemas
from krat_core.format.codelists import CODE_LISTS
from krat_core.format.models import Submission
from krat_core.format.regions import REGIONS
from strategies import json_slots, submissions

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
FORMAT_DOC = ROOT / "docs" / "format.md"


def _published() -> dict[str, dict[str, Any]]:
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(SCHEMAS.glob("*.schema.json"))
    }


def _validator(name: str = "submission.schema.json") -> Draft202012Validator:
    """A validator for one published file, resolving refs to the others by their $id."""
    published = _published()
    registry: Registry[Any] = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in published.values()
    )
    return Draft202012Validator(published[name], registry=registry)


SUBMISSION_VALIDATOR = _validator()


# --- generated, committed, well-formed ---------------------------------------------


def test_committed_schemas_equal_the_generated_ones() -> None:
    problems = schemas.check_schemas(SCHEMAS)
    assert problems == [], "run: krat schema --out schemas --doc docs/format.md\n" + "\n".join(
        problems
    )


def test_format_doc_tables_are_current() -> None:
    assert schemas.check_format_doc(FORMAT_DOC) == [], (
        "run: krat schema --out schemas --doc docs/format.md"
    )


def test_every_published_file_is_generated() -> None:
    expected = {schemas.schema_file_name(n) for n, _ in schemas.SCHEMA_MODELS}
    expected.add(schemas.CODELISTS_FILE)
    assert set(_published()) == expected


@pytest.mark.parametrize("name", sorted(schemas.generate_schemas()))
def test_schema_passes_the_2020_12_meta_schema(name: str) -> None:
    schema = schemas.generate_schemas()[name]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://krat.example.invalid/schemas/1/{name}"
    assert schema["title"].startswith("KRAT ")
    assert schema["description"]


def test_output_is_deterministic_and_canonical() -> None:
    first = {n: schemas.dump_schema(s) for n, s in schemas.generate_schemas().items()}
    second = {n: schemas.dump_schema(s) for n, s in schemas.generate_schemas().items()}
    assert first == second
    for data in first.values():
        assert data.endswith(b"}\n")
        assert json.dumps(json.loads(data), indent=2, sort_keys=True, ensure_ascii=False) + (
            "\n"
        ) == data.decode("utf-8")


def test_every_ref_resolves() -> None:
    published = _published()
    for name in published:
        validator = _validator(name)
        resolver = validator._resolver  # the public API has no "resolve all"
        for node in _objects(published[name]):
            ref = node.get("$ref")
            if isinstance(ref, str):
                assert resolver.lookup(ref).contents, f"{name}: {ref}"


def _objects(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def test_code_lists_carry_both_labels_and_htcds_names() -> None:
    defs = schemas.codelists_schema()["$defs"]
    assert set(CODE_LISTS) | {"Country", "Region"} == set(defs)
    for name, code_list in CODE_LISTS.items():
        node = defs[name]
        assert node["enum"] == [m.value for m in code_list]
        assert node["description"]
        for member in code_list:
            assert node["x-krat-labels"][member.value] == {"sq": member.sq, "en": member.en}
    assert defs["CaseStatus"]["x-htcds"]["victim"] == "ActualVictimOfTrafficking"
    assert defs["Region"]["x-krat-labels"]["AL-06"] == {"sq": "Korçë", "en": "Korçë"}
    assert defs["Region"]["enum"] == list(REGIONS)
    assert "XK" in defs["Country"]["enum"]


def test_records_are_published_once_and_referenced() -> None:
    sub = schemas.generate_schemas()["submission.schema.json"]
    assert sub["properties"]["cases"]["items"] == {"$ref": "case.schema.json"}
    assert "Case" not in sub.get("$defs", {})
    case = schemas.generate_schemas()["case.schema.json"]
    assert case["properties"]["sex"] == {"$ref": "codelists.schema.json#/$defs/Sex"}
    assert case["properties"]["identified_on"]["$ref"] == "#/$defs/Date"
    assert case["additionalProperties"] is False


def test_synthetic_submission_is_valid_under_the_published_schema(
    durres_2024: Submission,
) -> None:
    document = json.loads(krat_core.dump_submission(durres_2024))
    errors = list(SUBMISSION_VALIDATOR.iter_errors(document))
    assert errors == []


# --- the CLI ---------------------------------------------------------------------------


def test_cli_writes_and_checks_schemas(runner: Any, tmp_path: Path) -> None:
    out = tmp_path / "schemas"
    result = runner.invoke(cli, ["schema", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*schemas.generate_schemas(), schemas.BUNDLED_FOLDER]
    )
    assert sorted(p.name for p in (out / schemas.BUNDLED_FOLDER).iterdir()) == sorted(
        schemas.schema_file_name(n) for n in schemas.BUNDLED_SCHEMAS
    )
    assert runner.invoke(cli, ["schema", "--check", str(out)]).exit_code == 0

    (out / "case.schema.json").write_text("{}\n", encoding="utf-8")
    (out / "old.schema.json").write_text("{}\n", encoding="utf-8")
    (out / "activity.schema.json").unlink()
    result = runner.invoke(cli, ["schema", "--check", str(out), "--lang", "en"])
    assert result.exit_code == 1
    assert "case.schema.json: differs from the models" in result.output
    assert "activity.schema.json: missing" in result.output
    assert "old.schema.json: not generated from any model" in result.output
    albanian = runner.invoke(cli, ["schema", "--check", str(out)])  # Albanian by default
    assert albanian.exit_code == 1
    assert "case.schema.json: ndryshon nga ajo që krijojnë modelet" in albanian.output
    assert "activity.schema.json: mungon" in albanian.output
    assert "old.schema.json: nuk është krijuar nga asnjë model" in albanian.output
    assert "Rikrijojini me: krat schema" in albanian.output


def test_cli_updates_the_format_doc(runner: Any, tmp_path: Path) -> None:
    doc = tmp_path / "format.md"
    doc.write_text("# Format\n\nProse written by hand.\n", encoding="utf-8")
    assert runner.invoke(cli, ["schema", "--check", str(SCHEMAS), "--doc", str(doc)]).exit_code == 1
    result = runner.invoke(cli, ["schema", "--doc", str(doc)])
    assert result.exit_code == 0, result.output
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Format\n\nProse written by hand.\n")
    assert "| `subject_ref` |" in text and "| `potential_victim` |" in text
    assert runner.invoke(cli, ["schema", "--check", str(SCHEMAS), "--doc", str(doc)]).exit_code == 0
    # Regenerating is idempotent and keeps the prose after the generated part too.
    doc.write_text(text + "\n## Afterword\n", encoding="utf-8")
    assert schemas.write_format_doc(doc) is False


def test_cli_reports_unwritable_folders_without_a_traceback(runner: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = runner.invoke(cli, ["schema", "--out", str(blocker / "schemas"), "--lang", "en"])
    assert result.exit_code == 2
    assert "krat: error:" in result.output and "cannot write" in result.output
    assert "Traceback" not in result.output


def test_cli_refuses_out_and_check_together(runner: Any, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["schema", "--out", str(tmp_path), "--check", str(tmp_path), "--lang", "en"]
    )
    assert result.exit_code == 2
    assert "either --output or --check" in result.output


def test_format_doc_with_one_marker_is_refused() -> None:
    with pytest.raises(ValueError, match="BEGIN GENERATED"):
        schemas.render_format_doc(f"# x\n{schemas.DOC_END}\n")


# --- the models and the published schema accept exactly the same documents ----------

_DATES = [
    "2024-02-29",
    "2000-02-29",
    "1900-02-29",
    "2100-02-29",
    "2023-02-29",
    "2024-02-30",
    "2024-04-31",
    "2024-13-01",
    "2024-00-10",
    "2024-01-00",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "24-01-01",
    "2024-1-1",
    "20240101",
    "2024-01-01 ",
    " 2024-01-01",
    "2024/01/01",
    "2024-01-01T00:00:00",
    "2024-01-01T00:00:00Z",
    "2024-01-20T09:00:00+01:00",
    "2024-01-20T09:00:00.5Z",
    "2024-01-20T09:00:00.123456-00:00",
    "2024-01-20T09:00:00.1234567Z",
    "2024-01-20 09:00:00Z",
    "2024-01-20t09:00:00z",
    "2024-01-20T09:00Z",
    "2024-01-20T09:00:00+0100",
    "2024-01-20T09:00:00+01",
    "2024-01-20T24:00:00Z",
    "2024-01-20T23:59:60Z",
    "2024-01-20T09:00:00+24:00",
    "2024-01-20T09:00:00+23:59",
    "2024-01-20T09:00:00,5Z",
    "1700000000",
    "0",
    "86400",
]
_IDS = [
    "AL-02-I-0007",
    "AL-13-I-0007",
    "AL-00-C-2024-0001",
    "al-02-C-2024-0001",
    "AL-02-C-2024-001",
    "AL-02-C-24-0001",
    "AL-02-C-2024-00001",
    "AL-02-X-2024-0001",
    "AL-02-A-2024-0001",
    "AL-02-O-2024-0001",
    "AL-2-I-0007",
    "AL-02-I-0007 ",
    "AL-02-I-٠٠٠٧",
    "AL-02",
    "AL-12",
    "AL-1",
    "XK-01",
]
_TEXTS = [
    "",
    " ",
    "x" * 500,
    "x" * 501,
    "VT",
    "Female",
    "femër",
    "1.0.0",
    "2.0.0",
    "1.0",
    "1.2.3.4",
    "v1.0.0",
    "1.01.0",
    "krat-submission",
    "krat-national",
    "2024",
    "2024-H1",
    "2024-H3",
    "2024-h1",
    "AL",
    "al",
    "ZZ",
    "UK",
    "a" * 64,
    "A" * 64,
    "0" * 63,
    "0" * 65,
    "durres.register",
    "Durres",
    "a" * 101,
]
_NUMBERS = [
    -1,
    0,
    1,
    17,
    18,
    120,
    121,
    1999,
    2000,
    2100,
    2101,
    10_000_000,
    10_000_001,
    5.0,
    5.5,
    -0.0,
    1e15,
    1e16,
    -1e15,
    -1e16,
    2**63,
    2**64 - 1,
    2**64,
    10**400,
    -(10**400),
    1e308,
]
_OTHERS: list[Any] = [None, True, False, [], {}, [None], ["AL"], {"a": 1}, {"x": {"y": 1}}]

# Python's re lets "$" match before a final "\n", so python-jsonschema accepts "AL-02-I-0007\n"
# where ECMA-262 (the dialect of JSON Schema patterns) and the models refuse it: texts drawn
# here never end with a line break (see docs/format.md, "Using the schemas").
_free_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12).filter(
    lambda t: not t.endswith("\n")
)
_values = st.one_of(
    st.sampled_from(_DATES + _IDS + _TEXTS + _NUMBERS + _OTHERS),
    _free_text,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
)


def _near_misses(value: Any) -> st.SearchStrategy[Any]:
    """Replacements that look like ``value``: other dates for a date, other ids for an id..."""
    if isinstance(value, bool) or value is None:
        return st.sampled_from([0, 1, "true", "null", [], {}])
    if isinstance(value, int | float):
        return st.sampled_from([*_NUMBERS, str(value)])
    if isinstance(value, str):
        if value[:2].isdigit():
            return st.sampled_from(_DATES)
        if value.startswith("AL-"):
            return st.sampled_from(_IDS)
        return st.sampled_from(
            [value.upper(), value.title(), f"{value} ", value[:-1], f"{value}x", *_TEXTS]
        )
    return st.sampled_from(_OTHERS)


def _model_accepts(raw: bytes) -> tuple[bool, str]:
    try:
        Submission.model_validate_json(raw)
    except ValidationError as exc:
        return False, str(exc)
    return True, ""


@st.composite
def _documents(draw: st.DrawFn) -> tuple[str, Any]:
    """A valid submission document, or one with a single slight defect."""
    document = json.loads(krat_core.dump_submission(draw(submissions(max_records=2))))
    kind = draw(st.sampled_from(["replace", "add", "delete", "replace", "version", "valid"]))
    if kind == "replace":
        container, key = draw(st.sampled_from(json_slots(document)))
        container[key] = draw(st.one_of(_near_misses(container[key]), _values))
    elif kind == "delete":
        container, key = draw(st.sampled_from(json_slots(document)))
        if isinstance(container, dict):
            del container[key]
        else:
            container.pop(key)
    elif kind == "add":
        target = draw(st.sampled_from(_objects(document)))
        name = draw(st.sampled_from(["unexpected", "id", "al-02", "Bad Key", "x.y", ""]))
        target[name] = draw(_values)
    elif kind == "version":
        document["schema_version"] = draw(st.sampled_from(_TEXTS + _NUMBERS + _OTHERS))
    return kind, document


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_models_and_published_schema_accept_the_same_documents(
    case: tuple[str, Any],
) -> None:
    kind, document = case
    raw = json.dumps(document, ensure_ascii=False).encode("utf-8")
    model_ok, model_error = _model_accepts(raw)
    schema_errors = [e.message[:200] for e in SUBMISSION_VALIDATOR.iter_errors(document)]
    assert model_ok == (not schema_errors), (
        f"{kind}: models {'accept' if model_ok else 'reject'}, schema "
        f"{'rejects' if schema_errors else 'accepts'}\nmodel: {model_error}\n"
        f"schema: {schema_errors}"
    )
    if kind == "valid":
        assert model_ok


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("submitted_at", "2024-01-20T09:00:00+01:00", True),
        ("submitted_at", "2024-01-20 09:00:00+01:00", False),
        ("submitted_at", "1700000000", False),
        ("submitted_at", "2024-01-20T09:00:00", False),
        ("region", "AL-12", True),
        ("region", "AL-13", False),
        ("schema_version", "1.7.0", True),
        ("schema_version", "2.0.0", False),
    ],
)
def test_header_examples_agree(durres_2024: Submission, field: str, value: str, ok: bool) -> None:
    document = json.loads(krat_core.dump_submission(durres_2024))
    document[field] = value
    assert SUBMISSION_VALIDATOR.is_valid(document) is ok
    assert _model_accepts(json.dumps(document).encode())[0] is ok
