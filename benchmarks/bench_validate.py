"""Benchmark: full validation (models + every built-in rule) against jsonschema and loading alone.

Run from the repository root::

    python -m benchmarks.bench_validate                     # 10^3 .. 10^6 records
    python -m benchmarks.bench_validate --sizes 1000 10000  # quicker
    python -m benchmarks.bench_validate --jsonschema-all    # jsonschema on all 2x10^5 records
    python -m benchmarks.bench_validate --only-side-by-side # issue 11's targets only

First, issue 11's side-by-side run (``--side-by-side N``, default 10^5 records;
0 skips it): ``orjson.loads``, ``load_submission`` and full validation of the
same bytes under both garbage-collector methods, with the ratios against the
targets (see :func:`benchmarks.bench_load.side_by_side`).

What is measured, for one submission whose records are half cases, half
activities (realistic synthetic records replicated with new ids and new persons,
so every rule runs and none fires):

- ``orjson.loads``: parsing the JSON bytes, nothing else (the floor of any JSON tool);
- ``load``: :func:`krat_core.format.canonical.load_submission`, the bytes to validated models
  (the floor of KRAT: the shape checks every record goes through);
- ``rules``: :func:`krat_core.validation.engine.validate` with every built-in rule;
- ``full`` = ``load`` + ``rules``: what ``krat validate FILE.json`` does;
- ``jsonschema``: ``Draft202012Validator`` (the Python ``jsonschema`` package) with
  the published ``schemas/submission.schema.json`` on the parsed document: shape
  checks only, no business rule, no cross-record rule.

Each size runs in a fresh subprocess, so its peak memory (``ru_maxrss``) is its own.
jsonschema costs about 2 ms a record, so by default it runs on sizes up to
``--jsonschema-max`` records (10^4) and, for the headline comparison at 10^5
cases + 10^5 activities, on the first 5,000 cases and 5,000 activities of the same
document; its time for all 2x10^5 records is that figure times twenty (jsonschema is
per record, so its cost is linear, as the table shows). ``--jsonschema-all`` runs it
on all of them instead (about 8 minutes).

Prints Markdown tables: time per stage (CPU time of the worker process, one
run each; ``orjson.loads`` with the collector paused, KRAT's stages with it on,
as a caller has it: they pause it themselves), microseconds per record (flat when
the cost grows linearly), and the ratios.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

SIZES = (1_000, 10_000, 100_000, 1_000_000)
HEADLINE = 200_000
"""10^5 cases and 10^5 activities."""
ROOT = Path(__file__).resolve().parent.parent


def _base() -> dict[str, Any]:
    from krat_core.demo.synthetic import generate_submission

    sub = generate_submission("AL-11", 2024, seed=7, cases=2_000, activities=2_000)
    return sub.model_dump(mode="json")


def _person(i: int) -> str:
    """A fresh ``subject_ref`` for case ``i``: 64 hex digits that never start with the
    16 zeros of a person of unknown identity (so that ``case.identity-unknown`` stays
    silent, as every other rule does on this data)."""
    return f"f{i + 1:063x}"


def build(total: int, base: dict[str, Any] | None = None) -> bytes:
    """A submission of ``total`` records (half cases, half activities) as canonical JSON bytes.

    Records are the synthetic ones replicated with fresh ids and a fresh
    ``subject_ref`` per case (shallow copies: cheap even for 10^6 records).
    """
    from krat_core.format.canonical import dump_json

    base = base if base is not None else _base()
    n_cases = total // 2
    n_activities = total - n_cases
    region, year = base["region"], base["period"][:4]
    cases, activities = base["cases"], base["activities"]
    doc = dict(base)
    doc["cases"] = [
        {
            **cases[i % len(cases)],
            "id": f"{region}-C-{year}-{i + 1:07d}",
            "subject_ref": _person(i),
        }
        for i in range(n_cases)
    ]
    doc["activities"] = [
        {**activities[i % len(activities)], "id": f"{region}-A-{year}-{i + 1:07d}"}
        for i in range(n_activities)
    ]
    return dump_json(doc)


def _jsonschema_validator() -> Any:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    published = {
        p.name: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "schemas").glob("*.schema.json"))
    }
    if "submission.schema.json" not in published:  # schemas not generated: use the models
        from krat_core.format.models import Submission

        return Draft202012Validator(Submission.model_json_schema())
    registry: Registry[Any] = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in published.values()
    )
    return Draft202012Validator(published["submission.schema.json"], registry=registry)


def _timed(fn: Any) -> tuple[float, Any]:
    started = time.process_time()  # CPU time: steadier than wall time on a shared machine
    value = fn()
    return time.process_time() - started, value


def measure(total: int, jsonschema_records: int) -> dict[str, Any]:
    """Every stage on one document of ``total`` records (runs in the worker subprocess)."""
    import gc

    import orjson

    from krat_core.format.canonical import gc_paused, load_submission
    from krat_core.plugins.manager import load_plugins
    from krat_core.validation.engine import validate

    registry = load_plugins()
    raw = build(total)
    out: dict[str, Any] = {"records": total, "bytes": len(raw)}
    with gc_paused():  # load_submission pauses the collector too: equal conditions for the floor
        out["parse"], data = _timed(partial(orjson.loads, raw))
    if jsonschema_records:
        validator = _jsonschema_validator()
        half = jsonschema_records // 2
        sample = dict(data)
        sample["cases"] = data["cases"][:half]
        sample["activities"] = data["activities"][: jsonschema_records - half]
        elapsed, errors = _timed(lambda: sum(1 for _ in validator.iter_errors(sample)))
        assert errors == 0, f"jsonschema found {errors} errors in valid data"
        out["jsonschema"] = elapsed
        out["jsonschema_records"] = len(sample["cases"]) + len(sample["activities"])
    del data
    gc.collect()
    out["load"], submission = _timed(partial(load_submission, raw))
    del raw
    out["rules"], report = _timed(partial(validate, submission, registry))
    assert report.findings == (), report.counts_by_code
    out["rule_count"] = len(report.rules)
    out["checks"] = sum(
        len(getattr(submission, attr))
        * sum(
            1
            for r in registry.rules.values()
            if r.scope == "record"
            and kind in r.kinds
            and (r.regions is None or submission.region in r.regions)
        )
        for kind, attr in (
            ("institution", "institutions"),
            ("case", "cases"),
            ("activity", "activities"),
            ("objective", "objectives"),
        )
    )
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _worker(total: int, jsonschema_records: int) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.bench_validate",
            "--worker",
            str(total),
            "--worker-jsonschema",
            str(jsonschema_records),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _print_side_by_side(total: int, repeat: int) -> None:
    """Issue 11's targets: orjson, load and full validation of ``total`` records, both GC
    methods, in a fresh interpreter (see :func:`benchmarks.bench_load.side_by_side`)."""
    from benchmarks.bench_load import METHODS, side_by_side_summary, side_by_side_table

    print(f"  measuring side by side: {total:,} records, {repeat} rounds...", file=sys.stderr)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.bench_validate",
            "--worker-side",
            str(total),
            "--repeat",
            str(repeat),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    best = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"### Issue 11: {total:,} records (half cases, half activities), side by side\n")
    print(
        f"Same bytes, best of {repeat} interleaved rounds, ratios on CPU time. GC methods: "
        + "; ".join(f"*{m}*: {what}" for m, what in METHODS.items())
        + ".\n"
    )
    print("\n".join(side_by_side_table(best, total)))
    print(f"\n{side_by_side_summary(best)}\n")


def _us(seconds: float, records: int) -> str:
    return f"{seconds / records * 1e6:.1f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument(
        "--jsonschema-max",
        type=int,
        default=10_000,
        help="run jsonschema on sizes up to this many records",
    )
    parser.add_argument(
        "--jsonschema-all",
        action="store_true",
        help="run jsonschema on every record of the headline size",
    )
    parser.add_argument(
        "--side-by-side",
        type=int,
        default=100_000,
        metavar="N",
        help="records of the issue-11 side-by-side run (orjson, load, full; both GC methods); "
        "0 to skip",
    )
    parser.add_argument("--repeat", type=int, default=5, help="rounds of the side-by-side run")
    parser.add_argument("--only-side-by-side", action="store_true", help="skip the other tables")
    parser.add_argument("--worker-side", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker-jsonschema", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(measure(args.worker, args.worker_jsonschema)))
        return
    if args.worker_side:
        from benchmarks.bench_load import side_by_side

        print(json.dumps(side_by_side(build(args.worker_side), args.repeat)))
        return
    if args.side_by_side:
        _print_side_by_side(args.side_by_side, args.repeat)
        if args.only_side_by_side:
            return

    started = time.perf_counter()
    rows = []
    for total in sorted(set(args.sizes)):
        js = total if total <= args.jsonschema_max else 0
        print(f"  measuring {total:,} records...", file=sys.stderr)
        rows.append(_worker(total, js))
    sample = HEADLINE if args.jsonschema_all else 10_000
    print(f"  measuring the headline: {HEADLINE:,} records...", file=sys.stderr)
    head = _worker(HEADLINE, sample)

    print(
        f"### Linear cost: {rows[0]['records']:,} to {rows[-1]['records']:,} records "
        "(half cases, half activities)\n"
    )
    print(
        "| records | JSON MiB | orjson.loads | load (models) | rules | full (load + rules) "
        "| full µs/record | rules µs/record | jsonschema | full vs jsonschema | peak MiB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        n = r["records"]
        full = r["load"] + r["rules"]
        js = f"{r['jsonschema']:.2f} s" if "jsonschema" in r else "—"
        ratio = f"{r['jsonschema'] / full:.1f}x faster" if "jsonschema" in r else "—"
        print(
            f"| {n:,} | {r['bytes'] / 2**20:.1f} | {r['parse']:.2f} s | {r['load']:.2f} s "
            f"| {r['rules']:.2f} s | {full:.2f} s | {_us(full, n)} | {_us(r['rules'], n)} "
            f"| {js} | {ratio} | {r['peak_mib']:.0f} |"
        )

    n = head["records"]
    full = head["load"] + head["rules"]
    js_n = head["jsonschema_records"]
    js_all = head["jsonschema"] * n / js_n
    measured = "measured" if js_n == n else f"measured on {js_n:,} of the records, x{n // js_n}"
    print(
        f"\n### Headline: 10^5 cases + 10^5 activities ({n:,} records, "
        f"{head['rule_count']} rules, {head['checks']:,} record checks)\n"
    )
    print("| what | time | µs/record | vs full validation |")
    print("|---|---:|---:|---:|")
    print(
        f"| orjson.loads (parsing only) | {head['parse']:.2f} s | {_us(head['parse'], n)} "
        f"| {head['parse'] / full:.2f}x |"
    )
    print(
        f"| load_submission (models only: the floor) | {head['load']:.2f} s "
        f"| {_us(head['load'], n)} | {head['load'] / full:.2f}x |"
    )
    print(
        f"| **full validation** (models + every built-in rule) | **{full:.2f} s** "
        f"| {_us(full, n)} | 1.00x |"
    )
    print(
        f"| jsonschema (Python), shape only ({measured}) | {js_all:.1f} s "
        f"| {_us(js_all, n)} | **{js_all / full:.1f}x slower** |"
    )
    print(
        f"\nRules alone: {head['rules']:.2f} s ({_us(head['rules'], n)} µs/record); "
        f"full validation costs {full / head['load']:.2f}x loading alone. "
        f"Total benchmark time {time.perf_counter() - started:.0f} s."
    )


if __name__ == "__main__":
    main()
