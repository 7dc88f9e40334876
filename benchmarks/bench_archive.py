"""Benchmark: adding records to the archive, and a ten-year, twelve-region query.

Run from the repository root::

    python -m benchmarks.bench_archive                       # 10^4 and 10^5 records, SQLite
    python -m benchmarks.bench_archive --sizes 10000 100000 1000000
    KRAT_BENCH_POSTGRES_URL=postgresql://krat@127.0.0.1:54329/krat_test \\
        python -m benchmarks.bench_archive                   # and on PostgreSQL too

(``eval "$(.ci/start-postgres)"`` starts a throwaway server and exports
``KRAT_TEST_POSTGRES_URL``, which is used when ``KRAT_BENCH_POSTGRES_URL`` is not set;
each run creates a database of its own there and drops it afterwards.)

**Adding.** For each size, one subprocess writes twelve canonical submissions
from the synthetic generator (``krat_core.demo.synthetic.generate_submission``,
the size split over the twelve regions, cases and activities half and half)
and times ``orjson.loads`` of the same bytes: the floor, parsing JSON and
nothing else. A second, fresh subprocess opens a new archive and adds the
twelve files (read, migrate, canonical form, blobs, version and record rows
in batches, one transaction per file; validation is off, it has its own
benchmark), and reports CPU and wall time and its peak resident memory; a
third one reads the largest of the files with ``load_submission`` alone, the
memory any reader of that file needs, for comparison. The floor is timed with
the cyclic garbage collector paused, as in ``bench_load``.

**Year over year.** 120 realistic submissions (ten years, twelve regions,
about 110 cases a year nationally) are added to a new archive; then the
question "cases per region and year, the versions in force" is answered
by ``Archive.record_counts`` (one SQL query), compared with the floor of
answering it from the files: ``orjson.loads`` of the 120 files and counting.

**Amendments.** In the same archive, one calendar amendment per region of
2024 (one activity cancelled, one added) is added, timed per amendment, and
the export of 2024 is timed before and after.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

SIZES = (10_000, 100_000)


def generate(folder: Path, total: int) -> dict[str, float]:
    """Twelve synthetic submissions totalling ``total`` records; time the orjson floor."""
    import orjson

    from krat_core.demo.synthetic import generate_submission
    from krat_core.format.canonical import dump_submission
    from krat_core.format.regions import REGION_CODES

    per_region = total // len(REGION_CODES)
    size = records = 0
    for region in REGION_CODES:
        base = generate_submission(region, 2024, cases=0, activities=0)
        fixed = len(base.institutions) + len(base.objectives)
        cases = (per_region - fixed) // 2
        sub = generate_submission(region, 2024, cases=cases, activities=per_region - fixed - cases)
        data = dump_submission(sub)
        (folder / f"{region}-2024.json").write_bytes(data)
        size += len(data)
        records += len(sub.records())
    floor = 0.0
    for path in sorted(folder.glob("AL-*.json")):
        raw = path.read_bytes()
        gc.collect()
        gc.disable()  # as in bench_load: the collector would rescan the parsed objects
        started = time.process_time()
        orjson.loads(raw)
        floor += time.process_time() - started
        gc.enable()
    return {"records": records, "bytes": size, "floor": floor}


def load_peak(path: Path) -> dict[str, float]:
    """Peak RSS of reading one file with ``load_submission`` alone: what any reader needs."""
    from krat_core.format.canonical import load_submission

    submission = load_submission(path)
    assert submission.records()
    return {"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure_add(folder: Path, url: str) -> dict[str, float]:
    """Add the files of ``folder`` to a new archive at ``url``: CPU, wall, peak RSS."""
    from krat_core.archive import Archive

    files = sorted(folder.glob("AL-*.json"))
    with Archive.open(url) as archive:
        cpu0, wall0 = time.process_time(), time.perf_counter()
        records = 0
        for path in files:
            result = archive.add(path)
            assert result.status == "new", result
            records += result.records
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        assert archive.counts()["versions"] == len(files)
    return {
        "records": records,
        "cpu": cpu,
        "wall": wall,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "largest_mb": max(p.stat().st_size for p in files) / 1e6,
    }


def measure_years(url: str) -> dict[str, float]:
    """Ten years, twelve regions: add them, then time the year-over-year query and its floor."""
    import orjson

    from krat_core.archive import Archive
    from krat_core.demo.synthetic import generate_national
    from krat_core.format.canonical import dump_submission

    with tempfile.TemporaryDirectory(prefix="bench-archive-years-") as tmp:
        folder = Path(tmp)
        for year in range(2015, 2025):
            for sub in generate_national(year):
                (folder / f"{sub.region}-{year}.json").write_bytes(dump_submission(sub))
        files = sorted(folder.glob("*.json"))
        with Archive.open(url) as archive:
            wall0 = time.perf_counter()
            for path in files:
                archive.add(path)
            add_wall = time.perf_counter() - wall0
            archive.record_counts("case")  # warm: the first query pays for imports
            best = float("inf")
            for _ in range(5):
                wall0 = time.perf_counter()
                counts = archive.record_counts("case")
                best = min(best, time.perf_counter() - wall0)
            amended = _amendments(archive, folder)
        floor = float("inf")
        for _ in range(5):
            wall0 = time.perf_counter()
            by_file: dict[tuple[str, str], int] = {}
            for path in files:
                doc = orjson.loads(path.read_bytes())
                by_file[(doc["region"], doc["period"])] = len(doc["cases"])
            floor = min(floor, time.perf_counter() - wall0)
    assert by_file == counts, "the archive and the files disagree"
    return {
        "files": len(files),
        "cases": sum(counts.values()),
        "add_wall": add_wall,
        "query": best,
        "floor": floor,
        **amended,
    }


def _amendments(archive: Any, folder: Path) -> dict[str, float]:
    """The amendments path: one calendar amendment per region of 2024, then the export.

    Each amendment cancels one activity and adds one; adding checks that it
    applies on top of the latest version. The export of 2024 is timed without
    and with the twelve amendments (both unvalidated).
    """
    from datetime import UTC, date, datetime

    from krat_core.format.amendment import CalendarAmendment, Cancellation
    from krat_core.format.canonical import dump_json, load_submission
    from krat_core.format.models import Generator, SubmittedBy

    archive.export("2024", validated=False)  # warm: the first export pays for imports
    before = time.perf_counter()
    archive.export("2024", validated=False)
    plain = time.perf_counter() - before
    docs = []
    for path in sorted(folder.glob("*-2024.json")):
        sub = load_submission(path.read_bytes())
        first = sub.activities[0]
        added = first.model_copy(update={"id": first.id[:-4] + "9999"})
        amendment = CalendarAmendment(
            region=sub.region,
            period="2024",
            amended_at=datetime(2025, 3, 1, tzinfo=UTC),
            submitted_by=SubmittedBy(institution="bench"),
            generator=Generator(version="bench"),
            activities=[added],
            cancellations=[Cancellation(id=first.id, cancelled_on=date(2025, 2, 28))],
        )
        docs.append(dump_json(amendment.model_dump(mode="json")))
    before = time.perf_counter()
    statuses = [archive.add(raw, name=f"amendment-{i}.json").status for i, raw in enumerate(docs)]
    add_each = (time.perf_counter() - before) / len(docs)
    assert statuses == ["new"] * len(docs), statuses
    before = time.perf_counter()
    archive.export("2024", validated=False)
    with_amendments = time.perf_counter() - before
    return {
        "amendments": len(docs),
        "amendment_add": add_each,
        "export_plain": plain,
        "export_amended": with_amendments,
    }


def _child(args: list[str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_archive", *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


class _Database:
    """A fresh archive location per measurement: an SQLite file, or a new PostgreSQL database."""

    def __init__(self, backend: str, server: str | None, folder: Path) -> None:
        self.backend, self.server, self.folder = backend, server, folder
        self.name = f"krat_bench_{uuid.uuid4().hex[:12]}"

    def __enter__(self) -> str:
        if self.backend == "sqlite":
            return str(self.folder / f"{self.name}.sqlite")
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        from krat_core.archive.engine import archive_url

        self.admin = make_url(archive_url(self.server))
        engine = create_engine(self.admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{self.name}"')
        engine.dispose()
        return self.admin.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc: object) -> None:
        if self.backend == "postgresql":
            from sqlalchemy import create_engine

            engine = create_engine(self.admin, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            engine.dispose()


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--add", nargs=2, metavar=("FOLDER", "URL"), help=argparse.SUPPRESS)
    parser.add_argument("--years", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--load-peak", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate is not None:
        print(json.dumps(generate(args.generate, args.sizes[0])))
        return
    if args.add is not None:
        print(json.dumps(measure_add(Path(args.add[0]), args.add[1])))
        return
    if args.load_peak is not None:
        print(json.dumps(load_peak(args.load_peak)))
        return
    if args.years is not None:
        print(json.dumps(measure_years(args.years)))
        return

    server = os.environ.get("KRAT_BENCH_POSTGRES_URL") or os.environ.get("KRAT_TEST_POSTGRES_URL")
    backends = ["sqlite", *(["postgresql"] if server else [])]
    rows = []
    years = []
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        for size in args.sizes:
            data = Path(tmp) / f"data-{size}"
            data.mkdir()
            made = _child(["--generate", str(data), "--sizes", str(size)])
            largest = max(data.glob("AL-*.json"), key=lambda p: p.stat().st_size)
            made["load_peak_mb"] = _child(["--load-peak", str(largest)])["peak_mb"]
            for backend in backends:
                with _Database(backend, server, Path(tmp)) as url:
                    got = _child(["--add", str(data), url])
                rows.append((backend, made, got))
                print(f"  {backend} {size:>9,} records: {got['cpu']:.1f} s CPU", file=sys.stderr)
        for backend in backends:
            with _Database(backend, server, Path(tmp)) as url:
                years.append((backend, _child(["--years", url])))

    print(
        "| backend | records | input MB | add CPU (s) | add wall (s) | µs / record "
        "| orjson.loads floor (s) | add / floor | peak RSS (MB) | largest file (MB) "
        "| load_submission of it alone: peak RSS (MB) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for backend, made, got in rows:
        print(
            f"| {backend} | {int(got['records']):,} | {made['bytes'] / 1e6:.1f} "
            f"| {got['cpu']:.2f} | {got['wall']:.2f} | {got['wall'] / got['records'] * 1e6:.0f} "
            f"| {made['floor']:.2f} | {got['wall'] / made['floor']:.0f}x "
            f"| {got['peak_mb']:.0f} | {got['largest_mb']:.1f} | {made['load_peak_mb']:.0f} |"
        )
    for backend in backends:
        mine = [(m, g) for b, m, g in rows if b == backend]
        if len(mine) > 1:
            first = mine[0][1]["wall"] / mine[0][1]["records"]
            last = mine[-1][1]["wall"] / mine[-1][1]["records"]
            print(
                f"\n{backend}: wall time per record, largest vs smallest size: "
                f"{last / first:.2f}x (1.0 = exactly linear)."
            )
    print(
        "\n| backend | submissions | cases | adding them (s) | query (ms) "
        "| floor: parse the files (ms) | query / floor |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for backend, got in years:
        print(
            f"| {backend} | {int(got['files'])} | {int(got['cases']):,} | {got['add_wall']:.1f} "
            f"| {got['query'] * 1e3:.1f} | {got['floor'] * 1e3:.1f} "
            f"| {got['query'] / got['floor']:.2f}x |"
        )

    print(
        "\n| backend | amendments | add one (ms) | export 2024 (ms) "
        "| export 2024 with the amendments (ms) |"
    )
    print("|---|---:|---:|---:|---:|")
    for backend, got in years:
        print(
            f"| {backend} | {int(got['amendments'])} | {got['amendment_add'] * 1e3:.1f} "
            f"| {got['export_plain'] * 1e3:.0f} | {got['export_amended'] * 1e3:.0f} |"
        )


if __name__ == "__main__":
    main()
