"""Releases are remembered (issue 12, item 3): the register, `krat releases`, and a
revision that would single out fewer than N people held back."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krat_core.cli import cli
from krat_core.demo.synthetic import synthetic_subject_ref
from krat_core.errors import ReleaseRegisterError
from krat_core.format.canonical import dump_submission
from krat_core.format.models import Submission
from krat_core.reporting.register import (
    REGISTER_NAME,
    ReleaseRecord,
    append_release,
    cells_digest,
    read_register,
    revision_changes,
)


@pytest.fixture
def durres_file(tmp_path: Path, durres_2024: Submission) -> Path:
    path = tmp_path / "AL-02-2024.json"
    path.write_bytes(dump_submission(durres_2024))
    return path


def _one_more_case(sub: Submission) -> Submission:
    extra = sub.cases[0].model_copy(
        update={"id": "AL-02-C-2024-9001", "subject_ref": synthetic_subject_ref("added")}
    )
    return sub.model_copy(update={"cases": [*sub.cases, extra]})


def test_public_releases_are_recorded_and_listed(runner, tmp_path, durres_file) -> None:
    out = tmp_path / "out"
    out.mkdir()
    first = runner.invoke(cli, ["report", str(durres_file), "-o", str(out / "a.docx")])
    assert first.exit_code == 0, first.output
    assert "publikimi u regjistrua" in first.output and "0 publikime" in first.output
    again = runner.invoke(
        cli, ["report", str(durres_file), "-o", str(out / "a.zip"), "--lang", "en"]
    )
    assert "audited jointly with 1 earlier release of 2024" in again.output
    # Not a publication of tables: not recorded.
    runner.invoke(
        cli, ["report", str(durres_file), "-o", str(out / "c.docx"), "--audience", "committee"]
    )
    runner.invoke(cli, ["report", str(durres_file), "-o", str(out / "k.ics")])
    records = read_register(out)
    assert [r.output for r in records] == ["a.docx", "a.zip"]
    assert records[0].digest == records[1].digest == cells_digest(records[0].cells or {})
    assert records[0].scope == "AL-02" and records[0].audience == "public"
    assert stat.S_IMODE((out / REGISTER_NAME).stat().st_mode) == 0o600
    listed = runner.invoke(cli, ["releases", str(out), "--lang", "en"])
    assert listed.exit_code == 0
    assert "2 releases recorded" in listed.output and "a.docx" in listed.output
    as_json = json.loads(runner.invoke(cli, ["releases", str(out), "--json"]).output)
    assert [r["output"] for r in as_json] == ["a.docx", "a.zip"]
    empty = runner.invoke(cli, ["releases", str(tmp_path), "--lang", "en"])
    assert "No release recorded" in empty.output


def test_a_revision_of_one_case_is_held_back(runner, tmp_path, durres_file, durres_2024) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert (
        runner.invoke(cli, ["report", str(durres_file), "-o", str(out / "a.docx")]).exit_code == 0
    )
    revised = tmp_path / "AL-02-2024-v2.json"
    revised.write_bytes(dump_submission(_one_more_case(durres_2024)))
    before = (out / REGISTER_NAME).read_bytes()
    held = runner.invoke(cli, ["report", str(revised), "-o", str(out / "b.docx"), "--lang", "en"])
    assert held.exit_code == 2
    assert "revision held back" in held.output and "the earlier release stands" in held.output
    assert not (out / "b.docx").exists()
    assert (out / REGISTER_NAME).read_bytes() == before  # nothing appended
    # Elsewhere (no earlier release there) it is a first release.
    other = tmp_path / "other"
    other.mkdir()
    assert runner.invoke(cli, ["report", str(revised), "-o", str(other / "b.docx")]).exit_code == 0


def test_a_damaged_register_is_an_error(runner, tmp_path, durres_file) -> None:
    (tmp_path / REGISTER_NAME).write_text("{not json\n", encoding="utf-8")
    with pytest.raises(ReleaseRegisterError, match="line 1"):
        read_register(tmp_path)
    result = runner.invoke(cli, ["releases", str(tmp_path)])
    assert result.exit_code == 2


def test_the_register_is_append_only(tmp_path) -> None:
    one = ReleaseRecord.of(
        {"a": "7"}, period="2024", scope="national", audience="public", threshold=5, output="x"
    )
    two = ReleaseRecord.of(
        {"a": "7"},
        period="2024",
        scope="national",
        audience="committee",
        threshold=None,
        output="y",
    )
    append_release(tmp_path, one)
    first = (tmp_path / REGISTER_NAME).read_bytes()
    append_release(tmp_path, two)
    assert (tmp_path / REGISTER_NAME).read_bytes().startswith(first)
    assert read_register(tmp_path) == [one, two]
    assert two.cells is None  # a committee release keeps no cells


cell = st.one_of(st.integers(0, 60).map(str), st.sampled_from(["<5", "x"]))


@given(
    st.dictionaries(st.sampled_from("abcdef"), cell),
    st.dictionaries(st.sampled_from("abcdef"), cell),
)
def test_revision_changes_flags_every_small_or_hidden_change(old, new) -> None:
    changed = set(revision_changes(new, old, 5))
    for key in set(old) | set(new):
        a, b = old.get(key, "0"), new.get(key, "0")
        hidden = not a.isdigit() and not b.isdigit()  # both hidden: the joint audit's
        small = (
            a != b
            and not hidden
            and (not (a.isdigit() and b.isdigit()) or abs(int(a) - int(b)) < 5)
        )
        assert (key in changed) == small
    assert revision_changes(old, old, 5) == []
