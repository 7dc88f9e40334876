"""Benchmark: peak memory of hostile and worst-case inputs within the documented limits.

Run from the repository root::

    python -m benchmarks.bench_memory            # every case
    python -m benchmarks.bench_memory -k strings # the cases whose name contains "strings"

Each input is built here (nothing binary in the repository), then imported in a
fresh interpreter (``import_files`` with the built-in plugins, as ``krat import``
does); the peak resident set size of that process (``ru_maxrss`` from
``wait4``) is the figure. The target is every case under 1 GiB (issue 11),
whether the input is read or refused. The outcome column says which: the
refusal code, or how many records and findings were read.

The cases:

- ``no-refs-wide``: a workbook whose sheet has one row of 250,000 ``<c>`` cells
  without ``r`` references (distinct values, so the zip-bomb ratio guard does not
  catch it first);
- ``no-refs-rows``: 10,000 such rows of 100 cells;
- ``huge-dimension``: a ``<dimension ref="A1:XFD1048576"/>`` and one cell;
- ``shared-strings``: 3,000,000 short distinct shared strings;
- ``junk-rows``: a CSV of 1,000,000 one-character rows, each rejected (within
  the 2,000,000-row limit: read, every row a finding);
- ``csv-columns``: a CSV row of 1,000,000 fields;
- ``huge-id``: a JSON submission whose case id is 1 MB;
- ``duplicate-keys``: the issue's attack at scale: a JSON submission of 100,000
  cases (about 80 MB) followed by a second ``"cases": []``, so that a last-wins
  parser would read no case;
- ``far-future``: a JSON submission of 1,000 cases, ``submitted_at`` in 2099,
  named for another region (read, then refused by validation: the probe runs
  every built-in rule on what it read and lists the error codes);
- ``controls-everywhere``: a JSON submission of 20,000 activities (and the
  synthetic institutions) whose every text field holds control characters, separators,
  bidirectional overrides and noncharacters (refused by the text rules, the
  message naming the first ten fields).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

GIB = 1024**3
TARGET = 1 * GIB

_PROBE = """
import sys
from pathlib import Path
from krat_core.errors import ImportRefused, KratError
from krat_core.importing import import_files
from krat_core.plugins.descriptors import ImportOptions
from krat_core.plugins.manager import load_plugins
from krat_core.validation.engine import validate_import
try:
    registry = load_plugins(env={"KRAT_PLUGINS": ""})
    r = import_files([Path(sys.argv[1])], ImportOptions(region="AL-02", period="2024"), registry)
    report = validate_import(r, registry)
    errors = sorted({f.code for f in report.findings if f.severity.value == "error"})
    print(f"read: {len(r.submission.records())} records, {len(r.findings)} findings; "
          f"validation errors: {', '.join(errors) or 'none'}")
except ImportRefused as exc:
    print(f"refused: {exc.code}")
except KratError as exc:
    print(f"refused: {type(exc).__name__}")
"""


def _template(folder: Path) -> Path:
    from krat_core.demo.synthetic import generate_submission
    from krat_plugins.exporters.template import write_template

    path = folder / "base.xlsx"
    if not path.exists():
        write_template(path, generate_submission("AL-02", 2024, cases=5, activities=2))
    return path


def _with_part(folder: Path, name: str, part: str, change: Callable[[bytes], bytes]) -> Path:
    source = _template(folder)
    target = folder / name
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == part:
                data = change(data)
            new.writestr(info.filename, data)
        if part not in old.namelist():
            new.writestr(part, change(b""))
    return target


def _cells(n: int, start: int = 0) -> bytes:
    """``n`` cells without references, with distinct values (so not a zip bomb)."""
    return b"".join(b"<c><v>%d</v></c>" % (start + i) for i in range(n))


def no_refs_wide(folder: Path) -> Path:
    row = b"<row>" + _cells(250_000) + b"</row>"
    return _with_part(
        folder,
        "wide.xlsx",
        "xl/worksheets/sheet4.xml",
        lambda d: d.replace(b"</sheetData>", row + b"</sheetData>"),
    )


def no_refs_rows(folder: Path) -> Path:
    rows = b"".join(b"<row>" + _cells(100, i * 100) + b"</row>" for i in range(10_000))
    return _with_part(
        folder,
        "rows.xlsx",
        "xl/worksheets/sheet4.xml",
        lambda d: d.replace(b"</sheetData>", rows + b"</sheetData>"),
    )


def huge_dimension(folder: Path) -> Path:
    return _with_part(
        folder,
        "dimension.xlsx",
        "xl/worksheets/sheet4.xml",
        lambda d: d.replace(b"<sheetViews>", b'<dimension ref="A1:XFD1048576"/><sheetViews>'),
    )


def shared_strings(folder: Path) -> Path:
    body = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    body += b"".join(b"<si><t>%x</t></si>" % i for i in range(3_000_000)) + b"</sst>"
    return _with_part(folder, "strings.xlsx", "xl/sharedStrings.xml", lambda _d: body)


def junk_rows(folder: Path) -> Path:
    path = folder / "rastet.csv"
    header = "id,subject_ref,status,identified_on,identification_source,sex,minor\n"
    path.write_text(header + "x\n" * 1_000_000, encoding="utf-8")
    return path


def csv_columns(folder: Path) -> Path:
    path = folder / "aktivitetet.csv"
    path.write_text("id,title\n" + "," * 1_000_000 + "\n", encoding="utf-8")
    return path


def huge_id(folder: Path) -> Path:
    import orjson

    from krat_core.demo.synthetic import generate_submission
    from krat_core.format.canonical import dump_submission

    data = orjson.loads(dump_submission(generate_submission("AL-02", 2024, cases=2)))
    data["cases"][0]["id"] = "AL-02-C-2024-" + "1" * 1_000_000
    path = folder / "AL-02-2024.json"
    path.write_bytes(orjson.dumps(data))
    return path


def duplicate_keys(folder: Path) -> Path:
    from krat_core.demo.synthetic import generate_submission
    from krat_core.format.canonical import dump_submission

    raw = dump_submission(generate_submission("AL-02", 2024, cases=100_000, activities=0))
    path = folder / "AL-02-2024-dup.json"
    path.write_bytes(raw.rstrip().removesuffix(b"}") + b',"cases":[]}\n')
    return path


def far_future(folder: Path) -> Path:
    import orjson

    from krat_core.demo.synthetic import generate_submission
    from krat_core.format.canonical import dump_submission

    data = orjson.loads(dump_submission(generate_submission("AL-02", 2024, cases=1_000)))
    data["submitted_at"] = "2099-12-31T23:59:59Z"
    path = folder / "AL-05-2024.json"  # named for Elbasan, declaring Durrës
    path.write_bytes(orjson.dumps(data))
    return path


_HOSTILE_TEXT = "A\x00B\x1b[2J\u2028C\u202eD\ufffeE\tF\nG\x85"
"""NUL, an escape sequence, a line separator, a bidi override, a noncharacter, tab,
line feed and a C1 control: every class the text rules refuse in one value."""


def controls_everywhere(folder: Path) -> Path:
    import orjson

    from krat_core.demo.synthetic import generate_submission
    from krat_core.format.canonical import dump_submission

    data = orjson.loads(dump_submission(generate_submission("AL-02", 2024, activities=20_000)))
    text_fields = {"title", "title_en", "municipality", "place", "name"}
    for record in [*data["activities"], *data["institutions"]]:
        for key in text_fields & record.keys():
            record[key] = _HOSTILE_TEXT
    path = folder / "AL-02-2024-controls.json"
    path.write_bytes(orjson.dumps(data))
    return path


CASES: dict[str, Callable[[Path], Path]] = {
    "no-refs-wide": no_refs_wide,
    "no-refs-rows": no_refs_rows,
    "huge-dimension": huge_dimension,
    "shared-strings": shared_strings,
    "junk-rows": junk_rows,
    "csv-columns": csv_columns,
    "huge-id": huge_id,
    "duplicate-keys": duplicate_keys,
    "far-future": far_future,
    "controls-everywhere": controls_everywhere,
}


def measure(path: Path) -> tuple[int, float, str]:
    """Import ``path`` in a fresh interpreter: (peak RSS in bytes, seconds, outcome)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _PROBE, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    out = proc.stdout.read().strip()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        out = f"crashed (exit {proc.returncode})"
    return usage.ru_maxrss * 1024, seconds, out  # ru_maxrss is in KiB on Linux


def _build_apart(name: str, folder: Path) -> Path:
    """Build a case in its own interpreter: this process stays small, and a child's
    ``ru_maxrss`` starts from the size of the process it was forked from."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_memory", "--build", name, str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(done.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    """Build each case, import it, print a Markdown table; 1 when a case misses the target."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_memory")
    parser.add_argument("-k", dest="only", default="", help="only cases whose name has this")
    parser.add_argument("--build", nargs=2, metavar=("CASE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        print(CASES[args.build[0]](Path(args.build[1])))
        return 0
    print("| case | input size | peak RSS | time | outcome |")
    print("|---|---:|---:|---:|---|")
    missed = []
    with tempfile.TemporaryDirectory(prefix="krat-bench-memory-") as tmp:
        folder = Path(tmp)
        for name in CASES:
            if args.only not in name:
                continue
            path = _build_apart(name, folder)
            peak, seconds, outcome = measure(path)
            size = path.stat().st_size
            print(
                f"| {name} | {size / 1024:,.0f} KiB | {peak / 1024**2:,.0f} MiB | "
                f"{seconds:.1f} s | {outcome} |",
                flush=True,
            )
            if peak >= TARGET or outcome.startswith("crashed"):
                missed.append(name)
    verdict = f"MISSED: {', '.join(missed)}" if missed else "met"
    print(f"\nEvery case under 1 GiB peak RSS: **{verdict}**.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
