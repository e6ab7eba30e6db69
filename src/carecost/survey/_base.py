"""Estimators shared by linearization and replicate-weight designs."""

from __future__ import annotations

import copy
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Literal, Self

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from carecost.errors import CarecostInputError

from ._engine import FloatArray, Groups, Plan, base_matrix, make_groups
from .results import build_table, critical_value

NaPolicy = Literal["raise", "omit"]
VCOV_LIMIT = 2000
"""Above this many estimates only the variances (not covariances) are computed by default."""


class DesignError(CarecostInputError):
    """A survey design or an estimator call that cannot be carried out as given."""


def as_list(x: str | Sequence[str] | None) -> list[str]:
    if x is None:
        return []
    if isinstance(x, str):
        return [x]
    return list(x)


def check_columns(data: pd.DataFrame, cols: Sequence[str], what: str) -> None:
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise DesignError(
            f"{what}: column(s) {missing} not found in the data; available columns start "
            f"with {list(data.columns[:12])}"
        )


def numeric_column(data: pd.DataFrame, col: str) -> FloatArray:
    s = data[col]
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


class SurveyDesign(ABC):
    """Common interface of :class:`Design` and :class:`ReplicateDesign`.

    Subclasses provide :meth:`_variance`, :meth:`degf` and :meth:`_with_mask`.
    """

    _data: pd.DataFrame
    _w: FloatArray
    _mask: NDArray[np.bool_]

    # ------------------------------------------------------------------ basics
    @property
    def data(self) -> pd.DataFrame:
        """The analysis data (all rows, including those outside a subset)."""
        return self._data

    @property
    def weights(self) -> FloatArray:
        """Sampling weights; zero for rows outside the current subset."""
        return np.where(self._mask, self._w, 0.0)

    @property
    def in_subset(self) -> NDArray[np.bool_]:
        """Boolean mask of the rows in the current (sub)design."""
        return self._mask.copy()

    def __len__(self) -> int:
        return int(self._mask.sum())

    @abstractmethod
    def degf(self) -> float:
        """Design degrees of freedom, as R ``survey::degf``."""

    @abstractmethod
    def _with_mask(self, mask: NDArray[np.bool_]) -> Self:
        """A copy of the design restricted to ``mask`` (full design kept for variance)."""

    @abstractmethod
    def _variance(
        self, plan: Plan, full: bool
    ) -> tuple[FloatArray, FloatArray, FloatArray | None]:
        """Return ``(theta, var_diag, vcov_or_None)`` for a plan."""

    @abstractmethod
    def _variance_note(self) -> str:
        """One sentence on how variances are estimated."""

    @abstractmethod
    def _group_degf(self, codes: NDArray[np.intp], n_groups: int) -> FloatArray:
        """Degrees of freedom of each domain's subset design (R ``degf`` of ``subset``)."""

    @abstractmethod
    def _srs_rows(self, codes: NDArray[np.intp]) -> NDArray[np.float64]:
        """Per-group row counts used as ``n`` in design effects."""

    @abstractmethod
    def _deff_fpc(self) -> bool:
        """Whether the SRS variance of a design effect uses (N - n)/N."""

    def assign(self, **columns: object) -> Self:
        """A copy of the design with new or replaced analysis columns (like srvyr ``mutate``).

        Values are arrays or Series with one value per row of :attr:`data`
        (all rows, including those outside a subset); the design itself
        (weights, strata, clusters, replicates, subset) is unchanged.
        """
        n = len(self._data)
        for name, val in columns.items():
            if np.ndim(val) != 1 or len(val) != n:  # type: ignore[arg-type]
                raise DesignError(f"assign: column {name!r} must have {n} values, one per row")
            if isinstance(val, pd.Series) and not val.index.equals(self._data.index):
                raise DesignError(f"assign: Series {name!r} is not aligned with the data index")
        new = copy.copy(self)
        new._data = self._data.assign(
            **{k: (v.to_numpy() if isinstance(v, pd.Series) else np.asarray(v))
               for k, v in columns.items()})
        return new

    # ----------------------------------------------------------------- subsets
    def subset(self, mask: NDArray[np.bool_] | pd.Series | str) -> Self:
        """Design for a domain (subpopulation), keeping the full design for variance.

        Rows outside the domain stay in the design with zero weight, so
        strata and PSUs with no domain members still count, as R
        ``subset.survey.design`` does (Lumley 2010, section 2.3.1).  The
        result is *not* a row filter: ``d.subset(m).mean(y)`` equals the
        domain mean from ``d.mean(y, by=m)``.

        Parameters
        ----------
        mask
            Boolean array or Series (aligned with the data), or a
            ``DataFrame.eval`` expression such as ``"sex == 'female'"``.
            Missing values count as outside the domain.
        """
        if isinstance(mask, str):
            m = self._data.eval(mask)
        else:
            m = mask
        if isinstance(m, pd.Series):
            if not m.index.equals(self._data.index):
                raise DesignError("subset mask Series must have the same index as the data")
            m = m.to_numpy(dtype=bool, na_value=False)
        arr = np.asarray(m)
        if arr.shape != (len(self._data),):
            raise DesignError(
                f"subset mask has shape {arr.shape}; expected ({len(self._data)},), one "
                "value per row of the data"
            )
        if arr.dtype != bool:
            raise DesignError(f"subset mask must be boolean, got dtype {arr.dtype}")
        return self._with_mask(self._mask & arr)

    # -------------------------------------------------------------- internals
    def _active_rows(
        self, cols: list[str], by: list[str], na: NaPolicy, numeric: bool = True
    ) -> tuple[NDArray[np.bool_], dict[str, FloatArray]]:
        check_columns(self._data, cols + by, "estimator")
        if na not in ("raise", "omit"):
            raise DesignError(f"na must be 'raise' or 'omit', got {na!r}")
        values: dict[str, FloatArray] = {}
        ok = self._mask.copy()
        for c in cols:
            if numeric:
                v = numeric_column(self._data, c)
                values[c] = v
                bad = np.isnan(v)
            else:
                bad = self._data[c].isna().to_numpy()
            nbad = int((bad & self._mask).sum())
            if nbad and na == "raise":
                raise DesignError(
                    f"column {c!r} has {nbad} missing value(s) in the design; pass na='omit' "
                    "to estimate for the non-missing domain (as R na.rm=TRUE), or impute first"
                )
            ok &= ~bad
        for b in by:
            bad = self._data[b].isna().to_numpy()
            nbad = int((bad & self._mask).sum())
            if nbad and na == "raise":
                raise DesignError(
                    f"by column {b!r} has {nbad} missing value(s); pass na='omit' to leave "
                    "those rows out of every domain, or recode them"
                )
            ok &= ~bad
        for c in cols:
            if c in values:
                values[c] = np.where(ok, values[c], 0.0)
        return ok, values

    def _run(
        self, plan: Plan, *, statistic: str, level: float, df: float | None,
        vcov: bool | None, deff: FloatArray | None = None,
    ) -> pd.DataFrame:
        full = plan.n_estimates <= VCOV_LIMIT if vcov is None else bool(vcov)
        theta, var, cov = self._variance(plan, full)
        return build_table(
            plan.rows, theta, var, df=self.degf(), ci_df=df, level=level, n=plan.n,
            statistic=statistic, vcov=cov, variance=self._variance_note(), deff=deff,
        )

    @staticmethod
    def _plan(
        groups: Groups, values: FloatArray, names: list[str], kind: str,
        n_per_group: NDArray[np.int64], level_col: list[str] | None = None,
    ) -> Plan:
        """Build a plan. ``kind``: 'total' (K vars), 'mean' (K vars + 1), 'ratio' (2)."""
        g = groups.n_groups
        k = values.shape[1]
        base = base_matrix(values, groups.codes, g)
        gg = np.arange(g)
        if kind == "total":
            num = (gg[:, None] * k + np.arange(k)[None, :]).ravel()
            den = np.full_like(num, -1)
            nvar = k
        elif kind == "mean":
            nvar = k - 1
            num = (gg[:, None] * k + np.arange(nvar)[None, :]).ravel()
            den = np.repeat(gg * k + nvar, nvar)
        elif kind == "ratio":
            nvar = 1
            num = gg * 2
            den = gg * 2 + 1
        else:  # pragma: no cover - internal
            raise AssertionError(kind)
        rows = groups.table.loc[np.repeat(np.arange(g), nvar)].reset_index(drop=True)
        rows["variable"] = np.tile(np.asarray(names, dtype=object), g)
        if level_col is not None:
            rows["variable"] = np.tile(np.asarray([names[0]] * nvar, dtype=object), g)
            rows["level"] = np.tile(np.asarray(level_col, dtype=object), g)
        n = np.repeat(n_per_group, nvar)
        return Plan(
            base=base, num=num.astype(np.intp), den=den.astype(np.intp), rows=rows, n=n,
            codes=groups.codes, est_group=np.repeat(gg, nvar).astype(np.intp),
        )

    def _deff(
        self, groups: Groups, values: FloatArray, var: FloatArray, statistic: str,
        replace: bool,
    ) -> FloatArray:
        """Design effects as R ``svymean(..., deff=TRUE)`` / ``svytotal``.

        :math:`\\mathrm{deff} = \\hat V / \\hat V_{srs}` with
        :math:`\\hat V_{srs} = \\hat S^2 (\\hat N-n)/(\\hat N n)` for a mean
        (times :math:`\\hat N^2` for a total), :math:`\\hat S^2` the weighted
        domain variance with divisor :math:`n-1`; without the factor
        :math:`(\\hat N-n)/\\hat N` when ``replace``.
        """
        codes = groups.codes
        g = groups.n_groups
        keep = codes >= 0
        c = codes[keep]
        w = self._w[keep]
        n = self._srs_rows(codes)
        wsum = np.bincount(c, weights=w, minlength=g)
        out = []
        for k in range(values.shape[1]):
            y = values[keep, k]
            ybar = np.bincount(c, weights=w * y, minlength=g) / wsum
            ss = np.bincount(c, weights=w * (y - ybar[c]) ** 2, minlength=g)
            s2 = n / (n - 1) * ss / wsum
            vsrs = s2 / n
            if not replace and self._deff_fpc():
                vsrs = vsrs * (wsum - n) / wsum
            if statistic == "total":
                vsrs = vsrs * wsum**2
            out.append(vsrs)
        vs = np.stack(out, axis=1).ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            return var / vs

    # -------------------------------------------------------------- estimators
    def mean(
        self, y: str | Sequence[str], by: str | Sequence[str] | None = None, *,
        na: NaPolicy = "raise", level: float = 0.95, df: float | None = None,
        deff: bool | Literal["replace"] = False, vcov: bool | None = None,
    ) -> pd.DataFrame:
        """Weighted mean of each variable, overall or by domain.

        :math:`\\hat{\\bar y}_d = \\sum_i w_i d_i y_i / \\sum_i w_i d_i`
        (a ratio estimator, Lumley 2010, section 2.2), as R ``svymean`` and
        ``svyby(..., svymean)``.

        Parameters
        ----------
        y
            Numeric column name(s) (units are those of the data).
        by
            Column name(s) defining domains; each combination present in the
            (sub)design gets a row.
        na
            ``"raise"`` (default): missing values in ``y`` or ``by`` are an
            error naming the column and count.  ``"omit"``: rows with a
            missing value are left out of the domain (R ``na.rm=TRUE``),
            the full design is kept for variance.
        level
            Confidence level of ``ci_low``/``ci_high``.
        df
            Degrees of freedom of the interval.  Default: the design degrees
            of freedom (:meth:`degf`), giving Student-t intervals as srvyr and
            Stata do; pass ``numpy.inf`` for normal intervals (R's
            ``confint`` default).
        deff
            Add a ``deff`` column (``"replace"``: SRS with replacement).
        vcov
            Keep the covariance matrix of the estimates for contrasts
            (default: when there are at most 2,000 estimates).

        Returns
        -------
        pandas.DataFrame
            ``by`` columns, ``variable``, ``estimate``, ``se``, ``ci_low``,
            ``ci_high``, ``cv``, ``df``, ``n`` (unweighted rows), [``deff``].
        """
        ys, bys = as_list(y), as_list(by)
        ok, vals = self._active_rows(ys, bys, na)
        groups = make_groups(self._data, bys, ok)
        values = np.column_stack([vals[c] for c in ys] + [np.ones(len(ok))])
        counts = np.bincount(groups.codes[groups.codes >= 0], minlength=groups.n_groups)
        plan = self._plan(groups, values, ys, "mean", counts)
        res = self._run(plan, statistic="mean", level=level, df=df, vcov=vcov)
        if deff:
            res["deff"] = self._deff(
                groups, values[:, :-1], res["se"].to_numpy() ** 2, "mean", deff == "replace"
            )
        return res

    def total(
        self, y: str | Sequence[str], by: str | Sequence[str] | None = None, *,
        na: NaPolicy = "raise", level: float = 0.95, df: float | None = None,
        deff: bool | Literal["replace"] = False, vcov: bool | None = None,
    ) -> pd.DataFrame:
        """Weighted (Horvitz–Thompson) total, :math:`\\hat T_d = \\sum_i w_i d_i y_i`.

        As R ``svytotal``.  Units: the variable's units times the population
        units of the weights (e.g. minutes per day x persons).  Parameters
        and columns as :meth:`mean`.
        """
        ys, bys = as_list(y), as_list(by)
        ok, vals = self._active_rows(ys, bys, na)
        groups = make_groups(self._data, bys, ok)
        values = np.column_stack([vals[c] for c in ys])
        counts = np.bincount(groups.codes[groups.codes >= 0], minlength=groups.n_groups)
        plan = self._plan(groups, values, ys, "total", counts)
        res = self._run(plan, statistic="total", level=level, df=df, vcov=vcov)
        if deff:
            res["deff"] = self._deff(
                groups, values, res["se"].to_numpy() ** 2, "total", deff == "replace"
            )
        return res

    def ratio(
        self, numerator: str, denominator: str, by: str | Sequence[str] | None = None, *,
        na: NaPolicy = "raise", level: float = 0.95, df: float | None = None,
        vcov: bool | None = None,
    ) -> pd.DataFrame:
        """Ratio of two totals, :math:`\\hat R = \\hat T_y / \\hat T_x`, as R ``svyratio``.

        Linearized with :math:`z_i = w_i (y_i - \\hat R x_i)/\\hat T_x`
        (Lumley 2010, section 2.2.1).  The ``variable`` column reads
        ``"numerator/denominator"``.
        """
        bys = as_list(by)
        ok, vals = self._active_rows([numerator, denominator], bys, na)
        groups = make_groups(self._data, bys, ok)
        values = np.column_stack([vals[numerator], vals[denominator]])
        counts = np.bincount(groups.codes[groups.codes >= 0], minlength=groups.n_groups)
        plan = self._plan(groups, values, [f"{numerator}/{denominator}"], "ratio", counts)
        return self._run(plan, statistic="ratio", level=level, df=df, vcov=vcov)

    def proportion(
        self, y: str, by: str | Sequence[str] | None = None, *, na: NaPolicy = "raise",
        level: float = 0.95, df: float | None = None,
        deff: bool | Literal["replace"] = False, vcov: bool | None = None,
    ) -> pd.DataFrame:
        """Share of the (domain) population in each level of a categorical variable.

        The mean of the level indicators, as R ``svymean(~factor)``; intervals
        are Wald intervals on the proportion scale.  All categories of a
        pandas ``Categorical`` are reported (zero for absent ones); for other
        dtypes, the levels present in the design.
        """
        bys = as_list(by)
        ok, _ = self._active_rows([y], bys, na, numeric=False)
        col = self._data[y]
        if isinstance(col.dtype, pd.CategoricalDtype):
            levels = list(col.cat.categories)
        else:
            levels = sorted(pd.unique(col[ok]).tolist())
        groups = make_groups(self._data, bys, ok)
        ind = np.column_stack(
            [(col == lev).to_numpy(dtype=bool, na_value=False) & ok for lev in levels]
            + [ok]
        ).astype(float)
        counts = np.bincount(groups.codes[groups.codes >= 0], minlength=groups.n_groups)
        plan = self._plan(groups, ind, [y] * len(levels), "mean", counts,
                          level_col=[str(v) for v in levels])
        res = self._run(plan, statistic="proportion", level=level, df=df, vcov=vcov)
        if deff:
            res["deff"] = self._deff(
                groups, ind[:, :-1], res["se"].to_numpy() ** 2, "mean", deff == "replace"
            )
        return res

    def quantile(
        self, y: str, q: float | Sequence[float], by: str | Sequence[str] | None = None, *,
        na: NaPolicy = "raise", level: float = 0.95, df: float | None = None,
    ) -> pd.DataFrame:
        """Quantiles with Woodruff (1952) confidence intervals, as R ``svyquantile``.

        The estimate is the smallest value :math:`x` with estimated
        distribution function :math:`\\hat F(x) \\ge q` (R's default
        ``qrule="math"``).  The interval inverts a Wald interval for
        :math:`\\hat F(\\hat x_q)`, the design-based mean of
        :math:`1\\{y \\le \\hat x_q\\}` (R ``interval.type="mean"``), using a
        Student t with ``df`` (default: the degrees of freedom of each domain's
        subset design, as R ``svyby(..., svyquantile)``);
        ``se`` is the interval's width divided by twice the critical value.
        Interval ends are NaN when the interval for :math:`F` leaves [0, 1].

        Notes
        -----
        For a probability below the first sorted weight share, R's ``qs``
        helper returns the *second* smallest value; carecost does the same, so
        that estimates and interval ends (whose probabilities can fall there)
        reproduce R exactly.

        References
        ----------
        Woodruff, R. S. (1952). Confidence intervals for medians and other
        position measures. *JASA* 47, 635–646.
        Lumley, T. (2010). *Complex Surveys*, section 2.4.
        """
        bys = as_list(by)
        qs_ = [float(v) for v in np.atleast_1d(np.asarray(q, dtype=float))]
        for v in qs_:
            if not 0 <= v <= 1:
                raise DesignError(f"quantile probabilities must be in [0, 1]; got {v}")
        ok, vals = self._active_rows([y], bys, na)
        groups = make_groups(self._data, bys, ok)
        codes = groups.codes
        g = groups.n_groups
        x = vals[y]
        w = np.where(ok, self._w, 0.0)
        rows_in = np.flatnonzero((codes >= 0) & (w > 0))
        order = rows_in[np.lexsort((x[rows_in], codes[rows_in]))]
        oc = codes[order]
        ox = x[order]
        start = np.searchsorted(oc, np.arange(g), side="left")
        stop = np.searchsorted(oc, np.arange(g), side="right")
        cw = _group_cumsum(w[order], start, stop)
        # as R svyby(..., svyquantile): each domain's interval uses that domain's degf
        dfs = (self._group_degf(codes, g) if df is None else np.full(g, float(df)))
        crit = np.array([critical_value(level, v) for v in dfs])
        counts = np.bincount(codes[codes >= 0], minlength=g)
        out = []
        for p in qs_:
            qhat = _weighted_quantile(ox, cw, start, stop, np.full(g, p))
            ind = (x <= qhat[np.maximum(codes, 0)]).astype(float)
            ind = np.where(codes >= 0, ind, 0.0)
            values = np.column_stack([ind, np.ones(len(x))])
            plan = self._plan(groups, values, [y], "mean", counts)
            fhat, fvar, _ = self._variance(plan, full=False)
            fse = np.sqrt(np.clip(fvar, 0, None))
            plo, phi = fhat - crit * fse, fhat + crit * fse
            lo = _weighted_quantile(ox, cw, start, stop, plo)
            hi = _weighted_quantile(ox, cw, start, stop, phi)
            lo[plo < 0] = np.nan
            hi[phi > 1] = np.nan
            frame = groups.table.copy()
            frame["variable"] = y
            frame["quantile"] = p
            frame["estimate"] = qhat
            frame["se"] = (hi - lo) / (2 * crit)
            frame["ci_low"] = lo
            frame["ci_high"] = hi
            with np.errstate(divide="ignore", invalid="ignore"):
                frame["cv"] = frame["se"] / np.abs(qhat)
            frame["df"] = dfs
            frame["n"] = counts.astype(np.int64)
            out.append(frame)
        res = pd.concat(out, ignore_index=True)
        if bys:
            res = res.sort_values([*bys, "quantile"], kind="stable").reset_index(drop=True)
        return res

    def degf_note(self) -> str:
        return self._variance_note()


def _group_cumsum(w: FloatArray, starts: NDArray[np.intp], stops: NDArray[np.intp]
                  ) -> FloatArray:
    """Cumulative sums of ``w`` restarting at each group (rows sorted by group).

    Summed group by group in sorted order, as R's ``cumsum`` in ``survey:::qs``
    (a global cumulative sum minus offsets would differ in the last bits and
    break exact ties).
    """
    out = np.empty_like(w)
    for lo, hi in zip(starts, stops, strict=True):  # one vectorised cumsum per group
        out[lo:hi] = np.cumsum(w[lo:hi])
    return out


def _weighted_quantile(
    ox: FloatArray, cw: FloatArray, start: NDArray[np.intp], stop: NDArray[np.intp],
    p: FloatArray,
) -> FloatArray:
    """Smallest sorted value whose cumulative weight share is >= p, per group.

    A cumulative share within 1e-12 (relative) of ``p`` counts as equal to it, so
    that ties (e.g. the median of an even number of equal weights) are decided as
    in exact arithmetic, as R's ``qrule_math`` does.
    """
    g = len(start)
    out = np.full(g, np.nan)
    for j in range(g):  # one binary search per group, not per row
        if stop[j] <= start[j] or not np.isfinite(p[j]):
            continue
        seg = cw[start[j]:stop[j]]
        tot = seg[-1]
        target = p[j] * tot
        eps = 1e-12 * tot
        pos = int(np.searchsorted(seg, target + eps, side="right"))  # cw <= target (+eps)
        if pos > 0 and abs(seg[pos - 1] - target) <= eps:
            idx = pos - 1
        elif pos == 0:
            idx = min(1, len(seg) - 1)  # R's qs(): no cw <= target -> position 1, then qup
        else:
            idx = min(pos, len(seg) - 1)
        out[j] = ox[start[j] + idx]
    return out


def replicate_columns(data: pd.DataFrame, replicates: str | Sequence[str]) -> list[str]:
    """Resolve replicate weight columns given as a list or a regular expression."""
    if isinstance(replicates, str):
        pat = re.compile(replicates)
        cols = [c for c in data.columns if isinstance(c, str) and pat.search(c)]
        if not cols:
            raise DesignError(
                f"no column matches the replicate pattern {replicates!r}; columns start with "
                f"{list(data.columns[:12])}"
            )
        return cols
    cols = list(replicates)
    check_columns(data, cols, "replicates")
    return cols
