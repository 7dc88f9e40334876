"""The library's error types.

Every problem a caller can cause with bad input surfaces as :class:`KratError`
or a subclass, with a message that says where and why. Nothing else escapes
the public API for bad input, however broken.
"""

from __future__ import annotations

import os

__all__ = [
    "ArchiveError",
    "ExportError",
    "FormatError",
    "ImportFailed",
    "KratError",
    "PluginError",
    "SchemaVersionError",
]


class KratError(Exception):
    """Base class of every error KRAT raises on purpose.

    ``source`` names the file (or other input) the error is about, when known.
    """

    def __init__(self, message: str, *, source: str | os.PathLike[str] | None = None) -> None:
        self.message = message
        self.source = os.fspath(source) if source is not None else None
        super().__init__(f"{self.source}: {message}" if self.source else message)


class FormatError(KratError):
    """A document is not a valid KRAT document (syntax, shape or field values)."""


class SchemaVersionError(FormatError):
    """A document declares a schema version this library cannot read."""


class ImportFailed(KratError):
    """An input file could not be read at all (not a workbook, too large, empty...)."""


class PluginError(KratError):
    """A plugin is broken: duplicate names, a misspelled hook, a failing hook."""

    def __init__(
        self,
        message: str,
        *,
        plugin: str | None = None,
        source: str | os.PathLike[str] | None = None,
    ) -> None:
        self.plugin = plugin
        super().__init__(f"plugin {plugin!r}: {message}" if plugin else message, source=source)


class ExportError(KratError):
    """An output could not be written; no partial file is left behind."""


# --- archive


class ArchiveError(KratError):
    """The archive cannot be opened or used: no database given, damaged, or refused."""
