"""The survey estimators on Dask DataFrames: data larger than one machine's memory.

:class:`~carecost.survey.Design` and :class:`~carecost.survey.ReplicateDesign` take a Dask
DataFrame as they take a pandas one and then read it through the Dask backend
(:class:`carecost.survey._backend.DaskBackend`): each partition reduces to sufficient
statistics -- weighted base totals for the full-sample weight and every replicate weight
(``U' [w, W]``), or, for a linearization design, base totals per primary sampling unit (or,
without clusters, per-stratum moments of the influence values) -- the reductions are added,
and the estimate and variance step runs once on the client, with the same code as in memory.
No partition's rows are ever collected.  Results equal the in-memory designs to rounding
(partition sums are added in a different order).

Works with any Dask scheduler: the local threaded scheduler by default, or a
``dask.distributed`` cluster once a :class:`distributed.Client` is connected
(``Client("tcp://scheduler:8786")``); nothing in carecost changes.

Quantiles are exact too: one pass collects the weight of each distinct (domain, value)
pair (the weighted distribution function), the next the means of the indicators for the
Woodruff intervals.  What the Dask backend cannot do is one
:class:`~carecost.survey.DesignError` naming it: multistage designs and
``lonely_psu="average"`` (they need the rows), row-level access (``weights``,
``in_subset``, ``replicate_weights``, ``to_replicates``), and quantiles of a variable with
more than ``QUANTILE_DISTINCT_LIMIT`` distinct (domain, value) pairs.

:func:`DaskDesign` and :func:`DaskReplicateDesign` are kept as the names of earlier
releases; they return the one front end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._backend import MaskFn, is_dask_frame
from ._base import DesignError, WeightsUnit
from .design import Design, LonelyPSU
from .replicate import ReplicateDesign, ReplicateMethod

__all__ = ["DaskDesign", "DaskReplicateDesign", "MaskFn"]


def _require_frame(data: Any, what: str) -> None:
    if not is_dask_frame(data):
        raise DesignError(f"{what} takes a Dask DataFrame (dask.dataframe); got "
                          f"{type(data).__name__}; for a pandas DataFrame use "
                          f"carecost.survey.{what.removeprefix('Dask')}")


def DaskReplicateDesign(
    data: Any, weights: str, replicates: str | Sequence[str], method: ReplicateMethod = "sdr",
    rho: float | None = None, scale: float | None = None,
    rscales: Sequence[float] | None = None, mse: bool = True, df: float | None = None,
    *, combined_weights: bool = True, weights_unit: WeightsUnit | None = None,
) -> ReplicateDesign:
    """:class:`~carecost.survey.ReplicateDesign` on a Dask DataFrame (same parameters).

    Examples
    --------
    >>> import dask.dataframe as dd  # doctest: +SKIP
    >>> ddf = dd.read_parquet("persons/")  # doctest: +SKIP
    >>> d = DaskReplicateDesign(ddf, "TUFNWGTP", r"TUFNWGTP\\d{3}", method="sdr")  # doctest: +SKIP
    >>> d.mean("care_minutes", by=["sex", "year"])  # doctest: +SKIP
    """
    _require_frame(data, "DaskReplicateDesign")
    return ReplicateDesign(data, weights, replicates, method=method, rho=rho, scale=scale,
                           rscales=rscales, mse=mse, combined_weights=combined_weights, df=df,
                           weights_unit=weights_unit)


def DaskDesign(
    data: Any, weights: str, strata: str | None = None, psu: str | None = None,
    fpc: str | None = None, nest: bool = False, lonely_psu: LonelyPSU = "fail",
    *, weights_unit: WeightsUnit | None = None,
) -> Design:
    """A one-stage :class:`~carecost.survey.Design` on a Dask DataFrame (same parameters).

    With clusters, each partition returns its PSU totals of the base variables (a sparse
    PSUs x base-variables matrix; PSUs may be split across partitions, their totals add
    up); without clusters, a second pass returns per-stratum moments of the influence values,
    pooled across partitions (Chan, Golub and LeVeque 1979) so large means do not cancel.
    The PSU list (not the rows) is collected once.
    """
    _require_frame(data, "DaskDesign")
    return Design(data, weights=weights, strata=strata, psu=psu, fpc=fpc, nest=nest,
                  lonely_psu=lonely_psu, weights_unit=weights_unit)
