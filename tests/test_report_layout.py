"""The Word report laid out for reading: column widths, landscape sections,
grouped and compact tables, the wide year-over-year table and its disclosure
control."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krat_core.combine import CombineInput, combine
from krat_core.demo.synthetic import generate_national, generate_submission
from krat_core.format.canonical import dump_submission
from krat_core.format.models import Submission
from krat_core.format.models.national import NationalDataset
from krat_core.format.regions import REGIONS
from krat_core.plugins.descriptors import ExportOptions
from krat_core.plugins.manager import load_plugins
from krat_core.reporting import Stat, Suppressed, build_report, export, format_cell
from krat_core.reporting.institutions import institution_metrics
from krat_core.reporting.tables import capital
from krat_plugins.exporters.docx_tables import LANDSCAPE, PORTRAIT, _Layout, _Metrics

DAY = "2025-02-10"
TWIPS_PER_CM = 1440 / 2.54


def _national(subs: list[Submission], period: str) -> NationalDataset:
    inputs = [
        CombineInput(f"{s.region}.json", hashlib.sha256(dump_submission(s)).hexdigest(), s)
        for s in subs
    ]
    return combine(inputs, period=period).dataset


@pytest.fixture(scope="module")
def word(tmp_path_factory, national_2024) -> Path:
    path = tmp_path_factory.mktemp("layout") / "analiza.docx"
    previous = _national(generate_national(2023), "2023")
    options = ExportOptions(compare=[previous], generated_on=DAY)
    export(_national(national_2024, "2024"), path, options=options, registry=load_plugins())
    return path


def _tables(path: Path) -> dict[str, tuple[docx.table.Table, bool]]:
    """Each table under the heading before it, with whether its page is landscape."""
    document = docx.Document(str(path))
    body = document.element.body
    # the orientation of each section, in order (a section ends at a paragraph's sectPr)
    orientations = [s.orientation == WD_ORIENT.LANDSCAPE for s in document.sections]
    out: dict[str, tuple[docx.table.Table, bool]] = {}
    heading, section = "", 0
    tables = iter(document.tables)
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            style = child.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            if style is not None and style.get(qn("w:val")).startswith("Heading"):
                heading = "".join(t.text or "" for t in child.iter(qn("w:t")))
                heading = re.sub(r"^(Shtojca|Annex) [A-Z]: ", "", heading)
            if child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                section += 1
        elif child.tag == qn("w:tbl"):
            table = next(tables)
            if heading in out:  # a table grouped by region: one Word table per region
                out[heading][0].rows.extend(_continued(table))
            else:
                out[heading] = (_Rows(table), orientations[section])
    return out


class _Rows:
    """The Word tables under one heading as one: the first table's properties, and the
    rows of all of them (the repeated column headers of the later ones left out)."""

    def __init__(self, table: docx.table.Table) -> None:
        self._tbl = table._tbl
        self.rows = list(table.rows)


def _continued(table: docx.table.Table) -> list:
    """A later region's rows: its region row (a header row across the table) and body."""
    return [
        row
        for row in table.rows
        if "<w:tblHeader/>" not in row._tr.xml or len({c.text for c in row.cells}) == 1
    ]


def _widths(table: docx.table.Table) -> list[float]:
    return [int(c.get(qn("w:w"))) / TWIPS_PER_CM for c in table._tbl.tblGrid.gridCol_lst]


def _texts(table: docx.table.Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_every_table_fits_its_page_with_fixed_widths(word: Path) -> None:
    tables = _tables(word)
    assert len(tables) >= 18
    for heading, (table, landscape) in tables.items():
        widths = _widths(table)
        page = LANDSCAPE if landscape else PORTRAIT
        assert sum(widths) <= page.text_width + 0.05, heading
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        assert "<w:tblHeader/>" in table.rows[0]._tr.xml
    # the wide tables are in landscape sections, the small ones upright
    for heading in (
        "Kalendari kombëtar antitrafik",
        "Plani i veprimit: objektivat dhe treguesit",
        "Performanca e institucioneve",
        "Krahasim vit pas viti i performancës së institucioneve",
    ):
        assert tables[heading][1], heading
    assert not tables["Rastet sipas qarkut"][1]
    assert not tables["Shifrat kryesore krahasuar me vitet e mëparshme"][1]


def test_calendar_dates_fit_on_one_line(word: Path, national_2024) -> None:
    table, _ = _tables(word)["Kalendari kombëtar antitrafik"]
    rows = _texts(table)
    assert rows[0][:2] == ["Data", "Qarku"]
    metrics = _Metrics()
    date_width = metrics.em("30.07.2024") * 8 * 2.54 / 72 + 0.4
    assert _widths(table)[0] >= date_width
    activities = sorted(
        (a for s in national_2024 for a in s.activities if a.national_calendar),
        key=lambda a: (a.start, a.id),
    )
    assert len(rows) - 1 == len(activities)
    for row, a in zip(rows[1:], activities, strict=True):
        start = a.start.strftime("%d.%m.%Y")
        if a.end is None or a.end == a.start:
            assert row[0] == start  # one date for a one-day activity
        else:
            assert row[0] == f"{start}–\u200b{a.end.strftime('%d.%m.%Y')}"
        assert row[1] == REGIONS[a.id[:5]].sq


def test_action_plan_is_compact_and_grouped_by_region(word: Path, national_2024) -> None:
    table, _ = _tables(word)["Plani i veprimit: objektivat dhe treguesit"]
    rows = _texts(table)
    assert rows[0] == [
        "Objektivi",
        "Shtylla",
        "Afati",
        "Statusi",
        "Treguesi",
        "Njësia",
        "Synimi",
        "Vlera e arritur",
        "% e synimit",
    ]
    groups = [r[0] for r in rows[1:] if len(set(r)) == 1]
    assert groups == [REGIONS[s.region].sq for s in national_2024]
    objectives = sorted((o for s in national_2024 for o in s.objectives), key=lambda o: o.id)
    body = [r for r in rows[1:] if len(set(r)) > 1]
    assert len(body) == sum(max(1, len(o.indicators)) for o in objectives)
    text = "\n".join("|".join(r) for r in rows)
    assert objectives[0].id not in text  # the ids are in the workbook, not on the page
    k = 0
    for o in objectives:
        for n, ind in enumerate(o.indicators or [None]):
            row = body[k]
            k += 1
            # the objective's cells once, then blank for its further indicators
            assert row[0] == (o.title if n == 0 else "")
            if ind is not None:
                assert row[4] == capital(ind.name)  # a table's texts start capitalised
                assert row[6:8] == [format_cell(ind.target), format_cell(ind.actual)]


def test_wide_comparison_one_row_per_institution(word: Path, national_2024) -> None:
    table, _ = _tables(word)["Krahasim vit pas viti i performancës së institucioneve"]
    rows = _texts(table)
    assert rows[0][1:4] == ["Raste të identifikuara"] * 3
    assert rows[1][1:4] == ["2023", "2024", "Δ"]
    assert len(rows[0]) == 1 + 6 * 3
    now = institution_metrics(national_2024)
    before = institution_metrics(generate_national(2023))
    names = {(REGIONS[s.region].sq, i.name): i.id for s in national_2024 for i in s.institutions}
    body = [r for r in rows[2:] if len(set(r)) > 1]
    assert len(body) == len(set(now) | set(before))
    checked, region = 0, ""
    for row in rows[2:]:
        if len(set(row)) == 1:  # a region heading across the table
            region = row[0]
            continue
        inst = names.get((region, row[0]))
        if inst is None:
            continue
        checked += 1
        for col, true in ((1, before[inst].identified), (2, now[inst].identified)):
            cell = row[col]
            if cell == "x":
                assert true >= 1
            else:
                assert int(cell) == true
        if "x" in row[1:3]:
            assert row[3] == "x"  # no change shown next to a hidden count
        else:  # with its sign, not assessed (a count of cases)
            assert row[3] == _signed(int(row[2]) - int(row[1]))
        held = (before[inst].activities_held, now[inst].activities_held)
        change = held[1] - held[0]
        cue = "\u00a0\u2713" if change > 0 else ("\u00a0\u2717" if change < 0 else "")
        assert row[10:13] == [str(held[0]), str(held[1]), _signed(change) + cue]
    assert checked == len(names)


def _signed(change: int) -> str:
    return f"+{change}" if change > 0 else (f"\u2212{-change}" if change < 0 else "0")


def test_regional_and_english_reports(tmp_path: Path, durres_2024: Submission) -> None:
    earlier = generate_submission("AL-02", 2023)
    path = tmp_path / "report.docx"
    options = ExportOptions(lang="en", compare=[earlier], generated_on=DAY)
    export(durres_2024, path, options=options, registry=load_plugins())
    tables = _tables(path)
    comparison, _ = tables["Year-over-year comparison of the institutions' performance"]
    rows = _texts(comparison)
    assert rows[1][:4] == ["Institution", "2023", "2024", "Δ"]
    assert len(rows) - 2 == len(
        set(institution_metrics([durres_2024])) | set(institution_metrics([earlier]))
    )
    plan, _ = tables["Action plan: objectives and indicators"]
    assert _texts(plan)[0][0] == "Objective"
    assert all(len(set(r)) > 1 for r in _texts(plan))  # no region groups in a regional report


def test_fit_shares_the_room_and_respects_the_page() -> None:
    metrics = _Metrics()
    words = "Drejtoria Rajonale e Policisë Kufitare " * 3
    plan = _Layout(
        header=["Institucioni", "Data", "Raste"],
        bands=[],
        rows=[(None, [words, "30.07.2024", "12"], False)] * 20,
        right=[False, False, True],
        fixed=[False, True, True],
        font=9.0,
    )
    plan.place(metrics)
    assert not plan.landscape
    assert sum(plan.widths) <= PORTRAIT.text_width + 1e-6
    assert all(w >= least - 1e-6 for w, least in zip(plan.widths, plan.least, strict=True))
    short = _Layout(["a", "b"], [], [(None, ["x", "1"], False)], [False, True], [False, True], 9)
    short.place(metrics)
    assert short.widths == short.most  # everything on one line: no stretching


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 10_000), cases=st.integers(3, 25))
def test_comparison_hides_what_other_tables_hide(seed: int, cases: int) -> None:
    """A change is hidden with either count it rests on; the identified count of
    an institution is hidden alike in every table that prints it."""
    now = generate_submission("AL-02", 2024, seed=seed, cases=cases)
    before = generate_submission("AL-02", 2023, seed=seed + 1, cases=cases)
    true = build_report(now, compare=[before], suppress=None, generated_on=DAY)
    shown = build_report(now, compare=[before], generated_on=DAY)
    t_true, t_shown = true.table("institution_comparison"), shown.table("institution_comparison")
    for r_true, r_shown in zip(t_true.rows, t_shown.rows, strict=True):
        for a, b in zip(r_true, r_shown, strict=True):
            if isinstance(a, Stat) and any(isinstance(r_shown[k], Suppressed) for k in a.of):
                assert isinstance(b, Suppressed)
    by_key: dict[str, set[bool]] = {}
    for table in shown.tables:
        for (r, c), key in table.shared.items():
            if key.startswith("cases.identified_by."):
                cell = table.rows[r][c]
                zero = getattr(cell, "value", None) == 0
                if not zero:
                    by_key.setdefault(key, set()).add(isinstance(cell, Suppressed))
    assert all(len(v) == 1 for v in by_key.values()), by_key
    assert Counter(len(v) for v in by_key.values())  # some institution identified cases
