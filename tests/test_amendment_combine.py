"""Calendar amendments through `krat combine`: applied on top, never late, kept in the dataset."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from krat_core.combine import combine, load_dataset, write_national
from krat_core.combine.national import dump_national
from krat_core.demo.synthetic import generate_submission
from krat_core.errors import FormatError
from krat_core.format.amendment import (
    CalendarAmendment,
    Cancellation,
    apply_amendments,
    is_amendment,
    load_amendment,
)
from krat_core.format.canonical import dump_json, dump_submission
from krat_core.format.codelists import ActivityStatus
from krat_core.format.models import Generator, Submission, SubmittedBy
from krat_core.format.models.national import NationalDataset
from strategies import submissions


def amendment(when: datetime, region: str = "AL-02", **fields: object) -> CalendarAmendment:
    """A calendar amendment of ``region`` for 2024 sent at ``when``."""
    return CalendarAmendment(
        region=region,
        period="2024",
        amended_at=when,
        submitted_by=SubmittedBy(institution="Prefektura"),
        generator=Generator(version="0.2.0"),
        **fields,  # type: ignore[arg-type]
    )


def _files(tmp_path: Path) -> tuple[Path, Path, Path, str]:
    base = generate_submission("AL-02", 2024, submitted_at=datetime(2025, 1, 10, tzinfo=UTC))
    sub = tmp_path / "durres.json"
    sub.write_bytes(dump_submission(base))
    first = base.activities[0]
    new = first.model_copy(update={"id": "AL-02-A-2024-0999", "title": "Forum i ri"})
    add = amendment(datetime(2025, 3, 1, tzinfo=UTC), activities=[new])
    cancel = amendment(
        datetime(2025, 3, 5, tzinfo=UTC),
        cancellations=[Cancellation(id=first.id, cancelled_on=date(2025, 3, 4))],
    )
    a1, a2 = tmp_path / "add.json", tmp_path / "cancel.json"
    a1.write_bytes(dump_json(add.model_dump(mode="json")))
    a2.write_bytes(dump_json(cancel.model_dump(mode="json")))
    return sub, a1, a2, first.id


def test_combine_applies_amendments_after_the_deadline_without_marking_late(
    tmp_path: Path,
) -> None:
    sub, a1, a2, cancelled = _files(tmp_path)
    plain = combine([sub], deadline=date(2025, 1, 31)).dataset
    result = combine([a2, sub, a1], deadline=date(2025, 1, 31))
    dataset = result.dataset
    cell = next(c for c in dataset.completeness if c.region == "AL-02")
    assert cell.late is False and cell.superseded == 0  # the amendments came after the deadline
    assert [a.source.file for a in dataset.amendments] == ["add.json", "cancel.json"]
    text = result.to_text("en")
    assert "Calendar amendments (applied on top of the submission, never late): 2" in text
    assert "add.json: Durrës 2024, 1 activity added or changed, 0 cancelled" in text
    assert "cancel.json: Durrës 2024, 0 veprimtari të shtuara ose të ndryshuara, 1 e anuluar" in (
        result.to_text("sq")
    )
    assert dataset.submissions == plain.submissions  # kept as received
    assert (plain.schema_version, dataset.schema_version) == ("1.0.0", "1.1.0")
    assert dataset.counts == plain.counts
    amended = {a.id: a for a in dataset.regional_submissions()[0].activities}
    assert amended[cancelled].status is ActivityStatus.CANCELLED
    assert amended["AL-02-A-2024-0999"].title == "Forum i ri"
    assert len(amended) == len(plain.regional_submissions()[0].activities) + 1
    # The dataset round-trips, and re-combining it gives it back byte for byte.
    out = tmp_path / "national.json"
    write_national(out, dataset)
    again = load_dataset(out)
    assert isinstance(again, NationalDataset) and again == dataset
    assert dump_national(combine([out]).dataset) == out.read_bytes()
    assert dump_national(combine([out, a1, sub]).dataset) == out.read_bytes()


def test_without_amendments_the_bytes_have_no_amendments_key(tmp_path: Path) -> None:
    sub, *_ = _files(tmp_path)
    assert b'"amendments"' not in dump_national(combine([sub]).dataset)


def test_an_amendment_without_its_submission_is_ignored_and_a_bad_one_refused(
    tmp_path: Path,
) -> None:
    sub, a1, _, _ = _files(tmp_path)
    other = tmp_path / "other.json"
    other.write_bytes(
        dump_json(
            amendment(datetime(2025, 3, 1, tzinfo=UTC), region="AL-05").model_dump(mode="json")
        )
    )
    result = combine([sub, a1, other])
    assert [i.file for i in result.ignored] == ["other.json"]
    assert len(result.dataset.amendments) == 1
    ghost = tmp_path / "ghost.json"
    bad = amendment(
        datetime(2025, 3, 2, tzinfo=UTC),
        cancellations=[Cancellation(id="AL-02-A-2024-0777", cancelled_on=date(2025, 3, 1))],
    )
    ghost.write_bytes(dump_json(bad.model_dump(mode="json")))
    with pytest.raises(FormatError, match="never sent") as caught:
        combine([sub, ghost])
    assert caught.value.source is not None and "ghost.json" in str(caught.value.source)


@settings(max_examples=30, deadline=None)
@given(submissions(max_records=4), st.data())
def test_amendments_round_trip_and_applying_them_again_changes_nothing(
    base: Submission, data: st.DataObject
) -> None:
    ids = [a.id for a in base.activities]
    cancelled = data.draw(st.lists(st.sampled_from(ids), unique=True) if ids else st.just([]))
    doc = CalendarAmendment(
        region=base.region,
        period=base.period,
        amended_at=base.submitted_at,
        submitted_by=base.submitted_by,
        generator=base.generator,
        activities=base.activities[:1],
        cancellations=[Cancellation(id=i, cancelled_on=date(2025, 1, 1)) for i in cancelled],
    )
    raw = dump_json(doc.model_dump(mode="json"))
    assert is_amendment(raw) and not is_amendment(dump_submission(base))
    again = load_amendment(raw)
    assert again == doc and dump_json(again.model_dump(mode="json")) == raw
    once = apply_amendments(base, [again])
    assert apply_amendments(once, [again]) == once  # idempotent
    assert {a.id for a in once.activities} == set(ids)
    assert all(
        a.status is ActivityStatus.CANCELLED for a in once.activities if a.id in set(cancelled)
    )
    assert (once.cases, once.objectives, once.submitted_at) == (
        base.cases,
        base.objectives,
        base.submitted_at,
    )
