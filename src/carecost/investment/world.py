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
import dataclasses
import os
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from carecost import countries as _db

from . import _countries
from ._validate import InvestmentInputError
from .model import AREA_OF_KIND, _evaluate, check_sectors, io_model_for
from .scenario import PRESETS, Scenario, _read_toml, scenario_from_dict

__all__ = ["AREAS", "ILO_2022_HEADLINE", "ILO_2022_SOURCE", "WORLD_COLUMNS", "WorldResult",
           "coverage", "ilo_comparison", "simulate_many"]

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
    "imputed",
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
        year's prices, ``gdp_usd`` and ``package_cost_usd`` in US$; ``gdp`` is the GDP of
        the year reported, projected from the base year with ``macro.gdp_growth``, so the
        aggregates weight by the reported year's GDP; shares in % of GDP; direct jobs by
        area in FTE, other jobs in ``employment_unit``).
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
    table = _countries.db_available()
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


def _at(x: Any, i: int, n: int, d: int = 1) -> np.ndarray:
    """Year ``i`` of a result array broadcast to ``(d, n)`` (draws x years, as
    :func:`simulate` tabulates): shape ``(d,)``."""
    return np.broadcast_to(np.asarray(x, dtype=float), (d, n))[:, i]


#: Measures of one country per draw (:func:`_measures`), money in local currency.
MEASURES = ("gdp", "childcare_cost", "ltc_cost", "leave_cost", "breastfeeding_cost",
            "package_cost", "package_cost_pct_gdp", "jobs_direct_childcare", "jobs_direct_ltc",
            "jobs_direct", "jobs_indirect", "jobs_induced", "jobs_total", "jobs_women",
            "women_emp_rate_change_pp", "net_funding", "net_funding_pct_gdp",
            "package_net_funding_pct_gdp")


def _measures(scn: Scenario, run: Any, i: int, d: int = 1) -> dict[str, np.ndarray]:
    """The world-table measures of one evaluation (:func:`~carecost.investment.model.
    _evaluate` with ``detail=True``) in year index ``i``, each of shape ``(d,)`` (draws).

    Area costs are summed service by service and entitlement by entitlement in scenario
    order, as :meth:`SimulationResult.by_policy_area` sums them.
    """
    n = len(scn.years)
    sm = run.summary
    out = {k: _at(getattr(sm, k), i, n, d) for k in (
        "gdp", "package_cost", "package_cost_pct_gdp", "jobs_direct", "jobs_indirect",
        "jobs_induced", "jobs_total", "jobs_women", "women_emp_rate_change_pp", "net_funding",
        "net_funding_pct_gdp", "package_net_funding_pct_gdp")}
    zero = np.zeros(d)
    for a in AREAS:
        out[f"{a}_cost"] = zero.copy()
    out["jobs_direct_childcare"], out["jobs_direct_ltc"] = zero.copy(), zero.copy()
    seen: set[str] = set()
    kinds = {x.name: AREA_OF_KIND.get(x.kind, x.kind) for x in scn.services}
    for name, res in run.services.items():
        a = kinds[name]
        seen.add(a)
        if f"{a}_cost" in out:
            out[f"{a}_cost"] = out[f"{a}_cost"] + _at(res.gross_cost, i, n, d)
        if a in ("childcare", "ltc"):
            out[f"jobs_direct_{a}"] = out[f"jobs_direct_{a}"] + (
                _at(res.care_staff_fte, i, n, d) + _at(res.other_staff_fte, i, n, d))
    for _name, (kind, _parent, cost) in run.transfers.items():
        a = "breastfeeding" if kind == "breastfeeding" else "leave"
        out[f"{a}_cost"] = out[f"{a}_cost"] + _at(cost.additional_cost, i, n, d)
    return out


def _load(iso3: str, raw: Mapping[str, Any]) -> Scenario:
    mine = copy.deepcopy(dict(raw))
    mine["meta"] = {**mine["meta"], "country": iso3}
    return scenario_from_dict(mine)


def _year_index(scn: Scenario, year: int | None) -> tuple[int, int]:
    yr = scn.target_year if year is None else int(year)
    years = [int(y) for y in scn.years]
    if yr not in years:
        raise InvestmentInputError(
            f"year = {yr} not simulated; allowed {scn.base_year}–{scn.end_year}")
    return yr, years.index(yr)


def imputed_inputs(scn: Scenario) -> str:
    """The scenario's inputs imputed by :func:`~carecost.investment._countries.country_inputs`
    (flag ``imputed: …``), comma separated ("" when none)."""
    return ", ".join(s.input for s in scn.input_sources if str(s.flag).startswith("imputed"))


def impute_names(impute: bool | Iterable[str] | None) -> tuple[str, ...]:
    """The ``impute`` argument of :func:`simulate_many` as a tuple of input names."""
    if impute is None or impute is False:
        return ()
    if impute is True:
        return _countries.IMPUTABLE
    if isinstance(impute, str):
        impute = (impute,)
    names = tuple(dict.fromkeys(str(x) for x in impute))
    bad = [x for x in names if x not in _countries.IMPUTABLE]
    if bad:
        raise InvestmentInputError(
            f"impute = {bad}; allowed True, False or names of {list(_countries.IMPUTABLE)}")
    return names


def _one(iso3: str, raw: Mapping[str, Any], year: int | None,
         impute: tuple[str, ...] = (), variant: str = "medium") -> dict[str, Any]:
    """Simulate one country; a dict row, or ``{"iso3", "error"}``.

    The numbers are those of :func:`carecost.investment.simulate` (the same evaluation,
    :func:`carecost.investment.model._evaluate` with ``detail=True``) without building its
    tidy tables, which the row does not need.
    """
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with _countries.database_options(impute=impute, population_variant=variant):
                scn = _load(iso3, raw)
            model = io_model_for(scn)
            check_sectors(scn, model)
            run = _evaluate(scn, model, detail=True)
        yr, i = _year_index(scn, year)
        rate = _rate(scn)
        m = {k: float(v[0]) for k, v in _measures(scn, run, i).items()}
        gdp = m["gdp"]
        pyear = scn.price_year if scn.price_year is not None else scn.base_year
        row: dict[str, Any] = {
            "iso3": scn.country, "year": yr, "base_year": scn.base_year, "price_year": pyear,
            "lcu_per_usd": rate, "gdp": gdp, "gdp_usd": gdp / rate,
        }
        for a in AREAS:
            row[f"{a}_cost_pct_gdp"] = 100.0 * m[f"{a}_cost"] / gdp
        row.update({
            "package_cost_pct_gdp": m["package_cost_pct_gdp"],
            "package_cost_usd": m["package_cost"] / rate,
            **{k: m[k] for k in ("jobs_direct_childcare", "jobs_direct_ltc", "jobs_direct",
                                 "jobs_indirect", "jobs_induced", "jobs_total", "jobs_women",
                                 "women_emp_rate_change_pp", "net_funding_pct_gdp",
                                 "package_net_funding_pct_gdp")},
            "employment_unit": model.employment_unit,
            "warnings": len(caught),
            "imputed": imputed_inputs(scn),
        })
        return row
    except (InvestmentInputError, _db.CountryDataError) as err:
        return {"iso3": iso3, "error": str(err)}


def _rate(scn: Scenario) -> float:
    """Local currency per US$ of the scenario's price year (its input–output conversion)."""
    conv = scn.io_conversion
    if conv is None:
        raise InvestmentInputError(
            f"{scn.country}: the scenario has no input–output table of the country database, "
            "so no exchange rate to US$; remove io.dataset")
    return float(conv.lcu_per_usd)


#: One country at a time per process: the warnings of a country are counted with
#: :class:`warnings.catch_warnings`, which is process-wide (not thread-safe), so with a threaded
#: scheduler (Dask threads, a ``distributed`` worker with several threads) the countries of
#: one process run in turn; processes run in parallel.
COUNTRY_LOCK = threading.Lock()


def _one_star(args: tuple[str, Mapping[str, Any], int | None, tuple[str, ...], str]
              ) -> dict[str, Any]:
    with COUNTRY_LOCK:
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


def _run_local(tasks: list[Any], n_workers: int, progress: Callable[[int, int], None] | None,
               func: Callable[[Any], dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """``func(task)`` for each task (default :func:`_one_star`), in this process
    (``n_workers == 1``) or on a process pool, in task order."""
    func = _one_star if func is None else func
    rows: list[dict[str, Any]] = []
    _countries.warm()  # forked workers inherit the country-database indexes
    if n_workers == 1 or len(tasks) == 1:
        for i, task in enumerate(tasks, start=1):
            rows.append(func(task))
            if progress is not None:
                progress(i, len(tasks))
        return rows
    chunk = max(1, len(tasks) // (4 * n_workers))
    with ProcessPoolExecutor(max_workers=n_workers) as pool:
        for i, row in enumerate(pool.map(func, tasks, chunksize=chunk), start=1):
            rows.append(row)
            if progress is not None:
                progress(i, len(tasks))
    return rows


def _run_dask(tasks: list[Any], client: Any, progress: Callable[[int, int], None] | None,
              func: Callable[[Any], dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """``func(task)`` on Dask, one task per country (default :func:`_one_star`): on
    ``client`` (a ``distributed.Client``) when given, else on the scheduler configured in
    ``dask.config``; results in task order."""
    func = _one_star if func is None else func
    try:
        import dask
    except ModuleNotFoundError as err:  # pragma: no cover - dask is a test dependency
        raise InvestmentInputError(
            "scheduler='dask' needs dask (pip install 'dask[distributed]')") from err
    n = len(tasks)
    if client is not None:
        from distributed import as_completed

        futures = client.map(func, tasks, pure=False)
        order = {f.key: k for k, f in enumerate(futures)}
        out: list[dict[str, Any] | None] = [None] * n
        for i, fut in enumerate(as_completed(futures), start=1):
            out[order[fut.key]] = fut.result()
            if progress is not None:
                progress(i, n)
        return [r for r in out if r is not None]
    from dask.callbacks import Callback

    delayed = [dask.delayed(func, pure=False)(t) for t in tasks]
    names = {d.key for d in delayed}
    done = [0]

    class _Progress(Callback):  # type: ignore[misc]
        def _posttask(self, key: Any, result: Any, dsk: Any, state: Any, id: Any) -> None:
            if key in names and progress is not None:
                done[0] += 1
                progress(done[0], n)

    with _Progress():
        got = dask.compute(*delayed)
    return list(got)


def simulate_many(
    countries: str | Iterable[str],
    scenario_or_preset: str | os.PathLike[str] | Mapping[str, Any],
    *,
    year: int | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    scheduler: str | None = None,
    client: Any = None,
    impute: bool | Iterable[str] | None = None,
    population_variant: str = "medium",
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
        Processes of the local pool (default ``os.cpu_count()``); 1 runs in this process.
        Not used with Dask.
    progress : callable, optional
        ``progress(done, total)`` after each country (e.g. to drive a progress bar).
    scheduler : {None, "processes", "dask"}, optional
        ``None`` or ``"processes"``: this process or a local process pool (``workers``);
        ``"dask"``: one Dask task per country, on the scheduler set in ``dask.config``
        (``dask.config.set(scheduler="threads" | "processes" | "sync")``) or on ``client``.
    client : distributed.Client, optional
        Run the tasks on this Dask cluster (implies ``scheduler="dask"``).
    impute : bool or iterable of str, optional
        Inputs to impute for countries whose database record lacks them (default none:
        those countries are failures).  ``True`` or ``("average_wage",)``: a missing
        ``macro.average_wage`` is GDP per capita x the median ratio (average annual wage /
        GDP per capita) of donor countries of the same region x income group (at least 3,
        else the region, else the world; :func:`carecost.investment._countries.
        wage_imputation`), flagged ``imputed: …`` in the scenario's sources and listed in the
        ``imputed`` column of :attr:`WorldResult.countries`.  Countries that still lack an
        input are failures.
    population_variant : {"medium", "low", "high"}, default "medium"
        UN WPP 2019 projection variant of every country's population (years after 2020;
        total fertility half a child below / above the medium variant for low / high).

    Returns
    -------
    WorldResult
        The same numbers whatever the scheduler (rows in the order of ``countries``).

    Raises
    ------
    InvestmentInputError
        For a bad ``countries``, ``scenario_or_preset`` or ``scheduler`` (before any country
        is run).  Errors of one country are not raised: they are rows of ``failures``.
    """
    if scheduler not in (None, "processes", "dask"):
        raise InvestmentInputError(
            f"scheduler = {scheduler!r}; allowed None, 'processes' or 'dask'")
    raw, label = _raw_of(scenario_or_preset)
    codes = _codes(countries)
    names = impute_names(impute)
    with _countries.database_options(population_variant=population_variant):
        pass  # checks the variant before any country is run
    tasks = [(c, raw, year, names, population_variant) for c in codes]
    if scheduler == "dask" or client is not None:
        rows = _run_dask(tasks, client, progress)
    else:
        n_workers = max(1, int(workers if workers is not None else (os.cpu_count() or 1)))
        rows = _run_local(tasks, n_workers, progress)
    out = _assemble(rows, codes, year, label, names)
    if population_variant != "medium":
        out = dataclasses.replace(out, notes=(
            *out.notes, f"population: UN WPP 2019 {population_variant} variant"))
    return out


def _assemble(rows: list[dict[str, Any]], codes: list[str], year: int | None,
              label: str, impute: tuple[str, ...] = ()) -> WorldResult:
    meta = _countries.db_available().set_index("iso3")[
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
    notes: tuple[str, ...] = (
        f"{len(done)} of {len(codes)} countries simulated; {len(failed)} listed in failures "
        "with the missing input",)
    if impute:
        n_imp = int((table["imputed"] != "").sum())
        notes += (f"imputation asked for {', '.join(impute)}: {n_imp} of the {len(done)} "
                  "countries rest on an imputed input (column imputed; flags 'imputed: ...' "
                  "in each scenario's sources)",)
    return WorldResult(countries=table, failures=failures, aggregates=pd.DataFrame(aggs),
                       year=year, scenario=label, notes=notes)


# --------------------------------------------------------------------------------------------
# the ILO's published headline figures (for comparison only: nothing is tuned to them)
# --------------------------------------------------------------------------------------------
#: The ILO's global figures for 2035 (ILO 2022, *Care at Work*, ch. 7 and executive summary;
#: De Henau 2022, ILO Working Paper 55, abstract): 82 countries, the package of childcare-
#: related leave, breastfeeding breaks, universal childcare and long-term care.  ``current``
#: is today's spending where the ILO gives it, ``additional`` the cost of closing the gap.
#: Jobs are millions (2035).  Rows: ``(line, unit, current, additional)``.
ILO_2022_HEADLINE: tuple[tuple[str, str, float | None, float], ...] = (
    ("leave_and_breastfeeding", "% of GDP", None, 0.3),
    ("childcare", "% of GDP", 0.3, 1.5),
    ("ltc", "% of GDP", 0.6, 2.5),
    ("package", "% of GDP", None, 4.2),
    ("jobs_total", "million jobs", None, 299.0),
    ("jobs_direct_childcare", "million jobs", None, 96.0),
    ("jobs_direct_ltc", "million jobs", None, 136.0),
    ("jobs_indirect", "million jobs", None, 67.0),
)
ILO_2022_SOURCE = (
    "ILO (2022), Care at Work: Investing in Care Leave and Services for a More Gender Equal "
    "World of Work, Geneva, ch. 7 and executive summary (up to 299 million jobs by 2035; an "
    "annual investment of US$5.4 trillion, 4.2% of total GDP, by 2035); De Henau (2022), "
    "ILO Working Paper 55, abstract (82 countries; 96 million direct jobs in childcare, 136 "
    "million in long-term care, 67 million indirect)")


def ilo_comparison(result: WorldResult, name: str = "World") -> pd.DataFrame:
    """carecost's world (or regional) figures next to the ILO's 2035 headline figures.

    Parameters
    ----------
    result : WorldResult
        Usually ``simulate_many("all", "ilo-2035")``.
    name : str, default "World"
        The aggregate compared (``"World"`` or a region of :attr:`WorldResult.aggregates`).

    Returns
    -------
    DataFrame
        One row per line of :data:`ILO_2022_HEADLINE`: ``line, unit, ilo_current,
        ilo_additional, ilo_compared`` (the ILO figure carecost's is compared with: current +
        additional for the services, because the presets cost the whole system; the
        additional figure elsewhere), ``carecost``, ``difference`` (carecost minus the ILO)
        and ``ratio`` (carecost / ILO), ``basis`` (what carecost's number is) and
        ``likely_cause`` (of the gap, in words).  No input is tuned to these figures.

    Raises
    ------
    InvestmentInputError
        When ``name`` is not an aggregate of the result.
    """
    aggs = result.aggregates.set_index("name") if len(result.aggregates) else None
    if aggs is None or name not in aggs.index:
        raise InvestmentInputError(
            f"name = {name!r} is not an aggregate of the result; allowed "
            + (", ".join(map(repr, aggs.index)) if aggs is not None else "none (no country "
               "was simulated)"))
    a = {str(k): v for k, v in aggs.loc[name].to_dict().items()}
    n = int(a["countries"])
    ltc = float(a["ltc_cost_pct_gdp"])
    implied_density = 4.2 * (0.6 + 2.5) / ltc if ltc > 0 else float("nan")
    ours = {
        "leave_and_breastfeeding": (float(a["leave_cost_pct_gdp"])
                                    + float(a["breastfeeding_cost_pct_gdp"])),
        "childcare": float(a["childcare_cost_pct_gdp"]), "ltc": ltc,
        "package": float(a["package_cost_pct_gdp"]),
        "jobs_total": float(a["jobs_total"]) / 1e6,
        "jobs_direct_childcare": float(a["jobs_direct_childcare"]) / 1e6,
        "jobs_direct_ltc": float(a["jobs_direct_ltc"]) / 1e6,
        "jobs_indirect": float(a["jobs_indirect"]) / 1e6,
    }
    induced = float(a["jobs_induced"]) / 1e6
    countries = (f"{n} countries with every input (the ILO: 82; large economies without an "
                 "input here, e.g. China, Japan, Germany and Russia, are in the failures)")
    basis = {
        "leave_and_breastfeeding": "whole cost of 18 weeks maternity + 2 weeks paternity leave "
        "at full pay and 1 hour a day of breaks for 6 months (no current entitlement netted)",
        "childcare": "whole-system cost (current coverage 0): compared with the ILO's current "
        "+ additional spending",
        "ltc": "whole-system cost, persons 65+ only: compared with the ILO's current + "
        "additional spending",
        "package": "whole-system cost of the four areas: compared with the ILO's additional "
        "4.2% (its current spending is not given for the package)",
        "jobs_total": "direct (FTE) + indirect + induced jobs of the two services",
        "jobs_direct_childcare": "full-time equivalent staff (40 hours a week)",
        "jobs_direct_ltc": "full-time equivalent staff",
        "jobs_indirect": "supply-chain jobs only (induced jobs are counted apart)",
    }
    cause = {
        "leave_and_breastfeeding": "carecost costs the whole entitlement, the ILO (probably) the "
        "additional cost over today's, which would make carecost's higher; it is lower, so the "
        "ILO's entitlements are likely longer (e.g. parental leave, which the preset does not "
        "include) or costed at higher earnings; " + countries,
        "childcare": "pay: the preset pays ECCE staff the average wage of employees, likely "
        "below the ILO's pay parity with primary-school teachers, while its staff ratios give "
        "more staff than the ILO's (see the direct childcare jobs); " + countries,
        "ltc": "staffing intensity: the preset costs 4.2 formal care workers per 100 persons "
        "aged 65+ (Scheil-Adlung 2015); the ILO's 3.1% of GDP would need about "
        f"{implied_density:.0f} per 100 at carecost's pay and country set; also no care for "
        "persons with disabilities under 65; " + countries,
        "package": "the long-term care gap above (most of the difference); " + countries,
        "jobs_total": "fewer long-term care jobs (staffing intensity) and the country set; "
        f"carecost's induced jobs ({induced:.0f} million) are included in its total",
        "jobs_direct_childcare": "carecost's staff ratios (England's statutory 1:3, 1:4, 1:8) "
        "and 40-hour, 48-week service likely need more staff per child than the ILO's; with "
        "China (not simulated here) the excess would be larger; " + countries,
        "jobs_direct_ltc": "staffing intensity (4.2 workers per 100 persons 65+) and no care "
        "for persons under 65; " + countries,
        "jobs_indirect": "the ILO's 67 million may include induced (consumption) jobs: "
        f"carecost's indirect + induced = {ours['jobs_indirect'] + induced:.0f} million; "
        "rest-of-world input-output structure for most countries",
    }
    rows = []
    for line, unit, current, additional in ILO_2022_HEADLINE:
        compared = additional + current if current is not None else additional
        value = ours[line]
        rows.append({"line": line, "unit": unit, "ilo_current": current,
                     "ilo_additional": additional, "ilo_compared": compared,
                     "carecost": value, "difference": value - compared,
                     "ratio": value / compared, "basis": basis[line],
                     "likely_cause": cause[line]})
    out = pd.DataFrame(rows)
    out.attrs.update({"name": name, "countries": n, "source": ILO_2022_SOURCE})
    return out


def coverage(result: WorldResult, year: int | None = None) -> pd.DataFrame:
    """How much of the world (and of each region) the countries simulated hold.

    Parameters
    ----------
    result : WorldResult
    year : int, optional
        Year of the GDP and population compared (default the scenarios' base year, the
        most common one among the countries simulated; 2023 for the presets).

    Returns
    -------
    DataFrame
        One row per UN M49 region and ``World``: ``level, name, countries_in_database,
        countries_simulated``, ``gdp_usd_database`` (sum of the World Bank GDP in current US$
        of the countries with it, as the database gives it for ``year``: observed,
        interpolated or carried forward), ``gdp_usd_simulated`` (the same for the countries
        simulated), ``gdp_share`` (their ratio), ``population_database``,
        ``population_simulated`` and ``population_share`` (UN WPP 2019, persons on 1 July
        of ``year``, countries with age detail).
    """
    yr = int(year) if year is not None else (
        int(result.countries["base_year"].mode().iloc[0]) if len(result.countries) else 2023)
    avail = _countries.db_available()
    done = set(result.countries["iso3"])
    rows = []
    for _, c in avail.iterrows():
        code = str(c["iso3"])
        gdp = pop = float("nan")
        if bool(c["gdp_usd"]):
            gdp = float(_countries.db_indicator(code, "gdp_usd", yr)["value"])
        if bool(c["population"]):
            pop = float(_countries.db_population(code, [yr])["population"].sum())
        rows.append({"iso3": code, "region": c["region"], "gdp": gdp, "pop": pop,
                     "done": code in done})
    table = pd.DataFrame(rows)

    def one(level: str, name: str, t: pd.DataFrame) -> dict[str, Any]:
        sim = t[t["done"]]
        g_all, g_sim = float(t["gdp"].sum()), float(sim["gdp"].sum())
        p_all, p_sim = float(t["pop"].sum()), float(sim["pop"].sum())
        return {"level": level, "name": name, "countries_in_database": len(t),
                "countries_simulated": len(sim), "gdp_usd_database": g_all,
                "gdp_usd_simulated": g_sim, "gdp_share": g_sim / g_all if g_all else np.nan,
                "population_database": p_all, "population_simulated": p_sim,
                "population_share": p_sim / p_all if p_all else np.nan}

    out = [one("region", str(r), g) for r, g in table.groupby("region", sort=True)]
    out.append(one("world", "World", table))
    frame = pd.DataFrame(out)
    frame.attrs["year"] = yr
    return frame
