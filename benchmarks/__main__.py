"""Run every ``benchmarks/bench_*.py`` module in turn: ``python -m benchmarks [-k NAME]``.

Each module runs in its own interpreter (``python -m benchmarks.bench_<area>``), so
one benchmark's memory and imports do not affect the next. Its Markdown output is
printed as it comes. The exit status is 1 when any benchmark failed or missed a target.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def modules() -> list[str]:
    """The benchmark modules, ``bench_<area>``, in name order."""
    return sorted(path.stem for path in HERE.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks selected by ``-k`` (all by default); return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "-k",
        dest="only",
        action="append",
        default=[],
        help="run only modules whose name contains this (repeatable)",
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    selected = [m for m in modules() if not args.only or any(k in m for k in args.only)]
    if args.list:
        print("\n".join(selected))
        return 0
    failed = []
    for name in selected:
        print(f"\n## {name}\n", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], cwd=HERE.parent)
        print(
            f"\n_{name}: {time.perf_counter() - started:.0f} s, exit status {done.returncode}_",
            flush=True,
        )
        if done.returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nFailed or missed a target: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
