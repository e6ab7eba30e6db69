"""Totals benchmarked to a stated population: the weighted mean per person x days x population.

A survey's weights may not sum to the population a statistical office publishes (a sample of
one region, weights scaled to the sample size, a population estimate revised after the
survey).  Satellite accounts then benchmark: the annual total is the survey-weighted mean per
person, annualised, times the stated population, which is taken as known (UNECE 2017;
Eurostat 2003).  Its standard error is the mean's times the same constant, and the covariance
of the group totals is the means' covariance times its square.

References
----------
UNECE (2017). *Guide on Valuing Unpaid Household Service Work*. ECE/CES/STAT/2017/3.
Eurostat (2003). *Household Production and Consumption*. KS-CC-03-003-EN.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ._common import ValuationError
from .core import Valuation

__all__ = ["benchmark_factor", "benchmark_total"]


def benchmark_factor(valuation: Valuation, population: float,
                     where: str = "benchmark_total") -> float:
    """The constant :math:`D \\cdot P` that turns a mean per person per day into an annual
    total for ``population`` persons (``D`` = ``valuation.days``).

    Raises
    ------
    ValuationError
        If ``population`` is not a positive finite number of persons.
    """
    if isinstance(population, bool) or not isinstance(population, int | float | np.number) \
            or not np.isfinite(float(population)) or float(population) <= 0:
        raise ValuationError(f"{where}: population = {population!r}; allowed a positive "
                             "number of persons (the population the totals stand for)")
    return float(valuation.days * population)


def benchmark_total(
    valuation: Valuation, population: float, *, of: Literal["value", "hours"] = "value",
    by: str | Sequence[str] | None = None, groups: bool = True, level: float = 0.95,
) -> pd.DataFrame:
    """Annual value (or hours) of unpaid work for a stated population.

    :math:`\\hat V_g = \\bar v_g \\cdot D \\cdot P`, where :math:`\\bar v_g` is the
    survey-weighted mean of the daily value (or hours) of group :math:`g` per person,
    :math:`D` the days of the year and :math:`P` the stated population (known, without
    error), so :math:`\\operatorname{SE}(\\hat V_g) = \\operatorname{SE}(\\bar v_g) D P` and
    the covariance of the groups is the means' times :math:`(DP)^2`.  It equals
    :meth:`Valuation.total` when the weights sum to :math:`P` (person weights) and does not
    change when all weights are multiplied by a constant.

    Parameters
    ----------
    valuation
        From :func:`carecost.valuation.value_unpaid_work`.
    population
        Persons the totals stand for (e.g. the national population aged 15 and over in the
        survey year, from the statistical office).
    of
        ``"value"`` (currency per year) or ``"hours"`` (hours per year).
    by, groups, level
        As :meth:`Valuation.total`.

    Returns
    -------
    pandas.DataFrame
        The columns of :meth:`Valuation.total` (``group``, ``estimate``, ``se``, ``ci_low``,
        ``ci_high``, ``cv``, ``df``, ``n``, ``unit``, ``method``, ``wage_basis``): a
        :class:`~carecost.survey.Estimate` whose ``.vcov`` is the covariance of the totals.

    References
    ----------
    UNECE (2017); Eurostat (2003) (see the module documentation).
    """
    if of not in ("value", "hours"):
        raise ValuationError(f"benchmark_total: of = {of!r}; allowed 'value' or 'hours'")
    f = benchmark_factor(valuation, population)
    cols, labels = valuation._cols(of, groups)
    res = valuation.design.mean(cols, by=by, level=level)
    unit = f"{valuation.currency} per year" if of == "value" else "hours per year"
    return valuation._finish(res, labels, cols, unit, f)


def group_values(valuation: Valuation, population: float | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Annual value of each activity group and their covariance (for the Monte Carlo).

    Survey-weighted totals (:meth:`Valuation.total`) when ``population`` is None, else the
    totals benchmarked to it (:func:`benchmark_total`).

    Returns
    -------
    tuple of ndarray
        Values (length G, currency per year) and their design covariance (G x G).
    """
    cols = list(valuation.value_columns[:-1])
    if population is None:
        res = valuation.design.total(cols, vcov=True)
        f = valuation._total_factor()
    else:
        f = benchmark_factor(valuation, population, "monte_carlo")
        res = valuation.design.mean(cols, vcov=True)
    vcov = res.vcov
    if vcov is None:
        raise ValuationError(
            f"the design gave no covariance of the {len(cols)} group values (see "
            "carecost.survey: vcov=)")
    point = res["estimate"].to_numpy(dtype=float) * f
    return point, np.asarray(vcov, dtype=float) * f * f
