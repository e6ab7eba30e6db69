"""Uncertainty for care-investment scenarios: Monte Carlo and one-at-a-time sensitivity.

Monte Carlo draws every uncertain parameter independently from a uniform or triangular
distribution over a user-given range and re-runs the (vectorised) simulation for all draws
at once; results are the median and a central percentile interval per year and measure
(the "estimate, ci_low, ci_high, level" result convention of :mod:`carecost.survey`).
One-at-a-time (OAT) sensitivity sets each parameter to the ends of its range with the
others at their scenario values (the "tornado" analysis of Saltelli et al. 2008, ch. 1;
used for care costing in De Henau 2022, annex).

References
----------
Saltelli, A. et al. (2008). *Global Sensitivity Analysis: The Primer*. Wiley.
De Henau, J. (2022). ILO Working Paper 55.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ._validate import InvestmentInputError, check_range
from .io import IOModel
from .model import SUMMARY_MEASURES, _core, example_io_model, parameter_value
from .scenario import Scenario

__all__ = ["ParameterRange", "monte_carlo", "sensitivity"]

_SHARES = {
    "current_coverage",
    "target_coverage",
    "non_staff_cost_share",
    "women_share",
    "non_care_women_share",
    "income_tax_rate",
    "employee_contribution_rate",
    "indirect_tax_rate",
    "propensity_to_consume",
    "share_from_unemployment",
}
_POSITIVE = {
    "persons_per_staff",
    "service_hours_per_week",
    "staff_hours_per_week",
    "wage_relative_to_average",
    "wage",
    "average_wage",
    "gdp",
    "working_age_women",
    "working_age_men",
}


@dataclass(frozen=True)
class ParameterRange:
    """An uncertain parameter.

    Attributes
    ----------
    path : str
        ``macro.<field>``, ``fiscal.<field>``, ``services.<name>.<field>`` (``*`` for all
        services) or ``induced.consumption_multiplier``.
    low, high : float
        Range ends (``low <= high``).
    mode : float, optional
        Most likely value for ``dist="triangular"``; defaults to the scenario value.
    dist : {"uniform", "triangular"}
    """

    path: str
    low: float
    high: float
    mode: float | None = None
    dist: Literal["uniform", "triangular"] = "uniform"

    def validate(self, scenario: Scenario) -> float:
        """Check the range against the parameter's allowed values; return the scenario value."""
        base = parameter_value(scenario, self.path)
        field_name = self.path.split(".")[-1]
        lo = check_range(self.low, f"{self.path} low", low=None)
        hi = check_range(self.high, f"{self.path} high", low=lo)
        for v, end in ((lo, "low"), (hi, "high")):
            if field_name in _SHARES:
                check_range(v, f"{self.path} {end}", low=0.0, high=1.0)
            if field_name == "non_staff_cost_share":
                check_range(v, f"{self.path} {end}", low=0.0, high=1.0, high_open=True)
            if field_name in _POSITIVE:
                check_range(v, f"{self.path} {end}", low=0.0, low_open=True)
        if self.dist not in ("uniform", "triangular"):
            raise InvestmentInputError(
                f"{self.path} dist = {self.dist!r}; allowed 'uniform' or 'triangular'"
            )
        if self.dist == "triangular":
            mode = base if self.mode is None else self.mode
            check_range(mode, f"{self.path} mode", low=lo, high=hi)
        if field_name == "target_coverage":
            svc = self.path.split(".")[1]
            names = [s.name for s in scenario.services] if svc == "*" else [svc]
            for n in names:
                cur = scenario.service(n).current_coverage
                check_range(lo, f"{self.path} low", low=cur, high=1.0)
        return base

    def draw(self, rng: np.random.Generator, n: int, base: float) -> np.ndarray:
        """``n`` draws as a column of shape (n, 1)."""
        if self.dist == "triangular":
            mode = base if self.mode is None else self.mode
            if self.high == self.low:
                x = np.full(n, self.low)
            else:
                x = rng.triangular(self.low, mode, self.high, size=n)
        else:
            x = rng.uniform(self.low, self.high, size=n)
        return x[:, None]


def _model(scenario: Scenario, model: IOModel | None) -> IOModel:
    if model is not None:
        return model
    if scenario.io_dataset != "example":
        raise InvestmentInputError(
            f"io.dataset = {scenario.io_dataset!r}: pass model= (allowed built-in: 'example')"
        )
    return example_io_model()


def monte_carlo(
    scenario: Scenario,
    ranges: Sequence[ParameterRange],
    *,
    n_draws: int = 1000,
    seed: int | None = 0,
    level: float = 0.90,
    model: IOModel | None = None,
    measures: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Monte Carlo intervals for every year and measure.

    Parameters
    ----------
    scenario : Scenario
    ranges : sequence of ParameterRange
        Independent uncertain parameters.
    n_draws : int, default 1000
        Number of draws (all evaluated in one vectorised pass).
    seed : int or None, default 0
        Seed of :func:`numpy.random.default_rng` (reproducible by default).
    level : float, default 0.90
        Coverage of the central percentile interval.
    model : IOModel, optional
        Defaults to the example-country model.
    measures : sequence of str, optional
        Subset of the summary measures (default: all).

    Returns
    -------
    pandas.DataFrame
        Tidy: ``year, measure, estimate`` (median of the draws), ``mean, ci_low, ci_high``
        (percentiles ``(1 - level)/2`` and ``(1 + level)/2``), ``level, n_draws``.
        ``attrs["draws"]`` holds the parameter draws.
    """
    if not 0 < level < 1:
        raise InvestmentInputError(f"level = {level!r} is outside the allowed range (0, 1)")
    if int(n_draws) < 2:
        raise InvestmentInputError(f"n_draws = {n_draws!r}; allowed >= 2")
    if not ranges:
        raise InvestmentInputError("ranges is empty; give at least one ParameterRange")
    mod = _model(scenario, model)
    meas = list(measures) if measures is not None else list(SUMMARY_MEASURES)
    bad = [m for m in meas if m not in SUMMARY_MEASURES]
    if bad:
        raise InvestmentInputError(f"measures {bad} unknown; allowed {list(SUMMARY_MEASURES)}")
    rng = np.random.default_rng(seed)
    overrides: dict[str, np.ndarray] = {}
    for pr in ranges:
        if pr.path in overrides:
            raise InvestmentInputError(f"parameter {pr.path!r} given twice in ranges")
        base = pr.validate(scenario)
        overrides[pr.path] = pr.draw(rng, int(n_draws), base)
    core = _core(scenario, mod, overrides)
    years = scenario.years
    q_lo, q_hi = (1 - level) / 2, (1 + level) / 2
    frames = []
    for m in meas:
        arr = np.broadcast_to(np.asarray(core[m], dtype=float), (int(n_draws), len(years)))
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            med = np.nanmedian(arr, axis=0)
            mean = np.nanmean(arr, axis=0)
            lo = np.nanquantile(arr, q_lo, axis=0)
            hi = np.nanquantile(arr, q_hi, axis=0)
        frames.append(
            pd.DataFrame(
                {
                    "year": years,
                    "measure": m,
                    "estimate": med,
                    "mean": mean,
                    "ci_low": lo,
                    "ci_high": hi,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["level"] = level
    out["n_draws"] = int(n_draws)
    out.attrs["draws"] = pd.DataFrame({k: v[:, 0] for k, v in overrides.items()})
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
    scenario values; all 2K runs are evaluated in one vectorised pass.

    Returns
    -------
    pandas.DataFrame
        ``parameter, low, high, base_value, result_low, result_base, result_high, swing``
        (``|result_high - result_low|``), sorted by decreasing swing.
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
    bases = [pr.validate(scenario) for pr in ranges]
    overrides: dict[str, np.ndarray] = {}
    for i, (pr, base) in enumerate(zip(ranges, bases, strict=True)):
        col = np.full(2 * k + 1, base)
        col[2 * i] = pr.low
        col[2 * i + 1] = pr.high
        overrides[pr.path] = col[:, None]
    core = _core(scenario, mod, overrides)
    t = int(np.where(scenario.years == yr)[0][0])
    arr = np.broadcast_to(np.asarray(core[measure], dtype=float), (2 * k + 1, len(scenario.years)))
    res = arr[:, t]
    out = pd.DataFrame(
        {
            "parameter": [pr.path for pr in ranges],
            "low": [pr.low for pr in ranges],
            "high": [pr.high for pr in ranges],
            "base_value": bases,
            "result_low": res[0 : 2 * k : 2],
            "result_base": res[2 * k],
            "result_high": res[1 : 2 * k : 2],
        }
    )
    out["swing"] = (out["result_high"] - out["result_low"]).abs()
    out = out.sort_values("swing", ascending=False, ignore_index=True)
    out.attrs.update({"measure": measure, "year": yr})
    return out
