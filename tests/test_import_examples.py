"""An import finding's example is written for the region and period being read (issue 14:
copying the example must not give a record of another region or year)."""

from __future__ import annotations

from pathlib import Path

import pytest

from krat_core.importing.pipeline import import_files
from krat_core.plugins.descriptors import ImportOptions
from krat_core.plugins.manager import load_plugins

REGISTRY = load_plugins(env={"KRAT_PLUGINS": ""})
HEADER = "id,subject_ref,status,identified_on,identification_source,sex,minor\n"
GOOD = "AL-05-C-2024-0001," + "a" * 64 + ",VT,07.04.2024,policia,femër,jo\n"


@pytest.mark.parametrize(("region", "period"), [("AL-05", "2024"), ("AL-12", "2023-H1")])
def test_the_example_of_a_bad_id_is_for_the_region_and_year(
    tmp_path: Path, region: str, period: str
) -> None:
    path = tmp_path / "rastet.csv"
    path.write_text(HEADER + GOOD.replace("AL-05", region) + "x" + GOOD[17:], encoding="utf-8")
    result = import_files([path], ImportOptions(region=region, period=period), REGISTRY)
    bad = [f for f in result.findings if f.code == "import.bad-id"]
    assert len(bad) == 1
    expected = f"{region}-C-{period[:4]}-0001"
    assert expected in bad[0].message_sq and expected in bad[0].message_en
    assert "2019" not in bad[0].message_en


def test_every_importer_keeps_a_bounded_number_of_findings_per_code(tmp_path: Path) -> None:
    """The JSON importer (like a plugin's) hands on every finding it makes; the pipeline
    keeps the first FINDINGS_PER_CODE of each code and counts the rest in one summary."""
    import orjson

    from krat_core.demo.synthetic import generate_submission
    from krat_core.importing.guards import FINDINGS_PER_CODE

    doc = generate_submission("AL-05", 2024, cases=1500).model_dump(mode="json")
    for case in doc["cases"]:
        case["status"] = "nope"  # every case rejected at import, each with a finding
        case["sex"] = "?"
    path = tmp_path / "AL-05-2024.json"
    path.write_bytes(orjson.dumps(doc))
    result = import_files([path], ImportOptions(region="AL-05", period="2024"), REGISTRY)
    by_code: dict[str, int] = {}
    for f in result.findings:
        if "more" not in f.extra:
            by_code[f.code] = by_code.get(f.code, 0) + 1
    assert max(by_code.values()) == FINDINGS_PER_CODE
    summaries = [f for f in result.findings if "more" in f.extra]
    assert summaries and all(f.extra["more"] > 0 for f in summaries)
    total = sum(by_code.values()) + sum(f.extra["more"] for f in summaries)
    assert total >= 1500 * 2  # every rejected case's problems are kept or counted
    assert "gjetje të tjera si këto" in summaries[0].message_sq


@pytest.mark.parametrize(
    "cell",
    [
        '"{""emri"": ""Arta Hoxha"", ""datelindja"": ""12.03.2008""}"',  # not by namespace
        "{Arta Hoxha",  # not JSON at all
        '"[""Arta Hoxha""]"',  # not an object
    ],
)
def test_a_refused_extensions_cell_is_never_repeated(tmp_path: Path, cell: str) -> None:
    """The extensions column is free JSON: whatever is wrong with it, a finding names the
    column and never repeats what was typed (it may be a name)."""
    path = tmp_path / "rastet.csv"
    path.write_text(HEADER.rstrip("\n") + ",extensions\n" + GOOD.rstrip("\n") + "," + cell + "\n")
    from krat_core.errors import ImportRefused

    try:
        result = import_files([path], ImportOptions(region="AL-05", period="2024"), REGISTRY)
    except ImportRefused as refused:
        texts = " ".join(refused.texts.values())
    else:
        texts = " ".join(f.message_sq + f.message_en + repr(f.value) for f in result.findings)
        columns = {f.position.column for f in result.findings if f.position is not None}
        assert "extensions" in columns  # the finding is at the extensions cell
        texts += " Extensions (JSON)"
    assert "Extensions (JSON)" in texts
    assert "Arta" not in texts and "Hoxha" not in texts
