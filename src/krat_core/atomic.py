"""Atomic file writing: a temporary file in the target's folder, renamed on success.

A failure mid-way (a crashing writer, a full disk, Ctrl-C) leaves no partial
file and leaves an existing file at the target untouched. A target that cannot
be written at all (no permission, not a folder, read-only file system) raises
:class:`~krat_core.errors.ExportError` naming it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from krat_core.errors import ExportError

__all__ = ["atomic_path", "write_bytes_atomic"]


@contextlib.contextmanager
def atomic_path(
    target: str | os.PathLike[str], *, directory: bool = False, mode: int | None = None
) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; move it onto ``target`` if the block succeeds.

    With ``directory=True`` the temporary path is an empty folder (for outputs
    that are a folder of files), and an existing folder at ``target`` is replaced.
    A file gets permissions ``mode`` (e.g. 0o600), by default 0o644 less the umask.
    """
    target = Path(target)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        if directory:
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
        else:
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
            os.close(fd)
            tmp = Path(name)
    except OSError as exc:
        raise ExportError(f"cannot write here: {exc.strerror or exc}", source=target) from None
    try:
        yield tmp
        _move_into_place(tmp, target, directory=directory, mode=mode)
    finally:
        if tmp.exists():
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)


def _move_into_place(tmp: Path, target: Path, *, directory: bool, mode: int | None) -> None:
    """Rename the finished temporary file or folder onto ``target``."""
    parent = target.parent
    try:
        if directory:
            if target.exists():
                backup = Path(
                    tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent)
                )
                backup.rmdir()
                target.rename(backup)
                tmp.rename(target)
                shutil.rmtree(backup, ignore_errors=True)
            else:
                tmp.rename(target)
        else:
            os.chmod(tmp, mode if mode is not None else 0o644 & ~_umask())
            os.replace(tmp, target)
    except OSError as exc:
        raise ExportError(f"cannot write here: {exc.strerror or exc}", source=target) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(
    target: str | os.PathLike[str], data: bytes, *, mode: int | None = None
) -> None:
    """Write ``data`` to ``target`` atomically; ``mode`` sets permissions (e.g. 0o600)."""
    with atomic_path(target, mode=mode) as tmp:
        try:
            tmp.write_bytes(data)
        except OSError as exc:
            raise ExportError(f"cannot write: {exc.strerror or exc}", source=target) from None
