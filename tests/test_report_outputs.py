"""Every output opened with the matching library; its figures checked against the records."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import docx
import icalendar
import openpyxl
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krat_core.combine import CombineInput, combine, load_dataset
from krat_core.demo.synthetic import generate_national
from krat_core.format.canonical import dump_submission
from krat_core.format.codelists import ActivityStatus, ExploitationType
from krat_core.format.models import Submission
from krat_core.format.models.national import NationalDataset
from krat_core.format.regions import REGIONS
from krat_core.importing import SHEETS
from krat_core.messages import format_number
from krat_core.plugins.descriptors import ExportOptions
from krat_core.plugins.manager import load_plugins
from krat_core.reporting import build_report, export, format_cell, record_tables
from krat_core.reporting.data import is_held
from krat_core.reporting.tables import capital
from strategies import submissions

TEMPLATE = Path(__file__).parent / "data" / "htcds-2.0" / "HTCDS Excel Spreadsheet v2.0.xlsx"
DAY = "2025-02-10"


def _national(subs: list[Submission], period: str) -> NationalDataset:
    inputs = [
        CombineInput(f"{s.region}.json", hashlib.sha256(dump_submission(s)).hexdigest(), s)
        for s in subs
    ]
    return combine(inputs, period=period).dataset


@pytest.fixture(scope="module")
def registry():
    return load_plugins()


@pytest.fixture(scope="module")
def national(national_2024: list[Submission]) -> NationalDataset:
    return _national(national_2024, "2024")


@pytest.fixture(scope="module")
def national_2023() -> NationalDataset:
    return _national(generate_national(2023), "2023")


def _out(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    return tmp_path_factory.mktemp("reports") / name


def _cases_by_region(national: NationalDataset) -> dict[str, int]:
    return {s.region: len(s.cases) for s in national.regional_submissions()}


def _check_published(text: str, true: int) -> None:
    """A published count: the true number, or "x" for a hidden one (never zero)."""
    if text == "x":
        assert true >= 1
    else:
        assert int(text) == true


# --------------------------------------------------------------------------- Word


def _docx_tables(path: Path) -> dict[str, list[list[str]]]:
    """Each table of the document under the text of the heading before it."""
    document = docx.Document(str(path))
    out: dict[str, list[list[str]]] = {}
    heading = ""
    for item in document.iter_inner_content():
        if isinstance(item, docx.text.paragraph.Paragraph):
            if item.style is not None and item.style.name.startswith("Heading"):
                heading = re.sub(r"^(Shtojca|Annex) [A-Z]: ", "", item.text)
        else:
            rows = [[c.text for c in row.cells] for row in item.rows]
            if heading in out:  # a table grouped by region: one Word table per region
                header = [r._tr for r in item.rows if "<w:tblHeader/>" in r._tr.xml]
                rows = rows[len(header) - 1 :]  # the region row stays
            out.setdefault(heading, []).extend(rows)
    return out


@pytest.fixture(scope="module")
def word(tmp_path_factory, national, national_2023, registry) -> Path:
    path = _out(tmp_path_factory, "analiza.docx")
    options = ExportOptions(compare=[national_2023], generated_on=DAY)
    export(national, path, options=options, registry=registry)
    return path


def test_word_tables_hold_the_counts(word: Path, national: NationalDataset) -> None:
    tables = _docx_tables(word)
    by_region = tables["Rastet sipas qarkut"]
    assert by_region[0] == ["Qarku", "Të mitur (nën 18 vjeç)", "Të rritur", "Gjithsej"]
    expected = _cases_by_region(national)
    for code, row in zip(expected, by_region[1:-1], strict=True):
        assert row[0] == REGIONS[code].sq
        _check_published(row[3], expected[code])
    assert by_region[-1][3] == str(sum(expected.values()))
    activities = [a for s in national.regional_submissions() for a in s.activities]
    held = Counter(a.start.month for a in activities if a.status is ActivityStatus.COMPLETED)
    by_month = tables["Aktivitetet e realizuara sipas muajit"]
    assert by_month[10][0] == "Tetor" and by_month[10][1] == str(held[10])  # capitalised
    calendar = tables["Kalendari kombëtar antitrafik"]
    assert len(calendar) - 1 == sum(a.national_calendar for a in activities)
    assert re.fullmatch(r"\d\d\.\d\d\.2024", calendar[1][0])
    completeness = tables["Plotësia e raportimit të qarqeve"]
    assert len(completeness) == 13
    comparison = tables["Krahasim vit pas viti i performancës së institucioneve"]
    assert comparison[0][:4] == ["Institucioni", *["Raste të identifikuara"] * 3]
    assert comparison[1][:4] == ["Institucioni", "2023", "2024", "Δ"]


def test_word_structure(word: Path) -> None:
    document = docx.Document(str(word))
    body = document.element.xml
    assert 'TOC \\o "1-2"' in body
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer
    assert document.sections[0].different_first_page_header_footer  # no number on the cover
    assert "PAGE" not in document.sections[0].first_page_footer._element.xml
    assert "<w:tblHeader/>" in body
    assert "updateFields" not in document.settings.element.xml  # the contents are filled
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Përmbledhje ekzekutive",
        "Metodologjia dhe shenjat",
        "Rastet dhe viktimat",
        "Referimi dhe asistenca",
        "Aktivitetet ndërgjegjësuese dhe kalendari",
        "Objektivat dhe plani i veprimit",
        "Performanca e institucioneve krahasuar me vitin e kaluar",
        "Cilësia dhe plotësia e të dhënave",
        "Viti i ardhshëm",
        "Vlerësimi i komitetit",
        "Shtojcat",
    ]
    text = "\n".join(p.text for p in document.paragraphs[:10])
    assert "Koordinatori Kombëtar" in text and "Komiteti Rajonal Antitrafik (KRAT)" not in text
    assert "Raporti kombëtar" in text and "10.02.2025" in text and "Krahasuar me: 2023" in text
    assert "VETËM PËR PËRDORIM TË BRENDSHËM" not in text
    methodology = "\n".join(p.text for p in document.paragraphs)
    # the markers explained once, in the method section, not before every table
    assert methodology.count("«x»: e fshehur") == 1
    assert methodology.count("Një person i raportuar nga dy qarqe numërohet një herë") == 1
    assert len(document.inline_shapes) == 4  # exploitation, year, month, objectives
    props = document.core_properties
    assert props.created.date().isoformat() == DAY and props.author.startswith("Koordinatori")


def test_word_contents_list_every_heading(word: Path) -> None:
    """The contents are written with the file: one entry per heading, in order,
    a link to that heading's bookmark, chapters in bold and sections indented;
    no page number and no tab waiting for one (see docs/reports.md)."""
    document = docx.Document(str(word))
    body = document.element.body
    headings = []  # (level, text, bookmark)
    for p in document.paragraphs:
        if p.style.name in ("Heading 1", "Heading 2"):
            [mark] = p._p.findall(qn("w:bookmarkStart"))
            headings.append((int(p.style.name[-1]), p.text, mark.get(qn("w:name"))))
    assert len({name for _, _, name in headings}) == len(headings)
    links = list(body.iter(qn("w:hyperlink")))
    entries = []
    for link in links:
        paragraph = link.getparent()
        indent = paragraph.find(f"{qn('w:pPr')}/{qn('w:ind')}")
        bold = link.find(f"{qn('w:r')}/{qn('w:rPr')}/{qn('w:b')}") is not None
        level = 1 if bold and indent.get(qn("w:left")) == "0" else 2
        text = "".join(t.text or "" for t in link.iter(qn("w:t")))
        entries.append((level, text, link.get(qn("w:anchor"))))
        assert paragraph.find(f".//{qn('w:tab')}") is None  # no dangling tab leader
        assert "PAGEREF" not in "".join(i.text or "" for i in paragraph.iter(qn("w:instrText")))
    assert entries == headings
    # the entries sit between the TOC field's begin and end, under the contents heading
    instructions = [i.text for i in body.iter(qn("w:instrText")) if "TOC" in (i.text or "")]
    assert instructions == [' TOC \\o "1-2" \\h \\z \\u ']
    first = links[0].getparent()
    assert first.getprevious().xpath("string(.)") in ("Përmbajtja", "Contents")


def test_word_in_english_without_suppression(tmp_path, durres_2024, registry) -> None:
    path = tmp_path / "report.docx"
    export(durres_2024, path, options=ExportOptions(lang="en", suppress=None), registry=registry)
    document = docx.Document(str(path))
    first = "\n".join(p.text for p in document.paragraphs[:10])
    assert "FOR INTERNAL USE ONLY" in first and "--no-suppress" in first
    assert "Durrës region" in first
    tables = _docx_tables(path)
    exploitation = tables["Cases by type of exploitation"]
    counts = Counter(t for c in durres_2024.cases for t in set(c.exploitation_types))
    for row in exploitation[1:]:
        t = next(e for e in ExploitationType if capital(e.en) == row[0])
        assert int(row[3]) == counts[t]
    assert len(document.inline_shapes) == 3  # no year chart without --compare


@pytest.mark.parametrize("lang", ["sq", "en"])
def test_chart_caption_counts_hidden_categories_in_the_right_number(lang: str) -> None:
    from krat_core.messages import Message
    from krat_core.reporting import Chart, Count, Label, Suppressed, Table
    from krat_plugins.exporters.docx import HIDDEN_CATEGORIES, _chart_png

    def table(hidden: int) -> Table:
        rows = [(Label(f"r{i}"), Count(7 + i)) for i in range(3)]
        rows += [(Label(f"h{i}"), Suppressed("x", True)) for i in range(hidden)]
        return Table("t", "cases", Message(sq="T", en="T"), (Label("a"), Label("b")), tuple(rows))

    for hidden in (1, 2):
        t = table(hidden)
        chart = Chart("c", "t", t.title, "bar", 0, (1,), tuple(range(len(t.rows))))
        _png, found, _width = _chart_png(chart, t, lang)
        assert found == hidden
    one, two = HIDDEN_CATEGORIES.text(lang, n=1), HIDDEN_CATEGORIES.text(lang, n=2)
    if lang == "sq":
        assert one == "1 kategori e fshehur për mbrojtjen e të dhënave nuk shfaqet në grafik."
        assert two == "2 kategori të fshehura për mbrojtjen e të dhënave nuk shfaqen në grafik."
    else:
        assert one == "1 category hidden by disclosure control is not shown in the chart."
        assert two == "2 categories hidden by disclosure control are not shown in the chart."


# --------------------------------------------------------------------------- Excel


def _xlsx_chart_count(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return sum(1 for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))


@pytest.fixture
def hostile(durres_2024: Submission) -> Submission:
    """Durrës with text cells that start like formulas."""
    inst = durres_2024.institutions[0].model_copy(update={"name": '=HYPERLINK("http://x","y")'})
    act = durres_2024.activities[0].model_copy(
        update={"title": "+cmd|' /C calc'!A0", "place": "@SUM(1)", "national_calendar": True}
    )
    return durres_2024.model_copy(
        update={
            "institutions": [inst, *durres_2024.institutions[1:]],
            "activities": [act, *durres_2024.activities[1:]],
        }
    )


def test_xlsx_workbook(tmp_path, national, national_2023, registry) -> None:
    path = tmp_path / "report.xlsx"
    export(
        national,
        path,
        options=ExportOptions(compare=[national_2023], generated_on=DAY, records=True),
        registry=registry,
    )
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    assert names[0] == "Rreth raportit"
    assert names[-6:] == [s.name("sq") for s in SHEETS.values()]
    region_sheet = wb[next(n for n in names if "Rastet sipas qarkut" in n)]
    assert region_sheet.freeze_panes == "B4"
    rows = list(region_sheet.iter_rows(min_row=4, values_only=True))
    expected = _cases_by_region(national)
    for code, row in zip(expected, rows[:-1], strict=True):
        assert row[0] == REGIONS[code].sq
        _check_published(str(row[3]), expected[code])
    assert rows[-1][3] == sum(expected.values())
    cases = wb["Rastet"]
    assert cases.max_row - 1 == sum(expected.values())
    assert cases.freeze_panes == "A2"
    header = [c.value for c in cases[1]]
    spec = SHEETS["case"]
    assert header[0] == spec.column("id").header("sq")
    assert spec.column("referral.referred_on").header("sq") in header
    ids = {c.value for c in cases["A"][1:]}
    assert ids == {c.id for s in national.regional_submissions() for c in s.cases}
    completeness = wb[next(n for n in names if "Plotësia" in n)]
    assert completeness.cell(4, 4).number_format == "dd.mm.yyyy"
    assert _xlsx_chart_count(path) == 4
    about = [r for r in wb["Rreth raportit"].iter_rows(values_only=True)]
    assert any(r[1] and "«x»" in str(r[1]) for r in about)


def test_xlsx_neutralises_text(tmp_path, hostile, registry) -> None:
    """Formula-like text is stored as text with Excel's quote prefix (no visible
    apostrophe), never as a formula."""
    path = tmp_path / "report.xlsx"
    export(hostile, path, options=ExportOptions(records=True), registry=registry)
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "@"))]
    values = {c.value for c in risky}
    assert '=HYPERLINK("http://x","y")' in values
    assert "+cmd|' /C calc'!A0" in values
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)
    with zipfile.ZipFile(path) as z:
        sheets = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in sheets  # no formula anywhere


def test_xlsx_public_has_no_record_sheets_committee_is_marked(
    tmp_path, durres_2024, registry
) -> None:
    public = tmp_path / "public.xlsx"
    export(durres_2024, public, options=ExportOptions(generated_on=DAY), registry=registry)
    names = openpyxl.load_workbook(public).sheetnames
    assert not set(names) & {s.name("sq") for s in SHEETS.values()}
    committee = tmp_path / "committee.xlsx"
    options = ExportOptions(generated_on=DAY, audience="committee", lang="en")
    export(durres_2024, committee, options=options, registry=registry)
    wb = openpyxl.load_workbook(committee)
    assert not set(wb.sheetnames) & {s.name("en") for s in SHEETS.values()}
    for ws in wb.worksheets:
        assert "CONFIDENTIAL" in ws.oddHeader.center.text
        visible = [c for row in ws.iter_rows(max_row=3, values_only=True) for c in row if c]
        assert any("CONFIDENTIAL" in str(v) for v in visible), ws.title


def test_xlsx_prints_and_filters(tmp_path, national, registry) -> None:
    path = tmp_path / "report.xlsx"
    export(national, path, options=ExportOptions(generated_on=DAY), registry=registry)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        # fitToWidth left out means 1 (its default in ECMA-376), which xlsxwriter relies on
        assert (ws.page_setup.fitToWidth or 1) == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToHeight == 0
        assert ws.page_setup.orientation in ("portrait", "landscape")
        assert len(ws.title) <= 31
    tables = build_report(national).tables
    keys = [t.key for t in tables]
    calendar = wb.worksheets[1 + keys.index("national_calendar")]
    assert calendar.auto_filter.ref.startswith("A3:")
    assert calendar.print_title_rows == "$3:$3"
    assert calendar.page_setup.orientation == "landscape"
    for name, table in zip(wb.sheetnames[1:], tables, strict=True):
        title, full = name[3:], table.title.text("sq")
        assert full.replace(":", "").startswith(title), name
        # whole words: the name ends where a word of the title ends
        rest = full.replace(":", "")[len(title) :]
        assert rest == "" or rest.startswith((" ", ",")), name


# --------------------------------------------------------------------------- CSV


def _read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))


def test_csv_zip_and_folder(tmp_path, national, hostile, registry) -> None:
    path = tmp_path / "data.zip"
    export(national, path, options=ExportOptions(generated_on=DAY, records=True), registry=registry)
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        files = {n: z.read(n) for n in names}
    assert {
        "README.txt",
        "records/cases.csv",
        "records/activities.csv",
        "records/assistance.csv",
        "tables/cases_region.csv",
    } <= names
    assert "records/submission.csv" not in names  # a national dataset has twelve
    cases = _read_csv(files["records/cases.csv"])
    assert len(cases) - 1 == sum(len(s.cases) for s in national.regional_submissions())
    assert cases[0][0] == SHEETS["case"].column("id").header("sq")
    by_region = _read_csv(files["tables/cases_region.csv"])
    expected = _cases_by_region(national)
    for code, row in zip(expected, by_region[1:-1], strict=True):
        _check_published(row[3], expected[code])
    # Same files as a folder, byte for byte.
    folder = tmp_path / "csv"
    export(
        national,
        folder,
        format="csv",
        options=ExportOptions(generated_on=DAY, records=True),
        registry=registry,
    )
    on_disk = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*.csv")}
    assert on_disk == {n: d for n, d in files.items() if n.endswith(".csv")}
    # Formula-like text is neutralised.
    export(
        hostile, tmp_path / "hostile.zip", options=ExportOptions(records=True), registry=registry
    )
    with zipfile.ZipFile(tmp_path / "hostile.zip") as z:
        institutions = _read_csv(z.read("records/institutions.csv"))
    name = SHEETS["institution"].column("name").header("sq")
    assert institutions[1][institutions[0].index(name)] == '\'=HYPERLINK("http://x","y")'


def test_regional_csv_imports_back(tmp_path, durres_2024, registry) -> None:
    """The records of a regional CSV export are what the CSV importer reads."""
    from krat_core.importing import import_files
    from krat_core.plugins.descriptors import ImportOptions

    export(
        durres_2024,
        tmp_path / "out",
        format="csv",
        options=ExportOptions(records=True),
        registry=registry,
    )
    files = sorted((tmp_path / "out" / "records").glob("*.csv"))
    assert "submission.csv" in {f.name for f in files}
    result = import_files(files, ImportOptions(), registry)
    assert result.findings == []
    assert result.submission == durres_2024


# --------------------------------------------------------------------------- iCalendar


def test_ics_calendar(tmp_path, national, registry) -> None:
    path = tmp_path / "calendar.ics"
    export(national, path, registry=registry)
    raw = path.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")
    cal = icalendar.Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    flagged = {
        a.id: a
        for s in national.regional_submissions()
        for a in s.activities
        if a.national_calendar
    }
    assert len(events) == len(flagged)
    for event in events:
        uid = str(event["UID"])
        activity = flagged[uid.removesuffix("@krat.al.invalid")]
        assert event.decoded("DTSTART") == activity.start
        assert (event.decoded("DTEND") - (activity.end or activity.start)).days == 1
        status = {"cancelled": "CANCELLED", "completed": "CONFIRMED"}.get(
            activity.status.value, "TENTATIVE"
        )
        assert str(event["STATUS"]) == status
        assert str(event["SUMMARY"]) == activity.title
    # Stable: the same data gives the same bytes (so re-imports update, not duplicate).
    again = tmp_path / "again.ics"
    export(national, again, registry=registry)
    assert again.read_bytes() == raw


def test_ics_escaping_and_folding(tmp_path, durres_2024, registry) -> None:
    title = 'Forum; "A, B" \\ rreziqet\nrreshti i dytë ' + "ë" * 60
    act = durres_2024.activities[0].model_copy(
        update={
            "title": title,
            "national_calendar": True,
            "status": ActivityStatus.CANCELLED,
            "place": "Sallë, kati 2; hyrja B",
        }
    )
    sub = durres_2024.model_copy(update={"activities": [act]})
    path = tmp_path / "c.ics"
    export(sub, path, registry=registry)
    raw = path.read_bytes()
    assert b'SUMMARY:Forum\\; "A\\, B" \\\\ rreziqet\\nrreshti' in raw
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    raw.decode("utf-8")  # folding never splits a character
    event = next(iter(icalendar.Calendar.from_ical(raw).walk("VEVENT")))
    assert str(event["SUMMARY"]) == title
    assert str(event["LOCATION"]).startswith("Sallë, kati 2; hyrja B")
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"{act.id}@krat.al.invalid"


# --------------------------------------------------------------------------- HTCDS


def test_htcds_matches_the_template(tmp_path, national, registry) -> None:
    path = tmp_path / "htcds.xlsx"
    export(national, path, format="htcds", options=ExportOptions(records=True), registry=registry)
    template = openpyxl.load_workbook(TEMPLATE)["Sheet1"]
    ours = openpyxl.load_workbook(path)["Sheet1"]
    width = template.max_column
    assert [c.value for c in ours[2]][:width] == [c.value for c in template[2]][:width]
    upstream = [c.value for c in template[1]][:width]
    header = [c.value for c in ours[1]]
    differs = {(a, b) for a, b in zip(header[:width], upstream, strict=True) if a != b}
    # the standard's names where the template misspells or leaves them out
    assert differs == {
        ("vic_TraffickingStatusDecisionMakingOrg", "vic_TraffickinStatusDecisionMakingOrg"),
        ("cas_ReasonForOutgoingReferral", None),
    }
    cases = [c for s in national.regional_submissions() for c in s.cases]
    rows = list(ours.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(cases)
    col = {name: i for i, name in enumerate(header) if name}
    by_id = {c.id: c for c in cases}
    for row in rows:
        case = by_id[row[col["krat_CaseId"]]]
        assert row[col["vic_TraffickingStatus"]] == case.status.htcds
        assert row[col["prs_Gender"]] == case.sex.htcds
        assert row[col["prs_FirstName"]] is None and row[col["prs_Birthdate"]] is None
        types = (row[col["vic_TypeOfExploitation"]] or "").split(";")
        if ExploitationType.FORCED_CRIMINALITY in case.exploitation_types:
            assert "Other" in types
            assert "forced criminality" in row[col["krat_TypeOfExploitationOther"]]
        method = case.recruitment_method
        if method is not None and method.value in ("job_offer", "romantic_relationship"):
            assert row[col["vic_MethodOfRecruitment"]] == "Other"
            assert row[col["krat_MethodOfRecruitmentOther"]] == method.en
        assert row[col["vic_MethodOfRecruitment"]] != "AtAPlaceOfBusiness"
        assert "subject_ref" not in str(row) and case.subject_ref not in row


# --------------------------------------------------------------------------- JSON


def test_json_round_trip(tmp_path, national, durres_2024, registry) -> None:
    records = ExportOptions(records=True)
    export(national, tmp_path / "n.json", options=records, registry=registry)
    # The dataset, with the output's metadata (who it is for) in its extensions.
    plain = {"extensions": {}}
    assert load_dataset(tmp_path / "n.json").model_copy(update=plain) == national
    export(durres_2024, tmp_path / "d.json", options=records, registry=registry)
    assert load_dataset(tmp_path / "d.json").model_copy(update=plain) == durres_2024


# --------------------------------------------------------------------------- any submission


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(sub=submissions())
def test_any_valid_submission_reports(tmp_path: Path, registry, sub: Submission) -> None:
    """Whatever the (valid) records, the report builds, its grids add up, and the
    record-level outputs hold every record."""
    report = build_report(sub, suppress=None, generated_on=DAY)
    for table in report.tables:
        grid = table.grid
        if grid is None:
            continue
        for r in grid.rows:
            if grid.total_col is not None:
                assert (
                    sum(table.rows[r][c].value for c in grid.cols)
                    == table.rows[r][grid.total_col].value
                )
    assert report.table("key_figures").rows[0][1].value == len(sub.cases)
    build_report(sub, generated_on=DAY)  # and with suppression
    tables = {t.name: t for t in record_tables(sub)}
    assert len(tables["cases"].rows) == len(sub.cases)
    assert len(tables["assistance"].rows) == sum(len(c.assistance) for c in sub.cases)
    export(sub, tmp_path / "any.ics", registry=registry)
    export(sub, tmp_path / "any.zip", registry=registry)


def test_word_exporter_imports_no_xml_sax_at_start_up() -> None:
    """``xml.sax.saxutils`` pulls in urllib and email (~10 ms of ``krat --help``)."""
    code = (
        "import sys, krat_plugins.exporters.docx\n"
        "print(sorted(m for m in sys.modules if m.startswith('xml.sax')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@given(st.text())
def test_xml_escape_round_trips(text: str) -> None:
    from xml.sax.saxutils import escape, unescape

    from krat_plugins.exporters._text import xml_escape

    assert unescape(xml_escape(text), {"&quot;": '"'}) == text
    assert xml_escape(text) == escape(text, {'"': "&quot;"})


def _all_text(path: Path) -> list[str]:
    """Every paragraph of a Word file, in the body and in table cells."""
    document = docx.Document(str(path))
    body = document.element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


@pytest.mark.parametrize("lang", ["sq", "en"])
def test_every_number_in_word_is_grouped(tmp_path, national, national_2023, registry, lang) -> None:
    """Tables and sentences group thousands as the language does (sq "18 188" with a
    no-break space, decimal comma; en "18,188"): no run of four digits or more is
    left ungrouped, except a year."""
    path = tmp_path / f"report-{lang}.docx"
    options = ExportOptions(lang=lang, compare=[national_2023], generated_on=DAY)
    export(national, path, options=options, registry=registry)
    texts = _all_text(path)
    activities = [a for s in national.regional_submissions() for a in s.activities]
    people = sum(a.participants.total for a in activities if is_held(a) and a.participants)
    assert people >= 1000
    grouped = format_number(people, lang)
    assert grouped == (
        f"{people // 1000}\u00a0{people % 1000:03d}" if lang == "sq" else f"{people:,}"
    )
    assert sum(grouped in t for t in texts) >= 2  # the summary and the key figures
    ungrouped = [
        m.group()
        for t in texts
        for m in re.finditer(r"(?<![\d.,\u00a0/-])\d{4,}(?![\d.,\u00a0])", t)
        if not (len(m.group()) == 4 and 2000 <= int(m.group()) <= 2100)
    ]
    assert ungrouped == []


@pytest.mark.parametrize(
    ("value", "sq", "en"),
    [
        (14223.0, "14\u00a0223", "14,223"),
        (1234.56, "1\u00a0234,6", "1,234.6"),
        (3.5, "3,5", "3.5"),
        (999.96, "1\u00a0000", "1,000"),
        (14223, "14\u00a0223", "14,223"),
    ],
)
def test_cells_group_thousands_also_as_floats(value, sq, en) -> None:
    assert (format_cell(value, "sq"), format_cell(value, "en")) == (sq, en)


@pytest.mark.parametrize("suppress", [5, None])
def test_a_chart_needs_two_bars(tmp_path, durres_2024, registry, suppress) -> None:
    """A chart whose categories are hidden or nil but one is left out: one bar
    says no more than the table."""
    from krat_core.reporting.comparison import published

    options = ExportOptions(generated_on=DAY, suppress=suppress)
    report = build_report(durres_2024, generated_on=DAY, suppress=suppress)
    tables = {t.key: t for t in report.tables}
    bars = [
        sum(any(published(tables[c.table].rows[r][v]) for v in c.value_cols) for r in c.rows)
        for c in report.charts
    ]
    path = tmp_path / "r.docx"
    export(durres_2024, path, options=options, registry=registry)
    assert len(docx.Document(str(path)).inline_shapes) == sum(n >= 2 for n in bars)


@given(st.floats() | st.integers())
def test_format_cell_takes_any_number(value) -> None:
    """Huge, tiny, NaN and infinite values never fail (an indicator may hold any float)."""
    for lang in ("sq", "en"):
        text = format_cell(value, lang)
        assert text
        if isinstance(value, int) and abs(value) < 10**15:
            assert text.replace("\u00a0", "").replace(",", "") == str(value)


def test_xlsx_refuses_more_rows_than_a_sheet_holds(
    tmp_path, durres_2024, registry, monkeypatch
) -> None:
    """A record sheet longer than Excel's row limit is an error, never a cut sheet
    (xlsxwriter drops rows past the limit without a word)."""
    from krat_plugins.exporters import xlsx

    cases = len(durres_2024.cases)
    monkeypatch.setattr(xlsx, "MAX_ROWS", cases)  # the header row makes one too many
    path = tmp_path / "report.xlsx"
    from krat_core.errors import ExportError

    with pytest.raises(ExportError, match=f"'Cases' would have {cases + 1} rows"):
        export(
            durres_2024,
            path,
            options=ExportOptions(records=True, lang="en", generated_on=DAY),
            registry=registry,
        )
    assert not path.exists()
    longest = max(record_tables(durres_2024), key=lambda t: len(t.rows))
    monkeypatch.setattr(xlsx, "MAX_ROWS", len(longest.rows) + 1)  # just enough
    export(durres_2024, path, options=ExportOptions(records=True), registry=registry)
    assert openpyxl.load_workbook(path)[longest.title].max_row == len(longest.rows) + 1
