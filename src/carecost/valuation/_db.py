"""Fast, read-only access to the shipped country database for the valuation of many countries.

:func:`value_country` looks up a dozen series per country and :func:`value_world` does it for
every country and area, many times over.  The public :mod:`carecost.countries` functions filter
the whole table on each call (about 20 ms each), which makes a world valuation take minutes.
This module indexes two whole tables of the database once (:func:`carecost.countries.table`
``"indicators"`` and ``"population"``) and answers the same questions from dictionaries:

* :func:`series` returns exactly what :func:`carecost.countries.series` returns;
* :func:`indicator` returns the observation of the year where there is one (flag as shipped)
  and otherwise delegates to :func:`carecost.countries.indicator` (interpolation and carrying
  are done, and flagged, there only);
* :func:`population_by_sex` sums :func:`carecost.countries.population` over an age range.

Nothing here changes a value; codes are resolved by :mod:`carecost.countries` (unknown codes
raise :class:`carecost.countries.CountryDataError` with the closest matches).
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from carecost import countries as _countries

#: indicators the valuation reads (others are not indexed)
INDICATORS = ("hourly_earnings_lcu", "unpaid_domestic_care_hours", "unpaid_domestic_hours",
              "unpaid_care_hours", "gdp_lcu", "gdp_usd", "gdp_ppp")
_COLS = ["year", "value", "unit", "source", "flag", "note"]
Key = tuple[str, str, str, str]


def _read(name: str) -> pd.DataFrame:
    return _countries.table(name)


@cache
def _index() -> dict[Key, tuple[np.ndarray, np.ndarray, tuple[str, str, str], list[str],
                                list[str]]]:
    """(iso3, indicator, sex, category) -> (years, values, (unit, source, note0), flags, notes)."""
    ind = _read("indicators")
    ind = ind[ind["indicator"].isin(INDICATORS)]
    ind = ind.sort_values(["iso3", "indicator", "sex", "category", "year"], kind="stable")
    keys = list(zip(ind["iso3"].astype(str), ind["indicator"].astype(str),
                    ind["sex"].astype(str), ind["category"].astype(str), strict=True))
    years = ind["year"].to_numpy(dtype=int)
    values = ind["value"].to_numpy(dtype=float)
    units = ind["unit"].astype(str).tolist()
    sources = ind["source"].astype(str).tolist()
    flags = ind["flag"].astype(str).tolist()
    notes = ind["note"].astype(str).tolist()
    out: dict[Key, Any] = {}
    start = 0
    n = len(keys)
    for i in range(1, n + 1):
        if i == n or keys[i] != keys[start]:
            out[keys[start]] = (years[start:i], values[start:i],
                                (units[start], sources[start], notes[start]),
                                flags[start:i], notes[start:i])
            start = i
    return out


@cache
def names() -> dict[str, str]:
    """ISO3 -> name of every country and area of the database."""
    a = _countries.available()
    return dict(zip(a["iso3"].astype(str), a["name"].astype(str), strict=True))


@cache
def available() -> pd.DataFrame:
    """:func:`carecost.countries.available`, read once (do not modify the frame)."""
    return _countries.available()


def resolve(iso3: str) -> str:
    """The upper-case code of a known country (else :class:`CountryDataError`, via the API)."""
    code = iso3.strip().upper() if isinstance(iso3, str) else ""
    if code in names():
        return code
    _countries.series(iso3, "gdp_lcu")  # raises with the closest matches
    return code  # pragma: no cover - the call above raises for an unknown code


def has(iso3: str, name: str, sex: str = "total", category: str = "") -> bool:
    """True when the series exists for the country."""
    return (iso3, name, sex, category) in _index()


def series(iso3: str, name: str, *, sex: str = "total", category: str = "") -> pd.DataFrame:
    """As :func:`carecost.countries.series` (``iso3`` already resolved, upper case)."""
    hit = _index().get((iso3, name, sex, category))
    if hit is None:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "year" else
                                          "float64" if c == "value" else "object")
                             for c in _COLS})
    years, values, (unit, source, _), flags, notes = hit
    return pd.DataFrame({"year": years.astype("int64"), "value": values, "unit": unit,
                         "source": source, "flag": flags, "note": notes})


def values(iso3: str, name: str, *, sex: str = "total", category: str = "") -> dict[int, float]:
    """Year -> value of one series (empty when the country has none)."""
    hit = _index().get((iso3, name, sex, category))
    if hit is None:
        return {}
    return {int(y): float(v) for y, v in zip(hit[0], hit[1], strict=True)}


def indicator(iso3: str, name: str, year: int, *, sex: str = "total",
              category: str = "") -> dict[str, Any]:
    """As :func:`carecost.countries.indicator` for an indicator name (not an input name)."""
    hit = _index().get((iso3, name, sex, category))
    if hit is not None:
        years, vals, (unit, source, _), flags, notes = hit
        exact = np.flatnonzero(years == int(year))
        if exact.size:
            i = int(exact[0])
            return {"value": float(vals[i]), "unit": unit, "year": int(years[i]),
                    "source": source, "flag": flags[i], "note": notes[i]}
    return _countries.indicator(iso3, name, int(year), sex=sex, category=category)


@cache
def _population() -> dict[str, tuple[int, np.ndarray]]:
    """ISO3 -> (first year, array [year, sex (0 female, 1 male), age 0..100]) of persons."""
    pop = _read("population")
    pop = pop.sort_values(["iso3", "year", "sex", "age"], kind="stable")
    out: dict[str, tuple[int, np.ndarray]] = {}
    codes = pop["iso3"].astype(str).to_numpy()
    years = pop["year"].to_numpy(dtype=int)
    sexes = pop["sex"].astype(str).to_numpy()
    ages = pop["age"].to_numpy(dtype=int)
    persons = pop["population"].to_numpy(dtype=float)
    bounds = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1], True])
    for a, b in itertools.pairwise(bounds):
        y0, y1 = int(years[a:b].min()), int(years[a:b].max())
        arr = np.full((y1 - y0 + 1, 2, 101), np.nan)
        s = np.where(sexes[a:b] == "female", 0, 1)
        arr[years[a:b] - y0, s, ages[a:b]] = persons[a:b]
        out[str(codes[a])] = (y0, arr)
    return out


def has_population(iso3: str) -> bool:
    """True when WPP 2019 gives the country's population by single age."""
    return iso3 in _population()


def population_by_sex(iso3: str, year: int, lo: int = 0, hi: int | None = None
                      ) -> dict[str, float]:
    """Persons by sex aged ``lo`` to ``hi`` (None: 100 and over included), 1 July of ``year``.

    Raises
    ------
    CountryDataError
        As :func:`carecost.countries.population` (no age detail, year outside 2000-2060).
    """
    got = _population().get(iso3)
    y0 = got[0] if got else 0
    if got is None or not 0 <= int(year) - y0 < got[1].shape[0]:
        _countries.population(iso3, int(year))  # raises the database's own message
        raise _countries.CountryDataError(f"no population of {iso3} in {year}")  # pragma: no cover
    arr = got[1][int(year) - y0]
    top = 100 if hi is None else int(hi)
    sel = arr[:, int(lo): top + 1]
    return {"female": float(np.nansum(sel[0])), "male": float(np.nansum(sel[1]))}
