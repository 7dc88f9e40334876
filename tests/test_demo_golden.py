"""The demo's output is the same as before the library/CLI split (issue #10).

`krat demo` runs the whole pipeline; this test compares what it prints (with
the output folder and timings normalised) and every deterministic file it
writes (canonical JSON, the CSV zip's members, the calendar, the validation
reports, and the XML parts of the Word and Excel files) against golden files
made by the code before the move. Office files are compared part by part: their
``docProps/core.xml`` holds the time they were written and is left out, the
report date (today) is normalised, and chart images (which depend on the
installed matplotlib and fonts) are only checked to be there.

To regenerate the golden files from a demo run (``krat demo -o DIR --lang en > LOG``)::

    python tests/test_demo_golden.py DIR LOG
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

GOLDEN = Path(__file__).parent / "data" / "golden" / "demo"
OUT = "<OUT>"
_TIMING = re.compile(r"\d+\.\d s\b")
_HASHED = (".json", ".ics")
"""Files compared by the hash of their bytes (the output folder replaced by ``<OUT>``)."""
_ARCHIVES = (".zip", ".docx", ".xlsx")
"""Files compared member by member."""
_WRITTEN_AT = "docProps/core.xml"
"""The office member that records when the file was written: left out."""
_MEDIA = re.compile(r"^(word|xl)/media/")
"""Chart images: only their presence is compared."""
_DATABASES = (".sqlite",)
"""The demo's archive (step 6): its pages record when rows were added, so only its
presence is compared; what it holds is compared through the files made from it."""


def normalise_stdout(text: str, out: Path) -> str:
    """The demo's stdout with the output folder as ``<OUT>`` and timings as ``<T> s``."""
    return _TIMING.sub("<T> s", text.replace(str(out), OUT))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _today(data: bytes, today: date) -> bytes:
    """``data`` with ``today`` (as the reports print it, in both languages) as ``<TODAY>``."""
    for text in (today.strftime("%d.%m.%Y"), today.isoformat()):
        data = data.replace(text.encode("ascii"), b"<TODAY>")
    return data


def _archive_digest(path: Path, today: date) -> str:
    """One digest over an archive's members: names and (normalised) bytes, in name order.

    The archive's own bytes also record when each member was written, so they
    are not compared; an office file's ``docProps/core.xml`` is left out, and a
    chart image counts by its name only.
    """
    digest = hashlib.sha256()
    with zipfile.ZipFile(path) as archive:
        for member in sorted(archive.namelist()):
            if member == _WRITTEN_AT:
                continue
            digest.update(member.encode("utf-8") + b"\0")
            if not _MEDIA.match(member):
                digest.update(_digest(_today(archive.read(member), today)).encode("ascii"))
    return digest.hexdigest()


def demo_manifest(out: Path, today: date | None = None) -> dict[str, str]:
    """Every file of a demo run under ``out``, with its normalised digest.

    ``today`` is the day of the run (the reports print it). The CSV zip is also
    listed member by member (``name.zip!member``), so a difference names the table.
    """
    today = today or date.today()
    manifest: dict[str, str] = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(out).as_posix()
        if path.suffix in _ARCHIVES:
            manifest[name] = _archive_digest(path, today)
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    for member in sorted(archive.namelist()):
                        manifest[f"{name}!{member}"] = _digest(archive.read(member))
        elif path.suffix in _DATABASES:
            manifest[name] = "database"
        elif path.suffix in _HASHED:
            data = path.read_bytes().replace(str(out).encode("utf-8"), OUT.encode("utf-8"))
            manifest[name] = _digest(data)
        else:
            manifest[name] = "unexpected file"
    return manifest


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One `krat demo` run: its output folder and its stdout."""
    from krat_core.cli import cli

    out = tmp_path_factory.mktemp("golden") / "demo"
    result = CliRunner().invoke(
        cli, ["demo", "--output", str(out), "--lang", "en"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return out, result.stdout


def test_demo_stdout_matches_the_golden_run(demo_run: tuple[Path, str]) -> None:
    out, stdout = demo_run
    golden = (GOLDEN / "stdout.txt").read_text(encoding="utf-8")
    assert normalise_stdout(stdout, out).splitlines() == golden.splitlines()


def test_demo_files_match_the_golden_run(demo_run: tuple[Path, str]) -> None:
    out, _ = demo_run
    manifest = demo_manifest(out)
    expected = json.loads((GOLDEN / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest) == sorted(expected), "the demo writes other files than before"
    changed = [name for name in expected if manifest[name] != expected[name]]
    assert changed == []


def test_the_validation_reports_of_the_planted_mistakes_are_unchanged(
    demo_run: tuple[Path, str],
) -> None:
    """The two invalid regions' JSON reports, compared as documents for a readable diff."""
    out, _ = demo_run
    for region in ("AL-02", "AL-10"):
        name = f"{region}-2024.validation.json"
        text = (out / "validation" / name).read_text(encoding="utf-8").replace(str(out), OUT)
        golden = (GOLDEN / name).read_text(encoding="utf-8")
        assert json.loads(text) == json.loads(golden)


def _regenerate(out: Path, log: Path) -> None:  # pragma: no cover - a maintainer's tool
    GOLDEN.mkdir(parents=True, exist_ok=True)
    stdout = normalise_stdout(log.read_text(encoding="utf-8"), out)
    (GOLDEN / "stdout.txt").write_text(stdout, encoding="utf-8")
    run_day = date.fromtimestamp(log.stat().st_mtime)  # the reports carry the day of the run
    manifest = json.dumps(demo_manifest(out, run_day), indent=1, sort_keys=True) + "\n"
    (GOLDEN / "manifest.json").write_text(manifest, encoding="utf-8")
    for region in ("AL-02", "AL-10"):
        name = f"{region}-2024.validation.json"
        text = (out / "validation" / name).read_text(encoding="utf-8").replace(str(out), OUT)
        (GOLDEN / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    _regenerate(Path(sys.argv[1]), Path(sys.argv[2]))
