"""The library's error types.

Every problem a caller can cause with bad input surfaces as :class:`KratError`
or a subclass, with a message that says where and why. Nothing else escapes
the public API for bad input, however broken.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping, Sequence
from typing import Literal

__all__ = [
    "AnnotateError",
    "ArchiveError",
    "BadDeadline",
    "BadPeriod",
    "CombineError",
    "ComparisonMismatch",
    "ConflictingInputs",
    "ExportError",
    "ExporterUnavailable",
    "ExtensionError",
    "FormatError",
    "IdentityWithoutKey",
    "ImportFailed",
    "ImportRefused",
    "KeyFileError",
    "KeyFileExists",
    "KratError",
    "MalformedTable",
    "NationalWriteError",
    "NoInputFiles",
    "NotNationalDataset",
    "NothingToCombine",
    "NothingToReport",
    "PluginError",
    "PointerError",
    "RecordsNotRequested",
    "ReleaseHeldBack",
    "ReleaseRegisterError",
    "ReportConfigError",
    "ReportError",
    "ReportOptionError",
    "SchemaVersionError",
    "UnknownImporter",
    "UnknownLanguage",
    "UnknownOutputFormat",
    "UnsupportedDataset",
    "os_reason",
]


def _texts(message: str | Mapping[Literal["sq", "en"], str]) -> dict[Literal["sq", "en"], str]:
    if isinstance(message, str):
        return {"sq": message, "en": message}
    return {"sq": message["sq"], "en": message["en"]}


_OS_REASONS_SQ = {
    errno.ENOENT: "nuk ekziston ky skedar ose kjo dosje",
    errno.EACCES: "leje e mohuar",
    errno.EPERM: "veprim i palejuar",
    errno.EEXIST: "ekziston tashmë",
    errno.ENOTDIR: "nuk është dosje",
    errno.EISDIR: "është dosje",
    errno.ENOSPC: "nuk ka më hapësirë në disk",
    errno.EROFS: "sistemi i skedarëve lejon vetëm leximin",
}


def os_reason(exc: OSError) -> dict[Literal["sq", "en"], str]:
    """Why the system refused (``exc.strerror``) in Albanian and English.

    The Albanian text covers the common causes (missing, no permission, no space...);
    others keep the system's own words.
    """
    en = exc.strerror or str(exc)
    return {"sq": _OS_REASONS_SQ.get(exc.errno or 0, en), "en": en}


class KratError(Exception):
    """Base class of every error KRAT raises on purpose.

    ``message`` is a plain string (the same in both languages, kept for
    compatibility) or ``{"sq": ..., "en": ...}`` as
    :meth:`krat_core.messages.Message.both` returns it. ``str(exc)`` and
    ``exc.message`` are English; :meth:`localized` gives either language.
    ``source`` names the file (or other input) the error is about, when known.
    """

    def __init__(
        self,
        message: str | Mapping[Literal["sq", "en"], str],
        *,
        source: str | os.PathLike[str] | None = None,
    ) -> None:
        self.texts: dict[Literal["sq", "en"], str] = _texts(message)
        self.message = self.texts["en"]
        self.source = os.fspath(source) if source is not None else None
        super().__init__(f"{self.source}: {self.message}" if self.source else self.message)

    def localized(self, lang: str = "sq") -> str:
        """``source: message`` in ``lang`` (``"sq"`` or ``"en"``)."""
        text = self.texts["en" if lang == "en" else "sq"]
        return f"{self.source}: {text}" if self.source else text


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
        message: str | Mapping[Literal["sq", "en"], str],
        *,
        plugin: str | None = None,
        source: str | os.PathLike[str] | None = None,
    ) -> None:
        self.plugin = plugin
        texts = _texts(message)
        if plugin:
            texts = {
                "sq": f"shtojca {plugin!r}: {texts['sq']}",
                "en": f"plugin {plugin!r}: {texts['en']}",
            }
        super().__init__(texts, source=source)


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


# --- issue 13: the annual analysis


class ReportConfigError(ReportError):
    """The report configuration file (TOML) cannot be read, is not TOML, or has
    an unknown key or a value of the wrong type."""


class UnknownOutputFormat(ReportError):
    """No output format, or more than one, fits the output's name: the format must be named."""


class MalformedTable(ReportError):
    """A table handed to disclosure control does not hold counts of people where
    its grid says, or its rows differ in length."""


class ExporterUnavailable(ExportError):
    """An output format needs an optional library that is not installed (an extra of krat)."""


# --- importing


class ImportRefused(ImportFailed):
    """An input file cannot be read at all; the message exists in Albanian and English.

    ``code`` is a stable code (``import.not-a-workbook``, ``import.zip-bomb``...)
    listed in ``docs/importing.md``; ``texts`` maps ``"sq"`` and ``"en"`` to the
    message (what :meth:`krat_core.messages.Message.both` returns).
    """

    def __init__(
        self,
        texts: Mapping[Literal["sq", "en"], str],
        *,
        code: str,
        source: str | os.PathLike[str] | None,
    ) -> None:
        self.code = code
        super().__init__(texts, source=source)

    @property
    def message_en(self) -> str:
        """The message in English (without the file name)."""
        return self.texts["en"]

    @property
    def message_sq(self) -> str:
        """The message in Albanian (without the file name)."""
        return self.texts["sq"]


class IdentityWithoutKey(ImportRefused):
    """The file has identity columns (names, date of birth) but no pseudonymisation key.

    ``columns`` are the headers of those columns as the file spells them.
    """

    def __init__(
        self,
        texts: Mapping[Literal["sq", "en"], str],
        *,
        columns: Sequence[str],
        source: str | os.PathLike[str] | None,
    ) -> None:
        self.columns = tuple(columns)
        super().__init__(texts, code="import.identity-without-key", source=source)


class UnknownImporter(KratError):
    """An importer was asked for by a name no loaded plugin provides."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = tuple(known)
        listed_en = ", ".join(self.known) or "none"
        listed_sq = ", ".join(self.known) or "asnjë"
        super().__init__(
            {
                "sq": f"asnjë importues nuk quhet {name!r}; importuesit janë: {listed_sq}",
                "en": f"no importer named {name!r}; the importers are: {listed_en}",
            }
        )


class NoInputFiles(ImportFailed):
    """An import was asked for without any file."""


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


# --- archive


class ArchiveError(KratError):
    """The archive cannot be opened or used: no database given, damaged, or refused."""


# --- issue 12: what leaves the office


class RecordsNotRequested(ReportError):
    """A record-level output (case records) was asked for without asking for records
    explicitly: record-level files are never written by default."""


class ReleaseHeldBack(ReportError):
    """A new public release of an already-published period would single out fewer
    people than the threshold by its changes; the earlier release stands.

    ``changed`` names the cells; ``earlier`` is the release record it was compared with.
    """

    def __init__(
        self,
        message: str | Mapping[Literal["sq", "en"], str],
        *,
        changed: Sequence[str] = (),
        earlier: object = None,
    ) -> None:
        super().__init__(message)
        self.changed = list(changed)
        self.earlier = earlier


class ReleaseRegisterError(ReportError):
    """The release register next to the outputs cannot be read or appended to."""


class ExtensionError(FormatError):
    """Extension data on a record is not allowed: an undeclared key, a value that is
    not a scalar within its bounds, or a key or value that looks like a person's identity."""
