"""No identifiers in extensions: what a record's ``extensions`` may hold.

Extensions carry fields a region keeps that the national format lacks. They
must never carry a person's identity (the promise that names never enter a
submission). So:

- every key must be declared by an installed plugin
  (:class:`~krat_core.plugins.descriptors.ExtensionField`, hook ``krat_extensions``)
  for the record's kind: ``extension.undeclared``;
- every value is a scalar of the declared type within its bounds (text up to
  ``max_length`` characters or one of ``choices``, numbers within
  ``minimum``..``maximum``, booleans, ISO dates): ``extension.bad-value``;
- keys and values that look like identity are refused whatever is declared:
  ``extension.identity``. A key looks like identity when it names a name,
  surname, birth date, personal number, phone, e-mail or address (in Albanian
  or English); a value when it holds an Albanian personal number
  (``[A-Z][0-9]{8}[A-Z]``), a phone number (8 or more digits), an e-mail
  address, a date in a field not declared as a date, or two to four
  capitalised words (a name) in a free-text field (declare ``choices`` for a
  fixed list of labels).

A problem names the field (``namespace.name``) and why, never the value: the
value may be the very identifier that must not spread.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from krat_core.messages import Message

if TYPE_CHECKING:
    from krat_core.plugins.descriptors import ExtensionField

__all__ = [
    "EXTENSION_CODES",
    "ExtensionProblem",
    "extension_problems",
    "looks_like_identity",
]

EXTENSION_CODES = ("extension.undeclared", "extension.bad-value", "extension.identity")

UNDECLARED = Message(
    sq="Fusha shtesë {field} nuk është deklaruar nga asnjë shtojcë e instaluar për këtë lloj "
    "regjistrimi; ajo nuk pranohet.",
    en="The extension field {field} is not declared by any installed plugin for this kind "
    "of record; it is not accepted.",
)
BAD_VALUE = Message(
    sq="Fusha shtesë {field} ka një vlerë që nuk është {expected}.",
    en="The extension field {field} has a value that is not {expected}.",
)
IDENTITY = Message(
    sq="Fusha shtesë {field} duket se mban identitetin e një personi ({what}); ajo nuk "
    "pranohet dhe vlera nuk përsëritet këtu.",
    en="The extension field {field} looks like it holds a person's identity ({what}); it is "
    "not accepted and the value is not repeated here.",
)
EXPECTED = {
    "scalar": Message(
        sq="një vlerë e vetme (jo listë ose objekt)", en="a single value (not a list or object)"
    ),
    "text": Message(sq="tekst deri në {n} shenja", en="text of at most {n} characters"),
    "choice": Message(sq="një nga vlerat e lejuara", en="one of the allowed values"),
    "integer": Message(
        sq="një numër i plotë brenda kufijve", en="a whole number within its bounds"
    ),
    "number": Message(sq="një numër brenda kufijve", en="a number within its bounds"),
    "boolean": Message(sq="po/jo (true/false)", en="yes/no (true/false)"),
    "date": Message(sq="një datë ISO (VVVV-MM-DD)", en="an ISO date (YYYY-MM-DD)"),
}
WHAT = {
    "key": Message(sq="emri i fushës", en="the field's name"),
    "nid": Message(sq="numër personal", en="a personal number"),
    "phone": Message(sq="numër telefoni", en="a phone number"),
    "email": Message(sq="adresë e-maili", en="an e-mail address"),
    "date": Message(sq="datë, si datëlindja", en="a date, such as a birth date"),
    "name": Message(sq="emër personi", en="a person's name"),
}

_IDENTITY_KEY = re.compile(
    r"(^|[_\-. ])("
    r"name|names|firstname|first_name|surname|lastname|last_name|fullname|full_name|"
    r"emri|emer|emër|mbiemri|mbiemer|mbiemër|atesia|atësia|amesia|amësia|"
    r"birth|birthdate|dob|born|datelindje|datëlindje|datelindja|datëlindja|ditelindje|"
    r"nid|nipt|personal_number|personalnumber|id_number|idnumber|nr_personal|numri_personal|"
    r"passport|pasaport|pasaporta|"
    r"phone|telephone|tel|mobile|cel|celular|telefon|telefoni|"
    r"email|e-mail|mail|address|adresa|adrese|adresë"
    r")($|[_\-. ])",
    re.IGNORECASE,
)
_NID = re.compile(r"\b[A-Z][0-9]{8}[A-Z]\b")
_PHONE = re.compile(r"(?:\+|00)?\d(?:[\s\-().]*\d){7,}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_DATE = re.compile(r"\b(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})\b")
_NAME = re.compile(r"^\s*(?:[A-ZÇË][a-zçë'’\-]+\s+){1,3}[A-ZÇË][a-zçë'’\-]+\s*$")


def looks_like_identity(key: str, value: Any, declared: ExtensionField | None) -> str | None:
    """Why ``key``/``value`` look like a person's identity (a :data:`WHAT` key), or None."""
    if _IDENTITY_KEY.search(key.replace("ë", "e").lower()) or _IDENTITY_KEY.search(key):
        return "key"
    if not isinstance(value, str):
        return None
    if _NID.search(value):
        return "nid"
    if _EMAIL.search(value):
        return "email"
    if _DATE.search(value) and (declared is None or declared.type != "date"):
        return "date"
    if _PHONE.search(value):
        return "phone"
    if _NAME.match(value) and not (declared is not None and value in declared.choices):
        return "name"
    return None


@dataclass(frozen=True, slots=True)
class ExtensionProblem:
    """What is wrong with one extension field: its finding ``code``, the field's
    ``namespace.name``, its JSON pointer in the record and the message."""

    code: str
    field: str
    pointer: str
    message: Message
    values: Mapping[str, Any]

    def text(self, lang: str) -> str:
        """The message in ``lang`` (values that are texts themselves put in ``lang`` too)."""
        values = {
            k: v.text(lang) if isinstance(v, Message | _Filled) else v
            for k, v in self.values.items()
        }
        return self.message.text(lang, **values)

    def both(self) -> dict[str, str]:
        """The message in Albanian and English: ``{"sq": ..., "en": ...}``."""
        return {lang: self.text(lang) for lang in ("sq", "en")}


def _bad_value(value: Any, f: ExtensionField) -> str | None:
    """The :data:`EXPECTED` key when ``value`` is not what ``f`` declares, else None."""
    if isinstance(value, list | dict) or value is None:
        return "scalar"
    if f.type == "text":
        if not isinstance(value, str):
            return "text"
        if f.choices:
            return None if value in f.choices else "choice"
        return None if len(value) <= f.max_length else "text"
    if f.type == "boolean":
        return None if isinstance(value, bool) else "boolean"
    if f.type == "date":
        if not isinstance(value, str):
            return "date"
        try:
            date.fromisoformat(value)
        except ValueError:
            return "date"
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f.type
    if f.type == "integer" and not (isinstance(value, int) or float(value).is_integer()):
        return "integer"
    if f.minimum is not None and value < f.minimum:
        return f.type
    if f.maximum is not None and value > f.maximum:
        return f.type
    return None


def extension_problems(
    kind: str,
    extensions: Mapping[str, Mapping[str, Any]],
    declared: Mapping[str, ExtensionField] | None,
) -> list[ExtensionProblem]:
    """Every problem of one record's ``extensions`` (see the module docs).

    Args:
        kind: the record kind ("case", "activity", "objective", "institution",
            or "submission" for the submission's own extensions).
        extensions: the record's ``extensions`` object.
        declared: the declared fields by ``namespace.name``; None: unknown (only
            the identity and scalar checks run).
    """
    out: list[ExtensionProblem] = []
    for namespace, fields in extensions.items():
        for name, value in fields.items():
            key = f"{namespace}.{name}"
            pointer = f"/extensions/{_escape(namespace)}/{_escape(name)}"
            f = declared.get(key) if declared is not None else None
            why = looks_like_identity(name, value, f)
            if why is not None:
                out.append(
                    ExtensionProblem(
                        "extension.identity",
                        key,
                        pointer,
                        IDENTITY,
                        {"field": key, "what": WHAT[why]},
                    )
                )
                continue
            if declared is not None and (f is None or kind not in f.kinds):
                out.append(
                    ExtensionProblem(
                        "extension.undeclared", key, pointer, UNDECLARED, {"field": key}
                    )
                )
                continue
            expected = (
                _bad_value(value, f)
                if f is not None
                else ("scalar" if isinstance(value, list | dict) else None)
            )
            if expected is not None:
                message = EXPECTED[expected]
                out.append(
                    ExtensionProblem(
                        "extension.bad-value",
                        key,
                        pointer,
                        BAD_VALUE,
                        {"field": key, "expected": _Filled(message, f.max_length if f else 0)},
                    )
                )
    return out


@dataclass(frozen=True, slots=True)
class _Filled:
    """An :data:`EXPECTED` message with its ``n``, rendered in the message's language."""

    message: Message
    n: int

    def text(self, lang: str) -> str:
        return self.message.text(lang, n=self.n)


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")
