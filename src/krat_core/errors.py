"""The library's error types.

Every problem a caller can cause with bad input surfaces as :class:`KratError`
or a subclass, with a message that says where and why. Nothing else escapes
the public API for bad input, however broken.
"""

from __future__ import annotations

import os

__all__ = [
    "ComparisonMismatch",
    "ExportError",
    "ExporterUnavailable",
    "FormatError",
    "ImportFailed",
    "KeyFileError",
    "KeyFileExists",
    "KratError",
    "MalformedTable",
    "NothingToReport",
    "PluginError",
    "ReportError",
    "ReportOptionError",
    "SchemaVersionError",
    "UnknownLanguage",
    "UnknownOutputFormat",
    "UnsupportedDataset",
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


# --- format


class KeyFileError(KratError):
    """The pseudonymisation key file cannot be read, is malformed, or cannot be written."""


class KeyFileExists(KeyFileError):
    """A key file is already there: it is kept, since replacing the national key breaks
    matching with earlier years."""


# --- messages


class UnknownLanguage(KratError):
    """A language other than ``sq`` (Albanian) or ``en`` (English) was asked for."""


# --- reporting


class ReportError(KratError):
    """A report cannot be made from what was given (one of the subclasses says why)."""


class UnsupportedDataset(ReportError):
    """The input is neither a regional submission nor a national dataset."""


class NothingToReport(ReportError):
    """The dataset covers no period, so there is no report to make."""


class ComparisonMismatch(ReportError):
    """A comparison dataset is of the report's own period, or of another scope
    (another region, or national against regional)."""


class ReportOptionError(ReportError):
    """A report option is out of range: the suppression threshold, the report
    date or the language."""


class UnknownOutputFormat(ReportError):
    """No output format, or more than one, fits the output's name: the format must be named."""


class MalformedTable(ReportError):
    """A table handed to disclosure control does not hold counts of people where
    its grid says, or its rows differ in length."""


class ExporterUnavailable(ExportError):
    """An output format needs an optional library that is not installed (an extra of krat)."""
