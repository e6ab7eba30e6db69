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
# # Costing a care-investment scenario with `carecost.investment`
#
# **Exampleland is a synthetic example country: every number in its dataset is made up**
# (see `src/carecost/investment/data/SOURCES.md`). The method follows the UN Women–ILO policy
# tool (2021) and the ILO Care Policy Investment Simulator (De Henau 2022; ILO 2022): coverage
# gaps -> staff and costs -> direct, indirect (input–output) and induced jobs -> jobs by sex ->
# fiscal returns and net funding. The last section uses BEA's real U.S. input–output tables
# when `../shared/data/io_bea` is available.

# %%
# ruff: noqa: ERA001  (the jupytext header above is a comment block, not dead code)
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from carecost.investment import (
    IOModel,
    ParameterRange,
    compare_sectors,
    country_parameters,
    example_scenario,
    monte_carlo,
    plot_comparison,
    plot_cost_path,
    plot_jobs,
    plot_net_funding,
    plot_tornado,
    sensitivity,
    simulate,
)
from carecost.paths import shared_data_dir

# %% [markdown]
# ## 1. Scenario and country parameters (with provenance)

# %%
scn = example_scenario()
print(scn.name, "|", scn.provenance["label"])
country_parameters("example")[["section", "key", "value", "unit", "source"]]

# %%
pd.DataFrame([s.__dict__ for s in scn.services]).drop(columns=["need_rate"])

# %% [markdown]
# ## 2. Deterministic run

# %%
res = simulate(scn)
print(res.report().summary())
res.summary.set_index("year")[
    ["gross_cost_pct_gdp", "jobs_total", "jobs_women", "net_funding_pct_gross",
     "women_emp_rate_change_pp", "gender_gap_change_pp"]
].round(3)

# %%
# shares shown as percentages (coverage 0.5 is "50%"), persons, staff and money rounded
svc = res.by_service[res.by_service.year == scn.target_year].set_index("service")
svc.round(0).assign(coverage=svc["coverage"].map("{:.0%}".format))

# %%
fig, axes = plt.subplots(1, 3, figsize=(16, 4))
plot_cost_path(res, ax=axes[0])
plot_jobs(res, ax=axes[1])
plot_net_funding(res, ax=axes[2])
fig.tight_layout()

# %% [markdown]
# ## 3. The same money spent on construction

# %%
comp = compare_sectors(res)
display_cols = ["case", "spending", "jobs_direct", "jobs_indirect", "jobs_induced", "jobs_total",
                "women_share", "net_funding_pct_gross"]
print(comp[display_cols].round(3).to_string(index=False))
plot_comparison(comp)

# %% [markdown]
# ## 4. Uncertainty: Monte Carlo (seeded, vectorised) and one-at-a-time sensitivity

# %%
ranges = [
    ParameterRange("services.childcare_0_2.persons_per_staff", 3, 6, dist="triangular"),
    ParameterRange("services.preschool_3_5.persons_per_staff", 8, 14, dist="triangular"),
    ParameterRange("services.ltc_80_plus.target_coverage", 0.5, 0.8),
    ParameterRange("services.childcare_0_2.non_staff_cost_share", 0.1, 0.25),
    ParameterRange("fiscal.propensity_to_consume", 0.7, 0.95),
    ParameterRange("fiscal.income_tax_rate", 0.08, 0.16),
    ParameterRange("macro.real_wage_growth", 0.0, 0.02),
]
mc = monte_carlo(scn, ranges, draws=2000, seed=2025, level=0.9)
mc[(mc.year == scn.target_year) & mc.measure.isin(
    ["gross_cost_pct_gdp", "jobs_total", "women_share_of_jobs", "net_funding_pct_gdp"])]

# %%
fig, axes = plt.subplots(1, 2, figsize=(14, 4))
plot_cost_path(res, intervals=mc, ax=axes[0])
plot_tornado(sensitivity(scn, ranges, measure="net_funding"), ax=axes[1])
fig.tight_layout()

# %% [markdown]
# ## 5. What a finance ministry adds: weeks, staff grades, capital, replaced spending, parents
#
# `example_scenario("extended")` is the same synthetic scenario with every optional costing
# input (see `src/carecost/investment/data/SOURCES.md`): weeks of service and work a year; a
# staff mix by qualification for ages 0–2 (graduate teachers and practitioners, whose
# share-weighted pay and women's share become the service's); one-off capital costs of new
# places, spent in construction (`CON`); demand-side subsidies (vouchers for private care,
# not the funding of the places already in current coverage) replaced by free places, saved
# along the phase-in path; and parents taking up paid work per newly covered child (in a real
# study from an estimated employment elasticity, not from carecost). Capital spending creates
# construction jobs while places are being built; the parents' earnings are taxed and spent;
# the net funding requirement subtracts the replaced spending. The present value discounts
# the money flows to the base year at a real 3.5% (HM Treasury Green Book rate), in constant
# base-year prices.

# %%
scn_k = example_scenario("extended")
res_k = simulate(scn_k)
print(res_k.report().summary())
cols = ["gross_cost", "capital_cost", "jobs_capital", "replaced_spending", "parents_employed",
        "tax_parents_labour", "net_funding", "women_emp_rate_change_pp"]
pd.concat(
    {
        "basic": res.summary.set_index("year")[cols],
        "extended": res_k.summary.set_index("year")[cols],
    }
).loc[(slice(None), [2026, 2030, 2035]), :].round(2)

# %%
pv = pd.concat({"basic": res.present_value(0.035), "extended": res_k.present_value(0.035)})
pv.round(0).assign(discount_rate=pv["discount_rate"].map("{:.1%}".format))

# %% [markdown]
# ## 6. Real U.S. input–output data (BEA 2018, NIPA FTE)
#
# `industry_total_requirements` reproduces BEA's published 2018 industry-by-industry total
# requirements table to 2.9e-5. Employment multipliers are FTE per $ million of final demand.
# For comparison only: the Women's Budget Group report for the ITUC (De Henau et al. 2016)
# published that investing 2% of GDP in care in the U.S. would create about 13 million jobs
# (persons, direct + indirect + induced, their data year), and that in the UK care creates
# about twice as many jobs as construction (1.5 million vs 750,000). Below: 2% of 2018 U.S.
# value added spent on nursing and residential care (623) and social assistance (624), Type I
# (direct + indirect) FTE, against construction (23). This is a re-estimate with different
# data, year and job unit, not a reproduction.

# %%
shared = shared_data_dir([Path(globals().get("__file__", Path.cwd())).parent])
bea = shared / "io_bea" if shared is not None else None
if bea is not None and (bea / "bea_summary_use_pro_afterredef_2018.parquet").exists():
    us = IOModel.from_bea(bea, 2018)
    mult = us.multipliers().loc[["621", "622", "623", "624", "23"]]
    print(mult[["name", "output_multiplier", "employment_coefficient", "employment_multiplier",
                "employment_type_i"]].round(3).to_string())
    use = pd.read_parquet(bea / "bea_summary_use_pro_afterredef_2018.parquet").set_index("row_code")
    va = float(use.loc["Total Value Added", list(us.sectors)].astype(float).sum())
    spend = 0.02 * va
    share623 = us.output[us.index_of("623")] / (us.output[us.index_of("623")]
                                                + us.output[us.index_of("624")])
    care = us.impact({"623": spend * share623, "624": spend * (1 - share623)}, induced="none")
    cons = us.impact({"23": spend}, induced="none")
    print(f"2% of 2018 value added = ${spend / 1e3:,.0f} billion")
    print(f"care (623+624): {care.jobs.sum() / 1e6:.2f} million FTE; "
          f"construction: {cons.jobs.sum() / 1e6:.2f} million FTE; "
          f"ratio {care.jobs.sum() / cons.jobs.sum():.2f}")
else:
    print(f"BEA data not found at {bea}; set CARECOST_SHARED_DATA")
