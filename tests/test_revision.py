"""A revision audited jointly with the earlier release (issue 12, items 2 and 3): a reader
holding both, who knows the revision only added (or only removed) cases, can narrow no
hidden cell of either below N values; where an earlier release still printed "<5" it can,
and the revision is held back."""

from __future__ import annotations

import json
from pathlib import Path

from krat_core.cli import cli
from krat_core.demo.synthetic import generate_national
from krat_core.messages import Message
from krat_core.reporting.register import REGISTER_NAME, ReleaseRecord
from krat_core.reporting.release import protect_release, published_cells
from krat_core.reporting.report import build_report, build_tables
from krat_core.reporting.revision import narrowed_by_revision
from krat_core.reporting.tables import Count, Grid, Label, Table
from test_release_attack import N, _add_cases, _national

HEADER = (Label("Qarku"), Label("A"), Label("B"), Label("Gjithsej"))


def _grid(a: int, b: int, c: int, d: int, other: int) -> dict[str, Table]:
    rows = (
        (Label("r1"), Count(a), Count(b), Count(a + b)),
        (Label("r2"), Count(c), Count(d), Count(c + d)),
        (Label("Gjithsej"), Count(a + c), Count(b + d), Count(a + b + c + d)),
    )
    title = Message(sq="T", en="T")
    return {
        "t": Table("t", "cases", title, HEADER, rows, grid=Grid((0, 1), (1, 2), 2, 3)),
        "u": Table("u", "cases", title, HEADER[:2], ((Label("k"), Count(other)),)),
    }


def test_an_old_small_marker_pins_the_unchanged_cells_of_a_revision() -> None:
    """Only the other table changed (by N): every cell of ``t`` is the same in both
    releases. Hidden as "x" in both, nothing is narrowed; but an earlier release that
    printed "<5" told the reader 1..4, and the revision's "x" is the same count."""
    before, after = _grid(3, 4, 20, 30, 40), _grid(3, 4, 20, 30, 40 + N)
    cells = published_cells(protect_release(before, N).values())
    published = protect_release(after, N)
    assert cells["t|r1|A"] == "x" and published_cells(published.values())["u|k|A"] != cells["u|k|A"]
    assert narrowed_by_revision(after, published, cells, N) == []
    legacy = {k: "<5" if k in ("t|r1|A", "t|r1|B") else v for k, v in cells.items()}
    assert narrowed_by_revision(after, published, legacy, N) == ["t|r1|A", "t|r1|B"]


def test_a_revision_of_n_alike_cases_reveals_nothing_jointly() -> None:
    subs = generate_national(2024)
    first, second = _national(subs, "2024"), _national(_add_cases(subs, "AL-11", N), "2024")
    cells = published_cells(build_report(first, suppress=N).tables)
    report = build_report(second, suppress=N)
    from krat_core.reporting.data import report_data

    tables = build_tables(report_data(second))
    assert published_cells(report.tables) != cells
    assert narrowed_by_revision(tables, {t.key: t for t in report.tables}, cells, N) == []


def test_the_command_holds_back_a_revision_the_joint_audit_refuses(runner, tmp_path) -> None:
    """The register holds a release printed with the old marker ("<5"); the revision
    passes the difference rule (N alike cases added) but not the joint audit."""
    subs = generate_national(2024)
    first = _national(subs, "2024")
    out = tmp_path / "out"
    out.mkdir()
    cells = published_cells(build_report(first, suppress=N).tables)
    true = published_cells(build_report(first, suppress=None).tables)
    small = {k for k, v in true.items() if v.isdigit() and 0 < int(v) < N}
    legacy = {k: "<5" if v == "x" and k in small else v for k, v in cells.items()}
    record = ReleaseRecord.of(
        legacy, period="2024", scope="national", audience="public", threshold=N, output="old.docx"
    )
    from dataclasses import asdict

    (out / REGISTER_NAME).write_text(json.dumps(asdict(record)) + "\n", encoding="utf-8")
    from krat_core.combine.national import write_national

    revised = tmp_path / "national-2024.json"
    write_national(revised, _national(_add_cases(subs, "AL-11", N), "2024"))
    done = runner.invoke(cli, ["report", str(revised), "-o", str(out / "new.zip"), "--lang", "en"])
    assert done.exit_code == 2, done.output
    assert "could be narrowed to fewer than 5 possible values" in done.output
    assert not (out / "new.zip").exists()
    assert Path(out / REGISTER_NAME).read_text(encoding="utf-8").count("\n") == 1
