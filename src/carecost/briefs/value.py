"""The value brief: what is unpaid household and care work worth, by valuation method."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from carecost.limits import METHODS
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
    benchmark_total,
    monte_carlo,
    value_unpaid_work,
)

from . import charts
from ._common import (
    LUMLEY,
    MAX_CV,
    carecost_source,
    check_draws,
    check_level,
    design_interval,
    design_words,
    quantity_from_row,
    reliability_flags,
    slug,
)
from ._format import fmt_number, plain_interval
from .datasets import DATASET_REFERENCE, DatasetSpec, ValuationSpec
from .model import Brief, BriefError, Chart, Column, Quantity, Source, Table

__all__ = ["METHODS", "check_value_request", "value_brief"]

MethodName = Literal["generalist", "specialist", "hybrid", "minimum_wage"]
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
    # ILO (2018) values at the statutory hourly minimum wage itself: a gross rate
    return Generalist(v.minimum_wage, v.currency, v.year, "gross", label="minimum wage",
                      source=v.minimum_wage_source, valuation_basis="gross")


def _basis_kwargs(name: str, v: ValuationSpec) -> dict[str, Any]:
    """``basis`` and ``employer_rate`` for :func:`value_unpaid_work`: a rate only when used."""
    if name == "minimum_wage":
        return {}
    target = v.valuation_basis or "gross_plus_employer"
    kw: dict[str, Any] = {} if v.valuation_basis is None else {"basis": v.valuation_basis}
    if target != v.wage_basis:
        kw["employer_rate"] = v.employer_rate
    return kw


def check_value_request(
    dataset: DatasetSpec, *, methods: Sequence[str] = METHODS, main: str = "hybrid",
    level: float = 0.95, draws: int = 2000,
) -> tuple[ValuationSpec, list[str], float]:
    """Check a value brief's request against the data-set specification, before any data is read.

    Returns
    -------
    tuple
        The valuation spec, the methods (duplicates dropped) and the level.

    Raises
    ------
    BriefError
        No ``[valuation]`` in the data set, an unknown method, ``main`` not among the
        methods, ``minimum_wage`` without ``valuation.minimum_wage``, a bad level or
        number of draws.
    """
    v = dataset.valuation
    if v is None:
        raise BriefError(f"data set {dataset.name!r} has no [valuation] wages; value briefs "
                         f"need them (the [valuation] keys are listed in {DATASET_REFERENCE})")
    level = check_level(level)
    meths = list(dict.fromkeys(methods))
    bad = [m for m in meths if m not in METHODS]
    if bad or not meths:
        raise BriefError(f"methods = {list(methods)}: allowed any of {list(METHODS)}")
    if main not in meths:
        raise BriefError(f"main = {main!r} must be one of the methods asked for {meths}")
    if "minimum_wage" in meths and v.minimum_wage is None:
        raise BriefError(f"method 'minimum_wage' needs valuation.minimum_wage in data set "
                         f"{dataset.name!r}; add it or leave the method out")
    target = v.valuation_basis or "gross_plus_employer"
    if any(m != "minimum_wage" for m in meths) and target != v.wage_basis \
            and v.employer_rate is None:
        raise BriefError(
            f"data set {dataset.name!r}: replacement cost values hours at the full labour cost "
            "(gross wage plus employer social contributions; UNECE 2017, section 5.3), but the "
            "wages in [valuation] are gross: add valuation.employer_rate (employer "
            "contributions as a share of the gross wage, e.g. 0.15) and "
            "valuation.employer_rate_source, or set valuation.valuation_basis = 'gross' to "
            f"value at gross wages, which the brief then states (keys: {DATASET_REFERENCE})")
    check_draws(draws)
    return v, meths, level


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
    v, meths, level = check_value_request(dataset, methods=methods, main=main, level=level,
                                          draws=draws)
    amap = atus_activity_map()
    missing = [c for c in amap.groups if c not in survey.persons.columns]
    if missing:
        raise BriefError(
            f"data set {dataset.name!r} has no valuation activity groups (missing columns "
            f"{missing[:3]}...); read the episodes with carecost.valuation."
            "atus_valuation_crosswalk()")
    wt = WageTable.from_mapping(dict(v.wages), currency=v.currency, year=v.year,
                                basis=v.wage_basis,  # type: ignore[arg-type]
                                source=v.wage_source)
    gdp = None if v.gdp is None else GDP(v.gdp, v.currency, v.year, v.gdp_source)
    pop = v.population
    vals: dict[str, Valuation] = {}
    bases: dict[str, str] = {}
    summaries: dict[str, pd.DataFrame] = {}
    group_totals: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
    for m in meths:
        val = value_unpaid_work(survey.design, amap, _method(m, v, wt), year=v.year,
                                currency=v.currency, weights=v.weights, **_basis_kwargs(m, v))
        vals[m] = val
        bases[m] = val.wage_basis
        group_totals[m] = _totals(val, pop, level)
        summaries[m] = _summary(val, group_totals[m], gdp, dataset, level)
    df = float(summaries[main]["df"].iloc[0])
    interval = design_interval(level, df)
    data_src = Source("data", dataset.source, synthetic=dataset.synthetic)
    wage_src = Source("wages", v.wage_source, synthetic=v.synthetic)
    sources = [data_src, wage_src]
    if v.gdp is not None:
        sources.append(Source("gdp", v.gdp_source, synthetic=v.synthetic))
    if pop is not None:
        sources.append(Source("population", v.population_source or "population",
                              synthetic=v.synthetic))
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
        for _, r in s.iterrows():
            stat = str(r["statistic"])
            if stat not in stat_spec:
                continue
            label, unit, scale = stat_spec[stat]
            qq = quantity_from_row(
                r, id=slug("value", m, stat), label=f"{label} ({METHOD_LABELS[m]})",
                unit=unit, source="data", interval=interval, level=level, scale=scale,
                method=f"{_method_text(m, stat, v)}; wages at {bases[m]}")
            quantities.append(qq)
            by_method[m][stat] = qq
    # Monte Carlo for the main method's total: sampling + wage factor
    u = v.wage_uncertainty
    mcs = _monte_carlo(vals[main], pop, u, draws, seed, level, gdp)
    mc_interval = (f"{100 * level:.0f}% Monte Carlo percentile interval ({draws:,} draws, "
                   f"seed {seed}): sampling error of the hours and all wages x a uniform "
                   f"factor in [{1 - u:g}, {1 + u:g}]")
    mc_q = []
    for _, r in mcs.iterrows():
        qty = str(r["measure"])
        scale = 100.0 if qty == "share_of_gdp" else 1.0
        est, lo, hi = (float(r[k]) * scale for k in ("point", "ci_low", "ci_high"))
        flags: tuple[str, ...] = () if lo <= est <= hi else (
            "the survey estimate lies outside its Monte Carlo percentile interval",)
        mc_q.append(Quantity(
            id=slug("value", main, qty, "with_wage_uncertainty"),
            label=f"{stat_spec[qty][0]}, with wage uncertainty ({METHOD_LABELS[main]})",
            estimate=est, se=None, ci_low=lo, ci_high=hi, level=level, interval=mc_interval,
            unit=stat_spec[qty][1], source="data",
            method=_method_text(main, "annual_value" if qty == "annual_value"
                                else "share_of_gdp", v), flags=flags))
    quantities += mc_q
    # by activity group (main method)
    tot, hrs = group_totals[main]
    rates = vals[main].rates.set_index("group")
    group_q = []
    group_rows = []
    for (_, r), (_, h) in zip(tot.iterrows(), hrs.iterrows(), strict=True):
        g = str(r["group"])
        flags = reliability_flags(None, r["se"], r["estimate"]) if g != "total" else ()
        qq = quantity_from_row(
            r, id=slug("value", main, "group", g), label=f"{g} ({METHOD_LABELS[main]})",
            unit=f"{cur} per year", source="data", interval=interval, level=level,
            domain={"activity": g}, method=_method_text(main, "annual_value", v), flags=flags)
        group_q.append(qq)
        wage = rates["wage"].get(g, np.nan) if g != "total" else np.nan
        occ = rates["occupation"].get(g, "") if g != "total" else ""
        occ = str(occ).replace("_", " ") if isinstance(occ, str) else ""
        group_rows.append({"activity": g, "occupation": occ, "wage": _f(wage),
                           "hours": _f(h["estimate"]), "hours_se": _f(h["se"]),
                           "estimate": qq.estimate, "se": qq.se, "ci_low": qq.ci_low,
                           "ci_high": qq.ci_high, "flags": "; ".join(flags)})
    quantities += group_q
    tables = [
        _method_table(meths, by_method, stat_spec, level, interval, bases),
        _activity_table(group_rows, main, level, interval, cur),
        Table("wages", f"Hourly wages used ({cur} {v.year}, gross)",
              (Column("occupation", "Occupation"), Column("wage", "Wage", f"{cur} per hour")),
              tuple({"occupation": k.replace("_", " "), "wage": float(w)}
                    for k, w in v.wages.items()),
              notes=f"Source: {v.wage_source}", source="wages"),
    ]
    charts_out = [_method_chart(meths, by_method, level, gdp is not None, cur),
                  _activity_chart(group_rows, main, level, cur)]
    mq = by_method[main]
    headline = [mq["annual_value"]]
    if "share_of_gdp" in mq:
        headline.append(mq["share_of_gdp"])
    headline += [mq["value_per_capita"], mq["women_share"], *mc_q[:1]]
    if main == "minimum_wage":
        how = "Valued at the hourly minimum wage (the ILO 2018 variant)"
    else:
        how = ("Valued at what it would cost to hire workers to do it "
               f"({METHOD_LABELS[main].lower()})")
    av = mq["annual_value"]
    answer = (
        f"{how}, unpaid household service and care work is worth "
        f"{fmt_number(av.estimate)} {cur} a year ("
        f"{plain_interval(av.ci_low, av.ci_high, level, av.interval, cur)})"
    )
    if "share_of_gdp" in mq:
        answer += f", {fmt_number(mq['share_of_gdp'].estimate)}% of GDP"
    answer += f". Women do {fmt_number(mq['women_share'].estimate, digits=0)}% of it."
    if mc_q:
        m0 = mc_q[0]
        answer += (" Allowing for uncertain wages, the value is "
                   f"{plain_interval(m0.ci_low, m0.ci_high, level, m0.interval, cur)}.")
    if len(meths) > 1:
        lo_m = min(meths, key=lambda m: by_method[m]["annual_value"].estimate or 0.0)
        hi_m = max(meths, key=lambda m: by_method[m]["annual_value"].estimate or 0.0)
        answer += (
            f" Across the {len(meths)} methods the value ranges from "
            f"{fmt_number(by_method[lo_m]['annual_value'].estimate)} {cur} ({_short(lo_m)}) to "
            f"{fmt_number(by_method[hi_m]['annual_value'].estimate)} {cur} ({_short(hi_m)})."
        )
    implied = vals[main].implied_population
    if pop is None:
        scaling = (f"Totals are survey-weighted sums; the weights count {v.weights} and stand "
                   f"for {fmt_number(implied)} persons.")
    else:
        scaling = (f"Totals (annual value, hours, share of GDP) are the survey-weighted value "
                   f"per person times the population the survey stands for, "
                   f"{fmt_number(pop)} persons ({v.population_source or 'population'}); the "
                   f"survey's weights sum to {fmt_number(implied)} persons, so weighted sums "
                   "are not used. The population is taken as known: the standard errors of "
                   "the totals are those of the per-person means times the population.")
    if len(set(bases.values())) == 1:
        basis_text = f"Every method values the hours at the {next(iter(bases.values()))}."
    else:
        basis_text = "Wage basis: " + "; ".join(
            f"{_short(m)} at the {b}" for m, b in bases.items()) + "."
    if any(m != "minimum_wage" for m in meths) and v.employer_rate is not None \
            and (v.valuation_basis or "gross_plus_employer") != v.wage_basis:
        src = v.employer_rate_source or "source not given"
        basis_text += (f" Replacement cost is at the full labour cost (UNECE 2017, section 5.3):"
                       f" the gross wages given are raised by employer social contributions of "
                       f"{100 * v.employer_rate:g}% ({src}).")
    if v.valuation_basis is not None and v.valuation_basis != "gross_plus_employer":
        basis_text += (" By the data set's stated choice, replacement cost is at the "
                       f"{v.valuation_basis.replace('_', ' ')} wage instead of the full labour "
                       "cost, so it is lower than the UNECE (2017) measure.")
    method = (
        "The input method values each hour of unpaid household service and care work at a wage "
        "(UNECE 2017, chapter 5; Eurostat 2003): the generalist replacement cost uses one wage, "
        "that of a general domestic worker; the specialist replacement cost values each "
        "activity at the wage of the market occupation that does it; the hybrid uses the "
        "specialist wage where a market substitute exists and the generalist wage otherwise "
        "(shopping, travel); the ILO (2018) variant uses the hourly minimum wage. "
        + basis_text,
        f"Hours come from the time-use diaries, grouped into {len(amap.groups)} activities of "
        "carecost's valuation crosswalk (ICATUS 2016 divisions 3 and 4), and are annualised "
        f"over {vals[main].days} days. {scaling}",
        f"Each person's daily value is a variable of the survey design, so totals, shares and "
        f"per-person values have design-based standard errors (from "
        f"{design_words(survey.variance)}); intervals: "
        f"{interval}. These treat the wages as fixed.",
        f"A Monte Carlo interval ({draws:,} draws, seed {seed}) adds wage uncertainty: all "
        f"wages are multiplied by a uniform factor between {1 - u:g} and {1 + u:g}, together "
        "with the sampling error of the hours (UNECE 2017, chapter 7). It is a percentile "
        "interval, with no standard error.",
        f"Activity values with a coefficient of variation above {MAX_CV:g} are flagged as "
        "imprecise (marked * in the chart) and are not named in its description.",
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
        caveats.insert(0, "The data, wages, population and GDP are synthetic ('Exampleland'), "
                       "made for illustration; they describe no real country.")
    if "share_of_gdp" in mq and mq["share_of_gdp"].estimate is not None:
        sh = mq["share_of_gdp"].estimate
        worth = f"{fmt_number(sh, digits=0 if sh >= 10 else 1)}% of GDP"
    else:
        worth = f"{fmt_number(av.estimate)} {cur} a year"
    at = ("at the minimum wage" if main == "minimum_wage"
          else f"at {METHOD_LABELS[main].lower().replace(', ', ' (')})")
    return Brief(
        kind="value", title=f"Unpaid care work is worth {worth}, valued {at}",
        question=("What is the money value of unpaid household service and care work, how does "
                  "it depend on the valuation method, and how much of it do women do?"),
        answer=answer, headline=tuple(headline), quantities=tuple(quantities),
        tables=tuple(tables), charts=tuple(charts_out), method=method, caveats=tuple(caveats),
        sources=tuple(sources), dataset={**dataset.describe(), "variance": survey.variance},
        inputs={"dataset": dataset.name, "methods": meths, "main": main, "level": level,
                "draws": draws, "seed": seed,
                "valuation": {"currency": v.currency, "year": v.year, "wages": dict(v.wages),
                              "generalist": v.generalist, "minimum_wage": v.minimum_wage,
                              "gdp": v.gdp, "population": v.population, "weights": v.weights,
                              "wage_uncertainty": v.wage_uncertainty,
                              "wage_basis": v.wage_basis, "employer_rate": v.employer_rate,
                              "valuation_basis": v.valuation_basis}},
    )


_ROW = ["estimate", "se", "ci_low", "ci_high"]


def _totals(val: Valuation, pop: float | None, level: float
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Annual value and hours by activity group (and ``"total"``): the survey-weighted
    totals, or with a population the totals benchmarked to it
    (:func:`carecost.valuation.benchmark_total`)."""
    if pop is None:
        return val.total(groups=True, level=level), val.hours(groups=True, level=level)
    return (benchmark_total(val, pop, level=level),
            benchmark_total(val, pop, of="hours", level=level))


def _summary(val: Valuation, totals: tuple[pd.DataFrame, pd.DataFrame], gdp: GDP | None,
             dataset: DatasetSpec, level: float) -> pd.DataFrame:
    """Headline statistics of one method (rows ``statistic``), totals from :func:`_totals`."""
    base = val.summary(None, sex=dataset.sex, female=dataset.female, male=dataset.male,
                       level=level)
    keep = base[~base["statistic"].isin(["annual_value", "annual_hours"])]
    tv, th = (t[t["group"] == "total"] for t in totals)
    parts = [tv.assign(statistic="annual_value"), th.assign(statistic="annual_hours")]
    if gdp is not None:
        share = tv.copy()
        share[_ROW] = share[_ROW] / gdp.value
        parts.append(share.assign(statistic="share_of_gdp"))
    cols = ["statistic", "group", *_ROW, "df", "n"]
    return pd.concat([p[cols] for p in (*parts, keep)], ignore_index=True)


def _monte_carlo(val: Valuation, pop: float | None, u: float, draws: int, seed: int,
                 level: float, gdp: GDP | None) -> pd.DataFrame:
    """The total rows of :func:`carecost.valuation.monte_carlo` (sampling error of the hours
    and a uniform wage factor, benchmarked to the population when there is one):
    ``measure, point, ci_low, ci_high``."""
    factor = Uniform(1 - u, 1 + u) if u > 0 else None
    mc = monte_carlo(val, wage_factor=factor, draws=draws, seed=seed, level=level, gdp=gdp,
                     population=pop)
    out = mc.summary[mc.summary["group"] == "total"]
    return out[["measure", "point", "ci_low", "ci_high"]].reset_index(drop=True)


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
    pop = v.population
    what = {
        "annual_value": ("survey-weighted total of hours x wage, annualised" if pop is None
                         else "survey-weighted mean of hours x wage per person, annualised, x "
                         f"the population ({pop:,.0f} persons)"),
        "share_of_gdp": "annual value / GDP (GDP without error)",
        "value_per_capita": "survey-weighted mean of the daily value x days in the year",
        "women_share": "women's total value / total value of women and men (delta method)",
        "annual_hours": ("survey-weighted total of hours, annualised" if pop is None
                         else "survey-weighted mean of hours per person, annualised, x the "
                         f"population ({pop:,.0f} persons)"),
        "average_wage": "total value / total hours (ratio estimator)",
    }[stat]
    return f"{METHOD_LABELS[m]}: {base}; {what}"


def _method_table(meths: list[str], by_method: dict[str, dict[str, Quantity]],
                  stat_spec: dict[str, tuple[str, str, float]], level: float,
                  interval: str, bases: dict[str, str]) -> Table:
    cols = (Column("method", "Method"), Column("wage_basis", "Wage basis"),
            Column("label", "Statistic"),
            Column("estimate", "Estimate"), Column("se", "Standard error"),
            Column("ci_low", f"{100 * level:.0f}% CI low"),
            Column("ci_high", f"{100 * level:.0f}% CI high"), Column("unit", "Unit"))
    rows = []
    for m in meths:
        for stat in stat_spec:
            q = by_method[m].get(stat)
            if q is None:
                continue
            rows.append({"method": METHOD_LABELS[m], "wage_basis": bases[m],
                         "label": stat_spec[stat][0],
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
    series = {"Value": ([_nan(q.estimate) for q in qs], [_nan(q.ci_low) for q in qs],
                        [_nan(q.ci_high) for q in qs])}
    parts = "; ".join(f"{c}: {fmt_number(q.estimate)}" for c, q in zip(cats, qs, strict=True))
    alt = (f"Bar chart of the annual value of unpaid household and care work, in {unit}, by "
           f"valuation method, with {100 * level:.0f}% confidence intervals. {parts}.")
    title = "Value of unpaid work by valuation method"
    svg = charts.bars_with_intervals("chart-value-methods", title, alt, cats, series, unit=unit)
    return Chart("value_by_method", title, alt, "value_by_method", svg)


def _short(m: str) -> str:
    """A method's label inside parentheses: "replacement cost, hybrid", "minimum wage, ILO 2018"."""
    return "minimum wage, ILO 2018" if m == "minimum_wage" else METHOD_LABELS[m].lower()


def _nan(x: float | None) -> float:
    return float("nan") if x is None else float(x)


def _activity_table(rows: list[dict[str, Any]], main: str, level: float, interval: str,
                    cur: str) -> Table:
    cols = [Column("activity", "Activity"), Column("occupation", "Market occupation"),
            Column("wage", "Wage", f"{cur} per hour"),
            Column("hours", "Hours", "hours per year"),
            Column("hours_se", "Hours SE", "hours per year"),
            Column("estimate", "Value", f"{cur} per year"),
            Column("se", "Value SE", f"{cur} per year"),
            Column("ci_low", f"{100 * level:.0f}% CI low", f"{cur} per year"),
            Column("ci_high", f"{100 * level:.0f}% CI high", f"{cur} per year")]
    notes = f"Intervals: {interval}. Wages taken as fixed."
    flagged = any(r["flags"] for r in rows)
    if flagged:
        cols.append(Column("flags", "Note"))
        notes += f" Values with a coefficient of variation above {MAX_CV:g} are flagged."
    out = rows if flagged else [{k: v for k, v in r.items() if k != "flags"} for r in rows]
    return Table("value_by_activity", f"Annual value by activity ({METHOD_LABELS[main]})",
                 tuple(cols), tuple(out), notes=notes, source="data")


def _activity_chart(rows: list[dict[str, Any]], main: str, level: float, cur: str) -> Chart:
    rs = [r for r in rows if r["activity"] != "total"]
    rs.sort(key=lambda r: -(r["estimate"] or 0.0))
    cats = [f"{r['activity']} *" if r["flags"] else r["activity"] for r in rs]
    scale = 1e9 if max((r["estimate"] or 0.0) for r in rs) >= 1e9 else 1e6
    word = "billion" if scale == 1e9 else "million"
    series = {"Value": ([_nan(r["estimate"]) / scale for r in rs],
                        [_nan(r["ci_low"]) / scale for r in rs],
                        [_nan(r["ci_high"]) / scale for r in rs])}
    top = [r for r in rs if not r["flags"]][:3]
    alt = (f"Horizontal bar chart of the annual value of each unpaid activity "
           f"({METHOD_LABELS[main].lower()}), in {cur} {word} per year, with "
           f"{100 * level:.0f}% confidence intervals. The largest are "
           + ", ".join(f"{r['activity']} ({fmt_number(r['estimate'])} {cur})" for r in top)
           + ".")
    bad = [r["activity"] for r in rs if r["flags"]]
    if bad:
        alt += (f" Activities marked * ({', '.join(bad)}) are imprecise (coefficient of "
                f"variation above {MAX_CV:g}).")
    title = "Value of unpaid work by activity"
    svg = charts.bars_with_intervals("chart-value-activities", title, alt, cats, series,
                                     unit=f"{cur} {word} per year")
    return Chart("value_by_activity", title, alt, "value_by_activity", svg)
