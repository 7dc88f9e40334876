"""``krat report``: the annual analysis and the other outputs of a dataset.

``krat report INPUT -o OUT [--format NAME] [--lang sq|en] [--compare EARLIER ...]
[--db ARCHIVE] [--suppress N | --no-suppress]``, or ``krat report --db ARCHIVE
--period P -o OUT ...``. INPUT is a regional submission (a regional report) or
a national dataset from ``krat combine`` (the national report); with an
archive, every earlier year it holds is compared too.
The output format is ``--format`` or, without it, the suffix of OUT (``.docx``,
``.xlsx``, ``.zip`` for CSV, ``.ics``, ``.json``); ``htcds`` writes an
``.xlsx`` and must be named.

Exit codes: 0 written; 2 an input cannot be read, the options are wrong, or
the output could not be written (nothing is left behind).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from krat_core.cli.common import echo_warning, get_registry, lang_option
from krat_core.cli.options import output_option
from krat_core.messages import Message

__all__ = ["report"]

SUPPRESS_OR_NOT = Message(
    sq="jepni ose --suppress N ose --no-suppress, jo të dyja",
    en="give either --suppress N or --no-suppress, not both",
)
WROTE = Message(
    sq="u shkrua {path}  ({kind}, {protection})", en="wrote {path}  ({kind}, {protection})"
)
REGIONAL = Message(sq="raport rajonal ({region})", en="regional ({region}) report")
NATIONAL = Message(sq="raport kombëtar", en="national report")
NO_SUPPRESSION = Message(
    sq="pa fshehje: VETËM PËR PËRDORIM TË BRENDSHËM", en="no suppression: INTERNAL USE ONLY"
)
INPUT_OR_PERIOD = Message(
    sq="jepni ose INPUT ose --db me --period, jo të dyja",
    en="give either INPUT or --db with --period, not both",
)
DO_NOT_PUBLISH = Message(
    sq="--no-suppress: mos e publikoni këtë rezultat",
    en="--no-suppress: do not publish this output",
)


@click.command()
@click.argument(
    "input_path",
    metavar="[INPUT]",
    required=False,
    type=click.Path(dir_okay=False, path_type=Path),
)
@output_option(
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Output file (or folder, for CSV without .zip).",
)
@click.option(
    "--format",
    "format_name",
    metavar="NAME",
    help="Output format: docx, xlsx, csv, ics, json, htcds, or a plugin's. "
    "Default: from the suffix of OUT.",
)
@lang_option
@click.option(
    "--compare",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="EARLIER",
    help="A dataset of an earlier period for the year-over-year tables (repeatable).",
)
@click.option(
    "--db",
    metavar="PATH|URL",
    envvar="KRAT_ARCHIVE",
    help="An archive: earlier years from it are compared too; with --period, "
    "it is also the input (default: $KRAT_ARCHIVE).",
)
@click.option(
    "--period",
    "archive_period",
    metavar="P",
    help="Report on period P of the archive (--db) instead of an INPUT file.",
)
@click.option(
    "--suppress",
    type=int,
    default=None,
    metavar="N",
    help="Show counts of people from 1 to N-1 as <N (default 5; at least 3).",
)
@click.option(
    "--no-suppress",
    is_flag=True,
    help="No small-cell suppression: for internal use only, stated on the report.",
)
@click.option(
    "--date",
    "report_date",
    metavar="YYYY-MM-DD",
    help="Date printed on the report (default: today).",
)
def report(
    input_path: Path,
    out: Path,
    format_name: str | None,
    lang: str,
    compare: tuple[Path, ...],
    db: str | None,
    archive_period: str | None,
    suppress: int | None,
    no_suppress: bool,
    report_date: str | None,
) -> None:
    """Write the report of INPUT (a regional submission or a national dataset) to OUT.

    \b
    Examples:
      krat report national-2024.json -o analiza-2024.docx
      krat report national-2024.json -o report-2024.docx --lang en --compare national-2023.json
      krat report AL-02-2024.json -o durres-2024.xlsx
      krat report national-2024.json -o calendar-2024.ics
      krat report national-2024.json -o cases-htcds.xlsx --format htcds
      krat report --db archive.sqlite --period 2025 -o analiza-2025.docx

    With an archive (--db or $KRAT_ARCHIVE) every earlier year it holds is
    compared too, without naming files.
    """
    from krat_core.combine.national import load_dataset
    from krat_core.format.models import Submission
    from krat_core.plugins.descriptors import ExportOptions
    from krat_core.reporting.exporting import export

    if suppress is not None and no_suppress:
        raise click.UsageError(SUPPRESS_OR_NOT.text(lang))
    threshold = None if no_suppress else (5 if suppress is None else suppress)
    if (input_path is None) == (archive_period is None) or (archive_period and not db):
        raise click.UsageError(INPUT_OR_PERIOD.text(lang))
    earlier: list[Any] = [load_dataset(p) for p in compare]
    if db:
        from krat_core.archive import Archive

        with Archive.open(db) as archive:
            dataset = (
                load_dataset(input_path) if input_path else archive.dataset(archive_period or "")
            )
            region = dataset.region if isinstance(dataset, Submission) else None
            earlier += archive.earlier_datasets(_period_of(dataset), region)
    else:
        dataset = load_dataset(input_path)
    options = ExportOptions(
        lang="en" if lang == "en" else "sq",
        suppress=threshold,
        compare=earlier,
        generated_on=report_date,
    )
    written = export(dataset, out, format=format_name, options=options, registry=get_registry())
    if isinstance(dataset, Submission):
        kind = REGIONAL.text(lang, region=dataset.region)
    else:
        kind = NATIONAL.text(lang)
    protection = NO_SUPPRESSION.text(lang) if threshold is None else f"<{threshold}"
    click.echo(WROTE.text(lang, path=written, kind=kind, protection=protection))
    if threshold is None:
        echo_warning(DO_NOT_PUBLISH.text(lang), lang)


def _period_of(dataset: Any) -> str:
    """The (last) period of a submission or a national dataset."""
    periods = getattr(dataset, "periods", None) or [dataset.period]
    return str(max(periods))
