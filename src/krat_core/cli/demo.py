"""``krat demo``: the whole pipeline on synthetic data for all twelve regions.

Each stage of the pipeline lives with its command and contributes a
``demo_step(demo: Demo)`` function; this module runs them in order. A step
whose command module is not there (or lacks ``demo_step``) is skipped.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from krat_core.cli.common import get_registry

DEMO_STEPS: tuple[str, ...] = (
    "krat_core.cli.demo:generate_step",
    "krat_core.cli.import_cmd:demo_step",
    "krat_core.cli.validate_cmd:demo_step",
    "krat_core.cli.combine_cmd:demo_step",
    "krat_core.cli.report_cmd:demo_step",
)
"""The pipeline, in order: generate, import, validate, combine, report."""


@dataclass
class Demo:
    """What the steps share: the output folder, the year, and files written so far."""

    out: Path
    year: int
    seed: int
    registry: Any
    submissions: dict[str, Path] = field(default_factory=dict)
    """Region code -> canonical submission file."""
    state: dict[str, Any] = field(default_factory=dict)
    """Anything a later step needs from an earlier one (e.g. "national": Path)."""
    written: list[Path] = field(default_factory=list)

    def say(self, message: str) -> None:
        """Print a line of the demo's narrative."""
        click.echo(message)

    def wrote(self, path: Path, what: str) -> None:
        """Record and announce an output file."""
        self.written.append(path)
        click.echo(f"  wrote {path}  ({what})")


def generate_step(demo: Demo) -> None:
    """Step 1: twelve synthetic regional submissions, as canonical JSON."""
    from krat_core.atomic import write_bytes_atomic
    from krat_core.demo.synthetic import generate_national
    from krat_core.format.canonical import dump_submission

    demo.say(f"1. Generating synthetic submissions for the twelve regions, {demo.year}")
    folder = demo.out / "submissions"
    total = {"cases": 0, "activities": 0, "objectives": 0}
    for submission in generate_national(demo.year, seed=demo.seed):
        path = folder / f"{submission.region}-{submission.period}.json"
        write_bytes_atomic(path, dump_submission(submission))
        demo.submissions[submission.region] = path
        total["cases"] += len(submission.cases)
        total["activities"] += len(submission.activities)
        total["objectives"] += len(submission.objectives)
    demo.say(
        f"  {len(demo.submissions)} submissions in {folder}: {total['cases']} cases, "
        f"{total['activities']} activities, {total['objectives']} objectives"
    )


@click.command()
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("krat-demo"),
    show_default=True,
    help="Folder to write everything into.",
)
@click.option("--year", type=int, default=2024, show_default=True, help="Reporting year.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the synthetic data.")
def demo(out: Path, year: int, seed: int) -> None:
    """Run the whole pipeline on synthetic data for all twelve regions.

    Writes regional submissions, filled templates, validation reports, the
    national dataset and the reports into OUT, and says what it did.
    All data is synthetic: no real person is in it.
    """
    started = time.perf_counter()
    state = Demo(out=out, year=year, seed=seed, registry=get_registry())
    for target in DEMO_STEPS:
        module_name, _, attr = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        step = getattr(module, attr, None)
        if step is not None:
            step(state)
    click.echo(f"Done in {time.perf_counter() - started:.1f} s. Everything is in {out}/")
