"""``krat combine``: the national dataset from the twelve regional submissions.

Prints the completeness matrix (regions by period) and what needs attention:
missing, late and invalid submissions, resubmissions, persons reported by more
than one region, and record ids in conflict. Exit code 0 when every region sent
a valid submission on time for every period and nothing is in conflict, 1 when
something needs attention (the dataset is written all the same), 2 when an
input cannot be read or the command is used wrongly.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from krat_core.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    WROTE,
    echo,
    echo_warning,
    get_registry,
    is_terminal,
    lang_option,
)
from krat_core.cli.options import deadline_option, output_option
from krat_core.messages import Message

__all__ = ["combine"]

NAME_MISMATCH = Message(
    sq="emri i skedarit {file} përmend {named}, por përmbajtja është {region} {period}: "
    "kontrolloni që skedari të jetë i qarkut dhe periudhës së duhur",
    en="the file name {file} names {named}, but its content is {region} {period}: check that "
    "the file is the right region's and period's",
)
FILES_OR_DB = Message(
    sq="jepni të paktën një FILE ose një arkiv (--db)",
    en="give at least one FILE or an archive (--db)",
)
STAGES: dict[str, Message] = {
    "read": Message(sq="po lexohen", en="reading"),
    "validate": Message(sq="po validohen", en="validating"),
    "check": Message(sq="po kontrollohen", en="checking"),
}
PROGRESS = Message(
    sq="krat combine: {stage} {done}/{total}", en="krat combine: {stage} {done}/{total}"
)


class _Progress:
    """Progress on stderr, overwritten in place; only when stderr is a terminal."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        label = STAGES[stage].text(self.lang) if stage in STAGES else stage
        line = PROGRESS.text(self.lang, stage=label, done=done, total=total)
        click.echo(f"\r{line}\x1b[K", err=True, nl=False)
        self.shown = True

    def close(self) -> None:
        if self.shown:
            click.echo("\r\x1b[K", err=True, nl=False)


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@output_option(
    "out",
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
@deadline_option()
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
@click.option(
    "--db",
    metavar="PATH|URL",
    envvar="KRAT_ARCHIVE",
    help="An archive whose submissions and amendments of the periods are combined with "
    "FILE... (default: $KRAT_ARCHIVE).",
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
    db: str | None,
    lang: str,
) -> None:
    """Combine regional submissions into one national dataset.

    FILE... are canonical regional submissions (from `krat import`), earlier
    national datasets or calendar amendments, in any order (with --db, the
    archive's submissions and amendments of the periods join them); several
    submissions of one region are allowed (the latest submitted_at wins).
    Prints which regions are missing, late or invalid, what resubmissions
    changed, persons reported by more than one region, and conflicting records.

    Exit code: 0 all in order; 1 something needs attention (missing, late,
    invalid, conflicts; the dataset is still written); 2 an input cannot be read.
    """
    from krat_core.combine import combine as combine_inputs
    from krat_core.combine import write_national
    from krat_core.validation.engine import summary_validator

    if not files and not db:
        raise click.UsageError(FILES_OR_DB.text(lang))
    inputs: list[Any] = list(files)
    if db:
        inputs += _from_archive(db, list(periods))
    validate = None if no_validate else summary_validator(get_registry(ctx))
    progress = _Progress(lang) if is_terminal() else None
    try:
        result = combine_inputs(
            inputs,
            period=list(periods) or None,
            deadline=deadline,
            validate=validate,
            progress=progress,
        )
    finally:
        if progress is not None:
            progress.close()
    write_national(out, result.dataset)
    if validate is not None:
        for finding in validate.faults.values():  # once each, whatever the number of regions
            echo_warning(finding.message(lang), lang)
    for file, region, period, named_region, named_period in result.name_mismatches():
        named = ", ".join(x for x in (named_region, named_period) if x)
        echo_warning(
            NAME_MISMATCH.text(lang, file=file, named=named, region=region, period=period), lang
        )
    if output_format == "json":
        from krat_core.format.canonical import dump_json

        click.echo(dump_json(result.to_dict()).decode("utf-8"), nl=False)
    else:
        echo(result.to_text(lang))
        echo(WROTE.text(lang, path=out))
    ctx.exit(EXIT_FINDINGS if result.attention() else EXIT_OK)


def _from_archive(db: str, periods: list[str]) -> list[Any]:
    """The archive's national dataset of ``periods`` (all by default) as one combine input."""
    import hashlib

    from krat_core.archive import Archive
    from krat_core.combine.national import CombineInput, dump_national

    with Archive.open(db) as archive:
        held = archive.periods()
        wanted = [p for p in periods if p in held] if periods else held
        if not wanted:  # nothing of these periods in the archive: the files alone
            return []
        dataset = archive.combine(wanted, validated=False).dataset
    sha = hashlib.sha256(dump_national(dataset)).hexdigest()
    return [CombineInput("archive.json", sha, dataset)]
