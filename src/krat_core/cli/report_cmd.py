"""``krat report``: the annual analysis and the other outputs of a dataset.

``krat report INPUT -o OUT [--format NAME] [--lang sq|en] [--compare EARLIER ...]
[--db ARCHIVE] [--suppress N | --no-suppress] [--audience public|committee] [--records]
[--config krat.toml] [--csv-dialect rfc4180|excel-eu]``. INPUT is a regional
submission (a regional report) or a national dataset from ``krat combine``
(the national report). The output format is ``--format`` or, without it, the
suffix of OUT (``.docx``, ``.xlsx``, ``.zip`` for CSV, ``.ics``, ``.json``);
``htcds`` writes an ``.xlsx`` and must be named.

``--audience public`` (the default) publishes aggregate tables only, with every
people-counting cell of the release audited jointly; ``--audience committee``
writes the KRAT members' working document (exact counts, marked confidential).
Record-level outputs (``json``, ``htcds``, the CSV ``records/`` folder, the
workbook's record sheets) are written only with ``--records``, and the command
then says how many case records the file holds and that it is not for
publication.

Every public release of tables (Word, Excel, CSV) is checked against the
release register before it is written, and recorded in it after: the
archive's when there is one (``--db``, ``$KRAT_ARCHIVE`` or krat.toml's
``archive``), else ``krat-releases.jsonl`` next to OUT (see ``krat releases``).
A revision of an already published period that would change a people cell by
fewer than N people, or let a reader of both releases narrow a hidden cell to
fewer than N values (:mod:`krat_core.reporting.revision`), is held back (exit
2, nothing written).

``krat report --db ARCHIVE --period P -o OUT ...`` reports a period from the archive;
with an archive, every earlier year it holds is compared too.

Exit codes: 0 written; 2 an input cannot be read, the options are wrong, or
the output could not be written (nothing is left behind).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from krat_core.cli.common import (
    echo,
    echo_error,
    echo_warning,
    get_registry,
    lang_option,
    read_releases,
)
from krat_core.cli.options import output_option
from krat_core.messages import Message, Plural

if TYPE_CHECKING:
    from krat_core.plugins.descriptors import ExportOptions
    from krat_core.reporting.register import ReleaseRecord

__all__ = ["report"]

SUPPRESS_OR_NOT = Message(
    sq="jepni ose --suppress N ose --no-suppress, jo të dyja",
    en="give either --suppress N or --no-suppress, not both",
)
WROTE = Message(
    sq="U shkrua {path}  ({kind}, {protection})", en="Wrote {path}  ({kind}, {protection})"
)
REGIONAL = Message(sq="raport rajonal ({region})", en="regional ({region}) report")
NATIONAL = Message(sq="raport kombëtar", en="national report")
SUPPRESSED = Message(
    sq="numrat e personave nën {n} të fshehur", en="counts of people under {n} hidden"
)
RECORD_LEVEL = Message(
    sq="regjistrime rastesh, pa fshehje: jo për publikim",
    en="case records, unsuppressed: not for publication",
)
NO_SUPPRESSION = Message(
    sq="pa fshehje: VETËM PËR PËRDORIM TË BRENDSHËM", en="no suppression: INTERNAL USE ONLY"
)
HOLDS_RECORDS = Message(
    sq=Plural(
        one="{path} përmban {n} regjistrim rasti: nuk është për publikim",
        other="{path} përmban {n} regjistrime rastesh: nuk është për publikim",
    ),
    en=Plural(
        one="{path} holds {n} case record: not for publication",
        other="{path} holds {n} case records: not for publication",
    ),
)
COMMITTEE = Message(
    sq="për komitetin: numra të saktë, KONFIDENCIALE", en="for the committee: exact, CONFIDENTIAL"
)
HELD_BACK = Message(
    sq=Plural(
        one="rishikimi u mbajt: {n} qelizë e publikuar do të ndryshonte me më pak se {threshold} "
        "persona nga publikimi i {created} ({output}) dhe do t'i veçonte ata; publikimi i "
        "mëparshëm mbetet në fuqi dhe asgjë nuk u shkrua",
        other="rishikimi u mbajt: {n} qeliza të publikuara do të ndryshonin me më pak se "
        "{threshold} persona nga publikimi i {created} ({output}) dhe do t'i veçonin ata; "
        "publikimi i mëparshëm mbetet në fuqi dhe asgjë nuk u shkrua",
    ),
    en=Plural(
        one="revision held back: {n} published cell would change by fewer than {threshold} "
        "people from the release of {created} ({output}) and single them out; the earlier "
        "release stands and nothing was written",
        other="revision held back: {n} published cells would change by fewer than {threshold} "
        "people from the release of {created} ({output}) and single them out; the earlier "
        "release stands and nothing was written",
    ),
)
HELD_BACK_NARROWED = Message(
    sq=Plural(
        one="rishikimi u mbajt: bashkë me publikimin e {created} ({output}), {n} qelizë e "
        "fshehur do të mund të ngushtohej në më pak se {threshold} vlera të mundshme; "
        "publikimi i mëparshëm mbetet në fuqi dhe asgjë nuk u shkrua",
        other="rishikimi u mbajt: bashkë me publikimin e {created} ({output}), {n} qeliza të "
        "fshehura do të mund të ngushtoheshin në më pak se {threshold} vlera të mundshme; "
        "publikimi i mëparshëm mbetet në fuqi dhe asgjë nuk u shkrua",
    ),
    en=Plural(
        one="revision held back: together with the release of {created} ({output}), {n} "
        "hidden cell could be narrowed to fewer than {threshold} possible values; the earlier "
        "release stands and nothing was written",
        other="revision held back: together with the release of {created} ({output}), {n} "
        "hidden cells could be narrowed to fewer than {threshold} possible values; the "
        "earlier release stands and nothing was written",
    ),
)
RECORDED = Message(
    sq=Plural(
        one="publikimi u regjistrua në {register} ({cells} qeliza me persona); u auditua "
        "bashkë me {n} publikim të mëparshëm të {period}",
        other="publikimi u regjistrua në {register} ({cells} qeliza me persona); u auditua "
        "bashkë me {n} publikime të mëparshme të {period}",
    ),
    en=Plural(
        one="release recorded in {register} ({cells} people cells); audited jointly with "
        "{n} earlier release of {period}",
        other="release recorded in {register} ({cells} people cells); audited jointly with "
        "{n} earlier releases of {period}",
    ),
)
RECORDED_IN_ARCHIVE = Message(
    sq=Plural(
        one="publikimi u regjistrua në arkiv ({cells} qeliza me persona); u auditua "
        "bashkë me {n} publikim të mëparshëm të {period}",
        other="publikimi u regjistrua në arkiv ({cells} qeliza me persona); u auditua "
        "bashkë me {n} publikime të mëparshme të {period}",
    ),
    en=Plural(
        one="release recorded in the archive ({cells} people cells); audited jointly with "
        "{n} earlier release of {period}",
        other="release recorded in the archive ({cells} people cells); audited jointly with "
        "{n} earlier releases of {period}",
    ),
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
    help="Hide counts of people from 1 to N-1, shown as x like every hidden cell "
    "(default 5; at least 3).",
)
@click.option(
    "--no-suppress",
    is_flag=True,
    help="No small-cell suppression: for internal use only, stated on the report.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="TOML",
    help="Report configuration (issuer, place, document number, signatory, logo); "
    "default: krat.toml in the current folder if there is one.",
)
@click.option(
    "--csv-dialect",
    type=click.Choice(["rfc4180", "excel-eu"]),
    default="rfc4180",
    show_default=True,
    help="CSV output: comma and decimal point, or semicolon and decimal comma "
    "(Excel on Albanian/European settings).",
)
@click.option(
    "--audience",
    type=click.Choice(["public", "committee"]),
    default="public",
    show_default=True,
    help="Who the output is for: the public (suppressed tables, audited as one release) "
    "or the committee (exact counts, marked confidential; no names).",
)
@click.option(
    "--records",
    is_flag=True,
    help="Also write the case records (json, htcds, CSV records/, workbook record sheets): "
    "not for publication.",
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
    audience: str,
    records: bool,
    report_date: str | None,
    config_path: Path | None = None,
    csv_dialect: str = "rfc4180",
) -> None:
    """Write the report of INPUT (a regional submission or a national dataset) to OUT.

    \b
    Examples:
      krat report national-2024.json -o analiza-2024.docx
      krat report national-2024.json -o report-2024.docx --lang en --compare national-2023.json
      krat report AL-02-2024.json -o durres-2024.xlsx
      krat report national-2024.json -o calendar-2024.ics
      krat report national-2024.json -o cases-htcds.xlsx --format htcds --records
      krat report national-2024.json -o komiteti-2024.docx --audience committee
      krat report --db archive.sqlite --period 2025 -o analiza-2025.docx

    With an archive (--db or $KRAT_ARCHIVE) every earlier year it holds is
    compared too, without naming files.
    """
    from krat_core.combine.national import load_dataset
    from krat_core.format.models import Submission
    from krat_core.plugins.descriptors import ExportOptions
    from krat_core.reporting.exporting import case_record_count, choose_exporter, export

    if suppress is not None and no_suppress:
        raise click.UsageError(SUPPRESS_OR_NOT.text(lang))
    threshold = None if no_suppress else (5 if suppress is None else suppress)
    config = _config(config_path)
    db = db or getattr(config, "archive", None)  # --db, $KRAT_ARCHIVE, then krat.toml
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
        config=config,
        csv_dialect="excel-eu" if csv_dialect == "excel-eu" else "rfc4180",
        audience="committee" if audience == "committee" else "public",
        records=records,
    )
    registry = get_registry()
    exporter = choose_exporter(registry, out, format_name).name
    release = None
    if audience == "public" and threshold is not None and exporter in TABLE_FORMATS:
        register = read_releases(db, out.resolve().parent)
        release = _plan_release(dataset, out, options, lang, register)
    written = export(dataset, out, format=format_name, options=options, registry=registry)
    if isinstance(dataset, Submission):
        kind = REGIONAL.text(lang, region=dataset.region)
    else:
        kind = NATIONAL.text(lang)
    if audience == "committee":
        protection = COMMITTEE.text(lang)
    elif exporter in RECORD_FORMATS:
        protection = RECORD_LEVEL.text(lang)
    else:
        protection = (
            NO_SUPPRESSION.text(lang) if threshold is None else SUPPRESSED.text(lang, n=threshold)
        )
    echo(WROTE.text(lang, path=written, kind=kind, protection=protection))
    if records and written.suffix.lower() not in (".docx", ".ics"):
        n = case_record_count(dataset)
        echo_warning(
            HOLDS_RECORDS.text(lang, path=written, n=n),
            lang,
        )
    if release is not None:
        record, before = release
        said = {"cells": len(record.cells or {}), "n": len(before), "period": record.period}
        if db:
            from krat_core.archive import Archive

            with Archive.open(db) as archive:
                archive.add_release(record)
            click.echo(RECORDED_IN_ARCHIVE.text(lang, **said))
        else:
            from krat_core.reporting.register import append_release

            path = append_release(written.resolve().parent, record)
            click.echo(RECORDED.text(lang, register=path, **said))
    if threshold is None and audience == "public":
        echo_warning(DO_NOT_PUBLISH.text(lang), lang)


def _config(path: Path | None) -> object:
    """The report configuration: ``--config``, else ./krat.toml if it exists, else None."""
    from krat_core.reporting.config import load_config

    if path is None:
        default = Path("krat.toml")
        return load_config(default) if default.is_file() else None
    return load_config(path)


TABLE_FORMATS = ("docx", "xlsx", "csv")
"""The outputs that publish the report's tables (and are recorded as releases)."""
RECORD_FORMATS = ("json", "htcds")
"""The outputs that hold case records and no tables."""


def _plan_release(
    dataset: Any,
    out: Path,
    options: ExportOptions,
    lang: str,
    register: list[ReleaseRecord],
) -> tuple[ReleaseRecord, list[ReleaseRecord]]:
    """The register record of a public release of the report's tables, checked against
    the earlier releases of its period in ``register`` (exit 2 if it is held back)."""
    from krat_core.errors import ReleaseHeldBack
    from krat_core.reporting.exporting import prepare_report
    from krat_core.reporting.register import ReleaseRecord, check_revision
    from krat_core.reporting.release import published_cells

    report = prepare_report(dataset, options)
    cells = published_cells(report.tables)
    scope = "national" if report.national else str(report.data.region)
    period = report.data.period
    threshold = options.suppress or 0
    try:
        earlier = check_revision(
            cells,
            register,
            period=period,
            scope=scope,
            threshold=threshold,
        )
    except ReleaseHeldBack as exc:
        record = exc.earlier
        echo_error(
            HELD_BACK.text(
                lang,
                n=len(exc.changed),
                threshold=threshold,
                created=getattr(record, "created", "?"),
                output=getattr(record, "output", "?"),
            ),
            lang,
        )
        raise click.exceptions.Exit(2) from None
    _audit_jointly(report, options, cells, earlier, threshold, lang)
    record = ReleaseRecord.of(
        cells,
        period=period,
        scope=scope,
        audience="public",
        threshold=threshold,
        output=out.name,
    )
    return record, earlier


def _audit_jointly(
    report: Any,
    options: ExportOptions,
    cells: dict[str, str],
    earlier: list[ReleaseRecord],
    threshold: int,
    lang: str,
) -> None:
    """Exit 2 if a reader holding this release and an earlier one of its period could
    narrow a hidden cell below N values (:mod:`krat_core.reporting.revision`)."""
    from krat_core.reporting.data import report_data
    from krat_core.reporting.register import cells_digest
    from krat_core.reporting.report import build_tables
    from krat_core.reporting.revision import narrowed_by_revision

    digest = cells_digest(cells)
    changed = [r for r in earlier if r.cells and r.digest != digest]
    if not changed:
        return
    tables = build_tables(report.data, [report_data(d) for d in options.compare])
    published = {t.key: t for t in report.tables}
    for record in changed:
        narrowed = narrowed_by_revision(tables, published, record.cells or {}, threshold)
        if narrowed:
            echo_error(
                HELD_BACK_NARROWED.text(
                    lang,
                    n=len(narrowed),
                    threshold=threshold,
                    created=record.created,
                    output=record.output,
                ),
                lang,
            )
            raise click.exceptions.Exit(2)


def _period_of(dataset: Any) -> str:
    """The (last) period of a submission or a national dataset."""
    periods = getattr(dataset, "periods", None) or [dataset.period]
    return str(max(periods))
