"""No identifiers in extensions (issue 12, item 5): declared keys only, scalars within
bounds, nothing that looks like a person's identity; refused at import and at
validation with findings that name the field and never the value."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krat_core import hookimpl
from krat_core.format.canonical import dump_submission
from krat_core.format.extensions import extension_problems, looks_like_identity
from krat_core.format.models import Submission
from krat_core.importing import import_files
from krat_core.plugins.descriptors import ExportOptions, ExtensionField, ImportOptions
from krat_core.plugins.manager import load_plugins
from krat_core.reporting import export
from krat_core.validation import validate

NOTE = ExtensionField(
    namespace="al-02",
    name="shenim",
    type="text",
    title_en="Note",
    title_sq="Shënim",
    kinds=("case",),
    max_length=40,
)
SHELTER = ExtensionField(
    namespace="al-02",
    name="strehimi",
    type="text",
    title_en="Shelter",
    title_sq="Strehimi",
    kinds=("case",),
    choices=("Qendra Kombëtare", "Tjetër"),
)
NIGHTS = ExtensionField(
    namespace="al-02",
    name="net",
    type="integer",
    title_en="Nights in shelter",
    title_sq="Net në strehë",
    kinds=("case",),
    minimum=0,
    maximum=366,
)


class Declares:
    @hookimpl
    def krat_extensions(self) -> list[ExtensionField]:
        return [NOTE, SHELTER, NIGHTS]


class DeclaresAgain:
    @hookimpl
    def krat_extensions(self) -> list[ExtensionField]:
        return [NOTE]


@pytest.fixture(scope="module")
def registry():
    return load_plugins(plugins=[("al-02-fields", Declares())])


PERSONAL = {
    "emri": "Arben",  # the key is a name field
    "datelindja": "2009-03-14",
    "shenim": "Arben Hoxha",  # a name in a free-text field
}


def _with(sub: Submission, fields: dict) -> Submission:
    case = sub.cases[0].model_copy(update={"extensions": {"al-02": fields}})
    return sub.model_copy(update={"cases": [case, *sub.cases[1:]]})


def test_hook_krat_extensions_declarations_are_collected(registry) -> None:
    assert registry.extension_fields["al-02.shenim"].plugin == "al-02-fields"
    assert registry.extension_fields["durres.register.nr"].type == "integer"  # example plugin
    clash = load_plugins(plugins=[("a", Declares()), ("b", DeclaresAgain())])
    assert clash.extension_fields["al-02.shenim"].plugin == "a"
    assert any("al-02.shenim" in str(p) for p in clash.problems)


@pytest.mark.parametrize(
    ("key", "value", "why"),
    [
        ("emri", "x", "key"),
        ("Mbiemri", "x", "key"),
        ("birth_date", "x", "key"),
        ("datëlindja", "x", "key"),
        ("tel", "x", "key"),
        ("shenim", "nr. personal J91234567K", "nid"),
        ("shenim", "+355 69 123 4567", "phone"),
        ("shenim", "arben@example.invalid", "email"),
        ("shenim", "lindur më 14.03.2009", "date"),
        ("shenim", "Arben Hoxha", "name"),
        ("shenim", "strehë e sigurt", None),
        ("net", 12, None),
    ],
)
def test_what_looks_like_identity(key: str, value: object, why: str | None) -> None:
    assert looks_like_identity(key, value, NOTE) == why


@given(st.from_regex(r"[A-Z][0-9]{8}[A-Z]", fullmatch=True))
def test_every_albanian_personal_number_is_refused(nid: str) -> None:
    assert looks_like_identity("shenim", f"ref {nid}", NOTE) == "nid"


def test_declared_scalars_within_bounds(registry) -> None:
    declared = registry.extension_fields
    ok = {"al-02": {"shenim": "strehë e sigurt", "strehimi": "Qendra Kombëtare", "net": 12}}
    assert extension_problems("case", ok, declared) == []
    bad = {"al-02": {"net": 400, "shenim": "x" * 41, "strehimi": "Diku", "tjeter": 1}}
    codes = {p.field: p.code for p in extension_problems("case", bad, declared)}
    assert codes == {
        "al-02.net": "extension.bad-value",
        "al-02.shenim": "extension.bad-value",
        "al-02.strehimi": "extension.bad-value",
        "al-02.tjeter": "extension.undeclared",
    }
    nested = extension_problems("case", {"al-02": {"net": [1, 2]}}, declared)
    assert [p.code for p in nested] == ["extension.bad-value"]
    # Declared for cases only.
    assert [p.code for p in extension_problems("activity", ok, declared)] == [
        "extension.undeclared"
    ] * 3


def test_validation_refuses_identity_without_echoing_it(durres_2024, registry) -> None:
    report = validate(_with(durres_2024, PERSONAL), registry)
    found = [f for f in report.findings if f.code.startswith("extension.")]
    assert {f.code for f in found} == {"extension.identity"}
    assert {f.pointer for f in found} == {
        "/extensions/al-02/emri",
        "/extensions/al-02/datelindja",
        "/extensions/al-02/shenim",
    }
    assert not report.valid
    for f in found:
        assert f.value is None
        text = f.message_en + f.message_sq
        assert "Arben" not in text and "2009" not in text and "Hoxha" not in text
        assert "al-02." in f.message_en


def test_validation_without_declarations_still_refuses_identity(durres_2024) -> None:
    from krat_core.plugins.manager import load_plugins as plain

    report = validate(_with(durres_2024, {"shenim": "Arben Hoxha", "x": 1}), plain())
    codes = sorted(f.code for f in report.findings if f.code.startswith("extension."))
    assert codes == ["extension.identity", "extension.undeclared"]


def test_import_leaves_refused_fields_out(tmp_path: Path, durres_2024, registry) -> None:
    fields = {**PERSONAL, "net": 3}
    source = tmp_path / "AL-02-2024.json"
    source.write_bytes(dump_submission(_with(durres_2024, fields)))
    result = import_files([source], ImportOptions(), registry)
    case = result.submission.cases[0]
    assert case.extensions == {"al-02": {"net": 3}}  # only the declared, harmless field
    refused = [f for f in result.findings if f.code == "import.extension-refused"]
    assert sorted(f.pointer for f in refused) == [
        "/extensions/al-02/datelindja",
        "/extensions/al-02/emri",
        "/extensions/al-02/shenim",
    ]
    for f in refused:
        assert f.value is None and "Arben" not in f.message_en + f.message_sq
    assert "Arben" not in dump_submission(result.submission).decode("utf-8")


def test_csv_import_leaves_refused_fields_out(tmp_path: Path, durres_2024, registry) -> None:
    archive = export(
        _with(durres_2024, {"shenim": "Arben Hoxha"}),
        tmp_path / "out.zip",
        options=ExportOptions(records=True),
        registry=registry,
    )
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp_path / "csv")
    files = sorted((tmp_path / "csv" / "records").glob("*.csv"))
    result = import_files(files, ImportOptions(), registry)
    assert all(not c.extensions for c in result.submission.cases)
    assert [f.code for f in result.findings] == ["import.extension-refused"]


def test_template_import_leaves_refused_fields_out(tmp_path: Path, durres_2024, registry) -> None:
    """A name and a birth date typed into the template's "Të dhëna shtesë (JSON)" column."""
    workbook = registry.exporters["template"].export(
        _with(durres_2024, {"emri": "Arben", "shenim": "lindur 14.03.2009"}),
        tmp_path / "template.xlsx",
    )
    result = import_files([workbook], ImportOptions(), registry)
    assert all(not c.extensions for c in result.submission.cases)
    refused = [f for f in result.findings if f.code == "import.extension-refused"]
    assert len(refused) == 2
    assert all(f.position is not None for f in refused)  # the row of the template
    assert not any("Arben" in f.message_en or "2009" in f.message_sq for f in refused)
