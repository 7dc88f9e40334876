"""Calendar amendments (the proposed envelope): applying them to a region's submission."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from krat_core.demo.synthetic import generate_submission
from krat_core.errors import FormatError
from krat_core.format.amendment import CalendarAmendment, Cancellation, apply_amendments
from krat_core.format.codelists import ActivityStatus
from krat_core.format.models import Generator, SubmittedBy


def _amendment(when: datetime, **fields: object) -> CalendarAmendment:
    return CalendarAmendment(
        region="AL-02",
        period="2024",
        amended_at=when,
        submitted_by=SubmittedBy(institution="Prefektura e Qarkut Durrës"),
        generator=Generator(version="0.1.0"),
        **fields,  # type: ignore[arg-type]
    )


def test_add_replace_and_cancel_in_order_leaving_the_statistics_alone() -> None:
    base = generate_submission("AL-02", 2024)
    first, second = base.activities[0], base.activities[1]
    new = first.model_copy(update={"id": "AL-02-A-2024-0999", "title": "Forum i ri"})
    renamed = second.model_copy(update={"title": "Titull i ndryshuar"})
    later = _amendment(
        datetime(2024, 10, 2, tzinfo=UTC),
        cancellations=[Cancellation(id=new.id, cancelled_on=date(2024, 10, 1))],
    )
    earlier = _amendment(datetime(2024, 9, 1, tzinfo=UTC), activities=[new, renamed])
    result = apply_amendments(base, [later, earlier])  # applied by amended_at, not list order
    by_id = {a.id: a for a in result.activities}
    assert len(result.activities) == len(base.activities) + 1
    assert by_id[new.id].status is ActivityStatus.CANCELLED  # kept, marked cancelled
    assert by_id[second.id].title == "Titull i ndryshuar"
    assert by_id[first.id] == first
    assert (result.cases, result.objectives, result.institutions) == (
        base.cases,
        base.objectives,
        base.institutions,
    )
    assert result.submitted_at == base.submitted_at  # never makes the region late
    again = CalendarAmendment.model_validate_json(later.model_dump_json())
    assert again == later and again.format == "krat-calendar-amendment"


def test_wrong_region_or_unknown_activity_is_refused() -> None:
    base = generate_submission("AL-02", 2024)
    other = _amendment(datetime(2024, 9, 1, tzinfo=UTC)).model_copy(update={"region": "AL-03"})
    with pytest.raises(FormatError, match="cannot apply"):
        apply_amendments(base, [other])
    ghost = _amendment(
        datetime(2024, 9, 1, tzinfo=UTC),
        cancellations=[Cancellation(id="AL-02-A-2024-0777", cancelled_on=date(2024, 9, 1))],
    )
    with pytest.raises(FormatError, match="never sent"):
        apply_amendments(base, [ghost])
