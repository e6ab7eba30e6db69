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
# # The four care policy areas for every country, next to the ILO's global figures
#
# The ILO (2022, *Care at Work*; De Henau 2022, ILO Working Paper 55) costed a package of
# childcare-related leave, breastfeeding breaks, universal early childhood care and education
# (ECCE) and long-term care (LTC) for 82 countries and published global figures for 2035:
# leave and breastfeeding breaks about 0.3% of GDP, childcare +1.5% of GDP over a current 0.3%,
# long-term care +2.5% over 0.6%, and close to 300 million jobs (96 million direct in
# childcare, 136 million in long-term care, 67 million indirect).
#
# This notebook runs carecost's preset `ilo-2035` (every value sourced in `docs/methods.md`
# §4.8) for **every country of the country database** in one call, aggregates by UN region
# and for the world (shares of GDP GDP-weighted, jobs summed), puts the result next to the
# ILO's figures with the difference and its likely cause per line, and adds Monte Carlo
# intervals. **No input is tuned to the ILO's numbers**: the gaps are reported, not closed.

# %%
# ruff: noqa: ERA001  (the jupytext header above is a comment block, not dead code)
import re
import time
import warnings

import pandas as pd

from carecost.briefs.world import world_result_json
from carecost.investment.uncertainty import world_monte_carlo
from carecost.investment.world import (
    ILO_2022_SOURCE,
    coverage,
    ilo_comparison,
    simulate_many,
)

warnings.simplefilter("ignore")  # country data warnings are counted in the table's column
pd.set_option("display.max_colwidth", 120)
pd.set_option("display.width", 220)

# %% [markdown]
# ## 1. Every country, one call
#
# `simulate_many("all", "ilo-2035")` runs the preset for the 235 countries and areas of the
# database on all cores. A country without one of the inputs the package needs is a row of
# `failures` with the error naming each missing input and the scenario key to set; it is
# never skipped silently.

# %%
t0 = time.perf_counter()
world = simulate_many("all", "ilo-2035")
print(f"{len(world.countries)} countries simulated, {len(world.failures)} listed in failures, "
      f"in {time.perf_counter() - t0:.1f} s")

# %%
missing = (world.failures["error"].str.findall(r"(macro\.\w+|fiscal\.\w+|population\.file)")
           .explode().value_counts())
print("inputs most often missing (countries):")
missing.head(8)

# %% [markdown]
# Which large economies are not in the world total, and what they lack:

# %%
big = ["CHN", "IND", "USA", "IDN", "BRA", "JPN", "DEU", "RUS", "NGA", "MEX", "FRA", "GBR"]
fails = world.failures.set_index("iso3")
pd.DataFrame({"simulated": [c in set(world.countries["iso3"]) for c in big],
              "missing": [", ".join(sorted(set(
                  re.findall(r"(macro\.\w+|fiscal\.\w+)", fails.at[c, "error"]))))
                  if c in fails.index else "" for c in big]}, index=big)

# %% [markdown]
# ### Imputed average wages (opt-in, flagged)
#
# The input most often missing is `macro.average_wage` (ILOSTAT has no mean earnings of
# employees for the country). `simulate_many(..., impute=True)` (CLI `--impute-wages`) imputes
# it as GDP per capita x the median ratio (average annual wage / GDP per capita) of the
# countries with data in the same UN region x World Bank income group (at least 3 donors, else
# the region, else the world); women's and men's earnings relative to the average (which
# leave and breastfeeding breaks need) are the same donors' medians. Every imputed input is
# listed in the `imputed` column and flagged `imputed: ...` in the scenario's sources; the
# countries that still lack an input stay in the failures. It is never done by default.

# %%
world_imp = simulate_many("all", "ilo-2035", impute=True)
n_imp = int((world_imp.countries["imputed"] != "").sum())
print(f"without imputation: {len(world.countries)} countries costed, {len(world.failures)} "
      f"failures; with imputation: {len(world_imp.countries)} costed ({n_imp} on an imputed "
      f"average wage), {len(world_imp.failures)} failures")
pd.DataFrame({"simulated": [c in set(world_imp.countries["iso3"]) for c in big],
              "imputed": [world_imp.countries.set_index("iso3")["imputed"].get(c, "")
                          for c in big]}, index=big)

# %% [markdown]
# Coverage of the world total: the share of GDP (World Bank, current US$, 2023) and of
# population (UN WPP 2019, 2023) that the countries simulated hold, by region.

# %%
cov = coverage(world)
cov_imp = coverage(world_imp).set_index("name")
cov = cov.assign(gdp_share_with_imputation=cov["name"].map(cov_imp["gdp_share"]),
                 population_share_with_imputation=cov["name"].map(
                     cov_imp["population_share"]))
cov[["name", "countries_in_database", "countries_simulated", "gdp_share",
     "population_share", "gdp_share_with_imputation",
     "population_share_with_imputation"]].round(2)

# %% [markdown]
# ## 2. World and regional results for 2035

# %%
cols = ["level", "name", "countries", "childcare_cost_pct_gdp", "ltc_cost_pct_gdp",
        "leave_cost_pct_gdp", "breastfeeding_cost_pct_gdp", "package_cost_pct_gdp",
        "jobs_direct_childcare", "jobs_direct_ltc", "jobs_indirect", "jobs_induced",
        "jobs_total"]
aggs = world.aggregates[cols].copy()
for c in cols[8:]:
    aggs[c] = aggs[c] / 1e6  # million jobs
aggs.round(2)

# %% [markdown]
# ## 3. Next to the ILO's headline figures
#
# `ilo_comparison` lines carecost's world figures up against the ILO's. The presets cost the
# **whole system** (the database has no current coverage or spending by service), so for
# childcare and long-term care carecost's cost is compared with the ILO's *current +
# additional* spending. Direct jobs are full-time equivalents. The ILO's list of its 82
# countries could not be found (searches of the web pages, documentation, code and issue
# archives available to the project returned only summaries of the report), so carecost's set
# is "every country with the inputs" (above), not the ILO's.

# %%
comp = ilo_comparison(world)
comp["carecost_with_imputed_wages"] = ilo_comparison(world_imp)["carecost"]
print(ILO_2022_SOURCE)
print(f"carecost: {len(world.countries)} countries; with imputed wages: "
      f"{len(world_imp.countries)} countries")
comp[["line", "unit", "ilo_compared", "carecost", "difference", "ratio",
      "carecost_with_imputed_wages"]].round(2)

# %%
comp[["line", "basis", "likely_cause"]]

# %% [markdown]
# The same comparison for each region, where the ILO publishes no regional headline: the
# regional figures are carecost's own (a region's share of GDP is GDP-weighted over its
# countries simulated).

# %%
regional = pd.concat([ilo_comparison(world, r).assign(region=r)
                      for r in world.aggregates.loc[world.aggregates["level"] == "region",
                                                    "name"]])
regional.pivot(index="region", columns="line", values="carecost").round(2)

# %% [markdown]
# ## 4. Monte Carlo intervals for the world and the regions
#
# Each country's uncertain parameters (staff ratios, non-staff cost shares, propensity to
# consume, income tax rate, real wage growth; `world_ranges`) are drawn around its own values,
# with the need for long-term care (x 0.46 to x 1.54: 5.5%-18.5% of persons 65+ in 31
# countries, around the presets' 12%), and all draws of a country are evaluated in one
# vectorised pass; draw *d* of the world sums
# draw *d* of every country. A parameter is at the same quantile of its range in every
# country in a draw (`correlation="common"`: the ranges are one assumption applied
# everywhere). The population is drawn among the UN WPP 2019 low, medium and high variants
# (`population_variants=True`, the default): equal weight, **the same variant in every
# country in a draw** (one world fertility assumption), the draws of each variant evaluated
# in one vectorised pass per country.

# %%
t0 = time.perf_counter()
mc = world_monte_carlo("all", "ilo-2035", draws=200, seed=0)
print(f"{mc.summary['draws'].iloc[0]} draws for {int(mc.summary['countries'].iloc[0])} "
      f"countries in {time.perf_counter() - t0:.1f} s")
s = mc.summary[mc.summary["scope"] != "country"]
s = s[s["measure"].isin(["package_cost_pct_gdp", "ltc_cost_pct_gdp", "jobs_total"])]
s.pivot(index="name", columns="measure", values=["point", "ci_low", "ci_high"]).round(2)

# %% [markdown]
# ### The spread the population variants add
#
# The variants share the 2020 base (WPP 2019 estimates) and differ by total fertility (half a
# child below / above the medium variant), so by 2035 they barely move the population aged
# 15+ (and so long-term care, GDP growth and employment) but change the number of young
# children by about a fifth: childcare, leave and breastfeeding breaks move with them. Below:
# the world in 2035 under each variant (central scenario), and the Monte Carlo interval with
# and without the variants (same seed, same other draws).

# %%
by_variant = {"medium": world}
for v in ("low", "high"):
    by_variant[v] = simulate_many("all", "ilo-2035", population_variant=v)
measures = ["childcare_cost_pct_gdp", "ltc_cost_pct_gdp", "leave_cost_pct_gdp",
            "package_cost_pct_gdp", "jobs_direct_childcare", "jobs_total"]
pd.DataFrame({v: by_variant[v].aggregates.set_index("name").loc["World", measures]
              for v in ("low", "medium", "high")}).astype(float).round(3)

# %%
mc_medium = world_monte_carlo("all", "ilo-2035", draws=200, seed=0, population_variants=False)
rows = []
for m in ["childcare_cost_pct_gdp", "package_cost_pct_gdp", "jobs_direct_childcare",
          "jobs_total"]:
    p, lo, hi = mc.interval(m)
    _, lo0, hi0 = mc_medium.interval(m)
    rows.append({"measure": m, "point": p, "ci_low_medium_only": lo0,
                 "ci_high_medium_only": hi0, "ci_low_with_variants": lo,
                 "ci_high_with_variants": hi,
                 "width_ratio": (hi - lo) / (hi0 - lo0)})
pd.DataFrame(rows).round(3)

# %% [markdown]
# ## 5. The machine-readable result
#
# `world_result_json(world, mc)` is the document `carecost simulate --countries all --preset
# ilo-2035 --out world.json` writes: `tables.quantities` holds one row per number (id, value,
# interval, unit, source, method), `tables.countries` one row per country, and
# `tables.failures` every country that could not be costed with its missing inputs.

# %%
doc = world_result_json(world, mc)
q = pd.DataFrame(doc["tables"]["quantities"]).set_index("id")
q.loc[[i for i in q.index if i.startswith("world.")],
      ["estimate", "ci_low", "ci_high", "unit"]]
