"""The annual analysis (issue 13) and exporters that are total on valid data (issue 11).

The summary's figures are checked against counts computed from the records and
against the published tables (never a figure the public tables suppress); the
comparison against the earlier dataset; every built-in exporter against any
valid submission (hypothesis), the named regressions, and byte-identical
output for the same input and report date.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections import Counter
from typing import Any

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings

from krat_core.combine import CombineInput, combine
from krat_core.demo.synthetic import generate_national, generate_submission
from krat_core.errors import ReportConfigError
from krat_core.format.canonical import dump_submission
from krat_core.format.codelists import ActivityStatus, CaseStatus, ObjectiveStatus, Sex
from krat_core.format.models import Submission
from krat_core.format.models.national import NationalDataset
from krat_core.format.regions import REGIONS
from krat_core.messages import format_number
from krat_core.plugins.descriptors import ExportOptions
from krat_core.plugins.manager import load_plugins
from krat_core.reporting import Count, Suppressed, build_report, export, format_cell
from krat_core.reporting.config import ReportConfig, load_config
from strategies import submissions

DAY = "2025-02-10"
FORMATS = {"docx": ".docx", "xlsx": ".xlsx", "csv": ".zip", "ics": ".ics", "json": ".json"}
FORMATS_ALL = {**FORMATS, "htcds": ".xlsx"}


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


def _numbers(text: str) -> list[str]:
    """The figures of a sentence as written (thousands grouped with a space)."""
    return re.findall(r"\d(?:[\d\u00a0\u202f]|[, ](?=\d{3}\b))*", text)


# --------------------------------------------------------------------------- the summary


def test_summary_figures_are_the_counts_of_the_records(national, national_2023) -> None:
    report = build_report(national, compare=[national_2023], generated_on=DAY)
    cases = [c for s in national.regional_submissions() for c in s.cases]
    before = [c for s in national_2023.regional_submissions() for c in s.cases]
    activities = [a for s in national.regional_submissions() for a in s.activities]
    objectives = [o for s in national.regional_submissions() for o in s.objectives]
    sq = [s.text("sq") for s in report.summary]
    en = [s.text("en") for s in report.summary]
    diff = len(cases) - len(before)
    word = "më shumë" if diff > 0 else "më pak"
    pct = format_number(abs(diff) / len(before) * 100, "sq", decimals=1)
    assert sq[0] == (
        f"U identifikuan {len(cases)} raste, {abs(diff)} {word} se në 2023 "
        f"({'+' if diff > 0 else '−'}{pct}\u00a0%)."
    )
    assert en[0].startswith(f"{len(cases)} cases were identified, {abs(diff)} ")
    sex = Counter(c.sex for c in cases)
    assert f"femra {sex[Sex.FEMALE]}, meshkuj {sex[Sex.MALE]}" in " ".join(sq)
    status = Counter(c.status for c in cases)
    assert (
        f"{status[CaseStatus.VICTIM]} u njohën si viktima të trafikimit dhe "
        f"{status[CaseStatus.POTENTIAL_VICTIM]} si viktima të mundshme" in " ".join(sq)
    )
    held = sum(a.status is ActivityStatus.COMPLETED for a in activities)
    people = sum(a.participants.total for a in activities if a.status is ActivityStatus.COMPLETED)
    text = " ".join(en)
    assert f"{held} were held" in text and f"{format_number(people, 'en')} participants" in text
    achieved = sum(o.status is ObjectiveStatus.ACHIEVED for o in objectives)
    assert f"Of {len(objectives)} objectives of the action plan, {achieved} were achieved" in text
    assert "12 of 12 regions submitted their data." in en


def test_summary_states_no_figure_the_public_tables_suppress(national, national_2023) -> None:
    """Every figure of every sentence is one a published cell shows (or a change
    between two published cells); with suppression on, a small count appears only
    as "fewer than 5"."""
    report = build_report(national, compare=[national_2023], generated_on=DAY)
    shown: set[str] = set()
    hidden_values: set[int] = set()
    for table in report.tables:
        for row in table.rows:
            for cell in row:
                shown.update(_numbers(format_cell(cell, "en")))
    raw = build_report(national, compare=[national_2023], suppress=None, generated_on=DAY)
    for table, public in zip(raw.tables, report.tables, strict=True):
        for row, published_row in zip(table.rows, public.rows, strict=True):
            for cell, published in zip(row, published_row, strict=True):
                if isinstance(published, Suppressed) and isinstance(cell, Count):
                    hidden_values.add(cell.value)
    for sentence in report.summary:
        text = sentence.text("en")
        # years are periods; shares and changes in per cent are computed from the figures
        bare = re.sub(r"[+\u2212]?\d+(?:\.\d+)?%|\b(19|20)\d\d\b", "", text)
        for number in _numbers(bare):
            plain = re.sub(r"[,\u00a0\u202f ]", "", number)
            assert number in shown or plain in shown or "fewer than" in text, (number, text)


def test_small_region_summary_leaves_a_hidden_total_out(registry) -> None:
    """A region with three cases: the total is hidden as "x" (like every hidden
    cell, small or not), and the summary states no number of cases, never 3."""
    sub = generate_submission("AL-07", 2024)
    small = sub.model_copy(update={"cases": sub.cases[:3]})
    report = build_report(small, generated_on=DAY)
    assert format_cell(report.table("key_figures").rows[0][1]) == "x"
    text = " ".join(s.text("en") for s in report.summary)
    assert "case" not in text and "3" not in text.split()
    sq = " ".join(s.text("sq") for s in report.summary)
    assert "rast" not in sq


def test_one_case_is_singular(registry) -> None:
    sub = generate_submission("AL-07", 2024)
    one = sub.model_copy(update={"cases": sub.cases[:1]})
    report = build_report(one, suppress=None, generated_on=DAY)
    assert report.summary[0].text("sq") == "U identifikua 1 rast."
    assert report.summary[0].text("en") == "1 case was identified."


# --------------------------------------------------------------------------- the comparison


def test_previous_year_columns_are_the_earlier_dataset(national, national_2023) -> None:
    report = build_report(national, compare=[national_2023], generated_on=DAY)
    key = report.table("key_comparison")
    assert [h.text("en") for h in key.header][1:3] == ["2023", "2024"]
    rows = {format_cell(r[0], "en"): r for r in key.rows}
    before = sum(len(s.cases) for s in national_2023.regional_submissions())
    now = sum(len(s.cases) for s in national.regional_submissions())
    total = rows["Cases, total"]
    assert (total[1].value, total[2].value) == (before, now)
    sign = "+" if now > before else "\u2212"
    assert format_cell(total[3], "en") == (f"{sign}{abs(now - before)}" if now != before else "0")
    median = rows["Median days from identification to referral"]
    cue = format_cell(median[5], "en")
    if any(isinstance(c, Suppressed) for c in median[1:3]):
        assert cue == ""  # a hidden median (its year's referred count is hidden) has no cue
    else:
        assert cue in ("better", "worse", "no change")
    by_region = report.table("region_comparison")
    old = Counter(s.region for s in national_2023.regional_submissions() for _ in s.cases)
    names = {REGIONS[code].en: code for code in REGIONS}
    for row in by_region.rows:
        if isinstance(row[1], Count):
            assert row[1].value == old[names[row[0].text("en")]]


@pytest.mark.parametrize(
    ("measure", "attribute", "higher"),
    [
        ("Activities held", "activities_held", True),
        ("Activities planned", "activities_planned", True),
        ("Objectives achieved", "objectives_achieved", True),
    ],
)
def test_summary_names_the_largest_improvements_and_declines(
    national, national_2023, measure: str, attribute: str, higher: bool
) -> None:
    """Per measure with a direction: the institutions named are those with the
    largest changes for the better and for the worse, computed from the records."""
    from krat_core.reporting.institutions import institution_metrics

    report = build_report(national, compare=[national_2023], generated_on=DAY)
    now = institution_metrics(national.regional_submissions())
    before = institution_metrics(national_2023.regional_submissions())
    names = {
        i.name: i.id
        for d in (national, national_2023)
        for s in d.regional_submissions()
        for i in s.institutions
    }
    change = {
        i: getattr(now[i], attribute) - getattr(before[i], attribute)
        for i in set(now) & set(before)
    }
    [sentence] = [s.text("en") for s in report.summary if s.text("en").startswith(measure + ":")]
    assert sentence.endswith(".")
    for kind, sign in (("improvements", 1 if higher else -1), ("declines", -1 if higher else 1)):
        clause = re.search(rf"the largest {kind} at (.+?)(?:;|\.$)", sentence)
        wanted = sorted((v for v in change.values() if v * sign > 0), key=abs, reverse=True)
        if not wanted:
            assert clause is None
            continue
        assert clause is not None, (kind, sentence)
        items = re.findall(r"(.+?) \(([+\u2212]\d+)\)(?:, |$)", clause.group(1))
        assert len(items) == min(3, len(wanted))
        for name, text in items:
            value = int(text.replace("\u2212", "-"))
            assert change[names[name]] == value
        assert sorted((abs(int(t.replace("\u2212", "-"))) for _, t in items), reverse=True) == [
            abs(v) for v in wanted[: len(items)]
        ]
    sq = [s.text("sq") for s in report.summary]
    assert any("përmirësimet më të mëdha te" in s for s in sq)


def test_summary_names_no_change_the_public_tables_hide(national, national_2023) -> None:
    """A median's change hidden in the published comparison is never named."""
    report = build_report(national, compare=[national_2023], generated_on=DAY)
    table = report.table("institution_comparison")
    from krat_core.reporting.institutions import change_columns

    [(_, col, way)] = [c for c in change_columns(table) if c[0].text("en").startswith("Median")]
    assert way == "lower"
    hidden = {
        r[table.label_cols - 1].text("en") for r in table.rows if isinstance(r[col], Suppressed)
    }
    sentences = [s.text("en") for s in report.summary if s.text("en").startswith("Median days")]
    assert hidden
    for sentence in sentences:
        for name in hidden:
            assert f"{name} (" not in sentence


def test_coming_year_has_the_observances(national) -> None:
    report = build_report(national, generated_on=DAY)
    ahead = report.table("calendar_ahead")
    dates = [format_cell(r[1], "en") for r in ahead.rows]
    assert "2025-07-30" in dates and "2025-10-18" in dates
    carried = report.table("objectives_ahead")
    open_ = [
        o
        for s in national.regional_submissions()
        for o in s.objectives
        if o.status
        in (
            ObjectiveStatus.NOT_STARTED,
            ObjectiveStatus.IN_PROGRESS,
            ObjectiveStatus.PARTIALLY_ACHIEVED,
            ObjectiveStatus.NOT_ACHIEVED,
        )
    ]
    assert len(carried.rows) == len(open_)
    summary = report.table("calendar_summary")
    total = sum(a.national_calendar for s in national.regional_submissions() for a in s.activities)
    assert summary.rows[-1][-1] == total


# --------------------------------------------------------------------------- the document


def test_cover_uses_the_configuration(tmp_path, durres_2024, registry) -> None:
    config = tmp_path / "krat.toml"
    config.write_text(
        '[report]\nissuer = "Komiteti Rajonal Antitrafik Durrës"\nplace = "Durrës"\n'
        'document_number = "Nr. 12/3"\nsignatory = "A. B."\nsignatory_title = "Kryetar"\n',
        encoding="utf-8",
    )
    path = tmp_path / "a.docx"
    options = ExportOptions(generated_on=DAY, config=load_config(config))
    export(durres_2024, path, options=options, registry=registry)
    document = docx.Document(str(path))
    cover = "\n".join(p.text for p in document.paragraphs[:10])
    assert "Komiteti Rajonal Antitrafik Durrës" in cover
    assert "Nr. prot.: Nr. 12/3" in cover and "Durrës, më 10.02.2025" in cover
    text = "\n".join(p.text for p in document.paragraphs)
    assert "A. B.\nKryetar" in text
    assert "[Për t'u plotësuar nga komiteti" in text


@pytest.mark.parametrize(
    "content",
    ["[report]\nissuer = 3\n", '[report]\nisuer = "x"\n', "[other]\n", "not toml ="],
)
def test_bad_configuration_is_refused(tmp_path, content) -> None:
    path = tmp_path / "krat.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReportConfigError):
        load_config(path)


def test_configuration_defaults() -> None:
    assert ReportConfig(issuer="A").issuer_text("en") == "A"
    assert ReportConfig(issuer="A", issuer_en="B").issuer_text("en") == "B"


def test_committee_audience_is_marked_on_every_page(tmp_path, durres_2024, registry) -> None:
    path = tmp_path / "c.docx"
    options = ExportOptions(generated_on=DAY, audience="committee")
    export(durres_2024, path, options=options, registry=registry)
    document = docx.Document(str(path))
    for section in document.sections:
        assert "KONFIDENCIALE" in section.header.paragraphs[0].text
        assert "KONFIDENCIALE" in section.footer.paragraphs[0].text
    assert "KONFIDENCIALE" in document.sections[0].first_page_header.paragraphs[0].text
    public = tmp_path / "p.docx"
    export(durres_2024, public, options=ExportOptions(generated_on=DAY), registry=registry)
    assert "KONFIDENCIALE" not in "".join(
        p.text for s in docx.Document(str(public)).sections for p in s.header.paragraphs
    )


# --------------------------------------------------------------------------- exporters are total


def _hostile(sub: Submission) -> Submission:
    text = "Rresht\nrresht\ttab \x00 nul \x1b esc \u2028X-INJECTED:1 😀 中文 \ufffe"
    inst = sub.institutions[0].model_copy(update={"name": text})
    act = sub.activities[0].model_copy(update={"title": text, "national_calendar": True})
    obj = sub.objectives[0].model_copy(update={"title": text})
    return sub.model_copy(
        update={
            "institutions": [inst, *sub.institutions[1:]],
            "activities": [act, *sub.activities[1:]],
            "objectives": [obj, *sub.objectives[1:]],
        }
    )


ALL_OUTPUTS = ExportOptions(records=True)
"""Totality is tested on every output, the record-level ones included."""


@pytest.mark.parametrize("fmt", sorted(FORMATS_ALL))
def test_controls_emoji_and_cjk_in_names_and_titles(tmp_path, durres_2024, registry, fmt) -> None:
    """Regression: a line break, tab, NUL, ESC, U+2028, emoji or CJK character in an
    institution name or a title made the Word report fail (missing glyph) and the
    workbooks fail (illegal character); the ICS and CSV wrote NUL and ESC raw."""
    path = tmp_path / f"out{FORMATS_ALL[fmt]}"
    export(_hostile(durres_2024), path, format=fmt, options=ALL_OUTPUTS, registry=registry)
    data = path.read_bytes()
    if fmt == "ics":
        assert b"\x00" not in data and b"\x1b" not in data
        lines = data.decode("utf-8").split("\r\n")
        assert not any(line.startswith("X-INJECTED") for line in lines)
        assert "\u2028" not in data.decode("utf-8")
    if fmt == "csv":
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                member = z.read(name)
                assert b"\x00" not in member and b"\x1b" not in member, name


def test_zero_cases_xlsx(tmp_path, durres_2024, registry) -> None:
    """Regression: `krat report` to xlsx failed with `min() arg is an empty sequence`."""
    empty = durres_2024.model_copy(update={"cases": [], "activities": [], "objectives": []})
    for fmt, suffix in FORMATS_ALL.items():
        export(
            empty,
            tmp_path / f"empty-{fmt}{suffix}",
            format=fmt,
            options=ALL_OUTPUTS,
            registry=registry,
        )
    wb = openpyxl.load_workbook(tmp_path / "empty-xlsx.xlsx")
    assert wb.sheetnames[0] == "Rreth raportit"


def test_one_region_national_dataset(tmp_path, registry) -> None:
    one = _national([generate_submission("AL-05", 2024)], "2024")
    for fmt, suffix in FORMATS_ALL.items():
        export(
            one, tmp_path / f"one-{fmt}{suffix}", format=fmt, options=ALL_OUTPUTS, registry=registry
        )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(sub=submissions(max_records=3))
@example(sub=_hostile(generate_submission("AL-02", 2024)))
def test_every_exporter_writes_any_valid_submission(tmp_path_factory, registry, sub) -> None:
    """Property: every built-in exporter succeeds on any submission the models accept
    (any Unicode text, empty lists), in both languages."""
    out = tmp_path_factory.mktemp("any")
    for lang in ("sq", "en"):
        options = ExportOptions(lang=lang, generated_on=DAY, records=True)
        for fmt, suffix in FORMATS_ALL.items():
            export(
                sub, out / f"{lang}-{fmt}{suffix}", format=fmt, options=options, registry=registry
            )


# --------------------------------------------------------------------------- reproducible bytes


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "htcds"])
def test_same_input_and_date_give_the_same_bytes(tmp_path, durres_2024, registry, fmt) -> None:
    suffix = FORMATS_ALL[fmt]
    options = ExportOptions(
        generated_on=DAY, compare=[generate_submission("AL-02", 2023)], records=fmt == "htcds"
    )
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    export(durres_2024, first, format=fmt, options=options, registry=registry)
    import time

    time.sleep(2.1)  # zip entry times have a resolution of two seconds
    export(durres_2024, second, format=fmt, options=options, registry=registry)
    assert first.read_bytes() == second.read_bytes()


# --------------------------------------------------------------------------- CSV dialects


def test_csv_excel_eu_dialect(tmp_path, national, registry) -> None:
    path = tmp_path / "eu.zip"
    options = ExportOptions(generated_on=DAY, csv_dialect="excel-eu")
    export(national, path, options=options, registry=registry)
    with zipfile.ZipFile(path) as z:
        referral = z.read("tables/referral.csv").decode("utf-8-sig")
        readme = z.read("README.txt").decode("utf-8")
    header = referral.splitlines()[0]
    assert header.count(";") == 4 and "," not in header
    assert "excel-eu" in readme and "pikëpresje" in readme
    assert re.search(r";\d+,5\r?$", referral, re.M) or ";" in referral  # decimal comma
    for line in referral.splitlines()[1:]:
        assert not re.search(r"\d\.\d", line), line


def test_csv_integers_are_integers(tmp_path, national, registry) -> None:
    path = tmp_path / "t.zip"
    export(national, path, options=ExportOptions(generated_on=DAY), registry=registry)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("tables/"):
                assert not re.search(rb"(^|,)\d+\.0(,|\r)", z.read(name), re.M), name


def test_region_rows_repeat_after_a_page_break(tmp_path, national, registry) -> None:
    """In a table grouped by region, the region row is a header row (Word repeats
    header rows on every page), one Word table per region."""
    path = tmp_path / "n.docx"
    export(national, path, options=ExportOptions(generated_on=DAY), registry=registry)
    document = docx.Document(str(path))
    regions = {REGIONS[s.region].sq for s in national.regional_submissions()}
    grouped = 0
    for table in document.tables:
        heads = [r for r in table.rows if "<w:tblHeader/>" in r._tr.xml]
        last = {c.text for c in heads[-1].cells}
        if len(last) == 1 and last <= regions:
            grouped += 1
            assert all(len({c.text for c in r.cells}) > 1 for r in table.rows[len(heads) :])
    # the action plan and institution performance, each with a table per region
    assert grouped >= 2 * len(regions)


@pytest.mark.parametrize("region", [None, "AL-02"])
def test_no_median_is_shown_beside_a_hidden_count(national, national_2023, region) -> None:
    """A median is published only when the cases it rests on are at least the threshold;
    shown beside a hidden count of its row it would tell the reader that count is at least
    the threshold, a bound the audit does not assume. So it is hidden with the count."""
    from krat_core.reporting.tables import Stat

    def pick(dataset: NationalDataset) -> Any:
        if region is None:
            return dataset
        return next(s for s in dataset.regional_submissions() if s.region == region)

    data, earlier = pick(national), pick(national_2023)
    shown = build_report(data, compare=[earlier], generated_on=DAY)
    exact = build_report(data, compare=[earlier], suppress=None, generated_on=DAY)
    checked = 0
    for table in shown.tables:
        if not table.counts_people:
            continue
        truth = exact.table(table.key)
        for row, true_row in zip(table.rows, truth.rows, strict=True):
            hidden_count = any(
                isinstance(c, Suppressed) and isinstance(t, Count)
                for c, t in zip(row, true_row, strict=True)
            )
            medians = [c for c in row if isinstance(c, Stat) and not c.of]
            if hidden_count:
                checked += 1
                assert medians == [], (table.key, format_cell(row[0], "en"))
    assert checked > 0  # the data has rows with hidden counts: the check ran
