"""Output safety shared by every writer of spreadsheets and CSV."""

from __future__ import annotations

__all__ = ["FORMULA_PREFIXES", "neutralise"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection)."""


def neutralise(text: str) -> str:
    """Make a text cell inert: prefix a single quote when it starts like a formula.

    ``neutralise("=HYPERLINK(...)") == "'=HYPERLINK(...)"``; other text is unchanged.
    Only text goes through this: numbers and dates are written as typed cells.
    """
    if text and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text
