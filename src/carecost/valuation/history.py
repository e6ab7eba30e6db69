"""The value of unpaid domestic and care work over time: one valuation per survey year.

Two paths, one result (:class:`ValueHistory`):

* :func:`value_history` (aggregate hours, any country with several SDG 5.4.1 survey years):
  :func:`carecost.valuation.value_country` for each survey year of the same age group, so the
  years are comparable (a year of another age group is listed in ``notes`` and left out).
  SDG 5.4.1 publishes no sampling errors: ``se`` is empty.
* :func:`us_value_history` (microdata, the United States 2003-2016): each ATUS year valued on
  its own respondents and weights (:func:`carecost.valuation.value_unpaid_work`, ICATUS 2016
  divisions 3 and 4 in carecost's ten valuation groups), with design-based standard errors per
  year.  The abridged ATUS file has no replicate weights, so the standard errors are those of
  the weights-only design (respondents as independent with-replacement draws; ATUS's
  stratification and clustering are ignored, stated in ``variance``).  GDP of each year is the
  country database's World Bank WDI GDP (NY.GDP.MKTP.CN, current US$), taken as known.

Wages (``method``) for the United States:

* ``"minimum_wage"`` (ILO 2018): the federal minimum wage, the average of the rates in force
  on each day of the year (Fair Labor Standards Act; three rises in 2007-2009);
* ``"generalist"``: the mean hourly wage of the year's own ATUS respondents in the
  household-worker cell (:func:`carecost.valuation.atus_wage_cells`, ``domestic_cleaner``),
  gross; its sampling error is not carried into the value's (the wage is taken as fixed).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import _db
from ._common import DATA, ValuationError
from .countries import COUNTRY_METHODS, HOURS, CountryMethod, value_country

__all__ = ["ValueHistory", "us_minimum_wage_average", "us_value_history", "value_history"]

COLUMNS = ["year", "hours_per_day_female", "hours_per_day_male", "annual_hours", "wage",
           "value", "value_se", "value_ci_low", "value_ci_high", "gdp", "pct_gdp",
           "pct_gdp_se", "pct_gdp_ci_low", "pct_gdp_ci_high", "women_share_hours", "n",
           "wage_source", "gdp_source"]
"""Columns of :attr:`ValueHistory.table` (money in current LCU; shares in %)."""


@dataclass(frozen=True)
class ValueHistory:
    """A valuation time series.

    Attributes
    ----------
    iso3, currency, method
        Country, currency of the money columns (current prices of each year), method code.
    table
        One row per year, :data:`COLUMNS`: hours per day per person by sex [hours per day],
        ``annual_hours`` [hours per year], ``wage`` [LCU per hour, the average applied],
        ``value`` with ``value_se`` and interval [LCU per year], ``gdp`` [LCU], ``pct_gdp``
        with SE and interval [% of GDP], ``women_share_hours`` [%], ``n`` (respondents; empty
        for aggregates), and the wage and GDP sources.
    variance
        How the standard errors were obtained (or why there are none).
    notes
        The rules, exclusions and sources.
    """

    iso3: str
    currency: str
    method: str
    table: pd.DataFrame
    variance: str
    notes: tuple[str, ...] = field(default=())

    def plot(self, ax: Any = None, *, measure: str = "pct_gdp") -> Any:
        """Line chart of ``pct_gdp`` (default) or ``value`` with its interval, by year.

        Returns the matplotlib Axes (matplotlib is imported here, on demand).
        """
        import matplotlib.pyplot as plt

        if measure not in ("pct_gdp", "value"):
            raise ValuationError(f"plot: measure {measure!r}; use 'pct_gdp' or 'value'")
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 3.5))
        t = self.table
        scale = 1.0 if measure == "pct_gdp" else 1e-9
        ax.plot(t["year"], t[measure] * scale, marker="o", color="#1b6ca8")
        lo, hi = t[f"{measure}_ci_low"], t[f"{measure}_ci_high"]
        if lo.notna().any():
            ax.fill_between(t["year"], lo * scale, hi * scale, color="#1b6ca8", alpha=0.2,
                            label="95% interval")
            ax.legend(frameon=False)
        ax.set_xlabel("year")
        ax.set_ylabel("% of GDP" if measure == "pct_gdp" else f"billion {self.currency}")
        what = COUNTRY_METHODS.get(self.method, self.method)
        ax.set_title(f"Unpaid care work, {self.iso3}: {what}")
        ax.grid(alpha=0.3)
        return ax


# ------------------------------------------------------------------- aggregate path
def value_history(iso3: str, *, method: CountryMethod = "replacement_generalist",
                  basis: Any = "gross", years: list[int] | None = None,
                  **kwargs: Any) -> ValueHistory:
    """One :func:`value_country` per SDG 5.4.1 survey year of the same age group.

    Parameters
    ----------
    iso3 : str
        ISO3 code of a country with at least two survey years in one age group.
    method, basis, kwargs
        As :func:`carecost.valuation.value_country` (``basis`` default ``"gross"``).
    years : list of int, optional
        Survey years to value (default all of the preferred age group).

    Returns
    -------
    ValueHistory

    Raises
    ------
    ValuationError
        A country with fewer than two survey years in one age group (the message lists its
        years by age group), or any error of :func:`value_country` for a year.
    """
    from .countries import AGE_PREFERENCE

    try:
        iso = _db.resolve(iso3)
    except _db._countries.CountryDataError as err:
        raise ValuationError(f"value_history: {err}") from err
    found = {}
    for code in AGE_PREFERENCE:
        ys = sorted(set(_db.values(iso, HOURS, sex="female", category=code))
                    & set(_db.values(iso, HOURS, sex="male", category=code)))
        if ys:
            found[code] = ys
    pick = next((c for c in AGE_PREFERENCE if len(found.get(c, [])) >= 2), None)
    if pick is None:
        raise ValuationError(
            f"value_history: {iso} has fewer than two SDG 5.4.1 survey years in any one age "
            f"group ({found or 'no survey'}); a history needs several surveys of the same ages")
    ys = found[pick] if years is None else sorted(int(y) for y in years)
    bad = [y for y in ys if y not in found[pick]]
    if bad:
        raise ValuationError(f"value_history: {iso} has no {pick} survey in {bad}; survey "
                             f"years: {found[pick]}")
    rows = []
    notes = [f"hours: SDG 5.4.1, age group {pick}, survey years {ys}"]
    others = {c: v for c, v in found.items() if c != pick}
    if others:
        notes.append(f"left out (other age groups, not comparable): {others}")
    cur = ""
    for y in ys:
        r = value_country(iso, y, method=method, basis=basis, age_group=pick, **kwargs)
        rows.append({"year": y, "hours_per_day_female": r.hours_per_day["female"],
                     "hours_per_day_male": r.hours_per_day["male"],
                     "annual_hours": r.hours_per_year,
                     "wage": r.value_lcu / r.hours_per_year, "value": r.value_lcu,
                     "value_se": np.nan, "value_ci_low": np.nan, "value_ci_high": np.nan,
                     "gdp": r.gdp_lcu, "pct_gdp": r.pct_gdp, "pct_gdp_se": np.nan,
                     "pct_gdp_ci_low": np.nan, "pct_gdp_ci_high": np.nan,
                     "women_share_hours": r.women_share_hours, "n": np.nan,
                     "wage_source": f"{r.wage_label} ({r.wage_flag})",
                     "gdp_source": f"{r.gdp_source} ({r.gdp_flag})"})
        cur = "LCU"
        notes.append(f"{y}: " + "; ".join(r.notes[:3]))
    return ValueHistory(iso3=iso, currency=cur, method=method,
                        table=pd.DataFrame(rows, columns=COLUMNS),
                        variance="none: SDG 5.4.1 publishes no sampling errors",
                        notes=tuple(notes))


# -------------------------------------------------------------------- the US, ATUS
def us_minimum_wage_average(year: int) -> tuple[float, str]:
    """The U.S. federal minimum wage of a calendar year, days weighted (USD per hour).

    Returns
    -------
    tuple
        ``(rate, how)``; ``how`` names the rates in force and their sources.
    """
    with (DATA / "us_federal_minimum_wage.csv").open("r", encoding="utf-8") as fh:
        t = pd.read_csv(fh, parse_dates=["effective_date"]).sort_values("effective_date")
    y = int(year)
    start, end = _dt.date(y, 1, 1), _dt.date(y, 12, 31)
    if t["effective_date"].iloc[0].date() > start:
        raise ValuationError(f"us_minimum_wage_average: shipped rates start in "
                             f"{t['effective_date'].iloc[0].year}")
    days = np.array([(start + _dt.timedelta(d)) for d in range((end - start).days + 1)])
    eff = [d.date() for d in t["effective_date"]]
    idx = np.searchsorted(np.array(eff), days, side="right") - 1
    rates = t["hourly_rate"].to_numpy(dtype=float)[idx]
    used = sorted(set(idx.tolist()))
    how = "; ".join(f"{t['hourly_rate'].iloc[i]:g} from {eff[i].isoformat()} "
                    f"({t['source'].iloc[i]})" for i in used)
    if len(used) == 1:  # one rate all year: exactly it
        return float(t["hourly_rate"].iloc[used[0]]), how
    return float(rates.mean()), how


def us_value_history(survey: Any, *, method: str = "minimum_wage",
                     years: list[int] | None = None, level: float = 0.95) -> ValueHistory:
    """U.S. value of unpaid household service and care work, every ATUS year 2003-2016.

    Parameters
    ----------
    survey : path or TimeUseSurvey
        The ATUS folder (``read_atus`` reads it with carecost's valuation crosswalk) or a
        :class:`carecost.timeuse.TimeUseSurvey` read with
        ``crosswalk=atus_valuation_crosswalk()``.
    method : str
        ``"minimum_wage"`` or ``"generalist"`` (module documentation).
    years : list of int, optional
        ATUS years (default every year in the data).
    level : float
        Confidence level of the intervals.

    Returns
    -------
    ValueHistory
        Money in current US$; ``n`` respondents per year.

    Raises
    ------
    ValuationError
        An unknown method, a year not in the data, a survey read without the valuation
        groups, or a year without WDI GDP.
    """
    from carecost.survey import Design
    from carecost.timeuse import read_atus

    from .activities import atus_activity_map, atus_valuation_crosswalk, atus_wage_cells
    from .core import GDP, Generalist, value_unpaid_work
    from .wages import observed_hourly_wage, survey_wages

    if method not in ("minimum_wage", "generalist"):
        raise ValuationError(f"us_value_history: method {method!r}; use 'minimum_wage' or "
                             "'generalist'")
    if isinstance(survey, str | Path):
        survey = read_atus(survey, crosswalk=atus_valuation_crosswalk())
    amap = atus_activity_map()
    p = survey.persons
    missing = [g for g in amap.groups if g not in p.columns]
    if missing:
        raise ValuationError(f"us_value_history: the survey has no valuation groups "
                             f"{missing[:3]}...; read it with "
                             "read_atus(path, crosswalk=atus_valuation_crosswalk())")
    have = sorted(int(y) for y in p["tuyear"].unique())
    ys = have if years is None else sorted(int(y) for y in years)
    bad = [y for y in ys if y not in have]
    if bad:
        raise ValuationError(f"us_value_history: years {bad} not in the data ({have[0]}-"
                             f"{have[-1]})")
    rows = []
    notes = []
    for y in ys:
        d = p[p["tuyear"] == y].reset_index(drop=True)
        if method == "minimum_wage":
            rate, how = us_minimum_wage_average(y)
            wage = Generalist(rate, "USD", y, "gross", "federal minimum wage (year average)",
                              how, valuation_basis="gross")
            design = Design(d, weights="wt")
            src = f"federal minimum wage, days-weighted {y} average: {how}"
        else:
            d = d.assign(obs_wage=observed_hourly_wage(d)["wage"])
            design = Design(d, weights="wt")
            wt = survey_wages(design, atus_wage_cells(), "obs_wage", currency="USD", year=y,
                              source=f"ATUS {y} respondents' own hourly wages")
            wage = Generalist.from_table(wt, "domestic_cleaner", label="household worker")
            src = (f"ATUS {y} household-worker cell, mean hourly wage {wage.wage:.2f} USD "
                   "(gross)")
        v = value_unpaid_work(design, amap, wage, year=y, currency="USD",
                              weights="person_days", basis="gross")
        try:
            g = _db.indicator("USA", "gdp_lcu", y)
        except _db._countries.CountryDataError as err:
            raise ValuationError(f"us_value_history: {err}") from err
        if g["year"] != y:
            raise ValuationError(f"us_value_history: no WDI GDP of the USA in {y}")
        gdp = GDP(float(g["value"]), "USD", y, str(g["source"]))
        tot = v.total(groups=False, level=level).iloc[0]
        sh = v.share_of_gdp(gdp, level=level).iloc[0]
        hrs = v.hours(groups=False, level=level).iloc[0]
        sexes = {}
        for s, lab in (("female", "female"), ("male", "male")):
            sub = d[d["sex"].astype(str) == lab]
            sexes[s] = float(np.average(sub["unpaid_care_work"], weights=sub["wt"])) / 60
        fem = d["sex"].astype(str) == "female"
        wf = float((d.loc[fem, "wt"] * d.loc[fem, "unpaid_care_work"]).sum())
        wa = float((d["wt"] * d["unpaid_care_work"]).sum())
        rows.append({"year": y, "hours_per_day_female": sexes["female"],
                     "hours_per_day_male": sexes["male"],
                     "annual_hours": float(hrs["estimate"]), "wage": wage.wage,
                     "value": float(tot["estimate"]), "value_se": float(tot["se"]),
                     "value_ci_low": float(tot["ci_low"]), "value_ci_high": float(tot["ci_high"]),
                     "gdp": gdp.value, "pct_gdp": 100 * float(sh["estimate"]),
                     "pct_gdp_se": 100 * float(sh["se"]),
                     "pct_gdp_ci_low": 100 * float(sh["ci_low"]),
                     "pct_gdp_ci_high": 100 * float(sh["ci_high"]),
                     "women_share_hours": 100 * wf / wa, "n": len(d), "wage_source": src,
                     "gdp_source": f"{g['source']} ({g['flag']})"})
    notes += [
        "hours: ATUS, ICATUS 2016 divisions 3 and 4 (carecost's ten valuation groups), each "
        "year's own respondents and final weights (person-days)",
        f"wages: {method} (module documentation), gross; 365/366 days per year",
        "GDP: World Bank WDI NY.GDP.MKTP.CN (current US$), taken as known",
        f"standard errors: {survey.variance}",
    ]
    return ValueHistory(iso3="USA", currency="USD", method=method,
                        table=pd.DataFrame(rows, columns=COLUMNS), variance=survey.variance,
                        notes=tuple(notes))
