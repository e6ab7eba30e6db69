"""The survey estimators on Dask DataFrames: data larger than one machine's memory.

Each partition reduces to sufficient statistics — weighted base totals for
the full-sample weight and every replicate weight (``U' [w, W]``), or, for a
linearization design, base totals per primary sampling unit (or, without
clusters, per-stratum cross-products of the influence values) — the
reductions are added, and the final estimate and variance step runs once on
the client, with the same functions as the in-memory designs
(:mod:`carecost.survey._engine`).  No partition's rows are ever collected.
Results equal the in-memory :class:`~carecost.survey.ReplicateDesign` and
:class:`~carecost.survey.Design` to rounding (partition sums are added in a
different order).

Works with any Dask scheduler: the local threaded scheduler by default, or a
``dask.distributed`` cluster once a :class:`distributed.Client` is connected
(``Client("tcp://scheduler:8786")``); nothing in carecost changes.

Pass ``(pass 0)`` finds the domains (``by`` combinations present in the
active rows), the levels of a categorical and the missing-value counts; pass
1 computes the totals; a linearization design without clusters needs pass 2
(influence values depend on the estimates).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ._base import DesignError, NaPolicy, SurveyDesign, as_list
from ._engine import (
    FloatArray,
    Groups,
    IntArray,
    Plan,
    base_matrix,
    evaluate,
    jacobian,
    quadratic_form,
    replicate_variance,
)
from .results import build_table

MaskFn = Callable[[pd.DataFrame], Any]


def _require_dask() -> Any:
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise DesignError("the Dask backend needs dask: pip install 'carecost[dask]'") from err
    return dask, dd


@dataclass(frozen=True)
class _Spec:
    kind: Literal["mean", "total", "ratio", "proportion"]
    variables: tuple[str, ...]
    by: tuple[str, ...]
    na: NaPolicy
    levels: tuple[Any, ...] = ()


def _mask_of(pdf: pd.DataFrame, masks: tuple[MaskFn | str, ...]) -> np.ndarray:
    m = np.ones(len(pdf), dtype=bool)
    for f in masks:
        v = pdf.eval(f) if isinstance(f, str) else f(pdf)
        m &= np.asarray(pd.Series(v, index=pdf.index).fillna(False).to_numpy(dtype=bool))
    return m


def _active(pdf: pd.DataFrame, spec: _Spec, masks: tuple[MaskFn | str, ...]
            ) -> tuple[np.ndarray, dict[str, int]]:
    """Rows in the estimate's domain, and missing counts per column (inside the subset)."""
    m = _mask_of(pdf, masks)
    ok = m.copy()
    nmiss: dict[str, int] = {}
    for c in (*spec.variables, *spec.by):
        bad = pdf[c].isna().to_numpy()
        nmiss[c] = int((bad & m).sum())
        ok &= ~bad
    return ok, nmiss


def _values(pdf: pd.DataFrame, spec: _Spec, ok: np.ndarray) -> FloatArray:
    n = len(pdf)
    if spec.kind == "proportion":
        col = pdf[spec.variables[0]]
        cols = [(col == lev).to_numpy(dtype=bool, na_value=False) & ok for lev in spec.levels]
        return np.column_stack([*cols, ok]).astype(float)
    vals = []
    for c in spec.variables:
        if not pd.api.types.is_numeric_dtype(pdf[c].dtype):
            raise DesignError(f"column {c!r} is not numeric (dtype {pdf[c].dtype})")
        vals.append(np.where(ok, pdf[c].to_numpy(dtype=float, na_value=np.nan), 0.0))
    if spec.kind == "mean":
        vals.append(np.ones(n))
    return np.column_stack(vals)


def _codes(pdf: pd.DataFrame, by: tuple[str, ...], ok: np.ndarray, table: pd.DataFrame
           ) -> IntArray:
    codes = np.full(len(pdf), -1, dtype=np.intp)
    if not by:
        codes[ok] = 0
        return codes
    keys = pd.MultiIndex.from_frame(pdf.loc[ok, list(by)])
    idx = pd.MultiIndex.from_frame(table[list(by)]).get_indexer(keys)
    codes[np.flatnonzero(ok)] = idx
    return codes


def _pass0(pdf: pd.DataFrame, spec: _Spec, masks: tuple[MaskFn | str, ...],
           weights: list[str]) -> dict[str, Any]:
    ok, nmiss = _active(pdf, spec, masks)
    out: dict[str, Any] = {"nmiss": nmiss, "bad_weights": _bad_weights(pdf, weights)}
    out["groups"] = pdf.loc[ok, list(spec.by)].drop_duplicates() if spec.by else None
    if spec.kind == "proportion":
        out["levels"] = pd.unique(pdf.loc[ok, spec.variables[0]])
    return out


def _bad_weights(pdf: pd.DataFrame, weights: list[str]) -> dict[str, int]:
    """Per weight column: number of missing, infinite or negative values in a partition."""
    out = {}
    for c in weights:
        v = pd.to_numeric(pdf[c], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        k = int((~np.isfinite(v) | (v < 0)).sum())
        if k:
            out[c] = k
    return out


class _DaskBase(ABC):
    """Shared front-end of the Dask designs."""

    _ddf: Any
    _weight_columns: list[str]
    _masks: tuple[MaskFn | str, ...]

    def _spec(self, kind: str, variables: Sequence[str], by: str | Sequence[str] | None,
              na: NaPolicy) -> _Spec:
        bys = tuple(as_list(by))
        cols = [*variables, *bys]
        missing = [c for c in cols if c not in self._ddf.columns]
        if missing:
            raise DesignError(f"estimator: column(s) {missing} not found in the data")
        if na not in ("raise", "omit"):
            raise DesignError(f"na must be 'raise' or 'omit', got {na!r}")
        return _Spec(kind=kind, variables=tuple(variables), by=bys, na=na)  # type: ignore[arg-type]

    def _groups(self, spec: _Spec) -> tuple[_Spec, Groups]:
        dask, _ = _require_dask()
        parts = self._ddf.to_delayed()
        res = dask.compute(*[dask.delayed(_pass0)(p, spec, self._masks, self._weight_columns)
                             for p in parts])
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
        if spec.na == "raise":
            for c in (*spec.variables, *spec.by):
                k = sum(r["nmiss"][c] for r in res)
                if k:
                    raise DesignError(
                        f"column {c!r} has {k} missing value(s) in the design; pass na='omit' "
                        "to estimate for the non-missing domain"
                    )
        if spec.kind == "proportion":
            col = self._ddf[spec.variables[0]]
            known = isinstance(col.dtype, pd.CategoricalDtype) and bool(
                getattr(col.cat, "known", False))
            if known:
                levels = tuple(col.dtype.categories)
            else:
                levels = tuple(sorted(set().union(*[set(r["levels"]) for r in res])))
            spec = _Spec(spec.kind, spec.variables, spec.by, spec.na, levels)
        if spec.by:
            frames = [r["groups"] for r in res if r["groups"] is not None]
            table = pd.concat(frames).drop_duplicates()
            table = table.sort_values(list(spec.by), kind="stable").reset_index(drop=True)
        else:
            table = pd.DataFrame(index=pd.RangeIndex(1))
        return spec, Groups(codes=np.empty(0, dtype=np.intp), table=table)

    def _layout(self, spec: _Spec, groups: Groups, counts: np.ndarray) -> Plan:
        if spec.kind == "proportion":
            k = len(spec.levels) + 1
            names = [spec.variables[0]] * len(spec.levels)
            kind, lev = "mean", [str(v) for v in spec.levels]
        elif spec.kind == "mean":
            k, names, kind, lev = len(spec.variables) + 1, list(spec.variables), "mean", None
        elif spec.kind == "total":
            k, names, kind, lev = len(spec.variables), list(spec.variables), "total", None
        else:
            k, names, kind, lev = 2, [f"{spec.variables[0]}/{spec.variables[1]}"], "ratio", None
        dummy = Groups(codes=np.full(1, -1, dtype=np.intp), table=groups.table)
        return SurveyDesign._plan(dummy, np.zeros((1, k)), names, kind, counts, level_col=lev)

    def _finish(self, plan: Plan, theta: FloatArray, var: FloatArray, cov: FloatArray | None,
                statistic: str, level: float, df: float | None) -> pd.DataFrame:
        return build_table(plan.rows, theta, var, df=self.degf(), ci_df=df, level=level,
                           n=plan.n, statistic=statistic, vcov=cov,
                           variance=self._variance_note())

    @abstractmethod
    def degf(self) -> float:
        """Design degrees of freedom."""

    @abstractmethod
    def _variance_note(self) -> str:
        """One sentence on how variances are estimated."""

    @abstractmethod
    def _estimate(self, spec: _Spec, level: float, df: float | None, vcov: bool | None,
                  statistic: str) -> pd.DataFrame:
        """Run one estimator over the partitions."""

    # public estimators, same signatures as the in-memory designs
    def mean(self, y: str | Sequence[str], by: str | Sequence[str] | None = None, *,
             na: NaPolicy = "raise", level: float = 0.95, df: float | None = None,
             vcov: bool | None = None) -> pd.DataFrame:
        """Weighted mean by domain; see :meth:`carecost.survey.Design.mean`."""
        return self._estimate(self._spec("mean", as_list(y), by, na), level, df, vcov, "mean")

    def total(self, y: str | Sequence[str], by: str | Sequence[str] | None = None, *,
              na: NaPolicy = "raise", level: float = 0.95, df: float | None = None,
              vcov: bool | None = None) -> pd.DataFrame:
        """Weighted total by domain; see :meth:`carecost.survey.Design.total`."""
        return self._estimate(self._spec("total", as_list(y), by, na), level, df, vcov, "total")

    def ratio(self, numerator: str, denominator: str, by: str | Sequence[str] | None = None, *,
              na: NaPolicy = "raise", level: float = 0.95, df: float | None = None,
              vcov: bool | None = None) -> pd.DataFrame:
        """Ratio of totals by domain; see :meth:`carecost.survey.Design.ratio`."""
        spec = self._spec("ratio", [numerator, denominator], by, na)
        return self._estimate(spec, level, df, vcov, "ratio")

    def proportion(self, y: str, by: str | Sequence[str] | None = None, *,
                   na: NaPolicy = "raise", level: float = 0.95, df: float | None = None,
                   vcov: bool | None = None) -> pd.DataFrame:
        """Shares of each level by domain; see :meth:`carecost.survey.Design.proportion`."""
        spec = self._spec("proportion", [y], by, na)
        return self._estimate(spec, level, df, vcov, "proportion")

    def quantile(self, *args: Any, **kwargs: Any) -> pd.DataFrame:
        raise DesignError("quantiles are not available on the Dask backend yet; compute them "
                          "in memory on the rows you need (ddf[cols].compute())")

    @property
    def data(self) -> Any:
        """The Dask DataFrame (all rows)."""
        return self._ddf

    def assign(self, **columns: Any) -> Any:
        """A copy with new analysis columns: Dask Series from this data, or functions of it."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._ddf = self._ddf.assign(**columns)
        return new


def _rep_partition(pdf: pd.DataFrame, spec: _Spec, table: pd.DataFrame, wcols: list[str],
                   masks: tuple[MaskFn | str, ...], gram: bool) -> dict[str, Any]:
    ok, _ = _active(pdf, spec, masks)
    g = max(len(table), 1)
    codes = _codes(pdf, spec.by, ok, table)
    base = base_matrix(_values(pdf, spec, ok), codes, g)
    w = pdf[wcols].to_numpy(dtype=float)
    out: dict[str, Any] = {
        "T": np.asarray(base.T.tocsr() @ w),
        "n": np.bincount(codes[codes >= 0], minlength=g),
    }
    if gram:
        sub = w[_mask_of(pdf, masks), 1:]
        out["gram"] = sub.T @ sub
        out["rows"] = len(sub)
    return out


class DaskReplicateDesign(_DaskBase):
    """:class:`~carecost.survey.ReplicateDesign` on a Dask DataFrame.

    Parameters are those of :class:`~carecost.survey.ReplicateDesign`;
    ``replicates`` is a list of columns or a regular expression.  Each
    estimate is one pass over the data (plus one to find the domains); the
    design degrees of freedom (rank of the replicate weights minus one) come
    from the summed Gram matrix :math:`W^\\top W` of the partitions.

    Examples
    --------
    >>> import dask.dataframe as dd  # doctest: +SKIP
    >>> ddf = dd.read_parquet("persons/")  # doctest: +SKIP
    >>> d = DaskReplicateDesign(ddf, "TUFNWGTP", r"TUFNWGTP\\d{3}", method="sdr")  # doctest: +SKIP
    >>> d.mean("care_minutes", by=["sex", "year"])  # doctest: +SKIP
    """

    def __init__(self, data: Any, weights: str, replicates: str | Sequence[str],
                 method: str = "sdr", rho: float | None = None, scale: float | None = None,
                 rscales: Sequence[float] | None = None, mse: bool = True,
                 df: float | None = None) -> None:
        import re

        from .replicate import replicate_constants

        _require_dask()
        if weights not in data.columns:
            raise DesignError(f"weights column {weights!r} not found")
        if isinstance(replicates, str):
            pat = re.compile(replicates)
            cols = [c for c in data.columns if isinstance(c, str) and pat.search(c)]
            if not cols:
                raise DesignError(f"no column matches the replicate pattern {replicates!r}")
        else:
            cols = list(replicates)
            missing = [c for c in cols if c not in data.columns]
            if missing:
                raise DesignError(f"replicates: column(s) {missing} not found")
        self._scale, self._rscales = replicate_constants(method, len(cols), rho, scale, rscales)
        self._ddf = data
        self._weights = weights
        self._reps = cols
        self._weight_columns = [weights, *cols]
        self._method = method
        self._mse = mse
        self._masks: tuple[MaskFn | str, ...] = ()
        self._df_user = df
        self._df: float | None = None

    def subset(self, mask: MaskFn | str) -> DaskReplicateDesign:
        """Domain design: ``mask`` is a ``DataFrame.eval`` string or a function of a partition."""
        new = object.__new__(DaskReplicateDesign)
        new.__dict__.update(self.__dict__)
        new._masks = (*self._masks, mask)
        new._df = None
        return new

    def _variance_note(self) -> str:
        centre = "full-sample estimate" if self._mse else "replicate mean"
        return (f"replicate weights ({self._method}, {len(self._reps)} replicates, scale "
                f"{self._scale:.6g}, centred on the {centre}); Dask backend")

    def degf(self) -> float:
        """Rank of the replicate weights (rows in the subset) minus one, as R ``degf``."""
        if self._df_user is not None:
            return float(self._df_user)
        if self._df is None:
            dask, _ = _require_dask()
            spec = _Spec("total", (self._weights,), (), "omit")
            table = pd.DataFrame(index=pd.RangeIndex(1))
            res = dask.compute(*[
                dask.delayed(_rep_partition)(p, spec, table, [self._weights, *self._reps],
                                             self._masks, True)
                for p in self._ddf.to_delayed()])
            gram = sum(r["gram"] for r in res)
            norms = np.sqrt(np.clip(np.diag(gram), 0, None))
            norms[norms == 0] = 1.0
            ev = np.linalg.eigvalsh(gram / np.outer(norms, norms))
            sv = np.sqrt(np.clip(ev, 0, None))
            self._df = float((sv > 1e-5 * sv.max()).sum() - 1) if sv.max() > 0 else -1.0
        return self._df

    def _estimate(self, spec: _Spec, level: float, df: float | None, vcov: bool | None,
                  statistic: str) -> pd.DataFrame:
        dask, _ = _require_dask()
        spec, groups = self._groups(spec)
        wcols = [self._weights, *self._reps]
        res = dask.compute(*[
            dask.delayed(_rep_partition)(p, spec, groups.table, wcols, self._masks, False)
            for p in self._ddf.to_delayed()])
        totals = sum(r["T"] for r in res)
        counts = sum(r["n"] for r in res)
        plan = self._layout(spec, groups, np.asarray(counts))
        theta = evaluate(plan, totals[:, :1])[:, 0]
        theta_rep = evaluate(plan, totals[:, 1:])
        full = plan.n_estimates <= 2000 if vcov is None else bool(vcov)
        v = replicate_variance(theta_rep, theta, self._scale, self._rscales, self._mse, full)
        var = np.diag(v).copy() if full else v
        return self._finish(plan, theta, var, v if full else None, statistic, level, df)


def _lin_pass1(pdf: pd.DataFrame, spec: _Spec, table: pd.DataFrame, wcol: str,
               units: pd.DataFrame | None, unit_keys: list[str],
               masks: tuple[MaskFn | str, ...]) -> dict[str, Any]:
    ok, _ = _active(pdf, spec, masks)
    g = max(len(table), 1)
    codes = _codes(pdf, spec.by, ok, table)
    base = base_matrix(_values(pdf, spec, ok), codes, g)
    w = pdf[wcol].to_numpy(dtype=float)
    inset = _mask_of(pdf, masks) & (w != 0)
    wb = sp.csr_matrix(sp.diags(w) @ base)
    out: dict[str, Any] = {"T": np.asarray(wb.sum(axis=0)).ravel(),
                           "n": np.bincount(codes[codes >= 0], minlength=g)}
    if units is not None:
        u = pd.MultiIndex.from_frame(units[unit_keys]).get_indexer(
            pd.MultiIndex.from_frame(pdf[unit_keys]))
        ind = sp.csr_matrix((np.ones(len(u)), (u, np.arange(len(u)))), shape=(len(units), len(u)))
        out["B"] = sp.csr_matrix(ind @ wb)
        out["units_in"] = np.bincount(u[inset], minlength=len(units)) > 0
    return out


def _lin_pass2(pdf: pd.DataFrame, spec: _Spec, table: pd.DataFrame, wcol: str,
               strata: str | None, strata_index: pd.Index, jac: sp.csc_matrix,
               coef: FloatArray, masks: tuple[MaskFn | str, ...], full: bool
               ) -> dict[str, Any]:
    ok, _ = _active(pdf, spec, masks)
    g = max(len(table), 1)
    codes = _codes(pdf, spec.by, ok, table)
    base = base_matrix(_values(pdf, spec, ok), codes, g)
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
    inset = _mask_of(pdf, masks) & (w != 0)
    return {"n": n_h, "mean": mean, "ss": ss, "cross": cross, "rows_in": int(inset.sum()),
            "strata_in": np.bincount(h[inset], minlength=hs) > 0}


def _combine_moments(parts: list[dict[str, Any]], full: bool
                     ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray | None]:
    """Pool per-partition stratum counts, means and centred sums of squares (Chan et al. 1979).

    :math:`M_2 = \\sum_p M_{2,p} + \\sum_p n_p (\bar z_p - \bar z)(\bar z_p - \bar z)^\top`.
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


class DaskDesign(_DaskBase):
    """A single-stage Taylor-linearization design (:class:`~carecost.survey.Design`) on Dask.

    Parameters
    ----------
    data
        Dask DataFrame, one row per unit.
    weights, strata, psu, fpc, nest, lonely_psu
        As :class:`~carecost.survey.Design`, one stage (``fpc`` a population
        size or sampling fraction constant within stratum); ``lonely_psu``
        one of "fail", "remove", "certainty", "adjust".

    Notes
    -----
    With clusters, each partition returns its PSU totals of the base
    variables (a sparse PSUs x base-variables matrix; PSUs may be split across
    partitions, their totals add up); without clusters, a second pass returns
    per-stratum sums and cross-products of the influence values, which are
    pooled across partitions from per-partition counts, means and centred
    sums of squares (Chan, Golub and LeVeque 1979), so large means do not
    cancel.  The PSU list (not the rows) is collected once.
    """

    def __init__(self, data: Any, weights: str, strata: str | None = None,
                 psu: str | None = None, fpc: str | None = None, nest: bool = False,
                 lonely_psu: str = "fail") -> None:
        dask, _ = _require_dask()
        for name, c in (("weights", weights), ("strata", strata), ("psu", psu), ("fpc", fpc)):
            if c is not None and not isinstance(c, str):
                raise DesignError(
                    f"DaskDesign is a one-stage design: {name} must be one column name, got "
                    f"{c!r}; for a multistage design (psu=[...], fpc=[...]) use the in-memory "
                    "carecost.survey.Design")
            if c is not None and c not in data.columns:
                raise DesignError(f"column {c!r} not found in the data")
        if lonely_psu not in ("fail", "remove", "certainty", "adjust"):
            raise DesignError(
                "lonely_psu on the Dask backend: 'fail', 'remove', 'certainty' or 'adjust'; got "
                f"{lonely_psu!r} ('average' depends on the strata each domain reaches and is "
                "available on the in-memory carecost.survey.Design)")
        self._ddf = data
        self._weights = weights
        self._weight_columns = [weights]
        self._strata = strata
        self._psu = psu
        self._masks = ()
        keys = [k for k in (strata, psu) if k is not None]
        cols = keys + ([fpc] if fpc else [])
        if cols:
            info = data[cols].drop_duplicates().compute().reset_index(drop=True)
        else:
            info = pd.DataFrame()
        n_rows = int(data[weights].count().compute()) if psu is None else 0
        if strata:
            sidx = pd.Index(sorted(info[strata].unique()))
        else:
            sidx = pd.Index([0])
        self._strata_index = sidx
        if psu is not None:
            unit_keys = [strata, psu] if (strata and nest) else [psu]
            units = info[[*dict.fromkeys(unit_keys + ([strata] if strata else []))]]
            units = units.drop_duplicates().reset_index(drop=True)
            if strata and not nest and units[psu].duplicated().any():
                raise DesignError("clusters are not nested in strata (a PSU id appears in more "
                                  "than one stratum); pass nest=True if PSU ids restart")
            self._units = units
            self._unit_keys = unit_keys
            unit_stratum = (sidx.get_indexer(units[strata]) if strata
                            else np.zeros(len(units), dtype=np.intp))
            n_h = np.bincount(unit_stratum, minlength=len(sidx)).astype(float)
        else:
            self._units = None
            self._unit_keys = []
            unit_stratum = np.empty(0, dtype=np.intp)
            if strata:
                counts = data[strata].value_counts().compute()
                n_h = counts.reindex(sidx).to_numpy(dtype=float)
            else:
                n_h = np.array([float(n_rows)])
        self._unit_stratum = unit_stratum
        self._n_h = n_h
        f = np.ones(len(sidx))
        if fpc:
            per = (info.groupby(strata)[fpc].nunique() if strata
                   else pd.Series([info[fpc].nunique()]))
            if (per > 1).any():
                raise DesignError(f"fpc column {fpc!r} varies within a stratum")
            vals = (info.groupby(strata)[fpc].first().reindex(sidx).to_numpy(dtype=float)
                    if strata else np.array([float(info[fpc].iloc[0])]))
            is_pop = bool(np.any(vals > 1))
            if is_pop and not np.all(vals >= 1):
                raise DesignError(f"fpc column {fpc!r} mixes population sizes (> 1) and "
                                  "sampling fractions (< 1)")
            pop = vals if is_pop else n_h / vals
            if np.any(pop < n_h):
                raise DesignError("fpc implies more than 100% sampling in a stratum")
            f = (pop - n_h) / pop
        lonely = (n_h == 1) & (f >= 1e-7)
        if lonely.any() and lonely_psu == "fail":
            raise DesignError(f"stratum {sidx[np.flatnonzero(lonely)[0]]} has only one PSU; "
                              "choose lonely_psu")
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(n_h > 1, f * n_h / (n_h - 1), f)
        centred = np.ones(len(sidx))
        if lonely_psu in ("remove", "certainty"):
            a = np.where(lonely, 0.0, a)
        elif lonely_psu == "adjust":
            centred = np.where(lonely, 0.0, 1.0)
        self._coef = np.where(f < 1e-7, 0.0, a)
        self._centred = centred
        self._fpc = fpc is not None
        self._df: float | None = None
        del dask

    def subset(self, mask: MaskFn | str) -> DaskDesign:
        """Domain design: ``mask`` is a ``DataFrame.eval`` string or a function of a partition."""
        new = object.__new__(DaskDesign)
        new.__dict__.update(self.__dict__)
        new._masks = (*self._masks, mask)
        new._df = None
        return new

    def _variance_note(self) -> str:
        kind = "with finite population correction" if self._fpc else "with-replacement"
        return f"Taylor linearization, {kind}; Dask backend"

    def degf(self) -> float:
        """PSUs minus strata among rows in the (sub)design, as R ``degf``."""
        if self._df is None:
            self._estimate(_Spec("total", (self._weights,), (), "omit"), 0.95, np.inf, False,
                           "total")
        assert self._df is not None
        return self._df

    def _estimate(self, spec: _Spec, level: float, df: float | None, vcov: bool | None,
                  statistic: str) -> pd.DataFrame:
        dask, _ = _require_dask()
        spec, groups = self._groups(spec)
        parts = self._ddf.to_delayed()
        res = dask.compute(*[
            dask.delayed(_lin_pass1)(p, spec, groups.table, self._weights, self._units,
                                     self._unit_keys, self._masks) for p in parts])
        totals = sum(r["T"] for r in res)
        counts = sum(r["n"] for r in res)
        plan = self._layout(spec, groups, np.asarray(counts))
        t = np.asarray(totals, dtype=float)
        theta = evaluate(plan, t.reshape(-1, 1))[:, 0]
        jac = jacobian(plan, t, theta)
        full = plan.n_estimates <= 2000 if vcov is None else bool(vcov)
        if self._units is not None:
            b = sum(r["B"] for r in res)
            z = sp.csr_matrix(b @ jac)
            v = quadratic_form(z, self._unit_stratum, self._coef, self._centred, full)
            units_in = np.logical_or.reduce([r["units_in"] for r in res])
            strata_in = len(np.unique(self._unit_stratum[units_in]))
            self._df = float(units_in.sum() - strata_in)
        else:
            res2 = dask.compute(*[
                dask.delayed(_lin_pass2)(p, spec, groups.table, self._weights, self._strata,
                                         self._strata_index, jac, self._coef, self._masks, full)
                for p in parts])
            n_h, mean, ss, cross = _combine_moments(list(res2), full)
            # centred strata: a_h M2_h; uncentred (lonely, adjust): a_h (M2_h + n_h m m')
            unc = (1.0 - self._centred) * n_h
            if full:
                assert cross is not None
                v = np.einsum("h,hij->ij", self._coef, cross) + np.einsum(
                    "h,hi,hj->ij", self._coef * unc, mean, mean)
            else:
                v = (self._coef[:, None] * (ss + unc[:, None] * mean * mean)).sum(axis=0)
            strata_in = np.logical_or.reduce([r["strata_in"] for r in res2])
            self._df = float(sum(r["rows_in"] for r in res2) - strata_in.sum())
        var = np.diag(v).copy() if full else np.asarray(v)
        return self._finish(plan, theta, var, v if full else None, statistic, level, df)
