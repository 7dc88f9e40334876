"""Benchmark: command-line start-up, against ``python -c pass`` (the floor).

Run from the repository root::

    python -m benchmarks.bench_startup                # 21 runs of each command
    python -m benchmarks.bench_startup --repeat 41

Each command runs as a fresh subprocess (as a person or a script runs it), in
turn with the others so that machine load affects all of them alike; the median
wall-clock time of each is compared with the median of ``python -c pass``, the
cost of starting the interpreter at all. Commands:

- ``krat --version`` and ``krat --help``: must not load plugins' heavy
  libraries (openpyxl, python-calamine, python-docx, matplotlib); ``--help``
  imports every plugin module (plugins may add commands);
- ``krat plugins``: loads every installed plugin and builds the registry;
- ``krat plugins`` with ``KRAT_PLUGINS=`` (built-ins only).

Also prints which heavy libraries each command imported (``-X importtime``),
which must be none. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("openpyxl", "python_calamine", "docx", "matplotlib", "pydantic")


def _krat() -> list[str]:
    script = Path(sys.executable).with_name("krat")
    if script.exists():
        return [str(script)]
    found = shutil.which("krat")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from krat_core.cli import main; main(sys.argv[1:])"]


def commands() -> list[tuple[str, list[str], dict[str, str]]]:
    """``(label, argv, extra environment)`` of each command timed; the floor first."""
    krat = _krat()
    return [
        ("python -c pass (floor)", [sys.executable, "-c", "pass"], {}),
        ("krat --version", [*krat, "--version"], {}),
        ("krat --help", [*krat, "--help"], {}),
        ("krat plugins", [*krat, "plugins"], {}),
        ("KRAT_PLUGINS= krat plugins", [*krat, "plugins"], {"KRAT_PLUGINS": ""}),
    ]


def _run(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def heavy_imports(argv: list[str], env: dict[str, str]) -> list[str]:
    """Top-level packages among ``HEAVY`` that the command imported."""
    if argv[0] != sys.executable:
        argv = [sys.executable, "-X", "importtime", *argv]  # the console script is Python
    else:
        argv = [sys.executable, "-X", "importtime", *argv[1:]]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    names = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.splitlines()}
    return sorted(names & set(HEAVY))


def main(argv: list[str] | None = None) -> None:
    """Time each command ``--repeat`` times and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21, help="runs of each command")
    args = parser.parse_args(argv)

    base_env = {k: v for k, v in os.environ.items() if k != "KRAT_PLUGINS"}
    table = commands()
    for _label, cmd, extra in table:  # warm the file cache once
        _run(cmd, {**base_env, **extra})
    times: dict[str, list[float]] = {label: [] for label, _cmd, _extra in table}
    for _ in range(args.repeat):
        for label, cmd, extra in table:
            times[label].append(_run(cmd, {**base_env, **extra}))

    floor = statistics.median(times[table[0][0]])
    print(f"Command-line start-up, median of {args.repeat} runs each (fresh processes)\n")
    print("| command | median | min | ratio to `python -c pass` | heavy imports |")
    print("|---|---:|---:|---:|---|")
    for label, cmd, extra in table:
        median = statistics.median(times[label])
        heavy = (
            "-"
            if label.startswith("python")
            else ", ".join(heavy_imports(cmd, {**base_env, **extra})) or "none"
        )
        print(
            f"| {label} | {median * 1000:.0f} ms | {min(times[label]) * 1000:.0f} ms "
            f"| {median / floor:.1f}x | {heavy} |"
        )


if __name__ == "__main__":
    main()
