"""Where a design's rows live, and the few reductions the estimators need of them.

The shape follows R survey's ``DBIsvydesign``: one design front end
(:class:`~carecost.survey.Design`, :class:`~carecost.survey.ReplicateDesign`) checks
arguments, lays out the estimates, computes variances from sufficient statistics and builds
the result tables; a *backend* only reads columns and reduces rows.  Every estimator is a
ratio (or total) of weighted domain totals (:mod:`carecost.survey._engine`), so a backend
provides

* :meth:`Backend.prepare` -- pass 0: missing-value counts, the domains (``by``
  combinations present in the active rows), a categorical's levels, rows per domain;
* :meth:`Backend.totals` -- the weighted base totals :math:`U^\\top w` per domain;
* :meth:`Backend.replicate_totals` -- the same for the full-sample weight and every
  replicate weight, :math:`U^\\top [w, W]`;
* :meth:`Backend.linearization_variance` -- per sampling stage, the unit totals of the
  influence values :math:`z = \\sum_{i \\in u} w_i u_i J` and their stratified sum of squares;
* :meth:`Backend.gram` -- the Gram matrix :math:`W^\\top W` of the replicate weights (their
  rank gives the degrees of freedom);
* :meth:`Backend.deff_moments` -- per domain, the weighted sums behind a design effect.

:class:`MemoryBackend` holds a :class:`pandas.DataFrame` and numpy weights;
:class:`DaskBackend` a ``dask.dataframe.DataFrame``, whose partitions each reduce to those
sums (added on the client; no partition's rows are collected).  Results agree to rounding
(partition sums are added in a different order).
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

from ._engine import (
    FloatArray,
    Groups,
    IntArray,
    Plan,
    average_within_parents,
    base_matrix,
    crossprod,
    indicator,
    make_groups,
    quadratic_form,
    replicate_products,
)
from ._errors import DesignError

NaPolicy = Literal["raise", "omit"]
Kind = Literal["mean", "total", "ratio", "proportion"]
MaskFn = Callable[[pd.DataFrame], Any]
RANK_CERTIFICATE = 4e-10
"""Margin of :func:`replicate_rank`'s full-rank certificate: four times the 1e-10 that the
squared relative tolerance 1e-5 of R's ``qr`` gives for eigenvalues."""


@dataclass(frozen=True)
class Spec:
    """What an estimator reads: its kind, variables, domains and missing-value policy."""

    kind: Kind
    variables: tuple[str, ...]
    by: tuple[str, ...]
    na: NaPolicy
    levels: tuple[Any, ...] = ()

    @property
    def width(self) -> int:
        """Base variables per domain (K)."""
        if self.kind == "proportion":
            return len(self.levels) + 1
        if self.kind == "mean":
            return len(self.variables) + 1
        return len(self.variables)


@dataclass
class Prepared:
    """An estimate laid out: the plan, the missing counts, and the backend's private data."""

    spec: Spec
    plan: Plan
    table: pd.DataFrame  # one row per domain (the ``by`` columns)
    nmiss: dict[tuple[str, str], int]
    values: FloatArray | None = None  # in memory: the n x K base variables
    cache: dict[str, Any] = field(default_factory=dict)


def layout(spec: Spec, table: pd.DataFrame, counts: NDArray[np.int64],
           base: sp.csr_matrix, codes: IntArray) -> Plan:
    """The plan of a spec over the domains ``table``: which totals each estimate divides.

    ``theta_p = T[num[p]] / T[den[p]]`` (``den < 0``: a total), rows ordered domain by
    domain, variable by variable, as R ``svyby``.
    """
    g = len(table)
    k = spec.width
    gg = np.arange(g)
    level_col: list[str] | None = None
    if spec.kind == "total":
        nvar = k
        num = (gg[:, None] * k + np.arange(k)[None, :]).ravel()
        den = np.full_like(num, -1)
        names = list(spec.variables)
    elif spec.kind in ("mean", "proportion"):
        nvar = k - 1
        num = (gg[:, None] * k + np.arange(nvar)[None, :]).ravel()
        den = np.repeat(gg * k + nvar, nvar)
        names = list(spec.variables)
        if spec.kind == "proportion":
            names = [spec.variables[0]] * nvar
            level_col = [str(v) for v in spec.levels]
    else:  # ratio
        nvar = 1
        num = gg * 2
        den = gg * 2 + 1
        names = [f"{spec.variables[0]}/{spec.variables[1]}"]
    rows = table.loc[np.repeat(np.arange(g), nvar)].reset_index(drop=True)
    rows["variable"] = np.tile(np.asarray(names, dtype=object), g)
    if level_col is not None:
        rows["level"] = np.tile(np.asarray(level_col, dtype=object), g)
    return Plan(
        base=base, num=num.astype(np.intp), den=den.astype(np.intp), rows=rows,
        n=np.repeat(np.asarray(counts, dtype=np.int64), nvar), codes=codes,
        est_group=np.repeat(gg, nvar).astype(np.intp),
    )


def numeric_values(s: pd.Series, col: str) -> FloatArray:
    """A column as floats (NaN for missing); an error for a non-numeric column."""
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.to_numpy(dtype=float, na_value=np.nan)
    if not pd.api.types.is_numeric_dtype(s.dtype):
        raise DesignError(
            f"column {col!r} is not numeric (dtype {s.dtype}); use proportion() for a "
            "categorical variable or convert it with pandas.to_numeric"
        )
    try:
        return s.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as err:
        raise DesignError(f"column {col!r} cannot be read as numbers: {err}") from err


def chunk_active(pdf: pd.DataFrame, spec: Spec, inset: NDArray[np.bool_]
                 ) -> tuple[NDArray[np.bool_], dict[tuple[str, str], int], dict[str, FloatArray]]:
    """Rows of a chunk in the estimate's domain, missing counts in the subset, numeric values.

    Missing counts are keyed ``("variable", column)`` and ``("by", column)``.
    """
    ok = inset.copy()
    nmiss: dict[tuple[str, str], int] = {}
    vals: dict[str, FloatArray] = {}
    for c in spec.variables:
        if spec.kind == "proportion":
            bad = pdf[c].isna().to_numpy()
        else:
            v = numeric_values(pdf[c], c)
            vals[c] = v
            bad = np.isnan(v)
        nmiss[("variable", c)] = int((bad & inset).sum())
        ok &= ~bad
    for b in spec.by:
        bad = pdf[b].isna().to_numpy()
        nmiss[("by", b)] = int((bad & inset).sum())
        ok &= ~bad
    return ok, nmiss, vals


def chunk_values(pdf: pd.DataFrame, spec: Spec, ok: NDArray[np.bool_],
                 vals: dict[str, FloatArray]) -> FloatArray:
    """The ``rows x K`` base variables of a chunk (zero outside ``ok``)."""
    n = len(pdf)
    if spec.kind == "proportion":
        col = pdf[spec.variables[0]]
        cols = [(col == lev).to_numpy(dtype=bool, na_value=False) & ok for lev in spec.levels]
        return np.column_stack([*cols, ok]).astype(float)
    out = [np.where(ok, vals[c], 0.0) for c in spec.variables]
    if spec.kind == "mean":
        out.append(np.ones(n))
    return np.column_stack(out)


def rank_from_gram(gram: FloatArray) -> int:
    """Numerical rank of a matrix from its Gram matrix (relative tolerance 1e-5, as R's ``qr``).

    The columns are scaled to unit norm first; the singular values are the square roots of
    the Gram matrix's eigenvalues.
    """
    if gram.size == 0:
        return 0
    norms = np.sqrt(np.clip(np.diag(gram), 0, None))
    norms[norms == 0] = 1.0
    ev = np.linalg.eigvalsh(gram / np.outer(norms, norms))
    sv = np.sqrt(np.clip(ev, 0, None))
    return int((sv > 1e-5 * sv.max()).sum()) if sv.max() > 0 else 0


def replicate_rank(repw: FloatArray, rows: IntArray, bound_sq: FloatArray) -> int:
    r"""Numerical rank of ``repw[rows]``, as :func:`rank_from_gram` of its Gram matrix.

    R's ``degf`` for replicate designs is ``qr(weights, tol=1e-5)$rank - 1``.  The rank is
    counted as in :func:`rank_from_gram` (singular values of the columns scaled to unit
    norm, relative tolerance 1e-5), but the Gram matrix of all the rows is needed only when
    the replicate columns are (nearly) dependent.  The Gram matrix :math:`G_S` of the first
    rows grows fourfold at a time (``2R`` rows first) and stops as soon as it proves full
    rank.  With :math:`D` the column norms of the rows used and :math:`U \ge D` the square
    roots of ``bound_sq``, every eigenvalue of the scaled Gram matrix
    :math:`D^{-1} G D^{-1}` of the rows is at least :math:`\lambda_{min}(U^{-1} G_S U^{-1})`
    (adding rows, or lowering the norms, cannot lower it), and the largest is at most its
    trace :math:`R`; so :math:`\lambda_{min}(U^{-1} G_S U^{-1}) > 4 \cdot 10^{-10} R`
    (tested with a Cholesky factorization of :math:`U^{-1} G_S U^{-1} - 4 \cdot 10^{-10} R I`,
    whose rounding error is some 1e-12, far inside the margin) means every singular value
    exceeds :math:`10^{-5}` times the largest (with a factor 2 to spare), and the rank is
    ``R``.  Otherwise the Gram matrix of all the rows is formed and
    :func:`rank_from_gram` decides, as before.

    Parameters
    ----------
    repw
        ``n x R`` replicate weights.
    rows
        Row numbers to use (the design's subset), increasing.
    bound_sq
        For each column, an upper bound of its sum of squares over ``rows`` (e.g. over all
        rows, or ``n`` times its largest square).

    Returns
    -------
    int
        The rank, between 0 and ``R``.
    """
    r = repw.shape[1]
    if len(rows) == 0:
        return 0
    with np.errstate(divide="ignore"):
        inv = np.where(bound_sq > 0, 1.0 / np.sqrt(bound_sq), 0.0)
    certifiable = bool(np.all(np.isfinite(inv) & (inv > 0)))
    scale = np.outer(inv, inv)
    gram = np.zeros((r, r))
    start, stop = 0, 2 * r
    while start < len(rows):
        stop = min(stop, len(rows))
        part = rows[start:stop]
        contiguous = int(part[-1]) - int(part[0]) + 1 == len(part)
        sub = repw[int(part[0]):int(part[-1]) + 1] if contiguous else repw[part]
        gram += crossprod(sub)
        start, stop = stop, 4 * stop
        if certifiable and r <= start < len(rows) and _exceeds(gram * scale,
                                                                RANK_CERTIFICATE * r):
            return r
    return rank_from_gram(gram)


def _exceeds(a: FloatArray, t: float) -> bool:
    """Whether the smallest eigenvalue of the symmetric ``a`` exceeds ``t``: whether
    ``a - t I`` has a Cholesky factor (a fraction of a millisecond for 160 x 160, where an
    eigendecomposition waits for LAPACK's threads)."""
    try:
        np.linalg.cholesky(a - t * np.eye(len(a)))
    except np.linalg.LinAlgError:
        return False
    return True


class Backend(ABC):
    """Row access and reductions of a design (see the module documentation)."""

    name: str

    @property
    @abstractmethod
    def columns(self) -> pd.Index:
        """Column names of the data."""

    @abstractmethod
    def dtype(self, col: str) -> Any:
        """The dtype of a column."""

    @abstractmethod
    def subset(self, mask: object) -> Backend:
        """A backend whose domain is restricted to ``mask`` (rows outside keep zero weight)."""

    @abstractmethod
    def assign(self, columns: dict[str, object]) -> Backend:
        """A backend with new or replaced analysis columns."""

    @abstractmethod
    def prepare(self, spec: Spec) -> Prepared:
        """Pass 0: domains, levels, rows per domain, missing counts; the plan."""

    @abstractmethod
    def totals(self, prep: Prepared, stage: Any = None) -> FloatArray:
        """Full-sample weighted base totals, shape ``(A,)``.

        ``stage`` (a linearization design's first stage) lets a backend that reads its rows
        only once per pass collect the unit totals for :meth:`linearization_variance` too.
        """

    @abstractmethod
    def replicate_totals(self, prep: Prepared) -> tuple[FloatArray, FloatArray]:
        """Base totals with the full-sample weight ``(A, 1)`` and the replicates ``(A, R)``."""

    @abstractmethod
    def linearization_variance(self, prep: Prepared, jac: sp.csc_matrix, stages: Sequence[Any],
                               full: bool, average: bool) -> FloatArray:
        """Sum over stages of the stratified sums of squares of unit totals of influence values."""

    @abstractmethod
    def gram(self) -> FloatArray:
        """``W' W`` of the replicate weights over the rows in the subset."""

    @abstractmethod
    def deff_moments(self, prep: Prepared, nonzero_only: bool
                     ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Per domain: rows ``n`` (``G``), weight sums (``G``) and weighted centred sums of
        squares of each estimate variable (``G x K'``)."""

    @abstractmethod
    def weight_total(self) -> float:
        """Sum of the full-sample weights over the rows in the subset."""

    @abstractmethod
    def distinct(self, columns: list[str]) -> pd.DataFrame:
        """Distinct combinations of ``columns`` among the rows in the subset."""

    @abstractmethod
    def count(self) -> int:
        """Rows in the subset."""

    @abstractmethod
    def derive(self, fn: Callable[[pd.DataFrame, NDArray[np.bool_]], pd.DataFrame],
               meta: pd.DataFrame) -> Backend:
        """A backend with the columns ``fn(rows, in_subset)`` added, computed chunk by chunk.

        ``fn`` gets a pandas DataFrame of rows (all the data, or one partition) and the
        boolean mask of those rows in the subset, and returns new columns with the same
        index; ``meta`` is an empty DataFrame with their names and dtypes.
        """


# =============================================================================== in memory
class MemoryBackend(Backend):
    """Rows in a :class:`pandas.DataFrame`, weights and domain mask as numpy arrays."""

    name = "memory"

    def __init__(self, data: pd.DataFrame, w: FloatArray, mask: NDArray[np.bool_],
                 repw: FloatArray | None = None, repw_bound_sq: FloatArray | None = None
                 ) -> None:
        self.data = data
        self.w = w
        self.mask = mask
        self.repw = repw
        self.repw_bound_sq = repw_bound_sq

    def __len__(self) -> int:
        return int(self.mask.sum())

    @property
    def columns(self) -> pd.Index:
        return self.data.columns

    def dtype(self, col: str) -> Any:
        return self.data[col].dtype

    def with_mask(self, mask: NDArray[np.bool_]) -> MemoryBackend:
        new = copy.copy(self)
        new.mask = mask
        return new

    def subset(self, mask: object) -> MemoryBackend:
        m = mask
        if isinstance(m, str):
            m = self.data.eval(m)
        elif callable(m):
            m = m(self.data)
        if isinstance(m, pd.Series):
            if not m.index.equals(self.data.index):
                raise DesignError("subset mask Series must have the same index as the data")
            m = m.to_numpy(dtype=bool, na_value=False)
        arr = np.asarray(m)
        if arr.shape != (len(self.data),):
            raise DesignError(
                f"subset mask has shape {arr.shape}; expected ({len(self.data)},), one "
                "value per row of the data"
            )
        if arr.dtype != bool:
            raise DesignError(f"subset mask must be boolean, got dtype {arr.dtype}")
        return self.with_mask(self.mask & arr)

    def assign(self, columns: dict[str, object]) -> MemoryBackend:
        n = len(self.data)
        new_cols: dict[str, object] = {}
        for name, val in columns.items():
            v = val(self.data) if callable(val) else val
            if np.ndim(v) != 1 or len(v) != n:  # type: ignore[arg-type]
                raise DesignError(f"assign: column {name!r} must have {n} values, one per row")
            if isinstance(v, pd.Series) and not v.index.equals(self.data.index):
                raise DesignError(f"assign: Series {name!r} is not aligned with the data index")
            new_cols[name] = v.to_numpy() if isinstance(v, pd.Series) else np.asarray(v)
        new = copy.copy(self)
        new.data = self.data.assign(**new_cols)  # type: ignore[arg-type]
        return new

    @property
    def masked_w(self) -> FloatArray:
        return np.where(self.mask, self.w, 0.0)

    def prepare(self, spec: Spec) -> Prepared:
        ok, nmiss, vals = chunk_active(self.data, spec, self.mask)
        if spec.kind == "proportion" and not spec.levels:
            col = self.data[spec.variables[0]]
            if isinstance(col.dtype, pd.CategoricalDtype):
                levels = list(col.cat.categories)
            else:
                levels = sorted(pd.unique(col[ok]).tolist())
            spec = replace(spec, levels=tuple(levels))
        groups = make_groups(self.data, list(spec.by), ok)
        values = chunk_values(self.data, spec, ok, vals)
        counts = np.bincount(groups.codes[groups.codes >= 0], minlength=groups.n_groups)
        base = base_matrix(values, groups.codes, groups.n_groups)
        plan = layout(spec, groups.table, counts, base, groups.codes)
        return Prepared(spec=spec, plan=plan, table=groups.table, nmiss=nmiss, values=values)

    def active(self, spec: Spec) -> tuple[NDArray[np.bool_], dict[tuple[str, str], int],
                                          dict[str, FloatArray], Groups]:
        """Row-level domain membership (for estimators that need rows, e.g. quantiles)."""
        ok, nmiss, vals = chunk_active(self.data, spec, self.mask)
        return ok, nmiss, vals, make_groups(self.data, list(spec.by), ok)

    def totals(self, prep: Prepared, stage: Any = None) -> FloatArray:
        return np.asarray(prep.plan.base.T @ self.masked_w).ravel()

    def replicate_totals(self, prep: Prepared) -> tuple[FloatArray, FloatArray]:
        """Base totals with the full-sample weight ``(A, 1)`` and every replicate ``(A, R)``.

        One streaming pass over the rows of the replicate weights
        (:func:`~carecost.survey._engine.replicate_products`); rows outside the domains have
        no base variables and add nothing.
        """
        assert self.repw is not None
        base = prep.plan.base
        t0 = np.asarray(base.T @ self.masked_w).reshape(-1, 1)
        return t0, replicate_products(base, self.repw)

    def linearization_variance(self, prep: Prepared, jac: sp.csc_matrix, stages: Sequence[Any],
                               full: bool, average: bool) -> FloatArray:
        plan = prep.plan
        scores = self.influence_values(prep, jac)
        total_var: FloatArray | None = None
        for st in stages:
            z = scores if st.units is None else indicator(st.units, st.n_units) @ scores
            undefined = None
            if average:
                z, undefined = average_within_parents(sp.csr_matrix(z), st, plan)
            v = quadratic_form(z, st.unit_stratum, st.coef, st.centred, full)
            if undefined is not None and undefined.any():
                v = np.array(v, dtype=float)
                if full:
                    v[undefined, :] = np.nan
                    v[:, undefined] = np.nan
                else:
                    v[undefined] = np.nan
            total_var = v if total_var is None else total_var + v
        assert total_var is not None
        return total_var

    def influence_values(self, prep: Prepared, jac: sp.csc_matrix) -> sp.csr_matrix:
        """Influence values :math:`z_k = w_k u_k J` of every row (rows x estimates); a
        calibrated design adjusts them before the stage sums (``CalibratedBackend``)."""
        return sp.csr_matrix(sp.diags(self.masked_w) @ prep.plan.base @ jac)

    def gram(self) -> FloatArray:
        assert self.repw is not None
        sub = self.repw[self.mask]
        return np.asarray(sub.T @ sub)

    def group_gram(self, codes: IntArray, g: int) -> FloatArray:
        assert self.repw is not None
        sub = self.repw[(codes == g) & self.mask]
        return np.asarray(sub.T @ sub)

    def column_bound_sq(self) -> FloatArray:
        """An upper bound of each replicate column's sum of squares over all rows (cached):
        given at build, or the sums of squares themselves (one pass)."""
        assert self.repw is not None
        if self.repw_bound_sq is None:
            self.repw_bound_sq = np.einsum("ij,ij->j", self.repw, self.repw)
        return self.repw_bound_sq

    def replicate_rank(self, rows: NDArray[np.bool_] | None = None) -> int:
        """Rank of the replicate weights of the rows in the subset (and in ``rows``).

        See :func:`replicate_rank`; the column norms come from all rows.
        """
        assert self.repw is not None
        keep = self.mask if rows is None else self.mask & rows
        return replicate_rank(self.repw, np.flatnonzero(keep), self.column_bound_sq())

    def deff_moments(self, prep: Prepared, nonzero_only: bool
                     ) -> tuple[FloatArray, FloatArray, FloatArray]:
        assert prep.values is not None
        n, wsum, _, ss = group_moments(prep.spec, prep.plan.codes, prep.values, self.w,
                                       len(prep.table), nonzero_only)
        return n, wsum, ss

    def weight_total(self) -> float:
        return float(self.w[self.mask].sum())

    def distinct(self, columns: list[str]) -> pd.DataFrame:
        return self.data.loc[self.mask, columns].drop_duplicates().reset_index(drop=True)

    def count(self) -> int:
        return int(self.mask.sum())

    def derive(self, fn: Callable[[pd.DataFrame, NDArray[np.bool_]], pd.DataFrame],
               meta: pd.DataFrame) -> MemoryBackend:
        new_cols = fn(self.data, self.mask)
        return self.assign({c: new_cols[c].to_numpy() for c in meta.columns})


# ==================================================================================== Dask
def require_dask() -> Any:
    """The ``dask`` module, or an error saying how to install it."""
    try:
        import dask
        import dask.dataframe
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise DesignError("the Dask backend needs dask: pip install 'carecost[dask]'") from err
    return dask


def is_dask_frame(data: object) -> bool:
    """Whether ``data`` is a ``dask.dataframe.DataFrame`` (without importing dask)."""
    mod = type(data).__module__ or ""
    return mod.startswith("dask") and hasattr(data, "to_delayed") and hasattr(data, "columns")


def _mask_of(pdf: pd.DataFrame, masks: tuple[MaskFn | str, ...]) -> NDArray[np.bool_]:
    m = np.ones(len(pdf), dtype=bool)
    for f in masks:
        v = pdf.eval(f) if isinstance(f, str) else f(pdf)
        m &= np.asarray(pd.Series(v, index=pdf.index).fillna(False).to_numpy(dtype=bool))
    return m


def _codes(pdf: pd.DataFrame, by: tuple[str, ...], ok: NDArray[np.bool_], table: pd.DataFrame
           ) -> IntArray:
    codes = np.full(len(pdf), -1, dtype=np.intp)
    if not by:
        codes[ok] = 0
        return codes
    keys = pd.MultiIndex.from_frame(pdf.loc[ok, list(by)])
    idx = pd.MultiIndex.from_frame(table[list(by)]).get_indexer(keys)
    codes[np.flatnonzero(ok)] = idx
    return codes


def _bad_weights(pdf: pd.DataFrame, weights: list[str]) -> dict[str, int]:
    """Per weight column: number of missing, infinite or negative values in a partition."""
    out = {}
    for c in weights:
        v = pd.to_numeric(pdf[c], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        k = int((~np.isfinite(v) | (v < 0)).sum())
        if k:
            out[c] = k
    return out


def _weights_matrix(pdf: pd.DataFrame, wcols: list[str], combined: bool) -> FloatArray:
    w = pdf[wcols].to_numpy(dtype=float)
    if not combined and w.shape[1] > 1:
        w[:, 1:] *= w[:, :1]
    return w


def _pass0(pdf: pd.DataFrame, spec: Spec, masks: tuple[MaskFn | str, ...],
           weights: list[str]) -> dict[str, Any]:
    inset = _mask_of(pdf, masks)
    ok, nmiss, _ = chunk_active(pdf, spec, inset)
    out: dict[str, Any] = {"nmiss": nmiss, "bad_weights": _bad_weights(pdf, weights),
                           "rows": int(ok.sum())}
    out["groups"] = (pdf.loc[ok, list(spec.by)].value_counts(dropna=True, sort=False)
                     if spec.by else None)
    if spec.kind == "proportion":
        out["levels"] = pd.unique(pdf.loc[ok, spec.variables[0]])
    return out


def _partition_base(pdf: pd.DataFrame, spec: Spec, table: pd.DataFrame,
                    masks: tuple[MaskFn | str, ...]) -> tuple[sp.csr_matrix, IntArray, FloatArray]:
    inset = _mask_of(pdf, masks)
    ok, _, vals = chunk_active(pdf, spec, inset)
    codes = _codes(pdf, spec.by, ok, table)
    values = chunk_values(pdf, spec, ok, vals)
    return base_matrix(values, codes, max(len(table), 1)), codes, values


def _rep_partition(pdf: pd.DataFrame, spec: Spec, table: pd.DataFrame, wcols: list[str],
                   combined: bool, masks: tuple[MaskFn | str, ...]) -> FloatArray:
    base, _, _ = _partition_base(pdf, spec, table, masks)
    return np.asarray(base.T.tocsr() @ _weights_matrix(pdf, wcols, combined))


def _gram_partition(pdf: pd.DataFrame, wcols: list[str], combined: bool,
                    masks: tuple[MaskFn | str, ...]) -> FloatArray:
    sub = _weights_matrix(pdf, wcols, combined)[_mask_of(pdf, masks), 1:]
    return np.asarray(sub.T @ sub)


def _lin_pass1(pdf: pd.DataFrame, spec: Spec, table: pd.DataFrame, wcol: str,
               units: pd.DataFrame | None, unit_keys: list[str],
               masks: tuple[MaskFn | str, ...]) -> dict[str, Any]:
    base, _, _ = _partition_base(pdf, spec, table, masks)
    w = pdf[wcol].to_numpy(dtype=float)
    wb = sp.csr_matrix(sp.diags(w) @ base)
    out: dict[str, Any] = {"T": np.asarray(wb.sum(axis=0)).ravel()}
    if units is not None:
        u = pd.MultiIndex.from_frame(units[unit_keys]).get_indexer(
            pd.MultiIndex.from_frame(pdf[unit_keys]))
        ind = sp.csr_matrix((np.ones(len(u)), (u, np.arange(len(u)))), shape=(len(units), len(u)))
        out["B"] = sp.csr_matrix(ind @ wb)
    return out


def _lin_pass2(pdf: pd.DataFrame, spec: Spec, table: pd.DataFrame, wcol: str,
               strata: str | None, strata_index: pd.Index, jac: sp.csc_matrix,
               masks: tuple[MaskFn | str, ...], full: bool) -> dict[str, Any]:
    base, _, _ = _partition_base(pdf, spec, table, masks)
    w = pdf[wcol].to_numpy(dtype=float)
    z = sp.csr_matrix(sp.diags(w) @ base @ jac)
    h = (strata_index.get_indexer(pd.Index(pdf[strata])) if strata
         else np.zeros(len(pdf), dtype=np.intp))
    hs = len(strata_index) if strata else 1
    n_est = z.shape[1]
    n_h = np.bincount(h, minlength=hs).astype(float)
    ind = sp.csr_matrix((np.ones(len(h)), (h, np.arange(len(h)))), shape=(hs, len(h)))
    mean = np.asarray((ind @ z).todense())
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n_h[:, None] > 0, mean / n_h[:, None], 0.0)
    # centred sums of squares per stratum from the non-zero influence values (no cancellation)
    coo = z.tocoo()
    hh = h[coo.row]
    dev = coo.data - mean[hh, coo.col]
    flat = hh * n_est + coo.col
    ss = np.bincount(flat, weights=dev * dev, minlength=hs * n_est).reshape(hs, n_est)
    nnz = np.bincount(flat, minlength=hs * n_est).reshape(hs, n_est)
    ss = ss + (n_h[:, None] - nnz) * mean * mean
    cross = None
    if full:
        cross = np.zeros((hs, n_est, n_est))
        for k in np.flatnonzero(n_h):  # one small cross-product per stratum present
            zk = z[h == k]
            c = (zk.T @ zk).toarray() - n_h[k] * np.outer(mean[k], mean[k])
            np.fill_diagonal(c, ss[k])
            cross[k] = c
    return {"n": n_h, "mean": mean, "ss": ss, "cross": cross}


def _combine_moments(parts: list[dict[str, Any]], full: bool
                     ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray | None]:
    """Pool per-partition stratum counts, means and centred sums of squares (Chan et al. 1979).

    :math:`M_2 = \\sum_p M_{2,p} + \\sum_p n_p (\\bar z_p - \\bar z)(\\bar z_p - \\bar z)^\\top`.
    """
    n = sum(p["n"] for p in parts)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n[:, None] > 0, sum(p["n"][:, None] * p["mean"] for p in parts)
                        / n[:, None], 0.0)
    ss = sum(p["ss"] + p["n"][:, None] * (p["mean"] - mean) ** 2 for p in parts)
    cross = None
    if full:
        cross = sum(p["cross"] for p in parts)
        for p in parts:
            d = p["mean"] - mean
            cross = cross + p["n"][:, None, None] * d[:, :, None] * d[:, None, :]
        idx = np.arange(cross.shape[1])
        cross[:, idx, idx] = ss
    return n, mean, ss, cross


def group_moments(spec: Spec, codes: IntArray, values: FloatArray, w_all: FloatArray, g: int,
                  nonzero_only: bool) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Per domain: rows, weight sum, weighted mean and centred weighted sum of squares.

    For each estimate variable :math:`y` (the base variables without a mean's trailing 1):
    :math:`n_d` (rows with non-zero weight when ``nonzero_only``), :math:`W_d = \\sum w`,
    :math:`\\bar y_d = \\sum w y / W_d` and :math:`\\sum w (y - \\bar y_d)^2`.
    """
    k = spec.width - (0 if spec.kind == "total" else 1)
    keep = codes >= 0
    c = codes[keep]
    w = w_all[keep]
    cnt = (keep & (w_all != 0)) if nonzero_only else keep
    n = np.bincount(codes[cnt], minlength=g).astype(float)
    wsum = np.asarray(np.bincount(c, weights=w, minlength=g), dtype=float)
    mean = np.zeros((g, k))
    ss = np.zeros((g, k))
    for j in range(k):  # a handful of variables, each vectorised over rows
        y = values[keep, j]
        with np.errstate(divide="ignore", invalid="ignore"):
            ybar = np.bincount(c, weights=w * y, minlength=g) / wsum
        mean[:, j] = np.where(wsum > 0, ybar, 0.0)
        ss[:, j] = np.bincount(c, weights=w * (y - ybar[c]) ** 2, minlength=g)
    return n, wsum, mean, ss


def _deff_partition(pdf: pd.DataFrame, spec: Spec, table: pd.DataFrame, wcol: str,
                    masks: tuple[MaskFn | str, ...], nonzero_only: bool
                    ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    _, codes, values = _partition_base(pdf, spec, table, masks)
    return group_moments(spec, codes, values, pdf[wcol].to_numpy(dtype=float),
                         max(len(table), 1), nonzero_only)


def _design_counts(pdf: pd.DataFrame, wcol: str, keys: list[str],
                   masks: tuple[MaskFn | str, ...]) -> tuple[int, pd.DataFrame]:
    """Rows in the subset with non-zero weight, and their distinct (stratum, PSU) keys."""
    inset = _mask_of(pdf, masks) & (pdf[wcol].to_numpy(dtype=float) != 0)
    return int(inset.sum()), pdf.loc[inset, keys].drop_duplicates()


def _value_weights_partition(pdf: pd.DataFrame, spec: Spec, table: pd.DataFrame, wcol: str,
                             masks: tuple[MaskFn | str, ...]) -> pd.DataFrame:
    """Weight and rows of each distinct (domain, value) among the rows with positive weight."""
    ok, _, vals = chunk_active(pdf, spec, _mask_of(pdf, masks))
    codes = _codes(pdf, spec.by, ok, table)
    w = pdf[wcol].to_numpy(dtype=float)
    keep = (codes >= 0) & (w > 0)
    t = pd.DataFrame({"code": codes[keep], "x": vals[spec.variables[0]][keep], "w": w[keep]})
    return t.groupby(["code", "x"], sort=False).agg(w=("w", "sum"), rows=("w", "size"))


def _domain_gram_partition(pdf: pd.DataFrame, spec: Spec, table: pd.DataFrame,
                           wcols: list[str], combined: bool,
                           masks: tuple[MaskFn | str, ...]) -> FloatArray:
    ok, _, _ = chunk_active(pdf, spec, _mask_of(pdf, masks))
    codes = _codes(pdf, spec.by, ok, table)
    w = _weights_matrix(pdf, wcols, combined)[:, 1:]
    out = np.zeros((max(len(table), 1), w.shape[1], w.shape[1]))
    for g in np.unique(codes[codes >= 0]):  # the domains present in this partition
        sub = w[codes == g]
        out[g] = sub.T @ sub
    return out


def _domain_units_partition(pdf: pd.DataFrame, spec: Spec, table: pd.DataFrame, wcol: str,
                            keys: list[str], masks: tuple[MaskFn | str, ...]) -> pd.DataFrame:
    ok, _, _ = chunk_active(pdf, spec, _mask_of(pdf, masks))
    codes = _codes(pdf, spec.by, ok, table)
    keep = (codes >= 0) & (pdf[wcol].to_numpy(dtype=float) != 0)
    t = pdf.loc[keep, keys].copy() if keys else pd.DataFrame(index=pdf.index[keep])
    t["__code__"] = codes[keep]
    t["__row__"] = 1
    return t


def _count_partition(pdf: pd.DataFrame, masks: tuple[MaskFn | str, ...]) -> int:
    return int(_mask_of(pdf, masks).sum())


def _derive_partition(pdf: pd.DataFrame, fn: Callable[[pd.DataFrame, NDArray[np.bool_]], Any],
                      masks: tuple[MaskFn | str, ...]) -> pd.DataFrame:
    return fn(pdf, _mask_of(pdf, masks))


def _distinct_partition(pdf: pd.DataFrame, columns: list[str],
                        masks: tuple[MaskFn | str, ...]) -> pd.DataFrame:
    return pdf.loc[_mask_of(pdf, masks), columns].drop_duplicates()


def _weight_sum(pdf: pd.DataFrame, wcol: str, masks: tuple[MaskFn | str, ...]) -> float:
    return float(pdf[wcol].to_numpy(dtype=float)[_mask_of(pdf, masks)].sum())


@dataclass(frozen=True)
class DaskStage:
    """One-stage design structure on Dask: strata, PSU list and stratum coefficients."""

    strata: str | None
    strata_index: pd.Index
    units: pd.DataFrame | None  # distinct PSUs (None: each row is its own PSU)
    unit_keys: list[str]
    unit_stratum: IntArray
    coef: FloatArray
    centred: FloatArray


class DaskBackend(Backend):
    """Rows in a ``dask.dataframe.DataFrame``; weights are columns read partition by partition.

    Every reduction is one ``dask.compute`` over the partitions (any scheduler: the local
    threaded one, or a ``dask.distributed`` cluster once a ``Client`` is connected).
    """

    name = "dask"

    def __init__(self, ddf: Any, weights: str, replicates: Sequence[str] = (),
                 combined_weights: bool = True) -> None:
        self.ddf = ddf
        self.wcol = weights
        self.reps = list(replicates)
        self.combined = combined_weights
        self.masks: tuple[MaskFn | str, ...] = ()
        self.memo: dict[str, Any] = {}

    @property
    def columns(self) -> pd.Index:
        return pd.Index(self.ddf.columns)

    def dtype(self, col: str) -> Any:
        return self.ddf.dtypes[col]

    @property
    def weight_columns(self) -> list[str]:
        return [self.wcol, *self.reps]

    def _copy(self) -> DaskBackend:
        new = copy.copy(self)
        new.memo = {}
        return new

    def subset(self, mask: object) -> DaskBackend:
        if not (isinstance(mask, str) or callable(mask)):
            raise DesignError(
                "subset on a Dask design takes a DataFrame.eval expression such as "
                "\"sex == 'female'\" or a function of a partition (a pandas DataFrame) "
                f"returning booleans; got {type(mask).__name__} (an in-memory array cannot be "
                "aligned with the Dask partitions)")
        new = self._copy()
        new.masks = (*self.masks, mask)  # type: ignore[arg-type]
        return new

    def assign(self, columns: dict[str, object]) -> DaskBackend:
        replaced = [c for c in columns if c in self.ddf.columns]
        if replaced and self.masks:
            raise DesignError(
                f"assign: column(s) {replaced} already exist and this Dask design is a subset, "
                "whose expressions are evaluated on the current columns; give the new columns "
                "new names, or assign before subset()")
        new = self._copy()
        new.ddf = self.ddf.assign(**columns)
        return new

    def _compute(self, fn: Callable[..., Any], *args: Any) -> list[Any]:
        dask = require_dask()
        return list(dask.compute(*[dask.delayed(fn)(p, *args) for p in self.ddf.to_delayed()]))

    def prepare(self, spec: Spec) -> Prepared:
        res = self._compute(_pass0, spec, self.masks, self.weight_columns)
        bad: dict[str, int] = {}
        for r in res:
            for c, k in r["bad_weights"].items():
                bad[c] = bad.get(c, 0) + k
        if bad:
            first = sorted(bad)[:5]
            raise DesignError(
                "weights must be finite and non-negative: "
                + ", ".join(f"{c!r} has {bad[c]} bad value(s)" for c in first)
                + (f" (and {len(bad) - 5} more columns)" if len(bad) > 5 else ""))
        nmiss = {c: sum(r["nmiss"][c] for r in res) for c in res[0]["nmiss"]} if res else {}
        if spec.kind == "proportion":
            dt = self.ddf[spec.variables[0]].dtype
            col = self.ddf[spec.variables[0]]
            known = isinstance(dt, pd.CategoricalDtype) and bool(getattr(col.cat, "known", False))
            if known:
                levels = tuple(dt.categories)
            else:
                levels = tuple(sorted(set().union(*[set(r["levels"]) for r in res])))
            spec = replace(spec, levels=levels)
        if spec.by:
            frames = [r["groups"] for r in res if r["groups"] is not None and len(r["groups"])]
            if frames:
                sizes = pd.concat(frames).groupby(level=list(range(len(spec.by)))).sum()
                table = sizes.index.to_frame(index=False)
                table.columns = list(spec.by)
                table["__n__"] = sizes.to_numpy()
                table = table.sort_values(list(spec.by), kind="stable").reset_index(drop=True)
                counts = table.pop("__n__").to_numpy(dtype=np.int64)
            else:
                table = pd.DataFrame({b: pd.Series(dtype=self.ddf.dtypes[b]) for b in spec.by})
                counts = np.zeros(0, dtype=np.int64)
        else:
            table = pd.DataFrame(index=pd.RangeIndex(1))
            counts = np.array([sum(r["rows"] for r in res)], dtype=np.int64)
        a = len(table) * spec.width
        plan = layout(spec, table, counts, sp.csr_matrix((0, a)), np.empty(0, dtype=np.intp))
        return Prepared(spec=spec, plan=plan, table=table, nmiss=nmiss)

    def totals(self, prep: Prepared, stage: Any = None) -> FloatArray:
        units = None if stage is None else stage.units
        keys = [] if stage is None else stage.unit_keys
        res = self._compute(_lin_pass1, prep.spec, prep.table, self.wcol, units, keys,
                            self.masks)
        if units is not None:
            prep.cache["B"] = sum(r["B"] for r in res)
        return np.asarray(sum(r["T"] for r in res), dtype=float)

    def replicate_totals(self, prep: Prepared) -> tuple[FloatArray, FloatArray]:
        res = self._compute(_rep_partition, prep.spec, prep.table, self.weight_columns,
                            self.combined, self.masks)
        totals = sum(res)
        return totals[:, :1], totals[:, 1:]

    def linearization_variance(self, prep: Prepared, jac: sp.csc_matrix, stages: Sequence[Any],
                               full: bool, average: bool) -> FloatArray:
        (st,) = stages
        if st.units is not None:
            z = sp.csr_matrix(prep.cache["B"] @ jac)
            return quadratic_form(z, st.unit_stratum, st.coef, st.centred, full)
        res = self._compute(_lin_pass2, prep.spec, prep.table, self.wcol, st.strata,
                            st.strata_index, jac, self.masks, full)
        n_h, mean, ss, cross = _combine_moments(res, full)
        # centred strata: a_h M2_h; uncentred (lonely, adjust): a_h (M2_h + n_h m m')
        unc = (1.0 - st.centred) * n_h
        if full:
            assert cross is not None
            return np.asarray(np.einsum("h,hij->ij", st.coef, cross) + np.einsum(
                "h,hi,hj->ij", st.coef * unc, mean, mean))
        return np.asarray((st.coef[:, None] * (ss + unc[:, None] * mean * mean)).sum(axis=0))

    def gram(self) -> FloatArray:
        if "gram" not in self.memo:
            self.memo["gram"] = sum(self._compute(_gram_partition, self.weight_columns,
                                                  self.combined, self.masks))
        return np.asarray(self.memo["gram"])

    def deff_moments(self, prep: Prepared, nonzero_only: bool
                     ) -> tuple[FloatArray, FloatArray, FloatArray]:
        parts = self._compute(_deff_partition, prep.spec, prep.table, self.wcol,
                              self.masks, nonzero_only)
        # pooled centred sums of squares (Chan, Golub and LeVeque 1979): no cancellation
        n = sum(p[0] for p in parts)
        wsum = sum(p[1] for p in parts)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = sum(p[1][:, None] * p[2] for p in parts) / wsum[:, None]
        ss = sum(p[3] + p[1][:, None] * (p[2] - mean) ** 2 for p in parts)
        return (np.asarray(n, dtype=float), np.asarray(wsum, dtype=float),
                np.asarray(ss, dtype=float))

    def weight_total(self) -> float:
        if "wsum" not in self.memo:
            self.memo["wsum"] = float(sum(self._compute(_weight_sum, self.wcol, self.masks)))
        return float(self.memo["wsum"])

    def value_weights(self, prep: Prepared, limit: int) -> pd.DataFrame:
        """Per domain code and distinct value of the (one) variable: weight and rows, sorted.

        The weighted distribution function of each domain, from which quantiles are exact;
        more than ``limit`` distinct (domain, value) pairs is an error.
        """
        parts = self._compute(_value_weights_partition, prep.spec, prep.table, self.wcol,
                              self.masks)
        pooled = pd.concat(parts).groupby(level=["code", "x"], sort=True).sum()
        if len(pooled) > limit:
            raise DesignError(
                f"quantile on the Dask backend: {len(pooled):,} distinct (domain, value) "
                f"pairs of {prep.spec.variables[0]!r}, more than {limit:,}; round the "
                "variable (e.g. to whole minutes) or estimate the quantile in memory")
        return pooled.reset_index()

    def domain_ranks(self, prep: Prepared) -> FloatArray:
        """Rank of each domain's replicate weights (from per-domain Gram matrices)."""
        grams = sum(self._compute(_domain_gram_partition, prep.spec, prep.table,
                                  self.weight_columns, self.combined, self.masks))
        return np.array([rank_from_gram(grams[g]) for g in range(len(prep.table))], dtype=float)

    def domain_psus_minus_strata(self, prep: Prepared, stage: DaskStage) -> FloatArray:
        """PSUs minus strata among each domain's rows with non-zero weight."""
        strata = [stage.strata] if stage.strata else []
        keys = list(dict.fromkeys([*strata, *stage.unit_keys]))
        t = pd.concat(self._compute(_domain_units_partition, prep.spec, prep.table, self.wcol,
                                    keys, self.masks))
        g = len(prep.table)
        if stage.units is None:
            n_units = t.groupby("__code__")["__row__"].sum()
        else:
            n_units = t.drop_duplicates(["__code__", *keys]).groupby("__code__").size()
        n_strata = (t.drop_duplicates(["__code__", *strata]).groupby("__code__").size()
                    if strata else t.groupby("__code__").size().clip(upper=1))
        out = (n_units.reindex(range(g), fill_value=0).to_numpy(dtype=float)
               - n_strata.reindex(range(g), fill_value=0).to_numpy(dtype=float))
        return np.asarray(out, dtype=float)

    def distinct(self, columns: list[str]) -> pd.DataFrame:
        parts = self._compute(_distinct_partition, columns, self.masks)
        return pd.concat(parts).drop_duplicates().reset_index(drop=True)

    def count(self) -> int:
        if "count" not in self.memo:
            self.memo["count"] = int(sum(self._compute(_count_partition, self.masks)))
        return int(self.memo["count"])

    def derive(self, fn: Callable[[pd.DataFrame, NDArray[np.bool_]], pd.DataFrame],
               meta: pd.DataFrame) -> DaskBackend:
        derived = self.ddf.map_partitions(_derive_partition, fn, self.masks, meta=meta)
        return self.assign({c: derived[c] for c in meta.columns})

    def psus_minus_strata(self, stage: DaskStage) -> float:
        """PSUs minus strata among the rows in the subset with non-zero weight (R ``degf``)."""
        if "degf" not in self.memo:
            strata = [stage.strata] if stage.strata else []
            keys = list(dict.fromkeys([*strata, *stage.unit_keys]))
            parts = self._compute(_design_counts, self.wcol, keys, self.masks)
            rows = sum(n for n, _ in parts)
            seen = pd.concat([f for _, f in parts]).drop_duplicates() if keys else None
            n_units = rows if stage.units is None else len(seen)  # type: ignore[arg-type]
            if strata:
                assert seen is not None
                n_strata = int(seen[stage.strata].nunique())
            else:
                n_strata = int(rows > 0)
            self.memo["degf"] = float(n_units - n_strata)
        return float(self.memo["degf"])
