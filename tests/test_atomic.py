"""Atomic writing: unwritable targets are clear errors; failures leave nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from krat_core.atomic import atomic_path, write_bytes_atomic
from krat_core.cli import cli
from krat_core.errors import ExportError


def test_a_target_under_a_file_is_an_export_error_naming_it(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x")
    target = not_a_folder / "out.json"
    with pytest.raises(ExportError, match=r"out\.json: cannot write here"):
        write_bytes_atomic(target, b"{}")
    with pytest.raises(ExportError, match="cannot write here"), atomic_path(
        target, directory=True
    ):
        pass  # pragma: no cover - never entered
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_failing_block_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("writer crashed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_cli_writing_where_it_cannot_exits_2_without_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(cli, ["template", "-o", str(blocker / "t.xlsx")])
    assert result.exit_code == 2, result.output
    assert "cannot write here" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
