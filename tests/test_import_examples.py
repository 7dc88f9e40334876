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
