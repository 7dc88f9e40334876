"""One mechanism for every user-facing text: Albanian and English side by side.

Every text a person reads (finding messages, command-line lines, report
labels) is a :class:`Message` written with keyword arguments, so no message
can lack a language and the two can never be swapped::

    ROWS_READ = Message(
        sq=Plural(one="{n} rresht u lexua", other="{n} rreshta u lexuan"),
        en=Plural(one="{n} row read", other="{n} rows read"),
    )
    ROWS_READ.text("sq", n=2)          # '2 rreshta u lexuan'
    ROWS_READ.both(n=1)                # {'sq': '1 rresht u lexua', 'en': '1 row read'}

Why a Python catalog rather than gettext ``.po`` files: the two languages are
written by the same people who write the code, a finding carries *both*
languages at once (the JSON report holds ``message.sq`` and ``message.en``),
and a ``.po`` catalog would add a compile step to the build and a second
place where a message can go stale. Plural categories and number formats
come from the Unicode CLDR through Babel, so they are right for Albanian
without rules of our own.

Grammar notes for writers of Albanian messages (checked by
``tests/test_messages.py`` for 0, 1 and 2):

* Albanian has two plural categories, like English: *one* for exactly 1 and
  *other* for everything else, 0 included ("0 gabime", "1 gabim",
  "2 gabime").
* Adjectives and participles agree with the noun in gender and number:
  "fusha është **e** detyrueshme" (fushë, feminine) but "numri është **i**
  detyrueshëm" (numër, masculine). Prefer phrasings that name the field
  generically ("vlera në fushën 'X' mungon") when the field's gender is not known.
* The decimal separator is a comma and thousands are grouped with a
  (narrow) space: use :func:`format_number`, never ``str(n)``, for figures in prose.
  In a template, ``{n:,}`` (and ``{x:,.1f}``) does this for each language: the
  Albanian side reads ``1 048 576``, the English ``1,048,576``.
* Dates in Albanian text are ``dd.mm.yyyy``; in English, ISO 8601 (:func:`format_date`).

Plural and agreement rules, with the forms KRAT uses (tested for 0, 1 and 2 in
``tests/test_albanian_forms.py``):

* The noun takes its plural after every number but 1: "1 rresht" / "0 rreshta",
  "2 rreshta"; "1 qelizë" / "2 qeliza"; "1 rast" / "2 raste"; "1 institucion"
  / "2 institucione"; "1 paralajmërim" / "2 paralajmërime". Write both forms
  in a :class:`Plural`; never "rresht(a)".
* An adjective or participle after a counted noun agrees with it in number
  *and* takes the plural article: "1 qelizë e shënuar" but "2 qeliza të
  shënuara"; "1 dorëzim i kontrolluar" / "2 dorëzime të kontrolluara"; "1
  hyrje që nuk u lexua" / "2 hyrje që nuk u lexuan" (the verb agrees too).
  So the adjective belongs inside the :class:`Plural` form, with its noun.
* Two counts in one sentence each choose their own form: give each its own
  message (``VALID_WORD.text(lang, n=valid)``) rather than one Plural for both.
* "tjetër" (other) has the article only in the plural: "dhe 1 tjetër", "dhe 2
  të tjera".
* Gender: feminine nouns (fushë, qelizë, vlerë, datë, kolonë) take "e" ("e
  detyrueshme", "e vlefshme"); masculine ones (numër, kod, rast, rresht) take
  "i" ("i vlefshëm"). When a message fills in a column or a value whose gender
  varies ("'Burimi i identifikimit'", masculine; "'Data e identifikimit'",
  feminine), name the generic noun first and let the adjective agree with it:
  "fusha {what} është e detyrueshme", "vlera {value} nuk është e vlefshme".
* Definite forms after a preposition or in the genitive change the ending:
  "në fletën {sheet}", "rreshti i rastit", "kolonat e emrit". Keep such a noun
  in the template, not in a placeholder, so its ending is written once.
* A place named after "në" is in the accusative, and the genitive that follows
  it takes "të" in both numbers: "është tashmë në rreshtin 3 të fletës
  'Rastet'", "në rreshtat 4 dhe 6 të fletës 'Rastet'", "në rreshtin 2 të
  skedarit 'rastet.csv'" (``krat_core.importing.sameid.rows_text``).
* After "emri i" the genitive is definite ("emri i institucionit AL-03-I-0004",
  "emri i 2 institucioneve"); after "ndonjë" it is indefinite ("emri i ndonjë
  institucioni", "i ndonjë objektivi").
* The id of a record is "identifikuesi" (masculine): "identifikuesi {id} është
  tashmë në ..."; a record is "regjistrim" (masculine singular, its plural
  "regjistrime" agrees as feminine: "2 regjistrime të importuara"), never the
  loan "rekord" (a sports record). A half year is "gjysmë viti", not the
  adjective "gjysmëvjetor".
* An adjective after nouns of both genders joined by "ose"/"dhe" agrees with
  the nearest: "fletë ose skedarë të lexuar".
* Lists join with "dhe" before the last item ("4, 5 dhe 6"; English "4, 5,
  and 6"): use ``babel.lists.format_list`` with the language as locale.
* In a sentence that names the count of one thing and the count of another,
  fill the second from its own message with ``count=`` naming its number
  (``Message(sq=Plural(one="{counted} regjistrim", ...), count="counted")``).

What cannot be checked here: these forms were written and reviewed by the
project without a native speaker's review; ``tests/test_albanian_forms.py``
pins them for 0, 1 and 2 so that such a review changes one list.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Final, Literal, TypeAlias

from krat_core.errors import UnknownLanguage

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Language",
    "Message",
    "Plural",
    "check_language",
    "format_date",
    "format_datetime",
    "format_list",
    "format_number",
    "format_percent",
    "plural_category",
]

Language: TypeAlias = Literal["sq", "en"]
LANGUAGES: Final[tuple[Language, ...]] = ("sq", "en")
"""The languages of every message, report and template: Albanian first (the default)."""
DEFAULT_LANGUAGE: Final[Language] = "sq"


def check_language(lang: str) -> Language:
    """Return ``lang`` if it is ``"sq"`` or ``"en"``; raise :class:`UnknownLanguage` otherwise."""
    if lang == "sq":
        return "sq"
    if lang == "en":
        return "en"
    raise UnknownLanguage(UNKNOWN_LANGUAGE.both(lang=repr(lang)))


@lru_cache(maxsize=4)
def _locale(lang: str) -> Any:
    from babel import Locale  # imported on first use: `krat --version` stays fast

    return Locale.parse(check_language(lang))


def plural_category(n: int, lang: str) -> str:
    """The CLDR plural category of the whole number ``n`` in ``lang``: ``"one"`` or ``"other"``."""
    category: str = _locale(lang).plural_form(abs(n))
    return category


def format_list(items: Iterable[str], lang: str) -> str:
    """``a, b dhe c`` / ``a, b and c``: items joined by the CLDR list pattern of ``lang``."""
    from babel.lists import format_list as babel_list

    text: str = babel_list(list(items), locale=_locale(lang))
    return text


@dataclass(frozen=True, slots=True)
class Plural:
    """The forms of one text by CLDR plural category (Albanian and English use two).

    Which number decides the form is the ``count`` argument of the enclosing
    :class:`Message` (``"n"`` by default).
    """

    one: str
    other: str

    def select(self, n: int, lang: str) -> str:
        """The form for ``n`` in ``lang``."""
        return self.one if plural_category(n, lang) == "one" else self.other


_FORMATTER = string.Formatter()


def _fields(template: str) -> set[str]:
    return {
        name.split(".")[0].split("[")[0] for _, name, _, _ in _FORMATTER.parse(template) if name
    }


@dataclass(frozen=True, slots=True)
class Message:
    """A user-facing text in Albanian (``sq``) and English (``en``).

    Each side is a :meth:`str.format` template or a :class:`Plural`; ``count``
    names the keyword argument that chooses the plural form. Both sides must
    use the same placeholders (checked when the message is made), so a value
    can never go missing in one language.
    """

    sq: str | Plural
    en: str | Plural
    count: str = "n"

    def __post_init__(self) -> None:
        sides = [self._templates(self.sq), self._templates(self.en)]
        fields = [set().union(*(_fields(t) for t in side)) for side in sides]
        if fields[0] != fields[1]:
            raise ValueError(f"the sq and en texts use different placeholders: {fields}")

    @staticmethod
    def _templates(side: str | Plural) -> tuple[str, ...]:
        return (side.one, side.other) if isinstance(side, Plural) else (side,)

    def text(self, lang: str, /, **values: Any) -> str:
        """The message in ``lang`` with ``values`` filled in.

        A figure written with a thousands separator in the template (``{n:,}``,
        ``{ratio:,.0f}``) is formatted for ``lang`` (:func:`format_number`:
        ``1 048 576`` in Albanian, ``1,048,576`` in English); so is the count of a
        :class:`Plural` (``{n}``), which is always a number of things ("80 004 raste").
        """
        side = self.sq if check_language(lang) == "sq" else self.en
        if isinstance(side, Plural):
            side = side.select(int(values[self.count]), lang)
            side = side.replace("{" + self.count + "}", "{" + self.count + ":,}")
        if ":," in side:
            return _NumberFormatter(lang).vformat(side, (), values)
        return side.format(**values)

    def both(self, **values: Any) -> dict[Language, str]:
        """``{"sq": ..., "en": ...}`` with ``values`` filled in.

        A value that is itself ``{"sq": ..., "en": ...}`` (another message's
        :meth:`both`, or :func:`krat_core.errors.os_reason`) fills in each
        language with its own side.
        """
        return {
            lang: self.text(lang, **{k: _side(v, lang) for k, v in values.items()})
            for lang in LANGUAGES
        }


_GROUPED = re.compile(r",(?:\.(\d+)f)?")


class _NumberFormatter(string.Formatter):
    """Formats ``{n:,}`` and ``{x:,.Nf}`` with :func:`format_number` for one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> Any:
        grouped = _GROUPED.fullmatch(format_spec)
        if grouped and isinstance(value, int | float) and not isinstance(value, bool):
            decimals = int(grouped[1]) if grouped[1] is not None else None
            return format_number(value, self.lang, decimals=decimals)
        return super().format_field(value, format_spec)


def _side(value: Any, lang: Language) -> Any:
    if isinstance(value, dict) and value.keys() == {"sq", "en"}:
        return value[lang]
    return value


UNKNOWN_LANGUAGE = Message(
    sq="gjuhë e panjohur {lang}: përdorni 'sq' (shqip) ose 'en' (anglisht)",
    en="unknown language {lang}: use 'sq' (Albanian) or 'en' (English)",
)


def format_number(value: float, lang: str, *, decimals: int | None = None) -> str:
    """A figure for prose and tables: ``1 234,5`` in Albanian, ``1,234.5`` in English.

    ``decimals`` fixes the number of decimal places; by default whole numbers
    have none and others keep up to three.
    """
    from babel.numbers import format_decimal

    if decimals is None:
        pattern = None if value != int(value) else "#,##0"
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text: str = format_decimal(value, format=pattern, locale=_locale(lang))
    return text


def format_percent(fraction: float, lang: str, *, decimals: int = 1, sign: bool = False) -> str:
    """``0.037`` as ``3,7 %`` (sq) or ``3.7%`` (en); ``sign`` adds ``+`` to increases."""
    number = format_number(abs(fraction) * 100, lang, decimals=decimals)
    prefix = "−" if fraction < 0 else ("+" if sign and fraction > 0 else "")
    return f"{prefix}{number}\u00a0%" if lang == "sq" else f"{prefix}{number}%"


def format_date(value: date, lang: str) -> str:
    """A date as people read it: ``13.02.2024`` in Albanian, ``2024-02-13`` in English."""
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d.%m.%Y") if check_language(lang) == "sq" else value.isoformat()


def format_datetime(value: datetime, lang: str) -> str:
    """A moment: ``13.02.2024 09:30`` in Albanian, ISO 8601 in English."""
    if check_language(lang) == "sq":
        return value.strftime("%d.%m.%Y %H:%M")
    return value.isoformat()
