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
# # Costing care services for a real country: `meta.country = "ISO3"`
#
# A ministry costing childcare and long-term care needs the country's GDP, wages, employment,
# population by single year of age, tax rates and an input–output table. With
# `meta.country = "MEX"` carecost fills every one of them from its country database
# (`carecost.countries`: UN WPP 2019, World Bank WDI, IMF WEO, ILOSTAT, WIOD 2013), for the
# base year, and says input by input where each came from: the source, the year of the
# observation and a flag (observed, interpolated, carried forward, projected, derived, proxy,
# fallback). The scenario below gives only **policy inputs**: which services, coverage now
# and at the target year, staff ratios and wages relative to the average wage. Anything the
# scenario sets overrides the database (last section). The rules are in `docs/methods.md`
# §4.6 and `docs/scenario-reference.md`.

# %%
# ruff: noqa: ERA001  (the jupytext header above is a comment block, not dead code)
import warnings

import pandas as pd

from carecost import countries
from carecost.investment import scenario_from_dict, simulate
from carecost.investment.model import compare_sectors, country_io_model

pd.set_option("display.max_colwidth", 90)
pd.set_option("display.width", 200)

# %% [markdown]
# ## 1. The country in the database

# %%
avail = countries.available()
print(len(avail), "countries and areas;",
      int(avail[["population", "gdp", "average_earnings", "employment",
                 "gov_revenue"]].all(axis=1).sum()),
      "with every macro input; own WIOD table:", int(avail["io_table"].sum()))
avail.set_index("iso3").loc["MEX"]

# %% [markdown]
# ## 2. A scenario with policy inputs only

# %%
scenario = {
    "meta": {"name": "Mexico: childcare 0-2 and long-term care 80+ by 2030", "country": "MEX",
             "base_year": 2022, "target_year": 2030},
    "services": [
        {"name": "childcare_0_2", "kind": "childcare", "ages": [0, 2],
         "current_coverage": 0.1, "target_coverage": 0.5, "persons_per_staff": 5,
         "wage_relative_to_average": 0.8, "women_share": 0.95, "non_staff_cost_share": 0.2},
        {"name": "ltc_80_plus", "kind": "ltc", "ages": [80, 100], "need_rate": 0.2,
         "current_coverage": 0.2, "target_coverage": 0.6, "persons_per_staff": 2,
         "service_hours_per_week": 20, "wage_relative_to_average": 0.7,
         "women_share": 0.85, "non_staff_cost_share": 0.25},
    ],
}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    scn = scenario_from_dict(scenario)
print(scn.provenance["label"], "| money:", scn.currency, "at", scn.price_year, "prices")
for w in scn.data_warnings:
    print("data warning:", w)

# %% [markdown]
# ## 3. Where every input came from
#
# `origin` says who set the value (the scenario, the country database, or a documented
# default); `year` is the year of the source observation and `flag` how the value was
# obtained. The average wage is **derived** (ILOSTAT earnings in 2021 PPP$ × 12 × the PPP
# factor), the income tax rate is a **proxy** (government revenue as a share of GDP, as in
# De Henau 2022 and the ILO simulator), and GDP growth is a **proxy** (the growth of the
# working-age population: no productivity growth).

# %%
src = scn.sources()
src[src["origin"] != "scenario"][["input", "value", "origin", "year", "flag", "source"]]

# %%
src["origin"].value_counts()

# %% [markdown]
# ## 4. Costs, jobs and fiscal returns

# %%
res = simulate(scn)
cols = ["year", "gross_cost", "gross_cost_pct_gdp", "jobs_direct", "jobs_indirect",
        "jobs_induced", "jobs_total", "fiscal_returns", "net_funding_pct_gross"]
res.summary[cols].round(3)

# %% [markdown]
# The input–output model is Mexico's domestic WIOD 2011 table in US\$ million at 2019 prices,
# converted at the price year's market exchange rate, with its employment coefficients
# rescaled to Mexico's employed persons per unit of GDP:

# %%
model = country_io_model(scn)
print(model.provenance)
print(model.notes[0])

# %%
compare_sectors(res)[["case", "sector", "spending", "jobs_total", "jobs_per_million",
                      "fiscal_returns", "net_funding_pct_gross"]]

# %% [markdown]
# ## 5. The scenario's own values win
#
# A ministry with its own projections sets them in the file; `sources()` then shows
# `origin = scenario` for those keys and keeps the database for the rest.

# %%
own = {**scenario, "macro": {"gdp_growth": 0.02, "real_wage_growth": 0.015},
       "fiscal": {"income_tax_rate": 0.16}}
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    scn2 = scenario_from_dict(own)
s2 = scn2.sources().set_index("input")
s2.loc[["macro.gdp_growth", "macro.real_wage_growth", "fiscal.income_tax_rate",
        "macro.gdp", "macro.average_wage"], ["value", "origin", "flag"]]

# %%
simulate(scn2).summary[cols].tail(1).round(3)
