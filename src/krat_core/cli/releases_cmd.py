"""``krat releases``: what has been published, from the release register.

``krat releases [FOLDER] [--db ARCHIVE] [--json]`` lists the releases recorded
in the archive (``--db``, ``$KRAT_ARCHIVE``, or the ``archive`` of ./krat.toml
when no FOLDER is named) or else in ``FOLDER/krat-releases.jsonl`` (default:
the current folder), oldest first: period, scope, audience, date, output file,
number of people cells and digest. ``krat report`` appends to the register
each time it writes a public release (Word, Excel, CSV tables); see
docs/reports.md.

Exit codes: 0 listed (also when nothing is recorded); 2 the register cannot be read.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from krat_core.cli.common import lang_option, read_releases
from krat_core.messages import Message, Plural

__all__ = ["releases"]

NONE_RECORDED = Message(
    sq="Asnjë publikim i regjistruar në {folder}.", en="No release recorded in {folder}."
)
ARCHIVE = Message(sq="arkiv", en="the archive")
HEADER = Message(
    sq=Plural(
        one="{n} publikim i regjistruar në {register}:",
        other="{n} publikime të regjistruara në {register}:",
    ),
    en=Plural(
        one="{n} release recorded in {register}:", other="{n} releases recorded in {register}:"
    ),
)
LINE = Message(
    sq="  {period}  {scope}  {audience}  {created}  {output}  {cells} qeliza  {digest}",
    en="  {period}  {scope}  {audience}  {created}  {output}  {cells} cells  {digest}",
)
AUDIENCE = {
    "public": Message(sq="publik", en="public"),
    "committee": Message(sq="komiteti (konfidenciale)", en="committee (confidential)"),
}
NATIONAL = Message(sq="kombëtar", en="national")


@click.command()
@click.argument(
    "folder",
    required=False,
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option(
    "--db",
    metavar="PATH|URL",
    envvar="KRAT_ARCHIVE",
    help="An archive: list the releases recorded in it (default: $KRAT_ARCHIVE).",
)
@click.option("--json", "as_json", is_flag=True, help="The records as JSON (one list).")
@lang_option
def releases(folder: Path | None, db: str | None, as_json: bool, lang: str) -> None:
    """List the releases recorded in the archive or in FOLDER's release register
    (default: here).

    \b
    Examples:
      krat releases
      krat releases raportet/ --json
      krat releases --db krat-archive.sqlite
    """
    from krat_core.reporting.register import REGISTER_NAME

    if db is None and folder is None and Path("krat.toml").is_file():
        from krat_core.reporting.config import load_config

        db = load_config(Path("krat.toml")).archive
    folder = folder or Path(".")
    records = read_releases(db, folder)
    where: object = ARCHIVE.text(lang) if db else folder / REGISTER_NAME
    if as_json:
        click.echo(json.dumps([asdict(r) for r in records], ensure_ascii=False, indent=1))
        return
    if not records:
        click.echo(NONE_RECORDED.text(lang, folder=where if db else folder))
        return
    click.echo(HEADER.text(lang, n=len(records), register=where))
    for r in records:
        audience = AUDIENCE.get(r.audience)
        click.echo(
            LINE.text(
                lang,
                period=r.period,
                scope=NATIONAL.text(lang) if r.scope == "national" else r.scope,
                audience=audience.text(lang) if audience else r.audience,
                created=r.created,
                output=r.output,
                cells=len(r.cells or {}),
                digest=r.digest[:19],
            )
        )
