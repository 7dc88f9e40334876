"""``krat validate``: check submissions against every business rule and report what to fix."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from krat_core.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNREADABLE,
    echo_err,
    get_registry,
    lang_option,
)
from krat_core.errors import KratError

if TYPE_CHECKING:
    from krat_core.cli.demo import Demo
    from krat_core.format.models import Submission
    from krat_core.plugins.descriptors import ImportOptions, ImportResult
    from krat_core.plugins.manager import Registry
    from krat_core.validation.engine import ValidationReport

__all__ = ["BATCH_FORMAT", "demo_step", "validate", "validate_paths"]

BATCH_FORMAT = "krat-validation-batch"
"""``format`` of the JSON printed for several reports (see docs/validation.md)."""

_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_JSON_SUFFIXES = (".json",)


@dataclass
class Outcome:
    """One report, the file(s) it is about, and what was imported (for ``--annotate``)."""

    label: str
    report: ValidationReport
    imported: ImportResult | None = None
    paths: tuple[Path, ...] = ()
    national: bool = False
    """Whether the submission came out of a national dataset."""


@dataclass
class Run:
    """Everything ``krat validate`` produced: reports, and inputs that could not be read."""

    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    """``(input, message)`` for each input that could not be read."""


def _groups(paths: Sequence[Path]) -> list[tuple[Path, ...]]:
    """Inputs that form one submission each.

    A JSON file or a workbook is a submission by itself; CSV files (one per record
    kind) in the same folder are read together as one submission.
    """
    groups: list[tuple[Path, ...]] = []
    by_folder: dict[Path, list[Path]] = {}
    for path in paths:
        suffix = path.suffix.lower()
        if suffix in _JSON_SUFFIXES or suffix in _WORKBOOK_SUFFIXES or path.is_dir():
            groups.append((path,))
        else:
            by_folder.setdefault(path.parent, []).append(path)
    groups.extend(tuple(files) for files in by_folder.values())
    return groups


def _import(paths: Sequence[Path], options: ImportOptions, registry: Registry) -> ImportResult:
    try:
        from krat_core.importing.pipeline import import_files
    except ModuleNotFoundError as exc:
        if exc.name != "krat_core.importing.pipeline":
            raise
        raise KratError(
            "no importer is available in this installation for this kind of file; "
            "give a canonical submission (.json)",
            source=paths[0],
        ) from None
    result: ImportResult = import_files(list(paths), options, registry)
    return result


def _load_json(path: Path) -> Iterator[tuple[str, Submission, bool]]:
    """A submission, or each accepted submission of a national dataset, with a label."""
    from krat_core.combine.consolidate import load_dataset
    from krat_core.format.models import Submission

    document = load_dataset(path)
    if isinstance(document, Submission):
        yield str(path), document, False
        return
    for entry in document.submissions:
        yield f"{path} [{entry.source.file}]", entry.submission, True


def validate_paths(
    paths: Sequence[Path], registry: Registry, options: ImportOptions | None = None
) -> Run:
    """Validate each input (a submission, a national dataset, or files an importer reads).

    An input that cannot be read is recorded in :attr:`Run.errors`; the others go on.
    """
    from krat_core.plugins.descriptors import ImportOptions
    from krat_core.validation.engine import validate, validate_import

    options = options or ImportOptions()
    run = Run()
    for group in _groups(paths):
        label = ", ".join(str(p) for p in group)
        try:
            for p in group:
                if not p.exists():
                    raise KratError("no such file", source=p)
            if len(group) == 1 and group[0].suffix.lower() in _JSON_SUFFIXES:
                for name, submission, national in _load_json(group[0]):
                    report = validate(submission, registry, sources=[name])
                    run.outcomes.append(Outcome(name, report, None, group, national))
            else:
                result = _import(group, options, registry)
                report = validate_import(result, registry)
                if not report.sources:
                    report = _with_sources(report, [str(p) for p in group])
                run.outcomes.append(Outcome(label, report, result, group))
        except KratError as exc:
            run.errors.append((label, str(exc) if exc.source else f"{label}: {exc}"))
    return run


def _with_sources(report: ValidationReport, sources: list[str]) -> ValidationReport:
    from dataclasses import replace

    return replace(report, sources=tuple(sources))


def _batch(run: Run) -> dict[str, Any]:
    from krat_core.validation.engine import REPORT_VERSION

    return {
        "format": BATCH_FORMAT,
        "version": REPORT_VERSION,
        "valid": not run.errors and all(o.report.valid for o in run.outcomes),
        "reports": [o.report.to_dict() for o in run.outcomes],
        "errors": [{"source": source, "message": message} for source, message in run.errors],
    }


def _text(run: Run, lang: str) -> str:
    parts = [o.report.to_text(lang) for o in run.outcomes]
    if len(run.outcomes) + len(run.errors) > 1:
        valid = sum(o.report.valid for o in run.outcomes)
        if lang == "sq":
            line = (
                f"Gjithsej: {len(run.outcomes)} dorëzime të kontrolluara, {valid} të vlefshme, "
                f"{len(run.outcomes) - valid} jo të vlefshme"
            )
            if run.errors:
                line += f", {len(run.errors)} hyrje që nuk u lexuan"
        else:
            line = (
                f"In all: {len(run.outcomes)} submissions checked, {valid} valid, "
                f"{len(run.outcomes) - valid} not valid"
            )
            if run.errors:
                line += f", {len(run.errors)} inputs could not be read"
        parts.append(line + "\n")
    return "\n".join(parts)


@click.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False)
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="text for a person; json for a program (documented shape, docs/validation.md).",
)
@lang_option
@click.option(
    "--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True,
    help="Exit with 1 when a finding reaches this severity.",
)
@click.option(
    "--annotate", type=click.Path(path_type=Path, dir_okay=False), default=None,
    help="Write a copy of the input workbook with each bad cell marked and commented.",
)
@click.option(
    "--key", "key_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
    help="National pseudonymisation key, for source files with identity columns.",
)
@click.option("--region", default=None, help="Region code (AL-NN) where the files do not say.")
@click.option("--period", default=None, help="Period (2024 or 2024-H1) where the files do not say.")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
    help="Write the report to this file instead of standard output.",
)
def validate(
    files: tuple[Path, ...],
    fmt: str,
    lang: str,
    fail_on: str,
    annotate: Path | None,
    key_file: Path | None,
    region: str | None,
    period: str | None,
    output: Path | None,
) -> None:
    """Check submissions against every business rule and say exactly what to fix.

    FILE may be a canonical submission (.json), a national dataset (each regional
    submission in it is checked), or anything an importer reads (the Excel
    template, CSV files: those in one folder form one submission). Findings from
    reading the files (rejected rows) are part of the report.

    Exit code: 0 when no finding reaches --fail-on, 1 when one does, 2 when an
    input cannot be read.
    """
    from krat_core.format.canonical import dump_json
    from krat_core.plugins.descriptors import ImportOptions

    registry = get_registry()
    key = None
    if key_file is not None:
        from krat_core.format.pseudonym import read_key

        key = read_key(key_file)
    if annotate is not None and (
        len(files) != 1 or files[0].suffix.lower() not in _WORKBOOK_SUFFIXES
    ):
        raise click.UsageError("--annotate needs exactly one input workbook (.xlsx)")
    options = ImportOptions(region=region, period=period, key=key)
    run = validate_paths(files, registry, options)
    for _source, message in run.errors:
        echo_err(f"krat: error: {message}")

    if fmt == "json":
        if len(run.outcomes) == 1 and not run.errors and not run.outcomes[0].national:
            text = run.outcomes[0].report.to_json().decode("utf-8")
        elif run.outcomes or len(files) > 1:
            text = dump_json(_batch(run)).decode("utf-8")
        else:
            text = ""
    else:
        text = _text(run, lang)
    if output is not None:
        from krat_core.atomic import write_bytes_atomic

        write_bytes_atomic(output, text.encode("utf-8"))
    elif text:
        click.echo(text, nl=False)

    if annotate is not None and run.outcomes:
        from krat_core.validation.annotate import annotate_workbook

        outcome = run.outcomes[0]
        if outcome.imported is not None:
            marked = annotate_workbook(outcome.paths[0], annotate, outcome.report, lang=lang)
            echo_err(
                f"krat: wrote {annotate} ({marked} cells marked)"
                if lang == "en" else f"krat: u shkrua {annotate} ({marked} qeliza të shënuara)"
            )

    ctx = click.get_current_context()
    if run.errors:
        ctx.exit(EXIT_UNREADABLE)
    if any(o.report.reaches(fail_on) for o in run.outcomes):
        ctx.exit(EXIT_FINDINGS)
    ctx.exit(EXIT_OK)


# --------------------------------------------------------------------------- demo


def _plant(region: str, submission: Submission) -> tuple[Submission, list[str]]:
    """Copy ``submission`` with a few realistic mistakes; say what was planted."""
    from datetime import timedelta

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
                planted.append(f"case {case.id}: referral dated 4 days before identification")
                break
        for i, case in enumerate(cases):
            if case.minor and i > 0:
                cases[i] = case.model_copy(update={"minor": False})
                planted.append(f"case {case.id}: minor flag cleared although the age is under 18")
                break
        for i, activity in enumerate(activities):
            if activity.status == ActivityStatus.COMPLETED:
                activities[i] = activity.model_copy(update={"participants": None})
                planted.append(f"activity {activity.id}: completed but no participants reported")
                break
    else:
        orphan = f"{region}-I-0099"
        activities[0] = activities[0].model_copy(update={"organiser": orphan})
        planted.append(f"activity {activities[0].id}: organiser {orphan} does not exist")
        for i, case in enumerate(cases):
            if case.scope == TraffickingScope.INTERNAL:
                cases[i] = case.model_copy(
                    update={"scope": TraffickingScope.TRANSNATIONAL,
                            "status": CaseStatus.VICTIM, "status_decided_by": None}
                )
                planted.append(
                    f"case {case.id}: marked transnational and VT, with neither a foreign "
                    "country nor the deciding institution"
                )
                break
        for i, objective in enumerate(objectives):
            if objective.status == ObjectiveStatus.PARTIALLY_ACHIEVED:
                objectives[i] = objective.model_copy(update={"status": ObjectiveStatus.ACHIEVED})
                planted.append(f"objective {objective.id}: reported achieved below its target")
                break
    changed = submission.model_copy(
        update={"cases": cases, "activities": activities, "objectives": objectives}
    )
    return changed, planted


def demo_step(demo: Demo) -> None:
    """Step 3: plant mistakes in two regions, validate all twelve, write JSON reports."""
    from krat_core.atomic import write_bytes_atomic
    from krat_core.format.canonical import dump_submission, load_submission
    from krat_core.format.regions import REGIONS
    from krat_core.validation.engine import validate as run_rules

    demo.say("3. Validating the twelve submissions against every business rule")
    if not demo.submissions:
        demo.say("  (no submissions to validate)")
        return
    chosen: list[str] = [r for r in ("AL-02", "AL-10") if r in demo.submissions]
    for code in chosen:
        path = demo.submissions[code]
        changed, planted = _plant(code, load_submission(path))
        write_bytes_atomic(path, dump_submission(changed))
        demo.say(f"  The demo planted {len(planted)} mistakes in {path.name}:")
        for line in planted:
            demo.say(f"    - {line}")
    folder = demo.out / "validation"
    reports: dict[str, ValidationReport] = {}
    for region, path in sorted(demo.submissions.items()):
        report = run_rules(load_submission(path), demo.registry, sources=[str(path)])
        reports[region] = report
        target = folder / f"{path.stem}.validation.json"
        write_bytes_atomic(target, report.to_json())
        demo.written.append(target)
        verdict = "valid    " if report.valid else "NOT VALID"
        name = REGIONS[region].en if region in REGIONS else region
        demo.say(f"  {region} {name:<12} {verdict}  {report.summary('en')}")
    for region in chosen:
        demo.say("")
        for line in reports[region].to_text("en").splitlines():
            demo.say(f"    {line}")
    demo.state["validation"] = reports
    demo.say(f"  wrote {len(reports)} JSON reports in {folder}")
