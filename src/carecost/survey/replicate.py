"""Replicate-weight designs (SDR, Fay, BRR, jackknife, bootstrap)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ._backend import (
    DaskBackend,
    MemoryBackend,
    Prepared,
    is_dask_frame,
    rank_from_gram,
    require_dask,
)
from ._base import (
    DesignError,
    SurveyDesign,
    WeightsUnit,
    check_columns,
    check_weights,
    check_weights_unit,
    numeric_column,
    replicate_columns,
)
from ._engine import FloatArray, evaluate, replicate_variance

ReplicateMethod = Literal["sdr", "fay", "brr", "jk1", "jkn", "bootstrap", "other"]
_METHODS = ("sdr", "fay", "brr", "jk1", "jkn", "bootstrap", "other")


class ReplicateDesign(SurveyDesign):
    """A design whose variances come from replicate weights.

    Each estimate is recomputed with every replicate weight column, all at
    once as one sparse–dense matrix product, and the variance is

    .. math:: \\hat V = c \\sum_r c_r (\\hat\\theta_r - \\tilde\\theta)^2

    with :math:`\\tilde\\theta` the full-sample estimate (``mse=True``) or the
    mean of the replicates, as R ``survey::svrepdesign`` (``svrVar``).

    ============== ====================================== ==================
    ``method``     scale :math:`c`                         ``rscales`` c_r
    ============== ====================================== ==================
    ``"sdr"``      :math:`4/R` (Fay and Train 1995)        1
    ``"fay"``      :math:`1/(R(1-\\rho)^2)`                 1
    ``"brr"``      :math:`1/R`                             1
    ``"jk1"``      :math:`(R-1)/R` unless given            1
    ``"jkn"``      1 unless given                          required
    ``"bootstrap"`` :math:`1/(R-1)` unless given           1
    ``"other"``    required                                1 unless given
    ============== ====================================== ==================

    Parameters
    ----------
    data
        One row per unit: a pandas DataFrame, or a Dask DataFrame (the Dask backend: every
        estimate is a reduction over partitions; replicate columns are read, not stored).
    weights
        Full-sample weight column.
    replicates
        Replicate weight columns: a list of names or a regular expression
        (e.g. ``"TUFNWGTP[0-9]{3}"`` for ATUS).
    method
        One of the methods above.  ATUS and the ACS use ``"sdr"``.
    rho
        Fay coefficient (``method="fay"``).
    scale, rscales
        Override the constants of the table.
    mse
        Centre on the full-sample estimate (default, as BLS and Census do)
        or on the replicate mean (R's default).
    combined_weights
        Replicate columns already include the sampling weight (default);
        if False they are multiplied by it.
    df
        Design degrees of freedom; default: rank of the replicate weight
        matrix minus one, as R ``degf``.
    weights_unit
        What the weights count, ``"persons"`` or ``"person_days"`` (ATUS), or ``None``
        (not stated); kept by :meth:`subset` and reported in every result.

    References
    ----------
    Fay, R. E. and Train, G. F. (1995). Aspects of survey and model-based
    postcensal estimation of income and poverty characteristics for states
    and counties. *Proceedings of the Section on Government Statistics*, ASA.
    Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed. Springer.
    U.S. Bureau of Labor Statistics (2023). *American Time Use Survey User's
    Guide*, chapter 7 (variance estimation with 160 replicate weights).
    """

    def __init__(
        self,
        data: Any,
        weights: str,
        replicates: str | Sequence[str],
        method: ReplicateMethod = "sdr",
        rho: float | None = None,
        scale: float | None = None,
        rscales: Sequence[float] | NDArray[np.float64] | None = None,
        mse: bool = True,
        combined_weights: bool = True,
        df: float | None = None,
        *,
        weights_unit: WeightsUnit | None = None,
    ) -> None:
        self._weights_unit = check_weights_unit(weights_unit)
        if is_dask_frame(data):
            require_dask()
            check_columns(data, [weights], "weights")
            cols = replicate_columns(data, replicates)
            self._init(DaskBackend(data, weights, cols, combined_weights), len(cols), method,
                       rho, scale, rscales, mse, df)
            self._weights_col: str | None = weights
            self._rep_cols = cols
            return
        if not isinstance(data, pd.DataFrame):
            raise DesignError(f"data must be a pandas DataFrame or a Dask DataFrame, got "
                              f"{type(data).__name__}")
        data = data.reset_index(drop=True)
        check_columns(data, [weights], "weights")
        cols = replicate_columns(data, replicates)
        w = numeric_column(data, weights)
        check_weights(w, weights)
        repw = np.empty((len(data), len(cols)), dtype=float, order="F")
        for j, c in enumerate(cols):
            repw[:, j] = numeric_column(data, c)
        nmiss = np.isnan(repw).sum(axis=0)
        if nmiss.any():
            j = int(np.argmax(nmiss > 0))
            raise DesignError(
                f"replicate weight column {cols[j]!r} has {int(nmiss[j])} missing value(s)"
            )
        if (repw < 0).any():
            j = int(np.argmax((repw < 0).any(axis=0)))
            raise DesignError(f"replicate weight column {cols[j]!r} has negative values")
        if len(data) > 1:
            const = np.all(repw == repw[0:1, :], axis=0)
            if const.any():
                bad = [cols[j] for j in np.flatnonzero(const)][:5]
                raise DesignError(
                    f"replicate weight column(s) {bad} are constant; check the column selection "
                    f"(pattern or list) — replicate weights vary across units"
                )
        if not combined_weights:
            repw = repw * w[:, None]
        backend = MemoryBackend(data, np.ascontiguousarray(w, dtype=float),
                                np.ones(len(data), dtype=bool), np.ascontiguousarray(repw))
        self._init(backend, len(cols), method, rho, scale, rscales, mse, df)
        self._weights_col = weights
        self._rep_cols = cols

    @classmethod
    def _from_arrays(
        cls, data: pd.DataFrame, w: FloatArray, repw: FloatArray, *, method: str,
        scale: float, rscales: FloatArray, mse: bool, mask: NDArray[np.bool_],
        weights_unit: WeightsUnit | None = None,
    ) -> ReplicateDesign:
        obj = cls.__new__(cls)
        obj._weights_unit = weights_unit
        backend = MemoryBackend(data, np.ascontiguousarray(w, dtype=float), mask.copy(),
                                np.ascontiguousarray(repw))
        obj._init(backend, repw.shape[1], method, None, scale, rscales, mse, None)
        obj._weights_col = None
        obj._rep_cols = [f"rep{j + 1}" for j in range(repw.shape[1])]
        return obj

    def _init(
        self, backend: MemoryBackend | DaskBackend, n_rep: int, method: str,
        rho: float | None, scale: float | None,
        rscales: Sequence[float] | NDArray[np.float64] | None, mse: bool, df: float | None,
    ) -> None:
        c, rs = replicate_constants(method, n_rep, rho, scale, rscales)
        self._backend = backend
        self._method = method
        self._rho = rho
        self._scale = float(c)
        self._rscales = rs
        self._mse = bool(mse)
        self._df_user = df
        self._df_cache: dict[bytes, float] = {}

    @property
    def replicate_weights(self) -> FloatArray:
        """The ``n x R`` matrix of (combined) replicate weights (in-memory designs)."""
        repw = self._memory("replicate_weights (an n x R matrix)").repw
        assert repw is not None
        return repw

    @property
    def scale(self) -> float:
        return self._scale

    @property
    def rscales(self) -> FloatArray:
        return self._rscales.copy()

    @property
    def method(self) -> str:
        return self._method

    @property
    def mse(self) -> bool:
        return self._mse

    @property
    def _sort_key(self) -> bytes | None:
        """Key of the domains whose sorted replicate weights are cached (in memory)."""
        b = self._backend
        return b._sort_key if isinstance(b, MemoryBackend) else None

    def __repr__(self) -> str:
        n = f"n={len(self)}" if self.backend == "memory" else "Dask"
        return (
            f"ReplicateDesign({n}, method={self._method!r}, replicates="
            f"{len(self._rep_cols)}, scale={self._scale:.6g}, mse={self._mse})"
        )

    def degf(self) -> float:
        """Rank of the replicate weights (rows in the subset) minus one, as R ``degf``.

        R computes the rank with a pivoted QR at tolerance 1e-5; here the
        rank is counted from the singular values of the weight matrix scaled
        to unit column norm (from the Gram matrix :math:`W^\\top W`, which the Dask
        backend sums over partitions), relative tolerance 1e-5.
        """
        if self._df_user is not None:
            return float(self._df_user)
        b = self._backend
        if isinstance(b, DaskBackend):
            if "rank" not in b.memo:
                b.memo["rank"] = rank_from_gram(b.gram())
            return float(b.memo["rank"] - 1)
        assert isinstance(b, MemoryBackend)
        key = np.packbits(b.mask).tobytes()
        if key not in self._df_cache:
            self._df_cache[key] = float(rank_from_gram(b.gram()) - 1)
        return self._df_cache[key]

    def _group_degf(self, codes: NDArray[np.intp], n_groups: int) -> FloatArray:
        """Rank of each domain's replicate weights minus one (R ``degf`` of the subset)."""
        if self._df_user is not None:
            return np.full(n_groups, float(self._df_user))
        b = self._memory("degrees of freedom by domain")
        out = np.empty(n_groups)
        for g in range(n_groups):  # one Gram matrix per domain (n_g x R^2 work in all)
            out[g] = rank_from_gram(b.group_gram(codes, g)) - 1.0
        return out

    def _domain_degf(self, prep: Prepared) -> FloatArray:
        if self._df_user is not None:
            return np.full(len(prep.table), float(self._df_user))
        assert isinstance(self._backend, DaskBackend)
        return self._backend.domain_ranks(prep) - 1.0

    def _variance_note(self) -> str:
        centre = "full-sample estimate" if self._mse else "replicate mean"
        where = "; Dask backend" if self.backend == "dask" else ""
        return (
            f"replicate weights ({self._method}, {len(self._rep_cols)} replicates, "
            f"scale {self._scale:.6g}, centred on the {centre}){where}"
        )

    _SRS_NONZERO_ONLY = False

    @property
    def _METHOD(self) -> str:  # type: ignore[override]
        return f"replicate ({self._method})"

    def _variance(
        self, prep: Prepared, full: bool
    ) -> tuple[FloatArray, FloatArray, FloatArray | None]:
        t0, trep = self._backend.replicate_totals(prep)
        theta = evaluate(prep.plan, t0)[:, 0]
        theta_rep = evaluate(prep.plan, trep)
        if full:
            v = replicate_variance(theta_rep, theta, self._scale, self._rscales, self._mse, True)
            return theta, np.diag(v).copy(), v
        var = replicate_variance(theta_rep, theta, self._scale, self._rscales, self._mse, False)
        return theta, var, None


def replicate_constants(
    method: str, r: int, rho: float | None, scale: float | None,
    rscales: Sequence[float] | NDArray[np.float64] | None,
) -> tuple[float, FloatArray]:
    """Variance constants ``(scale, rscales)`` of a replicate method (see ReplicateDesign)."""
    if method not in _METHODS:
        raise DesignError(f"method must be one of {_METHODS}; got {method!r}")
    if r < 2:
        raise DesignError(f"need at least 2 replicate weight columns; got {r}")
    if scale is not None and method in ("sdr", "fay", "brr"):
        raise DesignError(f"method={method!r} fixes the scale; do not pass scale")
    if method == "fay":
        if rho is None or not 0 <= rho < 1:
            raise DesignError(f"method='fay' needs rho in [0, 1); got {rho!r}")
        c = 1.0 / (r * (1 - rho) ** 2)
    elif method == "sdr":
        c = 4.0 / r
    elif method == "brr":
        c = 1.0 / r
    elif method == "jk1":
        c = (r - 1) / r if scale is None else scale
    elif method == "jkn":
        if rscales is None:
            raise DesignError("method='jkn' needs rscales ((n_h - 1)/n_h for each replicate)")
        c = 1.0 if scale is None else scale
    elif method == "bootstrap":
        c = 1.0 / (r - 1) if scale is None else scale
    else:
        if scale is None:
            raise DesignError("method='other' needs scale (and rscales if not all 1)")
        c = scale
    rs = np.ones(r) if rscales is None else np.asarray(rscales, dtype=float)
    if rs.shape != (r,):
        raise DesignError(f"rscales has {rs.size} values for {r} replicate columns")
    return float(c), rs
