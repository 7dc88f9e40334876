"""Wording shared by the built-in rules: dates and field names in Albanian and English.

Every text is a :class:`~krat_core.messages.Message`; :func:`both` fills one in
both languages, rendering each value in the language of the side it goes to
(a date as ``13.02.2019`` or ``2019-02-13``, a code-list member by its label, a
nested Message by its text). Messages never echo a person: only the field in
question (a date, a code), never ``subject_ref`` or age.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from krat_core.findings import Problem
from krat_core.format.codelists import CodeList
from krat_core.messages import LANGUAGES, Message, format_date

__all__ = ["NONE", "Field", "Filled", "Found", "before", "both", "capital", "day", "member"]

M = TypeVar("M", bound=CodeList)

Found = Sequence[Problem]
"""What a built-in check returns: its problems, most often :data:`NONE`.

The built-in checks are plain functions returning a tuple or list rather than
generators: a record that passes then costs one call and no generator object,
which is most of the time of a validation run (each rule runs on every record).
"""
NONE: tuple[Problem, ...] = ()
"""No problem (falsy: the engine skips it without iterating)."""

BEFORE = Message(
    sq="{late} ({late_on}) është para {early} ({early_on}).",
    en="The {late} ({late_on}) is before the {early} ({early_on}).",
)


def member(cls: type[M], value: object) -> M:
    """``value`` as a member of code list ``cls`` (records built with model_copy may hold text)."""
    return value if isinstance(value, cls) else cls(value)  # type: ignore[call-arg,arg-type]


def day(value: date, lang: str) -> str:
    """A date as people write it: ``13.02.2019`` in Albanian, ``2019-02-13`` in English."""
    return format_date(value, lang)


_AS_IS = frozenset({str, int, float})


class Filled:
    """A :class:`Message` with its values, rendered later in each language (see :func:`both`)."""

    __slots__ = ("message", "values")

    def __init__(self, message: Message, **values: Any) -> None:
        self.message = message
        self.values = values


def _render(value: Any, lang: str) -> Any:
    if type(value) in _AS_IS:  # the common case, first (a code-list member is a str subclass)
        return value
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, Filled):
        return value.message.text(lang, **value.values)
    if isinstance(value, CodeList):
        return value.label(lang)
    if isinstance(value, date):
        return format_date(value, lang)
    return value


def both(message: Message, **values: Any) -> dict[str, str]:
    """``{"sq": ..., "en": ...}`` of ``message``, each value rendered in that side's language.

    For ``Problem(pointer, **both(MESSAGE, when=a_date, stage=a_member))``. Values
    that read the same in both languages (text, numbers) are passed through as they are.
    """
    out: dict[str, str] = {}
    for lang in LANGUAGES:
        filled = {k: _render(v, lang) for k, v in values.items()}
        side = message.sq if lang == "sq" else message.en
        if not isinstance(side, str):
            side = side.select(int(filled[message.count]), lang)
        out[lang] = side.format(**filled)
    return out


def capital(text: str) -> str:
    """``text`` with its first letter in upper case."""
    return text[:1].upper() + text[1:]


class Field:
    """A date field's name in English, and in Albanian as subject and after "para"/"pas".

    :attr:`subject` opens an Albanian sentence ("Data e referimit ...", capitalised;
    English keeps "the" in the sentence); :attr:`after` follows a preposition
    ("para datës së identifikimit").
    """

    __slots__ = ("abl", "after", "en", "nom", "subject")

    def __init__(self, en: str, nom: str, abl: str) -> None:
        self.en = en
        self.nom = nom
        self.abl = abl
        self.subject = Message(sq=capital(nom), en=en)
        self.after = Message(sq=abl, en=en)


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


def before(pointer: str, late: Field, late_on: date, early: Field, early_on: date) -> Problem:
    """``late`` (at ``pointer``) is before ``early``: the standard "dates in order" problem."""
    texts = both(BEFORE, late=late.subject, late_on=late_on, early=early.after, early_on=early_on)
    return Problem(pointer, **texts, value=late_on.isoformat())
