"""Calendar amendments: a region's changes to its activities during the year (a design).

A region adds, changes or cancels awareness activities without resubmitting
its statistics by sending a *calendar amendment*: its own kind of document
(``format: "krat-calendar-amendment"``) holding activities only::

    {
      "format": "krat-calendar-amendment",
      "schema_version": "1.1.0",
      "region": "AL-02",
      "period": "2024",
      "amended_at": "2024-09-15T10:00:00+02:00",
      "submitted_by": {"institution": "Prefektura e Qarkut Durrës"},
      "generator": {"name": "krat", "version": "0.2.0"},
      "based_on": "<SHA-256 of the submission the region had in front of it, optional>",
      "activities": [ ...whole Activity records, added or replacing one with the same id... ],
      "cancellations": [{"id": "AL-02-A-2024-0012", "cancelled_on": "2024-09-14",
                         "reason": "Shkolla u mbyll për riparime"}],
      "extensions": {}
    }

How it applies (:func:`apply_amendments`), so that the archive, ``krat
combine`` and the ICS feed agree:

* on top of the region's **latest submission** for the period, amendments in
  the order of ``amended_at`` (equal times keep the order given: the archive
  would pass them ordered by the SHA-256 of their bytes, as submissions);
* an activity with a new id is added; one with an existing id replaces it whole;
* a cancellation never deletes: the activity stays, with status ``cancelled``
  (an ICS export then emits ``STATUS:CANCELLED`` with a higher ``SEQUENCE``);
  cancelling an id the region never sent is refused;
* cases, objectives and institutions are untouched, so an amendment never
  makes the region's submission late or invalid, and never supersedes it;
* every amendment is kept (append-only), so the history shows who changed
  which activity when.

Who reads it: the archive (``krat archive add``), ``krat combine`` (an
amendment given as an input), the national dataset (its ``amendments`` apply
to the accepted submissions when a report or the ICS feed reads it) and the
published JSON Schema ``amendment.schema.json`` (format 1.1.0).
"""

from __future__ import annotations

from collections.abc import Iterable

from krat_core.errors import FormatError
from krat_core.format.models.amendment import AMENDMENT_FORMAT, CalendarAmendment, Cancellation
from krat_core.format.models.amendment import apply_amendments as _apply
from krat_core.format.models.submission import Submission
from krat_core.messages import Message

INVALID_AMENDMENT = Message(
    sq="ndryshim i pavlefshëm kalendari: {reason}", en="invalid calendar amendment: {reason}"
)
OTHER_SUBMISSION = Message(
    sq="një ndryshim i {region} {period} nuk mund të zbatohet në dorëzimin e "
    "{own_region} {own_period}",
    en="an amendment of {region} {period} cannot apply to the submission of "
    "{own_region} {own_period}",
)
NEVER_SENT = Message(
    sq="ndryshimi anulon {id}, që nuk u dërgua kurrë",
    en="the amendment cancels {id}, which was never sent",
)

__all__ = [
    "AMENDMENT_FORMAT",
    "CalendarAmendment",
    "Cancellation",
    "apply_amendments",
    "is_amendment",
    "load_amendment",
]


def is_amendment(raw: bytes) -> bool:
    """Whether the JSON bytes ``raw`` are a calendar amendment (by the ``format`` it names).

    A submission or national dataset names its own format, so the test is cheap.
    """
    return (
        b'"' + AMENDMENT_FORMAT.encode() + b'"' in raw
        and b'"krat-submission"' not in raw
        and b'"krat-national"' not in raw
    )


def load_amendment(raw: bytes, name: str | None = None) -> CalendarAmendment:
    """Parse a calendar amendment from JSON bytes; :class:`FormatError` says what is wrong."""
    from pydantic import ValidationError

    from krat_core.format.canonical import invalid_fields

    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return CalendarAmendment.model_validate_json(raw)
    except ValidationError as exc:
        raise FormatError(invalid_fields(exc), source=name) from None
    except (RecursionError, ValueError, TypeError) as exc:
        raise FormatError(INVALID_AMENDMENT.both(reason=exc), source=name) from None


def apply_amendments(submission: Submission, amendments: Iterable[CalendarAmendment]) -> Submission:
    """``submission`` with ``amendments`` applied in ``amended_at`` order (see the module).

    Raises :class:`FormatError` for an amendment of another region or period,
    or one cancelling an activity that does not exist.
    """
    ordered = sorted(amendments, key=lambda a: a.amended_at)
    ids = {a.id for a in submission.activities}
    for amendment in ordered:  # the checks of the models' apply_amendments, in both languages
        if (amendment.region, amendment.period) != (submission.region, submission.period):
            raise FormatError(
                OTHER_SUBMISSION.both(
                    region=amendment.region,
                    period=amendment.period,
                    own_region=submission.region,
                    own_period=submission.period,
                )
            )
        ids.update(a.id for a in amendment.activities)
        for cancel in amendment.cancellations:
            if cancel.id not in ids:
                raise FormatError(NEVER_SENT.both(id=cancel.id))
    return _apply(submission, ordered)
