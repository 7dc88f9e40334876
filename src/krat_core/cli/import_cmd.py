"""``krat import``: turn a region's files into one canonical submission.

Prints, per sheet (or CSV file), rows read, records written, rows rejected and
blank rows, then every finding with its file, sheet, row and column, in
Albanian (``--lang sq``, the default) or English. Exit code 0 when every row
became a record and no error was found, 1 when some rows were rejected or an
error was printed (a bad optional cell left out), 2 when an input could not be
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
    echo,
    echo_err,
    echo_error,
    error_text,
    get_registry,
    lang_option,
)
from krat_core.cli.options import output_option
from krat_core.findings import Severity
from krat_core.messages import Message, Plural

if TYPE_CHECKING:
    from krat_core.plugins.descriptors import ImportResult

__all__ = ["import_", "summary_lines"]

FILE_HEADER = Message(
    sq="Fleta / skedari|lexuar|regjistrime|refuzuar|bosh",
    en="Sheet / file|read|records|rejected|blank",
)
"""The column titles of the per-sheet table, separated by ``|``."""
TOTAL = Message(sq="gjithsej", en="total")
FINDINGS = Message(sq="Gjetjet ({counts}):", en="Findings ({counts}):")
MORE = Message(
    sq=Plural(one="... dhe {n} tjetër", other="... dhe {n} të tjera"),
    en="... and {n} more",
)
WROTE = Message(sq="U shkrua {path}: {summary}", en="Wrote {path}: {summary}")
NOTHING_WRITTEN = Message(sq="Asgjë nuk u shkrua (pa -o).", en="Nothing written (no -o).")
DATE_ORDER_HINT = Message(
    sq="krat import: jepni --date-order dmy (dita e para) ose --date-order mdy (muaji i pari)",
    en="krat import: give --date-order dmy (day first) or --date-order mdy (month first)",
)
NIL_RETURN_HINT = Message(
    sq="krat import: për një periudhë pa asgjë për të raportuar, jepni --nil-return",
    en="krat import: for a period with nothing to report, give --nil-return",
)
TOO_LARGE_HINT = Message(
    sq="krat import: nëse skedari është i vërtetë, rriteni kufirin me --max-bytes",
    en="krat import: if the file is genuine, raise the limit with --max-bytes",
)
UNPACKED_HINT = Message(
    sq="krat import: nëse libri i punës është i vërtetë, rriteni kufirin me --max-uncompressed",
    en="krat import: if the workbook is genuine, raise the limit with --max-uncompressed",
)
ROWS_HINT = Message(
    sq="krat import: rriteni kufirin e rreshtave me --max-rows",
    en="krat import: raise the row limit with --max-rows",
)
HEADER_HINT = Message(
    sq="krat import: jepni qarkun dhe periudhën me --region AL-NN --period 2024",
    en="krat import: give the region and period with --region AL-NN --period 2024",
)
KEY_HINT = Message(
    sq="krat import: jepni çelësin kombëtar me --key national.key",
    en="krat import: give the national key with --key national.key",
)
REFUSAL_HINTS: dict[str, Message] = {
    "import.no-records": NIL_RETURN_HINT,
    "import.date-order": DATE_ORDER_HINT,
    "import.too-large": TOO_LARGE_HINT,
    "import.zip-bomb": UNPACKED_HINT,
    "import.too-many-rows": ROWS_HINT,
    "import.no-header": HEADER_HINT,
    "import.identity-without-key": KEY_HINT,
}
"""The option that answers a refusal, by its code: shown after the library's message."""


def summary_lines(result: ImportResult, lang: str = "sq") -> list[str]:
    """The per-sheet table: rows read, records, rejected, blank, and a total line."""
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
        TOTAL.text(lang),
        sum(r[1] for r in rows),
        sum(r[2] for r in rows),
        sum(r[3] for r in rows),
        sum(r[4] for r in rows),
    )
    head = FILE_HEADER.text(lang).split("|")
    width = max(len(str(r[0])) for r in [*rows, total, (head[0],)])
    lines = [f"  {head[0]:<{width}}  {head[1]:>8}  {head[2]:>11}  {head[3]:>9}  {head[4]:>6}"]
    for name, read, records, rejected, blank in [*rows, total]:
        lines.append(f"  {name:<{width}}  {read:>8}  {records:>11}  {rejected:>9}  {blank:>6}")
    return lines


def _record_summary(result: ImportResult, lang: str) -> str:
    from krat_core.validation.report import record_counts

    sub = result.submission
    from krat_core.format.models import RECORD_LISTS  # pydantic: not at `krat --help`

    counts = {kind: len(getattr(sub, name)) for kind, name in RECORD_LISTS.items()}
    return f"{sub.region} {sub.period}, {record_counts(counts, lang)}"


@click.command("import", short_help="Import a region's files into one canonical submission.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@output_option(
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the canonical submission (JSON) here. Without it nothing is written.",
)
@click.option("--region", help="Region (a code AL-01..AL-12 or a name), when the files do not say.")
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
    "--date-order",
    type=click.Choice(["dmy", "mdy"]),
    default=None,
    help="How CSV dates like 03/04/2024 are written: dmy (day first, the default) or mdy "
    "(month first, as a US-locale Excel saves them). Needed when a file shows month-first dates.",
)
@click.option(
    "--nil-return",
    is_flag=True,
    help="Declare that the region has nothing to report for the period (no case, activity "
    "or objective). Without it, an import that yields none is refused.",
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
    date_order: str | None,
    nil_return: bool,
    show: int,
    lang: str,
) -> None:
    """Import a region's files (the Excel template, CSV files or JSON) into one submission.

    Prints rows read, records written, rows rejected and blank rows for each
    sheet, then each problem with its file, sheet, row and column. Exit code 0:
    every row became a record, no error; 1: some rows were rejected or an error
    was printed; 2: an input could not be read, or nothing in it became a case,
    activity or objective and --nil-return was not given (nothing written).
    """
    from krat_core.atomic import write_bytes_atomic
    from krat_core.cli.common import read_key_file
    from krat_core.errors import ImportFailed, ImportRefused
    from krat_core.format.canonical import dump_json, dump_submission
    from krat_core.importing import import_files, region_of
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
        region=(region_of(region) or region.upper()) if region else None,
        period=period,
        key=read_key_file(key_file) if key_file is not None else None,
        submitted_by=submitted_by,
        limits=limits,
        nil_return=nil_return,
        date_order="mdy" if date_order == "mdy" else "dmy" if date_order == "dmy" else None,
    )
    try:
        result = import_files(list(files), options, get_registry(ctx), importer=importer)
    except (ImportRefused, ImportFailed) as exc:
        echo_error(error_text(exc, lang), lang)  # the one error prefix: "krat: gabim: ..."
        hint = REFUSAL_HINTS.get(getattr(exc, "code", None) or "")
        if hint is not None:  # the library names no flag; the command line does
            echo_err(hint.text(lang))
        ctx.exit(EXIT_UNREADABLE)
    for line in summary_lines(result, lang):
        echo(line)
    if result.findings:
        by_severity = {s: sum(1 for f in result.findings if f.severity == s) for s in Severity}
        shown_counts = [
            s.counted(n, lang)
            for s, n in by_severity.items()
            if n or s in (Severity.ERROR, Severity.WARNING)
        ]
        counts = ", ".join(shown_counts)
        echo(FINDINGS.text(lang, counts=counts))
        ordered = sorted(result.findings, key=lambda f: f.sort_key())
        for finding in ordered[:show]:
            echo("  " + finding.to_text(lang))
        if len(ordered) > show:
            click.echo("  " + MORE.text(lang, n=len(ordered) - show))
    if findings_file is not None:
        write_bytes_atomic(findings_file, dump_json([f.to_dict() for f in result.findings]))
    if output is not None:
        write_bytes_atomic(output, dump_submission(result.submission))
        echo(WROTE.text(lang, path=output, summary=_record_summary(result, lang)))
    else:
        click.echo(NOTHING_WRITTEN.text(lang))
    has_errors = any(f.severity == Severity.ERROR for f in result.findings)
    ctx.exit(EXIT_FINDINGS if result.rows_rejected or has_errors else EXIT_OK)
