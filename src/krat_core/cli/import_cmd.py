"""``krat import``: turn a region's files into one canonical submission.

Prints, per sheet (or CSV file), rows read, records written, rows rejected and
blank rows, then every finding with its file, sheet, row and column, in
Albanian (``--lang sq``, the default) or English. Exit code 0 when every row
became a record, 1 when some rows were rejected, 2 when an input could not be
read at all (nothing is written then).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from krat_core.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNREADABLE,
    echo_err,
    get_registry,
    lang_option,
)

if TYPE_CHECKING:
    from krat_core.cli.demo import Demo
    from krat_core.findings import Finding
    from krat_core.plugins.descriptors import ImportResult

__all__ = ["demo_step", "format_finding", "import_", "summary_lines"]

_WORDS: dict[str, dict[str, str]] = {
    "sq": {
        "file": "Skedari",
        "head": "Fleta / skedari|lexuar|regjistrime|refuzuar|bosh",
        "total": "gjithsej",
        "findings": "Gjetjet",
        "more": "... dhe {n} të tjera",
        "wrote": "U shkrua {path}: {summary}",
        "nothing": "Asgjë nuk u shkrua (pa -o).",
        "errors": "gabime",
        "warnings": "paralajmërime",
    },
    "en": {
        "file": "File",
        "head": "Sheet / file|read|records|rejected|blank",
        "total": "total",
        "findings": "Findings",
        "more": "... and {n} more",
        "wrote": "Wrote {path}: {summary}",
        "nothing": "Nothing written (no -o).",
        "errors": "errors",
        "warnings": "warnings",
    },
}


def format_finding(finding: Finding, lang: str = "sq") -> str:
    """Two lines for a person: where (and the code), then what is wrong, in ``lang``."""
    where = (
        finding.position.describe(lang)
        if finding.position
        else (f"{finding.kind or ''} {finding.record_id or ''}".strip() or "-")
    )
    severity = finding.severity.label(lang)
    return f"{where}  [{severity}: {finding.code}]\n    {finding.message(lang)}"


def summary_lines(result: ImportResult, lang: str = "sq") -> list[str]:
    """The per-sheet table: rows read, records, rejected, blank, and a total line."""
    words = _WORDS["en" if lang == "en" else "sq"]
    rows = [
        (
            f"{Path(c.file).name}" + (f" / {c.sheet}" if c.sheet else ""),
            c.rows_read,
            c.records,
            c.rejected,
            c.blank,
        )
        for c in result.counts
    ]
    total = (
        words["total"],
        sum(r[1] for r in rows),
        sum(r[2] for r in rows),
        sum(r[3] for r in rows),
        sum(r[4] for r in rows),
    )
    head = words["head"].split("|")
    width = max(len(str(r[0])) for r in [*rows, total, (head[0],)])
    lines = [f"  {head[0]:<{width}}  {head[1]:>8}  {head[2]:>11}  {head[3]:>9}  {head[4]:>6}"]
    for name, read, records, rejected, blank in [*rows, total]:
        lines.append(f"  {name:<{width}}  {read:>8}  {records:>11}  {rejected:>9}  {blank:>6}")
    return lines


def _record_summary(result: ImportResult, lang: str) -> str:
    sub = result.submission
    n = (len(sub.institutions), len(sub.cases), len(sub.activities), len(sub.objectives))
    if lang == "en":
        return (
            f"{sub.region} {sub.period}, {n[0]} institutions, {n[1]} cases, "
            f"{n[2]} activities, {n[3]} objectives"
        )
    return (
        f"{sub.region} {sub.period}, {n[0]} institucione, {n[1]} raste, "
        f"{n[2]} aktivitete, {n[3]} objektiva"
    )


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the canonical submission (JSON) here. Without it nothing is written.",
)
@click.option("--region", help="Region code AL-01..AL-12, when the files do not say.")
@click.option("--period", help="Period (2019, 2019-H1), when the files do not say.")
@click.option("--submitted-by", help="Sending institution, when the files do not say.")
@click.option("--from", "importer", help="Use this importer (see `krat plugins`), not the guess.")
@click.option(
    "--key",
    "key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="National pseudonymisation key file: turns name columns into subject_ref.",
)
@click.option("--max-rows", type=click.IntRange(min=1), help="Most data rows per sheet or file.")
@click.option("--max-bytes", type=click.IntRange(min=1), help="Largest input file, in bytes.")
@click.option(
    "--max-uncompressed",
    type=click.IntRange(min=1),
    help="Largest uncompressed size of a workbook, in bytes.",
)
@click.option(
    "--findings",
    "findings_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every finding as JSON here.",
)
@click.option(
    "--show",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="How many findings to print.",
)
@lang_option
@click.pass_context
def import_(
    ctx: click.Context,
    files: tuple[Path, ...],
    output: Path | None,
    region: str | None,
    period: str | None,
    submitted_by: str | None,
    importer: str | None,
    key_file: Path | None,
    max_rows: int | None,
    max_bytes: int | None,
    max_uncompressed: int | None,
    findings_file: Path | None,
    show: int,
    lang: str,
) -> None:
    """Import a region's files (the Excel template, CSV files or JSON) into one submission.

    Prints rows read, records written, rows rejected and blank rows for each
    sheet, then each problem with its file, sheet, row and column. Exit code 0:
    every row became a record; 1: some rows were rejected; 2: an input could
    not be read (nothing written).
    """
    from krat_core.atomic import write_bytes_atomic
    from krat_core.errors import ImportFailed, ImportRefused
    from krat_core.format.canonical import dump_json, dump_submission
    from krat_core.format.pseudonym import read_key
    from krat_core.importing import import_files
    from krat_core.plugins.descriptors import ImportLimits, ImportOptions

    limits = ImportLimits()
    for name, value in (
        ("max_rows", max_rows),
        ("max_file_bytes", max_bytes),
        ("max_uncompressed_bytes", max_uncompressed),
    ):
        if value is not None:
            limits = replace(limits, **{name: value})
    options = ImportOptions(
        region=region.upper() if region else None,
        period=period,
        key=read_key(key_file) if key_file is not None else None,
        submitted_by=submitted_by,
        limits=limits,
    )
    try:
        result = import_files(list(files), options, get_registry(ctx), importer=importer)
    except ImportRefused as exc:
        echo_err(f"krat import: {exc.localized(lang)}")
        ctx.exit(EXIT_UNREADABLE)
    except ImportFailed as exc:
        echo_err(f"krat import: {exc}")
        ctx.exit(EXIT_UNREADABLE)
    words = _WORDS["en" if lang == "en" else "sq"]
    for line in summary_lines(result, lang):
        click.echo(line)
    if result.findings:
        errors = sum(1 for f in result.findings if f.severity.value == "error")
        warnings = len(result.findings) - errors
        click.echo(
            f"{words['findings']} ({errors} {words['errors']}, {warnings} {words['warnings']}):"
        )
        ordered = sorted(result.findings, key=lambda f: f.sort_key())
        for finding in ordered[:show]:
            click.echo("  " + format_finding(finding, lang))
        if len(ordered) > show:
            click.echo("  " + words["more"].format(n=len(ordered) - show))
    if findings_file is not None:
        write_bytes_atomic(findings_file, dump_json([f.to_dict() for f in result.findings]))
    if output is not None:
        write_bytes_atomic(output, dump_submission(result.submission))
        click.echo(words["wrote"].format(path=output, summary=_record_summary(result, lang)))
    else:
        click.echo(words["nothing"])
    ctx.exit(EXIT_FINDINGS if result.rows_rejected else EXIT_OK)


def demo_step(demo: Demo) -> None:
    """Step 2: each region's data as a filled official template, imported back and compared."""
    import time

    from krat_core.format.canonical import load_submission
    from krat_core.format.regions import REGIONS
    from krat_core.importing.pipeline import import_files
    from krat_core.plugins.descriptors import ExportOptions, ImportOptions

    demo.say("2. Writing each region's data as a filled official template and importing it back")
    exporter = demo.registry.exporters.get("template")
    if exporter is None:
        demo.say("  (skipped: the template exporter is not installed)")
        return
    folder = demo.out / "templates"
    templates: dict[str, Path] = demo.state.setdefault("templates", {})
    started = time.perf_counter()
    same = 0
    for code, source in demo.submissions.items():
        original = load_submission(source)
        target = folder / f"{code}-{original.period}.xlsx"
        exporter.export(original, target, ExportOptions(lang="sq"))
        templates[code] = target
        result = import_files([target], ImportOptions(), demo.registry)
        back = result.submission
        equal = (
            back.model_copy(
                update={"generator": original.generator, "schema_version": original.schema_version}
            )
            == original
        )
        same += equal
        demo.say(
            f"  {code} {REGIONS[code].sq:<12} {target.name}: {result.rows_read} rows read, "
            f"{result.rows_rejected} rejected; "
            + ("imported back identical" if equal else "DIFFERS after import")
        )
    demo.say(
        f"  {same} of {len(demo.submissions)} templates imported back identical "
        f"({time.perf_counter() - started:.1f} s), in {folder}"
    )
