"""Cell parsers: what people type in a spreadsheet or CSV cell, turned into model values.

The value parsers (:func:`parse_date`, :func:`parse_bool`, :func:`parse_int`,
:func:`parse_float`, :func:`parse_code`, :func:`parse_country`, :func:`parse_id`,
:func:`parse_text`, :func:`split_multi`, :func:`parse_datetime`,
:func:`parse_json_object`) take a cell as a spreadsheet reader returns it
(``str``, ``float``, ``int``, ``bool``, ``date``, ``datetime`` or ``None``) and
either return the value or raise :class:`CellProblem` saying what was expected,
in Albanian and English. Every tabular importer uses them (through
:class:`krat_core.importing.columns.Column`); they are public for plugin authors::

    from krat_core.importing import CellProblem, parse_date

    parse_date("13.02.2019")      # datetime.date(2019, 2, 13)

:class:`CellProblem` is deliberately not a :class:`~krat_core.errors.KratError`:
it is the per-cell signal a reader turns into a finding (with file, sheet, row
and column), raised and caught thousands of times in one import, and it never
leaves :func:`~krat_core.importing.import_files`. A whole-file problem is a
:class:`~krat_core.errors.ImportRefused`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import orjson

from krat_core.format.codelists import COUNTRY_CODES, CodeList, fold
from krat_core.format.textrules import TEXT_FORBIDDEN
from krat_core.messages import LANGUAGES, Language, Message
from krat_core.safety import FORMULA_PREFIXES

__all__ = [
    "DATE_ORDER",
    "EMPTY_MARKERS",
    "TWO_DIGIT_YEAR_PIVOT",
    "CellProblem",
    "display_cell",
    "in_both_languages",
    "is_empty_marker",
    "normalise_text",
    "parse_bool",
    "parse_code",
    "parse_country",
    "parse_date",
    "parse_datetime",
    "parse_float",
    "parse_id",
    "parse_int",
    "parse_json_object",
    "parse_text",
    "split_multi",
]


class CellProblem(Exception):
    """A cell's value cannot be used: a stable finding code and what was expected (sq, en).

    ``expected`` maps each language to its text, as :meth:`krat_core.messages.Message.both`
    returns it.
    """

    def __init__(self, code: str, expected: Mapping[Language, str]) -> None:
        super().__init__(expected["en"])
        self.code = code
        self.expected = dict(expected)

    @property
    def expected_en(self) -> str:
        """What was expected, in English."""
        return self.expected["en"]

    @property
    def expected_sq(self) -> str:
        """What was expected, in Albanian."""
        return self.expected["sq"]


def in_both_languages(message: Message, /, **values: Any) -> dict[Language, str]:
    """``message`` in each language, like :meth:`Message.both`, with values per language.

    A value that is a :class:`~krat_core.messages.Message` is put in each
    language; a mapping (``{"sq": ..., "en": ...}``) gives its text for each.
    """
    return {
        lang: message.text(
            lang,
            **{
                key: value.text(lang)
                if isinstance(value, Message)
                else value[lang]
                if isinstance(value, Mapping)
                else value
                for key, value in values.items()
            },
        )
        for lang in LANGUAGES
    }


def display_cell(cell: Any) -> str:
    """A cell as a person would read it in a message (dates as dd.mm.yyyy, ``12.0`` as ``12``)."""
    if isinstance(cell, datetime):
        return cell.strftime("%d.%m.%Y %H:%M") if cell.time() else cell.strftime("%d.%m.%Y")
    if isinstance(cell, date):
        return cell.strftime("%d.%m.%Y")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


# --------------------------------------------------------------------------- cell parsers

_TIME = r"(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY = re.compile(r"^(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4}|\d{2})\.?" + _TIME + "$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + "$")
_SERIAL = re.compile(r"^\d{4,7}(?:[.,]\d+)?$")

DATE_ORDER: ContextVar[str] = ContextVar("krat_date_order", default="dmy")
"""How :func:`parse_date` reads ``a/b/yyyy``: ``"dmy"`` (day first, the Albanian
way: the default) or ``"mdy"`` (month first, as a US-locale Excel writes CSV).
The CSV importer sets it for one import (issue 11)."""
_EXCEL_EPOCH = date(1899, 12, 30)
TWO_DIGIT_YEAR_PIVOT = 29
"""Two-digit years as Excel reads them: ``00``-``29`` are 2000-2029, ``30``-``99`` 1930-1999."""
EMPTY_MARKERS: frozenset[str] = frozenset({"-", "--", "—", "–", "n/a", "n.a.", "/"})
"""What people type for "nothing here": read as an empty cell where a value is not text."""


def is_empty_marker(cell: Any) -> bool:
    """True for a cell that says "nothing here": ``-``, ``—``, ``n/a`` (:data:`EMPTY_MARKERS`).

    The reader treats such a cell as empty in columns whose value is not free
    text (dates, numbers, codes, yes/no), where it could mean nothing else.
    """
    return isinstance(cell, str) and len(cell) <= 5 and cell.strip().casefold() in EMPTY_MARKERS


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= TWO_DIGIT_YEAR_PIVOT else 1900
    return year


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")

EXPECTED_DATE = Message(
    sq="një datë si 13.02.2019 ose 2019-02-13", en="a date such as 13.02.2019 or 2019-02-13"
)
EXPECTED_YES_NO = Message(sq="po/jo (yes/no)", en="po/jo (yes/no)")
EXPECTED_NUMBER = Message(sq="një numër si 12 ose 12,5", en="a number such as 12 or 12,5")
EXPECTED_WHOLE_NUMBER = Message(sq="një numër i plotë si 12", en="a whole number such as 12")
EXPECTED_CODE = Message(sq="një nga: {choices}", en="one of: {choices}")
EXPECTED_COUNTRY = Message(
    sq="një kod shteti ISO me dy shkronja si AL, IT, GR, XK",
    en="a two-letter ISO country code such as AL, IT, GR, XK",
)
EXPECTED_ID = Message(sq="një kod si AL-02-C-2019-0001", en="an id such as AL-02-C-2019-0001")
EXPECTED_TEXT = Message(sq="tekst", en="text")
EXPECTED_TIMESTAMP = Message(
    sq="një datë (13.02.2019) ose kohë si 2019-02-13T10:00:00+01:00",
    en="a date (13.02.2019) or a timestamp such as 2019-02-13T10:00:00+01:00",
)
EXPECTED_JSON_OBJECT = Message(
    sq='një objekt JSON si {{"al-02": {{"note": "..."}}}}',
    en='a JSON object such as {{"al-02": {{"note": "..."}}}}',
)


def _is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def parse_date(cell: Any) -> date:
    """A date from a date cell, ``13.02.2019``, ``13/2/2019``, ``2019-02-13`` or an Excel serial.

    Also accepted: a two-digit year (``7/4/24`` is 07.04.2024; see
    :data:`TWO_DIGIT_YEAR_PIVOT`), a time after the date (``07.04.2024 14:30``,
    ``2024-04-07T14:30:00``: the time is dropped) and an Excel day number
    written as text (``45389``, as a CSV export of a date cell holds it).
    Raises :class:`CellProblem` (``import.bad-date``) for anything else,
    including impossible dates such as 31.02.2019.
    """
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if 3653 <= cell < 2958466:  # 1910-01-01 .. 9999-12-31 as Excel day numbers
            return _EXCEL_EPOCH + timedelta(days=int(cell))
        raise CellProblem("import.bad-date", EXPECTED_DATE.both())
    if isinstance(cell, str):
        text = cell.strip()
        if _SERIAL.match(text):
            return parse_date(float(text.replace(",", ".")))
        match = _DMY.match(text)
        try:
            if match:
                first, second = int(match[1]), int(match[2])
                if DATE_ORDER.get() == "mdy":
                    return date(_full_year(match[3]), first, second)
                return date(_full_year(match[3]), second, first)
            match = _YMD.match(text)
            if match:
                return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellProblem("import.bad-date", EXPECTED_DATE.both())


_TRUE = frozenset({"po", "yes", "true", "1", "e vertete", "vertete", "p", "y"})
_FALSE = frozenset({"jo", "no", "false", "0", "e gabuar", "gabim", "j", "n"})


def parse_bool(cell: Any) -> bool:
    """``True`` for po/yes/true/1 (and TRUE cells), ``False`` for jo/no/false/0.

    Case and accents do not matter. Raises :class:`CellProblem` (``import.bad-boolean``).
    """
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float):
        if cell in (0, 1):
            return bool(cell)
    elif isinstance(cell, str):
        key = fold(cell)
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
    raise CellProblem("import.bad-boolean", EXPECTED_YES_NO.both())


def _number_text(text: str) -> str:
    """Normalise a typed number: no spaces, ``,`` or ``.`` as the decimal separator."""
    text = _SPACES.sub("", text)
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1 or text.count(".") > 1:
        text = text.replace(",", "").replace(".", "")
    return text


def parse_float(cell: Any) -> float:
    """A finite number from a number cell or text (``12,5``, ``1.234,5``, ``1 234``).

    Raises :class:`CellProblem` (``import.bad-number``).
    """
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        value = float(cell)
    elif isinstance(cell, str):
        try:
            value = float(_number_text(cell))
        except ValueError:
            value = float("nan")
    else:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        raise CellProblem("import.bad-number", EXPECTED_NUMBER.both())
    return value


def parse_int(cell: Any) -> int:
    """A whole number from a number cell or text (``12``, ``12,0``, ``1 200``).

    Raises :class:`CellProblem` (``import.bad-number``) for fractions and text.
    """
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    try:
        value = parse_float(cell)
    except CellProblem:
        value = 0.5
    if not value.is_integer():
        raise CellProblem("import.bad-number", EXPECTED_WHOLE_NUMBER.both())
    return int(value)


C = TypeVar("C", bound=CodeList)


def _choices(code_list: type[CodeList], lang: str) -> str:
    return "; ".join(m.label(lang) for m in code_list)


@functools.lru_cache(maxsize=4096)
def _lookup_code(code_list: type[C], text: str) -> C | None:
    """Memoised :meth:`CodeList.parse`: typed values repeat row after row."""
    return code_list.lookup_table().get(fold(text))


def parse_code(cell: Any, code_list: type[C]) -> C:
    """The member of ``code_list`` that the cell names: code, Albanian or English label, or alias.

    Case, accents and stray spaces do not matter (``vmt``, ``Viktime e mundshme
    e trafikimit``). Raises :class:`CellProblem` (``import.unknown-code``) listing the choices.
    """
    if isinstance(cell, str):
        member: C | None = _lookup_code(code_list, cell) if len(cell) <= 200 else None
        if member is not None:
            return member
    raise CellProblem(
        "import.unknown-code",
        {lang: EXPECTED_CODE.text(lang, choices=_choices(code_list, lang)) for lang in LANGUAGES},
    )


def parse_country(cell: Any) -> str:
    """An ISO 3166-1 alpha-2 country code (``AL``, ``it``, ``XK``), upper-cased.

    Raises :class:`CellProblem` (``import.unknown-code``).
    """
    if isinstance(cell, str):
        code = cell.strip().upper()
        if code in COUNTRY_CODES:
            return code
    raise CellProblem("import.unknown-code", EXPECTED_COUNTRY.both())


_LABELLED_ID = re.compile(r"^\s*(AL-[0-9A-Za-z-]+?)\s+[–—-]\s+\S")


def parse_id(cell: Any) -> str:
    """A record id as typed: stray spaces removed, upper case (``al-02-c-2019-0001`` is accepted).

    The template's drop-downs show ``id – name`` (``AL-03-I-0001 – Policia Elbasan``):
    the id before the dash is taken. The pattern itself is checked by the model;
    only non-text cells are refused here.
    """
    if isinstance(cell, str):
        labelled = _LABELLED_ID.match(cell)
        if labelled:
            cell = labelled[1]
        text = "".join(cell.split()).upper()
        if text:
            return text
    raise CellProblem("import.bad-id", EXPECTED_ID.both())


# --- text rules (issue 11): single-line text as the models accept it ---------------------

_BREAKS = re.compile("\r\n|[\t\n\v\f\r\x85\u2028\u2029]")
_NOT_TEXT = re.compile("[" + TEXT_FORBIDDEN + "]")

TEXT_NOTES: ContextVar[list[tuple[str, str]] | None] = ContextVar("krat_text_notes", default=None)
"""While set to a list (by the import pipeline), :func:`parse_text` appends
``(as written, as imported)`` for each text it had to change."""
TEXT_NOTES_MAX = 1000
"""At most this many changed texts are noted per import (the rest are changed all the same)."""


def normalise_text(text: str) -> str:
    """``text`` as a single-line text field may hold it (:data:`TEXT_FORBIDDEN`).

    Line breaks (Alt+Enter in a cell, CR LF, U+2028...) and tabs become one space
    each; other control characters, bidirectional overrides and noncharacters
    are removed. Text without any of them is returned unchanged (the same object).
    """
    if _NOT_TEXT.search(text) is None:
        return text
    return _NOT_TEXT.sub("", _BREAKS.sub(" ", text))


def _noted(text: str) -> str:
    clean = normalise_text(text)
    if clean is not text:
        notes = TEXT_NOTES.get()
        if notes is not None and len(notes) < TEXT_NOTES_MAX:
            notes.append((text, clean))
    return clean


def _undo_formula_guard(text: str) -> str:
    """Remove the one ``'`` a writer put before text that starts like a formula."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def parse_text(cell: Any) -> str:
    """Free text as written, made single-line, with the formula neutralisation undone.

    A writer prefixes ``'`` to text that starts like a formula (see
    :func:`krat_core.safety.neutralise` and :func:`krat_core.importing.columns.text_cell`);
    one such ``'`` is removed here. Numbers become their plain text (``12``).
    Line breaks and tabs become spaces and characters no text may hold are
    removed (:func:`normalise_text`); the import pipeline reports each change
    as an ``import.text-normalised`` finding.
    """
    if isinstance(cell, str):
        return _noted(_undo_formula_guard(cell))
    if isinstance(cell, bool):
        raise CellProblem("import.bad-text", EXPECTED_TEXT.both())
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    raise CellProblem("import.bad-text", EXPECTED_TEXT.both())


def split_multi(cell: Any) -> list[Any]:
    """The values of a multi-valued cell: ``a; b ;c`` -> ``["a", "b", "c"]``.

    ``;`` and line breaks separate values; empty parts are dropped. A non-text
    cell is one value.
    """
    if isinstance(cell, str):
        if ";" not in cell and "\n" not in cell:
            one = cell.strip()
            return [one] if one else []
        parts = re.split(r"[;\n]", cell)
        return [p.strip() for p in parts if p.strip()]
    if _is_blank(cell):
        return []
    return [cell]


def parse_datetime(cell: Any) -> datetime:
    """A moment from a date/time cell or ISO 8601 text; a plain date is midnight UTC.

    A timestamp without a time zone is taken as UTC. Raises :class:`CellProblem`
    (``import.bad-date``).
    """
    if isinstance(cell, datetime):
        return cell if cell.tzinfo else cell.replace(tzinfo=UTC)
    if isinstance(cell, date):
        return datetime(cell.year, cell.month, cell.day, tzinfo=UTC)
    if isinstance(cell, str):
        try:
            value = datetime.fromisoformat(cell.strip())
        except ValueError:
            try:
                day = parse_date(cell)
            except CellProblem:
                raise CellProblem("import.bad-date", EXPECTED_TIMESTAMP.both()) from None
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    raise CellProblem("import.bad-date", EXPECTED_TIMESTAMP.both())


DUPLICATE_JSON_KEY = Message(
    sq="një objekt JSON pa çelësa të përsëritur (çelësi {key!r} përsëritet)",
    en="a JSON object without repeated keys (the key {key!r} is repeated)",
)


def _refuse_duplicate_keys(text: str) -> None:
    """Raise ``import.bad-json`` if the JSON object ``text`` repeats a key (issue 11)."""
    import jiter

    try:
        jiter.from_json(text.encode("utf-8", "surrogatepass"), catch_duplicate_keys=True)
    except ValueError as exc:
        match = re.match(r'Detected duplicate key "(.{0,40})', str(exc), re.S)
        if match is not None:
            raise CellProblem(
                "import.bad-json", DUPLICATE_JSON_KEY.both(key=match.group(1))
            ) from None


def parse_json_object(cell: Any) -> dict[str, Any]:
    """A JSON object from a text cell (the ``extensions`` column).

    Raises :class:`CellProblem` (``import.bad-json``) for anything but an object.
    """
    if isinstance(cell, str):
        try:
            text = _undo_formula_guard(cell.strip())  # JSON escapes what text may not hold
            data = orjson.loads(text)
        except orjson.JSONDecodeError:
            data = None
        if isinstance(data, dict):
            _refuse_duplicate_keys(text)
            return data
    raise CellProblem("import.bad-json", EXPECTED_JSON_OBJECT.both())
