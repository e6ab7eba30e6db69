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
    the order R's ``svyby`` uses for factors.  Each ``by`` column is factorized on its
    own (integer and boolean columns by counting their values, others with
    :func:`pandas.factorize`) and the codes are combined, which gives the same numbering
    as the groupby (:func:`groups_by_pandas`, used for anything else) at a fraction of
    its cost.
    """
    n = len(data)
    codes = np.full(n, -1, dtype=np.intp)
    if not by:
        codes[active] = 0
        return Groups(codes, pd.DataFrame(index=pd.RangeIndex(1)))
    fast = _groups_by_codes(data, by, active)
    return fast if fast is not None else groups_by_pandas(data, by, active)


def groups_by_pandas(data: pd.DataFrame, by: list[str], active: NDArray[np.bool_]) -> Groups:
    """:func:`make_groups` with ``pandas.DataFrame.groupby(sort=True, observed=True)``."""
    n = len(data)
    codes = np.full(n, -1, dtype=np.intp)
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


def _compact(values: NDArray[np.int64], span: int) -> tuple[IntArray, IntArray]:
    """Dense ranks of non-negative integers below ``span``: (codes, distinct values)."""
    present = np.zeros(span, dtype=bool)
    present[values] = True
    lookup = np.cumsum(present, dtype=np.intp) - 1
    return lookup[values], np.flatnonzero(present)


def _factorize(col: pd.Series, active: NDArray[np.bool_] | None
               ) -> tuple[NDArray[np.int64], Any, bool] | None:
    """Codes of one ``by`` column over the active rows, their values, and whether the codes
    are value offsets (integers: ``value - min``, possibly with gaps) or dense sorted ranks.
    """
    dt = col.dtype
    if isinstance(dt, np.dtype) and dt.kind in "iub":
        v = col.to_numpy()
        if active is not None:
            v = v[active]
        if v.size == 0:
            return None
        lo, hi = int(v.min()), int(v.max())
        if hi - lo < 4 * v.size + 1024:
            off = v.astype(np.int64) - lo if dt.kind == "b" or lo else v.astype(np.int64)
            return off, np.arange(lo, hi + 1).astype(dt), True
    if not (isinstance(dt, (pd.CategoricalDtype, pd.StringDtype))
            or (isinstance(dt, np.dtype) and dt.kind in "iubf")):
        return None  # object and other columns: groupby infers the key type
    sub = col if active is None else col[active]
    fc, fu = pd.factorize(sub, sort=True)
    if (fc < 0).any():  # a missing key: leave it to groupby
        return None
    return np.asarray(fc, dtype=np.int64), fu, False


def _groups_by_codes(data: pd.DataFrame, by: list[str], active: NDArray[np.bool_]
                     ) -> Groups | None:
    every = bool(active.all())
    parts = []
    for b in by:
        f = _factorize(data[b], None if every else active)
        if f is None:
            return None
        parts.append(f)
    limit = 4 * len(parts[0][0]) + 2**20
    total = 1
    for _, u, _ in parts:
        total *= len(u)
    if total > limit:  # sparse integer keys: rank each column first
        ranked = []
        for c, u, is_offset in parts:
            if is_offset:
                c, present = _compact(c, len(u))
                u = u[present]
            ranked.append((c, u, False))
        parts = ranked
    sizes = [len(u) for _, u, _ in parts]
    combined = parts[0][0].copy() if len(parts) > 1 else parts[0][0]
    for (c, _, _), k in zip(parts[1:], sizes[1:], strict=True):
        combined *= k
        combined += c
    total = int(np.prod(sizes, dtype=np.float64)) if len(sizes) > 1 else sizes[0]
    if total <= limit:
        gcodes, combos = _compact(combined, total)
    else:
        combos, inv = np.unique(combined, return_inverse=True)
        gcodes = inv.astype(np.intp).ravel()
    which = np.unravel_index(combos, sizes)
    table = pd.DataFrame({b: _take(u, i) for b, (_, u, _), i in zip(by, parts, which,
                                                                    strict=True)})
    codes = np.full(len(data), -1, dtype=np.intp)
    if every:
        codes[:] = gcodes
    else:
        codes[active] = gcodes
    return Groups(codes, table)


def _take(uniques: Any, idx: NDArray[np.intp]) -> Any:
    if isinstance(uniques, np.ndarray):
        return uniques[idx]
    return uniques.take(idx)


def base_matrix(values: FloatArray, codes: IntArray, n_groups: int) -> sp.csr_matrix:
    """Sparse ``n x (G*K)`` matrix of base variables.

    Row ``i`` holds ``values[i, k]`` in column ``codes[i]*K + k``; rows with a
    negative code are empty.
    """
    n, k = values.shape
    keep = codes >= 0
    small = n_groups * k < 2**31 and n * k < 2**31
    itype = np.int32 if small else np.int64
    if keep.all():
        indptr = np.arange(0, n * k + 1, k, dtype=itype)
        indices = (codes.astype(itype)[:, None] * k + np.arange(k, dtype=itype)).ravel()
        data = np.ascontiguousarray(values).ravel()
    else:
        counts = np.where(keep, k, 0)
        indptr = np.zeros(n + 1, dtype=itype)
        np.cumsum(counts, dtype=itype, out=indptr[1:])
        indices = (codes[keep].astype(itype)[:, None] * k + np.arange(k, dtype=itype)).ravel()
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
        return scale * blocked_matmul(dev * rscales[None, :], np.ascontiguousarray(dev.T))
    return np.asarray(scale * (dev * dev) @ rscales)


SMALL_PRODUCT = 262_144
"""Largest ``m * n * k`` of a matrix product that OpenBLAS runs on the calling thread
(``SMP_THRESHOLD_MIN * GEMM_MULTITHREAD_THRESHOLD`` = 65,536 x 4 in its ``interface/gemm.c``)."""


def blocked_matmul(a: FloatArray, b: FloatArray) -> FloatArray:
    """``a @ b`` in row blocks of ``a`` small enough to stay on the calling thread.

    The products of the variance step are small (a few million multiply-adds).  OpenBLAS
    splits such a product across its threads, and on a machine whose cores are busy with
    other processes waiting for those threads costs far more than the arithmetic: a
    140 x 160 by 160 x 140 product took 44 ms instead of 0.2 ms on the shared 2-core machine
    of ``benchmarks/``.  Each block is computed as the whole product would be, row by row,
    so the result equals ``a @ b`` to rounding.
    """
    m, k = a.shape
    n = b.shape[1]
    if m * n * k <= SMALL_PRODUCT or m < 2:
        return np.asarray(a @ b)
    rows = max(1, SMALL_PRODUCT // max(n * k, 1))
    out = np.empty((m, n), dtype=np.result_type(a.dtype, b.dtype))
    for s in range(0, m, rows):
        out[s:s + rows] = a[s:s + rows] @ b
    return out


def crossprod(x: FloatArray) -> FloatArray:
    """``x.T @ x`` (the Gram matrix), as :func:`blocked_matmul` in blocks of rows of ``x``."""
    n, r = x.shape
    rows = max(1, SMALL_PRODUCT // max(r * r, 1))
    out = np.zeros((r, r))
    for s in range(0, n, rows):
        blk = x[s:s + rows]
        out += blk.T @ blk
    return out


ROW_CHUNK = 1024
"""Rows per block of the streaming replicate product (a block of 160 replicate weights is
1.3 MB and stays in cache between its copy and its use)."""


def usable_threads(limit: int = 8) -> int:
    """Cores this process may run on (at most ``limit``)."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        n = os.cpu_count() or 1
    return max(1, min(n, limit))


def replicate_products(base: sp.csr_matrix, weights: FloatArray, threads: int | None = None
                       ) -> FloatArray:
    """``base.T @ weights``: base totals for every weight column, in one pass over the rows.

    ``base`` is the sparse ``n x A`` matrix of base variables (a few non-zeros per row) and
    ``weights`` the dense ``n x R`` weight matrix.  ``base.T`` is read as a CSC matrix (the
    arrays of ``base`` as they are, no conversion), whose kernel walks the rows in order and
    adds each row of ``weights`` into the totals of the base variables of that row: each
    weight is read once, sequentially.  The rows are split into ``threads`` contiguous ranges
    (scipy's kernel releases the GIL) whose partial totals are added in range order, so the
    result does not depend on thread timing.  A column-major ``weights`` (the layout of a
    pandas block) is copied block by block (``ROW_CHUNK`` rows) into a small row-major buffer
    first.

    Parameters
    ----------
    base
        ``n x A`` CSR matrix.
    weights
        ``n x R`` float64 matrix, row-major or column-major.
    threads
        Threads to use; default: the usable cores (at most 8), one for small problems.

    Returns
    -------
    numpy.ndarray
        ``A x R`` totals (the units of ``base`` times the units of ``weights``).
    """
    base = sp.csr_matrix(base)
    n, a = base.shape
    r = weights.shape[1]
    if weights.shape[0] != n:
        raise ValueError(f"base has {n} rows but weights {weights.shape[0]}")
    ip, ix, dx = base.indptr, base.indices, base.data
    row_major = weights.strides[1] == weights.itemsize or r == 1
    n_threads = usable_threads() if threads is None else max(1, threads)
    if n * r < 4_000_000:
        n_threads = 1

    def rows(lo: int, hi: int) -> FloatArray:
        out = np.zeros((a, r))
        step = max(hi - lo, 1) if row_major else ROW_CHUNK
        buf = None if row_major else np.empty((min(step, hi - lo), r))
        for s in range(lo, hi, step):
            e = min(s + step, hi)
            p0, p1 = int(ip[s]), int(ip[e])
            if p0 == p1:  # no row of this block is in a domain
                continue
            part = sp.csc_matrix((dx[p0:p1], ix[p0:p1], ip[s:e + 1] - p0), shape=(a, e - s))
            if buf is None:
                x = weights[s:e]
            else:
                x = buf[: e - s]
                x[...] = weights[s:e]
            out += part @ x
        return out

    if n_threads == 1:
        return rows(0, n)
    cuts = np.linspace(0, n, n_threads + 1).astype(np.int64)
    parts = list(_pool(n_threads).map(lambda i: rows(int(cuts[i]), int(cuts[i + 1])),
                                      range(n_threads)))
    total = parts[0]
    for p in parts[1:]:
        total += p
    return total


_POOLS: dict[int, ThreadPoolExecutor] = {}


def _pool(n_threads: int) -> ThreadPoolExecutor:
    """A persistent thread pool (starting threads on every estimate costs milliseconds)."""
    if n_threads not in _POOLS:
        _POOLS[n_threads] = ThreadPoolExecutor(max_workers=n_threads,
                                               thread_name_prefix="carecost")
    return _POOLS[n_threads]
