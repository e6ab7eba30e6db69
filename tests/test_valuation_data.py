"""The data shipped with carecost.valuation are consistent and documented."""

from __future__ import annotations

from importlib import resources

import pandas as pd

from carecost.timeuse import icatus_crosswalk
from carecost.valuation import (
    atus_activity_map,
    atus_activity_table,
    atus_valuation_crosswalk,
    atus_wage_cells,
    bea_household_production,
    oes_published,
)

DATA = resources.files("carecost.valuation") / "data"


def test_every_shipped_file_is_described_in_sources() -> None:
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    for f in DATA.iterdir():
        if f.name.endswith(".csv"):
            assert f"`{f.name}`" in sources, f.name


def test_groups_crosswalk_and_map_agree() -> None:
    cw = atus_valuation_crosswalk(with_table1=False)
    table = atus_activity_table()
    assert set(cw.targets) == set(table["group"])
    full = atus_activity_map(include_help_to_other_households=True)
    assert set(full.groups) == set(cw.targets)
    assert "Help to other households" not in atus_activity_map().groups
    # every occupation of the map has a cell of the ATUS file
    cells = atus_wage_cells()
    assert {o for o in full.occupations if o} <= set(cells)


def test_groups_are_disjoint_and_inside_icatus_3_4() -> None:
    cw = atus_valuation_crosswalk(with_table1=False)
    codes = pd.Series(["020101", "020203", "020681", "020903", "029999", "070101", "080401",
                       "080501", "090101", "100201", "100383", "100399", "030101", "030401",
                       "039999", "180280", "180381", "180804", "180801", "181002", "040101",
                       "120303"])
    mem = cw.membership(codes)
    assert (mem.sum(axis=1) <= 1).all()
    icatus = icatus_crosswalk().recode(codes).str[0]
    core = mem.drop(columns="Help to other households").any(axis=1)
    assert (core.to_numpy() == icatus.isin(["3", "4"]).to_numpy()).all()


def test_published_tables_have_sources() -> None:
    oes = oes_published()
    assert oes["source_url"].str.startswith("http").all()
    assert (oes["mean_hourly_wage"] > 0).all()
    bea = bea_household_production()
    assert bea["url"].str.startswith("http").all()
