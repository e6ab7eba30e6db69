"""The country brief: a country's unpaid care work (SDG 5.4.1), its value, and a care package.

One page per country from the shipped country database: hours of unpaid domestic and care
work by sex (SDG 5.4.1, the national time-use survey, or imputed and flagged where there is
none), their value by method (:func:`carecost.valuation.value_country`: replacement cost
generalist and specialist, opportunity cost, and the ILO 2018 minimum-wage method where a
statutory rate can be cited), and, when asked, the ILO-style care investment package
(:func:`carecost.investment.simulate_many` with the ``"ilo-2035"`` preset) for the same
country.  Every number is a :class:`~carecost.briefs.Quantity` with its unit, source and
flags; the brief is written as HTML and JSON by the shared writers.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from carecost.valuation import COUNTRY_METHODS, CountryValuation, ValuationError, value_country

from . import charts
from ._common import SDG541, carecost_source
from ._format import fmt_number
from .model import Brief, BriefError, Chart, Column, Quantity, Source, Table

__all__ = ["COUNTRY_BRIEF_METHODS", "country_brief"]

COUNTRY_BRIEF_METHODS = ("replacement_generalist", "replacement_specialist", "opportunity_cost",
                         "minimum_wage")
"""Valuation methods of the country brief, in the order shown."""

_LABEL = {"replacement_generalist": "Replacement cost, generalist",
          "replacement_specialist": "Replacement cost, specialist",
          "opportunity_cost": "Opportunity cost",
          "minimum_wage": "Minimum wage (ILO 2018)"}
WPP = Source("wpp2019", "UN DESA Population Division (2019). World Population Prospects 2019: "
             "population by sex and single age.")
WDI = Source("wdi", "World Bank, World Development Indicators: GDP in local currency, current "
             "US$ and PPP (NY.GDP.MKTP.CN, NY.GDP.MKTP.CD, PA.NUS.PPP).")
EARN = Source("earnings", "UN Statistics Division, Minimum Set of Gender Indicators I.13: "
              "average hourly earnings of employees by occupation and sex (ILOSTAT).")
ILO = Source("ilo2018", "ILO (2018). Care work and care jobs for the future of decent work. "
             "International Labour Office, Geneva.")
ILO2022 = Source("ilo2022", "ILO (2022). Care at Work: Investing in Care Leave and Services for "
                 "a More Gender Equal World of Work. Geneva; De Henau, J. (2022), ILO Working "
                 "Paper 55.")


def _q(id_: str, label: str, est: float | None, unit: str, source: str, method: str,
       flags: tuple[str, ...] = (), domain: dict[str, Any] | None = None) -> Quantity:
    v = None if est is None or not np.isfinite(est) else float(est)
    return Quantity(id=id_, label=label, estimate=v, se=None, ci_low=None, ci_high=None,
                    level=None, interval="none (SDG 5.4.1 publishes no sampling errors)",
                    unit=unit, source=source, method=method, domain=domain or {},
                    flags=flags)


def country_brief(iso3: str, year: int | None = None, *,
                  methods: tuple[str, ...] = COUNTRY_BRIEF_METHODS, impute_hours: bool = True,
                  investment: bool = True, preset: str = "ilo-2035") -> Brief:
    """The country brief (kind ``"value"``): SDG 5.4.1 hours, their value and a care package.

    Parameters
    ----------
    iso3 : str
        ISO 3166-1 alpha-3 code.
    year : int, optional
        Survey year (default the latest survey).  For a country without a survey, the year
        valued with imputed hours (default 2015).
    methods : tuple of str
        Valuation methods (:data:`COUNTRY_BRIEF_METHODS`); a method the data cannot support
        for the country is listed in the caveats with the reason, not dropped silently.
    impute_hours : bool
        Impute the hours of a country without a survey (flagged); False: refuse.
    investment : bool
        Add the ILO-style care package (``preset``) for the country (needs
        :mod:`carecost.investment`; a country it cannot simulate is a caveat).
    preset : str
        Investment preset (``"ilo-2035"`` or ``"ilo-2050"``).

    Returns
    -------
    Brief

    Raises
    ------
    BriefError
        An unknown method, or no method could value the country (the reasons are named).
    ValuationError
        An unknown country, or no survey and ``impute_hours=False``.
    """
    bad = [m for m in methods if m not in COUNTRY_BRIEF_METHODS]
    if bad or not methods:
        raise BriefError(f"country_brief: methods {bad or methods}; allowed "
                         f"{list(COUNTRY_BRIEF_METHODS)}")
    vals: dict[str, CountryValuation] = {}
    fails: dict[str, str] = {}
    for m in methods:
        kw: dict[str, Any] = {"method": m, "basis": "gross",
                              "minimum_wage_proxy": False, "impute_hours": impute_hours}
        if m == "minimum_wage":
            kw.pop("basis")
        try:
            vals[m] = value_country(iso3, year, **kw)
        except ValuationError as err:
            msg = str(err)
            if "pass the year" in msg and year is None:
                try:
                    vals[m] = value_country(iso3, 2015, **kw)
                    continue
                except ValuationError as err2:
                    msg = str(err2)
            if "unknown country" in msg or ("time-use survey" in msg and not impute_hours):
                raise
            fails[m] = msg
    if not vals:
        return _world_fallback(iso3, year, methods, fails, investment, preset)
    first = next(iter(vals.values()))
    iso, name, sy = first.iso3, first.name, first.survey_year
    imputed = bool(first.imputation)
    hflag: tuple[str, ...] = ((f"imputed, not surveyed: {first.imputation}",) if imputed
                              else ())
    dom = {"year": sy}
    hours_method = (f"SDG 5.4.1, {first.survey} ({first.age_group}, ages {first.ages})"
                    if not imputed else first.imputation)
    quantities = [
        _q("country.hours_per_day.female", f"Women's unpaid domestic and care work, {sy}",
           first.hours_per_day["female"], "hours per day", "sdg541", hours_method, hflag, dom),
        _q("country.hours_per_day.male", f"Men's unpaid domestic and care work, {sy}",
           first.hours_per_day["male"], "hours per day", "sdg541", hours_method, hflag, dom),
        _q("country.sdg541.female", f"SDG 5.4.1, women, {sy}",
           100 * first.hours_per_day["female"] / 24, "% of 24 hours", "sdg541",
           hours_method, hflag, dom),
        _q("country.sdg541.male", f"SDG 5.4.1, men, {sy}",
           100 * first.hours_per_day["male"] / 24, "% of 24 hours", "sdg541",
           hours_method, hflag, dom),
        _q("country.women_share_hours", f"Women's share of the hours, {sy}",
           first.women_share_hours, "% of hours", "sdg541", hours_method, hflag, dom),
    ]
    rows = []
    for m, v in vals.items():
        fl = hflag + tuple(v.proxies)
        how = (f"{COUNTRY_METHODS[m]}: {v.wage_label}, {v.wage_year} ({v.wage_flag}); "
               f"{v.wage_basis}")
        quantities += [
            _q(f"value.{m}.pct_gdp", f"Value, {_LABEL[m].lower()}, {sy}", v.pct_gdp,
               "% of GDP", "earnings" if m != "minimum_wage" else "ilo2018", how, fl, dom),
            _q(f"value.{m}.value_ppp", f"Value in PPP$, {_LABEL[m].lower()}, {sy}",
               v.value_ppp / 1e9, "billion PPP$ per year (current international $)",
               "wdi", how, fl, dom),
            _q(f"value.{m}.value_lcu", f"Value in local currency, {_LABEL[m].lower()}, {sy}",
               v.value_lcu / 1e9, "billion LCU per year (current prices)", "wdi", how, fl,
               dom),
        ]
        rows.append({"method": _LABEL[m], "wage": v.wage["female"] if m != "opportunity_cost"
                     else float("nan"), "wage_label": v.wage_label,
                     "pct_gdp": v.pct_gdp, "value_ppp": v.value_ppp / 1e9,
                     "women_share_value": v.women_share_value, "flags": "; ".join(fl)})
    tables = [
        Table("hours", f"Unpaid domestic and care work by sex, {name}, {sy}",
              (Column("sex", "Sex"), Column("hours", "Hours", "hours per day"),
               Column("sdg541", "SDG 5.4.1", "% of 24 hours"),
               Column("population", "Population of the ages", "persons")),
              tuple({"sex": s, "hours": first.hours_per_day[s],
                     "sdg541": 100 * first.hours_per_day[s] / 24,
                     "population": first.population[s]} for s in ("female", "male")),
              notes=hours_method, source="sdg541"),
        Table("value_by_method", f"Value of unpaid care work by method, {name}, {sy}",
              (Column("method", "Method"), Column("wage", "Wage", "LCU per hour"),
               Column("wage_label", "Wage used"), Column("pct_gdp", "Value", "% of GDP"),
               Column("value_ppp", "Value", "billion PPP$ per year"),
               Column("women_share_value", "Women's share of the value", "%"),
               Column("flags", "Flags")),
              tuple(rows), notes="Gross wages (the database has no contribution or tax "
              "rates); opportunity cost uses each sex's own wage.", source="earnings"),
    ]
    cats = [_LABEL[m] for m in vals]
    est = [vals[m].pct_gdp for m in vals]
    alt = (f"Bar chart of the value of unpaid domestic and care work in {name}, {sy}, in % of "
           "GDP, by valuation method: "
           + "; ".join(f"{c} {fmt_number(e)}" for c, e in zip(cats, est, strict=True)) + ".")
    title = "Value of unpaid care work by method"
    svg = charts.bars_with_intervals("chart-country-methods", title, alt, cats,
                                     {"Value": (est, est, est)}, unit="% of GDP")
    charts_out = [Chart("value_by_method", title, alt, "value_by_method", svg)]
    caveats = [f"{_LABEL[m]} not shown: {r}" for m, r in fails.items()]
    if imputed:
        caveats.insert(0, f"{name} has no SDG 5.4.1 survey: its hours are imputed ("
                       f"{first.imputation}).")
    caveats.append("SDG 5.4.1 publishes no sampling errors, so the numbers have no intervals; "
                   "carecost.valuation.value_world gives Monte Carlo intervals over the "
                   "imputation and wage choices.")
    caveats += _high_value_caveat(name, max(v.pct_gdp for v in vals.values()))
    sources = [SDG541, WPP, WDI, EARN, ILO]
    inv_inputs: dict[str, Any] = {}
    main = vals.get("replacement_generalist") or first
    answer = (f"In {name} ({sy}), women do {fmt_number(first.hours_per_day['female'])} and men "
              f"{fmt_number(first.hours_per_day['male'])} hours a day of unpaid domestic and "
              f"care work ({fmt_number(first.women_share_hours, digits=0)}% by women)"
              + (" (imputed: no survey)" if imputed else "")
              + f". Valued at {main.method_name}, it is worth {fmt_number(main.pct_gdp)}% of "
              f"GDP.")
    headline = tuple(q for q in quantities if q.id in (
        "country.hours_per_day.female", "country.hours_per_day.male",
        "country.women_share_hours", f"value.{main.method}.pct_gdp",
        "investment.package_cost_pct_gdp"))
    method = (
        "Hours: SDG 5.4.1 (unpaid domestic and care work, hours per day by sex) of the "
        "national time-use survey, as compiled by UNSD, for the survey's own ages; where there "
        "is no survey, the mean of the surveys of the country's region x income group "
        "(carecost.valuation.impute_hours), applied to ages 15+ and flagged.",
        "Value = 365 x hours per day x population of the survey's ages (WPP 2019) x an hourly "
        "wage (gross earnings, UN gender data portal I.13); specialist: care hours at ISCO "
        "major group 5 (proxy for 53), domestic hours at group 9; minimum wage only where a "
        "statutory rate is cited (UNECE 2017; ILO 2018).",
    )
    _investment(iso, preset, investment, quantities, caveats, sources, inv_inputs)
    return Brief(
        kind="value", title=f"Unpaid care work in {name}",
        question=(f"How much unpaid domestic and care work do women and men do in {name}"
                  + (", what is it worth, and what would a care investment package cost?"
                     if investment else ", and what is it worth?")),
        answer=answer, headline=headline, quantities=tuple(quantities), tables=tuple(tables),
        charts=tuple(charts_out), method=method, caveats=tuple(caveats),
        sources=tuple(sources),
        dataset={"name": f"country database: {iso}", "description": "carecost.countries"},
        inputs={"country": iso, "year": sy, "methods": list(vals), "impute_hours": impute_hours,
                "investment": inv_inputs})


#: Above this share of GDP [%] a country brief says why the value may be overstated.
HIGH_VALUE_PCT_GDP = 30.0


def _high_value_caveat(name: str, pct_gdp: float) -> list[str]:
    """A caveat when a value exceeds :data:`HIGH_VALUE_PCT_GDP` percent of GDP.

    The wages are employees' earnings (ILOSTAT, UN MSGI); where most workers are
    self-employed or informal, employees earn several times GDP per capita, so hours valued at
    their earnings can reach a large share of GDP (UNECE 2017 warns against wages that the
    unpaid work would not fetch).  The number is kept; the caveat says how to read it.
    """
    if not math.isfinite(pct_gdp) or pct_gdp <= HIGH_VALUE_PCT_GDP:
        return []
    return [f"A value above {HIGH_VALUE_PCT_GDP:.0f}% of GDP ({fmt_number(pct_gdp)}% here) "
            f"mostly reflects the wage, not the hours: the database has employees' earnings, "
            f"and where much work in {name} is informal or self-employed those earnings are "
            "well above what most workers (and most paid care workers) earn, so the value is "
            "likely overstated; a national wage survey of domestic and care workers, or the "
            "statutory minimum wage, gives a lower figure."]


def _investment(iso: str, preset: str, investment: bool, quantities: list[Quantity],
                caveats: list[str], sources: list[Source], inv_inputs: dict[str, Any]) -> None:
    """Add the care package's quantities (or a caveat saying why not) in place."""
    if investment:
        try:
            from carecost.investment import simulate_many

            res = simulate_many([iso], preset, workers=1)
            if len(res.countries):
                r = res.countries.iloc[0]
                ydom = {"year": int(r["year"])}
                how = (f"ILO-style care investment package, preset {preset!r} "
                       "(carecost.investment; De Henau 2022 method)")
                quantities += [
                    _q("investment.package_cost_pct_gdp", f"Care package cost, {r['year']}",
                       float(r["package_cost_pct_gdp"]), "% of GDP", "ilo2022", how,
                       domain=ydom),
                    _q("investment.jobs_total", f"Jobs created by the package, {r['year']}",
                       float(r["jobs_total"]), str(r["employment_unit"]), "ilo2022", how,
                       domain=ydom),
                    _q("investment.net_funding_pct_gdp",
                       f"Package net funding requirement, {r['year']}",
                       float(r["package_net_funding_pct_gdp"]), "% of GDP", "ilo2022", how,
                       domain=ydom),
                ]
                sources.append(ILO2022)
                inv_inputs.update({"preset": preset, "year": int(r["year"])})
            else:
                caveats.append(f"care package ({preset}) not simulated for {iso}: "
                               + "; ".join(map(str, res.failures["error"])))
        except Exception as err:  # any failure of the package is a caveat, not an error
            caveats.append(f"care package ({preset}) not simulated for {iso}: {err}")
    sources.append(carecost_source())


def _world_fallback(iso3: str, year: int | None, methods: tuple[str, ...],
                    fails: dict[str, str], investment: bool, preset: str) -> Brief:
    """A country without the wages of any method: its row of the world valuation (imputed
    wages as a share of GDP per capita, flagged)."""
    from carecost.valuation import value_world

    y = 2015 if year is None else int(year)
    wv = value_world(y, method=list(methods), draws=200)
    tab = wv.countries.set_index("iso3")
    iso = iso3.strip().upper()
    if iso not in tab.index:
        why = wv.excluded.set_index("iso3")["reason"].get(iso, "not valued")
        raise BriefError(f"country_brief: {iso} could not be valued: {why}; "
                         + " | ".join(f"{m}: {r}" for m, r in fails.items()))
    r: dict[str, Any] = {str(k): v for k, v in tab.loc[iso].to_dict().items()}
    name = str(r["name"])
    imputed = r["hours_source"] == "imputed"
    fl = tuple(f for f in str(r["flags"]).split("; ") if f)
    how_h = str(r["imputation"]) if imputed else (
        f"SDG 5.4.1 survey {int(r['survey_year'])}, ages {r['ages']}")
    dom = {"year": y}
    quantities = [
        _q("country.hours_per_day.female", f"Women's unpaid domestic and care work, {y}",
           float(r["hours_female"]), "hours per day", "sdg541", how_h, fl, dom),
        _q("country.hours_per_day.male", f"Men's unpaid domestic and care work, {y}",
           float(r["hours_male"]), "hours per day", "sdg541", how_h, fl, dom),
        _q("country.sdg541.female", f"SDG 5.4.1, women, {y}", 100 * float(r["hours_female"]) / 24,
           "% of 24 hours", "sdg541", how_h, fl, dom),
        _q("country.sdg541.male", f"SDG 5.4.1, men, {y}", 100 * float(r["hours_male"]) / 24,
           "% of 24 hours", "sdg541", how_h, fl, dom),
        _q("country.women_share_hours", f"Women's share of the hours, {y}",
           float(r["women_share"]), "% of hours", "sdg541", how_h, fl, dom),
    ]
    rows = []
    for m in methods:
        how = f"{COUNTRY_METHODS[m]} (world valuation): {r[f'{m}.wage_how']}"
        quantities += [
            _q(f"value.{m}.pct_gdp", f"Value, {_LABEL[m].lower()}, {y}",
               float(r[f"{m}.pct_gdp"]), "% of GDP", "earnings", how, fl, dom),
            _q(f"value.{m}.value_ppp", f"Value in PPP$, {_LABEL[m].lower()}, {y}",
               float(r[f"{m}.value_ppp"]) / 1e9,
               "billion PPP$ per year (current international $)", "wdi", how, fl, dom),
        ]
        rows.append({"method": _LABEL[m], "wage_label": str(r[f"{m}.wage_how"]),
                     "pct_gdp": float(r[f"{m}.pct_gdp"]),
                     "value_ppp": float(r[f"{m}.value_ppp"]) / 1e9, "flags": "; ".join(fl)})
    tables = [Table("value_by_method", f"Value of unpaid care work by method, {name}, {y}",
                    (Column("method", "Method"), Column("wage_label", "Wage used"),
                     Column("pct_gdp", "Value", "% of GDP"),
                     Column("value_ppp", "Value", "billion PPP$ per year"),
                     Column("flags", "Flags")), tuple(rows),
                    notes="From carecost.valuation.value_world: " + year_rule_text(),
                    source="earnings")]
    caveats = [f"{name} has none of the methods' wages in the country database, so the wages "
               "are imputed as a share of GDP per capita from similar countries (region x "
               "income group), flagged."]
    if imputed:
        caveats.append(f"{name} has no SDG 5.4.1 survey: {r['imputation']}.")
    caveats += _high_value_caveat(name, max(float(r[f"{m}.pct_gdp"]) for m in methods))
    sources = [SDG541, WPP, WDI, EARN, ILO]
    inv_inputs: dict[str, Any] = {}
    _investment(iso, preset, investment, quantities, caveats, sources, inv_inputs)
    main = "replacement_generalist" if "replacement_generalist" in methods else methods[0]
    return Brief(
        kind="value", title=f"Unpaid care work in {name}",
        question=(f"How much unpaid domestic and care work do women and men do in {name}"
                  + (", what is it worth, and what would a care investment package cost?"
                     if investment else ", and what is it worth?")),
        answer=(f"In {name} ({y}), women do {fmt_number(float(r['hours_female']))} and men "
                f"{fmt_number(float(r['hours_male']))} hours a day of unpaid domestic and care "
                "work" + (" (imputed: no survey)" if imputed else "") + ". Valued at "
                f"{COUNTRY_METHODS[main]} with an imputed wage, it is worth "
                f"{fmt_number(float(r[f'{main}.pct_gdp']))}% of GDP."),
        headline=tuple(quantities[i] for i in (0, 1, 4, 5)), quantities=tuple(quantities),
        tables=tuple(tables), charts=(), method=tuple(wv.notes[:3]), caveats=tuple(caveats),
        sources=tuple(sources),
        dataset={"name": f"country database: {iso}", "description": "carecost.countries"},
        inputs={"country": iso, "year": y, "methods": list(methods), "world_fallback": True,
                "investment": inv_inputs})


def year_rule_text() -> str:
    from carecost.valuation import year_rule

    return year_rule()
