"""Valuation time series (carecost.valuation.history): SDG 5.4.1 survey years for any country,
and every ATUS year 2003-2016 for the United States (real microdata, ../shared/data)."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pytest

from carecost import countries
from carecost.paths import shared_data_dir
from carecost.valuation import ValuationError
from carecost.valuation.countries import value_country
from carecost.valuation.history import us_minimum_wage_average, us_value_history, value_history

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
SHARED = shared_data_dir([Path(__file__).parent]) or ROOT.parent / "shared" / "data"
ATUS = SHARED / "atus_0316"
needs_atus = pytest.mark.skipif(not (ATUS / "atusact.parquet").exists(),
                                reason=f"real ATUS data not found at {ATUS} "
                                       "(set CARECOST_SHARED_DATA)")


def test_aggregate_history_is_value_country_per_year() -> None:
    h = value_history("ITA")
    assert list(h.table["year"]) == [2003, 2009, 2014]
    for _, r in h.table.iterrows():
        vc = value_country("ITA", int(r["year"]), basis="gross", age_group="Y_GE15")
        assert r["value"] == pytest.approx(vc.value_lcu, rel=1e-12)
        assert r["pct_gdp"] == pytest.approx(vc.pct_gdp, rel=1e-12)
    assert h.table["value_se"].isna().all() and "no sampling errors" in h.variance


def test_aggregate_history_keeps_one_age_group() -> None:
    h = value_history("KOR")
    assert "Y_GE10" in h.notes[0] and "Y_GE15" in h.notes[1]  # the 15+ year is left out
    assert len(h.table) >= 2


def test_one_survey_is_not_a_history() -> None:
    with pytest.raises(ValuationError, match=r"fewer than two .*Y_GE15': \[2014\]"):
        value_history("CMR")
    with pytest.raises(ValuationError, match="no survey"):
        value_history("AFG")
    with pytest.raises(ValuationError, match="no Y_GE15 survey in"):
        value_history("ITA", years=[2005])


def test_us_minimum_wage_year_average() -> None:
    # 5.85 from 24 July 2007, 5.15 before: 204 days at 5.15, 161 at 5.85
    rate, how = us_minimum_wage_average(2007)
    assert rate == pytest.approx((204 * 5.15 + 161 * 5.85) / 365, rel=1e-12)
    assert "Public Law 110-28" in how
    assert us_minimum_wage_average(2012)[0] == 7.25


@pytest.fixture(scope="module")
def atus():
    from carecost.timeuse import read_atus
    from carecost.valuation import atus_valuation_crosswalk

    return read_atus(ATUS, crosswalk=atus_valuation_crosswalk())


@needs_atus
@pytest.mark.realdata
def test_us_history_every_year(atus) -> None:
    h = us_value_history(atus)
    t = h.table
    assert list(t["year"]) == list(range(2003, 2017))
    # value = annual hours x the year's minimum wage; share = value / WDI GDP of the year
    assert np.allclose(t["value"], t["annual_hours"] * t["wage"], rtol=1e-10)
    gdp = countries.series("USA", "gdp_lcu").set_index("year")["value"]
    assert np.allclose(t["gdp"], gdp.loc[t["year"]].to_numpy())
    assert np.allclose(t["pct_gdp"], 100 * t["value"] / t["gdp"])
    # design-based SEs per year, intervals around the estimates
    assert (t["value_se"] > 0).all() and (t["pct_gdp_se"] > 0).all()
    assert (t["value_ci_low"] < t["value"]).all() and (t["value"] < t["value_ci_high"]).all()
    assert (t["wage"].iloc[:4] == 5.15).all() and (t["wage"].iloc[-7:] == 7.25).all()
    # ~3.7-3.9 h/day women, ~2.2-2.4 men (ICATUS 3 + 4, all persons 15+)
    assert t["hours_per_day_female"].between(3.4, 4.2).all()
    assert t["hours_per_day_male"].between(2.0, 2.7).all()
    assert t["pct_gdp"].between(8, 15).all()
    ax = h.plot()
    assert len(ax.lines) == 1 and len(ax.lines[0].get_xdata()) == 14
    assert "weights-only" in h.variance


@needs_atus
@pytest.mark.realdata
def test_us_history_generalist_wage_from_each_year(atus) -> None:
    h = us_value_history(atus, method="generalist", years=[2003, 2016])
    t = h.table
    assert list(t["year"]) == [2003, 2016]
    assert (t["wage"] > 7.25).all()  # the household-worker cell earns above the minimum
    assert t["wage_source"].str.contains("household-worker cell").all()
    with pytest.raises(ValuationError, match="not in the data"):
        us_value_history(atus, years=[2019])
    with pytest.raises(ValuationError, match="method"):
        us_value_history(atus, method="specialist")
