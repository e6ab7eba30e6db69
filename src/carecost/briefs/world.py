"""The machine-readable world result of :func:`carecost.investment.simulate_many`.

:func:`world_frames` gives the tables that ``carecost simulate --countries ... --out`` writes
(``quantities``, ``countries``, ``aggregates``, ``failures`` and, with a Monte Carlo,
``monte_carlo``) and :func:`world_result_json` the JSON document of
``--out world.json``: the layout of every carecost table output (``carecost_version``,
``tables`` by name, each a list of rows, and ``about``), so ``tables.quantities`` holds one
row per number with the fields of :class:`carecost.briefs.Quantity` (id, label, estimate,
interval, unit, source, method, domain, flags).

Quantity ids, ``Y`` the year reported (the preset's target year unless another is asked):

* ``world.leave.cost_pct_gdp.Y``, ``world.breastfeeding.cost_pct_gdp.Y``,
  ``world.childcare.additional_cost_pct_gdp.Y``, ``world.ltc.additional_cost_pct_gdp.Y``,
  ``world.package.cost_pct_gdp.Y`` [% of GDP, GDP-weighted over the countries simulated];
* ``world.jobs.Y`` (all jobs), ``world.jobs.direct_childcare.Y``, ``world.jobs.direct_ltc.Y``,
  ``world.jobs.indirect.Y``, ``world.jobs.induced.Y`` [jobs; direct in FTE];
* ``world.countries`` (how many were simulated) and ``world.failures`` (how many could not
  be);
* the same for each UN M49 region, ``region.<region>.…`` (e.g.
  ``region.africa.leave.cost_pct_gdp.2035``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

import carecost

from ._common import slug_part
from .excel import clean_frame
from .model import Quantity, Source, clean_json

if TYPE_CHECKING:
    from carecost.investment.uncertainty import WorldMonteCarlo
    from carecost.investment.world import WorldResult

__all__ = ["WORLD_QUANTITIES", "world_frames", "world_quantities", "world_result_json",
           "world_year", "write_world_json"]

#: ``(id part, column of WorldResult.aggregates, Monte Carlo measure, label, unit)``
WORLD_QUANTITIES: tuple[tuple[str, str, str, str, str], ...] = (
    ("leave.cost_pct_gdp", "leave_cost_pct_gdp", "leave_cost_pct_gdp",
     "Cost of childcare-related leave (maternity and paternity)", "% of GDP"),
    ("breastfeeding.cost_pct_gdp", "breastfeeding_cost_pct_gdp",
     "breastfeeding_cost_pct_gdp", "Cost of paid breastfeeding breaks", "% of GDP"),
    ("childcare.additional_cost_pct_gdp", "childcare_cost_pct_gdp", "childcare_cost_pct_gdp",
     "Additional cost of early childhood care and education", "% of GDP"),
    ("ltc.additional_cost_pct_gdp", "ltc_cost_pct_gdp", "ltc_cost_pct_gdp",
     "Additional cost of long-term care", "% of GDP"),
    ("package.cost_pct_gdp", "package_cost_pct_gdp", "package_cost_pct_gdp",
     "Cost of the whole package (four policy areas)", "% of GDP"),
    ("jobs", "jobs_total", "jobs_total", "Jobs created (direct, indirect and induced)",
     "jobs"),
    ("jobs.direct_childcare", "jobs_direct_childcare", "jobs_direct_childcare",
     "Direct jobs in early childhood care and education", "full-time equivalent jobs"),
    ("jobs.direct_ltc", "jobs_direct_ltc", "jobs_direct_ltc",
     "Direct jobs in long-term care", "full-time equivalent jobs"),
    ("jobs.indirect", "jobs_indirect", "jobs_indirect",
     "Indirect jobs (supply chains of the care services)", "persons employed"),
    ("jobs.induced", "jobs_induced", "jobs_induced",
     "Induced jobs (spending of the new earnings)", "persons employed"),
)

_METHOD = ("Sum over the countries simulated (carecost.investment.simulate_many): amounts "
           "in US$ at each country's market exchange rate of its price year, shares of GDP "
           "GDP-weighted (sum of the costs over the sum of GDP, as De Henau 2022 aggregates)")


def world_year(result: WorldResult) -> int:
    """The year the world result reports: ``result.year``, else the countries' (the
    scenario's target year), else the preset's target year.

    Raises
    ------
    carecost.briefs.BriefError
        When no year can be found (no country simulated and not a preset) or the countries
        report different years.
    """
    from carecost.investment.scenario import PRESETS, preset_raw

    from .model import BriefError

    if result.year is not None:
        return int(result.year)
    years = sorted({int(y) for y in result.countries["year"]})
    if len(years) == 1:
        return years[0]
    if len(years) > 1:
        raise BriefError(f"the countries report different years {years}; pass year= to "
                         "simulate_many")
    if result.scenario in PRESETS:
        return int(preset_raw(result.scenario)["meta"]["target_year"])
    raise BriefError("no country was simulated and the scenario is not a preset: no year")


def _source(result: WorldResult) -> Source:
    return Source("carecost-world", (
        f"carecost {carecost.__version__}, simulate_many with {result.scenario!r} for "
        f"{len(result.countries)} countries of the carecost country database (UN WPP 2019 "
        "population, World Bank WDI GDP and exchange rates, ILOSTAT employment and earnings, "
        "WIOD 2013 input-output tables); every input with its source in the country rows"))


def world_quantities(result: WorldResult, mc: WorldMonteCarlo | None = None) -> list[Quantity]:
    """The world and regional numbers of a world result, as brief quantities.

    Parameters
    ----------
    result : WorldResult
    mc : WorldMonteCarlo, optional
        Its intervals (same countries and scenario) fill ``ci_low``/``ci_high``.

    Returns
    -------
    list of Quantity
        World quantities first (ids of the module docstring), then region by region.
    """
    yr = world_year(result)
    src = _source(result).id
    if mc is not None:
        lv = float(mc.summary["level"].iloc[0]) if len(mc.summary) else None
        draws = int(mc.summary["draws"].iloc[0]) if len(mc.summary) else 0
        interval = (f"{100 * (lv or 0):.0f}% Monte Carlo percentile interval ({draws:,} draws, "
                    f"{mc.correlation} across countries; carecost.investment.world_monte_"
                    "carlo); "
                    + ("population variants (WPP 2019 low/medium/high) included"
                       if any(n.startswith("population: UN WPP") for n in mc.notes)
                       else "population uncertainty not included"))
        mci = mc.summary.set_index(["name", "measure"])
    else:
        lv, interval, mci = None, "none: the central scenario (no Monte Carlo)", None
    out: list[Quantity] = []
    aggs = result.aggregates
    table = result.countries
    imputed = (table[table["imputed"].astype(str) != ""] if "imputed" in table.columns
               else table.iloc[:0])
    for _, row in aggs.iterrows():
        name = str(row["name"])
        prefix = "world" if row["level"] == "world" else f"region.{slug_part(name)}"
        where = "the world" if row["level"] == "world" else name
        mine = imputed if row["level"] == "world" else imputed[imputed["region"] == name]
        flags = ((f"{len(mine)} of {int(row['countries'])} countries rest on imputed inputs "
                  f"({', '.join(sorted(set(', '.join(mine['imputed']).split(', '))))}; "
                  "column imputed of the countries table)",) if len(mine) else ())
        for part, col, measure, label, unit in WORLD_QUANTITIES:
            lo = hi = None
            if mci is not None and (name, measure) in mci.index:
                lo = float(mci["ci_low"].loc[(name, measure)])
                hi = float(mci["ci_high"].loc[(name, measure)])
            out.append(Quantity(
                id=f"{prefix}.{part}.{yr}", label=f"{label}, {where}, {yr}",
                estimate=float(row[col]), se=None, ci_low=lo, ci_high=hi,
                level=lv if lo is not None else None, interval=interval, unit=unit,
                source=src, method=_METHOD, domain={"year": yr, "scope": where},
                n=int(row["countries"]), flags=flags))
        out.append(Quantity(
            id=f"{prefix}.countries", label=f"Countries simulated, {where}",
            estimate=float(row["countries"]), se=None, ci_low=None, ci_high=None, level=None,
            interval="none: a count", unit="countries", source=src,
            method="countries with every input (the others are in the failures table)",
            domain={"scope": where}, n=int(row["countries"])))
    if aggs.empty or "World" not in set(aggs["name"]):
        out.insert(0, Quantity(
            id="world.countries", label="Countries simulated, the world", estimate=0.0,
            se=None, ci_low=None, ci_high=None, level=None, interval="none: a count",
            unit="countries", source=src, method="no country had every input",
            domain={"scope": "the world"}, n=0))
    out.append(Quantity(
        id="world.failures", label="Countries that could not be simulated",
        estimate=float(len(result.failures)), se=None, ci_low=None, ci_high=None, level=None,
        interval="none: a count", unit="countries", source=src,
        method="each is a row of the failures table, with the missing inputs",
        domain={"scope": "the world"}, n=len(result.failures)))
    return out


def world_frames(result: WorldResult, mc: WorldMonteCarlo | None = None
                 ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The tables of a world result and its ``about`` table (for ``write_tables``).

    Returns
    -------
    frames : dict of str to DataFrame
        ``quantities`` (one row per number, the fields of
        :meth:`carecost.briefs.Quantity.to_dict`, ``domain`` as ``key=value; ...``),
        ``countries`` (one row per country simulated), ``aggregates``, ``failures`` (``iso3,
        name, error``: the inputs each lacks) and, with ``mc``, ``monte_carlo``.
    about : DataFrame
        ``item, text`` rows: version, scenario, year, counts, notes and the source.
    """
    qs = []
    for q in world_quantities(result, mc):
        d = q.to_dict()
        d["domain"] = "; ".join(f"{k}={v}" for k, v in (d["domain"] or {}).items())
        qs.append(d)
    frames = {"quantities": pd.DataFrame(qs), "countries": result.countries,
              "aggregates": result.aggregates, "failures": result.failures}
    if mc is not None:
        frames["monte_carlo"] = mc.summary
    src = _source(result)
    notes = list(result.notes) + (list(mc.notes) if mc is not None else [])
    about = pd.DataFrame({
        "item": ["carecost version", "scenario", "year", "countries", "failures",
                 *(["note"] * len(notes)), f"source {src.id}"],
        "text": [carecost.__version__, result.scenario, str(world_year(result)),
                 str(len(result.countries)), str(len(result.failures)), *notes,
                 src.citation]})
    return frames, about


def world_result_json(result: WorldResult, mc: WorldMonteCarlo | None = None
                      ) -> dict[str, Any]:
    """The world result as the JSON document of ``--out world.json`` (strict JSON values).

    ``{"carecost_version", "tables": {"quantities": [...], "countries": [...],
    "aggregates": [...], "failures": [...]}, "about": [...]}``, floats to 12 significant
    digits and NaN as null, as every carecost table output.
    """
    frames, about = world_frames(result, mc)
    return {"carecost_version": carecost.__version__,
            "tables": {k: clean_json(clean_frame(df).to_dict(orient="records"))
                       for k, df in frames.items()},
            "about": clean_json(clean_frame(about).to_dict(orient="records"))}


def write_world_json(result: WorldResult, path: str | Path,
                     mc: WorldMonteCarlo | None = None) -> Path:
    """Write :func:`world_result_json` to ``path`` (UTF-8, indented); return the path."""
    out = Path(path)
    out.write_text(json.dumps(world_result_json(result, mc), indent=2, allow_nan=False,
                              ensure_ascii=False) + "\n", encoding="utf-8")
    return out
