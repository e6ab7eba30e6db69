"""The value of unpaid domestic and care work of a country, from aggregate hours.

For one country and one survey year, the input method on published aggregates
(UNECE 2017, chapter 5; ILO 2018, chapter 2):

.. math::

    V = 365 \\sum_{s \\in \\{F, M\\}} h_s \\, P_s \\, r_s

with :math:`h_s` the mean hours per day of unpaid domestic and care work of sex
:math:`s` (SDG indicator 5.4.1, the national time-use survey as compiled by the
UN Statistics Division), :math:`P_s` the population of sex :math:`s` of the
survey's ages (UN WPP 2019, 1 July of the survey year) and :math:`r_s` an
hourly wage (local currency units):

* ``"replacement_generalist"``: the average hourly earnings of employees in
  ISCO-08 major group 9, *elementary occupations* (which holds unit group 91,
  cleaners and helpers); the database has major groups only, so unit group 91
  itself is not available.  ISCO-88 major group 9 where only ISCO-88 exists.
  One wage for both sexes (both sexes' earnings in the occupation).
* ``"replacement_specialist"``: care hours (SDG series SL_DOM_TSPDCW) at the
  earnings of ISCO-08 sub-major group 53, *personal care workers*, and domestic
  hours (SL_DOM_TSPDDC) at the generalist wage.  Group 53 is not published
  (major groups only), so major group 5, which holds it, is the proxy, flagged
  in ``proxies`` (:data:`CARE_CODES`).  A survey without the domestic/care
  split is refused.
* ``"opportunity_cost"``: the average hourly earnings of employees of each sex,
  all occupations (UN Minimum Set of Gender Indicators I.13, from ILOSTAT).
* ``"minimum_wage"`` (ILO 2018): the hourly statutory minimum wage where
  carecost ships a citable one (:func:`carecost.valuation.statutory_minimum_wage`:
  the U.S. federal rate, France's SMIC and the UK National Minimum Wage for some
  years) or the caller passes one with its source (``minimum_wage=``); with
  ``minimum_wage_proxy=True`` elsewhere, the earnings of elementary occupations,
  flagged as overstating the ILO measure.

A country without a survey is refused unless ``impute_hours=True``
(:func:`carecost.valuation.impute_hours`: region x income-group means, flagged).

365 is used for every year, as ILO (2018) does; SDG 5.4.1 is an average day
over the survey's reference period.  The value is given in local currency,
current US$ and PPP$ (each at the rates implied by World Bank WDI GDP of the
survey year: GDP in US$ / GDP in LCU, and GDP in PPP$ / GDP in LCU, so the share
of GDP is the same in every unit) and as a percentage of GDP.

Wage basis.  The earnings series are gross (before the employee's tax and
social contributions; employer contributions not included).  The methods'
own valuation bases are those of :mod:`carecost.valuation.core`: full labour
cost for replacement cost (``employer_rate=`` converts), net for opportunity
cost (``tax_rate=`` converts), gross for the minimum wage.  A conversion
without its rate is refused; ``basis="gross"`` values at the gross earnings
on purpose, and ``wage_basis`` says so and in which direction the method's
own basis would move the value.

References
----------
UNECE (2017). Guide on Valuing Unpaid Household Service Work. ECE/CES/STAT/2017/3.
ILO (2018). Care work and care jobs for the future of decent work. Geneva.
United Nations, SDG indicator 5.4.1 metadata (proportion of time spent on unpaid
domestic and care work, by sex, age and location).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from carecost import countries as _countries
from carecost.countries import CountryDataError

from . import _db
from ._common import BASIS_TEXT, REFERENCES, ValuationError, WageBasis, check_basis
from .core import Generalist, OpportunityCost, _basis_conversion

__all__ = [
    "COUNTRY_METHODS",
    "CountryValuation",
    "CountryValuations",
    "value_countries",
    "value_country",
]

CountryMethod = Literal["replacement_generalist", "replacement_specialist", "opportunity_cost",
                        "minimum_wage"]
"""The valuation methods of :func:`value_country`."""

COUNTRY_METHODS: dict[str, str] = {
    "replacement_generalist": "replacement cost, generalist",
    "replacement_specialist": "replacement cost, specialist",
    "opportunity_cost": "opportunity cost",
    "minimum_wage": "ILO minimum-wage variant",
}
"""Method code -> method name as in :mod:`carecost.valuation.core`."""

DAYS = 365
"""Days per year (ILO 2018 multiplies daily hours by 365 in every year)."""

HOURS = "unpaid_domestic_care_hours"
"""SDG 5.4.1 (SL_DOM_TSPD): unpaid domestic and care work, hours per day."""

PARTS = {"domestic": "unpaid_domestic_hours", "care": "unpaid_care_hours"}
"""The two parts of SDG 5.4.1 where the portal publishes them (hours per day)."""

EARNINGS = "hourly_earnings_lcu"
GENERALIST_CODES = (("ISCO08_9", "ISCO-08 major group 9, elementary occupations"),
                    ("ISCO88_9", "ISCO-88 major group 9, elementary occupations"))
CARE_CODES = (("ISCO08_5", "ISCO-08 major group 5, service and sales workers (proxy for "
                           "sub-major group 53, personal care workers)"),
              ("ISCO88_5", "ISCO-88 major group 5, service workers and shop and market sales "
                           "workers (proxy for ISCO-08 sub-major group 53, personal care "
                           "workers)"))
"""The specialist wage of care hours.  ISCO-08 sub-major group 53 (personal care workers:
child care workers and teachers' aides 531, personal care workers in health services 532) is
the market occupation of unpaid care of persons, but the UN gender data portal (I.13)
publishes major groups only, so the earnings of major group 5, which holds group 53, are the
proxy (flagged in ``proxies``).  In most earnings surveys group 5 also holds sales workers and
protective services, so the proxy can be above or below the group-53 wage."""
PROXY_53 = ("specialist care wage: ISCO-08 sub-major group 53 (personal care workers) is not "
            "published in the country database (major groups only); the earnings of major "
            "group 5, which holds it, are used as the proxy")
PROXY_MINIMUM = ("minimum wage: no citable statutory minimum wage is shipped for {iso} in "
                 "{year}; the average hourly earnings of elementary occupations (ISCO major "
                 "group 9) are the proxy (minimum_wage_proxy=True); they exceed the minimum "
                 "wage in most countries, so the value is overstated against the ILO (2018) "
                 "measure")
ALL_OCCUPATIONS = (("ISCO08", "all occupations (ISCO-08)"),
                   ("ISCO88", "all occupations (ISCO-88)"))
AGE_PREFERENCE: tuple[str, ...] = _countries.INPUTS["unpaid_care_hours"].categories
"""SDG 5.4.1 age groups in order of preference (the widest first), as the country database."""

PLAUSIBLE_WAGE_RATIO = (0.05, 20.0)
"""Bounds on (hourly wage x 2,000 hours) / GDP per capita.  Outside them the wage and GDP are
almost certainly in different currency units (a redenomination, a euro changeover), so the
valuation is refused."""

_SEXES = ("female", "male")
_AGE = re.compile(r"^Y(?:_GE(\d+)|(\d+)T(\d+))$")


def age_range(code: str) -> tuple[int, int | None]:
    """The ages of an SDG age-group code: ``"Y_GE15"`` -> (15, None), ``"Y20T74"`` -> (20, 74).

    Raises
    ------
    ValuationError
        For ``"_T"`` (all ages covered by the survey, which the portal does not state) or any
        other code without explicit ages.
    """
    m = _AGE.match(code)
    if not m:
        raise ValuationError(
            f"SDG 5.4.1 age group {code!r} does not state its ages (for '_T' the portal gives "
            "the survey's own age coverage, which it does not publish), so no population can be "
            "matched to it; pass a survey with an explicit age group")
    if m.group(1) is not None:
        return int(m.group(1)), None
    return int(m.group(2)), int(m.group(3))


def ages_text(lo: int, hi: int | None) -> str:
    return f"{lo}+" if hi is None else f"{lo}-{hi}"


@dataclass(frozen=True)
class CountryValuation:
    """The value of one country's unpaid domestic and care work in one survey year.

    Attributes
    ----------
    iso3, name
        The country.
    method, method_name
        Method code (:data:`COUNTRY_METHODS`) and name.
    survey_year, survey_flag, survey
        SDG 5.4.1 observation year, its flag (``observed``; ``adjusted`` where UNSD adjusted
        the national figure) and the survey named by the source.
    age_group, ages
        SDG age-group code (e.g. ``"Y_GE15"``) and the ages it covers (``"15+"``); the
        population is summed over exactly these ages (WPP single ages; 100 = 100 and over).
    hours_per_day
        Mean hours per day by sex (``female``, ``male``), SDG 5.4.1.
    hours_parts
        Unpaid domestic and unpaid care hours per day by sex where the portal publishes them for
        the same year and age group (``{"domestic": {...}, "care": {...}}``), else empty.
    population
        Persons by sex of the survey's ages, 1 July of the survey year (UN WPP 2019).
    wage
        Hourly wage by sex used (local currency units per hour, on the valuation basis).
    wage_gross
        The same before any basis conversion (the earnings series, gross).
    wage_label, wage_year, wage_flag, wage_source
        What the wage is (occupation or sex), the year of its observation, how it was obtained
        for the survey year (``observed``, ``interpolated between ...``, ``carried forward/back
        from ...``: the earnings are not re-priced to the survey year) and its citation.
    basis, wage_basis
        The valuation basis code and its text (with the direction of the method's own basis
        when another was chosen).
    value_lcu, value_usd, value_ppp
        Annual value: local currency units (current prices), current US$ and current PPP$.
    pct_gdp
        Value as a percentage of GDP of the survey year.
    gdp_lcu, gdp_usd, gdp_ppp, gdp_year, gdp_flag, gdp_source
        GDP used (World Bank WDI).
    hours_per_year
        Annual hours, female + male (hours per year).
    women_share_hours, women_share_value
        Women's share of the hours and of the value, percent.
    notes
        How each number was obtained.
    proxies
        Every proxy used in place of the method's own series (the specialist care wage, a
        minimum wage), each named; empty when none.
    wage_parts
        The specialist method's wage of each part (``{"domestic": {...}, "care": {...}}``, LCU
        per hour on the valuation basis, by sex); empty for the other methods.
    imputation
        Empty for a surveyed country; otherwise how its hours were imputed
        (:func:`carecost.valuation.impute_hours`).
    """

    iso3: str
    name: str
    method: str
    method_name: str
    survey_year: int
    survey_flag: str
    survey: str
    age_group: str
    ages: str
    hours_per_day: dict[str, float]
    hours_parts: dict[str, dict[str, float]]
    population: dict[str, float]
    wage: dict[str, float]
    wage_gross: dict[str, float]
    wage_label: str
    wage_year: int
    wage_flag: str
    wage_source: str
    basis: WageBasis
    wage_basis: str
    value_lcu: float
    value_usd: float
    value_ppp: float
    pct_gdp: float
    gdp_lcu: float
    gdp_usd: float
    gdp_ppp: float
    gdp_year: int
    gdp_flag: str
    gdp_source: str
    hours_per_year: float
    women_share_hours: float
    women_share_value: float
    notes: tuple[str, ...] = field(default=())
    proxies: tuple[str, ...] = field(default=())
    wage_parts: dict[str, dict[str, float]] = field(default_factory=dict)
    imputation: str = ""

    def row(self) -> dict[str, Any]:
        """One flat row (the columns of :attr:`CountryValuations.table`)."""
        d = asdict(self)
        out: dict[str, Any] = {}
        for k, v in d.items():
            if k in ("hours_per_day", "population", "wage", "wage_gross"):
                for s in _SEXES:
                    out[f"{k}_{s}"] = v[s]
            elif k == "hours_parts":
                for part in PARTS:
                    for s in _SEXES:
                        out[f"{part}_hours_per_day_{s}"] = v.get(part, {}).get(s, np.nan)
            elif k == "wage_parts":
                for part in PARTS:
                    for sx in _SEXES:
                        out[f"wage_{part}_{sx}"] = v.get(part, {}).get(sx, np.nan)
            elif k in ("notes", "proxies"):
                out[k] = "; ".join(v)
            else:
                out[k] = v
        return out


@dataclass(frozen=True)
class CountryValuations:
    """Valuations of several countries and the countries that could not be valued.

    Attributes
    ----------
    table
        One row per valued country (:meth:`CountryValuation.row`).
    failures
        ``iso3``, ``name``, ``reason`` (the missing input, named) for every country asked for
        that could not be valued.
    results
        The :class:`CountryValuation` objects, by ISO3.
    """

    table: pd.DataFrame
    failures: pd.DataFrame
    results: dict[str, CountryValuation]


# -------------------------------------------------------------------------- inputs
def _name(iso3: str) -> str:
    return _db.names()[iso3]


def _survey(iso3: str, year: int | None, age_group: str | None = None
            ) -> tuple[str, int, pd.DataFrame, pd.DataFrame]:
    """The SDG 5.4.1 age group and year used, and the female and male observations."""
    found: list[str] = []
    for code in (AGE_PREFERENCE if age_group is None else (age_group,)):
        if not (_db.has(iso3, HOURS, "female", code) and _db.has(iso3, HOURS, "male", code)):
            continue
        both = sorted(set(_db.values(iso3, HOURS, sex="female", category=code))
                      & set(_db.values(iso3, HOURS, sex="male", category=code)))
        if not both:
            continue
        found.append(f"{code}: {both}")
        if year is None:
            y = int(both[-1])
        elif int(year) in both:
            y = int(year)
        else:
            continue
        f = _db.series(iso3, HOURS, sex="female", category=code)
        m = _db.series(iso3, HOURS, sex="male", category=code)
        return code, y, f[f["year"] == y], m[m["year"] == y]
    if not found:
        spec = _countries.INPUTS["unpaid_care_hours"]
        raise ValuationError(
            f"value_country: {iso3} has no SDG 5.4.1 time-use survey with hours by sex in the "
            f"country database (input 'unpaid_care_hours', {spec.source}). Pass "
            "impute_hours=True (and the year) to impute its hours from region x income-group "
            "means of surveyed countries (carecost.valuation.impute_hours, flagged), or value "
            "it from your own survey with carecost.valuation.value_unpaid_work")
    raise ValuationError(
        f"value_country: {iso3} has no SDG 5.4.1 observation for both sexes in {year}; survey "
        f"years by age group: {'; '.join(found)}. Pass one of those years (hours are not "
        "interpolated between surveys)")


def _hours_parts(iso3: str, code: str, year: int) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for part, ind in PARTS.items():
        vals = {}
        for s in _SEXES:
            v = _db.values(iso3, ind, sex=s, category=code)
            if year in v:
                vals[s] = v[year]
        if len(vals) == 2:
            out[part] = vals
    return out


def _population(iso3: str, year: int, lo: int, hi: int | None) -> dict[str, float]:
    try:
        return _db.population_by_sex(iso3, year, lo, hi)
    except CountryDataError as err:
        raise ValuationError(f"value_country: population by sex and age of {iso3} in {year}: "
                             f"{err}") from err


def _earnings(iso3: str, year: int, sex: str, codes: tuple[tuple[str, str], ...],
              what: str) -> tuple[dict[str, Any], str]:
    for code, label in codes:
        if _db.has(iso3, EARNINGS, sex, code):
            pick = _db.indicator(iso3, EARNINGS, year, sex=sex, category=code)
            if str(pick["flag"]).startswith("interpolated"):
                pick["year"] = year  # the value is interpolated to the year asked for
            return pick, label
    spec = _countries.INPUTS["hourly_earnings"]
    raise ValuationError(
        f"value_country: {iso3} has no hourly earnings of {what} (sex {sex!r}; categories "
        f"{[c for c, _ in codes]}) in the country database (input 'hourly_earnings', "
        f"{spec.source}). value_country does not impute wages; carecost.valuation.value_world "
        "imputes them (the wage as a share of GDP per capita, region x income-group means, "
        "flagged), or pass the wage yourself (method='minimum_wage', minimum_wage=...)")


def _gdp(iso3: str, year: int) -> dict[str, dict[str, Any]]:
    out = {}
    for key in ("gdp", "gdp_usd", "gdp_ppp"):
        try:
            out[key] = _db.indicator(iso3, _countries.INPUTS[key].indicator, year)
        except CountryDataError as err:
            raise ValuationError(f"value_country: {err}") from err
    return out


def _per_capita(iso3: str, year: int) -> float:
    try:
        gdp = _db.indicator(iso3, "gdp_lcu", year)
        pop = _db.population_by_sex(iso3, year)
    except CountryDataError as err:
        raise ValuationError(f"value_country: {err}") from err
    if gdp["year"] != year or gdp["flag"] != "observed":
        raise ValuationError(f"value_country: no observed WDI GDP of {iso3} in {year} "
                             f"({gdp['flag']}) to check or re-price a wage of that year")
    return float(gdp["value"]) / (pop["female"] + pop["male"])


def _check_units(iso3: str, wage: float, year: int, what: str) -> None:
    """Refuse a wage whose currency units cannot be those of WDI GDP of its year."""
    pc = _per_capita(iso3, year)
    ratio = wage * 2000.0 / pc
    if not PLAUSIBLE_WAGE_RATIO[0] <= ratio <= PLAUSIBLE_WAGE_RATIO[1]:
        raise ValuationError(
            f"value_country: {what}: {wage:.4g} LCU per hour in {year} x 2,000 hours is "
            f"{ratio:.3g} times GDP per capita ({pc:.4g} LCU, WDI/WPP {year}); outside "
            f"{PLAUSIBLE_WAGE_RATIO} the wage and GDP are almost certainly in different "
            "currency units (a redenomination or currency change); pass the wage yourself")


def reprice_rule() -> str:
    """The documented rule that moves a wage observed in year W to the survey year S."""
    return ("wage(S) = wage(W) x E(S)/E(W), with E the average hourly earnings of all "
            "employees of the same sex (both sexes for the generalist) where the country "
            "database has both years observed; otherwise E = nominal GDP per capita (WDI GDP "
            "in LCU / WPP 2019 population)")


def _reprice(iso3: str, w: int, s: int, method: str) -> tuple[dict[str, float], str]:
    """Factors moving each sex's wage from year ``w`` to ``s`` (see :func:`reprice_rule`)."""
    out: dict[str, float] = {}
    hows = set()
    for sex in _SEXES:
        esex = "total" if method == "replacement_generalist" else sex
        f = None
        for code, _ in ALL_OCCUPATIONS:
            v = _db.values(iso3, EARNINGS, sex=esex, category=code)
            if w in v and s in v:
                f = float(v[s]) / float(v[w])
                hows.add(f"the average hourly earnings of all employees ({code}, {esex})")
                break
        if f is None:
            f = _per_capita(iso3, s) / _per_capita(iso3, w)
            hows.add("nominal GDP per capita (WDI GDP in LCU / WPP 2019 population)")
        out[sex] = f
    how = " and ".join(sorted(hows)) + (f" (x{out['female']:.4f})" if
                                         out["female"] == out["male"] else
                                         f" (x{out['female']:.4f} female, x{out['male']:.4f} male)")
    return out, how


# ------------------------------------------------------------------------ valuation
def value_country(
    iso3: str, year: int | None = None, *,
    method: CountryMethod = "replacement_generalist",
    basis: WageBasis | None = None, employer_rate: float | None = None,
    tax_rate: float | None = None, minimum_wage: Generalist | None = None,
    minimum_wage_proxy: bool = False, impute_hours: bool = False,
    max_wage_gap: int = 10, age_group: str | None = None,
) -> CountryValuation:
    """The annual value of a country's unpaid domestic and care work in a survey year.

    Parameters
    ----------
    iso3 : str
        ISO 3166-1 alpha-3 code.
    year : int, optional
        SDG 5.4.1 survey year (default: the latest with both sexes in the preferred age group,
        the widest one: 15+ first).  A year without a survey is refused (hours are not
        interpolated).  With ``impute_hours=True`` and no survey: the year valued (required).
    method : str
        ``"replacement_generalist"``, ``"replacement_specialist"``, ``"opportunity_cost"`` or
        ``"minimum_wage"`` (module documentation).
    basis : str, optional
        Valuation basis; default the method's (full labour cost, net, gross).
    employer_rate, tax_rate : float, optional
        Employer social contributions / average income tax and employee contributions, as
        fractions of the gross wage, from a stated source, to convert the gross earnings to
        the valuation basis.
    minimum_wage : Generalist, optional
        The hourly statutory minimum wage in local currency units of the survey year, with its
        source (``method="minimum_wage"`` for a country carecost ships none for).
    minimum_wage_proxy : bool
        ``method="minimum_wage"`` where no statutory rate is shipped or passed: value at the
        documented proxy, the earnings of elementary occupations (flagged in ``proxies``).
        Default False: refused.
    impute_hours : bool
        For a country without an SDG 5.4.1 survey, impute its hours by sex
        (:func:`carecost.valuation.impute_hours`: region x income-group means, flagged in
        ``imputation`` and ``survey_flag``) and value the population aged 15+ of ``year``.
        Default False: refused.
    max_wage_gap : int
        Most years between the wage observation and the survey year (default 10); a wage
        of another year is re-priced to the survey year (:func:`reprice_rule`).
    age_group : str, optional
        The SDG 5.4.1 age group to use (e.g. ``"Y_GE10"``; default: the widest the survey
        year has, :data:`AGE_PREFERENCE`).

    Returns
    -------
    CountryValuation

    Raises
    ------
    ValuationError
        Unknown country; no SDG 5.4.1 survey (or not in ``year``) and no imputation asked
        for; an age group without ages; no earnings (the message names the series), no
        domestic/care split for the specialist method, no population or GDP; no citable
        minimum wage and no proxy asked for; a basis conversion without its rate; a wage
        implausible against GDP per capita (a currency-unit mismatch).
    """
    if method not in COUNTRY_METHODS:
        raise ValuationError(f"value_country: method={method!r}; allowed "
                             f"{sorted(COUNTRY_METHODS)}")
    try:
        iso = _db.resolve(iso3)  # closest matches if unknown
    except CountryDataError as err:
        raise ValuationError(f"value_country: {err}") from err
    name = _name(iso)
    imputation = ""
    try:
        age_code, sy, fem, mal = _survey(iso, year, age_group)
    except ValuationError as err:
        if not impute_hours or "has no SDG 5.4.1 time-use survey" not in str(err):
            raise
        if year is None:
            raise ValuationError(f"value_country: {iso} has no SDG 5.4.1 survey; with "
                                 "impute_hours=True pass the year to value") from err
        from .donors import RECIPIENT_AGES
        from .donors import impute_hours as _impute

        imp = _impute(iso)
        imputation = imp.text()
        age_code, sy = "Y_GE15", int(year)
        lo, hi = RECIPIENT_AGES
        hours = dict(imp.hours_per_day)
        survey_flag, survey = "imputed", imputation
        parts: dict[str, dict[str, float]] = {}
        if all(np.isfinite(v) for v in imp.care_share.values()):
            parts = {"care": {s: hours[s] * imp.care_share[s] for s in _SEXES},
                     "domestic": {s: hours[s] * (1 - imp.care_share[s]) for s in _SEXES}}
    else:
        lo, hi = age_range(age_code)
        hours = {"female": float(fem["value"].iloc[0]), "male": float(mal["value"].iloc[0])}
        flags = {str(fem["flag"].iloc[0]), str(mal["flag"].iloc[0])}
        survey_flag = "observed" if flags == {"observed"} else ", ".join(sorted(flags))
        survey = str(fem["note"].iloc[0])
        parts = _hours_parts(iso, age_code, sy)
    pop = _population(iso, sy, lo, hi)
    gdp = _gdp(iso, sy)

    mname = COUNTRY_METHODS[method]
    proxies: list[str] = []
    if imputation:
        notes = [f"hours: {imputation}"]
    else:
        notes = [f"hours: SDG 5.4.1 unpaid domestic and care work, {age_code} (ages "
                 f"{ages_text(lo, hi)}), survey year {sy} ({survey_flag}): {survey}"]
    notes.append(f"population: UN WPP 2019, ages {ages_text(lo, hi)}, 1 July {sy}")
    # each component: (part, hours by sex, gross wage by sex, label, year, flag, source)
    comps: list[tuple[str, dict[str, float], dict[str, float], str, int, str, str]] = []
    reprice_as = method
    if method in ("replacement_generalist", "replacement_specialist"):
        own: WageBasis = Generalist.valuation_basis
        src_basis: WageBasis = "gross"
        reprice_as = "replacement_generalist"
        if method == "replacement_generalist":
            specs = [("all", hours, GENERALIST_CODES, "elementary occupations",
                      "(generalist)")]
        else:
            if set(parts) != set(PARTS):
                raise ValuationError(
                    f"value_country: {iso} {sy}: the specialist method values care and "
                    "domestic hours apart, but the SDG 5.4.1 split (indicators "
                    f"{PARTS['domestic']!r} and {PARTS['care']!r}, age group {age_code}) is "
                    "not published for this survey; use method='replacement_generalist'")
            specs = [("domestic", parts["domestic"], GENERALIST_CODES,
                      "elementary occupations", "(domestic hours, generalist)"),
                     ("care", parts["care"], CARE_CODES, "service and sales workers",
                      "(care hours, specialist proxy)")]
            proxies.append(PROXY_53)
            tot = {s: parts["domestic"][s] + parts["care"][s] for s in _SEXES}
            if any(abs(tot[s] - hours[s]) > 0.02 for s in _SEXES):
                notes.append(
                    "the published parts sum to "
                    + ", ".join(f"{s} {tot[s]:.2f}" for s in _SEXES)
                    + " hours per day against the total series' "
                    + ", ".join(f"{s} {hours[s]:.2f}" for s in _SEXES)
                    + "; the specialist method values the parts")
        for part, h, codes, what, tag in specs:
            pick, label = _earnings(iso, sy, "total", codes, what)
            comps.append((part, h, {s: float(pick["value"]) for s in _SEXES},
                          f"{label}, both sexes {tag}", int(pick["year"]), str(pick["flag"]),
                          str(pick["source"])))
    elif method == "opportunity_cost":
        own = OpportunityCost.valuation_basis
        src_basis = "gross"
        picks = {}
        for s in _SEXES:
            picks[s], lab = _earnings(iso, sy, s, ALL_OCCUPATIONS, f"{s} employees")
        wyears = {int(p["year"]) for p in picks.values()}
        if len(wyears) > 1:
            raise ValuationError(
                f"value_country: the women's and men's earnings of {iso} nearest {sy} are of "
                f"different years ({ {s: picks[s]['year'] for s in _SEXES} }); pass "
                "method='replacement_generalist' or value a year with both")
        wflag = "; ".join(sorted({f"{s}: {picks[s]['flag']}" for s in _SEXES}))
        if len({p["flag"] for p in picks.values()}) == 1:
            wflag = str(picks["female"]["flag"])
        comps.append(("all", hours, {s: float(picks[s]["value"]) for s in _SEXES},
                      f"average hourly earnings of employees of each sex, {lab}",
                      wyears.pop(), wflag, str(picks["female"]["source"])))
    else:
        own = "gross"
        if minimum_wage is None:
            from .minimum_wages import statutory_minimum_wage

            minimum_wage = statutory_minimum_wage(iso, sy)
        if minimum_wage is None:
            if not minimum_wage_proxy:
                raise ValuationError(
                    f"value_country: no citable statutory minimum wage for {iso} in {sy} is "
                    "shipped (carecost ships the U.S. federal rate and a few others: "
                    "carecost.valuation.minimum_wage_table()). Pass minimum_wage=Generalist("
                    f"wage, 'LCU', {sy}, 'gross', label, source) with the hourly rate and its "
                    "legal source, minimum_wage_proxy=True for the documented proxy "
                    "(elementary-occupation earnings, flagged), or use "
                    "method='replacement_generalist'")
            pick, label = _earnings(iso, sy, "total", GENERALIST_CODES,
                                    "elementary occupations (the minimum-wage proxy)")
            proxies.append(PROXY_MINIMUM.format(iso=iso, year=sy))
            src_basis = "gross"
            reprice_as = "replacement_generalist"
            comps.append(("all", hours, {s: float(pick["value"]) for s in _SEXES},
                          f"{label}, both sexes (proxy for the minimum wage)",
                          int(pick["year"]), str(pick["flag"]), str(pick["source"])))
        else:
            if not isinstance(minimum_wage, Generalist):
                raise ValuationError("value_country: minimum_wage must be a "
                                     "carecost.valuation.Generalist (wage, currency, year, "
                                     "basis, label, source)")
            if minimum_wage.year != sy:
                raise ValuationError(f"value_country: minimum_wage is for {minimum_wage.year} "
                                     f"but the survey year is {sy}; pass the rate in force in "
                                     f"{sy}")
            if not minimum_wage.source.strip():
                raise ValuationError("value_country: minimum_wage has no source; give the "
                                     "legal instrument or publication of the rate")
            src_basis = check_basis(minimum_wage.basis, "minimum_wage")
            comps.append(("all", hours, {s: float(minimum_wage.wage) for s in _SEXES},
                          f"{minimum_wage.label} (hourly statutory minimum wage)",
                          minimum_wage.year, "observed (statutory)", minimum_wage.source))

    target = own if basis is None else check_basis(basis, "value_country")
    factor = _basis_conversion(src_basis, target, own, tax_rate, employer_rate,
                               f"value_country ({mname})")
    if target == own:
        wage_basis = BASIS_TEXT[target]
    else:
        wage_basis = (f"{BASIS_TEXT[target]}; chosen with basis={target!r}, not the {mname} "
                      f"basis ({BASIS_TEXT[own]})")
        if own == "gross_plus_employer":
            wage_basis += ("; at the full labour cost the value would be higher by the "
                           "employer social contribution rate")
        elif own == "net":
            wage_basis += "; at the net wage the value would be lower by the tax rate"

    gdp_lcu = float(gdp["gdp"]["value"])
    value_s = {s: 0.0 for s in _SEXES}
    gross_parts: dict[str, dict[str, float]] = {}
    wlabels, wflags, wsrcs, wyears_used = [], [], [], []
    for part, h, gross, label, wyear, wflag, wsrc in comps:
        for s in _SEXES:
            _check_units(iso, gross[s], wyear, f"the {s} wage ({label}, {wflag})")
        if wyear != sy:
            if abs(wyear - sy) > max_wage_gap:
                raise ValuationError(
                    f"value_country: the nearest {label} wage of {iso} is for {wyear}, "
                    f"{abs(wyear - sy)} years from the survey year {sy} (max_wage_gap="
                    f"{max_wage_gap}); pass a wage of {sy} or a larger max_wage_gap")
            idx_f, how = _reprice(iso, wyear, sy, reprice_as)
            gross = {s: gross[s] * idx_f[s] for s in _SEXES}
            wflag = f"{wflag}; re-priced {wyear} -> {sy} with {how}"
            notes.append(f"the {label} observation is for {wyear}, not the survey year {sy}: "
                         f"{wflag}")
        gross_parts[part] = gross
        for s in _SEXES:
            value_s[s] += h[s] * pop[s] * DAYS * gross[s] * factor
        wlabels.append(label)
        wflags.append(wflag)
        wsrcs.append(wsrc)
        wyears_used.append(wyear)
        notes.append(f"wage ({part} hours): {label}, {wyear} ({wflag}); {wsrc}")
    annual_hours = {s: hours[s] * pop[s] * DAYS for s in _SEXES}
    if method == "replacement_specialist":  # the parts are valued: report their hours
        annual_hours = {s: sum(c[1][s] for c in comps) * pop[s] * DAYS for s in _SEXES}
    hours_year = annual_hours["female"] + annual_hours["male"]
    gross_avg = {s: value_s[s] / factor / annual_hours[s] if annual_hours[s] > 0 else
                 comps[0][2][s] for s in _SEXES}
    wage = {s: gross_avg[s] * factor for s in _SEXES}
    value = value_s["female"] + value_s["male"]
    gdp_usd, gdp_ppp = float(gdp["gdp_usd"]["value"]), float(gdp["gdp_ppp"]["value"])
    gflags = {str(g["flag"]) for g in gdp.values()}
    gdp_flag = "observed" if gflags == {"observed"} else "; ".join(sorted(gflags))
    notes += [
        f"valued at: {wage_basis}" + ("" if factor == 1.0 else
                                      f" (x{factor:.4f} from the gross earnings)"),
        f"value = {DAYS} x sum over sex (and part) of hours per day x population x wage",
        f"GDP: WDI {sy} ({gdp_flag}); US$ and PPP$ at GDP(US$)/GDP(LCU) and GDP(PPP$)/GDP(LCU) "
        f"of {sy}",
    ]
    notes += [f"proxy: {p}" for p in proxies]
    notes.append("references: " + "; ".join(REFERENCES[k] for k in ("unece2017", "ilo2018")))
    return CountryValuation(
        iso3=iso, name=name, method=method, method_name=mname, survey_year=sy,
        survey_flag=survey_flag, survey=survey, age_group=age_code, ages=ages_text(lo, hi),
        hours_per_day=hours, hours_parts=parts, population=pop,
        wage=wage, wage_gross=gross_avg, wage_label=" + ".join(wlabels),
        wage_year=min(wyears_used), wage_flag=" | ".join(wflags),
        wage_source=" | ".join(dict.fromkeys(wsrcs)), basis=target, wage_basis=wage_basis,
        value_lcu=value, value_usd=value * gdp_usd / gdp_lcu,
        value_ppp=value * gdp_ppp / gdp_lcu,
        pct_gdp=100.0 * value / gdp_lcu, gdp_lcu=gdp_lcu, gdp_usd=gdp_usd, gdp_ppp=gdp_ppp,
        gdp_year=int(gdp["gdp"]["year"]), gdp_flag=gdp_flag,
        gdp_source=str(gdp["gdp"]["source"]), hours_per_year=hours_year,
        women_share_hours=100.0 * annual_hours["female"] / hours_year,
        women_share_value=100.0 * value_s["female"] / value, notes=tuple(notes),
        proxies=tuple(proxies),
        wage_parts=({p: {s: g[s] * factor for s in _SEXES} for p, g in gross_parts.items()}
                    if method == "replacement_specialist" else {}),
        imputation=imputation)


def value_countries(
    iso3s: Iterable[str] | None = None, year: int | None = None, *,
    method: CountryMethod = "replacement_generalist", basis: WageBasis | None = None,
    employer_rate: float | None = None, tax_rate: float | None = None,
    minimum_wage_proxy: bool = False, impute_hours: bool = False,
) -> CountryValuations:
    """:func:`value_country` for many countries; those that cannot be valued are listed.

    Parameters
    ----------
    iso3s : iterable of str, optional
        ISO3 codes (default: every country and area of the database, 235).
    year, method, basis, employer_rate, tax_rate, minimum_wage_proxy, impute_hours
        As :func:`value_country`, the same for every country (``year=None``: each country's
        latest survey).

    Returns
    -------
    CountryValuations
        ``table`` (valued countries, sorted by ISO3), ``failures`` (``iso3``, ``name``,
        ``reason``: every country asked for that was not valued, with the error message) and
        ``results``.
    """
    if method not in COUNTRY_METHODS:
        raise ValuationError(f"value_countries: method={method!r}; allowed "
                             f"{sorted(COUNTRY_METHODS)}")
    names = _db.names()
    codes = list(names) if iso3s is None else [str(c) for c in iso3s]
    results: dict[str, CountryValuation] = {}
    fails: list[dict[str, str]] = []
    for c in codes:
        try:
            r = value_country(c, year, method=method, basis=basis,
                              employer_rate=employer_rate, tax_rate=tax_rate,
                              minimum_wage_proxy=minimum_wage_proxy,
                              impute_hours=impute_hours)
        except ValuationError as err:
            up = c.strip().upper()
            fails.append({"iso3": up, "name": names.get(up, ""), "reason": str(err)})
            continue
        results[r.iso3] = r
    rows = [results[k].row() for k in sorted(results)]
    table = pd.DataFrame(rows)
    failures = pd.DataFrame(fails, columns=["iso3", "name", "reason"])
    return CountryValuations(table=table, failures=failures, results=results)
