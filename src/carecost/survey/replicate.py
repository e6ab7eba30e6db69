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
from ._engine import FloatArray, _pool, evaluate, replicate_variance, usable_threads

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
        repw, bound_sq = replicate_matrix(data, cols, None if combined_weights else w)
        backend = MemoryBackend(data, np.ascontiguousarray(w, dtype=float),
                                np.ones(len(data), dtype=bool), repw, bound_sq)
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

    def __repr__(self) -> str:
        n = f"n={len(self)}" if self.backend == "memory" else "Dask"
        return (
            f"ReplicateDesign({n}, method={self._method!r}, replicates="
            f"{len(self._rep_cols)}, scale={self._scale:.6g}, mse={self._mse})"
        )

    def degf(self) -> float:
        """Rank of the replicate weights (rows in the subset) minus one, as R ``degf``.

        R (``survey:::degf.svyrep.design``) computes ``qr(weights(design, "analysis"),
        tol=1e-5)$rank - 1`` once, when the design is built.  Here the rank is counted
        from the singular values of the weight matrix scaled to unit column norm, relative
        tolerance 1e-5, on the first call (cached per subset).  In memory the Gram matrix of
        the first rows usually proves full rank at once
        (:func:`~carecost.survey._backend.replicate_rank`); the Gram matrix of all the rows
        (summed over partitions on the Dask backend) is formed only when it does not.
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
            self._df_cache[key] = float(b.replicate_rank() - 1)
        return self._df_cache[key]

    def _group_degf(self, codes: NDArray[np.intp], n_groups: int) -> FloatArray:
        """Rank of each domain's replicate weights minus one (R ``degf`` of the subset)."""
        if self._df_user is not None:
            return np.full(n_groups, float(self._df_user))
        b = self._memory("degrees of freedom by domain")
        out = np.empty(n_groups)
        for g in range(n_groups):  # usually the Gram matrix of a domain's first 2R rows
            out[g] = b.replicate_rank(codes == g) - 1.0
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


def _column_block(data: pd.DataFrame, cols: list[str]) -> tuple[FloatArray, bool]:
    """The replicate columns as one ``n x R`` float64 array, and whether it is a view.

    float64 columns held in one pandas block come out as a read-only view (no copy); other
    columns are converted one by one (an error names a non-numeric column).
    """
    n, r = len(data), len(cols)
    dtypes = data.dtypes
    if all(isinstance(dt, np.dtype) and dt == np.float64 for dt in dtypes[cols]):
        block = data[cols].to_numpy(dtype=np.float64, copy=False)
        if block.shape == (n, r):
            return block, bool(np.shares_memory(block, data[cols[0]].to_numpy(copy=False)))
    out = np.empty((n, r), order="F")
    for j, c in enumerate(cols):
        out[:, j] = numeric_column(data, c)
    return out, False


def _column_ranges(src: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Minimum and maximum of each column (NaN where a column has a missing value)."""
    r = src.shape[1]
    if not src.flags.f_contiguous or src.shape[0] * r < 4_000_000:
        return np.asarray(src.min(axis=0)), np.asarray(src.max(axis=0))
    mn, mx = np.empty(r), np.empty(r)

    def cols(lo: int, hi: int) -> None:  # contiguous columns: two reductions, one from cache
        for j in range(lo, hi):
            mn[j] = src[:, j].min()
            mx[j] = src[:, j].max()

    threads = min(2, usable_threads())
    cuts = np.linspace(0, r, threads + 1).astype(np.int64)
    list(_pool(threads).map(lambda i: cols(int(cuts[i]), int(cuts[i + 1])), range(threads)))
    return mn, mx


def _row_major_copy(src: FloatArray, w: FloatArray | None) -> FloatArray:
    """A row-major copy of ``src`` (times ``w`` row by row), the two halves on two threads."""
    n, r = src.shape
    dst = np.empty((n, r))

    def rows(lo: int, hi: int) -> None:
        np.copyto(dst[lo:hi], src[lo:hi])
        if w is not None:
            dst[lo:hi] *= w[lo:hi, None]

    threads = min(2, usable_threads()) if n * r >= 4_000_000 else 1
    cuts = np.linspace(0, n, threads + 1).astype(np.int64)
    list(_pool(threads).map(lambda i: rows(int(cuts[i]), int(cuts[i + 1])), range(threads)))
    return dst


def replicate_matrix(data: pd.DataFrame, cols: list[str], w: FloatArray | None
                     ) -> tuple[FloatArray, FloatArray]:
    """Replicate weights as one row-major ``n x R`` float64 block, checked.

    The columns are read in place when pandas holds them as one float64 block (otherwise
    converted once), checked column by column (minimum and maximum), and copied once into
    a row-major array, the layout of the streaming replicate product
    (:func:`~carecost.survey._engine.replicate_products`), times the sampling weight ``w``
    when the replicate columns are not combined weights.  Row-major pandas data that needs
    no change (``w`` is None, copy-on-write pandas) is used as it is.

    Returns
    -------
    repw
        ``n x R`` replicate weights (row-major; in the units of the weights).
    bound_sq
        An upper bound of each column's sum of squares (``n`` times its largest square),
        for :func:`~carecost.survey._backend.replicate_rank`.

    Raises
    ------
    DesignError
        Missing or negative replicate weights, or a constant replicate column.
    """
    src, is_view = _column_block(data, cols)
    n, r = src.shape
    if n:
        mn, mx = _column_ranges(src)
        bad = np.isnan(mn)
        if bad.any():
            j = int(np.argmax(bad))
            raise DesignError(f"replicate weight column {cols[j]!r} has "
                              f"{int(np.isnan(src[:, j]).sum())} missing value(s)")
        if (mn < 0).any():
            j = int(np.argmax(mn < 0))
            raise DesignError(f"replicate weight column {cols[j]!r} has negative values")
        if n > 1 and (mn == mx).any():
            bad_cols = [cols[j] for j in np.flatnonzero(mn == mx)][:5]
            raise DesignError(
                f"replicate weight column(s) {bad_cols} are constant; check the column "
                f"selection (pattern or list) — replicate weights vary across units"
            )
        big = mx if w is None else mx * float(w.max())
    else:
        big = np.zeros(r)
    in_place = (w is None and src.flags.c_contiguous
                and (not is_view or int(pd.__version__.split(".")[0]) >= 3))
    repw = src if in_place else _row_major_copy(src, w)
    return repw, n * big * big


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
