"""Statutory hourly minimum wages carecost can cite (the ILO 2018 minimum-wage method).

ILO (2018) values unpaid care work at each country's hourly minimum wage.  Minimum wages are
not in the country database (nor in the shared public data), so carecost ships only rates it
can cite from the legal instrument that set them:

* the United States: the federal minimum wage (Fair Labor Standards Act, 29 U.S.C. 206;
  ``us_federal_minimum_wage.csv``, :func:`carecost.valuation.us_federal_minimum_wage`);
* France: the SMIC horaire brut of 2010 and 2015 (the decrees that set them);
* the United Kingdom: the National Minimum Wage adult rate of October 2014 and October 2015
  (the amendment regulations that set them).

These are ``statutory_minimum_wages.csv`` (one row per rate and period in force).  The rate of a
calendar year is the average of the rates in force on each of its days (days weighted); a year
not covered on every day by the shipped periods has no rate.  Everywhere else the
minimum-wage method needs the caller's own rate or the documented proxy (the average hourly
earnings of elementary occupations, ISCO-08 major group 9, flagged: it is above the minimum
wage in most countries, so the proxy overstates the ILO measure).
"""

from __future__ import annotations

import datetime as _dt
from functools import cache

import pandas as pd

from ._common import DATA, ValuationError
from .core import Generalist, us_federal_minimum_wage

__all__ = ["minimum_wage_table", "statutory_minimum_wage"]


@cache
def _table() -> pd.DataFrame:
    with (DATA / "statutory_minimum_wages.csv").open("r", encoding="utf-8") as fh:
        t = pd.read_csv(fh, parse_dates=["start_date", "end_date"])
    return t.sort_values(["iso3", "start_date"]).reset_index(drop=True)


def minimum_wage_table() -> pd.DataFrame:
    """The shipped statutory minimum wages other than the U.S. federal rate.

    Returns
    -------
    DataFrame
        ``iso3``, ``start_date``, ``end_date`` (first and last day of the period carecost
        uses), ``hourly_rate`` (local currency per hour, gross), ``currency``, ``basis``,
        ``source`` (the legal instrument) and ``notes``.
    """
    return _table().copy()


def statutory_minimum_wage(iso3: str, year: int) -> Generalist | None:
    """The hourly statutory minimum wage of a calendar year, or None where carecost has none.

    Parameters
    ----------
    iso3 : str
        ISO3 code (upper case).
    year : int
        Calendar year.

    Returns
    -------
    Generalist or None
        The day-weighted average rate of the year (local currency per hour, gross), with
        the instruments as its source; None when the shipped rates do not cover every day of
        the year (and for the United States in a year the federal rate changed).
    """
    y = int(year)
    if iso3 == "USA":
        try:
            return us_federal_minimum_wage(y)
        except ValuationError:
            return None
    t = _table()
    rows = t[t["iso3"] == iso3]
    if rows.empty:
        return None
    start, end = _dt.date(y, 1, 1), _dt.date(y, 12, 31)
    days = (end - start).days + 1
    total, covered, sources, currency = 0.0, 0, [], ""
    for _, r in rows.iterrows():
        a = max(start, r["start_date"].date())
        b = min(end, r["end_date"].date())
        if b < a:
            continue
        n = (b - a).days + 1
        total += n * float(r["hourly_rate"])
        covered += n
        sources.append(f"{float(r['hourly_rate']):g} {r['currency']} from "
                       f"{r['start_date'].date().isoformat()}: {r['source']}")
        currency = str(r["currency"])
    if covered != days:
        return None
    rate = total / days
    label = ("statutory minimum wage" if len(sources) == 1 else
             f"statutory minimum wage, {y} average of the rates in force (days weighted)")
    return Generalist(rate, currency, y, "gross", label, "; ".join(sources),
                      valuation_basis="gross")
