"""`krat report`, exporter choice, atomic writes and missing optional dependencies."""

from __future__ import annotations

import sys
from pathlib import Path

import docx
import pytest

from krat_core import hookimpl
from krat_core.atomic import atomic_path
from krat_core.cli import cli
from krat_core.errors import (
    ExportError,
    ExporterUnavailable,
    PluginError,
    ReportOptionError,
    UnknownOutputFormat,
)
from krat_core.format.canonical import dump_submission
from krat_core.format.models import Submission
from krat_core.plugins.descriptors import Exporter, ExportOptions
from krat_core.plugins.manager import load_plugins
from krat_core.reporting import choose_exporter, export


@pytest.fixture(scope="module")
def registry():
    return load_plugins()


@pytest.fixture
def durres_file(tmp_path: Path, durres_2024: Submission) -> Path:
    path = tmp_path / "AL-02-2024.json"
    path.write_bytes(dump_submission(durres_2024))
    return path


def test_exporter_by_suffix_and_name(registry) -> None:
    assert choose_exporter(registry, Path("a.docx")).name == "docx"
    assert choose_exporter(registry, Path("a.XLSX")).name == "xlsx"  # not htcds or template
    assert choose_exporter(registry, Path("a.zip")).name == "csv"
    assert choose_exporter(registry, Path("a.xlsx"), "htcds").name == "htcds"
    with pytest.raises(UnknownOutputFormat, match="name the format") as caught:
        choose_exporter(registry, Path("a.pdf"))
    assert "--" not in str(caught.value)  # a library message names no command-line option
    with pytest.raises(PluginError, match="docx"):
        choose_exporter(registry, Path("a.pdf"), "dox")


class _Failing:
    """A plugin whose writer writes half a file and then fails."""

    @hookimpl
    def krat_exporters(self) -> list[Exporter]:
        return [Exporter(name="half", suffix=".half", media_type="text/plain", write=self.write)]

    def write(self, dataset: object, path: Path, options: ExportOptions) -> None:
        path.write_bytes(b"half a report")
        raise RuntimeError("disk on fire")


def test_failing_writer_leaves_nothing(tmp_path: Path, durres_2024: Submission) -> None:
    registry = load_plugins(plugins=[("half-plugin", _Failing())])
    target = tmp_path / "report.half"
    with pytest.raises(ExportError, match="half-plugin") as info:
        export(durres_2024, target, registry=registry)
    assert "disk on fire" in str(info.value)
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"last year's report")
    with pytest.raises(ExportError):
        export(durres_2024, target, registry=registry)
    assert target.read_bytes() == b"last year's report"
    assert list(tmp_path.iterdir()) == [target]


def test_built_in_writer_failing_mid_way(tmp_path, durres_2024, registry, monkeypatch) -> None:
    """The Word writer fails after writing part of the document: the old file stays."""
    import krat_plugins.exporters.docx as word

    target = tmp_path / "analiza.docx"
    export(durres_2024, target, registry=registry)
    before = target.read_bytes()

    def boom(*args: object, **kwargs: object) -> tuple[bytes, int]:
        raise RuntimeError("chart failed")

    monkeypatch.setattr(word, "_chart_png", boom)
    with pytest.raises(ExportError, match="docx"):
        export(durres_2024, target, options=ExportOptions(lang="en"), registry=registry)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["analiza.docx"]


def test_folder_output_replaced_atomically(tmp_path, durres_2024, registry) -> None:
    folder = tmp_path / "csv"
    records = ExportOptions(records=True)
    export(durres_2024, folder, format="csv", options=records, registry=registry)
    (folder / "stale.txt").write_text("old")
    export(durres_2024, folder, format="csv", options=records, registry=registry)
    assert not (folder / "stale.txt").exists()
    assert (folder / "records" / "cases.csv").is_file()
    with atomic_path(tmp_path / "x", directory=True) as tmp:
        assert tmp.is_dir()


@pytest.mark.parametrize(
    ("fmt", "module", "extra"),
    [
        ("docx", "docx", "krat[word]"),
        ("docx", "matplotlib.backends.backend_agg", "krat[word]"),
        ("xlsx", "xlsxwriter", "krat[excel]"),
        ("htcds", "openpyxl", "krat[excel]"),
    ],
)
def test_missing_extra(tmp_path, durres_2024, registry, monkeypatch, fmt, module, extra) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    import re

    with pytest.raises(ExporterUnavailable, match=re.escape(f"install {extra}")):
        export(
            durres_2024,
            tmp_path / f"out.{fmt}",
            format=fmt,
            options=ExportOptions(records=True),
            registry=registry,
        )
    assert list(tmp_path.iterdir()) == []


def test_bad_options(tmp_path, durres_2024, registry) -> None:
    with pytest.raises(ReportOptionError, match="at least 3"):
        export(
            durres_2024, tmp_path / "a.docx", options=ExportOptions(suppress=1), registry=registry
        )
    (tmp_path / "folder.docx").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        export(durres_2024, tmp_path / "folder.docx", registry=registry)


# --------------------------------------------------------------------------- CLI


def test_cli_report(runner, tmp_path, durres_file, durres_2024) -> None:
    out = tmp_path / "durres.docx"
    result = runner.invoke(
        cli, ["report", str(durres_file), "-o", str(out), "--date", "2025-02-10"]
    )
    assert result.exit_code == 0, result.output
    assert "raport rajonal (AL-02)" in result.output  # Albanian by default
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs[:8])
    assert "Qarku Durrës" in text and "10.02.2025" in text
    english = tmp_path / "durres-en.docx"
    again = runner.invoke(cli, ["report", str(durres_file), "-o", str(english), "--lang", "en"])
    assert "regional (AL-02) report" in again.output


def test_cli_no_suppress_is_stated(runner, tmp_path, durres_file) -> None:
    out = tmp_path / "internal.docx"
    result = runner.invoke(
        cli, ["report", str(durres_file), "-o", str(out), "--no-suppress", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "INTERNAL USE ONLY" in result.output
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs[:8])
    assert "FOR INTERNAL USE ONLY" in text


def test_cli_compare_and_formats(runner, tmp_path, durres_file) -> None:
    from krat_core.demo.synthetic import generate_submission

    earlier = tmp_path / "AL-02-2023.json"
    earlier.write_bytes(dump_submission(generate_submission("AL-02", 2023)))
    out = tmp_path / "durres.xlsx"
    result = runner.invoke(
        cli,
        ["report", str(durres_file), "-o", str(out), "--compare", str(earlier), "--suppress", "10"],
    )
    assert result.exit_code == 0, result.output
    import openpyxl

    names = openpyxl.load_workbook(out).sheetnames
    assert any("Krahasim" in n for n in names)
    ics = tmp_path / "k.ics"
    assert runner.invoke(cli, ["report", str(durres_file), "-o", str(ics)]).exit_code == 0
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--suppress", "2"], "at least 3"),
        (["--suppress", "5", "--no-suppress"], "not both"),
        (["--format", "pdf"], "no exporter"),
    ],
)
def test_cli_errors(runner, tmp_path, durres_file, args, message) -> None:
    target = str(tmp_path / "x.docx")
    result = runner.invoke(cli, ["report", str(durres_file), "-o", target, *args, "--lang", "en"])
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "x.docx").exists()


def test_cli_unreadable_input(runner, tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = runner.invoke(cli, ["report", str(bad), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_demo_step_writes_every_format(tmp_path, national_2024, registry) -> None:
    from krat_core.demo.scenario import DemoResult, step_reports

    demo = DemoResult(out=tmp_path, year=2024, seed=0)
    for s in national_2024:
        path = tmp_path / "submissions" / f"{s.region}-{s.period}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(dump_submission(s))
        demo.submissions[s.region] = path
    step_reports(demo, registry)  # no combine step ran: the report step combines the twelve
    names = sorted(p.name for p in demo.written if p.parent.name == "reports")
    assert names == sorted(p.name for p in (tmp_path / "reports").iterdir())
    # the previous year's dataset, next to the national one (the README walk-through's input)
    assert tmp_path / "national-2023.json" in demo.written
    suffixes = {p.suffix for p in demo.written}
    assert suffixes == {".docx", ".xlsx", ".zip", ".ics", ".json"}
    assert "analiza-vjetore-AL-02-2024.docx" in names
    assert len(names) == 8


def test_cli_config_and_csv_dialect(runner, tmp_path, durres_file) -> None:
    config = tmp_path / "krat.toml"
    config.write_text('[report]\nissuer = "KRAT Durrës"\nplace = "Durrës"\n', encoding="utf-8")
    out = tmp_path / "a.docx"
    result = runner.invoke(
        cli,
        [
            "report",
            str(durres_file),
            "-o",
            str(out),
            "--config",
            str(config),
            "--date",
            "2025-02-10",
        ],
    )
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs[:8])
    assert "KRAT Durrës" in text and "Durrës, më 10.02.2025" in text
    bad = tmp_path / "bad.toml"
    bad.write_text("[report]\nissuer_typo = 'x'\n", encoding="utf-8")
    refused = runner.invoke(
        cli, ["report", str(durres_file), "-o", str(tmp_path / "b.docx"), "--config", str(bad)]
    )
    assert refused.exit_code == 2 and "issuer_typo" in refused.output
    assert not (tmp_path / "b.docx").exists()
    zipped = tmp_path / "eu.zip"
    result = runner.invoke(
        cli, ["report", str(durres_file), "-o", str(zipped), "--csv-dialect", "excel-eu"]
    )
    assert result.exit_code == 0, result.output
    import zipfile

    with zipfile.ZipFile(zipped) as z:
        assert b";" in z.read("tables/referral.csv").splitlines()[0]
