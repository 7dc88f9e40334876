"""Benchmark: combining twelve regional submissions of 10^4, 10^5 and 10^6 records.

Run from the repository root::

    python -m benchmarks.bench_combine            # 10^4, 10^5, 10^6 records
    python -m benchmarks.bench_combine --sizes 10000 100000

For each size, one subprocess writes twelve canonical submission files (half
cases, half activities, realistic synthetic records replicated with new ids and
new persons, ten persons shared by two regions), and times ``orjson.loads`` of
the same bytes (the floor: parsing JSON, nothing else). A second, fresh
subprocess runs ``combine`` on the files and writes the national dataset with
``write_national``, and reports its peak resident memory (``ru_maxrss``), so
each size's peak is measured alone. Validation is off here: it has its own
benchmark (``bench_validation``).

Prints a Markdown table: time per stage, time per record (flat when the cost
grows linearly), the ratio to the JSON-parsing floor, and the peak memory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SIZES = (10_000, 100_000, 1_000_000)
SHARED_PERSONS = 10


def _replicate(base: dict[str, Any], kind: str, letter: str, count: int) -> list[dict[str, Any]]:
    """``count`` copies of ``base``'s records of ``kind`` with fresh ids (and persons)."""
    region, year = base["region"], base["period"][:4]
    source = base[kind]
    out = []
    for seq in range(1, count + 1):
        record = dict(source[seq % len(source)])
        record["id"] = f"{region}-{letter}-{year}-{seq:06d}"
        if kind == "cases":
            person = hashlib.sha256(f"{region}:{seq}".encode()).hexdigest()
            if seq <= SHARED_PERSONS and region in ("AL-03", "AL-11"):
                person = hashlib.sha256(f"shared:{seq}".encode()).hexdigest()
            record["subject_ref"] = person
        out.append(record)
    return out


def generate(folder: Path, total: int) -> dict[str, float]:
    """Write twelve submissions totalling about ``total`` records; time the orjson floor."""
    import orjson

    from krat_core.demo.synthetic import generate_submission
    from krat_core.format.canonical import dump_json
    from krat_core.format.regions import REGION_CODES

    per_region = total // len(REGION_CODES)
    size = 0
    records = 0
    for region in REGION_CODES:
        base = generate_submission(region, 2024, cases=20, activities=20).model_dump(mode="json")
        fixed = len(base["institutions"]) + len(base["objectives"])
        cases = (per_region - fixed) // 2
        base["cases"] = _replicate(base, "cases", "C", cases)
        base["activities"] = _replicate(base, "activities", "A", per_region - fixed - cases)
        records += per_region
        data = dump_json(base)
        (folder / f"{region}-2024.json").write_bytes(data)
        size += len(data)
    from krat_core.format.canonical import gc_paused

    started = time.process_time()
    with gc_paused():  # as KRAT's reader does: both sides of the ratio run without the collector
        for path in sorted(folder.glob("*.json")):
            orjson.loads(path.read_bytes())
    floor = time.process_time() - started
    return {"records": records, "bytes": size, "floor": floor}


def measure(folder: Path) -> dict[str, float]:
    """Combine the files of ``folder`` and write the result: CPU and wall time, peak RSS.

    CPU time (``time.process_time``) is the main figure: on a shared, loaded
    machine wall time also counts the time other processes held the CPU.
    """
    from krat_core.combine import combine, write_national

    files = sorted(folder.glob("AL-*.json"))
    marks: dict[str, float] = {}
    cpu0, wall0 = time.process_time(), time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "read" and done == total:
            marks["read"] = time.process_time() - cpu0

    result = combine(files, period="2024", progress=progress)
    marks["combine"] = time.process_time() - cpu0
    out = folder / "national.json"
    write_national(out, result.dataset)
    marks["total"] = time.process_time() - cpu0
    marks["write"] = marks["total"] - marks["combine"]
    marks["wall"] = time.perf_counter() - wall0
    counts = result.dataset.counts
    assert counts.records_in == counts.records_accepted + counts.records_superseded
    assert counts.persons_in_several_regions == SHARED_PERSONS
    marks["records"] = counts.records_in
    marks["out_bytes"] = out.stat().st_size
    marks["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return marks


def _child(args: list[str]) -> dict[str, float]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_combine", *args],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate is not None:
        print(json.dumps(generate(args.generate, args.sizes[0])))
        return
    if args.measure is not None:
        print(json.dumps(measure(args.measure)))
        return

    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="bench-combine-") as tmp:
            made = _child(["--generate", tmp, "--sizes", str(size)])
            got = _child(["--measure", tmp])
        rows.append((made, got))
        print(f"  {size:>9,} records: {got['total']:.1f} s CPU", file=sys.stderr)

    print(
        "| records | input MB | read (s) | check + build (s) | write (s) | total CPU (s) "
        "| µs / record | wall (s) | orjson.loads floor (s) | total / floor | peak RSS (MB) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for made, got in rows:
        per_record = got["total"] / got["records"] * 1e6
        print(
            f"| {int(got['records']):,} | {made['bytes'] / 1e6:.1f} | {got['read']:.2f} "
            f"| {got['combine'] - got['read']:.2f} | {got['write']:.2f} | {got['total']:.2f} "
            f"| {per_record:.1f} | {got['wall']:.2f} | {made['floor']:.2f} "
            f"| {got['total'] / made['floor']:.1f}x | {got['peak_mb']:.0f} |"
        )
    if len(rows) > 1:
        first = rows[0][1]["total"] / rows[0][1]["records"]
        last = rows[-1][1]["total"] / rows[-1][1]["records"]
        print(
            f"\nCPU time per record, largest vs smallest size: {last / first:.2f}x "
            "(1.0 = exactly linear)."
        )


if __name__ == "__main__":
    main()
