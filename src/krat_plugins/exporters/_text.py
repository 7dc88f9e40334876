"""Text that every output format can hold, and zip files with reproducible bytes.

The models accept text the file formats cannot store as such: XML 1.0 (Word,
Excel) has no place for C0 controls other than tab, line feed and carriage
return, nor for U+FFFE, U+FFFF or lone surrogates; CSV readers and terminals
misread NUL and ESC; RFC 5545 forbids every control but tab. The helpers here
replace what a format cannot hold with something visible: a C0 control
becomes its Unicode "control picture" (NUL -> U+2400 ␀, ESC -> U+241B ␛,
DEL -> U+2421 ␡), anything else (C1 controls, noncharacters, lone
surrogates) the replacement character U+FFFD. Text without such characters
(nearly all text) is returned unchanged, after one regular-expression search.

:func:`fixed_zip` rewrites a zip file (docx, xlsx) with one fixed time on
every entry, in a fixed order, so the same input gives the same bytes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path

__all__ = ["XML_UNSAFE", "csv_text", "fixed_zip", "xml_escape", "xml_text"]

XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold."""
_CSV_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def xml_text(text: str) -> str:
    """``text`` with what XML 1.0 cannot hold made visible (tab and line ends kept)."""
    return XML_UNSAFE.sub(_picture, text) if XML_UNSAFE.search(text) else text


def xml_escape(text: str) -> str:
    """``text`` as XML character data or an attribute value in double quotes: ``&``,
    ``<``, ``>`` and ``"`` escaped (what :func:`xml.sax.saxutils.escape` does,
    without importing :mod:`xml.sax`, which costs the CLI's start-up ~10 ms)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def csv_text(text: str) -> str:
    """``text`` with C0 (but tab and line ends), DEL and C1 controls made visible."""
    return _CSV_BAD.sub(_picture, text) if _CSV_BAD.search(text) else text


_CORE = "docProps/core.xml"
_CORE_TIMES = re.compile(
    rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)"
)
"""The times in a document's core properties (the writer sets "modified" to now)."""


def fixed_zip(path: Path, day: date, replace: Mapping[str, bytes] | None = None) -> None:
    """Rewrite the zip file ``path`` with every entry dated ``day`` at midnight and
    stored in name order after ``[Content_Types].xml`` (which Office wants first),
    so that its bytes depend on its contents only; the created and modified times
    of ``docProps/core.xml`` become ``day`` too. ``replace`` gives new contents for
    some entries (by name)."""
    replace = replace or {}
    with zipfile.ZipFile(path) as source:
        entries = [
            (info.filename, replace.get(info.filename) or source.read(info))
            for info in source.infolist()
        ]
    when = f"{day.isoformat()}T00:00:00Z".encode()
    entries = [
        (name, _CORE_TIMES.sub(rb"\g<1>" + when + rb"\g<2>", data) if name == _CORE else data)
        for name, data in entries
    ]
    first = "[Content_Types].xml"
    entries.sort(key=lambda e: (e[0] != first, e[0]))
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
