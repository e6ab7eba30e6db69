"""Population variants and imputed average wages in the world run (issue 16).

* :func:`carecost.investment.uncertainty.world_monte_carlo` draws the UN WPP 2019 low,
  medium or high variant (equal weight, the same in every country in a draw);
* ``simulate_many(..., impute=True)`` imputes a missing ``macro.average_wage`` from donors of
  the same region x income group, flagged, never silently.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from carecost import countries
from carecost.investment import InvestmentInputError, io_model_for, scenario_from_dict
from carecost.investment import _countries as cdb
from carecost.investment.model import _evaluate
from carecost.investment.uncertainty import (
    WORLD_POPULATION_VARIANTS,
    _one_mc,
    variant_of_draws,
    world_monte_carlo,
)
from carecost.investment.world import simulate_many

PRESET = {"meta": {"preset": "ilo-2035", "country": "KEN"}}


def _scenario(code: str, **options: Any) -> Any:
    with cdb.database_options(**options):
        return scenario_from_dict({"meta": {"preset": "ilo-2035", "country": code}})


# ------------------------------------------------------------------ population variants
@pytest.mark.parametrize("code", ["KEN", "MEX"])
def test_persons_in_need_of_childcare_low_medium_high(code: str) -> None:
    need = {}
    for v in ("low", "medium", "high"):
        scn = _scenario(code, population_variant=v)
        run = _evaluate(scn, io_model_for(scn), detail=True)
        need[v] = {name: np.asarray(res.need_population, dtype=float)
                   for name, res in run.services.items()
                   if name.startswith("ecce") or "child" in name}
    assert need["medium"], "the preset has childcare services"
    yr = list(_scenario(code).years).index(2035)
    for name in need["medium"]:
        lo, mid, hi = (need[v][name].reshape(-1)[yr] for v in ("low", "medium", "high"))
        assert lo < mid < hi, name  # fertility half a child below / above the medium
    # the 2020 base and the estimates are common to every variant
    assert need["low"][name].reshape(-1)[0] == pytest.approx(
        need["high"][name].reshape(-1)[0], rel=0.05)


def test_db_population_variant_is_the_database_s() -> None:
    years = [2020, 2030, 2035]
    for v in ("low", "high"):
        got = cdb.db_population("KEN", years, variant=v)
        pd.testing.assert_frame_equal(got, countries.population("KEN", years, variant=v))
        with cdb.database_options(population_variant=v):
            pd.testing.assert_frame_equal(cdb.db_population("KEN", years), got)
    with pytest.raises(InvestmentInputError, match="population_variant"):
        with cdb.database_options(population_variant="constant"):
            pass


def test_variant_flag_is_in_the_sources() -> None:
    src = _scenario("KEN", population_variant="high").sources().set_index("input")
    assert "high variant" in str(src.at["macro.gdp_growth", "flag"])
    src = _scenario("KEN").sources().set_index("input")
    assert "medium variant" in str(src.at["macro.gdp_growth", "flag"])


def test_variants_are_drawn_with_equal_weight_and_common_across_countries() -> None:
    v = variant_of_draws(5, 3000)
    share = np.bincount(v, minlength=3) / 3000
    assert np.all(np.abs(share - 1 / 3) < 0.04), share
    assert np.array_equal(v, variant_of_draws(5, 3000))
    assert WORLD_POPULATION_VARIANTS == ("low", "medium", "high")


def test_variants_widen_the_jobs_interval_and_keep_the_point() -> None:
    codes = ["KEN", "MEX", "IND"]
    kw: dict[str, Any] = {"draws": 150, "seed": 2, "workers": 1, "ltc_need": False}
    without = world_monte_carlo(codes, "ilo-2035", population_variants=False, **kw)
    with_v = world_monte_carlo(codes, "ilo-2035", population_variants=True, **kw)
    for m in ("jobs_direct_childcare", "jobs_total", "childcare_cost_pct_gdp"):
        p0, lo0, hi0 = without.interval(m)
        p1, lo1, hi1 = with_v.interval(m)
        assert p1 == pytest.approx(p0, rel=1e-12)  # the point is the medium variant
        assert hi1 - lo1 >= hi0 - lo0, m
    assert any(n.startswith("population: UN WPP") for n in with_v.notes)
    assert any("medium variant only" in n for n in without.notes)


def test_one_country_draws_follow_the_variant_of_each_draw() -> None:
    raw = {"meta": {"preset": "ilo-2035"}}
    a = _one_mc(("KEN", raw, None, 60, 4, True, False, True, ()))
    b = _one_mc(("KEN", raw, None, 60, 4, True, False, False, ()))
    v = variant_of_draws(4, 60)
    ratio = a["jobs_direct_childcare"][:-1] / b["jobs_direct_childcare"][:-1]
    # same other draws: 1 for the medium draws, below 1 for low, above for high (nearly one
    # number per variant: the services' age groups differ in their variant ratios)
    for g, want in ((0, -1), (1, 0), (2, 1)):
        r = ratio[v == g]
        assert r.size and np.allclose(r, r[0], rtol=0.01)
        assert all(np.sign(round(float(x) - 1.0, 12)) == want for x in r)
    assert a["jobs_direct_childcare"][-1] == b["jobs_direct_childcare"][-1]


# ------------------------------------------------------------------ imputed average wage
@pytest.fixture(scope="module")
def imputed() -> Any:
    return simulate_many(["JPN", "AUS", "CHN", "KEN"], "ilo-2035", workers=1, impute=True)


def test_imputation_is_opt_in_and_flagged(imputed: Any) -> None:
    plain = simulate_many(["JPN", "AUS"], "ilo-2035", workers=1)
    assert list(plain.failures["iso3"]) == ["JPN"]
    assert "macro.average_wage" in plain.failures["error"].iloc[0]
    assert (plain.countries["imputed"] == "").all()
    t = imputed.countries.set_index("iso3")
    assert "macro.average_wage" in t.at["JPN", "imputed"]
    assert t.at["AUS", "imputed"] == "" and t.at["KEN", "imputed"] == ""
    # AUS has its own data: the same numbers with or without imputation asked
    assert t.at["AUS", "package_cost_pct_gdp"] == pytest.approx(
        plain.countries.set_index("iso3").at["AUS", "package_cost_pct_gdp"], rel=1e-12)
    assert any("imputation asked" in n for n in imputed.notes)


def test_countries_that_still_lack_inputs_are_failures(imputed: Any) -> None:
    f = imputed.failures.set_index("iso3")
    assert "CHN" in f.index and "macro.employed_women" in f.at["CHN", "error"]


def test_imputed_wage_is_gdp_per_capita_times_the_donor_median() -> None:
    wi = cdb.wage_imputation("JPN", 2023)
    assert wi is not None and len(wi.donors) >= cdb.MIN_DONORS and "JPN" not in wi.donors
    table = countries.table("countries").set_index("iso3")
    donors = cdb._wage_ratios(2023).set_index("iso3")
    region, income = table.at["JPN", "region"], table.at["JPN", "income_group"]
    if wi.group.startswith("region x income group"):
        assert all(table.at[d, "region"] == region and table.at[d, "income_group"] == income
                   for d in wi.donors)
    assert wi.ratio == pytest.approx(float(np.median(donors.loc[list(wi.donors), "ratio"])))
    assert wi.q25 <= wi.ratio <= wi.q75
    gdp = countries.indicator("JPN", "gdp_lcu", wi.price_year)["value"]
    pop = countries.population("JPN", [wi.price_year])["population"].sum()
    assert wi.gdp_per_capita == pytest.approx(gdp / pop, rel=1e-12)
    scn = _scenario("JPN", impute=["average_wage"])
    assert scn.macro.average_wage == pytest.approx(wi.ratio * wi.gdp_per_capita, rel=1e-12)
    src = scn.sources().set_index("input")
    assert str(src.at["macro.average_wage", "flag"]).startswith("imputed:")
    assert str(src.at["macro.women_earnings_relative_to_average", "flag"]).startswith(
        "imputed:")
    # a donor's own ratio is its wage over its GDP per capita
    aus = _scenario("AUS")
    wi_aus = cdb.wage_imputation("AUS", 2023)
    assert wi_aus is not None
    assert donors.at["AUS", "ratio"] == pytest.approx(
        aus.macro.average_wage / wi_aus.gdp_per_capita, rel=1e-12)


def test_bad_impute_is_refused() -> None:
    with pytest.raises(InvestmentInputError, match="impute"):
        simulate_many(["JPN"], "ilo-2035", workers=1, impute=("employment",))
    with pytest.raises(InvestmentInputError, match="impute"):
        with cdb.database_options(impute=["gdp"]):
            pass


def test_the_monte_carlo_draws_the_imputed_ratio_over_the_donor_iqr() -> None:
    raw = {"meta": {"preset": "ilo-2035"}}
    wi = cdb.wage_imputation("JPN", 2023)
    assert wi is not None
    a = _one_mc(("JPN", raw, None, 200, 1, True, False, False, ("average_wage",)))
    scn = _scenario("JPN", impute=["average_wage"])
    # leave costs are proportional to the average wage; of the other draws only the real
    # wage growth (+-1 point a year, 2023-2035: a factor within 1.01**12) touches them
    rel = a["leave_cost"][:-1] / a["leave_cost"][-1]
    g = 1.01 ** 12
    assert rel.min() >= wi.q25 / wi.ratio / g and rel.max() <= wi.q75 / wi.ratio * g
    assert rel.max() - rel.min() > 0.5 * (wi.q75 - wi.q25) / wi.ratio
    assert scn.macro.average_wage > 0
    mc = world_monte_carlo(["JPN"], "ilo-2035", draws=50, workers=1, impute=True,
                           population_variants=False)
    assert mc.failures.empty
    assert any("imputed average wages" in n for n in mc.notes)


def test_cli_impute_wages(tmp_path: Any) -> None:
    import json

    from typer.testing import CliRunner

    from carecost.cli import app

    runner = CliRunner()
    out = tmp_path / "world.json"
    res = runner.invoke(app, ["simulate", "--countries", "JPN,AUS", "--preset", "ilo-2035",
                              "--impute-wages", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "imputed" in res.output
    doc = json.loads(out.read_text())
    rows = {r["iso3"]: r for r in doc["tables"]["countries"]}
    assert "macro.average_wage" in rows["JPN"]["imputed"] and rows["AUS"]["imputed"] == ""
    q = {r["id"]: r for r in doc["tables"]["quantities"]}
    assert q["world.countries"]["estimate"] == 2
    assert any("imputed" in f for f in q["world.package.cost_pct_gdp.2035"]["flags"])
    plain = runner.invoke(app, ["simulate", "--countries", "JPN,AUS", "--preset", "ilo-2035"])
    assert plain.exit_code == 0, plain.output
    assert "1 could not be" in plain.output
    bad = runner.invoke(app, ["simulate", "--country", "MEX", "--preset", "ilo-2035",
                              "--impute-wages"])
    assert bad.exit_code != 0 and "--impute-wages needs --countries" in bad.output
