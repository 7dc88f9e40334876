"""The demo scenario: the whole pipeline on synthetic data for all twelve regions.

:func:`run_demo` writes everything into one folder and returns what happened::

    from krat_core.demo.scenario import run_demo
    from krat_core.plugins.manager import load_plugins

    result = run_demo(Path("krat-demo"), registry=load_plugins(), say=print)
    result.national   # the national dataset's path
    result.written    # every output file

The steps, in order:

1. twelve synthetic regional submissions, as canonical JSON;
2. each written as a filled official template and imported back (the round trip);
3. realistic mistakes planted in two regions, every submission validated, one
   JSON report each;
4. a realistic inbox (one region late, one that sends twice, one person
   reported by two regions) combined into the national dataset;
5. the national report in every format, and one regional report;
6. the archive across years (:mod:`krat_core.demo.archive_step`): two years of
   submissions, Durrës's resubmission and a calendar amendment, then the
   national report and calendar from the archive alone.

The narrative (what a person reads) goes to ``say`` line by line, in ``lang``,
and is kept in :attr:`DemoResult.lines`. Library code: nothing is printed here.
All data is synthetic: no real person is in it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from krat_core.demo.archive_step import step_archive
from krat_core.messages import Message, Plural, format_date, format_number

if TYPE_CHECKING:
    from krat_core.combine.result import CombineResult
    from krat_core.format.models import Submission
    from krat_core.format.models.national import NationalDataset
    from krat_core.plugins.manager import Registry
    from krat_core.validation.report import ValidationReport

__all__ = [
    "STEPS",
    "DemoResult",
    "run_demo",
    "step_combine",
    "step_generate",
    "step_reports",
    "step_templates",
    "step_validate",
]

TIRANE = timezone(timedelta(hours=1))
"""Albania's winter offset (CET), when the submissions are sent."""
PLANTED_REGIONS = ("AL-02", "AL-10")
"""The regions whose submissions get planted mistakes (step 3)."""

# ---------------------------------------------------------------- the narrative

STEP_GENERATE = Message(
    sq="1. Po krijohen dorëzime sintetike për dymbëdhjetë qarqet, {year}",
    en="1. Generating synthetic submissions for the twelve regions, {year}",
)
GENERATED = Message(
    sq=Plural(
        one="  {n} dorëzim në {folder}: {records}",
        other="  {n} dorëzime në {folder}: {records}",
    ),
    en=Plural(
        one="  {n} submission in {folder}: {records}",
        other="  {n} submissions in {folder}: {records}",
    ),
)
STEP_TEMPLATES = Message(
    sq="2. Të dhënat e çdo qarku shkruhen në formularin zyrtar të plotësuar dhe importohen sërish",
    en="2. Writing each region's data as a filled official template and importing it back",
)
NO_TEMPLATE_EXPORTER = Message(
    sq="  (u anashkalua: eksportuesi i formularit nuk është i instaluar)",
    en="  (skipped: the template exporter is not installed)",
)
TEMPLATE_ROW = Message(
    sq="  {code} {name:<12} {file}: {read} rreshta të lexuar, {rejected} të refuzuar; {outcome}",
    en="  {code} {name:<12} {file}: {read} rows read, {rejected} rejected; {outcome}",
)
IDENTICAL = Message(sq="u importua sërish identik", en="imported back identical")
DIFFERS = Message(sq="NDRYSHON pas importit", en="DIFFERS after import")
TEMPLATES_DONE = Message(
    sq="  {same} nga {n} formularë u importuan sërish identikë ({seconds} s), në {folder}",
    en="  {same} of {n} templates imported back identical ({seconds} s), in {folder}",
)
STEP_VALIDATE = Message(
    sq="3. Po validohen dymbëdhjetë dorëzimet sipas çdo rregulli",
    en="3. Validating the twelve submissions against every business rule",
)
NOTHING_TO_VALIDATE = Message(
    sq="  (asnjë dorëzim për të validuar)", en="  (no submissions to validate)"
)
PLANTED = Message(
    sq=Plural(
        one="  Demo vendosi {n} gabim në {file}:", other="  Demo vendosi {n} gabime në {file}:"
    ),
    en=Plural(
        one="  The demo planted {n} mistake in {file}:",
        other="  The demo planted {n} mistakes in {file}:",
    ),
)
VALID = Message(sq="i vlefshëm   ", en="valid    ")
NOT_VALID = Message(sq="JO I VLEFSHËM", en="NOT VALID")
REPORTS_WRITTEN = Message(
    sq=Plural(
        one="  u shkrua {n} raport JSON në {folder}",
        other="  u shkruan {n} raporte JSON në {folder}",
    ),
    en=Plural(
        one="  wrote {n} JSON report in {folder}", other="  wrote {n} JSON reports in {folder}"
    ),
)
STEP_COMBINE = Message(
    sq="4. Dorëzimet rajonale bashkohen në të dhënat kombëtare",
    en="4. Combining the regional submissions into the national dataset",
)
INBOX_LATE = Message(
    sq="  Kukësi dërgoi më {sent}, pas afatit të {deadline}",
    en="  Kukës sent on {sent}, after the deadline of {deadline}",
)
INBOX_TWICE = Message(
    sq="  Durrësi dërgoi dy herë: {first} (15.01) dhe {second} (27.01), duke ndryshuar "
    "{changed} dhe duke shtuar {added}",
    en="  Durrës sent twice: {first} (15.01) and {second} (27.01), changing {changed} "
    "and adding {added}",
)
INBOX_SHARED = Message(
    sq="  një person është në rastin {tirane} (Tiranë) dhe {elbasan} (Elbasan)",
    en="  one person is in case {tirane} (Tirana) and {elbasan} (Elbasan)",
)
STEP_REPORTS = Message(sq="5. Po shkruhen raportet", en="5. Writing the reports")
NOTHING_TO_REPORT = Message(
    sq="  asnjë dorëzim: asgjë për të raportuar", en="  no submissions: nothing to report"
)
COMPARING = Message(
    sq="  krahasim me të dhëna kombëtare sintetike të vitit {year}",
    en="  comparing with a synthetic national dataset of {year}",
)
WROTE = Message(sq="  u shkrua {path}  ({what})", en="  wrote {path}  ({what})")
NATIONAL_DATASET = Message(sq="të dhënat kombëtare", en="national dataset")

PLANT_REFERRAL = Message(
    sq="rasti {id}: referimi me datë 4 ditë para identifikimit",
    en="case {id}: referral dated 4 days before identification",
)
PLANT_MINOR = Message(
    sq="rasti {id}: shenja e të miturit u hoq edhe pse mosha është nën 18",
    en="case {id}: minor flag cleared although the age is under 18",
)
PLANT_PARTICIPANTS = Message(
    sq="aktiviteti {id}: i realizuar, por pa pjesëmarrës të raportuar",
    en="activity {id}: completed but no participants reported",
)
PLANT_ORGANISER = Message(
    sq="aktiviteti {id}: organizatori {organiser} nuk ekziston",
    en="activity {id}: organiser {organiser} does not exist",
)
PLANT_TRANSNATIONAL = Message(
    sq="rasti {id}: shënuar ndërkombëtar dhe VT, pa shtet të huaj dhe pa institucionin që vendosi",
    en="case {id}: marked transnational and VT, with neither a foreign country nor the "
    "deciding institution",
)
PLANT_ACHIEVED = Message(
    sq="objektivi {id}: raportuar i arritur nën objektivin e tij",
    en="objective {id}: reported achieved below its target",
)

# The national reports of step 5: format, file name, what it is.
OUTPUTS: tuple[tuple[str, str, Message, str], ...] = (
    (
        "docx",
        "analiza-kombetare-{year}.docx",
        Message(sq="analiza vjetore kombëtare, Word", en="national annual analysis, Word"),
        "sq",
    ),
    (
        "docx",
        "national-report-{year}-en.docx",
        Message(sq="raporti kombëtar në anglisht, Word", en="national report in English, Word"),
        "en",
    ),
    (
        "xlsx",
        "raporti-kombetar-{year}.xlsx",
        Message(sq="libri kombëtar i punës, Excel", en="national workbook, Excel"),
        "sq",
    ),
    (
        "csv",
        "te-dhenat-{year}.zip",
        Message(sq="regjistrime dhe tabela si CSV, zip", en="records and tables as CSV, zip"),
        "sq",
    ),
    (
        "ics",
        "kalendari-{year}.ics",
        Message(sq="kalendari kombëtar, iCalendar", en="national calendar, iCalendar"),
        "sq",
    ),
    (
        "json",
        "national-{year}.json",
        Message(sq="të dhënat kombëtare, JSON kanonik", en="national dataset, canonical JSON"),
        "sq",
    ),
    (
        "htcds",
        "htcds-{year}.xlsx",
        Message(sq="rastet sipas strukturës HTCDS 2.0", en="cases in the HTCDS 2.0 layout"),
        "sq",
    ),
)
PREVIOUS_DATASET = Message(
    sq="të dhënat kombëtare sintetike të {year}, për krahasim",
    en="synthetic national dataset of {year}, to compare with",
)
REGIONAL_REPORT = Message(
    sq="analiza vjetore rajonale e {region}, Word",
    en="regional annual analysis of {region}, Word",
)


@dataclass
class DemoResult:
    """What :func:`run_demo` did: the files it wrote and what each step produced."""

    out: Path
    year: int
    seed: int
    lang: str = "en"
    submissions: dict[str, Path] = field(default_factory=dict)
    """Region code -> canonical submission file."""
    templates: dict[str, Path] = field(default_factory=dict)
    """Region code -> the filled template (step 2)."""
    round_trips: dict[str, bool] = field(default_factory=dict)
    """Region code -> whether the template imported back identical."""
    planted: dict[str, list[str]] = field(default_factory=dict)
    """Region code -> the mistakes planted in its submission (step 3)."""
    validation: dict[str, ValidationReport] = field(default_factory=dict)
    """Region code -> its validation report."""
    national: Path | None = None
    """The national dataset (step 4)."""
    combined: CombineResult | None = None
    inbox: list[Path] = field(default_factory=list)
    """The files combined in step 4 (the inbox, with Durrës's two versions)."""
    written: list[Path] = field(default_factory=list)
    """Every output file the steps announced, in order."""
    lines: list[str] = field(default_factory=list)
    """The narrative, line by line, as ``say`` received it."""
    on_line: Callable[[str], None] | None = field(default=None, repr=False)
    """Called with each line of the narrative as it is added."""

    def say(self, line: str) -> None:
        """Add a line to the narrative."""
        self.lines.append(line)
        if self.on_line is not None:
            self.on_line(line)

    def tell(self, message: Message, **values: Any) -> None:
        """Add ``message`` in the demo's language to the narrative."""
        self.say(message.text(self.lang, **values))

    def wrote(self, path: Path, what: str) -> None:
        """Record and announce an output file."""
        self.written.append(path)
        self.tell(WROTE, path=path, what=what)


def run_demo(
    out: Path,
    *,
    year: int = 2024,
    seed: int = 0,
    registry: Registry | None = None,
    lang: str = "en",
    say: Callable[[str], None] | None = None,
) -> DemoResult:
    """Run the whole pipeline on synthetic data into ``out``; return what happened.

    Args:
        out: the folder to write everything into (made if missing).
        year: the reporting year.
        seed: the seed of the synthetic data (the same seed gives the same files).
        registry: the loaded plugins; by default :func:`~krat_core.plugins.manager.load_plugins`.
        lang: the language of the narrative (``"en"`` by default, the demo's language).
        say: called with each line of the narrative as it happens (e.g. ``print``).

    Returns:
        A :class:`DemoResult`: the paths written and the reports made.
    """
    if registry is None:
        from krat_core.plugins.manager import load_plugins

        registry = load_plugins()
    demo = DemoResult(out=out, year=year, seed=seed, lang=lang, on_line=say)
    for step in STEPS:
        step(demo, registry)
    return demo


def step_generate(demo: DemoResult, registry: Registry) -> None:
    """Step 1: twelve synthetic regional submissions, as canonical JSON."""
    from krat_core.atomic import write_bytes_atomic
    from krat_core.demo.synthetic import generate_national
    from krat_core.format.canonical import dump_submission
    from krat_core.format.models import RECORD_LISTS
    from krat_core.validation.report import record_counts

    demo.tell(STEP_GENERATE, year=demo.year)
    folder = demo.out / "submissions"
    total = dict.fromkeys(("case", "activity", "objective"), 0)
    for submission in generate_national(demo.year, seed=demo.seed):
        path = folder / f"{submission.region}-{submission.period}.json"
        write_bytes_atomic(path, dump_submission(submission))
        demo.submissions[submission.region] = path
        for kind in total:
            total[kind] += len(getattr(submission, RECORD_LISTS[kind]))
    records = record_counts(total, demo.lang)
    demo.tell(GENERATED, n=len(demo.submissions), folder=folder, records=records)


def step_templates(demo: DemoResult, registry: Registry) -> None:
    """Step 2: each region's data as a filled official template, imported back and compared."""
    from krat_core.format.canonical import load_submission
    from krat_core.format.regions import REGIONS
    from krat_core.importing import import_files
    from krat_core.plugins.descriptors import ExportOptions, ImportOptions

    demo.tell(STEP_TEMPLATES)
    exporter = registry.exporters.get("template")
    if exporter is None:
        demo.tell(NO_TEMPLATE_EXPORTER)
        return
    folder = demo.out / "templates"
    started = time.perf_counter()
    for code, source in demo.submissions.items():
        original = load_submission(source)
        target = folder / f"{code}-{original.period}.xlsx"
        exporter.export(original, target, ExportOptions(lang="sq"))
        demo.templates[code] = target
        result = import_files([target], ImportOptions(), registry)
        same_header = {"generator": original.generator, "schema_version": original.schema_version}
        equal = result.submission.model_copy(update=same_header) == original
        demo.round_trips[code] = equal
        demo.tell(
            TEMPLATE_ROW,
            code=code,
            name=REGIONS[code].label(demo.lang),
            file=target.name,
            read=result.rows_read,
            rejected=result.rows_rejected,
            outcome=(IDENTICAL if equal else DIFFERS).text(demo.lang),
        )
    seconds = format_number(time.perf_counter() - started, demo.lang, decimals=1)
    same = sum(demo.round_trips.values())
    demo.tell(TEMPLATES_DONE, same=same, n=len(demo.submissions), seconds=seconds, folder=folder)


def _plant(region: str, submission: Submission, lang: str) -> tuple[Submission, list[str]]:
    """Copy ``submission`` with a few realistic mistakes; say what was planted."""
    from krat_core.format.codelists import (
        ActivityStatus,
        CaseStatus,
        ObjectiveStatus,
        TraffickingScope,
    )

    cases = list(submission.cases)
    activities = list(submission.activities)
    objectives = list(submission.objectives)
    planted: list[str] = []
    if region.endswith("02"):
        for i, case in enumerate(cases):
            if case.referral is not None:
                early = case.identified_on - timedelta(days=4)
                cases[i] = case.model_copy(
                    update={"referral": case.referral.model_copy(update={"referred_on": early})}
                )
                planted.append(PLANT_REFERRAL.text(lang, id=case.id))
                break
        for i, case in enumerate(cases):
            if case.minor and i > 0:
                cases[i] = case.model_copy(update={"minor": False})
                planted.append(PLANT_MINOR.text(lang, id=case.id))
                break
        for i, activity in enumerate(activities):
            if activity.status == ActivityStatus.COMPLETED:
                activities[i] = activity.model_copy(update={"participants": None})
                planted.append(PLANT_PARTICIPANTS.text(lang, id=activity.id))
                break
    else:
        orphan = f"{region}-I-0099"
        activities[0] = activities[0].model_copy(update={"organiser": orphan})
        planted.append(PLANT_ORGANISER.text(lang, id=activities[0].id, organiser=orphan))
        for i, case in enumerate(cases):
            if case.scope == TraffickingScope.INTERNAL:
                cases[i] = case.model_copy(
                    update={
                        "scope": TraffickingScope.TRANSNATIONAL,
                        "status": CaseStatus.VICTIM,
                        "status_decided_by": None,
                    }
                )
                planted.append(PLANT_TRANSNATIONAL.text(lang, id=case.id))
                break
        for i, objective in enumerate(objectives):
            if objective.status == ObjectiveStatus.PARTIALLY_ACHIEVED:
                objectives[i] = objective.model_copy(update={"status": ObjectiveStatus.ACHIEVED})
                planted.append(PLANT_ACHIEVED.text(lang, id=objective.id))
                break
    changed = submission.model_copy(
        update={"cases": cases, "activities": activities, "objectives": objectives}
    )
    return changed, planted


def step_validate(demo: DemoResult, registry: Registry) -> None:
    """Step 3: plant mistakes in two regions, validate all twelve, write JSON reports."""
    from krat_core.atomic import write_bytes_atomic
    from krat_core.format.canonical import dump_submission, load_submission
    from krat_core.format.regions import REGIONS
    from krat_core.validation.engine import validate

    demo.tell(STEP_VALIDATE)
    if not demo.submissions:
        demo.tell(NOTHING_TO_VALIDATE)
        return
    chosen = [r for r in PLANTED_REGIONS if r in demo.submissions]
    for code in chosen:
        path = demo.submissions[code]
        changed, planted = _plant(code, load_submission(path), demo.lang)
        write_bytes_atomic(path, dump_submission(changed))
        demo.planted[code] = planted
        demo.tell(PLANTED, n=len(planted), file=path.name)
        for line in planted:
            demo.say(f"    - {line}")
    folder = demo.out / "validation"
    for region, path in sorted(demo.submissions.items()):
        report = validate(load_submission(path), registry, sources=[str(path)])
        demo.validation[region] = report
        target = folder / f"{path.stem}.validation.json"
        write_bytes_atomic(target, report.to_json())
        demo.written.append(target)
        verdict = (VALID if report.valid else NOT_VALID).text(demo.lang)
        name = REGIONS[region].label(demo.lang) if region in REGIONS else region
        demo.say(f"  {region} {name:<12} {verdict}  {report.summary(demo.lang)}")
    for region in chosen:
        demo.say("")
        for line in demo.validation[region].to_text(demo.lang).splitlines():
            demo.say(f"    {line}")
    demo.tell(REPORTS_WRITTEN, n=len(demo.validation), folder=folder)


def _rewrite(path: Path, submission: Submission) -> None:
    from krat_core.atomic import write_bytes_atomic
    from krat_core.format.canonical import dump_submission

    write_bytes_atomic(path, dump_submission(submission))


def _inbox(demo: DemoResult) -> tuple[list[Path], date]:
    """Turn the demo's twelve files into a realistic national inbox; tell what was planted.

    - Kukës (AL-07) sends late: after the deadline of 31 January.
    - Durrës (AL-02) sends twice: a first version on 15 January, then a
      corrected one on 27 January with one activity's participants changed
      and one activity added.
    - One person is reported by Tiranë (AL-11) and by Elbasan (AL-03).

    Returns the files to combine and the deadline.
    """
    from krat_core.format.canonical import load_submission
    from krat_core.format.models import Participants

    year = demo.year
    deadline = date(year + 1, 1, 31)
    files = dict(demo.submissions)

    kukes_sent = datetime(year + 1, 2, 10, 11, 30, tzinfo=TIRANE)
    kukes = load_submission(files["AL-07"])
    _rewrite(files["AL-07"], kukes.model_copy(update={"submitted_at": kukes_sent}))

    durres_path = files["AL-02"]
    durres = load_submission(durres_path)
    first = durres.model_copy(update={"submitted_at": datetime(year + 1, 1, 15, 9, tzinfo=TIRANE)})
    first_path = durres_path.with_name(f"{durres_path.stem}-first{durres_path.suffix}")
    _rewrite(first_path, first)
    done = [a for a in durres.activities if a.participants is not None]
    target = done[0] if done else durres.activities[0]
    extra = Participants(female=12, male=8, total=20)
    fixed = target.model_copy(update={"participants": extra})
    last_seq = max(int(a.id.rsplit("-", 1)[1]) for a in durres.activities)
    added = target.model_copy(update={"id": f"AL-02-A-{durres.period[:4]}-{last_seq + 1:04d}"})
    activities = [fixed if a.id == target.id else a for a in durres.activities] + [added]
    second = durres.model_copy(
        update={
            "submitted_at": datetime(year + 1, 1, 27, 14, tzinfo=TIRANE),
            "activities": activities,
        }
    )
    _rewrite(durres_path, second)

    tirane = load_submission(files["AL-11"])
    elbasan = load_submission(files["AL-03"])
    person = tirane.cases[0].subject_ref
    moved = elbasan.cases[0].model_copy(update={"subject_ref": person})
    _rewrite(files["AL-03"], elbasan.model_copy(update={"cases": [moved, *elbasan.cases[1:]]}))

    # The narrative's dates are written the Albanian way in both languages (dd.mm.yyyy).
    demo.tell(
        INBOX_LATE,
        sent=format_date(kukes_sent, "sq"),
        deadline=format_date(deadline, "sq"),
    )
    demo.tell(
        INBOX_TWICE,
        first=first_path.name,
        second=durres_path.name,
        changed=target.id,
        added=added.id,
    )
    demo.tell(INBOX_SHARED, tirane=tirane.cases[0].id, elbasan=moved.id)
    return [first_path, *files.values()], deadline


def step_combine(demo: DemoResult, registry: Registry) -> None:
    """Step 4: combine the twelve regions (one late, one resubmitted) into the national dataset."""
    from krat_core.combine.consolidate import combine
    from krat_core.combine.national import write_national
    from krat_core.validation.engine import summary_validator

    demo.tell(STEP_COMBINE)
    if {"AL-02", "AL-03", "AL-07", "AL-11"} <= demo.submissions.keys():
        files, deadline = _inbox(demo)
    else:  # a partial demo: combine what there is
        files, deadline = list(demo.submissions.values()), date(demo.year + 1, 1, 31)
    out = demo.out / f"national-{demo.year}.json"
    result = combine(
        files, period=[str(demo.year)], deadline=deadline, validate=summary_validator(registry)
    )
    write_national(out, result.dataset)
    demo.inbox = list(files)
    for line in result.to_text(demo.lang).splitlines():
        demo.say(f"  {line}" if line else "")
    demo.wrote(out, NATIONAL_DATASET.text(demo.lang))
    demo.national = out
    demo.combined = result


def _previous_year(demo: DemoResult) -> NationalDataset:
    """A synthetic national dataset of the year before, for the year-over-year tables."""
    from krat_core.combine.consolidate import combine
    from krat_core.combine.national import CombineInput
    from krat_core.demo.synthetic import generate_national
    from krat_core.format.canonical import dump_submission

    inputs = []
    for s in generate_national(demo.year - 1, seed=demo.seed):
        raw = dump_submission(s)
        inputs.append(
            CombineInput(f"{s.region}-{s.period}.json", hashlib.sha256(raw).hexdigest(), s)
        )
    return combine(inputs, period=str(demo.year - 1)).dataset


def step_reports(demo: DemoResult, registry: Registry) -> None:
    """Step 5: the national report in every format, and one regional report."""
    from krat_core.combine.consolidate import combine
    from krat_core.combine.national import load_dataset, load_national
    from krat_core.plugins.descriptors import ExportOptions
    from krat_core.reporting.exporting import export

    demo.tell(STEP_REPORTS)
    if not demo.submissions:
        demo.tell(NOTHING_TO_REPORT)
        return
    if demo.national is not None:
        national = load_national(demo.national)
    else:
        national = combine(list(demo.submissions.values()), period=str(demo.year)).dataset
    from krat_core.combine.national import write_national

    previous = _previous_year(demo)
    demo.tell(COMPARING, year=demo.year - 1)
    earlier_path = demo.out / f"national-{demo.year - 1}.json"
    write_national(earlier_path, previous)  # what `krat report --compare` needs (README)
    demo.wrote(earlier_path, PREVIOUS_DATASET.text(demo.lang, year=demo.year - 1))
    folder = demo.out / "reports"
    for name, filename, what, lang in OUTPUTS:
        # Record-level formats are written only when records are asked for (issue 12).
        options = ExportOptions(
            lang="en" if lang == "en" else "sq",
            compare=[previous],
            records=name in ("json", "htcds"),
        )
        target = folder / filename.format(year=demo.year)
        path = export(national, target, format=name, options=options, registry=registry)
        demo.wrote(path, what.text(demo.lang))
    region = "AL-02" if "AL-02" in demo.submissions else sorted(demo.submissions)[0]
    regional = load_dataset(demo.submissions[region])
    earlier = [s for s in previous.regional_submissions() if s.region == region]
    path = export(
        regional,
        folder / f"analiza-vjetore-{region}-{demo.year}.docx",
        format="docx",
        options=ExportOptions(compare=earlier),
        registry=registry,
    )
    demo.wrote(path, REGIONAL_REPORT.text(demo.lang, region=region))


STEPS: tuple[Callable[[DemoResult, Registry], None], ...] = (
    step_generate,
    step_templates,
    step_validate,
    step_combine,
    step_reports,
    step_archive,
)
"""The pipeline, in order: generate, import, validate, combine, report, archive.

Each step reads what earlier ones left in the :class:`DemoResult` (a step run
alone works on whatever ``submissions`` holds).
"""
