"""Uncertainty for care-investment scenarios: Monte Carlo and one-at-a-time sensitivity.

Monte Carlo draws every uncertain parameter independently from a uniform or triangular
distribution over a user-given range (:class:`carecost.uncertainty.Uniform`,
:class:`carecost.uncertainty.Triangular`) and re-runs the (vectorised) simulation for all draws
at once; results are summarised per measure and year in the one Monte Carlo schema of
:func:`carecost.uncertainty.summarise` (the scenario value, mean, median, sd and a central
percentile interval).  One-at-a-time (OAT) sensitivity sets each parameter to the ends of its
range with the others at their scenario values (the "tornado" analysis of Saltelli et al.
2008, ch. 1; used for care costing in De Henau 2022, annex), in the one tornado schema of
:func:`carecost.uncertainty.tornado_table`.

References
----------
Saltelli, A. et al. (2008). *Global Sensitivity Analysis: The Primer*. Wiley.
De Henau, J. (2022). ILO Working Paper 55.
"""

from __future__ import annotations

import itertools
import os
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from carecost.uncertainty import (
    Distribution,
    Triangular,
    Uniform,
    check_draws,
    check_level,
    generator,
    summarise,
    tornado_table,
)

from . import fields
from ._validate import InvestmentInputError, check_range
from .fields import JointConstraint
from .io import IOModel
from .model import (
    SERVICE_NUMERIC,
    SUMMARY_MEASURES,
    _evaluate,
    check_sectors,
    io_model_for,
    parameter_value,
)
from .scenario import Scenario, Service

__all__ = [
    "LTC_NEED_MIDPOINT",
    "LTC_NEED_RANGE",
    "WORLD_MC_MEASURES",
    "ParameterRange",
    "WorldMonteCarlo",
    "check_joint_ranges",
    "default_ranges",
    "monte_carlo",
    "sensitivity",
    "world_monte_carlo",
    "world_ranges",
]


@dataclass(frozen=True)
class ParameterRange:
    """An uncertain parameter: a scenario key and its range.

    ``ParameterRange(path, low, high)`` is uniform on ``[low, high]``;
    ``ParameterRange(path, low, high, dist="triangular", mode=m)`` is
    :class:`carecost.uncertainty.Triangular` ``(low, m, high)``, with the mode
    the scenario value when not given.  ``mode`` and ``dist`` are keyword-only,
    so a positional call never puts the mode where ``high`` belongs (the order
    of :class:`~carecost.uncertainty.Triangular` is ``low, mode, high``).  From a
    distribution object: :meth:`of`.

    Attributes
    ----------
    path : str
        ``macro.<field>``, ``fiscal.<field>``, ``services.<name>.<field>`` (``*`` for all
        services) or ``induced.consumption_multiplier``.
    low, high : float
        Range ends (``low <= high``; ``low == high`` holds the parameter fixed).
    mode : float, optional
        Most likely value for ``dist="triangular"``; defaults to the scenario value.
    dist : {"uniform", "triangular"}
    """

    path: str
    low: float
    high: float
    _: KW_ONLY
    mode: float | None = None
    dist: Literal["uniform", "triangular"] = "uniform"

    @classmethod
    def of(cls, path: str, distribution: Distribution) -> ParameterRange:
        """The range of a :mod:`carecost.uncertainty` distribution: ``Uniform(low, high)``
        or ``Triangular(low, mode, high)`` (bounded: a scenario key has allowed limits).

        Raises
        ------
        InvestmentInputError
            For a :class:`~carecost.uncertainty.Normal` (unbounded) or anything else.
        """
        if isinstance(distribution, Uniform):
            return cls(path, distribution.low, distribution.high)
        if isinstance(distribution, Triangular):
            return cls(path, distribution.low, distribution.high, mode=distribution.mode,
                       dist="triangular")
        raise InvestmentInputError(
            f"{path}: {distribution!r} cannot be a parameter range; scenario keys have "
            "allowed limits, so use a bounded distribution: Uniform(low, high) or "
            "Triangular(low, mode, high)")

    @property
    def field(self) -> str:
        """The parameter's field name (last part of ``path``)."""
        return self.path.split(".")[-1]

    def validate(self, scenario: Scenario) -> float:
        """Check the range against the parameter's allowed values; return the scenario value.

        ``low``, ``high`` and ``mode`` must lie in the range a scenario file may hold for the
        field (:data:`~carecost.investment.scenario.FIELD_RANGES`; e.g. tax rates in
        [0, 1], so a rate can never be drawn negative), and the range must contain the
        scenario's value (:func:`carecost.investment.fields.check_parameter_range`; a range
        beside it, e.g. ``macro.gdp`` in [1e-300, 1e-299] with a central 1e12, would describe
        another scenario and overflow).  Constraints between parameters are
        checked by :func:`monte_carlo` and :func:`sensitivity` for the whole set of ranges.

        Raises
        ------
        InvestmentInputError
            Naming the path, the end (``low``, ``high`` or ``mode``), its value and the
            allowed range.
        """
        base = parameter_value(scenario, self.path)
        # in the field's allowed values, low <= high, and around the scenario's value
        lo, hi = fields.check_parameter_range(self.path, self.low, self.high, base)
        if self.dist not in ("uniform", "triangular"):
            raise InvestmentInputError(
                f"{self.path} dist = {self.dist!r}; allowed 'uniform' or 'triangular'"
            )
        if self.dist == "triangular":
            mode = base if self.mode is None else self.mode
            check_range(mode, f"{self.path} mode", low=lo, high=hi)
        return base

    def distribution(self, base: float) -> Uniform | Triangular:
        """The range as a :mod:`carecost.uncertainty` distribution; ``base`` (the scenario
        value, from :meth:`validate`) is the mode of a triangular range without one."""
        if self.dist == "triangular":
            return Triangular(self.low, base if self.mode is None else self.mode, self.high)
        return Uniform(self.low, self.high)

    def draw(self, rng: np.random.Generator, n: int, base: float) -> np.ndarray:
        """``n`` draws as a column of shape (n, 1)."""
        return self.distribution(base).sample(rng, n)[:, None]


def _ends(
    scenario: Scenario, by_path: dict[str, ParameterRange], key: str, svc: Service | None
) -> list[tuple[str, Any]]:
    """The values ``key`` can take in draws: ``(name, value)`` for the low and high end of
    its range, or its scenario value when it is not ranged.  ``services.<name>.x`` takes
    precedence over ``services.*.x``."""
    name = key.split(".", 1)[1]
    if svc is not None:
        paths = [f"services.{svc.name}.{name}", f"services.*.{name}"]
        value: Any = getattr(svc, name)
    else:
        paths = [key]
        value = parameter_value(scenario, key)
    if name in SERVICE_NUMERIC or svc is None:
        for path in paths:
            if path in by_path:
                pr = by_path[path]
                return [(f"{path} low", float(pr.low)), (f"{path} high", float(pr.high))]
    return [(paths[0], value)]


def _check_ends(c: JointConstraint, ends: list[list[tuple[str, Any]]]) -> None:
    """Raise the constraint's error at the first combination of ends that breaks it."""
    for corner in itertools.product(*ends):
        if not bool(np.all(c.holds(*(v for _, v in corner)))):
            raise c.error(
                dict(zip(c.names, corner, strict=True)),
                " at the ends of the Monte Carlo ranges (some draws would break it)",
            )


def check_joint_ranges(scenario: Scenario, ranges: Sequence[ParameterRange]) -> None:
    """Ranges whose draws could break a constraint between keys, checked before drawing.

    Monte Carlo draws parameters independently, so every draw satisfies a constraint of
    :data:`carecost.investment.fields.JOINT` (``target_coverage >= current_coverage``,
    ``replaced_spending_pct_gdp <= current_spending_pct_gdp``, ``capital_sector`` when
    ``capital_cost_per_place > 0``, ...) only if every combination of the ends of the
    ranges does (the constraints are monotone in each key); scenario values stand in for
    parameters without a range.  For example ``target_coverage low >= current_coverage
    high`` for every service.

    Raises
    ------
    InvestmentInputError
        The constraint's message naming the range ends (``services.cc.current_coverage high
        = 0.6``) and the allowed range.
    """
    by_path = {pr.path: pr for pr in ranges}
    for c in fields.JOINT:
        owners: Sequence[Service | None] = scenario.services if c.scope == "services" else [None]
        for svc in owners:
            _check_ends(c, [_ends(scenario, by_path, key, svc) for key in c.keys])


def _model(scenario: Scenario, model: IOModel | None) -> IOModel:
    """The model ``simulate`` would use: ``model``, else the scenario's own table
    (:func:`~carecost.investment.model.io_model_for`: the example table or the country's)."""
    return model if model is not None else io_model_for(scenario)


def monte_carlo(
    scenario: Scenario,
    ranges: Sequence[ParameterRange],
    *,
    draws: int = 1000,
    seed: int | None = 0,
    level: float = 0.90,
    model: IOModel | None = None,
    measures: Sequence[str] | None = None,
    n_draws: None = None,
) -> pd.DataFrame:
    """Monte Carlo intervals for every year and measure.

    The parameters are drawn independently, in the order of ``ranges``, from one seeded
    generator (:func:`carecost.uncertainty.generator`), and all draws, plus one run at the
    scenario's own values, are evaluated in one vectorised pass.

    Parameters
    ----------
    scenario : Scenario
    ranges : sequence of ParameterRange
        Independent uncertain parameters.
    draws : int, default 1000
        Number of draws: for a roughly normal result, the Monte Carlo standard error of
        each end of a 90% interval is then about 2% of the interval's width
        (:math:`\\sqrt{p(1-p)/n}/f(x_p)`, :math:`p = 0.05`).
    seed : int or None, default 0
        Seed of :func:`carecost.uncertainty.generator` (reproducible by default).
    level : float, default 0.90
        Coverage of the central percentile interval (0.90, the convention of costing
        tools, whose ranges are plausible ranges rather than 95% bounds).
    model : IOModel, optional
        Defaults to the example-country model.
    measures : sequence of str, optional
        Subset of the summary measures (default: all).
    n_draws
        Removed (renamed ``draws=``, the name of every carecost Monte Carlo); passing it
        is an error naming ``draws=``.

    Returns
    -------
    pandas.DataFrame
        The :func:`carecost.uncertainty.summarise` schema, one row per measure and year:
        ``measure, year, point`` (the scenario's own value), ``mean, median, sd, ci_low,
        ci_high`` (percentiles ``(1 - level)/2`` and ``(1 + level)/2`` of the draws),
        ``level, draws``.  ``attrs["draws"]`` holds the parameter draws and
        ``attrs["seed"]`` the seed.

    Raises
    ------
    InvestmentInputError
        If a range end lies outside the field's allowed range, or if the ranges allow a draw
        that breaks a constraint between keys (:func:`check_joint_ranges`, e.g. overlapping
        current and target coverage ranges: a negative coverage gap); the message names the
        parameters and the range ends.
    """
    if n_draws is not None:
        raise InvestmentInputError(
            f"monte_carlo: n_draws = {n_draws!r}: the argument is now draws= (as in every "
            f"carecost Monte Carlo); pass draws={n_draws!r}")
    level = check_level(level, error=InvestmentInputError)
    n = check_draws(draws, error=InvestmentInputError)
    rng = generator(seed, error=InvestmentInputError)
    if not ranges:
        raise InvestmentInputError("ranges is empty; give at least one ParameterRange")
    mod = _model(scenario, model)
    meas = list(measures) if measures is not None else list(SUMMARY_MEASURES)
    bad = [m for m in meas if m not in SUMMARY_MEASURES]
    if bad:
        raise InvestmentInputError(f"measures {bad} unknown; allowed {list(SUMMARY_MEASURES)}")
    bases: dict[str, float] = {}
    for pr in ranges:
        if pr.path in bases:
            raise InvestmentInputError(f"parameter {pr.path!r} given twice in ranges")
        bases[pr.path] = pr.validate(scenario)
    check_joint_ranges(scenario, ranges)
    drawn = {pr.path: pr.draw(rng, n, bases[pr.path]) for pr in ranges}
    # one more run, last, at the scenario's own values: the "point" of the summary
    overrides = {k: np.vstack([v, [[bases[k]]]]) for k, v in drawn.items()}
    labels = [f"draw {i}" for i in range(n)] + ["the scenario"]
    summary = _evaluate(scenario, mod, overrides, labels=labels).summary
    years = scenario.years
    n_years = len(years)
    frames = []
    for m in meas:
        arr = np.broadcast_to(np.asarray(getattr(summary, m), dtype=float), (n + 1, n_years))
        frames.append(summarise(arr[:n], point=arr[n], level=level,
                                keys={"measure": [m] * n_years, "year": years.tolist()}))
    out = pd.concat(frames, ignore_index=True)
    out.attrs["draws"] = pd.DataFrame({k: v[:, 0] for k, v in drawn.items()})
    out.attrs["seed"] = seed
    return out


def sensitivity(
    scenario: Scenario,
    ranges: Sequence[ParameterRange],
    *,
    measure: str = "net_funding",
    year: int | None = None,
    model: IOModel | None = None,
) -> pd.DataFrame:
    """One-at-a-time sensitivity (tornado table) of one measure in one year.

    Each parameter is set to its ``low`` and its ``high`` value with all others at their
    scenario values; all 2K runs and the run at the scenario values are evaluated in one
    vectorised pass.

    Parameters
    ----------
    scenario : Scenario
    ranges : sequence of ParameterRange
        The parameters and their ends.
    measure : str, default "net_funding"
        One of the summary measures.
    year : int, optional
        Default: the target year.
    model : IOModel, optional
        Defaults to the example-country model.

    Returns
    -------
    pandas.DataFrame
        The :func:`carecost.uncertainty.tornado_table` schema: ``parameter`` (the path),
        ``low_input, base_input, high_input`` (the range ends and the scenario value),
        ``value_low, base, value_high`` (the measure with the parameter at its low end, at
        every scenario value, at its high end), ``swing`` (``|value_high - value_low|``),
        then ``measure`` and ``year``; sorted by decreasing swing.  ``attrs`` also holds
        ``measure`` and ``year``.

    Raises
    ------
    InvestmentInputError
        If a range end lies outside the field's allowed range, or if setting it (with the
        other parameters at their scenario values) breaks a joint constraint, e.g. a
        ``current_coverage`` high end above the service's ``target_coverage``; the message
        names the parameters, values and the run.
    """
    if measure not in SUMMARY_MEASURES:
        raise InvestmentInputError(f"measure = {measure!r}; allowed {list(SUMMARY_MEASURES)}")
    yr = scenario.target_year if year is None else int(year)
    if yr not in set(scenario.years):
        raise InvestmentInputError(
            f"year = {year!r}; allowed {scenario.base_year}–{scenario.end_year}"
        )
    mod = _model(scenario, model)
    k = len(ranges)
    if k == 0:
        raise InvestmentInputError("ranges is empty; give at least one ParameterRange")
    if len({pr.path for pr in ranges}) != k:
        raise InvestmentInputError("a parameter is given twice in ranges")
    bases = [pr.validate(scenario) for pr in ranges]
    overrides: dict[str, np.ndarray] = {}
    labels = [
        f"sensitivity run {pr.path} = {v:g} ({end})"
        for pr in ranges
        for v, end in ((pr.low, "low"), (pr.high, "high"))
    ] + ["sensitivity run with every parameter at its scenario value"]
    for i, (pr, base) in enumerate(zip(ranges, bases, strict=True)):
        col = np.full(2 * k + 1, base)
        col[2 * i] = pr.low
        col[2 * i + 1] = pr.high
        overrides[pr.path] = col[:, None]
    # one parameter at a time: each end is checked against the other parameters' scenario
    # values (current and target coverage, ...) run by run in _evaluate
    summary = _evaluate(scenario, mod, overrides, labels=labels).summary
    t = int(np.where(scenario.years == yr)[0][0])
    arr = np.broadcast_to(np.asarray(getattr(summary, measure), dtype=float),
                          (2 * k + 1, len(scenario.years)))
    res = arr[:, t]
    rows = [
        {"parameter": pr.path, "low_input": pr.low, "base_input": base, "high_input": pr.high,
         "value_low": res[2 * i], "value_high": res[2 * i + 1]}
        for i, (pr, base) in enumerate(zip(ranges, bases, strict=True))
    ]
    out = tornado_table(rows, base=float(res[2 * k]), extra={"measure": measure, "year": yr})
    out.attrs.update({"measure": measure, "year": yr})
    return out


# --------------------------------------------------------------------------------------------
# Monte Carlo for many countries (world and regional intervals)
# --------------------------------------------------------------------------------------------
#: Measures of :func:`world_monte_carlo`: GDP-weighted shares of GDP [% of GDP] and summed
#: jobs (direct in FTE, indirect and induced in persons).
WORLD_MC_MEASURES = (
    "childcare_cost_pct_gdp", "ltc_cost_pct_gdp", "leave_cost_pct_gdp",
    "breastfeeding_cost_pct_gdp", "package_cost_pct_gdp", "jobs_direct_childcare",
    "jobs_direct_ltc", "jobs_indirect", "jobs_induced", "jobs_total",
)
_MONEY = ("childcare_cost", "ltc_cost", "leave_cost", "breastfeeding_cost", "package_cost")

#: The need for long-term care: share of persons aged 65+ needing help with bathing, eating or
#: dressing, lowest and highest of 31 countries, and the midpoint the presets use (IECON,
#: Universidad de la República, Working Paper DT 03-24, *Global mapping of dependency in older
#: people*; the presets' source gives the range for Monte Carlo use, docs/methods.md §4.8).
LTC_NEED_RANGE = (0.055, 0.185)
LTC_NEED_MIDPOINT = 0.12
_JOBS = ("jobs_direct_childcare", "jobs_direct_ltc", "jobs_indirect", "jobs_induced",
         "jobs_total")


def world_ranges(scenario: Scenario) -> list[ParameterRange]:
    """The uncertain parameters of one country in :func:`world_monte_carlo`:
    :func:`default_ranges` of the country's scenario (the same convention as the investment
    brief)."""
    return default_ranges(scenario)


def default_ranges(scenario: Scenario) -> list[ParameterRange]:
    """Uncertainty ranges used when none are given (the investment brief, the world run).

    For every service the staff ratio (``persons_per_staff``) triangular from 80% to 125% of
    its value and the non-staff cost share from 80% to 120% (at most 0.95); the propensity to
    consume +/- 0.1, the income tax rate +/- 25% and real wage growth +/- 1 percentage point
    per year (uniform, kept in their allowed ranges).  The values are the scenario's own (for
    a country, from the country database), so the ranges differ between countries.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    list of ParameterRange
    """
    out = []
    for s in scenario.services:
        p = s.persons_per_staff
        out.append(ParameterRange(f"services.{s.name}.persons_per_staff", 0.8 * p, 1.25 * p,
                                  dist="triangular"))
        ns = s.non_staff_cost_share
        if ns > 0:
            out.append(ParameterRange(f"services.{s.name}.non_staff_cost_share", 0.8 * ns,
                                      min(1.2 * ns, 0.95)))
    f, m = scenario.fiscal, scenario.macro
    out.append(ParameterRange("fiscal.propensity_to_consume",
                              max(0.0, f.propensity_to_consume - 0.1),
                              min(1.0, f.propensity_to_consume + 0.1)))
    out.append(ParameterRange("fiscal.income_tax_rate", 0.75 * f.income_tax_rate,
                              min(1.0 - f.employee_contribution_rate, 1.25 * f.income_tax_rate)))
    out.append(ParameterRange("macro.real_wage_growth", max(-0.5, m.real_wage_growth - 0.01),
                              min(0.5, m.real_wage_growth + 0.01)))
    return out


def _uniforms(seed: int, path: str, iso3: str | None, n: int) -> np.ndarray:
    """``n`` uniform (0, 1) numbers for one parameter: the same for every country when
    ``iso3`` is None (common draws), else the country's own stream."""
    key = [int(seed), zlib.crc32(path.encode())]
    if iso3 is not None:
        key.append(zlib.crc32(iso3.encode()))
    return np.random.default_rng(key).random(n)


def _ppf(dist: Uniform | Triangular, u: np.ndarray) -> np.ndarray:
    """Quantiles ``u`` of a uniform or triangular distribution (inverse CDF, vectorised)."""
    if isinstance(dist, Uniform):
        return dist.low + u * (dist.high - dist.low)
    lo, mo, hi = dist.low, dist.mode, dist.high
    if hi == lo:
        return np.full(u.shape, float(lo))
    c = (mo - lo) / (hi - lo)
    return np.where(u < c, lo + np.sqrt(u * (hi - lo) * (mo - lo)),
                    hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - mo)))


#: WPP 2019 projection variants drawn by :func:`world_monte_carlo` (equal weight).
WORLD_POPULATION_VARIANTS = ("low", "medium", "high")


def _one_mc(task: tuple[Any, ...]) -> dict[str, Any]:
    """One country's draws: ``{"iso3", "region", "gdp_usd", <money in US$>, <jobs>}``
    (arrays of ``draws + 1``, the last at the scenario's own values), or ``{"iso3",
    "error"}``.

    ``task = (iso3, raw, year, draws, seed, common, ltc_need[, population_variants[,
    impute]])`` (the last two default to False and ``()``)."""

    from . import world

    iso3, raw, year, n, seed, common, ltc_need, *rest = task
    variants = bool(rest[0]) if rest else False
    impute = tuple(rest[1]) if len(rest) > 1 else ()
    with world.COUNTRY_LOCK:
        return _one_mc_locked(iso3, raw, year, n, seed, common, ltc_need, variants, impute)


def _ltc_need_factor(seed: int, path: str, iso3: str | None, n: int) -> np.ndarray:
    """``n`` draws of need / central need of a long-term care service: uniform over the
    relative spread of :data:`LTC_NEED_RANGE` around :data:`LTC_NEED_MIDPOINT`."""
    lo, hi = (x / LTC_NEED_MIDPOINT for x in LTC_NEED_RANGE)
    return lo + _uniforms(seed, path, iso3, n) * (hi - lo)


def variant_of_draws(seed: int, n: int) -> np.ndarray:
    """Index into :data:`WORLD_POPULATION_VARIANTS` of each of ``n`` draws: equal weight,
    the same for every country (one world fertility assumption per draw)."""
    u = _uniforms(seed, "population.variant", None, n)
    return np.minimum((u * len(WORLD_POPULATION_VARIANTS)).astype(int),
                      len(WORLD_POPULATION_VARIANTS) - 1)


def _one_mc_locked(iso3: str, raw: dict[str, Any], year: int | None, n: int, seed: int,
                   common: bool, ltc_need: bool, variants: bool = False,
                   impute: tuple[str, ...] = ()) -> dict[str, Any]:
    from carecost import countries as _db

    from . import _countries, world

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with _countries.database_options(impute=impute):
                scn = world._load(iso3, raw)
            model = io_model_for(scn)
            check_sectors(scn, model)
            ranges = world_ranges(scn)
            bases = {pr.path: pr.validate(scn) for pr in ranges}
            check_joint_ranges(scn, ranges)
            overrides = {}
            for pr in ranges:
                u = _uniforms(seed, pr.path, None if common else scn.country, n)
                col = _ppf(pr.distribution(bases[pr.path]), u)
                overrides[pr.path] = np.append(col, bases[pr.path])[:, None]
            if ltc_need:
                # staff, cost and jobs of a service are proportional to need / persons per
                # staff, so a need k times the central one is a staff ratio divided by k
                for svc in scn.services:
                    if svc.kind != "ltc":
                        continue
                    key = f"services.{svc.name}.persons_per_staff"
                    f = _ltc_need_factor(seed, f"services.{svc.name}.need_rate",
                                         None if common else scn.country, n)
                    ratio = overrides.get(key, np.full((n + 1, 1), svc.persons_per_staff))
                    overrides[key] = ratio / np.append(f, 1.0)[:, None]
            if "macro.average_wage" in world.imputed_inputs(scn).split(", "):
                # the imputed wage's ratio to GDP per capita: uniform over the donors' IQR
                wi = _countries.wage_imputation(scn.country, scn.base_year)
                assert wi is not None  # the scenario was imputed with it
                u = _uniforms(seed, "macro.average_wage.imputed_ratio",
                              None if common else scn.country, n)
                wage = scn.macro.average_wage
                factor = (wi.q25 + u * (wi.q75 - wi.q25)) / wi.ratio
                overrides["macro.average_wage"] = np.append(wage * factor, wage)[:, None]
            labels = np.array([f"{scn.country} draw {i}" for i in range(n)] + [
                f"{scn.country} at the scenario values"], dtype=object)
            groups = np.full(n + 1, WORLD_POPULATION_VARIANTS.index("medium"))
            if variants:
                groups[:n] = variant_of_draws(seed, n)
            _, i = world._year_index(scn, year)
            got: dict[str, np.ndarray] = {}
            for g, var in enumerate(WORLD_POPULATION_VARIANTS):
                idx = np.flatnonzero(groups == g)
                if idx.size == 0:
                    continue
                if var == "medium":
                    scn_g, model_g = scn, model
                else:
                    with _countries.database_options(population_variant=var, impute=impute):
                        scn_g = world._load(iso3, raw)
                    model_g = io_model_for(scn_g)
                run = _evaluate(scn_g, model_g, {k: v[idx] for k, v in overrides.items()},
                                labels=[str(x) for x in labels[idx]], detail=True)
                part = world._measures(scn_g, run, i, idx.size)
                for k, v in part.items():
                    got.setdefault(k, np.full(n + 1, np.nan))[idx] = v
        rate = world._rate(scn)
        out: dict[str, Any] = {"iso3": scn.country, "gdp_usd": got["gdp"] / rate}
        for k in _MONEY:
            out[k] = got[k] / rate
        for k in _JOBS:
            out[k] = got[k]
        return out
    except (InvestmentInputError, _db.CountryDataError) as err:
        return {"iso3": iso3, "error": str(err)}


@dataclass(frozen=True)
class WorldMonteCarlo:
    """Results of :func:`world_monte_carlo`.

    Attributes
    ----------
    summary : DataFrame
        ``scope`` (``"world"``, ``"region"`` or ``"country"``), ``name`` (World, the UN M49
        region or the ISO3 code), ``countries`` (simulated in the scope), ``measure`` (one of
        :data:`WORLD_MC_MEASURES`), then the :func:`carecost.uncertainty.summarise` columns
        ``point`` (every parameter at its scenario value), ``mean, median, sd, ci_low,
        ci_high, level, draws``.  Shares of GDP are GDP-weighted (the sum of the amounts in
        US$ over the sum of GDP in US$, draw by draw).
    failures : DataFrame
        ``iso3, error`` for every country that could not be run.
    year : int or None
        The year reported (None: each scenario's target year).
    correlation : str
        ``"common"`` or ``"independent"``.
    notes : tuple of str
        What the intervals do and do not include.
    """

    summary: pd.DataFrame
    failures: pd.DataFrame
    year: int | None
    correlation: str
    notes: tuple[str, ...] = ()

    def interval(self, measure: str, name: str = "World") -> tuple[float, float, float]:
        """``(point, ci_low, ci_high)`` of one measure for one scope name."""
        rows = self.summary[(self.summary["measure"] == measure)
                            & (self.summary["name"] == name)]
        if rows.empty:
            raise InvestmentInputError(
                f"no Monte Carlo result for measure {measure!r} and {name!r}; measures "
                f"{list(WORLD_MC_MEASURES)}, names {sorted(set(self.summary['name']))[:10]}...")
        r = rows.iloc[0]
        return float(r["point"]), float(r["ci_low"]), float(r["ci_high"])


def _scope_values(rows: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """Draws x measures of a group of countries (and its point): GDP-weighted shares, sums."""
    gdp = sum((r["gdp_usd"] for r in rows), np.zeros_like(rows[0]["gdp_usd"]))
    cols = []
    for m in WORLD_MC_MEASURES:
        if m.endswith("_pct_gdp"):
            money = m[: -len("_pct_gdp")]
            tot = sum((r[money] for r in rows), np.zeros_like(gdp))
            cols.append(100.0 * tot / gdp)
        else:
            cols.append(sum((r[m] for r in rows), np.zeros_like(gdp)))
    arr = np.column_stack(cols)
    return arr[:-1], arr[-1]


def world_monte_carlo(
    countries: str | Sequence[str],
    scenario_or_preset: Any,
    *,
    draws: int = 1000,
    seed: int = 0,
    level: float = 0.90,
    correlation: Literal["common", "independent"] = "common",
    ltc_need: bool = True,
    year: int | None = None,
    workers: int | None = None,
    progress: Any = None,
    scheduler: str | None = None,
    client: Any = None,
    population_variants: bool = True,
    impute: Any = None,
) -> WorldMonteCarlo:
    """Monte Carlo intervals on world, regional and country results of a preset or scenario.

    Each country's uncertain parameters (:func:`world_ranges`, around the country's own
    values) are drawn ``draws`` times and the country is evaluated for all draws in one
    vectorised pass (plus one run at the scenario's values, the ``point``); draw ``d`` of the
    world (or a region) sums draw ``d`` of every country, so shares of GDP are GDP-weighted
    draw by draw.

    Parameters
    ----------
    countries, scenario_or_preset, year, workers, progress, scheduler, client
        As :func:`carecost.investment.world.simulate_many` (countries run on a local process
        pool or on Dask, one task per country).
    draws : int, default 1000
    seed : int, default 0
        Non-negative; the draws of a parameter are a function of the seed and its path (and,
        with ``correlation="independent"``, of the country), so a country's draws do not
        depend on which other countries are run.
    level : float, default 0.90
    correlation : {"common", "independent"}, default "common"
        ``"common"``: a parameter (same path, e.g. ``services.ecce_3_5.persons_per_staff``)
        is at the same quantile of its range in every country in a draw (the ranges are one
        assumption applied to every country, so their errors do not cancel out in the world
        total); ``"independent"``: every country draws on its own (narrower world
        intervals).
    ltc_need : bool, default True
        Also draw the need for every long-term care service (kind ``ltc``): its need rates
        (every age) times one factor uniform over the relative spread of
        :data:`LTC_NEED_RANGE` (5.5% to 18.5% of persons 65+ in 31 countries) around its
        midpoint :data:`LTC_NEED_MIDPOINT` (x 0.46 to x 1.54).  The need rate is not a
        numeric Monte Carlo key, so the factor is applied through the service's staff ratio
        (persons per staff divided by the factor): exact for the costs and jobs reported,
        since staff is need over persons per staff.
    population_variants : bool, default True
        Draw the UN WPP 2019 projection variant (low, medium, high; total fertility half a
        child below / above the medium variant), with equal weight, **the same in every
        country in a draw** (one world fertility assumption: the variants are scenarios of
        fertility, not independent country errors).  The draws of each variant are evaluated
        in one vectorised pass per country; the ``point`` is the medium variant.  Years up
        to 2020 are estimates, common to every variant, so the spread grows with the
        distance from 2020 (small in 2035 for persons already born, larger for children).
    impute : bool or iterable of str, optional
        As :func:`carecost.investment.world.simulate_many`.  For a country whose
        ``macro.average_wage`` is imputed, the ratio average wage / GDP per capita is drawn
        uniformly over the donors' interquartile range (``correlation`` applies: the same
        quantile in every imputed country with ``"common"``); the point is the donors'
        median.

    Returns
    -------
    WorldMonteCarlo

    Raises
    ------
    InvestmentInputError
        For bad arguments (before any country is run).  A country that cannot be run is a row
        of ``failures``.
    """
    from . import world

    level = check_level(level, error=InvestmentInputError)
    n = check_draws(draws, error=InvestmentInputError)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InvestmentInputError(f"seed = {seed!r}; allowed an integer >= 0")
    if correlation not in ("common", "independent"):
        raise InvestmentInputError(
            f"correlation = {correlation!r}; allowed 'common' or 'independent'")
    if scheduler not in (None, "processes", "dask"):
        raise InvestmentInputError(
            f"scheduler = {scheduler!r}; allowed None, 'processes' or 'dask'")
    raw, _label = world._raw_of(scenario_or_preset)
    codes = world._codes(countries)
    names = world.impute_names(impute)
    tasks = [(c, raw, year, n, int(seed), correlation == "common", bool(ltc_need),
              bool(population_variants), names) for c in codes]
    if scheduler == "dask" or client is not None:
        rows = world._run_dask(tasks, client, progress, _one_mc)
    else:
        n_workers = max(1, int(workers if workers is not None else (os.cpu_count() or 1)))
        rows = world._run_local(tasks, n_workers, progress, _one_mc)
    done = [r for r in rows if "error" not in r]
    failures = pd.DataFrame([r for r in rows if "error" in r], columns=["iso3", "error"])
    regions = world._countries.db_available().set_index("iso3")["region"]
    groups: list[tuple[str, str, list[dict[str, Any]]]] = []
    if done:
        groups.append(("world", "World", done))
    by_region: dict[str, list[dict[str, Any]]] = {}
    for r in done:
        by_region.setdefault(str(regions.get(r["iso3"], "")), []).append(r)
    groups += [("region", name, rs) for name, rs in sorted(by_region.items())]
    groups += [("country", r["iso3"], [r]) for r in done]
    frames = []
    for scope, name, rs in groups:
        vals, point = _scope_values(rs)
        k = len(WORLD_MC_MEASURES)
        frames.append(summarise(vals, point=point, level=level, keys={
            "scope": [scope] * k, "name": [name] * k, "countries": [len(rs)] * k,
            "measure": list(WORLD_MC_MEASURES)}))
    summary = (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["scope", "name", "countries", "measure", "point", "mean", "median", "sd",
                 "ci_low", "ci_high", "level", "draws"]))
    notes = (
        f"{len(done)} of {len(codes)} countries run, {draws:,} draws each (seed {seed}, "
        f"{correlation} draws across countries); the failures table names the missing inputs",
        "uncertain parameters (world_ranges): staff ratios, non-staff cost shares, propensity "
        "to consume, income tax rate and real wage growth, around each country's own values"
        + ("; the need for long-term care x 0.46 to x 1.54 (5.5%-18.5% of persons 65+ in 31 "
           "countries, IECON DT 03-24)" if ltc_need else ""),
        ("population: UN WPP 2019 low, medium or high variant, equal weight, the same "
         "variant in every country in a draw (one world fertility assumption)"
         if population_variants else "population: medium variant only "
         "(population_variants=False)")
        + ("; imputed average wages: ratio to GDP per capita uniform over the donors' "
           "interquartile range" if names else ""),
        "not included: the input-output structure"
        + ("" if ltc_need else "; the need for long-term care (ltc_need=False)"),
    )
    return WorldMonteCarlo(summary=summary, failures=failures, year=year,
                           correlation=correlation, notes=notes)
