"""World and regional totals of unpaid care work (carecost.valuation.world) and the pieces they
use: the specialist method, statutory minimum wages, hours imputation (shipped database only)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from carecost import countries
from carecost.valuation import ValuationError
from carecost.valuation.countries import value_country
from carecost.valuation.donors import cell_donors, donor_table, impute_hours
from carecost.valuation.minimum_wages import statutory_minimum_wage
from carecost.valuation.world import value_world

SMALL = ["GBR", "FRA", "MEX", "NGA", "CHN", "IND", "USA", "DEU", "EGY", "CAN"]


@pytest.fixture(scope="module")
def world():
    return value_world(2015, draws=300, seed=1)


@pytest.fixture(scope="module")
def small():
    return value_world(2015, draws=200, seed=2, countries=SMALL)


# --------------------------------------------------------------- specialist method
def test_specialist_values_care_hours_at_major_group_5() -> None:
    r = value_country("GBR", 2015, method="replacement_specialist", basis="gross")
    w = {c: float(countries.indicator("GBR", "hourly_earnings_lcu", 2015, sex="total",
                                      category=c)["value"]) for c in ("ISCO08_9", "ISCO08_5")}
    pop = r.population
    expect = sum(365 * pop[s] * (r.hours_parts["domestic"][s] * w["ISCO08_9"]
                                 + r.hours_parts["care"][s] * w["ISCO08_5"])
                 for s in ("female", "male"))
    assert r.value_lcu == pytest.approx(expect, rel=1e-12)
    assert r.wage_parts["care"]["female"] == w["ISCO08_5"]
    assert any("sub-major group 53" in p for p in r.proxies)


def test_specialist_without_split_is_refused_with_the_series_named() -> None:
    bad = [c for c in donor_table().query("care_share_female != care_share_female")["iso3"]]
    assert bad, "some surveys publish no domestic/care split"
    with pytest.raises(ValuationError, match=r"split .*not published"):
        value_country(bad[0], method="replacement_specialist", basis="gross")


# ----------------------------------------------------------------- minimum wages
def test_statutory_minimum_wages_day_weighted() -> None:
    gbr = statutory_minimum_wage("GBR", 2015)
    assert gbr is not None
    assert gbr.wage == pytest.approx((273 * 6.50 + 92 * 6.70) / 365, rel=1e-12)
    assert statutory_minimum_wage("FRA", 2010).wage == 8.86  # type: ignore[union-attr]
    assert statutory_minimum_wage("FRA", 2012) is None  # not shipped: no rate, no guess
    assert statutory_minimum_wage("MEX", 2014) is None


def test_minimum_wage_proxy_only_when_asked_and_flagged() -> None:
    with pytest.raises(ValuationError, match="minimum_wage_proxy=True"):
        value_country("MEX", 2014, method="minimum_wage")
    p = value_country("MEX", 2014, method="minimum_wage", minimum_wage_proxy=True)
    g = value_country("MEX", 2014, basis="gross")
    assert p.value_lcu == pytest.approx(g.value_lcu, rel=1e-12)  # the proxy is the ISCO 9 wage
    assert "overstated" in p.proxies[0]
    fra = value_country("FRA", 2010, method="minimum_wage")
    assert fra.wage["female"] == 8.86 and not fra.proxies


# -------------------------------------------------------------------- imputation
def test_imputation_is_the_cell_mean_and_flagged() -> None:
    imp = impute_hours("NGA")
    d = donor_table()
    level, _, sel = cell_donors("Africa", "Lower middle income", d[d["iso3"] != "NGA"])
    assert imp.level == level and set(imp.donors) == set(sel["iso3"])
    assert imp.hours_per_day["female"] == pytest.approx(sel["hours_female"].mean())
    r = value_country("NGA", 2015, basis="gross", impute_hours=True, method="opportunity_cost") \
        if countries.available().set_index("iso3").loc["NGA", "hourly_earnings"] else None
    if r is not None:
        assert r.survey_flag == "imputed"


def test_no_survey_message_names_the_series_and_the_imputation() -> None:
    with pytest.raises(ValuationError, match=r"SDG 5.4.1.*impute_hours=True"):
        value_country("AFG", basis="gross")
    with pytest.raises(ValuationError, match="pass the year"):
        value_country("AFG", basis="gross", impute_hours=True)


def test_small_cells_fall_back() -> None:
    d = donor_table()
    level, _, sel = cell_donors("Northern America", "High income",
                                d[d["iso3"] != "CAN"], min_donors=3)
    assert level == "world" and len(sel) == len(d) - 1


# ------------------------------------------------------------------------- world
def test_world_adds_up_the_countries(world) -> None:
    c = world.countries
    h = world.quantity("world.unpaid_care_hours_per_day")
    assert h["unit"] == "billion hours per day"
    assert "age bases differ" in h["flags"][0] and "10+" in h["flags"][0]  # stated, not silent
    assert h["estimate"] == pytest.approx(c["hours_per_day_total"].sum() / 1e9, rel=1e-12)
    ws = world.quantity("world.women_share")
    assert ws["estimate"] == pytest.approx(
        100 * (c["hours_female"] * c["population_female"]).sum() / c["hours_per_day_total"].sum())
    n = world.quantity("world.countries_with_survey")["estimate"]
    assert n == (c["hours_source"] == "survey").sum() >= 80
    pct = world.quantity("world.value_pct_gdp.minimum_wage")
    ok = c["minimum_wage.value_ppp"].notna()
    assert pct["estimate"] == pytest.approx(
        100 * c.loc[ok, "minimum_wage.value_ppp"].sum() / c.loc[ok, "gdp_ppp"].sum())
    assert pct["unit"] == "% of world GDP"
    for q in world.quantities:
        if q["ci_low"] is not None:
            assert q["ci_low"] <= q["ci_high"]
    # every country with population is in, the rest are listed with a reason
    assert len(c) + len(world.excluded) == len(countries.available())
    assert world.excluded["reason"].str.contains("WPP 2019").all()


def test_world_flags_every_imputation(world) -> None:
    c = world.countries
    imp = c[c["hours_source"] == "imputed"]
    assert len(imp) > 50
    assert imp["flags"].str.contains("hours imputed").all()
    assert imp["imputation"].str.contains("mean of").all()
    assert (c.loc[c["hours_source"] == "survey", "imputation"] == "").all()
    wi = c["replacement_generalist.wage_source"] == "imputed"
    assert c.loc[wi, "replacement_generalist.wage_how"].str.contains("imputed").all()
    # surveyed countries keep their survey's age base; imputed ones are 15+
    assert set(imp["ages"]) == {"15+"}
    assert {"10+", "15+"} <= set(c["ages"])


def test_country_value_moves_with_gdp_per_capita(small) -> None:
    """GBR 2015 in the world table equals value_country for its 2015 survey at gross."""
    row = small.countries.set_index("iso3").loc["GBR"]
    vc = value_country("GBR", 2015, basis="gross")
    assert row["survey_year"] == 2015
    assert row["replacement_generalist.value_lcu"] == pytest.approx(vc.value_lcu, rel=1e-9)


def test_regions_and_intervals(small) -> None:
    reg = small.regions.set_index("name")
    assert reg.loc["World", "countries"] == len(SMALL)
    parts = reg.drop(index="World")
    assert parts["hours_bn_per_day"].sum() == pytest.approx(reg.loc["World", "hours_bn_per_day"])
    # surveyed-only regions have no imputation spread in hours
    na = small.quantity("region.northern_america.unpaid_care_hours_per_day")
    assert na["ci_low"] == pytest.approx(na["ci_high"])
    w = small.quantity("world.value_pct_gdp.replacement_generalist")
    assert w["ci_low"] < w["estimate"] < w["ci_high"]


def test_impute_false_excludes_and_says_why() -> None:
    r = value_world(2015, draws=20, countries=["GBR", "AFG"], impute=False,
                    method="replacement_generalist")
    assert list(r.countries["iso3"]) == ["GBR"]
    assert "impute=False" in r.excluded.set_index("iso3").loc["AFG", "reason"]


def test_json_layout(small, tmp_path) -> None:
    p = tmp_path / "world.json"
    small.to_json(p)
    doc = json.loads(p.read_text(encoding="utf-8"))
    ids = {q["id"] for q in doc["tables"]["quantities"]}
    assert {"world.unpaid_care_hours_per_day", "world.women_share",
            "world.value_pct_gdp.minimum_wage", "world.countries_with_survey"} <= ids
    assert len(doc["tables"]["countries"]) == len(SMALL)
    assert doc["about"] and doc["carecost_version"]
    units = {q["id"]: q["unit"] for q in doc["tables"]["quantities"]}
    assert units["world.women_share"] == "% of hours"


def test_bad_input() -> None:
    with pytest.raises(ValuationError, match="allowed"):
        value_world(2015, method="hybrid")
    with pytest.raises(ValuationError, match="2000-2023"):
        value_world(1990)
    with pytest.raises(ValuationError, match="unknown country"):
        value_world(2015, countries=["XXZ"])
    with pytest.raises(ValuationError, match="min_donors"):
        value_world(2015, min_donors=0)


def test_seeded_draws_reproduce() -> None:
    a = value_world(2015, draws=50, seed=5, countries=["NGA", "GBR"], method="minimum_wage")
    b = value_world(2015, draws=50, seed=5, countries=["NGA", "GBR"], method="minimum_wage")
    assert np.array_equal(a.draws.to_numpy(), b.draws.to_numpy())
