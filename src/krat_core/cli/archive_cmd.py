"""``krat archive ...`` and ``krat migrate``: the archive across years, and format migration.

``krat archive add FILE...`` stores submissions (validated, migrated to the
current format, the original bytes kept); ``list`` prints the completeness
matrix of every period; ``history REGION PERIOD`` every version with what
changed; ``export --period P -o FILE`` the national dataset (as ``krat
combine`` writes it); ``verify`` re-hashes everything; ``backup DIR`` and
``restore DIR`` copy the archive to and from a folder. ``--db`` names the
archive (a file or ``postgresql://...``; by default ``$KRAT_ARCHIVE``).

Exit codes: 0 all in order; 1 something needs attention (a file refused or
invalid, a period incomplete, damage found, no version); 2 the archive or an
input cannot be used (a :class:`~krat_core.errors.KratError`, printed in one line),
or, for ``add``, a stored file's check was incomplete (a plugin's rules missing), as
``krat validate`` exits for it. ``add`` stores an invalid file all the same and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from krat_core.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNREADABLE,
    WROTE,
    get_registry,
    lang_option,
)
from krat_core.cli.options import deadline_option, output_option
from krat_core.messages import Message, Plural, format_number

if TYPE_CHECKING:
    from krat_core.archive import AddResult, Archive, Damage

__all__ = ["archive", "migrate"]

F = TypeVar("F", bound=Callable[..., Any])

# --------------------------------------------------------------------------- texts

RECORDS = Message(
    sq=Plural(one="{count} regjistrim", other="{count} regjistrime"),
    en=Plural(one="{count} record", other="{count} records"),
)
ADD_NEW = Message(
    sq="{file}: dorëzim i ri, {region} {period}, {records}",
    en="{file}: new submission, {region} {period}, {records}",
)
ADD_NEW_VERSION = Message(
    sq="{file}: version i ri i {region} {period}, zëvendëson {sha}, {records}",
    en="{file}: new version of {region} {period}, supersedes {sha}, {records}",
)
ADD_OLDER = Message(
    sq="{file}: version më i vjetër i {region} {period} se {sha} (u ruajt, por nuk zëvendëson)",
    en="{file}: older version of {region} {period} than {sha} (stored, supersedes nothing)",
)
ADD_IDENTICAL = Message(
    sq="{file}: identik me versionin {sha} të {region} {period} (u shënua vetëm marrja)",
    en="{file}: identical to version {sha} of {region} {period} (only the receipt is recorded)",
)
CHANGES_COUNT = Message(
    sq=Plural(one="{n} ndryshim", other="{n} ndryshime"),
    en=Plural(one="{n} change", other="{n} changes"),
)
ADD_AMENDMENT = Message(
    sq="{file}: ndryshim i kalendarit të {region} {period}, {changes} (nuk e zëvendëson dorëzimin)",
    en="{file}: calendar amendment of {region} {period}, {changes} (supersedes no submission)",
)
ADD_AMENDMENT_IDENTICAL = Message(
    sq="{file}: identik me ndryshimin e kalendarit {sha} të {region} {period} "
    "(u shënua vetëm marrja)",
    en="{file}: identical to calendar amendment {sha} of {region} {period} "
    "(only the receipt is recorded)",
)
AMENDMENT_LINE = Message(
    sq="  ndryshim i kalendarit {sha}, {amended}: {added}, {cancelled}",
    en="  calendar amendment {sha}, {amended}: {added}, {cancelled}",
)
AMENDED_ACTIVITIES = Message(
    sq=Plural(
        one="{n} veprimtari e shtuar ose e ndryshuar",
        other="{n} veprimtari të shtuara ose të ndryshuara",
    ),
    en=Plural(one="{n} activity added or changed", other="{n} activities added or changed"),
)
CANCELLED_ACTIVITIES = Message(
    sq=Plural(one="{n} e anuluar", other="{n} të anuluara"),
    en=Plural(one="{n} cancelled", other="{n} cancelled"),
)
ADD_REFUSED = Message(sq="{file}: u refuzua: {reason}", en="{file}: refused: {reason}")
MIGRATED_FROM = Message(
    sq="migruar nga formati {version}", en="migrated from format version {version}"
)
INVALID = Message(
    sq=Plural(one="i pavlefshëm: {n} gabim", other="i pavlefshëm: {n} gabime"),
    en=Plural(one="invalid: {n} error", other="invalid: {n} errors"),
)
KEPT_INVALID = Message(
    sq=Plural(
        one="Skedari i pavlefshëm u ruajt (arkivi i mban të gjitha); kodi i daljes është "
        "{code}, si ai i `krat validate` për të: ekzekutojeni për të parë çfarë duhet korrigjuar.",
        other="Skedarët e pavlefshëm u ruajtën (arkivi i mban të gjitha); kodi i daljes është "
        "{code}, si ai i `krat validate` për ta: ekzekutojeni për të parë çfarë duhet korrigjuar.",
    ),
    en=Plural(
        one="The invalid file was stored (the archive keeps everything); the exit code is "
        "{code}, as `krat validate` gives for it: run it to see what to fix.",
        other="The invalid files were stored (the archive keeps everything); the exit code is "
        "{code}, as `krat validate` gives for them: run it to see what to fix.",
    ),
)
FILES = Message(
    sq=Plural(one="{n} skedar", other="{n} skedarë"),
    en=Plural(one="{n} file", other="{n} files"),
)
STORED_COUNT = Message(
    sq=Plural(one="{n} u ruajt", other="{n} u ruajtën"),
    en=Plural(one="{n} stored", other="{n} stored"),
)
REFUSED_COUNT = Message(
    sq=Plural(one="{n} u refuzua", other="{n} u refuzuan"),
    en=Plural(one="{n} refused", other="{n} refused"),
)
INVALID_COUNT = Message(
    sq=Plural(one="{n} i pavlefshëm", other="{n} të pavlefshëm"),
    en=Plural(one="{n} invalid", other="{n} invalid"),
)
NO_HISTORY = Message(
    sq="Arkivi nuk ka asnjë version për {region} {period}.",
    en="The archive holds no version for {region} {period}.",
)
HISTORY_TITLE = Message(
    sq=Plural(one="{region} {period}: {n} version", other="{region} {period}: {n} versione"),
    en=Plural(one="{region} {period}: {n} version", other="{region} {period}: {n} versions"),
)
HISTORY_LINE = Message(
    sq="{i}. {sha}  dërguar {submitted}, {records}{state}",
    en="{i}. {sha}  submitted {submitted}, {records}{state}",
)
CURRENT = Message(sq=" (në fuqi)", en=" (current)")
RECEIPT = Message(
    sq="   marrë si {file} nga {sender} më {received}",
    en="   received as {file} from {sender} on {received}",
)
UNKNOWN_SENDER = Message(sq="(i panjohur)", en="(unknown)")
CHANGES = Message(
    sq="   ndryshime: {added} shtuar, {removed} hequr, {changed} ndryshuar{ids}",
    en="   changes: {added} added, {removed} removed, {changed} changed{ids}",
)
ATTENTION = Message(sq="Kërkon vëmendje: {items}", en="Needs attention: {items}")
ATTENTION_ITEMS = {
    "missing": Message(sq=Plural(one="{n} mungon", other="{n} mungojnë"), en="{n} missing"),
    "late": Message(sq="{n} me vonesë", en="{n} late"),
    "invalid": Message(
        sq=Plural(one="{n} i pavlefshëm", other="{n} të pavlefshëm"), en="{n} invalid"
    ),
    "conflicts": Message(
        sq=Plural(one="{n} konflikt", other="{n} konflikte"),
        en=Plural(one="{n} conflict", other="{n} conflicts"),
    ),
}
SOUND = Message(
    sq=Plural(
        one="Arkivi është i paprekur: {n} version u kontrollua.",
        other="Arkivi është i paprekur: {n} versione u kontrolluan.",
    ),
    en=Plural(
        one="The archive is sound: {n} version checked.",
        other="The archive is sound: {n} versions checked.",
    ),
)
DAMAGED = Message(
    sq=Plural(one="U gjet {n} dëmtim:", other="U gjetën {n} dëmtime:"),
    en=Plural(one="{n} problem found:", other="{n} problems found:"),
)
DAMAGE = {
    "blob": Message(
        sq="bajtet nuk përputhen me SHA-256 e tyre", en="the bytes do not match their SHA-256"
    ),
    "bytes": Message(sq="bajtet e ruajtura janë dëmtuar", en="its stored bytes are damaged"),
    "unreadable": Message(
        sq="origjinali nuk lexohet më: {detail}", en="the original no longer reads: {detail}"
    ),
    "canonical": Message(
        sq="forma kanonike nuk përputhet me origjinalin",
        en="the canonical form does not match the original",
    ),
    "column": Message(
        sq="kolona '{detail}' nuk përputhet me dokumentin",
        en="column '{detail}' does not match the document",
    ),
    "rows": Message(
        sq="rreshtat e tabelës {detail} nuk përputhen me dokumentin",
        en="its {detail} rows do not match the document",
    ),
    "orphans": Message(
        sq="{detail} rreshta nuk i përkasin asnjë versioni",
        en="{detail} rows belong to no version",
    ),
}
BACKED_UP = Message(
    sq=Plural(one="U ruajt {n} version në {path}", other="U ruajtën {n} versione në {path}"),
    en=Plural(one="Backed up {n} version to {path}", other="Backed up {n} versions to {path}"),
)
RESTORED = Message(
    sq=Plural(one="U rikthye {n} version nga {path}", other="U rikthyen {n} versione nga {path}"),
    en=Plural(one="Restored {n} version from {path}", other="Restored {n} versions from {path}"),
)
MIGRATE_DONE = Message(
    sq="{file}: formati {old} u migrua në {new}; u shkrua {out}",
    en="{file}: format version {old} migrated to {new}; wrote {out}",
)
MIGRATE_CURRENT = Message(
    sq="{file}: formati {old} është i sotëm; u shkrua forma kanonike në {out}",
    en="{file}: format version {old} is current; wrote the canonical form to {out}",
)

# --------------------------------------------------------------------------- helpers


def _region(code: str, lang: str) -> str:
    from krat_core.format.regions import REGIONS

    return REGIONS[code].label(lang) if code in REGIONS else code


def db_option(f: F) -> F:
    """``--db PATH|URL``: the archive (default ``$KRAT_ARCHIVE``)."""
    return click.option(
        "--db",
        metavar="PATH|URL",
        envvar="KRAT_ARCHIVE",
        show_envvar=True,
        required=True,
        help="The archive: an SQLite file or postgresql://... (default: $KRAT_ARCHIVE).",
    )(f)


def _open(db: str) -> Archive:
    from krat_core.archive import Archive

    return Archive.open(db)


def _records(n: int, lang: str) -> str:
    return RECORDS.text(lang, count=format_number(n, lang), n=n)


def _add_line(result: AddResult, lang: str) -> str:
    sha = (result.supersedes or result.superseded_by or result.sha256 or "")[:12]
    values = {
        "file": result.file,
        "region": _region(result.region or "", lang),
        "period": result.period or "",
        "records": _records(result.records, lang),
        "sha": sha,
    }
    if result.status == "refused":
        reason = result.reason_sq if lang == "sq" and result.reason_sq else result.reason
        return ADD_REFUSED.text(lang, file=result.file, reason=reason)
    if result.kind == "amendment":
        amended = ADD_AMENDMENT if result.status == "new" else ADD_AMENDMENT_IDENTICAL
        values["changes"] = CHANGES_COUNT.text(lang, n=result.records)
        return amended.text(lang, **values)
    message = {
        "new": ADD_NEW,
        "new_version": ADD_NEW_VERSION,
        "older_version": ADD_OLDER,
        "identical": ADD_IDENTICAL,
    }[result.status]
    line = message.text(lang, **values)
    notes = []
    if result.migrated and result.original_version:
        notes.append(MIGRATED_FROM.text(lang, version=result.original_version))
    if result.validation is not None and not result.validation.valid:
        notes.append(INVALID.text(lang, n=result.validation.errors))
    return line + (f" ({'; '.join(notes)})" if notes else "")


# --------------------------------------------------------------------------- commands


@click.group()
def archive() -> None:
    """The archive: every submission and every version, across years.

    An SQLite file by default (created readable by its owner only), or a
    PostgreSQL server (postgresql://user@host/db; needs krat[postgres]).
    """


@archive.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@db_option
@click.option("--sender", help="Who adds the files (default: your user name).")
@click.option("--no-validate", is_flag=True, help="Store without running the validation rules.")
@lang_option
@click.pass_context
def add(
    ctx: click.Context,
    files: tuple[Path, ...],
    db: str,
    sender: str | None,
    no_validate: bool,
    lang: str,
) -> None:
    """Validate and store submissions and calendar amendments (FILE...), saying what each is.

    Each file is new, a new version superseding an earlier one, an older
    version, identical to a stored version, a calendar amendment (applied on
    top of its region's submission, never late), or refused (with the reason).
    Files of an earlier format version are migrated; their bytes are kept.
    An invalid file is stored too (the archive keeps everything); the exit code
    is then the one `krat validate` gives it (1 for errors, 2 when a plugin's
    rules were missing), and a closing line says so.
    """
    import getpass

    from krat_core.archive.core import engine_validator
    from krat_core.validation.engine import is_incomplete

    if sender is None:
        try:
            sender = getpass.getuser()
        except (KeyError, OSError):
            sender = ""
    checks_incomplete: list[bool] = []  # a plugin's rules missing: noted for the exit code
    validate = (
        None
        if no_validate
        else engine_validator(
            get_registry(ctx), seen=lambda report: checks_incomplete.append(is_incomplete(report))
        )
    )

    refused = invalid = 0
    with _open(db) as store:
        for path in files:
            result = store.add(path, sender=sender, validate=validate)
            click.echo(_add_line(result, lang))
            refused += result.status == "refused"
            invalid += bool(result.validation is not None and not result.validation.valid)
    parts = [STORED_COUNT.text(lang, n=len(files) - refused)]
    if refused:
        parts.append(REFUSED_COUNT.text(lang, n=refused))
    if invalid:
        parts.append(INVALID_COUNT.text(lang, n=invalid))
    click.echo(f"{FILES.text(lang, n=len(files))}: {', '.join(parts)}")
    # a stored file is judged as `krat validate` judges it: 2 incomplete, 1 errors
    incomplete = sum(checks_incomplete)
    code = EXIT_UNREADABLE if incomplete else EXIT_FINDINGS if invalid else EXIT_OK
    if code != EXIT_OK:
        click.echo(KEPT_INVALID.text(lang, n=invalid + incomplete, code=code))
    if refused and code == EXIT_OK:
        code = EXIT_FINDINGS
    ctx.exit(code)


@archive.command("list")
@db_option
@lang_option
@click.pass_context
def list_(ctx: click.Context, db: str, lang: str) -> None:
    """Print the completeness matrix: the twelve regions by every period archived."""
    from krat_core.archive.listing import completeness_text, missing_cells

    with _open(db) as store:
        matrix = store.list()
    click.echo(completeness_text(matrix, lang), nl=False)
    ctx.exit(EXIT_FINDINGS if missing_cells(matrix) else EXIT_OK)


def _ids(ids: list[str]) -> str:
    return ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")


@archive.command("history")
@click.argument("region")
@click.argument("period")
@db_option
@lang_option
@click.pass_context
def history(ctx: click.Context, region: str, period: str, db: str, lang: str) -> None:
    """Every version of REGION's submission for PERIOD (e.g. AL-02 2024), with what changed."""
    from krat_core.messages import format_datetime

    region = region.upper()
    with _open(db) as store:
        versions = store.history(region, period)
        amendments = store.amendments(region, period)
    name = _region(region, lang)
    if not versions:
        click.echo(NO_HISTORY.text(lang, region=name, period=period))
        ctx.exit(EXIT_FINDINGS)
    click.echo(HISTORY_TITLE.text(lang, region=name, period=period, n=len(versions)))
    for i, v in enumerate(versions, 1):
        click.echo(
            HISTORY_LINE.text(
                lang,
                i=i,
                sha=v.sha256[:12],
                submitted=format_datetime(datetime.fromisoformat(v.submitted_at), lang),
                records=_records(v.records, lang),
                state=CURRENT.text(lang) if v.current else "",
            )
        )
        for r in v.receipts:
            received = datetime.fromisoformat(r.received_at.replace("Z", "+00:00"))
            click.echo(
                RECEIPT.text(
                    lang,
                    file=r.file,
                    sender=r.sender or UNKNOWN_SENDER.text(lang),
                    received=format_datetime(received, lang),
                )
            )
        if v.changes is not None:
            changed = [*v.changes.added, *v.changes.removed, *v.changes.changed]
            click.echo(
                CHANGES.text(
                    lang,
                    added=len(v.changes.added),
                    removed=len(v.changes.removed),
                    changed=len(v.changes.changed),
                    ids=f" ({_ids(changed)})" if changed else "",
                )
            )
    for a in amendments:
        click.echo(
            AMENDMENT_LINE.text(
                lang,
                sha=a.sha256[:12],
                amended=format_datetime(datetime.fromisoformat(a.amended_at), lang),
                added=AMENDED_ACTIVITIES.text(lang, n=a.activities),
                cancelled=CANCELLED_ACTIVITIES.text(lang, n=a.cancellations),
            )
        )
    ctx.exit(EXIT_OK)


@archive.command("export")
@click.option(
    "--period",
    "periods",
    multiple=True,
    required=True,
    metavar="P",
    help="Period to export (2024, 2024-H1); repeatable.",
)
@output_option(
    "out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="National dataset to write (canonical JSON), as `krat combine` writes it.",
)
@deadline_option()
@click.option(
    "--no-validate",
    is_flag=True,
    help="Leave validation out (as `krat combine --no-validate`).",
)
@db_option
@lang_option
@click.pass_context
def export(
    ctx: click.Context,
    periods: tuple[str, ...],
    out: Path,
    deadline: date | datetime | None,
    no_validate: bool,
    db: str,
    lang: str,
) -> None:
    """Write the national dataset of a period from the archive alone.

    Byte-identical to `krat combine` over the files that were added (with the
    same --period, --deadline and validation).
    """
    from krat_core.combine.national import write_national

    with _open(db) as store:
        result = store.combine(list(periods), deadline=deadline, validated=not no_validate)
    write_national(out, result.dataset)
    click.echo(WROTE.text(lang, path=out))
    attention = result.attention()
    if attention:
        items = ", ".join(ATTENTION_ITEMS[k].text(lang, n=n) for k, n in attention.items())
        click.echo(ATTENTION.text(lang, items=items))
    ctx.exit(EXIT_FINDINGS if attention else EXIT_OK)


def _damage_line(d: Damage, lang: str) -> str:
    return f"  {d.where}: {DAMAGE[d.code].text(lang, detail=d.detail)}"


@archive.command("verify")
@db_option
@lang_option
@click.pass_context
def verify(ctx: click.Context, db: str, lang: str) -> None:
    """Re-hash every stored file and re-derive every row; report any damage."""
    with _open(db) as store:
        damage = store.verify()
        versions = store.counts()["versions"]
    if not damage:
        click.echo(SOUND.text(lang, n=versions))
        ctx.exit(EXIT_OK)
    click.echo(DAMAGED.text(lang, n=len(damage)))
    for d in damage:
        click.echo(_damage_line(d, lang))
    ctx.exit(EXIT_FINDINGS)


@archive.command("backup")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@db_option
@lang_option
def backup(folder: Path, db: str, lang: str) -> None:
    """Copy the archive to FOLDER: canonical files plus a manifest (replaces FOLDER)."""
    with _open(db) as store:
        n = store.backup(folder)
    click.echo(BACKED_UP.text(lang, n=n, path=folder))


@archive.command("restore")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@db_option
@lang_option
def restore(folder: Path, db: str, lang: str) -> None:
    """Fill an empty archive from a backup FOLDER (every file is checked first)."""
    with _open(db) as store:
        n = store.restore(folder)
    click.echo(RESTORED.text(lang, n=n, path=folder))


@click.command("migrate")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@output_option(
    "out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the migrated submission (canonical JSON).",
)
@lang_option
def migrate(file: Path, out: Path, lang: str) -> None:
    """Migrate a submission of an earlier format version to the current one.

    A submission already in the current version is written in canonical form.
    Migrating twice changes nothing.
    """
    from krat_core.atomic import write_bytes_atomic
    from krat_core.format.canonical import dump_submission
    from krat_core.format.migrate import migrate_submission

    migrated = migrate_submission(file)
    write_bytes_atomic(out, dump_submission(migrated.submission))
    message = MIGRATE_DONE if migrated.changed else MIGRATE_CURRENT
    click.echo(
        message.text(
            lang,
            file=file.name,
            old=migrated.original_version,
            new=migrated.submission.schema_version,
            out=out,
        )
    )
