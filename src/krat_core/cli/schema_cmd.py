"""``krat schema``: write or check the published JSON Schemas (and docs/format.md's tables)."""

from __future__ import annotations

from pathlib import Path

import click

from krat_core.cli.common import EXIT_FINDINGS, EXIT_UNREADABLE, echo_err

__all__ = ["schema"]


@click.command()
@click.option(
    "-o", "--out", type=click.Path(file_okay=False, path_type=Path),
    help="Write the schemas into this folder (created if needed).",
)
@click.option(
    "--check", "check", type=click.Path(file_okay=False, path_type=Path),
    help="Compare this folder with the schemas the models generate; exit 1 if they differ.",
)
@click.option(
    "--doc", type=click.Path(dir_okay=False, path_type=Path),
    help="Also bring (or, with --check, check) the generated tables of this Markdown file, "
    "e.g. docs/format.md, up to date.",
)
@click.pass_context
def schema(ctx: click.Context, out: Path | None, check: Path | None, doc: Path | None) -> None:
    """Write the JSON Schemas (draft 2020-12) of the exchange format, generated from the models.

    One file per record kind (institution, case, activity, objective), the
    submission, and the code lists. Without options, prints the list of files.

    \b
    Examples:
      krat schema --out schemas --doc docs/format.md
      krat schema --check schemas --doc docs/format.md    (for CI)
    """
    from krat_core.format import schema as schemas
    if out is not None and check is not None:
        raise click.UsageError("use either --out or --check, not both")
    if check is not None:
        problems = schemas.check_schemas(check)
        if doc is not None:
            problems += schemas.check_format_doc(doc)
        if problems:
            for problem in problems:
                echo_err(f"krat: stale: {problem}")
            echo_err("Regenerate with: krat schema --out SCHEMAS [--doc docs/format.md]")
            ctx.exit(EXIT_FINDINGS)
        click.echo(f"{check}: up to date with the models")
        return
    if out is not None:
        for path in schemas.write_schemas(out):
            click.echo(f"wrote {path}")
    if doc is not None:
        if not doc.is_file():
            echo_err(f"krat: error: {doc}: no such file (its prose is written by hand)")
            ctx.exit(EXIT_UNREADABLE)
        changed = schemas.write_format_doc(doc)
        click.echo(f"{'updated' if changed else 'unchanged'} {doc}")
    if out is None and doc is None:
        for name in schemas.generate_schemas():
            click.echo(f"{schemas.SCHEMA_BASE_URI}{name}")
