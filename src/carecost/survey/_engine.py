"""Vectorised building blocks shared by every design.

Every estimator in :mod:`carecost.survey` is a ratio (or a total) of weighted
domain totals,

.. math:: \\hat\\theta_p = \\hat T_{a(p)} / \\hat T_{b(p)},\\qquad
          \\hat T_a = \\sum_i w_i u_{ia},

where the *base variables* :math:`u_{ia}` are the analysis variables times
domain indicators.  A linearization design needs, per sampling unit, totals
of the influence values :math:`z_{ip} = w_i\\sum_a u_{ia}\\,\\partial\\theta_p/
\\partial T_a`; a replicate design needs the totals for every replicate
weight, :math:`U^\\top W`.  Both are sparse–dense matrix products, so no
Python loop runs over rows, groups or replicates, and both reduce to sums
that can be accumulated partition by partition.
"""

from __future__ import annotations

import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


@dataclass(frozen=True)
class Groups:
    """Domain membership of each row.

    Attributes
    ----------
    codes
        Group number of each row, ``-1`` for rows outside every domain.
    table
        One row per group with the ``by`` columns (no columns without ``by``).
    """

    codes: IntArray
    table: pd.DataFrame

    @property
    def n_groups(self) -> int:
        return len(self.table)


def make_groups(data: pd.DataFrame, by: list[str], active: NDArray[np.bool_]) -> Groups:
    """Number the domains defined by ``by`` among the ``active`` rows.

    Groups are ordered as ``pandas.DataFrame.groupby(sort=True)`` orders them
    (category order for categoricals, sorted values otherwise), which is also
    the order R's ``svyby`` uses for factors.
    """
    n = len(data)
    codes = np.full(n, -1, dtype=np.intp)
    if not by:
        codes[active] = 0
        return Groups(codes, pd.DataFrame(index=pd.RangeIndex(1)))
    sub = data.loc[active, by]
    grouped = sub.groupby(by, sort=True, observed=True, dropna=True)
    ngroup = grouped.ngroup().to_numpy()
    codes[np.flatnonzero(active)] = ngroup
    keys = grouped.size().index
    if isinstance(keys, pd.MultiIndex):
        table = keys.to_frame(index=False)
    else:
        table = pd.DataFrame({by[0]: keys})
    table.columns = list(by)
    return Groups(codes.astype(np.intp), table.reset_index(drop=True))


def base_matrix(values: FloatArray, codes: IntArray, n_groups: int) -> sp.csr_matrix:
    """Sparse ``n x (G*K)`` matrix of base variables.

    Row ``i`` holds ``values[i, k]`` in column ``codes[i]*K + k``; rows with a
    negative code are empty.
    """
    n, k = values.shape
    keep = codes >= 0
    counts = np.where(keep, k, 0)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    indices = (codes[keep][:, None] * k + np.arange(k)[None, :]).ravel()
    data = values[keep].ravel()
    return sp.csr_matrix((data, indices, indptr), shape=(n, n_groups * k))


@dataclass(frozen=True)
class Plan:
    """What to estimate: ``theta_p = T[num[p]] / T[den[p]]`` (``den < 0``: total)."""

    base: sp.csr_matrix
    num: IntArray
    den: IntArray
    rows: pd.DataFrame
    n: IntArray
    codes: IntArray
    est_group: IntArray

    @property
    def n_estimates(self) -> int:
        return len(self.num)


def evaluate(plan: Plan, totals: FloatArray) -> FloatArray:
    """Estimates from base totals; ``totals`` is ``A x m`` (m weight columns)."""
    numer = totals[plan.num]
    has_den = plan.den >= 0
    out = numer.copy()
    if np.any(has_den):
        denom = totals[plan.den[has_den]]
        with np.errstate(divide="ignore", invalid="ignore"):
            out[has_den] = numer[has_den] / denom
    return out


def jacobian(plan: Plan, totals: FloatArray, theta: FloatArray) -> sp.csc_matrix:
    """Sparse ``A x P`` derivative of the estimates with respect to base totals."""
    n_base = plan.base.shape[1]
    p = plan.n_estimates
    cols = np.arange(p)
    has_den = plan.den >= 0
    rows_num = plan.num
    vals_num = np.ones(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        vals_num[has_den] = 1.0 / totals[plan.den[has_den]]
        vals_den = -theta[has_den] / totals[plan.den[has_den]]
    rows = np.concatenate([rows_num, plan.den[has_den]])
    cc = np.concatenate([cols, cols[has_den]])
    vals = np.concatenate([vals_num, vals_den])
    return sp.csc_matrix((vals, (rows, cc)), shape=(n_base, p))


def indicator(codes: IntArray, n_units: int) -> sp.csr_matrix:
    """Sparse ``n_units x n`` one-hot matrix mapping rows to units."""
    n = len(codes)
    return sp.csr_matrix(
        (np.ones(n), (codes, np.arange(n))), shape=(n_units, n)
    )


def quadratic_form(
    z: sp.spmatrix, unit_stratum: IntArray, coef: FloatArray, centred: FloatArray, full: bool,
) -> FloatArray:
    r"""Stratified sum of squares of unit totals, as R ``survey:::onestrat``.

    Computes :math:`\sum_h a_h \sum_{j \in h} (z_j - c_h \bar z_h)
    (z_j - c_h \bar z_h)^\top` for the unit totals ``z`` (units x estimates,
    sparse), with ``coef`` :math:`a_h` and ``centred`` :math:`c_h \in \{0,1\}`
    per stratum.  The diagonal is computed from centred values (no
    cancellation, so a zero variance comes out as zero); the off-diagonal
    terms, when ``full``, from :math:`Z^\top A Z - S^\top B S`.
    """
    z = sp.csr_matrix(z)
    n_strata = len(coef)
    n_est = z.shape[1]
    n_h = np.bincount(unit_stratum, minlength=n_strata).astype(float)
    s = np.asarray((indicator(unit_stratum, n_strata) @ z).todense())
    with np.errstate(divide="ignore", invalid="ignore"):
        m = np.where(n_h[:, None] > 0, s / n_h[:, None], 0.0) * centred[:, None]
    coo = z.tocoo()
    h_of = unit_stratum[coo.row]
    dev = coo.data - m[h_of, coo.col]
    diag = np.bincount(coo.col, weights=coef[h_of] * dev * dev, minlength=n_est)
    nnz = np.bincount(h_of * n_est + coo.col, minlength=n_strata * n_est).reshape(
        n_strata, n_est
    )
    diag = diag + ((coef * 1.0)[:, None] * (n_h[:, None] - nnz) * m * m).sum(axis=0)
    if not full:
        return np.asarray(diag)
    with np.errstate(divide="ignore", invalid="ignore"):
        b = np.where(n_h > 0, coef * centred / n_h, 0.0)
    first = (z.T @ sp.diags(coef[unit_stratum]) @ z).toarray()
    second = s.T @ (b[:, None] * s)
    out = np.asarray(first - second)
    np.fill_diagonal(out, diag)
    return out


def average_within_parents(
    z: sp.csr_matrix, st: Any, plan: Plan
) -> tuple[sp.csr_matrix, NDArray[np.bool_]]:
    r"""Apply ``lonely_psu="average"`` at one stage, per estimate, as R ``onestage``.

    R sums the variances of the strata of each parent unit (the whole sample at
    the first stage, a unit of the previous stage later) and multiplies the sum
    by (strata with rows in the domain) / (those strata that are not lonely),
    counting the strata among the rows of the domain being estimated only.
    Lonely strata already have ``coef`` 0.  Scaling each unit total of
    estimate :math:`p` by :math:`\sqrt{F_{u(p)}}` for its parent :math:`u`
    multiplies variance :math:`p` by :math:`F_{u(p)}` and a covariance by
    :math:`\sqrt{F_{u(p)} F_{u(q)}}`.  A domain that reaches a parent whose
    reached strata are all lonely has no variance (NaN, as R: ``0 * 1/0``).

    ``st`` is a stage of the in-memory :class:`~carecost.survey.Design` (``row_stratum``,
    ``unit_stratum``, ``parent`` and ``ok`` per stratum).

    Returns
    -------
    z
        The scaled unit totals (units x estimates).
    undefined
        Per estimate: True where the variance is undefined (NaN).
    """
    codes = plan.codes
    keep = codes >= 0
    n_groups = int(max(codes.max(initial=-1), plan.est_group.max(initial=-1))) + 1
    g = np.int64(max(n_groups, 1))
    pairs = np.unique(st.row_stratum[keep].astype(np.int64) * g + codes[keep])
    h = pairs // g
    key = st.parent[h].astype(np.int64) * g + pairs % g
    ukeys, inv = np.unique(key, return_inverse=True)
    nstrat = np.bincount(inv, minlength=len(ukeys)).astype(float)
    nok = np.bincount(inv, weights=st.ok[h].astype(float), minlength=len(ukeys))
    none_ok = nok == 0
    factor = np.where(none_ok, 0.0, nstrat / np.where(none_ok, 1.0, nok))
    undefined = np.isin(plan.est_group, ukeys[none_ok] % g)
    coo = z.tocoo()
    zkey = (st.parent[st.unit_stratum[coo.row]].astype(np.int64) * g
            + plan.est_group[coo.col])
    pos = np.minimum(np.searchsorted(ukeys, zkey), len(ukeys) - 1)
    found = ukeys[pos] == zkey if len(ukeys) else np.zeros(len(zkey), dtype=bool)
    scale = np.where(found, np.sqrt(factor[pos] if len(ukeys) else 1.0), 1.0)
    scaled = sp.csr_matrix((coo.data * scale, (coo.row, coo.col)), shape=z.shape)
    return scaled, undefined


def replicate_variance(
    theta_rep: FloatArray, theta: FloatArray, scale: float, rscales: FloatArray,
    mse: bool, full: bool,
) -> FloatArray:
    """Replicate variance, as R ``survey:::svrVar``.

    ``theta_rep`` is ``P x R``.  Centred on ``theta`` when ``mse`` else on
    the mean of the replicates that have a positive ``rscales``.  Non-finite
    replicate estimates are left out of their estimate's variance (with a
    warning), as R's ``svrVar`` does.
    """
    bad = ~np.isfinite(theta_rep)
    if bad.any():
        # as R's svrVar: replicates whose estimate is undefined (e.g. a domain empty in that
        # replicate) are left out of that estimate's variance, with a warning
        rows = int(bad.any(axis=1).sum())
        warnings.warn(
            f"{int(bad.sum())} replicate estimates are undefined (in {rows} estimate(s)); "
            "those replicates are left out of their variance, as R's svrVar does",
            stacklevel=4)
    ok = ~bad
    use = ok & (rscales > 0)[None, :]
    if mse:
        centre = theta
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            centre = np.where(use, theta_rep, 0.0).sum(axis=1) / use.sum(axis=1)
    dev = np.where(ok, theta_rep - centre[:, None], 0.0)
    if full:
        return np.asarray(scale * (dev * rscales[None, :]) @ dev.T)
    return np.asarray(scale * (dev * dev) @ rscales)


def sparse_dense_product(a: sp.csr_matrix, b: FloatArray, threads: int | None = None
                         ) -> FloatArray:
    """``a @ b`` for a sparse CSR ``a`` and a dense ``b``, using several threads.

    scipy's kernel is single-threaded but releases the GIL, so row blocks of
    ``a`` (balanced by their number of non-zeros) run in parallel.  Each output
    row is computed by one thread in the same order as the serial kernel, so
    the result is bit-for-bit identical to ``a @ b``.
    """
    a = sp.csr_matrix(a)
    n_threads = threads or min(os.cpu_count() or 1, 8)
    work = a.nnz * (b.shape[1] if b.ndim == 2 else 1)
    if n_threads <= 1 or a.shape[0] < 2 or work < 2_000_000:
        return np.asarray(a @ b)
    cuts = np.searchsorted(a.indptr, np.linspace(0, a.nnz, n_threads + 1)[1:-1])
    bounds = np.unique(np.concatenate([[0], cuts, [a.shape[0]]]))
    out = np.empty((a.shape[0], *b.shape[1:]), dtype=np.result_type(a.dtype, b.dtype))

    def block(i: int) -> None:
        lo, hi = bounds[i], bounds[i + 1]
        out[lo:hi] = a[lo:hi] @ b

    list(_pool(n_threads).map(block, range(len(bounds) - 1)))
    return out


_POOLS: dict[int, ThreadPoolExecutor] = {}


def _pool(n_threads: int) -> ThreadPoolExecutor:
    """A persistent thread pool (starting threads on every estimate costs milliseconds)."""
    if n_threads not in _POOLS:
        _POOLS[n_threads] = ThreadPoolExecutor(max_workers=n_threads,
                                               thread_name_prefix="carecost")
    return _POOLS[n_threads]
