"""One scenario or preset for many countries at once, with regional and world aggregates.

:func:`simulate_many` runs the same policy package (a shipped preset such as ``"ilo-2035"``,
or a scenario whose ``meta.country`` is replaced country by country) for every country
asked, on all cores (one process per worker, :class:`concurrent.futures.
ProcessPoolExecutor`).  Each country is one row of :attr:`WorldResult.countries`; a country
that cannot be simulated is one row of :attr:`WorldResult.failures` with the error (which
names the missing inputs), never a silent skip.  Regional (UN M49 regions) and world
aggregates sum money in US$ and weight shares of GDP by GDP, as the ILO aggregates its
shares of GDP (De Henau 2022: regional and global figures are GDP-weighted averages).

Money is converted to US$ at the market exchange rate of each scenario's price year (World
Bank WDI ``NY.GDP.MKTP.CN / NY.GDP.MKTP.CD``), the rate used for its input–output table
(docs/methods.md §4.6), so the US$ totals are at mixed price years when base years differ.

References
----------
De Henau, J. (2022). *Costs and benefits of investing in transformative care policy packages:
A macrosimulation study in 82 countries*. ILO Working Paper 55.
ILO (2022). *Care at Work: Investing in Care Leave and Services for a More Gender Equal World
of Work*. Geneva: ILO.
"""

from __future__ import annotations

import copy
import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from carecost import countries as _db

from ._validate import InvestmentInputError
from .model import AREA_OF_KIND, simulate
from .scenario import PRESETS, Scenario, _read_toml, scenario_from_dict

__all__ = ["AREAS", "WORLD_COLUMNS", "WorldResult", "simulate_many"]

#: Policy areas reported for every country (columns ``<area>_cost_pct_gdp``).
AREAS = ("childcare", "ltc", "leave", "breastfeeding")

#: Columns of :attr:`WorldResult.countries` after ``iso3, name, region, subregion,
#: wb_region, income_group``.
WORLD_COLUMNS = (
    "year", "base_year", "price_year", "lcu_per_usd", "gdp", "gdp_usd",
    *(f"{a}_cost_pct_gdp" for a in AREAS), "package_cost_pct_gdp", "package_cost_usd",
    "jobs_direct_childcare", "jobs_direct_ltc", "jobs_direct", "jobs_indirect",
    "jobs_induced", "jobs_total", "jobs_women", "women_emp_rate_change_pp",
    "net_funding_pct_gdp", "package_net_funding_pct_gdp", "employment_unit", "warnings",
)

#: Measures summed over countries in the aggregates (the shares of GDP are recomputed from
#: the US$ sums, i.e. GDP-weighted).
_SUMMED = ("jobs_direct_childcare", "jobs_direct_ltc", "jobs_direct", "jobs_indirect",
           "jobs_induced", "jobs_total")


@dataclass(frozen=True)
class WorldResult:
    """Results of :func:`simulate_many`.

    Attributes
    ----------
    countries : DataFrame
        One row per country simulated: ``iso3, name, region, subregion, wb_region,
        income_group`` then :data:`WORLD_COLUMNS` (money in local currency at the price
        year's prices, ``gdp_usd`` and ``package_cost_usd`` in US$; shares in % of GDP; direct
        jobs by area in FTE, other jobs in ``employment_unit``).
    failures : DataFrame
        ``iso3, name, error``: every country asked that could not be simulated, with the
        error (which names each missing input and the key to set).
    aggregates : DataFrame
        ``level`` (``"region"`` or ``"world"``), ``name``, ``countries`` (simulated),
        ``gdp_usd``, the GDP-weighted ``<area>_cost_pct_gdp``, ``package_cost_pct_gdp``,
        ``net_funding_pct_gdp`` and ``package_net_funding_pct_gdp`` (the sum of the amounts in
        US$ over the sum of GDP in US$) and the summed jobs.
    year : int or None
        The year reported (the scenarios' target year unless given).
    scenario : str
        The preset name or the scenario's ``meta.name``.
    """

    countries: pd.DataFrame
    failures: pd.DataFrame
    aggregates: pd.DataFrame
    year: int | None
    scenario: str
    notes: tuple[str, ...] = field(default=())


def _raw_of(scenario_or_preset: Any) -> tuple[dict[str, Any], str]:
    if isinstance(scenario_or_preset, Scenario):
        raise InvestmentInputError(
            "scenario_or_preset is a loaded Scenario, whose country inputs are already filled; "
            "pass a preset name (" + ", ".join(map(repr, PRESETS)) + "), the scenario file's "
            "path or its parsed tables (a dict), so that meta.country can be set per country")
    if isinstance(scenario_or_preset, str) and scenario_or_preset in PRESETS:
        return {"meta": {"preset": scenario_or_preset}}, scenario_or_preset
    if isinstance(scenario_or_preset, str | os.PathLike):
        path = Path(scenario_or_preset)
        if not path.is_file():
            raise InvestmentInputError(
                f"scenario_or_preset = {str(scenario_or_preset)!r} is neither a preset ("
                + ", ".join(map(repr, PRESETS)) + ") nor a scenario file")
        raw = _read_toml(path)
    elif isinstance(scenario_or_preset, Mapping):
        raw = copy.deepcopy(dict(scenario_or_preset))
    else:
        raise InvestmentInputError(
            f"scenario_or_preset = {scenario_or_preset!r}; allowed a preset name, a scenario "
            "file or a dict of scenario tables")
    meta = raw.get("meta")
    if not isinstance(meta, Mapping):
        raise InvestmentInputError("scenario_or_preset has no [meta] table")
    if "population" in raw or "io" in raw:
        raise InvestmentInputError(
            "scenario_or_preset sets [population] or [io]: those are one country's; remove "
            "them so that every country uses its own population and input–output table")
    name = str(meta.get("preset") or meta.get("name") or "scenario")
    return raw, name


def _codes(countries: str | Iterable[str]) -> list[str]:
    table = _db.available()
    if isinstance(countries, str):
        if countries != "all":
            raise InvestmentInputError(
                f"countries = {countries!r}; allowed 'all' or a list of ISO3 codes")
        return [str(c) for c in table["iso3"]]
    out: list[str] = []
    for c in countries:
        code = str(c).strip().upper()
        if code not in out:
            out.append(code)
    if not out:
        raise InvestmentInputError("countries is empty; allowed 'all' or a list of ISO3 codes")
    return out


def _one(iso3: str, raw: Mapping[str, Any], year: int | None) -> dict[str, Any]:
    """Simulate one country; a dict row, or ``{"iso3", "error"}``."""
    mine = copy.deepcopy(dict(raw))
    mine["meta"] = {**mine["meta"], "country": iso3}
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            scn = scenario_from_dict(mine)
            res = simulate(scn)
        yr = scn.target_year if year is None else int(year)
        summary = res.summary.set_index("year")
        if yr not in summary.index:
            raise InvestmentInputError(
                f"year = {yr} not simulated; allowed {scn.base_year}–{scn.end_year}")
        s: dict[Any, Any] = summary.loc[[yr]].iloc[0].to_dict()
        pyear = scn.price_year if scn.price_year is not None else scn.base_year
        rate = float(_db.indicator(iso3, "gdp_lcu", pyear)["value"]) / float(
            _db.indicator(iso3, "gdp_usd", pyear)["value"])
        by_area = res.by_policy_area(yr)
        area = dict(zip(by_area["area"], by_area["additional_cost_pct_gdp"].to_numpy(
            dtype=float), strict=True))
        bs = res.by_service[res.by_service["year"] == yr]
        kinds = {x.name: AREA_OF_KIND.get(x.kind, x.kind) for x in scn.services}
        direct = {a: float(((bs["care_staff_fte"] + bs["other_staff_fte"])
                            [bs["service"].map(kinds) == a]).sum()) for a in ("childcare", "ltc")}
        row: dict[str, Any] = {
            "iso3": scn.country, "year": yr, "base_year": scn.base_year, "price_year": pyear,
            "lcu_per_usd": rate, "gdp": float(s["gdp"]), "gdp_usd": float(s["gdp"]) / rate,
        }
        for a in AREAS:
            row[f"{a}_cost_pct_gdp"] = float(area.get(a, 0.0))
        row.update({
            "package_cost_pct_gdp": float(s["package_cost_pct_gdp"]),
            "package_cost_usd": float(s["package_cost"]) / rate,
            "jobs_direct_childcare": direct["childcare"], "jobs_direct_ltc": direct["ltc"],
            "jobs_direct": float(s["jobs_direct"]), "jobs_indirect": float(s["jobs_indirect"]),
            "jobs_induced": float(s["jobs_induced"]), "jobs_total": float(s["jobs_total"]),
            "jobs_women": float(s["jobs_women"]),
            "women_emp_rate_change_pp": float(s["women_emp_rate_change_pp"]),
            "net_funding_pct_gdp": float(s["net_funding_pct_gdp"]),
            "package_net_funding_pct_gdp": float(s["package_net_funding_pct_gdp"]),
            "employment_unit": res.model.employment_unit,
            "warnings": len(caught),
        })
        return row
    except (InvestmentInputError, _db.CountryDataError) as err:
        return {"iso3": iso3, "error": str(err)}


def _one_star(args: tuple[str, Mapping[str, Any], int | None]) -> dict[str, Any]:
    return _one(*args)


def _aggregate(frame: pd.DataFrame, level: str, name: str) -> dict[str, Any]:
    gdp = float(frame["gdp_usd"].sum())
    out: dict[str, Any] = {"level": level, "name": name, "countries": len(frame),
                           "gdp_usd": gdp}
    for col in (*(f"{a}_cost_pct_gdp" for a in AREAS), "package_cost_pct_gdp",
                "net_funding_pct_gdp", "package_net_funding_pct_gdp"):
        out[col] = float((frame[col] * frame["gdp_usd"]).sum()) / gdp if gdp > 0 else np.nan
    for col in _SUMMED:
        out[col] = float(frame[col].sum())
    return out


def simulate_many(
    countries: str | Iterable[str],
    scenario_or_preset: str | os.PathLike[str] | Mapping[str, Any],
    *,
    year: int | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> WorldResult:
    """Simulate one preset or scenario for many countries, with regional and world totals.

    Parameters
    ----------
    countries : "all" or iterable of str
        ISO3 codes of the country database (:func:`carecost.countries.available`); ``"all"``
        for every country and area of the database (those without the inputs are listed in
        :attr:`WorldResult.failures`).
    scenario_or_preset : str, path or mapping
        A preset name (``"ilo-2035"``, ``"ilo-2050"``), a scenario TOML file or its parsed
        tables; ``meta.country`` is set to each country in turn (a ``[population]`` or
        ``[io]`` table, which belong to one country, is refused).
    year : int, optional
        Year reported (default each scenario's target year).
    workers : int, optional
        Processes (default ``os.cpu_count()``); 1 runs in this process.
    progress : callable, optional
        ``progress(done, total)`` after each country (e.g. to drive a progress bar).

    Returns
    -------
    WorldResult

    Raises
    ------
    InvestmentInputError
        For a bad ``countries`` or ``scenario_or_preset`` (before any country is run).
        Errors of one country are not raised: they are rows of ``failures``.
    """
    raw, label = _raw_of(scenario_or_preset)
    codes = _codes(countries)
    n_workers = max(1, int(workers if workers is not None else (os.cpu_count() or 1)))
    tasks = [(c, raw, year) for c in codes]
    rows: list[dict[str, Any]] = []
    if n_workers == 1 or len(tasks) == 1:
        for i, task in enumerate(tasks, start=1):
            rows.append(_one_star(task))
            if progress is not None:
                progress(i, len(tasks))
    else:
        chunk = max(1, len(tasks) // (4 * n_workers))
        with ProcessPoolExecutor(max_workers=n_workers) as pool:
            for i, row in enumerate(pool.map(_one_star, tasks, chunksize=chunk), start=1):
                rows.append(row)
                if progress is not None:
                    progress(i, len(tasks))
    meta = _db.available().set_index("iso3")[
        ["name", "region", "subregion", "wb_region", "income_group"]]
    done = [r for r in rows if "error" not in r]
    failed = [r for r in rows if "error" in r]
    table = pd.DataFrame(done, columns=["iso3", *WORLD_COLUMNS])
    table = meta.reindex(table["iso3"]).reset_index().merge(table, on="iso3", how="right")
    failures = pd.DataFrame(failed, columns=["iso3", "error"])
    failures.insert(1, "name", [str(meta["name"].get(c, "")) if c in meta.index else ""
                                for c in failures["iso3"]])
    aggs = [_aggregate(g, "region", str(r)) for r, g in table.groupby("region", sort=True)]
    if len(table):
        aggs.append(_aggregate(table, "world", "World"))
    notes = (f"{len(done)} of {len(codes)} countries simulated; {len(failed)} listed in "
             "failures with the missing input",)
    return WorldResult(countries=table, failures=failures, aggregates=pd.DataFrame(aggs),
                       year=year, scenario=label, notes=notes)
