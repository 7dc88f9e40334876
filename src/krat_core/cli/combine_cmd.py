"""``krat combine``: the national dataset from the twelve regional submissions.

Prints the completeness matrix (regions by period) and what needs attention:
missing, late and invalid submissions, resubmissions, persons reported by more
than one region, and record ids in conflict. Exit code 0 when every region sent
a valid submission on time for every period and nothing is in conflict, 1 when
something needs attention (the dataset is written all the same), 2 when an
input cannot be read or the command is used wrongly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from krat_core.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    echo_err,
    get_registry,
    is_terminal,
    lang_option,
)

if TYPE_CHECKING:
    from krat_core.cli.demo import Demo
    from krat_core.combine.consolidate import CombineResult, ProgressCallback, Validator
    from krat_core.format.models import Submission
    from krat_core.format.models.national import NationalDataset, SupersededSubmission
    from krat_core.plugins.manager import Registry

__all__ = ["combine", "demo_step", "render_combine", "summary_document"]

_LIST_LIMIT = 10
"""How many duplicates, conflicts or changed ids the text summary lists before '... and N more'."""

_WORDS: dict[str, dict[str, str]] = {
    "sq": {
        "title": "Plotësia e raportimit",
        "regions_by_period": "{regions} qarqe × {periods} periudhë",
        "deadline": "afati",
        "no_deadline": "pa afat",
        "region": "Qarku",
        "received": "marrë",
        "missing": "mungon",
        "late": "me vonesë",
        "invalid": "i pavlefshëm",
        "errors": "{n} gabime",
        "superseded_n": "{n} i zëvendësuar",
        "not_validated": "Dorëzimet nuk u validuan.",
        "superseded": "Dorëzime të zëvendësuara (mbetet më i fundit sipas submitted_at)",
        "tie": "e njëjta kohë; vendosi SHA-256",
        "added": "shtuar",
        "removed": "hequr",
        "changed": "ndryshuar",
        "duplicates": "Persona të raportuar nga më shumë se një qark: {n} (nuk bashkohen)",
        "conflicts": "Konflikte (i njëjti id me përmbajtje të ndryshme): {n}",
        "ignored": "Lënë jashtë (periudhë tjetër)",
        "records": (
            "Regjistrime: {inn} të marra = {acc} në të dhënat kombëtare + "
            "{sup} në dorëzime të zëvendësuara"
        ),
        "cases": (
            "Raste: {cases} (një person numërohet një herë për çdo qark që e raporton); "
            "persona të ndryshëm: {persons}; të raportuar nga më shumë se një qark: {several}"
        ),
        "attention": "Kërkon vëmendje",
        "ok": "Gjithçka në rregull: të gjitha qarqet dorëzuan në kohë, pa gabime e pa konflikte.",
        "a_missing": "{n} mungojnë",
        "a_late": "{n} me vonesë",
        "a_invalid": "{n} të pavlefshëm",
        "a_conflicts": "{n} konflikte",
        "more": "... dhe {n} të tjerë",
        "wrote": "U shkrua {path}",
    },
    "en": {
        "title": "Completeness of reporting",
        "regions_by_period": "{regions} regions × {periods} period(s)",
        "deadline": "deadline",
        "no_deadline": "no deadline",
        "region": "Region",
        "received": "received",
        "missing": "missing",
        "late": "late",
        "invalid": "invalid",
        "errors": "{n} errors",
        "superseded_n": "{n} superseded",
        "not_validated": "The submissions were not validated.",
        "superseded": "Superseded submissions (the latest submitted_at is kept)",
        "tie": "same time; SHA-256 decided",
        "added": "added",
        "removed": "removed",
        "changed": "changed",
        "duplicates": "Persons reported by more than one region: {n} (not merged)",
        "conflicts": "Conflicts (same record id, different content): {n}",
        "ignored": "Left out (other period)",
        "records": (
            "Records: {inn} received = {acc} in the national dataset + "
            "{sup} in superseded submissions"
        ),
        "cases": (
            "Cases: {cases} (a person counts once per region reporting them); "
            "distinct persons: {persons}; reported by more than one region: {several}"
        ),
        "attention": "Needs attention",
        "ok": "All in order: every region submitted on time, without errors or conflicts.",
        "a_missing": "{n} missing",
        "a_late": "{n} late",
        "a_invalid": "{n} invalid",
        "a_conflicts": "{n} conflicts",
        "more": "... and {n} more",
        "wrote": "Wrote {path}",
    },
}


def _day(value: date | datetime, lang: str) -> str:
    if isinstance(value, datetime):
        text = value.strftime("%d.%m.%Y %H:%M") if lang == "sq" else value.isoformat()
        return text
    return value.strftime("%d.%m.%Y") if lang == "sq" else value.isoformat()


def _region(code: str, lang: str) -> str:
    from krat_core.format.regions import REGIONS

    return REGIONS[code].label(lang) if code in REGIONS else code


def _limited(items: Sequence[str], lang: str, indent: str = "  ") -> list[str]:
    lines = [indent + item for item in items[:_LIST_LIMIT]]
    if len(items) > _LIST_LIMIT:
        lines.append(indent + _WORDS[lang]["more"].format(n=len(items) - _LIST_LIMIT))
    return lines


def _ids(label: str, ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
    return f"{len(ids)} {label}" + (f" ({shown})" if ids else "")


def _superseded_line(entry: SupersededSubmission, newer_file: str, lang: str) -> str:
    w = _WORDS[lang]
    sub, ch = entry.submission, entry.changes
    head = (
        f"{_region(sub.region, lang)} {sub.period}: {entry.source.file} "
        f"({_day(sub.submitted_at, lang)}) -> {newer_file}"
    )
    if entry.tie:
        head += f" [{w['tie']}]"
    parts = [
        _ids(w["added"], ch.added),
        _ids(w["removed"], ch.removed),
        _ids(w["changed"], ch.changed),
    ]
    return f"{head}: " + "; ".join(parts)


def _cell_text(national: NationalDataset, index: int, lang: str) -> str:
    w = _WORDS[lang]
    cell = national.completeness[index]
    if cell.status == "missing":
        return w["missing"]
    parts = [w["received"]]
    if cell.late:
        parts.append(w["late"])
    if cell.invalid:
        errors = next(
            (
                a.source.validation.errors
                for a in national.submissions
                if a.source.sha256 == cell.sha256 and a.source.validation is not None
            ),
            0,
        )
        parts.append(f"{w['invalid']} ({w['errors'].format(n=errors)})")
    if cell.superseded:
        parts.append(w["superseded_n"].format(n=cell.superseded))
    return ", ".join(parts)


def render_combine(result: CombineResult, lang: str = "sq") -> str:
    """The text ``krat combine`` prints: the completeness table and the summary."""
    from krat_core.format.regions import REGION_CODES

    w = _WORDS[lang]
    national = result.dataset
    periods = national.periods
    deadline = (
        f"{w['deadline']}: {_day(national.deadline, lang)}"
        if national.deadline is not None
        else w["no_deadline"]
    )
    dims = w["regions_by_period"].format(regions=len(REGION_CODES), periods=len(periods))
    lines = [f"{w['title']}: {dims} ({deadline})", ""]
    rows = [[w["region"], *periods]]
    index = {(c.region, c.period): i for i, c in enumerate(national.completeness)}
    for code in REGION_CODES:
        texts = [_cell_text(national, index[(code, p)], lang) for p in periods]
        rows.append([_region(code, lang), *texts])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        lines.append("  ".join(t.ljust(wd) for t, wd in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * wd for wd in widths))
    if not national.validated:
        lines += ["", w["not_validated"]]

    if national.superseded:
        files = {a.source.sha256: a.source.file for a in national.submissions}
        files.update({s.source.sha256: s.source.file for s in national.superseded})
        lines += ["", f"{w['superseded']}: {len(national.superseded)}"]
        lines += [
            "  " + _superseded_line(s, files.get(s.superseded_by, s.superseded_by[:12]), lang)
            for s in national.superseded
        ]

    lines += ["", w["duplicates"].format(n=len(national.duplicates))]
    dup_lines = [
        f"{d.subject_ref[:12]}...: "
        + ", ".join(f"{_region(c.region, lang)} {c.record_id}" for c in d.cases)
        for d in national.duplicates
    ]
    lines += _limited(dup_lines, lang)

    lines += ["", w["conflicts"].format(n=len(national.conflicts))]
    conflict_lines = [
        f"{c.record_id} ({c.kind}): "
        + ", ".join(
            f"{_region(v.region, lang)} {v.period} {v.file} [{v.content_sha256[:8]}]"
            for v in c.versions
        )
        for c in national.conflicts
    ]
    lines += _limited(conflict_lines, lang)

    if result.ignored:
        lines += ["", f"{w['ignored']}: {len(result.ignored)}"]
        lines += _limited(
            [f"{i.file}: {_region(i.region, lang)} {i.period}" for i in result.ignored], lang
        )

    counts = national.counts
    lines += [
        "",
        w["records"].format(
            inn=counts.records_in, acc=counts.records_accepted, sup=counts.records_superseded
        ),
        w["cases"].format(
            cases=counts.cases, persons=counts.persons, several=counts.persons_in_several_regions
        ),
    ]
    attention = result.attention()
    if attention:
        parts = [w[f"a_{reason}"].format(n=n) for reason, n in attention.items()]
        lines.append(f"{w['attention']}: " + ", ".join(parts))
    else:
        lines.append(w["ok"])
    return "\n".join(lines)


def summary_document(result: CombineResult) -> dict[str, Any]:
    """What ``krat combine --format json`` prints: everything but the submissions themselves."""
    national = result.dataset
    head = national.model_dump(mode="json", exclude={"submissions", "superseded"})
    head["submissions"] = [a.source.model_dump(mode="json") for a in national.submissions]
    head["superseded"] = [
        s.model_dump(mode="json", exclude={"submission"}) for s in national.superseded
    ]
    head["ignored"] = [
        {
            "file": i.file,
            "sha256": i.sha256,
            "region": i.region,
            "period": i.period,
            "records": i.records,
            "reason": i.reason,
        }
        for i in result.ignored
    ]
    head["attention"] = result.attention()
    return head


def _parse_deadline(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> date | datetime | None:
    if value is None:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        raise click.BadParameter(
            "expected a date (2025-01-31) or a date-time with a time zone "
            "(2025-01-31T17:00:00+01:00)"
        )
    return moment


def _validator(registry: Registry) -> Validator | None:
    """A validate callable on the validation engine, or None where it is not installed."""
    try:
        from krat_core.validation.engine import validate
    except ModuleNotFoundError as exc:  # pragma: no cover - only in a partial checkout
        if exc.name != "krat_core.validation.engine":
            raise
        return None
    from krat_core.format.models.national import ValidationSummary

    def run(submission: Submission) -> ValidationSummary:
        report = validate(submission, registry)
        counts = report.counts_by_severity
        return ValidationSummary(
            valid=report.valid, errors=counts.get("error", 0), warnings=counts.get("warning", 0)
        )

    return run


_STAGES = {"read": "reading", "validate": "validating", "check": "checking"}


class _Progress:
    """Progress on stderr, overwritten in place; only when stderr is a terminal."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        label = _STAGES.get(stage, stage)
        click.echo(f"\rkrat combine: {label} {done}/{total}\x1b[K", err=True, nl=False)
        self.shown = True

    def close(self) -> None:
        if self.shown:
            click.echo("\r\x1b[K", err=True, nl=False)


def run_combine(
    files: Sequence[Path],
    out: Path,
    *,
    periods: Sequence[str],
    deadline: date | datetime | None,
    validate: Validator | None,
    progress: ProgressCallback | None = None,
) -> CombineResult:
    """Combine ``files`` and write the national dataset to ``out`` (shared by the demo)."""
    from krat_core.combine.consolidate import combine as combine_inputs
    from krat_core.combine.consolidate import write_national

    result = combine_inputs(
        files, period=list(periods) or None, deadline=deadline, validate=validate, progress=progress
    )
    write_national(out, result.dataset)
    return result


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="National dataset to write (canonical JSON). May be one of the inputs.",
)
@click.option(
    "--period",
    "periods",
    multiple=True,
    metavar="P",
    help="Period to combine (2024, 2024-H1); repeatable. Default: every period in the inputs.",
)
@click.option(
    "--deadline",
    callback=_parse_deadline,
    metavar="DATE",
    help="Submissions sent after this date (or date-time with time zone) are late.",
)
@click.option(
    "--no-validate",
    is_flag=True,
    help="Do not run the validation rules (the invalid column stays empty).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Summary on stdout: a table for a person, or JSON for a program.",
)
@lang_option
@click.pass_context
def combine(
    ctx: click.Context,
    files: tuple[Path, ...],
    out: Path,
    periods: tuple[str, ...],
    deadline: date | datetime | None,
    no_validate: bool,
    output_format: str,
    lang: str,
) -> None:
    """Combine regional submissions into one national dataset.

    FILE... are canonical regional submissions (from `krat import`) or earlier
    national datasets, in any order; several submissions of one region are
    allowed (the latest submitted_at wins). Prints which regions are missing,
    late or invalid, what resubmissions changed, persons reported by more than
    one region, and conflicting records.

    Exit code: 0 all in order; 1 something needs attention (missing, late,
    invalid, conflicts; the dataset is still written); 2 an input cannot be read.
    """
    validate = None if no_validate else _validator(get_registry(ctx))
    progress = _Progress() if is_terminal() else None
    try:
        result = run_combine(
            files, out, periods=periods, deadline=deadline, validate=validate, progress=progress
        )
    finally:
        if progress is not None:
            progress.close()
    if output_format == "json":
        from krat_core.format.canonical import dump_json

        click.echo(dump_json(summary_document(result)).decode("utf-8"), nl=False)
    else:
        click.echo(render_combine(result, lang))
        click.echo(_WORDS[lang]["wrote"].format(path=out))
    if validate is None and not no_validate:
        echo_err("krat: warning: the validation engine is not installed; nothing was validated")
    ctx.exit(EXIT_FINDINGS if result.attention() else EXIT_OK)


# --------------------------------------------------------------------------- demo

TIRANE = timezone(timedelta(hours=1))
"""Albania's winter offset (CET), when the submissions are sent."""


def _rewrite(path: Path, submission: Submission) -> None:
    from krat_core.atomic import write_bytes_atomic
    from krat_core.format.canonical import dump_submission

    write_bytes_atomic(path, dump_submission(submission))


def demo_scenario(
    submissions: dict[str, Path], year: int
) -> tuple[list[Path], date, Callable[[], list[str]]]:
    """Turn the demo's twelve files into a realistic national inbox.

    - Kukës (AL-07) sends late: after the deadline of 31 January.
    - Durrës (AL-02) sends twice: a first version on 15 January, then a
      corrected one on 27 January with one activity's participants changed
      and one activity added.
    - One person is reported by Tiranë (AL-11) and by Elbasan (AL-03).

    Returns the files to combine, the deadline, and a function that describes
    what was planted (in English, for the demo narrative).
    """
    from krat_core.format.canonical import load_submission
    from krat_core.format.models import Participants

    deadline = date(year + 1, 1, 31)
    files = dict(submissions)

    kukes = load_submission(files["AL-07"])
    _rewrite(
        files["AL-07"],
        kukes.model_copy(update={"submitted_at": datetime(year + 1, 2, 10, 11, 30, tzinfo=TIRANE)}),
    )

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

    def describe() -> list[str]:
        return [
            f"  Kukës sent on 10.02.{year + 1}, after the deadline of {deadline:%d.%m.%Y}",
            f"  Durrës sent twice: {first_path.name} (15.01) and {durres_path.name} (27.01), "
            f"changing {target.id} and adding {added.id}",
            f"  one person is in case {tirane.cases[0].id} (Tiranë) and {moved.id} (Elbasan)",
        ]

    return [first_path, *files.values()], deadline, describe


def demo_step(demo: Demo) -> None:
    """Step 4: combine the twelve regions (one late, one resubmitted) into the national dataset."""
    demo.say("4. Combining the regional submissions into the national dataset")
    if {"AL-02", "AL-03", "AL-07", "AL-11"} <= demo.submissions.keys():
        files, deadline, describe = demo_scenario(demo.submissions, demo.year)
        for line in describe():
            demo.say(line)
    else:  # a partial demo: combine what there is
        files, deadline = list(demo.submissions.values()), date(demo.year + 1, 1, 31)
    out = demo.out / f"national-{demo.year}.json"
    result = run_combine(
        files, out, periods=[str(demo.year)], deadline=deadline, validate=_validator(demo.registry)
    )
    for line in render_combine(result, "en").splitlines():
        demo.say(f"  {line}" if line else "")
    demo.wrote(out, "national dataset")
    demo.state["national"] = out
    demo.state["national_result"] = result
