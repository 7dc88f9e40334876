"""The record models: strategies produce valid records, round trips, strictness."""

from __future__ import annotations

from hypothesis import given, settings

import krat_core
from krat_core.models import Submission
from strategies import submissions


@settings(max_examples=60, deadline=None)
@given(submissions())
def test_load_of_dump_is_identity_and_dump_is_canonical(submission: Submission) -> None:
    data = krat_core.dump_submission(submission)
    again = krat_core.load_submission(data)
    assert again == submission
    assert krat_core.dump_submission(again) == data
