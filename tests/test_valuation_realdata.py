"""carecost.valuation on the real ATUS 2003-2016 microdata (../shared/data/atus_0316), year 2016.

Unpaid household service and care work (ICATUS 2016 major divisions 3 and 4,
10 activity groups) valued by generalist, specialist, hybrid and opportunity
cost with wages from the same file, against BEA's published household
production estimates: household production (nonmarket services valued at a
general-purpose domestic worker's wage, plus the services of consumer
durables) raised the level of 2010 GDP by 25.7 percent (Bridgman et al. 2012),
and nonmarket services are the larger of the two parts (Kanal and Kornegay
2019), so BEA's labour-only share of 2010 GDP lies between 12.85 and 25.7
percent (see ``test_orders_of_magnitude_against_bea``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from carecost.paths import shared_data_dir
from carecost.survey import Design
from carecost.timeuse import read_atus
from carecost.valuation import (
    Generalist,
    Hybrid,
    OpportunityCost,
    Specialist,
    Uniform,
    ValuationError,
    atus_activity_map,
    atus_valuation_crosswalk,
    atus_wage_cells,
    atus_wage_covariates,
    bea_household_production,
    impute_wages,
    monte_carlo,
    observed_hourly_wage,
    survey_wages,
    us_federal_minimum_wage,
    us_gdp,
    value_unpaid_work,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = shared_data_dir([Path(__file__).parent]) or ROOT.parent / "shared" / "data"
ATUS = SHARED / "atus_0316"
YEAR = 2016

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not (ATUS / "atusact.parquet").exists(),
                       reason=f"real ATUS data not found at {ATUS} (set CARECOST_SHARED_DATA)"),
]


@pytest.fixture(scope="module")
def atus():
    return read_atus(ATUS, crosswalk=atus_valuation_crosswalk())


@pytest.fixture(scope="module")
def setup(atus):
    y = atus.persons[atus.persons["tuyear"] == YEAR].reset_index(drop=True)
    ow = observed_hourly_wage(y)
    y = y.assign(obs_wage=ow["wage"])
    design = Design(y, weights="wt")  # one year's sample, as BLS annual estimates
    wages = survey_wages(design, atus_wage_cells(), "obs_wage", currency="USD", year=YEAR,
                         source="ATUS 2016 respondents' own hourly wages")
    gen = Generalist.from_table(wages, "domestic_cleaner", label="household worker")
    x, cov, sel = atus_wage_covariates(y)
    imp = impute_wages(x, ow["wage"], cov, model="heckman", selection_covariates=sel,
                       weights=y["wt"].to_numpy())
    cond = impute_wages(x, ow["wage"], cov, model="heckman", selection_covariates=sel,
                        weights=y["wt"].to_numpy(), predict="conditional")
    methods = {
        "generalist": gen, "specialist": Specialist(wages), "hybrid": Hybrid(wages, gen),
        "opportunity": OpportunityCost(imp.wage.to_numpy(), "USD", YEAR,
                                       imputation=imp.describe()),
        "opportunity (conditional)": OpportunityCost(cond.wage.to_numpy(), "USD", YEAR,
                                                     imputation=cond.describe()),
        "minimum wage": us_federal_minimum_wage(YEAR),
    }
    # The ATUS wages are gross (before taxes, without employer social contributions) and no
    # conversion rates for 2016 are shipped, so the published figures (README, notebook 03)
    # are valued at the gross wage, stated with basis="gross" (issue 13 item 6: the method's
    # own basis, full labour cost or net, would need employer_rate / tax_rate).
    vals = {k: value_unpaid_work(design, atus_activity_map(), m, year=YEAR, currency="USD",
                                 weights="person_days", basis="gross")
            for k, m in methods.items()}
    return y, design, wages, imp, vals


def test_real_gross_wages_are_not_taken_for_full_labour_cost(setup) -> None:
    """Before issue 13 item 6 the gross ATUS wages valued replacement cost without a word."""
    _, design, wages, _, vals = setup
    gen = Generalist.from_table(wages, "domestic_cleaner", label="household worker")
    with pytest.raises(ValuationError, match="Pass employer_rate"):
        value_unpaid_work(design, atus_activity_map(), Hybrid(wages, gen), year=YEAR,
                          currency="USD", weights="person_days")
    assert "chosen with basis='gross'" in vals["hybrid"].wage_basis
    assert "chosen" not in vals["minimum wage"].wage_basis  # ILO: the statutory gross rate


def test_groups_partition_icatus_3_and_4(atus) -> None:
    p = atus.persons
    groups = atus_activity_map().groups
    core = p[groups].sum(axis=1)
    assert np.allclose(core, p["unpaid_care_work"], atol=1e-9)


def test_wages_from_the_same_file(setup) -> None:
    _, _, wages, imp, _ = setup
    w = wages.wages
    assert (w["n"] >= 30).all() and (w["se"] > 0).all()
    # the household-worker cell earns less than the office and repair cells
    assert w.at["domestic_cleaner", "wage"] < w.at["household_manager", "wage"] \
        < w.at["handyperson", "wage"]
    assert 9 < w.at["domestic_cleaner", "wage"] < 16
    # Heckman: non-earners' wage offers are below earners' mean wage; rho recorded
    assert imp.wage[imp.imputed].mean() < imp.wage[~imp.imputed].mean()
    assert imp.model.rho is not None and "heckman" in imp.describe()


def test_hours_match_time_use(setup) -> None:
    y, _, _, _, vals = setup
    h = vals["hybrid"].hours(groups=False)["estimate"].iloc[0]
    pop_days = y["wt"].sum()
    mean_minutes = np.average(y["unpaid_care_work"], weights=y["wt"])
    assert h == pytest.approx(pop_days * mean_minutes / 60)
    assert 2.5 < h / pop_days < 3.5  # hours per person per day, ICATUS 3+4 ~ 3.1 in 2016


def test_orders_of_magnitude_against_bea(setup) -> None:
    """Replacement-cost shares of 2016 GDP inside BEA's labour-only band for 2010.

    Published (``bea_household_production()``): household production raised the level
    of 2010 GDP by 25.7 percent (Bridgman et al. 2012, Survey of Current Business,
    May 2012), counting nonmarket services (hours in housework, cooking, odd jobs,
    gardening, shopping, child care and domestic travel x the wage of general-purpose
    domestic workers) *plus* the services of consumer durables.  Kanal and Kornegay
    (2019, SCB June 2019) write that the largest impact stems from nonmarket services,
    so the labour-only part is more than half the total: BEA's labour-only share of
    2010 GDP lies in (12.85%, 25.7%).  We test the 2016 replacement-cost valuations
    (labour only) against that band:

    * upper bound 25.7%: excludes the durables part, and BEA's share has declined since
      1965 (39% then; "about 23%" of GDP as described in March 2017, year unstated);
    * lower bound 12.85%: BEA's own labour part in 2010; our scope (ICATUS 3 + 4) is
      wider than BEA's seven categories (adds adult care, household administration),
      so a valuation at comparable wages should not fall below it.

    Our wages (ATUS cells, $10.5-$23 an hour) differ from BEA's single domestic-worker
    wage, which is why the band, not a point, is tested; the ILO minimum-wage variant
    must lie below every replacement-cost value (every market wage used is above
    $7.25) and opportunity cost above the generalist.
    """
    *_, vals = setup
    gdp = us_gdp(YEAR)
    share = {k: v.share_of_gdp(gdp)["estimate"].iloc[0] for k, v in vals.items()}
    total = {k: v.total(groups=False) for k, v in vals.items()}
    for k, t in total.items():
        assert t["se"].iloc[0] > 0 and t["cv"].iloc[0] < 0.05, k
    bea = bea_household_production().set_index(["statistic", "year"])
    with_durables_2010 = float(bea.loc[("gdp_increase_pct", 2010), "value"]) / 100
    assert with_durables_2010 == pytest.approx(0.257)
    low, high = with_durables_2010 / 2, with_durables_2010
    for k in ("generalist", "specialist", "hybrid"):
        assert low < share[k] < high, (k, share[k])
    assert share["minimum wage"] < min(share[k] for k in ("generalist", "specialist",
                                                          "hybrid"))
    assert share["generalist"] < share["opportunity (conditional)"] < share["opportunity"]
    assert share["opportunity"] < 0.6


def test_weights_and_years_are_checked_on_the_real_file(setup, atus) -> None:
    """ATUS 2016 weights sum to person-days: 9.43e10 / 366 = 257.7 million persons, the
    ATUS universe (civilian non-institutional population aged 15+; the CPS population
    aged 16+ averaged about 253.5 million in 2016, plus about 4 million aged 15)."""
    _, design, *_, vals = setup
    v = vals["minimum wage"]
    assert 250e6 < v.implied_population < 265e6
    assert any("implied population = 2.577" in n for n in v.notes)
    mw = us_federal_minimum_wage(YEAR)
    amap = atus_activity_map()
    # before: the default weights="persons" gave 4131% of GDP for the ILO variant
    with pytest.raises(ValuationError, match="more than live on Earth"):
        value_unpaid_work(design, amap, mw, year=YEAR, currency="USD", weights="persons")
    # before: two pooled years were summed, about twice one year's value
    p = atus.persons
    two = Design(p[p["tuyear"].isin([2015, 2016])].reset_index(drop=True), weights="wt")
    with pytest.raises(ValuationError, match="span 2 survey years"):
        value_unpaid_work(two, amap, mw, year=YEAR, currency="USD", weights="person_days")
    mean = value_unpaid_work(two, amap, mw, year=YEAR, currency="USD", weights="person_days",
                             annualise="mean_over_years", population=257.7e6)
    one = v.total(groups=False)["estimate"].iloc[0]
    assert mean.total(groups=False)["estimate"].iloc[0] == pytest.approx(one, rel=0.03)


def test_women_share_and_satellite_account(setup) -> None:
    *_, vals = setup
    for k, v in vals.items():
        ws = v.women_share()
        assert 0.5 < ws["estimate"].iloc[0] < 0.7, k
    sa = vals["hybrid"].satellite_account(us_gdp(YEAR))
    allsex = sa[sa["sex"] == "all"].set_index("group")
    assert allsex.drop(index="total")["value"].sum() == pytest.approx(allsex.at["total", "value"])
    by_sex = sa[(sa["group"] == "total") & (sa["sex"] != "all")]["value"].sum()
    assert by_sex == pytest.approx(allsex.at["total", "value"])
    assert (sa["value_se"] > 0).all()


def test_monte_carlo_on_real_data(setup) -> None:
    *_, vals = setup
    v = vals["hybrid"]
    mc = monte_carlo(v, wages={"generalist": Uniform(7.25, 15.0)}, draws=2000, seed=5,
                     gdp=us_gdp(YEAR))
    summ = mc.summary.set_index(["measure", "group"])  # issue 14: the one schema ("quantity")
    tot = summ.loc[("annual_value", "total")]
    assert tot["ci_low"] < tot["point"] < tot["ci_high"]
    assert tot["ci_low"] < tot["mean"] < tot["ci_high"]
    sd_sampling = v.total(groups=False)["se"].iloc[0]
    assert tot["sd"] > sd_sampling  # wage uncertainty dominates sampling error
    # Only the generalist wage w_g moves (the groups without a market substitute, value V_g),
    # drawn from U(7.25, 15): mean 11.125, sd 7.75 / sqrt(12).  So the draws' mean is
    # point + V_g (11.125 / w_g - 1) and their sd about sqrt((V_g sd_U / w_g)^2 + se^2).
    rates = v.rates
    is_gen = rates["occupation"].str.endswith("(generalist)")
    w_g = float(rates.loc[is_gen, "wage"].iloc[0])
    v_g = float(v.total().set_index("group").loc[rates.loc[is_gen, "group"], "estimate"].sum())
    sd_u = (15.0 - 7.25) / np.sqrt(12)
    sd_expected = np.hypot(v_g * sd_u / w_g, sd_sampling)
    assert tot["sd"] == pytest.approx(sd_expected, rel=0.1)
    assert tot["mean"] == pytest.approx(tot["point"] + v_g * (11.125 / w_g - 1),
                                        abs=4 * sd_expected / np.sqrt(2000))
    # a 95% interval spans 3.29 sd for a uniform and 3.92 sd for a normal variable
    assert 3.1 * tot["sd"] < tot["ci_high"] - tot["ci_low"] < 4.1 * tot["sd"]
    # shares of GDP are the same draws over GDP; the basis is carried
    share = summ.loc[("share_of_gdp", "total")]
    gdp = us_gdp(YEAR).value
    for c in ("point", "mean", "ci_low", "ci_high"):
        assert share[c] == pytest.approx(tot[c] / gdp, rel=1e-12)
    assert mc.wage_basis == v.wage_basis
    assert (mc.summary["wage_basis"] == v.wage_basis).all()
    # the seed reproduces the draws; another seed gives others
    again = monte_carlo(v, wages={"generalist": Uniform(7.25, 15.0)}, draws=2000, seed=5,
                        gdp=us_gdp(YEAR))
    assert np.array_equal(again.draws, mc.draws)
    other = monte_carlo(v, wages={"generalist": Uniform(7.25, 15.0)}, draws=2000, seed=6)
    assert not np.array_equal(other.draws, mc.draws)
