"""Scenario inputs from the country database (``meta.country = "ISO3"``).

:func:`country_inputs` fills every ``[macro]`` and ``[fiscal]`` key a scenario does not set,
the population by single year of age and the input–output table, from
:mod:`carecost.countries`, each with its source, the year of the observation used and a flag
(``observed``, ``interpolated …``, ``carried forward …``, ``projected …``, ``derived …``,
``proxy …``, ``fallback …``).  The rules, per key, are stated in the field specification
(:mod:`carecost.investment.fields`, ``docs/scenario-reference.md``) and in
``docs/methods.md`` §4.6; the constants of this module are the only place they are coded.

Money.  The scenario's money is local currency at the prices of the **price year**: the base
year when the World Bank WDI has GDP in local currency and in US$ for it, else the last year it
has (later base years are projected and flagged).  The input–output table (US$ million at 2019
prices, :func:`carecost.countries.io_table`) is converted at the price year's market exchange
rate ``GDP_LCU / GDP_USD`` (WDI), and its employment coefficients are rescaled so that the
table's workers per US$ of value added equal the country's employed persons per US$ of GDP
(:func:`io_conversion`).

References
----------
De Henau, J. (2022). *Costs and benefits of investing in transformative care policy packages:
A macrosimulation study in 82 countries*. ILO Working Paper 55 (average effective tax rate on
new income approximated by general-government revenue as a share of GDP).
ILO (2022). *Care Policy Investment Simulator*, https://www.ilo.org/globalcare.
World Bank (2024). *World Development Indicators*: NY.GDP.MKTP.CN, NY.GDP.MKTP.CD, PA.NUS.PPP.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from carecost import countries
from carecost.errors import CarecostWarning

from ._validate import InvestmentInputError
from .fields import field as field_spec

__all__ = [
    "AGES_WORKING",
    "CARE_SECTOR",
    "COMPARISON_SECTOR",
    "IMPUTABLE",
    "CountryDataWarning",
    "CountryInputs",
    "CountryValue",
    "IOConversion",
    "WageImputation",
    "country_inputs",
    "database_options",
    "io_conversion",
    "is_database_country",
    "price_year",
    "unknown_country",
    "wage_imputation",
]

#: working ages (UN WPP single ages, both ends included)
AGES_WORKING = (15, 64)
#: WIOD industry of the care services (Health and social work, NACE N) and of the comparison
CARE_SECTOR = "c33"
COMPARISON_SECTOR = "c18"
#: ILOSTAT's average monthly earnings are in constant 2021 PPP dollars
EARNINGS_PPP_YEAR = 2021
DB = "carecost.countries database"


class CountryDataWarning(CarecostWarning):
    """A country input from the database that needs the reader's attention (a fallback
    input–output table, a projected GDP, a proxy that other inputs may double count)."""


@dataclass(frozen=True)
class CountryValue:
    """One input filled from the country database.

    Attributes
    ----------
    value : float
    unit : str
    source : str
        Citation of the source series (and the rule when the value is derived).
    year : int or None
        Year of the source observation used.
    flag : str
        How the value was obtained (``observed``, ``interpolated between …``, ``carried
        forward from …``, ``projected …``, ``derived …``, ``proxy …``, ``fallback …``).
    """

    value: float
    unit: str
    source: str
    year: int | None
    flag: str


@dataclass(frozen=True)
class IOConversion:
    """How a database input–output table is put into the scenario's money.

    Attributes
    ----------
    table : str
        ISO3 code whose table is used (the scenario's country unless ``io.dataset`` names
        another).
    economy : str
        WIOD economy of the table (the code, or ``"RoW"`` for the rest-of-world fallback).
    flag : str
        ``"observed"`` or ``"fallback"``.
    price_year : int
        Year whose prices the scenario's money is at.
    lcu_per_usd : float
        Market exchange rate of the price year, local currency per US$ (WDI GDP in local
        currency / GDP in US$, same year).
    source : str
        Citation of the table and of the exchange rate.
    """

    table: str
    economy: str
    flag: str
    price_year: int
    lcu_per_usd: float
    source: str


@dataclass(frozen=True)
class CountryInputs:
    """Everything :func:`country_inputs` fills for a scenario.

    Attributes
    ----------
    iso3, name : str
    macro, fiscal : dict of str to CountryValue
        Values for the keys the scenario does not set.
    population : DataFrame or None
        ``year, age, population`` (both sexes, persons on 1 July) for base to end year, None
        when the scenario gives its own population file.
    io : IOConversion or None
        None when the scenario sets ``io.dataset = "example"``.
    price_year : int
        Year whose prices the money values are at.
    warnings : tuple of str
    """

    iso3: str
    name: str
    macro: dict[str, CountryValue]
    fiscal: dict[str, CountryValue]
    population: pd.DataFrame | None
    io: IOConversion | None
    price_year: int
    warnings: tuple[str, ...] = field(default=())


# ---------------------------------------------------------------------------- fast lookups
# The country database's accessors (:mod:`carecost.countries`) filter the whole shipped tables
# on every call (tens of milliseconds each, with Arrow-backed strings), which made the
# all-countries run (:func:`carecost.investment.world.simulate_many`) spend most of its time
# there.  The helpers below index the same tables once per process and return exactly what
# the accessors return (tests/test_investment_world_speed.py compares them for every country);
# anything they do not find is passed to the accessor itself, so errors and messages are the
# database's own.


@functools.cache
def db_available() -> pd.DataFrame:
    """:func:`carecost.countries.available`, computed once per process (do not modify it)."""
    return countries.available()


@functools.cache
def _codes() -> frozenset[str]:
    return frozenset(str(c) for c in db_available()["iso3"])


@functools.cache
def _country_row() -> pd.DataFrame:
    return db_available().set_index("iso3")


_SERIES = ["iso3", "indicator", "sex", "category"]


@functools.cache
def _indicator_rows() -> pd.DataFrame:
    """The shipped indicator table sorted by series ``(iso3, indicator, sex, category)``,
    keeping the shipped order of the rows of each series (a stable sort, as the database's own
    index, whose ``loc`` the accessors use)."""
    return countries.table("indicators").sort_values(_SERIES, kind="stable")


@functools.cache
def _series_slices() -> dict[tuple[str, str, str, str], tuple[int, int]]:
    """Positions ``(start, stop)`` of each series ``(iso3, indicator, sex, category)`` in
    :func:`_indicator_rows`."""
    idx = _indicator_rows()
    n = len(idx)
    if n == 0:
        return {}
    levels = [idx[c].to_numpy(dtype=object) for c in _SERIES]
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for lv in levels:
        change[1:] |= lv[1:] != lv[:-1]
    starts = np.flatnonzero(change)
    stops = np.append(starts[1:], n)
    return {(str(levels[0][a]), str(levels[1][a]), str(levels[2][a]), str(levels[3][a])):
            (int(a), int(b)) for a, b in zip(starts, stops, strict=True)}


@functools.cache
def _series_columns() -> dict[str, np.ndarray]:
    """The columns of :func:`_indicator_rows` as NumPy arrays (strings as Python objects)."""
    idx = _indicator_rows()
    return {"year": idx["year"].to_numpy(), "value": idx["value"].to_numpy(dtype=float),
            **{c: idx[c].to_numpy(dtype=object) for c in ("unit", "source", "flag", "note")}}


def _series_rows(key: tuple[str, str, str, str]) -> dict[str, np.ndarray] | None:
    """The columns of one series, in the rows and order ``idx.loc[[key]]`` gives, or None."""
    pos = _series_slices().get(key)
    if pos is None:
        return None
    a, b = pos
    return {c: v[a:b] for c, v in _series_columns().items()}


def _series_key(iso3: str, name: str, sex: str | None,
                category: str | None) -> tuple[str, str, str, str] | None:
    """The series :func:`carecost.countries.indicator` looks up, or None when the accessor
    itself must decide (a code that is not an exact ISO3 code of the database, an input that
    is not an indicator)."""
    if iso3 not in _codes():
        return None
    ind, sx, cat = name, sex, category
    if name in countries.INPUTS:
        spec = countries.INPUTS[name]
        if not spec.indicator:
            return None
        ind = spec.indicator
        if sx is None and cat is None:
            sx = spec.sex
            slices = _series_slices()
            cat = next((c for c in spec.categories if (iso3, ind, sx, c) in slices),
                       spec.categories[0] if spec.categories else "")
    return (iso3, ind, "total" if sx is None else sx, "" if cat is None else cat)


def _picked(rows: Mapping[str, np.ndarray], year: int) -> dict[str, Any]:
    """:func:`carecost.countries.indicator`'s value for ``year`` from one series' columns
    (:func:`carecost.countries.value_for_year`, with the series' unit and source)."""
    picked = countries.value_for_year(rows["year"].astype(int), rows["value"], rows["flag"],
                                      rows["note"], year)
    return {"value": picked.pop("value"), "unit": str(rows["unit"][0]),
            "source": str(rows["source"][0]), **picked}


def db_indicator(iso3: str, name: str, year: int, *, sex: str | None = None,
                 category: str | None = None) -> dict[str, Any]:
    """:func:`carecost.countries.indicator`, from an index built once per process.

    Same arguments, result and errors (a series the database lacks, or a code that is not an
    exact upper-case ISO3 code of the database, is passed to
    :func:`carecost.countries.indicator`, which raises or resolves it).
    """
    key = _series_key(iso3, name, sex, category)
    rows = None if key is None else _series_rows(key)
    if rows is None:
        return countries.indicator(iso3, name, year, sex=sex, category=category)
    return _picked(rows, int(year))


@functools.cache
def _population_slices() -> dict[str, tuple[int, int]]:
    """Positions ``(start, stop)`` of each country's rows in the shipped population table
    (empty when its rows are not contiguous: the accessor is then used)."""
    pop = countries.table("population")
    codes, uniques = pd.factorize(pop["iso3"])
    if len(codes) == 0 or np.any(np.diff(codes) < 0) or np.any(codes < 0):
        return {}
    starts = np.flatnonzero(np.r_[True, np.diff(codes) != 0])
    stops = np.append(starts[1:], len(codes))
    return {str(uniques[codes[a]]): (int(a), int(b))
            for a, b in zip(starts, stops, strict=True)}


def db_population(iso3: str, years: list[int], *, variant: str | None = None) -> pd.DataFrame:
    """:func:`carecost.countries.population` for a list of years, from per-country slices of
    the shipped table found once per process (same result; anything unusual is passed to
    :func:`carecost.countries.population`).

    ``variant`` (``"medium"``, ``"low"``, ``"high"``; default the one set by
    :func:`database_options`, else ``"medium"``) is the WPP 2019 projection variant; the low
    and high variants come from :func:`carecost.countries.population` itself.
    """
    var = _OPTIONS.get().population_variant if variant is None else variant
    if var != "medium":
        return countries.population(iso3, years, variant=var)
    pos = _population_slices().get(iso3)
    lo, hi = countries.POPULATION_YEARS
    if pos is None or not years or min(years) < lo or max(years) > hi:
        return countries.population(iso3, years)
    rows = countries.table("population").iloc[pos[0]:pos[1]]
    rows = rows[rows["year"].isin(sorted({int(y) for y in years}))]
    out = rows[["year", "age", "sex", "population", "variant"]].astype(
        {"year": "int64", "age": "int64", "population": "int64"})
    return out.reset_index(drop=True)


# ------------------------------------------------------------- variants and imputation
#: Inputs that :func:`country_inputs` can impute when asked (:func:`database_options`).
IMPUTABLE = ("average_wage",)
#: UN WPP 2019 projection variants of :func:`carecost.countries.population`.
POPULATION_VARIANTS = ("medium", "low", "high")
#: Fewest donor countries of a region x income group (else the region, else the world).
MIN_DONORS = 3


@dataclass(frozen=True)
class _Options:
    population_variant: str = "medium"
    impute: frozenset[str] = frozenset()


_OPTIONS: contextvars.ContextVar[_Options] = contextvars.ContextVar(
    "carecost_investment_database_options", default=_Options())  # noqa: B039 (frozen)


@contextlib.contextmanager
def database_options(*, population_variant: str = "medium",
                     impute: Iterable[str] = ()) -> Iterator[None]:
    """Options of :func:`country_inputs` for the scenarios loaded inside the ``with`` block.

    Parameters
    ----------
    population_variant : {"medium", "low", "high"}, default "medium"
        UN WPP 2019 projection variant of the population (years after 2020; the low and high
        variants have total fertility half a child below / above the medium one).
    impute : iterable of str, default ()
        Inputs of :data:`IMPUTABLE` to impute when the database lacks them (flagged
        ``imputed: …`` in the scenario's sources); see :func:`wage_imputation`.

    Raises
    ------
    InvestmentInputError
        An unknown variant or input.
    """
    if population_variant not in POPULATION_VARIANTS:
        raise InvestmentInputError(
            f"population_variant = {population_variant!r}; allowed "
            + ", ".join(map(repr, POPULATION_VARIANTS)))
    names = frozenset(str(x) for x in impute)
    bad = sorted(names - set(IMPUTABLE))
    if bad:
        raise InvestmentInputError(f"impute = {bad}; allowed {list(IMPUTABLE)}")
    token = _OPTIONS.set(_Options(population_variant, names))
    try:
        yield
    finally:
        _OPTIONS.reset(token)


@dataclass(frozen=True)
class WageImputation:
    """How ``macro.average_wage`` is imputed for one country (:func:`wage_imputation`).

    Attributes
    ----------
    ratio : float
        Median over the donors of (average annual wage / GDP per capita), both in local
        currency at the donor's price year.
    q25, q75 : float
        Interquartile range of the donors' ratios (the Monte Carlo range).
    group : str
        Donor group: ``"region x income group: …"``, ``"region: …"`` or ``"world"``.
    donors : tuple of str
        ISO3 codes of the donors.
    gdp_per_capita : float
        The country's GDP per capita, local currency at its price year (WDI GDP / WPP
        population of that year, medium variant).
    price_year : int
    women_relative, men_relative : float
        Median over the same donors (those with earnings by sex; all donors of the world
        when none of the group has them) of women's (men's) mean earnings over those of all
        employees, imputed with the average wage (leave and breastfeeding breaks need them).
    """

    ratio: float
    q25: float
    q75: float
    group: str
    donors: tuple[str, ...]
    gdp_per_capita: float
    price_year: int
    women_relative: float = math.nan
    men_relative: float = math.nan

    @property
    def value(self) -> float:
        """The imputed average wage: ``ratio x gdp_per_capita`` (local currency a year)."""
        return self.ratio * self.gdp_per_capita


def _gdp_per_capita(code: str, pyear: int) -> float | None:
    lo, hi = countries.POPULATION_YEARS
    if not bool(_country_row().at[code, "population"]) or not lo <= pyear <= hi:
        return None
    gdp = _get(code, "gdp_lcu", pyear)
    if gdp is None:
        return None
    pop = float(db_population(code, [pyear], variant="medium")["population"].sum())
    return float(gdp["value"]) / pop if pop > 0 else None


def _observed_wage(code: str, base_year: int, pyear: int) -> tuple[dict[str, Any],
                                                                   dict[str, Any]] | None:
    earn = _get(code, "average_earnings", base_year)
    ppp = _get(code, "ppp_conversion_factor", pyear)
    return None if earn is None or ppp is None else (earn, ppp)


@functools.cache
def _wage_ratios(base_year: int) -> pd.DataFrame:
    """``iso3, region, income_group, ratio`` of every country with an average wage (ILOSTAT
    x 12 x PPP factor), a GDP and a population: average annual wage / GDP per capita."""
    rows = []
    for _, c in _country_row().iterrows():
        code = str(c.name)
        pyear = price_year(code, base_year)
        if pyear is None:
            continue
        got = _observed_wage(code, base_year, pyear)
        gdppc = _gdp_per_capita(code, pyear)
        if got is None or gdppc is None or gdppc <= 0:
            continue
        earn, ppp = got
        wage = float(earn["value"]) * 12.0 * float(ppp["value"])
        rel = {sex: _earnings_ratio(code, base_year, sex) for sex in ("female", "male")}
        rows.append({"iso3": code, "region": str(c["region"]),
                     "income_group": "" if pd.isna(c["income_group"]) else str(
                         c["income_group"]), "ratio": wage / gdppc,
                     **{f"{k}_rel": (math.nan if v is None else v.value)
                        for k, v in (("women", rel["female"]), ("men", rel["male"]))}})
    return pd.DataFrame(rows, columns=["iso3", "region", "income_group", "ratio",
                                       "women_rel", "men_rel"])


def wage_imputation(iso3: str, base_year: int) -> WageImputation | None:
    """The imputation of ``macro.average_wage`` for a country (None when it cannot be made).

    Average wage = GDP per capita x the median ratio (average annual wage / GDP per capita)
    of the donor countries: those with an average wage in the database (ILOSTAT mean monthly
    earnings x 12 x PPP factor, the rule of :func:`country_inputs`) in the same UN M49 region
    and World Bank income group (``carecost.countries.table("countries")`` columns
    ``region`` and ``income_group``) when there are at least :data:`MIN_DONORS` (and the
    country has an income group), else the same region, else the world.  None when the
    country has no GDP in local currency for its price year or no population (it is then
    not costed either way).
    """
    code = str(db_io_table(iso3).iso3)
    pyear = price_year(code, base_year)
    if pyear is None:
        return None
    gdppc = _gdp_per_capita(code, pyear)
    if gdppc is None:
        return None
    donors = _wage_ratios(base_year)
    donors = donors[donors["iso3"] != code]
    region = str(_country_row().at[code, "region"])
    income_raw: Any = _country_row().at[code, "income_group"]
    income = "" if income_raw is None or pd.isna(income_raw) else str(income_raw)
    same = donors[(donors["region"] == region) & (donors["income_group"] == income)]
    if income and len(same) >= MIN_DONORS:
        pick, group = same, f"region x income group: {region} x {income}"
    elif (donors["region"] == region).sum() >= MIN_DONORS:
        pick, group = donors[donors["region"] == region], f"region: {region}"
    elif len(donors) >= MIN_DONORS:
        pick, group = donors, "world"
    else:
        return None
    r = pick["ratio"].to_numpy(dtype=float)
    rel = {}
    for col in ("women_rel", "men_rel"):
        vals = pick[col].dropna()
        rel[col] = float(vals.median() if len(vals) else donors[col].median())
    return WageImputation(ratio=float(np.median(r)), q25=float(np.quantile(r, 0.25)),
                          q75=float(np.quantile(r, 0.75)), group=group,
                          donors=tuple(str(x) for x in pick["iso3"]), gdp_per_capita=gdppc,
                          price_year=pyear, women_relative=rel["women_rel"],
                          men_relative=rel["men_rel"])


@functools.cache
def _own_tables() -> frozenset[str]:
    """ISO3 codes with their own WIOD table (the others get the rest-of-world table)."""
    return frozenset(str(c) for c in countries.table("io_industries")["iso3"].dropna().unique())


@functools.cache
def _fallback_table(iso3: str) -> countries.CountryIOTable:
    return countries.io_table(iso3)


@functools.cache
def db_io_table(iso3: str) -> countries.CountryIOTable:
    """:func:`carecost.countries.io_table`, once per process and table (do not modify the
    frames of the table returned).

    Every country without its own WIOD table gets the same rest-of-world table, which differs
    between countries only in ``iso3`` and in the note naming the country: it is read once
    and relabelled.
    """
    if iso3 not in _codes() or iso3 in _own_tables():
        return countries.io_table(iso3)
    first = min(c for c in _codes() if c not in _own_tables())
    base = _fallback_table(first)
    lead = f"{first} has no WIOD table:"
    if base.flag != "fallback" or not any(n.startswith(lead) for n in base.notes):
        return countries.io_table(iso3)  # a layout this shortcut does not know
    notes = tuple(iso3 + n[len(first):] if n.startswith(lead) else n for n in base.notes)
    return dataclasses.replace(base, iso3=iso3, notes=notes)


def warm() -> None:
    """Build the per-process indexes now (before forking workers, which then share them)."""
    db_available()
    _codes()
    _country_row()
    _series_slices()
    _series_columns()
    _population_slices()
    _own_tables()


def is_database_country(country: str) -> bool:
    """Whether ``country`` is an ISO3 code of :func:`carecost.countries.available` (any
    case)."""
    return isinstance(country, str) and country.strip().upper() in _codes()


def unknown_country(country: str) -> str:
    """The country database's message for a code it does not know (with the closest codes
    and names)."""
    try:
        db_io_table(country)
    except countries.CountryDataError as err:
        return str(err)
    return f"{country!r} is a country of the database"


def _get(iso3: str, name: str, year: int, *, sex: str | None = None,
         category: str | None = None) -> dict[str, Any] | None:
    key = _series_key(iso3, name, sex, category)
    if key is not None:  # the database has the series or raises CountryDataError
        rows = _series_rows(key)
        return None if rows is None else _picked(rows, int(year))
    try:
        return countries.indicator(iso3, name, year, sex=sex, category=category)
    except countries.CountryDataError:
        return None


def _observed_years(iso3: str, name: str) -> list[int]:
    rows = _series_rows((iso3, name, "total", "")) if iso3 in _codes() else None
    if rows is None:
        return [int(y) for y in countries.series(iso3, name)["year"]]
    return sorted(int(y) for y in rows["year"])


def price_year(iso3: str, base_year: int) -> int | None:
    """The year whose prices the scenario's money is at (see the module docstring).

    The base year when WDI has GDP in local currency and in US$ for a year on or before and a
    year on or after it; the last year with both when the base year is later; None when the
    base year is before the first such year.
    """
    both = sorted(set(_observed_years(iso3, "gdp_lcu")) & set(_observed_years(iso3, "gdp_usd")))
    if not both or base_year < both[0]:
        return None
    return base_year if base_year <= both[-1] else both[-1]


def _flag(picked: Mapping[str, Any]) -> str:
    return str(picked["flag"])


def io_conversion(iso3: str, table: str, year: int) -> IOConversion:
    """The input–output table of ``table`` in the money of a scenario for ``iso3``.

    Parameters
    ----------
    iso3 : str
        The scenario's country (its exchange rate is used).
    table : str
        ISO3 code whose table is used (usually ``iso3``).
    year : int
        Price year (see :func:`price_year`).

    Returns
    -------
    IOConversion
        ``lcu_per_usd = GDP_LCU(year) / GDP_USD(year)`` (World Bank WDI NY.GDP.MKTP.CN /
        NY.GDP.MKTP.CD).  A money unit of the table (US$ million at 2019 prices) is taken as
        ``1e6 * lcu_per_usd`` local currency at the price year's prices; the US$ price change
        between 2019 and the price year is not removed from the table's money values, but the
        employment coefficients are rescaled to the country's employed persons per US$ of GDP
        of the scenario (:func:`carecost.investment.model.country_io_model`), so the jobs per
        unit of spending follow the country's own labour productivity of the price year.
    """
    lcu = db_indicator(iso3, "gdp_lcu", year)
    usd = db_indicator(iso3, "gdp_usd", year)
    io = db_io_table(table)
    rate = float(lcu["value"]) / float(usd["value"])
    src = (f"{io.source}; economy {io.economy} ({io.flag}); converted at {rate:.6g} local "
           f"currency per US$ ({year} market rate: World Bank WDI NY.GDP.MKTP.CN / "
           f"NY.GDP.MKTP.CD, {lcu['flag']})")
    return IOConversion(table=io.iso3, economy=io.economy, flag=io.flag, price_year=year,
                        lcu_per_usd=rate, source=src)


@dataclass
class _Missing:
    items: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, key: str, what: str, source: str) -> None:
        self.items.append((key, what, source))


def _working_age(pop: pd.DataFrame, year: int, sex: str) -> float:
    """Persons aged 15-64 of ``sex`` in ``year`` (an exact integer sum)."""
    lo, hi = AGES_WORKING
    years = pop["year"].to_numpy()
    ages = pop["age"].to_numpy()
    sel = (years == year) & (ages >= lo) & (ages <= hi)
    sexes = pop["sex"].to_numpy(dtype=object)[sel]
    return float(pop["population"].to_numpy()[sel][sexes == sex].sum())


def _population_flag(years: list[int]) -> str:
    last = 2020  # last year of the WPP 2019 estimates
    if max(years) <= last:
        return "observed"
    if min(years) > last:
        return "projected (WPP 2019 medium variant)"
    return f"observed to {last}, projected after (WPP 2019 medium variant)"


def country_inputs(
    country: str,
    base_year: int,
    end_year: int,
    macro_given: Mapping[str, Any],
    fiscal_given: Mapping[str, Any],
    *,
    population_given: bool,
    io_dataset: str | None,
    earnings_by_sex: bool = False,
) -> CountryInputs:
    """Fill a scenario's country inputs from the country database.

    Parameters
    ----------
    country : str
        ISO3 code of :func:`carecost.countries.available` (any case).
    base_year, end_year : int
        Years of the scenario.
    macro_given, fiscal_given : mapping
        The scenario's own ``[macro]`` and ``[fiscal]`` tables: their keys are not filled
        (they override the database) but their values are used by the rules that need them
        (e.g. a given ``gdp_growth`` projects a GDP after the last observation).
    population_given : bool
        Whether the scenario gives ``population.file`` (then no population is read).
    io_dataset : str or None
        The scenario's ``io.dataset`` (None: the country's own table).
    earnings_by_sex : bool, default False
        Also fill ``macro.women_earnings_relative_to_average`` and
        ``macro.men_earnings_relative_to_average`` (needed by ``[[leave]]`` and
        ``[breastfeeding]``): ILOSTAT mean monthly earnings of female (male) employees over
        those of all employees, the same series and year as ``macro.average_wage``.  A
        country without them is not an error here: the loader names the key when an
        entitlement needs it.

    Returns
    -------
    CountryInputs

    Raises
    ------
    InvestmentInputError
        An unknown code (with the closest codes and names), or one message naming every input
        the database lacks for the scenario, with its usual source and the scenario key to set.
    """
    try:
        code = str(db_io_table(country).iso3)
    except countries.CountryDataError as err:
        raise InvestmentInputError(f"meta.country = {country!r}: {err}") from None
    name = str(_country_row().at[code, "name"])
    spec = countries.INPUTS
    missing = _Missing()
    notes: list[str] = []
    macro: dict[str, CountryValue] = {}
    fiscal: dict[str, CountryValue] = {}
    pyear = price_year(code, base_year)
    if pyear is None:
        missing.add("macro.gdp and meta.currency", "GDP in local currency and in US$ for the "
                    f"base year {base_year} or earlier (also the exchange rate for the "
                    "input–output table)", spec["gdp"].source + " and " + spec["gdp_usd"].source)
    # ---- population (WPP 2019, both sexes)
    lo_y, hi_y = countries.POPULATION_YEARS
    years = list(range(base_year, end_year + 1))
    pop_sex: pd.DataFrame | None = None
    variant = _OPTIONS.get().population_variant
    if base_year < lo_y or end_year > hi_y:
        if not (population_given and "working_age_women" in macro_given
                and "working_age_men" in macro_given and "gdp_growth" in macro_given):
            missing.add("population.file", f"population by single year of age for "
                        f"{base_year}-{end_year} (the database has {lo_y}-{hi_y})",
                        spec["population"].source)
    elif not bool(_country_row().at[code, "population"]):
        missing.add("population.file", "population by single year of age",
                    spec["population"].source)
    else:
        pop_sex = db_population(code, years)
    population = None
    if pop_sex is not None and not population_given:
        population = (pop_sex.groupby(["year", "age"])["population"].sum().astype(float)
                      .reset_index())
    pop_flag = _population_flag(years)
    if variant != "medium":
        pop_flag = pop_flag.replace("medium variant", f"{variant} variant")
    wpp = countries.INPUTS["population"].source
    # ---- working-age population and the growth rule
    for key, sex in (("working_age_women", "female"), ("working_age_men", "male")):
        if key in macro_given:
            continue
        if pop_sex is None:
            missing.add(f"macro.{key}", f"{sex} population aged 15-64", wpp)
            continue
        macro[key] = CountryValue(_working_age(pop_sex, base_year, sex),
                                  "persons aged 15-64 (1 July)", wpp, base_year,
                                  _population_flag([base_year]).replace(
                                      "medium variant", f"{variant} variant"))
    if "gdp_growth" not in macro_given:
        if pop_sex is None or end_year == base_year:
            missing.add("macro.gdp_growth", "real GDP growth per year",
                        "IMF World Economic Outlook (NGDP_RPCH) or national projections")
        else:
            wa0 = _working_age(pop_sex, base_year, "female") + _working_age(pop_sex, base_year,
                                                                            "male")
            wa1 = _working_age(pop_sex, end_year, "female") + _working_age(pop_sex, end_year,
                                                                           "male")
            g = (wa1 / wa0) ** (1.0 / (end_year - base_year)) - 1.0
            macro["gdp_growth"] = CountryValue(
                g, "share per year (real)",
                f"{wpp}: average growth of the population aged 15-64 (both sexes) "
                f"{base_year}-{end_year}", end_year,
                f"proxy: GDP grows with the working-age population (no productivity growth; "
                f"{pop_flag}); set macro.gdp_growth from IMF WEO projections")
    if "real_wage_growth" not in macro_given:
        macro["real_wage_growth"] = CountryValue(
            0.0, "share per year (real)", "carecost rule (no productivity growth)", None,
            "fallback: 0, paired with the gdp_growth rule so that the wage share of GDP stays "
            "constant; set macro.real_wage_growth with macro.gdp_growth")
    growth = field_spec("macro", "gdp_growth").check(macro_given["gdp_growth"],
                                                     "macro.gdp_growth") \
        if "gdp_growth" in macro_given else (
        macro["gdp_growth"].value if "gdp_growth" in macro else math.nan)
    # ---- GDP
    if "gdp" not in macro_given and pyear is not None:
        got = db_indicator(code, "gdp_lcu", pyear)
        if pyear == base_year:
            macro["gdp"] = CountryValue(float(got["value"]), "local currency per year "
                                        f"(current prices of {pyear})", str(got["source"]),
                                        int(got["year"]), _flag(got))
        elif math.isfinite(growth):
            value = float(got["value"]) * (1.0 + growth) ** (base_year - pyear)
            macro["gdp"] = CountryValue(
                value, f"local currency per year (prices of {pyear})", str(got["source"]),
                int(got["year"]),
                f"projected from {pyear} to {base_year} with gdp_growth = {growth:.4g} "
                f"(at {pyear} prices)")
        else:
            missing.add("macro.gdp", f"GDP in {base_year}", spec["gdp"].source)
    if pyear is not None and pyear != base_year:
        notes.append(
            f"{code}: the World Bank WDI has GDP only to {pyear}, before the base year "
            f"{base_year}; money values are at {pyear} prices (local currency) and the base-"
            f"year GDP is projected from {pyear} with gdp_growth")
    # ---- average wage (ILOSTAT 2021 PPP$ per month x 12 x PPP factor of the price year)
    imputed: WageImputation | None = None
    if "average_wage" not in macro_given:
        earn = _get(code, "average_earnings", base_year)
        ppp = _get(code, "ppp_conversion_factor", pyear) if pyear is not None else None
        imputed = (wage_imputation(code, base_year)
                   if (earn is None or ppp is None) and pyear is not None
                   and "average_wage" in _OPTIONS.get().impute else None)
        if imputed is not None:
            macro["average_wage"] = CountryValue(
                imputed.value, f"local currency per employee per year (prices of "
                f"{imputed.price_year})",
                f"carecost imputation: {spec['gdp'].source} / {wpp} (GDP per capita) x the "
                f"median ratio average wage / GDP per capita of {len(imputed.donors)} donors "
                f"({imputed.group}; {spec['average_earnings'].source})", imputed.price_year,
                f"imputed: GDP per capita {imputed.gdp_per_capita:.6g} x median ratio "
                f"{imputed.ratio:.4g} (interquartile range {imputed.q25:.4g}-"
                f"{imputed.q75:.4g}) of {len(imputed.donors)} donors, {imputed.group} "
                f"({', '.join(imputed.donors)}); no earnings data for the country")
        elif earn is None or ppp is None:
            missing.add("macro.average_wage", "average monthly earnings of employees (and the "
                        "PPP conversion factor)", spec["average_earnings"].source + "; "
                        + spec["ppp_conversion_factor"].source)
        else:
            value = float(earn["value"]) * 12.0 * float(ppp["value"])
            macro["average_wage"] = CountryValue(
                value, f"local currency per employee per year (prices of {pyear})",
                f"{earn['source']} x 12 x {ppp['source']} ({pyear}, {ppp['flag']})",
                int(earn["year"]),
                f"derived: {float(earn['value']):.6g} 2021 PPP$ per month x 12 x "
                f"{float(ppp['value']):.6g} local currency per PPP$ ({pyear}); earnings "
                f"{_flag(earn)}; employees' mean monthly earnings, not per FTE")
    # ---- earnings by sex relative to all employees (leave and breastfeeding breaks)
    if earnings_by_sex:
        for key, sex in (("women_earnings_relative_to_average", "female"),
                         ("men_earnings_relative_to_average", "male")):
            if key in macro_given:
                continue
            ratio = _earnings_ratio(code, base_year, sex)
            if ratio is not None:
                macro[key] = ratio
            elif imputed is not None:
                v = imputed.women_relative if sex == "female" else imputed.men_relative
                if math.isfinite(v):
                    macro[key] = CountryValue(
                        v, "multiple of the average wage",
                        f"carecost imputation: {spec['average_earnings'].source} ({sex} / "
                        "total) of the donors of macro.average_wage", None,
                        f"imputed: median {sex} / all employees' earnings of the donors of "
                        f"macro.average_wage ({imputed.group}); no earnings data for the "
                        "country")
    # ---- employed persons: ILOSTAT thousands times 1000
    for key, sex in (("employed_women", "female"), ("employed_men", "male")):
        if key in macro_given:
            continue
        emp = _get(code, "employment", base_year, sex=sex, category="Total")
        if emp is None:
            missing.add(f"macro.{key}", f"employed {'women' if sex == 'female' else 'men'}",
                        spec["employment"].source)
            continue
        macro[key] = CountryValue(float(emp["value"]) * 1000.0, "persons employed",
                                  f"{emp['source']} (thousands x 1000)", int(emp["year"]),
                                  _flag(emp))
    # ---- fiscal: revenue share as the average effective tax rate on new income
    rev = _get(code, "gov_revenue", base_year)
    if "income_tax_rate" not in fiscal_given:
        if rev is None:
            missing.add("fiscal.income_tax_rate", "general government revenue, % of GDP "
                        "(proxy of the average effective tax rate)", spec["gov_revenue"].source)
        else:
            fiscal["income_tax_rate"] = CountryValue(
                float(rev["value"]) / 100.0, "share of gross earnings",
                f"{rev['source']} / 100", int(rev["year"]),
                f"proxy: general government revenue as a share of GDP, taken as the average "
                f"effective tax rate on new income (De Henau 2022; ILO 2022); source value "
                f"{_flag(rev)}")
            given = [k for k in ("employee_contribution_rate", "employer_contribution_rate",
                                 "indirect_tax_rate") if k in fiscal_given]
            if given:
                notes.append(
                    f"fiscal.income_tax_rate is the revenue proxy (all taxes and social "
                    f"contributions as a share of GDP) while fiscal.{', fiscal.'.join(given)} "
                    "is set in the scenario: the returns count those taxes twice; set "
                    "fiscal.income_tax_rate to the income tax alone")
    table_code = code if io_dataset is None else io_dataset
    io: IOConversion | None = None
    if table_code != "example":
        if pyear is not None:
            io = io_conversion(code, table_code, pyear)
            notes.append(
                "the country database has no women's share of jobs by industry: women's "
                "indirect, induced and capital jobs (and so jobs_women, the employment-rate "
                "changes and the gender gap) are NaN, not guessed; to get them pass "
                "simulate(scn, country_io_model(scn).with_female_share(shares by industry))")
            if io.flag == "fallback":
                notes.append(
                    f"{code} ({name}) has no WIOD input–output table: indirect and induced "
                    "jobs use the rest-of-world structure of WIOD 2013 (the average of the "
                    "non-WIOD economies), rescaled to the country's jobs per unit of GDP; "
                    "use wider Monte Carlo ranges for them, or a national table "
                    "(io.dataset, or pass an IOModel to simulate())")
        if "propensity_to_consume" not in fiscal_given:
            rate = (field_spec("fiscal", "income_tax_rate").check(
                fiscal_given["income_tax_rate"], "fiscal.income_tax_rate")
                    if "income_tax_rate" in fiscal_given
                    else fiscal["income_tax_rate"].value if "income_tax_rate" in fiscal
                    else math.nan)
            if math.isfinite(rate):
                fiscal["propensity_to_consume"] = _propensity(table_code, rate)
    if "propensity_to_consume" not in fiscal_given and "propensity_to_consume" not in fiscal:
        missing.add("fiscal.propensity_to_consume", "share of disposable income spent on "
                    "domestic output", "national accounts (household final consumption of "
                    "domestic output / household disposable income)")
    if missing.items:
        listed = "; ".join(f"{key} ({what}; usual source: {src})"
                           for key, what, src in missing.items)
        raise InvestmentInputError(
            f"meta.country = {country!r} ({name}): the country database lacks "
            f"{len(missing.items)} input(s) for base year {base_year}: {listed}. Set each "
            "key in the scenario (see docs/scenario-reference.md)")
    assert pyear is not None
    return CountryInputs(iso3=code, name=name, macro=macro, fiscal=fiscal,
                         population=population, io=io, price_year=pyear,
                         warnings=tuple(notes))


def _earnings_ratio(code: str, year: int, sex: str) -> CountryValue | None:
    """Mean earnings of ``sex`` over those of all employees (ILOSTAT, same year), or None."""
    name = INPUT_EARNINGS
    total = _get(code, name, year, sex="total")
    own = _get(code, name, year, sex=sex)
    if total is None or own is None or float(total["value"]) <= 0:
        return None
    flag = (f"derived: {float(own['value']):.6g} / {float(total['value']):.6g} 2021 PPP$ per "
            f"month ({sex} / all employees; {own['year']}, {_flag(own)})")
    if own["year"] != total["year"]:
        flag += f"; all employees {total['year']} ({_flag(total)})"
    return CountryValue(float(own["value"]) / float(total["value"]),
                        "multiple of the average wage", f"{own['source']} ({sex} / total)",
                        int(own["year"]), flag)


#: ILOSTAT mean monthly earnings of employees (2021 PPP$), by sex
INPUT_EARNINGS = "earnings_monthly_ppp2021"


def _propensity(table: str, tax_rate: float) -> CountryValue:
    """Household consumption of domestic output over GDP net of the average tax rate."""
    io = db_io_table(table)
    va = float(io.output.sum() - io.flows.to_numpy().sum() - io.imported_inputs.sum())
    hc = float(io.household_consumption.clip(lower=0.0).sum())
    raw = hc / (va * (1.0 - tax_rate))
    value = float(np.clip(raw, 0.0, 1.0))
    capped = "" if value == raw else f"; {raw:.4g} capped at 1"
    return CountryValue(
        value, "share of disposable income spent on domestic output",
        f"{io.source}; economy {io.economy}: domestic household consumption / (value added x "
        f"(1 - fiscal.income_tax_rate))", io.base_year,
        f"proxy: {hc:,.0f} / ({va:,.0f} x (1 - {tax_rate:.4g})) US$ million, WIOD "
        f"{io.base_year} ({io.flag}), disposable income taken as GDP net of the average tax "
        f"rate{capped}")
