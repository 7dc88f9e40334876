"""Institutions and objectives referred to by name: the id is looked up in the submission.

The template's drop-downs offer ``id – name`` (``AL-03-I-0004 – Drejtoria
Vendore e Policisë Elbasan``) and :func:`~krat_core.importing.cells.parse_id`
takes the id from it. People also type the name alone. :class:`NameIndex`
holds the names (institutions) and titles (objectives) of the rows read so
far; the reader reads the Institutions sheet first and the Objectives sheet
before the activities (see :func:`reading_order`), so every reference can be
looked up when its row is read:

* a name that matches exactly one institution (objective) of the submission,
  ignoring case, accents and extra spaces (:func:`~krat_core.format.codelists.fold`),
  is replaced by its id, with an ``import.name-resolved`` note saying which id
  was taken;
* a name that matches none, or several, is an ``import.bad-id`` finding that
  says so (and lists the ids it could be); the cell is left out, so an optional
  reference does not cost the row.

Only text that does not start like an id (``AL-`` and a digit) is looked up.
Nested rows are read before their parents, so an indicator whose link holds its
objective's title is attached when the reading is done (the reader's ``adopt``),
with the same note; cases have no name, so an assistance row's link is an id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from krat_core.format.codelists import fold
from krat_core.importing.cells import parse_id, split_multi
from krat_core.messages import LANGUAGES, Language, Message, Plural, format_list

__all__ = [
    "NAME_FIELDS",
    "NameColumns",
    "NameIndex",
    "Resolution",
    "has_names",
    "looks_like_id",
    "reading_order",
    "resolve_names",
]

NAME_FIELDS: Mapping[str, str] = {"institution": "name", "objective": "title"}
"""The field naming a record of each kind that can be referred to by name."""

_ID_START = re.compile(r"^\s*al\s*-\s*\d", re.IGNORECASE)

# Albanian: the definite genitive after "emri i" ("emri i institucionit AL-03-I-0004").
THE_KIND: dict[str, Message] = {
    "institution": Message(sq="institucionit", en="institution"),
    "objective": Message(sq="objektivit", en="objective"),
}
KINDS: dict[str, Message] = {
    "institution": Message(
        sq=Plural(one="{n} institucioni", other="{n} institucioneve"),
        en=Plural(one="{n} institution", other="{n} institutions"),
    ),
    "objective": Message(
        sq=Plural(one="{n} objektivi", other="{n} objektivave"),
        en=Plural(one="{n} objective", other="{n} objectives"),
    ),
}
"""``n`` records of a kind in the genitive ("i 2 institucioneve"), after "emri i"."""
ANY_OF_KIND: dict[str, Message] = {
    "institution": Message(sq="institucioni", en="institution"),
    "objective": Message(sq="objektivi", en="objective"),
}
"""After "ndonjë"/"any": the indefinite genitive ("emri i ndonjë institucioni")."""


def _sheet_of(kind: str) -> dict[str, str]:
    """The quoted name of the template sheet that lists ``kind``, in each language."""
    from krat_core.importing.sheets import SHEETS

    return {lang: repr(SHEETS[kind].name(lang)) for lang in LANGUAGES}


NAME_RESOLVED = Message(
    sq="{value} është emri i {kind} {id} në këtë dorëzim; u mor identifikuesi {id}",
    en="{value} is the name of {kind} {id} in this submission; the id {id} was taken",
)
NAME_UNKNOWN = Message(
    sq="{value} nuk është as identifikues, as emri i ndonjë {kind} në fletën {sheet} të "
    "këtij dorëzimi; shkruani identifikuesin ose zgjidhni 'kodi – emri' nga lista",
    en="{value} is neither an id nor the name of any {kind} on the {sheet} sheet of this "
    "submission; write the id, or choose 'id – name' from the drop-down",
)
NAME_AMBIGUOUS = Message(
    sq="{value} është emri i {kinds}: {ids}; shkruani identifikuesin e atij që keni parasysh",
    en="{value} is the name of {kinds}: {ids}; write the id of the one you mean",
)
LEFT_OUT = Message(sq="{text} (kjo qelizë u la jashtë)", en="{text} (this cell was left out)")


def looks_like_id(text: str) -> bool:
    """Whether ``text`` starts like a record id (``AL-`` and a digit, any case or spacing)."""
    return _ID_START.match(text) is not None


def reading_order(kind: str, parent: str | None) -> int:
    """Where a sheet of ``kind`` comes in the reading: institutions, nested sheets,
    objectives, then cases and activities (names are known before they are referred to)."""
    if kind == "institution":
        return 0
    if parent is not None:
        return 1
    return 2 if kind == "objective" else 3


@dataclass(frozen=True, slots=True)
class Resolution:
    """What looking up one typed name gave: ``value`` to store (None: leave the cell
    out), and the finding to make: ``code`` with its texts (``None``: none)."""

    value: Any
    code: str | None = None
    texts: dict[Language, str] | None = None
    severity: str = "info"


@dataclass
class NameIndex:
    """The names of the institutions and objectives read so far, folded, with their ids."""

    ids: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def add(self, kind: str, record_id: Any, name: Any) -> None:
        """Remember that ``record_id`` (of ``kind``) is called ``name``."""
        if isinstance(record_id, str) and isinstance(name, str) and name.strip():
            known = self.ids.setdefault(kind, {}).setdefault(fold(name), [])
            if record_id not in known:
                known.append(record_id)

    def lookup(self, kind: str, name: str) -> list[str]:
        """The ids of the records of ``kind`` called ``name`` (case, accents, spaces ignored)."""
        return list(self.ids.get(kind, {}).get(fold(name), ()))

    def resolve(self, kind: str, text: str, *, required: bool = False) -> Resolution:
        """The id ``text`` stands for, as a :class:`Resolution` (see the module docstring).

        A name that does not resolve says that its cell was left out, unless the
        cell is ``required`` (then its row is rejected, as for any required cell).
        """
        shown = {lang: repr(text.strip()) for lang in LANGUAGES}
        found = self.lookup(kind, text)
        if len(found) == 1:
            texts = NAME_RESOLVED.both(value=shown, kind=THE_KIND[kind].both(), id=found[0])
            return Resolution(found[0], "import.name-resolved", texts, "info")
        if not found:
            texts = NAME_UNKNOWN.both(
                value=shown, kind=ANY_OF_KIND[kind].both(), sheet=_sheet_of(kind)
            )
        else:
            kinds = KINDS[kind].both(n=len(found))
            ids = {lang: format_list(found, lang) for lang in LANGUAGES}
            texts = NAME_AMBIGUOUS.both(value=shown, kinds=kinds, ids=ids)
        if not required:
            texts = LEFT_OUT.both(text=texts)
        return Resolution(None, "import.bad-id", texts, "error")

    def resolve_cell(
        self, kind: str, cell: Any, multi: bool, *, required: bool = False
    ) -> tuple[Any, list[Resolution]]:
        """The value of a reference cell with its names looked up, and what each lookup gave.

        Returns ``(value, resolutions)``; ``resolutions`` is empty when no part of
        the cell is a name (the parsed value stands). ``value`` is the id (None
        when the name does not resolve), or for a multi-valued cell the list of
        ids, names that do not resolve left out.
        """
        if not isinstance(cell, str):
            return None, []
        parts: Sequence[Any] = split_multi(cell) if multi else [cell.strip()]
        values: list[Any] = []
        resolutions: list[Resolution] = []
        for part in parts:
            if not isinstance(part, str) or not part or looks_like_id(part):
                values.append(parse_id(part) if isinstance(part, str) and part else part)
                continue
            found = self.resolve(kind, part, required=required)
            resolutions.append(found)
            if found.value is not None:
                values.append(found.value)
        if multi:
            return values, resolutions
        return (values[0] if values else None), resolutions


NameColumns = Sequence[tuple[int, str, str, bool, bool]]
"""``(cell index, field name, referred kind, multi-valued, required)`` of a sheet's
columns that may hold names."""
Report = Callable[[str, Mapping[Language, str], str, str], None]
"""``report(code, texts, field name, severity)``: makes a finding at the row's cell."""


def _maybe_name(parsed: Any, multi: bool) -> bool:
    """Whether a parsed reference may be a typed name: not empty, not all ids."""
    if parsed is None or (parsed.__class__ is str and parsed.startswith("AL-")):
        return False  # empty, or an id (the common case: one string method per cell)
    return not (multi and all(isinstance(v, str) and v.startswith("AL-") for v in parsed))


def has_names(data: Mapping[str, Any], columns: NameColumns) -> bool:
    """Whether some reference of ``data`` (a parsed row) may be a typed name.

    Called for every row: a plain loop, one string method per filled reference.
    """
    for _, name, _, multi, _ in columns:
        parsed = data.get(name)
        if parsed is None:
            continue
        if parsed.__class__ is str:
            if not parsed.startswith("AL-"):
                return True
        elif not multi:
            return True
        else:
            for value in parsed:
                if value.__class__ is not str or not value.startswith("AL-"):
                    return True
    return False


def resolve_names(
    index: NameIndex,
    cells: Sequence[Any],
    data: dict[str, Any],
    columns: NameColumns,
    report: Report,
) -> set[str]:
    """Look up the names typed in ``columns`` of one row; ``data`` gets the ids.

    Returns the fields whose cell was left out (a name that did not resolve),
    for the reader not to report them again as missing.
    """
    left_out: set[str] = set()
    for index_, name, kind, multi, required in columns:
        if not _maybe_name(data.get(name), multi):
            continue
        cell = cells[index_]
        if not isinstance(cell, str) or (looks_like_id(cell) and not multi):
            continue
        value, resolutions = index.resolve_cell(kind, cell, multi, required=required)
        if not resolutions:
            continue
        for found in resolutions:
            if found.code is not None and found.texts is not None:
                report(found.code, found.texts, name, found.severity)
        if value is None or value == []:
            data.pop(name, None)
            left_out.add(name)
        else:
            data[name] = value
    return left_out
