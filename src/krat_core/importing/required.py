"""The importer's "required and empty" message, with the condition where there is one.

A column can be required always (``*`` in the template) or only under a
condition (``(*)``, the condition in the header's note): a field of an optional
object (``referral.referred_on`` once any referral column is filled), or
``minor`` (when the age is empty: it otherwise follows from the age). The
template (:mod:`krat_plugins.exporters.template`) and this message say the same.
"""

from __future__ import annotations

from collections.abc import Mapping

from krat_core.importing.cells import in_both_languages
from krat_core.importing.columns import Column, Sheet
from krat_core.messages import LANGUAGES, Language, Message

__all__ = ["REQUIRED_EMPTY", "required_text"]

REQUIRED_EMPTY = Message(
    sq="fusha {what} është e detyrueshme dhe është bosh", en="{what} is required and empty"
)
"""Albanian says "fusha 'X'" (feminine) so "e detyrueshme" agrees whatever X's own gender."""

REQUIRED_WITH_OTHERS = Message(
    sq="fusha {what} është e detyrueshme kur plotësohet ndonjë nga kolonat {others}, "
    "dhe është bosh",
    en="{what} is required when any of the columns {others} is filled, and it is empty",
)

REQUIRED_WITHOUT_AGE = Message(
    sq="fusha {what} është e detyrueshme kur mosha është bosh, dhe është bosh",
    en="{what} is required when the age is empty, and it is empty",
)

REQUIRED_IN_ROW = Message(
    sq="një fushë e detyrueshme e rreshtit është bosh", en="a required field of the row is empty"
)

REQUIRED_SUBJECT_REF = Message(
    sq="fusha {what} është e detyrueshme dhe është bosh; plotësoni subject_ref, ose kolonat e "
    "emrit dhe importoni me çelësin kombëtar",
    en="{what} is required and empty; fill subject_ref, or the name columns and import with the "
    "national key",
)


def required_text(
    spec: Sheet, column: Column | None, what: Mapping[Language, str] | Message
) -> dict[Language, str]:
    """ "Required and empty", with the condition when the column is required only under one
    (as the template's "(*)" and header note say)."""
    if column is None:
        return REQUIRED_IN_ROW.both()
    if column.name == "subject_ref":
        return in_both_languages(REQUIRED_SUBJECT_REF, what=what)
    if column.name == "minor":
        return in_both_languages(REQUIRED_WITHOUT_AGE, what=what)
    if "." in column.name:
        head = column.name.split(".", 1)[0] + "."
        others = [c for c in spec.columns if c.name.startswith(head) and c is not column]
        if others:
            listed = {lang: ", ".join(repr(c.header(lang)) for c in others) for lang in LANGUAGES}
            return in_both_languages(REQUIRED_WITH_OTHERS, what=what, others=listed)
    return in_both_languages(REQUIRED_EMPTY, what=what)
