"""Institutions and objectives typed by name (issue 14: the drop-downs show "id – name" and
the importer accepts either): one match gives the id and a note, none or several a finding."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from krat_core.findings import SourcePosition
from krat_core.importing.names import NameIndex, looks_like_id, reading_order
from krat_core.plugins.manager import load_plugins
from krat_core.validation.batch import validate_paths
from krat_plugins.exporters.template import write_template
from workbooks import put

REGISTRY = load_plugins(env={"KRAT_PLUGINS": ""})
POLICE = "Drejtoria Vendore e Policisë Elbasan"


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@st.composite
def typed_like_people(draw: st.DrawFn, name: str) -> str:
    """``name`` as people type it: any case per letter, accents kept or dropped, extra spaces."""
    words = (_strip_accents(name) if draw(st.booleans()) else name).split()
    cased = [
        "".join(ch.upper() if draw(st.booleans()) else ch.lower() for ch in word) for word in words
    ]
    gaps = [" " * draw(st.integers(1, 3)) for _ in cased]
    body = "".join(w + g for w, g in zip(cased, gaps, strict=True)).rstrip()
    return " " * draw(st.integers(0, 2)) + body + " " * draw(st.integers(0, 2))


@given(typed=typed_like_people(POLICE))
def test_a_name_typed_any_way_resolves_to_its_one_id(typed: str) -> None:
    index = NameIndex()
    index.add("institution", "AL-03-I-0004", POLICE)
    index.add("institution", "AL-03-I-0002", "Bashkia Elbasan")
    found = index.resolve("institution", typed)
    assert found.value == "AL-03-I-0004" and found.code == "import.name-resolved"
    assert found.severity == "info" and found.texts is not None
    assert "AL-03-I-0004" in found.texts["sq"] and "AL-03-I-0004" in found.texts["en"]
    # the same text in a multi-valued cell, next to an id
    value, notes = index.resolve_cell("institution", f"{typed}; al-03-i-0002", multi=True)
    assert value == ["AL-03-I-0004", "AL-03-I-0002"] and len(notes) == 1


@given(
    other=st.text(alphabet="abcdefgjklmnoprstuvzëç ", min_size=1, max_size=30).filter(
        lambda t: t.strip() and _strip_accents(t).split() != _strip_accents(POLICE).lower().split()
    )
)
def test_a_name_of_no_institution_is_a_finding_and_no_id(other: str) -> None:
    index = NameIndex()
    index.add("institution", "AL-03-I-0004", POLICE)
    found = index.resolve("institution", other)
    assert found.value is None and found.code == "import.bad-id" and found.severity == "error"
    assert found.texts is not None
    assert "nuk është as identifikues, as emri i ndonjë institucioni" in found.texts["sq"]
    assert found.texts["sq"].endswith("(kjo qelizë u la jashtë)")
    required = index.resolve("institution", other, required=True)
    assert required.texts is not None and "u la jashtë" not in required.texts["sq"]


@given(typed=typed_like_people("Bashkia Elbasan"))
def test_a_name_of_two_institutions_lists_both_ids(typed: str) -> None:
    index = NameIndex()
    index.add("institution", "AL-03-I-0002", "Bashkia Elbasan")
    index.add("institution", "AL-03-I-0003", "BASHKIA  ELBASAN")
    found = index.resolve("institution", typed)
    assert found.value is None and found.texts is not None
    assert "është emri i 2 institucioneve: AL-03-I-0002 dhe AL-03-I-0003" in found.texts["sq"]
    assert "is the name of 2 institutions: AL-03-I-0002 and AL-03-I-0003" in found.texts["en"]


@given(st.text(alphabet="0123456789 abcAL-–", max_size=12))
def test_only_text_that_starts_like_an_id_is_taken_for_one(text: str) -> None:
    assert looks_like_id(f" aL-{text}") is text.lstrip(" ")[:1].isdigit()
    assert not looks_like_id("Bashkia " + text)


def test_institutions_are_read_first_and_objectives_before_activities() -> None:
    order = sorted(
        [
            ("activity", None),
            ("case", None),
            ("indicator", "objective"),
            ("objective", None),
            ("institution", None),
            ("assistance", "case"),
        ],
        key=lambda k: reading_order(*k),
    )
    assert order[0] == ("institution", None)
    assert order.index(("objective", None)) < order.index(("activity", None))
    assert order.index(("indicator", "objective")) < order.index(("objective", None))


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("names") / "elbasan.xlsx"
    write_template(path, region="AL-03", period="2024", blank_rows=5)
    book = openpyxl.load_workbook(path)
    book["Dorëzimi"]["B4"] = "Sekretariati Teknik Elbasan"
    inst = book["Institucionet"]
    put(inst, 3, {"id": "AL-03-I-0001", "name": POLICE, "type": "policia e shtetit"})
    put(inst, 4, {"id": "AL-03-I-0002", "name": "Bashkia Elbasan", "type": "bashkia"})
    put(inst, 5, {"id": "AL-03-I-0003", "name": "Bashkia Elbasan", "type": "bashkia"})
    objectives = book["Objektivat"]
    put(
        objectives,
        3,
        {
            "id": "AL-03-O-2024-0001",
            "year": 2024,
            "pillar": "parandalim",
            "title": "Ndërgjegjësimi i nxënësve",
            "responsible": "bashkia elbasan; drejtoria vendore e policise elbasan",
            "deadline": "31.12.2024",
            "status": "në proces",
        },
    )
    indicators = book["Treguesit"]
    # the objective's title typed in the link column instead of its id (and a title of none)
    put(indicators, 3, {"objective_id": "NDËRGJEGJËSIMI I NXËNËSVE", "name": "Seanca", "target": 4})
    put(indicators, 4, {"objective_id": "Nxënës të tjerë", "name": "Fushata", "target": 2})
    cases = book["Rastet"]
    put(
        cases,
        3,
        {
            "subject_ref": hashlib.sha256(b"one").hexdigest(),
            "id": "AL-03-C-2024-0001",
            "status": "VMT",
            "sex": "femër",
            "identified_on": "07.04.2024",
            "identification_source": "policia",
            "minor": "jo",
            "identified_by": "  drejtoria vendore e policise   ELBASAN ",
        },
    )
    acts = book["Aktivitetet"]
    put(
        acts,
        3,
        {
            "id": "AL-03-A-2024-0001",
            "title": "Seancë informuese",
            "type": "forum",
            "start": "15.05.2024",
            "status": "e realizuar",
            "organiser": POLICE.upper(),
            "objectives": "ndergjegjesimi i nxenesve",
            "participants.total": 30,
        },
    )
    put(
        acts,
        4,
        {
            "id": "AL-03-A-2024-0002",
            "title": "Forum",
            "type": "forum",
            "start": "16.05.2024",
            "status": "e realizuar",
            "organiser": "Policia Tiranë",  # no such institution: the row cannot be kept
            "participants.total": 12,
        },
    )
    book.save(path)
    return path


def test_a_workbook_with_names_imports_their_ids_and_says_which(named: Path) -> None:
    (outcome,) = validate_paths([named], REGISTRY).outcomes
    submission = outcome.imported.submission
    (case,) = submission.cases
    assert case.identified_by == "AL-03-I-0001"
    (objective,) = submission.objectives
    # the ambiguous name is left out of the list, the clear one is taken
    assert objective.responsible == ["AL-03-I-0001"]
    # an indicator whose link holds the objective's title belongs to that objective
    assert [i.name for i in objective.indicators] == ["Seanca"]
    (activity,) = submission.activities
    assert activity.organiser == "AL-03-I-0001" and activity.objectives == ["AL-03-O-2024-0001"]
    findings = outcome.report.findings
    notes = [f for f in findings if f.code == "import.name-resolved"]
    assert {(f.position.sheet, f.position.row) for f in notes} == {
        ("Rastet", 3),
        ("Objektivat", 3),
        ("Aktivitetet", 3),
        ("Treguesit", 3),
    }
    (linked,) = [f for f in notes if f.position.sheet == "Treguesit"]
    assert linked.record_id == "AL-03-O-2024-0001" and linked.pointer == "/indicators/0"
    assert outcome.imported.locate("objective", "AL-03-O-2024-0001", "/indicators/0/target") == (
        SourcePosition(str(named), "Treguesit", 3, "Synimi")
    )
    (orphan,) = [f for f in findings if f.code == "import.orphan-row"]
    assert orphan.position.sheet == "Treguesit" and orphan.position.row == 4
    assert all(f.severity.value == "info" for f in notes)
    (title,) = [f for f in notes if f.pointer == "/objectives"]
    assert "is the name of objective AL-03-O-2024-0001" in title.message_en
    bad = {f.position.row: f for f in findings if f.code == "import.bad-id" and f.position}
    assert "emri i 2 institucioneve: AL-03-I-0002 dhe AL-03-I-0003" in bad[3].message_sq
    assert bad[3].position.sheet == "Objektivat"
    assert "'Policia Tiranë' is neither an id nor the name of any institution" in bad[4].message_en
    assert bad[4].position.sheet == "Aktivitetet"
    # the required organiser's row is rejected with that one finding, not also "required"
    row4 = [
        f
        for f in findings
        if f.position and f.position.sheet == "Aktivitetet" and f.position.row == 4
    ]
    assert [f.code for f in row4] == ["import.bad-id"]
