"""Atomic writing: unwritable targets are clear errors; failures leave nothing behind."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from krat_core.atomic import PRIVATE, PUBLIC, atomic_path, write_bytes_atomic
from krat_core.cli import cli
from krat_core.errors import ExportError


def test_a_target_under_a_file_is_an_export_error_naming_it(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x")
    target = not_a_folder / "out.json"
    with pytest.raises(ExportError, match=r"out\.json: cannot write here"):
        write_bytes_atomic(target, b"{}")
    with pytest.raises(ExportError, match="cannot write here"), atomic_path(target, directory=True):
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


# --------------------------------------------------------------------------- private, durable, safe


def test_outputs_are_private_unless_public(tmp_path: Path) -> None:
    write_bytes_atomic(tmp_path / "cases.json", b"{}")
    write_bytes_atomic(tmp_path / "schema.json", b"{}", mode=PUBLIC)
    assert stat.S_IMODE((tmp_path / "cases.json").stat().st_mode) == PRIVATE == 0o600
    assert stat.S_IMODE((tmp_path / "schema.json").stat().st_mode) == 0o644
    with atomic_path(tmp_path / "csv", directory=True) as folder:
        (folder / "records.csv").write_bytes(b"a\n")
    assert stat.S_IMODE((tmp_path / "csv" / "records.csv").stat().st_mode) == 0o600


def test_only_regular_files_are_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "elsewhere.json")
    for target in (fifo, link, Path("/dev/null")):
        with pytest.raises(ExportError, match="not a regular file"):
            write_bytes_atomic(target, b"{}")
    assert fifo.is_fifo() and link.is_symlink() and not (tmp_path / "elsewhere.json").exists()
    folder = tmp_path / "folder.json"
    folder.mkdir()
    with pytest.raises(ExportError, match="a folder"):
        write_bytes_atomic(folder, b"{}")


def test_a_full_disk_is_an_export_error_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    with pytest.raises(ExportError, match="No space left on device"), atomic_path(target):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert list(tmp_path.iterdir()) == []


def test_a_concurrent_writer_is_not_silently_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "national-2024.json"
    target.write_bytes(b"first run")
    with (
        pytest.raises(ExportError, match="another program wrote this file"),
        atomic_path(target) as tmp,
    ):
        tmp.write_bytes(b"second run")
        other = tmp_path / "other-writer.tmp"
        other.write_bytes(b"third run, finished first")
        os.replace(other, target)
    assert target.read_bytes() == b"third run, finished first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["national-2024.json"]


def test_leftovers_of_a_killed_writer_are_removed_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "cases.json"
    stale = tmp_path / f".cases.json.{2**22 + 12345}.abcd.tmp"  # above any pid_max
    stale.write_bytes(b"case data of a crashed run")
    mine = tmp_path / f".cases.json.{os.getpid()}.efgh.tmp"
    mine.write_bytes(b"a write in progress in this process")
    write_bytes_atomic(target, b"{}")
    assert not stale.exists() and mine.exists()
    assert target.read_bytes() == b"{}"
