"""Wording shared by several report tables, and the keys of shared quantities.

A text used by one table module only is defined in that module; the ones here
head or annotate tables of several modules (the "Total" row, the minors and
adults columns, the note on counting people).
"""

from __future__ import annotations

from krat_core.messages import Message

__all__ = [
    "ADULTS",
    "MINORS",
    "MULTI_NOTE",
    "NOT_RECORDED",
    "PEOPLE_NOTE",
    "REGION",
    "SHARE_ADULTS",
    "SHARE_CASES",
    "SHARE_MINORS",
    "STATUS",
    "TOTAL",
]

TOTAL = Message(sq="Gjithsej", en="Total")
MINORS = Message(sq="Të mitur (nën 18 vjeç)", en="Minors (under 18)")
ADULTS = Message(sq="Të rritur", en="Adults")
NOT_RECORDED = Message(sq="pa të dhëna", en="not recorded")
REGION = Message(sq="Qarku", en="Region")
STATUS = Message(sq="Statusi", en="Status")
PEOPLE_NOTE = Message(
    sq="Numri i rasteve (viktima dhe viktima të mundshme). Një person i raportuar nga dy qarqe "
    "numërohet një herë në secilin qark.",
    en="Number of cases (victims and potential victims). A person reported by two regions is "
    "counted once in each region.",
)
MULTI_NOTE = Message(
    sq="Një rast me disa vlera numërohet në secilën prej tyre, prandaj rreshtat nuk mblidhen "
    "në numrin e rasteve.",
    en="A case with several values is counted under each, so the rows do not add up to the "
    "number of cases.",
)

# Shared quantities: cells showing the same number in several tables (see Table.shared).
SHARE_CASES = "cases.total"
SHARE_MINORS = "cases.minors"
SHARE_ADULTS = "cases.adults"
