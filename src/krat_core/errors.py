"""The library's error types.

Every problem a caller can cause with bad input surfaces as :class:`KratError`
or a subclass, with a message that says where and why. Nothing else escapes
the public API for bad input, however broken.
"""

from __future__ import annotations

import os

__all__ = [
    "AnnotateError",
    "BadDeadline",
    "BadPeriod",
    "CombineError",
    "ConflictingInputs",
    "ExportError",
    "FormatError",
    "ImportFailed",
    "KratError",
    "NationalWriteError",
    "NotNationalDataset",
    "NothingToCombine",
    "PluginError",
    "PointerError",
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


# --- validation


class PointerError(KratError, LookupError):
    """A JSON pointer (RFC 6901) does not resolve in a document.

    Also a :class:`LookupError`, as it was before it became a :class:`KratError`.
    """


class AnnotateError(KratError):
    """A workbook cannot be annotated: the copy would overwrite it, or openpyxl is missing."""


# --- combine


class NotNationalDataset(FormatError):
    """A national dataset was expected, but the document is a regional submission."""


class NationalWriteError(ExportError):
    """The national dataset could not be written; no partial file is left behind."""


class CombineError(KratError):
    """The inputs of a national consolidation cannot be combined as given."""


class BadPeriod(CombineError):
    """A period asked for is not a year (``2024``) or a half-year (``2024-H1``)."""


class BadDeadline(CombineError):
    """A deadline is a date-time without a time zone."""


class ConflictingInputs(CombineError):
    """The inputs contradict each other: one digest with two contents, or two deadlines."""


class NothingToCombine(CombineError):
    """No submission was given (or none is in the periods asked for)."""
