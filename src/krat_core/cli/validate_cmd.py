"""``krat validate``: check submissions against every business rule and report what to fix."""

from __future__ import annotations

from pathlib import Path

import click

from krat_core.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNREADABLE,
    echo,
    echo_error,
    get_registry,
    lang_option,
)
from krat_core.cli.options import output_option
from krat_core.messages import Message, Plural

__all__ = ["validate"]

ANNOTATE_ONE_WORKBOOK = Message(
    sq="--annotate kërkon saktësisht një libër pune hyrës (.xlsx)",
    en="--annotate needs exactly one input workbook (.xlsx)",
)
ANNOTATED = Message(
    sq=Plural(
        one="krat: u shkrua {path} ({n} qelizë e shënuar)",
        other="krat: u shkrua {path} ({n} qeliza të shënuara)",
    ),
    en=Plural(
        one="krat: wrote {path} ({n} cell marked)", other="krat: wrote {path} ({n} cells marked)"
    ),
)


@click.command(short_help="Check submissions and say exactly what to fix.")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for a person; json for a program (documented shape, docs/validation.md).",
)
@lang_option
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="Exit with 1 when a finding reaches this severity.",
)
@click.option(
    "--annotate",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write a copy of the input workbook with each bad cell marked and commented.",
)
@click.option(
    "--key",
    "key_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="National pseudonymisation key, for source files with identity columns.",
)
@click.option(
    "--region", default=None, help="Region (a code AL-NN or a name) where the files do not say."
)
@click.option("--period", default=None, help="Period (2024 or 2024-H1) where the files do not say.")
@output_option(
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
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
    input cannot be read or a plugin's rules are missing (the check is incomplete).
    """
    from krat_core.plugins.descriptors import ImportOptions
    from krat_core.validation.batch import WORKBOOK_SUFFIXES, validate_paths

    registry = get_registry()
    key = None
    if key_file is not None:
        from krat_core.cli.common import read_key_file

        key = read_key_file(key_file)
    if annotate is not None and (
        len(files) != 1 or files[0].suffix.lower() not in WORKBOOK_SUFFIXES
    ):
        raise click.UsageError(ANNOTATE_ONE_WORKBOOK.text(lang))
    from krat_core.importing import region_of

    if region is not None:
        region = region_of(region) or region.upper()
    options = ImportOptions(region=region, period=period, key=key)
    run = validate_paths(files, registry, options)
    for message in run.error_lines(lang):
        echo_error(message, lang)

    text = run.to_json().decode("utf-8") if fmt == "json" else run.to_text(lang)
    if output is not None:
        from krat_core.atomic import write_bytes_atomic

        write_bytes_atomic(output, text.encode("utf-8"))
    elif text:
        if fmt == "json":
            click.echo(text, nl=False)  # JSON escapes control characters itself
        else:
            echo(text, nl=False)

    if annotate is not None and run.outcomes:
        from krat_core.validation.annotate import annotate_workbook

        outcome = run.outcomes[0]
        if outcome.imported is not None:
            marked = annotate_workbook(outcome.paths[0], annotate, outcome.report, lang=lang)
            click.echo(ANNOTATED.text(lang, path=annotate, n=marked), err=True)

    ctx = click.get_current_context()
    from krat_core.validation.engine import is_incomplete

    if run.errors or any(is_incomplete(o.report) for o in run.outcomes):
        ctx.exit(EXIT_UNREADABLE)  # unreadable, or incomplete: a plugin's rules are missing
    if run.reaches(fail_on):
        ctx.exit(EXIT_FINDINGS)
    ctx.exit(EXIT_OK)
