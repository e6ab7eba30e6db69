# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Valuing unpaid household and care work in the United States, 2016
#
# Unpaid household service and care work (ICATUS 2016 major divisions 3 and 4) from the
# American Time Use Survey 2016, valued with the input methods of the UNECE (2017) *Guide on
# Valuing Unpaid Household Service Work* and Eurostat (2003): replacement cost (generalist,
# specialist, hybrid), opportunity cost with Heckman-imputed wages (Mincer and the Heckman
# conditional mean as alternatives), and the ILO (2018)
# minimum-wage variant. Wages come **from the same file** (respondents' own earnings).
# Results are compared with BEA's household production satellite account.
#
# Needs the real data in `../shared/data/atus_0316` (or `CARECOST_SHARED_DATA`).

# %%
# ruff: noqa: ERA001  (the jupytext header above is a comment block, not dead code)
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from carecost.paths import shared_data_dir
from carecost.survey import Design
from carecost.timeuse import read_atus
from carecost.valuation import (
    Generalist,
    Hybrid,
    OpportunityCost,
    Specialist,
    Triangular,
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
    oes_wages,
    plot_tornado,
    survey_wages,
    tornado,
    us_federal_minimum_wage,
    us_gdp,
    value_unpaid_work,
    wage_keys,
)

SHARED = shared_data_dir([Path(globals().get("__file__", Path.cwd())).parent])
if SHARED is None:
    raise FileNotFoundError("repository not found: set CARECOST_SHARED_DATA to the folder "
                            "holding atus_0316/")
YEAR = 2016
pd.set_option("display.width", 140)

# %% [markdown]
# ## Hours: ten activity groups that add up to ICATUS 3 + 4
#
# `atus_valuation_crosswalk()` adds carecost's valuation groups to the BLS Table 1 rows;
# the ten core groups partition `unpaid_care_work` exactly.

# %%
atus = read_atus(SHARED / "atus_0316", crosswalk=atus_valuation_crosswalk())
amap = atus_activity_map()
p = atus.persons
print("max |sum of groups - unpaid_care_work| =",
      float((p[amap.groups].sum(axis=1) - p["unpaid_care_work"]).abs().max()))
y = p[p["tuyear"] == YEAR].reset_index(drop=True)
ow = observed_hourly_wage(y)
print(ow.attrs["report"])
y = y.assign(obs_wage=ow["wage"])
design = Design(y, weights="wt")  # ATUS final weights sum to person-days of the year
WEIGHTS = atus.weights_unit  # "person_days", set by read_atus; value_unpaid_work requires it
print(atus.variance, "| weights count", WEIGHTS)

# %% [markdown]
# The wage report counts observed wages outside the plausibility bounds (below half the
# federal minimum, $3.625, e.g. tipped workers' cash wages; above $200, only possible as weekly
# earnings over very few usual hours). They are kept here (`exclude_implausible=True` would set
# them to missing and count them).
#
# ## Wages from the same file
#
# Occupation × industry cells of the abridged file stand in for the market occupations (the
# file has major groups only); design-based SEs. The generalist is the household-worker cell
# (service occupations in Other services, which holds private households).

# %%
wages = survey_wages(design, atus_wage_cells(), "obs_wage", currency="USD", year=YEAR,
                     source="ATUS 2016 respondents' own hourly wages")
print(wages.wages[["wage", "se", "n", "n_no_wage"]].round(2))
gen = Generalist.from_table(wages, "domestic_cleaner", label="household worker")

x, cov, sel = atus_wage_covariates(y)
imp = impute_wages(x, ow["wage"], cov, model="heckman", selection_covariates=sel,
                   weights=y["wt"].to_numpy())
print(imp.describe())
print(imp.model.outcome.round(3))
# alternatives for non-earners' wages, reported below: Mincer (no selection correction) and the
# Heckman mean wage *given not earning*, E[w | x, z, s=0] (below the offer when rho > 0)
imp_mincer = impute_wages(x, ow["wage"], cov, model="mincer", weights=y["wt"].to_numpy())
imp_cond = impute_wages(x, ow["wage"], cov, model="heckman", selection_covariates=sel,
                        weights=y["wt"].to_numpy(), predict="conditional")

# %% [markdown]
# ## Five valuations
#
# **Wage basis.** Replacement cost values hours at what a household would pay, the full labour
# cost (gross wage plus employer social contributions); opportunity cost at the net wage a
# person gives up; the ILO variant at the statutory minimum wage (docs/methods.md, section 3.3).
# The ATUS wages are gross and this notebook ships no employer-contribution or tax rate for
# 2016, so carecost refuses the methods' own bases without them:

# %%
try:
    value_unpaid_work(design, amap, Hybrid(wages, gen), year=YEAR, currency="USD",
                      weights=WEIGHTS)
except ValuationError as err:
    print("ValuationError:", err)

# %% [markdown]
# The figures below are therefore valued at the **gross wage**, chosen with `basis="gross"`
# (every result says so in `wage_basis`): replacement cost at full labour cost would be higher
# by the employer contribution rate, opportunity cost at the net wage lower by the tax rate.
# Pass `employer_rate=` or `tax_rate=` from a stated source to value on the methods' bases.

# %%
methods = {
    "generalist (household worker)": gen,
    "specialist": Specialist(wages),
    "hybrid": Hybrid(wages, gen),
    "opportunity cost (Heckman)": OpportunityCost(imp.wage.to_numpy(), "USD", YEAR,
                                                  imputation=imp.describe()),
    "ILO: federal minimum wage": us_federal_minimum_wage(YEAR),
}
gdp = us_gdp(YEAR)
vals = {k: value_unpaid_work(design, amap, m, year=YEAR, currency="USD", weights=WEIGHTS,
                             basis="gross")
        for k, m in methods.items()}
print("\n".join(n for n in vals["hybrid"].notes if n.startswith(("weights count", "annualis",
                                                                  "valued at"))))
rows = []
for k, v in vals.items():
    s = v.summary(gdp).set_index("statistic")
    rows.append({
        "method": k,
        "value_bn": s.at["annual_value", "estimate"] / 1e9,
        "value_se_bn": s.at["annual_value", "se"] / 1e9,
        "per_capita": s.at["value_per_capita", "estimate"],
        "per_capita_se": s.at["value_per_capita", "se"],
        "share_of_gdp_pct": 100 * s.at["share_of_gdp", "estimate"],
        "share_of_gdp_se_pct": 100 * s.at["share_of_gdp", "se"],
        "women_share_pct": 100 * s.at["women_share", "estimate"],
        "women_share_se_pct": 100 * s.at["women_share", "se"],
        "average_wage": s.at["average_wage", "estimate"],
    })
headline = pd.DataFrame(rows)
print(f"GDP: {gdp.value / 1e9:,.1f} bn USD ({gdp.source})")
print(headline.round(2).to_string(index=False))

# %% [markdown]
# Against BEA: household production (nonmarket services at a general-purpose domestic worker's
# wage *plus* the services of consumer durables) raised the level of 2010 GDP by 25.7 percent
# (Bridgman et al. 2012); nonmarket services are the larger part (Kanal and Kornegay 2019), so
# BEA's labour-only share of 2010 GDP lies between 12.85 and 25.7 percent. (A secondary "about
# 23%" of GDP, from a March 2017 description of BEA's account, states no reference year.)
# The replacement-cost valuations above (about 19–22 percent of 2016 GDP, labour only, ICATUS
# 3+4 scope) fall inside that band; opportunity cost is about half as large again because it
# values every hour at the person's own (imputed) market wage.

# %%
print(bea_household_production()[["source", "year", "statistic", "value", "unit"]])

# %% [markdown]
# ## Opportunity cost: which wage for those without one?
#
# 4,969 of the 10,493 respondents have no wage. The headline imputes the Heckman **wage offer**
# $E[w \mid x]$, what they would command in the market. Mincer ignores selection into earning;
# the Heckman **conditional** mean $E[w \mid x, z, s=0]$ is the expected wage of someone like
# them *given that they do not earn* (lower when the selection correlation $\rho$ is
# positive). The choice moves the value by a few points of GDP; each result records it.

# %%
alt_rows = []
for label, iw in (("Mincer", imp_mincer), ("Heckman, wage offer (headline)", imp),
                  ("Heckman, conditional on not earning", imp_cond)):
    vv = value_unpaid_work(design, amap, OpportunityCost(iw.wage.to_numpy(), "USD", YEAR,
                                                         imputation=iw.describe()),
                           year=YEAR, currency="USD", weights=WEIGHTS, basis="gross")
    sh = vv.share_of_gdp(gdp).iloc[0]
    alt_rows.append({"imputation": label, "mean_imputed_wage": iw.wage[iw.imputed].mean(),
                     "share_of_gdp_pct": 100 * sh["estimate"], "se_pct": 100 * sh["se"]})
print(f"Heckman rho = {imp.model.rho:.3f}")
print(pd.DataFrame(alt_rows).round(2).to_string(index=False))

# %% [markdown]
# ## Household satellite account (hybrid method): activity group × sex

# %%
sa = vals["hybrid"].satellite_account(gdp)
table = sa.assign(hours_bn=sa["hours"] / 1e9, value_bn=sa["value"] / 1e9,
                  value_se_bn=sa["value_se"] / 1e9, share_pct=100 * sa["share_of_total"],
                  gdp_pct=100 * sa["share_of_gdp"])
print(table[["group", "sex", "hours_bn", "value_bn", "value_se_bn", "share_pct", "gdp_pct"]]
      .round(2).to_string(index=False))

# %% [markdown]
# ## Beyond sampling: Monte Carlo and tornado
#
# The generalist wage between the federal minimum ($7.25) and $15 is a *range of choices*, not
# a sampling distribution; hours are varied ±10 percent for diary reporting; the cook and
# child-care wages by ±$2 around the file's estimates.
#
# Several wage keys are **one estimate under two names**: the generalist is the household-worker
# cell (service occupations in Other services), which is also the wage of cleaning and pet care;
# child care and adult care share the care cell. Varying them separately would treat one
# uncertain number as several, so they are tied: a tied key moves by the same ratio as its
# leading key. Every tornado row spans the same 2.5%–97.5% quantiles, the sampling-error row
# included (a full-support `level=1` is refused when any distribution, or the sampling error,
# is unbounded).

# %%
v = vals["hybrid"]
wage_dists = {"generalist": Triangular(7.25, gen.wage, 15.0),
              "child_care_worker": Uniform(wages.wage("child_care_worker") - 2,
                                           wages.wage("child_care_worker") + 2),
              "cook": Uniform(wages.wage("cook") - 2, wages.wage("cook") + 2)}
cells = wages.wages["cell"]
keys = set(wage_keys(v))
leaders = {"generalist": cells["domestic_cleaner"],  # the generalist's cell
           "child_care_worker": cells["child_care_worker"]}
tie = {k: lead for lead, cell in leaders.items() for k in sorted(keys)
       if k != lead and k in cells.index and cells[k] == cell}
print("tied wage keys:", tie)
mc = monte_carlo(v, wages=wage_dists, tie=tie, hours_factor=Uniform(0.9, 1.1), draws=10_000,
                 seed=2016, gdp=gdp)
print(mc.summary[mc.summary["group"] == "total"].round(4).to_string(index=False))
tt = tornado(v, wages=wage_dists, tie=tie, hours_factor=Uniform(0.9, 1.1), level=0.95)
print(tt.attrs["note"])
print(tt.assign(value_low_bn=tt["value_low"] / 1e9, value_high_bn=tt["value_high"] / 1e9,
                swing_bn=tt["swing"] / 1e9)
      [["parameter", "low_input", "high_input", "value_low_bn", "value_high_bn", "swing_bn"]]
      .round(3).to_string(index=False))
ax = plot_tornado(tt, scale=1e9, scale_word="billions",
                  title="Hybrid replacement cost, U.S. 2016 (2.5%-97.5% quantiles)")
plt.tight_layout()

# %% [markdown]
# ## Errors, not silent results
#
# OES May 2019 wages are for another year than the 2016 hours, and the shipped table has no
# May 2019 figure for maids: both are refused with a message that says what to do.

# %%
try:
    oes_wages("May 2019", {"domestic_cleaner": "37-2012"})
except ValuationError as err:
    print("ValuationError:", err)
oes = oes_wages("May 2019", {"child_care_worker": "39-9011"})
try:
    value_unpaid_work(design, amap.subset(["Care of household children"]), Specialist(oes),
                      year=YEAR, currency="USD", weights=WEIGHTS)
except ValuationError as err:
    print("ValuationError:", err)

# %% [markdown]
# ATUS weights declared as persons (they sum to person-days: 9.4e10), and two survey years
# pooled into one "annual" total, are refused too; `annualise="mean_over_years"` averages them.

# %%
mw = us_federal_minimum_wage(YEAR)
try:
    value_unpaid_work(design, amap, mw, year=YEAR, currency="USD", weights="persons")
except ValuationError as err:
    print("ValuationError:", err)
two_years = Design(p[p["tuyear"].isin([2015, 2016])].reset_index(drop=True), weights="wt")
try:
    value_unpaid_work(two_years, amap, mw, year=YEAR, currency="USD", weights=WEIGHTS)
except ValuationError as err:
    print("ValuationError:", err)
pooled = value_unpaid_work(two_years, amap, mw, year=YEAR, currency="USD", weights=WEIGHTS,
                           annualise="mean_over_years")
share_pooled = pooled.share_of_gdp(gdp)["estimate"].iloc[0]
share_2016 = vals["ILO: federal minimum wage"].share_of_gdp(gdp)["estimate"].iloc[0]
print(f"ILO minimum-wage value, mean of 2015 and 2016 hours at 2016 wages: "
      f"{100 * share_pooled:.2f}% of 2016 GDP (2016 alone: {100 * share_2016:.2f}%)")
