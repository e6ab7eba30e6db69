"""The fast all-countries run (issue 16, speed): same numbers, any scheduler.

:func:`carecost.investment.world.simulate_many` reads the country database through
per-process indexes (:mod:`carecost.investment._countries`) and evaluates each country without
building :func:`carecost.investment.simulate`'s tidy tables.  These tests check that the
indexes return exactly what the database accessors return, that a row equals the one made
from ``simulate()`` column by column, and that a process pool and Dask give the same rows.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

from carecost import countries
from carecost.investment import InvestmentInputError, scenario_from_dict, simulate
from carecost.investment import _countries as cc
from carecost.investment.model import AREA_OF_KIND
from carecost.investment.world import AREAS, WORLD_COLUMNS, _one, simulate_many

# WIOD and rest-of-world countries, some without earnings, GDP or population detail
CODES = ["MEX", "KEN", "FRA", "ARG", "IND", "TWN", "PRK", "USA", "LBY", "VUT", "SSD", "ESH"]


def _call(fn: Any, *args: Any, **kw: Any) -> tuple[str, Any]:
    try:
        return "ok", fn(*args, **kw)
    except countries.CountryDataError as err:
        return "error", str(err)


@pytest.mark.parametrize("code", CODES)
def test_indicator_index_returns_what_the_database_returns(code: str) -> None:
    names = [n for n, s in countries.INPUTS.items() if s.indicator]
    for name in [*names, "gdp_lcu", "gdp_usd", cc.INPUT_EARNINGS]:
        for year in (2005, 2023, 2040):
            assert _call(cc.db_indicator, code, name, year) == _call(
                countries.indicator, code, name, year), (code, name, year)
            got = cc._get(code, name, year)
            want = _call(countries.indicator, code, name, year)
            assert (got is None) == (want[0] == "error")
            if got is not None:
                assert got == want[1]
    for sex in ("female", "male", "total"):
        assert _call(cc.db_indicator, code, cc.INPUT_EARNINGS, 2023, sex=sex) == _call(
            countries.indicator, code, cc.INPUT_EARNINGS, 2023, sex=sex)
    assert cc._observed_years(code, "gdp_lcu") == [
        int(y) for y in countries.series(code, "gdp_lcu")["year"]]


def test_unknown_and_lower_case_codes_go_to_the_database() -> None:
    assert _call(cc.db_indicator, "mex", "gdp_lcu", 2019) == _call(
        countries.indicator, "mex", "gdp_lcu", 2019)
    kind, msg = _call(cc.db_indicator, "XYZ", "gdp_lcu", 2019)
    assert kind == "error" and "unknown country code 'XYZ'" in msg
    with pytest.raises(countries.CountryDataError, match="not an indicator"):
        cc.db_indicator("MEX", "population", 2019)


@pytest.mark.parametrize("code", ["MEX", "KEN", "FRA", "IND", "VUT"])
def test_population_slices_return_what_the_database_returns(code: str) -> None:
    years = list(range(2023, 2036))
    pd.testing.assert_frame_equal(cc.db_population(code, years),
                                  countries.population(code, years))
    with pytest.raises(countries.CountryDataError, match="outside the shipped population"):
        cc.db_population(code, [1990])


@pytest.mark.parametrize("code", ["MEX", "KEN", "FRA", "DEU", "NGA", "TWN", "VUT", "ESH"])
def test_io_tables_are_the_database_tables(code: str) -> None:
    got, want = cc.db_io_table(code), countries.io_table(code)
    for f in dataclasses.fields(want):
        a, b = getattr(got, f.name), getattr(want, f.name)
        if isinstance(b, pd.DataFrame | pd.Series):
            assert b.equals(a), (code, f.name)
        elif isinstance(b, float) and np.isnan(b):
            assert np.isnan(a), (code, f.name)
        else:
            assert a == b, (code, f.name)


def _reference_row(iso3: str) -> dict[str, Any]:
    """The row as made from :func:`simulate` (the implementation before the speed-up)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scn = scenario_from_dict({"meta": {"preset": "ilo-2035", "country": iso3}})
        res = simulate(scn)
    yr = scn.target_year
    s = res.summary.set_index("year").loc[yr]
    pyear = scn.price_year if scn.price_year is not None else scn.base_year
    rate = float(countries.indicator(iso3, "gdp_lcu", pyear)["value"]) / float(
        countries.indicator(iso3, "gdp_usd", pyear)["value"])
    area = res.by_policy_area(yr).set_index("area")["additional_cost_pct_gdp"]
    bs = res.by_service[res.by_service["year"] == yr]
    kinds = {x.name: AREA_OF_KIND.get(x.kind, x.kind) for x in scn.services}
    direct = {a: float(((bs["care_staff_fte"] + bs["other_staff_fte"])
                        [bs["service"].map(kinds) == a]).sum()) for a in ("childcare", "ltc")}
    row = {"iso3": iso3, "year": yr, "base_year": scn.base_year, "price_year": pyear,
           "lcu_per_usd": rate, "gdp": float(s["gdp"]), "gdp_usd": float(s["gdp"]) / rate,
           **{f"{a}_cost_pct_gdp": float(area.get(a, 0.0)) for a in AREAS},
           "package_cost_pct_gdp": float(s["package_cost_pct_gdp"]),
           "package_cost_usd": float(s["package_cost"]) / rate,
           "jobs_direct_childcare": direct["childcare"], "jobs_direct_ltc": direct["ltc"],
           "employment_unit": res.model.employment_unit, "warnings": len(caught),
           "imputed": ", ".join(x.input for x in scn.input_sources
                                if str(x.flag).startswith("imputed"))}
    for k in ("jobs_direct", "jobs_indirect", "jobs_induced", "jobs_total", "jobs_women",
              "women_emp_rate_change_pp", "net_funding_pct_gdp",
              "package_net_funding_pct_gdp"):
        row[k] = float(s[k])
    return row


@pytest.mark.parametrize("code", ["MEX", "KEN", "FRA"])
def test_a_row_is_the_simulate_row_in_every_column(code: str) -> None:
    got, want = _one(code, {"meta": {"preset": "ilo-2035"}}, None), _reference_row(code)
    assert set(got) == {"iso3", *WORLD_COLUMNS}
    for k in ("iso3", *WORLD_COLUMNS):
        if isinstance(want[k], float):
            assert got[k] == pytest.approx(want[k], rel=1e-12, nan_ok=True), k
        else:
            assert got[k] == want[k], k


@pytest.fixture(scope="module")
def local() -> Any:
    return simulate_many(["KEN", "MEX", "ARG", "FRA"], "ilo-2035", workers=1)


def test_dask_local_scheduler_gives_the_same_rows(local: Any) -> None:
    dask = pytest.importorskip("dask")
    calls: list[tuple[int, int]] = []
    with dask.config.set(scheduler="sync"):
        got = simulate_many(["KEN", "MEX", "ARG", "FRA"], "ilo-2035", scheduler="dask",
                            progress=lambda i, n: calls.append((i, n)))
    pd.testing.assert_frame_equal(got.countries, local.countries)
    pd.testing.assert_frame_equal(got.failures, local.failures)
    pd.testing.assert_frame_equal(got.aggregates, local.aggregates)
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_dask_client_one_task_per_country(local: Any) -> None:
    distributed = pytest.importorskip("distributed")
    calls: list[tuple[int, int]] = []
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                            dashboard_address=None) as client:
        got = simulate_many(["KEN", "MEX", "ARG", "FRA"], "ilo-2035", client=client,
                            progress=lambda i, n: calls.append((i, n)))
    pd.testing.assert_frame_equal(got.countries, local.countries)
    assert sorted(calls) == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_process_pool_gives_the_same_rows(local: Any) -> None:
    got = simulate_many(["KEN", "MEX", "ARG", "FRA"], "ilo-2035", workers=2)
    pd.testing.assert_frame_equal(got.countries, local.countries)
    pd.testing.assert_frame_equal(got.failures, local.failures)


def test_unknown_scheduler_is_refused() -> None:
    with pytest.raises(InvestmentInputError, match="scheduler = 'ray'"):
        simulate_many(["MEX"], "ilo-2035", scheduler="ray")


def test_aggregates_are_finite_for_every_country_simulated(local: Any) -> None:
    t = local.countries
    cols = [f"{a}_cost_pct_gdp" for a in AREAS] + ["jobs_total", "gdp_usd"]
    assert np.isfinite(t[cols].to_numpy(dtype=float)).all()


def test_the_sorted_indicator_rows_are_the_database_index_rows() -> None:
    from carecost.countries import _store

    idx, mine = _store.indicator_index(), cc._indicator_rows()
    assert len(idx) == len(mine)
    for i, col in enumerate(["iso3", "indicator", "sex", "category"]):
        assert np.array_equal(idx.index.get_level_values(i).to_numpy(object),
                              mine[col].to_numpy(object))
    for col in ("year", "value", "flag", "note", "unit", "source"):
        a, b = idx[col].to_numpy(object), mine[col].to_numpy(object)
        assert pd.Series(a).equals(pd.Series(b)), col
