"""The value brief: what is unpaid household and care work worth, by valuation method."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from carecost.timeuse import TimeUseSurvey
from carecost.valuation import (
    GDP,
    Generalist,
    Hybrid,
    Specialist,
    Uniform,
    Valuation,
    WageTable,
    atus_activity_map,
    monte_carlo,
    value_unpaid_work,
)

from . import charts
from ._common import (
    LUMLEY,
    carecost_source,
    check_level,
    design_interval,
    quantity_from_row,
    slug,
)
from ._format import fmt_interval, fmt_number
from .datasets import DatasetSpec, ValuationSpec
from .model import Brief, BriefError, Chart, Column, Quantity, Source, Table

__all__ = ["METHODS", "value_brief"]

MethodName = Literal["generalist", "specialist", "hybrid", "minimum_wage"]
METHODS: tuple[str, ...] = ("generalist", "specialist", "hybrid", "minimum_wage")
METHOD_LABELS = {
    "generalist": "Replacement cost, generalist",
    "specialist": "Replacement cost, specialist",
    "hybrid": "Replacement cost, hybrid",
    "minimum_wage": "Minimum wage (ILO 2018)",
}
UNECE = Source(
    "unece2017",
    "UNECE (2017). Guide on Valuing Unpaid Household Service Work. ECE/CES/STAT/2017/3. "
    "United Nations, New York and Geneva.",
    "https://unece.org/fileadmin/DAM/stats/publications/2018/ECECESSTAT20173.pdf",
)
EUROSTAT = Source(
    "eurostat2003",
    "Eurostat (2003). Household Production and Consumption: Proposal for a Methodology of "
    "Household Satellite Accounts. Working Papers and Studies, Theme 3, KS-CC-03-003-EN.",
)
ILO = Source(
    "ilo2018",
    "ILO (2018). Care work and care jobs for the future of decent work. International Labour "
    "Office, Geneva.",
)


def _method(name: str, v: ValuationSpec, wt: WageTable) -> Any:
    gen = Generalist.from_table(wt, v.generalist)
    if name == "generalist":
        return gen
    if name == "specialist":
        return Specialist(wt)
    if name == "hybrid":
        return Hybrid(wt, gen)
    if v.minimum_wage is None:
        raise BriefError("method 'minimum_wage' needs valuation.minimum_wage in the data set")
    return Generalist(v.minimum_wage, v.currency, v.year, label="minimum wage",
                      source=v.minimum_wage_source)


def value_brief(
    survey: TimeUseSurvey, dataset: DatasetSpec, *,
    methods: Sequence[str] = METHODS, main: str = "hybrid", level: float = 0.95,
    draws: int = 2000, seed: int = 0,
) -> Brief:
    """The value of unpaid household service and care work, by valuation method.

    Parameters
    ----------
    survey
        Time-use survey with the carecost valuation activity groups (read with
        :func:`carecost.valuation.atus_valuation_crosswalk`, as the registered
        data sets are).
    dataset
        Registered description with its :class:`~carecost.briefs.datasets.ValuationSpec`.
    methods
        Any of ``"generalist"``, ``"specialist"``, ``"hybrid"``,
        ``"minimum_wage"`` (those without wages in the data set are refused).
    main
        The method of the headline numbers and of the by-activity table.
    level
        Confidence level of the intervals.
    draws, seed
        Monte Carlo draws (2 to 100,000) and seed for the interval that adds
        wage uncertainty (uniform wage factor of +/- ``wage_uncertainty``).

    Returns
    -------
    Brief
        Annual value (currency per year), share of GDP, value per person and
        women's share for each method, by activity group for ``main``, each
        with design-based standard errors, and a Monte Carlo interval for the
        total that adds wage uncertainty.
    """
    v = dataset.valuation
    if v is None:
        raise BriefError(f"data set {dataset.name!r} has no [valuation] wages; value briefs "
                         "need them (see carecost.briefs.datasets)")
    level = check_level(level)
    meths = list(dict.fromkeys(methods))
    bad = [m for m in meths if m not in METHODS]
    if bad or not meths:
        raise BriefError(f"methods = {list(methods)}: allowed any of {list(METHODS)}")
    if main not in meths:
        raise BriefError(f"main = {main!r} must be one of the methods asked for {meths}")
    if isinstance(draws, bool) or not isinstance(draws, int) or not 2 <= draws <= 100_000:
        raise BriefError(f"draws = {draws!r}; allowed a whole number from 2 to 100000")
    amap = atus_activity_map()
    missing = [c for c in amap.groups if c not in survey.persons.columns]
    if missing:
        raise BriefError(
            f"data set {dataset.name!r} has no valuation activity groups (missing columns "
            f"{missing[:3]}...); read the episodes with carecost.valuation."
            "atus_valuation_crosswalk()")
    wt = WageTable.from_mapping(dict(v.wages), currency=v.currency, year=v.year,
                                source=v.wage_source)
    gdp = None if v.gdp is None else GDP(v.gdp, v.currency, v.year, v.gdp_source)
    vals: dict[str, Valuation] = {}
    summaries: dict[str, pd.DataFrame] = {}
    for m in meths:
        val = value_unpaid_work(survey.design, amap, _method(m, v, wt), year=v.year,
                                currency=v.currency, weights=v.weights)
        vals[m] = val
        summaries[m] = val.summary(gdp, sex=dataset.sex, female=dataset.female,
                                   male=dataset.male, level=level)
    df = float(summaries[main]["df"].iloc[0])
    interval = design_interval(level, df)
    data_src = Source("data", dataset.source, synthetic=dataset.synthetic)
    wage_src = Source("wages", v.wage_source, synthetic=v.synthetic)
    sources = [data_src, wage_src]
    if v.gdp is not None:
        sources.append(Source("gdp", v.gdp_source, synthetic=v.synthetic))
    if "minimum_wage" in meths:
        sources.append(Source("minwage", v.minimum_wage_source, synthetic=v.synthetic))
    sources += [UNECE, EUROSTAT, ILO, LUMLEY, carecost_source()]
    cur = v.currency
    stat_spec = {
        "annual_value": ("Annual value", f"{cur} per year", 1.0),
        "share_of_gdp": ("Value as a share of GDP", "% of GDP", 100.0),
        "value_per_capita": ("Value per person", f"{cur} per person per year", 1.0),
        "women_share": ("Women's share of the value", "% of total", 100.0),
        "annual_hours": ("Annual hours of unpaid work", "hours per year", 1.0),
        "average_wage": ("Average wage applied", f"{cur} per hour", 1.0),
    }
    quantities: list[Quantity] = []
    by_method: dict[str, dict[str, Quantity]] = {}
    for m in meths:
        s = summaries[m]
        by_method[m] = {}
        for _, r in s[s["group"] == "total"].iterrows():
            stat = str(r["statistic"])
            if stat not in stat_spec:
                continue
            label, unit, scale = stat_spec[stat]
            qq = quantity_from_row(
                r, id=slug("value", m, stat), label=f"{label} ({METHOD_LABELS[m]})",
                unit=unit, source="data", interval=interval, level=level, scale=scale,
                method=_method_text(m, stat, v))
            quantities.append(qq)
            by_method[m][stat] = qq
    # Monte Carlo for the main method's total: sampling + wage factor
    u = v.wage_uncertainty
    mc = monte_carlo(vals[main], wage_factor=Uniform(1 - u, 1 + u) if u > 0 else None,
                     draws=draws, seed=seed, level=level, gdp=gdp)
    mcs = mc.summary[mc.summary["group"] == "total"]
    mc_q = []
    for _, r in mcs.iterrows():
        qty = str(r["quantity"])
        scale = 100.0 if qty == "share_of_gdp" else 1.0
        unit = "% of GDP" if qty == "share_of_gdp" else f"{cur} per year"
        mc_q.append(Quantity(
            id=slug("value", main, qty, "with_wage_uncertainty"),
            label=f"{stat_spec[qty][0]}, with wage uncertainty ({METHOD_LABELS[main]})",
            estimate=float(r["point"]) * scale, se=float(r["sd"]) * scale,
            ci_low=float(r["ci_low"]) * scale, ci_high=float(r["ci_high"]) * scale, level=level,
            interval=(f"{100 * level:.0f}% Monte Carlo percentile interval ({draws:,} draws, "
                      f"seed {seed}): sampling error of the hours and all wages x a uniform "
                      f"factor in [{1 - u:g}, {1 + u:g}]; 'se' is the standard deviation of the "
                      "draws"),
            unit=unit, source="data", method=_method_text(main, "annual_value", v)))
    quantities += mc_q
    # by activity group (main method)
    tot = vals[main].total(groups=True, level=level)
    hrs = vals[main].hours(groups=True, level=level)
    rates = vals[main].rates.set_index("group")
    group_q = []
    group_rows = []
    for (_, r), (_, h) in zip(tot.iterrows(), hrs.iterrows(), strict=True):
        g = str(r["group"])
        qq = quantity_from_row(
            r, id=slug("value", main, "group", g), label=f"{g} ({METHOD_LABELS[main]})",
            unit=f"{cur} per year", source="data", interval=interval, level=level,
            domain={"activity": g}, method=_method_text(main, "annual_value", v))
        group_q.append(qq)
        wage = rates["wage"].get(g, np.nan) if g != "total" else np.nan
        occ = rates["occupation"].get(g, "") if g != "total" else ""
        group_rows.append({"activity": g, "occupation": occ, "wage": _f(wage),
                           "hours": _f(h["estimate"]), "hours_se": _f(h["se"]),
                           "estimate": qq.estimate, "se": qq.se, "ci_low": qq.ci_low,
                           "ci_high": qq.ci_high})
    quantities += group_q
    tables = [
        _method_table(meths, by_method, stat_spec, level, interval),
        Table("value_by_activity", f"Annual value by activity ({METHOD_LABELS[main]})",
              (Column("activity", "Activity"), Column("occupation", "Market occupation"),
               Column("wage", "Wage", f"{cur} per hour"),
               Column("hours", "Hours", "hours per year"),
               Column("hours_se", "Hours SE", "hours per year"),
               Column("estimate", "Value", f"{cur} per year"),
               Column("se", "Value SE", f"{cur} per year"),
               Column("ci_low", f"{100 * level:.0f}% CI low", f"{cur} per year"),
               Column("ci_high", f"{100 * level:.0f}% CI high", f"{cur} per year")),
              tuple(group_rows), notes=f"Intervals: {interval}. Wages taken as fixed.",
              source="data"),
        Table("wages", f"Hourly wages used ({cur} {v.year}, gross)",
              (Column("occupation", "Occupation"), Column("wage", "Wage", f"{cur} per hour")),
              tuple({"occupation": k, "wage": float(w)} for k, w in v.wages.items()),
              notes=f"Source: {v.wage_source}", source="wages"),
    ]
    charts_out = [_method_chart(meths, by_method, level, gdp is not None, cur),
                  _activity_chart(group_rows, main, level, cur)]
    mq = by_method[main]
    headline = [mq["annual_value"]]
    if "share_of_gdp" in mq:
        headline.append(mq["share_of_gdp"])
    headline += [mq["value_per_capita"], mq["women_share"], *mc_q[:1]]
    lo_m = min(meths, key=lambda m: by_method[m]["annual_value"].estimate or 0.0)
    hi_m = max(meths, key=lambda m: by_method[m]["annual_value"].estimate or 0.0)
    answer = (
        f"Valued at what it would cost to hire workers to do it ({METHOD_LABELS[main].lower()}), "
        f"unpaid household service and care work is worth {fmt_number(mq['annual_value'].estimate)}"
        f" {cur} a year ({100 * level:.0f}% CI "
        f"{fmt_interval(mq['annual_value'].ci_low, mq['annual_value'].ci_high)})"
    )
    if "share_of_gdp" in mq:
        answer += f", {fmt_number(mq['share_of_gdp'].estimate)}% of GDP"
    answer += (
        f". Women do {fmt_number(mq['women_share'].estimate, digits=0)}% of it. Across methods "
        f"the value ranges from {fmt_number(by_method[lo_m]['annual_value'].estimate)} "
        f"({METHOD_LABELS[lo_m]}) to "
        f"{fmt_number(by_method[hi_m]['annual_value'].estimate)} {cur} "
        f"({METHOD_LABELS[hi_m]})."
    )
    method = (
        "The input method values each hour of unpaid household service and care work at a wage "
        "(UNECE 2017, chapter 5; Eurostat 2003): the generalist replacement cost uses one wage, "
        "that of a general domestic worker; the specialist replacement cost values each "
        "activity at the wage of the market occupation that does it; the hybrid uses the "
        "specialist wage where a market substitute exists and the generalist wage otherwise "
        "(shopping, travel); the ILO (2018) variant uses the hourly minimum wage.",
        f"Hours come from the time-use diaries, grouped into {len(amap.groups)} activities of "
        "carecost's valuation crosswalk (ICATUS 2016 divisions 3 and 4), and are annualised "
        f"over {vals[main].days} days; weights are {v.weights}.",
        f"Each person's daily value is a variable of the survey design, so totals, shares and "
        f"per-person values have design-based standard errors ({survey.variance}); intervals: "
        f"{interval}. These treat the wages as fixed.",
        f"A Monte Carlo interval ({draws:,} draws, seed {seed}) adds wage uncertainty: all "
        f"wages are multiplied by a uniform factor between {1 - u:g} and {1 + u:g}, together "
        "with the sampling error of the hours (UNECE 2017, chapter 7).",
    )
    caveats = [
        "Replacement cost values the time, not the output, and assumes a market worker would "
        "take as long as the household member.",
        "Intervals from the survey cover sampling error only; the Monte Carlo interval adds a "
        "stated range for wages but not diary reporting error.",
    ]
    if v.gdp is not None:
        caveats.append("GDP is taken as known, without error; household production is not "
                       "part of GDP, so the share compares a value outside GDP with GDP.")
    if dataset.synthetic:
        caveats.insert(0, "The data, wages and GDP are synthetic ('Exampleland'), made for "
                       "illustration; the survey's weights represent fewer people than the "
                       "example country's macro data, so the share of GDP is illustrative.")
    return Brief(
        kind="value", title="What is unpaid care work worth?",
        question=("What is the money value of unpaid household service and care work, how does "
                  "it depend on the valuation method, and how much of it do women do?"),
        answer=answer, headline=tuple(headline), quantities=tuple(quantities),
        tables=tuple(tables), charts=tuple(charts_out), method=method, caveats=tuple(caveats),
        sources=tuple(sources), dataset=dataset.describe(),
        inputs={"dataset": dataset.name, "methods": meths, "main": main, "level": level,
                "draws": draws, "seed": seed},
    )


def _f(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def _method_text(m: str, stat: str, v: ValuationSpec) -> str:
    base = {
        "generalist": f"every hour at the {v.generalist.replace('_', ' ')} wage",
        "specialist": "each activity at its market occupation's wage",
        "hybrid": ("specialist wages where a market substitute exists, the "
                   f"{v.generalist.replace('_', ' ')} wage otherwise"),
        "minimum_wage": "every hour at the hourly minimum wage",
    }[m]
    what = {
        "annual_value": "survey-weighted total of hours x wage, annualised",
        "share_of_gdp": "annual value / GDP (GDP without error)",
        "value_per_capita": "survey-weighted mean of the daily value x days in the year",
        "women_share": "women's total value / total value of women and men (delta method)",
        "annual_hours": "survey-weighted total of hours, annualised",
        "average_wage": "total value / total hours (ratio estimator)",
    }[stat]
    return f"{METHOD_LABELS[m]}: {base}; {what}"


def _method_table(meths: list[str], by_method: dict[str, dict[str, Quantity]],
                  stat_spec: dict[str, tuple[str, str, float]], level: float,
                  interval: str) -> Table:
    cols = (Column("method", "Method"), Column("label", "Statistic"),
            Column("estimate", "Estimate"), Column("se", "Standard error"),
            Column("ci_low", f"{100 * level:.0f}% CI low"),
            Column("ci_high", f"{100 * level:.0f}% CI high"), Column("unit", "Unit"))
    rows = []
    for m in meths:
        for stat in stat_spec:
            q = by_method[m].get(stat)
            if q is None:
                continue
            rows.append({"method": METHOD_LABELS[m], "label": stat_spec[stat][0],
                         "estimate": q.estimate, "se": q.se, "ci_low": q.ci_low,
                         "ci_high": q.ci_high, "unit": q.unit})
    return Table("value_by_method", "Value of unpaid work by valuation method", cols,
                 tuple(rows), notes=f"Intervals: {interval}. Wages taken as fixed.",
                 source="data")


def _method_chart(meths: list[str], by_method: dict[str, dict[str, Quantity]], level: float,
                  has_gdp: bool, cur: str) -> Chart:
    stat = "share_of_gdp" if has_gdp else "annual_value"
    unit = "% of GDP" if has_gdp else f"{cur} per year"
    qs = [by_method[m][stat] for m in meths]
    cats = [METHOD_LABELS[m] for m in meths]
    series = {"Value": ([q.estimate or np.nan for q in qs], [q.ci_low or np.nan for q in qs],
                        [q.ci_high or np.nan for q in qs])}
    parts = "; ".join(f"{c}: {fmt_number(q.estimate)}" for c, q in zip(cats, qs, strict=True))
    alt = (f"Bar chart of the annual value of unpaid household and care work, in {unit}, by "
           f"valuation method, with {100 * level:.0f}% confidence intervals. {parts}.")
    title = "Value of unpaid work by valuation method"
    svg = charts.bars_with_intervals("chart-value-methods", title, alt, cats, series, unit=unit)
    return Chart("value_by_method", title, alt, "value_by_method", svg)


def _activity_chart(rows: list[dict[str, Any]], main: str, level: float, cur: str) -> Chart:
    rs = [r for r in rows if r["activity"] != "total"]
    rs.sort(key=lambda r: -(r["estimate"] or 0.0))
    cats = [r["activity"] for r in rs]
    scale = 1e9 if max((r["estimate"] or 0.0) for r in rs) >= 1e9 else 1e6
    word = "billion" if scale == 1e9 else "million"
    series = {"Value": ([(r["estimate"] or np.nan) / scale for r in rs],
                        [(r["ci_low"] or np.nan) / scale for r in rs],
                        [(r["ci_high"] or np.nan) / scale for r in rs])}
    top = rs[:3]
    alt = (f"Horizontal bar chart of the annual value of each unpaid activity "
           f"({METHOD_LABELS[main].lower()}), in {cur} {word} per year, with "
           f"{100 * level:.0f}% confidence intervals. The largest are "
           + ", ".join(f"{r['activity']} ({fmt_number(r['estimate'])} {cur})" for r in top)
           + ".")
    title = "Value of unpaid work by activity"
    svg = charts.bars_with_intervals("chart-value-activities", title, alt, cats, series,
                                     unit=f"{cur} {word} per year")
    return Chart("value_by_activity", title, alt, "value_by_activity", svg)
