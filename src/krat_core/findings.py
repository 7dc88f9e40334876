"""Findings: problems found in input or data, as data with stable codes and positions.

Importers report rows they cannot turn into records as findings; validators
report broken business rules as findings. Both use :class:`Finding`.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from enum import StrEnum
from typing import Any

from krat_core.messages import Message, Plural

__all__ = ["Finding", "Problem", "Severity", "SourcePosition"]

SEVERITY_NAMES: dict[str, Message] = {
    "error": Message(sq="gabim", en="error"),
    "warning": Message(sq="paralajmërim", en="warning"),
    "info": Message(sq="informacion", en="note"),
}
"""Each severity's word for a person (the one definition: reports, the CLI, annotations)."""

SEVERITY_COUNTS: dict[str, Message] = {
    "error": Message(
        sq=Plural(one="{n} gabim", other="{n} gabime"),
        en=Plural(one="{n} error", other="{n} errors"),
    ),
    "warning": Message(
        sq=Plural(one="{n} paralajmërim", other="{n} paralajmërime"),
        en=Plural(one="{n} warning", other="{n} warnings"),
    ),
    "info": Message(
        sq=Plural(one="{n} informacion", other="{n} informacione"),
        en=Plural(one="{n} note", other="{n} notes"),
    ),
}
"""``n`` findings of each severity, with the right plural: "1 gabim", "2 gabime"."""

_WHERE_SHEET = Message(sq="fleta {name!r}", en="sheet {name!r}")
_WHERE_ROW = Message(sq="rreshti {row}", en="row {row}")
_WHERE_COLUMN = Message(sq="kolona {name!r}", en="column {name!r}")


class Severity(StrEnum):
    """How bad a finding is. Ordered: ``error`` > ``warning`` > ``info``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for error, 1 for warning, 0 for info."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]

    def label(self, lang: str = "sq") -> str:
        """The severity's word in ``lang``: ``gabim``/``error``, ..., ``informacion``/``note``."""
        return SEVERITY_NAMES[self.value].text(lang)

    def counted(self, n: int, lang: str = "sq") -> str:
        """``n`` findings of this severity in ``lang``: ``1 gabim``, ``2 errors``."""
        return SEVERITY_COUNTS[self.value].text(lang, n=n)


@dataclass(frozen=True, slots=True, order=True)
class SourcePosition:
    """Where in an input file something came from. Rows and columns count from 1."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    """Column header (or letter) as the person sees it in the file."""

    def describe(self, lang: str = "en") -> str:
        """``file, sheet 'Rastet', row 7, column 'Data e identifikimit'`` (``lang`` "en" or "sq").

        In Albanian: ``file, fleta 'Rastet', rreshti 7, kolona 'Data e identifikimit'``.
        """
        parts = [self.file]
        if self.sheet:
            parts.append(_WHERE_SHEET.text(lang, name=self.sheet))
        if self.row is not None:
            parts.append(_WHERE_ROW.text(lang, row=self.row))
        if self.column:
            parts.append(_WHERE_COLUMN.text(lang, name=self.column))
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column}


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule's check yields: where in the record and why, in both languages.

    The engine turns it into a :class:`Finding`, adding the rule's code and
    severity. ``kind`` and ``record_id`` are needed only from cross-record rules.
    The texts are keyword-only, so the two languages cannot be swapped; a
    :class:`~krat_core.messages.Message` fills both at once::

        Problem("/closed_on", **NO_CLOSING_DATE.both())
    """

    pointer: str
    _: KW_ONLY
    en: str
    sq: str
    value: Any = None
    kind: str | None = None
    record_id: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: stable code, severity, where (record and source) and why (sq and en).

    ``pointer`` is a JSON pointer (RFC 6901) into the record (``""`` is the whole
    record, ``/referral/referred_on`` a field). ``value`` is the offending
    value, only where it is not personal. Everything after ``code`` and
    ``severity`` is keyword-only (``message_sq=``, ``message_en=``).
    """

    code: str
    severity: Severity
    _: KW_ONLY
    message_en: str
    message_sq: str
    kind: str | None = None
    record_id: str | None = None
    pointer: str = ""
    position: SourcePosition | None = None
    value: Any = None
    plugin: str | None = None
    rule: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "sq") -> str:
        """The message in ``lang``."""
        return self.message_sq if lang == "sq" else self.message_en

    def to_text(self, lang: str = "sq") -> str:
        """Two lines for a person: where (and the code), then what is wrong, in ``lang``."""
        where = (
            self.position.describe(lang)
            if self.position
            else (f"{self.kind or ''} {self.record_id or ''}".strip() or "-")
        )
        return f"{where}  [{self.severity.label(lang)}: {self.code}]\n    {self.message(lang)}"

    @property
    def messages(self) -> dict[str, str]:
        """``{"sq": ..., "en": ...}``: both texts (as in the JSON ``message`` member)."""
        return {"sq": self.message_sq, "en": self.message_en}

    def sort_key(self) -> tuple[Any, ...]:
        """A total order that makes reports byte-for-byte reproducible."""
        pos = self.position
        return (
            pos.file if pos else "",
            pos.sheet or "" if pos else "",
            pos.row or 0 if pos else 0,
            self.kind or "",
            self.record_id or "",
            self.pointer,
            self.code,
            self.message_en,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output (the shape documented in docs/validation.md)."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "kind": self.kind,
            "record_id": self.record_id,
            "pointer": self.pointer,
            "position": self.position.to_dict() if self.position else None,
            "value": self.value,
            "message": {"en": self.message_en, "sq": self.message_sq},
            "plugin": self.plugin,
            "rule": self.rule,
        }
