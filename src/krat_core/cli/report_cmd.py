"""``krat report``: the annual analysis and the other outputs of a dataset.

``krat report INPUT -o OUT [--format NAME] [--lang sq|en] [--compare EARLIER ...]
[--suppress N | --no-suppress]``. INPUT is a regional submission (a regional
report) or a national dataset from ``krat combine`` (the national report).
The output format is ``--format`` or, without it, the suffix of OUT (``.docx``,
``.xlsx``, ``.zip`` for CSV, ``.ics``, ``.json``); ``htcds`` writes an
``.xlsx`` and must be named.

Exit codes: 0 written; 2 an input cannot be read, the options are wrong, or
the output could not be written (nothing is left behind).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from krat_core.cli.common import get_registry, lang_option

if TYPE_CHECKING:
    from krat_core.cli.demo import Demo
    from krat_core.format.models.national import NationalDataset

__all__ = ["demo_step", "report"]


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--out",
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
    "--suppress",
    type=int,
    default=None,
    metavar="N",
    help="Show counts of people from 1 to N-1 as <N (default 5; at least 3).",
)
@click.option(
    "--no-suppress",
    is_flag=True,
    help="No small-cell suppression: for internal use only, stated on the report.",
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
    suppress: int | None,
    no_suppress: bool,
    report_date: str | None,
) -> None:
    """Write the report of INPUT (a regional submission or a national dataset) to OUT.

    \b
    Examples:
      krat report national-2024.json -o analiza-2024.docx
      krat report national-2024.json -o report-2024.docx --lang en --compare national-2023.json
      krat report AL-02-2024.json -o durres-2024.xlsx
      krat report national-2024.json -o calendar-2024.ics
      krat report national-2024.json -o cases-htcds.xlsx --format htcds
    """
    from krat_core.combine.consolidate import load_dataset
    from krat_core.plugins.descriptors import ExportOptions
    from krat_core.reporting.exporting import export

    if suppress is not None and no_suppress:
        raise click.UsageError("give either --suppress N or --no-suppress, not both")
    threshold = None if no_suppress else (5 if suppress is None else suppress)
    dataset = load_dataset(input_path)
    earlier = [load_dataset(p) for p in compare]
    options = ExportOptions(
        lang="en" if lang == "en" else "sq",
        suppress=threshold,
        compare=earlier,
        generated_on=report_date,
    )
    written = export(dataset, out, format=format_name, options=options, registry=get_registry())
    from krat_core.format.models import Submission

    kind = f"regional ({dataset.region})" if isinstance(dataset, Submission) else "national"
    protection = "no suppression: INTERNAL USE ONLY" if threshold is None else f"<{threshold}"
    click.echo(f"wrote {written}  ({kind} report, {protection})")
    if threshold is None:
        click.echo("krat: warning: --no-suppress: do not publish this output", err=True)


# --------------------------------------------------------------------------- demo


def _national(demo: Demo) -> NationalDataset:
    from krat_core.combine.consolidate import combine, load_national

    path = demo.state.get("national")
    if path is not None:
        return load_national(path)
    return combine(list(demo.submissions.values()), period=str(demo.year)).dataset


def _previous_year(demo: Demo) -> NationalDataset:
    """A synthetic national dataset of the year before, for the year-over-year tables."""
    import hashlib

    from krat_core.combine.consolidate import CombineInput, combine
    from krat_core.demo.synthetic import generate_national
    from krat_core.format.canonical import dump_submission

    inputs = []
    for s in generate_national(demo.year - 1, seed=demo.seed):
        raw = dump_submission(s)
        inputs.append(
            CombineInput(f"{s.region}-{s.period}.json", hashlib.sha256(raw).hexdigest(), s)
        )
    return combine(inputs, period=str(demo.year - 1)).dataset


def demo_step(demo: Demo) -> None:
    """Step 5: the national report in every format, and one regional report."""
    from krat_core.combine.consolidate import load_dataset
    from krat_core.plugins.descriptors import ExportOptions
    from krat_core.reporting.exporting import export

    demo.say("5. Writing the reports")
    if not demo.submissions:
        demo.say("  no submissions: nothing to report")
        return
    national = _national(demo)
    previous = _previous_year(demo)
    demo.say(f"  comparing with a synthetic national dataset of {demo.year - 1}")
    folder = demo.out / "reports"
    options = ExportOptions(compare=[previous])
    outputs: list[tuple[str, str, str, Any]] = [
        ("docx", f"analiza-kombetare-{demo.year}.docx", "national annual analysis, Word", options),
        (
            "docx",
            f"national-report-{demo.year}-en.docx",
            "national report in English, Word",
            ExportOptions(lang="en", compare=[previous]),
        ),
        ("xlsx", f"raporti-kombetar-{demo.year}.xlsx", "national workbook, Excel", options),
        ("csv", f"te-dhenat-{demo.year}.zip", "records and tables as CSV, zip", options),
        ("ics", f"kalendari-{demo.year}.ics", "national calendar, iCalendar", options),
        ("json", f"national-{demo.year}.json", "national dataset, canonical JSON", options),
        ("htcds", f"htcds-{demo.year}.xlsx", "cases in the HTCDS 2.0 layout", options),
    ]
    for name, filename, what, opts in outputs:
        path = export(
            national, folder / filename, format=name, options=opts, registry=demo.registry
        )
        demo.wrote(path, what)
    region = "AL-02" if "AL-02" in demo.submissions else sorted(demo.submissions)[0]
    regional = load_dataset(demo.submissions[region])
    earlier = [s for s in previous.regional_submissions() if s.region == region]
    path = export(
        regional,
        folder / f"analiza-vjetore-{region}-{demo.year}.docx",
        format="docx",
        options=ExportOptions(compare=earlier),
        registry=demo.registry,
    )
    demo.wrote(path, f"regional annual analysis of {region}, Word")
