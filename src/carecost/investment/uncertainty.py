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
from .model import SERVICE_NUMERIC, SUMMARY_MEASURES, _evaluate, io_model_for, parameter_value
from .scenario import Scenario, Service, check_field

__all__ = ["ParameterRange", "check_joint_ranges", "monte_carlo", "sensitivity"]


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
        [0, 1], so a rate can never be drawn negative).  Constraints between parameters are
        checked by :func:`monte_carlo` and :func:`sensitivity` for the whole set of ranges.

        Raises
        ------
        InvestmentInputError
            Naming the path, the end (``low``, ``high`` or ``mode``), its value and the
            allowed range.
        """
        base = parameter_value(scenario, self.path)
        lo = check_range(self.low, f"{self.path} low", low=None)
        hi = check_range(self.high, f"{self.path} high", low=lo)
        for v, end in ((lo, "low"), (hi, "high")):
            check_field(v, f"{self.path} {end}", self.field)
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
