"""The synthetic example country's files agree with each other and with SOURCES.md.

``data/countries/example_io.csv`` holds the chosen sector inputs; ``example.toml`` derives
GDP, the average wage and employment by sex from it, as ``SOURCES.md`` states.  (Before the
fix the CSV's women's shares 0.3/0.3/0.1/0.5/0.8/0.6 gave 5.55 million employed women against
5.15 million in ``example.toml`` and the shares listed in ``SOURCES.md``.)
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import numpy as np
import pandas as pd
import pytest

DATA = resources.files("carecost.investment") / "data"


@pytest.fixture(scope="module")
def io_table() -> pd.DataFrame:
    with (DATA / "countries" / "example_io.csv").open("rb") as fh:
        return pd.read_csv(fh)


@pytest.fixture(scope="module")
def macro() -> dict[str, float]:
    raw = tomllib.loads((DATA / "countries" / "example.toml").read_text(encoding="utf-8"))
    return {k: float(v["value"]) for k, v in raw["macro"].items()}


@pytest.fixture(scope="module")
def sources() -> str:
    return (DATA / "SOURCES.md").read_text(encoding="utf-8")


def test_employment_by_sex_is_derived_from_the_io_table(io_table, macro):
    women = float((io_table["employment"] * io_table["female_share"]).sum())
    total = float(io_table["employment"].sum())
    assert women == pytest.approx(5.15e6, rel=1e-12)
    assert macro["employed_women"] == pytest.approx(women, rel=1e-12)
    assert macro["employed_men"] == pytest.approx(total - women, rel=1e-12)


def test_io_table_carries_the_documented_shares(io_table, sources):
    # SOURCES.md lists the chosen employment and female_share as "1.2 M / 0.30" pairs
    pairs = re.findall(r"(\d+(?:\.\d+)?) M / (0\.\d+)", sources)
    assert len(pairs) == 6
    np.testing.assert_allclose(io_table["employment"], [float(e) * 1e6 for e, _ in pairs])
    np.testing.assert_allclose(io_table["female_share"], [float(s) for _, s in pairs])


def test_other_documented_derivations(io_table, sources, macro):
    sectors = list(io_table["sector"])
    z = io_table[sectors].to_numpy(float)
    x = io_table["output"].to_numpy(float)
    # GDP = total value added (XCU million -> XCU)
    assert macro["gdp"] == pytest.approx((x.sum() - z.sum()) * 1e6, rel=1e-12)
    # average wage = compensation per job / 1.15 (employer contributions), to the 100
    per_job = io_table["compensation"].sum() * 1e6 / io_table["employment"].sum()
    assert macro["average_wage"] == pytest.approx(round(per_job / 1.15, -2))
    # household consumption = documented shares x 300,000; compensation = shares x output
    hh = re.search(r"`household_consumption` = shares \(([^)]*)\) x 300,000", sources)
    comp = re.search(r"`compensation` = shares of\s+output \(([^)]*)\)", sources)
    assert hh is not None and comp is not None
    hh_shares = [float(v) for v in hh.group(1).split(",")]
    comp_shares = [float(v) for v in comp.group(1).split(",")]
    np.testing.assert_allclose(io_table["household_consumption"], np.array(hh_shares) * 3e5)
    np.testing.assert_allclose(io_table["compensation"], np.array(comp_shares) * x)
