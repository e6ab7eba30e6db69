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
# specialist, hybrid), opportunity cost with Heckman-imputed wages, and the ILO (2018)
# minimum-wage variant. Wages come **from the same file** (respondents' own earnings).
# Results are compared with BEA's household production satellite account.
#
# Needs the real data in `../shared/data/atus_0316` (or `CARECOST_SHARED_DATA`).

# %%
# ruff: noqa: ERA001  (the jupytext header above is a comment block, not dead code)
import os
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import carecost
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
)


def repo_root() -> Path | None:
    """The carecost repository (the folder with pyproject.toml), found by walking up from this
    file (or the working directory, in a notebook), else from the installed package."""
    here = globals().get("__file__")
    starts = [Path(here).resolve().parent] if here else []
    starts += [Path.cwd().resolve(), Path(carecost.__file__).resolve().parent]
    for start in starts:
        for folder in (start, *start.parents):
            if (folder / "pyproject.toml").is_file() and (folder / "src" / "carecost").is_dir():
                return folder
    return None


root = repo_root()
env = os.environ.get("CARECOST_SHARED_DATA")
if env:
    SHARED = Path(env)
elif root is not None:
    SHARED = root.parent / "shared" / "data"
else:
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
print(atus.variance)

# %% [markdown]
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

# %% [markdown]
# ## Five valuations

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
vals = {k: value_unpaid_work(design, amap, m, year=YEAR, currency="USD", weights="person_days")
        for k, m in methods.items()}
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
# Against BEA: nonmarket household services plus durables raised 2010 GDP by 25.7 percent
# (Bridgman et al. 2012) and were "about 23%" of GDP in BEA's account as described in 2017.
# The replacement-cost valuations above (about 19–22 percent of GDP, labour only, ICATUS 3+4
# scope) are of the same order; opportunity cost is about half as large again because it
# values every hour at the person's own (imputed) market wage.

# %%
print(bea_household_production()[["source", "year", "statistic", "value", "unit"]])

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

# %%
v = vals["hybrid"]
wage_dists = {"generalist": Triangular(7.25, gen.wage, 15.0),
              "child_care_worker": Uniform(wages.wage("child_care_worker") - 2,
                                           wages.wage("child_care_worker") + 2),
              "cook": Uniform(wages.wage("cook") - 2, wages.wage("cook") + 2)}
mc = monte_carlo(v, wages=wage_dists, hours_factor=Uniform(0.9, 1.1), draws=10_000, seed=2016,
                 gdp=gdp)
print(mc.summary[mc.summary["group"] == "total"].round(4).to_string(index=False))
tt = tornado(v, wages=wage_dists, hours_factor=Uniform(0.9, 1.1), level=1.0)
print(tt.round(0).to_string(index=False))
ax = plot_tornado(tt, title="Hybrid replacement cost, U.S. 2016")
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
                      year=YEAR, currency="USD", weights="person_days")
except ValuationError as err:
    print("ValuationError:", err)
