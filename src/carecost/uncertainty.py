"""One uncertainty toolkit for carecost: distributions, seeded draws, summaries and tornado tables.

Survey standard errors cover sampling only; the valuation of unpaid work also depends on the
wages chosen (UNECE 2017, chapter 7) and a care-investment scenario on staff ratios, tax
rates and behavioural parameters (De Henau 2022, annex).  Both domains show that uncertainty
the same way, with the pieces of this module:

* **distributions** -- :class:`Uniform` ``(low, high)``, :class:`Triangular`
  ``(low, mode, high)`` (this one argument order everywhere) and :class:`Normal`
  ``(mean, sd)``, each checked on construction (:class:`UncertaintyInputError`);
* **draws** -- :func:`generator` (a seeded :func:`numpy.random.default_rng`),
  :func:`sample` (every distribution of a mapping, in order, from one generator) and
  :func:`normal_draws` (a multivariate normal from a covariance matrix that may be singular);
  all draws of a Monte Carlo are made at once, as arrays of shape ``(draws, k)``;
* **the summary of draws** -- :func:`summarise`, one table schema for every Monte Carlo:
  ``measure``, the domain columns (``group``, ``year``, ...), then :data:`SUMMARY_COLUMNS`
  ``point, mean, median, sd, ci_low, ci_high, level, draws``;
* **one-at-a-time sensitivity** -- :func:`tornado_table` (schema :data:`TORNADO_COLUMNS`)
  and :func:`plot_tornado`.

:func:`carecost.valuation.monte_carlo`, :func:`carecost.valuation.tornado`,
:func:`carecost.investment.monte_carlo` and :func:`carecost.investment.sensitivity` are built
from these parts and take the same argument names (``draws=``, ``level=``, ``seed=``).

References
----------
UNECE (2017). *Guide on Valuing Unpaid Household Service Work*, chapter 7. United Nations.
Saltelli, A. et al. (2008). *Global Sensitivity Analysis: The Primer*, chapter 1. Wiley.
Hyndman, R. J. and Fan, Y. (1996). Sample quantiles in statistical packages. *The American
Statistician* 50(4), 361-365 (the percentile interval uses their definition 7, numpy's
default ``"linear"``).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from carecost.errors import CarecostInputError

__all__ = [
    "SUMMARY_COLUMNS",
    "TORNADO_COLUMNS",
    "Distribution",
    "Normal",
    "Triangular",
    "UncertaintyInputError",
    "Uniform",
    "check_draws",
    "check_level",
    "generator",
    "normal_draws",
    "plot_tornado",
    "sample",
    "summarise",
    "tornado_table",
]

SUMMARY_COLUMNS: tuple[str, ...] = ("point", "mean", "median", "sd", "ci_low", "ci_high",
                                    "level", "draws")
"""Columns of every Monte Carlo summary, after ``measure`` and the domain columns.

``point`` is the result at the central inputs (the survey estimate with the wages as given;
the scenario's own values), ``mean``, ``median`` and ``sd`` (``ddof=1``) summarise the draws,
``ci_low`` and ``ci_high`` are their ``(1 - level)/2`` and ``(1 + level)/2`` sample quantiles
(a percentile interval), ``level`` its coverage and ``draws`` the number of draws."""

TORNADO_COLUMNS: tuple[str, ...] = ("parameter", "low_input", "base_input", "high_input",
                                    "value_low", "base", "value_high", "swing")
"""Columns of every tornado (one-at-a-time sensitivity) table, in order.

``low_input``, ``base_input`` and ``high_input`` are the parameter's values (in its own unit)
in the low, base and high runs; ``value_low`` and ``value_high`` the result with the
parameter at its low and high input and every other parameter at its base; ``base`` the
result with every parameter at its base; ``swing`` ``|value_high - value_low|``.  Rows are
sorted by ``swing``, largest first."""


class UncertaintyInputError(CarecostInputError):
    """A distribution, number of draws, level, seed or table that cannot be used as given."""


def _finite(*values: float) -> bool:
    try:
        return bool(np.isfinite(np.asarray(values, dtype=float)).all())
    except (TypeError, ValueError):
        return False


# -------------------------------------------------------------- distributions
@dataclass(frozen=True)
class Uniform:
    """Uniform distribution on ``[low, high]``, in the unit of the parameter.

    ``low == high`` is allowed and gives that value in every draw (a parameter held fixed
    without changing the code that draws it).

    Raises
    ------
    UncertaintyInputError
        If an end is not a finite number or ``low > high``.
    """

    low: float
    high: float

    def __post_init__(self) -> None:
        if not _finite(self.low, self.high) or not self.low <= self.high:
            raise UncertaintyInputError(
                f"Uniform(low={self.low!r}, high={self.high!r}): needs finite low <= high; "
                "swap the ends if they are reversed")

    bounded = True
    """Both ends of the support are finite."""

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` draws (``rng.uniform``)."""
        return rng.uniform(self.low, self.high, size)

    def central(self) -> float:
        """The base value of a one-at-a-time run: the midpoint."""
        return (self.low + self.high) / 2

    def quantile(self, q: float) -> float:
        """The ``q`` quantile, ``low + q (high - low)``."""
        return self.low + q * (self.high - self.low)


@dataclass(frozen=True)
class Triangular:
    """Triangular distribution with support ``[low, high]`` and most likely value ``mode``.

    The argument order is ``(low, mode, high)``, as :func:`numpy.random.Generator.triangular`
    and :class:`carecost.investment.ParameterRange` (``mode=`` by name).  ``low == high``
    gives that value in every draw.

    Raises
    ------
    UncertaintyInputError
        If a value is not a finite number or not ``low <= mode <= high``.
    """

    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        if not _finite(self.low, self.mode, self.high) or \
                not self.low <= self.mode <= self.high:
            raise UncertaintyInputError(
                f"Triangular(low={self.low!r}, mode={self.mode!r}, high={self.high!r}): needs "
                "finite low <= mode <= high (the arguments are in the order low, mode, high)")

    bounded = True
    """Both ends of the support are finite."""

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` draws (``rng.triangular``; the value itself when ``low == high``)."""
        if self.low == self.high:
            return np.full(size, float(self.low))
        return rng.triangular(self.low, self.mode, self.high, size)

    def central(self) -> float:
        """The base value of a one-at-a-time run: the mode."""
        return self.mode

    def quantile(self, q: float) -> float:
        """The ``q`` quantile (:data:`scipy.stats.triang`)."""
        if self.low == self.high:
            return self.low
        c = (self.mode - self.low) / (self.high - self.low)
        return float(stats.triang.ppf(q, c, loc=self.low, scale=self.high - self.low))


@dataclass(frozen=True)
class Normal:
    """Normal distribution with mean ``mean`` and standard deviation ``sd`` (same unit).

    Unbounded: a parameter that must stay positive or inside a range may be drawn outside
    it, which the functions that draw it check.  ``sd == 0`` gives ``mean`` in every draw.

    Raises
    ------
    UncertaintyInputError
        If ``mean`` or ``sd`` is not finite or ``sd < 0``.
    """

    mean: float
    sd: float

    def __post_init__(self) -> None:
        if not _finite(self.mean, self.sd) or self.sd < 0:
            raise UncertaintyInputError(
                f"Normal(mean={self.mean!r}, sd={self.sd!r}): needs a finite mean and a "
                "finite sd >= 0")

    bounded = False
    """The support is the whole real line."""

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` draws (``rng.normal``)."""
        return rng.normal(self.mean, self.sd, size)

    def central(self) -> float:
        """The base value of a one-at-a-time run: the mean."""
        return self.mean

    def quantile(self, q: float) -> float:
        """The ``q`` quantile (infinite at ``q`` = 0 or 1 when ``sd > 0``)."""
        return float(stats.norm.ppf(q, self.mean, self.sd)) if self.sd > 0 else self.mean


Distribution = Uniform | Triangular | Normal
"""Any distribution of this module."""


# --------------------------------------------------------------------- checks
def check_draws(draws: object, *, where: str = "monte_carlo",
                error: type[Exception] = UncertaintyInputError) -> int:
    """``draws`` if it is a whole number >= 2, else ``error`` naming ``where``."""
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or int(draws) < 2:
        raise error(f"{where}: draws = {draws!r}; allowed a whole number >= 2")
    return int(draws)


def check_level(level: object, *, where: str = "monte_carlo", allow_one: bool = False,
                error: type[Exception] = UncertaintyInputError) -> float:
    """``level`` as a float in (0, 1) (or (0, 1] with ``allow_one``), else ``error``."""
    ok = not isinstance(level, bool) and isinstance(level, int | float | np.number) \
        and _finite(float(level))  # type: ignore[arg-type]
    value = float(level) if ok else float("nan")  # type: ignore[arg-type]
    if not ok or not (0 < value < 1 or (allow_one and value == 1)):
        allowed = "(0, 1]" if allow_one else "(0, 1)"
        raise error(f"{where}: level = {level!r} is outside the allowed range {allowed}")
    return value


def generator(seed: object = 0, *, where: str = "monte_carlo",
              error: type[Exception] = UncertaintyInputError) -> np.random.Generator:
    """The seeded generator of every carecost Monte Carlo: ``numpy.random.default_rng(seed)``.

    ``seed`` is a whole number >= 0 (the same seed gives the same draws) or ``None`` (fresh
    entropy from the operating system: not reproducible).
    """
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)
                             or int(seed) < 0):
        raise error(f"{where}: seed = {seed!r}; allowed a whole number >= 0 or None")
    return np.random.default_rng(None if seed is None else int(seed))


# ---------------------------------------------------------------------- draws
def sample(distributions: Mapping[str, Distribution], draws: int,
           rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Draws of every distribution, in the mapping's order, from one generator.

    Returns
    -------
    dict
        Same keys; arrays of shape ``(draws,)``.  The order of the mapping fixes which draws
        each distribution gets: the same mapping, seed and number of draws give the same
        arrays.
    """
    out: dict[str, np.ndarray] = {}
    for name, dist in distributions.items():
        if not isinstance(dist, Uniform | Triangular | Normal):
            raise UncertaintyInputError(
                f"{name!r}: {dist!r} is not a distribution; use Uniform(low, high), "
                "Triangular(low, mode, high) or Normal(mean, sd) from carecost.uncertainty")
        out[name] = dist.sample(rng, draws)
    return out


def normal_draws(rng: np.random.Generator, mean: np.ndarray, cov: np.ndarray,
                 draws: int) -> np.ndarray:
    """Draws of a multivariate normal :math:`N(\\mu, \\Sigma)`, shape ``(draws, k)``.

    :math:`x_d = \\mu + z_d R^\\top` with :math:`z_d \\sim N(0, I_k)` and
    :math:`R = V \\operatorname{diag}(\\sqrt{\\max(\\lambda, 0)})` from the eigen-decomposition
    :math:`(\\Sigma + \\Sigma^\\top)/2 = V \\Lambda V^\\top`, so a singular or slightly
    indefinite design covariance (rounding) is usable: :math:`R R^\\top = \\Sigma` on the
    positive part.

    Parameters
    ----------
    rng
        From :func:`generator`.
    mean
        :math:`\\mu`, length ``k``.
    cov
        :math:`\\Sigma`, ``k x k`` (e.g. the design covariance of survey totals).
    draws
        Number of draws.
    """
    mu = np.asarray(mean, dtype=float)
    sigma = np.asarray(cov, dtype=float)
    if sigma.shape != (len(mu), len(mu)):
        raise UncertaintyInputError(
            f"normal_draws: cov has shape {sigma.shape}, the mean {len(mu)} values; the "
            f"covariance must be {len(mu)} x {len(mu)}")
    vals, vecs = np.linalg.eigh((sigma + sigma.T) / 2)
    root = vecs * np.sqrt(np.clip(vals, 0, None))
    return mu + rng.standard_normal((draws, len(mu))) @ root.T


# -------------------------------------------------------------------- summary
def summarise(values: np.ndarray, *, point: Sequence[float] | np.ndarray, level: float,
              keys: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """The one summary table of Monte Carlo draws.

    Parameters
    ----------
    values
        Draws of ``k`` results, shape ``(draws, k)``; NaN draws (a result undefined in that
        draw, e.g. a share of zero jobs) are left out of that result's statistics.
    point
        The ``k`` results at the central inputs.
    level
        Coverage of the percentile interval, in (0, 1).
    keys
        Columns that say which result each column of ``values`` is: ``measure`` first, then
        the domain columns (``group``, ``year``, ...), each of length ``k``.

    Returns
    -------
    pandas.DataFrame
        ``keys`` columns then :data:`SUMMARY_COLUMNS`, one row per result.
    """
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 2:
        raise UncertaintyInputError(f"summarise: values must be draws x results; got shape "
                                    f"{arr.shape}")
    n, k = arr.shape
    pts = np.asarray(point, dtype=float)
    if pts.shape != (k,) or any(len(v) != k for v in keys.values()):
        raise UncertaintyInputError(
            f"summarise: {k} results in values, but point has shape {pts.shape} and keys "
            f"lengths {[len(v) for v in keys.values()]}")
    level = check_level(level, where="summarise")
    q_lo, q_hi = (1 - level) / 2, (1 + level) / 2
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN results: NaN statistics
        mean, sd = np.nanmean(arr, axis=0), np.nanstd(arr, axis=0, ddof=1)
        if np.isnan(arr).any():
            median = np.nanmedian(arr, axis=0)
            lo, hi = np.nanquantile(arr, [q_lo, q_hi], axis=0)
        else:  # the same numbers, without numpy's column-by-column NaN handling (faster)
            median = np.median(arr, axis=0)
            lo, hi = np.quantile(arr, [q_lo, q_hi], axis=0)
    stats_ = {"point": pts, "mean": mean, "median": median, "sd": sd, "ci_low": lo,
              "ci_high": hi}
    out = pd.DataFrame({**{c: list(v) for c, v in keys.items()}, **stats_})
    out["level"] = level
    out["draws"] = n
    return out


# -------------------------------------------------------------------- tornado
def tornado_table(rows: Sequence[Mapping[str, Any]], *, base: float,
                  extra: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The one tornado (one-at-a-time sensitivity) table.

    Parameters
    ----------
    rows
        One mapping per parameter with ``parameter``, ``low_input``, ``base_input``,
        ``high_input``, ``value_low`` and ``value_high``, and optionally further columns
        (e.g. ``range``) kept after the schema columns.
    base
        The result with every parameter at its base input.
    extra
        Constant columns added after those (e.g. ``measure``, ``year``, ``unit``).

    Returns
    -------
    pandas.DataFrame
        :data:`TORNADO_COLUMNS`, then the further row columns and ``extra``; sorted by
        ``swing`` (stable), largest first.
    """
    need = ("parameter", "low_input", "base_input", "high_input", "value_low", "value_high")
    for r in rows:
        missing = [c for c in need if c not in r]
        if missing:
            raise UncertaintyInputError(f"tornado_table: row {dict(r)!r} lacks {missing}")
    more = list(dict.fromkeys(c for r in rows for c in r if c not in need))
    out = pd.DataFrame([dict(r) for r in rows], columns=[*need, *more])
    out["base"] = float(base)
    out["swing"] = (out["value_high"] - out["value_low"]).abs()
    for c, v in (extra or {}).items():
        out[c] = v
    out = out[[*TORNADO_COLUMNS, *more, *(extra or {})]]
    return out.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def plot_tornado(table: pd.DataFrame, *, ax: Any = None, scale: float = 1.0,
                 scale_word: str = "", xlabel: str | None = None,
                 title: str | None = None) -> Any:
    """Tornado chart of a :func:`tornado_table` (valuation ``tornado``, investment
    ``sensitivity``); returns the matplotlib Axes.

    Two bars per parameter start at the base result (vertical line): to the result at the
    parameter's low input and to the result at its high input, so the chart shows which
    end raises the result.  Values are divided by ``scale`` (``scale=1e9,
    scale_word="billions"`` for money in billions).

    Parameters
    ----------
    table
        Columns ``parameter``, ``value_low``, ``value_high`` and ``base``; the default
        axis label is made from ``measure``, ``year`` and ``unit`` (columns or ``attrs``).
    ax
        Axes to draw on (default: a new figure).
    scale, scale_word
        Divisor of the values and its word in the axis label.
    xlabel, title
        Override the axis label and the title.
    """
    import matplotlib.pyplot as plt

    need = {"parameter", "value_low", "value_high", "base"}
    if not need <= set(table.columns):
        raise UncertaintyInputError(
            f"plot_tornado: table needs columns {sorted(need)}; it has "
            f"{sorted(map(str, table.columns))} (make it with a tornado or sensitivity function)")
    if len(table) == 0:
        raise UncertaintyInputError("plot_tornado: the table has no rows")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * len(table)))
    t = table.iloc[::-1]
    y = np.arange(len(t))
    base = float(table["base"].iloc[0]) / scale
    low = t["value_low"].to_numpy(dtype=float) / scale
    high = t["value_high"].to_numpy(dtype=float) / scale
    ax.barh(y, low - base, left=base, color="#6baed6", label="parameter at its low input")
    ax.barh(y, high - base, left=base, color="#fd8d3c", label="parameter at its high input")
    ax.axvline(base, color="black", lw=0.8)
    ax.set_yticks(y, [str(p) for p in t["parameter"]])

    def first(name: str) -> str:
        if name in table.columns:
            return str(table[name].iloc[0])
        return str(table.attrs.get(name, ""))

    if xlabel is None:
        what = (first("measure") or "result").replace("_", " ")
        year = first("year")
        unit = " ".join(w for w in (scale_word, first("unit")) if w)
        xlabel = what + (f" in {year}" if year else "") + (f" ({unit})" if unit else "")
    ax.set_xlabel(xlabel)
    ax.set_title(title or "One-at-a-time sensitivity")
    ax.legend(frameon=False)
    return ax
