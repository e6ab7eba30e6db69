"""World and regional totals of unpaid domestic and care work: hours, women's share, value.

:func:`value_world` values every country and area of the country database with population by
age (201 of 235, UN WPP 2019) for one chosen year ``Y`` and adds them up:

.. math::

    V_c(Y) = 365 \\sum_{s} P_{c,s}(Y) \\sum_{k} h_{c,s,k} \\, \\rho_{c,s,k} \\, y_c(Y)

with :math:`h` the hours per day of sex :math:`s` (part :math:`k`: all hours, or domestic and
care for the specialist method), :math:`P(Y)` the population of the survey's ages in year
``Y``, :math:`y_c(Y)` GDP per capita (WDI GDP in LCU / WPP population) and :math:`\\rho` the
wage as a share of GDP per capita in the wage's own observation year:
:math:`\\rho = w(W) / y_c(W)`.

**The rule that moves values to the chosen year.**  Hours per person are those of the
country's survey (the latest survey not after ``Y``, else the earliest after it; hours are
not interpolated or trended); population is that of ``Y``; the wage moves from its
observation year ``W`` (the observation nearest ``Y``) to ``Y`` with nominal GDP per capita,
:math:`w(Y) = w(W) \\, y(Y) / y(W)`, so its ratio to GDP per capita is held constant.  Shares
of GDP are therefore those of the survey's hours at the wage's relative level, applied to the
population of ``Y``; money is in current LCU, US$ and PPP$ of ``Y`` (at GDP(US$)/GDP(LCU) and
GDP(PPP$)/GDP(LCU) of ``Y``).

**Countries without a survey** get imputed hours (:mod:`carecost.valuation.donors`: region x
income-group means of the surveyed countries' hours as used for ``Y``, then region, then
world) applied to their population aged 15+, flagged
``hours_source = "imputed"``.  **Countries without the method's wage** get an imputed wage
share :math:`\\rho` by the same cell rule over the countries that have it (flagged
``wage_source = "imputed"``).  The minimum-wage method uses a shipped statutory rate where
carecost can cite one (:mod:`carecost.valuation.minimum_wages`), else the documented proxy
(the earnings of elementary occupations, ISCO major group 9, flagged ``proxy``; imputed where
that is missing too).  The specialist method values care hours at the earnings of ISCO major
group 5 (the proxy for sub-major group 53, personal care workers, which the database does not
publish) and domestic hours at the generalist wage; where a survey does not publish the
domestic/care split, the cell's mean care share of donors with the split is used (flagged).

**Intervals**: a Monte Carlo (``draws``, ``seed``) draws for each imputed country one donor
of its cell at random (hours, care share and wage share: the between-country spread inside
the cell) and one wage-choice factor per draw, uniform in ``[1 - u, 1 + u]`` and common to
every country (the choice of the occupation or rate that stands for the market wage is one
choice for the whole world).  Sampling errors of the surveys are not published with SDG 5.4.1
and are not included (stated in every interval).

Valuation basis: the earnings series are gross, and the database has no country's employer
contribution or tax rates, so the world is valued at gross wages (``basis="gross"``): the
full labour cost of replacement cost would be higher, the net wage of opportunity cost lower.

References
----------
ILO (2018). Care work and care jobs for the future of decent work. Geneva (16.4 billion hours
a day, 76.2% by women, 9% of global GDP at the minimum wage).
UNECE (2017). Guide on Valuing Unpaid Household Service Work. ECE/CES/STAT/2017/3.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from carecost.countries import CountryDataError

from . import _db
from ._common import REFERENCES, ValuationError
from .countries import (
    AGE_PREFERENCE,
    ALL_OCCUPATIONS,
    CARE_CODES,
    COUNTRY_METHODS,
    DAYS,
    EARNINGS,
    GENERALIST_CODES,
    HOURS,
    PLAUSIBLE_WAGE_RATIO,
    age_range,
    ages_text,
)
from .donors import IMPUTATION_RULE, MIN_DONORS, RECIPIENT_AGES, cell_index

__all__ = ["WORLD_METHODS", "WorldValuation", "value_world", "year_rule"]

WORLD_METHODS = ("minimum_wage", "replacement_generalist", "replacement_specialist",
                 "opportunity_cost")
"""Methods of :func:`value_world` (codes of :data:`carecost.valuation.COUNTRY_METHODS`)."""

_SEXES = ("female", "male")
_WAGE_KEYS = {  # method -> wage components (part, sex-specific?)
    "minimum_wage": ("all",),
    "replacement_generalist": ("all",),
    "replacement_specialist": ("domestic", "care"),
    "opportunity_cost": ("all",),
}
SOURCES = {
    "sdg541": "UN Statistics Division, SDG indicator 5.4.1 (unpaid domestic and care work, "
              "hours per day by sex; national time-use surveys), gender data portal",
    "wpp2019": "UN DESA Population Division, World Population Prospects 2019 (population by "
               "sex and single age, 1 July)",
    "wdi": "World Bank, World Development Indicators (GDP in LCU, current US$ and PPP)",
    "earnings": "UN Minimum Set of Gender Indicators I.13 (ILOSTAT average hourly earnings "
                "of employees by occupation and sex, local currency)",
    "minimum_wages": "statutory minimum wages shipped by carecost "
                     "(carecost.valuation.minimum_wage_table and us_federal_minimum_wage)",
    "ilo2018": REFERENCES["ilo2018"],
    "unece2017": REFERENCES["unece2017"],
}


def year_rule() -> str:
    """The documented rule that moves every country's value to the chosen year."""
    return ("hours per person: the country's latest SDG 5.4.1 survey not after the chosen year "
            "(else its earliest survey after it), not interpolated; population: WPP 2019 of "
            "the chosen year at the survey's ages (15+ for imputed hours); wage: the "
            "observation nearest the chosen year, moved to it with nominal GDP per capita "
            "(the wage's ratio to GDP per capita is held); GDP, US$ and PPP$: WDI of the "
            "chosen year")


# --------------------------------------------------------------------------- inputs
def _survey_for_year(iso: str, year: int, latest: int | None
                     ) -> tuple[str, int, dict[str, float], str, dict[str, dict[str, float]]]:
    """(age group, survey year, hours by sex, flag, parts) by the year rule, or ValuationError."""
    from .countries import _hours_parts

    for code in AGE_PREFERENCE:
        f = _db.values(iso, HOURS, sex="female", category=code)
        m = _db.values(iso, HOURS, sex="male", category=code)
        both = sorted(y for y in set(f) & set(m) if latest is None or y <= latest)
        if not both:
            continue
        try:
            age_range(code)
        except ValuationError:
            continue
        before = [y for y in both if y <= year]
        sy = before[-1] if before else both[0]
        fl = _db.series(iso, HOURS, sex="female", category=code)
        flag = str(fl.loc[fl["year"] == sy, "flag"].iloc[0])
        return code, sy, {"female": f[sy], "male": m[sy]}, flag, _hours_parts(iso, code, sy)
    raise ValuationError(f"{iso} has no usable SDG 5.4.1 survey"
                         + ("" if latest is None else f" up to {latest}"))


def _gdp_pc(iso: str, year: int) -> float | None:
    """Observed nominal GDP per capita (LCU per person) of ``year``, or None."""
    g = _db.values(iso, "gdp_lcu").get(int(year))
    if g is None:
        return None
    try:
        p = _db.population_by_sex(iso, int(year))
    except CountryDataError:
        return None
    tot = p["female"] + p["male"]
    return g / tot if tot > 0 else None


def _ratio(iso: str, year: int, sex: str, codes: Sequence[tuple[str, str]],
           max_gap: int) -> tuple[float, int, str] | str:
    """Wage / GDP per capita at the observation nearest ``year``, or the reason there is none."""
    for code, label in codes:
        v = _db.values(iso, EARNINGS, sex=sex, category=code)
        if not v:
            continue
        years = sorted(v, key=lambda y: (abs(y - year), y))
        for w in years:
            if abs(w - year) > max_gap:
                return (f"nearest {label} earnings ({sex}) are for {w}, more than {max_gap} "
                        f"years from {year}")
            pc = _gdp_pc(iso, w)
            if pc is None:
                continue
            r = v[w] / pc
            if not PLAUSIBLE_WAGE_RATIO[0] <= r * 2000 <= PLAUSIBLE_WAGE_RATIO[1]:
                return (f"{label} earnings of {w} ({v[w]:.4g} LCU per hour) are implausible "
                        "against GDP per capita (a currency-unit mismatch)")
            return r, w, label
        return f"no observed GDP per capita in the years of the {label} earnings"
    return f"no hourly earnings ({', '.join(c for c, _ in codes)}, {sex})"


def _observed_ratios(iso: str, year: int, method: str, max_gap: int
                     ) -> tuple[dict[str, dict[str, float]] | None, str, str]:
    """Observed wage shares by part and sex for ``method``, how obtained, and proxy flag."""
    if method == "minimum_wage":
        from .minimum_wages import statutory_minimum_wage

        mw = statutory_minimum_wage(iso, year)
        pc = _gdp_pc(iso, year)
        if mw is not None and pc is not None:
            r = mw.wage / pc
            return ({"all": {s: r for s in _SEXES}},
                    f"statutory minimum wage {year} ({mw.wage:.4g} LCU per hour; {mw.source})",
                    "")
        got = _ratio(iso, year, "total", GENERALIST_CODES, max_gap)
        if isinstance(got, str):
            return None, got, "proxy"
        return ({"all": {s: got[0] for s in _SEXES}},
                f"{got[2]} earnings {got[1]}, both sexes", "proxy")
    if method == "replacement_generalist":
        got = _ratio(iso, year, "total", GENERALIST_CODES, max_gap)
        if isinstance(got, str):
            return None, got, ""
        return {"all": {s: got[0] for s in _SEXES}}, f"{got[2]} earnings {got[1]}", ""
    if method == "replacement_specialist":
        dom = _ratio(iso, year, "total", GENERALIST_CODES, max_gap)
        care = _ratio(iso, year, "total", CARE_CODES, max_gap)
        if isinstance(dom, str) or isinstance(care, str):
            return None, "; ".join(x for x in (dom, care) if isinstance(x, str)), "proxy"
        return ({"domestic": {s: dom[0] for s in _SEXES}, "care": {s: care[0] for s in _SEXES}},
                f"domestic: {dom[2]} {dom[1]}; care: ISCO major group 5 {care[1]} (proxy for 53)",
                "proxy")
    out: dict[str, float] = {}
    hows = []
    for s in _SEXES:
        got = _ratio(iso, year, s, ALL_OCCUPATIONS, max_gap)
        if isinstance(got, str):
            return None, got, ""
        out[s] = got[0]
        hows.append(f"{s} {got[1]}")
    return {"all": out}, "average earnings of employees by sex (" + ", ".join(hows) + ")", ""


# ------------------------------------------------------------------------- results
@dataclass(frozen=True)
class WorldValuation:
    """World and regional totals of unpaid domestic and care work (:func:`value_world`).

    Attributes
    ----------
    year
        The chosen year.
    methods
        Valuation methods computed.
    countries
        One row per country valued: identity (``iso3``, ``name``, ``region``, ``subregion``,
        ``income_group``), hours (``hours_source`` survey/imputed, ``survey_year``,
        ``age_group``, ``ages``, ``hours_female``, ``hours_male`` [hours per day per person],
        ``imputation``), ``population_female``/``_male`` [persons of those ages in ``year``],
        ``hours_per_day_total`` [hours per day, all persons], ``women_share`` [% of hours],
        GDP (``gdp_lcu``, ``gdp_usd``, ``gdp_ppp``, ``gdp_flag``), then for each method
        ``<method>.wage_source`` (observed/imputed), ``<method>.wage_how``,
        ``<method>.value_lcu``, ``.value_usd``, ``.value_ppp`` [per year] and
        ``.pct_gdp`` [% of GDP], and ``flags``.
    regions
        One row per UN M49 region and one for the world: ``countries``,
        ``countries_with_survey``, hours [billion hours per day] with interval, women's share
        [%], and per method value [billion PPP$ per year] and % of GDP with intervals.
    excluded
        ``iso3``, ``name``, ``reason``: countries and areas not in the totals.
    quantities
        The result's numbers, one dict each (``id``, ``label``, ``estimate``, ``se``,
        ``ci_low``, ``ci_high``, ``level``, ``interval``, ``unit``, ``source``, ``method``,
        ``domain``, ``n``, ``flags``; the layout of brief quantities).
    draws
        Monte Carlo draws of the world measures (one row per draw).
    notes
        The rules used (year, imputation, wages, intervals).
    inputs
        The parameters of the call.
    """

    year: int
    methods: tuple[str, ...]
    countries: pd.DataFrame
    regions: pd.DataFrame
    excluded: pd.DataFrame
    quantities: tuple[dict[str, Any], ...]
    draws: pd.DataFrame = field(repr=False)
    notes: tuple[str, ...] = ()
    inputs: dict[str, Any] = field(default_factory=dict)

    def quantity(self, id: str) -> dict[str, Any]:
        """The quantity with key ``id``."""
        for q in self.quantities:
            if q["id"] == id:
                return q
        raise ValuationError(f"no quantity {id!r}; ids: {[q['id'] for q in self.quantities]}")

    def summary(self) -> pd.DataFrame:
        """The world headline numbers (the ``summary`` table)."""
        keep = [q for q in self.quantities if q["id"].startswith("world.")]
        return pd.DataFrame([{"Measure": q["label"], "Year": self.year,
                              "Estimate": q["estimate"], "Interval low": q["ci_low"],
                              "Interval high": q["ci_high"], "Unit": q["unit"]}
                             for q in keep])

    def frames(self) -> dict[str, pd.DataFrame]:
        """The tables, readable first: ``summary``, ``countries``, ``regions``, ``excluded``,
        ``quantities`` (what ``carecost value --world --out`` writes)."""
        qs = []
        for q in self.quantities:
            d = dict(q)
            d["domain"] = "; ".join(f"{k}={v}" for k, v in (d["domain"] or {}).items())
            qs.append(d)
        return {"summary": self.summary(), "countries": self.countries,
                "regions": self.regions, "excluded": self.excluded,
                "quantities": pd.DataFrame(qs)}

    def about(self) -> pd.DataFrame:
        """``item``, ``text``: method notes and sources (the ``about`` sheet)."""
        import carecost

        rows = [{"item": "carecost version", "text": carecost.__version__},
                {"item": "title", "text": f"The value of unpaid domestic and care work, world "
                                          f"and regions, {self.year}"}]
        rows += [{"item": "method", "text": n} for n in self.notes]
        rows += [{"item": f"source {k}", "text": v} for k, v in SOURCES.items()]
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """The result JSON as Python objects (``carecost_version``, ``tables``, ``about``)."""
        import carecost

        from ._json import clean

        return {"carecost_version": carecost.__version__,
                "tables": {k: clean(v.to_dict(orient="records"))
                           for k, v in self.frames().items()},
                "about": clean(self.about().to_dict(orient="records")),
                "inputs": clean(self.inputs)}

    def to_json(self, path: str | Path | None = None, *, indent: int | None = 2) -> str:
        """The result JSON (strict: NaN as ``null``); written to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=indent, allow_nan=False, ensure_ascii=False)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text


# ----------------------------------------------------------------------- valuation
def _methods(method: str | Sequence[str] | None) -> tuple[str, ...]:
    ms = WORLD_METHODS if method is None else (method,) if isinstance(method, str) \
        else tuple(method)
    bad = [m for m in ms if m not in WORLD_METHODS]
    if bad or not ms:
        raise ValuationError(f"value_world: method {bad or ms!r}; allowed {list(WORLD_METHODS)}")
    return tuple(dict.fromkeys(ms))


def value_world(
    year: int = 2015, *, method: str | Sequence[str] | None = None, draws: int = 1000,
    seed: int = 0, level: float = 0.95, wage_uncertainty: float = 0.2,
    min_donors: int = MIN_DONORS, impute: bool = True, latest_survey: int | None = None,
    countries: Iterable[str] | None = None, max_wage_gap: int = 10,
) -> WorldValuation:
    """World and regional hours, women's share and value of unpaid domestic and care work.

    Parameters
    ----------
    year : int
        The chosen year (2000-2023: WPP 2019 population and WDI GDP); every value is moved to
        it by :func:`year_rule`.
    method : str or sequence of str, optional
        Methods of :data:`WORLD_METHODS` (default all four).
    draws, seed, level : int, int, float
        Monte Carlo draws (at least 2), seed and interval coverage (0.5-0.999).
    wage_uncertainty : float
        Half-width ``u`` of the common wage-choice factor, uniform in ``[1 - u, 1 + u]``
        (default 0.2; 0 for none).
    min_donors : int
        Fewest donors of an imputation cell (:mod:`carecost.valuation.donors`).
    impute : bool
        Impute hours and wages where missing (default True).  False: countries without a
        survey or without the wage are excluded (listed in ``excluded``) and the totals cover
        the surveyed countries only.
    latest_survey : int, optional
        Ignore surveys after this year (to match a publication's data).
    countries : iterable of str, optional
        Restrict to these ISO3 codes (default every country with population by age).
    max_wage_gap : int
        Most years between a wage observation and ``year`` (default 10); farther wages are
        imputed (flagged).

    Returns
    -------
    WorldValuation

    Raises
    ------
    ValuationError
        A bad parameter, an unknown country code, or no country left to value.
    """
    ms = _methods(method)
    y = int(year)
    if not 2000 <= y <= 2023:
        raise ValuationError(f"value_world: year {year}; allowed 2000-2023 (WPP 2019 "
                             "population and WDI GDP)")
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 2:
        raise ValuationError(f"value_world: draws must be a whole number >= 2; got {draws!r}")
    if not 0.5 <= float(level) <= 0.999:
        raise ValuationError(f"value_world: level {level}; give 0.5-0.999, e.g. 0.95")
    if isinstance(min_donors, bool) or not isinstance(min_donors, int) or min_donors < 1:
        raise ValuationError(f"value_world: min_donors must be a whole number >= 1; got "
                             f"{min_donors!r}")
    if not 0 <= float(wage_uncertainty) < 1:
        raise ValuationError(f"value_world: wage_uncertainty {wage_uncertainty}; give [0, 1)")
    a = _db.available()
    if countries is None:
        codes = [str(c) for c in a["iso3"]]
    else:
        codes = []
        for c in countries:
            try:
                codes.append(_db.resolve(str(c)))
            except CountryDataError as err:
                raise ValuationError(f"value_world: {err}") from err
    meta = a.set_index("iso3")
    excluded: list[dict[str, str]] = []
    rows: list[dict[str, Any]] = []
    for iso in codes:
        name = str(meta.loc[iso, "name"])
        if not _db.has_population(iso):
            excluded.append({"iso3": iso, "name": name, "reason": "no population by sex and "
                             "single age in UN WPP 2019 (small country or area)"})
            continue
        ig = meta.loc[iso, "income_group"]
        row: dict[str, Any] = {
            "iso3": iso, "name": name, "region": str(meta.loc[iso, "region"]),
            "subregion": str(meta.loc[iso, "subregion"]),
            "income_group": str(ig) if isinstance(ig, str) else ""}
        try:
            code, sy, h, hflag, parts = _survey_for_year(iso, y, latest_survey)
            lo, hi = age_range(code)
            row.update(hours_source="survey", survey_year=sy, age_group=code,
                       ages=ages_text(lo, hi), survey_flag=hflag, imputation="")
            row["hours_female"], row["hours_male"] = h["female"], h["male"]
            for s in _SEXES:
                tot = parts["domestic"][s] + parts["care"][s] if len(parts) == 2 else np.nan
                row[f"care_share_{s}"] = (parts["care"][s] / tot if len(parts) == 2 and tot > 0
                                          else np.nan)
        except ValuationError as err:
            if not impute:
                excluded.append({"iso3": iso, "name": name,
                                 "reason": f"{err}; impute=False"})
                continue
            lo, hi = RECIPIENT_AGES
            row.update(hours_source="imputed", survey_year=None, age_group="Y_GE15",
                       ages=ages_text(lo, hi), survey_flag="imputed", imputation="",
                       hours_female=np.nan, hours_male=np.nan, care_share_female=np.nan,
                       care_share_male=np.nan)
        pop = _db.population_by_sex(iso, y, lo, hi)
        row["population_female"], row["population_male"] = pop["female"], pop["male"]
        row["population_total_all_ages"] = sum(_db.population_by_sex(iso, y).values())
        try:
            g = {k: _db.indicator(iso, k, y) for k in ("gdp_lcu", "gdp_usd", "gdp_ppp")}
            row.update(gdp_lcu=g["gdp_lcu"]["value"], gdp_usd=g["gdp_usd"]["value"],
                       gdp_ppp=g["gdp_ppp"]["value"])
            fl = sorted({str(v["flag"]) for v in g.values()})
            row["gdp_flag"] = "observed" if fl == ["observed"] else "; ".join(fl)
        except CountryDataError as err:
            row.update(gdp_lcu=np.nan, gdp_usd=np.nan, gdp_ppp=np.nan,
                       gdp_flag=f"missing: {err}")
        for m in ms:
            got, how, proxy = _observed_ratios(iso, y, m, max_wage_gap)
            row[f"{m}.wage_source"] = "observed" if got is not None else "imputed"
            row[f"{m}.wage_how"] = how
            row[f"{m}.proxy"] = proxy
            for part in _WAGE_KEYS[m]:
                for s in _SEXES:
                    row[f"{m}.rho_{part}_{s}"] = (got[part][s] if got is not None
                                                  else np.nan)
        rows.append(row)
    if not rows:
        raise ValuationError("value_world: no country to value (none has population by age)")
    frame = pd.DataFrame(rows)
    return _assemble(frame, excluded, ms, y, draws=draws, seed=seed, level=float(level),
                     u=float(wage_uncertainty), min_donors=min_donors, impute=impute,
                     latest_survey=latest_survey, max_wage_gap=max_wage_gap)


def _assemble(frame: pd.DataFrame, excluded: list[dict[str, str]], ms: tuple[str, ...],
              y: int, *, draws: int, seed: int, level: float, u: float, min_donors: int,
              impute: bool, latest_survey: int | None, max_wage_gap: int) -> WorldValuation:
    rng = np.random.default_rng(seed)
    n = len(frame)
    # ------------------------------------------------------------ hours: point and draws
    # donors: the surveyed countries' hours as used for the chosen year (the year rule)
    donors = frame[frame["hours_source"] == "survey"][
        ["iso3", "region", "income_group", "hours_female", "hours_male", "care_share_female",
         "care_share_male", "ages"]]
    hf = np.repeat(frame["hours_female"].to_numpy(dtype=float)[:, None], draws, axis=1)
    hm = np.repeat(frame["hours_male"].to_numpy(dtype=float)[:, None], draws, axis=1)
    cs = {s: np.repeat(frame[f"care_share_{s}"].to_numpy(dtype=float)[:, None], draws, axis=1)
          for s in _SEXES}
    point_h = {"female": frame["hours_female"].to_numpy(dtype=float).copy(),
               "male": frame["hours_male"].to_numpy(dtype=float).copy()}
    point_cs = {s: frame[f"care_share_{s}"].to_numpy(dtype=float).copy() for s in _SEXES}
    imput_text = np.array(frame["imputation"].astype(object).tolist(), dtype=object)
    flags: list[list[str]] = [[] for _ in range(n)]
    d_iso = donors["iso3"].to_numpy(dtype=object)
    d_reg = donors["region"].to_numpy(dtype=object)
    d_inc = donors["income_group"].to_numpy(dtype=object)
    d_h = {s: donors[f"hours_{s}"].to_numpy(dtype=float) for s in _SEXES}
    d_cs = {s: donors[f"care_share_{s}"].to_numpy(dtype=float) for s in _SEXES}
    d_ages = donors["ages"].to_numpy(dtype=object)
    split = np.isfinite(d_cs["female"]) & np.isfinite(d_cs["male"])
    f_iso = frame["iso3"].to_numpy(dtype=object)
    f_reg = frame["region"].to_numpy(dtype=object)
    f_inc = frame["income_group"].to_numpy(dtype=object)
    f_src = frame["hours_source"].to_numpy(dtype=object)
    for i in range(n):
        keep = np.flatnonzero(d_iso != f_iso[i])
        if f_src[i] == "imputed":
            level_, cell, pos = cell_index(f_reg[i], f_inc[i], d_reg[keep], d_inc[keep],
                                           min_donors)
            sel = keep[pos]
            k = rng.integers(0, len(sel), size=draws)
            for s, arr in (("female", hf), ("male", hm)):
                arr[i] = d_h[s][sel][k]
                point_h[s][i] = float(d_h[s][sel].mean())
                cs[s][i] = d_cs[s][sel][k]
            ages = pd.Series(d_ages[sel]).value_counts()
            bases = ", ".join(f"{a} ({b})" for a, b in ages.items())
            imput_text[i] = (f"hours imputed: mean of {len(sel)} surveys of {cell} ({level_}); "
                             f"donor age bases {bases}; applied to ages 15+")
            flags[i].append("hours imputed")
        keep2 = keep[split[keep]]
        for s in _SEXES:  # a missing care share (no split published): the cell's mean
            miss = ~np.isfinite(cs[s][i])
            if miss.any() or not np.isfinite(point_cs[s][i]):
                _, cell2, pos2 = cell_index(f_reg[i], f_inc[i], d_reg[keep2], d_inc[keep2],
                                            min_donors)
                sh2 = d_cs[s][keep2[pos2]]
                if not np.isfinite(point_cs[s][i]):
                    point_cs[s][i] = float(sh2.mean())
                    if "replacement_specialist" in ms and s == "female":
                        flags[i].append(f"care share of hours imputed ({cell2}): the survey "
                                        "does not publish the domestic/care split")
                cs[s][i, miss] = sh2[rng.integers(0, len(sh2), size=int(miss.sum()))]
    frame = frame.copy()
    frame["hours_female"], frame["hours_male"] = point_h["female"], point_h["male"]
    frame["care_share_female"], frame["care_share_male"] = point_cs["female"], point_cs["male"]
    frame["imputation"] = imput_text
    pf = frame["population_female"].to_numpy(dtype=float)
    pm = frame["population_male"].to_numpy(dtype=float)
    hours_f = point_h["female"] * pf
    hours_m = point_h["male"] * pm
    frame["hours_per_day_total"] = hours_f + hours_m
    frame["women_share"] = 100.0 * hours_f / (hours_f + hours_m)
    draws_hf = hf * pf[:, None]
    draws_hm = hm * pm[:, None]
    # ---------------------------------------------------------------- wages and values
    gdp = frame["gdp_lcu"].to_numpy(dtype=float)
    gdp_ppp = frame["gdp_ppp"].to_numpy(dtype=float)
    gdp_usd = frame["gdp_usd"].to_numpy(dtype=float)
    has_gdp = np.isfinite(gdp) & np.isfinite(gdp_ppp) & np.isfinite(gdp_usd)
    pc = gdp / frame["population_total_all_ages"].to_numpy(dtype=float)
    factor = rng.uniform(1 - u, 1 + u, size=draws) if u > 0 else np.ones(draws)
    value_draws: dict[str, np.ndarray] = {}
    value_point: dict[str, np.ndarray] = {}
    for m in ms:
        parts = _WAGE_KEYS[m]
        rho_pt = {(p, s): frame[f"{m}.rho_{p}_{s}"].to_numpy(dtype=float).copy()
                  for p in parts for s in _SEXES}
        rho_dr = {k: np.repeat(v[:, None], draws, axis=1) for k, v in rho_pt.items()}
        obs = frame[f"{m}.wage_source"].to_numpy() == "observed"
        o_idx = np.flatnonzero(obs)
        hows = np.array(frame[f"{m}.wage_how"].astype(object).tolist(), dtype=object)
        for i in (int(j) for j in np.flatnonzero(~obs)):
            if not impute:
                continue
            keep = o_idx[f_iso[o_idx] != f_iso[i]]
            if not len(keep):
                continue
            level_, cell, pos = cell_index(f_reg[i], f_inc[i], f_reg[keep], f_inc[keep],
                                           min_donors)
            sel = keep[pos]
            k = rng.integers(0, len(sel), size=draws)
            for key in rho_pt:
                vals = rho_pt[key][sel]
                rho_pt[key][i] = float(vals.mean())
                rho_dr[key][i] = vals[k]
            hows[i] = (f"wage imputed as a share of GDP per capita: mean of {len(sel)} "
                       f"countries of {cell} ({level_}) [{hows[i]}]")
            flags[i].append(f"{m}: wage imputed")
        frame[f"{m}.wage_how"] = hows
        for key, v in rho_pt.items():
            frame[f"{m}.rho_{key[0]}_{key[1]}"] = v
        if m == "replacement_specialist":
            vp = sum(DAYS * pc * (pf if s == "female" else pm) * point_h[s]
                     * (point_cs[s] * rho_pt[("care", s)]
                        + (1 - point_cs[s]) * rho_pt[("domestic", s)]) for s in _SEXES)
            vd = sum(DAYS * pc[:, None] * (draws_hf if s == "female" else draws_hm)
                     * (cs[s] * rho_dr[("care", s)] + (1 - cs[s]) * rho_dr[("domestic", s)])
                     for s in _SEXES)
        else:
            vp = sum(DAYS * pc * (pf if s == "female" else pm) * point_h[s]
                     * rho_pt[("all", s)] for s in _SEXES)
            vd = sum(DAYS * pc[:, None] * (draws_hf if s == "female" else draws_hm)
                     * rho_dr[("all", s)] for s in _SEXES)
        vd = vd * factor[None, :]
        ok = has_gdp & np.isfinite(vp)
        frame[f"{m}.value_lcu"] = np.where(ok, vp, np.nan)
        frame[f"{m}.pct_gdp"] = np.where(ok, 100.0 * vp / gdp, np.nan)
        frame[f"{m}.value_ppp"] = np.where(ok, vp * gdp_ppp / gdp, np.nan)
        frame[f"{m}.value_usd"] = np.where(ok, vp * gdp_usd / gdp, np.nan)
        value_point[m] = np.where(ok, vp * gdp_ppp / gdp, np.nan)
        value_draws[m] = np.where(ok[:, None], vd * (gdp_ppp / gdp)[:, None], np.nan)
    frame["flags"] = ["; ".join(f) for f in flags]
    return _totals(frame, excluded, ms, y, value_point, value_draws, draws_hf, draws_hm,
                   has_gdp, gdp_ppp, draws=draws, seed=seed, level=level, u=u,
                   min_donors=min_donors, impute=impute, latest_survey=latest_survey,
                   max_wage_gap=max_wage_gap)


def _interval(x: np.ndarray, level: float) -> tuple[float, float]:
    a = (1 - level) / 2
    return float(np.quantile(x, a)), float(np.quantile(x, 1 - a))


def _totals(frame: pd.DataFrame, excluded: list[dict[str, str]], ms: tuple[str, ...], y: int,
            value_point: dict[str, np.ndarray], value_draws: dict[str, np.ndarray],
            draws_hf: np.ndarray, draws_hm: np.ndarray, has_gdp: np.ndarray,
            gdp_ppp: np.ndarray, *, draws: int, seed: int, level: float, u: float,
            min_donors: int, impute: bool, latest_survey: int | None,
            max_wage_gap: int) -> WorldValuation:
    lv = f"{100 * level:.0f}%"
    interval_h = (f"{lv} Monte Carlo percentile interval ({draws:,} draws, seed {seed}): one "
                  "random donor survey of the cell for each imputed country; survey sampling "
                  "errors not included (SDG 5.4.1 publishes none)")
    interval_v = (f"{lv} Monte Carlo percentile interval ({draws:,} draws, seed {seed}): random "
                  "donors for imputed hours and wages and a wage-choice factor common to all "
                  f"countries, uniform in [{1 - u:g}, {1 + u:g}]; survey sampling errors not "
                  "included")
    groups = [("world", "World", np.ones(len(frame), dtype=bool))]
    for reg in sorted(frame["region"].unique()):
        groups.append(("region", reg, (frame["region"] == reg).to_numpy()))
    quantities: list[dict[str, Any]] = []
    reg_rows = []

    def q(id_: str, label: str, est: float, lo: float | None, hi: float | None, unit: str,
          source: str, method: str, domain: dict[str, Any], interval: str,
          n: int | None = None, flags: tuple[str, ...] = ()) -> dict[str, Any]:
        return {"id": id_, "label": label, "estimate": est, "se": None, "ci_low": lo,
                "ci_high": hi, "level": level if lo is not None else None,
                "interval": interval if lo is not None else "none (a count)",
                "unit": unit, "source": source, "method": method, "domain": domain, "n": n,
                "flags": list(flags)}

    for kind, gname, mask in groups:
        sub = frame[mask]
        pre = "world" if kind == "world" else "region." + _slug(gname)
        dom = {} if kind == "world" else {"region": gname}
        hf = draws_hf[mask].sum(axis=0)
        hm = draws_hm[mask].sum(axis=0)
        h_pt = float(sub["hours_per_day_total"].sum())
        wf_pt = float((sub["hours_female"] * sub["population_female"]).sum())
        nsurv = int((sub["hours_source"] == "survey").sum())
        pop15 = (sub["population_female"] + sub["population_male"]).to_numpy(dtype=float)
        surv = (sub["hours_source"] == "survey").to_numpy()
        share_pop = float(100 * pop15[surv].sum() / pop15.sum())
        hl, hh = _interval((hf + hm) / 1e9, level)
        sl, sh = _interval(100 * hf / (hf + hm), level)
        reg_row: dict[str, Any] = {
            "level": kind, "name": gname, "countries": len(sub),
            "countries_with_survey": nsurv, "population_share_with_survey": share_pop,
            "hours_bn_per_day": h_pt / 1e9, "hours_ci_low": hl, "hours_ci_high": hh,
            "women_share": 100 * wf_pt / h_pt, "women_share_ci_low": sl,
            "women_share_ci_high": sh}
        bases = sub["ages"].value_counts()
        age_flag: tuple[str, ...] = ()
        if len(bases) > 1:
            age_flag = ("age bases differ between countries (each survey's own ages; imputed "
                        "countries 15+): " + ", ".join(f"{a} {n}" for a, n in bases.items()),)
        how_h = ("sum over countries of hours per day per person by sex (SDG 5.4.1 survey, or "
                 "imputed) x population of the survey's ages in the year (WPP 2019); " +
                 IMPUTATION_RULE)
        quantities += [
            q(f"{pre}.unpaid_care_hours_per_day",
              f"Unpaid domestic and care work, {gname}, {y}", h_pt / 1e9, hl, hh,
              "billion hours per day", "sdg541", how_h, dom, interval_h, n=len(sub),
              flags=age_flag),
            q(f"{pre}.women_share", f"Women's share of the hours, {gname}, {y}",
              100 * wf_pt / h_pt, sl, sh, "% of hours", "sdg541", how_h, dom, interval_h,
              n=len(sub), flags=age_flag),
            q(f"{pre}.countries_with_survey", f"Countries with an SDG 5.4.1 survey, {gname}",
              float(nsurv), None, None, "countries", "sdg541",
              "countries whose hours are their own survey's (the rest imputed)", dom, "",
              n=len(sub)),
            q(f"{pre}.population_share_with_survey",
              f"Share of the population valued that has a survey, {gname}, {y}", share_pop,
              None, None, "% of population of the ages valued", "wpp2019",
              "population of the ages valued in surveyed countries / all countries valued",
              dom, ""),
        ]
        if kind == "world":
            quantities.append(q("world.countries", f"Countries and areas valued, {y}",
                                float(len(sub)), None, None, "countries", "wpp2019",
                                "every country with population by age (WPP 2019)", dom, ""))
        gp = float(np.nansum(np.where(has_gdp[mask], gdp_ppp[mask], np.nan)))
        for m in ms:
            vpt = value_point[m][mask]
            vdr = value_draws[m][mask]
            okm = np.isfinite(vpt)
            gdp_cov = float(np.nansum(np.where(okm, gdp_ppp[mask], np.nan)))
            nval = int(okm.sum())
            fl: tuple[str, ...] = ()
            if nval < len(sub):
                miss = ", ".join(sub.loc[~okm, "iso3"].astype(str))
                fl = (f"{len(sub) - nval} of {len(sub)} countries without GDP or wage are not "
                      f"in the value ({miss})",)
            if nval == 0:
                tot, vl, vh, pl, ph, pct = (np.nan,) * 6
            else:
                tot = float(np.nansum(vpt))
                tot_d = np.nansum(vdr, axis=0)
                vl, vh = _interval(tot_d / 1e9, level)
                pl, ph = _interval(100 * tot_d / gdp_cov, level)
                pct = 100 * tot / gdp_cov
            mname = COUNTRY_METHODS[m]
            how_v = (f"{mname} at gross wages: sum over countries of hours x population x 365 "
                     "x wage (wage = its share of GDP per capita x GDP per capita of the year); "
                     "PPP$ at GDP(PPP$)/GDP(LCU) of each country; " + year_rule())
            src = "minimum_wages" if m == "minimum_wage" else "earnings"
            quantities += [
                q(f"{pre}.value_ppp.{m}", f"Value ({mname}), {gname}, {y}", tot / 1e9, vl, vh,
                  "billion PPP$ per year (current international $)", src, how_v, dom,
                  interval_v, n=nval, flags=fl),
                q(f"{pre}.value_pct_gdp.{m}", f"Value as a share of GDP ({mname}), {gname}, "
                  f"{y}", pct, pl, ph,
                  "% of world GDP" if kind == "world" else "% of regional GDP", src,
                  how_v + "; GDP of the countries valued (PPP$)", dom, interval_v, n=nval,
                  flags=fl),
            ]
            reg_row[f"{m}.value_bn_ppp"] = tot / 1e9
            reg_row[f"{m}.value_ci_low"] = vl
            reg_row[f"{m}.value_ci_high"] = vh
            reg_row[f"{m}.pct_gdp"] = pct
            reg_row[f"{m}.pct_gdp_ci_low"] = pl
            reg_row[f"{m}.pct_gdp_ci_high"] = ph
        reg_row["gdp_bn_ppp"] = gp / 1e9
        reg_rows.append(reg_row)
    # world draws table
    dtab = {"draw": np.arange(draws),
            "hours_bn_per_day": (draws_hf.sum(axis=0) + draws_hm.sum(axis=0)) / 1e9}
    for m in ms:
        dtab[f"{m}.value_bn_ppp"] = np.nansum(value_draws[m], axis=0) / 1e9
    n_proxy = {m: int((frame[f"{m}.proxy"] == "proxy").sum()) for m in ms}
    notes = (
        f"chosen year {y}: " + year_rule(),
        "countries without a survey: " + IMPUTATION_RULE.replace(
            "latest surveys", "surveys used for the chosen year"),
        "wages: the method's earnings series (gross) as a share of GDP per capita in the "
        "observation year; missing wages imputed by the same cell rule over the countries with "
        "the wage (flagged); " + "; ".join(f"{m}: {n_proxy[m]} countries at a proxy wage"
                                            for m in ms if n_proxy[m]),
        "minimum wage: a shipped statutory rate where carecost cites one (USA, FRA, GBR in "
        "some years), else the elementary-occupation earnings as the proxy (flagged; "
        "overstates the ILO measure)",
        "specialist: care hours at ISCO major group 5 earnings (proxy for 53, personal care "
        "workers), domestic hours at the generalist wage",
        "valued at gross wages: the database has no employer-contribution or tax rates",
        f"intervals: {interval_v}",
        f"excluded: {len(excluded)} countries and areas (see the excluded table)",
    )
    countries_tab = frame.drop(columns=[c for c in frame.columns if ".rho_" in c]).copy()
    for m in ms:  # the wage shares are kept as one readable column per part and sex
        for p in _WAGE_KEYS[m]:
            for s in _SEXES:
                countries_tab[f"{m}.wage_share_gdp_pc_{p}_{s}"] = frame[f"{m}.rho_{p}_{s}"]
    return WorldValuation(
        year=y, methods=ms, countries=countries_tab.reset_index(drop=True),
        regions=pd.DataFrame(reg_rows),
        excluded=pd.DataFrame(excluded, columns=["iso3", "name", "reason"]),
        quantities=tuple(quantities), draws=pd.DataFrame(dtab), notes=notes,
        inputs={"year": y, "methods": list(ms), "draws": draws, "seed": seed, "level": level,
                "wage_uncertainty": u, "min_donors": min_donors, "impute": impute,
                "latest_survey": latest_survey, "max_wage_gap": max_wage_gap})


def _slug(text: str) -> str:
    s = "".join(ch.lower() if ch.isalnum() else "_" for ch in text)
    return "_".join(p for p in s.split("_") if p)
