"""Atomic, private file writing: a temporary file in the target's folder, renamed on success.

What every output of KRAT gets from here:

* **All or nothing.** A failure mid-way (a crashing writer, a full disk, Ctrl-C)
  leaves no partial file and leaves an existing file at the target untouched;
  the temporary file is removed on every error path, and one left by a killed
  process is removed by the next write to the same target.
* **Private by default.** Files are created mode 0600 (owner only): outputs
  hold case data unless the caller says otherwise (``mode=PUBLIC``).
* **Durable.** The data is fsynced before the rename and the folder after it.
* **Only files are replaced.** A target that exists and is not a regular file
  (a device node, a pipe, a symbolic link) is refused.
* **No silent lost update.** If another program writes the target while this
  write is in progress, this write refuses to replace it.

A target that cannot be written at all (no permission, not a folder, disk
full, read-only file system) raises :class:`~krat_core.errors.ExportError`
naming it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from krat_core.errors import ExportError, os_reason

__all__ = ["PRIVATE", "PUBLIC", "atomic_path", "write_bytes_atomic"]

PRIVATE = 0o600
"""Owner read/write only: the default for every output."""
PUBLIC = 0o644
"""World-readable: for outputs that hold no case data (templates, schemas)."""

_SUFFIX = ".tmp"


def _cannot_write(exc: OSError, target: Path, *, here: bool) -> ExportError:
    """The error for an OS failure writing ``target`` (``here``: the place itself fails)."""
    reason = os_reason(exc)
    where_sq, where_en = (" këtu", " here") if here else ("", "")
    return ExportError(
        {
            "sq": f"nuk mund të shkruhet{where_sq}: {reason['sq']}",
            "en": f"cannot write{where_en}: {reason['en']}",
        },
        source=target,
    )


def _state(target: Path) -> tuple[int, int, int] | None:
    """What identifies the target's current content: inode, size, mtime (None: absent)."""
    try:
        info = target.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _cannot_write(exc, target, here=True) from None
    return info.st_ino, info.st_size, info.st_mtime_ns


def _check_replaceable(target: Path, *, directory: bool) -> None:
    try:
        info = target.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _cannot_write(exc, target, here=True) from None
    if directory and stat.S_ISDIR(info.st_mode):
        return
    if not stat.S_ISREG(info.st_mode):
        folder = stat.S_ISDIR(info.st_mode)
        raise ExportError(
            {
                "sq": ("është dosje" if folder else "nuk është skedar i zakonshëm")
                + "; zëvendësohen vetëm skedarët e zakonshëm",
                "en": ("a folder" if folder else "not a regular file")
                + "; only regular files are replaced",
            },
            source=target,
        )


def _remove_leftovers(target: Path) -> None:
    """Remove temporary files a killed process left for this target (its pid is gone)."""
    with contextlib.suppress(OSError):
        for leftover in target.parent.glob(f".{target.name}.*{_SUFFIX}"):
            pid_text = leftover.name[len(target.name) + 2 :].split(".", 1)[0]
            if not pid_text.isdigit() or int(pid_text) == os.getpid() or _alive(int(pid_text)):
                continue
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


@contextlib.contextmanager
def atomic_path(
    target: str | os.PathLike[str], *, directory: bool = False, mode: int = PRIVATE
) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; move it onto ``target`` if the block succeeds.

    With ``directory=True`` the temporary path is an empty folder (for outputs
    that are a folder of files), and an existing folder at ``target`` is
    replaced. A file gets permissions ``mode`` (default :data:`PRIVATE`, 0600).
    An ``OSError`` inside the block (a full disk) becomes an :class:`ExportError`.
    """
    target = Path(target)
    parent = target.parent
    _check_replaceable(target, directory=directory)
    before = None if directory else _state(target)
    prefix = f".{target.name}.{os.getpid()}."
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(target)
        if directory:
            tmp = Path(tempfile.mkdtemp(prefix=prefix, suffix=_SUFFIX, dir=parent))
        else:
            fd, name = tempfile.mkstemp(prefix=prefix, suffix=_SUFFIX, dir=parent)
            os.close(fd)
            tmp = Path(name)
    except OSError as exc:
        raise _cannot_write(exc, target, here=True) from None
    try:
        try:
            yield tmp
        except OSError as exc:
            raise _cannot_write(exc, target, here=False) from None
        if not directory and _state(target) != before:
            raise ExportError(
                {
                    "sq": "një program tjetër e shkroi këtë skedar ndërsa KRAT po e shkruante; "
                    "nuk u zëvendësua (ekzekutojeni përsëri për ta shkruar)",
                    "en": "another program wrote this file while KRAT was writing it; it was "
                    "not replaced (run again to write it)",
                },
                source=target,
            )
        _move_into_place(tmp, target, directory=directory, mode=mode)
    finally:
        if tmp.exists():
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)


def _fsync(path: Path, *, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return  # some file systems do not open folders; durability is best effort there
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _move_into_place(tmp: Path, target: Path, *, directory: bool, mode: int) -> None:
    """Sync and rename the finished temporary file or folder onto ``target``."""
    parent = target.parent
    try:
        if directory:
            for path in sorted(tmp.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    os.chmod(path, mode)
                    _fsync(path)
            if target.exists():
                backup = Path(
                    tempfile.mkdtemp(
                        prefix=f".{target.name}.{os.getpid()}.", suffix=".old", dir=parent
                    )
                )
                backup.rmdir()
                target.rename(backup)
                tmp.rename(target)
                shutil.rmtree(backup, ignore_errors=True)
            else:
                tmp.rename(target)
        else:
            os.chmod(tmp, mode)
            _fsync(tmp)
            os.replace(tmp, target)
        _fsync(parent, directory=True)
    except OSError as exc:
        raise _cannot_write(exc, target, here=True) from None


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes, *, mode: int = PRIVATE) -> None:
    """Write ``data`` to ``target`` atomically and fsynced, with permissions ``mode`` (0600)."""
    with atomic_path(target, mode=mode) as tmp:
        tmp.write_bytes(data)
