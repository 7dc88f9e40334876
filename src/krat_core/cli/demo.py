"""``krat demo``: the whole pipeline on synthetic data for all twelve regions.

The scenario is library code (:func:`krat_core.demo.scenario.run_demo`); this
command prints its narrative as it happens and how long it took.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from krat_core.cli.common import get_registry, lang_option
from krat_core.cli.options import output_option
from krat_core.messages import Message, format_number

__all__ = ["demo"]

NEXT = Message(
    sq="Provoni më pas rrugën e zyrës kombëtare (README, «Combining»), nga dosja e demos:\n"
    "  cd {out} && krat report national-{year}.json -o analiza-vjetore-{year}.docx "
    "--compare national-{previous}.json",
    en="Next, try the national office's walk-through (README, «Combining») in the demo's "
    "folder:\n"
    "  cd {out} && krat report national-{year}.json -o analiza-vjetore-{year}.docx "
    "--compare national-{previous}.json",
)
"""The demo's last line: the next command to try, on what the demo wrote."""
DONE = Message(
    sq="U krye në {seconds} s. Gjithçka është në {out}/",
    en="Done in {seconds} s. Everything is in {out}/",
)


@click.command()
@output_option(
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("krat-demo"),
    show_default=True,
    help="Folder to write everything into.",
)
@click.option("--year", type=int, default=2024, show_default=True, help="Reporting year.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the synthetic data.")
@lang_option
def demo(out: Path, year: int, seed: int, lang: str) -> None:
    """Run the whole pipeline on synthetic data for all twelve regions.

    Writes regional submissions, filled templates, validation reports, the
    national dataset and the reports into OUT, and says what it did.
    All data is synthetic: no real person is in it.
    """
    from krat_core.demo.scenario import run_demo

    started = time.perf_counter()
    run_demo(out, year=year, seed=seed, registry=get_registry(), lang=lang, say=click.echo)
    seconds = format_number(time.perf_counter() - started, lang, decimals=1)
    click.echo(DONE.text(lang, seconds=seconds, out=out))
    click.echo(NEXT.text(lang, out=out, year=year, previous=year - 1))
