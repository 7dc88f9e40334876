"""``krat key``: the national pseudonymisation key.

``krat key new -o national.key`` creates the key the national office gives to
the twelve regions; ``krat key fingerprint national.key`` prints a short
fingerprint to check that a region holds the same key, without showing it.
"""

from __future__ import annotations

from pathlib import Path

import click

from krat_core.cli.common import lang_option
from krat_core.cli.options import output_option
from krat_core.messages import Message

__all__ = ["key"]

WROTE_KEY = Message(
    sq="U shkrua një çelës i ri 256-bit në {path} (i lexueshëm vetëm nga pronari).",
    en="Wrote a new 256-bit key to {path} (readable only by its owner).",
)
WITH_HINT = Message(sq="{message}. {hint}", en="{message}. {hint}")
FORCE_HINT = Message(
    sq="Përdorni --force vetëm nëse e keni me qëllim.",
    en="Use --force only if you mean it.",
)
FINGERPRINT = Message(sq="Shenja e gishtit: {fingerprint}", en="Fingerprint: {fingerprint}")


@click.group()
def key() -> None:
    """The national pseudonymisation key (for subject_ref)."""


@key.command("new")
@output_option(
    "out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Key file to create, e.g. national.key.",
)
@click.option("--force", is_flag=True, help="Replace an existing key file (breaks matching!).")
@lang_option
def new(out: Path, force: bool, lang: str) -> None:
    """Create a new random 256-bit key, readable only by you (mode 0600).

    Keep a backup in a safe place: with another key, the same person gets a
    different subject_ref and can no longer be matched across regions or years.
    Give the key to the regions by hand or over an encrypted channel, never
    together with data files.
    """
    from krat_core.errors import KeyFileExists
    from krat_core.format.pseudonym import key_fingerprint, write_key

    try:
        secret = write_key(out, overwrite=force)
    except KeyFileExists as exc:  # the library names no flag; the command line does
        raise KeyFileExists(
            WITH_HINT.both(message=exc.texts, hint=FORCE_HINT.both()), source=exc.source
        ) from None
    click.echo(WROTE_KEY.text(lang, path=out))
    click.echo(FINGERPRINT.text(lang, fingerprint=key_fingerprint(secret)))


@key.command("fingerprint")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@lang_option
def fingerprint(file: Path, lang: str) -> None:
    """Print the key's fingerprint, to compare with the national office's."""
    from krat_core.cli.common import read_key_file
    from krat_core.format.pseudonym import key_fingerprint

    click.echo(FINGERPRINT.text(lang, fingerprint=key_fingerprint(read_key_file(file))))
