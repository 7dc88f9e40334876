"""Identity cells in a table: refused without the national key, "i panjohur" kept apart.

Part of the reader (:mod:`krat_core.importing.reader`): the parser of an identity
column when no key was given (any name refuses the file: names never enter a
submission), and the case reference of a person whose identity is unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from krat_core.errors import IdentityWithoutKey
from krat_core.format.codelists import fold
from krat_core.format.identity import UNKNOWN_IDENTITY_WORDS, unknown_identity_ref
from krat_core.messages import Message, Plural

__all__ = ["IDENTITY_WITHOUT_KEY", "identity_values", "refusing", "unknown_identity"]

IDENTITY_WITHOUT_KEY = Message(
    sq=Plural(
        one="ka një kolonë identiteti ({columns}) por nuk u dha çelësi i pseudonimizimit; emrat "
        "nuk hyjnë kurrë në një dorëzim: jepni çelësin kombëtar "
        "që të kthehen në subject_ref, ose hiqni kolonën",
        other="ka kolona identiteti ({columns}) por nuk u dha çelësi i pseudonimizimit; emrat "
        "nuk hyjnë kurrë në një dorëzim: jepni çelësin kombëtar "
        "që të kthehen në subject_ref, ose hiqni kolonat",
    ),
    en=Plural(
        one="has an identity column ({columns}) but no pseudonymisation key was given; names "
        "never enter a submission: pass the national key to "
        "turn them into subject_ref, or remove the column",
        other="has identity columns ({columns}) but no pseudonymisation key was given; names "
        "never enter a submission: pass the national key to "
        "turn them into subject_ref, or remove the columns",
    ),
)


def refusing(columns: list[str], file: str) -> Callable[[Any], Any]:
    """The parser of an identity column when there is no key: any value refuses the file."""

    def refuse(cell: Any) -> Any:
        if isinstance(cell, str) and cell.isspace():
            return None
        if isinstance(cell, str) and fold(cell) in UNKNOWN_IDENTITY_WORDS:
            return cell.strip()  # "i panjohur": no identity to protect (format/identity)
        names = ", ".join(repr(c) for c in columns)
        raise IdentityWithoutKey(
            IDENTITY_WITHOUT_KEY.both(n=len(columns), columns=names), columns=columns, source=file
        )

    return refuse


def unknown_identity(data: dict[str, Any]) -> None:
    """``i panjohur`` as the reference: the case's own reference, never linked (format/identity)."""
    ref, case_id = data.get("subject_ref"), data.get("id")
    if (
        isinstance(ref, str)
        and len(ref) < 64  # a real reference is 64 characters: no folding per row for it
        and isinstance(case_id, str)
        and fold(ref) in UNKNOWN_IDENTITY_WORDS
    ):
        data["subject_ref"] = unknown_identity_ref(case_id)


def identity_values(values: dict[str, Any], key: bytes | None) -> int | None:
    """Turn identity cells into ``subject_ref`` with the national ``key`` (and an empty
    age); drop them. ``"i panjohur"`` as the name is a person whose identity is unknown.

    Returns the age at identification from the date of birth, when both dates are known.
    """
    given = values.pop("given_name", None)
    family = values.pop("family_name", None)
    birth = values.pop("birth_date", None)
    computed: int | None = None
    if given is None and family is None and birth is None:
        return None
    if fold(f"{given or ''} {family or ''}") in UNKNOWN_IDENTITY_WORDS:
        values.setdefault("subject_ref", "i panjohur")  # see unknown_identity
        given = family = None
    if "subject_ref" not in values and key is not None:
        from krat_core.format.pseudonym import subject_ref

        sex = values.get("sex")
        values["subject_ref"] = subject_ref(
            key,
            given or "",
            family or "",
            birth,
            sex.value if sex is not None else "unknown",
        )
    identified = values.get("identified_on")
    if birth is not None and identified is not None:
        age = (
            identified.year
            - birth.year
            - ((identified.month, identified.day) < (birth.month, birth.day))
        )
        if 0 <= age <= 120:
            computed = age
            values.setdefault("age_at_identification", age)  # minor follows (the reader)
    return computed
