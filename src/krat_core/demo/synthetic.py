"""Synthetic, realistic-looking data for the demo, tests and benchmarks.

Nothing here is real: every person is a random ``subject_ref``, institutions are
generic (the police directorate, the municipality...), NGOs have invented names.
Volumes and shapes follow ``shared/reference/realistic-volumes.md`` (US TIP
reports 2016-2022): about 90-160 cases a year nationally, mostly potential
victims (VMT), half to two thirds children, two thirds to four fifths female;
sexual exploitation, then forced labour and begging; activities cluster in
October and around 30 July; about ten objectives per region.

Generation is deterministic: the same arguments give equal submissions.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from krat_core import __version__
from krat_core.format.codelists import (
    ActivityStatus,
    ActivityType,
    AssistanceType,
    CaseStage,
    CaseStatus,
    ClosingReason,
    ExploitationType,
    IdentificationSource,
    InstitutionType,
    ObjectiveStatus,
    Observance,
    Pillar,
    RecruitmentMethod,
    RelationshipToTrafficker,
    Sex,
    TargetGroup,
    TraffickingScope,
)
from krat_core.format.models import (
    Activity,
    Assistance,
    Case,
    Generator,
    Indicator,
    Institution,
    Objective,
    Participants,
    Referral,
    Submission,
    SubmittedBy,
)
from krat_core.format.models.submission import period_bounds
from krat_core.format.regions import REGIONS

__all__ = [
    "CASE_SHARE",
    "MUNICIPALITIES",
    "generate_national",
    "generate_submission",
    "synthetic_subject_ref",
]

# Share of national cases by region: Tiranë, Durrës, Elbasan, Shkodër and Vlorë carry most.
CASE_SHARE: dict[str, float] = {
    "AL-01": 0.04,
    "AL-02": 0.15,
    "AL-03": 0.12,
    "AL-04": 0.07,
    "AL-05": 0.02,
    "AL-06": 0.06,
    "AL-07": 0.02,
    "AL-08": 0.04,
    "AL-09": 0.03,
    "AL-10": 0.10,
    "AL-11": 0.25,
    "AL-12": 0.10,
}

MUNICIPALITIES: dict[str, tuple[str, ...]] = {
    "AL-01": ("Berat", "Kuçovë", "Skrapar", "Poliçan", "Dimal"),
    "AL-02": ("Durrës", "Shijak", "Krujë"),
    "AL-03": ("Elbasan", "Cërrik", "Librazhd", "Peqin", "Belsh", "Gramsh", "Përrenjas"),
    "AL-04": ("Fier", "Lushnjë", "Patos", "Roskovec", "Mallakastër", "Divjakë"),
    "AL-05": ("Gjirokastër", "Tepelenë", "Përmet", "Libohovë", "Memaliaj", "Dropull"),
    "AL-06": ("Korçë", "Pogradec", "Devoll", "Kolonjë", "Maliq", "Pustec"),
    "AL-07": ("Kukës", "Has", "Tropojë"),
    "AL-08": ("Lezhë", "Mirditë", "Kurbin"),
    "AL-09": ("Dibër", "Mat", "Bulqizë", "Klos"),
    "AL-10": ("Shkodër", "Vau i Dejës", "Pukë", "Fushë-Arrëz", "Malësi e Madhe"),
    "AL-11": ("Tiranë", "Kamzë", "Vorë", "Kavajë", "Rrogozhinë"),
    "AL-12": ("Vlorë", "Sarandë", "Delvinë", "Selenicë", "Himarë", "Konispol"),
}

_NGO_NAMES = ("Hapa të Sigurt", "Ura e Shpresës", "Zëri i të Rinjve", "Rrugë e Re", "Dritare")

DEMO_KEY = hashlib.sha256(b"krat synthetic demo key - not for real data").digest()
"""The pseudonymisation key of synthetic data. Real keys come from ``krat key new``."""


def synthetic_subject_ref(label: str) -> str:
    """A ``subject_ref`` for an invented person named only by ``label``.

    Computed like a real one (HMAC-SHA256 under a key) but over the label itself,
    since invented people have no identity attributes to normalise.
    """
    return hmac.new(DEMO_KEY, label.encode("utf-8"), hashlib.sha256).hexdigest()


def _institutions(region: str) -> list[Institution]:
    name = REGIONS[region].sq
    town = MUNICIPALITIES[region][0]
    ngo = _NGO_NAMES[int(region[-2:]) % len(_NGO_NAMES)]
    specs = [
        (InstitutionType.POLICE, f"Drejtoria Vendore e Policisë {name}"),
        (InstitutionType.BORDER_POLICE, f"Drejtoria Rajonale e Policisë Kufitare {name}"),
        (
            InstitutionType.SOCIAL_SERVICES,
            f"Drejtoria Rajonale e Shërbimit Social Shtetëror {name}",
        ),
        (InstitutionType.CHILD_PROTECTION, f"Njësia për Mbrojtjen e Fëmijëve, Bashkia {town}"),
        (InstitutionType.EDUCATION, f"Zyra Vendore Arsimore {town}"),
        (InstitutionType.HEALTH, f"Drejtoria e Shëndetit Publik {name}"),
        (InstitutionType.EMPLOYMENT_OFFICE, f"Zyra e Punësimit {town}"),
        (InstitutionType.LABOUR_INSPECTORATE, f"Inspektorati Shtetëror i Punës, dega {name}"),
        (InstitutionType.PROSECUTION, f"Prokuroria e Rrethit Gjyqësor {town}"),
        (InstitutionType.PREFECTURE, f"Prefektura e Qarkut {name}"),
        (InstitutionType.MUNICIPALITY, f"Bashkia {town}"),
        (InstitutionType.NGO, f"Organizata «{ngo}»"),
    ]
    return [
        Institution(id=f"{region}-I-{i:04d}", name=label, type=kind, municipality=town)
        for i, (kind, label) in enumerate(specs, start=1)
    ]


T = TypeVar("T")


def _pick(rng: random.Random, weighted: dict[T, float]) -> T:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


_EXPLOITATION = {
    ExploitationType.SEXUAL: 0.52,
    ExploitationType.FORCED_LABOUR: 0.18,
    ExploitationType.FORCED_BEGGING: 0.15,
    ExploitationType.FORCED_CRIMINALITY: 0.08,
    ExploitationType.FORCED_MARRIAGE: 0.03,
    ExploitationType.CHILD_LABOUR: 0.03,
    ExploitationType.DOMESTIC_SERVITUDE: 0.01,
}
_SOURCES = {
    IdentificationSource.MOBILE_UNIT: 0.35,
    IdentificationSource.POLICE: 0.25,
    IdentificationSource.SOCIAL_SERVICES: 0.12,
    IdentificationSource.NGO: 0.12,
    IdentificationSource.SCHOOL: 0.05,
    IdentificationSource.HOTLINE: 0.04,
    IdentificationSource.HEALTH: 0.02,
    IdentificationSource.FAMILY: 0.03,
    IdentificationSource.SELF_REFERRAL: 0.02,
}
_DESTINATIONS = {"IT": 0.3, "GR": 0.25, "XK": 0.15, "DE": 0.1, "GB": 0.1, "FR": 0.05, "MK": 0.05}


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _case(
    rng: random.Random,
    region: str,
    year: int,
    seq: int,
    first: date,
    last: date,
    inst: dict[InstitutionType, str],
) -> Case:
    minor = rng.random() < 0.6
    age = rng.randint(9, 17) if minor else rng.randint(18, 45)
    sex = Sex.FEMALE if rng.random() < 0.75 else Sex.MALE
    status = CaseStatus.VICTIM if rng.random() < 0.07 else CaseStatus.POTENTIAL_VICTIM
    identified = _day(rng, first, last - timedelta(days=min(30, (last - first).days)))
    transnational = rng.random() < 0.2
    exploitation = [_pick(rng, _EXPLOITATION)]
    if rng.random() < 0.1:
        second = _pick(rng, _EXPLOITATION)
        if second not in exploitation:
            exploitation.append(second)
    if not minor:  # child labour is for children only (rule case.adult-with-child-exploitation)
        exploitation = list(
            dict.fromkeys(
                ExploitationType.FORCED_LABOUR if e == ExploitationType.CHILD_LABOUR else e
                for e in exploitation
            )
        )
    source = _pick(rng, _SOURCES)
    identified_by = (
        inst[InstitutionType.POLICE]
        if source in (IdentificationSource.POLICE, IdentificationSource.MOBILE_UNIT)
        else inst[rng.choice((InstitutionType.SOCIAL_SERVICES, InstitutionType.CHILD_PROTECTION))]
    )
    referral = None
    assistance: list[Assistance] = []
    stage = CaseStage.IDENTIFIED
    closed_on = None
    closing_reason = None
    if rng.random() < 0.85:
        referred_on = identified + timedelta(days=rng.choice((0, 1, 2, 3, 5, 8, 14, 21)))
        referral = Referral(
            referred_on=min(referred_on, last),
            referred_to=inst[InstitutionType.SOCIAL_SERVICES],
            consent=rng.random() < 0.95,
        )
        stage = CaseStage.REFERRED
        if rng.random() < 0.8:
            start = referral.referred_on + timedelta(days=rng.randint(0, 7))
            start = min(start, last)
            kinds = rng.sample(
                [
                    AssistanceType.SHELTER,
                    AssistanceType.PSYCHOLOGICAL,
                    AssistanceType.MEDICAL,
                    AssistanceType.LEGAL,
                    AssistanceType.EDUCATION,
                    AssistanceType.VOCATIONAL_TRAINING,
                    AssistanceType.ECONOMIC_SUPPORT,
                ],
                k=rng.randint(1, 3),
            )
            for kind in kinds:
                end = start + timedelta(days=rng.randint(10, 150))
                assistance.append(
                    Assistance(
                        type=kind,
                        provider=inst[
                            rng.choice((InstitutionType.NGO, InstitutionType.SOCIAL_SERVICES))
                        ],
                        start=start,
                        end=end if end <= last else None,
                    )
                )
            stage = CaseStage.ASSISTED
            ends = [a.end for a in assistance]
            if all(ends) and rng.random() < 0.5:
                stage = CaseStage.CLOSED
                closed_on = max(e for e in ends if e is not None)
                closing_reason = rng.choice(
                    (
                        ClosingReason.REINTEGRATED,
                        ClosingReason.REINTEGRATED,
                        ClosingReason.LOST_CONTACT,
                    )
                )
    return Case(
        id=f"{region}-C-{year}-{seq:04d}",
        subject_ref=synthetic_subject_ref(f"{region}-{year}-{seq}-{rng.random()}"),
        status=status,
        status_decided_by=inst[InstitutionType.POLICE] if status is CaseStatus.VICTIM else None,
        identified_on=identified,
        identified_by=identified_by,
        identification_source=source,
        sex=sex,
        age_at_identification=age,
        minor=minor,
        citizenships=["AL"] if rng.random() < 0.95 else [rng.choice(("XK", "MK", "GR", "SY"))],
        exploitation_types=exploitation,
        scope=TraffickingScope.TRANSNATIONAL if transnational else TraffickingScope.INTERNAL,
        countries_of_exploitation=[_pick(rng, _DESTINATIONS)] if transnational else ["AL"],
        recruitment_method=rng.choice(list(RecruitmentMethod)),
        relationship_to_trafficker=rng.choice(list(RelationshipToTrafficker)),
        referral=referral,
        assistance=assistance,
        stage=stage,
        closed_on=closed_on,
        closing_reason=closing_reason,
        criminal_proceedings=rng.random() < 0.3 if status is CaseStatus.VICTIM else None,
    )


_ACTIVITY_TYPES = {
    ActivityType.SCHOOL_SESSION: 0.45,
    ActivityType.FORUM: 0.12,
    ActivityType.CAMPAIGN: 0.1,
    ActivityType.TRAINING: 0.1,
    ActivityType.COORDINATION_MEETING: 0.1,
    ActivityType.MEDIA: 0.05,
    ActivityType.COMPETITION: 0.04,
    ActivityType.CULTURAL_EVENT: 0.03,
    ActivityType.PUBLICATION: 0.01,
}
_TITLES = {
    ActivityType.SCHOOL_SESSION: "Seancë informuese për trafikimin e personave",
    ActivityType.FORUM: "Forum me të rinjtë për rreziqet e trafikimit",
    ActivityType.CAMPAIGN: "Fushatë ndërgjegjësuese kundër trafikimit",
    ActivityType.TRAINING: "Trajnim për identifikimin e viktimave",
    ActivityType.COORDINATION_MEETING: "Takim i Tryezës Teknike Antitrafik",
    ActivityType.MEDIA: "Emision televiziv për parandalimin e trafikimit",
    ActivityType.COMPETITION: "Konkurs vizatimi «Jo trafikimit»",
    ActivityType.CULTURAL_EVENT: "Marshim ndërgjegjësues",
    ActivityType.PUBLICATION: "Shpërndarje fletëpalosjesh informuese",
}


def _activity_day(rng: random.Random, first: date, last: date) -> tuple[date, Observance | None]:
    roll = rng.random()
    year = first.year
    candidates: list[tuple[date, Observance | None]] = []
    if roll < 0.08:
        candidates.append((date(year, 10, 18), Observance.EU_DAY))
    elif roll < 0.14:
        candidates.append((date(year, 7, 30), Observance.WORLD_DAY))
    elif roll < 0.5:
        candidates.append((date(year, 10, rng.randint(1, 31)), Observance.OCTOBER_MONTH))
    for day, observance in candidates:
        if first <= day <= last:
            return day, observance
    return _day(rng, first, last), None


def _activities(
    rng: random.Random,
    region: str,
    year: int,
    first: date,
    last: date,
    count: int,
    inst: list[Institution],
    objectives: list[Objective],
    today: date,
) -> list[Activity]:
    result = []
    towns = MUNICIPALITIES[region]
    for seq in range(1, count + 1):
        kind = _pick(rng, _ACTIVITY_TYPES)
        start, observance = _activity_day(rng, first, last)
        end = (
            start + timedelta(days=rng.choice((0, 0, 0, 1, 2)))
            if kind is ActivityType.CAMPAIGN
            else None
        )
        if end is not None and end > last:
            end = last
        done = (end or start) <= today
        status = (
            ActivityStatus.COMPLETED
            if done and rng.random() < 0.92
            else (
                ActivityStatus.POSTPONED
                if done and rng.random() < 0.5
                else ActivityStatus.CANCELLED
                if done
                else ActivityStatus.PLANNED
            )
        )
        participants = None
        if status is ActivityStatus.COMPLETED:
            female = rng.randint(5, 60)
            male = rng.randint(3, 50)
            participants = Participants(female=female, male=male, total=female + male)
        school = kind is ActivityType.SCHOOL_SESSION
        organiser = inst[4] if school else rng.choice(inst[:4] + inst[9:])
        result.append(
            Activity(
                id=f"{region}-A-{year}-{seq:04d}",
                title=_TITLES[kind],
                type=kind,
                start=start,
                end=end,
                status=status,
                national_calendar=observance is not None,
                observance=observance,
                organiser=organiser.id,
                partners=[
                    p.id for p in rng.sample(inst, k=rng.randint(0, 2)) if p.id != organiser.id
                ],
                municipality=rng.choice(towns),
                place=f"Shkolla e mesme nr. {rng.randint(1, 12)}" if school else None,
                target_groups=(
                    [TargetGroup.PUPILS, TargetGroup.TEACHERS]
                    if school
                    else rng.sample(list(TargetGroup)[:-1], k=rng.randint(1, 3))
                ),
                participants=participants,
                objectives=[rng.choice(objectives).id] if objectives and rng.random() < 0.7 else [],
            )
        )
    return result


_OBJECTIVES = (
    (
        Pillar.PREVENTION,
        "Rritja e ndërgjegjësimit të nxënësve për rreziqet e trafikimit",
        "nxënës të informuar",
        "persona",
    ),
    (
        Pillar.PREVENTION,
        "Informimi i komuniteteve rome dhe egjiptiane",
        "takime në komunitet",
        "takime",
    ),
    (
        Pillar.PREVENTION,
        "Fushatë gjatë Muajit të Luftës kundër Trafikimit",
        "aktivitete në tetor",
        "aktivitete",
    ),
    (
        Pillar.PROTECTION,
        "Identifikimi i hershëm i viktimave të mundshme",
        "raste të referuara brenda 3 ditëve",
        "%",
    ),
    (
        Pillar.PROTECTION,
        "Riintegrimi i viktimave në arsim dhe punësim",
        "viktima të punësuara ose në arsim",
        "persona",
    ),
    (
        Pillar.PROSECUTION,
        "Bashkëpunimi me prokurorinë për rastet e trafikimit",
        "takime të përbashkëta",
        "takime",
    ),
    (
        Pillar.PARTNERSHIP,
        "Mbledhje të rregullta të Tryezës Teknike Antitrafik",
        "mbledhje në vit",
        "mbledhje",
    ),
    (
        Pillar.PARTNERSHIP,
        "Trajnimi i profesionistëve të Mekanizmit të Referimit",
        "profesionistë të trajnuar",
        "persona",
    ),
    (
        Pillar.PARTNERSHIP,
        "Raportimi i të dhënave në formatin e përbashkët",
        "raporte të dorëzuara në afat",
        "raporte",
    ),
    (
        Pillar.PREVENTION,
        "Informimi i prindërve për rreziqet në internet",
        "prindër të informuar",
        "persona",
    ),
    (
        Pillar.PROTECTION,
        "Vendosja e fëmijëve të identifikuar në strehëz",
        "fëmijë të strehuar",
        "persona",
    ),
)


def _objectives(
    rng: random.Random, region: str, year: int, inst: list[Institution], today: date
) -> list[Objective]:
    result = []
    plan = f"{year - year % 3}-{year - year % 3 + 2}"
    count = rng.randint(8, len(_OBJECTIVES))
    for seq, (pillar, title, indicator, unit) in enumerate(_OBJECTIVES[:count], start=1):
        target = float(rng.choice((4, 6, 10, 12, 20, 50, 100, 200)))
        deadline = date(year, rng.choice((6, 10, 12)), 30 if rng.random() < 0.5 else 15)
        over = deadline <= today
        ratio = rng.choice((0.4, 0.7, 0.9, 1.0, 1.0, 1.1, 1.3))
        if not over:
            status = ObjectiveStatus.IN_PROGRESS
            actual = None
        elif ratio >= 1.0:
            status = ObjectiveStatus.ACHIEVED
            actual = round(target * ratio)
        elif ratio >= 0.7:  # short of the target, also after rounding a small one
            status = ObjectiveStatus.PARTIALLY_ACHIEVED
            actual = min(round(target * ratio), int(target) - 1)
        else:
            status = ObjectiveStatus.NOT_ACHIEVED
            actual = round(target * ratio)
        result.append(
            Objective(
                id=f"{region}-O-{year}-{seq:04d}",
                year=year,
                pillar=pillar,
                title=title,
                national_measure=f"PKV {plan}, masa {rng.randint(1, 4)}.{rng.randint(1, 9)}",
                responsible=[p.id for p in rng.sample(inst, k=rng.randint(1, 3))],
                deadline=deadline,
                status=status,
                indicators=[
                    Indicator(
                        name=indicator,
                        unit=unit,
                        baseline=float(round(target * 0.5)),
                        target=target,
                        actual=None if actual is None else float(actual),
                    )
                ],
            )
        )
    return result


def generate_submission(
    region: str,
    period: str | int = 2024,
    *,
    seed: int = 0,
    cases: int | None = None,
    activities: int | None = None,
    national_cases: int = 110,
    submitted_at: datetime | None = None,
) -> Submission:
    """A synthetic, internally consistent submission for ``region`` and ``period``.

    ``cases`` and ``activities`` override the realistic counts (e.g. 100_000 for
    a benchmark); by default a region gets its share of ``national_cases`` and a
    few dozen activities. The result passes every built-in rule.
    """
    period = str(period)
    year = int(period[:4])
    rng = random.Random(f"{seed}:{region}:{period}")
    first, last = period_bounds(period)
    submitted = submitted_at or datetime(
        last.year + (1 if last.month == 12 else 0),
        1 if last.month == 12 else last.month + 1,
        20,
        9,
        0,
        tzinfo=UTC,
    )
    today = submitted.date() - timedelta(days=1)
    inst = _institutions(region)
    by_type = {i.type: i.id for i in inst}
    n_cases = (
        cases
        if cases is not None
        else max(1, round(rng.gauss(1.0, 0.15) * national_cases * CASE_SHARE[region]))
    )
    n_activities = activities if activities is not None else rng.randint(15, 40)
    objectives = _objectives(rng, region, year, inst, today)
    return Submission(
        region=region,
        period=period,
        submitted_at=submitted,
        submitted_by=SubmittedBy(
            institution=f"Prefektura e Qarkut {REGIONS[region].sq}",
            contact="sekretariati.krat@example.invalid",
        ),
        generator=Generator(version=__version__),
        institutions=inst,
        cases=[_case(rng, region, year, i, first, last, by_type) for i in range(1, n_cases + 1)],
        activities=_activities(
            rng, region, year, first, last, n_activities, inst, objectives, today
        ),
        objectives=objectives,
    )


def generate_national(
    period: str | int = 2024, *, seed: int = 0, national_cases: int = 110
) -> list[Submission]:
    """One synthetic submission for each of the twelve regions, in region order."""
    return [
        generate_submission(code, period, seed=seed, national_cases=national_cases)
        for code in REGIONS
    ]
