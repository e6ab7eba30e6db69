"""Uncertainty beyond sampling: Monte Carlo over wages and parameters, and tornado tables.

Survey standard errors cover sampling only.  The wage chosen for each
activity group, the tax and contribution rates of a net or labour-cost
basis, and the hours themselves (diary misreporting, simultaneous
activities) are further sources of uncertainty that a household satellite
account should show (UNECE 2017, chapter 7).  :func:`monte_carlo` draws
them jointly with the sampling error of the hours (seeded, vectorised over
draws); :func:`tornado` varies one parameter at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ._common import ValuationError
from .core import GDP, Generalist, OpportunityCost, Specialist, Valuation, _check_gdp


# -------------------------------------------------------------- distributions
@dataclass(frozen=True)
class Uniform:
    """Uniform on [low, high] (same unit as the parameter)."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not np.isfinite([self.low, self.high]).all() or not self.low <= self.high:
            raise ValuationError(f"Uniform needs finite low <= high; got {self.low}, {self.high}")

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, size)

    def central(self) -> float:
        return (self.low + self.high) / 2

    def quantile(self, q: float) -> float:
        return self.low + q * (self.high - self.low)


@dataclass(frozen=True)
class Triangular:
    """Triangular with support [low, high] and mode ``mode``."""

    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        if not np.isfinite([self.low, self.mode, self.high]).all() or \
                not self.low <= self.mode <= self.high:
            raise ValuationError("Triangular needs finite low <= mode <= high")

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        if self.low == self.high:
            return np.full(size, self.low)
        return rng.triangular(self.low, self.mode, self.high, size)

    def central(self) -> float:
        return self.mode

    def quantile(self, q: float) -> float:
        if self.low == self.high:
            return self.low
        c = (self.mode - self.low) / (self.high - self.low)
        return float(stats.triang.ppf(q, c, loc=self.low, scale=self.high - self.low))


@dataclass(frozen=True)
class Normal:
    """Normal with mean ``mean`` and standard deviation ``sd`` (>= 0)."""

    mean: float
    sd: float

    def __post_init__(self) -> None:
        if not np.isfinite([self.mean, self.sd]).all() or self.sd < 0:
            raise ValuationError("Normal needs a finite mean and sd >= 0")

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.normal(self.mean, self.sd, size)

    def central(self) -> float:
        return self.mean

    def quantile(self, q: float) -> float:
        return float(stats.norm.ppf(q, self.mean, self.sd)) if self.sd > 0 else self.mean


Distribution = Uniform | Triangular | Normal


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


def _group_totals(valuation: Valuation) -> tuple[np.ndarray, np.ndarray]:
    cols = list(valuation.value_columns[:-1])
    res = valuation.design.total(cols, vcov=True)
    f = valuation._total_factor()
    info = res.attrs["carecost"]
    return res["estimate"].to_numpy() * f, np.asarray(info.vcov) * f * f


def _mvn(rng: np.random.Generator, mean: np.ndarray, cov: np.ndarray, n: int) -> np.ndarray:
    vals, vecs = np.linalg.eigh((cov + cov.T) / 2)
    root = vecs * np.sqrt(np.clip(vals, 0, None))
    return mean + rng.standard_normal((n, len(mean))) @ root.T


@dataclass(frozen=True)
class MonteCarloResult:
    """Monte Carlo draws of the annual value and their summary.

    Attributes
    ----------
    summary
        ``quantity`` (``annual_value`` or ``share_of_gdp``), ``group``,
        ``point`` (the survey estimate), ``mean``, ``sd``, ``ci_low``,
        ``ci_high`` (percentile interval at ``level``), ``level``,
        ``draws``, ``seed``, ``unit``, ``wage_basis``.
    draws
        Array (draws x groups+1) of annual values (last column: total).
    groups
        Column labels of ``draws``.
    settings
        The distributions and options used.
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
    sampling: bool = True, draws: int = 10_000, seed: int = 0, level: float = 0.95,
    gdp: GDP | None = None, tie: Mapping[str, str] | None = None,
) -> MonteCarloResult:
    """Monte Carlo interval for the annual value over wages, parameters and sampling.

    Each draw :math:`d` gives group values
    :math:`V_{dg} = \\tilde V_{dg} \\cdot (r_{d,k(g)}/\\hat r_{k(g)})
    \\cdot f^w_d \\cdot f^h_d`, where :math:`\\tilde V_d \\sim N(\\hat V,
    \\hat\\Sigma)` is the sampling draw of the group totals (their design
    covariance; :math:`\\hat V` when ``sampling=False``), :math:`r_{d,k}` the
    draw of wage key :math:`k` (default: fixed at :math:`\\hat r_k`), and
    :math:`f^w, f^h` multiplicative factors on all wages and all hours
    (default 1).  All draws are made at once (arrays of size draws x groups).

    Parameters
    ----------
    valuation
        From :func:`carecost.valuation.value_unpaid_work`.
    wages
        ``{wage key: distribution of that hourly wage}`` (keys from
        :func:`wage_keys`: occupations, ``"generalist"``).
    wage_factor, hours_factor
        Distributions of multipliers (e.g. ``Uniform(0.75, 0.85)`` for a net
        wage basis, ``Uniform(0.9, 1.1)`` for hours).
    sampling
        Include the sampling error of the hours (multivariate normal).
    draws, seed
        Number of draws and the seed of ``numpy.random.default_rng``.
    level
        Coverage of the percentile interval.
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
    if not isinstance(draws, int) or draws < 2:
        raise ValuationError("monte_carlo: draws must be an integer >= 2")
    if not 0 < level < 1:
        raise ValuationError("monte_carlo: level must be in (0, 1)")
    if gdp is not None:
        _check_gdp(gdp, valuation.currency, valuation.year)
    rng = np.random.default_rng(seed)
    point, cov = _group_totals(valuation)
    g = len(point)
    base = _mvn(rng, point, cov, draws) if sampling else np.broadcast_to(point, (draws, g))
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
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    rows = []
    for qty, arr, p, unit in (
        ("annual_value", out, pts, f"{valuation.currency} per year"),
        *((("share_of_gdp", out / gdp.value, pts / gdp.value, "fraction of GDP"),)
          if gdp is not None else ()),
    ):
        for j, lab in enumerate(labels):
            col = arr[:, j]
            rows.append({"quantity": qty, "group": lab, "point": float(p[j]),
                         "mean": float(col.mean()), "sd": float(col.std(ddof=1)),
                         "ci_low": float(np.quantile(col, lo_q)),
                         "ci_high": float(np.quantile(col, hi_q)), "level": level,
                         "draws": draws, "seed": seed, "unit": unit,
                         "wage_basis": valuation.wage_basis})
    settings = {"wages": wages, "tie": ties, "wage_factor": wage_factor,
                "hours_factor": hours_factor, "sampling": sampling,
                "method": valuation.method_name}
    return MonteCarloResult(pd.DataFrame(rows), out, labels, settings,
                            wage_basis=valuation.wage_basis)


def tornado(
    valuation: Valuation, *, wages: Mapping[str, Distribution] | None = None,
    wage_factor: Distribution | None = None, hours_factor: Distribution | None = None,
    level: float = 0.9, include_sampling: bool = True, tie: Mapping[str, str] | None = None,
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
    wages, wage_factor, hours_factor, tie
        As :func:`monte_carlo`; a tied key moves with its leading key in the
        leading key's row (labelled ``"wage: key (tied: ...)"``).
    level
        Central probability of every row's range, in (0, 1].
    include_sampling
        Add the ``"sampling error"`` row.

    Returns
    -------
    pandas.DataFrame
        ``parameter``, ``low_input``, ``high_input`` (the quantiles, in the
        parameter's unit; z-values for the sampling row), ``value_low``,
        ``value_high``, ``base``, ``swing`` (|high - low|), ``range`` (the
        quantiles used, e.g. ``"5%-95% quantiles"``), ``unit``, ``wage_basis``; sorted by
        ``swing``, largest first.  ``attrs["note"]`` states the rule.

    References
    ----------
    UNECE (2017), chapter 7.
    """
    wages = dict(wages or {})
    ties = dict(tie or {})
    _check_keys(valuation, wages, ties, "tornado")
    if not 0 < level <= 1:
        raise ValuationError("tornado: level must be in (0, 1]")
    if level == 1 and include_sampling:
        raise ValuationError(
            "tornado: level=1 asks for the whole support of every distribution, but the sampling "
            "error is normal (unbounded); pass a level < 1 (e.g. 0.95, used for every row) or "
            "include_sampling=False"
        )
    point, cov = _group_totals(valuation)
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
        rows.append({"parameter": label, "low_input": lo, "high_input": hi,
                     "value_low": value({k: lo}, fw0, fh0),
                     "value_high": value({k: hi}, fw0, fh0), "range": span})
    factors: list[tuple[str, Distribution | None, str]] = [
        ("wage factor", wage_factor, "w"), ("hours factor", hours_factor, "h")]
    for name, fdist, which in factors:
        if fdist is None:
            continue
        lo, hi = quantiles(name, fdist)
        vl = value({}, lo, fh0) if which == "w" else value({}, fw0, lo)
        vh = value({}, hi, fh0) if which == "w" else value({}, fw0, hi)
        rows.append({"parameter": name, "low_input": lo, "high_input": hi, "value_low": vl,
                     "value_high": vh, "range": span})
    if include_sampling:
        se = float(np.sqrt(max(cov.sum(), 0.0))) * fw0 * fh0
        z = float(stats.norm.ppf(qhi))
        rows.append({"parameter": "sampling error", "low_input": -z, "high_input": z,
                     "value_low": base - z * se, "value_high": base + z * se,
                     "range": f"{span} of N(base, SE^2): base -/+ {z:.3f} SE"})
    out = pd.DataFrame(rows, columns=["parameter", "low_input", "high_input", "value_low",
                                      "value_high", "range"])
    out["base"] = base
    out["swing"] = (out["value_high"] - out["value_low"]).abs()
    out["unit"] = f"{valuation.currency} per year"
    out["wage_basis"] = valuation.wage_basis
    out = out[["parameter", "low_input", "high_input", "value_low", "value_high", "base",
               "swing", "range", "unit", "wage_basis"]]
    out.attrs["wage_basis"] = valuation.wage_basis
    out = out.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    out.attrs["note"] = (
        f"one at a time, others at their central values; every row spans the {span} of its "
        f"distribution (central probability {level:g})"
        + ("; the sampling-error row uses the same quantiles of the normal sampling "
           "distribution of the total" if include_sampling else "")
        + (f"; tied wage keys move with their leading key: {ties}" if ties else ""))
    return out


def plot_tornado(table: pd.DataFrame, *, ax: Any = None, scale: float = 1e9,
                 unit: str = "billions", title: str | None = None) -> Any:
    """Draw a tornado chart of :func:`tornado` output; returns the matplotlib Axes.

    Bars run from the value at the low input to the value at the high input,
    around a vertical line at the base value; values are divided by ``scale``.
    """
    import matplotlib.pyplot as plt

    need = {"parameter", "value_low", "value_high", "base"}
    if not need <= set(table.columns):
        raise ValuationError(f"plot_tornado: table needs columns {sorted(need)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * len(table)))
    t = table.iloc[::-1]
    y = np.arange(len(t))
    lo = np.minimum(t["value_low"], t["value_high"]) / scale
    hi = np.maximum(t["value_low"], t["value_high"]) / scale
    base = float(table["base"].iloc[0]) / scale
    ax.barh(y, hi - lo, left=lo, color="#4C72B0", alpha=0.8)
    ax.axvline(base, color="black", lw=1)
    ax.set_yticks(y)
    ax.set_yticklabels(t["parameter"])
    cur = str(table["unit"].iloc[0]).split()[0] if "unit" in table.columns else ""
    ax.set_xlabel(f"annual value ({cur} {unit})")
    ax.set_title(title or "One-at-a-time sensitivity of the annual value")
    return ax
