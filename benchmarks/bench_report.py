"""Benchmark: the national report for 10^3, 10^4 and 10^5 records, in every format.

Run from the repository root::

    python -m benchmarks.bench_report                    # 10^3, 10^4, 10^5 records
    python -m benchmarks.bench_report --sizes 1000 10000

For each size it builds a synthetic national dataset (twelve regions; about
80 % cases, 17 % activities, the rest objectives and institutions), combines
it, and times, in this process:

- ``load``: reading the national dataset's canonical JSON back
  (:func:`krat_core.combine.load_dataset`) - the floor every report starts from;
- ``tables``: computing every table with disclosure control
  (:func:`krat_core.reporting.build_report`, threshold 5);
- each output written with :func:`krat_core.reporting.export`: docx, xlsx,
  csv (zip), ics, json, htcds.

Prints a Markdown table of seconds, microseconds per record (flat when the
cost grows linearly) and the ratio of each stage to ``load``.
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


def run(sizes: tuple[int, ...]) -> list[dict[str, Any]]:
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
            row["times"]["tables"], _ = timed(
                build_report, loaded, suppress=5, generated_on="2025-02-10"
            )
            options = ExportOptions(generated_on="2025-02-10")
            for fmt in FORMATS:
                target = folder / f"out-{fmt}{SUFFIX[fmt]}"
                row["times"][fmt], _ = timed(
                    export, loaded, target, format=fmt, options=options, registry=registry
                )
        results.append(row)
        print(f"  {size:>7,} done", flush=True)
    return results


def table(results: list[dict[str, Any]]) -> str:
    stages = ["load", "tables", *FORMATS]
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
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args()
    results = run(tuple(args.sizes))
    print()
    print(table(results))


if __name__ == "__main__":
    main()
