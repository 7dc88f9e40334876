"""Wording shared by the built-in rules: dates and field names in Albanian and English.

Messages never echo a person: only the field in question (a date, a code), never
``subject_ref`` or age.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import TypeVar

from krat_core.findings import Problem
from krat_core.format.codelists import CodeList

__all__ = ["Field", "before", "capital", "day", "member"]

M = TypeVar("M", bound=CodeList)


def member(cls: type[M], value: object) -> M:
    """``value`` as a member of code list ``cls`` (records built with model_copy may hold text)."""
    return value if isinstance(value, cls) else cls(value)  # type: ignore[call-arg,arg-type]


def day(value: date, lang: str) -> str:
    """A date as people write it: ``13.02.2019`` in Albanian, ``2019-02-13`` in English."""
    return value.strftime("%d.%m.%Y") if lang == "sq" else value.isoformat()


class Field:
    """A date field's name in English, and in Albanian as subject and after "para"/"pas"."""

    __slots__ = ("abl", "en", "nom")

    def __init__(self, en: str, nom: str, abl: str) -> None:
        self.en = en
        self.nom = nom
        self.abl = abl


IDENTIFIED = Field("identification date", "data e identifikimit", "datës së identifikimit")
REFERRED = Field("referral date", "data e referimit", "datës së referimit")
CLOSED = Field("case closing date", "data e mbylljes së rastit", "datës së mbylljes së rastit")
SUBMITTED = Field("submission date", "data e dorëzimit", "datës së dorëzimit")
ACTIVITY_START = Field(
    "activity start date", "data e fillimit të aktivitetit", "datës së fillimit të aktivitetit"
)
ACTIVITY_END = Field(
    "activity end date", "data e përfundimit të aktivitetit", "datës së përfundimit të aktivitetit"
)


@functools.lru_cache(maxsize=64)
def assistance_start(n: int) -> Field:
    """The start date of the ``n``-th (from 1) assistance of a case."""
    return Field(
        f"start date of assistance no. {n}",
        f"data e fillimit të asistencës nr. {n}",
        f"datës së fillimit të asistencës nr. {n}",
    )


@functools.lru_cache(maxsize=64)
def assistance_end(n: int) -> Field:
    """The end date of the ``n``-th (from 1) assistance of a case."""
    return Field(
        f"end date of assistance no. {n}",
        f"data e përfundimit të asistencës nr. {n}",
        f"datës së përfundimit të asistencës nr. {n}",
    )


def capital(text: str) -> str:
    """``text`` with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def before(pointer: str, late: Field, late_on: date, early: Field, early_on: date) -> Problem:
    """``late`` (at ``pointer``) is before ``early``: the standard "dates in order" problem."""
    return Problem(
        pointer=pointer,
        en=(
            f"The {late.en} ({day(late_on, 'en')}) is before the {early.en} "
            f"({day(early_on, 'en')})."
        ),
        sq=(
            f"{capital(late.nom)} ({day(late_on, 'sq')}) është para {early.abl} "
            f"({day(early_on, 'sq')})."
        ),
        value=late_on.isoformat(),
    )
