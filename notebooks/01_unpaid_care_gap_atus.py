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
# # The unpaid-care gender gap in the American Time Use Survey
#
# How many minutes a day do women and men spend on unpaid domestic and care work, how large is
# the gap, and how does it vary with age and with young children in the household? This
# notebook goes from diary files to SDG indicator 5.4.1 and to the gap and ratio with standard
# errors, and says at every step which number comes from where.
#
# **Data.** The real ATUS microdata 2003–2016 (U.S. Bureau of Labor Statistics, abridged by the
# R package `atus` 0.2) in `<repo>/../shared/data/atus_0316`, or the folder named by the
# environment variable `CARECOST_SHARED_DATA`. When that folder is absent the notebook runs on
# the embedded **synthetic** example survey (`carecost.timeuse.example`) instead, and says so
# in the first output below: the code is the same, the numbers then describe no real country.
#
# **Definitions.** Unpaid domestic and care work is time in ICATUS 2016 major divisions 3
# (unpaid domestic services for household and family members) and 4 (unpaid caregiving
# services for household and family members), the numerator of SDG indicator 5.4.1 (UNSD SDG
# metadata 5.4.1, 2023-03-31). The ATUS activity codes are mapped to ICATUS 2016 by the
# crosswalk shipped in `src/carecost/timeuse/data/atus_to_icatus2016.csv`; its sources and
# choices are in `SOURCES.md` next to it. Formulas: `docs/methods.md`.

# %%
# ruff: noqa: ERA001  (the jupytext header above is a comment block, not dead code)
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from carecost.paths import shared_data_dir
from carecost.survey import contrast
from carecost.survey.population import calibration_change, population_cells
from carecost.timeuse import (
    adjusted_gap,
    gender_gap,
    icatus2016,
    icatus_crosswalk,
    read_atus,
    sdg_541,
    time_use_indicators,
)
from carecost.timeuse.example import example_survey

pd.set_option("display.width", 140)
pd.set_option("display.max_columns", 20)


SHARED = shared_data_dir([Path(globals().get("__file__", Path.cwd())).parent])
ATUS = SHARED / "atus_0316" if SHARED else None
FILES = ("atusact.parquet", "atusresp.parquet", "atuscps.parquet")
REAL = ATUS is not None and all((ATUS / f).is_file() for f in FILES)

if REAL:
    survey = read_atus(ATUS)
    YEAR = 2016
    design = survey.design.subset((survey.persons["tuyear"] == YEAR).to_numpy())
    LABEL = f"ATUS {YEAR}"
    print(f"DATA: real ATUS microdata (BLS; abridged by the R package atus 0.2) in {ATUS}; "
          f"diary year {YEAR} (2003-2016 for the trend at the end)")
else:
    survey = example_survey()
    YEAR = None
    design = survey.design
    LABEL = "synthetic example survey"
    print(f"DATA: real ATUS data NOT found (looked in {ATUS}); using the embedded SYNTHETIC "
          "example survey (carecost.timeuse.example, seed 20261124). The numbers below describe "
          "no real country. Set CARECOST_SHARED_DATA to the folder holding atus_0316/.")

# %% [markdown]
# ## 1. Reading and validating the diaries
#
# `read_atus` reads either the official BLS files or the abridged Parquet form, classifies
# every activity code, and validates at the edge: diaries that do not sum to 1,440 minutes are
# counted in a report, never rescaled or dropped. The abridged file dropped the ATUS data codes
# 50xxxx ("unable to code", "refused" ...), so many of its diaries are short of 1,440 minutes.

# %%
print("source:   ", survey.source)
print("diaries:  ", survey.report.summary())
print("variance: ", survey.variance)
print("design:   ", design)
print(f"respondents analysed: {len(design):,}; design degrees of freedom: {design.degf():,.0f}")

# %% [markdown]
# **What the standard errors mean.** With the real abridged file the design is *weights-only*:
# the file has the ATUS final weight (TUFNWGTP) but not the 160 successive-difference replicate
# weights BLS publishes, so every respondent is treated as an independent with-replacement draw
# (linearization with each person as a PSU). This ignores the stratification and clustering of
# the ATUS sample and the calibration of the weights; BLS's own standard errors use the
# replicate weights (ATUS User's Guide, ch. 7). With the official files and
# `atuswgts_0316.dat`, `read_atus` builds the 160-replicate SDR design and the same code below
# gives SDR standard errors. The synthetic example survey carries SDR replicate weights, so
# there the standard errors are replicate-based (df = replicates' rank − 1).

# %% [markdown]
# ## 2. Classification: ATUS codes to ICATUS 2016
#
# ICATUS 2016 major divisions shipped with carecost (UN Statistical Papers M No. 98). The
# `verification` column says whether code and title were seen together in a retrievable
# source; see `SOURCES.md`.

# %%
ic = icatus2016()
ic[ic["level"] == "major_division"][["code", "title", "unpaid_care_work", "verification"]]

# %% [markdown]
# The crosswalk rules that put ATUS codes into divisions 3 and 4 (the longest matching
# prefix wins; e.g. ATUS 07 consumer purchases are ICATUS 371, inside SDG 5.4.1, whereas BLS
# Table 1 keeps purchasing apart from household activities):

# %%
rules = icatus_crosswalk().rules
unpaid_rules = rules[rules["target"].str[0].isin(["3", "4"])]
print(f"{len(unpaid_rules)} of {len(rules)} rules map into ICATUS 3 or 4")
unpaid_rules.groupby("target", sort=True)["prefix"].agg(", ".join).rename_axis("icatus")

# %% [markdown]
# Average hours per day by ICATUS major division and sex (all persons 15+, including those
# who did none of it). Divisions 1–9 plus the unclassified codes add up to the recorded diary;
# the shortfall to 24 hours is the unrecorded time of short diaries.

# %%
major = [f"icatus_{k}" for k in range(1, 10)]
cols = [c for c in [*major, "icatus_unclassified"] if c in design.data.columns]
titles = dict(zip("icatus_" + ic["code"].astype(str), ic["title"], strict=False))
by_div = design.assign(**{c: design.data[c] / 60 for c in cols}).mean(cols, by="sex")
div_table = by_div.pivot(index="variable", columns="sex", values="estimate").loc[cols]
div_table.insert(0, "division", [titles.get(c, "unclassified (no ICATUS code)") for c in cols])
div_table.loc["total"] = ["all divisions", *div_table[["female", "male"]].sum().to_numpy()]
div_table.round(2)

# %% [markdown]
# ## 3. SDG indicator 5.4.1
#
# Proportion of time spent on unpaid domestic and care work: $100\,\bar y / 1440$ with
# $\bar y$ the weighted mean minutes per day in ICATUS 3 + 4 (primary activities only, as the
# official indicator), by sex, age and location.

# %%
show = ["estimate", "se", "ci_low", "ci_high", "n"]
s_sex = sdg_541(design, by="sex")
s_sex[["sex", *show]].round(2)

# %%
s_age = sdg_541(design, by=["sex", "age_group"])
s_age.pivot(index="age_group", columns="sex", values="estimate").round(1)

# %% [markdown]
# Location: SDG 5.4.1 is disaggregated by urban/rural location. The abridged ATUS file does
# not carry the metropolitan status (GTMETSTA), so with real data the census region is shown
# instead; the example survey has an urban/rural variable.

# %%
loc = "urban" if "urban" in design.data.columns else "region"
print(f"location variable: {loc}")
sdg_541(design, by=["sex", loc]).pivot(index=loc, columns="sex", values="estimate").round(1)

# %% [markdown]
# **Two choices that move the indicator**, shown as sensitivity variants rather than hidden:
#
# * ATUS 04 "caring for and helping nonhousehold members" is mapped to ICATUS 51 (volunteer
#   work for other households), outside 5.4.1, because the activity code does not say whether
#   the person helped is a family member (ICATUS puts help to family in other households in 3
#   and 4). Adding it back gives an upper variant.
# * Secondary (simultaneous) childcare is not in the official indicator; where the data carry
#   it (the official BLS files' TRTCC, or the example survey), `sdg_541` can add it as a
#   variant. The abridged file has no secondary childcare.

# %%
nonhh = "Caring for and helping nonhousehold members"
variants = [s_sex.assign(variant="official: ICATUS 3 + 4, primary activities")]
if nonhh in design.data.columns:
    d_alt = design.assign(ucw_plus_04=design.data["unpaid_care_work"] + design.data[nonhh])
    variants.append(sdg_541(d_alt, y="ucw_plus_04", by="sex")
                    .assign(variant="+ ATUS 04 help to other households (+ travel 1804)"))
if "secondary_childcare" in design.data.columns:
    variants.append(sdg_541(design, by="sex", secondary_childcare="secondary_childcare")
                    .assign(variant="+ secondary childcare"))
pd.concat(variants)[["variant", "sex", *show]].round(2)

# %% [markdown]
# ## 4. The gender gap, with standard errors
#
# `gender_gap` estimates women's and men's mean minutes per day, the gap (women − men, a linear
# contrast), the ratio (women / men, delta method) and women's share of all unpaid care time
# ($T_F/(T_F+T_M)$, delta method), all from the joint covariance of the sex-specific
# estimates, as R `svyby(..., covmat=TRUE)` followed by `svycontrast`. Intervals are Student-t
# with the design degrees of freedom.

# %%
gap_all = gender_gap(design, "unpaid_care_work")
print(gap_all.attrs["variance"])
gap_all[["statistic", "estimate", "se", "ci_low", "ci_high", "df", "n"]].round(3)

# %% [markdown]
# By age group; each cell is "estimate (standard error)", minutes per day for women, men and
# the gap, a pure number for the ratio and women's share.

# %%
def side_by_side(gap: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per domain: each statistic as "estimate (se)"; minutes per day except the
    ratio and women's share."""
    cell = [f"{e:.3f} ({s:.3f})" if st in ("ratio", "women_share") else f"{e:.1f} ({s:.1f})"
            for e, s, st in zip(gap["estimate"], gap["se"], gap["statistic"], strict=True)]
    out = gap.assign(cell=cell).pivot(index=by, columns="statistic", values="cell")
    return out[["women", "men", "gap", "ratio", "women_share"]]


gap_age = gender_gap(design, "unpaid_care_work", by="age_group")
side_by_side(gap_age, "age_group")

# %% [markdown]
# ### Presence and age of children
#
# `youngest_child` is the age group of the youngest household child under 18 ("none" when
# there is no child under 18 in the household; in the ATUS file it is built from `hh_child`
# and `hh_child_youngest_age`, i.e. ATUS's household-roster variables).

# %%
gap_kids = gender_gap(design, "unpaid_care_work", by="youngest_child")
present = set(gap_kids["youngest_child"])
order = [k for k in ["none", "13-17", "6-12", "6-17", "0-5"] if k in present]
side_by_side(gap_kids, "youngest_child").loc[order]

# %% [markdown]
# Is the gap larger where the youngest child is under 6 than in households without children?
# That is a difference of differences of four domain means; its standard error needs their
# covariance, which the result table carries (`contrast`, as R `svycontrast`).

# %%
means = design.mean("unpaid_care_work", by=["youngest_child", "sex"], vcov=True)
key = {(r.youngest_child, r.sex): i for i, r in means.iterrows()}
did = contrast(means, {
    "gap(0-5) - gap(none)": {key[("0-5", "female")]: 1, key[("0-5", "male")]: -1,
                             key[("none", "female")]: -1, key[("none", "male")]: 1},
    "women: 0-5 - none": {key[("0-5", "female")]: 1, key[("none", "female")]: -1},
    "men: 0-5 - none": {key[("0-5", "male")]: 1, key[("none", "male")]: -1},
})
did[["contrast", "estimate", "se", "ci_low", "ci_high", "df"]].round(2)

# %% [markdown]
# Participation and intensity: the share of persons with any unpaid domestic or care work on
# the diary day, and the hours of those who did some (UN 2005, *Guide to Producing Statistics
# on Time Use*, ch. 11).

# %%
tui = time_use_indicators(design, "unpaid_care_work", by="sex")
tui = tui[tui["indicator"].isin(["hours_per_day", "participation_pct", "hours_per_participant"])]
tui[["sex", "indicator", "estimate", "se", "ci_low", "ci_high", "unit"]].round(2)

# %% [markdown]
# ## 5. Charts

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 4.2))
ages = sorted(gap_age["age_group"].unique())
x = np.arange(len(ages))
for k, (sex, colour) in enumerate((("women", "#b2182b"), ("men", "#2166ac"))):
    r = gap_age[gap_age["statistic"] == sex].set_index("age_group").loc[ages]
    axes[0].bar(x + (k - 0.5) * 0.38, r["estimate"] / 60, width=0.38, color=colour, label=sex,
                yerr=[(r["estimate"] - r["ci_low"]) / 60, (r["ci_high"] - r["estimate"]) / 60],
                capsize=3)
axes[0].set_xticks(x, ages)
axes[0].set_xlabel("age group")
axes[0].set_ylabel("hours per day (ICATUS 3 + 4)")
axes[0].set_title(f"Unpaid domestic and care work by age, {LABEL}")
axes[0].legend()
g = gap_kids[gap_kids["statistic"] == "gap"].set_index("youngest_child").loc[order]
axes[1].errorbar(g["estimate"] / 60, np.arange(len(order)), fmt="o", color="black", capsize=4,
                 xerr=[(g["estimate"] - g["ci_low"]) / 60, (g["ci_high"] - g["estimate"]) / 60])
axes[1].set_yticks(np.arange(len(order)), order)
axes[1].axvline(0, color="grey", lw=0.8)
axes[1].set_xlabel("women − men, hours per day (95% CI)")
axes[1].set_ylabel("age of youngest household child")
axes[1].set_title("Gender gap by presence and age of children")
fig.tight_layout()

# %% [markdown]
# ## 6. Trend 2003–2016 (real data only)
#
# Each year's ATUS final weights sum to the person-days of that year, so yearly means are
# separate domain estimates of the same design (`by="year"`).

# %%
if REAL:
    trend = gender_gap(survey.design, "unpaid_care_work", by="year")
    tw = trend.pivot(index="year", columns="statistic", values="estimate")
    print((tw[["women", "men", "gap", "ratio"]] / [60, 60, 60, 1]).round(2)
          .rename(columns={"women": "women_h", "men": "men_h", "gap": "gap_h"}).to_string())
    fig, ax = plt.subplots(figsize=(8, 4))
    for sex, colour in (("women", "#b2182b"), ("men", "#2166ac")):
        r = trend[trend["statistic"] == sex]
        ax.plot(r["year"], r["estimate"] / 60, color=colour, marker="o", label=sex)
        ax.fill_between(r["year"], r["ci_low"] / 60, r["ci_high"] / 60, color=colour, alpha=0.2)
    ax.set_ylabel("hours per day (ICATUS 3 + 4), 95% CI")
    ax.set_title("Unpaid domestic and care work, persons 15+, ATUS 2003-2016")
    ax.legend()
    fig.tight_layout()
else:
    print("trend skipped: the synthetic example survey has a single (undated) diary year")

# %% [markdown]
# ## The gap at equal age, employment and children (adjusted gap)
#
# `adjusted_gap` fits the survey-weighted regression of unpaid-care minutes on a women's
# indicator plus covariates (R `svyglm`); the women's coefficient is the gap that remains among
# women and men of the same age group, employment status and age of the youngest child. Without
# covariates it is the raw gap above (same estimate and standard error). It is descriptive, not a
# causal effect.

# %%
adj = adjusted_gap(design, "unpaid_care_work",
                   ["C(age_group)", "C(employed)", "C(youngest_child)"])
adj[["statistic", "estimate", "se", "ci_low", "ci_high", "covariates"]].round(2)

# %% [markdown]
# ## Calibrating to population totals
#
# `poststratify` (R `postStratify`) moves the weights so that they add up to known population
# totals: here WPP 2019 persons by sex and age group for the United States in 2016
# (`carecost.survey.population.population_cells`, times 366 days because ATUS weights sum to
# person-days). BLS already controls the ATUS weights to CPS counts of the civilian
# non-institutional population by sex, age and more, so the means barely move and their
# standard errors fall a little; the totals move by WPP's wider coverage (people in
# institutions and the armed forces, mostly men). With the synthetic example survey the same
# code post-stratifies to Brazil's 2019 sex-age structure scaled to the survey's own total.

# %%
ages = {"15-24": (15, 24), "25-34": (25, 34), "35-44": (35, 44), "45-54": (45, 54),
        "55-64": (55, 64), "65+": (65, None)}
if REAL:
    one_year = Path(tempfile.mkdtemp())
    resp = pd.read_parquet(ATUS / "atusresp.parquet", filters=[("tuyear", "==", YEAR)])
    ids = [("tucaseid", ">=", int(resp["tucaseid"].min())),
           ("tucaseid", "<=", int(resp["tucaseid"].max()))]
    resp.to_parquet(one_year / "atusresp.parquet")
    for name in ("atuscps", "atusact"):
        pd.read_parquet(ATUS / f"{name}.parquet", filters=ids).to_parquet(
            one_year / f"{name}.parquet")
    before = read_atus(one_year).design
    cells = population_cells("USA", YEAR, ages, multiplier=366)
else:
    before = design
    cells = population_cells("BRA", 2019, ages, total=before.weight_total())
after = before.poststratify(["sex", "age_group"], cells)
calibration_change(before.mean("unpaid_care_work", by="sex"),
                   after.mean("unpaid_care_work", by="sex")).round(3)

# %% [markdown]
# ## What to say when you cite these numbers
#
# * Population: civilian non-institutional persons aged 15 and over (ATUS universe), average
#   day of the year (diaries spread over all days; weights sum to person-days).
# * Unpaid domestic and care work = ICATUS 2016 major divisions 3 + 4 by carecost's
#   ATUS→ICATUS crosswalk (ATUS 04 help to other households excluded; purchases and
#   household services included; household travel included).
# * Standard errors: weights-only linearization on the abridged file (stated above), which
#   ignores the ATUS design; use the official BLS files with replicate weights for SDR errors.
# * Short diaries: the abridged file dropped data codes 50xxxx, so recorded time averages less
#   than 1,440 minutes (report above); SDG 5.4.1 still divides by 1,440 as the metadata define.
