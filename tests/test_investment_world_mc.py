"""Monte Carlo for every country (:func:`carecost.investment.uncertainty.world_monte_carlo`).

Each country is evaluated for all its draws in one vectorised pass; world and regional draws
sum the countries' draws, so shares of GDP are GDP-weighted draw by draw; the run at the
scenario's values equals the central all-countries run.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from carecost.investment import InvestmentInputError, scenario_from_dict
from carecost.investment.uncertainty import (
    WORLD_MC_MEASURES,
    _one_mc,
    _ppf,
    world_monte_carlo,
    world_ranges,
)
from carecost.investment.world import simulate_many
from carecost.uncertainty import Triangular, Uniform

CODES = ["MEX", "KEN", "FRA", "ARG"]


@pytest.fixture(scope="module")
def mc() -> Any:
    return world_monte_carlo(CODES, "ilo-2035", draws=200, workers=1)


@pytest.fixture(scope="module")
def central() -> Any:
    return simulate_many(CODES, "ilo-2035", workers=1)


def test_the_point_is_the_central_run(mc: Any, central: Any) -> None:
    s = mc.summary.set_index(["name", "measure"])
    for _, row in central.aggregates.iterrows():
        for m in WORLD_MC_MEASURES:
            assert s.at[(row["name"], m), "point"] == pytest.approx(row[m], rel=1e-9), m
    t = central.countries.set_index("iso3")
    for code in t.index:
        for m in WORLD_MC_MEASURES:
            assert s.at[(code, m), "point"] == pytest.approx(t.at[code, m], rel=1e-9), m


def test_intervals_have_width_and_the_scopes_and_failures_are_listed(mc: Any) -> None:
    s = mc.summary
    assert set(s["scope"]) == {"world", "region", "country"}
    world = s[s["name"] == "World"].set_index("measure")
    assert list(world.index) == list(WORLD_MC_MEASURES)
    assert (world["countries"] == 3).all() and (world["draws"] == 200).all()
    assert (world["ci_low"] < world["ci_high"]).all()
    assert (world["ci_low"] <= world["median"]).all()
    assert (world["median"] <= world["ci_high"]).all()
    # the staff ratios move the cost of the services by tens of percent
    cc = world.loc["childcare_cost_pct_gdp"]
    assert (cc["ci_high"] - cc["ci_low"]) / cc["point"] > 0.1
    assert list(mc.failures["iso3"]) == ["ARG"]
    assert "macro.average_wage" in mc.failures["error"].iloc[0]
    p, lo, hi = mc.interval("package_cost_pct_gdp")
    assert lo < p < hi
    with pytest.raises(InvestmentInputError, match="no Monte Carlo result"):
        mc.interval("package_cost_pct_gdp", "Atlantis")
    assert any("population" in n and "low, medium or high variant" in n for n in mc.notes)


def test_world_draws_are_gdp_weighted_sums_of_country_draws() -> None:
    raw = {"meta": {"preset": "ilo-2035"}}
    a = _one_mc(("MEX", raw, None, 50, 3, True, True, True))
    b = _one_mc(("KEN", raw, None, 50, 3, True, True, True))
    both = world_monte_carlo(["MEX", "KEN"], "ilo-2035", draws=50, seed=3, workers=1)
    share = 100 * (a["ltc_cost"] + b["ltc_cost"]) / (a["gdp_usd"] + b["gdp_usd"])
    w = both.summary.set_index(["name", "measure"]).loc[("World", "ltc_cost_pct_gdp")]
    assert w["point"] == pytest.approx(share[-1], rel=1e-12)
    assert w["median"] == pytest.approx(np.median(share[:-1]), rel=1e-12)
    jobs = a["jobs_total"] + b["jobs_total"]
    wj = both.summary.set_index(["name", "measure"]).loc[("World", "jobs_total")]
    assert wj["mean"] == pytest.approx(jobs[:-1].mean(), rel=1e-12)


def test_common_draws_are_the_same_quantile_in_every_country() -> None:
    raw = {"meta": {"preset": "ilo-2035"}}
    common = [_one_mc((c, raw, None, 100, 0, True, True)) for c in ("MEX", "KEN")]
    indep = [_one_mc((c, raw, None, 100, 0, False, True)) for c in ("MEX", "KEN")]
    # one country's draws do not depend on which other countries are run
    alone = world_monte_carlo(["KEN"], "ilo-2035", draws=100, workers=1,
                              population_variants=False)  # (variants: common always)
    k = alone.summary.set_index(["name", "measure"]).loc[("KEN", "childcare_cost_pct_gdp")]
    share = 100 * common[1]["childcare_cost"] / common[1]["gdp_usd"]
    assert k["median"] == pytest.approx(np.median(share[:-1]), rel=1e-12)
    # common draws: the childcare costs of two countries move together; independent: not
    r_common = np.corrcoef(common[0]["childcare_cost"][:-1], common[1]["childcare_cost"][:-1])
    r_indep = np.corrcoef(indep[0]["childcare_cost"][:-1], indep[1]["childcare_cost"][:-1])
    assert r_common[0, 1] > 0.9 and abs(r_indep[0, 1]) < 0.3


def test_ranges_are_around_the_country_values() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scn = scenario_from_dict({"meta": {"preset": "ilo-2035", "country": "KEN"}})
    by = {r.path: r for r in world_ranges(scn)}
    tax = by["fiscal.income_tax_rate"]
    assert tax.low == pytest.approx(0.75 * scn.fiscal.income_tax_rate)
    assert by["services.ecce_3_5.persons_per_staff"].dist == "triangular"
    assert by["services.ecce_3_5.persons_per_staff"].high == pytest.approx(10.0)


def test_inverse_cdfs() -> None:
    u = np.linspace(0.0, 1.0, 11)
    np.testing.assert_allclose(_ppf(Uniform(2.0, 4.0), u), 2.0 + 2.0 * u)
    t = Triangular(1.0, 2.0, 4.0)
    np.testing.assert_allclose(_ppf(t, u), [t.quantile(q) for q in u], rtol=1e-12)
    np.testing.assert_allclose(_ppf(Triangular(3.0, 3.0, 3.0), u), 3.0)


@pytest.mark.parametrize(("kw", "match"), [
    ({"draws": 1}, r"draws"), ({"seed": -1}, r"seed = -1"),
    ({"correlation": "some"}, r"correlation = 'some'"), ({"level": 2.0}, r"level"),
    ({"scheduler": "ray"}, r"scheduler = 'ray'"),
])
def test_bad_arguments_are_refused(kw: dict[str, Any], match: str) -> None:
    with pytest.raises(InvestmentInputError, match=match):
        world_monte_carlo(["MEX"], "ilo-2035", **kw)


def test_dask_gives_the_same_summary(mc: Any) -> None:
    dask = pytest.importorskip("dask")
    with dask.config.set(scheduler="sync"):
        got = world_monte_carlo(CODES, "ilo-2035", draws=200, scheduler="dask")
    np.testing.assert_allclose(got.summary[["point", "ci_low", "ci_high"]].to_numpy(float),
                               mc.summary[["point", "ci_low", "ci_high"]].to_numpy(float),
                               rtol=1e-12)
