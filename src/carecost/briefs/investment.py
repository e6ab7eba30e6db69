"""The investment brief: costs, jobs and fiscal returns of extending care services."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from carecost.investment import (
    ParameterRange,
    Scenario,
    SimulationResult,
    compare_sectors,
    default_ranges,
    monte_carlo,
    simulate,
)

from . import charts
from ._common import carecost_source, check_draws, check_level, slug
from ._format import fmt_number, plain_interval
from .model import Brief, BriefError, Chart, Column, Quantity, Source, Table

__all__ = ["InvestmentAnalysis", "default_ranges", "investment_analysis", "investment_brief"]

UNWOMEN_ILO = Source(
    "unwomen_ilo2021",
    "UN Women and ILO (2021). A Guide to Public Investments in the Care Economy: Policy Support "
    "Tool for Estimating Care Deficits, Investment Costs and Economic Returns. New York/Geneva.",
)
DE_HENAU = Source(
    "dehenau2022",
    "De Henau, J. (2022). Costs and benefits of investing in transformative care policy "
    "packages: A macrosimulation study in 82 countries. ILO Working Paper 55. "
    "doi:10.54394/AKYJ8893.",
    "https://doi.org/10.54394/AKYJ8893",
)
MILLER_BLAIR = Source(
    "millerblair2009",
    "Miller, R. E. and Blair, P. D. (2009). Input-Output Analysis: Foundations and Extensions, "
    "2nd ed. Cambridge University Press.",
)

MEASURES: dict[str, tuple[str, str]] = {
    # measure: (label, unit; "{cur}" is replaced by the currency)
    "gross_cost": ("Additional annual cost", "{cur} per year"),
    "gross_cost_pct_gdp": ("Additional annual cost", "% of GDP"),
    "newly_covered": ("Persons newly covered", "persons"),
    "jobs_total": ("Jobs created", "jobs"),
    "jobs_direct": ("Direct jobs (care and other staff)", "jobs"),
    "jobs_indirect": ("Indirect jobs (supply chains)", "jobs"),
    "jobs_induced": ("Induced jobs (household spending)", "jobs"),
    "women_share_of_jobs": ("Women's share of the jobs", "% of jobs"),
    "fiscal_returns": ("Fiscal returns (taxes, contributions, benefit savings)",
                       "{cur} per year"),
    "net_funding": ("Net funding requirement", "{cur} per year"),
    "net_funding_pct_gdp": ("Net funding requirement", "% of GDP"),
    "net_funding_pct_gross": ("Net funding requirement", "% of gross cost"),
    "women_emp_rate_change_pp": ("Change in women's employment rate", "percentage points"),
    "gender_gap_change_pp": ("Change in the gender employment gap (men minus women)",
                             "percentage points"),
}
#: Shown only when the scenario uses them (a non-zero value in some year).
OPTIONAL_MEASURES: dict[str, tuple[str, str]] = {
    "capital_cost": ("Capital cost of new places (in the additional cost)", "{cur} per year"),
    "jobs_capital": ("Jobs building and equipping new places", "jobs"),
    "replaced_spending": ("Current spending replaced by the new provision", "{cur} per year"),
    "parents_employed": ("Parents taking up paid work", "persons"),
    "tax_parents_labour": ("Taxes and contributions on parents' new earnings",
                           "{cur} per year"),
    "leave_cost": ("Additional cost of childcare-related leave", "{cur} per year"),
    "leave_cost_pct_gdp": ("Additional cost of childcare-related leave", "% of GDP"),
    "breastfeeding_cost": ("Additional cost of paid breastfeeding breaks", "{cur} per year"),
    "breastfeeding_cost_pct_gdp": ("Additional cost of paid breastfeeding breaks", "% of GDP"),
    "package_cost_pct_gdp": ("Cost of the whole package (services, leave, breaks)",
                             "% of GDP"),
    "package_net_funding_pct_gdp": ("Net funding requirement of the whole package",
                                    "% of GDP"),
}
#: Package measures are shown only with leave or breastfeeding breaks.
_PACKAGE = ("package_cost_pct_gdp", "package_net_funding_pct_gdp")
HEADLINE = ("gross_cost_pct_gdp", "jobs_total", "women_share_of_jobs", "net_funding_pct_gdp",
            "gender_gap_change_pp")
_PERCENT_OF_ONE = {"women_share_of_jobs"}


def _pct(part: float, whole: float) -> str:
    return f"{fmt_number(100 * part / whole if whole else 0.0, digits=0)}%"


def _fl(x: Any) -> float:
    """``float(x)`` for a pandas scalar (typed loosely for pandas-stubs)."""
    return float(x)


@dataclass(frozen=True)
class InvestmentAnalysis:
    """An investment brief with the simulation and Monte Carlo it was made from.

    Attributes
    ----------
    brief
        The brief.
    result
        The central simulation (:func:`carecost.investment.simulate`).
    monte_carlo
        The Monte Carlo summary by measure and year (:func:`carecost.investment.monte_carlo`;
        the brief's intervals come from it).
    ranges
        The uncertain parameters drawn.
    """

    brief: Brief
    result: SimulationResult
    monte_carlo: pd.DataFrame
    ranges: tuple[ParameterRange, ...]


def investment_brief(
    scenario: Scenario, *, ranges: Sequence[ParameterRange] | None = None, draws: int = 2000,
    seed: int = 0, level: float = 0.90, year: int | None = None,
    result: SimulationResult | None = None, scenario_source: str = "",
    synthetic: bool | None = None,
) -> Brief:
    """The care-investment brief: cost, jobs, fiscal returns and net funding.

    Same as ``investment_analysis(...).brief`` (see :func:`investment_analysis`, which
    also returns the simulation and the Monte Carlo table).
    """
    return investment_analysis(
        scenario, ranges=ranges, draws=draws, seed=seed, level=level, year=year, result=result,
        scenario_source=scenario_source, synthetic=synthetic).brief


def investment_analysis(
    scenario: Scenario, *, ranges: Sequence[ParameterRange] | None = None, draws: int = 2000,
    seed: int = 0, level: float = 0.90, year: int | None = None,
    result: SimulationResult | None = None, scenario_source: str = "",
    synthetic: bool | None = None, all_measures: bool = False,
) -> InvestmentAnalysis:
    """The care-investment brief (cost, jobs, fiscal returns, net funding) and its inputs.

    Parameters
    ----------
    scenario
        A validated scenario (:func:`carecost.investment.load_scenario`,
        :func:`~carecost.investment.example_scenario`).
    ranges
        Uncertain parameters for the Monte Carlo intervals (default
        :func:`default_ranges`).
    draws, seed, level
        Monte Carlo draws (2 to 100,000), seed and interval coverage.
    year
        Year of the headline numbers (default: the target year).
    result
        A simulation of ``scenario`` already run (else it is run here).
    scenario_source
        Citation of the scenario (default: its name and country).
    synthetic
        Whether the country data are invented (default: the example country is).
    all_measures
        Summarise every measure of the Monte Carlo (for writing the table out), not only
        the brief's; the draws, and so the brief's intervals, are the same either way.

    Returns
    -------
    InvestmentAnalysis
        The brief, in which every number is the central scenario value with
        the raw Monte Carlo percentile interval over the uncertain parameters
        (``se`` is None: the interval is what the method gives; a central
        value outside its interval is flagged), the simulation and the Monte
        Carlo summary of all measures.
    """
    draws = check_draws(draws)
    level = check_level(level)
    yr = scenario.target_year if year is None else int(year)
    if yr not in set(int(y) for y in scenario.years):
        raise BriefError(f"year = {year!r}; allowed {scenario.base_year}-{scenario.end_year}")
    res = result if result is not None else simulate(scenario)
    used = {m: v for m, v in OPTIONAL_MEASURES.items()
            if m not in _PACKAGE and (res.summary[m] != 0).any()}
    transfers = any(m in used for m in ("leave_cost", "breastfeeding_cost"))
    if transfers:
        used.update({m: OPTIONAL_MEASURES[m] for m in _PACKAGE})
    measures = {**MEASURES, **used}
    rng = list(ranges) if ranges is not None else default_ranges(scenario)
    mc = monte_carlo(scenario, rng, draws=draws, seed=seed, level=level, model=res.model,
                     measures=None if all_measures else list(measures))
    cur = scenario.currency
    is_synth = scenario.uses_example_data if synthetic is None else synthetic
    src_rows = scenario.sources()
    example_inputs = [str(i) for i in src_rows.loc[src_rows["example"].astype(bool), "input"]]
    origins = src_rows["origin"].value_counts().to_dict()
    scn_src = Source("scenario", scenario_source or (
        f"Scenario '{scenario.name}' for {scenario.provenance.get('label') or scenario.country}"
        f": {origins.get('scenario', 0)} inputs set in the scenario, "
        f"{origins.get('country dataset', 0)} from the country data, "
        + (f"{origins['preset']} from the policy preset, " if origins.get("preset") else "")
        + f"{origins.get('default', 0)} documented defaults (listed input by input in the "
        "inputs table)"), synthetic=is_synth)
    sources = (scn_src, UNWOMEN_ILO, DE_HENAU, MILLER_BLAIR, carecost_source())
    interval = (f"{100 * level:.0f}% Monte Carlo percentile interval ({draws:,} draws, seed "
                f"{seed}) over {len(rng)} uncertain parameters; the estimate is the central "
                "scenario value")
    summ = res.summary.set_index("year")
    mci = mc.set_index(["measure", "year"])

    def quantity(measure: str, y: int) -> Quantity:
        label, unit = measures[measure]
        scale = 100.0 if measure in _PERCENT_OF_ONE else 1.0
        est = _fl(summ.at[y, measure]) * scale
        lo = _fl(mci.at[(measure, y), "ci_low"]) * scale
        hi = _fl(mci.at[(measure, y), "ci_high"]) * scale
        flags = _outside_flag(est, lo, hi)
        return Quantity(
            id=slug("investment", measure, y), label=f"{label}, {y}", estimate=est, se=None,
            ci_low=lo if np.isfinite(lo) else None, ci_high=hi if np.isfinite(hi) else None,
            level=level, interval=interval, unit=unit.format(cur=cur), source="scenario",
            method=_METHOD_TEXT.get(measure, "Scenario simulation"),
            domain={"year": y}, flags=flags)

    quantities = [quantity(m, yr) for m in measures]
    qmap = {q.id: q for q in quantities}
    path_years = [int(y) for y in scenario.years if int(y) != yr]
    for y in path_years:
        for m in ("gross_cost", "gross_cost_pct_gdp", "jobs_total", "net_funding_pct_gdp"):
            quantities.append(quantity(m, y))
    headline = tuple(qmap[slug("investment", m, yr)] for m in HEADLINE)
    comp = compare_sectors(res, year=yr) if scenario.comparison_sector else None
    tables, charts_out = _tables_and_charts(scenario, res, mc, yr, level, interval, cur, comp)
    head_q = [qmap[slug("investment", m, yr)] for m in measures]
    outside = [q for q in quantities if q.flags]
    cols = [Column("label", "Measure"), Column("estimate", "Central value"),
            Column("ci_low", f"{100 * level:.0f}% interval low"),
            Column("ci_high", f"{100 * level:.0f}% interval high"), Column("unit", "Unit")]
    rows: list[dict[str, Any]] = [
        {"label": measures[m][0], "estimate": q.estimate, "ci_low": q.ci_low,
         "ci_high": q.ci_high, "unit": q.unit} for m, q in zip(measures, head_q, strict=True)]
    if any(q.flags for q in head_q):
        cols.append(Column("flags", "Note"))
        for r, q in zip(rows, head_q, strict=True):
            r["flags"] = "; ".join(q.flags)
    tables.insert(0, Table("investment_headline", f"Headline results, {yr}", tuple(cols),
                           tuple(rows), notes=f"Intervals: {interval}.", source="scenario"))
    tables.append(Table(
        "inputs", "Where the inputs come from",
        (Column("input", "Input"), Column("value", "Value"), Column("unit", "Unit"),
         Column("origin", "From"), Column("source", "Source"), Column("year", "Year"),
         Column("flag", "How obtained")),
        tuple({"input": _input_label(str(r["input"])), "value": _plain_value(r["value"]),
               "unit": str(r["unit"]),
               "origin": {"scenario": "the scenario", "country dataset": "country data",
                          "default": "default", "preset": "policy preset"}.get(
                              str(r["origin"]), str(r["origin"]))
               + (" (synthetic example)" if bool(r["example"]) else ""),
               "source": str(r["source"]) if r["origin"] != "scenario" else "",
               "year": "" if pd.isna(r.get("year")) else str(int(r["year"])),
               "flag": "" if pd.isna(r.get("flag")) else str(r["flag"])}
              for _, r in src_rows.iterrows()
              if r["origin"] != "scenario"),
        notes=("Inputs not set in the scenario: taken from the country data or the "
               "documented defaults. Inputs set in the scenario are as written there."),
        source="scenario"))
    tables.append(Table(
        "uncertain_parameters", "Uncertain parameters of the Monte Carlo intervals",
        (Column("parameter", "Parameter"), Column("distribution", "Distribution"),
         Column("low", "Low"), Column("mode", "Mode"), Column("high", "High")),
        tuple({"parameter": _input_label(r.path), "distribution": r.dist, "low": r.low,
               "mode": _mode(r, scenario), "high": r.high} for r in rng),
        notes=("Parameters are drawn independently. The mode of a triangular distribution "
               "is the scenario value unless given."), source="scenario"))
    uses = {m: m in used for m in OPTIONAL_MEASURES}
    g = qmap[slug("investment", "gross_cost", yr)]
    gp = qmap[slug("investment", "gross_cost_pct_gdp", yr)]
    jobs = qmap[slug("investment", "jobs_total", yr)]
    ws = qmap[slug("investment", "women_share_of_jobs", yr)]
    nf = qmap[slug("investment", "net_funding_pct_gross", yr)]
    nfg = qmap[slug("investment", "net_funding_pct_gdp", yr)]
    answer = (
        f"Reaching the coverage targets by {scenario.target_year} costs "
        f"{fmt_number(g.estimate)} {cur} a year more in {yr}, {fmt_number(gp.estimate)}% of GDP "
        f"({plain_interval(gp.ci_low, gp.ci_high, level, interval, '% of GDP')}). It creates "
        f"{fmt_number(jobs.estimate, digits=0)} jobs ("
        f"{plain_interval(jobs.ci_low, jobs.ci_high, level, interval, digits=0)})"
        + (f", {fmt_number(ws.estimate, digits=0)}% of them for women"
           if ws.estimate is not None and math.isfinite(ws.estimate)
           else "; how many of them go to women is not known (the input–output table has no "
           "women's share of jobs by industry)")
        + ". Taxes, contributions and benefit savings"
        + (" and the current spending it replaces" if uses["replaced_spending"] else "")
        + (" more than pay for it" if (nf.estimate or 0.0) < 0 else " pay back part of the cost")
        + f", leaving a net funding requirement of {fmt_number(nf.estimate, digits=0)}% of "
        f"the gross cost ({fmt_number(nfg.estimate)}% of GDP)."
    )
    if transfers:
        parts = [f"{what} add {fmt_number(qmap[slug('investment', m, yr)].estimate)}% of GDP"
                 for m, what in (("leave_cost_pct_gdp", "Childcare-related leave entitlements"),
                                 ("breastfeeding_cost_pct_gdp", "Paid breastfeeding breaks"))
                 if m in used]
        pk = qmap[slug("investment", "package_cost_pct_gdp", yr)]
        pn = qmap[slug("investment", "package_net_funding_pct_gdp", yr)]
        text = "; ".join(parts).replace("; Paid", "; paid")
        answer += (" " + text + " (transfers to parents: no jobs or fiscal returns "
                   f"are counted for them), so the whole package costs "
                   f"{fmt_number(pk.estimate)}% of GDP, {fmt_number(pn.estimate)}% net of the "
                   "services' fiscal returns.")
    if comp is not None:
        c = comp.set_index("case")
        care = float(c["jobs_per_million"].iloc[0])
        other = float(c["jobs_per_million"].iloc[-1])
        code = str(comp["sector"].iloc[-1])
        try:
            sector = res.model.names[res.model.index_of(code)].lower()
        except Exception:  # a model without sector names: use the code
            sector = code
        answer += (f" Per million {cur} spent, the care package creates {fmt_number(care)} jobs "
                   f"against {fmt_number(other)} in {sector}.")
    method = (
        "Coverage gaps come from the population by single year of age, the need rate and the "
        "current and target coverage, phased in to the target year; costs from staff ratios, "
        "opening and contract hours, wages (raised to the decent-wage floor), employer "
        "contributions and non-staff costs (UN Women and ILO 2021, steps 1-2; De Henau 2022)"
        + ("; new places also carry a one-off capital cost, spent in the capital sector"
           if uses["capital_cost"] else "") + ".",
        "Direct jobs are the care and other staff needed; indirect jobs follow the non-staff "
        "spending through the input-output table's Leontief inverse, and induced jobs the "
        f"spending of the new earnings ({scenario.induced.replace('_', ' ')}; Miller and Blair "
        "2009). Fiscal returns are income taxes and social contributions on the new earnings, "
        "indirect taxes on the induced consumption and unemployment-benefit savings"
        + ("; parents who take up paid work (a stated labour-supply effect) pay taxes on their "
           "earnings and count in the employment rates" if uses["parents_employed"] else "")
        + "; the net funding requirement is the gross cost minus these returns"
        + (" and minus the current spending that the new provision replaces"
           if uses["replaced_spending"] else "") + ".",
        f"All money is in constant {scenario.base_year} {cur}. Each number is the central "
        f"scenario value; its interval is the {100 * level:.0f}% Monte Carlo percentile "
        f"interval from {draws:,} joint draws (seed {seed}) of the uncertain parameters listed "
        "in the last table, evaluated in one vectorised pass.",
    )
    caveats = [
        "The intervals cover only the parameters listed as uncertain; the input-output "
        "structure, population projection and phase-in path are taken as given.",
        *([f"For {len(outside)} number(s) ({', '.join(q.label for q in outside[:4])}"
           f"{', ...' if len(outside) > 4 else ''}) the central scenario value lies outside "
           "its Monte Carlo percentile interval: the model responds asymmetrically to the "
           "uncertain parameters (e.g. a triangular range whose mode is at one end). They "
           "are flagged; the interval is shown as computed."] if outside else []),
        "Input-output multipliers assume fixed technical coefficients and no supply "
        "constraints; induced effects depend on the propensity to consume.",
    ]
    caveats[:0] = [f"Data: {w}." if not w.endswith(".") else f"Data: {w}"
                   for w in scenario.data_warnings]
    if is_synth:
        n_ex, n_all = len(example_inputs), len(src_rows)
        country_rows = src_rows[(src_rows["origin"] == "country dataset")
                                | src_rows["input"].isin(["population", "io"])]
        if len(country_rows) and bool(country_rows["example"].astype(bool).all()) \
                and not scenario.data_warnings:
            text = ("The country data (population, GDP, wages, input-output table) are "
                    "synthetic ('Exampleland'), made for illustration; they describe no "
                    "real country.")
        else:
            shown = ", ".join(_input_label(i) for i in example_inputs[:8])
            more = f" and {n_ex - 8} more" if n_ex > 8 else ""
            text = (f"{n_ex} of the {n_all} inputs come from the synthetic example country "
                    f"('Exampleland'), made for illustration: {shown}{more}. Numbers that "
                    "depend on them describe no real country.")
        caveats.insert(0, text)
    brief = Brief(
        kind="investment",
        title=(f"Extending care services by {scenario.target_year} costs "
               f"{fmt_number(gp.estimate)}% of GDP in {yr} and creates "
               f"{fmt_number(jobs.estimate, digits=0)} jobs"),
        question=(f"{scenario.name}: what would it cost to extend care services to the "
                  f"targets by {scenario.target_year}, how many jobs would it create, and how "
                  "much of the cost would come back as fiscal returns?"),
        answer=answer, headline=headline, quantities=tuple(quantities), tables=tuple(tables),
        charts=tuple(charts_out), method=method, caveats=tuple(caveats), sources=sources,
        dataset={"name": scenario.country, "description": str(scenario.provenance.get("label"))
                 or scenario.country, "scenario": scenario.name},
        inputs={"scenario": _scenario_key(scenario), "draws": draws, "seed": seed,
                "level": level, "year": yr,
                "ranges": [{"path": r.path, "low": r.low, "high": r.high, "mode": r.mode,
                            "dist": r.dist} for r in rng]},
    )
    return InvestmentAnalysis(brief, res, mc, tuple(rng))


_INPUT_LABELS = {
    "persons_per_staff": "Persons per care staff member",
    "non_staff_cost_share": "Non-staff share of the cost",
    "propensity_to_consume": "Propensity to consume",
    "income_tax_rate": "Income tax rate",
    "real_wage_growth": "Real wage growth",
    "gdp": "GDP",
    "io": "Input-output table",
}


def _input_label(path: str) -> str:
    """A scenario input's dotted key in words: ``services.cc.persons_per_staff`` ->
    ``"Persons per care staff member (cc)"``, ``fiscal.income_tax_rate`` -> ``"Income tax
    rate"``."""
    parts = path.split(".")
    key = parts[-1]
    label = _INPUT_LABELS.get(key, key.replace("_", " ").capitalize())
    if parts[0] == "services" and len(parts) >= 3:
        label += f" ({parts[1]})"
    return label


def _plain_value(v: Any) -> Any:
    """A table cell for an input value: numbers as they are, anything else as text."""
    if isinstance(v, bool) or v is None:
        return "" if v is None else ("yes" if v else "no")
    if isinstance(v, int | float):
        return v
    if isinstance(v, np.generic):
        return v.item()
    return str(v)


def _outside_flag(est: float, lo: float, hi: float) -> tuple[str, ...]:
    """A flag when the central value lies outside its Monte Carlo interval."""
    if np.isfinite(lo) and np.isfinite(hi) and not lo <= est <= hi:
        tol = 1e-9 * max(abs(est), abs(lo), abs(hi), 1e-300)
        if est < lo - tol or est > hi + tol:
            return ("the central scenario value lies outside its Monte Carlo percentile "
                    "interval",)
    return ()


def _mode(r: ParameterRange, scenario: Scenario) -> float | None:
    """The mode of a triangular range (the scenario value when not given); None for uniform."""
    if r.dist != "triangular":
        return None
    return r.mode if r.mode is not None else r.validate(scenario)


_METHOD_TEXT = {
    "gross_cost": "Recurrent cost of the newly covered places plus the pay rise of existing "
                  "staff to the wage floor plus the capital cost of new places (constant "
                  "base-year prices)",
    "gross_cost_pct_gdp": "Additional cost over GDP of the year (GDP grown at the scenario "
                          "rate)",
    "newly_covered": "(coverage of the year - current coverage) x persons in need",
    "jobs_total": "Direct + indirect + induced jobs (+ jobs building new places)",
    "jobs_direct": "Care staff FTE (newly covered / staff ratio x service hours x weeks / "
                   "(staff hours x weeks)) plus other staff",
    "jobs_indirect": "Employment coefficients x Leontief inverse x non-staff spending",
    "jobs_induced": "Jobs from the household spending of the new disposable earnings "
                    "(Type II input-output)",
    "women_share_of_jobs": "Women's jobs / all jobs (service and sector women's shares)",
    "fiscal_returns": "Taxes and contributions on new earnings (incl. parents' new earnings) + "
                      "indirect taxes on induced consumption + unemployment-benefit savings",
    "net_funding": "Gross cost - fiscal returns - current spending replaced",
    "net_funding_pct_gdp": "(Gross cost - fiscal returns - spending replaced) / GDP",
    "net_funding_pct_gross": "(Gross cost - fiscal returns - spending replaced) / gross cost",
    "women_emp_rate_change_pp": "(Women's new jobs x share from non-employment + mothers "
                                "taking up paid work) / working-age women (base-year "
                                "population)",
    "capital_cost": "One-off cost per new place x places built (running maximum of newly "
                    "covered persons)",
    "jobs_capital": "Employment coefficients x Leontief inverse x capital spending in the "
                    "capital sector",
    "replaced_spending": "Current spending that the new provision replaces x phase-in",
    "parents_employed": "Newly covered persons x parents taking up paid work per person "
                        "(external estimate)",
    "tax_parents_labour": "(Income tax + contributions) on the parents' new earnings",
    "leave_cost": "Sum over the [[leave]] entitlements of births x employment rate x "
                  "take-up x (target coverage x benefit at the target weeks, replacement "
                  "rate and ceiling - current coverage x current benefit) x phase-in",
    "leave_cost_pct_gdp": "Additional leave cost / GDP",
    "breastfeeding_cost": "Births x mothers' employment rate x take-up x (target coverage x "
                          "paid break time at the target minutes and months - current "
                          "coverage x current break time) x mothers' hourly earnings x "
                          "phase-in",
    "breastfeeding_cost_pct_gdp": "Additional breastfeeding-break cost / GDP",
    "package_cost_pct_gdp": "(Services' gross cost + leave cost + breastfeeding cost) / GDP",
    "package_net_funding_pct_gdp": "(Services' net funding + leave cost + breastfeeding "
                                   "cost) / GDP",
    "gender_gap_change_pp": "Change in men's minus women's employment rate",
}


def _plain(v: Any) -> Any:
    """JSON-ready copy of a scenario value (tuples, mappings, frozen dataclasses)."""
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return {k: _plain(x) for k, x in vars(v).items()}
    if isinstance(v, Mapping):
        return {k: _plain(x) for k, x in v.items()}
    return v


def _scenario_key(s: Scenario) -> dict[str, Any]:
    """The scenario's defining values (for the brief's id and its reproduction)."""
    return {
        "name": s.name, "country": s.country, "base_year": s.base_year,
        "target_year": s.target_year, "end_year": s.end_year, "phase_in": list(s.phase_in),
        "induced": s.induced, "comparison_sector": s.comparison_sector,
        "services": [{k: _plain(v) for k, v in vars(x).items()} for x in s.services],
        "macro": vars(s.macro), "fiscal": vars(s.fiscal),
    }


def _tables_and_charts(
    scn: Scenario, res: SimulationResult, mc: pd.DataFrame, yr: int, level: float,
    interval: str, cur: str, comp: pd.DataFrame | None,
) -> tuple[list[Table], list[Chart]]:
    s = res.summary
    years = [int(y) for y in s["year"]]
    lv = f"{100 * level:.0f}%"
    mci = mc.set_index(["measure", "year"])

    def iv(measure: str, y: int) -> tuple[float, float]:
        return _fl(mci.at[(measure, y), "ci_low"]), _fl(mci.at[(measure, y), "ci_high"])

    tables: list[Table] = []
    charts_out: list[Chart] = []
    # cost path
    replaces = bool((s["replaced_spending"] != 0).any())
    rows = []
    for _, r in s.iterrows():
        y = int(r["year"])
        lo, hi = iv("gross_cost_pct_gdp", y)
        rows.append({"year": y, "current": 100 * r["current_spending"] / r["gdp"],
                     "replaced": 100 * r["replaced_spending"] / r["gdp"],
                     "additional": r["gross_cost_pct_gdp"], "additional_low": lo,
                     "additional_high": hi, "total": r["total_spending_pct_gdp"],
                     "additional_cur": r["gross_cost"]})
    cols = [Column("year", "Year"), Column("current", "Current spending", "% of GDP"),
            Column("replaced", "Current spending replaced", "% of GDP"),
            Column("additional", "Additional cost", "% of GDP"),
            Column("additional_low", f"Additional, {lv} low", "% of GDP"),
            Column("additional_high", f"Additional, {lv} high", "% of GDP"),
            Column("total", "Total spending", "% of GDP"),
            Column("additional_cur", "Additional cost", f"{cur} per year")]
    if not replaces:
        cols = [c for c in cols if c.name != "replaced"]
        for row in rows:
            del row["replaced"]
    tables.append(Table(
        "cost_path", "Public spending on the services by year", tuple(cols),
        tuple(rows), notes=f"Intervals: {interval}. Total = current - replaced + additional."
        if replaces else f"Intervals: {interval}.", source="scenario"))
    # the stack: current spending that continues, plus the additional cost (= total)
    cur_pct = [r["current"] - r.get("replaced", 0.0) for r in rows]
    add = [r["additional"] for r in rows]
    tot = [c + a for c, a in zip(cur_pct, add, strict=True)]
    alt = (f"Stacked bar chart of public spending on the care services as % of GDP, "
           f"{years[0]} to {years[-1]}: current spending"
           f"{' not replaced by the new provision' if replaces else ''} "
           f"({fmt_number(cur_pct[0])}% in {years[0]}) plus the additional cost, which rises "
           f"to {fmt_number(add[-1])}% of GDP by {years[-1]}; whiskers show the {lv} Monte "
           "Carlo interval of the additional cost, on top of the central current spending.")
    svg = charts.stacked_bars(
        "chart-cost-path", "Spending on care services", alt, years,
        {("Current spending not replaced" if replaces else "Current spending"): cur_pct,
         "Additional cost": add}, unit="% of GDP",
        totals=(tot, [c + r["additional_low"] for c, r in zip(cur_pct, rows, strict=True)],
                [c + r["additional_high"] for c, r in zip(cur_pct, rows, strict=True)]))
    charts_out.append(Chart("cost_path", "Spending on care services", alt, "cost_path", svg))
    # jobs by type and sex
    j = res.jobs[res.jobs["year"] == yr]
    wide = j.pivot_table(index="type", columns="sex", values="jobs", aggfunc="sum")
    order = [t for t in ("direct_care", "direct_other", "indirect", "capital", "induced")
             if t in wide.index and (t != "capital" or _fl(wide.loc[t].sum()) != 0.0)]
    names = {"direct_care": "Direct: care staff", "direct_other": "Direct: other staff",
             "indirect": "Indirect (supply chains)", "capital": "Building new places",
             "induced": "Induced (spending)"}
    jrows: list[dict[str, Any]] = [{"type": names[t], "women": _fl(wide.at[t, "women"]),
              "men": _fl(wide.at[t, "men"]),
              "total": _fl(wide.at[t, "women"]) + _fl(wide.at[t, "men"])} for t in order]
    tables.append(Table(
        "jobs", f"Jobs created by type and sex, {yr}",
        (Column("type", "Type"), Column("women", "Women", "jobs"), Column("men", "Men", "jobs"),
         Column("total", "Total", "jobs")), tuple(jrows),
        notes=("Central scenario values; see the headline table for the interval of the "
               "total."), source="scenario"))
    alt = (f"Stacked bar chart of jobs created in {yr} by type, split into women and men. "
           + "; ".join(f"{r['type']}: {fmt_number(r['total'])} ({_pct(r['women'], r['total'])}"
                       " women)" for r in jrows) + ".")
    svg = charts.stacked_bars(
        "chart-jobs", f"Jobs created, {yr}", alt, [r["type"] for r in jrows],
        {"Women": [r["women"] for r in jrows], "Men": [r["men"] for r in jrows]},
        unit="jobs", horizontal=True)
    charts_out.append(Chart("jobs", f"Jobs created, {yr}", alt, "jobs", svg))
    # gross cost, returns, net funding (% of GDP) with bands
    ret = (100 * s["fiscal_returns"] / s["gdp"]).to_numpy()
    glo = [iv("gross_cost_pct_gdp", y)[0] for y in years]
    ghi = [iv("gross_cost_pct_gdp", y)[1] for y in years]
    nlo = [iv("net_funding_pct_gdp", y)[0] for y in years]
    nhi = [iv("net_funding_pct_gdp", y)[1] for y in years]
    repl = (100 * s["replaced_spending"] / s["gdp"]).to_numpy()
    frows = [{"year": y, "gross": float(g), "returns": float(rt), "replaced": float(rp),
              "net": float(n), "net_low": nl, "net_high": nh}
             for y, g, rt, rp, n, nl, nh in zip(years, s["gross_cost_pct_gdp"], ret, repl,
                                                 s["net_funding_pct_gdp"], nlo, nhi,
                                                 strict=True)]
    fcols = [Column("year", "Year"), Column("gross", "Gross additional cost", "% of GDP"),
             Column("returns", "Fiscal returns", "% of GDP"),
             Column("replaced", "Current spending replaced", "% of GDP"),
             Column("net", "Net funding requirement", "% of GDP"),
             Column("net_low", f"Net, {lv} low", "% of GDP"),
             Column("net_high", f"Net, {lv} high", "% of GDP")]
    if not replaces:
        fcols = [c for c in fcols if c.name != "replaced"]
        for fr in frows:
            del fr["replaced"]
    tables.append(Table(
        "net_funding", "Gross cost, fiscal returns and net funding requirement", tuple(fcols),
        tuple(frows), notes=(f"Net = gross - returns{' - replaced' if replaces else ''}. "
                             f"Intervals: {interval}."), source="scenario"))
    fy = frows[years.index(yr)]
    alt = (f"Line chart, {years[0]} to {years[-1]}, of the gross additional cost, the fiscal "
           f"returns{', the current spending replaced' if replaces else ''} and the net "
           f"funding requirement as % of GDP, with {lv} Monte Carlo bands. In {yr} the gross "
           f"cost is {fmt_number(fy['gross'])}%, returns {fmt_number(fy['returns'])}%"
           + (f", current spending replaced {fmt_number(fy['replaced'])}%" if replaces else "")
           + f" and the net requirement {fmt_number(fy['net'])}% of GDP.")
    svg = charts.lines_with_bands(
        "chart-net-funding", "Cost, returns and net funding", alt, years,
        {"Gross additional cost": (list(s["gross_cost_pct_gdp"]), glo, ghi),
         "Fiscal returns": (list(ret), None, None),
         **({"Current spending replaced": (list(repl), None, None)} if replaces else {}),
         "Net funding requirement": (list(s["net_funding_pct_gdp"]), nlo, nhi)},
        unit="% of GDP")
    charts_out.append(Chart("net_funding", "Cost, returns and net funding", alt, "net_funding",
                            svg))
    # services
    bs = res.by_service[res.by_service["year"] == yr]
    tables.append(Table(
        "services", f"Services in {yr}",
        (Column("service", "Service"), Column("need_population", "Persons in need", "persons"),
         Column("coverage", "Coverage", "% of persons in need"),
         Column("newly_covered", "Newly covered", "persons"),
         Column("care_staff_fte", "Care staff", "FTE"),
         Column("gross_cost", "Additional cost", f"{cur} per year")),
        tuple({"service": str(r["service"]), "need_population": float(r["need_population"]),
               "coverage": 100 * float(r["coverage"]), "newly_covered": float(r["newly_covered"]),
               "care_staff_fte": float(r["care_staff_fte"]), "gross_cost": float(r["gross_cost"])}
              for _, r in bs.iterrows()),
        notes="Central scenario values.", source="scenario"))
    if comp is not None:
        crow: tuple[dict[str, Any], ...] = tuple(
                    {"case": str(r["case"]), "spending": float(r["spending"]),
                      "jobs_total": float(r["jobs_total"]),
                      "jobs_women": float(r["jobs_women"]),
                      "jobs_men": float(r["jobs_total"] - r["jobs_women"]),
                      "jobs_per_million": float(r["jobs_per_million"]),
                      "net_funding_pct_gross": float(r["net_funding_pct_gross"])}
                     for _, r in comp.iterrows())
        tables.append(Table(
            "comparison", f"The same spending in care and in another sector, {yr}",
            (Column("case", "Case"), Column("spending", "Spending", f"{cur} per year"),
             Column("jobs_total", "Jobs", "jobs"), Column("jobs_women", "Women", "jobs"),
             Column("jobs_men", "Men", "jobs"),
             Column("jobs_per_million", "Jobs per million spent", f"jobs per million {cur}"),
             Column("net_funding_pct_gross", "Net funding", "% of spending")), crow,
            notes=("Central scenario values (input-output model of the country). The same "
                   "spending compared: the care scenario row leaves out any parents' "
                   "labour-supply effect, and net funding is spending minus fiscal returns, "
                   "before any current spending the scenario replaces; it can therefore differ "
                   "from the headline."),
            source="scenario"))
        alt = ("Stacked bar chart of the jobs created by the same spending in three cases, "
               "split into women and men: " + "; ".join(
                   f"{r['case']}: {fmt_number(r['jobs_total'])} jobs, "
                   f"{_pct(r['jobs_women'], r['jobs_total'])} women"
                   for r in crow) + ".")
        svg = charts.stacked_bars(
            "chart-comparison", "Same spending, different sectors", alt,
            [r["case"] for r in crow], {"Women": [r["jobs_women"] for r in crow],
                                        "Men": [r["jobs_men"] for r in crow]},
            unit="jobs", horizontal=True)
        charts_out.append(Chart("comparison", "Same spending, different sectors", alt,
                                "comparison", svg))
    return tables, charts_out
