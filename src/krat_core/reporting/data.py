"""What a report is about: the submissions it covers, and the record facts
several tables share.

National figures count **case records**: a person reported by two regions is
counted once in each region (the national dataset lists such persons).
"""

from __future__ import annotations

import statistics as _stats
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from krat_core.errors import NothingToReport, UnsupportedDataset
from krat_core.format.codelists import ActivityStatus
from krat_core.messages import Message
from krat_core.reporting.tally import Cases, Submissions

if TYPE_CHECKING:
    from krat_core.format.models import Activity, Case, Institution, Objective, Submission
    from krat_core.format.models.national import CompletenessCell, NationalDataset

NO_PERIOD = Message(
    sq="grupi kombëtar i të dhënave nuk mbulon asnjë periudhë; nuk ka çfarë të raportohet",
    en="the national dataset covers no period; nothing to report",
)
UNSUPPORTED = Message(
    sq="nuk mund të raportohet për një {kind}: pritej një dorëzim rajonal ose një grup "
    "kombëtar të dhënash",
    en="cannot report on a {kind}: expected a regional submission or a national dataset",
)

__all__ = [
    "ReportData",
    "days_to_referral",
    "held_status",
    "is_held",
    "median",
    "report_data",
]


@dataclass(frozen=True, slots=True)
class ReportData:
    """What a report is about: the submissions, and whether it is national.

    Build it with :func:`report_data` from a :class:`Submission` or a
    :class:`~krat_core.format.models.national.NationalDataset`.
    """

    submissions: tuple[Submission, ...]
    national: bool
    region: str | None
    periods: tuple[str, ...]
    completeness: tuple[CompletenessCell, ...] = ()

    def __post_init__(self) -> None:
        # the submissions keep what is computed once from their (frozen) records
        if not isinstance(self.submissions, Submissions):
            object.__setattr__(self, "submissions", Submissions(self.submissions))

    @property
    def period(self) -> str:
        """The period(s) covered, as written on the report ("2024", "2024-H1, 2024-H2")."""
        return ", ".join(self.periods)

    @property
    def year(self) -> int:
        """The (last) year covered."""
        return max(int(p[:4]) for p in self.periods)

    def cases(self) -> Cases:
        """Every case of every submission, in order: the same immutable sequence
        on every call, which counts the cases once for all the case tables
        (:class:`~krat_core.reporting.tally.Cases`)."""
        assert isinstance(self.submissions, Submissions)  # made so by __post_init__
        return self.submissions.cases

    def activities(self) -> list[Activity]:
        """Every activity of every submission."""
        return [a for s in self.submissions for a in s.activities]

    def objectives(self) -> list[Objective]:
        """Every objective of every submission."""
        return [o for s in self.submissions for o in s.objectives]

    def institutions(self) -> dict[str, Institution]:
        """Every institution, by id."""
        return {i.id: i for s in self.submissions for i in s.institutions}


def report_data(dataset: Submission | NationalDataset | ReportData) -> ReportData:
    """The :class:`ReportData` of a regional submission or a national dataset.

    Raises:
        UnsupportedDataset: ``dataset`` is anything else.
        NothingToReport: a national dataset that covers no period.
    """
    from krat_core.format.models import Submission
    from krat_core.format.models.national import NationalDataset

    if isinstance(dataset, ReportData):
        return dataset
    if isinstance(dataset, Submission):
        return ReportData(
            submissions=(dataset,),
            national=False,
            region=dataset.region,
            periods=(dataset.period,),
        )
    if isinstance(dataset, NationalDataset):
        subs = tuple(dataset.regional_submissions())
        periods = tuple(dataset.periods) or tuple(sorted({s.period for s in subs}))
        if not periods:
            raise NothingToReport(NO_PERIOD.both())
        return ReportData(
            submissions=subs,
            national=True,
            region=None,
            periods=periods,
            completeness=tuple(dataset.completeness),
        )
    raise UnsupportedDataset(UNSUPPORTED.both(kind=type(dataset).__name__))


def median(values: Sequence[int]) -> float | None:
    """The median of ``values`` as a float; None when there are none."""
    return float(_stats.median(values)) if values else None


def days_to_referral(case: Case) -> int | None:
    """Days from a case's identification to its referral; None if it was not referred."""
    if case.referral is None:
        return None
    return (case.referral.referred_on - case.identified_on).days


def is_held(activity: Activity) -> bool:
    """Whether an activity took place (its status is completed)."""
    return held_status(activity.status)


def held_status(status: ActivityStatus) -> bool:
    """Whether an activity with ``status`` took place: the one definition of "held"."""
    return status is ActivityStatus.COMPLETED
