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
# # The value of unpaid care work for every country and the world
#
# ILO (2018) measured unpaid care work from 64 countries' time-use surveys: 16.4 billion hours
# a day, 76.2% of it done by women, worth about 9% of global GDP at the hourly minimum wage.
# carecost does the same openly from its country database: SDG 5.4.1 hours by sex (UN gender
# data portal, about 90 surveys), UN WPP 2019 population, World Bank WDI GDP and the portal's
# hourly earnings by occupation. Countries without a survey get imputed hours (region x
# income-group means, flagged); missing wages are imputed as a share of GDP per capita. The
# rules are in `docs/world-value.md`.

# %%
# ruff: noqa: ERA001  (the jupytext header above is a comment block, not dead code)
import matplotlib.pyplot as plt
import pandas as pd

from carecost.valuation import value_country, value_history, value_world, year_rule

pd.set_option("display.width", 200)
pd.set_option("display.max_colwidth", 80)

# %% [markdown]
# ## 1. One country: Mexico, ENUT 2014, by method

# %%
rows = []
for m in ("replacement_generalist", "replacement_specialist", "opportunity_cost"):
    r = value_country("MEX", 2014, method=m, basis="gross")
    rows.append({"method": r.method_name, "% of GDP": round(r.pct_gdp, 2),
                 "billion PPP$": round(r.value_ppp / 1e9, 1),
                 "women's share of hours": round(r.women_share_hours, 1),
                 "proxies": "; ".join(r.proxies)[:60]})
pd.DataFrame(rows)

# %% [markdown]
# ## 2. The world in 2015
#
# The year rule:

# %%
print(year_rule())
world = value_world(2015, draws=300, seed=0)
world.summary()

# %%
world.regions[["name", "countries", "countries_with_survey", "hours_bn_per_day",
               "hours_ci_low", "hours_ci_high", "women_share", "minimum_wage.pct_gdp",
               "replacement_generalist.pct_gdp"]].round(2)

# %% [markdown]
# ## 3. Ranked: the value of unpaid care work as a share of GDP
#
# Replacement cost at the generalist wage (gross earnings of elementary occupations), the 30
# most populous countries; hatched bars have imputed hours (no survey), pale bars an imputed
# wage.

# %%
c = world.countries.copy()
c["pop15"] = c["population_female"] + c["population_male"]
top = c.nlargest(30, "pop15").sort_values("replacement_generalist.pct_gdp")
fig, ax = plt.subplots(figsize=(7, 8))
colours = ["#9cc3e0" if s == "imputed" else "#1b6ca8"
           for s in top["replacement_generalist.wage_source"]]
bars = ax.barh(top["name"], top["replacement_generalist.pct_gdp"], color=colours)
for bar, src in zip(bars, top["hours_source"], strict=True):
    if src == "imputed":
        bar.set_hatch("//")
ax.set_xlabel("% of GDP (2015)")
ax.set_title("Unpaid domestic and care work at replacement cost (generalist)")
ax.grid(axis="x", alpha=0.3)
fig.tight_layout()

# %%
print("countries with an SDG 5.4.1 survey:",
      int(world.quantity("world.countries_with_survey")["estimate"]),
      "of", len(c), "; imputed hours:", int((c["hours_source"] == "imputed").sum()))
c.loc[c["hours_source"] == "imputed", ["iso3", "name", "imputation"]].head(5)

# %% [markdown]
# ## 4. Against ILO (2018)
#
# With the surveys published by 2016. The minimum wage is cited for three countries only;
# elsewhere the proxy (elementary-occupation earnings) overstates the ILO measure, which is
# why the share of GDP is far above 9%. Nothing is tuned to the targets.

# %%
ilo = value_world(2015, draws=300, seed=0, latest_survey=2016, method="minimum_wage")
comparison = pd.DataFrame([
    {"measure": "billion hours per day", "ILO (2018)": 16.4,
     "carecost": ilo.quantity("world.unpaid_care_hours_per_day")["estimate"]},
    {"measure": "women's share, %", "ILO (2018)": 76.2,
     "carecost": ilo.quantity("world.women_share")["estimate"]},
    {"measure": "minimum wage, % of world GDP", "ILO (2018)": 9.0,
     "carecost": ilo.quantity("world.value_pct_gdp.minimum_wage")["estimate"]},
])
comparison["difference"] = comparison["carecost"] - comparison["ILO (2018)"]
comparison.round(2)

# %% [markdown]
# ## 5. History: the United States from SDG 5.4.1 (ATUS, every year 2003-2018)
#
# `value_history` values each survey year of one age group. The microdata path,
# `us_value_history`, gives design-based standard errors per year (notebook 03 reads the ATUS
# files; this notebook uses the published aggregates only).

# %%
us = value_history("USA", method="replacement_generalist")
us.plot()
us.table[["year", "hours_per_day_female", "hours_per_day_male", "pct_gdp"]].round(2)
