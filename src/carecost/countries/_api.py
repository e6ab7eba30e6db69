"""The country database: lookup, profiles, population and domestic input–output tables."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from ..errors import CarecostInputError
from . import _store

__all__ = [
    "INPUTS",
    "POPULATION_YEARS",
    "CountryDataError",
    "CountryIOTable",
    "InputSpec",
    "available",
    "indicator",
    "io_table",
    "population",
    "profile",
    "series",
]

#: first and last year of the shipped population (UN WPP 2019; > 2020 is the medium variant)
POPULATION_YEARS = (2000, 2060)
#: last year of the WPP 2019 estimates; later years are medium-variant projections
LAST_ESTIMATE_YEAR = 2020
WPP_SOURCE = ("UN DESA Population Division, World Population Prospects 2019 (CC BY 3.0 IGO), "
              "population by sex and single age; shared data wpp2019/population_single_age")
WIOD_SOURCE = ("WIOD 2013 release, world input-output table 2011 (Timmer et al. 2015), domestic "
               "block; workers from daedalus.data (Walker et al. 2020) mapped to WIOD industries; "
               "US$ moved 2011 -> 2019 with WDI GDP in current US$")


class CountryDataError(CarecostInputError):
    """A country code, year or input that the country database cannot provide.

    The message names what is missing, the usual source, and the scenario key to set instead.
    """


@dataclass(frozen=True)
class InputSpec:
    """What one country input is, where it comes from and how a user supplies it instead.

    Attributes
    ----------
    indicator : str
        Name in the indicator table (``""`` for population and the input–output table).
    sex : str
        The sex of the headline series.
    categories : tuple of str
        Categories of the headline series, in order of preference (the first the country has
        is used; empty: the series has no category).
    source : str
        The usual source (publication), as a citation.
    scenario_key : str
        The scenario key that supplies the value when the database has none.
    """

    indicator: str
    sex: str
    categories: tuple[str, ...]
    source: str
    scenario_key: str


#: the widest age groups of the SDG 5.4.1 series, in order of preference (all ages above a
#: floor first; the survey's age range where that is all it gives)
_AGE_FLOORS = ("Y_GE15", "Y_GE10", "Y_GE12", "Y_GE14", "Y_GE16", "Y_GE18", "Y_GE20", "Y_GE06",
               "Y_GE05", "_T", "Y20T74", "Y15T64", "Y06T65", "Y20T64", "Y15T49")

#: the country inputs, one boolean column each in :func:`available`
INPUTS: dict[str, InputSpec] = {
    "population": InputSpec("", "", (), WPP_SOURCE,
                            "[population] file (CSV: year, age, population)"),
    "gdp": InputSpec("gdp_lcu", "total", (), "World Bank WDI NY.GDP.MKTP.CN", "[macro] gdp"),
    "gdp_usd": InputSpec("gdp_usd", "total", (), "World Bank WDI NY.GDP.MKTP.CD", "[macro] gdp"),
    "gdp_ppp": InputSpec("gdp_ppp", "total", (),
                         "World Bank WDI NY.GDP.MKTP.CN / PA.NUS.PPP", "[macro] gdp"),
    "ppp_conversion_factor": InputSpec("ppp_conversion_factor", "total", (),
                                       "World Bank WDI PA.NUS.PPP",
                                       "none: convert the scenario's money inputs yourself"),
    "gov_revenue": InputSpec("gov_revenue_pct_gdp", "total", (),
                             "IMF World Economic Outlook April 2019, GGR_NGDP",
                             "[fiscal] income_tax_rate and the other [fiscal] rates"),
    "gov_expenditure": InputSpec("gov_expenditure_pct_gdp", "total", (),
                                 "IMF World Economic Outlook April 2019, GGX_NGDP",
                                 "none (context only)"),
    "average_earnings": InputSpec("earnings_monthly_ppp2021", "total", (),
                                  "ILOSTAT EAR_4MTH_SEX_GEO_CUR_NB_A (average monthly earnings "
                                  "of employees)", "[macro] average_wage"),
    "hourly_earnings": InputSpec("hourly_earnings_lcu", "total", ("ISCO08", "ISCO88"),
                                 "UN Minimum Set of Gender Indicators I.13 (ILOSTAT hourly "
                                 "earnings by occupation)",
                                 "[services] wage or [services] wage_relative_to_average"),
    "labour_force_participation": InputSpec("labour_force_participation_rate", "female",
                                            ("Y_GE15",),
                                            "UN Minimum Set of Gender Indicators I.3 (ILO)",
                                            "[macro] employed_women and [macro] working_age_women"),
    "employment": InputSpec("employment", "female", ("Total",),
                            "ILOSTAT EMP_TEMP_SEX_INS_NB_A (labour force surveys)",
                            "[macro] employed_women and [macro] employed_men"),
    "preprimary_enrolment": InputSpec("preprimary_gross_enrolment_ratio", "total", (),
                                      "UNESCO UIS (gross enrolment ratio, pre-primary)",
                                      "the services' current coverage in the scenario"),
    "pupil_teacher_ratio": InputSpec("preprimary_pupil_teacher_ratio", "total", (),
                                     "UNESCO UIS (pupils per teacher, pre-primary)",
                                     "[services] children per staff (staff ratio) of the service"),
    "hours_by_industry": InputSpec("hours_worked_weekly", "total", ("TOTAL",),
                                   "ILOSTAT HOW_TEMP_SEX_ECO_NB_A (labour force surveys)",
                                   "[services] staff_hours_per_week"),
    "unpaid_care_hours": InputSpec("unpaid_domestic_care_hours", "female", _AGE_FLOORS,
                                   "UN SDG 5.4.1 (national time-use surveys)",
                                   "none: give the survey estimate in the valuation input"),
    "io_table": InputSpec("", "", (), WIOD_SOURCE,
                          "[io] dataset (a national input-output table)"),
}


# ---------------------------------------------------------------------------- lookup
def _countries() -> pd.DataFrame:
    return _store.table("countries")


def _resolve(iso3: object) -> str:
    """The upper-case ISO3 code, or :class:`CountryDataError` with the closest matches."""
    c = _countries()
    if not isinstance(iso3, str) or not iso3.strip():
        raise CountryDataError(f"country must be an ISO 3166-1 alpha-3 code such as 'MEX'; "
                               f"got {iso3!r}")
    code = iso3.strip().upper()
    codes = list(c["iso3"])
    if code in codes:
        return code
    names = dict(zip(c["name"].str.lower(), c["iso3"], strict=True))
    by_code = difflib.get_close_matches(code, codes, n=5, cutoff=0.6)
    by_name = [names[n] for n in difflib.get_close_matches(iso3.strip().lower(), list(names),
                                                          n=5, cutoff=0.6)]
    if iso3.strip().lower() in names:
        by_name.insert(0, names[iso3.strip().lower()])
    seen: list[str] = []
    for s in by_name + by_code:
        if s not in seen:
            seen.append(s)
    label = dict(zip(c["iso3"], c["name"], strict=True))
    hint = (", ".join(f"{s} ({label[s]})" for s in seen[:5]) if seen
            else "none close; see carecost.countries.available()")
    raise CountryDataError(
        f"unknown country code {iso3!r}: not an ISO3 code of the {len(codes)} countries and "
        f"areas in the country database (UN WPP 2019 locations). Closest: {hint}")


def _missing(iso3: str, name: str, what: str) -> CountryDataError:
    spec = INPUTS[name]
    return CountryDataError(
        f"{what} for {iso3} is not in the country database. Usual source: {spec.source}. "
        f"Supply it in the scenario with {spec.scenario_key}.")


# ---------------------------------------------------------------------------- tables
#: The shipped tables that :func:`table` returns.
TABLES = _store.FILES


def table(name: str) -> pd.DataFrame:
    """A whole shipped table of the database, for bulk work over many countries.

    Parameters
    ----------
    name : str
        One of :data:`TABLES`: "countries", "population", "indicators", "io_flows",
        "io_industries", "population_variants".
        ``countries``: one row per country (ISO3, name, region, income group);
        ``population``: persons by country, year, sex and single age [persons], with
        ``variant``; ``indicators``: every indicator value with its ``unit``, ``year``,
        ``source`` and ``flag`` (long form; what :func:`indicator` looks up);
        ``io_flows`` / ``io_industries``: the input–output tables of :func:`io_table`.
        ``population_variants``: the WPP 2019 low/medium and high/medium ratios by country,
        sex, 5-year age group and 5-year step 2025–2060 that :func:`population` applies for
        ``variant="low"``/``"high"``.

    Returns
    -------
    pandas.DataFrame
        The table as shipped, read once per process and shared between callers: it is
        read-only by contract (copy it before changing it).  Columns and units are listed in
        ``datapackage.json`` and ``docs/dataset-reference.md``.

    Raises
    ------
    CountryDataError
        For a name that is not a shipped table (naming the shipped ones).
    """
    if name not in TABLES:
        raise CountryDataError(f"table {name!r} is not shipped; the tables are "
                               f"{', '.join(map(repr, TABLES))}")
    return _store.table(name)


# ---------------------------------------------------------------------------- available
def available() -> pd.DataFrame:
    """The countries of the database and which inputs each has.

    Returns
    -------
    DataFrame
        One row per country or area (235, UN WPP 2019 locations), sorted by ``iso3``:
        ``iso3``, ``name``, ``m49``, ``region`` and ``subregion`` (UN M49 regions as in WPP),
        ``wb_region`` and ``income_group`` (World Bank, WDI metadata of June 2024; null where the
        World Bank has no record, e.g. Taiwan), then one boolean column per input of
        :data:`INPUTS` (true when the headline series exists for at least one year; the
        ``io_table`` column is true for the 40 countries with their own WIOD table: the others
        get the flagged rest-of-world fallback from :func:`io_table`).
    """
    out = _countries().copy()
    ind = _store.table("indicators")
    pop = set(_store.table("population")["iso3"].unique())
    wiod = set(_store.table("io_industries")["iso3"].dropna().unique())
    for name, spec in INPUTS.items():
        if name == "population":
            have = pop
        elif name == "io_table":
            have = wiod
        else:
            sel = ind[(ind["indicator"] == spec.indicator) & (ind["sex"] == spec.sex)]
            if spec.categories:
                sel = sel[sel["category"].isin(list(spec.categories))]
            have = set(sel["iso3"].unique())
        out[name] = out["iso3"].isin(sorted(have))
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------- indicators
def value_for_year(years: np.ndarray, values: np.ndarray, flags: np.ndarray,
                   notes: np.ndarray, year: int) -> dict[str, Any]:
    """The value of one series for ``year``, with the flag saying how it was obtained.

    The rule of :func:`indicator`: the year's observation; else linear interpolation between
    the nearest observations before and after it; else the nearest observation carried
    forward (or back).

    Parameters
    ----------
    years, values, flags, notes : numpy.ndarray
        One series' observations (same length, at least one), sorted by year.
    year : int
        Year wanted.

    Returns
    -------
    dict
        ``value`` (float), ``year`` (of the observation used, the earlier one when
        interpolated), ``flag`` (``observed``, ``interpolated between A and B``, ``carried
        forward from A``, ``carried back from A``, with the source flags of the observations
        used when they are not ``observed``) and ``note``.
    """
    exact = np.flatnonzero(years == year)
    if exact.size:
        i = int(exact[0])
        return {"value": float(values[i]), "year": int(years[i]), "flag": str(flags[i]),
                "note": str(notes[i])}
    before = np.flatnonzero(years < year)
    after = np.flatnonzero(years > year)
    if before.size and after.size:
        i, j = int(before[-1]), int(after[0])
        w = (year - years[i]) / (years[j] - years[i])
        src = {str(flags[i]), str(flags[j])} - {"observed"}
        extra = f" ({', '.join(sorted(src))})" if src else ""
        return {"value": float(values[i] + w * (values[j] - values[i])), "year": int(years[i]),
                "flag": f"interpolated between {years[i]} and {years[j]}{extra}",
                "note": str(notes[i])}
    i = int(before[-1]) if before.size else int(after[0])
    way = "carried forward" if before.size else "carried back"
    extra = f" ({flags[i]})" if flags[i] != "observed" else ""
    return {"value": float(values[i]), "year": int(years[i]),
            "flag": f"{way} from {years[i]}{extra}", "note": str(notes[i])}


def _pick(series: pd.DataFrame, year: int) -> dict[str, Any]:
    """The value of one series for ``year`` (:func:`value_for_year`)."""
    return value_for_year(series["year"].to_numpy(dtype=int),
                          series["value"].to_numpy(dtype=float),
                          series["flag"].to_numpy(dtype=object),
                          series["note"].to_numpy(dtype=object), year)


def indicator(iso3: str, name: str, year: int, *, sex: str | None = None,
              category: str | None = None) -> dict[str, Any]:
    """One indicator value for a country and year, with its source and flag.

    Parameters
    ----------
    iso3 : str
        ISO 3166-1 alpha-3 code.
    name : str
        Indicator name (``indicators.parquet``; e.g. ``"gdp_lcu"``, ``"gov_revenue_pct_gdp"``,
        ``"labour_force_participation_rate"``) or an input name of :data:`INPUTS` (its
        headline series).
    year : int
        Year wanted.  A year without an observation is interpolated linearly between the
        nearest observations, or the nearest observation is carried forward (or back); the
        ``flag`` says which.
    sex, category : str, optional
        The series (``"total"``/``"female"``/``"male"``; category codes as in the table, e.g.
        ISIC4 section ``"Q"``, age group ``"Y_GE15"``).  Default: for an input name of
        :data:`INPUTS` given without either, its headline series; otherwise ``"total"`` and
        ``""``.  Given with an input name, they select that input's indicator for another sex
        or category (``indicator("MEX", "employment", 2019, sex="total", category="Total")``).

    Returns
    -------
    dict
        ``value``, ``unit``, ``year`` (year of the source observation used), ``source``,
        ``flag`` and ``note``.

    Raises
    ------
    CountryDataError
        Unknown country, or no such series for the country (the message names the usual
        source and the scenario key to set).
    """
    code = _resolve(iso3)
    input_name = None
    if name in INPUTS:
        input_name = name
        spec = INPUTS[name]
        if not spec.indicator:
            func = "population" if name == "population" else "io_table"
            raise CountryDataError(f"{name!r} is not an indicator: use "
                                   f"carecost.countries.{func}()")
        name = spec.indicator
        if sex is None and category is None:
            sex = spec.sex
            idx0 = _store.indicator_index()
            category = next((c for c in spec.categories if (code, name, sex, c) in idx0.index),
                            spec.categories[0] if spec.categories else "")
    sex = "total" if sex is None else sex
    category = "" if category is None else category
    idx = _store.indicator_index()
    key = (code, name, sex, category)
    if key not in idx.index:
        known = set(_store.table("indicators")["indicator"].unique())
        if name not in known:
            raise CountryDataError(
                f"unknown indicator {name!r}; known: {sorted(known)} or inputs {sorted(INPUTS)}")
        owner = input_name or next((k for k, s in INPUTS.items() if s.indicator == name), None)
        what = f"indicator {name!r} (sex {sex!r}, category {category!r})"
        if owner is not None:
            raise _missing(code, owner, what)
        raise CountryDataError(f"{what} for {code} is not in the country database; supply the "
                               "value in the scenario")
    series = idx.loc[[key]]
    picked = _pick(series, int(year))
    return {"value": float(picked["value"]), "unit": str(series["unit"].iloc[0]),
            "year": picked["year"], "source": str(series["source"].iloc[0]),
            "flag": picked["flag"], "note": picked["note"]}


def series(iso3: str, name: str, *, sex: str = "total", category: str = "") -> pd.DataFrame:
    """Every observation of one indicator series of a country, as shipped.

    Parameters
    ----------
    iso3 : str
        ISO 3166-1 alpha-3 code.
    name : str
        Indicator name (``indicators.parquet``, e.g. ``"gdp_lcu"``).
    sex, category : str
        The series (as in :func:`indicator`).

    Returns
    -------
    DataFrame
        ``year``, ``value``, ``unit``, ``source``, ``flag`` and ``note``, sorted by year; empty
        when the country has no such series.

    Raises
    ------
    CountryDataError
        Unknown country code.
    """
    code = _resolve(iso3)
    idx = _store.indicator_index()
    cols = ["year", "value", "unit", "source", "flag", "note"]
    key = (code, name, sex, category)
    if key not in idx.index:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "year" else
                                          "float64" if c == "value" else "object")
                             for c in cols})
    return idx.loc[[key]].sort_values("year")[cols].reset_index(drop=True)


# ---------------------------------------------------------------------------- population
def _check_years(years: Iterable[int]) -> list[int]:
    ys = sorted({int(y) for y in years})
    lo, hi = POPULATION_YEARS
    bad = [y for y in ys if y < lo or y > hi]
    if bad:
        raise CountryDataError(
            f"years {bad} are outside the shipped population {lo}-{hi} (UN WPP 2019 estimates "
            f"to {LAST_ESTIMATE_YEAR}, medium-variant projection after); supply the population "
            f"with {INPUTS['population'].scenario_key}")
    return ys


#: the population variants of :func:`population` (WPP 2019 projection variants)
POPULATION_VARIANTS = ("medium", "low", "high")
#: the 5-year steps at which ``population_variants.parquet`` gives the variant/medium ratios
_VARIANT_STEPS = tuple(range(LAST_ESTIMATE_YEAR, POPULATION_YEARS[1] + 1, 5))
_SEXES = ("female", "male")


@cache
def _variant_ratios(code: str, variant: str) -> np.ndarray:
    """Ratio variant/medium of a country, shape (sex, 21 age groups, step 2020, 2025, …, 2060).

    The 2020 column is 1 (the estimate, common base of every variant).  The array is shared
    between callers and read-only.
    """
    tab = _store.table("population_variants")
    rows = tab[tab["iso3"] == code]
    steps = _VARIANT_STEPS[1:]
    if len(rows) != len(_SEXES) * 21 * len(steps):
        raise CountryDataError(
            f"the {variant} population variant for {code} is not in the country database "
            f"({len(rows)} of {len(_SEXES) * 21 * len(steps)} ratio rows); usual source: UN WPP "
            f"2019 projection variants. Supply the population with "
            f"{INPUTS['population'].scenario_key}")
    out = np.ones((len(_SEXES), 21, len(_VARIANT_STEPS)))
    s = rows["sex"].map({x: i for i, x in enumerate(_SEXES)}).to_numpy()
    g = rows["age_start"].to_numpy(dtype=int) // 5
    t = (rows["year"].to_numpy(dtype=int) - LAST_ESTIMATE_YEAR) // 5
    out[s, g, t] = rows[f"{variant}_to_medium"].to_numpy(dtype=float)
    out.setflags(write=False)
    return out


def _cohort_ratio(ratios: np.ndarray, sex: np.ndarray, age: np.ndarray,
                  year: np.ndarray) -> np.ndarray:
    """The variant/medium ratio of single ages in projection years, following the cohort.

    A year ``y`` between the steps ``T0 < y <= T1`` takes ``(1 - w) R(T0, group of a - (y -
    T0)) + w R(T1, group of a + (T1 - y))``, ``w = (y - T0) / 5``: the ratios of the 5-year
    group that holds the same birth cohort at the two steps (the variants differ only by
    fertility, so the ratio is a property of the cohort).  A cohort not yet born at ``T0``
    takes ``R(T1, ...)``; age 100 (100 and over, an open group) takes group 100+ at both
    steps.  At a step the ratio is that step's group ratio.
    """
    base = LAST_ESTIMATE_YEAR
    k = np.minimum((year - base) // 5, len(_VARIANT_STEPS) - 2)
    d0 = year - (base + 5 * k)
    w = d0 / 5.0
    a0 = age - d0
    a1 = np.minimum(age + (5 - d0), 100)
    open_group = age >= 100
    a0 = np.where(open_group, 100, a0)
    a1 = np.where(open_group, 100, a1)
    unborn = a0 < 0
    r0 = ratios[sex, np.maximum(a0, 0) // 5, k]
    r1 = ratios[sex, a1 // 5, k + 1]
    w = np.where(unborn, 1.0, w)
    out: np.ndarray = (1.0 - w) * r0 + w * r1
    return out


def _apply_variant(code: str, rows: pd.DataFrame, variant: str) -> pd.DataFrame:
    """Medium-variant rows turned into ``variant`` (years after 2020; earlier rows unchanged)."""
    ratios = _variant_ratios(code, variant)
    year = rows["year"].to_numpy(dtype=int)
    proj = year > LAST_ESTIMATE_YEAR
    sex = (rows["sex"].to_numpy()[proj] == _SEXES[1]).astype(int)
    r = _cohort_ratio(ratios, sex, rows["age"].to_numpy(dtype=int)[proj], year[proj])
    pop = rows["population"].to_numpy(dtype=np.int64).copy()
    pop[proj] = np.rint(pop[proj] * r).astype(np.int64)
    return rows.assign(population=pop,
                       variant=rows["variant"].mask(pd.Series(proj, index=rows.index), variant))


def population(iso3: str, years: int | Iterable[int] | None = None, *,
               variant: str = "medium") -> pd.DataFrame:
    """Population by year, single age and sex (UN WPP 2019), medium, low or high variant.

    Parameters
    ----------
    iso3 : str
        ISO 3166-1 alpha-3 code (201 countries have age detail).
    years : int or iterable of int, optional
        Years in 2000–2060 (default all).  Years up to 2020 are the WPP 2019 estimates, the
        same in every variant; later years are the projection of ``variant``.
    variant : {"medium", "low", "high"}, default "medium"
        WPP 2019 projection variant (keyword only).  ``"medium"``: the single-age medium
        variant as published.  ``"low"``/``"high"`` (total fertility half a child below/above
        the medium; mortality and migration as in the medium): the medium single-age
        population × the variant/medium ratio of its sex and 5-year age group (age 100 uses
        group 100+) in the WPP 2019 five-year tables (cran/wpp2019 1.1-1), rounded to persons
        with ``numpy.rint`` (half to even).  At the 5-year steps 2025, …, 2060 the ratio is the
        group's; between steps it is interpolated linearly in time along the birth cohort,
        from the group holding the cohort at the earlier step (2020: ratio 1, the common base)
        to the group holding it at the later step; a cohort born after the earlier step takes
        the later step's ratio (so age 0 in 2021 already carries the 2025 ratio of ages 0-4).
        At the 5-year steps the group sums equal WPP's low/high five-year populations within
        0.5 person per single age, except India
        and the United Arab Emirates in 2055–2060, where the single-age medium (June 2019
        release) differs from the five-year medium (August 2019 revision); see
        ``datasets/population_variants.py``.

    Returns
    -------
    DataFrame
        ``year``, ``age`` (0–100; 100 = 100 and over), ``sex`` (``female``/``male``),
        ``population`` (persons on 1 July, int64; medium: the WPP thousands × 1000, exact) and
        ``variant`` (``estimate`` up to 2020, then ``medium``, ``low`` or ``high``), sorted by
        year, sex and age.

    Raises
    ------
    CountryDataError
        Unknown code, a country without age detail in WPP, a year outside 2000–2060, or a
        variant other than ``"medium"``, ``"low"`` and ``"high"``.
    """
    if not isinstance(variant, str) or variant not in POPULATION_VARIANTS:
        raise CountryDataError(
            f"unknown population variant {variant!r}: the WPP 2019 variants in the country "
            f"database are {', '.join(map(repr, POPULATION_VARIANTS))}")
    code = _resolve(iso3)
    pop = _store.table("population")
    rows = pop[pop["iso3"] == code]
    if rows.empty:
        raise _missing(code, "population", "population by single age (UN WPP 2019 gives age "
                       "detail for 201 countries only)")
    if years is not None:
        ys = _check_years([years] if isinstance(years, int | np.integer) else years)
        rows = rows[rows["year"].isin(ys)]
    out = rows[["year", "age", "sex", "population", "variant"]].astype(
        {"year": "int64", "age": "int64", "population": "int64"})
    if variant != "medium":
        out = _apply_variant(code, out, variant)
    return out.reset_index(drop=True)


def _population_rows(code: str, year: int) -> list[dict[str, Any]]:
    pop = population(code, year)
    flag = "observed" if year <= LAST_ESTIMATE_YEAR else "projected (WPP 2019 medium variant)"
    groups = {
        "population_total": (0, 100, None), "population_female": (0, 100, "female"),
        "population_male": (0, 100, "male"), "children_0_5": (0, 5, None),
        "working_age_women": (15, 64, "female"), "working_age_men": (15, 64, "male"),
        "population_65_plus": (65, 100, None),
    }
    out = []
    for name, (lo, hi, sex) in groups.items():
        sel = pop[(pop["age"] >= lo) & (pop["age"] <= hi)]
        if sex is not None:
            sel = sel[sel["sex"] == sex]
        out.append({"input": name, "indicator": "population", "sex": sex or "total",
                    "category": f"ages {lo}-{hi}" if hi < 100 else f"ages {lo}+",
                    "value": float(sel["population"].sum()), "unit": "persons (1 July)",
                    "year": year, "source": WPP_SOURCE, "flag": flag,
                    "note": "scenario key [macro] working_age_women / working_age_men"
                    if name.startswith("working_age") else ""})
    return out


# ---------------------------------------------------------------------------- profile
PROFILE_COLUMNS = ["input", "indicator", "sex", "category", "value", "unit", "year", "source",
                   "flag", "note"]


def profile(iso3: str, year: int) -> pd.DataFrame:
    """Every input the database has for a country, for one year, with source and flag.

    Parameters
    ----------
    iso3 : str
        ISO 3166-1 alpha-3 code.
    year : int
        Year of the costing, 2000–2060 (the population range).

    Returns
    -------
    DataFrame
        One row per series: ``input`` (``indicator``, plus ``.sex`` and ``.category`` where
        they apply), ``indicator``, ``sex``, ``category``, ``value``, ``unit``, ``year`` (year of
        the source observation used), ``source``, ``flag`` and ``note``.  Flags: ``observed``
        (the source value for that year), ``adjusted``/``estimated``/``projected``/
        ``unreliable`` (as the source marks it), ``interpolated between Y1 and Y2`` (linear),
        ``carried forward from Y`` / ``carried back from Y`` (nearest observation), ``fallback``
        (the rest-of-world input–output table) and ``missing`` (no data: ``value`` is NaN and
        ``note`` names the usual source and the scenario key to set).  Population rows are the
        WPP 2019 values for the year (``projected`` after 2020).  Nothing is imputed without a
        flag.

    Raises
    ------
    CountryDataError
        Unknown code, or a year outside 2000–2060.
    """
    code = _resolve(iso3)
    year = int(year)
    _check_years([year])
    rows: list[dict[str, Any]] = []
    if (_store.table("population")["iso3"] == code).any():
        rows += _population_rows(code, year)
    else:
        rows.append(_missing_row(code, "population"))
    ind = _store.table("indicators")
    sub = ind[ind["iso3"] == code]
    for (name, sex, cat), series in sub.groupby(["indicator", "sex", "category"], sort=True):
        picked = _pick(series.sort_values("year"), year)
        label = ".".join(p for p in (str(name), str(sex) if sex != "total" else "", str(cat)) if p)
        rows.append({"input": label, "indicator": name, "sex": sex, "category": cat,
                     "value": float(picked["value"]), "unit": series["unit"].iloc[0],
                     "year": picked["year"], "source": series["source"].iloc[0],
                     "flag": picked["flag"], "note": picked["note"]})
    have = set(sub["indicator"].unique())
    for name, spec in INPUTS.items():
        if spec.indicator and spec.indicator not in have:
            rows.append(_missing_row(code, name))
    io = io_table(code)
    rows.append({"input": "io_table", "indicator": "io_table", "sex": "total",
                 "category": io.economy, "value": float(len(io.sectors)),
                 "unit": "industries (WIOD 2013, NACE Rev.1)", "year": io.base_year,
                 "source": io.source, "flag": io.flag, "note": "; ".join(io.notes)})
    out = pd.DataFrame(rows, columns=PROFILE_COLUMNS)
    out["year"] = out["year"].astype("Int64")
    return out


def _missing_row(code: str, name: str) -> dict[str, Any]:
    spec = INPUTS[name]
    return {"input": name, "indicator": spec.indicator or name, "sex": spec.sex or "total",
            "category": " or ".join(spec.categories), "value": float("nan"), "unit": "",
            "year": None,
            "source": spec.source, "flag": "missing",
            "note": f"not in the country database for {code}: usual source {spec.source}; "
                    f"set {spec.scenario_key}"}


# ---------------------------------------------------------------------------- IO table
@dataclass(frozen=True)
class CountryIOTable:
    """A domestic input–output table with employment coefficients (WIOD 2013, year 2011).

    Money values are US$ million at **2019** prices: the WIOD 2011 values (current US$) times
    ``usd_scale`` (the economy's GDP in current US$ 2019 / 2011, World Bank WDI), one factor for
    all industries, so the technical coefficients and the Leontief inverse are WIOD's.

    Attributes
    ----------
    iso3 : str
        The country asked for.
    economy : str
        The WIOD economy used: its own code (``ROM`` = Romania) or ``"RoW"`` (rest of the
        world, the fallback for countries outside WIOD).
    flag : str
        ``"observed"`` (the country's own table) or ``"fallback"`` (the rest-of-world
        structure: levels are not the country's, use the coefficients only).
    sectors, names : tuple of str
        WIOD industry codes ``c1`` … ``c35`` and names, in matrix order.
    flows : DataFrame
        Domestic interindustry flows ``Z_dd`` (own rows × own columns; imports excluded),
        US$ million (2019 prices).
    output, household_consumption, other_final_demand, exports, imported_inputs : Series
        Gross output; domestic household consumption (WIOD c37); other domestic final demand
        (c38 + c39 + c41 + c42); exports (intermediate and final use abroad); imported
        intermediate inputs of each using industry.  US$ million (2019 prices).
    workers : Series
        Persons employed by industry (daedalus.data, reference year about 2018–2020, mapped
        from 45 OECD sectors); NaN where missing.
    employment_coefficient : Series
        Persons employed per US$ million of output (2019 prices); NaN where missing or where
        output is 0.
    care_sectors : tuple of str
        ``("c33",)``, Health and social work (NACE N: health, residential care, child day care).
    construction_sector, education_sector, domestic_work_sector : str
        ``"c18"`` (F), ``"c32"`` (M, education, incl. pre-primary), ``"c35"`` (P, private
        households with employed persons).
    base_year, price_year : int
        2011 (WIOD table) and 2019 (money values and employment coefficients).
    usd_scale : float
        Factor applied to the WIOD 2011 money values.
    source : str
        Citation.
    notes : tuple of str
        Industry-level caveats (missing workers, zeros in the source, zero output).
    """

    iso3: str
    economy: str
    flag: str
    sectors: tuple[str, ...]
    names: tuple[str, ...]
    flows: pd.DataFrame = field(repr=False)
    output: pd.Series = field(repr=False)
    household_consumption: pd.Series = field(repr=False)
    other_final_demand: pd.Series = field(repr=False)
    exports: pd.Series = field(repr=False)
    imported_inputs: pd.Series = field(repr=False)
    workers: pd.Series = field(repr=False)
    employment_coefficient: pd.Series = field(repr=False)
    usd_scale: float
    notes: tuple[str, ...] = ()
    care_sectors: tuple[str, ...] = ("c33",)
    construction_sector: str = "c18"
    education_sector: str = "c32"
    domestic_work_sector: str = "c35"
    base_year: int = 2011
    price_year: int = 2019
    currency: str = "USD"
    money_unit: float = 1e6
    source: str = WIOD_SOURCE

    @property
    def coefficients(self) -> pd.DataFrame:
        """Domestic technical coefficients ``A = Z_dd diag(x)^-1`` (0 where output is 0)."""
        x = self.output.to_numpy(dtype=float)
        z = self.flows.to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(x > 0, z / np.where(x > 0, x, 1.0), 0.0)
        return pd.DataFrame(a, index=self.flows.index, columns=self.flows.columns)

    def leontief(self) -> pd.DataFrame:
        """The domestic Leontief inverse ``(I - A)^-1`` (dimensionless)."""
        a = self.coefficients
        inv = np.linalg.inv(np.eye(len(a)) - a.to_numpy())
        return pd.DataFrame(inv, index=a.index, columns=a.columns)

    def from_flows_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``carecost.investment.IOModel.from_flows``.

        The flows are domestic already (``requirements = "as given"``, stated in the
        provenance).  ``employment`` is omitted when no workforce data exist for the economy;
        industries with missing workers or zero output get 0 jobs (listed in ``notes``).
        """
        kw: dict[str, Any] = {
            "flows": self.flows, "output": self.output,
            "household_consumption": self.household_consumption.clip(lower=0.0),
            "sectors": list(self.sectors), "names": list(self.names),
            "currency": self.currency, "money_unit": self.money_unit,
            "employment_unit": "persons",
            "provenance": (f"{self.source}; economy {self.economy} ({self.flag}) for "
                           f"{self.iso3}; domestic block (imports excluded)"),
        }
        if self.workers.notna().any():
            kw["employment"] = self.workers.fillna(0.0).where(self.output > 0, 0.0)
        return kw


def io_table(iso3: str) -> CountryIOTable:
    """The domestic input–output table of a country, with employment coefficients.

    The 40 WIOD countries get their own 2011 table (``flag = "observed"``); every other
    country gets the WIOD rest-of-world domestic structure (``flag = "fallback"``), whose
    coefficients average all non-WIOD economies, so costings built on it should use wider
    uncertainty ranges.  See ``datasets/io_wiod.py`` for the method.

    Parameters
    ----------
    iso3 : str
        ISO 3166-1 alpha-3 code.

    Returns
    -------
    CountryIOTable

    Raises
    ------
    CountryDataError
        Unknown code.
    """
    code = _resolve(iso3)
    ind = _store.table("io_industries")
    own = ind[ind["iso3"] == code]
    flag = "observed"
    if own.empty:
        own = ind[ind["economy"] == "RoW"]
        flag = "fallback"
    own = own.sort_values("industry_order")
    economy = str(own["economy"].iloc[0])
    sectors = tuple(own["industry"].astype(str))
    fl = _store.table("io_flows")
    fl = fl[fl["economy"] == economy]
    z = fl.pivot(index="row_industry", columns="col_industry", values="value_musd")
    z = z.loc[list(sectors), list(sectors)].astype(float)
    scale = float(own["usd_scale_to_reference_year"].iloc[0])
    factor = scale if np.isfinite(scale) else 1.0
    z.index.name, z.columns.name = "supplying industry", "using industry"

    def vec(col: str, money: bool = True) -> pd.Series:
        v = own[col].to_numpy(dtype=float) * (factor if money else 1.0)
        return pd.Series(v, index=list(sectors), name=col)

    notes = [f"{c}: {n}" for c, n in zip(own["industry"], own["workers_note"], strict=True)
             if n and not n.startswith("rest of world")]
    if flag == "fallback":
        notes.insert(0, f"{code} has no WIOD table: rest-of-world structure used ("
                     + str(own["workers_note"].iloc[0]) + ")")
    if not np.isfinite(scale):
        notes.insert(0, f"money values are WIOD 2011 current US$ (no WDI GDP to move "
                     f"{economy} to 2019)")
    return CountryIOTable(
        iso3=code, economy=economy, flag=flag, sectors=sectors,
        names=tuple(own["industry_name"].astype(str)), flows=z * factor,
        output=vec("gross_output_musd"), household_consumption=vec("household_consumption_musd"),
        other_final_demand=vec("other_final_demand_musd"), exports=vec("exports_musd"),
        imported_inputs=vec("imported_inputs_musd"), workers=vec("workers", money=False),
        employment_coefficient=vec("employment_per_musd", money=False), usd_scale=scale,
        notes=tuple(notes), price_year=2019 if np.isfinite(scale) else 2011)
