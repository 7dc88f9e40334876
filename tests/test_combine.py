"""National consolidation: combine(), the national dataset, reading and writing it."""

from __future__ import annotations

import contextlib
import hashlib
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krat_core.combine import (
    CombineInput,
    combine,
    dump_national,
    is_late,
    load_dataset,
    load_national,
    read_input,
    record_changes,
    write_national,
)
from krat_core.demo.synthetic import generate_submission
from krat_core.errors import FormatError, KratError, SchemaVersionError
from krat_core.format.canonical import dump_json, dump_submission
from krat_core.format.models import Participants, Submission
from krat_core.format.models.national import NationalDataset, ValidationSummary
from krat_core.format.regions import REGION_CODES

TIRANE = timezone(timedelta(hours=1))


def write(folder: Path, name: str, submission: Submission) -> Path:
    path = folder / name
    path.write_bytes(dump_submission(submission))
    return path


def as_input(name: str, submission: Submission) -> CombineInput:
    data = dump_submission(submission)
    return CombineInput(name, hashlib.sha256(data).hexdigest(), submission)


def changed_version(sub: Submission, *, at: datetime) -> Submission:
    """A resubmission: one activity changed, one added, one removed, sent at ``at``."""
    first, second, *rest = sub.activities
    participants = Participants(female=7, male=5, total=12)
    changed = first.model_copy(update={"participants": participants, "status": first.status})
    added = second.model_copy(update={"id": second.id[:-4] + "9999"})
    return sub.model_copy(update={"submitted_at": at, "activities": [changed, *rest, added]})


@pytest.fixture(scope="module")
def inputs(national_2024: list[Submission]) -> list[CombineInput]:
    return [as_input(f"{s.region}-2024.json", s) for s in national_2024]


# --------------------------------------------------------------------------- basics


def test_twelve_regions_combine_completely(inputs: list[CombineInput]) -> None:
    result = combine(inputs)
    national = result.dataset
    assert national.format == "krat-national"
    assert national.periods == ["2024"]
    assert [c.region for c in national.completeness] == list(REGION_CODES)
    assert all(c.status == "received" for c in national.completeness)
    assert result.attention() == {}
    assert [a.submission.region for a in national.submissions] == list(REGION_CODES)
    # The accepted submissions are embedded unchanged.
    assert national.regional_submissions() == [i.document for i in inputs]
    counts = national.counts
    assert counts.records_in == sum(len(i.document.records()) for i in inputs)  # type: ignore[union-attr]
    assert counts.records_accepted == counts.records_in and counts.records_superseded == 0
    assert counts.cases == sum(len(i.document.cases) for i in inputs)  # type: ignore[union-attr]
    assert sum(counts.records_by_kind.values()) == counts.records_accepted


def test_provenance_is_file_name_and_sha256_of_its_bytes(
    tmp_path: Path, national_2024: list[Submission]
) -> None:
    paths = [write(tmp_path, f"{s.region}.json", s) for s in national_2024[:3]]
    national = combine(paths).dataset
    for path, entry in zip(paths, national.submissions, strict=True):
        assert entry.source.file == path.name
        assert entry.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry.source.records == len(entry.submission.records())


def test_missing_regions_are_marked_and_need_attention(inputs: list[CombineInput]) -> None:
    result = combine(inputs[:10], period="2024")
    cells = {c.region: c for c in result.dataset.completeness}
    assert cells["AL-11"].status == cells["AL-12"].status == "missing"
    assert cells["AL-11"].sha256 is None and cells["AL-11"].late is None
    assert result.attention() == {"missing": 2}


def test_period_filter_ignores_other_periods_and_adds_expected_ones(
    inputs: list[CombineInput],
) -> None:
    h1 = as_input("AL-02-H1.json", generate_submission("AL-02", "2025-H1"))
    result = combine([*inputs, h1], period=["2024", "2025"])
    assert result.dataset.periods == ["2024", "2025"]
    assert [(i.region, i.period) for i in result.ignored] == [("AL-02", "2025-H1")]
    assert result.attention() == {"missing": 12}  # nothing received for 2025
    both = combine([*inputs, h1])
    assert both.dataset.periods == ["2024", "2025-H1"] and not both.ignored


def test_bad_period_and_empty_input_are_refused(inputs: list[CombineInput]) -> None:
    with pytest.raises(KratError, match="not a year"):
        combine(inputs, period="24")
    with pytest.raises(KratError, match="nothing to combine"):
        combine([])


# --------------------------------------------------------------------------- resubmissions


def test_latest_resubmission_wins_and_the_older_is_kept_with_changes(
    inputs: list[CombineInput],
) -> None:
    old = inputs[1].document
    assert isinstance(old, Submission)
    new = changed_version(old, at=old.submitted_at + timedelta(days=3))
    result = combine([as_input("AL-02-v2.json", new), *inputs])
    national = result.dataset
    durres = national.submissions[1]
    assert durres.submission == new and durres.source.file == "AL-02-v2.json"
    [superseded] = national.superseded
    assert superseded.submission == old
    assert superseded.superseded_by == durres.source.sha256
    assert not superseded.tie
    assert superseded.changes.added == [new.activities[-1].id]
    assert superseded.changes.removed == [old.activities[1].id]
    assert superseded.changes.changed == [old.activities[0].id]
    cell = national.completeness[1]
    assert cell.region == "AL-02" and cell.superseded == 1
    counts = national.counts
    assert counts.records_in == counts.records_accepted + counts.records_superseded
    assert counts.records_superseded == len(old.records())
    assert result.attention() == {}


def test_three_versions_chain_and_a_tie_is_broken_by_sha256(
    national_2024: list[Submission],
) -> None:
    v1 = national_2024[0]
    v2 = changed_version(v1, at=v1.submitted_at + timedelta(days=1))
    v3 = v2.model_copy(update={"objectives": v2.objectives[1:]})  # same submitted_at as v2
    items = [as_input("v1.json", v1), as_input("v2.json", v2), as_input("v3.json", v3)]
    national = combine(items).dataset
    newest = max(items[1:], key=lambda i: i.sha256)
    tied = min(items[1:], key=lambda i: i.sha256)
    assert national.submissions[0].source.sha256 == newest.sha256
    first, second = national.superseded
    assert first.source.file == "v1.json" and first.superseded_by == tied.sha256
    assert not first.tie
    assert second.source.sha256 == tied.sha256 and second.superseded_by == newest.sha256
    assert second.tie


def test_record_changes_counts_each_kind_by_id(durres_2024: Submission) -> None:
    institution = durres_2024.institutions[0]
    renamed = institution.model_copy(update={"name": "Emër tjetër"})
    newer = durres_2024.model_copy(
        update={
            "institutions": [renamed, *durres_2024.institutions[1:]],
            "cases": durres_2024.cases[1:],
        }
    )
    changes = record_changes(durres_2024, newer)
    assert changes.changed == [institution.id]
    assert changes.removed == [durres_2024.cases[0].id]
    assert changes.added == []
    assert record_changes(durres_2024, durres_2024).model_dump() == {
        "added": [],
        "removed": [],
        "changed": [],
    }


def test_byte_identical_copies_count_once_and_keep_every_name(
    inputs: list[CombineInput],
) -> None:
    copy = CombineInput("copy-of-berat.json", inputs[0].sha256, inputs[0].document)
    national = combine([copy, *inputs]).dataset
    berat = national.submissions[0].source
    assert berat.file == "AL-01-2024.json" and berat.other_files == ["copy-of-berat.json"]
    assert national.counts.submissions_in == 12 and not national.superseded


def test_same_sha256_with_different_content_is_refused(inputs: list[CombineInput]) -> None:
    forged = CombineInput("forged.json", inputs[0].sha256, inputs[1].document)
    with pytest.raises(KratError, match="same SHA-256"):
        combine([inputs[0], forged])


# --------------------------------------------------------------------------- late, invalid


def test_late_against_a_date_uses_the_submissions_own_offset() -> None:
    deadline = date(2025, 1, 31)
    assert is_late(datetime(2025, 1, 31, 23, 59, tzinfo=TIRANE), deadline) is False
    # 31 January 23:30 in UTC is already 1 February in Tirana, but the region's clock said 31.
    assert is_late(datetime(2025, 1, 31, 23, 30, tzinfo=UTC), deadline) is False
    assert is_late(datetime(2025, 2, 1, 0, 1, tzinfo=TIRANE), deadline) is True
    assert is_late(datetime(2025, 2, 1, 0, 1, tzinfo=TIRANE), None) is None
    instant = datetime(2025, 1, 31, 12, 0, tzinfo=TIRANE)
    assert is_late(datetime(2025, 1, 31, 11, 30, tzinfo=UTC), instant) is True
    with pytest.raises(KratError, match="time zone"):
        is_late(instant, datetime(2025, 1, 31))


def test_late_and_invalid_submissions_are_flagged(inputs: list[CombineInput]) -> None:
    kukes = inputs[6].document
    assert isinstance(kukes, Submission) and kukes.region == "AL-07"
    late = kukes.model_copy(update={"submitted_at": datetime(2025, 2, 10, 10, tzinfo=TIRANE)})
    items = [*inputs[:6], as_input("AL-07-late.json", late), *inputs[7:]]

    def validate(sub: Submission) -> ValidationSummary:
        bad = sub.region in ("AL-03", "AL-09")
        return ValidationSummary(valid=not bad, errors=2 if bad else 0, warnings=1)

    result = combine(items, deadline=date(2025, 1, 31), validate=validate)
    national = result.dataset
    cells = {c.region: c for c in national.completeness}
    assert cells["AL-07"].late is True and cells["AL-01"].late is False
    assert cells["AL-03"].invalid is True and cells["AL-09"].invalid is True
    assert cells["AL-01"].invalid is False
    assert national.validated and national.deadline == date(2025, 1, 31)
    assert national.submissions[2].source.validation == ValidationSummary(
        valid=False, errors=2, warnings=1
    )
    assert result.attention() == {"late": 1, "invalid": 2}
    # Without a validator nothing is known about validity.
    assert combine(items).dataset.completeness[0].invalid is None


def test_naive_deadline_is_refused(inputs: list[CombineInput]) -> None:
    with pytest.raises(KratError, match="time zone"):
        combine(inputs, deadline=datetime(2025, 1, 31, 12))


# --------------------------------------------------------------------------- duplicates, conflicts


def test_person_in_two_regions_is_reported_with_both_ids_and_not_merged(
    inputs: list[CombineInput],
) -> None:
    tirane, elbasan = inputs[10].document, inputs[2].document
    assert isinstance(tirane, Submission) and isinstance(elbasan, Submission)
    person = tirane.cases[0].subject_ref
    moved = elbasan.cases[0].model_copy(update={"subject_ref": person})
    elbasan2 = elbasan.model_copy(update={"cases": [moved, *elbasan.cases[1:]]})
    items = [*inputs[:2], as_input("AL-03.json", elbasan2), *inputs[3:]]
    national = combine(items).dataset
    [duplicate] = national.duplicates
    assert duplicate.subject_ref == person
    assert duplicate.regions == ["AL-03", "AL-11"]
    assert [c.record_id for c in duplicate.cases] == [elbasan.cases[0].id, tirane.cases[0].id]
    counts = national.counts
    assert counts.cases == sum(len(i.document.cases) for i in items)  # type: ignore[union-attr]
    assert counts.persons == counts.cases - 1
    assert counts.persons_in_several_regions == 1


def test_same_record_id_with_different_content_is_a_conflict(durres_2024: Submission) -> None:
    h1 = generate_submission("AL-02", "2024-H1")
    renamed = h1.institutions[0].model_copy(update={"name": "Drejtoria e Policisë (emër i ri)"})
    h1 = h1.model_copy(  # keep only the institutions: synthetic H1 reuses the year's ids
        update={
            "institutions": [renamed, *h1.institutions[1:]],
            "cases": [],
            "activities": [],
            "objectives": [],
        }
    )
    result = combine([as_input("year.json", durres_2024), as_input("h1.json", h1)])
    national = result.dataset
    [conflict] = national.conflicts
    assert conflict.kind == "institution" and conflict.record_id == renamed.id
    assert [(v.period, v.file) for v in conflict.versions] == [
        ("2024", "year.json"),
        ("2024-H1", "h1.json"),
    ]
    assert len({v.content_sha256 for v in conflict.versions}) == 2
    # Both versions stay in their submissions: nothing is resolved silently.
    assert national.submissions[0].submission.institutions[0] == durres_2024.institutions[0]
    assert national.submissions[1].submission.institutions[0] == renamed
    # The other eleven institutions are the same in both: repeated, not in conflict.
    assert national.counts.repeated_record_ids == len(durres_2024.institutions) - 1
    assert national.counts.conflicts == 1
    assert result.attention()["conflicts"] == 1


def test_record_id_twice_in_one_submission_with_different_content_is_a_conflict(
    durres_2024: Submission,
) -> None:
    twin = durres_2024.institutions[0].model_copy(update={"name": "Tjetër"})
    sub = durres_2024.model_copy(update={"institutions": [*durres_2024.institutions, twin]})
    [conflict] = combine([as_input("a.json", sub)]).dataset.conflicts
    assert conflict.record_id == twin.id and len(conflict.versions) == 2


# --------------------------------------------------------------------------- determinism


@pytest.fixture(scope="module")
def pool(national_2024: list[Submission]) -> list[CombineInput]:
    """Twelve regions, a resubmission, a tie, a duplicate person and a conflicting H1."""
    items = [as_input(f"{s.region}.json", s) for s in national_2024]
    durres = national_2024[1]
    v2 = changed_version(durres, at=durres.submitted_at + timedelta(days=2))
    tie = v2.model_copy(update={"objectives": v2.objectives[:-1]})
    person = national_2024[10].cases[0].subject_ref
    vlore = national_2024[11]
    moved = vlore.cases[0].model_copy(update={"subject_ref": person})
    h1 = generate_submission("AL-12", "2024-H1")
    h1 = h1.model_copy(update={"cases": [moved.model_copy(update={"minor": not moved.minor})]})
    items += [
        as_input("AL-02-v2.json", v2),
        as_input("AL-02-v2b.json", tie),
        as_input("AL-12-H1.json", h1),
    ]
    return items


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_order_and_any_subset_gives_the_same_bytes(
    pool: list[CombineInput], data: st.DataObject
) -> None:
    subset = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=len(pool)))
    shuffled = data.draw(st.permutations(subset))
    deadline = date(2025, 1, 21)
    first = dump_national(combine(subset, deadline=deadline).dataset)
    assert dump_national(combine(shuffled, deadline=deadline).dataset) == first
    national = load_national(first)
    # Nothing is lost: every distinct record received is accepted or superseded.
    distinct = {i.sha256: i.document for i in subset}
    received = sum(len(d.records()) for d in distinct.values())  # type: ignore[union-attr]
    counts = national.counts
    assert counts.records_in == received == counts.records_accepted + counts.records_superseded
    assert counts.records_accepted == sum(len(s.submission.records()) for s in national.submissions)
    assert counts.records_superseded == sum(
        len(s.submission.records()) for s in national.superseded
    )
    # Idempotent: the national dataset again, alone or with the same inputs, changes nothing.
    again = CombineInput("national.json", "0" * 64, national)
    assert dump_national(combine([again]).dataset) == first
    assert dump_national(combine([*shuffled, again]).dataset) == first


def test_national_dataset_round_trips_through_files(
    tmp_path: Path, pool: list[CombineInput]
) -> None:
    national = combine(pool, deadline=date(2025, 1, 21)).dataset
    assert national.superseded and national.duplicates and national.conflicts
    target = tmp_path / "out" / "national.json"
    write_national(target, national)
    data = target.read_bytes()
    assert data == dump_national(national) == dump_json(national.model_dump(mode="json"))
    assert load_dataset(target) == national
    # Re-combining the file itself (with the deadline it recorded) changes nothing.
    assert dump_national(combine([target]).dataset) == data
    assert dump_national(combine([target, *pool]).dataset) == data


def test_a_newer_resubmission_updates_an_existing_national_dataset(
    tmp_path: Path, inputs: list[CombineInput]
) -> None:
    target = tmp_path / "national.json"
    write_national(target, combine(inputs).dataset)
    old = inputs[4].document
    assert isinstance(old, Submission)
    new = changed_version(old, at=old.submitted_at + timedelta(days=5))
    updated = combine([target, write(tmp_path, "AL-05-v2.json", new)]).dataset
    assert updated.submissions[4].submission == new
    assert [s.submission for s in updated.superseded] == [old]
    assert dump_national(updated) == dump_national(
        combine([*inputs, as_input("AL-05-v2.json", new)]).dataset
    )


def test_national_inputs_with_different_deadlines_need_an_explicit_one(
    inputs: list[CombineInput],
) -> None:
    a = combine(inputs[:6], deadline=date(2025, 1, 31)).dataset
    b = combine(inputs[6:], deadline=date(2025, 2, 28)).dataset
    both = [CombineInput("a.json", "a" * 64, a), CombineInput("b.json", "b" * 64, b)]
    with pytest.raises(KratError, match="different deadlines"):
        combine(both)
    merged = combine(both, deadline=date(2025, 3, 1)).dataset
    assert merged.counts.submissions_accepted == 12
    assert merged.deadline == date(2025, 3, 1)


def test_progress_is_reported_per_stage(tmp_path: Path, national_2024: list[Submission]) -> None:
    paths = [write(tmp_path, f"{s.region}.json", s) for s in national_2024[:4]]
    calls: list[tuple[str, int, int]] = []
    combine(
        paths, validate=lambda s: ValidationSummary(valid=True), progress=lambda *a: calls.append(a)
    )
    assert [c for c in calls if c[0] == "read"] == [("read", i, 4) for i in range(1, 5)]
    assert [c for c in calls if c[0] == "validate"][-1] == ("validate", 4, 4)
    assert calls[-1] == ("check", 1, 1)


# --------------------------------------------------------------------------- reading


def test_load_dataset_tells_submission_from_national(
    tmp_path: Path, durres_2024: Submission
) -> None:
    path = write(tmp_path, "durres.json", durres_2024)
    assert load_dataset(path) == durres_2024
    with pytest.raises(FormatError, match="regional submission, not a national dataset"):
        load_national(path)
    one = read_input(path)
    assert one.name == "durres.json" and one.document == durres_2024


@pytest.mark.parametrize(
    ("raw", "message", "error"),
    [
        (b"", "empty", FormatError),
        (b"[1]", "found a JSON list", FormatError),
        (b'{"format": "krat-report"}', "not a KRAT dataset", FormatError),
        (b'{"format": "krat-national", "schema_version": "2.0.0"}', "2.0.0", SchemaVersionError),
        (b'{"format": "krat-national", "schema_version": "1.0.0"}', "invalid field", FormatError),
        (
            b'{"format": "krat-submission", "schema_version": "9.0.0"}',
            "not supported",
            SchemaVersionError,
        ),
        (b'{"format": "krat-submission", "schema_version": "1.0.0"}', "invalid field", FormatError),
        (b'{"format": "krat-national"', "not valid JSON", FormatError),
    ],
)
def test_bad_documents_raise_format_errors_naming_the_file(
    tmp_path: Path, raw: bytes, message: str, error: type[Exception]
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(raw)
    with pytest.raises(error, match=message) as info:
        load_dataset(path)
    assert isinstance(info.value, KratError) and info.value.source == str(path)


def test_missing_file_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="cannot read"):
        read_input(tmp_path / "nope.json")


def test_submission_mentioning_the_national_format_still_loads(durres_2024: Submission) -> None:
    sub = durres_2024.model_copy(update={"extensions": {"al-02": {"note": "krat-national"}}})
    assert load_dataset(dump_submission(sub)) == sub


@settings(max_examples=60, deadline=None)
@given(
    raw=st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200).map(str.encode),
        st.recursive(
            st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=10),
            lambda c: (
                st.lists(c, max_size=4)
                | st.dictionaries(
                    st.sampled_from(["format", "schema_version", "periods", "counts"]),
                    c,
                    max_size=4,
                )
            ),
            max_leaves=10,
        ).map(dump_json),
    )
)
def test_reading_anything_raises_only_krat_errors(raw: bytes) -> None:
    with contextlib.suppress(KratError):
        load_dataset(raw)


def test_national_model_rejects_unknown_fields(pool: list[CombineInput]) -> None:
    national = combine(pool[:2]).dataset
    data = national.model_dump(mode="json")
    data["surprise"] = 1
    with pytest.raises(FormatError, match="surprise"):
        load_dataset(dump_json(data))
    assert NationalDataset.model_validate_json(dump_national(national)) == national
