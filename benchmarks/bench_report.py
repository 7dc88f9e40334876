"""Benchmark: the national report for 10^3, 10^4 and 10^5 records, in every format.

Run from the repository root::

    python -m benchmarks.bench_report                    # 10^3, 10^4, 10^5 records
    python -m benchmarks.bench_report --sizes 1000 10000
    python -m benchmarks.bench_report --formats          # load, audit, tables only

For each size it builds a synthetic national dataset (twelve regions; about
80 % cases, 17 % activities, the rest objectives and institutions), combines
it, and times, in this process:

- ``load``: reading the national dataset's canonical JSON back
  (:func:`krat_core.combine.load_dataset`) - the floor every report starts from;
- ``audit``: the joint disclosure audit of the whole release alone
  (:mod:`krat_core.reporting.release`: the linear system of every people cell and
  the secondary suppression by integer programs), with the number of people
  cells it covers and its cost per cell (flat when linear in the cells);
- ``tables``: computing every table with disclosure control
  (:func:`krat_core.reporting.build_report`, threshold 5, the audit included);
- each output written with :func:`krat_core.reporting.export`: docx, xlsx,
  csv (zip), ics, json, htcds.

Prints a Markdown table of seconds, microseconds per record (flat when the
cost grows linearly) and the ratio of each stage to ``load``.

``--floors`` measures instead, side by side, the CSV and xlsx reports against
the least any writer needs for the same cells (issue 13): the CSV report
written as a folder against the standard ``csv`` module writing the same
cells (every ``records/`` and ``tables/`` file) into the same files, and the
xlsx report with its record sheets against ``xlsxwriter`` in constant-memory
mode writing the same typed cells (every table and record sheet, no styles,
no charts). The cells are gathered before the clock starts; the floor is
best of three. The CSV floor is also given with every file flushed to disk
(``os.fsync``), as KRAT's atomic writer does for each output file, and the
time of the report's tables alone (``prepare_report``, part of both reports).
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZES = (1_000, 10_000, 100_000)
FORMATS = ("docx", "xlsx", "csv", "ics", "json", "htcds")
SUFFIX = {
    "docx": ".docx",
    "xlsx": ".xlsx",
    "csv": ".zip",
    "ics": ".ics",
    "json": ".json",
    "htcds": ".xlsx",
}


def national(total: int) -> Any:
    """A combined synthetic national dataset of about ``total`` records."""
    from krat_core.combine import CombineInput, combine
    from krat_core.demo.synthetic import generate_submission
    from krat_core.format.canonical import dump_submission
    from krat_core.format.regions import REGION_CODES

    per_region = total / len(REGION_CODES)
    inputs = []
    for code in REGION_CODES:
        sub = generate_submission(
            code,
            2024,
            cases=max(1, round(per_region * 0.8)),
            activities=max(1, round(per_region * 0.17)),
        )
        raw = dump_submission(sub)
        inputs.append(CombineInput(f"{code}.json", hashlib.sha256(raw).hexdigest(), sub))
    return combine(inputs, period="2024").dataset


def timed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def audit(dataset: Any) -> tuple[float, int]:
    """Seconds of the joint audit of ``dataset``'s release, and its people cells."""
    from krat_core.reporting import release
    from krat_core.reporting.data import report_data
    from krat_core.reporting.report import build_tables

    tables = build_tables(report_data(dataset))
    release._MEMO.clear()
    seconds, system = timed(release.release_system, tables)
    more, _ = timed(release.suppress_release, system, 5)
    release._MEMO.clear()
    return seconds + more, sum(system.published)


def audit_scaling(years: tuple[int, ...] = (0, 1, 2, 4, 8)) -> list[dict[str, Any]]:
    """The joint audit of a realistic national release (about 110 cases a year,
    many small counts) with 0, 1, 2, 4, 8 earlier years compared: the people cells
    grow with the years; the audit's cost per cell should stay flat."""
    from krat_core.combine import CombineInput, combine
    from krat_core.demo.synthetic import generate_national
    from krat_core.format.canonical import dump_submission
    from krat_core.reporting import release
    from krat_core.reporting.data import report_data
    from krat_core.reporting.report import build_tables

    def year(y: int) -> Any:
        subs = generate_national(y)
        inputs = [
            CombineInput(f"{s.region}.json", hashlib.sha256(dump_submission(s)).hexdigest(), s)
            for s in subs
        ]
        return combine(inputs, period=str(y)).dataset

    current = year(2024)
    earlier = [year(2024 - i) for i in range(1, max(years) + 1)]
    out = []
    for k in years:
        tables = build_tables(report_data(current), [report_data(d) for d in earlier[:k]])
        release._MEMO.clear()
        t1, system = timed(release.release_system, tables)
        t2, pattern = timed(release.suppress_release, system, 5)
        release._MEMO.clear()
        out.append(
            {
                "years": k,
                "cells": sum(system.published),
                "suppressed": len(pattern.suppressed),
                "seconds": t1 + t2,
            }
        )
    return out


def run(sizes: tuple[int, ...], formats: tuple[str, ...] = FORMATS) -> list[dict[str, Any]]:
    from krat_core.combine import dump_national, load_dataset
    from krat_core.plugins.descriptors import ExportOptions
    from krat_core.plugins.manager import load_plugins
    from krat_core.reporting import build_report, export

    registry = load_plugins()
    results = []
    for size in sizes:
        dataset = national(size)
        records = dataset.counts.records_accepted
        row: dict[str, Any] = {"size": size, "records": records, "times": {}}
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            source = folder / "national.json"
            source.write_bytes(dump_national(dataset))
            row["times"]["load"], loaded = timed(load_dataset, source)
            row["times"]["audit"], row["cells"] = audit(loaded)
            row["times"]["tables"], _ = timed(
                build_report, loaded, suppress=5, generated_on="2025-02-10"
            )
            options = ExportOptions(generated_on="2025-02-10", records=True)
            for fmt in formats:
                target = folder / f"out-{fmt}{SUFFIX[fmt]}"
                row["times"][fmt], _ = timed(
                    export, loaded, target, format=fmt, options=options, registry=registry
                )
        results.append(row)
        print(f"  {size:>7,} done", flush=True)
    return results


def table(results: list[dict[str, Any]], formats: tuple[str, ...] = FORMATS) -> str:
    stages = ["load", "audit", "tables", *formats]
    lines = [
        "| records | " + " | ".join(stages) + " |",
        "|---:|" + "---:|" * len(stages),
    ]
    for r in results:
        cells = [f"{r['times'][s]:.2f} s" for s in stages]
        lines.append(f"| {r['records']:,} | " + " | ".join(cells) + " |")
    lines += ["", "Microseconds per record, and ratio to `load`:", ""]
    lines += ["| records | " + " | ".join(stages) + " |", "|---:|" + "---:|" * len(stages)]
    for r in results:
        load = r["times"]["load"]
        cells = [
            f"{1e6 * r['times'][s] / r['records']:.0f} (×{r['times'][s] / load:.1f})"
            for s in stages
        ]
        lines.append(f"| {r['records']:,} | " + " | ".join(cells) + " |")
    lines += ["", "The joint audit per people cell:", ""]
    lines += ["| records | people cells | audit | ms per cell |", "|---:|---:|---:|---:|"]
    for r in results:
        a = r["times"]["audit"]
        lines.append(
            f"| {r['records']:,} | {r['cells']:,} | {a:.2f} s | {1e3 * a / r['cells']:.2f} |"
        )
    return "\n".join(lines)


def _cells(dataset: Any, options: Any) -> tuple[dict[str, list[list[str]]], list[Any]]:
    """The cells of the CSV files (as text) and of the workbook's sheets (typed)."""
    from krat_core.reporting import cell_value, prepare_report, record_tables

    lang = options.lang
    report = prepare_report(dataset, options)
    text: dict[str, list[list[str]]] = {}
    for rt in record_tables(dataset, lang, text=True):
        text[f"records/{rt.name}.csv"] = [list(rt.header), *map(list, rt.rows)]
    sheets: list[Any] = []
    for t in report.tables:
        rows = [[cell_value(c, lang) for c in row] for row in t.rows]
        header = [h.text(lang) for h in t.header]
        text[f"tables/{t.key}.csv"] = [header, *([str(v) for v in r] for r in rows)]
        sheets.append((t.key[:31], [header, *rows]))
    for rt in record_tables(dataset, lang):
        sheets.append((rt.title[:31], [list(rt.header), *map(list, rt.rows)]))
    return text, sheets


def _csv_floor(files: dict[str, list[list[str]]], folder: Path, *, sync: bool = False) -> None:
    """The same cells into the same files with the standard ``csv`` module; ``sync``:
    each file flushed to disk (``os.fsync``), as KRAT's atomic writer does for every
    output file."""
    import csv
    import os

    for name, rows in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out, lineterminator="\r\n").writerows(rows)
            if sync:
                out.flush()
                os.fsync(out.fileno())


def _xlsx_floor(sheets: list[Any], path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    dates = wb.add_format({"num_format": "dd.mm.yyyy"})
    for k, (name, rows) in enumerate(sheets):
        ws = wb.add_worksheet(f"{k:02d} {name}"[:31])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if hasattr(value, "isoformat"):
                    ws.write_datetime(r, c, value, dates)
                elif value is not None:
                    ws.write(r, c, value)
    wb.close()


def floors(sizes: tuple[int, ...]) -> str:
    """The CSV and xlsx reports against the stdlib-csv and xlsxwriter floors."""
    from krat_core.plugins.descriptors import ExportOptions
    from krat_core.plugins.manager import load_plugins
    from krat_core.reporting import export, prepare_report

    registry = load_plugins()
    options = ExportOptions(generated_on="2025-02-10", records=True)
    lines = [
        "| records | report tables | csv report (folder) | stdlib csv | ratio "
        "| stdlib csv + fsync | ratio | xlsx report (records) "
        "| xlsxwriter constant_memory | ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        dataset = national(size)
        records = dataset.counts.records_accepted
        text, sheets = _cells(dataset, options)
        tables = min(timed(prepare_report, dataset, options)[0] for _ in range(3))
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            ours_csv = min(
                timed(
                    export,
                    dataset,
                    folder / f"csv{k}",
                    format="csv",
                    options=options,
                    registry=registry,
                )[0]
                for k in range(3)
            )
            floor_csv = min(timed(_csv_floor, text, folder / f"floor{k}")[0] for k in range(3))
            synced = min(
                timed(_csv_floor, text, folder / f"synced{k}", sync=True)[0] for k in range(3)
            )
            ours_xlsx = min(
                timed(
                    export,
                    dataset,
                    folder / f"r{k}.xlsx",
                    format="xlsx",
                    options=options,
                    registry=registry,
                )[0]
                for k in range(2)
            )
            floor_xlsx = min(timed(_xlsx_floor, sheets, folder / f"f{k}.xlsx")[0] for k in range(2))
        lines.append(
            f"| {records:,} | {tables:.2f} s | {ours_csv:.2f} s | {floor_csv:.2f} s "
            f"| {ours_csv / floor_csv:.2f} | {synced:.2f} s | {ours_csv / synced:.2f} "
            f"| {ours_xlsx:.2f} s | {floor_xlsx:.2f} s | {ours_xlsx / floor_xlsx:.2f} |"
        )
        print(f"  {size:>7,} done", flush=True)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument(
        "--floors", action="store_true", help="CSV and xlsx against the stdlib/xlsxwriter floors"
    )
    parser.add_argument(
        "--formats", nargs="*", default=list(FORMATS), help="outputs to write (none: tables only)"
    )
    parser.add_argument(
        "--audit-years",
        action="store_true",
        help="only the joint audit of a realistic release with 0..8 earlier years compared",
    )
    args = parser.parse_args()
    if args.floors:
        print(floors(tuple(args.sizes)))
        return
    import scipy.optimize  # noqa: F401  (imported once, before any timing)

    if args.audit_years:
        print("| earlier years | people cells | suppressed | audit | ms per cell |")
        print("|---:|---:|---:|---:|---:|")
        for r in audit_scaling():
            ms = 1e3 * r["seconds"] / r["cells"]
            print(
                f"| {r['years']} | {r['cells']:,} | {r['suppressed']:,} | "
                f"{r['seconds']:.2f} s | {ms:.2f} |"
            )
        return
    formats = tuple(args.formats)
    results = run(tuple(args.sizes), formats)
    print()
    print(table(results, formats))


if __name__ == "__main__":
    main()
