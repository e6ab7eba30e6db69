"""Many countries at once (:func:`carecost.investment.world.simulate_many`; issue 16, item 4).

Each country's row is the country's own simulation; a country that cannot be run is listed
with the inputs it lacks (never skipped); aggregates weight shares of GDP by GDP; processes
give the same numbers as one process.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from carecost.investment import InvestmentInputError, example_scenario, scenario_from_dict, simulate
from carecost.investment.world import AREAS, WORLD_COLUMNS, simulate_many


@pytest.fixture(scope="module")
def world() -> object:
    return simulate_many(["MEX", "KEN", "FRA", "ARG", "xyz"], "ilo-2035", workers=1)


def test_one_row_per_country_equal_to_its_own_simulation(world: object) -> None:
    table = world.countries.set_index("iso3")
    assert list(table.index) == ["MEX", "KEN", "FRA"]
    assert list(world.countries.columns[6:]) == list(WORLD_COLUMNS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        own = simulate(scenario_from_dict({"meta": {"country": "MEX", "preset": "ilo-2035"}}))
    s = own.summary.set_index("year").loc[2035]
    area = own.by_policy_area().set_index("area")
    row = table.loc["MEX"]
    for a in AREAS:
        assert row[f"{a}_cost_pct_gdp"] == pytest.approx(area.at[a, "additional_cost_pct_gdp"],
                                                         rel=1e-12)
    assert row["package_cost_pct_gdp"] == pytest.approx(s["package_cost_pct_gdp"], rel=1e-12)
    assert row["jobs_total"] == pytest.approx(s["jobs_total"], rel=1e-12)
    assert row["jobs_direct_childcare"] + row["jobs_direct_ltc"] == pytest.approx(
        row["jobs_direct"], rel=1e-9)
    assert row["region"] == "Latin America and the Caribbean"
    assert row["gdp_usd"] == pytest.approx(row["gdp"] / row["lcu_per_usd"])


def test_failures_are_listed_with_the_missing_input(world: object) -> None:
    fails = world.failures.set_index("iso3")
    # Argentina has no ILOSTAT mean earnings in the database: named, not skipped
    assert "ARG" in fails.index and "XYZ" in fails.index
    assert "macro.average_wage" in fails.at["ARG", "error"]
    assert "unknown country code 'XYZ'" in fails.at["XYZ", "error"]
    assert fails.at["ARG", "name"] == "Argentina"
    assert len(world.countries) + len(world.failures) == 5


def test_aggregates_are_gdp_weighted(world: object) -> None:
    t = world.countries
    agg = world.aggregates.set_index("name")
    w = agg.loc["World"]
    assert w["countries"] == 3 and w["level"] == "world"
    for a in AREAS:
        col = f"{a}_cost_pct_gdp"
        assert w[col] == pytest.approx((t[col] * t["gdp_usd"]).sum() / t["gdp_usd"].sum())
    # a GDP-weighted share equals total cost in US$ over total GDP in US$
    assert w["package_cost_pct_gdp"] == pytest.approx(
        100 * t["package_cost_usd"].sum() / t["gdp_usd"].sum(), rel=1e-9)
    assert w["jobs_total"] == pytest.approx(t["jobs_total"].sum())
    europe = agg.loc["Europe"]
    fra = t.set_index("iso3").loc["FRA"]
    assert europe["countries"] == 1
    assert europe["ltc_cost_pct_gdp"] == pytest.approx(fra["ltc_cost_pct_gdp"])
    assert set(agg.index) == {"Africa", "Europe", "Latin America and the Caribbean", "World"}


def test_processes_give_the_same_numbers() -> None:
    calls: list[tuple[int, int]] = []
    one = simulate_many(["KEN", "MEX"], "ilo-2035", workers=1)
    two = simulate_many(["KEN", "MEX"], "ilo-2035", workers=2,
                        progress=lambda i, n: calls.append((i, n)))
    pd.testing.assert_frame_equal(one.countries, two.countries)
    assert calls == [(1, 2), (2, 2)]


def test_a_scenario_dict_is_run_for_each_country() -> None:
    raw = {"meta": {"name": "leave only", "base_year": 2022, "target_year": 2030},
           "services": [{"name": "pre", "kind": "preschool", "ages": [3, 5],
                         "current_coverage": 0.5, "target_coverage": 0.9,
                         "persons_per_staff": 10, "wage_relative_to_average": 0.8,
                         "women_share": 0.9}],
           "leave": [{"kind": "maternity", "weeks": 14, "replacement_rate": 2 / 3}]}
    res = simulate_many(["MEX", "KEN"], raw, workers=1)
    t = res.countries.set_index("iso3")
    assert (t["year"] == 2030).all() and (t["breastfeeding_cost_pct_gdp"] == 0).all()
    assert (t["leave_cost_pct_gdp"] > 0).all() and (t["ltc_cost_pct_gdp"] == 0).all()
    assert res.scenario == "leave only" and res.failures.empty


@pytest.mark.parametrize(("arg", "match"), [
    ("some", r"neither a preset"),
    ({"meta": {"preset": "ilo-2035"}, "population": {"file": "x.csv"}},
     r"sets \[population\] or \[io\]"),
    ({"services": []}, r"has no \[meta\] table"),
])
def test_bad_scenarios_are_refused_before_any_country(arg: object, match: str) -> None:
    with pytest.raises(InvestmentInputError, match=match):
        simulate_many(["MEX"], arg, workers=1)  # type: ignore[arg-type]


def test_a_loaded_scenario_and_bad_country_lists_are_refused() -> None:
    with pytest.raises(InvestmentInputError, match=r"a loaded Scenario"):
        simulate_many(["MEX"], example_scenario(), workers=1)  # type: ignore[arg-type]
    with pytest.raises(InvestmentInputError, match=r"countries = 'everything'"):
        simulate_many("everything", "ilo-2035")
    with pytest.raises(InvestmentInputError, match=r"countries is empty"):
        simulate_many([], "ilo-2035")


def test_year_outside_the_simulation_is_a_failure_row() -> None:
    res = simulate_many(["MEX"], "ilo-2035", year=2070, workers=1)
    assert res.countries.empty and np.all(res.failures["iso3"] == ["MEX"])
    assert "year = 2070 not simulated" in res.failures["error"].iloc[0]
