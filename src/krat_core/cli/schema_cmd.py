"""``krat schema``: write or check the published JSON Schemas (and docs/format.md's tables)."""

from __future__ import annotations

from pathlib import Path

import click

from krat_core.cli.common import (
    EXIT_FINDINGS,
    EXIT_UNREADABLE,
    WROTE,
    echo_err,
    echo_error,
    lang_option,
)
from krat_core.cli.options import output_option
from krat_core.messages import Message

OUT_OR_CHECK = Message(
    sq="përdorni ose --output ose --check, jo të dyja",
    en="use either --output or --check, not both",
)
STALE = Message(sq="krat: i vjetruar: {problem}", en="krat: stale: {problem}")
REGENERATE = Message(
    sq="Rikrijojini me: krat schema --output SCHEMAS [--doc docs/format.md]",
    en="Regenerate with: krat schema --output SCHEMAS [--doc docs/format.md]",
)
UP_TO_DATE = Message(sq="{path}: në përputhje me modelet", en="{path}: up to date with the models")
NO_DOC = Message(
    sq="{path}: nuk ekziston (teksti i tij shkruhet me dorë)",
    en="{path}: no such file (its prose is written by hand)",
)
UPDATED = Message(sq="u përditësua {path}", en="updated {path}")
UNCHANGED = Message(sq="i pandryshuar {path}", en="unchanged {path}")

__all__ = ["schema"]


@click.command(short_help="Write or check the JSON Schemas of the exchange format.")
@output_option(
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the schemas into this folder (created if needed).",
)
@click.option(
    "--check",
    "check",
    type=click.Path(file_okay=False, path_type=Path),
    help="Compare this folder with the schemas the models generate; exit 1 if they differ.",
)
@click.option(
    "--doc",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also bring (or, with --check, check) the generated tables of this Markdown file, "
    "e.g. docs/format.md, up to date.",
)
@lang_option
@click.pass_context
def schema(
    ctx: click.Context, out: Path | None, check: Path | None, doc: Path | None, lang: str
) -> None:
    """Write the JSON Schemas (draft 2020-12) of the exchange format, generated from the models.

    One file per record kind (institution, case, activity, objective), the
    submission, and the code lists. Without options, prints the list of files.

    \b
    Examples:
      krat schema --output schemas --doc docs/format.md
      krat schema --check schemas --doc docs/format.md    (for CI)
    """
    from krat_core.format import schema as schemas

    if out is not None and check is not None:
        raise click.UsageError(OUT_OR_CHECK.text(lang))
    if check is not None:
        problems = schemas.check_schemas(check, lang)
        if doc is not None:
            problems += schemas.check_format_doc(doc, lang)
        if problems:
            for problem in problems:
                echo_err(STALE.text(lang, problem=problem))
            echo_err(REGENERATE.text(lang))
            ctx.exit(EXIT_FINDINGS)
        click.echo(UP_TO_DATE.text(lang, path=check))
        return
    if out is not None:
        for path in schemas.write_schemas(out):
            click.echo(WROTE.text(lang, path=path))
    if doc is not None:
        if not doc.is_file():
            echo_error(NO_DOC.text(lang, path=doc), lang)
            ctx.exit(EXIT_UNREADABLE)
        changed = schemas.write_format_doc(doc)
        click.echo((UPDATED if changed else UNCHANGED).text(lang, path=doc))
    if out is None and doc is None:
        for name in schemas.generate_schemas():
            click.echo(f"{schemas.SCHEMA_BASE_URI}{name}")
