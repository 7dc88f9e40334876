"""What a text value of the format may hold, and how long it may be (issue 11).

Every writer (the workbook, CSV, Word, ICS, a terminal) must be able to write a
text the models accept and read it back unchanged, so text excludes what they
cannot hold or would obey: control characters (tab, line breaks, NUL, ESC),
line and paragraph separators, bidirectional overrides and isolates, and
noncharacters (U+FFFE is not an XML character: a workbook turns it into the
literal ``_xFFFE_``). Single-line fields (names, titles, places) exclude all of
them; multi-line values (text inside ``extensions``) may hold line feeds.

This module has no dependencies, so the importers can use the rules without
loading the models. docs/format.md ("Text rules and length bounds") explains them.
"""

from __future__ import annotations

__all__ = [
    "EXTENSION_KEY_MAX",
    "EXTENSION_TEXT_MAX",
    "ID_MAX",
    "MULTILINE_PATTERN",
    "SHORT_TEXT_MAX",
    "TEXT_FORBIDDEN",
    "TEXT_PATTERN",
]

TEXT_FORBIDDEN = (
    r"\u0000-\u001f\u007f-\u009f"  # C0 controls (tab, line breaks, NUL, ESC), DEL, C1
    r"\u2028\u2029"  # line and paragraph separators
    r"\u202a-\u202e\u2066-\u2069"  # bidirectional embeddings, overrides and isolates
    r"\ufdd0-\ufdef\ufffe\uffff"  # noncharacters (not XML characters: no workbook holds them)
)
"""The characters no single-line text may hold, as a regular-expression class body
(``\\uXXXX`` escapes: Python, Rust and ECMA-262 regular expressions read them alike)."""
TEXT_PATTERN = f"^[^{TEXT_FORBIDDEN}]*$"
"""A single-line text: none of :data:`TEXT_FORBIDDEN`."""
MULTILINE_PATTERN = "^(?:\\n|[^" + TEXT_FORBIDDEN + "])*$"
"""A multi-line text: line feeds allowed, nothing else of :data:`TEXT_FORBIDDEN`."""
ID_MAX = 40
"""Longest record id (``AL-02-C-2024-0001`` is 17 characters)."""
SHORT_TEXT_MAX = 500
"""Longest single-line text (names, titles): a few hundred characters."""
EXTENSION_TEXT_MAX = 4000
"""Longest text value inside ``extensions`` (multi-line allowed)."""
EXTENSION_KEY_MAX = 100
"""Longest key inside an ``extensions`` namespace (as long as a namespace)."""
