"""Replicate-weight designs (SDR, Fay, BRR, jackknife, bootstrap)."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Sequence
from typing import Literal, Self

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

from ._base import DesignError, SurveyDesign, check_columns, numeric_column, replicate_columns
from ._engine import FloatArray, Plan, evaluate, replicate_variance, sparse_dense_product

SORT_CACHE_BYTES = 512 * 2**20
"""Largest replicate-weight matrix for which a domain-sorted copy is cached (bytes)."""
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
        One row per unit.
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
        data: pd.DataFrame,
        weights: str,
        replicates: str | Sequence[str],
        method: ReplicateMethod = "sdr",
        rho: float | None = None,
        scale: float | None = None,
        rscales: Sequence[float] | NDArray[np.float64] | None = None,
        mse: bool = True,
        combined_weights: bool = True,
        df: float | None = None,
    ) -> None:
        if not isinstance(data, pd.DataFrame):
            raise DesignError(f"data must be a pandas DataFrame, got {type(data).__name__}")
        data = data.reset_index(drop=True)
        check_columns(data, [weights], "weights")
        cols = replicate_columns(data, replicates)
        w = numeric_column(data, weights)
        _check_weights(w, weights)
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
        self._init(data, w, np.ascontiguousarray(repw), method, rho, scale, rscales, mse,
                   np.ones(len(data), dtype=bool), df)
        self._weights_col: str | None = weights
        self._rep_cols = cols

    @classmethod
    def _from_arrays(
        cls, data: pd.DataFrame, w: FloatArray, repw: FloatArray, *, method: str,
        scale: float, rscales: FloatArray, mse: bool, mask: NDArray[np.bool_],
    ) -> ReplicateDesign:
        obj = cls.__new__(cls)
        obj._init(data, w, np.ascontiguousarray(repw), method, None, scale, rscales, mse,
                  mask.copy(), None)
        obj._weights_col = None
        obj._rep_cols = [f"rep{j + 1}" for j in range(repw.shape[1])]
        return obj

    def _init(
        self, data: pd.DataFrame, w: FloatArray, repw: FloatArray, method: str,
        rho: float | None, scale: float | None,
        rscales: Sequence[float] | NDArray[np.float64] | None, mse: bool,
        mask: NDArray[np.bool_], df: float | None,
    ) -> None:
        c, rs = replicate_constants(method, repw.shape[1], rho, scale, rscales)
        self._data = data
        self._w = np.ascontiguousarray(w, dtype=float)
        self._repw = repw
        self._method = method
        self._rho = rho
        self._scale = float(c)
        self._rscales = rs
        self._mse = bool(mse)
        self._mask = mask
        self._df_user = df
        self._df_cache: dict[bytes, float] = {}
        self._sort_key: bytes | None = None
        self._sort_pending: bytes | None = None
        self._sort_cache: tuple[NDArray[np.intp], NDArray[np.intp], FloatArray] | None = None

    @property
    def replicate_weights(self) -> FloatArray:
        """The ``n x R`` matrix of (combined) replicate weights."""
        return self._repw

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
        return (
            f"ReplicateDesign(n={len(self)}, method={self._method!r}, replicates="
            f"{self._repw.shape[1]}, scale={self._scale:.6g}, mse={self._mse})"
        )

    def _with_mask(self, mask: NDArray[np.bool_]) -> Self:
        new = copy.copy(self)
        new._mask = mask
        return new

    def degf(self) -> float:
        """Rank of the replicate weights (rows in the subset) minus one, as R ``degf``.

        R computes the rank with a pivoted QR at tolerance 1e-5; here the
        rank is counted from the singular values of the weight matrix scaled
        to unit column norm, relative tolerance 1e-5.
        """
        if self._df_user is not None:
            return float(self._df_user)
        key = np.packbits(self._mask).tobytes()
        if key not in self._df_cache:
            self._df_cache[key] = float(_rank(self._repw[self._mask]) - 1)
        return self._df_cache[key]

    def _group_degf(self, codes: NDArray[np.intp], n_groups: int) -> FloatArray:
        """Rank of each domain's replicate weights minus one (R ``degf`` of the subset)."""
        if self._df_user is not None:
            return np.full(n_groups, float(self._df_user))
        out = np.empty(n_groups)
        for g in range(n_groups):  # one Gram matrix per domain (n_g x R^2 work in all)
            out[g] = _rank(self._repw[(codes == g) & self._mask]) - 1.0
        return out

    def _variance_note(self) -> str:
        centre = "full-sample estimate" if self._mse else "replicate mean"
        return (
            f"replicate weights ({self._method}, {self._repw.shape[1]} replicates, "
            f"scale {self._scale:.6g}, centred on the {centre})"
        )

    def _srs_rows(self, codes: NDArray[np.intp]) -> NDArray[np.float64]:
        keep = codes >= 0
        g = int(codes.max()) + 1 if codes.size and codes.max() >= 0 else 0
        return np.bincount(codes[keep], minlength=g).astype(float)

    def _deff_fpc(self) -> bool:
        return True

    def _replicate_totals(self, plan: Plan, ut: sp.csr_matrix) -> FloatArray:
        """Base totals for every replicate, ``A x R``.

        Two routes give the same sums (to rounding): a threaded sparse product
        over the original rows, or, when the same domains are estimated again
        and the weights fit in ``SORT_CACHE_BYTES``, dense BLAS products on a
        cached copy of the replicate weights sorted by domain (one pass over
        the weights per call instead of one per base variable).
        """
        codes = plan.codes
        g = int(plan.est_group.max()) + 1 if plan.est_group.size else 0
        n_base = plan.base.shape[1]
        if g == 0 or n_base % g or self._repw.nbytes > SORT_CACHE_BYTES:
            return sparse_dense_product(ut, self._repw)
        key = hashlib.blake2b(np.ascontiguousarray(codes).tobytes(), digest_size=16).digest()
        if self._sort_key != key:
            if self._sort_pending != key:  # first sight of these domains: remember, don't copy
                self._sort_pending = key
                return sparse_dense_product(ut, self._repw)
            kept = np.flatnonzero(codes >= 0)
            order = kept[np.argsort(codes[kept], kind="stable")]
            self._sort_cache = (order, np.searchsorted(codes[order], np.arange(g + 1)),
                                np.ascontiguousarray(self._repw[order]))
            self._sort_key = key
        assert self._sort_cache is not None
        order, bounds, ws = self._sort_cache
        k = n_base // g
        values = np.zeros((len(codes), k))
        kept_rows = np.flatnonzero(codes >= 0)
        values[kept_rows] = plan.base.data.reshape(-1, k) if plan.base.nnz == len(kept_rows) * k \
            else plan.base[kept_rows].toarray().reshape(-1, k)
        vs = values[order]
        out = np.empty((n_base, self._repw.shape[1]))
        for j in range(g):  # one BLAS product per domain (tens to hundreds), not per row
            lo, hi = bounds[j], bounds[j + 1]
            out[j * k:(j + 1) * k] = vs[lo:hi].T @ ws[lo:hi]
        return out

    def _variance(
        self, plan: Plan, full: bool
    ) -> tuple[FloatArray, FloatArray, FloatArray | None]:
        ut = plan.base.T.tocsr()
        t0 = np.asarray(ut @ np.where(self._mask, self._w, 0.0)).reshape(-1, 1)
        theta = evaluate(plan, t0)[:, 0]
        trep = self._replicate_totals(plan, ut)
        theta_rep = evaluate(plan, trep)
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

def _rank(sub: FloatArray) -> int:
    """Numerical rank of a replicate-weight matrix (relative tolerance 1e-5, as R's ``qr``)."""
    if sub.shape[0] == 0:
        return 0
    norms = np.linalg.norm(sub, axis=0)
    norms[norms == 0] = 1.0
    scaled = sub / norms
    ev = np.linalg.eigvalsh(scaled.T @ scaled)
    sv = np.sqrt(np.clip(ev, 0, None))
    return int((sv > 1e-5 * sv.max()).sum()) if sv.max() > 0 else 0


def _check_weights(w: FloatArray, name: str) -> None:
    nmiss = int(np.isnan(w).sum())
    if nmiss:
        raise DesignError(f"weights column {name!r} has {nmiss} missing value(s)")
    nneg = int((w < 0).sum())
    if nneg:
        raise DesignError(f"weights column {name!r} has {nneg} negative value(s)")
    if not np.all(np.isfinite(w)):
        raise DesignError(f"weights column {name!r} has infinite values")
