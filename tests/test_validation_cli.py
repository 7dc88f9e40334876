"""`krat validate`, its exit codes and outputs, the annotated workbook and the demo step."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from krat_core.cli import cli
from krat_core.demo.scenario import DemoResult, step_generate, step_validate
from krat_core.demo.synthetic import generate_submission
from krat_core.findings import Finding, Severity, SourcePosition
from krat_core.format.canonical import dump_submission
from krat_core.format.models import Submission
from krat_core.plugins.manager import Registry, load_plugins
from krat_core.validation.engine import ValidationReport


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_plugins()


@pytest.fixture(scope="module")
def clean() -> Submission:
    return generate_submission("AL-08", 2024, seed=4)


def _bad(sub: Submission) -> Submission:
    cases = list(sub.cases)
    c = next(c for c in cases if c.referral is not None)
    i = cases.index(c)
    assert c.referral is not None
    early = c.referral.model_copy(update={"referred_on": c.identified_on - timedelta(days=2)})
    cases[i] = c.model_copy(update={"referral": early})
    return sub.model_copy(update={"cases": cases})


def _warned(sub: Submission) -> Submission:
    acts = list(sub.activities)
    acts[0] = acts[0].model_copy(
        update={"start": acts[0].start.replace(year=2023), "end": None, "observance": None}
    )
    return sub.model_copy(update={"activities": acts})


def _write(tmp_path: Path, name: str, sub: Submission) -> Path:
    path = tmp_path / name
    path.write_bytes(dump_submission(sub))
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_clean_submission_exits_0(tmp_path: Path, clean: Submission) -> None:
    code, out, _ = _run("validate", str(_write(tmp_path, "ok.json", clean)))
    assert code == 0
    assert "I VLEFSHËM" in out and "Lezhë (AL-08)" in out


def test_errors_exit_1_and_are_explained(tmp_path: Path, clean: Submission) -> None:
    path = _write(tmp_path, "bad.json", _bad(clean))
    code, out, _ = _run("validate", str(path), "--lang", "en")
    assert code == 1
    assert "case.referral-before-identification" in out and "NOT VALID" in out
    code, out, _ = _run("validate", str(path), "--lang", "sq")
    assert "Data e referimit" in out and "është para datës së identifikimit" in out


def test_fail_on_warning(tmp_path: Path, clean: Submission) -> None:
    path = _write(tmp_path, "warn.json", _warned(clean))
    assert _run("validate", str(path))[0] == 0
    assert _run("validate", str(path), "--fail-on", "warning")[0] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"{not json", "not valid JSON"), (b'{"format": "x"}', "format")],
)
def test_unreadable_input_exits_2_without_traceback(
    tmp_path: Path, clean: Submission, content: bytes, message: str
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_bytes(content)
    good = _write(tmp_path, "good.json", clean)
    code, out, err = _run("validate", str(broken), str(good), "--lang", "en")
    assert code == 2
    assert "Traceback" not in out + err
    assert "broken.json" in err and message in err
    assert "Lezhë (AL-08)" in out  # the readable input is still reported


def test_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = _run("validate", str(tmp_path / "nowhere.json"))
    assert code == 2 and "nowhere.json" in err and "Traceback" not in err


def test_json_output_one_and_many(tmp_path: Path, clean: Submission) -> None:
    one = _write(tmp_path, "one.json", _bad(clean))
    code, out, _ = _run("validate", str(one), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["format"] == "krat-validation-report" and data["version"] == 1
    assert data["sources"] == [str(one)]
    assert data["counts"]["by_code"] == {"case.referral-before-identification": 1}
    two = _write(tmp_path, "two.json", clean)
    code, out, _ = _run("validate", str(one), str(two), "--format", "json")
    batch = json.loads(out)
    assert batch["format"] == "krat-validation-batch" and batch["valid"] is False
    assert [r["valid"] for r in batch["reports"]] == [False, True]
    assert batch["errors"] == []


def test_output_file_is_the_same_bytes(tmp_path: Path, clean: Submission) -> None:
    path = _write(tmp_path, "x.json", _bad(clean))
    target = tmp_path / "report.json"
    _run("validate", str(path), "--format", "json", "-o", str(target))
    _, out, _ = _run("validate", str(path), "--format", "json")
    assert target.read_text(encoding="utf-8") == out


def test_national_dataset_is_validated_per_region(tmp_path: Path, clean: Submission) -> None:
    from krat_core.combine import combine, read_input, write_national

    a = _write(tmp_path, "AL-08-2024.json", _bad(clean))
    b = _write(tmp_path, "AL-05-2024.json", generate_submission("AL-05", 2024))
    result = combine([read_input(a), read_input(b)])
    national = tmp_path / "national.json"
    write_national(national, result.dataset)
    code, out, _ = _run("validate", str(national), "--format", "json")
    batch = json.loads(out)
    assert code == 1
    assert sorted(r["region"] for r in batch["reports"]) == ["AL-05", "AL-08"]
    assert all(r["sources"][0].startswith(str(national)) for r in batch["reports"])


def test_csv_files_of_one_folder_are_one_submission(
    tmp_path: Path, clean: Submission, registry: Registry
) -> None:
    import zipfile

    from krat_core.plugins.descriptors import ExportOptions

    archive = registry.exporters["csv"].export(
        _bad(clean), tmp_path / "lezhe.zip", ExportOptions(records=True)
    )
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp_path / "csv")
    files = sorted(str(p) for p in (tmp_path / "csv" / "records").glob("*.csv"))
    code, out, err = _run("validate", *files, "--format", "json")
    assert code == 1, err
    report = json.loads(out)  # one report, not one per file
    assert report["format"] == "krat-validation-report"
    assert report["counts"]["by_code"] == {"case.referral-before-identification": 1}
    finding = report["findings"][0]
    assert finding["position"]["file"].endswith("cases.csv") and finding["position"]["row"]


def test_missing_key_file_exits_2(tmp_path: Path, clean: Submission) -> None:
    path = _write(tmp_path, "x.json", clean)
    code, _, err = _run("validate", str(path), "--key", str(tmp_path / "no.key"))
    assert code == 2 and "no.key" in err and "Traceback" not in err


def test_annotate_needs_one_workbook(tmp_path: Path, clean: Submission) -> None:
    path = _write(tmp_path, "x.json", clean)
    code, _, err = _run("validate", str(path), "--annotate", str(tmp_path / "out.xlsx"))
    assert code == 2 and "--annotate" in err


def test_workbook_is_validated_with_positions_and_annotated(
    tmp_path: Path, clean: Submission, registry: Registry
) -> None:
    import openpyxl

    source = tmp_path / "lezhe.xlsx"
    registry.exporters["template"].export(_bad(clean), source)
    before = source.read_bytes()
    out = tmp_path / "lezhe-gjetjet.xlsx"
    code, text, err = _run("validate", str(source), "--annotate", str(out), "--lang", "sq")
    assert code == 1, err
    assert "fleta 'Rastet'" in text and "kolona 'Data e referimit" in text
    assert source.read_bytes() == before  # the original is untouched
    wb = openpyxl.load_workbook(out)
    marked = [
        (ws.title, c.coordinate, c.comment.text, c.fill.start_color.rgb)
        for ws in wb.worksheets
        for row in ws.iter_rows(min_row=3)
        for c in row
        if c.comment is not None
    ]
    assert len(marked) == 1
    sheet, _, comment, colour = marked[0]
    assert sheet == "Rastet" and "case.referral-before-identification" in comment
    assert comment.startswith("Gabim: Data e referimit")
    assert colour.endswith("FFC7CE")


def test_annotate_marks_cells_by_header_and_severity(tmp_path: Path) -> None:
    import openpyxl

    from krat_core.validation.annotate import annotate_workbook

    source = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rastet"
    ws.append(["Kodi", "Data", "Gjinia"])
    ws.append(["AL-01-C-2024-0001", "2024-01-01", "femër"])
    ws.append(["AL-01-C-2024-0002", "2024-01-02", "mashkull"])
    wb.save(source)

    def f(code: str, sev: Severity, row: int, column: str | None, file: str = "r.xlsx") -> Finding:
        return Finding(
            code,
            sev,
            message_en=f"{code} en",
            message_sq=f"{code} sq",
            kind="case",
            position=SourcePosition(file, "Rastet", row, column),
        )

    findings = [
        f("a.warn", Severity.WARNING, 2, "Data"),
        f("b.err", Severity.ERROR, 2, "Data"),
        f("c.warn", Severity.WARNING, 3, "Gjinia"),
        f("d.rowonly", Severity.ERROR, 3, None),
        f("e.unknowncol", Severity.WARNING, 3, "Nuk ekziston"),
        f("f.otherfile", Severity.ERROR, 2, "Gjinia", file="other.xlsx"),
        Finding("g.nopos", Severity.ERROR, message_en="x", message_sq="x"),
    ]
    target = tmp_path / "out.xlsx"
    n = annotate_workbook(source, target, ValidationReport(findings=tuple(findings)), lang="en")
    assert n == 3
    out = openpyxl.load_workbook(target)["Rastet"]
    assert out["B2"].fill.start_color.rgb.endswith("FFC7CE")  # worst of warning + error
    assert "a.warn" in out["B2"].comment.text and "b.err" in out["B2"].comment.text
    assert out["C3"].fill.start_color.rgb.endswith("FFE699")
    assert "d.rowonly" in out["A3"].comment.text
    assert "[Nuk ekziston]" in out["A3"].comment.text
    assert out["C2"].comment is None  # a finding about another file is not drawn here
    with pytest.raises(Exception, match="must not overwrite"):
        annotate_workbook(source, source, findings)


def test_demo_step_plants_and_reports(tmp_path: Path, registry: Registry) -> None:
    demo = DemoResult(out=tmp_path, year=2024, seed=0)
    step_generate(demo, registry)
    step_validate(demo, registry)
    reports = demo.validation
    assert sorted(demo.planted) == ["AL-02", "AL-10"]
    assert len(reports) == 12
    invalid = sorted(r for r, rep in reports.items() if not rep.valid)
    assert invalid == ["AL-02", "AL-10"]
    codes = set(reports["AL-02"].counts_by_code) | set(reports["AL-10"].counts_by_code)
    assert {
        "case.referral-before-identification",
        "activity.participants-missing",
        "ref.unknown-institution",
        "case.minor-flag-mismatch",
    } <= codes
    files = sorted((tmp_path / "validation").glob("*.json"))
    assert len(files) == 12
    assert json.loads(files[1].read_bytes())["region"] == "AL-02"
