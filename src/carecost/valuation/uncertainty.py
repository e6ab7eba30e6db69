"""Uncertainty beyond sampling: Monte Carlo over wages and parameters, and tornado tables.

Survey standard errors cover sampling only.  The wage chosen for each
activity group, the tax and contribution rates of a net or labour-cost
basis, and the hours themselves (diary misreporting, simultaneous
activities) are further sources of uncertainty that a household satellite
account should show (UNECE 2017, chapter 7).  :func:`monte_carlo` draws
them jointly with the sampling error of the hours (seeded, vectorised over
draws); :func:`tornado` varies one parameter at a time.  Both are built from
:mod:`carecost.uncertainty` (distributions, draws, the summary schema, the
tornado schema and :func:`~carecost.uncertainty.plot_tornado`), as the
investment Monte Carlo is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from carecost.uncertainty import (
    Distribution,
    Normal,
    Triangular,
    Uniform,
    check_draws,
    check_level,
    generator,
    normal_draws,
    plot_tornado,
    summarise,
    tornado_table,
)

from ._common import ValuationError
from .benchmark import group_values
from .core import GDP, Generalist, OpportunityCost, Specialist, Valuation, _check_gdp

__all__ = ["MonteCarloResult", "Normal", "Triangular", "Uniform", "monte_carlo", "plot_tornado",
           "tornado", "wage_keys"]


# ------------------------------------------------------------------ structure
def wage_keys(valuation: Valuation) -> pd.Series:
    """Wage key of each group for :func:`monte_carlo` (``wages=`` keys).

    The occupation key for specialist groups, ``"generalist"`` for groups at
    the generalist wage, ``"own wage"`` for opportunity cost.
    """
    m = valuation.method
    groups = valuation.groups
    if isinstance(m, Generalist):
        keys = ["generalist"] * len(groups)
    elif isinstance(m, OpportunityCost):
        keys = ["own wage"] * len(groups)
    else:
        occs = valuation.activities.occupations
        subst = list(valuation.activities.table["market_substitute"])
        keys = [str(o) if (isinstance(m, Specialist) or bool(s)) else "generalist"
                for o, s in zip(occs, subst, strict=True)]
    return pd.Series(keys, index=groups, name="wage_key")


def _central_wages(valuation: Valuation) -> dict[str, float]:
    keys = wage_keys(valuation).tolist()
    rates = valuation.rates["wage"].to_numpy(dtype=float)
    return {k: float(r) for k, r in zip(keys, rates, strict=True) if k != "own wage"}


@dataclass(frozen=True)
class MonteCarloResult:
    """Monte Carlo draws of the annual value and their summary.

    Attributes
    ----------
    summary
        The :func:`carecost.uncertainty.summarise` schema: ``measure``
        (``annual_value`` or ``share_of_gdp``), ``group`` (each activity group
        and ``total``), ``point`` (the survey estimate at the wages as given),
        ``mean``, ``median``, ``sd``, ``ci_low``, ``ci_high`` (percentile
        interval at ``level``), ``level``, ``draws``; then ``unit`` and
        ``wage_basis``.
    draws
        Array (draws x groups+1) of annual values (last column: total).
    groups
        Column labels of ``draws``.
    settings
        The distributions and options used (``seed`` among them).
    wage_basis
        The wage basis of the values in words (the valuation's
        :attr:`~carecost.valuation.Valuation.wage_basis`).
    """

    summary: pd.DataFrame
    draws: np.ndarray
    groups: tuple[str, ...]
    settings: dict[str, Any] = field(default_factory=dict)
    wage_basis: str = ""


def _check_keys(valuation: Valuation, wages: Mapping[str, Distribution],
                tie: Mapping[str, str], where: str = "monte_carlo") -> None:
    if (wages or tie) and isinstance(valuation.method, OpportunityCost):
        raise ValuationError(f"{where}: opportunity cost uses each person's own wage; vary it "
                             "with wage_factor, not per-occupation wages")
    known = set(wage_keys(valuation))
    unknown = sorted(set(wages) - known)
    if unknown:
        raise ValuationError(f"{where}: wages given for {unknown}, which value no group; "
                             f"keys are {sorted(known)}")
    for follower, leader in tie.items():
        if follower not in known or leader not in known:
            raise ValuationError(
                f"{where}: tie={{{follower!r}: {leader!r}}} names a key that values no group; "
                f"keys are {sorted(known)}")
        if leader not in wages:
            raise ValuationError(
                f"{where}: tie={{{follower!r}: {leader!r}}}: give {leader!r} a distribution in "
                "wages= (the tied key moves with it)")
        if follower in wages:
            raise ValuationError(
                f"{where}: {follower!r} is tied to {leader!r} and also has its own distribution "
                "in wages=; drop one of the two")
        if follower == leader:
            raise ValuationError(f"{where}: tie maps {follower!r} to itself")


def _tie_groups(keys: np.ndarray, tie: Mapping[str, str]) -> dict[str, np.ndarray]:
    """For each varied key, the groups it moves (its own and those of keys tied to it)."""
    out: dict[str, np.ndarray] = {}
    for k in set(keys):
        lead = tie.get(str(k), str(k))
        out[lead] = out.get(lead, np.zeros(len(keys), dtype=bool)) | (keys == k)
    return out


def _tie_label(key: str, tie: Mapping[str, str]) -> str:
    tied = sorted(f for f, ld in tie.items() if ld == key)
    return f"wage: {key}" + (f" (tied: {', '.join(tied)})" if tied else "")


def monte_carlo(
    valuation: Valuation, *, wages: Mapping[str, Distribution] | None = None,
    wage_factor: Distribution | None = None, hours_factor: Distribution | None = None,
    sampling: bool = True, draws: int = 10_000, seed: int | None = 0, level: float = 0.95,
    gdp: GDP | None = None, tie: Mapping[str, str] | None = None,
    population: float | None = None,
) -> MonteCarloResult:
    """Monte Carlo interval for the annual value over wages, parameters and sampling.

    Each draw :math:`d` gives group values
    :math:`V_{dg} = \\tilde V_{dg} \\cdot (r_{d,k(g)}/\\hat r_{k(g)})
    \\cdot f^w_d \\cdot f^h_d`, where :math:`\\tilde V_d \\sim N(\\hat V,
    \\hat\\Sigma)` is the sampling draw of the group values (their design
    covariance, :func:`carecost.uncertainty.normal_draws`; :math:`\\hat V`
    when ``sampling=False``), :math:`r_{d,k}` the draw of wage key :math:`k`
    (default: fixed at :math:`\\hat r_k`), and :math:`f^w, f^h`
    multiplicative factors on all wages and all hours (default 1).  All draws
    are made at once (arrays of size draws x groups), from one generator in
    this order: sampling, ``wages`` (in the mapping's order), ``wage_factor``,
    ``hours_factor``.

    Parameters
    ----------
    valuation
        From :func:`carecost.valuation.value_unpaid_work`.
    wages
        ``{wage key: distribution of that hourly wage}`` (keys from
        :func:`wage_keys`: occupations, ``"generalist"``; distributions from
        :mod:`carecost.uncertainty`, in currency per hour).
    wage_factor, hours_factor
        Distributions of multipliers (e.g. ``Uniform(0.75, 0.85)`` for a net
        wage basis, ``Uniform(0.9, 1.1)`` for hours).
    sampling
        Include the sampling error of the hours (multivariate normal).
    draws
        Number of draws, default 10,000: for a roughly normal total, the Monte
        Carlo standard error of each end of a 95% interval is then about 0.7%
        of the interval's width (:math:`\\sqrt{p(1-p)/n}/f(x_p)`,
        :math:`p = 0.025`).
    seed
        Seed of :func:`carecost.uncertainty.generator`, default 0
        (reproducible); None for fresh entropy.
    level
        Coverage of the percentile interval, default 0.95 (the coverage of
        the survey intervals of a valuation).
    gdp
        Adds ``share_of_gdp`` rows.
    tie
        ``{key: leading key}``: wage keys that are one estimate under two
        names (e.g. a generalist taken from the same wage cell as the
        cleaner's wage, ``{"domestic_cleaner": "generalist"}``) move
        together: each draw multiplies the tied key's wage by the same ratio
        (draw / central value) as the leading key's, which must have a
        distribution in ``wages``.  Varying them independently would treat
        one uncertain number as two and understate the spread.
    population
        Persons the totals stand for: the group values are then benchmarked
        to it (:func:`carecost.valuation.benchmark_total`: weighted mean per
        person x days x population, the population taken as known) instead
        of the survey-weighted totals.

    Returns
    -------
    MonteCarloResult

    References
    ----------
    UNECE (2017), chapter 7 (quality and sensitivity of valuations).
    """
    wages = dict(wages or {})
    ties = dict(tie or {})
    _check_keys(valuation, wages, ties)
    draws = check_draws(draws, error=ValuationError)
    level = check_level(level, error=ValuationError)
    rng = generator(seed, error=ValuationError)
    if gdp is not None:
        _check_gdp(gdp, valuation.currency, valuation.year)
    point, cov = group_values(valuation, population)
    g = len(point)
    base = normal_draws(rng, point, cov, draws) if sampling else np.broadcast_to(point, (draws, g))
    keys = wage_keys(valuation).to_numpy()
    central = _central_wages(valuation)
    moves = _tie_groups(keys, ties)
    ratio = np.ones((draws, g))
    for k, dist in wages.items():
        r = dist.sample(rng, draws)
        if np.any(r <= 0):
            raise ValuationError(f"monte_carlo: {int((r <= 0).sum())} draws of the {k!r} wage are "
                                 "zero or negative; use a distribution with positive support")
        ratio[:, moves[k]] = (r / central[k])[:, None]
    fw = wage_factor.sample(rng, draws) if wage_factor is not None else np.ones(draws)
    fh = hours_factor.sample(rng, draws) if hours_factor is not None else np.ones(draws)
    if np.any(fw <= 0) or np.any(fh <= 0):
        raise ValuationError("monte_carlo: wage_factor and hours_factor draws must be positive")
    vals = base * ratio * (fw * fh)[:, None]
    out = np.column_stack([vals, vals.sum(axis=1)])
    labels = (*valuation.groups, "total")
    pts = np.append(point, point.sum())
    parts = [("annual_value", out, pts, f"{valuation.currency} per year")]
    if gdp is not None:
        parts.append(("share_of_gdp", out / gdp.value, pts / gdp.value, "fraction of GDP"))
    tables = []
    for measure, arr, p, unit in parts:
        t = summarise(arr, point=p, level=level,
                      keys={"measure": [measure] * len(labels), "group": list(labels)})
        tables.append(t.assign(unit=unit, wage_basis=valuation.wage_basis))
    summary = pd.concat(tables, ignore_index=True)
    settings = {"wages": wages, "tie": ties, "wage_factor": wage_factor,
                "hours_factor": hours_factor, "sampling": sampling, "seed": seed,
                "population": population, "method": valuation.method_name}
    return MonteCarloResult(summary, out, labels, settings, wage_basis=valuation.wage_basis)


def tornado(
    valuation: Valuation, *, wages: Mapping[str, Distribution] | None = None,
    wage_factor: Distribution | None = None, hours_factor: Distribution | None = None,
    level: float = 0.9, include_sampling: bool = True, tie: Mapping[str, str] | None = None,
    population: float | None = None,
) -> pd.DataFrame:
    """One-at-a-time sensitivity of the annual value (tornado table).

    The base case puts every parameter at its central value (distribution
    mode or mean; factors absent = 1).  Each parameter in turn is set to the
    ``(1-level)/2`` and ``(1+level)/2`` quantiles of its distribution with
    the others at base.  With ``include_sampling`` a row ``"sampling
    error"`` shows the base value at the same quantiles of its normal
    sampling distribution (base -/+ z x survey standard error), so **every
    row spans the same central probability** ``level``.  ``level=1`` asks
    for the whole support: allowed only when every distribution is bounded
    (:class:`Uniform`, :class:`Triangular`) and ``include_sampling=False``;
    a :class:`Normal` (or the sampling error) is unbounded there, an error.

    Parameters
    ----------
    valuation
        From :func:`carecost.valuation.value_unpaid_work`.
    wages, wage_factor, hours_factor, tie, population
        As :func:`monte_carlo`; a tied key moves with its leading key in the
        leading key's row (labelled ``"wage: key (tied: ...)"``).
    level
        Central probability of every row's range, in (0, 1]; default 0.9
        (the 5%-95% quantiles, a common tornado convention).
    include_sampling
        Add the ``"sampling error"`` row.

    Returns
    -------
    pandas.DataFrame
        The :func:`carecost.uncertainty.tornado_table` schema: ``parameter``,
        ``low_input``, ``base_input``, ``high_input`` (the quantiles and the
        central value, in the parameter's unit; z-values for the sampling
        row), ``value_low``, ``base``, ``value_high`` (annual values),
        ``swing`` (|high - low|); then ``range`` (the quantiles used, e.g.
        ``"5%-95% quantiles"``), ``measure`` (``"annual_value"``), ``unit``,
        ``wage_basis``; sorted by ``swing``, largest first.
        ``attrs["note"]`` states the rule.

    References
    ----------
    UNECE (2017), chapter 7.
    """
    wages = dict(wages or {})
    ties = dict(tie or {})
    _check_keys(valuation, wages, ties, "tornado")
    level = check_level(level, where="tornado", allow_one=True, error=ValuationError)
    if level == 1 and include_sampling:
        raise ValuationError(
            "tornado: level=1 asks for the whole support of every distribution, but the sampling "
            "error is normal (unbounded); pass a level < 1 (e.g. 0.95, used for every row) or "
            "include_sampling=False"
        )
    point, cov = group_values(valuation, population)
    keys = wage_keys(valuation).to_numpy()
    central = _central_wages(valuation)
    moves = _tie_groups(keys, ties)
    qlo, qhi = (1 - level) / 2, (1 + level) / 2
    span = ("support (0%-100% quantiles)" if level == 1
            else f"{100 * qlo:g}%-{100 * qhi:g}% quantiles")

    def quantiles(name: str, dist: Distribution) -> tuple[float, float]:
        lo, hi = dist.quantile(qlo), dist.quantile(qhi)
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise ValuationError(
                f"tornado: {name} has distribution {dist!r}, whose {span} are infinite; pass "
                "a level < 1 (e.g. 0.95) or give it a bounded distribution (Uniform, Triangular)"
            )
        return lo, hi

    def value(wage_over: dict[str, float], fw: float, fh: float) -> float:
        ratio = np.ones(len(point))
        for k, dist in wages.items():
            ratio[moves[k]] = wage_over.get(k, dist.central()) / central[k]
        return float((point * ratio).sum() * fw * fh)

    fw0 = wage_factor.central() if wage_factor is not None else 1.0
    fh0 = hours_factor.central() if hours_factor is not None else 1.0
    base = value({}, fw0, fh0)
    rows = []
    for k, dist in wages.items():
        label = _tie_label(k, ties)
        lo, hi = quantiles(label, dist)
        rows.append({"parameter": label, "low_input": lo, "base_input": dist.central(),
                     "high_input": hi, "value_low": value({k: lo}, fw0, fh0),
                     "value_high": value({k: hi}, fw0, fh0), "range": span})
    factors: list[tuple[str, Distribution | None, str]] = [
        ("wage factor", wage_factor, "w"), ("hours factor", hours_factor, "h")]
    for name, fdist, which in factors:
        if fdist is None:
            continue
        lo, hi = quantiles(name, fdist)
        vl = value({}, lo, fh0) if which == "w" else value({}, fw0, lo)
        vh = value({}, hi, fh0) if which == "w" else value({}, fw0, hi)
        rows.append({"parameter": name, "low_input": lo, "base_input": fdist.central(),
                     "high_input": hi, "value_low": vl, "value_high": vh, "range": span})
    if include_sampling:
        se = float(np.sqrt(max(cov.sum(), 0.0))) * fw0 * fh0
        z = float(stats.norm.ppf(qhi))
        rows.append({"parameter": "sampling error", "low_input": -z, "base_input": 0.0,
                     "high_input": z, "value_low": base - z * se, "value_high": base + z * se,
                     "range": f"{span} of N(base, SE^2): base -/+ {z:.3f} SE"})
    out = tornado_table(rows, base=base, extra={
        "measure": "annual_value", "unit": f"{valuation.currency} per year",
        "wage_basis": valuation.wage_basis})
    out.attrs["wage_basis"] = valuation.wage_basis
    out.attrs["note"] = (
        f"one at a time, others at their central values; every row spans the {span} of its "
        f"distribution (central probability {level:g})"
        + ("; the sampling-error row uses the same quantiles of the normal sampling "
           "distribution of the total" if include_sampling else "")
        + (f"; tied wage keys move with their leading key: {ties}" if ties else ""))
    return out
