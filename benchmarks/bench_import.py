"""Benchmark: importing a 100,000-row cases workbook.

Compares, on the same file, in one run:

- ``krat import`` as a library call (:func:`krat_core.importing.import_files`):
  zip and XML guards, python-calamine reading, every cell parsed, every row
  validated into a ``Case`` model, findings and positions;
- the raw reading alone (python-calamine iterating the rows, nothing parsed);
- openpyxl's read-only mode iterating the cases sheet (values only, nothing parsed):
  what one would write with openpyxl instead;
- ``frictionless validate`` on the cases sheet: what a user would pick instead.

The workbook is the official template written by the "template" exporter
(openpyxl write-only mode), from synthetic data: 100,000 cases (no assistance
rows, so the cases sheet is the whole load), 12 institutions, 10 activities.

Run: ``python -m benchmarks.bench_import [--rows 100000] [--skip-frictionless]``.
Each reader runs in a fresh interpreter; wall-clock and CPU seconds are both
reported (on a shared, loaded machine the CPU seconds are the steadier figure).
Prints a Markdown table with seconds and ratios to krat.

To compare two versions of KRAT on one workbook, keep it with ``--workbook``
and time krat alone, alternating between the two checkouts::

    python -m benchmarks.bench_import --rows 50000 --workbook /tmp/cases-50000.xlsx \
        --readers krat --runs 1

``--runs N`` times each reader in N fresh interpreters and reports the median.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_REGISTRY: Any = None


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds of ``repeat`` calls."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        started, used = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - used)
    return wall, cpu


def build(rows: int, folder: Path) -> Path:
    """Write the benchmark workbook and return its path."""
    from krat_core.demo.synthetic import generate_submission
    from krat_plugins.exporters.template import write_template

    submission = generate_submission("AL-11", 2024, cases=rows, activities=10)
    submission = submission.model_copy(
        update={"cases": [c.model_copy(update={"assistance": []}) for c in submission.cases]}
    )
    path = folder / f"cases-{rows}.xlsx"
    write_template(path, submission, blank_rows=0)
    return path


def run_krat(path: Path) -> int:
    from krat_core.importing import import_files
    from krat_core.plugins.descriptors import ImportOptions

    result = import_files([path], ImportOptions(), _REGISTRY)
    assert result.rows_rejected == 0, result.findings[:3]
    return len(result.submission.cases)


def run_calamine(path: Path) -> int:
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    count = sum(1 for _ in workbook.get_sheet_by_name("Rastet").iter_rows())
    workbook.close()
    return count


def run_openpyxl(path: Path) -> int:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in workbook["Rastet"].iter_rows(values_only=True))
    workbook.close()
    return count


def run_frictionless(path: Path) -> int:
    from frictionless import Dialect, Resource, formats

    dialect = Dialect(controls=[formats.ExcelControl(sheet="Rastet")])
    resource = Resource(path=path.name, basepath=str(path.parent), dialect=dialect)
    report = resource.validate(limit_errors=10_000_000)
    (task,) = report.tasks
    rows = int(task.stats.get("rows") or 0)
    assert rows > 0, [e.message for e in task.errors][:3]
    return rows


READERS: dict[str, tuple[str, Callable[[Path], int]]] = {
    "krat": ("krat import (calamine + parse + validate)", run_krat),
    "calamine": ("python-calamine rows only (no parsing)", run_calamine),
    "openpyxl": ("openpyxl read-only iteration (no parsing)", run_openpyxl),
    "frictionless": ("frictionless validate (cases sheet)", run_frictionless),
}


def _measure(reader: str, path: Path, repeat: int) -> tuple[float, float]:
    """Time one reader in a fresh interpreter (no heap left over from writing the file)."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.bench_import",
        "--measure",
        reader,
        str(path),
        "--repeat",
        str(repeat),
    ]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    wall, cpu = done.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def _median_of(runs: int, reader: str, path: Path, repeat: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of ``runs`` fresh-process measurements."""
    measured = [_measure(reader, path, repeat) for _ in range(max(runs, 1))]
    return (
        statistics.median(w for w, _ in measured),
        statistics.median(c for _, c in measured),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--skip-frictionless", action="store_true")
    parser.add_argument(
        "--workbook", type=Path, help="use this workbook (written first if it does not exist)"
    )
    parser.add_argument(
        "--readers", nargs="+", choices=list(READERS), default=list(READERS), metavar="READER"
    )
    parser.add_argument("--runs", type=int, default=1, help="fresh processes per reader")
    parser.add_argument("--measure", nargs=2, metavar=("READER", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    global _REGISTRY
    from krat_core.plugins.manager import load_plugins

    _REGISTRY = load_plugins(env={"KRAT_PLUGINS": ""})
    if args.measure:
        name, file = args.measure
        wall, cpu = _timed(lambda: READERS[name][1](Path(file)), args.repeat)
        print(wall, cpu)
        return
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        if args.workbook is not None and args.workbook.exists():
            path = args.workbook
        else:
            path = build(args.rows, Path(folder))
            if args.workbook is not None:
                shutil.copyfile(path, args.workbook)
        written = time.perf_counter() - started
        size = path.stat().st_size
        runs = [
            (title, _median_of(args.runs, key, path, args.repeat))
            for key, (title, _) in READERS.items()
            if key in args.readers and not (args.skip_frictionless and key == "frictionless")
        ]
    base_wall, base_cpu = runs[0][1]
    print(
        f"Workbook: {args.rows:,} case rows, {size / 1024**2:.1f} MiB, written in {written:.1f} s "
        "by the template exporter (openpyxl write-only). Each reader timed in a fresh process, "
        f"best of {args.repeat}, median of {args.runs} process(es).\n"
    )
    print("| reader | wall s | CPU s | rows/s (wall) | wall vs krat | CPU vs krat |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (wall, cpu) in runs:
        print(
            f"| {name} | {wall:.2f} | {cpu:.2f} | {args.rows / wall:,.0f} | "
            f"{wall / base_wall:.1f}x | {cpu / base_cpu:.1f}x |"
        )


if __name__ == "__main__":
    main()
