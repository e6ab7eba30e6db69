"""Matplotlib charts for care-investment results: cost path, jobs by type and sex, net funding,
sector comparison and tornado (one-at-a-time sensitivity; the one
:func:`carecost.uncertainty.plot_tornado`, re-exported here)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from carecost.uncertainty import plot_tornado

from ._validate import InvestmentInputError
from .model import SimulationResult

__all__ = ["plot_comparison", "plot_cost_path", "plot_jobs", "plot_net_funding", "plot_tornado"]


def _ax(ax: Any) -> Any:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 4))
    return ax


def plot_cost_path(
    result: SimulationResult,
    *,
    pct_gdp: bool = True,
    intervals: pd.DataFrame | None = None,
    ax: Any = None,
) -> Any:
    """Stacked current and additional spending by year (% of GDP or currency).

    ``intervals`` may be a :func:`~carecost.investment.monte_carlo` table; its
    ``gross_cost_pct_gdp`` (or ``gross_cost``) interval ``ci_low`` to ``ci_high`` is drawn
    as an error bar on the stacked bar.
    Returns the matplotlib Axes.
    """
    ax = _ax(ax)
    s = result.summary
    if pct_gdp:
        cur = 100 * s["current_spending"] / s["gdp"]
        add = s["gross_cost_pct_gdp"]
        unit, key = "% of GDP", "gross_cost_pct_gdp"
    else:
        cur, add = s["current_spending"], s["gross_cost"]
        unit, key = result.scenario.currency, "gross_cost"
    ax.bar(s["year"], cur, label="current spending", color="#9ecae1")
    ax.bar(s["year"], add, bottom=cur, label="additional cost", color="#3182bd")
    if intervals is not None:
        iv = intervals[intervals["measure"] == key].sort_values("year")
        base = cur.to_numpy()
        ax.errorbar(
            iv["year"],
            base + iv["median"].to_numpy(),  # inside the interval: the error bars are >= 0
            yerr=[iv["median"] - iv["ci_low"], iv["ci_high"] - iv["median"]],
            fmt="none",
            ecolor="k",
            capsize=2,
            label=f"{100 * float(iv['level'].iloc[0]):.0f}% interval",
        )
    ax.set_ylabel(f"Spending ({unit})")
    ax.set_title("Cost path")
    ax.legend(frameon=False)
    return ax


def plot_jobs(result: SimulationResult, *, year: int | None = None, ax: Any = None) -> Any:
    """Jobs by type (direct care, direct other, indirect, induced) and sex in one year."""
    ax = _ax(ax)
    yr = result.scenario.target_year if year is None else int(year)
    j = result.jobs[result.jobs["year"] == yr]
    if j.empty:
        raise InvestmentInputError(f"year = {year!r} not simulated")
    wide = j.pivot_table(index="type", columns="sex", values="jobs", aggfunc="sum")
    order = [t for t in ("direct_care", "direct_other", "indirect", "induced") if t in wide.index]
    wide = wide.loc[order]
    x = np.arange(len(order))
    ax.bar(x, wide["women"], label="women", color="#e6550d")
    ax.bar(x, wide["men"], bottom=wide["women"], label="men", color="#fdae6b")
    ax.set_xticks(x, [o.replace("_", " ") for o in order])
    ax.set_ylabel(f"Jobs ({result.model.employment_unit})")
    ax.set_title(f"Jobs created by type and sex, {yr}")
    ax.legend(frameon=False)
    return ax


def plot_net_funding(result: SimulationResult, *, ax: Any = None) -> Any:
    """Gross cost, fiscal returns and net funding requirement by year (% of GDP)."""
    ax = _ax(ax)
    s = result.summary
    ret = 100 * s["fiscal_returns"] / s["gdp"]
    ax.plot(s["year"], s["gross_cost_pct_gdp"], "-o", label="gross additional cost")
    ax.plot(s["year"], ret, "-s", label="fiscal returns")
    ax.plot(s["year"], s["net_funding_pct_gdp"], "-^", label="net funding requirement")
    ax.set_ylabel("% of GDP")
    ax.set_title("Gross cost, returns and net funding")
    ax.legend(frameon=False)
    return ax


def plot_comparison(comparison: pd.DataFrame, *, ax: Any = None) -> Any:
    """Jobs by sex for the same spending in care and in the comparison sector."""
    ax = _ax(ax)
    x = np.arange(len(comparison))
    women = comparison["jobs_women"].to_numpy(dtype=float)
    men = comparison["jobs_total"].to_numpy(dtype=float) - women
    ax.bar(x, women, label="women", color="#e6550d")
    ax.bar(x, men, bottom=women, label="men", color="#fdae6b")
    ax.set_xticks(x, list(comparison["case"]))
    ax.set_ylabel("Jobs")
    ax.set_title(f"Same spending, different sectors ({comparison.attrs.get('year', '')})")
    ax.legend(frameon=False)
    return ax
